"""Validity: a verdict built on little evidence reads as provisional, and no choice quietly removes a flag.

"Vet ej", "ej relevant", an unanswered participation question and a measure that is only a line of
text are choices someone made: each is seen, and none makes a flag disappear.
"""

from __future__ import annotations

import datetime as dt

from assessment.answers.model import Answer, Measure, ParticipationRecord
from assessment.scoring.results import result_json
from assessment.scoring.scoring import score
from small_checklists import FIVE_STEPS, NOLL_AND_FORSLAG, checklist_yaml

from conftest import filled, inline, rate_group, said, set_answer


def test_nearly_everything_unknown_and_one_plus_two_is_not_clearly_positive(quick):
    a = filled(quick, everyone=1)
    for k in quick.criteria():
        if k.is_rated:
            set_answer(a, k.id, "unknown")
    set_answer(a, "q_housing", 2)
    r = score(a)
    assert r.headline.overall.value == 100.0 and r.headline.overall.band is None  # no band on one answer
    assert result_json(r)["alternatives"]["proposal"]["provisional"] is True
    s = said(a, r)
    assert s["sv"].headline.startswith("Förslaget: underlaget räcker inte för en samlad bedömning (bara 9 % av "
                                       "frågorna är bedömda); preliminärt +100")
    assert s["en"].headline.startswith("The proposal: the evidence is not enough for an overall judgement (only 9 % "
                                       "of the questions are rated); provisionally +100")
    assert "Tydligt positiv" not in s["sv"].headline and "positive" not in s["en"].headline.lower()
    assert "warning provisional" in s["sv"].flags
    assert "Poängen är preliminär." in " ".join(s["sv"].findings)
    assert "The score is provisional." in " ".join(s["en"].findings)


def test_enough_rated_questions_give_a_band_and_no_provisional_finding(child):
    a = filled(child, everyone=1)
    s = said(a)
    assert s["sv"].headline.startswith("Förslaget: +50 på skalan −100 till +100, barnets rättigheter stärks tydligt.")
    assert s["en"].headline.startswith("The proposal: +50 on the scale −100 to +100, children's rights clearly "
                                       "strengthened.")
    assert "provisional" not in " ".join(s["en"].flags)


def test_a_losing_worse_off_group_marked_not_relevant_without_a_reason_is_flagged(quick):
    a = filled(quick, everyone=1)
    answer = a.alternatives["proposal"]["gr_impact"]
    a.alternatives["proposal"]["gr_impact"] = Answer(value={**answer.value, "low_ses": "not_relevant"})
    s = said(a)
    assert "”Hur påverkas respektive grupp sammantaget?” är markerad som ej relevant för personer med låg " \
           "socioekonomisk position, en grupp med sämre förutsättningar, utan motivering." in s["sv"].findings
    assert "“How is each group affected overall?” is marked not relevant for people with low socio-economic " \
           "position, a group with worse starting conditions, without a reason." in s["en"].findings
    assert "warning not_relevant_without_reason" in s["sv"].flags


def test_not_relevant_with_a_reason_is_a_choice_that_is_seen_not_flagged(quick):
    a = filled(quick, everyone=1)
    answer = a.alternatives["proposal"]["gr_impact"]
    a.alternatives["proposal"]["gr_impact"] = Answer(value={**answer.value, "low_ses": "not_relevant"},
                                                     comment="Verksamheten når inte hushåll med låga inkomster.")
    r = score(a)
    assert not [f for f in r.findings if f.code == "not_relevant_without_reason"]


def test_an_always_relevant_question_for_a_detailed_plan_marked_not_relevant_needs_a_reason(integrated):
    a = filled(integrated, everyone=1)
    set_answer(a, "plan_type", "detailed_plan", alt=None)
    set_answer(a, "ho_displacement", "not_relevant")
    s = said(a)
    assert any(t.startswith("”Hur påverkas möjligheten att bo kvar i området") and t.endswith(
        "” är markerad som ej relevant utan motivering, fast frågan alltid är relevant för den här typen av plan.")
        for t in s["sv"].findings)
    assert "is marked not relevant without a reason, although the question is always relevant for this type of " \
           "plan." in " ".join(s["en"].findings)
    # for a budget decision the same answer is a choice, not a finding
    set_answer(a, "plan_type", "budget", alt=None)
    assert not [f for f in score(a).findings if f.code == "not_relevant_without_reason"]


def test_participation_left_unanswered_is_no_dialogue_reached_not_an_unjudged_blank(quick):
    a = filled(quick, everyone=1)
    r = score(a)
    assert r.participation.reached is None and r.participation.met is False
    s = said(a, r)
    assert "Delaktigheten är inte besvarad och ingen dialog är redovisad: ingen dialog är nådd." in s["sv"].findings
    assert "Participation is not answered and no dialogue is recorded: no dialogue was reached." in s["en"].findings
    assert "warning participation_below_expected" in s["sv"].flags


def test_an_unknown_vulnerable_area_counts_as_unknown_not_as_no(integrated):
    a = filled(integrated, everyone=1)
    set_answer(a, "plan_type", "detailed_plan", alt=None)
    set_answer(a, "area_vulnerable", "unknown", alt=None)
    set_answer(a, "pa_level", "dialogue", alt=None)
    r = score(a)
    assert r.participation.expected == "influence" and r.participation.met is False
    s = said(a, r)
    assert any(t.startswith("Svaret på ”") and t.endswith("är okänt; därför gäller den högre förväntade nivån för "
                                                           "delaktighet.") for t in s["sv"].findings)
    assert any(t.endswith("is unknown, so the higher expected level of participation applies.")
               for t in s["en"].findings)
    assert "warning participation_below_expected" in s["en"].flags
    # answered "no", the lower expectation holds
    set_answer(a, "area_vulnerable", False, alt=None)
    assert score(a).participation.expected == "dialogue"


def test_four_people_deciding_bench_colours_do_not_reach_influence(integrated):
    a = filled(integrated, everyone=1)
    set_answer(a, "plan_type", "detailed_plan", alt=None)
    set_answer(a, "area_vulnerable", True, alt=None)
    set_answer(a, "pa_level", "co_decision", alt=None)
    a.participation.append(ParticipationRecord(groups=["population"], method="workshop", level="co_decision",
                                               participants=4, changed="Bänkarnas färg"))
    r = score(a)
    assert r.participation.reached == "information" and r.participation.met is False
    s = said(a, r)
    assert "En dialog räknas bara som information: för få deltagare (minst 5 behövs) eller ingen berörd grupp " \
           "angiven." in s["sv"].findings
    assert "One dialogue counts as information only: too few participants (at least 5 needed) or no affected " \
           "group named." in s["en"].findings
    assert "warning participation_below_expected" in s["sv"].flags


def test_a_dialogue_that_reached_the_groups_counts_at_its_level(integrated):
    a = filled(integrated, everyone=1)
    set_answer(a, "plan_type", "detailed_plan", alt=None)
    set_answer(a, "area_vulnerable", True, alt=None)
    a.participation.append(ParticipationRecord(groups=["population", "low_ses", "new_arrivals"], level="influence",
                                               participants=63, changed="Torget flyttades"))
    r = score(a)
    assert r.participation.reached == "influence" and r.participation.met is True
    assert r.participation.heard == ["low_ses", "new_arrivals", "population"] or \
        set(r.participation.heard) == {"population", "low_ses", "new_arrivals"}
    assert "participation_below_expected" not in " ".join(said(a, r)["en"].flags)


def test_groups_that_lose_but_were_never_reached_by_dialogue_are_named(integrated):
    a = filled(integrated, everyone=1)
    rate_group(a, "older_people", -1)
    a.participation.append(ParticipationRecord(groups=["young_people"], level="dialogue", participants=30))
    s = said(a)
    assert "Äldre 65 år och uppåt förlorar men nåddes inte av någon redovisad dialog." in s["sv"].findings
    assert "Older people aged 65 and over lose but were not reached by any recorded dialogue." in s["en"].findings
    assert "warning losers_not_heard" in s["sv"].flags


def test_a_measure_that_is_only_a_dash_clears_no_flag(integrated):
    a = filled(integrated, everyone=1)
    set_answer(a, "ho_services", -1)
    a.measures.append(Measure(criterion="ho_services", text="-"))
    r = score(a)
    [flag] = [f for f in r.flags if f.criterion == "ho_services"]
    assert flag.rule == "negative_without_measure"
    assert flag.detail == "ho_services: -1; the measure lacks responsible, due, indicator"
    s = said(a, r)
    assert "warning negative_without_measure" in s["sv"].flags


def test_a_measure_with_owner_date_and_indicator_clears_the_flag(integrated):
    a = filled(integrated, everyone=1)
    set_answer(a, "ho_services", -1)
    a.measures.append(Measure(criterion="ho_services", text="Ny busslinje", responsible="Trafikenheten",
                              due=dt.date(2027, 8, 1), indicator="Turtäthet"))
    assert not [f for f in score(a).flags if f.criterion == "ho_services"]


def test_a_checklist_may_relax_what_a_measure_needs_per_rule():
    a = inline(RELAXED, """
alternatives:
  forslag: {gronska: {value: -1}, bostader: {value: -1}}
measures:
  - {criterion: gronska, text: Ersättningsplantering, responsible: Park och natur}
  - {criterion: bostader, text: Fler hyresrätter, responsible: Samhällsbyggnad}
""")
    r = score(a)
    # the rule on green space asks only for an owner; the general rule asks for all three
    assert [(f.rule, f.criterion) for f in r.flags if f.kind == "negative_without_measure"] == [
        ("utan_atgard", "bostader")]
    s = said(a, r)
    assert "warning utan_atgard" in s["sv"].flags and "warning utan_atgard" in s["en"].flags


RELAXED = checklist_yaml("lattnad", ("Lättnad regel", "Relaxed rule"), FIVE_STEPS, NOLL_AND_FORSLAG,
                         """\
sections:
  - id: park
    title: {sv: Park, en: Park}
    criteria:
      - {id: gronska, text: {sv: Grönska, en: Green space}, type: impact, scale: impact, measures: true}
  - id: boende
    title: {sv: Boende, en: Housing}
    criteria:
      - {id: bostader, text: {sv: Bostäder, en: Homes}, type: impact, scale: impact, measures: true}
scoring:
  flags:
    - {id: gronska_utan_atgard, kind: negative_without_measure, sections: [park], measure_needs: [responsible],
       message: {sv: Grönska utan åtgärd, en: Green space without a measure}}
    - {id: utan_atgard, kind: negative_without_measure, sections: [boende],
       message: {sv: Utan åtgärd, en: Without a measure}}
""")
