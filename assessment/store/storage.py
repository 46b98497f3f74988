"""Where assessments live: autosave, history, adoption, import and export.

One interface over two databases. By default an embedded SQLite file in the
data directory (SKB_DATA_DIR, else $XDG_DATA_HOME/skb, else ~/.local/share/skb),
in WAL mode; when SKB_DATABASE_URL is set, that database (PostgreSQL for a shared
installation: `postgresql+psycopg://user@host/db`). Every save is a new version
row; the checklist snapshot is stored once per content hash, not in every
version. Saves carry the revision they were based on, and a stale one raises
`EditConflict` saying, in Swedish and English, who changed which questions.
An adopted (fastställd) assessment is frozen by triggers in the database itself.

The Store holds an Engine (safe to share between Streamlit's session threads)
and never a connection: each call checks one out, uses it in one thread, and
returns it. All writes go through `_write`, which on SQLite takes the write
lock up front (BEGIN IMMEDIATE) so that concurrent sessions queue instead of
failing. This module must not import streamlit, and must not keep state at
module level.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError

from assessment.catalogue import has, template, text
from assessment.checklist.checklist import Checklist, text_for
from assessment.errors import (AssessmentFileError, ConflictError, DuplicateError, FrozenError, LimitExceeded, NotFound,
                               Lines, StorageError, Term)
from assessment.checklist.library import resolve_checklist
from assessment.store.integrity import Verdict, body_digest, chain_head, check_adoption, seal_report, seal_version, verify
from assessment.store.migrations import FROZEN_MARK, needs_upgrade, schema_mark, search_text, upgrade
from assessment.answers.model import (MAX_NAME, AdoptionRecord, Answer, Assessment, Provenance, Status, answer_bound_problems,
                    check_assessment, check_bounds, check_value, dump_assessment, parse_assessment, validate_snapshot)
from assessment.checklist.yamlio import Limits
from assessment.store import assessments as assessments_sql
from assessment.store import review as review_sql

__all__ = [
    "DATABASE_ENV",
    "DATA_DIR_ENV",
    "MIGRATION_ENV",
    "Change",
    "Conflict",
    "EditConflict",
    "RestartNeeded",
    "Store",
    "Stored",
    "Summary",
    "Version",
    "data_dir",
    "default_url",
    "summary_in",
    "open_store",
    "server_date",
]

DATABASE_ENV = "SKB_DATABASE_URL"
MIGRATION_ENV = "SKB_MIGRATION_DATABASE_URL"  # the owner's URL, when the application's role may not migrate
DATA_DIR_ENV = "SKB_DATA_DIR"
SQLITE_FILE = "skb.sqlite"

_SNAPSHOT_CACHE = 16  # parsed checklists kept per Store, for validating autosaved answers


def data_dir() -> Path:
    """The directory of the default database: SKB_DATA_DIR, else $XDG_DATA_HOME/skb, else ~/.local/share/skb."""
    explicit = os.environ.get(DATA_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "skb"


def default_url() -> str:
    """SKB_DATABASE_URL if set, else the SQLite file in the data directory (created if missing)."""
    url = os.environ.get(DATABASE_ENV, "").strip()
    if url:
        return url
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / SQLITE_FILE}"


def _normalise_url(url: str) -> str:
    # People copy URLs from PostgreSQL's own docs; SKB speaks to it through psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def server_date() -> dt.date:
    """Today by the server's clock: the one date an adoption can have (no caller chooses it)."""
    return dt.date.today()


def _when(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


# --- what the store returns -------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """An assessment as loaded, with the revision to pass back when saving it."""

    assessment: Assessment
    revision: int
    updated_at: dt.datetime
    updated_by: str

    @property
    def frozen(self) -> bool:
        return self.assessment.metadata.status == Status.ADOPTED


@dataclass(frozen=True)
class Summary:
    """One line of the list of assessments."""

    id: str
    title: str
    municipality: str
    status: Status
    checklist_id: str
    checklist_version: str
    revision: int
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True)
class Version:
    """One saved version: who saved it, when, and what it changed.

    `questions` are the criterion ids whose answers changed; `parts` the other
    parts of the assessment that changed (metadata, measures, participation,
    comments, checklist)."""

    revision: int
    saved_at: dt.datetime
    author: str
    summary: str
    status: Status
    questions: tuple[str, ...]
    parts: tuple[str, ...]

    def summary_in(self, lang: str) -> str:
        """The summary in `lang`: the store writes its own (created, sent for review, adopted, a copy) in
        Swedish and English as "sv / en", and a reader sees the one of their language; any other is as written."""
        return summary_in(self.summary, lang)


# The summaries the store and the review write themselves, each "Swedish / English" (`stored_summary`), and
# read back in one language. These catalogue texts are also stored words: a database keeps the ones it was
# written with, so changing one of them leaves the old versions' summaries shown as they were written.
OWN_SUMMARIES = ("store.summary_created", "store.summary_adopted", "store.summary_sent_for_review",
                 "store.summary_returned_to_draft", "store.summary_copy")
_FIELD = re.compile(r"\\\{(\w+)\\\}")


def stored_summary(key: str, **fields: object) -> str:
    """A summary the store writes itself: both languages, "Swedish / English", read back by `summary_in`."""
    return f"{text('sv', key, **fields)} / {text('en', key, **fields)}"


def _summary_pattern(lang: str) -> str:
    return "|".join(_FIELD.sub(r"\\S+", re.escape(template(lang, key))) for key in OWN_SUMMARIES)


_OWN_SUMMARY = re.compile(f"({_summary_pattern('sv')}) / ({_summary_pattern('en')})")


def summary_in(summary: str, lang: str) -> str:
    """A version's summary in `lang` when it is one the store wrote in both languages; else as written."""
    found = _OWN_SUMMARY.fullmatch(summary)
    if found is None:
        return summary
    return found.group(1 if lang == "sv" else 2)


Change = Version  # a change made by someone else, as a conflict reports it


@dataclass(frozen=True)
class Conflict:
    """What happened between the revision a session had and the one stored."""

    assessment_id: str
    base_revision: int
    current_revision: int
    changes: tuple[Change, ...]
    question_texts: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {lang: text}

    @property
    def authors(self) -> list[str]:
        return list(dict.fromkeys(c.author for c in self.changes))

    @property
    def questions(self) -> list[str]:
        return list(dict.fromkeys(q for c in self.changes for q in c.questions))

    @property
    def parts(self) -> list[str]:
        return list(dict.fromkeys(p for c in self.changes for p in c.parts))

    def message(self, lang: str = "sv") -> str:
        """A message for the planner whose save was refused, in Swedish (sv) or English."""
        return EditConflict(self).message(lang)


@dataclass(frozen=True)
class _Changed:
    """What a conflict says changed: the questions (by id and their text in the reader's language) and the parts."""

    questions: tuple[str, ...]
    question_texts: dict[str, dict[str, str]]
    parts: tuple[str, ...]

    def text(self, lang: str) -> str:
        labels = [f"{q} ({self.question_texts[q].get(lang) or next(iter(self.question_texts[q].values()), '')})"
                  if q in self.question_texts else q for q in self.questions]
        what = [text(lang, "store.conflict_question" if len(labels) == 1 else "store.conflict_questions",
                     labels=", ".join(labels))] if labels else []
        what += [text(lang, f"store.part_{p}") if has(f"store.part_{p}") else p for p in self.parts]
        return text(lang, "store.and").join(what) or text(lang, "store.changes")


class RestartNeeded(StorageError):
    """A newer SKB has migrated the database since this server started: it must be restarted."""


class EditConflict(ConflictError):
    """Someone else saved the assessment first; `conflict` says who and what, `message(lang)` says it to the user."""

    def __init__(self, conflict: Conflict) -> None:
        self.conflict = conflict
        last = max((c.saved_at for c in conflict.changes), default=None)
        super().__init__("edit_conflict", who=", ".join(conflict.authors) or Term("store.someone_else"),
                         when=last.astimezone().strftime("%Y-%m-%d %H:%M") if last else "",
                         what=_Changed(tuple(conflict.questions), conflict.question_texts, tuple(conflict.parts)),
                         revision=conflict.current_revision)


def _frozen(assessment_id: str) -> FrozenError:
    return FrozenError("frozen", id=assessment_id)


def _not_found(assessment_id: str) -> NotFound:
    return NotFound("not_found", id=assessment_id)


# --- bodies: an assessment without its snapshot ------------------------------------------


def _body(a: Assessment) -> dict[str, Any]:
    return a.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"checklist"})


def _encode(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _diff(old: dict[str, Any] | None, new: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Which questions and which other parts differ between two bodies."""
    old = old or {}
    questions: list[str] = []
    old_answers, new_answers = old.get("answers", {}), new.get("answers", {})
    for cid in sorted(set(old_answers) | set(new_answers)):
        if old_answers.get(cid) != new_answers.get(cid):
            questions.append(cid)
    old_alts, new_alts = old.get("alternatives", {}), new.get("alternatives", {})
    for alt in sorted(set(old_alts) | set(new_alts)):
        a, b = old_alts.get(alt, {}), new_alts.get(alt, {})
        for cid in sorted(set(a) | set(b)):
            if a.get(cid) != b.get(cid) and cid not in questions:
                questions.append(cid)
    parts = []
    old_meta, new_meta = dict(old.get("metadata", {})), dict(new.get("metadata", {}))
    if old_meta.pop("status", None) != new_meta.pop("status", None):
        parts.append("status")
    if old_meta != new_meta:
        parts.append("metadata")
    for part in ("measures", "participation", "comments", "checklist_ref", "language"):
        if old.get(part) != new.get(part):
            parts.append("checklist" if part == "checklist_ref" else part)
    return questions, parts


# --- the store ---------------------------------------------------------------------------


def open_store(url: str | None = None) -> Store:
    """A Store on `url`, or on SKB_DATABASE_URL, or on the SQLite file in the data directory.

    The database is created if missing and upgraded to the current schema."""
    return Store(_normalise_url(url or default_url()))


class Store:
    """Assessments in one database. Share one Store per process; it is thread-safe."""

    def __init__(self, url: str) -> None:
        self.dialect: Literal["sqlite", "postgresql"]
        if url.startswith("sqlite"):
            if url.rstrip("/").endswith(("sqlite:", ":memory:")):
                # An in-memory database is a different one per connection: autosaves would vanish.
                raise StorageError("sqlite_in_memory")
            self.dialect = "sqlite"
            self._engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(self._engine, "connect", _sqlite_connect)
            event.listen(self._engine, "begin", _sqlite_begin)
        elif url.startswith("postgresql"):
            self.dialect = "postgresql"
            self._engine = create_engine(url, pool_pre_ping=True)
        else:
            raise StorageError("database_kind", scheme=repr(url.split(':')[0]))
        self._writer = self._engine.execution_options(skb_write=True)
        self._snapshots: dict[str, Checklist] = {}
        self._snapshots_lock = threading.Lock()
        try:
            self._upgrade()
            with self._engine.connect() as conn:
                self._schema = schema_mark(conn)  # what this server was started on (see _write)
        except DBAPIError as exc:
            self._engine.dispose()
            if "permission denied" in str(exc.orig) or "must be owner" in str(exc.orig):
                raise StorageError("migrate_as_owner", variable=MIGRATION_ENV, cause=exc.orig) from None
            raise StorageError("database_unopenable", cause=exc.orig) from None
        except BaseException:
            self._engine.dispose()
            raise

    def _upgrade(self) -> None:
        # Migrations run as the owner; the application's own role (docs/storage.md) owns nothing
        # and only checks that nothing is pending.
        owner = os.environ.get(MIGRATION_ENV, "").strip()
        if owner and self.dialect == "postgresql":
            engine = create_engine(_normalise_url(owner))
            try:
                upgrade(engine)
            finally:
                engine.dispose()
        elif self.dialect == "postgresql" and not needs_upgrade(self._engine):
            return
        else:
            upgrade(self._writer)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction; refusals by the freezing triggers become FrozenError.

        Last before it commits, the write checks that the schema is still the one this server
        started on: once a newer SKB has migrated the database (docs/storage.md, "Upgrades"),
        a server of the old version refuses every write, saying that it must be restarted,
        rather than write rows the new schema may not expect. Checked at the end, the write
        either committed before the migration (which then migrates it) or is rolled back."""
        try:
            with self._writer.begin() as conn:
                yield conn
                if schema_mark(conn) != self._schema:
                    raise self._restart()
        except DBAPIError as exc:
            if FROZEN_MARK in str(exc.orig):
                raise FrozenError("database_refused",
                                  said=str(exc.orig).split(FROZEN_MARK + ": ", 1)[-1].splitlines()[0]) from None
            if self._schema_moved():
                raise self._restart() from None
            raise

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except DBAPIError:
            # A read that fails on a schema changed under it (a dropped column, a renamed table) says why.
            if self._schema_moved():
                raise self._restart() from None
            raise

    def _schema_moved(self) -> bool:
        try:
            with self._engine.connect() as conn:
                return schema_mark(conn) != self._schema
        except DBAPIError:
            return False

    def _restart(self) -> RestartNeeded:
        with self._engine.connect() as conn:
            now = schema_mark(conn)
        return RestartNeeded("restart_needed", schema=now, started=self._schema)

    def writing(self) -> Any:
        """One write transaction for the modules that keep their own tables beside the
        assessments (review, follow-up, portfolio scores): the same write lock and the
        same FrozenError as the store's own writes."""
        return self._write()

    def reading(self) -> Any:
        """A connection for reading those tables."""
        return self._read()

    # -- snapshots --

    def _store_snapshot(self, conn: Connection, checklist: Checklist) -> str:
        digest = checklist.content_hash()
        if assessments_sql.snapshot_stored(conn, digest):
            return digest
        data = checklist.model_dump(mode="json", by_alias=True, exclude_none=True)
        try:
            # A checklist built in Python has not met the validator; it does before it is stored.
            validate_snapshot(data, f"checklist {checklist.id}")
        except AssessmentFileError as exc:
            raise StorageError("snapshot_invalid", cause=exc) from None
        body = json.dumps(data, ensure_ascii=False)
        assessments_sql.insert_snapshot(conn, digest, checklist.id, checklist.version, body, _now())
        return digest

    def _snapshot(self, conn: Connection, digest: str) -> Checklist:
        with self._snapshots_lock:
            cached = self._snapshots.get(digest)
        if cached is not None:
            return cached
        body = assessments_sql.snapshot_body(conn, digest)
        try:
            # Through the full validator, as on import: the database is no more trusted than a file.
            checklist = validate_snapshot(json.loads(body), f"checklist {digest[:12]}")
        except (AssessmentFileError, ValueError) as exc:
            raise StorageError("stored_checklist_invalid", digest=digest[:12], cause=exc) from None
        with self._snapshots_lock:
            if len(self._snapshots) >= _SNAPSHOT_CACHE:
                self._snapshots.pop(next(iter(self._snapshots)))
            self._snapshots[digest] = checklist
        return checklist

    def _assemble(self, conn: Connection, body: str, digest: str) -> Assessment:
        data = json.loads(body)
        snapshot = self._snapshot(conn, digest)
        return Assessment.model_validate({**data, "checklist": snapshot.model_dump(mode="json", by_alias=True,
                                                                                    exclude_none=True)})

    # -- reading --

    def _head(self, conn: Connection, assessment_id: str) -> Any:
        row = assessments_sql.latest(conn, assessment_id)
        if row is None:
            raise _not_found(assessment_id)
        return row

    def load(self, assessment_id: str) -> Stored:
        """The latest version of an assessment, with its checklist snapshot."""
        with self._read() as conn:
            row = self._head(conn, assessment_id)
            return Stored(self._assemble(conn, row.body, row.checklist_hash), row.revision,
                          _when(row.updated_at), row.updated_by)

    def version(self, assessment_id: str, revision: int) -> Assessment:
        """An assessment as it was saved at `revision`."""
        with self._read() as conn:
            row = assessments_sql.version_body(conn, assessment_id, revision)
            if row is None:
                self._head(conn, assessment_id)  # NotFound for an unknown assessment
                raise NotFound("no_version", id=assessment_id, revision=revision)
            return self._assemble(conn, row.body, row.checklist_hash)

    def history(self, assessment_id: str) -> list[Version]:
        """Every saved version, oldest first."""
        with self._read() as conn:
            rows = assessments_sql.versions_after(conn, assessment_id)
            if not rows:
                self._head(conn, assessment_id)
        return [_version(r) for r in rows]

    # -- writing --

    def _check(self, a: Assessment) -> None:
        check_bounds(a)
        problems = check_assessment(a)
        if problems:
            raise StorageError("answers_do_not_fit", problems=Lines(problems[:10]))

    def _insert_version(self, conn: Connection, assessment_id: str, revision: int, author: str, summary: str,
                        status: str, digest: str, body: dict[str, Any], questions: list[str],
                        parts: list[str], at: str) -> None:
        row = {"assessment_id": assessment_id, "revision": revision, "saved_at": at, "author": author,
               "summary": summary, "changes": json.dumps({"questions": questions, "parts": parts}, ensure_ascii=False),
               "status": status, "checklist_hash": digest, "body": _encode(body)}
        assessments_sql.insert_version(conn, row)
        seal_version(conn, row)

    def _insert_new(self, conn: Connection, a: Assessment, author: str, summary: str) -> int:
        digest = self._store_snapshot(conn, a.checklist)
        body = _body(a)
        at = _now()
        meta = a.metadata
        # The head starts as a draft even for an adopted import: the freezing
        # trigger must let its first version in, then the status is set.
        assessments_sql.insert_head(conn, a.id, meta.title, meta.municipality,
                                    str(Status.DRAFT) if meta.status == Status.ADOPTED else str(meta.status),
                                    a.checklist.id, a.checklist.version, at, author, search_text(body["metadata"]))
        questions, _ = _diff(None, body)
        self._insert_version(conn, a.id, 1, author, summary, str(meta.status), digest, body, questions, [], at)
        if meta.status == Status.ADOPTED:
            assessments_sql.mark_adopted(conn, a.id)
        return 1

    def create(self, assessment: Assessment, author: str, summary: str = "") -> int:
        """Store a new assessment; returns its first revision (1). DuplicateError if the id is taken.

        An adopted assessment is not created: adoption goes through `adopt` (sign-off), and an
        adoption made elsewhere comes in through `import_`, where it is checked."""
        if assessment.metadata.status == Status.ADOPTED:
            raise StorageError("create_adopted")
        self._check(assessment)
        try:
            with self._write() as conn:
                return self._insert_new(conn, assessment, author, summary or stored_summary("store.summary_created"))
        except IntegrityError:
            raise DuplicateError("duplicate", id=assessment.id) from None

    def _conflict(self, conn: Connection, assessment_id: str, base_revision: int, current: int,
                  digest: str) -> EditConflict:
        rows = assessments_sql.versions_after(conn, assessment_id, base_revision)
        changes = tuple(_version(r) for r in rows)
        checklist = self._snapshot(conn, digest)
        texts: dict[str, dict[str, str]] = {}
        for change in changes:
            for q in change.questions:
                try:
                    crit = checklist.criterion(q)
                except KeyError:
                    continue
                texts[q] = {lang: text_for(crit.text, lang) for lang in ("sv", "en")}
        return EditConflict(Conflict(assessment_id, base_revision, current, changes, texts))

    def _guard(self, conn: Connection, assessment_id: str, base_revision: int) -> Any:
        """The current head, if `base_revision` is still current and the assessment not frozen."""
        head = self._head(conn, assessment_id)
        if head.status == Status.ADOPTED:
            raise _frozen(assessment_id)
        if head.revision != base_revision:
            raise self._conflict(conn, assessment_id, base_revision, head.revision, head.checklist_hash)
        return head

    def _advance(self, conn: Connection, assessment_id: str, base_revision: int, author: str, summary: str,
                 status: str, digest: str, body: dict[str, Any], questions: list[str], parts: list[str],
                 extra: dict[str, Any] | None = None) -> int:
        at = _now()
        revision = base_revision + 1
        # The revision in the WHERE clause is the optimistic lock: on PostgreSQL
        # another session may have committed since _guard read the head.
        if not assessments_sql.advance_head(conn, assessment_id, base_revision, at, author, extra):
            head = self._head(conn, assessment_id)
            if head.status == Status.ADOPTED:
                raise _frozen(assessment_id)
            raise self._conflict(conn, assessment_id, base_revision, head.revision, head.checklist_hash)
        self._insert_version(conn, assessment_id, revision, author, summary, status, digest, body, questions,
                             parts, at)
        return revision

    def save(self, assessment: Assessment, base_revision: int, author: str, summary: str = "") -> int:
        """Save the whole assessment as a new version; returns the new revision.

        EditConflict if someone saved since `base_revision`; FrozenError if it is
        adopted. Saving what is already stored changes nothing and returns
        `base_revision`. Adoption goes through `adopt`, not through here."""
        if assessment.metadata.status == Status.ADOPTED:
            raise StorageError("adopt_through_review")
        self._check(assessment)
        body = _body(assessment)
        with self._write() as conn:
            head = self._guard(conn, assessment.id, base_revision)
            old = json.loads(head.body)
            questions, parts = _diff(old, body)
            if head.checklist_hash != assessment.checklist_ref.hash and "checklist" not in parts:
                parts.append("checklist")
            if not questions and not parts:
                return base_revision
            digest = self._store_snapshot(conn, assessment.checklist)
            meta = assessment.metadata
            return self._advance(conn, assessment.id, base_revision, author, summary, str(meta.status), digest,
                                 body, questions, parts,
                                 {"title": meta.title, "municipality": meta.municipality, "status": str(meta.status),
                                  "checklist_id": assessment.checklist.id,
                                  "checklist_version": assessment.checklist.version,
                                  "search_text": search_text(body["metadata"])})

    def save_answer(self, assessment_id: str, base_revision: int, criterion: str, alternative: str | None,
                    answer: Answer | None, author: str) -> int:
        """Autosave one answer (None clears it); returns the new revision.

        Cheap enough for every change: it reads the head, replaces one answer and
        appends a version, without touching the checklist snapshot. A question
        answered per alternative needs `alternative` (default: the last one, the
        proposal, as `Assessment.set_answer` does)."""
        with self._write() as conn:
            head = self._guard(conn, assessment_id, base_revision)
            checklist = self._snapshot(conn, head.checklist_hash)
            try:
                crit = checklist.criterion(criterion)
            except KeyError:
                raise StorageError("no_question", question=criterion) from None
            if answer is not None and (problem := check_value(checklist, crit, answer.value)) is not None:
                raise StorageError("answer_invalid", question=criterion, problem=problem)
            body = json.loads(head.body)
            if crit.answered_per_alternative:
                alt = alternative or checklist.alternative_ids()[-1]
                if alt not in checklist.alternative_ids():
                    raise StorageError("no_alternative", alternative=alt)
                target = body.setdefault("alternatives", {}).setdefault(alt, {})
            else:
                target = body.setdefault("answers", {})
            new = answer.model_dump(mode="json", exclude_none=True) if answer is not None else None
            if target.get(criterion) == new:
                return base_revision
            if new is None:
                target.pop(criterion, None)
            else:
                target[criterion] = new
                if over := answer_bound_problems(body):
                    raise LimitExceeded(over)
            return self._advance(conn, assessment_id, base_revision, author, "", head.status,
                                 head.checklist_hash, body, [criterion], [])

    def adopt(self, assessment_id: str, revision: int, by: str) -> int:
        """Adopt (fastställ) the assessment as it is at `revision`, dated today by the server's clock
        (`server_date`; no caller chooses the date); from then on the database refuses changes.

        Returns the revision of the adopted version."""
        with self._write() as conn:
            head = self._guard(conn, assessment_id, revision)
            body = json.loads(head.body)
            meta = body["metadata"]
            meta["status"] = str(Status.ADOPTED)
            meta["adopted_at"] = server_date().isoformat()
            meta["adopted_by"] = by
            new_revision = self._advance(conn, assessment_id, revision, by, stored_summary("store.summary_adopted"), "adopted",
                                         head.checklist_hash, body, [], ["status", "metadata"])
            # Last, so that the trigger still let the adopted version itself in.
            assessments_sql.mark_adopted(conn, assessment_id)
            return new_revision

    def copy_as_draft(self, assessment_id: str, by: str, revision: int | None = None) -> str:
        """A new draft copied from an assessment (typically adopted), for re-assessment; returns its id."""
        if revision is None:
            latest = self.load(assessment_id)
            source, rev = latest.assessment, latest.revision
        else:
            source, rev = self.version(assessment_id, revision), revision
        copy = source.model_copy(deep=True)
        copy.id = uuid.uuid4().hex
        copy.metadata.status = Status.DRAFT
        copy.metadata.adopted_at = None
        copy.metadata.adopted_by = None
        copy.metadata.created = dt.date.today()
        copy.provenance = None
        copy.adoption_record = None
        with self._write() as conn:
            self._insert_new(conn, copy, by, stored_summary("store.summary_copy", id=assessment_id, revision=rev))
        return copy.id

    def delete(self, assessment_id: str) -> None:
        """Delete a draft and its history. Anything else (in review, adopted) is kept."""
        with self._write() as conn:
            head = self._head(conn, assessment_id)
            if head.status == Status.ADOPTED:
                raise _frozen(assessment_id)
            if head.status != Status.DRAFT:
                raise StorageError("delete_not_draft", id=assessment_id)
            # The history goes with the draft by cascade: a version alone is never deleted (migration 0007).
            assessments_sql.delete(conn, assessment_id)

    def provenances(self, ids: list[str] | None = None) -> dict[str, Provenance]:
        """The provenance of every imported assessment (what its file claimed), by id; `ids`: only these."""
        if ids is not None and not ids:
            return {}
        with self._read() as conn:
            rows = assessments_sql.bodies_with_provenance(conn, ids)
        found = {}
        for row in rows:
            data = json.loads(row.body).get("provenance")
            if isinstance(data, dict):
                found[row.id] = Provenance.model_validate(data)
        return found

    # -- tamper evidence --

    def verify(self, assessment_id: str) -> Verdict:
        """Recompute the hash chain of the assessment's history (assessment/store/integrity.py): what changed outside SKB."""
        with self._read() as conn:
            self._head(conn, assessment_id)  # NotFound for an unknown id
            return verify(conn, assessment_id)

    # -- files --

    def export(self, assessment_id: str, revision: int | None = None, fmt: Literal["yaml", "json"] = "yaml") -> str:
        """The assessment as an assessment file, always with its checklist snapshot.

        The export of an adopted version carries its adoption record: the report
        stored at adoption (base64), its SHA-256, the digest of the body the
        report names, and the head of the integrity chain, so that another
        installation can check the adoption (`import_(..., adopted_report_sha256=)`)."""
        a = self.version(assessment_id, revision) if revision is not None else self.load(assessment_id).assessment
        a = a.model_copy(update={"adoption_record": None})
        if a.metadata.status == Status.ADOPTED:
            with self._read() as conn:
                rev = revision if revision is not None else self._head(conn, assessment_id).revision
                report = review_sql.report_for_export(conn, assessment_id, rev, a.language)
                head = chain_head(conn, assessment_id)
            if report is not None:
                a = a.model_copy(update={"adoption_record": AdoptionRecord(
                    revision=rev, body_sha256=body_digest(_body(a)), report_sha256=report.sha256,
                    report_lang=report.lang, report_pdf=base64.b64encode(bytes(report.pdf)).decode("ascii"),
                    chain_head=head)})
        return dump_assessment(a, fmt)

    def import_(self, raw: bytes | str, source: str, author: str, as_new: bool = False,
                limits: Limits = Limits(), adopted_report_sha256: str | None = None) -> str:
        """Store an assessment file; returns its id.

        The file is read within `limits` and must fit its checklist (its own
        snapshot, through the full checklist validator, or the installed
        checklist of that id and version). Nothing the file claims is believed:
        it arrives as a draft, with its claimed status and adoption kept as
        `provenance`. Only an adopted file whose adoption verifies against
        `adopted_report_sha256` (the SHA-256 of the adopted report, known from
        outside the file) arrives adopted ("adopted elsewhere, verified",
        read-only), with its report stored. An id already stored raises
        DuplicateError unless `as_new`, which stores a copy under a new id."""
        a = parse_assessment(raw, source, limits, resolve=resolve_checklist)
        if as_new:
            a = a.model_copy(update={"id": uuid.uuid4().hex})
        a, pdf = _received(a, source, author, adopted_report_sha256)
        try:
            with self._write() as conn:
                revision = self._insert_new(conn, a, author, stored_summary("store.summary_imported",
                                                                          source=source[:MAX_NAME]))
                if pdf is not None and a.provenance is not None:
                    row = {"assessment_id": a.id, "revision": revision,
                           "lang": a.adoption_record.report_lang if a.adoption_record else a.language,
                           "sha256": a.provenance.report_sha256, "size": len(pdf), "stored_at": _now(),
                           "stored_by": author}
                    review_sql.insert_report(conn, row, pdf)
                    seal_report(conn, row)
        except IntegrityError:
            raise DuplicateError("import_duplicate", source=source, id=a.id) from None
        return a.id

    # -- listing (last in the class: its name shadows the builtin `list` in annotations below it) --

    def list(self, search: str | None = None, status: Status | str | None = None) -> list[Summary]:
        """Assessments, most recently changed first; `search` matches title, municipality, plan type and areas."""
        with self._read() as conn:
            rows = assessments_sql.summaries(conn, search.casefold() if search else None,
                                             str(Status(status)) if status else None)
        return [Summary(r.id, r.title, r.municipality, Status(r.status), r.checklist_id, r.checklist_version,
                        r.revision, _when(r.created_at), r.created_by, _when(r.updated_at), r.updated_by)
                for r in rows]


def _received(a: Assessment, source: str, author: str,
              trusted_sha256: str | None) -> tuple[Assessment, bytes | None]:
    """An imported assessment as it is stored: a draft with what its file claimed as provenance,
    or, when its adoption verifies, adopted with the report that proves it."""
    meta = a.metadata
    claimed = meta.status != Status.DRAFT or meta.adopted_by is not None or meta.adopted_at is not None
    record = a.adoption_record
    verified, why, pdf = False, None, None
    if meta.status == Status.ADOPTED:
        verified, why, pdf = check_adoption(_body(a), record.model_dump() if record else None,
                                            trusted_sha256)
    elif trusted_sha256:
        why = Term("store.adoption_not_claimed")
    provenance = Provenance(
        source=source[:MAX_NAME], imported_at=dt.datetime.now(dt.timezone.utc), imported_by=author[:MAX_NAME],
        claimed_status=meta.status, claimed_adopted_at=meta.adopted_at, claimed_adopted_by=meta.adopted_by,
        adoption="verified" if verified else ("unverified" if claimed else "none"),
        report_sha256=record.report_sha256 if verified and record else None,
        note=f"{why.text('sv')} / {why.text('en')}"[:MAX_NAME] if why is not None else "")
    received = a.model_copy(deep=True, update={"provenance": provenance, "adoption_record": None})
    if not verified:
        received.metadata.status = Status.DRAFT
        received.metadata.adopted_at = None
        received.metadata.adopted_by = None
    return received, pdf


def _version(r: Any) -> Version:
    changes = json.loads(r.changes or "{}")
    return Version(r.revision, _when(r.saved_at), r.author, r.summary, Status(r.status),
                   tuple(changes.get("questions", ())), tuple(changes.get("parts", ())))


# --- SQLite connection set-up ----------------------------------------------------------------


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would otherwise
    # defer it), so a write transaction can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL loses no committed transaction when the process is
    # killed; only a power cut can lose the last few, which autosave tolerates.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("skb_write") else "BEGIN")
