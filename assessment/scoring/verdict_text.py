"""The verdict in words, Swedish and English: the headline, the equity sentence and the findings.

One place words what `assessment.scoring.scoring` has judged, so that the CLI, the results page, the
report's summary and the letter to participants say the same thing in the same words. It reads a
`Result` (and its `Finding`s) and the checklist for names; it computes nothing the result does not
already hold, does no I/O and imports neither streamlit nor reportlab.

- `headline_sentence(result, checklist, lang)`: the overall score with its band, or why there is
  none or only a provisional one, the groups that clearly lose, a better zero alternative and the
  assessors' own overall judgement beside the computed score.
- `equity_sentence(result, checklist, lang, alternative=None)`: does the gap narrow or widen,
  looking at the worst worse-off group as well as the mean; levelling down named as such; like
  with like said plainly; the gap against the zero alternative next to the gap against today.
- `finding_sentence(finding, checklist, lang)` and `findings_text(result, checklist, lang)`: each
  finding once, in the order of `results.FINDING_CODES`.

Scores are whole numbers with their sign on the scale -100..+100; a difference between two scores
is labelled as a difference, on -200..+200.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from assessment.checklist.checklist import Checklist, text_for
from assessment.scoring.figures import figure as whole
from assessment.scoring.figures import fmt_figure as figure  # the figure every surface shows (−50, +75, 0), '–' for none
from assessment.scoring.results import FINDING_CODES, UNCHANGED_WITHIN, AlternativeResult, Finding, Result

__all__ = ["headline_sentence", "equity_sentence", "own_weights_sentence", "finding_sentence", "findings_text", "finding_messages",
           "PHRASES"]


MAX_NAMED = 3
"""The headline names at most this many losing groups, worst first, and counts the rest."""

PHRASES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "sv": MappingProxyType({
        "score": "{alt}: {value} på skalan −100 till +100, {band}.",
        "score_no_band": "{alt}: {value} på skalan −100 till +100.",
        "provisional": "{alt}: underlaget räcker inte för en samlad bedömning (bara {share} av frågorna är "
                       "bedömda); preliminärt {value} på skalan −100 till +100.",
        "no_score": "{alt}: ingen samlad poäng.",
        "losers_headline": "Men {groups} förlorar tydligt.",
        "behind_headline": "Men {groups} halkar efter befolkningen.",
        "losers_behind_headline": "Men {groups} förlorar tydligt, och {behind} halkar efter befolkningen.",
        "zero_better_headline": "Nollalternativet bedöms bättre än {alt_lower} ({zero} mot {value}).",
        "judgement_beside": "Bedömarnas eget svar på {question}: {judgement}; det räknas inte in i poängen.",
        "judgement_disagrees_beside": "Bedömarnas eget svar på {question}: {judgement}. Det skiljer sig från den "
                                      "beräknade poängen och räknas inte in i den.",
        "judgement_questions": "de sammanfattande frågorna",
        "eq_unknown": "Det går inte att säga om klyftan minskar eller ökar: påverkan på grupperna är inte bedömd.",
        "eq_levelling_down": "Alla förlorar: grupper med sämre förutsättningar {worse_off}, befolkningen "
                             "{population}. Klyftan minskar bara för att andra förlorar mer – det är ingen "
                             "vinst för jämlikheten.",
        "eq_worst_behind": "Klyftan ökar för {group} ({value} mot befolkningens {population} på samma frågor), "
                           "även om grupperna med sämre förutsättningar i genomsnitt får {worse_off}.",
        "eq_widens": "Klyftan ökar: grupper med sämre förutsättningar {worse_off}, befolkningen {population}.",
        "eq_hides": "Genomsnittet blir bättre, men det är ingen vinst för jämlikheten när klyftan ökar.",
        "eq_narrows": "Klyftan minskar: grupper med sämre förutsättningar {worse_off}, befolkningen {population}.",
        "eq_unchanged": "Klyftan är oförändrad: grupper med sämre förutsättningar {worse_off}, befolkningen "
                        "{population}.",
        "eq_worst": "Sämst går det för {group} ({value} mot befolkningens {population} på samma frågor).",
        "eq_not_same": "Grupperna jämförs inte över samma frågor, så jämförelsen är grov.",
        "eq_zero": "Mot nollalternativet är klyftan {direction} (skillnad {difference} på skalan −200 till +200).",
        "eq_zero_mean": "Mot nollalternativet är klyftan i genomsnitt för grupperna med sämre förutsättningar "
                        "{direction} (skillnad {difference} på skalan −200 till +200).",
        "eq_zero_narrower": "mindre",
        "eq_zero_wider": "större",
        "eq_zero_same": "ungefär densamma",
        "f_large_loss": "{group} förlorar tydligt i {alt_lower} ({value}).",
        "f_large_loss_rating": "{group} förlorar tydligt i {alt_lower}: ”{criterion}” bedöms som {rating}.",
        "f_worse_off_behind": "{group} halkar efter befolkningen i {alt_lower} ({value} mot {population} på "
                              "samma frågor), fast grupperna med sämre förutsättningar i genomsnitt inte gör det.",
        "f_levelling_down": "Utjämning nedåt i {alt_lower}: alla förlorar, och klyftan minskar bara för att "
                            "befolkningen förlorar mer ({population}) än grupperna med sämre förutsättningar "
                            "({worse_off}).",
        "f_uncertain_loss": "{group} förlorar tydligt i {alt_lower} ({value}), men bedömarna är osäkra på "
                            "”{criterion}”: förlusten står kvar och behöver utredas före beslutet.",
        "f_low_certainty": "{share} av poängen för {alt_lower} vilar på bedömningar med låg säkerhet ({count} "
                           "frågor); de räknas fullt ut och redovisas som kunskapsluckor.",
        "f_low_certainty_one": "{share} av poängen för {alt_lower} vilar på en bedömning med låg säkerhet; den "
                               "räknas fullt ut och redovisas som kunskapslucka.",
        "f_provisional": "Underlaget räcker inte för en samlad bedömning av {alt_lower}: {share} av frågorna "
                         "är bedömda, minst {floor} behövs. Poängen är preliminär.",
        "f_zero_better": "Nollalternativet ({zero}) bedöms bättre än {alt_lower} ({value}).",
        "f_not_relevant_group": "”{criterion}” är markerad som ej relevant för {group_lower}, en grupp med sämre "
                                "förutsättningar, utan motivering.",
        "f_not_relevant": "”{criterion}” är markerad som ej relevant utan motivering, fast frågan alltid är "
                          "relevant för den här typen av plan.",
        "f_participation_unanswered": "Delaktigheten är inte besvarad och ingen dialog är redovisad: ingen "
                                      "dialog är nådd.",
        "f_participation_expected_unknown": "Svaret på ”{criterion}” är okänt; därför gäller den högre "
                                            "förväntade nivån för delaktighet.",
        "f_participation_not_counted": "{count} dialoger räknas bara som information: för få deltagare (minst "
                                       "{min} behövs) eller ingen berörd grupp angiven.",
        "f_participation_not_counted_one": "En dialog räknas bara som information: för få deltagare (minst {min} "
                                           "behövs) eller ingen berörd grupp angiven.",
        "f_losers_not_heard": "{group} förlorar men nåddes inte av någon redovisad dialog.",
        "f_judgement_disagrees": "Bedömarnas egen sammanfattande bedömning av {alt_lower} ({judgement}) skiljer sig från "
                                 "den beräknade poängen ({value}).",
        "f_own_weights": "Checklistan har egna vikter: {count} skiljer sig från referenschecklistan.",
        "f_own_weights_one": "Checklistan har en egen vikt som skiljer sig från referenschecklistan.",
        "own_weights": "Egna vikter jämfört med referenschecklistan {reference}: {differences}.",
        "w_group": "gruppen {name} {own} (referensen {ref})",
        "w_section": "avsnittet {name} {own} (referensen {ref})",
        "w_criterion": "frågan {name} {own} (referensen {ref})",
        "w_missing": "saknas",
        "w_more": "och {count} till",
        "list_sep": ", ",
        "list_and": " och ",
        "more_groups": "{count} grupper till",
    }),
    "en": MappingProxyType({
        "score": "{alt}: {value} on the scale −100 to +100, {band}.",
        "score_no_band": "{alt}: {value} on the scale −100 to +100.",
        "provisional": "{alt}: the evidence is not enough for an overall judgement (only {share} of the "
                       "questions are rated); provisionally {value} on the scale −100 to +100.",
        "no_score": "{alt}: no overall score.",
        "losers_headline": "But {groups} clearly lose.",
        "behind_headline": "But {groups} fall behind the population.",
        "losers_behind_headline": "But {groups} clearly lose, and {behind} fall behind the population.",
        "zero_better_headline": "The zero alternative is rated better than {alt_lower} ({zero} against {value}).",
        "judgement_beside": "The assessors' own answer to {question}: {judgement}; it is not counted in the score.",
        "judgement_disagrees_beside": "The assessors' own answer to {question}: {judgement}. It differs from the "
                                      "computed score and is not counted in it.",
        "judgement_questions": "the summary questions",
        "eq_unknown": "It cannot be said whether the gap narrows or widens: the impact on the groups is not rated.",
        "eq_levelling_down": "Everyone loses: groups with worse starting conditions {worse_off}, the population "
                             "{population}. The gap narrows only because others lose more – that is not an "
                             "equity gain.",
        "eq_worst_behind": "The gap widens for {group} ({value} against the population's {population} on the "
                           "same questions), even though the groups with worse starting conditions get "
                           "{worse_off} on average.",
        "eq_widens": "The gap widens: groups with worse starting conditions {worse_off}, the population {population}.",
        "eq_hides": "The average improves, but that is not an equity gain when the gap widens.",
        "eq_narrows": "The gap narrows: groups with worse starting conditions {worse_off}, the population "
                      "{population}.",
        "eq_unchanged": "The gap is unchanged: groups with worse starting conditions {worse_off}, the population "
                        "{population}.",
        "eq_worst": "{group} fare worst ({value} against the population's {population} on the same questions).",
        "eq_not_same": "The groups are not compared over the same questions, so the comparison is rough.",
        "eq_zero": "Against the zero alternative the gap is {direction} (difference {difference} on the scale "
                   "−200 to +200).",
        "eq_zero_mean": "Against the zero alternative the average gap of the groups with worse starting conditions "
                        "is {direction} (difference {difference} on the scale −200 to +200).",
        "eq_zero_narrower": "narrower",
        "eq_zero_wider": "wider",
        "eq_zero_same": "about the same",
        "f_large_loss": "{group} clearly lose in {alt_lower} ({value}).",
        "f_large_loss_rating": "{group} clearly lose in {alt_lower}: “{criterion}” is rated {rating}.",
        "f_worse_off_behind": "{group} fall behind the population in {alt_lower} ({value} against {population} "
                              "on the same questions), although the groups with worse starting conditions on "
                              "average do not.",
        "f_levelling_down": "Levelling down in {alt_lower}: everyone loses, and the gap narrows only because the "
                            "population loses more ({population}) than the groups with worse starting conditions "
                            "({worse_off}).",
        "f_uncertain_loss": "{group} clearly lose in {alt_lower} ({value}), but the assessors are unsure of "
                            "“{criterion}”: the loss stands and needs finding out before the decision.",
        "f_low_certainty": "{share} of the score of {alt_lower} rests on ratings of low certainty ({count} "
                           "questions); they count in full and are listed as knowledge gaps.",
        "f_low_certainty_one": "{share} of the score of {alt_lower} rests on a rating of low certainty; it counts "
                               "in full and is listed as a knowledge gap.",
        "f_provisional": "The evidence is not enough for an overall judgement of {alt_lower}: {share} of the "
                         "questions are rated, at least {floor} are needed. The score is provisional.",
        "f_zero_better": "The zero alternative ({zero}) is rated better than {alt_lower} ({value}).",
        "f_not_relevant_group": "“{criterion}” is marked not relevant for {group_lower}, a group with worse "
                                "starting conditions, without a reason.",
        "f_not_relevant": "“{criterion}” is marked not relevant without a reason, although the question is "
                          "always relevant for this type of plan.",
        "f_participation_unanswered": "Participation is not answered and no dialogue is recorded: no dialogue "
                                      "was reached.",
        "f_participation_expected_unknown": "The answer to “{criterion}” is unknown, so the higher expected "
                                            "level of participation applies.",
        "f_participation_not_counted": "{count} dialogues count as information only: too few participants "
                                       "(at least {min} needed) or no affected group named.",
        "f_participation_not_counted_one": "One dialogue counts as information only: too few participants (at "
                                           "least {min} needed) or no affected group named.",
        "f_losers_not_heard": "{group} lose but were not reached by any recorded dialogue.",
        "f_judgement_disagrees": "The assessors' own summary judgement of {alt_lower} ({judgement}) differs from the "
                                 "computed score ({value}).",
        "f_own_weights": "The checklist has its own weights: {count} differ from the reference checklist.",
        "f_own_weights_one": "The checklist has one weight of its own that differs from the reference checklist.",
        "own_weights": "Weights of its own compared with the reference checklist {reference}: {differences}.",
        "w_group": "the group {name} {own} (reference {ref})",
        "w_section": "the section {name} {own} (reference {ref})",
        "w_criterion": "the question {name} {own} (reference {ref})",
        "w_missing": "none",
        "w_more": "and {count} more",
        "list_sep": ", ",
        "list_and": " and ",
        "more_groups": "{count} more groups",
    }),
})


def _p(lang: str, key: str) -> str:
    return PHRASES.get(lang, PHRASES["en"])[key]


def _share(value: float, lang: str) -> str:
    return f"{round(100 * value)} %"


def _lower(text: str) -> str:
    """A label inside a sentence: its first letter lowered, unless it reads as a name or an abbreviation."""
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


class _Names:
    """Labels of the checklist's ids in one language, looked up once."""

    def __init__(self, checklist: Checklist, lang: str) -> None:
        self.c = checklist
        self.lang = lang
        self.groups = {g.id: text_for(g.label, lang) for g in checklist.groups}
        self.alternatives = {a.id: text_for(a.label, lang) for a in checklist.alternatives}
        self.criteria = {k.id: k for s in checklist.sections for k in s.criteria}

    def group(self, gid: str | None) -> str:
        return self.groups.get(gid or "", gid or "")

    def alternative(self, alt: str | None) -> str:
        label = self.alternatives.get(alt or "")
        if label is not None:
            return label
        if alt and alt != "proposal":
            return alt
        # a checklist without alternatives scores one, "proposal": it is named, not shown as its id
        return "Förslaget" if self.lang == "sv" else "The proposal"

    def criterion(self, cid: str | None) -> str:
        k = self.criteria.get(cid or "")
        if k is None:
            return cid or ""
        text = " ".join(text_for(k.text, self.lang).split())
        return text if len(text) <= 90 else text[:89] + "…"

    def step(self, cid: str | None, value: float | None) -> str:
        """The label of the scale step a normalized rating stands for, else the figure."""
        k = self.criteria.get(cid or "")
        scale = next((s for s in self.c.scales if k is not None and s.id == k.scale), None)
        if scale is None:
            return figure(value)
        top = max(abs(s.value) for s in scale.steps) or 1
        for s in scale.steps:
            if value is not None and abs(100.0 * s.value / top - value) < 1e-9:
                return f"”{text_for(s.label, self.lang)}” ({figure(value)})" if self.lang == "sv" \
                    else f"“{text_for(s.label, self.lang)}” ({figure(value)})"
        return figure(value)


def _quoted(text: str, lang: str) -> str:
    return f"”{text}”" if lang == "sv" else f"“{text}”"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _p(lang, "list_sep").join(items[:-1]) + _p(lang, "list_and") + items[-1]


def _fill(lang: str, key: str, **values: str) -> str:
    return _p(lang, key).format(**values)


def _alt_result(result: Result, alternative: str | None) -> AlternativeResult:
    return result.alternatives[alternative or result.primary]


def headline_sentence(result: Result, checklist: Checklist, lang: str, alternative: str | None = None) -> str:
    """The headline of `alternative` (default: the proposal) in one to four sentences, in `lang`."""
    names = _Names(checklist, lang)
    alt = alternative or result.primary
    r = _alt_result(result, alt)
    label = names.alternative(alt)
    overall = r.overall
    parts: list[str] = []
    if overall.value is None:
        parts.append(_fill(lang, "no_score", alt=label))
        if result.message is not None and alt == result.primary:
            parts.append(text_for(result.message, lang))
    elif r.provisional:
        parts.append(_fill(lang, "provisional", alt=label, share=_share(r.rated_share or 0.0, lang),
                           value=figure(overall.value)))
    elif overall.band is not None:
        parts.append(_fill(lang, "score", alt=label, value=figure(overall.value),
                           band=_lower(text_for(overall.band, lang))))
    else:
        parts.append(_fill(lang, "score_no_band", alt=label, value=figure(overall.value)))
    mine = [f for f in result.findings if f.alternative == alt]
    # A group that clearly loses and a worse-off group that gains less than the population are named
    # apart: "förlorar tydligt" of a group at +17 would tell a reader it is worse off than today.
    losers: list[str] = []
    behind: list[str] = []
    for f in mine:
        if f.code in ("large_loss", "worse_off_behind") and f.group is not None:
            name = _lower(names.group(f.group))
            into = losers if f.code == "large_loss" else behind
            if name not in losers and name not in behind:
                into.append(name)
    if losers or behind:
        named = losers[:MAX_NAMED] if len(losers) <= MAX_NAMED + 1 else \
            [*losers[:MAX_NAMED], _fill(lang, "more_groups", count=str(len(losers) - MAX_NAMED))]
        if losers and behind:
            parts.append(_fill(lang, "losers_behind_headline", groups=_join(named, lang), behind=_join(behind, lang)))
        elif losers:
            parts.append(_fill(lang, "losers_headline", groups=_join(named, lang)))
        else:
            parts.append(_fill(lang, "behind_headline", groups=_join(behind, lang)))
    for f in mine:
        if f.code == "zero_better":
            parts.append(_fill(lang, "zero_better_headline", alt_lower=_lower(label),
                               zero=figure(f.figures.get("zero")), value=figure(f.figures.get("value"))))
    if r.judgement is not None:
        disagrees = any(f.code == "judgement_disagrees" for f in mine)
        # Named as the question it answers: "samlad bedömning" is the assessors' recommendation, elsewhere.
        judged = list(checklist.scoring.overall_judgement)
        question = _quoted(names.criterion(judged[0]), lang) if len(judged) == 1 else _p(lang, "judgement_questions")
        judgement = names.step(judged[0], r.judgement) if len(judged) == 1 else figure(r.judgement)
        parts.append(_fill(lang, "judgement_disagrees_beside" if disagrees else "judgement_beside",
                           question=question, judgement=judgement))
    return " ".join(parts)


def equity_sentence(result: Result, checklist: Checklist, lang: str, alternative: str | None = None) -> str:
    """Whether the gap narrows or widens for `alternative` (default: the proposal), in `lang`."""
    names = _Names(checklist, lang)
    alt = alternative or result.primary
    eq = _alt_result(result, alt).equity
    worse_off, population = figure(eq.worse_off), figure(eq.population)
    parts: list[str] = []
    named_worst = False  # once one group is named as falling behind, a gap figure of the mean must say it is one
    worst = eq.worst_worse_off
    worst_gap = (eq.worst_worse_off_value - eq.worst_worse_off_population
                 if eq.worst_worse_off_value is not None and eq.worst_worse_off_population is not None else None)
    if eq.verdict == "unknown":
        parts.append(_p(lang, "eq_unknown"))
    elif eq.levelling_down:
        parts.append(_fill(lang, "eq_levelling_down", worse_off=worse_off, population=population))
    elif eq.verdict == "widens" and eq.gap_change is not None and eq.gap_change >= -UNCHANGED_WITHIN \
            and worst is not None:
        named_worst = True
        parts.append(_fill(lang, "eq_worst_behind", group=_lower(names.group(worst)),
                           value=figure(eq.worst_worse_off_value),
                           population=figure(eq.worst_worse_off_population), worse_off=worse_off))
    else:
        parts.append(_fill(lang, f"eq_{eq.verdict}", worse_off=worse_off, population=population))
        if eq.verdict == "widens" and eq.average_hides_gap:
            parts.append(_p(lang, "eq_hides"))
        # the mean of the worse-off can hide one of them: name the worst when it falls behind
        if worst is not None and worst_gap is not None and worst_gap < -UNCHANGED_WITHIN \
                and eq.verdict != "widens":
            named_worst = True
            parts.append(_fill(lang, "eq_worst", group=names.group(worst), value=figure(eq.worst_worse_off_value),
                               population=figure(eq.worst_worse_off_population)))
    if eq.same_questions is False:
        parts.append(_p(lang, "eq_not_same"))
    for d in result.differences:
        if d.other == alt and d.gap_change is not None:
            direction = "eq_zero_same" if abs(d.gap_change) < UNCHANGED_WITHIN else \
                "eq_zero_narrower" if d.gap_change > 0 else "eq_zero_wider"
            # the difference of the two gap figures a reader sees, so that the printed numbers add up
            base_gap = result.alternatives[d.base].equity.gap_change if d.base in result.alternatives else None
            shown = whole(eq.gap_change) - whole(base_gap) \
                if eq.gap_change is not None and base_gap is not None else d.gap_change
            parts.append(_fill(lang, "eq_zero_mean" if named_worst else "eq_zero", direction=_p(lang, direction),
                               difference=figure(shown)))
    return " ".join(parts)


MAX_WEIGHTS_NAMED = 8
"""The own-weights sentence names at most this many differences and counts the rest."""


def own_weights_sentence(result: Result, checklist: Checklist, lang: str) -> str | None:
    """The weights this checklist sets differently from the reference it derives from, each with both
    values, or None when there are none (or no reference was given to scoring)."""
    diffs = list(result.weight_differences)
    if not diffs:
        return None
    names = _Names(checklist, lang)
    sections = {sec.id: text_for(sec.title, lang) for sec in checklist.sections}

    def weight(value: float | None) -> str:
        return _p(lang, "w_missing") if value is None else f"{value:g}".replace(".", "," if lang == "sv" else ".")

    def name(kind: str, ident: str) -> str:
        label = {"group": names.groups.get(ident), "section": sections.get(ident)}.get(kind) \
            if kind != "criterion" else names.criterion(ident)
        return _quoted(label or ident, lang)

    shown = [_fill(lang, f"w_{d.kind}", name=name(d.kind, d.id), own=weight(d.own), ref=weight(d.reference))
             for d in diffs[:MAX_WEIGHTS_NAMED]]
    if len(diffs) > MAX_WEIGHTS_NAMED:
        shown.append(_fill(lang, "w_more", count=str(len(diffs) - MAX_WEIGHTS_NAMED)))
    return _fill(lang, "own_weights", reference=checklist.scoring.reference or "", differences=_join(shown, lang))


def finding_sentence(finding: Finding, checklist: Checklist, lang: str) -> str:
    """One finding in one or two sentences, in `lang`."""
    return _finding_sentence(finding, _Names(checklist, lang))


def finding_messages(findings: list[Finding], checklist: Checklist,
                     langs: tuple[str, ...] = ("sv", "en")) -> list[dict[str, str]]:
    """Each finding worded in every language of `langs`, as a flag's message {lang: text}."""
    names = [_Names(checklist, lang) for lang in langs]
    return [{n.lang: _finding_sentence(f, n) for n in names} for f in findings]


def _finding_sentence(finding: Finding, names: _Names) -> str:
    lang = names.lang
    f = finding
    g = f.figures
    alt_lower = _lower(names.alternative(f.alternative)) if f.alternative else ""
    group = names.group(f.group) if f.group else ""
    if f.code == "large_loss":
        if "rating" in g and f.criterion is not None:
            return _fill(lang, "f_large_loss_rating", group=group, alt_lower=alt_lower,
                         criterion=names.criterion(f.criterion), rating=names.step(f.criterion, g["rating"]))
        return _fill(lang, "f_large_loss", group=group, alt_lower=alt_lower, value=figure(g.get("value")))
    if f.code == "worse_off_behind":
        return _fill(lang, "f_worse_off_behind", group=group, alt_lower=alt_lower, value=figure(g.get("value")),
                     population=figure(g.get("population")))
    if f.code == "levelling_down":
        return _fill(lang, "f_levelling_down", alt_lower=alt_lower, worse_off=figure(g.get("worse_off")),
                     population=figure(g.get("population")))
    if f.code == "uncertain_loss":
        return _fill(lang, "f_uncertain_loss", group=group, alt_lower=alt_lower, value=figure(g.get("value")),
                     criterion=names.criterion(f.criterion))
    if f.code == "low_certainty":
        count = int(g.get("count", 0))
        return _fill(lang, "f_low_certainty_one" if count == 1 else "f_low_certainty",
                     share=_share(g.get("share", 0.0), lang), alt_lower=alt_lower, count=str(count))
    if f.code == "provisional":
        return _fill(lang, "f_provisional", alt_lower=alt_lower, share=_share(g.get("rated_share", 0.0), lang),
                     floor=_share(g.get("floor", 0.0), lang))
    if f.code == "zero_better":
        return _fill(lang, "f_zero_better", alt_lower=alt_lower, zero=figure(g.get("zero")),
                     value=figure(g.get("value")))
    if f.code == "not_relevant_without_reason":
        if f.group is not None:
            return _fill(lang, "f_not_relevant_group", criterion=names.criterion(f.criterion),
                         group_lower=_lower(group))
        return _fill(lang, "f_not_relevant", criterion=names.criterion(f.criterion))
    if f.code == "participation_unanswered":
        return _p(lang, "f_participation_unanswered")
    if f.code == "participation_expected_unknown":
        return _fill(lang, "f_participation_expected_unknown", criterion=names.criterion(f.criterion))
    if f.code == "participation_not_counted":
        count = int(g.get("count", 0))
        return _fill(lang, "f_participation_not_counted_one" if count == 1 else "f_participation_not_counted",
                     count=str(count), min=str(int(g.get("min", 0))))
    if f.code == "losers_not_heard":
        return _fill(lang, "f_losers_not_heard", group=group)
    if f.code == "judgement_disagrees":
        return _fill(lang, "f_judgement_disagrees", alt_lower=alt_lower, judgement=figure(g.get("judgement")),
                     value=figure(g.get("value")))
    if f.code == "own_weights":
        count = int(g.get("count", 0))
        return _fill(lang, "f_own_weights_one" if count == 1 else "f_own_weights", count=str(count))
    raise ValueError(f"unknown finding code {f.code!r} (known: {', '.join(FINDING_CODES)})")


def findings_text(result: Result, checklist: Checklist, lang: str) -> list[str]:
    """Every finding of `result`, one sentence each, most serious first, in `lang`."""
    rank = {"serious": 0, "warning": 1, "info": 2}
    order = {code: i for i, code in enumerate(FINDING_CODES)}
    ordered = sorted(result.findings, key=lambda f: (rank[f.severity], order.get(f.code, len(order))))
    names = _Names(checklist, lang)
    return [_finding_sentence(f, names) for f in ordered]
