"""The wizard, driven in-process with Streamlit's AppTest: from the start page
through every step to the results, for each reference checklist and for a
checklist written for these tests; nothing is lost on a refresh, a bad URL
leads back to the start with a message, and a stale tab is told so.

Every test stores in a temporary SQLite database (SKB_DATA_DIR), never in the
user's data directory.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.store.auth import Actor
from assessment.checklist.checklist import AnswerType, Checklist
from assessment.checklist.library import load_library
from assessment.answers.model import UNKNOWN, Answer
from assessment.scoring.scoring import score
from assessment.store.storage import open_store
from assessment.scoring.summary import fmt_figure
from assessment.checklist.validate import load_checklist
from assessment.catalogue import template
from ui.widgets import fold_key
from apptest import app

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
DATA = ROOT / "tests" / "data"
CHECKLIST_WIDGETS = ("radio", "selectbox", "multiselect", "text_area", "text_input", "number_input", "date_input")


@pytest.fixture
def data_dir(app_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data directory for this test's assessments, the test checklists installed."""
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(DATA))
    return app_data_dir


# --- driving the wizard like a planner would ------------------------------------------------------


def _pick(options: list, salt: str) -> object:
    return options[sum(map(ord, salt)) % len(options)]


def planned_value(checklist: Checklist, key: str) -> object:
    """The answer this test gives to the widget with `key` (w:<assessment>:<criterion>:<alternative>:<part>)."""
    _, _, cid, alt, part = key.split(":", 4)
    crit = checklist.criterion(cid)
    salt = f"{cid}/{alt}/{part}"
    if part == "comment":
        return f"Motivering för {cid} ({alt}) – åäö Łódź"
    if part == "evidence":
        return f"Underlag: dialog med Şahin, {cid}"
    if part == "certainty" and checklist.certainty is not None:
        return _pick([lv.id for lv in checklist.certainty.levels], salt)
    if crit.type in (AnswerType.IMPACT, AnswerType.GROUP_IMPACT):
        scale = checklist.scale(crit.scale or "")
        steps = [s.value for s in scale.steps]
        return _pick(steps + ([UNKNOWN] if scale.offers(UNKNOWN) else []), salt)
    if crit.type == AnswerType.YES_NO:
        return True
    if crit.type == AnswerType.SINGLE_CHOICE:
        return _pick([o.id for o in checklist.choice_list(crit.choices or "").options], salt)
    if crit.type == AnswerType.MULTI_CHOICE:
        return [o.id for o in checklist.choice_list(crit.choices or "").options][:2]
    if crit.type == AnswerType.LADDER:
        return checklist.ladder(crit.ladder or "").levels[-1].id
    if crit.type == AnswerType.TEXT:
        return f"Svar på {cid}: Ελλάδα och Örebro"
    if crit.type == AnswerType.NUMBER:
        return crit.min if crit.min is not None else 12
    if crit.type == AnswerType.DATE:
        return "2030-06-01"  # typed: Streamlit's date picker speaks only English
    raise AssertionError(f"no planned answer for {crit.type}")


def question_widgets(at: AppTest) -> list:
    return [w for kind in CHECKLIST_WIDGETS for w in getattr(at, kind) if (w.key or "").startswith("w:")]


def open_folds(at: AppTest, checklist: Checklist) -> None:
    """Open every question's motivation and measures folds, as a planner clicks them open."""
    assessment_id = _param(at, "id")
    alternatives = [None] + [a.id for a in checklist.alternatives] + ["proposal"]
    for crit in checklist.criteria():
        at.session_state[fold_key(assessment_id, crit.id, None, "measures")] = True
        for alt in alternatives:
            at.session_state[fold_key(assessment_id, crit.id, alt, "reasoning")] = True
    at.run()
    assert not at.exception, at.exception


def answer_step(at: AppTest, checklist: Checklist) -> dict[str, object]:
    """Answer every empty question widget on the step, again while conditions reveal more."""
    open_folds(at, checklist)
    given: dict[str, object] = {}
    for _ in range(10):
        fresh = [w for w in question_widgets(at) if w.key not in given and w.value in (None, "", [])]
        if not fresh:
            return given
        for widget in fresh:
            value = planned_value(checklist, widget.key)
            widget.set_value(value)
            given[widget.key] = value
        at.run()
        assert not at.exception, at.exception
    raise AssertionError("the step kept revealing new questions")


def start_assessment(at: AppTest, checklist_id: str, title: str) -> str:
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="new_checklist").set_value(checklist_id)
    at.text_input(key="new_title").set_value(title)
    at.text_input(key="new_municipality").set_value("Malmö")
    at.text_input(key="new_areas").set_value("Rosengård, Hyllie")
    at.button(key="create").click().run()
    assert not at.exception, at.exception
    # AppTest keeps the elements of the page a switch_page left; one more run
    # gives the tree (and widget ids) a browser would have.
    at.run()
    assert at.query_params["step"] == ["1"] or at.query_params["step"] == "1"
    return _param(at, "id")


def _param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def complete(at: AppTest, checklist: Checklist) -> dict[str, object]:
    """Answer every step, adding a measure where one can be attached, and arrive at the results."""
    given: dict[str, object] = {}
    for i, section in enumerate(checklist.sections):
        assert _param(at, "step") == str(i + 1)
        given.update(answer_step(at, checklist))
        adders = [b for b in at.button if (b.key or "").startswith("m:") and b.key.endswith(":add")]
        if adders:
            adders[0].click().run()
            assert not at.exception, at.exception
            text = [w for w in at.text_input if (w.key or "").startswith("m:") and w.key.endswith(":text")][0]
            text.set_value("Trygg gångväg till stranden, Ελλάδα-kajen").run()
            responsible = [w for w in at.text_input if (w.key or "").endswith(":responsible")][0]
            responsible.set_value("Stadsbyggnadsförvaltningen").run()
        if i + 1 < len(checklist.sections):
            at.button(key="next").click().run()
        else:
            at.button(key="to_results").click().run()
        assert not at.exception, at.exception
    return given


# --- the complete assessment, per checklist ---------------------------------------------------------


def complete_and_check(data_dir: Path, checklist_id: str) -> None:
    checklists, broken = load_library()
    assert checklist_id in checklists, broken
    checklist = checklists[checklist_id]
    at = app(who="Ada Şahin")
    assessment_id = start_assessment(at, checklist_id, f"Provbedömning {checklist_id} – Łódź")
    given = complete(at, checklist)
    assert given, "no question widget was found"

    # the results page is drawn from what was stored
    assert not at.exception, at.exception
    stored = open_store().load(assessment_id)
    expected = score(stored.assessment)
    assert stored.assessment.metadata.title == f"Provbedömning {checklist_id} – Łódź"
    assert stored.assessment.metadata.areas == ["Rosengård", "Hyllie"]
    overall = expected.headline.overall.value
    metrics = [m.value for m in at.metric]
    assert (fmt_figure(overall) if overall is not None else "Ingen poäng ännu") in metrics
    if overall is not None and checklist.frameworks:
        assert at.get("vega_lite_chart"), "no chart on the results page"

    # every answer the test gave is stored
    for key, value in given.items():
        _, _, cid, alt, part = key.split(":", 4)
        answer = stored.assessment.answer(cid, None if alt == "-" else alt)
        assert answer is not None, key
        if part == "comment":
            assert answer.comment == value
        elif part == "evidence":
            assert answer.evidence == value
        elif part == "certainty":
            assert answer.certainty == value
        elif part.startswith("group:"):
            assert answer.value[part.removeprefix("group:")] == value, key
        elif isinstance(value, dt.date):
            assert answer.value == value.isoformat()
        else:
            assert answer.value == value, key
    if any(c.measures for c in checklist.criteria()):
        assert any(m.text.startswith("Trygg gångväg") and m.responsible == "Stadsbyggnadsförvaltningen"
                   for m in stored.assessment.measures)
    # Local mode: the OS user, labelled as local, whatever name the URL carried.
    assert {v.author for v in open_store().history(assessment_id)} == {Actor.local().name}

    # the PDF is built from the results page
    at.button(key="build_pdf").click().run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 2, "no PDF and HTML download buttons after building the report"


def test_written_for_the_test_checklist_runs_through_unchanged(data_dir: Path) -> None:
    complete_and_check(data_dir, "wizard-odd")


def test_mini_checklist_without_alternatives(data_dir: Path) -> None:
    complete_and_check(data_dir, "mini")


REFERENCE = sorted(p.name for p in (ROOT / "checklists").glob("*.yaml"))


@pytest.mark.parametrize("checklist_file", REFERENCE)
def test_reference_checklist_from_start_to_results(data_dir: Path, checklist_file: str) -> None:
    complete_and_check(data_dir, load_checklist(ROOT / "checklists" / checklist_file).id)


# --- nothing is lost -------------------------------------------------------------------------------


def test_a_refresh_returns_to_the_same_step_with_every_answer(data_dir: Path) -> None:
    checklist = load_checklist(DATA / "wizard-odd.yaml")
    at = app()
    assessment_id = start_assessment(at, "wizard-odd", "Hamnen")
    given = answer_step(at, checklist)
    at.button(key="next").click().run()
    given.update(answer_step(at, checklist))

    fresh = app(id=assessment_id, step="2")  # a new session, as after a refresh or a server restart
    fresh.run()
    fresh.switch_page("ui/app_pages/wizard.py").run()
    assert not fresh.exception, fresh.exception
    # the motivations show, folded, beside their folds; opened, in their fields
    assert any("Motivering för strandpaverkan" in c.value for c in fresh.caption)
    open_folds(fresh, checklist)
    shown = {w.key: w.value for w in question_widgets(fresh)}
    step_two = {k: v for k, v in given.items() if k.split(":")[2] in {c.id for c in checklist.sections[1].criteria}}
    assert step_two
    for key, value in step_two.items():
        assert shown[key] == value, key
    fresh.button(key="back").click().run()
    shown = {w.key: w.value for w in question_widgets(fresh)}
    assert shown[f"w:{assessment_id}:badar:-:value"] is True
    assert shown[f"w:{assessment_id}:farkoster:-:value"] == ["farja", "kajak"]


def test_answers_hidden_by_a_condition_are_kept_but_not_scored(data_dir: Path) -> None:
    checklist = load_checklist(DATA / "wizard-odd.yaml")
    at = app()
    assessment_id = start_assessment(at, "wizard-odd", "Villkor")
    answer_step(at, checklist)
    at.button(key="next").click().run()
    answer_step(at, checklist)
    assert at.radio(key=f"w:{assessment_id}:strandpaverkan:liten:value").value is not None

    at.button(key="back").click().run()
    at.radio(key=f"w:{assessment_id}:badar:-:value").set_value(False).run()
    at.button(key="next").click().run()
    assert not question_widgets(at)
    assert any("gäller inte" in i.value for i in at.info)

    stored = open_store().load(assessment_id).assessment
    assert stored.answer("strandpaverkan", "liten") is not None  # kept, should the answer change back
    result = score(stored)
    assert "strandpaverkan" in result.hidden
    assert "strandpaverkan" not in result.headline.criteria or result.headline.criteria["strandpaverkan"].value is None


# --- the URL is checked ---------------------------------------------------------------------------


@pytest.mark.parametrize("query, message", [
    ({"id": "../../etc/passwd"}, "ogiltigt bedömnings-id"),
    ({"id": "0123456789abcdef"}, "Det finns ingen bedömning med id 0123456789abcdef"),
])
def test_a_bad_assessment_id_leads_to_the_start_page(data_dir: Path, query: dict[str, str], message: str) -> None:
    at = app(**query)
    at.run()
    at.switch_page("ui/app_pages/wizard.py").run()
    assert not at.exception, at.exception
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.button(key="create")


@pytest.mark.parametrize("step", ["0", "4", "99", "abc", "-1", "1.5", "٣"])
def test_a_step_out_of_range_leads_to_the_start_page(data_dir: Path, step: str) -> None:
    at = app()
    assessment_id = start_assessment(at, "wizard-odd", "Steg")
    other = app(id=assessment_id, step=step)
    other.run()
    other.switch_page("ui/app_pages/wizard.py").run()
    assert not other.exception, other.exception
    assert any("finns inte i den här bedömningen" in w.value for w in other.warning), [w.value for w in other.warning]


# --- two tabs ------------------------------------------------------------------------------------------


def test_a_stale_tab_is_told_and_can_reload(data_dir: Path) -> None:
    first = app(who="Eva")
    assessment_id = start_assessment(first, "wizard-odd", "Två flikar")
    second = app(id=assessment_id, step="1", who="Olle")
    second.run()
    second.switch_page("ui/app_pages/wizard.py").run()

    first.radio(key=f"w:{assessment_id}:badar:-:value").set_value(True).run()
    second.radio(key=f"w:{assessment_id}:badar:-:value").set_value(False).run()
    assert not second.exception, second.exception
    assert any(Actor.local().name in e.value for e in second.error), [e.value for e in second.error]
    assert open_store().load(assessment_id).assessment.answer("badar").value is True  # not overwritten

    second.button(key="reload").click().run()
    assert not second.error
    assert second.radio(key=f"w:{assessment_id}:badar:-:value").value is True
    second.radio(key=f"w:{assessment_id}:badar:-:value").set_value(False).run()
    assert not second.error
    assert open_store().load(assessment_id).assessment.answer("badar").value is False


# --- language, name, list --------------------------------------------------------------------------------


def test_the_language_switch_changes_interface_and_checklist_and_survives_a_refresh(data_dir: Path) -> None:
    at = app()
    assessment_id = start_assessment(at, "wizard-odd", "Språk")
    assert at.button(key="next").label == "Nästa"
    at.radio(key="lang").set_value("en").run()
    assert at.button(key="next").label == "Next"
    assert "Do people swim here?" in [m.value.strip("*") for m in at.markdown]
    assert _param(at, "lang") == "en"

    fresh = app(id=assessment_id, step="1", lang="en")
    fresh.run()
    fresh.switch_page("ui/app_pages/wizard.py").run()
    assert fresh.button(key="next").label == "Next"
    assert fresh.radio(key=f"w:{assessment_id}:badar:-:value").options == ["Yes", "No"]


def test_the_list_finds_assessments_by_search(data_dir: Path) -> None:
    at = app()
    start_assessment(at, "wizard-odd", "Hamnen i Ystad")
    other = app()
    start_assessment(other, "mini", "Skolgården i Kiruna")
    start = app()
    start.run()
    titles = "\n".join(m.value for m in start.markdown)
    assert "Hamnen i Ystad" in titles and "Skolgården i Kiruna" in titles
    start.text_input(key="search").set_value("kiruna").run()
    titles = "\n".join(m.value for m in start.markdown)
    assert "Kiruna" in titles and "Ystad" not in titles


def test_a_broken_checklist_is_shown_with_its_messages(data_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "trasig.yaml").write_text(
        "schema_version: 1\nid: trasig\nversion: '1'\ntitle: Trasig\nsections:\n"
        "  - id: a\n    title: A\n    criteria:\n      - id: q\n        text: Q\n        type: impact\n"
        "        scale: saknas\n", encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", f"{own}{':'}{DATA}")
    at = app()
    at.run()
    assert not at.exception, at.exception
    errors = "\n".join(e.value for e in at.error).replace("\\", "")  # the page escapes markdown
    assert "trasig.yaml" in errors and "saknas" in errors
    assert at.button(key="create")  # the valid checklists can still be used


# --- an adopted assessment --------------------------------------------------------------------------------


def test_an_adopted_assessment_opens_read_only_and_can_be_copied_into_a_new_draft(data_dir: Path) -> None:
    checklist = load_checklist(DATA / "wizard-odd.yaml")
    at = app(who="Kim")
    assessment_id = start_assessment(at, "wizard-odd", "Fastställs")
    answer_step(at, checklist)
    store = open_store()
    store.adopt(assessment_id, store.load(assessment_id).revision, "Kommunstyrelsen")

    fresh = app(id=assessment_id, step="1", who="Kim")
    fresh.run()
    fresh.switch_page("ui/app_pages/wizard.py").run()
    assert not fresh.exception, fresh.exception
    assert any("fastställd" in i.value for i in fresh.info)
    # The chosen answers read as text in full colour, not as a disabled widget's faint grey.
    assert not question_widgets(fresh)
    assert any("Färja, Kajak" in m.value for m in fresh.markdown)

    fresh.switch_page("ui/app_pages/history.py").run()
    assert not fresh.exception, fresh.exception
    fresh.button(key="copy_as_draft").click().run()
    assert not fresh.exception, fresh.exception
    copy_id = _param(fresh, "id")
    assert copy_id != assessment_id
    copy = store.load(copy_id).assessment
    assert copy.metadata.status == "draft"
    assert copy.answer("farkoster").value == ["farja", "kajak"]
    fresh.run()
    assert not any(w.disabled for w in question_widgets(fresh))


def test_measures_are_added_filled_in_and_removed(data_dir: Path) -> None:
    checklist = load_checklist(DATA / "wizard-odd.yaml")
    at = app(who="Kim")
    assessment_id = start_assessment(at, "wizard-odd", "Åtgärder")
    at.radio(key=f"w:{assessment_id}:badar:-:value").set_value(True).run()
    at.button(key="next").click().run()
    fold = fold_key(assessment_id, "strandpaverkan", None, "measures")
    assert f"m:{assessment_id}:strandpaverkan:add" not in [b.key for b in at.button]  # folded until opened
    at.session_state[fold] = True
    at.run()
    add = f"m:{assessment_id}:strandpaverkan:add"
    at.button(key=add).click().run()
    at.button(key=add).click().run()
    first, second = open_store().load(assessment_id).assessment.measures
    at.text_input(key=f"m:{assessment_id}:{first.id}:text").set_value("Ramp ner till vattnet vid Ελλάδα-bryggan")
    at.text_input(key=f"m:{assessment_id}:{first.id}:responsible").set_value("Tekniska förvaltningen")
    at.text_input(key=f"m:{assessment_id}:{first.id}:due").set_value("2027-05-31")
    at.text_input(key=f"m:{assessment_id}:{first.id}:indicator").set_value("Andel badplatser med ramp")
    at.run()
    at.button(key=f"m:{assessment_id}:{second.id}:remove").click().run()
    assert not at.exception, at.exception

    (measure,) = open_store().load(assessment_id).assessment.measures
    assert (measure.id, measure.criterion, measure.text, measure.responsible, measure.due, measure.indicator) == (
        first.id, "strandpaverkan", "Ramp ner till vattnet vid Ελλάδα-bryggan", "Tekniska förvaltningen",
        dt.date(2027, 5, 31), "Andel badplatser med ramp")
    assert [w.value for w in at.text_input if (w.key or "").endswith(":responsible")] == ["Tekniska förvaltningen"]
    assert checklist.criterion("strandpaverkan").measures

    # folded again, the measure is still stored and its text shows beside the fold
    at.session_state[fold] = False
    at.run()
    assert not at.exception, at.exception
    assert not [w for w in at.text_input if (w.key or "").startswith(f"m:{assessment_id}:")]
    assert any("Ramp ner till vattnet vid Ελλάδα\\-bryggan" in c.value for c in at.caption)
    assert len(open_store().load(assessment_id).assessment.measures) == 1



def test_at_the_bound_no_measure_can_be_added_and_the_limit_is_named(data_dir: Path) -> None:
    from assessment.answers.model import Bounds, Measure, new_assessment

    a = new_assessment(load_checklist(DATA / "wizard-odd.yaml"), "Fullt av åtgärder")
    a.set_answer("badar", Answer(value=True))
    a.measures = [Measure(criterion="strandpaverkan", text=f"Åtgärd {i}") for i in range(Bounds.MEASURES)]
    open_store().create(a, "Kim")
    at = app(who="Kim", id=a.id, step="2", lang="en")
    at.session_state[fold_key(a.id, "strandpaverkan", None, "measures")] = True
    at.run()
    at.switch_page("ui/app_pages/wizard.py").run()
    assert not at.exception, at.exception
    add = at.button(key=f"m:{a.id}:strandpaverkan:add")
    assert add.disabled
    assert any(f"at most {Bounds.MEASURES} measures" in c.value for c in at.caption)
    assert len(open_store().load(a.id).assessment.measures) == Bounds.MEASURES


def test_the_report_is_built_in_the_language_of_the_interface(data_dir: Path) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from reports.i18n import msg

    checklist = load_checklist(DATA / "wizard-short.yaml")
    at = app()
    start_assessment(at, "wizard-short", "Rapport på två språk")
    complete(at, checklist)
    at.radio(key="lang").set_value("en").run()
    at.button(key="build_pdf").click().run()
    assert not at.exception, at.exception
    built = {k: v for k, v in at.session_state["skb_open"].cache.items() if k.startswith("pdf:")}
    assert list(built) and all(k.endswith(":en") for k in built)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(next(iter(built.values())))).pages)
    assert msg("en", "report.summary_title") in text
    assert msg("sv", "report.summary_title") not in text


def test_dialogues_are_recorded_beside_the_ladder_question(data_dir: Path) -> None:
    at = app(who="Kim")
    assessment_id = start_assessment(at, "wizard-odd", "Dialoger")
    at.button(key="step:2").click().run()
    at.button(key=f"p:{assessment_id}:inflytande:add").click().run()
    (record,) = open_store().load(assessment_id).assessment.participation
    key = f"p:{assessment_id}:{record.id}"
    at.text_input(key=f"{key}:method").set_value("Trygghetsvandring med Şahin och grannarna")
    at.text_input(key=f"{key}:date").set_value("2026-09-14")
    at.number_input(key=f"{key}:participants").set_value(23)
    at.selectbox(key=f"{key}:level").set_value("forhandla")
    at.multiselect(key=f"{key}:groups").set_value(["fiskare", "alla"])
    at.text_area(key=f"{key}:heard").set_value("Bryggan är mörk på kvällen.")
    at.text_area(key=f"{key}:changed").set_value("Belysning längs hela kajen.")
    at.run()
    assert not at.exception, at.exception

    (stored,) = open_store().load(assessment_id).assessment.participation
    assert (stored.method, stored.date, stored.participants, stored.level, stored.groups, stored.heard,
            stored.changed) == ("Trygghetsvandring med Şahin och grannarna", dt.date(2026, 9, 14), 23, "forhandla",
                                ["fiskare", "alla"], "Bryggan är mörk på kvällen.", "Belysning längs hela kajen.")
    at.button(key=f"{key}:remove").click().run()
    assert open_store().load(assessment_id).assessment.participation == []


def test_the_downloaded_report_carries_the_review_thread_as_it_stands(data_dir: Path) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from assessment.workflow.review import post, thread

    def built_text() -> str:
        [pdf] = [v for k, v in at.session_state["skb_open"].cache.items() if k.startswith("pdf:")]
        return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())

    checklist = load_checklist(DATA / "wizard-short.yaml")
    at = app(who="Kim")
    assessment_id = start_assessment(at, "wizard-short", "Granskad i appen")
    complete(at, checklist)
    store = open_store()
    post(store, assessment_id, 0, "Marta Wiśniewska", "Beskriv hur Łódź-gruppen nåddes.")
    at.run()
    at.button(key="build_pdf").click().run()
    assert not at.exception, at.exception
    assert "Beskriv hur Łódź-gruppen nåddes." in built_text()

    # A reply posted after the PDF was built makes it out of date: it is built again, with the reply.
    [comment] = thread(store, assessment_id).comments
    post(store, assessment_id, 1, "Kim", "Via föreningsrådet i Ελλάδα-parken.", reply_to=comment.id)
    at.run()
    assert not at.get("download_button")
    at.button(key="build_pdf").click().run()
    assert not at.exception, at.exception
    assert at.get("download_button")
    text = built_text()
    assert "Beskriv hur Łódź-gruppen nåddes." in text and "Via föreningsrådet i Ελλάδα-parken." in text


def test_a_date_is_typed_and_a_wrong_one_is_kept_said_and_not_saved(data_dir: Path) -> None:
    # Streamlit's date picker names months and weekdays in English only: a date question is typed as ISO 8601
    checklist = load_checklist(DATA / "wizard-odd.yaml")
    at = app(who="Kim")
    assessment_id = start_assessment(at, "wizard-odd", "Datum i Łódź")
    step = next(i for i, s in enumerate(checklist.sections) if any(c.id == "klart" for c in s.criteria))
    at.button(key=f"step:{step}").click().run()
    key = f"w:{assessment_id}:klart:-:value"
    at.text_input(key=key).set_value("2030-02-30").run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [template("sv", "ui.date_invalid").format(text="2030\\-02\\-30")]
    assert at.text_input(key=key).value == "2030-02-30"  # what was typed stays in the field
    assert open_store().load(assessment_id).assessment.answer("klart") is None  # and nothing was saved
    at.text_input(key=key).set_value("2030-06-01").run()
    assert not at.exception and not at.error
    assert open_store().load(assessment_id).assessment.answer("klart").value == "2030-06-01"
