"""Backups of the whole database, taken while people work, and their restore into an empty database.

A backup is one file: a tar archive holding `skb-backup.json` (what it is: the
kind of database, the schema revision, when it was taken, how many rows each
table held) and the database itself, copied consistently:

- SQLite: SQLite's online backup API copies every page in one step under one
  read transaction, so the copy is the database as one commit left it. In WAL
  mode a reader does not block a writer: autosaves go on while it runs.
- PostgreSQL: `pg_dump --format=custom`, run inside a REPEATABLE READ
  transaction whose snapshot it shares (`--snapshot`), so the rows it dumps and
  the counts written beside them are the same moment.

`restore` puts a backup into an EMPTY database (one without rows; SKB's empty
tables, as a first start leaves them, count as empty) and refuses any other,
refuses a file that is not an SKB backup and one whose schema is newer than
this SKB knows. It then compares every table's row count with the manifest,
upgrades the schema if the backup is older, and recomputes the hash chain of
every assessment (`skb verify`), so a restore says whether what came back is
intact. See docs/storage.md, "Backups" and "Restore".

This module must not import streamlit.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, create_engine
from sqlalchemy.engine import make_url

from assessment.errors import StorageError, Term
from assessment.store.integrity import Verdict
from assessment.store.migrations import current, grant_app_role, known
from assessment.store.storage import Store, _normalise_url

__all__ = ["FORMAT", "FORMAT_VERSION", "Manifest", "Restored", "backup", "read_manifest", "restore", "row_counts"]

FORMAT = "skb-backup"
FORMAT_VERSION = 1
MANIFEST = "skb-backup.json"
PAYLOAD = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
MAX_MANIFEST = 64 * 1024
# Tables that say which schema a database has, not what it holds: a database with rows only here is empty.
MARKERS = frozenset({"alembic_version", "skb_migrations"})

Dialect = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class Manifest:
    """What a backup file says about itself."""

    dialect: Dialect
    schema: str
    taken_at: dt.datetime
    rows: dict[str, int]
    sha256: str
    size: int
    skb_version: str

    @property
    def assessments(self) -> int:
        return self.rows.get("assessments", 0)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "dialect": self.dialect,
                           "schema": self.schema, "taken_at": self.taken_at.isoformat(), "rows": self.rows,
                           "sha256": self.sha256, "size": self.size, "skb_version": self.skb_version},
                          ensure_ascii=False, indent=2, sort_keys=True)


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's manifest, the migrations applied after it, each assessment's chain."""

    manifest: Manifest
    upgraded: tuple[str, ...]
    verdicts: tuple[Verdict, ...]

    @property
    def intact(self) -> bool:
        return all(v.intact for v in self.verdicts)


def _skb_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("skb")
    except PackageNotFoundError:
        return "unknown"


def _dialect(url: str) -> Dialect:
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith("postgresql"):
        return "postgresql"
    raise StorageError("database_kind", scheme=repr(url.split(':')[0]))


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise StorageError("sqlite_file_needed")
    return Path(database)


def _tables(conn: Connection) -> list[str]:
    if conn.dialect.name == "postgresql":
        return [r[0] for r in conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
    return [r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def row_counts(conn: Connection) -> dict[str, int]:
    """The number of rows of every table of the database (SKB's and any other in its schema)."""
    quote = conn.dialect.identifier_preparer.quote
    return {t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {quote(t)}").scalar() or 0) for t in _tables(conn)}


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest in Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found

    def major(p: str) -> int:
        part = Path(p).parent.parent.name
        return int(part) if part.isdigit() else 0

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=major)
    if candidates:
        return candidates[-1]
    raise StorageError("pg_tool_missing", program=name)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as pg_dump and pg_restore take it, with the password in the environment, not the command line."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(argv: list[str], env: dict[str, str], program: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()[-2000:]
        raise StorageError("program_failed", program=program, said=said)


# --- taking a backup ---------------------------------------------------------------------------------


def backup(url: str, out: Path) -> Manifest:
    """Write a consistent backup of the database at `url` to `out`, while it is in use.

    The file appears complete or not at all: it is written beside `out` and renamed into place."""

    url = _normalise_url(url)
    dialect = _dialect(url)
    out = Path(out)
    try:
        return _backup(url, dialect, out)
    except (OSError, sqlite3.Error) as exc:  # a full disk, a directory that is a file, no right to write
        why = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StorageError("backup_failed", out=out, why=why) from None


def _backup(url: str, dialect: Dialect, out: Path) -> Manifest:
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".skb-backup-", dir=out.parent) as tmp:
        payload = Path(tmp) / PAYLOAD[dialect]
        if dialect == "sqlite":
            schema, rows = _backup_sqlite(_sqlite_path(url), payload)
        else:
            schema, rows = _backup_postgres(url, payload)
        manifest = Manifest(dialect, schema, dt.datetime.now(dt.timezone.utc), rows, _sha256_of(payload),
                            payload.stat().st_size, _skb_version())
        partial = Path(tmp) / "backup.tar"
        with tarfile.open(partial, "w:gz" if dialect == "sqlite" else "w", format=tarfile.PAX_FORMAT) as tar:
            data = manifest.to_json().encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(manifest.taken_at.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            info = tarfile.TarInfo(PAYLOAD[dialect])
            info.size, info.mtime, info.mode = manifest.size, int(manifest.taken_at.timestamp()), 0o600
            with open(payload, "rb") as f:
                tar.addfile(info, f)
        os.chmod(partial, 0o600)  # a backup holds everything the database does
        os.replace(partial, out)
    return manifest


def _schema_of(conn: Connection, where: str) -> str:
    schema = current(conn)
    if schema is None:
        raise StorageError("backup_no_database", where=where)
    return schema


def _backup_sqlite(source: Path, payload: Path) -> tuple[str, dict[str, int]]:
    if not source.is_file():
        raise StorageError("backup_no_source", source=source)
    src = sqlite3.connect(source, timeout=30)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        dst = sqlite3.connect(payload)
        try:
            # pages=-1: every page in one step, under one read transaction: one consistent moment,
            # and in WAL mode the writers go on meanwhile.
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise StorageError("backup_copy_integrity")
        finally:
            dst.close()
    finally:
        src.close()
    engine = create_engine(f"sqlite:///{payload}")
    try:
        with engine.connect() as conn:
            return _schema_of(conn, str(source)), row_counts(conn)
    finally:
        engine.dispose()


def _backup_postgres(url: str, payload: Path) -> tuple[str, dict[str, int]]:
    pg_dump = _pg_tool("pg_dump")
    conninfo, env = _libpq(url)
    engine = create_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            # The snapshot this transaction sees is the one pg_dump dumps: counts and rows are one moment.
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            schema, rows = _schema_of(conn, make_url(url).database or "databasen"), row_counts(conn)
            _run([pg_dump, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}",
                  f"--file={payload}", f"--dbname={conninfo}"], env, "pg_dump")
    finally:
        engine.dispose()
    return schema, rows


# --- reading a backup file -----------------------------------------------------------------------


def _not_a_backup(path: Path, why: str, **fields: object) -> StorageError:
    return StorageError("not_a_backup", path=path, why=Term(f"store.backup_{why}", **fields))


@contextmanager
def _opened(path: Path) -> Iterator[tuple[Manifest, tarfile.TarFile, tarfile.TarInfo]]:
    path = Path(path)
    if not path.is_file():
        raise StorageError("no_file", path=path)
    try:
        tar = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError, EOFError, ValueError):
        raise _not_a_backup(path, "not_tar") from None
    try:
        members = {}
        try:
            for m in tar:
                members.setdefault(m.name, m)
                if len(members) > 10:
                    break
        except (tarfile.TarError, OSError, EOFError, ValueError):
            raise _not_a_backup(path, "damaged") from None
        info = members.get(MANIFEST)
        if info is None or not info.isfile() or info.size > MAX_MANIFEST:
            raise _not_a_backup(path, "no_manifest", manifest=MANIFEST)
        manifest = _manifest(path, tar.extractfile(info).read())  # type: ignore[union-attr]
        payload = members.get(PAYLOAD[manifest.dialect])
        if payload is None or not payload.isfile() or payload.size != manifest.size:
            raise _not_a_backup(path, "payload_size")
        yield manifest, tar, payload
    finally:
        tar.close()


def _manifest(path: Path, raw: bytes) -> Manifest:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _not_a_backup(path, "manifest_not_json", manifest=MANIFEST) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _not_a_backup(path, "wrong_format")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _not_a_backup(path, "no_format_version")
    if version > FORMAT_VERSION:
        raise StorageError("backup_newer_format", path=path, version=version)
    try:
        rows = data["rows"]
        manifest = Manifest(dialect=data["dialect"], schema=str(data["schema"]),
                            taken_at=dt.datetime.fromisoformat(data["taken_at"]),
                            rows={str(k): int(v) for k, v in rows.items()}, sha256=str(data["sha256"]),
                            size=int(data["size"]), skb_version=str(data.get("skb_version", "")))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _not_a_backup(path, "manifest_incomplete", manifest=MANIFEST) from None
    if manifest.dialect not in PAYLOAD:
        raise _not_a_backup(path, "unknown_dialect", dialect=repr(manifest.dialect))
    return manifest


def read_manifest(path: Path) -> Manifest:
    """What the backup file at `path` says about itself; StorageError if it is not an SKB backup."""
    with _opened(path) as (manifest, _, _):
        return manifest


# --- restoring ---------------------------------------------------------------------------------------


def restore(url: str, path: Path, grant: str | None = None) -> Restored:
    """Restore the backup at `path` into the EMPTY database at `url`, then upgrade it and verify every chain.

    Refused, with nothing written: a file that is not an SKB backup, one of a newer schema than this SKB
    knows, one of the other kind of database, and a database that holds any row. `grant` (PostgreSQL):
    the application's role, given rows to read and write as `skb migrate --grant` does."""

    url = _normalise_url(url)
    dialect = _dialect(url)
    path = Path(path)
    with _opened(path) as (manifest, tar, member):
        if manifest.schema not in known():
            raise StorageError("backup_newer_schema", path=path, schema=manifest.schema)
        if manifest.dialect != dialect:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise StorageError("backup_other_dialect", path=path, dialect=names[manifest.dialect])
        if grant is not None and dialect != "postgresql":
            raise StorageError("roles_postgresql_only")
        target = _sqlite_path(url) if dialect == "sqlite" else None
        _refuse_unless_empty(url, target)
        workdir = target.parent if target is not None else None
        if workdir is not None:
            workdir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".skb-restore-", dir=workdir) as tmp:
            payload = Path(tmp) / member.name
            source = tar.extractfile(member)
            if source is None:
                raise _not_a_backup(path, "payload_missing")
            try:
                with open(payload, "wb") as f:
                    shutil.copyfileobj(source, f, 1 << 20)
            except OSError as exc:  # a full disk, most likely
                raise StorageError("backup_unpack_failed", why=exc.strerror) from None
            if _sha256_of(payload) != manifest.sha256:
                raise StorageError("backup_sha256_differs", path=path)
            if target is not None:
                _restore_sqlite(payload, target)
            else:
                _restore_postgres(url, payload)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counted = row_counts(conn)
    finally:
        engine.dispose()
    if counted != manifest.rows:
        differ = sorted(t for t in set(counted) | set(manifest.rows) if counted.get(t) != manifest.rows.get(t))
        raise StorageError("restore_rows_differ", tables=", ".join(differ))
    before = set(known()[:known().index(manifest.schema) + 1])
    with Store(url) as store:  # upgrades an older backup to this SKB's schema
        upgraded = tuple(name for name in known() if name not in before)
        verdicts = tuple(store.verify(s.id) for s in store.list())
        if grant is not None:
            grant_app_role(store.engine, grant)
    return Restored(manifest, upgraded, verdicts)


def _refuse_unless_empty(url: str, target: Path | None) -> None:
    if target is not None and (not target.exists() or target.stat().st_size == 0):
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counts = row_counts(conn)
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is not an empty SKB database
        raise StorageError("restore_target_unreadable", cause=exc) from None
    finally:
        engine.dispose()
    held = {t: n for t, n in counts.items() if n and t not in MARKERS}
    if held:
        n, rows = counts.get("assessments", 0), sum(held.values())
        raise StorageError("restore_target_not_empty", assessments=Term("store.assessments_count", n=n), rows=rows,
                           tables=len(held))


def _restore_sqlite(payload: Path, target: Path) -> None:
    src = sqlite3.connect(payload)
    try:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise StorageError("backup_payload_integrity")
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst, pages=-1)  # replaces the (empty) target page by page, under its write lock
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        src.close()


def _restore_postgres(url: str, payload: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            # An empty SKB schema, as a first start leaves it, makes way for the one in the backup.
            quote = conn.dialect.identifier_preparer.quote
            for table in _tables(conn):
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {quote(table)} CASCADE")
            for (signature,) in conn.exec_driver_sql(
                    "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE n.nspname = current_schema() AND left(p.proname, 4) = 'skb_'"):
                conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    finally:
        engine.dispose()
    conninfo, env = _libpq(url)
    _run([pg_restore, "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error", f"--dbname={conninfo}",
          str(payload)], env, "pg_restore")

