"""The checklist author's guide (docs/checklist-authoring.md) is true: its worked example, copied from a
reference checklist and changed as the guide says, validates with the output the guide shows, gets the
message the guide shows for the mistake it describes, scores with its own weights compared with the
reference, and runs in the wizard from the start page to the results."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment.workflow.cli import main
from assessment.checklist.library import load_library
from assessment.answers.model import Answer, new_assessment
from assessment.scoring.scoring import score, weight_differences
from assessment.checklist.validate import load_checklist, parse_checklist

try:
    from test_wizard_apptest import complete_and_check, data_dir  # noqa: F401  (the fixture, shared)
except ImportError:  # tests/ made a package
    from tests.test_wizard_apptest import complete_and_check, data_dir  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "checklist-authoring.md").read_text(encoding="utf-8")


def _block(marker: str) -> tuple[str, str]:
    """The first fenced yaml block that starts with `# <marker>`: (the rest of its first line, its body)."""
    found = re.search(rf"```yaml\n# {re.escape(marker)}:?\s*(\S*)\n(.*?)```", GUIDE, re.S)
    assert found, f"no yaml block '# {marker}' in the guide"
    return found.group(1), found.group(2)


def _text_blocks() -> list[str]:
    return re.findall(r"```text\n(.*?)```", GUIDE, re.S)


@pytest.fixture
def worked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The worked example written where the guide puts it, in the directory the guide names."""
    name, body = _block("worked example")
    path = tmp_path / name
    path.parent.mkdir(parents=True)
    path.write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return path


def test_the_worked_example_validates_as_the_guide_shows(worked: Path, capsys):
    name = str(worked.relative_to(worked.parent.parent))
    assert f"skb validate {name}" in GUIDE
    assert main(["validate", name]) == 0
    out, err = capsys.readouterr()
    assert err == ""  # not even a warning
    assert out.strip() == _text_blocks()[0].strip()


def test_the_mistake_the_guide_describes_gets_the_message_it_shows(worked: Path, capsys):
    _, mistake = _block("the mistake")
    body = worked.read_text(encoding="utf-8")
    start = body.index(mistake.splitlines()[0] + "\n")
    end = body.index("\n", body.index("      message:", start)) + 1
    worked.write_text(body[:start] + mistake + body[end:], encoding="utf-8")
    name = str(worked.relative_to(worked.parent.parent))
    assert main(["validate", name]) == 1
    _, err = capsys.readouterr()
    assert err.strip() == _text_blocks()[1].strip()


def test_the_worked_example_keeps_its_reference_and_shows_its_own_weights(worked: Path):
    checklist = load_checklist(worked)
    library, broken = load_library()
    assert not broken
    reference = library[checklist.scoring.reference or ""]  # the reference the guide says it was copied from
    assert f"cp checklists/{reference.id}.yaml" in GUIDE
    differences = {(d.kind, d.id) for d in weight_differences(checklist, reference)}
    assert ("group", "rural") in differences  # a group of its own, compared with the reference
    a = new_assessment(checklist, "Fritidsgården stänger")
    a.set_answer("meeting_places", Answer(value={"children_young": -2, "low_income": -1, "rural": -1,
                                                 "population": 0}, certainty="low"), "proposal")
    a.set_answer("influence", Answer(value=-1, certainty="high"), "proposal")
    result = score(a, reference)
    assert {"young_lose", "without_measure", "low_certainty"} <= {f.rule for f in result.flags}
    assert "associations" not in result.alternatives["proposal"].groups
    assert result.weight_differences


def test_the_worked_example_runs_in_the_wizard(worked: Path, data_dir: Path,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(worked.parent))
    assert "SKB_CHECKLIST_DIR=egna-checklistor" in GUIDE
    complete_and_check(data_dir, load_checklist(worked).id)


def test_the_worked_example_parses_without_the_guide_around_it():
    _, body = _block("worked example")
    checklist, problems = parse_checklist(body, "kungsbacka-verksamhet.yaml")
    assert checklist is not None and problems == []
    assert checklist.certainty is not None and checklist.measures is True
