"""History page: the working sessions and milestones (sent for review, comments, adopted), any version's
answers with a way to recover it, the way to adoption, and re-assessment.

Adoption itself is the review page's sign-off (assessment.workflow.review.sign_off); this page
only leads there, so that no version is frozen without its stored report and the
sign-off in the review thread.
"""

import pandas as pd
import streamlit as st

from assessment.store.auth import Action
from assessment.checklist.checklist import text_for
from assessment.errors import SkbError
from assessment.answers.model import Status
from assessment.workflow.review import thread
from ui.i18n import t, tn
from ui.metadata import FIELDS as DETAIL_FIELDS
from ui.metadata import label as detail_label
from ui.routes import REVIEW, WIZARD, required_assessment, go
from ui.session import allowed, audit_save, author, checklist_note, close_assessment, lang, store
from ui.timeline import SESSION_GAP, Milestone, Session, timeline
from ui.widgets import describe, md

L = lang()
doc = required_assessment()

assessment = doc.assessment
checklist = assessment.checklist
st.title(md(assessment.metadata.title), anchor=False)
status = assessment.metadata.status
st.caption(f"{t(L, 'common.status')}: {t(L, 'common.status_' + status.value)}")
if assessment.provenance is not None:  # what an imported file claimed, and whether it verified
    show = st.success if assessment.provenance.adoption == "verified" else \
        st.warning if assessment.provenance.adoption == "unverified" else st.info
    show(f"**{t(L, 'ui.provenance')}:** {md(assessment.provenance.describe(L))}", icon=":material/input:")
if note := checklist_note(checklist, L):
    st.warning(md(note), icon=":material/difference:")

try:
    versions = store().history(assessment.id)
except SkbError as exc:
    st.error(exc.message(L))
    st.stop()

questions = {c.id: text_for(c.text, L) for c in checklist.criteria()}
PARTS = ("status", "metadata", "measures", "participation", "comments", "checklist", "language")


def changed(v) -> str:
    """What a version changed, in words: a whole import or copy reads as a count, not a list of every question."""
    names = [questions.get(q, q) for q in v.questions]
    words = names[:2] + ([tn(L, "ui.history_more", len(names) - 2)] if len(names) > 2 else [])
    words += [t(L, f"ui.history_part_{p}") if p in PARTS else p for p in v.parts]
    return "; ".join(words + ([said(v)] if v.summary else []))


def said(v) -> str:
    """A version's own summary in the page's language: the details form's "details: <field>" by the field's
    label, the store's own milestones in one language, anything else as written."""
    field = v.summary.removeprefix("details: ")
    if field != v.summary and field in DETAIL_FIELDS:
        return detail_label(field, L)
    return v.summary_in(L)


# --- the way here: working sessions and milestones, newest first ----------------------------------------
try:
    comments = thread(store(), assessment.id).comments
except SkbError as exc:
    st.error(exc.message(L))
    comments = ()
entries = timeline(versions, comments)
MILESTONE_ICONS = {"created": ":material/note_add:", "copied": ":material/content_copy:",
                   "sent_for_review": ":material/send:", "returned_to_draft": ":material/undo:",
                   "adopted": ":material/verified:", "comments": ":material/chat:"}


def stamp(at) -> str:  # type: ignore[no-untyped-def]
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def milestone_words(m: Milestone) -> str:
    what = tn(L, "ui.milestone_comments", m.count) if m.kind == "comments" else t(L, f"ui.milestone_{m.kind}")
    version = f" · {t(L, 'ui.version_n', rev=m.revision)}" if m.revision is not None else ""
    return f"{MILESTONE_ICONS[m.kind]} **{what}**{version} · {stamp(m.at)} · {md(m.author)}"


st.subheader(t(L, "ui.versions"), anchor=False)
if not versions:
    st.info(t(L, "ui.no_history"))
    st.stop()
sessions = [e for e in entries if isinstance(e, Session)]
st.caption(t(L, "ui.history_explained", versions=len(versions), sessions=len(sessions),
             minutes=int(SESSION_GAP.total_seconds() // 60)))
for entry in reversed(entries):
    if isinstance(entry, Milestone):
        st.markdown(milestone_words(entry))
        continue
    first, last = entry.versions[0].revision, entry.versions[-1].revision
    span = stamp(entry.start) + ("" if stamp(entry.start) == stamp(entry.end) else
                                 "–" + entry.end.astimezone().strftime("%H:%M" if entry.start.date() == entry.end.date()
                                                                        else "%Y-%m-%d %H:%M"))
    label = tn(L, "ui.session_label", len(entry.versions), who=md(entry.author), when=span,
              versions=f"{first}" if first == last else f"{first}–{last}")
    # Built only when opened: a long session lists hundreds of changes.
    box = st.expander(label, icon=":material/edit_note:", key=f"session:{assessment.id}:{first}", on_change="rerun")
    if box.open:
        with box:
            st.markdown("\n".join(
                f"- **{v.revision}** · {v.saved_at.astimezone().strftime('%H:%M:%S')} · {md(changed(v)) or '–'}"
                for v in reversed(entry.versions)))

# --- any version, shown and recoverable ----------------------------------------------------------------
st.subheader(t(L, "ui.view_version"), anchor=False)
marks = {e.revision: t(L, f"ui.milestone_{e.kind}") for e in entries if isinstance(e, Milestone) and e.revision}
when = {v.revision: stamp(v.saved_at) for v in versions}
by = {v.revision: v.author for v in versions}
revisions = [v.revision for v in reversed(versions)]
chosen = st.selectbox(t(L, "ui.view_version"), revisions, index=0, key=f"history:{assessment.id}",
                      label_visibility="collapsed",
                      format_func=lambda r: " · ".join(x for x in (t(L, "ui.version_n", rev=r), when[r], by[r],
                                                                   marks.get(r, "")) if x))
shown = store().version(assessment.id, chosen)
rows = []
alt_labels = {a.id: text_for(a.label, L) for a in checklist.alternatives}
answered = [(cid, None, ans) for cid, ans in shown.answers.items()]
answered += [(cid, alt_id, ans) for alt_id, answers in shown.alternatives.items() for cid, ans in answers.items()]
order = {c.id: i for i, c in enumerate(shown.checklist.criteria())}
for cid, alt_id, ans in sorted(answered, key=lambda x: (order.get(x[0], len(order)), x[1] or "")):
    crit = shown.checklist.criterion(cid)
    rows.append({t(L, "common.question"): questions.get(cid, cid), t(L, "common.alternative"): alt_labels.get(alt_id or "", ""),
                 t(L, "common.answer"): describe(shown.checklist, crit, ans.value, L), t(L, "ui.comment"): ans.comment})
with st.container(horizontal=True):
    st.download_button(t(L, "ui.download_version"), data=store().export(assessment.id, chosen),
                       file_name=f"skb-{assessment.id[:8]}-v{chosen}.yaml", mime="application/yaml",
                       key="download_version", icon=":material/download:", on_click="ignore")
    if st.button(t(L, "ui.draft_from_version"), key="draft_from_version", icon=":material/restore:",
                 disabled=not allowed(Action.EDIT, assessment.metadata.municipality),
                 help=t(L, "ui.draft_from_version_help")):
        new_id = store().copy_as_draft(assessment.id, author(), revision=chosen)
        audit_save(new_id, assessment.metadata.municipality, "copy")
        close_assessment()
        st.session_state.pop("skb_step", None)
        go(WIZARD, new_id, 0)
st.caption(t(L, "ui.answers_in_version", rev=chosen))
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={t(L, "common.question"): st.column_config.TextColumn(width="large"),
                                t(L, "common.alternative"): st.column_config.TextColumn(width="small"),
                                t(L, "common.answer"): st.column_config.TextColumn(width="medium"),
                                t(L, "ui.comment"): st.column_config.TextColumn(width="large")})

if status == Status.ADOPTED:
    meta = assessment.metadata
    who_when = t(L, "ui.adopted_by", by=meta.adopted_by, date=meta.adopted_at.isoformat()) \
        if meta.adopted_by and meta.adopted_at else ""
    st.success(f"{t(L, 'ui.adopted')} {md(who_when)}", icon=":material/verified:")
    if st.button(t(L, "ui.copy_as_draft"), key="copy_as_draft", icon=":material/content_copy:",
                 disabled=not allowed(Action.EDIT, meta.municipality)):
        new_id = store().copy_as_draft(assessment.id, author())
        audit_save(new_id, meta.municipality, "copy")
        close_assessment()
        st.session_state.pop("skb_step", None)
        go(WIZARD, new_id, 0)
else:
    # There is one way to adopt: the sign-off on the review page, which also posts the
    # sign-off in the thread and stores the report with its hash. Adopting here would
    # freeze the version with neither, so this only leads there. No version number on the
    # button: sending for review and the adoption itself each save a version of their own.
    with st.container(border=True):
        st.caption(t(L, "ui.adopt_via_review"))
        if st.button(t(L, "ui.adopt"), key="adopt", icon=":material/rate_review:"):
            go(REVIEW, assessment.id)
