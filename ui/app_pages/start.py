"""Start page: begin a new assessment from a checklist, or find and resume one."""

import streamlit as st

from assessment.store.auth import Action, Forbidden, Role, org_key, require, visible_orgs
from assessment.checklist.checklist import text_for
from assessment.errors import SkbError
from assessment.workflow.followup import due_reviews
from assessment.answers.model import MAX_NAME, new_assessment
from ui.i18n import t, tn
from ui.routes import FOLLOWUP, WIZARD, go
from ui.session import (OpenAssessment, actor, audit_save, author, close_assessment, current, lang, library,
                        my_roles, store, take_flash)
from ui.widgets import md, plan_type_labels

L = lang()
st.title(t(L, "ui.app_title"), anchor=False)
st.caption(t(L, "ui.start_intro"))

message = take_flash()
if message:
    st.warning(message, icon=":material/warning:")

try:
    assessments_store = store()
except SkbError as exc:
    st.error(t(L, "ui.storage_unavailable", error=exc.message(L)))
    st.stop()

# Follow-up is where equal health is won or lost: the reviews that have come due come first.
# In a shared installation a person sees the assessments of the organisations they have a role in.
mine = visible_orgs(assessments_store, actor())  # None: every organisation
due = due_reviews(assessments_store, orgs=mine)
if due:
    with st.container(border=True):
        st.subheader(t(L, "ui.reviews_due"), anchor=False)
        for d in due[:10]:
            text_col, button_col = st.columns([5, 1], vertical_alignment="center")
            where = f" · {md(d.municipality)}" if d.municipality else ""
            late = f" · {t(L, 'ui.review_overdue', days=d.days_overdue)}" if d.days_overdue > 0 else ""
            text_col.markdown(f"**{md(d.title)}**{where}  \n:orange[{t(L, 'ui.review_due_line', date=d.review_date.isoformat())}"
                              f"{late}]")
            if button_col.button(t(L, "ui.to_followup"), key=f"due:{d.assessment_id}", icon=":material/monitoring:"):
                go(FOLLOWUP, d.assessment_id)

checklists, broken = library()
if broken:
    with st.expander(tn(L, "ui.broken_checklists", len(broken)), expanded=not checklists, icon=":material/error:"):
        st.caption(t(L, "ui.broken_checklist_hint"))
        for source, problems in broken.items():
            st.error("\n\n".join(md(p.text(L)) for p in problems[:20]))  # each worded in L (checklist.* ids)

doc = current()
if doc is not None:
    title = doc.assessment.metadata.title
    if st.button(t(L, "ui.continue_current", title=md(title)), icon=":material/arrow_forward:", type="primary",
                 key="continue_current"):
        go(WIZARD, doc.assessment.id)

new_col, list_col = st.columns([2, 3], gap="large")

with new_col:
    st.subheader(t(L, "ui.new_assessment"), anchor=False)
    me = actor()
    if me.shared and not any(role == Role.AUTHOR for _, role in my_roles()):
        st.info(t(L, "ui.no_author_role"), icon=":material/edit_off:")  # a reader or reviewer writes nothing
    elif not checklists:
        st.info(t(L, "ui.no_checklists"))
    else:
        # Every plan type the library names, in the checklists' own order, shown by its label. The one
        # chosen here also answers the checklist's plan type question, so it is asked once.
        plan_types = plan_type_labels(checklists.values(), L)
        plan_types |= {p: p for c in checklists.values() for p in (c.plan_types or []) if p not in plan_types}
        with st.form("new_assessment", border=True):
            checklist_id = st.selectbox(
                t(L, "common.checklist"), list(checklists), key="new_checklist",
                format_func=lambda cid: f"{text_for(checklists[cid].title, L)} ({checklists[cid].version})")
            title = st.text_input(t(L, "ui.title"), key="new_title", max_chars=MAX_NAME,
                                  placeholder=t(L, "ui.title_placeholder"))
            title_problem = st.empty()  # an empty title is said here, at its field
            municipality = st.text_input(t(L, "common.municipality"), key="new_municipality", max_chars=MAX_NAME)
            plan_type = st.selectbox(t(L, "ui.plan_type"), list(plan_types), index=None, key="new_plan_type",
                                     accept_new_options=True, placeholder=t(L, "ui.choose"),
                                     format_func=lambda p: plan_types.get(p, p), help=t(L, "ui.plan_type_help"))
            areas = st.text_input(t(L, "ui.areas"), key="new_areas", help=t(L, "ui.areas_help"), max_chars=500)
            submitted = st.form_submit_button(t(L, "ui.create"), type="primary", icon=":material/add:", key="create")
        if submitted:
            if not (title or "").strip():
                title_problem.error(t(L, "ui.title_required"), icon=":material/error:")
            else:
                checklist = checklists[checklist_id]
                assessment = new_assessment(
                    checklist, title.strip(), municipality=(municipality or "").strip(),
                    plan_type=(plan_type or "").strip(),
                    areas=[a.strip() for a in (areas or "").split(",") if a.strip()])
                assessment.language = L if L in checklist.languages else checklist.default_language
                try:
                    require(assessments_store, actor(), Action.EDIT, assessment.metadata.municipality)
                    revision = assessments_store.create(assessment, author())
                except Forbidden as exc:
                    st.error(exc.message(L))
                except SkbError as exc:
                    st.error(exc.message(L))
                else:
                    audit_save(assessment.id, assessment.metadata.municipality, "create")
                    close_assessment()
                    st.session_state["skb_open"] = OpenAssessment(assessment, revision)
                    st.session_state.pop("skb_step", None)
                    go(WIZARD, assessment.id, 0)

with list_col:
    st.subheader(t(L, "ui.assessments"), anchor=False)
    search = st.text_input(t(L, "ui.search"), key="search", placeholder=t(L, "ui.search_placeholder"),
                           label_visibility="collapsed", icon=":material/search:")
    rows = [r for r in assessments_store.list(search=search or None)
            if mine is None or org_key(r.municipality) in mine]
    if not rows:
        st.info(t(L, "ui.no_match") if search else t(L, "ui.no_assessments"))
    origins = assessments_store.provenances([row.id for row in rows[:50]])
    for row in rows[:50]:
        with st.container(border=True):
            text_col, button_col = st.columns([3, 1], vertical_alignment="center")
            status = t(L, f"common.status_{row.status.value}")
            when = row.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
            known = checklists.get(row.checklist_id)
            checklist_name = text_for(known.title, L) if known else row.checklist_id
            where = " · ".join(md(x) for x in (row.municipality, checklist_name) if x)
            text_col.markdown(f"**{md(row.title)}**  \n{where}  \n"
                              f":gray[{status} · {t(L, 'ui.last_change')} {when} {t(L, 'ui.by')} {md(row.updated_by)}]")
            if row.id in origins:  # an imported file's claims, never believed: said as claims
                text_col.caption(md(origins[row.id].describe(L)))
            if button_col.button(t(L, "ui.open"), key=f"open:{row.id}", width="stretch"):
                if doc is None or doc.assessment.id != row.id:
                    close_assessment()
                    st.session_state.pop("skb_step", None)
                go(WIZARD, row.id)
