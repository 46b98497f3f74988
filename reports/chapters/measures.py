"""Measures and follow-up: each measure, what it concerns, who is responsible, date, status and indicator."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from assessment.answers.model import Measure

from ..context import ReportContext, fmt_date
from ..toolkit.model import Block, Para, Table
from ..toolkit.fonts import FAMILY
from ..toolkit.markup import para, plain, shorten
from ..toolkit.styles import FRAME_WIDTH


def measures_chapter(ctx: ReportContext) -> list[Block]:
    out: list[Block] = [ctx.heading(ctx.t("measures_title")),
                           Para(para(ctx.t("measures_intro")), "body")]
    measures = ctx.assessment.measures
    if not measures:
        out.append(Para(para(ctx.t("measures_none")), "body"))
        return out
    # Measure and what it concerns share a column, as do date and status. The sector
    # column is as wide as its longest word (Samhällsbyggnadsförvaltningen), within reason.
    longest = max((stringWidth(word, FAMILY, ctx.st.cell.fontSize) for m in measures
                   for word in plain(m.responsible).split()), default=0.0)
    responsible_w = min(175.0, max(90.0, longest + 10))
    widths = [(FRAME_WIDTH - responsible_w - 62) * 0.58, responsible_w, 62, (FRAME_WIDTH - responsible_w - 62) * 0.42]
    rows = [ctx.cells([f"{ctx.t('measure')} / {ctx.t('measure_for').lower()}", ctx.t("responsible"),
                         f"{ctx.t('due')} / {ctx.t('status').lower()}", ctx.t("indicator")], head=True)]
    multi = len(ctx.alternatives()) > 1
    for m in measures:
        concerns = para(shorten(m.concerns(ctx.checklist, ctx.lang), 120))
        if multi:
            concerns += f" [{para(ctx.alt_label(m.alternative))}]"
        rows.append(ctx.cells([f"{para(m.text)}<br/><font color='#5a6270'>{concerns}</font>",
                                 para(m.responsible) or ctx.t("none"),
                                 f"{fmt_date(m.due) if m.due else ctx.t('none')}<br/>{ctx.t(f'measure_{m.status.value}')}",
                                 _indicator_cell(ctx, m)]))
    out.append(Table(rows, widths))
    return out


def _indicator_cell(ctx: ReportContext, m: Measure) -> str:
    """The follow-up indicator and, once followed up, its latest value and date (escaped)."""
    cell = para(m.indicator) or ctx.t("none")
    if m.values:
        latest = max(m.values, key=lambda v: v.date)
        number = f"{latest.value:g}".replace(".", "," if ctx.lang == "sv" else ".")
        cell += "<br/>" + ctx.t("indicator_latest", value=number, date=fmt_date(latest.date))
        if latest.note:
            cell += f" – {para(latest.note)}"
    return cell
