"""`skb new` and `skb score`: from a checklist to an empty assessment, and from answers to a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assessment.workflow.cli import main
from assessment.answers.model import parse_assessment
from small_checklists import FIVE_STEPS, NOLL_AND_FORSLAG, checklist_yaml

CHECKLIST = checklist_yaml("torget", ("Torget", "The square"), FIVE_STEPS, NOLL_AND_FORSLAG, """\
frameworks:
  - id: policy_area
    title: {sv: Målområden, en: Policy areas}
    items:
      - {id: housing, title: {sv: Boende och närmiljö, en: Housing and neighbourhood}}
      - {id: behaviour, title: {sv: Levnadsvanor, en: Health behaviours}}
      - {id: income, title: {sv: Inkomster och försörjningsmöjligheter, en: Income and livelihood}}
groups:
  - {id: barn, label: {sv: Barn och unga, en: Children and young people}, weight: 2, worse_off: true}
  - {id: alla, label: {sv: Hela befolkningen, en: The whole population}, population: true}
sections:
  - id: torget
    title: {sv: Torget, en: The square}
    dimensions: {policy_area: [housing]}
    criteria:
      - {id: mote, text: {sv: Mötesplatser, en: Meeting places}, type: group_impact, scale: impact}
      - {id: rorelse, text: {sv: Fysisk aktivitet, en: Physical activity}, type: impact, scale: impact,
         dimensions: {policy_area: [behaviour]}}
scoring:
  flags:
    - {id: utan_atgard, kind: negative_without_measure, message: {sv: Negativ påverkan utan åtgärd,
       en: Negative impact without a measure}}
""", version="2")

ANSWERS = {
    "alternatives": {
        "noll": {"mote": {"value": {"barn": 0, "alla": 0}}, "rorelse": {"value": 0}},
        "forslag": {"mote": {"value": {"barn": 2, "alla": 1}}, "rorelse": {"value": -1}},
    },
}


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A municipality's own checklist directory holding the `torget` checklist."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "torget.yaml").write_text(CHECKLIST, encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(lib))
    return lib


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_writes_an_empty_assessment_with_a_snapshot(tmp_path, library, capsys):
    target = tmp_path / "angen.yaml"
    code, out, err = run(capsys, "new", str(library / "torget.yaml"), "-o", str(target),
                         "--title", "Torget i Ängen", "--municipality", "Örnsköldsvik", "--plan-type", "detaljplan")
    assert (code, err) == (0, "")
    assert "torget 2" in out
    a = parse_assessment(target.read_bytes(), str(target))
    assert (a.metadata.title, a.metadata.municipality, a.metadata.plan_type) == ("Torget i Ängen", "Örnsköldsvik",
                                                                                  "detaljplan")
    assert a.checklist.id == "torget" and a.answers == {} and a.alternatives == {}


def test_new_by_checklist_id_and_as_json(tmp_path, library, capsys):
    target = tmp_path / "angen.json"
    code, _, err = run(capsys, "new", "torget", "-o", str(target), "--title", "Şahin's square, Ελλάδα")
    assert (code, err) == (0, "")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["metadata"]["title"] == "Şahin's square, Ελλάδα" and data["checklist_ref"]["id"] == "torget"


def test_new_does_not_overwrite_and_names_unknown_checklists(tmp_path, library, capsys):
    target = tmp_path / "a.yaml"
    target.write_text("keep", encoding="utf-8")
    code, _, err = run(capsys, "new", "torget", "-o", str(target), "--title", "x")
    assert code == 1 and "already exists" in err and target.read_text(encoding="utf-8") == "keep"
    code, _, err = run(capsys, "new", "finns-inte", "-o", str(tmp_path / "b.yaml"), "--title", "x")
    assert code == 1 and '"finns-inte" is neither a checklist file nor an installed checklist' in err
    assert "torget" in err


def filled(tmp_path: Path, library: Path, capsys, snapshot: bool) -> Path:
    target = tmp_path / "angen.yaml"
    assert run(capsys, "new", "torget", "-o", str(target), "--title", "Torget i Ängen")[0] == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data.update(ANSWERS)
    if not snapshot:  # as hand-written examples are: the checklist is found in the library
        del data["checklist"]
        del data["checklist_ref"]["hash"]
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


@pytest.mark.parametrize("snapshot", [True, False])
def test_score_prints_a_swedish_table(tmp_path, library, capsys, snapshot):
    code, out, err = run(capsys, "score", str(filled(tmp_path, library, capsys, snapshot)))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Torget i Ängen"
    header = next(line for line in lines if "Planförslaget" in line and "Nollalternativ" in line)
    assert header.split() == ["Nollalternativ", "Planförslaget", "Skillnad", "(−200…+200)"]
    # forslag: mote (2*100 + 50) / 3 = 83.3, rorelse -50 -> overall 16.7; noll 0
    # the figures the report and the results page show: whole numbers, a real minus sign
    assert next(line for line in lines if line.startswith("Samlad poäng")).split() == ["Samlad", "poäng", "0", "+17", "+17"]
    assert any(line.split() == ["Levnadsvanor", "0", "−50", "−50"] for line in lines)
    assert "Klyftan ökar" not in out and "klyftan ökar" not in out
    assert "  Klyftan minskar: grupper med sämre förutsättningar" in out  # the verdict's equity sentence
    assert "[varning] Negativ påverkan utan åtgärd – Fysisk aktivitet, Planförslaget" in out


def test_score_in_english(tmp_path, library, capsys):
    code, out, _ = run(capsys, "score", str(filled(tmp_path, library, capsys, False)), "--lang", "en")
    assert code == 0
    assert next(line for line in out.splitlines() if line.startswith("Overall score")).split()[-1] == "+17"
    assert "  The gap narrows: groups with worse starting conditions" in out
    assert "[warning] Negative impact without a measure – Physical activity, The proposal" in out
    assert "Knowledge gaps (0):" in out


def test_score_json_is_the_full_result(tmp_path, library, capsys):
    code, out, _ = run(capsys, "score", str(filled(tmp_path, library, capsys, False)), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["primary"] == "forslag"
    assert data["alternatives"]["forslag"]["overall"]["value"] == pytest.approx(50 / 3)
    assert data["alternatives"]["forslag"]["equity"]["verdict"] == "narrows"
    assert [f["rule"] for f in data["flags"]] == ["utan_atgard"]
    assert data["differences"][0]["base"] == "noll"


def test_items_without_a_score_are_counted_not_listed_and_kept_in_json(tmp_path, library, capsys):
    path = filled(tmp_path, library, capsys, False)
    code, out, _ = run(capsys, "score", str(path))
    assert code == 0
    # no question concerns income: a row of dashes says nothing, so the table counts it instead
    assert "Inkomster" not in out
    assert "  (1 till utan poäng visas inte)" in out.splitlines()
    assert any(line.split() == ["Levnadsvanor", "0", "−50", "−50"] for line in out.splitlines())
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert json.loads(out)["alternatives"]["forslag"]["dimensions"]["policy_area"]["income"]["value"] is None
    code, out, _ = run(capsys, "score", str(path), "--lang", "en")
    assert "  (1 more without a score, not shown)" in out.splitlines()


def test_groups_rated_unknown_are_shown_under_the_coverage(tmp_path, library, capsys):
    path = filled(tmp_path, library, capsys, False)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["alternatives"]["forslag"]["mote"] = {"value": {"barn": "unknown", "alla": 1}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(capsys, "score", str(path))
    lines = out.splitlines()
    assert next(line for line in lines if "besvarat" in line).split() == ["besvarat", "2/2", "2/2"]
    assert next(line for line in lines if "okända gruppbedömningar" in line).split()[-2:] == ["0", "1"]
    assert "Kunskapsluckor (1):" in out


def test_score_reports_a_bad_file_without_a_traceback(tmp_path, library, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: skb-assessment\nschema_version: 1\nmetadata: {title: x}\n"
                   "checklist_ref: {id: torget, version: '1'}\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(bad))
    assert code == 1 and out == ""
    assert err.startswith("skb score: ") and "version 1" in err and "version 2 is installed" in err
    code, _, err = run(capsys, "score", str(tmp_path / "missing.yaml"))
    assert code == 1 and "missing.yaml" in err


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_example_scores_in_both_languages(capsys, lang):
    assert EXAMPLES, "the examples/ directory has no assessment examples"
    for example in EXAMPLES:
        code, out, err = run(capsys, "score", str(example), "--lang", lang)
        assert (code, err) == (0, ""), example.name
        assert ("Samlad poäng" if lang == "sv" else "Overall score") in out
        code, out, err = run(capsys, "score", str(example), "--json")
        assert code == 0 and json.loads(out)["checklist_id"], example.name
