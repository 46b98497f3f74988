"""The scores as a plain-text table, in Swedish or English, for `skb score`.

It lays out a `Result` that `assessment.scoring.scoring` has computed: first the verdict
in words (`assessment.scoring.verdict_text`: the headline, the equity sentence and each
finding once), then one column per alternative and one for each difference, rows
for the overall score, the
sections, every framework item that has a score in some alternative (the others
are counted, not listed; --json has them all) and every group, then equity,
participation, the reasons (drivers), flags and knowledge gaps. Figures are the
ones the results page and the report show (`assessment.scoring.summary.fmt_figure`: whole
numbers, a real minus sign), and a difference column is the difference of the two
figures shown in its row, on −200…+200. It computes nothing itself, does no I/O
and must not import streamlit; the report has its own layout.
"""

from __future__ import annotations

from assessment.answers.model import Assessment
from assessment.catalogue import text
from assessment.checklist.checklist import Checklist, text_for
from assessment.scoring.results import AlternativeResult, Driver, Result, Score
from assessment.scoring.summary import figure, fmt_figure
from assessment.scoring.verdict_text import (equity_sentence, findings_text, headline_sentence, own_weights_sentence,
                                             worded_in)

__all__ = ["score_table"]

NONE = "–"


def _num(value: float | None) -> str:
    return fmt_figure(value, NONE)


def _diff(other: float | None, base: float | None) -> str:
    """A difference as the difference of the two figures shown, so that a row always adds up."""
    a, b = figure(other), figure(base)
    return NONE if a is None or b is None else fmt_figure(a - b, NONE)


class _Names:
    """Labels of checklist ids in one language."""

    def __init__(self, checklist: Checklist, lang: str) -> None:
        self.lang = lang
        self.criteria = {c.id: text_for(c.text, lang) for c in checklist.criteria()}
        self.sections = {s.id: text_for(s.title, lang) for s in checklist.sections}
        self.groups = {g.id: text_for(g.label, lang) for g in checklist.groups}
        self.alternatives = {a.id: text_for(a.label, lang) for a in checklist.alternatives}
        self.levels = {lv.id: text_for(lv.label, lang) for lad in checklist.ladders for lv in lad.levels}

    def alternative(self, alt: str | None) -> str:
        return "" if alt is None else self.alternatives.get(alt, alt)

    def criterion(self, cid: str) -> str:
        return _short(self.criteria.get(cid, cid))


def _short(words: str, width: int = 60) -> str:
    words = " ".join(words.split())
    return words if len(words) <= width else words[: width - 1] + "…"


def _score_cell(s: Score | None) -> str:
    if s is None:
        return NONE
    return _num(s.value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    widths[0] = min(widths[0], 48)

    def line(cells: list[str]) -> str:
        label = cells[0].lstrip()
        indent = cells[0][: len(cells[0]) - len(label)]
        first = (indent + _short(label, widths[0] - len(indent))).ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:]))]).rstrip()

    return [line(header), *(line(r) for r in rows)]


def _drivers(drivers: list[Driver], names: _Names) -> str:
    parts = []
    for d in drivers:
        who = names.criterion(d.criterion)
        if d.group is not None:
            who += f" ({names.groups.get(d.group, d.group)})"
        parts.append(f"{who} {d.effect:+.1f}")
    return "; ".join(parts) if parts else text(worded_in(names.lang), "score.none")


def score_table(assessment: Assessment, result: Result, lang: str = "sv") -> str:
    """The result as text a planner can read in a terminal, in `lang` (sv or en)."""
    checklist = assessment.checklist
    names = _Names(checklist, lang)
    alts = list(result.alternatives)
    out: list[str] = [assessment.metadata.title]
    out.append(f"{text(worded_in(lang), 'common.checklist')}: {text_for(checklist.title, lang)} ({checklist.id} {checklist.version})")
    if assessment.metadata.municipality:
        out.append(f"{text(worded_in(lang), 'score.municipality')}: {assessment.metadata.municipality}")
    if assessment.metadata.plan_type:
        out.append(f"{text(worded_in(lang), 'score.plan_type')}: "
                   f"{assessment.checklist.plan_type_label(assessment.metadata.plan_type, lang)}")
    out += ["", f"{text(worded_in(lang), 'common.verdict')}:", f"  {headline_sentence(result, checklist, lang)}",
            f"  {equity_sentence(result, checklist, lang)}"]
    for alt in alts:
        if alt != result.primary and alt in {d.other for d in result.differences}:
            out.append(f"  {headline_sentence(result, checklist, lang, alt)}")
    findings = findings_text(result, checklist, lang)
    out += ["", f"{text(worded_in(lang), 'score.findings')} ({len(findings)}):"]
    out += [f"  {line}" for line in findings] or [f"  {text(worded_in(lang), 'score.none')}"]
    own_weights = own_weights_sentence(result, checklist, lang)
    if own_weights:
        out += ["", f"  {own_weights}"]
    out.append("")

    header = [""] + [names.alternative(a) for a in alts]
    many = len(result.differences) > 1
    for d in result.differences:
        header.append(f"{names.alternative(d.other)} − {names.alternative(d.base)} (−200…+200)" if many
                      else text(worded_in(lang), "score.difference"))

    position = {a: i for i, a in enumerate(alts)}

    def row(label: str, scores: list[Score | None]) -> list[str]:
        values = [None if s is None else s.value for s in scores]
        diffs = [_diff(values[position[d.other]], values[position[d.base]])
                 if d.other in position and d.base in position else NONE for d in result.differences]
        return [label, *(_score_cell(s) for s in scores), *diffs]

    rows: list[list[str]] = []
    overall = [result.alternatives[a].overall for a in alts]
    rows.append(row(text(worded_in(lang), "common.overall"), overall))
    rows.append([f"  {text(worded_in(lang), 'score.coverage')}", *(f"{s.answered}/{s.applicable}" for s in overall),
                 *("" for _ in result.differences)])
    if any(s.group_unknown for s in overall):  # knowledge gaps inside criteria counted as answered
        rows.append([f"  {text(worded_in(lang), 'score.group_unknown')}", *(str(s.group_unknown) for s in overall),
                     *("" for _ in result.differences)])
    shares = [result.alternatives[a].low_certainty for a in alts]
    if any(v for v in shares):  # how much of the score rests on ratings the assessors are unsure of
        rows.append([f"  {text(worded_in(lang), 'score.low_certainty')}", *("–" if v is None else f"{round(100 * v)} %" for v in shares),
                     *("" for _ in result.differences)])
    rows.append([text(worded_in(lang), "common.sections"), *("" for _ in header[1:])])
    for sec in checklist.sections:
        if not any(sec.id in result.alternatives[a].sections for a in alts):
            continue
        rows.append(row("  " + names.sections[sec.id], [result.alternatives[a].sections.get(sec.id) for a in alts]))
    for fw in checklist.frameworks:
        rows.append([text_for(fw.title, lang), *("" for _ in header[1:])])
        left_out = 0
        for item in fw.items:
            cells = [result.alternatives[a].dimensions[fw.id][item.id] for a in alts]
            if all(c.value is None for c in cells):  # no rated question on it in any alternative
                left_out += 1
                continue
            rows.append(row("  " + text_for(item.title, lang), list(cells)))
        if left_out:
            rows.append(["  " + text(worded_in(lang), "score.left_out").format(n=left_out), *("" for _ in header[1:])])
    if checklist.rated_groups():
        rows.append([text(worded_in(lang), "score.groups"), *("" for _ in header[1:])])
        for g in checklist.rated_groups():  # a group kept for reporting only has no score
            rows.append(row("  " + names.groups[g.id], [result.alternatives[a].groups[g.id] for a in alts]))
    out += _table(header, rows)

    headline: AlternativeResult = result.headline
    eq = headline.equity
    out += ["", f"{text(worded_in(lang), 'common.equity')} ({names.alternative(result.primary)}):"]
    if eq.gap_change is not None:
        out.append(f"  {text(worded_in(lang), 'score.worse_off')} {_num(eq.worse_off)}, {text(worded_in(lang), 'score.population')} {_num(eq.population)}, "
                   f"{text(worded_in(lang), 'score.gap_change')} {_num(eq.gap_change)}")
    if eq.note is not None:
        out.append(f"  ! {text_for(eq.note, lang)}")

    p = result.participation
    if p.question is not None:
        level = names.levels.get(p.reached or "", p.reached or text(worded_in(lang), "score.not_answered"))
        verdict = "" if p.met is None else f" – {text(worded_in(lang), 'score.met' if p.met else 'score.not_met')}"
        out.append(f"{text(worded_in(lang), 'common.participation')}: {text(worded_in(lang), 'score.reached')} {level}, {text(worded_in(lang), 'score.expected')} "
                   f"{names.levels.get(p.expected or '', p.expected)}{verdict}")

    out += ["", f"{text(worded_in(lang), 'score.why')} ({names.alternative(result.primary)}):",
            f"  {text(worded_in(lang), 'score.up')}: {_drivers(headline.overall.up, names)}",
            f"  {text(worded_in(lang), 'score.down')}: {_drivers(headline.overall.down, names)}"]

    # the verdict's own flags are the findings above, stated once
    flags = [f for f in result.flags if f.kind != "verdict"]
    out += ["", f"{text(worded_in(lang), 'common.flags')} ({len(flags)}):"]
    for f in flags:
        where = ", ".join(x for x in (names.criterion(f.criterion) if f.criterion else "",
                                      names.groups.get(f.group or "", f.group or ""),
                                      names.alternative(f.alternative)) if x)
        out.append(f"  [{text(worded_in(lang), 'score.' + f.severity)}] {text_for(f.message, lang)}" + (f" – {where}" if where else ""))
    if not flags:
        out.append(f"  {text(worded_in(lang), 'score.none')}")

    out += ["", f"{text(worded_in(lang), 'common.gaps')} ({len(result.gaps)}):"]
    for g in result.gaps:
        extra = ", ".join(x for x in (names.groups.get(g.group or "", g.group or ""), names.alternative(g.alternative)) if x)
        out.append(f"  {names.criterion(g.criterion)}" + (f" ({extra})" if extra else ""))
    if not result.gaps:
        out.append(f"  {text(worded_in(lang), 'score.none')}")
    if result.hidden:
        out += ["", f"{text(worded_in(lang), 'score.hidden')}: " + ", ".join(names.criterion(c) for c in result.hidden)]
    if result.not_relevant:
        out.append(f"{text(worded_in(lang), 'score.not_relevant')}: " + ", ".join(names.criterion(c) for c in result.not_relevant))
    return "\n".join(out)
