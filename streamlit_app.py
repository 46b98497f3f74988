"""SKB's app: page setup and navigation only; the pages live in `ui/app_pages/`.

The language and the person's name are asked here, in the sidebar, once for
every page, and bound to the URL so they survive a refresh. Nothing else
happens here: no loading, no scoring.
"""

import streamlit as st

from ui.i18n import LANGUAGES, t
from ui.routes import HISTORY, RESULTS, START, WIZARD
from ui.session import lang

st.set_page_config(page_title="SKB", page_icon=":material/diversity_3:", layout="wide")

with st.sidebar:
    # The codes themselves are the options: a bound widget writes what it shows into the URL (?lang=en).
    st.radio(t(lang(), "language"), list(LANGUAGES), horizontal=True, key="lang", bind="query-params",
             help=" · ".join(LANGUAGES.values()))
    st.text_input(t(lang(), "your_name"), key="who", bind="query-params", max_chars=100,
                  help=t(lang(), "your_name_help"))

L = lang()
page = st.navigation(
    [
        st.Page(START, title=t(L, "page_start"), icon=":material/home:", default=True, help=t(L, "page_start_help")),
        st.Page(WIZARD, title=t(L, "page_wizard"), icon=":material/checklist:", help=t(L, "page_wizard_help")),
        st.Page(RESULTS, title=t(L, "page_results"), icon=":material/bar_chart:", help=t(L, "page_results_help")),
        st.Page(HISTORY, title=t(L, "page_history"), icon=":material/history:", help=t(L, "page_history_help")),
    ]
)
page.run()
