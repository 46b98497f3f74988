"""The timing harness: repeated measurements, floors, ratios and targets.

A figure on its own says little on a shared, noisy two-core machine, so every
measure is taken together with a *floor*: the least work that could possibly
give the same result (a bare Streamlit script drawing the same widgets, a bare
reportlab document with the same paragraphs, a raw SQLite insert, ...),
measured in the same run and, where both are cheap, interleaved with it so
that a noisy neighbour slows both alike. The ratio measure / floor is the
figure that travels between machines. A measure that cannot be taken (a piece
not built yet, Chromium missing) raises `NotMeasured` with the reason, and the
runner prints that reason instead of a number. Nothing here knows SKB.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["NotMeasured", "Stats", "Target", "Row", "stats", "repeat", "interleaved", "not_measured_row", "scaled"]


class NotMeasured(Exception):
    """The measure could not be taken; the message says why (shown as "not measured: …")."""


@dataclass(frozen=True)
class Stats:
    """Summary of samples, in the unit of the samples."""

    n: int
    median: float
    p95: float
    mean: float
    min: float
    max: float

    def get(self, name: str) -> float:
        return float(getattr(self, name))


def _percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def stats(samples: list[float]) -> Stats:
    if not samples:
        raise ValueError("no samples")
    s = sorted(samples)
    return Stats(n=len(s), median=statistics.median(s), p95=_percentile(s, 0.95), mean=statistics.fmean(s),
                 min=s[0], max=s[-1])


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def repeat(fn: Callable[[], Any], n: int, warmup: int = 1) -> list[float]:
    """Seconds per call of `fn`, `n` times after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    gc.collect()
    return [_timed(fn) for _ in range(n)]


def interleaved(fn: Callable[[], Any], floor: Callable[[], Any], n: int, warmup: int = 1) -> tuple[list[float], list[float]]:
    """Seconds per call of `fn` and of `floor`, alternating ABAB so that noise hits both alike."""
    for _ in range(warmup):
        floor()
        fn()
    gc.collect()
    ours: list[float] = []
    base: list[float] = []
    for _ in range(n):
        base.append(_timed(floor))
        ours.append(_timed(fn))
    return ours, base


@dataclass(frozen=True)
class Target:
    """A target on one statistic (`median`, `p95`, `value`, `ratio`), in display units."""

    stat: str
    op: Literal["<=", ">="]
    limit: float
    text: str  # as the issue states it, e.g. "p95 <= 100 ms"

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value <= self.limit if self.op == "<=" else value >= self.limit


@dataclass
class Row:
    """One line of the results table.

    `figures` holds the statistics in `unit` (e.g. {"median": 41.2, "p95": 55.0});
    `headline` names the one compared with the floor's same statistic. `ratio`
    is always cost(measure) / cost(floor): above 1 means slower or bigger than
    the floor (for a throughput it is floor rate / our rate)."""

    measure: str
    unit: str
    figures: dict[str, float] = field(default_factory=dict)
    headline: str = "median"
    floor_name: str = ""
    floor: dict[str, float] = field(default_factory=dict)
    higher_is_better: bool = False
    targets: list[Target] = field(default_factory=list)
    samples: int = 0
    note: str = ""
    not_measured: str = ""

    @property
    def ratio(self) -> float | None:
        ours, base = self.figures.get(self.headline), self.floor.get(self.headline)
        if ours is None or base is None or ours == 0 or base == 0:
            return None
        return base / ours if self.higher_is_better else ours / base

    def verdicts(self) -> list[tuple[Target, bool | None]]:
        out = []
        for t in self.targets:
            value = self.ratio if t.stat == "ratio" else self.figures.get(t.stat)
            out.append((t, t.met(value)))
        return out

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["targets"] = [{**asdict(t), "met": met} for t, met in self.verdicts()]
        return data


def not_measured_row(measure: str, why: str, targets: list[Target] | None = None) -> Row:
    return Row(measure=measure, unit="", targets=targets or [], not_measured=why)


def scaled(st: Stats, factor: float, names: tuple[str, ...] = ("median", "p95", "min", "max")) -> dict[str, float]:
    """Statistics multiplied into a display unit (1000 for ms)."""
    return {name: st.get(name) * factor for name in names}

