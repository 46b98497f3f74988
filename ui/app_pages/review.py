"""Review page (granskning): send for review, comment on criteria and on the whole, reply, sign off, verify a report.

The thread lives beside the assessment (`assessment.workflow.review`), so commenting
never changes an answer and goes on after adoption. A post carries the thread
revision this page last showed; if someone posted in between, the post is
refused and the text stays in the box. Who acts is the session's person
(`ui.session.actor`): each button is offered only to a role that may use it,
and the core checks again. Sign-off adopts the version shown, dated by the
server's clock; in a shared installation its author cannot sign it off.
"""

import datetime as dt

import streamlit as st

from assessment.store.auth import Action, Forbidden, self_sign_off_allowed
from assessment.checklist.checklist import text_for
from assessment.errors import SkbError
from assessment.answers.model import Status
from assessment.workflow.review import (ReviewConflict, post, report_pdf, return_to_draft, send_for_review, sign_off,
                               store_report, stored_reports, thread, verify_report, writers)
from assessment.store.storage import EditConflict
from ui.chrome import name_file_pickers
from ui.failure import guarded_callback
from ui.i18n import LANGUAGES, t
from ui.routes import FOLLOWUP, required_assessment, go
from ui.session import actor, allowed, flash, lang, reload, store, take_flash
from ui.widgets import md

L = lang()
doc = required_assessment()

assessment = doc.assessment
aid = assessment.id
checklist = assessment.checklist
meta = assessment.metadata
questions = {c.id: text_for(c.text, L) for c in checklist.criteria()}
SEEN = f"skb_review_seen:{aid}"
ORG = meta.municipality
me = actor()
named = allowed(Action.COMMENT, ORG)

st.title(md(meta.title), anchor=False)
status_text = t(L, "common.status_" + meta.status.value)
if meta.status == Status.ADOPTED and meta.adopted_at:
    status_text = t(L, "common.adopted_on_by", date=meta.adopted_at.isoformat(), by=md(meta.adopted_by or ""))
st.caption(f"{t(L, 'common.status')}: {status_text}")

message = take_flash()
if message:
    st.warning(message, icon=":material/warning:")
if doc.problem:
    st.error(doc.problem)
    if st.button(t(L, "ui.reload"), key="review_reload", icon=":material/refresh:"):
        reload()
        st.rerun()


def _refresh_after(action) -> None:  # type: ignore[no-untyped-def]
    """Run a status change; on a stale revision say who changed what, and reload either way."""
    try:
        action()
    except EditConflict as exc:
        flash(exc.message(L))
    except Forbidden as exc:
        flash(exc.message(L))
    except SkbError as exc:
        flash(exc.message(L))
    reload()


# --- status -----------------------------------------------------------------------------------

if meta.status == Status.DRAFT:
    st.info(t(L, "ui.review_draft_hint"), icon=":material/rate_review:")
    if st.button(t(L, "ui.send_for_review"), key="send_for_review", type="primary", icon=":material/send:",
                 disabled=not allowed(Action.SEND_FOR_REVIEW, ORG)):
        _refresh_after(lambda: send_for_review(store(), aid, doc.revision, me))
        st.rerun()
elif meta.status == Status.IN_REVIEW:
    if st.button(t(L, "ui.return_to_draft"), key="return_to_draft", icon=":material/undo:",
                 disabled=not allowed(Action.RETURN_TO_DRAFT, ORG)):
        _refresh_after(lambda: return_to_draft(store(), aid, doc.revision, me))
        st.rerun()

# --- the thread -------------------------------------------------------------------------------

try:
    th = thread(store(), aid)
except SkbError as exc:
    st.error(exc.message(L))
    st.stop()


@guarded_callback
def _post(criterion_key: str | None, text_key: str, reply_to: str | None = None) -> None:
    words = str(st.session_state.get(text_key) or "")
    criterion = st.session_state.get(criterion_key) if criterion_key else None
    try:
        post(store(), aid, int(st.session_state.get(SEEN, 0)), me, words,
             criterion=criterion or None, reply_to=reply_to)
    except ReviewConflict as exc:
        flash(exc.message(L))  # the text stays in its box, to send again after reading
    except Forbidden as exc:
        flash(exc.message(L))
    except SkbError as exc:
        flash(exc.message(L))
    else:
        st.session_state[text_key] = ""


def _show(comment, indent: bool = False) -> None:  # type: ignore[no-untyped-def]
    when = comment.at.astimezone().strftime("%Y-%m-%d %H:%M")
    on = f" · {t(L, 'ui.on_version', rev=comment.on_revision)}" if comment.on_revision else ""
    icon = {"sign_off": ":material/verified:", "reply": ":material/reply:"}.get(comment.kind, ":material/chat:")
    # A reply is drawn indented, in a box of its own (and only there: no empty box above it).
    box = st.columns([1, 12])[1].container(border=True) if indent else st.container(border=True)
    with box:
        st.markdown(f"{icon} **{md(comment.author)}** :gray[{when}{on}]")
        st.markdown(md(comment.text).replace("\n", "  \n"))


st.subheader(t(L, "ui.review_thread"), anchor=False)
if not th.comments:
    st.caption(t(L, "ui.no_comments"))
places: list[str | None] = [None] + [c for c in questions if th.on(c)]
for place in places:
    top = th.on(place)
    if not top:
        continue
    st.markdown(f"**{md(t(L, 'ui.on_whole') if place is None else questions[place])}**")
    for comment in top:
        _show(comment)
        for reply in th.replies(comment.id):
            _show(reply, indent=True)
        if comment.kind != "sign_off":
            with st.popover(t(L, "ui.reply"), icon=":material/reply:"):
                key = f"skb_reply:{comment.id}"
                st.text_area(t(L, "ui.your_reply"), key=key, max_chars=20_000)
                st.button(t(L, "ui.send"), key=f"send_reply:{comment.id}", on_click=_post, args=(None, key, comment.id),
                          disabled=not named)

with st.form("new_comment", border=True):
    st.markdown(f"**{t(L, 'ui.new_comment')}**")
    st.selectbox(t(L, "ui.comment_on"), [""] + list(questions), key="skb_comment_on",
                 format_func=lambda c: t(L, "ui.on_whole") if not c else questions[c])
    st.text_area(t(L, "ui.your_comment"), key="skb_comment_text", max_chars=20_000)
    st.form_submit_button(t(L, "ui.send"), icon=":material/send:", on_click=_post,
                          args=("skb_comment_on", "skb_comment_text"), disabled=not named)
if not named:
    st.caption(t(L, "ui.name_needed"))
# What this page showed is what the next post answers to.
st.session_state[SEEN] = th.revision

# --- sign-off ---------------------------------------------------------------------------------

if meta.status == Status.IN_REVIEW:
    st.subheader(t(L, "ui.sign_off"), anchor=False)
    with st.container(border=True):
        st.caption(t(L, "ui.sign_off_hint", rev=doc.revision))
        st.caption(t(L, "ui.sign_off_today", date=dt.date.today().isoformat()))
        may_sign = allowed(Action.SIGN_OFF, ORG)
        own_work = me.shared and me.name in writers(store(), aid) and not self_sign_off_allowed(store(), ORG)
        if own_work:
            st.warning(t(L, "ui.sign_off_not_yours"), icon=":material/gpp_bad:")
        confirm = st.checkbox(t(L, "ui.adopt_confirm"), key="sign_off_confirm", disabled=not may_sign or own_work)
        # Without the role the button cannot be used, and says "Adopt", not "Adopt as …".
        label = t(L, "ui.sign_off_as", name=md(me.label)) if may_sign else t(L, "ui.sign_off")
        if st.button(label, key="sign_off", type="primary", icon=":material/verified:",
                     disabled=not (confirm and may_sign) or own_work or doc.problem is not None):
            with st.spinner(t(L, "ui.sign_off_working")):
                try:
                    sign_off(store(), aid, doc.revision, me, lang=L)
                except EditConflict as exc:
                    flash(exc.message(L))
                except SkbError as exc:
                    flash(exc.message(L))
            reload()
            st.rerun()

# --- the stored report --------------------------------------------------------------------------

if meta.status == Status.ADOPTED:
    st.subheader(t(L, "ui.stored_report"), anchor=False)
    reports = stored_reports(store(), aid)
    if not reports:
        # Adopted without this page's sign-off (an imported adopted file, or adopted before
        # sign-off existed): the version is frozen, so its report can still be stored now;
        # the caption says it was not made at sign-off.
        st.info(t(L, "ui.no_stored_report"))
        if st.button(t(L, "ui.store_report_now"), key="store_report_now", disabled=not allowed(Action.SIGN_OFF, ORG),
                     icon=":material/picture_as_pdf:"):
            with st.spinner(t(L, "ui.sign_off_working")):
                try:
                    store_report(store(), aid, me, L)
                except SkbError as exc:
                    st.error(exc.message(L))
            st.rerun()
    for r in reports:
        with st.container(border=True):
            st.markdown(t(L, "ui.stored_report_line", rev=r.revision, language=LANGUAGES.get(r.lang, r.lang),
                          when=r.stored_at.strftime("%Y-%m-%d"), by=md(r.stored_by)))
            st.code(f"SHA-256 {r.sha256}", language=None)
            st.download_button(t(L, "ui.download_stored"), data=report_pdf(store(), aid, r.revision, r.lang),
                               file_name=f"skb-{aid[:8]}-v{r.revision}-{r.lang}.pdf", mime="application/pdf",
                               key=f"stored:{r.revision}:{r.lang}", icon=":material/download:", on_click="ignore")
    name_file_pickers(L)  # its button in the page's language (Streamlit names it "Upload")
    upload = st.file_uploader(t(L, "ui.verify_upload"), type=["pdf"], key="verify_upload")
    if upload is not None:
        check = verify_report(store(), aid, upload.getvalue())
        (st.success if check.matches else st.error)(check.message(L))
    if st.button(t(L, "ui.page_followup"), key="to_followup", icon=":material/monitoring:"):
        go(FOLLOWUP, aid)
