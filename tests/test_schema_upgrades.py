"""Upgrades: from every released schema, with its data, on SQLite and PostgreSQL; and what an old server does.

Every schema SKB released (0001-0007) was made by the hand-written registry of migrations, which recorded
them in `skb_migrations`; the revisions are now Alembic's, with the same names and DDL. For each released
schema a database is made as that registry left it (Alembic's record dropped, its own kept), filled by raw
SQL with what that schema could hold, and opened by this SKB: it is recognised, stamped and upgraded, and
everything is there, searchable, frozen where adopted, sealed in the hash chain, and takes new work.

A server started before a newer SKB migrated the database refuses every write from then on, saying it
must be restarted, and saves nothing; it goes on reading. A newer database is refused at start.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import create_engine, text

from assessment.store.auth import Actor, roles_of
from assessment.workflow.cli import main
from assessment.errors import FrozenError, StorageError
from assessment.workflow.followup import measures, schedule
from assessment.store.integrity import seal_all
from assessment.store.migrations import LEGACY_TABLE, VERSION_TABLE, applied, known, upgrade
from assessment.answers.model import Answer, Measure, Status, new_assessment
from assessment.workflow.portfolio import portfolio
from assessment.workflow.review import post, report_pdf, stored_reports, thread
from assessment.store.storage import RestartNeeded, open_store
from store_data import everything, rows, seen, torg

RELEASED = ["0001_first_schema", "0002_search_text", "0003_review_followup", "0004_scores", "0005_scores_lookup",
            "0006_people_audit", "0007_append_only"]
PDF = b"%PDF-1.4\n% Stortorget, adopted by Byggnadsn\xc3\xa4mnden\n%%EOF\n"


def test_the_released_schemas_are_the_first_revisions_in_order():
    assert list(known()[:len(RELEASED)]) == RELEASED


def _engine(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def as_the_registry_left_it(url: str, schema: str) -> None:
    """A database at `schema` as SKB's hand-written registry made it: its DDL, recorded in skb_migrations only."""
    engine = _engine(url)
    try:
        upgrade(engine, upto=schema)
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))
            assert [r[0] for r in conn.execute(text(f"SELECT name FROM {LEGACY_TABLE} ORDER BY name"))] == \
                RELEASED[:RELEASED.index(schema) + 1]
    finally:
        engine.dispose()


def _body(a):
    return a.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"checklist"})


def fill(url: str, schema: str):
    """Write, with that schema's SQL, what it could hold: a draft, an adopted assessment and (0003 on) its
    review thread, stored report and follow-up, and (0006 on) people, roles and the audit log."""
    level = RELEASED.index(schema) + 1
    draft = new_assessment(torg(), "Stortorget", municipality="Örebro", areas=["Vivalla"])
    first = _body(draft)
    draft.set_answer("belysning", Answer(value=-1, comment="Mörkt vid busshållplatsen"))
    adopted = new_assessment(torg(), "Ängstorget i Łódźkvarteren", municipality="Malmö")
    adopted.set_answer("lek", Answer(value={"children": 2, "all": 1}))
    adopted.measures.append(Measure(id="ljus", criterion="belysning", text="Belysning längs gångstråket",
                                    responsible="Tekniska förvaltningen", indicator="Antal nya armaturer"))
    adopted_first = _body(adopted)
    adopted.metadata.status = Status.ADOPTED
    adopted.metadata.adopted_by = "Byggnadsnämnden"
    adopted.metadata.adopted_at = dt.date(2025, 1, 12)
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            snapshot = draft.checklist.model_dump(mode="json", by_alias=True, exclude_none=True)
            conn.execute(text("INSERT INTO checklist_snapshots (hash, checklist_id, version, body, stored_at) "
                              "VALUES (:h, 'torg', '1', :b, '2025-01-10T09:00:00+00:00')"),
                         {"h": draft.checklist_ref.hash, "b": json.dumps(snapshot, ensure_ascii=False)})
            for a, bodies, who in ((draft, [first, _body(draft)], "Anna Öberg"),
                                   (adopted, [adopted_first, _body(adopted)], "Elif Şahin")):
                extra = ", search_text" if level >= 2 else ""
                conn.execute(text(
                    "INSERT INTO assessments (id, title, municipality, status, checklist_id, checklist_version, "
                    f"revision, created_at, created_by, updated_at, updated_by{extra}) VALUES (:id, :t, :m, 'draft', "
                    f"'torg', '1', 2, '2025-01-10T09:00:00+00:00', :who, '2025-01-11T09:00:00+00:00', :who"
                    f"{', :q' if extra else ''})"),
                    {"id": a.id, "t": a.metadata.title, "m": a.metadata.municipality, "who": who,
                     "q": f"{a.metadata.title} {a.metadata.municipality}".casefold()})
                for n, body in enumerate(bodies, start=1):
                    conn.execute(text(
                        "INSERT INTO versions (assessment_id, revision, saved_at, author, summary, changes, status, "
                        "checklist_hash, body) VALUES (:id, :r, :at, :who, '', '{}', :st, :h, :b)"),
                        {"id": a.id, "r": n, "at": f"2025-01-1{n}T09:00:00+00:00", "who": who,
                         "st": body["metadata"]["status"], "h": a.checklist_ref.hash,
                         "b": json.dumps(body, ensure_ascii=False)})
            conn.execute(text("UPDATE assessments SET status = 'adopted' WHERE id = :id"), {"id": adopted.id})
            if level >= 3:
                conn.execute(text("INSERT INTO review_threads VALUES (:id, 2, '2025-01-12T10:00:00+00:00', "
                                  "'Byggnadsnämnden')"), {"id": adopted.id})
                for cid, at, words, kind, who in (
                        ("c1", "2025-01-11T10:00:00+00:00", "Vilka vandringar ligger till grund?", "comment",
                         "Γιώργος Παπαδόπουλος"),
                        ("c2", "2025-01-12T10:00:00+00:00", "Fastställd 2025-01-12 av Byggnadsnämnden / Adopted "
                                                           "2025-01-12 by Byggnadsnämnden", "sign_off",
                         "Byggnadsnämnden")):
                    conn.execute(text("INSERT INTO review_comments VALUES (:cid, :id, 2, NULL, :who, :at, :words, "
                                      "NULL, :kind)"),
                                 {"cid": cid, "id": adopted.id, "who": who, "at": at, "words": words, "kind": kind})
                conn.execute(text("INSERT INTO adopted_reports VALUES (:id, 2, 'sv', :sha, :size, :pdf, "
                                  "'2025-01-12T10:00:01+00:00', 'Byggnadsnämnden')"),
                             {"id": adopted.id, "sha": hashlib.sha256(PDF).hexdigest(), "size": len(PDF), "pdf": PDF})
                conn.execute(text("INSERT INTO followup_measures VALUES (:id, 'ljus', 'under_way', 2, "
                                  "'2025-03-01T09:00:00+00:00', 'Kalle Ölund')"), {"id": adopted.id})
                conn.execute(text("INSERT INTO followup_notes VALUES ('n1', :id, 'ljus', '2025-03-01', "
                                  "'Tio armaturer på plats', 'Kalle Ölund', '2025-03-01T09:00:00+00:00')"),
                             {"id": adopted.id})
                conn.execute(text("INSERT INTO followup_values VALUES ('v1', :id, 'ljus', '2025-03-01', 10, "
                                  "'Första etappen', 'Kalle Ölund', '2025-03-01T09:00:00+00:00')"), {"id": adopted.id})
                conn.execute(text("INSERT INTO followup_schedule VALUES (:id, '2025-09-01', NULL, '', 1, "
                                  "'2025-03-01T09:00:00+00:00', 'Kalle Ölund')"), {"id": adopted.id})
            if level >= 6:
                conn.execute(text("INSERT INTO users VALUES ('marta@orebro.se', 'Marta Wiśniewska', '', '', "
                                  "'2025-01-10T08:00:00+00:00', '')"))
                conn.execute(text("INSERT INTO user_roles VALUES ('marta@orebro.se', 'örebro', 'reviewer', "
                                  "'2025-01-10T08:00:00+00:00', 'admin@orebro.se')"))
                conn.execute(text("INSERT INTO audit_log (at, actor, action, assessment_id, org, detail) VALUES "
                                  "('2025-01-12T10:00:00+00:00', 'Byggnadsnämnden', 'sign_off', :id, 'malmö', "
                                  "'version 2')"), {"id": adopted.id})
            if level >= 7:
                seal_all(conn)  # as the store of 0007 sealed each row in the transaction that wrote it
    finally:
        engine.dispose()
    return draft, adopted


@pytest.mark.parametrize("schema", RELEASED)
def test_a_database_of_every_released_schema_upgrades_with_all_its_data(database_url: str, schema: str):
    level = RELEASED.index(schema) + 1
    as_the_registry_left_it(database_url, schema)
    draft, adopted = fill(database_url, schema)

    with open_store(database_url) as store:
        with store.engine.connect() as conn:
            assert applied(conn) == list(known())
            assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == known()[-1]
            assert [r[0] for r in conn.execute(text(f"SELECT name FROM {LEGACY_TABLE} ORDER BY name"))] == \
                list(known())
        assert store.load(draft.id).assessment == draft
        assert store.load(adopted.id).assessment == adopted
        assert [v.revision for v in store.history(adopted.id)] == [1, 2]
        assert store.version(draft.id, 1).answers == {}
        # Search folds å, ä, ö on rows of every age (0002 backfilled those written before it).
        assert [s.title for s in store.list(search="ÖREBRO")] == ["Stortorget"]
        assert [s.title for s in store.list(search="ängstorget")] == ["Ängstorget i Łódźkvarteren"]
        # Adopted stays adopted, in the store and in the database's own triggers.
        with pytest.raises(FrozenError):
            store.save_answer(adopted.id, 2, "belysning", None, Answer(value=0), "Bo")
        with pytest.raises(Exception, match="skb-frozen"):
            with store.engine.begin() as conn:
                conn.execute(text("UPDATE assessments SET title = 'x' WHERE id = :id"), {"id": adopted.id})
        if level >= 3:
            posts = thread(store, adopted.id).comments
            assert [(c.author, c.kind) for c in posts] == [("Γιώργος Παπαδόπουλος", "comment"),
                                                          ("Byggnadsnämnden", "sign_off")]
            assert report_pdf(store, adopted.id, 2, "sv") == PDF
            assert [r.sha256 for r in stored_reports(store, adopted.id)] == [hashlib.sha256(PDF).hexdigest()]
            (followed,) = measures(store, adopted.id)
            assert [n.text for n in followed.notes][-1] == "Tio armaturer på plats"
            assert [v.value for v in followed.values] == [10]
            assert schedule(store, adopted.id).review_date == dt.date(2025, 9, 1)
        if level >= 6:
            assert roles_of(store, Actor("marta@orebro.se", shared=True)) == [("örebro", "reviewer")]
        # The history found at the upgrade is sealed (0007), or was sealed as written: it verifies.
        for aid, versions in ((draft.id, 2), (adopted.id, 2)):
            verdict = store.verify(aid)
            assert verdict.intact and verdict.versions == versions, verdict.problems
        # ... and the upgraded database takes new work: a save, a post, the portfolio rescores.
        assert store.save_answer(draft.id, 2, "belysning", None, Answer(value=0), "Bo Åström") == 3
        post(store, draft.id, thread(store, draft.id).revision, "Bo Åström", "Efter uppgraderingen")
        assert store.verify(draft.id).intact and store.verify(draft.id).versions == 3
        assert set(portfolio(store).assessments["title"]) == {"Stortorget", "Ängstorget i Łódźkvarteren"}
    assert main(["verify", "--all", "--db", database_url]) == 0


def test_a_database_of_todays_skb_is_recognised_and_loses_nothing(database_url: str):
    """The last schema of the registry, written by the store itself (chains, reports, audit), then opened."""
    made = everything(database_url)
    with open_store(database_url) as store:
        before = seen(store, made)
    engine = _engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))  # as the hand-written registry left it
    engine.dispose()
    kept = {t: r for t, r in rows(database_url).items()}
    with open_store(database_url) as store:
        assert seen(store, made) == before
    after = rows(database_url)
    assert after.pop(VERSION_TABLE) == [(known()[-1],)]
    assert after == kept


def test_skb_migrate_upgrades_a_registry_database_and_says_what_it_applied(database_url: str,
                                                                           capsys: pytest.CaptureFixture[str]):
    as_the_registry_left_it(database_url, "0004_scores")
    draft, _ = fill(database_url, "0004_scores")
    assert main(["migrate", "--db", database_url]) == 0
    assert capsys.readouterr().out.strip() == "applied: " + ", ".join(known()[4:])
    assert main(["migrate", "--db", database_url]) == 0
    assert capsys.readouterr().out.strip() == "the database is up to date"
    with open_store(database_url) as store:
        assert store.load(draft.id).assessment == draft


def test_alembics_own_command_runs_the_shipped_revisions(database_url: str):
    """An IT department may run `alembic upgrade head` itself: the same revisions, the same recognition."""
    from alembic import command

    as_the_registry_left_it(database_url, "0002_search_text")
    draft, _ = fill(database_url, "0002_search_text")
    from alembic.config import Config

    cfg = Config()  # as an alembic.ini would say it
    cfg.set_main_option("script_location", "assessment:store/migrations")
    cfg.set_main_option("sqlalchemy.url", database_url.replace("postgresql://", "postgresql+psycopg://"))
    command.upgrade(cfg, "head")
    engine = _engine(database_url)
    try:
        with engine.connect() as conn:
            assert applied(conn) == list(known())
    finally:
        engine.dispose()
    with open_store(database_url) as store:
        assert store.load(draft.id).assessment == draft
        assert store.verify(draft.id).intact


NEWER = "0099_from_a_newer_skb"


def a_newer_skb_migrates(url: str) -> None:
    """What a newer SKB's `skb migrate` does to the database: a new column, its revision recorded."""
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE assessments ADD COLUMN district TEXT NOT NULL DEFAULT ''"))
            conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = :n"), {"n": NEWER})
            conn.execute(text(f"INSERT INTO {LEGACY_TABLE} (name, applied_at) VALUES (:n, 'x')"), {"n": NEWER})
    finally:
        engine.dispose()


def test_an_old_server_refuses_to_write_once_a_newer_skb_migrated_and_says_to_restart(database_url: str):
    made = everything(database_url)
    with open_store(database_url) as old_server:
        draft = old_server.load(made.draft)
        a_newer_skb_migrates(database_url)
        with pytest.raises(RestartNeeded) as refused:
            old_server.save_answer(made.draft, draft.revision, "belysning", None, Answer(value=-2), "Anna Öberg")
        assert "måste startas om" in refused.value.message("sv") and NEWER in refused.value.message("sv")
        assert "must be restarted" in refused.value.message("en") and "not saved" in refused.value.message("en")
        with pytest.raises(RestartNeeded):  # every write, the review's and follow-up's among them
            post(old_server, made.draft, thread(old_server, made.draft).revision, "Anna Öberg", "Hej")
        # Nothing was saved, and the old server still reads what is there.
        assert old_server.load(made.draft) == draft
        assert old_server.verify(made.draft).intact
    # A server of this version started now refuses the newer database outright.
    with pytest.raises(StorageError, match="upgraded by a newer SKB") as refused:
        open_store(database_url)
    assert NEWER in str(refused.value)
    assert main(["migrate", "--db", database_url]) == 1


def test_a_newer_schema_recorded_only_in_the_registrys_table_is_refused_too(database_url: str):
    """An SKB from before Alembic could not have written alembic_version: its record alone is enough."""
    open_store(database_url).close()
    engine = _engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {LEGACY_TABLE} (name, applied_at) VALUES (:n, 'x')"), {"n": NEWER})
    engine.dispose()
    with pytest.raises(StorageError, match="upgraded by a newer SKB"):
        open_store(database_url)


def test_the_wizard_on_an_old_server_says_it_must_be_restarted_and_keeps_what_was_typed(
        app_data_dir, monkeypatch: pytest.MonkeyPatch):
    """What a planner sees when `skb migrate` of a newer SKB ran under the server they are working on."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(root / "tests" / "data"))
    at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.selectbox(key="new_checklist").set_value("wizard-odd")
    at.text_input(key="new_title").set_value("Badplatsen i Hyllie")
    at.button(key="create").click().run()
    at.run()
    assert not at.exception, at.exception
    value = at.query_params["id"]
    aid = value[0] if isinstance(value, list) else value
    url = f"sqlite:///{app_data_dir / 'skb.sqlite'}"

    a_newer_skb_migrates(url)
    at.radio(key=f"w:{aid}:badar:-:value").set_value(True).run()
    assert not at.exception, at.exception
    said = [e.value for e in at.error]
    assert any("måste startas om" in s and NEWER in s for s in said), said
    assert at.radio(key=f"w:{aid}:badar:-:value").value is True  # still on the page
    engine = _engine(url)
    try:
        with engine.connect() as conn:  # ... and not in the database
            assert conn.execute(text("SELECT revision FROM assessments WHERE id = :id"), {"id": aid}).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_an_application_role_on_a_registry_database_is_told_to_run_skb_migrate_once(postgres_database: str):
    """The first start of this version on two roles: the owner must stamp the database for Alembic."""
    import uuid

    from sqlalchemy.engine import make_url

    role = f"skb_app_{uuid.uuid4().hex[:8]}"
    engine = create_engine(postgres_database)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        assert main(["migrate", "--db", postgres_database, "--grant", role]) == 0
        draft, _ = fill(postgres_database, "0007_append_only")
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))  # as the hand-written registry left it
        as_app = make_url(postgres_database).set(username=role).render_as_string(hide_password=False)
        with pytest.raises(StorageError, match="run skb migrate as the database's owner"):
            open_store(as_app)
        assert main(["migrate", "--db", postgres_database]) == 0  # stamps, applies nothing; no --grant needed
        with open_store(as_app) as store:
            assert store.load(draft.id).assessment == draft
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        engine.dispose()
