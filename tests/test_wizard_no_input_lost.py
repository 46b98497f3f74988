"""No answer the browser delivers is lost, whatever Streamlit does with the callbacks of a request.

Found at machine speed in a real browser (tests/test_accessibility_browser.py): a step picker's choice
is sent as its label, and its labels count the answers, so a request sent while an answer's fragment
run was being drawn carried a label no option had any more. Its callback raised on it, and every other
callback of that request was dropped with it: the text just typed never reached the store, while it
still stood in its field. Driven here in-process with AppTest: the stale label in the same request
as a typed text, and a value that reached the session without its callback running at all (which
`ui.widgets.catch_up` saves on the next run, before the stored answer is put back over it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.answers.model import Answer, new_assessment
from assessment.checklist.validate import load_checklist
from assessment.store.storage import Store
from ui.widgets import fold_key, widget_key

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
SHORT = ROOT / "tests" / "data" / "wizard-short.yaml"  # step 1: park (yes/no), beskrivning (text); step 2: impact
EXAMPLE = ROOT / "examples" / "grannskap-utbyggnad.yaml"  # answered throughout
TEXT = "Gamla bruksområdet vid ån; Ελλάδα-torget i söder, Łódź-gatan."


@pytest.fixture
def opened(app_store: Store) -> tuple[AppTest, str]:
    """The wizard at step 1 of a new assessment of the short checklist: (AppTest, assessment id)."""
    assessment = new_assessment(load_checklist(SHORT), "Bruksområdet – Åby", municipality="Eskilstuna")
    app_store.create(assessment, "Ada Şahin")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["id"] = assessment.id
    at.query_params["step"] = "1"
    at.run()
    at.switch_page("ui/app_pages/wizard.py").run()
    assert not at.exception, at.exception
    return at, assessment.id


def _step(at: AppTest) -> str:
    value = at.query_params["step"]
    return value[0] if isinstance(value, list) else value


def test_a_stale_step_label_sent_with_a_text_loses_neither(opened: tuple[AppTest, str], app_store: Store) -> None:
    at, aid = opened
    at.radio(key=widget_key(aid, "park", None, "value")).set_value(True).run()  # the counts change: "1/2"
    assert not at.exception, at.exception
    picker = at.selectbox(key="skb_step_pick")
    assert picker.options == ["Platsen · 1/2", "Påverkan · 0/2"]
    # the browser still shows the labels from before the answer's run reached it, and sends its choice
    # by one of them, in the same request as the text typed meanwhile
    at.text_area(key=widget_key(aid, "beskrivning", None, "value")).input(TEXT)
    picker.options = ["Platsen · 0/2", "Påverkan · 0/2"]
    picker.set_value("Platsen · 0/2").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert app_store.load(aid).assessment.answer("beskrivning").value == TEXT
    assert _step(at) == "1"  # the label names the step the person is on: nothing moves
    assert at.text_area(key=widget_key(aid, "beskrivning", None, "value")).value == TEXT
    # a stale label of another step still takes the person there
    picker = at.selectbox(key="skb_step_pick")
    picker.options = ["Platsen · 1/2", "Påverkan · 1/2"]
    picker.set_value("Påverkan · 1/2").run()
    assert not at.exception, at.exception
    assert _step(at) == "2"
    assert [s.value for s in at.subheader] == ["Påverkan"]


def test_a_value_whose_callback_never_ran_is_saved_on_the_next_run(opened: tuple[AppTest, str],
                                                                   app_store: Store) -> None:
    at, aid = opened
    key = widget_key(aid, "beskrivning", None, "value")
    # In the session, as the browser delivered it, but no callback applied it (as when another callback of
    # its request failed): the next run must save it, not put the stored (empty) answer back over it.
    at.session_state[key] = TEXT
    at.run()
    assert not at.exception, at.exception
    assert app_store.load(aid).assessment.answer("beskrivning").value == TEXT
    assert at.text_area(key=key).value == TEXT
    assert at.selectbox(key="skb_step_pick").options[0] == "Platsen · 1/2"  # counted in the run that saved it
    # and once only: the next run saves nothing new
    revision = app_store.load(aid).revision
    at.run()
    assert app_store.load(aid).revision == revision


def test_a_reload_shows_the_stored_answer_not_the_fields_last_one(opened: tuple[AppTest, str],
                                                                  app_store: Store) -> None:
    """A field the person left as it was given follows the store when the session reloads (after someone
    else's save): only a value no callback has applied is caught up, never one already applied."""
    at, aid = opened
    key = widget_key(aid, "beskrivning", None, "value")
    at.text_area(key=key).input("Första versionen").run()
    assert not at.exception, at.exception
    stored = app_store.load(aid)
    answer = Answer(value=TEXT)
    app_store.save_answer(aid, stored.revision, "beskrivning", None, answer, "Johan Lindqvist")  # another tab
    at.radio(key=widget_key(aid, "park", None, "value")).set_value(False).run()  # refused: a stale revision
    assert not at.exception, at.exception
    at.button(key="reload").click().run()
    assert not at.exception, at.exception
    assert at.text_area(key=key).value == TEXT
    at.run()
    assert app_store.load(aid).assessment.answer("beskrivning").value == TEXT
    assert app_store.load(aid).assessment.answer("park") is None


def test_drawing_every_step_again_saves_nothing(app_store: Store) -> None:
    """No field is caught up that nobody changed: the example assessment, answered throughout (dates,
    numbers, groups, measures, dialogues), every step drawn with its folds open and drawn again, stays at
    its revision. A false catch-up would write a version per run."""
    aid = app_store.import_(EXAMPLE.read_bytes(), source=EXAMPLE.name, author="Ada Şahin")
    stored = app_store.load(aid)
    checklist = stored.assessment.checklist
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["id"] = aid
    at.query_params["step"] = "1"
    at.run()
    at.switch_page("ui/app_pages/wizard.py").run()
    alternatives = [None] + [a.id for a in checklist.alternatives]
    for crit in checklist.criteria():
        at.session_state[fold_key(aid, crit.id, None, "measures")] = True
        for alt in alternatives:
            at.session_state[fold_key(aid, crit.id, alt, "reasoning")] = True
    drawn: set[str] = set()
    for i in range(len(checklist.sections)):
        at.button(key=f"step:{i}").click().run()
        at.run()
        assert not at.exception, (i, at.exception)
        assert not at.error, (i, [e.value for e in at.error])
        drawn.update(w.key or "" for kind in ("text_input", "text_area", "radio", "selectbox", "multiselect",
                                               "number_input") for w in getattr(at, kind))
    assert app_store.load(aid).revision == stored.revision
    # every kind of field was drawn: answers with their motivations, measures with due dates, dialogues
    assert {k.rsplit(":", 1)[-1] for k in drawn if k.startswith("w:")} >= {"value", "comment", "evidence"}
    assert any(k.startswith("m:") and k.endswith(":due") for k in drawn)
    assert any(k.startswith("p:") and k.endswith(":date") for k in drawn)
