"""0005: the portfolio's headline figures in score_heads, and a covering index.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades"). The DDL is written for SQLite and PostgreSQL;
where they differ each has its own text.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection


revision = "0005_scores_lookup"
down_revision = "0004_scores"
branch_labels = None
depends_on = None


def _run(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


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


def upgrade() -> None:
    _scores_lookup(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
