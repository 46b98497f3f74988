"""0001: the first schema, exactly as it shipped.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades"). The DDL is written for SQLite and PostgreSQL;
where they differ each has its own text.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection

from assessment.store.migrations import FROZEN_MARK

revision = "0001_first_schema"
down_revision = None
branch_labels = None
depends_on = None


def _run(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


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


def _first_schema(conn: Connection) -> None:
    _run(conn, _FIRST_TABLES)
    _run(conn, _POSTGRES_FREEZE if conn.dialect.name == "postgresql" else _SQLITE_FREEZE)


def upgrade() -> None:
    _first_schema(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
