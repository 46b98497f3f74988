"""The validity suite's tools: a reference checklist filled in as a planner would, and what the verdict says.

Each case in this folder is a small assessment named for the misleading reading it guards against.
It starts from one of the three reference checklists (or a small inline one), rates every visible
question with an ordinary answer, then edits the answers into the hard case; `Said` is what the
headline, the equity sentence, the findings and the flags then say, in Swedish and English.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment.checklist.checklist import AnswerType, Checklist
from assessment.answers.model import Answer, Assessment, new_assessment, parse_assessment
from assessment.scoring.results import Result
from assessment.scoring.scoring import score
from assessment.checklist.validate import load_checklist, parse_checklist
from assessment.scoring.verdict_text import equity_sentence, findings_text, headline_sentence

try:  # tests/ is on sys.path under pytest's default import mode
    from summary_check import MIN_SCALE, html_texts, squash, summary_page
except ImportError:  # tests/ made a package
    from tests.summary_check import MIN_SCALE, html_texts, squash, summary_page

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def reference(checklist_id: str) -> Checklist:
    return load_checklist(str(ROOT / "checklists" / f"{checklist_id}.yaml"))


def filled(checklist: Checklist, everyone: int = 1, zero: int = 0, **metadata: Any) -> Assessment:
    """`checklist` with every rated question rated `everyone` for the plan alternatives (each group alike)
    and `zero` for the zero alternative; nothing else answered."""
    a = new_assessment(checklist, "Validitetsfall", **metadata)
    for alt in checklist.alternative_ids():
        value = zero if alt == "zero" else everyone
        for k in checklist.criteria():
            if k.type == AnswerType.IMPACT:
                a.set_answer(k.id, Answer(value=value), alt)
            elif k.type == AnswerType.GROUP_IMPACT:
                a.set_answer(k.id, Answer(value={g.id: value for g in checklist.groups_of(k)}), alt)
    return a


def rate_group(a: Assessment, group: str, value: Any, alt: str = "proposal") -> None:
    """Give `group` the rating `value` in every group_impact question of `alt` that rates it."""
    for k in a.checklist.criteria():
        if k.type == AnswerType.GROUP_IMPACT and any(g.id == group for g in a.checklist.groups_of(k)):
            answer = a.alternatives[alt][k.id]
            a.alternatives[alt][k.id] = Answer(value={**answer.value, group: value}, comment=answer.comment)


def set_answer(a: Assessment, cid: str, value: Any, alt: str | None = "proposal", comment: str = "") -> None:
    a.set_answer(cid, Answer(value=value, comment=comment), alt)


def inline(checklist_yaml: str, answers_yaml: str = "") -> Assessment:
    """An assessment of a small inline checklist, read like a file a planner wrote."""
    checklist, problems = parse_checklist(checklist_yaml, "fall.yaml")
    assert checklist is not None and not [p for p in problems if p.severity == "error"], problems
    data = {"format": "skb-assessment", "schema_version": 1, "metadata": {"title": "Validitetsfall"},
            "checklist_ref": {"id": checklist.id, "version": checklist.version}}
    data.update(yaml.safe_load(answers_yaml) or {})
    return parse_assessment(yaml.safe_dump(data, allow_unicode=True), "fall",
                            resolve=lambda cid, version: checklist)


@dataclass(frozen=True)
class Said:
    """What the verdict says in one language."""

    headline: str
    equity: str
    findings: list[str]
    flags: list[str]  # "severity rule" of every flag


def said(a: Assessment, result: Result | None = None, alternative: str | None = None) -> dict[str, Said]:
    """What the verdict says in each language, after checking the claims every verdict must keep."""
    r = score(a) if result is None else result
    c = a.checklist
    flags = [f"{f.severity} {f.rule}" for f in r.flags]
    out = {lang: Said(headline_sentence(r, c, lang, alternative), equity_sentence(r, c, lang, alternative),
                      findings_text(r, c, lang), flags) for lang in ("sv", "en")}
    keeps_its_claims(r, c, out, alternative or r.primary)
    if alternative is None:
        the_report_says_the_same(a, r, out)
    return out


def the_report_says_the_same(a: Assessment, r: Result, out: dict[str, Said]) -> None:
    """The report's summary page states the verdict's headline and equity sentence as they are, and its
    other claims hold against the same result (tests/summary_check.py runs on every report the suite
    builds, these included)."""
    import reports

    from reports.document import report_model
    from reports.toolkit.model import OnePage
    from reports.toolkit.pdf import one_page_scale

    for lang in ("sv", "en"):
        pdf = io.BytesIO()
        reports.render_report(a, pdf, lang=lang, result=r)
        page = squash(summary_page(pdf.getvalue(), lang))
        assert squash(out[lang].headline) in page, (lang, out[lang].headline, page[:600])
        assert squash(out[lang].equity) in page, (lang, out[lang].equity, page[:1200])
        # the HTML twin says the same on its decision page (and is cross-checked like the PDF)
        html = io.BytesIO()
        reports.render_report_html(a, html, lang=lang, result=r)
        decision = squash(html_texts(html.getvalue().decode("utf-8"))[1])
        assert squash(out[lang].headline) in decision and squash(out[lang].equity) in decision, lang
        # and the decision page fits its one page without shrinking below MIN_SCALE
        model = report_model(a, lang, r)
        scale = one_page_scale(next(b for b in model.blocks if isinstance(b, OnePage)))
        assert scale >= MIN_SCALE, f"the decision page is set at {scale:.0%} to fit its page ({lang})"


def keeps_its_claims(r: Result, c: Checklist, out: dict[str, Said], alt: str) -> None:
    """The claims every verdict keeps, whatever the case: each finding once and in both languages; a
    group named for a large loss is in the headline; "the gap narrows" is never said when it widens or
    levels down; a provisional score carries no band; each verdict flag is a finding."""
    sv, en = out["sv"], out["en"]
    once(sv.findings)
    once(en.findings)
    assert len(sv.findings) == len(en.findings) == len(r.findings)
    assert sv.headline != en.headline and sv.equity != en.equity
    mine = r.alternatives[alt]
    lost = [f.group for f in r.findings if f.alternative == alt and f.code == "large_loss"]
    if 0 < len(lost) <= 4:
        labels = {g.id: g.label for g in c.groups}
        for gid in lost:
            label = labels[gid]
            for lang, said_ in (("sv", sv), ("en", en)):
                name = label if isinstance(label, str) else label.get(lang, next(iter(label.values())))
                assert name[1:] in said_.headline, (name, said_.headline)
    if mine.equity.levelling_down or mine.equity.verdict == "widens":  # never the claim "the gap narrows: …"
        assert "Klyftan minskar:" not in sv.equity and "The gap narrows:" not in en.equity
    if mine.provisional and mine.overall.value is not None:
        assert mine.overall.band is None
        assert "underlaget räcker inte för en samlad bedömning" in sv.headline
        assert "the evidence is not enough for an overall judgement" in en.headline
    codes = {f.code for f in r.findings}
    assert {f.rule for f in r.flags if f.kind == "verdict"} <= codes


def once(texts: list[str]) -> None:
    """Every finding is stated once."""
    assert len(texts) == len(set(texts)), texts


@pytest.fixture
def integrated() -> Checklist:
    return reference("skb-integrerad")


@pytest.fixture
def quick() -> Checklist:
    return reference("skb-snabb")


@pytest.fixture
def child() -> Checklist:
    return reference("skb-barn")
