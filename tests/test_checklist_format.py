"""The checklist format as documented, as shipped and as published for editors.

- the examples in docs/checklist-format.md load without an error or a warning,
  and the complete one uses every key, answer type, condition and flag kind;
- every checklist in checklists/ validates;
- a checklist survives load -> dump -> load unchanged;
- the JSON Schema (`skb schema`) accepts real checklists and rejects an unknown key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel

from assessment.checklist.checklist import OPERATORS, AlternativeKind, AnswerType, Checklist, FlagKind
from assessment.workflow.cli import main
from assessment.checklist.schema import checklist_json_schema
from assessment.checklist.validate import parse_checklist, read_checklist_file
from assessment.checklist.yamlio import dump_yaml, load_located

ROOT = Path(__file__).resolve().parent.parent
FORMAT_DOC = ROOT / "docs" / "checklist-format.md"
SHIPPED = sorted((ROOT / "checklists").glob("*.y*ml"))


def doc_examples() -> list[str]:
    """The ```yaml blocks of the format doc that are whole checklists (not fragments)."""
    blocks = re.findall(r"```yaml\n(.*?)```", FORMAT_DOC.read_text(encoding="utf-8"), flags=re.S)
    return [b for b in blocks if re.search(r"^schema_version:", b, flags=re.M)]


def complete_example() -> str:
    return next(b for b in doc_examples() if "yaml-language-server" in b)


# every checklist we can find, named for the test ids
SOURCES: list[tuple[str, str]] = [
    *[(f"docs example {i + 1}", text) for i, text in enumerate(doc_examples())],
    ("tests/data/mini.yaml", (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")),
    *[(f"checklists/{p.name}", p.read_text(encoding="utf-8")) for p in SHIPPED],
]


def test_the_doc_has_a_minimal_and_a_complete_example():
    assert len(doc_examples()) >= 2
    assert "yaml-language-server" in complete_example()


@pytest.mark.parametrize("text", doc_examples(), ids=lambda t: t.split("\n", 1)[0][:30])
def test_doc_examples_load_without_errors_or_warnings(text: str):
    checklist, problems = parse_checklist(text, "docs/checklist-format.md")
    assert [str(p) for p in problems] == []
    assert checklist is not None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_checklist_validates(path: Path):
    checklist, problems = read_checklist_file(path)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == []
    assert checklist is not None and checklist.sections


def test_skb_validate_accepts_the_complete_example(tmp_path, capsys):
    path = tmp_path / "exempel.yaml"
    path.write_text(complete_example(), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "ok (exempel-skb 2025.1, 5 sections, 13 criteria)" in out


# --- the complete example covers the whole format ------------------------------------


def _model_keys(model: type[BaseModel], seen: set[type]) -> set[str]:
    if model in seen:
        return set()
    seen.add(model)
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        keys.add(field.alias or name)
        for sub in _models_in(field.annotation):
            keys |= _model_keys(sub, seen)
    return keys


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        found += _models_in(arg)
    if get_origin(annotation) is None and hasattr(annotation, "__value__"):
        found += _models_in(annotation.__value__)
    return found


def _keys_used(data: Any) -> set[str]:
    if isinstance(data, dict):
        keys = set(data)
        for value in data.values():
            keys |= _keys_used(value)
        return keys
    if isinstance(data, list):
        return set().union(*(_keys_used(v) for v in data)) if data else set()
    return set()


def _values_of(data: Any, key: str) -> set[Any]:
    found: set[Any] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key and isinstance(v, (str, int, float, bool)):
                found.add(v)
            found |= _values_of(v, key)
    elif isinstance(data, list):
        for v in data:
            found |= _values_of(v, key)
    return found


def test_the_complete_example_uses_every_key_of_the_format():
    data = load_located(complete_example()).data
    every_key = _model_keys(Checklist, set())
    assert {"show_if", "when", "in", "not", "steps", "threshold"} <= every_key  # the walk reaches the leaves
    # the text keys inside {sv: …, en: …} maps are language codes, not format keys
    used = _keys_used(data)
    assert sorted(every_key - used) == []


def test_the_complete_example_uses_every_answer_type_operator_and_flag_kind():
    data = load_located(complete_example()).data
    assert {t.value for t in AnswerType} <= _values_of(data, "type")
    assert {k.value for k in FlagKind} <= _values_of(data, "kind")
    assert {k.value for k in AlternativeKind} <= _values_of(data, "kind")
    assert set(OPERATORS) <= _keys_used(data)


# --- round trip ---------------------------------------------------------------------


@pytest.mark.parametrize("name,text", SOURCES, ids=[name for name, _ in SOURCES])
def test_load_dump_load_gives_the_same_checklist(name: str, text: str):
    first, problems = parse_checklist(text, name)
    assert first is not None, [str(p) for p in problems]
    written = dump_yaml(first.dump())
    second, problems = parse_checklist(written, name + " (dumped)")
    assert second is not None, [str(p) for p in problems]
    assert second == first
    assert second.content_hash() == first.content_hash()
    assert dump_yaml(second.dump()) == written


def test_the_content_hash_is_computed_once_yet_follows_a_changed_copy():
    checklist, problems = parse_checklist(SOURCES[0][1], SOURCES[0][0])
    assert checklist is not None, [str(p) for p in problems]
    first = checklist.content_hash()
    assert checklist.content_hash() == first  # the cached value, read again
    changed = checklist.model_copy(update={"title": {"sv": "Annan titel", "en": "Another title"}})
    assert changed.content_hash() != first  # a copy with other content never keeps the old hash
    assert checklist.model_copy(deep=True).content_hash() == first


def test_round_trip_keeps_swedish_and_other_scripts():
    text = """\
schema_version: 1
id: skrift
version: 1.0
title: {sv: Åtgärder för Łódź och Şahin, en: Ελλάδα}
languages: [sv, en]
sections:
  - id: s
    title: {sv: Närmiljö, en: Neighbourhood}
    criteria:
      - {id: q, text: {sv: "Vad säger de äldre i Malmö?", en: "What do older people say?"}, type: text}
"""
    checklist, problems = parse_checklist(text, "skrift.yaml")
    assert checklist is not None and problems == []
    assert checklist.version == "1.0"  # YAML read a float; a version is a label
    written = dump_yaml(checklist.dump())
    assert "Åtgärder för Łódź och Şahin" in written and "Ελλάδα" in written
    again, _ = parse_checklist(written, "skrift.yaml")
    assert again == checklist


# --- the JSON Schema for editors ---------------------------------------------------------


@pytest.fixture(scope="module")
def schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = checklist_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name,text", SOURCES, ids=[name for name, _ in SOURCES])
def test_the_schema_accepts_real_checklists(schema_validator, name: str, text: str):
    data = load_located(text).data
    assert [e.message for e in schema_validator.iter_errors(data)] == []


def test_the_schema_rejects_an_unknown_key(schema_validator):
    data = load_located(complete_example()).data
    data["titel"] = "Felstavat"
    errors = [e.message for e in schema_validator.iter_errors(data)]
    assert any("titel" in m for m in errors)


def test_the_schema_rejects_an_unknown_key_in_a_criterion(schema_validator):
    data = load_located(complete_example()).data
    data["sections"][1]["criteria"][0]["hepl"] = "Tänk på hyresrätter"
    assert not schema_validator.is_valid(data)


def test_the_schema_rejects_an_unknown_answer_type_and_a_bad_condition(schema_validator):
    data = load_located(complete_example()).data
    data["sections"][0]["criteria"][0]["type"] = "integer"
    assert not schema_validator.is_valid(data)
    data = load_located(complete_example()).data
    data["sections"][1]["show_if"] = {"equal": {"question": "kind", "value": "detaljplan"}}
    assert not schema_validator.is_valid(data)


def test_skb_schema_prints_the_schema_as_json(capsys):
    assert main(["schema"]) == 0
    out, _ = capsys.readouterr()
    printed = json.loads(out)
    assert printed == json.loads(json.dumps(checklist_json_schema()))
    assert printed["$schema"].startswith("https://json-schema.org/")
    assert printed["additionalProperties"] is False


def test_the_schema_accepts_a_version_written_as_a_number_as_the_loader_does(schema_validator):
    data = load_located(complete_example()).data
    data["version"] = 1.0
    assert schema_validator.is_valid(data)
    checklist, _ = parse_checklist(dump_yaml(data), "v.yaml")
    assert checklist is not None and checklist.version == "1.0"


def test_the_schema_gives_hover_help_for_the_keys_an_author_writes_most():
    schema = checklist_json_schema()
    criterion = schema["$defs"]["Criterion"]["properties"]
    assert "impact" in criterion["type"]["description"]
    assert schema["properties"]["version"]["description"].startswith("The version of the content")
    assert "åtgärder" in criterion["measures"]["description"]
