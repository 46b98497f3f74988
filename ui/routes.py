"""Where the pages are, and what the URL may say about the open assessment.

The URL carries `id` (the assessment) and `step` (1-based), so a refresh, a new
tab or a restarted server comes back to the same place. Both are checked here
before anything else reads them: a malformed or unknown id, or a step that is
not a number in range, leads to the start page with a message, never a
traceback. The language is a widget bound to the URL in `streamlit_app.py`;
who is acting never comes from the URL (see `ui.session.actor`).
"""

from __future__ import annotations

import re

import streamlit as st

from assessment.store.auth import Forbidden
from assessment.errors import NotFound, StorageError

from .i18n import t, tn
from .session import ID_PATTERN, OpenAssessment, close_assessment, current, flash, lang, open_assessment

__all__ = ["START", "WIZARD", "RESULTS", "HISTORY", "REVIEW", "FOLLOWUP", "PORTFOLIO", "COMPARE", "ADMIN",
           "go", "assessment_from_url", "step_from_url", "set_step"]

START = "ui/app_pages/start.py"
WIZARD = "ui/app_pages/wizard.py"
RESULTS = "ui/app_pages/results.py"
HISTORY = "ui/app_pages/history.py"
REVIEW = "ui/app_pages/review.py"
FOLLOWUP = "ui/app_pages/followup.py"
PORTFOLIO = "ui/app_pages/portfolio.py"
COMPARE = "ui/app_pages/compare.py"
ADMIN = "ui/app_pages/admin.py"

STEP_PATTERN = re.compile(r"[0-9]{1,4}")  # ASCII digits only: int() would also take "٣"


def go(page: str, assessment_id: str | None = None, step: int | None = None) -> None:
    """Switch page, carrying the assessment (and step) in the URL."""
    params: dict[str, str] = {}
    if assessment_id is not None:
        params["id"] = assessment_id
    if step is not None:
        params["step"] = str(step + 1)
    st.switch_page(page, query_params=params)


def _back_to_start(message: str) -> None:
    close_assessment()
    flash(message)
    # An explicit (empty) set of parameters: without one, switch_page clears the URL's
    # parameters, which Streamlit refuses while the language is bound to ?lang=.
    st.switch_page(START, query_params={})


def assessment_from_url() -> OpenAssessment | None:
    """The assessment the URL names (loaded once per session), or the one already
    open when the URL names none; None when there is neither."""
    raw = st.query_params.get("id")
    if raw is None:
        doc = current()
        if doc is not None:
            st.query_params["id"] = doc.assessment.id
        return doc
    if not ID_PATTERN.fullmatch(raw):
        _back_to_start(t(lang(), "ui.bad_id"))
    try:
        return open_assessment(raw)
    except NotFound:
        _back_to_start(t(lang(), "ui.unknown_id", id=raw))
    except Forbidden as exc:
        _back_to_start(exc.message(lang()))
    except StorageError as exc:
        _back_to_start(t(lang(), "ui.storage_unavailable", error=exc.message(lang())))
    return None  # not reached: switch_page ends the run


def required_assessment() -> OpenAssessment:
    """The assessment the URL names, or the one open; with neither, say so, link
    to the start page and end this run (every page but the start needs one)."""
    doc = assessment_from_url()
    if doc is None:
        st.info(t(lang(), "ui.no_assessment"))
        st.page_link(START, label=t(lang(), "ui.to_start"), icon=":material/home:")
        st.stop()
    return doc


def step_from_url(doc: OpenAssessment, steps: int) -> int:
    """The 0-based step the URL names; the first when it names none."""
    raw = st.query_params.get("step")
    if raw is None:
        step = int(st.session_state.get("skb_step", 0))
        step = step if 0 <= step < steps else 0
        set_step(step)
        return step
    text = raw.strip()
    if not STEP_PATTERN.fullmatch(text) or not 1 <= int(text) <= steps:
        _back_to_start(tn(lang(), "ui.bad_step", steps, step=raw[:20]))
    return int(text) - 1


def set_step(step: int) -> None:
    st.session_state["skb_step"] = step
    value = str(step + 1)
    if st.query_params.get("step") != value:
        st.query_params["step"] = value
