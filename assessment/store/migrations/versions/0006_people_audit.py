"""0006: people, their roles per organisation, and the audit log.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades"). The DDL is written for SQLite and PostgreSQL;
where they differ each has its own text.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection

from assessment.store.migrations import AUDIT_MARK

revision = "0006_people_audit"
down_revision = "0005_scores_lookup"
branch_labels = None
depends_on = None


def _run(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


# --- 0006: people, their roles per organisation, and the audit log ---------------------
#
# `users` is everyone who has signed in or been granted a role: `name` is the key
# the roles and the history use (an e-mail address, a user name, or the OS user in
# local mode); `issuer`/`subject` bind it to the identity provider's account the
# first time that person signs in. `user_roles` holds one row per role per
# organisation ('*' for every organisation). `org_settings` holds an
# organisation's rules (today: whether an author may sign off their own work).
# `audit_log` is append-only: the database refuses to change or delete a row.


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


def upgrade() -> None:
    _people_and_audit(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
