"""The page-layout toolkit of SKB's PDFs: the canvas, the document, headings, contents and tables.

What every PDF here is built on (the report, the comparison appendix, the letter to participants):
a one-frame A4 `ReportDocument` whose `Heading`s become contents entries and bookmarks, a canvas
that numbers its pages "Sida 3 av 12" (`numbered_canvas`), the table of contents whose page
numbers are drawn once every heading has found its page (`HeadingContents`), and the house table.
It knows nothing of assessments or languages; the words come from the caller.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from .fonts import FAMILY
from .markup import para, plain
from .styles import ACCENT, FRAME_HEIGHT, FRAME_WIDTH, INK, MARGIN, MUTED, PAGE, RULE, SHADE

__all__ = ["Heading", "HeadingContents", "ReportDocument", "no_stranded_headings", "numbered_canvas", "table",
           "toc_form_name"]


class _NumberedCanvas(Canvas):
    """A canvas that holds its pages until the end, so each footer can say "Sida 3 av 12"."""

    def __init__(self, *args: Any, page_label: str = "{page} / {pages}", footer_left: str = "", cover: int = 0,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._cover = cover  # pages before page 1 (the cover): no footer, and not counted
        self._page_label = page_label
        self._footer_left = footer_left
        self._pages: list[dict[str, Any]] = []
        self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []
        self.heading_pages: dict[str, int] = {}  # heading key -> page, filled as headings are placed
        self.toc_numbers: dict[str, tuple[str, float]] = {}  # heading key -> font of its contents line

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # noqa: N802 (reportlab's name)
        # A bookmark names the page being written; pages are written only at save,
        # so the bookmark waits with its page.
        self._page_bookmarks.append((key, kwargs))

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        if self._cover:
            # The PDF viewer's page labels match the printed numbers: the cover is "i", then 1, 2, …
            self.addPageLabel(0, style="ROMAN_LOWER", start=1)
            self.addPageLabel(self._cover, style="ARABIC", start=1)
        seen: set[str] = set()
        for state in self._pages:
            self.__dict__.update(state)
            for key, kwargs in self._page_bookmarks:
                if key not in seen:  # a heading placed twice (a pass that re-flowed it) is bookmarked once
                    seen.add(key)
                    super().bookmarkPage(key, **kwargs)
            if self._pageNumber > self._cover:
                self._draw_footer(total - self._cover)
            super().showPage()
        # The contents page was drawn before later pages existed; its page numbers are
        # forms, defined here now that every heading has found its page.
        for key, (font, size) in self.toc_numbers.items():
            self.beginForm(toc_form_name(key), -60, -4, 0, size + 4)
            self.setFont(font, size)
            self.setFillColor(INK)
            page = self.heading_pages.get(key)
            self.drawRightString(0, 0, str(page - self._cover) if page is not None else "?")
            self.endForm()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(FAMILY, 7.5)
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        y = MARGIN * 0.55
        self.line(MARGIN, y + 9, PAGE[0] - MARGIN, y + 9)
        self.drawRightString(PAGE[0] - MARGIN, y, self._page_label.format(page=self._pageNumber - self._cover,
                                                                          pages=total))
        if self._footer_left:
            self.drawString(MARGIN, y, self._footer_left)
        self.restoreState()


def toc_form_name(key: str) -> str:
    return f"skbtoc{key}"


def numbered_canvas(page_label: str, footer_left: str = "", cover: int = 0) -> Any:
    """A canvasmaker for `BaseDocTemplate.build`: pages numbered "page of pages", a plain-text left footer.

    `cover`: the first pages (a cover) carry no footer and are not counted, in print or in the viewer."""
    return functools.partial(_NumberedCanvas, page_label=page_label, footer_left=footer_left, cover=cover)


class Heading(Paragraph):
    """A heading that also becomes a table-of-contents entry and a PDF bookmark.

    `text` is the plain (unescaped) heading: escaped for the paragraph and the
    contents, given as is to the outline, which is not markup."""

    def __init__(self, text: str, style: Any, level: int, key: str, toc: bool = True):
        self.plain_text = " ".join(plain(text).split())
        super().__init__(para(self.plain_text), style)
        self.level = level
        self.key = key
        self.toc = toc


class ReportDocument(BaseDocTemplate):
    """A one-frame A4 document whose headings feed the table of contents and the outline."""

    def __init__(self, out: BinaryIO, **kwargs: Any):
        super().__init__(out, pagesize=PAGE, initialFontName=FAMILY, initialFontSize=9.5, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, **kwargs)
        frame = Frame(MARGIN, MARGIN, FRAME_WIDTH, FRAME_HEIGHT, id="body", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain_text, flowable.key, level=flowable.level,
                                      closed=flowable.level > 0)
            pages = getattr(self.canv, "heading_pages", None)
            if pages is not None:
                pages[flowable.key] = self.page
            if flowable.toc:
                # The page number is not part of the entry: it is drawn from a form (see
                # HeadingContents), so the entries of the first pass already satisfy multiBuild.
                self.notify("TOCEntry", (flowable.level, para(flowable.plain_text), 0, flowable.key))


class HeadingContents(TableOfContents):
    """platypus' TableOfContents, seeded with the story's own headings before the build.

    The standard contents needs a second full pass only to learn the page
    numbers. Here the entries are known from the headings in the story, and
    each page number is a PDF form that the canvas defines when it saves, so
    multiBuild is satisfied after one pass. Should a heading not be placed as
    seeded, multiBuild simply runs another pass, as it would anyway."""

    def __init__(self, headings: Sequence[Heading], **kwargs: Any):
        super().__init__(**kwargs)
        self._seed = [(h.level, para(h.plain_text), 0, h.key) for h in headings if h.toc]

    def beforeBuild(self) -> None:  # noqa: N802 (reportlab's name)
        super().beforeBuild()
        if not self._lastEntries:
            self._lastEntries = list(self._seed)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        size = super().wrap(availWidth, availHeight)

        def entry_end(canvas: Canvas, kind: str, label: str) -> None:
            _, level_text, key_repr = label.split(",", 2)
            level = int(level_text)
            key = key_repr.strip("'\"")
            style = self.getLevelStyle(level)
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            room = availWidth - 24 - x
            dot = " . "
            n = int(room / stringWidth(dot, style.fontName, style.fontSize)) if room > 0 else 0
            if n > 0:
                canvas.setFont(style.fontName, style.fontSize)
                canvas.setFillColor(style.textColor)
                canvas.drawRightString(availWidth - 24, y, dot * n)
            numbers = getattr(canvas, "toc_numbers", None)
            if numbers is None:  # a canvas without deferred pages: fall back to nothing drawn
                return
            numbers[key] = (style.fontName, style.fontSize)
            canvas.saveState()
            canvas.translate(availWidth, y)
            canvas.doForm(toc_form_name(key))
            canvas.restoreState()

        self.canv.setNamedCB("drawTOCEntryEnd", entry_end)
        return size


def _tallest_row(rows: list[list[Any]], widths: Sequence[float]) -> float:
    """An upper estimate of the tallest row's height, from each Paragraph cell's length (no layout: the table
    lays its cells out once, later): characters at 0.6 em each, broken into lines of the column's width."""
    tallest = 0.0
    for row in rows:
        for cell, width in zip(row, widths):
            style = getattr(cell, "style", None)
            if isinstance(cell, Paragraph) and style is not None:
                text = cell.getPlainText()
                per_line = max(1.0, (width - 8) / (0.6 * style.fontSize))
                lines = sum(1 + int(len(part) / per_line) for part in text.split("\n"))
                tallest = max(tallest, lines * style.leading + 5.5)
    return tallest


def table(rows: list[list[Any]], widths: Sequence[float], head: bool = True, zebra: bool = True) -> Table:
    """A table of Paragraph cells that wraps text and repeats its head.

    A row is never split across pages (a measure and its owner stay on one page), unless one row alone
    is taller than most of a page, which only a text at the bounds' length makes: that row may split."""
    split = 1 if _tallest_row(rows, widths) > FRAME_HEIGHT * 0.8 else 0
    grid = Table(rows, colWidths=list(widths), repeatRows=1 if head else 0, splitInRow=split, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), FAMILY, 8),  # reportlab's cell default is Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if head:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT)]
    if zebra:
        for r in range(2 if head else 1, len(rows), 2):
            style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#fafbfc")))
    grid.setStyle(TableStyle(style))
    return grid


def no_stranded_headings(flowables: list[Flowable]) -> list[Flowable]:
    """A chapter does not start in the last quarter of a page, nor a sub-chapter in the last eighth."""
    out: list[Flowable] = []
    for f in flowables:
        if isinstance(f, Heading) and not (out and isinstance(out[-1], PageBreak)):
            out.append(CondPageBreak(FRAME_HEIGHT / 4 if f.level == 0 else FRAME_HEIGHT / 8))
        out.append(f)
    return out
