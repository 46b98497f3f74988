"""0002: case-insensitive search that knows å, ä, ö.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades"). The DDL is written for SQLite and PostgreSQL;
where they differ each has its own text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection, text

from assessment.store.migrations import FROZEN_MARK, search_text

revision = "0002_search_text"
down_revision = "0001_first_schema"
branch_labels = None
depends_on = None


def _run(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


# --- 0002: case-insensitive search that knows å, ä, ö ---------------------------------


# 0001's trigger, as it shipped: lifted for the backfill below and put back after it.
_SQLITE_FREEZE_UPDATE = f"""CREATE TRIGGER assessments_adopted_no_update BEFORE UPDATE ON assessments
        WHEN OLD.status = 'adopted'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MARK}: the assessment is adopted (fastställd) and cannot change'); END"""


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
        conn.exec_driver_sql(_SQLITE_FREEZE_UPDATE)


def upgrade() -> None:
    _search_text(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
