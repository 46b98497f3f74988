"""The shipped examples and their reports, built once per test process and read by every report test.

Building a report is the dearest step of the suite, and the report, prose, HTML and summary tests each read
the same six (three examples, Swedish and English) in their own ways. Here each is built once, through
`reports.render_report` and `reports.render_report_html` as conftest wraps them (so the summary cross-check
runs on each), and kept as bytes: a test that reads a report cannot change it for the next one. An
assessment is parsed afresh for each caller, so a test may change its own copy.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import reports
from assessment.answers.model import Assessment, parse_assessment
from assessment.checklist.library import resolve_checklist
from render import page_texts

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
BY_NAME = {p.stem: p for p in EXAMPLES}


def example(name: str) -> Assessment:
    """The example `name` (its file's stem), parsed afresh."""
    path = BY_NAME[name]
    return parse_assessment(path.read_bytes(), path.name, resolve=resolve_checklist)


@functools.cache
def example_pdf(name: str, lang: str) -> bytes:
    """The example's report in `lang`, as the PDF bytes (built once)."""
    out = io.BytesIO()
    reports.render_report(example(name), out, lang=lang)
    return out.getvalue()


@functools.cache
def example_html(name: str, lang: str) -> str:
    """The example's report in `lang`, as its HTML twin (built once)."""
    out = io.BytesIO()
    reports.render_report_html(example(name), out, lang=lang)
    return out.getvalue().decode("utf-8")


@functools.cache
def example_pages(name: str, lang: str) -> tuple[str, ...]:
    """The text of each page of the example's PDF report in `lang`."""
    return tuple(page_texts(example_pdf(name, lang)))
