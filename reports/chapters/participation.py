"""The participation chapter: the level reached on the ladder against the level expected, and each dialogue."""

from __future__ import annotations


from ..i18n import msg
from ..context import ReportContext, fmt_date
from ..toolkit.model import Block, Para, Space, Table
from ..toolkit.markup import para, shorten
from ..prose import mid_sentence
from ..toolkit.styles import FRAME_WIDTH


def participation_chapter(ctx: ReportContext) -> list[Block]:
    part = ctx.result.participation
    out: list[Block] = [ctx.heading(msg(ctx.lang, "report.participation_title"))]
    if part.reached is not None or part.expected is not None:
        line = msg(ctx.lang, "report.participation_level", reached=para(mid_sentence(ctx.ladder_label(part.reached))),
                     expected=para(mid_sentence(ctx.ladder_label(part.expected))))
        if part.met is not None:
            line += " " + msg(ctx.lang, "common.participation_met" if part.met else "common.participation_not_met")
        out.append(Para(line, "body"))
    records = ctx.assessment.participation
    if not records:
        out.append(Para(para(msg(ctx.lang, "report.participation_none")), "body"))
    out += heard_by_group(ctx)
    for i, rec in enumerate(records, start=1):
        title = msg(ctx.lang, "report.participation_record", number=i)
        if rec.method:
            title += f": {shorten(rec.method, 80)}"
        rows = [
            (msg(ctx.lang, "report.participation_who"), ctx.group_cell(rec.groups) or msg(ctx.lang, "report.none")),
            (msg(ctx.lang, "report.participation_method"), para(rec.method) or msg(ctx.lang, "report.none")),
            (msg(ctx.lang, "common.when"), fmt_date(rec.date) if rec.date else msg(ctx.lang, "report.none")),
            (msg(ctx.lang, "report.participation_level_label"), para(ctx.ladder_label(rec.level))),
            (msg(ctx.lang, "common.participant_count"), str(rec.participants) if rec.participants is not None else msg(ctx.lang, "report.none")),
        ]
        record = Table([ctx.cells([k, v]) for k, v in rows], [120, FRAME_WIDTH - 120], head=False, zebra=False,
                       row_heads=True)
        block: list[Block] = [ctx.heading(title, 1), record, Space(4)]
        for key, text in (("report.participation_heard", rec.heard), ("report.participation_changed", rec.changed),
                          ("report.participation_feedback", rec.feedback)):
            if text.strip():
                block.append(Para(f"<b>{msg(ctx.lang, key)}:</b> {para(text)}", "small"))
        out += block
    return out


def heard_by_group(ctx: ReportContext) -> list[Block]:
    """Who was heard and who was not, per affected group: the dialogues that reached each declared group."""
    records = ctx.assessment.participation
    heard = {g for r in records for g in r.groups}
    # the affected groups, and a group kept for reporting only when it was heard (it is never "missing")
    groups = [g for g in ctx.checklist.groups if g.rated or g.id in heard]
    if not groups:
        return []
    rows = [ctx.cells([para(msg(ctx.lang, "common.group")), para(msg(ctx.lang, "report.participation_heard_in"))], head=True)]
    for g in groups:
        reached = [msg(ctx.lang, "report.participation_record", number=i) for i, r in enumerate(records, start=1) if g.id in r.groups]
        cell = (para(", ".join(reached)) if reached
                else f"<b>{para(msg(ctx.lang, 'report.participation_not_heard'))}</b>")
        rows.append(ctx.cells([para(ctx.text(g.label)), cell]))
    return [ctx.heading(msg(ctx.lang, "report.participation_groups"), 1),
            Table(rows, [200, FRAME_WIDTH - 200], row_heads=True, caption=msg(ctx.lang, "report.participation_groups")), Space(4)]
