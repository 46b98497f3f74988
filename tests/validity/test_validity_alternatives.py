"""Validity: the proposal is read against the zero alternative, the assessors' own conclusion stays beside
the computed score, and a checklist's own weights are said out loud."""

from __future__ import annotations

from assessment.checklist.checklist import Checklist
from assessment.answers.model import new_assessment
from assessment.scoring.scoring import score

from conftest import filled, rate_group, reference, said, set_answer


def test_a_zero_alternative_rated_far_better_does_not_leave_the_proposal_reading_positive(child):
    a = filled(child, everyone=1, zero=2)
    r = score(a)
    assert r.headline.overall.value > 0
    s = said(a, r)
    assert "Nollalternativet bedöms bättre än förslaget (+100 mot +50)." in s["sv"].headline
    assert "The zero alternative is rated better than the proposal (+100 against +50)." in s["en"].headline
    assert "Nollalternativet (+100) bedöms bättre än förslaget (+50)." in s["sv"].findings
    assert "The zero alternative (+100) is rated better than the proposal (+50)." in s["en"].findings
    assert "serious zero_better" in s["sv"].flags


def test_a_zero_alternative_within_five_points_is_no_finding(quick):
    a = filled(quick, everyone=1, zero=1)
    r = score(a)
    assert abs(r.alternatives["zero"].overall.value - r.headline.overall.value) < 5
    assert not [f for f in r.findings if f.code == "zero_better"]
    assert "Nollalternativet" not in said(a, r)["sv"].headline


def test_the_assessors_own_overall_question_is_beside_the_score_not_half_of_it(child):
    a = filled(child, everyone=0)
    set_answer(a, "bi_overall", {g.id: 2 for g in child.groups})
    r = score(a)
    assert r.headline.overall.value == 0.0  # the +2 self-assessment does not move the computed score
    assert "bi_overall" not in r.headline.criteria
    assert r.headline.judgement == 100.0
    s = said(a, r)
    assert ("Bedömarnas eget svar på ”Samlad bedömning: hur påverkas barnets bästa för respektive grupp av barn?”: ”Stärks tydligt” (+100). Det skiljer sig från den beräknade poängen och räknas inte in i den.") \
        in s["sv"].headline
    assert ("The assessors' own answer to “Overall: how are the best interests of the child affected for each group of children?”: “Clearly strengthened” (+100). It differs from the computed score and is not counted in it.") \
        in s["en"].headline
    assert "Bedömarnas egen sammanfattande bedömning av förslaget (+100) skiljer sig från den beräknade poängen (0)." \
        in s["sv"].findings
    assert "warning judgement_disagrees" in s["en"].flags


def test_an_overall_judgement_that_agrees_is_shown_without_a_flag(quick):
    a = filled(quick, everyone=1)
    s = said(a)
    assert "Bedömarnas eget svar på ”Hur påverkas barnets bästa, på kort och lång sikt?”: ”Viss positiv påverkan” (+50); det räknas inte in i poängen." in s["sv"].headline
    assert "The assessors' own answer to “How are the best interests of the child affected, in the short and the long term?”: “Some positive impact” (+50); it is not counted in the score." in s["en"].headline
    assert "judgement_disagrees" not in " ".join(s["sv"].flags)


def test_own_weights_are_reported_with_their_differences(integrated):
    data = integrated.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["id"] = "kommunens-skb"
    data["scoring"]["reference"] = "skb-integrerad"
    for g in data["groups"]:
        if g["id"] == "children":
            g["weight"] = 4.0
    for sec in data["sections"]:
        if sec["id"] == "housing":
            sec["weight"] = 3.0
    own = Checklist.model_validate(data)
    a = filled(own, everyone=1)
    r = score(a, reference=integrated)
    assert [(w.kind, w.id, w.own, w.reference) for w in r.weight_differences] == [
        ("group", "children", 4.0, next(g.weight for g in integrated.groups if g.id == "children")),
        ("section", "housing", 3.0, next(s.weight for s in integrated.sections if s.id == "housing")),
    ]
    s = said(a, r)
    assert "Checklistan har egna vikter: 2 skiljer sig från referenschecklistan." in s["sv"].findings
    assert "The checklist has its own weights: 2 differ from the reference checklist." in s["en"].findings
    # the reference checklist itself has none
    assert score(filled(integrated), reference=integrated).weight_differences == []


def test_no_score_at_all_says_why_instead_of_a_figure(integrated):
    a = new_assessment(integrated, "Tom")
    for k in integrated.criteria():
        if k.is_rated:
            set_answer(a, k.id, "unknown")
    s = said(a)
    assert s["sv"].headline.startswith("Förslaget: ingen samlad poäng. Ingen poäng: varje tillämplig fråga är "
                                       "besvarad med ”vet ej”.")
    assert s["en"].headline.startswith("The proposal: no overall score. No score: every applicable question is "
                                       "answered “don't know”.")
    assert s["sv"].equity.startswith("Det går inte att säga om klyftan minskar eller ökar")
    assert s["en"].equity.startswith("It cannot be said whether the gap narrows or widens")


def test_every_reference_checklist_reads_in_both_languages_with_no_english_left_in_swedish():
    for checklist_id in ("skb-integrerad", "skb-snabb", "skb-barn"):
        checklist = reference(checklist_id)
        a = filled(checklist, everyone=-1, zero=1)
        rate_group(a, "population", -2)
        s = said(a)
        for text in (s["sv"].headline, s["sv"].equity, *s["sv"].findings):
            assert not any(word in text for word in (" the ", " lose ", " gap ")), text
        for text in (s["en"].headline, s["en"].equity, *s["en"].findings):
            assert not any(word in text for word in (" förlorar ", " klyftan ", " och ")), text
        assert len(s["sv"].findings) == len(s["en"].findings)
