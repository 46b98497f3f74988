"""The one-glance figure's data: each target area and each worse-off group, for each alternative.

The decision page of the report, its HTML twin and the results page draw the same figure from
this one function, so that none of them works out a figure by itself. A row is a policy area
(from the framework the checklist marks `policy_areas: true`) or a worse-off group; a cell is
that row's score (−100…+100) in one alternative, straight from the scoring result, or None when
nothing was rated there, which is not 0. Shown figures go through `assessment.scoring.figures.fmt_figure`
like every other score. Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assessment.catalogue import text
from assessment.checklist.checklist import Checklist, text_for
from assessment.scoring.results import Result
from assessment.scoring.verdict_text import worded_in

__all__ = ["Glance", "GlanceRow", "glance"]


@dataclass(frozen=True)
class GlanceRow:
    kind: Literal["area", "group"]
    id: str
    label: str  # the full label in the chosen language
    short: str  # the checklist's `short` label, else the full label
    values: tuple[float | None, ...]  # one per alternative of `Glance.alternatives`; None = not rated


@dataclass(frozen=True)
class Glance:
    alternatives: tuple[str, ...]  # alternative ids, in the checklist's order
    alternative_labels: tuple[str, ...]
    framework: str | None  # the policy-area framework's id, None when the checklist marks none
    framework_title: str
    rows: tuple[GlanceRow, ...]  # the areas first, then the worse-off groups

    @property
    def areas(self) -> tuple[GlanceRow, ...]:
        return tuple(r for r in self.rows if r.kind == "area")

    @property
    def groups(self) -> tuple[GlanceRow, ...]:
        return tuple(r for r in self.rows if r.kind == "group")

    @property
    def rated(self) -> bool:
        """Whether any cell has a value: a figure with none is not drawn."""
        return any(v is not None for r in self.rows for v in r.values)


def _alt_label(checklist: Checklist, alt: str, lang: str) -> str:
    for a in checklist.alternatives:
        if a.id == alt:
            return text_for(a.label, lang, checklist.default_language)
    return text(worded_in(lang), "common.proposal") if alt == "proposal" else alt


def glance(checklist: Checklist, result: Result, lang: str = "sv") -> Glance:
    """The figure's rows and values for `result` of an assessment made with `checklist`."""
    alts = tuple(a for a in checklist.alternative_ids() if a in result.alternatives) or tuple(result.alternatives)

    def text(value: object) -> str:
        return text_for(value, lang, checklist.default_language)

    rows: list[GlanceRow] = []
    framework = checklist.policy_framework()
    if framework is not None:
        for item in framework.items:
            values = []
            for a in alts:
                s = result.alternatives[a].dimensions.get(framework.id, {}).get(item.id)
                values.append(s.value if s is not None else None)
            rows.append(GlanceRow("area", item.id, text(item.title), text(item.short or item.title), tuple(values)))
    for g in checklist.groups:
        if not g.worse_off:
            continue
        values = []
        for a in alts:
            s = result.alternatives[a].groups.get(g.id)
            values.append(s.value if s is not None else None)
        rows.append(GlanceRow("group", g.id, text(g.label), text(g.short or g.label), tuple(values)))
    return Glance(alts, tuple(_alt_label(checklist, a, lang) for a in alts),
                  framework.id if framework is not None else None,
                  text(framework.title) if framework is not None else "", tuple(rows))
