"""Shared fixtures, and the rule that under CI a skipped suite is a failure.

A suite that needs something a user's machine may lack (Chromium, PostgreSQL,
poppler) skips there with a loud reason. Under CI (`CI=true`) everything is
installed by `.ci/run`, so a skip means a suite silently did not run: fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:  # the PostgreSQL fixtures (tests/pg.py); tests/ is on sys.path under pytest's default import mode
    from pg import database_url, postgres_database, postgres_server  # noqa: F401
except ImportError:  # tests/ made a package
    from tests.pg import database_url, postgres_database, postgres_server  # noqa: F401

try:  # the summary cross-check (tests/summary_check.py)
    from summary_check import checked
except ImportError:  # tests/ made a package
    from tests.summary_check import checked

ROOT = Path(__file__).resolve().parent.parent

# Every report the suite builds has its summary page checked against its scoring result: the test
# modules import `render_report` after this file is loaded, so they all get the checked one.
import reports  # noqa: E402
import reports.document  # noqa: E402

if not hasattr(reports.render_report, "__wrapped__"):
    reports.render_report = reports.document.render_report = checked(reports.document.render_report)
CHECKLISTS = ROOT / "checklists"
EXAMPLES = ROOT / "examples"

_skipped: list[str] = []


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append(f"{report.nodeid}: {reason}")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    if _skipped:
        terminalreporter.section("SKIPPED SUITES (these did not run here)", sep="!", yellow=True)
        for line in _skipped:
            terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if under_ci() and _skipped and session.exitstatus == 0:
        session.exitstatus = 1
        print(f"\nCI=true: {len(_skipped)} test(s) were skipped; under CI every suite must run.")


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:  # type: ignore[type-arg]
    """Playwright drives Debian's Chromium (browser downloads are not used); a fresh profile per context."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"],
    }
