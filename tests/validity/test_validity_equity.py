"""Validity: who loses is never hidden by an average, and a narrowing gap is never levelling down.

Each test is named for the misleading reading it guards against, and asserts what the headline,
the equity sentence and the flags say, in Swedish and in English.
"""

from __future__ import annotations

from assessment.answers.model import Answer, AnswerType
from assessment.scoring.scoring import score
from small_checklists import FIVE_STEPS, NOLL_AND_FORSLAG, checklist_yaml

from conftest import filled, inline, once, rate_group, said, set_answer


def test_one_worse_off_group_losing_everywhere_is_not_averaged_into_a_narrowing_gap(integrated):
    # the population is unchanged, the worse-off gain a little, but people with low SES clearly lose everywhere
    a = filled(integrated, everyone=0)
    for g in ("children", "young_people", "older_people", "new_arrivals", "disability", "ethnicity", "religion",
              "transgender", "sexual_orientation"):
        rate_group(a, g, 1)
    rate_group(a, "low_ses", -2)
    r = score(a)
    assert r.headline.equity.gap_change > 5  # the mean alone would say "the gap narrows"
    s = said(a, r)
    assert "Men personer med låg socioekonomisk position förlorar tydligt." in s["sv"].headline
    assert "But people with low socio-economic position clearly lose." in s["en"].headline
    assert s["sv"].equity.startswith("Klyftan ökar för personer med låg socioekonomisk position (−100 mot "
                                     "befolkningens 0 på samma frågor)")
    assert s["en"].equity.startswith("The gap widens for people with low socio-economic position (−100 against "
                                     "the population's 0 on the same questions)")
    assert "Klyftan minskar" not in s["sv"].equity and "narrows" not in s["en"].equity
    # the gap against the zero alternative is the mean's, and says so once a group is named as falling behind
    assert "Mot nollalternativet är klyftan i genomsnitt för grupperna med sämre förutsättningar mindre" \
        in s["sv"].equity
    assert "Against the zero alternative the average gap of the groups with worse starting conditions is narrower" \
        in s["en"].equity
    assert "serious large_loss" in s["sv"].flags
    assert [f.group for f in r.findings if f.code == "large_loss"] == ["low_ses"]


def test_a_stor_negativ_on_a_worse_off_group_is_named_even_when_their_mean_looks_mild():
    a = inline(SMALL, """
alternatives:
  forslag:
    bostader: {value: 1}
    lek: {value: {barn: 2, aldre: 1, alla: 1}}
    trygghet: {value: {barn: 2, aldre: -2, alla: 1}}
    strak: {value: {barn: 1, aldre: 2, alla: 1}}
""")
    r = score(a)
    assert r.headline.groups["aldre"].value > -50  # their mean is no large loss
    s = said(a, r)
    assert "Men äldre förlorar tydligt." in s["sv"].headline
    assert "But older people clearly lose." in s["en"].headline
    assert s["sv"].findings == ["Äldre förlorar tydligt i planförslaget: ”Trygghet” bedöms som ”Stor negativ” (−100)."]
    assert s["en"].findings == ["Older people clearly lose in the proposal: “Safety” is rated “Major negative” (−100)."]
    assert "serious large_loss" in s["en"].flags


def test_a_large_loss_for_a_group_not_marked_worse_off_is_named_too(quick):
    a = filled(quick, everyone=1)
    rate_group(a, "men_boys", -2)
    s = said(a)
    assert "Men män och pojkar förlorar tydligt." in s["sv"].headline
    assert "But men and boys clearly lose." in s["en"].headline
    assert "serious large_loss" in s["sv"].flags


def test_everyone_losing_with_the_population_losing_more_is_levelling_down_not_a_narrowing_gap(integrated):
    a = filled(integrated, everyone=-1)
    rate_group(a, "population", -2)
    r = score(a)
    assert r.headline.equity.levelling_down
    s = said(a, r)
    assert s["sv"].equity.startswith("Alla förlorar: grupper med sämre förutsättningar −50, befolkningen −100. "
                                     "Klyftan minskar bara för att andra förlorar mer – det är ingen vinst för "
                                     "jämlikheten.")
    assert s["en"].equity.startswith("Everyone loses: groups with worse starting conditions −50, the population "
                                     "−100. The gap narrows only because others lose more – that is not an "
                                     "equity gain.")
    assert "Utjämning nedåt i förslaget" in " ".join(s["sv"].findings)
    assert "Levelling down in the proposal" in " ".join(s["en"].findings)
    assert "serious levelling_down" in s["sv"].flags


def test_a_real_narrowing_gap_is_called_one_and_raises_no_equity_flag():
    a = inline(SMALL, """
alternatives:
  forslag:
    bostader: {value: 1}
    lek: {value: {barn: 2, aldre: 2, alla: 1}}
    trygghet: {value: {barn: 2, aldre: 1, alla: 0}}
    strak: {value: {barn: 1, aldre: 2, alla: 1}}
""")
    s = said(a)
    assert s["sv"].equity.startswith("Klyftan minskar: grupper med sämre förutsättningar +83, befolkningen +33.")
    assert s["en"].equity.startswith("The gap narrows: groups with worse starting conditions +83, the population +33.")
    assert s["sv"].findings == [] and s["en"].findings == []
    assert not [f for f in s["sv"].flags if "gap" in f or "large_loss" in f or "levelling" in f]


def test_a_rising_average_with_a_widening_gap_is_no_equity_gain(quick):
    a = filled(quick, everyone=1)
    rate_group(a, "population", 2)
    for g in ("low_ses", "new_arrivals", "disability"):
        rate_group(a, g, 0)
    s = said(a)
    assert s["sv"].equity.startswith("Klyftan ökar: grupper med sämre förutsättningar")
    assert "Genomsnittet blir bättre, men det är ingen vinst för jämlikheten när klyftan ökar." in s["sv"].equity
    assert "The average improves, but that is not an equity gain when the gap widens." in s["en"].equity
    assert "serious average_hides_gap" in s["en"].flags


def test_rising_rents_reach_the_equity_verdict(integrated):
    # the plan is good for everyone except that households with small margins cannot afford to stay
    a = filled(integrated, everyone=1)
    set_answer(a, "ho_displacement", {"population": 0, "low_ses": -2, "older_people": -1, "new_arrivals": -2,
                                      "children": 0, "disability": 0})
    r = score(a)
    assert r.headline.criteria["ho_displacement"].value < 0
    assert r.headline.groups["low_ses"].value < r.headline.groups["population"].value
    s = said(a, r)
    assert "Men nyanlända och personer med låg socioekonomisk position förlorar tydligt." in s["sv"].headline
    assert "But new arrivals and people with low socio-economic position clearly lose." in s["en"].headline
    assert "large_loss" in " ".join(s["sv"].flags)
    assert any(f.criterion == "ho_displacement" and f.group == "low_ses" for f in r.findings)


def test_being_able_to_stay_reaches_the_childrens_equity_verdict(child):
    a = filled(child, everyone=1)
    set_answer(a, "long_stay", {g.id: (-2 if g.id == "children_low_income" else 0) for g in child.groups})
    r = score(a)
    s = said(a, r)
    assert "Men barn i ekonomiskt utsatta familjer förlorar tydligt." in s["sv"].headline
    assert "But children in low-income families clearly lose." in s["en"].headline
    assert any(f.code == "large_loss" and f.criterion == "long_stay" for f in r.findings)
    assert "serious large_loss" in s["en"].flags


def test_groups_compared_over_different_questions_say_so():
    a = inline(SMALL, """
alternatives:
  forslag:
    bostader: {value: 1}
    lek: {value: {barn: 2, alla: 1}}
    trygghet: {value: {barn: 1, aldre: 1, alla: 1}}
    strak: {value: {barn: 1, aldre: 1, alla: 1}}
""")
    s = said(a)
    assert "Grupperna jämförs inte över samma frågor, så jämförelsen är grov." in s["sv"].equity
    assert "The groups are not compared over the same questions, so the comparison is rough." in s["en"].equity


def test_groups_compared_over_the_same_questions_claim_no_roughness():
    a = inline(SMALL, """
alternatives:
  forslag:
    bostader: {value: 1}
    lek: {value: {barn: 2, aldre: 1, alla: 1}}
    trygghet: {value: {barn: 1, aldre: 1, alla: 1}}
    strak: {value: {barn: 1, aldre: 1, alla: 1}}
""")
    s = said(a)
    assert "jämförs inte" not in s["sv"].equity and "not compared" not in s["en"].equity


def test_the_gap_against_the_zero_alternative_is_given_beside_the_gap_against_today(child):
    a = filled(child, everyone=1, zero=-1)
    for g in ("children_disability", "children_low_income", "children_new_arrivals"):
        rate_group(a, g, 2)
        rate_group(a, g, -2, alt="zero")
    s = said(a)
    assert s["sv"].equity.startswith("Klyftan minskar: grupper med sämre förutsättningar +100, befolkningen +50.")
    assert "Mot nollalternativet är klyftan mindre (skillnad +100 på skalan −200 till +200)." in s["sv"].equity
    assert "Against the zero alternative the gap is narrower (difference +100 on the scale −200 to +200)." \
        in s["en"].equity


SMALL = checklist_yaml("litet", ("Litet fall", "Small case"), FIVE_STEPS, NOLL_AND_FORSLAG, """\
groups:
  - {id: barn, label: {sv: Barn, en: Children}, weight: 2, worse_off: true}
  - {id: aldre, label: {sv: Äldre, en: Older people}, weight: 1, worse_off: true}
  - {id: alla, label: {sv: Hela befolkningen, en: The whole population}, population: true}
sections:
  - id: boende
    title: {sv: Boende, en: Housing}
    criteria:
      - {id: bostader, text: {sv: Bostäder, en: Homes}, type: impact, scale: impact}
      - {id: lek, text: {sv: Lek, en: Play}, type: group_impact, scale: impact}
      - {id: trygghet, text: {sv: Trygghet, en: Safety}, type: group_impact, scale: impact}
      - {id: strak, text: {sv: Stråk, en: Paths}, type: group_impact, scale: impact}
""")


def test_several_rules_read_as_several_findings_each_stated_once(integrated):
    a = filled(integrated, everyone=-1, zero=1)
    rate_group(a, "population", -2)  # levelling down
    set_answer(a, "ho_displacement", {"population": -2, "low_ses": not_relevant(), "older_people": -1,
                                      "new_arrivals": -1, "children": -1, "disability": -1})
    r = score(a)
    codes = [f.code for f in r.findings]
    assert {"large_loss", "levelling_down", "zero_better", "not_relevant_without_reason",
            "participation_unanswered"} <= set(codes)
    for lang in ("sv", "en"):
        once(said(a, r)[lang].findings)
    assert len({(f.code, f.group, f.alternative, f.criterion) for f in r.findings}) == len(r.findings)
    # and the built-in flags are the findings, not restated
    assert len([f for f in r.flags if f.kind == "verdict"]) == len(
        [f for f in r.findings if f.code in {"large_loss", "worse_off_behind", "levelling_down", "zero_better",
                                              "provisional", "not_relevant_without_reason", "losers_not_heard",
                                              "judgement_disagrees"}])


def not_relevant() -> str:
    return "not_relevant"


def _half_as_good_for(a, group: str) -> None:
    """`group` rated one step lower than everyone else in every other group_impact question it is rated in."""
    rated = [k for k in a.checklist.criteria()
             if k.type == AnswerType.GROUP_IMPACT and any(g.id == group for g in a.checklist.groups_of(k))]
    for k in rated[::2]:
        answer = a.alternatives["proposal"][k.id]
        a.alternatives["proposal"][k.id] = Answer(value={**answer.value, group: answer.value[group] - 1})


def test_a_worse_off_group_that_gains_less_is_said_to_fall_behind_not_to_lose(integrated):
    # everyone gains a lot, people with low SES gain too but less: they fall behind, they do not lose
    a = filled(integrated, everyone=2)
    _half_as_good_for(a, "low_ses")
    r = score(a)
    low = r.headline.groups["low_ses"].value
    assert low is not None and 0 < low < r.headline.groups["population"].value
    assert [f.code for f in r.findings if f.group == "low_ses"] == ["worse_off_behind"]
    s = said(a, r)
    assert "Men personer med låg socioekonomisk position halkar efter befolkningen." in s["sv"].headline
    assert "But people with low socio-economic position fall behind the population." in s["en"].headline
    assert "förlorar" not in s["sv"].headline and "lose" not in s["en"].headline


def test_a_group_that_loses_and_one_that_falls_behind_are_named_apart(integrated):
    a = filled(integrated, everyone=2)
    _half_as_good_for(a, "low_ses")
    rate_group(a, "men_boys", -2)  # not a worse-off group: its loss leaves the worse-off mean alone
    r = score(a)
    assert {f.group: f.code for f in r.findings if f.group in ("men_boys", "low_ses")} == \
        {"men_boys": "large_loss", "low_ses": "worse_off_behind"}
    s = said(a, r)
    assert "Men män och pojkar förlorar tydligt, och personer med låg socioekonomisk position halkar " \
           "efter befolkningen." in s["sv"].headline
    assert "But men and boys clearly lose, and people with low socio-economic position fall " \
           "behind the population." in s["en"].headline
