"""The store owns its tables: each is defined once in its feature module (assessment/store/), exactly as the
Alembic revisions make it, and no code outside the store writes SQL.

The definitions are compared with a database the revisions built, on SQLite and PostgreSQL, by Alembic's own
comparison (what `alembic revision --autogenerate` would see): a revision that changes a table without its
definition, or the other way round, fails here. The scan reads every module of the app, the core and the
reports for SQL: a sqlalchemy construct imported, a raw statement executed, or SQL written in a string."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from assessment.store.migrations import LEGACY_TABLE, VERSION_TABLE
from assessment.store.storage import open_store
from assessment.store import assessments, followup, metadata, people, portfolio, review

ROOT = Path(__file__).resolve().parent.parent
FEATURES = {
    assessments: {"checklist_snapshots", "assessments", "versions", "integrity_chain"},
    review: {"review_threads", "review_comments", "adopted_reports"},
    followup: {"followup_measures", "followup_notes", "followup_values", "followup_schedule", "reassessments"},
    portfolio: {"score_heads", "score_areas", "scores", "score_labels"},
    people: {"users", "user_roles", "org_settings", "audit_log"},
}
# The store: the Store itself, its feature modules, the schema's revisions, backups, and the hash chain
# (which seals and checks rows inside the store's own transactions).
# The files that may write SQL. The store's layer (assessment/store/) also holds people and roles, the audit
# log and the outage rules, which call the feature modules like everyone else: they are checked too.
STORE = tuple(f"assessment/store/{name}" for name in (
    "__init__.py", "storage.py", "backup.py", "integrity.py", "migrations/",
    "assessments.py", "review.py", "followup.py", "portfolio.py", "people.py"))


def test_each_feature_module_defines_its_own_tables_and_every_table_has_one_home():
    for module, tables in FEATURES.items():
        defined = {name for name, value in vars(module).items() if getattr(value, "name", None) in tables}
        assert {getattr(module, n).name for n in defined} == tables, module.__name__
    assert set(metadata.tables) == set().union(*FEATURES.values())


def _sqlite_cannot_tell(diff) -> bool:  # type: ignore[no-untyped-def]
    """What SQLite's reflection cannot show, so cannot be compared there (PostgreSQL compares it):
    a text primary key declared without NOT NULL reads as nullable (SQLite lets it hold NULL), DOUBLE
    PRECISION reads as REAL, and an inline REFERENCES ... ON DELETE CASCADE reads without its ON DELETE."""
    if isinstance(diff, list):
        return all(d[0] == "modify_nullable" and d[5] is True and d[6] is False or
                   d[0] == "modify_type" and str(d[5]) == "REAL" and str(d[6]).startswith("DOUBLE") for d in diff)
    if diff[0] in ("add_fk", "remove_fk"):
        return True  # checked below, without ON DELETE
    return False


def _fk_keys(fks, with_ondelete: bool) -> set[tuple]:  # type: ignore[no-untyped-def]
    return {(fk.parent.name, tuple(fk.column_keys), tuple(e.target_fullname for e in fk.elements),
             fk.ondelete if with_ondelete else None) for fk in fks}


def test_the_definitions_are_the_tables_the_revisions_make(database_url: str):
    open_store(database_url).close()
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, metadata)
                     if not (not isinstance(d, list) and d[0] == "remove_table"
                             and d[1].name in (VERSION_TABLE, LEGACY_TABLE))]
    finally:
        engine.dispose()
    if database_url.startswith("sqlite"):
        added = _fk_keys([d[1] for d in diffs if not isinstance(d, list) and d[0] == "add_fk"], False)
        removed = _fk_keys([d[1] for d in diffs if not isinstance(d, list) and d[0] == "remove_fk"], False)
        assert added == removed  # the same references, told apart only by the ON DELETE SQLite does not show
        diffs = [d for d in diffs if not _sqlite_cannot_tell(d)]
    assert diffs == []


SQL_IN_TEXT = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|"
                         r"TRIGGER)|ALTER\s+TABLE|DROP\s+(TABLE|TRIGGER))\b", re.S)
SQL_NAMES = {"text", "select", "insert", "update", "delete", "Table", "Column"}


def sql_written(source: str) -> list[tuple[int, str]]:
    """Where `source` writes SQL: a statement in a string, a sqlalchemy construct imported, a raw execution."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_IN_TEXT.search(node.value):
            found.append((node.lineno, node.value[:60]))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found.extend((node.lineno, f"from {node.module} import {a.name}") for a in node.names
                         if a.name in SQL_NAMES)
        elif isinstance(node, ast.Attribute) and node.attr == "exec_driver_sql":
            found.append((node.lineno, "exec_driver_sql"))
    return sorted(found)


def test_the_scan_sees_sql_in_each_form_it_takes():
    source = ('from sqlalchemy import text, Connection\n'
              'conn.execute(text("SELECT a FROM assessments WHERE id = :id"))\n'
              'conn.exec_driver_sql("ANALYZE scores")\n'
              'words = "Select the assessment from the list"\n')
    assert [line for line, _ in sql_written(source)] == [1, 2, 3]


def _outside_the_store() -> list[Path]:
    files = [ROOT / "streamlit_app.py"]
    for folder in ("assessment", "reports", "ui"):
        files.extend(sorted((ROOT / folder).rglob("*.py")))
    return [f for f in files if not f.relative_to(ROOT).as_posix().startswith(STORE)]


@pytest.mark.parametrize("path", _outside_the_store(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_code_outside_the_store_writes_sql(path: Path):
    assert sql_written(path.read_text(encoding="utf-8")) == [], "call a function of assessment/store/ instead"
