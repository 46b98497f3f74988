"""The few looks Streamlit's own options cannot give, as one fixed style sheet.

Widgets are addressed through the class Streamlit gives a keyed container
(`st-key-<key>`), never through its generated class names, which change
between releases. The sheet is a constant: no user or checklist text is ever
put into it, so nothing here can carry markup from outside.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["STEPS_KEY", "STEP_PICKER_KEY", "apply_style"]

STEPS_KEY = "skb-steps"  # the container of the wizard's step list in the sidebar
STEP_PICKER_KEY = "skb-step-picker"  # the same steps in the page, for when the sidebar is folded away

# Less empty space above the title, so the first question shows without
# scrolling. The step list reads like a table of contents: left-aligned, one
# line per step where it fits, little space between steps, the current one filled. The steps'
# picker in the page shows only while the sidebar is folded away (at 768 px and narrower, or by hand).
_SHEET = f"""
<style>
[data-testid="stMainBlockContainer"] {{
  padding-top: 3rem;
}}
.st-key-{STEPS_KEY} button {{
  justify-content: flex-start;
  min-height: 2rem;
  padding: 0.2rem 0.55rem;
}}
.st-key-{STEPS_KEY} button > div,
.st-key-{STEPS_KEY} button > div > span {{
  justify-content: flex-start;
  align-items: flex-start;
  text-align: left;
}}
.st-key-{STEPS_KEY} button p {{
  text-align: left;
  font-size: 0.875rem;
  line-height: 1.3;
}}
.st-key-{STEPS_KEY} button [data-testid="stIconMaterial"] {{
  margin-top: 0.1rem;
}}
.st-key-{STEP_PICKER_KEY} {{
  display: none;
}}
body:has([data-testid="stSidebar"][data-collapsed="true"]) .st-key-{STEP_PICKER_KEY} {{
  display: flex;
}}
/* A scale (five or more options: an impact's steps with "don't know" and "not relevant", a ladder)
   reads as one line: the options share the line in equal cells, a long label wraps inside its own. */
@media (min-width: 640px) {{
  [data-testid="stMain"] [data-testid="stRadioGroup"][aria-orientation="horizontal"]:has(> :nth-child(5)) {{
    display: grid;
    grid-auto-flow: column;
    grid-auto-columns: minmax(0, 1fr);
    column-gap: 0.5rem;
  }}
  [data-testid="stMain"] [data-testid="stRadioGroup"]:has(> :nth-child(5)) [data-testid="stRadioOption"] p {{
    white-space: normal;
    hyphens: auto;
    overflow-wrap: anywhere;
    line-height: 1.3;
  }}
}}
</style>
"""


def apply_style() -> None:
    """Put the style sheet on the page (it takes no room)."""
    st.html(_SHEET)
