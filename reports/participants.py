"""A short letter back to the people who took part: what we heard, what changed, what happens now.

Residents and children who joined a walk-through, a workshop or a school visit
should hear back in simple words. This builds a one-to-two-page PDF from the
assessment's participation records (heard, changed, feedback) and the measures
the municipality has promised, with large type and no scores or jargon. What
is promised is the summary's (`assessment.scoring.summary`): the measures of the
proposal that are not dropped, as the report's summary counts them, never a
measure of the zero alternative. User text is escaped through
`reports.toolkit.markup.para` like everywhere in the report. It shares fonts and styles
with the report, and its page canvas (`reports.toolkit.layout`); it scores only when given no result,
and must not read files or import streamlit.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from reportlab.platypus.doctemplate import LayoutError

from assessment.answers.model import Assessment, MeasureStatus
from assessment.catalogue import has
from assessment.errors import ReportError
from assessment.scoring.scoring import score
from assessment.scoring.summary import summarize

from .context import fmt_date, group_name
from .toolkit.fonts import register_fonts
from .i18n import msg
from .toolkit.layout import ReportDocument, numbered_canvas
from .toolkit.markup import para, plain, shorten
from .prose import list_separator, mid_sentence
from .toolkit.styles import styles

__all__ = ["render_participant_feedback"]

# Long answers are cut so the letter stays within two pages; the full text is in the report.
HEARD_LIMIT = 500
MAX_MEASURES = 5


def render_participant_feedback(assessment: Assessment, out: BinaryIO, lang: str = "sv",
                                result: Any = None, children: bool = False) -> None:
    """Write a plain-language feedback letter for the participants of `assessment` to `out` (PDF).

    `result` is the scoring result; when None the assessment is scored here. `children`: the letter is
    for children and young people aged 10–17 (Barnombudsmannen's practice, for an assessment made with
    the child checklist): shorter sentences, "what you told us", what changed, what happens next."""
    register_fonts()
    if result is None:

        result = score(assessment)
    summary = summarize(assessment, result, lang)
    st = styles()
    m = assessment.metadata

    def t(lang: str, key: str, **fields: object) -> str:
        # The children's letter has its own words where they differ (report.pfc_…), the letter's otherwise.
        if children and key.startswith("report.pf_") and has(f"report.pfc_{key[len('report.pf_'):]}"):
            key = f"report.pfc_{key[len('report.pf_'):]}"
        return msg(lang, key, **fields)

    place = ", ".join(m.areas) or m.municipality
    story: list[Flowable] = [
        Paragraph(para(t(lang, "report.pf_title")), st.title),
        Paragraph(t(lang, "report.pf_intro", title=f"<b>{para(m.title)}</b>",
                    where=t(lang, "report.pf_where", place=para(place)) if place else ""), st.big),
    ]
    records = assessment.participation
    if not records:
        story.append(Paragraph(para(t(lang, "report.pf_none")), st.big))
    for rec in records:
        when = fmt_date(rec.date) if rec.date else ""
        # The first group opens the line; declared labels after it read in lower case, free names as typed.
        declared = {g.id for g in assessment.checklist.groups}
        names = [group_name(assessment.checklist, g, lang) for g in rec.groups]
        names = [n if i == 0 or g not in declared else mid_sentence(n)
                 for i, (g, n) in enumerate(zip(rec.groups, names))]
        who = list_separator(names).join(names)
        block: list[Flowable] = []
        if rec.method:
            block.append(Paragraph(para(shorten(rec.method, 160)), st.big_head))
        if when or who:
            block.append(Paragraph(para(" · ".join(x for x in (when, who) if x)), st.body))
        if rec.heard.strip():
            block.append(Paragraph(f"<b>{para(t(lang, 'report.pf_heard'))}:</b> {para(shorten(rec.heard, HEARD_LIMIT))}", st.big))
        changed = rec.changed.strip()
        block.append(Paragraph(f"<b>{para(t(lang, 'report.pf_changed'))}:</b> "
                               + (para(shorten(changed, HEARD_LIMIT)) if changed else para(t(lang, "report.pf_nothing_changed"))),
                               st.big))
        if rec.feedback.strip():
            block.append(Paragraph(f"<b>{para(t(lang, 'report.pf_feedback'))}:</b> {para(shorten(rec.feedback, HEARD_LIMIT))}",
                                   st.big))
        story.append(KeepTogether(block))

    story.append(Paragraph(para(t(lang, "report.pf_next")), st.big_head))
    story.append(Paragraph(para(t(lang, "report.pf_next_decision", date=fmt_date(m.decision_date)) if m.decision_date
                                else t(lang, "report.pf_next_no_decision")), st.big))
    # What is decided (under way or done) apart from what is only planned: a planned investigation
    # ("Utred …") is not a promise, and the letter does not read it as one.
    promised = summary.promised[:MAX_MEASURES]
    for status, key in (((MeasureStatus.UNDER_WAY, MeasureStatus.DONE), "report.pf_next_decided"),
                        ((MeasureStatus.PLANNED,), "report.pf_next_planned")):
        these = [x for x in promised if x.status in status]
        if these:
            story.append(Paragraph(para(t(lang, key)), st.big))
            for x in these:
                story.append(Paragraph(para(shorten(x.text, 200)), st.big, bulletText="•"))
    changed_any = any(r.changed.strip() for r in records)
    story += [Spacer(1, 10), Paragraph(para(t(lang, "report.pf_thanks" if changed_any else "report.pf_thanks_unchanged")), st.big)]

    title = plain(m.title)
    doc = ReportDocument(out, title=f"{plain(msg(lang, 'report.pf_title'))} {title}", author=plain(m.municipality),
                         subject=title, creator="SKB", lang=lang)
    try:
        doc.build(story, canvasmaker=numbered_canvas(msg(lang, "report.page_of", page="{page}", pages="{pages}"),
                                                     shorten(m.municipality, 90)))
    except LayoutError as exc:
        raise ReportError(f"the participant letter could not be built: {exc}") from exc
