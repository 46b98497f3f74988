"""One chapter per checklist section: each visible question, its answers, notes, measures and review comments.

Hidden sections and questions are left out, as the wizard leaves them out. The chapters number the
questions they print ("3.1") into `ctx.numbers` and `ctx.shown`, which the flags and the review
chapters read afterwards to point to a question.
"""

from __future__ import annotations

import re
from typing import Any


from assessment.answers.conditions import visible_criteria, visible_sections
from assessment.answers.model import NOT_RELEVANT, UNKNOWN, Answer, Measure
from assessment.checklist.checklist import AnswerType, Criterion, Section
from assessment.scoring.summary import fmt_figure, rating_figure

from ..i18n import msg
from ..context import ReportContext, fmt_date
from ..toolkit.model import MUTED_OPEN, Block, Para, Space, Table
from ..toolkit.markup import para, shorten
from ..prose import clause, join_words, list_separator, mid_sentence
from ..toolkit.styles import FRAME_WIDTH
from .review import comments_on

# A section title that carries its own number: "1. Om beslutet", "Steg 4a. Barnets rättigheter", "Step 2: …".
_SELF_NUMBERED = re.compile(r"^\s*(?:\w+\s+)?\d+[a-z]?[.:)]")


def _special(ctx: ReportContext, value: Any, crit: Criterion | None = None) -> str | None:
    """No answer, unknown or not relevant, in words (escaped markup; in the words of the question's scale
    where it has its own); None for an answer proper."""
    if value is None:
        return para(msg(ctx.lang, "report.unanswered"))
    scale = ctx.checklist.scale_of(crit) if crit is not None else None
    own = scale.special_label(value) if scale is not None and value in (UNKNOWN, NOT_RELEVANT) else None
    if own is not None:
        return f"<i>{para(ctx.text(own))}</i>" if value == UNKNOWN else para(ctx.text(own))
    if value == UNKNOWN:
        return f"<i>{para(msg(ctx.lang, 'common.unknown'))}</i>"
    if value == NOT_RELEVANT:
        return para(msg(ctx.lang, "common.not_relevant"))
    return None


def _rating_label(ctx: ReportContext, crit: Criterion, value: Any) -> str:
    """A rating as words from the scale (escaped), with its figure on −100…+100: "Stor negativ (−100)"."""
    special = _special(ctx, value, crit)
    if special is not None:
        return special
    steps = ctx.checklist.scale(crit.scale or "").steps if crit.scale else []
    scale_max = float(max((abs(s.value) for s in steps), default=1)) or 1.0
    for step in steps:
        if step.value == value:
            # The words and the figure on the −100…+100 scale every score uses: never the step itself.
            return f"{para(ctx.text(step.label))} ({fmt_figure(rating_figure(value, scale_max))})"
    return para(str(value))


def _answer_text(ctx: ReportContext, crit: Criterion, value: Any) -> str:
    """An answer to a question answered once, in words (escaped markup)."""
    special = _special(ctx, value)
    if special is not None:
        return special
    t = crit.type
    if t == AnswerType.YES_NO:
        return msg(ctx.lang, "common.yes") if value else msg(ctx.lang, "common.no")
    if t in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE) and crit.choices:
        options = {o.id: ctx.text(o.label) for o in ctx.checklist.choice_list(crit.choices).options}
        chosen = value if isinstance(value, list) else [value]
        # Options that are the checklist's groups read as the groups do in a list; other options
        # (sources such as Kolada or Lupp, methods) keep their labels' capitals.
        groups = {g.id for g in ctx.checklist.groups}
        labels = [options.get(v, str(v)) for v in chosen]
        labels = [mid_sentence(lab) if i and v in groups else lab for i, (v, lab) in enumerate(zip(chosen, labels))]
        return para(list_separator(labels).join(labels))
    if t == AnswerType.LADDER:
        return para(ctx.ladder_label(str(value)))
    if t == AnswerType.NUMBER:
        number = f"{value:g}" if isinstance(value, float) else str(value)
        if ctx.lang == "sv":
            number = number.replace(".", ",")
        unit = ctx.text(crit.unit) if crit.unit else ""
        return para(f"{number} {unit}".strip())
    if t == AnswerType.DATE:
        return para(fmt_date(value))
    return para(value)


def _rated(value: Any) -> bool:
    """Whether an answer holds a rating proper (a step, or a group's step), not only unknown or not relevant."""
    values = value.values() if isinstance(value, dict) else [value]
    return any(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _dialogue_names(ctx: ReportContext, ids: list[str]) -> str:
    """The dialogues an answer rests on (plain), as the participation chapter numbers them: "Dialog 2: Workshop"."""
    numbered = {r.id: (i, r) for i, r in enumerate(ctx.assessment.participation, start=1)}
    names = []
    for rid in ids:
        if rid in numbered:
            i, rec = numbered[rid]
            name = msg(ctx.lang, "report.participation_record", number=i)
            names.append(f"{name}: {shorten(rec.method, 60)}" if rec.method else name)
        else:
            names.append(rid)
    return "; ".join(names)


def _notes(ctx: ReportContext, answer: Answer | None, prefix: str = "", rated: bool = False) -> list[Block]:
    """The motivation and evidence of an answer, as paragraphs (never inside a table cell: they may be long).

    `rated`: the question is rated, so a rating without evidence is marked "utan underlag", and the
    dialogues the answer cites are named."""
    if answer is None:
        return []
    out = []
    for key, text in (("report.motivation", answer.comment), ("common.evidence", answer.evidence)):
        if text.strip():
            label = f"{para(prefix)} – {msg(ctx.lang, key)}" if prefix else msg(ctx.lang, key)
            out.append(Para(f"<b>{label}:</b> {para(text)}", "small"))
    if rated and _rated(answer.value) and not answer.evidence.strip():
        label = f"{para(prefix)} – {msg(ctx.lang, 'report.evidence_missing_label')}" if prefix else msg(ctx.lang, "report.evidence_missing_label")
        out.append(Para(f"<b>{label}:</b> {MUTED_OPEN}{para(msg(ctx.lang, 'report.evidence_missing'))}</font>", "small"))
    if answer.dialogues:
        label = f"{para(prefix)} – {msg(ctx.lang, 'report.rests_on_dialogue')}" if prefix else msg(ctx.lang, "report.rests_on_dialogue")
        out.append(Para(f"<b>{label}:</b> {para(_dialogue_names(ctx, answer.dialogues))}", "small"))
    return out


def _measure_line(ctx: ReportContext, m: Measure, alternative: str = "") -> str:
    """A measure and its details in one line (escaped): "Text (Ansvarig: …; Klart: …; Indikator: …; Planerad)".

    Each user text that ends a clause loses its own closing period, so no ".;" or ".)" is printed."""
    details = []
    if m.responsible:
        details.append(f"{msg(ctx.lang, 'common.responsible')}: {para(clause(m.responsible))}")
    if m.due:
        details.append(f"{msg(ctx.lang, 'report.due')}: {fmt_date(m.due)}")
    if m.indicator:
        details.append(f"{msg(ctx.lang, 'common.indicator')}: {para(clause(m.indicator))}")
    details.append(msg(ctx.lang, f"common.measure_{m.status.value}"))
    if alternative:
        details.append(para(alternative))
    return para(m.text) + " <font color='#5a6270'>(" + "; ".join(details) + ")</font>"


def _criterion(ctx: ReportContext, crit: Criterion, visible_for: dict[str, set[str]], number: str) -> list[Block]:
    a = ctx.assessment
    alts = [alt for alt in ctx.alternatives() if crit.id in visible_for.get(alt, set())]
    head = Para(f"{number} {para(ctx.text(crit.text))}".strip(), "criterion")
    body: list[Block] = []
    if crit.answered_per_alternative and crit.type == AnswerType.GROUP_IMPACT:
        groups = ctx.checklist.groups_of(crit)
        col = (FRAME_WIDTH - 130) / max(1, len(alts))
        rows = [ctx.cells([msg(ctx.lang, "common.group"), *[para(ctx.alt_label(x)) for x in alts]], head=True)]
        for g in groups:
            cells = [para(ctx.text(g.label))]
            for x in alts:
                ans = a.answer(crit.id, x)
                v = ans.value if ans is not None else None
                cells.append(_rating_label(ctx, crit, v.get(g.id) if isinstance(v, dict) else v))
            rows.append(ctx.cells(cells))
        body.append(Table(rows, [130, *[col] * len(alts)], row_heads=True))
        body.append(Space(3))
    elif crit.answered_per_alternative:
        rows = [ctx.cells([msg(ctx.lang, "common.alternative"), msg(ctx.lang, "common.rating")], head=True)]
        for x in alts:
            ans = a.answer(crit.id, x)
            value = ans.value if ans is not None else None
            shown = _rating_label(ctx, crit, value) if crit.is_rated else _answer_text(ctx, crit, value)
            rows.append(ctx.cells([para(ctx.alt_label(x)), shown]))
        body.append(Table(rows, [150, FRAME_WIDTH - 150], row_heads=True))
        body.append(Space(3))
    else:
        ans = a.answer(crit.id)
        body.append(Para(f"<b>{msg(ctx.lang, 'common.answer')}:</b> {_answer_text(ctx, crit, ans.value if ans else None)}",
                              "small"))
    if crit.answered_per_alternative:
        for x in alts:
            body += _notes(ctx, a.answer(crit.id, x), ctx.alt_label(x) if len(alts) > 1 else "", crit.is_rated)
    else:
        body += _notes(ctx, a.answer(crit.id), rated=crit.is_rated)
    measures = a.measures_for(crit.id)
    if measures:
        body.append(Para(f"<b>{msg(ctx.lang, 'common.measures')}:</b>", "small"))
        for m in measures:
            alt = ctx.alt_label(m.alternative) if m.alternative and len(ctx.alternatives()) > 1 else ""
            body.append(Para(_measure_line(ctx, m, alt), "small", bullet="–"))
    body += comments_on(ctx, crit.id)
    # The question's style keeps it with what follows (keepWithNext): the question never
    # ends a page alone, and long notes may run on to the next.
    return [head, *body]


def _section(ctx: ReportContext, section: Section, index: int, visible_for: dict[str, set[str]]) -> list[Block]:
    title = ctx.text(section.title)
    out: list[Block] = [ctx.heading(f"{index}. {title}" if index else title)]
    # The section's description is guidance for whoever fills in the form ("Svara 'vet ej' hellre än att
    # gissa"), not a finding: the report leaves it out.
    alts = ctx.alternatives()
    scores = [(x, ctx.result.alternatives[x].sections.get(section.id)) for x in alts]
    scored = [(x, s) for x, s in scores if s is not None]
    if len(scored) == 1:
        out.append(Para(msg(ctx.lang, "report.section_score", scores=ctx.score_words(scored[0][1])), "small"))
    elif scored:
        # "neutral eller blandad (−14) för nollalternativ och negativ (−25) för förslaget"
        shown = [msg(ctx.lang, "report.section_score_alt", score=ctx.score_words(s, inside=True),
                       alternative=para(mid_sentence(ctx.alt_label(x)))) for x, s in scored]
        out.append(Para(msg(ctx.lang, "report.section_score", scores=join_words(shown, ctx.lang)), "small"))
    visible_any = set().union(*visible_for.values()) if visible_for else set()
    criteria = [c for c in section.criteria if c.id in visible_any]
    if not criteria:
        out.append(Para(para(msg(ctx.lang, "report.no_visible_criteria")), "muted"))
    for n, crit in enumerate(criteria, start=1):
        number = f"{index}.{n}" if index else ""
        if number:
            ctx.numbers[crit.id] = number
        ctx.shown.add(crit.id)
        out += _criterion(ctx, crit, visible_for, number)
    return out


def section_chapters(ctx: ReportContext) -> list[Block]:
    a = ctx.assessment
    c = ctx.checklist
    visible_for = {alt: visible_criteria(c, a, alt) for alt in c.alternative_ids()}
    shown_sections = visible_sections(c, a)
    out: list[Block] = []
    # A checklist that numbers its own sections ("1. Det tidiga livets villkor") keeps its
    # numbers alone: the report never numbers twice, nor with two schemes side by side.
    numbered = not any(_SELF_NUMBERED.match(ctx.text(s.title)) for s in c.sections)
    index = 0
    for section in c.sections:
        if section.id not in shown_sections:
            continue  # hidden by its condition: left out, as the wizard leaves it out
        index += 1
        out += _section(ctx, section, index if numbered else 0, visible_for)
    return out
