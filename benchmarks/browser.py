"""Wizard, in the browser: what a planner waits for, timed in Debian's Chromium.

Three figures, each from the moment the user acts to the moment the page shows
the result: a cold load of the wizard (a new browser session opening the
largest step's URL) to its first question visible; an answer to the parts that
depend on it (a yes/no question that shows or hides a later question, and the
progress counts, which are redrawn in the same rerun); a click on "Nästa" to
the next step's first question. The floor is a bare Streamlit script that does
the same three things while drawing the same widgets as the wizard's steps
(copied from the wizard's element tree, `benchmarks.bare_widgets`): one radio
that changes a progress bar and shows a question, one button that swaps two
steps. So the ratio shows what the wizard adds to what Streamlit and Chromium
cost for those widgets. Runs against a real `streamlit run` server on a
temporary database; "not measured" with the reason when Chromium is missing.

In the same run, against the peer (`benchmarks.peer`, Canada's Algorithmic
Impact Assessment from ../shared/peer/): the same three figures of SKB ("next"
here through every step of a full pass) with the peer's in the floor column,
and beside each Streamlit's minimum (one radio, one button, one line of text)
against the same peer, the floor no Streamlit page goes under. And the results
page's first load: from the wizard's last step on a server just started, and
in a new browser session (floor: Streamlit's minimum cold load).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assessment.checklist.checklist import AnswerType, Checklist

from .context import Context, integrated_checklist
from .harness import NotMeasured, Row, Target, not_measured_row, scaled, stats
from .server import StreamlitServer, bare_script

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "chromium_missing", "need_chromium", "launch", "wait_idle", "css_key", "browser_rows"]

CHROMIUM = "/usr/bin/chromium"
# Every host but loopback unresolvable: nothing leaves the machine, and neither SKB nor the peer waits for one.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

# The floor: `mode` in the URL picks the page; SPECS names the JSON files of the wizard's steps.
BARE_ROUND_TRIP = """import streamlit as st

from benchmarks.bare_widgets import draw, load

SPECS = {specs!r}
mode = st.query_params.get("mode", "load")
if "flip" not in st.session_state:
    st.session_state.flip = 0


def flip() -> None:
    st.session_state.flip = 1 - st.session_state.flip


if mode.startswith("min-"):  # Streamlit's own round trip: one radio, one button, one line of text
    if mode == "min-answer":
        with st.container(key="answer"):
            choice = st.radio("Berörs barn?", ["Ja", "Nej"], index=0, horizontal=True)
        st.progress(0.5 if choice == "Ja" else 0.25, text=f"Totalt: {{2 if choice == 'Ja' else 1}} av 4 besvarade")
    else:
        which = "load" if mode == "min-load" else ("after" if st.session_state.flip else "before")
        with st.container(key="first"):
            st.markdown(f"**Fråga i steg {{which}}**")
        st.button("Nästa", key="next", on_click=flip)
elif mode == "answer":
    with st.container(key="answer"):
        choice = st.radio("Berörs barn?", ["Ja", "Nej"], index=0, horizontal=True)
    st.progress(0.5 if choice == "Ja" else 0.25, text=f"Totalt: {{2 if choice == 'Ja' else 1}} av 4 besvarade")
    if choice == "Ja":
        with st.container(key="dependent"):
            st.markdown("**Följdfråga: hur påverkas barnen?**")
    draw(load(SPECS["answer"]), prefix="a")
else:
    which = "load" if mode == "load" else ("after" if st.session_state.flip else "before")
    with st.container(key="first"):
        st.markdown(f"**Fråga i steg {{which}}**")
    draw(load(SPECS[which]), prefix=which)
    st.button("Nästa", key="next", on_click=flip)
"""


def chromium_missing() -> str:
    """Why the browser measures cannot run here, or "" when they can."""
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return ""


def need_chromium() -> None:
    why = chromium_missing()
    if why:
        raise NotMeasured(why)


def launch() -> tuple[Any, Any]:
    """(playwright, browser) with Debian's Chromium, headless."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception:
        pw.stop()
        raise
    return pw, browser


def wait_idle(page: Any, timeout_ms: int = 30_000) -> None:
    """Until Streamlit says the script is not running (after the rerun an action started)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms,
                           state="attached")


def css_key(key: str) -> str:
    """The CSS class Streamlit gives an element with `key` (same rule as its frontend)."""
    return ".st-key-" + "".join(c if c.isascii() and (c.isalnum() or c in "_-") else "-" for c in key.strip())


def _references(condition: Any) -> set[str]:
    """The questions a condition tree reads."""
    if condition is None:
        return set()
    for name in ("all", "any"):
        if isinstance(getattr(condition, name, None), list):
            return set().union(*(_references(c) for c in getattr(condition, name)))
    if hasattr(condition, "not_"):
        return _references(condition.not_)
    if isinstance(getattr(condition, "answered", None), str):
        return {condition.answered}
    for name in ("equals", "in_", "includes", "gte", "lte"):
        args = getattr(condition, name, None)
        if args is not None:
            return {args.question}
    return set()


def _controlling_question(checklist: Checklist) -> tuple[int, str] | None:
    """A yes/no question, answered once, that shows or hides a question or a step: (its step, its id)."""
    read: set[str] = set()
    for section in checklist.sections:
        read |= _references(section.show_if)
        for crit in section.criteria:
            read |= _references(crit.show_if)
    for i, section in enumerate(checklist.sections):
        for crit in section.criteria:
            if crit.type == AnswerType.YES_NO and not crit.answered_per_alternative and crit.id in read \
                    and crit.show_if is None:
                return i, crit.id
    return None


_PROGRESS_TEXT = "() => { const p = document.querySelector('[data-testid=\"stProgress\"]'); return p ? p.innerText : ''; }"


def _progress_changed(page: Any, before: str) -> None:
    page.wait_for_function(
        "before => { const p = document.querySelector('[data-testid=\"stProgress\"]'); "
        "return p !== null && p.innerText !== before; }", arg=before, timeout=30_000)


def _timed(action: Any, until: Any) -> float:
    start = time.perf_counter()
    action()
    until()
    return time.perf_counter() - start


def _measure_bare(ctx: Context, browser: Any, specs: dict[str, str], n_load: int,
                  n_act: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """The bare floors: (the same steps' widgets, Streamlit's minimum with one line of text)."""
    directory = ctx.subdir("bare-browser")
    script = bare_script(directory, BARE_ROUND_TRIP.format(specs=specs))
    both = []
    with StreamlitServer(script, cwd=ctx.root) as server:
        for prefix in ("", "min-"):
            out: dict[str, list[float]] = {"load": [], "answer": [], "next": []}
            for i in range(n_load + 1):
                context = browser.new_context()
                page = context.new_page()
                took = _timed(lambda: page.goto(f"{server.url}/?mode={prefix}load", wait_until="commit"),
                              lambda: page.locator(css_key("first")).get_by_text("Fråga i steg load").wait_for())
                if i:
                    out["load"].append(took)
                wait_idle(page)
                context.close()
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{server.url}/?mode={prefix}answer")
            radio = page.locator(css_key("answer"))
            radio.wait_for()
            page.locator('[data-testid="stProgress"]').first.wait_for()  # drawn after the radio: the run is under way
            wait_idle(page)
            for i in range(n_act):
                label = "Nej" if i % 2 == 0 else "Ja"
                before = page.evaluate(_PROGRESS_TEXT)
                out["answer"].append(_timed(lambda: radio.get_by_text(label, exact=True).click(),
                                            lambda: _progress_changed(page, before)))
                wait_idle(page)
            page.goto(f"{server.url}/?mode={prefix}next")
            page.locator(css_key("first")).get_by_text("Fråga i steg before").wait_for()
            wait_idle(page)
            for i in range(2 * n_act):
                text = "Fråga i steg " + ("after" if i % 2 == 0 else "before")
                took = _timed(lambda: page.locator(css_key("next")).locator("button").click(),
                              lambda: page.locator(css_key("first")).get_by_text(text).wait_for())
                if i % 2 == 0:
                    out["next"].append(took)
                wait_idle(page)
            context.close()
            both.append(out)
    return both[0], both[1]


def _first_unconditional(checklist: Checklist, step: int) -> str:
    crit = next((c for c in checklist.sections[step].criteria if c.show_if is None), None)
    if crit is None:
        raise NotMeasured(f"step {step + 1} of {checklist.id} has no unconditional question to wait for")
    return crit.id


def _plan(checklist: Checklist) -> tuple[int, str, int, int]:
    """(the step of the controlling question, its id, the step before the largest, the largest)."""
    from .gen import largest_section

    control = _controlling_question(checklist)
    if control is None:
        raise NotMeasured(f"{checklist.id} has no yes/no question that shows or hides another question or step")
    largest = largest_section(checklist)
    return control[0], control[1], max(largest - 1, 0), largest if largest > 0 else 1


def _measure_app(ctx: Context, browser: Any, checklist: Checklist, env: dict[str, str], aid: str, n_load: int,
                 n_act: int, passes: int, targets: list[str | None]) -> tuple[dict[str, list[float]], str]:
    from . import wizard

    control_step, question, before_largest, after = _plan(checklist)
    largest = after
    out: dict[str, list[float]] = {"load": [], "answer": [], "next": []}
    with StreamlitServer(ctx.root / "streamlit_app.py", env=env) as server:
        # Cold load: a new browser session opening the largest step.
        first = _first_unconditional(checklist, largest)
        for i in range(n_load + 1):
            context = browser.new_context()
            page = context.new_page()
            url = wizard.wizard_url(server.url, aid, largest)
            took = _timed(lambda: page.goto(url, wait_until="commit"),
                          lambda: page.locator(css_key(f"q:{first}")).wait_for(timeout=60_000))
            if i:
                out["load"].append(took)
            wait_idle(page)
            context.close()
        context = browser.new_context()
        page = context.new_page()
        # An answer that shows or hides other questions: the progress counts change with it.
        page.goto(wizard.wizard_url(server.url, aid, control_step))
        radio = page.locator(css_key(f"w:{aid}:{question}:-:value"))
        radio.wait_for(timeout=60_000)
        page.locator(css_key(f"q:{question}")).wait_for(timeout=60_000)
        page.locator('[data-testid="stProgress"]').first.wait_for(timeout=60_000)
        wait_idle(page)
        for i in range(n_act):
            label = "Nej" if i % 2 == 0 else "Ja"
            before = page.evaluate(_PROGRESS_TEXT)
            out["answer"].append(_timed(lambda: radio.get_by_text(label, exact=True).click(),
                                        lambda: _progress_changed(page, before)))
            wait_idle(page)
        # "Nästa" into the largest step, and back (untimed) to do it again.
        page.goto(wizard.wizard_url(server.url, aid, before_largest))
        page.locator(css_key(f"q:{_first_unconditional(checklist, before_largest)}")).wait_for(timeout=60_000)
        wait_idle(page)
        target, origin = _first_unconditional(checklist, after), _first_unconditional(checklist, before_largest)
        for i in range(n_act):
            out["next"].append(_timed(lambda: page.locator(css_key("next")).locator("button").click(),
                                      lambda: page.locator(css_key(f"q:{target}")).wait_for(timeout=60_000)))
            wait_idle(page)
            page.locator(css_key("back")).locator("button").click()
            page.locator(css_key(f"q:{origin}")).wait_for(timeout=60_000)
            wait_idle(page)
        context.close()
        out["pass"] = _next_pass(browser, server.url, targets, aid, passes)
    note = (f"{checklist.id} answered throughout; cold load and \"next\" draw step {after + 1} "
            f"({len(checklist.sections[after].criteria)} questions, the largest); the answer is \"{question}\" "
            f"(step {control_step + 1}) toggled no/yes, timed until the progress counts change")
    return out, note


@contextlib.contextmanager
def session(browser: Any) -> Iterator[Any]:
    """A page in a new browser session (no cookies, no cache of its own), closed after use."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def pass_targets(checklist: Checklist, assessment: Any) -> list[str | None]:
    """Per step, the first question it shows under the assessment's answers (None: the step is hidden)."""
    from ui.progress import survey

    vis = survey(assessment)
    out: list[str | None] = []
    for section in checklist.sections:
        shown = [c.id for c in section.criteria if c.id in vis.shared] if section.id in vis.sections else []
        out.append(shown[0] if shown else None)
    return out


def _next_pass(browser: Any, base: str, targets: list[str | None], aid: str, passes: int) -> list[float]:
    """"Nästa" through every step in turn, as a planner goes, timed to each step's first question
    visible; a step that the answers hide (it shows only a note) is passed untimed."""
    from . import wizard

    samples: list[float] = []
    with session(browser) as page:
        next_button = page.locator(css_key("next")).locator("button")
        for _ in range(passes):
            page.goto(wizard.wizard_url(base, aid, 0))
            page.locator(css_key(f"q:{targets[0]}")).wait_for(timeout=60_000)
            wait_idle(page)
            for step in range(1, len(targets)):
                target = targets[step]
                if target is None:
                    next_button.click()
                    page.wait_for_url(f"**step={step + 1}*", timeout=60_000)
                else:
                    samples.append(_timed(next_button.click,
                                          lambda: page.locator(css_key(f"q:{target}")).wait_for(timeout=60_000)))
                wait_idle(page)
    return samples


def _results_loaded(page: Any, title: str) -> None:
    """The results page drawn: its address, its heading and its PDF button (drawn after the scoring and
    the summary) shown, and its script finished. The wizard's heading is the same title, so the
    button tells the two pages apart."""
    page.wait_for_url("**/results?*", timeout=120_000)
    page.locator("h1").filter(has_text=title).first.wait_for(timeout=120_000)
    page.locator(css_key("build_pdf")).wait_for(timeout=120_000)
    wait_idle(page, timeout_ms=120_000)


def _measure_results(ctx: Context, browser: Any, env: dict[str, str], ids: list[str], titles: list[str],
                     last_step: int, n_cold: int) -> dict[str, list[float]]:
    """The results page's first load, as a planner gets there: from the wizard's last step, its
    button to the results, on a server just started (nothing scored, no results page drawn yet);
    and a new browser session opening the results of each further assessment on that server."""
    from . import wizard

    out: dict[str, list[float]] = {"results-cold": [], "results-session": []}
    for n in range(n_cold):
        with StreamlitServer(ctx.root / "streamlit_app.py", env=env) as server:
            with session(browser) as page:
                page.goto(wizard.wizard_url(server.url, ids[0], last_step))
                button = page.locator(css_key("to_results")).locator("button")
                button.wait_for(timeout=120_000)
                wait_idle(page, timeout_ms=120_000)
                out["results-cold"].append(_timed(button.click, lambda: _results_loaded(page, titles[0])))
            if n:
                continue
            for aid, title in zip(ids[1:], titles[1:]):
                with session(browser) as page:
                    out["results-session"].append(_timed(
                        lambda: page.goto(f"{server.url}/results?id={aid}", wait_until="commit"),
                        lambda: _results_loaded(page, title)))
    return out


def _load_text() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (5-minute {five:.1f})"


def browser_rows(ctx: Context) -> list[Row]:
    from assessment.store.storage import open_store

    from . import wizard
    from .bare_widgets import step_spec
    from .peer import measure_peer, peer_missing

    need_chromium()
    checklist = integrated_checklist()
    n_load, n_act, passes = ctx.n(3, 1), ctx.n(6, 2), ctx.n(2, 1)
    n_results = ctx.n(4, 2)
    data = ctx.subdir("browser-app")
    env = {"SKB_DATA_DIR": str(data), "SKB_DATABASE_URL": f"sqlite:///{data / 'skb.sqlite'}"}
    _, ids, _ = wizard.seed_store(env["SKB_DATABASE_URL"], n_results + 1, checklist)
    store = open_store(env["SKB_DATABASE_URL"])
    try:
        loaded = [store.load(aid).assessment for aid in ids]
    finally:
        store.close()
    titles = [a.metadata.title for a in loaded]
    targets = pass_targets(checklist, loaded[0])
    control_step, _, before_largest, after = _plan(checklist)
    specs = {}
    for name, step in (("load", after), ("answer", control_step), ("before", before_largest), ("after", after)):
        path = data / f"spec-{name}.json"
        path.write_text(json.dumps(step_spec(ctx.root / "streamlit_app.py", env["SKB_DATABASE_URL"], ids[0], step),
                                   ensure_ascii=False), encoding="utf-8")
        specs[name] = str(path)
    load_before = _load_text()
    pw, browser = launch()
    try:
        peer: dict[str, list[float]] | None = None
        peer_note = peer_missing()
        if not peer_note:
            peer, peer_note = measure_peer(browser, n_load, n_act, passes)
        base, minimal = _measure_bare(ctx, browser, specs, n_load, n_act)
        ours, note = _measure_app(ctx, browser, checklist, env, ids[0], n_load, n_act, passes, targets)
        ours.update(_measure_results(ctx, browser, env, ids, titles, len(checklist.sections) - 1, ctx.n(3, 1)))
    finally:
        browser.close()
        pw.stop()
    load = f"load average {load_before} before the browser measures, {_load_text()} after"
    floor_name = "bare script drawing the same steps' widgets, with one radio and one button of its own"
    rows = []
    for key, title, unit, factor, target in (
        ("load", "Wizard, browser: cold load to the first question visible", "s", 1.0,
         Target("median", "<=", 1.0, "median <= 1 s")),
        ("answer", "Wizard, browser: answer to the dependent parts updated", "ms", 1000.0,
         Target("median", "<=", 120.0, "median <= 120 ms")),
        ("next", "Wizard, browser: \"next\" to the next step's first question", "ms", 1000.0,
         Target("median", "<=", 150.0, "median <= 150 ms")),
    ):
        o, b = stats(ours[key]), stats(base[key])
        rows.append(Row(measure=title, unit=unit, figures=scaled(o, factor), floor=scaled(b, factor),
                        floor_name=floor_name, targets=[target], samples=o.n, note=note))
    # Against the peer, from the same run: our figure, the peer's in the floor column, the ratio ours / peer.
    # And Streamlit's own minimum against the peer: where it misses a target, no Streamlit page can meet it.
    pass_note = (f"SKB's \"next\" is every step of a full pass ({len(ours['pass'])} steps timed, "
                 f"{passes} pass(es)), its answer the yes/no of the floor rows above, its cold load the largest "
                 f"step; {load}")
    for key, ours_key, what, factor_limit in (
        ("load", "load", "cold load to the first question visible", 0.6),
        ("answer", "answer", "an answer to its dependent parts updated", 0.7),
        ("next", "pass", "\"next\" to the next step's first question visible", 0.6),
    ):
        unit, factor = ("s", 1.0) if key == "load" else ("ms", 1000.0)
        target = Target("ratio", "<=", factor_limit, f"<= {factor_limit} x the peer")
        for who, samples, name in (("SKB", ours[ours_key], "SKB against the peer"),
                                   ("Streamlit", minimal[key], "Streamlit's minimum against the peer")):
            title = f"{name}: {what}"
            if peer is None:
                rows.append(not_measured_row(title, peer_note, [target]))
                continue
            o, b = stats(samples), stats(peer[key])
            why = pass_note if who == "SKB" else (
                f"a bare Streamlit script with one radio, one button and one line of text, no SKB; {load}")
            if key == "load" and who == "SKB":
                why = f"{peer_note}; {why}"  # what the peer's figures are, said once
            rows.append(Row(measure=title, unit=unit, figures=scaled(o, factor), floor=scaled(b, factor),
                            floor_name="the peer, in the same Chromium and the same run", targets=[target],
                            samples=o.n, note=why))
    results_note = (f"an assessment answered throughout, to the results page's heading shown and its script "
                    f"finished (its charts draw after); {load}")
    o = stats(ours["results-cold"])
    rows.append(Row(measure="Results page: first load after the server started, from the wizard's last step",
                    unit="s", figures=scaled(o, 1.0), samples=o.n, note=results_note,
                    targets=[Target("median", "<=", 1.0, "median <= 1 s")]))
    o, b = stats(ours["results-session"]), stats(minimal["load"])
    rows.append(Row(measure="Results page: a new browser session opening it (each assessment's first)", unit="s",
                    figures=scaled(o, 1.0), floor=scaled(b, 1.0), samples=o.n, note=results_note,
                    floor_name="Streamlit's minimum cold load: a bare script's one line of text in a new session",
                    targets=[Target("median", "<=", 1.0, "median <= 1 s")]))
    return rows
