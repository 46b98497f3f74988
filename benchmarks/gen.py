"""Generated checklists and filled assessments, for benchmarks and tests.

`generate_checklist(500)` builds a valid checklist of any size that uses every
answer type, conditions on earlier questions, the policy-area and Agenda 2030
frameworks, affected groups (worse-off and population), a zero alternative and
a proposal, score bands and every kind of flag: the shape of the integrated
checklist, scaled up. `fill_assessment` answers any checklist the way a
planner would (ratings for both alternatives, some unknown and some not
relevant, motivations, evidence, measures on negative impacts, participation
records, comments). Both are deterministic for a given seed, so a benchmark
measures the same work every run. Nothing here reads or writes files except
`write_checklist`, and nothing imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assessment.checklist.checklist import AnswerType, Checklist
from assessment.errors import ChecklistError
from assessment.answers.model import NOT_RELEVANT, UNKNOWN, Answer, Assessment, Comment, Measure, MeasureNote, \
    ParticipationRecord, new_assessment
from assessment.checklist.validate import parse_checklist
from assessment.checklist.yamlio import dump_yaml

__all__ = ["POLICY_AREAS", "checklist_data", "generate_checklist", "write_checklist", "fill_assessment", "fill_to_bounds",
           "step_widgets", "largest_section"]

POLICY_AREAS = [
    ("early_life", "Det tidiga livets villkor", "Early life"),
    ("education", "Kunskaper, kompetenser och utbildning", "Knowledge, skills and education"),
    ("work", "Arbete, arbetsförhållanden och arbetsmiljö", "Work and working conditions"),
    ("income", "Inkomster och försörjningsmöjligheter", "Income and livelihood"),
    ("housing", "Boende och närmiljö", "Housing and neighbourhood"),
    ("behaviour", "Levnadsvanor", "Health behaviours"),
    ("influence", "Kontroll, inflytande och delaktighet", "Control, influence and participation"),
    ("health_care", "En jämlik och hälsofrämjande hälso- och sjukvård", "Equitable health care"),
]

GROUPS = [
    # id, sv, en, weight, worse_off, population
    ("children", "Barn och unga", "Children and young people", 2.0, True, False),
    ("older", "Äldre", "Older people", 1.5, True, False),
    ("disability", "Personer med funktionsnedsättning", "People with disabilities", 2.0, True, False),
    ("low_income", "Hushåll med låg inkomst", "Low-income households", 2.0, True, False),
    ("women", "Kvinnor", "Women", 1.0, False, False),
    ("men", "Män", "Men", 1.0, False, False),
    ("all", "Hela befolkningen", "The whole population", 1.0, False, True),
]

LADDER = [("information", "Information", "Information"), ("consultation", "Konsultation", "Consultation"),
          ("dialogue", "Dialog", "Dialogue"), ("influence", "Inflytande", "Influence"),
          ("codecision", "Medbestämmande", "Co-decision")]

# The order in which answer types recur: mostly rated questions, as in the
# integrated checklist, with every other type present in every section.
TYPE_CYCLE = [AnswerType.YES_NO, AnswerType.IMPACT, AnswerType.GROUP_IMPACT, AnswerType.IMPACT,
              AnswerType.SINGLE_CHOICE, AnswerType.IMPACT, AnswerType.MULTI_CHOICE, AnswerType.GROUP_IMPACT,
              AnswerType.TEXT, AnswerType.IMPACT, AnswerType.NUMBER, AnswerType.DATE, AnswerType.IMPACT,
              AnswerType.LADDER]


def _t(sv: str, en: str) -> dict[str, str]:
    return {"sv": sv, "en": en}


def _criterion(section_no: int, n: int, kind: AnswerType, earlier_yes_no: str | None) -> dict[str, Any]:
    cid = f"s{section_no:02d}_q{n:03d}"
    area_id, area_sv, area_en = POLICY_AREAS[(section_no + n) % len(POLICY_AREAS)]
    crit: dict[str, Any] = {
        "id": cid,
        "text": _t(f"Fråga {n} om {area_sv.lower()}: hur påverkar planen detta för dem som bor och verkar i området?",
                   f"Question {n} on {area_en.lower()}: how does the plan affect this for people living and working "
                   "in the area?"),
        "help": _t("Tänk på vilka grupper som berörs och vilket underlag som finns (SCB, Kolada, egna enkäter).",
                   "Consider which groups are affected and what evidence exists (SCB, Kolada, own surveys)."),
        "type": kind.value,
    }
    if kind in (AnswerType.IMPACT, AnswerType.GROUP_IMPACT):
        crit["scale"] = "impact"
        crit["measures"] = True
        crit["dimensions"] = {"policy_area": [area_id], "agenda2030": [str(1 + (section_no * 7 + n) % 17)]}
        crit["weight"] = 1.0 + (n % 3) * 0.5
    if kind == AnswerType.GROUP_IMPACT and n % 2:
        crit["groups"] = ["children", "older", "low_income", "all"]
    if kind in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE):
        crit["choices"] = "area_type"
    if kind == AnswerType.LADDER:
        crit["ladder"] = "participation"
    if kind == AnswerType.NUMBER:
        crit.update(min=0, max=100_000, unit=_t("personer", "people"))
    # Every fifth question shows only when an earlier yes/no question in its step is answered yes.
    if earlier_yes_no is not None and n % 5 == 4:
        crit["show_if"] = {"equals": {"question": earlier_yes_no, "value": True}}
    return crit


def checklist_data(n_criteria: int = 500, n_sections: int = 10, checklist_id: str = "generated",
                   version: str = "1.0") -> dict[str, Any]:
    """A valid checklist with `n_criteria` criteria in `n_sections` sections, as plain data."""
    if n_criteria < n_sections or n_sections < 1:
        raise ValueError("need at least one criterion per section")
    sections = []
    for s in range(n_sections):
        count = n_criteria // n_sections + (1 if s < n_criteria % n_sections else 0)
        area_id, area_sv, area_en = POLICY_AREAS[s % len(POLICY_AREAS)]
        criteria = []
        earlier_yes_no: str | None = None
        for n in range(count):
            kind = TYPE_CYCLE[n % len(TYPE_CYCLE)]
            crit = _criterion(s, n, kind, earlier_yes_no)
            criteria.append(crit)
            if kind == AnswerType.YES_NO:
                earlier_yes_no = crit["id"]
        sections.append({
            "id": f"s{s:02d}",
            "title": _t(f"{s + 1}. {area_sv}", f"{s + 1}. {area_en}"),
            "description": _t("Bedöm planens påverkan inom målområdet.", "Assess the plan's impact in this area."),
            "dimensions": {"policy_area": [area_id]},
            "criteria": criteria,
        })
    first_ladder = next((c["id"] for sec in sections for c in sec["criteria"] if c["type"] == "ladder"), None)
    first_single = next((c["id"] for sec in sections for c in sec["criteria"] if c["type"] == "single_choice"), None)
    scoring: dict[str, Any] = {
        "aggregation": "weighted_mean",
        "bands": [
            {"min": -100, "label": _t("Tydligt negativ", "Clearly negative")},
            {"min": -20, "label": _t("Något negativ", "Somewhat negative")},
            {"min": -5, "label": _t("Neutral", "Neutral")},
            {"min": 5, "label": _t("Något positiv", "Somewhat positive")},
            {"min": 20, "label": _t("Tydligt positiv", "Clearly positive")},
        ],
        "flags": [
            {"id": "children_no_measure", "kind": "negative_without_measure", "severity": "serious",
             "groups": ["children"], "message": _t("Negativ påverkan på barn utan åtgärd",
                                                  "Negative impact on children without a measure")},
            {"id": "no_measure", "kind": "negative_without_measure", "threshold": -2,
             "message": _t("Stor negativ påverkan utan åtgärd", "Major negative impact without a measure")},
            {"id": "gap", "kind": "gap_widens", "severity": "serious",
             "message": _t("Skillnaderna mellan grupper ökar", "The gap between groups widens")},
            {"id": "gaps", "kind": "knowledge_gaps", "threshold": 0.25, "severity": "info",
             "message": _t("Många kunskapsluckor", "Many knowledge gaps")},
        ],
    }
    if first_ladder:
        scoring["flags"].append({"id": "participation", "kind": "participation_below_expected",
                                 "message": _t("Lägre delaktighet än förväntat", "Less participation than expected")})
        rules = []
        if first_single:
            rules.append({"when": {"equals": {"question": first_single, "value": "district"}}, "level": "influence"})
        scoring["participation"] = {"question": first_ladder, "default": "dialogue", "rules": rules}
    if first_single:
        scoring["flags"].append({"id": "district", "kind": "condition", "severity": "info",
                                 "when": {"equals": {"question": first_single, "value": "district"}},
                                 "message": _t("Planen berör en hel stadsdel", "The plan affects a whole district")})
    return {
        "schema_version": 1,
        "id": checklist_id,
        "version": version,
        "title": _t(f"Genererad checklista med {n_criteria} kriterier", f"Generated checklist of {n_criteria} criteria"),
        "description": _t("För prestandamätning.", "For performance measurement."),
        "default_language": "sv",
        "languages": ["sv", "en"],
        "frameworks": [
            {"id": "policy_area", "title": _t("Målområden", "Policy areas"), "policy_areas": True,
             "items": [{"id": a, "title": _t(sv, en)} for a, sv, en in POLICY_AREAS]},
            {"id": "agenda2030", "title": _t("Agenda 2030", "Agenda 2030"),
             "items": [{"id": str(g), "title": _t(f"Mål {g}", f"Goal {g}")} for g in range(1, 18)]},
        ],
        "scales": [{"id": "impact", "title": _t("Påverkan", "Impact"), "steps": [
            {"value": -2, "label": _t("Stor negativ", "Major negative")},
            {"value": -1, "label": _t("Negativ", "Negative")},
            {"value": 0, "label": _t("Ingen påverkan", "No impact")},
            {"value": 1, "label": _t("Positiv", "Positive")},
            {"value": 2, "label": _t("Stor positiv", "Major positive")},
        ]}],
        "choice_lists": [{"id": "area_type", "title": _t("Områdestyp", "Area type"), "options": [
            {"id": "block", "label": _t("Kvarter", "Block")},
            {"id": "neighbourhood", "label": _t("Grannskap", "Neighbourhood")},
            {"id": "district", "label": _t("Stadsdel", "District")},
            {"id": "municipality", "label": _t("Hela kommunen", "The whole municipality")},
        ]}],
        "ladders": [{"id": "participation", "title": _t("Delaktighetstrappan", "Participation ladder"),
                     "levels": [{"id": i, "label": _t(sv, en)} for i, sv, en in LADDER]}],
        "groups": [{"id": g, "label": _t(sv, en), "weight": w, "worse_off": wo, "population": pop}
                   for g, sv, en, w, wo, pop in GROUPS],
        "alternatives": [
            {"id": "zero", "label": _t("Nollalternativ", "Zero alternative"), "kind": "zero"},
            {"id": "proposal", "label": _t("Förslaget", "The proposal"), "kind": "proposal"},
        ],
        "sections": sections,
        "scoring": scoring,
    }


def generate_checklist(n_criteria: int = 500, n_sections: int = 10, checklist_id: str = "generated",
                       version: str = "1.0") -> Checklist:
    """A validated checklist of `n_criteria` criteria (see `checklist_data`)."""
    text = dump_yaml(checklist_data(n_criteria, n_sections, checklist_id, version))
    checklist, problems = parse_checklist(text, f"{checklist_id}.yaml")
    errors = [p for p in problems if p.severity == "error"] if problems else []
    if checklist is None or errors:
        raise ChecklistError(f"{checklist_id}.yaml", errors or problems)
    return checklist


def write_checklist(directory: Path, n_criteria: int = 500, n_sections: int = 10,
                    checklist_id: str = "generated", version: str = "1.0") -> Path:
    """Write the generated checklist as YAML into `directory`; returns the file."""
    path = Path(directory) / f"{checklist_id}.yaml"
    path.write_text(dump_yaml(checklist_data(n_criteria, n_sections, checklist_id, version)), encoding="utf-8")
    return path


def step_widgets(checklist: Checklist, section: Any) -> int:
    """About how many widgets the wizard draws for `section` when every question shows:
    a value per alternative for rated questions, a select per group and alternative for
    group ratings, a motivation and evidence per alternative, and the measures box."""
    alternatives = len(checklist.alternative_ids())
    count = 0
    for crit in section.criteria:
        per = alternatives if crit.answered_per_alternative else 1
        if crit.type == AnswerType.GROUP_IMPACT:
            count += len(checklist.groups_of(crit)) * per
        else:
            count += per
        if crit.is_rated:
            count += 2 * per
        elif crit.type == AnswerType.YES_NO:
            count += per
        if crit.measures:
            count += 1
    return count


def largest_section(checklist: Checklist) -> int:
    """The index of the section with the most widgets: the wizard's heaviest step."""
    return max(range(len(checklist.sections)), key=lambda i: step_widgets(checklist, checklist.sections[i]))


_MOTIVATIONS = [
    "Planen ger fler bostäder nära skola och kollektivtrafik, men parken krymper.",
    "Enligt Lupp-enkäten saknar unga i området mötesplatser kvällstid.",
    "Trygghetsvandringen med boende (Łódź-gruppen, Şahin m.fl.) pekade ut den mörka gångtunneln.",
    "Kolada visar lägre förvärvsfrekvens än kommunen i övrigt; effekten beror på upphandlingen.",
    "Barn och unga har hörts genom skolbesök; de vill behålla bollplanen.",
]
_EVIDENCE = ["SCB, befolkningsstatistik 2024", "Kolada N00914", "Folkhälsomyndigheten, Folkhälsans utveckling",
             "Kommunens trygghetsundersökning", "Lupp 2023"]


def _rating(rng: random.Random, unknown_share: float, not_relevant_share: float) -> int | str:
    draw = rng.random()
    if draw < unknown_share:
        return UNKNOWN
    if draw < unknown_share + not_relevant_share:
        return NOT_RELEVANT
    return rng.choice([-2, -1, -1, 0, 1, 1, 2, 2])


def _value(checklist: Checklist, crit: Any, rng: random.Random, unknown_share: float, not_relevant_share: float,
           lang_text: str) -> Any:
    t = crit.type
    if t == AnswerType.IMPACT:
        return _rating(rng, unknown_share, not_relevant_share)
    if t == AnswerType.GROUP_IMPACT:
        return {g.id: _rating(rng, unknown_share, 0.0) for g in checklist.groups_of(crit)}
    if t == AnswerType.SINGLE_CHOICE:
        return rng.choice(checklist.choice_list(crit.choices).options).id
    if t == AnswerType.MULTI_CHOICE:
        # every option: a screening question ("which areas are relevant?") then shows every step
        return [o.id for o in checklist.choice_list(crit.choices).options]
    if t == AnswerType.YES_NO:
        return True  # conditions mostly show questions on "yes": the heaviest wizard, the most to score
    if t == AnswerType.TEXT:
        return lang_text
    if t == AnswerType.NUMBER:
        low = crit.min if crit.min is not None else 0
        high = crit.max if crit.max is not None else 1000
        return int(low + (high - low) * rng.random() / 10)
    if t == AnswerType.DATE:
        return (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 700))).isoformat()
    if t == AnswerType.LADDER:
        return rng.choice(checklist.ladder(crit.ladder).levels).id
    raise ValueError(f"no generator for answer type {t}")


def fill_assessment(checklist: Checklist, seed: int = 0, unknown_share: float = 0.08,
                    not_relevant_share: float = 0.04, title: str = "Utbyggnad av Norra Ängen") -> Assessment:
    """An assessment of `checklist` answered throughout, deterministically for `seed`.

    Multiple choices take every option and yes/no questions are answered yes, so
    that conditions show as much as they can. Rated questions are answered for
    every alternative; about `unknown_share` of the ratings are "unknown"
    (knowledge gaps) and `not_relevant_share` "not relevant". Every negative rating of the proposal gets a measure with a
    responsible sector, a date and an indicator."""
    rng = random.Random(seed)
    a = new_assessment(checklist, title, municipality="Ålidhems kommun", plan_type="detaljplan",
                       areas=["Norra Ängen", "Centrum"], assessors=["Agnieszka Łódź", "Emre Şahin", "Åsa Öberg"],
                       summary="Planen ger fler bostäder och en ny förskola men minskar grönytan för barn.")
    alternatives = checklist.alternative_ids()
    for crit in checklist.criteria():
        for alt in alternatives if crit.answered_per_alternative else [None]:
            value = _value(checklist, crit, rng, unknown_share, not_relevant_share, rng.choice(_MOTIVATIONS))
            answer = Answer(value=value, comment=rng.choice(_MOTIVATIONS) if crit.is_rated else "",
                            evidence=rng.choice(_EVIDENCE) if crit.is_rated else "")
            a.set_answer(crit.id, answer, alt)
            ratings = list(value.values()) if isinstance(value, dict) else [value]
            if alt == alternatives[-1] and crit.measures and any(isinstance(r, int) and r < 0 for r in ratings):
                a.measures.append(Measure(
                    id=f"m-{crit.id}", criterion=crit.id, alternative=alt,
                    text="Kompensera förlorad grönyta med en ny lekplats i kvarteret.",
                    responsible="Stadsbyggnadsförvaltningen", due=dt.date(2027, 6, 30),
                    indicator="Andel barn med lekplats inom 300 m",
                    notes=[MeasureNote(date=dt.date(2026, 9, 1), text="Upphandling påbörjad.", author="Åsa Öberg")]))
    a.participation.append(ParticipationRecord(
        id="p-walk", groups=["children", "older"], method="Trygghetsvandring och skolbesök", level="dialogue",
        date=dt.date(2026, 4, 14), participants=37, heard="Barnen vill behålla bollplanen; äldre saknar bänkar.",
        changed="Bollplanen flyttas i stället för att tas bort.", feedback="Återkoppling på skolan i juni."))
    a.comments.append(Comment(id="c-1", author="Emre Şahin", at=dt.datetime(2026, 5, 2, 10, 30),
                              text="Stämmer siffran för förskoleplatser med barn- och utbildningsförvaltningen?"))
    return a


def fill_to_bounds(checklist: Checklist, seed: int = 0) -> Assessment:
    """The largest assessment of `checklist` that SKB's bounds allow (assessment/answers/model.py `Bounds`).

    `fill_assessment` answered throughout, then as many measures, participation
    records and comments as allowed, the short fields at their maximum length, and
    free text spread over them until the total text budget (`Bounds.TOTAL_TEXT`) is
    spent: what a report must still build in bounded time (`make bench`, pdf-bounds)."""
    from assessment.answers.model import MAX_LIST, MAX_NAME, MAX_PLACE, Bounds, Comment, Measure, ParticipationRecord, \
        bound_problems

    rng = random.Random(seed)
    a = fill_assessment(checklist, seed=seed)
    rated = [c for c in checklist.criteria() if c.is_rated] or checklist.criteria()
    words = ("Grönytan minskar för barn i förskoleåldern och de äldre i kvarteret får längre till "
             "busshållplatsen; belysningen vid gångtunneln ska ses över tillsammans med Łódź-föreningen. ")

    def prose(n: int) -> str:
        return (words * (n // len(words) + 1))[:n]

    m = a.metadata
    m.title = prose(300)
    m.municipality, m.plan_type = prose(MAX_NAME), prose(MAX_NAME)
    m.areas = [f"{i} " + prose(MAX_PLACE - 4) for i in range(MAX_LIST)]
    m.assessors = [f"{i} " + prose(MAX_PLACE - 4) for i in range(MAX_LIST)]
    levels = [lv.id for lad in checklist.ladders for lv in lad.levels][:1] or [None]
    group_ids = [g.id for g in checklist.groups]
    a.measures = [Measure(criterion=rng.choice(rated).id, text="", responsible=prose(MAX_NAME),
                          indicator=prose(MAX_NAME), due=dt.date(2027, 1 + i % 12, 1))
                  for i in range(Bounds.MEASURES)]
    a.participation = [ParticipationRecord(groups=group_ids[:MAX_LIST], method=prose(MAX_NAME), level=levels[0],
                                           date=dt.date(2026, 1 + i % 12, 1), participants=40)
                       for i in range(Bounds.PARTICIPATION)]
    a.comments = [Comment(author=f"Granskare {i}", at=dt.datetime(2026, 5, 1, 12, tzinfo=dt.timezone.utc), text="",
                          criterion=rng.choice(rated).id) for i in range(Bounds.COMMENTS)]
    used = sum(len(s) for s in _strings(a.model_dump(mode="json", exclude={"checklist"})))
    if used > Bounds.TOTAL_TEXT * 3 // 4:  # a very large checklist: its answers' reasoning would spend it all
        for answer in [*a.answers.values(), *(x for alt in a.alternatives.values() for x in alt.values())]:
            answer.comment, answer.evidence = "", ""
        used = sum(len(s) for s in _strings(a.model_dump(mode="json", exclude={"checklist"})))
    # The rest of the budget as long free texts, spread evenly over what has room for them.
    holders = [*a.measures, *a.comments, *a.participation]
    share = max(0, (Bounds.TOTAL_TEXT - used - 1_000) // len(holders))
    for h in holders:
        if isinstance(h, ParticipationRecord):
            h.heard = prose(share)
        else:
            h.text = prose(share)
    over = bound_problems(a.model_dump(mode="json", exclude={"checklist"}))
    assert not over, f"fill_to_bounds overshot: {over}"
    return a


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)
