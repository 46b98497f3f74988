"""PDF build time: the example report, and a report of a 500-criterion assessment; and the example's HTML twin.

The floor is "a bare reportlab document with the same paragraphs and tables".
To get exactly those, the report is built once with reportlab's
`BaseDocTemplate.build` wrapped so that the story it is handed is copied out;
the floor then lays out fresh Paragraphs (same text, same style, so the same
fonts) and Tables (same cells) in one `SimpleDocTemplate.build` pass: no
charts, no table of contents, no page templates, no second pass. What the
ratio shows is therefore what the report adds on top of setting its own text.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Iterator
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from assessment.answers.model import Assessment

from .context import Context, example_assessment, need_module
from .gen import fill_assessment, fill_to_bounds, generate_checklist
from .harness import NotMeasured, Row, interleaved, scaled, stats

__all__ = ["captured_story", "bare_document", "example_report", "example_html", "large_report", "bounded_report"]


@contextlib.contextmanager
def captured_story() -> Iterator[list[Any]]:
    """While active, the flowables of the first `build` call of any reportlab document are collected."""
    story: list[Any] = []
    original = BaseDocTemplate.build

    def capture(self: BaseDocTemplate, flowables: list[Any], *args: Any, **kwargs: Any) -> Any:
        if not story:
            story.extend(flowables)
        return original(self, flowables, *args, **kwargs)

    BaseDocTemplate.build = capture  # type: ignore[method-assign]
    try:
        yield story
    finally:
        BaseDocTemplate.build = original  # type: ignore[method-assign]


def _cell(value: Any) -> Any:
    if isinstance(value, Paragraph):
        return Paragraph(value.text, value.style)
    if isinstance(value, Table):
        return _table(value)
    if isinstance(value, (list, tuple)):
        return [_cell(v) for v in value if isinstance(v, (Paragraph, Table, str))]
    return value if isinstance(value, str) else ("" if value is None else str(value))


_GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.25, "#999999"), ("VALIGN", (0, 0), (-1, -1), "TOP")])


def _table(t: Table) -> Table:
    data = [[_cell(v) for v in row] for row in t._cellvalues]
    return Table(data, colWidths=t._argW, repeatRows=t.repeatRows, style=_GRID)


def _flatten(flowables: list[Any]) -> Iterator[Any]:
    """The paragraphs and tables of a story, looking inside KeepTogether and similar containers."""
    for f in flowables:
        if isinstance(f, Paragraph):
            yield Paragraph(f.text, f.style)
        elif isinstance(f, Table):
            yield _table(f)
        else:
            inner = getattr(f, "_content", None) or getattr(f, "_flowables", None)
            if isinstance(inner, (list, tuple)):
                yield from _flatten(list(inner))


def bare_document(story: list[Any]) -> Callable[[], bytes]:
    """A function that builds the floor document of `story` and returns its bytes."""
    def build() -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=A4)
        doc.build(list(_flatten(story)))
        return out.getvalue()
    return build


def _measure(ctx: Context, a: Assessment, n: int, lang: str = "sv",
             comments: list[Any] | None = None) -> tuple[list[float], list[float], int, int]:
    reports = need_module("reports", "the PDF report")
    render = getattr(reports, "render_report", None)
    if render is None:
        raise NotMeasured("reports.render_report does not exist yet")
    result = need_module("assessment.scoring.scoring", "the scoring engine").score(a)

    def ours() -> bytes:
        out = io.BytesIO()
        render(a, out, lang=lang, result=result, **({"comments": comments} if comments is not None else {}))
        return out.getvalue()

    with captured_story() as story:
        start = time.perf_counter()
        pdf = ours()
        first = time.perf_counter() - start
    if not story:
        raise NotMeasured("render_report did not build through reportlab's document templates; no floor to compare")
    floor = bare_document(story)
    start = time.perf_counter()
    floor_pdf = floor()
    first_floor = time.perf_counter() - start
    if n == 0:  # quick mode: the first builds are the only samples
        return [first], [first_floor], _pages(pdf), _pages(floor_pdf)
    ours_s, base_s = interleaved(ours, floor, n, warmup=0)
    return ours_s, base_s, _pages(pdf), _pages(floor_pdf)


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def example_report(ctx: Context) -> Row:
    a = example_assessment()
    ours, base, pages, floor_pages = _measure(ctx, a, ctx.n(10, 2))
    o, b = stats(ours), stats(base)
    return Row(measure="PDF: the example report", unit="s", figures=scaled(o, 1.0), floor=scaled(b, 1.0),
               floor_name="bare reportlab document, same paragraphs and tables, one pass",
               samples=o.n, note=f"{pages} pages (floor {floor_pages}); {a.checklist.id}, scored once outside the timing")


def example_html(ctx: Context) -> Row:
    """The example report's accessible HTML twin. Floor: the report model alone (`reports.document.report_model`),
    which the PDF builds too: the ratio is what writing the HTML, its charts as SVG included, adds."""
    reports = need_module("reports", "the report")
    render = getattr(reports, "render_report_html", None)
    if render is None:
        raise NotMeasured("reports.render_report_html does not exist yet")
    from reports.document import report_model

    a = example_assessment()
    result = need_module("assessment.scoring.scoring", "the scoring engine").score(a)

    def ours() -> bytes:
        out = io.BytesIO()
        render(a, out, lang="sv", result=result)
        return out.getvalue()

    def floor() -> Any:
        return report_model(a, "sv", result)

    size = len(ours())
    ours_s, base_s = interleaved(ours, floor, max(1, ctx.n(20, 2)), warmup=1)
    o, b = stats(ours_s), stats(base_s)
    return Row(measure="HTML: the example report's accessible twin", unit="s", figures=scaled(o, 1.0),
               floor=scaled(b, 1.0), floor_name="the report model alone (which the PDF builds too)",
               samples=o.n, note=f"{size:,} bytes, charts inline as SVG; {a.checklist.id}, scored once outside the timing")


def large_report(ctx: Context) -> Row:
    checklist = generate_checklist(500)
    a = fill_assessment(checklist, seed=1)
    ours, base, pages, floor_pages = _measure(ctx, a, ctx.n(2, 0))
    o, b = stats(ours), stats(base)
    return Row(measure="PDF: the 500-criterion report", unit="s", figures=scaled(o, 1.0), floor=scaled(b, 1.0),
               floor_name="bare reportlab document, same paragraphs and tables, one pass",
               samples=o.n, note=f"{pages} pages (floor {floor_pages}); generated checklist, both alternatives answered")


def bounded_report(ctx: Context) -> Row:
    """The report of the largest assessment SKB's bounds allow: 1,000 questions, and every count and the
    whole text budget spent (benchmarks/gen.py `fill_to_bounds`). Sign-off builds it synchronously, so
    this is the longest a sign-off can wait for its report."""
    from assessment.answers.model import Bounds

    checklist = generate_checklist(Bounds.CRITERIA)
    a = fill_to_bounds(checklist, seed=1)
    # The report prints the review thread as well: the file's comments, then a full thread of posts.
    words = "Åtgärden vid busshållplatsen behöver en ansvarig förvaltning och ett datum för uppföljning. "
    each = Bounds.THREAD_TEXT // Bounds.POSTS
    posts = [c.model_copy(update={"id": f"post{i}", "text": (words * (each // len(words) + 1))[:each]})
             for i, c in enumerate(a.comments[:Bounds.POSTS])]
    ours, base, pages, floor_pages = _measure(ctx, a, ctx.n(2, 0), comments=[*a.comments, *posts])
    o, b = stats(ours), stats(base)
    return Row(measure="PDF: the largest assessment the bounds allow", unit="s", figures=scaled(o, 1.0),
               floor=scaled(b, 1.0), floor_name="bare reportlab document, same paragraphs and tables, one pass",
               samples=o.n, note=f"{pages} pages (floor {floor_pages}); {Bounds.CRITERIA:,} questions, "
                                 f"{len(a.measures)} measures, {len(a.participation)} participation records, "
                                 f"{len(a.comments)} comments, {Bounds.TOTAL_TEXT:,} characters of text; "
                                 f"a review thread of {len(posts)} posts, {Bounds.THREAD_TEXT:,} characters")
