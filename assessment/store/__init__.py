"""Layer 4, the store: the Store itself (storage), its schema's history (migrations), backup, the hash
chain (integrity), people and roles (auth), the audit log (audit) and a database away or full (outage);
and the feature modules, each holding its tables and the queries on them:

    assessments   checklist_snapshots, assessments, versions, integrity_chain
    review        review_threads, review_comments, adopted_reports
    followup      followup_measures, followup_notes, followup_values, followup_schedule, reassessments
    portfolio     score_heads, score_areas, scores, score_labels
    people        users, user_roles, org_settings, audit_log

Each table is defined once here as SQLAlchemy Core (`Table` on `metadata`), as the
Alembic revisions in `assessment/store/migrations/versions/` made it: a test compares the
two on SQLite and PostgreSQL (tests/test_store_tables.py), so a revision that changes
a table must change its definition here too. The queries are functions that take a
Connection from `Store.writing()` or `Store.reading()`, so they run inside the
caller's transaction (a review post, its seal and its audit event commit together).
Outside the store (`storage.py`, `backup.py`, `integrity.py`, `migrations/` and the feature
modules) no code writes SQL: it calls these functions.

This package must not import streamlit, and keeps no state.
"""

from typing import Any

from sqlalchemy import Connection, MetaData, Table, text

metadata = MetaData()


def copy_rows(conn: Connection, table: Table, key: str, base: str, copies: int, varied: dict[str, str],
              params: dict[str, Any] | None = None) -> None:
    """`copies` copies of the rows of `table` whose `key` is `base`, keyed `base-1` ... `base-N`, made inside the
    database by one INSERT ... SELECT. `varied` holds the SQL expression of each column that differs between the
    copies (`t` is the copied row, `n.i` the copy's number); `params` what those expressions bind. For filling a
    database with many rows fast: the feature modules' bulk copies (the portfolio benchmark) use it."""
    names = [c.name for c in table.columns]
    select = [f"t.{c} || '-' || CAST(n.i AS TEXT)" if c == key else varied.get(c, f"t.{c}") for c in names]
    conn.execute(text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :copies) "
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(select)} "
        f"FROM {table.name} t CROSS JOIN n WHERE t.{key} = :base"),
        {**(params or {}), "copies": copies, "base": base})
