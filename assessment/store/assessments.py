"""The assessments' own tables: snapshots, heads, versions, and the integrity chain (revisions 0001, 0002, 0007).

The queries the Store (`assessment/store/storage.py`: autosave, history, adoption, import, export) and the
other features run on them. The chain's rows are written and checked by `assessment/store/integrity.py`."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Column, Connection, ForeignKey, Index, Integer, String, Table, Text, text

from . import copy_rows, metadata

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


# --- checklist snapshots ---


def snapshot_stored(conn: Connection, digest: str) -> bool:
    return conn.execute(text("SELECT 1 FROM checklist_snapshots WHERE hash = :h"), {"h": digest}).first() is not None


def insert_snapshot(conn: Connection, digest: str, checklist_id: str, version: str, body: str, at: str) -> None:
    """A checklist's content, once per hash (a second insert of the same hash does nothing)."""
    conn.execute(text(
        "INSERT INTO checklist_snapshots (hash, checklist_id, version, body, stored_at) "
        "VALUES (:h, :c, :v, :b, :t) ON CONFLICT (hash) DO NOTHING"),
        {"h": digest, "c": checklist_id, "v": version, "b": body, "t": at})


def snapshot_body(conn: Connection, digest: str) -> str:
    """The stored checklist content (JSON) of `digest`; it must exist (a version names it)."""
    return conn.execute(text("SELECT body FROM checklist_snapshots WHERE hash = :h"), {"h": digest}).one()[0]


# --- heads and versions ---


def latest(conn: Connection, assessment_id: str) -> Any:
    """The head and its latest version: revision, status, updated_at, updated_by, body, checklist_hash; or None."""
    return conn.execute(text(
        "SELECT a.revision, a.status, a.updated_at, a.updated_by, v.body, v.checklist_hash "
        "FROM assessments a JOIN versions v ON v.assessment_id = a.id AND v.revision = a.revision "
        "WHERE a.id = :id"), {"id": assessment_id}).one_or_none()


def version_body(conn: Connection, assessment_id: str, revision: int) -> Any:
    """The body and checklist hash of one version, or None."""
    return conn.execute(text("SELECT body, checklist_hash FROM versions WHERE assessment_id = :id "
                             "AND revision = :r"), {"id": assessment_id, "r": revision}).one_or_none()


def versions_after(conn: Connection, assessment_id: str, revision: int = 0) -> list[Any]:
    """Revision, saved_at, author, summary, status and changes of each version after `revision`, oldest first."""
    return conn.execute(text(
        "SELECT revision, saved_at, author, summary, status, changes FROM versions "
        "WHERE assessment_id = :id AND revision > :r ORDER BY revision"),
        {"id": assessment_id, "r": revision}).all()


def insert_version(conn: Connection, row: dict[str, Any]) -> None:
    """assessment_id, revision, saved_at, author, summary, changes, status, checklist_hash, body."""
    conn.execute(text(
        "INSERT INTO versions (assessment_id, revision, saved_at, author, summary, changes, status, "
        "checklist_hash, body) VALUES (:assessment_id, :revision, :saved_at, :author, :summary, :changes, "
        ":status, :checklist_hash, :body)"), row)


def insert_head(conn: Connection, assessment_id: str, title: str, municipality: str, status: str,
                checklist_id: str, checklist_version: str, at: str, by: str, search: str) -> None:
    """A new assessment's head, at revision 1."""
    conn.execute(text(
        "INSERT INTO assessments (id, title, municipality, status, checklist_id, checklist_version, revision, "
        "created_at, created_by, updated_at, updated_by, search_text) "
        "VALUES (:id, :title, :mun, :st, :cid, :cv, 1, :t, :by, :t, :by, :q)"),
        {"id": assessment_id, "title": title, "mun": municipality, "st": status, "cid": checklist_id,
         "cv": checklist_version, "t": at, "by": by, "q": search})


def advance_head(conn: Connection, assessment_id: str, base: int, at: str, by: str,
                 extra: dict[str, Any] | None = None) -> bool:
    """Move the head from revision `base` to the next (setting the columns in `extra`); False if it is no longer
    at `base`. The revision in the WHERE clause is the optimistic lock: on PostgreSQL another session may have
    committed since the head was read."""
    sets = ", ".join(f"{k} = :{k}" for k in (extra or {}))
    result = conn.execute(text(
        f"UPDATE assessments SET revision = :r, updated_at = :t, updated_by = :by{', ' + sets if sets else ''} "
        "WHERE id = :id AND revision = :base"),
        {"r": base + 1, "t": at, "by": by, "id": assessment_id, "base": base, **(extra or {})})
    return result.rowcount == 1


def mark_adopted(conn: Connection, assessment_id: str) -> None:
    """Set the head adopted: from then on the database's triggers refuse any change."""
    conn.execute(text("UPDATE assessments SET status = 'adopted' WHERE id = :id"), {"id": assessment_id})


def delete(conn: Connection, assessment_id: str) -> None:
    """Delete the head; its history goes with it by cascade."""
    conn.execute(text("DELETE FROM assessments WHERE id = :id"), {"id": assessment_id})


def bodies_with_provenance(conn: Connection, ids: list[str] | None = None) -> list[Any]:
    """(id, body) of the latest version of each assessment whose body holds a provenance (of `ids` only)."""
    only = f" AND a.id IN ({', '.join(f':i{n}' for n in range(len(ids)))})" if ids else ""
    return conn.execute(text(
        "SELECT a.id, v.body FROM assessments a JOIN versions v ON v.assessment_id = a.id "
        "AND v.revision = a.revision WHERE v.body LIKE :pattern" + only),
        {"pattern": '%"provenance":%', **{f"i{n}": i for n, i in enumerate(ids or [])}}).all()


def summaries(conn: Connection, search: str | None = None, status: str | None = None) -> list[Any]:
    """Each head, most recently changed first; `search` (casefolded) is found in the search text."""
    clauses, params = [], {}
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("search_text LIKE :q ESCAPE '\\'")
        params["q"] = f"%{escaped}%"
    if status:
        clauses.append("status = :status")
        params["status"] = status
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return conn.execute(text(
        "SELECT id, title, municipality, status, checklist_id, checklist_version, revision, created_at, "
        f"created_by, updated_at, updated_by FROM assessments {where} ORDER BY updated_at DESC, id"), params).all()


def bulk_copies(conn: Connection, base: str, copies: int, municipalities: int, named: str) -> None:
    """`copies` copies of assessment `base`, head and versions, made inside the database: `base-1` ...
    `base-N`, the copy numbered i in municipality `named` followed by i % `municipalities`, each body naming its own id and
    municipality so that it loads and rescores as itself. A copy goes in as a draft (the freezing triggers let
    its versions in) and then takes the status of `base`. The copies are not sealed in the integrity chain: this
    fills a database for measuring (the portfolio benchmark), never a municipality's."""
    head = conn.execute(text("SELECT municipality, status FROM assessments WHERE id = :id"), {"id": base}).one()
    municipality = ":named || CAST(n.i % :municipalities AS TEXT)"
    copy_rows(conn, assessments, "id", base, copies, {"status": "'draft'", "municipality": municipality},
              {"municipalities": municipalities, "named": named})
    copy_rows(conn, versions, "assessment_id", base, copies, {
        "body": "REPLACE(REPLACE(t.body, :old_id, :new_id || CAST(n.i AS TEXT) || '\"'), :old_mun, "
                "'\"municipality\":' || :named_json || CAST(n.i % :municipalities AS TEXT) || '\"')"},
              {"municipalities": municipalities, "named_json": json.dumps(named, ensure_ascii=False)[:-1],
               "old_id": json.dumps({"id": base}, separators=(",", ":"))[1:-1],
               "new_id": f'"id":"{base}-',
               "old_mun": '"municipality":' + json.dumps(head.municipality, ensure_ascii=False)})
    conn.execute(text("UPDATE assessments SET status = :status WHERE id LIKE :pattern"),
                 {"status": head.status, "pattern": base + "-%"})
