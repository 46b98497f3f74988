"""Nothing spills out of the page: tables, charts and long words stay inside the text frame.

Each page is rendered to an image with poppler's pdftoppm (the `tests/render.py`
helper) and the strips outside the frame (the left and right margins, above the
footer) must be blank. A table too wide, a chart label running off or a long
word not broken would all leave ink there.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from reports import render_participant_feedback, render_report
from reports.toolkit.styles import MARGIN, PAGE
from render import page_texts, render_pages, sample_assessment

DPI = 50
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")


def _ink_outside_frame(png: Path) -> list[str]:
    image = Image.open(png).convert("L")
    width, height = image.size
    scale = width / PAGE[0]
    margin = int(MARGIN * scale) - 2  # a pixel or two of antialiasing at the frame's edge
    top, bottom = int(MARGIN * scale * 0.5), int(height - MARGIN * scale)  # the footer sits below the frame
    problems = []
    for name, box in (("left", (0, top, margin, bottom)), ("right", (width - margin, top, width, bottom))):
        darkest = image.crop(box).getextrema()[0]
        if darkest < 200:
            problems.append(f"{png.name}: ink in the {name} margin")
    return problems


LONG_WORD = "Samhällsbyggnadsförvaltningensplanerings" * 6


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_page_of_the_report_has_ink_in_its_margins(tmp_path: Path, lang: str):
    a = sample_assessment(measure=LONG_WORD, responsible=LONG_WORD, indicator=LONG_WORD, comment=LONG_WORD,
                          group_free=LONG_WORD, title="Detaljplan " + LONG_WORD)
    out = io.BytesIO()
    render_report(a, out, lang=lang)
    pngs = render_pages(out.getvalue(), tmp_path, DPI)
    assert len(pngs) == len(page_texts(out.getvalue()))
    problems = [p for png in pngs for p in _ink_outside_frame(png)]
    assert not problems


def test_the_participant_letter_keeps_its_margins(tmp_path: Path):
    out = io.BytesIO()
    render_participant_feedback(sample_assessment(heard=LONG_WORD, method=LONG_WORD), out)
    pngs = render_pages(out.getvalue(), tmp_path, DPI)
    assert not [p for png in pngs for p in _ink_outside_frame(png)]
