"""Measures and follow-up: each measure, what it concerns, who is responsible, date, status and indicator."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from assessment.answers.model import Measure

from ..i18n import msg
from ..context import ReportContext, fmt_date
from ..toolkit.model import Block, Para, Table
from ..toolkit.fonts import FAMILY
from ..toolkit.markup import para, plain, shorten
from ..toolkit.styles import FRAME_WIDTH


def measures_chapter(ctx: ReportContext) -> list[Block]:
    out: list[Block] = [ctx.heading(msg(ctx.lang, "report.measures_title")),
                           Para(para(msg(ctx.lang, "report.measures_intro")), "body")]
    measures = ctx.assessment.measures
    if not measures:
        out.append(Para(para(msg(ctx.lang, "report.measures_none")), "body"))
        return out
    # Measure and what it concerns share a column, as do date and status. The sector
    # column is as wide as its longest word (Samhällsbyggnadsförvaltningen), within reason.
    longest = max((stringWidth(word, FAMILY, ctx.st.cell.fontSize) for m in measures
                   for word in plain(m.responsible).split()), default=0.0)
    responsible_w = min(175.0, max(90.0, longest + 10))
    widths = [(FRAME_WIDTH - responsible_w - 62) * 0.58, responsible_w, 62, (FRAME_WIDTH - responsible_w - 62) * 0.42]
    rows = [ctx.cells([f"{msg(ctx.lang, 'common.measure')} / {msg(ctx.lang, 'report.measure_for').lower()}", msg(ctx.lang, "common.responsible"),
                         f"{msg(ctx.lang, 'report.due')} / {msg(ctx.lang, 'report.status').lower()}", msg(ctx.lang, "common.indicator")], head=True)]
    multi = len(ctx.alternatives()) > 1
    for m in measures:
        concerns = para(shorten(m.concerns(ctx.checklist, ctx.lang), 120))
        if multi:
            concerns += f" [{para(ctx.alt_label(m.alternative))}]"
        rows.append(ctx.cells([f"{para(m.text)}<br/><font color='#5a6270'>{concerns}</font>",
                                 para(m.responsible) or msg(ctx.lang, "report.none"),
                                 f"{fmt_date(m.due) if m.due else msg(ctx.lang, 'report.none')}<br/>{msg(ctx.lang, f'common.measure_{m.status.value}')}",
                                 _indicator_cell(ctx, m)]))
    out.append(Table(rows, widths))
    return out


def _indicator_cell(ctx: ReportContext, m: Measure) -> str:
    """The follow-up indicator and, once followed up, its latest value and date (escaped)."""
    cell = para(m.indicator) or msg(ctx.lang, "report.none")
    if m.values:
        latest = max(m.values, key=lambda v: v.date)
        number = f"{latest.value:g}".replace(".", "," if ctx.lang == "sv" else ".")
        cell += "<br/>" + msg(ctx.lang, "report.indicator_latest", value=number, date=fmt_date(latest.date))
        if latest.note:
            cell += f" – {para(latest.note)}"
    return cell
