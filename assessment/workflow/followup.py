"""Follow-up (uppföljning): how the measures of an assessment fare after the decision, and when to look again.

"Without really good follow-up, no equal health." An adopted assessment is
frozen in the database, yet its measures must still be followed: their status
(planned, under way, done, dropped), dated notes, and values of their
follow-up indicators over time. So follow-up is kept in its own tables
(`followup_measures`, `followup_notes`, `followup_values`), keyed by assessment
id + measure id, never in the assessment's body. What the body says at
adoption is the starting point; what is recorded here comes on top. Each
measure's follow-up has its own revision, so two people recording at once
cannot overwrite each other (`FollowUpConflict`).

Each assessment has a review date (uppföljningsdatum): set here, else the
assessment's own `review_date`, else six months after adoption; `due_reviews`
lists the adopted assessments whose date has come. A re-assessment after
implementation starts from the adopted version (`reassess`, a copy as draft)
and remembers where it came from (`reassessed_from`), so before and after can
be compared.

Every write takes the person acting (`Actor`, or a plain name as in local
mode) and checks their role in the assessment's organisation through
`assessment.store.auth`, as the review does: recording follow-up (status, notes,
values, the review date, a review held) needs the author or reviewer role; a
re-assessment writes a new draft, so it needs the author role. A refusal is
`Forbidden` (Swedish and English), and each write is in the audit log
(`follow_up`, a re-assessment `copy`) in the same transaction. This module must
not import streamlit and never writes to an assessment's body.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from assessment.answers.model import MAX_TEXT, Measure, MeasureStatus, Status
from assessment.errors import ConflictError, NotFound, StorageError, Term
from assessment.store import assessments as assessments_sql
from assessment.store import followup as followup_sql
from assessment.store.audit import record
from assessment.store.auth import Action, Actor, actor_of, org_key, require
from assessment.store.storage import Store

__all__ = [
    "REVIEW_AFTER_MONTHS",
    "Note",
    "Value",
    "MeasureFollowUp",
    "Schedule",
    "DueReview",
    "FollowUpConflict",
    "add_months",
    "measures",
    "set_status",
    "add_note",
    "add_value",
    "schedule",
    "set_review_date",
    "record_review",
    "due_reviews",
    "reassess",
    "reassessed_from",
]

REVIEW_AFTER_MONTHS = 6


class FollowUpConflict(ConflictError):
    """Someone recorded follow-up of this measure since you read it; reload and record again."""

    def __init__(self, what: Term | str, by: str, at: str) -> None:
        self.what = what  # a catalogue term ("the review date"), or a name as written (a measure's text)
        self.by, self.at = by, at
        super().__init__("followup_conflict", who=by, what=what, when=at[:16].replace("T", " "))


@dataclass(frozen=True)
class Note:
    date: dt.date
    text: str
    author: str
    recorded: bool  # True: recorded in follow-up; False: written in the assessment itself


@dataclass(frozen=True)
class Value:
    date: dt.date
    value: float
    note: str
    author: str
    recorded: bool


@dataclass(frozen=True)
class MeasureFollowUp:
    """A measure as decided, with its follow-up so far; `revision` to pass back when recording."""

    measure: Measure
    status: MeasureStatus
    notes: tuple[Note, ...]
    values: tuple[Value, ...]
    revision: int  # 0: nothing recorded yet
    updated_at: dt.datetime | None = None
    updated_by: str = ""


@dataclass(frozen=True)
class Schedule:
    assessment_id: str
    review_date: dt.date | None  # None: not adopted and no date set
    reviewed_on: dt.date | None
    reviewed_by: str
    revision: int  # 0: nothing recorded yet
    source: str  # "set", "assessment", "adoption" or "none": where the date comes from


@dataclass(frozen=True)
class DueReview:
    assessment_id: str
    title: str
    municipality: str
    adopted_at: dt.date | None
    review_date: dt.date
    days_overdue: int


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 August + 6 months = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _text(words: str, what: Term) -> str:
    words = words.strip()
    if len(words) > MAX_TEXT:
        raise StorageError("text_too_long", what=what, limit=MAX_TEXT)
    return words


# --- the measures ----------------------------------------------------------------------------


def measures(store: Store, assessment_id: str) -> list[MeasureFollowUp]:
    """Every measure of the assessment's latest version, with its follow-up, in the assessment's order."""
    stored = store.load(assessment_id)
    with store.reading() as conn:
        heads = {r.measure_id: r for r in followup_sql.measure_heads(conn, assessment_id)}
        notes: dict[str, list[Note]] = {}
        for r in followup_sql.notes(conn, assessment_id):
            notes.setdefault(r.measure_id, []).append(Note(dt.date.fromisoformat(r.noted_on), r.text, r.author, True))
        values: dict[str, list[Value]] = {}
        for r in followup_sql.values(conn, assessment_id):
            values.setdefault(r.measure_id, []).append(
                Value(dt.date.fromisoformat(r.measured_on), float(r.value), r.note, r.author, True))
    out = []
    for m in stored.assessment.measures:
        head = heads.get(m.id)
        own_notes = [Note(n.date, n.text, n.author, False) for n in m.notes]
        own_values = [Value(v.date, v.value, v.note, "", False) for v in m.values]
        out.append(MeasureFollowUp(
            measure=m,
            status=MeasureStatus(head.status) if head is not None and head.status else m.status,
            notes=tuple(sorted(own_notes + notes.get(m.id, []), key=lambda n: n.date)),
            values=tuple(sorted(own_values + values.get(m.id, []), key=lambda v: v.date)),
            revision=int(head.revision) if head is not None else 0,
            updated_at=dt.datetime.fromisoformat(head.updated_at) if head is not None else None,
            updated_by=head.updated_by if head is not None else ""))
    return out


def _measure(store: Store, assessment_id: str, measure_id: str, actor: Actor) -> tuple[Measure, str]:
    """The measure, and the organisation of its assessment, once `actor` may record its follow-up."""
    stored = store.load(assessment_id)
    org = org_key(stored.assessment.metadata.municipality)
    require(store, actor, Action.FOLLOW_UP, org)
    for m in stored.assessment.measures:
        if m.id == measure_id:
            return m, org
    raise NotFound("no_measure", id=assessment_id, measure=measure_id)


def _advance(conn: Connection, assessment_id: str, measure: Measure, seen: int, by: str,
             status: MeasureStatus | None = None) -> int:
    """Move the measure's follow-up from revision `seen` to the next, or raise FollowUpConflict."""
    at = _now()
    if seen == 0:
        try:
            with conn.begin_nested():
                followup_sql.start_measure(conn, assessment_id, measure.id, str(status) if status else None, at, by)
            return 1
        except IntegrityError:
            pass
    else:
        if followup_sql.advance_measure(conn, assessment_id, measure.id, seen, at, by,
                                        str(status) if status is not None else None):
            return seen + 1
    row = followup_sql.measure_changed_by(conn, assessment_id, measure.id)
    raise FollowUpConflict(f'"{measure.text[:60]}"', row.updated_by if row else "?", row.updated_at if row else "")


def set_status(store: Store, assessment_id: str, measure_id: str, revision: int, status: MeasureStatus | str,
               by: Actor | str) -> int:
    """Record the measure's status (planned, under way, done, dropped); returns its follow-up revision."""
    actor = actor_of(by)
    chosen = MeasureStatus(status)
    m, org = _measure(store, assessment_id, measure_id, actor)
    with store.writing() as conn:
        new = _advance(conn, assessment_id, m, revision, actor.name, chosen)
        record(conn, actor.name, "follow_up", assessment_id, org, f"measure {measure_id}: status {chosen.value}")
    return new


def add_note(store: Store, assessment_id: str, measure_id: str, revision: int, day: dt.date, words: str,
             by: Actor | str) -> int:
    """Add a dated note to the measure's follow-up; returns its follow-up revision."""
    actor = actor_of(by)
    words = _text(words, Term("workflow.note_label"))
    if not words:
        raise StorageError("note_empty")
    m, org = _measure(store, assessment_id, measure_id, actor)
    with store.writing() as conn:
        new = _advance(conn, assessment_id, m, revision, actor.name)
        nid = uuid.uuid4().hex[:12]
        followup_sql.insert_note(conn, nid, assessment_id, measure_id, day.isoformat(), words, actor.name, _now())
        record(conn, actor.name, "follow_up", assessment_id, org,
               f"measure {measure_id}: note {nid} of {day.isoformat()}")
    return new


def add_value(store: Store, assessment_id: str, measure_id: str, revision: int, day: dt.date, value: float,
              by: Actor | str, note: str = "") -> int:
    """Record a value of the measure's follow-up indicator on `day`; returns its follow-up revision."""
    actor = actor_of(by)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise StorageError("value_not_a_number")
    m, org = _measure(store, assessment_id, measure_id, actor)
    if not m.indicator.strip():
        raise StorageError("no_indicator")
    note = _text(note, Term("workflow.value_note_label"))
    with store.writing() as conn:
        new = _advance(conn, assessment_id, m, revision, actor.name)
        followup_sql.insert_value(conn, uuid.uuid4().hex[:12], assessment_id, measure_id, day.isoformat(),
                                  float(value), note, actor.name, _now())
        record(conn, actor.name, "follow_up", assessment_id, org,
               f"measure {measure_id}: value {float(value):g} on {day.isoformat()}")
    return new


# --- the review date -------------------------------------------------------------------------


def _effective(meta: dict, row: object | None) -> tuple[dt.date | None, str]:
    set_date = getattr(row, "review_date", None)
    if set_date:
        return dt.date.fromisoformat(set_date), "set"
    if meta.get("review_date"):
        return dt.date.fromisoformat(meta["review_date"]), "assessment"
    if meta.get("adopted_at"):
        return add_months(dt.date.fromisoformat(meta["adopted_at"]), REVIEW_AFTER_MONTHS), "adoption"
    return None, "none"


def schedule(store: Store, assessment_id: str) -> Schedule:
    """When the assessment is next to be reviewed, where that date comes from, and when it last was."""
    meta = store.load(assessment_id).assessment.metadata.model_dump(mode="json")
    with store.reading() as conn:
        row = followup_sql.schedule(conn, assessment_id)
    day, source = _effective(meta, row)
    return Schedule(assessment_id, day, dt.date.fromisoformat(row.reviewed_on) if row and row.reviewed_on else None,
                    row.reviewed_by if row else "", int(row.revision) if row else 0, source)


def _write_schedule(store: Store, assessment_id: str, revision: int, by: Actor | str, review_date: dt.date | None,
                    reviewed_on: dt.date | None = None) -> int:
    actor = actor_of(by)
    with store.reading() as conn:
        found = assessments_sql.head(conn, assessment_id)
    if found is None:
        raise NotFound("not_found", id=assessment_id)
    org = org_key(found.municipality)
    require(store, actor, Action.FOLLOW_UP, org)
    by = actor.name
    what = (f"review held {reviewed_on.isoformat()}, " if reviewed_on else "") + \
        f"next review {review_date.isoformat() if review_date else '-'}"
    at = _now()
    with store.writing() as conn:
        day = review_date.isoformat() if review_date else None
        held = reviewed_on.isoformat() if reviewed_on else None
        if revision == 0:
            try:
                with conn.begin_nested():
                    followup_sql.start_schedule(conn, assessment_id, day, held, by if reviewed_on else "", at, by)
                    record(conn, by, "follow_up", assessment_id, org, what)
                return 1
            except IntegrityError:
                pass
        else:
            if followup_sql.advance_schedule(conn, assessment_id, revision, day, held, at, by):
                record(conn, by, "follow_up", assessment_id, org, what)
                return revision + 1
        row = followup_sql.schedule_changed_by(conn, assessment_id)
    raise FollowUpConflict(Term("workflow.the_review_date"), row.updated_by if row else "?",
                           row.updated_at if row else "")


def set_review_date(store: Store, assessment_id: str, revision: int, day: dt.date, by: Actor | str) -> int:
    """Set when the assessment is next to be reviewed; `revision` is `Schedule.revision`."""
    return _write_schedule(store, assessment_id, revision, by, day)


def record_review(store: Store, assessment_id: str, revision: int, by: Actor | str, on: dt.date | None = None,
                  next_date: dt.date | None = None) -> int:
    """Record that the follow-up review was held `on` (today); the next one defaults to six months later."""
    held = on or dt.date.today()
    return _write_schedule(store, assessment_id, revision, by, next_date or add_months(held, REVIEW_AFTER_MONTHS),
                           held)


def due_reviews(store: Store, today: dt.date | None = None, within_days: int = 0,
                orgs: set[str] | None = None) -> list[DueReview]:
    """Adopted assessments whose review date has come (or comes within `within_days`), most overdue first.

    With `orgs` (`auth.visible_orgs`), only those of these organisations; None: every organisation."""
    day = today or dt.date.today()
    # The two dates are read inside the database, so the start page never parses
    # every adopted body in Python.
    with store.reading() as conn:
        schedules = followup_sql.review_dates(conn)
        rows = followup_sql.adopted_dates(conn)
    due = []
    for r in rows:
        if orgs is not None and org_key(r.municipality) not in orgs:
            continue
        meta = {"adopted_at": r.adopted_at, "review_date": r.review_date}
        review, _ = _effective(meta, schedules.get(r.id))
        if review is not None and review <= day + dt.timedelta(days=within_days):
            adopted = dt.date.fromisoformat(meta["adopted_at"]) if meta.get("adopted_at") else None
            due.append(DueReview(r.id, r.title, r.municipality, adopted, review, (day - review).days))
    return sorted(due, key=lambda d: (d.review_date, d.title))


# --- re-assessment -----------------------------------------------------------------------------


def reassess(store: Store, assessment_id: str, by: Actor | str) -> str:
    """A new draft copied from the adopted version, to assess again after implementation; returns its id.

    Writes an assessment, so it needs the author role in the assessment's organisation."""
    actor = actor_of(by)
    stored = store.load(assessment_id)
    org = org_key(stored.assessment.metadata.municipality)
    require(store, actor, Action.EDIT, org)
    if stored.assessment.metadata.status != Status.ADOPTED:
        raise StorageError("reassess_needs_adoption")
    new_id = store.copy_as_draft(assessment_id, actor.name, stored.revision)
    with store.writing() as conn:
        followup_sql.insert_reassessment(conn, new_id, assessment_id, stored.revision, _now(), actor.name)
        record(conn, actor.name, "copy", new_id, org, f"re-assessment of {assessment_id} version {stored.revision}")
    return new_id


def reassessed_from(store: Store, assessment_id: str) -> tuple[str, int] | None:
    """The adopted assessment and version a re-assessment started from, or None."""
    with store.reading() as conn:
        row = followup_sql.reassessment_source(conn, assessment_id)
    return (row.source_id, int(row.source_revision)) if row else None
