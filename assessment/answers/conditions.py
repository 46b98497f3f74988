"""Which questions apply: evaluating a checklist's `show_if` / `when` conditions.

A condition is a declarative tree (`all` / `any` / `not` over `equals`, `in`,
`includes`, `gte`, `lte`, `answered`) that the checklist author writes; this
module walks that tree against the answers. It is pure: it reads an answer
through a `lookup` function and never touches files, the UI or the clock, and
it never evaluates anything as code. The rules, the same for the wizard, the
scoring and the report:

- a question that has no answer makes `equals`, `in`, `includes`, `gte` and
  `lte` false (and `not` of them true); `answered` is true for any answer given,
  including "unknown" and "not_relevant", which are explicit answers;
- a question hidden by its own or its section's `show_if` counts as unanswered
  for every later condition, so hiding cascades;
- a condition on a per-alternative (rated) question reads the answer given for
  the alternative being looked at;
- `gte` / `lte` compare numbers as numbers, dates as dates and ladder levels by
  their rank on the ladder (lowest first); anything else is not comparable and
  the comparison is false;
- a yes_no answer equals `true` / `yes` and `false` / `no`;
- a leaf that names a `group` reads that group's rating of a group_impact
  question (a whole answer "unknown" or "not_relevant" is that group's too);
- a leaf that names an `alternative` (or `chosen`, the proposal) reads the
  answer given for that alternative: the lookup is asked for
  `answer_key(question, alternative)`. Only rules read after every alternative
  is answered (flags, the expected participation, always_relevant) may name
  one; the validator refuses it in `show_if`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from assessment.checklist.checklist import AllOf, Answered, AnswerType, AnyOf, Checklist, Condition, Equals, Gte, In, Includes, Lte, Not

if TYPE_CHECKING:
    from assessment.answers.model import Answer, Assessment

__all__ = ["Lookup", "answer_key", "split_key", "holds", "compile_condition", "ladder_ranks", "visibility", "visible_criteria", "visible_sections"]

Lookup = Callable[[str], Any]
"""The answer value to a question id, or None when it is unanswered or hidden."""

_SEP = "@"  # never in an id, so a key with it always names an alternative
_SPECIAL = frozenset({"unknown", "not_relevant"})


def answer_key(question: str, alternative: str | None) -> str:
    """What a lookup is asked for the answer to `question` given for `alternative` (None: this one)."""
    return question if alternative is None else f"{question}{_SEP}{alternative}"


def split_key(key: str) -> tuple[str, str | None]:
    """The question and the alternative (None: the one being looked at) of a lookup key."""
    question, sep, alternative = key.partition(_SEP)
    return question, (alternative if sep else None)


def _answer(args: Any, lookup: Lookup) -> Any:
    """The answer a leaf compares: the question's, for its alternative, of its group."""
    answer = lookup(answer_key(args.question, args.alternative))
    if args.group is None:
        return answer
    if isinstance(answer, dict):
        return answer.get(args.group)
    return answer if isinstance(answer, str) and answer in _SPECIAL else None


def _plain_leaf(args: Any) -> bool:
    return args.group is None and args.alternative is None


_YES = frozenset({"yes", "true"})
_NO = frozenset({"no", "false"})


def holds(condition: Condition, lookup: Lookup, ranks: Mapping[str, Mapping[str, int]] | None = None) -> bool:
    """Whether `condition` holds for the answers `lookup` gives.

    `ranks` maps a ladder question id to its levels' ranks ({level id: 0, ...}),
    so `gte` / `lte` can compare levels; `ladder_ranks(checklist)` builds it."""
    if isinstance(condition, AllOf):
        return all(holds(c, lookup, ranks) for c in condition.all)
    if isinstance(condition, AnyOf):
        return any(holds(c, lookup, ranks) for c in condition.any)
    if isinstance(condition, Not):
        return not holds(condition.not_, lookup, ranks)
    if isinstance(condition, Answered):
        return lookup(condition.answered) is not None
    if isinstance(condition, Equals):
        args = condition.equals
        answer = _answer(args, lookup)
        return answer is not None and _equal(answer, args.value)
    if isinstance(condition, In):
        args = condition.in_
        answer = _answer(args, lookup)
        return answer is not None and any(_equal(answer, v) for v in args.values)
    if isinstance(condition, Includes):
        args = condition.includes
        answer = _answer(args, lookup)
        return isinstance(answer, (list, tuple, set, frozenset)) and any(_equal(a, args.value) for a in answer)
    if isinstance(condition, (Gte, Lte)):
        args = condition.gte if isinstance(condition, Gte) else condition.lte
        answer = _answer(args, lookup)
        if answer is None:
            return False
        order = _ordered(answer, args.value, (ranks or {}).get(args.question))
        if order is None:
            return False
        left, right = order
        return left >= right if isinstance(condition, Gte) else left <= right
    raise TypeError(f"not a condition: {condition!r}")


def compile_condition(condition: Condition, ranks: Mapping[str, Mapping[str, int]] | None = None) -> Callable[[Lookup], bool]:
    """`condition` as a function of a lookup, with the same meaning as `holds`.

    For callers that evaluate the same condition many times (scoring thousands
    of assessments of one checklist): the tree is walked once, here, and each
    call only runs the comparisons."""
    if isinstance(condition, (AllOf, AnyOf)):
        parts = tuple(compile_condition(c, ranks) for c in (condition.all if isinstance(condition, AllOf)
                                                            else condition.any))
        if isinstance(condition, AllOf):
            def all_of(lookup: Lookup) -> bool:
                for part in parts:
                    if not part(lookup):
                        return False
                return True
            return all_of

        def any_of(lookup: Lookup) -> bool:
            for part in parts:
                if part(lookup):
                    return True
            return False
        return any_of
    if isinstance(condition, Not):
        inner = compile_condition(condition.not_, ranks)
        return lambda lookup: not inner(lookup)
    if isinstance(condition, Answered):
        question = condition.answered
        return lambda lookup: lookup(question) is not None
    leaf = next((getattr(condition, a) for a in ("equals", "in_", "includes", "gte", "lte")
                 if hasattr(condition, a)), None)
    if leaf is not None and not _plain_leaf(leaf):
        return lambda lookup: holds(condition, lookup, ranks)  # a group's or another alternative's answer
    if isinstance(condition, Equals) and not isinstance(condition.equals.value, bool):
        question, value = condition.equals.question, condition.equals.value
        if _plain(value):
            # the common case, a choice or a level: plain equality is exactly _equal's answer
            return lambda lookup: lookup(question) == value
    if isinstance(condition, Equals) and isinstance(condition.equals.value, bool):
        # a yes_no question: true/yes or false/no, and never the rating 1 or 0
        question, wanted = condition.equals.question, condition.equals.value
        return lambda lookup: _as_bool(lookup(question)) is wanted
    if isinstance(condition, Includes) and _plain(condition.includes.value):
        # the common case, a choice among the answers of a multi_choice question
        question, value = condition.includes.question, condition.includes.value
        return lambda lookup: _includes_plain(lookup(question), value)
    if isinstance(condition, In) and all(_plain(v) for v in condition.in_.values):
        question, values = condition.in_.question, frozenset(condition.in_.values)
        return lambda lookup: _hashable_in(lookup(question), values)
    return lambda lookup: holds(condition, lookup, ranks)


def _plain(value: Any) -> bool:
    """A string that no answer equals except the same string (not a date, not yes/no)."""
    return isinstance(value, str) and _as_date(value) is None and _as_bool(value) is None


def _includes_plain(answer: Any, value: str) -> bool:
    return isinstance(answer, (list, tuple, set, frozenset)) and value in answer


def _hashable_in(answer: Any, values: frozenset[str]) -> bool:
    return isinstance(answer, str) and answer in values


def _equal(answer: Any, value: Any) -> bool:
    # A bool must never equal 1 or 0: "yes" is not the rating +1.
    if isinstance(answer, bool) or isinstance(value, bool):
        return _as_bool(answer) is not None and _as_bool(answer) is _as_bool(value)
    if isinstance(answer, dt.date) or isinstance(value, dt.date):
        a, b = _as_date(answer), _as_date(value)
        return a is not None and a == b
    return bool(answer == value)


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _YES:
            return True
        if low in _NO:
            return False
    return None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _ordered(answer: Any, value: Any, levels: Mapping[str, int] | None) -> tuple[Any, Any] | None:
    """The answer and the value made comparable, or None when they are not."""
    if levels is not None:
        a, b = levels.get(str(answer)), levels.get(str(value))
        return None if a is None or b is None else (a, b)
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float)):
        number = _as_number(value)
        return None if number is None else (float(answer), number)
    if isinstance(answer, (dt.date, str)):
        a_date, b_date = _as_date(answer), _as_date(value)
        if a_date is not None and b_date is not None:
            return a_date, b_date
        a_num, b_num = _as_number(answer), _as_number(value)
        if a_num is not None and b_num is not None:
            return a_num, b_num
    return None


def ladder_ranks(checklist: Checklist) -> dict[str, dict[str, int]]:
    """For each ladder question, its levels' ranks, lowest level 0."""
    return {
        c.id: {lv.id: i for i, lv in enumerate(checklist.ladder(c.ladder).levels)}
        for c in checklist.criteria()
        if c.type == AnswerType.LADDER and c.ladder is not None
    }


def visibility(checklist: Checklist, shared: Mapping[str, Answer], per_alternative: Mapping[str, Answer],
               ranks: Mapping[str, Mapping[str, int]] | None = None) -> tuple[set[str], set[str]]:
    """The visible section ids and criterion ids for one alternative's answers.

    `shared` are the answers to questions answered once, `per_alternative` this
    alternative's answers to the rated questions. Conditions may only refer to
    earlier questions (the validator checks that), so one pass in checklist
    order sees every hidden question already marked as unanswered."""
    if ranks is None:
        ranks = ladder_ranks(checklist)
    values: dict[str, Any] = {}

    def lookup(question: str) -> Any:
        return values.get(question)

    sections: set[str] = set()
    criteria: set[str] = set()
    for section in checklist.sections:
        if section.show_if is not None and not holds(section.show_if, lookup, ranks):
            continue
        sections.add(section.id)
        for crit in section.criteria:
            if crit.show_if is not None and not holds(crit.show_if, lookup, ranks):
                continue
            criteria.add(crit.id)
            answer = (per_alternative if crit.answered_per_alternative else shared).get(crit.id)
            if answer is not None and answer.value is not None:
                values[crit.id] = answer.value
    return sections, criteria


def _alternatives(checklist: Checklist, assessment: Assessment, alternative: str | None) -> list[str]:
    return [alternative] if alternative is not None else checklist.alternative_ids()


def visible_criteria(checklist: Checklist, assessment: Assessment, alternative: str | None = None) -> set[str]:
    """The ids of the criteria that apply when answering `alternative`.

    A criterion is hidden when its section's or its own `show_if` is false.
    With `alternative=None`, a criterion is visible when it is visible for at
    least one of the checklist's alternatives (what the wizard shows for the
    questions answered once)."""
    ranks = ladder_ranks(checklist)
    visible: set[str] = set()
    for alt in _alternatives(checklist, assessment, alternative):
        visible |= visibility(checklist, assessment.answers, assessment.alternatives.get(alt, {}), ranks)[1]
    return visible


def visible_sections(checklist: Checklist, assessment: Assessment, alternative: str | None = None) -> set[str]:
    """The ids of the sections whose `show_if` holds (for `alternative`, or for any alternative when None)."""
    ranks = ladder_ranks(checklist)
    visible: set[str] = set()
    for alt in _alternatives(checklist, assessment, alternative):
        visible |= visibility(checklist, assessment.answers, assessment.alternatives.get(alt, {}), ranks)[0]
    return visible
