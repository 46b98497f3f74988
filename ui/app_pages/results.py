"""Results page: the verdict first, then the picture and the report buttons; the details in tabs a reader opens.

The verdict (the headline sentence and the overall figures), one chart and the report
buttons are all a first load draws. The details (the assessors' conclusion, equity,
findings, flags and gaps; the sections; one framework's chart at a time; the drivers)
sit in tabs that rerun only their fragment when chosen, and only the open tab is
built, so no chart or table is made for a tab nobody opened. Every claim comes from
the one scoring result and its summary (`assessment.scoring.summary.summarize`), computed once
per saved revision and language and kept with the open assessment.
"""

import io

import altair as alt
import pandas as pd
import streamlit as st

from assessment.checklist.checklist import text_for
from assessment.errors import SkbError
from assessment.scoring.figures import MINUS
from assessment.scoring.glance import glance
from assessment.checklist.library import reference_for
from assessment.workflow.review import thread
from assessment.scoring.scoring import score
from assessment.scoring.summary import RIGHTS_FRAMEWORKS, figure, fmt_figure, summarize
from reports import render_report, render_report_html
from reports.prose import mid_sentence
from ui.failure import guarded
from ui.glance import show_glance
from ui.i18n import t, tn
from ui.progress import survey
from ui.routes import WIZARD, required_assessment, go
from ui.session import audit_save, checklist_note, lang, store
from ui.widgets import SIGNED_LABEL, md

L = lang()
doc = required_assessment()

assessment = doc.assessment
checklist = assessment.checklist

# Scored once per saved revision, not on every rerun (a save clears doc.cache).
result = doc.cache.get("result")
if result is None:
    # scored against the reference checklist it derives from, so that weights of its own are shown
    result = doc.cache["result"] = score(assessment, reference=reference_for(checklist))
# Every claim below (losers, differences, findings, gaps, flags) comes from one derivation, the same the report uses.
summary = doc.cache.get(f"summary:{L}")
if summary is None:
    summary = doc.cache[f"summary:{L}"] = summarize(assessment, result, L)

alt_labels = {a.id: text_for(a.label, L) for a in checklist.alternatives} or {"proposal": ""}
group_labels = {g.id: text_for(g.label, L) for g in checklist.groups}
section_titles = {s.id: text_for(s.title, L) for s in checklist.sections}
questions = {c.id: text_for(c.text, L) for c in checklist.criteria()}
many = len(result.alternatives) > 1
SCORE_SCALE = alt.Scale(domain=[-100, 100], scheme="redblue")
# Ticks every 20 crowded "−100 −80" together. Labels as every figure reads: "+50", "0", "−50".
SIGNED = SIGNED_LABEL
SCORE_AXIS = alt.Axis(values=[-100, -50, 0, 50, 100], labelExpr=SIGNED)
# A label is never cut short nor laid over a bar: the labels sit beside the bars, as long as they are.
LABELS = alt.Axis(labelLimit=0, labelFontSize=12)
# The proposal in the app's own colour, the zero alternative in grey, any others after.
_KIND_COLOURS = {"zero": "#9aa5ab", "proposal": "#1b5e7a"}
_OTHER_COLOURS = ["#d9822b", "#7b5ea7", "#3f9c6d", "#b8445a"]
ALT_SCALE = alt.Scale(
    domain=list(alt_labels.values()),
    range=[_KIND_COLOURS.get(a.kind.value) or _OTHER_COLOURS[i % len(_OTHER_COLOURS)]
           for i, a in enumerate(checklist.alternatives)] or ["#1b5e7a"])


def group_figures(standings) -> str:
    """Groups with their figures; "; " between them when a label has a comma of its own."""
    labels = [group_labels.get(x.group, x.group) for x in standings]
    separator = "; " if any("," in label for label in labels) else ", "
    return separator.join(f"{md(label)} ({fmt_figure(x.value)})" for label, x in zip(labels, standings))


def rating_words(r) -> str:
    words = text_for(r.label, L) if r.label is not None else ""
    value = f"{words} ({fmt_figure(r.value)})" if words else fmt_figure(r.value)
    return value if r.group is None else f"{group_labels.get(r.group, r.group)}: {value}"


def coverage(s) -> str:
    if s.coverage is None:
        return "–"
    return t(L, "ui.coverage_of", answered=s.answered, applicable=s.applicable, pct=round(100 * s.coverage))


def bars(rows: list[dict], order: list[str]) -> alt.Chart:
    """Horizontal bars on −100…+100, one row per label in `order`, one bar per alternative, labels beside them."""
    base = alt.Chart(pd.DataFrame(rows)).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=LABELS),
        x=alt.X("score:Q", scale=alt.Scale(domain=[-100, 100]), title=t(L, "common.score"), axis=SCORE_AXIS),
        tooltip=[alt.Tooltip("label:N", title=t(L, "ui.item")), alt.Tooltip("figure:N", title=t(L, "common.score")),
                 alt.Tooltip("alternative:N", title=t(L, "common.alternative"))])
    if many:
        chart = base.mark_bar().encode(color=alt.Color("alternative:N", title=t(L, "common.alternative"), scale=ALT_SCALE,
                                                       legend=alt.Legend(orient="top")),
                                       yOffset=alt.YOffset("alternative:N", sort=list(alt_labels.values())))
    else:
        chart = base.mark_bar().encode(color=alt.Color("score:Q", scale=SCORE_SCALE, legend=None))
    return chart.properties(height=alt.Step(16 if many else 22))


headline = result.headline
head = headline.overall

st.title(md(assessment.metadata.title), anchor=False)
st.caption(f"{md(text_for(checklist.title, L))} {md(checklist.version)}")
if note := checklist_note(checklist, L):
    st.warning(md(note), icon=":material/difference:")
if result.message:
    st.info(md(text_for(result.message, L)))

# --- the verdict ------------------------------------------------------------------------------------
st.markdown(f"**{md(summary.headline)}**")
st.markdown(md(summary.equity))  # who gains, who loses, does the gap narrow: beside the score, never only in a tab
cols = st.columns(len(result.alternatives))
for col, (alt_id, ar) in zip(cols, result.alternatives.items()):
    band = text_for(ar.overall.band, L) if ar.overall.band else None
    col.metric(f"{t(L, 'common.overall')} – {md(alt_labels.get(alt_id, alt_id))}" if alt_labels.get(alt_id)
               else t(L, "common.overall"),
               fmt_figure(ar.overall.value) if ar.overall.value is not None else t(L, "ui.no_score"),
               help=md(band) if band else None, border=True)
    col.caption(f"{t(L, 'common.coverage')}: {coverage(ar.overall)}" + (f" · {md(band)}" if band else ""))
for d in summary.differences:
    if d.shown is not None:
        st.caption(t(L, "ui.difference", other=md(mid_sentence(alt_labels.get(d.other) or d.other)),
                     base=md(mid_sentence(alt_labels.get(d.base) or d.base)), value=fmt_figure(d.shown)))
if summary.own_weights:  # a reader comparing with another municipality's assessment must know
    st.warning(md(summary.own_weights), icon=":material/balance:")
progress = survey(assessment)  # the wizard's own count, to name beside this one
if head.applicable:  # the count beside each score explained once, with the headline alternative's figures
    named = alt_labels.get(headline.alternative) if many else None
    st.caption(t(L, "ui.coverage_counts", alt=f" ({md(named)})" if named else "",
                 unknown=head.unknown, missing=max(0, head.applicable - head.answered - head.unknown),
                 answered=progress.answered, applicable=progress.applicable))
if result.hidden or result.not_relevant:
    st.caption(t(L, "ui.hidden_note", n=len(result.hidden), m=len(result.not_relevant)))

# --- the buttons: back to the answers, the report -----------------------------------------------------
# The report prints the review thread, as the report stored at sign-off does: comments
# posted in the app belong in it. A post changes the thread, not the assessment's
# revision, so the built PDF is kept per revision of both.
try:
    review = thread(store(), assessment.id)
except SkbError as exc:
    st.error(t(L, "ui.report_failed", error=exc.message(L)))
    st.stop()
built = f"{doc.revision}:{review.revision}"
pdf_key, html_key = f"pdf:{built}:{L}", f"html:{built}:{L}"
for stale in [k for k in doc.cache if k.startswith(("pdf:", "html:")) and k.split(":")[1:3] != built.split(":")]:
    del doc.cache[stale]  # built before the last post: not offered again, and not kept in memory
with st.container(horizontal=True, key="report_buttons"):
    if st.button(t(L, "ui.page_wizard"), icon=":material/arrow_back:", key="to_wizard"):
        go(WIZARD, assessment.id)
    if pdf_key not in doc.cache and st.button(t(L, "ui.build_pdf"), key="build_pdf", icon=":material/picture_as_pdf:",
                                              type="primary"):
        with st.spinner(t(L, "ui.building_pdf")):
            out, html = io.BytesIO(), io.BytesIO()
            try:  # the PDF and its accessible HTML twin, from one report model: they cannot disagree
                render_report(assessment, out, lang=L, result=result, comments=review.comments,
                              checklist_note=checklist_note(checklist, L))
                render_report_html(assessment, html, lang=L, result=result, comments=review.comments,
                                   checklist_note=checklist_note(checklist, L))
            except SkbError as exc:
                st.error(t(L, "ui.report_failed", error=exc.message(L)))
            else:
                doc.cache[pdf_key] = out.getvalue()
                doc.cache[html_key] = html.getvalue()
                audit_save(assessment.id, assessment.metadata.municipality, "export")  # once per session
    if pdf_key in doc.cache:
        st.download_button(t(L, "ui.download_pdf"), data=doc.cache[pdf_key],
                           file_name=f"skb-{assessment.id[:8]}-{L}.pdf", mime="application/pdf", key="download_pdf",
                           icon=":material/download:", type="primary", on_click="ignore")
        st.download_button(t(L, "ui.download_html"), data=doc.cache[html_key],
                           file_name=f"skb-{assessment.id[:8]}-{L}.html", mime="text/html", key="download_html",
                           icon=":material/accessibility_new:", help=t(L, "ui.download_html_help"), on_click="ignore")

# --- the picture: each policy area and each worse-off group, per alternative (the report's decision page);
# a checklist with neither gets the overall score and each section's instead
at_a_glance = glance(checklist, result, L)
if at_a_glance.rated:
    show_glance(checklist, result, L, alternative_labels=alt_labels, figure=at_a_glance)
else:
    overview = [{"label": t(L, "common.overall_axis"), "alternative": alt_labels.get(a, a), "score": figure(ar.overall.value),
                 "figure": fmt_figure(ar.overall.value)} for a, ar in result.alternatives.items()]
    overview += [{"label": section_titles.get(sid, sid), "alternative": alt_labels.get(a, a),
                  "score": figure(s.value), "figure": fmt_figure(s.value)}
                 for a, ar in result.alternatives.items() for sid, s in ar.sections.items()]
    overview = [r for r in overview if r["score"] is not None]
    if overview:
        st.altair_chart(bars(overview, [t(L, "common.overall_axis")] + list(section_titles.values())), width="stretch")


# --- the details, one tab at a time --------------------------------------------------------------------


def conclusions() -> None:
    """The assessors' own conclusion, equity and participation, and the most serious negative consequences."""
    st.subheader(t(L, "common.recommendation"), anchor=False)
    rec = summary.recommendation
    if rec is not None:
        lines = []
        if rec.choice is not None:
            label = text_for(rec.label, L) if rec.label is not None else rec.choice
            lines.append(f"**{md(label)}**" + (f"  \n{md(rec.comment[:600])}" if rec.comment.strip() else ""))
        if rec.text:
            lines.append(f"**{t(L, 'common.proposed_decision')}:** {md(rec.text[:2000])}")
        st.info("  \n".join(lines))
    elif not summary.assessors_summary.strip():
        st.caption(t(L, "common.no_recommendation"))
    if summary.assessors_summary.strip():
        st.markdown(f"*{md(' '.join(summary.assessors_summary.split())[:1200])}*")

    eq = headline.equity
    p = result.participation
    if checklist.groups or p.question:
        eq_col, part_col = st.columns(2)
        if checklist.groups:
            with eq_col:
                st.subheader(t(L, "common.equity"), anchor=False)
                show = {"narrows": st.success, "widens": st.error}.get(eq.verdict, st.info)
                show(md(summary.equity))
                if eq.gap_change is not None:
                    st.caption(t(L, "ui.equity_gap", worse_off=fmt_figure(eq.worse_off),
                                 population=fmt_figure(eq.population), change=fmt_figure(eq.gap_change)))
                if summary.losers:
                    st.markdown(f"**{t(L, 'ui.losers')}:** " + group_figures(summary.losers))
                elif summary.groups_rated:
                    st.markdown(t(L, "ui.no_losers_but" if summary.findings else "common.no_losers"))
                if summary.gainers:
                    st.caption(f"{t(L, 'ui.gainers')}: " + group_figures(summary.gainers))
                if summary.level:
                    st.caption(f"{t(L, 'ui.level')}: " + group_figures(summary.level))
        if p.question:
            with part_col:
                st.subheader(t(L, "common.participation"), anchor=False)
                ladder = checklist.ladder(checklist.criterion(p.question).ladder or "")
                levels = {lv.id: text_for(lv.label, L) for lv in ladder.levels}
                st.markdown(t(L, "ui.participation_reached", reached=md(levels.get(p.reached or "", "–")),
                              expected=md(levels.get(p.expected or "", "–"))))
                if p.met is True:
                    st.success(t(L, "common.participation_met"))
                elif p.met is False:
                    st.warning(t(L, "common.participation_not_met"))

    # what, for whom, how large, which alternative
    st.subheader(t(L, "common.worst_negatives"), anchor=False)
    primary_label = alt_labels.get(summary.primary) or summary.primary
    if not summary.findings:
        st.caption(t(L, "common.no_negatives", alternative=md(primary_label)))
    for f in summary.findings:
        ratings = [md(rating_words(r)) for r in f.ratings]
        if f.more_groups:
            ratings.append(tn(L, "common.more_groups_and", f.more_groups))
        live = f.live_measures
        if live:
            tail = t(L, "common.negative_measure", measure=md(live[0].text[:300]))
        else:
            tail = f"**{t(L, 'common.negative_dropped' if f.measures else 'common.negative_no_measure')}**"
        st.markdown(f"- **{md(questions.get(f.criterion, f.criterion))}** ({md(mid_sentence(primary_label))}): "
                    f"{'; '.join(ratings)}.  \n  {tail}")
    if summary.negatives > len(summary.findings):
        st.caption(tn(L, "ui.more_findings", summary.negatives - len(summary.findings)))


def flags_and_gaps() -> None:
    framework_items = {(fw.id, i.id): text_for(i.title, L) for fw in checklist.frameworks for i in fw.items}
    st.subheader(t(L, "common.flags"), anchor=False)
    if not summary.flags:
        st.caption(t(L, "common.no_flags"))
    show_flag = {"serious": st.error, "warning": st.warning, "info": st.info}
    for flag in summary.flags:  # the worst first, each once
        rights = ""
        if flag.rights:
            key = "common.flag_right" if flag.rights[0][0] in RIGHTS_FRAMEWORKS else "common.flag_policy_area"
            rights = f"{t(L, key)}: " + "; ".join(framework_items.get(r, r[1]) for r in flag.rights)
        group = f"{t(L, 'common.group')}: {group_labels.get(flag.group, flag.group)}" if flag.group else ""
        where_alt = (f"{t(L, 'common.alternative')}: {mid_sentence(alt_labels.get(flag.alternative) or flag.alternative)}"
                     if flag.alternative and many else "")
        where = " · ".join(md(x) for x in (questions.get(flag.criterion or ""), group, rights, where_alt) if x)
        show_flag.get(flag.severity, st.info)(f"**{t(L, 'ui.severity_' + flag.severity)}:** "
                                              f"{md(text_for(flag.message, L))}" + (f"  \n{where}" if where else ""))
    st.subheader(t(L, "common.gaps"), anchor=False)
    if not summary.gaps:
        st.caption(t(L, "ui.no_gaps"))
    else:
        # One line per question, the groups rated unknown together: as many lines as the count says.
        primary_label = alt_labels.get(summary.primary) or summary.primary
        st.caption(tn(L, "ui.gaps_for", len(summary.gaps), alternative=md(mid_sentence(primary_label))))
        lines = []
        for g in summary.gaps[:60]:
            groups = ", ".join(group_labels.get(x, x) for x in g.groups)
            lines.append(f"- {md(questions.get(g.criterion, g.criterion))}"
                         + (f"  \n  :gray[{md(groups)}]" if groups else ""))
        st.markdown("\n".join(lines))  # the page scrolls, not a box of its own the keyboard cannot reach
    elsewhere = {g.criterion for g in result.gaps} - {g.criterion for g in summary.gaps}
    if elsewhere:
        st.caption(tn(L, "ui.gaps_elsewhere", len(elsewhere)))


def sections() -> None:
    """Each section's score per alternative and its coverage, as a table whose text is never cut."""
    primary = result.primary
    rows = [{
        t(L, "common.section"): section_titles.get(sid, sid),
        **{(alt_labels.get(a) if many else t(L, "common.score")): fmt_figure(result.alternatives[a].sections[sid].value)
           for a in result.alternatives},
        t(L, "common.coverage") + (f" ({alt_labels.get(primary)})" if many else ""):
            "–" if s.coverage is None else f"{round(100 * s.coverage)} %",
        t(L, "ui.answered"): f"{s.answered}/{s.applicable}",
    } for sid, s in headline.sections.items()]
    if rows:
        st.table(pd.DataFrame(rows), hide_index=True)


def dimensions() -> None:
    """One framework at a time: its chart per alternative, then its groups × items."""
    shown = [fw for fw in checklist.frameworks if any(
        s.value is not None for ar in result.alternatives.values() for s in ar.dimensions.get(fw.id, {}).values())]
    if not shown:
        st.caption(t(L, "ui.no_dimensions"))
        return
    titles_of = {fw.id: md(text_for(fw.title, L)) for fw in shown}  # the control reads Markdown
    chosen = st.segmented_control(t(L, "ui.framework"), list(titles_of), format_func=lambda f: titles_of[f],
                                  default=shown[0].id, required=True, key="results_framework")
    framework = next(fw for fw in shown if fw.id == (chosen or shown[0].id))
    titles = {i.id: text_for(i.title, L) for i in framework.items}
    # Each bar's label carries its coverage (the headline alternative's): rated of applicable.
    covered = headline.dimensions.get(framework.id, {})
    bar_titles = {i: f"{title} ({covered[i].answered}/{covered[i].applicable})"
                  if i in covered and covered[i].applicable else title for i, title in titles.items()}
    rows = [{"label": bar_titles.get(item_id, item_id), "score": figure(s.value), "figure": fmt_figure(s.value),
             "alternative": alt_labels.get(alt_id, alt_id)}
            for alt_id, ar in result.alternatives.items()
            for item_id, s in ar.dimensions.get(framework.id, {}).items() if s.value is not None]
    st.subheader(md(text_for(framework.title, L)), anchor=False)
    st.altair_chart(bars(rows, [bar_titles[i.id] for i in framework.items]), width="stretch")

    cells = [{"group": group_labels.get(g, g), "item": titles.get(i, i), "score": figure(v), "figure": fmt_figure(v)}
             for g, items in headline.group_dimensions.get(framework.id, {}).items()
             for i, v in items.items() if v is not None]
    if cells:
        st.caption(t(L, "ui.groups_x_items", framework=md(text_for(framework.title, L))))
        heat = alt.Chart(pd.DataFrame(cells)).mark_rect().encode(
            x=alt.X("item:N", sort=[titles[i.id] for i in framework.items], title=None,
                    axis=alt.Axis(labelAngle=-40, labelLimit=0, labelOverlap=False)),
            y=alt.Y("group:N", sort=list(group_labels.values()), title=None, axis=LABELS),
            color=alt.Color("score:Q", scale=SCORE_SCALE, title=t(L, "common.score"), legend=alt.Legend(labelExpr=SIGNED)),
            tooltip=[alt.Tooltip("group:N", title=t(L, "common.group")), alt.Tooltip("item:N", title=t(L, "ui.item")),
                     alt.Tooltip("figure:N", title=t(L, "common.score"))])
        text = heat.mark_text(fontSize=11).encode(text=alt.Text("figure:N"), color=alt.value("black"))
        st.altair_chart((heat + text).properties(height=alt.Step(26)), width="stretch")


def effect(value: float) -> str:
    return f"{value:+.1f}".replace("-", MINUS)


def drivers() -> None:
    """What pulls the headline alternative's overall score up and down: whole questions, every column shown."""
    for key, found in (("ui.drivers_up", head.up), ("ui.drivers_down", head.down)):
        st.subheader(t(L, key), anchor=False)
        if not found:
            st.markdown("–")
            continue
        st.table(pd.DataFrame([{
            t(L, "common.question"): questions.get(d.criterion, d.criterion)
            + (f" ({group_labels.get(d.group, d.group)})" if d.group else ""),
            t(L, "ui.rating_scale"): fmt_figure(d.rating), t(L, "ui.effect"): effect(d.effect)} for d in found]),
            hide_index=True)


TABS = (("ui.tab_conclusions", conclusions), ("common.flags_and_gaps", flags_and_gaps), ("common.sections", sections),
        ("ui.tab_dimensions", dimensions), ("ui.drivers", drivers))


@st.fragment
@guarded  # a tab that fails says so in the page's language; the rest of the page stands
def details() -> None:
    # Choosing a tab reruns this fragment alone, and only the open tab is built.
    tabs = st.tabs([t(L, key) for key, _ in TABS], key="results_tab", on_change="rerun")
    for tab, (_, draw) in zip(tabs, TABS):
        if tab.open:
            with tab:
                draw()


details()
