"""No test asserts how fast something is: speed is `make bench`'s, which measures each figure beside a floor.

A time asserted in a test fails when the machine is busy (another `make test`
beside it, a neighbour's build), not when SKB is wrong. So no file in tests/
reads a clock, and no hypothesis setting brings back a per-example deadline.
The one clock allowed stops waiting for a server that never comes up
(tests/server.py); a time there is a hang guard, never what a test asserts.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CLOCK = re.compile(r"\b(perf_counter(_ns)?|monotonic(_ns)?|process_time(_ns)?|time\.time(_ns)?|timeit)\b")
DEADLINE = re.compile(r"\bdeadline\s*=\s*(?!None\b)")
HANG_GUARDS_ONLY = {TESTS / "server.py"}


def _lines(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path in HANG_GUARDS_ONLY or path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(TESTS)}:{number}: {line.strip()}")
    return found


def test_no_test_reads_a_clock() -> None:
    assert _lines(CLOCK) == [], "a time budget belongs in benchmarks/ (make bench), not in a test"


def test_no_hypothesis_deadline() -> None:
    assert _lines(DEADLINE) == [], "hypothesis deadlines are off for the whole suite (conftest); leave them off"


def test_the_hang_guards_read_the_clock_only_to_stop_waiting() -> None:
    for path in HANG_GUARDS_ONLY:
        text = path.read_text(encoding="utf-8")
        clocks = [line for line in text.splitlines() if CLOCK.search(line)]
        assert clocks and all("deadline" in line for line in clocks), clocks
