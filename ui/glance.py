"""The one-glance figure on the results page: the report's decision-page figure, drawn in Streamlit.

Each policy area (the framework the checklist marks `policy_areas: true`) and each worse-off group, for
each alternative, on one diverging scale from −100 (red) to +100 (blue); a cell nobody rated is grey with
a dash, never 0. The data is `assessment.scoring.glance.glance`, the same the PDF and the HTML twin draw, so the
three cannot disagree; the figures are `fmt_figure`'s. Under the chart: its text alternative and its
data as a table (for a screen reader, and for anyone who reads figures better than colours).
Altair ships with Streamlit: nothing is fetched from a CDN.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from assessment.checklist.checklist import Checklist
from assessment.scoring.glance import Glance, glance
from assessment.scoring.results import Result
from assessment.scoring.summary import fmt_figure
from reports.i18n import msg
from reports.prose import join_words, mid_sentence

__all__ = ["glance_frame", "show_glance"]

CELL_WIDTH = 120  # px per alternative: room for "Nollalternativ" and a figure


def glance_frame(g: Glance, lang: str, alternative_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per cell: block, row label (short), full label, alternative, value (None: not rated), figure shown."""
    names = alternative_labels or {}
    block = {"area": g.framework_title, "group": msg(lang, "report.glance_groups")}
    rows = []
    for r in g.rows:
        for alt_id, alt_label, value in zip(g.alternatives, g.alternative_labels, r.values):
            rows.append({"block": block[r.kind], "row": r.short, "label": r.label,
                         "alternative": names.get(alt_id, alt_label), "value": value,
                         "shown": fmt_figure(value) if value is not None else "–"})
    return pd.DataFrame(rows, columns=["block", "row", "label", "alternative", "value", "shown"])


def show_glance(checklist: Checklist, result: Result, lang: str,
                alternative_labels: dict[str, str] | None = None, figure: Glance | None = None) -> None:
    """Draw the one-glance figure of `result` (`figure`, when the caller has made it already) with its text
    alternative and its data table.

    Draws nothing (and says so) when nothing in it is rated."""
    g = figure if figure is not None else glance(checklist, result, lang)
    st.markdown(f"**{msg(lang, 'report.glance_title')}**")
    if not g.rated:
        st.caption(msg(lang, "report.chart_no_data"))
        return
    frame = glance_frame(g, lang, alternative_labels)
    alts = list(dict.fromkeys(frame["alternative"]))
    colour = alt.Scale(domain=[-100, 100], scheme="redblue")
    legend = alt.Legend(title=f"−100 {msg(lang, 'report.glance_negative')} … +100 {msg(lang, 'report.glance_positive')}",
                        orient="bottom")
    charts = []
    for i, (title, part) in enumerate(frame.groupby("block", sort=False)):
        order = list(dict.fromkeys(part["row"]))
        base = alt.Chart(part, title=alt.TitleParams(title, anchor="start", fontSize=13)).encode(
            x=alt.X("alternative:N", sort=alts, title=None,
                    axis=alt.Axis(orient="top", labelAngle=0, labelLimit=160) if i == 0 else None),
            y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
            tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("alternative:N", title=""),
                     alt.Tooltip("shown:N", title="")],
        )
        rated = base.transform_filter("datum.value !== null").mark_rect().encode(
            color=alt.Color("value:Q", scale=colour, legend=legend))
        unrated = base.transform_filter("datum.value === null").mark_rect(color="#e5e7eb", aria=False)  # not rated: grey, "–" (read from the text layer)
        text = base.mark_text(fontSize=12).encode(
            text="shown:N",
            color=alt.condition("datum.value !== null && (datum.value > 55 || datum.value < -55)",
                                alt.value("white"), alt.value("#1f2328")))
        # a fixed cell width: a concatenated chart stretched to the page crops its last column
        charts.append((rated + unrated + text).properties(height=24 * len(order), width=alt.Step(CELL_WIDTH)))
    st.altair_chart(alt.vconcat(*charts).resolve_scale(color="shared"), width="content")
    names = [mid_sentence(a) for a in alts]
    st.caption(msg(lang, "report.glance_alt", alternatives=join_words(names, lang)))
    with st.expander(msg(lang, "report.glance_title")):
        table = frame.pivot_table(index=["block", "label"], columns="alternative", values="shown",
                                  aggfunc="first", sort=False).reindex(columns=alts)
        table.index.names = ["", ""]
        st.dataframe(table, width="stretch")
