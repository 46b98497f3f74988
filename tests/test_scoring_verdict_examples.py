"""The verdict's worked examples in docs/scoring.md ("The verdict"), reproduced word for word.

Each rule on that page has a yaml block `# verdict example: <rule>` with the answers and what the
verdict then says. A block either answers the page's worked-example checklist, or starts from a
reference checklist with every rated question rated alike (`base`) and edits it. The test reads
the blocks from the page, so the page and the code cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment.checklist.checklist import AnswerType, Checklist
from assessment.answers.model import Answer, ParticipationRecord, new_assessment, parse_assessment
from assessment.scoring.scoring import score
from assessment.checklist.validate import load_checklist, parse_checklist
from assessment.scoring.verdict_text import equity_sentence, findings_text, headline_sentence, own_weights_sentence

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "scoring.md"


def blocks() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"```yaml\n# verdict example: ([a-z_]+)\n(.*?)```", text, re.S))


def worked_checklist() -> Checklist:
    text = DOC.read_text(encoding="utf-8")
    body = re.search(r"```yaml\n# worked example: checklist\n(.*?)```", text, re.S)
    assert body
    checklist, problems = parse_checklist(body.group(1), "docs/scoring.md")
    assert checklist is not None, problems
    return checklist


def own_copy(reference: Checklist, weights: dict[str, dict[str, float]]) -> Checklist:
    """`reference` copied by a municipality as `kommunens-skb`, deriving from it, with some weights of its own."""
    data = reference.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["id"] = "kommunens-skb"
    data["scoring"]["reference"] = reference.id
    for g in data["groups"]:
        g["weight"] = weights.get("group", {}).get(g["id"], g.get("weight", 1))
    for sec in data["sections"]:
        sec["weight"] = weights.get("section", {}).get(sec["id"], sec.get("weight", 1))
    return Checklist.model_validate(data)


def build(example: dict[str, Any]) -> Any:
    base = example.pop("base", None)
    if base is None:
        checklist = worked_checklist()
        data = {"format": "skb-assessment", "schema_version": 1, "metadata": {"title": "Exempel"},
                "checklist_ref": {"id": checklist.id, "version": checklist.version}}
        data.update(example)
        return parse_assessment(yaml.safe_dump(data, allow_unicode=True), "docs/scoring.md",
                                resolve=lambda cid, version: checklist)
    checklist = load_checklist(str(ROOT / "checklists" / f"{base['checklist']}.yaml"))
    if "weights" in base:
        checklist = own_copy(checklist, base["weights"])
    a = new_assessment(checklist, "Exempel")
    for alt in checklist.alternative_ids():
        value = base.get("zero", 0) if alt == "zero" else base["everyone"]
        for k in checklist.criteria():
            if k.type == AnswerType.IMPACT:
                a.set_answer(k.id, Answer(value=value), alt)
            elif k.type == AnswerType.GROUP_IMPACT:
                a.set_answer(k.id, Answer(value={g.id: value for g in checklist.groups_of(k)}), alt)
    for cid, value in (example.get("answers") or {}).items():
        a.set_answer(cid, Answer(**value))
    for alt, answers in (example.get("alternatives") or {}).items():
        for cid, value in answers.items():
            a.set_answer(cid, Answer(**value), alt)
    a.participation.extend(ParticipationRecord(**p) for p in example.get("participation") or [])
    return a


EXAMPLES = blocks()
RULES = ["large_loss", "worse_off_behind", "levelling_down", "provisional", "zero_better",
         "not_relevant_without_reason", "always_relevant", "participation_unanswered",
         "participation_expected_unknown", "participation_not_counted", "measure_needs", "judgement",
         "gap_against_zero", "like_with_like", "own_weights", "displacement"]


def test_every_rule_has_a_worked_example():
    assert sorted(EXAMPLES) == sorted(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_the_worked_example_reads_as_the_page_says(rule):
    example = yaml.safe_load(EXAMPLES[rule])
    says = example.pop("says")
    code = example.pop("finding", None)
    flag = example.pop("flag", None)
    weights_say = example.pop("weights_say", None)
    a = build(example)
    reference = a.checklist.scoring.reference
    r = score(a, reference=load_checklist(str(ROOT / "checklists" / f"{reference}.yaml")) if reference else None)
    for lang in ("sv", "en"):
        text = " ".join([headline_sentence(r, a.checklist, lang), equity_sentence(r, a.checklist, lang),
                         *findings_text(r, a.checklist, lang)])
        assert says[lang] in text, (lang, text)
        if weights_say is not None:
            assert own_weights_sentence(r, a.checklist, lang) == weights_say[lang]
    if code is not None:
        assert code in [f.code for f in r.findings]
    if flag is not None:
        assert any(f"{f.rule}: {f.detail}" == flag for f in r.flags), [f"{f.rule}: {f.detail}" for f in r.flags]
