"""The report's style sheet: page geometry, colours and paragraph styles, as data.

Every style uses the DejaVu Sans family registered by `reports.toolkit.fonts`, so bold,
italic and non-Latin names render the same in body text, tables, the table of
contents and the charts. Headings keep with what follows (no orphan headings).
This module holds no state and draws nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from .fonts import BOLD, FAMILY, register_fonts

__all__ = ["PAGE", "MARGIN", "FRAME_WIDTH", "FRAME_HEIGHT", "INK", "MUTED", "RULE", "ACCENT", "SHADE",
           "Styles", "styles"]

PAGE = A4
MARGIN = 20 * mm
FOOTER = 12 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
FRAME_HEIGHT = PAGE[1] - 2 * MARGIN

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#5a6270")
RULE = colors.HexColor("#c8ccd2")
ACCENT = colors.HexColor("#1d5c8f")
SHADE = colors.HexColor("#eef2f6")
WARN = colors.HexColor("#9a3412")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    criterion: ParagraphStyle
    summary_head: ParagraphStyle
    summary_body: ParagraphStyle
    summary_bullet: ParagraphStyle
    bullet: ParagraphStyle
    question: ParagraphStyle
    toc0: ParagraphStyle
    toc1: ParagraphStyle
    big: ParagraphStyle
    big_head: ParagraphStyle
    comment: ParagraphStyle  # a review comment, set in from the answer it discusses
    reply: ParagraphStyle  # a reply, set in under its comment


@functools.cache
def styles() -> Styles:
    """The report's paragraph styles (frozen; built once per process)."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FAMILY, bulletFontName=FAMILY, fontSize=9.5, leading=13, textColor=INK,
                          alignment=TA_LEFT,
                          spaceAfter=4, splitLongWords=1)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11.5, spaceAfter=2),
        muted=ParagraphStyle("muted", parent=body, fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=6),
        cell=ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        cell_head=ParagraphStyle("cell_head", parent=body, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0),
        title=ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=22, leading=27, textColor=ACCENT,
                             spaceAfter=10),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=12, leading=16, textColor=MUTED, spaceAfter=18),
        h1=ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=15, leading=19, textColor=ACCENT,
                          spaceBefore=6, spaceAfter=8, keepWithNext=1),
        h2=ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=11.5, leading=15, textColor=INK,
                          spaceBefore=8, spaceAfter=4, keepWithNext=1),
        criterion=ParagraphStyle("criterion", parent=body, fontName=BOLD, fontSize=9.5, leading=12.5,
                                 spaceBefore=8, spaceAfter=3, keepWithNext=1),
        # The decision page: a little tighter than the body, so it fits one page without shrinking far.
        summary_head=ParagraphStyle("summary_head", parent=body, fontName=BOLD, fontSize=10, leading=12.5,
                                    textColor=ACCENT, spaceBefore=4, spaceAfter=1.5, keepWithNext=1),
        summary_body=ParagraphStyle("summary_body", parent=body, fontSize=9, leading=11.6, spaceAfter=1.5),
        summary_bullet=ParagraphStyle("summary_bullet", parent=body, fontSize=9, leading=11.6, leftIndent=11,
                                      bulletIndent=2, spaceAfter=1.5),
        bullet=ParagraphStyle("bullet", parent=body, fontSize=9.5, leading=12.5, leftIndent=12, bulletIndent=2,
                              spaceAfter=2),
        question=ParagraphStyle("question", parent=body, fontSize=9, leading=11.6, leftIndent=14, bulletIndent=2,
                                spaceAfter=1.5),
        toc0=ParagraphStyle("toc0", parent=body, fontName=BOLD, fontSize=10, leading=14, leftIndent=0,
                            firstLineIndent=0, spaceBefore=3),
        toc1=ParagraphStyle("toc1", parent=body, fontSize=9, leading=12, leftIndent=14, firstLineIndent=0),
        big=ParagraphStyle("big", parent=body, fontSize=12, leading=17, spaceAfter=6),
        big_head=ParagraphStyle("big_head", parent=body, fontName=BOLD, fontSize=14, leading=19, textColor=ACCENT,
                                spaceBefore=10, spaceAfter=4, keepWithNext=1),
        comment=ParagraphStyle("comment", parent=body, fontSize=8.5, leading=11.5, leftIndent=10, spaceAfter=2),
        reply=ParagraphStyle("reply", parent=body, fontSize=8.5, leading=11.5, leftIndent=24, spaceAfter=2),
    )
