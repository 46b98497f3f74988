"""The accessibility check itself can fail: axe-core finds known faults in a page made to have them,
and none in the same page with the faults fixed (so a "0 violations" elsewhere means something)."""

from __future__ import annotations

from pathlib import Path

import pytest

try:  # tests/ is on sys.path under pytest's default import mode
    from axe_check import AXE_JS, MISSING, SERIOUS, violations
except ImportError:  # tests/ made a package
    from tests.axe_check import AXE_JS, MISSING, SERIOUS, violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="AXE TEST NOT RUN: /usr/bin/chromium missing"),
    pytest.mark.skipif(not AXE_JS.exists(), reason=MISSING),
]

BAD = """<!doctype html><html><head><title>Bedömning</title></head><body><main>
<h1>Social konsekvensbedömning – Łódź</h1>
<p style="color:#bbbbbb;background:#ffffff">Svag text som knappt syns</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<label>Titel</label><input type="text">
</main></body></html>"""

GOOD = """<!doctype html><html lang="sv"><head><title>Bedömning</title></head><body><main>
<h1>Social konsekvensbedömning – Łódź</h1>
<p style="color:#333333;background:#ffffff">Text som syns</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Karta över planområdet">
<label for="t">Titel</label><input id="t" type="text">
</main></body></html>"""


def test_axe_finds_the_faults_planted_in_a_page(page) -> None:  # type: ignore[no-untyped-def]
    page.set_content(BAD)
    rules = {v.rule for v in violations(page)}
    assert {"html-has-lang", "color-contrast", "image-alt", "label"} <= rules, rules
    assert {v.rule for v in violations(page, SERIOUS)} >= {"color-contrast", "image-alt"}


def test_axe_finds_nothing_once_they_are_fixed(page) -> None:  # type: ignore[no-untyped-def]
    page.set_content(GOOD)
    assert [str(v) for v in violations(page)] == []
