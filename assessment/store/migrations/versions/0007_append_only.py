"""0007: append-only history, and the hash chain.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades"). The DDL is written for SQLite and PostgreSQL;
where they differ each has its own text.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection

from assessment.store.integrity import seal_all
from assessment.store.migrations import FROZEN_MARK

revision = "0007_append_only"
down_revision = "0006_people_audit"
branch_labels = None
depends_on = None


def _run(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


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
# (assessment/store/integrity.py, `skb verify`) is what shows it.

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

    postgres = conn.dialect.name == "postgresql"
    _run(conn, [_CHAIN_TABLE, "CREATE INDEX integrity_chain_by_kind ON integrity_chain (assessment_id, kind, ref)"])
    # History written before the chain existed is sealed now, as it stands at the upgrade.
    seal_all(conn)
    _run(conn, _postgres_append_only() if postgres else _sqlite_append_only())


def upgrade() -> None:
    _append_only(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
