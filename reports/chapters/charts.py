"""The charts chapter: every framework the checklist declares, per alternative; groups × the policy areas;
the alternatives side by side.

Each framework gets its own chart under its own title from the checklist (the policy areas first,
by the checklist's mark `policy_areas: true`). A chart with nothing rated is not drawn and gets no
heading: it is named once, in a line, as having nothing to show. Each chart is a `Figure` with its
text alternative and its data as a table, which the HTML prints under the image. The drawings
themselves are `reports.toolkit.charts`.
"""

from __future__ import annotations

from collections.abc import Sequence

from assessment.checklist.checklist import Framework
from assessment.scoring.results import Score

from ..toolkit.charts import bar_chart, heatmap
from ..i18n import msg
from ..context import ReportContext, fmt_score
from ..toolkit.markup import para
from ..toolkit.model import Block, Break, Figure, Keep, Para, Space, Table
from ..prose import join_words, mid_sentence
from ..toolkit.styles import FRAME_WIDTH


def value_cell(ctx: ReportContext, value: float | None) -> str:
    """A figure for a data table: the one shown everywhere, or "ej bedömt" (never 0) when nothing was rated."""
    return fmt_score(value) if value is not None else para(msg(ctx.lang, "report.not_rated"))


def data_table(ctx: ReportContext, caption: str, corner: str, columns: Sequence[str],
               rows: Sequence[tuple[str, Sequence[float | None]]]) -> Table:
    """A chart's figures as a table (plain labels in, escaped cells out): one row per bar group or heatmap row."""
    col = (FRAME_WIDTH - 170) / max(1, len(columns))
    return Table([[para(corner), *[para(c) for c in columns]],
                  *[[para(label), *[value_cell(ctx, v) for v in values]] for label, values in rows]],
                 [170, *[col] * len(columns)], row_heads=True, caption=caption)


def bar_figure(ctx: ReportContext, title: str, rows: list[tuple[str, str, list[float | None]]],
               alt_names: list[str], caption: str) -> Figure:
    """Bars per alternative. `rows`: (short label for the chart, full label for the table, values)."""
    chart_rows = [(short, values) for short, _, values in rows]
    alt = msg(ctx.lang, "report.chart_bars_alt", what=title, alternatives=join_words([mid_sentence(a) for a in alt_names], ctx.lang))
    return Figure(lambda: bar_chart(chart_rows, alt_names, FRAME_WIDTH, msg(ctx.lang, "report.not_rated")), alt,
                  data_table(ctx, title, msg(ctx.lang, "report.chart_item"), alt_names, [(full, v) for _, full, v in rows]),
                  para(caption))


def _rated(rows: Sequence[tuple[str, str, Sequence[float | None]]]) -> bool:
    return any(v is not None for _, _, vs in rows for v in vs)


def ordered_frameworks(ctx: ReportContext) -> list[Framework]:
    """The checklist's frameworks, the policy areas first."""
    policy = ctx.policy_framework()
    return sorted(ctx.checklist.frameworks, key=lambda f: policy is None or f.id != policy.id)


def charts_chapter(ctx: ReportContext) -> list[Block]:
    r = ctx.result
    alts = ctx.alternatives()
    alt_names = [ctx.alt_label(a) for a in alts]
    out: list[Block] = [ctx.heading(msg(ctx.lang, "report.charts_title"))]
    empty: list[str] = []
    for framework in ordered_frameworks(ctx):
        title = ctx.text(framework.title)
        rows = [(ctx.short(item), ctx.text(item.title),
                 [r.alternatives[a].dimensions.get(framework.id, {}).get(item.id, Score(value=None)).value
                  for a in alts]) for item in framework.items]
        if not _rated(rows):
            empty.append(title)
            continue
        # The heading stays with its chart: a figure is never split from its title by a page.
        out.append(Keep([ctx.heading(msg(ctx.lang, "report.chart_framework", framework=title), 1),
                         bar_figure(ctx, title, rows, alt_names, msg(ctx.lang, "report.chart_areas_caption"))]))
    policy = ctx.policy_framework()
    groups = ctx.checklist.rated_groups()  # a group kept for reporting only has no row
    if policy is not None and groups:
        headline = r.headline
        grid = headline.group_dimensions.get(policy.id, {})
        values = [[grid.get(g.id, {}).get(item.id) for g in groups] for item in policy.items]
        if any(v is not None for row in values for v in row):
            title = ctx.text(policy.title)
            alt_name = mid_sentence(ctx.alt_label(headline.alternative))
            heading = msg(ctx.lang, "report.chart_heatmap", framework=title, alternative=alt_name)
            short_rows = [ctx.short(i) for i in policy.items]
            short_cols = [ctx.short(g) for g in groups]
            # The data table turned: one row per group, so a long group name has room to be read whole.
            table = data_table(ctx, heading, msg(ctx.lang, "common.group"), [ctx.text(i.title) for i in policy.items],
                               [(ctx.text(g.label), [values[i][j] for i in range(len(policy.items))])
                                for j, g in enumerate(groups)])
            out.append(Keep([ctx.heading(heading, 1), Figure(lambda: heatmap(short_rows, short_cols, values, FRAME_WIDTH),
                              msg(ctx.lang, "report.chart_heatmap_alt", framework=mid_sentence(title), alternative=alt_name),
                              table, para(msg(ctx.lang, "report.chart_heatmap_caption")))]))
    sections = [s for s in ctx.checklist.sections if any(s.id in r.alternatives[a].sections for a in alts)]
    rows = [(msg(ctx.lang, "common.overall_axis"), msg(ctx.lang, "common.overall_axis"), [r.alternatives[a].overall.value for a in alts])]
    rows += [(ctx.short(s), ctx.text(s.title), [r.alternatives[a].sections.get(s.id, Score(value=None)).value
                                                 for a in alts]) for s in sections]
    if _rated(rows):
        out.append(Keep([ctx.heading(msg(ctx.lang, "report.chart_alternatives"), 1),
                         bar_figure(ctx, msg(ctx.lang, "report.chart_alternatives"), rows, alt_names,
                                    msg(ctx.lang, "report.chart_alternatives_caption"))]))
    if empty:
        out.append(Para(para(msg(ctx.lang, "report.chart_not_drawn", frameworks=join_words(empty, ctx.lang))), "muted"))
    summary = [ctx.cells([msg(ctx.lang, "common.alternative"), msg(ctx.lang, "common.score"), msg(ctx.lang, "report.band"), msg(ctx.lang, "common.coverage"),
                          msg(ctx.lang, "report.equity_gap_change")], head=True)]
    for a in alts:
        o = r.alternatives[a].overall
        cov = f"{o.answered}/{o.applicable}"
        summary.append(ctx.cells([para(ctx.alt_label(a)), fmt_score(o.value), para(ctx.band(o)), cov,
                                  fmt_score(r.alternatives[a].equity.gap_change)]))
    out.append(Space(6))
    out.append(Keep([Table(summary, [150, 50, 130, 60, FRAME_WIDTH - 390], row_heads=True)]))
    return [*out, Break()]
