"""Sign-in end to end: a real OpenID Connect provider on loopback, the real app, Debian's Chromium.

The provider is panva/oidc-provider (OpenID Certified), installed from
tests/oidc/package-lock.json with `npm ci` and started with node on
localhost on a free port; the app runs on 127.0.0.1 on another with a secrets file whose
[auth] section points at it, so `st.login` does the whole dance: the redirect,
the provider's own login form, the code exchange and the signed ID token.
Nothing of st.user is mocked. Then the roles apply: a reader cannot change
anything, an author who is also a reviewer cannot adopt her own assessment,
another reviewer can, dated by the server's clock, and the admin sees it all
in the audit log.

Needs /usr/bin/chromium and node + npm; without them the suite skips with a
loud reason (and under CI=true a skip fails the run).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment.store.audit import events
from assessment.store.auth import Actor, grant
from assessment.answers.model import Answer, Status, new_assessment
from assessment.workflow.review import send_for_review
from assessment.store.storage import open_store

try:  # tests/ is on sys.path under pytest's default import mode
    from server import AppServer, free_port, wait_for_url
    from test_review import torg
except ImportError:  # tests/ made a package
    from tests.server import AppServer, free_port, wait_for_url
    from tests.test_review import torg

CHROMIUM = Path("/usr/bin/chromium")
OIDC_DIR = Path(__file__).resolve().parent / "oidc"
# Free ports, so that a second `make test` beside this one never collides with it; the provider's
# client is registered with this run's redirect address.
APP_PORT, PROVIDER_PORT = free_port(), free_port()
# Two host names for one machine: the provider's cookies and the app's never share a jar.
APP_URL = f"http://127.0.0.1:{APP_PORT}"
ISSUER = f"http://localhost:{PROVIDER_PORT}"
TIMEOUT = 30_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [
    pytest.mark.xdist_group("sign-in"),  # one worker starts the provider and the app once
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"SIGN-IN BROWSER SUITE NOT RUN: {CHROMIUM} is missing "
                                                     "(apt-get install chromium)"),
    pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None,
                       reason="SIGN-IN BROWSER SUITE NOT RUN: node and npm are missing (apt-get install nodejs npm)"),
]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """oidc-provider on localhost with one client, SKB on 127.0.0.1 (free ports, chosen at import)."""
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0:
            pytest.skip(f"SIGN-IN BROWSER SUITE NOT RUN: `npm ci` in tests/oidc failed:\n{done.stderr[-2000:]}")
    client = {"CLIENT_ID": "skb", "CLIENT_SECRET": secrets.token_urlsafe(24),
              "REDIRECT_URI": f"{APP_URL}/oauth2callback"}
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with open(log, "ab") as out:
        process = subprocess.Popen(["node", "provider.mjs"], cwd=OIDC_DIR, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, **client, "ISSUER": ISSUER, "PORT": str(PROVIDER_PORT)},
                                   start_new_session=True)
    try:
        wait_for_url(f"{ISSUER}/.well-known/openid-configuration", process, log)
        yield client
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def shared_app(provider: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    """SKB in shared mode: roles granted to the theme group, an assessment Elif wrote and sent for review."""
    root = tmp_path_factory.mktemp("shared")
    secrets_file = root / "secrets.toml"
    secrets_file.write_text(f"""[auth]
redirect_uri = "{provider['REDIRECT_URI']}"
cookie_secret = "{secrets.token_urlsafe(32)}"
client_id = "{provider['CLIENT_ID']}"
client_secret = "{provider['CLIENT_SECRET']}"
server_metadata_url = "{ISSUER}/.well-known/openid-configuration"
client_kwargs = {{ prompt = "login" }}
""", encoding="utf-8")
    data = root / "data"
    data.mkdir()
    url = f"sqlite:///{data / 'skb.sqlite'}"
    admin = Actor.named("it-admin@orebro.se")
    with open_store(url) as store:
        grant(store, admin, admin.name, "admin")
        for name, role in (("elif.sahin@orebro.se", "author"), ("elif.sahin@orebro.se", "reviewer"),
                           ("johan.lindqvist@orebro.se", "reviewer"), ("marta.wisniewska@orebro.se", "reader")):
            grant(store, admin, name, role, org="Örebro")
        a = new_assessment(torg(), "Stortorget i Vivalla", municipality="Örebro")
        a.set_answer("belysning", Answer(value=-1, comment="Mörkt vid busshållplatsen"))
        revision = store.create(a, "elif.sahin@orebro.se")
        send_for_review(store, a.id, revision, Actor.named("elif.sahin@orebro.se"))
    server = AppServer(data, port=APP_PORT, env={"SKB_DATABASE_URL": url},
                       options=[f"--secrets.files={secrets_file}"])
    with server:
        yield server, a.id


def settle(page) -> None:
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=TIMEOUT)
    page.wait_for_timeout(200)


def sign_in_as(browser, login: str):
    """A fresh browser profile, signed in through the provider's own login form."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{APP_URL}/?lang=en")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{ISSUER}/**")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the development form does not check it")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{APP_URL}/**")
    page.get_by_text("Inloggad som").wait_for()  # back on the app's start, in its default language
    page.goto(f"{APP_URL}/?lang=en")
    page.get_by_text("Signed in as").wait_for()
    settle(page)
    return context, page


def test_nothing_is_shown_before_signing_in_and_the_url_cannot_name_anyone(browser, shared_app) -> None:
    _, aid = shared_app
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{APP_URL}/review?id={aid}&who=Kommunfullm%C3%A4ktige&lang=en")
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.get_by_text("Stortorget i Vivalla").count() == 0
    assert page.get_by_text("Kommunfullmäktige").count() == 0
    context.close()


def test_roles_apply_after_signing_in_with_the_provider(browser, shared_app) -> None:
    server, aid = shared_app

    # A reader sees the assessment but can change nothing and cannot comment.
    context, page = sign_in_as(browser, "marta")
    assert page.get_by_text("Marta Wiśniewska").count() >= 1
    page.get_by_text("reader (örebro)").wait_for()
    page.get_by_text("New assessments are written by those with the author role").wait_for()
    page.goto(f"{APP_URL}/wizard?id={aid}&lang=en")
    page.get_by_text("You can read but not change this assessment").wait_for()  # said why, at the top
    settle(page)
    choices = page.locator(".st-key-q-belysning input[type=radio]")
    assert choices.count() >= 5 and all(choices.nth(i).is_disabled() for i in range(choices.count()))
    page.locator(".st-key-q-belysning").get_by_text("Positive", exact=True).last.click(force=True)  # tries anyway
    settle(page)
    assert page.get_by_text("Traceback").count() == 0
    page.goto(f"{APP_URL}/review?id={aid}&lang=en")
    page.get_by_text("Stortorget i Vivalla").first.wait_for()
    settle(page)
    assert page.get_by_role("button", name="Send", exact=True).is_disabled()
    assert page.locator(".st-key-sign_off button").is_disabled()
    assert page.get_by_role("link", name="Administration").count() == 0
    context.close()

    # Elif wrote it; she is a reviewer too, and still cannot adopt her own work.
    context, page = sign_in_as(browser, "elif")
    page.goto(f"{APP_URL}/review?id={aid}&lang=en")
    page.get_by_text("You wrote part of this assessment and cannot adopt it yourself").wait_for()
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "signin-own-work.png"), full_page=True)
    assert page.locator(".st-key-sign_off button").is_disabled()
    context.close()

    # Johan, a reviewer who did not write it, adopts it: today, by the server's clock.
    context, page = sign_in_as(browser, "johan")
    page.goto(f"{APP_URL}/review?id={aid}&lang=en")
    page.get_by_text(f"by the server's clock: {dt.date.today().isoformat()}").wait_for()
    page.locator(".st-key-sign_off_confirm label").click()
    settle(page)
    page.get_by_role("button", name="Adopt as Johan Lindqvist").click()
    page.get_by_text("Stored report").wait_for(timeout=90_000)
    context.close()

    with open_store(server.env["SKB_DATABASE_URL"]) as store:
        adopted = store.load(aid).assessment
        assert adopted.answer("belysning", "proposal").value == -1  # the reader's click changed nothing
        meta = adopted.metadata
        assert (meta.status, meta.adopted_by, meta.adopted_at) == (
            Status.ADOPTED, "johan.lindqvist@orebro.se", dt.date.today())
        signed_in = {e.actor for e in events(store) if e.action == "sign_in"}
        assert signed_in >= {"marta.wisniewska@orebro.se", "elif.sahin@orebro.se", "johan.lindqvist@orebro.se"}
        assert [e.actor for e in events(store, assessment_id=aid) if e.action == "sign_off"] == [
            "johan.lindqvist@orebro.se"]

    # The admin sees the users, their roles and the audit log.
    context, page = sign_in_as(browser, "admin")
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("heading", name="Audit log").wait_for()  # not the link's tooltip, which names it too
    settle(page)
    # Users, the rule per organisation, the log: three tables (drawn on a canvas, so their
    # content was checked through the store above); a picture for a person to look at.
    page.get_by_test_id("stDataFrame").nth(2).wait_for()
    settle(page)
    assert page.get_by_test_id("stDataFrame").count() == 3
    page.screenshot(path=str(ARTIFACTS / "signin-admin.png"), full_page=True)
    context.close()
