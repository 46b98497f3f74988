"""Moving one assessment between installations: `skb export` writes it with its
checklist snapshot, `skb import` stores it, never over an existing one, and a
hostile or broken file is refused with a clear message, storing nothing (how
quickly is measured by `make bench`, hostile-files)."""

from __future__ import annotations

import json
import re
import tracemalloc

import pytest

from assessment.workflow import cli
from assessment.errors import AssessmentFileError, DuplicateError
from assessment.answers.model import Answer, Status, dump_assessment, new_assessment
from assessment.store.storage import Store, open_store
from small_checklists import checklist_yaml, parsed, question, section, sections, three_steps

CHECKLIST = checklist_yaml("skola", ("Skolgården", "The schoolyard"), three_steps(), sections(section(
    "barn", ("Barn och unga", "Children and young people"),
    question("yta", ("Hur påverkas barnens friyta?", "How is the children's open space affected?")))))


def skola():
    return parsed(CHECKLIST, "skola.yaml")


@pytest.fixture
def assessment():
    a = new_assessment(skola(), "Skolgården i Ελλάδα-parken", municipality="Göteborg", assessors=["Ayşe Şahin"])
    a.set_answer("yta", Answer(value=-1, comment="Friytan halveras"))
    return a


def refused(store: Store, raw: bytes | str, match: str) -> None:
    with pytest.raises(AssessmentFileError, match=match):
        store.import_(raw, "upload.yaml", "Anna")
    assert store.list() == []


def test_export_then_import_into_another_database_gives_the_same_assessment(store: Store, assessment, tmp_path):
    store.create(assessment, "Anna")
    exported = store.export(assessment.id)
    assert "checklist:" in exported and "Hur påverkas barnens friyta?" in exported  # always with the snapshot
    with open_store(f"sqlite:///{tmp_path / 'other.sqlite'}") as other:
        assert other.import_(exported, "skolgarden.yaml", "Bo") == assessment.id
        loaded = other.load(assessment.id).assessment
        # Where it came from is recorded by the installation that imported it, not taken from the file.
        assert loaded.provenance is not None and loaded.provenance.source == "skolgarden.yaml"
        assert loaded.provenance.imported_by == "Bo" and loaded.provenance.adoption == "none"
        assert loaded.model_copy(update={"provenance": None}) == assessment
        assert "importerad från skolgarden.yaml" in other.history(assessment.id)[0].summary


def test_json_export_of_an_earlier_version(store: Store, assessment):
    store.create(assessment, "Anna")
    store.save_answer(assessment.id, 1, "yta", None, Answer(value=1), "Anna")
    data = json.loads(store.export(assessment.id, revision=1, fmt="json"))
    assert data["alternatives"]["proposal"]["yta"]["value"] == -1
    assert data["checklist"]["id"] == "skola"


def test_importing_an_existing_id_is_refused_unless_as_a_new_copy(store: Store, assessment):
    store.create(assessment, "Anna")
    store.save_answer(assessment.id, 1, "yta", None, Answer(value=0), "Anna")
    raw = dump_assessment(assessment)
    with pytest.raises(DuplicateError, match=r"already exists; import it as a copy \(--as-new\)"):
        store.import_(raw, "gammal.yaml", "Bo")
    assert store.load(assessment.id).assessment.answer("yta").value == 0  # not overwritten
    copy_id = store.import_(raw, "gammal.yaml", "Bo", as_new=True)
    assert copy_id != assessment.id
    assert store.load(copy_id).assessment.answer("yta").value == -1


def test_a_file_claiming_adoption_arrives_as_a_draft_with_the_claim_kept_as_provenance(store: Store, assessment):
    # Anyone can write "adopted" into a file; an adoption is made by sign-off, or verified (test_trust.py).
    assessment.metadata.status = Status.ADOPTED
    assessment.metadata.adopted_by = "Kommunfullmäktige"
    store.import_(dump_assessment(assessment), "arkiv.yaml", "Anna")
    stored = store.load(assessment.id)
    assert not stored.frozen and stored.assessment.metadata.status == Status.DRAFT
    assert stored.assessment.metadata.adopted_by is None
    p = stored.assessment.provenance
    assert (p.claimed_status, p.claimed_adopted_by, p.adoption) == (Status.ADOPTED, "Kommunfullmäktige", "unverified")
    store.save_answer(assessment.id, stored.revision, "yta", None, Answer(value=1), "Anna")  # a draft: editable


def test_a_file_without_snapshot_is_completed_from_the_installed_checklist(store: Store, assessment, tmp_path,
                                                                          monkeypatch):
    (tmp_path / "skola.yaml").write_text(CHECKLIST, encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(tmp_path))
    data = json.loads(dump_assessment(assessment, "json"))
    del data["checklist"]
    store.import_(json.dumps(data, ensure_ascii=False), "handskriven.json", "Anna")
    assert store.load(assessment.id).assessment.checklist == assessment.checklist


# --- hostile and broken files -----------------------------------------------------------


def test_an_oversized_file_is_refused(store: Store, assessment):
    raw = dump_assessment(assessment).encode() + b"# " + b"x" * (6 * 1024 * 1024) + b"\n"
    refused(store, raw, "the largest accepted is 5,242,880")


def test_deep_nesting_is_refused(store: Store):
    refused(store, "a: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 40 levels")
    refused(store, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than 40 levels")


def test_a_yaml_alias_bomb_is_refused(store: Store):
    bomb = ["format: skb-assessment", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        bomb.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    refused(store, "\n".join(bomb) + "\n", "more than 200,000 values")


def test_invalid_utf8_is_refused_with_the_line(store: Store, assessment):
    raw = dump_assessment(assessment).encode().replace("Göteborg".encode(), "G\xf6teborg".encode("latin-1"))
    refused(store, raw, r"upload.yaml:\d+: the file is not valid UTF-8 .*save it as UTF-8")


def test_wrong_types_are_refused_with_line_and_path(store: Store, assessment):
    raw = dump_assessment(assessment).replace("title: Skolgården i Ελλάδα-parken", "title: [inte, en, text]")
    refused(store, raw, r"upload.yaml:\d+: metadata › title: Input should be a valid string")
    with pytest.raises(AssessmentFileError) as in_swedish:
        store.import_(raw, "upload.yaml", "Anna")
    assert re.search(r"upload.yaml:\d+: metadata › title: måste vara en text$", in_swedish.value.message("sv"), re.M)
    # the answer's value, not the scale step of the same value in the snapshot
    raw = dump_assessment(assessment).replace("value: -1\n      comment", "value: '-1'\n      comment")
    refused(store, raw, r'answer to "yta": must be a step of the scale')
    # a step of the snapshot's scale written as a text is refused too, never read as the number
    raw = dump_assessment(assessment).replace("value: -1\n", "value: '-1'\n", 1)
    refused(store, raw, r'"value" must be a whole number \(got the text "-1"\)')
    refused(store, "- en lista\n- inte en bedömning\n", "not an SKB assessment file")
    refused(store, CHECKLIST, "not an SKB assessment file")


def test_an_unknown_checklist_is_refused(store: Store, assessment, tmp_path, monkeypatch):
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(tmp_path))  # an empty library
    data = json.loads(dump_assessment(assessment, "json"))
    del data["checklist"]
    data["checklist_ref"]["id"] = "okand"
    refused(store, json.dumps(data), 'no checklist "okand" is installed')


def test_a_checklist_that_does_not_match_its_reference_is_refused(store: Store, assessment):
    edited = dump_assessment(assessment).replace("Hur påverkas barnens friyta?", "Hur mycket friyta finns?")
    refused(store, edited, "does not match its recorded hash; the file has been edited by hand")
    other_version = dump_assessment(assessment).replace("version: '1'\n  hash", "version: '7'\n  hash")
    assert other_version != dump_assessment(assessment)
    refused(store, other_version, "checklist_ref says \"skola\" 7 but the snapshot is \"skola\" 1")


# --- the skb command line ---------------------------------------------------------------


def test_skb_import_list_and_export(database_url: str, assessment, tmp_path, capsys):
    path = tmp_path / "skolgarden.yaml"
    path.write_text(dump_assessment(assessment), encoding="utf-8")
    assert cli.main(["import", str(path), "--db", database_url, "--author", "Anna"]) == 0
    assert capsys.readouterr().out.strip() == assessment.id

    assert cli.main(["import", str(path), "--db", database_url]) == 1
    assert "--as-new" in capsys.readouterr().err
    assert cli.main(["import", str(path), "--as-new", "--db", database_url]) == 0
    copy_id = capsys.readouterr().out.strip()

    assert cli.main(["list", "--db", database_url, "--search", "ελλάδα"]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = [line for line in lines if not line.startswith(" ")]  # indented: where an import came from
    assert sorted(line.split()[0] for line in listed) == sorted([assessment.id, copy_id])
    assert all("Skolgården i Ελλάδα-parken (Göteborg)" in line for line in listed)
    assert sum("Importerad från" in line for line in lines) == 2

    out = tmp_path / "ut.json"
    assert cli.main(["export", assessment.id, "-o", str(out), "--db", database_url]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["id"] == assessment.id and data["checklist"]["id"] == "skola"


def test_skb_import_of_a_hostile_file_says_why_and_stores_nothing(database_url: str, tmp_path, capsys):
    path = tmp_path / "stor.yaml"
    with open(path, "wb") as f:
        f.write(b"format: skb-assessment\n# " + b"x" * (64 * 1024 * 1024))  # 64 MB: read only up to the limit
    tracemalloc.start()
    try:
        assert cli.main(["import", str(path), "--db", database_url]) == 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Reading the whole 64 MB would peak above it; the limit (5 MB) and opening the database stay well below.
    assert peak < 48 * 1024 * 1024, f"{peak / 1e6:.0f} MB at the peak: more than the limit was read"
    assert "den största som tas emot är" in capsys.readouterr().err  # import speaks Swedish unless asked
    assert cli.main(["import", str(path), "--db", database_url, "--lang", "en"]) == 1
    assert "the largest accepted is" in capsys.readouterr().err
    assert cli.main(["import", str(tmp_path / "finns-inte.yaml"), "--db", database_url, "--lang", "en"]) == 1
    assert "No such file" in capsys.readouterr().err
    assert cli.main(["list", "--db", database_url]) == 0
    assert capsys.readouterr().out == ""


def test_the_store_verbs_are_documented_in_the_cli():
    for verb in ("skb list", "skb export ID -o FILE", "skb import FILE"):
        assert verb in (cli.__doc__ or "")


def test_a_hand_edited_file_is_refused_in_the_persons_language(store: Store, assessment):
    data = json.loads(dump_assessment(assessment, "json"))
    data["checklist"]["title"]["sv"] = "Skolgården (ändrad för hand)"
    data["answers"] = {"yta": {"value": 1}, "lekplats": {"value": 1}}
    data["alternatives"] = {"proposal": {"yta": {"value": 5}, "gunga": {"value": 1}}, "noll": {}}
    data["measures"] = [{"id": "m1", "criterion": "lekplats", "text": "Bygg en lekplats"},
                        {"id": "m1", "alternative": "noll", "groups": ["äldre"], "text": "Bänkar vid Łódźgatan"}]
    with pytest.raises(AssessmentFileError) as refused:
        store.import_(json.dumps(data, ensure_ascii=False), "upload.json", "Anna")
    assert store.list() == []
    assert refused.value.message("sv").splitlines() == [
        "upload.json: svaren passar inte checklistan:",
        "checklistan i filen stämmer inte med sin sparade kontrollsumma; filen har redigerats för hand",
        'frågan "yta" besvaras per alternativ; lägg svaret under alternatives',
        'svar på en okänd fråga "lekplats"',
        'alternativet "proposal": svaret på "yta": 5 är inte ett steg på skalan (-1, 0, 1)',
        'alternativet "proposal": svar på en okänd fråga "gunga"',
        'okänt alternativ "noll" (alternativ: proposal)',
        'åtgärden "m1" hör till en okänd fråga "lekplats"',
        'åtgärden "m1" svarar mot en okänd grupp "äldre"',
        'åtgärden "m1" anger ett okänt alternativ "noll"',
        "två åtgärder har samma id",
    ]
    assert refused.value.message("en").splitlines() == [
        "upload.json: the answers do not fit the checklist:",
        "the checklist snapshot does not match its recorded hash; the file has been edited by hand",
        'question "yta" is answered per alternative; put it under alternatives',
        'answer to unknown question "lekplats"',
        'alternative "proposal": answer to "yta": 5 is not a step of the scale (-1, 0, 1)',
        'alternative "proposal": answer to unknown question "gunga"',
        'unknown alternative "noll" (alternatives: proposal)',
        'measure "m1" is attached to unknown question "lekplats"',
        'measure "m1" answers unknown group "äldre"',
        'measure "m1" names unknown alternative "noll"',
        "two measures share an id",
    ]
    # a file answered once where the checklist asks per alternative, and the other way round, in Swedish too
    data = json.loads(dump_assessment(assessment, "json"))
    data["answers"] = {"yta": {"value": -1}}
    del data["alternatives"]
    with pytest.raises(AssessmentFileError) as once:
        store.import_(json.dumps(data, ensure_ascii=False), "upload.json", "Anna")
    assert once.value.message("sv").splitlines()[1:] == [
        'frågan "yta" besvaras per alternativ; lägg svaret under alternatives']
