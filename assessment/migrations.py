"""The database schema of the assessment store, as a short registry of named migrations.

Each migration is a function applied once, in order, inside one transaction,
and recorded by name in `skb_migrations`, so an upgraded installation keeps its
data (sqlite-utils style). A migration, once released, is never edited: a change
of schema is a new migration at the end of the list. Migration 1 is the first
schema exactly as it shipped. The DDL is written for both SQLite and PostgreSQL;
where they differ (the triggers that freeze an adopted assessment) each gets its
own text. This module must not know about the Assessment model: it moves tables,
and the data it backfills is read as plain JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from .errors import StorageError

__all__ = ["Migration", "MIGRATIONS", "FROZEN_MARK", "applied", "upgrade", "search_text"]

# Every refusal raised by the database for an adopted assessment starts with
# this mark, so that the store can tell it from any other database error.
FROZEN_MARK = "skb-frozen"


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[Connection], None]


# --- 0001: the first schema ----------------------------------------------------------

_FIRST_TABLES = [
    # One row per distinct checklist content: a snapshot is stored once, however
    # many assessments and versions answer it.
    """CREATE TABLE checklist_snapshots (
        hash VARCHAR(64) PRIMARY KEY,
        checklist_id VARCHAR(64) NOT NULL,
        version VARCHAR(32) NOT NULL,
        body TEXT NOT NULL,
        stored_at VARCHAR(40) NOT NULL
    )""",
    # The head of each assessment: what lists and searches need, and the
    # revision that optimistic concurrency compares against.
    """CREATE TABLE assessments (
        id VARCHAR(64) PRIMARY KEY,
        title TEXT NOT NULL,
        municipality TEXT NOT NULL DEFAULT '',
        status VARCHAR(16) NOT NULL DEFAULT 'draft',
        checklist_id VARCHAR(64) NOT NULL,
        checklist_version VARCHAR(32) NOT NULL,
        revision INTEGER NOT NULL,
        created_at VARCHAR(40) NOT NULL,
        created_by TEXT NOT NULL,
        updated_at VARCHAR(40) NOT NULL,
        updated_by TEXT NOT NULL
    )""",
    # Every saved version, append-only: the body is the assessment without its
    # checklist snapshot, which is referenced by hash.
    """CREATE TABLE versions (
        assessment_id VARCHAR(64) NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        saved_at VARCHAR(40) NOT NULL,
        author TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        changes TEXT NOT NULL DEFAULT '{}',
        status VARCHAR(16) NOT NULL,
        checklist_hash VARCHAR(64) NOT NULL REFERENCES checklist_snapshots(hash),
        body TEXT NOT NULL,
        PRIMARY KEY (assessment_id, revision)
    )""",
]

_SQLITE_FREEZE = [
    f"""CREATE TRIGGER assessments_adopted_no_update BEFORE UPDATE ON assessments
        WHEN OLD.status = 'adopted'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: the assessment is adopted (fastställd) and cannot change'); END""",
    f"""CREATE TRIGGER assessments_adopted_no_delete BEFORE DELETE ON assessments
        WHEN OLD.status = 'adopted'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: an adopted (fastställd) assessment cannot be deleted'); END""",
    f"""CREATE TRIGGER versions_adopted_no_insert BEFORE INSERT ON versions
        WHEN (SELECT status FROM assessments WHERE id = NEW.assessment_id) = 'adopted'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: the assessment is adopted (fastställd) and cannot change'); END""",
    f"""CREATE TRIGGER versions_never_update BEFORE UPDATE ON versions
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: a saved version is history and never changes'); END""",
    f"""CREATE TRIGGER versions_adopted_no_delete BEFORE DELETE ON versions
        WHEN (SELECT status FROM assessments WHERE id = OLD.assessment_id) = 'adopted'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: the history of an adopted assessment cannot be deleted'); END""",
]

_POSTGRES_FREEZE = [
    f"""CREATE FUNCTION skb_refuse_adopted() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_TABLE_NAME = 'assessments' THEN
            IF OLD.status = 'adopted' THEN
                RAISE EXCEPTION '{FROZEN_MARK}: the assessment is adopted (fastställd) and cannot change';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION '{FROZEN_MARK}: a saved version is history and never changes';
        END IF;
        IF TG_OP = 'INSERT' THEN
            IF EXISTS (SELECT 1 FROM assessments WHERE id = NEW.assessment_id AND status = 'adopted') THEN
                RAISE EXCEPTION '{FROZEN_MARK}: the assessment is adopted (fastställd) and cannot change';
            END IF;
            RETURN NEW;
        END IF;
        IF EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id AND status = 'adopted') THEN
            RAISE EXCEPTION '{FROZEN_MARK}: the history of an adopted assessment cannot be deleted';
        END IF;
        RETURN OLD;
    END
    $fn$""",
    """CREATE TRIGGER assessments_frozen BEFORE UPDATE OR DELETE ON assessments
        FOR EACH ROW EXECUTE FUNCTION skb_refuse_adopted()""",
    """CREATE TRIGGER versions_frozen BEFORE INSERT OR UPDATE OR DELETE ON versions
        FOR EACH ROW EXECUTE FUNCTION skb_refuse_adopted()""",
]


def _run(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


def _first_schema(conn: Connection) -> None:
    _run(conn, _FIRST_TABLES)
    _run(conn, _POSTGRES_FREEZE if conn.dialect.name == "postgresql" else _SQLITE_FREEZE)


# --- 0002: case-insensitive search that knows å, ä, ö ---------------------------------


def search_text(metadata: dict[str, object]) -> str:
    """What `list(search=...)` matches: title, municipality, plan type and areas, casefolded.

    SQLite's lower() only folds ASCII, so "Örebro" would not find "örebro";
    folding in Python gives both databases the same answer."""
    parts = [metadata.get("title"), metadata.get("municipality"), metadata.get("plan_type")]
    areas = metadata.get("areas")
    if isinstance(areas, list):
        parts.extend(areas)
    return " ".join(str(p) for p in parts if p).casefold()


def _search_text(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE assessments ADD COLUMN search_text TEXT NOT NULL DEFAULT ''")
    conn.exec_driver_sql("CREATE INDEX assessments_by_update ON assessments (updated_at)")
    # Adopted assessments are frozen by trigger; this backfill adds derived
    # search data only, so it lifts the freeze inside its own transaction.
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE assessments DISABLE TRIGGER assessments_frozen")
    else:
        conn.exec_driver_sql("DROP TRIGGER assessments_adopted_no_update")
    rows = conn.execute(text(
        "SELECT a.id, v.body FROM assessments a JOIN versions v "
        "ON v.assessment_id = a.id AND v.revision = a.revision")).all()
    for assessment_id, body in rows:
        metadata = json.loads(body).get("metadata", {})
        conn.execute(text("UPDATE assessments SET search_text = :s WHERE id = :id"),
                     {"s": search_text(metadata), "id": assessment_id})
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE assessments ENABLE TRIGGER assessments_frozen")
    else:
        conn.exec_driver_sql(_SQLITE_FREEZE[0])


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_first_schema", _first_schema),
    Migration("0002_search_text", _search_text),
)


# --- applying them -----------------------------------------------------------------------


def _ensure_registry(conn: Connection) -> None:
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS skb_migrations (name VARCHAR(100) PRIMARY KEY, applied_at VARCHAR(40) NOT NULL)")


def applied(conn: Connection) -> list[str]:
    """The names of the migrations recorded in the database, in the order they were applied."""
    _ensure_registry(conn)
    return [r[0] for r in conn.execute(text("SELECT name FROM skb_migrations ORDER BY name"))]


def upgrade(engine: Engine, upto: str | None = None) -> list[str]:
    """Apply every migration not yet recorded (or those up to and including `upto`).

    Returns the names applied now. Two processes starting at once do not both
    migrate: SQLite takes the write lock at BEGIN IMMEDIATE, PostgreSQL an
    advisory lock, and the second finds the work done."""
    known = [m.name for m in MIGRATIONS]
    if upto is not None and upto not in known:
        raise ValueError(f"unknown migration {upto!r}")
    done_now: list[str] = []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7240319)")  # any constant unique to SKB
        already = applied(conn)
        unknown = [name for name in already if name not in known]
        if unknown:
            raise StorageError(f"the database has been upgraded by a newer SKB (migration {unknown[0]}); "
                               "install that version of SKB to open it")
        for migration in MIGRATIONS:
            if migration.name not in already:
                migration.apply(conn)
                conn.execute(text("INSERT INTO skb_migrations (name, applied_at) VALUES (:n, :t)"),
                             {"n": migration.name, "t": dt.datetime.now(dt.timezone.utc).isoformat()})
                done_now.append(migration.name)
            if migration.name == upto:
                break
    return done_now
