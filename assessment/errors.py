"""The errors a user can cause, each with a code and the parameters the message needs.

    SkbError
    ├── ChecklistError        a checklist file is malformed (every problem listed)
    ├── AssessmentFileError   an assessment file cannot be read or does not fit its checklist
    │   └── LimitExceeded     more than an assessment may hold (also a StorageError: every door refuses it)
    ├── StorageError
    │   ├── NotFound          no assessment with that id
    │   ├── ConflictError     someone else saved first (optimistic concurrency)
    │   ├── FrozenError       the assessment is adopted (fastställd) and cannot change
    │   └── DuplicateError    an import would overwrite an existing assessment
    ├── ReportError           the report could not be built
    └── Forbidden             the person's roles, or the organisation's rules, do not allow it

The core raises `StorageError("delete_not_draft", id=assessment_id)`: a code and
its parameters, no words. The edge words it: `error.message(lang)` is the
catalogue's `error.<code>` in that language, its fields filled with the
parameters (the model is pyxform's error codes). A parameter that is itself
words (the action "read", the part of an assessment that changed) is a `Term`,
worded in the same language; a number is a `Number`, grouped as the language
groups digits; a list of those is worded item by item. `str(error)` is the
English message with its code, for a log or a terminal; the UI and the CLI show
`message(lang)`, never a traceback. tests/test_error_codes.py finds every code
raised in the code and checks that the catalogue words it in both languages with
the fields its raise sites pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

from assessment import catalogue

__all__ = [
    "SkbError",
    "ChecklistError",
    "AssessmentFileError",
    "StorageError",
    "NotFound",
    "ConflictError",
    "FrozenError",
    "DuplicateError",
    "ReportError",
    "Forbidden",
    "LimitExceeded",
    "Term",
    "Number",
    "Lines",
    "Worded",
    "word",
]

LOG_LANGUAGE = "en"  # the language of str(error): logs and tracebacks


@dataclass(frozen=True, slots=True, init=False)
class Term:
    """Words from the catalogue as a parameter: `key` (a whole message id, e.g. "workflow.the_review_date")
    worded in the message's language, with its own `fields` (themselves parameters). A plural id takes `n`."""

    key: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **fields: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "fields", MappingProxyType(fields))

    def text(self, lang: str) -> str:
        filled = {name: word(value, lang) for name, value in self.fields.items()}
        if self.key in catalogue.messages(lang)[1]:
            return catalogue.plural(lang, self.key, int(self.fields["n"]),
                                    **{k: v for k, v in filled.items() if k != "n"})
        return catalogue.text(lang, self.key, **filled)


@dataclass(frozen=True, slots=True)
class Number:
    """A whole number as the language writes it: 30 000 in Swedish (a narrow no-break space), 30,000 in English."""

    value: int

    def text(self, lang: str) -> str:
        return f"{self.value:,}".replace(",", "\u202f" if catalogue.language(lang) == "sv" else ",")


@dataclass(frozen=True, slots=True)
class Lines:
    """Parameters worded one per line."""

    items: Sequence[Any]

    def text(self, lang: str) -> str:
        return "\n".join(word(item, lang) for item in self.items)


@runtime_checkable
class Worded(Protocol):
    """A parameter that words itself in a language (Term, Number, Lines, or a caller's own, such as the parts of
    an assessment a conflict names with the questions' texts in the page's language)."""

    def text(self, lang: str) -> str: ...


def word(value: Any, lang: str) -> str:
    """A parameter as the message in `lang` shows it: a Worded one in `lang`, an SkbError by its message,
    a list or tuple item by item joined with commas, anything else as it is."""
    if isinstance(value, Worded) and not isinstance(value, str):
        return value.text(lang)
    if isinstance(value, SkbError):
        return value.message(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(word(item, lang) for item in value)
    return str(value)


_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")


class WordedProblem(Protocol):
    """A problem found at a place in a file, worded in a language (a checklist validator's `Problem`)."""

    def text(self, lang: str) -> str: ...


class SkbError(Exception):
    """Something went wrong that the user can act on: `code` names the message, `params` fill its fields.
    `message(lang)` is what a page or the command line in that language says.

    A code is `error.<code>` in the catalogue; a dotted code is a whole message id of its own namespace (a
    checklist's error may be worded by `checklist.*`). Anything else given as the code is a text as written,
    the same in every language: how the checklist layer still raises until its texts have codes
    (tests/test_error_codes.py, AS_WRITTEN, lists the files that may)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params: Mapping[str, Any] = MappingProxyType(params)
        super().__init__(code)

    @property
    def key(self) -> str | None:
        """The catalogue id of the message (None for a text as written)."""
        if not _CODE.fullmatch(self.code):
            return None
        return self.code if "." in self.code else f"error.{self.code}"

    def message(self, lang: str = catalogue.DEFAULT_LANGUAGE) -> str:
        key = self.key
        if key is None:
            return self.code
        return catalogue.text(lang, key, **{k: word(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:
        return f"{self.message(LOG_LANGUAGE)} [{self.code}]" if self.key is not None else self.code


class ChecklistError(SkbError):
    """The checklist in `source` is not valid; `problems` are the validator's, each a code with its fields and a
    place in the file (`assessment.checklist.validate.Problem`). `message(lang)` words the headline from the
    catalogue (`checklist.invalid`) and every problem from its `checklist.<code>`; `str()` is the English."""

    def __init__(self, source: str, problems: Sequence[WordedProblem], /) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__("checklist.invalid", source=source)

    def message(self, lang: str = catalogue.DEFAULT_LANGUAGE) -> str:
        return "\n".join([super().message(lang), *(p.text(lang) for p in self.problems)])

    def __str__(self) -> str:
        return self.message(LOG_LANGUAGE)

    @property
    def messages(self) -> list[str]:
        """Each problem in English, located (file:line: where: what)."""
        return [p.text("en") for p in self.problems]


class AssessmentFileError(SkbError):
    """The assessment file cannot be read or does not fit its checklist."""


class StorageError(SkbError):
    """The assessment could not be stored."""


class NotFound(StorageError):
    """There is no assessment with that id."""


class ConflictError(StorageError):
    """The assessment was changed by someone else since you opened it."""


class FrozenError(StorageError):
    """The assessment is adopted (fastställd) and can no longer be changed."""


class DuplicateError(StorageError):
    """An assessment with that id already exists; importing would overwrite it."""


class ReportError(SkbError):
    """The report could not be built."""


class Forbidden(SkbError):
    """You may not do this: your roles do not allow it, or the organisation's rules forbid it."""


class LimitExceeded(AssessmentFileError, StorageError):
    """The assessment holds more than SKB allows; `problems` are coded items (`Term`s), one per limit."""

    def __init__(self, problems: Sequence[Term]) -> None:
        self.problems = list(problems)
        super().__init__("limit_exceeded", problems=Lines(self.problems))
