"""Wizard, in the browser: what a planner waits for, timed in Debian's Chromium.

Three figures, each from the moment the user acts to the moment the page shows
the result: a cold load of the wizard (a new browser session opening the
largest step's URL) to its first question visible; an answer to the parts that
depend on it (a yes/no question that shows or hides a later question, and the
progress counts, which are redrawn in the same rerun); a click on "Nästa" to
the next step's first question. The floor is a bare Streamlit script doing the
same three things with one radio, one conditional text and one button: the
round trip Streamlit itself costs. Runs against a real `streamlit run` server
on a temporary database; skipped with the reason when Chromium is missing.
"""

from __future__ import annotations

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

BARE_ROUND_TRIP = """import streamlit as st

if "step" not in st.session_state:
    st.session_state.step = 1


def flip() -> None:
    st.session_state.step = 3 - st.session_state.step


with st.container(key="first"):
    st.markdown(f"**Fråga i steg {st.session_state.step}**")
st.progress(0.5, text="Totalt: 1 av 2 besvarade")
with st.container(key="answer"):
    choice = st.radio("Berörs barn?", ["Ja", "Nej"], index=0, horizontal=True)
if choice == "Ja":
    with st.container(key="dependent"):
        st.markdown("**Följdfråga: hur påverkas barnen?**")
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


def _measure_bare(ctx: Context, browser: Any, n_load: int, n_act: int) -> dict[str, list[float]]:
    directory = ctx.subdir("bare-browser")
    script = bare_script(directory, BARE_ROUND_TRIP)
    out: dict[str, list[float]] = {"load": [], "answer": [], "next": []}
    with StreamlitServer(script, cwd=directory) as server:
        for i in range(n_load + 1):
            context = browser.new_context()
            page = context.new_page()
            took = _timed(lambda: page.goto(server.url, wait_until="commit"),
                          lambda: page.locator(css_key("first")).get_by_text("Fråga i steg").wait_for())
            if i:
                out["load"].append(took)
            if i < n_load:
                context.close()
        wait_idle(page)
        radio = page.locator(css_key("answer"))
        dependent = page.locator(css_key("dependent"))
        for i in range(n_act):
            label, state = ("Nej", "detached") if i % 2 == 0 else ("Ja", "visible")
            out["answer"].append(_timed(lambda: radio.get_by_text(label, exact=True).click(),
                                        lambda: dependent.wait_for(state=state)))
            wait_idle(page)
        for i in range(n_act):
            text = f"Fråga i steg {2 if i % 2 == 0 else 1}"
            out["next"].append(_timed(lambda: page.locator(css_key("next")).locator("button").click(),
                                      lambda: page.locator(css_key("first")).get_by_text(text).wait_for()))
            wait_idle(page)
        context.close()
    return out


def _first_unconditional(checklist: Checklist, step: int) -> str:
    crit = next((c for c in checklist.sections[step].criteria if c.show_if is None), None)
    if crit is None:
        raise NotMeasured(f"step {step + 1} of {checklist.id} has no unconditional question to wait for")
    return crit.id


def _measure_app(ctx: Context, browser: Any, checklist: Checklist, n_load: int,
                 n_act: int) -> tuple[dict[str, list[float]], str]:
    from . import wizard
    from .gen import largest_section

    control = _controlling_question(checklist)
    if control is None:
        raise NotMeasured(f"{checklist.id} has no yes/no question that shows or hides another question or step")
    control_step, question = control
    largest = largest_section(checklist)
    before_largest = max(largest - 1, 0)
    after = largest if largest > 0 else 1
    data = ctx.subdir("browser-app")
    env = {"SKB_DATA_DIR": str(data), "SKB_DATABASE_URL": f"sqlite:///{data / 'skb.sqlite'}"}
    _, ids, _ = wizard.seed_store(env["SKB_DATABASE_URL"], 1, checklist)
    aid = ids[0]
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
    need_chromium()
    checklist = integrated_checklist()
    n_load, n_act = ctx.n(5, 1), ctx.n(10, 2)
    pw, browser = launch()
    try:
        base = _measure_bare(ctx, browser, n_load, n_act)
        ours, note = _measure_app(ctx, browser, checklist, n_load, n_act)
    finally:
        browser.close()
        pw.stop()
    floor_name = "bare script: one radio, one conditional text, one button"
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
