"""Every error the code raises is worded by the catalogue, in both languages, with the fields its raise sites pass.

The core raises `StorageError("delete_not_draft", id=assessment_id)`: a code and parameters, no words
(assessment/errors.py). This test reads every source file with `ast` and finds each place that builds an
error of SKB's own (`SkbError` and every class below it, the subclasses defined outside errors.py included,
through their `super().__init__`), and each `Term("<id>", ...)`, the parameter that is itself words. For
each it checks that the catalogue has the id in Swedish and English and that the text's `{fields}` are
exactly the parameters passed there, so a typo in a code or a field fails here, never on a page.

A code that is not a code (a whole sentence) is a text as written, the same in both languages: only the
files named in `AS_WRITTEN` may still raise those, each with its reason.
"""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from assessment.answers.model import _COUNTED, Status
from assessment.catalogue import LANGUAGES, messages
from assessment.errors import _CODE, SkbError, Term
from assessment.store.auth import Action, Role
from assessment.store.outage import Kind, Outage
from assessment.store.storage import OWN_SUMMARIES

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([ROOT / "streamlit_app.py"] + [p for pkg in ("assessment", "reports", "ui")
                                               for p in (ROOT / pkg).rglob("*.py")])

# Files that may still raise an error with a text as written (no code), and why.
AS_WRITTEN: dict[str, str] = {
    "reports/compare.py": "a layout failure of the comparison PDF: reportlab's own English words",
    "reports/participants.py": "a layout failure of the participant letter: reportlab's own English words",
    "reports/toolkit/pdf.py": "a layout failure of the report: reportlab's own English words",
    "reports/toolkit/fonts.py": "an installation fault (matplotlib's fonts missing), for the operator's log",
}

# Helpers that build a Term from a literal argument: (function, argument place from 0, the id's prefix).
TERM_HELPERS = (("_not_a_backup", 1, "store.backup_"),)


@dataclass(frozen=True)
class Site:
    file: str
    line: int
    key: str | None  # the catalogue id; None: a text as written
    fields: frozenset[str] | None  # None: passed with ** (not known here)


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _fields(call: ast.Call) -> frozenset[str] | None:
    if any(k.arg is None for k in call.keywords):
        return None
    return frozenset(k.arg for k in call.keywords if k.arg is not None)


def error_classes(trees: dict[str, ast.AST]) -> set[str]:
    """SkbError and every class that derives from it, in any of the sources (by name)."""
    found = {"SkbError"}
    bases = {node.name: {_name(b) for b in node.bases} for tree in trees.values() for node in ast.walk(tree)
             if isinstance(node, ast.ClassDef)}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def sites(trees: dict[str, ast.AST]) -> list[Site]:
    """Every literal error code and Term id in the sources, with the parameters passed beside it."""
    errors = error_classes(trees)
    out: list[Site] = []
    for file, tree in trees.items():
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)] + [None]:
            in_error_class = cls is not None and bool({_name(b) for b in cls.bases} & errors)
            for node in ast.walk(cls if cls is not None else tree):
                if not isinstance(node, ast.Call):
                    continue
                name = _name(node.func)
                is_super = (name == "__init__" and isinstance(node.func, ast.Attribute)
                            and isinstance(node.func.value, ast.Call) and _name(node.func.value.func) == "super")
                if cls is None and name in errors or cls is not None and is_super and in_error_class:
                    first = node.args[0] if node.args else None
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        code = first.value
                        key = (code if "." in code else f"error.{code}") if _CODE.fullmatch(code) else None
                        out.append(Site(file, node.lineno, key, _fields(node)))
                if cls is None and name == "Term" and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        out.append(Site(file, node.lineno, first.value, _fields(node)))
                for helper, place, prefix in TERM_HELPERS:
                    if cls is None and name == helper and len(node.args) > place:
                        arg = node.args[place]
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            out.append(Site(file, node.lineno, prefix + arg.value, _fields(node)))
    return out


def _template_fields(key: str, lang: str) -> set[str] | None:
    texts, plurals = messages(lang)
    forms = [texts[key]] if key in texts else list(plurals.get(key, ()))
    if not forms:
        return None
    found = {name for form in forms for _l, name, _s, _c in string.Formatter().parse(form) if name is not None}
    return found | ({"n"} if key in plurals else set())


def problems(found: list[Site]) -> list[str]:
    """What is wrong with these sites: an id the catalogue lacks in a language, fields that differ, or a text as
    written outside the files that may."""
    wrong = []
    for site in found:
        where = f"{site.file}:{site.line}"
        if site.key is None:
            if site.file not in AS_WRITTEN:
                wrong.append(f"{where}: an error raised with a text, not a code")
            continue
        for lang in LANGUAGES:
            fields = _template_fields(site.key, lang)
            if fields is None:
                wrong.append(f"{where}: {site.key} is not in the {lang} catalogue")
            elif site.fields is not None and fields != site.fields:
                wrong.append(f"{where}: {site.key} ({lang}) fills {sorted(fields)}, the code passes "
                             f"{sorted(site.fields)}")
    return wrong


def _trees() -> dict[str, ast.AST]:
    return {str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in SOURCES}


def test_every_error_code_raised_is_worded_in_both_languages_with_its_fields():
    found = sites(_trees())
    assert problems(found) == []
    assert [name for name in AS_WRITTEN if not (ROOT / name).is_file()] == []
    # and the other way round: every error the catalogue words is one the code raises (none left behind)
    raised = {s.key for s in found if s.key is not None}
    assert sorted(k for k in messages("sv")[0] if k.startswith("error.") and k not in raised) == []


def test_a_planted_unknown_code_or_a_wrong_field_fails():
    trees = _trees()
    trees["planted.py"] = ast.parse(
        "from assessment.errors import StorageError, Term\n"
        "class Mine(StorageError):\n"
        "    def __init__(self, x):\n"
        "        super().__init__('planted_in_a_subclass', x=x)\n"
        "def f(i):\n"
        "    raise StorageError('no_such_code_planted_here', id=i)\n"
        "def g(i):\n"
        "    raise StorageError('frozen', ident=i)\n"
        "def h():\n"
        "    return Term('store.no_such_term')\n"
        "def k():\n"
        "    raise Mine('Ett fel i klartext.')\n")
    wrong = [w for w in problems(sites(trees)) if w.startswith("planted.py")]
    assert wrong == [
        "planted.py:4: error.planted_in_a_subclass is not in the sv catalogue",
        "planted.py:4: error.planted_in_a_subclass is not in the en catalogue",
        "planted.py:6: error.no_such_code_planted_here is not in the sv catalogue",
        "planted.py:6: error.no_such_code_planted_here is not in the en catalogue",
        "planted.py:8: error.frozen (sv) fills ['id'], the code passes ['ident']",
        "planted.py:8: error.frozen (en) fills ['id'], the code passes ['ident']",
        "planted.py:10: store.no_such_term is not in the sv catalogue",
        "planted.py:10: store.no_such_term is not in the en catalogue",
        "planted.py:12: an error raised with a text, not a code",
    ]


# --- the ids built at run time, from a closed set of names ------------------------------------------------


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_ids_built_from_names_exist_for_every_name(lang: str):
    texts, plurals = messages(lang)
    built = ([f"store.action_{a.value}" for a in Action] + [f"store.role_{r.value}" for r in Role]
             + [f"store.outage_{kind}" for kind in Kind.__args__] + [f"model.items_{name}" for name in _COUNTED]
             + [f"model.claimed_{s.value}" for s in Status] + list(OWN_SUMMARIES)
             + [f"store.part_{p}" for p in ("metadata", "measures", "participation", "comments", "checklist",
                                            "status", "language")])
    assert [key for key in built if key not in texts and key not in plurals] == []


def test_a_worded_parameter_follows_the_message_language():
    outage = Outage("full", "disk is full")
    for lang, said, tell in (("sv", "databasens disk är full", "Säg till er IT-avdelning."),
                             ("en", "the database's disk is full", "Tell your IT department.")):
        assert said in outage.message(lang) and outage.message(lang).endswith(tell)
    error = SkbError("restore_target_not_empty", assessments=Term("store.assessments_count", n=1), rows=4, tables=2)
    assert error.message("sv").startswith("Databasen är inte tom (1 bedömning, 4 rader i 2 tabeller)")
    assert error.message("en").startswith("The database is not empty (1 assessment, 4 rows in 2 tables)")


def test_the_problems_an_assessment_can_have_are_all_found_with_their_fields():
    """check_value, check_certainty and check_assessment word nothing: each problem is a `model.*` Term, nested
    where one problem is said inside another (an alternative's answer). The scan sees every one of them, the
    inner Terms too, so a field the catalogue does not fill fails here."""
    trees = _trees()
    model = "assessment/answers/model.py"
    checks = {"_check_rating", "check_value", "check_certainty", "check_assessment"}
    functions = [node for node in ast.walk(trees[model]) if isinstance(node, ast.FunctionDef) and node.name in checks]
    assert {f.name for f in functions} == checks
    found = sites({model: ast.Module(body=functions, type_ignores=[])})
    assert problems(found) == []
    keys = {s.key for s in found}
    assert all(k is not None and k.startswith("model.") for k in keys) and len(keys) >= 30
    # and none of them builds a sentence itself: no f-string, no text glued with +
    glued = [f"{model}:{n.lineno}" for f in functions for n in ast.walk(f)
             if isinstance(n, ast.JoinedStr) or isinstance(n, ast.BinOp) and isinstance(n.left, ast.Constant)]
    assert glued == []
    nested = ast.parse(
        "from assessment.errors import Term\n"
        "def check_assessment(alt, cid):\n"
        "    return Term('model.in_alternative', alternative=alt,\n"
        "                problem=Term('model.answer_to', question=cid))\n")
    assert problems(sites({"planted.py": nested})) == [
        "planted.py:4: model.answer_to (sv) fills ['problem', 'question'], the code passes ['question']",
        "planted.py:4: model.answer_to (en) fills ['problem', 'question'], the code passes ['question']",
    ]
