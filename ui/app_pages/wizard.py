"""Wizard page: one step per checklist section, generated from the checklist."""

import streamlit as st

from assessment.auth import ALL_ORGS, ROLE_LABELS, org_key
from assessment.checklist import text_for
from ui.i18n import t
from ui.metadata import draw_details
from ui.outage import draw_unsaved
from ui.progress import survey
from ui.routes import RESULTS, required_assessment, go, set_step, step_from_url
from ui.session import checklist_note, editable, lang, my_roles, reload
from ui.chrome import question_anchor
from ui.style import STEP_PICKER_KEY, STEPS_KEY, apply_style
from ui.widgets import draw_general_measures, draw_section, md

L = lang()
doc = required_assessment()

assessment = doc.assessment
checklist = assessment.checklist
sections = checklist.sections
step = step_from_url(doc, len(sections))
vis = survey(assessment)


def _go_to(i: int) -> None:
    set_step(i)


meta = assessment.metadata
may_edit = editable(doc)  # before any widget: someone who may not edit sees every field disabled
st.title(md(meta.title), anchor=False)
st.caption(" · ".join(md(x) for x in (meta.municipality, checklist.plan_type_label(meta.plan_type, L), ", ".join(meta.areas),
                                       text_for(checklist.title, L)) if x))
if note := checklist_note(checklist, L):
    st.warning(md(note), icon=":material/difference:")

if doc.problem:
    with st.container(border=True, key="problem"):
        st.error(doc.problem, icon=":material/sync_problem:")
        st.button(t(L, "reload"), key="reload", on_click=reload, icon=":material/refresh:", type="primary")
elif doc.frozen:
    st.info(t(L, "frozen"), icon=":material/lock:")
if not doc.frozen and not may_edit:
    here = {ROLE_LABELS[L][r] for o, r in my_roles() if o in (org_key(meta.municipality), ALL_ORGS)}
    st.info(t(L, "read_only_role", org=md(meta.municipality.strip()) or t(L, "every_org"),
              roles=", ".join(sorted(here)) or "–"), icon=":material/visibility:")
elif not draw_unsaved() and doc.saved_at and not doc.problem:  # the database away: "cannot save, retrying"
    st.caption(f":material/cloud_done: {t(L, 'saved_at', time=doc.saved_at, revision=doc.revision)}")

draw_details(doc, L, expanded=vis.answered == 0)

overall_applicable = vis.applicable
st.progress(vis.answered / overall_applicable if overall_applicable else 0.0,
            text=t(L, "overall_progress", answered=vis.answered, applicable=overall_applicable))
st.caption(t(L, "progress_counts"))  # why the results page's count of rated questions is smaller

apply_style()
with st.sidebar, st.container(key=STEPS_KEY, gap=None):
    st.caption(t(L, "steps"))
    for i, (section, progress) in enumerate(zip(sections, vis.steps)):
        done = progress.applicable and progress.answered == progress.applicable
        icon = ":material/check_circle:" if done else (":material/block:" if not progress.visible
                                                        else ":material/radio_button_unchecked:")
        counts = f"{progress.answered}/{progress.applicable}" if progress.visible else "–"
        st.button(f"{md(text_for(section.title, L))} · {counts}", key=f"step:{i}", on_click=_go_to, args=(i,),
                  type="primary" if i == step else "tertiary", icon=icon, width="stretch")

# Where the sidebar is folded away (a narrow screen, or folded by hand) its step list is out of sight:
# the same steps are offered here, shown only then (ui/style.py).
st.session_state["skb_step_pick"] = step
with st.container(key=STEP_PICKER_KEY):
    st.selectbox(t(L, "go_to_step"), range(len(sections)), key="skb_step_pick",
                 on_change=lambda: set_step(st.session_state["skb_step_pick"]),
                 format_func=lambda i: f"{text_for(sections[i].title, L)} · " + (  # plain text: no markdown here
                     f"{vis.steps[i].answered}/{vis.steps[i].applicable}" if vis.steps[i].visible else "–"))

section = sections[step]
progress = vis.steps[step]
st.subheader(md(text_for(section.title, L)), anchor=False)
st.caption(t(L, "step_of", i=step + 1, n=len(sections)) + " · "
           + t(L, "answered_of", answered=progress.answered, applicable=progress.applicable))
if section.description:
    st.markdown(md(text_for(section.description, L)))

question_anchor()  # where "skip to the question", first in the tab order, leads
if not progress.visible:
    st.info(t(L, "section_hidden"), icon=":material/visibility_off:")
else:
    draw_section(doc, section, vis, L)
if step + 1 == len(sections):  # the measures for the whole assessment, after the last question
    draw_general_measures(doc, L)

back, _, forward = st.columns([1, 2, 1])
back.button(t(L, "back"), key="back", on_click=_go_to, args=(step - 1,), disabled=step == 0,
            icon=":material/arrow_back:", width="stretch")
if step + 1 < len(sections):
    forward.button(t(L, "next"), key="next", on_click=_go_to, args=(step + 1,), type="primary",
                   icon=":material/arrow_forward:", width="stretch")
elif forward.button(t(L, "to_results"), key="to_results", type="primary", icon=":material/bar_chart:",
                    width="stretch"):
    go(RESULTS, assessment.id)
