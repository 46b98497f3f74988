"""The summary's claims: derived once (assessment/scoring/summary.py), the same on every surface, true to the result.

Each example and a few small cases are summarized and held against their scoring
result: losers are the groups shown below zero, a difference is the difference of
the figures shown, "no measure decided" only where no measure exists, the gaps counted
are the gaps listed. The results page (AppTest) and `skb score` are then read for the
same figures in Swedish and English. The report's summary page is checked on every
report the suite builds (tests/summary_check.py, hooked in by conftest.py); the last
tests here show that check catching a page that lies.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from assessment.checklist.checklist import text_for
from assessment.workflow.cli import main
from assessment.checklist.library import resolve_checklist
from assessment.answers.model import Assessment, parse_assessment
from assessment.scoring.scoring import score
from assessment.store.storage import open_store
from assessment.scoring.summary import fmt_figure, figure, summarize
from reports import render_report
from render import sample_assessment, sample_checklist, sample_data
from summary_check import check_summary_page, squash

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
APP = str(ROOT / "streamlit_app.py")


def example(path: Path) -> Assessment:
    return parse_assessment(path.read_bytes(), str(path), resolve=resolve_checklist)


def labelled(path: Path) -> str:
    return path.stem


# --- the figures -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "shown", "text"), [
    (0.4, 0, "0"), (-0.4, 0, "0"), (0.5, 1, "+1"), (-0.5, -1, "−1"), (2.5, 3, "+3"), (-2.5, -3, "−3"),
    (-49.6, -50, "−50"), (100.0, 100, "+100"), (None, None, "–"),
])
def test_a_score_is_shown_as_a_whole_number_rounded_half_away_from_zero(value, shown, text):
    # Python's round() sends 2.5 to 2 and -0.5 to 0: a figure never depends on the parity of its neighbour.
    assert figure(value) == shown
    assert fmt_figure(value) == text


# --- every example: the summary is true to its result -----------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=labelled)
def test_each_example_s_summary_says_what_its_result_says(path):
    a = example(path)
    r = score(a)
    s = summarize(a, r, "sv")
    groups = r.alternatives[r.primary].groups
    shown = {g: figure(v.value) for g, v in groups.items() if v.value is not None}
    assert {x.group for x in s.losers} == {g for g, v in shown.items() if v < 0}
    assert {x.group for x in s.gainers} == {g for g, v in shown.items() if v > 0}
    assert {x.group for x in s.level} == {g for g, v in shown.items() if v == 0}
    assert [x.shown for x in s.losers] == sorted(x.shown for x in s.losers)  # worst first
    for d in s.differences:
        assert d.shown == d.other_shown - d.base_shown
        assert d.other_shown == figure(r.alternatives[d.other].overall.value)
        assert -200 <= d.shown <= 200
    assert len(s.gaps) == len({g.criterion for g in r.gaps if g.alternative in (None, r.primary)})
    assert s.any_measure == any(m.status.value != "dropped" and m.alternative in (None, r.primary)
                                for m in a.measures)
    for f in s.findings:
        assert f.alternative == r.primary
        assert all(x.value < 0 for x in f.ratings)
        assert f.has_measure == bool([m for m in a.measures_for(f.criterion, r.primary)
                                      if m.status.value != "dropped"])
    assert [f.worst.value for f in s.findings] == sorted(f.worst.value for f in s.findings)


def test_the_examples_carry_the_cases_the_summary_must_get_right():
    # ny-skola: the difference shown is the difference of the two figures shown
    s = summarize(example(ROOT / "examples" / "ny-skola-detaljplan.yaml"),
                  score(example(ROOT / "examples" / "ny-skola-detaljplan.yaml")), "sv")
    [d] = s.differences
    assert (d.base_shown, d.other_shown, d.shown) == (-36, 27, 63)
    assert [x.group for x in s.losers] == ["teenagers"]
    # a flag names its question, its group and its right (the Convention's articles)
    [flag] = s.flags
    assert (flag.criterion, flag.group) == ("short_art2_nondiscrimination", "teenagers")
    assert flag.rights == (("crc", "2"), ("crc", "23"))
    # fritidsgård: the assessors' recommendation is the checklist's overall judgement question
    fritid = example(ROOT / "examples" / "fritidsgard-nedlaggning.yaml")
    rec = summarize(fritid, score(fritid), "en").recommendation
    assert rec is not None and text_for(rec.label, "en") == "Revise the proposal before a decision"
    # ny-skola: a checklist without that question; the proposed decision is the assessment's own field
    school = example(ROOT / "examples" / "ny-skola-detaljplan.yaml")
    rec = summarize(school, score(school), "sv").recommendation
    assert rec is not None and rec.choice is None and rec.text.startswith("Anta detaljplanen.")
    out = io.BytesIO()
    render_report(school, out)
    from summary_check import summary_page

    assert squash("Förslag till beslut: Anta detaljplanen. Innan granskningen") in squash(summary_page(out.getvalue(), "sv"))


def test_a_difference_is_the_difference_of_the_rounded_figures_shown_not_the_rounded_difference():
    # −40.4 and +41.3 are shown as −40 and +41; their exact difference 81.7 would round to 82,
    # but a reader adds up what is printed: the page says +81.
    school = example(ROOT / "examples" / "ny-skola-detaljplan.yaml")
    r = score(school)
    [diff] = r.differences
    alts = dict(r.alternatives)
    for alt, value in ((diff.base, -40.4), (diff.other, 41.3)):
        alts[alt] = dataclasses.replace(alts[alt], overall=dataclasses.replace(alts[alt].overall, value=value))
    r = dataclasses.replace(r, alternatives=alts, differences=[dataclasses.replace(diff, overall=81.7)])
    [d] = summarize(school, r, "sv").differences
    assert (d.base_shown, d.other_shown, d.shown) == (-40, 41, 81) and round(d.exact) == 82


# --- small cases ----------------------------------------------------------------------------------


def _sample(**changes) -> Assessment:
    data = sample_data()
    for alt, answers in changes.items():
        data["alternatives"][alt].update(answers)
    checklist = sample_checklist()
    return parse_assessment(yaml.safe_dump(data, allow_unicode=True), "case.yaml", resolve=lambda i, v: checklist)


def test_a_group_whose_score_rounds_to_zero_is_shown_as_zero_and_not_named_as_losing():
    # children: -1 on "affordable" (-50, weight 1.01) against +1 on "child_voice" (+50, weight 1): a mean of
    # -0.25. Scoring calls that negative; the page shows it as 0, so the summary names it neither way.
    from assessment.checklist.validate import parse_checklist
    from render import sample_checklist_yaml

    text = sample_checklist_yaml().replace("        type: group_impact\n        scale: impact\n        measures: true\n"
                                           "        dimensions: {policy_area: [housing, income]}",
                                           "        type: group_impact\n        scale: impact\n        measures: true\n"
                                           "        weight: 1.01\n        dimensions: {policy_area: [housing, income]}")
    checklist, problems = parse_checklist(text, "weighted.yaml")
    assert checklist is not None, problems
    a = parse_assessment(yaml.safe_dump(sample_data(), allow_unicode=True), "case.yaml", resolve=lambda i, v: checklist)
    r = score(a)
    children = r.alternatives["proposal"].groups["children"].value
    assert children is not None and -0.5 < children < 0 and figure(children) == 0
    s = summarize(a, r, "sv")
    assert "children" in {x.group for x in s.level}
    assert "children" not in {x.group for x in s.losers} | {x.group for x in s.gainers}
    out = io.BytesIO()
    render_report(a, out)  # and the cross-check agrees with the page
    from summary_check import summary_page

    page = squash(summary_page(out.getvalue(), "sv"))
    assert squash("Förlorar: hushåll med låg inkomst (−100).") in page
    assert squash("Oförändrade sammantaget: barn och unga (0).") in page
    # and the equity chapter's table names the same losers, in each alternative
    from render import page_texts

    text = " ".join(" ".join(p.split()) for p in page_texts(out.getvalue()))
    assert "Förlorar Hushåll med låg inkomst Hushåll med låg inkomst " in text


def test_no_measure_is_said_only_where_none_exists_and_a_dropped_one_is_named():
    a = sample_assessment()
    a.measures[0].status = a.measures[0].status.__class__("dropped")  # the measure on "affordable"
    s = summarize(a, score(a), "sv")
    affordable = next(f for f in s.findings if f.criterion == "affordable")
    schools = next(f for f in s.findings if f.criterion == "schools")
    assert affordable.measures and not affordable.has_measure
    assert not schools.measures
    out = io.BytesIO()
    render_report(a, out)  # the cross-check runs here too
    from summary_check import summary_page
    page = squash(summary_page(out.getvalue(), "sv"))
    assert page.count(squash("Ingen åtgärd är beslutad.")) == 1
    assert squash("Åtgärden är avbruten och ingen annan är beslutad.") in page


def test_a_finding_says_what_for_whom_how_large_and_in_which_alternative():
    a = sample_assessment()
    s = summarize(a, score(a), "en")
    affordable = next(f for f in s.findings if f.criterion == "affordable")
    assert [(x.group, x.step, x.shown) for x in affordable.ratings] == [("low_income", -2, -100),
                                                                         ("children", -1, -50)]
    assert affordable.worst.label == {"sv": "Stor negativ påverkan", "en": "Major negative impact"}
    assert affordable.alternative == "proposal"


# --- the same claims on every surface -------------------------------------------------------------


@pytest.fixture
def stored_examples(tmp_path, monkeypatch):
    monkeypatch.setenv("SKB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    monkeypatch.delenv("SKB_CHECKLIST_DIR", raising=False)
    ids = {}
    with open_store() as store:
        for path in EXAMPLES:  # imported as a person would: a claimed adoption arrives as a draft
            ids[path.stem] = store.load(store.import_(path.read_bytes(), path.name, "test")).assessment
    return ids


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=labelled)
def test_the_results_page_shows_the_summary_s_figures(stored_examples, path, lang):
    a = stored_examples[path.stem]
    r = score(a)
    s = summarize(a, r, lang)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["id"] = a.id
    at.query_params["lang"] = lang
    at.switch_page("ui/app_pages/results.py").run()
    assert not at.exception, at.exception
    text = " ".join(str(e.value) for kind in ("markdown", "caption", "error", "success", "info", "warning")
                    for e in getattr(at, kind))
    flat = squash(text.replace("\\", ""))
    # the overall figures, as the report and the CLI show them
    assert sorted(m.value for m in at.metric) == sorted(fmt_figure(x.value) for x in s.alternatives)
    assert squash(s.headline) in flat
    # losers: exactly the groups shown below zero, each with its figure
    groups = {g.id: text_for(g.label, lang) for g in a.checklist.groups}
    for x in s.losers:
        assert squash(f"{groups[x.group]} ({fmt_figure(x.value)})") in flat
    lose_line = next((e.value for e in at.markdown if e.value.startswith("**" + ("Förlorar" if lang == "sv" else "Lose"))),
                     "").replace("\\", "")
    loser_labels = [groups[x.group] for x in s.losers]
    for g, label in groups.items():
        if g in {x.group for x in s.losers} or any(label in other for other in loser_labels):
            continue
        assert f"{label} (" not in lose_line, f"{g} is named as losing on the results page"
    # differences: the difference of the figures shown
    for d in s.differences:
        assert squash(fmt_figure(d.shown)) in flat and d.shown == d.other_shown - d.base_shown
    # knowledge gaps counted as listed, in the tab a reader opens for them
    if s.gaps:
        from ui.i18n import t, tn

        at.session_state["results_tab"] = t(lang, "common.flags_and_gaps")
        at.run()
        assert not at.exception, at.exception
        flat = squash(" ".join(str(e.value) for e in at.caption).replace("\\", ""))
        said = tn(lang, "ui.gaps_for", len(s.gaps), alternative="\x00").split("\x00")[0]
        assert squash(said) in flat


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=labelled)
def test_skb_score_prints_the_same_figures(capsys, path, lang):
    a = example(path)
    r = score(a)
    s = summarize(a, r, lang)
    assert main(["score", str(path), "--lang", lang]) == 0
    out = capsys.readouterr().out
    overall_label = "Samlad poäng" if lang == "sv" else "Overall score"
    row = next(line for line in out.splitlines() if line.startswith(overall_label))
    cells = row[len(overall_label):].split()
    assert cells[:len(s.alternatives)] == [fmt_figure(x.value) for x in s.alternatives]
    assert cells[len(s.alternatives):] == [fmt_figure(d.shown) for d in s.differences]
    assert "-" not in row  # a real minus sign, as on the page and in the report
    names = {g.id: text_for(g.label, lang) for g in a.checklist.groups}
    for x in s.losers:  # the group's row in the table (a finding may name the group first)
        assert any(fmt_figure(x.value) in line.split() for line in out.splitlines()
                   if line.strip().startswith(names[x.group][:40]))


# --- the report's cross-check catches a page that lies -----------------------------------------------


def _lying(result, **groups):
    """A copy of `result` whose headline groups score as given: the page built from the truth now lies."""
    headline = result.alternatives[result.primary]
    fake_groups = {g: dataclasses.replace(s, value=groups.get(g, s.value)) for g, s in headline.groups.items()}
    alternatives = {**result.alternatives, result.primary: dataclasses.replace(headline, groups=fake_groups)}
    return dataclasses.replace(result, alternatives=alternatives)


def _truthful_pdf(a: Assessment, lang: str = "sv") -> bytes:
    out = io.BytesIO()
    render_report.__wrapped__(a, out, lang=lang)
    return out.getvalue()


def test_the_cross_check_catches_a_loser_the_page_does_not_name_and_one_it_names_wrongly():
    a = sample_assessment()
    r = score(a)
    pdf = _truthful_pdf(a)
    check_summary_page(pdf, a, r, "sv")
    with pytest.raises(AssertionError, match="older"):
        check_summary_page(pdf, a, _lying(r, older=-30.0), "sv")
    with pytest.raises(AssertionError, match="loser"):
        check_summary_page(pdf, a, _lying(r, low_income=0.3), "sv")


def test_the_cross_check_catches_a_wrong_gap_count_and_a_difference_that_does_not_add_up():
    a = sample_assessment()
    r = score(a)
    pdf = _truthful_pdf(a, "en")
    primary_gaps = [g for g in r.gaps if g.alternative in (None, r.primary)]
    fewer = dataclasses.replace(r, gaps=primary_gaps[:1])
    assert len({g.criterion for g in primary_gaps}) == 2
    with pytest.raises(AssertionError, match="knowledge gaps"):
        check_summary_page(pdf, a, fewer, "en")
    zero = r.alternatives["zero"]
    moved = dataclasses.replace(zero, overall=dataclasses.replace(zero.overall, value=zero.overall.value - 3))
    shifted = dataclasses.replace(r, alternatives={**r.alternatives, "zero": moved})
    with pytest.raises(AssertionError, match="zero"):
        check_summary_page(pdf, a, shifted, "en")


def test_the_participant_letter_promises_the_summary_s_measures_only():
    from assessment.answers.model import Measure
    from reports import render_participant_feedback

    from render import page_texts

    a = sample_assessment()
    a.measures.append(Measure(criterion="traffic_safety", alternative="zero", text="Farthinder om planen inte blir av."))
    a.measures.append(Measure(criterion="schools", alternative="proposal", text="Paviljong vid skolan.",
                              status="dropped"))
    s = summarize(a, score(a), "sv")
    assert [m.id for m in s.promised] == ["m1", "m2"]
    out = io.BytesIO()
    render_participant_feedback(a, out)
    text = squash(" ".join(page_texts(out.getvalue())))
    assert squash("Ställ krav på 30 % hyresrätter") in text and squash("Hastighetsdämpande åtgärder") in text
    assert squash("Farthinder om planen inte blir av") not in text
    assert squash("Paviljong vid skolan") not in text


def test_the_cross_check_reads_the_claims_where_the_summary_makes_them_not_in_the_assessors_text():
    # The assessors may write anything: their words are theirs, and the check does not read them as claims.
    a = sample_assessment(summary="Förlorar: äldre (−100). Ingen åtgärd är beslutad. Okända frågor (9):")
    out = io.BytesIO()
    render_report(a, out)  # the check runs, and passes
    check_summary_page(out.getvalue(), a, score(a), "sv")
