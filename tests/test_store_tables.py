"""The store owns its tables: each is defined once in its feature module (assessment/store/), exactly as the
Alembic revisions make it, and no code outside the store writes SQL.

The definitions are compared with a database the revisions built, on SQLite and PostgreSQL, by Alembic's own
comparison (what `alembic revision --autogenerate` would see): a revision that changes a table without its
definition, or the other way round, fails here. The scan reads every Python file outside the store (the app,
the core, the reports, the benchmarks and the tests) for SQL: a sqlalchemy construct imported, a raw statement
executed, or SQL written in a string. What writes SQL on purpose is named with its reason (SQL_ON_PURPOSE, the
tests that tamper or load in bulk; SQL_FLOORS, a benchmark's floor written directly against the driver)."""

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


# What may write SQL outside the store, each named with its reason. A test plays the attacker, the old version
# or the bulk loader on purpose; a benchmark's floor is the same work written directly against the driver.
SQL_ON_PURPOSE = {
    "tests/store_data.py": "reads every row of every table, so that two databases can be compared exactly",
    "tests/test_auth.py": "edits the audit log behind the store's back: the database refuses it",
    "tests/test_backup.py": "reads rows and disables a trigger to prove what a restore checks",
    "tests/test_faults_database.py": "a disk that fills up and a table that is missing, made in SQL",
    "tests/test_faults_old_data.py": "rows as an older SKB wrote them",
    "tests/test_portfolio.py": "200 assessments' rows in one bulk insert, as the store and refresh_scores write them",
    "tests/test_review.py": "edits a comment and a stored report behind the store's back: the chain sees it",
    "tests/test_schema_upgrades.py": "databases as each earlier schema left them",
    "tests/test_storage.py": "edits of a frozen assessment behind the store's back: the database refuses them",
    "tests/test_storage_kill.py": "counts the versions that survived a killed writer",
    "tests/test_storage_upgrade.py": "a database as the first schema left it",
    "tests/test_store_tables.py": "the scan's own examples of SQL",
    "tests/test_tamper.py": "tampering with rows, triggers and the hash chain: each is detected",
}
SQL_FLOORS = {  # (file, top-level name): why
    ("benchmarks/store.py", "_FLOOR_READ"): "the autosave floor's read, on its own tables (bench_head)",
    ("benchmarks/store.py", "_FLOOR_TABLES"): "the autosave floor's own tables, in their own database",
    ("benchmarks/store.py", "_SqliteSaves"): "the autosave floor: the store's read-modify-append for sqlite3",
    ("benchmarks/store.py", "_PostgresSaves"): "the autosave floor: the store's read-modify-append for psycopg",
    ("benchmarks/load.py", "Sampler"): "counts the server's connections in PostgreSQL's own pg_stat_activity",
}
SKIPPED_FOLDERS = {".venv", "node_modules", ".git"}


def _top_level_names(tree: ast.Module) -> list[tuple[int, int, set[str]]]:
    """(first line, last line, names) of each statement of a module: a def's or class's name, an assignment's
    targets."""
    spans = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = {node.name}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        else:
            names = set()
        spans.append((node.lineno, node.end_lineno or node.lineno, names))
    return spans


def sql_outside_the_store(relative: str, source: str) -> list[tuple[int, str]]:
    """What `source` (the file at `relative`) writes in SQL that no entry of SQL_FLOORS names."""
    spans = _top_level_names(ast.parse(source))
    return [(line, what) for line, what in sql_written(source)
            if not any(first <= line <= last and (relative, name) in SQL_FLOORS
                       for first, last, names in spans for name in names)]


def test_the_scan_lets_through_only_the_floor_it_names():
    source = ('_FLOOR_READ = "SELECT revision FROM bench_head"\n'
              'class _SqliteSaves:\n    def save(self):\n        self.c.execute("DELETE FROM bench_head")\n'
              'def _seed(conn):\n    conn.execute("UPDATE score_heads SET revision = 0")\n')
    assert [line for line, _ in sql_outside_the_store("benchmarks/store.py", source)] == [6]
    assert [line for line, _ in sql_outside_the_store("benchmarks/other.py", source)] == [1, 4, 6]


def _outside_the_store() -> list[Path]:
    """Every Python file of the project outside the store: the app, the core, the reports, the benchmarks,
    the deployment's helpers and the tests, but for those SQL_ON_PURPOSE names."""
    files = [f for f in sorted(ROOT.rglob("*.py"))
             if not SKIPPED_FOLDERS & set(f.relative_to(ROOT).parts[:-1])]
    return [f for f in files if not f.relative_to(ROOT).as_posix().startswith(STORE)
            and f.relative_to(ROOT).as_posix() not in SQL_ON_PURPOSE]


def test_the_scan_reads_the_benchmarks_and_the_tests():
    scanned = {f.relative_to(ROOT).as_posix() for f in _outside_the_store()}
    assert {"streamlit_app.py", "benchmarks/store.py", "benchmarks/load.py", "tests/conftest.py",
            "reports/document.py", "ui/i18n.py"} <= scanned
    assert not any(name.startswith(STORE) for name in scanned) and "assessment/store/auth.py" in scanned
    assert all((ROOT / name).is_file() for name in SQL_ON_PURPOSE)  # a named exception that no longer exists goes
    assert all((ROOT / name).is_file() for name, _ in SQL_FLOORS)


@pytest.mark.parametrize("path", _outside_the_store(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_code_outside_the_store_writes_sql(path: Path):
    found = sql_outside_the_store(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
    assert found == [], "call a function of assessment/store/ instead"
