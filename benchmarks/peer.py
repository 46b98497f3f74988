"""The peer, in the same browser and the same run: Canada's Algorithmic Impact Assessment.

The peer is the built web site of the Government of Canada's open-source
Algorithmic Impact Assessment (aia-eia-js, MIT; Vue 2 and SurveyJS, everything
in the browser), kept beside the project in `../shared/peer/`. Its README says
how it was built, how it is served and where its questions, "Next" button and
live score are in the page. Here it is served by Python's `http.server` on a
spare loopback port, and Chromium resolves no other host, so nothing leaves
the machine and no time goes to waiting for Canada.ca's page template.

Three figures, timed like SKB's (`benchmarks.browser`), from the user's action
to the result on screen:
- cold load: a new browser session opening the tool, through its landing
  page's "Start", to the first question visible (the peer has no address for
  a page of questions; the time to the Start button is in the note);
- an answer to its dependent part updated: a yes/no question of its risk
  profile toggled, until the live score above the survey shows the new score;
- "next": every page of a full pass, from the click to the next page's first
  question visible (its one required question answered on the way, untimed).

When `../shared/peer/` is absent the measures raise `NotMeasured`. This module
only reads the peer's files.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .context import ROOT
from .harness import NotMeasured
from .server import spare_port

__all__ = ["PEER_DIR", "PEER_PATH", "peer_missing", "serve_peer", "measure_peer"]

PEER_DIR = ROOT.parent / "shared" / "peer"  # ../shared/peer/ beside the repository
PEER_PATH = "/aia-eia-js/"

_QUESTIONS = "#surveyContainer .sv_qstn"
_NEXT = "input.sv_next_btn"
_START = "input.sv_start_btn"
_SCORE = ".scoreClass"
_RISK_PAGE = 2  # 0-based: "Risk Profile", seven yes/no questions that each move the score

# The text of the first question shown on the current page (SurveyJS keeps other pages out of the DOM).
_FIRST_TITLE = """() => {
  const q = [...document.querySelectorAll('#surveyContainer .sv_qstn')].find(e => e.offsetParent !== null);
  const h = q && q.querySelector('.field-name');
  return h ? h.innerText.trim() : '';
}"""


def peer_missing(directory: Path = PEER_DIR) -> str:
    """Why the peer cannot be measured here, or "" when it can."""
    if not (directory / "aia-eia-js" / "index.html").is_file():
        return "the peer is not beside the project (../shared/peer/aia-eia-js/index.html)"
    return ""


@contextlib.contextmanager
def serve_peer(directory: Path = PEER_DIR, timeout: float = 20.0) -> Iterator[str]:
    """The peer served on a spare loopback port; yields its address. Stops only the server it started."""
    why = peer_missing(directory)
    if why:
        raise NotMeasured(why)
    port = spare_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                "--directory", str(directory)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}{PEER_PATH}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise NotMeasured("the peer's web server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _timed(action: Any, until: Any) -> float:
    start = time.perf_counter()
    action()
    until()
    return time.perf_counter() - start


def _start(page: Any, url: str) -> None:
    page.goto(url)
    page.locator(_START).click()
    page.locator(_QUESTIONS).first.wait_for()


def _answer_required(page: Any) -> None:
    """Answer the page's required questions (only its first page has one), so "Next" goes on."""
    for question in page.locator(f"{_QUESTIONS}:visible").all():
        if "(required)" not in question.inner_text():
            continue
        radio = question.locator("input[type=radio]")
        if radio.count():
            radio.first.check()


def _wait_first(page: Any, title: str) -> None:
    page.wait_for_function(f"title => ({_FIRST_TITLE})() === title", arg=title, timeout=30_000)


def _titles(page: Any, url: str) -> list[str]:
    """The first question of every page, from an untimed pass."""
    _start(page, url)
    titles = []
    while True:
        titles.append(page.evaluate(_FIRST_TITLE))
        if not page.locator(_NEXT).is_visible():
            return titles
        _answer_required(page)
        before = titles[-1]
        page.locator(_NEXT).click()
        page.wait_for_function(f"before => ({_FIRST_TITLE})() !== before", arg=before, timeout=30_000)


def measure_peer(browser: Any, n_load: int, n_act: int, passes: int) -> tuple[dict[str, list[float]], str]:
    """The peer's samples: {"load", "answer", "next"} in seconds, and a note on what was timed."""
    out: dict[str, list[float]] = {"load": [], "answer": [], "next": []}
    to_start: list[float] = []
    with serve_peer() as url:
        for i in range(n_load + 1):  # the first load fills the OS's file cache: not counted
            context = browser.new_context()
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.locator(_START).wait_for()
            shown = time.perf_counter() - start
            page.locator(_START).click()
            page.locator(_QUESTIONS).first.wait_for()
            took = time.perf_counter() - start
            if i:
                out["load"].append(took)
                to_start.append(shown)
            context.close()

        context = browser.new_context()
        page = context.new_page()
        titles = _titles(page, url)
        context.close()

        context = browser.new_context()
        page = context.new_page()
        _start(page, url)
        _answer_required(page)
        for _ in range(_RISK_PAGE):
            before = page.evaluate(_FIRST_TITLE)
            page.locator(_NEXT).click()
            page.wait_for_function(f"before => ({_FIRST_TITLE})() !== before", arg=before, timeout=30_000)
        question = page.locator(f"{_QUESTIONS}:visible").first
        score = page.locator(_SCORE).first
        for i in range(n_act):
            label = "Yes" if i % 2 == 0 else "No"
            before = score.inner_text()
            out["answer"].append(_timed(
                lambda: question.get_by_text(label, exact=True).click(),
                lambda: page.wait_for_function("([sel, before]) => document.querySelector(sel).innerText !== before",
                                               arg=[_SCORE, before], timeout=30_000)))
        context.close()

        for _ in range(passes):
            context = browser.new_context()
            page = context.new_page()
            _start(page, url)
            for title in titles[1:]:
                _answer_required(page)
                out["next"].append(_timed(lambda: page.locator(_NEXT).click(), lambda: _wait_first(page, title)))
            context.close()
    note = (f"the peer (Canada's Algorithmic Impact Assessment, Vue 2 + SurveyJS, all in the browser) served from "
            f"../shared/peer/ on loopback; cold load includes its landing page's Start (the Start button showed "
            f"after a median {sorted(to_start)[len(to_start) // 2]:.2f} s); the answer toggles a risk-profile "
            f"yes/no until the live score changes; \"next\" is every page of a full pass ({len(titles)} pages)")
    return out, note
