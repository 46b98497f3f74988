"""What scoring gives back: scores with coverage and reasons, equity, participation, flags.

These are the types the UI, the CLI and the report read; `assessment.scoring.scoring`
computes them. Scores are on -100..+100 (each rating divided by the largest
step of its scale), `None` when nothing was rated: an unknown is a knowledge
gap, never a zero. Plain data only: frozen dataclasses built whole by scoring,
no I/O, no streamlit. pydantic meets them only at the edge, where a result
becomes JSON (`result_json`, `skb score --json`) or is read back
(`result_from_json`), through one `TypeAdapter`.

A frozen result is shared safely: scoring hands out the same `Score` object
wherever two scores are equal by construction (a criterion rated +1 on the same
scale, an item nothing rated), so the sequences inside a `Score` are tuples.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

from assessment.checklist.checklist import Text

__all__ = [
    "UNCHANGED_WITHIN",
    "Driver",
    "Score",
    "KnowledgeGap",
    "Flag",
    "EquityResult",
    "ParticipationResult",
    "AlternativeResult",
    "Difference",
    "Result",
    "Finding",
    "WeightDifference",
    "FINDING_CODES",
    "result_json",
    "result_from_json",
]


@dataclass(frozen=True, slots=True)
class Driver:
    """A criterion that moves a score, and by how much (in score points)."""

    criterion: str
    section: str
    group: str | None  # set when the driver is one group's rating
    rating: float  # the rating on -100..+100
    effect: float  # signed: how much this rating pulls the score up (+) or down (-) from 0


@dataclass(frozen=True, slots=True)
class Score:
    value: float | None  # -100..+100, None when no applicable criterion was rated
    band: Text | None = None  # the label of the score band it falls in
    answered: int = 0  # rated (not unknown) applicable criteria
    applicable: int = 0  # visible and not "not relevant"
    unknown: int = 0
    coverage: float | None = None  # answered / applicable; None when nothing is applicable
    # Groups answered unknown inside group_impact criteria that count as answered (some other group is
    # rated): knowledge gaps that `unknown` and `coverage`, which count whole criteria, do not show.
    group_unknown: int = 0
    # The knowledge gaps as a share of the applicable criteria: a criterion answered unknown counts 1, a
    # group_impact criterion with k of its n applicable groups unknown counts k/n. None when nothing applies.
    unknown_share: float | None = None
    up: tuple[Driver, ...] = ()  # the criteria that raise it most, strongest first
    down: tuple[Driver, ...] = ()  # the criteria that lower it most, strongest first


@dataclass(frozen=True, slots=True)
class KnowledgeGap:
    criterion: str
    section: str
    alternative: str | None = None
    group: str | None = None
    # unknown: answered "unknown"; low_certainty: rated, but the assessors say they are unsure (the rating
    # counts in full: certainty never shrinks an impact, it says what needs finding out)
    reason: Literal["unknown", "low_certainty"] = "unknown"


@dataclass(frozen=True, slots=True)
class Flag:
    rule: str
    kind: str
    severity: Literal["info", "warning", "serious"]
    message: Text
    criterion: str | None = None
    group: str | None = None
    alternative: str | None = None
    detail: str = ""  # plain words on what triggered it, for the report


@dataclass(frozen=True, slots=True)
class EquityResult:
    """Does the gap between the worse-off groups and the population narrow or widen?

    `gap_change` is the worse-off groups' weighted mean rating minus the
    population's: above 0 the worse-off gain more than everyone (the gap
    narrows), below 0 they gain less or lose more (it widens)."""

    population: float | None = None
    worse_off: float | None = None
    gap_change: float | None = None
    verdict: Literal["narrows", "widens", "unchanged", "unknown"] = "unknown"
    gainers: list[str] = field(default_factory=list)  # group ids with a positive score, best first
    losers: list[str] = field(default_factory=list)  # group ids with a negative score, worst first
    # The average (the population, else the overall score) rises while the gap widens: the case the
    # report must name, since a higher mean hides it. `note` says so in words.
    average_hides_gap: bool = False
    note: Text | None = None
    # The worse-off group that fares worst against the population, compared like with like (over the
    # questions rated for both), with the two means over those questions: the verdict looks at it as well
    # as at the mean, so that one group losing is not averaged away by others gaining a little.
    worst_worse_off: str | None = None
    worst_worse_off_value: float | None = None
    worst_worse_off_population: float | None = None
    # The gap narrows only because everyone loses and the others lose more: not an equity gain.
    levelling_down: bool = False
    # Whether each worse-off group is rated on the same questions as the population (like with like);
    # None when there is nothing to compare.
    same_questions: bool | None = None


@dataclass(frozen=True, slots=True)
class ParticipationResult:
    question: str | None = None
    reached: str | None = None  # ladder level id
    expected: str | None = None
    reached_rank: int | None = None  # 0 = lowest level
    expected_rank: int | None = None
    met: bool | None = None  # None when not configured; False when nothing was reached or answered
    # Participation records that counted at their level (enough people, an affected group named) and
    # those that counted as information only; the affected groups the counted records reached.
    records_counted: int = 0
    records_not_counted: int = 0
    heard: list[str] = field(default_factory=list)
    # A question the expected level depends on is answered unknown: the higher expectation is kept.
    expected_uncertain: str | None = None


@dataclass(frozen=True, slots=True)
class AlternativeResult:
    alternative: str
    overall: Score
    sections: dict[str, Score]
    criteria: dict[str, Score]
    dimensions: dict[str, dict[str, Score]]  # framework id -> item id -> score
    groups: dict[str, Score]
    # framework -> group -> item -> score; every framework and group, but an item only where the group has
    # a rated criterion on it (sparse: read with .get)
    group_dimensions: dict[str, dict[str, dict[str, float | None]]]
    equity: EquityResult
    # The share of applicable rated questions actually rated (a group_impact question counts the share of
    # its groups rated); below the checklist's coverage_floor the overall score has no band: provisional.
    rated_share: float | None = None
    provisional: bool = False
    # The assessors' own overall judgement (the checklist's overall_judgement questions, -100..+100),
    # shown beside the computed score and never inside it; None when not rated.
    judgement: float | None = None
    # The share of the overall score (0..1, by the weight each rating carries in it) that rests on ratings
    # given at a low certainty; None when the checklist asks no certainty (docs/scoring.md, "Certainty").
    low_certainty: float | None = None


UNCHANGED_WITHIN = 5.0
"""A gap change (or a difference between alternatives) smaller than this many points reads as unchanged:
scoring judges by it and the verdict's words say it, so both take it from here."""

FINDING_CODES = (
    "large_loss",  # a group loses badly (a group score at or below large_loss, or the scale's worst step)
    "worse_off_behind",  # the worse-off on average gain, but the worst of them falls behind the population
    "levelling_down",  # the gap narrows only because everyone loses and the others lose more
    "uncertain_loss",  # a group's clear loss rests on a rating given at low certainty: it stands, and needs finding out
    "provisional",  # too few questions rated for a band
    "low_certainty",  # part of the score rests on ratings given at low certainty
    "zero_better",  # the zero alternative scores better than the proposal
    "not_relevant_without_reason",  # "not relevant" for a worse-off group or an always-relevant question
    "participation_unanswered",  # no participation answered or recorded: no dialogue reached
    "participation_expected_unknown",  # the expected level depends on an answer that is unknown
    "participation_not_counted",  # records with too few people or no affected group named
    "losers_not_heard",  # groups that lose were not reached by any counted participation
    "judgement_disagrees",  # the assessors' overall judgement and the computed score disagree
    "own_weights",  # weights differ from the reference checklist
)
"""Every kind of finding, in the order the verdict states them."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the verdict must say, stated once: what (`code`, one of FINDING_CODES), how serious,
    for which alternative, group and question, and the figures it rests on (scores on -100..+100,
    shares 0..1, counts)."""

    code: str
    severity: Literal["info", "warning", "serious"]
    alternative: str | None = None
    group: str | None = None
    criterion: str | None = None
    figures: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WeightDifference:
    """A weight of this checklist that differs from the reference checklist it derives from."""

    kind: Literal["group", "section", "criterion"]
    id: str
    own: float | None  # None: not in this checklist
    reference: float | None  # None: not in the reference


@dataclass(frozen=True, slots=True)
class Difference:
    """`other` minus `base`, where both have a value."""

    base: str
    other: str
    overall: float | None
    sections: dict[str, float | None]
    dimensions: dict[str, dict[str, float | None]]
    groups: dict[str, float | None]
    gap_change: float | None


@dataclass(frozen=True, slots=True)
class Result:
    checklist_id: str
    checklist_version: str
    checklist_hash: str
    primary: str  # the alternative the headline figures describe (the proposal)
    alternatives: dict[str, AlternativeResult]
    differences: list[Difference]  # each other alternative against the zero alternative
    participation: ParticipationResult
    flags: list[Flag]
    gaps: list[KnowledgeGap]
    hidden: list[str]  # criteria hidden by their conditions (not scored)
    not_relevant: list[str]  # criteria answered not relevant (not scored)
    message: Text | None = None  # e.g. "no score: every applicable criterion is unknown"
    findings: list[Finding] = field(default_factory=list)  # what the verdict says, each once (FINDING_CODES)
    weight_differences: list[WeightDifference] = field(default_factory=list)  # against `reference`
    reference: str | None = None  # the reference checklist compared with, when it was given

    @property
    def headline(self) -> AlternativeResult:
        return self.alternatives[self.primary]


@functools.cache
def _adapter() -> Any:
    from pydantic import TypeAdapter  # the edge: only JSON in and out needs pydantic

    return TypeAdapter(Result)


def result_json(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data (what `skb score --json` prints), fields in declaration order."""
    return _adapter().dump_python(result, mode="json")  # type: ignore[no-any-return]


def result_from_json(data: Any) -> Result:
    """A result read back from `result_json`'s data, validated field by field."""
    return _adapter().validate_python(data)  # type: ignore[no-any-return]
