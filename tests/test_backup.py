"""Backups: `skb backup` while people work, `skb restore` into an empty database, on SQLite and PostgreSQL.

The round trip brings back every row of every table (adopted assessments, review threads with their sign-off,
stored reports byte for byte, follow-up, re-assessments, people and the audit log), the restored database
verifies (`skb verify --all`) and takes new work. A backup taken while another session writes is one moment.
A database that holds anything, a file that is not a backup, a damaged one and one from a newer SKB are
refused with a message, and nothing is written."""

from __future__ import annotations

import io
import json
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from assessment.store.backup import MANIFEST, backup, read_manifest, restore
from assessment.workflow.cli import main
from assessment.errors import StorageError
from assessment.store.migrations import known
from assessment.answers.model import Answer, new_assessment
from assessment.workflow.review import post, report_pdf, stored_reports, thread
from assessment.store.storage import open_store
from store_data import everything, rows, seen, torg


@pytest.fixture
def second_url(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Another empty database of the same kind, to restore into."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored' / 'skb.sqlite'}"
    server = request.getfixturevalue("postgres_server")
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"skb_restore_{uuid.uuid4().hex[:12]}"
    conninfo = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    request.addfinalizer(lambda: _drop(conninfo, name))
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop(conninfo: str, name: str) -> None:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_every_row_and_the_restored_database_verifies_and_works(
        database_url: str, second_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    made = everything(database_url)
    with open_store(database_url) as store:
        before = seen(store, made)
        pdf = report_pdf(store, made.adopted, stored_reports(store, made.adopted)[0].revision,
                         stored_reports(store, made.adopted)[0].lang)
    original = rows(database_url)
    assert original["adopted_reports"] and original["review_comments"] and original["followup_values"]

    out = tmp_path / "backups" / "skb-2026-12-06.skb"
    assert main(["backup", "-o", str(out), "--db", database_url]) == 0
    said = capsys.readouterr().out
    assert "3 bedömningar" in said and known()[-1] in said
    manifest = read_manifest(out)
    assert manifest.assessments == 3 and manifest.schema == known()[-1]
    assert manifest.rows == {t: len(r) for t, r in original.items()}
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # it holds everything the database does

    assert main(["restore", str(out), "--db", second_url, "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert "restored 3 assessments" in said and "each of the 3 assessments is intact" in said
    assert rows(second_url) == original  # every row of every table, the report's PDF bytes among them
    assert main(["verify", "--all", "--db", second_url]) == 0
    with open_store(second_url) as store:
        assert seen(store, made) == before
        assert report_pdf(store, made.adopted, stored_reports(store, made.adopted)[0].revision,
                          stored_reports(store, made.adopted)[0].lang) == pdf
        # ... and it takes new work: the next version, the next post, the next audit event (PostgreSQL's
        # sequences came back with the rows).
        draft = store.load(made.draft)
        assert store.save_answer(made.draft, draft.revision, "belysning", None, Answer(value=-2), "Anna Öberg") \
            == draft.revision + 1
        post(store, made.draft, thread(store, made.draft).revision, "Anna Öberg", "Ny kommentar efter återställning")
        assert store.verify(made.draft).intact


def test_a_restore_goes_only_into_an_empty_database(database_url: str, second_url: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]):
    made = everything(database_url)
    out = tmp_path / "b.skb"
    backup(database_url, out)
    # A database that SKB has opened once (its tables, no rows) is empty: the restore takes its place.
    if second_url.startswith("sqlite"):
        Path(second_url.removeprefix("sqlite:///")).parent.mkdir()
    open_store(second_url).close()
    restored = restore(second_url, out)
    assert restored.intact and len(restored.verdicts) == 3 and restored.upgraded == ()
    # A second restore into it, or one into the database the backup came from, is refused and writes nothing.
    for target in (second_url, database_url):
        kept = rows(target)
        assert main(["restore", str(out), "--db", target]) == 1
        err = capsys.readouterr().err
        assert "Databasen är inte tom (3 bedömningar" in err and "inget skrivs över" in err
        assert main(["restore", str(out), "--db", target, "--lang", "en"]) == 1
        assert "The database is not empty (3 assessments" in capsys.readouterr().err
        assert rows(target) == kept
    with open_store(database_url) as store:
        assert store.load(made.adopted).frozen


def _repacked(source: Path, to: Path, manifest_edit=None, payload_edit=None) -> Path:
    """The backup at `source` with its manifest or its database changed (as a newer SKB or damage would)."""
    with tarfile.open(source, "r:*") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar]
    with tarfile.open(to, "w") as tar:
        for m, data in members:
            if m.name == MANIFEST and manifest_edit:
                data = json.dumps(manifest_edit(json.loads(data))).encode()
            elif m.name != MANIFEST and payload_edit:
                data = payload_edit(data)
            m.size = len(data)
            tar.addfile(m, io.BytesIO(data))
    return to


def test_a_file_that_is_not_a_backup_or_comes_from_a_newer_skb_is_refused_with_a_message(
        database_url: str, second_url: str, tmp_path: Path):
    everything(database_url)
    good = tmp_path / "b.skb"
    backup(database_url, good)
    plain = tmp_path / "anteckningar.txt"
    plain.write_text("Inte en säkerhetskopia – Łódź", encoding="utf-8")
    export = tmp_path / "export.tar"
    with tarfile.open(export, "w") as tar:
        info = tarfile.TarInfo("bedomning.yaml")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"id: x"))
    cases = [
        (plain, "is not an SKB backup (not a tar archive)"),
        (export, f"is not an SKB backup (no {MANIFEST})"),
        (_repacked(good, tmp_path / "other.skb", manifest_edit=lambda m: {**m, "format": "something-else"}),
         "is not an SKB backup (wrong format)"),
        (_repacked(good, tmp_path / "future-format.skb", manifest_edit=lambda m: {**m, "format_version": 2}),
         "was made by a newer SKB (backup format 2)"),
        (_repacked(good, tmp_path / "future-schema.skb", manifest_edit=lambda m: {**m, "schema": "0099_future"}),
         "was taken from a newer SKB (schema 0099_future)"),
        (_repacked(good, tmp_path / "damaged.skb", payload_edit=lambda d: d[:-1] + bytes([d[-1] ^ 1])),
         "is damaged"),
        (tmp_path / "finns-inte.skb", "There is no file"),
    ]
    for path, message in cases:
        with pytest.raises(StorageError) as refused:
            restore(second_url, path)
        assert message in refused.value.message("en"), path
        assert refused.value.message("sv") != refused.value.message("en")
    assert all(not r for t, r in rows(second_url).items()) if not second_url.startswith("sqlite") else \
        not Path(second_url.removeprefix("sqlite:///")).exists()


def test_a_backup_that_cannot_be_written_says_why_and_leaves_no_file(database_url: str, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]):
    everything(database_url)
    occupied = tmp_path / "backups"
    occupied.write_text("a file where the directory should be", encoding="utf-8")
    assert main(["backup", "-o", str(occupied / "skb.skb"), "--db", database_url, "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"skb backup: The backup to {occupied / 'skb.skb'} could not be made (") and \
        "no file was written" in err and "Traceback" not in err
    assert main(["backup", "-o", str(occupied / "skb.skb"), "--db", database_url]) == 1
    assert "kunde inte göras" in capsys.readouterr().err
    assert occupied.is_file() and not list(tmp_path.rglob("*.skb")) and not list(tmp_path.rglob(".skb-backup-*"))


@pytest.mark.postgres
def test_a_backup_restores_only_into_the_kind_of_database_it_was_taken_from(postgres_database: str, tmp_path: Path):
    sqlite_url = f"sqlite:///{tmp_path / 'skb.sqlite'}"
    everything(sqlite_url)
    backup(sqlite_url, tmp_path / "b.skb")
    with pytest.raises(StorageError) as refused:
        restore(postgres_database, tmp_path / "b.skb")
    assert "restores only into SQLite" in refused.value.message("en")
    assert "skb export" in refused.value.message("sv")


def test_a_backup_taken_while_another_session_writes_is_one_moment(database_url: str, second_url: str,
                                                                    tmp_path: Path):
    with open_store(database_url) as store:
        ids = []
        for n in range(3):
            a = new_assessment(torg(), f"Kvarter {n} – Ängen", municipality="Örebro")
            store.create(a, "Anna")
            ids.append(a.id)
    saved = [0]
    progress = threading.Condition()
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            with open_store(database_url) as w:
                revisions = {aid: 1 for aid in ids}
                value = 0
                while not stop.is_set():
                    value = 1 - value
                    for aid in ids:  # three assessments, each autosave its own transaction
                        revisions[aid] = w.save_answer(aid, revisions[aid], "belysning", None, Answer(value=value),
                                                       "Şirin")
                    with progress:
                        saved[0] += 1
                        progress.notify_all()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)
            with progress:
                progress.notify_all()

    thread_ = threading.Thread(target=writer, daemon=True)
    thread_.start()
    out = tmp_path / "b.skb"
    try:
        with progress:
            progress.wait_for(lambda: saved[0] >= 3 or failures)
        overlapped = False
        for _ in range(20):  # until one backup ran while saves were committed: almost always the first
            start = saved[0]
            backup(database_url, out)
            if saved[0] > start:
                overlapped = True
                break
        assert overlapped, "no backup ran while the writer saved"
        with progress:  # the writer goes on after the backup too
            target = saved[0] + 2
            progress.wait_for(lambda: saved[0] >= target or failures)
    finally:
        stop.set()
        thread_.join()
    assert not failures, failures
    restored = restore(second_url, out)
    assert restored.intact
    engine = create_engine(second_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            for aid in ids:
                head = conn.execute(text("SELECT revision FROM assessments WHERE id = :id"), {"id": aid}).scalar()
                versions = conn.execute(text("SELECT count(*), max(revision) FROM versions WHERE assessment_id = :id"),
                                        {"id": aid}).one()
                links = conn.execute(text("SELECT count(*) FROM integrity_chain WHERE assessment_id = :id "
                                          "AND kind = 'version'"), {"id": aid}).scalar()
                # Each head names its last version, every version is there and sealed: no save half in.
                assert head == versions[0] == versions[1] == links
    finally:
        engine.dispose()
    with open_store(database_url) as store:
        finals = {aid: store.load(aid).revision for aid in ids}
    with open_store(second_url) as store:
        got = {aid: store.load(aid).revision for aid in ids}
    assert all(1 < got[aid] < finals[aid] for aid in ids), (got, finals)
    # The three assessments are saved in turn: a snapshot of one moment has them at most one round apart.
    first, second, third = (got[aid] for aid in ids)
    assert first >= second >= third >= first - 1


@pytest.mark.parametrize("database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_the_application_role_takes_the_backup_and_gets_its_rows_back_after_a_restore(
        database_url: str, second_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Two roles (docs/storage.md): the app's role, which owns nothing, may back up; the owner restores and
    grants; the app's role then works on the restored database and still cannot switch a trigger off."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    postgres_database = database_url
    role = f"skb_app_{uuid.uuid4().hex[:8]}"
    engine = create_engine(postgres_database)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        assert main(["migrate", "--db", postgres_database, "--grant", role]) == 0
        as_app = make_url(postgres_database).set(username=role).render_as_string(hide_password=False)
        made = everything(as_app)
        out = tmp_path / "b.skb"
        assert main(["backup", "-o", str(out), "--db", as_app]) == 0
        capsys.readouterr()
        assert main(["restore", str(out), "--db", second_url, "--grant", role]) == 0
        restored_as_app = make_url(second_url).set(username=role).render_as_string(hide_password=False)
        with open_store(restored_as_app) as store:
            draft = store.load(made.draft)
            store.save_answer(made.draft, draft.revision, "belysning", None, Answer(value=2), "Anna Öberg")
            assert store.verify(made.adopted).intact
            with pytest.raises(DBAPIError, match="must be owner|permission denied"):
                with store.engine.begin() as conn:
                    conn.execute(text("ALTER TABLE versions DISABLE TRIGGER USER"))
    finally:
        for url in (second_url, postgres_database):
            owner = create_engine(url)
            with owner.begin() as conn:
                conn.execute(text(f'DROP OWNED BY "{role}"'))
            owner.dispose()
        with engine.begin() as conn:
            conn.execute(text(f'DROP ROLE "{role}"'))
        engine.dispose()
