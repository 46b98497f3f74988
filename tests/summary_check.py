"""The decision page cross-checked against the scoring result, for every report the test suite builds.

`tests/conftest.py` wraps `reports.render_report` so that each PDF a test renders
passes through `check_summary_page` before the test sees it, and `reports.render_report_html`
so that each HTML twin passes through `check_summary_html`: the same claims on the same page. The check reads the
summary page's text (poppler's pdftotext, else pypdf) and holds its claims against
the `Result`, recomputed here from the result itself rather than taken from
`assessment.scoring.summary`:

- the groups named as losing are exactly the groups whose score, as shown, is below 0
  (the first six by name, the rest counted), and no group is said to lose when none does;
- "no measure decided" is said once for each finding listed without a measure, and only
  of a question whose rated negative consequence has no measure that is not dropped;
- the count of knowledge gaps is the number of questions with something unknown in the
  headline alternative, and the "more" line makes up the ones not listed;
- each difference between alternatives equals the difference of the two figures shown.

Text is compared with all white space removed and case folded, so line breaks and
labels lowered inside a sentence do not matter.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from typing import Any

from pypdf import PdfReader

from assessment.checklist.checklist import text_for
from assessment.answers.model import Assessment, MeasureStatus
from assessment.scoring.summary import figure, fmt_figure, summarize
from reports.i18n import msg, msgn
from reports.prose import mid_sentence

SHOWN_LOSERS = 6  # reports.chapters.summary names six losers and counts the rest
SHOWN_GAPS = 3
SHOWN_FINDINGS = 3
# The decision page is set at no less than this share of its size to fit its one A4 page (body text 9 pt,
# so never below 7.6 pt): reports.toolkit.pdf.one_page_scale.
MIN_SCALE = 0.85


def squash(text: str) -> str:
    # The hyphen goes too: pdftotext joins a word broken at a line-end hyphen ("homo-|och" reads "homooch"),
    # so "Homo- och bisexuella" can only be found without it. The minus sign (−) of a figure stays.
    return re.sub(r"[\s\-]+", "", text).casefold()


def page_texts(pdf: bytes) -> list[str]:
    if shutil.which("pdftotext") is not None:
        # -raw: the text in the order it is drawn, so that the decision page's two columns (the one-glance
        # figure beside who wins and who loses) are read one after the other, not line by line across.
        done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                              check=True)
        return done.stdout.decode("utf-8").split("\f")
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def summary_page(pdf: bytes, lang: str) -> str:
    title = squash(msg(lang, "report.summary_title"))
    for text in page_texts(pdf):
        if squash(text).startswith(title):
            return text
    raise AssertionError(f"no page of the report starts with {msg(lang, 'report.summary_title')!r}")


def _label(assessment: Assessment, kind: str, ident: str, lang: str, short: bool = False) -> str:
    """A group's or alternative's label; `short`: a group's short label where it has one (the decision page
    names winners and losers by it)."""
    c = assessment.checklist
    items = {"group": c.groups, "alternative": c.alternatives}[kind]
    for item in items:
        if item.id == ident:
            return text_for(getattr(item, "short", None) if short and getattr(item, "short", None) else item.label,
                            lang, c.default_language)
    if kind == "alternative" and ident == "proposal":
        return msg(lang, "common.proposal")
    return ident


class _Text(HTMLParser):
    """The text of an HTML page, its decision page apart (the `section` with the class `decision`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.decision: list[str] = []
        self.depth = 0  # open sections inside the decision page, while in it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and self.depth:
            self.depth += 1
        elif tag == "section" and "decision" in (dict(attrs).get("class") or "").split():
            self.depth = 1
        self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.depth:
            self.depth -= 1
        self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self.depth:
            self.decision.append(data)


def html_texts(page: str) -> tuple[str, str]:
    """(the whole text, the decision page's text) of an HTML report."""
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts), " ".join(parser.decision)


def check_summary_page(pdf: bytes, assessment: Assessment, result: Any, lang: str) -> None:
    """Fail (AssertionError) when the summary page of `pdf` says something `result` does not."""
    lang = lang if lang in ("sv", "en") else "sv"
    check_summary_text(summary_page(pdf, lang), assessment, result, lang)


def check_summary_html(page: str, assessment: Assessment, result: Any, lang: str) -> None:
    """The same claims, held against the decision page of the HTML twin."""
    lang = lang if lang in ("sv", "en") else "sv"
    _, decision = html_texts(page)
    assert squash(decision).startswith(squash(msg(lang, "report.summary_title"))), "the HTML has no decision page"
    check_summary_text(decision, assessment, result, lang)


def check_summary_text(text: str, assessment: Assessment, result: Any, lang: str) -> None:
    """Fail (AssertionError) when the decision page's text says something `result` does not."""
    whole = squash(text)
    primary = result.primary

    def part(head: str, end: str | None) -> str:
        """The page from the heading `head` to the heading `end`: user text elsewhere cannot fool the check."""
        start = whole.find(squash(head))
        assert start >= 0, f"the summary page has no part {head!r}"
        stop = whole.find(squash(end), start) if end else -1
        return whole[start:stop] if stop >= 0 else whole[start:]

    who = part(msg(lang, "report.summary_who", alternative="\x00").split("\x00")[0], msg(lang, "common.worst_negatives"))
    negatives = part(msg(lang, "common.worst_negatives"), msg(lang, "common.gaps"))
    gaps = part(msg(lang, "common.gaps"), msg(lang, "report.summary_flags"))
    groups = result.alternatives[primary].groups

    # -- losers: exactly the groups shown below zero --
    shown = {g: figure(s.value) for g, s in groups.items() if s is not None and s.value is not None}
    losers = sorted((g for g, v in shown.items() if v < 0), key=lambda g: (groups[g].value, g))
    lose_word = squash(msg(lang, "report.summary_losers", groups="\x00").split("\x00")[0])
    page = who
    if not losers:
        assert lose_word not in page, "the summary names losers, but no group's score is shown below 0"
        if shown:
            assert squash(msg(lang, "common.no_losers")).rstrip(".") in page, "no loser, and the summary does not say so"
    else:
        assert lose_word in page, f"groups {losers} score below 0, but the summary names no loser"
        start = page.index(lose_word)
        # The sentence ends with its last figure, or with the count of the losers not named.
        more = squash(msgn(lang, "common.more_groups", len(losers) - SHOWN_LOSERS)) if len(losers) > SHOWN_LOSERS else ""
        end = page.find(more, start) + len(more) if more and more in page[start:] else page.find(").", start) + 2
        segment = page[start:end] if end > start else page[start:]
        for g in losers[:SHOWN_LOSERS]:
            named = squash(f"{mid_sentence(_label(assessment, 'group', g, lang, short=True))} "
                           f"({fmt_figure(groups[g].value)})")
            assert named in segment, f"the loser {g} ({fmt_figure(groups[g].value)}) is not named: {segment}"
        loser_labels = [squash(_label(assessment, "group", g, lang, short=True)) for g in losers]
        for g in set(shown) - set(losers):
            label = squash(_label(assessment, "group", g, lang, short=True))
            if any(label in other for other in loser_labels):
                continue  # a label inside a loser's label ("barn" in "små barn") proves nothing
            assert label + "(" not in segment, f"{g} is named as losing but its score is shown as {shown[g]}"
        if len(losers) > SHOWN_LOSERS:
            assert squash(msgn(lang, "common.more_groups", len(losers) - SHOWN_LOSERS)) in segment

    # -- "no measure decided": once per listed finding without a measure, and only then --
    summary = summarize(assessment, result, lang)
    listed = summary.findings[:SHOWN_FINDINGS]
    without = [f for f in listed if not f.measures]
    for f in without:
        live = [m for m in assessment.measures_for(f.criterion, f.alternative) if m.status != MeasureStatus.DROPPED]
        assert not live, f"'no measure' is said of {f.criterion}, which has the measure {live[0].text!r}"
        assert any(v < 0 for v in _ratings(assessment, f.criterion, f.alternative)), f.criterion
    said = negatives.count(squash(msg(lang, "common.negative_no_measure")))
    assert said == len(without), f"'no measure decided' is said {said} times for {len(without)} findings without one"

    # -- knowledge gaps: counted as listed --
    gap_questions = {g.criterion for g in result.gaps if g.alternative in (None, primary)}
    if gap_questions:
        head = msg(lang, "report.summary_gaps_text", count="\x00", alternative="\x01")
        before, _, after = head.partition("\x00")
        pattern = re.escape(squash(before.split("\x01")[-1])) + r"(\d+)" + re.escape(squash(after))
        counts = re.findall(pattern, gaps)
        assert counts, "the summary counts no knowledge gaps, but the result has some"
        assert int(counts[0]) == len(gap_questions), f"{counts[0]} knowledge gaps said, {len(gap_questions)} in the result"
        if len(gap_questions) > SHOWN_GAPS:
            assert squash(msgn(lang, "report.summary_more_gaps", len(gap_questions) - SHOWN_GAPS)) in gaps
    else:
        assert squash(msg(lang, "report.summary_no_gaps")) in gaps, "no knowledge gap, and the summary does not say so"

    # -- differences: the difference of the figures shown --
    page = part(msg(lang, "report.summary_alternatives"), msg(lang, "common.worst_negatives")) if len(result.alternatives) > 1 else ""
    if len(result.alternatives) > 1:
        for d in result.differences[:2]:
            base = result.alternatives[d.base].overall.value
            other = result.alternatives[d.other].overall.value
            if base is None or other is None:
                continue
            for alt, value in ((d.base, base), (d.other, other)):
                line = squash(f"{_label(assessment, 'alternative', alt, lang)}:")
                found = [m.start() for m in re.finditer(re.escape(line), page)]
                figure_text = squash(fmt_figure(value))
                assert any(f"({figure_text})" in page[i:i + 200] or page[i + len(line):].startswith(figure_text)
                           for i in found), f"the alternative {alt} is not shown with its figure {fmt_figure(value)}"
            sentence = squash(msg(lang, "report.summary_alt_diff", other=mid_sentence(_label(assessment, "alternative", d.other, lang)),
                                  base=mid_sentence(_label(assessment, "alternative", d.base, lang)),
                                  diff=fmt_figure(figure(other) - figure(base))))
            assert sentence in page, (f"the difference {d.other} − {d.base} is not shown as "
                                      f"{fmt_figure(figure(other) - figure(base))} = {fmt_figure(other)} − {fmt_figure(base)}")


def _ratings(assessment: Assessment, criterion: str, alternative: str) -> list[int]:
    answer = assessment.answer(criterion, alternative)
    if answer is None:
        return []
    values = answer.value.values() if isinstance(answer.value, dict) else [answer.value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def checked(render: Any) -> Any:
    """`render` (reports.render_report) with the summary cross-check on every PDF it writes."""

    def render_report(assessment: Assessment, out: Any, lang: str = "sv", result: Any = None, **kwargs: Any) -> None:
        buffer = io.BytesIO()
        render(assessment, buffer, lang=lang, result=result, **kwargs)
        pdf = buffer.getvalue()
        if result is None:
            from assessment.scoring.scoring import score

            result = score(assessment)
        check_summary_page(pdf, assessment, result, lang)
        out.write(pdf)

    render_report.__doc__ = render.__doc__
    render_report.__wrapped__ = render  # type: ignore[attr-defined]
    return render_report


def checked_html(render: Any) -> Any:
    """`render` (reports.render_report_html) with the same cross-check on the decision page of every HTML."""

    def render_report_html(assessment: Assessment, out: Any, lang: str = "sv", result: Any = None,
                           **kwargs: Any) -> None:
        buffer = io.BytesIO()
        render(assessment, buffer, lang=lang, result=result, **kwargs)
        page = buffer.getvalue()
        if result is None:
            from assessment.scoring.scoring import score

            result = score(assessment)
        check_summary_html(page.decode("utf-8"), assessment, result, lang)
        out.write(page)

    render_report_html.__doc__ = render.__doc__
    render_report_html.__wrapped__ = render  # type: ignore[attr-defined]
    return render_report_html
