"""A real PostgreSQL server for the storage tests, made and thrown away by the test session.

`postgres_server` gives the URL of a server: SKB_TEST_POSTGRES_URL if set (a
role that may CREATE DATABASE), else a self-contained cluster made with
`initdb -A trust` in a temporary directory and started with `pg_ctl` on a spare
loopback port. initdb refuses to run as root, so as root the cluster is made and
run by the `postgres` system user in a directory it owns. `postgres_database`
gives each test its own fresh database on that server. Without PostgreSQL the
tests skip with a loud reason (and fail under CI=true, see conftest). No mocks.

Each test run (each xdist worker) has its own cluster directory, socket
directory and port, so that two runs side by side never meet: the port is asked
of the kernel, and if a neighbour binds it before the server does, the server
starts again on another. The subprocess timeouts only stop a hung server.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["database_url", "migrated_template", "postgres_server", "postgres_database"]


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def _spare_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(user: str | None, argv: list[str]) -> list[str]:
    if user is None:
        return argv
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", user, "--", *argv]
    return ["su", user, "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in argv)]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL (postgresql+psycopg://...) of a PostgreSQL server to make test databases on."""
    given = os.environ.get("SKB_TEST_POSTGRES_URL", "").strip()
    if given:
        yield given
        return
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin) and "
                    "SKB_TEST_POSTGRES_URL is not set: the PostgreSQL half of the storage suite DID NOT RUN")
    user: str | None = None
    if os.geteuid() == 0:
        user = "postgres"
        try:
            import pwd

            owner = pwd.getpwnam(user)
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user for initdb: the PostgreSQL half of the "
                        "storage suite DID NOT RUN; set SKB_TEST_POSTGRES_URL or run as an ordinary user")
    tmp = Path(tempfile.mkdtemp(prefix="skb-pg-"))
    data, sockets = tmp / "data", tmp / "sock"
    sockets.mkdir()
    if user is not None:
        os.chmod(tmp, 0o755)
        for d in (tmp, sockets):
            os.chown(d, owner.pw_uid, owner.pw_gid)
    log = tmp / "server.log"

    def run(argv: list[str]) -> None:
        done = subprocess.run(_as_owner(user, argv), capture_output=True, text=True, timeout=600)  # a hang only
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def start() -> int:
        """Start the cluster on a spare port; another if a neighbour took that one first. Returns the port."""
        for _ in range(5):
            port = _spare_port()
            logged = log.stat().st_size if log.exists() else 0
            try:
                # fsync off: the cluster is thrown away; durability is SQLite's test.
                run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "300", "-o",
                     f"-p {port} -c listen_addresses=127.0.0.1 -k {sockets} -c fsync=off -c full_page_writes=off",
                     "start"])
                return port
            except RuntimeError:
                said = log.read_text(errors="replace")[logged:] if log.exists() else ""
                if "could not bind" not in said and "already in use" not in said:
                    raise
        raise RuntimeError("five spare ports were taken by others before PostgreSQL could bind them")

    try:
        run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "skb", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"])
        port = start()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.skip(f"could not start a PostgreSQL cluster: the PostgreSQL half of the storage suite DID NOT RUN:"
                    f"\n{exc}\n{tail}")
    try:
        yield f"postgresql+psycopg://skb@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_owner(user, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                                        "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


# The fixtures that open the store on the database at once: for a test that asks for one of them, the database
# is a copy of one the store's migrations made (`migrated_template`), which PostgreSQL copies in a fraction of
# the time the migrations take. Every other test gets an empty database, as an older SKB or an upgrade meets it.
OPENS_THE_STORE = {"fresh_store", "store"}


@pytest.fixture(scope="session")
def migrated_template(postgres_server: str) -> Iterator[str]:
    """The name of a database on the test server that the store's migrations made and nothing else touched;
    dropped at the end of the session."""
    import psycopg
    from sqlalchemy.engine import make_url

    from assessment.store.storage import open_store

    server = make_url(postgres_server)
    name = f"skb_template_{uuid.uuid4().hex[:12]}"
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    open_store(server.set(database=name).render_as_string(hide_password=False)).close()  # closes every connection
    try:
        yield name
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_database(postgres_server: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh database on the test server, dropped afterwards: empty, or as the store's migrations
    leave it for a test that opens the store on it at once (OPENS_THE_STORE)."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(postgres_server)
    name = f"skb_test_{uuid.uuid4().hex[:12]}"
    template = (f' TEMPLATE "{request.getfixturevalue("migrated_template")}"'
                if OPENS_THE_STORE & set(request.fixturenames) else "")
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{template}')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs twice: on a fresh SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'skb.sqlite'}"
    return str(request.getfixturevalue("postgres_database"))
