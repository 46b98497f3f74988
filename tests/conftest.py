"""Shared fixtures, the suite's isolation, and the rule that under CI a skipped suite is a failure.

A suite that needs something a user's machine may lack (Chromium, PostgreSQL,
poppler) skips there with a loud reason. Under CI (`CI=true`) everything is
installed by `.ci/run`, so a skip means a suite silently did not run: fail.

The suite asserts what SKB does, never how fast: it must pass on a busy
two-core machine while another `make test` runs beside it. So nothing here
measures time (speed is `make bench`'s), hypothesis has no per-example
deadline, every test gets its own data directory (the user's database and a
neighbouring run's are never touched), and servers take free ports
(tests/server.py, tests/pg.py). A timeout in the suite only stops a test that
hangs; it is never what a test asserts.

The fixtures named for what they give:
- `fresh_store` (also called `store`): an open, empty store, once on SQLite and once on PostgreSQL;
- `stortorget_draft`: (id, revision) of Elif Şahin's draft on the square plan, stored in `store`
  (tests/small_checklists.py holds the small checklists the tests share, and this case);
- `app_data_dir`: the empty data directory the app (AppTest, `open_store()`) stores in;
- `app_store`: the store the app will open, in that directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from assessment.store.storage import Store, open_store

try:  # the PostgreSQL fixtures (tests/pg.py); tests/ is on sys.path under pytest's default import mode
    from pg import database_url, migrated_template, postgres_database, postgres_server  # noqa: F401
    from server import BROWSER_WAIT_MS, watch_runs
except ImportError:  # tests/ made a package
    from tests.pg import database_url, migrated_template, postgres_database, postgres_server  # noqa: F401
    from tests.server import BROWSER_WAIT_MS, watch_runs

try:  # the summary cross-check (tests/summary_check.py); the small checklists the tests share
    from small_checklists import stortorget, torg
    from summary_check import checked, checked_html
except ImportError:  # tests/ made a package
    from tests.small_checklists import stortorget, torg
    from tests.summary_check import checked, checked_html

ROOT = Path(__file__).resolve().parent.parent

# Every report the suite builds has its summary page checked against its scoring result: the test
# modules import `render_report` after this file is loaded, so they all get the checked one.
import reports  # noqa: E402
import reports.document  # noqa: E402

if not hasattr(reports.render_report, "__wrapped__"):
    reports.render_report = reports.document.render_report = checked(reports.document.render_report)
if not hasattr(reports.render_report_html, "__wrapped__"):  # and the HTML twin's decision page the same way
    reports.render_report_html = reports.document.render_report_html = checked_html(
        reports.document.render_report_html)
CHECKLISTS = ROOT / "checklists"
EXAMPLES = ROOT / "examples"

# Hypothesis fails an example slower than 200 ms by default: a wall-clock assertion. Off for every test.
settings.register_profile("skb", deadline=None)
settings.load_profile("skb")

_skipped: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """`make test` runs two workers with `--dist loadgroup`: the tests of one `xdist_group` go to one worker,
    so that what they share at module or process scope (a region of servers, the example reports) is made
    once, not once per worker. Registered here too, for a run without xdist (`-p no:xdist`)."""
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker (make test)")


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


@pytest.fixture(autouse=True)
def _own_data_directory(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test stores in the user's data directory or database, nor in a neighbouring run's.

    A test that wants a particular directory or database sets the variables itself."""
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.delenv("SKB_DATA_DIR", raising=False)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def fresh_store(database_url: str) -> Iterator[Store]:
    """An open, empty store: once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    with open_store(database_url) as store:
        yield store


@pytest.fixture
def store(fresh_store: Store) -> Store:
    """`fresh_store` by the short name the review, sign-in, tamper and import tests use."""
    return fresh_store


@pytest.fixture
def stortorget_draft(store: Store) -> tuple[str, int]:
    """(id, revision) of a draft by Elif Şahin on the square plan, stored: evening safety worse without a
    measure yet, children gain."""
    a = stortorget(torg())
    return a.id, store.create(a, "Elif Şahin")


@pytest.fixture
def app_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory that the app (AppTest) and `open_store()` store in; not created yet."""
    directory = tmp_path / "data"
    monkeypatch.setenv("SKB_DATA_DIR", str(directory))
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    return directory


@pytest.fixture
def app_store(app_data_dir: Path) -> Iterator[Store]:
    """The store the app opens (SQLite in `app_data_dir`), open for the test to set up and check."""
    with open_store() as store:
        yield store


@pytest.fixture
def context(context):  # type: ignore[no-untyped-def]
    """pytest-playwright's browser context: waits give up only after BROWSER_WAIT_MS, and its pages count
    their script runs (tests/server.py, `wait_for_the_run`)."""
    context.set_default_timeout(BROWSER_WAIT_MS)
    context.set_default_navigation_timeout(BROWSER_WAIT_MS)
    return watch_runs(context)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:  # type: ignore[type-arg]
    """Playwright drives Debian's Chromium (browser downloads are not used); a fresh profile per context."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"],
    }
