"""The results page's one-glance figure (ui/glance.py) draws the same data as the report's decision page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assessment.scoring.glance import glance
from assessment.scoring.scoring import score
from reports.i18n import msg

try:  # tests/ is on sys.path under pytest's default import mode
    from render import sample_assessment
except ImportError:  # tests/ made a package
    from tests.render import sample_assessment


def _page(lang: str) -> None:
    import sys

    sys.path.insert(0, "tests")
    from render import sample_assessment as sample  # noqa: PLC0415 (the app script imports its own)

    from assessment.scoring.scoring import score as rescore
    from ui.glance import show_glance

    a = sample()
    show_glance(a.checklist, rescore(a), lang)  # noqa: F821 (lang is passed as the script's argument)


def test_the_frame_holds_the_glance_cells_with_not_rated_apart_from_zero():
    from ui.glance import glance_frame

    a = sample_assessment()
    g = glance(a.checklist, score(a), "sv")
    frame = glance_frame(g, "sv")
    assert len(frame) == len(g.rows) * len(g.alternatives)
    work = frame[frame["row"] == next(r.short for r in g.areas if r.id == "work")]
    assert list(work["shown"]) == ["0", "–"] and work["value"].isna().tolist() == [False, True]


def test_show_glance_draws_a_chart_its_text_alternative_and_its_table():
    for lang in ("sv", "en"):
        at = AppTest.from_function(_page, kwargs={"lang": lang}).run(timeout=60)
        assert not at.exception, at.exception
        assert any(msg(lang, "report.glance_title") in m.value for m in at.markdown)
        assert any(c.value.startswith(msg(lang, "report.glance_alt", alternatives="\x00").split("\x00")[0])
                   for c in at.caption)
        assert len(at.get("vega_lite_chart")) == 1 and len(at.dataframe) == 1
