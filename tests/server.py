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

__all__ = ["AppServer", "free_port", "app_server", "BROWSER_WAIT_MS"]

ROOT = Path(__file__).resolve().parent.parent
TEST_CHECKLISTS = ROOT / "tests" / "data"

# How long a browser test waits for the page to show something before it gives up (ms). Only a
# hang stops there: with two suites side by side, each worker running Streamlit and Chromium on
# two cores, a page is slow, never wrong.
BROWSER_WAIT_MS = 90_000
# How long a server may take to answer its health check before it counts as hung (s).
START_WAIT_S = 180


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PortTaken(Exception):
    """Another process bound the port between `free_port()` and Streamlit's start."""


class AppServer:
    """`streamlit run streamlit_app.py` on 127.0.0.1:`port`, storing in `data_dir`."""

    def __init__(self, data_dir: Path, port: int | None = None, env: dict[str, str] | None = None,
                 log: Path | None = None) -> None:
        self.data_dir = data_dir
        self.own_port = port is None  # ours to change if a neighbour takes it before Streamlit binds it
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The user's own database must never be touched: only what `env` names.
        inherited = {k: v for k, v in os.environ.items() if k != "SKB_DATABASE_URL"}
        self.env = {**inherited, "SKB_DATA_DIR": str(data_dir), **(env or {})}
        self.log = log or data_dir.parent / f"streamlit-{self.port}.log"
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
                   "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]
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
