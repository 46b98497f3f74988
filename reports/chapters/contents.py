"""The table of contents: a `Contents` block, laid out by each renderer from the report's headings.

In the PDF it is the contents page with page numbers (`reports.toolkit.layout.HeadingContents`); in the
HTML a list of links to the chapters.
"""

from __future__ import annotations

from ..i18n import msg
from ..context import ReportContext
from ..toolkit.model import Block, Contents


def contents_page(ctx: ReportContext) -> list[Block]:
    return [Contents(msg(ctx.lang, "report.toc_title"))]
