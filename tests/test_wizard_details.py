"""The assessment's details (uppgifter om bedömningen) after it was created, driven with AppTest.

A planner changes the title, place, plan type, areas, spatial level, assessors,
decision date and summary in the wizard; every change is autosaved and found
again after a reload. A title left empty or a name too long is refused with a
message and kept in its field, not saved and not lost. An adopted assessment
shows its details as text only. A stale tab is told of the conflict and does
not overwrite; what it typed is kept to be saved again on the fresh version.
Every test stores in a temporary SQLite database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.store.auth import Actor
from assessment.answers.model import Metadata
from assessment.store.storage import open_store
from ui.metadata import MAX_NAMES, SHORT_TEXT, DetailsProblem, updated_metadata
from apptest import app

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
WIZARD = "ui/app_pages/wizard.py"

# A checklist small enough to read: it declares its spatial levels as a framework.
CHECKLIST = """\
schema_version: 1
id: detaljer
version: "1"
title: {sv: Checklista med nivåer, en: Checklist with levels}
languages: [sv, en]
plan_types: [detaljplan, budget]
frameworks:
  - id: spatial_level
    title: {sv: Geografisk nivå, en: Spatial level}
    items:
      - {id: kvarter, title: {sv: Kvarter, en: Block}}
      - {id: stadsdel, title: {sv: Stadsdel, en: District}}
scales:
  - id: tre
    steps:
      - {value: -1, label: {sv: Sämre, en: Worse}}
      - {value: 0, label: {sv: Oförändrat, en: Unchanged}}
      - {value: 1, label: {sv: Bättre, en: Better}}
sections:
  - id: trygghet
    title: {sv: Trygghet, en: Safety}
    criteria:
      - id: belysning
        text: {sv: Blir gångvägarna tryggare på kvällen?, en: Do the paths feel safer at night?}
        type: impact
        scale: tre
"""

# The same without a spatial_level framework: the level is free text.
PLAIN = (CHECKLIST.replace("id: detaljer", "id: utan-nivaer").replace("  - id: spatial_level", "  - id: omrade")
         .replace("title: {sv: Checklista med nivåer, en: Checklist with levels}",
                  "title: {sv: Checklista utan nivåer, en: Checklist without levels}"))


@pytest.fixture
def data_dir(app_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory, and the two checklists above as the only extra ones."""
    checklists = tmp_path / "checklists"
    checklists.mkdir()
    (checklists / "detaljer.yaml").write_text(CHECKLIST, encoding="utf-8")
    (checklists / "utan-nivaer.yaml").write_text(PLAIN, encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(checklists))
    return app_data_dir


def create(checklist_id: str, title: str, who: str = "Ayşe") -> tuple[AppTest, str]:
    """A new assessment from the start page, and the wizard it leads to."""
    at = app(who=who)
    at.run()
    at.selectbox(key="new_checklist").set_value(checklist_id)
    at.text_input(key="new_title").set_value(title)
    at.text_input(key="new_municipality").set_value("Malmö")
    at.button(key="create").click().run()
    at.run()  # the tree a browser would have after the switch to the wizard
    assert not at.exception, at.exception
    value = at.query_params["id"]
    return at, value[0] if isinstance(value, list) else value


def reopen(assessment_id: str, who: str = "Ayşe", lang: str = "sv") -> AppTest:
    """A fresh session (a reload, a new tab) on the wizard of `assessment_id`."""
    at = app(id=assessment_id, step="1", who=who, lang=lang)
    at.run()
    at.switch_page(WIZARD).run()
    assert not at.exception, at.exception
    return at


def key(assessment_id: str, field: str) -> str:
    return f"d:{assessment_id}:{field}"


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


# --- editing and finding again ----------------------------------------------------------------------------------


def test_details_are_edited_autosaved_and_found_after_a_reload(data_dir: Path) -> None:
    at, aid = create("detaljer", "Gångstråk i Rosengård")
    at.text_input(key=key(aid, "title")).set_value("Gångstråk genom Rosengård och Łódź-parken").run()
    at.text_input(key=key(aid, "municipality")).set_value("Region Skåne").run()
    at.selectbox(key=key(aid, "plan_type")).set_value("detaljplan").run()
    at.text_input(key=key(aid, "areas")).set_value("Rosengård,  Ελλάδα-torget , ").run()
    at.selectbox(key=key(aid, "spatial_level")).set_value("stadsdel").run()
    at.text_area(key=key(aid, "assessors")).set_value("Şahin, Ayşe\nÅsa Öberg\n\n").run()
    at.text_input(key=key(aid, "decision_date")).set_value("2027-03-15").run()
    at.text_area(key=key(aid, "summary")).set_value("Tryggare kvällar för barn i Ελλάδα-kvarteren.\nTvå åtgärder.").run()
    assert not at.exception, at.exception
    assert not at.error, errors(at)

    meta = open_store().load(aid).assessment.metadata
    assert meta.title == "Gångstråk genom Rosengård och Łódź-parken"
    assert (meta.municipality, meta.plan_type, meta.spatial_level) == ("Region Skåne", "detaljplan", "stadsdel")
    assert meta.areas == ["Rosengård", "Ελλάδα-torget"]
    assert meta.assessors == ["Şahin, Ayşe", "Åsa Öberg"]  # one per line: the comma stays inside the name
    assert meta.decision_date == dt.date(2027, 3, 15)
    assert meta.summary == "Tryggare kvällar för barn i Ελλάδα-kvarteren.\nTvå åtgärder."
    assert at.title[0].value.replace("\\", "") == "Gångstråk genom Rosengård och Łódź-parken"

    again = reopen(aid, lang="en")
    assert again.text_input(key=key(aid, "title")).value == "Gångstråk genom Rosengård och Łódź-parken"
    assert again.text_input(key=key(aid, "areas")).value == "Rosengård, Ελλάδα-torget"
    assert again.text_area(key=key(aid, "assessors")).value == "Şahin, Ayşe\nÅsa Öberg"
    level = again.selectbox(key=key(aid, "spatial_level"))
    assert (level.value, level.label) == ("stadsdel", "Spatial level")
    assert level.options == ["Block", "District"]
    assert again.text_input(key=key(aid, "decision_date")).value == "2027-03-15"
    assert again.expander[0].label == "About this assessment"

    start = app()
    start.run()
    listed = "\n".join(m.value for m in start.markdown).replace("\\", "")
    assert "Gångstråk genom Rosengård och Łódź-parken" in listed and "Region Skåne" in listed


def test_a_plan_type_of_its_own_and_a_free_spatial_level_are_kept(data_dir: Path) -> None:
    at, aid = create("utan-nivaer", "Budget 2027")
    at.text_input(key=key(aid, "spatial_level")).set_value("Kommundel Nord").run()
    assert not at.exception, at.exception
    # A plan type the checklist does not list (typed in the app, or from an imported file) stays chosen.
    store = open_store()
    stored = store.load(aid)
    stored.assessment.metadata.plan_type = "översiktsplan"
    store.save(stored.assessment, stored.revision, "Import")
    again = reopen(aid)
    plan_type = again.selectbox(key=key(aid, "plan_type"))
    assert (plan_type.value, plan_type.options) == ("översiktsplan", ["detaljplan", "budget", "översiktsplan"])
    assert again.text_input(key=key(aid, "spatial_level")).value == "Kommundel Nord"
    again.selectbox(key=key(aid, "plan_type")).set_value("budget").run()
    meta = store.load(aid).assessment.metadata
    assert (meta.plan_type, meta.spatial_level) == ("budget", "Kommundel Nord")


def test_each_change_is_a_version_in_the_history(data_dir: Path) -> None:
    at, aid = create("detaljer", "Torget")
    at.text_input(key=key(aid, "municipality")).set_value("Lund").run()
    at.text_area(key=key(aid, "summary")).set_value("Kort sammanfattning.").run()
    versions = open_store().history(aid)
    assert [v.author for v in versions[-2:]] == [Actor.local().name] * 2  # local mode: the OS user
    assert "details: summary" in versions[-1].summary


# --- refused input keeps what was typed ------------------------------------------------------------------


def test_an_empty_title_is_refused_and_kept_in_its_field(data_dir: Path) -> None:
    at, aid = create("detaljer", "Skolgården")
    at.text_input(key=key(aid, "title")).set_value("   ").run()
    assert "Ge bedömningen en titel." in errors(at)
    assert open_store().load(aid).assessment.metadata.title == "Skolgården"
    assert at.text_input(key=key(aid, "title")).value == "   "  # not replaced by the stored title

    # Other details still save while the title waits to be corrected.
    at.text_input(key=key(aid, "municipality")).set_value("Kiruna").run()
    assert open_store().load(aid).assessment.metadata.municipality == "Kiruna"
    assert at.text_input(key=key(aid, "title")).value == "   "

    at.text_input(key=key(aid, "title")).set_value("Skolgården i Kiruna").run()
    assert not at.error, errors(at)
    assert open_store().load(aid).assessment.metadata.title == "Skolgården i Kiruna"


def test_once_answering_has_begun_the_details_are_folded_away_and_open_on_request(data_dir: Path) -> None:
    at, aid = create("detaljer", "Parken")
    at.radio(key=f"w:{aid}:belysning:proposal:value").set_value(1).run()
    at.text_input(key=key(aid, "title")).set_value("").run()  # still open where it was: refused, kept
    closed = reopen(aid)
    assert not [w for w in closed.text_input if (w.key or "").startswith("d:")]  # not drawn while folded
    closed.session_state[key(aid, "open")] = True  # the planner opens it
    closed.run()
    assert closed.text_input(key=key(aid, "title")).value == "Parken"

    # The session that typed an empty title keeps it, and the expander open, until it is corrected.
    at.session_state[key(aid, "open")] = False
    at.run()
    assert at.text_input(key=key(aid, "title")).value == ""
    assert "Ge bedömningen en titel." in errors(at)


def test_a_name_too_long_is_refused_with_the_limit(data_dir: Path) -> None:
    at, aid = create("detaljer", "Hamnen", who="Ελένη")
    typed = "Ö" * (SHORT_TEXT + 1)
    at.text_input(key=key(aid, "municipality")).set_value(typed).run()
    assert f"”Kommun eller region” får vara högst {SHORT_TEXT} tecken" in errors(at)
    assert at.text_input(key=key(aid, "municipality")).value == typed
    assert open_store().load(aid).assessment.metadata.municipality == "Malmö"

    long_title = "Ł" * 301
    at.text_input(key=key(aid, "title")).set_value(long_title).run()
    assert "högst 300 tecken" in errors(at)
    assert open_store().load(aid).assessment.metadata.title == "Hamnen"


def test_the_model_decides_which_details_pass() -> None:
    meta = Metadata(title="Vivalla", municipality="Örebro")
    assert updated_metadata(meta, "areas", "Vivalla, Baronbackarna,,").areas == ["Vivalla", "Baronbackarna"]
    assert updated_metadata(meta, "spatial_level", "  ").spatial_level is None
    assert updated_metadata(meta, "decision_date", None).decision_date is None
    with pytest.raises(DetailsProblem) as empty:
        updated_metadata(meta, "title", "")
    assert empty.value.key == "ui.title_required"
    with pytest.raises(DetailsProblem) as many:
        updated_metadata(meta, "assessors", "\n".join(f"Person {i}" for i in range(MAX_NAMES + 1)))
    assert (many.value.key, many.value.values["n"]) == ("ui.details_too_many", MAX_NAMES)
    with pytest.raises(DetailsProblem) as summary:
        updated_metadata(meta, "summary", "å" * 20_001)
    assert summary.value.values == {"field": "summary", "n": 20_000}
    # the proposed decision is a paragraph for the summary page, not a chapter
    assert updated_metadata(meta, "recommendation", "Anta planen.\nMed villkor.").recommendation == "Anta planen.\nMed villkor."
    with pytest.raises(DetailsProblem) as long_decision:
        updated_metadata(meta, "recommendation", "ö" * 2_001)
    assert long_decision.value.values == {"field": "recommendation", "n": 2_000}


def test_the_proposed_decision_is_written_in_the_details_and_printed_on_the_summary(data_dir: Path) -> None:
    at, aid = create("detaljer", "Gångstråk i Rosengård")
    field = at.text_area(key=key(aid, "recommendation"))
    assert field.label == "Förslag till beslut"
    field.set_value("Anta planen med gångstråket genom Ελλάδα-parken.").run()
    assert not at.exception, at.exception
    stored = open_store().load(aid).assessment
    assert stored.metadata.recommendation == "Anta planen med gångstråket genom Ελλάδα-parken."
    assert reopen(aid, lang="en").text_area(key=key(aid, "recommendation")).label == "Proposed decision"

    from io import BytesIO

    from assessment.scoring.summary import summarize
    from assessment.scoring.scoring import score
    from reports import render_report
    from summary_check import squash, summary_page

    assert summarize(stored, score(stored)).recommendation.text.startswith("Anta planen")
    out = BytesIO()
    render_report(stored, out, lang="en")
    assert squash("Proposed decision: Anta planen med gångstråket genom Ελλάδα-parken.") in squash(
        summary_page(out.getvalue(), "en"))


# --- adopted, and a stale tab ------------------------------------------------------------------------------


def test_an_adopted_assessment_shows_its_details_read_only(data_dir: Path) -> None:
    at, aid = create("detaljer", "Fastställd plan för Ελλάδα-parken")
    at.text_area(key=key(aid, "assessors")).set_value("Şahin\nKim").run()
    store = open_store()
    store.adopt(aid, store.load(aid).revision, "Kommunfullmäktige")

    fresh = reopen(aid, who="Kim")
    assert not [w for kind in ("text_input", "text_area", "selectbox", "date_input") for w in getattr(fresh, kind)
                if (w.key or "").startswith("d:")]
    shown = "\n".join(m.value for m in fresh.markdown).replace("\\", "")
    assert "Fastställd plan för Ελλάδα-parken" in shown and "Şahin; Kim" in shown
    assert any("uppgifterna kan inte ändras" in i.value for i in fresh.info)
    assert store.load(aid).assessment.metadata.assessors == ["Şahin", "Kim"]


def test_a_stale_tab_is_told_of_the_conflict_and_does_not_overwrite(data_dir: Path) -> None:
    first, aid = create("detaljer", "Två flikar", who="Eva")
    second = reopen(aid, who="Olle")

    first.text_input(key=key(aid, "title")).set_value("Två flikar – Evas titel").run()
    second.text_input(key=key(aid, "municipality")).set_value("Örebro").run()
    assert not second.exception, second.exception
    assert Actor.local().name in errors(second)
    stored = open_store().load(aid).assessment.metadata
    assert (stored.title, stored.municipality) == ("Två flikar – Evas titel", "Malmö")  # nothing overwritten

    # After the reload Eva's title shows, and Olle's refused place is still in its field, saved with one click.
    second.button(key="reload").click().run()
    assert second.text_input(key=key(aid, "title")).value == "Två flikar – Evas titel"
    assert second.text_input(key=key(aid, "municipality")).value == "Örebro"
    assert "”Kommun eller region” sparades inte" in errors(second)
    second.button(key=key(aid, "municipality") + ":again").click().run()
    assert not second.error, errors(second)
    stored = open_store().load(aid).assessment.metadata
    assert (stored.title, stored.municipality) == ("Två flikar – Evas titel", "Örebro")
    assert second.text_input(key=key(aid, "municipality")).value == "Örebro"
