"""Portfolio page (portfölj): every assessment together, filtered, aggregated, and the cumulative impact on one group.

All figures come from `assessment.workflow.portfolio.portfolio`, which rescores what
changed and aggregates in the database; this page only asks for the filters,
draws the tables and charts, and offers CSV and Excel downloads. In a shared
installation it counts only the organisations where the person holds a role
(`assessment.store.auth.visible_orgs`), as `skb portfolio --as` does.
"""

import datetime as dt
import io
import textwrap

import altair as alt
import pandas as pd
import streamlit as st

from assessment.store.auth import visible_orgs
from assessment.checklist.checklist import text_for
from assessment.errors import SkbError
from assessment.scoring.figures import fmt_figure
from assessment.answers.model import Status
from assessment.workflow.portfolio import (PortfolioFilters, choices, group_labels, portfolio, refresh_scores,
                                  to_xlsx)
from ui.i18n import t
from ui.routes import WIZARD, go
from ui.session import actor, lang, library, store
from ui.widgets import SIGNED_LABEL, date_field, md, plan_type_labels

L = lang()
st.title(t(L, "ui.page_portfolio"), anchor=False)
st.caption(t(L, "ui.portfolio_intro"))

try:
    refresh_scores(store())  # rescore what changed since the last look, then read
    mine = visible_orgs(store(), actor())  # None: every organisation (local mode, or a role in all)
    options = choices(store(), orgs=mine)
except SkbError as exc:
    st.error(exc.message(L))
    st.stop()

municipalities, areas, plan_types, groups = (options[k] for k in ("municipality", "area", "plan_type", "group"))
group_names = group_labels(store(), L)
plan_type_names = plan_type_labels(library()[0].values(), L)  # a plan type shown by its label, never its id
groups = sorted(groups, key=lambda g: group_names.get(g, g).casefold())  # as a reader looks for them: by name

with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    municipality = c1.selectbox(t(L, "common.municipality"), municipalities, index=None, key="pf_municipality",
                                placeholder=t(L, "ui.all"))
    area = c2.selectbox(t(L, "ui.areas_filter"), areas, index=None, key="pf_area", placeholder=t(L, "ui.all"))
    group = c3.selectbox(t(L, "ui.group_followed"), groups, index=None, key="pf_group", placeholder=t(L, "ui.none_chosen"),
                         format_func=lambda g: group_names.get(g, g))
    c4, c5, c6, c7 = st.columns(4)
    plan_type = c4.selectbox(t(L, "ui.plan_type"), plan_types, index=None, key="pf_plan_type", placeholder=t(L, "ui.all"),
                             format_func=lambda p: plan_type_names.get(p, p))
    status = c5.selectbox(t(L, "common.status"), [s.value for s in Status], index=None, key="pf_status",
                          placeholder=t(L, "ui.all"), format_func=lambda s: t(L, "common.status_" + s))
    date_from, _ = date_field(c6, t(L, "ui.date_from"), "pf_from", L)
    date_to, _ = date_field(c7, t(L, "ui.date_to"), "pf_to", L)

filters = PortfolioFilters(municipality=municipality, area=area, plan_type=plan_type, status=status,
                           date_from=date_from, date_to=date_to, group=group)
result = portfolio(store(), filters, refresh=False, orgs=mine)

if result.count == 0:
    st.info(t(L, "ui.portfolio_empty"))
    st.stop()

m1, m2, m3 = st.columns(3)
m1.metric(t(L, "ui.assessments"), result.count)
mean_overall = result.assessments["overall"].mean()
m2.metric(t(L, "ui.mean_overall"), "–" if pd.isna(mean_overall) else fmt_figure(mean_overall))
if group:
    mean_group = result.cumulative["value"].mean() if not result.cumulative.empty else float("nan")
    m3.metric(t(L, "ui.mean_group", group=md(result.label("group", group, L))),
              "–" if pd.isna(mean_group) else fmt_figure(mean_group))

SCALE = alt.Scale(domain=[-100, 100], scheme="redblue")
SCORE_AXIS = alt.Axis(values=[-100, -50, 0, 50, 100], labelExpr=SIGNED_LABEL)  # as on the results page
SCORE = "%+.0f"  # table cells stay numbers (they sort); a signed whole number, as the figures read


def wrapped(label: str, width: int = 48) -> str:
    """`label` in lines of about `width` characters, so a long group name is read whole beside its bar."""
    return "\n".join(textwrap.wrap(label, width)) or label


def policy_areas() -> dict[str, str]:
    """The policy areas by id with their names, in the checklists' own order: the eight target areas,
    from early life to health care, whether or not a stored assessment rated them."""
    checklists, _ = library()
    areas: dict[str, str] = {}
    for c in checklists.values():
        f = c.policy_framework()  # the framework the checklist marks `policy_areas: true`
        if f is not None:
            for i in f.items:
                areas.setdefault(i.id, text_for(i.title, L, c.default_language))
    return areas


def bars(frame: pd.DataFrame, kind: str, title: str, order: dict[str, str] | None = None) -> None:
    """One bar per row of `frame`, labelled in full; with `order` (id -> name), every id of it in that
    order, those no decision rated marked as having no data rather than left out."""
    known = order or {}

    def name(key: str) -> str:
        found = result.label(kind, key, L)
        return known.get(key, key) if found == key else found

    if order is not None:
        keys = list(order) + [k for k in frame["key"] if k not in order]
        frame = pd.DataFrame({"key": keys}).merge(frame.drop(columns=["framework"], errors="ignore"), on="key",
                                                  how="left")
    else:
        keys = sorted(frame["key"], key=lambda k: name(k).casefold())
    if frame.empty:
        return
    data = frame.assign(full=[name(k) for k in frame["key"]],
                        name=[wrapped(name(k)) for k in frame["key"]],
                        shown=[t(L, "ui.no_data") if pd.isna(m) else fmt_figure(m) for m in frame["mean"]],
                        rated=frame["rated"].fillna(0).astype(int))
    names = [wrapped(name(k)) for k in keys]
    lines = max(n.count("\n") + 1 for n in names)
    base = alt.Chart(data).encode(
        y=alt.Y("name:N", sort=names, title=None, axis=alt.Axis(
            labelLimit=360, labelOverlap=False, labelExpr="split(datum.label, '\\n')")),
        tooltip=[alt.Tooltip("full:N", title=title), alt.Tooltip("shown:N", title=t(L, "ui.mean_score")),
                 alt.Tooltip("rated:Q", title=t(L, "ui.decisions")), alt.Tooltip("negative:Q", title=t(L, "ui.negative"))])
    x = alt.X("mean:Q", scale=alt.Scale(domain=[-100, 100]), title=t(L, "ui.mean_score"), axis=SCORE_AXIS)
    bar = base.mark_bar().encode(x=x, color=alt.Color("mean:Q", scale=SCALE, legend=None))
    # The figure beside its bar (outside it), and "no data" from the middle where nothing was rated.
    up = base.transform_filter("datum.mean >= 0").mark_text(align="left", dx=4, fontSize=11).encode(
        x=x, text="shown:N")
    down = base.transform_filter("datum.mean < 0").mark_text(align="right", dx=-4, fontSize=11).encode(
        x=x, text="shown:N")
    empty = base.transform_filter("!isValid(datum.mean)").mark_text(
        align="left", dx=4, fontSize=11, fontStyle="italic", color="#6b7780").encode(
        x=alt.datum(0), text="shown:N")
    st.altair_chart((bar + up + down + empty).properties(height=alt.Step(24 if lines == 1 else 34)), width="stretch")


if group:
    name = result.label("group", group, L)
    st.subheader(t(L, "ui.cumulative_for", group=md(name), where=md(area or municipality or t(L, "ui.everywhere"))),
                 anchor=False)
    cum = result.cumulative
    if cum.empty:
        st.info(t(L, "ui.group_not_rated", group=name))
    else:
        data = cum.assign(date=pd.to_datetime(cum["date"]))
        line = alt.Chart(data).mark_line(point=True).encode(
            x=alt.X("date:T", title=t(L, "ui.date"), axis=alt.Axis(format="%Y-%m-%d", labelOverlap="greedy")),
            y=alt.Y("running_total:Q", title=t(L, "ui.running_total"), axis=alt.Axis(labelExpr=SIGNED_LABEL)),
            tooltip=[alt.Tooltip("title:N", title=t(L, "ui.title")), alt.Tooltip("value:Q", format="+.0f",
                                                                               title=t(L, "ui.score_decision")),
                     alt.Tooltip("running_total:Q", format="+.0f", title=t(L, "ui.running_total"))])
        st.altair_chart(line, width="stretch")
        st.caption(t(L, "ui.cumulative_note"))
        st.markdown(f"**{t(L, 'ui.group_by_policy_area', group=md(name))}**")
        bars(result.group_by_policy_area, "dimension", t(L, "ui.policy_area"), order=policy_areas())

st.subheader(t(L, "ui.by_policy_area"), anchor=False)
bars(result.by_policy_area, "dimension", t(L, "ui.policy_area"), order=policy_areas())
st.subheader(t(L, "ui.by_group"), anchor=False)
bars(result.by_group, "group", t(L, "common.group"))

if not result.by_area.empty:
    st.subheader(t(L, "ui.by_area"), anchor=False)
    st.dataframe(result.by_area.round({"mean": 0, "lowest": 0, "highest": 0}), hide_index=True, width="stretch",
                 key="pf_by_area",
                 column_order=["area", "mean", "lowest", "highest", "rated", "positive", "negative"],
                 column_config={
                     "area": st.column_config.TextColumn(t(L, "ui.areas_filter")),
                     "mean": st.column_config.NumberColumn(t(L, "ui.mean_score"), format=SCORE),
                     "lowest": st.column_config.NumberColumn(t(L, "ui.lowest"), format=SCORE),
                     "highest": st.column_config.NumberColumn(t(L, "ui.highest"), format=SCORE),
                     "rated": st.column_config.NumberColumn(t(L, "ui.decisions")),
                     "positive": st.column_config.NumberColumn(t(L, "ui.positive")),
                     "negative": st.column_config.NumberColumn(t(L, "ui.negative"))})

st.subheader(t(L, "ui.assessments"), anchor=False)
listing = result.assessments
# Rounded here, not only formatted: a score of -0.3 reads "+0", never "-0".
shown = listing.round({"overall": 0, "gap_change": 0, "group_score": 0}).assign(
    status=[t(L, "common.status_" + s) for s in listing["status"]],
    plan_type=[plan_type_names.get(p, p) for p in listing["plan_type"]], date=pd.to_datetime(listing["date"], errors="coerce"),
    coverage=(listing["coverage"] * 100).round())
# The scores next to the title, so they are read without scrolling sideways.
columns = {
    "title": st.column_config.TextColumn(t(L, "ui.title")),
    "date": st.column_config.DateColumn(t(L, "ui.date"), format="YYYY-MM-DD", help=t(L, "ui.date_help")),
    "status": st.column_config.TextColumn(t(L, "common.status")),
    "overall": st.column_config.NumberColumn(t(L, "common.overall"), format=SCORE),
    "gap_change": st.column_config.NumberColumn(t(L, "ui.gap_change"), format=SCORE, help=t(L, "ui.gap_change_help")),
}
if "group_score" in shown:
    columns["group_score"] = st.column_config.NumberColumn(result.label("group", group or "", L), format=SCORE)
columns |= {
    "coverage": st.column_config.ProgressColumn(t(L, "common.coverage"), min_value=0, max_value=100, format="%d %%"),
    "municipality": st.column_config.TextColumn(t(L, "common.municipality")),
    "areas": st.column_config.TextColumn(t(L, "ui.areas_filter")),
    "plan_type": st.column_config.TextColumn(t(L, "ui.plan_type_short")),
}
event = st.dataframe(shown, hide_index=True, width="stretch", key="pf_table", on_select="rerun",
                     selection_mode="single-row", column_order=list(columns), column_config=columns,
                     placeholder="–")
chosen = event.selection.rows if event is not None else []
if chosen:
    picked = listing.iloc[chosen[0]]
    if st.button(t(L, "ui.open_named", title=md(picked["title"])), key="pf_open", icon=":material/edit:"):
        go(WIZARD, str(picked["id"]))

stamp = dt.date.today().isoformat()
d1, d2 = st.columns(2)
d1.download_button(t(L, "ui.download_csv"), data=result.assessments.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"skb-portfolj-{stamp}.csv", mime="text/csv", key="pf_csv", on_click="ignore",
                   icon=":material/download:")


def workbook() -> bytes:
    # Built only when asked for: a workbook of thousands of rows takes a moment.
    book = io.BytesIO()
    to_xlsx(result, book, lang=L)
    return book.getvalue()


d2.download_button(t(L, "ui.download_xlsx"), data=workbook, file_name=f"skb-portfolj-{stamp}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="pf_xlsx",
                   on_click="ignore", icon=":material/table:")
