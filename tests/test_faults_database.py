"""A database that goes away, and one whose disk is full: the person is told, in their language,
that their changes are not saved yet and that SKB keeps trying; nothing they typed is lost; and it
saves by itself once the database is back.

The browser tests run a real `streamlit run` on a PostgreSQL cluster of their own (tests/scaleout.py
`Cluster`), which they stop (`pg_ctl stop -m fast`: every connection is cut, new ones are refused)
and start again on the same port. The full disk is simulated, and this is what is simulated: a
trigger on `versions` raises SQLSTATE 53100 (`disk_full`) with PostgreSQL's own words for it, which
is the error PostgreSQL raises when it cannot extend a table's file; the app receives the same
exception class (psycopg's DiskFull) as from a real full disk. SQLite's full disk is real: SQLite
raises SQLITE_FULL ("database or disk is full") when a file reaches `max_page_count`, the same code
as a full file system.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from assessment.errors import StorageError
from assessment.answers.model import new_assessment
from assessment.store.outage import DatabaseUnavailable, Outage, unavailable
from assessment.store.storage import open_store
from assessment.checklist.validate import load_checklist

try:  # tests/ is on sys.path under pytest's default import mode
    from pg import _pg_bin, _spare_port
    from scaleout import Cluster
    from server import BROWSER_WAIT_MS, TEST_CHECKLISTS, AppServer, wait_for_the_run, watch_runs
except ImportError:  # tests/ made a package
    from tests.pg import _pg_bin, _spare_port
    from tests.scaleout import Cluster
    from tests.server import BROWSER_WAIT_MS, TEST_CHECKLISTS, AppServer, wait_for_the_run, watch_runs

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
_BROWSER_AND_POSTGRES = [
    pytest.mark.xdist_group("outage"),  # one worker starts the installation once
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"DATABASE FAULT SUITE NOT RUN: {CHROMIUM} is missing "
                                                     "(apt-get install chromium)"),
    pytest.mark.skipif(_pg_bin() is None, reason="DATABASE FAULT SUITE NOT RUN: PostgreSQL is missing "
                                                 "(apt-get install postgresql)"),
]


def needs_browser_and_postgres(test):  # type: ignore[no-untyped-def]
    for mark in _BROWSER_AND_POSTGRES:
        test = mark(test)
    return test


# --- which errors are an outage ---------------------------------------------------------------


def _sqlite_error(path: Path, statement: str, pages: int | None = None) -> DBAPIError:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            if pages is not None:
                conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (x BLOB)")
                conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
            for _ in range(1000):
                conn.execute(text(statement), {"x": b"\0" * 8192})
    except DBAPIError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError(f"{statement} did not fail")


def test_a_full_sqlite_file_is_a_full_disk_in_both_languages(tmp_path: Path) -> None:
    error = _sqlite_error(tmp_path / "full.sqlite", "INSERT INTO t VALUES (:x)", pages=8)
    assert isinstance(error.orig, sqlite3.OperationalError) and "full" in str(error.orig)
    outage = unavailable(error)
    assert outage is not None and outage.kind == "full"
    assert outage.message("sv") == ("Kan inte spara just nu: databasens disk är full. Dina ändringar finns kvar här "
                                    "på sidan, och SKB försöker spara dem igen av sig själv. Säg till er "
                                    "IT-avdelning.")
    assert outage.message("en").startswith("Cannot save right now: the database's disk is full. Your changes "
                                           "are kept on this page")
    assert outage.message("en", saving=False).startswith("This page cannot be shown right now")
    wrapped = DatabaseUnavailable(outage)
    assert unavailable(wrapped) is outage and wrapped.message("en") == outage.message("en")


def test_a_database_that_refuses_connections_is_unreachable() -> None:
    engine = create_engine(f"postgresql+psycopg://skb@127.0.0.1:{_spare_port()}/skb?connect_timeout=5")
    try:
        with pytest.raises(DBAPIError) as raised, engine.connect():
            pass
    finally:
        engine.dispose()
    outage = unavailable(raised.value)
    assert outage is not None and outage.kind == "unreachable"
    assert "databasen svarar inte" in outage.message("sv") and "the database does not answer" in outage.message("en")


def test_a_bug_is_not_an_outage(tmp_path: Path) -> None:
    # SQLite calls a missing table "operational" too; it is a bug to report, not to wait out.
    error = _sqlite_error(tmp_path / "x.sqlite", "INSERT INTO missing VALUES (:x)")
    assert isinstance(error.orig, sqlite3.OperationalError)
    assert unavailable(error) is None
    assert unavailable(ValueError("no")) is None
    assert Outage("busy", "database is locked").message("en").startswith("Cannot save right now: the database is busy")


# --- the app, while its PostgreSQL is away -----------------------------------------------------


class Installation:
    def __init__(self, cluster: Cluster, url: str, server: AppServer) -> None:
        self.cluster, self.url, self.server = cluster, url, server


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    root = tmp_path_factory.mktemp("outage")
    cluster = Cluster().init().start()
    server: AppServer | None = None
    try:
        cluster.sql("CREATE DATABASE skb ENCODING 'UTF8' TEMPLATE template0")
        # connect_timeout as docs/deployment.md advises: a database host that is gone, not just
        # refusing, must not hold a person's page for the operating system's two minutes.
        url = cluster.url("skb") + "?connect_timeout=5"
        open_store(url).close()  # the schema, before the app's first page
        server = AppServer(root / "data", env={"SKB_DATABASE_URL": url, "SKB_CHECKLIST_DIR": str(TEST_CHECKLISTS),
                                               "SKB_MODE": "local"}).start()
        yield Installation(cluster, url, server)
    finally:
        if server is not None:
            server.stop()
        cluster.remove()


def _draft(installation: Installation, title: str) -> str:
    assessment = new_assessment(load_checklist(TEST_CHECKLISTS / "wizard-short.yaml"), title, municipality="Örebro")
    with open_store(installation.url) as store:
        store.create(assessment, "Elif Şahin")
    return assessment.id


def _person(browser, installation: Installation, aid: str, lang: str):  # type: ignore[no-untyped-def]
    context = watch_runs(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    page.goto(f"{installation.server.url}/wizard?id={aid}&step=1&lang={lang}")
    page.get_by_text("Finns det en park inom 300 meter?" if lang == "sv" else
                     "Is there a park within 300 metres?").first.wait_for()
    _settle(page)
    return context, page


def _settle(page) -> None:  # type: ignore[no-untyped-def]
    wait_for_the_run(page)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")


def _answer(page, option: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(".st-key-q-park").get_by_text(option, exact=True).click()
    _settle(page)


def _describe(page, words: str) -> None:  # type: ignore[no-untyped-def]
    area = page.locator(".st-key-q-beskrivning textarea")
    area.fill(words)
    area.press("Tab")
    _settle(page)


@needs_browser_and_postgres
def test_a_database_away_for_ten_seconds_loses_nothing_and_is_waited_out(browser, installation: Installation) -> None:
    sv_id, en_id = _draft(installation, "Vivalla centrum"), _draft(installation, "Łódź-gatan")
    sv_context, sv = _person(browser, installation, sv_id, "sv")
    en_context, en = _person(browser, installation, en_id, "en")
    try:
        _answer(sv, "Ja")
        sv.get_by_text(re.compile(r"Sparat .* \(version 2\)")).wait_for()

        installation.cluster.stop("fast")
        _answer(sv, "Nej")
        _describe(sv, "Gamla bruksområdet vid ån; Ελλάδα-torget i söder.")
        _answer(en, "No")
        sv.locator(".st-key-unsaved").get_by_text("Kan inte spara just nu: databasen svarar inte.").wait_for()
        en.locator(".st-key-unsaved").get_by_text("Cannot save right now: the database does not answer.").wait_for()
        # It keeps trying by itself, and says so, while the person's answers stay on the page.
        en.locator(".st-key-unsaved").get_by_text(re.compile(r"attempt [3-9]")).wait_for()
        sv.wait_for_timeout(4_000)  # the database stays away for ten seconds or more in all
        ARTIFACTS.mkdir(exist_ok=True)
        sv.screenshot(path=str(ARTIFACTS / "outage-sv.png"))  # for a person to look at
        assert sv.locator(".st-key-q-park").get_by_role("radio", name="Nej").is_checked()
        assert sv.locator(".st-key-q-beskrivning textarea").input_value() == \
            "Gamla bruksområdet vid ån; Ελλάδα-torget i söder."
        assert sv.get_by_text("Traceback").count() == 0 and en.get_by_text("Traceback").count() == 0
        with pytest.raises(StorageError):  # it really is away
            open_store(installation.url).close()

        installation.cluster.start()
        # Nobody clicks: each page saves by itself and says so.
        sv.get_by_text(re.compile(r"Sparat .* \(version 3\)")).wait_for()
        en.get_by_text(re.compile(r"Saved .* \(version 2\)")).wait_for()
        assert sv.locator(".st-key-unsaved").count() == 0 and en.locator(".st-key-unsaved").count() == 0

        with open_store(installation.url) as store:
            mine, theirs = store.load(sv_id), store.load(en_id)
            history = store.history(sv_id)
        assert mine.revision == 3 and mine.assessment.answers["park"].value is False
        assert mine.assessment.answers["beskrivning"].value == "Gamla bruksområdet vid ån; Ελλάδα-torget i söder."
        assert sorted(history[-1].questions) == ["beskrivning", "park"]  # both, in the one version saved after
        assert theirs.revision == 2 and theirs.assessment.answers["park"].value is False
    finally:
        sv_context.close()
        en_context.close()


FULL = """
CREATE FUNCTION skb_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '53100',
        MESSAGE = 'could not extend file "base/16384/16402": No space left on device',
        HINT = 'Check free disk space.';
END $$;
CREATE TRIGGER skb_test_disk_full BEFORE INSERT ON versions FOR EACH ROW EXECUTE FUNCTION skb_test_disk_full();
"""


@needs_browser_and_postgres
def test_a_full_disk_is_named_and_waited_out(browser, installation: Installation) -> None:
    aid = _draft(installation, "Kvarteret Åby")
    context, page = _person(browser, installation, aid, "en")
    try:
        installation.cluster.sql(FULL, database="skb")
        _answer(page, "Yes")
        banner = page.locator(".st-key-unsaved")
        banner.get_by_text("Cannot save right now: the database's disk is full.").wait_for()
        assert "Tell your IT department." in banner.inner_text()
        assert page.locator(".st-key-q-park").get_by_role("radio", name="Yes").is_checked()
        with open_store(installation.url) as store:
            assert store.load(aid).revision == 1  # nothing half-written

        installation.cluster.sql("DROP TRIGGER skb_test_disk_full ON versions; DROP FUNCTION skb_test_disk_full()",
                                 database="skb")
        page.get_by_text(re.compile(r"Saved .* \(version 2\)")).wait_for()
        with open_store(installation.url) as store:
            assert store.load(aid).assessment.answers["park"].value is True
    finally:
        context.close()
