"""A throw-away PostgreSQL server for the storage benchmarks.

SKB_BENCH_POSTGRES_URL, if set, names an existing server (a role that may
CREATE DATABASE); otherwise a cluster is made with `initdb -A trust` in the
run's temporary directory, started with `pg_ctl` on a spare loopback port, and
stopped and removed afterwards. Unlike the test cluster, this one keeps fsync
on: a latency figure from a server that never syncs would flatter us. When
PostgreSQL is not installed, the measure is "not measured" with that reason.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

from .harness import NotMeasured

__all__ = ["postgres_url"]

ENV = "SKB_BENCH_POSTGRES_URL"


def _bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(server_url: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    name = f"skb_bench_{uuid.uuid4().hex[:10]}"
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.set(database=name).render_as_string(hide_password=False)


@contextlib.contextmanager
def postgres_url(workdir: Path) -> Iterator[str]:
    """The URL of a fresh database on a PostgreSQL server that lives as long as the `with` block."""
    given = os.environ.get(ENV, "").strip()
    if given:
        yield _database(given)
        return
    bindir = _bindir()
    if bindir is None:
        raise NotMeasured(f"PostgreSQL is not installed (no initdb) and {ENV} is not set")
    prefix: list[str] = []
    tmp = workdir / f"pg-{uuid.uuid4().hex[:6]}"
    tmp.mkdir(parents=True)
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
        import pwd

        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise NotMeasured("running as root and there is no postgres user to own a cluster") from None
        os.chmod(workdir, 0o755)
        os.chmod(tmp, 0o755)
        os.chown(tmp, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else []
        if not prefix:
            raise NotMeasured("running as root without runuser; cannot start a cluster as the postgres user")
    data, log, port = tmp / "data", tmp / "server.log", _port()

    def run(argv: list[str]) -> None:
        done = subprocess.run(prefix + argv, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise NotMeasured(f"could not start PostgreSQL: {argv[0].rsplit('/', 1)[-1]} failed: "
                              f"{(done.stderr or done.stdout).strip()[:300]}")

    run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "skb", "-E", "UTF8", "--locale=C.UTF-8",
         "--no-sync"])
    run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
         f"-p {port} -c listen_addresses=127.0.0.1 -k {tmp}", "start"])
    try:
        yield _database(f"postgresql+psycopg://skb@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)
