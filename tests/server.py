"""A real `streamlit run` of SKB for browser and fault tests.

`AppServer` starts the app on a free loopback port with its own data directory
(never the user's), waits until `/_stcore/health` answers, and can be stopped,
killed with SIGKILL and started again on the same port and data, as a server
restart would. The `app_server` fixture gives one per test, with the test data
checklists installed beside the reference ones.

Another test run may share the machine: a port is asked of the kernel, never
fixed, and if a neighbour takes it between the asking and Streamlit's binding,
the server starts again on another. The waits here only stop a server that
hangs; how fast it starts is `make bench`'s (cold-start).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.region import wait_for_url  # the one wait for a helper server to answer (tests re-export it)

__all__ = ["wait_for_url", "AppServer", "free_port", "app_server", "BROWSER_WAIT_MS", "watch_runs", "wait_for_the_run"]

ROOT = Path(__file__).resolve().parent.parent
TEST_CHECKLISTS = ROOT / "tests" / "data"

# How long a browser test waits for the page to show something before it gives up (ms). Only a
# hang stops there: with two suites side by side, each worker running Streamlit and Chromium on
# two cores, a page is slow, never wrong.
BROWSER_WAIT_MS = 90_000
# How long a server may take to answer its health check before it counts as hung (s).
START_WAIT_S = 180


class ScriptRuns:
    """The script runs of one browser page, read off its websocket.

    Every run starts with the page asking for it (a `rerun_script` message: an
    answer clicked, a field left, a page loaded) and ends with the server's
    `script_finished`. So a test can wait for the run its own action asked for,
    however long a busy machine takes to send, run and answer it, instead of
    guessing with a pause or reading the page's spinner (which a fast run on a
    busy browser may never draw)."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.asked = 0  # runs asked for
        self.answered = 0  # of those, how many had been asked when a run last finished
        self.settled_at = 0  # `asked` when a test last waited
        page.on("websocket", self._socket)

    def _socket(self, socket) -> None:  # type: ignore[no-untyped-def]
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload: str | bytes) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if isinstance(payload, bytes):
            try:
                if BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
                    self.asked += 1
            except Exception:  # not a message of ours to count
                pass

    def _received(self, payload: str | bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, bytes):
            try:
                msg = ForwardMsg.FromString(payload)
            except Exception:
                return
            if msg.WhichOneof("type") == "script_finished" and \
                    msg.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                self.answered = self.asked

    def wait(self) -> None:
        """Until a run asked for since the last wait has finished, and none is left asked for."""
        # Not a speed test: this deadline only stops waiting for a page that never answers.
        deadline = time.monotonic() + BROWSER_WAIT_MS / 1000
        while not (self.asked > self.settled_at and self.answered == self.asked):
            if time.monotonic() > deadline:
                raise AssertionError(f"no script run ended in {BROWSER_WAIT_MS / 1000:.0f} s after the last action "
                                     f"(asked {self.asked}, answered {self.answered}): the server hangs")
            self.page.wait_for_timeout(50)  # lets Playwright deliver the websocket's frames
        self.settled_at = self.asked


def watch_runs(context):  # type: ignore[no-untyped-def]
    """Count the script runs of every page that the Playwright browser `context` opens from now on."""
    context.on("page", lambda page: setattr(page, "skb_runs", ScriptRuns(page)))
    return context


def wait_for_the_run(page) -> None:  # type: ignore[no-untyped-def]
    """Until the script run that the page's last action asked for has ended (see `ScriptRuns`).

    A page whose context is not watched (`watch_runs`) does not wait here."""
    runs = getattr(page, "skb_runs", None)
    if runs is not None:
        runs.wait()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PortTaken(Exception):
    """Another process bound the port between `free_port()` and Streamlit's start."""


class AppServer:
    """`streamlit run streamlit_app.py` on 127.0.0.1:`port`, storing in `data_dir`."""

    def __init__(self, data_dir: Path, port: int | None = None, env: dict[str, str] | None = None,
                 log: Path | None = None, options: list[str] | None = None) -> None:
        self.data_dir = data_dir
        self.own_port = port is None  # ours to change if a neighbour takes it before Streamlit binds it
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The user's own database must never be touched: only what `env` names.
        inherited = {k: v for k, v in os.environ.items() if k != "SKB_DATABASE_URL"}
        self.env = {**inherited, "SKB_DATA_DIR": str(data_dir), **(env or {})}
        self.log = log or data_dir.parent / f"streamlit-{self.port}.log"
        self.options = list(options or [])  # further `streamlit run` options, e.g. --secrets.files=...
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = START_WAIT_S) -> AppServer:
        # Only a first start may move: a restart is the same server, on the same port, as a browser knows it.
        may_move = self.own_port and self.process is None
        for _ in range(5):
            try:
                return self._start(timeout)
            except PortTaken:
                if not may_move:
                    raise
                self.port = free_port()
                self.url = f"http://127.0.0.1:{self.port}"
        raise RuntimeError(f"five free ports were taken by others before streamlit could bind them; see {self.log}")

    def _start(self, timeout: float) -> AppServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
                   "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={self.port}",
                   "--browser.gatherUsageStats=false", "--server.fileWatcherType=none", *self.options]
        logged = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        # Not a speed test: this only stops waiting for a server that never comes up.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = self.log.read_bytes()[logged:].decode("utf-8", "replace") if self.log.exists() else ""
                if "is not available" in said or "already in use" in said:  # Streamlit words it so
                    raise PortTaken(self.port)
                raise RuntimeError(f"streamlit exited with {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not answer its health check within {timeout:.0f} s (hung?); "
                           f"see {self.log}")

    def _signal(self, sig: int, wait: float) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, sig)  # the server and anything it started, nothing else
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, 10)

    def kill(self) -> None:
        """SIGKILL, as a crash would: nothing gets to clean up."""
        self._signal(signal.SIGKILL, 10)

    def restart(self) -> AppServer:
        self.stop()
        return self.start()

    def logs(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[AppServer]:
    """A running SKB on a free port with an empty data directory and the test checklists installed."""
    with AppServer(tmp_path / "data", env={"SKB_CHECKLIST_DIR": str(TEST_CHECKLISTS)}) as server:
        yield server
