"""Fault test: an old database and an old checklist version still open, all the way to the report.

The storage tests prove the store itself upgrades a first-schema database and
keeps a snapshot when the checklist file changes. This test opens such data the
way a planner meets it a year later: a database written by the first schema,
holding an assessment answered against version 1 of a checklist whose file has
since become version 2 (a question reworded, one removed, the scale widened).
The running app (AppTest) upgrades the database as it opens it, the wizard
shows the version 1 questions with their answers, an edit autosaves against
the version 1 snapshot, the results page draws, and the PDF report prints the
version 1 wording. An answers file that leaves out its snapshot and names the
old version gets a message saying what to do, not a wrong checklist.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from assessment.errors import AssessmentFileError
from assessment.checklist.library import resolve_checklist
from assessment.store.migrations import applied, known, upgrade
from assessment.answers.model import Answer, dump_assessment, new_assessment, parse_assessment
from assessment.scoring.scoring import score
from assessment.store.storage import open_store
from assessment.checklist.validate import parse_checklist

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
WIZARD = "ui/app_pages/wizard.py"
RESULTS = "ui/app_pages/results.py"

VERSION_1 = """\
schema_version: 1
id: torgplan
version: "1"
title: {sv: Torgplan, en: Square plan}
languages: [sv, en]
scales:
  - id: impact
    steps:
      - {value: -1, label: {sv: Negativ, en: Negative}}
      - {value: 0, label: {sv: Ingen påverkan, en: No impact}}
      - {value: 1, label: {sv: Positiv, en: Positive}}
groups:
  - {id: barn, label: {sv: Barn, en: Children}, weight: 2, worse_off: true}
  - {id: alla, label: {sv: Alla, en: Everyone}, population: true}
sections:
  - id: trygghet
    title: {sv: Trygghet, en: Safety}
    criteria:
      - id: belysning
        text: {sv: "Hur påverkas tryggheten kvällstid?", en: "How is safety in the evening affected?"}
        type: impact
        scale: impact
        measures: true
      - id: barnens_vag
        text: {sv: "Hur påverkas barnens väg till skolan?", en: "How is the children's way to school affected?"}
        type: group_impact
        scale: impact
      - id: rost
        text: {sv: "Vad säger de som bor här?", en: "What do the residents say?"}
        type: text
"""

# A year later: a question reworded, one removed, the scale widened to -2..+2.
VERSION_2 = (VERSION_1.replace('version: "1"', 'version: "2"')
             .replace("Hur påverkas tryggheten kvällstid?", "Hur upplevs tryggheten på torget efter mörkrets inbrott?")
             .replace("      - {value: -1, label: {sv: Negativ, en: Negative}}\n",
                      "      - {value: -2, label: {sv: Stor negativ, en: Major negative}}\n"
                      "      - {value: -1, label: {sv: Negativ, en: Negative}}\n")
             .replace("      - {value: 1, label: {sv: Positiv, en: Positive}}\n",
                      "      - {value: 1, label: {sv: Positiv, en: Positive}}\n"
                      "      - {value: 2, label: {sv: Stor positiv, en: Major positive}}\n")
             .split("      - id: rost")[0])


def checklist(source: str, name: str):
    parsed, problems = parse_checklist(source, name)
    assert parsed is not None and not [p for p in problems if p.severity == "error"], problems
    return parsed


def old_assessment():
    a = new_assessment(checklist(VERSION_1, "torgplan.yaml"), "Stortorget i Łódź-kvarteren",
                       municipality="Örebro", assessors=["Ayşe Şahin"])
    a.set_answer("belysning", Answer(value=-1, comment="Mörkt vid busshållplatsen", evidence="Trygghetsvandring 2025"))
    a.set_answer("barnens_vag", Answer(value={"barn": -1, "alla": 0}, comment="Ny infart korsar skolvägen"))
    a.set_answer("rost", Answer(value="”Vi vill ha ljus vid Ελλάδα-caféet”"))
    return a


def write_first_schema_database(url: str, a) -> None:
    """A database as the first released schema left it, holding `a` in two versions."""
    engine = create_engine(url)
    assert upgrade(engine, upto=known()[0]) == [known()[0]]
    body = a.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"checklist"})
    empty = {**body, "answers": {}, "alternatives": {}}
    snapshot = json.dumps(a.checklist.model_dump(mode="json", by_alias=True, exclude_none=True), ensure_ascii=False)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO checklist_snapshots (hash, checklist_id, version, body, stored_at) "
                          "VALUES (:h, 'torgplan', '1', :b, '2025-03-01T09:00:00+00:00')"),
                     {"h": a.checklist_ref.hash, "b": snapshot})
        conn.execute(text(
            "INSERT INTO assessments (id, title, municipality, status, checklist_id, checklist_version, revision, "
            "created_at, created_by, updated_at, updated_by) VALUES (:id, :t, 'Örebro', 'draft', 'torgplan', '1', 2, "
            "'2025-03-01T09:00:00+00:00', 'Ayşe Şahin', '2025-03-02T09:00:00+00:00', 'Ayşe Şahin')"),
            {"id": a.id, "t": a.metadata.title})
        for revision, version_body in ((1, empty), (2, body)):
            conn.execute(text(
                "INSERT INTO versions (assessment_id, revision, saved_at, author, summary, changes, status, "
                "checklist_hash, body) VALUES (:id, :r, :at, 'Ayşe Şahin', '', '{}', 'draft', :h, :b)"),
                {"id": a.id, "r": revision, "at": f"2025-03-0{revision}T09:00:00+00:00", "h": a.checklist_ref.hash,
                 "b": json.dumps(version_body, ensure_ascii=False)})
    engine.dispose()


@pytest.fixture
def year_later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """(database URL, the old assessment): first-schema database, version 2 of the checklist installed."""
    library = tmp_path / "checklists"
    library.mkdir()
    (library / "torgplan.yaml").write_text(VERSION_2, encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(library))
    url = f"sqlite:///{tmp_path / 'skb.sqlite'}"
    monkeypatch.setenv("SKB_DATABASE_URL", url)
    monkeypatch.setenv("SKB_DATA_DIR", str(tmp_path / "data"))
    a = old_assessment()
    write_first_schema_database(url, a)
    assert resolve_checklist("torgplan", "2").criterion("belysning").text["sv"].startswith("Hur upplevs")
    return url, a


def test_the_app_opens_an_old_database_and_an_old_checklist_version_and_keeps_working(year_later) -> None:
    url, old = year_later
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["id"] = old.id
    at.query_params["step"] = "1"
    at.switch_page(WIZARD).run()
    assert not at.exception, at.exception

    # The wizard shows version 1's wording and the answers given to it.
    shown = " ".join(str(m.value) for m in at.markdown)
    assert "Hur påverkas tryggheten kvällstid?" in shown and "Hur upplevs" not in shown
    rating = at.radio(key=f"w:{old.id}:belysning:proposal:value")
    assert rating.value == -1
    assert at.text_area(key=f"w:{old.id}:rost:-:value").value == "”Vi vill ha ljus vid Ελλάδα-caféet”"

    # An edit autosaves against the version 1 snapshot (0 is a step of version 1's scale).
    rating.set_value(0).run()
    assert not at.exception, at.exception
    with open_store(url) as store:
        with store.engine.connect() as conn:
            assert applied(conn) == list(known())
        stored = store.load(old.id)
    assert stored.revision == 3
    assert stored.assessment.checklist.version == "1"
    assert stored.assessment.answer("belysning").value == 0
    assert stored.assessment.answer("barnens_vag").value == {"barn": -1, "alla": 0}

    # The results page scores it, and the report prints the version 1 wording.
    at.switch_page(RESULTS).run()
    assert not at.exception, at.exception
    assert score(stored.assessment).headline.overall.value is not None
    from reports import render_report

    out = io.BytesIO()
    render_report(stored.assessment, out, lang="sv")
    printed = "".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(out.getvalue())).pages).split())
    assert "Hurpåverkastrygghetenkvällstid?" in printed
    assert "Hurupplevs" not in printed


def test_an_old_answers_file_without_its_snapshot_is_told_what_to_do(year_later) -> None:
    _, old = year_later
    data = yaml.safe_load(dump_assessment(old))
    del data["checklist"]
    with pytest.raises(AssessmentFileError, match=r"version 1, but version 2 is installed; include the checklist "
                                                  r"snapshot"):
        parse_assessment(yaml.safe_dump(data, allow_unicode=True), "torg-2025.yaml", resolve=resolve_checklist)
    # With its snapshot, the same file opens and scores as it did.
    reopened = parse_assessment(dump_assessment(old), "torg-2025.yaml", resolve=resolve_checklist)
    assert reopened.checklist.version == "1"
    assert score(reopened).headline.overall.value == score(old).headline.overall.value
