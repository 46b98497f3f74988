"""The widgets of one wizard step, generated from the checklist.

Each answer type has its widget: a horizontal scale for an impact, a grid of
selects for groups × alternatives, choices, yes/no with a comment, text,
number, date and ladder. A widget never owns an answer: before it is drawn its
session-state key (assessment id + criterion + alternative + part) is set from
the Assessment, and its on_change callback writes the new value back into the
Assessment and autosaves it. So an answer survives any rerun that does not draw
its widget (another step, a hidden condition, a page switch, a closed fold: a
question's motivation, evidence and measures are drawn only while their fold is
open, since the browser's cost of a step is its number of widgets). A value the
browser delivered whose callback Streamlit did not run is not overwritten by
that priming: `catch_up` applies it first, by the widget's own callback. The
rules of what applies and what counts are in `assessment/`; this module only draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from types import MappingProxyType
from typing import Any

import streamlit as st

from assessment.checklist.checklist import PLAN_TYPES, AnswerType, Checklist, Criterion, Section, text_for
from assessment.answers.model import MAX_NAME, MAX_TEXT, NOT_RELEVANT, UNKNOWN, Answer, Bounds, Measure, ParticipationRecord

from .failure import guarded_callback
from .i18n import t
from .progress import Visibility
from .session import OpenAssessment, current, save_answer, save_whole

__all__ = ["md", "widget_key", "fold_key", "draw_section", "catch_up", "describe", "plan_type_labels", "SIGNED_LABEL",
           "parse_date", "date_field"]

# A chart's axis or legend label as every figure reads (assessment.scoring.figures.fmt_figure): "+50", "0", "−50".
SIGNED_LABEL = "datum.value > 0 ? '+' + datum.value : datum.value < 0 ? '−' + abs(datum.value) : '0'"

# ":" too: it starts Streamlit's own directives (:red[...], :material/icon:), and escaped it keeps
# "https://..." in a text from becoming a link (GFM's autolinks need the "://" unbroken).
_MD_SPECIAL = MappingProxyType(str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"}))


def md(text: str) -> str:
    """`text` with markdown syntax escaped, so checklist and user text show as written.

    Checklist text is escaped like user text: a snapshot arrives inside a file as
    much as an answer does, and an image or a link in it must not make the
    browser fetch anything (tests/test_ui_escaping.py). Everything Streamlit
    renders as markdown (markdown, captions, titles, widget labels, help, radio
    options, expander labels) gets its text through here; select boxes and
    tables show plain text and take it as it is."""
    return text.translate(_MD_SPECIAL)


def widget_key(assessment_id: str, criterion: str, alternative: str | None, part: str) -> str:
    return f"w:{assessment_id}:{criterion}:{alternative or '-'}:{part}"


def fold_key(assessment_id: str, criterion: str, alternative: str | None, part: str) -> str:
    """The key of the fold (expander) holding a question's `part` ("reasoning" or "measures")."""
    return f"x:{assessment_id}:{criterion}:{alternative or '-'}:{part}"


def _fold(doc: OpenAssessment, crit: Criterion, alternative: str | None, part: str, label: str) -> Any:
    """A fold (expander) whose content the caller draws only while `.open`.

    Drawing every motivation, evidence and measure field made a step of the
    integrated checklist some 110 widgets, and the browser's cost of a step is
    its number of widgets. The label stays the same open or closed (a changed
    label would be a new expander, closed again), so what is written is
    previewed beside it instead (`_preview`). Closing a fold loses nothing: the
    answers are in the Assessment, and its fields are primed from it when it
    opens again.
    """
    return st.expander(label, key=fold_key(doc.assessment.id, crit.id, alternative, part), on_change="rerun")


def _preview(lines: list[tuple[str, str]], limit: int = 160) -> None:
    """What a closed fold holds, a line per field, so a reviewer sees motivations at a glance."""
    shown = []
    for name, text in lines:
        text = " ".join(text.split())
        if text:
            cut = text if len(text) <= limit else text[:limit].rstrip() + "…"
            shown.append(f"**{md(name)}:** {md(cut)}")
    if shown:
        st.caption("  \n".join(shown))


_GIVEN = "skb_widget_given"  # widget key -> (assessment id, value last given or reported, callback, its args)


def _prime(key: str, value: Any, on_change: Callable[..., None] | None = None, args: tuple[Any, ...] = ()) -> None:
    """Copy the state into the widget before it is drawn (never after); with `on_change` (the widget's
    callback), remember what it was given, for `catch_up`."""
    state = st.session_state
    if key not in state or state[key] != value:
        state[key] = value
    if on_change is not None:
        _given(key, value, on_change, args)


def _given(key: str, value: Any, on_change: Callable[..., None], args: tuple[Any, ...]) -> None:
    doc = current()
    st.session_state.setdefault(_GIVEN, {})[key] = (doc.assessment.id if doc else "", value, on_change, args)


def _reported(key: str) -> Any:
    """The value a widget reports to its callback, marked as applied (so that `catch_up` leaves it be)."""
    raw = st.session_state.get(key)
    entry = st.session_state.get(_GIVEN, {}).get(key)
    if entry is not None:
        st.session_state[_GIVEN][key] = (entry[0], raw, entry[2], entry[3])
    return raw


def catch_up(doc: OpenAssessment) -> None:
    """Apply every value the browser has delivered to a field of `doc` that no callback has applied.

    Streamlit calls a widget's callback in the run that follows a change, and a value can still reach
    the server without its callback running: a callback that fails before it in the same request takes
    the rest with it (a stale step picker did so until it was made safe: `ui/app_pages/wizard.py`,
    `_pick_step`), and whatever else Streamlit may do in a rerun. Such a value sits in the session,
    unlike what its field was last given; drawn as it is, `_prime` would put the stored answer back over
    it: the typed text gone, silently. So the wizard's fragment calls this first, before it reads the
    assessment: such a value is applied and saved by its own callback, as if it had run. What has not
    left the browser (text still being typed in a focused field) stays in that field across a fragment
    rerun and is sent when the field is left."""
    given = st.session_state.get(_GIVEN)
    if not given:
        return
    state = st.session_state
    for key, (assessment_id, value, on_change, args) in list(given.items()):
        if key not in state or assessment_id != doc.assessment.id:
            del given[key]  # no longer drawn, or another assessment's: nothing of it can arrive any more
        elif not doc.locked and state[key] != value:
            given[key] = (assessment_id, state[key], on_change, args)  # once, even if the save fails
            on_change(*args)


# --- converting between the Answer value and the widget value ----------------------


def _to_widget(crit: Criterion, checklist: Checklist, value: Any) -> Any:
    t_ = crit.type
    if t_ in (AnswerType.IMPACT, AnswerType.SINGLE_CHOICE, AnswerType.LADDER):
        return value if value in _options(crit, checklist) else None
    if t_ == AnswerType.YES_NO:
        return value if isinstance(value, bool) else None
    if t_ == AnswerType.MULTI_CHOICE:
        options = _options(crit, checklist)
        return [v for v in value if v in options] if isinstance(value, list) else []
    if t_ == AnswerType.TEXT:
        return value if isinstance(value, str) else ""
    if t_ == AnswerType.NUMBER:
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if t_ == AnswerType.DATE:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value)) if value else None
        except ValueError:
            return None
    return value


def _from_widget(crit: Criterion, raw: Any) -> Any:
    t_ = crit.type
    if t_ == AnswerType.MULTI_CHOICE:
        return list(raw) if raw else None
    if t_ == AnswerType.TEXT:
        return raw if raw and raw.strip() else None
    if t_ == AnswerType.DATE:
        return raw.isoformat() if isinstance(raw, dt.date) else None
    if t_ == AnswerType.NUMBER and isinstance(raw, float) and raw.is_integer() and _integral(crit):
        return int(raw)
    return raw


def _integral(crit: Criterion) -> bool:
    return all(b is None or float(b).is_integer() for b in (crit.min, crit.max))


def _options(crit: Criterion, checklist: Checklist) -> list[Any]:
    if crit.type in (AnswerType.IMPACT, AnswerType.GROUP_IMPACT):
        scale = checklist.scale(crit.scale or "")
        return [s.value for s in scale.steps] + [sp for sp in (UNKNOWN, NOT_RELEVANT) if scale.offers(sp)]
    if crit.type in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE):
        return [o.id for o in checklist.choice_list(crit.choices or "").options]
    if crit.type == AnswerType.LADDER:
        return [lv.id for lv in checklist.ladder(crit.ladder or "").levels]
    return []


def _labeller(crit: Criterion, checklist: Checklist, lang: str, markdown: bool = False) -> Callable[[Any], str]:
    """The option labels of a widget; `markdown` for a radio, whose options Streamlit renders as markdown."""
    labels: dict[Any, str] = {UNKNOWN: t(lang, "common.unknown"), NOT_RELEVANT: t(lang, "common.not_relevant")}
    # yes/no kept apart: True == 1 would collide with the scale step +1 in one dict
    yes_no = {True: t(lang, "common.yes"), False: t(lang, "common.no")}
    if crit.type in (AnswerType.IMPACT, AnswerType.GROUP_IMPACT):
        scale = checklist.scale(crit.scale or "")
        for s in scale.steps:
            labels[s.value] = text_for(s.label, lang)
        for special in (UNKNOWN, NOT_RELEVANT):  # the checklist's own words for them, where it has any
            if (own := scale.special_label(special)) is not None:
                labels[special] = text_for(own, lang)
    elif crit.type in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE):
        labels.update({o.id: text_for(o.label, lang) for o in checklist.choice_list(crit.choices or "").options})
    elif crit.type == AnswerType.LADDER:
        labels.update({lv.id: text_for(lv.label, lang) for lv in checklist.ladder(crit.ladder or "").levels})

    def label(value: Any) -> str:
        if isinstance(value, bool):
            return yes_no[value]
        return labels.get(value, str(value))

    if markdown:
        return lambda value: md(label(value))
    return label


def describe(checklist: Checklist, crit: Criterion, value: Any, lang: str) -> str:
    """An answer in words, as the widget showed it (for history and review)."""
    if value is None:
        return "–"
    label = _labeller(crit, checklist, lang)
    if isinstance(value, dict):
        groups = {g.id: text_for(g.label, lang) for g in checklist.groups}
        return "; ".join(f"{groups.get(g, g)}: {label(v)}" for g, v in value.items())
    if isinstance(value, list):
        return ", ".join(label(v) for v in value)
    return label(value)


def _options_help(crit: Criterion, checklist: Checklist, lang: str) -> str | None:
    """The descriptions of the steps or levels, as the widget's tooltip."""
    if crit.type in (AnswerType.IMPACT, AnswerType.GROUP_IMPACT):
        items = [(text_for(s.label, lang), text_for(s.description, lang)) for s in checklist.scale(crit.scale or "").steps]
    elif crit.type == AnswerType.LADDER:
        items = [(text_for(lv.label, lang), text_for(lv.description, lang))
                 for lv in checklist.ladder(crit.ladder or "").levels]
    else:
        return None
    lines = [f"**{md(label)}**: {md(desc)}" for label, desc in items if desc]
    return "  \n".join(lines) or None


def plan_type_labels(checklists: Iterable[Checklist], lang: str) -> dict[str, str]:
    """Every plan type the checklists name (id -> label in `lang`), in their own order: the first
    checklist that names one gives its label."""
    labels: dict[str, str] = {}
    for checklist in checklists:
        for choice_list in checklist.choice_lists:
            if choice_list.id == PLAN_TYPES:
                for option in choice_list.options:
                    labels.setdefault(option.id, text_for(option.label, lang))
    return labels


# --- callbacks: widget -> Assessment -> store ---------------------------------------


def _redraw(doc: OpenAssessment, revision: int, whole_page: bool = False) -> None:
    """After an edit: what to draw again. A widget inside the wizard's fragment reruns that
    fragment by itself (the answer, the progress, the step list, the save status). When the
    save did not go through (a conflict, the database away) or the edit shows outside the
    fragment (the plan type, in the caption and the details), the whole page reruns, so that
    everything it says about the assessment and its saving is drawn anew."""
    if whole_page or doc.problem is not None or doc.revision == revision:
        st.rerun()


@guarded_callback  # a callback that raises would take the other callbacks of its request with it
def _on_change(criterion: str, alternative: str | None, part: str, key: str) -> None:
    raw = _reported(key)
    doc = current()
    if doc is None or doc.locked:
        return
    revision = doc.revision
    crit = doc.assessment.checklist.criterion(criterion)
    old = doc.assessment.answer(criterion, alternative)
    answer = old.model_copy(deep=True) if old is not None else Answer()
    if part == "value":
        answer.value = _from_widget(crit, raw)
    elif part == "comment":
        answer.comment = raw or ""
    elif part == "evidence":
        answer.evidence = raw or ""
    elif part == "certainty":
        answer.certainty = raw or None
    elif part.startswith("group:"):
        group = part.removeprefix("group:")
        current_value = answer.value
        if isinstance(current_value, str):  # the whole question was answered unknown / not relevant
            current_value = {g.id: current_value for g in doc.assessment.checklist.groups_of(crit)}
        ratings = dict(current_value) if isinstance(current_value, dict) else {}
        if raw is None:
            ratings.pop(group, None)
        else:
            ratings[group] = raw
        answer.value = ratings or None
    question = doc.assessment.checklist.plan_type_question()
    if question is not None and question.id == criterion:
        # The plan type is one value: the details (cover, portfolio) follow the question's answer.
        a = doc.assessment
        if answer.value is None and not answer.comment.strip() and not answer.evidence.strip():
            a.answers.pop(criterion, None)
        else:
            a.set_answer(criterion, answer)
        chosen = answer.value if isinstance(answer.value, str) and answer.value not in (UNKNOWN, NOT_RELEVANT) else ""
        if part == "value" and chosen != a.metadata.plan_type:
            a.metadata = a.metadata.model_copy(update={"plan_type": chosen})
        save_whole(doc)
        _redraw(doc, revision, whole_page=True)
        return
    save_answer(doc, criterion, alternative, answer)
    _redraw(doc, revision)


def _bound(doc: OpenAssessment, crit: Criterion, alternative: str | None, part: str, value: Any) -> dict[str, Any]:
    """The key, callback and state of one widget, primed from the Assessment."""
    key = widget_key(doc.assessment.id, crit.id, alternative, part)
    _prime(key, value, _on_change, (crit.id, alternative, part, key))
    return {"key": key, "on_change": _on_change, "args": (crit.id, alternative, part, key), "disabled": doc.locked}


# --- drawing ------------------------------------------------------------------------


def _shown_answer(doc: OpenAssessment, crit: Criterion, value: Any, lang: str) -> str:
    """An answer as markdown text, for an adopted assessment: the chosen option in full colour, not a
    disabled widget's faint grey; a text keeps its line breaks."""
    if value is None:
        return f":gray[{t(lang, 'ui.no_answer')}]"
    if crit.type == AnswerType.TEXT and value not in (UNKNOWN, NOT_RELEVANT):
        return md(str(value)).replace("\n\n", "\n").replace("\n", "  \n")
    if crit.type == AnswerType.NUMBER and isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = text_for(crit.unit, lang)
        return md(f"{value:g} {unit}".strip())
    if isinstance(value, dt.date):
        return value.isoformat()
    return md(describe(doc.assessment.checklist, crit, value, lang))


def _draw_value(doc: OpenAssessment, crit: Criterion, alternative: str | None, lang: str, label: str) -> None:
    checklist = doc.assessment.checklist
    answer = doc.assessment.answer(crit.id, alternative)
    if doc.frozen:
        shown_label = f"{md(label)}: " if label else ""
        words = _shown_answer(doc, crit, answer.value if answer else None, lang)
        long_text = crit.type == AnswerType.TEXT and answer is not None and answer.value not in (None, UNKNOWN,
                                                                                                  NOT_RELEVANT)
        st.markdown(f"{shown_label}{words}" if long_text else f"{shown_label}**{words}**")
        return
    value = _to_widget(crit, checklist, answer.value if answer else None)
    kw = _bound(doc, crit, alternative, "value", value)
    shown = "visible" if label else "collapsed"
    label = md(label or text_for(crit.text, lang))  # a widget's label is markdown
    t_ = crit.type
    if t_ in (AnswerType.IMPACT, AnswerType.LADDER):
        st.radio(label, _options(crit, checklist), index=None, horizontal=True, label_visibility=shown,
                 format_func=_labeller(crit, checklist, lang, markdown=True),
                 help=_options_help(crit, checklist, lang), **kw)
    elif t_ == AnswerType.SINGLE_CHOICE:
        options = _options(crit, checklist)
        if len(options) <= 5:
            st.radio(label, options, index=None, horizontal=True, label_visibility=shown,
                     format_func=_labeller(crit, checklist, lang, markdown=True), **kw)
        else:
            st.selectbox(label, options, index=None, placeholder=t(lang, "ui.choose"), label_visibility=shown,
                         format_func=_labeller(crit, checklist, lang), **kw)
    elif t_ == AnswerType.MULTI_CHOICE:
        st.multiselect(label, _options(crit, checklist), placeholder=t(lang, "ui.choose"), label_visibility=shown,
                       format_func=_labeller(crit, checklist, lang),
                       select_all=False, **kw)  # Streamlit's "Select all" is English
    elif t_ == AnswerType.YES_NO:
        st.radio(label, [True, False], index=None, horizontal=True, label_visibility=shown,
                 format_func=_labeller(crit, checklist, lang, markdown=True), **kw)
    elif t_ == AnswerType.TEXT:
        st.text_area(label, label_visibility=shown, height=90, max_chars=MAX_TEXT, **kw)
    elif t_ == AnswerType.NUMBER:
        unit = md(text_for(crit.unit, lang))
        # Float mode always (a bound may be fractional); "%g" shows 12, not 12.00.
        if unit:  # the unit is worth showing even where the question text is the heading
            label, shown = (f"{label} ({unit})", shown) if shown == "visible" else (unit, "visible")
        st.number_input(label, value=None, min_value=crit.min, max_value=crit.max, step=1.0, format="%g",
                        label_visibility=shown, **kw)
    elif t_ == AnswerType.DATE:
        _date_input(st, label, kw["key"], lang, _on_change, kw["args"], kw["disabled"], shown)


def _draw_groups(doc: OpenAssessment, crit: Criterion, shown: list[str], lang: str) -> None:
    """The groups × alternatives grid: a column per alternative, one select per group, its reasoning below.

    A column per alternative rather than a row of columns per group: every
    block is a message the browser lays out, and rows of columns made a grid
    of seven groups some fifty of them. The group's name labels each select;
    beside the first column it is hidden but keeps its height, so the rows line
    up and a screen reader still hears which group a select rates.
    """
    checklist = doc.assessment.checklist
    options = _options(crit, checklist)
    labeller = _labeller(crit, checklist, lang)
    scale_help = _options_help(crit, checklist, lang)
    alt_labels = _alternative_labels(checklist, lang)
    groups = checklist.groups_of(crit)
    helps = {g.id: "  \n\n".join(h for h in (md(text_for(g.help, lang)), scale_help) if h) or None for g in groups}
    cols = st.columns(len(shown)) if len(shown) > 1 else [st.container()]
    for n, (col, alt) in enumerate(zip(cols, shown)):
        answer = doc.assessment.answer(crit.id, alt)
        value = answer.value if answer else None
        with col:
            if len(shown) > 1:
                st.caption(md(alt_labels[alt]))
            if doc.frozen:  # adopted: each group's rating as text, legible
                ratings = [(g, value.get(g.id) if isinstance(value, dict) else value) for g in groups]
                st.markdown("  \n".join(
                    f"{md(text_for(g.label, lang))}: **{md(labeller(r)) if r is not None else t(lang, 'ui.no_answer')}**"
                    for g, r in ratings))
                _draw_reasoning(doc, crit, alt, lang)
                continue
            for group in groups:
                rating = value.get(group.id) if isinstance(value, dict) else value
                rating = rating if rating in options else None
                st.selectbox(md(text_for(group.label, lang)), options, index=None, placeholder="–",
                             format_func=labeller, label_visibility="visible" if n == 0 else "hidden",
                             help=helps[group.id], **_bound(doc, crit, alt, f"group:{group.id}", rating))
            _draw_reasoning(doc, crit, alt, lang)


def _draw_certainty(doc: OpenAssessment, crit: Criterion, alternative: str | None, lang: str,
                    owner: str = "") -> None:
    """How sure the assessors are of the rating, when the checklist asks it: its levels, in its words;
    `owner` names the alternative where the question does not stand under its alternative's answer."""
    checklist = doc.assessment.checklist
    if checklist.certainty is None or not checklist.asks_certainty(crit):
        return
    answer = doc.assessment.answer(crit.id, alternative)
    levels = {lv.id: text_for(lv.label, lang) for lv in checklist.certainty.levels}
    current_level = answer.certainty if answer is not None and answer.certainty in levels else None
    title = text_for(checklist.certainty.title, lang) or t(lang, "ui.certainty")
    if owner:
        title = f"{owner}: {title}"
    if doc.frozen:
        if current_level is not None:
            st.markdown(f"{md(title)}: **{md(levels[current_level])}**")
        return
    st.radio(md(title), list(levels), index=None, horizontal=True, format_func=lambda lv: md(levels[lv]),
             help=md(text_for(checklist.certainty.help, lang)) or t(lang, "ui.certainty_help"),
             **_bound(doc, crit, alternative, "certainty", current_level))


def _draw_reasoning(doc: OpenAssessment, crit: Criterion, alternative: str | None, lang: str,
                    owner: str = "") -> None:
    """How sure the assessors are (when asked), then the motivation and evidence of one answer, in a fold;
    `owner` names the alternative where the fold does not stand under its alternative's own answer."""
    _draw_certainty(doc, crit, alternative, lang, owner)
    answer = doc.assessment.answer(crit.id, alternative)
    comment = answer.comment if answer else ""
    if doc.frozen:  # adopted: the motivation and the evidence as text, only where written
        parts = [(t(lang, "ui.comment"), comment), (t(lang, "common.evidence"), answer.evidence if answer else "")]
        lines = [f"{name}: {md(text.strip())}" for name, text in parts if text.strip()]
        if lines:
            st.markdown("  \n".join(lines))
        return
    if crit.type == AnswerType.YES_NO:
        st.text_input(t(lang, "ui.yes_no_comment"), max_chars=MAX_TEXT,
                      **_bound(doc, crit, alternative, "comment", comment))
        return
    evidence = answer.evidence if answer else ""
    label = f"{t(lang, 'ui.comment')} · {t(lang, 'common.evidence')}"
    fold = _fold(doc, crit, alternative, "reasoning", f"{md(owner)}: {label}" if owner else label)
    if not fold.open:
        _preview([(t(lang, "ui.comment"), comment), (t(lang, "common.evidence"), evidence)])
        return
    with fold:
        st.text_area(t(lang, "ui.comment"), height=68, help=t(lang, "ui.comment_help"), max_chars=MAX_TEXT,
                     **_bound(doc, crit, alternative, "comment", comment))
        st.text_input(t(lang, "common.evidence"), help=t(lang, "ui.evidence_help"), max_chars=MAX_TEXT,
                      **_bound(doc, crit, alternative, "evidence", evidence))


_SCALES = (AnswerType.IMPACT, AnswerType.LADDER)  # drawn as a row of radio buttons, one option per step


def _draw_scales(doc: OpenAssessment, crit: Criterion, vis: Visibility, lang: str) -> None:
    """A scale per alternative, one under the other, and their motivations side by side below.

    A column per alternative halved the line a scale has, and its seven options
    (five steps, "don't know", "not relevant") wrapped two or three to a line:
    easy to misread, and a step of such questions some 4,000 px tall. One under
    the other, each alternative's options read as one line (the style sheet lets
    a long label take two short lines, `ui.style`)."""
    checklist = doc.assessment.checklist
    labels = _alternative_labels(checklist, lang)
    shown = []
    for alt in checklist.alternative_ids():
        if crit.id not in vis.per_alternative.get(alt, frozenset()):
            st.caption(f"{md(labels[alt])}: {t(lang, 'ui.not_applicable_alt')}")
            continue
        shown.append(alt)
        _draw_value(doc, crit, alt, lang, labels[alt])
    cols = st.columns(len(shown)) if len(shown) > 1 else [st.container()]
    for col, alt in zip(cols, shown):
        with col:
            if doc.frozen and len(shown) > 1:
                st.caption(md(labels[alt]))
            _draw_reasoning(doc, crit, alt, lang, owner=labels[alt] if len(shown) > 1 else "")


def _alternative_labels(checklist: Checklist, lang: str) -> dict[str, str]:
    labels = {a.id: text_for(a.label, lang) for a in checklist.alternatives}
    return labels or {"proposal": ""}


def _draw_criterion(doc: OpenAssessment, crit: Criterion, vis: Visibility, lang: str) -> None:
    checklist = doc.assessment.checklist
    required = " :red[*]" if crit.required else ""
    st.markdown(f"**{md(text_for(crit.text, lang))}**{required}")
    if crit.help:
        st.caption(md(text_for(crit.help, lang)))
    if not crit.answered_per_alternative:
        _draw_value(doc, crit, None, lang, "")
        if crit.type == AnswerType.YES_NO:
            _draw_reasoning(doc, crit, None, lang)
    else:
        alternatives = checklist.alternative_ids()
        labels = _alternative_labels(checklist, lang)
        if crit.type == AnswerType.GROUP_IMPACT:
            shown = [a for a in alternatives if crit.id in vis.per_alternative.get(a, frozenset())]
            _draw_groups(doc, crit, shown, lang)
        elif crit.type in _SCALES and len(alternatives) > 1:
            _draw_scales(doc, crit, vis, lang)
        else:
            cols = st.columns(len(alternatives)) if len(alternatives) > 1 else [st.container()]
            for col, alt in zip(cols, alternatives):
                with col:
                    if crit.id not in vis.per_alternative.get(alt, frozenset()):
                        st.caption(f"{md(labels[alt])}: {t(lang, 'ui.not_applicable_alt')}")
                        continue
                    _draw_value(doc, crit, alt, lang, labels[alt] if len(alternatives) > 1 else "")
                    if crit.is_rated or crit.type == AnswerType.YES_NO:
                        _draw_reasoning(doc, crit, alt, lang)
    if crit.measures:
        _draw_measures(doc, crit, lang)
    if crit.id == _dialogue_question(checklist):
        _draw_dialogues(doc, crit, lang)


# --- measures (åtgärder) ------------------------------------------------------------


def _measure_key(doc: OpenAssessment, measure: Measure, part: str) -> str:
    return f"m:{doc.assessment.id}:{measure.id}:{part}"


def _editable_measure(measure_id: str) -> tuple[OpenAssessment, Measure] | None:
    """The open assessment and its measure `measure_id`, when it may be changed (a stale widget finds none)."""
    doc = current()
    if doc is None or doc.locked:
        return None
    measure = next((m for m in doc.assessment.measures if m.id == measure_id), None)
    return None if measure is None else (doc, measure)


@guarded_callback
def _on_measure(measure_id: str, part: str, key: str) -> None:
    raw = _reported(key)
    if (found := _editable_measure(measure_id)) is None:
        return
    doc, measure = found
    if part == "due":
        measure.due = raw if isinstance(raw, dt.date) else None
    else:
        setattr(measure, part, str(raw or ""))
    revision = doc.revision
    save_whole(doc, f"measure {measure_id}")
    _redraw(doc, revision)


@guarded_callback
def _add_measure(criterion: str | None) -> None:
    doc = current()
    if doc is None or doc.locked or len(doc.assessment.measures) >= Bounds.MEASURES:
        return  # the button is disabled at the bound; a stale click adds nothing
    doc.assessment.measures.append(Measure(criterion=criterion, text=""))
    revision = doc.revision
    save_whole(doc, f"measure added to {criterion or 'the assessment'}")
    _redraw(doc, revision)


@guarded_callback
def _remove_measure(measure_id: str) -> None:
    doc = current()
    if doc is None or doc.locked:
        return
    doc.assessment.measures = [m for m in doc.assessment.measures if m.id != measure_id]
    revision = doc.revision
    save_whole(doc, f"measure {measure_id} removed")
    _redraw(doc, revision)


@guarded_callback
def _on_measure_list(measure_id: str, part: str, key: str) -> None:
    """The questions or groups a measure for the whole assessment answers."""
    raw = _reported(key)
    if (found := _editable_measure(measure_id)) is None:
        return
    doc, measure = found
    chosen = [str(v) for v in raw or []]
    setattr(measure, part, chosen or None)
    save_whole(doc, f"measure {measure_id}")


def draw_general_measures(doc: OpenAssessment, lang: str) -> None:
    """The measures for the whole assessment, when the checklist has a place for them: the same fields
    as a question's, and the questions and groups each answers (which decides the flags it clears)."""
    checklist = doc.assessment.checklist
    if not checklist.measures:
        return
    with st.container(border=True, key="general-measures"):
        st.markdown(f"**{t(lang, 'ui.general_measures')}**", help=t(lang, "ui.general_measures_help"))
        questions = {k.id: text_for(k.text, lang) for k in checklist.criteria() if k.is_rated}
        groups = {g.id: text_for(g.label, lang) for g in checklist.rated_groups()}
        _measure_rows(doc, doc.assessment.general_measures(), lang, questions, groups)
        full = len(doc.assessment.measures) >= Bounds.MEASURES
        st.button(t(lang, "ui.add_measure"), key=f"m:{doc.assessment.id}:general:add", icon=":material/add:",
                  on_click=_add_measure, args=(None,), disabled=doc.locked or full)
        if full:
            st.caption(t(lang, "ui.measures_full", limit=Bounds.MEASURES))


def _draw_measures(doc: OpenAssessment, crit: Criterion, lang: str) -> None:
    measures = doc.assessment.measures_for(crit.id)
    fold = _fold(doc, crit, None, "measures", t(lang, "common.measures"))
    if not fold.open:
        _preview([(t(lang, "common.measures"), "; ".join(m.text for m in measures if m.text.strip()))])
        return
    with fold:
        _measure_rows(doc, measures, lang)
        full = len(doc.assessment.measures) >= Bounds.MEASURES
        st.button(t(lang, "ui.add_measure"), key=f"m:{doc.assessment.id}:{crit.id}:add", icon=":material/add:",
                  on_click=_add_measure, args=(crit.id,), disabled=doc.locked or full)
        if full:
            st.caption(t(lang, "ui.measures_full", limit=Bounds.MEASURES))


def _measure_rows(doc: OpenAssessment, measures: list[Measure], lang: str, questions: dict[str, str] | None = None,
                  groups: dict[str, str] | None = None) -> None:
    """One bordered box per measure; with `questions` (a measure for the whole assessment), what it answers."""
    for measure in measures:
        fields = {"text": measure.text, "responsible": measure.responsible,
                  "due": measure.due, "indicator": measure.indicator}
        for part, value in fields.items():
            key = _measure_key(doc, measure, part)
            _prime(key, value, _on_measure, (measure.id, part, key))
        kw = {"disabled": doc.locked, "on_change": _on_measure}
        # Two rows: in one, five fields left the date and the texts too narrow to read.
        box = st.container(border=True)
        a, b = box.columns([3, 2], vertical_alignment="bottom")
        c, d, e = box.columns([2, 3, 0.45], vertical_alignment="bottom")
        key = _measure_key(doc, measure, "text")
        a.text_input(t(lang, "common.measure"), key=key, args=(measure.id, "text", key),
                     placeholder=t(lang, "ui.new_measure"), max_chars=MAX_TEXT, **kw)
        key = _measure_key(doc, measure, "responsible")
        b.text_input(t(lang, "ui.measure_responsible"), key=key, args=(measure.id, "responsible", key),
                     max_chars=MAX_NAME, **kw)
        key = _measure_key(doc, measure, "due")
        _date_input(c, t(lang, "ui.measure_due"), key, lang, _on_measure, (measure.id, "due", key), doc.locked)
        key = _measure_key(doc, measure, "indicator")
        d.text_input(t(lang, "ui.measure_indicator"), key=key, args=(measure.id, "indicator", key),
                     max_chars=MAX_NAME, **kw)
        e.button(":material/delete:", key=_measure_key(doc, measure, "remove"), help=t(lang, "ui.remove_measure"),
                 on_click=_remove_measure, args=(measure.id,), disabled=doc.locked)
        for part, names in (("questions", questions), ("groups", groups)):
            if not names:
                continue
            key = _measure_key(doc, measure, part)
            _prime(key, [v for v in getattr(measure, part) or [] if v in names], _on_measure_list,
                   (measure.id, part, key))
            box.multiselect(t(lang, f"ui.measure_{part}"), list(names), format_func=lambda v, n=names: n[v],
                            placeholder=t(lang, "ui.choose"), key=key, on_change=_on_measure_list,
                            args=(measure.id, part, key), disabled=doc.locked)


# --- participation records (dialoger), beside the ladder question they document ----------


def _dialogue_key(doc: OpenAssessment, record: ParticipationRecord, part: str) -> str:
    return f"p:{doc.assessment.id}:{record.id}:{part}"


@guarded_callback
def _on_dialogue(record_id: str, part: str, key: str) -> None:
    raw = _reported(key)
    doc = current()
    if doc is None or doc.locked:
        return
    record = next((r for r in doc.assessment.participation if r.id == record_id), None)
    if record is None:
        return
    if part == "date":
        record.date = raw if isinstance(raw, dt.date) else None
    elif part == "participants":
        record.participants = int(raw) if isinstance(raw, (int, float)) and raw >= 0 else None
    elif part == "level":
        record.level = raw or None
    elif part == "groups":
        record.groups = [str(g) for g in raw or []]
    else:
        setattr(record, part, str(raw or ""))
    revision = doc.revision
    save_whole(doc, f"participation {record_id}")
    _redraw(doc, revision)


@guarded_callback
def _add_dialogue() -> None:
    doc = current()
    if doc is None or doc.locked or len(doc.assessment.participation) >= Bounds.PARTICIPATION:
        return  # the button is disabled at the bound; a stale click adds nothing
    doc.assessment.participation.append(ParticipationRecord())
    revision = doc.revision
    save_whole(doc, "participation added")
    _redraw(doc, revision)


@guarded_callback
def _remove_dialogue(record_id: str) -> None:
    doc = current()
    if doc is None or doc.locked:
        return
    doc.assessment.participation = [r for r in doc.assessment.participation if r.id != record_id]
    revision = doc.revision
    save_whole(doc, f"participation {record_id} removed")
    _redraw(doc, revision)


def _dialogue_question(checklist: Checklist) -> str | None:
    """The ladder question the participation records sit beside: the one scoring reads, else the first."""
    if checklist.scoring.participation is not None:
        return checklist.scoring.participation.question
    return next((c.id for c in checklist.criteria() if c.type == AnswerType.LADDER), None)


def _draw_dialogues(doc: OpenAssessment, crit: Criterion, lang: str) -> None:
    """Who was heard, how, at which level of this ladder, and what it changed."""
    checklist = doc.assessment.checklist
    levels = {lv.id: text_for(lv.label, lang) for lv in checklist.ladder(crit.ladder or "").levels}
    groups = {g.id: text_for(g.label, lang) for g in checklist.groups}
    with st.container(border=True):
        st.markdown(f"**{t(lang, 'ui.dialogues')}**", help=t(lang, "ui.dialogues_help"))
        for n, record in enumerate(doc.assessment.participation, start=1):
            known_groups = [g for g in record.groups if g in groups] + [g for g in record.groups if g not in groups]
            values = {"method": record.method, "date": record.date,
                      "participants": float(record.participants) if record.participants is not None else None,
                      "level": record.level if record.level in levels else None, "groups": known_groups,
                      "heard": record.heard, "changed": record.changed, "feedback": record.feedback}
            for part, value in values.items():
                key = _dialogue_key(doc, record, part)
                _prime(key, value, _on_dialogue, (record.id, part, key))

            def kw(part: str) -> dict[str, Any]:
                key = _dialogue_key(doc, record, part)
                return {"key": key, "on_change": _on_dialogue, "args": (record.id, part, key), "disabled": doc.locked}

            box = st.container(border=True)
            box.caption(f"{t(lang, 'ui.dialogue')} {n}")
            a, b, c, d = box.columns([3.4, 2.6, 2, 3], vertical_alignment="bottom")
            a.text_input(t(lang, "ui.dialogue_method"), help=t(lang, "ui.dialogue_method_help"), max_chars=MAX_NAME,
                         **kw("method"))
            _date_input(b, t(lang, "ui.dialogue_date"), kw("date")["key"], lang, _on_dialogue, kw("date")["args"],
                        doc.locked)
            c.number_input(t(lang, "common.participant_count"), value=None, min_value=0.0, step=1.0, format="%g",
                           **kw("participants"))
            d.selectbox(t(lang, "ui.dialogue_level"), list(levels), index=None, format_func=levels.__getitem__,
                        placeholder=t(lang, "ui.choose"), **kw("level"))
            box.multiselect(t(lang, "ui.dialogue_groups"), list(groups) + [g for g in known_groups if g not in groups],
                            format_func=lambda g: groups.get(g, g), accept_new_options=True,
                            max_selections=50, select_all=False,  # Streamlit's "Select all" is English
                            placeholder=t(lang, "ui.choose"), **kw("groups"))
            e, f = box.columns(2)
            e.text_area(t(lang, "ui.dialogue_heard"), height=68, max_chars=MAX_TEXT, **kw("heard"))
            f.text_area(t(lang, "ui.dialogue_changed"), height=68, max_chars=MAX_TEXT, **kw("changed"))
            g, h = box.columns([5, 1], vertical_alignment="bottom")
            g.text_input(t(lang, "ui.dialogue_feedback"), max_chars=MAX_TEXT, **kw("feedback"))
            h.button(":material/delete:", key=_dialogue_key(doc, record, "remove"), help=t(lang, "ui.remove_dialogue"),
                     on_click=_remove_dialogue, args=(record.id,), disabled=doc.locked)
        full = len(doc.assessment.participation) >= Bounds.PARTICIPATION
        st.button(t(lang, "ui.add_dialogue"), key=f"p:{doc.assessment.id}:{crit.id}:add", icon=":material/add:",
                  on_click=_add_dialogue, disabled=doc.locked or full)
        if full:
            st.caption(t(lang, "ui.dialogues_full", limit=Bounds.PARTICIPATION))


def draw_section(doc: OpenAssessment, section: Section, vis: Visibility, lang: str) -> None:
    """Every applicable question of `section`, in checklist order."""
    for crit in section.criteria:
        if crit.id not in vis.shared:
            # Hidden by its condition for every alternative; its answer stays stored, unscored. Its place is
            # kept by an empty element (drawn as nothing): the browser places what a run sends by position,
            # so a question appearing or going would move every question below it, and the browser would
            # draw those anew, a focused field losing its focus and the text not yet sent from it.
            st.empty()
            continue
        with st.container(border=True, key=f"q-{crit.id}"):
            _draw_criterion(doc, crit, vis, lang)


# --- a date typed, not picked ------------------------------------------------------------------------
# Streamlit's date picker names its months and weekdays in English whatever the page's language, and
# cannot be told otherwise; a date is typed instead, as ISO 8601 (the form every date here is shown in),
# checked, and said wrong at its field in the page's language.


def parse_date(text: str | None) -> dt.date | None:
    """An ISO date ("2026-03-15") typed into a field; None when empty. ValueError when it is not one."""
    words = (text or "").strip()
    if not words:
        return None
    if len(words) != 10 or words[4] != "-" or words[7] != "-" or not (words[:4] + words[5:7] + words[8:]).isdigit():
        raise ValueError(words)
    return dt.date.fromisoformat(words)  # also refuses 2026-02-30


def date_field(where: Any, label: str, key: str, lang: str, value: dt.date | None = None,
               disabled: bool = False) -> tuple[dt.date | None, bool]:
    """A date field in `where` (st, a column, a form): the date typed (None when empty) and whether it is one.

    A text that is no date is said so under the field, with how to write it; nothing is lost."""
    typed = where.text_input(label, value.isoformat() if value else "", key=key, max_chars=10,
                             placeholder=t(lang, "ui.date_placeholder"),
                             help=t(lang, "ui.date_help"), disabled=disabled)
    try:
        return parse_date(typed), True
    except ValueError:
        where.error(t(lang, "ui.date_invalid", text=md(str(typed)[:10])), icon=":material/event_busy:")
        return None, False


_BAD_DATE = ":typed"  # beside a date field's key: what was typed that is no date, kept until it is one


@guarded_callback
def _on_date(inner: Any, key: str, *args: Any) -> None:
    """A date field's callback: a typed ISO date reaches `inner` as a date (as a picker would give it);
    a text that is no date is kept, said wrong at its field, and saves nothing."""
    typed = _reported(key)
    try:
        day = parse_date(typed)
    except ValueError:
        st.session_state[key + _BAD_DATE] = str(typed)[:10]
        return
    st.session_state.pop(key + _BAD_DATE, None)
    st.session_state[key] = day
    try:
        inner(*args)
    finally:
        st.session_state[key] = day.isoformat() if day else ""
        _reported(key)  # the field as it now reads, not the date `inner` was handed


def _date_input(where: Any, label: str, key: str, lang: str, inner: Any, args: tuple[Any, ...], disabled: bool,
                label_visibility: str = "visible") -> None:
    """A date typed, for a field whose state is primed with a date (a question, a measure's due date, a
    dialogue's date): shown as ISO 8601, handed to `inner` as a date, a wrong one said at the field."""
    bad = st.session_state.get(key + _BAD_DATE)
    value = st.session_state.get(key)
    shown = st.session_state[key] = bad if bad is not None else (
        value.isoformat() if isinstance(value, dt.date) else (value if isinstance(value, str) else ""))
    _given(key, shown, _on_date, (inner, key, *args))  # the field's own callback, for `catch_up`
    where.text_input(label, key=key, max_chars=10, placeholder=t(lang, "ui.date_placeholder"),
                     help=t(lang, "ui.date_help"), on_change=_on_date, args=(inner, key, *args), disabled=disabled,
                     label_visibility=label_visibility)
    if bad is not None:
        where.error(t(lang, "ui.date_invalid", text=md(bad)), icon=":material/event_busy:")
    else:  # the message's place, kept (drawn as nothing), so that the fields below keep theirs
        where.empty()
