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

from sqlalchemy import MetaData

metadata = MetaData()
