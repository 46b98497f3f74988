"""How a score is written as a figure: one rule for every surface (results page, report, CLI, verdict).

A score on −100…+100, or a difference on −200…+200, is shown as a whole number
rounded half away from zero, with a real minus sign: "+12", "−12", "0". Pure; no I/O.
"""

from __future__ import annotations

import math

__all__ = ["MINUS", "figure", "fmt_figure"]

MINUS = "−"


def figure(value: float | None) -> int | None:
    """A score as the whole number shown everywhere: rounded half away from zero; None stays None."""
    if value is None or math.isnan(value):
        return None
    whole = math.floor(abs(value) + 0.5)
    return int(-whole if value < 0 else whole)


def fmt_figure(value: float | int | None, none: str = "–") -> str:
    """A score or difference as text: "+12", "−12", "0" (a real minus sign); `none` when there is none."""
    shown = figure(value)
    if shown is None:
        return none
    return "0" if shown == 0 else f"{shown:+d}".replace("-", MINUS)
