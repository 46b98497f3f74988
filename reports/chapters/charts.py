"""The charts chapter: the policy areas per alternative, groups × policy areas, the alternatives side by side.

The drawings themselves are `reports.charts`; this chapter picks what to draw and its captions.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from assessment.results import Score

from ..charts import bar_chart, heatmap
from ..context import ReportContext, fmt_score
from ..layout import table
from ..markup import para
from ..styles import FRAME_WIDTH


def charts_chapter(ctx: ReportContext) -> list[Flowable]:
    r = ctx.result
    alts = ctx.alternatives()
    alt_names = [ctx.alt_label(a) for a in alts]
    out: list[Flowable] = [ctx.heading(ctx.t("charts_title"))]
    framework = ctx.policy_framework()
    if framework is not None:
        rows = [(ctx.text(item.title), [r.alternatives[a].dimensions.get(framework.id, {}).get(item.id, Score(
            value=None)).value for a in alts]) for item in framework.items]
        out.append(ctx.heading(ctx.t("chart_areas"), 1))
        if any(v is not None for _, vs in rows for v in vs):
            out.append(bar_chart(rows, alt_names, FRAME_WIDTH, ctx.t("not_rated")))
            out.append(Paragraph(para(ctx.t("chart_areas_caption")), ctx.st.muted))
        else:
            out.append(Paragraph(para(ctx.t("chart_no_data")), ctx.st.muted))
        groups = ctx.checklist.rated_groups()  # a group kept for reporting only has no row
        if groups:
            headline = r.headline
            grid = headline.group_dimensions.get(framework.id, {})
            values = [[grid.get(g.id, {}).get(item.id) for g in groups] for item in framework.items]
            out.append(ctx.heading(ctx.t("chart_heatmap", alternative=ctx.alt_label(headline.alternative)), 1))
            if any(v is not None for row in values for v in row):
                out.append(heatmap([ctx.text(i.title) for i in framework.items], [ctx.text(g.label) for g in groups],
                                   values, FRAME_WIDTH))
                out.append(Paragraph(para(ctx.t("chart_heatmap_caption")), ctx.st.muted))
            else:
                out.append(Paragraph(para(ctx.t("chart_no_data")), ctx.st.muted))
    sections = [s for s in ctx.checklist.sections if any(s.id in r.alternatives[a].sections for a in alts)]
    rows = [(ctx.t("chart_overall"), [r.alternatives[a].overall.value for a in alts])]
    rows += [(ctx.text(s.title), [r.alternatives[a].sections.get(s.id, Score(value=None)).value for a in alts])
             for s in sections]
    out.append(ctx.heading(ctx.t("chart_alternatives"), 1))
    if any(v is not None for _, vs in rows for v in vs):
        out.append(bar_chart(rows, alt_names, FRAME_WIDTH, ctx.t("not_rated")))
        out.append(Paragraph(para(ctx.t("chart_alternatives_caption")), ctx.st.muted))
    else:
        out.append(Paragraph(para(ctx.t("chart_no_data")), ctx.st.muted))
    summary = [ctx.cells([ctx.t("alternative"), ctx.t("score"), ctx.t("band"), ctx.t("coverage"),
                            ctx.t("equity_gap_change")], head=True)]
    for a in alts:
        o = r.alternatives[a].overall
        cov = f"{o.answered}/{o.applicable}"
        summary.append(ctx.cells([para(ctx.alt_label(a)), fmt_score(o.value), para(ctx.band(o)), cov,
                                    fmt_score(r.alternatives[a].equity.gap_change)]))
    out.append(Spacer(1, 6))
    out.append(KeepTogether([table(summary, [150, 50, 130, 60, FRAME_WIDTH - 390])]))
    return [*out, PageBreak()]
