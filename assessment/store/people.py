"""People and the audit log: who is known, their roles per organisation, an organisation's rules, and who
did what when (revision 0006; the audit log is append-only by trigger). The rules (who may grant, what a
role allows, the first admin) are in `assessment/store/auth.py`; what an event may say in `assessment/store/audit.py`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Identity, Index, Integer, String, Table, Text, text

from . import metadata

users = Table(
    "users", metadata,
    Column("name", String(254), primary_key=True),
    Column("display_name", Text, nullable=False, server_default=""),
    Column("issuer", Text, nullable=False, server_default=""),
    Column("subject", Text, nullable=False, server_default=""),
    Column("first_seen", String(40), nullable=False),
    Column("last_seen", String(40), nullable=False, server_default=""),
)

user_roles = Table(
    "user_roles", metadata,
    Column("name", String(254), primary_key=True),
    Column("org", String(200), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("granted_at", String(40), nullable=False),
    Column("granted_by", Text, nullable=False),
    Index("user_roles_by_org", "org", "role"),
)

org_settings = Table(
    "org_settings", metadata,
    Column("org", String(200), primary_key=True),
    Column("setting", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("changed_at", String(40), nullable=False),
    Column("changed_by", Text, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    # PostgreSQL: BIGINT GENERATED ALWAYS AS IDENTITY; SQLite: INTEGER PRIMARY KEY AUTOINCREMENT.
    Column("id", BigInteger().with_variant(Integer, "sqlite"), Identity(always=True), primary_key=True),
    Column("at", String(40), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("assessment_id", String(64)),
    Column("org", String(200), nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
    Index("audit_by_assessment", "assessment_id", "id"),
    Index("audit_by_actor", "actor", "id"),
    sqlite_autoincrement=True,
)


# --- roles ---


def roles_in(conn: Connection, name: str, org: str, every: str) -> list[str]:
    """The roles `name` holds in `org` or in `every` organisation."""
    return [r.role for r in conn.execute(text("SELECT role FROM user_roles WHERE name = :n AND org IN (:org, :all)"),
                                         {"n": name, "org": org, "all": every})]


def roles_of(conn: Connection, name: str) -> list[Any]:
    """Each (org, role) `name` holds, in order (at most 1,000)."""
    return conn.execute(text("SELECT org, role FROM user_roles WHERE name = :n ORDER BY org, role LIMIT 1000"),
                        {"n": name}).all()


def is_admin_anywhere(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT 1 FROM user_roles WHERE name = :n AND role = 'admin'"),
                        {"n": name}).first() is not None


def admins_exist(conn: Connection) -> bool:
    return conn.execute(text("SELECT 1 FROM user_roles WHERE role = 'admin'")).first() is not None


def is_admin_of(conn: Connection, name: str, org: str, every: str) -> bool:
    """Whether `name` is an admin of `org` (or of `every` organisation); of `every` alone when org is every."""
    if org == every:
        return conn.execute(text("SELECT 1 FROM user_roles WHERE name = :n AND org = :all AND role = 'admin'"),
                            {"n": name, "all": every}).first() is not None
    return conn.execute(text("SELECT 1 FROM user_roles WHERE name = :n AND org IN (:org, :all) AND role = 'admin'"),
                        {"n": name, "org": org, "all": every}).first() is not None


def has_role(conn: Connection, name: str, org: str, role: str) -> bool:
    return conn.execute(text("SELECT 1 FROM user_roles WHERE name = :n AND org = :o AND role = :r"),
                        {"n": name, "o": org, "r": role}).first() is not None


def add_role(conn: Connection, name: str, org: str, role: str, at: str, by: str) -> None:
    conn.execute(text("INSERT INTO user_roles (name, org, role, granted_at, granted_by) VALUES (:n, :o, :r, :t, :by)"),
                 {"n": name, "o": org, "r": role, "t": at, "by": by})


def remove_role(conn: Connection, name: str, org: str, role: str) -> None:
    conn.execute(text("DELETE FROM user_roles WHERE name = :n AND org = :o AND role = :r"),
                 {"n": name, "o": org, "r": role})


def other_admins_of_every(conn: Connection, name: str, every: str) -> int:
    """How many others than `name` are admins of every organisation."""
    return int(conn.execute(text("SELECT COUNT(*) FROM user_roles WHERE role = 'admin' AND org = :all "
                                 "AND name <> :n"), {"all": every, "n": name}).scalar_one())


def all_roles(conn: Connection) -> list[Any]:
    """Every (name, org, role), in order."""
    return conn.execute(text("SELECT name, org, role FROM user_roles ORDER BY name, org, role")).all()


# --- people ---


def people(conn: Connection, limit: int) -> list[Any]:
    """Name, display name, first and last seen of the first `limit` people by name."""
    return conn.execute(text("SELECT name, display_name, first_seen, last_seen FROM users ORDER BY name LIMIT :n"),
                        {"n": limit}).all()


def known(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT 1 FROM users WHERE name = :n"), {"n": name}).first() is not None


def add_person(conn: Connection, name: str, at: str) -> None:
    """Someone granted a role before they signed in."""
    conn.execute(text("INSERT INTO users (name, display_name, first_seen) VALUES (:n, '', :t)"), {"n": name, "t": at})


def account(conn: Connection, name: str) -> Any:
    """The identity provider's account `name` is bound to (issuer, subject), or None for an unknown name."""
    return conn.execute(text("SELECT issuer, subject FROM users WHERE name = :n"), {"n": name}).one_or_none()


def first_sign_in(conn: Connection, name: str, display: str, issuer: str, subject: str, at: str) -> None:
    conn.execute(text("INSERT INTO users (name, display_name, issuer, subject, first_seen, last_seen) "
                      "VALUES (:n, :d, :i, :s, :t, :t)"),
                 {"n": name, "d": display, "i": issuer, "s": subject, "t": at})


def signed_in(conn: Connection, name: str, display: str, issuer: str, subject: str, at: str) -> None:
    conn.execute(text("UPDATE users SET display_name = :d, issuer = :i, subject = :s, last_seen = :t "
                      "WHERE name = :n"), {"n": name, "d": display, "i": issuer, "s": subject, "t": at})


# --- an organisation's rules ---


def settings(conn: Connection, setting: str, org: str, every: str) -> dict[str, str]:
    """The value of `setting` for `org` and for `every` organisation, by organisation."""
    return {r.org: r.value for r in conn.execute(text(
        "SELECT org, value FROM org_settings WHERE setting = :s AND org IN (:org, :all)"),
        {"s": setting, "org": org, "all": every})}


def set_setting(conn: Connection, org: str, setting: str, value: str, at: str, by: str) -> None:
    conn.execute(text("DELETE FROM org_settings WHERE org = :o AND setting = :s"), {"o": org, "s": setting})
    conn.execute(text("INSERT INTO org_settings (org, setting, value, changed_at, changed_by) "
                      "VALUES (:o, :s, :v, :t, :by)"), {"o": org, "s": setting, "v": value, "t": at, "by": by})


# --- the audit log ---


def append_event(conn: Connection, at: str, actor: str, action: str, assessment_id: str | None, org: str,
                 detail: str) -> None:
    conn.execute(text("INSERT INTO audit_log (at, actor, action, assessment_id, org, detail) "
                      "VALUES (:at, :actor, :action, :aid, :org, :detail)"),
                 {"at": at, "actor": actor, "action": action, "aid": assessment_id, "org": org, "detail": detail})


def events(conn: Connection, limit: int, assessment_id: str | None = None, actors: tuple[str, ...] = (),
           orgs: list[str] | None = None) -> list[Any]:
    """Events newest first: of one assessment, of any of `actors`, of `orgs` (None: every organisation)."""
    clauses: list[str] = []
    params: dict[str, Any] = {"n": limit}
    if assessment_id:
        clauses.append("assessment_id = :aid")
        params["aid"] = assessment_id
    if actors:
        clauses.append("actor IN (" + ", ".join(f":a{i}" for i in range(len(actors))) + ")")
        params.update({f"a{i}": a for i, a in enumerate(actors)})
    if orgs is not None:
        clauses.append("org IN (" + ", ".join(f":o{i}" for i in range(len(orgs))) + ")")
        params.update({f"o{i}": o for i, o in enumerate(orgs)})
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return conn.execute(text("SELECT id, at, actor, action, assessment_id, org, detail FROM audit_log "
                             f"{where} ORDER BY id DESC LIMIT :n"), params).all()
