"""SKB's app: page setup, who is signed in, and navigation; the pages live in `ui/app_pages/`.

The language is asked here, in the sidebar, once for every page, and bound to
the URL so it survives a refresh. Who is acting is never asked: in local mode
it is the OS user, labelled as local; in a shared installation the person
signs in with the organisation's identity provider (`st.login`, configured in
`.streamlit/secrets.toml`, see docs/sign-in.md) before any page runs, and the
sidebar shows their name and roles. Admins get the administration page.
An exception that no page caught is shown here as a message in the person's
language, with a reference in the server's log (`ui.failure`).
Nothing else happens here: no loading, no scoring.
"""

from pathlib import Path

import streamlit as st

from assessment.store.auth import ROLE_LABELS, Role
from assessment.errors import Forbidden, SkbError
from assessment.store.outage import unavailable
from ui.i18n import LANGUAGES, t
from ui.outage import page_unavailable
from ui.routes import ADMIN, COMPARE, FOLLOWUP, HISTORY, PORTFOLIO, RESULTS, REVIEW, START, WIZARD
from ui.failure import show_failure
from ui.session import lang, my_roles, signed_in
from ui.chrome import chrome
from ui.widgets import md

# The icon is a file we ship: a ":material/…:" icon makes the browser fetch it from Google's font host,
# and the app promises to make no request outside its own server.
FAVICON = Path(__file__).parent / "ui" / "static" / "favicon.png"
st.set_page_config(page_title="SKB", page_icon=str(FAVICON), layout="wide")

with st.sidebar:
    # The codes themselves are the options: a bound widget writes what it shows into the URL (?lang=en).
    st.radio(t(lang(), "ui.language"), list(LANGUAGES), horizontal=True, key="lang", bind="query-params",
             help=" · ".join(LANGUAGES.values()))

L = lang()
try:
    person = signed_in()
except Forbidden as refused:
    st.error(t(L, "ui.sign_in_refused", reason=refused.message(L)))
    st.button(t(L, "ui.sign_out"), key="sign_out", on_click=st.logout, icon=":material/logout:")
    st.stop()
except SkbError as exc:  # the database cannot be reached to record the sign-in
    st.error(t(L, "ui.storage_unavailable", error=exc.message(L)))
    st.stop()
except Exception as exc:  # the database is away for a while: say so and try again by itself
    if (outage := unavailable(exc)) is None:
        raise
    page_unavailable(outage)
    st.stop()
if person is None:  # shared mode, not yet signed in: nothing but the way in
    st.title(t(L, "ui.sign_in_title"), anchor=False)
    st.write(t(L, "ui.sign_in_intro"))
    st.button(t(L, "ui.sign_in"), key="sign_in", type="primary", on_click=st.login, icon=":material/login:")
    st.stop()

try:
    held = my_roles() if person.shared else []
except Exception as exc:  # the database is away and this session has not read its roles yet
    if (outage := unavailable(exc)) is None:
        raise
    page_unavailable(outage)
    st.stop()
admin = any(role is Role.ADMIN for _, role in held)  # read once per run, with the roles shown below
with st.sidebar:
    if person.shared:
        st.markdown(":material/person: " + t(L, "ui.signed_in_as", name=md(person.label)))
        if held:
            roles = ", ".join(f"{ROLE_LABELS[L][role]} ({md(org) if org != '*' else t(L, 'ui.every_org')})"
                              for org, role in held)
            st.caption(t(L, "ui.your_roles", roles=roles))
        else:
            st.caption(t(L, "ui.no_roles"))
        st.button(t(L, "ui.sign_out"), key="sign_out", on_click=st.logout, icon=":material/logout:")
    else:
        st.caption(":material/computer: " + t(L, "ui.local_user", name=md(person.label)))

if person.shared and not held:  # signed in, but nobody has given them a role yet: nothing to see
    st.title(t(L, "ui.app_title"), anchor=False)
    st.info(t(L, "ui.no_roles"), icon=":material/person_off:")
    st.stop()

pages = [
    st.Page(START, title=t(L, "ui.page_start"), icon=":material/home:", default=True, help=t(L, "ui.page_start_help")),
    st.Page(WIZARD, title=t(L, "ui.page_wizard"), icon=":material/checklist:", help=t(L, "ui.page_wizard_help")),
    st.Page(RESULTS, title=t(L, "ui.page_results"), icon=":material/bar_chart:", help=t(L, "ui.page_results_help")),
    st.Page(HISTORY, title=t(L, "ui.page_history"), icon=":material/history:", help=t(L, "ui.page_history_help")),
    st.Page(REVIEW, title=t(L, "ui.page_review"), icon=":material/rate_review:", help=t(L, "ui.page_review_help")),
    st.Page(FOLLOWUP, title=t(L, "ui.page_followup"), icon=":material/monitoring:", help=t(L, "ui.page_followup_help")),
    st.Page(PORTFOLIO, title=t(L, "ui.page_portfolio"), icon=":material/dashboard:", help=t(L, "ui.page_portfolio_help")),
    st.Page(COMPARE, title=t(L, "ui.page_compare"), icon=":material/compare:", help=t(L, "ui.page_compare_help")),
]
if person.shared and admin:
    pages.append(st.Page(ADMIN, title=t(L, "ui.page_admin"), icon=":material/admin_panel_settings:",
                         help=t(L, "ui.page_admin_help")))
page = st.navigation(pages)
chrome(L, to_question=page.url_path == "wizard")  # Streamlit's own English replaced; the skip link first
try:
    page.run()
except Exception as exc:
    if (outage := unavailable(exc)) is not None:  # the database is away for a while: say so, redraw by itself
        page_unavailable(outage)
    else:  # the last line of defence: a message in the person's language, never Streamlit's error page
        show_failure(exc, L)
