"""Fault test: a hostile file is refused at every door, in little memory, storing nothing.

A file reaches SKB through several doors: the core parser, the store's import,
`skb import`, `skb score`, `skb report`, and (for checklists) `skb validate`.
Each hostile case (oversized, nested thousands deep, a YAML alias bomb,
invalid UTF-8, values of the wrong type, an unknown checklist, a Python tag) is
pushed through every door. Each must be refused with the planner-readable
message for that case, never a traceback, with Python's allocations during
the attempt (tracemalloc's peak) under MEMORY_BOUND: the bomb expands to
billions of values if anyone ever builds it. How quickly each is refused is
measured by `make bench` (hostile-files), not asserted here. The storage tests
check the messages of the store's import; this test checks the bounds, and
that no door is left open.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from assessment.workflow import cli
from assessment.errors import SkbError
from assessment.checklist.library import resolve_checklist
from assessment.answers.model import Answer, dump_assessment, new_assessment, parse_assessment
from assessment.store.storage import open_store
from assessment.checklist.validate import parse_checklist
from small_checklists import checklist_yaml, three_steps

MEMORY_BOUND = 48 * 1024 * 1024  # bytes allocated at the peak, beyond the file itself

CHECKLIST = checklist_yaml("gardsmiljo", ("Gårdsmiljö", "Courtyards"), three_steps(), """\
sections:
  - id: gard
    title: {sv: Gården, en: The courtyard}
    criteria:
      - id: lek
        text: {sv: "Får barnen plats att leka på gården?", en: "Do children get room to play in the courtyard?"}
        type: impact
        scale: impact
""", version="2")


def valid_file() -> str:
    checklist, problems = parse_checklist(CHECKLIST, "gardsmiljo.yaml")
    assert checklist is not None, problems
    a = new_assessment(checklist, "Kvarteret Åkern, gård 3", municipality="Łódź-Şahins kommun")
    a.set_answer("lek", Answer(value=1, comment="Gården öppnas mot parken."))
    return dump_assessment(a)


def alias_bomb() -> str:
    lines = ["format: skb-assessment", "schema_version: 1", 'a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for n in range(1, 12):  # 9^12 values if expanded
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def unknown_checklist() -> str:
    data = yaml.safe_load(valid_file())
    del data["checklist"]
    data["checklist_ref"] = {"id": "finns-inte", "version": "1", "hash": ""}
    return json.dumps(data, ensure_ascii=False)


# case -> (the file's bytes, the message it must get); built lazily so collection stays cheap
CASES: dict[str, Callable[[], tuple[bytes, str]]] = {
    "oversized": lambda: (valid_file().encode() + b"# " + b"x" * (6 * 1024 * 1024) + b"\n",
                          "the largest accepted is"),
    "deep YAML nesting": lambda: (("format: skb-assessment\nx: " + "[" * 20_000 + "]" * 20_000 + "\n").encode(),
                                  "nested more than"),
    "deep JSON nesting": lambda: (('{"format": "skb-assessment", "x": ' + "[" * 200_000 + "]" * 200_000 + "}").encode(),
                                  "nested more than"),
    "alias bomb": lambda: (alias_bomb().encode(), "values"),
    "invalid UTF-8": lambda: (valid_file().encode().replace("Åkern".encode(), "Åkern".encode("latin-1")),
                              "not valid UTF-8"),
    "wrong types": lambda: (valid_file().replace("title: Kvarteret Åkern, gård 3", "title: [inte, en, text]").encode(),
                            "title"),
    "rating of the wrong type": lambda: (valid_file().replace("value: 1\n      comment: Gården",
                                                              "value: mycket bra\n      comment: Gården").encode(),
                                         "must be a step of the scale"),
    "unknown checklist": lambda: (unknown_checklist().encode(), 'no checklist "finns-inte"'),
    "python tag": lambda: ((valid_file() + "x: !!python/object/apply:os.system ['echo pwned']\n").encode(),
                           "not allowed"),
}

CHECKLIST_CASES = ("oversized", "deep YAML nesting", "alias bomb", "invalid UTF-8", "python tag")


def bounded(attempt: Callable[[], object]) -> tuple[object, int]:
    """Run `attempt` under tracemalloc. Returns (outcome, peak bytes)."""
    tracemalloc.start()
    try:
        try:
            outcome: object = attempt()
        except SkbError as exc:
            outcome = exc
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return outcome, peak


def within_bounds(case: str, peak: int) -> None:
    assert peak < MEMORY_BOUND, f"{case}: allocated {peak / 1e6:.0f} MB at the peak"


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checklist library holding only the courtyard checklist (and the shipped ones)."""
    directory = tmp_path / "checklists"
    directory.mkdir()
    (directory / "gardsmiljo.yaml").write_text(CHECKLIST, encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(directory))
    return directory


def test_the_valid_file_goes_through_every_door(library: Path, tmp_path: Path) -> None:
    """The cases are hostile variants of a file that is itself accepted."""
    raw = valid_file()
    assert parse_assessment(raw, "upload.yaml", resolve=resolve_checklist).metadata.title == "Kvarteret Åkern, gård 3"
    path = tmp_path / "upload.yaml"
    path.write_text(raw, encoding="utf-8")
    assert cli.main(["score", str(path)]) == 0
    assert cli.main(["import", str(path), "--db", f"sqlite:///{tmp_path / 'skb.sqlite'}", "--author", "Test"]) == 0


@pytest.mark.parametrize("case", list(CASES))
def test_the_parser_refuses_within_bounds(case: str, library: Path) -> None:
    raw, message = CASES[case]()
    outcome, peak = bounded(lambda: parse_assessment(raw, "upload.yaml", resolve=resolve_checklist))
    assert isinstance(outcome, SkbError) and message in str(outcome), (case, outcome)
    within_bounds(case, peak)


@pytest.mark.parametrize("case", list(CASES))
def test_the_store_refuses_within_bounds_and_stores_nothing(case: str, library: Path, tmp_path: Path) -> None:
    raw, message = CASES[case]()
    with open_store(f"sqlite:///{tmp_path / 'skb.sqlite'}") as store:
        outcome, peak = bounded(lambda: store.import_(raw, "upload.yaml", "Ayşe Şahin"))
        assert isinstance(outcome, SkbError) and message in str(outcome), (case, outcome)
        assert store.list() == []
    within_bounds(case, peak)


@pytest.mark.parametrize("verb", ["import", "score", "report"])
@pytest.mark.parametrize("case", list(CASES))
def test_every_command_refuses_with_a_message_not_a_traceback(case: str, verb: str, library: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    raw, message = CASES[case]()
    monkeypatch.setenv("SKB_LANG", "en")  # the messages above are the English ones; the CLI speaks SKB_LANG
    path = tmp_path / "upload.yaml"
    path.write_bytes(raw)
    argv = {"import": ["import", str(path), "--db", f"sqlite:///{tmp_path / 'skb.sqlite'}", "--author", "Test"],
            "score": ["score", str(path)],
            "report": ["report", str(path), "-o", str(tmp_path / "out.pdf")]}[verb]
    outcome, peak = bounded(lambda: cli.main(argv))
    out, err = capsys.readouterr()
    assert outcome == 1, (case, verb, outcome)
    assert message in err and "Traceback" not in err + out, (case, verb, err)
    assert not (tmp_path / "out.pdf").exists()
    within_bounds(f"skb {verb}: {case}", peak)


@pytest.mark.parametrize("case", CHECKLIST_CASES)
def test_a_hostile_checklist_is_refused_within_bounds(case: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    raw, message = CASES[case]()
    outcome, peak = bounded(lambda: parse_checklist(raw, "upload.yaml"))
    checklist, problems = outcome  # type: ignore[misc]
    assert checklist is None and any(message in str(p) for p in problems), (case, problems)
    within_bounds(f"checklist: {case}", peak)
    path = tmp_path / "upload.yaml"
    path.write_bytes(raw)
    assert cli.main(["validate", str(path)]) == 1
    _, err = capsys.readouterr()
    assert "Traceback" not in err
