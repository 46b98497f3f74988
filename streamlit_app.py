"""SKB's app: page setup and navigation only; the pages live in `ui/app_pages/`.

The language and the person's name are asked here, in the sidebar, once for
every page, and bound to the URL so they survive a refresh. Nothing else
happens here: no loading, no scoring.
"""

from pathlib import Path

import streamlit as st

from ui.i18n import LANGUAGES, t
from ui.routes import COMPARE, FOLLOWUP, HISTORY, PORTFOLIO, RESULTS, REVIEW, START, WIZARD
from ui.session import lang

# The icon is a file we ship: a ":material/…:" icon makes the browser fetch it from Google's font host,
# and the app promises to make no request outside its own server.
FAVICON = Path(__file__).parent / "ui" / "static" / "favicon.png"
st.set_page_config(page_title="SKB", page_icon=str(FAVICON), layout="wide")

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
        st.Page(REVIEW, title=t(L, "page_review"), icon=":material/rate_review:", help=t(L, "page_review_help")),
        st.Page(FOLLOWUP, title=t(L, "page_followup"), icon=":material/monitoring:", help=t(L, "page_followup_help")),
        st.Page(PORTFOLIO, title=t(L, "page_portfolio"), icon=":material/dashboard:",
                help=t(L, "page_portfolio_help")),
        st.Page(COMPARE, title=t(L, "page_compare"), icon=":material/compare:", help=t(L, "page_compare_help")),
    ]
)
page.run()
