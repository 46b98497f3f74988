"""Checklists of a shape unlike the reference ones run through everything, with no code change.

Three checklists in tests/data are written as a municipality would write its own: a rapid health
impact assessment with no groups (rapid-hia), a spatial social impact analysis with three
alternatives and no zero alternative (spatial-ska), and an English-only best-interests test
(best-interests). Each is answered, scored, reported in Swedish and English (the report's summary
page is cross-checked against the result by tests/conftest.py), aggregated in the portfolio and
answered from start to results in the wizard (AppTest). The product code never names a reference
checklist's id: what a checklist means is in the checklist.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessment.checklist.checklist import AnswerType, Checklist
from assessment.answers.model import (NOT_RELEVANT, UNKNOWN, Answer, Assessment, Measure, ParticipationRecord, check_assessment,
                              new_assessment)
from assessment.workflow.portfolio import PortfolioFilters, group_key, portfolio
from assessment.scoring.score_text import score_table
from assessment.scoring.scoring import score
from assessment.store.storage import Store, open_store
from assessment.checklist.validate import load_checklist, parse_checklist
from reports import render_report

try:
    from test_wizard_apptest import app, complete_and_check, data_dir, start_assessment  # noqa: F401
except ImportError:  # tests/ made a package
    from tests.test_wizard_apptest import app, complete_and_check, data_dir, start_assessment  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
UNLIKE = ("rapid-hia", "spatial-ska", "best-interests")


def unlike(name: str) -> Checklist:
    return load_checklist(DATA / f"{name}.yaml")


def answered(checklist: Checklist, rating: int = -1, title: str = "Kvarteret Łódź") -> Assessment:
    """Every question answered in every alternative: ratings at `rating` (or the nearest step), the first
    option or level, a number, a text; certainty at its lowest level on the first rated question."""
    a = new_assessment(checklist, title, municipality="Göteborg", areas=["Hammarkullen"])
    first_rated = next(k.id for k in checklist.criteria() if k.is_rated)
    for alt in checklist.alternative_ids():
        for k in checklist.criteria():
            if k.type == AnswerType.YES_NO:
                value: object = True
            elif k.is_rated:
                steps = [s.value for s in checklist.scale(k.scale or "").steps]
                step = min(steps, key=lambda s: (abs(s - rating), s))
                value = {g.id: step for g in checklist.groups_of(k)} if k.type == AnswerType.GROUP_IMPACT else step
            elif k.type == AnswerType.LADDER:
                value = checklist.ladder(k.ladder or "").levels[0].id
            elif k.type == AnswerType.NUMBER:
                value = 120
            else:
                value = "Åtgärder i Ελλάδα-parken"
            certainty = checklist.certainty.levels[0].id if checklist.asks_certainty(k) and k.id == first_rated \
                else None
            if k.answered_per_alternative or alt == checklist.alternative_ids()[0]:
                a.set_answer(k.id, Answer(value=value, comment="Motivering", certainty=certainty), alt)
    assert check_assessment(a) == []
    return a


# --- scoring and the report -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", UNLIKE)
def test_an_unlike_checklist_is_scored_and_reported_in_both_languages(name: str):
    checklist = unlike(name)
    a = answered(checklist)
    result = score(a)
    headline = result.alternatives[result.primary]
    assert headline.overall.value is not None and headline.overall.value < 0
    assert result.alternatives.keys() == set(checklist.alternative_ids())
    for lang in ("sv", "en"):
        out = io.BytesIO()
        render_report(a, out, lang=lang, result=result)
        assert out.getvalue().startswith(b"%PDF")


def test_without_groups_nothing_is_rated_per_group_and_the_flags_still_fire():
    checklist = unlike("rapid-hia")
    result = score(answered(checklist))
    headline = result.alternatives[result.primary]
    assert headline.groups == {} and headline.equity.verdict == "unknown"
    assert {f.rule for f in result.flags} >= {"unmitigated", "green_lost"}


def test_three_alternatives_without_a_zero_alternative_compare_with_the_first():
    checklist = unlike("spatial-ska")
    result = score(answered(checklist))
    assert result.primary == "compact" == checklist.chosen_alternative()
    assert [(d.base, d.other) for d in result.differences] == [("compact", "park"), ("compact", "mixed")]
    # the chosen alternative's young people lose meeting places: the flag reads that one group, once
    assert [(f.rule, f.alternative) for f in result.flags if f.rule == "young_lose_chosen"] == \
        [("young_lose_chosen", None)]
    # the general rule and the rule for young people both fire, each with its own words
    assert {("unmitigated", "meeting_places"), ("unmitigated_young", "meeting_places")} <= \
        {(f.rule, f.criterion) for f in result.flags if f.alternative == "compact"}


def test_a_group_for_reporting_only_has_no_row_yet_can_be_heard():
    checklist = unlike("spatial-ska")
    assert [g.id for g in checklist.groups_of(checklist.criterion("meeting_places"))] == ["unga", "funktion",
                                                                                           "boende"]
    a = answered(checklist)
    a.participation = [ParticipationRecord(groups=["naringsidkare", "unga"], level="codesign", participants=30)]
    result = score(a)
    assert "naringsidkare" not in result.alternatives["compact"].groups
    assert result.participation.heard == ["unga", "naringsidkare"]
    # no row for it anywhere: not in `skb score`'s table, nor the report's tables (only as heard)
    assert "Näringsidkare" not in score_table(a, result, "sv")
    a.participation = []
    out = io.BytesIO()
    render_report(a, out, lang="sv")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
    assert "Unga 13–25 år" in text and "Näringsidkare" not in text


def test_english_only_checklist_reads_in_english_whatever_the_report_language():
    checklist = unlike("best-interests")
    a = answered(checklist, rating=-2)
    result = score(a)
    flags = {f.rule for f in result.flags}
    assert "youngest_lose" in flags  # one group's rating in one named alternative
    # the special answers: "not relevant" in the checklist's own words, and refused where switched off
    assert checklist.scale("effect").special_label(NOT_RELEVANT) == "Does not concern children"
    assert checklist.scale("effect").special_label(UNKNOWN) is None  # the product's own words
    hia = unlike("rapid-hia")
    b = answered(hia)
    b.set_answer("green", Answer(value=NOT_RELEVANT))
    assert [p.text("en") for p in check_assessment(b)] == [
        'alternative "proposal": answer to "green": not_relevant is not offered on this question\'s scale']
    b.set_answer("green", Answer(value=UNKNOWN))
    assert check_assessment(b) == []


def test_the_report_words_a_special_answer_as_the_checklist_does():
    checklist = unlike("rapid-hia")
    a = answered(checklist)
    a.set_answer("air_noise", Answer(value=UNKNOWN, comment="Bullerutredningen pågår"))
    for lang, words in (("sv", "Osäkert – utred vidare"), ("en", "Uncertain – investigate further")):
        out = io.BytesIO()
        render_report(a, out, lang=lang)
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(out.getvalue())).pages)
        assert words in text, lang


# --- certainty -----------------------------------------------------------------------------------------------


def test_low_certainty_never_hides_a_loss_and_is_named_as_a_knowledge_gap():
    checklist = unlike("rapid-hia")
    a = answered(checklist)  # housing_quality rated -1 at "speculative"
    result = score(a)
    headline = result.alternatives[result.primary]
    # the rating counts in full: the same score as when the assessors are sure
    sure = answered(checklist)
    sure.set_answer("housing_quality", Answer(value=-1, certainty="definite"))
    assert score(sure).alternatives[result.primary].overall.value == headline.overall.value
    # housing is one of two sections, weight 1 of 1: half the score rests on it
    assert headline.low_certainty == pytest.approx(0.5)
    assert score(sure).alternatives[result.primary].low_certainty == 0.0
    assert re.search(r"vilar på låg säkerhet\s+50 %", score_table(a, result, "sv"))
    assert [(g.criterion, g.reason) for g in result.gaps] == [("housing_quality", "low_certainty")]
    finding = next(f for f in result.findings if f.code == "low_certainty")
    assert finding.severity == "warning" and finding.figures == {"share": 0.5, "count": 1.0}
    flag = next(f for f in result.flags if f.rule == "low_certainty")
    assert flag.message["sv"].startswith("50 % av poängen") and "låg säkerhet" in flag.message["sv"]
    assert flag.message["en"].startswith("50 % of the score")


def test_a_clear_loss_rated_at_low_certainty_stays_a_loss_and_is_flagged_to_find_out():
    text = (DATA / "spatial-ska.yaml").read_text(encoding="utf-8").replace(
        "scoring:\n", "certainty:\n  levels:\n    - {id: low, label: Låg, low: true}\n"
        "    - {id: high, label: Hög}\nscoring:\n", 1)
    checklist, problems = parse_checklist(text, "spatial-ska.yaml")
    assert checklist is not None, problems
    a = answered(checklist, rating=-3)
    a.set_answer("meeting_places", Answer(value={"unga": -3, "funktion": -3, "boende": 0}, certainty="low"),
                 "compact")
    result = score(a)
    codes = [(f.code, f.group, f.alternative) for f in result.findings]
    assert ("large_loss", "unga", "compact") in codes
    assert ("uncertain_loss", "unga", "compact") in codes
    assert next(f for f in result.flags if f.rule == "large_loss").severity == "serious"


# --- measures for the whole assessment --------------------------------------------------------------------


def test_a_measure_for_the_whole_assessment_clears_the_flags_of_what_it_names():
    checklist = unlike("spatial-ska")
    a = answered(checklist)

    def unmitigated() -> set[tuple[str, str | None, str | None]]:
        return {(f.rule, f.criterion, f.group) for f in score(a).flags
                if f.kind == "negative_without_measure" and f.alternative == "compact"}

    assert ("unmitigated_young", "meeting_places", "unga") in unmitigated()
    a.measures.append(Measure(text="Fritidsgård i bottenvåningen", responsible="Stadsdelsförvaltningen",
                              due="2027-06-30", indicator="Besökare per vecka", questions=["meeting_places"],
                              groups=["unga"]))
    assert check_assessment(a) == []
    after = unmitigated()
    assert ("unmitigated_young", "meeting_places", "unga") not in after
    assert ("unmitigated", "meeting_places", None) in after  # the other groups are still without a measure
    a.measures.append(Measure(text="Samlad plan för mötesplatser", responsible="Park", due="2027-01-01",
                              indicator="Antal mötesplatser"))  # names nothing: listed, clears nothing
    assert unmitigated() == after
    out = io.BytesIO()
    render_report(a, out, lang="sv")
    assert out.getvalue().startswith(b"%PDF")
    assert a.measures[1].concerns(checklist, "sv") == "Hela bedömningen"
    assert a.measures[0].concerns(checklist, "en") == ("The whole assessment: answers How are meeting places "
                                                       "affected? – for Young people 13–25")


# --- the portfolio adds groups up by concept, never by a coincidental id --------------------------------


OTHER = """\
schema_version: 1
id: other-plan
version: "1"
title: Annan plan
scales:
  - id: impact
    steps: [{value: -1, label: Negativ}, {value: 1, label: Positiv}]
groups:
  - {id: funktion, label: Personer med funktionsnedsättning}
  - {id: unga, label: Unga, concept: young_people}
sections:
  - id: s
    title: Avsnitt
    criteria:
      - {id: q, text: Hur påverkas grupperna?, type: group_impact, scale: impact}
"""


def test_the_portfolio_adds_up_by_concept_and_keeps_coincidental_ids_apart(fresh_store: Store):
    other, problems = parse_checklist(OTHER, "other.yaml")
    assert other is not None, problems
    for checklist in (unlike("spatial-ska"), other, unlike("rapid-hia"), unlike("best-interests")):
        fresh_store.create(answered(checklist, title=f"Beslut {checklist.id}"), "Anna")
    p = portfolio(fresh_store, PortfolioFilters())
    assert p.count == 4
    by_group = p.by_group.set_index("key")
    # "funktion" means disabled children in one checklist and disabled people in the other: two rows
    assert {"spatial-ska:funktion", "other-plan:funktion"} <= set(by_group.index)
    assert "funktion" not in by_group.index
    # young people are one concept in both: one row over both decisions
    assert by_group.loc["young_people", "rated"] == 2
    assert p.label("group", "young_people") in ("Unga 13–25 år", "Unga")  # named by a checklist that declares it
    assert group_key(other, "unga") == "young_people" and group_key(other, "funktion") == "other-plan:funktion"
    # a group kept for reporting only has no row
    assert not any(key.endswith(":naringsidkare") for key in by_group.index)
    followed = portfolio(fresh_store, PortfolioFilters(group="young_people"))
    assert len(followed.cumulative) == 2


# --- the wizard ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", UNLIKE)
def test_an_unlike_checklist_runs_through_the_wizard(data_dir: Path, name: str) -> None:  # noqa: F811
    complete_and_check(data_dir, name)


def test_the_wizard_offers_the_scale_s_own_special_answers_and_asks_certainty(data_dir: Path) -> None:  # noqa: F811
    at = app()
    assessment_id = start_assessment(at, "rapid-hia", "Hälsa i Hyllie")
    rating = at.radio(key=f"w:{assessment_id}:housing_quality:proposal:value")
    assert rating.options == ["Negativ", "Neutral", "Positiv", "Osäkert – utred vidare"]  # no "Ej relevant"
    fold = f"x:{assessment_id}:housing_quality:proposal:reasoning"
    at.session_state[fold] = True
    at.run()
    certainty = at.radio(key=f"w:{assessment_id}:housing_quality:proposal:certainty")
    assert certainty.label == "Hur säkra är ni?"
    assert certainty.options == ["Spekulativ", "Trolig", "Säker"]
    rating.set_value(UNKNOWN).run()
    at.radio(key=f"w:{assessment_id}:housing_quality:proposal:certainty").set_value("speculative").run()
    assert not at.exception, at.exception
    stored = open_store().load(assessment_id).assessment.answer("housing_quality", "proposal")
    assert stored is not None and stored.value == UNKNOWN and stored.certainty == "speculative"


def test_the_wizard_takes_measures_for_the_whole_assessment_on_its_last_step(data_dir: Path) -> None:  # noqa: F811
    at = app()
    assessment_id = start_assessment(at, "rapid-hia", "Hälsa i Hyllie")
    assert not [b for b in at.button if (b.key or "").endswith(":general:add")]  # not before the last step
    at.button(key="next").click().run()
    at.button(key=f"m:{assessment_id}:general:add").click().run()
    assert not at.exception, at.exception
    measure = open_store().load(assessment_id).assessment.measures[0]
    assert measure.criterion is None
    at.text_input(key=f"m:{assessment_id}:{measure.id}:text").set_value("Grönplan för hela området").run()
    at.text_input(key=f"m:{assessment_id}:{measure.id}:responsible").set_value("Park och natur").run()
    at.multiselect(key=f"m:{assessment_id}:{measure.id}:questions").set_value(["green", "air_noise"]).run()
    assert not at.exception, at.exception
    stored = open_store().load(assessment_id).assessment.measures[0]
    assert (stored.criterion, stored.text, stored.responsible, stored.questions) == (
        None, "Grönplan för hela området", "Park och natur", ["green", "air_noise"])
    assert not any((w.key or "").endswith(":groups") for w in at.multiselect)  # no groups to name here


def test_a_broken_checklist_of_ones_own_is_explained_in_swedish_on_the_start_page(  # noqa: F811
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "egna"
    own.mkdir()
    text = (DATA / "rapid-hia.yaml").read_text(encoding="utf-8").replace("measures: true", 'measures: "ja"', 1)
    (own / "rapid-hia-kopia.yaml").write_text(text.replace("id: rapid-hia", "id: rapid-hia-kopia"), encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", f"{own}:{DATA}")
    at = app()
    at.run()
    assert not at.exception, at.exception
    errors = "\n".join(e.value for e in at.error).replace("\\", "")  # the page escapes markdown
    assert '"measures" måste vara true eller false (fick texten "ja"); skriv measures: true, utan citattecken' \
        in errors


# --- the code knows no reference checklist -------------------------------------------------------------------


def test_the_code_never_names_a_reference_checklist():
    ids = [load_checklist(path).id for path in sorted((ROOT / "checklists").glob("*.yaml"))]
    assert ids
    pattern = re.compile("|".join(re.escape(i) for i in ids))
    code = [ROOT / "streamlit_app.py", *sorted((ROOT / "assessment").rglob("*.py")),
            *sorted((ROOT / "reports").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]
    named = [f"{path.relative_to(ROOT)}:{n}" for path in code
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if pattern.search(line)]
    assert named == []
