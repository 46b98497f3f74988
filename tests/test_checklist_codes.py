"""Every problem the checklist reader can report is a code with fields, and the catalogue words each one.

The validator (`assessment/checklist/validate.py`), the safe reader (`yamlio.py`) and the library say what is
wrong as `Said("code", field=…)` or `UnsafeInput("code", line, field=…)`; the words are the catalogue's
`checklist.<code>` in Swedish and English. This test reads those calls from the sources, so a new message
cannot be added without its words in both languages, with exactly the fields it passes; and it runs every
case of tests/malformed/ to see that each code is met by at least one malformed checklist.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment.catalogue import LANGUAGES, messages
from assessment.errors import AssessmentFileError
from assessment.checklist.library import load_library, origin_note, resolve_checklist
from assessment.checklist.said import NAMESPACE, Said
from assessment.checklist.validate import Problem, _shape_message, parse_checklist, read_checklist_file
from assessment.checklist.yamlio import Limits, UnsafeInput, _syntax_error, load_located

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "assessment" / "checklist").glob("*.py"))
CORPUS = sorted((ROOT / "tests" / "malformed").glob("*.yaml"))
SAYERS = {"Said": 0, "UnsafeInput": 1}  # the call, and how many positional arguments follow the code (a line)


def _calls() -> Iterator[tuple[str, str, int, ast.Call]]:
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SAYERS:
                yield node.func.id, path.name, node.lineno, node


def _forwards(call: ast.Call) -> bool:
    """`Said(code, **params)`: UnsafeInput handing its own code and fields on (its callers are checked)."""
    return (len(call.args) == 1 and isinstance(call.args[0], ast.Name) and call.args[0].id == "code"
            and len(call.keywords) == 1 and call.keywords[0].arg is None)


def said_codes() -> dict[str, set[frozenset[str]]]:
    """Every code the checklist package says, with the set of fields of each call that says it."""
    found: dict[str, set[frozenset[str]]] = {}
    for name, file, line, call in _calls():
        where = f"{file}:{line}"
        if _forwards(call):
            continue
        assert call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str), (
            f"{where}: {name}'s code must be a literal, so that this test can find it")
        assert len(call.args) <= 1 + SAYERS[name], f"{where}: fields are named (field=value)"
        assert all(k.arg is not None for k in call.keywords), f"{where}: fields are named one by one, not **spread"
        found.setdefault(call.args[0].value, set()).add(
            frozenset(k.arg for k in call.keywords if not (name == "UnsafeInput" and k.arg == "line")))
    return found


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_package_says_many_codes_and_no_sentence():
    codes = said_codes()
    assert len(codes) >= 150
    assert "unknown_reference" in codes and "yaml_tab" in codes


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_code_is_worded_in_both_languages_with_the_fields_it_passes(lang):
    texts, plurals = messages(lang)
    wrong = []
    for code, calls in sorted(said_codes().items()):
        key = f"{NAMESPACE}.{code}"
        if key in plurals:
            forms = plurals[key]
            for fields in calls:
                assert "n" in fields, f"{key} counts: its calls pass n"
                if _fields(forms[1]) != fields or not _fields(forms[0]) <= fields:
                    wrong.append(f"{key}: {sorted(fields)} passed, {sorted(_fields(forms[1]))} worded")
        elif key not in texts:
            wrong.append(f"{key}: not in the {lang} catalogue")
        else:
            wrong += [f"{key}: {sorted(fields)} passed, {sorted(_fields(texts[key]))} worded" for fields in calls
                      if _fields(texts[key]) != fields]
    assert wrong == []


def test_every_checklist_id_in_the_catalogue_is_said_somewhere():
    """No dead words: an id of the namespace that no code says is a message that was removed from the code."""
    texts, plurals = messages("sv")
    # ChecklistError's headline (assessment/errors.py), and the library's refusals, raised as errors with their
    # checklist.* id (assessment/checklist/library.py; tests/test_error_codes.py checks their fields)
    said = set(said_codes()) | {"invalid", "not_installed", "other_version_installed"}
    unused = sorted(k for k in [*texts, *plurals] if k.startswith(f"{NAMESPACE}.") and k[len(NAMESPACE) + 1:] not in said)
    assert unused == []


def _met(problems: list[Problem]) -> set[str]:
    return {code for p in problems for code in p.said.codes()}




def _refused(raw: bytes | str, limits: Limits = Limits()) -> list[Said]:
    try:
        load_located(raw, limits)
    except UnsafeInput as exc:
        return [exc.said]
    raise AssertionError(f"{raw[:40]!r} was read")


def _unreadable(tmp: Path, make: Callable[[Path], Path]) -> list[Said]:
    checklist, problems = read_checklist_file(make(tmp))
    assert checklist is None
    return [p.said for p in problems]


def _refuse_to_read(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp / "locked.yaml"
    path.write_text("schema_version: 1\n", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)  # a test run as root reads any file, so refuse it here
    return path


def _shape(err: dict[str, Any]) -> list[Said]:
    return [_shape_message(err, {})[1]]


def _library_refuses(checklist_id: str, version: str, said: Said) -> list[Said]:
    with pytest.raises(AssessmentFileError) as refused:
        resolve_checklist(checklist_id, version)
    assert [refused.value.message(lang) for lang in LANGUAGES] == [said.text(lang) for lang in LANGUAGES]
    return [said]


def _modified_copy() -> list[Said]:
    installed = load_library()[0]
    original = next(iter(installed.values()))
    copy = original.model_copy(update={"title": {"sv": "Egen kopia", "en": "Own copy"}})
    said = Said("modified_copy", id=copy.id, version=copy.version, installed=original.version)
    assert [origin_note(copy, lang, installed) for lang in LANGUAGES] == [said.text(lang) for lang in LANGUAGES]
    return [said]


# What no file in tests/malformed/ can show, each shown here instead: a text given as a string (an upload) or
# a bound set small, so that the case stays small; a file that cannot be read; JSON, which a checklist is never
# read as but an assessment file is (the same reader); and the fallbacks for what pydantic or PyYAML may report
# that the validator has no words of its own for (then their words are shown, located, after SKB's); and the
# library's words about installed checklists.
NOT_A_CHECKLIST_FILE: dict[str, Callable[[Path, pytest.MonkeyPatch], list[Said]]] = {
    "text_too_large": lambda tmp, mp: [p.said for p in parse_checklist("x" * 200, "upload.yaml",
                                                                      Limits(max_bytes=100))[1]],
    "file_too_large": lambda tmp, mp: [p.said for p in parse_checklist(b"x" * 200, "upload.yaml",
                                                                      Limits(max_bytes=100))[1]],
    "values_too_many": lambda tmp, mp: _refused("a: [1, 2, 3, 4, 5]", Limits(max_values=3)),
    "no_such_file": lambda tmp, mp: _unreadable(tmp, lambda d: d / "missing.yaml"),
    "is_a_directory": lambda tmp, mp: _unreadable(tmp, lambda d: d),
    "permission_denied": lambda tmp, mp: _unreadable(tmp, lambda d: _refuse_to_read(d, mp)),
    "not_installed": lambda tmp, mp: _library_refuses("okand", "1", Said("not_installed", id="okand", installed=", ".join(
        sorted(load_library()[0])))),
    "other_version_installed": lambda tmp, mp: _library_refuses(
        next(iter(load_library()[0])), "0.0-none", Said("other_version_installed", id=next(iter(load_library()[0])),
                                                        version="0.0-none",
                                                        installed=next(iter(load_library()[0].values())).version)),
    "modified_copy": lambda tmp, mp: _modified_copy(),
    "json_constant": lambda tmp, mp: _refused('{"a": NaN}'),
    "json_not_finite": lambda tmp, mp: _refused('{"a": 1e999}'),
    "json_duplicate_key": lambda tmp, mp: _refused('{"a": 1, "a": 2}'),
    "json_syntax": lambda tmp, mp: _refused('{"a": }'),
    "yaml_unreadable": lambda tmp, mp: [_syntax_error(yaml.MarkedYAMLError(problem=None)).said],
    "value_error": lambda tmp, mp: _shape({"loc": ("title",), "type": "value_error", "msg": "Value error, odd",
                                           "ctx": {"error": ValueError("is odd")}, "input": "x"}),
    "shape_other": lambda tmp, mp: _shape({"loc": ("title",), "type": "uuid_parsing", "msg": "Input should be a UUID",
                                           "input": "x"}),
    "entry_other": lambda tmp, mp: _shape({"loc": ("languages", 0), "type": "uuid_parsing",
                                           "msg": "Input should be a UUID", "input": "x"}),
}


def test_every_code_is_met_by_a_malformed_checklist(tmp_path, monkeypatch):
    met: set[str] = {"invalid"}  # ChecklistError's headline: tests/test_loader_basics.py raises it
    for path in CORPUS:
        problems = parse_checklist(path.read_bytes(), path.name)[1]
        met |= _met(problems)
        if any(p.severity == "warning" for p in problems):
            met.add("warning")  # the word before a warning (Problem.text)
    for code, make in NOT_A_CHECKLIST_FILE.items():
        with monkeypatch.context() as mp:
            said = make(tmp_path, mp)
        codes = {c for s in said for c in s.codes()}
        assert code in codes, (code, [s.text("en") for s in said])
        assert all(s.text("sv") != s.text("en") for s in said), code
        met |= codes
    never = sorted(set(said_codes()) - met)
    assert never == [], "codes no case of tests/malformed/ meets: add a case for each"


def test_a_message_is_worded_whole_in_the_readers_language():
    said = Said("unknown_key", key="titel", guess=Said("did_you_mean", guess="title"), allowed="")
    assert said.text("en") == 'unknown key "titel"; did you mean "title"?'
    assert said.text("sv") == 'okänd nyckel "titel"; menade du "title"?'
    assert Said("needs_entries", n=1, field="steps", got=0).text("en") == '"steps" needs at least 1 entry (got 0)'
    assert Said("needs_entries", n=2, field="steps", got=1).text("sv") == '"steps" behöver minst 2 poster (fick 1)'
    assert said == Said("unknown_key", key="titel", guess=Said("did_you_mean", guess="title"), allowed="")
    assert list(said.codes()) == ["unknown_key", "did_you_mean"]
