"""Follow-up page (uppföljning): each measure's status, dated notes and indicator values, the review date, re-assessment.

Recorded in `assessment.workflow.followup`, beside the assessment, so an adopted
(frozen) assessment can still be followed. Every change carries the measure's
follow-up revision this page showed; a stale one is refused with who changed
it. A re-assessment starts from the adopted version and links to the
comparison of before and after. Who may record is decided in the core
(`assessment.workflow.followup` checks the role, author or reviewer, and writes the
audit log); this page only greys out what the person's role does not allow.
"""

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from assessment.store.auth import Action
from assessment.checklist.checklist import text_for
from assessment.errors import Forbidden, SkbError
from assessment.workflow.followup import (FollowUpConflict, add_note, add_value, measures, reassess, reassessed_from,
                                 record_review, schedule, set_review_date, set_status)
from assessment.answers.model import MeasureStatus, Status
from ui.failure import guarded_callback
from ui.i18n import t
from ui.routes import COMPARE, WIZARD, required_assessment
from ui.session import actor, allowed, close_assessment, flash, lang, store, take_flash
from ui.widgets import date_field, md

L = lang()
doc = required_assessment()

assessment = doc.assessment
aid = assessment.id
meta = assessment.metadata
questions = {c.id: text_for(c.text, L) for c in assessment.checklist.criteria()}
named = allowed(Action.FOLLOW_UP, assessment.metadata.municipality)  # author or reviewer
may_reassess = allowed(Action.EDIT, assessment.metadata.municipality)  # a re-assessment is a new draft

st.title(md(meta.title), anchor=False)
status_text = t(L, "common.status_" + meta.status.value)
if meta.status == Status.ADOPTED and meta.adopted_at:
    status_text = t(L, "common.adopted_on_by", date=meta.adopted_at.isoformat(), by=md(meta.adopted_by or ""))
st.caption(f"{t(L, 'common.status')}: {status_text}")
message = take_flash()
if message:
    st.warning(message, icon=":material/warning:")


def _record(action) -> None:  # type: ignore[no-untyped-def]
    try:
        action()
    except FollowUpConflict as exc:
        flash(exc.message(L))
    except Forbidden as exc:
        flash(exc.message(L))
    except SkbError as exc:
        flash(exc.message(L))


# --- the review date ------------------------------------------------------------------------------

plan = schedule(store(), aid)
st.subheader(t(L, "ui.review_date"), anchor=False)
with st.container(border=True):
    if plan.review_date is None:
        st.caption(t(L, "ui.review_date_none"))
    else:
        overdue = plan.review_date <= dt.date.today()
        st.markdown(t(L, "ui.review_date_is", date=plan.review_date.isoformat(), source=t(L, "ui.review_source_" + plan.source))
                    + (f"  \n:red[{t(L, 'ui.review_due_now')}]" if overdue and meta.status == Status.ADOPTED else ""))
    if plan.reviewed_on:
        st.caption(t(L, "ui.reviewed_last", date=plan.reviewed_on.isoformat(), by=md(plan.reviewed_by)))
    left, right = st.columns(2)
    with left:
        new_date, _ = date_field(st, t(L, "ui.set_review_date"), "review_date_input", L,
                                 value=plan.review_date, disabled=not named)
        if st.button(t(L, "ui.save_review_date"), key="save_review_date", disabled=not named or new_date is None):
            _record(lambda: set_review_date(store(), aid, plan.revision, new_date, actor()))
            st.rerun()
    with right:
        held, _ = date_field(st, t(L, "ui.review_held_on"), "review_held_on", L, value=dt.date.today(), disabled=not named)
        if st.button(t(L, "ui.record_review"), key="record_review", disabled=not named or held is None,
                     icon=":material/event_available:"):
            _record(lambda: record_review(store(), aid, plan.revision, actor(), on=held))
            st.rerun()

# --- the measures -------------------------------------------------------------------------------

st.subheader(t(L, "ui.measures_followup"), anchor=False)
try:
    followed = measures(store(), aid)
except SkbError as exc:
    st.error(exc.message(L))
    st.stop()
if not followed:
    st.info(t(L, "ui.no_measures"))
STATUSES = [s.value for s in MeasureStatus]


@guarded_callback
def _on_status(measure_id: str, revision: int, key: str) -> None:
    _record(lambda: set_status(store(), aid, measure_id, revision, st.session_state[key], actor()))


def _values_chart(values) -> None:  # type: ignore[no-untyped-def]
    """The indicator's values over time, each a point (so the first value shows too), dates as dates,
    and the latest written out beneath."""
    data = pd.DataFrame({"date": [pd.Timestamp(v.date) for v in values], "value": [v.value for v in values],
                         "note": [v.note for v in values], "by": [v.author for v in values]})
    # From zero (or below it) to a little above the highest value, so no point sits on the frame.
    low, high = min(0.0, float(data["value"].min())), max(0.0, float(data["value"].max()))
    chart = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=50)).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m-%d", labelOverlap="greedy", tickCount=4)),
        y=alt.Y("value:Q", title=t(L, "ui.value"), scale=alt.Scale(domain=[low, high + (high - low) * 0.1 or 1])),
        tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d", title=t(L, "ui.date")),
                 alt.Tooltip("value:Q", title=t(L, "ui.value")), alt.Tooltip("note:N", title=t(L, "ui.note")),
                 alt.Tooltip("by:N", title=t(L, "ui.recorded_by"))])
    st.altair_chart(chart.properties(height=180), width="stretch")
    last = max(values, key=lambda v: v.date)
    st.caption(t(L, "ui.latest_value", value=f"{last.value:g}", date=last.date.isoformat()))


for f in followed:
    m = f.measure
    with st.container(border=True):
        st.markdown(f"**{md(m.text)}**")
        details = [questions.get(m.criterion, m.criterion) if m.criterion else m.concerns(assessment.checklist, L)]
        if m.responsible:
            details.append(f"{t(L, 'common.responsible')}: {m.responsible}")
        if m.due:
            details.append(f"{t(L, 'ui.due')}: {m.due.isoformat()}")
        st.caption(" · ".join(md(d) for d in details))
        status_key = f"status:{m.id}:{f.revision}"
        st.selectbox(t(L, "ui.measure_status"), STATUSES, index=STATUSES.index(f.status.value), key=status_key,
                     format_func=lambda s: t(L, "common.measure_" + s), on_change=_on_status,
                     args=(m.id, f.revision, status_key), disabled=not named)
        if f.updated_by:
            st.caption(t(L, "ui.followup_last", by=md(f.updated_by),
                         when=f.updated_at.astimezone().strftime("%Y-%m-%d %H:%M") if f.updated_at else ""))
        notes_col, values_col = st.columns(2, gap="large")
        with notes_col:
            st.markdown(f"*{t(L, 'ui.notes')}*")
            for n in f.notes:
                st.markdown(f"{n.date.isoformat()} – {md(n.text)}" + (f" :gray[({md(n.author)})]" if n.author else ""))
            with st.form(f"note_form:{m.id}", border=False, clear_on_submit=True):
                day, ok = date_field(st, t(L, "ui.date"), f"note_date:{m.id}", L, value=dt.date.today(), disabled=not named)
                words = st.text_area(t(L, "ui.note"), key=f"note:{m.id}", max_chars=20_000, height=80, disabled=not named)
                if st.form_submit_button(t(L, "ui.add_note"), icon=":material/add:", disabled=not named) and ok:
                    _record(lambda: add_note(store(), aid, m.id, f.revision, day or dt.date.today(), words or "",
                                             actor()))
                    st.rerun()
        with values_col:
            if not m.indicator:
                st.caption(t(L, "ui.no_indicator"))
            else:
                st.markdown(f"*{t(L, 'common.indicator')}: {md(m.indicator)}*")
                if f.values:
                    _values_chart(f.values)
                with st.form(f"value_form:{m.id}", border=False, clear_on_submit=True):
                    day, ok = date_field(st, t(L, "ui.date"), f"value_date:{m.id}", L, value=dt.date.today(),
                                         disabled=not named)
                    value = st.number_input(t(L, "ui.value"), value=None, key=f"value:{m.id}", format="%g",
                                            disabled=not named)
                    note = st.text_input(t(L, "ui.note"), key=f"value_note:{m.id}", max_chars=500, disabled=not named)
                    if st.form_submit_button(t(L, "ui.add_value"), icon=":material/add_chart:", disabled=not named) \
                            and ok:
                        if value is None:
                            flash(t(L, "ui.value_needed"))
                        else:
                            _record(lambda: add_value(store(), aid, m.id, f.revision, day or dt.date.today(),
                                                      float(value), actor(),
                                                      note or ""))
                        st.rerun()
if not named:
    st.caption(t(L, "ui.name_needed"))

# --- re-assessment --------------------------------------------------------------------------------

st.subheader(t(L, "ui.reassessment"), anchor=False)
origin = reassessed_from(store(), aid)
if origin is not None:
    source_id, source_revision = origin
    st.info(t(L, "ui.reassessment_of", rev=source_revision), icon=":material/compare_arrows:")
    if st.button(t(L, "ui.before_after"), key="before_after", icon=":material/compare:"):
        st.switch_page(COMPARE, query_params={"a": source_id, "ra": str(source_revision), "b": aid})
if meta.status == Status.ADOPTED:
    st.caption(t(L, "ui.reassess_hint"))
    if st.button(t(L, "ui.reassess"), key="reassess", icon=":material/content_copy:", disabled=not may_reassess):
        try:
            new_id = reassess(store(), aid, actor())  # the core checks the role and writes the audit log
        except Forbidden as exc:
            st.error(exc.message(L))
        except SkbError as exc:
            st.error(exc.message(L))
        else:
            close_assessment()
            st.session_state.pop("skb_step", None)
            st.switch_page(WIZARD, query_params={"id": new_id, "step": "1"})
elif origin is None:
    st.caption(t(L, "ui.reassess_only_adopted"))
