"""The page's side of a database that is away for a while (assessment.store.outage): say so, keep what
was typed, and try again by itself.

`draw_unsaved` shows, on the wizard, in a panel that floats at the top of the window whatever
is scrolled, that the latest changes are not stored yet and why, and saves
them by itself every few seconds (a fragment that reruns on a timer, so the rest of the page and
whatever the person is typing are left alone); once they are stored the whole page is drawn again
and says "saved" as usual. `page_unavailable` is for a page that cannot even be read: it says so
and draws the page again every few seconds until the database answers.
"""

from __future__ import annotations

import time

import streamlit as st
from streamlit.logger import get_logger

from assessment.store.outage import Outage

from .i18n import t
from .session import current, lang, retry_unsaved

__all__ = ["RETRY_EVERY_S", "draw_unsaved", "page_unavailable", "log_outage"]

RETRY_EVERY_S = 3  # how often a page tries again; a restarting PostgreSQL is back in a few seconds
_TRIED = "skb_unsaved_tried"  # (attempts, when the last one was made: time.monotonic)
# The banner floats at the top of the window, so a person typing far down a long step sees it (at the
# bottom it would cover the step's own buttons).
# A constant: no user or checklist text is ever put into it.
_FLOAT = """
<style>
.st-key-unsaved {
  position: fixed;
  top: 4rem;
  right: 1rem;
  width: min(34rem, calc(100vw - 2rem));
  z-index: 1000;
  background: var(--st-background-color, #ffffff);
  box-shadow: 0 0.25rem 1rem rgba(0, 0, 0, 0.25);
}
</style>
"""
_LOG = get_logger("skb.outage")


def log_outage(outage: Outage, where: str) -> None:
    """One line in the server's log (journald under systemd) for whoever watches it."""
    _LOG.warning("database unavailable (%s) while %s: %s", outage.kind, where, outage.detail)


def _retry() -> None:
    doc = current()
    if doc is None or doc.unsaved is None:
        return
    attempts, _ = st.session_state.get(_TRIED, (1, 0.0))
    st.session_state[_TRIED] = (attempts + 1, time.monotonic())
    if retry_unsaved(doc):
        st.session_state.pop(_TRIED, None)
    elif doc.unsaved is not None:
        log_outage(doc.unsaved, "saving again")


@st.fragment(run_every=RETRY_EVERY_S)
def _unsaved() -> None:
    doc = current()
    if doc is None:
        return
    attempts, tried_at = st.session_state.get(_TRIED, (1, time.monotonic()))
    # The timer's run tries again; the page's own run right after a failed save does not.
    if doc.unsaved is not None and time.monotonic() - tried_at >= RETRY_EVERY_S - 0.5:
        _retry()
        attempts, _ = st.session_state.get(_TRIED, (1, 0.0))
    if doc.unsaved is None:
        st.rerun()  # stored (or refused for a reason the page shows): draw the whole page again
    L = lang()
    st.html(_FLOAT)
    with st.container(border=True, key="unsaved"):
        st.warning(doc.unsaved.message(L), icon=":material/cloud_off:")
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.caption(t(L, "ui.unsaved_attempts", n=attempts))
        right.button(t(L, "ui.retry_now"), key="retry_now", on_click=_retry, icon=":material/refresh:")


def draw_unsaved() -> bool:
    """While the open assessment has changes the database could not take: the banner that says so
    and saves them by itself. False (and nothing drawn) when everything is stored."""
    doc = current()
    if doc is None or doc.unsaved is None:
        st.session_state.pop(_TRIED, None)
        return False
    if _TRIED not in st.session_state:
        st.session_state[_TRIED] = (1, time.monotonic())
        log_outage(doc.unsaved, "saving")
    _unsaved()
    return True


@st.fragment(run_every=RETRY_EVERY_S)
def _again() -> None:
    if st.session_state.pop("skb_page_retry_armed", False):
        st.rerun()
    st.session_state["skb_page_retry_armed"] = True


def page_unavailable(outage: Outage) -> None:
    """A page that could not be read: say why, and draw it again every few seconds."""
    log_outage(outage, "reading a page")
    st.warning(outage.message(lang(), saving=False), icon=":material/cloud_off:")
    st.session_state.pop("skb_page_retry_armed", None)
    _again()
