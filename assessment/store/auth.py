"""Who may do what: the person acting, their roles per organisation, and each organisation's rules.

SKB runs in one of two modes. In **local** mode (the default: one person on their
own machine) the person is the operating-system user, labelled as local, and
may do everything; no sign-in, no roles. In **shared** mode (a sign-in is
configured, or SKB_MODE=shared) a person is who the identity provider says they
are (`sign_in`, from the OpenID Connect claims) or, on the command line, the
user named with `--as`/SKB_USER, and every action is checked against the roles
granted to that name in the database:

    reader    reads assessments, their history, review and reports
    author    writes assessments, sends them for review, answers the review, records follow-up
    reviewer  comments, returns to draft, signs off (fastställer), records follow-up
    admin     grants and revokes roles, sets the organisation's rules, reads the audit log

A role is granted in one organisation (the municipality or region an assessment
belongs to, compared without case) or in all of them ('*'). Roles do not imply
one another: a reviewer who also writes is granted both. A refused action
raises `Forbidden` with a message in Swedish and English. Grants, revocations
and rule changes are written to the audit log in the same transaction.

This module must not import streamlit; it reads and writes only its own tables
(users, user_roles, org_settings) and the audit log, with the queries of `assessment/store/people.py`
on the Store's `reading()`/`writing()` connections.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assessment.catalogue import LANGUAGES, text
from assessment.errors import Forbidden, SkbError, Term
from assessment.store import assessments as assessments_sql
from assessment.store import people as people_sql
from assessment.store.audit import record
from assessment.store.storage import Store

__all__ = [
    "ALL_ORGS",
    "MODE_ENV",
    "PERMISSIONS",
    "ROLE_LABELS",
    "USER_ENV",
    "Action",
    "Actor",
    "Forbidden",
    "Role",
    "User",
    "actor_of",
    "visible_orgs",
    "assessment_org",
    "can",
    "grant",
    "is_admin_anywhere",
    "name_from_claims",
    "org_key",
    "require",
    "revoke",
    "roles_in",
    "roles_of",
    "self_sign_off_allowed",
    "set_self_sign_off",
    "shared_mode",
    "sign_in",
    "users",
]

ALL_ORGS = "*"
MODE_ENV = "SKB_MODE"
USER_ENV = "SKB_USER"
MAX_NAME = 254  # an e-mail address at most
MAX_ORG = 200
LOCAL_SUFFIX = " (lokal)"
SELF_SIGN_OFF = "self_sign_off"


class Role(StrEnum):
    READER = "reader"
    AUTHOR = "author"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Action(StrEnum):
    READ = "read"
    EDIT = "edit"
    SEND_FOR_REVIEW = "send_for_review"
    RETURN_TO_DRAFT = "return_to_draft"
    COMMENT = "comment"
    SIGN_OFF = "sign_off"
    FOLLOW_UP = "follow_up"
    ADMINISTER = "administer"


# Which roles may take each action. Reading is every role's; the rest is narrow on purpose.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.READ: frozenset(Role),
    Action.EDIT: frozenset({Role.AUTHOR}),
    Action.SEND_FOR_REVIEW: frozenset({Role.AUTHOR}),
    Action.RETURN_TO_DRAFT: frozenset({Role.AUTHOR, Role.REVIEWER}),
    Action.COMMENT: frozenset({Role.AUTHOR, Role.REVIEWER}),
    Action.SIGN_OFF: frozenset({Role.REVIEWER}),
    # Follow-up is recorded by those who carry the decision out (authors) and those who check
    # it (reviewers); it never touches the adopted body (assessment/workflow/followup.py).
    Action.FOLLOW_UP: frozenset({Role.AUTHOR, Role.REVIEWER}),
    Action.ADMINISTER: frozenset({Role.ADMIN}),
}

ROLE_LABELS = {lang: {role: text(lang, f"store.role_{role.value}") for role in Role} for lang in LANGUAGES}


@dataclass(frozen=True)
class _Roles:
    """The roles that would allow an action, worded "author or reviewer" in the message's language."""

    roles: tuple[Role, ...]

    def text(self, lang: str) -> str:
        return text(lang, "store.or").join(text(lang, f"store.role_{role.value}") for role in self.roles)


@dataclass(frozen=True)
class Actor:
    """The person acting. `name` is what the history, the review and the audit log record.

    `shared` False is local mode: the one person on this machine, who may do everything."""

    name: str
    display: str = ""
    shared: bool = False

    @classmethod
    def local(cls, os_user: str | None = None) -> Actor:
        """The operating-system user, labelled as local (so a record shows no sign-in stood behind it)."""
        user = (os_user or _os_user()).strip()[:MAX_NAME - len(LOCAL_SUFFIX)] or "?"
        return cls(user + LOCAL_SUFFIX, user + LOCAL_SUFFIX, shared=False)

    @classmethod
    def named(cls, name: str) -> Actor:
        """A user of a shared installation, by the name roles are granted to (the CLI's --as)."""
        key = _name_key(name)
        return cls(key, key, shared=True)

    @property
    def label(self) -> str:
        return self.display or self.name


@dataclass(frozen=True)
class User:
    """One person known to the installation, and their roles: {organisation: roles}."""

    name: str
    display_name: str
    first_seen: str
    last_seen: str
    roles: dict[str, tuple[Role, ...]]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's anonymous uid)
        return os.environ.get("USER") or str(os.getuid())


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _name_key(name: str) -> str:
    key = " ".join(str(name).split()).casefold()
    if not key:
        raise Forbidden("no_user_name")
    if len(key) > MAX_NAME:
        raise Forbidden("user_name_too_long", limit=MAX_NAME)
    return key


def org_key(org: str | None) -> str:
    """The organisation an assessment belongs to, from its municipality: compared without case or extra spaces."""
    key = " ".join(str(org or "").split()).casefold()
    if len(key) > MAX_ORG:
        raise Forbidden("org_name_too_long", limit=MAX_ORG)
    return key


def assessment_org(store: Store, assessment_id: str) -> str:
    """The organisation a stored assessment belongs to ('' when it names no municipality, or is unknown)."""
    with store.reading() as conn:
        found = assessments_sql.head(conn, assessment_id)
    return org_key(found.municipality if found is not None else None)


def actor_of(by: Actor | str) -> Actor:
    """An Actor as given, or a plain name as in local mode (a script on the server's own database)."""
    if isinstance(by, Actor):
        return by
    name = str(by).strip()
    return Actor(name, name, shared=False)


def shared_mode(secrets: Mapping[str, Any] | None = None) -> bool:
    """Whether this installation is shared: SKB_MODE=shared or local decides; otherwise a
    sign-in section ([auth]) in the app's secrets makes it shared."""
    explicit = os.environ.get(MODE_ENV, "").strip().lower()
    if explicit in ("shared", "local"):
        return explicit == "shared"
    if explicit:
        raise SkbError("mode_unknown", variable=MODE_ENV, value=explicit[:20])
    return bool(secrets and "auth" in secrets)


# --- roles ------------------------------------------------------------------------------


def roles_in(store: Store, actor: Actor, org: str | None) -> set[Role]:
    """The roles `actor` has in organisation `org` (its own and those granted in every organisation)."""
    if not actor.shared:
        return set(Role)
    with store.reading() as conn:
        held = people_sql.roles_in(conn, actor.name, org_key(org), ALL_ORGS)
    return {Role(r) for r in held if r in Role._value2member_map_}


def roles_of(store: Store, actor: Actor) -> list[tuple[str, Role]]:
    """The roles granted to `actor` as (organisation, role), '*' for every organisation."""
    if not actor.shared:
        return []
    with store.reading() as conn:
        rows = people_sql.roles_of(conn, actor.name)
    return [(r.org, Role(r.role)) for r in rows if r.role in Role._value2member_map_]


def can(store: Store, actor: Actor, action: Action, org: str | None) -> bool:
    return bool(roles_in(store, actor, org) & PERMISSIONS[action])


def require(store: Store, actor: Actor, action: Action, org: str | None) -> None:
    """Forbidden unless `actor` has a role that allows `action` in `org`."""
    if can(store, actor, action, org):
        return
    where = org_key(org)
    raise Forbidden("role_needed", who=actor.label, action=Term(f"store.action_{action.value}"),
                    where=Term("store.in_org", org=where) if where else "",
                    roles=_Roles(tuple(r for r in Role if r in PERMISSIONS[action])))


def visible_orgs(store: Store, actor: Actor) -> set[str] | None:
    """The organisations whose assessments `actor` may see: those where they hold any role
    (every role reads). None means every organisation: local mode, or a role granted in '*'."""
    if not actor.shared:
        return None
    held = {org for org, _ in roles_of(store, actor)}
    return None if ALL_ORGS in held else held


def is_admin_anywhere(store: Store, actor: Actor) -> bool:
    if not actor.shared:
        return True
    with store.reading() as conn:
        return people_sql.is_admin_anywhere(conn, actor.name)


def _admins_exist(conn: Any) -> bool:
    return people_sql.admins_exist(conn)


def _check_admin(conn: Any, by: Actor, org: str, what: Role | None = None) -> None:
    # The very first admin has to come from somewhere: whoever can run `skb grant` on the
    # installation's database may name one while there is none (docs/sign-in.md).
    if what == Role.ADMIN and not _admins_exist(conn):
        return
    allowed = not by.shared or people_sql.is_admin_of(conn, by.name, org, ALL_ORGS)
    if not allowed:
        raise Forbidden("not_admin_of", who=by.label, org=Term("store.every_org") if org == ALL_ORGS else org)


def _org_arg(org: str | None) -> str:
    return ALL_ORGS if org in (None, "", ALL_ORGS) else org_key(org)


def _role(role: Role | str) -> Role:
    try:
        return Role(str(role).strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise Forbidden("no_role", role=str(role)[:30], roles=names) from None


def grant(store: Store, by: Actor, name: str, role: Role | str, org: str | None = None) -> bool:
    """Give `name` the `role` in `org` (every organisation when None); False if they already had it."""
    key, chosen, where = _name_key(name), _role(role), _org_arg(org)
    at = _now()
    with store.writing() as conn:
        _check_admin(conn, by, where, chosen)
        if people_sql.has_role(conn, key, where, chosen.value):
            return False
        if not people_sql.known(conn, key):
            people_sql.add_person(conn, key, at)
        people_sql.add_role(conn, key, where, chosen.value, at, by.name)
        record(conn, by.name, "grant", org=where, detail=f"{key}: {chosen.value}")
    return True


def revoke(store: Store, by: Actor, name: str, role: Role | str, org: str | None = None) -> bool:
    """Take `role` in `org` from `name`; False if they did not have it. The last admin of
    every organisation cannot be revoked (nobody could grant roles any more)."""
    key, chosen, where = _name_key(name), _role(role), _org_arg(org)
    with store.writing() as conn:
        _check_admin(conn, by, where)
        if not people_sql.has_role(conn, key, where, chosen.value):
            return False
        if chosen == Role.ADMIN and where == ALL_ORGS:
            others = people_sql.other_admins_of_every(conn, key, ALL_ORGS)
            if not others:
                raise Forbidden("last_admin", who=key)
        people_sql.remove_role(conn, key, where, chosen.value)
        record(conn, by.name, "revoke", org=where, detail=f"{key}: {chosen.value}")
    return True


def users(store: Store, by: Actor, limit: int = 1000) -> list[User]:
    """Everyone known to the installation and their roles (admins only)."""
    if not is_admin_anywhere(store, by):
        raise Forbidden("not_admin_users", who=by.label)
    with store.reading() as conn:
        people = people_sql.people(conn, max(1, min(limit, 10_000)))
        grants = people_sql.all_roles(conn)
    held: dict[str, dict[str, list[Role]]] = {}
    for g in grants:
        if g.role in Role._value2member_map_:
            held.setdefault(g.name, {}).setdefault(g.org, []).append(Role(g.role))
    return [User(p.name, p.display_name, p.first_seen, p.last_seen,
                 {org: tuple(sorted(rs, key=list(Role).index)) for org, rs in held.get(p.name, {}).items()})
            for p in people]


# --- the organisation's rule on signing off one's own work ---------------------------------


def self_sign_off_allowed(store: Store, org: str | None) -> bool:
    """Whether an author may sign off an assessment they wrote in `org` (default: no)."""
    with store.reading() as conn:
        rows = people_sql.settings(conn, SELF_SIGN_OFF, org_key(org), ALL_ORGS)
    value = rows.get(org_key(org), rows.get(ALL_ORGS, "no"))
    return value == "yes"


def set_self_sign_off(store: Store, by: Actor, allowed: bool, org: str | None = None) -> None:
    """Let authors sign off their own work in `org` (every organisation when None), or forbid it again.

    Only an admin of that organisation may; the change is written to the audit log."""
    where = _org_arg(org)
    value = "yes" if allowed else "no"
    at = _now()
    with store.writing() as conn:
        _check_admin(conn, by, where)
        people_sql.set_setting(conn, where, SELF_SIGN_OFF, value, at, by.name)
        record(conn, by.name, "setting", org=where, detail=f"{SELF_SIGN_OFF}={value}")


# --- sign-in -------------------------------------------------------------------------------


def name_from_claims(claims: Mapping[str, Any]) -> str:
    """The name roles are granted to: the e-mail address, else the provider's user name, else its subject."""
    for claim in ("email", "preferred_username", "upn", "sub"):
        value = claims.get(claim)
        if isinstance(value, str) and value.strip():
            return _name_key(value)
    raise Forbidden("no_identity")


def sign_in(store: Store, claims: Mapping[str, Any]) -> Actor:
    """The Actor an identity provider's verified claims name; records the sign-in in the audit log.

    The first sign-in binds the name to the provider's account (issuer and subject);
    a later sign-in under the same name from another account is refused, so an
    e-mail address handed on to someone else does not carry its roles with it."""
    key = name_from_claims(claims)
    issuer = str(claims.get("iss") or "")[:500]
    subject = str(claims.get("sub") or "")[:500]
    display = " ".join(str(claims.get("name") or key).split())[:MAX_NAME]
    at = _now()
    with store.writing() as conn:
        row = people_sql.account(conn, key)
        refused = row is not None and bool(row.subject) and (row.subject, row.issuer) != (subject, issuer)
        if refused:
            record(conn, key, "sign_in_refused", detail=f"{issuer} {subject}")
        elif row is None:
            people_sql.first_sign_in(conn, key, display, issuer, subject, at)
            record(conn, key, "sign_in", detail=issuer)
        else:
            people_sql.signed_in(conn, key, display, issuer, subject, at)
            record(conn, key, "sign_in", detail=issuer)
    if refused:
        raise Forbidden("other_account", who=key)
    return Actor(key, display, shared=True)
