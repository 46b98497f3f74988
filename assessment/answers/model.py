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
import types
import uuid
from dataclasses import dataclass
from enum import StrEnum
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assessment.checklist.checklist import AnswerType, Checklist, Criterion, text_for
from assessment.checklist.validate import check_checklist
from assessment.checklist.yamlio import Limits, Located, UnsafeInput, dump_yaml, load_located
from assessment.catalogue import language, text as msg
from assessment.errors import AssessmentFileError, LimitExceeded, Lines, Number, Term

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
    "check_certainty",
    "parse_assessment",
    "dump_assessment",
    "Provenance",
    "AdoptionRecord",
    "Bounds",
    "BOUNDS",
    "bound_problems",
    "answer_bound_problems",
    "check_bounds",
    "validate_snapshot",
]

ASSESSMENT_SCHEMA_VERSION = 1

UNKNOWN = "unknown"  # "unknown / needs investigation": a knowledge gap, never a zero
NOT_RELEVANT = "not_relevant"  # left out of scoring altogether

RatingValue = Union[int, Literal["unknown", "not_relevant"]]

MAX_TEXT = 20_000  # characters in one free-text field (motivation, what was heard, a comment)
MAX_RECOMMENDATION = 2_000  # the assessors' proposed decision: a paragraph for the summary page, not a chapter
MAX_NAME = 300  # characters in a short field: a title, a name, a municipality, a method
MAX_LIST = 20  # entries in a short list: areas, assessors, the groups reached by one dialogue, alternatives
MAX_PLACE = 100  # characters in one area or one assessor's name: a list of them must fit a cell of the report


class Bounds:
    """The most an assessment may hold; see docs/security.md for how each was sized.

    The largest real assessment we know (examples/grannskap-utbyggnad.yaml, the
    integrated checklist with three alternatives) has 124 answers, 6 measures,
    4 participation records and 3 comments; each count here is at least ten
    times that. `TOTAL_TEXT` bounds the characters of all free text together,
    which is what bounds the time to build the report."""

    ANSWERS = 2_000  # answers, shared and per alternative together
    MEASURES = 200  # and the 500-criterion benchmark assessment, a measure per negative rating, needs 131
    PARTICIPATION = 50
    COMMENTS = 200  # in the assessment file
    POSTS = 200  # posts in one review thread (comments, replies, sign-offs), beside the file's
    THREAD_TEXT = 200_000  # characters of all posts of one review thread together
    NOTES = 100  # follow-up notes of one measure
    VALUES = 200  # indicator values of one measure
    TOTAL_TEXT = 200_000  # characters of text in the whole assessment (the largest real one has 17,286)
    CRITERIA = 1_000  # questions in a checklist snapshot (the integrated checklist has 83)
    SNAPSHOT = 1_000_000  # characters of a checklist snapshot as JSON (the integrated checklist: 94,178)


BOUNDS = Bounds()
MAX_REPORT_BYTES = 3 * 1024 * 1024  # the adopted report a file may carry (base64 makes it a third larger)


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
    # how sure the assessors are of the rating: a level of the checklist's `certainty`, never its size
    certainty: str | None = Field(default=None, max_length=64)
    # The participation records (their ids) this answer rests on: the report cites them under the rating.
    # None, not [], when absent, so an answer without it dumps, hashes and seals exactly as before.
    dialogues: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None, max_length=MAX_LIST)


class MeasureNote(_Model):
    date: dt.date
    text: str = Field(max_length=MAX_TEXT)
    author: str = Field(default="", max_length=MAX_NAME)


class IndicatorValue(_Model):
    date: dt.date
    value: float
    note: str = Field(default="", max_length=MAX_NAME)


class Measure(_Model):
    """An åtgärd: what, who owns it, by when, how followed up. Attached to a criterion, or (criterion None)
    to the assessment as a whole, when it may name the `questions` it answers; either may name the `groups`
    it answers (None: everyone). A measure clears a flag only for what it covers."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    criterion: str | None = Field(default=None, max_length=64)  # None: for the assessment as a whole
    questions: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None, max_length=MAX_LIST)
    groups: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None, max_length=MAX_LIST)
    alternative: str | None = Field(default=None, max_length=64)
    text: str = Field(max_length=MAX_TEXT)

    def concerns(self, checklist: Checklist, lang: str) -> str:
        """What the measure is for, in words: its question, or the whole assessment and what it answers
        (plain text, not escaped: the caller escapes it for its medium)."""
        questions = {k.id: k.text for k in checklist.criteria()}
        groups = {g.id: g.label for g in checklist.groups}
        if self.criterion is not None:
            return text_for(questions.get(self.criterion), lang) or self.criterion
        words = msg(lang, "model.whole_assessment")
        named = [text_for(questions[q], lang) if q in questions else q for q in self.questions or ()]
        if named:
            words += msg(lang, "model.answers_questions", questions="; ".join(named))
        if self.groups:
            words += msg(lang, "model.for_groups", groups=", ".join(
                text_for(groups[g], lang) if g in groups else g for g in self.groups))
        return words
    responsible: str = Field(default="", max_length=MAX_NAME)  # the sector or unit that owns it (ansvarig)
    due: dt.date | None = None
    indicator: str = Field(default="", max_length=MAX_NAME)  # the follow-up indicator (uppföljningsindikator)
    status: MeasureStatus = MeasureStatus.PLANNED
    notes: list[MeasureNote] = Field(default_factory=list, max_length=Bounds.NOTES)
    values: list[IndicatorValue] = Field(default_factory=list, max_length=Bounds.VALUES)


class ParticipationRecord(_Model):
    """Who was heard, how, at which level of the ladder, and what it changed."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    groups: list[Annotated[str, Field(max_length=MAX_NAME)]] = Field(default_factory=list, max_length=MAX_LIST)
    method: str = Field(default="", max_length=MAX_NAME)  # e.g. walk-through, workshop, survey, school visit
    level: str | None = Field(default=None, max_length=64)  # a ladder level id
    date: dt.date | None = None
    participants: int | None = Field(default=None, ge=0)
    heard: str = Field(default="", max_length=MAX_TEXT)  # what people said
    changed: str = Field(default="", max_length=MAX_TEXT)  # what changed in the plan because of it
    feedback: str = Field(default="", max_length=MAX_TEXT)  # how participants get feedback


class Comment(_Model):
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    criterion: str | None = Field(default=None, max_length=64)  # None: on the whole assessment
    author: str = Field(max_length=MAX_NAME)
    at: dt.datetime
    text: str = Field(max_length=MAX_TEXT)
    reply_to: str | None = Field(default=None, max_length=64)
    kind: Literal["comment", "reply", "sign_off"] = "comment"


class Metadata(_Model):
    title: str = Field(min_length=1, max_length=300)
    municipality: str = Field(default="", max_length=MAX_NAME)  # kommun or region
    plan_type: str = Field(default="", max_length=MAX_NAME)  # e.g. detaljplan, bygglov, budget, policy
    # geographic areas: district, neighbourhood
    areas: list[Annotated[str, Field(max_length=MAX_PLACE)]] = Field(default_factory=list, max_length=MAX_LIST)
    spatial_level: str | None = Field(default=None, max_length=MAX_NAME)
    assessors: list[Annotated[str, Field(max_length=MAX_PLACE)]] = Field(default_factory=list, max_length=MAX_LIST)
    created: dt.date = Field(default_factory=dt.date.today)
    decision_date: dt.date | None = None
    adopted_at: dt.date | None = None
    adopted_by: str | None = Field(default=None, max_length=MAX_NAME)
    review_date: dt.date | None = None
    status: Status = Status.DRAFT
    summary: str = Field(default="", max_length=MAX_TEXT)
    # The assessors' own conclusion, förslag till beslut: printed on the summary page beside the computed score,
    # with the checklist's overall-judgement answer when it has one (see assessment.scoring.summary).
    recommendation: str = Field(default="", max_length=MAX_RECOMMENDATION)


class ChecklistRef(_Model):
    id: str = Field(max_length=64)
    version: str = Field(max_length=32)
    hash: str = Field(max_length=64)


class Provenance(_Model):
    """Where an imported assessment came from and what its file claimed.

    A file's claims are kept here, never believed: the assessment itself
    arrives as a draft unless its adoption verified (`adoption == "verified"`)."""

    source: str = Field(max_length=MAX_NAME)
    imported_at: dt.datetime
    imported_by: str = Field(max_length=MAX_NAME)
    claimed_status: Status = Status.DRAFT
    claimed_adopted_at: dt.date | None = None
    claimed_adopted_by: str | None = Field(default=None, max_length=MAX_NAME)
    # none: the file claimed no adoption; unverified: it did, and it was not (or could not be) checked;
    # verified: the report it carries has the SHA-256 the importer was given, and that report names this body.
    adoption: Literal["none", "unverified", "verified"] = "none"
    report_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    note: str = Field(default="", max_length=MAX_NAME)  # why an adoption did not verify

    def describe(self, lang: str = "sv") -> str:
        """One sentence for the history, the start page and `skb list`."""
        when = self.imported_at.astimezone().strftime("%Y-%m-%d")
        head = msg(lang, "model.imported", source=self.source, when=when, by=self.imported_by)
        if self.adoption == "verified":
            return msg(lang, "model.adopted_elsewhere_verified", digest=(self.report_sha256 or "")[:16], head=head)
        if self.adoption == "none" and self.claimed_status == Status.DRAFT:
            return head
        claim = msg(lang, f"model.claimed_{self.claimed_status.value}")
        if self.claimed_adopted_by or self.claimed_adopted_at:
            by = msg(lang, "model.claimed_by", name=self.claimed_adopted_by) if self.claimed_adopted_by else ""
            on = f" {self.claimed_adopted_at.isoformat()}" if self.claimed_adopted_at else ""
            claim += f"{by}{on}"
        # The note is stored "Swedish / English" (what the store wrote when the file arrived).
        why = self.note.split(" / ")[0 if lang == "sv" else -1] if self.note else ""
        return msg(lang, "model.claim_unverified", head=head, claim=claim,
                   why=msg(lang, "model.claim_why", why=why) if why else "")


class AdoptionRecord(_Model):
    """What the export of an adopted version carries, so that another installation can check the adoption.

    `body_sha256` is the digest of the adopted version's body (`assessment.store.integrity.body_digest`),
    which the report also names in its PDF keywords; `report_pdf` is that report, base64."""

    revision: int = Field(ge=1)
    body_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    report_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    report_lang: str = Field(max_length=8)
    report_pdf: str = Field(max_length=MAX_REPORT_BYTES * 4 // 3 + 4)
    chain_head: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class Assessment(_Model):
    format: Literal["skb-assessment"] = "skb-assessment"
    schema_version: Literal[1] = ASSESSMENT_SCHEMA_VERSION
    id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    language: str = Field(default="sv", max_length=8)
    metadata: Metadata
    checklist_ref: ChecklistRef
    checklist: Checklist  # the full snapshot the answers were given against
    answers: dict[str, Answer] = Field(default_factory=dict, max_length=Bounds.ANSWERS)  # questions answered once
    # per alternative
    alternatives: dict[str, Annotated[dict[str, Answer], Field(max_length=Bounds.ANSWERS)]] = \
        Field(default_factory=dict, max_length=MAX_LIST)
    measures: list[Measure] = Field(default_factory=list, max_length=Bounds.MEASURES)
    participation: list[ParticipationRecord] = Field(default_factory=list, max_length=Bounds.PARTICIPATION)
    comments: list[Comment] = Field(default_factory=list, max_length=Bounds.COMMENTS)
    # Set by this installation on import, never taken from a file: what the file claimed.
    provenance: Provenance | None = None
    # Carried by the export of an adopted version, so that another installation can check it.
    adoption_record: AdoptionRecord | None = None

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

    def set_plan_type(self, value: str) -> None:
        """Set the plan type, kept in one place: the details' `plan_type` and the answer to the checklist's
        plan type question (which sets the expected participation) always say the same. A value the
        question does not offer (typed in freely) leaves the question without a value."""
        self.metadata = self.metadata.model_copy(update={"plan_type": value})
        question = self.checklist.plan_type_question()
        if question is None or question.choices is None:
            return
        offered = {o.id for o in self.checklist.choice_list(question.choices).options}
        old = self.answers.get(question.id)
        answer = old.model_copy(deep=True) if old is not None else Answer()
        answer.value = value if value in offered else None
        if answer.value is None and not answer.comment.strip() and not answer.evidence.strip():
            self.answers.pop(question.id, None)
        else:
            self.answers[question.id] = answer

    def measures_for(self, criterion_id: str, alternative: str | None = None) -> list[Measure]:
        return [m for m in self.measures
                if m.criterion == criterion_id and (alternative is None or m.alternative in (None, alternative))]

    def measures_answering(self, criterion_id: str, alternative: str | None = None) -> list[Measure]:
        """The measures that answer a criterion: attached to it, or for the whole assessment naming it (what
        clears its flags, and what the summary names beside its finding)."""
        return [m for m in self.measures
                if (m.criterion == criterion_id or m.criterion is None and criterion_id in (m.questions or ()))
                and (alternative is None or m.alternative in (None, alternative))]

    def general_measures(self) -> list[Measure]:
        """The measures for the assessment as a whole, not attached to one question."""
        return [m for m in self.measures if m.criterion is None]


def new_assessment(checklist: Checklist, title: str, **metadata: Any) -> Assessment:
    """An empty assessment of `checklist`, with a snapshot of it; a plan type given also answers the
    checklist's plan type question, so it is asked once."""
    assessment = Assessment(
        language=checklist.default_language,
        metadata=Metadata(title=title, **metadata),
        checklist_ref=ChecklistRef(id=checklist.id, version=checklist.version, hash=checklist.content_hash()),
        checklist=checklist,
    )
    if assessment.metadata.plan_type:
        assessment.set_plan_type(assessment.metadata.plan_type)
    return assessment


# --- does it fit its checklist? ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Bound:
    """An end of a number question's range as the language writes a decimal: 0,5 in Swedish, 0.5 in English."""

    value: float

    def text(self, lang: str) -> str:
        written = f"{self.value:g}"
        return written.replace(".", ",") if language(lang) == "sv" else written


def _check_rating(value: Any, allowed: set[int], specials: tuple[str, ...] = (UNKNOWN, NOT_RELEVANT)) -> Term | None:
    steps = tuple(sorted(allowed))
    if value in (UNKNOWN, NOT_RELEVANT):
        return None if value in specials else Term("model.special_not_on_scale", value=value)
    if isinstance(value, bool) or not isinstance(value, int):
        return Term("model.rating_not_a_step_kind", steps=steps)
    if value not in allowed:
        return Term("model.rating_not_a_step", value=value, steps=steps)
    return None


def check_value(checklist: Checklist, crit: Criterion, value: Any) -> Term | None:
    """Why `value` is not a valid answer to `crit` (a `model.*` problem, worded by its `.text(lang)`), or None
    when it is."""
    scale = checklist.scale_of(crit)
    # a scale may switch a special answer off; other questions always offer both
    specials = tuple(sp for sp in (UNKNOWN, NOT_RELEVANT) if scale is None or scale.offers(sp))
    if value is None:
        return None
    if value in (NOT_RELEVANT, UNKNOWN):
        return None if value in specials else Term("model.special_not_on_question_scale", value=value)
    t = crit.type
    if t == AnswerType.IMPACT:
        return _check_rating(value, {s.value for s in checklist.scale(crit.scale or "").steps}, specials)
    if t == AnswerType.GROUP_IMPACT:
        if not isinstance(value, dict):
            return Term("model.not_a_group_map")
        groups = {g.id for g in checklist.groups_of(crit)}
        allowed = {s.value for s in checklist.scale(crit.scale or "").steps}
        for gid, rating in value.items():
            if gid not in groups:
                return Term("model.unknown_group", group=gid, groups=tuple(sorted(groups)))
            problem = _check_rating(rating, allowed, specials)
            if problem:
                return Term("model.in_group", group=gid, problem=problem)
        return None
    if t in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE):
        options = tuple(o.id for o in checklist.choice_list(crit.choices or "").options)
        chosen = value if t == AnswerType.MULTI_CHOICE else [value]
        if not isinstance(chosen, list) or not all(isinstance(v, str) for v in chosen):
            return Term("model.not_option_ids") if t == AnswerType.MULTI_CHOICE else Term("model.not_an_option_id")
        unknown = [v for v in chosen if v not in options]
        return Term("model.unknown_option", option=unknown[0], options=options) if unknown else None
    if t == AnswerType.YES_NO:
        return None if isinstance(value, bool) else Term("model.not_yes_no")
    if t == AnswerType.TEXT:
        if not isinstance(value, str):
            return Term("model.not_a_text")
        return None if len(value) <= MAX_TEXT else Term("model.text_too_long", limit=Number(MAX_TEXT))
    if t == AnswerType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return Term("model.not_a_number")
        if crit.min is not None and value < crit.min or crit.max is not None and value > crit.max:
            if crit.min is not None and crit.max is not None:
                return Term("model.not_between", min=_Bound(crit.min), max=_Bound(crit.max))
            return Term("model.out_of_range")
        return None
    if t == AnswerType.DATE:
        if isinstance(value, dt.date):
            return None
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return Term("model.not_a_date")
        return None
    if t == AnswerType.LADDER:
        levels = tuple(lv.id for lv in checklist.ladder(crit.ladder or "").levels)
        return None if value in levels else Term("model.unknown_level", level=value, levels=levels)
    return None


def check_certainty(checklist: Checklist, crit: Criterion, certainty: str | None) -> Term | None:
    """Why `certainty` cannot be said of an answer to `crit` (a `model.*` problem), or None when it can."""
    if certainty is None:
        return None
    if not checklist.asks_certainty(crit):
        return Term("model.certainty_not_asked")
    levels = tuple(lv.id for lv in checklist.certainty.levels) if checklist.certainty else ()
    return None if certainty in levels else Term("model.unknown_certainty", certainty=certainty, levels=levels)


def check_assessment(a: Assessment) -> list[Term]:
    """Every way in which the answers do not fit the assessment's own checklist snapshot, each a `model.*`
    problem worded at the edge (`.text(lang)`, or in an error's `Lines`)."""
    c = a.checklist
    problems: list[Term] = []
    if a.checklist_ref.id != c.id or a.checklist_ref.version != c.version:
        problems.append(Term("model.ref_mismatch", ref_id=a.checklist_ref.id, ref_version=a.checklist_ref.version,
                             id=c.id, version=c.version))
    if a.checklist_ref.hash != c.content_hash():
        problems.append(Term("model.snapshot_edited"))
    by_id = {crit.id: crit for crit in c.criteria()}
    alternatives = set(c.alternative_ids())
    for cid, ans in a.answers.items():
        crit = by_id.get(cid)
        if crit is None:
            problems.append(Term("model.answer_to_unknown_question", question=cid))
        elif crit.answered_per_alternative:
            problems.append(Term("model.answered_per_alternative", question=cid))
        elif (problem := check_value(c, crit, ans.value) or check_certainty(c, crit, ans.certainty)) is not None:
            problems.append(Term("model.answer_to", question=cid, problem=problem))
    for alt, answers in a.alternatives.items():
        if alt not in alternatives:
            problems.append(Term("model.unknown_alternative", alternative=alt, alternatives=tuple(sorted(alternatives))))
            continue
        for cid, ans in answers.items():
            crit = by_id.get(cid)
            if crit is None:
                problems.append(Term("model.in_alternative", alternative=alt,
                                     problem=Term("model.answer_to_unknown_question", question=cid)))
            elif not crit.answered_per_alternative:
                problems.append(Term("model.answered_once", question=cid))
            elif (problem := check_value(c, crit, ans.value) or check_certainty(c, crit, ans.certainty)) is not None:
                problems.append(Term("model.in_alternative", alternative=alt,
                                     problem=Term("model.answer_to", question=cid, problem=problem)))
    groups = {g.id for g in c.groups}
    for m in a.measures:
        if m.criterion is not None and m.criterion not in by_id:
            problems.append(Term("model.measure_on_unknown_question", measure=m.id, question=m.criterion))
        if m.questions and m.criterion is not None:
            problems.append(Term("model.measure_on_question_names_questions", measure=m.id, question=m.criterion))
        for q in m.questions or ():
            if q not in by_id:
                problems.append(Term("model.measure_answers_unknown_question", measure=m.id, question=q))
        for g in m.groups or ():
            if g not in groups:
                problems.append(Term("model.measure_answers_unknown_group", measure=m.id, group=g))
        if m.alternative is not None and m.alternative not in alternatives:
            problems.append(Term("model.measure_unknown_alternative", measure=m.id, alternative=m.alternative))
    ids = [m.id for m in a.measures]
    if len(ids) != len(set(ids)):
        problems.append(Term("model.measures_share_id"))
    return problems


# --- bounds: how much an assessment may hold ---------------------------------------------
#
# Checked on the plain data before any model is built, so that a file of 60,000
# measures is refused in the time it takes to count them, and again on every
# save through the store (the Python API and the UI), where lists may have grown
# after the model was built. The limits are the models' own `max_length`s.

_COUNTED = frozenset({"answers", "measures", "participation", "comments", "notes", "values", "areas", "assessors",
                      "groups", "alternatives"})  # the lists a bound names in words (model.items_<name>)


def _where(path: tuple[Any, ...]) -> str:
    return " › ".join(str(p) for p in path) or "assessment"


def _too_many(path: tuple[Any, ...], count: int, limit: int) -> Term:
    name = str(path[-1])
    return Term("model.too_many", where=_where(path), count=Number(count), limit=Number(limit),
                what=Term(f"model.items_{name}") if name in _COUNTED else name)


def _too_long(path: tuple[Any, ...], length: int, limit: int) -> Term:
    return Term("model.too_long", where=_where(path), length=Number(length), limit=Number(limit))


def _max_length(metadata: list[Any]) -> int | None:
    for m in metadata:
        if getattr(m, "max_length", None) is not None:
            return int(m.max_length)
        if isinstance(getattr(m, "metadata", None), list):  # a Field(...) inside Annotated[...]
            found = _max_length(m.metadata)
            if found is not None:
                return found
    return None


class _Walk:
    def __init__(self) -> None:
        self.problems: list[Term] = []
        self.text = 0

    def model(self, cls: type[BaseModel], data: Any, path: tuple[Any, ...]) -> None:
        if not isinstance(data, dict):
            return  # the model's own validation says what is wrong with the shape
        for name, info in cls.model_fields.items():
            if name in data and name != "checklist":  # the snapshot has the checklist validator
                self.value(info.annotation, data[name], _max_length(info.metadata), (*path, name))

    def value(self, annotation: Any, value: Any, limit: int | None, path: tuple[Any, ...]) -> None:
        if len(self.problems) >= 10:
            return
        origin, args = get_origin(annotation), get_args(annotation)
        if origin is Annotated:
            self.value(args[0], value, _max_length(list(args[1:])) or limit, path)
            return
        if origin in (Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            annotation = inner[0] if len(inner) == 1 else Any
            origin, args = get_origin(annotation), get_args(annotation)
            if origin is Annotated:
                self.value(annotation, value, limit, path)
                return
        if isinstance(value, str):
            self.text += len(value)
            bound = limit if limit is not None else MAX_TEXT
            if len(value) > bound:
                self.problems.append(_too_long(path, len(value), bound))
        elif isinstance(value, list):
            bound = limit if limit is not None else MAX_LIST * 4
            if len(value) > bound:
                self.problems.append(_too_many(path, len(value), bound))
                return
            item = args[0] if origin is list and args else Any
            for i, v in enumerate(value):
                self.value(item, v, None, (*path, i))
        elif isinstance(value, dict):
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                self.model(annotation, value, path)
                return
            bound = limit if limit is not None else MAX_LIST * 4
            if len(value) > bound:
                self.problems.append(_too_many(path, len(value), bound))
                return
            item = args[1] if origin is dict and len(args) == 2 else Any
            for k, v in value.items():
                self.value(item, v, None, (*path, k))


def bound_problems(data: Any) -> list[Term]:
    """Every limit the plain assessment data (a file's, or a model's dump) goes beyond, as coded items."""
    walk = _Walk()
    if isinstance(data, dict):
        answers = data.get("answers")
        alternatives = data.get("alternatives")
        count = len(answers) if isinstance(answers, dict) else 0
        if isinstance(alternatives, dict):
            count += sum(len(v) for v in alternatives.values() if isinstance(v, dict))
        if count > Bounds.ANSWERS:
            walk.problems.append(_too_many(("answers",), count, Bounds.ANSWERS))
            return walk.problems
    walk.model(Assessment, data, ())
    if not walk.problems and walk.text > Bounds.TOTAL_TEXT:
        walk.problems.append(_total_text(walk.text))
    return walk.problems


def _text_size(data: Any) -> int:
    if isinstance(data, str):
        return len(data)
    if isinstance(data, dict):
        return sum(_text_size(v) for v in data.values())
    if isinstance(data, list):
        return sum(_text_size(v) for v in data)
    return 0


def _total_text(size: int) -> Term:
    return Term("model.total_text", size=Number(size), limit=Number(Bounds.TOTAL_TEXT))


def answer_bound_problems(body: dict[str, Any]) -> list[Term]:
    """The bounds one new answer can cross: the count of answers and the total text.

    For autosave, where the answer itself was built (and its texts bounded) by
    its model; a tenth of the cost of `bound_problems` on a full body."""
    answers = body.get("answers", {})
    count = len(answers) + sum(len(v) for v in body.get("alternatives", {}).values())
    if count > Bounds.ANSWERS:
        return [_too_many(("answers",), count, Bounds.ANSWERS)]
    size = _text_size(body)
    return [_total_text(size)] if size > Bounds.TOTAL_TEXT else []


def check_bounds(a: Assessment) -> None:
    """LimitExceeded if the assessment holds more than SKB allows (counted before anything is dumped)."""
    counts = [(("measures",), len(a.measures), Bounds.MEASURES),
              (("participation",), len(a.participation), Bounds.PARTICIPATION),
              (("comments",), len(a.comments), Bounds.COMMENTS),
              (("answers",), len(a.answers) + sum(len(v) for v in a.alternatives.values()), Bounds.ANSWERS)]
    over = [_too_many(path, n, limit) for path, n, limit in counts if n > limit]
    if over:
        raise LimitExceeded(over)
    problems = bound_problems(a.model_dump(mode="json", exclude={"checklist"}, exclude_none=True))
    if problems:
        raise LimitExceeded(problems)


def validate_snapshot(data: Any, source: str, located: Located | None = None) -> Checklist:
    """A checklist snapshot through the full checklist validator; AssessmentFileError lists what is wrong.

    The snapshot's own hash proves nothing (anyone can recompute it), so a
    snapshot is trusted no more than a checklist file: cycles, duplicate ids and
    bad references are refused here, with the same messages `skb validate` gives."""

    size = len(json.dumps(data, ensure_ascii=False)) if isinstance(data, dict) else 0
    if size > Bounds.SNAPSHOT:
        raise LimitExceeded([Term("model.snapshot_too_large", source=source, size=Number(size),
                                  limit=Number(Bounds.SNAPSHOT))])
    checklist, problems = check_checklist(located or Located(data), source)
    if checklist is None:
        errors = [p for p in problems if p.severity == "error"]
        raise AssessmentFileError("snapshot_checklist_invalid", source=source, problems=Lines(errors[:10]),
                                  more=Term("model.and_more", n=len(errors) - 10) if len(errors) > 10 else "")
    count = len(checklist.criteria())
    if count > Bounds.CRITERIA:
        raise LimitExceeded([Term("model.too_many_questions", source=source, count=Number(count),
                                  limit=Number(Bounds.CRITERIA))])
    return checklist


# --- the file format ----------------------------------------------------------------


# pydantic's problems with a value, by its error type, in the catalogue's words (the English is pydantic's own
# message, unchanged); a type not named here is said in pydantic's English.
_INPUT_PROBLEMS: dict[str, Callable[[Mapping[str, Any]], Term]] = {
    "missing": lambda ctx: Term("model.input_missing"),
    "extra_forbidden": lambda ctx: Term("model.input_extra"),
    "string_type": lambda ctx: Term("model.input_string"),
    "string_pattern_mismatch": lambda ctx: Term("model.input_pattern", pattern=ctx.get("pattern", "")),
    "int_type": lambda ctx: Term("model.input_int"),
    "int_parsing": lambda ctx: Term("model.input_int_parsing"),
    "int_from_float": lambda ctx: Term("model.input_int_from_float"),
    "float_type": lambda ctx: Term("model.input_float"),
    "float_parsing": lambda ctx: Term("model.input_float_parsing"),
    "bool_type": lambda ctx: Term("model.input_bool"),
    "bool_parsing": lambda ctx: Term("model.input_bool_parsing"),
    "list_type": lambda ctx: Term("model.input_list"),
    "dict_type": lambda ctx: Term("model.input_dict"),
}


def _input_problem(err: Mapping[str, Any]) -> Term | str:
    """What pydantic found wrong with one value of a file, worded at the edge where the catalogue has it."""
    build = _INPUT_PROBLEMS.get(str(err.get("type")))
    return build(err.get("ctx") or {}) if build is not None else str(err["msg"])


def parse_assessment(raw: bytes | str, source: str = "assessment", limits: Limits = Limits(),
                     resolve: Callable[[str, str], Checklist] | None = None) -> Assessment:
    """An assessment from YAML or JSON bytes; AssessmentFileError says what is wrong.

    A file may leave out the checklist snapshot (and its hash) when `resolve`
    can find the checklist by id and version, as hand-written examples do."""
    try:
        located = load_located(raw, limits)
    except UnsafeInput as exc:
        where = f"{source}:{exc.line}" if exc.line else source
        raise AssessmentFileError("unsafe_input", where=where, problem=exc) from None
    data = located.data
    if not isinstance(data, dict) or data.get("format") != "skb-assessment":
        raise AssessmentFileError("not_an_assessment", source=source)
    version = data.get("schema_version")
    if version != ASSESSMENT_SCHEMA_VERSION:
        raise AssessmentFileError("assessment_version", source=source, version=repr(version),
                                  reads=ASSESSMENT_SCHEMA_VERSION)
    over = bound_problems(data)
    if over:
        raise LimitExceeded([Term("model.in_source", source=source, problem=p) for p in over])
    ref = data.get("checklist_ref")
    if isinstance(data.get("checklist"), dict):
        inner = Located(data["checklist"], {p[1:]: n for p, n in located.lines.items() if p[:1] == ("checklist",)})
        data = {**data, "checklist": validate_snapshot(data["checklist"], f"{source} › checklist", inner)}
    elif "checklist" not in data and resolve is not None and isinstance(ref, dict):
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
            lines.append(Term("model.invalid_at", where=where, path=" › ".join(map(str, path)),
                              problem=_input_problem(err)))
        raise AssessmentFileError("assessment_invalid", problems=Lines(lines),
                                  more=Term("model.and_more", n=exc.error_count() - 5) if exc.error_count() > 5 else "") \
            from None
    problems = check_assessment(assessment)
    if problems:
        raise AssessmentFileError("answers_do_not_fit_file", source=source, problems=Lines(problems[:10]))
    return assessment


def dump_assessment(a: Assessment, fmt: Literal["yaml", "json"] = "yaml") -> str:
    data = a.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["checklist"] = a.checklist.model_dump(mode="json", by_alias=True, exclude_none=True)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    return dump_yaml(data)
