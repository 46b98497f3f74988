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

__all__ = ["Migration", "MIGRATIONS", "FROZEN_MARK", "AUDIT_MARK", "applied", "upgrade", "pending", "grant_app_role",
           "search_text", "known", "current"]

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


# --- 0003: review threads, follow-up of measures, stored reports of adopted versions --------
#
# These live beside the frozen tables, not in them: a theme group goes on
# discussing a case and the sector goes on recording how its measures fare
# after the decision, while the adopted version itself never changes. Each
# table is keyed by assessment id (+ measure id), and carries its own revision
# for optimistic concurrency.

_REVIEW_FOLLOWUP_TABLES = [
    # One row per assessment that has a review thread: the thread's own revision.
    """CREATE TABLE review_threads (
        assessment_id VARCHAR(64) PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        updated_at VARCHAR(40) NOT NULL,
        updated_by TEXT NOT NULL
    )""",
    # Comments, replies and sign-offs; `on_revision` is the version of the
    # assessment the reviewer was looking at.
    """CREATE TABLE review_comments (
        id VARCHAR(64) PRIMARY KEY,
        assessment_id VARCHAR(64) NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        on_revision INTEGER NOT NULL,
        criterion VARCHAR(64),
        author TEXT NOT NULL,
        at VARCHAR(40) NOT NULL,
        text TEXT NOT NULL,
        reply_to VARCHAR(64),
        kind VARCHAR(16) NOT NULL
    )""",
    "CREATE INDEX review_comments_by_assessment ON review_comments (assessment_id, at)",
    # The follow-up of one measure: its current status (NULL: as in the assessment) and a revision.
    """CREATE TABLE followup_measures (
        assessment_id VARCHAR(64) NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        measure_id VARCHAR(64) NOT NULL,
        status VARCHAR(16),
        revision INTEGER NOT NULL,
        updated_at VARCHAR(40) NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (assessment_id, measure_id)
    )""",
    """CREATE TABLE followup_notes (
        id VARCHAR(64) PRIMARY KEY,
        assessment_id VARCHAR(64) NOT NULL,
        measure_id VARCHAR(64) NOT NULL,
        noted_on VARCHAR(10) NOT NULL,
        text TEXT NOT NULL,
        author TEXT NOT NULL,
        at VARCHAR(40) NOT NULL,
        FOREIGN KEY (assessment_id, measure_id) REFERENCES followup_measures (assessment_id, measure_id)
            ON DELETE CASCADE
    )""",
    "CREATE INDEX followup_notes_by_measure ON followup_notes (assessment_id, measure_id)",
    """CREATE TABLE followup_values (
        id VARCHAR(64) PRIMARY KEY,
        assessment_id VARCHAR(64) NOT NULL,
        measure_id VARCHAR(64) NOT NULL,
        measured_on VARCHAR(10) NOT NULL,
        value DOUBLE PRECISION NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL,
        at VARCHAR(40) NOT NULL,
        FOREIGN KEY (assessment_id, measure_id) REFERENCES followup_measures (assessment_id, measure_id)
            ON DELETE CASCADE
    )""",
    "CREATE INDEX followup_values_by_measure ON followup_values (assessment_id, measure_id)",
    # When the assessment is next to be reviewed (NULL: from the assessment, else six months
    # after adoption) and when it last was.
    """CREATE TABLE followup_schedule (
        assessment_id VARCHAR(64) PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
        review_date VARCHAR(10),
        reviewed_on VARCHAR(10),
        reviewed_by TEXT NOT NULL DEFAULT '',
        revision INTEGER NOT NULL,
        updated_at VARCHAR(40) NOT NULL,
        updated_by TEXT NOT NULL
    )""",
    # A re-assessment (a draft copied from an adopted version) and where it came from.
    """CREATE TABLE reassessments (
        assessment_id VARCHAR(64) PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
        source_id VARCHAR(64) NOT NULL,
        source_revision INTEGER NOT NULL,
        created_at VARCHAR(40) NOT NULL,
        created_by TEXT NOT NULL
    )""",
]

_REPORTS_TABLE = """CREATE TABLE adopted_reports (
        assessment_id VARCHAR(64) NOT NULL REFERENCES assessments(id),
        revision INTEGER NOT NULL,
        lang VARCHAR(8) NOT NULL,
        sha256 VARCHAR(64) NOT NULL,
        size INTEGER NOT NULL,
        pdf {blob} NOT NULL,
        stored_at VARCHAR(40) NOT NULL,
        stored_by TEXT NOT NULL,
        PRIMARY KEY (assessment_id, revision, lang)
    )"""

# The thread is kept: a comment, once posted, is never edited. A stored report is
# the evidence of what a decision used: never changed, never deleted.
_SQLITE_KEEP = [
    f"""CREATE TRIGGER review_comments_never_update BEFORE UPDATE ON review_comments
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: a posted comment is kept as it was written'); END""",
    f"""CREATE TRIGGER adopted_reports_never_update BEFORE UPDATE ON adopted_reports
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: the stored report of an adopted version never changes'); END""",
    f"""CREATE TRIGGER adopted_reports_never_delete BEFORE DELETE ON adopted_reports
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: the stored report of an adopted version cannot be deleted'); END""",
]

_POSTGRES_KEEP = [
    f"""CREATE FUNCTION skb_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_TABLE_NAME = 'review_comments' THEN
            RAISE EXCEPTION '{FROZEN_MARK}: a posted comment is kept as it was written';
        END IF;
        RAISE EXCEPTION '{FROZEN_MARK}: the stored report of an adopted version never changes';
    END
    $fn$""",
    """CREATE TRIGGER review_comments_kept BEFORE UPDATE ON review_comments
        FOR EACH ROW EXECUTE FUNCTION skb_refuse_change()""",
    """CREATE TRIGGER adopted_reports_kept BEFORE UPDATE OR DELETE ON adopted_reports
        FOR EACH ROW EXECUTE FUNCTION skb_refuse_change()""",
]


def _review_followup(conn: Connection) -> None:
    postgres = conn.dialect.name == "postgresql"
    _run(conn, _REVIEW_FOLLOWUP_TABLES)
    _run(conn, [_REPORTS_TABLE.format(blob="BYTEA" if postgres else "BLOB"),
                "CREATE INDEX adopted_reports_by_hash ON adopted_reports (sha256)"])
    _run(conn, _POSTGRES_KEEP if postgres else _SQLITE_KEEP)


# --- 0004: headline scores, denormalized for the portfolio -----------------------------
#
# Derived data, rebuilt from the versions whenever it is stale (the stored
# revision differs from the assessment's), so it needs no backfill here and is
# never frozen. `score_heads` holds what the portfolio filters on; `scores` one
# row per figure of each alternative; `score_labels` the names of the keys.

_SCORE_TABLES = [
    """CREATE TABLE score_heads (
        assessment_id VARCHAR(64) PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        primary_alt VARCHAR(64) NOT NULL,
        title TEXT NOT NULL,
        municipality_key TEXT NOT NULL DEFAULT '',
        plan_type_key TEXT NOT NULL DEFAULT '',
        plan_type TEXT NOT NULL DEFAULT '',
        dated VARCHAR(10) NOT NULL,
        checklist_id VARCHAR(64) NOT NULL
    )""",
    "CREATE INDEX score_heads_by_date ON score_heads (dated)",
    """CREATE TABLE score_areas (
        assessment_id VARCHAR(64) NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        area_key TEXT NOT NULL,
        area TEXT NOT NULL,
        PRIMARY KEY (assessment_id, area_key)
    )""",
    "CREATE INDEX score_areas_by_area ON score_areas (area_key)",
    """CREATE TABLE scores (
        assessment_id VARCHAR(64) NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        alternative VARCHAR(64) NOT NULL,
        kind VARCHAR(16) NOT NULL,
        framework VARCHAR(64) NOT NULL DEFAULT '',
        dim_key VARCHAR(64) NOT NULL DEFAULT '',
        grp VARCHAR(64) NOT NULL DEFAULT '',
        value DOUBLE PRECISION,
        coverage DOUBLE PRECISION
    )""",
    "CREATE INDEX scores_by_assessment ON scores (assessment_id, alternative)",
    "CREATE INDEX scores_by_kind ON scores (kind, framework, dim_key, grp)",
    """CREATE TABLE score_labels (
        kind VARCHAR(16) NOT NULL,
        framework VARCHAR(64) NOT NULL DEFAULT '',
        dim_key VARCHAR(64) NOT NULL,
        label_sv TEXT NOT NULL,
        label_en TEXT NOT NULL,
        PRIMARY KEY (kind, framework, dim_key)
    )""",
]


def _scores(conn: Connection) -> None:
    _run(conn, _SCORE_TABLES)


# --- 0005: the portfolio's headline figures in score_heads, and a covering index ---------


def _scores_lookup(conn: Connection) -> None:
    # The headline (overall score, coverage, equity gap) of each assessment is
    # read for every row of the portfolio; beside the filters it costs no join.
    for column in ("overall", "coverage", "gap_change"):
        conn.exec_driver_sql(f"ALTER TABLE score_heads ADD COLUMN {column} DOUBLE PRECISION")
    # Derived data: emptied so that the next portfolio rescores every assessment
    # and fills the new columns, rather than showing them empty.
    for table in ("scores", "score_areas", "score_heads"):
        conn.exec_driver_sql(f"DELETE FROM {table}")
    # Covering: the portfolio seeks (assessment, alternative, kind) and reads the
    # figure from the index itself, never the table.
    conn.exec_driver_sql("CREATE INDEX scores_lookup ON scores (assessment_id, alternative, kind, grp, framework, "
                         "dim_key, value, coverage)")


# --- 0006: people, their roles per organisation, and the audit log ---------------------
#
# `users` is everyone who has signed in or been granted a role: `name` is the key
# the roles and the history use (an e-mail address, a user name, or the OS user in
# local mode); `issuer`/`subject` bind it to the identity provider's account the
# first time that person signs in. `user_roles` holds one row per role per
# organisation ('*' for every organisation). `org_settings` holds an
# organisation's rules (today: whether an author may sign off their own work).
# `audit_log` is append-only: the database refuses to change or delete a row.

AUDIT_MARK = "skb-audit"

_PEOPLE_TABLES = [
    """CREATE TABLE users (
        name VARCHAR(254) PRIMARY KEY,
        display_name TEXT NOT NULL DEFAULT '',
        issuer TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        first_seen VARCHAR(40) NOT NULL,
        last_seen VARCHAR(40) NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE user_roles (
        name VARCHAR(254) NOT NULL,
        org VARCHAR(200) NOT NULL,
        role VARCHAR(16) NOT NULL,
        granted_at VARCHAR(40) NOT NULL,
        granted_by TEXT NOT NULL,
        PRIMARY KEY (name, org, role)
    )""",
    "CREATE INDEX user_roles_by_org ON user_roles (org, role)",
    """CREATE TABLE org_settings (
        org VARCHAR(200) NOT NULL,
        setting VARCHAR(64) NOT NULL,
        value TEXT NOT NULL,
        changed_at VARCHAR(40) NOT NULL,
        changed_by TEXT NOT NULL,
        PRIMARY KEY (org, setting)
    )""",
]

_AUDIT_COLUMNS = """
        at VARCHAR(40) NOT NULL,
        actor TEXT NOT NULL,
        action VARCHAR(32) NOT NULL,
        assessment_id VARCHAR(64),
        org VARCHAR(200) NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    )"""

_SQLITE_AUDIT = [
    "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT," + _AUDIT_COLUMNS,
    f"""CREATE TRIGGER audit_log_never_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, '{AUDIT_MARK}: the audit log is append-only'); END""",
    f"""CREATE TRIGGER audit_log_never_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, '{AUDIT_MARK}: the audit log is append-only'); END""",
]

_POSTGRES_AUDIT = [
    "CREATE TABLE audit_log (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY," + _AUDIT_COLUMNS,
    f"""CREATE FUNCTION skb_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        RAISE EXCEPTION '{AUDIT_MARK}: the audit log is append-only';
    END
    $fn$""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION skb_audit_append_only()""",
    # TRUNCATE fires no row trigger: a statement trigger refuses it too.
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION skb_audit_append_only()""",
]


def _people_and_audit(conn: Connection) -> None:
    postgres = conn.dialect.name == "postgresql"
    _run(conn, _PEOPLE_TABLES)
    _run(conn, _POSTGRES_AUDIT if postgres else _SQLITE_AUDIT)
    conn.exec_driver_sql("CREATE INDEX audit_by_assessment ON audit_log (assessment_id, id)")
    conn.exec_driver_sql("CREATE INDEX audit_by_actor ON audit_log (actor, id)")
# --- 0007: append-only history, and the hash chain that shows an edit made past the triggers ---
#
# What a decision rests on is written once: a checklist snapshot, a saved version,
# a post in the review thread (a sign-off among them), a stored report, a link of
# the integrity chain. The triggers below refuse to change or delete any of them
# while the assessment they belong to exists (deleting a draft, which cascades,
# still takes its history with it), and refuse a stored report for anything but
# the adopted version. On PostgreSQL only the tables' owner can switch a trigger
# off, so the application connects as a role that owns nothing (docs/storage.md);
# on SQLite whoever can write the file can do anything, and the chain
# (assessment/integrity.py, `skb verify`) is what shows it.

_CHAIN_TABLE = """CREATE TABLE integrity_chain (
        assessment_id VARCHAR(64) NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind VARCHAR(16) NOT NULL,
        ref VARCHAR(140) NOT NULL,
        digest VARCHAR(64) NOT NULL,
        alg VARCHAR(16) NOT NULL,
        link VARCHAR(64) NOT NULL,
        at VARCHAR(40) NOT NULL,
        PRIMARY KEY (assessment_id, seq)
    )"""

_KEPT_SV_EN = {
    "checklist_snapshots": "a stored checklist snapshot never changes",
    "versions": "a saved version is history and is never deleted",
    "review_comments": "a post in the review thread is kept as it was written",
    "integrity_chain": "the integrity chain is append-only",
}


def _sqlite_append_only() -> list[str]:
    out = []
    for table, why in _KEPT_SV_EN.items():
        owner = "" if table == "checklist_snapshots" else \
            "WHEN EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id) "
        out.append(f"""CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} {owner}
            BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: {why}'); END""")
        if table != "versions":  # versions_never_update (0001) already refuses every update
            out.append(f"""CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: {why}'); END""")
    out.append(f"""CREATE TRIGGER adopted_reports_only_adopted BEFORE INSERT ON adopted_reports
        WHEN NOT EXISTS (SELECT 1 FROM assessments WHERE id = NEW.assessment_id AND status = 'adopted'
                         AND revision = NEW.revision)
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: a report is stored only for the adopted version'); END""")
    return out


def _postgres_append_only() -> list[str]:
    out = [f"""CREATE FUNCTION skb_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NOT EXISTS (SELECT 1 FROM assessments WHERE id = NEW.assessment_id AND status = 'adopted'
                           AND revision = NEW.revision) THEN
                RAISE EXCEPTION '{FROZEN_MARK}: a report is stored only for the adopted version';
            END IF;
            RETURN NEW;
        END IF;
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME <> 'checklist_snapshots' THEN
            IF NOT EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id) THEN
                RETURN OLD;  -- a draft being deleted takes its history with it
            END IF;
        END IF;
        RAISE EXCEPTION USING MESSAGE = '{FROZEN_MARK}: ' || TG_ARGV[0];
    END
    $fn$"""]
    for table, why in _KEPT_SV_EN.items():
        ops = "DELETE" if table == "versions" else "UPDATE OR DELETE"
        out.append(f"""CREATE TRIGGER {table}_append_only BEFORE {ops} ON {table}
            FOR EACH ROW EXECUTE FUNCTION skb_append_only('{why}')""")
    out.append("""CREATE TRIGGER adopted_reports_only_adopted BEFORE INSERT ON adopted_reports
        FOR EACH ROW EXECUTE FUNCTION skb_append_only('')""")
    return out


def _append_only(conn: Connection) -> None:
    from .integrity import seal_all  # reads rows as plain JSON, like this module

    postgres = conn.dialect.name == "postgresql"
    _run(conn, [_CHAIN_TABLE, "CREATE INDEX integrity_chain_by_kind ON integrity_chain (assessment_id, kind, ref)"])
    # History written before the chain existed is sealed now, as it stands at the upgrade.
    seal_all(conn)
    _run(conn, _postgres_append_only() if postgres else _sqlite_append_only())


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_first_schema", _first_schema),
    Migration("0002_search_text", _search_text),
    Migration("0003_review_followup", _review_followup),
    Migration("0004_scores", _scores),
    Migration("0005_scores_lookup", _scores_lookup),
    Migration("0006_people_audit", _people_and_audit),
    Migration("0007_append_only", _append_only),
)


# --- applying them -----------------------------------------------------------------------


def _ensure_registry(conn: Connection) -> None:
    # The application's role may not create tables (docs/storage.md): on PostgreSQL even
    # CREATE ... IF NOT EXISTS asks for that right, so look first.
    if conn.dialect.name == "postgresql" and conn.exec_driver_sql(
            "SELECT to_regclass('skb_migrations')").scalar() is not None:
        return
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


def known() -> list[str]:
    """The schema revisions this SKB knows, oldest first."""
    return [m.name for m in MIGRATIONS]


def current(conn: Connection) -> str | None:
    """The schema revision of the database on `conn` (the last migration applied), or None when it has
    no SKB schema at all. Reading only."""
    if conn.dialect.name == "postgresql":
        exists = conn.exec_driver_sql("SELECT to_regclass('skb_migrations')").scalar() is not None
    else:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'skb_migrations'").first() is not None
    if not exists:
        return None
    return conn.execute(text("SELECT max(name) FROM skb_migrations")).scalar()


def pending(engine: Engine) -> list[str]:
    """The names of the migrations not yet applied (reading only: any role may ask)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            exists = conn.exec_driver_sql("SELECT to_regclass('skb_migrations')").scalar() is not None
        else:
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'skb_migrations'").first() is not None
        done = {r[0] for r in conn.execute(text("SELECT name FROM skb_migrations"))} if exists else set()
    unknown = sorted(done - {m.name for m in MIGRATIONS})
    if unknown:
        raise StorageError(f"the database has been upgraded by a newer SKB (migration {unknown[0]}); "
                           "install that version of SKB to open it")
    return [m.name for m in MIGRATIONS if m.name not in done]


def grant_app_role(engine: Engine, role: str) -> None:
    """Let `role` read and write rows on PostgreSQL, and nothing more: it owns no table, so it cannot
    alter one, drop or switch off a trigger, or truncate (docs/storage.md). Run as the owner."""
    import re

    if engine.dialect.name != "postgresql":
        raise StorageError("Roller finns bara i PostgreSQL.", "Roles exist only on PostgreSQL.")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
        raise StorageError(f"Ogiltigt rollnamn {role!r}.", f"Not a valid role name: {role!r}.")
    with engine.begin() as conn:
        for statement in (f'GRANT USAGE ON SCHEMA public TO "{role}"',
                          f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
                          f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'):
            conn.exec_driver_sql(statement)
