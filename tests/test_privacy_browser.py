"""The app makes no request outside its own server: assessments can hold personal data.

Every request the browser makes while a person opens the start page, an example
assessment's wizard step and its results is recorded, and each must go to the
app's own loopback address (or be inline data). A ":material/…:" page icon, for
one, makes Streamlit's front end fetch the favicon from Google's font host.

Needs Debian's Chromium (/usr/bin/chromium); without it the suite skips with
a loud reason (and under CI=true a skip fails the run).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assessment.store.storage import open_store

try:  # tests/ is on sys.path under pytest's default import mode
    from server import AppServer, app_server  # noqa: F401  (the fixture)
except ImportError:  # tests/ made a package
    from tests.server import AppServer, app_server  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "grannskap-utbyggnad.yaml"
TIMEOUT = 30_000  # ms: only stops a hung page, on a busy two-core machine; no speed is asserted

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"PRIVACY BROWSER TEST NOT RUN: {CHROMIUM} is missing "
                                                     "(apt-get install chromium)"),
]


def _outside(url: str, own_port: int) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    return not (parts.hostname in ("127.0.0.1", "localhost") and parts.port == own_port)


def test_no_page_makes_a_request_outside_the_apps_own_server(page, app_server: AppServer) -> None:
    with open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}") as store:
        assessment_id = store.import_(EXAMPLE.read_bytes(), source=EXAMPLE.name, author="Ada Şahin")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_default_timeout(TIMEOUT)

    for lang in ("sv", "en"):
        page.goto(f"{app_server.url}/?lang={lang}")
        page.locator("[data-testid='stSidebar']").wait_for()
        page.goto(f"{app_server.url}/wizard?id={assessment_id}&step=1&lang={lang}")
        page.locator("[data-testid='stMain']").get_by_role("button").first.wait_for()
        page.goto(f"{app_server.url}/results?id={assessment_id}&lang={lang}")
        page.locator("[data-testid='stMetric']").first.wait_for()
        page.wait_for_load_state("networkidle")

    assert requested, "the browser made no request at all: the test watched nothing"
    outside = sorted({u for u in requested if _outside(u, app_server.port)})
    assert outside == [], f"requests left the app's own server: {outside}"
    # The favicon is the app's own file, not a ":material/…:" icon from a font host.
    icons = page.locator("link[rel~='icon']")
    assert icons.count() >= 1
    assert all(not _outside(page.evaluate("(e) => e.href", icons.nth(i).element_handle()), app_server.port)
               for i in range(icons.count()))
