"""Scoring throughput: assessments of the integrated checklist scored per second, one core.

The floor is the least any scorer must do: walk the same answers and take a
weighted mean of the ratings, in plain Python. The measure scores a pool of
differently answered assessments in turn (so no answer-level caching can
flatter it) for a fixed stretch of time, in batches; the figure is the median
batch rate of `score(a)`. Where a result computes some parts when first read,
the note also gives the rate with every figure read (`model_dump`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from assessment.model import Assessment

from .context import Context, integrated_checklist, need_module
from .gen import fill_assessment
from .harness import Row, stats

__all__ = ["scoring_throughput", "floor_score"]


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


def scoring_throughput(ctx: Context) -> Row:
    scoring = need_module("assessment.scoring", "the scoring engine")
    checklist = integrated_checklist()
    pool = [fill_assessment(checklist, seed=s) for s in range(16)]
    for a in pool:  # warm the per-checklist caches, as a long-running server has them
        scoring.score(a)
    seconds = 0.3 if ctx.quick else 2.0
    ours = stats(_rates(scoring.score, pool, seconds, batch=50))
    base = stats(_rates(floor_score, pool, seconds / 2, batch=200))
    # A result may compute parts of itself when first read; reading all of it is the other bound.
    read_all = stats(_rates(lambda a: scoring.score(a).model_dump(), pool, seconds / 2, batch=20))
    return Row(
        measure="Scoring throughput, integrated checklist, one core",
        unit="assessments/s",
        figures={"median": ours.median, "min": ours.min, "read_all": read_all.median},
        floor_name="plain-Python weighted mean over the same ratings",
        floor={"median": base.median},
        higher_is_better=True,
        samples=ours.n,
        note=f"{len(checklist.criteria())} criteria, {len(checklist.alternative_ids())} alternatives, "
             f"{len(checklist.groups)} groups; score(a) and every figure of the result read (model_dump): "
             f"{read_all.median:,.0f}/s",
    )
