"""The benchmarks cannot rot: the runner runs in its quick mode, and its generators make valid data.

`python -m benchmarks --quick` takes every measure that needs no server or
browser, with few repetitions, and must finish without an error: each row has
a figure and its floor, or says why it was not measured. The generators that
the benchmarks (and other tests) use must give a valid 500-criterion checklist
and assessments that fit it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.checklist.checklist import AnswerType
from assessment.answers.model import NOT_RELEVANT, UNKNOWN, check_assessment
from benchmarks.gen import checklist_data, fill_assessment, generate_checklist, largest_section, step_widgets
from benchmarks.harness import Row, Target, stats

ROOT = Path(__file__).resolve().parent.parent


def test_quick_run_measures_everything_that_needs_no_server(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    # The timeout only stops a hung run; the figures themselves are never asserted here.
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    rows = {r["measure"]: r for r in result["rows"]}
    assert result["quick"] is True and result["machine"]["nproc"] >= 1 and result["machine"]["cpu"]
    for name in ("Wizard, server: one rerun of the largest step, integrated checklist",
                 "Wizard, server: one rerun of the largest step, 500-criterion checklist",
                 "Scoring throughput, integrated checklist, one core", "PDF: the example report",
                 "PDF: the 500-criterion report", "Storage: autosave latency, SQLite",
                 "Hostile files: the slowest refusal by the store's import",
                 "Hostile files: skb import refusing a 64 MB file",
                 "Import time of our own modules, beyond Streamlit's"):
        row = rows[name]
        if row["not_measured"]:
            assert not row["not_measured"].startswith("failed"), row
            continue
        assert row["figures"][row["headline"]] > 0, row
        assert row["floor"] and row["ratio"] and row["ratio"] > 0, row
        assert row["targets"] == [] or all("met" in t for t in row["targets"]), row
    assert "ratio" in done.stdout.splitlines()[0]


def test_every_measure_is_listed() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--list"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    keys = {line.split()[0] for line in done.stdout.splitlines()}
    assert {"wizard-integrated", "wizard-500", "scoring", "pdf-example", "pdf-500", "autosave-sqlite",
            "autosave-postgres", "portfolio-sqlite", "portfolio-postgres", "hostile-files", "imports", "cold-start",
            "browser", "memory"} <= keys


def test_the_generated_checklist_has_500_criteria_of_every_type_and_validates() -> None:
    checklist = generate_checklist(500)
    criteria = checklist.criteria()
    assert len(criteria) == 500 and len(checklist.sections) == 10
    assert {c.type for c in criteria} == set(AnswerType)
    assert any(c.show_if is not None for c in criteria)
    assert {f.id for f in checklist.frameworks} == {"policy_area", "agenda2030"}
    assert {r.kind.value for r in checklist.scoring.flags} == {"negative_without_measure", "gap_widens",
                                                              "knowledge_gaps", "participation_below_expected",
                                                              "condition"}
    assert checklist_data(30, 3)["sections"][2]["criteria"][-1]["id"] == "s02_q009"


def test_a_filled_assessment_fits_its_checklist_and_holds_gaps_and_measures() -> None:
    checklist = generate_checklist(60, 4)
    a = fill_assessment(checklist, seed=7)
    assert check_assessment(a) == []
    assert fill_assessment(checklist, seed=7).alternatives == a.alternatives  # deterministic
    ratings = [ans.value for alt in a.alternatives.values() for ans in alt.values()]
    assert UNKNOWN in ratings and NOT_RELEVANT in ratings
    assert a.measures and all(m.responsible and m.indicator and m.due for m in a.measures)
    assert set(a.alternatives) == {"zero", "proposal"}
    assert step_widgets(checklist, checklist.sections[largest_section(checklist)]) == \
        max(step_widgets(checklist, s) for s in checklist.sections)


def test_percentiles_ratios_and_targets() -> None:
    s = stats([float(v) for v in range(1, 101)])
    assert (s.median, s.min, s.max) == (50.5, 1.0, 100.0)
    assert s.p95 == pytest.approx(95.05)
    slow = Row(measure="x", unit="ms", figures={"p95": 30.0}, floor={"p95": 20.0}, headline="p95",
               targets=[Target("ratio", "<=", 1.5, "ratio <= 1.5"), Target("p95", "<=", 25.0, "p95 <= 25 ms")])
    assert slow.ratio == 1.5 and [met for _, met in slow.verdicts()] == [True, False]
    rate = Row(measure="y", unit="/s", figures={"median": 5000.0}, floor={"median": 20000.0}, higher_is_better=True)
    assert rate.ratio == 4.0  # four times the floor's cost per item


def test_without_the_peer_beside_the_project_its_rows_say_not_measured(tmp_path: Path) -> None:
    """`make bench` measures the peer from ../shared/peer/; where that is absent the rows say why."""
    from benchmarks.harness import NotMeasured
    from benchmarks.peer import peer_missing, serve_peer

    assert "../shared/peer/" in peer_missing(tmp_path)
    with pytest.raises(NotMeasured, match="not beside the project"):
        with serve_peer(tmp_path):
            pass
    (tmp_path / "aia-eia-js").mkdir()
    (tmp_path / "aia-eia-js" / "index.html").write_text("<!doctype html>", encoding="utf-8")
    assert peer_missing(tmp_path) == ""
