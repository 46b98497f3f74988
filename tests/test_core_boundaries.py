"""The core (`assessment/`, `reports/`) never imports streamlit, nor the UI.

Everything the wizard can do, the CLI and the tests must be able to do without
a browser, and the report must render in a batch job: so the dependency points
one way only, from `ui/` and `streamlit_app.py` down to the core.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ("assessment", "reports")
FORBIDDEN = ("streamlit", "ui", "streamlit_app")
CORE_FILES = sorted(p for pkg in CORE for p in (ROOT / pkg).rglob("*.py"))


def forbidden_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) for every import of streamlit or the UI in `source`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("import_module", "__import__"):
                names = [node.args[0].value]
        found += [(node.lineno, n) for n in names if n.split(".")[0] in FORBIDDEN]
    return sorted(found)


def test_the_scan_sees_every_way_of_importing():
    source = "import streamlit as st\nfrom streamlit.testing import x\nimport ui.widgets\n" \
             "importlib.import_module('streamlit')\nimport os, streamlit_app\nfrom .ui import y\n"
    assert forbidden_imports(source) == [(1, "streamlit"), (2, "streamlit.testing"), (3, "ui.widgets"),
                                         (4, "streamlit"), (5, "streamlit_app")]


def test_the_core_has_source_files():
    names = {p.relative_to(ROOT).as_posix() for p in CORE_FILES}
    assert {"assessment/checklist/checklist.py", "assessment/checklist/validate.py", "assessment/workflow/cli.py"} <= names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_core_module_imports_streamlit_or_the_ui(path: Path):
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


def test_importing_the_whole_core_leaves_streamlit_unloaded():
    code = (
        "import importlib, pkgutil, sys\n"
        "for pkg in ('assessment', 'reports'):\n"
        "    mod = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
        "        if info.name != 'assessment.__main__':\n"
        "            importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'ui', 'streamlit_app')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
