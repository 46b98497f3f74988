"""0004: headline scores, denormalized for the portfolio.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades"). The DDL is written for SQLite and PostgreSQL;
where they differ each has its own text.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection


revision = "0004_scores"
down_revision = "0003_review_followup"
branch_labels = None
depends_on = None


def _run(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


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


def upgrade() -> None:
    _scores(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
