"""Storage: autosave latency and portfolio aggregation, on SQLite and PostgreSQL.

Autosave is timed as the wizard does it: `Store.save_answer` on an assessment
that is already answered throughout (the largest body a version row holds),
changing one rating at a time. The floor on SQLite is the same
read-modify-append done with the sqlite3 module directly (BEGIN IMMEDIATE, read
the head body, update the head, insert the version row, COMMIT) with the same
pragmas (WAL, synchronous=NORMAL): what any store must pay per change. On
PostgreSQL the floor is the same statements through psycopg. Saves and floor
saves alternate, so that a checkpoint or a neighbour's burst hits both.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from assessment.answers.model import Answer, Assessment, Status

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


class _StoreSaves:
    """Autosaves through the store: one rating changed per call."""

    def __init__(self, store: Any, a: Assessment) -> None:
        self.store, self.a = store, a
        self.revision = store.create(a, AUTHOR)
        self.edits = _edits(a)
        self.i = 0

    def save(self) -> None:
        crit, alt, ans = self.edits[self.i % len(self.edits)]
        ans = Answer(value=ans.value, comment=f"Ändrad bedömning nr {self.i}.")  # never a no-op
        self.revision = self.store.save_answer(self.a.id, self.revision, crit, alt, ans, AUTHOR)
        self.i += 1


_FLOOR_READ = ("SELECT h.revision, v.body FROM bench_head h JOIN bench_versions v ON v.id = h.id "
               "AND v.revision = h.revision WHERE h.id = 'a'")
_FLOOR_TABLES = ("CREATE TABLE bench_head (id TEXT PRIMARY KEY, revision INTEGER, updated_at TEXT)",
                 "CREATE TABLE bench_versions (id TEXT, revision INTEGER, saved_at TEXT, body TEXT, "
                 "PRIMARY KEY (id, revision))")


class _SqliteSaves:
    """The floor on SQLite: the same read-modify-append with the sqlite3 module."""

    def __init__(self, path: Path, body: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        for ddl in _FLOOR_TABLES:
            self.conn.execute(ddl)
        self.conn.execute("INSERT INTO bench_head VALUES ('a', 0, '')")
        self.conn.execute("INSERT INTO bench_versions VALUES ('a', 0, '', ?)", (body,))
        self.i = 0

    def save(self) -> None:
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        rev, current = c.execute(_FLOOR_READ).fetchone()
        data = json.loads(current)
        data["n"] = self.i
        c.execute("UPDATE bench_head SET revision = ?, updated_at = ? WHERE id = 'a' AND revision = ?",
                  (rev + 1, str(time.time()), rev))
        c.execute("INSERT INTO bench_versions VALUES ('a', ?, ?, ?)", (rev + 1, str(time.time()), json.dumps(data)))
        c.execute("COMMIT")
        self.i += 1

    def close(self) -> None:
        self.conn.close()


class _PostgresSaves:
    """The floor on PostgreSQL: the same read (locking the head), update and insert through psycopg."""

    def __init__(self, url: str, body: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.conn = psycopg.connect(conninfo)
        for ddl in _FLOOR_TABLES:
            self.conn.execute(ddl)
        self.conn.execute("INSERT INTO bench_head VALUES ('a', 0, '')")
        self.conn.execute("INSERT INTO bench_versions VALUES ('a', 0, '', %s)", (body,))
        self.conn.commit()
        self.i = 0

    def save(self) -> None:
        with self.conn.transaction():
            rev, current = self.conn.execute(_FLOOR_READ + " FOR UPDATE OF h").fetchone()
            data = json.loads(current)
            data["n"] = self.i
            self.conn.execute("UPDATE bench_head SET revision = %s, updated_at = %s WHERE id = 'a' AND revision = %s",
                              (rev + 1, str(time.time()), rev))
            self.conn.execute("INSERT INTO bench_versions VALUES ('a', %s, %s, %s)",
                              (rev + 1, str(time.time()), json.dumps(data)))
        self.i += 1

    def close(self) -> None:
        self.conn.close()


def _body(a: Assessment) -> str:
    data = a.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"checklist"})
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _autosave_row(measure: str, store: Any, floor: Any, a: Assessment, n: int, floor_name: str, note: str) -> Row:
    saves = _StoreSaves(store, a)
    try:
        ours, base = interleaved(saves.save, floor.save, n, warmup=3)
    finally:
        floor.close()
    o, b = stats(ours), stats(base)
    return Row(measure=measure, unit="ms", figures=scaled(o, 1000.0), floor=scaled(b, 1000.0), headline="p95",
               floor_name=floor_name, samples=o.n, note=note)


def autosave_sqlite(ctx: Context) -> Row:
    storage = need_module("assessment.store.storage", "the storage layer")
    a, note = _subject()
    n = ctx.n(300, 20)
    d = ctx.subdir("autosave-sqlite")
    store = storage.open_store(f"sqlite:///{d / 'skb.sqlite'}")
    try:
        return _autosave_row("Storage: autosave latency, SQLite", store, _SqliteSaves(d / "floor.sqlite", _body(a)),
                             a, n, "sqlite3 directly: read head, update head, insert version, one transaction "
                                   "(WAL, synchronous=NORMAL)", f"{note}; {n} saves, file on the local disk")
    finally:
        store.close()


def autosave_postgres(ctx: Context) -> Row:
    storage = need_module("assessment.store.storage", "the storage layer")
    from .pg import postgres_url

    a, note = _subject()
    n = ctx.n(300, 20)
    with postgres_url(ctx.tmp) as url:
        store = storage.open_store(url)
        try:
            return _autosave_row("Storage: autosave latency, PostgreSQL", store, _PostgresSaves(url, _body(a)), a, n,
                                 "psycopg directly: the same read, update and insert in one transaction",
                                 f"{note}; {n} saves, local server on loopback with fsync on")
        finally:
            store.close()


# --- portfolio ----------------------------------------------------------------------------

PORTFOLIO_SIZE = 10_000
_EXAMPLES = ("grannskap-utbyggnad", "fritidsgard-nedlaggning", "ny-skola-detaljplan")
MUNICIPALITIES, DISTRICTS = 12, 40  # how the copies vary


def _seed_portfolio(store: Any, count: int) -> tuple[int, int]:
    """`count` assessments in the store, each with its derived portfolio rows.

    The three examples go in through the store and the portfolio's own refresh;
    the rest are copies of their rows made inside the database (an INSERT ... SELECT
    per table, with the municipality, title and district varied), because storing
    and rescoring 10,000 assessments one by one would take minutes and is not what
    is measured. Returns (assessments, score rows)."""
    from assessment.store import assessments as assessment_rows
    from assessment.store import portfolio as portfolio_rows
    from assessment.workflow.portfolio import refresh_scores

    bases = []
    for name in _EXAMPLES:
        a = example_assessment(name)
        if a.metadata.status == Status.ADOPTED:  # adoption goes through review, never create: seeded as a draft
            a.metadata = a.metadata.model_copy(update={"status": Status.DRAFT})
        store.create(a, AUTHOR)
        bases.append(a.id)
    refresh_scores(store)
    per_base = [(count - len(bases)) // len(bases) + (1 if k < (count - len(bases)) % len(bases) else 0)
                for k in range(len(bases))]
    with store.writing() as conn:
        for base, copies in zip(bases, per_base):
            assessment_rows.bulk_copies(conn, base, copies, MUNICIPALITIES, named="Kommun ")
            portfolio_rows.bulk_copies(conn, base, copies, MUNICIPALITIES, DISTRICTS, named="Kommun ")
    with store.reading() as conn:
        heads, rows = portfolio_rows.counts(conn)
    if heads != count:
        raise RuntimeError(f"seeded {heads} assessments, not {count}")
    return heads, rows


def _floor_query(store: Any) -> None:
    from assessment.store import portfolio as portfolio_rows

    with store.reading() as conn:
        portfolio_rows.dimension_means(conn)


def _portfolio_row(ctx: Context, dialect: str, url: str) -> Row:
    storage = need_module("assessment.store.storage", "the storage layer")
    module = need_module("assessment.workflow.portfolio", "the portfolio")
    from assessment.store import portfolio as portfolio_rows

    store = storage.open_store(url)
    try:
        start = time.perf_counter()
        count, rows = _seed_portfolio(store, PORTFOLIO_SIZE)
        seeded = time.perf_counter() - start
        n = ctx.n(3, 1)
        ours, base = interleaved(lambda: module.portfolio(store), lambda: _floor_query(store), n)
        # What a stale score costs: mark 100 assessments as changed and let the portfolio rescore them.
        with store.writing() as conn:
            portfolio_rows.mark_stale(conn, 100)
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

    need_module("assessment.workflow.portfolio", "the portfolio")
    with postgres_url(ctx.tmp) as url:
        return _portfolio_row(ctx, "PostgreSQL", url)
