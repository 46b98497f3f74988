"""Tamper evidence, on SQLite and PostgreSQL: what a decision rests on is append-only, and an edit
made past the triggers with raw SQL is found by `skb verify`.

The cases are the ones issue 13 found: the snapshot table could be updated, a
report row inserted for a version that was never adopted, a sign-off comment
deleted, and on PostgreSQL the owning role could switch the freeze trigger off.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from assessment.workflow.cli import main
from assessment.errors import FrozenError, StorageError
from assessment.store.migrations import FROZEN_MARK
from assessment.answers.model import Answer, new_assessment
from assessment.workflow.review import post, send_for_review, sign_off, thread
from assessment.store.storage import Store, open_store
from small_checklists import checklist_yaml, parsed, question, section, sections, three_steps

def park():
    return parsed(checklist_yaml("park", ("Parken", "The park"), three_steps(), sections(section(
        "natur", ("Grönska", "Green space"),
        question("skugga", ("Hur påverkas skuggan under sommaren?", "How is summer shade affected?"))))), "park.yaml")


@pytest.fixture
def adopted(store: Store) -> str:
    """An assessment of the park, commented on, signed off by Kommunstyrelsen, with its report stored."""
    a = new_assessment(park(), "Parken vid Åkroken", municipality="Växjö")
    a.set_answer("skugga", Answer(value=-1, comment="Tolv ekar fälls"))
    rev = store.create(a, "Märta")
    rev = send_for_review(store, a.id, rev, "Märta")
    post(store, a.id, 0, "Jonas", "Finns det ersättningsträd?", criterion="skugga")
    sign_off(store, a.id, rev, "Kommunstyrelsen", note="Beslut KS 2026-05-04 § 12")
    return a.id


def owner_sql(store: Store, *statements: str, params: dict | None = None) -> None:
    """Raw SQL as the database's owner, past SKB: the triggers are dropped or switched off first.

    This is the threat the chain exists for: someone who owns the database edits it directly."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in ("assessments", "versions", "review_comments", "adopted_reports", "checklist_snapshots"):
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all():
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        for statement in statements:
            conn.execute(text(statement), params or {})
        if conn.dialect.name == "postgresql":
            for table in ("assessments", "versions", "review_comments", "adopted_reports", "checklist_snapshots"):
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def refused(store: Store, statement: str, params: dict | None = None) -> str:
    """The database's refusal of a raw statement through the store's own connection."""
    with pytest.raises(DBAPIError) as caught:
        with store.engine.begin() as conn:
            conn.execute(text(statement), params or {})
    assert FROZEN_MARK in str(caught.value.orig)
    return str(caught.value.orig)


# --- append-only under triggers ---------------------------------------------------------------


def test_the_snapshot_table_cannot_be_updated_or_emptied(store: Store, adopted: str):
    assert "never changes" in refused(store, "UPDATE checklist_snapshots SET body = '{}'")
    refused(store, "DELETE FROM checklist_snapshots")


def test_a_report_row_cannot_be_inserted_for_a_version_that_was_not_adopted(store: Store):
    a = new_assessment(park(), "Utkast")
    store.create(a, "Märta")
    message = refused(store, "INSERT INTO adopted_reports (assessment_id, revision, lang, sha256, size, pdf, "
                             "stored_at, stored_by) VALUES (:id, 1, 'sv', :h, 4, :pdf, '2026-01-01', 'x')",
                      {"id": a.id, "h": "0" * 64, "pdf": b"%PDF"})
    assert "only for the adopted version" in message


def test_a_sign_off_cannot_be_deleted_nor_any_post_edited(store: Store, adopted: str):
    refused(store, "DELETE FROM review_comments WHERE kind = 'sign_off'")
    refused(store, "UPDATE review_comments SET text = 'Godkänd'")
    assert thread(store, adopted).sign_off is not None


def test_a_version_is_never_deleted_while_its_assessment_exists(store: Store):
    a = new_assessment(park(), "Utkast")
    store.create(a, "Märta")
    refused(store, "DELETE FROM versions WHERE assessment_id = :id", {"id": a.id})
    store.delete(a.id)  # deleting the draft itself still takes its history with it
    with store.reading() as conn:
        assert conn.execute(text("SELECT count(*) FROM versions WHERE assessment_id = :id"),
                            {"id": a.id}).scalar() == 0


def test_the_chain_itself_is_append_only(store: Store, adopted: str):
    refused(store, "UPDATE integrity_chain SET link = 'x'")
    refused(store, "DELETE FROM integrity_chain")


# --- the chain catches what the triggers cannot ----------------------------------------------


def test_an_untouched_history_verifies_and_names_its_head(store: Store, adopted: str, capsys, database_url: str):
    verdict = store.verify(adopted)
    assert verdict.intact and (verdict.versions, verdict.posts, verdict.reports) == (3, 2, 1)
    assert main(["verify", adopted, "--db", database_url, "--lang", "en"]) == 0
    assert f"Chain head: {verdict.head}" in capsys.readouterr().out


def test_a_raw_sql_edit_of_an_adopted_version_is_caught_by_skb_verify(store: Store, adopted: str, capsys,
                                                                        database_url: str):
    owner_sql(store, "UPDATE versions SET body = replace(body, 'Tolv ekar', 'Inga ekar') WHERE assessment_id = :id",
              params={"id": adopted})
    assert main(["verify", adopted, "--db", database_url, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "the history has been changed outside SKB" in err
    assert "version 3 has been changed after it was written" in err
    assert main(["verify", adopted, "--db", database_url]) == 2
    assert "har ändrats efter att den skrevs" in capsys.readouterr().err


def test_a_deleted_sign_off_an_inserted_report_and_a_forged_status_are_each_caught(store: Store, adopted: str):
    draft = new_assessment(park(), "Aldrig granskad")
    store.create(draft, "Märta")
    owner_sql(store,
              "DELETE FROM review_comments WHERE kind = 'sign_off'",
              "UPDATE assessments SET status = 'adopted' WHERE id = :draft",
              "INSERT INTO adopted_reports (assessment_id, revision, lang, sha256, size, pdf, stored_at, stored_by) "
              "VALUES (:draft, 1, 'sv', :h, 4, :pdf, '2026-01-01', 'x')",
              params={"draft": draft.id, "h": "1" * 64, "pdf": b"%PDF"})
    deleted = store.verify(adopted).message("en")
    assert "has been deleted" in deleted and "post" in deleted
    forged = store.verify(draft.id).message("en")
    assert "report 1/sv is not in the chain (added outside SKB)" in forged
    assert "the assessment says status adopted, but its latest version has draft" in forged
    assert "the PDF no longer has its SHA-256" in forged


def test_an_edited_snapshot_is_caught_and_refused_on_load_with_a_message(store: Store, adopted: str):
    owner_sql(store, "UPDATE checklist_snapshots SET body = replace(body, '\"id\": \"impact\"', '\"id\": \"other\"')")
    assert "its content no longer has its hash" in store.verify(adopted).message("en")
    fresh = Store(str(store.engine.url.render_as_string(hide_password=False)))  # no cached snapshot
    try:
        with pytest.raises(StorageError, match="The stored checklist .* is not valid; run skb verify"):
            fresh.load(adopted)
    finally:
        fresh.close()


def test_a_rewritten_chain_is_caught_when_the_links_are_keyed(database_url: str, monkeypatch):
    monkeypatch.setenv("SKB_INTEGRITY_KEY", "kept-outside-the-database")
    with open_store(database_url) as store:
        a = new_assessment(park(), "Nyckel")
        store.create(a, "Märta")
        assert store.verify(a.id).keyed and store.verify(a.id).intact
        # An owner who edits a version and recomputes its digest and link without the key:
        from assessment.store.integrity import _link, _row_digest, _VERSION_COLUMNS

        owner_sql(store, "UPDATE versions SET author = 'Någon annan' WHERE assessment_id = :id", params={"id": a.id})
        with store.reading() as conn:
            row = conn.execute(text("SELECT * FROM versions WHERE assessment_id = :id"), {"id": a.id}).one()
        digest = _row_digest(row, _VERSION_COLUMNS)
        with store.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ALTER TABLE integrity_chain DISABLE TRIGGER USER")
            else:
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS integrity_chain_append_only_update")
            conn.execute(text("UPDATE integrity_chain SET digest = :d, link = :l WHERE assessment_id = :id"),
                         {"d": digest, "l": _link("", "version", "1", digest, None), "id": a.id})
        assert "the chain's link of version 1 does not match" in store.verify(a.id).message("en")


# --- PostgreSQL: the application's role owns nothing --------------------------------------------


@pytest.mark.postgres
def test_the_app_role_cannot_switch_a_trigger_off_while_migrations_run_as_the_owner(postgres_database: str,
                                                                                    monkeypatch, capsys):
    owner = postgres_database
    role = f"skb_app_{uuid.uuid4().hex[:8]}"
    engine = create_engine(owner)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    try:
        assert main(["migrate", "--db", owner, "--grant", role]) == 0
        assert "0007_append_only" in capsys.readouterr().out
        app = make_url(owner).set(username=role).render_as_string(hide_password=False)
        monkeypatch.setenv("SKB_MIGRATION_DATABASE_URL", owner)
        with open_store(app) as store:
            a = new_assessment(park(), "Rollerna")
            rev = store.create(a, "Märta")
            rev = send_for_review(store, a.id, rev, "Märta")
            store.adopt(a.id, rev, "Kommunstyrelsen")
            with pytest.raises(FrozenError):
                store.save_answer(a.id, rev + 1, "skugga", None, Answer(value=1), "Märta")
            for statement in ("ALTER TABLE versions DISABLE TRIGGER USER",
                              "ALTER TABLE assessments DISABLE TRIGGER assessments_frozen",
                              "DROP TRIGGER versions_frozen ON versions",
                              "DROP FUNCTION skb_refuse_adopted() CASCADE",
                              "TRUNCATE review_comments"):
                with pytest.raises(DBAPIError, match="must be owner|permission denied"):
                    with store.engine.begin() as conn:
                        conn.exec_driver_sql(statement)
            refused(store, "UPDATE versions SET body = '{}' WHERE assessment_id = :id", {"id": a.id})
            assert store.verify(a.id).intact
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        engine.dispose()


@pytest.mark.postgres
def test_an_app_role_that_may_not_migrate_is_told_to_run_skb_migrate(postgres_database: str):
    owner = postgres_database
    role = f"skb_app_{uuid.uuid4().hex[:8]}"
    engine = create_engine(owner)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        conn.exec_driver_sql('REVOKE CREATE ON SCHEMA public FROM PUBLIC')
    try:
        app = make_url(owner).set(username=role).render_as_string(hide_password=False)
        with pytest.raises(StorageError, match="run skb migrate as the database's owner"):
            open_store(app)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        engine.dispose()
