"""The PDF report: every part of an assessment appears in its place, in Swedish and English.

The case is `tests/render.py`'s sample: a detailed development plan with a zero
alternative and a proposal, four groups, a hidden question, unknowns, two
measures and two participation records. Text is read back with pypdf (and
poppler's pdftotext where installed) page by page.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
import yaml
from pypdf import PdfReader

from assessment.catalogue import has, messages
from assessment.checklist.checklist import Aggregation
from assessment.workflow.cli import main
from assessment.answers.model import MeasureStatus, Status, dump_assessment, parse_assessment
from assessment.scoring.results import EquityResult, Flag
from assessment.scoring.scoring import score
from reports import render_participant_feedback, render_report
from reports.i18n import LANGUAGES, msg
from example_reports import example, example_pages
from render import page_texts, pdftotext_pages, sample_assessment, sample_data, sample_checklist

# One worker builds the example reports (tests/example_reports.py) for all three report modules.
pytestmark = pytest.mark.xdist_group("example-reports")


def _pdf(lang: str = "sv", **texts: str) -> bytes:
    out = io.BytesIO()
    render_report(sample_assessment(**texts), out, lang=lang)
    return out.getvalue()


@pytest.fixture(scope="module")
def sv() -> bytes:
    return _pdf("sv")


@pytest.fixture(scope="module")
def en() -> bytes:
    return _pdf("en")


def flat(text: str) -> str:
    return " ".join(text.split())


def page_of(pages: list[str], needle: str) -> int:
    """The 1-based number of the first page whose text holds `needle`."""
    for i, text in enumerate(pages, start=1):
        if needle in flat(text):
            return i
    raise AssertionError(f"{needle!r} is on no page")


# --- the message catalogue ------------------------------------------------------------


def _report_words(lang: str) -> dict[str, str]:
    texts, _ = messages(lang)
    return {k: v for k, v in texts.items() if k.startswith(("report.", "common."))}


def test_every_language_has_the_same_words():
    keys = {lang: set(_report_words(lang)) for lang in LANGUAGES}
    assert keys["sv"] == keys["en"], keys["sv"] ^ keys["en"]
    assert len(keys["sv"]) > 200  # the report's words are in the catalogue, not somewhere else


def test_the_same_fields_are_filled_in_every_language():
    fields = {lang: {k: set(re.findall(r"{(\w+)}", v)) for k, v in _report_words(lang).items()} for lang in LANGUAGES}
    assert fields["sv"] == fields["en"]


# Every id the report builds from a value (msg(lang, f"common.status_{m.status.value}")), with every value it can take.
REPORT_FAMILIES = {
    "common.status_": [s.value for s in Status],
    "common.measure_": [s.value for s in MeasureStatus],
    "report.severity_": ["info", "warning", "serious"],
    "report.verdict_": ["narrows", "widens", "unchanged", "unknown"],
    "report.method_": [a.value for a in Aggregation],
    "report.language_": list(LANGUAGES),
}


@pytest.mark.parametrize("prefix", list(REPORT_FAMILIES))
def test_every_id_built_at_run_time_resolves(prefix):
    for value in REPORT_FAMILIES[prefix]:
        assert has(prefix + value), prefix + value
        for lang in LANGUAGES:
            assert msg(lang, prefix + value).strip()
    if prefix == "report.severity_":
        assert set(REPORT_FAMILIES[prefix]) == set(get_args(get_type_hints(Flag)["severity"]))
    if prefix == "report.verdict_":
        assert set(REPORT_FAMILIES[prefix]) == set(get_args(get_type_hints(EquityResult)["verdict"]))


# --- where things are -------------------------------------------------------------------


def test_the_cover_names_plan_municipality_assessors_status_and_checklist(sv):
    cover = flat(page_texts(sv)[0])
    for expected in ("Social konsekvensbedömning", "Detaljplan för Norra Ängen, etapp 2", "Örebro kommun",
                     "Karin Åberg; Jonas Şahin", "Under granskning", "2026-10-01", "2027-02-15",
                     "Social konsekvensbedömning för detaljplan (report-case), version 2.1"):
        assert expected in cover


def test_the_summary_for_decision_makers_is_page_two_and_fits_on_it(sv):
    pages = [flat(p) for p in page_texts(sv)]
    summary = pages[1]
    assert summary.startswith("Sammanfattning för beslutsfattare")
    # the overall judgement for the proposal, who gains and loses, and the verdict on the gap
    assert "Planförslaget: +18 på skalan −100 till +100, något positiv. Men hushåll med låg inkomst förlorar tydligt." \
        in summary
    assert "Förlorar: hushåll med låg inkomst (−100)." in summary
    assert "Klyftan ökar: grupper med sämre förutsättningar −43, befolkningen +50." in summary
    # the alternatives compared, against the zero alternative
    assert "Nollalternativ: Något negativ (−7)" in summary
    assert "Skillnad, planförslaget jämfört med nollalternativ: +25 (på skalan −200 till +200" in summary
    # the worst negative impacts, with their measure or its absence
    assert "Förskolor och skolor i närheten (planförslaget): viss negativ påverkan (−50). Ingen åtgärd är beslutad." in summary
    assert "Åtgärd: Ställ krav på 30 % hyresrätter" in summary
    # knowledge gaps and flags
    assert "Frågor med något okänt för planförslaget, som behöver utredas (2)" in summary
    assert "Allvarlig: Negativ konsekvens utan åtgärd" in summary
    # and what to ask, last
    questions = summary[summary.index("Frågor att ställa"):]
    assert "Vem ansvarar för att motverka ”Förskolor och skolor i närheten”" in questions
    assert "Varför nåddes bara nivån ”konsultation” i dialogen när ”dialog” förväntas?" in questions
    # one page: the contents begin on the next
    assert pages[2].startswith("Innehåll")


def test_the_contents_give_the_page_each_chapter_starts_on(sv):
    pages = [flat(p) for p in page_texts(sv)]
    layout = pdftotext_pages(sv)
    toc = layout[2] if layout is not None else page_texts(sv)[2]
    entries = re.findall(r"^\s*(\S.*?)[ .]*?\s+(\d+)\s*$", toc, flags=re.M)
    listed = {" ".join(title.rstrip(" .").split()): int(page) for title, page in entries if "Innehåll" not in title}
    for chapter in ("Sammanfattning för beslutsfattare", "Diagram", "2. Boende och närmiljö", "3. Barnets bästa",
                    "Jämlikhet: vilka vinner och vilka förlorar", "Delaktighet: dialogerna och vilka som hörts",
                    "Alla åtgärder och deras uppföljning",
                    "Metodbilaga"):
        assert chapter in listed, (chapter, sorted(listed))
        # The cover is not counted: page 1 is the second sheet.
        assert chapter in pages[listed[chapter]], f"{chapter} is not on page {listed[chapter]}"


def test_the_outline_has_every_chapter_and_points_at_its_page(sv):
    reader = PdfReader(io.BytesIO(sv))
    top = {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline
           if not isinstance(item, list)}
    pages = [flat(p) for p in page_texts(sv)]
    assert {"Sammanfattning för beslutsfattare", "1. Avgränsning", "Metodbilaga"} <= set(top)
    for title, page in top.items():
        assert title in pages[page - 1]


def test_every_page_says_which_page_of_how_many_the_cover_not_counted(sv, en):
    for pdf, word, of in ((sv, "Sida", "av"), (en, "Page", "of")):
        pages = page_texts(pdf)
        assert f" {of} " not in pages[0].split("\n")[-3:] and f"{word} 1 {of}" not in pages[0]
        for n, text in enumerate(pages[1:], start=1):
            assert f"{word} {n} {of} {len(pages) - 1}" in text
        # the viewer's page labels say the same: the cover "i", then 1, 2, …
        labels = PdfReader(io.BytesIO(pdf)).page_labels
        assert labels[:3] == ["i", "1", "2"] and labels[-1] == str(len(pages) - 1)


def test_each_section_gives_ratings_per_alternative_motivation_evidence_and_measures(sv):
    pages = page_texts(sv)
    text = flat(" ".join(pages))
    assert "2.1 Tillgång till grönområden och lekplatser" in text
    assert "Planförslaget Stor positiv påverkan (+100)" in text
    assert "Planförslaget – Motivering: Parken i kvarteret Ängen blir större" in text
    assert "Planförslaget – Underlag: Grönstrukturplan 2024" in text
    # a group-impact question is a small table: group, then each alternative's rating
    assert "Hushåll med låg inkomst Viss negativ påverkan (−50) Stor negativ påverkan (−100)" in text
    assert "Äldre Ingen påverkan (0) Vet ej – behöver utredas" in text
    assert "Planförslaget Ej relevant" in text
    # a measure under its question, with its owner and follow-up
    assert "Hastighetsdämpande åtgärder på Ängsvägen. (Ansvarig: Tekniska förvaltningen; Klart: 2027-09-01" in text
    # questions answered once
    assert "Svar: Detaljplan" in text and "Svar: 450 st" in text and "Svar: Konsultation" in text


def test_hidden_questions_and_sections_are_left_out():
    shown = flat(" ".join(page_texts(_pdf())))
    # hidden (children are affected): no chapter asks it; only the review's comment on it names it
    elsewhere = shown.rindex("Kommentarer på frågor som inte visas i rapporten")
    assert "Ligger planen intill en skola?" not in shown[:elsewhere]
    assert shown.count("Ligger planen intill en skola?") == 1
    data = sample_data()
    data["answers"]["children_affected"] = {"value": False}
    checklist = sample_checklist()
    a = parse_assessment(yaml.safe_dump(data, allow_unicode=True), "no-children.yaml",
                         resolve=lambda i, v: checklist)
    out = io.BytesIO()
    render_report(a, out)
    text = flat(" ".join(page_texts(out.getvalue())))
    assert "Ligger planen intill en skola?" in text
    assert "Barnets bästa" not in text and "Har barn fått komma till tals?" not in text


def test_the_equity_chapter_says_the_gap_widens_for_the_proposal(sv):
    pages = [flat(p) for p in page_texts(sv)]
    equity = pages[page_of(pages, "Jämlikhet: vilka vinner och vilka förlorar Jämlikhetsbedömningen") - 1]
    assert "Skillnad: sämre ställda minus befolkningen (−200 till +200) −21 −93" in equity
    assert "Planförslaget: Klyftan ökar: grupper med sämre förutsättningar −43, befolkningen +50." in equity
    # against the zero alternative: the difference of the two gap figures in the table (−93 − −21)
    assert "Mot nollalternativet är klyftan större (skillnad −72 på skalan −200 till +200)" in equity
    assert "Hushåll med låg inkomst (↓, ×1,5) Tydligt negativ (−50) Tydligt negativ (−100)" in equity


def test_the_participation_chapter_tells_who_was_heard_how_and_what_changed(sv):
    text = flat(" ".join(page_texts(sv)))
    assert "Nivå på delaktighetstrappan: nivån som nåddes är konsultation, nivån som förväntas är dialog. Den förväntade nivån är inte nådd." in text
    assert "Dialog 1: Trygghetsvandring med klass 5B" in text
    assert "Vilka Barn och unga, Föreningen Ängens vänner" in text
    assert "Antal deltagare 24" in text
    assert "Vad som ändrades: Gång- och cykelvägen flyttades bort från den stora korsningen." in text
    assert "Återkoppling till deltagarna: Vi besöker klass 5B igen i maj" in text


def test_the_measures_table_has_owner_date_indicator_and_status(sv):
    pages = [flat(p) for p in page_texts(sv)]
    start = page_of(pages, "Alla åtgärder och deras uppföljning Varje negativ konsekvens")
    table = " ".join(pages[start - 1:start + 1])
    for expected in ("Ställ krav på 30 % hyresrätter med rimlig hyra i markanvisningen.",
                     "Samhällsbyggnadsförvaltningen", "2027-06-30 Planerad", "Andel hyresrätter under 1 500 kr/kvm",
                     "2027-09-01 Pågår", "Senast: 2,5 (2026-12-31) – efter farthindren"):
        assert expected in table


def test_the_method_appendix_gives_checklist_version_hash_and_coverage(sv):
    a = sample_assessment()
    pages = [flat(p) for p in page_texts(sv)]
    method = pages[page_of(pages, "Metodbilaga Checklista") - 1]
    assert "version 2.1" in method
    assert a.checklist.content_hash() in method.replace(" ", "")
    assert "Planförslaget 5 6 1 83 %" in method


def test_english_uses_the_checklists_english_labels_and_its_own_words(en):
    pages = [flat(p) for p in page_texts(en)]
    assert pages[1].startswith("Summary for decision-makers")
    assert "Questions to ask" in pages[1]
    text = " ".join(pages)
    assert "The plan proposal Major positive impact (+100)" in text
    assert "Don't know – needs investigation" in text
    assert "All measures and their follow-up" in text and "Method appendix" in text
    assert "Page 1 of" in text


def test_document_metadata_and_language_are_set(sv, en):
    for pdf, lang, subject in ((sv, "sv", "Social konsekvensbedömning av"), (en, "en", "Social impact assessment of")):
        reader = PdfReader(io.BytesIO(pdf))
        info = reader.metadata
        assert info.title == "Detaljplan för Norra Ängen, etapp 2"
        assert info.author == "Karin Åberg; Jonas Şahin"
        assert info.subject.startswith(subject)
        assert reader.trailer["/Root"]["/Lang"] == lang


def test_the_fonts_are_the_dejavu_family_embedded(sv):
    reader = PdfReader(io.BytesIO(sv))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVuSans" in f and "Bold" not in f for f in fonts)
    assert any("DejaVuSans-Bold" in f for f in fonts)
    assert not any("Helvetica" in f for f in fonts)


def test_a_given_result_is_used_as_is():
    a = sample_assessment()
    result = dataclasses.replace(score(a), checklist_hash="0" * 64)
    out = io.BytesIO()
    render_report(a, out, result=result)
    assert "0" * 64 in flat(" ".join(page_texts(out.getvalue()))).replace(" ", "")


def test_an_assessment_with_nothing_answered_still_makes_a_report():
    data = sample_data()
    data.update(answers={}, alternatives={}, measures=[], participation=[])
    checklist = sample_checklist()
    a = parse_assessment(yaml.safe_dump(data, allow_unicode=True), "empty.yaml", resolve=lambda i, v: checklist)
    out = io.BytesIO()
    render_report(a, out, lang="en")
    text = flat(" ".join(page_texts(out.getvalue())))
    assert "The plan proposal: no overall score." in text
    assert "No measures are recorded." in text
    assert "No dialogues or consultations are documented." in text


# --- the participants' letter -------------------------------------------------------------


def test_the_participant_letter_says_what_was_heard_and_changed_in_one_or_two_pages():
    out = io.BytesIO()
    render_participant_feedback(sample_assessment(), out)
    pages = page_texts(out.getvalue())
    assert 1 <= len(pages) <= 2
    text = flat(" ".join(pages))
    assert text.startswith("Tack för att du var med!")
    assert "Det här hörde vi: Barnen vill ha en säker väg till skolan" in text
    assert "Det här ändrades: Gång- och cykelvägen flyttades bort" in text
    assert "Det här ändrades: Inget är ändrat ännu." in text  # the open house changed nothing yet
    assert "Politikerna ska fatta beslut 2027-02-15." in text
    assert "Poäng" not in text and "−" not in text  # no scores for participants


def test_a_long_story_still_fits_the_participant_letter_in_two_pages():
    long = "Vi vill ha en fotbollsplan och fler träd. " * 200
    out = io.BytesIO()
    render_participant_feedback(sample_assessment(heard=long, changed=long, feedback=long), out, lang="en")
    assert len(page_texts(out.getvalue())) <= 2


# --- the command line ------------------------------------------------------------------------


def test_skb_report_writes_the_same_report_and_the_participant_letter(tmp_path: Path, capsys):
    source = tmp_path / "angen.yaml"
    source.write_text(dump_assessment(sample_assessment()), encoding="utf-8")
    out = tmp_path / "angen.pdf"
    assert main(["report", str(source), "-o", str(out), "--lang", "en"]) == 0
    pages = page_texts(out.read_bytes())
    assert flat(pages[1]).startswith("Summary for decision-makers")
    letter = tmp_path / "letter.pdf"
    assert main(["report", str(source), "-o", str(letter), "--participants", "-q"]) == 0
    assert flat(page_texts(letter.read_bytes())[0]).startswith("Tack för att du var med!")


def test_skb_report_on_a_broken_file_says_what_is_wrong(tmp_path: Path, capsys):
    source = tmp_path / "broken.yaml"
    source.write_text("format: skb-assessment\nschema_version: 1\nmetadata: {}\n", encoding="utf-8")
    assert main(["report", str(source), "-o", str(tmp_path / "x.pdf")]) == 1
    assert "skb report:" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


# --- the shipped examples ------------------------------------------------------------------------

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_example_has_its_parts_in_place(path: Path, lang: str):
    from assessment.answers.conditions import visible_criteria, visible_sections
    from assessment.checklist.checklist import text_for

    a = example(path.stem)
    pages = [flat(p) for p in example_pages(path.stem, lang)]
    assert flat(a.metadata.title) in pages[0] and flat(a.metadata.municipality) in pages[0]
    assert pages[1].startswith("Sammanfattning för beslutsfattare" if lang == "sv" else "Summary for decision-makers")
    assert ("Frågor att ställa" if lang == "sv" else "Questions to ask") in pages[1]
    body = " ".join(pages[3:])
    shown = visible_sections(a.checklist, a)
    visible = set().union(*(visible_criteria(a.checklist, a, alt) for alt in a.checklist.alternative_ids()))
    for section in a.checklist.sections:
        title = flat(text_for(section.title, lang))
        assert (title in body) == (section.id in shown), title
        for crit in section.criteria:
            if section.id in shown:
                assert (flat(text_for(crit.text, lang)) in body) == (crit.id in visible), crit.id
    for m in a.measures:
        assert flat(m.text) in body
    for rec in a.participation:
        if rec.changed:
            assert flat(rec.changed) in body


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_examples_participant_letter_is_one_or_two_pages(path: Path):
    from assessment.checklist.library import resolve_checklist

    a = parse_assessment(path.read_bytes(), path.name, resolve=resolve_checklist)
    out = io.BytesIO()
    render_participant_feedback(a, out)
    pages = page_texts(out.getvalue())
    assert 1 <= len(pages) <= 2
    text = flat(" ".join(pages))
    for rec in a.participation:
        if rec.heard:
            assert flat(rec.heard)[:40] in text


BARE_CHECKLIST = """
schema_version: 1
id: bare
version: "1"
title: Kort checklista
scales:
  - id: impact
    steps:
      - {value: -2, label: Stor negativ}
      - {value: 2, label: Stor positiv}
sections:
  - id: boende
    title: Boende
    criteria:
      - {id: b1, text: "Påverkas boendet?", type: impact, scale: impact}
"""


def test_a_checklist_without_groups_areas_bands_or_alternatives_gives_a_plain_report():
    from assessment.answers.model import Answer, new_assessment
    from assessment.checklist.validate import parse_checklist

    checklist, problems = parse_checklist(BARE_CHECKLIST, "bare.yaml")
    assert checklist is not None, problems
    a = new_assessment(checklist, "Kvarteret Tallen")
    a.set_answer("b1", Answer(value=-2, comment="Tio lägenheter rivs."))
    out = io.BytesIO()
    render_report(a, out)
    pages = [flat(p) for p in page_texts(out.getvalue())]
    assert "Förslaget: −100 på skalan −100 till +100." in pages[1]
    text = " ".join(pages)
    assert "1.1 Påverkas boendet? Alternativ Bedömning Förslaget Stor negativ (−100)" in text
    assert "Motivering: Tio lägenheter rivs." in text
    assert "Poäng per grupp" not in text and "Grupper och målområden" not in text


def test_the_contents_cost_no_second_pass(monkeypatch):
    """The page numbers in the contents are filled in at save, so multiBuild is satisfied at once."""
    from reportlab.platypus.doctemplate import BaseDocTemplate

    passes = []
    build = BaseDocTemplate.build

    def counting(self, *args, **kwargs):
        passes.append(1)
        return build(self, *args, **kwargs)

    monkeypatch.setattr(BaseDocTemplate, "build", counting)
    render_report(sample_assessment(), io.BytesIO())
    assert len(passes) == 1
