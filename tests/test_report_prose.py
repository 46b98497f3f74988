"""The report reads as prose to a Swedish politician and an English reviewer.

Sentences are assembled from question texts that end in "?", measures that
end in ".", and group labels written as headings. Here: the sentence helpers on
their own, then every example report in both languages read back as text: no
"?." or ".;", group labels in lower case inside a sentence, shortened texts
cut between words, review comments under their question and in the review
chapter, and each flag naming its question, group and alternative.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
import yaml

from assessment.checklist.checklist import text_for
from assessment.checklist.library import resolve_checklist
from assessment.answers.model import parse_assessment
from assessment.scoring.results import Flag
from assessment.scoring.scoring import score
from assessment.checklist.validate import parse_checklist
from reports import render_report
from reports.i18n import msg
from reports.toolkit.markup import shorten
from reports.prose import clause, fill, fmt_number, join_words, mid_sentence, sentence
from example_reports import example, example_pages
from render import page_texts, sample_assessment, sample_checklist_yaml, sample_data

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))

# One worker builds the example reports (tests/example_reports.py) for all three report modules.
pytestmark = pytest.mark.xdist_group("example-reports")


def flat(text: str) -> str:
    return " ".join(text.split())


def _text(a, lang: str = "sv", **kwargs) -> str:
    out = io.BytesIO()
    render_report(a, out, lang=lang, **kwargs)
    return flat(" ".join(page_texts(out.getvalue())))


def _pages(a, lang: str = "sv") -> list[str]:
    out = io.BytesIO()
    render_report(a, out, lang=lang)
    return [flat(p) for p in page_texts(out.getvalue())]


@pytest.fixture(scope="module")
def examples() -> dict[tuple[str, str], tuple[object, list[str]]]:
    """Each example assessment and its report's pages, in Swedish and English."""
    return {(path.stem, lang): (example(path.stem), [flat(p) for p in example_pages(path.stem, lang)])
            for path in EXAMPLES for lang in ("sv", "en")}


# --- the helpers -------------------------------------------------------------------------------


def test_a_sentence_gets_one_period_and_a_question_keeps_its_mark():
    assert sentence("Hur påverkas barnets bästa, på kort och lång sikt?") == "Hur påverkas barnets bästa, på kort och lång sikt?"
    assert sentence("Förskolor och skolor i närheten") == "Förskolor och skolor i närheten."
    assert sentence("Ställ krav på hyresrätter.") == "Ställ krav på hyresrätter."
    assert sentence("Barnen sa: ”Det är läskigt!”") == "Barnen sa: ”Det är läskigt!”"
    assert sentence("Hälso- och sjukvård: hur påverkas…") == "Hälso- och sjukvård: hur påverkas…"


def test_a_clause_loses_its_closing_period_but_not_a_question_mark_or_an_abbreviation():
    assert clause("per kön; utgångsvärde 18 respektive 25.") == "per kön; utgångsvärde 18 respektive 25"
    assert clause("Varför tunneln?") == "Varför tunneln?"
    assert clause("bibliotek, simhall m.m.") == "bibliotek, simhall m.m."


def test_a_label_is_lowered_inside_a_sentence_unless_it_is_an_abbreviation():
    assert mid_sentence("Personer med låg inkomst") == "personer med låg inkomst"
    assert mid_sentence("Unga 13–25 år") == "unga 13–25 år"
    assert mid_sentence("Äldre 65 år och uppåt") == "äldre 65 år och uppåt"
    assert mid_sentence("LSS-berättigade") == "LSS-berättigade"
    assert mid_sentence("HBTQ-personer") == "HBTQ-personer"
    assert mid_sentence("A-kassa") == "A-kassa"


def test_lists_end_with_och_or_and_and_numbers_take_the_language_s_decimal_mark():
    assert join_words(["barn", "unga", "nyanlända"], "sv") == "barn, unga och nyanlända"
    assert join_words(["children", "young people"], "en") == "children and young people"
    assert join_words(["barn"], "sv") == "barn"
    assert join_words(["transpersoner", "homo-, bi- och heterosexuella", "nyanlända"], "sv") == (
        "transpersoner; homo-, bi- och heterosexuella och nyanlända")
    assert fmt_number(1.5, "sv") == "1,5" and fmt_number(1.5, "en") == "1.5" and fmt_number(2.0, "sv") == "2"


def test_a_field_that_ends_a_sentence_takes_the_place_of_the_text_s_period():
    assert fill("Förlorar: {groups}.", {"groups": "barn?"}) == "Förlorar: barn?"
    assert fill("Fastställd av {by}.", {"by": "Anna A."}) == "Fastställd av Anna A."
    assert fill("Om {title}{where}. Här", {"title": "<b>Vad vill vi?</b>", "where": ""}) == "Om <b>Vad vill vi?</b> Här"
    assert fill("Om {title}{where}. Här", {"title": "Parken", "where": " i Ängen"}) == "Om Parken i Ängen. Här"
    assert msg("sv", "report.review_adopted_by", date="2026-11-25", by="Nämnden") == "Bedömningen fastställdes 2026-11-25 av Nämnden."


def test_shortened_text_is_cut_between_words_and_not_after_a_dangling_word():
    question = "Hälso- och sjukvård: hur påverkas tillgången till vård, omsorg och förebyggande stöd för dem som behöver det mest?"
    cut = shorten(question, 90)
    assert cut == "Hälso- och sjukvård: hur påverkas tillgången till vård, omsorg och förebyggande stöd…"
    assert shorten("Kultur- och fritidsförvaltningen, biblioteksenheten", 40) == "Kultur- och fritidsförvaltningen…"
    # a cut that falls exactly between two words keeps the last whole word
    assert shorten("ett två tre fyra fem sex sju", 12) == "ett två tre…"
    assert shorten("ett två tre fyra fem sex sju", 14) == "ett två tre…"
    # one long word is cut where it must be
    assert shorten("Samhällsbyggnadsförvaltningensplaneringsavdelning", 20) == "Samhällsbyggnadsför…"


# --- every example, both languages ------------------------------------------------------------

DOUBLED = re.compile(r"[?!…]\.|\.;|[?!…];|\.\)\.")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_no_sentence_in_any_example_report_ends_twice(examples, name, lang):
    _, pages = examples[(name, lang)]
    for number, page in enumerate(pages, start=1):
        found = DOUBLED.findall(page)
        assert not found, (name, lang, number, found, page[:200])


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_every_shortened_text_in_the_summary_ends_on_a_whole_word(examples, name, lang):
    a, pages = examples[(name, lang)]
    words = set()
    for raw in (a.metadata.summary, *[m.text for m in a.measures], *[m.responsible for m in a.measures]):
        words.update(re.findall(r"\w+", raw))
    for crit in a.checklist.criteria():
        words.update(re.findall(r"\w+", text_for(crit.text, lang, a.checklist.default_language)))
    for flag in a.checklist.scoring.flags:  # the decision page shortens a long flag message too
        words.update(re.findall(r"\w+", text_for(flag.message, lang, a.checklist.default_language)))
    cut_words = re.findall(r"(\w+)…", pages[1])
    assert all(w in words for w in cut_words), [w for w in cut_words if w not in words]


def test_groups_read_in_lower_case_inside_the_summary_s_sentences(examples):
    _, sv = examples[("fritidsgard-nedlaggning", "sv")]
    _, en = examples[("fritidsgard-nedlaggning", "en")]
    # the decision page names the groups by their short labels where the checklist gives them
    assert "Förlorar: låg socioekonomisk position (−100), unga 13–25 år (−100), barn 0–12 år (−50), etnisk" in sv[1]
    assert "Vad görs för personer med låg socioekonomisk position, unga 13–25 år och barn 0–12 år, som" in sv[1]
    assert "Lose: low socio-economic position (−100), young people aged 13–25 (−100), children aged 0–12 (−50)," in en[1]
    assert "What is done for people with low socio-economic position" in en[1]
    # the ladder's levels and the band too, and the zero alternative compared with
    assert "nivån som nåddes är information, nivån som förväntas är konsultation" in " ".join(sv)
    assert "Förslaget: −34 på skalan −100 till +100, negativ." in sv[1]
    assert "Skillnad, förslaget jämfört med nollalternativ: −19 (på skalan −200 till +200" in sv[1]
    # but a group label stays a label where it heads a row of a table
    assert "Unga 13–25 år (↓, ×1,5)" in " ".join(sv)


def test_an_abbreviated_group_keeps_its_capitals_inside_a_sentence():
    yaml_text = sample_checklist_yaml().replace("{sv: Hushåll med låg inkomst, en: Low-income households}",
                                                "{sv: HBTQ-personer med låg inkomst, en: LGBTQ people on low incomes}")
    checklist, problems = parse_checklist(yaml_text, "report-case.yaml")
    assert checklist is not None, problems
    a = parse_assessment(yaml.safe_dump(sample_data(), allow_unicode=True), "hbtq.yaml", resolve=lambda i, v: checklist)
    summary = _pages(a)[1]
    assert "Förlorar: HBTQ-personer med låg inkomst (−100)." in summary
    assert "Vad görs för HBTQ-personer med låg inkomst, som" in summary
    assert "Lose: LGBTQ people on low incomes (−100)." in _pages(a, "en")[1]


def test_a_free_group_name_in_a_participation_record_stays_as_typed():
    text = _text(sample_assessment(group_free="Föreningen Ängens vänner"))
    assert "Barn och unga, Föreningen Ängens vänner" in text


def test_sections_that_number_themselves_are_not_numbered_again(examples):
    _, sv = examples[("ny-skola-detaljplan", "sv")]
    _, en = examples[("ny-skola-detaljplan", "en")]
    assert "Steg 1. Vilka barn berörs?" in " ".join(sv) and "1. Steg 1." not in " ".join(sv)
    assert "1. Step 1." not in " ".join(en)


# --- review comments -------------------------------------------------------------------------


def test_review_comments_stand_under_their_question_with_replies_and_in_the_review_chapter():
    pages = _pages(sample_assessment())
    text = " ".join(pages)
    question = text.index("2.2 Bostäder som hushåll med låga inkomster har råd med")
    thread = text.index("Marta Wiśniewska, 2026-10-05: Hyresnivån behöver jämföras med Brännhagen-fallet.")
    reply = text.index("Karin Åberg svarar, 2026-10-06: Vi lägger till jämförelsen före nämnden.")
    next_question = text.index("2.3 Trafiksäkra vägar till skola och fritid")
    assert question < thread < reply < next_question
    review = text.rindex("Granskning")
    method = text.rindex("Metodbilaga")
    chapter = text[review:method]
    assert "Ελλάδα Σωκράτης, 2026-10-07: Bra underlag. Följ upp hyrorna om ett år?" in chapter
    assert "Kommentarer på enskilda frågor (1) står under frågan i sitt avsnitt." in chapter
    # the comment on a hidden question is not lost: it stands in the chapter, under its question
    assert "Ligger planen intill en skola?" in chapter and "Skolan ligger 400 meter bort" in chapter
    assert "Bedömningen är inte fastställd (status: under granskning)." in chapter
    assert "Granskning" in pages[2]  # in the contents


def test_the_review_chapter_in_english_names_the_sign_off():
    data = sample_data()
    data["metadata"].update({"status": "adopted", "adopted_at": "2027-02-15", "adopted_by": "Byggnadsnämnden"})
    data["comments"].append({"id": "c5", "author": "Byggnadsnämnden", "at": "2027-02-15T10:00:00", "kind": "sign_off",
                             "text": "Fastställd 2027-02-15 / Adopted 2027-02-15"})
    checklist = sample_assessment().checklist
    a = parse_assessment(yaml.safe_dump(data, allow_unicode=True), "adopted.yaml", resolve=lambda i, v: checklist)
    text = _text(a, "en")
    chapter = text[text.rindex("Review"):text.rindex("Method appendix")]
    assert "The assessment was adopted on 2027-02-15 by Byggnadsnämnden." in chapter
    assert "Byggnadsnämnden adopts, 2027-02-15: Fastställd 2027-02-15 / Adopted 2027-02-15" in chapter
    assert "Marta Wiśniewska replies" not in chapter and "Karin Åberg replies, 2026-10-06" in text


def test_a_review_thread_given_to_the_renderer_replaces_the_file_s_comments():
    from assessment.workflow.review import ReviewComment
    import datetime as dt

    posted = [ReviewComment("r1", None, "Ayşe Demir", dt.datetime(2026, 11, 2, 9, 30), "Klart för nämnden.", None,
                            "comment", 3)]
    text = _text(sample_assessment(), comments=posted)
    assert "Ayşe Demir, 2026-11-02: Klart för nämnden." in text
    assert "Hyresnivån behöver jämföras" not in text


def test_an_example_s_comments_are_in_its_report(examples):
    _, pages = examples[("grannskap-utbyggnad", "sv")]
    text = " ".join(pages)
    assert "Johan Lindqvist, 2026-06-18: Bra att hbtq-personers trygghet" in text
    assert "Elif Şahin svarar, 2026-06-18: Ja, regionen har lovat" in text
    assert "Studiebesök i Łódź".lower() in text.lower()
    assert "Marta Wiśniewska, 2026-06-20: Barnperspektivet håller." in text[text.rindex("Granskning"):]


# --- flags --------------------------------------------------------------------------------------


def test_each_flag_names_its_question_group_and_alternative_in_the_report_language():
    a = sample_assessment()
    result = score(a)
    flag = Flag(rule="test_rule", kind="negative_without_measure", severity="warning",
                message={"sv": "En grupp förlorar utan åtgärd", "en": "A group loses without a measure"},
                criterion="affordable", group="low_income", alternative="proposal",
                detail="affordable/low_income rated -2 (internal)")
    result = dataclasses.replace(result, flags=[*result.flags, flag])
    for lang, expected in (
        ("sv", "En grupp förlorar utan åtgärd. Fråga 2.2 ”Bostäder som hushåll med låga inkomster har råd med”"),
        ("en", "A group loses without a measure. Question 2.2 “Homes that low-income households can afford”"),
    ):
        text = _text(a, lang, result=result)
        chapter = text[text.rindex(msg(lang, "common.flags_and_gaps")):]
        line = chapter[chapter.index(expected.split(". ")[0]):]
        assert line.startswith(expected), line[:300]
        group = "Grupp: Hushåll med låg inkomst" if lang == "sv" else "Group: Low-income households"
        alternative = "Alternativ: Planförslaget" if lang == "sv" else "Alternative: The plan proposal"
        assert group in line[:400] and alternative in line[:400]
        assert "internal" not in text and "low_income" not in text


def test_a_question_unknown_for_several_groups_is_one_row_of_the_gaps_list(examples):
    _, pages = examples[("grannskap-utbyggnad", "en")]
    text = " ".join(pages)
    gaps = text[text.rindex("Knowledge gaps that need investigation"):text.rindex("Review")]
    # the safety question is unknown for two groups under each of two alternatives: two rows, the groups
    # side by side (and once more for the discrimination question)
    assert gaps.count("How is safety in the area affected") == 2
    assert gaps.count("Transgender people; lesbian, gay and bisexual people (sexual orientation)") == 3
    # in the checklist's order
    assert gaps.index("How is school segregation affected") < gaps.index("How is safety in the area affected")


def test_the_marks_of_the_score_per_group_table_are_explained(examples):
    _, sv = examples[("fritidsgard-nedlaggning", "sv")]
    assert "↓ grupp med sämre förutsättningar, = befolkningen som helhet" in " ".join(sv)
    assert "från −100 tydligt negativ; från −50 negativ" in " ".join(sv)


def test_the_summary_says_when_groups_are_unknown_inside_rated_questions(examples):
    _, sv = examples[("grannskap-utbyggnad", "sv")]
    _, en = examples[("grannskap-utbyggnad", "en")]
    # every question is rated, but some groups in four of them are not: "39 of 39" alone would mislead
    assert "39 av 39 tillämpliga frågor är bedömda. Påverkan på en eller flera grupper är okänd i 4 av frågorna" in sv[1]
    assert "The impact on one or more groups is unknown in 4 of the questions" in en[1]


def test_the_participant_letter_lists_groups_as_a_line_of_prose():
    from reports import render_participant_feedback

    path = next(p for p in EXAMPLES if p.stem == "grannskap-utbyggnad")
    a = parse_assessment(path.read_bytes(), path.name, resolve=resolve_checklist)
    out = io.BytesIO()
    render_participant_feedback(a, out)
    text = flat(" ".join(page_texts(out.getvalue())))
    assert "2026-04-14 · Kvinnor och flickor, äldre 65 år och uppåt, personer med låg socioekonomisk position" in text
    assert not DOUBLED.findall(text)


def test_section_scores_and_repeated_flags_read_as_sentences(examples):
    _, sv = examples[("fritidsgard-nedlaggning", "sv")]
    _, en = examples[("fritidsgard-nedlaggning", "en")]
    assert "Avsnittets poäng: negativ (−16) för nollalternativ och negativ (−42) för förslaget." \
        in " ".join(sv)
    assert "Section score: negative (−16) for zero alternative and negative (−42) for the proposal." \
        in " ".join(en)
    # each flag once, naming its question (with its number), its right and its alternative
    assert ("Allvarlig: Unga 13–25 år förlorar tydligt i förslaget (−100). Grupp: unga 13–25 år · "
            "Alternativ: förslaget") in sv[1]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_every_example_s_summary_still_fits_on_its_one_page(examples, name, lang):
    _, pages = examples[(name, lang)]
    assert pages[1].startswith(msg(lang, "report.summary_title"))
    assert pages[2].startswith(msg(lang, "report.toc_title"))


def test_a_multiple_choice_answer_of_groups_reads_as_a_list_but_sources_keep_their_names(examples):
    _, sv = examples[("grannskap-utbyggnad", "sv")]
    text = " ".join(sv)
    assert "Svar: Hela befolkningen, kvinnor och flickor, män och pojkar, barn 0–12 år" in text
    _, en = examples[("ny-skola-detaljplan", "en")]
    # labels with commas of their own are separated by semicolons
    assert "Statistics Sweden (population, income, education, overcrowding); Kolada (municipal key figures); Lupp" in (
        " ".join(en))
