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
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from assessment.checklist import AnswerType, Checklist

from .context import Context, integrated_checklist
from .harness import NotMeasured, Row, Target, scaled, stats
from .server import StreamlitServer, bare_script

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "chromium_missing", "need_chromium", "launch", "wait_idle", "css_key", "browser_rows"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# The floor: `mode` in the URL picks the page; SPECS names the JSON files of the wizard's steps.
BARE_ROUND_TRIP = """import streamlit as st

from benchmarks.bare_widgets import draw, load

SPECS = {specs!r}
mode = st.query_params.get("mode", "load")
if "flip" not in st.session_state:
    st.session_state.flip = 0


def flip() -> None:
    st.session_state.flip = 1 - st.session_state.flip


if mode == "answer":
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
                  n_act: int) -> dict[str, list[float]]:
    directory = ctx.subdir("bare-browser")
    script = bare_script(directory, BARE_ROUND_TRIP.format(specs=specs))
    out: dict[str, list[float]] = {"load": [], "answer": [], "next": []}
    with StreamlitServer(script, cwd=ctx.root) as server:
        for i in range(n_load + 1):
            context = browser.new_context()
            page = context.new_page()
            took = _timed(lambda: page.goto(server.url + "/?mode=load", wait_until="commit"),
                          lambda: page.locator(css_key("first")).get_by_text("Fråga i steg load").wait_for())
            if i:
                out["load"].append(took)
            wait_idle(page)
            context.close()
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "/?mode=answer")
        radio = page.locator(css_key("answer"))
        radio.wait_for()
        wait_idle(page)
        for i in range(n_act):
            label = "Nej" if i % 2 == 0 else "Ja"
            before = page.evaluate(_PROGRESS_TEXT)
            out["answer"].append(_timed(lambda: radio.get_by_text(label, exact=True).click(),
                                        lambda: _progress_changed(page, before)))
            wait_idle(page)
        page.goto(server.url + "/?mode=next")
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
    return out


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
                 n_act: int) -> tuple[dict[str, list[float]], str]:
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
    note = (f"{checklist.id} answered throughout; cold load and \"next\" draw step {after + 1} "
            f"({len(checklist.sections[after].criteria)} questions, the largest); the answer is \"{question}\" "
            f"(step {control_step + 1}) toggled no/yes, timed until the progress counts change")
    return out, note


def browser_rows(ctx: Context) -> list[Row]:
    from . import wizard
    from .bare_widgets import step_spec

    need_chromium()
    checklist = integrated_checklist()
    n_load, n_act = ctx.n(3, 1), ctx.n(6, 2)
    data = ctx.subdir("browser-app")
    env = {"SKB_DATA_DIR": str(data), "SKB_DATABASE_URL": f"sqlite:///{data / 'skb.sqlite'}"}
    _, ids, _ = wizard.seed_store(env["SKB_DATABASE_URL"], 1, checklist)
    control_step, _, before_largest, after = _plan(checklist)
    specs = {}
    for name, step in (("load", after), ("answer", control_step), ("before", before_largest), ("after", after)):
        path = data / f"spec-{name}.json"
        path.write_text(json.dumps(step_spec(ctx.root / "streamlit_app.py", env["SKB_DATABASE_URL"], ids[0], step),
                                   ensure_ascii=False), encoding="utf-8")
        specs[name] = str(path)
    pw, browser = launch()
    try:
        base = _measure_bare(ctx, browser, specs, n_load, n_act)
        ours, note = _measure_app(ctx, browser, checklist, env, ids[0], n_load, n_act)
    finally:
        browser.close()
        pw.stop()
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
    return rows
