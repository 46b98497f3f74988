"""Wizard page: one step per checklist section, generated from the checklist.

Everything an answer or a move between steps changes is drawn by one fragment
(`st.fragment`): the save status, the overall progress, the step list in the
sidebar and the step itself. An answer, a fold, "next", "back" or a step
chosen in the list reruns that fragment only, not the page around it (the
title, the details, the language, the navigation): the browser is sent the
fragment's elements and nothing else. The status and the progress sit above
the details, so the fragment writes them into containers the page leaves for
them there. An edit the fragment cannot show (the plan type, which the
caption and the details show, or a save that did not go through) reruns the
whole page; `ui.widgets` decides that.
"""

import threading

import streamlit as st

from assessment.store.auth import ALL_ORGS, ROLE_LABELS, org_key
from assessment.checklist.checklist import text_for
from ui.i18n import t
from ui.chrome import question_anchor
from ui.failure import guarded_callback
from ui.metadata import draw_details
from ui.outage import draw_unsaved
from ui.progress import Visibility, survey
from ui.routes import RESULTS, required_assessment, go, set_step, step_from_url
from ui.session import OpenAssessment, checklist_note, current, editable, lang, my_roles, reload
from ui.style import STEP_PICKER_KEY, STEPS_KEY, apply_style
from ui.widgets import catch_up, draw_general_measures, draw_section, md

_SURVEY = "survey"  # doc.cache key: what applies and what is answered, once per revision


def _survey(doc: OpenAssessment) -> Visibility:
    """Which questions apply and how many are answered; the store's save clears the cache."""
    vis = doc.cache.get(_SURVEY)
    if vis is None:
        vis = doc.cache[_SURVEY] = survey(doc.assessment)
    return vis


_PICK = "skb_step_pick"  # the step picker's key (shown where the sidebar is folded away)


@guarded_callback
def _go_to(i: int) -> None:
    set_step(i)


@guarded_callback
def _pick_step(titles: tuple[str, ...]) -> None:
    """The step chosen in the picker, by its index; a choice that names no step moves nothing.

    Streamlit sends a select box's choice as the label it shows, and the picker's labels count the
    answers ("Platsen · 1/2"). A browser that sends a request before the labels of an answer given a
    moment earlier have reached it sends a label that no option has any more, and the server hands
    that label over as text, not as an index. Such a label is matched to its step by the title; it must
    never fail: a callback that raises takes every other callback of the same request with it, and
    with them the text just typed into a field and the "next" just pressed."""
    picked = st.session_state.get(_PICK)
    if isinstance(picked, str):  # a stale label: "<title> · <counts>"
        steps = [i for i, title in enumerate(titles) if title == picked.rpartition(" · ")[0]]
        picked = steps[0] if len(steps) == 1 else None
    if isinstance(picked, int) and 0 <= picked < len(titles):
        set_step(picked)


def _import_results_modules() -> None:
    import altair as alt
    import pandas as pd

    import reports  # noqa: F401  (the PDF's modules)

    alt.Chart(pd.DataFrame({"x": [0]})).mark_bar().encode(x="x:Q").to_dict()  # reads Vega-Lite's schema once


@st.cache_resource(show_spinner=False)
def _warm_results_page() -> threading.Thread:
    """Once per process, while a planner is in the wizard: import what the results page needs
    (charts, tables, the report: some 1.5 s on a busy machine) in the background, so that its first
    load does not wait for them. Nothing else is shared: the thread only fills Python's module cache."""
    thread = threading.Thread(target=_import_results_modules, name="skb-warm-results", daemon=True)
    thread.start()
    return thread


L = lang()
doc = required_assessment()
assessment = doc.assessment
checklist = assessment.checklist
meta = assessment.metadata
editable(doc)  # before any widget: someone who may not edit sees every field disabled (doc.read_only)

st.title(md(meta.title), anchor=False)
st.caption(" · ".join(md(x) for x in (meta.municipality, checklist.plan_type_label(meta.plan_type, L), ", ".join(meta.areas),
                                       text_for(checklist.title, L)) if x))
if note := checklist_note(checklist, L):
    st.warning(md(note), icon=":material/difference:")
# The database away: changes kept in memory, "cannot save, retrying" (a floating panel that retries by
# itself); a save that does not go through reruns the whole page, so it is drawn here, outside the fragment.
draw_unsaved()
status_box = st.container()
draw_details(doc, L, expanded=_survey(doc).answered == 0)
progress_box = st.container()
apply_style()


def _status(doc: OpenAssessment, lang_: str) -> None:
    meta = doc.assessment.metadata
    if doc.problem:
        with st.container(border=True, key="problem"):
            st.error(doc.problem, icon=":material/sync_problem:")
            st.button(t(lang_, "ui.reload"), key="reload", on_click=reload, icon=":material/refresh:", type="primary")
    elif doc.frozen:
        st.info(t(lang_, "ui.frozen"), icon=":material/lock:")
    if not doc.frozen and doc.read_only:
        here = {ROLE_LABELS[lang_][r] for o, r in my_roles() if o in (org_key(meta.municipality), ALL_ORGS)}
        st.info(t(lang_, "ui.read_only_role", org=md(meta.municipality.strip()) or t(lang_, "ui.every_org"),
                  roles=", ".join(sorted(here)) or "–"), icon=":material/visibility:")
    elif doc.saved_at and not doc.problem and doc.unsaved is None:
        st.caption(f":material/cloud_done: {t(lang_, 'ui.saved_at', time=doc.saved_at, revision=doc.revision)}")
    else:
        st.empty()  # nothing to say yet; the slot keeps the status's place for the fragment's runs


def _progress(vis: Visibility, lang_: str) -> None:
    applicable = vis.applicable
    st.progress(vis.answered / applicable if applicable else 0.0,
                text=t(lang_, "ui.overall_progress", answered=vis.answered, applicable=applicable))
    st.caption(t(lang_, "ui.progress_counts"))  # why the results page's count of rated questions is smaller


def _step_list(doc: OpenAssessment, vis: Visibility, step: int, lang_: str) -> None:
    with st.container(key=STEPS_KEY, gap=None):
        st.caption(t(lang_, "ui.steps"))
        for i, (section, progress) in enumerate(zip(doc.assessment.checklist.sections, vis.steps)):
            done = progress.applicable and progress.answered == progress.applicable
            icon = ":material/check_circle:" if done else (":material/block:" if not progress.visible
                                                            else ":material/radio_button_unchecked:")
            counts = f"{progress.answered}/{progress.applicable}" if progress.visible else "–"
            st.button(f"{md(text_for(section.title, lang_))} · {counts}", key=f"step:{i}", on_click=_go_to,
                      args=(i,), type="primary" if i == step else "tertiary", icon=icon, width="stretch")


@st.fragment
def _wizard() -> None:
    """The part of the page an answer or a step changes; rerun alone after each."""
    doc = current()
    if doc is None:  # closed meanwhile (another tab, a reload that failed): the page says what to do
        st.rerun()
    lang_ = lang()
    catch_up(doc)  # a value the browser sent whose callback did not run: saved before anything reads the answers
    sections = doc.assessment.checklist.sections
    step = step_from_url(doc, len(sections))
    vis = _survey(doc)
    # Written straight into the page's containers, every run (an empty status as an empty slot, so
    # that Streamlit keeps the container's place for the fragment's later runs): an element at the
    # same place is updated where it stands, not drawn anew beside a stale copy. The browser draws
    # what it is sent in order: the status and the progress first, then the step, the step list last.
    with status_box:
        _status(doc, lang_)
    with progress_box:
        _progress(vis, lang_)

    # Where the sidebar is folded away (a narrow screen, or folded by hand) its step list is out of sight:
    # the same steps are offered here, shown only then (ui/style.py).
    st.session_state[_PICK] = step
    titles = tuple(text_for(s.title, lang_) for s in sections)  # plain text: a select box shows no markdown
    with st.container(key=STEP_PICKER_KEY):
        st.selectbox(t(lang_, "ui.go_to_step"), range(len(sections)), key=_PICK, on_change=_pick_step, args=(titles,),
                     format_func=lambda i: f"{titles[i]} · " + (
                         f"{vis.steps[i].answered}/{vis.steps[i].applicable}" if vis.steps[i].visible else "–"))

    section = sections[step]
    progress = vis.steps[step]
    st.subheader(md(text_for(section.title, lang_)), anchor=False)
    st.caption(t(lang_, "ui.step_of", i=step + 1, n=len(sections)) + " · "
               + t(lang_, "ui.answered_of", answered=progress.answered, applicable=progress.applicable))
    if section.description:
        st.markdown(md(text_for(section.description, lang_)))
    question_anchor()  # where "skip to the question", first in the tab order, leads
    if not progress.visible:
        st.info(t(lang_, "ui.section_hidden"), icon=":material/visibility_off:")
    else:
        draw_section(doc, section, vis, lang_)
    if step + 1 == len(sections):  # the measures for the whole assessment, after the last question
        draw_general_measures(doc, lang_)

    # Nothing above the row changes in number when an answer reveals or hides a question (a hidden one
    # keeps its place, ui/widgets.py `draw_section`): the browser places elements by position, and a row
    # moved down was drawn anew, a focused "next" losing its focus and the Enter pressed on it. Keyed too,
    # so that the browser knows the row by name as well.
    back, _, forward = st.container(key="skb-step-nav").columns([1, 2, 1])
    back.button(t(lang_, "ui.back"), key="back", on_click=_go_to, args=(step - 1,), disabled=step == 0,
                icon=":material/arrow_back:", width="stretch")
    if step + 1 < len(sections):
        forward.button(t(lang_, "ui.next"), key="next", on_click=_go_to, args=(step + 1,), type="primary",
                       icon=":material/arrow_forward:", width="stretch")
    elif forward.button(t(lang_, "ui.to_results"), key="to_results", type="primary", icon=":material/bar_chart:",
                        width="stretch"):
        go(RESULTS, doc.assessment.id)
    with st.sidebar:
        _step_list(doc, vis, step, lang_)


_wizard()
_warm_results_page()
