"""Sign-in across two servers behind nginx, as docs/deployment.md sets it up: one secrets file
(the same cookie secret) on both servers, a real OpenID Connect provider (tests/oidc), Chromium.

A person signs in through nginx and answers; the server she is on is killed; after a reload she
is still signed in (the sign-in cookie is good on the other server), her answer is there, and her
next answer is saved on the other server under her own name, not anyone else's.

Needs Chromium, nginx, PostgreSQL, node and npm; without them the suite skips with a loud reason
(and under CI=true a skip fails the run).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment.store.auth import Actor, grant
from assessment.answers.model import new_assessment
from assessment.store.storage import open_store
from assessment.checklist.validate import load_checklist

try:  # tests/ is on sys.path under pytest's default import mode
    from pg import _pg_bin
    from scaleout import NGINX, Cluster, Nginx
    from server import BROWSER_WAIT_MS, TEST_CHECKLISTS, AppServer, free_port, wait_for_the_run, wait_for_url, \
        watch_runs
except ImportError:  # tests/ made a package
    from tests.pg import _pg_bin
    from tests.scaleout import NGINX, Cluster, Nginx
    from tests.server import BROWSER_WAIT_MS, TEST_CHECKLISTS, AppServer, free_port, wait_for_the_run, \
        wait_for_url, watch_runs

CHROMIUM = Path("/usr/bin/chromium")
OIDC_DIR = Path(__file__).resolve().parent / "oidc"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"SCALE-OUT SIGN-IN SUITE NOT RUN: {CHROMIUM} is missing "
                                                     "(apt-get install chromium)"),
    pytest.mark.skipif(NGINX is None, reason="SCALE-OUT SIGN-IN SUITE NOT RUN: nginx is missing "
                                             "(apt-get install nginx)"),
    pytest.mark.skipif(_pg_bin() is None, reason="SCALE-OUT SIGN-IN SUITE NOT RUN: PostgreSQL is missing "
                                                 "(apt-get install postgresql)"),
    pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None,
                       reason="SCALE-OUT SIGN-IN SUITE NOT RUN: node and npm are missing (apt-get install nodejs npm)"),
]


class SignedRegion:
    def __init__(self, url: str, servers: list[AppServer], nginx: Nginx, issuer: str, aid: str) -> None:
        self.url, self.servers, self.nginx, self.issuer, self.aid = url, servers, nginx, issuer, aid


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedRegion]:
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0:
            pytest.skip(f"SCALE-OUT SIGN-IN SUITE NOT RUN: `npm ci` in tests/oidc failed:\n{done.stderr[-2000:]}")
    root = tmp_path_factory.mktemp("signed-region")
    front, provider_port = free_port(), free_port()
    app, issuer = f"http://127.0.0.1:{front}", f"http://localhost:{provider_port}"
    client = {"CLIENT_ID": "skb", "CLIENT_SECRET": secrets.token_urlsafe(24), "REDIRECT_URI": f"{app}/oauth2callback"}
    # One secrets file for every server, as docs/deployment.md says: the same cookie secret.
    secrets_file = root / "secrets.toml"
    secrets_file.write_text(f"""[auth]
redirect_uri = "{client['REDIRECT_URI']}"
cookie_secret = "{secrets.token_urlsafe(32)}"
client_id = "{client['CLIENT_ID']}"
client_secret = "{client['CLIENT_SECRET']}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
client_kwargs = {{ prompt = "login" }}
""", encoding="utf-8")
    cluster = Cluster().init().start()
    provider: subprocess.Popen[bytes] | None = None
    servers: list[AppServer] = []
    nginx: Nginx | None = None
    try:
        log = root / "provider.log"
        with open(log, "ab") as out:
            provider = subprocess.Popen(["node", "provider.mjs"], cwd=OIDC_DIR, stdout=out, stderr=subprocess.STDOUT,
                                        env={**os.environ, **client, "ISSUER": issuer, "PORT": str(provider_port)},
                                        start_new_session=True)
        wait_for_url(f"{issuer}/.well-known/openid-configuration", provider, log)
        cluster.sql("CREATE DATABASE skb ENCODING 'UTF8' TEMPLATE template0")
        url = cluster.url("skb")
        admin = Actor.named("it-admin@orebro.se")
        assessment = new_assessment(load_checklist(TEST_CHECKLISTS / "wizard-short.yaml"), "Vivalla torg",
                                    municipality="Örebro")
        with open_store(url) as store:
            grant(store, admin, admin.name, "admin")
            grant(store, admin, "elif.sahin@orebro.se", "author", org="Örebro")
            store.create(assessment, "elif.sahin@orebro.se")
        env = {"SKB_DATABASE_URL": url, "SKB_CHECKLIST_DIR": str(TEST_CHECKLISTS)}
        servers = [AppServer(root / f"data-{name}", env=env, log=root / f"streamlit-{name}.log",
                             options=[f"--secrets.files={secrets_file}"]) for name in ("a", "b")]
        for server in servers:
            server.start()
        nginx = Nginx(root / "nginx", [f"127.0.0.1:{s.port}" for s in servers], port=front).start()
        yield SignedRegion(url, servers, nginx, issuer, assessment.id)
    finally:
        if nginx is not None:
            nginx.stop()
        for server in servers:
            server.stop()
        if provider is not None:
            os.killpg(provider.pid, signal.SIGTERM)
            provider.wait(timeout=10)
        cluster.remove()


def settle(page) -> None:  # type: ignore[no-untyped-def]
    wait_for_the_run(page)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")


def test_a_person_signed_in_through_nginx_stays_signed_in_when_her_server_dies(browser, region: SignedRegion) -> None:
    context = watch_runs(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    try:
        page.goto(f"{region.nginx.url}/?lang=en")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{region.issuer}/**")
        page.locator("input[name=login]").fill("elif")
        page.locator("input[name=password]").fill("any password: the development form does not check it")
        page.get_by_role("button", name="Sign-in").click()
        page.wait_for_url(f"{region.nginx.url}/**")
        page.get_by_text("Inloggad som").wait_for()

        page.goto(f"{region.nginx.url}/wizard?id={region.aid}&step=1&lang=en")
        page.get_by_text("Is there a park within 300 metres?").first.wait_for()
        settle(page)
        page.locator(".st-key-q-park").get_by_text("Yes", exact=True).click()
        settle(page)
        page.get_by_text(re.compile(r"Saved .* \(version 2\)")).wait_for()

        # Her server dies; nginx sends her to the other, where her sign-in cookie is good too.
        cookie = next(c["value"] for c in context.cookies() if c["name"] == "skb_server")
        hers = region.nginx.served_by(cookie)[0]
        (dead,) = [s for s in region.servers if hers == f"127.0.0.1:{s.port}"]
        (alive,) = [s for s in region.servers if s is not dead]
        dead.kill()
        assert region.nginx.served_by(cookie)[0].endswith(f"127.0.0.1:{alive.port}")
        page.reload()
        page.get_by_text("Signed in as").wait_for()
        page.get_by_text("Is there a park within 300 metres?").first.wait_for()
        settle(page)
        assert page.get_by_role("button", name="Sign in").count() == 0
        assert page.locator(".st-key-q-park").get_by_role("radio", name="Yes").is_checked()
        area = page.locator(".st-key-q-beskrivning textarea")
        area.fill("Torget vid Vivalla centrum; Şahin, Łódź, Ελλάδα.")
        area.press("Tab")
        settle(page)
        page.get_by_text(re.compile(r"Saved .* \(version 3\)")).wait_for()
    finally:
        context.close()

    with open_store(region.url) as store:
        stored = store.load(region.aid).assessment
        history = store.history(region.aid)
    assert stored.answers["park"].value is True
    assert stored.answers["beskrivning"].value == "Torget vid Vivalla centrum; Şahin, Łódź, Ελλάδα."
    assert [(v.revision, v.author) for v in history[1:]] == [(2, "elif.sahin@orebro.se"), (3, "elif.sahin@orebro.se")]
