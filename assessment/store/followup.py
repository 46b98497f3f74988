"""The follow-up's tables and queries: each measure's status and revision, its dated notes and indicator
values, the review date, and where a re-assessment came from (revision 0003). The rules (who may record,
what a value may be, when a review is due) are in `assessment/workflow/followup.py`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (Column, Connection, Double, ForeignKeyConstraint, ForeignKey, Index, Integer, String, Table,
                        Text, text)

from . import metadata
from . import assessments as _assessments  # noqa: F401 - the tables these refer to

followup_measures = Table(
    "followup_measures", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("measure_id", String(64), primary_key=True),
    Column("status", String(16)),
    Column("revision", Integer, nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", Text, nullable=False),
)

followup_notes = Table(
    "followup_notes", metadata,
    Column("id", String(64), primary_key=True),
    Column("assessment_id", String(64), nullable=False),
    Column("measure_id", String(64), nullable=False),
    Column("noted_on", String(10), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("at", String(40), nullable=False),
    ForeignKeyConstraint(["assessment_id", "measure_id"],
                         ["followup_measures.assessment_id", "followup_measures.measure_id"], ondelete="CASCADE"),
    Index("followup_notes_by_measure", "assessment_id", "measure_id"),
)

followup_values = Table(
    "followup_values", metadata,
    Column("id", String(64), primary_key=True),
    Column("assessment_id", String(64), nullable=False),
    Column("measure_id", String(64), nullable=False),
    Column("measured_on", String(10), nullable=False),
    Column("value", Double, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("author", Text, nullable=False),
    Column("at", String(40), nullable=False),
    ForeignKeyConstraint(["assessment_id", "measure_id"],
                         ["followup_measures.assessment_id", "followup_measures.measure_id"], ondelete="CASCADE"),
    Index("followup_values_by_measure", "assessment_id", "measure_id"),
)

followup_schedule = Table(
    "followup_schedule", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("review_date", String(10)),
    Column("reviewed_on", String(10)),
    Column("reviewed_by", Text, nullable=False, server_default=""),
    Column("revision", Integer, nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", Text, nullable=False),
)

reassessments = Table(
    "reassessments", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", String(64), nullable=False),
    Column("source_revision", Integer, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", Text, nullable=False),
)


# --- measures ---


def measure_heads(conn: Connection, assessment_id: str) -> list[Any]:
    return conn.execute(text("SELECT measure_id, status, revision, updated_at, updated_by FROM followup_measures "
                             "WHERE assessment_id = :id"), {"id": assessment_id}).all()


def notes(conn: Connection, assessment_id: str) -> list[Any]:
    """Every note of every measure, in date order."""
    return conn.execute(text("SELECT measure_id, noted_on, text, author FROM followup_notes "
                             "WHERE assessment_id = :id ORDER BY noted_on, at"), {"id": assessment_id}).all()


def values(conn: Connection, assessment_id: str) -> list[Any]:
    """Every indicator value of every measure, in date order."""
    return conn.execute(text("SELECT measure_id, measured_on, value, note, author FROM followup_values "
                             "WHERE assessment_id = :id ORDER BY measured_on, at"), {"id": assessment_id}).all()


def start_measure(conn: Connection, assessment_id: str, measure_id: str, status: str | None, at: str, by: str) -> None:
    """The measure's first follow-up revision; IntegrityError if someone recorded first."""
    conn.execute(text("INSERT INTO followup_measures (assessment_id, measure_id, status, revision, updated_at, "
                      "updated_by) VALUES (:id, :m, :st, 1, :t, :by)"),
                 {"id": assessment_id, "m": measure_id, "st": status, "t": at, "by": by})


def advance_measure(conn: Connection, assessment_id: str, measure_id: str, seen: int, at: str, by: str,
                    status: str | None) -> bool:
    """Move the measure's follow-up from `seen` to the next (and set `status` unless None); False if stale."""
    sets = ", status = :st" if status is not None else ""
    done = conn.execute(text(
        f"UPDATE followup_measures SET revision = :r, updated_at = :t, updated_by = :by{sets} "
        "WHERE assessment_id = :id AND measure_id = :m AND revision = :seen"),
        {"r": seen + 1, "t": at, "by": by, "st": status, "id": assessment_id, "m": measure_id, "seen": seen})
    return done.rowcount == 1


def measure_changed_by(conn: Connection, assessment_id: str, measure_id: str) -> Any:
    return conn.execute(text("SELECT updated_by, updated_at FROM followup_measures WHERE assessment_id = :id "
                             "AND measure_id = :m"), {"id": assessment_id, "m": measure_id}).one_or_none()


def insert_note(conn: Connection, note_id: str, assessment_id: str, measure_id: str, day: str, words: str, by: str,
                at: str) -> None:
    conn.execute(text("INSERT INTO followup_notes (id, assessment_id, measure_id, noted_on, text, author, at) "
                      "VALUES (:nid, :id, :m, :d, :text, :by, :t)"),
                 {"nid": note_id, "id": assessment_id, "m": measure_id, "d": day, "text": words, "by": by, "t": at})


def insert_value(conn: Connection, value_id: str, assessment_id: str, measure_id: str, day: str, value: float,
                 note: str, by: str, at: str) -> None:
    conn.execute(text(
        "INSERT INTO followup_values (id, assessment_id, measure_id, measured_on, value, note, author, at) "
        "VALUES (:vid, :id, :m, :d, :v, :note, :by, :t)"),
        {"vid": value_id, "id": assessment_id, "m": measure_id, "d": day, "v": value, "note": note, "by": by,
         "t": at})


# --- the review date ---


def schedule(conn: Connection, assessment_id: str) -> Any:
    return conn.execute(text("SELECT review_date, reviewed_on, reviewed_by, revision FROM followup_schedule "
                             "WHERE assessment_id = :id"), {"id": assessment_id}).one_or_none()


def start_schedule(conn: Connection, assessment_id: str, review_date: str | None, reviewed_on: str | None,
                   reviewed_by: str, at: str, by: str) -> None:
    """The schedule's first revision; IntegrityError if someone set it first."""
    conn.execute(text(
        "INSERT INTO followup_schedule (assessment_id, review_date, reviewed_on, reviewed_by, "
        "revision, updated_at, updated_by) VALUES (:id, :d, :on, :rby, 1, :t, :by)"),
        {"id": assessment_id, "d": review_date, "on": reviewed_on, "rby": reviewed_by, "t": at, "by": by})


def advance_schedule(conn: Connection, assessment_id: str, seen: int, review_date: str | None,
                     reviewed_on: str | None, at: str, by: str) -> bool:
    """Move the schedule from `seen` to the next (recording the review held when `reviewed_on`); False if stale."""
    keep = "reviewed_on = :on, reviewed_by = :by, " if reviewed_on else ""
    done = conn.execute(text(
        f"UPDATE followup_schedule SET review_date = :d, {keep}revision = :seen + 1, updated_at = :t, "
        "updated_by = :by WHERE assessment_id = :id AND revision = :seen"),
        {"id": assessment_id, "d": review_date, "on": reviewed_on, "by": by, "t": at, "seen": seen})
    return done.rowcount == 1


def schedule_changed_by(conn: Connection, assessment_id: str) -> Any:
    return conn.execute(text("SELECT updated_by, updated_at FROM followup_schedule WHERE assessment_id = :id"),
                        {"id": assessment_id}).one_or_none()


def review_dates(conn: Connection) -> dict[str, Any]:
    """The review date set for each assessment that has one, by assessment id."""
    return {r.assessment_id: r for r in conn.execute(text("SELECT assessment_id, review_date FROM followup_schedule"))}


def adopted_dates(conn: Connection) -> list[Any]:
    """Every adopted assessment's id, title, municipality, and the adoption and review dates its latest
    version states, read inside the database (so the start page never parses every adopted body)."""
    if conn.dialect.name == "postgresql":
        adopted_at, review_date = ("(v.body::json -> 'metadata' ->> 'adopted_at')",
                                   "(v.body::json -> 'metadata' ->> 'review_date')")
    else:
        adopted_at, review_date = ("json_extract(v.body, '$.metadata.adopted_at')",
                                   "json_extract(v.body, '$.metadata.review_date')")
    return conn.execute(text(
        f"SELECT a.id, a.title, a.municipality, {adopted_at} AS adopted_at, {review_date} AS review_date "
        "FROM assessments a JOIN versions v ON v.assessment_id = a.id AND v.revision = a.revision "
        "WHERE a.status = 'adopted'")).all()


# --- re-assessment ---


def insert_reassessment(conn: Connection, assessment_id: str, source_id: str, source_revision: int, at: str,
                        by: str) -> None:
    conn.execute(text("INSERT INTO reassessments (assessment_id, source_id, source_revision, created_at, "
                      "created_by) VALUES (:id, :src, :r, :t, :by)"),
                 {"id": assessment_id, "src": source_id, "r": source_revision, "t": at, "by": by})


def reassessment_source(conn: Connection, assessment_id: str) -> Any:
    return conn.execute(text("SELECT source_id, source_revision FROM reassessments WHERE assessment_id = :id"),
                        {"id": assessment_id}).one_or_none()
