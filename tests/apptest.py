"""The app as Streamlit's AppTest drives it in-process, opened with the query parameters a link would carry.

The timeout only stops a script run that hangs (a busy machine is allowed to be slow); it is never what a
test asserts."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def app(**query: str) -> AppTest:
    """The app, not yet run, with `query` as its URL's query parameters."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return at
