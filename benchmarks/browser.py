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

from assessment.checklist import AnswerType, Checklist, Equals, text_for

from .context import Context, integrated_checklist
from .harness import NotMeasured, Row, Target, scaled, stats
from .server import StreamlitServer, bare_script

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "need_chromium", "launch", "wait_idle", "css_key", "browser_rows"]

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


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        raise NotMeasured(f"Chromium is not installed at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise NotMeasured("playwright is not installed") from None


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


def _toggle_pair(checklist: Checklist, step: int) -> tuple[str, str] | None:
    """A yes/no question answered once and a later question of the same step that it shows when "yes"."""
    section = checklist.sections[step]
    yes_no = {c.id for c in section.criteria if c.type == AnswerType.YES_NO and not c.answered_per_alternative}
    for crit in section.criteria:
        cond = crit.show_if
        if isinstance(cond, Equals) and cond.equals.question in yes_no and cond.equals.value in (True, "yes", "true"):
            return cond.equals.question, crit.id
    return None


def _pick_step(checklist: Checklist) -> tuple[int, tuple[str, str] | None]:
    """The step to time on: the first with a yes/no question controlling a later one, else the largest."""
    for i in range(len(checklist.sections) - 1):
        pair = _toggle_pair(checklist, i)
        if pair:
            return i, pair
    from .gen import largest_section

    step = largest_section(checklist)
    return min(step, len(checklist.sections) - 2), None


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


def _measure_app(ctx: Context, browser: Any, checklist: Checklist, n_load: int, n_act: int) -> tuple[dict[str, list[float]], str]:
    from . import wizard

    data = ctx.subdir("browser-app")
    env = {"SKB_DATA_DIR": str(data), "SKB_DATABASE_URL": f"sqlite:///{data / 'skb.sqlite'}"}
    step, pair = _pick_step(checklist)
    _, ids, _ = wizard.seed_store(env["SKB_DATABASE_URL"], 1, checklist)
    aid = ids[0]
    first = next((c for c in checklist.sections[step].criteria if c.show_if is None), None)
    nxt = next((c for c in checklist.sections[step + 1].criteria if c.show_if is None), None)
    if first is None or nxt is None:
        raise NotMeasured(f"step {step + 1} or the next has no unconditional first question to wait for")
    out: dict[str, list[float]] = {"load": [], "answer": [], "next": []}
    with StreamlitServer(ctx.root / "streamlit_app.py", env=env) as server:
        url = wizard.wizard_url(server.url, aid, step)
        for i in range(n_load + 1):
            context = browser.new_context()
            page = context.new_page()
            took = _timed(lambda: page.goto(url, wait_until="commit"),
                          lambda: page.locator(css_key(f"q:{first.id}")).wait_for(timeout=60_000))
            if i:
                out["load"].append(took)
            if i < n_load:
                context.close()
        wait_idle(page)
        if pair is not None:
            question, dependent_id = pair
            radio = page.locator(css_key(f"w:{aid}:{question}:-:value"))
            dependent = page.locator(css_key(f"q:{dependent_id}"))
            labels = ("Nej", "Ja")
            what = (f'answer "{question}" no/yes, until "{dependent_id}" hides/shows and the counts update')
        else:
            raise NotMeasured(f"{checklist.id} has no yes/no question that shows a later question of its step")
        # start from "yes" so the first click hides the dependent question
        radio.get_by_text(labels[1], exact=True).click()
        dependent.wait_for(state="visible")
        wait_idle(page)
        for i in range(n_act):
            label, state = (labels[0], "detached") if i % 2 == 0 else (labels[1], "visible")
            out["answer"].append(_timed(lambda: radio.get_by_text(label, exact=True).click(),
                                        lambda: dependent.wait_for(state=state)))
            wait_idle(page)
        for i in range(n_act):
            button, target = ("next", nxt) if i % 2 == 0 else ("back", first)
            took = _timed(lambda: page.locator(css_key(button)).locator("button").click(),
                          lambda: page.locator(css_key(f"q:{target.id}")).wait_for(timeout=60_000))
            if button == "next":
                out["next"].append(took)
            wait_idle(page)
        context.close()
    note = (f"{checklist.id}, step {step + 1} ({len(checklist.sections[step].criteria)} questions) answered "
            f"throughout; {what}")
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
