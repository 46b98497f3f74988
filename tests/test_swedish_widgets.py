"""Swedish throughout: where a Streamlit widget speaks English of its own, another one is used.

Streamlit's date picker names months and weekdays in English whatever the page's language;
the pages take a date typed as ISO 8601 instead, checked, and said wrong at its field in the
page's language.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.catalogue import template
from ui.widgets import parse_date

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")


@pytest.mark.parametrize(("typed", "date"), [
    ("2026-03-15", dt.date(2026, 3, 15)), (" 2024-02-29 ", dt.date(2024, 2, 29)), ("", None), (None, None)])
def test_a_typed_iso_date_is_read(typed: str | None, date: dt.date | None) -> None:
    assert parse_date(typed) == date


@pytest.mark.parametrize("typed", ["2026-02-30", "15/3/2026", "2026-3-15", "20260315", "2026-03-15T10:00",
                                   "٢٠٢٦-٠٣-١٥", "mars 2026"])
def test_what_is_no_date_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_date(typed)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_wrong_date_is_said_at_its_field_in_the_pages_language(app_store, lang: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page("ui/app_pages/portfolio.py").run()
    assert not at.exception, at.exception
    field = at.text_input(key="pf_from")
    assert field.placeholder == template(lang, "ui.date_placeholder")
    field.set_value("2026-02-30").run()
    assert not at.exception, at.exception
    said = [e.value for e in at.error]
    assert said == [template(lang, "ui.date_invalid").format(text="2026\\-02\\-30")], said
    at.text_input(key="pf_from").set_value("2026-02-28").run()
    assert not at.error and at.text_input(key="pf_from").value == "2026-02-28"


def test_no_page_uses_streamlits_english_date_picker() -> None:
    calls = []
    pages = [ROOT / "streamlit_app.py", *sorted((ROOT / "ui").rglob("*.py"))]  # the wizard's widgets too
    for path in pages:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "date_input":
                calls.append(f"{path.name}:{node.lineno}")
    assert calls == [], f"st.date_input shows English months and weekdays: {calls}"


def test_the_decision_date_is_typed_and_a_wrong_one_refused_with_the_pages_words() -> None:
    from assessment.answers.model import Metadata
    from ui.metadata import DetailsProblem, updated_metadata

    meta = Metadata(title="Torget i Łódź")
    assert updated_metadata(meta, "decision_date", "2027-03-15").decision_date == dt.date(2027, 3, 15)
    assert updated_metadata(meta, "decision_date", "").decision_date is None
    with pytest.raises(DetailsProblem) as refused:
        updated_metadata(meta, "decision_date", "2027-02-30")
    assert refused.value.key == "ui.date_invalid" and refused.value.values == {"text": "2027\\-02\\-30"}
