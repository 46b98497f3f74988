"""What every chapter of the report reads: the assessment, its result, the language, and the words for things.

`ReportContext` is handed to each chapter builder (`reports.chapters`): it looks up the report's own
words (`reports.i18n`), the checklist's labels in the report's language (alternatives, groups,
questions, sections, ladder levels, bands), and formats scores and dates the one way the report
shows them. It also carries what the chapters tell each other while the report is built: the number
of each question printed (`numbers`, `shown`) so that flags and the review can point to it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assessment.answers.model import Assessment
from assessment.checklist.checklist import Checklist, Framework, text_for
from assessment.scoring.results import Result, Score
from assessment.scoring.summary import Summary, equity_sentence, fmt_figure

from .i18n import msg
from .toolkit.markup import para, plain
from .toolkit.model import Heading, Para
from .prose import join_words, list_separator, mid_sentence
from .toolkit.styles import Styles, styles

__all__ = ["ASSESSOR_SEPARATOR", "ReportContext", "fmt_date", "fmt_score", "group_name"]

ASSESSOR_SEPARATOR = "; "  # between assessors, on the cover and in the PDF's Author field


def fmt_score(value: float | None) -> str:
    """A score as a signed whole number with a real minus sign; "–" when there is none.

    The one figure shown for a score everywhere (`assessment.scoring.summary.fmt_figure`): rounded half away from zero."""
    return fmt_figure(value)


def fmt_date(value: Any) -> str:
    """A date (or a date-time) as YYYY-MM-DD; anything else as plain text."""
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
    # Every claim of the summary page, derived once from the result (`assessment.scoring.summary`).
    summary: Summary | None = None
    # "Modified copy: …" when the snapshot reuses an installed checklist's id with other content
    # (assessment.checklist.library.origin_note); shown on the cover beside the checklist.
    checklist_note: str | None = None

    @property
    def checklist(self) -> Checklist:
        return self.assessment.checklist

    def text(self, value: Any) -> str:
        """A checklist text (possibly {sv:…, en:…}) in the report's language, as plain text."""
        return plain(text_for(value, self.lang, self.checklist.default_language))

    def key(self) -> str:
        return f"h{next(self._keys)}"  # type: ignore[call-overload]

    def heading(self, text: str, level: int = 0, toc: bool = True) -> Heading:
        """A heading (plain text): a chapter (level 0) or a sub-chapter (1), in the contents unless `toc` is False."""
        return Heading(" ".join(plain(text).split()), level, self.key(), toc)

    def p(self, markup: str, style: str = "body") -> Para:
        """A paragraph from markup that the caller built from escaped parts."""
        return Para(markup, style)

    def cells(self, values: Sequence[str], head: bool = False) -> list[str]:
        """A table row from markup that the caller built from escaped parts (`head`: kept for the callers
        that mark their header row; the table itself knows its header row)."""
        return list(values)

    # -- names of things --

    def alternatives(self) -> list[str]:
        return [a for a in self.checklist.alternative_ids() if a in self.result.alternatives] or list(
            self.result.alternatives)

    def alt_label(self, alt_id: str | None) -> str:
        if alt_id is None:
            return msg(self.lang, "report.measure_everywhere")
        for alt in self.checklist.alternatives:
            if alt.id == alt_id:
                return self.text(alt.label)
        return msg(self.lang, "common.proposal") if alt_id == "proposal" else plain(alt_id)

    def group_label(self, group_id: str) -> str:
        return group_name(self.checklist, group_id, self.lang)

    def group_words(self, group_ids: Iterable[str], start: bool = False, short: bool = False) -> str:
        """Groups as a list inside a sentence (plain): "unga 13–25 år, barn 0–12 år och nyanlända".

        `start`: the list opens a table cell, so its first label keeps its capital. `short`: each group's
        `short` label where the checklist gives one (the decision page, where space is tight)."""
        return join_words([self._group_in_text(g, start and i == 0, short) for i, g in enumerate(group_ids)],
                          self.lang)

    def group_cell(self, group_ids: Sequence[str]) -> str:
        """Groups listed in a table cell (escaped): the first with its capital, the rest as within a sentence."""
        labels = [self._group_in_text(g, i == 0) for i, g in enumerate(group_ids)]
        return para(list_separator(labels).join(labels))

    def _group_in_text(self, group_id: str, first: bool, short: bool = False) -> str:
        # A declared group's label is a heading-like label and is lowered inside a sentence; a
        # free name typed in a participation record ("Föreningen Ängens vänner") stays as typed.
        group = next((g for g in self.checklist.groups if g.id == group_id), None)
        label = self.short(group) if short and group is not None else self.group_label(group_id)
        declared = group is not None
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
            return msg(self.lang, "report.not_rated")
        return self.text(score.band) if score.band is not None else msg(self.lang, "report.none")

    def score_words(self, score: Score | None, inside: bool = False) -> str:
        """A score for a sentence or a cell (escaped): "Något positiv (+18)", "+18" or "ej bedömt".

        `inside`: the words stand inside a sentence, so the band reads in lower case."""
        if score is None or score.value is None:
            return para(msg(self.lang, "report.not_rated"))
        if score.band is None:
            return fmt_score(score.value)
        band = self.text(score.band)
        return f"{para(mid_sentence(band) if inside else band)} ({fmt_score(score.value)})"

    def policy_framework(self) -> Framework | None:
        """The framework the checklist marks `policy_areas: true`; None when it marks none."""
        return self.checklist.policy_framework()

    def short(self, thing: Any) -> str:
        """A group's, framework item's or section's short label where space is tight, else its full one."""
        label = getattr(thing, "label", None) or getattr(thing, "title", None)
        return self.text(getattr(thing, "short", None) or label)

    def ladder_label(self, level_id: str | None) -> str:
        if level_id is None:
            return msg(self.lang, "report.none")
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
