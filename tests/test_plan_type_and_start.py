"""The plan type is asked once and read by its label; the integrated checklist comes first.

A planner names the plan type on the start page; that answers the checklist's
plan type question (which sets the participation expected), and a later change
in the question or in the details changes the other. Nowhere (start page,
caption, details, portfolio, `skb score`) is the plan type shown as its id. The
library lists checklists by their `order`, so the integrated assessment is the
one preselected for a new assessment. Every test stores in a temporary
SQLite database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.workflow.cli import main
from assessment.checklist.library import load_library
from assessment.answers.model import dump_assessment, new_assessment
from assessment.store.storage import open_store
from assessment.checklist.validate import parse_checklist
from apptest import app

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
INTEGRATED = "skb-integrerad"


@pytest.fixture
def integrated():
    return load_library()[0][INTEGRATED]


def _param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def create(plan_type: str | None, lang: str = "sv") -> tuple[AppTest, str]:
    """A new integrated assessment from the start page, with `plan_type` chosen there."""
    at = app(who="Ayşe", lang=lang)
    at.run()
    at.text_input(key="new_title").set_value("Detaljplan för Ekbacka")
    if plan_type is not None:
        at.selectbox(key="new_plan_type").set_value(plan_type)
    at.button(key="create").click().run()
    at.run()
    assert not at.exception, at.exception
    return at, _param(at, "id")


# --- the core: one plan type, two places that agree ----------------------------------------------------------


def test_the_plan_type_given_at_the_start_answers_the_plan_type_question(integrated):
    a = new_assessment(integrated, "Ekbacka", plan_type="detailed_plan")
    assert integrated.plan_type_question().id == "plan_type"
    assert a.metadata.plan_type == "detailed_plan"
    assert a.answers["plan_type"].value == "detailed_plan"


def test_a_plan_type_the_question_does_not_offer_leaves_it_without_a_value_but_keeps_its_comment(integrated):
    a = new_assessment(integrated, "Ekbacka", plan_type="detailed_plan")
    a.answers["plan_type"].comment = "Planen tas fram med standardförfarande."
    a.set_plan_type("kulturmiljöprogram")  # typed in freely in the details
    assert a.metadata.plan_type == "kulturmiljöprogram"
    assert a.answers["plan_type"].value is None
    assert a.answers["plan_type"].comment == "Planen tas fram med standardförfarande."
    a.set_plan_type("")
    a.answers["plan_type"].comment = ""
    a.set_plan_type("")
    assert "plan_type" not in a.answers


def test_a_plan_type_reads_as_its_label_in_either_language(integrated):
    assert integrated.plan_type_label("detailed_plan", "sv") == "Detaljplan"
    assert integrated.plan_type_label("service_change", "en") == "Change to a service"
    assert integrated.plan_type_label("kulturmiljöprogram", "sv") == "kulturmiljöprogram"  # typed in: as typed


@pytest.mark.parametrize(("lang", "label"), [("sv", "Plantyp: Detaljplan"), ("en", "Plan type: Detailed development plan")])
def test_skb_score_names_the_plan_type_by_its_label(tmp_path, integrated, capsys, lang, label):
    path = tmp_path / "ekbacka.yaml"
    path.write_text(dump_assessment(new_assessment(integrated, "Ekbacka", plan_type="detailed_plan"), "yaml"),
                    encoding="utf-8")
    assert main(["score", str(path), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert label in out
    assert "detailed_plan" not in out


# --- the library's order ---------------------------------------------------------------------------------------


MINI = """\
schema_version: 1
id: {id}
version: "1"
title: {{sv: Liten, en: Small}}
{order}
sections:
  - id: s
    title: {{sv: S, en: S}}
    criteria:
      - {{id: q, text: {{sv: Fråga, en: Question}}, type: text}}
"""


def test_the_integrated_checklist_comes_first_in_the_library():
    assert next(iter(load_library()[0])) == INTEGRATED


def test_a_checklist_without_an_order_comes_after_the_ordered_ones_and_the_order_is_no_content(
        tmp_path, monkeypatch):
    own = tmp_path / "own"
    own.mkdir()
    (own / "a-forst.yaml").write_text(MINI.format(id="a-forst", order=""), encoding="utf-8")
    (own / "egen.yaml").write_text(MINI.format(id="egen", order="order: 1"), encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(own))
    found = list(load_library()[0])
    assert found[0] == "egen"
    assert found.index("a-forst") > found.index(INTEGRATED)
    first, _ = parse_checklist(MINI.format(id="egen", order="order: 1"), "egen.yaml")
    later, _ = parse_checklist(MINI.format(id="egen", order="order: 7"), "egen.yaml")
    assert first.content_hash() == later.content_hash()  # moving a checklist on the shelf changes no snapshot


def test_a_negative_order_is_refused_at_its_line():
    checklist, problems = parse_checklist(MINI.format(id="egen", order="order: -1"), "egen.yaml")
    assert checklist is None
    assert any('"order" must be zero or more' in p.message and p.line == 5 for p in problems), problems


# --- the start page, the wizard, the details ----------------------------------------------------------------------


def test_the_start_page_preselects_the_integrated_checklist_and_offers_plan_types_by_label(app_data_dir: Path):
    at = app(who="Ayşe")
    at.run()
    assert at.selectbox(key="new_checklist").value == INTEGRATED
    options = at.selectbox(key="new_plan_type").options
    assert "Detaljplan" in options and "Förändring av en verksamhet" in options
    assert not [o for o in options if "_" in o]  # no id shown


@pytest.mark.parametrize(("lang", "label"), [("sv", "Detaljplan"), ("en", "Detailed development plan")])
def test_the_plan_type_chosen_at_the_start_is_the_questions_answer_and_the_caption_reads_its_label(
        app_data_dir: Path, lang: str, label: str):
    at, aid = create("detailed_plan", lang)
    with open_store() as store:
        stored = store.load(aid).assessment
    assert stored.metadata.plan_type == "detailed_plan"
    assert stored.answers["plan_type"].value == "detailed_plan"
    caption = " ".join(c.value for c in at.caption)
    assert label in caption
    assert "detailed_plan" not in caption


def _step_of(checklist, criterion: str) -> str:
    return str(next(i for i, s in enumerate(checklist.sections, start=1) if any(c.id == criterion for c in s.criteria)))


def test_the_question_and_the_details_change_each_other(app_data_dir: Path, integrated):
    _, aid = create("detailed_plan")
    at = app(who="Ayşe", id=aid, step=_step_of(integrated, "plan_type"))
    at.run()
    at.switch_page("ui/app_pages/wizard.py").run()
    assert not at.exception, at.exception
    question = f"w:{aid}:plan_type:-:value"
    at.selectbox(key=question).set_value("planning_programme").run()  # eleven plan types: a select
    with open_store() as store:
        stored = store.load(aid).assessment
    assert stored.answers["plan_type"].value == "planning_programme"
    assert stored.metadata.plan_type == "planning_programme"  # the cover, the portfolio and the caption follow

    at.session_state[f"d:{aid}:open"] = True
    at.run()
    details = at.selectbox(key=f"d:{aid}:plan_type")
    assert details.value == "planning_programme"
    assert details.format_func("planning_programme") == "Planprogram"
    details.set_value("building_permit").run()
    assert not at.exception, at.exception
    with open_store() as store:
        stored = store.load(aid).assessment
    assert stored.metadata.plan_type == "building_permit"
    assert stored.answers["plan_type"].value == "building_permit"


def _blocks(node, kind: str):
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) == kind:
            yield child
        yield from _blocks(child, kind)


@pytest.mark.parametrize(("lang", "message"), [("sv", "Ge bedömningen en titel."), ("en", "Give the assessment a title.")])
def test_an_empty_title_is_said_right_below_the_title_field(app_data_dir: Path, lang: str, message: str):
    at = app(who="Ayşe", lang=lang)
    at.run()
    at.button(key="create").click().run()
    assert [e.value for e in at.error] == [message]
    form = next(_blocks(at.main, "form"))
    inside = list(form.children.values())
    kinds = [getattr(c, "type", None) for c in inside]
    title_at = next(i for i, c in enumerate(inside) if getattr(c, "key", None) == "new_title")
    assert kinds[title_at + 1] == "error" and inside[title_at + 1].value == message
    with open_store() as store:
        assert not store.list()  # nothing was created


@pytest.mark.parametrize(("lang", "label"), [("sv", "Detaljplan"), ("en", "Detailed development plan")])
def test_the_report_cover_names_the_plan_type_by_its_label(tmp_path, lang, label):
    import subprocess

    pdf = tmp_path / "r.pdf"
    assert main(["report", str(ROOT / "examples" / "grannskap-utbyggnad.yaml"), "-o", str(pdf), "--lang", lang]) == 0
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert label in cover and "detailed_plan" not in cover
