"""The comparison appendix: two assessments, or two alternatives of one, side by side as a PDF.

`render_comparison` writes a short document (bilaga) that can go with either
report: who and what is compared, then tables of the overall score, sections,
policy areas and other framework items, groups, the equity gap, coverage and
counts, each with both sides and the difference, and a chart of the policy
areas. The figures come from `assessment.scoring.compare`; this module only lays them
out. Every piece of user text passes through `para`/`plain`; it never touches
files other than `out`, and never imports streamlit.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from assessment.answers.model import Assessment
from assessment.errors import ReportError
from assessment.scoring.compare import Comparison, Row, compare

from .toolkit.charts import bar_chart
from .context import ASSESSOR_SEPARATOR, fmt_score
from .toolkit.fonts import FAMILY, register_fonts
from .i18n import msg
from .toolkit.layout import Heading, ReportDocument, numbered_canvas
from .toolkit.markup import para, plain, shorten
from .toolkit.styles import ACCENT, FRAME_WIDTH, RULE, SHADE, styles

__all__ = ["render_comparison"]

DIFFERENCE = "B − A"  # the difference column: a formula, the same in every language

def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FAMILY, 8),  # reportlab's cell default is Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
    ]))
    return table


def _diff(value: float | None) -> str:
    if value is None:
        return "–"
    return fmt_score(value)


def _figures(c: Comparison, rows: list[Row], lang: str, percent: bool = False) -> Table:
    st = styles()
    head = ["", "A", "B", DIFFERENCE]
    out = [[Paragraph(para(h), st.cell_head) for h in head]]
    for r in rows:
        def cell(v: float | None) -> str:
            if v is None:
                return "–"
            return f"{v:.0f}" if percent or r.block == "counts" else fmt_score(v)
        out.append([Paragraph(para(r.label), st.cell), Paragraph(cell(r.a), st.cell), Paragraph(cell(r.b), st.cell),
                    Paragraph(_diff(r.difference) if not percent else
                              ("–" if r.difference is None else f"{r.difference:+.0f}".replace("-", "−")), st.cell)])
    return _table(out, [FRAME_WIDTH - 3 * 70, 70, 70, 70])


def _who(c: Comparison, lang: str) -> list[Flowable]:
    st = styles()
    head = ["", "A", "B"]
    rows = [[Paragraph(h, st.cell_head) for h in head]]

    def meta(side: Any) -> list[str]:
        m = side.assessment.metadata
        status = msg(lang, f"common.status_{m.status.value}")
        if m.adopted_at:
            status = msg(lang, "common.adopted_on_by", date=m.adopted_at.isoformat(), by=m.adopted_by or "")
        return [m.title, side.alternative_label, m.municipality or "–", status]

    labels = [msg(lang, "report.compare_assessment"), msg(lang, "common.alternative"), msg(lang, "common.municipality"), msg(lang, "common.status")]
    for label, x, y in zip(labels, meta(c.a), meta(c.b)):
        rows.append([Paragraph(para(label), st.cell_head), Paragraph(para(x), st.cell), Paragraph(para(y), st.cell)])
    table = Table(rows, colWidths=[110, (FRAME_WIDTH - 110) / 2, (FRAME_WIDTH - 110) / 2], hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FAMILY, 8), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                               ("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
    return [table]


def render_comparison(a: Assessment, b: Assessment, out: BinaryIO, lang: str = "sv", alt_a: str | None = None,
                      alt_b: str | None = None, comparison: Comparison | None = None) -> None:
    """Write the comparison of `a` and `b` (their proposals, or `alt_a`/`alt_b`) as a PDF to `out`.

    Two alternatives of one assessment: pass it as both `a` and `b` with the
    alternatives. Raises ReportError when the document cannot be built."""
    register_fonts()
    c = comparison or compare(a, b, lang=lang, alt_a=alt_a, alt_b=alt_b)
    st = styles()
    keys = iter(range(10_000))

    def heading(words: str, level: int = 0) -> Heading:
        return Heading(words, st.h1 if level == 0 else st.h2, level, f"c{next(keys)}")

    story: list[Flowable] = [
        Paragraph(para(msg(lang, "report.compare_kind")), st.subtitle),
        Paragraph(para(msg(lang, "report.compare_title")), st.title),
        Paragraph(para(f"A: {c.a.label}"), st.big),
        Paragraph(para(f"B: {c.b.label}"), st.big),
        Spacer(1, 6),
        heading(msg(lang, "report.compare_what")),
        *_who(c, lang),
        Spacer(1, 6),
        Paragraph(para(msg(lang, "report.compare_note")), st.muted),
        heading(msg(lang, "common.compare_overall")),
        _figures(c, c.block("overall") + c.block("equity"), lang),
    ]
    verdicts = [msg(lang, f"report.verdict_{v}") for v in c.verdicts]
    story.append(Paragraph(para(f"A: {verdicts[0]}"), st.small))
    story.append(Paragraph(para(f"B: {verdicts[1]}"), st.small))
    # The policy areas (by the checklists' mark) first, then every other framework, each under its own title.
    for fid in sorted(c.frameworks, key=lambda f: f not in c.policy):
        rows = c.block("dimension", fid)
        if not rows:
            continue
        story.append(heading(c.framework_titles.get(fid) or fid))
        if fid in c.policy and any(r.a is not None or r.b is not None for r in rows):
            story.append(bar_chart([(shorten(r.label, 80), [r.a, r.b]) for r in rows], ["A", "B"], FRAME_WIDTH,
                                   msg(lang, "report.not_rated")))
            story.append(Spacer(1, 6))
        story.append(_figures(c, rows, lang))
    if c.block("section"):
        story += [heading(msg(lang, "common.sections")), _figures(c, c.block("section"), lang)]
    if c.block("group"):
        story += [heading(msg(lang, "report.compare_groups")), _figures(c, c.block("group"), lang)]
    story += [heading(msg(lang, "common.evidence")), _figures(c, c.block("coverage") + c.block("counts"), lang,
                                                      percent=True)]
    title = plain(f"{msg(lang, 'report.compare_title')}: {c.a.label} / {c.b.label}")
    people = dict.fromkeys([*c.a.assessment.metadata.assessors, *c.b.assessment.metadata.assessors])
    author = ASSESSOR_SEPARATOR.join(people) or c.a.assessment.metadata.municipality or c.b.assessment.metadata.municipality
    doc = ReportDocument(out, title=title, author=plain(author), subject=plain(msg(lang, "report.compare_kind")), creator="SKB",
                         lang=lang)
    try:
        doc.multiBuild(story, canvasmaker=numbered_canvas(msg(lang, "report.page_of", page="{page}", pages="{pages}"),
                                                          shorten(msg(lang, "report.compare_title"), 40)))
    except LayoutError as exc:
        raise ReportError(f"the comparison could not be built: {exc}") from exc
