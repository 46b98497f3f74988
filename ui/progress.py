"""What the wizard shows around the questions: which apply, and how many are answered.

One pass over the checklist per rerun gives, for every step (section), the
questions that apply to each alternative under the current answers (via
`assessment.answers.conditions`, the same rules scoring uses) and how many of them are
answered. A question answered per alternative counts once per alternative it
applies to. This module is pure: no streamlit, no storage, no scoring.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.checklist.checklist import AnswerType, Criterion
from assessment.answers.conditions import ladder_ranks, visibility
from assessment.answers.model import NOT_RELEVANT, UNKNOWN, Answer, Assessment

__all__ = ["StepProgress", "Visibility", "is_answered", "survey"]


@dataclass(frozen=True)
class StepProgress:
    section: str
    visible: bool
    answered: int
    applicable: int


@dataclass(frozen=True)
class Visibility:
    """Which criteria apply, per alternative and for the questions answered once."""

    sections: frozenset[str]
    shared: frozenset[str]  # visible for at least one alternative
    per_alternative: dict[str, frozenset[str]]
    steps: tuple[StepProgress, ...]

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.steps)

    @property
    def applicable(self) -> int:
        return sum(s.applicable for s in self.steps)


def is_answered(criterion: Criterion, answer: Answer | None, group_ids: list[str]) -> bool:
    """Whether `answer` answers `criterion`; a group matrix is answered when every group is."""
    if answer is None or answer.value is None:
        return False
    value = answer.value
    if criterion.type == AnswerType.GROUP_IMPACT and isinstance(value, dict):
        return all(value.get(g) is not None for g in group_ids)
    if criterion.type == AnswerType.MULTI_CHOICE and isinstance(value, list):
        return bool(value)
    if isinstance(value, str) and criterion.type in (AnswerType.TEXT,) and value not in (UNKNOWN, NOT_RELEVANT):
        return bool(value.strip())
    return True


def survey(assessment: Assessment) -> Visibility:
    """Visibility and progress of every step under the assessment's current answers."""
    checklist = assessment.checklist
    ranks = ladder_ranks(checklist)
    alternatives = checklist.alternative_ids()
    sections: set[str] = set()
    per_alt: dict[str, frozenset[str]] = {}
    for alt in alternatives:
        secs, crits = visibility(checklist, assessment.answers, assessment.alternatives.get(alt, {}), ranks)
        sections |= secs
        per_alt[alt] = frozenset(crits)
    shared = frozenset().union(*per_alt.values())
    steps = []
    for section in checklist.sections:
        answered = applicable = 0
        for crit in section.criteria:
            groups = [g.id for g in checklist.groups_of(crit)] if crit.type == AnswerType.GROUP_IMPACT else []
            if crit.answered_per_alternative:
                for alt in alternatives:
                    if crit.id in per_alt[alt]:
                        applicable += 1
                        answered += is_answered(crit, assessment.alternatives.get(alt, {}).get(crit.id), groups)
            elif crit.id in shared:
                applicable += 1
                answered += is_answered(crit, assessment.answers.get(crit.id), groups)
        steps.append(StepProgress(section.id, section.id in sections, answered, applicable))
    return Visibility(frozenset(sections), shared, per_alt, tuple(steps))
