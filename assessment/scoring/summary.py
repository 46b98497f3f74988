"""Every claim a summary makes, derived once from one scoring `Result` and its `Assessment`.

The results page, the report's summary page, the participant letter and the text
`skb score` prints all say who gains and who loses, what the overall score is, how
the alternatives differ, which negative consequences are most serious, what is not
known and which flags are raised. Each of them used to work this out by itself, and
they drifted apart: a group named as losing that the body shows at 0, "no measure
decided" next to a listed measure, a difference of +102 "points" on a −100…+100
scale. `summarize` works it out once; the surfaces only put it into words.

The rules, also in docs/report.md:

- **One figure per score.** A score (−100…+100) is shown as a whole number rounded
  half away from zero (`figure`), with a real minus sign (`fmt_figure`). A rating is
  shown as its scale label and its score on the same −100…+100 scale ("Viss negativ
  påverkan (−50)"), never as the step (−1).
- **Losers and gainers are read from the figures shown.** A group loses when its
  score as shown is below zero, gains when it is above zero; a group whose score
  rounds to 0 is shown as 0 and named as neither. So no loser is ever shown at 0 and
  no 0 is ever named as a loser.
- **A difference is the difference of the figures shown.** `other − base` is computed
  from the two rounded figures, so the three numbers on the page always add up; it
  lies on −200…+200 and is labelled as a difference.
- **A measure counts when it is not dropped.** "No measure decided" is said of a
  finding only when no measure other than dropped ones exists for its question and
  alternative (or for every alternative), attached to the question or for the whole
  assessment naming it.
- **Knowledge gaps are counted as listed**: one per question with something unknown
  in the headline alternative (or in a question answered once), however many groups
  are unknown in it.

It reads results only by attribute, so it works on any result type with the same
names. It does no I/O, holds no state and must not import streamlit or reportlab.
`headline_sentence` and `equity_sentence` are the verdict's own sentences
(`assessment.scoring.verdict_text`), so the summary and the CLI word the verdict alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assessment.answers.model import NOT_RELEVANT, UNKNOWN, Assessment, Measure, MeasureStatus
from assessment.catalogue import text
from assessment.checklist.checklist import AnswerType, Checklist, Text
from assessment.scoring import verdict_text
from assessment.scoring.figures import figure, fmt_figure

__all__ = [
    "figure",
    "fmt_figure",
    "rating_figure",
    "Standing",
    "standings",
    "GroupRating",
    "Finding",
    "AlternativeLine",
    "DifferenceLine",
    "FlagLine",
    "GapLine",
    "Recommendation",
    "Summary",
    "summarize",
    "headline_sentence",
    "equity_sentence",
    "MAX_FINDINGS",
    "RECOMMENDATION_CHOICES",
    "RIGHTS_FRAMEWORKS",
    "SCORE_RANGE",
    "DIFFERENCE_RANGE",
]

MAX_FINDINGS = 5  # the most serious negative consequences a summary names
MAX_FINDING_GROUPS = 4  # groups named in one finding; the rest are counted
# A checklist's recommendation question is a single-choice question on one of these choice lists
# (the reference checklists' "Samlad bedömning": proceed, proceed with measures, revise, do not proceed).
RECOMMENDATION_CHOICES = ("recommendation", "recommendations", "rekommendation")
# The framework a flag names as "its right": the Convention on the Rights of the Child where the
# checklist maps questions to it, else the policy areas (målområden).
RIGHTS_FRAMEWORKS = ("crc", "rights", "barnkonventionen")
SCORE_RANGE = (-100, 100)
DIFFERENCE_RANGE = (-200, 200)


# --- figures --------------------------------------------------------------------------------


def rating_figure(step: float, scale_max: float) -> float:
    """A step of a rating scale on the −100…+100 scale the scores use (−1 of −2…+2 is −50)."""
    return 100.0 * step / (scale_max or 1.0)


# --- what a summary says --------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A group's score in one alternative, as computed and as shown."""

    group: str
    value: float
    shown: int


@dataclass(frozen=True)
class GroupRating:
    """One rating in a finding: for whom (None: the question has no groups), its words and its figure."""

    group: str | None
    step: int
    label: Text | None  # the scale step's label
    value: float  # on −100…+100
    shown: int


@dataclass(frozen=True)
class Finding:
    """A negative consequence: what (the question), for whom and how large (the ratings), in which alternative."""

    criterion: str
    section: str
    alternative: str
    ratings: tuple[GroupRating, ...]  # the negative ratings, worst first (at most MAX_FINDING_GROUPS)
    more_groups: int  # negative group ratings beyond those listed
    measures: tuple[Measure, ...]  # every measure recorded for the question in this alternative, dropped ones too

    @property
    def worst(self) -> GroupRating:
        return self.ratings[0]

    @property
    def live_measures(self) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.status != MeasureStatus.DROPPED)

    @property
    def has_measure(self) -> bool:
        """Whether a measure that is not dropped exists: only when not is "no measure decided" said."""
        return bool(self.live_measures)


@dataclass(frozen=True)
class AlternativeLine:
    alternative: str
    value: float | None
    shown: int | None
    band: Text | None
    answered: int
    applicable: int


@dataclass(frozen=True)
class DifferenceLine:
    """`other` minus `base` on −200…+200, from the figures shown (`shown` is other_shown − base_shown)."""

    base: str
    other: str
    base_shown: int | None
    other_shown: int | None
    shown: int | None
    exact: float | None  # the difference of the unrounded scores, for the record


@dataclass(frozen=True)
class FlagLine:
    """A flag with where it points: its question, its group, its alternative and its right (framework items)."""

    rule: str
    severity: str
    message: Text
    criterion: str | None
    group: str | None
    alternative: str | None
    rights: tuple[tuple[str, str], ...]  # (framework id, item id) of the question, in the rights framework


@dataclass(frozen=True)
class GapLine:
    """A question with something unknown: the whole question, or some groups in it."""

    criterion: str
    section: str
    groups: tuple[str, ...]  # the groups rated unknown; empty when the whole question is unknown


@dataclass(frozen=True)
class Recommendation:
    """The assessors' own conclusion (samlad bedömning / förslag till beslut), as they wrote it.

    Two places hold it: the checklist's overall-judgement question (a single choice on a
    RECOMMENDATION_CHOICES list: proceed, proceed with measures, revise, do not proceed), and
    the assessment's own `metadata.recommendation`, the proposed decision in words, which
    every checklist has."""

    criterion: str | None  # the overall-judgement question, when the checklist has one and it is answered
    choice: str | None  # the option id chosen
    label: Text | None  # its label
    comment: str  # the answer's motivation
    text: str  # metadata.recommendation: the proposed decision in the assessors' words


@dataclass(frozen=True)
class Summary:
    primary: str  # the alternative the headline describes
    headline: str  # the headline sentence (plain text, in the summary's language)
    equity: str  # the equity sentence (plain text)
    own_weights: str | None  # the weights that differ from the reference checklist, with both values; None if none
    alternatives: tuple[AlternativeLine, ...]  # every alternative, in the checklist's order
    differences: tuple[DifferenceLine, ...]
    groups_rated: bool  # some group has a score in the headline alternative
    gainers: tuple[Standing, ...]  # shown above 0, best first
    losers: tuple[Standing, ...]  # shown below 0, worst first
    level: tuple[Standing, ...]  # rated and shown as 0
    findings: tuple[Finding, ...]  # the most serious negative consequences, worst first
    negatives: int  # questions with a negative rating in the headline alternative (findings are the first ones)
    promised: tuple[Measure, ...]  # the measures of the headline alternative that are not dropped, as recorded
    gaps: tuple[GapLine, ...]  # every knowledge gap of the headline alternative: the count is len(gaps)
    flags: tuple[FlagLine, ...]  # every flag once, the most severe first
    recommendation: Recommendation | None
    assessors_summary: str  # the assessment's own summary text (metadata.summary), as written
    message: Text | None  # the result's message (e.g. nothing rated)

    @property
    def overall(self) -> AlternativeLine:
        return next(a for a in self.alternatives if a.alternative == self.primary)

    @property
    def any_measure(self) -> bool:
        return bool(self.promised)


# --- the verdict's two sentences, as the summary states them ------------------------------------------------

def headline_sentence(result: Any, checklist: Checklist, lang: str) -> str:
    """The verdict's headline (`assessment.scoring.verdict_text`), then how many applicable questions are rated."""
    words = verdict_text.headline_sentence(result, checklist, lang)
    o = result.alternatives[result.primary].overall
    if o.value is not None and o.applicable:
        words += " " + text(lang, "verdict.rated_count", answered=o.answered, applicable=o.applicable)
    return words


def equity_sentence(result: Any, checklist: Checklist, lang: str, alternative: str | None = None) -> str:
    """Whether the gap narrows or widens, as the verdict words it (`assessment.scoring.verdict_text`)."""
    return verdict_text.equity_sentence(result, checklist, lang, alternative)


# --- deriving the summary --------------------------------------------------------------------


def _standings(groups: dict[str, Any]) -> list[Standing]:
    out = []
    for gid, s in groups.items():
        if s is not None and s.value is not None:
            shown = figure(s.value)
            assert shown is not None
            out.append(Standing(gid, s.value, shown))
    return out


def standings(groups: dict[str, Any]) -> tuple[tuple[Standing, ...], tuple[Standing, ...], tuple[Standing, ...]]:
    """(gainers best first, losers worst first, level) of one alternative's group scores, read from the figures shown.

    The one rule for who gains and who loses, for every alternative and every surface."""
    rated = _standings(groups)
    return (tuple(sorted((s for s in rated if s.shown > 0), key=lambda s: (-s.value, s.group))),
            tuple(sorted((s for s in rated if s.shown < 0), key=lambda s: (s.value, s.group))),
            tuple(s for s in rated if s.shown == 0))


def _scale_max(checklist: Checklist, scale_id: str | None) -> float:
    if not scale_id:
        return 1.0
    try:
        steps = checklist.scale(scale_id).steps
    except StopIteration:
        return 1.0
    return float(max(abs(s.value) for s in steps)) or 1.0


def _step_label(checklist: Checklist, scale_id: str | None, step: int) -> Text | None:
    if not scale_id:
        return None
    try:
        steps = checklist.scale(scale_id).steps
    except StopIteration:
        return None
    return next((s.label for s in steps if s.value == step), None)


def _findings(assessment: Assessment, result: Any, alt: str) -> list[Finding]:
    """The negative ratings of the rated questions of `alt`, one finding per question, worst first."""
    checklist = assessment.checklist
    scored = result.alternatives[alt].criteria
    position = {c.id: i for i, c in enumerate(checklist.criteria())}
    groups = {g.id: g for g in checklist.groups}
    found: list[tuple[tuple[float, float, int], Finding]] = []
    for crit in checklist.criteria():
        if not crit.is_rated or crit.id not in scored or scored[crit.id].value is None:
            continue  # hidden, not relevant or not rated in this alternative
        answer = assessment.answer(crit.id, alt)
        if answer is None:
            continue
        scale_max = _scale_max(checklist, crit.scale)
        values: list[tuple[str | None, Any]]
        if isinstance(answer.value, dict):
            allowed = {g.id for g in checklist.groups_of(crit)}
            values = [(g, v) for g, v in answer.value.items() if g in allowed]
        else:
            values = [(None, answer.value)]
        ratings = []
        for gid, v in values:
            if isinstance(v, bool) or not isinstance(v, int) or v in (UNKNOWN, NOT_RELEVANT) or v >= 0:
                continue
            value = rating_figure(v, scale_max)
            shown = figure(value)
            assert shown is not None
            ratings.append(GroupRating(gid, v, _step_label(checklist, crit.scale, v), value, shown))
        if not ratings:
            continue

        def worse_off_first(r: GroupRating) -> tuple[float, int, float]:
            g = groups.get(r.group or "")
            return (r.value, 0 if g is not None and g.worse_off else 1, -(g.weight if g is not None else 1.0))

        ratings.sort(key=worse_off_first)
        finding = Finding(crit.id, checklist.section_of(crit.id).id, alt, tuple(ratings[:MAX_FINDING_GROUPS]),
                          max(0, len(ratings) - MAX_FINDING_GROUPS), tuple(assessment.measures_answering(crit.id, alt)))
        worst = ratings[0]
        any_worse_off = any(groups[r.group].worse_off for r in ratings if r.group in groups)
        # Worst rating first; then a consequence that reaches a worse-off group, then the checklist's order.
        found.append(((worst.value, 0 if any_worse_off else 1, position[crit.id]), finding))
    found.sort(key=lambda kf: kf[0])
    return [f for _, f in found]


def _gaps(result: Any, alt: str) -> list[GapLine]:
    lines: dict[str, tuple[str, list[str], bool]] = {}
    for g in result.gaps:
        if g.alternative not in (None, alt):
            continue
        section, groups, whole = lines.setdefault(g.criterion, (g.section, [], False))
        if g.group is None:
            lines[g.criterion] = (section, groups, True)
        elif g.group not in groups:
            groups.append(g.group)
    return [GapLine(c, section, () if whole else tuple(groups)) for c, (section, groups, whole) in lines.items()]


def _framework(checklist: Checklist, ids: Iterable[str]) -> str | None:
    present = {f.id for f in checklist.frameworks}
    return next((fid for fid in ids if fid in present), None)


def _flags(checklist: Checklist, result: Any) -> list[FlagLine]:
    policy = checklist.policy_framework()  # by the checklist's mark, never by id
    rights = _framework(checklist, RIGHTS_FRAMEWORKS) or (policy.id if policy is not None else None)
    order = {"serious": 0, "warning": 1, "info": 2}
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in sorted(result.flags, key=lambda f: order.get(f.severity, 3)):
        key = (f.rule, f.criterion, f.group, f.alternative)
        if key in seen:  # the same rule on the same question, group and alternative: stated once
            continue
        seen.add(key)
        items: tuple[tuple[str, str], ...] = ()
        if f.criterion and rights:
            try:
                crit = checklist.criterion(f.criterion)
            except KeyError:
                crit = None
            if crit is not None:
                items = tuple((rights, i) for i in crit.dimensions.get(rights, []))
        out.append(FlagLine(f.rule, f.severity, f.message, f.criterion, f.group, f.alternative, items))
    return out


def _recommendation(assessment: Assessment) -> Recommendation | None:
    checklist = assessment.checklist
    text = getattr(assessment.metadata, "recommendation", "").strip()
    for crit in checklist.criteria():
        if crit.type != AnswerType.SINGLE_CHOICE or crit.choices not in RECOMMENDATION_CHOICES:
            continue
        answer = assessment.answer(crit.id)
        if answer is None or answer.value in (None, UNKNOWN, NOT_RELEVANT, ""):
            continue
        options = {o.id: o.label for o in checklist.choice_list(crit.choices).options}
        choice = str(answer.value)
        return Recommendation(crit.id, choice, options.get(choice), answer.comment, text)
    return Recommendation(None, None, None, "", text) if text else None


def summarize(assessment: Assessment, result: Any, lang: str = "sv") -> Summary:
    """Every claim of the summary, from `result` (the scoring of `assessment`) and `assessment` itself."""
    checklist = assessment.checklist
    primary = result.primary
    headline = result.alternatives[primary]
    order = [a for a in checklist.alternative_ids() if a in result.alternatives] or list(result.alternatives)
    alternatives = tuple(
        AlternativeLine(a, result.alternatives[a].overall.value, figure(result.alternatives[a].overall.value),
                        result.alternatives[a].overall.band, result.alternatives[a].overall.answered,
                        result.alternatives[a].overall.applicable) for a in order)
    differences = []
    for d in result.differences:
        base = figure(result.alternatives[d.base].overall.value) if d.base in result.alternatives else None
        other = figure(result.alternatives[d.other].overall.value) if d.other in result.alternatives else None
        shown = None if base is None or other is None else other - base
        differences.append(DifferenceLine(d.base, d.other, base, other, shown, d.overall))
    gainers, losers, level = standings(headline.groups)
    findings = _findings(assessment, result, primary)
    live = [m for m in assessment.measures if m.status != MeasureStatus.DROPPED and m.alternative in (None, primary)]
    return Summary(
        primary=primary,
        headline=headline_sentence(result, checklist, lang),
        equity=equity_sentence(result, checklist, lang),
        own_weights=verdict_text.own_weights_sentence(result, checklist, lang),
        alternatives=alternatives,
        differences=tuple(differences),
        groups_rated=bool(gainers or losers or level),
        gainers=gainers,
        losers=losers,
        level=level,
        findings=tuple(findings[:MAX_FINDINGS]),
        negatives=len(findings),
        promised=tuple(live),
        gaps=tuple(_gaps(result, primary)),
        flags=tuple(_flags(checklist, result)),
        recommendation=_recommendation(assessment),
        assessors_summary=assessment.metadata.summary,
        message=result.message,
    )
