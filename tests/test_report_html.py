"""Report v2: one report model, two renderings (the PDF and its accessible HTML twin), the decision page on
page 2 fitting its one page, every framework reported under its own title, and the one-glance figure's data.

The decision page's claims are cross-checked in both renderings by tests/summary_check.py (wrapped around
`render_report` and `render_report_html` in conftest); here: that every example builds both ways in both
languages, that the two say the same, that the HTML is built the way assistive technology reads it, and
(in Chromium) that axe-core finds no WCAG 2.1 AA violation in it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from assessment.scoring.glance import glance
from assessment.checklist.library import resolve_checklist
from assessment.answers.model import Assessment, parse_assessment
from assessment.scoring.scoring import score
from assessment.checklist.validate import parse_checklist
from reports import render_report, render_report_html
from reports.document import report_model
from reports.toolkit.html import inline
from reports.i18n import msg
from reports.toolkit.model import Figure, Heading, OnePage, Table, walk
from reports.toolkit.pdf import one_page_scale

try:  # tests/ is on sys.path under pytest's default import mode
    from axe_check import AXE_JS, MISSING, violations
    from example_reports import example_html, example_pdf
    from render import sample_assessment, sample_checklist_yaml, sample_data
    from summary_check import MIN_SCALE, html_texts, page_texts, squash
except ImportError:  # tests/ made a package
    from tests.axe_check import AXE_JS, MISSING, violations
    from tests.example_reports import example_html, example_pdf
    from tests.render import sample_assessment, sample_checklist_yaml, sample_data
    from tests.summary_check import MIN_SCALE, html_texts, page_texts, squash

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# One worker builds the example reports (tests/example_reports.py) for all three report modules.
pytestmark = pytest.mark.xdist_group("example-reports")


def example(path: Path) -> Assessment:
    return parse_assessment(path.read_bytes(), path.name, resolve=resolve_checklist)


def both(a: Assessment, lang: str) -> tuple[bytes, str]:
    pdf, html = io.BytesIO(), io.BytesIO()
    render_report(a, pdf, lang=lang)
    render_report_html(a, html, lang=lang)
    return pdf.getvalue(), html.getvalue().decode("utf-8")


@pytest.fixture(scope="module")
def built() -> dict[tuple[str, str], tuple[Assessment, bytes, str]]:
    return {(path.stem, lang): (example(path), example_pdf(path.stem, lang), example_html(path.stem, lang))
            for path in EXAMPLES for lang in ("sv", "en")}


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_every_example_builds_both_ways_with_the_decision_page_on_page_two_fitting_it(built, name, lang):
    a, pdf, html = built[(name, lang)]
    pages = page_texts(pdf)
    assert squash(pages[1]).startswith(squash(msg(lang, "report.summary_title")))
    assert squash(pages[2]).startswith(squash(msg(lang, "report.toc_title"))), "the decision page spills onto page 3"
    model = report_model(a, lang)
    decision = next(b for b in model.blocks if isinstance(b, OnePage))
    scale = one_page_scale(decision)
    assert scale >= MIN_SCALE, f"the decision page is set at {scale:.0%} to fit"
    assert html.startswith("<!doctype html>") and f'<html lang="{lang}">' in html
    assert html.count("<h1") == 1 and "<main>" in html


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_the_pdf_and_the_html_say_the_same_from_one_model(built, name):
    a, pdf, html = built[(name, "sv")]
    model = report_model(a, "sv")
    text, _ = html_texts(html)
    pdf_text = squash(" ".join(page_texts(pdf)))
    outline = []

    def walk_outline(items):
        for item in items:
            if isinstance(item, list):
                walk_outline(item)
            else:
                outline.append(item.title)
    walk_outline(PdfReader(io.BytesIO(pdf)).outline)
    headings = model.headings()
    # every heading once, in both: the PDF's bookmarks and the HTML's headings, in the same order
    assert outline == [h.text for h in headings]
    assert len(set(outline)) == len(outline), "a bookmark is repeated"
    html_heads = re.findall(r'<h[23] id="(h\d+)">(.*?)</h[23]>', html)
    assert [k for k, _ in html_heads] == [h.key for h in headings]
    # every table of the model in the HTML with header cells; every figure an image with its text alternative
    figures = [b for b in walk(model.blocks) if isinstance(b, Figure)]
    assert figures and html.count("<img ") == len(figures)
    for f in figures:
        assert f'alt="{f.alt}"' in html.replace("&#x27;", "'").replace("&quot;", '"') or f.alt in text
        assert f.data is not None and f.data.row_heads
    assert len(re.findall(r"<table", html)) == len([b for b in walk(model.blocks) if isinstance(b, Table)]) + len(
        figures)
    assert '<th scope="col">' in html and '<th scope="row">' in html
    # and the same text: each question of the report in both
    for crit in a.checklist.criteria()[:40]:
        label = crit.text if isinstance(crit.text, str) else crit.text.get("sv", "")
        assert (squash(label) in pdf_text) == (squash(label) in squash(text)), label


def test_every_framework_gets_its_chart_under_the_checklist_s_title(built):
    for name in ("grannskap-utbyggnad", "ny-skola-detaljplan"):
        a, pdf, _ = built[(name, "en")]
        r = score(a)
        text = squash(" ".join(page_texts(pdf)))
        for f in a.checklist.frameworks:
            title = f.title if isinstance(f.title, str) else f.title["en"]
            rated = any(s.value is not None for x in r.alternatives.values() for s in x.dimensions.get(f.id, {}).values())
            chart = squash(msg("en", "report.chart_framework", framework=title))
            assert (chart in text) == rated, (f.id, rated)
        assert "the policy areas" not in text.casefold()


def test_the_one_glance_figure_tells_not_rated_from_zero():
    a = sample_assessment()
    r = score(a)
    g = glance(a.checklist, r, "sv")
    assert g.framework == "policy_area" and [x.kind for x in g.rows][:len(g.areas)] == ["area"] * len(g.areas)
    assert {x.id for x in g.groups} == {grp.id for grp in a.checklist.groups if grp.worse_off}
    for row in g.rows:
        for alt, value in zip(g.alternatives, row.values):
            source = (r.alternatives[alt].dimensions["policy_area"].get(row.id) if row.kind == "area"
                      else r.alternatives[alt].groups.get(row.id))
            assert value == (source.value if source is not None else None)
    # the sample rates "work" 0 in the zero alternative and unknown in the proposal: 0 and not rated, side by side
    work = next(x for x in g.areas if x.id == "work")
    assert work.values == (0.0, None)
    _, html = both(a, "sv")
    row = re.search(r'<tr><th scope="row">Arbete[^<]*</th><td>(.*?)</td><td>(.*?)</td></tr>', html)
    assert row and row.groups() == ("0", msg("sv", "report.not_rated"))


def test_a_checklist_without_the_policy_mark_reports_every_framework_and_no_policy_areas():
    text = sample_checklist_yaml().replace("    policy_areas: true\n", "")
    checklist, problems = parse_checklist(text, "unmarked.yaml")
    assert checklist is not None and checklist.policy_framework() is None
    a = parse_assessment(yaml.safe_dump(sample_data(), allow_unicode=True), "x.yaml", resolve=lambda i, v: checklist)
    g = glance(checklist, score(a), "en")
    assert not g.areas and g.groups
    pdf, html = both(a, "en")
    text_pdf = squash(" ".join(page_texts(pdf)))
    assert squash(msg("en", "report.chart_framework", framework="Policy areas")) in text_pdf  # still its own chart


def test_hostile_text_is_escaped_in_the_html():
    a = sample_assessment(comment="<script>alert(1)</script> & <b>fet</b>", heard="<img src=x onerror=alert(1)>")
    _, html = both(a, "sv")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in html
    assert inline("<b>x</b><br/><font color='#5a6270'>y</font><u>z</u>") == \
        '<b>x</b><br><span class="muted">y</span>&lt;u&gt;z&lt;/u&gt;'


def test_a_rating_without_evidence_is_marked_and_a_cited_dialogue_is_named():
    data = sample_data()
    data["alternatives"]["proposal"]["schools"]["dialogues"] = ["p1"]
    a = parse_assessment(yaml.safe_dump(data, allow_unicode=True), "x.yaml",
                         resolve=lambda i, v: sample_assessment().checklist)
    pdf, html = both(a, "sv")
    text = squash(" ".join(page_texts(pdf)))
    assert squash("Planförslaget – Underlag: utan underlag") in text
    assert squash("Planförslaget – Bygger på: Dialog 1") in text
    # who was heard, per group: the groups no dialogue reached are named as not heard
    assert squash(msg("sv", "report.participation_groups")) in text and squash(msg("sv", "report.participation_not_heard")) in text


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="AXE TEST NOT RUN: /usr/bin/chromium missing")
@pytest.mark.skipif(not AXE_JS.exists(), reason=MISSING)
@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_axe_finds_no_violation_in_the_html_twin(page, built, name, lang, tmp_path):  # type: ignore[no-untyped-def]
    _, _, html = built[(name, lang)]
    target = tmp_path / f"{name}-{lang}.html"
    target.write_text(html, encoding="utf-8")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(target.as_uri())
    assert [str(v) for v in violations(page)] == []
    assert all(u.startswith(("file:", "data:")) for u in requests), requests  # nothing fetched from anywhere
    # usable at 200 %: at half the width (what 200 % zoom gives a 1280 px window) nothing scrolls sideways
    page.set_viewport_size({"width": 640, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_letter_tells_decided_from_planned_and_is_honest_when_nothing_changed():
    from reports import render_participant_feedback

    data = sample_data()
    for rec in data["participation"]:
        rec["changed"] = ""
    a = parse_assessment(yaml.safe_dump(data, allow_unicode=True), "x.yaml",
                         resolve=lambda i, v: sample_assessment().checklist)
    for children in (False, True):
        out = io.BytesIO()
        render_participant_feedback(a, out, lang="sv", children=children)
        text = squash(" ".join(page_texts(out.getvalue())))
        prefix = "report.pfc_" if children else "report.pf_"
        # m1 is planned, m2 under way: each under its own heading, the planned one not as a promise
        decided, planned = squash(msg("sv", prefix + "next_decided")), squash(msg("sv", prefix + "next_planned"))
        assert decided in text and planned in text
        assert text.index(decided) < text.index(squash("Hastighetsdämpande åtgärder")) < text.index(planned)
        assert squash(msg("sv", prefix + "thanks_unchanged")) in text
        assert squash(msg("sv", prefix + "thanks")) not in text
    assert squash(msg("sv", "report.pfc_heard")) in text and squash(msg("sv", "report.pf_heard")) not in text
