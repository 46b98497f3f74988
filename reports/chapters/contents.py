"""The table of contents, seeded with the report's own headings (`reports.layout.HeadingContents`)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, PageBreak, Paragraph, TableStyle

from ..context import ReportContext
from ..fonts import FAMILY
from ..layout import Heading, HeadingContents
from ..markup import para


def contents_page(ctx: ReportContext, headings: Sequence[Heading]) -> list[Flowable]:
    toc = HeadingContents(headings, dotsMinLevel=0,
                          tableStyle=TableStyle([("FONT", (0, 0), (-1, -1), FAMILY, 9),
                                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                                 ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    toc.levelStyles = [ctx.st.toc0, ctx.st.toc1]
    return [Paragraph(para(ctx.t("toc_title")), ctx.st.h1), toc, PageBreak()]
