"""Old data keeps working: a database made by the first schema upgrades with every
assessment intact, and an assessment still opens, scores and exports after its
checklist file has changed or been removed (the snapshot is what it answers)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from assessment.errors import FrozenError, StorageError
from assessment.checklist.library import load_library
from assessment.store.migrations import applied, known, upgrade
from assessment.answers.model import Answer, Status, check_assessment, new_assessment, parse_assessment
from assessment.store.storage import open_store
from assessment.checklist.validate import parse_checklist

CHECKLIST = """\
schema_version: 1
id: torg
version: "1"
title: {sv: Torgplan, en: Square plan}
scales:
  - id: impact
    steps:
      - {value: -1, label: Negativ}
      - {value: 0, label: Ingen}
      - {value: 1, label: Positiv}
sections:
  - id: trygghet
    title: Trygghet
    criteria:
      - id: belysning
        text: Hur påverkas tryggheten kvällstid?
        type: impact
        scale: impact
      - id: motivering
        text: Vad säger de som bor här?
        type: text
"""


def torg():
    checklist, problems = parse_checklist(CHECKLIST, "torg.yaml")
    assert problems == []
    return checklist


def _first_schema_rows(conn, a, revisions, adopted: bool) -> None:
    """Write an assessment the way the first schema's code did: head, versions, snapshot."""
    snapshot = a.checklist.model_dump(mode="json", by_alias=True, exclude_none=True)
    conn.execute(text("INSERT INTO checklist_snapshots (hash, checklist_id, version, body, stored_at) "
                      "VALUES (:h, 'torg', '1', :b, '2025-01-10T09:00:00+00:00') ON CONFLICT (hash) DO NOTHING"),
                 {"h": a.checklist_ref.hash, "b": json.dumps(snapshot, ensure_ascii=False)})
    conn.execute(text(
        "INSERT INTO assessments (id, title, municipality, status, checklist_id, checklist_version, revision, "
        "created_at, created_by, updated_at, updated_by) VALUES (:id, :t, :m, 'draft', 'torg', '1', :r, "
        "'2025-01-10T09:00:00+00:00', 'Anna', '2025-01-11T09:00:00+00:00', 'Anna')"),
        {"id": a.id, "t": a.metadata.title, "m": a.metadata.municipality, "r": len(revisions)})
    for n, body in enumerate(revisions, start=1):
        conn.execute(text(
            "INSERT INTO versions (assessment_id, revision, saved_at, author, summary, changes, status, "
            "checklist_hash, body) VALUES (:id, :r, :at, 'Anna', '', '{}', :st, :h, :b)"),
            {"id": a.id, "r": n, "at": f"2025-01-1{n}T09:00:00+00:00", "st": body["metadata"]["status"],
             "h": a.checklist_ref.hash, "b": json.dumps(body, ensure_ascii=False)})
    if adopted:
        conn.execute(text("UPDATE assessments SET status = 'adopted' WHERE id = :id"), {"id": a.id})


def _body(a):
    return a.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"checklist"})


def test_a_database_of_the_first_schema_upgrades_with_every_assessment_intact(database_url: str):
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    assert upgrade(engine, upto="0001_first_schema") == ["0001_first_schema"]
    draft = new_assessment(torg(), "Stortorget", municipality="Örebro")
    first = _body(draft)
    draft.set_answer("belysning", Answer(value=-1, comment="Mörkt vid busshållplatsen"))
    draft.set_answer("motivering", Answer(value="Łódź-föreningen: ”för mörkt”"))
    adopted = new_assessment(torg(), "Ängstorget", municipality="Malmö")
    adopted.set_answer("belysning", Answer(value=1))
    adopted_first = _body(adopted)
    adopted.metadata.status = Status.ADOPTED
    adopted.metadata.adopted_by = "Kommunstyrelsen"
    with engine.begin() as conn:
        _first_schema_rows(conn, draft, [first, _body(draft)], adopted=False)
        _first_schema_rows(conn, adopted, [adopted_first, _body(adopted)], adopted=True)
    engine.dispose()

    with open_store(database_url) as store:
        with store.engine.connect() as conn:
            assert applied(conn) == list(known())
        assert store.load(draft.id).assessment == draft
        assert store.load(adopted.id).assessment == adopted
        assert store.version(draft.id, 1).answers == {}
        assert [v.revision for v in store.history(adopted.id)] == [1, 2]
        # What migration 2 added works on the old rows: search that folds å, ä, ö.
        assert [s.title for s in store.list(search="ÖREBRO")] == ["Stortorget"]
        assert [s.title for s in store.list(search="ängstorget")] == ["Ängstorget"]
        # ... and the freeze it lifted for its backfill is back.
        with pytest.raises(FrozenError):
            store.save_answer(adopted.id, 2, "belysning", None, Answer(value=0), "Bo")
        with pytest.raises(Exception, match="skb-frozen"):
            with store.engine.begin() as conn:
                conn.execute(text("UPDATE assessments SET title = 'x' WHERE id = :id"), {"id": adopted.id})
        assert store.save_answer(draft.id, 2, "belysning", None, Answer(value=0), "Bo") == 3
        # Migration 0007 sealed the history it found, and what is written after it joins the chain.
        verdict = store.verify(adopted.id)
        assert verdict.intact and verdict.versions == 2
        assert store.verify(draft.id).intact and store.verify(draft.id).versions == 3


def test_opening_again_applies_nothing_and_a_newer_database_is_refused(database_url: str):
    with open_store(database_url) as store:
        assert upgrade(store.engine) == []
        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO skb_migrations (name, applied_at) VALUES ('0099_from_the_future', 'x')"))
    with pytest.raises(StorageError, match="upgraded by a newer SKB"):
        open_store(database_url)


def test_an_assessment_opens_and_scores_after_its_checklist_file_changed_and_then_went_away(
        database_url: str, tmp_path, monkeypatch):
    from assessment.scoring.scoring import score

    library = tmp_path / "checklists"
    library.mkdir()
    path = library / "torg.yaml"
    path.write_text(CHECKLIST, encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(library))
    found, _ = load_library()
    a = new_assessment(found["torg"], "Stortorget")
    with open_store(database_url) as store:
        store.create(a, "Anna")
        revision = store.save_answer(a.id, 1, "belysning", None, Answer(value=1), "Anna")
    expected = score(store_load(database_url, a.id)).headline.overall.value
    assert expected is not None

    # The municipality revises its checklist: the question is reworded and the scale changes.
    path.write_text(CHECKLIST.replace('version: "1"', 'version: "2"').replace("kvällstid", "på natten")
                    .replace("{value: 1, label: Positiv}", "{value: 2, label: Positiv}"), encoding="utf-8")
    reopened = store_load(database_url, a.id)
    assert reopened.checklist.version == "1" and reopened.checklist_ref.hash == a.checklist_ref.hash
    assert reopened.checklist.criterion("belysning").text == "Hur påverkas tryggheten kvällstid?"
    assert check_assessment(reopened) == []
    assert score(reopened).headline.overall.value == expected

    path.unlink()  # ... and later removes it altogether
    with open_store(database_url) as store:
        stored = store.load(a.id)
        assert stored.revision == revision
        assert score(stored.assessment).headline.overall.value == expected
        exported = store.export(a.id)
        assert "kvällstid" in exported
        assert parse_assessment(exported, "export.yaml").answer("belysning").value == 1


def store_load(url: str, assessment_id: str):
    with open_store(url) as store:
        return store.load(assessment_id).assessment
