"""The one-page summary for decision-makers, and the assessors' own summary in full when it had to be shortened.

Every claim comes from `ctx.summary` (`assessment.scoring.summary.summarize`); this module only words it.
The page shrinks rather than spills: a politician gets exactly one page.
"""

from __future__ import annotations

from collections.abc import Sequence

from assessment.scoring.glance import glance
from assessment.scoring.summary import RIGHTS_FRAMEWORKS, Finding, FlagLine, GroupRating, Standing, Summary, fmt_figure

from ..toolkit.charts import glance_chart
from ..i18n import msg, msgn
from ..context import ReportContext
from ..toolkit.markup import para, plain, shorten
from ..toolkit.model import MUTED_OPEN, Block, Break, Columns, Figure, OnePage, Para
from ..prose import clause, join_words, list_separator, mid_sentence, sentence
from ..toolkit.styles import FRAME_WIDTH
from .charts import data_table

SHOWN_FINDINGS = 3  # the most serious findings on the decision page; the rest are counted
SHOWN_FLAGS = 3
SHOWN_QUESTIONS = 4
SHOWN_RATINGS = 2  # groups named in a finding (the worst first); the rest are counted


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
    ratings = [_rating_words(ctx, r) for r in f.ratings[:SHOWN_RATINGS]]
    more = f.more_groups + max(0, len(f.ratings) - SHOWN_RATINGS)
    if more:
        ratings.append(msgn(ctx.lang, "common.more_groups_and", more))
    head = (f"<b>{para(clause(shorten(what, 100)))}</b> "
            f"({para(mid_sentence(ctx.alt_label(f.alternative)))}): {para(list_separator(ratings).join(ratings))}.")
    live = f.live_measures
    if live:
        m = live[0]
        what = para(sentence(shorten(m.text, 140)))
        if m.responsible:
            what = para(clause(shorten(m.text, 140))) + f" ({para(shorten(m.responsible, 60))})."
        return f"{head} {msg(ctx.lang, 'common.negative_measure', measure=what)}"
    if f.measures:  # every measure recorded for it is dropped
        return f"{head} <b>{msg(ctx.lang, 'common.negative_dropped')}</b>"
    return f"{head} <b>{msg(ctx.lang, 'common.negative_no_measure')}</b>"


def _flag_where(ctx: ReportContext, f: FlagLine) -> str:
    """Where a flag points (plain): its question (with its number), its group, its right, its alternative."""
    where = []
    if f.criterion:
        number = ctx.numbers.get(f.criterion)
        text = shorten(ctx.criterion_label(f.criterion), 50)
        where.append(msg(ctx.lang, "report.flag_question", number=number, text=text) if number
                     else msg(ctx.lang, "report.flag_question_unnumbered", text=text))
    if f.group:
        where.append(f"{msg(ctx.lang, 'common.group')}: {ctx.group_words([f.group])}")
    if f.rights:
        framework = f.rights[0][0]
        titles = []
        for fid, item in f.rights:
            try:
                titles.append(ctx.text(next(i.title for i in ctx.checklist.framework(fid).items if i.id == item)))
            except StopIteration:
                titles.append(plain(item))
        key = "common.flag_right" if framework in RIGHTS_FRAMEWORKS else "common.flag_policy_area"
        where.append(f"{msg(ctx.lang, key)}: {'; '.join(titles)}")
    if f.alternative and len(ctx.alternatives()) > 1:
        where.append(f"{msg(ctx.lang, 'common.alternative')}: {mid_sentence(ctx.alt_label(f.alternative))}")
    return " · ".join(where)


def _questions(ctx: ReportContext, s: Summary) -> list[str]:
    """Questions a politician can ask, built from what the assessment leaves open (escaped markup).

    The most serious finding without a measure first, then the questions about the whole (the gap,
    the losers, participation, the gaps in knowledge), then the other findings without a measure."""
    unmet = [msg(ctx.lang, "report.q_measure", criterion=para(shorten(ctx.criterion_label(f.criterion), 70)))
             for f in s.findings[:SHOWN_FINDINGS] if not f.has_measure]
    qs: list[str] = unmet[:1]
    if ctx.result.alternatives[s.primary].equity.verdict == "widens":
        qs.append(msg(ctx.lang, "report.q_gap_widens"))
    if s.losers:
        qs.append(msg(ctx.lang, "report.q_losers", groups=para(ctx.group_words([x.group for x in s.losers[:3]]))))
    part = ctx.result.participation
    if part.met is False and part.reached is not None:
        qs.append(msg(ctx.lang, "report.q_participation", reached=para(mid_sentence(ctx.ladder_label(part.reached))),
                        expected=para(mid_sentence(ctx.ladder_label(part.expected)))))
    elif part.met is False or not ctx.assessment.participation:  # no level reached at all
        qs.append(msg(ctx.lang, "report.q_no_participation"))
    if s.gaps:
        qs.append(msg(ctx.lang, "report.q_gaps", count=len(s.gaps)))
    if not any(a.kind.value == "zero" for a in ctx.checklist.alternatives):
        qs.append(msg(ctx.lang, "report.q_zero"))
    qs += unmet[1:]
    qs.append(msg(ctx.lang, "report.q_follow_up"))
    return qs[:SHOWN_QUESTIONS]


def _standing_words(ctx: ReportContext, standings: Sequence[Standing], limit: int) -> str:
    """Groups with their figures (plain): "unga 13–17 år (−100), barn (−50) och 2 grupper till", each by its
    short label where the checklist gives one."""
    words = [f"{ctx.group_words([x.group], short=True)} ({fmt_figure(x.value)})" for x in standings[:limit]]
    if len(standings) > limit:
        more = len(standings) - limit
        words.append(msgn(ctx.lang, "common.more_groups", more))
    return join_words(words, ctx.lang)


def glance_figure(ctx: ReportContext, width: float) -> Figure | None:
    """The one-glance figure: each policy area and each worse-off group, per alternative (`assessment.scoring.glance`)."""
    g = glance(ctx.checklist, ctx.result, ctx.lang)
    if not g.rated:
        return None
    alt_names = [ctx.alt_label(a) for a in g.alternatives]
    sections = []
    if g.areas:
        sections.append((g.framework_title, [r.short for r in g.areas], [r.values for r in g.areas]))
    if g.groups:
        sections.append((msg(ctx.lang, "report.glance_groups"), [r.short for r in g.groups], [r.values for r in g.groups]))
    rows = [(r.label, r.values) for r in g.rows]
    alt = msg(ctx.lang, "report.glance_alt", alternatives=join_words([mid_sentence(a) for a in alt_names], ctx.lang))
    words = (msg(ctx.lang, "report.glance_negative"), msg(ctx.lang, "report.glance_positive"))
    return Figure(lambda: glance_chart(sections, alt_names, width, msg(ctx.lang, "report.not_rated"), words), alt,
                  data_table(ctx, msg(ctx.lang, "report.glance_title"), "", alt_names, rows))


def summary_page(ctx: ReportContext) -> list[Block]:
    """The decision page: the assessors' recommendation, the one-glance figure, who wins and who loses,
    the three most serious findings, the knowledge gaps and the questions to ask, on one page."""
    s = ctx.summary
    parts: list[Block] = []

    parts.append(Para(para(msg(ctx.lang, "common.recommendation")), "summary_head"))
    rec = s.recommendation
    if rec is not None:
        if rec.choice is not None:
            line = f"<b>{para(sentence(ctx.text(rec.label) if rec.label is not None else plain(rec.choice)))}</b>"
            if rec.comment.strip():
                line += " " + para(sentence(shorten(rec.comment, 240)))
            parts.append(Para(line, "summary_body"))
        if rec.text:
            parts.append(Para(f"<b>{para(msg(ctx.lang, 'common.proposed_decision'))}:</b> "
                              f"{para(sentence(shorten(rec.text, 400)))}", "summary_body"))
    elif not s.assessors_summary.strip():
        parts.append(Para(msg(ctx.lang, "common.no_recommendation"), "summary_body"))
    if s.assessors_summary.strip():  # in full on the next page: here only where to read it
        parts.append(Para(para(msg(ctx.lang, "report.summary_see_assessors")), "small"))

    parts.append(Para(para(msg(ctx.lang, "common.overall")), "summary_head"))
    parts.append(Para(para(s.headline), "summary_body"))
    if s.own_weights:  # a reader comparing with another municipality's assessment must know
        parts.append(Para(para(s.own_weights), "summary_body"))
    partly = [g for g in s.gaps if g.groups]
    if partly and s.overall.value is not None:
        parts.append(Para(msg(ctx.lang, "report.summary_group_unknown", count=len(partly)), "summary_body"))
    if s.message is not None:
        parts.append(Para(para(ctx.text(s.message)), "summary_body"))

    who: list[Block] = [Para(para(msg(ctx.lang, "report.summary_who", alternative=mid_sentence(ctx.alt_label(s.primary)))),
                             "summary_head")]
    if s.groups_rated:
        if s.gainers:
            who.append(Para(para(msg(ctx.lang, "report.summary_gainers", groups=_standing_words(ctx, s.gainers, 4))), "summary_body"))
        if s.losers:
            who.append(Para(para(msg(ctx.lang, "report.summary_losers", groups=_standing_words(ctx, s.losers, 6))), "summary_body"))
        else:
            who.append(Para(msg(ctx.lang, "report.summary_no_losers_but" if s.findings else "common.no_losers"), "summary_body"))
        if s.level:
            who.append(Para(para(msg(ctx.lang, "report.summary_level", groups=_standing_words(ctx, s.level, 3))), "summary_body"))
    else:
        who.append(Para(msg(ctx.lang, "report.summary_no_groups"), "summary_body"))
    who.append(Para(para(s.equity), "summary_body"))
    under: list[Block] = []  # the alternatives, after who wins and who loses
    if len(s.alternatives) > 1:
        under.append(Para(para(msg(ctx.lang, "report.summary_alternatives")), "summary_head"))
        lines = [msg(ctx.lang, "report.summary_alt_line", alternative=para(ctx.alt_label(a.alternative)),
                       score=ctx.score_words(ctx.result.alternatives[a.alternative].overall))
                 for a in s.alternatives[:4]]
        for d in s.differences[:2]:
            if d.shown is not None:
                lines.append(msg(ctx.lang, "report.summary_alt_diff", other=para(mid_sentence(ctx.alt_label(d.other))),
                                   base=para(mid_sentence(ctx.alt_label(d.base))), diff=fmt_figure(d.shown)))
        under += [Para(line, "summary_bullet", "•") for line in lines]

    figure_width = FRAME_WIDTH * 0.56
    figure = glance_figure(ctx, figure_width - 10)
    if figure is not None:
        parts.append(Para(para(msg(ctx.lang, "report.glance_title")), "summary_head"))
        parts.append(Columns([figure], [*who, *under], figure_width))
    else:
        parts += [*who, *under]

    parts.append(Para(para(msg(ctx.lang, "common.worst_negatives")), "summary_head"))
    if not s.findings:
        parts.append(Para(msg(ctx.lang, "common.no_negatives", alternative=para(mid_sentence(ctx.alt_label(s.primary)))),
                          "summary_body"))
    for f in s.findings[:SHOWN_FINDINGS]:
        parts.append(Para(_finding_text(ctx, f), "summary_bullet", "•"))
    if s.negatives > min(SHOWN_FINDINGS, len(s.findings)):
        parts.append(Para(msgn(ctx.lang, "report.summary_more_negatives", s.negatives - min(SHOWN_FINDINGS, len(s.findings))),
                          "small"))

    parts.append(Para(para(msg(ctx.lang, "common.gaps")), "summary_head"))
    if s.gaps:
        # One question a line: question texts end in "?", which no separator joins well.
        parts.append(Para(msg(ctx.lang, "report.summary_gaps_text", count=len(s.gaps),
                                alternative=para(mid_sentence(ctx.alt_label(s.primary)))), "summary_body"))
        for g in s.gaps[:3]:
            line = para(shorten(ctx.criterion_label(g.criterion), 110))
            if g.groups:
                line += f" {MUTED_OPEN}({para(ctx.group_words(list(g.groups[:4])))})</font>"
            parts.append(Para(line, "summary_bullet", "•"))
        if len(s.gaps) > 3:
            parts.append(Para(msgn(ctx.lang, "report.summary_more_gaps", len(s.gaps) - 3), "small"))
    else:
        parts.append(Para(msg(ctx.lang, "report.summary_no_gaps"), "summary_body"))

    parts.append(Para(para(msg(ctx.lang, "report.summary_flags")), "summary_head"))
    if not s.flags:
        parts.append(Para(msg(ctx.lang, "common.no_flags"), "summary_body"))
    for f in s.flags[:SHOWN_FLAGS]:
        text = f"<b>{msg(ctx.lang, 'report.severity_' + f.severity)}:</b> {para(sentence(shorten(ctx.text(f.message), 120)))}"
        where = _flag_where(ctx, f)
        if where:
            text += f" {MUTED_OPEN}{para(where)}</font>"
        parts.append(Para(text, "summary_bullet", "•"))
    if len(s.flags) > SHOWN_FLAGS:
        parts.append(Para(msgn(ctx.lang, "report.summary_more_flags", len(s.flags) - SHOWN_FLAGS), "small"))

    parts.append(Para(para(msg(ctx.lang, "report.questions_title")), "summary_head"))
    for i, q in enumerate(_questions(ctx, s), start=1):
        parts.append(Para(q, "question", f"{i}."))
    # Shrinks rather than spills: a politician gets exactly one page.
    return [OnePage([ctx.heading(msg(ctx.lang, "report.summary_title")), *parts], name="decision"), Break()]


def assessors_summary_page(ctx: ReportContext) -> list[Block]:
    """The assessors' own summary in full, on the page after the decision page."""
    text = ctx.assessment.metadata.summary
    if not text.strip():
        return []
    return [ctx.heading(msg(ctx.lang, "report.summary_user_summary")), Para(para(text))]
