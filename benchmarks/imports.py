"""Import time of SKB's own modules, beyond Streamlit's.

Each figure comes from a fresh interpreter, so nothing is cached in-process:
the floor is `import streamlit` alone; the measure is `import streamlit`
followed by every module of `assessment`, `reports` and `ui` (not the page
scripts under `ui/app_pages`, which Streamlit runs rather than imports). The
headline is the difference: what our code adds to a server's start and to
every `skb` command. A `-X importtime` run names the heaviest packages we pull
in that Streamlit does not.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import time
from pathlib import Path

from .context import Context
from .harness import NotMeasured, Row, stats

__all__ = ["our_modules", "import_time"]

PACKAGES = ("assessment", "reports", "ui")


def our_modules(root: Path) -> list[str]:
    """Every importable module of our packages, skipping `__main__` and page scripts."""
    names = []
    for package in PACKAGES:
        base = root / package
        if not (base / "__init__.py").exists():
            continue
        names.append(package)
        for info in pkgutil.iter_modules([str(base)]):
            if info.name != "__main__" and not info.ispkg:
                names.append(f"{package}.{info.name}")
    return names


def _wall(code: str, cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise NotMeasured(f"importing our modules failed: {done.stderr.strip().splitlines()[-1][:200]}")
    return took


def _heaviest(modules: list[str], cwd: Path, top: int = 4) -> list[tuple[str, float]]:
    code = "import streamlit\n" + "".join(f"import {m}\n" for m in modules)
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    # Lines read "import time: self [us] | cumulative | name"; the name's indent is its depth.
    after_streamlit = False
    totals: list[tuple[str, float]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() if i else part for i, part in enumerate(line.split("|")))
        depth = (len(name) - len(name.lstrip())) // 2
        name = name.strip()
        if depth == 0 and name == "streamlit":
            after_streamlit = True
            continue
        if after_streamlit and depth == 0:
            totals.append((name, int(cumulative) / 1000))
    return sorted(totals, key=lambda t: -t[1])[:top]


def import_time(ctx: Context) -> Row:
    modules = our_modules(ctx.root)
    if not modules:
        raise NotMeasured("no modules of our own to import")
    n = ctx.n(5, 1)
    ours_code = "import streamlit\n" + "".join(f"import {m}\n" for m in modules)
    base_code = "import streamlit\n"
    ours, base = [], []
    _wall(base_code, ctx.root)  # warm the file cache
    for _ in range(n):
        base.append(_wall(base_code, ctx.root))
        ours.append(_wall(ours_code, ctx.root))
    o, b = stats(ours), stats(base)
    heaviest = ", ".join(f"{name} {ms:.0f} ms" for name, ms in _heaviest(modules, ctx.root))
    return Row(
        measure="Import time of our own modules, beyond Streamlit's",
        unit="ms",
        figures={"value": (o.median - b.median) * 1000, "median": o.median * 1000},
        floor={"median": b.median * 1000},
        floor_name="a fresh interpreter importing streamlit alone",
        samples=o.n,
        note=f"value = median(streamlit + our {len(modules)} modules) - median(streamlit alone); "
             f"heaviest top-level imports after streamlit: {heaviest}",
    )
