"""Scoring throughput: assessments of the integrated checklist scored per second, one core.

The floor is the least any scorer must do: walk the same answers and take a
weighted mean of the ratings, in plain Python. The measure scores a pool of
differently answered assessments in turn (so no answer-level caching can
flatter it) for a fixed stretch of time, in batches; the figure is the median
batch rate of `score(a)`. The second row scores and then reads every field of
every object in the result (`read_every_field`), so nothing a reader might
touch is left out of the figure.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from assessment.answers.model import Assessment

from .context import Context, integrated_checklist, need_module
from .gen import fill_assessment
from .harness import Row, stats

__all__ = ["scoring_throughput", "scoring_read_all", "floor_score", "read_every_field"]


def floor_score(a: Assessment) -> float | None:
    """A weighted mean of every integer rating in the assessment: the bare minimum of scoring."""
    weights = {c.id: c.weight for c in a.checklist.criteria()}
    total = 0.0
    weight = 0.0
    for answers in a.alternatives.values():
        for cid, ans in answers.items():
            values = ans.value.values() if isinstance(ans.value, dict) else (ans.value,)
            for v in values:
                if isinstance(v, int) and not isinstance(v, bool):
                    total += v * weights[cid]
                    weight += weights[cid]
    return total / weight if weight else None


_FIELDS: dict[type, tuple[str, ...]] = {}
_LEAVES = (str, int, float, bool, type(None))


def read_every_field(root: Any) -> int:
    """Read every field of a result, recursively (dataclasses, dicts, lists, tuples); the number read."""
    read = 0
    stack = [root]
    while stack:
        value = stack.pop()
        cls = type(value)
        if cls is dict:
            values: Any = list(value.values())
        elif cls is list or cls is tuple:
            values = value
        elif cls in _LEAVES:
            continue
        else:
            names = _FIELDS.get(cls)
            if names is None:
                if not dataclasses.is_dataclass(value):
                    continue
                names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(value))
            values = [getattr(value, name) for name in names]
        read += len(values)
        stack.extend(values)
    return read


def _rates(fn: Callable[[Assessment], Any], pool: list[Assessment], seconds: float, batch: int) -> list[float]:
    rates = []
    deadline = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < deadline or len(rates) < 3:
        start = time.perf_counter()
        for _ in range(batch):
            fn(pool[i % len(pool)])
            i += 1
        rates.append(batch / (time.perf_counter() - start))
    return rates


def _pool() -> tuple[Any, list[Assessment]]:
    scoring = need_module("assessment.scoring.scoring", "the scoring engine")
    checklist = integrated_checklist()
    pool = [fill_assessment(checklist, seed=s) for s in range(16)]
    for a in pool:  # warm the per-checklist caches, as a long-running server has them
        scoring.score(a)
    return scoring, pool


def _shape(checklist: Any) -> str:
    return (f"{len(checklist.criteria())} criteria, {len(checklist.alternative_ids())} alternatives, "
            f"{len(checklist.groups)} groups")


def scoring_throughput(ctx: Context) -> Row:
    scoring, pool = _pool()
    seconds = 0.3 if ctx.quick else 2.0
    ours = stats(_rates(scoring.score, pool, seconds, batch=50))
    base = stats(_rates(floor_score, pool, seconds / 2, batch=200))
    return Row(
        measure="Scoring throughput, integrated checklist, one core",
        unit="assessments/s",
        figures={"median": ours.median, "min": ours.min},
        floor_name="plain-Python weighted mean over the same ratings",
        floor={"median": base.median},
        higher_is_better=True,
        samples=ours.n,
        note=f"{_shape(pool[0].checklist)}; the result is built whole (frozen dataclasses, nothing deferred)",
    )


def scoring_read_all(ctx: Context) -> Row:
    scoring, pool = _pool()
    seconds = 0.3 if ctx.quick else 2.0
    fields = read_every_field(scoring.score(pool[0]))
    ours = stats(_rates(lambda a: read_every_field(scoring.score(a)), pool, seconds, batch=20))
    base = stats(_rates(floor_score, pool, seconds / 2, batch=200))
    return Row(
        measure="Scoring throughput, every field of the result read, one core",
        unit="assessments/s",
        figures={"median": ours.median, "min": ours.min},
        floor_name="plain-Python weighted mean over the same ratings",
        floor={"median": base.median},
        higher_is_better=True,
        samples=ours.n,
        note=f"{_shape(pool[0].checklist)}; score(a), then all {fields:,} fields of its result read recursively",
    )
