"""Comparison (jämförelse): two assessments, or two alternatives of one, side by side.

A theme group compares cases between municipalities; a re-assessment after
implementation is compared with the adopted version it started from (before
and after); a proposal is compared with the zero alternative. `compare` scores
both sides (or takes their results) and lines their figures up: the overall
score, each section, each policy area (and other framework items), each
group, the equity gap, coverage, flags and knowledge gaps. Rows are matched on
ids; a row that only one side has shows the other as missing, never as zero.
Labels come from each side's own checklist snapshot, in the language asked
for. Plain data only: no I/O, no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assessment.answers.model import Assessment
from assessment.catalogue import text
from assessment.checklist.checklist import Checklist, text_for
from assessment.scoring.results import Result
from assessment.scoring.scoring import score
from assessment.scoring.verdict_text import worded_in

__all__ = ["Side", "Row", "Comparison", "compare"]

Block = Literal["overall", "section", "dimension", "group", "equity", "coverage", "counts"]


@dataclass(frozen=True)
class Side:
    """One side of the comparison: which assessment, which alternative, and how it is named."""

    assessment: Assessment
    alternative: str
    label: str  # e.g. "Parken vid Łódźgatan – Planförslag (version 4)"
    alternative_label: str
    result: Result


@dataclass(frozen=True)
class Row:
    block: Block
    key: str
    label: str
    a: float | None
    b: float | None
    framework: str = ""  # for block "dimension"

    @property
    def difference(self) -> float | None:
        """b minus a, where both have a value."""
        return None if self.a is None or self.b is None else self.b - self.a


@dataclass(frozen=True)
class Comparison:
    a: Side
    b: Side
    rows: tuple[Row, ...]
    verdicts: tuple[str, str]  # the equity verdict of each side: narrows, widens, unchanged, unknown
    lang: str
    # Each framework's title from either side's checklist, and the ids either marks `policy_areas: true`.
    framework_titles: dict[str, str] = field(default_factory=dict)
    policy: frozenset[str] = frozenset()

    def block(self, block: Block, framework: str | None = None) -> list[Row]:
        return [r for r in self.rows if r.block == block and (framework is None or r.framework == framework)]

    @property
    def frameworks(self) -> list[str]:
        return list(dict.fromkeys(r.framework for r in self.rows if r.block == "dimension"))


def _label(checklists: tuple[Checklist, Checklist], find: object, lang: str) -> str:
    for c in checklists:
        found = find(c)  # type: ignore[operator]
        if found is not None:
            return text_for(found, lang, c.default_language)
    return ""


def _alt_label(checklist: Checklist, alt: str, lang: str) -> str:
    for x in checklist.alternatives:
        if x.id == alt:
            return text_for(x.label, lang, checklist.default_language)
    return text(worded_in(lang), "score.plan_proposal") if alt == "proposal" else alt


def _side(a: Assessment, alternative: str | None, result: Result | None, lang: str, name: str | None) -> Side:
    r = result or score(a)
    alt = alternative or r.primary
    if alt not in r.alternatives:
        raise ValueError(f'"{a.metadata.title}" has no alternative "{alt}" (it has: {", ".join(r.alternatives)})')
    alt_label = _alt_label(a.checklist, alt, lang)
    return Side(a, alt, name or f"{a.metadata.title} – {alt_label}", alt_label, r)


def compare(a: Assessment, b: Assessment, lang: str = "sv", alt_a: str | None = None, alt_b: str | None = None,
            result_a: Result | None = None, result_b: Result | None = None, name_a: str | None = None,
            name_b: str | None = None) -> Comparison:
    """Line up the figures of `a` (alternative `alt_a`, default its proposal) and `b` (`alt_b`).

    For two alternatives of one assessment pass it twice: `compare(x, x, alt_a="zero")`."""
    ra = result_a if result_a is not None else score(a)
    rb = result_b if result_b is not None else (ra if b is a else score(b))
    left, right = _side(a, alt_a, ra, lang, name_a), _side(b, alt_b, rb, lang, name_b)
    xa, xb = ra.alternatives[left.alternative], rb.alternatives[right.alternative]
    both = (a.checklist, b.checklist)
    rows: list[Row] = [Row("overall", "overall", text(worded_in(lang), "common.compare_overall"), xa.overall.value,
                           xb.overall.value)]

    def keys(x: dict, y: dict) -> list[str]:
        return list(dict.fromkeys([*x, *y]))

    for sid in keys(xa.sections, xb.sections):
        label = _label(both, lambda c: next((s.title for s in c.sections if s.id == sid), None), lang) or sid
        rows.append(Row("section", sid, label, _value(xa.sections.get(sid)), _value(xb.sections.get(sid))))
    for fid in keys(xa.dimensions, xb.dimensions):
        da, db = xa.dimensions.get(fid, {}), xb.dimensions.get(fid, {})
        for iid in keys(da, db):
            label = _label(both, lambda c: next((i.title for f in c.frameworks if f.id == fid for i in f.items
                                                 if i.id == iid), None), lang) or iid
            rows.append(Row("dimension", iid, label, _value(da.get(iid)), _value(db.get(iid)), framework=fid))
    for gid in keys(xa.groups, xb.groups):
        label = _label(both, lambda c: next((g.label for g in c.groups if g.id == gid), None), lang) or gid
        rows.append(Row("group", gid, label, _value(xa.groups.get(gid)), _value(xb.groups.get(gid))))
    words = worded_in(lang)
    rows.append(Row("equity", "gap_change", text(words, "score.compare_gap_change"), xa.equity.gap_change,
                    xb.equity.gap_change))
    rows.append(Row("coverage", "coverage", text(words, "score.compare_coverage"),
                    _pct(xa.overall.coverage), _pct(xb.overall.coverage)))
    rows.append(Row("counts", "unknown", text(words, "score.compare_unknown"),
                    float(xa.overall.unknown), float(xb.overall.unknown)))
    rows.append(Row("counts", "flags", text(words, "common.flags"),
                    float(sum(1 for f in ra.flags if f.alternative in (None, left.alternative))),
                    float(sum(1 for f in rb.flags if f.alternative in (None, right.alternative)))))
    titles = {f.id: text_for(f.title, lang, c.default_language) for c in reversed(both) for f in c.frameworks}
    policy = frozenset(f.id for c in both if (f := c.policy_framework()) is not None)
    return Comparison(left, right, tuple(rows), (xa.equity.verdict, xb.equity.verdict), lang, titles, policy)


def _value(s: object) -> float | None:
    return getattr(s, "value", None)


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100
