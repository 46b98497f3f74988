"""What a person sees when a page fails: a message in their language, never Streamlit's error page.

An exception no page caught (a bug, a damaged stored row, a library's surprise) is
logged with a short reference and replaced by a message that says nothing is lost
(answers are saved as they are given, see `ui.session`), what to do, and the
reference to give whoever runs the service. Streamlit's own control flow (rerun,
stop, switch page) is a `BaseException` and passes through untouched. A fragment
reruns on its own, outside the page runner, so its function is wrapped with
`guarded` too; a widget's callback runs before the page does, so it is wrapped
with `guarded_callback`.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from assessment.errors import SkbError

from .i18n import t
from .routes import START
from .session import lang

__all__ = ["show_failure", "guarded", "guarded_callback"]

log = logging.getLogger("skb.ui")
F = TypeVar("F", bound=Callable[..., Any])


def show_failure(exc: Exception, language: str | None = None, actions: bool = True) -> str:
    """Log `exc` with a new reference and tell the person, in their language; the reference.

    `actions` adds "try again" and the way to the start page (not in a callback, which may draw no widget)."""
    L = language or lang()
    reference = secrets.token_hex(4)
    log.error("a page failed (reference %s)", reference, exc_info=exc)
    said = exc.message(L) if isinstance(exc, SkbError) else t(L, "ui.page_failed_cause")
    st.error(t(L, "ui.page_failed", cause=said, reference=reference), icon=":material/error:")
    if not actions:
        return reference
    st.button(t(L, "ui.page_failed_retry"), key=f"skb_retry_{reference}", icon=":material/refresh:")
    st.page_link(START, label=t(L, "ui.to_start"), icon=":material/home:")
    return reference


def guarded(fn: F) -> F:
    """`fn` (a fragment's body) with a failure shown as `show_failure` shows it, not as Streamlit's error page."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # the fragment's last line of defence
            show_failure(exc)
            return None
    return run  # type: ignore[return-value]


def guarded_callback(fn: F) -> F:
    """`fn` (a widget's on_change or on_click) with a failure said above the page, not as Streamlit's error page;
    what the person typed stays in its field."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # the callback's last line of defence
            show_failure(exc, actions=False)
            return None
    return run  # type: ignore[return-value]
