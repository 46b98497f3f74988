"""Accessibility in a real browser: axe-core on every page, and a wizard step done by keyboard alone.

axe-core (tests/axe_check.py) checks WCAG 2.1 AA on every page of the app, in Swedish
and English, with an assessment open and without one, every tab of the results and
every step of the wizard; no serious or critical violation may remain. Then a person
who uses no mouse opens a step: the first Tab reaches "skip to the question", Enter
takes them there, and they answer every question of the step and go on with Next,
with the keyboard alone; the answers are stored. With the sidebar folded away (768 px)
the steps are still offered in the page.

Needs Debian's Chromium (/usr/bin/chromium) and axe-core (`npm ci --prefix tests/axe`);
without them the suite skips with a loud reason (and under CI=true a skip fails the run).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.checklist.checklist import text_for
from assessment.answers.model import new_assessment
from assessment.workflow.review import send_for_review, sign_off
from assessment.store.storage import open_store
from assessment.checklist.validate import load_checklist

try:  # tests/ is on sys.path under pytest's default import mode
    from axe_check import AXE_JS, MISSING, SERIOUS, violations
    from server import BROWSER_WAIT_MS, AppServer, app_server, wait_for_the_run  # noqa: F401  (the fixture)
except ImportError:  # tests/ made a package
    from tests.axe_check import AXE_JS, MISSING, SERIOUS, violations
    from tests.server import BROWSER_WAIT_MS, AppServer, app_server, wait_for_the_run  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "grannskap-utbyggnad.yaml"
SHORT = Path(__file__).resolve().parent / "data" / "wizard-short.yaml"  # two steps: yes/no and text, then an impact

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"ACCESSIBILITY BROWSER TEST NOT RUN: {CHROMIUM} is missing "
                                                     "(apt-get install chromium)"),
    pytest.mark.skipif(not AXE_JS.exists(), reason=f"ACCESSIBILITY BROWSER TEST NOT RUN: {MISSING}"),
]

PAGES = ("", "wizard", "results", "history", "review", "followup", "portfolio", "compare")
# The page has drawn what its run sent: no run going, and a heading or a message in the main pane.
DRAWN = """() => { const app = document.querySelector('[data-test-script-state]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('[data-testid=stMain] h1, [data-testid=stMain] h2, [data-testid=stMain] [data-testid=stAlert]'); }"""
# ... and all of it is there for axe to read: no element still loading, every chart drawn (charts draw after
# the run ends) and every image loaded.
COMPLETE = DRAWN[:-3] + """
    && !document.querySelector('[data-testid=stMain] [data-testid^=stSkeleton]')
    && [...document.querySelectorAll('[data-testid=stMain] .stVegaLiteChart')].every(c => c.querySelector('canvas, svg'))
    && [...document.querySelectorAll('[data-testid=stMain] img')].every(i => i.complete); }"""


def drawn(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(DRAWN)
    page.wait_for_timeout(400)  # charts draw after the run ends


def complete(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page is drawn with every chart and image (a condition, where `drawn` pauses)."""
    page.wait_for_function(COMPLETE)


def focused(page) -> str:  # type: ignore[no-untyped-def]
    """The focused element, as a test can name it: its question (`st-key-q-…`) or else its nearest key
    container (`st-key-…`), its tag, type and text."""
    return page.evaluate("""() => { const e = document.activeElement;
        const keyed = e.closest('[class*="st-key-q-"]') || e.closest('[class*="st-key-"]');
        const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-q-'))
          || [...keyed.classList].find(c => c.startsWith('st-key-')) : '';
        return `${key}|${e.tagName}|${e.getAttribute('type') || ''}|${(e.innerText || e.value || '').slice(0, 40)}`; }""")


class Checks:
    """axe-core run on each page as it is drawn; what it found, by where."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page, self.count, self.found = page, 0, {}

    def __call__(self, where: str) -> None:
        complete(self.page)
        self.count += 1
        if problems := violations(self.page, SERIOUS):
            self.found[where] = [str(v) for v in problems]

    def report(self) -> str:
        return "\n".join(f"{where}: {v}" for where, vs in self.found.items() for v in vs)


def _open_example(app_server: AppServer) -> tuple[str, int]:
    """The example imported into the server's store: (its id, its number of wizard steps)."""
    with open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}") as store:
        aid = store.import_(EXAMPLE.read_bytes(), source=EXAMPLE.name, author="Ada Şahin")
        return aid, len(store.load(aid).assessment.checklist.sections)


# In parts, so that the two workers of `make test` share them: each language on every page with no
# assessment open and with one open (every tab of the results); every step of the wizard in Swedish; the
# narrow window and the adopted assessment.
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_page_has_a_serious_accessibility_violation(page, app_server: AppServer, lang: str) -> None:
    aid, _ = _open_example(app_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    check = Checks(page)
    for path in PAGES:  # no assessment open: a fresh session per page
        page.context.clear_cookies()
        page.goto(f"{app_server.url}/{path}?lang={lang}")
        check(f"{path or 'start'} ({lang}, none open)")
    for path in PAGES:
        page.goto(f"{app_server.url}/{path}?id={aid}&lang={lang}")
        check(f"{path or 'start'} ({lang}, open)")
        if path == "results":  # every tab, each built when opened
            tabs = page.locator("[data-testid=stMain] [role=tab]")
            for i in range(1, tabs.count()):
                tabs.nth(i).click()
                wait_for_the_run(page)
                check(f"results tab {i + 1} ({lang})")
    assert check.count >= 2 * len(PAGES)
    assert check.found == {}, check.report()


def test_no_step_of_the_wizard_has_a_serious_accessibility_violation(page, app_server: AppServer) -> None:
    aid, steps = _open_example(app_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    check = Checks(page)
    for step in range(2, steps + 1):  # every step once, in Swedish (the first is the wizard page, above)
        page.goto(f"{app_server.url}/wizard?id={aid}&step={step}&lang=sv")
        check(f"wizard step {step} (sv)")
    assert check.count == steps - 1 > 0
    assert check.found == {}, check.report()


def test_no_page_has_a_serious_accessibility_violation_narrow_or_adopted(page, app_server: AppServer) -> None:
    aid, _ = _open_example(app_server)
    check = Checks(page)
    page.set_viewport_size({"width": 768, "height": 900})
    for path in ("wizard", "results"):
        page.goto(f"{app_server.url}/{path}?id={aid}&lang=sv")
        check(f"{path} at 768 px")
    # adopted: the answers drawn read-only, the stored report, the file picker to verify a PDF
    with open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}") as store:
        sign_off(store, aid, send_for_review(store, aid, store.load(aid).revision, "Ada Şahin"), "Johan Lindqvist",
                 lang="sv")
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in ("wizard", "review", "history", "followup"):
        page.goto(f"{app_server.url}/{path}?id={aid}&lang=sv")
        check(f"{path} (sv, adopted)")
        if path == "review":  # the file picker's button named in Swedish, not Streamlit's "Upload"
            uploader = page.locator("[data-testid=stFileUploader]")
            assert uploader.get_by_role("button", name="Välj fil").count() == 1
            assert "Upload" not in uploader.inner_text()
    assert check.count == 6
    assert check.found == {}, check.report()


def tab_to(page, where: str, presses: int = 15) -> None:  # type: ignore[no-untyped-def]
    """Tab until the focus is on `where` (see `focused`), at most `presses` times."""
    trail = [focused(page)]
    while not trail[-1].startswith(where):
        assert len(trail) <= presses, f"{where} not reached by Tab; the focus went: {trail}"
        page.keyboard.press("Tab")
        trail.append(focused(page))


def keyboard_step(page, app_server: AppServer, width: int) -> None:  # type: ignore[no-untyped-def]
    checklist = load_checklist(SHORT)
    with open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}") as store:
        assessment = new_assessment(checklist, "Tangentbordet – Łódź", municipality="Eskilstuna")
        store.create(assessment, "Ada Şahin")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{app_server.url}/wizard?id={assessment.id}&step=1&lang=sv")
    page.get_by_text("Finns det en park inom 300 meter?").first.wait_for()
    drawn(page)
    # The step's fields drawn, not the grey placeholders the browser shows while it loads their code on a
    # first visit (a person cannot reach a placeholder either; under load one outlived the 400 ms above).
    page.locator(".st-key-q-park input[type=text]").wait_for()
    page.locator(".st-key-q-beskrivning textarea").wait_for()

    # the first Tab reaches the skip link, in Swedish; Enter takes focus to the step's questions
    page.keyboard.press("Tab")
    assert focused(page).endswith("|A||Hoppa till frågan"), focused(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "skb-question"

    # the first question: yes/no, chosen with the space bar
    page.keyboard.press("Tab")
    assert focused(page).startswith("st-key-q-park|INPUT|radio"), focused(page)
    page.keyboard.press("Space")
    # At machine speed from here on: no key waits for the step to be drawn again. Every key goes to the
    # server while the fragment run of the key before may still be drawing, and nothing may be lost by
    # it (the text, the Enter on Next); ui/widgets.py `catch_up` and ui/app_pages/wizard.py `_pick_step`.
    # on to the text question, past the first question's own comment field
    tab_to(page, "st-key-q-beskrivning|TEXTAREA")
    page.keyboard.type("Gamla bruksområdet vid ån; Ελλάδα-torget i söder.")
    page.keyboard.press("Tab")  # the text saves as it loses focus
    # on to Next, and Enter: the next step opens
    tab_to(page, "st-key-next|BUTTON")
    page.keyboard.press("Enter")
    page.get_by_text("Hur påverkas tryggheten i Åby?").first.wait_for()
    drawn(page)
    with open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}") as store:
        stored = store.load(assessment.id).assessment
    assert stored.answer("park") is not None and stored.answer("park").value is True
    assert stored.answer("beskrivning").value == "Gamla bruksområdet vid ån; Ελλάδα-torget i söder."


def test_a_step_is_completed_by_keyboard_alone(page, app_server: AppServer) -> None:
    keyboard_step(page, app_server, 1280)


def test_with_the_sidebar_folded_away_the_steps_are_in_the_page(page, app_server: AppServer) -> None:
    with open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}") as store:
        aid = store.import_(EXAMPLE.read_bytes(), source=EXAMPLE.name, author="Ada Şahin")
        titles = [text_for(s.title, "sv") for s in store.load(aid).assessment.checklist.sections]
    for width, shown in ((1280, False), (768, True)):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{app_server.url}/wizard?id={aid}&step=1&lang=sv")
        drawn(page)
        picker = page.locator(".st-key-skb-step-picker")
        assert picker.is_visible() is shown, width
    # at 768 px: the picker, reached and used by keyboard, opens the step chosen
    picker.get_by_role("combobox").focus()
    page.keyboard.type(titles[3][:12])
    page.keyboard.press("Enter")
    wait_for_the_run(page)
    page.wait_for_function("() => location.search.includes('step=4')")
    page.locator("[data-testid=stMain]").get_by_role("heading", name=titles[3]).wait_for()
