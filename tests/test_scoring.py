"""Scoring: small checklists, the answers a planner gives, the scores and messages that follow."""

from __future__ import annotations

import json

import pytest
import yaml

from assessment.answers.model import Assessment, parse_assessment
from assessment.scoring.results import result_from_json, result_json
from assessment.scoring.scoring import AVERAGE_HIDES_GAP_RULE, score
from assessment.checklist.validate import parse_checklist

BASE = """\
schema_version: 1
id: grannskap
version: "1"
title: {sv: Grannskap, en: Neighbourhood}
languages: [sv, en]
frameworks:
  - id: policy_area
    title: Målområden
    items:
      - {id: early_life, title: Det tidiga livets villkor}
      - {id: housing, title: Boende och närmiljö}
      - {id: influence, title: "Kontroll, inflytande och delaktighet"}
  - id: level
    title: Rumslig nivå
    items: [{id: block, title: Kvarter}, {id: district, title: Stadsdel}]
scales:
  - id: impact
    steps:
      - {value: -2, label: Stor negativ}
      - {value: -1, label: Negativ}
      - {value: 0, label: Ingen}
      - {value: 1, label: Positiv}
      - {value: 2, label: Stor positiv}
groups:
  - {id: barn, label: Barn, weight: 2, worse_off: true}
  - {id: aldre, label: Äldre, weight: 1, worse_off: true}
  - {id: alla, label: Hela befolkningen, weight: 1, population: true}
alternatives:
  - {id: noll, label: Nollalternativ, kind: zero}
  - {id: forslag, label: Planförslaget, kind: proposal}
"""

SECTIONS = """\
sections:
  - id: boende
    title: Boende
    weight: 2
    dimensions: {policy_area: [housing]}
    criteria:
      - {id: bostader, text: Bostadsutbud, type: impact, scale: impact, weight: 3, dimensions: {level: [district]}}
      - {id: gronska, text: Grönska, type: impact, scale: impact, weight: 1, dimensions: {level: [block]}}
  - id: barn
    title: Barn och unga
    dimensions: {policy_area: [early_life]}
    criteria:
      - {id: lek, text: Lekmiljöer, type: group_impact, scale: impact, groups: [barn, alla]}
      - {id: skolvag, text: Skolvägar, type: impact, scale: impact}
"""


def rule_flags(result):
    """The flags of the checklist's own rules, without the verdict's built-in ones (tests/validity has those)."""
    return [f for f in result.flags if f.kind != "verdict"]


def checklist_from(text: str):
    checklist, problems = parse_checklist(text, "test.yaml")
    assert [p for p in problems if p.severity == "error"] == [], problems
    return checklist


def assess(checklist_text: str, answers: str = "") -> Assessment:
    """An assessment file as a planner would write it (no snapshot), read like any other."""
    checklist = checklist_from(checklist_text)
    data = {"format": "skb-assessment", "schema_version": 1, "metadata": {"title": "Kvarteret Ängen"},
            "checklist_ref": {"id": checklist.id, "version": checklist.version}}
    data.update(yaml.safe_load(answers) or {})
    return parse_assessment(yaml.safe_dump(data, allow_unicode=True), "test",
                            resolve=lambda cid, version: checklist)


def test_a_rating_is_scaled_to_plus_minus_100_by_the_largest_step():
    r = score(assess(BASE + SECTIONS, "alternatives: {forslag: {gronska: {value: 1}}}"))
    assert r.headline.criteria["gronska"].value == 50.0
    assert r.primary == "forslag"


def test_group_impact_weighs_worse_off_groups_more():
    # barn (weight 2) +2 -> 100, alla (weight 1) -1 -> -50: (2*100 + 1*-50) / 3 = 50
    r = score(assess(BASE + SECTIONS, "alternatives: {forslag: {lek: {value: {barn: 2, alla: -1}}}}"))
    lek = r.headline.criteria["lek"]
    assert lek.value == pytest.approx(50.0)
    assert [(d.group, round(d.effect, 2)) for d in lek.up] == [("barn", 66.67)]
    assert [(d.group, round(d.effect, 2)) for d in lek.down] == [("alla", -16.67)]


def test_sections_weigh_criteria_and_overall_weighs_sections():
    r = score(assess(BASE + SECTIONS, """
alternatives:
  forslag:
    bostader: {value: 2}
    gronska: {value: -2}
    skolvag: {value: -1}
"""))
    alt = r.headline
    assert alt.sections["boende"].value == pytest.approx((3 * 100 + 1 * -100) / 4)  # 50
    assert alt.sections["barn"].value == pytest.approx(-50.0)  # lek unanswered, skolvag -1
    assert alt.overall.value == pytest.approx((2 * 50 + 1 * -50) / 3)
    assert alt.overall.answered == 3 and alt.overall.applicable == 4 and alt.overall.coverage == 0.75
    # why: bostader pulls up most, then the others pull down
    assert [d.criterion for d in alt.overall.up] == ["bostader"]
    assert [d.criterion for d in alt.overall.down] == ["skolvag", "gronska"]
    assert alt.overall.up[0].effect == pytest.approx(2 / 3 * 3 / 4 * 100)


def test_worst_aggregation_makes_a_section_as_good_as_its_worst_criterion():
    text = BASE + SECTIONS + "scoring: {aggregation: worst}\n"
    r = score(assess(text, "alternatives: {forslag: {bostader: {value: 2}, gronska: {value: -1}}}"))
    assert r.headline.sections["boende"].value == -50.0
    assert [d.criterion for d in r.headline.sections["boende"].down] == ["gronska"]


def test_unknown_is_a_knowledge_gap_never_a_zero():
    r = score(assess(BASE + SECTIONS, "alternatives: {forslag: {bostader: {value: 2}, gronska: {value: unknown}}}"))
    boende = r.headline.sections["boende"]
    assert boende.value == 100.0  # not (3*100 + 1*0) / 4
    assert (boende.answered, boende.applicable, boende.unknown, boende.coverage) == (1, 2, 1, 0.5)
    assert [(g.criterion, g.alternative) for g in r.gaps] == [("gronska", "forslag")]


def test_not_relevant_answers_are_left_out_entirely():
    r = score(assess(BASE + SECTIONS, "alternatives: {forslag: {bostader: {value: 2}, gronska: {value: not_relevant}}}"))
    boende = r.headline.sections["boende"]
    assert (boende.value, boende.applicable, boende.coverage) == (100.0, 1, 1.0)
    assert "gronska" in r.not_relevant and "gronska" not in r.headline.criteria
    assert r.gaps == []


def test_a_group_answered_unknown_is_a_gap_for_that_group_only():
    r = score(assess(BASE + SECTIONS, "alternatives: {forslag: {lek: {value: {barn: unknown, alla: 1}}}}"))
    assert r.headline.criteria["lek"].value == 50.0
    assert [(g.criterion, g.group) for g in r.gaps] == [("lek", "barn")]
    assert r.headline.groups["barn"].value is None and r.headline.groups["barn"].unknown == 1


def test_hidden_questions_are_not_scored():
    text = BASE + """\
sections:
  - id: screening
    title: Screening
    criteria:
      - {id: barn_berors, text: Berörs barn, type: yes_no}
      - id: lek
        text: Lekmiljöer
        type: impact
        scale: impact
        show_if: {equals: {question: barn_berors, value: true}}
      - {id: bostader, text: Bostäder, type: impact, scale: impact}
"""
    r = score(assess(text, """
answers: {barn_berors: {value: false}}
alternatives: {forslag: {lek: {value: -2}, bostader: {value: 1}}}
"""))
    assert r.hidden == ["lek"]
    assert r.headline.overall.value == 50.0 and r.headline.overall.applicable == 1
    assert "lek" not in r.headline.criteria


def test_a_follow_up_on_a_rating_is_shown_for_the_alternatives_that_need_it():
    text = BASE + """\
sections:
  - id: trafik
    title: Trafik
    criteria:
      - {id: skolvag, text: Skolvägar, type: impact, scale: impact}
      - id: skolvag_barn
        text: Skolvägar för barn med funktionsnedsättning
        type: impact
        scale: impact
        show_if: {lte: {question: skolvag, value: -1}}
"""
    r = score(assess(text, """
alternatives:
  noll: {skolvag: {value: 1}, skolvag_barn: {value: -2}}
  forslag: {skolvag: {value: -1}, skolvag_barn: {value: -2}}
"""))
    # the follow-up reads each alternative's own rating: asked for the proposal only
    assert "skolvag_barn" in r.alternatives["forslag"].criteria
    assert "skolvag_barn" not in r.alternatives["noll"].criteria
    assert r.alternatives["noll"].overall.value == 50.0
    assert r.alternatives["forslag"].overall.value == pytest.approx(-75.0)


def test_every_framework_item_gets_a_score_from_criterion_and_section_dimensions():
    r = score(assess(BASE + SECTIONS, "alternatives: {forslag: {bostader: {value: 2}, gronska: {value: -2}}}"))
    dims = r.headline.dimensions
    assert set(dims) == {"policy_area", "level"}
    assert dims["policy_area"]["housing"].value == pytest.approx(50.0)  # from the section's dimensions
    assert dims["level"]["district"].value == 100.0 and dims["level"]["block"].value == -100.0
    assert dims["policy_area"]["influence"].value is None and dims["policy_area"]["influence"].applicable == 0


def test_groups_and_the_group_by_policy_area_matrix():
    r = score(assess(BASE + SECTIONS, "alternatives: {forslag: {lek: {value: {barn: 2, alla: -1}}}}"))
    matrix = r.headline.group_dimensions["policy_area"]
    # sparse: a cell is there when the group has a rated criterion on that item
    assert matrix["barn"] == {"early_life": 100.0}
    assert matrix["alla"] == {"early_life": -50.0}
    assert matrix["aldre"] == {}
    assert r.headline.groups["barn"].value == 100.0


EQUITY = BASE + """\
sections:
  - id: livsmiljo
    title: Livsmiljö
    criteria:
      - {id: park, text: Park, type: group_impact, scale: impact}
      - {id: buss, text: Buss, type: group_impact, scale: impact}
scoring:
  flags:
    - {id: klyfta, kind: gap_widens, severity: serious, message: {sv: Klyftan ökar, en: The gap widens}}
"""


def test_a_plan_that_raises_the_average_but_widens_the_gap_says_so():
    r = score(assess(EQUITY, """
alternatives:
  forslag:
    park: {value: {barn: 0, aldre: 0, alla: 2}}
    buss: {value: {barn: 1, aldre: 0, alla: 2}}
"""))
    eq = r.headline.equity
    # worse-off: barn 25 (weight 2), aldre 0 (weight 1) -> 16.67; population (alla) 100
    assert eq.worse_off == pytest.approx(50 / 3)
    assert eq.population == 100.0
    assert eq.gap_change == pytest.approx(50 / 3 - 100)
    assert eq.verdict == "widens" and eq.average_hides_gap
    assert eq.note is not None and "genomsnittet" in eq.note["sv"]
    assert {f.rule for f in r.flags} == {"klyfta", AVERAGE_HIDES_GAP_RULE}
    assert eq.gainers == ["alla", "barn"] and eq.losers == []


@pytest.mark.parametrize("barn, alla, verdict", [(2, 0, "narrows"), (1, 1, "unchanged"), (-1, 1, "widens")])
def test_equity_verdicts(barn, alla, verdict):
    r = score(assess(EQUITY, f"alternatives: {{forslag: {{park: {{value: {{barn: {barn}, aldre: {barn}, alla: {alla}}}}}}}}}"))
    assert r.headline.equity.verdict == verdict
    assert ("klyfta" in {f.rule for f in r.flags}) is (verdict == "widens")


def test_equity_is_unknown_without_the_worse_off_groups():
    r = score(assess(EQUITY, "alternatives: {forslag: {park: {value: {alla: 2}}}}"))
    assert r.headline.equity.verdict == "unknown" and r.headline.equity.gap_change is None


def test_without_a_population_group_the_weighted_mean_of_all_groups_is_the_reference():
    text = EQUITY.replace(", population: true", "")
    r = score(assess(text, "alternatives: {forslag: {park: {value: {barn: 2, aldre: 0, alla: -2}}}}"))
    eq = r.headline.equity
    assert eq.population == pytest.approx((2 * 100 + 0 - 100) / 4)
    assert eq.worse_off == pytest.approx(200 / 3)


PARTICIPATION = BASE + """\
choice_lists:
  - id: omfattning
    options: [{id: kvarter, label: Kvarter}, {id: stadsdel, label: Stadsdel}]
ladders:
  - id: trappan
    title: Delaktighetstrappan
    levels: [{id: information, label: Information}, {id: konsultation, label: Konsultation},
             {id: dialog, label: Dialog}, {id: inflytande, label: Inflytande}, {id: medbeslut, label: Medbeslut}]
sections:
  - id: delaktighet
    title: Delaktighet
    criteria:
      - {id: omfattning, text: Planens omfattning, type: single_choice, choices: omfattning}
      - {id: niva, text: Vilken nivå nåddes, type: ladder, ladder: trappan}
      - {id: trygghet, text: Trygghet, type: impact, scale: impact}
scoring:
  participation:
    question: niva
    default: konsultation
    rules:
      - {when: {equals: {question: omfattning, value: stadsdel}}, level: inflytande}
  flags:
    - {id: for_lite, kind: participation_below_expected, message: Lägre delaktighet än förväntat}
"""


def test_participation_expected_by_the_first_rule_that_holds():
    r = score(assess(PARTICIPATION, "answers: {omfattning: {value: stadsdel}, niva: {value: dialog}}"))
    p = r.participation
    assert (p.reached, p.expected, p.reached_rank, p.expected_rank, p.met) == ("dialog", "inflytande", 2, 3, False)
    assert [f.rule for f in rule_flags(r)] == ["for_lite"]


def test_participation_records_can_lift_the_level_reached():
    r = score(assess(PARTICIPATION, """
answers: {omfattning: {value: stadsdel}, niva: {value: dialog}}
participation:
  - {groups: [barn], method: skolbesök, level: inflytande, participants: 24, changed: Lekplatsen flyttades}
"""))
    assert r.participation.reached == "inflytande" and r.participation.met is True
    assert r.participation.heard == ["barn"]
    assert rule_flags(r) == []


def test_participation_not_answered_is_no_dialogue_reached():
    r = score(assess(PARTICIPATION, "answers: {omfattning: {value: kvarter}}"))
    assert r.participation.expected == "konsultation" and r.participation.met is False
    assert [f.rule for f in rule_flags(r)] == ["for_lite"]
    assert [f.code for f in r.findings if f.code.startswith("participation")] == ["participation_unanswered"]


MEASURES = BASE + SECTIONS + """\
scoring:
  flags:
    - {id: utan_atgard, kind: negative_without_measure, message: Negativ påverkan utan åtgärd}
    - {id: barn_utan_atgard, kind: negative_without_measure, severity: serious, groups: [barn],
       message: Negativ påverkan på barn utan åtgärd}
    - {id: stor, kind: negative_without_measure, severity: serious, threshold: -2, sections: [boende],
       message: Stor negativ påverkan}
"""


def test_negative_impacts_without_a_measure_raise_their_flags():
    r = score(assess(MEASURES, """
alternatives:
  noll: {bostader: {value: -2}}
  forslag:
    bostader: {value: -2}
    gronska: {value: -1}
    skolvag: {value: 0}
    lek: {value: {barn: -1, alla: 0}}
"""))
    raised = sorted((f.rule, f.criterion, f.group, f.alternative) for f in rule_flags(r))
    # Every rule that catches a rating fires, each with its own words: the -2 by the general rule and by
    # "stor"; the children's -1 by the general rule and the rule for children. Nothing for the zero
    # alternative: what happens without the plan needs no measure from it.
    assert raised == [
        ("barn_utan_atgard", "lek", "barn", "forslag"),
        ("stor", "bostader", None, "forslag"),
        ("utan_atgard", "bostader", None, "forslag"),
        ("utan_atgard", "gronska", None, "forslag"),
        ("utan_atgard", "lek", "barn", "forslag"),
    ]


OVERLAPPING = BASE + SECTIONS + """\
scoring:
  flags:
    - {id: utan_atgard, kind: negative_without_measure, message: Negativ påverkan utan åtgärd}
    - {id: barn_utan_atgard, kind: negative_without_measure, severity: serious, groups: [barn],
       message: Negativ påverkan på barn utan åtgärd}
    - {id: allvarlig, kind: negative_without_measure, severity: serious, threshold: -2,
       message: Stor negativ påverkan utan åtgärd}
    - {id: stor_info, kind: negative_without_measure, severity: info, threshold: -2, message: Notera}
    - {id: samma_ord, kind: negative_without_measure, severity: info, threshold: -2,
       message: Stor negativ påverkan utan åtgärd}
    - {id: luckor, kind: knowledge_gaps, threshold: 0.2, message: Kunskapsluckor}
    - {id: manga_luckor, kind: knowledge_gaps, threshold: 0.4, severity: serious, message: Många kunskapsluckor}
    - {id: luckor_igen, kind: knowledge_gaps, threshold: 0.1, message: Kunskapsluckor}
"""


def test_every_matching_rule_fires_and_the_same_words_are_said_once():
    r = score(assess(OVERLAPPING, """
alternatives:
  forslag:
    bostader: {value: -2}
    gronska: {value: -1}
    lek: {value: {barn: -2, alla: -1}}
"""))
    raised = [(f.rule, f.criterion, f.group, f.severity, f.detail) for f in rule_flags(r)]
    assert raised == [
        ("utan_atgard", "bostader", None, "warning", "bostader: -2"),
        ("utan_atgard", "gronska", None, "warning", "gronska: -1"),
        ("utan_atgard", "lek", None, "warning", "lek: barn -2, alla -1"),
        ("barn_utan_atgard", "lek", "barn", "serious", "lek: barn -2"),
        # "samma_ord" says what "allvarlig" says, less severely: said once, by the serious rule
        ("allvarlig", "bostader", None, "serious", "bostader: -2"),
        ("allvarlig", "lek", "barn", "serious", "lek: barn -2"),
        ("stor_info", "bostader", None, "info", "bostader: -2"),
        ("stor_info", "lek", "barn", "info", "lek: barn -2"),
    ]
    assert "samma_ord" not in {f.rule for f in r.flags}
    said = [(f.criterion, f.group, f.alternative, str(f.message)) for f in r.flags
            if f.kind == "negative_without_measure"]
    assert len(said) == len(set(said))


def test_a_rule_for_one_group_fires_beside_the_general_rule():
    r = score(assess(OVERLAPPING, "alternatives: {forslag: {lek: {value: {barn: -1, alla: -2}}}}"))
    assert [(f.rule, f.group, f.detail) for f in rule_flags(r)] == [
        ("utan_atgard", None, "lek: alla -2, barn -1"),
        ("barn_utan_atgard", "barn", "lek: barn -1"),
        ("allvarlig", "alla", "lek: alla -2"),
        ("stor_info", "alla", "lek: alla -2"),
    ]


def test_knowledge_gaps_rules_each_fire_when_passed_and_the_same_words_once():
    many = score(assess(OVERLAPPING, """
alternatives:
  forslag: {bostader: {value: unknown}, gronska: {value: unknown}, lek: {value: {barn: 1, alla: 1}}, skolvag: {value: 1}}
"""))
    # "luckor_igen" (10 %) says what "luckor" (20 %) says, with the same severity: the first declared says it
    assert [(f.rule, f.alternative) for f in rule_flags(many)] == [("luckor", "forslag"), ("manga_luckor", "forslag")]
    some = score(assess(OVERLAPPING, """
alternatives:
  forslag: {bostader: {value: unknown}, gronska: {value: 1}, lek: {value: {barn: 1, alla: 1}}, skolvag: {value: 1}}
"""))
    assert [(f.rule, f.alternative) for f in rule_flags(some)] == [("luckor", "forslag")]


def test_a_measure_for_the_criterion_and_alternative_or_for_every_alternative_counts():
    r = score(assess(MEASURES, """
alternatives:
  forslag: {bostader: {value: -2}, gronska: {value: -1}, skolvag: {value: -1}}
measures:
  - {criterion: bostader, alternative: forslag, text: Blandade upplåtelseformer, responsible: Samhällsbyggnad,
     due: 2027-06-30, indicator: Andel hyresrätter}
  - {criterion: gronska, text: Ersättningsplantering, responsible: Park och natur, due: 2027-09-01,
     indicator: Antal träd}
  - {criterion: skolvag, alternative: noll, text: Gäller inte förslaget, responsible: Trafik, due: 2027-01-01,
     indicator: Olyckor}
"""))
    assert sorted((f.rule, f.criterion) for f in rule_flags(r)) == [("utan_atgard", "skolvag")]


def test_knowledge_gaps_and_condition_flags():
    text = BASE + SECTIONS + """\
scoring:
  flags:
    - {id: luckor, kind: knowledge_gaps, threshold: 0.5, severity: info, message: Många kunskapsluckor}
    - id: barn_negativt
      kind: condition
      when: {lte: {question: skolvag, value: -1}}
      message: Skolvägarna blir sämre
"""
    r = score(assess(text, """
alternatives:
  noll: {skolvag: {value: -2}}
  forslag: {bostader: {value: unknown}, gronska: {value: unknown}, lek: {value: unknown}, skolvag: {value: -1}}
"""))
    assert sorted((f.rule, f.alternative, f.detail) for f in rule_flags(r)) == [
        ("barn_negativt", "forslag", ""),
        ("luckor", "forslag", "3 of 4 unknown"),
    ]
    assert len(r.gaps) == 4  # three rated criteria, and lek counts once per group: barn and alla
    assert {(g.criterion, g.group) for g in r.gaps if g.criterion == "lek"} == {("lek", "barn"), ("lek", "alla")}


def test_every_other_alternative_is_compared_with_the_zero_alternative():
    r = score(assess(BASE + SECTIONS, """
alternatives:
  noll: {bostader: {value: -1}, lek: {value: {barn: -1, alla: 0}}}
  forslag: {bostader: {value: 2}, lek: {value: {barn: 1, alla: 1}}}
"""))
    [d] = r.differences
    assert (d.base, d.other) == ("noll", "forslag")
    assert d.overall == pytest.approx(r.alternatives["forslag"].overall.value - r.alternatives["noll"].overall.value)
    assert d.sections["boende"] == pytest.approx(150.0)
    assert d.groups["barn"] == pytest.approx(100.0) and d.groups["aldre"] is None
    assert d.dimensions["level"]["district"] == pytest.approx(150.0)


def test_without_a_zero_alternative_the_first_is_the_base():
    text = (BASE + SECTIONS).replace("kind: zero", "kind: other")
    r = score(assess(text, "alternatives: {noll: {bostader: {value: 1}}, forslag: {bostader: {value: 2}}}"))
    assert [(d.base, d.other, d.overall) for d in r.differences] == [("noll", "forslag", 50.0)]


def test_a_checklist_without_alternatives_scores_the_proposal():
    text = BASE.replace("""alternatives:
  - {id: noll, label: Nollalternativ, kind: zero}
  - {id: forslag, label: Planförslaget, kind: proposal}
""", "") + SECTIONS
    r = score(assess(text, "alternatives: {proposal: {bostader: {value: 2}}}"))
    assert r.primary == "proposal" and r.differences == []
    assert r.headline.overall.value == 100.0


@pytest.mark.parametrize("answers, key", [
    ("alternatives: {forslag: {bostader: {value: unknown}, gronska: {value: unknown}, lek: {value: unknown}, "
     "skolvag: {value: unknown}}}", "all_unknown"),
    ("", "nothing_rated"),
    ("alternatives: {forslag: {bostader: {value: not_relevant}, gronska: {value: not_relevant}, "
     "lek: {value: not_relevant}, skolvag: {value: not_relevant}}}", "nothing_applicable"),
])
def test_no_score_says_why(answers, key):
    r = score(assess(BASE + SECTIONS, answers))
    assert r.headline.overall.value is None
    from assessment.scoring.scoring import MESSAGES
    assert r.message == MESSAGES[key]


def test_score_bands_label_the_score():
    text = BASE + SECTIONS + """\
scoring:
  bands:
    - {min: -100, label: {sv: Negativ, en: Negative}}
    - {min: -10, label: {sv: Neutral, en: Neutral}}
    - {min: 10, label: {sv: Positiv, en: Positive}}
"""
    r = score(assess(text, "alternatives: {forslag: {bostader: {value: 1}, skolvag: {value: 0}}}"))
    assert r.headline.criteria["bostader"].band == {"sv": "Positiv", "en": "Positive"}
    assert r.headline.criteria["skolvag"].band == {"sv": "Neutral", "en": "Neutral"}
    assert r.headline.criteria["gronska"].band is None  # not rated


def test_swedish_and_other_names_survive_in_flags():
    text = BASE + SECTIONS + """\
scoring:
  flags:
    - {id: n, kind: negative_without_measure, message: {sv: "Łódź, Şahin, Ελλάδα: åtgärd saknas", en: Missing}}
"""
    r = score(assess(text, "alternatives: {forslag: {gronska: {value: -2}}}"))
    assert r.flags[0].message["sv"] == "Łódź, Şahin, Ελλάδα: åtgärd saknas"


def test_the_result_is_exactly_what_full_validation_would_build():
    r = score(assess(MEASURES, """
answers: {}
alternatives:
  noll: {bostader: {value: -1}, lek: {value: {barn: unknown, alla: 0}}}
  forslag: {bostader: {value: 2}, gronska: {value: -2}, lek: {value: {barn: 1, alla: -2}}, skolvag: {value: unknown}}
"""))
    assert result_from_json(result_json(r)) == r
    assert result_from_json(json.loads(json.dumps(result_json(r)))) == r


def test_scoring_is_pure_the_same_answers_give_the_same_result():
    a = assess(BASE + SECTIONS, "alternatives: {forslag: {bostader: {value: 2}, lek: {value: {barn: -1, alla: 2}}}}")
    assert score(a) == score(a.model_copy(deep=True))


def test_each_further_alternative_is_compared_with_the_zero_alternative():
    text = (BASE + SECTIONS).replace("  - {id: forslag, label: Planförslaget, kind: proposal}\n",
                                     "  - {id: forslag, label: Planförslaget, kind: proposal}\n"
                                     "  - {id: lagre, label: Lägre exploatering, kind: other}\n")
    r = score(assess(text, """
alternatives:
  noll: {bostader: {value: 0}}
  forslag: {bostader: {value: 2}}
  lagre: {bostader: {value: 1}}
"""))
    assert r.primary == "forslag"
    assert [(d.base, d.other, d.overall) for d in r.differences] == [("noll", "forslag", 100.0),
                                                                    ("noll", "lagre", 50.0)]


def test_groups_answered_unknown_are_knowledge_gaps_that_coverage_and_the_flag_see():
    text = BASE + SECTIONS + """\
scoring:
  flags:
    - {id: luckor, kind: knowledge_gaps, threshold: 0.1, message: Många kunskapsluckor}
"""
    r = score(assess(text, """
alternatives:
  forslag: {bostader: {value: 1}, gronska: {value: 1}, skolvag: {value: 1}, lek: {value: {barn: unknown, alla: 2}}}
"""))
    overall = r.alternatives["forslag"].overall
    # every criterion is answered, and lek has a score from everyone's rating; but the children's rating
    # is unknown: half of lek, an eighth of the four criteria
    assert (overall.answered, overall.applicable, overall.unknown, overall.group_unknown) == (4, 4, 0, 1)
    assert overall.unknown_share == pytest.approx(0.5 / 4)
    assert r.alternatives["forslag"].sections["barn"].unknown_share == pytest.approx(0.5 / 2)
    assert r.alternatives["forslag"].criteria["lek"].value == 100.0  # the unknown is left out, not a zero
    assert [(g.criterion, g.group, g.alternative) for g in r.gaps] == [("lek", "barn", "forslag")]
    [flag] = rule_flags(r)
    assert (flag.rule, flag.alternative) == ("luckor", "forslag")
    assert flag.detail.startswith("0 of 4 unknown, and 1 group ratings")


def test_a_group_answered_not_relevant_is_no_part_of_the_unknown_share():
    r = score(assess(BASE + SECTIONS, """
alternatives:
  forslag: {lek: {value: {barn: unknown, alla: not_relevant}}, skolvag: {value: 1}}
"""))
    overall = r.alternatives["forslag"].overall
    # lek has no rated group left: the whole criterion is unknown; bostader and gronska are unanswered
    assert (overall.answered, overall.applicable, overall.unknown, overall.group_unknown) == (1, 4, 1, 0)
    assert overall.unknown_share == pytest.approx(1 / 4)
    groups = r.alternatives["forslag"].groups
    assert (groups["barn"].unknown, groups["barn"].unknown_share) == (1, 1.0)


def test_the_result_is_plain_frozen_data_that_copies_pickles_and_dumps_whole():
    import copy
    import dataclasses
    import pickle

    answers = """
alternatives:
  noll: {bostader: {value: -1}, lek: {value: {barn: unknown, alla: 0}}}
  forslag: {bostader: {value: 2}, gronska: {value: -2}, lek: {value: {barn: 1, alla: -2}}, skolvag: {value: unknown}}
"""
    r = score(assess(MEASURES, answers))
    assert copy.deepcopy(r) == r and pickle.loads(pickle.dumps(r)) == r
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.headline.overall.value = 0.0  # type: ignore[misc]
    # every field is there at once, in the JSON too: the drivers of every score, in declaration order
    data = result_json(r)
    assert list(data["alternatives"]["forslag"]) == [f.name for f in dataclasses.fields(r.headline)]
    assert data["alternatives"]["forslag"]["criteria"]["lek"]["down"] == [
        dataclasses.asdict(d) for d in r.headline.criteria["lek"].down]
    assert list(dataclasses.asdict(r)["alternatives"]["forslag"]["overall"]["down"]) == \
        data["alternatives"]["forslag"]["overall"]["down"]
