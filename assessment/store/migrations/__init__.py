"""The database schema of the assessment store: Alembic revisions, shipped inside the package.

The schema's history is the revisions in `versions/` (one file each, applied in
order inside one transaction; Alembic records the current one in
`alembic_version`). A released revision is never edited: a change of schema is
a new revision after the last. Revisions 0001-0007 are the migrations of the
hand-written registry SKB had before Alembic, with the same names and the same
DDL, so a database made by that registry is recognised: its `skb_migrations`
rows say how far it got, Alembic is stamped there, and the rest applies (see
`env.py`, which `skb migrate`, the store's own start and `alembic upgrade` all
run through). `skb_migrations` stays beside `alembic_version`, one row per
revision applied, so that an SKB from before Alembic meets a newer schema with
its own message ("upgraded by a newer SKB") rather than misreading it, and so
that a running server can tell in one indexed read that the schema moved on
(`schema_mark`).

The DDL is written for both SQLite and PostgreSQL; where they differ (the
triggers that freeze an adopted assessment) each gets its own text. The
revisions must not know about the Assessment model: they move tables, and the
data they backfill is read as plain JSON.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from assessment.errors import StorageError

__all__ = ["FROZEN_MARK", "AUDIT_MARK", "VERSION_TABLE", "LEGACY_TABLE", "known", "current", "applied", "upgrade",
           "pending", "needs_upgrade", "schema_mark", "grant_app_role", "search_text", "newer_schema"]

# Every refusal raised by the database for an adopted assessment starts with
# this mark, so that the store can tell it from any other database error.
FROZEN_MARK = "skb-frozen"
AUDIT_MARK = "skb-audit"

VERSION_TABLE = "alembic_version"
LEGACY_TABLE = "skb_migrations"  # the hand-written registry's record, kept as a mirror (see above)
LOCK_KEY = 7240319  # PostgreSQL advisory lock: any constant unique to SKB


def search_text(metadata: dict[str, object]) -> str:
    """What `list(search=...)` matches: title, municipality, plan type and areas, casefolded.

    SQLite's lower() only folds ASCII, so "Örebro" would not find "örebro";
    folding in Python gives both databases the same answer (revision 0002 backfills with it)."""
    parts = [metadata.get("title"), metadata.get("municipality"), metadata.get("plan_type")]
    areas = metadata.get("areas")
    if isinstance(areas, list):
        parts.extend(areas)
    return " ".join(str(p) for p in parts if p).casefold()


# --- the revisions -------------------------------------------------------------------------------


def config(connection: Connection | None = None):  # type: ignore[no-untyped-def]
    """Alembic's configuration for SKB's revisions; with `connection`, migrations run on it, in its transaction."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def known() -> tuple[str, ...]:
    """The schema revisions this SKB knows, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config())
    return tuple(r.revision for r in reversed(list(script.walk_revisions())))


def newer_schema(name: str) -> StorageError:
    return StorageError("newer_schema", schema=name)


def _has_table(conn: Connection, name: str) -> bool:
    if conn.dialect.name == "postgresql":
        return conn.exec_driver_sql(f"SELECT to_regclass('{name}')").scalar() is not None
    return conn.exec_driver_sql(
        f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{name}'").first() is not None


def current(conn: Connection) -> str | None:
    """The schema revision of the database on `conn`, or None when it has no SKB schema. Reading only.

    Alembic's record where there is one, else the hand-written registry's last migration; but a revision
    this SKB does not know, in either, is what is returned (a newer SKB has been here)."""
    found: list[str] = []
    if _has_table(conn, VERSION_TABLE):
        found = list(conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalars())
        if len(found) > 1:
            raise StorageError("several_schemas", schemas=", ".join(found))
    legacy = conn.exec_driver_sql(f"SELECT max(name) FROM {LEGACY_TABLE}").scalar() \
        if _has_table(conn, LEGACY_TABLE) else None
    for mark in (*found, legacy):
        if mark is not None and mark not in known():
            return mark
    return found[0] if found else legacy


def applied(conn: Connection) -> list[str]:
    """The revisions the database has, oldest first."""
    now = current(conn)
    if now is None:
        return []
    if now not in known():
        raise newer_schema(now)
    return list(known()[:known().index(now) + 1])


def pending(engine: Engine) -> list[str]:
    """The revisions not yet applied (reading only: any role may ask). StorageError for a newer schema."""
    with engine.connect() as conn:
        return [name for name in known() if name not in applied(conn)]


def needs_upgrade(engine: Engine) -> bool:
    """Whether `upgrade` has anything to do: revisions pending, or a database of the hand-written registry
    still to be stamped for Alembic (reading only). StorageError for a newer schema."""
    with engine.connect() as conn:
        if [name for name in known() if name not in applied(conn)]:
            return True
        return not _has_table(conn, VERSION_TABLE) or \
            conn.exec_driver_sql(f"SELECT count(*) FROM {VERSION_TABLE}").scalar() == 0


def schema_mark(conn: Connection) -> str | None:
    """The last revision applied, as the legacy mirror records it: one indexed read, for a running server to
    notice that the schema moved on since it started."""
    return conn.exec_driver_sql(f"SELECT max(name) FROM {LEGACY_TABLE}").scalar()


def upgrade(engine: Engine | Connection, upto: str | None = None) -> list[str]:
    """Apply every revision not yet applied (or those up to and including `upto`); returns the names applied.

    One transaction. Two processes starting at once do not both migrate: SQLite
    takes the write lock at BEGIN IMMEDIATE (the store's engine), PostgreSQL an
    advisory lock (env.py), and the second finds the work done."""
    from alembic import command

    if upto is not None and upto not in known():
        raise ValueError(f"unknown migration {upto!r}")
    if isinstance(engine, Connection):
        return _upgrade(engine, upto, command)
    with engine.begin() as conn:
        return _upgrade(conn, upto, command)


def _upgrade(conn: Connection, upto: str | None, command) -> list[str]:  # type: ignore[no-untyped-def]
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
    before = applied(conn)
    if upto is not None and upto in before:
        return []
    command.upgrade(config(conn), upto or "head")
    return [name for name in applied(conn) if name not in before]


def grant_app_role(engine: Engine, role: str) -> None:
    """Let `role` read and write rows on PostgreSQL, and nothing more: it owns no table, so it cannot
    alter one, drop or switch off a trigger, or truncate (docs/storage.md). Run as the owner."""
    if engine.dialect.name != "postgresql":
        raise StorageError("roles_postgresql_only")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
        raise StorageError("role_name_invalid", role=repr(role))
    with engine.begin() as conn:
        for statement in (f'GRANT USAGE ON SCHEMA public TO "{role}"',
                          f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
                          f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'):
            conn.execute(text(statement))
