"""`make load`: many people working in SKB at once, on one app server or two behind nginx.

    python -m benchmarks.load                        # 10, 25 and 50 sessions, on one server and on two
    python -m benchmarks.load --sessions 50 --servers 2 --duration 90
    python -m benchmarks.load --sessions 50 --servers 2 --outage-at 30 --outage-for 10
    python -m benchmarks.load --markdown             # the table also as Markdown, as in docs/performance.md

Everything runs on loopback: a PostgreSQL cluster of its own (fsync on), N `streamlit run` servers
of SKB on it, and Debian's nginx in front with the shipped deploy/nginx/ configuration (also for
one server, so both figures take the same path). Each session is one person: a client that speaks
Streamlit's own websocket protocol (the protobuf messages the browser sends and receives, through
nginx's /_stcore/stream), on an assessment of its own of the integrated checklist. It opens the
wizard, then, a few seconds apart (uniformly 2 to 5 s), answers a question of the step it is on
(the answer is autosaved) or goes to the next step; after the last step it starts again at the
first. A browser would also draw each page; this client only reads what the server sends, so the
figures are the server's side (the wizard's drawing in Chromium is `make bench`'s).

It reports, per configuration:
- answer to saved: from the answer sent to the end of the run whose page says "Saved … (version
  N)" with this answer's version (p50, p95);
- next: from the "next" click sent to the end of the run that draws the next step (p50, p95);
- errors: a run that ends without its page, shows an error, or a save that is not confirmed;
- lost answers: after the run, every answer each session last gave is read back from the
  database; one that is not there is lost. Must be 0;
- the servers' peak resident memory, the database's peak connections, the servers' CPU time per
  script run, and the machine's load average before and after (the machine may be shared).

Bounded: at most 100 sessions and 300 s per configuration; the defaults take about eight minutes.
With --outage-at/--outage-for the cluster is stopped (`pg_ctl stop -m fast`) that far into the run
and started again that much later: the sessions that were saving then see "cannot save, retrying"
and must lose nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .context import ROOT
from .region import NGINX, Cluster, Nginx
from .server import StreamlitServer, rss_mb

__all__ = ["main", "run_load", "LoadResult"]

MAX_SESSIONS = 100
MAX_DURATION_S = 300
PAUSE_S = (2.0, 5.0)  # between one person's actions
CHECKLIST = ROOT / "checklists" / "skb-integrerad.yaml"
SAVED = re.compile(r"Saved \d\d:\d\d:\d\d \(version (\d+)\)")
UNSAVED = "Cannot save right now"
ANSWER_KEY = re.compile(r"-(w:([A-Za-z0-9_\-]+):([^:]+):([^:]+):value)$")


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Tally:
    """What every session of one configuration measured, shared (one event loop, no locks needed)."""

    saved_s: list[float] = field(default_factory=list)
    next_s: list[float] = field(default_factory=list)
    saved_in_outage_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runs: int = 0
    answers: int = 0
    unsaved_banners: int = 0  # sessions that showed "cannot save, retrying"


class Person:
    """One browser session, speaking Streamlit's websocket protocol: what it sends, what it reads."""

    def __init__(self, index: int, ws_url: str, assessment_id: str, tally: Tally, rng: random.Random,
                 outage: tuple[float, float] | None) -> None:
        self.index = index
        self.ws_url = ws_url
        self.aid = assessment_id
        self.tally = tally
        self.rng = rng
        self.outage = outage  # (start, end) on the loop's clock, while the database is away
        self.cookie = uuid.uuid4().hex  # nginx's routing cookie: which server this person sticks to
        self.query = f"id={assessment_id}&step=1&lang=en"
        self.page_hash = ""
        self.ws: Any = None
        self.finished: asyncio.Future[int] | None = None
        self.radios: dict[str, tuple[str, str, list[str]]] = {}  # widget id -> (criterion, alternative, options)
        self.buttons: dict[str, str] = {}  # user key -> widget id
        self.markdown: list[str] = []
        self.exceptions: list[str] = []
        self.fragments: dict[str, float] = {}  # fragment id -> auto-rerun interval
        self.revision = 1
        self.given: dict[tuple[str, str], int] = {}  # (criterion, alternative) -> option index last given
        self.pending: list[tuple[float, int]] = []  # (sent at, the version that confirms it)
        self.showed_banner = False
        self.fragment_run = False  # the run asked for is a fragment's: its start does not clear the page
        self.fired: dict[str, float] = {}  # fragment id -> when its timer last fired
        self.lock = asyncio.Lock()

    # -- the protocol --

    async def _receive(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        async for raw in self.ws:
            msg = ForwardMsg.FromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":  # a run starts: a full run draws the page anew, a fragment's only itself
                if self.fragment_run:
                    self.fragment_run = False
                else:
                    self.radios, self.buttons, self.markdown, self.fragments = {}, {}, [], {}
            elif kind == "navigation":
                for page in msg.navigation.app_pages:
                    if page.url_pathname == "wizard":
                        self.page_hash = page.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                self.fragments.clear()
            elif kind == "delta":
                self._element(msg.delta)
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    continue
                if self.finished is not None and not self.finished.done():
                    self.finished.set_result(status)

    def _element(self, delta: Any) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "radio":
            found = ANSWER_KEY.search(element.radio.id)
            if found and not element.radio.disabled:
                self.radios[element.radio.id] = (found.group(3), found.group(4), list(element.radio.options))
        elif kind == "button":
            self.buttons[element.button.id.rsplit("-", 1)[-1]] = element.button.id
        elif kind == "markdown":
            self.markdown.append(element.markdown.body)
        elif kind in ("alert",):
            self.markdown.append(element.alert.body)
        elif kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])

    async def _run(self, widgets: list[Any], fragment_id: str = "") -> float:
        """Send one rerun (a page load, a widget changed, a fragment's timer) and wait for its end; seconds."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        back = BackMsg()
        back.rerun_script.query_string = self.query
        back.rerun_script.page_script_hash = self.page_hash
        back.rerun_script.page_name = "" if self.page_hash else "wizard"
        back.rerun_script.widget_states.widgets.extend(widgets)
        if fragment_id:
            back.rerun_script.fragment_id = fragment_id
            back.rerun_script.is_auto_rerun = True
            self.fragment_run = True
        self.exceptions = []
        loop = asyncio.get_running_loop()
        self.finished = loop.create_future()
        sent = loop.time()
        await self.ws.send(back.SerializeToString())
        await asyncio.wait_for(self.finished, timeout=120)
        took = loop.time() - sent
        self.tally.runs += 1
        if self.exceptions:
            self.tally.errors.append(f"session {self.index}: {self.exceptions[0]}")
        self._read_page(loop.time())
        return took

    def _read_page(self, now: float) -> None:
        """After a run: the version the page says is saved confirms the answers waiting for it."""
        text = "\n".join(self.markdown)
        if UNSAVED in text and not self.showed_banner:
            self.showed_banner = True
            self.tally.unsaved_banners += 1
        if UNSAVED in text:
            return
        saved = [int(v) for v in SAVED.findall(text)]
        if not saved:
            return
        version = max(saved)
        still = []
        for sent, needs in self.pending:
            if version >= needs:
                in_outage = self.outage is not None and sent < self.outage[1] + 5 and now > self.outage[0]
                (self.tally.saved_in_outage_s if in_outage else self.tally.saved_s).append(now - sent)
            else:
                still.append((sent, needs))
        self.pending = still
        self.revision = max(self.revision, version)

    # -- a person --

    async def _answer(self) -> bool:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        if not self.radios:
            return False
        wid = self.rng.choice(sorted(self.radios))
        criterion, alternative, options = self.radios[wid]
        before = self.given.get((criterion, alternative))
        choices = [i for i in range(len(options)) if i != before]
        index = self.rng.choice(choices)
        state = WidgetState(id=wid, string_value=options[index])
        self.given[(criterion, alternative)] = index
        self.tally.answers += 1
        # Each answer is one new version, unless earlier ones are still waiting (then all go in one).
        self.pending.append((asyncio.get_running_loop().time(), self.revision + 1))
        await self._run([state])
        return True

    async def _click(self, key: str) -> float | None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        wid = self.buttons.get(key)
        if wid is None:
            return None
        return await self._run([WidgetState(id=wid, trigger_value=True)])

    async def _timers(self, stop: asyncio.Event) -> None:
        """The browser's side of `st.fragment(run_every=...)`: rerun each fragment on its timer."""
        while not stop.is_set():
            await asyncio.sleep(0.5)
            for fragment_id, interval in list(self.fragments.items()):
                now = asyncio.get_running_loop().time()
                last = self.fired.setdefault(fragment_id, now)
                if now - last >= interval and not self.lock.locked():
                    self.fired[fragment_id] = now
                    async with self.lock:
                        try:
                            await self._run([], fragment_id=fragment_id)
                        except Exception as exc:  # noqa: BLE001 - counted, the person goes on
                            self.tally.errors.append(f"session {self.index}: fragment run: {exc!r}"[:300])

    async def work(self, until: float, settle_until: float) -> None:
        from websockets.asyncio.client import connect

        loop = asyncio.get_running_loop()
        await asyncio.sleep(self.rng.uniform(0, PAUSE_S[1]))  # people do not all arrive in the same second
        stop = asyncio.Event()
        try:
            async with connect(self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=120,
                               additional_headers={"Cookie": f"skb_server={self.cookie}"}, ping_interval=None) as ws:
                self.ws = ws
                receiver = asyncio.create_task(self._receive())
                timers = asyncio.create_task(self._timers(stop))
                try:
                    async with self.lock:
                        await self._run([])
                    answered_here = 0
                    while loop.time() < until:
                        await asyncio.sleep(self.rng.uniform(*PAUSE_S))
                        async with self.lock:
                            if answered_here < 2 and self.radios:
                                await self._answer()
                                answered_here += 1
                            elif "next" in self.buttons:
                                took = await self._click("next")
                                if took is not None:
                                    self.tally.next_s.append(took)
                                answered_here = 0
                            else:  # the last step: back to the first, as from the list of steps
                                await self._click("step:0")
                                answered_here = 0
                    # The run is over: wait (without new answers) until every answer is confirmed.
                    while self.pending and loop.time() < settle_until:
                        await asyncio.sleep(1)
                        if not self.fragments and self.pending:  # nothing retrying: ask the page again
                            async with self.lock:
                                await self._run([])
                    for sent, needs in self.pending:
                        self.tally.errors.append(f"session {self.index}: an answer never confirmed saved "
                                                 f"(version {needs})")
                finally:
                    stop.set()
                    timers.cancel()
                    receiver.cancel()
        except Exception as exc:  # noqa: BLE001 - a session that fails is an error in the table, not a crash
            self.tally.errors.append(f"session {self.index}: {exc!r}"[:300])


# --- the region -------------------------------------------------------------------------------


@dataclass
class LoadResult:
    servers: int
    sessions: int
    duration_s: float
    tally: Tally
    lost: int
    checked: int
    rss_mb: list[float]
    db_connections: int
    cpu_ms_per_run: float | None
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    driver_cpu_s: float = 0.0  # this process (the sessions' client) competes for the same cores
    outage: tuple[float, float] | None = None

    def figures(self) -> dict[str, Any]:
        t = self.tally
        return {
            "servers": self.servers, "sessions": self.sessions, "duration_s": round(self.duration_s, 1),
            "answers": t.answers, "runs": t.runs, "runs_per_s": round(t.runs / self.duration_s, 1),
            "answer_to_saved_p50_ms": _ms(_percentile(t.saved_s, 0.5)),
            "answer_to_saved_p95_ms": _ms(_percentile(t.saved_s, 0.95)),
            "next_p50_ms": _ms(_percentile(t.next_s, 0.5)), "next_p95_ms": _ms(_percentile(t.next_s, 0.95)),
            "saved_during_outage": len(t.saved_in_outage_s),
            "saved_during_outage_max_s": round(max(t.saved_in_outage_s), 1) if t.saved_in_outage_s else None,
            "sessions_shown_cannot_save": t.unsaved_banners,
            "errors": len(t.errors), "error_examples": t.errors[:5],
            "lost_answers": self.lost, "answers_checked": self.checked,
            "rss_mb_peak": [round(r) for r in self.rss_mb], "db_connections_peak": self.db_connections,
            "cpu_ms_per_run": round(self.cpu_ms_per_run, 1) if self.cpu_ms_per_run is not None else None,
            "load_before": [round(x, 1) for x in self.load_before],
            "load_after": [round(x, 1) for x in self.load_after],
            "driver_cpu_s": round(self.driver_cpu_s, 1),
            "outage": self.outage,
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000)


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """Every second: the servers' resident memory and the database's connections, keeping the peaks."""

    def __init__(self, pids: list[int], conninfo: str) -> None:
        super().__init__(daemon=True)
        self.pids, self.conninfo = pids, conninfo
        self.rss = [0.0 for _ in pids]
        self.connections = 0
        self.halt = threading.Event()

    def run(self) -> None:
        import psycopg

        while not self.halt.wait(1.0):
            for i, pid in enumerate(self.pids):
                try:
                    self.rss[i] = max(self.rss[i], rss_mb(pid))
                except Exception:  # noqa: BLE001 - a server killed or restarting: its last peak stands
                    pass
            try:
                with psycopg.connect(self.conninfo, connect_timeout=2) as conn:
                    count = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = 'skb' "
                                         "AND pid <> pg_backend_pid()").fetchone()
                self.connections = max(self.connections, int(count[0]) if count else 0)
            except Exception:  # noqa: BLE001 - the database is away (an outage run): nothing to count
                pass


def _assessments(url: str, n: int) -> list[str]:
    from assessment.answers.model import new_assessment
    from assessment.store.storage import open_store
    from assessment.checklist.validate import load_checklist

    checklist = load_checklist(CHECKLIST)
    ids = []
    with open_store(url) as store:
        for i in range(n):
            a = new_assessment(checklist, f"Belastning {i + 1}: Örebro – Łódź", municipality="Örebro")
            store.create(a, "Lasttest Şahin")
            ids.append(a.id)
    return ids


def _lost(url: str, people: list[Person]) -> tuple[int, int]:
    """Answers each person gave last that the database does not hold; and how many were checked."""
    from assessment.checklist.checklist import AnswerType
    from assessment.store.storage import open_store
    from ui.widgets import _options  # the wizard's own options, in the order its radios show them

    lost = checked = 0
    with open_store(url) as store:
        for person in people:
            stored = store.load(person.aid).assessment
            for (criterion, alternative), index in person.given.items():
                crit = stored.checklist.criterion(criterion)
                alt = None if alternative == "-" else alternative
                options = [True, False] if crit.type == AnswerType.YES_NO else _options(crit, stored.checklist)
                expected = options[index]
                answer = stored.answer(criterion, alt)
                checked += 1
                if answer is None or answer.value != expected:
                    lost += 1
    return lost, checked


@dataclass
class Region:
    cluster: Cluster
    url: str
    servers: list[StreamlitServer]
    nginx: Nginx


def _start_region(cluster: Cluster, url: str, servers: int, workdir: Path) -> Region:
    env = {"SKB_DATABASE_URL": url, "SKB_MODE": "local", "SKB_DATA_DIR": str(workdir / "data")}
    started = []
    for i in range(servers):
        server = StreamlitServer(ROOT / "streamlit_app.py", env=env, log=workdir / f"streamlit-{i}.log")
        server.start(timeout=180)
        started.append(server)
    nginx = Nginx(workdir / f"nginx-{uuid.uuid4().hex[:6]}", [f"127.0.0.1:{s.port}" for s in started]).start()
    return Region(cluster, url, started, nginx)


def _stop_region(region: Region) -> None:
    region.nginx.stop()
    for server in region.servers:
        server.stop()


def run_load(cluster: Cluster, url: str, sessions: int, servers: int, duration: float, workdir: Path,
             outage_at: float | None = None, outage_for: float = 10.0, seed: int = 18) -> LoadResult:
    """One configuration: `sessions` people on `servers` app servers for `duration` seconds."""
    sessions = min(sessions, MAX_SESSIONS)
    duration = min(duration, MAX_DURATION_S)
    region = _start_region(cluster, url, servers, workdir)
    try:
        ids = _assessments(url, sessions)
        tally = Tally()
        rng = random.Random(seed)
        ws_url = region.nginx.url.replace("http://", "ws://") + "/_stcore/stream"
        sampler = Sampler([s.pid for s in region.servers], f"host=127.0.0.1 port={cluster.port} user=skb "
                                                             "dbname=postgres")
        cpu_before = [_cpu_s(s.pid) for s in region.servers]
        load_before = os.getloadavg()
        sampler.start()
        outage_window: list[tuple[float, float]] = []

        async def main() -> list[Person]:
            loop = asyncio.get_running_loop()
            start = loop.time()
            window = (start + outage_at, start + outage_at + outage_for) if outage_at is not None else None
            people = [Person(i, ws_url, aid, tally, random.Random(rng.random()), window)
                      for i, aid in enumerate(ids)]
            until, settle = start + duration, start + duration + 90
            tasks = [asyncio.create_task(p.work(until, settle)) for p in people]
            if window is not None:
                await asyncio.sleep(outage_at)
                await asyncio.to_thread(cluster.stop, "fast")
                stopped = loop.time()
                await asyncio.sleep(max(0.0, outage_for - (loop.time() - stopped)))
                await asyncio.to_thread(cluster.start)
                outage_window.append((round(stopped - start, 1), round(loop.time() - start, 1)))
            await asyncio.gather(*tasks)
            return people

        driver = os.times()
        people = asyncio.run(main())
        driver_cpu = (os.times().user - driver.user) + (os.times().system - driver.system)
        sampler.halt.set()
        sampler.join(timeout=10)
        cpu = sum(_cpu_s(s.pid) for s in region.servers) - sum(cpu_before)
        load_after = os.getloadavg()
        lost, checked = _lost(url, people)
        return LoadResult(servers, sessions, duration, tally, lost, checked, sampler.rss, sampler.connections,
                          cpu * 1000 / tally.runs if tally.runs else None, load_before, load_after,
                          driver_cpu, outage_window[0] if outage_window else None)
    finally:
        _stop_region(region)


# --- the command ----------------------------------------------------------------------------


HEAD = ("servers", "sessions", "answers", "runs/s", "answer→saved p50 / p95 ms", "next p50 / p95 ms", "errors", "lost",
        "peak RSS per server MB", "peak DB conns", "server CPU ms per run", "client CPU s",
        "load avg before → after")


def _row(r: LoadResult) -> list[str]:
    f = r.figures()

    def pair(a: Any, b: Any) -> str:
        return f"{a if a is not None else '–'} / {b if b is not None else '–'}"

    return [str(r.servers), str(r.sessions), str(f["answers"]), str(f["runs_per_s"]),
            pair(f["answer_to_saved_p50_ms"], f["answer_to_saved_p95_ms"]), pair(f["next_p50_ms"], f["next_p95_ms"]),
            str(f["errors"]), f"{f['lost_answers']} of {f['answers_checked']}",
            ", ".join(str(x) for x in f["rss_mb_peak"]), str(f["db_connections_peak"]),
            str(f["cpu_ms_per_run"]), str(f["driver_cpu_s"]), f"{r.load_before[0]:.1f} → {r.load_after[0]:.1f}"]


def _table(results: list[LoadResult], markdown: bool) -> str:
    rows = [list(HEAD)] + [_row(r) for r in results]
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows)


@dataclass
class Plan:
    sessions: list[int]
    servers: list[int]
    duration: float
    outage_at: float | None
    outage_for: float

    def configurations(self) -> Iterator[tuple[int, int]]:
        for servers in self.servers:
            for sessions in self.sessions:
                yield sessions, servers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 25, 50],
                        help=f"concurrent sessions, one configuration each (at most {MAX_SESSIONS})")
    parser.add_argument("--servers", type=int, nargs="+", default=[1, 2], choices=[1, 2, 3, 4],
                        help="app servers behind nginx, one configuration each")
    parser.add_argument("--duration", type=float, default=60,
                        help=f"seconds each configuration runs (at most {MAX_DURATION_S})")
    parser.add_argument("--outage-at", type=float, default=None,
                        help="stop PostgreSQL this many seconds into each run ...")
    parser.add_argument("--outage-for", type=float, default=10, help="... and start it again this much later")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "load.json",
                        help="where to write every figure (default benchmarks/results/load.json)")
    args = parser.parse_args(argv)
    if NGINX is None:
        print("make load needs nginx (apt-get install nginx)", file=sys.stderr)
        return 2
    if any(n < 1 or n > MAX_SESSIONS for n in args.sessions) or not 5 <= args.duration <= MAX_DURATION_S:
        parser.error(f"sessions 1..{MAX_SESSIONS}, duration 5..{MAX_DURATION_S} s")
    plan = Plan(args.sessions, args.servers, args.duration, args.outage_at, args.outage_for)
    results: list[LoadResult] = []
    with tempfile.TemporaryDirectory(prefix="skb-load-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)
        cluster = Cluster(fsync=True).init().start()
        try:
            cluster.sql("CREATE DATABASE skb ENCODING 'UTF8' TEMPLATE template0")
            url = cluster.url("skb") + "?connect_timeout=5"
            from assessment.store.storage import open_store

            open_store(url).close()  # the schema, before any server starts
            for sessions, servers in plan.configurations():
                print(f"… {sessions} sessions on {servers} server(s) for {plan.duration:.0f} s"
                      + (f", PostgreSQL away at {plan.outage_at:.0f} s for {plan.outage_for:.0f} s"
                         if plan.outage_at is not None else ""), flush=True)
                result = run_load(cluster, url, sessions, servers, plan.duration, workdir, plan.outage_at,
                                  plan.outage_for)
                results.append(result)
                print(_table([result], markdown=False).splitlines()[-1], flush=True)
        finally:
            cluster.remove()
    print()
    print(f"Machine: {os.cpu_count()} CPUs; load average now {os.getloadavg()[0]:.1f}")
    print(_table(results, markdown=False))
    if args.markdown:
        print()
        print(_table(results, markdown=True))
    for r in results:
        if r.tally.errors:
            print(f"\n{r.sessions} sessions on {r.servers} server(s): {len(r.tally.errors)} errors, e.g.")
            for e in r.tally.errors[:5]:
                print("  " + e)
        if r.outage:
            f = r.figures()
            print(f"\nOutage ({r.sessions} sessions, {r.servers} servers): PostgreSQL stopped at {r.outage[0]} s, "
                  f"back at {r.outage[1]} s; {f['sessions_shown_cannot_save']} sessions showed 'cannot save, "
                  f"retrying'; {f['saved_during_outage']} answers saved once it was back (the slowest after "
                  f"{f['saved_during_outage_max_s']} s); lost {f['lost_answers']}.")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": {"cpus": os.cpu_count()}, "duration_s": plan.duration,
                                     "results": [r.figures() for r in results]}, indent=2, ensure_ascii=False),
                         encoding="utf-8")
    bad = sum(r.lost for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
