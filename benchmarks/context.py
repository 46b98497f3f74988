"""What every measure gets: the run's settings and the project's real inputs.

A measure asks the context for the integrated checklist, an example
assessment or a generated one; when a piece of SKB it needs is not there (a
checklist not written yet, a module not built yet) the context raises
`NotMeasured` with the reason, so the runner can say so instead of inventing a
figure. Temporary files go under the run's own temporary directory, never into
the user's data directory.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from assessment.checklist.checklist import Checklist
from assessment.answers.model import Assessment

from .harness import NotMeasured

__all__ = ["ROOT", "INTEGRATED", "EXAMPLE", "Context", "need_module", "integrated_checklist", "example_assessment"]

ROOT = Path(__file__).resolve().parent.parent
INTEGRATED = "skb-integrerad"
EXAMPLE = "grannskap-utbyggnad"  # the integrated checklist's example: residents involved into the drawings


@dataclass
class Context:
    """Settings of one run. `quick` takes few repetitions (the smoke test)."""

    tmp: Path
    quick: bool = False
    root: Path = ROOT
    log: list[str] = field(default_factory=list)

    def n(self, full: int, quick: int) -> int:
        """How many repetitions: `full` normally, `quick` in quick mode."""
        return quick if self.quick else full

    def subdir(self, name: str) -> Path:
        path = self.tmp / name
        path.mkdir(parents=True, exist_ok=True)
        return path


def need_module(name: str, what: str) -> ModuleType:
    """Import `name`, or NotMeasured saying that `what` has not landed."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == name or name.startswith(exc.name + ".")):
            raise NotMeasured(f"{what} does not exist yet ({name})") from None
        raise


@functools.cache
def integrated_checklist(root: Path = ROOT) -> Checklist:
    from assessment.checklist.validate import load_checklist

    path = root / "checklists" / f"{INTEGRATED}.yaml"
    if not path.exists():
        raise NotMeasured(f"the integrated checklist checklists/{INTEGRATED}.yaml does not exist yet")
    return load_checklist(path)


def example_assessment(name: str = EXAMPLE, root: Path = ROOT) -> Assessment:
    """A fresh copy of an example assessment from `examples/`, its checklist resolved from the library."""
    from assessment.checklist.library import resolve_checklist
    from assessment.answers.model import parse_assessment

    path = root / "examples" / f"{name}.yaml"
    if not path.exists():
        raise NotMeasured(f"the example examples/{name}.yaml does not exist yet")
    return parse_assessment(path.read_bytes(), f"examples/{path.name}", resolve=resolve_checklist)
