"""How fast an over-limit assessment is refused (issue 13: files within the size limit hung the report).

Each of the three files of the issue (60,000 measures, 30,000 participation
records, a 5 MB municipality name) is read by `parse_assessment`, the door every
file goes through (import, `skb score`, `skb report`), and must be refused with
LimitExceeded. The floor is reading the same bytes as JSON: what any reader pays
before it can look at them. The figure is the slowest of the three.
"""

from __future__ import annotations

import json
import time

from assessment.errors import LimitExceeded
from assessment.answers.model import dump_assessment, new_assessment, parse_assessment

from .context import Context, integrated_checklist
from .harness import Row, scaled, stats

__all__ = ["hostile_files", "refusal"]


def hostile_files() -> dict[str, str]:
    a = new_assessment(integrated_checklist(), "Stor")
    base = json.loads(dump_assessment(a, "json"))
    criterion = a.checklist.criteria()[0].id
    files = {}
    for name in ("measures", "participation", "name"):
        data = json.loads(json.dumps(base))
        if name == "measures":
            data["measures"] = [{"criterion": criterion, "text": "Plantera träd"}] * 60_000
        elif name == "participation":
            data["participation"] = [{"method": "Trygghetsvandring"}] * 30_000
        else:
            data["metadata"]["municipality"] = "Å" * 2_500_000  # 5 MB in UTF-8
        files[name] = json.dumps(data, ensure_ascii=False)
    return files


def refusal(ctx: Context) -> Row:
    files = hostile_files()
    ours: list[float] = []
    floors: list[float] = []
    for _ in range(ctx.n(5, 1)):
        worst, worst_floor = 0.0, 0.0
        for name, raw in files.items():
            start = time.perf_counter()
            try:
                parse_assessment(raw, f"{name}.json")
            except LimitExceeded:
                pass
            else:
                raise AssertionError(f"{name}.json was not refused")
            worst = max(worst, time.perf_counter() - start)
            start = time.perf_counter()
            json.loads(raw)
            worst_floor = max(worst_floor, time.perf_counter() - start)
        ours.append(worst)
        floors.append(worst_floor)
    o, b = stats(ours), stats(floors)
    return Row(measure="Bounds: an over-limit file refused, the slowest of issue 13's three", unit="s",
               figures=scaled(o, 1.0), floor=scaled(b, 1.0), floor_name="json.loads of the same bytes",
               samples=o.n, note="60,000 measures; 30,000 participation records; a 5 MB municipality name")
