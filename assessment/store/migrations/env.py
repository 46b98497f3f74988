"""How Alembic runs SKB's revisions, for every caller alike: the store as it opens a database,
`skb migrate`, `skb restore`, and `alembic upgrade head` run by hand with a configuration
whose script_location is `assessment:store/migrations`.

On the connection it is given (`config.attributes["connection"]`, inside the caller's
transaction), else on `sqlalchemy.url` or SKB's own setting in one transaction of its own:
1. PostgreSQL: take SKB's advisory lock, so that two servers starting at once migrate once;
2. refuse a schema newer than this SKB knows;
3. recognise a database made by the hand-written registry SKB had before Alembic: its
   `skb_migrations` rows must be the first revisions in order, and Alembic is stamped at the last;
4. apply the revisions after the current one, recording each in `skb_migrations` as well.

Offline SQL (`alembic upgrade --sql`) is not offered: revisions 0002 and 0007 read and
rewrite rows as they migrate.
"""

from __future__ import annotations

import datetime as dt

from alembic import context
from sqlalchemy import Connection, create_engine, text

from assessment.errors import StorageError
from assessment.store.migrations import LEGACY_TABLE, LOCK_KEY, VERSION_TABLE, _has_table, known, newer_schema
from assessment.store.storage import MIGRATION_ENV, _normalise_url, default_url


def _ensure_legacy_table(conn: Connection) -> None:
    if not _has_table(conn, LEGACY_TABLE):
        conn.exec_driver_sql(f"CREATE TABLE {LEGACY_TABLE} (name VARCHAR(100) PRIMARY KEY, "
                             "applied_at VARCHAR(40) NOT NULL)")


def _legacy_names(conn: Connection) -> list[str]:
    return sorted(conn.exec_driver_sql(f"SELECT name FROM {LEGACY_TABLE}").scalars())


def _record(ctx, step, heads, run_args) -> None:  # type: ignore[no-untyped-def]
    """After each revision: its name in `skb_migrations` too (the fence an SKB from before Alembic reads)."""
    if not step.is_upgrade:
        return
    conn = ctx.connection
    for name in step.up_revision_ids:
        if conn.execute(text(f"SELECT 1 FROM {LEGACY_TABLE} WHERE name = :n"), {"n": name}).first() is None:
            conn.execute(text(f"INSERT INTO {LEGACY_TABLE} (name, applied_at) VALUES (:n, :t)"),
                         {"n": name, "t": dt.datetime.now(dt.timezone.utc).isoformat()})


def run(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
    has_version = _has_table(conn, VERSION_TABLE)
    if has_version:
        for name in conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalars():
            if name not in known():
                raise newer_schema(name)
    _ensure_legacy_table(conn)
    legacy = _legacy_names(conn)
    unknown = [n for n in legacy if n not in known()]
    if unknown:
        raise newer_schema(unknown[-1])
    context.configure(connection=conn, target_metadata=None, transaction_per_migration=False,
                      version_table=VERSION_TABLE, on_version_apply=_record)
    migration = context.get_context()
    if legacy and not migration.get_current_heads():
        # A database of the hand-written registry: it applied its migrations in order, always.
        if legacy != list(known()[:len(legacy)]):
            raise StorageError("legacy_migrations_unknown", names=", ".join(legacy))
        migration.stamp(context.script, legacy[-1])
    with context.begin_transaction():
        context.run_migrations()
    if conn.dialect.name == "postgresql":
        # Which schema the database has is no secret, and every role SKB runs as must read it: the app's
        # role too, which owns nothing and may not have been granted a table the owner just made.
        conn.exec_driver_sql(f"GRANT SELECT ON {VERSION_TABLE}, {LEGACY_TABLE} TO PUBLIC")


def main() -> None:
    if context.is_offline_mode():
        raise SystemExit("SKB's revisions read and rewrite rows as they migrate: run them online (skb migrate)")
    given = context.config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    import os


    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get(MIGRATION_ENV, "").strip() \
        or default_url()
    engine = create_engine(_normalise_url(url))
    try:
        with engine.begin() as connection:
            run(connection)
    finally:
        engine.dispose()


try:
    context.config  # noqa: B018 - set only while Alembic runs this file
except (NameError, AttributeError):
    pass  # imported outside Alembic (a scan of the package): nothing to run
else:
    main()
