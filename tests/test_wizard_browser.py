"""The wizard in a real browser against a real `streamlit run`: a short
assessment is completed, the page is reloaded midway and every answer is
still there, and the PDF report downloads. A screenshot of every page, in
Swedish and English, is saved to test-artifacts/ for a person to look at.

Needs Debian's Chromium (/usr/bin/chromium); without it the suite skips with
a loud reason (and under CI=true a skip fails the run).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment.store.auth import Actor
from assessment.store.storage import open_store

try:  # tests/ is on sys.path under pytest's default import mode
    from server import BROWSER_WAIT_MS, AppServer, app_server, wait_for_the_run  # noqa: F401  (the fixture)
except ImportError:  # tests/ made a package
    from tests.server import BROWSER_WAIT_MS, AppServer, app_server, wait_for_the_run  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"BROWSER SUITE NOT RUN: {CHROMIUM} is missing "
                                                     "(apt-get install chromium)"),
]

TIMEOUT = BROWSER_WAIT_MS  # how long a wait may take before the test counts as hung, never a speed


def shot(page, name: str) -> None:
    """A picture of the whole page. Streamlit scrolls inside its main pane, not the
    document, so the window is made as tall as the pane's content first."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)  # let charts and fonts settle
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 900")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 8000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"wizard-{name}.png"), full_page=True)
    page.set_viewport_size(size)


# A `pages/` directory beside streamlit_app.py (even an empty one, which git does not
# keep) puts Streamlit in its legacy multipage mode, and that greets every deep link
# with a "Page not found" dialog over the right page. A checkout never has one.
LEGACY_PAGES = Path(__file__).resolve().parent.parent / "pages"


def settle(page) -> None:
    """Wait until Streamlit has finished the rerun the last action started."""
    wait_for_the_run(page)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=TIMEOUT)
    page.wait_for_timeout(200)
    if LEGACY_PAGES.exists():
        stray = page.get_by_role("dialog").filter(has_text="Page not found")
        if stray.count():
            page.keyboard.press("Escape")
            stray.wait_for(state="hidden")


def question(page, criterion: str):
    return page.locator(f".st-key-q-{criterion}")


def choose(page, select_label: str, option: str) -> None:
    """Pick an option in a field of the start page's form: nothing runs until the form is sent."""
    page.get_by_label(select_label, exact=True).click()
    page.get_by_role("option", name=option).click()
    page.get_by_role("option", name=option).wait_for(state="hidden")


def test_a_short_assessment_survives_a_reload_and_downloads_its_report(page, app_server: AppServer) -> None:
    page.set_default_timeout(TIMEOUT)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app_server.url}/?who=Ada+%C5%9Eahin")
    page.get_by_text("Ny bedömning", exact=True).wait_for()
    shot(page, "start-sv")

    # start
    choose(page, "Checklista", "Kort provchecklista (1)")
    page.get_by_label("Titel").fill("Kvarteret Åby – Łódź-vägen")
    page.get_by_label("Kommun eller region").fill("Eskilstuna")
    page.get_by_role("button", name="Skapa och börja").click()
    page.get_by_text("Finns det en park inom 300 meter?").first.wait_for()
    settle(page)
    assert re.search(r"[?&]step=1\b", page.url) and "id=" in page.url

    # step 1: yes/no and a text
    question(page, "park").get_by_text("Ja", exact=True).click()
    settle(page)
    text = question(page, "beskrivning").locator("textarea")
    text.fill("Gamla bruksområdet vid ån; Ελλάδα-torget i söder.")
    text.press("Tab")  # a text area saves when it loses focus
    settle(page)
    shot(page, "step1-sv")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_text("Hur påverkas tryggheten i Åby?").first.wait_for()
    settle(page)

    # step 2: the zero alternative and the proposal side by side
    trygghet = question(page, "trygghet")
    trygghet.get_by_role("radiogroup", name="Nollalternativ").get_by_text("Liten negativ").click()
    settle(page)
    trygghet.get_by_role("radiogroup", name="Planförslaget").get_by_text("Stor positiv").click()
    settle(page)
    trygghet.get_by_text("Motivering · Underlag").last.click()  # the proposal's fold, drawn once open
    settle(page)
    comment = trygghet.get_by_label("Motivering").last
    comment.fill("Belysning och fler som rör sig på kvällen.")
    comment.press("Tab")
    settle(page)
    assessment_id = re.search(r"[?&]id=([A-Za-z0-9_\-]+)", page.url).group(1)

    # reload midway: everything is still there, on the same step
    page.reload()
    page.get_by_text("Hur påverkas tryggheten i Åby?").first.wait_for()
    settle(page)
    trygghet = question(page, "trygghet")
    assert trygghet.get_by_role("radiogroup", name="Nollalternativ").get_by_label("Liten negativ").is_checked()
    assert trygghet.get_by_role("radiogroup", name="Planförslaget").get_by_label("Stor positiv").is_checked()
    # folded after the reload, the motivation shows beside its fold; opened, in its field
    assert trygghet.get_by_text("Belysning och fler som rör sig på kvällen.").count() == 1
    trygghet.get_by_text("Motivering · Underlag").last.click()
    settle(page)
    assert trygghet.get_by_label("Motivering").last.input_value() == "Belysning och fler som rör sig på kvällen."
    page.get_by_role("button", name="Föregående").click()
    settle(page)
    assert question(page, "park").get_by_label("Ja", exact=True).is_checked()
    assert question(page, "beskrivning").locator("textarea").input_value() == \
        "Gamla bruksområdet vid ån; Ελλάδα-torget i söder."
    page.get_by_role("button", name="Nästa").click()
    settle(page)

    # a server restart: the same place, every answer
    app_server.restart()
    page.reload()
    page.get_by_text("Hur påverkas tryggheten i Åby?").first.wait_for()
    settle(page)
    trygghet = question(page, "trygghet")
    assert trygghet.get_by_role("radiogroup", name="Planförslaget").get_by_label("Stor positiv").is_checked()
    shot(page, "step2-sv")

    stored = open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}").load(assessment_id)
    assert stored.assessment.answer("trygghet", "forslag").value == 2
    assert stored.assessment.answer("trygghet", "noll").value == -1
    # Local mode: the OS user of the server, labelled as local; the name in the URL (?who=) is ignored.
    assert {v.author for v in open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}").history(assessment_id)} \
        == {Actor.local().name}

    # results and the PDF
    page.get_by_role("button", name="Se resultatet").click()
    page.get_by_role("button", name="Skapa rapporten (PDF och HTML)").wait_for()
    settle(page)
    shot(page, "results-sv")
    page.get_by_role("button", name="Skapa rapporten (PDF och HTML)").click()
    download_button = page.get_by_role("button", name="Ladda ner PDF")
    download_button.wait_for(timeout=2 * TIMEOUT)  # the PDF is built first
    with page.expect_download() as info:
        download_button.click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    with page.expect_download() as info:  # its accessible HTML twin, built with it
        page.get_by_role("button", name="Ladda ner HTML").click()
    html = Path(info.value.path()).read_text(encoding="utf-8")
    assert '<html lang="sv"' in html and "Åby" in html

    # the same pages in English
    page.get_by_text("en", exact=True).click()
    page.get_by_role("button", name="Build the report (PDF and HTML)").wait_for()
    settle(page)
    assert "lang=en" in page.url
    shot(page, "results-en")
    page.goto(f"{app_server.url}/wizard?id={assessment_id}&step=2&lang=en")
    page.get_by_text("How is safety in Åby affected?").first.wait_for()
    settle(page)
    shot(page, "step2-en")
    page.goto(f"{app_server.url}/history?id={assessment_id}&lang=en")
    page.get_by_text("Versions", exact=True).wait_for()
    settle(page)
    shot(page, "history-en")
    page.goto(f"{app_server.url}/?lang=en")
    page.get_by_text("New assessment", exact=True).wait_for()
    settle(page)
    assert "Kvarteret Åby" in page.content()
    shot(page, "start-en")


def test_a_bad_link_shows_a_message_not_a_traceback(page, app_server: AppServer) -> None:
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{app_server.url}/wizard?id=nope&step=7")
    page.get_by_text("Det finns ingen bedömning med id nope").wait_for()
    assert "Traceback" not in page.content()
    shot(page, "bad-link-sv")
