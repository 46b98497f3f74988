"""The interface's short names for the one catalogue (`assessment.catalogue`).

The app's own words — buttons, headings, messages — live with the report's, the CLI's and the core's
in `assessment/locale/<lang>/LC_MESSAGES/skb.po` (docs/translations.md). The interface's ids are
`ui.*`, and a text the results page says in the report's words too is `common.*`
(`t(lang, "common.no_losers")`), so the two can never drift apart. The checklist brings its own
texts (`text_for`). This module must not import streamlit, so the words can be tested on their own.
"""

from __future__ import annotations

from assessment.catalogue import DEFAULT_LANGUAGE, LANGUAGES, language, plural, text

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "t", "tn", "language"]


def t(lang: str, key: str, **values: object) -> str:
    """The text of the id `key` in `lang` (Swedish when the language is not one SKB speaks), `values` filled in."""
    return text(lang, key, **values)


def tn(lang: str, key: str, n: int, **values: object) -> str:
    """The plural entry `key` in the form for the number `n` (filled in as `{n}`), `values` filled in."""
    return plural(lang, key, n, **values)
