"""The benchmark runner: `python -m benchmarks` (or `make bench`).

It takes every measure of `measures()` in turn, prints a table (figure, floor,
ratio, target, met) and writes the same as JSON to
`benchmarks/results/latest.json` with the machine it ran on. A measure that
cannot be taken is printed as "not measured: <why>"; a measure that fails with
an error is printed the same way and makes the exit status 1, so that the smoke
test notices. `--quick` takes few repetitions (for the smoke test), `--only`
picks measures by key. The runner must not write anywhere but the results file
and its own temporary directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .context import ROOT, Context
from .harness import NotMeasured, Row, Target, not_measured_row

__all__ = ["Measure", "measures", "machine", "run", "table", "markdown", "main"]

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    take: Callable[[Context], Row | list[Row]]
    targets: tuple[Target, ...] = ()
    heavy: bool = False  # starts servers or browsers: skipped by --quick unless picked with --only


def measures() -> list[Measure]:
    # Imported here so that `--help` does not load reportlab and friends.
    from . import bounds, browser, hostile, imports, pdf, score_rate, server, store, wizard

    le, ge = "<=", ">="
    return [
        Measure("wizard-integrated", "Wizard, server: one rerun of the largest step, integrated checklist",
                wizard.integrated_step,
                (Target("ratio", le, 1.5, "ratio <= 1.5"), Target("p95", le, 100.0, "p95 <= 100 ms"))),
        Measure("wizard-500", "Wizard, server: one rerun of the largest step, 500-criterion checklist",
                wizard.generated_step, (Target("ratio", le, 1.5, "ratio <= 1.5"),)),
        Measure("scoring", "Scoring throughput, integrated checklist, one core", score_rate.scoring_throughput,
                (Target("median", ge, 5000.0, ">= 5,000 assessments/s"),)),
        Measure("scoring-read-all", "Scoring throughput, every field of the result read, one core",
                score_rate.scoring_read_all, (Target("median", ge, 5000.0, ">= 5,000 assessments/s"),)),
        Measure("pdf-example", "PDF: the example report", pdf.example_report,
                (Target("median", le, 0.45, "median <= 0.45 s"), Target("ratio", le, 1.5, "ratio <= 1.5"))),
        Measure("html-example", "HTML: the example report's accessible twin", pdf.example_html,
                (Target("median", le, 0.2, "median <= 0.2 s"),)),
        Measure("pdf-500", "PDF: the 500-criterion report", pdf.large_report,
                (Target("median", le, 5.0, "<= 5 s"),)),
        Measure("pdf-bounds", "PDF: the largest assessment the bounds allow", pdf.bounded_report,
                (Target("median", le, 10.0, "<= 10 s"),)),
        Measure("bounds-refusal", "Bounds: an over-limit file refused, the slowest of issue 13's three",
                bounds.refusal, (Target("max", le, 2.0, "<= 2 s"),)),
        Measure("autosave-sqlite", "Storage: autosave latency, SQLite", store.autosave_sqlite,
                (Target("p95", le, 10.0, "p95 <= 10 ms"),)),
        Measure("autosave-postgres", "Storage: autosave latency, PostgreSQL", store.autosave_postgres,
                (Target("p95", le, 10.0, "p95 <= 10 ms"),), heavy=True),
        Measure("portfolio-sqlite", "Storage: portfolio aggregation over 10,000 assessments, SQLite",
                store.portfolio_sqlite, (Target("median", le, 1.0, "<= 1 s"),), heavy=True),
        Measure("portfolio-postgres", "Storage: portfolio aggregation over 10,000 assessments, PostgreSQL",
                store.portfolio_postgres, (Target("median", le, 1.0, "<= 1 s"),), heavy=True),
        Measure("hostile-files", "Hostile files: refused by the store's import and by skb import",
                hostile.hostile_files, (Target("p95", le, 2.0, "each refused within 2 s"),)),
        Measure("imports", "Import time of our own modules, beyond Streamlit's", imports.import_time, ()),
        Measure("cold-start", "Cold start: streamlit run to the first page served", server.cold_start,
                (Target("median", le, 5.0, "<= 5 s"),), heavy=True),
        Measure("browser", "Wizard, in the browser (Chromium)", browser.browser_rows,
                (), heavy=True),
        Measure("memory", "Memory: server RSS with 20 sessions open", server.memory_20_sessions,
                (Target("value", le, 500.0, "<= 500 MB"),), heavy=True),
    ]


def machine() -> dict[str, Any]:
    """What the figures were measured on: no host names, no paths."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "absent"

    commit = ""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": mem_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": {d: version(d) for d in ("streamlit", "reportlab", "sqlalchemy", "pydantic", "playwright")},
        "commit": commit,
    }


def run(measures: Sequence[Measure], ctx: Context, echo: Callable[[str], None] = print) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    errors: list[str] = []
    for m in measures:
        start = time.perf_counter()
        echo(f"… {m.title}")
        try:
            taken = m.take(ctx)
            got = taken if isinstance(taken, list) else [taken]
        except NotMeasured as exc:
            got = [not_measured_row(m.title, str(exc))]
        except Exception as exc:  # a measure that breaks is reported, and fails the run
            errors.append(f"{m.key}: {traceback.format_exc()}")
            got = [not_measured_row(m.title, f"failed: {type(exc).__name__}: {exc}".splitlines()[0])]
        for row in got:
            if not row.targets:
                row.targets = list(m.targets)
            rows.append(row)
        echo(f"  ({time.perf_counter() - start:.1f} s)")
    return rows, errors


def _num(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if value < 1 else f"{value:.2f}"


def _figure(figures: dict[str, float], unit: str, names: tuple[str, ...] = ("median", "p95", "value")) -> str:
    parts = [f"{name} {_num(figures[name])}" for name in names if name in figures]
    return (", ".join(parts) + f" {unit}").strip() if parts else ""


def _cells(row: Row) -> list[str]:
    if row.not_measured:
        targets = "; ".join(t.text for t in row.targets)
        return [row.measure, f"not measured: {row.not_measured}", "", "", targets, ""]
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
    floor = _figure(row.floor, row.unit, (row.headline,)) if row.floor else "—"
    verdicts = row.verdicts()
    met = "; ".join(("yes" if ok else "NO" if ok is False else "?") for _, ok in verdicts) if verdicts else "—"
    targets = "; ".join(t.text for t, _ in verdicts) or "—"
    return [row.measure, _figure(row.figures, row.unit), floor, ratio, targets, met]


HEADERS = ["measure", "figure", "floor", "ratio", "target", "met"]


def table(rows: Sequence[Row]) -> str:
    cells = [HEADERS] + [_cells(r) for r in rows]
    widths = [min(60, max(len(c[i]) for c in cells)) for i in range(len(HEADERS))]
    lines = []
    for i, c in enumerate(cells):
        lines.append("  ".join(text[:60].ljust(w) for text, w in zip(c, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"- {r.measure}: floor = {r.floor_name}" + (f"; {r.note}" if r.note else "")
             for r in rows if not r.not_measured and (r.floor_name or r.note)]
    return "\n".join(lines + ([""] + notes if notes else []))


def markdown(rows: Sequence[Row]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    out = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    out += ["| " + " | ".join(esc(c) for c in _cells(r)) + " |" for r in rows]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Measure SKB against its targets.")
    parser.add_argument("--quick", action="store_true",
                        help="few repetitions; skips the measures that start servers unless picked with --only")
    parser.add_argument("--only", action="append", default=[], metavar="KEY",
                        help="take only the measures whose key contains KEY (repeatable); see --list")
    parser.add_argument("--list", action="store_true", help="list the measures and exit")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON (default: %(default)s)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args(argv)

    chosen = measures()
    if args.list:
        for m in chosen:
            print(f"{m.key:20} {m.title}")
        return 0
    if args.only:
        chosen = [m for m in chosen if any(k in m.key for k in args.only)]
    elif args.quick:
        chosen = [m for m in chosen if not m.heavy]
    # Streamlit warns about "missing ScriptRunContext" whenever its caches are touched outside
    # a script run, as the benchmark does while it sets up; the warnings say nothing here.
    from streamlit import config as st_config
    from streamlit import logger as st_logger

    st_config.set_option("logger.level", "error")
    st_logger.set_log_level("error")
    started = dt.datetime.now(dt.timezone.utc)
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="skb-bench-") as tmp:
        ctx = Context(tmp=Path(tmp), quick=args.quick)
        wall = time.perf_counter()
        rows, errors = run(chosen, ctx, echo=lambda s: print(s, file=sys.stderr, flush=True))
        wall = time.perf_counter() - wall
    print(table(rows))
    after = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load_before and after:  # the figures move with other work on the machine: say how much there was
        print(f"\nLoad average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in load_before)} when the run began, "
              f"{', '.join(f'{x:.1f}' for x in after)} when it ended; {os.cpu_count()} CPUs.")
    if args.markdown:
        print()
        print(markdown(rows))
    for err in errors:
        print(f"\nERROR in {err}", file=sys.stderr)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(wall, 1),
        "quick": args.quick,
        "machine": machine(),
        # Other work on the machine while we measured: the 1/5/15-minute load averages before and after.
        "load_average": {"before": load_before, "after": os.getloadavg() if hasattr(os, "getloadavg") else None},
        "rows": [r.to_json() for r in rows],
        "errors": errors,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    loads = result["load_average"]
    said = (f"; load average {loads['before'][0]:.1f} before, {loads['after'][0]:.1f} after"
            if loads["before"] and loads["after"] else "")
    print(f"\n{len(rows)} rows in {wall:.0f} s{said}; JSON written to {args.out}", file=sys.stderr)
    return 1 if errors else 0
