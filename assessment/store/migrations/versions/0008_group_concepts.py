"""0008: the portfolio adds groups up by concept.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades").

Groups were keyed by their id alone, so two checklists' "funktion" (disabled people, disabled
children) were added together. They are keyed by concept, else by checklist and id
(`portfolio.group_key`): the derived rows are emptied, and the next portfolio rescores them.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Connection


revision = "0008_group_concepts"
down_revision = "0007_append_only"
branch_labels = None
depends_on = None


def _group_concepts(conn: Connection) -> None:
    for table in ("scores", "score_areas", "score_heads", "score_labels"):
        conn.exec_driver_sql(f"DELETE FROM {table}")


def upgrade() -> None:
    _group_concepts(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
