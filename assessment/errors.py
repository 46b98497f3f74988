"""The errors a user can cause, each with a message a planner understands.

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

The UI shows `error.message(lang)`, in the page's language; it never shows a traceback for these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assessment.catalogue import text

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
]


class WordedProblem(Protocol):
    """A problem found at a place in a file, worded in a language (a checklist validator's `Problem`)."""

    def text(self, lang: str) -> str: ...


class SkbError(Exception):
    """Something went wrong that the user can act on.

    Raised with the message in Swedish and, when it differs, in English: `message(lang)` gives the one a
    page in that language shows; `str()` keeps both for a log or a terminal."""

    def __init__(self, sv: str = "", en: str | None = None) -> None:
        self.sv, self.en = sv, sv if en is None else en
        super().__init__(sv if en is None else f"{sv} / {en}")

    def message(self, lang: str = "sv") -> str:
        return self.sv if lang == "sv" else self.en


class ChecklistError(SkbError):
    """The checklist in `source` is not valid; `problems` are the validator's, each a code with its fields and a
    place in the file (`assessment.checklist.validate.Problem`). `message(lang)` words the headline from the
    catalogue (`checklist.invalid`) and every problem from its `checklist.<code>`; `str()` is the English."""

    code = "invalid"

    def __init__(self, source: str, problems: Sequence[WordedProblem], /) -> None:
        self.source = source
        self.problems = tuple(problems)
        self.params = {"source": source}
        Exception.__init__(self, self.message("en"))

    def message(self, lang: str = "sv") -> str:
        return "\n".join([text(lang, f"checklist.{self.code}", **self.params), *(p.text(lang) for p in self.problems)])

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
    """You may not do this: your roles do not allow it, or the organisation's rules forbid it.

    Carries the message in Swedish (`sv`) and English (`en`); `message(lang)` picks one."""

    def __init__(self, sv: str, en: str) -> None:
        super().__init__(sv, en)


class LimitExceeded(AssessmentFileError, StorageError):
    """The assessment holds more than SKB allows; `problems` are (Swedish, English) pairs naming each limit."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__(self.message("sv") + "\n" + self.message("en"))

    def message(self, lang: str = "sv") -> str:
        head = ("Bedömningen är större än SKB tillåter:" if lang == "sv" else
                "The assessment is larger than SKB allows:")
        return head + "\n" + "\n".join(sv if lang == "sv" else en for sv, en in self.problems)
