"""The report's modules share only public names: no module in `reports/` reads a sibling's private name.

`reports/` is split into the page-layout toolkit (`toolkit/`), the context (`context.py`: labels and
formatting), one module per part of the report (`chapters/`) and the assembler (`document.py`). What
two of them share is public in the module that owns it; a name with a leading underscore stays inside
its module. Parsed with `ast`, so a private name reached by `from .x import _y`, by `from . import x`
and then `x._y`, or by `import reports.x` and then `reports.x._y` is found without running anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "reports"
REPORT_FILES = sorted((ROOT / PACKAGE).rglob("*.py"))


def module_name(path: Path) -> str:
    """`reports/chapters/cover.py` -> "reports.chapters.cover"; a package's `__init__.py` -> the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The module a `from ... import` names, resolved against the importing module."""
    if level == 0:
        return target or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([target] if target else [])])


def private_imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, "module._name") for every private name of another `reports` module that `source` reads."""
    found: list[tuple[int, str]] = []
    bound: dict[str, str] = {}  # a local name -> the reports module it stands for
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            origin = absolute(module, is_package, node.level, node.module)
            if origin.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                if is_private(alias.name):
                    found.append((node.lineno, f"{origin}.{alias.name}"))
                else:  # `from . import chapters` or `from .chapters import cover`: maybe a module
                    bound[alias.asname or alias.name] = f"{origin}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    bound[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else PACKAGE
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            dotted = _dotted(node.value)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            if head in bound:
                owner = ".".join(x for x in (bound[head], rest) if x)
                if owner != module:
                    found.append((node.lineno, f"{owner}.{node.attr}"))
    return sorted(found)


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` as "a.b.c" when the expression is only names and attributes."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def test_the_split_is_there() -> None:
    """The toolkit, the context, the assembler and one module per part are where the test looks."""
    names = {module_name(p) for p in REPORT_FILES}
    assert {"reports.toolkit.layout", "reports.context", "reports.document"} <= names
    chapters = {"cover", "summary", "contents", "charts", "criteria", "equity", "participation", "measures",
                "flags", "review", "method"}
    assert {f"reports.chapters.{c}" for c in chapters} <= names


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_reads_a_private_name_of_another(path: Path) -> None:
    found = private_imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert not found, f"{path.relative_to(ROOT)} reads private names of other modules: {found}"


@pytest.mark.parametrize(("source", "expected"), [
    ("from ..document import _fmt_date\n", [(1, "reports.document._fmt_date")]),
    ("from ..context import _x, fmt_date\n", [(1, "reports.context._x")]),
    ("from reports.layout import _NumberedCanvas\n", [(1, "reports.layout._NumberedCanvas")]),
    ("from .. import layout\nlayout._NumberedCanvas\n", [(2, "reports.layout._NumberedCanvas")]),
    ("import reports.layout\nreports.layout._NumberedCanvas\n", [(2, "reports.layout._NumberedCanvas")]),
    ("from . import review as r\nr._comment_tree(1)\n", [(2, "reports.chapters.review._comment_tree")]),
])
def test_the_check_finds_a_private_import(source: str, expected: list[tuple[int, str]]) -> None:
    """The check itself: each way of reaching a sibling's private name is found (here from a chapter)."""
    assert private_imports(source, "reports.chapters.flags") == expected


@pytest.mark.parametrize("source", [
    "from ..context import ReportContext, fmt_date\n",
    "from assessment.scoring.summary import _private_elsewhere\n",  # not a reports module: not this rule
    "from typing import Any\nclass A:\n    def f(self):\n        return self._x\n",
    "from ..markup import para\npara.__name__\n",
])
def test_the_check_leaves_public_and_own_names_alone(source: str) -> None:
    assert private_imports(source, "reports.chapters.flags") == []
