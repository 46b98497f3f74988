"""Checklist text from a file is drawn like user text: an image or a link in it never makes the
browser fetch an outside host (issue 13: an image from an outside host was fetched by the browser).

The checklist snapshot travels inside an assessment file and is trusted no more
than its answers. Every text of this one carries markdown and HTML that would
load an image from, or link to, `tracker.example`; the assessment is imported and
its wizard, results, history and comparison pages are opened in Chromium while
every request the page makes is recorded. The AppTest half checks the same pages
faster, without a browser: no element's markdown holds an unescaped image or link.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.answers.model import Answer, dump_assessment, new_assessment
from assessment.store.storage import open_store
from assessment.checklist.validate import parse_checklist

try:  # tests/ is on sys.path under pytest's default import mode
    from server import AppServer
except ImportError:  # tests/ made a package
    from tests.server import AppServer

CHROMIUM = Path("/usr/bin/chromium")
HOST = "tracker.example"


def bait(n: str) -> str:
    """A text that, rendered as markdown, would fetch an image from the outside host and link to it."""
    return (f"Text {n} ![bild](https://{HOST}/{n}.png) [länk](https://{HOST}/{n}) "
            f"<img src='https://{HOST}/{n}-html.png'>")


def q(n: str) -> str:
    return '"' + bait(n).replace('"', '\\"') + '"'


HOSTILE = f"""\
schema_version: 1
id: fientlig
version: "1"
title: {{sv: {q("title")}, en: {q("title")}}}
languages: [sv, en]
scales:
  - id: impact
    steps:
      - {{value: -1, label: {{sv: {q("neg")}, en: {q("neg")}}}, description: {{sv: {q("negd")}, en: {q("negd")}}}}}
      - {{value: 0, label: {{sv: Ingen, en: None}}}}
      - {{value: 1, label: {{sv: {q("pos")}, en: {q("pos")}}}}}
groups:
  - {{id: barn, label: {{sv: {q("group")}, en: {q("group")}}}, help: {{sv: {q("grouphelp")}, en: {q("grouphelp")}}}}}
alternatives:
  - {{id: zero, label: {{sv: {q("zero")}, en: {q("zero")}}}, kind: zero}}
  - {{id: proposal, label: {{sv: {q("prop")}, en: {q("prop")}}}, kind: proposal}}
frameworks:
  - id: areas
    title: {{sv: {q("framework")}, en: {q("framework")}}}
    items:
      - {{id: boende, title: {{sv: {q("item")}, en: {q("item")}}}}}
sections:
  - id: s1
    title: {{sv: {q("section")}, en: {q("section")}}}
    description: {{sv: {q("description")}, en: {q("description")}}}
    dimensions: {{areas: [boende]}}
    criteria:
      - id: c1
        text: {{sv: {q("question")}, en: {q("question")}}}
        help: {{sv: {q("help")}, en: {q("help")}}}
        type: impact
        scale: impact
      - id: c2
        text: {{sv: {q("groups")}, en: {q("groups")}}}
        type: group_impact
        scale: impact
      - id: c3
        text: {{sv: {q("yesno")}, en: {q("yesno")}}}
        type: yes_no
"""


@pytest.fixture
def hostile_id(tmp_path: Path) -> tuple[Path, str]:
    checklist, problems = parse_checklist(HOSTILE, "fientlig.yaml")
    assert [p for p in problems if p.severity == "error"] == []
    a = new_assessment(checklist, "Fientlig checklista")
    a.set_answer("c1", Answer(value=-1), "zero")
    a.set_answer("c1", Answer(value=1), "proposal")
    a.set_answer("c2", Answer(value={"barn": -1}), "proposal")
    data = tmp_path / "data"
    data.mkdir()
    with open_store(f"sqlite:///{data / 'skb.sqlite'}") as store:
        aid = store.import_(dump_assessment(a), "fientlig.yaml", "Ada")
    return data, aid


def _texts(at: AppTest) -> list[str]:
    """Every string the page handed Streamlit to render as markdown: bodies, labels, help, options."""
    found: list[str] = []
    for kind in ("markdown", "caption", "title", "subheader", "header", "info", "warning", "error", "success",
                 "expander", "radio", "selectbox", "multiselect", "text_input", "text_area", "button", "metric"):
        for element in getattr(at, kind, []):
            for attr in ("value", "body", "label", "help"):
                try:
                    v = getattr(element, attr, None)
                except Exception:  # an attribute that does not apply to this element
                    continue
                if isinstance(v, str):
                    found.append(v)
            if kind == "radio":
                found.extend(str(o) for o in element.options)
    return found


@pytest.mark.parametrize("page_file", ["wizard", "results", "history"])
def test_no_page_hands_streamlit_an_unescaped_image_or_link_from_the_checklist(hostile_id, monkeypatch,
                                                                               page_file: str):
    data, aid = hostile_id
    monkeypatch.setenv("SKB_DATA_DIR", str(data))
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), default_timeout=90)
    at.query_params.update({"id": aid, "who": "Ada"})
    at.run()
    at.switch_page(f"ui/app_pages/{page_file}.py").run()
    assert not at.exception, at.exception
    texts = _texts(at)
    if page_file != "history":  # the history shows questions in a table, which is plain text
        assert any("tracker" in t for t in texts)  # the bait is drawn, as text
    raw = [t for t in texts if f"](https://{HOST}" in t or f"<img src='https://{HOST}" in t]
    assert raw == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"BROWSER SUITE NOT RUN: {CHROMIUM} is missing")
def test_the_browser_never_fetches_from_an_outside_host(page, hostile_id) -> None:
    data, aid = hostile_id
    outside: list[str] = []

    def watch(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if HOST in url:
            outside.append(url)
            route.abort()
        else:
            route.continue_()

    with AppServer(data) as server:
        page.set_default_timeout(30_000)
        page.route("**/*", watch)
        for path in (f"wizard?id={aid}&who=Ada", f"results?id={aid}&who=Ada", f"history?id={aid}&who=Ada",
                     f"compare?a={aid}&b={aid}&who=Ada"):
            page.goto(f"{server.url}/{path}")
            page.get_by_text("Fientlig checklista").first.wait_for()
            if path.startswith("wizard"):  # the question is drawn, its markdown shown as the characters it is
                question = page.locator(".st-key-q-c1 [data-testid='stMarkdownContainer']").first
                question.wait_for()
                shown = question.inner_text()
            page.wait_for_timeout(1500)  # images and charts load after the first paint
            page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")
    assert outside == []
    assert f"![bild](https://{HOST}/question.png) [länk](https://{HOST}/question)" in shown
