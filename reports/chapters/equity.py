"""The equity chapter: the worse-off groups against the population, whether the gap narrows, each group's score."""

from __future__ import annotations


from assessment.scoring.summary import standings

from ..i18n import msg
from ..context import ReportContext, fmt_score
from ..toolkit.model import Block, Break, Para, Space, Table
from ..toolkit.markup import para
from ..prose import fmt_number
from ..toolkit.styles import FRAME_WIDTH


def equity_chapter(ctx: ReportContext) -> list[Block]:
    r = ctx.result
    alts = ctx.alternatives()
    out: list[Block] = [Break(), ctx.heading(msg(ctx.lang, "report.equity_title")),
                           Para(para(msg(ctx.lang, "report.equity_intro")), "body")]
    col = (FRAME_WIDTH - 170) / max(1, len(alts))
    rows = [ctx.cells(["", *[para(ctx.alt_label(a)) for a in alts]], head=True)]
    eqs = [r.alternatives[a].equity for a in alts]
    rows.append(ctx.cells([msg(ctx.lang, "report.equity_population"), *[fmt_score(e.population) for e in eqs]]))
    rows.append(ctx.cells([msg(ctx.lang, "report.equity_worse_off"), *[fmt_score(e.worse_off) for e in eqs]]))
    rows.append(ctx.cells([msg(ctx.lang, "report.equity_gap_change"), *[fmt_score(e.gap_change) for e in eqs]]))
    # Who gains and who loses by the figures shown, as on the summary page: a group shown as 0 is neither.
    split = [standings(r.alternatives[a].groups) for a in alts]
    rows.append(ctx.cells([msg(ctx.lang, "report.equity_gainers"),
                             *[ctx.group_cell([x.group for x in g]) or msg(ctx.lang, "report.none") for g, _, _ in split]]))
    rows.append(ctx.cells([msg(ctx.lang, "report.equity_losers"),
                             *[ctx.group_cell([x.group for x in lo]) or msg(ctx.lang, "report.none") for _, lo, _ in split]]))
    out.append(Table(rows, [170, *[col] * len(alts)], row_heads=True))
    out.append(Space(6))
    for a, e in zip(alts, eqs):
        out.append(Para(f"<b>{para(ctx.alt_label(a))}:</b> {ctx.verdict(a)}", "body"))
    groups = ctx.checklist.rated_groups()  # a group kept for reporting only has no row
    if groups:
        out.append(ctx.heading(msg(ctx.lang, "report.equity_groups"), 1))
        rows = [ctx.cells([msg(ctx.lang, "common.group"), *[para(ctx.alt_label(a)) for a in alts]], head=True)]
        for g in groups:
            marks = []
            if g.worse_off:
                marks.append("↓")
            if g.population:
                marks.append("=")
            marks.append(f"×{fmt_number(g.weight, ctx.lang)}")
            label = para(ctx.text(g.label)) + f" <font color='#5a6270'>({', '.join(marks)})</font>"
            cells = [label]
            for a in alts:
                s = r.alternatives[a].groups.get(g.id)
                cells.append(ctx.score_words(s))
            rows.append(ctx.cells(cells))
        out.append(Table(rows, [170, *[col] * len(alts)], row_heads=True))
        out += [Space(3), Para(para(msg(ctx.lang, "report.equity_groups_caption")), "muted")]
    return out
