"""The method appendix: the checklist and its hash, the scoring in words, and the coverage per alternative."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph

from ..context import ReportContext, fmt_score
from ..layout import table
from ..markup import para
from ..prose import fmt_number, mid_sentence
from ..styles import FRAME_WIDTH


def method_appendix(ctx: ReportContext) -> list[Flowable]:
    c = ctx.checklist
    r = ctx.result
    st = ctx.st
    out: list[Flowable] = [PageBreak(), ctx.heading(ctx.t("method_title")),
                           Paragraph(ctx.t("method_checklist", title=para(ctx.text(c.title)), id=para(r.checklist_id),
                                           version=para(r.checklist_version)), st.body),
                           Paragraph(ctx.t("method_hash", hash=para(r.checklist_hash)), st.small),
                           ctx.heading(ctx.t("method_scoring"), 1),
                           Paragraph(para(ctx.t("method_scale")), st.body),
                           Paragraph(para(ctx.t(f"method_{c.scoring.aggregation.value}")), st.body)]
    if c.rated_groups():  # a group kept for reporting only weighs nothing
        weights = ", ".join(f"{mid_sentence(ctx.text(g.label))} ×{fmt_number(g.weight, ctx.lang)}"
                            for g in c.rated_groups())
        out.append(Paragraph(para(ctx.t("method_groups", weights=weights)), st.body))
    if c.scoring.bands:
        bands = "; ".join(ctx.t("method_band_from", min=fmt_score(b.min), label=mid_sentence(ctx.text(b.label)))
                          for b in sorted(c.scoring.bands, key=lambda b: b.min))
        out.append(Paragraph(para(ctx.t("method_bands", bands=bands)), st.body))
    out.append(Paragraph(para(ctx.t("method_hidden", count=len(r.hidden), not_relevant=len(r.not_relevant))), st.body))
    out.append(ctx.heading(ctx.t("method_coverage"), 1))
    rows = [ctx.cells([ctx.t("alternative"), ctx.t("method_answered"), ctx.t("method_applicable"),
                         ctx.t("method_unknown"), ctx.t("coverage")], head=True)]
    for a in ctx.alternatives():
        o = r.alternatives[a].overall
        cov = f"{o.coverage * 100:.0f} %" if o.coverage is not None else ctx.t("none")
        rows.append(ctx.cells([para(ctx.alt_label(a)), str(o.answered), str(o.applicable), str(o.unknown), cov]))
    out.append(table(rows, [170, 75, 75, 75, FRAME_WIDTH - 395]))
    return out
