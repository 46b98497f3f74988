"""The audit log: who signed in, and who changed, sent, commented, adopted or exported what, and when.

One row per event in `audit_log`, which the database keeps append-only (a
trigger refuses UPDATE and DELETE, on PostgreSQL also TRUNCATE). Events that
change something are recorded in the same transaction as the change where this
project's own code writes it (grants, rule changes, review posts, sign-off);
a save through the store is recorded right after it. The wizard autosaves every
answer, so an edit is one `save` event per session and assessment (the first
save of that session), not one per keystroke: the versions table keeps every
save in detail. Reading the log is for admins (`events`, `skb audit`, the
admin page in the app).

This module must not import streamlit and writes nothing but the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from assessment.store import people as people_sql

__all__ = ["ACTIONS", "Event", "MAX_DETAIL", "record", "log", "events"]

# What an event can say was done. Anything else is refused: the log is read by people.
ACTIONS = frozenset({
    "sign_in", "sign_in_refused", "create", "save", "import", "export", "copy", "delete",
    "send_for_review", "return_to_draft", "comment", "sign_off", "store_report", "follow_up",
    "grant", "revoke", "setting",
})
MAX_DETAIL = 500
MAX_EVENTS = 10_000


@dataclass(frozen=True)
class Event:
    id: int
    at: dt.datetime
    actor: str
    action: str
    assessment_id: str | None
    org: str
    detail: str


def record(conn: Connection, actor: str, action: str, assessment_id: str | None = None, org: str = "",
           detail: str = "") -> None:
    """Append one event inside the caller's transaction (it commits or rolls back with the change)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    people_sql.append_event(conn, dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
                            str(actor)[:254], action, assessment_id, str(org or "")[:200],
                            " ".join(str(detail).split())[:MAX_DETAIL])


def log(store: Any, actor: str, action: str, assessment_id: str | None = None, org: str = "",
        detail: str = "") -> None:
    """Append one event in a transaction of its own (after a change the store made)."""
    with store.writing() as conn:
        record(conn, actor, action, assessment_id, org, detail)


def events(store: Any, assessment_id: str | None = None, actor: str | None = None, orgs: set[str] | None = None,
           limit: int = 500) -> list[Event]:
    """Events, newest first: of one assessment, of one person, and (when `orgs` is given)
    only those of those organisations. Who may read them is the caller's check
    (`assessment.store.auth`)."""
    # Shared users are recorded by their case-folded key, local ones as written.
    actors = (actor.strip(), " ".join(actor.split()).casefold()) if actor else ()
    names = None
    if orgs is not None:
        names = sorted(orgs)[:1000]
        if not names:
            return []
    with store.reading() as conn:
        rows = people_sql.events(conn, max(1, min(int(limit), MAX_EVENTS)), assessment_id, actors, names)
    return [Event(int(r.id), dt.datetime.fromisoformat(r.at), r.actor, r.action, r.assessment_id, r.org, r.detail)
            for r in rows]
