"""Scale-out as docs/deployment.md sets it up, on loopback: two `streamlit run` servers on one
PostgreSQL behind Debian's nginx with the shipped deploy/nginx/ configuration, two people in
Chromium.

The database is set up as the recipe says: an owner that migrates (`skb migrate --grant`) and an
application role that owns nothing, which both servers connect as. Then:
- nginx keeps a browser on one server (the routing cookie), and gives a new browser its cookie;
- an edit made through server A is seen through server B after a reload;
- two people on different servers editing one assessment: the second gets the conflict message,
  and nothing is overwritten;
- server A is killed (SIGKILL): no committed answer is lost, and its person continues on B after a
  reload, through the same nginx address.

Needs Debian's Chromium, nginx and PostgreSQL; without them the suite skips with a loud reason
(and under CI=true a skip fails the run; .ci/run installs them).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment.checklist.validate import load_checklist
from assessment.answers.model import new_assessment
from assessment.store.storage import open_store

try:  # tests/ is on sys.path under pytest's default import mode
    from scaleout import NGINX, Cluster, Nginx
    from server import BROWSER_WAIT_MS, TEST_CHECKLISTS, AppServer, wait_for_the_run, watch_runs
    from pg import _pg_bin
except ImportError:  # tests/ made a package
    from tests.pg import _pg_bin
    from tests.scaleout import NGINX, Cluster, Nginx
    from tests.server import BROWSER_WAIT_MS, TEST_CHECKLISTS, AppServer, wait_for_the_run, watch_runs

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.xdist_group("scale-out"),  # one worker starts the region (cluster, two servers, nginx) once
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"SCALE-OUT SUITE NOT RUN: {CHROMIUM} is missing "
                                                     "(apt-get install chromium)"),
    pytest.mark.skipif(NGINX is None, reason="SCALE-OUT SUITE NOT RUN: nginx is missing (apt-get install nginx)"),
    pytest.mark.skipif(_pg_bin() is None, reason="SCALE-OUT SUITE NOT RUN: PostgreSQL is missing "
                                                 "(apt-get install postgresql)"),
]


def skb(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "assessment", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Region:
    """The installation: the cluster, its URLs, the two servers and nginx."""

    def __init__(self, cluster: Cluster, app_url: str, servers: list[AppServer], nginx: Nginx) -> None:
        self.cluster, self.app_url, self.servers, self.nginx = cluster, app_url, servers, nginx

    def address(self, server: AppServer) -> str:
        return f"127.0.0.1:{server.port}"


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Region]:
    root = tmp_path_factory.mktemp("region")
    cluster = Cluster().init().start()
    servers: list[AppServer] = []
    nginx: Nginx | None = None
    try:
        # docs/deployment.md and docs/storage.md: the owner migrates, the application's role owns nothing.
        cluster.sql("CREATE ROLE skb_owner LOGIN")
        cluster.sql("CREATE ROLE skb_app LOGIN")
        cluster.sql("CREATE DATABASE skb OWNER skb_owner ENCODING 'UTF8' TEMPLATE template0")
        cluster.sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC", database="skb")
        skb("migrate", "--db", cluster.url("skb", "skb_owner"), "--grant", "skb_app")
        app_url = cluster.url("skb", "skb_app")
        env = {"SKB_DATABASE_URL": app_url, "SKB_CHECKLIST_DIR": str(TEST_CHECKLISTS), "SKB_MODE": "local"}
        servers = [AppServer(root / f"data-{name}", env=env, log=root / f"streamlit-{name}.log")
                   for name in ("a", "b")]
        for server in servers:
            server.start()
        nginx = Nginx(root / "nginx", [f"127.0.0.1:{s.port}" for s in servers]).start()
        yield Region(cluster, app_url, servers, nginx)
    finally:
        if nginx is not None:
            nginx.stop()
        for server in servers:
            server.stop()
        cluster.remove()


def pinned_cookie(region: Region, server: AppServer) -> str:
    """A routing cookie value that nginx hashes to `server` (nginx's own answer says which)."""
    for i in range(200):
        value = f"person-{i}"
        if region.nginx.served_by(value)[0] == region.address(server):
            return value
    raise AssertionError(f"no routing cookie of 200 reached {region.address(server)}: is it in the upstream?")


def person(browser, region: Region, server: AppServer):  # type: ignore[no-untyped-def]
    """A browser profile whose routing cookie nginx sends to `server`."""
    context = watch_runs(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.set_default_timeout(BROWSER_WAIT_MS)
    context.add_cookies([{"name": "skb_server", "value": pinned_cookie(region, server), "url": region.nginx.url}])
    return context, context.new_page()


def settle(page) -> None:  # type: ignore[no-untyped-def]
    wait_for_the_run(page)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")


def open_wizard(page, region: Region, aid: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{region.nginx.url}/wizard?id={aid}&step=1&lang=en")
    page.get_by_text("Is there a park within 300 metres?").first.wait_for()
    settle(page)


def park(page):  # type: ignore[no-untyped-def]
    return page.locator(".st-key-q-park")


def describe(page, text: str) -> None:  # type: ignore[no-untyped-def]
    area = page.locator(".st-key-q-beskrivning textarea")
    area.fill(text)
    area.press("Tab")  # a text area saves when it loses focus
    settle(page)


def test_nginx_keeps_a_browser_on_one_server_and_gives_a_new_one_its_cookie(region: Region) -> None:
    first, cookie = region.nginx.served_by(None)
    assert cookie is not None and cookie.startswith("skb_server=") and "HttpOnly" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    assert first in {region.address(s) for s in region.servers}
    assert {region.nginx.served_by(value)[0] for _ in range(10)} == {first}
    assert region.nginx.served_by(value)[1] is None  # a browser with a cookie is not given another
    # Both servers get browsers: the hash spreads them.
    seen = {region.nginx.served_by(f"someone-{i}")[0] for i in range(40)}
    assert seen == {region.address(s) for s in region.servers}


def test_two_servers_one_database_behind_nginx(browser, region: Region) -> None:
    checklist = load_checklist(TEST_CHECKLISTS / "wizard-short.yaml")
    assessment = new_assessment(checklist, "Kvarteret Åby – Łódź-vägen", municipality="Eskilstuna")
    with open_store(region.app_url) as store:
        store.create(assessment, "Ada Şahin")
    aid = assessment.id
    a, b = region.servers
    ada_context, ada = person(browser, region, a)
    bo_context, bo = person(browser, region, b)
    try:
        open_wizard(ada, region, aid)
        open_wizard(bo, region, aid)

        # 1. Ada, on server A, answers; Bo, on server B, sees it after a reload.
        park(ada).get_by_text("Yes", exact=True).click()
        settle(ada)
        ada.get_by_text(re.compile(r"Saved .* \(version 2\)")).wait_for()
        bo.reload()
        bo.get_by_text("Is there a park within 300 metres?").first.wait_for()
        settle(bo)
        assert park(bo).get_by_role("radio", name="Yes").is_checked()

        # 2. Both have version 2 open. Ada changes her answer (version 3) through A; Bo, through B,
        #    describes the place on version 2: refused with the conflict message, nothing overwritten.
        park(ada).get_by_text("No", exact=True).click()
        settle(ada)
        ada.get_by_text(re.compile(r"Saved .* \(version 3\)")).wait_for()
        describe(bo, "Gamla bruksområdet vid ån; Ελλάδα-torget i söder.")
        problem = bo.locator(".st-key-problem")
        problem.get_by_text("The assessment was changed by").wait_for()
        assert "question park" in problem.inner_text() and "Your latest change was not saved" in \
            problem.inner_text()
        with open_store(region.app_url) as store:
            stored = store.load(aid)
        assert stored.revision == 3
        assert stored.assessment.answers["park"].value is False  # Ada's, not overwritten by Bo's save
        assert "beskrivning" not in stored.assessment.answers

        # 3. Server A dies. Nothing Ada committed is lost; after a reload she continues on B,
        #    through the same address, and her next answer is saved there.
        a.kill()
        assert region.nginx.served_by(ada_context.cookies()[0]["value"])[0].endswith(region.address(b))
        ada.reload()
        ada.get_by_text("Is there a park within 300 metres?").first.wait_for()
        settle(ada)
        assert park(ada).get_by_role("radio", name="No").is_checked()
        describe(ada, "Gamla bruksområdet vid ån; Łódź-vägen i norr.")
        ada.get_by_text(re.compile(r"Saved .* \(version 4\)")).wait_for()
        with open_store(region.app_url) as store:
            stored = store.load(aid)
            history = store.history(aid)
        assert stored.revision == 4
        assert stored.assessment.answers["park"].value is False
        assert stored.assessment.answers["beskrivning"].value == "Gamla bruksområdet vid ån; Łódź-vägen i norr."
        assert [v.revision for v in history] == [1, 2, 3, 4]

        # And Bo, on B all along, reloads past his conflict and sees all of it.
        bo.locator(".st-key-problem").get_by_role("button").click()
        settle(bo)
        assert bo.locator(".st-key-q-beskrivning textarea").input_value() == \
            "Gamla bruksområdet vid ån; Łódź-vägen i norr."
    finally:
        ada_context.close()
        bo_context.close()
