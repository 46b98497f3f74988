"""The assessments' own tables: snapshots, heads, versions, and the integrity chain (revisions 0001, 0002, 0007).

`assessment/storage.py` (the Store) writes and reads them; the functions here are what other
features need of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, ForeignKey, Index, Integer, String, Table, Text, text

from . import metadata

checklist_snapshots = Table(
    "checklist_snapshots", metadata,
    Column("hash", String(64), primary_key=True),
    Column("checklist_id", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("body", Text, nullable=False),
    Column("stored_at", String(40), nullable=False),
)

assessments = Table(
    "assessments", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("municipality", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="draft"),
    Column("checklist_id", String(64), nullable=False),
    Column("checklist_version", String(32), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", Text, nullable=False),
    Column("search_text", Text, nullable=False, server_default=""),
    Index("assessments_by_update", "updated_at"),
)

versions = Table(
    "versions", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("saved_at", String(40), nullable=False),
    Column("author", Text, nullable=False),
    Column("summary", Text, nullable=False, server_default=""),
    Column("changes", Text, nullable=False, server_default="{}"),
    Column("status", String(16), nullable=False),
    Column("checklist_hash", String(64), ForeignKey("checklist_snapshots.hash"), nullable=False),
    Column("body", Text, nullable=False),
)

integrity_chain = Table(
    "integrity_chain", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("ref", String(140), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("alg", String(16), nullable=False),
    Column("link", String(64), nullable=False),
    Column("at", String(40), nullable=False),
    Index("integrity_chain_by_kind", "assessment_id", "kind", "ref"),
)


def head(conn: Connection, assessment_id: str) -> Any:
    """The assessment's status, revision and municipality, or None."""
    return conn.execute(text("SELECT status, revision, municipality FROM assessments WHERE id = :id"),
                        {"id": assessment_id}).one_or_none()


def version_authors(conn: Connection, assessment_id: str) -> list[Any]:
    """Each version's revision, author and changes (JSON), in no order."""
    return conn.execute(text("SELECT revision, author, changes FROM versions WHERE assessment_id = :id"),
                        {"id": assessment_id}).all()
