"""A real `streamlit run` server for the benchmarks (and the fault tests): cold start and memory.

`StreamlitServer` starts `streamlit run SCRIPT` on a spare loopback port in its
own temporary data directory, waits until the first page is served, and stops
the process it started (and only that one). Cold start is the time from
launching the command to the first page drawn in Chromium (its heading shown
and its script run finished; without Chromium, to the first HTTP 200 for `/`);
the floor is the same for a bare script. Memory is the server's resident set size (VmRSS) with 20
browser sessions open on the wizard, each on its own assessment; the floor is
a bare script with 20 sessions.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .context import ROOT, Context
from .harness import NotMeasured, Row, stats

__all__ = ["StreamlitServer", "spare_port", "rss_mb", "bare_script", "cold_start", "memory_20_sessions",
           "open_sessions", "close_sessions"]

APP = "streamlit_app.py"


def spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident set size of a process, in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise NotMeasured("no VmRSS in /proc: cannot read the server's memory")


def bare_script(directory: Path, body: str = 'import streamlit as st\n\nst.title("SKB")\nst.write("Hej")\n') -> Path:
    path = Path(directory) / "bare_app.py"
    path.write_text(body, encoding="utf-8")
    return path


class StreamlitServer:
    """`streamlit run script` on a spare port; use as a context manager, or start()/stop().

    `env` is added to the environment (e.g. SKB_DATA_DIR). `port` may be given
    to restart a server where a page expects it."""

    def __init__(self, script: Path, cwd: Path = ROOT, env: dict[str, str] | None = None,
                 port: int | None = None, log: Path | None = None) -> None:
        self.script = Path(script)
        self.cwd = Path(cwd)
        self.env = {**os.environ, **(env or {})}
        self.port = port or spare_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.started_in: float | None = None
        self.launched_at = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("the server is not running")
        return self.process.pid

    def start(self, timeout: float = 60.0) -> float:
        """Launch the server; returns the seconds until `/` was first served."""
        if not self.script.exists():
            raise NotMeasured(f"{self.script.name} does not exist yet")
        argv = [sys.executable, "-m", "streamlit", "run", str(self.script),
                "--server.headless", "true", "--server.port", str(self.port), "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
                "--global.developmentMode", "false"]
        out: Any = open(self.log, "ab") if self.log else subprocess.DEVNULL
        start = self.launched_at = time.perf_counter()
        self.process = subprocess.Popen(argv, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        if self.log:
            out.close()
        deadline = start + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode} before serving a page")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as resp:
                    if resp.status == 200:
                        self.started_in = time.perf_counter() - start
                        return self.started_in
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"streamlit did not serve a page within {timeout:.0f} s")

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no clean-up runs."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def __enter__(self) -> StreamlitServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _app_env(ctx: Context, name: str) -> dict[str, str]:
    data = ctx.subdir(name)
    return {"SKB_DATA_DIR": str(data), "SKB_DATABASE_URL": f"sqlite:///{data / 'skb.sqlite'}"}


def _first_page(server: StreamlitServer, page: Any | None) -> tuple[float, float]:
    """Start `server`; seconds from launch to `/` served, and to the first page drawn in `page`
    (its first heading shown and its script run finished), or the same twice without a browser."""
    from .browser import wait_idle

    http = server.start()
    if page is None:
        return http, http
    page.goto(server.url + "/", wait_until="commit")
    page.locator("h1").first.wait_for(timeout=60_000)
    wait_idle(page, 60_000)
    return http, time.perf_counter() - server.launched_at


def cold_start(ctx: Context) -> Row:
    from .browser import chromium_missing, launch

    app = ctx.root / APP
    if not app.exists():
        raise NotMeasured(f"{APP} (the wizard) does not exist yet")
    bare = bare_script(ctx.subdir("bare-cold"))
    n = ctx.n(3, 1)
    ours: list[float] = []
    base: list[float] = []
    ours_http: list[float] = []
    browser_missing = chromium_missing()
    pw = browser = None
    if not browser_missing:
        pw, browser = launch()
    try:
        for i in range(n):
            for script, cwd, env, into, http_into in ((bare, bare.parent, {}, base, None),
                                                      (app, ctx.root, _app_env(ctx, f"cold-{i}"), ours, ours_http)):
                context = browser.new_context() if browser else None
                server = StreamlitServer(script, cwd=cwd, env=env)
                try:
                    http, drawn = _first_page(server, context.new_page() if context else None)
                finally:
                    server.stop()
                    if context:
                        context.close()
                into.append(drawn)
                if http_into is not None:
                    http_into.append(http)
    finally:
        if browser:
            browser.close()
            pw.stop()
    o, b = stats(ours), stats(base)
    if browser_missing:
        note = f"first HTTP 200 for / only ({browser_missing}); the start page's script run is not in it"
    else:
        note = (f"launch to the start page drawn in Chromium (heading shown, script run finished); "
                f"the first HTTP 200 for / came after {stats(ours_http).median:.2f} s")
    return Row(measure="Cold start: streamlit run to the first page served", unit="s",
               figures={"median": o.median, "max": o.max}, floor={"median": b.median},
               floor_name="streamlit run of a bare two-line script", samples=o.n, note=note)


def open_sessions(urls: list[str], ready_text: str | None = None, timeout_ms: int = 120_000) -> Any:
    """Open one Chromium tab (one Streamlit session) per URL, all loading at once, and wait until
    each shows `ready_text` and has finished its script run.

    Returns (playwright, browser, pages); the caller closes them with `close_sessions`."""
    from .browser import launch, wait_idle

    pw, browser = launch()
    try:
        context = browser.new_context()
        pages = [context.new_page() for _ in urls]
        for page, url in zip(pages, urls):
            page.goto(url, wait_until="commit")
        for page in pages:
            if ready_text:
                page.get_by_text(ready_text, exact=False).first.wait_for(timeout=timeout_ms)
            wait_idle(page, timeout_ms)
    except Exception:
        close_sessions(pw, browser)
        raise
    return pw, browser, pages


def close_sessions(pw: Any, browser: Any) -> None:
    browser.close()
    pw.stop()


def memory_20_sessions(ctx: Context) -> Row:
    from . import wizard
    from .browser import need_chromium

    need_chromium()
    app = ctx.root / APP
    if not app.exists():
        raise NotMeasured(f"{APP} (the wizard) does not exist yet")
    sessions = 20
    bare_dir = ctx.subdir("bare-memory")
    bare = bare_script(bare_dir, wizard.BARE_WIZARD_LIKE)
    with StreamlitServer(bare, cwd=bare_dir) as s:
        base_idle = s.rss_mb()
        pw, browser, _ = open_sessions([s.url] * sessions, ready_text="Fråga")
        time.sleep(1.0)
        base = s.rss_mb()
        close_sessions(pw, browser)
    env = _app_env(ctx, "memory")
    checklist, ids, step = wizard.seed_store(env["SKB_DATABASE_URL"], sessions)
    with StreamlitServer(ctx.root / APP, env=env) as s:
        idle = s.rss_mb()
        urls = [wizard.wizard_url(s.url, i, step) for i in ids]
        first_question = wizard.first_question_text(checklist, step)
        pw, browser, _ = open_sessions(urls, ready_text=first_question)
        time.sleep(1.0)
        ours = s.rss_mb()
        close_sessions(pw, browser)
    return Row(measure="Memory: server RSS with 20 sessions open", unit="MB",
               figures={"value": ours, "idle": idle}, headline="value", floor={"value": base, "idle": base_idle},
               floor_name="bare script drawing a radio and a text area, 20 sessions", samples=1,
               note=f"each session on its own assessment of {checklist.id}, on its largest step; "
                    f"RSS before any session: {idle:.0f} MB (floor {base_idle:.0f} MB)")
