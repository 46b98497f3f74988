"""Per-session state of the app, and the shared resources the pages use.

The one assessment being worked on lives in `st.session_state` as an
`OpenAssessment` (the Assessment and the revision it was saved as); widgets
are copies of it, never the other way round. Every change goes straight to the
storage layer, so a refresh, a new tab or a restarted server finds it there.
The store and the checklist library are shared per process through
`st.cache_resource`, keyed on what selects them (the environment, the files'
mtimes), so a test's temporary data directory never meets a user's. Both are
right with several servers on one database (docs/deployment.md): the store is
an engine and its pool, and its snapshot cache holds checklist snapshots by
content hash, which never change; the library is the server's own files. The
session's copy of its assessment is checked against the database's revision
on every save, whichever server saved last.
While the database is away or full (`assessment.store.outage`), a change stays in
the session's copy, marked `unsaved`, and is saved with whatever follows once
the database takes writes again (`retry_unsaved`, driven by `ui/outage.py`).
Who is acting comes from here too (`actor`): in local mode the OS user,
labelled as local; in shared mode (a sign-in configured in secrets.toml, or
SKB_MODE=shared) only the identity provider's verified claims in `st.user`,
never a name typed into the page or the URL. Every save is checked against the
person's roles (`assessment.store.auth`) before it reaches the store.
This module holds no domain rules: it calls `assessment.store.storage` to save.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from assessment.store.audit import log
from assessment.store.auth import (Action, Actor, Forbidden, Role, assessment_org, org_key, require, roles_of, shared_mode,
                             sign_in)
from assessment.checklist.checklist import Checklist
from assessment.errors import ConflictError, FrozenError, LimitExceeded, NotFound, SkbError, StorageError
from assessment.checklist.library import checklist_files, load_library, origin_note
from assessment.answers.model import Answer, Assessment, Status
from assessment.store.outage import Outage, unavailable
from assessment.store.storage import EditConflict, Store, open_store
from assessment.checklist.validate import Problem

from .i18n import language, t

__all__ = [
    "OpenAssessment",
    "ID_PATTERN",
    "store",
    "library",
    "lang",
    "author",
    "actor",
    "shared",
    "signed_in",
    "allowed",
    "editable",
    "my_roles",
    "audit_save",
    "current",
    "open_assessment",
    "close_assessment",
    "save_answer",
    "save_whole",
    "retry_unsaved",
    "reload",
    "flash",
    "take_flash",
]

ID_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
_DOC = "skb_open"
_ACTOR = "skb_actor"
_SAVED = "skb_audited_saves"
_FLASH = "skb_flash"
_ROLES = "skb_roles"


@dataclass
class OpenAssessment:
    """The assessment this session edits, and the revision its edits build on."""

    assessment: Assessment
    revision: int
    problem: str | None = None  # a conflict or a frozen assessment: shown until reloaded
    saved_at: str | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # per-revision derived data (the score)
    read_only: bool = False  # this person may not edit it (a reader or reviewer); set by `editable`
    # Why the latest changes are not stored yet: the database is away or full (assessment.store.outage).
    # They are kept in `assessment` and saved together, as one version, once it takes writes again.
    unsaved: Outage | None = None

    @property
    def frozen(self) -> bool:
        return self.assessment.metadata.status == Status.ADOPTED

    @property
    def locked(self) -> bool:
        """Drawn disabled, and no callback writes: adopted, or not this person's to edit."""
        return self.frozen or self.read_only


# --- shared per process ------------------------------------------------------------


@st.cache_resource(max_entries=8, show_spinner=False)
def _store(database_url: str | None, data_dir: str | None, xdg: str | None) -> Store:
    # The arguments are the cache key: open_store reads the same environment itself.
    return open_store(database_url)


def store() -> Store:
    """The storage chosen by SKB_DATABASE_URL / SKB_DATA_DIR, opened once per process."""
    env = os.environ
    return _store(env.get("SKB_DATABASE_URL"), env.get("SKB_DATA_DIR"), env.get("XDG_DATA_HOME"))


@st.cache_resource(max_entries=4, show_spinner=False)
def _library(signature: tuple[tuple[str, int], ...]) -> tuple[dict[str, Checklist], dict[str, list[Problem]]]:
    return load_library()


def library() -> tuple[dict[str, Checklist], dict[str, list[Problem]]]:
    """The valid checklists by id and the problems of the files that failed, read
    and validated once until a file changes."""
    signature = []
    for path in checklist_files():
        try:
            signature.append((str(path), path.stat().st_mtime_ns))
        except OSError:  # removed between listing and stat: the next rerun sees it gone
            continue
    return _library(tuple(signature))


def checklist_note(checklist: Checklist, lang: str) -> str | None:
    """"Modified copy: ..." when an assessment's snapshot reuses an installed checklist's id with other content."""
    return origin_note(checklist, lang, library()[0])


# --- per session --------------------------------------------------------------------


def lang() -> str:
    # The bound widget fills session state when it is drawn; before that, on a
    # session's first run, the URL already says which language.
    return language(st.session_state.get("lang") or st.query_params.get("lang"))


def shared() -> bool:
    """Whether this is a shared installation: SKB_MODE, else an [auth] section in secrets.toml."""
    secrets: dict[str, Any] = {}
    if st.secrets.load_if_toml_exists() and "auth" in st.secrets:
        secrets["auth"] = True
    return shared_mode(secrets)


def signed_in() -> Actor | None:
    """The person in this session: in shared mode the one st.user names (recorded at their
    first run as a sign-in), None before they have signed in; in local mode the OS user."""
    if not shared():
        return Actor.local()
    if not st.user.is_logged_in:
        st.session_state.pop(_ACTOR, None)
        return None
    known = st.session_state.get(_ACTOR)
    if isinstance(known, Actor):
        return known
    found = sign_in(store(), st.user.to_dict())  # Forbidden: the caller shows why
    st.session_state[_ACTOR] = found
    return found


def actor() -> Actor:
    """The person acting; the app's entry has made sure there is one before any page runs."""
    found = signed_in()
    if found is None:
        raise Forbidden("sign_in_first")
    return found


def author() -> str:
    """The name the history and the review record for this session's person."""
    return actor().name


def my_roles() -> list[tuple[str, Role]]:
    """This person's roles as (organisation, role), '*' for every organisation.

    While the database is away, the roles this session read last (nothing can be written until it
    is back, and every write checks the roles again then)."""
    try:
        roles = roles_of(store(), actor())
    except Exception as exc:
        if unavailable(exc) is None or _ROLES not in st.session_state:
            raise
        return list(st.session_state[_ROLES])
    st.session_state[_ROLES] = roles
    return roles


def allowed(action: Action, org: str | None) -> bool:
    """Whether this session's person may take `action` in organisation `org` (to grey out a button)."""
    try:
        require(store(), actor(), action, org)
    except SkbError:
        return False
    return True


def editable(doc: OpenAssessment) -> bool:
    """Whether this person may edit `doc` (author role in its organisation; always in local mode).

    Recorded on `doc` (`read_only`) for the widgets to draw themselves disabled; the
    store's writes are checked again in `_checked` and refused there whatever a page drew."""
    # Local mode has one person, who may do everything: no query on every rerun to learn that.
    try:
        doc.read_only = actor().shared and not allowed(Action.EDIT, assessment_org(store(), doc.assessment.id))
    except Exception as exc:  # the database is away: as last read; the retried save checks again
        if unavailable(exc) is None:
            raise
    return not doc.read_only


def audit_save(assessment_id: str, org: str, action: str = "save") -> None:
    """One `save` event per session and assessment (the versions table keeps every save)."""
    done = st.session_state.setdefault(_SAVED, set())
    if (action, assessment_id) in done:
        return
    log(store(), author(), action, assessment_id, org_key(org))
    done.add((action, assessment_id))


def current() -> OpenAssessment | None:
    return st.session_state.get(_DOC)


def open_assessment(assessment_id: str) -> OpenAssessment:
    """Load `assessment_id` from the store into this session (NotFound if there is none)."""
    doc = current()
    if doc is not None and doc.assessment.id == assessment_id:
        return doc
    stored = store().load(assessment_id)
    require(store(), actor(), Action.READ, stored.assessment.metadata.municipality)
    if doc is not None:
        st.session_state.pop("skb_step", None)  # a step of another assessment
    doc = OpenAssessment(stored.assessment, stored.revision)
    st.session_state[_DOC] = doc
    return doc


def close_assessment() -> None:
    st.session_state.pop(_DOC, None)


def reload() -> None:
    """Drop this session's copy and read the stored one: after a conflict, or to see others' edits."""
    doc = current()
    if doc is None:
        return
    close_assessment()
    try:
        open_assessment(doc.assessment.id)
    except NotFound:
        flash(t(lang(), "ui.unknown_id", id=doc.assessment.id))


def _record(doc: OpenAssessment, action: Any) -> None:
    doc.cache.clear()  # the assessment in memory has changed, saved or not
    if doc.problem is not None:
        return  # an unresolved conflict: every further edit would be stale too
    if doc.unsaved is not None:
        # Earlier changes are still waiting for the database: save everything in memory at once,
        # against the revision they were made on (someone else's save in between is a conflict).
        action = lambda: _checked(doc) and store().save(doc.assessment, doc.revision, author())  # noqa: E731
    try:
        doc.revision = action()
    except EditConflict as exc:
        doc.problem = exc.message(lang())
    except ConflictError as exc:
        doc.problem = t(lang(), "ui.conflict") + "\n\n" + t(lang(), "ui.conflict_detail", detail=exc.message(lang()))
    except FrozenError:
        doc.problem = t(lang(), "ui.frozen")
    except Forbidden as exc:
        doc.problem = exc.message(lang())
    except LimitExceeded as exc:  # nothing was saved: the limit is named, in the user's language
        doc.problem = exc.message(lang())
    except StorageError as exc:
        doc.problem = exc.message(lang())
    except Exception as exc:  # the database is away or full: keep the changes and say so
        outage = unavailable(exc)
        if outage is None:
            raise
        doc.unsaved = outage  # the changes stay in memory; retry_unsaved (and the next edit) saves them
        return
    else:
        doc.unsaved = None
        doc.saved_at = dt.datetime.now().strftime("%H:%M:%S")
        try:
            audit_save(doc.assessment.id, doc.assessment.metadata.municipality)
        except Exception as exc:  # gone again right after the save: the session's next save logs it
            if unavailable(exc) is None:
                raise
    if doc.problem is not None:
        doc.unsaved = None  # refused for a reason the person must see (a conflict): shown, no longer retried


def save_answer(doc: OpenAssessment, criterion: str, alternative: str | None, answer: Answer) -> None:
    """Put `answer` into the assessment and autosave just that answer (an empty one clears it)."""
    a = doc.assessment
    crit = a.checklist.criterion(criterion)
    alt = (alternative or a.checklist.alternative_ids()[-1]) if crit.answered_per_alternative else None
    empty = answer.value is None and not answer.comment.strip() and not answer.evidence.strip()
    if empty:
        (a.alternatives.get(alt, {}) if alt is not None else a.answers).pop(criterion, None)
    else:
        a.set_answer(criterion, answer, alt)
    stored = None if empty else answer
    _record(doc, lambda: _checked(doc) and store().save_answer(a.id, doc.revision, criterion, alt, stored, author()))


def save_whole(doc: OpenAssessment, summary: str = "") -> None:
    """Autosave the whole assessment (measures, metadata), after changing it in place."""
    _record(doc, lambda: _checked(doc) and store().save(doc.assessment, doc.revision, author(), summary))


def retry_unsaved(doc: OpenAssessment) -> bool:
    """Try again to store the changes the database could not take (`doc.unsaved`); True once stored
    (or refused for a reason a person must see, which `doc.problem` then says)."""
    if doc.unsaved is None:
        return True
    _record(doc, None)
    return doc.unsaved is None


def _checked(doc: OpenAssessment) -> bool:
    """Forbidden unless this person may write in the assessment's organisation, as stored and
    (when the municipality is being changed) as it would become."""
    who = actor()
    if not who.shared:
        return True
    stored_org = assessment_org(store(), doc.assessment.id)
    require(store(), who, Action.EDIT, stored_org)
    if org_key(doc.assessment.metadata.municipality) != org_key(stored_org):
        require(store(), who, Action.EDIT, doc.assessment.metadata.municipality)
    return True


def flash(message: str) -> None:
    """A message for the next page drawn (e.g. why a link led back to the start)."""
    st.session_state[_FLASH] = message


def take_flash() -> str | None:
    return st.session_state.pop(_FLASH, None)
