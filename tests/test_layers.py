"""The layers of docs/architecture.md hold: checklist -> assessment (answers) -> scoring -> store ->
reports -> workflow -> UI, and no module imports a layer above its own.

import-linter checks the contracts in pyproject.toml (`[tool.importlinter]`). It reads only the imports a
module can make, so an import hidden inside a function (run late, to dodge the order) or made by name
(`importlib.import_module("reports")`) would slip past it: the second half of this file forbids both.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("assessment", "reports", "ui", "streamlit_app")
SOURCES = sorted([p for pkg in ("assessment", "reports", "ui") for p in (ROOT / pkg).rglob("*.py")]
                 + [ROOT / "streamlit_app.py"])

# The one project import a function may make, and why it is not a way round the layers: the wizard (ui,
# the top layer) warms Python's module cache in a background thread with the report's modules, which it
# may import anyway, so that the results page's first load does not wait for them (ui/app_pages/wizard.py).
WARM_UP = {("ui/app_pages/wizard.py", "reports")}


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports over the packages under `root`, with the contracts of `root`'s pyproject.toml."""
    return subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                           "sys.exit(lint_imports_command())", "--no-cache"],
                          cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "200"},
                          capture_output=True, text=True, timeout=300)


def test_the_contract_names_every_layer_in_order():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["id"] == "layers")
    assert layers["type"] == "layers"
    assert layers["layers"] == ["ui", "assessment.workflow", "reports", "assessment.store", "assessment.scoring",
                                "assessment.answers", "assessment.checklist", "assessment.errors",
                                "assessment.catalogue"]
    # every layer inside assessment/ is a folder (or, for the ground, the module of errors and the catalogue)
    for name in layers["layers"]:
        path = ROOT.joinpath(*name.split("."))
        assert path.is_dir() or path.with_suffix(".py").is_file(), name
    # nothing at assessment/'s top level but the layers, the package's face and `python -m assessment`
    loose = {p.name for p in (ROOT / "assessment").glob("*.py")}
    assert loose == {"__init__.py", "__main__.py", "errors.py", "catalogue.py"}
    # and inside reports/: the assembly, the chapters, the context, the toolkit, each a contract's layer
    report = next(c for c in config["contracts"] if c["id"] == "report-layers")
    assert report["containers"] == ["reports"]
    assert report["layers"][1:] == ["chapters", "context", "i18n", "prose", "toolkit"]
    assert (ROOT / "reports" / "chapters").is_dir() and (ROOT / "reports" / "toolkit").is_dir()


def test_the_layers_contracts_are_kept():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout, run.stdout


@pytest.mark.slow
def test_an_upward_import_breaks_the_contract(tmp_path: Path):
    """The contract can fail: the same tree with scoring importing the report is refused, by name."""
    for pkg in ("assessment", "reports", "ui"):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    scoring = tmp_path / "assessment" / "scoring" / "scoring.py"
    scoring.write_text(scoring.read_text(encoding="utf-8") + "\nimport reports.context  # upward\n",
                       encoding="utf-8")
    run = lint_imports(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 broken" in run.stdout, run.stdout
    assert "assessment.scoring.scoring -> reports.context" in run.stdout, run.stdout


def hidden_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) for each project import made inside a function, and each made by name anywhere.

    Libraries may be imported late for start-up time (today: os, io, pathlib, datetime, math, typing,
    tomllib, importlib.metadata, pydantic, alembic, sqlalchemy, altair and pandas); the project's own
    modules may not, since their order is what the layers are."""
    found: list[tuple[int, str]] = []

    def project(name: str) -> bool:
        return name.split(".")[0] in PROJECT

    def visit(node: ast.AST, in_function: bool) -> None:
        in_function = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        if in_function and isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names if project(a.name))
        elif in_function and isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, "." * node.level + (node.module or "")))
            elif project(node.module or ""):
                found.append((node.lineno, node.module or ""))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("import_module", "__import__") and project(node.args[0].value.lstrip(".")):
                found.append((node.lineno, node.args[0].value))
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(ast.parse(source), False)
    return sorted(found)


def test_the_scan_sees_every_hidden_import():
    source = ("import os\nfrom reports import render_report\n"
              "def f():\n    import io\n    from pydantic import BaseModel\n    import assessment.store.storage\n"
              "    from reports.context import ReportContext\n    from .summary import summarize\n"
              "    from . import figures\n"
              "class C:\n    def m(self):\n        import ui.widgets\n"
              "g = lambda: __import__('streamlit_app')\n"
              "importlib.import_module('reports')\n")
    assert hidden_imports(source) == [(6, "assessment.store.storage"), (7, "reports.context"), (8, ".summary"),
                                      (9, "."), (12, "ui.widgets"), (13, "streamlit_app"), (14, "reports")]


def test_the_scan_reads_every_source():
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"streamlit_app.py", "assessment/workflow/cli.py", "reports/document.py", "ui/app_pages/wizard.py",
            "assessment/store/migrations/env.py"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_project_import_hides_inside_a_function(path: Path):
    rel = path.relative_to(ROOT).as_posix()
    hidden = [(line, module) for line, module in hidden_imports(path.read_text(encoding="utf-8"))
              if (rel, module) not in WARM_UP]
    assert hidden == [], f"{rel}: import these at the top of the module (the layers say which may be imported)"


def test_the_warm_up_is_still_where_it_is_said_to_be():
    for rel, module in WARM_UP:
        assert module in [m for _, m in hidden_imports((ROOT / rel).read_text(encoding="utf-8"))], \
            f"{rel} no longer imports {module} in a function: remove it from WARM_UP"
