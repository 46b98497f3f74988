"""What scoring gives back: scores with coverage and reasons, equity, participation, flags.

These are the types the UI, the CLI and the report read; `assessment.scoring`
computes them. Scores are on -100..+100 (each rating divided by the largest
step of its scale), `None` when nothing was rated: an unknown is a knowledge
gap, never a zero. Plain data only: no I/O, no streamlit.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from .checklist import Text

__all__ = [
    "Driver",
    "Score",
    "KnowledgeGap",
    "Flag",
    "EquityResult",
    "ParticipationResult",
    "AlternativeResult",
    "Difference",
    "Result",
    "settle",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def settle(result: BaseModel) -> None:
    """Fill in the fields of a result that scoring left to be computed on first use (see `_Deferred`).

    Safe to call on any result, any number of times; a result that was validated, or is already
    settled, is left as it is."""
    pending = result.__pydantic_private__
    if pending is None or "fill" not in pending:
        return
    object.__setattr__(result, "__dict__", pending["fill"](result.__dict__))
    object.__setattr__(result, "__pydantic_private__", None)


class _Deferred(_Out):
    """A result of which scoring may compute some fields only when they are first read.

    Scoring builds a few hundred scores per assessment, and most callers read a handful (the
    headline, the drivers of the overall score). `assessment.scoring` may therefore create an
    instance with some fields missing and a function that, given the fields it has, returns
    all of them in field order (the order a dump lists them in), kept in
    `__pydantic_private__["fill"]`. Reading a missing field, dumping, comparing, copying,
    pickling or printing fills them in first, so to every reader the instance is the one full
    validation would build. Instances made by validation have every field and never defer.
    Filling in computes the same fields however often it runs, so two threads reading one
    result at once at worst both compute them.

    A Score is dumped whole by itself or as part of its alternative's result, which settles
    its scores before dumping (a serializer hook on each of some two hundred scores would
    double the cost of a dump); `settle` a score before putting it into a model of your own."""

    def __getattr__(self, name: str) -> Any:
        pending = object.__getattribute__(self, "__pydantic_private__")
        if pending is not None and name in type(self).__pydantic_fields__:
            settle(self)
            return self.__dict__[name]
        return super().__getattr__(name)  # type: ignore[misc]

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        settle(self)
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        settle(self)
        return super().model_dump_json(**kwargs)

    def __eq__(self, other: object) -> bool:
        settle(self)
        if isinstance(other, BaseModel):
            settle(other)
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # results hold lists and dicts: never hashable

    def __iter__(self) -> Any:
        settle(self)
        return super().__iter__()

    def __repr_args__(self) -> Any:
        settle(self)
        return super().__repr_args__()

    def __copy__(self) -> Any:
        settle(self)
        return super().__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        settle(self)
        return super().__deepcopy__(memo)

    def __getstate__(self) -> dict[Any, Any]:
        settle(self)
        return super().__getstate__()


class _DeferredTree(_Deferred):
    """A deferred result that settles itself and the deferred scores it holds whenever it is dumped,
    also as part of a larger result."""

    @model_serializer(mode="wrap")
    def dump_settled(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        settle(self)
        for scores in self._scores():
            for score in scores:
                if score.__pydantic_private__ is not None:
                    settle(score)
        return handler(self)

    def _scores(self) -> list[Any]:
        return []


class Driver(_Out):
    """A criterion that moves a score, and by how much (in score points)."""

    criterion: str
    section: str
    group: str | None = None  # set when the driver is one group's rating
    rating: float  # the rating on -100..+100
    effect: float  # signed: how much this rating pulls the score up (+) or down (-) from 0


class Score(_Deferred):
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
    up: list[Driver] = Field(default_factory=list)  # the criteria that raise it most, strongest first
    down: list[Driver] = Field(default_factory=list)  # the criteria that lower it most, strongest first


class KnowledgeGap(_Out):
    criterion: str
    section: str
    alternative: str | None = None
    group: str | None = None


class Flag(_Out):
    rule: str
    kind: str
    severity: Literal["info", "warning", "serious"]
    message: Text
    criterion: str | None = None
    group: str | None = None
    alternative: str | None = None
    detail: str = ""  # plain words on what triggered it, for the report


class EquityResult(_Out):
    """Does the gap between the worse-off groups and the population narrow or widen?

    `gap_change` is the worse-off groups' weighted mean rating minus the
    population's: above 0 the worse-off gain more than everyone (the gap
    narrows), below 0 they gain less or lose more (it widens)."""

    population: float | None = None
    worse_off: float | None = None
    gap_change: float | None = None
    verdict: Literal["narrows", "widens", "unchanged", "unknown"] = "unknown"
    gainers: list[str] = Field(default_factory=list)  # group ids with a positive score, best first
    losers: list[str] = Field(default_factory=list)  # group ids with a negative score, worst first
    # The average (the population, else the overall score) rises while the gap widens: the case the
    # report must name, since a higher mean hides it. `note` says so in words.
    average_hides_gap: bool = False
    note: Text | None = None


class ParticipationResult(_Out):
    question: str | None = None
    reached: str | None = None  # ladder level id
    expected: str | None = None
    reached_rank: int | None = None  # 0 = lowest level
    expected_rank: int | None = None
    met: bool | None = None  # None when not answered or not configured


class AlternativeResult(_DeferredTree):
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

    def _scores(self) -> list[Any]:
        return [(self.overall,), self.sections.values(), self.criteria.values(), self.groups.values(),
                *(items.values() for items in self.dimensions.values())]


class Difference(_DeferredTree):
    """`other` minus `base`, where both have a value."""

    base: str
    other: str
    overall: float | None
    sections: dict[str, float | None]
    dimensions: dict[str, dict[str, float | None]]
    groups: dict[str, float | None]
    gap_change: float | None


class Result(_Out):
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

    @property
    def headline(self) -> AlternativeResult:
        return self.alternatives[self.primary]
