"""Properties every scoring must keep, whatever the checklist and the answers (hypothesis).

Checklists are drawn with one to three sections of impact and group_impact
criteria, two to four groups (worse-off ones and a population), a zero
alternative and a proposal, weights from 0.5 to 4 and scales of different
widths; answers are drawn from the scale, "unknown", "not_relevant" or blank.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.checklist.checklist import Checklist
from assessment.answers.model import NOT_RELEVANT, UNKNOWN, Answer, Assessment, Measure, new_assessment
from assessment.scoring.results import Result, result_json
from assessment.scoring.scoring import MESSAGES, score

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALTERNATIVES = ("noll", "forslag")
POLICY_AREAS = ("early_life", "housing", "influence")
weights = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 4.0])


@st.composite
def checklist_data(draw: st.DrawFn) -> dict[str, Any]:
    n_groups = draw(st.integers(2, 4))
    groups = [{"id": f"g{i}", "label": f"Grupp {i}", "weight": draw(weights), "worse_off": i % 2 == 1,
               "population": i == 0} for i in range(n_groups)]
    top = draw(st.sampled_from([1, 2, 3]))
    sections = []
    for s in range(draw(st.integers(1, 3))):
        criteria = []
        for c in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["impact", "group_impact"]))
            crit: dict[str, Any] = {"id": f"s{s}c{c}", "text": f"Fråga {s}.{c}", "type": kind, "scale": "impact",
                                    "weight": draw(weights),
                                    "dimensions": {"policy_area": draw(st.lists(st.sampled_from(POLICY_AREAS),
                                                                                max_size=2, unique=True))}}
            criteria.append(crit)
        sections.append({"id": f"s{s}", "title": f"Avsnitt {s}", "weight": draw(weights), "criteria": criteria,
                         "dimensions": {"policy_area": draw(st.lists(st.sampled_from(POLICY_AREAS), max_size=1))}})
    return {
        "schema_version": 1, "id": "egenskaper", "version": "1", "title": "Egenskaper",
        "frameworks": [{"id": "policy_area", "title": "Målområden",
                        "items": [{"id": p, "title": p} for p in POLICY_AREAS]}],
        "scales": [{"id": "impact", "steps": [{"value": v, "label": str(v)} for v in range(-top, top + 1)]}],
        "groups": groups,
        "alternatives": [{"id": "noll", "label": "Noll", "kind": "zero"},
                         {"id": "forslag", "label": "Förslag", "kind": "proposal"}],
        "sections": sections,
        "scoring": {
            "aggregation": draw(st.sampled_from(["weighted_mean", "worst"])),
            "flags": [{"id": "utan_atgard", "kind": "negative_without_measure", "message": "Utan åtgärd"},
                      {"id": "klyfta", "kind": "gap_widens", "message": "Klyftan ökar"}],
        },
    }


def rating(top: int) -> st.SearchStrategy[Any]:
    return st.one_of(st.integers(-top, top), st.sampled_from([UNKNOWN, NOT_RELEVANT, None]))


@st.composite
def answers_for(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    top = data["scales"][0]["steps"][-1]["value"]
    out: dict[str, dict[str, Any]] = {}
    for alt in ALTERNATIVES:
        out[alt] = {}
        for sec in data["sections"]:
            for crit in sec["criteria"]:
                if crit["type"] == "impact":
                    value = draw(rating(top))
                elif draw(st.booleans()):
                    value = {g["id"]: v for g in data["groups"] if (v := draw(rating(top))) is not None}
                else:
                    value = draw(st.sampled_from([UNKNOWN, NOT_RELEVANT, None]))
                if value is not None:
                    out[alt][crit["id"]] = value
    return out


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    data = draw(checklist_data())
    return data, draw(answers_for(data))


def build(data: dict[str, Any], answers: dict[str, dict[str, Any]], measures: list[Measure] | None = None) -> Assessment:
    a = new_assessment(Checklist.model_validate(data), "Egenskaper")
    a.alternatives = {alt: {cid: Answer(value=v) for cid, v in given.items()} for alt, given in answers.items()}
    a.measures = measures or []
    return a


def normalized(result: Result) -> Any:
    """The result as plain data, floats rounded and lists that follow checklist order sorted,
    so that two results that say the same thing compare equal."""

    def walk(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 6) + 0.0
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [walk(v) for v in value]
            return sorted(items, key=repr)
        return value

    data = result_json(result)
    data.pop("checklist_hash")
    return walk(data)


@SETTINGS
@given(cases(), st.data())
def test_improving_one_rating_never_lowers_its_section(case, data):
    checklist, answers = case
    top = checklist["scales"][0]["steps"][-1]["value"]
    candidates = [(alt, cid, g) for alt, given in answers.items() for cid, v in given.items()
                  for g in ([None] if isinstance(v, int) else [g for g, gv in v.items() if isinstance(gv, int)]
                            if isinstance(v, dict) else []) if (v if g is None else v[g]) < top]
    if not candidates:
        return
    alt, cid, group = data.draw(st.sampled_from(candidates))
    better = copy.deepcopy(answers)
    if group is None:
        better[alt][cid] += 1
    else:
        better[alt][cid][group] += 1
    section = cid.split("c")[0]
    before = score(build(checklist, answers)).alternatives[alt].sections[section].value
    after = score(build(checklist, better)).alternatives[alt].sections[section].value
    assert before is not None and after is not None
    assert after >= before - 1e-9


@SETTINGS
@given(cases(), st.sampled_from(["impact", "group_impact"]), st.booleans())
def test_adding_a_not_relevant_answer_changes_nothing(case, kind, whole):
    checklist, answers = case
    extended = copy.deepcopy(checklist)
    extended["sections"][0]["criteria"].append({"id": "extra", "text": "Ny fråga", "type": kind, "scale": "impact",
                                               "weight": 2.0, "dimensions": {"policy_area": ["housing"]}})
    more = copy.deepcopy(answers)
    for alt in ALTERNATIVES:
        if kind == "impact" or whole:
            more[alt]["extra"] = NOT_RELEVANT
        else:
            more[alt]["extra"] = {g["id"]: NOT_RELEVANT for g in checklist["groups"]}
    a, b = normalized(score(build(checklist, answers))), normalized(score(build(extended, more)))
    assert b["not_relevant"] == sorted(a["not_relevant"] + ["extra"], key=repr)
    # a group marked not relevant without a reason is a finding of its own (tests/validity); nothing else moves
    for data in (a, b):
        data["flags"] = [f for f in data["flags"] if f["rule"] != "not_relevant_without_reason"]
        data["findings"] = [f for f in data["findings"] if f["code"] != "not_relevant_without_reason"]
    for key in ("alternatives", "differences", "participation", "flags", "gaps", "hidden", "message", "findings"):
        assert a[key] == b[key], key


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_answers_groups_and_sections_does_not_matter(case, rnd):
    checklist, answers = case
    shuffled = copy.deepcopy(checklist)
    rnd.shuffle(shuffled["sections"])
    for sec in shuffled["sections"]:
        rnd.shuffle(sec["criteria"])
    rnd.shuffle(shuffled["groups"])
    reordered = {}
    for alt in reversed(ALTERNATIVES):
        items = list(answers[alt].items())
        rnd.shuffle(items)
        reordered[alt] = {cid: (dict(sorted(v.items(), key=lambda _: rnd.random())) if isinstance(v, dict) else v)
                          for cid, v in items}
    assert normalized(score(build(checklist, answers))) == normalized(score(build(shuffled, reordered)))


@SETTINGS
@given(cases(), st.sampled_from([0.5, 2.0, 3.0, 10.0]))
def test_multiplying_all_weights_by_a_constant_changes_nothing(case, factor):
    checklist, answers = case
    scaled = copy.deepcopy(checklist)
    for sec in scaled["sections"]:
        sec["weight"] *= factor
        for crit in sec["criteria"]:
            crit["weight"] *= factor
    for g in scaled["groups"]:
        g["weight"] *= factor
    assert normalized(score(build(checklist, answers))) == normalized(score(build(scaled, answers)))


@SETTINGS
@given(cases())
def test_a_negative_impact_without_a_measure_always_raises_its_flag(case):
    checklist, answers = case
    result = score(build(checklist, answers))
    flagged = {(f.criterion, f.alternative) for f in result.flags if f.rule == "utan_atgard"}
    for cid, value in answers["forslag"].items():
        ratings = [value] if isinstance(value, int) else \
            [v for v in value.values() if isinstance(v, int)] if isinstance(value, dict) else []
        if any(v <= -1 for v in ratings):
            assert (cid, "forslag") in flagged, cid
    # and a measure for the criterion, for every alternative, takes each flag away
    measures = [Measure(criterion=cid, text="Åtgärd", responsible="Samhällsbyggnad", due=dt.date(2027, 6, 30),
                        indicator="Andel nöjda") for cid, _ in flagged]
    assert not [f for f in score(build(checklist, answers, measures)).flags if f.rule == "utan_atgard"]


@SETTINGS
@given(checklist_data())
def test_every_applicable_criterion_unknown_gives_no_score_only_gaps(checklist):
    criteria = [c["id"] for sec in checklist["sections"] for c in sec["criteria"]]
    answers = {alt: {cid: UNKNOWN for cid in criteria} for alt in ALTERNATIVES}
    result = score(build(checklist, answers))
    for alt in result.alternatives.values():
        assert alt.overall.value is None and alt.overall.answered == 0
        assert all(s.value is None for s in alt.sections.values())
        assert all(s.value is None for items in alt.dimensions.values() for s in items.values())
        assert alt.equity.verdict == "unknown"
    assert result.message == MESSAGES["all_unknown"]
    assert {g.criterion for g in result.gaps} == set(criteria)
    assert not math.isnan(len(result.gaps))


@SETTINGS
@given(cases())
def test_overlapping_negative_rules_each_flag_what_they_catch_once_and_miss_none(case):
    checklist, answers = case
    checklist = copy.deepcopy(checklist)
    checklist["scoring"]["flags"] += [
        {"id": "allvarlig", "kind": "negative_without_measure", "severity": "serious", "threshold": -2,
         "message": "Stor negativ påverkan utan åtgärd"},
        {"id": "grupp_1", "kind": "negative_without_measure", "severity": "serious", "groups": ["g1"],
         "message": "Negativ påverkan på grupp 1 utan åtgärd"},
    ]
    result = score(build(checklist, answers))
    flagged: list[tuple[str, str | None, str | None, str | None]] = []
    for f in result.flags:
        if f.kind == "negative_without_measure":
            ratings = f.detail.split(": ", 1)[1]
            groups = [part.split(" ")[0] for part in ratings.split(", ")] if isinstance(
                answers[f.alternative or ""].get(f.criterion or ""), dict) else [None]
            flagged += [(f.rule, f.criterion, f.alternative, g) for g in groups]
    assert len(flagged) == len(set(flagged))  # no rule reports a rating twice
    ratings = {(cid, "forslag", g if isinstance(value, dict) else None): v
               for cid, value in answers["forslag"].items()
               for g, v in (value.items() if isinstance(value, dict) else [(None, value)])
               if isinstance(v, int) and v <= -1}
    by_rule = {rule: {(c, a, g) for r, c, a, g in flagged if r == rule} for rule in ("utan_atgard", "allvarlig",
                                                                                      "grupp_1")}
    # every rule that catches a rating fires, each with its own words: none left out, none extra
    assert by_rule["utan_atgard"] == set(ratings)
    assert by_rule["allvarlig"] == {k for k, v in ratings.items() if v <= -2}
    assert by_rule["grupp_1"] == {k for k in ratings if k[2] == "g1"}
    assert {(c, a, g) for _, c, a, g in flagged} == set(ratings)
