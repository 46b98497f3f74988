"""Scoring: from an assessment's answers to scores, equity, participation, flags and gaps.

`score(assessment)` is a pure function of the assessment (its answers and its
own checklist snapshot): no I/O, no clock, no streamlit. It is what the wizard,
the CLI, the report and the comparison of cases all call, so they agree to the
decimal. The formulas are written out, with a worked example, in
docs/scoring.md; in short:

- a rating is normalized to -100..+100 by dividing by the largest absolute
  step of its scale; a group_impact rating is the group-weighted mean of its
  groups' ratings (more weight, more need: proportionate universalism);
- sections aggregate their criteria by criterion weight (weighted mean, or the
  worst criterion when `scoring.aggregation: worst`), the overall score
  aggregates sections by section weight, each framework item and each group
  aggregates the criteria that concern it by criterion weight;
- "unknown" is a knowledge gap, listed and never counted as zero;
  "not_relevant" and questions hidden by their conditions are left out;
- equity follows the gap between worse-off groups and the population, not
  only the mean; participation compares the level reached with the level the
  checklist expects; the checklist's flag rules turn all this into warnings.

What depends only on the checklist (weights, scale maxima, which criteria
carry which framework items, the flag rules) is computed once per checklist
content hash and kept in a small LRU cache; the per-assessment loop is plain
Python over lists and dicts, and the result is built whole, at once, as the
frozen dataclasses of `assessment.scoring.results` (docs/scoring.md, "Speed").
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable, Mapping
from types import MappingProxyType
import dataclasses
from dataclasses import dataclass
from typing import Any

from assessment.catalogue import LANGUAGES, text
from assessment.checklist.checklist import (
    CHOSEN,
    AllOf,
    Aggregation,
    Answered,
    AnswerType,
    AnyOf,
    Checklist,
    Condition,
    Equals,
    FlagKind,
    FlagRule,
    Gte,
    In,
    Includes,
    Lte,
    Not,
    Text,
)
from assessment.answers.conditions import compile_condition, ladder_ranks, split_key
from assessment.answers.model import NOT_RELEVANT, UNKNOWN, Answer, Assessment
from assessment.scoring.verdict_text import finding_messages
from assessment.scoring.results import (
    UNCHANGED_WITHIN,
    AlternativeResult,
    Difference,
    Driver,
    EquityResult,
    Flag,
    KnowledgeGap,
    Finding,
    ParticipationResult,
    Result,
    Score,
    WeightDifference,
)

__all__ = ["score", "weight_differences", "FLAGGED_FINDINGS", "LOW_CERTAINTY_WARNING", "MEASURE_NEEDS", "UNCHANGED_WITHIN", "MAX_DRIVERS", "DEFAULT_NEGATIVE_THRESHOLD", "AVERAGE_HIDES_GAP_RULE",
           "AVERAGE_HIDES_GAP", "MESSAGES", "SEVERITY_RANK"]


MAX_DRIVERS = 3
"""How many criteria each score names as pulling it up, and as pulling it down."""

DEFAULT_NEGATIVE_THRESHOLD = -1
"""negative_without_measure: a rating at or below this step of the scale (in the scale's own units)."""

AVERAGE_HIDES_GAP_RULE = "average_hides_gap"
"""The id of the built-in flag raised when the average improves while the gap widens."""

AVERAGE_HIDES_GAP: Mapping[str, str] = MappingProxyType({lang: text(lang, "score.average_hides_gap") for lang in LANGUAGES})

MESSAGES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "all_unknown": MappingProxyType({lang: text(lang, "score.all_unknown") for lang in LANGUAGES}),
    "nothing_rated": MappingProxyType({lang: text(lang, "score.nothing_rated") for lang in LANGUAGES}),
    "nothing_applicable": MappingProxyType({lang: text(lang, "score.nothing_applicable") for lang in LANGUAGES}),
})


# --- what depends only on the checklist -----------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rated:
    id: str
    section: str
    weight: float
    scale_max: float  # the largest absolute step of the scale
    per_alternative: bool
    groups: tuple[tuple[str, float], ...] | None  # group_impact: (group id, weight); None for impact
    items: tuple[tuple[str, str], ...]  # (framework id, item id), the criterion's and its section's
    scale_min: int  # the scale's lowest step ("stor negativ"), in the scale's own units
    item_ix: tuple[int, ...] = ()  # positions of `items` in `_Index.item_keys`
    pos: int = 0  # its position in `_Index.rated`


@dataclass(frozen=True, slots=True)
class _FlagRule:
    rule: FlagRule
    threshold: float
    groups: frozenset[str] | None
    criteria: frozenset[str] | None  # the criteria the rule's sections/dimension select; None: all
    per_alternative: bool  # a condition rule that reads a per-alternative question
    when: Callable[[Callable[[str], Any]], bool] | None  # a condition rule's `when`, compiled
    needs: frozenset[str]  # negative_without_measure: what a measure must have to clear it
    words: str = ""  # the message, comparable: rules that say the same words about a rating say them once


class _Index:
    """Everything scoring needs that depends only on the checklist, computed once."""

    def __init__(self, checklist: Checklist) -> None:
        c = checklist
        self.checklist = c
        self.ranks = ladder_ranks(c)
        self.visibility_plan = [
            (compile_condition(s.show_if, self.ranks) if s.show_if is not None else None,
             [(k.id, compile_condition(k.show_if, self.ranks) if k.show_if is not None else None)
              for k in s.criteria])
            for s in c.sections
        ]
        self.per_alternative = {k.id: k.answered_per_alternative for k in c.criteria()}
        # When no condition reads a per-alternative answer, every alternative sees the same questions.
        conditions = [x.show_if for s in c.sections for x in (s, *s.criteria) if x.show_if is not None]
        self.same_visibility = not any(self.per_alternative.get(q, False)
                                       for cond in conditions for q in _questions(cond))
        self.section_of = {k.id: s.id for s in c.sections for k in s.criteria}
        self.section_ids = [s.id for s in c.sections]
        self.worst = c.scoring.aggregation == Aggregation.WORST
        self.bands = sorted(((b.min, b.label) for b in c.scoring.bands), key=lambda b: b[0])
        self.band_mins = [low for low, _ in self.bands]
        self.frameworks = [(f.id, [it.id for it in f.items]) for f in c.frameworks]
        # groups kept for reporting only are never rated: no score, no row; they can still be heard
        rated_groups = c.rated_groups()
        self.group_ids = [g.id for g in rated_groups]
        self.declared_group_ids = [g.id for g in c.groups]
        self.group_weight = {g.id: g.weight for g in c.groups}
        self.worse_off = [g.id for g in rated_groups if g.worse_off]
        self.population = next((g.id for g in rated_groups if g.population), None)

        rated: list[_Rated] = []
        judged: list[_Rated] = []
        judged_ids = set(c.scoring.overall_judgement)
        for s in c.sections:
            for k in s.criteria:
                if not k.is_rated:
                    continue
                scale = c.scale(k.scale or "")
                scale_max = float(max(abs(step.value) for step in scale.steps)) or 1.0
                items: list[tuple[str, str]] = []
                for dims in (k.dimensions, s.dimensions):
                    for fw, ids in dims.items():
                        for item in ids:
                            if (fw, item) not in items:
                                items.append((fw, item))
                groups = None
                if k.type == AnswerType.GROUP_IMPACT:
                    groups = tuple((g.id, g.weight) for g in c.groups_of(k))
                # the assessors' overall judgement is shown beside the score, never inside it
                (judged if k.id in judged_ids else rated).append(
                    _Rated(k.id, s.id, k.weight, scale_max, k.answered_per_alternative, groups, tuple(items),
                           min(step.value for step in scale.steps)))
        # every (framework, item) a rated criterion carries, numbered, for the group x item sums
        self.item_keys: list[tuple[str, str]] = []
        numbered: dict[tuple[str, str], int] = {}
        for i, r in enumerate(rated):
            for key in r.items:
                if key not in numbered:
                    numbered[key] = len(self.item_keys)
                    self.item_keys.append(key)
            rated[i] = dataclasses.replace(r, item_ix=tuple(numbered[key] for key in r.items), pos=i)
        self.rated = rated
        # positions in `rated`, weightiest first (ties: the id): the question a finding cites
        self.weightiest_first = [r.pos for r in sorted(rated, key=lambda r: (-r.weight, r.id))]
        # Which rated criteria each section and each framework item aggregates, as positions in `rated`
        # (in checklist order, as the sums run). Two items, or an item and a section (when the checklist
        # does not aggregate by the worst criterion), over the same criteria are one aggregate: it is
        # computed once per alternative and its frozen Score shared.
        plans: dict[tuple[tuple[int, ...], bool], int] = {}
        self.aggregate_members: list[tuple[tuple[int, ...], bool]] = []

        def plan(members: tuple[int, ...], worst: bool) -> int:
            key = (members, worst)
            if key not in plans:
                plans[key] = len(self.aggregate_members)
                self.aggregate_members.append(key)
            return plans[key]

        # (section id, section weight, aggregate), for the sections with a rated criterion
        self.section_plan: list[tuple[str, float, int]] = []
        for s in c.sections:
            members = tuple(r.pos for r in rated if r.section == s.id)
            if members:
                self.section_plan.append((s.id, s.weight, plan(members, self.worst)))
        # per framework, (item id, aggregate or None when no rated criterion carries the item)
        self.item_plan: list[tuple[str, list[tuple[str, int | None]]]] = []
        for fw, ids in self.frameworks:
            row: list[tuple[str, int | None]] = []
            for item in ids:
                members = tuple(r.pos for r in rated if (fw, item) in r.items)
                row.append((item, plan(members, False) if members else None))
            self.item_plan.append((fw, row))
        self.rated_by_id = {r.id: r for r in rated}
        self.judged = judged
        sc = c.scoring
        self.large_loss = sc.large_loss
        self.coverage_floor = sc.coverage_floor
        self.disagreement = sc.judgement_disagreement
        self.min_participants = sc.min_participants
        self.worse_off_set = frozenset(self.worse_off)
        self.group_ids_set = frozenset(self.declared_group_ids)
        self.always_relevant = [(compile_condition(a.when, self.ranks) if a.when is not None else None,
                                 tuple(a.criteria)) for a in sc.always_relevant]
        # the criteria whose answers can carry "not relevant" for a worse-off group
        self.worse_off_criteria = [r for r in rated + judged if r.groups is not None
                                   and any(g in self.worse_off_set for g, _ in r.groups)]
        self.criterion_ids = {k.id for k in c.criteria()}
        self.asks_certainty = c.certainty is not None
        self.low_levels = c.low_certainty()

        self.alternatives = c.alternative_ids()
        kinds = {a.id: a.kind.value for a in c.alternatives}
        self.zero = next((a for a in self.alternatives if kinds.get(a) == "zero"), None)
        self.primary = next((a for a in self.alternatives if kinds.get(a) == "proposal"),
                            next((a for a in self.alternatives if a != self.zero), self.alternatives[0]))
        self.base = self.zero if self.zero is not None else self.alternatives[0]
        # Flags about the plan's own impacts are raised for the plan alternatives, not for the zero
        # alternative: what happens without the plan needs no measure from it.
        self.plan_alternatives = [a for a in self.alternatives if a != self.zero]

        self.flag_rules = [self._flag_rule(r) for r in c.scoring.flags]
        # Frozen scores equal by construction are shared between results (`_criterion_score`): keyed by
        # (rating, gap share) or (state, gap share), so bounded by the scales' steps.
        self.shared_scores: dict[tuple[Any, ...], Score] = {}
        self.empty_score = Score(None, None, 0, 0, 0, None, 0, None, (), ())
        # A section or item with one impact rating, by (criterion, state, rating, worst): bounded by the steps.
        self.single_aggregates: dict[tuple[str, int, float, bool], Score] = {}
        p = c.scoring.participation
        self.participation = p
        self.participation_levels: list[str] = []
        self.participation_rules = [(compile_condition(r.when, self.ranks), r.level) for r in p.rules] if p else []
        # per rule, the values its leaves compare each question with: an answer "unknown" could be any of them
        self.participation_leaves = [_leaf_values(r.when) for r in p.rules] if p else []
        if p is not None:
            ladder = c.ladder(c.criterion(p.question).ladder or "")
            self.participation_levels = [lv.id for lv in ladder.levels]

    def _flag_rule(self, rule: FlagRule) -> _FlagRule:
        c = self.checklist
        selected: set[str] | None = None
        if rule.sections is not None:
            selected = {k.id for s in c.sections if s.id in rule.sections for k in s.criteria}
        if rule.dimension is not None:
            fw, _, item = rule.dimension.partition(":")
            on_item = {r.id for r in self.rated if (fw, item) in r.items}
            selected = on_item if selected is None else selected & on_item
        threshold = rule.threshold
        if threshold is None:
            threshold = DEFAULT_NEGATIVE_THRESHOLD if rule.kind == FlagKind.NEGATIVE_WITHOUT_MEASURE else 0.0
        # a rule reading a per-alternative answer without naming its alternative is asked of each alternative
        per_alt = rule.when is not None and any(self.per_alternative.get(q, False) and alt is None
                                                for q, alt in _reads(rule.when))
        return _FlagRule(rule, float(threshold), frozenset(rule.groups) if rule.groups is not None else None,
                         frozenset(selected) if selected is not None else None, per_alt,
                         compile_condition(rule.when, self.ranks) if rule.when is not None else None,
                         frozenset(MEASURE_NEEDS if rule.measure_needs is None else rule.measure_needs),
                         _words(rule.message))


class _Key:
    """A checklist keyed by its content hash, so the LRU cache compares hashes, not models."""

    __slots__ = ("checklist", "hash")

    def __init__(self, checklist: Checklist, content_hash: str) -> None:
        self.checklist = checklist
        self.hash = content_hash

    def __hash__(self) -> int:
        return hash(self.hash)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.hash == self.hash


@functools.lru_cache(maxsize=32)
def _index_for(key: _Key) -> _Index:
    return _Index(key.checklist)


def _leaf_values(cond: Condition) -> dict[str, list[Any]]:
    """The values a condition's leaves compare each question with (for "what if the unknown were...")."""
    out: dict[str, list[Any]] = {}
    if isinstance(cond, AllOf) or isinstance(cond, AnyOf):
        for sub in (cond.all if isinstance(cond, AllOf) else cond.any):
            for q, vs in _leaf_values(sub).items():
                out.setdefault(q, []).extend(vs)
        return out
    if isinstance(cond, Not):
        return _leaf_values(cond.not_)
    if isinstance(cond, Equals):
        return {cond.equals.question: [cond.equals.value]}
    if isinstance(cond, In):
        return {cond.in_.question: list(cond.in_.values)}
    if isinstance(cond, Includes):
        return {cond.includes.question: [[cond.includes.value]]}
    if isinstance(cond, Gte):
        return {cond.gte.question: [cond.gte.value]}
    if isinstance(cond, Lte):
        return {cond.lte.question: [cond.lte.value]}
    return {}


def _reads(cond: Condition) -> list[tuple[str, str | None]]:
    """The (question, alternative named or None) of each leaf of a condition."""
    if isinstance(cond, (AllOf, AnyOf)):
        return [r for sub in (cond.all if isinstance(cond, AllOf) else cond.any) for r in _reads(sub)]
    if isinstance(cond, Not):
        return _reads(cond.not_)
    if isinstance(cond, Answered):
        return [(cond.answered, None)]
    for cls, attr in ((Equals, "equals"), (In, "in_"), (Includes, "includes"), (Gte, "gte"), (Lte, "lte")):
        if isinstance(cond, cls):
            args = getattr(cond, attr)
            return [(args.question, args.alternative)]
    return []


def _questions(cond: Condition) -> list[str]:
    if isinstance(cond, AllOf):
        return [q for sub in cond.all for q in _questions(sub)]
    if isinstance(cond, AnyOf):
        return [q for sub in cond.any for q in _questions(sub)]
    if isinstance(cond, Not):
        return _questions(cond.not_)
    if isinstance(cond, Answered):
        return [cond.answered]
    for cls, attr in ((Equals, "equals"), (In, "in_"), (Includes, "includes"), (Gte, "gte"), (Lte, "lte")):
        if isinstance(cond, cls):
            return [getattr(cond, attr).question]
    return []


_NO_EFFECT = 1e-9
"""Score points below which a criterion's effect is rounding error, not a driver."""

Entry = tuple[float, str, str, float, str]
"""A driver candidate: (-effect, criterion, group or "", rating, section); sorted as it is,
the strongest upward effect comes first and ties fall back to the criterion id."""


Drivers = tuple[tuple[Driver, ...], tuple[Driver, ...]]
"""A score's (up, down) drivers."""

NO_DRIVERS: Drivers = ((), ())


def _drivers(entries: list[Entry], scale: float = 1.0) -> Drivers:
    """The strongest up and down drivers among `entries` (sorted in place).

    An entry may carry its effect times a common positive factor (weight x rating, before
    dividing by the total weight): the order is the same, and `scale` turns the few that
    are kept into score points."""
    if not entries:
        return NO_DRIVERS
    entries.sort()
    # An effect within rounding error of zero (a group mean of +x and -x) moves nothing; without
    # this, the order of the answers would decide whether it is listed.
    least = _NO_EFFECT / scale
    # Sorted, the upward effects form a prefix and the downward a suffix: each side stops at the first
    # entry that does not move the score its way. Plain loops: a score is made thousands of times a second.
    up: list[Driver] = []
    for e in entries[:MAX_DRIVERS]:
        if e[0] >= -least:
            break
        up.append(Driver(e[1], e[4], e[2] or None, e[3], -e[0] * scale))
    down: list[Driver] = []
    for e in entries[:-MAX_DRIVERS - 1:-1]:
        if e[0] <= least:
            break
        down.append(Driver(e[1], e[4], e[2] or None, e[3], -e[0] * scale))
    return tuple(up), tuple(down)


def _score(index: _Index, value: float | None, answered: int, applicable: int, unknown: int,
           drivers: Drivers = NO_DRIVERS, group_unknown: int = 0, gaps: float | None = None) -> Score:
    """A score with its counts and drivers (`_drivers`; none without them)."""
    if gaps is None:
        gaps = float(unknown)
    band = None  # the label of the band the value falls in
    if value is not None and index.band_mins:
        i = bisect.bisect_right(index.band_mins, value) - 1
        if i >= 0:
            band = index.bands[i][1]
    if applicable:
        return Score(value, band, answered, applicable, unknown, answered / applicable, group_unknown,
                     gaps / applicable, *drivers)
    return Score(value, band, answered, applicable, unknown, None, group_unknown, None, *drivers)


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted mean of (weight, value); None when nothing (or only zero weight) was rated."""
    total = 0.0
    acc = 0.0
    for w, v in pairs:
        total += w
        acc += w * v
    return acc / total if total > 0 else None


# --- one alternative --------------------------------------------------------------------

RATED, UNKNOWN_STATE, UNANSWERED = 0, 1, 2


@dataclass(slots=True, eq=False)
class _Rating:
    """One applicable rated criterion in one alternative."""

    rated: _Rated
    state: int  # RATED, UNKNOWN_STATE or UNANSWERED
    value: float  # -100..+100 when rated
    groups: dict[str, float] | None  # group_impact: group id -> -100..+100
    group_unknown: tuple[str, ...]
    raw: Any  # the answer: a scale step, or {group: step | "unknown"}
    gap: float = 0.0  # how much of it is unknown: 1 for the whole criterion, k/n for k of n applicable groups
    low: float = 0.0  # the lowest step rated, in the scale's own units (what negative flags compare)
    # its driver candidate in a weighted mean by criterion weight (section, framework item), made once
    # and shared by every score it drives
    entry: Entry | None = None
    low_certainty: bool = False  # rated at a certainty level the checklist marks low


_NO_ANSWERS: Mapping[str, Answer] = MappingProxyType({})


def _lookup(index: _Index, visible: set[str], shared: Mapping[str, Answer],
            own: Mapping[str, Answer]) -> Callable[[str], Any]:
    """The answer to a question as conditions read it: None when unanswered or hidden.

    It reads `visible` as it stands when called, so during the visibility pass a condition
    sees exactly the earlier questions that are visible."""
    per_alternative = index.per_alternative

    def lookup(question: str) -> Any:
        if question not in visible:
            return None
        answer = (own if per_alternative[question] else shared).get(question)
        return None if answer is None else answer.value

    return lookup


def _visible(index: _Index, lookup: Callable[[str], Any], visible: set[str]) -> None:
    """Fill `visible` with the visible criteria, reading answers through `lookup` over it.

    The same rules as `conditions.visibility`, over the checklist's compiled conditions: one
    pass in checklist order, since a condition may only refer to earlier questions."""
    add = visible.add
    for section_if, criteria in index.visibility_plan:
        if section_if is not None and not section_if(lookup):
            continue
        for cid, show_if in criteria:
            if show_if is None or show_if(lookup):
                add(cid)


def _rate(index: _Index, visible: set[str], shared: Mapping[str, Answer],
          own: Mapping[str, Answer], rated: list[_Rated] | None = None) -> tuple[list[_Rating], list[str]]:
    """The applicable ratings of one alternative (of `rated`, default the scored criteria), and the
    criteria answered not relevant."""
    out: list[_Rating] = []
    not_relevant: list[str] = []
    for r in index.rated if rated is None else rated:
        if r.id not in visible:
            continue
        answer = (own if r.per_alternative else shared).get(r.id)
        value = None if answer is None else answer.value
        # a rating is an int, a group rating a dict; the model never gives a bool or a float
        if value.__class__ is int:
            if r.groups is None:
                out.append(_Rating(r, RATED, 100.0 * value / r.scale_max, None, (), value, 0.0, value))
                continue
        elif value.__class__ is dict and r.groups is not None:
            it = _rate_groups(r, value, not_relevant)
            if it is not None:
                out.append(it)
            continue
        if value is None:
            out.append(_Rating(r, UNANSWERED, 0.0, None, (), None))
        elif value == NOT_RELEVANT:
            not_relevant.append(r.id)
        elif value == UNKNOWN:
            out.append(_Rating(r, UNKNOWN_STATE, 0.0, None, tuple(g for g, _ in r.groups or ()), None, 1.0))
    return out, not_relevant


def _rate_groups(r: _Rated, value: dict[str, Any], not_relevant: list[str]) -> _Rating | None:
    """A group_impact answer: the group-weighted mean of its rated groups (None: all not relevant)."""
    ratings: dict[str, float] = {}
    unknown: list[str] = []
    answered_any = False
    applicable = len(r.groups or ())
    total = 0.0
    acc = 0.0
    low = 0
    scale_max = r.scale_max
    for gid, gw in r.groups or ():
        gv = value.get(gid)
        if gv is None:
            continue
        answered_any = True
        if gv.__class__ is int:
            norm = 100.0 * gv / scale_max
            if not ratings or gv < low:
                low = gv
            ratings[gid] = norm
            total += gw
            acc += gw * norm
        elif gv == NOT_RELEVANT:
            applicable -= 1
        elif gv == UNKNOWN:
            unknown.append(gid)
    if ratings:
        # every rated group weighing zero: an unweighted mean says more than no score
        mean = acc / total if total > 0 else sum(ratings.values()) / len(ratings)
        return _Rating(r, RATED, mean, ratings, tuple(unknown), value, len(unknown) / applicable, low)
    if unknown:
        return _Rating(r, UNKNOWN_STATE, 0.0, None, tuple(unknown), value, 1.0)
    if answered_any:  # every group answered is not relevant
        not_relevant.append(r.id)
        return None
    return _Rating(r, UNANSWERED, 0.0, None, (), None)


def _counts(items: list[_Rating]) -> tuple[int, int, int, int, float]:
    """answered, applicable, unknown, unknown groups of answered criteria, unknown share."""
    answered = unknown = group_unknown = 0
    gaps = 0.0
    for it in items:
        if it.state == RATED:
            answered += 1
            if it.group_unknown:
                group_unknown += len(it.group_unknown)
                gaps += it.gap
        elif it.state == UNKNOWN_STATE:
            unknown += 1
            gaps += 1.0
    return answered, len(items), unknown, group_unknown, gaps


def _criterion_drivers(index: _Index, it: _Rating) -> Drivers:
    r = it.rated
    groups = it.groups or {}
    weights = index.group_weight
    total = 0.0
    for g in groups:
        total += weights[g]
    if total > 0:
        entries = [(-(weights[g] / total * v), r.id, g, v, r.section) for g, v in groups.items()]
    else:
        n = len(groups)
        entries = [(-(v / n), r.id, g, v, r.section) for g, v in groups.items()]
    return _drivers(entries)


def _criterion_score(index: _Index, it: _Rating) -> Score:
    """One criterion's score. Most are equal by construction to others (an impact rating of +1 on a
    scale of the same size, an unknown, a blank), and a frozen Score can be shared: those come from
    `index.shared_scores`, built once per checklist."""
    state = it.state
    if state == RATED:
        if it.groups:
            return _score(index, it.value, 1, 1, 0, _criterion_drivers(index, it), len(it.group_unknown), it.gap)
        key: tuple[Any, ...] = (it.value, it.gap)
    else:
        key = ("state", state, it.gap)
    shared = index.shared_scores.get(key)
    if shared is None:
        if state == RATED:
            shared = _score(index, it.value, 1, 1, 0, NO_DRIVERS, 0, it.gap)
        else:
            shared = _score(index, None, 0, 1, 0 if state == UNANSWERED else 1, NO_DRIVERS, 0, it.gap)
        index.shared_scores[key] = shared  # bounded: one per scale step and gap share
    return shared


def _worst_drivers(low: _Rating) -> Drivers:
    return _drivers([(-low.value, low.rated.id, "", low.value, low.rated.section)])


def _lowest(items: list[_Rating]) -> _Rating:
    """The worst rated criterion of weight > 0; ties go to the criterion id."""
    return min((it for it in items if it.state == RATED and it.rated.weight > 0),
               key=lambda it: (it.value, it.rated.id))


def _aggregate(index: _Index, items: list[_Rating], worst: bool = False) -> Score:
    """The weighted mean (or the worst) of `items` by criterion weight, with counts and drivers."""
    if len(items) == 1 and items[0].groups is None:
        # one impact rating (or an unknown, or a blank): its score is one of a few per criterion and scale
        # step, equal by construction to every other; made once per checklist and shared
        it = items[0]
        key = (it.rated.id, it.state, it.value, worst)
        shared = index.single_aggregates.get(key)
        if shared is None:
            shared = index.single_aggregates[key] = _weighted_score(index, items, worst)
        return shared
    return _weighted_score(index, items, worst)


def _weighted_score(index: _Index, items: list[_Rating], worst: bool) -> Score:
    total = 0.0
    acc = 0.0
    answered = unknown = group_unknown = 0
    gaps = 0.0
    entries: list[Entry] = []
    for it in items:
        state = it.state
        if state == RATED:
            answered += 1
            if it.group_unknown:
                group_unknown += len(it.group_unknown)
                gaps += it.gap
            r = it.rated
            w = r.weight
            if w > 0:
                value = it.value
                total += w
                acc += w * value
                e = it.entry
                if e is None:  # made once, shared by every score this rating drives
                    e = it.entry = (-(w * value), r.id, "", value, r.section)
                entries.append(e)
        elif state == UNKNOWN_STATE:
            unknown += 1
            gaps += 1.0
    n = len(items)
    if total <= 0:
        return _score(index, None, answered, n, unknown, NO_DRIVERS, group_unknown, gaps)
    if worst:
        low = _lowest(items)
        return _score(index, low.value, answered, n, unknown, _worst_drivers(low), group_unknown, gaps)
    return _score(index, acc / total, answered, n, unknown, _drivers(entries, 1.0 / total), group_unknown, gaps)


def _overall_drivers(weighted_sections: list[tuple[float, list[_Rating], float]], total: float,
                     worst: bool) -> Drivers:
    """The overall score's drivers: each criterion's effect is its section's share times its share
    in the section."""
    entries: list[Entry] = []
    for weight, items, section_total in weighted_sections:
        part = weight / total
        if worst:
            low = _lowest(items)
            entries.append((-(part * 1.0 * low.value), low.rated.id, "", low.value, low.rated.section))
            continue
        for it in items:
            if it.state == RATED and it.rated.weight > 0:
                share = it.rated.weight / section_total  # computed as before, so equal effects tie exactly
                entries.append((-(part * share * it.value), it.rated.id, "", it.value, it.rated.section))
    return _drivers(entries)


def _group_values(groups: dict[str, Score]) -> dict[str, float | None]:
    return {g: s.value for g, s in groups.items()}


@dataclass(slots=True)
class _AltWork:
    """What flags, gaps and differences need from one alternative besides its result."""

    result: AlternativeResult
    ratings: list[_Rating]
    not_relevant: list[str]
    visible: set[str]
    lookup: Callable[[str], Any]
    sections: dict[str, float | None]  # the value of each section with an applicable rated criterion
    groups: dict[str, float | None]  # the value of each group
    at: list[_Rating | None]  # the rating of each of `_Index.rated`, by position; None: not applicable


def _alternative(index: _Index, assessment: Assessment, alt: str, seen: set[str] | None = None) -> _AltWork:
    """One alternative's result, whole; `seen` is the visible set of another alternative when
    `index.same_visibility` says it is this one's too."""
    shared = assessment.answers
    own = assessment.alternatives.get(alt, _NO_ANSWERS)
    visible: set[str] = set() if seen is None else seen
    lookup = _lookup(index, visible, shared, own)
    if seen is None:
        _visible(index, lookup, visible)
    ratings, not_relevant = _rate(index, visible, shared, own)
    if index.low_levels:
        low_levels = index.low_levels
        for it in ratings:
            if it.state == RATED:
                answer = (own if it.rated.per_alternative else shared).get(it.rated.id)
                it.low_certainty = answer is not None and answer.certainty in low_levels

    # each aggregate of the checklist (`_Index.aggregate_members`) over this alternative's applicable
    # ratings, made when a section or an item first asks for it
    at: list[_Rating | None] = [None] * len(index.rated)
    for it in ratings:
        at[it.rated.pos] = it
    members: list[list[_Rating] | None] = [None] * len(index.aggregate_members)
    made: list[Score | None] = [None] * len(index.aggregate_members)

    def aggregate(k: int) -> tuple[list[_Rating], Score | None]:
        items = members[k]
        if items is None:
            positions, worst = index.aggregate_members[k]
            items = members[k] = [x for p in positions if (x := at[p]) is not None]
            if items:
                made[k] = _aggregate(index, items, worst)
        return items, made[k]

    # the overall score weighs the sections by section weight
    section_values: dict[str, float | None] = {}
    sections: dict[str, Score] = {}
    weighted_sections: list[tuple[float, list[_Rating], float]] = []
    total = 0.0
    acc = 0.0
    worst = index.worst
    for sid, weight, k in index.section_plan:
        items, section = aggregate(k)
        if section is None:
            continue
        sections[sid] = section
        value = section.value
        section_values[sid] = value
        if value is not None and weight > 0:
            weighted_sections.append((weight, items, _rated_weight(items)))
            total += weight
            acc += weight * value
    answered, applicable, unknown, group_unknown, gaps = _counts(ratings)
    # the share actually rated: a group_impact question counts the share of its groups rated
    rated_share = (answered - (gaps - unknown)) / applicable if applicable else None
    provisional = rated_share is not None and rated_share < index.coverage_floor
    if weighted_sections:
        overall = _score(index, acc / total, answered, applicable, unknown,
                         _overall_drivers(weighted_sections, total, worst), group_unknown, gaps)
        if provisional:  # too little is known for a band: the figure is shown as provisional
            overall = dataclasses.replace(overall, band=None)
    else:
        overall = _score(index, None, answered, applicable, unknown, NO_DRIVERS, group_unknown, gaps)

    empty = index.empty_score
    dimensions: dict[str, dict[str, Score]] = {}
    for fw, plan in index.item_plan:
        scores: dict[str, Score] = {}
        for item, k in plan:
            scores[item] = empty if k is None else aggregate(k)[1] or empty
        dimensions[fw] = scores
    groups = _group_scores(index, ratings)
    group_values = _group_values(groups)
    judgement = _judgement(index, visible, shared, own) if index.judged else None
    result = AlternativeResult(
        alt, overall, sections, {it.rated.id: _criterion_score(index, it) for it in ratings}, dimensions, groups,
        _group_matrix(index, ratings), _equity(index, group_values, overall.value, ratings),
        rated_share, provisional, judgement,
        _low_certainty_share(weighted_sections, total, worst) if index.asks_certainty else None)
    return _AltWork(result, ratings, not_relevant, visible, lookup, section_values, group_values, at)


def _low_certainty_share(weighted_sections: list[tuple[float, list[_Rating], float]], total: float,
                         worst: bool) -> float | None:
    """How much of the overall score rests on ratings given at low certainty: each rating's part of it is
    its section's share times its share in the section, as in the score itself (None: nothing scored)."""
    if not weighted_sections or total <= 0:
        return None
    share = 0.0
    for weight, items, section_total in weighted_sections:
        part = weight / total
        if worst:
            share += part if _lowest(items).low_certainty else 0.0
            continue
        for it in items:
            if it.state == RATED and it.low_certainty and it.rated.weight > 0 and section_total > 0:
                share += part * it.rated.weight / section_total
    return min(1.0, share)


def _judgement(index: _Index, visible: set[str], shared: Mapping[str, Answer],
               own: Mapping[str, Answer]) -> float | None:
    """The assessors' overall judgement: the weighted mean of the overall_judgement questions rated."""
    ratings, _ = _rate(index, visible, shared, own, index.judged)
    pairs = [(it.rated.weight, it.value) for it in ratings if it.state == RATED]
    if not pairs:
        return None
    value = _weighted(pairs)
    return value if value is not None else sum(v for _, v in pairs) / len(pairs)


def _rated_weight(items: list[_Rating]) -> float:
    total = 0.0
    for it in items:
        if it.state == RATED:
            w = it.rated.weight
            if w > 0:
                total += w
    return total


def _group_scores(index: _Index, ratings: list[_Rating]) -> dict[str, Score]:
    """Each group's score over the group_impact criteria that rate it."""
    # per group: [weight total, weighted sum, answered, applicable, unknown, [driver candidates]]; each group
    # sums over the ratings in checklist order, whatever order a rating's groups are visited in
    acc: dict[str, list[Any]] = {g: [0.0, 0.0, 0, 0, 0, []] for g in index.group_ids}
    for it in ratings:
        r = it.rated
        groups = r.groups
        if groups is None:
            continue
        raw = it.raw
        if not isinstance(raw, dict):  # the whole criterion unknown or unanswered
            whole_unknown = 1 if it.state == UNKNOWN_STATE else 0
            for gid, _ in groups:
                a = acc[gid]
                a[3] += 1
                a[4] += whole_unknown
            continue
        w = r.weight
        if it.groups:
            rid = r.id
            section = r.section
            for gid, v in it.groups.items():  # the groups rated
                a = acc[gid]
                a[2] += 1
                a[3] += 1
                if w > 0:
                    wv = w * v
                    a[0] += w
                    a[1] += wv
                    a[5].append((-wv, rid, gid, v, section))
        for gid in it.group_unknown:
            a = acc[gid]
            a[3] += 1
            a[4] += 1
        for gid, _ in groups:
            if gid not in raw:  # this group left unanswered; answered not_relevant leaves it out
                acc[gid][3] += 1
    scores: dict[str, Score] = {}
    for gid, (total, weighted, answered, applicable, unknown_n, rated) in acc.items():
        if total > 0:
            scores[gid] = _score(index, weighted / total, answered, applicable, unknown_n,
                                 _drivers(rated, 1.0 / total))
        else:
            scores[gid] = _score(index, None, answered, applicable, unknown_n)
    return scores


def _group_matrix(index: _Index, ratings: list[_Rating]) -> dict[str, dict[str, dict[str, float | None]]]:
    """Groups x framework items: each group's mean over the rated criteria of each item.

    Sparse: a group has an item only when it has a rated criterion on it, in the order its first
    such criterion comes. Sums run over positions in `index.item_keys` rather than tuple-keyed dicts."""
    n = len(index.item_keys)
    cells: dict[str, tuple[list[float], list[float], list[int]]] = {}
    for it in ratings:
        r = it.rated
        w = r.weight
        if r.groups is None or it.state != RATED or w <= 0 or not r.item_ix:
            continue
        ix = r.item_ix
        for gid, v in (it.groups or {}).items():
            cell = cells.get(gid)
            if cell is None:
                cell = cells[gid] = ([0.0] * n, [0.0] * n, [])
            cw, cwv, order = cell
            wv = w * v
            for k in ix:
                if not cw[k]:
                    order.append(k)
                cw[k] += w
                cwv[k] += wv
    keys = index.item_keys
    matrix: dict[str, dict[str, dict[str, float | None]]] = {fw: {} for fw, _ in index.frameworks}
    for gid in index.group_ids:
        rows: dict[str, dict[str, float | None]] = {fw: {} for fw, _ in index.frameworks}
        cell = cells.get(gid)
        if cell is not None:
            cw, cwv, order = cell
            for k in order:
                fw, item = keys[k]
                row = rows.get(fw)
                if row is not None:
                    row[item] = cwv[k] / cw[k]
        for fw, row in rows.items():
            matrix[fw][gid] = row
    return matrix


def _equity(index: _Index, groups: dict[str, float | None], average_fallback: float | None,
            ratings: list[_Rating]) -> EquityResult:
    weights = index.group_weight
    worse = _weighted([(weights[g], v) for g in index.worse_off if (v := groups.get(g)) is not None])
    if index.population is not None:
        population = groups.get(index.population)
    else:
        population = _weighted([(weights[g], v) for g, v in groups.items() if v is not None])
    gap = worse - population if worse is not None and population is not None else None
    # the worst-off of the worse-off groups, against the population over the questions rated for both:
    # a mean must not hide one group falling behind, nor a comparison over different questions invent one
    paired = _paired(index, ratings)
    worst, worst_value, worst_population = None, None, None
    worst_gap: float | None = None
    for g in index.worse_off:
        pair = paired.get(g)
        # ties go to the group id, so that the checklist's order of groups does not decide
        if pair is not None and (worst_gap is None or (pair[0] - pair[1], g) < (worst_gap, worst or "")):
            worst, worst_value, worst_population = g, pair[0], pair[1]
            worst_gap = pair[0] - pair[1]
    if gap is None:
        verdict = "unknown"
    elif worst_gap is not None and worst_gap <= -UNCHANGED_WITHIN and gap > -UNCHANGED_WITHIN:
        verdict = "widens"  # for the worst worse-off group, whatever their mean says
    elif abs(gap) < UNCHANGED_WITHIN:
        verdict = "unchanged"
    else:
        verdict = "narrows" if gap > 0 else "widens"
    average = population if population is not None else average_fallback
    hides = verdict == "widens" and average is not None and average > 0
    levelling_down = verdict == "narrows" and worse is not None and worse < 0
    rated = [(g, v) for g, v in groups.items() if v is not None]
    gainers = [g for g, v in sorted(rated, key=lambda gv: (-gv[1], gv[0])) if v > 0]
    losers = [g for g, v in sorted(rated, key=lambda gv: (gv[1], gv[0])) if v < 0]
    return EquityResult(population, worse, gap, verdict, gainers, losers, hides,
                        dict(AVERAGE_HIDES_GAP) if hides else None, worst, worst_value, worst_population,
                        levelling_down, _same_questions(index, ratings,
                                                        [g for g in index.worse_off if groups.get(g) is not None]))


def _paired(index: _Index, ratings: list[_Rating]) -> dict[str, tuple[float, float]]:
    """Each worse-off group's mean and the population's mean over the group_impact questions that rate
    both, by criterion weight (nothing when there is no population group)."""
    pop = index.population
    if pop is None:
        return {}
    acc: dict[str, list[float]] = {}
    for it in ratings:
        values = it.groups
        if values is None or it.state != RATED or pop not in values:
            continue
        w = it.rated.weight
        if w <= 0:
            continue
        pv = values[pop]
        for g in index.worse_off:
            v = values.get(g)
            if v is not None:
                a = acc.get(g)
                if a is None:
                    acc[g] = [w, w * v, w * pv]
                else:
                    a[0] += w
                    a[1] += w * v
                    a[2] += w * pv
    return {g: (wv / w, wp / w) for g, (w, wv, wp) in acc.items()}


def _same_questions(index: _Index, ratings: list[_Rating], worse_off: list[str]) -> bool | None:
    """Whether every rated worse-off group is rated on the same questions as the population (None: no
    population group, or nothing to compare)."""
    pop = index.population
    if pop is None or not worse_off:
        return None
    for it in ratings:
        values = it.groups
        if values is None or it.state != RATED:
            continue
        has_pop = pop in values
        for g in worse_off:
            if (g in values) != has_pop:
                return False
    return True


# --- participation, flags, gaps -------------------------------------------------------


def _participation(index: _Index, assessment: Assessment, lookup: Callable[[str], Any]) -> ParticipationResult:
    p = index.participation
    if p is None:
        return ParticipationResult(None, None, None, None, None, None)
    levels = index.participation_levels
    rank = {lv: i for i, lv in enumerate(levels)}
    # A record counts at its level when enough people took part and it names an affected group it
    # reached; otherwise it is evidence of information only (at most the ladder's second level,
    # "information" on SKR's ladder). Records are the
    # evidence: when there are any, the ladder answer counts only as far as they reach. Without
    # records the answer stands; with neither, no dialogue was reached.
    answer = lookup(p.question)
    answer_rank = rank.get(answer) if isinstance(answer, str) else None
    declared = index.group_ids_set
    counted = not_counted = 0
    record_rank: int | None = None
    heard: set[str] = set()
    for record in assessment.participation:
        if record.level not in rank:
            continue
        named = [g for g in record.groups if g in declared]
        if (record.participants or 0) >= index.min_participants and named:
            counted += 1
            heard.update(named)
            level_rank = rank[record.level]
        else:  # evidence that people were informed, at most: the ladder's second level
            not_counted += 1
            level_rank = min(rank[record.level], 1)
        if record_rank is None or level_rank > record_rank:
            record_rank = level_rank
    if record_rank is None:
        reached_rank = answer_rank
    else:
        reached_rank = record_rank
    expected, uncertain = _expected_level(index, lookup)
    expected_rank = rank[expected]
    return ParticipationResult(
        question=p.question,
        reached=levels[reached_rank] if reached_rank is not None else None,
        expected=expected,
        reached_rank=reached_rank,
        expected_rank=expected_rank,
        met=False if reached_rank is None else reached_rank >= expected_rank,
        records_counted=counted,
        records_not_counted=not_counted,
        heard=[g for g in index.declared_group_ids if g in heard],
        expected_uncertain=uncertain,
    )


_MAX_WHAT_IF = 64
"""At most this many combinations of values are tried for unknown answers a rule reads."""


def _expected_level(index: _Index, lookup: Callable[[str], Any]) -> tuple[str, str | None]:
    """The expected participation level, and the question answered unknown that kept it high, if any.

    An answer "unknown" is not "no": when a rule would hold for some value of the unknown answers it
    reads (a vulnerable area not known to be vulnerable), its level is expected, and the question is named."""
    p = index.participation
    assert p is not None
    for (when, level), leaves in zip(index.participation_rules, index.participation_leaves):
        if when(lookup):
            return level, None
        unknown = [q for q in leaves if lookup(q) == UNKNOWN]
        if not unknown:
            continue
        combos = itertools.islice(itertools.product(*(leaves[q] for q in unknown)), _MAX_WHAT_IF)
        for combo in combos:
            given = dict(zip(unknown, combo))

            def what_if(q: str, given: dict[str, Any] = given) -> Any:
                return given[q] if q in given else lookup(q)

            if when(what_if):
                return level, unknown[0]
    return p.default, None


MEASURE_NEEDS = ("responsible", "due", "indicator")
"""What a measure must have to clear a negative_without_measure flag, unless its rule says less."""

Measured = dict[tuple[str, str | None], list[tuple[frozenset[str], frozenset[str] | None]]]
"""(criterion, alternative or None for every alternative) -> for each measure covering it, what it has of
MEASURE_NEEDS (a measure with an owner, a date and an indicator has all three) and the groups it answers
(None: every group)."""


def _measured(assessment: Assessment) -> Measured:
    out: Measured = {}
    for m in assessment.measures:
        has = frozenset(k for k, v in (("responsible", m.responsible.strip()), ("due", m.due),
                                       ("indicator", m.indicator.strip())) if v)
        groups = frozenset(m.groups) if m.groups else None
        # a measure on a question covers it; a measure for the whole assessment covers the questions it names
        for criterion in ([m.criterion] if m.criterion is not None else []) + list(m.questions or ()):
            out.setdefault((criterion, m.alternative), []).append((has, groups))
    return out


def _cleared(measured: Measured, criterion: str, alt: str, unit: str | None,
             needs: frozenset[str]) -> tuple[bool, tuple[str, ...]]:
    """Whether a measure with everything `needs` asks for covers the criterion's rating (of group `unit`,
    None for a rating of everyone) in `alt`, and else what the most complete of its measures lacks
    (nothing when there is no measure at all)."""
    lacks: tuple[str, ...] = ()
    for key in ((criterion, None), (criterion, alt)):
        for has, groups in measured.get(key, ()):
            if groups is not None and unit not in groups:
                continue
            if needs <= has:
                return True, ()
            missing = tuple(n for n in MEASURE_NEEDS if n in needs and n not in has)
            if not lacks or len(missing) < len(lacks):
                lacks = missing
    return False, lacks


SEVERITY_RANK: Mapping[str, int] = MappingProxyType({"info": 0, "warning": 1, "serious": 2})
"""Severities from the mildest; of overlapping rules, the most severe one raises the flag."""


def _negative_hits(rule: _FlagRule, it: _Rating) -> list[str | None]:
    """What of one rated criterion `rule` catches: [None] for an impact rating, else the groups."""
    r = it.rated
    if rule.criteria is not None and r.id not in rule.criteria:
        return []
    threshold = rule.threshold
    if r.groups is None:
        return [] if rule.groups is not None or it.raw > threshold else [None]
    raw = it.raw
    return [g for g in it.groups or () if raw[g] <= threshold and (rule.groups is None or g in rule.groups)]


def _negative_flags(rules: list[tuple[int, _FlagRule]], measured: Measured, alt: str,
                    ratings: list[_Rating]) -> dict[int, list[Flag]]:
    """The negative_without_measure flags of one alternative, by the position of the rule that raises them.

    Every rule that catches a rating raises its flag: a child's -2 is caught by the general rule, the rule
    for children and the rule for -2, and each says something of its own. Rules that would say the same
    words about the same rating say them once, by the most severe of them (the first declared on a tie).
    A rule raises one flag per criterion with the ratings it caught. A measure clears a rule only when it
    has what the rule asks of it (an owner, a date and an indicator unless `measure_needs` says less) and
    covers the rating (a measure for the whole assessment covers the questions and groups it names); an
    incomplete one is named in the flag's detail."""
    out: dict[int, list[Flag]] = {}
    rule_at = dict(rules)
    highest = max(rule.threshold for _, rule in rules)
    for it in ratings:
        if it.state != RATED or it.low > highest:  # no rating low enough for any rule
            continue
        r = it.rated
        # unit (group, or None) -> the words said of it -> (severity rank, -position): one rule per wording
        said: dict[str | None, dict[str, tuple[int, int]]] = {}
        incomplete: dict[int, tuple[str, ...]] = {}
        for pos, rule in rules:
            rank = SEVERITY_RANK[rule.rule.severity]
            words = rule.words
            for unit in _negative_hits(rule, it):
                cleared, lacks = _cleared(measured, r.id, alt, unit, rule.needs)
                if cleared:
                    continue
                if lacks and len(lacks) < len(incomplete.get(pos, MEASURE_NEEDS + ("",))):
                    incomplete[pos] = lacks
                best = said.setdefault(unit, {}).get(words)
                if best is None or rank > best[0]:
                    said[unit][words] = (rank, -pos)
        if not said:
            continue
        by_rule: dict[int, list[str | None]] = {}
        for unit, wordings in said.items():
            for _, neg_pos in wordings.values():
                by_rule.setdefault(-neg_pos, []).append(unit)
        for pos in sorted(by_rule):
            units = by_rule[pos]
            if r.groups is None:
                hit: list[str] = []
                detail = f"{r.id}: {it.raw:+d}"
            else:
                raw = it.raw
                hit = sorted((u for u in units if u is not None), key=lambda g: (raw[g], g))  # worst first
                detail = f"{r.id}: " + ", ".join(f"{g} {raw[g]:+d}" for g in hit)
            if incomplete.get(pos):
                detail += "; the measure lacks " + ", ".join(incomplete[pos])
            out.setdefault(pos, []).append(_flag(rule_at[pos].rule, criterion=r.id,
                                                 group=hit[0] if len(hit) == 1 else None, alternative=alt,
                                                 detail=detail))
    return out


def _flag(rule: FlagRule, *, criterion: str | None = None, group: str | None = None,
          alternative: str | None = None, detail: str = "") -> Flag:
    return Flag(rule.id, rule.kind.value, rule.severity, rule.message, criterion, group, alternative, detail)


def _knowledge_gaps_detail(overall: Score) -> str:
    detail = f"{overall.unknown} of {overall.applicable} unknown"
    if overall.group_unknown:
        detail += (f", and {overall.group_unknown} group ratings in criteria otherwise rated "
                   f"(share {overall.unknown_share:.2f})")
    return detail


def _flags(index: _Index, assessment: Assessment, work: dict[str, _AltWork],
           participation: ParticipationResult) -> list[Flag]:
    """The flags of the checklist's rules, then the built-in average_hides_gap.

    A subject (a criterion's rating, an alternative's gap or knowledge gaps, the participation) is
    flagged at most once per kind, by the most severe rule that catches it (the first declared on a
    tie); condition rules each ask their own question and are never merged."""
    plan = index.plan_alternatives
    negative_rules = [(pos, fr) for pos, fr in enumerate(index.flag_rules)
                      if fr.rule.kind == FlagKind.NEGATIVE_WITHOUT_MEASURE]
    negative: dict[int, list[Flag]] = {}
    if negative_rules:
        measured = _measured(assessment)
        for alt in plan:
            for pos, flags in _negative_flags(negative_rules, measured, alt, work[alt].ratings).items():
                negative.setdefault(pos, []).extend(flags)
    raised: list[tuple[int, Flag]] = []
    for pos, fr in enumerate(index.flag_rules):
        rule = fr.rule
        kind = rule.kind
        if kind == FlagKind.NEGATIVE_WITHOUT_MEASURE:
            raised.extend((pos, f) for f in negative.get(pos, ()))
        elif kind == FlagKind.PARTICIPATION_BELOW_EXPECTED:
            if participation.met is False:
                raised.append((pos, _flag(rule, criterion=participation.question,
                                          detail=f"{participation.reached or 'not answered'} < "
                                                 f"{participation.expected}")))
        elif kind == FlagKind.GAP_WIDENS:
            for alt in plan:
                eq = work[alt].result.equity
                gap = eq.gap_change
                # without a threshold the equity verdict decides; a threshold is in score points
                widens = eq.verdict == "widens" if rule.threshold is None else gap is not None and gap < -rule.threshold
                if widens:
                    raised.append((pos, _flag(rule, alternative=alt, detail=f"gap change {gap:+.1f}")))
        elif kind == FlagKind.CONDITION and fr.when is not None:
            if fr.per_alternative:
                for alt in plan:
                    if fr.when(work[alt].lookup):
                        raised.append((pos, _flag(rule, alternative=alt)))
            elif fr.when(work[index.primary].lookup):
                raised.append((pos, _flag(rule)))
        elif kind == FlagKind.KNOWLEDGE_GAPS:
            for alt in plan:
                overall = work[alt].result.overall
                # group ratings answered unknown count too, as parts of their criterion (Score.unknown_share)
                if overall.unknown_share is not None and overall.unknown_share > fr.threshold:
                    raised.append((pos, _flag(rule, alternative=alt, detail=_knowledge_gaps_detail(overall))))
    out = _said_once(raised, [fr.words for fr in index.flag_rules])
    for alt in plan:
        eq = work[alt].result.equity
        if eq.average_hides_gap:
            out.append(Flag(
                rule=AVERAGE_HIDES_GAP_RULE, kind=FlagKind.GAP_WIDENS.value, severity="serious",
                message=dict(AVERAGE_HIDES_GAP), criterion=None, group=None, alternative=alt,
                detail=f"average {eq.population:+.1f}, worse-off {eq.worse_off:+.1f}"
                if eq.population is not None and eq.worse_off is not None else f"gap change {eq.gap_change:+.1f}"))
    return out


def _said_once(raised: list[tuple[int, Flag]], words: list[str]) -> list[Flag]:
    """Every flag raised, except that the same words about the same subject (kind, criterion, group,
    alternative) are said once, by the most severe rule that says them (the first declared on a tie).
    `words` is each rule's message as `_words` gives it (every flag raised by a rule says its message)."""
    best: dict[tuple[str, str | None, str | None, str | None, str], tuple[int, int]] = {}
    for i, (pos, f) in enumerate(raised):
        key = (f.kind, f.criterion, f.group, f.alternative, words[pos])
        rank = SEVERITY_RANK[f.severity]
        if key not in best or rank > best[key][0]:
            best[key] = (rank, i)
    keep = {i for _, i in best.values()}
    return [f for i, (_, f) in enumerate(raised) if i in keep]


def _words(message: Text) -> str:
    """A flag's message as one comparable string, whatever its languages."""
    if isinstance(message, str):
        return message.strip()
    return "\x1f".join(f"{k}\x1e{v.strip()}" for k, v in sorted(message.items()))


def _gap(criterion: str, section: str, alternative: str | None, group: str | None) -> KnowledgeGap:
    return KnowledgeGap(criterion, section, alternative, group)


def _gaps(index: _Index, assessment: Assessment, work: dict[str, _AltWork]) -> list[KnowledgeGap]:
    out: list[KnowledgeGap] = []
    first = index.alternatives[0]
    for alt in index.alternatives:
        for it in work[alt].ratings:
            if it.state == UNANSWERED:
                continue
            r = it.rated
            if not r.per_alternative and alt != first:
                continue  # a rated question answered once is one gap, not one per alternative
            alt_of = alt if r.per_alternative else None
            if it.low_certainty:  # rated, and the assessors are unsure: a gap to close, the rating counts
                out.append(KnowledgeGap(r.id, r.section, alt_of, None, "low_certainty"))
            if r.groups is None:
                if it.state == UNKNOWN_STATE:
                    out.append(_gap(r.id, r.section, alt_of, None))
            else:
                for g in it.group_unknown:
                    out.append(_gap(r.id, r.section, alt_of, g))
    # questions that are not rated can be unknown too ("we do not know yet whether children are affected")
    visible = work[index.primary].visible
    for cid, answer in assessment.answers.items():
        if answer.value == UNKNOWN and cid in visible and cid not in index.rated_by_id:
            out.append(_gap(cid, index.section_of[cid], None, None))
    for alt in index.alternatives:
        visible = work[alt].visible
        for cid, answer in assessment.alternatives.get(alt, _NO_ANSWERS).items():
            if answer.value == UNKNOWN and cid in visible and cid not in index.rated_by_id:
                out.append(_gap(cid, index.section_of[cid], alt, None))
    return out


def _minus(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def _difference(index: _Index, base: _AltWork, other: _AltWork) -> Difference:
    bs, os_ = base.sections, other.sections
    bg, og = base.groups, other.groups
    b, o = base.result, other.result
    bd, od = b.dimensions, o.dimensions
    return Difference(
        base=b.alternative,
        other=o.alternative,
        overall=_minus(o.overall.value, b.overall.value),
        sections={sid: _minus(os_.get(sid), bs.get(sid)) for sid in index.section_ids if sid in bs or sid in os_},
        dimensions={fw: {item: _minus(od[fw][item].value, bd[fw][item].value) for item in items}
                    for fw, items in index.frameworks},
        groups={g: _minus(og[g], bg[g]) for g in index.group_ids},
        gap_change=_minus(o.equity.gap_change, b.equity.gap_change),
    )


def _not_relevant(index: _Index, assessment: Assessment, primary: _AltWork) -> list[str]:
    visible = primary.visible
    rated_nr = set(primary.not_relevant)
    own = assessment.alternatives.get(index.primary, _NO_ANSWERS)
    out: list[str] = []
    for cid in index.section_of:
        if cid not in visible:
            continue
        if cid in rated_nr:
            out.append(cid)
        elif cid not in index.rated_by_id:
            answer = (own if index.per_alternative[cid] else assessment.answers).get(cid)
            if answer is not None and answer.value == NOT_RELEVANT:
                out.append(cid)
    return out


# --- the verdict: findings ---------------------------------------------------------------

FLAGGED_FINDINGS: Mapping[str, str] = MappingProxyType({
    "large_loss": "serious", "worse_off_behind": "serious", "levelling_down": "serious", "zero_better": "serious",
    "provisional": "warning", "not_relevant_without_reason": "warning", "losers_not_heard": "warning",
    "judgement_disagrees": "warning", "uncertain_loss": "warning", "low_certainty": "info",
})
"""The findings that also raise a built-in flag (rule id = the finding's code), with its least severity
(low_certainty is a warning when a quarter or more of the score rests on unsure ratings)."""

LOW_CERTAINTY_WARNING = 0.25
"""From this share of the score resting on low-certainty ratings, saying so is a warning, not a note."""


def _findings(index: _Index, assessment: Assessment, work: dict[str, _AltWork], participation: ParticipationResult,
              weight_differences: list[WeightDifference]) -> list[Finding]:
    """What the verdict must say about the plan alternatives, each thing once (docs/scoring.md, "The verdict")."""
    out: list[Finding] = []
    zero = work[index.zero].result if index.zero is not None else None
    for alt in index.plan_alternatives:
        w = work[alt]
        r = w.result
        eq = r.equity
        # the groups that clearly lose: a group score at or below large_loss, or the scale's worst step on a
        # worse-off group; worst first, each group once
        lost: dict[str, Finding] = {}
        for gid in index.group_ids:
            v = w.groups.get(gid)
            if v is not None and v <= index.large_loss:
                lost[gid] = Finding("large_loss", "serious", alt, gid, None, {"value": v})
        # the question cited is the weightiest at that step (ties: its id), so that it does not depend on
        # the order the checklist lists its questions in
        for it in (w.at[p] for p in index.weightiest_first):
            if it is None:
                continue
            if it.state != RATED or it.groups is None or it.low > it.rated.scale_min or it.rated.scale_min >= 0:
                continue
            for gid in index.worse_off:
                if gid not in lost and it.raw.get(gid) == it.rated.scale_min:
                    lost[gid] = Finding("large_loss", "serious", alt, gid, it.rated.id,
                                        {"value": w.groups[gid] if w.groups.get(gid) is not None else it.groups[gid],
                                         "rating": it.groups[gid]})
        out += sorted(lost.values(), key=lambda f: (f.figures["value"], f.group or ""))
        if eq.worst_worse_off is not None and eq.worst_worse_off not in lost and eq.verdict == "widens" \
                and eq.gap_change is not None and eq.gap_change > -UNCHANGED_WITHIN \
                and eq.worst_worse_off_value is not None and eq.worst_worse_off_population is not None:
            out.append(Finding("worse_off_behind", "serious", alt, eq.worst_worse_off, None,
                               {"value": eq.worst_worse_off_value, "population": eq.worst_worse_off_population}))
        if eq.levelling_down and eq.worse_off is not None and eq.population is not None:
            out.append(Finding("levelling_down", "serious", alt, None, None,
                               {"worse_off": eq.worse_off, "population": eq.population}))
        # certainty never hides a loss: a clear loss rated at low certainty stays a finding, and is named
        # again as something to find out before the decision
        for gid, finding in lost.items():
            unsure = next((it for it in w.ratings if it.low_certainty and it.groups is not None
                           and it.groups.get(gid, 0.0) < 0), None)
            if unsure is not None:
                out.append(Finding("uncertain_loss", "warning", alt, gid, unsure.rated.id,
                                   {"value": finding.figures["value"]}))
        if r.low_certainty:  # some of the score rests on unsure ratings: say how much
            count = sum(1 for it in w.ratings if it.low_certainty)
            out.append(Finding("low_certainty", "warning" if r.low_certainty >= LOW_CERTAINTY_WARNING else "info",
                               alt, None, None, {"share": r.low_certainty, "count": float(count)}))
        if r.provisional and r.rated_share is not None:
            out.append(Finding("provisional", "warning", alt, None, None,
                               {"rated_share": r.rated_share, "floor": index.coverage_floor}))
        if zero is not None and zero.overall.value is not None and r.overall.value is not None \
                and zero.overall.value - r.overall.value >= UNCHANGED_WITHIN:
            out.append(Finding("zero_better", "serious", alt, None, None,
                               {"zero": zero.overall.value, "value": r.overall.value}))
        if r.judgement is not None and r.overall.value is not None \
                and abs(r.judgement - r.overall.value) >= index.disagreement:
            out.append(Finding("judgement_disagrees", "warning", alt, None, None,
                               {"judgement": r.judgement, "value": r.overall.value}))
    out += _unexplained_not_relevant(index, assessment, work)
    if participation.question is not None:
        if participation.reached is None:
            out.append(Finding("participation_unanswered", "warning", None, None, participation.question, {}))
        if participation.expected_uncertain is not None:
            out.append(Finding("participation_expected_unknown", "info", None, None,
                               participation.expected_uncertain, {}))
        if participation.records_not_counted:
            out.append(Finding("participation_not_counted", "info", None, None, None,
                               {"count": participation.records_not_counted, "min": index.min_participants}))
        if participation.records_counted:
            heard = set(participation.heard)
            for gid in work[index.primary].result.equity.losers:
                if gid not in heard and gid != index.population:
                    out.append(Finding("losers_not_heard", "warning", index.primary, gid, None,
                                       {"value": work[index.primary].groups[gid] or 0.0}))
    if weight_differences:
        out.append(Finding("own_weights", "info", None, None, None, {"count": len(weight_differences)}))
    return out


def _unexplained_not_relevant(index: _Index, assessment: Assessment, work: dict[str, _AltWork]) -> list[Finding]:
    """ "Not relevant" without a reason (a comment) for a worse-off group, or on a question the checklist
    marks always relevant when its `when` holds. A question answered once is reported once."""
    out: list[Finding] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for alt in index.plan_alternatives:
        w = work[alt]
        own = assessment.alternatives.get(alt, _NO_ANSWERS)
        for r in index.worse_off_criteria:
            if r.id not in w.visible:
                continue
            answer = (own if r.per_alternative else assessment.answers).get(r.id)
            if answer is None or answer.comment.strip() or not isinstance(answer.value, dict):
                continue
            for gid, _ in r.groups or ():
                if gid in index.worse_off_set and answer.value.get(gid) == NOT_RELEVANT:
                    key = (r.id, gid, alt if r.per_alternative else None)
                    if key not in seen:
                        seen.add(key)
                        out.append(Finding("not_relevant_without_reason", "warning", key[2], gid, r.id, {}))
        for when, criteria in index.always_relevant:
            if when is not None and not when(w.lookup):
                continue
            for cid in criteria:
                if cid not in w.visible:
                    continue
                answer = (own if index.per_alternative.get(cid, False) else assessment.answers).get(cid)
                if answer is None or answer.comment.strip():
                    continue
                value = answer.value
                if value == NOT_RELEVANT or (isinstance(value, dict) and value
                                             and all(v == NOT_RELEVANT for v in value.values())):
                    key = (cid, None, alt if index.per_alternative.get(cid, False) else None)
                    if key not in seen:
                        seen.add(key)
                        out.append(Finding("not_relevant_without_reason", "warning", key[2], None, cid, {}))
    return out


def _finding_flags(index: _Index, findings: list[Finding]) -> list[Flag]:
    """The built-in flags of the findings that must be acted on, worded by `verdict_text` (sv and en)."""
    out: list[Flag] = []
    flagged = [f for f in findings if f.code in FLAGGED_FINDINGS]
    for f, message in zip(flagged, finding_messages(flagged, index.checklist) if flagged else []):
        severity = f.severity
        detail = ", ".join(f"{k} {v:+.1f}" if k not in ("rated_share", "floor", "share", "count") else f"{k} {v:.2f}"
                           for k, v in f.figures.items())
        out.append(Flag(f.code, "verdict", severity, message, f.criterion, f.group, f.alternative,  # type: ignore[arg-type]
                        detail))
    return out


def weight_differences(checklist: Checklist, reference: Checklist) -> list[WeightDifference]:
    """The group, section and criterion weights of `checklist` that differ from `reference`'s."""
    out: list[WeightDifference] = []

    def compare(kind: Any, own: dict[str, float], ref: dict[str, float]) -> None:
        for key in [*own, *(k for k in ref if k not in own)]:
            a, b = own.get(key), ref.get(key)
            if a is None or b is None or abs(a - b) > 1e-9:
                out.append(WeightDifference(kind, key, a, b))

    compare("group", {g.id: g.weight for g in checklist.groups}, {g.id: g.weight for g in reference.groups})
    compare("section", {s.id: s.weight for s in checklist.sections}, {s.id: s.weight for s in reference.sections})
    compare("criterion", {k.id: k.weight for k in checklist.criteria() if k.is_rated},
            {k.id: k.weight for k in reference.criteria() if k.is_rated})
    return out


def _read_across(index: _Index, work: dict[str, _AltWork]) -> None:
    """Let each alternative's lookup read another alternative's answer (`answer_key(q, alt)`), as the rules
    read after every alternative is answered may ask; `chosen` is the proposal, `index.primary`."""
    own = {alt: w.lookup for alt, w in work.items()}
    for alt, w in work.items():
        mine = own[alt]

        def lookup(key: str, mine: Callable[[str], Any] = mine) -> Any:
            question, other = split_key(key)
            if other is None:
                return mine(question)
            reader = own.get(index.primary if other == CHOSEN else other)
            return reader(question) if reader is not None else None

        w.lookup = lookup


# --- the entry point -------------------------------------------------------------------


def score(assessment: Assessment, reference: Checklist | None = None) -> Result:
    """Scores, equity, participation, flags, knowledge gaps and findings of every alternative of `assessment`.

    Pure: the same assessment always gives the same result. The checklist is
    the assessment's own snapshot; its recorded hash (checked against the
    snapshot when a file is read) keys the cache of per-checklist structures.
    `reference` is the reference checklist the assessment's checklist derives
    from (its `scoring.reference`), when the caller has it: its weights are
    compared with the checklist's own."""
    checklist = assessment.checklist
    key = _Key(checklist, assessment.checklist_ref.hash or checklist.content_hash())
    index = _index_for(key)
    work: dict[str, _AltWork] = {}
    for alt in index.alternatives:
        seen = next(iter(work.values())).visible if work and index.same_visibility else None
        work[alt] = _alternative(index, assessment, alt, seen)
    _read_across(index, work)
    primary = work[index.primary]
    participation = _participation(index, assessment, primary.lookup)
    base = work[index.base]
    headline = primary.result.overall
    message = None
    if headline.value is None:
        if headline.applicable == 0:
            message = MESSAGES["nothing_applicable"]
        elif headline.unknown == headline.applicable:
            message = MESSAGES["all_unknown"]
        else:
            message = MESSAGES["nothing_rated"]
    differences = weight_differences(checklist, reference) if reference is not None else []
    findings = _findings(index, assessment, work, participation, differences)
    return Result(
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        checklist_hash=key.hash,
        primary=index.primary,
        alternatives={alt: w.result for alt, w in work.items()},
        differences=[_difference(index, base, work[a]) for a in index.alternatives if a != index.base],
        participation=participation,
        flags=_flags(index, assessment, work, participation) + _finding_flags(index, findings),
        gaps=_gaps(index, assessment, work),
        hidden=[cid for cid in index.section_of if cid not in primary.visible],
        not_relevant=_not_relevant(index, assessment, primary),
        message=dict(message) if message is not None else None,
        findings=findings,
        weight_differences=differences,
        reference=reference.id if reference is not None else None,
    )
