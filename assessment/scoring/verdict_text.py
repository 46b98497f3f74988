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

from assessment.catalogue import LANGUAGES, plural, text
from assessment.checklist.checklist import Checklist, text_for
from assessment.scoring.figures import figure as whole
from assessment.scoring.figures import fmt_figure as figure  # the figure every surface shows (−50, +75, 0), '–' for none
from assessment.scoring.results import FINDING_CODES, UNCHANGED_WITHIN, AlternativeResult, Finding, Result

__all__ = ["headline_sentence", "equity_sentence", "own_weights_sentence", "finding_sentence", "findings_text", "finding_messages",
           "worded_in"]


MAX_NAMED = 3
"""The headline names at most this many losing groups, worst first, and counts the rest."""


def worded_in(lang: str) -> str:
    """The language the scoring's own words are in: a language SKB does not speak reads English here, as it always
    has (`skb score` of an assessment written in another language), where the surfaces read Swedish."""
    return lang if lang in LANGUAGES else "en"


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
        return text(worded_in(self.lang), "common.proposal")

    def criterion(self, cid: str | None) -> str:
        k = self.criteria.get(cid or "")
        if k is None:
            return cid or ""
        words = " ".join(text_for(k.text, self.lang).split())
        return words if len(words) <= 90 else words[:89] + "…"

    def step(self, cid: str | None, value: float | None) -> str:
        """The label of the scale step a normalized rating stands for, else the figure."""
        k = self.criteria.get(cid or "")
        scale = next((s for s in self.c.scales if k is not None and s.id == k.scale), None)
        if scale is None:
            return figure(value)
        top = max(abs(s.value) for s in scale.steps) or 1
        for s in scale.steps:
            if value is not None and abs(100.0 * s.value / top - value) < 1e-9:
                return f"{_quoted(text_for(s.label, self.lang), self.lang)} ({figure(value)})"
        return figure(value)


def _quoted(words: str, lang: str) -> str:
    return text(worded_in(lang), "common.quoted", text=words)


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return text(worded_in(lang), "verdict.list_sep").join(items[:-1]) + text(worded_in(lang), "common.list_and") + items[-1]


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
        parts.append(text(worded_in(lang), "verdict.no_score", alt=label))
        if result.message is not None and alt == result.primary:
            parts.append(text_for(result.message, lang))
    elif r.provisional:
        parts.append(text(worded_in(lang), "verdict.provisional", alt=label, share=_share(r.rated_share or 0.0, lang),
                           value=figure(overall.value)))
    elif overall.band is not None:
        parts.append(text(worded_in(lang), "verdict.score", alt=label, value=figure(overall.value),
                           band=_lower(text_for(overall.band, lang))))
    else:
        parts.append(text(worded_in(lang), "verdict.score_no_band", alt=label, value=figure(overall.value)))
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
            [*losers[:MAX_NAMED], plural(worded_in(lang), "common.more_groups", len(losers) - MAX_NAMED)]
        if losers and behind:
            parts.append(text(worded_in(lang), "verdict.losers_behind_headline", groups=_join(named, lang), behind=_join(behind, lang)))
        elif losers:
            parts.append(text(worded_in(lang), "verdict.losers_headline", groups=_join(named, lang)))
        else:
            parts.append(text(worded_in(lang), "verdict.behind_headline", groups=_join(behind, lang)))
    for f in mine:
        if f.code == "zero_better":
            parts.append(text(worded_in(lang), "verdict.zero_better_headline", alt_lower=_lower(label),
                               zero=figure(f.figures.get("zero")), value=figure(f.figures.get("value"))))
    if r.judgement is not None:
        disagrees = any(f.code == "judgement_disagrees" for f in mine)
        # Named as the question it answers: "samlad bedömning" is the assessors' recommendation, elsewhere.
        judged = list(checklist.scoring.overall_judgement)
        question = _quoted(names.criterion(judged[0]), lang) if len(judged) == 1 else text(worded_in(lang), "verdict.judgement_questions")
        judgement = names.step(judged[0], r.judgement) if len(judged) == 1 else figure(r.judgement)
        parts.append(text(worded_in(lang), "verdict.judgement_disagrees_beside" if disagrees else "verdict.judgement_beside",
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
        parts.append(text(worded_in(lang), "verdict.eq_unknown"))
    elif eq.levelling_down:
        parts.append(text(worded_in(lang), "verdict.eq_levelling_down", worse_off=worse_off, population=population))
    elif eq.verdict == "widens" and eq.gap_change is not None and eq.gap_change >= -UNCHANGED_WITHIN \
            and worst is not None:
        named_worst = True
        parts.append(text(worded_in(lang), "verdict.eq_worst_behind", group=_lower(names.group(worst)),
                           value=figure(eq.worst_worse_off_value),
                           population=figure(eq.worst_worse_off_population), worse_off=worse_off))
    else:
        parts.append(text(worded_in(lang), f"verdict.eq_{eq.verdict}", worse_off=worse_off, population=population))
        if eq.verdict == "widens" and eq.average_hides_gap:
            parts.append(text(worded_in(lang), "verdict.eq_hides"))
        # the mean of the worse-off can hide one of them: name the worst when it falls behind
        if worst is not None and worst_gap is not None and worst_gap < -UNCHANGED_WITHIN \
                and eq.verdict != "widens":
            named_worst = True
            parts.append(text(worded_in(lang), "verdict.eq_worst", group=names.group(worst), value=figure(eq.worst_worse_off_value),
                               population=figure(eq.worst_worse_off_population)))
    if eq.same_questions is False:
        parts.append(text(worded_in(lang), "verdict.eq_not_same"))
    for d in result.differences:
        if d.other == alt and d.gap_change is not None:
            direction = "verdict.eq_zero_same" if abs(d.gap_change) < UNCHANGED_WITHIN else \
                "verdict.eq_zero_narrower" if d.gap_change > 0 else "verdict.eq_zero_wider"
            # the difference of the two gap figures a reader sees, so that the printed numbers add up
            base_gap = result.alternatives[d.base].equity.gap_change if d.base in result.alternatives else None
            shown = whole(eq.gap_change) - whole(base_gap) \
                if eq.gap_change is not None and base_gap is not None else d.gap_change
            parts.append(text(worded_in(lang), "verdict.eq_zero_mean" if named_worst else "verdict.eq_zero", direction=text(worded_in(lang), direction),
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
        return text(worded_in(lang), "verdict.w_missing") if value is None else f"{value:g}".replace(".", "," if lang == "sv" else ".")

    def name(kind: str, ident: str) -> str:
        label = {"group": names.groups.get(ident), "section": sections.get(ident)}.get(kind) \
            if kind != "criterion" else names.criterion(ident)
        return _quoted(label or ident, lang)

    shown = [text(worded_in(lang), f"verdict.w_{d.kind}", name=name(d.kind, d.id), own=weight(d.own), ref=weight(d.reference))
             for d in diffs[:MAX_WEIGHTS_NAMED]]
    if len(diffs) > MAX_WEIGHTS_NAMED:
        shown.append(text(worded_in(lang), "verdict.w_more", count=str(len(diffs) - MAX_WEIGHTS_NAMED)))
    return text(worded_in(lang), "verdict.own_weights", reference=checklist.scoring.reference or "", differences=_join(shown, lang))


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
            return text(worded_in(lang), "verdict.f_large_loss_rating", group=group, alt_lower=alt_lower,
                         criterion=names.criterion(f.criterion), rating=names.step(f.criterion, g["rating"]))
        return text(worded_in(lang), "verdict.f_large_loss", group=group, alt_lower=alt_lower, value=figure(g.get("value")))
    if f.code == "worse_off_behind":
        return text(worded_in(lang), "verdict.f_worse_off_behind", group=group, alt_lower=alt_lower, value=figure(g.get("value")),
                     population=figure(g.get("population")))
    if f.code == "levelling_down":
        return text(worded_in(lang), "verdict.f_levelling_down", alt_lower=alt_lower, worse_off=figure(g.get("worse_off")),
                     population=figure(g.get("population")))
    if f.code == "uncertain_loss":
        return text(worded_in(lang), "verdict.f_uncertain_loss", group=group, alt_lower=alt_lower, value=figure(g.get("value")),
                     criterion=names.criterion(f.criterion))
    if f.code == "low_certainty":
        count = int(g.get("count", 0))
        return plural(worded_in(lang), "verdict.f_low_certainty", count, share=_share(g.get("share", 0.0), lang),
                      alt_lower=alt_lower)
    if f.code == "provisional":
        return text(worded_in(lang), "verdict.f_provisional", alt_lower=alt_lower, share=_share(g.get("rated_share", 0.0), lang),
                     floor=_share(g.get("floor", 0.0), lang))
    if f.code == "zero_better":
        return text(worded_in(lang), "verdict.f_zero_better", alt_lower=alt_lower, zero=figure(g.get("zero")),
                     value=figure(g.get("value")))
    if f.code == "not_relevant_without_reason":
        if f.group is not None:
            return text(worded_in(lang), "verdict.f_not_relevant_group", criterion=names.criterion(f.criterion),
                         group_lower=_lower(group))
        return text(worded_in(lang), "verdict.f_not_relevant", criterion=names.criterion(f.criterion))
    if f.code == "participation_unanswered":
        return text(worded_in(lang), "verdict.f_participation_unanswered")
    if f.code == "participation_expected_unknown":
        return text(worded_in(lang), "verdict.f_participation_expected_unknown", criterion=names.criterion(f.criterion))
    if f.code == "participation_not_counted":
        count = int(g.get("count", 0))
        return plural(worded_in(lang), "verdict.f_participation_not_counted", count, min=str(int(g.get("min", 0))))
    if f.code == "losers_not_heard":
        return text(worded_in(lang), "verdict.f_losers_not_heard", group=group)
    if f.code == "judgement_disagrees":
        return text(worded_in(lang), "verdict.f_judgement_disagrees", alt_lower=alt_lower, judgement=figure(g.get("judgement")),
                     value=figure(g.get("value")))
    if f.code == "own_weights":
        count = int(g.get("count", 0))
        return plural(worded_in(lang), "verdict.f_own_weights", count)
    raise ValueError(f"unknown finding code {f.code!r} (known: {', '.join(FINDING_CODES)})")


def findings_text(result: Result, checklist: Checklist, lang: str) -> list[str]:
    """Every finding of `result`, one sentence each, most serious first, in `lang`."""
    rank = {"serious": 0, "warning": 1, "info": 2}
    order = {code: i for i, code in enumerate(FINDING_CODES)}
    ordered = sorted(result.findings, key=lambda f: (rank[f.severity], order.get(f.code, len(order))))
    names = _Names(checklist, lang)
    return [_finding_sentence(f, names) for f in ordered]
