"""Nothing claimed by a file is believed, on SQLite and PostgreSQL.

A file that says it is adopted arrives as a draft with the claim kept as
provenance, unless its adoption verifies against the report's SHA-256 known
from outside the file. A checklist snapshot goes through the full validator on
import and on load, whatever its own hash says. A snapshot that borrows an
installed checklist's id with other content is named a modified copy. And an
assessment larger than its bounds is refused, quickly, naming the limit, through
the store, the file reader and `skb import`, leaving nothing behind.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from assessment.workflow.cli import main
from assessment.errors import AssessmentFileError, FrozenError, LimitExceeded, StorageError
from assessment.checklist.library import load_library, origin_note, snapshot_origin
from assessment.answers.model import (Bounds, Measure, ParticipationRecord, Status, dump_assessment, new_assessment,
                              parse_assessment)
from assessment.workflow.review import send_for_review, sign_off, store_report, stored_reports, verify_report
from assessment.store.storage import Store, open_store

from test_tamper import park


@pytest.fixture
def store(database_url: str):
    with open_store(database_url) as s:
        yield s


@pytest.fixture
def elsewhere(tmp_path: Path):
    """Another installation, where the assessment was adopted."""
    with open_store(f"sqlite:///{tmp_path / 'elsewhere.sqlite'}") as s:
        yield s


def adopted_export(elsewhere: Store) -> tuple[str, str]:
    """An assessment signed off at the other installation: (its export, the SHA-256 of its stored report)."""
    a = new_assessment(park(), "Parken vid Åkroken", municipality="Växjö")
    rev = send_for_review(elsewhere, a.id, elsewhere.create(a, "Märta"), "Märta")
    sign_off(elsewhere, a.id, rev, "Kommunstyrelsen")
    [report] = stored_reports(elsewhere, a.id)
    return elsewhere.export(a.id), report.sha256


def claims_adoption() -> str:
    a = new_assessment(park(), "Påstått fastställd")
    a.metadata.status, a.metadata.adopted_by = Status.ADOPTED, "Kommunfullmäktige"
    return dump_assessment(a)


# --- a claimed adoption ------------------------------------------------------------------------


def test_a_claimed_adoption_gets_no_report_stored_and_none_verifies(store: Store):
    aid = store.import_(claims_adoption(), "forged.yaml", "Bo")
    with pytest.raises(StorageError, match="Only an adopted assessment gets a stored report"):
        store_report(store, aid, "Bo")
    assert not verify_report(store, aid, b"%PDF-1.4 anything").matches


def test_skb_import_says_the_claim_is_not_verified_and_skb_list_shows_it(store: Store, database_url: str,
                                                                         tmp_path: Path, capsys):
    path = tmp_path / "forged.yaml"
    path.write_text(claims_adoption(), encoding="utf-8")
    assert main(["import", str(path), "--db", database_url, "--lang", "en"]) == 0
    out = capsys.readouterr()
    assert "The file claimed: adopted by Kommunfullmäktige. That is not verified" in out.err
    assert main(["list", "--db", database_url]) == 0
    listed = capsys.readouterr().out
    assert " draft " in listed and "Filen påstod: fastställd av Kommunfullmäktige" in listed


def test_an_adopted_export_verifies_against_its_report_hash_and_arrives_read_only(store: Store, elsewhere: Store):
    exported, digest = adopted_export(elsewhere)
    aid = store.import_(exported, "parken.yaml", "Bo", adopted_report_sha256=digest)
    stored = store.load(aid)
    assert stored.frozen and stored.assessment.provenance.adoption == "verified"
    assert stored.assessment.provenance.describe("en").startswith("Adopted elsewhere, verified")
    with pytest.raises(FrozenError):
        store.save_answer(aid, stored.revision, "skugga", None, None, "Bo")
    # The report it carried is stored here too, and the chain seals it.
    pdf = base64.b64decode(yaml.safe_load(exported)["adoption_record"]["report_pdf"])
    assert verify_report(store, aid, pdf).matches
    assert store.verify(aid).intact


@pytest.mark.parametrize("tamper", ["no hash given", "another hash", "body edited", "report swapped"])
def test_an_adopted_export_that_does_not_verify_arrives_as_a_draft(store: Store, elsewhere: Store, tamper: str):
    exported, digest = adopted_export(elsewhere)
    data = yaml.safe_load(exported)
    given: str | None = digest
    if tamper == "no hash given":
        given = None
    elif tamper == "another hash":
        given = "ab" * 32
    elif tamper == "body edited":
        data["metadata"]["title"] = "Parken vid Åkroken, utan fällning"
    else:  # a report of the forger's own, with its own hash given
        pdf = b"%PDF-1.4 " + f"skb-body-sha256:{data['adoption_record']['body_sha256']}".encode()
        data["adoption_record"]["report_pdf"] = base64.b64encode(pdf).decode()
        given = hashlib.sha256(pdf).hexdigest()
        data["metadata"]["title"] = "Parken, ändrad"
    aid = store.import_(yaml.safe_dump(data, allow_unicode=True), "parken.yaml", "Bo", adopted_report_sha256=given)
    stored = store.load(aid)
    assert stored.assessment.metadata.status == Status.DRAFT and not stored.frozen
    assert stored.assessment.provenance.adoption == "unverified"
    assert stored_reports(store, aid) == []


def test_a_file_cannot_bring_its_own_provenance(store: Store):
    a = new_assessment(park(), "Egen härkomst")
    data = json.loads(dump_assessment(a, "json"))
    data["metadata"]["status"] = "adopted"
    data["provenance"] = {"source": "KS", "imported_at": "2026-01-01T00:00:00+00:00", "imported_by": "KS",
                          "claimed_status": "adopted", "adoption": "verified", "report_sha256": "0" * 64}
    aid = store.import_(json.dumps(data), "egen.json", "Bo")
    p = store.load(aid).assessment.provenance
    assert (p.adoption, p.source, p.imported_by) == ("unverified", "egen.json", "Bo")


def test_a_new_assessment_cannot_be_created_adopted_through_the_python_api(store: Store):
    a = new_assessment(park(), "Direkt fastställd")
    a.metadata.status = Status.ADOPTED
    with pytest.raises(StorageError, match="cannot be created adopted"):
        store.create(a, "Bo")
    assert store.list() == []


# --- snapshots: validated, and a borrowed id named ----------------------------------------------


def with_snapshot(edit) -> str:  # type: ignore[no-untyped-def]
    """An assessment file whose snapshot was edited, with the snapshot's hash recomputed to match."""
    from assessment.checklist.checklist import Checklist

    a = new_assessment(park(), "Redigerad checklista")
    data = json.loads(dump_assessment(a, "json"))
    edit(data["checklist"])
    try:
        data["checklist_ref"]["hash"] = Checklist.model_validate(data["checklist"]).content_hash()
    except ValueError:
        pass
    return json.dumps(data, ensure_ascii=False)


def duplicate_ids(c: dict) -> None:
    c["sections"][0]["criteria"].append(copy.deepcopy(c["sections"][0]["criteria"][0]))


def unknown_scale(c: dict) -> None:
    c["sections"][0]["criteria"][0]["scale"] = "finns-inte"


def cycle(c: dict) -> None:
    crits = c["sections"][0]["criteria"]
    second = copy.deepcopy(crits[0])
    second["id"] = "skugga2"
    crits[0]["show_if"] = {"answered": "skugga2"}
    second["show_if"] = {"answered": "skugga"}
    crits.append(second)


@pytest.mark.parametrize("edit, message", [(duplicate_ids, "skugga"), (unknown_scale, "finns-inte"),
                                           (cycle, "skugga2")])
def test_an_edited_snapshot_goes_through_the_full_validator(store: Store, edit, message: str):
    raw = with_snapshot(edit)
    with pytest.raises(AssessmentFileError, match="the checklist in the file is not valid") as caught:
        parse_assessment(raw, "redigerad.json")
    assert message in str(caught.value)
    with pytest.raises(AssessmentFileError):
        store.import_(raw, "redigerad.json", "Bo")
    assert store.list() == []


@pytest.mark.parametrize("verb", ["score", "report"])
def test_skb_score_and_report_refuse_an_edited_snapshot_without_a_traceback(tmp_path: Path, capsys, verb: str):
    path = tmp_path / "redigerad.json"
    path.write_text(with_snapshot(unknown_scale), encoding="utf-8")
    argv = [verb, str(path)] + (["-o", str(tmp_path / "out.pdf")] if verb == "report" else [])
    assert main([*argv, "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "the checklist in the file is not valid" in err and "Traceback" not in err
    assert main([*argv, "--lang", "sv"]) == 1  # one language at a time, the one asked for
    err = capsys.readouterr().err
    assert "checklistan i filen är inte giltig" in err and "not valid" not in err and "Traceback" not in err
    assert not (tmp_path / "out.pdf").exists()


def test_a_snapshot_that_borrows_an_installed_id_is_shown_as_a_modified_copy(tmp_path: Path, capsys):
    installed, _ = load_library()
    library = installed["skb-integrerad"]
    a = new_assessment(library, "Lånat id")
    assert snapshot_origin(a.checklist, installed) == "installed" and origin_note(a.checklist) is None
    data = json.loads(dump_assessment(a, "json"))
    data["checklist"]["title"]["sv"] = "Integrerad (ändrad)"
    from assessment.checklist.checklist import Checklist

    data["checklist_ref"]["hash"] = Checklist.model_validate(data["checklist"]).content_hash()
    path = tmp_path / "lanad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    edited = parse_assessment(path.read_bytes(), "lanad.json")
    assert snapshot_origin(edited.checklist, installed) == "modified"
    assert main(["score", str(path), "--lang", "en"]) == 0
    assert "Modified copy: the checklist calls itself \"skb-integrerad\"" in capsys.readouterr().err
    assert main(["report", str(path), "-o", str(tmp_path / "lanad.pdf"), "--lang", "en"]) == 0
    from pypdf import PdfReader

    cover = PdfReader(str(tmp_path / "lanad.pdf")).pages[0].extract_text()
    assert "Modified copy" in cover and "differs from the installed checklist" in " ".join(cover.split())


# --- bounds: through every door -------------------------------------------------------------------


def hostile(kind: str) -> str:
    a = new_assessment(park(), "Stor")
    data = json.loads(dump_assessment(a, "json"))
    if kind == "measures":
        data["measures"] = [{"criterion": "skugga", "text": "Plantera"}] * 60_000
    elif kind == "participation":
        data["participation"] = [{"method": "Promenad"}] * 30_000
    else:
        data["metadata"]["municipality"] = "Å" * 2_500_000  # 5 MB in UTF-8, within the file size limit
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("kind, limit", [("measures", "at most 200 are allowed"),
                                         ("participation", "at most 50 are allowed"),
                                         ("name", "at most 300 characters are allowed")])
def test_the_hostile_files_of_issue_13_are_refused_naming_the_limit(store: Store, tmp_path: Path, capsys,
                                                                    database_url: str, kind: str, limit: str):
    raw = hostile(kind)
    with pytest.raises(LimitExceeded) as caught:
        store.import_(raw, "stor.json", "Bo")
    assert limit in caught.value.message("en") and "högst" in caught.value.message("sv")
    path = tmp_path / "stor.json"
    path.write_text(raw, encoding="utf-8")
    assert main(["import", str(path), "--db", database_url]) == 1
    assert "Bedömningen är större än SKB tillåter" in capsys.readouterr().err
    assert store.list() == []  # nothing half-written


def test_the_python_api_refuses_what_grew_past_the_bounds_after_the_model_was_built(store: Store):
    a = new_assessment(park(), "Växer")
    rev = store.create(a, "Bo")
    a.measures.extend(Measure(criterion="skugga", text=f"Åtgärd {i}") for i in range(Bounds.MEASURES + 1))
    with pytest.raises(LimitExceeded, match="201 measures; at most 200 are allowed"):
        store.save(a, rev, "Bo")
    a.measures.clear()
    a.participation.append(ParticipationRecord(method="Samråd"))
    a.participation[0].heard = "x" * 30_000  # assignment is not validated by the model
    with pytest.raises(LimitExceeded, match="participation › 0 › heard: the text is 30,000 characters long"):
        store.save(a, rev, "Bo")
    assert store.load(a.id).revision == rev


def test_every_text_field_of_an_assessment_has_a_maximum_length():
    from typing import get_args

    from pydantic import BaseModel

    from assessment.answers.model import Assessment

    unbounded = []

    def walk(model: type[BaseModel], path: str) -> None:
        for name, info in model.model_fields.items():
            if name == "checklist":
                continue
            types = [info.annotation, *get_args(info.annotation)]
            for t in types:
                if isinstance(t, type) and issubclass(t, BaseModel):
                    walk(t, f"{path}.{name}")
                for inner in get_args(t):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        walk(inner, f"{path}.{name}")
            if str in types and not any(getattr(m, "max_length", None) or getattr(m, "pattern", None)
                                        for m in info.metadata):
                unbounded.append(f"{path}.{name}")

    walk(Assessment, "assessment")
    assert unbounded == []


def test_the_review_thread_is_bounded_in_posts_and_in_text(store: Store, monkeypatch):
    from assessment.workflow.review import post, thread

    monkeypatch.setattr(Bounds, "POSTS", 3)
    monkeypatch.setattr(Bounds, "THREAD_TEXT", 50)
    a = new_assessment(park(), "Granskad")
    store.create(a, "Bo")
    seen = post(store, a.id, 0, "Jonas", "Ersättningsträd?")
    with pytest.raises(LimitExceeded, match="the review's posts may together be at most 50 characters"):
        post(store, a.id, seen, "Jonas", "x" * 40)
    seen = post(store, a.id, seen, "Jonas", "Ja.")
    seen = post(store, a.id, seen, "Märta", "Tack.")
    with pytest.raises(LimitExceeded) as caught:
        post(store, a.id, seen, "Jonas", "En till?")
    assert "granskningen har redan 3 inlägg" in caught.value.message("sv")
    assert [c.text for c in thread(store, a.id).comments] == ["Ersättningsträd?", "Ja.", "Tack."]


def test_the_start_and_history_pages_show_what_an_imported_file_claimed(tmp_path: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    data = tmp_path / "data"
    monkeypatch.setenv("SKB_DATA_DIR", str(data))
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    with open_store() as s:
        aid = s.import_(claims_adoption(), "forged.yaml", "Bo")
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), default_timeout=90)
    at.query_params.update({"who": "Ada", "lang": "en"})
    at.run()
    assert not at.exception, at.exception
    assert any("The file claimed" in c.value and "not verified" in c.value for c in at.caption)
    at.query_params.update({"id": aid})
    at.switch_page("ui/app_pages/history.py").run()
    assert not at.exception, at.exception
    assert any("Provenance" in w.value and "Kommunfullmäktige" in w.value for w in at.warning)


def test_a_checklist_built_in_python_meets_the_validator_before_it_is_stored(store: Store):
    from assessment.checklist.checklist import Checklist

    data = park().model_dump(mode="json", by_alias=True, exclude_none=True)
    duplicate_ids(data)
    checklist = Checklist.model_validate(data)  # the model alone does not see the duplicate
    with pytest.raises(StorageError, match="the checklist in the file is not valid"):
        store.create(new_assessment(checklist, "Dubbel"), "Bo")
    assert store.list() == []
