"""The assessment store, run against SQLite and a real PostgreSQL server (`database_url`).

Autosave per answer, optimistic revisions with a message that says who changed
which question, history, adoption frozen by the database itself, copies for
re-assessment, search, and snapshots stored once per checklist content.
"""

from __future__ import annotations

import datetime as dt
import inspect
import threading

import pytest
from sqlalchemy import text

from assessment.errors import FrozenError, NotFound, StorageError
from assessment.answers.model import Answer, Measure, Status, new_assessment
from assessment.store.storage import EditConflict, Store, open_store, server_date
from small_checklists import (CHILDREN_AND_ALL, FIVE_STEPS, checklist_yaml, parsed, question, section, sections,
                              zero_and_proposal)

PARK_SECTIONS = sections(section(
    "boende", ("Boende och närmiljö", "Housing and neighbourhood"),
    question("dialog", ("Har boende fått vara med och rita?", "Were residents part of drawing the plan?"), "yes_no"),
    question("gronyta", ("Hur påverkas tillgången till grönytor?", "How is access to green space affected?")),
    question("lek", ("Hur påverkas barns möjligheter till lek?", "How are children's chances to play affected?"),
             "group_impact")))


def park_checklist(version: str = "2"):
    return parsed(checklist_yaml("park", ("Parkplan", "Park plan"), FIVE_STEPS, CHILDREN_AND_ALL, zero_and_proposal(),
                                 PARK_SECTIONS, version=version), "park.yaml")


@pytest.fixture
def draft(fresh_store: Store):
    a = new_assessment(park_checklist(), "Parken vid Łódźgatan", municipality="Örebro", areas=["Vivalla"])
    fresh_store.create(a, "Anna Şahin")
    return a


def test_a_new_assessment_reads_back_with_its_names_intact(fresh_store: Store, draft):
    stored = fresh_store.load(draft.id)
    assert stored.revision == 1
    assert stored.updated_by == "Anna Şahin"
    assert stored.assessment.metadata.title == "Parken vid Łódźgatan"
    assert stored.assessment.checklist == draft.checklist
    assert stored.assessment == draft


def test_each_answer_is_autosaved_as_a_new_revision_with_who_and_what(fresh_store: Store, draft):
    r2 = fresh_store.save_answer(draft.id, 1, "dialog", None, Answer(value=True, comment="Workshop i Vivalla"),
                                 "Anna Şahin")
    r3 = fresh_store.save_answer(draft.id, r2, "gronyta", "proposal", Answer(value=-1), "Νίκος Ελλάδα")
    r4 = fresh_store.save_answer(draft.id, r3, "lek", "zero", Answer(value={"children": -2, "all": "unknown"}), "Bo Ek")
    assert (r2, r3, r4) == (2, 3, 4)
    stored = fresh_store.load(draft.id)
    a = stored.assessment
    assert stored.revision == 4 and stored.updated_by == "Bo Ek"
    assert a.answers["dialog"].comment == "Workshop i Vivalla"
    assert a.answer("gronyta", "proposal").value == -1
    assert a.answer("lek", "zero").value == {"children": -2, "all": "unknown"}
    history = fresh_store.history(draft.id)
    assert [(v.revision, v.author, v.questions) for v in history] == [
        (1, "Anna Şahin", ()), (2, "Anna Şahin", ("dialog",)), (3, "Νίκος Ελλάδα", ("gronyta",)),
        (4, "Bo Ek", ("lek",))]
    assert history[0].saved_at <= history[-1].saved_at


def test_an_unchanged_answer_saves_nothing(fresh_store: Store, draft):
    r2 = fresh_store.save_answer(draft.id, 1, "gronyta", None, Answer(value=2), "Anna")
    assert fresh_store.save_answer(draft.id, r2, "gronyta", None, Answer(value=2), "Anna") == r2
    assert len(fresh_store.history(draft.id)) == 2


def test_clearing_an_answer_removes_it(fresh_store: Store, draft):
    r2 = fresh_store.save_answer(draft.id, 1, "gronyta", None, Answer(value=2), "Anna")
    fresh_store.save_answer(draft.id, r2, "gronyta", None, None, "Anna")
    assert fresh_store.load(draft.id).assessment.answer("gronyta") is None
    assert fresh_store.version(draft.id, r2).answer("gronyta").value == 2


def test_an_answer_off_the_scale_is_refused_and_nothing_is_saved(fresh_store: Store, draft):
    with pytest.raises(StorageError, match='answer to "gronyta": 5 is not a step of the scale') as off:
        fresh_store.save_answer(draft.id, 1, "gronyta", None, Answer(value=5), "Anna")
    assert off.value.message("sv").startswith('svaret på "gronyta": 5 är inte ett steg på skalan (')  # the wizard's
    with pytest.raises(StorageError, match='no question "parkering"'):
        fresh_store.save_answer(draft.id, 1, "parkering", None, Answer(value=1), "Anna")
    assert fresh_store.load(draft.id).revision == 1


def test_the_later_of_two_sessions_is_told_who_changed_which_question(fresh_store: Store, draft):
    # Both open revision 1; Anna saves first.
    fresh_store.save_answer(draft.id, 1, "gronyta", "proposal", Answer(value=-2), "Anna Şahin")
    with pytest.raises(EditConflict) as caught:
        fresh_store.save_answer(draft.id, 1, "gronyta", "proposal", Answer(value=2), "Bo Ek")
    conflict = caught.value.conflict
    assert (conflict.base_revision, conflict.current_revision) == (1, 2)
    assert conflict.authors == ["Anna Şahin"] and conflict.questions == ["gronyta"]
    sv, en = caught.value.message("sv"), caught.value.message("en")
    assert "Anna Şahin" in sv and "gronyta (Hur påverkas tillgången till grönytor?)" in sv
    assert "Läs in den nya versionen (version 2)" in sv
    assert "gronyta (How is access to green space affected?)" in en and "Reload the new version" in en
    assert str(caught.value) == f"{en} [edit_conflict]"  # a log reads the English message and the code
    # Nothing was overwritten: Anna's answer stands.
    assert fresh_store.load(draft.id).assessment.answer("gronyta", "proposal").value == -2


def test_a_whole_save_on_a_stale_revision_conflicts_and_names_the_parts(fresh_store: Store, draft):
    mine = fresh_store.load(draft.id)
    theirs = fresh_store.load(draft.id)
    theirs.assessment.measures.append(Measure(criterion="gronyta", text="Ny lekplats", responsible="Parkenheten"))
    fresh_store.save(theirs.assessment, theirs.revision, "Bo Ek", "åtgärd för grönytor")
    mine.assessment.metadata.summary = "Planen minskar grönytan"
    with pytest.raises(EditConflict) as caught:
        fresh_store.save(mine.assessment, mine.revision, "Anna Şahin")
    assert caught.value.conflict.parts == ["measures"]
    assert "åtgärderna" in caught.value.message("sv") and "the measures" in caught.value.message("en")
    assert fresh_store.load(draft.id).assessment.metadata.summary == ""


def test_a_whole_save_records_what_changed_and_the_summary(fresh_store: Store, draft):
    stored = fresh_store.load(draft.id)
    a = stored.assessment
    a.metadata.status = Status.IN_REVIEW
    a.metadata.title = "Parken vid Łódźgatan, etapp 2"
    a.set_answer("gronyta", Answer(value=1), "zero")
    revision = fresh_store.save(a, stored.revision, "Anna", "till granskning")
    assert revision == 2
    last = fresh_store.history(draft.id)[-1]
    assert (last.summary, last.status, last.questions, last.parts) == (
        "till granskning", Status.IN_REVIEW, ("gronyta",), ("status", "metadata"))
    assert fresh_store.save(a, revision, "Anna") == revision  # nothing new: no new version
    assert [s.title for s in fresh_store.list(status="in_review")] == ["Parken vid Łódźgatan, etapp 2"]


def test_every_version_can_be_viewed_as_it_was(fresh_store: Store, draft):
    revisions = [1]
    for value in (-2, -1, 0, 1):
        revisions.append(fresh_store.save_answer(draft.id, revisions[-1], "gronyta", None, Answer(value=value), "Anna"))
    assert [fresh_store.version(draft.id, r).answer("gronyta") for r in revisions[:1]] == [None]
    assert [fresh_store.version(draft.id, r).answer("gronyta").value for r in revisions[1:]] == [-2, -1, 0, 1]
    with pytest.raises(NotFound, match="has no version 9"):
        fresh_store.version(draft.id, 9)


def test_unknown_ids_are_not_found(fresh_store: Store):
    for call in (lambda: fresh_store.load("nope"), lambda: fresh_store.history("nope"),
                 lambda: fresh_store.version("nope", 1),
                 lambda: fresh_store.save_answer("nope", 1, "dialog", None, Answer(value=True), "Anna")):
        with pytest.raises(NotFound, match='no assessment with id "nope"'):
            call()


def test_an_adopted_assessment_cannot_change_through_the_store(fresh_store: Store, draft):
    r2 = fresh_store.save_answer(draft.id, 1, "gronyta", None, Answer(value=1), "Anna")
    adopted = fresh_store.adopt(draft.id, r2, "Kommunstyrelsen")
    stored = fresh_store.load(draft.id)
    assert stored.frozen and stored.revision == adopted == 3
    meta = stored.assessment.metadata
    assert (meta.status, meta.adopted_by, meta.adopted_at) == (Status.ADOPTED, "Kommunstyrelsen", dt.date.today())
    with pytest.raises(FrozenError, match="is adopted and cannot change") as refused:
        fresh_store.save_answer(draft.id, adopted, "gronyta", None, Answer(value=-1), "Anna")
    assert "fastställd" in refused.value.message("sv")
    stored.assessment.metadata.status = Status.DRAFT
    with pytest.raises(FrozenError):
        fresh_store.save(stored.assessment, adopted, "Anna")
    with pytest.raises(FrozenError):
        fresh_store.delete(draft.id)
    with pytest.raises(FrozenError):
        fresh_store.adopt(draft.id, adopted, "Kommunfullmäktige")
    assert fresh_store.load(draft.id).revision == adopted


def test_the_store_dates_an_adoption_by_the_servers_clock_and_takes_no_date(fresh_store: Store, draft):
    # Issue 13: "the sign-off date is free (1999 is accepted)". Not through the Python API either.
    assert list(inspect.signature(Store.adopt).parameters) == ["self", "assessment_id", "revision", "by"]
    with pytest.raises(TypeError):
        fresh_store.adopt(draft.id, 1, "Kommunstyrelsen", dt.date(1999, 1, 1))  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        fresh_store.adopt(draft.id, 1, "Kommunstyrelsen", date=dt.date(1999, 1, 1))  # type: ignore[call-arg]
    assert fresh_store.load(draft.id).assessment.metadata.status == Status.DRAFT  # nothing adopted by the refusals
    fresh_store.adopt(draft.id, 1, "Kommunstyrelsen")
    assert fresh_store.load(draft.id).assessment.metadata.adopted_at == server_date() == dt.date.today()


def test_the_database_itself_refuses_writes_to_an_adopted_assessment(fresh_store: Store, draft):
    fresh_store.adopt(draft.id, 1, "Kommunstyrelsen")
    attempts = [
        "UPDATE assessments SET title = 'ändrad' WHERE id = :id",
        "UPDATE assessments SET status = 'draft' WHERE id = :id",
        "DELETE FROM assessments WHERE id = :id",
        "UPDATE versions SET body = '{}' WHERE assessment_id = :id",
        "DELETE FROM versions WHERE assessment_id = :id",
        "INSERT INTO versions (assessment_id, revision, saved_at, author, summary, changes, status, checklist_hash, "
        "body) SELECT assessment_id, 99, saved_at, 'x', '', '{}', 'draft', checklist_hash, body FROM versions "
        "WHERE assessment_id = :id AND revision = 1",
    ]
    for sql in attempts:
        with pytest.raises(Exception, match="skb-frozen") as caught:
            with fresh_store.engine.begin() as conn:
                conn.execute(text(sql), {"id": draft.id})
        assert "adopted" in str(caught.value) or "history" in str(caught.value), sql
    assert [v.revision for v in fresh_store.history(draft.id)] == [1, 2]
    assert fresh_store.load(draft.id).assessment.metadata.status == Status.ADOPTED


def test_saved_versions_of_a_draft_are_history_too(fresh_store: Store, draft):
    with pytest.raises(Exception, match="skb-frozen: a saved version is history"):
        with fresh_store.engine.begin() as conn:
            conn.execute(text("UPDATE versions SET author = 'någon annan' WHERE assessment_id = :id"), {"id": draft.id})


def test_an_adopted_assessment_is_copied_into_a_new_draft_for_reassessment(fresh_store: Store, draft):
    r2 = fresh_store.save_answer(draft.id, 1, "gronyta", None, Answer(value=-1), "Anna")
    fresh_store.adopt(draft.id, r2, "Kommunstyrelsen")
    new_id = fresh_store.copy_as_draft(draft.id, "Bo Ek")
    copy = fresh_store.load(new_id)
    assert new_id != draft.id and copy.revision == 1 and not copy.frozen
    assert copy.assessment.metadata.adopted_by is None
    assert copy.assessment.answer("gronyta").value == -1
    assert f"kopia av {draft.id} version 3" in fresh_store.history(new_id)[0].summary
    fresh_store.save_answer(new_id, 1, "gronyta", None, Answer(value=1), "Bo Ek")
    assert fresh_store.load(draft.id).assessment.answer("gronyta").value == -1


def test_only_drafts_can_be_deleted(fresh_store: Store, draft):
    other = new_assessment(park_checklist(), "Torget")
    fresh_store.create(other, "Anna")
    stored = fresh_store.load(other.id)
    stored.assessment.metadata.status = Status.IN_REVIEW
    fresh_store.save(stored.assessment, stored.revision, "Anna")
    with pytest.raises(StorageError, match="Only drafts can be deleted"):
        fresh_store.delete(other.id)
    fresh_store.delete(draft.id)
    with pytest.raises(NotFound):
        fresh_store.load(draft.id)
    assert [s.id for s in fresh_store.list()] == [other.id]


def test_creating_the_same_id_twice_is_refused(fresh_store: Store, draft):
    from assessment.errors import DuplicateError

    with pytest.raises(DuplicateError, match="already exists"):
        fresh_store.create(draft, "Bo")


def test_search_folds_case_of_swedish_letters_and_filters_by_status(fresh_store: Store, draft):
    for title, municipality in (("Ängen", "Malmö"), ("Östra hamnen", "Gävle"), ("Centrum", "Umeå")):
        fresh_store.create(new_assessment(park_checklist(), title, municipality=municipality), "Anna")
    assert [s.title for s in fresh_store.list(search="örebro")] == ["Parken vid Łódźgatan"]
    assert [s.title for s in fresh_store.list(search="ÄNGEN")] == ["Ängen"]
    assert [s.title for s in fresh_store.list(search="vivalla")] == ["Parken vid Łódźgatan"]  # an area
    assert [s.title for s in fresh_store.list(search="ŁÓDŹ")] == ["Parken vid Łódźgatan"]
    assert fresh_store.list(search="100%") == [] and fresh_store.list(search="_") == []
    fresh_store.adopt(draft.id, 1, "Kommunstyrelsen")
    assert [s.title for s in fresh_store.list(status="adopted")] == ["Parken vid Łódźgatan"]
    assert len(fresh_store.list(status=Status.DRAFT)) == 3
    assert fresh_store.list()[0].title == "Parken vid Łódźgatan"  # most recently changed first


def test_the_checklist_snapshot_is_stored_once_per_content(fresh_store: Store, draft):
    revision = 1
    for value in (-2, -1, 0, 1, 2):
        revision = fresh_store.save_answer(draft.id, revision, "gronyta", None, Answer(value=value), "Anna")
    fresh_store.create(new_assessment(park_checklist(), "Torget"), "Anna")
    fresh_store.create(new_assessment(park_checklist("3"), "Hamnen"), "Anna")
    with fresh_store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM checklist_snapshots")).scalar() == 2
        bodies = [r[0] for r in conn.execute(text("SELECT body FROM versions"))]
    assert len(bodies) == 8
    assert not any('"checklist":' in b for b in bodies)  # versions hold the body without the snapshot


def test_sessions_in_threads_never_lose_an_answer(database_url: str):
    """Streamlit serves each session in its own thread: one shared Store, many writers."""
    with open_store(database_url) as store:
        ids = []
        for n in range(4):
            a = new_assessment(park_checklist(), f"Kvarter {n}")
            store.create(a, "Anna")
            ids.append(a.id)
        errors: list[BaseException] = []

        def session(assessment_id: str) -> None:
            try:
                revision = 1
                for i in range(15):
                    value = (i % 5) - 2
                    revision = store.save_answer(assessment_id, revision, "gronyta", None, Answer(value=value), "A")
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=session, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        for assessment_id in ids:
            stored = store.load(assessment_id)
            assert stored.revision == 16 and stored.assessment.answer("gronyta").value == 2


def test_two_threads_racing_on_one_revision_have_exactly_one_winner(database_url: str):
    with open_store(database_url) as store:
        a = new_assessment(park_checklist(), "Torget")
        store.create(a, "Anna")
        outcomes: list[str] = []
        barrier = threading.Barrier(4)

        def session(name: str, value: int) -> None:
            barrier.wait()
            try:
                store.save_answer(a.id, 1, "gronyta", None, Answer(value=value), name)
                outcomes.append("saved")
            except EditConflict:
                outcomes.append("conflict")

        threads = [threading.Thread(target=session, args=(f"S{i}", i - 2)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["conflict", "conflict", "conflict", "saved"]
        assert store.load(a.id).revision == 2


def test_default_database_is_a_sqlite_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    monkeypatch.setenv("SKB_DATA_DIR", str(tmp_path / "data" / "skb"))
    with open_store() as store:
        assert store.dialect == "sqlite"
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert (tmp_path / "data" / "skb" / "skb.sqlite").is_file()
    monkeypatch.delenv("SKB_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    from assessment.store.storage import data_dir

    assert data_dir() == tmp_path / "xdg" / "skb"


def test_skb_database_url_wins_over_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("SKB_DATA_DIR", str(tmp_path / "unused"))
    monkeypatch.setenv("SKB_DATABASE_URL", f"sqlite:///{tmp_path / 'shared.sqlite'}")
    with open_store() as store:
        store.create(new_assessment(park_checklist(), "Torget"), "Anna")
    assert (tmp_path / "shared.sqlite").is_file() and not (tmp_path / "unused").exists()


def test_an_unsupported_or_unreachable_database_is_refused_with_a_message(tmp_path):
    with pytest.raises(StorageError, match="SQLite or PostgreSQL"):
        open_store("mysql://localhost/skb")
    with pytest.raises(StorageError, match="not an in-memory database"):
        open_store("sqlite://")
    with pytest.raises(StorageError, match="cannot open the database"):
        open_store(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'skb.sqlite'}")
