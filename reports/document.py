"""The report: one renderer for the CLI (`skb report`) and the wizard's download button.

`render_report` turns an assessment (and its scoring result) into a PDF: a
cover, a one-page summary for decision-makers ending in questions to ask, the
table of contents, charts, one chapter per checklist section (with the
review's comments under each question), equity, participation, measures and
follow-up, flags and gaps, the review (granskning) and a method appendix.

This module only assembles the report. The parts live beside it:
- `reports.toolkit.layout`, the page-layout toolkit: the document, its numbered pages, headings that feed the
  contents and the bookmarks, the contents page, the house table;
- `reports.context`, what every chapter reads (`ReportContext`: the assessment, its result, the
  language, the labels of the checklist's things) and the one way scores and dates are shown;
- `reports.chapters`, one module per part: cover, summary, contents, charts, criteria (the section
  chapters), equity, participation, measures, flags, review and method.

Every piece of user text passes through `reports.toolkit.markup.para` (or `plain` for
bookmarks and chart labels); every sentence assembled from pieces goes through
`reports.prose`, so no "?." is printed and labels read in lower case mid-sentence. The report reads the
assessment and the result; it never scores by itself beyond calling `assessment.scoring.scoring.score` when no
result is given, never touches files other than `out`, and never imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from assessment.answers.model import Assessment
from assessment.scoring.results import Result
from assessment.scoring.scoring import score
from assessment.scoring.summary import summarize
from assessment.store.integrity import BODY_MARK, body_digest

from .chapters.charts import charts_chapter
from .chapters.contents import contents_page
from .chapters.cover import cover_page
from .chapters.criteria import section_chapters
from .chapters.equity import equity_chapter
from .chapters.flags import flags_chapter
from .chapters.measures import measures_chapter
from .chapters.method import drivers_appendix, method_appendix
from .chapters.participation import participation_chapter
from .chapters.review import review_chapter
from .chapters.summary import assessors_summary_page, summary_page
from .context import ASSESSOR_SEPARATOR, ReportContext, fmt_score, group_name
from .toolkit.fonts import register_fonts
from .i18n import msg
from .toolkit.html import write_html
from .toolkit.layout import Heading, ReportDocument, numbered_canvas
from .toolkit.markup import plain, shorten
from .toolkit.model import Block, ReportModel, walk
from .toolkit.model import Heading as ModelHeading
from .toolkit.pdf import write_pdf

# `ReportContext`, `fmt_score`, `ReportDocument`, `numbered_canvas`, `Heading` and `group_name` were defined
# here before the report was split into its parts; they are still importable from here.
__all__ = ["render_report", "render_report_html", "report_model", "ReportContext", "fmt_score", "ReportDocument", "numbered_canvas", "Heading", "group_name"]


def report_model(assessment: Assessment, lang: str = "sv", result: Result | None = None,
                 comments: Sequence[Any] | None = None, checklist_note: str | None = None) -> ReportModel:
    """The report as a model (`reports.toolkit.model`): what the PDF and the HTML twin are both rendered from.

    The arguments are `render_report`'s."""
    if result is None:

        result = score(assessment)
    posts = tuple(assessment.comments if comments is None else comments)
    ctx = ReportContext(assessment, result, lang, comments=posts, checklist_note=checklist_note,
                        summary=summarize(assessment, result, lang))
    summary = summary_page(ctx)
    body: list[Block] = [
        *assessors_summary_page(ctx),
        *charts_chapter(ctx),
        *section_chapters(ctx),
        *equity_chapter(ctx),
        *participation_chapter(ctx),
        *measures_chapter(ctx),
        *flags_chapter(ctx),
        *review_chapter(ctx),
        *method_appendix(ctx),
        *drivers_appendix(ctx),
    ]
    blocks = [*cover_page(ctx), *summary, *contents_page(ctx), *body]
    _unique_headings(blocks)
    m = assessment.metadata
    title = plain(m.title)
    return ReportModel(
        lang=lang,
        title=title,
        blocks=blocks,
        author=plain(ASSESSOR_SEPARATOR.join(m.assessors) or m.municipality),
        subject=plain(msg(lang, "report.subject", title=title)),
        # The body's digest: an adopted report names the exact assessment it was built from, so that an
        # export of it can be checked elsewhere (assessment/store/integrity.py, check_adoption).
        keywords=[plain(m.municipality), plain(ctx.text(ctx.checklist.title)),
                  BODY_MARK + body_digest(assessment.model_dump(mode="json", by_alias=True, exclude_none=True))],
        footer=shorten(" · ".join(x for x in (m.municipality, m.title) if x), 90),
        page_label=msg(lang, "report.page_of", page="{page}", pages="{pages}"),
        cover_pages=1,
    )


def _unique_headings(blocks: list[Block]) -> None:
    """No two headings read the same in the contents and the bookmarks: a checklist's section may carry a
    title the report also uses ("Delaktighet"), or two records the same method; a repeat is numbered."""
    seen: dict[str, int] = {}
    for h in (b for b in walk(blocks) if isinstance(b, ModelHeading)):
        n = seen.get(h.text, 0) + 1
        seen[h.text] = n
        if n > 1:
            h.text = f"{h.text} ({n})"


def render_report(assessment: Assessment, out: BinaryIO, lang: str = "sv", result: Result | None = None,
                  comments: Sequence[Any] | None = None, checklist_note: str | None = None) -> None:
    """Write the full PDF report of `assessment` to the binary stream `out`.

    `result` is the scoring result; when None the assessment is scored here.
    `comments` are the review's posts to print (each with id, criterion,
    author, at, text, reply_to, kind, such as `assessment.workflow.review.Thread.comments`);
    when None, the comments stored in the assessment (`assessment.comments`).
    `lang` is "sv" or "en": the report's own words come from `reports.i18n`,
    the checklist's labels in that language (falling back to the checklist's
    default language). `checklist_note` is printed on the cover under the checklist: the
    caller's `assessment.checklist.library.origin_note` for a snapshot that is a modified copy of an
    installed checklist (the report itself reads no files). Raises ReportError when the
    report cannot be built."""
    register_fonts()
    write_pdf(report_model(assessment, lang, result, comments, checklist_note), out)


def render_report_html(assessment: Assessment, out: BinaryIO, lang: str = "sv", result: Result | None = None,
                       comments: Sequence[Any] | None = None, checklist_note: str | None = None) -> None:
    """Write the report's accessible HTML twin (UTF-8) to `out`: the same model as the PDF, as one page."""
    register_fonts()
    out.write(write_html(report_model(assessment, lang, result, comments, checklist_note)).encode("utf-8"))
