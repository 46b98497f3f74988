"""The report's fonts: the DejaVu Sans family that ships inside matplotlib.

The fonts come from a declared dependency, never from the operating system, so
the report looks the same on every machine and keeps Łódź, Şahin, Ελλάδα and
Cyrillic (the built-in Helvetica cannot). matplotlib is only used as a font
package here: its directory is found with importlib, nothing of it is imported.
Registration happens once per process; this module must not draw anything.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from assessment.errors import ReportError

__all__ = ["FAMILY", "BOLD", "ITALIC", "BOLD_ITALIC", "register_fonts", "font_dir"]

FAMILY = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

_FILES = ((FAMILY, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf"), (ITALIC, "DejaVuSans-Oblique.ttf"),
          (BOLD_ITALIC, "DejaVuSans-BoldOblique.ttf"))


def font_dir() -> Path:
    """Where matplotlib keeps its bundled TTF fonts."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ReportError("the report needs the DejaVu fonts that come with matplotlib, and matplotlib is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


@functools.cache
def register_fonts() -> str:
    """Register the DejaVu Sans family (regular, bold, italic, bold italic) once; return the family name.

    Registered as a family so that <b> and <i> in paragraph markup pick the
    right face, in paragraphs, tables and the table of contents alike."""
    folder = font_dir()
    for name, filename in _FILES:
        path = folder / filename
        if not path.is_file():
            raise ReportError(f"the report font {filename} is missing from the matplotlib installation")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    # registerFontFamily maps the family; the explicit mappings cover look-ups by face name too.
    addMapping(FAMILY, 0, 0, FAMILY)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    return FAMILY
