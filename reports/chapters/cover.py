"""The cover: plan, municipality, areas, dates, assessors, status (or who adopted it), checklist and version."""

from __future__ import annotations

from ..i18n import msg
from ..context import ASSESSOR_SEPARATOR, ReportContext, fmt_date
from ..toolkit.markup import para
from ..toolkit.model import Block, Break, Para, Space, Table
from ..toolkit.styles import FRAME_WIDTH


def cover_page(ctx: ReportContext) -> list[Block]:
    a = ctx.assessment
    m = a.metadata
    c = ctx.checklist
    rows: list[tuple[str, str]] = [
        (msg(ctx.lang, "report.cover_municipality"), para(m.municipality) or msg(ctx.lang, "report.none")),
        (msg(ctx.lang, "report.cover_plan"), para(m.title)),
    ]
    if m.plan_type:
        rows.append((msg(ctx.lang, "report.cover_plan_type"), para(ctx.checklist.plan_type_label(m.plan_type, ctx.lang))))
    if m.areas:
        rows.append((msg(ctx.lang, "report.cover_areas"), para(", ".join(m.areas))))
    if m.spatial_level:
        rows.append((msg(ctx.lang, "common.spatial_level"), para(spatial_label(ctx, m.spatial_level))))
    rows.append((msg(ctx.lang, "report.cover_date"), fmt_date(m.created)))
    if m.decision_date:
        rows.append((msg(ctx.lang, "common.decision_date"), fmt_date(m.decision_date)))
    # An assessor is often written "name, role, unit": the semicolon keeps one person's commas apart from the next.
    rows.append((msg(ctx.lang, "common.assessors"), para(ASSESSOR_SEPARATOR.join(m.assessors)) or msg(ctx.lang, "report.none")))
    status = msg(ctx.lang, f"common.status_{m.status.value}")
    if m.adopted_at and m.adopted_by:  # the sign-off: who adopted this version, and when
        status = msg(ctx.lang, "common.adopted_on_by", date=fmt_date(m.adopted_at), by=para(m.adopted_by))
    elif m.adopted_at:
        status += f" {fmt_date(m.adopted_at)}"
    rows.append((msg(ctx.lang, "common.status"), status))
    rows.append((msg(ctx.lang, "common.checklist"), f"{para(ctx.text(c.title))} ({para(c.id)}), version {para(c.version)}"
                 + (f"<br/><b>{para(ctx.checklist_note)}</b>" if ctx.checklist_note else "")))
    facts = Table([[para(k), v] for k, v in rows], [120, FRAME_WIDTH - 120], head=False, zebra=False,
                  row_heads=True, kind="facts")
    return [
        Space(40),
        Para(para(msg(ctx.lang, "report.report_kind")), "subtitle"),
        Para(para(m.title), "title"),
        Para(para(m.municipality), "subtitle") if m.municipality else Space(8),
        Space(20),
        facts,
        Space(30),
        Para(para(msg(ctx.lang, "report.cover_note")), "muted"),
        *language_note(ctx),
        Break(),
    ]


def spatial_label(ctx: ReportContext, value: str) -> str:
    """The assessment's spatial level as the checklist names it (a choice or a framework item with that id),
    else as typed."""
    c = ctx.checklist
    for cl in c.choice_lists:
        for o in cl.options:
            if o.id == value:
                return ctx.text(o.label)
    for f in c.frameworks:
        for i in f.items:
            if i.id == value:
                return ctx.text(i.title)
    return value


def language_note(ctx: ReportContext) -> list[Block]:
    """A report in another language than the assessment was written in says so: its own texts stay as written."""
    written = getattr(ctx.assessment, "language", None) or ctx.checklist.default_language
    if written == ctx.lang:
        return []
    name = msg(ctx.lang, f"report.language_{written}") if written in ("sv", "en") else written
    return [Para(f"<b>{para(msg(ctx.lang, 'report.case_text_language', language=name))}</b>", "muted")]
