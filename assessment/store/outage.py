"""When the database cannot take a write for a while: which errors those are, and how to say so.

A shared installation's PostgreSQL restarts, fails over, or fills its disk; a laptop's SQLite file
sits on a full disk or is locked. None of these is the person's doing, none of them means their
change was wrong, and all of them pass: the right answer is to keep what they typed, say plainly
that it is not stored yet, and try again. `unavailable(exc)` tells such an error from every other
(a bug stays a bug and is raised), and names it in Swedish and English.

It recognises the driver's own classes, never a guess from a traceback: SQLAlchemy's
`OperationalError` (the database went away, refused the connection, is shutting down, ran out of
disk, or was locked), `InterfaceError` (a connection that broke underneath), a connection
invalidated mid-statement, and the pool's `TimeoutError` (every connection busy). A full disk is
PostgreSQL's SQLSTATE 53100 (`disk_full`) or SQLite's SQLITE_FULL ("database or disk is full");
a file that cannot be written is SQLite's SQLITE_READONLY. (SQLite calls a missing table or a syntax
error "operational" too; of its errors only the locked, full, read-only, unopenable file and I/O
errors count.)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import exc as sa

from assessment.catalogue import text
from assessment.errors import StorageError, Term, word

__all__ = ["Outage", "DatabaseUnavailable", "unavailable"]

Kind = Literal["unreachable", "full", "read_only", "busy"]

_SQLITE_PASSING = ("database is locked", "disk is full", "readonly database", "unable to open database file",
                   "disk I/O error")
_TELL_IT = {"full", "read_only"}  # these do not pass by themselves: someone has to act


@dataclass(frozen=True)
class Outage:
    """A database error that passes: `kind` says which, `detail` is the driver's own words (for the log)."""

    kind: Kind
    detail: str

    def message(self, lang: str = "sv", saving: bool = True) -> str:
        """What the person is told: while saving, that their changes are kept and retried; while
        reading a page, that it is shown again once the database answers."""
        return text(lang, "error.outage_saving" if saving else "store.outage_reading",
                    **{k: word(v, lang) for k, v in self.params().items()})

    def params(self) -> dict[str, Term | str]:
        """What the message says: which outage, and whether someone has to act."""
        return {"what": Term(f"store.outage_{self.kind}"),
                "tell_it": Term("store.outage_tell_it") if self.kind in _TELL_IT else ""}


class DatabaseUnavailable(StorageError):
    """A write or read that the database could not take just now (`outage` says why); try again later."""

    def __init__(self, outage: Outage) -> None:
        self.outage = outage
        super().__init__("outage_saving", **outage.params())


def _kind(error: BaseException) -> Kind:
    orig = getattr(error, "orig", None)
    said = str(orig if orig is not None else error)
    if getattr(orig, "sqlstate", None) == "53100" or "disk is full" in said or "No space left on device" in said:
        return "full"
    if "readonly database" in said or "read-only file system" in said.lower():
        return "read_only"
    if isinstance(error, sa.TimeoutError) or "database is locked" in said:
        return "busy"
    return "unreachable"


def unavailable(error: BaseException) -> Outage | None:
    """The outage `error` is, if it is one a person should wait out; None for every other error."""
    if isinstance(error, DatabaseUnavailable):
        return error.outage
    passing = isinstance(error, (sa.OperationalError, sa.InterfaceError, sa.TimeoutError, sa.DisconnectionError))
    if not passing and isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        passing = True
    orig = getattr(error, "orig", None)
    if passing and isinstance(orig, sqlite3.Error):
        # SQLite calls a missing table or a syntax error "operational" too: only these pass.
        passing = any(words in str(orig) for words in _SQLITE_PASSING)
    if not passing:
        return None
    return Outage(_kind(error), str(orig if orig is not None else error).strip().splitlines()[0][:300])
