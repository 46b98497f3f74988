"""The wizard's fragment in a real browser: an answer reruns only the part of the page it changes,
and nothing is lost by that.

The step, the progress, the step list and the save status are one fragment
(`ui/app_pages/wizard.py`), so an answer sends the server a rerun of that
fragment alone. These tests check what a planner relies on: the answer is in
the database, the progress and the step list count it, a question that depends
on it appears, a reload brings all of it back, and "next" moves on. And the
scale reads as one line per alternative at 1280 px. And at machine speed: a text typed
the moment after an answer, while the answer's run is still being drawn, is stored, and
a question an answer reveals does not take the focus from "next" below it. Needs
Debian's Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment.store.storage import open_store
from assessment.checklist.validate import load_checklist
from assessment.answers.model import new_assessment

try:  # tests/ is on sys.path under pytest's default import mode
    from server import TEST_CHECKLISTS, AppServer, app_server, wait_for_the_run  # noqa: F401  (the fixture)
except ImportError:  # tests/ made a package
    from tests.server import TEST_CHECKLISTS, AppServer, app_server, wait_for_the_run  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"BROWSER SUITE NOT RUN: {CHROMIUM} is missing "
                                                     "(apt-get install chromium)"),
]

CHECKLIST = """\
schema_version: 1
id: fragment-test
version: "1"
title: {sv: Fragmentprov, en: Fragment test}
languages: [sv, en]
frameworks:
  - id: omraden
    title: {sv: Målområden, en: Policy areas}
    items:
      - {id: boende, title: {sv: Boende och närmiljö, en: Housing and neighbourhood}}
scales:
  - id: fem
    steps:
      - {value: -2, label: {sv: Stor negativ påverkan, en: Major negative impact}}
      - {value: -1, label: {sv: Viss negativ påverkan, en: Some negative impact}}
      - {value: 0, label: {sv: Ingen märkbar påverkan, en: No noticeable impact}}
      - {value: 1, label: {sv: Viss positiv påverkan, en: Some positive impact}}
      - {value: 2, label: {sv: Stor positiv påverkan, en: Major positive impact}}
alternatives:
  - {id: noll, label: {sv: Nollalternativ, en: Zero alternative}, kind: zero}
  - {id: forslag, label: {sv: Planförslaget, en: The proposal}, kind: proposal}
sections:
  - id: barn
    title: {sv: Barnen, en: The children}
    criteria:
      - id: berors
        text: {sv: "Berörs barn av planen?", en: "Are children affected by the plan?"}
        type: yes_no
      - id: skolvag
        text: {sv: "Hur påverkas skolvägen för barn i Ålidhem?", en: "How is the way to school affected?"}
        type: impact
        scale: fem
        show_if: {equals: {question: berors, value: true}}
        dimensions: {omraden: [boende]}
  - id: plats
    title: {sv: Platsen, en: The place}
    criteria:
      - id: beskrivning
        text: {sv: Beskriv platsen, en: Describe the place}
        type: text
"""


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """SKB with the checklist above and one empty assessment of it: (server, assessment id)."""
    checklists = tmp_path / "checklists"
    checklists.mkdir()
    (checklists / "fragment-test.yaml").write_text(CHECKLIST, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    store = open_store(f"sqlite:///{data / 'skb.sqlite'}")
    try:
        assessment = new_assessment(load_checklist(checklists / "fragment-test.yaml"), "Skolvägen – Łódź-gatan",
                                    municipality="Umeå")
        store.create(assessment, "Ada Şahin")
    finally:
        store.close()
    with AppServer(data, env={"SKB_CHECKLIST_DIR": str(checklists)}) as app:
        yield app, assessment.id


def _stored(app: AppServer, assessment_id: str):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{app.data_dir / 'skb.sqlite'}")
    try:
        return store.load(assessment_id).assessment
    finally:
        store.close()


def _progress(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("[data-testid='stProgress']").inner_text()


def _reruns(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The fragment id of every rerun the page asks for ("" for a whole-page run), in order."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    asked: list[str] = []

    def sent(payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            try:
                message = BackMsg.FromString(payload)
            except Exception:  # not a message of ours
                return
            if message.WhichOneof("type") == "rerun_script":
                asked.append(message.rerun_script.fragment_id)

    page.on("websocket", lambda socket: socket.on("framesent", sent))
    return asked


def test_an_answer_in_the_fragment_is_saved_counted_and_survives_a_reload(page, server) -> None:
    app, aid = server
    page.set_viewport_size({"width": 1280, "height": 900})
    asked = _reruns(page)
    page.goto(f"{app.url}/wizard?id={aid}&step=1")
    question = page.locator(".st-key-q-berors")
    question.wait_for()
    wait_for_the_run(page)
    assert "0 av 2" in _progress(page)  # the follow-up (one per alternative) is hidden until a yes
    assert page.locator(".st-key-q-skolvag").count() == 0
    steps = page.locator(".st-key-skb-steps")
    assert steps.get_by_text(re.compile(r"Barnen · 0/1")).count() == 1

    before = len(asked)
    question.get_by_text("Ja", exact=True).click()
    page.locator(".st-key-q-skolvag").wait_for()  # the dependent question appears
    wait_for_the_run(page)
    assert asked[before:] and all(asked[before:]), "the answer reran the whole page, not the fragment"
    # counted everywhere: the overall progress and the step list (yes, and the follow-up for two alternatives)
    assert "1 av 4" in _progress(page)
    assert steps.get_by_text(re.compile(r"Barnen · 1/3")).count() == 1
    assert _stored(app, aid).answer("berors").value is True

    follow_up = page.locator(".st-key-q-skolvag")
    follow_up.get_by_role("radiogroup", name="Planförslaget").get_by_text("Viss positiv påverkan").click()
    wait_for_the_run(page)
    page.get_by_text(re.compile("2 av 4")).first.wait_for()
    assert steps.get_by_text(re.compile(r"Barnen · 2/3")).count() == 1
    assert _stored(app, aid).answer("skolvag", "forslag").value == 1
    saved = page.get_by_text(re.compile(r"Sparat \d\d:\d\d:\d\d \(version 3\)"))  # the save status, redrawn
    assert saved.count() == 1

    # the scale reads as one line per alternative at 1280 px: one horizontal line crosses all seven
    # options, left to right
    for name in ("Nollalternativ", "Planförslaget"):
        options = follow_up.get_by_role("radiogroup", name=name).locator("[data-testid='stRadioOption']")
        assert options.count() == 7
        boxes = [options.nth(i).bounding_box() for i in range(7)]
        assert max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes), \
            f"{name}'s options wrap onto more than one line"
        assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)

    # a reload (a new session) finds everything where it was
    page.reload()
    follow_up = page.locator(".st-key-q-skolvag")
    follow_up.wait_for()
    wait_for_the_run(page)
    assert page.locator(".st-key-q-berors").get_by_label("Ja", exact=True).is_checked()
    assert follow_up.get_by_role("radiogroup", name="Planförslaget").get_by_label("Viss positiv påverkan").is_checked()
    assert "2 av 4" in _progress(page)

    # "next" moves on inside the fragment too, and the step list follows
    before = len(asked)
    page.get_by_role("button", name="Nästa").click()
    text = page.locator(".st-key-q-beskrivning textarea")
    text.wait_for()
    wait_for_the_run(page)
    assert asked[before:] and all(asked[before:]), "\"next\" reran the whole page, not the fragment"
    assert re.search(r"[?&]step=2\b", page.url)
    text.fill("Skolvägen korsar Ålidhemsvägen; Ελλάδα-parken i norr.")
    text.press("Tab")  # a text area saves when it leaves focus
    wait_for_the_run(page)
    page.get_by_text(re.compile("3 av 4")).first.wait_for()
    assert _stored(app, aid).answer("beskrivning").value == "Skolvägen korsar Ålidhemsvägen; Ελλάδα-parken i norr."
    page.reload()
    page.locator(".st-key-q-beskrivning textarea").wait_for()
    wait_for_the_run(page)
    assert page.locator(".st-key-q-beskrivning textarea").input_value() == \
        "Skolvägen korsar Ålidhemsvägen; Ελλάδα-parken i norr."
    assert "3 av 4" in _progress(page)


def test_a_stale_tab_gets_the_conflict_message_from_inside_the_fragment(page, server) -> None:
    """Two tabs on one assessment: the second tab's answer, given after the first saved, is refused
    with the conflict message (a whole-page rerun), and the first tab's answer stays."""
    app, aid = server
    page.set_viewport_size({"width": 1280, "height": 900})
    other = page.context.new_page()
    for tab in (page, other):
        tab.goto(f"{app.url}/wizard?id={aid}&step=1")
        tab.locator(".st-key-q-berors").wait_for()
        wait_for_the_run(tab)
    page.locator(".st-key-q-berors").get_by_text("Ja", exact=True).click()
    page.locator(".st-key-q-skolvag").wait_for()
    wait_for_the_run(page)
    other.locator(".st-key-q-berors").get_by_text("Nej", exact=True).click()
    wait_for_the_run(other)
    other.locator(".st-key-problem").wait_for()
    assert _stored(app, aid).answer("berors").value is True
    other.locator(".st-key-reload button").click()
    wait_for_the_run(other)
    other.locator(".st-key-q-skolvag").wait_for()
    assert other.locator(".st-key-q-berors").get_by_label("Ja", exact=True).is_checked()
    other.close()


def test_text_typed_the_moment_after_an_answer_is_stored(page, app_server: AppServer) -> None:
    """Answer, and at once type into the next question and go on: no wait for the answer's run. Three
    times over, since what is tested is a race: typed during the run, the text was lost 7 times in 10."""
    checklist = load_checklist(TEST_CHECKLISTS / "wizard-short.yaml")
    page.set_viewport_size({"width": 1280, "height": 900})
    for n in range(3):
        text = f"Gamla bruksområdet vid ån, varv {n}; Ελλάδα-torget och Łódź-gatan i söder."
        assessment = new_assessment(checklist, f"Bruksområdet {n} – Åby", municipality="Eskilstuna")
        store = open_store(f"sqlite:///{app_server.data_dir / 'skb.sqlite'}")
        try:
            store.create(assessment, "Ada Şahin")
        finally:
            store.close()
        page.goto(f"{app_server.url}/wizard?id={assessment.id}&step=1&lang=sv")
        page.locator(".st-key-q-beskrivning textarea").wait_for()
        wait_for_the_run(page)
        page.locator(".st-key-q-park").get_by_text("Ja", exact=True).click()
        page.locator(".st-key-q-beskrivning textarea").click()  # the answer's run is still going
        page.keyboard.type(text)
        page.keyboard.press("Tab")
        page.get_by_role("button", name="Nästa").click()
        page.get_by_text("Hur påverkas tryggheten i Åby?").first.wait_for()
        wait_for_the_run(page)
        stored = _stored(app_server, assessment.id)
        assert stored.answer("park") is not None and stored.answer("park").value is True, n
        assert stored.answer("beskrivning") is not None and stored.answer("beskrivning").value == text, n


def test_a_question_an_answer_reveals_leaves_the_focus_on_next(page, server) -> None:
    """"Next" below a question that an answer reveals keeps its focus through the answer's run, so the
    Enter pressed on it is not lost; the revealed question keeps the place the hidden one held."""
    app, aid = server
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app.url}/wizard?id={aid}&step=1")
    page.locator(".st-key-q-berors").wait_for()
    wait_for_the_run(page)
    page.locator(".st-key-q-berors").get_by_text("Ja", exact=True).click()
    page.locator(".st-key-next button").focus()  # while the run that reveals the follow-up is going
    page.locator(".st-key-q-skolvag").wait_for()
    wait_for_the_run(page)
    assert page.evaluate("() => !!document.activeElement.closest('.st-key-next')"), \
        page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    page.keyboard.press("Enter")
    page.locator(".st-key-q-beskrivning textarea").wait_for()
    assert re.search(r"[?&]step=2\b", page.url)
    assert _stored(app, aid).answer("berors").value is True
