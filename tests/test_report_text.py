"""User text reaches the PDF exactly as typed: no markup is read, nothing is embedded, no name is lost.

Every free-text field a user can fill in (title, municipality, assessors, the
summary, motivations, evidence, measures, participation records, review
comments and their authors) gets strings
that reportlab's paragraph markup would otherwise interpret (<b>, &amp;, AT&T,
<img src=…/>) and names outside Latin-1 (Łódź, Şahin, Ελλάδα, Ñ, Cyrillic).
The text read back from the PDF must hold each of them, and the PDF must hold
no image. Hypothesis then tries arbitrary text in every field.
"""

from __future__ import annotations

import io
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reports import render_participant_feedback, render_report
from reports.toolkit.fonts import BOLD, FAMILY, register_fonts
from reports.toolkit.markup import para, plain
from render import page_texts, pdftotext_pages, sample_assessment

HOSTILE = {
    "title": "Plan <b>Łódź</b> & AT&T",
    "municipality": "Kommun &amp; Şahin",
    "assessor1": "Zoë <i>Ñúñez</i>",
    "assessor2": "Ελλάδα Σωκράτης",
    "summary": "Rad ett <img src=\"http://example.org/x.png\"/>\nRad två &lt;tag&gt; — Москва",
    "comment": "<font color=\"red\">röd</font> & <a href=\"javascript:alert(1)\">länk</a>",
    "evidence": "AT&T <para>x</para> &#169; &nbsp; ]]>",
    "measure": "<img src=\"x.png\" width=\"400\" height=\"400\"/> Ställ krav",
    "responsible": "<b>Förvaltning</b> & Co",
    "indicator": "Andel < 30 % & > 10 %",
    "heard": "Barnen sa: <strong>mer grönt</strong> & fotboll",
    "changed": "Ändrat <br/> inget </para>",
    "feedback": "Återkoppling på Кириллица & ελληνικά",
    "method": "Vandring <u>Łódź</u>",
    "group_free": "Föreningen <Ängen> & Co",
    "text_answer": "Svar med <onDraw name=\"x\"/> och &unknown;",
    "review_author": "<b>Granskare</b> & Łódź",
    "review_comment": "Kommentar <img src=\"x.png\"/> på hyran &amp; AT&T?",
    "review_reply": "Svar </para><para> med <br/> Ελλάδα.",
    "review_whole": "Helheten: <a href=\"javascript:alert(1)\">klicka</a> & Кириллица",
}


def squeeze(text: str) -> str:
    """Text without whitespace: line breaks and table cells may split what was typed."""
    return "".join(text.split())


def _images(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for obj in xobjects.values():
            if obj.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def test_para_escapes_markup_and_keeps_line_breaks():
    assert para("<b>a</b> & b\nc") == "&lt;b&gt;a&lt;/b&gt; &amp; b<br/>c"
    assert para("&amp;") == "&amp;amp;"
    assert plain("a\x00b\x07c\td") == "abc d"


def test_hostile_text_prints_exactly_as_typed_and_embeds_nothing():
    for lang in ("sv", "en"):
        out = io.BytesIO()
        render_report(sample_assessment(**HOSTILE), out, lang=lang)
        pdf = out.getvalue()
        readers = [squeeze(" ".join(page_texts(pdf)))]
        layout = pdftotext_pages(pdf)
        if layout is not None:
            readers.append(squeeze(" ".join(layout)))
        for text in readers:
            for field, typed in HOSTILE.items():
                for line in typed.split("\n"):
                    assert squeeze(line) in text, (lang, field, line)
        assert _images(pdf) == 0


def test_hostile_text_in_the_outline_and_metadata_is_plain():
    out = io.BytesIO()
    render_report(sample_assessment(**HOSTILE), out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert reader.metadata.title == HOSTILE["title"]
    assert reader.metadata.author == f"{HOSTILE['assessor1']}; {HOSTILE['assessor2']}"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Sammanfattning för beslutsfattare" in titles


def test_assessors_written_with_their_role_stay_apart_on_the_cover_and_in_the_metadata():
    # "name, role, unit" is how a municipality writes an assessor: commas inside one person.
    out = io.BytesIO()
    render_report(sample_assessment(assessor1="Şahin, Ayşe, planarkitekt, Örebro kommun",
                                    assessor2="Åsa Öberg, folkhälsostrateg"), out)
    pdf = out.getvalue()
    cover = " ".join(page_texts(pdf)[0].split())
    assert "Şahin, Ayşe, planarkitekt, Örebro kommun; Åsa Öberg, folkhälsostrateg" in cover
    assert PdfReader(io.BytesIO(pdf)).metadata.author == (
        "Şahin, Ayşe, planarkitekt, Örebro kommun; Åsa Öberg, folkhälsostrateg")


def test_the_participant_letter_keeps_hostile_text_too():
    out = io.BytesIO()
    render_participant_feedback(sample_assessment(**HOSTILE), out)
    text = squeeze(" ".join(page_texts(out.getvalue())))
    for field in ("title", "heard", "changed", "feedback", "method", "group_free"):
        assert squeeze(HOSTILE[field]) in text, field
    assert _images(out.getvalue()) == 0


# --- arbitrary text ---------------------------------------------------------------------


def _covered() -> str:
    """Printable characters of the blocks SKB's users write in (Latin, Greek, Cyrillic) that DejaVu draws."""
    register_fonts()
    from reportlab.pdfbase.pdfmetrics import getFont

    faces = [getFont(name).face for name in (FAMILY, BOLD)]
    chars = []
    for code in [*range(0x20, 0x7F), *range(0xA1, 0x250), *range(0x370, 0x3D0), *range(0x400, 0x460)]:
        ch = chr(code)
        if unicodedata.category(ch)[0] in "LNPS" and all(code in f.charToGlyph for f in faces):
            chars.append(ch)
    return "".join(chars)


MARKUP = st.sampled_from(["<b>", "</b>", "<i>", "&amp;", "&", "<", ">", "<img src=\"a.png\"/>", "<br/>",
                          "<para>", "]]>", "&#x41;", "\"", "'", "<a href='#x'>", "</font>", "{0}", "%s"])


def _field(alphabet: str) -> st.SearchStrategy[str]:
    words = st.text(alphabet=alphabet, min_size=1, max_size=12)
    return st.lists(st.one_of(words, MARKUP), min_size=1, max_size=8).map(" ".join)


FIELDS = ("title", "municipality", "assessor1", "assessor2", "summary", "comment", "evidence", "measure",
          "responsible", "indicator", "heard", "changed", "feedback", "method", "group_free", "text_answer",
          "review_author", "review_comment", "review_reply", "review_whole")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({f: _field(_covered()) for f in FIELDS}))
def test_any_text_in_any_field_round_trips(texts):
    out = io.BytesIO()
    render_report(sample_assessment(**texts), out)
    pdf = out.getvalue()
    text = squeeze(" ".join(page_texts(pdf)))
    for field, typed in texts.items():
        assert squeeze(typed) in text, field
    assert _images(pdf) == 0


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({f: st.text(min_size=1, max_size=60).filter(str.strip) for f in FIELDS}))
def test_any_unicode_at_all_still_builds_both_documents(texts):
    """Control characters, emoji, scripts DejaVu lacks: the report is built, never a traceback."""
    for render in (render_report, render_participant_feedback):
        out = io.BytesIO()
        render(sample_assessment(**texts), out)
        assert out.getvalue().startswith(b"%PDF")
