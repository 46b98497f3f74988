"""The report model (`reports.toolkit.model`) as a PDF: each block becomes reportlab flowables.

The page furniture (the numbered canvas, the contents, headings as bookmarks, the house table)
is `reports.toolkit.layout`'s; this module only maps blocks onto it. `OnePage` becomes a KeepInFrame
that shrinks rather than spills; `one_page_scale` says how much it has to.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle
from reportlab.platypus.doctemplate import LayoutError

from assessment.errors import ReportError

from .fonts import FAMILY, register_fonts
from .layout import Heading as HeadingFlowable
from .layout import HeadingContents, ReportDocument, no_stranded_headings, numbered_canvas, table
from .model import Block, Break, Columns, Contents, Figure, Heading, Items, Keep, OnePage, Para, ReportModel, Space, Table
from .styles import FRAME_HEIGHT, FRAME_WIDTH, PAGE, RULE, Styles, styles

__all__ = ["flowables", "one_page_scale", "write_pdf"]


def _one_page(page: OnePage, st: Styles, nested: bool = False) -> list[Flowable]:
    """The page's heading, then the rest in a KeepInFrame that shrinks rather than spills."""
    inner = flowables(page.blocks, st, nested)
    head = [f for f in inner[:1] if isinstance(f, HeadingFlowable)]
    room = FRAME_HEIGHT - 4
    for h in head:
        _, hh = h.wrap(FRAME_WIDTH, FRAME_HEIGHT)
        room -= hh + h.getSpaceAfter() + h.getSpaceBefore()
    return [*head, KeepInFrame(FRAME_WIDTH, room, inner[len(head):], mode="shrink")]


def one_page_scale(page: OnePage, st: Styles | None = None) -> float:
    """The size the PDF sets `page` at to fit its one A4 page: 1.0 when it fits as written, 0.9 at 90 %."""
    frame = _one_page(page, st or styles())[-1]
    frame.wrapOn(Canvas(io.BytesIO(), pagesize=PAGE), FRAME_WIDTH, FRAME_HEIGHT)
    return min(1.0, 1.0 / getattr(frame, "_scale", 1.0))


def _cells(rows: list[list[str]], st: Styles, head: bool, row_heads: bool, kind: str) -> list[list[Paragraph]]:
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, markup in enumerate(row):
            header = (head and r == 0) or (row_heads and c == 0)
            style = st.cell_head if header else (st.body if kind == "facts" else st.cell)
            cells.append(Paragraph(markup, style))
        out.append(cells)
    return out


def _table(t: Table, st: Styles) -> Flowable:
    rows = _cells(t.rows, st, t.head, t.row_heads, t.kind)
    if t.kind == "house":
        return table(rows, t.widths, head=t.head, zebra=t.zebra)
    grid = RLTable(rows, colWidths=list(t.widths), hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FAMILY, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return grid


def flowables(blocks: Sequence[Block], st: Styles | None = None, nested: bool = False) -> list[Flowable]:
    """The blocks as flowables (a `Contents` block is left to `write_pdf`).

    `nested`: the flowables go into a table cell, where nothing may be kept together across pages."""
    st = st or styles()
    out: list[Flowable] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(HeadingFlowable(b.text, st.h1 if b.level == 0 else st.h2, b.level, b.key, b.toc))
        elif isinstance(b, Para):
            out.append(Paragraph(b.markup, getattr(st, b.style), bulletText=b.bullet))
        elif isinstance(b, Items):
            for i, item in enumerate(b.items, start=1):
                out.append(Paragraph(item, getattr(st, b.style), bulletText=f"{i}." if b.numbered else "•"))
        elif isinstance(b, Table):
            out.append(_table(b, st))
        elif isinstance(b, Figure):
            parts: list[Flowable] = [b.draw()]
            if b.caption:
                parts.append(Paragraph(b.caption, st.muted))
            out += parts if nested else [KeepTogether(parts)]
        elif isinstance(b, Break):
            out.append(PageBreak())
        elif isinstance(b, Space):
            out.append(Spacer(1, b.height))
        elif isinstance(b, Keep):
            inner = flowables(b.blocks, st, nested)
            out += inner if nested else [KeepTogether(inner)]
        elif isinstance(b, OnePage):
            out += _one_page(b, st, nested)
        elif isinstance(b, Columns):
            grid = RLTable([[flowables(b.left, st, True), flowables(b.right, st, True)]],
                           colWidths=[b.left_width, FRAME_WIDTH - b.left_width], hAlign="LEFT")
            grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FAMILY, 9),  # reportlab's cell default is Helvetica
                                      ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (0, -1), 10), ("RIGHTPADDING", (1, 0), (1, -1), 0),
                                      ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                      ("BACKGROUND", (0, 0), (-1, -1), colors.white)]))
            out.append(grid)
        elif isinstance(b, Contents):
            pass
        else:  # pragma: no cover - a new block kind without a renderer is a programming error
            raise TypeError(f"no PDF rendering for {type(b).__name__}")
        if (len(out) >= 2 and isinstance(out[-1], KeepTogether) and isinstance(out[-2], HeadingFlowable)
                and not nested):
            # A heading keeps with what follows, but reportlab's keepWithNext does not reach into a
            # KeepTogether: the heading joins it, so a chapter title is never left alone at a page's foot.
            kept = out.pop()
            out.append(KeepTogether([out.pop(), *kept._content]))
    return out


def _contents(title: str, headings: list[HeadingFlowable], st: Styles) -> list[Flowable]:
    toc = HeadingContents(headings, dotsMinLevel=0,
                          tableStyle=TableStyle([("FONT", (0, 0), (-1, -1), FAMILY, 9),
                                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                                 ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    toc.levelStyles = [st.toc0, st.toc1]
    return [Paragraph(title, st.h1), toc, PageBreak()]


def write_pdf(model: ReportModel, out: BinaryIO, **doc_kwargs: Any) -> None:
    """Build the PDF of `model` into `out`; raises ReportError when reportlab cannot lay it out."""
    register_fonts()
    st = styles()
    at = next((i for i, b in enumerate(model.blocks) if isinstance(b, Contents)), None)
    if at is None:
        story = flowables(model.blocks, st)
        contents_at: tuple[int, str] | None = None
    else:
        story = flowables(model.blocks[:at], st)
        contents_at = (len(story), model.blocks[at].title)  # type: ignore[union-attr]
        story += flowables(model.blocks[at + 1:], st)
    if contents_at is not None:
        at, title = contents_at
        body = no_stranded_headings(story[at:])
        headings = [HeadingFlowable(h.text, st.h1 if h.level == 0 else st.h2, h.level, h.key, h.toc)
                    for h in model.headings()]
        story = [*story[:at], *_contents(title, headings, st), *body]
    doc = ReportDocument(out, title=model.title, author=model.author, subject=model.subject, creator="SKB",
                         keywords=model.keywords, lang=model.lang, **doc_kwargs)
    try:
        doc.multiBuild(story, canvasmaker=numbered_canvas(model.page_label, model.footer, model.cover_pages))
    except LayoutError as exc:
        raise ReportError(f"the report could not be built: {exc}") from exc
