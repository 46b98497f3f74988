"""The appendices: the method (the checklist and its hash, the scoring in words, the coverage per alternative)
and what drives each score."""

from __future__ import annotations


from collections.abc import Sequence

from assessment.scoring.results import Driver, Score

from ..i18n import msg
from ..context import ReportContext, fmt_score
from ..toolkit.model import Block, Break, Para, Table
from ..toolkit.markup import para, shorten
from ..prose import fmt_number, mid_sentence
from ..toolkit.styles import FRAME_WIDTH


def method_appendix(ctx: ReportContext) -> list[Block]:
    c = ctx.checklist
    r = ctx.result
    out: list[Block] = [Break(), ctx.heading(msg(ctx.lang, "report.method_title")),
                           Para(msg(ctx.lang, "report.method_checklist", title=para(ctx.text(c.title)), id=para(r.checklist_id),
                                           version=para(r.checklist_version)), "body"),
                           Para(msg(ctx.lang, "report.method_hash", hash=para(r.checklist_hash)), "small"),
                           ctx.heading(msg(ctx.lang, "report.method_scoring"), 1),
                           Para(para(msg(ctx.lang, "report.method_scale")), "body"),
                           Para(para(msg(ctx.lang, f"report.method_{c.scoring.aggregation.value}")), "body")]
    if c.rated_groups():  # a group kept for reporting only weighs nothing
        weights = ", ".join(f"{mid_sentence(ctx.text(g.label))} ×{fmt_number(g.weight, ctx.lang)}"
                            for g in c.rated_groups())
        out.append(Para(para(msg(ctx.lang, "report.method_groups", weights=weights)), "body"))
    if c.scoring.bands:
        bands = "; ".join(msg(ctx.lang, "report.method_band_from", min=fmt_score(b.min), label=mid_sentence(ctx.text(b.label)))
                          for b in sorted(c.scoring.bands, key=lambda b: b.min))
        out.append(Para(para(msg(ctx.lang, "report.method_bands", bands=bands)), "body"))
    out.append(Para(para(msg(ctx.lang, "report.method_hidden", count=len(r.hidden), not_relevant=len(r.not_relevant))), "body"))
    out.append(ctx.heading(msg(ctx.lang, "report.method_coverage"), 1))
    rows = [ctx.cells([msg(ctx.lang, "common.alternative"), msg(ctx.lang, "report.method_answered"), msg(ctx.lang, "report.method_applicable"),
                         msg(ctx.lang, "report.method_unknown"), msg(ctx.lang, "common.coverage")], head=True)]
    for a in ctx.alternatives():
        o = r.alternatives[a].overall
        cov = f"{o.coverage * 100:.0f} %" if o.coverage is not None else msg(ctx.lang, "report.none")
        rows.append(ctx.cells([para(ctx.alt_label(a)), str(o.answered), str(o.applicable), str(o.unknown), cov]))
    out.append(Table(rows, [170, 75, 75, 75, FRAME_WIDTH - 395], row_heads=True))
    return out


def _driver_cell(ctx: ReportContext, drivers: Sequence[Driver]) -> str:
    """The criteria that move a score most (escaped): "3.2 Question … (−12); 4.1 … (−5)"; "–" when none."""
    shown = []
    for d in drivers[:2]:
        number = ctx.numbers.get(d.criterion, "")
        label = shorten(ctx.criterion_label(d.criterion), 70)
        who = f" – {ctx.group_words([d.group])}" if d.group else ""
        shown.append(para(f"{number} {label}{who}".strip()) + f" ({fmt_score(d.effect)})")
    return "<br/>".join(shown) or msg(ctx.lang, "report.none")


def drivers_appendix(ctx: ReportContext) -> list[Block]:
    """What drives each score: per alternative, the questions that raise and lower the overall score,
    each section's and each group's most (the result's drivers, with the points each moves)."""
    r = ctx.result
    out: list[Block] = [ctx.heading(msg(ctx.lang, "report.drivers_title")), Para(para(msg(ctx.lang, "report.drivers_intro")), "body")]
    for a in ctx.alternatives():
        x = r.alternatives[a]
        scores: list[tuple[str, Score]] = [(msg(ctx.lang, "common.overall_axis"), x.overall)]
        scores += [(ctx.section_label(sid), s) for sid, s in x.sections.items()]
        scores += [(ctx.group_label(gid), s) for gid, s in x.groups.items()]
        rows = [[para(msg(ctx.lang, "common.score")), para(msg(ctx.lang, "report.drivers_up")), para(msg(ctx.lang, "report.drivers_down"))]]
        for label, s in scores:
            if s.value is None or not (s.up or s.down):
                continue
            rows.append([f"{para(label)} ({fmt_score(s.value)})", _driver_cell(ctx, s.up), _driver_cell(ctx, s.down)])
        if len(rows) == 1:
            continue
        out.append(ctx.heading(ctx.alt_label(a), 1))
        out.append(Table(rows, [150, (FRAME_WIDTH - 150) / 2, (FRAME_WIDTH - 150) / 2], row_heads=True,
                         caption=f"{msg(ctx.lang, 'report.drivers_title')}: {ctx.alt_label(a)}"))
    return out
