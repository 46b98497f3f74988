"""A broken checklist in the library is listed on the start page, every problem located and in the page's
language (the validator's codes, worded from the catalogue's checklist.*), and the valid ones stay usable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.widgets import md

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "tests" / "malformed" / "unknown_key_condition.yaml"


def _expected(lang: str, source: Path) -> str:
    tag = {"sv": b"# expect-sv: ", "en": b"# expect: "}[lang]
    line = next(ln for ln in CASE.read_bytes().split(b"\n") if ln.startswith(tag)).decode("utf-8")
    return line.removeprefix(tag.decode()).replace(f"tests/malformed/{CASE.name}", str(source))


@pytest.mark.parametrize(("lang", "heading"), [("sv", "kunde inte läsas"), ("en", "could not be read")])
def test_the_start_page_lists_a_broken_checklists_problems_in_the_pages_language(
        lang, heading, app_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    own = tmp_path / "egna-checklistor"
    own.mkdir()
    broken = own / "trasig.yaml"
    shutil.copy(CASE, broken)
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(own))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["who"] = "Ayşe"
    at.run()
    assert not at.exception
    assert any(heading in e.label for e in at.expander)
    assert [e.value for e in at.error] == [md(_expected(lang, broken))]  # the file's text escaped as markdown
    assert at.selectbox(key="new_checklist").options  # the shipped checklists are still offered
