"""Wizard, server side: the time of one script rerun on the wizard's largest step.

The app runs under Streamlit's AppTest (the same script runner a server uses,
without a browser), on an assessment answered throughout and stored in a
temporary SQLite database, opened through the URL (`?id=…&step=…`) exactly as
a reload would. The floor is a bare Streamlit script drawing the same widgets
(`benchmarks.bare_widgets`: copied from the element tree of the real run, with
the same labels, options, values, containers and columns), so the ratio shows
what the wizard adds on top of Streamlit drawing its widgets: loading,
visibility, progress, priming the widget state. The two run alternately, and
each run is timed inside the script runner (from the run's start event to its
end event), which leaves out AppTest's own polling and tree parsing.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from typing import Any

from assessment.checklist.checklist import Checklist, text_for

from .bare_widgets import script_for, spec_from_app, widget_count
from .context import Context, integrated_checklist, need_module
from .gen import fill_assessment, generate_checklist, largest_section, write_checklist
from .harness import NotMeasured, Row, scaled, stats

__all__ = ["WIZARD_PAGE", "BARE_WIZARD_LIKE", "seed_store", "wizard_url",
           "first_question_text", "integrated_step", "generated_step"]

WIZARD_PAGE = "ui/app_pages/wizard.py"
AUTHOR = "Bänk Märk"

# A bare page for the memory floor: a question, a scale and a text area.
BARE_WIZARD_LIKE = """import streamlit as st

st.title("Bedömning")
st.markdown("**Fråga 1: hur påverkar planen barns vardag?**")
st.radio("Förslaget", ["Stor negativ", "Negativ", "Ingen", "Positiv", "Stor positiv"], index=None, horizontal=True)
st.text_area("Motivering", height=68)
"""


# --- the real app, opened on a stored assessment -------------------------------------------


def seed_store(url: str, count: int, checklist: Checklist | None = None) -> tuple[Checklist, list[str], int]:
    """`count` assessments answered throughout, stored at `url`; with the wizard's largest step."""
    storage = need_module("assessment.store.storage", "the storage layer")
    checklist = checklist or integrated_checklist()
    ids = []
    store = storage.open_store(url)
    try:
        for i in range(count):
            a = fill_assessment(checklist, seed=100 + i, title=f"Bedömning {i + 1}: Norra Ängen etapp {i + 1}")
            store.create(a, AUTHOR)
            ids.append(a.id)
    finally:
        store.close()
    return checklist, ids, largest_section(checklist)


def wizard_url(base: str, assessment_id: str, step: int) -> str:
    """The wizard's address for an assessment and a 0-based step."""
    return f"{base}/wizard?id={assessment_id}&step={step + 1}"


def first_question_text(checklist: Checklist, step: int, lang: str = "sv") -> str:
    """The text of the first question of a step that no condition hides."""
    section = checklist.sections[step]
    crit = next((c for c in section.criteria if c.show_if is None), section.criteria[0])
    return text_for(crit.text, lang)


class _ScriptClock:
    """Times each script run from inside the script runner: from its SCRIPT_STARTED event to the
    event that ends it. This is the server's work for one rerun, without AppTest's polling and
    element-tree parsing (which run in the test's thread and would blur a 40 ms figure)."""

    def __init__(self) -> None:
        self.durations: list[float] = []
        self._started: float | None = None

    def on_event(self, sender: Any, event: Any = None, **_: Any) -> None:
        from streamlit.runtime.scriptrunner import ScriptRunnerEvent as E

        now = time.perf_counter()
        if event == E.SCRIPT_STARTED:
            self._started = now
        elif event in (E.SCRIPT_STOPPED_WITH_SUCCESS, E.SCRIPT_STOPPED_WITH_COMPILE_ERROR,
                       E.SCRIPT_STOPPED_FOR_RERUN) and self._started is not None:
            self.durations.append(now - self._started)
            self._started = None

    def take(self, run: Any) -> float:
        """Run `run()` (one AppTest run) and return the seconds its script took."""
        before = len(self.durations)
        run()
        if len(self.durations) == before:
            raise RuntimeError("the script runner reported no finished run")
        return sum(self.durations[before:])

    @contextlib.contextmanager
    def installed(self) -> Iterator[_ScriptClock]:
        from streamlit.testing.v1 import local_script_runner as lsr

        original = lsr.LocalScriptRunner.__init__
        clock = self

        def init(runner: Any, *args: Any, **kwargs: Any) -> None:
            original(runner, *args, **kwargs)
            runner.on_event.connect(clock.on_event, weak=False)

        lsr.LocalScriptRunner.__init__ = init  # type: ignore[method-assign]
        try:
            yield self
        finally:
            lsr.LocalScriptRunner.__init__ = original  # type: ignore[method-assign]


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _rerun_row(ctx: Context, checklist: Checklist, name: str, n: int, extra_env: dict[str, str]) -> Row:
    from streamlit.testing.v1 import AppTest

    app = ctx.root / "streamlit_app.py"
    if not app.exists() or not (ctx.root / WIZARD_PAGE).exists():
        raise NotMeasured("the wizard (streamlit_app.py, ui/app_pages/wizard.py) does not exist yet")
    data = ctx.subdir(f"wizard-{name}")
    url = f"sqlite:///{data / 'skb.sqlite'}"
    _, ids, step = seed_store(url, 1, checklist)
    with _environment({"SKB_DATABASE_URL": url, "SKB_DATA_DIR": str(data), **extra_env}):
        at = AppTest.from_file(str(app), default_timeout=60)
        at.query_params["id"] = ids[0]
        at.query_params["step"] = str(step + 1)
        at.switch_page(WIZARD_PAGE).run()
        if at.exception:
            raise RuntimeError(f"the wizard raised: {at.exception[0].value}")
        question = first_question_text(checklist, step)
        from ui.widgets import md  # checklist text is drawn escaped

        if not any(question in str(m.value) or md(question) in str(m.value) for m in at.markdown):
            raise RuntimeError(f"the wizard did not draw step {step + 1} of {checklist.id}")
        spec, skipped = spec_from_app(at)
        bare = AppTest.from_file(str(script_for(spec, data)), default_timeout=60)
        bare.run()
        if bare.exception:
            raise RuntimeError(f"the bare floor script raised: {bare.exception[0].value}")
        clock = _ScriptClock()
        ours: list[float] = []
        base: list[float] = []
        wall: list[float] = []
        with clock.installed():
            for i in range(n + 2):  # two warm-up runs each
                b = clock.take(bare.run)
                start = time.perf_counter()
                o = clock.take(at.run)
                w = time.perf_counter() - start
                if i >= 2:
                    ours.append(o)
                    base.append(b)
                    wall.append(w)
        if at.exception:
            raise RuntimeError(f"the wizard raised on a rerun: {at.exception[0].value}")
    o, b = stats(ours), stats(base)
    widgets = widget_count(spec["main"]) + widget_count(spec["sidebar"])
    section = checklist.sections[step]
    note = (f"step {step + 1} ({len(section.criteria)} questions, {widgets} widgets), answered throughout; "
            f"a rerun with no change, timed inside the script runner (AppTest wall time median "
            f"{stats(wall).median * 1000:.0f} ms)")
    if skipped:
        note += "; not copied into the floor: " + ", ".join(f"{k} ×{v}" for k, v in sorted(skipped.items()))
    return Row(measure=f"Wizard, server: one rerun of the largest step, {name}", unit="ms",
               figures=scaled(o, 1000.0), floor=scaled(b, 1000.0), headline="median",
               floor_name="bare script drawing the same widgets (written from the element tree), same runner",
               samples=o.n, note=note)


def integrated_step(ctx: Context) -> Row:
    return _rerun_row(ctx, integrated_checklist(), "integrated checklist", ctx.n(40, 3), {})


def generated_step(ctx: Context) -> Row:
    directory = ctx.subdir("generated-checklists")
    write_checklist(directory, 500)
    checklist = generate_checklist(500)
    return _rerun_row(ctx, checklist, "500-criterion checklist", ctx.n(10, 2),
                      {"SKB_CHECKLIST_DIR": str(directory)})
