"""Flags and knowledge gaps: each flag with the question, group and alternative it points to; the gaps as a table."""

from __future__ import annotations


from ..i18n import msg
from ..context import ReportContext
from ..toolkit.model import Block, Para, Table
from ..toolkit.markup import para
from ..prose import sentence
from ..toolkit.styles import FRAME_WIDTH


def flags_chapter(ctx: ReportContext) -> list[Block]:
    r = ctx.result
    if not r.flags and not r.gaps:
        return []
    out: list[Block] = [ctx.heading(msg(ctx.lang, "common.flags_and_gaps"))]
    order = {"serious": 0, "warning": 1, "info": 2}
    for f in sorted(r.flags, key=lambda f: order[f.severity]):
        # Where the flag points, from the flag's own fields (its `detail` is for developers:
        # English, with ids): the question as the reader sees it, the group, the alternative.
        where = []
        if f.criterion:
            number = ctx.numbers.get(f.criterion)
            text = ctx.criterion_label(f.criterion)
            where.append(msg(ctx.lang, "report.flag_question", number=number, text=text) if number
                         else msg(ctx.lang, "report.flag_question_unnumbered", text=text))
        if f.group:
            where.append(f"{msg(ctx.lang, 'common.group')}: {ctx.group_label(f.group)}")
        if f.alternative:
            where.append(f"{msg(ctx.lang, 'common.alternative')}: {ctx.alt_label(f.alternative)}")
        text = f"<b>{msg(ctx.lang, 'report.severity_' + f.severity)}:</b> {para(sentence(ctx.text(f.message)))}"
        if where:
            text += f"<br/><font color='#5a6270'>{para(' · '.join(where))}</font>"
        out.append(Para(text, "bullet", bullet="•"))
    if r.gaps:
        out.append(ctx.heading(msg(ctx.lang, "report.gaps_list"), 1))
        rows = [ctx.cells([msg(ctx.lang, "common.section"), msg(ctx.lang, "common.question"), msg(ctx.lang, "common.alternative"), msg(ctx.lang, "common.group")], head=True)]
        # One row per question and alternative, its unknown groups in one cell, in the checklist's
        # order: a question unknown for five groups is one thing to investigate, not five rows.
        position = {c.id: i for i, c in enumerate(ctx.checklist.criteria())}
        alt_position = {a: i for i, a in enumerate(ctx.alternatives())}
        merged: dict[tuple[str, str | None], tuple[str, list[str]]] = {}
        for g in sorted(r.gaps, key=lambda g: (position.get(g.criterion, len(position)),
                                               alt_position.get(g.alternative or "", -1))):
            _, groups = merged.setdefault((g.criterion, g.alternative), (g.section, []))
            if g.group and g.group not in groups:
                groups.append(g.group)
        for (criterion, alternative), (section, groups) in merged.items():
            rows.append(ctx.cells([para(ctx.section_label(section)), para(ctx.criterion_label(criterion)),
                                     para(ctx.alt_label(alternative)) if alternative else msg(ctx.lang, "report.none"),
                                     ctx.group_cell(groups) or msg(ctx.lang, "report.none")]))
        out.append(Table(rows, [115, FRAME_WIDTH - 355, 100, 140]))
    return out
