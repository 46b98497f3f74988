"""The assessment's details (uppgifter om bedömningen), editable after it was created.

Title, municipality or region, plan type, areas, spatial level, assessors,
decision date and the summary (sammanfattning) are drawn as widgets primed from
`Metadata`, like the question widgets in `ui.widgets`: each change is checked
against the model's own rules and then autosaved through `ui.session` with the
revision this session built on, so a stale tab is told of the conflict instead
of overwriting; what it typed stays in the field after the reload, to be saved
again on the fresh version with one click. A change that does not pass (an
empty title, a text too long) is not saved and not thrown away either: the
widget keeps what was typed, with a message beside it, until it is corrected. An adopted (fastställd) assessment
shows its details as text. This module decides no domain rule of its own beyond
the interface's length limits for fields the model leaves open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import streamlit as st
from pydantic import ValidationError

from assessment.checklist.checklist import Checklist, text_for
from assessment.answers.model import MAX_LIST, MAX_NAME, Metadata

from .i18n import t
from .session import OpenAssessment, current, save_whole
from .widgets import md, parse_date, plan_type_labels

__all__ = ["FIELDS", "LABELS", "SPATIAL_FRAMEWORK", "DetailsProblem", "label", "parse_detail", "updated_metadata",
           "draw_details"]

# Every detail the planner edits, in the order shown.
FIELDS = ("title", "municipality", "plan_type", "areas", "spatial_level", "assessors", "decision_date", "summary",
          "recommendation")
LONG_TEXTS = ("summary", "recommendation")  # kept as typed, line breaks and all
SPATIAL_FRAMEWORK = "spatial_level"  # the framework whose items name the spatial levels, when a checklist has it
SHORT_TEXT = MAX_NAME  # a name, a place, a plan type: the model's own bound (docs/security.md)
MAX_NAMES = MAX_LIST  # areas or assessors in one assessment
_ERRORS = "skb_details_errors"  # widget key -> the message, its blanks, and the text that could not be saved


class DetailsProblem(ValueError):
    """A detail the model would not take; `key` and `values` are the i18n message and its blanks."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _names(raw: str, separator: str) -> list[str]:
    names = [n.strip() for n in raw.split(separator)]
    return [n for n in names if n]


def _check_short(text: str, field: str) -> str:
    if len(text) > SHORT_TEXT:
        raise DetailsProblem("ui.details_too_long", field=field, n=SHORT_TEXT)
    return text


def parse_detail(field: str, raw: Any) -> Any:
    """The Metadata value for what a widget holds; DetailsProblem when it cannot be one.

    Areas are written comma-separated (as on the start page), assessors one per
    line, so a name written "Şahin, Ayşe" stays one person."""
    if field in ("areas", "assessors"):
        names = _names(str(raw or ""), "," if field == "areas" else "\n")
        if len(names) > MAX_NAMES:
            raise DetailsProblem("ui.details_too_many", field=field, n=MAX_NAMES)
        return [_check_short(n, field) for n in names]
    if field == "decision_date":  # typed as ISO 8601: Streamlit's date picker speaks English only
        if isinstance(raw, dt.date) or raw is None:
            return raw
        try:
            return parse_date(str(raw))
        except ValueError:
            raise DetailsProblem("ui.date_invalid", text=md(str(raw)[:10])) from None
    text = str(raw or "").strip() if field not in LONG_TEXTS else str(raw or "")
    if field == "spatial_level":
        return _check_short(text, field) or None
    if field in ("municipality", "plan_type"):
        return _check_short(text, field)
    return text  # title, summary and recommendation: the model's own limits apply


def updated_metadata(meta: Metadata, field: str, raw: Any) -> Metadata:
    """`meta` with `field` set from a widget's value, checked by the model; DetailsProblem if it does not pass."""
    value = parse_detail(field, raw)
    try:
        return Metadata.model_validate({**meta.model_dump(), field: value})
    except ValidationError as exc:
        error = exc.errors()[0]
        if error["type"] == "string_too_short":
            raise DetailsProblem("ui.title_required") from None
        if error["type"] == "string_too_long":
            raise DetailsProblem("ui.details_too_long", field=field, n=error["ctx"]["max_length"]) from None
        raise DetailsProblem("ui.details_invalid", field=field) from None


# --- widgets ------------------------------------------------------------------------------


def _key(doc: OpenAssessment, field: str) -> str:
    return f"d:{doc.assessment.id}:{field}"


def _widget_value(meta: Metadata, field: str, choices: bool) -> Any:
    """What the widget of `field` shows for `meta`; `choices`: drawn as a selectbox (None for no choice)."""
    value = getattr(meta, field)
    if field == "areas":
        return ", ".join(value)
    if field == "assessors":
        return "\n".join(value)
    if field == "decision_date":
        return value.isoformat() if value else ""
    return (value or None) if choices else (value or "")


def _errors() -> dict[str, tuple[str, dict[str, Any], Any]]:
    return st.session_state.setdefault(_ERRORS, {})


def _on_detail(field: str, key: str) -> None:
    doc = current()
    if doc is None or doc.locked:
        return
    errors = _errors()
    try:
        meta = updated_metadata(doc.assessment.metadata, field, st.session_state.get(key))
    except DetailsProblem as problem:
        # Nothing is saved; the text is kept here too, so it survives the expander being closed.
        errors[key] = (problem.key, problem.values, st.session_state.get(key))
        return
    errors.pop(key, None)
    if meta == doc.assessment.metadata:
        return
    if field == "plan_type":
        doc.assessment.set_plan_type(meta.plan_type)  # the checklist's plan type question follows
    else:
        doc.assessment.metadata = meta
    save_whole(doc, f"details: {field}")
    if doc.problem is not None:
        # Refused (someone saved first): after the reload the stored value comes back, so keep
        # what was typed in the field, to be saved again on the fresh version with one click.
        errors[key] = ("ui.details_not_saved", {"field": field}, st.session_state.get(key))


def _save_again(field: str, key: str) -> None:
    """Save a detail whose change a conflict refused, now on the reloaded version."""
    doc = current()
    if doc is None or doc.locked:
        return
    _errors().pop(key, None)
    _on_detail(field, key)  # the widget still holds what was typed


def _spatial_levels(checklist: Checklist, lang: str) -> dict[str, str] | None:
    """The spatial levels the checklist declares (id -> title), or None when it declares none."""
    framework = next((f for f in checklist.frameworks if f.id == SPATIAL_FRAMEWORK), None)
    if framework is None:
        return None
    return {item.id: text_for(item.title, lang) for item in framework.items}


# Each detail's label; where the report's cover or summary names the same detail, both say it by one id.
LABELS: Mapping[str, str] = MappingProxyType({
    "title": "ui.details_title", "municipality": "ui.details_municipality", "plan_type": "ui.details_plan_type",
    "areas": "ui.details_areas", "spatial_level": "common.spatial_level", "assessors": "common.assessors",
    "decision_date": "common.decision_date", "summary": "ui.details_summary", "recommendation": "common.proposed_decision",
})


def label(field: str, lang: str) -> str:
    """The label of the detail `field` in `lang`."""
    return t(lang, LABELS[field])


def _shown(doc: OpenAssessment, field: str, lang: str) -> str:
    """A detail as read-only text."""
    meta = doc.assessment.metadata
    value = getattr(meta, field)
    if field == "plan_type" and value:
        value = doc.assessment.checklist.plan_type_label(value, lang)
    if field == "spatial_level" and value:
        value = (_spatial_levels(doc.assessment.checklist, lang) or {}).get(value, value)
    if isinstance(value, list):
        # An assessor is often written "name, role, unit": semicolons keep the people apart.
        value = ("; " if field == "assessors" else ", ").join(value)
    if isinstance(value, dt.date):
        value = value.isoformat()
    return str(value or "–")


def _draw_read_only(doc: OpenAssessment, lang: str) -> None:
    st.info(t(lang, "ui.details_frozen"), icon=":material/lock:")
    lines = [f"**{label(f, lang)}:** {md(_shown(doc, f, lang))}" for f in FIELDS if f not in LONG_TEXTS]
    st.markdown("  \n".join(lines))
    for field in LONG_TEXTS:
        st.markdown(f"**{label(field, lang)}**")
        st.markdown(md(_shown(doc, field, lang)).replace("\n", "  \n"))


def _draw_editable(doc: OpenAssessment, lang: str) -> None:
    meta = doc.assessment.metadata
    checklist = doc.assessment.checklist
    levels = _spatial_levels(checklist, lang)
    selects = {"plan_type"} | ({"spatial_level"} if levels is not None else set())
    errors = _errors()
    keys = {f: _key(doc, f) for f in FIELDS}
    for field, key in keys.items():
        # A value that could not be saved stays in its widget for the planner to correct.
        value = errors[key][2] if key in errors else _widget_value(meta, field, field in selects)
        if key not in st.session_state or st.session_state[key] != value:
            st.session_state[key] = value

    def kw(field: str) -> dict[str, Any]:
        # Someone who may not edit sees the same form, drawn disabled (the wizard says why).
        return {"key": keys[field], "on_change": _on_detail, "args": (field, keys[field]), "disabled": doc.read_only}

    def problem(field: str) -> None:
        found = errors.get(keys[field])
        if found:
            message_key, values, _ = found
            if "field" in values:
                values = {**values, "field": label(values["field"], lang)}
            st.error(t(lang, message_key, **values), icon=":material/error:")
            if message_key == "ui.details_not_saved" and doc.problem is None:
                st.button(t(lang, "ui.details_save_again"), key=f"{keys[field]}:again", icon=":material/save:",
                          on_click=_save_again, args=(field, keys[field]))

    # No max_chars: the browser would cut a pasted text short without a word; the message says the limit instead.
    st.text_input(label("title", lang) + " *", **kw("title"))
    problem("title")
    a, b = st.columns(2)
    with a:
        st.text_input(label("municipality", lang), **kw("municipality"))
        problem("municipality")
    with b:
        labels = plan_type_labels([checklist], lang)
        plan_types = list(dict.fromkeys([*labels, *(checklist.plan_types or []),
                                         *([meta.plan_type] if meta.plan_type else [])]))
        st.selectbox(label("plan_type", lang), plan_types, index=None, accept_new_options=True,
                     format_func=lambda p: labels.get(p, p), help=t(lang, "ui.plan_type_help"),
                     placeholder=t(lang, "ui.choose"), **kw("plan_type"))
        problem("plan_type")
    c, d = st.columns(2)
    with c:
        st.text_input(label("areas", lang), help=t(lang, "ui.areas_help"), **kw("areas"))
        problem("areas")
    with d:
        if levels is None:
            st.text_input(label("spatial_level", lang), **kw("spatial_level"))
        else:
            options = list(levels) + ([meta.spatial_level] if meta.spatial_level and meta.spatial_level not in levels
                                      else [])
            st.selectbox(label("spatial_level", lang), options, index=None, format_func=lambda i: levels.get(i, i),
                         placeholder=t(lang, "ui.choose"), **kw("spatial_level"))
        problem("spatial_level")
    e, f = st.columns(2)
    with e:
        st.text_area(label("assessors", lang), help=t(lang, "ui.details_assessors_help"), height=90, **kw("assessors"))
        problem("assessors")
    with f:
        st.text_input(label("decision_date", lang), max_chars=10, placeholder=t(lang, "ui.date_placeholder"),
                      help=t(lang, "ui.date_help"), **kw("decision_date"))
        problem("decision_date")
    st.text_area(label("summary", lang), help=t(lang, "ui.details_summary_help"), height=160,
                 **kw("summary"))
    problem("summary")
    st.text_area(label("recommendation", lang), help=t(lang, "ui.details_recommendation_help"), height=100,
                 **kw("recommendation"))
    problem("recommendation")


def draw_details(doc: OpenAssessment, lang: str, expanded: bool = False) -> None:
    """The details in an expander (open at first when `expanded`): editable, or as text once adopted.

    Its widgets are drawn only while it is open, so the reruns of every step
    do not pay for them."""
    key = _key(doc, "open")
    errors = _errors()
    mine = [k for k in errors if k.startswith(f"d:{doc.assessment.id}:")]
    if doc.frozen:
        for k in mine:  # adopted meanwhile: nothing waits to be saved any more
            errors.pop(k)
    elif mine:
        st.session_state[key] = True  # a detail waits to be corrected or saved again: show it
    if key not in st.session_state:
        # Set once per session, not passed as `expanded`: a changed argument would make it a new
        # widget, folding it away under the planner's hands as soon as the first answer is given.
        st.session_state[key] = expanded
    box = st.expander(t(lang, "ui.details"), icon=":material/edit_note:", key=key, on_change="rerun")
    if box.open is False:
        return
    with box:
        if doc.frozen:
            _draw_read_only(doc, lang)
        else:
            _draw_editable(doc, lang)
