"""An assessment's history as a person reads it: working sessions and milestones, not one line per field.

Autosave keeps a version per change (a full assessment holds hundreds). Here the
versions one person saved one after another, with no pause longer than `SESSION_GAP`,
read as one working session; the versions that change the status (created, sent for
review, returned to draft, adopted, copied) and the review comments are milestones
between them. Nothing is dropped: every version is in exactly one session or
milestone, so each stays findable and recoverable. Pure: no Streamlit, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessment.answers.model import Status
from assessment.workflow.review import ReviewComment
from assessment.store.storage import Version

__all__ = ["SESSION_GAP", "Session", "Milestone", "timeline"]

SESSION_GAP = dt.timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Session:
    """Versions one person saved one after another, oldest first."""

    author: str
    versions: tuple[Version, ...]

    @property
    def start(self) -> dt.datetime:
        return self.versions[0].saved_at

    @property
    def end(self) -> dt.datetime:
        return self.versions[-1].saved_at


@dataclass(frozen=True, slots=True)
class Milestone:
    """A step on the way to a decision: `kind` is created, copied, sent_for_review, returned_to_draft,
    adopted (each one version, `revision`) or comments (`count` posted one after another by `author`)."""

    kind: str
    at: dt.datetime
    author: str
    revision: int | None = None
    count: int = 1


def _aware(at: dt.datetime) -> dt.datetime:
    """A stored time to compare with another: the store writes UTC, so one read without its zone is UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.timezone.utc)


def _milestone(version: Version, before: Version | None) -> str | None:
    if before is None:
        return "copied" if version.summary.startswith("kopia av ") else "created"
    if version.status == before.status:
        return None
    return {Status.IN_REVIEW: "sent_for_review", Status.DRAFT: "returned_to_draft",
            Status.ADOPTED: "adopted"}.get(version.status)


def timeline(versions: Sequence[Version], comments: Iterable[ReviewComment] = (),
             gap: dt.timedelta = SESSION_GAP) -> list[Session | Milestone]:
    """Sessions and milestones, oldest first. A session ends when another person saves, after a pause
    longer than `gap`, or at a milestone version."""
    out: list[Session | Milestone] = []
    run: list[Version] = []

    def close() -> None:
        if run:
            out.append(Session(run[0].author, tuple(run)))
            run.clear()

    before: Version | None = None
    for v in sorted(versions, key=lambda v: v.revision):
        kind = _milestone(v, before)
        before = v
        if kind is not None:
            close()
            out.append(Milestone(kind, v.saved_at, v.author, v.revision))
            continue
        if run and (v.author != run[-1].author or _aware(v.saved_at) - _aware(run[-1].saved_at) > gap):
            close()
        run.append(v)
    close()

    posts: list[Milestone] = []
    for c in sorted((c for c in comments if c.kind != "sign_off"), key=lambda c: _aware(c.at)):  # sign-off: adoption
        last = posts[-1] if posts else None
        if last is not None and last.author == c.author and _aware(c.at) - _aware(last.at) <= gap:
            posts[-1] = Milestone("comments", c.at, c.author, None, last.count + 1)
        else:
            posts.append(Milestone("comments", c.at, c.author))

    def when(entry: Session | Milestone) -> dt.datetime:
        return _aware(entry.start if isinstance(entry, Session) else entry.at)

    return sorted(out + posts, key=when)  # stable: a version's entries keep their order at equal times
