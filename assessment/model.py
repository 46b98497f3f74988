"""The assessment: what people fill in, save, send, import and archive.

An `Assessment` holds its metadata, a full snapshot of the checklist it answers
(so it still opens, scores and renders after the checklist file has changed),
the answers (shared ones, and per alternative for the rated questions), the
measures (åtgärder) attached to criteria, the participation records and the
comments. `check_assessment` tells whether the answers fit the checklist.
The file format is YAML or JSON, versioned by `schema_version`.
This module does no I/O beyond parsing given bytes, and must not import streamlit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from enum import StrEnum
from collections.abc import Callable
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .checklist import AnswerType, Checklist, Criterion
from .errors import AssessmentFileError
from .yamlio import Limits, UnsafeInput, dump_yaml, load_located

__all__ = [
    "ASSESSMENT_SCHEMA_VERSION",
    "UNKNOWN",
    "NOT_RELEVANT",
    "Status",
    "MeasureStatus",
    "Answer",
    "Measure",
    "MeasureNote",
    "IndicatorValue",
    "ParticipationRecord",
    "Comment",
    "Metadata",
    "ChecklistRef",
    "Assessment",
    "new_assessment",
    "check_assessment",
    "parse_assessment",
    "dump_assessment",
]

ASSESSMENT_SCHEMA_VERSION = 1

UNKNOWN = "unknown"  # "unknown / needs investigation": a knowledge gap, never a zero
NOT_RELEVANT = "not_relevant"  # left out of scoring altogether

RatingValue = Union[int, Literal["unknown", "not_relevant"]]

MAX_TEXT = 20_000  # characters in one free-text field
MAX_RECOMMENDATION = 2_000  # the assessors' proposed decision: a paragraph for the summary page, not a chapter


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Status(StrEnum):
    DRAFT = "draft"  # utkast
    IN_REVIEW = "in_review"  # under granskning
    ADOPTED = "adopted"  # fastställd: frozen


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    DONE = "done"
    DROPPED = "dropped"


class Answer(_Model):
    """One answer. `value` depends on the criterion's type:

    impact: an int on the scale, "unknown" or "not_relevant";
    group_impact: {group id: int | "unknown" | "not_relevant"};
    single_choice: an option id; multi_choice: a list of option ids;
    yes_no: true/false (the comment carries the reasoning); text: a string;
    number: a number; date: an ISO date; ladder: a level id.
    A whole criterion can also be answered "not_relevant" or "unknown"."""

    value: Any = None
    comment: str = Field(default="", max_length=MAX_TEXT)  # motivering
    evidence: str = Field(default="", max_length=MAX_TEXT)  # underlag


class MeasureNote(_Model):
    date: dt.date
    text: str = Field(max_length=MAX_TEXT)
    author: str = ""


class IndicatorValue(_Model):
    date: dt.date
    value: float
    note: str = ""


class Measure(_Model):
    """An åtgärd attached to a criterion: what, who owns it, by when, how followed up."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    criterion: str
    alternative: str | None = None
    text: str = Field(max_length=MAX_TEXT)
    responsible: str = ""  # the sector or unit that owns it (ansvarig)
    due: dt.date | None = None
    indicator: str = ""  # the follow-up indicator (uppföljningsindikator)
    status: MeasureStatus = MeasureStatus.PLANNED
    notes: list[MeasureNote] = Field(default_factory=list)
    values: list[IndicatorValue] = Field(default_factory=list)


class ParticipationRecord(_Model):
    """Who was heard, how, at which level of the ladder, and what it changed."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    groups: list[str] = Field(default_factory=list)  # group ids or free names
    method: str = ""  # e.g. walk-through, workshop, survey, school visit
    level: str | None = None  # a ladder level id
    date: dt.date | None = None
    participants: int | None = Field(default=None, ge=0)
    heard: str = Field(default="", max_length=MAX_TEXT)  # what people said
    changed: str = Field(default="", max_length=MAX_TEXT)  # what changed in the plan because of it
    feedback: str = Field(default="", max_length=MAX_TEXT)  # how participants get feedback


class Comment(_Model):
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    criterion: str | None = None  # None: on the whole assessment
    author: str
    at: dt.datetime
    text: str = Field(max_length=MAX_TEXT)
    reply_to: str | None = None
    kind: Literal["comment", "reply", "sign_off"] = "comment"


class Metadata(_Model):
    title: str = Field(min_length=1, max_length=300)
    municipality: str = ""  # kommun or region
    plan_type: str = ""  # e.g. detaljplan, bygglov, budget, policy
    areas: list[str] = Field(default_factory=list)  # geographic areas: district, neighbourhood
    spatial_level: str | None = None
    assessors: list[str] = Field(default_factory=list)
    created: dt.date = Field(default_factory=dt.date.today)
    decision_date: dt.date | None = None
    adopted_at: dt.date | None = None
    adopted_by: str | None = None
    review_date: dt.date | None = None
    status: Status = Status.DRAFT
    summary: str = Field(default="", max_length=MAX_TEXT)
    # The assessors' own conclusion, förslag till beslut: printed on the summary page beside the computed score,
    # with the checklist's overall-judgement answer when it has one (see assessment.summary).
    recommendation: str = Field(default="", max_length=MAX_RECOMMENDATION)


class ChecklistRef(_Model):
    id: str
    version: str
    hash: str


class Assessment(_Model):
    format: Literal["skb-assessment"] = "skb-assessment"
    schema_version: Literal[1] = ASSESSMENT_SCHEMA_VERSION
    id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    language: str = "sv"
    metadata: Metadata
    checklist_ref: ChecklistRef
    checklist: Checklist  # the full snapshot the answers were given against
    answers: dict[str, Answer] = Field(default_factory=dict)  # questions answered once
    alternatives: dict[str, dict[str, Answer]] = Field(default_factory=dict)  # per alternative
    measures: list[Measure] = Field(default_factory=list)
    participation: list[ParticipationRecord] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)

    def answer(self, criterion_id: str, alternative: str | None = None) -> Answer | None:
        """The answer to a criterion; per-alternative questions need `alternative`."""
        crit = self.checklist.criterion(criterion_id)
        if crit.answered_per_alternative:
            alt = alternative or self.checklist.alternative_ids()[-1]
            return self.alternatives.get(alt, {}).get(criterion_id)
        return self.answers.get(criterion_id)

    def set_answer(self, criterion_id: str, answer: Answer, alternative: str | None = None) -> None:
        crit = self.checklist.criterion(criterion_id)
        if crit.answered_per_alternative:
            alt = alternative or self.checklist.alternative_ids()[-1]
            self.alternatives.setdefault(alt, {})[criterion_id] = answer
        else:
            self.answers[criterion_id] = answer

    def measures_for(self, criterion_id: str, alternative: str | None = None) -> list[Measure]:
        return [m for m in self.measures
                if m.criterion == criterion_id and (alternative is None or m.alternative in (None, alternative))]


def new_assessment(checklist: Checklist, title: str, **metadata: Any) -> Assessment:
    """An empty assessment of `checklist`, with a snapshot of it."""
    return Assessment(
        language=checklist.default_language,
        metadata=Metadata(title=title, **metadata),
        checklist_ref=ChecklistRef(id=checklist.id, version=checklist.version, hash=checklist.content_hash()),
        checklist=checklist,
    )


# --- does it fit its checklist? ----------------------------------------------------


def _check_rating(value: Any, allowed: set[int]) -> str | None:
    if value in (UNKNOWN, NOT_RELEVANT):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a step of the scale ({', '.join(map(str, sorted(allowed)))}), unknown or not_relevant"
    if value not in allowed:
        return f"{value} is not a step of the scale ({', '.join(map(str, sorted(allowed)))})"
    return None


def check_value(checklist: Checklist, crit: Criterion, value: Any) -> str | None:
    """Why `value` is not a valid answer to `crit`, or None when it is."""
    if value is None or value in (NOT_RELEVANT, UNKNOWN) and crit.type != AnswerType.GROUP_IMPACT:
        return None
    t = crit.type
    if t == AnswerType.IMPACT:
        return _check_rating(value, {s.value for s in checklist.scale(crit.scale or "").steps})
    if t == AnswerType.GROUP_IMPACT:
        if value in (NOT_RELEVANT, UNKNOWN):
            return None
        if not isinstance(value, dict):
            return "must be a map of group id to rating"
        groups = {g.id for g in checklist.groups_of(crit)}
        allowed = {s.value for s in checklist.scale(crit.scale or "").steps}
        for gid, rating in value.items():
            if gid not in groups:
                return f'unknown group "{gid}" (groups: {", ".join(sorted(groups))})'
            problem = _check_rating(rating, allowed)
            if problem:
                return f'group "{gid}": {problem}'
        return None
    if t in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE):
        options = [o.id for o in checklist.choice_list(crit.choices or "").options]
        chosen = value if t == AnswerType.MULTI_CHOICE else [value]
        if not isinstance(chosen, list) or not all(isinstance(v, str) for v in chosen):
            return "must be " + ("a list of option ids" if t == AnswerType.MULTI_CHOICE else "an option id")
        unknown = [v for v in chosen if v not in options]
        return f'unknown option "{unknown[0]}" (options: {", ".join(options)})' if unknown else None
    if t == AnswerType.YES_NO:
        return None if isinstance(value, bool) else "must be true or false"
    if t == AnswerType.TEXT:
        if not isinstance(value, str):
            return "must be a text"
        return None if len(value) <= MAX_TEXT else f"is longer than {MAX_TEXT:,} characters"
    if t == AnswerType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number"
        if crit.min is not None and value < crit.min or crit.max is not None and value > crit.max:
            return f"must be between {crit.min:g} and {crit.max:g}" if crit.min is not None and crit.max is not None \
                else "is out of range"
        return None
    if t == AnswerType.DATE:
        if isinstance(value, dt.date):
            return None
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return "must be a date written YYYY-MM-DD"
        return None
    if t == AnswerType.LADDER:
        levels = [lv.id for lv in checklist.ladder(crit.ladder or "").levels]
        return None if value in levels else f'unknown level "{value}" (levels: {", ".join(levels)})'
    return None


def check_assessment(a: Assessment) -> list[str]:
    """Every way in which the answers do not fit the assessment's own checklist snapshot."""
    c = a.checklist
    problems: list[str] = []
    if a.checklist_ref.id != c.id or a.checklist_ref.version != c.version:
        problems.append(f'checklist_ref says "{a.checklist_ref.id}" {a.checklist_ref.version} but the snapshot is '
                        f'"{c.id}" {c.version}')
    if a.checklist_ref.hash != c.content_hash():
        problems.append("the checklist snapshot does not match its recorded hash; the file has been edited by hand")
    by_id = {crit.id: crit for crit in c.criteria()}
    alternatives = set(c.alternative_ids())
    for cid, ans in a.answers.items():
        crit = by_id.get(cid)
        if crit is None:
            problems.append(f'answer to unknown question "{cid}"')
        elif crit.answered_per_alternative:
            problems.append(f'question "{cid}" is answered per alternative; put it under alternatives')
        elif (msg := check_value(c, crit, ans.value)) is not None:
            problems.append(f'answer to "{cid}": {msg}')
    for alt, answers in a.alternatives.items():
        if alt not in alternatives:
            problems.append(f'unknown alternative "{alt}" (alternatives: {", ".join(sorted(alternatives))})')
            continue
        for cid, ans in answers.items():
            crit = by_id.get(cid)
            if crit is None:
                problems.append(f'alternative "{alt}": answer to unknown question "{cid}"')
            elif not crit.answered_per_alternative:
                problems.append(f'question "{cid}" is answered once, not per alternative; put it under answers')
            elif (msg := check_value(c, crit, ans.value)) is not None:
                problems.append(f'alternative "{alt}": answer to "{cid}": {msg}')
    for m in a.measures:
        if m.criterion not in by_id:
            problems.append(f'measure "{m.id}" is attached to unknown question "{m.criterion}"')
        if m.alternative is not None and m.alternative not in alternatives:
            problems.append(f'measure "{m.id}" names unknown alternative "{m.alternative}"')
    ids = [m.id for m in a.measures]
    if len(ids) != len(set(ids)):
        problems.append("two measures share an id")
    return problems


# --- the file format ----------------------------------------------------------------


def parse_assessment(raw: bytes | str, source: str = "assessment", limits: Limits = Limits(),
                     resolve: Callable[[str, str], Checklist] | None = None) -> Assessment:
    """An assessment from YAML or JSON bytes; AssessmentFileError says what is wrong.

    A file may leave out the checklist snapshot (and its hash) when `resolve`
    can find the checklist by id and version, as hand-written examples do."""
    try:
        located = load_located(raw, limits)
    except UnsafeInput as exc:
        where = f"{source}:{exc.line}" if exc.line else source
        raise AssessmentFileError(f"{where}: {exc.message}") from None
    data = located.data
    if not isinstance(data, dict) or data.get("format") != "skb-assessment":
        raise AssessmentFileError(f"{source}: this is not an SKB assessment file (it has no format: skb-assessment)")
    version = data.get("schema_version")
    if version != ASSESSMENT_SCHEMA_VERSION:
        raise AssessmentFileError(f"{source}: assessment format version {version!r} is not one this SKB reads "
                                  f"(it reads {ASSESSMENT_SCHEMA_VERSION})")
    ref = data.get("checklist_ref")
    if "checklist" not in data and resolve is not None and isinstance(ref, dict):
        checklist = resolve(str(ref.get("id")), str(ref.get("version")))
        data = {**data, "checklist": checklist.model_dump(mode="json", by_alias=True, exclude_none=True),
                "checklist_ref": {**ref, "hash": ref.get("hash") or checklist.content_hash()}}
    try:
        assessment = Assessment.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[:5]
        lines = []
        for err in first:
            path = tuple(err["loc"])
            line = located.line_of(path)
            where = f"{source}:{line}" if line else source
            lines.append(f"{where}: {' › '.join(map(str, path))}: {err['msg']}")
        more = f"\n(and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise AssessmentFileError("the assessment file is not valid:\n" + "\n".join(lines) + more) from None
    problems = check_assessment(assessment)
    if problems:
        raise AssessmentFileError(f"{source}: the answers do not fit the checklist:\n" + "\n".join(problems[:10]))
    return assessment


def dump_assessment(a: Assessment, fmt: Literal["yaml", "json"] = "yaml") -> str:
    data = a.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["checklist"] = a.checklist.model_dump(mode="json", by_alias=True, exclude_none=True)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    return dump_yaml(data)
