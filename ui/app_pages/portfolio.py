"""Portfolio page (portfölj): every assessment together, filtered, aggregated, and the cumulative impact on one group.

All figures come from `assessment.portfolio.portfolio`, which rescores what
changed and aggregates in the database; this page only asks for the filters,
draws the tables and charts, and offers CSV and Excel downloads.
"""

import datetime as dt
import io

import altair as alt
import pandas as pd
import streamlit as st

from assessment.errors import SkbError
from assessment.model import Status
from assessment.portfolio import PortfolioFilters, choices, group_labels, portfolio, refresh_scores, to_xlsx
from ui.i18n import t
from ui.routes import WIZARD, go
from ui.session import lang, store

L = lang()
st.title(t(L, "page_portfolio"))
st.caption(t(L, "portfolio_intro"))

try:
    refresh_scores(store())  # rescore what changed since the last look, then read
    options = choices(store())
except SkbError as exc:
    st.error(str(exc))
    st.stop()

municipalities, areas, plan_types, groups = (options[k] for k in ("municipality", "area", "plan_type", "group"))
group_names = group_labels(store(), L)

with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    municipality = c1.selectbox(t(L, "municipality"), municipalities, index=None, key="pf_municipality",
                                placeholder=t(L, "all"))
    area = c2.selectbox(t(L, "areas_filter"), areas, index=None, key="pf_area", placeholder=t(L, "all"))
    group = c3.selectbox(t(L, "group_followed"), groups, index=None, key="pf_group", placeholder=t(L, "none_chosen"),
                         format_func=lambda g: group_names.get(g, g))
    c4, c5, c6, c7 = st.columns(4)
    plan_type = c4.selectbox(t(L, "plan_type"), plan_types, index=None, key="pf_plan_type", placeholder=t(L, "all"))
    status = c5.selectbox(t(L, "status"), [s.value for s in Status], index=None, key="pf_status",
                          placeholder=t(L, "all"), format_func=lambda s: t(L, "status_" + s))
    date_from = c6.date_input(t(L, "date_from"), value=None, key="pf_from", format="YYYY-MM-DD")
    date_to = c7.date_input(t(L, "date_to"), value=None, key="pf_to", format="YYYY-MM-DD")

filters = PortfolioFilters(municipality=municipality, area=area, plan_type=plan_type, status=status,
                           date_from=date_from, date_to=date_to, group=group)
result = portfolio(store(), filters, refresh=False)

if result.count == 0:
    st.info(t(L, "portfolio_empty"))
    st.stop()

m1, m2, m3 = st.columns(3)
m1.metric(t(L, "assessments"), result.count)
mean_overall = result.assessments["overall"].mean()
m2.metric(t(L, "mean_overall"), "–" if pd.isna(mean_overall) else f"{mean_overall:+.0f}")
if group:
    mean_group = result.cumulative["value"].mean() if not result.cumulative.empty else float("nan")
    m3.metric(t(L, "mean_group", group=result.label("group", group, L)),
              "–" if pd.isna(mean_group) else f"{mean_group:+.0f}")

SCALE = alt.Scale(domain=[-100, 100], scheme="redblue")


def bars(frame: pd.DataFrame, kind: str, title: str) -> None:
    if frame.empty or frame["mean"].isna().all():
        return
    data = frame.assign(name=[result.label(kind, k, L) for k in frame["key"]]).dropna(subset=["mean"])
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("mean:Q", scale=alt.Scale(domain=[-100, 100]), title=t(L, "mean_score")),
        y=alt.Y("name:N", sort=None, title=None),
        color=alt.Color("mean:Q", scale=SCALE, legend=None),
        tooltip=[alt.Tooltip("name:N", title=title), alt.Tooltip("mean:Q", format="+.0f", title=t(L, "mean_score")),
                 alt.Tooltip("rated:Q", title=t(L, "decisions")), alt.Tooltip("negative:Q", title=t(L, "negative"))],
    ).properties(height=max(120, 28 * len(data)))
    st.altair_chart(chart, width="stretch")


if group:
    name = result.label("group", group, L)
    st.subheader(t(L, "cumulative_for", group=name, where=area or municipality or t(L, "all").lower()))
    cum = result.cumulative
    if cum.empty:
        st.info(t(L, "group_not_rated", group=name))
    else:
        data = cum.assign(date=pd.to_datetime(cum["date"]))
        line = alt.Chart(data).mark_line(point=True).encode(
            x=alt.X("date:T", title=t(L, "date")),
            y=alt.Y("running_total:Q", title=t(L, "running_total")),
            tooltip=[alt.Tooltip("title:N", title=t(L, "title")), alt.Tooltip("value:Q", format="+.0f",
                                                                               title=t(L, "score_decision")),
                     alt.Tooltip("running_total:Q", format="+.0f", title=t(L, "running_total"))])
        st.altair_chart(line, width="stretch")
        st.caption(t(L, "cumulative_note"))
        bars(result.group_by_policy_area, "dimension", t(L, "policy_area"))

left, right = st.columns(2, gap="large")
with left:
    st.subheader(t(L, "by_policy_area"))
    bars(result.by_policy_area, "dimension", t(L, "policy_area"))
with right:
    st.subheader(t(L, "by_group"))
    bars(result.by_group, "group", t(L, "group"))

if not result.by_area.empty:
    st.subheader(t(L, "by_area"))
    st.dataframe(result.by_area.drop(columns=["key"]).rename(columns={
        "area": t(L, "areas_filter"), "mean": t(L, "mean_score"), "lowest": t(L, "lowest"),
        "highest": t(L, "highest"), "rated": t(L, "decisions"), "positive": t(L, "positive"),
        "negative": t(L, "negative")}), hide_index=True, width="stretch")

st.subheader(t(L, "assessments"))
shown = result.assessments.assign(status=[t(L, "status_" + s) for s in result.assessments["status"]])
event = st.dataframe(shown.drop(columns=["id"]), hide_index=True, width="stretch", key="pf_table",
                     on_select="rerun", selection_mode="single-row",
                     column_config={"overall": st.column_config.NumberColumn(t(L, "overall"), format="%+.0f"),
                                    "coverage": st.column_config.NumberColumn(t(L, "coverage"), format="percent"),
                                    "gap_change": st.column_config.NumberColumn(t(L, "gap_change"), format="%+.0f"),
                                    "group_score": st.column_config.NumberColumn(t(L, "group"), format="%+.0f")})
chosen = event.selection.rows if event is not None else []
if chosen:
    picked = result.assessments.iloc[chosen[0]]
    if st.button(t(L, "open_named", title=picked["title"]), key="pf_open", icon=":material/edit:"):
        go(WIZARD, str(picked["id"]))

stamp = dt.date.today().isoformat()
d1, d2 = st.columns(2)
d1.download_button(t(L, "download_csv"), data=result.assessments.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"skb-portfolj-{stamp}.csv", mime="text/csv", key="pf_csv", on_click="ignore",
                   icon=":material/download:")


def workbook() -> bytes:
    # Built only when asked for: a workbook of thousands of rows takes a moment.
    book = io.BytesIO()
    to_xlsx(result, book, lang=L)
    return book.getvalue()


d2.download_button(t(L, "download_xlsx"), data=workbook, file_name=f"skb-portfolj-{stamp}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="pf_xlsx",
                   on_click="ignore", icon=":material/table:")
