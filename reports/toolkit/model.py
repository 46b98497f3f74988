"""The report as a model: what both renderers, the PDF and the accessible HTML twin, read.

The chapters (`reports.chapters`) build a list of blocks: headings, paragraphs, bulleted or
numbered items, tables with header cells, figures with their text alternative and their data as
a table, and a few layout hints the PDF needs (a page break, keep together, shrink onto one page,
two columns). `reports.toolkit.pdf` turns the blocks into reportlab flowables and `reports.toolkit.html` into
HTML, so the two documents say the same things in the same order and cannot diverge.

Text in a block is *inline markup*: user text escaped by `reports.toolkit.markup.para` and at most the
tags `<b>`, `<i>`, `<br/>` and `<font color='#5a6270'>` (muted text) that the report itself adds.
Both renderers read exactly that: reportlab as its paragraph markup, the HTML renderer by
translating those four tags and escaping anything else. Headings and alt texts are plain text.
This module draws nothing and imports no renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MUTED_OPEN", "Block", "Break", "Columns", "Contents", "Figure", "Heading", "Items", "Keep", "OnePage",
           "Para", "ReportModel", "Space", "Table", "walk"]

MUTED_OPEN = "<font color='#5a6270'>"  # the one colour tag of the inline markup: muted text


@dataclass
class Heading:
    text: str  # plain text
    level: int  # 0 a chapter, 1 a sub-chapter
    key: str  # unique in the report: the PDF's bookmark, the HTML's id
    toc: bool = True


@dataclass
class Para:
    markup: str
    style: str = "body"  # a style of `reports.toolkit.styles.Styles` (body, small, muted, summary_head, ...)
    bullet: str | None = None  # "•" or "–" for an item of a list, "1." for a numbered one

    @property
    def numbered(self) -> bool:
        return self.bullet is not None and self.bullet.rstrip(".").isdigit()


@dataclass
class Items:
    """A list as one block (the HTML renderer also groups consecutive bulleted `Para`s into a list)."""

    items: list[str]
    style: str = "bullet"
    numbered: bool = False


@dataclass
class Table:
    rows: list[list[str]]  # inline markup per cell
    widths: Sequence[float]  # points, for the PDF
    head: bool = True  # the first row holds the column headers
    zebra: bool = True
    row_heads: bool = False  # the first cell of each row names the row
    kind: str = "house"  # "house" (the report's table) or "facts" (the cover's key–value list)
    caption: str = ""  # plain text: the HTML table's caption (the PDF prints none)


@dataclass
class Figure:
    """A chart: drawn for the PDF and as an image in the HTML, with its text alternative and its data."""

    draw: Callable[[], Any]  # returns a reportlab Drawing
    alt: str  # plain text: what the chart shows, in one or two sentences
    data: Table | None = None  # the chart's figures as a table (printed in the HTML under the image)
    caption: str = ""  # inline markup, printed under the chart in both


@dataclass
class Break:
    """A page break in the PDF (nothing in the HTML)."""


@dataclass
class Space:
    height: float


@dataclass
class Keep:
    blocks: list[Block]


@dataclass
class OnePage:
    """Blocks that must fit one page: the PDF shrinks them onto it (the HTML shows them as a section)."""

    blocks: list[Block]
    name: str = "page"


@dataclass
class Columns:
    left: list[Block]
    right: list[Block]
    left_width: float  # points


@dataclass
class Contents:
    """The table of contents: every heading of the report with `toc`, and its page in the PDF."""

    title: str


Block = Heading | Para | Items | Table | Figure | Break | Space | Keep | OnePage | Columns | Contents


@dataclass
class ReportModel:
    lang: str
    title: str  # plain
    blocks: list[Block]
    author: str = ""
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    footer: str = ""  # plain: the PDF's left footer
    page_label: str = "{page} / {pages}"  # the PDF's right footer
    cover_pages: int = 1  # pages before page 1: no footer, no number

    def headings(self) -> list[Heading]:
        return [b for b in walk(self.blocks) if isinstance(b, Heading)]


def walk(blocks: Sequence[Block]) -> list[Block]:
    """Every block, containers opened, in reading order."""
    out: list[Block] = []
    for b in blocks:
        out.append(b)
        if isinstance(b, (Keep, OnePage)):
            out += walk(b.blocks)
        elif isinstance(b, Columns):
            out += walk(b.left) + walk(b.right)
    return out
