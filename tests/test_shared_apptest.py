"""The pages of a shared installation, driven with AppTest as a signed-in person.

An Örebro theme group shares one SKB with Uppsala: Elif writes, Johan reviews,
Marta reads. What a person may not do is drawn disabled, with one line saying
why, rather than refused after a click; and the start page, the due follow-up
reviews and the portfolio show only the organisations where the person holds a
role. The person comes from `st.user` (the identity provider's claims, which
AppTest seeds); the roles from the database. Local mode is the default of the
other AppTest suites and is unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.store import storage
from assessment.store.auth import Actor, grant
from assessment.workflow.followup import measures
from assessment.answers.model import Answer, Measure, MeasureStatus, ParticipationRecord, Status, new_assessment
from assessment.store.storage import Store, open_store
from assessment.checklist.validate import load_checklist
from ui.widgets import fold_key

try:  # tests/ is on sys.path under pytest's default import mode
    from test_wizard_apptest import question_widgets
except ImportError:  # tests/ made a package
    from tests.test_wizard_apptest import question_widgets

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
DATA = ROOT / "tests" / "data"
WIDGETS = ("radio", "selectbox", "multiselect", "text_area", "text_input", "number_input", "date_input")

ADMIN = Actor.named("it-admin@orebro.se")
ELIF = Actor.named("elif.sahin@orebro.se")
JOHAN = Actor.named("johan.lindqvist@orebro.se")
MARTA = Actor.named("marta@orebro.se")
ULLA = Actor.named("ulla@uppsala.se")

pytestmark = pytest.mark.slow


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A shared installation (SKB_MODE=shared) in a temporary database, with Örebro's and Uppsala's roles."""
    monkeypatch.setenv("SKB_MODE", "shared")
    monkeypatch.setenv("SKB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    monkeypatch.delenv("SKB_USER", raising=False)
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(DATA))
    with open_store() as s:
        grant(s, ADMIN, ADMIN.name, "admin")
        grant(s, ADMIN, ELIF.name, "author", org="Örebro")
        grant(s, ADMIN, JOHAN.name, "reviewer", org="Örebro")
        grant(s, ADMIN, MARTA.name, "reader", org="Örebro")
        grant(s, ADMIN, ULLA.name, "author", org="Uppsala")
        yield s


def signed_in(who: Actor, **query: str) -> AppTest:
    """The app as `who`, signed in: the claims a provider's ID token carries."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.user = {"is_logged_in": True, "email": who.name, "name": who.name.split("@")[0].title(),
               "iss": "https://idp.orebro.test", "sub": "sub-" + who.name}
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def _harbour(store: Store, municipality: str = "Örebro") -> str:
    """A draft by Elif with an answer, a measure and a participation record, so every editor is drawn."""
    a = new_assessment(load_checklist(DATA / "wizard-odd.yaml"), "Hamnen vid Ελλάδα-bryggan",
                       municipality=municipality)
    a.set_answer("badar", Answer(value=True))
    a.measures.append(Measure(id="ramp", criterion="strandpaverkan", text="Ramp ner till vattnet"))
    a.participation.append(ParticipationRecord(id="vandring", method="Trygghetsvandring"))
    store.create(a, ELIF.name)
    return a.id


def _inputs(at: AppTest, prefix: str) -> list:
    return [w for kind in WIDGETS for w in getattr(at, kind) if (w.key or "").startswith(prefix)]


@pytest.mark.parametrize(("who", "may_edit"), [(MARTA, False), (JOHAN, False), (ELIF, True)])
def test_the_wizard_is_drawn_disabled_for_whoever_may_not_edit_and_says_why(shared: Store, who: Actor,
                                                                           may_edit: bool) -> None:
    aid = _harbour(shared)
    at = signed_in(who, id=aid, step="2")
    at.session_state[f"d:{aid}:open"] = True  # the details form
    at.session_state[fold_key(aid, "strandpaverkan", None, "measures")] = True
    at.switch_page("ui/app_pages/wizard.py").run()
    assert not at.exception, at.exception

    questions, details, measure_fields = question_widgets(at), _inputs(at, f"d:{aid}:"), _inputs(at, f"m:{aid}:")
    assert questions and len(details) >= 9 and len(measure_fields) == 4
    assert all(w.disabled != may_edit for w in questions + details + measure_fields)
    buttons = {b.key: b for b in at.button}
    assert buttons[f"m:{aid}:strandpaverkan:add"].disabled != may_edit
    assert buttons[f"m:{aid}:ramp:remove"].disabled != may_edit
    why = [i.value for i in at.info if "kan läsa men inte ändra" in i.value]
    if may_edit:
        assert why == []
    else:  # one line, naming the role it takes, the organisation and the role the person has there
        role = "läsare" if who == MARTA else "granskare"
        assert why == [f"Du kan läsa men inte ändra den här bedömningen: att ändra kräver rollen författare i Örebro "
                       f"(din roll där: {role}). Fälten visas därför låsta."]
    # What is stored is shown, not blanked, in the disabled fields.
    assert at.text_input(key=f"m:{aid}:ramp:text").value == "Ramp ner till vattnet"
    assert at.text_input(key=f"d:{aid}:municipality").value == "Örebro"

    at.button(key="step:2").click().run()  # the dialogue editor, beside the ladder question
    assert not at.exception, at.exception
    dialogue = _inputs(at, f"p:{aid}:")
    assert len(dialogue) == 8 and all(w.disabled != may_edit for w in dialogue)
    assert {b.key: b for b in at.button}[f"p:{aid}:inflytande:add"].disabled != may_edit


def test_the_line_saying_why_is_in_the_person_s_language(shared: Store) -> None:
    aid = _harbour(shared, municipality="ÖREBRO")  # the organisation compared without case
    at = signed_in(MARTA, id=aid, step="1", lang="en")
    at.switch_page("ui/app_pages/wizard.py").run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info if "read but not change" in i.value] == [
        "You can read but not change this assessment: changing it needs the author role in ÖREBRO "
        "(your role there: reader). The fields are therefore shown locked."]
    assert question_widgets(at) and all(w.disabled for w in question_widgets(at))


def _adopted(store: Store, title: str, municipality: str, days_ago: int) -> str:
    """An assessment adopted `days_ago` by the server's clock (its follow-up review six months later)."""
    a = new_assessment(load_checklist(DATA / "wizard-odd.yaml"), title, municipality=municipality)
    a.set_answer("badar", Answer(value=True))
    a.measures.append(Measure(id="ramp", criterion="strandpaverkan", text="Ramp ner till vattnet",
                              indicator="Andel badplatser med ramp"))
    revision = store.create(a, ELIF.name)
    a = store.load(a.id).assessment
    a.metadata.status = Status.IN_REVIEW
    revision = store.save(a, revision, ELIF.name)
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(storage, "server_date", lambda: dt.date.today() - dt.timedelta(days=days_ago))
        store.adopt(a.id, revision, "Kommunstyrelsen")
    return a.id


def test_start_page_and_portfolio_show_only_the_organisations_where_one_holds_a_role(shared: Store) -> None:
    ours = _adopted(shared, "Hamnen i Örebro", "Örebro", 200)
    theirs = _adopted(shared, "Hamnen i Uppsala", "Uppsala", 200)
    for who, seen, hidden in ((MARTA, ours, theirs), (ULLA, theirs, ours)):
        start = signed_in(who)
        keys = [b.key for b in start.button]
        assert f"due:{seen}" in keys and f"due:{hidden}" not in keys  # the due follow-up reviews
        assert f"open:{seen}" in keys and f"open:{hidden}" not in keys  # the list of assessments
        start.switch_page("ui/app_pages/portfolio.py").run()
        assert not start.exception, start.exception
        assert start.metric[0].value == "1"
        assert start.selectbox(key="pf_municipality").options == [shared.load(seen).assessment.metadata.municipality]
    start = signed_in(ADMIN)  # an admin of every organisation sees every one
    keys = [b.key for b in start.button]
    assert {f"due:{ours}", f"due:{theirs}"} <= set(keys)
    start.switch_page("ui/app_pages/portfolio.py").run()
    assert start.metric[0].value == "2"


def test_follow_up_is_greyed_out_for_a_reader_and_recorded_by_a_reviewer(shared: Store) -> None:
    aid = _adopted(shared, "Hamnen i Örebro", "Örebro", 30)
    page = signed_in(MARTA, id=aid)
    page.switch_page("ui/app_pages/followup.py").run()
    assert not page.exception, page.exception
    assert page.selectbox(key="status:ramp:0").disabled
    assert all(page.button(key=k).disabled for k in ("save_review_date", "record_review", "reassess"))
    assert all(w.disabled for w in (page.text_area(key="note:ramp"), page.number_input(key="value:ramp"),
                                    page.text_input(key="review_date_input")))
    assert any("Din roll räcker inte" in c.value for c in page.caption)

    page = signed_in(JOHAN, id=aid)  # a reviewer records follow-up, but starts no re-assessment (a new draft)
    page.switch_page("ui/app_pages/followup.py").run()
    assert not page.selectbox(key="status:ramp:0").disabled and page.button(key="reassess").disabled
    assert not page.text_area(key="note:ramp").disabled and not page.button(key="record_review").disabled
    page.selectbox(key="status:ramp:0").set_value("under_way").run()
    assert not page.exception, page.exception
    [ramp] = measures(shared, aid)
    assert (ramp.status, ramp.updated_by) == (MeasureStatus.UNDER_WAY, JOHAN.name)
