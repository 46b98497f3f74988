"""Comparison: two assessments, or the zero alternative against the proposal, side by side, and as a PDF appendix.

The figures are each side's own scores lined up by id; something only one side
has is missing on the other, never zero; user text reaches the PDF escaped.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from assessment.workflow.cli import main
from assessment.scoring.compare import compare
from assessment.checklist.library import resolve_checklist
from assessment.answers.model import Answer, new_assessment, parse_assessment
from assessment.scoring.scoring import score
from assessment.store.storage import Store, open_store
from assessment.checklist.validate import parse_checklist
from reports.compare import render_comparison

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "grannskap-utbyggnad.yaml"

SKOLA = """\
schema_version: 1
id: skola
version: "{version}"
title: {{sv: Skolplan, en: School plan}}
languages: [sv, en]
scales:
  - id: impact
    steps:
      - {{value: -2, label: {{sv: Stor negativ, en: Major negative}}}}
      - {{value: -1, label: {{sv: Negativ, en: Negative}}}}
      - {{value: 0, label: {{sv: Ingen, en: None}}}}
      - {{value: 1, label: {{sv: Positiv, en: Positive}}}}
      - {{value: 2, label: {{sv: Stor positiv, en: Major positive}}}}
alternatives:
  - {{id: zero, label: {{sv: Nollalternativ, en: Zero alternative}}, kind: zero}}
  - {{id: proposal, label: {{sv: Planförslag, en: Proposal}}, kind: proposal}}
sections:
  - id: skolvag
    title: {{sv: Skolvägen, en: The way to school}}
    criteria:
      - id: trafik
        text: {{sv: "Hur säker blir skolvägen?", en: "How safe is the way to school?"}}
        type: impact
        scale: impact
{extra}"""

EXTRA = """\
  - id: idrott
    title: {sv: Idrott och rörelse, en: Sport and movement}
    criteria:
      - id: hall
        text: {sv: "Hur påverkas tillgången till idrottshall?", en: "How is access to a sports hall affected?"}
        type: impact
        scale: impact
"""


def skola(version: str = "1", extra: str = ""):
    checklist, problems = parse_checklist(SKOLA.format(version=version, extra=extra), "skola.yaml")
    assert problems == []
    return checklist


def example():
    return parse_assessment(EXAMPLE.read_bytes(), EXAMPLE.name, resolve=resolve_checklist)


def test_the_zero_alternative_against_the_proposal_lines_up_each_score():
    a = example()
    result = score(a)
    c = compare(a, a, lang="sv", alt_a="zero")
    zero, proposal = result.alternatives["zero"], result.alternatives["proposal"]
    [overall] = c.block("overall")
    assert (overall.a, overall.b) == (zero.overall.value, proposal.overall.value)
    assert overall.difference == pytest.approx(proposal.overall.value - zero.overall.value)
    areas = {r.key: r for r in c.block("dimension", "policy_area")}
    assert set(areas) == set(proposal.dimensions["policy_area"])
    assert areas["housing"].b == proposal.dimensions["policy_area"]["housing"].value
    assert areas["housing"].label == "Boende och närmiljö"
    assert c.verdicts == (zero.equity.verdict, proposal.equity.verdict)
    assert (c.a.alternative_label, c.b.alternative_label) == ("Nollalternativ", "Förslaget")


def test_two_assessments_of_different_checklist_versions_keep_what_only_one_has_missing():
    before = new_assessment(skola("1"), "Skolan i Ekeby före ombyggnad")
    before.set_answer("trafik", Answer(value=-2))
    after = new_assessment(skola("2", EXTRA), "Skolan i Ekeby efter ombyggnad")
    after.set_answer("trafik", Answer(value=1))
    after.set_answer("hall", Answer(value=2))
    c = compare(before, after, lang="en")
    rows = {r.key: r for r in c.block("section")}
    assert (rows["skolvag"].a, rows["skolvag"].b, rows["skolvag"].difference) == (-100.0, 50.0, 150.0)
    assert (rows["idrott"].a, rows["idrott"].b, rows["idrott"].difference) == (None, 100.0, None)
    assert rows["idrott"].label == "Sport and movement"
    with pytest.raises(ValueError, match="no alternative \"option_b\""):
        compare(before, after, alt_b="option_b")


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_pdf_appendix_shows_both_sides_and_prints_user_text_as_typed():
    before = new_assessment(skola(), "Skolan <b>i</b> Łódź & Ekeby", municipality="Ελλάδα kommun")
    before.set_answer("trafik", Answer(value=-1))
    after = before.model_copy(deep=True)
    after.metadata.title = "Skolan efter Şahins förslag"
    after.set_answer("trafik", Answer(value=2))
    out = io.BytesIO()
    render_comparison(before, after, out, lang="sv")
    words = _text(out.getvalue())
    assert "Jämförelse" in words
    assert "Skolan <b>i</b> Łódź & Ekeby" in words
    assert "Skolan efter Şahins förslag" in words and "Ελλάδα kommun" in words
    assert "Skolvägen −50 +100 +150" in words
    out_en = io.BytesIO()
    render_comparison(before, after, out_en, lang="en")
    assert "Comparison" in _text(out_en.getvalue()) and "The way to school −50 +100 +150" in _text(out_en.getvalue())


def test_skb_compare_takes_files_and_stored_ids(tmp_path, capsys):
    out = tmp_path / "nollalternativ.pdf"
    assert main(["compare", str(EXAMPLE), "--alt-a", "zero", "-o", str(out)]) == 0
    assert "Nollalternativ" in _text(out.read_bytes())

    db = f"sqlite:///{tmp_path / 'skb.sqlite'}"
    a = new_assessment(skola(), "Skolan i Ekeby")
    a.set_answer("trafik", Answer(value=-1))
    b = new_assessment(skola(), "Skolan i Vivalla")
    b.set_answer("trafik", Answer(value=1))
    with open_store(db) as store:
        store.create(a, "Anna")
        store.create(b, "Anna")
    both = tmp_path / "skolor.pdf"
    assert main(["compare", a.id, b.id, "-o", str(both), "--db", db, "--lang", "en"]) == 0
    words = _text(both.read_bytes())
    assert "Skolan i Ekeby" in words and "Skolan i Vivalla" in words
    assert "The way to school −50 +50 +100" in words
    capsys.readouterr()
    assert main(["compare", str(EXAMPLE), "--alt-a", "option_c", "-o", str(tmp_path / "x.pdf")]) == 1
    assert "no alternative" in capsys.readouterr().err


# --- the comparison page, driven with AppTest ---------------------------------------------------------

APP = str(ROOT / "streamlit_app.py")


@pytest.mark.slow
def test_the_comparison_page_shows_two_stored_assessments_side_by_side(app_store: Store):
    a = new_assessment(skola(), "Skolan i Ekeby")
    a.set_answer("trafik", Answer(value=-1), "proposal")
    b = new_assessment(skola(), "Skolan i Vivalla")
    b.set_answer("trafik", Answer(value=1), "proposal")
    b.set_answer("trafik", Answer(value=-2), "zero")
    app_store.create(a, "Anna")
    app_store.create(b, "Anna")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"a": a.id, "b": b.id, "lang": "en"})
    at.run()
    at.switch_page("ui/app_pages/compare.py").run()
    assert not at.exception, at.exception
    table = _table(at, "The way to school").value.set_index("what")
    assert (table.loc["The way to school", "A"], table.loc["The way to school", "B"]) == (-50.0, 50.0)
    assert table.loc["The way to school", "B − A"] == 100.0
    # Scores are signed whole numbers; the share rated and the counts are plain, their difference signed;
    # a figure one side lacks shows as "–".
    for row, sides in (("Overall", "%+.0f"), ("The way to school", "%+.0f"), ("Flags", "%.0f")):
        shown = _table(at, row).proto
        columns = json.loads(shown.columns)
        assert [columns[c]["type_config"]["format"] for c in ("A", "B", "B − A")] == [sides, sides, "%+.0f"]
        assert columns["what"]["label"] == "What" and shown.placeholder == "–"
    evidence = _table(at, "Flags").value.set_index("what")
    assert list(evidence.loc["Share of criteria rated (%)", ["A", "B"]]) == [100.0, 100.0]
    assert [d.proto.label for d in at.get("download_button")] == ["Download the comparison (PDF)"]

    # Two alternatives of one assessment: B's zero alternative against its proposal.
    at.selectbox(key="cmp_a").set_value(b.id).run()
    at.selectbox(key=f"cmp_alt_a_{b.id}").set_value("zero").run()
    assert not at.exception, at.exception
    table = _table(at, "The way to school").value.set_index("what")
    assert (table.loc["The way to school", "A"], table.loc["The way to school", "B"]) == (-100.0, 50.0)


def _table(at: AppTest, row: str):  # type: ignore[no-untyped-def]
    """The page's table with a row named `row` (each block of figures is a table of its own)."""
    return next(d for d in at.dataframe if row in set(d.value["what"]))


@pytest.mark.slow
def test_a_link_to_what_is_not_there_says_so_and_compares_what_is(app_store: Store):
    a = new_assessment(skola(), "Skolan i Ekeby")
    a.set_answer("trafik", Answer(value=1), "proposal")
    a.set_answer("trafik", Answer(value=-1), "zero")
    app_store.create(a, "Anna")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"a": "../../etc", "b": "finns-inte", "rb": "abc", "lang": "sv"})
    at.run()
    at.switch_page("ui/app_pages/compare.py").run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        "Länken anger en bedömning A som inte finns (\\.\\./\\.\\./etc). Välj en i listan.",
        "Länken anger en bedömning B som inte finns (finns\\-inte). Välj en i listan.",
        "Länken anger en version för B som inte är ett versionsnummer (abc). Den senaste versionen visas."]
    # Nothing named: the one assessment on both sides, its zero alternative against its proposal.
    assert (at.selectbox(key=f"cmp_alt_a_{a.id}").value, at.selectbox(key=f"cmp_alt_b_{a.id}").value) == (
        "zero", "proposal")
    assert list(_table(at, "Skolvägen").value.set_index("what").loc["Skolvägen", ["A", "B"]]) == [-50.0, 50.0]

    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"a": a.id, "ra": "99", "lang": "en"})
    at.run()
    at.switch_page("ui/app_pages/compare.py").run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == ["The assessment has no version 99. The latest version is shown."]
