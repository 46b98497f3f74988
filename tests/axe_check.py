"""axe-core, the accessibility rules engine, run inside a Playwright page.

axe-core comes from the npm registry through tests/axe's lockfile (`.ci/run` runs
`npm ci --prefix tests/axe`); nothing is fetched from a CDN. `violations(page)` injects
it into the page as it stands and returns what it finds, each with the rule, its impact
and the elements it names, so that a failing test says what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
MISSING = f"axe-core is not installed: run `npm ci --prefix tests/axe` ({AXE_JS.name} missing)"
# WCAG 2.1 A and AA, which EN 301 549 and so lag (2018:1937) om tillgänglighet till digital offentlig service ask for.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return f"{self.rule} ({self.impact}): {self.help} [{shown}]"


def violations(page, impacts: tuple[str, ...] | None = None, *,  # type: ignore[no-untyped-def]
               exclude: tuple[str, ...] = ()) -> list[Violation]:
    """The WCAG 2.1 AA violations axe-core finds in `page` now; only those of `impacts` if given.

    `exclude` takes CSS selectors axe leaves out (for a part that is not ours to fix, named
    with the reason at the call site)."""
    if not AXE_JS.exists():
        raise RuntimeError(MISSING)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    found = page.evaluate(
        """async ([context, tags]) => {
            const result = await window.axe.run(context || document,
                {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({rule: v.id, impact: v.impact || 'unknown', help: v.help,
                targets: v.nodes.map(n => n.target.join(' '))}));
        }""",
        [context, WCAG_AA],
    )
    out = [Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in found]
    return [v for v in out if impacts is None or v.impact in impacts]
