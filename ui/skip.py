"""The skip link a keyboard user meets first, in the page's language, and the question it leads to.

Streamlit draws its own "Skip to main content" first in the tab order, in English
on a Swedish page, and past it come the page list, the language and every step of
the wizard: about twenty Tab presses before the first question. It is hidden
here and replaced by a link of ours, first in the tab order (tabindex 1: the one
element that comes before the document's order): on a wizard step it leads to
the first question (`question_anchor`, drawn just above it), elsewhere to the
page's main content. The markup is constant but for the catalogue's own words,
escaped; no user or checklist text is put into it.
"""

from __future__ import annotations

import html

import streamlit as st

from .i18n import t

__all__ = ["QUESTION_ID", "skip_link", "question_anchor"]

QUESTION_ID = "skb-question"
MAIN_ID = "stMain"  # the id Streamlit gives its <main>, which its own skip link targets

# Off screen until focused, then at the top left over everything; its container takes no room in the page.
_STYLE = """
<style>
[data-testid="stSkipToContent"] { display: none; }
.stElementContainer:has(.skb-skip) { position: absolute; width: 0; height: 0; margin: 0; }
.skb-skip { position: fixed; left: -10000px; top: 0.5rem; z-index: 1000100; padding: 0.5rem 0.9rem;
  background: #ffffff; color: #0e1117; border: 2px solid #1b5e7a; border-radius: 0.4rem; font-weight: 600; }
.skb-skip:focus { left: 0.5rem; }
</style>
"""


def skip_link(lang: str, to_question: bool) -> None:
    """The link first in the tab order: to the step's first question, or to the page's content."""
    target, key = (QUESTION_ID, "skip_to_question") if to_question else (MAIN_ID, "skip_to_content")
    st.html(f'{_STYLE}<a class="skb-skip" href="#{target}" tabindex="1">{html.escape(t(lang, key))}</a>')


def question_anchor() -> None:
    """Where the skip link leads on a wizard step: focus lands here, and the next Tab is the first question."""
    st.html(f'<span id="{QUESTION_ID}" tabindex="-1" class="skb-question-anchor"></span>')
