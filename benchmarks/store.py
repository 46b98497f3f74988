"""Storage: autosave latency (SQLite and PostgreSQL) and portfolio aggregation.

Autosave is timed as the wizard does it: `Store.save_answer` on an assessment
that is already answered throughout (the largest body a version row holds),
changing one rating at a time. The floor on SQLite is the same
read-modify-append done with the sqlite3 module directly (BEGIN IMMEDIATE, read
the head body, update the head, insert the version row, COMMIT) with the same
pragmas (WAL, synchronous=NORMAL): what any store must pay per change. On
PostgreSQL the floor is the same statements through psycopg.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assessment.model import Answer, Assessment

from .context import Context, integrated_checklist, need_module
from .gen import fill_assessment, generate_checklist
from .harness import NotMeasured, Row, scaled, stats

__all__ = ["autosave_sqlite", "autosave_postgres", "portfolio_sqlite", "portfolio_postgres"]


def _subject() -> tuple[Assessment, str]:
    try:
        checklist = integrated_checklist()
        note = f"integrated checklist ({len(checklist.criteria())} criteria), answered throughout"
    except NotMeasured:
        checklist = generate_checklist(60, 12)
        note = "generated 60-criterion checklist (the integrated one is not there yet), answered throughout"
    return fill_assessment(checklist, seed=3), note


def _edits(a: Assessment) -> list[tuple[str, str | None, Answer]]:
    """A cycle of rating changes on the rated questions, as a planner clicking through."""
    edits = []
    alternatives = a.checklist.alternative_ids()
    for crit in a.checklist.criteria():
        if crit.type.value == "impact":
            for i, v in enumerate((-1, 1, 2)):
                edits.append((crit.id, alternatives[i % len(alternatives)], Answer(value=v, comment="Ändrad bedömning.")))
    if not edits:
        raise NotMeasured("the checklist has no impact question to autosave")
    return edits


def _autosave_samples(store: Any, a: Assessment, n: int) -> list[float]:
    revision = store.create(a, "Bänk Märk")
    edits = _edits(a)
    for crit, alt, ans in edits[:3]:  # warm the snapshot cache and the connection pool
        revision = store.save_answer(a.id, revision, crit, alt, ans, "Bänk Märk")
    samples = []
    for i in range(n):
        crit, alt, ans = edits[(i + 3) % len(edits)]
        ans = Answer(value=ans.value, comment=f"Ändrad bedömning nr {i}.")  # never a no-op
        start = time.perf_counter()
        revision = store.save_answer(a.id, revision, crit, alt, ans, "Bänk Märk")
        samples.append(time.perf_counter() - start)
    return samples


def _sqlite_floor(path: Path, body: str, n: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE head (id TEXT PRIMARY KEY, revision INTEGER, updated_at TEXT)")
    conn.execute("CREATE TABLE versions (id TEXT, revision INTEGER, saved_at TEXT, body TEXT, "
                 "PRIMARY KEY (id, revision))")
    conn.execute("INSERT INTO head VALUES ('a', 0, '')")
    conn.execute("INSERT INTO versions VALUES ('a', 0, '', ?)", (body,))
    samples = []
    for i in range(n + 3):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        rev, current = conn.execute("SELECT h.revision, v.body FROM head h JOIN versions v ON v.id = h.id AND "
                                    "v.revision = h.revision WHERE h.id = 'a'").fetchone()
        data = json.loads(current)
        data["n"] = i
        conn.execute("UPDATE head SET revision = ?, updated_at = ? WHERE id = 'a' AND revision = ?",
                     (rev + 1, str(time.time()), rev))
        conn.execute("INSERT INTO versions VALUES ('a', ?, ?, ?)", (rev + 1, str(time.time()), json.dumps(data)))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    conn.close()
    return samples[3:]


def _postgres_floor(url: str, body: str, n: int) -> list[float]:
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    samples = []
    with psycopg.connect(conninfo) as conn:
        conn.execute("CREATE TABLE bench_head (id TEXT PRIMARY KEY, revision INTEGER, updated_at TEXT)")
        conn.execute("CREATE TABLE bench_versions (id TEXT, revision INTEGER, saved_at TEXT, body TEXT, "
                     "PRIMARY KEY (id, revision))")
        conn.execute("INSERT INTO bench_head VALUES ('a', 0, '')")
        conn.execute("INSERT INTO bench_versions VALUES ('a', 0, '', %s)", (body,))
        conn.commit()
        for i in range(n + 3):
            start = time.perf_counter()
            with conn.transaction():
                rev, current = conn.execute(
                    "SELECT h.revision, v.body FROM bench_head h JOIN bench_versions v ON v.id = h.id AND "
                    "v.revision = h.revision WHERE h.id = 'a' FOR UPDATE OF h").fetchone()
                data = json.loads(current)
                data["n"] = i
                conn.execute("UPDATE bench_head SET revision = %s, updated_at = %s WHERE id = 'a' AND revision = %s",
                             (rev + 1, str(time.time()), rev))
                conn.execute("INSERT INTO bench_versions VALUES ('a', %s, %s, %s)",
                             (rev + 1, str(time.time()), json.dumps(data)))
            samples.append(time.perf_counter() - start)
    return samples[3:]


def _body(a: Assessment) -> str:
    data = a.model_dump(mode="json", exclude_none=True)
    data.pop("checklist", None)
    return json.dumps(data, ensure_ascii=False)


def _row(measure: str, ours: list[float], base: list[float], floor_name: str, note: str) -> Row:
    o, b = stats(ours), stats(base)
    return Row(measure=measure, unit="ms", figures=scaled(o, 1000.0), floor=scaled(b, 1000.0), headline="p95",
               floor_name=floor_name, samples=o.n, note=note)


def autosave_sqlite(ctx: Context) -> Row:
    storage = need_module("assessment.storage", "the storage layer")
    a, note = _subject()
    n = ctx.n(300, 20)
    d = ctx.subdir("autosave-sqlite")
    store = storage.open_store(f"sqlite:///{d / 'skb.sqlite'}")
    try:
        ours = _autosave_samples(store, a, n)
    finally:
        store.close()
    base = _sqlite_floor(d / "floor.sqlite", _body(a), n)
    return _row("Storage: autosave latency, SQLite", ours, base,
                "sqlite3 directly: read head, update head, insert version, one transaction (WAL, synchronous=NORMAL)",
                f"{note}; {n} saves, file on the local disk")


def autosave_postgres(ctx: Context) -> Row:
    storage = need_module("assessment.storage", "the storage layer")
    from .pg import postgres_url

    a, note = _subject()
    n = ctx.n(300, 20)
    with postgres_url(ctx.tmp) as url:
        store = storage.open_store(url)
        try:
            ours = _autosave_samples(store, a, n)
        finally:
            store.close()
        base = _postgres_floor(url, _body(a), n)
    return _row("Storage: autosave latency, PostgreSQL", ours, base,
                "psycopg directly: the same read, update and insert in one transaction",
                f"{note}; {n} saves, local server on loopback with fsync on")


def _portfolio(storage: Any) -> Callable[..., Any]:
    fn = getattr(storage.Store, "portfolio", None) or getattr(storage, "portfolio", None)
    if fn is None:
        raise NotMeasured("there is no portfolio function in assessment.storage yet")
    return fn


def portfolio_sqlite(ctx: Context) -> Row:
    _portfolio(need_module("assessment.storage", "the storage layer"))
    raise NotMeasured("a portfolio function exists but this benchmark does not know its interface yet")


def portfolio_postgres(ctx: Context) -> Row:
    _portfolio(need_module("assessment.storage", "the storage layer"))
    raise NotMeasured("a portfolio function exists but this benchmark does not know its interface yet")
