"""The one catalogue (assessment/locale/<lang>/LC_MESSAGES/skb.po) is whole, and it is the only place SKB's
own Swedish lives.

- Both languages hold the same ids, every text is translated, no entry is fuzzy, and both sides of an id
  carry the same `{fields}` (a plural's singular may leave out `{n}`: "1 grupp till").
- Every id the code names literally is in the catalogue.
- The files are in the layout `python -m assessment.catalogue format` writes (sorted by id), so that two
  branches' new texts merge as two blocks.
- No Swedish string sits in the code outside the catalogue: a string literal (docstrings and comments
  aside) with å, ä or ö, or with a common Swedish word, fails the suite, unless its file is named below
  with the reason it may.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from assessment import catalogue
from assessment.catalogue import LANGUAGES, messages, plural, text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([ROOT / "streamlit_app.py"] + [p for pkg in ("assessment", "reports", "ui") for p in (ROOT / pkg).rglob("*.py")])

SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(?:och|inte|eller|finns|ingen|inga|inget|kunde|ska|skall|har|som|med|utan|efter|sidan|"
    r"checklista|checklistan|checklistor|fråga|frågan|frågor|grupp|grupper|svar|svaret|titel|kommun|utkast|"
    r"granskning|sammanfattning|alternativet|nej|ja|avsnitt|underlag|ej|saknas|ange|kvar)\b",
    re.IGNORECASE)

# Files whose Swedish string literals are not SKB's words to a person, each with the reason.
NOT_WORDS: dict[str, str] = {
    "reports/toolkit/markup.py": "language data, not words to a person: the short words a shortened text may not "
                                 "end on, in both languages",
    "assessment/checklist/yes_no.py": "language data, not words to a person: the words for yes and no an author "
                                      "may write, recognised in a checklist, never shown",
    "assessment/checklist/schema.py": "documentation for checklist authors, not words to a person using SKB: the "
                                      "JSON Schema's hover help in the author's editor, in English like the "
                                      "format's keys and docs/checklist-format.md; its few Swedish words are the "
                                      "domain's terms given beside the English (åtgärder, målområden)",
    **{f"assessment/store/migrations/versions/{p.name}": "a released migration never changes: its texts are the "
       "ones the databases it made already hold" for p in (ROOT / "assessment/store/migrations/versions").glob("0*.py")},
}

# Files still to be moved into the catalogue (this list only shrinks; empty when the move is done).
PENDING: set[str] = {
}


def _fields(template: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(template) if name is not None}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def swedish_literals(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, text) of every string literal in `source` that reads as Swedish, docstrings aside."""
    tree = ast.parse(source, filename)
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and SWEDISH.search(node.value)]


def test_both_languages_hold_the_same_ids():
    (sv_texts, sv_plurals), (en_texts, en_plurals) = messages("sv"), messages("en")
    assert sorted(set(sv_texts) ^ set(en_texts)) == []
    assert sorted(set(sv_plurals) ^ set(en_plurals)) == []
    assert not set(sv_texts) & set(sv_plurals), "an id is both a text and a plural"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_text_is_translated_and_formats(lang):
    texts, plurals = messages(lang)
    for key, value in texts.items():
        assert value.strip(), f"{lang}: {key} is empty"
        _fields(value)  # a stray brace raises here
    for key, forms in plurals.items():
        assert len(forms) == 2 and all(f.strip() for f in forms), f"{lang}: {key} lacks a plural form"


def test_both_languages_fill_the_same_fields():
    (sv_texts, sv_plurals), (en_texts, en_plurals) = messages("sv"), messages("en")
    for key in sv_texts:
        assert _fields(sv_texts[key]) == _fields(en_texts[key]), key
    for key in sv_plurals:
        sv_all = set().union(*map(_fields, sv_plurals[key]))
        en_all = set().union(*map(_fields, en_plurals[key]))
        assert sv_all == en_all, key
        for forms in (sv_plurals[key], en_plurals[key]):
            assert "n" in _fields(forms[1]), f"{key}: the plural form must say how many"
            assert _fields(forms[0]) - {"n"} == _fields(forms[1]) - {"n"}, key


def test_no_entry_is_fuzzy_and_the_files_are_tidy():
    for lang in LANGUAGES:
        raw = catalogue.po_path(lang).read_text(encoding="utf-8")
        assert "#, fuzzy" not in raw.split("\n\n", 1)[1], f"{lang}: a fuzzy entry is not a translation"
        assert catalogue.po_path(lang).read_bytes() == catalogue.formatted(lang), (
            f"{lang}: run `python -m assessment.catalogue format`")


def test_every_id_the_code_names_is_in_the_catalogue():
    missing = sorted(f"{file}:{line}: {key}" for key, file, line in catalogue.used_ids(ROOT) if not catalogue.has(key))
    assert missing == []


def test_plural_forms_follow_the_number(tmp_path, monkeypatch):
    for lang, one, many in (("sv", "1 grupp till", "{n} grupper till"), ("en", "1 more group", "{n} more groups")):
        path = tmp_path / lang / "LC_MESSAGES" / "skb.po"
        path.parent.mkdir(parents=True)
        path.write_text(f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
                        f'"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "t.more"\nmsgid_plural "t.more"\n'
                        f'msgstr[0] "{one}"\nmsgstr[1] "{many}"\n\nmsgid "t.hello"\nmsgstr "{lang}: {{name}}"\n',
                        encoding="utf-8")
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(catalogue, "_loaded", {})
    assert [plural("sv", "t.more", n) for n in (0, 1, 2, 21)] == ["0 grupper till", "1 grupp till", "2 grupper till",
                                                                  "21 grupper till"]
    assert plural("en", "t.more", 1) == "1 more group"
    assert text("en", "t.hello", name="Łódź") == "en: Łódź"
    assert text("xx", "t.hello", name="Şahin") == "sv: Şahin", "an unknown language reads Swedish"
    with pytest.raises(KeyError):
        text("sv", "t.nowhere")


def test_the_swedish_check_finds_swedish_and_passes_english():
    source = ('"""Modulen gör något."""\n'
              'A = "Bedömningen kunde inte sparas"\nB = f"{x} grupper till"\nC = "Save the assessment"\n'
              'D = "Titel"\nE = "status_draft"\n')
    assert sorted(line for line, _ in swedish_literals(source)) == [2, 3, 5]
    assert swedish_literals('def f():\n    """Fastställd."""\n    return "adopted"\n') == []


def test_no_swedish_outside_the_catalogue():
    found = []
    for path in SOURCES:
        name = str(path.relative_to(ROOT))
        if name in NOT_WORDS or name in PENDING:
            continue
        found += [f"{name}:{line}: {value[:60]!r}" for line, value in swedish_literals(path.read_text(encoding="utf-8"), name)]
    assert found == [], "Swedish outside the catalogue (assessment/locale/sv/LC_MESSAGES/skb.po):\n" + "\n".join(found)


def test_the_lists_of_exceptions_name_files_that_exist():
    for name in {**NOT_WORDS, **dict.fromkeys(PENDING)}:
        assert (ROOT / name).is_file(), name
