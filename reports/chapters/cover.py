"""The cover: plan, municipality, areas, dates, assessors, status (or who adopted it), checklist and version."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..context import ASSESSOR_SEPARATOR, ReportContext, fmt_date
from ..fonts import FAMILY
from ..markup import para
from ..styles import FRAME_WIDTH, RULE


def cover_page(ctx: ReportContext) -> list[Flowable]:
    a = ctx.assessment
    m = a.metadata
    c = ctx.checklist
    rows: list[tuple[str, str]] = [
        (ctx.t("cover_municipality"), para(m.municipality) or ctx.t("none")),
        (ctx.t("cover_plan"), para(m.title)),
    ]
    if m.plan_type:
        rows.append((ctx.t("cover_plan_type"), para(ctx.checklist.plan_type_label(m.plan_type, ctx.lang))))
    if m.areas:
        rows.append((ctx.t("cover_areas"), para(", ".join(m.areas))))
    rows.append((ctx.t("cover_date"), fmt_date(m.created)))
    if m.decision_date:
        rows.append((ctx.t("cover_decision_date"), fmt_date(m.decision_date)))
    # An assessor is often written "name, role, unit": the semicolon keeps one person's commas apart from the next.
    rows.append((ctx.t("cover_assessors"), para(ASSESSOR_SEPARATOR.join(m.assessors)) or ctx.t("none")))
    status = ctx.t(f"status_{m.status.value}")
    if m.adopted_at and m.adopted_by:  # the sign-off: who adopted this version, and when
        status = ctx.t("cover_adopted_by", date=fmt_date(m.adopted_at), by=para(m.adopted_by))
    elif m.adopted_at:
        status += f" {fmt_date(m.adopted_at)}"
    rows.append((ctx.t("cover_status"), status))
    rows.append((ctx.t("cover_checklist"), f"{para(ctx.text(c.title))} ({para(c.id)}), version {para(c.version)}"
                 + (f"<br/><b>{para(ctx.checklist_note)}</b>" if ctx.checklist_note else "")))
    table = Table([[Paragraph(k, ctx.st.cell_head), Paragraph(v, ctx.st.body)] for k, v in rows],
                  colWidths=[120, FRAME_WIDTH - 120], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FAMILY, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [
        Spacer(1, 40),
        Paragraph(para(ctx.t("report_kind")), ctx.st.subtitle),
        Paragraph(para(m.title), ctx.st.title),
        Paragraph(para(m.municipality), ctx.st.subtitle) if m.municipality else Spacer(1, 8),
        Spacer(1, 20),
        table,
        Spacer(1, 30),
        Paragraph(para(ctx.t("cover_note")), ctx.st.muted),
        PageBreak(),
    ]
