"""The worked example of docs/scoring.md, reproduced to the decimal.

The checklist and the answers are read from the page itself, so the page and the
code cannot drift apart: change the formulas and this test names the number that moved.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assessment.answers.model import parse_assessment
from assessment.scoring.scoring import AVERAGE_HIDES_GAP_RULE, score
from assessment.checklist.validate import parse_checklist

DOC = Path(__file__).resolve().parent.parent / "docs" / "scoring.md"


def block(marker: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"```yaml\n# " + re.escape(marker) + r"\n(.*?)```", text, re.S)
    assert match, f"docs/scoring.md has no yaml block starting with '# {marker}'"
    return match.group(1)


@pytest.fixture(scope="module")
def result():
    checklist, problems = parse_checklist(block("worked example: checklist"), "docs/scoring.md")
    assert checklist is not None, problems
    data = {"format": "skb-assessment", "schema_version": 1, "metadata": {"title": "Räkneexempel"},
            "checklist_ref": {"id": checklist.id, "version": checklist.version}}
    data.update(yaml.safe_load(block("worked example: answers")))
    a = parse_assessment(yaml.safe_dump(data, allow_unicode=True), "docs/scoring.md",
                         resolve=lambda cid, version: checklist)
    return score(a)


def r3(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def test_normalized_ratings(result):
    noll, forslag = result.alternatives["noll"], result.alternatives["forslag"]
    assert {c: r3(s.value) for c, s in noll.criteria.items()} == {
        "bostader": 0.0, "gronska": 0.0, "lek": 0.0, "trygghet": -37.5}
    assert {c: r3(s.value) for c, s in forslag.criteria.items()} == {
        "bostader": 100.0, "gronska": -50.0, "lek": 66.667, "trygghet": -16.667}


def test_sections_and_overall(result):
    noll, forslag = result.alternatives["noll"], result.alternatives["forslag"]
    assert {s: r3(v.value) for s, v in noll.sections.items()} == {"boende": 0.0, "barnmiljo": -18.75}
    assert {s: r3(v.value) for s, v in forslag.sections.items()} == {"boende": 50.0, "barnmiljo": 25.0}
    assert r3(noll.overall.value) == -6.25
    assert r3(forslag.overall.value) == 41.667
    o = forslag.overall
    assert (o.answered, o.applicable, o.unknown, o.coverage) == (4, 4, 0, 1.0)


def test_drivers_add_up_to_the_overall_score(result):
    o = result.headline.overall
    assert [(d.criterion, r3(d.effect)) for d in o.up] == [("bostader", 44.444), ("lek", 11.111)]
    assert [(d.criterion, r3(d.effect)) for d in o.down] == [("gronska", -11.111), ("trygghet", -2.778)]
    assert sum(d.effect for d in o.up + o.down) == pytest.approx(o.value)


def test_policy_areas(result):
    noll = result.alternatives["noll"].dimensions["policy_area"]
    forslag = result.alternatives["forslag"].dimensions["policy_area"]
    assert {i: r3(s.value) for i, s in noll.items()} == {"early_life": -12.5, "housing": 0.0, "influence": None}
    assert {i: r3(s.value) for i, s in forslag.items()} == {"early_life": 0.0, "housing": 50.0, "influence": None}


def test_groups_and_equity(result):
    noll, forslag = result.alternatives["noll"], result.alternatives["forslag"]
    assert {g: r3(s.value) for g, s in noll.groups.items()} == {"barn": -25.0, "aldre": -50.0, "alla": 0.0}
    assert {g: r3(s.value) for g, s in forslag.groups.items()} == {"barn": 0.0, "aldre": None, "alla": 75.0}
    assert (r3(noll.equity.worse_off), r3(noll.equity.population), r3(noll.equity.gap_change)) == (-33.333, 0.0,
                                                                                                   -33.333)
    assert noll.equity.verdict == "widens" and not noll.equity.average_hides_gap
    assert (r3(forslag.equity.worse_off), r3(forslag.equity.population), r3(forslag.equity.gap_change)) == (0.0, 75.0,
                                                                                                          -75.0)
    assert forslag.equity.verdict == "widens" and forslag.equity.average_hides_gap


def test_difference_from_the_zero_alternative(result):
    [d] = result.differences
    assert (d.base, d.other) == ("noll", "forslag")
    assert r3(d.overall) == 47.917
    assert {s: r3(v) for s, v in d.sections.items()} == {"boende": 50.0, "barnmiljo": 43.75}
    assert {i: r3(v) for i, v in d.dimensions["policy_area"].items()} == {"early_life": 12.5, "housing": 50.0,
                                                                          "influence": None}
    assert {g: r3(v) for g, v in d.groups.items()} == {"barn": 25.0, "aldre": None, "alla": 75.0}
    assert r3(d.gap_change) == -41.667


def test_flags_and_gaps(result):
    assert [(f.rule, f.criterion, f.alternative) for f in result.flags] == [
        ("utan_atgard", "gronska", "forslag"),
        ("klyfta", None, "forslag"),
        (AVERAGE_HIDES_GAP_RULE, None, "forslag"),
    ]
    assert [(g.criterion, g.group, g.alternative) for g in result.gaps] == [("trygghet", "aldre", "forslag")]


def test_the_page_states_the_numbers_the_code_gives():
    text = DOC.read_text(encoding="utf-8")
    for figure in ("66.667", "−16.667", "−37.5", "−18.75", "41.667", "−6.25", "+44.444", "−2.778",
                   "−12.5", "−33.333", "−75.0", "+47.917", "+43.75", "−41.667"):
        assert figure in text, figure
