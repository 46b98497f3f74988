"""The report: one renderer for the CLI (`skb report`) and the wizard's download button.

`render_report` turns an assessment (and its scoring result) into a PDF: a
cover, a one-page summary for decision-makers ending in questions to ask, the
table of contents, charts, one chapter per checklist section (with the
review's comments under each question), equity, participation, measures and
follow-up, flags and gaps, the review (granskning) and a method appendix.
Every piece of user text passes through `reports.markup.para` (or `plain` for
bookmarks and chart labels); every sentence assembled from pieces goes through
`reports.prose`, so no "?." is printed and labels read in lower case mid-sentence. This module reads the assessment and the result;
it never scores by itself beyond calling `assessment.scoring.score` when no
result is given, never touches files other than `out`, and never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.tableofcontents import TableOfContents

from assessment.checklist import AnswerType, Checklist, Criterion, Framework, Section, text_for
from assessment.conditions import visible_criteria, visible_sections
from assessment.errors import ReportError
from assessment.integrity import BODY_MARK, body_digest
from assessment.model import NOT_RELEVANT, UNKNOWN, Answer, Assessment, Measure
from assessment.results import Result, Score
from assessment.summary import (
    RIGHTS_FRAMEWORKS,
    Finding,
    FlagLine,
    GroupRating,
    Standing,
    Summary,
    equity_sentence,
    fmt_figure,
    rating_figure,
    standings,
    summarize,
)

from .charts import bar_chart, heatmap
from .fonts import FAMILY, register_fonts
from .i18n import msg
from .markup import para, plain, shorten
from .prose import clause, fmt_number, join_words, list_separator, mid_sentence, sentence
from .styles import ACCENT, FRAME_HEIGHT, INK, FRAME_WIDTH, MARGIN, MUTED, PAGE, RULE, SHADE, Styles, styles

__all__ = ["render_report", "ReportContext", "fmt_score", "ReportDocument", "numbered_canvas", "Heading", "group_name"]

ASSESSOR_SEPARATOR = "; "  # between assessors, on the cover and in the PDF's Author field
SUMMARY_LIMIT = 600  # characters of the assessors' summary on the one-page summary; the rest gets its own page
POLICY_AREA_IDS = ("policy_area", "policy_areas", "malomraden", "malomrade", "commission_areas")
# A section title that carries its own number: "1. Om beslutet", "Steg 4a. Barnets rättigheter", "Step 2: …".
_SELF_NUMBERED = re.compile(r"^\s*(?:\w+\s+)?\d+[a-z]?[.:)]")


# --- page furniture ------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """A canvas that holds its pages until the end, so each footer can say "Sida 3 av 12"."""

    def __init__(self, *args: Any, page_label: str = "{page} / {pages}", footer_left: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._footer_left = footer_left
        self._pages: list[dict[str, Any]] = []
        self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []
        self.heading_pages: dict[str, int] = {}  # heading key -> page, filled as headings are placed
        self.toc_numbers: dict[str, tuple[str, float]] = {}  # heading key -> font of its contents line

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # noqa: N802 (reportlab's name)
        # A bookmark names the page being written; pages are written only at save,
        # so the bookmark waits with its page.
        self._page_bookmarks.append((key, kwargs))

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            for key, kwargs in self._page_bookmarks:
                super().bookmarkPage(key, **kwargs)
            self._draw_footer(total)
            super().showPage()
        # The contents page was drawn before later pages existed; its page numbers are
        # forms, defined here now that every heading has found its page.
        for key, (font, size) in self.toc_numbers.items():
            self.beginForm(toc_form_name(key), -60, -4, 0, size + 4)
            self.setFont(font, size)
            self.setFillColor(INK)
            self.drawRightString(0, 0, str(self.heading_pages.get(key, "?")))
            self.endForm()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(FAMILY, 7.5)
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        y = MARGIN * 0.55
        self.line(MARGIN, y + 9, PAGE[0] - MARGIN, y + 9)
        self.drawRightString(PAGE[0] - MARGIN, y, self._page_label.format(page=self._pageNumber, pages=total))
        if self._footer_left:
            self.drawString(MARGIN, y, self._footer_left)
        self.restoreState()


def toc_form_name(key: str) -> str:
    return f"skbtoc{key}"


def numbered_canvas(page_label: str, footer_left: str = "") -> Any:
    """A canvasmaker for `BaseDocTemplate.build`: pages numbered "page of pages", a plain-text left footer."""
    return functools.partial(_NumberedCanvas, page_label=page_label, footer_left=footer_left)


class Heading(Paragraph):
    """A heading that also becomes a table-of-contents entry and a PDF bookmark.

    `text` is the plain (unescaped) heading: escaped for the paragraph and the
    contents, given as is to the outline, which is not markup."""

    def __init__(self, text: str, style: Any, level: int, key: str, toc: bool = True):
        self.plain_text = " ".join(plain(text).split())
        super().__init__(para(self.plain_text), style)
        self.level = level
        self.key = key
        self.toc = toc


class ReportDocument(BaseDocTemplate):
    """A one-frame A4 document whose headings feed the table of contents and the outline."""

    def __init__(self, out: BinaryIO, **kwargs: Any):
        super().__init__(out, pagesize=PAGE, initialFontName=FAMILY, initialFontSize=9.5, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, **kwargs)
        frame = Frame(MARGIN, MARGIN, FRAME_WIDTH, FRAME_HEIGHT, id="body", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain_text, flowable.key, level=flowable.level,
                                      closed=flowable.level > 0)
            pages = getattr(self.canv, "heading_pages", None)
            if pages is not None:
                pages[flowable.key] = self.page
            if flowable.toc:
                # The page number is not part of the entry: it is drawn from a form (see
                # HeadingContents), so the entries of the first pass already satisfy multiBuild.
                self.notify("TOCEntry", (flowable.level, para(flowable.plain_text), 0, flowable.key))


class HeadingContents(TableOfContents):
    """platypus' TableOfContents, seeded with the story's own headings before the build.

    The standard contents needs a second full pass only to learn the page
    numbers. Here the entries are known from the headings in the story, and
    each page number is a PDF form that the canvas defines when it saves, so
    multiBuild is satisfied after one pass. Should a heading not be placed as
    seeded, multiBuild simply runs another pass, as it would anyway."""

    def __init__(self, headings: Sequence[Heading], **kwargs: Any):
        super().__init__(**kwargs)
        self._seed = [(h.level, para(h.plain_text), 0, h.key) for h in headings if h.toc]

    def beforeBuild(self) -> None:  # noqa: N802 (reportlab's name)
        super().beforeBuild()
        if not self._lastEntries:
            self._lastEntries = list(self._seed)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        size = super().wrap(availWidth, availHeight)

        def entry_end(canvas: Canvas, kind: str, label: str) -> None:
            _, level_text, key_repr = label.split(",", 2)
            level = int(level_text)
            key = key_repr.strip("'\"")
            style = self.getLevelStyle(level)
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            room = availWidth - 24 - x
            dot = " . "
            n = int(room / stringWidth(dot, style.fontName, style.fontSize)) if room > 0 else 0
            if n > 0:
                canvas.setFont(style.fontName, style.fontSize)
                canvas.setFillColor(style.textColor)
                canvas.drawRightString(availWidth - 24, y, dot * n)
            numbers = getattr(canvas, "toc_numbers", None)
            if numbers is None:  # a canvas without deferred pages: fall back to nothing drawn
                return
            numbers[key] = (style.fontName, style.fontSize)
            canvas.saveState()
            canvas.translate(availWidth, y)
            canvas.doForm(toc_form_name(key))
            canvas.restoreState()

        self.canv.setNamedCB("drawTOCEntryEnd", entry_end)
        return size


# --- formatting ------------------------------------------------------------------------


def fmt_score(value: float | None) -> str:
    """A score as a signed whole number with a real minus sign; "–" when there is none.

    The one figure shown for a score everywhere (`assessment.summary.fmt_figure`): rounded half away from zero."""
    return fmt_figure(value)


def _fmt_date(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return plain(value)


@dataclass
class ReportContext:
    """What every part of the report needs: the assessment, its result, the language and the styles."""

    assessment: Assessment
    result: Result
    lang: str
    st: Styles = field(default_factory=styles)
    _keys: Iterable[int] = field(default_factory=itertools.count)
    # criterion id -> its number in the section chapters ("3.1"), filled as the chapters are built,
    # so that flags and the review chapter can point to the question.
    numbers: dict[str, str] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)  # criteria printed in a section chapter
    # The review's posts (assessment.comments, or a review thread given to render_report): anything
    # with id, criterion, author, at, text, reply_to and kind.
    comments: Sequence[Any] = ()
    # Every claim of the summary page, derived once from the result (`assessment.summary`).
    summary: Summary | None = None
    # "Modified copy: …" when the snapshot reuses an installed checklist's id with other content
    # (assessment.library.origin_note); shown on the cover beside the checklist.
    checklist_note: str | None = None

    @property
    def checklist(self) -> Checklist:
        return self.assessment.checklist

    def t(self, key: str, **fields: object) -> str:
        return msg(self.lang, key, **fields)

    def count(self, key: str, count: int) -> str:
        """`key` filled with `count`; its singular `key_one` when the count is 1."""
        return self.t(f"{key}_one") if count == 1 else self.t(key, count=count)

    def text(self, value: Any) -> str:
        """A checklist text (possibly {sv:…, en:…}) in the report's language, as plain text."""
        return plain(text_for(value, self.lang, self.checklist.default_language))

    def key(self) -> str:
        return f"h{next(self._keys)}"  # type: ignore[call-overload]

    def heading(self, text: str, level: int = 0) -> Heading:
        return Heading(text, self.st.h1 if level == 0 else self.st.h2, level, self.key())

    def p(self, markup: str, style: Any = None) -> Paragraph:
        """A paragraph from markup that the caller built from escaped parts."""
        return Paragraph(markup, style or self.st.body)

    # -- names of things --

    def alternatives(self) -> list[str]:
        return [a for a in self.checklist.alternative_ids() if a in self.result.alternatives] or list(
            self.result.alternatives)

    def alt_label(self, alt_id: str | None) -> str:
        if alt_id is None:
            return self.t("measure_everywhere")
        for alt in self.checklist.alternatives:
            if alt.id == alt_id:
                return self.text(alt.label)
        return self.t("default_proposal") if alt_id == "proposal" else plain(alt_id)

    def group_label(self, group_id: str) -> str:
        return group_name(self.checklist, group_id, self.lang)

    def group_words(self, group_ids: Iterable[str], start: bool = False) -> str:
        """Groups as a list inside a sentence (plain): "unga 13–25 år, barn 0–12 år och nyanlända".

        `start`: the list opens a table cell, so its first label keeps its capital."""
        return join_words([self._group_in_text(g, start and i == 0) for i, g in enumerate(group_ids)], self.lang)

    def group_cell(self, group_ids: Sequence[str]) -> str:
        """Groups listed in a table cell (escaped): the first with its capital, the rest as within a sentence."""
        labels = [self._group_in_text(g, i == 0) for i, g in enumerate(group_ids)]
        return para(list_separator(labels).join(labels))

    def _group_in_text(self, group_id: str, first: bool) -> str:
        # A declared group's label is a heading-like label and is lowered inside a sentence; a
        # free name typed in a participation record ("Föreningen Ängens vänner") stays as typed.
        label = self.group_label(group_id)
        declared = any(g.id == group_id for g in self.checklist.groups)
        return label if first or not declared else mid_sentence(label)

    def verdict(self, alternative: str) -> str:
        """The equity sentence of one alternative (escaped): the same words the summary uses."""
        return para(equity_sentence(self.result, self.checklist, self.lang, alternative=alternative))

    def criterion_label(self, criterion_id: str) -> str:
        try:
            return self.text(self.checklist.criterion(criterion_id).text)
        except KeyError:
            return plain(criterion_id)

    def section_label(self, section_id: str) -> str:
        for s in self.checklist.sections:
            if s.id == section_id:
                return self.text(s.title)
        return plain(section_id)

    def band(self, score: Score) -> str:
        """The score's band in words; "not rated" without a score, "–" when the checklist has no bands."""
        if score.value is None:
            return self.t("not_rated")
        return self.text(score.band) if score.band is not None else self.t("none")

    def score_words(self, score: Score | None, inside: bool = False) -> str:
        """A score for a sentence or a cell (escaped): "Något positiv (+18)", "+18" or "ej bedömt".

        `inside`: the words stand inside a sentence, so the band reads in lower case."""
        if score is None or score.value is None:
            return para(self.t("not_rated"))
        if score.band is None:
            return fmt_score(score.value)
        band = self.text(score.band)
        return f"{para(mid_sentence(band) if inside else band)} ({fmt_score(score.value)})"

    def policy_framework(self) -> Framework | None:
        for fid in POLICY_AREA_IDS:
            for f in self.checklist.frameworks:
                if f.id == fid:
                    return f
        return self.checklist.frameworks[0] if self.checklist.frameworks else None

    def ladder_label(self, level_id: str | None) -> str:
        if level_id is None:
            return self.t("none")
        for ladder in self.checklist.ladders:
            for level in ladder.levels:
                if level.id == level_id:
                    return self.text(level.label)
        return plain(level_id)


def group_name(checklist: Checklist, group_id: str, lang: str) -> str:
    """A declared group's label; a free name (as typed in a participation record) as is."""
    for g in checklist.groups:
        if g.id == group_id:
            return plain(text_for(g.label, lang, checklist.default_language))
    return plain(group_id)


def _table(rows: list[list[Any]], widths: Sequence[float], head: bool = True, zebra: bool = True) -> Table:
    """A table of Paragraph cells that wraps text, repeats its head and may split a tall row across pages."""
    table = Table(rows, colWidths=list(widths), repeatRows=1 if head else 0, splitInRow=1, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), FAMILY, 8),  # reportlab's cell default is Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if head:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT)]
    if zebra:
        for r in range(2 if head else 1, len(rows), 2):
            style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#fafbfc")))
    table.setStyle(TableStyle(style))
    return table


def _cells(ctx: ReportContext, values: Sequence[str], head: bool = False) -> list[Paragraph]:
    """Table cells from markup that the caller built from escaped parts."""
    style = ctx.st.cell_head if head else ctx.st.cell
    return [Paragraph(v, style) for v in values]


# --- cover ----------------------------------------------------------------------------


def _cover(ctx: ReportContext) -> list[Flowable]:
    a = ctx.assessment
    m = a.metadata
    c = ctx.checklist
    rows: list[tuple[str, str]] = [
        (ctx.t("cover_municipality"), para(m.municipality) or ctx.t("none")),
        (ctx.t("cover_plan"), para(m.title)),
    ]
    if m.plan_type:
        rows.append((ctx.t("cover_plan_type"), para(m.plan_type)))
    if m.areas:
        rows.append((ctx.t("cover_areas"), para(", ".join(m.areas))))
    rows.append((ctx.t("cover_date"), _fmt_date(m.created)))
    if m.decision_date:
        rows.append((ctx.t("cover_decision_date"), _fmt_date(m.decision_date)))
    # An assessor is often written "name, role, unit": the semicolon keeps one person's commas apart from the next.
    rows.append((ctx.t("cover_assessors"), para(ASSESSOR_SEPARATOR.join(m.assessors)) or ctx.t("none")))
    status = ctx.t(f"status_{m.status.value}")
    if m.adopted_at and m.adopted_by:  # the sign-off: who adopted this version, and when
        status = ctx.t("cover_adopted_by", date=_fmt_date(m.adopted_at), by=para(m.adopted_by))
    elif m.adopted_at:
        status += f" {_fmt_date(m.adopted_at)}"
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


# --- the one-page summary --------------------------------------------------------------


def _rating_words(ctx: ReportContext, r: GroupRating, start: bool = False) -> str:
    """One rating of a finding (plain): "unga 13–17 år: stor negativ påverkan (−100)", or the words alone."""
    words = ctx.text(r.label) if r.label is not None else ""
    shown = f"{mid_sentence(words)} ({fmt_figure(r.value)})" if words else fmt_figure(r.value)
    if r.group is None:
        return shown
    return f"{ctx.group_words([r.group], start=start)}: {shown}"


def _finding_text(ctx: ReportContext, f: Finding) -> str:
    """A finding as one bullet (escaped markup): what, for whom, how large, which alternative, and its measure."""
    what = ctx.criterion_label(f.criterion)
    ratings = [_rating_words(ctx, r) for r in f.ratings]
    if f.more_groups:
        ratings.append(ctx.count("summary_finding_more_groups", f.more_groups))
    head = (f"<b>{para(clause(shorten(what, 120)))}</b> "
            f"({para(mid_sentence(ctx.alt_label(f.alternative)))}): {para(list_separator(ratings).join(ratings))}.")
    live = f.live_measures
    if live:
        m = live[0]
        what = para(sentence(shorten(m.text, 140)))
        if m.responsible:
            what = para(clause(shorten(m.text, 140))) + f" ({para(shorten(m.responsible, 60))})."
        return f"{head} {ctx.t('summary_negative_measure', measure=what)}"
    if f.measures:  # every measure recorded for it is dropped
        return f"{head} <b>{ctx.t('summary_negative_dropped')}</b>"
    return f"{head} <b>{ctx.t('summary_negative_no_measure')}</b>"


def _flag_where(ctx: ReportContext, f: FlagLine) -> str:
    """Where a flag points (plain): its question (with its number), its group, its right, its alternative."""
    where = []
    if f.criterion:
        number = ctx.numbers.get(f.criterion)
        text = shorten(ctx.criterion_label(f.criterion), 90)
        where.append(ctx.t("flag_question", number=number, text=text) if number
                     else ctx.t("flag_question_unnumbered", text=text))
    if f.group:
        where.append(f"{ctx.t('group')}: {ctx.group_words([f.group])}")
    if f.rights:
        framework = f.rights[0][0]
        titles = []
        for fid, item in f.rights:
            try:
                titles.append(ctx.text(next(i.title for i in ctx.checklist.framework(fid).items if i.id == item)))
            except StopIteration:
                titles.append(plain(item))
        key = "flag_right" if framework in RIGHTS_FRAMEWORKS else "flag_policy_area"
        where.append(f"{ctx.t(key)}: {'; '.join(titles)}")
    if f.alternative and len(ctx.alternatives()) > 1:
        where.append(f"{ctx.t('alternative')}: {mid_sentence(ctx.alt_label(f.alternative))}")
    return " · ".join(where)


def _questions(ctx: ReportContext, s: Summary) -> list[str]:
    """Questions a politician can ask, built from what the assessment leaves open (escaped markup)."""
    qs: list[str] = []
    for f in s.findings:
        if not f.has_measure:
            qs.append(ctx.t("q_measure", criterion=para(shorten(ctx.criterion_label(f.criterion), 90))))
    if ctx.result.alternatives[s.primary].equity.verdict == "widens":
        qs.append(ctx.t("q_gap_widens"))
    if s.losers:
        qs.append(ctx.t("q_losers", groups=para(ctx.group_words([x.group for x in s.losers[:3]]))))
    if s.gaps:
        qs.append(ctx.t("q_gaps", count=len(s.gaps)))
    part = ctx.result.participation
    if part.met is False:
        qs.append(ctx.t("q_participation", reached=para(mid_sentence(ctx.ladder_label(part.reached))),
                        expected=para(mid_sentence(ctx.ladder_label(part.expected)))))
    elif not ctx.assessment.participation:
        qs.append(ctx.t("q_no_participation"))
    if not any(a.kind.value == "zero" for a in ctx.checklist.alternatives):
        qs.append(ctx.t("q_zero"))
    qs.append(ctx.t("q_follow_up"))
    return qs[:6]


def _standing_words(ctx: ReportContext, standings: Sequence[Standing], limit: int) -> str:
    """Groups with their figures (plain): "unga 13–17 år (−100), barn (−50) och 2 grupper till"."""
    words = [f"{ctx.group_words([x.group])} ({fmt_figure(x.value)})" for x in standings[:limit]]
    if len(standings) > limit:
        more = len(standings) - limit
        words.append(ctx.count("summary_more_groups", more))
    return join_words(words, ctx.lang)


def _summary(ctx: ReportContext) -> list[Flowable]:
    st = ctx.st
    s = ctx.summary
    heading = ctx.heading(ctx.t("summary_title"))
    parts: list[Flowable] = []

    parts.append(Paragraph(para(ctx.t("summary_overall")), st.summary_head))
    parts.append(Paragraph(para(s.headline), st.summary_body))
    if s.own_weights:  # a reader comparing with another municipality's assessment must know
        parts.append(Paragraph(para(s.own_weights), st.summary_body))
    partly = [g for g in s.gaps if g.groups]
    if partly and s.overall.value is not None:
        # "38 of 38 rated" next to "4 knowledge gaps" would puzzle a reader: name the unknown groups.
        parts.append(Paragraph(ctx.t("summary_group_unknown", count=len(partly)), st.summary_body))
    if s.message is not None:
        parts.append(Paragraph(para(ctx.text(s.message)), st.summary_body))

    parts.append(Paragraph(para(ctx.t("summary_recommendation")), st.summary_head))
    rec = s.recommendation
    if rec is not None:
        if rec.choice is not None:
            line = f"<b>{para(sentence(ctx.text(rec.label) if rec.label is not None else plain(rec.choice)))}</b>"
            if rec.comment.strip():
                line += " " + para(sentence(shorten(rec.comment, 300)))
            parts.append(Paragraph(line, st.summary_body))
        if rec.text:
            parts.append(Paragraph(f"<b>{para(ctx.t('summary_proposed_decision'))}:</b> "
                                   f"{para(sentence(shorten(rec.text, 600)))}", st.summary_body))
    elif not s.assessors_summary.strip():
        parts.append(Paragraph(ctx.t("summary_no_recommendation"), st.summary_body))
    if s.assessors_summary.strip():
        parts.append(Paragraph(f"<i>{para(shorten(s.assessors_summary, SUMMARY_LIMIT))}</i>", st.summary_body))

    parts.append(Paragraph(para(ctx.t("summary_who", alternative=mid_sentence(ctx.alt_label(s.primary)))),
                           st.summary_head))
    if s.groups_rated:
        if s.gainers:
            parts.append(Paragraph(para(ctx.t("summary_gainers", groups=_standing_words(ctx, s.gainers, 4))),
                                   st.summary_body))
        if s.losers:
            parts.append(Paragraph(para(ctx.t("summary_losers", groups=_standing_words(ctx, s.losers, 6))),
                                   st.summary_body))
        else:
            parts.append(Paragraph(ctx.t("summary_no_losers_but" if s.findings else "summary_no_losers"),
                                   st.summary_body))
        if s.level:
            parts.append(Paragraph(para(ctx.t("summary_level", groups=_standing_words(ctx, s.level, 4))),
                                   st.summary_body))
    else:
        parts.append(Paragraph(ctx.t("summary_no_groups"), st.summary_body))
    parts.append(Paragraph(para(s.equity), st.summary_body))

    if len(s.alternatives) > 1:
        parts.append(Paragraph(para(ctx.t("summary_alternatives")), st.summary_head))
        lines = [ctx.t("summary_alt_line", alternative=para(ctx.alt_label(a.alternative)),
                       score=ctx.score_words(ctx.result.alternatives[a.alternative].overall))
                 for a in s.alternatives[:4]]
        for d in s.differences[:2]:
            if d.shown is not None:
                lines.append(ctx.t("summary_alt_diff", other=para(mid_sentence(ctx.alt_label(d.other))),
                                   base=para(mid_sentence(ctx.alt_label(d.base))), diff=fmt_figure(d.shown)))
        parts += [Paragraph(line, st.bullet, bulletText="•") for line in lines]

    parts.append(Paragraph(para(ctx.t("summary_negatives")), st.summary_head))
    if not s.findings:
        parts.append(Paragraph(ctx.t("summary_no_negatives", alternative=para(mid_sentence(ctx.alt_label(s.primary)))),
                               st.summary_body))
    for f in s.findings[:4]:
        parts.append(Paragraph(_finding_text(ctx, f), st.bullet, bulletText="•"))
    if s.negatives > min(4, len(s.findings)):
        parts.append(Paragraph(ctx.count("summary_more_negatives", s.negatives - min(4, len(s.findings))), st.small))

    parts.append(Paragraph(para(ctx.t("summary_gaps")), st.summary_head))
    if s.gaps:
        # One question a line: question texts end in "?", which no separator joins well.
        parts.append(Paragraph(ctx.t("summary_gaps_text", count=len(s.gaps),
                                     alternative=para(mid_sentence(ctx.alt_label(s.primary)))), st.summary_body))
        for g in s.gaps[:3]:
            line = para(shorten(ctx.criterion_label(g.criterion), 110))
            if g.groups:
                line += f" <font color='#5a6270'>({para(ctx.group_words(list(g.groups[:4])))})</font>"
            parts.append(Paragraph(line, st.bullet, bulletText="•"))
        if len(s.gaps) > 3:
            parts.append(Paragraph(ctx.count("summary_more_gaps", len(s.gaps) - 3), st.small))
    else:
        parts.append(Paragraph(ctx.t("summary_no_gaps"), st.summary_body))

    parts.append(Paragraph(para(ctx.t("summary_flags")), st.summary_head))
    if not s.flags:
        parts.append(Paragraph(ctx.t("summary_no_flags"), st.summary_body))
    for f in s.flags[:4]:
        text = f"<b>{ctx.t('severity_' + f.severity)}:</b> {para(sentence(shorten(ctx.text(f.message), 200)))}"
        where = _flag_where(ctx, f)
        if where:
            text += f" <font color='#5a6270'>{para(where)}</font>"
        parts.append(Paragraph(text, st.bullet, bulletText="•"))
    if len(s.flags) > 4:
        parts.append(Paragraph(ctx.count("summary_more_flags", len(s.flags) - 4), st.small))

    parts.append(Paragraph(para(ctx.t("questions_title")), st.summary_head))
    for i, q in enumerate(_questions(ctx, s), start=1):
        parts.append(Paragraph(q, st.question, bulletText=f"{i}."))
    # Shrinks rather than spills: a politician gets exactly one page.
    _, heading_height = heading.wrap(FRAME_WIDTH, FRAME_HEIGHT)
    room = FRAME_HEIGHT - heading_height - heading.getSpaceAfter() - heading.getSpaceBefore() - 4
    return [heading, KeepInFrame(FRAME_WIDTH, room, parts, mode="shrink"), PageBreak()]


def _no_stranded_headings(flowables: list[Flowable]) -> list[Flowable]:
    """A chapter does not start in the last quarter of a page, nor a sub-chapter in the last eighth."""
    out: list[Flowable] = []
    for f in flowables:
        if isinstance(f, Heading) and not (out and isinstance(out[-1], PageBreak)):
            out.append(CondPageBreak(FRAME_HEIGHT / 4 if f.level == 0 else FRAME_HEIGHT / 8))
        out.append(f)
    return out


def _assessors_summary(ctx: ReportContext) -> list[Flowable]:
    """The assessors' own summary in full, when the one-page summary had to shorten it."""
    text = ctx.assessment.metadata.summary
    if shorten(text, SUMMARY_LIMIT) == " ".join(plain(text).split()):
        return []
    return [ctx.heading(ctx.t("summary_user_summary")), Paragraph(para(text), ctx.st.body), PageBreak()]


def _contents(ctx: ReportContext, headings: Sequence[Heading]) -> list[Flowable]:
    toc = HeadingContents(headings, dotsMinLevel=0,
                          tableStyle=TableStyle([("FONT", (0, 0), (-1, -1), FAMILY, 9),
                                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                                 ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    toc.levelStyles = [ctx.st.toc0, ctx.st.toc1]
    return [Paragraph(para(ctx.t("toc_title")), ctx.st.h1), toc, PageBreak()]


# --- charts ------------------------------------------------------------------------------


def _charts(ctx: ReportContext) -> list[Flowable]:
    r = ctx.result
    alts = ctx.alternatives()
    alt_names = [ctx.alt_label(a) for a in alts]
    out: list[Flowable] = [ctx.heading(ctx.t("charts_title"))]
    framework = ctx.policy_framework()
    if framework is not None:
        rows = [(ctx.text(item.title), [r.alternatives[a].dimensions.get(framework.id, {}).get(item.id, Score(
            value=None)).value for a in alts]) for item in framework.items]
        out.append(ctx.heading(ctx.t("chart_areas"), 1))
        if any(v is not None for _, vs in rows for v in vs):
            out.append(bar_chart(rows, alt_names, FRAME_WIDTH, ctx.t("not_rated")))
            out.append(Paragraph(para(ctx.t("chart_areas_caption")), ctx.st.muted))
        else:
            out.append(Paragraph(para(ctx.t("chart_no_data")), ctx.st.muted))
        groups = ctx.checklist.groups
        if groups:
            headline = r.headline
            grid = headline.group_dimensions.get(framework.id, {})
            values = [[grid.get(g.id, {}).get(item.id) for g in groups] for item in framework.items]
            out.append(ctx.heading(ctx.t("chart_heatmap", alternative=ctx.alt_label(headline.alternative)), 1))
            if any(v is not None for row in values for v in row):
                out.append(heatmap([ctx.text(i.title) for i in framework.items], [ctx.text(g.label) for g in groups],
                                   values, FRAME_WIDTH))
                out.append(Paragraph(para(ctx.t("chart_heatmap_caption")), ctx.st.muted))
            else:
                out.append(Paragraph(para(ctx.t("chart_no_data")), ctx.st.muted))
    sections = [s for s in ctx.checklist.sections if any(s.id in r.alternatives[a].sections for a in alts)]
    rows = [(ctx.t("chart_overall"), [r.alternatives[a].overall.value for a in alts])]
    rows += [(ctx.text(s.title), [r.alternatives[a].sections.get(s.id, Score(value=None)).value for a in alts])
             for s in sections]
    out.append(ctx.heading(ctx.t("chart_alternatives"), 1))
    if any(v is not None for _, vs in rows for v in vs):
        out.append(bar_chart(rows, alt_names, FRAME_WIDTH, ctx.t("not_rated")))
        out.append(Paragraph(para(ctx.t("chart_alternatives_caption")), ctx.st.muted))
    else:
        out.append(Paragraph(para(ctx.t("chart_no_data")), ctx.st.muted))
    summary = [_cells(ctx, [ctx.t("alternative"), ctx.t("score"), ctx.t("band"), ctx.t("coverage"),
                            ctx.t("equity_gap_change")], head=True)]
    for a in alts:
        o = r.alternatives[a].overall
        cov = f"{o.answered}/{o.applicable}"
        summary.append(_cells(ctx, [para(ctx.alt_label(a)), fmt_score(o.value), para(ctx.band(o)), cov,
                                    fmt_score(r.alternatives[a].equity.gap_change)]))
    out.append(Spacer(1, 6))
    out.append(KeepTogether([_table(summary, [150, 50, 130, 60, FRAME_WIDTH - 390])]))
    return [*out, PageBreak()]


# --- one chapter per checklist section ------------------------------------------------------


def _rating_label(ctx: ReportContext, crit: Criterion, value: Any) -> str:
    """A rating as words from the scale (escaped), with the step: "Stor negativ (−2)"."""
    if value is None:
        return para(ctx.t("unanswered"))
    if value == UNKNOWN:
        return f"<i>{para(ctx.t('unknown'))}</i>"
    if value == NOT_RELEVANT:
        return para(ctx.t("not_relevant"))
    steps = ctx.checklist.scale(crit.scale or "").steps if crit.scale else []
    scale_max = float(max((abs(s.value) for s in steps), default=1)) or 1.0
    for step in steps:
        if step.value == value:
            # The words and the figure on the −100…+100 scale every score uses: never the step itself.
            return f"{para(ctx.text(step.label))} ({fmt_figure(rating_figure(value, scale_max))})"
    return para(str(value))


def _answer_text(ctx: ReportContext, crit: Criterion, value: Any) -> str:
    """An answer to a question answered once, in words (escaped markup)."""
    if value is None:
        return para(ctx.t("unanswered"))
    if value == UNKNOWN:
        return f"<i>{para(ctx.t('unknown'))}</i>"
    if value == NOT_RELEVANT:
        return para(ctx.t("not_relevant"))
    t = crit.type
    if t == AnswerType.YES_NO:
        return ctx.t("yes") if value else ctx.t("no")
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
        return para(_fmt_date(value))
    return para(value)


def _notes(ctx: ReportContext, answer: Answer | None, prefix: str = "") -> list[Flowable]:
    """The motivation and evidence of an answer, as paragraphs (never inside a table cell: they may be long)."""
    if answer is None:
        return []
    out = []
    for key, text in (("motivation", answer.comment), ("evidence", answer.evidence)):
        if text.strip():
            label = f"{para(prefix)} – {ctx.t(key)}" if prefix else ctx.t(key)
            out.append(Paragraph(f"<b>{label}:</b> {para(text)}", ctx.st.small))
    return out


def _measure_line(ctx: ReportContext, m: Measure, alternative: str = "") -> str:
    """A measure and its details in one line (escaped): "Text (Ansvarig: …; Klart: …; Indikator: …; Planerad)".

    Each user text that ends a clause loses its own closing period, so no ".;" or ".)" is printed."""
    details = []
    if m.responsible:
        details.append(f"{ctx.t('responsible')}: {para(clause(m.responsible))}")
    if m.due:
        details.append(f"{ctx.t('due')}: {_fmt_date(m.due)}")
    if m.indicator:
        details.append(f"{ctx.t('indicator')}: {para(clause(m.indicator))}")
    details.append(ctx.t(f"measure_{m.status.value}"))
    if alternative:
        details.append(para(alternative))
    return para(m.text) + " <font color='#5a6270'>(" + "; ".join(details) + ")</font>"


def _criterion(ctx: ReportContext, crit: Criterion, visible_for: dict[str, set[str]], number: str) -> list[Flowable]:
    a = ctx.assessment
    alts = [alt for alt in ctx.alternatives() if crit.id in visible_for.get(alt, set())]
    head = Paragraph(f"{number} {para(ctx.text(crit.text))}".strip(), ctx.st.criterion)
    body: list[Flowable] = []
    if crit.answered_per_alternative and crit.type == AnswerType.GROUP_IMPACT:
        groups = ctx.checklist.groups_of(crit)
        col = (FRAME_WIDTH - 130) / max(1, len(alts))
        rows = [_cells(ctx, [ctx.t("group"), *[para(ctx.alt_label(x)) for x in alts]], head=True)]
        for g in groups:
            cells = [para(ctx.text(g.label))]
            for x in alts:
                ans = a.answer(crit.id, x)
                v = ans.value if ans is not None else None
                cells.append(_rating_label(ctx, crit, v.get(g.id) if isinstance(v, dict) else v))
            rows.append(_cells(ctx, cells))
        body.append(_table(rows, [130, *[col] * len(alts)]))
        body.append(Spacer(1, 3))
    elif crit.answered_per_alternative:
        rows = [_cells(ctx, [ctx.t("alternative"), ctx.t("rating")], head=True)]
        for x in alts:
            ans = a.answer(crit.id, x)
            value = ans.value if ans is not None else None
            shown = _rating_label(ctx, crit, value) if crit.is_rated else _answer_text(ctx, crit, value)
            rows.append(_cells(ctx, [para(ctx.alt_label(x)), shown]))
        body.append(_table(rows, [150, FRAME_WIDTH - 150]))
        body.append(Spacer(1, 3))
    else:
        ans = a.answer(crit.id)
        body.append(Paragraph(f"<b>{ctx.t('answer')}:</b> {_answer_text(ctx, crit, ans.value if ans else None)}",
                              ctx.st.small))
    if crit.answered_per_alternative:
        for x in alts:
            body += _notes(ctx, a.answer(crit.id, x), ctx.alt_label(x) if len(alts) > 1 else "")
    else:
        body += _notes(ctx, a.answer(crit.id))
    measures = a.measures_for(crit.id)
    if measures:
        body.append(Paragraph(f"<b>{ctx.t('measures')}:</b>", ctx.st.small))
        for m in measures:
            alt = ctx.alt_label(m.alternative) if m.alternative and len(ctx.alternatives()) > 1 else ""
            body.append(Paragraph(_measure_line(ctx, m, alt), ctx.st.small, bulletText="–"))
    body += _comments_on(ctx, crit.id)
    # The question's style keeps it with what follows (keepWithNext): the question never
    # ends a page alone, and long notes may run on to the next.
    return [head, *body]


# --- review comments -------------------------------------------------------------------------


def _comment_tree(ctx: ReportContext) -> tuple[list[Any], dict[str, list[Any]]]:
    """The review comments as threads: (top-level posts, replies by the id they answer), oldest first.

    A reply whose comment is missing (or that answers itself) is shown as a post of its own."""
    posts = sorted(ctx.comments, key=lambda c: (_fmt_date(c.at), str(c.at), c.id))
    ids = {c.id for c in posts}
    top: list[Any] = []
    replies: dict[str, list[Any]] = {}
    for c in posts:
        if not c.reply_to or c.reply_to not in ids or c.reply_to == c.id:
            top.append(c)
        else:
            replies.setdefault(c.reply_to, []).append(c)
    return top, replies


def _comment_paragraphs(ctx: ReportContext, post: Any, replies: dict[str, list[Any]], depth: int = 0,
                        seen: set[str] | None = None) -> list[Flowable]:
    """One post and, indented under it, the replies to it (a thread), each escaped like all user text."""
    seen = set() if seen is None else seen
    if post.id in seen:  # a loop of replies in a hand-edited file: each post once
        return []
    seen.add(post.id)
    key = {"reply": "comment_reply", "sign_off": "comment_sign_off"}.get(post.kind, "comment_by")
    who = ctx.t(key, author=f"<b>{para(post.author)}</b>", date=_fmt_date(post.at))
    style = ctx.st.comment if depth == 0 else ctx.st.reply
    out: list[Flowable] = [Paragraph(f"{who}: {para(post.text)}", style)]
    for r in replies.get(post.id, []):
        out += _comment_paragraphs(ctx, r, replies, min(depth + 1, 1), seen)
    return out


def _comments_on(ctx: ReportContext, criterion_id: str) -> list[Flowable]:
    """The review's threads on one question, under the question in its section chapter."""
    top, replies = _comment_tree(ctx)
    threads = [c for c in top if c.criterion == criterion_id]
    if not threads:
        return []
    out: list[Flowable] = [Paragraph(f"<b>{ctx.t('comments_on_question')}:</b>", ctx.st.small)]
    for c in threads:
        out += _comment_paragraphs(ctx, c, replies)
    return out


def _review(ctx: ReportContext) -> list[Flowable]:
    """Granskning: the comments on the whole assessment, comments on questions not printed, and the sign-off."""
    m = ctx.assessment.metadata
    top, replies = _comment_tree(ctx)
    whole = [c for c in top if c.criterion is None and c.kind != "sign_off"]
    sign_offs = [c for c in top if c.kind == "sign_off"]
    elsewhere = [c for c in top if c.criterion is not None and c.criterion not in ctx.shown]
    on_questions = sum(1 for c in top if c.criterion is not None and c.criterion in ctx.shown)
    if not (top or m.adopted_at or m.adopted_by):
        return []
    st = ctx.st
    out: list[Flowable] = [ctx.heading(ctx.t("review_title"))]
    if whole:
        out.append(Paragraph(para(ctx.t("review_whole")), st.body))
        for c in whole:
            out += _comment_paragraphs(ctx, c, replies)
    else:
        out.append(Paragraph(para(ctx.t("review_no_whole")), st.body))
    if on_questions:
        out.append(Paragraph(para(ctx.t("review_on_questions", count=on_questions)), st.muted))
    if elsewhere:
        out.append(ctx.heading(ctx.t("review_elsewhere"), 1))
        for c in elsewhere:
            number = ctx.numbers.get(c.criterion)
            label = shorten(ctx.criterion_label(c.criterion), 160)
            out.append(Paragraph(para(f"{number} {label}" if number else label), st.small))
            out += _comment_paragraphs(ctx, c, replies)
    out.append(ctx.heading(ctx.t("review_sign_off"), 1))
    if m.adopted_at and m.adopted_by:
        line = ctx.t("review_adopted_by", date=_fmt_date(m.adopted_at), by=para(m.adopted_by))
    elif m.adopted_at:
        line = ctx.t("review_adopted", date=_fmt_date(m.adopted_at))
    else:
        line = ctx.t("review_not_adopted", status=para(mid_sentence(ctx.t(f"status_{m.status.value}"))))
    out.append(Paragraph(line, st.body))
    for c in sign_offs:
        out += _comment_paragraphs(ctx, c, replies)
    return out


def _section(ctx: ReportContext, section: Section, index: int, visible_for: dict[str, set[str]]) -> list[Flowable]:
    title = ctx.text(section.title)
    out: list[Flowable] = [ctx.heading(f"{index}. {title}" if index else title)]
    if section.description:
        out.append(Paragraph(para(ctx.text(section.description)), ctx.st.muted))
    alts = ctx.alternatives()
    scores = [(x, ctx.result.alternatives[x].sections.get(section.id)) for x in alts]
    scored = [(x, s) for x, s in scores if s is not None]
    if len(scored) == 1:
        out.append(Paragraph(ctx.t("section_score", scores=ctx.score_words(scored[0][1])), ctx.st.small))
    elif scored:
        # "neutral eller blandad (−14) för nollalternativ och negativ (−25) för förslaget"
        shown = [ctx.t("section_score_alt", score=ctx.score_words(s, inside=True),
                       alternative=para(mid_sentence(ctx.alt_label(x)))) for x, s in scored]
        out.append(Paragraph(ctx.t("section_score", scores=join_words(shown, ctx.lang)), ctx.st.small))
    visible_any = set().union(*visible_for.values()) if visible_for else set()
    criteria = [c for c in section.criteria if c.id in visible_any]
    if not criteria:
        out.append(Paragraph(para(ctx.t("no_visible_criteria")), ctx.st.muted))
    for n, crit in enumerate(criteria, start=1):
        number = f"{index}.{n}" if index else ""
        if number:
            ctx.numbers[crit.id] = number
        ctx.shown.add(crit.id)
        out += _criterion(ctx, crit, visible_for, number)
    return out


def _sections(ctx: ReportContext) -> list[Flowable]:
    a = ctx.assessment
    c = ctx.checklist
    visible_for = {alt: visible_criteria(c, a, alt) for alt in c.alternative_ids()}
    shown_sections = visible_sections(c, a)
    out: list[Flowable] = []
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


# --- equity, participation, measures, flags, method -----------------------------------------


def _equity(ctx: ReportContext) -> list[Flowable]:
    r = ctx.result
    alts = ctx.alternatives()
    out: list[Flowable] = [PageBreak(), ctx.heading(ctx.t("equity_title")),
                           Paragraph(para(ctx.t("equity_intro")), ctx.st.body)]
    col = (FRAME_WIDTH - 170) / max(1, len(alts))
    rows = [_cells(ctx, ["", *[para(ctx.alt_label(a)) for a in alts]], head=True)]
    eqs = [r.alternatives[a].equity for a in alts]
    rows.append(_cells(ctx, [ctx.t("equity_population"), *[fmt_score(e.population) for e in eqs]]))
    rows.append(_cells(ctx, [ctx.t("equity_worse_off"), *[fmt_score(e.worse_off) for e in eqs]]))
    rows.append(_cells(ctx, [ctx.t("equity_gap_change"), *[fmt_score(e.gap_change) for e in eqs]]))
    # Who gains and who loses by the figures shown, as on the summary page: a group shown as 0 is neither.
    split = [standings(r.alternatives[a].groups) for a in alts]
    rows.append(_cells(ctx, [ctx.t("equity_gainers"),
                             *[ctx.group_cell([x.group for x in g]) or ctx.t("none") for g, _, _ in split]]))
    rows.append(_cells(ctx, [ctx.t("equity_losers"),
                             *[ctx.group_cell([x.group for x in lo]) or ctx.t("none") for _, lo, _ in split]]))
    out.append(_table(rows, [170, *[col] * len(alts)]))
    out.append(Spacer(1, 6))
    for a, e in zip(alts, eqs):
        out.append(Paragraph(f"<b>{para(ctx.alt_label(a))}:</b> {ctx.verdict(a)}", ctx.st.body))
    groups = ctx.checklist.groups
    if groups:
        out.append(ctx.heading(ctx.t("equity_groups"), 1))
        rows = [_cells(ctx, [ctx.t("group"), *[para(ctx.alt_label(a)) for a in alts]], head=True)]
        for g in groups:
            marks = []
            if g.worse_off:
                marks.append("↓")
            if g.population:
                marks.append("=")
            marks.append(f"×{fmt_number(g.weight, ctx.lang)}")
            label = para(ctx.text(g.label)) + f" <font color='#5a6270'>({', '.join(marks)})</font>"
            cells = [label]
            for a in alts:
                s = r.alternatives[a].groups.get(g.id)
                cells.append(ctx.score_words(s))
            rows.append(_cells(ctx, cells))
        out.append(_table(rows, [170, *[col] * len(alts)]))
        out += [Spacer(1, 3), Paragraph(para(ctx.t("equity_groups_caption")), ctx.st.muted)]
    return out


def _participation(ctx: ReportContext) -> list[Flowable]:
    part = ctx.result.participation
    out: list[Flowable] = [ctx.heading(ctx.t("participation_title"))]
    if part.reached is not None or part.expected is not None:
        line = ctx.t("participation_level", reached=para(mid_sentence(ctx.ladder_label(part.reached))),
                     expected=para(mid_sentence(ctx.ladder_label(part.expected))))
        if part.met is not None:
            line += " " + ctx.t("participation_met" if part.met else "participation_not_met")
        out.append(Paragraph(line, ctx.st.body))
    records = ctx.assessment.participation
    if not records:
        out.append(Paragraph(para(ctx.t("participation_none")), ctx.st.body))
    for i, rec in enumerate(records, start=1):
        title = ctx.t("participation_record", number=i)
        if rec.method:
            title += f": {shorten(rec.method, 80)}"
        rows = [
            (ctx.t("participation_who"), ctx.group_cell(rec.groups) or ctx.t("none")),
            (ctx.t("participation_method"), para(rec.method) or ctx.t("none")),
            (ctx.t("participation_when"), _fmt_date(rec.date) if rec.date else ctx.t("none")),
            (ctx.t("participation_level_label"), para(ctx.ladder_label(rec.level))),
            (ctx.t("participation_count"), str(rec.participants) if rec.participants is not None else ctx.t("none")),
        ]
        table = _table([_cells(ctx, [k, v]) for k, v in rows], [120, FRAME_WIDTH - 120], head=False, zebra=False)
        block: list[Flowable] = [ctx.heading(title, 1), table, Spacer(1, 4)]
        for key, text in (("participation_heard", rec.heard), ("participation_changed", rec.changed),
                          ("participation_feedback", rec.feedback)):
            if text.strip():
                block.append(Paragraph(f"<b>{ctx.t(key)}:</b> {para(text)}", ctx.st.small))
        out += block
    return out


def _measures(ctx: ReportContext) -> list[Flowable]:
    out: list[Flowable] = [ctx.heading(ctx.t("measures_title")),
                           Paragraph(para(ctx.t("measures_intro")), ctx.st.body)]
    measures = ctx.assessment.measures
    if not measures:
        out.append(Paragraph(para(ctx.t("measures_none")), ctx.st.body))
        return out
    # Measure and what it concerns share a column, as do date and status. The sector
    # column is as wide as its longest word (Samhällsbyggnadsförvaltningen), within reason.
    longest = max((stringWidth(word, FAMILY, ctx.st.cell.fontSize) for m in measures
                   for word in plain(m.responsible).split()), default=0.0)
    responsible_w = min(175.0, max(90.0, longest + 10))
    widths = [(FRAME_WIDTH - responsible_w - 62) * 0.58, responsible_w, 62, (FRAME_WIDTH - responsible_w - 62) * 0.42]
    rows = [_cells(ctx, [f"{ctx.t('measure')} / {ctx.t('measure_for').lower()}", ctx.t("responsible"),
                         f"{ctx.t('due')} / {ctx.t('status').lower()}", ctx.t("indicator")], head=True)]
    multi = len(ctx.alternatives()) > 1
    for m in measures:
        concerns = para(shorten(ctx.criterion_label(m.criterion), 120))
        if multi:
            concerns += f" [{para(ctx.alt_label(m.alternative))}]"
        rows.append(_cells(ctx, [f"{para(m.text)}<br/><font color='#5a6270'>{concerns}</font>",
                                 para(m.responsible) or ctx.t("none"),
                                 f"{_fmt_date(m.due) if m.due else ctx.t('none')}<br/>{ctx.t(f'measure_{m.status.value}')}",
                                 _indicator_cell(ctx, m)]))
    out.append(_table(rows, widths))
    return out


def _indicator_cell(ctx: ReportContext, m: Measure) -> str:
    """The follow-up indicator and, once followed up, its latest value and date (escaped)."""
    cell = para(m.indicator) or ctx.t("none")
    if m.values:
        latest = max(m.values, key=lambda v: v.date)
        number = f"{latest.value:g}".replace(".", "," if ctx.lang == "sv" else ".")
        cell += "<br/>" + ctx.t("indicator_latest", value=number, date=_fmt_date(latest.date))
        if latest.note:
            cell += f" – {para(latest.note)}"
    return cell


def _flags(ctx: ReportContext) -> list[Flowable]:
    r = ctx.result
    if not r.flags and not r.gaps:
        return []
    out: list[Flowable] = [ctx.heading(ctx.t("flags_title"))]
    order = {"serious": 0, "warning": 1, "info": 2}
    for f in sorted(r.flags, key=lambda f: order[f.severity]):
        # Where the flag points, from the flag's own fields (its `detail` is for developers:
        # English, with ids): the question as the reader sees it, the group, the alternative.
        where = []
        if f.criterion:
            number = ctx.numbers.get(f.criterion)
            text = ctx.criterion_label(f.criterion)
            where.append(ctx.t("flag_question", number=number, text=text) if number
                         else ctx.t("flag_question_unnumbered", text=text))
        if f.group:
            where.append(f"{ctx.t('group')}: {ctx.group_label(f.group)}")
        if f.alternative:
            where.append(f"{ctx.t('alternative')}: {ctx.alt_label(f.alternative)}")
        text = f"<b>{ctx.t('severity_' + f.severity)}:</b> {para(sentence(ctx.text(f.message)))}"
        if where:
            text += f"<br/><font color='#5a6270'>{para(' · '.join(where))}</font>"
        out.append(Paragraph(text, ctx.st.bullet, bulletText="•"))
    if r.gaps:
        out.append(ctx.heading(ctx.t("gaps_list"), 1))
        rows = [_cells(ctx, [ctx.t("section"), ctx.t("question"), ctx.t("alternative"), ctx.t("group")], head=True)]
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
            rows.append(_cells(ctx, [para(ctx.section_label(section)), para(ctx.criterion_label(criterion)),
                                     para(ctx.alt_label(alternative)) if alternative else ctx.t("none"),
                                     ctx.group_cell(groups) or ctx.t("none")]))
        out.append(_table(rows, [115, FRAME_WIDTH - 355, 100, 140]))
    return out


def _method(ctx: ReportContext) -> list[Flowable]:
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
    if c.groups:
        weights = ", ".join(f"{mid_sentence(ctx.text(g.label))} ×{fmt_number(g.weight, ctx.lang)}" for g in c.groups)
        out.append(Paragraph(para(ctx.t("method_groups", weights=weights)), st.body))
    if c.scoring.bands:
        bands = "; ".join(ctx.t("method_band_from", min=fmt_score(b.min), label=mid_sentence(ctx.text(b.label)))
                          for b in sorted(c.scoring.bands, key=lambda b: b.min))
        out.append(Paragraph(para(ctx.t("method_bands", bands=bands)), st.body))
    out.append(Paragraph(para(ctx.t("method_hidden", count=len(r.hidden), not_relevant=len(r.not_relevant))), st.body))
    out.append(ctx.heading(ctx.t("method_coverage"), 1))
    rows = [_cells(ctx, [ctx.t("alternative"), ctx.t("method_answered"), ctx.t("method_applicable"),
                         ctx.t("method_unknown"), ctx.t("coverage")], head=True)]
    for a in ctx.alternatives():
        o = r.alternatives[a].overall
        cov = f"{o.coverage * 100:.0f} %" if o.coverage is not None else ctx.t("none")
        rows.append(_cells(ctx, [para(ctx.alt_label(a)), str(o.answered), str(o.applicable), str(o.unknown), cov]))
    out.append(_table(rows, [170, 75, 75, 75, FRAME_WIDTH - 395]))
    return out


# --- the entry point --------------------------------------------------------------------------


def render_report(assessment: Assessment, out: BinaryIO, lang: str = "sv", result: Result | None = None,
                  comments: Sequence[Any] | None = None, checklist_note: str | None = None) -> None:
    """Write the full PDF report of `assessment` to the binary stream `out`.

    `result` is the scoring result; when None the assessment is scored here.
    `comments` are the review's posts to print (each with id, criterion,
    author, at, text, reply_to, kind, such as `assessment.review.Thread.comments`);
    when None, the comments stored in the assessment (`assessment.comments`).
    `lang` is "sv" or "en": the report's own words come from `reports.i18n`,
    the checklist's labels in that language (falling back to the checklist's
    default language). `checklist_note` is printed on the cover under the checklist: the
    caller's `assessment.library.origin_note` for a snapshot that is a modified copy of an
    installed checklist (the report itself reads no files). Raises ReportError when the
    report cannot be built."""
    register_fonts()
    if result is None:
        from assessment.scoring import score

        result = score(assessment)
    posts = tuple(assessment.comments if comments is None else comments)
    ctx = ReportContext(assessment, result, lang, comments=posts, checklist_note=checklist_note,
                        summary=summarize(assessment, result, lang))
    body: list[Flowable] = [
        *_charts(ctx),
        *_sections(ctx),
        *_equity(ctx),
        *_participation(ctx),
        *_measures(ctx),
        *_flags(ctx),
        *_review(ctx),
        *_method(ctx),
    ]
    summary = _summary(ctx)
    body = [*_assessors_summary(ctx), *body]
    headings = [f for f in [*summary, *body] if isinstance(f, Heading)]
    story: list[Flowable] = [*_cover(ctx), *summary, *_contents(ctx, headings), *_no_stranded_headings(body)]
    m = assessment.metadata
    title = plain(m.title)
    doc = ReportDocument(
        out,
        title=title,
        author=plain(ASSESSOR_SEPARATOR.join(m.assessors) or m.municipality),
        subject=plain(msg(lang, "subject", title=title)),
        creator="SKB",
        # The body's digest: an adopted report names the exact assessment it was built from, so that an
        # export of it can be checked elsewhere (assessment/integrity.py, check_adoption).
        keywords=[plain(m.municipality), plain(ctx.text(ctx.checklist.title)),
                  BODY_MARK + body_digest(assessment.model_dump(mode="json", by_alias=True, exclude_none=True))],
        lang=lang,
    )
    footer_left = shorten(" · ".join(x for x in (m.municipality, m.title) if x), 90)
    try:
        doc.multiBuild(story, canvasmaker=numbered_canvas(msg(lang, "page_of", page="{page}", pages="{pages}"),
                                                          footer_left))
    except LayoutError as exc:
        raise ReportError(f"the report could not be built: {exc}") from exc
