"""0003: review threads, follow-up of measures, stored reports.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades"). The DDL is written for SQLite and PostgreSQL;
where they differ each has its own text.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection

from assessment.store.migrations import FROZEN_MARK

revision = "0003_review_followup"
down_revision = "0002_search_text"
branch_labels = None
depends_on = None


def _run(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


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


def upgrade() -> None:
    _review_followup(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
