"""The review's tables and queries: the thread's revision, its posts, and the reports stored at adoption
(revisions 0003, 0007). The rules (who may post, the bounds, the conflict message) are in
`assessment/workflow/review.py`; the append-only triggers in the revisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, ForeignKey, Index, Integer, LargeBinary, String, Table, Text, text

from . import metadata
from . import assessments as _assessments  # noqa: F401 - the tables these refer to

review_threads = Table(
    "review_threads", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", Text, nullable=False),
)

review_comments = Table(
    "review_comments", metadata,
    Column("id", String(64), primary_key=True),
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("on_revision", Integer, nullable=False),
    Column("criterion", String(64)),
    Column("author", Text, nullable=False),
    Column("at", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("reply_to", String(64)),
    Column("kind", String(16), nullable=False),
    Index("review_comments_by_assessment", "assessment_id", "at"),
)

adopted_reports = Table(
    "adopted_reports", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("lang", String(8), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("stored_at", String(40), nullable=False),
    Column("stored_by", Text, nullable=False),
    Index("adopted_reports_by_hash", "sha256"),
)


# --- the thread ---


def thread_revision(conn: Connection, assessment_id: str) -> int | None:
    """The thread's revision, or None when nobody has posted."""
    found = conn.execute(text("SELECT revision FROM review_threads WHERE assessment_id = :id"),
                         {"id": assessment_id}).scalar_one_or_none()
    return None if found is None else int(found)


def posts(conn: Connection, assessment_id: str) -> list[Any]:
    """Every post, oldest first."""
    return conn.execute(text(
        "SELECT id, criterion, author, at, text, reply_to, kind, on_revision FROM review_comments "
        "WHERE assessment_id = :id ORDER BY at, id"), {"id": assessment_id}).all()


def start_thread(conn: Connection, assessment_id: str, at: str, by: str) -> None:
    """The thread's first revision; IntegrityError if someone started it first."""
    conn.execute(text("INSERT INTO review_threads (assessment_id, revision, updated_at, updated_by) "
                      "VALUES (:id, 1, :t, :by)"), {"id": assessment_id, "t": at, "by": by})


def advance_thread(conn: Connection, assessment_id: str, seen: int, at: str, by: str) -> bool:
    """Move the thread from revision `seen` to the next; False if it is no longer at `seen`."""
    done = conn.execute(text("UPDATE review_threads SET revision = :r, updated_at = :t, updated_by = :by "
                             "WHERE assessment_id = :id AND revision = :seen"),
                        {"r": seen + 1, "t": at, "by": by, "id": assessment_id, "seen": seen})
    return done.rowcount == 1


def latest_authors(conn: Connection, assessment_id: str, n: int) -> list[str]:
    """The authors of the newest `n` posts, newest first."""
    return [r[0] for r in conn.execute(text("SELECT author FROM review_comments WHERE assessment_id = :id "
                                            "ORDER BY at DESC LIMIT :n"), {"id": assessment_id, "n": n})]


def thread_size(conn: Connection, assessment_id: str) -> tuple[int, int]:
    """How many posts the thread has, and how many characters of text together."""
    row = conn.execute(text("SELECT count(*) AS n, coalesce(sum(length(text)), 0) AS size FROM review_comments "
                            "WHERE assessment_id = :id"), {"id": assessment_id}).one()
    return int(row.n), int(row.size)


def insert_post(conn: Connection, row: dict[str, Any]) -> None:
    """One post: id, assessment_id, on_revision, criterion, author, at, text, reply_to, kind."""
    conn.execute(text(
        "INSERT INTO review_comments (id, assessment_id, on_revision, criterion, author, at, text, reply_to, "
        "kind) VALUES (:id, :assessment_id, :on_revision, :criterion, :author, :at, :text, :reply_to, :kind)"), row)


# --- stored reports ---


def insert_report(conn: Connection, row: dict[str, Any], pdf: bytes) -> None:
    """A report stored at adoption: assessment_id, revision, lang, sha256, size, stored_at, stored_by."""
    conn.execute(text(
        "INSERT INTO adopted_reports (assessment_id, revision, lang, sha256, size, pdf, stored_at, stored_by) "
        "VALUES (:assessment_id, :revision, :lang, :sha256, :size, :pdf, :stored_at, :stored_by)"),
        {**row, "pdf": pdf})


def reports(conn: Connection, assessment_id: str) -> list[Any]:
    """The stored reports without their bytes, oldest first."""
    return conn.execute(text(
        "SELECT revision, lang, sha256, size, stored_at, stored_by FROM adopted_reports "
        "WHERE assessment_id = :id ORDER BY stored_at"), {"id": assessment_id}).all()


def report_pdf(conn: Connection, assessment_id: str, revision: int, lang: str) -> bytes | None:
    row = conn.execute(text("SELECT pdf FROM adopted_reports WHERE assessment_id = :id AND revision = :r "
                            "AND lang = :lang"), {"id": assessment_id, "r": revision, "lang": lang}).one_or_none()
    return None if row is None else bytes(row.pdf)


def report_for_export(conn: Connection, assessment_id: str, revision: int, lang: str) -> Any:
    """The report of `revision` to carry in an export: the one in `lang` if stored, else the first stored."""
    return conn.execute(text(
        "SELECT lang, sha256, pdf FROM adopted_reports WHERE assessment_id = :id AND revision = :r "
        "ORDER BY CASE WHEN lang = :lang THEN 0 ELSE 1 END, stored_at LIMIT 1"),
        {"id": assessment_id, "r": revision, "lang": lang}).one_or_none()
