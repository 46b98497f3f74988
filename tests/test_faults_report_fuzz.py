"""Fault test: whatever a planner types, anywhere in an assessment, the PDF builds and says it back.

The report's own tests fuzz sixteen fields of a small sample. This one walks a
whole assessment of a checklist with every answer type and both alternatives,
and puts arbitrary text (letters of the scripts SKB's users write, mixed with
reportlab markup and XML entities) into every free-text field it holds:
metadata, each motivation and piece of evidence, text answers, measures and
their follow-up notes, participation records and review comments. The PDF must
build, embed no image, and give back, exactly, every field the report prints.
A second test throws any Unicode at all (control characters, emoji, scripts
the font lacks) at every field: the report must still build.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from assessment.checklist.checklist import AnswerType
from assessment.answers.model import Assessment, IndicatorValue, Status
from benchmarks.gen import fill_assessment, generate_checklist

reports = pytest.importorskip("reports", reason="the PDF report (reports/) is not there")
render_report = reports.render_report

# Fields the report does not print (it builds with them all the same): the
# follow-up notes on a measure and the review threads belong to the follow-up
# and review views, not to the decision report.
NOT_PRINTED = {("measure", "note", "text"), ("measure", "note", "author"), ("comment", "author"),
               ("comment", "text")}

Slot = tuple[tuple[str, ...], Any, Any]


def text_slots(a: Assessment) -> Iterator[Slot]:
    """Every free-text field of an assessment: (kind of field, holder, attribute or index)."""
    m = a.metadata
    for name in ("title", "municipality", "plan_type", "adopted_by", "summary"):
        yield ("metadata", name), m, name
    for i in range(len(m.areas)):
        yield ("metadata", "areas"), m.areas, i
    for i in range(len(m.assessors)):
        yield ("metadata", "assessors"), m.assessors, i
    answered = [*a.answers.items(), *((cid, ans) for alt in a.alternatives.values() for cid, ans in alt.items())]
    for cid, ans in answered:
        if a.checklist.criterion(cid).type == AnswerType.TEXT:
            yield ("answer", "text"), ans, "value"
        yield ("answer", "comment"), ans, "comment"
        yield ("answer", "evidence"), ans, "evidence"
    for measure in a.measures:
        for name in ("text", "responsible", "indicator"):
            yield ("measure", name), measure, name
        for note in measure.notes:
            yield ("measure", "note", "text"), note, "text"
            yield ("measure", "note", "author"), note, "author"
        for value in measure.values:
            yield ("measure", "value", "note"), value, "note"
    for record in a.participation:
        for name in ("method", "heard", "changed", "feedback"):
            yield ("participation", name), record, name
        for i in range(len(record.groups)):
            yield ("participation", "group"), record.groups, i
    for comment in a.comments:
        yield ("comment", "author"), comment, "author"
        yield ("comment", "text"), comment, "text"


def base_assessment() -> Assessment:
    """Two steps of fourteen questions (every answer type once), adopted, with an indicator value."""
    a = fill_assessment(generate_checklist(28, 2), seed=11)
    a.metadata.status = Status.ADOPTED
    a.metadata.adopted_at = dt.date(2026, 11, 2)
    a.metadata.adopted_by = "Kommunstyrelsen"
    a.measures[0].values.append(IndicatorValue(date=dt.date(2027, 1, 15), value=42.0, note="Första mätningen"))
    return a


SLOT_COUNT = sum(1 for _ in text_slots(base_assessment()))


def fill(texts: list[str]) -> tuple[Assessment, list[tuple[tuple[str, ...], str]]]:
    a = base_assessment()
    typed = []
    for (kind, holder, key), text in zip(text_slots(a), texts, strict=True):
        if isinstance(holder, list):
            holder[key] = text
        else:
            setattr(holder, key, text)
        typed.append((kind, text))
    return a, typed


def squeeze(text: str) -> str:
    """Without whitespace: a line break or a table cell may split what was typed."""
    return "".join(text.split())


def covered_alphabet() -> str:
    """Printable letters, digits, punctuation and symbols of Latin, Greek and Cyrillic that the report's font draws."""
    from reports.toolkit.fonts import BOLD, FAMILY, register_fonts
    from reportlab.pdfbase.pdfmetrics import getFont

    register_fonts()
    faces = [getFont(name).face for name in (FAMILY, BOLD)]
    return "".join(chr(c) for c in [*range(0x21, 0x7F), *range(0xA1, 0x250), *range(0x370, 0x3D0),
                                    *range(0x400, 0x460)]
                   if unicodedata.category(chr(c))[0] in "LNPS" and all(c in f.charToGlyph for f in faces))


MARKUP = st.sampled_from(["<b>", "</i>", "&amp;", "&", "<", ">", "<img src=\"x.png\"/>", "<br/>", "<para>",
                          "]]>", "&#x41;", "&nbsp;", "\"", "'", "<a href='javascript:x'>", "</font>", "%s", "{0}",
                          "Łódź", "Şahin", "Ελλάδα", "Ñandú", "Москва", "åäö ÅÄÖ"])


def typed_text(alphabet: str) -> st.SearchStrategy[str]:
    words = st.text(alphabet=alphabet, min_size=1, max_size=10)
    return st.lists(st.one_of(words, MARKUP), min_size=1, max_size=5).map(" ".join)


def images(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for obj in page["/Resources"].get("/XObject", {}).values():
            count += obj.get_object().get("/Subtype") == "/Image"
    return count


def extracted(pdf: bytes) -> str:
    return squeeze("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def test_the_walk_finds_every_kind_of_text_field():
    kinds = {kind for kind, _, _ in text_slots(base_assessment())}
    assert kinds == {
        ("metadata", "title"), ("metadata", "municipality"), ("metadata", "plan_type"), ("metadata", "adopted_by"),
        ("metadata", "summary"), ("metadata", "areas"), ("metadata", "assessors"),
        ("answer", "text"), ("answer", "comment"), ("answer", "evidence"),
        ("measure", "text"), ("measure", "responsible"), ("measure", "indicator"),
        ("measure", "note", "text"), ("measure", "note", "author"), ("measure", "value", "note"),
        ("participation", "method"), ("participation", "heard"), ("participation", "changed"),
        ("participation", "feedback"), ("participation", "group"),
        ("comment", "author"), ("comment", "text"),
    }


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(typed_text(covered_alphabet()), min_size=SLOT_COUNT, max_size=SLOT_COUNT),
       lang=st.sampled_from(["sv", "en"]))
def test_text_with_markup_in_every_field_prints_exactly_as_typed(texts: list[str], lang: str) -> None:
    a, typed = fill(texts)
    out = io.BytesIO()
    render_report(a, out, lang=lang)
    pdf = out.getvalue()
    text = extracted(pdf)
    for kind, value in typed:
        if kind not in NOT_PRINTED:
            assert squeeze(value) in text, (kind, value)
    assert images(pdf) == 0


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(st.text(min_size=1, max_size=40).filter(str.strip), min_size=SLOT_COUNT,
                      max_size=SLOT_COUNT))
def test_any_unicode_in_every_field_still_builds_the_report(texts: list[str]) -> None:
    a, _ = fill(texts)
    out = io.BytesIO()
    render_report(a, out, lang="sv")
    assert out.getvalue().startswith(b"%PDF")
    assert images(out.getvalue()) == 0
