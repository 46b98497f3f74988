"""No test asserts how fast something is: speed is `make bench`'s, which measures each figure beside a floor.

A time asserted in a test fails when the machine is busy (another `make test`
beside it, a neighbour's build), not when SKB is wrong. A timing assertion takes
many forms, and the scan below reads every Python file in tests/ for each:

- a clock read, however imported or renamed: `time.time`, `perf_counter`,
  `monotonic`, `process_time`, `thread_time`, `clock_gettime` (and their `_ns`
  twins), `timeit`, `os.times`, `resource.getrusage`, or the time of day from
  `datetime.now()`/`utcnow()`/`datetime.today()` (a difference of two of these,
  compared with a number, is the classic timing assertion; a date from
  `date.today()` is the calendar, which tests of review dates need);
- a time limit that is a budget rather than a hang guard: `pytest.mark.timeout`
  (pytest-timeout), `signal.alarm`/`setitimer`, pytest-benchmark's `benchmark`
  fixture, a hypothesis `deadline` other than None, or a `timeout=` shorter than
  ten seconds (ten thousand milliseconds for a browser wait);
- the portfolio of 10,000 assessments, which only `make bench` builds.

The one clock allowed stops waiting for a server that never comes up
(tests/server.py); a time there is a hang guard, never what a test asserts.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

TESTS = Path(__file__).resolve().parent
HANG_GUARDS_ONLY = {TESTS / "server.py"}

CLOCK_FUNCTIONS = {"time", "time_ns", "perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns",
                   "process_time", "process_time_ns", "thread_time", "thread_time_ns", "clock_gettime",
                   "clock_gettime_ns"}
CLOCK_MODULES = {"timeit", "resource"}  # timeit's timers; getrusage's CPU times
TIME_OF_DAY = {"now", "utcnow"}  # on datetime (date has neither); datetime.today() is the time of day too
SHORTEST_HANG_GUARD_S = 10
# Playwright takes its waits in milliseconds: these calls' `timeout=` is read as such.
MILLISECOND_WAITS = re.compile(r"^(wait_for(?!_timeout)\w*|to_\w+|goto|click|dblclick|fill|press|type|check|hover|"
                               r"select_option|set_default(_navigation)?_timeout|set_input_files|screenshot|"
                               r"expect_\w+)$")
BENCHMARK_ONLY_SIZE = 10_000


def _dotted(node: ast.AST) -> str:
    """`a.b.c` for a Name/Attribute chain, '' for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _aliases(tree: ast.AST) -> dict[str, str]:
    """What each imported name stands for: {'t': 'time', 'pc': 'time.perf_counter', 'DT': 'datetime.datetime'}."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                names[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
    return names


def _resolved(node: ast.AST, aliases: dict[str, str]) -> str:
    dotted = _dotted(node)
    if not dotted:
        return ""
    head, _, rest = dotted.partition(".")
    full = aliases.get(head, head)
    return f"{full}.{rest}" if rest else full


def _seconds(value: ast.AST) -> float | None:
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, (int, float)) \
        and not isinstance(value.value, bool) else None


def timing_assertions(source: str) -> list[tuple[int, str]]:
    """Where `source` reads a clock or sets a time budget (see the module's docstring), as (line, what)."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for m in modules:
                if m.split(".")[0] in CLOCK_MODULES or m.split(".")[0] in {"pytest_timeout", "pytest_benchmark"}:
                    found.append((node.lineno, f"imports {m}"))
            if isinstance(node, ast.ImportFrom) and node.module == "time":
                found.extend((node.lineno, f"from time import {a.name}") for a in node.names
                             if a.name in CLOCK_FUNCTIONS)
        elif isinstance(node, (ast.Attribute, ast.Name)) and isinstance(getattr(node, "ctx", None), ast.Load):
            name = _resolved(node, aliases)
            module, _, function = name.rpartition(".")
            if module == "time" and function in CLOCK_FUNCTIONS or name == "os.times" \
                    or module == "datetime.datetime" and function in TIME_OF_DAY | {"today"} \
                    or name in {"signal.alarm", "signal.setitimer", "pytest.mark.timeout"}:
                found.append((node.lineno, name))
        elif isinstance(node, ast.Call):
            method = node.func.attr if isinstance(node.func, ast.Attribute) else _dotted(node.func)
            for kw in node.keywords:
                if kw.arg and kw.arg.endswith("timeout") and (limit := _seconds(kw.value)) is not None:
                    in_ms = bool(MILLISECOND_WAITS.match(method or ""))
                    if limit < SHORTEST_HANG_GUARD_S * (1000 if in_ms else 1):
                        found.append((node.lineno, f"{method}({kw.arg}={limit}): a budget, not a hang guard"))
                if kw.arg == "deadline" and not (isinstance(kw.value, ast.Constant) and kw.value.value is None):
                    found.append((node.lineno, "a hypothesis deadline"))
            if isinstance(node.func, ast.Attribute) and node.func.attr in {"set_default_timeout",
                                                                           "set_default_navigation_timeout"}:
                if node.args and (limit := _seconds(node.args[0])) is not None \
                        and limit < SHORTEST_HANG_GUARD_S * 1000:
                    found.append((node.lineno, f"{node.func.attr}({limit}): a budget, not a hang guard"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            if any(a.arg == "benchmark" for a in node.args.args):
                found.append((node.lineno, "pytest-benchmark's benchmark fixture"))
        elif isinstance(node, ast.Constant) and node.value == BENCHMARK_ONLY_SIZE:
            found.append((node.lineno, "the benchmark's 10,000-assessment portfolio"))
    return sorted(set(found))


def _found_in_tests() -> list[str]:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path in HANG_GUARDS_ONLY or path == Path(__file__).resolve() or "node_modules" in path.parts:
            continue
        found.extend(f"{path.relative_to(TESTS)}:{line}: {what}"
                     for line, what in timing_assertions(path.read_text(encoding="utf-8")))
    return found


def test_no_test_reads_a_clock_or_sets_a_time_budget() -> None:
    assert _found_in_tests() == [], "a time budget belongs in benchmarks/ (make bench), not in a test"


def test_the_scan_sees_each_form_a_timing_assertion_takes() -> None:
    # A source, and the lines the scan must name in it. Reading a clock is enough to be named: the forms need
    # no comparison with a budget (written out here they would read as the very assertions the scan forbids).
    forms = {
        "import time\nstart = time.time()\ntook = time.time() - start\n": [2, 3],
        "import time as t\nt0 = t.perf_counter()\n": [2],
        "from time import monotonic as now\nt = now()\n": [1, 2],
        "from time import perf_counter_ns\n": [1],
        "import time\nx = time.process_time_ns()\n": [2],
        "import timeit\nt = timeit.timeit('f()', number=10)\n": [1],
        "from timeit import default_timer\n": [1],
        "import datetime as dt\nstart = dt.datetime.now()\ntook = dt.datetime.now() - start\n": [2, 3],
        "from datetime import datetime\nt = datetime.utcnow()\n": [2],
        "from datetime import datetime as D\nt = D.today()\n": [2],
        "import os\nu = os.times().user\n": [2],
        "import resource\n": [1],
        "import pytest\n@pytest.mark.timeout(2)\ndef test_fast(): pass\n": [2],
        "from pytest import mark\n@mark.timeout(2)\ndef test_fast(): pass\n": [2],
        "import signal\nsignal.alarm(1)\n": [2],
        "def test_speed(benchmark): benchmark(f)\n": [1],
        "from hypothesis import settings\n@settings(deadline=200)\ndef test_x(): pass\n": [2],
        "import subprocess\nsubprocess.run(['skb'], timeout=2)\n": [2],
        "page.locator('h1').wait_for(timeout=500)\n": [1],
        "expect(page.locator('h1')).to_be_visible(timeout=2000)\n": [1],
        "page.set_default_timeout(1000)\n": [1],
        "N = 10_000\n": [1],
    }
    for source, lines in forms.items():
        assert sorted({line for line, _ in timing_assertions(source)}) == lines, (source, timing_assertions(source))


def test_the_scan_lets_the_calendar_sleeps_and_hang_guards_be() -> None:
    allowed = ("import datetime as dt\nsoon = dt.date.today() + dt.timedelta(days=200)\n"
               "from datetime import date\nassert date.today().year > 2000\n"
               "import time\ntime.sleep(0.2)\n"
               "import subprocess\nsubprocess.run(['skb'], timeout=900)\n"
               "page.wait_for_timeout(400)\npage.set_default_timeout(BROWSER_WAIT_MS)\n"
               "at = AppTest.from_file(APP, default_timeout=60)\nlocator.wait_for(timeout=TIMEOUT)\n"
               "from hypothesis import settings\nsettings.register_profile('skb', deadline=None)\n"
               "when = record.time()\n")
    assert timing_assertions(allowed) == []


def test_the_hang_guards_read_the_clock_only_to_stop_waiting() -> None:
    for path in HANG_GUARDS_ONLY:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        clocks = [lines[line - 1] for line, what in timing_assertions(text) if what.startswith("time.")]
        assert clocks and all("deadline" in line for line in clocks), clocks


def test_no_suite_wide_time_limit() -> None:
    """pytest-timeout configured for the whole suite (`timeout` in its options, or `--timeout`) would fail a test
    that is merely slow on a busy machine: the suite has none."""
    options = tomllib.loads((TESTS.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"]
    assert not {k for k in options if "timeout" in k}
    assert "timeout" not in options.get("addopts", "") and "timeout" not in (TESTS.parent / "Makefile").read_text()
