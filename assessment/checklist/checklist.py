"""The checklist format: what a YAML checklist may say, as pydantic models.

A checklist is the product's content: sections of criteria (questions), the
scales and choice lists they use, the frameworks they roll up to (policy areas,
Agenda 2030, spatial levels), the affected groups and alternatives, and the
scoring configuration. These models check the *shape* of a checklist (types,
unknown keys); the cross-references (unknown scale, later question, duplicate
id) are checked in `assessment.checklist.validate`, which can name the line of the
problem. This module must not read files or import streamlit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Strict,
    StrictBool,
    Tag,
    WithJsonSchema,
    field_validator,
)

__all__ = [
    "SCHEMA_VERSION",
    "PLAN_TYPES",
    "Text",
    "text_for",
    "AnswerType",
    "ScaleStep",
    "SpecialAnswer",
    "Scale",
    "ChoiceOption",
    "ChoiceList",
    "LadderLevel",
    "Ladder",
    "FrameworkItem",
    "Framework",
    "AffectedGroup",
    "CertaintyLevel",
    "Certainty",
    "AlternativeKind",
    "Alternative",
    "Condition",
    "Equals",
    "In",
    "Includes",
    "Gte",
    "Lte",
    "Answered",
    "AllOf",
    "AnyOf",
    "Not",
    "Criterion",
    "Section",
    "ScoreBand",
    "Aggregation",
    "FlagKind",
    "FlagRule",
    "ExpectedLevelRule",
    "ExpectedParticipation",
    "AlwaysRelevant",
    "Scoring",
    "Checklist",
    "DEFAULT_LARGE_LOSS",
    "DEFAULT_COVERAGE_FLOOR",
    "DEFAULT_JUDGEMENT_DISAGREEMENT",
    "DEFAULT_MIN_PARTICIPANTS",
    "CHOSEN",
    "UNKNOWN_ANSWER",
    "NOT_RELEVANT_ANSWER",
]

SCHEMA_VERSION = 1
"""The version of the checklist *file format* that this code reads."""

ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]*$"
LANG_PATTERN = r"^[a-z]{2}$"

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=64)]
LangCode = Annotated[str, Field(pattern=LANG_PATTERN)]

# Numbers and switches are taken as written: a quoted "yes" or "2" is an author's slip that lax parsing
# would silently turn into true or 2 (issue 16), so the validator names it instead.
Number = Annotated[float, Strict()]
Whole = Annotated[int, Strict()]

UNKNOWN_ANSWER = "unknown"
NOT_RELEVANT_ANSWER = "not_relevant"
CHOSEN = "chosen"
"""In a condition, `alternative: chosen` reads the chosen alternative: the proposal (the alternative of kind
proposal, else the first that is not the zero alternative), the one the headline scores."""



def _check_text(value: Any) -> str | dict[str, str]:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value and all(
        isinstance(k, str) and re.fullmatch(LANG_PATTERN, k) and isinstance(v, str) for k, v in value.items()
    ):
        return dict(value)
    raise ValueError("must be a text, or a map of two-letter language codes to texts like {sv: …, en: …}")


Text = Annotated[
    Union[str, dict[str, str]],
    PlainValidator(_check_text),
    WithJsonSchema({
        "anyOf": [
            {"type": "string"},
            {"type": "object", "propertyNames": {"pattern": LANG_PATTERN},
             "additionalProperties": {"type": "string"}, "minProperties": 1},
        ],
        "description": "A text, or a map of language code to text: {sv: …, en: …}",
    }),
]
"""A user-facing text: a plain string, or a map of language code to string."""


def text_for(text: Text | None, lang: str, fallback: str = "sv") -> str:
    """The text in `lang`, else the fallback language, else any language given."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for code in (lang, fallback):
        if code in text:
            return text[code]
    return next(iter(text.values()), "")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AnswerType(StrEnum):
    """What kind of answer a criterion takes; each has its own widget."""

    IMPACT = "impact"  # one rating on a declared scale
    GROUP_IMPACT = "group_impact"  # one rating per affected group
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"  # yes/no with a comment
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    LADDER = "ladder"  # a level on a declared participation ladder


RATED_TYPES = frozenset({AnswerType.IMPACT, AnswerType.GROUP_IMPACT})


# --- reusable lists ---------------------------------------------------------------


class ScaleStep(_Strict):
    value: Whole
    label: Text
    description: Text | None = None


class SpecialAnswer(_Strict):
    """The wording of a special answer (unknown, not relevant) on one scale."""

    label: Text
    help: Text | None = None


class Scale(_Strict):
    """A rating scale such as -2..+2. "Unknown" and "not relevant" are always
    separate answers, never steps of the scale. Each is offered unless the scale
    says `false`, and is worded by the product unless the scale relabels it."""

    id: Id
    title: Text | None = None
    steps: list[ScaleStep] = Field(min_length=2)
    # None (left out) or true: offered with the product's label; false: not offered; a map: offered, relabelled
    unknown: StrictBool | SpecialAnswer | None = None
    not_relevant: StrictBool | SpecialAnswer | None = None

    def offers(self, special: str) -> bool:
        """Whether the special answer (`unknown` or `not_relevant`) may be given on this scale."""
        return getattr(self, special) is not False

    def special_label(self, special: str) -> Text | None:
        """The scale's own label for a special answer, or None for the product's."""
        value = getattr(self, special)
        return value.label if isinstance(value, SpecialAnswer) else None


class ChoiceOption(_Strict):
    id: Id
    label: Text
    help: Text | None = None


class ChoiceList(_Strict):
    id: Id
    title: Text | None = None
    options: list[ChoiceOption] = Field(min_length=1)


class LadderLevel(_Strict):
    id: Id
    label: Text
    description: Text | None = None


class Ladder(_Strict):
    """A participation ladder; levels are listed from lowest to highest."""

    id: Id
    title: Text
    levels: list[LadderLevel] = Field(min_length=2)


class FrameworkItem(_Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=64)]
    title: Text
    short: Text | None = None  # a short label where space is tight (the heatmap, the decision page)


class Framework(_Strict):
    """A dimension that criteria can refer to, so scores roll up along it:
    the policy areas, Agenda 2030 goals, UN CRC articles, spatial levels."""

    id: Id
    title: Text
    items: list[FrameworkItem] = Field(min_length=1)
    # This framework is the policy areas (målområden): the decision page, the portfolio and the
    # comparison read it by this mark, never by its id. At most one framework carries it. None, not
    # False, when absent: a checklist without it dumps (and hashes, and seals) exactly as before.
    policy_areas: bool | None = None


class AffectedGroup(_Strict):
    """A group whose impacts are rated separately (the equity lens).

    `worse_off` marks a group with worse starting conditions: the gap between
    these groups and the `population` group is what equity scoring follows.
    Weights express proportionate universalism: more weight, more need."""

    id: Id
    label: Text
    short: Text | None = None  # a short label where space is tight (the heatmap, the decision page)
    help: Text | None = None
    weight: Number = Field(default=1.0, ge=0)
    worse_off: StrictBool = False
    population: StrictBool = False
    # kept for reporting only (who was heard, the portfolio): never rated, so no empty rows in wizard or report
    reporting_only: StrictBool | None = None
    # the same people across checklists ("disabled people"): the portfolio adds groups up by concept only
    concept: Id | None = None

    @property
    def rated(self) -> bool:
        return not self.reporting_only


class CertaintyLevel(_Strict):
    id: Id
    label: Text
    description: Text | None = None
    low: StrictBool | None = None  # true: a rating this sure is a knowledge gap as well as a rating


class Certainty(_Strict):
    """How sure the assessors are of a rating, asked beside it and separate from its size
    (as HUDU's and Scotland's HIIA do). Levels from least to most certain; a rating
    given at a `low` level is named as a knowledge gap, and the score says how much
    of it rests on such ratings (docs/scoring.md, "Certainty"). It never changes a score."""

    title: Text | None = None
    help: Text | None = None
    levels: list[CertaintyLevel] = Field(min_length=2)
    criteria: list[Id] | None = None  # the rated questions that ask it (default: every rated question)


class AlternativeKind(StrEnum):
    ZERO = "zero"  # nollalternativ: what happens without the plan
    PROPOSAL = "proposal"
    OTHER = "other"


class Alternative(_Strict):
    id: Id
    label: Text
    kind: AlternativeKind = AlternativeKind.OTHER
    description: Text | None = None


# --- conditions: a declarative tree, never evaluated as code -----------------------

Scalar = Union[bool, int, float, str]


class _Leaf(_Strict):
    question: Id
    group: Id | None = None  # a group_impact question: read this group's rating
    alternative: Id | None = None  # a per-alternative question: read this alternative's answer (or "chosen")


class EqualsArgs(_Leaf):
    value: Scalar


class InArgs(_Leaf):
    values: list[Scalar] = Field(min_length=1)


class IncludesArgs(_Leaf):
    value: Scalar


class CompareArgs(_Leaf):
    value: Union[int, float, str]


class Equals(_Strict):
    equals: EqualsArgs


class In(_Strict):
    in_: InArgs = Field(alias="in")


class Includes(_Strict):
    includes: IncludesArgs


class Gte(_Strict):
    gte: CompareArgs


class Lte(_Strict):
    lte: CompareArgs


class Answered(_Strict):
    answered: Id


class AllOf(_Strict):
    all: list["Condition"] = Field(min_length=1)


class AnyOf(_Strict):
    any: list["Condition"] = Field(min_length=1)


class Not(_Strict):
    not_: "Condition" = Field(alias="not")


OPERATORS = ("equals", "in", "includes", "gte", "lte", "answered", "all", "any", "not")


def _operator(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = [k for k in value if k in OPERATORS]
        return keys[0] if len(keys) == 1 and len(value) == 1 else None
    for name in OPERATORS:  # an already-built model
        if hasattr(value, name) or hasattr(value, name + "_"):
            return name
    return None


Condition = Annotated[
    Union[
        Annotated[Equals, Tag("equals")], Annotated[In, Tag("in")], Annotated[Includes, Tag("includes")],
        Annotated[Gte, Tag("gte")], Annotated[Lte, Tag("lte")], Annotated[Answered, Tag("answered")],
        Annotated[AllOf, Tag("all")], Annotated[AnyOf, Tag("any")], Annotated[Not, Tag("not")],
    ],
    Discriminator(_operator, custom_error_type="condition",
                  custom_error_message="a condition is one of: " + ", ".join(OPERATORS)),
]
"""`all` / `any` / `not` over `equals`, `in`, `includes`, `gte`, `lte`, `answered`."""

AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


# --- the content -------------------------------------------------------------------


class Criterion(_Strict):
    """One question of the assessment."""

    id: Id
    text: Text
    help: Text | None = None
    type: AnswerType
    scale: Id | None = None  # impact, group_impact
    groups: list[Id] | None = None  # group_impact: which groups (default: all declared)
    choices: Id | None = None  # single_choice, multi_choice
    ladder: Id | None = None  # ladder
    min: Number | None = None  # number
    max: Number | None = None  # number
    unit: Text | None = None  # number
    weight: Number = Field(default=1.0, ge=0)
    dimensions: dict[Id, list[Annotated[str, Field(max_length=64)]]] = Field(default_factory=dict)
    measures: StrictBool = False  # a measure (åtgärd) can be attached to the answer
    per_alternative: StrictBool | None = None  # default: rated types yes, others no
    show_if: Condition | None = None
    required: StrictBool = False

    @property
    def answered_per_alternative(self) -> bool:
        if self.per_alternative is not None:
            return self.per_alternative
        return self.type in RATED_TYPES

    @property
    def is_rated(self) -> bool:
        return self.type in RATED_TYPES


class Section(_Strict):
    """One step of the wizard and one chapter of the report."""

    id: Id
    title: Text
    short: Text | None = None  # a short title where space is tight (the charts, the decision page)
    description: Text | None = None
    weight: Number = Field(default=1.0, ge=0)
    dimensions: dict[Id, list[Annotated[str, Field(max_length=64)]]] = Field(default_factory=dict)
    show_if: Condition | None = None
    criteria: list[Criterion]


# --- scoring configuration ----------------------------------------------------------


class ScoreBand(_Strict):
    """Scores are on -100..+100. A band covers scores >= `min` up to the next band."""

    min: Number = Field(ge=-100, le=100)
    label: Text


class Aggregation(StrEnum):
    WEIGHTED_MEAN = "weighted_mean"
    WORST = "worst"  # a section is as good as its worst criterion


class FlagKind(StrEnum):
    NEGATIVE_WITHOUT_MEASURE = "negative_without_measure"
    PARTICIPATION_BELOW_EXPECTED = "participation_below_expected"
    GAP_WIDENS = "gap_widens"
    CONDITION = "condition"
    KNOWLEDGE_GAPS = "knowledge_gaps"


class FlagRule(_Strict):
    """A rule that raises a flag in the results and the report.

    - negative_without_measure: a rating at or below `threshold` (default -1)
      with no measure attached; optionally only for `groups`, `sections` or
      criteria on a `dimension` item (`framework:item`).
    - participation_below_expected: the participation level reached is below
      the level that `scoring.participation` expects.
    - gap_widens: the gap between worse-off groups and the population widens.
    - condition: `when` holds for the answers.
    - knowledge_gaps: more than `threshold` (a share 0..1) of the applicable
      rated criteria are unknown."""

    id: Id
    kind: FlagKind
    severity: Literal["info", "warning", "serious"] = "warning"
    message: Text
    threshold: Number | None = None
    groups: list[Id] | None = None
    sections: list[Id] | None = None
    dimension: str | None = None
    when: Condition | None = None
    # negative_without_measure: what a measure must have to clear the flag (default: all three)
    measure_needs: list[Literal["responsible", "due", "indicator"]] | None = None


class ExpectedLevelRule(_Strict):
    when: Condition
    level: Id


class ExpectedParticipation(_Strict):
    """Which participation level the checklist expects: the first rule whose
    `when` holds, else `default`."""

    question: Id  # a ladder criterion
    default: Id
    rules: list[ExpectedLevelRule] = Field(default_factory=list)


class AlwaysRelevant(_Strict):
    """Questions that can be answered "not relevant" only with a reason (a comment on the answer),
    whenever `when` holds (always when it is left out), e.g. for the plan types it names."""

    criteria: list[Id] = Field(min_length=1)
    when: Condition | None = None


DEFAULT_LARGE_LOSS = -50.0
"""A group score at or below this (on -100..+100) is a large loss: "negativ" on a -2..+2 scale."""

DEFAULT_COVERAGE_FLOOR = 0.6
"""Below this share of rated questions the overall score gets no band and reads as provisional."""

DEFAULT_JUDGEMENT_DISAGREEMENT = 50.0
"""Points between the assessors' overall judgement and the computed score that are flagged."""

DEFAULT_MIN_PARTICIPANTS = 10
"""A participation record with fewer people than this counts as information, not at its level."""


class Scoring(_Strict):
    aggregation: Aggregation = Aggregation.WEIGHTED_MEAN
    bands: list[ScoreBand] = Field(default_factory=list)
    flags: list[FlagRule] = Field(default_factory=list)
    participation: ExpectedParticipation | None = None
    # the rules that keep the headline honest (docs/scoring.md, "The verdict")
    large_loss: Number = Field(default=DEFAULT_LARGE_LOSS, ge=-100, le=0)
    coverage_floor: Number = Field(default=DEFAULT_COVERAGE_FLOOR, ge=0, le=1)
    judgement_disagreement: Number = Field(default=DEFAULT_JUDGEMENT_DISAGREEMENT, ge=1, le=200)
    min_participants: Whole = Field(default=DEFAULT_MIN_PARTICIPANTS, ge=1, le=100000)
    overall_judgement: list[Id] = Field(default_factory=list)  # rated questions shown beside the score
    always_relevant: list[AlwaysRelevant] = Field(default_factory=list)
    reference: Id | None = None  # the reference checklist this one derives its weights from


# --- the checklist ------------------------------------------------------------------

DEFAULT_ORDER = 100  # a checklist that names no `order` comes after those that do
PLAN_TYPES = "plan_types"  # the choice list that names the plan types, and the question that asks it


class Checklist(_Strict):
    schema_version: Literal[1]
    id: Id
    version: Annotated[str, Field(min_length=1, max_length=32)]
    title: Text
    description: Text | None = None
    default_language: LangCode = "sv"
    languages: list[LangCode] = Field(default_factory=lambda: ["sv"], min_length=1)
    plan_types: list[Id] | None = None  # for which plan types it is meant; informational
    order: Whole = Field(default=DEFAULT_ORDER, ge=0, le=9999)  # place in the library, lowest first and preselected
    frameworks: list[Framework] = Field(default_factory=list)
    scales: list[Scale] = Field(default_factory=list)
    choice_lists: list[ChoiceList] = Field(default_factory=list)
    ladders: list[Ladder] = Field(default_factory=list)
    groups: list[AffectedGroup] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    certainty: Certainty | None = None  # how sure the assessors are of each rating, asked beside it
    # true: the wizard has a step for measures that answer the whole assessment (not one question)
    measures: StrictBool | None = None
    sections: list[Section] = Field(min_length=1)
    scoring: Scoring = Field(default_factory=Scoring)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # YAML reads `version: 1.0` as a float; a version is a label.
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    # -- look-ups used by scoring, the wizard and the report --

    def criteria(self) -> list[Criterion]:
        return [c for s in self.sections for c in s.criteria]

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria():
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def section_of(self, criterion_id: str) -> Section:
        for s in self.sections:
            if any(c.id == criterion_id for c in s.criteria):
                return s
        raise KeyError(criterion_id)

    def scale(self, scale_id: str) -> Scale:
        return next(s for s in self.scales if s.id == scale_id)

    def choice_list(self, list_id: str) -> ChoiceList:
        return next(c for c in self.choice_lists if c.id == list_id)

    def ladder(self, ladder_id: str) -> Ladder:
        return next(lad for lad in self.ladders if lad.id == ladder_id)

    def group(self, group_id: str) -> AffectedGroup:
        return next(g for g in self.groups if g.id == group_id)

    def framework(self, framework_id: str) -> Framework:
        return next(f for f in self.frameworks if f.id == framework_id)

    def rated_groups(self) -> list[AffectedGroup]:
        """The groups impacts are rated for: every group but those kept for reporting only."""
        return [g for g in self.groups if g.rated]
    def policy_framework(self) -> Framework | None:
        """The framework marked `policy_areas: true` (the policy areas), or None when none is marked."""
        return next((f for f in self.frameworks if f.policy_areas), None)

    def groups_of(self, criterion: Criterion) -> list[AffectedGroup]:
        if criterion.groups is None:
            return self.rated_groups()
        return [self.group(g) for g in criterion.groups]

    def scale_of(self, criterion: Criterion) -> Scale | None:
        """The scale a rated question uses (None for other questions)."""
        return next((s for s in self.scales if s.id == criterion.scale), None) if criterion.scale else None

    def asks_certainty(self, criterion: Criterion) -> bool:
        """Whether the assessors say how sure they are of their rating of `criterion`."""
        cert = self.certainty
        return cert is not None and criterion.is_rated and (cert.criteria is None or criterion.id in cert.criteria)

    def low_certainty(self) -> frozenset[str]:
        """The certainty levels that count as low (empty when the checklist asks no certainty)."""
        return frozenset(lv.id for lv in self.certainty.levels if lv.low) if self.certainty else frozenset()

    def chosen_alternative(self) -> str:
        """The alternative `alternative: chosen` reads: the proposal, else the first that is not the zero
        alternative (the one the headline scores)."""
        ids = self.alternative_ids()
        kinds = {a.id: a.kind for a in self.alternatives}
        zero = next((a for a in ids if kinds.get(a) == AlternativeKind.ZERO), None)
        return next((a for a in ids if kinds.get(a) == AlternativeKind.PROPOSAL),
                    next((a for a in ids if a != zero), ids[0]))

    def plan_type_question(self) -> Criterion | None:
        """The question asking the plan type: the first single choice from the `plan_types` choice list,
        answered once for the whole assessment; None when the checklist does not ask it."""
        return next((c for c in self.criteria() if c.type == AnswerType.SINGLE_CHOICE and c.choices == PLAN_TYPES
                     and not c.answered_per_alternative), None)

    def plan_type_label(self, value: str, lang: str) -> str:
        """A plan type as a planner reads it: its label from the `plan_types` choice list, or the value
        itself when it was typed in freely (or the checklist names no plan types)."""
        options = next((c.options for c in self.choice_lists if c.id == PLAN_TYPES), [])
        return next((text_for(o.label, lang) for o in options if o.id == value), value)

    def alternative_ids(self) -> list[str]:
        """The alternatives answered; a checklist without any has one, `proposal`."""
        return [a.id for a in self.alternatives] or ["proposal"]

    def content_hash(self) -> str:
        """sha256 of the canonical JSON of the checklist: same content, same hash. The library `order`
        is where the file stands on the shelf, not content: reordering changes no assessment's snapshot.

        Computed once per checklist (it is frozen): the wizard and the results page compare a
        snapshot with the installed checklist on every rerun, and a dump of the integrated one
        costs about 2 ms."""
        return self._content_hash

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Checklist:
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("_content_hash", None)  # a copy with other content has another hash
        return copy

    @functools.cached_property
    def _content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"order"}),
                               sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def dump(self) -> dict[str, Any]:
        """The checklist as plain data, as it would be written to YAML."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude_none=True)
