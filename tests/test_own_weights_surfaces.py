"""Own weights are shown where the verdict is read: a checklist that derives from a reference checklist
and weighs a group or a section differently says so, with both weights, on the results page, in the
report's summary and in `skb score`, never only in the JSON."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from assessment.checklist.checklist import AnswerType, Checklist
from assessment.workflow.cli import main
from assessment.answers.model import Answer, new_assessment
from assessment.store.storage import open_store
from assessment.checklist.validate import load_checklist
from reports import render_report

try:  # tests/ is on sys.path under pytest's default import mode
    from summary_check import squash, summary_page
except ImportError:  # tests/ made a package
    from tests.summary_check import squash, summary_page

ROOT = Path(__file__).resolve().parent.parent
SV = ("Egna vikter jämfört med referenschecklistan skb-integrerad: gruppen ”Barn 0–12 år” 4 (referensen 1,5) "
      "och avsnittet ”5. Boende och närmiljö” 3 (referensen 1).")
EN = ("Weights of its own compared with the reference checklist skb-integrerad: the group “Children aged 0–12” 4 "
      "(reference 1.5) and the section “5. Housing and neighbourhood” 3 (reference 1).")


@pytest.fixture
def own_checklist(tmp_path, monkeypatch) -> Checklist:
    """The integrated checklist copied by a municipality, children and housing weighed up, installed."""
    data = yaml.safe_load((ROOT / "checklists" / "skb-integrerad.yaml").read_text(encoding="utf-8"))
    data["id"] = "kommunens-skb"
    data["scoring"]["reference"] = "skb-integrerad"
    for g in data["groups"]:
        if g["id"] == "children":
            g["weight"] = 4
    for sec in data["sections"]:
        if sec["id"] == "housing":
            sec["weight"] = 3
    folder = tmp_path / "checklists"
    folder.mkdir()
    path = folder / "kommunens-skb.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("SKB_CHECKLIST_DIR", str(folder))
    monkeypatch.setenv("SKB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    return load_checklist(str(path))


def _assessment(checklist: Checklist):
    a = new_assessment(checklist, "Kvarteret Åsen", municipality="Örebro")
    for k in checklist.criteria():
        if k.type == AnswerType.IMPACT:
            for alt in checklist.alternative_ids():
                a.set_answer(k.id, Answer(value=1), alt)
    return a


def test_the_weights_differences_are_named_in_the_cli_the_report_and_the_results_page(own_checklist, tmp_path, capsys):
    a = _assessment(own_checklist)
    path = tmp_path / "a.yaml"
    with open_store() as store:
        store.create(a, "test")
        path.write_text(store.export(a.id), encoding="utf-8")
    # the report, built as `skb report` builds it: scored against the installed reference
    assert main(["report", str(path), "-o", str(tmp_path / "a.pdf")]) == 0
    assert squash(SV) in squash(summary_page((tmp_path / "a.pdf").read_bytes(), "sv"))
    assert main(["report", str(path), "-o", str(tmp_path / "a-en.pdf"), "--lang", "en"]) == 0
    assert squash(EN) in squash(summary_page((tmp_path / "a-en.pdf").read_bytes(), "en"))
    # skb score
    assert main(["score", str(path)]) == 0
    assert SV in capsys.readouterr().out
    # the results page
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["id"] = a.id
    at.switch_page("ui/app_pages/results.py").run()
    assert not at.exception, at.exception
    assert any(squash(SV) in squash(w.value.replace("\\", "")) for w in at.warning), [w.value for w in at.warning]
    # a report built without a reference says nothing about weights it cannot compare
    out = io.BytesIO()
    render_report(a, out)
    assert "Egna vikter" not in summary_page(out.getvalue(), "sv")
