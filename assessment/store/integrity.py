"""Tamper evidence: a hash chain over each assessment's versions, review posts and stored reports.

Triggers in the database refuse edits made through SKB's own connection role;
this module is for the edits they cannot stop: someone who owns the database
(or the SQLite file) and changes a row with raw SQL. Every version, every post
in the review thread (sign-off included) and every stored report is sealed when
it is written, in the same transaction, by appending a link to the assessment's
chain (`integrity_chain`): the SHA-256 of the row's content, chained to the
link before it. `verify` recomputes every digest and every link from the rows
as they are now, and says what no longer matches: a changed, inserted or
deleted row, a snapshot whose content no longer has its hash, an assessment
head that claims a status or revision its history does not have.

A chain anyone can recompute only catches an edit made by someone who did not
also rewrite the chain. When SKB_INTEGRITY_KEY is set (a secret kept outside
the database, in the app's environment or secrets), links are HMAC-SHA-256 with
that key, and rewriting the chain needs the key too. The head of the chain of an
adopted assessment, printed by `skb verify`, is a third anchor: written into a
decision record, it pins the whole history. See docs/security.md.

This module does no I/O beyond the connection it is handed, keeps no state,
and must not import streamlit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from assessment.catalogue import text as msg
from assessment.checklist.checklist import Checklist
from assessment.errors import Term

__all__ = [
    "KEY_ENV",
    "BODY_MARK",
    "Verdict",
    "body_digest",
    "seal_version",
    "seal_post",
    "seal_report",
    "seal_all",
    "verify",
    "chain_head",
    "check_adoption",
]

KEY_ENV = "SKB_INTEGRITY_KEY"
BODY_MARK = "skb-body-sha256:"  # how a report names the body it was built from, in its PDF keywords

_VERSION_COLUMNS = ("assessment_id", "revision", "saved_at", "author", "summary", "changes", "status",
                    "checklist_hash", "body")
_POST_COLUMNS = ("id", "assessment_id", "on_revision", "criterion", "author", "at", "text", "reply_to", "kind")
_REPORT_COLUMNS = ("assessment_id", "revision", "lang", "sha256", "size", "stored_at", "stored_by")


def _canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body_digest(body: dict[str, Any]) -> str:
    """The SHA-256 of an assessment's body (the JSON dump without its snapshot, provenance and adoption record).

    The body names its snapshot by hash (`checklist_ref.hash`), so this digest pins
    the checklist too. The report of an adopted version carries it in its keywords."""
    kept = {k: v for k, v in body.items() if k not in ("checklist", "provenance", "adoption_record")}
    return _sha(_canonical(kept))


def _row_digest(row: Any, columns: tuple[str, ...]) -> str:
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return _sha(_canonical({c: mapping[c] for c in columns}))


def _key() -> bytes | None:
    key = os.environ.get(KEY_ENV, "")
    return key.encode("utf-8") if key else None


def _link(prev: str, kind: str, ref: str, digest: str, key: bytes | None) -> str:
    message = f"{prev}|{kind}|{ref}|{digest}".encode()
    if key is None:
        return _sha(message)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _lock(conn: Connection, assessment_id: str) -> None:
    # Two writers on PostgreSQL must not both take the same next link; SQLite already holds its write lock.
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7240320, :k)"),
                     {"k": zlib.crc32(assessment_id.encode()) & 0x7FFFFFFF})


def _append(conn: Connection, assessment_id: str, kind: str, ref: str, digest: str, at: str) -> None:
    _lock(conn, assessment_id)
    last = conn.execute(text("SELECT seq, link FROM integrity_chain WHERE assessment_id = :id "
                             "ORDER BY seq DESC LIMIT 1"), {"id": assessment_id}).one_or_none()
    seq, prev = (int(last.seq) + 1, last.link) if last else (1, "")
    key = _key()
    conn.execute(text(
        "INSERT INTO integrity_chain (assessment_id, seq, kind, ref, digest, alg, link, at) "
        "VALUES (:id, :seq, :kind, :ref, :digest, :alg, :link, :at)"),
        {"id": assessment_id, "seq": seq, "kind": kind, "ref": ref, "digest": digest,
         "alg": "hmac-sha256" if key else "sha256", "link": _link(prev, kind, ref, digest, key), "at": at})


def seal_version(conn: Connection, row: dict[str, Any]) -> None:
    """Seal a version row just inserted (the values of its columns)."""
    _append(conn, row["assessment_id"], "version", str(row["revision"]), _row_digest(row, _VERSION_COLUMNS),
            row["saved_at"])


def seal_post(conn: Connection, row: dict[str, Any]) -> None:
    """Seal a post of the review thread (a comment, a reply, a sign-off) just inserted."""
    _append(conn, row["assessment_id"], "post", row["id"], _row_digest(row, _POST_COLUMNS), row["at"])


def seal_report(conn: Connection, row: dict[str, Any]) -> None:
    """Seal a stored report just inserted; its `sha256` column is the digest of the PDF itself."""
    _append(conn, row["assessment_id"], "report", f"{row['revision']}/{row['lang']}",
            _row_digest(row, _REPORT_COLUMNS), row["stored_at"])


def _rows(conn: Connection, assessment_id: str | None) -> dict[str, list[tuple[str, str, Any]]]:
    """Every sealable row, as (kind, ref, row) per assessment, in the order they were written."""
    where = "WHERE assessment_id = :id" if assessment_id else ""
    params = {"id": assessment_id} if assessment_id else {}
    found: dict[str, list[tuple[str, str, str, Any]]] = {}
    for r in conn.execute(text(f"SELECT {', '.join(_VERSION_COLUMNS)} FROM versions {where}"), params):
        found.setdefault(r.assessment_id, []).append((r.saved_at, "version", str(r.revision), r))
    for r in conn.execute(text(f"SELECT {', '.join(_POST_COLUMNS)} FROM review_comments {where}"), params):
        found.setdefault(r.assessment_id, []).append((r.at, "post", r.id, r))
    for r in conn.execute(text(f"SELECT {', '.join(_REPORT_COLUMNS)} FROM adopted_reports {where}"), params):
        found.setdefault(r.assessment_id, []).append((r.stored_at, "report", f"{r.revision}/{r.lang}", r))
    return {k: [(kind, ref, row) for _, kind, ref, row in sorted(v, key=lambda x: (x[0], x[1], x[2]))]
            for k, v in found.items()}


_COLUMNS = {"version": _VERSION_COLUMNS, "post": _POST_COLUMNS, "report": _REPORT_COLUMNS}


def seal_all(conn: Connection) -> int:
    """Seal every row written before the chain existed (the upgrade to it); returns how many were sealed."""
    sealed = 0
    for assessment_id, rows in _rows(conn, None).items():
        chained = {(r.kind, r.ref) for r in conn.execute(
            text("SELECT kind, ref FROM integrity_chain WHERE assessment_id = :id"), {"id": assessment_id})}
        for kind, ref, row in rows:
            if (kind, ref) not in chained:
                stamp = row.saved_at if kind == "version" else row.at if kind == "post" else row.stored_at
                _append(conn, assessment_id, kind, ref, _row_digest(row, _COLUMNS[kind]), stamp)
                sealed += 1
    return sealed


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: `problems` are coded items (`Term`s, worded in the reader's language); none means the
    history is intact."""

    assessment_id: str
    versions: int
    posts: int
    reports: int
    head: str | None  # the last link of the chain
    keyed: bool  # every link was made with SKB_INTEGRITY_KEY
    problems: tuple[Term, ...] = field(default_factory=tuple)

    @property
    def intact(self) -> bool:
        return not self.problems

    def message(self, lang: str = "sv") -> str:
        if self.intact:
            return msg(lang, "store.verify_intact", id=self.assessment_id, versions=self.versions, posts=self.posts,
                       reports=self.reports, head=self.head,
                       seal=msg(lang, "store.verify_keyed" if self.keyed else "store.verify_unkeyed"))
        return msg(lang, "store.verify_changed", id=self.assessment_id) + "\n" + "\n".join(
            "  " + p.text(lang) for p in self.problems)


_WHAT = {"version": "store.chain_version", "post": "store.chain_post", "report": "store.chain_report"}


def verify(conn: Connection, assessment_id: str) -> Verdict:
    """Recompute the chain of one assessment from its rows as they are now."""
    problems: list[Term] = []
    head = conn.execute(text("SELECT revision, status FROM assessments WHERE id = :id"),
                        {"id": assessment_id}).one()
    rows = {(kind, ref): row for kind, ref, row in _rows(conn, assessment_id).get(assessment_id, [])}
    chain = conn.execute(text("SELECT seq, kind, ref, digest, alg, link FROM integrity_chain "
                              "WHERE assessment_id = :id ORDER BY seq"), {"id": assessment_id}).all()
    key = _key()
    prev = ""
    seen: set[tuple[str, str]] = set()
    keyed = bool(chain)
    for n, link in enumerate(chain, start=1):
        label = Term(_WHAT[link.kind], ref=link.ref) if link.kind in _WHAT else f"{link.kind} {link.ref}"
        if int(link.seq) != n:
            problems.append(Term("store.chain_link_missing", n=n))
        if link.alg == "hmac-sha256":
            if key is None:
                problems.append(Term("store.chain_needs_key", what=label, variable=KEY_ENV))
            elif not hmac.compare_digest(_link(prev, link.kind, link.ref, link.digest, key), link.link):
                problems.append(Term("store.chain_link_differs", what=label))
        else:
            keyed = False
            if _link(prev, link.kind, link.ref, link.digest, None) != link.link:
                problems.append(Term("store.chain_link_differs", what=label))
            elif key is not None:
                problems.append(Term("store.chain_sealed_without_key", what=label))
        prev = link.link
        seen.add((link.kind, link.ref))
        row = rows.get((link.kind, link.ref))
        if row is None:
            problems.append(Term("store.chain_row_deleted", what=label))
        elif _row_digest(row, _COLUMNS[link.kind]) != link.digest:
            problems.append(Term("store.chain_row_changed", what=label))
    for kind, ref in rows.keys() - seen:
        problems.append(Term("store.chain_row_added", what=Term(_WHAT[kind], ref=ref)))
    problems.extend(_check_rows(conn, assessment_id, head, rows))
    counts = {k: sum(1 for kind, _ in rows if kind == k) for k in ("version", "post", "report")}
    return Verdict(assessment_id, counts["version"], counts["post"], counts["report"],
                   chain[-1].link if chain else None, keyed, tuple(problems))


def _check_rows(conn: Connection, assessment_id: str, head: Any,
                rows: dict[tuple[str, str], Any]) -> Iterable[Term]:
    """What the rows say that their own content denies: a head ahead of its history, an edited snapshot or PDF."""
    versions = sorted((int(ref), row) for (kind, ref), row in rows.items() if kind == "version")
    if versions:
        last_revision, last = versions[-1]
        if int(head.revision) != last_revision:
            yield Term("store.chain_head_ahead", revision=head.revision, last=last_revision)
        if head.status != last.status:
            yield Term("store.chain_status_differs", status=head.status, last=last.status)
    hashes = {row.checklist_hash for _, row in versions}
    for digest in sorted(hashes):
        snap = conn.execute(text("SELECT body FROM checklist_snapshots WHERE hash = :h"), {"h": digest}).one_or_none()
        if snap is None:
            yield Term("store.chain_snapshot_missing", digest=digest[:12])
        elif _snapshot_hash(snap.body) != digest:
            yield Term("store.chain_snapshot_changed", digest=digest[:12])
    for (kind, ref), row in rows.items():
        if kind == "report":
            pdf = conn.execute(text("SELECT pdf FROM adopted_reports WHERE assessment_id = :id AND revision = :r "
                                    "AND lang = :lang"), {"id": assessment_id, "r": row.revision,
                                                          "lang": row.lang}).scalar_one()
            if _sha(bytes(pdf)) != row.sha256:
                yield Term("store.chain_report_changed", ref=ref)


def _snapshot_hash(body: str) -> str:
    # The same canonical form as Checklist.content_hash, on the stored JSON as it is now.

    try:
        return Checklist.model_validate(json.loads(body)).content_hash()
    except ValueError:
        return ""


def chain_head(conn: Connection, assessment_id: str) -> str | None:
    """The last link of the assessment's chain."""
    return conn.execute(text("SELECT link FROM integrity_chain WHERE assessment_id = :id ORDER BY seq DESC "
                             "LIMIT 1"), {"id": assessment_id}).scalar_one_or_none()


# --- an adoption made elsewhere -------------------------------------------------------------


def check_adoption(body: dict[str, Any], record: dict[str, Any] | None,
                   trusted_sha256: str | None) -> tuple[bool, Term | None, bytes | None]:
    """Does an imported file's adoption verify? Returns (verified, why not as a coded item, the PDF).

    It verifies only when the importer was given the SHA-256 of the adopted
    report from outside the file (the decision record, or `skb verify-report`
    at the installation that adopted it), the report the file carries has that
    SHA-256, and that report names the file's body in its keywords. Nothing
    the file says about itself is enough."""
    if record is None:
        return False, Term("store.adoption_no_report"), None
    if not trusted_sha256:
        return False, Term("store.adoption_no_sha256"), None
    try:
        pdf = base64.b64decode(record["report_pdf"], validate=True)
    except (ValueError, KeyError):
        return False, Term("store.adoption_unreadable"), None
    if not hmac.compare_digest(_sha(pdf), trusted_sha256.strip().lower()):
        return False, Term("store.adoption_other_sha256"), None
    digest = body_digest(body)
    if record.get("body_sha256") != digest or (BODY_MARK + digest).encode() not in pdf:
        return False, Term("store.adoption_other_body"), None
    return True, None, pdf
