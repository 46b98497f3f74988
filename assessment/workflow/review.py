"""Review (granskning): send an assessment for review, discuss it, sign it off, and keep the report it was adopted with.

A theme group reviews a case together: reviewers comment on single criteria
and on the whole, the author replies, and the thread is kept. Comments live in
their own table (`review_comments`), never in the assessment's body, so a
comment can never overwrite an answer, and the discussion may go on after the
assessment is adopted (frozen): the adopted version itself does not change, and
each comment records the version of the assessment it was made on. A comment,
once posted, is never edited (a database trigger refuses it). The thread has
its own revision: posting carries the revision the poster saw, and a stale one
raises `ReviewConflict` naming who posted since, like every other write.

Every action takes the person acting (`Actor`, or a plain name as in local
mode) and checks their role in the assessment's organisation (its
municipality) through `assessment.store.auth`; in a shared installation nobody signs
off an assessment they wrote unless the organisation has switched that rule
off, and the date of adoption is the server's own clock, never a date given by
the caller. Each action is written to the audit log.

Sign-off (`sign_off`) adopts the version through `Store.adopt` (which freezes
it), records the sign-off in the thread, renders the report of the adopted
version and stores it with its SHA-256 (`adopted_reports`, never changed), so
the exact PDF a decision used can be verified later (`verify_report`). This
module must not import streamlit and must not write to the assessment's body
except through the Store's own `save` and `adopt`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from assessment.answers.model import MAX_TEXT, Bounds, Status
from assessment.checklist.library import reference_for
from assessment.catalogue import text as msg
from assessment.errors import ConflictError, LimitExceeded, NotFound, Number, StorageError, Term
from assessment.scoring.scoring import score
from assessment.store import assessments as assessments_sql
from assessment.store import review as review_sql
from assessment.store.audit import log, record
from assessment.store.auth import Action, Actor, Forbidden, actor_of, org_key, require, self_sign_off_allowed
from assessment.store.integrity import seal_post, seal_report
from assessment.store.storage import Store, stored_summary
from reports import render_report

__all__ = [
    "ReviewComment",
    "Thread",
    "StoredReport",
    "Verification",
    "ReviewConflict",
    "send_for_review",
    "return_to_draft",
    "thread",
    "post",
    "sign_off",
    "store_report",
    "stored_reports",
    "report_pdf",
    "verify_report",
    "sha256_of",
    "writers",
]

Kind = Literal["comment", "reply", "sign_off"]


class ReviewConflict(ConflictError):
    """Someone posted in the review thread since you read it; reload the thread and post again."""

    def __init__(self, assessment_id: str, seen: int, current: int, authors: list[str]) -> None:
        self.assessment_id, self.seen, self.current, self.authors = assessment_id, seen, current, authors
        super().__init__("review_conflict", who=", ".join(authors) or Term("store.someone_else"))


@dataclass(frozen=True)
class ReviewComment:
    """One post in a review thread. `criterion` None: on the whole assessment.

    `on_revision` is the version of the assessment the post was made on (None
    for a comment that came inside an imported assessment file)."""

    id: str
    criterion: str | None
    author: str
    at: dt.datetime
    text: str
    reply_to: str | None
    kind: Kind
    on_revision: int | None


@dataclass(frozen=True)
class Thread:
    """The review thread of an assessment, oldest post first, and the revision to pass back when posting."""

    assessment_id: str
    revision: int
    comments: tuple[ReviewComment, ...]

    def on(self, criterion: str | None) -> list[ReviewComment]:
        """The top-level posts on one criterion (None: on the whole)."""
        return [c for c in self.comments if c.criterion == criterion and c.reply_to is None]

    def replies(self, comment_id: str) -> list[ReviewComment]:
        return [c for c in self.comments if c.reply_to == comment_id]

    @property
    def sign_off(self) -> ReviewComment | None:
        return next((c for c in reversed(self.comments) if c.kind == "sign_off"), None)


@dataclass(frozen=True)
class StoredReport:
    assessment_id: str
    revision: int
    lang: str
    sha256: str
    size: int
    stored_at: dt.datetime
    stored_by: str


@dataclass(frozen=True)
class Verification:
    """Whether a PDF is, byte for byte, the report stored when a version was adopted."""

    matches: bool
    sha256: str
    report: StoredReport | None  # the stored report it matches, or the one it was checked against

    def message(self, lang: str = "sv") -> str:
        r = self.report
        if self.matches and r is not None:
            return msg(lang, "workflow.report_matches", revision=r.revision, date=f"{r.stored_at:%Y-%m-%d}",
                       sha256=self.sha256[:16])
        if r is None:
            return msg(lang, "workflow.report_none_stored")
        return msg(lang, "workflow.report_differs", sha256=self.sha256[:16], stored=r.sha256[:16])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _head(conn: Connection, assessment_id: str) -> tuple[Status, int, str]:
    row = assessments_sql.head(conn, assessment_id)
    if row is None:
        raise NotFound("not_found", id=assessment_id)
    return Status(row.status), int(row.revision), org_key(row.municipality)


def _status(conn: Connection, assessment_id: str) -> tuple[Status, int]:
    status, revision, _ = _head(conn, assessment_id)
    return status, revision


def _org(store: Store, assessment_id: str) -> str:
    with store.reading() as conn:
        return _head(conn, assessment_id)[2]


def writers(store: Store, assessment_id: str) -> set[str]:
    """Everyone who wrote the assessment: who created it, and who saved a version that changed
    anything but its status (sending for review and returning to draft are not writing)."""
    with store.reading() as conn:
        rows = assessments_sql.version_authors(conn, assessment_id)
    names: set[str] = set()
    for r in rows:
        try:
            changes = json.loads(r.changes or "{}")
        except ValueError:
            changes = {}
        parts = set(changes.get("parts", ())) - {"status"}
        if r.revision == 1 or changes.get("questions") or parts:
            names.add(r.author)
    return names


# --- status: draft <-> in review ----------------------------------------------------------


def _set_status(store: Store, assessment_id: str, revision: int, by: Actor, status: Status, summary: str) -> int:
    stored = store.load(assessment_id)
    a = stored.assessment.model_copy(deep=True)
    a.metadata.status = status
    # The revision the caller saw, not the one just loaded: a stale caller gets EditConflict.
    return store.save(a, revision, by.name, summary)


def send_for_review(store: Store, assessment_id: str, revision: int, by: Actor | str) -> int:
    """Mark the assessment as in review (under granskning); returns the new revision.

    Needs the author role. EditConflict if it changed since `revision`; FrozenError if it is adopted."""
    actor = actor_of(by)
    org = _org(store, assessment_id)
    require(store, actor, Action.SEND_FOR_REVIEW, org)
    new = _set_status(store, assessment_id, revision, actor, Status.IN_REVIEW,
                      stored_summary("store.summary_sent_for_review"))
    log(store, actor.name, "send_for_review", assessment_id, org, f"version {new}")
    return new


def return_to_draft(store: Store, assessment_id: str, revision: int, by: Actor | str) -> int:
    """Take the assessment back from review to draft, for the author to rework it (author or reviewer)."""
    actor = actor_of(by)
    org = _org(store, assessment_id)
    require(store, actor, Action.RETURN_TO_DRAFT, org)
    new = _set_status(store, assessment_id, revision, actor, Status.DRAFT,
                      stored_summary("store.summary_returned_to_draft"))
    log(store, actor.name, "return_to_draft", assessment_id, org, f"version {new}")
    return new


# --- the thread -----------------------------------------------------------------------------


def thread(store: Store, assessment_id: str) -> Thread:
    """The review thread: comments that came with the assessment file, then those posted here."""
    stored = store.load(assessment_id)
    inherited = [ReviewComment(c.id, c.criterion, c.author, c.at, c.text, c.reply_to, c.kind, None)
                 for c in stored.assessment.comments]
    with store.reading() as conn:
        head = review_sql.thread_revision(conn, assessment_id)
        rows = review_sql.posts(conn, assessment_id)
    posted = [ReviewComment(r.id, r.criterion, r.author, dt.datetime.fromisoformat(r.at), r.text, r.reply_to,
                            r.kind, r.on_revision) for r in rows]
    return Thread(assessment_id, head or 0, tuple(inherited + posted))


def _advance_thread(conn: Connection, assessment_id: str, seen: int, by: str, at: str) -> int:
    if seen == 0:
        try:
            with conn.begin_nested():
                review_sql.start_thread(conn, assessment_id, at, by)
            return 1
        except IntegrityError:
            pass  # someone started the thread first: a conflict, reported below
    else:
        if review_sql.advance_thread(conn, assessment_id, seen, at, by):
            return seen + 1
    current = review_sql.thread_revision(conn, assessment_id) or 0
    # Each revision of the thread is one post: the newest (current - seen) posts are the ones missed.
    missed = review_sql.latest_authors(conn, assessment_id, max(int(current) - seen, 1))
    authors = list(dict.fromkeys(missed))
    raise ReviewConflict(assessment_id, seen, int(current), authors)


def _within_bounds(conn: Connection, assessment_id: str, adding: int) -> None:
    """LimitExceeded when one more post would pass the thread's bounds (the report prints every post)."""
    posted, size = review_sql.thread_size(conn, assessment_id)
    if posted >= Bounds.POSTS:
        raise LimitExceeded([Term("workflow.too_many_posts", limit=Bounds.POSTS)])
    if size + adding > Bounds.THREAD_TEXT:
        raise LimitExceeded([Term("workflow.thread_too_long", limit=Number(Bounds.THREAD_TEXT))])


def post(store: Store, assessment_id: str, thread_revision: int, author: Actor | str, body: str,
         criterion: str | None = None, reply_to: str | None = None, kind: Kind | None = None) -> int:
    """Post a comment (on `criterion`, or on the whole when None) or a reply; returns the thread's new revision.

    `thread_revision` is the revision of the thread the poster read
    (`Thread.revision`); ReviewConflict if someone posted since. Nothing in the
    assessment's answers is touched. Needs the author or reviewer role."""
    actor = actor_of(author)
    words = body.strip()
    if not words:
        raise StorageError("comment_empty")
    if len(words) > MAX_TEXT:
        raise StorageError("comment_too_long", limit=MAX_TEXT)
    if not actor.name.strip():
        raise StorageError("comment_needs_name")
    require(store, actor, Action.COMMENT, _org(store, assessment_id))
    chosen: Kind = kind or ("reply" if reply_to else "comment")
    stored = store.load(assessment_id)
    a = stored.assessment
    if criterion is not None:
        try:
            a.checklist.criterion(criterion)
        except KeyError:
            raise StorageError("comment_no_question", question=criterion) from None
    if reply_to is not None:
        known = {c.id: c for c in thread(store, assessment_id).comments}
        if reply_to not in known:
            raise StorageError("no_comment", comment=reply_to)
        criterion = known[reply_to].criterion  # a reply belongs where its comment is
    at = _now().isoformat(timespec="microseconds")
    name = actor.name.strip()
    cid = uuid.uuid4().hex[:12]
    with store.writing() as conn:
        _, revision, org = _head(conn, assessment_id)
        _within_bounds(conn, assessment_id, len(words))
        new = _advance_thread(conn, assessment_id, thread_revision, name, at)
        row = {"id": cid, "assessment_id": assessment_id, "on_revision": revision, "criterion": criterion,
               "author": name, "at": at, "text": words, "reply_to": reply_to, "kind": chosen}
        review_sql.insert_post(conn, row)
        seal_post(conn, row)
        record(conn, name, "comment", assessment_id, org,
               f"{chosen} {cid}" + (f" on {criterion}" if criterion else ""))
    return new


# --- sign-off and the stored report -----------------------------------------------------------


def sign_off(store: Store, assessment_id: str, revision: int, by: Actor | str, note: str = "",
             lang: str | None = None) -> int:
    """Adopt (fastställ) the version at `revision`, signed off by `by` today; returns its revision.

    The date is the server's clock: no caller chooses it. Needs the reviewer
    role; in a shared installation `by` must not have written the assessment
    (`writers`) unless its organisation allows self sign-off
    (`auth.set_self_sign_off`). Only an assessment in review can be signed off.
    Adoption is the one write that matters and goes first, through `Store.adopt`
    (EditConflict if the assessment changed since `revision`, FrozenError if
    already adopted); then the sign-off is posted in the thread and the report of
    the adopted version is rendered in `lang` (default: the assessment's
    language) and stored with its SHA-256. Should rendering fail, the adoption
    stands and `store_report` can be run again."""
    actor = actor_of(by)
    name = actor.name.strip()
    if not name:
        raise StorageError("adoption_needs_name")
    with store.reading() as conn:
        status, _, org = _head(conn, assessment_id)
    require(store, actor, Action.SIGN_OFF, org)
    if status == Status.DRAFT:
        raise StorageError("adopt_draft")
    if actor.shared and name in writers(store, assessment_id) and not self_sign_off_allowed(store, org):
        raise Forbidden("own_sign_off", who=actor.label)
    adopted = store.adopt(assessment_id, revision, name)  # dated by the server's clock
    when = store.version(assessment_id, adopted).metadata.adopted_at or dt.date.today()
    words = stored_summary("workflow.signed_off", date=when.isoformat(), name=name)
    at = _now().isoformat(timespec="microseconds")
    with store.writing() as conn:
        seen = review_sql.thread_revision(conn, assessment_id) or 0
        _advance_thread(conn, assessment_id, int(seen), name, at)
        row = {"id": uuid.uuid4().hex[:12], "assessment_id": assessment_id, "on_revision": adopted,
               "criterion": None, "author": name, "at": at,
               "text": words + (f"\n{note.strip()}" if note.strip() else ""), "reply_to": None, "kind": "sign_off"}
        review_sql.insert_post(conn, row)
        seal_post(conn, row)  # the chain (assessment/store/integrity.py) shows a sign-off deleted or edited later
        record(conn, name, "sign_off", assessment_id, org, f"version {adopted}, {when.isoformat()}")
    store_report(store, assessment_id, actor, lang)
    return adopted


def store_report(store: Store, assessment_id: str, by: Actor | str, lang: str | None = None) -> StoredReport:
    """Render the report of the adopted version and store it with its hash (once per version and language).

    Needs the reviewer role. Returns the stored report (the existing one if it was already stored)."""


    actor = actor_of(by)
    org = _org(store, assessment_id)
    require(store, actor, Action.SIGN_OFF, org)
    by = actor.name
    stored = store.load(assessment_id)
    if stored.assessment.metadata.status != Status.ADOPTED:
        raise StorageError("report_needs_adoption")
    language = lang or stored.assessment.language
    existing = [r for r in stored_reports(store, assessment_id) if r.revision == stored.revision and r.lang == language]
    if existing:
        return existing[0]
    out = io.BytesIO()
    # The report a decision used carries the review as it stood: every post up to the sign-off.
    result = score(stored.assessment, reference=reference_for(stored.assessment.checklist))
    render_report(stored.assessment, out, lang=language, result=result, comments=thread(store, assessment_id).comments)
    pdf = out.getvalue()
    digest = sha256_of(pdf)
    at = _now()
    try:
        with store.writing() as conn:
            row = {"assessment_id": assessment_id, "revision": stored.revision, "lang": language, "sha256": digest,
                   "size": len(pdf), "stored_at": at.isoformat(timespec="microseconds"), "stored_by": by}
            review_sql.insert_report(conn, row, pdf)
            seal_report(conn, row)
            record(conn, by, "store_report", assessment_id, org,
                   f"version {stored.revision} ({language}) sha256 {digest}")
    except IntegrityError:  # stored meanwhile by another session: that one is the record
        return next(r for r in stored_reports(store, assessment_id)
                    if r.revision == stored.revision and r.lang == language)
    return StoredReport(assessment_id, stored.revision, language, digest, len(pdf), at, by)


def stored_reports(store: Store, assessment_id: str) -> list[StoredReport]:
    """The reports stored at adoption, oldest first."""
    with store.reading() as conn:
        rows = review_sql.reports(conn, assessment_id)
    return [StoredReport(assessment_id, r.revision, r.lang, r.sha256, r.size, dt.datetime.fromisoformat(r.stored_at),
                         r.stored_by) for r in rows]


def report_pdf(store: Store, assessment_id: str, revision: int, lang: str) -> bytes:
    """The stored PDF bytes, exactly as they were at adoption."""
    with store.reading() as conn:
        pdf = review_sql.report_pdf(conn, assessment_id, revision, lang)
    if pdf is None:
        raise NotFound("no_stored_report", id=assessment_id, revision=revision, lang=lang)
    return pdf


def verify_report(store: Store, assessment_id: str, pdf: bytes) -> Verification:
    """Is `pdf` exactly one of the reports stored when this assessment was adopted?"""
    digest = sha256_of(pdf)
    reports = stored_reports(store, assessment_id)
    if not reports:
        with store.reading() as conn:
            _status(conn, assessment_id)  # NotFound for an unknown id
        return Verification(False, digest, None)
    match = next((r for r in reports if r.sha256 == digest), None)
    return Verification(match is not None, digest, match or reports[-1])
