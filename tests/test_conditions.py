"""Which questions apply: show_if conditions, cascading hiding, per-alternative answers."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from pydantic import TypeAdapter

from assessment.checklist.checklist import Condition
from assessment.answers.conditions import compile_condition, holds, ladder_ranks, visible_criteria, visible_sections
from assessment.answers.model import Answer, new_assessment
from assessment.checklist.validate import parse_checklist

CHECKLIST = """\
schema_version: 1
id: villkor
version: "1"
title: Villkor
scales:
  - id: impact
    steps:
      - {value: -2, label: Stor negativ}
      - {value: -1, label: Negativ}
      - {value: 0, label: Ingen}
      - {value: 1, label: Positiv}
      - {value: 2, label: Stor positiv}
choice_lists:
  - id: plantyp
    options: [{id: detaljplan, label: Detaljplan}, {id: bygglov, label: Bygglov}, {id: policy, label: Policy}]
  - id: grupper
    options: [{id: barn, label: Barn}, {id: aldre, label: Äldre}]
ladders:
  - id: trappan
    title: Delaktighetstrappan
    levels: [{id: information, label: Information}, {id: konsultation, label: Konsultation},
             {id: dialog, label: Dialog}, {id: inflytande, label: Inflytande}, {id: medbeslut, label: Medbeslut}]
alternatives:
  - {id: noll, label: Nollalternativ, kind: zero}
  - {id: forslag, label: Planförslag, kind: proposal}
sections:
  - id: screening
    title: Screening
    criteria:
      - {id: plantyp, text: "Vilken typ av plan?", type: single_choice, choices: plantyp}
      - {id: berorda, text: "Vilka berörs?", type: multi_choice, choices: grupper}
      - {id: barn_berors, text: "Berörs barn?", type: yes_no}
      - {id: invanare, text: Antal invånare, type: number}
      - {id: beslut, text: Beslutsdatum, type: date}
      - {id: niva, text: Nivå, type: ladder, ladder: trappan}
  - id: barn
    title: Barnkonsekvenser
    show_if: {equals: {question: barn_berors, value: true}}
    criteria:
      - {id: lek, text: Lekmiljöer, type: impact, scale: impact}
      - id: lek_atgard
        text: Vilken åtgärd?
        type: text
        show_if: {lte: {question: lek, value: -1}}
      - id: lek_uppfoljning
        text: Hur följs åtgärden upp?
        type: text
        show_if: {answered: lek_atgard}
  - id: boende
    title: Boende
    criteria:
      - id: detalj
        text: Gäller detaljplanen?
        type: yes_no
        show_if: {in: {question: plantyp, values: [detaljplan, bygglov]}}
      - id: aldre_fraga
        text: Äldres tillgänglighet
        type: impact
        scale: impact
        show_if: {includes: {question: berorda, value: aldre}}
"""


@pytest.fixture
def checklist():
    checklist, problems = parse_checklist(CHECKLIST, "villkor.yaml")
    assert problems == [], problems
    return checklist


def answered(checklist, shared=None, **alternatives):
    a = new_assessment(checklist, "Kvarteret Ängen")
    for qid, value in (shared or {}).items():
        a.answers[qid] = Answer(value=value)
    for alt, answers in alternatives.items():
        a.alternatives[alt] = {qid: Answer(value=v) for qid, v in answers.items()}
    return a


def cond(text: str) -> Condition:
    return TypeAdapter(Condition).validate_python(yaml.safe_load(text))


def lookup_from(answers):
    return answers.get


def test_a_section_hidden_by_its_condition_hides_all_its_criteria(checklist):
    a = answered(checklist, {"barn_berors": False})
    visible = visible_criteria(checklist, a, "forslag")
    assert not visible & {"lek", "lek_atgard", "lek_uppfoljning"}
    assert "barn" not in visible_sections(checklist, a, "forslag")


def test_an_unanswered_question_makes_equals_false(checklist):
    a = answered(checklist)
    assert "lek" not in visible_criteria(checklist, a, "forslag")
    assert "detalj" not in visible_criteria(checklist, a, "forslag")


def test_a_follow_up_question_reads_the_alternative_being_answered(checklist):
    a = answered(checklist, {"barn_berors": True}, noll={"lek": 1}, forslag={"lek": -2})
    assert "lek_atgard" in visible_criteria(checklist, a, "forslag")
    assert "lek_atgard" not in visible_criteria(checklist, a, "noll")
    # With no alternative named, a question is shown when it applies to any alternative.
    assert "lek_atgard" in visible_criteria(checklist, a)


def test_hiding_cascades_a_hidden_answer_counts_as_unanswered(checklist):
    # lek_atgard has an answer, but once barn_berors is "no" the whole barn section is hidden,
    # so lek_uppfoljning (shown when lek_atgard is answered) is hidden too.
    a = answered(checklist, {"barn_berors": True, "lek_atgard": "Ny lekplats"}, forslag={"lek": -1})
    assert {"lek", "lek_atgard", "lek_uppfoljning"} <= visible_criteria(checklist, a, "forslag")
    a.answers["barn_berors"] = Answer(value=False)
    assert not visible_criteria(checklist, a, "forslag") & {"lek", "lek_atgard", "lek_uppfoljning"}
    # A rating that no longer calls for a measure hides the measure and, through it, the follow-up.
    a.answers["barn_berors"] = Answer(value=True)
    a.alternatives["forslag"]["lek"] = Answer(value=1)
    assert visible_criteria(checklist, a, "forslag") & {"lek_atgard", "lek_uppfoljning"} == set()


def test_in_and_includes_on_choices(checklist):
    a = answered(checklist, {"plantyp": "bygglov", "berorda": ["barn", "aldre"]})
    assert {"detalj", "aldre_fraga"} <= visible_criteria(checklist, a, "forslag")
    a = answered(checklist, {"plantyp": "policy", "berorda": ["barn"]})
    assert not visible_criteria(checklist, a, "forslag") & {"detalj", "aldre_fraga"}


def test_unknown_rating_is_answered_but_not_comparable():
    values = {"lek": "unknown"}
    assert holds(cond("answered: lek"), values.get)
    assert not holds(cond("lte: {question: lek, value: -1}"), values.get)
    assert not holds(cond("gte: {question: lek, value: -1}"), values.get)
    assert holds(cond("equals: {question: lek, value: unknown}"), values.get)


def test_not_of_an_unanswered_comparison_is_true():
    assert holds(cond("not: {equals: {question: barn_berors, value: true}}"), {}.get)
    assert not holds(cond("equals: {question: barn_berors, value: false}"), {}.get)


@pytest.mark.parametrize("written, answer, expected", [
    ("true", True, True), ("yes", True, True), ("'yes'", True, True), ("'ja'", True, False),
    ("no", False, True), ("'false'", False, True), ("true", False, False), ("1", True, False),
])
def test_yes_no_equals_true_yes_false_no_and_never_a_number(written, answer, expected):
    assert holds(cond(f"equals: {{question: q, value: {written}}}"), {"q": answer}.get) is expected


def test_a_rating_of_one_is_not_yes():
    assert not holds(cond("equals: {question: q, value: true}"), {"q": 1}.get)


def test_gte_and_lte_compare_numbers_dates_and_ladder_levels(checklist):
    ranks = ladder_ranks(checklist)
    assert ranks["niva"]["dialog"] == 2
    assert holds(cond("gte: {question: invanare, value: 1000}"), {"invanare": 1500}.get)
    assert not holds(cond("gte: {question: invanare, value: 1000}"), {"invanare": 999.5}.get)
    assert holds(cond("lte: {question: beslut, value: '2026-06-30'}"), {"beslut": dt.date(2026, 1, 15)}.get)
    assert not holds(cond("lte: {question: beslut, value: '2026-06-30'}"), {"beslut": "2026-07-01"}.get)
    on_ladder = cond("gte: {question: niva, value: dialog}")
    assert holds(on_ladder, {"niva": "inflytande"}.get, ranks)
    assert not holds(on_ladder, {"niva": "konsultation"}.get, ranks)
    # Without the ladder's ranks, level ids are not comparable: false rather than alphabetical order.
    assert not holds(on_ladder, {"niva": "inflytande"}.get)


def test_all_any_not_combine():
    c = cond("""
all:
  - any: [{equals: {question: a, value: x}}, {equals: {question: a, value: y}}]
  - not: {answered: b}
""")
    assert holds(c, {"a": "y"}.get)
    assert not holds(c, {"a": "y", "b": 3}.get)
    assert not holds(c, {"a": "z"}.get)


def test_visibility_without_conditions_is_every_criterion(checklist):
    a = answered(checklist, {"barn_berors": True, "plantyp": "detaljplan", "berorda": ["aldre"]},
                 forslag={"lek": -1})
    a.answers["lek_atgard"] = Answer(value="Flytta infarten")
    assert visible_criteria(checklist, a, "forslag") == {c.id for c in checklist.criteria()}


@pytest.mark.parametrize("text", [
    "equals: {question: q, value: district}", "equals: {question: q, value: 'yes'}", "equals: {question: q, value: 2}",
    "equals: {question: q, value: '2026-01-01'}", "in: {question: q, values: [district, block]}",
    "in: {question: q, values: ['no', district]}", "includes: {question: q, value: barn}",
    "equals: {question: q, value: true}", "equals: {question: q, value: false}", "includes: {question: q, value: 'yes'}",
    "includes: {question: q, value: '2026-01-01'}",
    "gte: {question: q, value: 1}", "lte: {question: q, value: dialog}", "answered: q",
    "not: {any: [{equals: {question: q, value: block}}, {all: [{answered: q}, {gte: {question: q, value: 0}}]}]}",
])
@pytest.mark.parametrize("answer", [None, "district", "block", True, False, 2, 0, -1, "2026-01-01",
                                    dt.date(2026, 1, 1), ["barn"], "unknown", "dialog", "inflytande", "no",
                                    ["aldre", "barn"], [True, "yes"], ["2026-01-01"], [dt.date(2026, 1, 1)], "Yes",
                                    1, ("barn",)])
def test_a_compiled_condition_means_what_holds_says(text, answer):
    ranks = {"q": {"information": 0, "dialog": 1, "inflytande": 2}} if "dialog" in text else None
    c = cond(text)
    lookup = {"q": answer}.get
    assert compile_condition(c, ranks)(lookup) is holds(c, lookup, ranks)
