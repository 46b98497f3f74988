"""SKB as a region runs it, on loopback: a PostgreSQL cluster of its own, app servers, and nginx in front.

Used by `make load` (benchmarks/load.py) and by the scale-out and database-fault tests
(tests/scaleout.py re-exports it).

`Cluster` is a throwaway PostgreSQL cluster that can be stopped and started again on the same
port, as a database that goes away for a while would.

`Nginx` runs Debian's nginx without root and without touching /etc/nginx: a generated nginx.conf in
a temporary prefix (its own pid file, logs and temp directories) that includes the shipped
configuration from deploy/nginx/ as it is. Only two things are its own: the upstream's `server`
lines name the app servers on their free ports, and every response carries an `X-SKB-Upstream`
header naming the server that answered, so a test can see where nginx sent it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from .pg import _bindir, _port

__all__ = ["Cluster", "Nginx", "NGINX", "DEPLOY", "wait_for_url"]

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
UPSTREAM_SERVER = re.compile(r"^(\s*)server\s+\S+:\d+\b[^;]*;[^\n]*\n", re.MULTILINE)


def _as_owner(user: str | None, argv: list[str]) -> list[str]:
    return argv if user is None else ["runuser", "-u", user, "--", *argv]


def wait_for_url(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Until `url` answers (an app server, the test OIDC provider); the deadline only stops waiting for a server
    that never comes up, it is not a speed test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')[-2000:]}")


class Cluster:
    """A PostgreSQL cluster in a temporary directory of its own, on a spare loopback port, that can be
    stopped and started. `url()` connects as the cluster's superuser `skb` (trust on loopback).

    The directory is made here, under the system's temporary directory, because as root the
    cluster runs as `postgres`, who may not enter pytest's own (private) temporary directories."""

    def __init__(self, fsync: bool = False) -> None:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb)")
        self.bin = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="skb-cluster-"))
        self.data = self.dir / "data"
        self.sockets = self.dir / "sock"
        self.log = self.dir / "server.log"
        self.user: str | None = "postgres" if os.geteuid() == 0 else None
        self.port = 0
        self.fsync = fsync

    def _run(self, argv: list[str]) -> None:
        done = subprocess.run(_as_owner(self.user, argv), capture_output=True, text=True, timeout=600)  # a hang only
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                               f"{self.log.read_text(errors='replace')[-2000:] if self.log.exists() else ''}")

    def init(self) -> Cluster:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(exist_ok=True)
        if self.user is not None:
            import pwd

            owner = pwd.getpwnam(self.user)
            os.chmod(self.dir, 0o755)
            for d in (self.dir, self.sockets):
                os.chown(d, owner.pw_uid, owner.pw_gid)
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "skb", "-E", "UTF8",
                   "--locale=C.UTF-8", "--no-sync"])
        return self

    def start(self) -> Cluster:
        """Start on the port it had (a restart), or on a spare one the first time."""
        first = self.port == 0
        for _ in range(5 if first else 1):
            if first:
                self.port = _port()
            try:
                # fsync off for the tests (the cluster is thrown away); on for a measure (benchmarks/pg.py says why).
                sync = "" if self.fsync else "-c fsync=off -c full_page_writes=off "
                self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "300",
                           "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.sockets} {sync}"
                                 "-c max_connections=200", "start"])
                return self
            except RuntimeError as exc:
                if not first or "could not bind" not in str(exc):
                    raise
        raise RuntimeError("five spare ports were taken by others before PostgreSQL could bind them")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; `fast` disconnects every client at once, as a failing database does."""
        subprocess.run(_as_owner(self.user, [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                                             "stop"]), capture_output=True, timeout=120)

    def url(self, database: str = "postgres", user: str = "skb") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=skb dbname={database}", autocommit=True) as c:
            c.execute(statement)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def nginx_conf(prefix: Path, port: int, upstreams: list[str]) -> str:
    """nginx.conf for a prefix of its own, around the shipped deploy/nginx/ files."""
    shipped = (DEPLOY / "nginx" / "skb-upstream.conf").read_text(encoding="utf-8")
    lines = UPSTREAM_SERVER.findall(shipped)
    if not lines:
        raise AssertionError("deploy/nginx/skb-upstream.conf names no `server host:port` line to replace")
    ours = "".join(f"    server {u} max_fails=1 fail_timeout=10s;\n" for u in upstreams)
    upstream = UPSTREAM_SERVER.sub(lambda m: "", shipped, count=0)
    upstream = upstream.replace("    keepalive", ours + "    keepalive", 1)
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'tmp' / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root nginx would hand its workers to `nobody`, who may not write this prefix.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""# Generated by tests/scaleout.py for one test run; the SKB parts are deploy/nginx/ as shipped.
{user}daemon off;
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} notice;
events {{ worker_connections 1024; }}
http {{
    access_log {prefix / 'access.log'};
{temp}
{upstream}
    server {{
        listen 127.0.0.1:{port};
        add_header X-SKB-Upstream $upstream_addr always;
        include {DEPLOY / 'nginx' / 'skb-locations.conf'};
    }}
}}
"""


class Nginx:
    """Debian's nginx on a free loopback port in front of `upstreams` ("127.0.0.1:PORT").

    `port` fixes the port beforehand, when the address must be known before the app servers start
    (sign-in's redirect address names it)."""

    def __init__(self, prefix: Path, upstreams: list[str], port: int | None = None) -> None:
        if NGINX is None:
            raise RuntimeError("nginx is not installed")
        self.prefix = prefix
        self.upstreams = upstreams
        self.fixed = port
        self.port = port or 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Nginx:
        for sub in ("tmp", "logs"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        log = self.prefix / "nginx.out"
        for _ in range(1 if self.fixed else 5):
            self.port = self.fixed or _port()
            conf = self.prefix / "nginx.conf"
            conf.write_text(nginx_conf(self.prefix, self.port, self.upstreams), encoding="utf-8")
            test = subprocess.run([NGINX, "-t", "-p", str(self.prefix), "-c", str(conf)], capture_output=True,
                                  text=True, timeout=60)
            if test.returncode != 0:
                raise RuntimeError(f"nginx -t refused the configuration:\n{test.stderr}")
            with open(log, "ab") as out:
                self.process = subprocess.Popen([NGINX, "-p", str(self.prefix), "-c", str(conf)], stdout=out,
                                                stderr=subprocess.STDOUT, start_new_session=True)
            try:
                # Started after the app servers answer, so nginx answers their health check once it listens.
                wait_for_url(f"{self.url}/_stcore/health", self.process, log)
                return self
            except RuntimeError as exc:
                said = (self.prefix / "error.log").read_text(errors="replace") if (self.prefix / "error.log").exists() else ""
                if self.fixed or "Address already in use" not in str(exc) + said:
                    raise RuntimeError(f"{exc}\n{said[-2000:]}") from None
        raise RuntimeError("five free ports were taken by others before nginx could bind them")

    def served_by(self, cookie: str | None, path: str = "/_stcore/health") -> tuple[str, str | None]:
        """(the X-SKB-Upstream nginx answered with, the routing cookie it set, if any) for a request with that routing cookie."""
        request = urllib.request.Request(self.url + path)
        if cookie is not None:
            request.add_header("Cookie", f"skb_server={cookie}")
        with urllib.request.urlopen(request, timeout=30) as response:
            ours = [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("skb_server=")]
            return response.headers.get("X-SKB-Upstream", ""), ours[0] if ours else None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGQUIT)  # graceful: finish the requests under way
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
