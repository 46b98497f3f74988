"""Comparison page (jämförelse): two assessments, or two alternatives of one, side by side, with the PDF appendix.

The URL may name the sides (`a`, `b`, and the versions `ra`, `rb`), as the
follow-up page does for before and after a re-assessment; otherwise the open
assessment is side A. Figures come from `assessment.scoring.compare`, the PDF from
`reports.compare`.
"""

import io

import pandas as pd
import streamlit as st

from assessment.store.auth import Action
from assessment.checklist.checklist import text_for
from assessment.scoring.compare import compare
from assessment.errors import SkbError
from reports.compare import render_comparison
from ui.i18n import t
from ui.session import ID_PATTERN, allowed, checklist_note, current, lang, store
from ui.widgets import md

L = lang()
st.title(t(L, "ui.page_compare"), anchor=False)
st.caption(t(L, "ui.compare_intro"))

try:
    summaries = [s for s in store().list() if allowed(Action.READ, s.municipality)]
except SkbError as exc:
    st.error(exc.message(L))
    st.stop()
if not summaries:
    st.info(t(L, "ui.no_assessments"))
    st.stop()
titles = {s.id: f"{s.title}" + (f" ({s.municipality})" if s.municipality else "") for s in summaries}
ids = list(titles)


def _from_url(name: str) -> str | None:
    raw = st.query_params.get(name)
    return raw if raw and ID_PATTERN.fullmatch(raw) and raw in titles else None


def _revision(name: str) -> int | None:
    raw = st.query_params.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else None


# A link that names what is not there says so, and the page shows what it can instead of stopping.
for side, param, rev_param in (("A", "a", "ra"), ("B", "b", "rb")):
    if st.query_params.get(param) and _from_url(param) is None:
        st.warning(t(L, "ui.compare_unknown", side=side, id=md(st.query_params.get(param, "")[:64])),
                   icon=":material/link_off:")
    if st.query_params.get(rev_param) and _revision(rev_param) is None:
        st.warning(t(L, "ui.compare_bad_version", side=side, rev=md(st.query_params.get(rev_param, "")[:20])),
                   icon=":material/link_off:")

open_doc = current()
default_a = _from_url("a") or (open_doc.assessment.id if open_doc and open_doc.assessment.id in titles else ids[0])
default_b = _from_url("b") or default_a


def _side(column, label: str, default: str, rev_param: str, key: str):  # type: ignore[no-untyped-def]
    with column:
        st.markdown(f"**{label}**")
        chosen = st.selectbox(t(L, "ui.assessment"), ids, index=ids.index(default), key=f"cmp_{key}",
                              format_func=lambda i: titles[i])
        revision = _revision(rev_param) if chosen == (_from_url(key) or "") else None
        a, missing = None, None
        if revision:
            try:
                a = store().version(chosen, revision)
            except SkbError:
                missing = revision
                revision = None
        if a is None:
            try:
                a = store().load(chosen).assessment
            except SkbError as exc:
                st.error(exc.message(L))
                st.stop()
        alts = {x.id: text_for(x.label, L) for x in a.checklist.alternatives} or {"proposal": t(L, "common.proposal")}
        alt_ids = list(alts)
        # One assessment on both sides: its first alternative (the zero alternative) against its proposal.
        first = key == "a" and chosen == default_b and not revision and len(alt_ids) > 1
        alt = st.selectbox(t(L, "common.alternative"), alt_ids, index=0 if first else len(alt_ids) - 1,
                           key=f"cmp_alt_{key}_{chosen}", format_func=lambda x: alts[x])
        if note := checklist_note(a.checklist, L):
            st.caption(md(note))
        if revision:
            st.caption(t(L, "ui.on_version", rev=revision))
        if missing:
            st.warning(t(L, "ui.compare_no_version", rev=missing), icon=":material/history:")
        return a, alt


col_a, col_b = st.columns(2, gap="large")
a, alt_a = _side(col_a, "A", default_a, "ra", "a")
b, alt_b = _side(col_b, "B", default_b, "rb", "b")
if a.id == b.id and alt_a == alt_b and a == b:
    st.info(t(L, "ui.compare_same"))

try:
    c = compare(a, b, lang=L, alt_a=alt_a, alt_b=alt_b)
except ValueError as exc:
    st.error(str(exc))
    st.stop()


def table(block: str, framework: str | None = None) -> pd.DataFrame:
    rows = [{"what": r.label, "A": r.a, "B": r.b, "B − A": r.difference}
            for r in c.block(block, framework)]  # type: ignore[arg-type]
    # Rounded here, not only formatted: a score of -0.3 reads "+0", never "-0".
    return pd.DataFrame(rows, columns=["what", "A", "B", "B − A"]).round({"A": 0, "B": 0, "B − A": 0})


def show(frame: pd.DataFrame, key: str, sides: str = "%+.0f", heading: str | None = None) -> None:
    """Scores are signed whole numbers (as on the results page), shares and counts plain, the
    difference always signed; a figure only one side has leaves the other "–", never 0."""
    if frame.empty:
        return
    if heading:
        st.markdown(f"**{heading}**")
    st.dataframe(frame, hide_index=True, width="stretch", height="content", key=key, placeholder="–",
                 column_config={"what": st.column_config.TextColumn(t(L, "ui.what"), width="large"),
                                "A": st.column_config.NumberColumn("A", format=sides),
                                "B": st.column_config.NumberColumn("B", format=sides),
                                "B − A": st.column_config.NumberColumn("B − A", format="%+.0f")})


st.caption(f"A: {md(c.a.label)} · B: {md(c.b.label)}")
verdicts = [t(L, "ui.verdict_" + v) for v in c.verdicts]
st.markdown(f"{t(L, 'ui.equity_verdicts')}: A – {verdicts[0]}; B – {verdicts[1]}")
show(pd.concat([table("overall"), table("equity")], ignore_index=True), "cmp_overall")
# Each framework under its title (from either side's checklist); the policy areas (by the checklists'
# mark `policy_areas: true`, else the first framework) open, the others folded away, as on the results page.
for i, fid in enumerate(sorted(c.frameworks, key=lambda f: f not in c.policy)):
    title = c.framework_titles.get(fid, fid)
    with st.container() if i == 0 else st.expander(md(title)):
        show(table("dimension", fid), f"cmp_dimension_{fid}", heading=md(title) if i == 0 else None)
for block in ("section", "group"):
    show(table(block), f"cmp_{block}", heading=t(L, "ui.block_" + block))
show(pd.concat([table("coverage"), table("counts")], ignore_index=True), "cmp_evidence", sides="%.0f",
     heading=t(L, "ui.compare_evidence"))


def appendix() -> bytes:
    # Rendered only when asked for, not on every change of a selection.
    out = io.BytesIO()
    render_comparison(a, b, out, lang=L, alt_a=alt_a, alt_b=alt_b, comparison=c)
    return out.getvalue()


st.download_button(t(L, "ui.download_comparison"), data=appendix, file_name=f"skb-jamforelse-{L}.pdf",
                   mime="application/pdf", key="cmp_pdf", icon=":material/download:", on_click="ignore",
                   type="primary")
