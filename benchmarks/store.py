"""Storage: autosave latency and portfolio aggregation, on SQLite and PostgreSQL.

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

from .context import Context, example_assessment, integrated_checklist, need_module
from .gen import fill_assessment, generate_checklist
from .harness import NotMeasured, Row, interleaved, repeat, scaled, stats

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


AUTHOR = "Bänk Märk"


def _autosave_samples(store: Any, a: Assessment, n: int) -> list[float]:
    revision = store.create(a, AUTHOR)
    edits = _edits(a)
    for crit, alt, ans in edits[:3]:  # warm the snapshot cache and the connection pool
        revision = store.save_answer(a.id, revision, crit, alt, ans, AUTHOR)
    samples = []
    for i in range(n):
        crit, alt, ans = edits[(i + 3) % len(edits)]
        ans = Answer(value=ans.value, comment=f"Ändrad bedömning nr {i}.")  # never a no-op
        start = time.perf_counter()
        revision = store.save_answer(a.id, revision, crit, alt, ans, AUTHOR)
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


# --- portfolio ----------------------------------------------------------------------------

PORTFOLIO_SIZE = 10_000
_EXAMPLES = ("grannskap-utbyggnad", "fritidsgard-nedlaggning", "ny-skola-detaljplan")
# Per table: the column holding the assessment id, and columns varied between the copies.
_CLONED = {
    # A copy starts as a draft so the freezing triggers let its version in; its status follows.
    "assessments": ("id", {"status": "'draft'", "municipality": "'Kommun ' || CAST(n.i % 12 AS TEXT)"}),
    # The body names its own id and municipality: the copy's, so that it loads and rescores as itself.
    "versions": ("assessment_id", {"body": "REPLACE(REPLACE(t.body, :old_id, :new_id || CAST(n.i AS TEXT) || '\"'), "
                                           ":old_mun, '\"municipality\":\"Kommun ' || CAST(n.i % 12 AS TEXT) || '\"')"}),
    "score_heads": ("assessment_id", {"municipality_key": "'kommun ' || CAST(n.i % 12 AS TEXT)"}),
    "scores": ("assessment_id", {}),
    "score_areas": ("assessment_id", {"area_key": "t.area_key || ' ' || CAST(n.i % 40 AS TEXT)",
                                      "area": "t.area || ' ' || CAST(n.i % 40 AS TEXT)"}),
}


def _seed_portfolio(store: Any, count: int) -> tuple[int, int]:
    """`count` assessments in the store, each with its derived portfolio rows.

    The three examples go in through the store and the portfolio's own refresh;
    the rest are copies of their rows made inside the database (an INSERT ... SELECT
    per table, with the municipality, title and district varied), because storing
    and rescoring 10,000 assessments one by one would take minutes and is not what
    is measured. Returns (assessments, score rows)."""
    from sqlalchemy import inspect, text

    from assessment.portfolio import refresh_scores

    bases = []
    municipalities = {}
    for name in _EXAMPLES:
        a = example_assessment(name)
        store.create(a, AUTHOR)
        bases.append(a.id)
        municipalities[a.id] = a.metadata.municipality
    refresh_scores(store)
    columns = {t: [c["name"] for c in inspect(store.engine).get_columns(t)] for t in _CLONED}
    per_base = [(count - len(bases)) // len(bases) + (1 if k < (count - len(bases)) % len(bases) else 0)
                for k in range(len(bases))]
    with store.writing() as conn:
        for base, copies in zip(bases, per_base):
            for table, (id_column, varied) in _CLONED.items():
                select = []
                for c in columns[table]:
                    if c == id_column:
                        select.append(f"t.{c} || '-' || CAST(n.i AS TEXT)")
                    else:
                        select.append(varied.get(c, f"t.{c}"))
                conn.execute(text(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :copies) "
                    f"INSERT INTO {table} ({', '.join(columns[table])}) SELECT {', '.join(select)} "
                    f"FROM {table} t CROSS JOIN n WHERE t.{id_column} = :base"),
                    {"copies": copies, "base": base, "old_id": json.dumps({"id": base}, separators=(",", ":"))[1:-1],
                     "new_id": f'"id":"{base}-', "old_mun": '"municipality":' + json.dumps(municipalities[base],
                                                                                        ensure_ascii=False)})
            conn.execute(text("UPDATE assessments SET status = (SELECT b.status FROM assessments b WHERE b.id = :base) "
                              "WHERE id LIKE :pattern"), {"base": base, "pattern": base + "-%"})
    with store.reading() as conn:
        heads = conn.execute(text("SELECT COUNT(*) FROM score_heads")).scalar_one()
        rows = conn.execute(text("SELECT COUNT(*) FROM scores")).scalar_one()
    if heads != count:
        raise RuntimeError(f"seeded {heads} assessments, not {count}")
    return heads, rows


def _floor_query(store: Any) -> None:
    from sqlalchemy import text

    with store.reading() as conn:
        conn.execute(text("SELECT framework, dim_key, AVG(value), COUNT(value) FROM scores WHERE kind = 'dimension' "
                          "GROUP BY framework, dim_key")).all()


def _portfolio_row(ctx: Context, dialect: str, url: str) -> Row:
    storage = need_module("assessment.storage", "the storage layer")
    module = need_module("assessment.portfolio", "the portfolio")
    from sqlalchemy import text

    store = storage.open_store(url)
    try:
        start = time.perf_counter()
        count, rows = _seed_portfolio(store, PORTFOLIO_SIZE)
        seeded = time.perf_counter() - start
        n = ctx.n(3, 1)
        ours, base = interleaved(lambda: module.portfolio(store), lambda: _floor_query(store), n)
        # What a stale score costs: mark 100 assessments as changed and let the portfolio rescore them.
        with store.writing() as conn:
            conn.execute(text("UPDATE score_heads SET revision = 0 WHERE assessment_id IN "
                              "(SELECT assessment_id FROM score_heads ORDER BY assessment_id LIMIT 100)"))
        start = time.perf_counter()
        refreshed = module.refresh_scores(store)
        per_stale = (time.perf_counter() - start) / max(refreshed, 1)
        filtered = stats(repeat(lambda: module.portfolio(store, module.PortfolioFilters(municipality="Kommun 3")), n))
    finally:
        store.close()
    o, b = stats(ours), stats(base)
    return Row(measure=f"Storage: portfolio aggregation over {count:,} assessments, {dialect}", unit="s",
               figures=scaled(o, 1.0), floor=scaled(b, 1.0),
               floor_name="one GROUP BY over the same score rows", samples=o.n,
               note=f"portfolio(store) with nothing stale; {rows:,} score rows; one municipality: median "
                    f"{filtered.median:.2f} s; a stale assessment costs {per_stale * 1000:.0f} ms to rescore "
                    f"(so {PORTFOLIO_SIZE:,} after a bulk import: ~{per_stale * PORTFOLIO_SIZE:.0f} s once); "
                    f"seeding took {seeded:.0f} s")


def portfolio_sqlite(ctx: Context) -> Row:
    d = ctx.subdir("portfolio-sqlite")
    return _portfolio_row(ctx, "SQLite", f"sqlite:///{d / 'skb.sqlite'}")


def portfolio_postgres(ctx: Context) -> Row:
    from .pg import postgres_url

    need_module("assessment.portfolio", "the portfolio")
    with postgres_url(ctx.tmp) as url:
        return _portfolio_row(ctx, "PostgreSQL", url)
