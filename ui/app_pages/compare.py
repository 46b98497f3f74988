"""Comparison page (jämförelse): two assessments, or two alternatives of one, side by side, with the PDF appendix.

The URL may name the sides (`a`, `b`, and the versions `ra`, `rb`), as the
follow-up page does for before and after a re-assessment; otherwise the open
assessment is side A. Figures come from `assessment.compare`, the PDF from
`reports.compare`.
"""

import io

import pandas as pd
import streamlit as st

from assessment.checklist import text_for
from assessment.compare import compare
from assessment.errors import SkbError
from reports.compare import render_comparison
from ui.i18n import t
from ui.session import ID_PATTERN, current, lang, store
from ui.widgets import md

L = lang()
st.title(t(L, "page_compare"))
st.caption(t(L, "compare_intro"))

try:
    summaries = store().list()
except SkbError as exc:
    st.error(str(exc))
    st.stop()
if not summaries:
    st.info(t(L, "no_assessments"))
    st.stop()
titles = {s.id: f"{s.title}" + (f" ({s.municipality})" if s.municipality else "") for s in summaries}
ids = list(titles)


def _from_url(name: str) -> str | None:
    raw = st.query_params.get(name)
    return raw if raw and ID_PATTERN.fullmatch(raw) and raw in titles else None


def _revision(name: str) -> int | None:
    raw = st.query_params.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else None


open_doc = current()
default_a = _from_url("a") or (open_doc.assessment.id if open_doc and open_doc.assessment.id in titles else ids[0])
default_b = _from_url("b") or default_a


def _side(column, label: str, default: str, rev_param: str, key: str):  # type: ignore[no-untyped-def]
    with column:
        st.markdown(f"**{label}**")
        chosen = st.selectbox(t(L, "assessment"), ids, index=ids.index(default), key=f"cmp_{key}",
                              format_func=lambda i: titles[i])
        revision = _revision(rev_param) if chosen == (_from_url(key) or "") else None
        try:
            a = store().version(chosen, revision) if revision else store().load(chosen).assessment
        except SkbError as exc:
            st.error(str(exc))
            st.stop()
        alts = {x.id: text_for(x.label, L) for x in a.checklist.alternatives} or {"proposal": t(L, "proposal")}
        alt_ids = list(alts)
        alt = st.selectbox(t(L, "alternative"), alt_ids, index=len(alt_ids) - 1, key=f"cmp_alt_{key}_{chosen}",
                           format_func=lambda x: alts[x])
        if revision:
            st.caption(t(L, "on_version", rev=revision))
        return a, alt


col_a, col_b = st.columns(2, gap="large")
a, alt_a = _side(col_a, "A", default_a, "ra", "a")
b, alt_b = _side(col_b, "B", default_b, "rb", "b")
if a.id == b.id and alt_a == alt_b and a == b:
    st.info(t(L, "compare_same"))

try:
    c = compare(a, b, lang=L, alt_a=alt_a, alt_b=alt_b)
except ValueError as exc:
    st.error(str(exc))
    st.stop()

BLOCKS = [("overall", None), ("equity", None)] + [("dimension", f) for f in c.frameworks] + \
    [("section", None), ("group", None), ("coverage", None), ("counts", None)]
rows = []
for block, framework in BLOCKS:
    for r in c.block(block, framework):  # type: ignore[arg-type]
        rows.append({t(L, "compare_block"): framework or t(L, "block_" + block), t(L, "what"): r.label,
                     "A": r.a, "B": r.b, "B − A": r.difference})
st.caption(f"A: {md(c.a.label)} · B: {md(c.b.label)}")
verdicts = [t(L, "verdict_" + v) for v in c.verdicts]
st.markdown(f"{t(L, 'equity_verdicts')}: A – {verdicts[0]}; B – {verdicts[1]}")
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
             column_config={k: st.column_config.NumberColumn(k, format="%+.0f") for k in ("A", "B", "B − A")})



def appendix() -> bytes:
    # Rendered only when asked for, not on every change of a selection.
    out = io.BytesIO()
    render_comparison(a, b, out, lang=L, alt_a=alt_a, alt_b=alt_b, comparison=c)
    return out.getvalue()


st.download_button(t(L, "download_comparison"), data=appendix, file_name=f"skb-jamforelse-{L}.pdf",
                   mime="application/pdf", key="cmp_pdf", icon=":material/download:", on_click="ignore",
                   type="primary")
