"""The catalogue of malformed checklists and the exact message each one gets.

Every file in tests/malformed/ is a small checklist with one thing wrong. Its
leading comment says what, and its `# expect:` lines (`# expect-warning:` for
a warning) are the messages `skb validate` must print for it, word for word,
with the file, the line and the path. When a message is improved, the corpus
file is updated with it: this is the catalogue a checklist author meets.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from assessment.workflow.cli import main
from assessment.checklist.validate import check_checklist, parse_checklist
from assessment.checklist.yamlio import Located, dump_yaml, load_located

CORPUS_DIR = Path(__file__).resolve().parent / "malformed"
CORPUS = sorted(CORPUS_DIR.glob("*.yaml"))
SOURCE = "tests/malformed/{}"  # as `skb validate` names the file when run from the repository root


def expected_sv(path: Path) -> list[str]:
    """The messages in Swedish (`# expect-sv:` lines), for the cases whose messages have both languages."""
    return [line.decode("utf-8").removeprefix("# expect-sv: ") for line in path.read_bytes().split(b"\n")
            if line.startswith(b"# expect-sv: ")]


def expected(path: Path) -> tuple[list[str], bool]:
    """The expected messages in order, and whether the checklist must be rejected."""
    messages: list[str] = []
    rejected = False
    for line in path.read_bytes().split(b"\n"):
        text = line.decode("utf-8", "replace")
        if text.startswith("# expect: "):
            messages.append(text.removeprefix("# expect: "))
            rejected = True
        elif text.startswith("# expect-warning: "):
            messages.append(text.removeprefix("# expect-warning: "))
    return messages, rejected


def test_the_corpus_is_a_real_catalogue():
    assert len(CORPUS) >= 30
    for path in CORPUS:
        messages, _ = expected(path)
        assert messages, f"{path.name} has no '# expect:' line"
        assert path.read_bytes().startswith(b"# "), f"{path.name} should start with a comment saying what is wrong"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_each_malformed_checklist_gets_its_exact_message(path: Path):
    messages, rejected = expected(path)
    checklist, problems = parse_checklist(path.read_bytes(), SOURCE.format(path.name))
    assert [str(p) for p in problems] == messages
    assert (checklist is None) == rejected


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_skb_validate_reports_without_a_traceback(path: Path, capsys, monkeypatch):
    messages, rejected = expected(path)
    monkeypatch.chdir(CORPUS_DIR.parent.parent)
    code = main(["validate", SOURCE.format(path.name)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == (1 if rejected else 0)
    assert err.splitlines() == messages


SWEDISH = [p for p in CORPUS if expected_sv(p)]


def test_the_messages_of_the_format_v2_have_both_languages():
    assert len(SWEDISH) >= 10


@pytest.mark.parametrize("path", SWEDISH, ids=lambda p: p.stem)
def test_skb_validate_says_it_in_swedish_too(path: Path, capsys, monkeypatch):
    messages = expected_sv(path)
    assert len(messages) == len(expected(path)[0])
    monkeypatch.chdir(CORPUS_DIR.parent.parent)
    main(["validate", "--lang", "sv", SOURCE.format(path.name)])
    _, err = capsys.readouterr()
    assert err.splitlines() == messages
    assert [ln for ln in messages if ln in expected(path)[0]] == []  # really in Swedish, not the English again


# --- no input, however broken, makes the loader raise --------------------------------

VALID = """\
schema_version: 1
id: fuzz
version: "1"
title: {sv: Prov, en: Test}
languages: [sv, en]
frameworks:
  - id: policy_area
    title: Målområden
    items: [{id: housing, title: Boende och närmiljö}]
scales:
  - id: impact
    steps: [{value: -1, label: Negativ}, {value: 1, label: Positiv}]
choice_lists:
  - id: planform
    options: [{id: detaljplan, label: Detaljplan}, {id: bygglov, label: Bygglov}]
ladders:
  - id: skr
    title: Delaktighetstrappan
    levels: [{id: information, label: Information}, {id: dialog, label: Dialog}]
groups:
  - {id: barn, label: Barn, weight: 2, worse_off: true}
  - {id: alla, label: Alla, population: true}
alternatives:
  - {id: noll, label: Nollalternativ, kind: zero}
  - {id: forslag, label: Planförslaget, kind: proposal}
sections:
  - id: plan
    title: Planen
    criteria:
      - {id: p1, text: "Vilken sorts plan?", type: single_choice, choices: planform}
      - {id: p2, text: "Hur många bostäder?", type: number, min: 0, max: 5000}
      - {id: p3, text: Delaktighet, type: ladder, ladder: skr}
  - id: boende
    title: Boende
    show_if: {equals: {question: p1, value: detaljplan}}
    criteria:
      - id: b1
        text: Hur påverkas grupperna?
        type: group_impact
        scale: impact
        dimensions: {policy_area: [housing]}
        measures: true
        show_if: {all: [{gte: {question: p2, value: 10}}, {not: {answered: p3}}]}
scoring:
  bands: [{min: -100, label: Negativ}, {min: 0, label: Positiv}]
  flags:
    - {id: f1, kind: negative_without_measure, message: Åtgärd saknas, groups: [barn]}
    - {id: f2, kind: gap_widens, message: Klyftan växer}
    - {id: f3, kind: participation_below_expected, message: För låg delaktighet}
  participation: {question: p3, default: dialog}
"""

BAD_VALUES: list[Any] = [None, "", "X Y", -1, True, [], {"x": 1}]


def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*path, i))
    return found


def _replace(data: Any, path: tuple, value: Any) -> Any:
    out = copy.deepcopy(data)
    node = out
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


_DELETE = object()


def test_the_fuzz_base_is_valid():
    checklist, problems = parse_checklist(VALID, "fuzz.yaml")
    assert checklist is not None, [str(p) for p in problems]


def test_no_mutation_of_a_valid_checklist_makes_the_loader_raise():
    located = load_located(VALID)
    data = located.data
    tried = 0
    for path in _paths(data):
        for value in [_DELETE, *BAD_VALUES]:
            # the mutated data keeps the original's line numbers: no YAML round trip needed
            mutated = Located(_replace(data, path, value), located.lines)
            checklist, problems = check_checklist(mutated, "fuzz.yaml")  # must not raise
            tried += 1
            for p in problems:
                assert p.message and p.source == "fuzz.yaml"
                assert p.line is None or 1 <= p.line <= VALID.count("\n") + 1
            if checklist is None:
                assert any(p.severity == "error" for p in problems)
    assert tried > 1000


def test_a_mutated_checklist_still_gets_a_located_message():
    text = dump_yaml(_replace(load_located(VALID).data, ("sections", 1, "criteria", 0, "scale"), "X Y"))
    checklist, problems = parse_checklist(text, "fuzz.yaml")
    assert checklist is None
    assert [str(p) for p in problems] == [
        f'fuzz.yaml:{text.splitlines().index("    scale: X Y") + 1}: section "boende" › criterion "b1": '
        '"scale" is "X Y"; an id uses only lowercase letters a-z, digits, "_" and "-", and starts with a letter '
        'or digit (for example "x_y")'
    ]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_verb_that_loads_a_malformed_checklist_words_every_problem_in_the_persons_language(lang, capsys,
                                                                                            monkeypatch, tmp_path):
    path = CORPUS_DIR / "unknown_key_condition.yaml"
    monkeypatch.chdir(CORPUS_DIR.parent.parent)
    monkeypatch.setenv("SKB_LANG", lang)
    code = main(["new", SOURCE.format(path.name), "--title", "Łódź torg", "-o", str(tmp_path / "ny.yaml")])
    _, err = capsys.readouterr()
    head = {"sv": "checklistan är inte giltig:", "en": "the checklist is not valid:"}[lang]
    assert code == 1 and not (tmp_path / "ny.yaml").exists()
    assert err.splitlines() == [f"skb new: {SOURCE.format(path.name)}: {head}",
                                *(expected_sv(path) if lang == "sv" else expected(path)[0])]
