"""Streamlit's own chrome in the page's language: the skip link, the running sign, the file picker's button.

Streamlit draws some words of its own in English whatever the page's language, and offers
no way to change them: its skip link, the "Running..." sign and its Stop button, the file
uploader's "Upload" button and size line. Each is hidden here by a fixed style sheet and,
where a person needs it, said again in the page's language from the catalogue (`t`); the
only words put into the sheet are the catalogue's own, escaped for a CSS string.

The skip link a keyboard user meets first, and the question it leads to:

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
import json

import streamlit as st

from .i18n import t

__all__ = ["QUESTION_ID", "chrome", "question_anchor", "name_file_pickers"]

QUESTION_ID = "skb-question"
MAIN_ID = "stMain"  # the id Streamlit gives its <main>, which its own skip link targets

# The skip link is off screen until focused, then at the top left over everything; its container takes
# no room in the page. The running sign is ours, drawn while a run goes on, where Streamlit's stood.
_STYLE = """
<style>
[data-testid="stSkipToContent"], [data-testid="stStatusWidget"] { display: none; }
.stApp[data-test-script-state="running"]::after { content: "%(running)s"; position: fixed; top: 0.9rem;
  right: 1.2rem; z-index: 1000100; font-size: 0.875rem; color: #0e1117; background: #ffffff;
  padding: 0.15rem 0.5rem; border-radius: 0.4rem; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"],
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-has-shortcut]::after { content: "%(choose_file)s"; }
.stElementContainer:has(.skb-skip) { position: absolute; width: 0; height: 0; margin: 0; }
.skb-skip { position: fixed; left: -10000px; top: 0.5rem; z-index: 1000100; padding: 0.5rem 0.9rem;
  background: #ffffff; color: #0e1117; border: 2px solid #1b5e7a; border-radius: 0.4rem; font-weight: 600; }
.skb-skip:focus { left: 0.5rem; }
</style>
"""


def _css_string(text: str) -> str:
    """`text` inside a CSS string in a <style> element: no quote, backslash or tag can end either."""
    return "".join(ch if ch.isalnum() or ch in " .,…–-" else f"\\{ord(ch):x} " for ch in text)


def chrome(lang: str, to_question: bool) -> None:
    """The sheet, and the link first in the tab order: to the step's first question, or to the page's content."""
    target, key = (QUESTION_ID, "ui.skip_to_question") if to_question else (MAIN_ID, "ui.skip_to_content")
    sheet = _STYLE % {"running": _css_string(t(lang, "ui.running")), "choose_file": _css_string(t(lang, "ui.choose_file"))}
    st.html(f'{sheet}<a class="skb-skip" href="#{target}" tabindex="1">{html.escape(t(lang, key))}</a>')


def question_anchor() -> None:
    """Where the skip link leads on a wizard step: focus lands here, and the next Tab is the first question."""
    st.html(f'<span id="{QUESTION_ID}" tabindex="-1" class="skb-question-anchor"></span>')


# The style sheet shows the file picker's button as "Välj fil", but a name drawn by CSS is not what every
# screen reader or checker reads: the button gets it as its aria-label too, again whenever Streamlit draws
# a picker anew. The name is the catalogue's, passed as a JSON string; nothing else is put into the script.
_NAME_PICKERS = """<script>
(() => {
  window.skbChooseFile = %s;
  const name = () => document.querySelectorAll('[data-testid="stFileUploaderDropzone"] button').forEach(b => {
    if (b.getAttribute('aria-label') !== window.skbChooseFile) b.setAttribute('aria-label', window.skbChooseFile);
  });
  name();
  if (!window.skbNamePickers) {
    window.skbNamePickers = new MutationObserver(name);
    window.skbNamePickers.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


def name_file_pickers(lang: str) -> None:
    """Give every file picker's button its name in `lang` (call where a page draws a picker)."""
    st.html(_NAME_PICKERS % json.dumps(t(lang, "ui.choose_file")).replace("<", "\\u003c"),
            unsafe_allow_javascript=True)
