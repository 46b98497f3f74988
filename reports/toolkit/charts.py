"""The report's charts, drawn with reportlab.graphics (no matplotlib).

Two kinds: horizontal bars on the -100..+100 score scale, one bar per
alternative for each row (the policy areas; the sections and the whole), and a
heatmap of groups by policy area. Labels are plain text (reportlab graphics do
not read markup) measured with the report font and wrapped or shortened so
they are never clipped; a missing score is drawn as "not rated", never as 0.
These functions take plain values and return a Drawing: no scoring, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String, mmult, rotate, translate
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from assessment.scoring.summary import fmt_figure

from .fonts import BOLD, FAMILY, register_fonts
from .markup import plain

__all__ = ["ALTERNATIVE_COLOURS", "bar_chart", "glance_chart", "heatmap", "wrap_label"]

ALTERNATIVE_COLOURS = (
    colors.HexColor("#9aa3ad"),  # the zero alternative comes first: neutral grey
    colors.HexColor("#1d5c8f"),
    colors.HexColor("#d97706"),
    colors.HexColor("#2f855a"),
    colors.HexColor("#7c3aed"),
    colors.HexColor("#b91c1c"),
)
TEXT = colors.HexColor("#1f2328")
GRID = colors.HexColor("#d5d9de")
AXIS = colors.HexColor("#5a6270")
NOT_RATED = colors.HexColor("#e5e7eb")


def wrap_label(text: str, width: float, size: float, max_lines: int = 2, font: str = FAMILY) -> list[str]:
    """`text` broken into at most `max_lines` lines no wider than `width`; the last ends in … when cut."""
    words = plain(text).split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while stringWidth(current, font, size) > width:  # a word longer than the line: break it
            cut = len(current)
            while cut > 1 and stringWidth(current[:cut], font, size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        # Whole words go first ("Kunskaper, kompetenser…", never "…kompetenser oc…"); a single word is cut.
        while " " in last and stringWidth(last + "…", font, size) > width:
            last = last.rsplit(" ", 1)[0].rstrip(" ,;:–-")
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip(" ,;:–-") + "…"]
    return lines or [""]


def _score_text(value: float | None) -> str:
    """The figure printed on a bar or in a cell: the one every surface shows (`assessment.scoring.summary.fmt_figure`)."""
    return fmt_figure(value)


def _legend(d: Drawing, names: Sequence[str], x: float, y: float, width: float, size: float) -> float:
    """Draw the alternatives' legend from (x, y) downwards; return the height used."""
    cx, cy = x, y
    line_h = size + 5
    for i, name in enumerate(names):
        label = wrap_label(name, width / 2, size, 1)[0]
        w = 10 + 4 + stringWidth(label, FAMILY, size) + 14
        if cx + w > x + width and cx > x:
            cx, cy = x, cy - line_h
        d.add(Rect(cx, cy - size + 1, 9, size - 1, fillColor=ALTERNATIVE_COLOURS[i % len(ALTERNATIVE_COLOURS)],
                   strokeColor=None))
        d.add(String(cx + 13, cy - size + 2, label, fontName=FAMILY, fontSize=size, fillColor=TEXT))
        cx += w
    return y - cy + line_h


def bar_chart(rows: Sequence[tuple[str, Sequence[float | None]]], alternatives: Sequence[str], width: float,
              not_rated: str) -> Drawing:
    """Horizontal bars on -100..+100: for each (label, values per alternative) row, one bar per alternative."""
    register_fonts()
    size = 7.5
    label_w = min(165.0, width * 0.36)
    value_w = 22.0
    plot_x = label_w + 8 + value_w
    plot_w = width - plot_x - value_w
    n_alt = max(1, len(alternatives))
    bar_h = 7.0 if n_alt > 1 else 9.0
    row_labels = [wrap_label(label, label_w, size, 3) for label, _ in rows]
    row_heights = [max(len(lines) * (size + 1.5), n_alt * bar_h) + 8 for lines in row_labels]
    legend_h = (size + 5) * (1 + len(alternatives) // 4) + 4 if len(alternatives) > 1 else 0
    axis_h = 16
    height = legend_h + sum(row_heights) + axis_h + 4
    d = Drawing(width, height, initialFontName=FAMILY, initialFontSize=size)
    top = height - legend_h
    if len(alternatives) > 1:
        _legend(d, alternatives, plot_x, height - 2, plot_w, size)

    def x_of(v: float) -> float:
        return plot_x + (max(-100.0, min(100.0, v)) + 100) / 200 * plot_w

    bottom = axis_h
    for tick in (-100, -50, 0, 50, 100):
        x = x_of(tick)
        d.add(Line(x, bottom, x, top, strokeColor=AXIS if tick == 0 else GRID, strokeWidth=0.8 if tick == 0 else 0.4))
        d.add(String(x, bottom - 10, _score_text(tick) if tick else "0", fontName=FAMILY, fontSize=size - 0.5,
                     fillColor=AXIS, textAnchor="middle"))
    y = top
    for (label, values), lines, row_h in zip(rows, row_labels, row_heights):
        y -= row_h
        text_top = y + row_h / 2 + (len(lines) - 1) * (size + 1.5) / 2 - size / 3
        for j, line in enumerate(lines):
            d.add(String(0, text_top - j * (size + 1.5), line, fontName=FAMILY, fontSize=size, fillColor=TEXT))
        bars_top = y + row_h / 2 + n_alt * bar_h / 2
        for i, value in enumerate(values):
            by = bars_top - (i + 1) * bar_h + 1
            colour = ALTERNATIVE_COLOURS[i % len(ALTERNATIVE_COLOURS)]
            if value is None:
                d.add(String(x_of(0) + 3, by + 1, not_rated, fontName=FAMILY, fontSize=size - 1.5, fillColor=AXIS))
                continue
            x0, x1 = x_of(0), x_of(value)
            d.add(Rect(min(x0, x1), by, max(abs(x1 - x0), 0.8), bar_h - 2, fillColor=colour, strokeColor=None))
            tx = x1 + 3 if value >= 0 else x1 - 3
            d.add(String(tx, by + 0.5, _score_text(value), fontName=FAMILY, fontSize=size - 1.5, fillColor=TEXT,
                         textAnchor="start" if value >= 0 else "end"))
        d.add(Line(plot_x, y, plot_x + plot_w, y, strokeColor=GRID, strokeWidth=0.3))
    return d


HEAD_MAX = 120.0  # points: the longest upright column name before it is shortened


def _breaks_words(text: str, lines: list[str]) -> bool:
    """Whether wrapping `text` into `lines` had to cut a word or shorten it."""
    words = set(plain(text).split())
    return any(word not in words for line in lines for word in line.split())


def _cell_colour(value: float | None) -> colors.Color:
    """A diverging red–white–blue scale (readable for red-green colour blindness)."""
    if value is None:
        return NOT_RATED
    v = max(-100.0, min(100.0, value)) / 100
    white = colors.HexColor("#f7f7f7")
    end = colors.HexColor("#2166ac") if v >= 0 else colors.HexColor("#b2182b")
    return colors.linearlyInterpolatedColor(white, end, 0, 1, abs(v))


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]],
            width: float) -> Drawing:
    """A grid of scores: one row per policy area, one column per group, the score printed in each cell."""
    register_fonts()
    size = 7.0
    label_w = min(150.0, width * 0.32)
    n_cols = max(1, len(columns))
    col_w = min(60.0, (width - label_w - 6) / n_cols)
    head_lines = [wrap_label(c, col_w - 4, size - 0.5, 4) for c in columns]
    # Narrow columns break names mid-word; then the names stand upright instead, on one line each.
    upright = any(_breaks_words(c, lines) for c, lines in zip(columns, head_lines))
    if upright:
        head_lines = [wrap_label(c, HEAD_MAX, size - 0.5, 2 if col_w >= 2 * size + 6 else 1, BOLD) for c in columns]
        head_h = max((stringWidth(line, BOLD, size - 0.5) for lines in head_lines for line in lines), default=0) + 8
    else:
        head_h = max((len(lines) for lines in head_lines), default=1) * (size + 1) + 6
    row_lines = [wrap_label(r, label_w, size, 2) for r in rows]
    row_h = [max(16.0, len(lines) * (size + 1.5) + 5) for lines in row_lines]
    height = head_h + sum(row_h) + 2
    d = Drawing(width, height, initialFontName=FAMILY, initialFontSize=size)
    x0 = label_w + 6
    for i, lines in enumerate(head_lines):
        cx = x0 + i * col_w + col_w / 2
        if upright:
            step = size + 0.5
            for j, line in enumerate(lines):
                x = cx + size / 3 - (len(lines) - 1) * step / 2 + j * step
                d.add(Group(String(0, 0, line, fontName=BOLD, fontSize=size - 0.5, fillColor=TEXT),
                            transform=mmult(translate(x, height - head_h + 4), rotate(90))))
            continue
        for j, line in enumerate(reversed(lines)):
            d.add(String(cx, height - head_h + 4 + j * (size + 1), line, fontName=BOLD, fontSize=size - 0.5,
                         fillColor=TEXT, textAnchor="middle"))
    y = height - head_h
    for r, (lines, h) in enumerate(zip(row_lines, row_h)):
        y -= h
        text_top = y + h / 2 + (len(lines) - 1) * (size + 1.5) / 2 - size / 3
        for j, line in enumerate(lines):
            d.add(String(0, text_top - j * (size + 1.5), line, fontName=FAMILY, fontSize=size, fillColor=TEXT))
        for c in range(len(columns)):
            value = values[r][c] if c < len(values[r]) else None
            fill = _cell_colour(value)
            d.add(Rect(x0 + c * col_w, y, col_w - 1, h - 1, fillColor=fill, strokeColor=None))
            if value is None:
                continue  # grey and empty: not rated (the caption says so), never a zero
            dark = abs(value) > 55
            d.add(String(x0 + c * col_w + col_w / 2, y + h / 2 - size / 3, _score_text(value), fontName=FAMILY,
                         fontSize=size, fillColor=colors.white if dark else TEXT, textAnchor="middle"))
    return d


def glance_chart(sections: Sequence[tuple[str, Sequence[str], Sequence[Sequence[float | None]]]],
                 columns: Sequence[str], width: float, not_rated: str, scale_words: tuple[str, str]) -> Drawing:
    """The decision page's one-glance figure: blocks of rows (a title, row labels, a value per column each),
    one column per alternative, every cell on the one diverging scale of `heatmap`, its figure printed.

    A cell with no value is grey with a dash, never white or 0; the legend under the grid shows the
    scale from −100 to +100 (`scale_words`: the words at its two ends) and the grey of `not_rated`."""
    register_fonts()
    size = 7.0
    n_cols = max(1, len(columns))
    col_w = min(54.0, (width * 0.5) / n_cols)
    label_w = width - n_cols * col_w - 4
    head_size = size - 1
    head_lines = [wrap_label(c, col_w - 2, head_size, 2, BOLD) for c in columns]
    head_h = max((len(lines) for lines in head_lines), default=1) * (size + 1) + 4
    row_h = 9.4
    line_h = size + 0.8
    title_h = 10.5
    wrapped = [[wrap_label(label, label_w - 2, size, 2) for label in labels] for _, labels, _ in sections]
    body_h = sum(title_h + sum(row_h + (len(lines) - 1) * line_h for lines in rows) for rows in wrapped)
    legend_h = 26.0
    height = head_h + body_h + legend_h
    d = Drawing(width, height, initialFontName=FAMILY, initialFontSize=size)
    x0 = label_w + 4
    for i, lines in enumerate(head_lines):
        cx = x0 + i * col_w + col_w / 2
        for j, line in enumerate(reversed(lines)):
            d.add(String(cx, height - head_h + 3 + j * (size + 1), line, fontName=BOLD, fontSize=head_size,
                         fillColor=TEXT, textAnchor="middle"))
    y = height - head_h
    for (title, _, values), rows in zip(sections, wrapped):
        y -= title_h
        d.add(String(0, y + 3, wrap_label(title, width, size, 1, BOLD)[0], fontName=BOLD, fontSize=size,
                     fillColor=AXIS))
        for lines, row in zip(rows, values):
            h = row_h + (len(lines) - 1) * line_h
            y -= h
            for j, line in enumerate(lines):
                d.add(String(0, y + h - 7.2 - j * line_h, line, fontName=FAMILY, fontSize=size, fillColor=TEXT))
            for c in range(n_cols):
                value = row[c] if c < len(row) else None
                d.add(Rect(x0 + c * col_w, y, col_w - 1.5, h - 1, fillColor=_cell_colour(value), strokeColor=None))
                text = _score_text(value) if value is not None else "–"
                colour = colors.white if value is not None and abs(value) > 55 else (AXIS if value is None else TEXT)
                d.add(String(x0 + c * col_w + col_w / 2, y + h / 2 - size / 3, text, fontName=FAMILY, fontSize=size,
                             fillColor=colour, textAnchor="middle"))
    # The legend: the scale in steps from −100 to +100, and the grey of "not rated" beside it.
    steps = [-100, -75, -50, -25, 0, 25, 50, 75, 100]
    step_w = 14.0
    ly = 8.0
    lx = 0.0
    for i, v in enumerate(steps):
        d.add(Rect(lx + i * step_w, ly, step_w, 8, fillColor=_cell_colour(v), strokeColor=None))
    for v, anchor in ((-100, "start"), (0, "middle"), (100, "end")):
        x = lx + steps.index(v) * step_w + (0 if anchor == "start" else step_w / 2 if anchor == "middle" else step_w)
        d.add(String(x, 0, _score_text(v) if v else "0", fontName=FAMILY, fontSize=size - 1, fillColor=AXIS,
                     textAnchor=anchor))
    d.add(String(lx, ly + 10, scale_words[0], fontName=FAMILY, fontSize=size - 1, fillColor=AXIS))
    d.add(String(lx + len(steps) * step_w, ly + 10, scale_words[1], fontName=FAMILY, fontSize=size - 1,
                 fillColor=AXIS, textAnchor="end"))
    gx = lx + len(steps) * step_w + 14
    d.add(Rect(gx, ly, 12, 8, fillColor=NOT_RATED, strokeColor=None))
    d.add(String(gx + 6, ly + 1.5, "–", fontName=FAMILY, fontSize=size - 1, fillColor=AXIS, textAnchor="middle"))
    d.add(String(gx + 16, ly + 1.5, not_rated, fontName=FAMILY, fontSize=size - 1, fillColor=AXIS))
    return d
