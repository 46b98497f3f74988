"""The participation chapter: the level reached on the ladder against the level expected, and each dialogue."""

from __future__ import annotations


from ..context import ReportContext, fmt_date
from ..toolkit.model import Block, Para, Space, Table
from ..toolkit.markup import para, shorten
from ..prose import mid_sentence
from ..toolkit.styles import FRAME_WIDTH


def participation_chapter(ctx: ReportContext) -> list[Block]:
    part = ctx.result.participation
    out: list[Block] = [ctx.heading(ctx.t("participation_title"))]
    if part.reached is not None or part.expected is not None:
        line = ctx.t("participation_level", reached=para(mid_sentence(ctx.ladder_label(part.reached))),
                     expected=para(mid_sentence(ctx.ladder_label(part.expected))))
        if part.met is not None:
            line += " " + ctx.t("participation_met" if part.met else "participation_not_met")
        out.append(Para(line, "body"))
    records = ctx.assessment.participation
    if not records:
        out.append(Para(para(ctx.t("participation_none")), "body"))
    out += heard_by_group(ctx)
    for i, rec in enumerate(records, start=1):
        title = ctx.t("participation_record", number=i)
        if rec.method:
            title += f": {shorten(rec.method, 80)}"
        rows = [
            (ctx.t("participation_who"), ctx.group_cell(rec.groups) or ctx.t("none")),
            (ctx.t("participation_method"), para(rec.method) or ctx.t("none")),
            (ctx.t("participation_when"), fmt_date(rec.date) if rec.date else ctx.t("none")),
            (ctx.t("participation_level_label"), para(ctx.ladder_label(rec.level))),
            (ctx.t("participation_count"), str(rec.participants) if rec.participants is not None else ctx.t("none")),
        ]
        record = Table([ctx.cells([k, v]) for k, v in rows], [120, FRAME_WIDTH - 120], head=False, zebra=False,
                       row_heads=True)
        block: list[Block] = [ctx.heading(title, 1), record, Space(4)]
        for key, text in (("participation_heard", rec.heard), ("participation_changed", rec.changed),
                          ("participation_feedback", rec.feedback)):
            if text.strip():
                block.append(Para(f"<b>{ctx.t(key)}:</b> {para(text)}", "small"))
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
    rows = [ctx.cells([para(ctx.t("group")), para(ctx.t("participation_heard_in"))], head=True)]
    for g in groups:
        reached = [ctx.t("participation_record", number=i) for i, r in enumerate(records, start=1) if g.id in r.groups]
        cell = (para(", ".join(reached)) if reached
                else f"<b>{para(ctx.t('participation_not_heard'))}</b>")
        rows.append(ctx.cells([para(ctx.text(g.label)), cell]))
    return [ctx.heading(ctx.t("participation_groups"), 1),
            Table(rows, [200, FRAME_WIDTH - 200], row_heads=True, caption=ctx.t("participation_groups")), Space(4)]
