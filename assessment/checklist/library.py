"""Where checklists come from: the reference checklists shipped in `checklists/`,
plus any directory named by SKB_CHECKLIST_DIR (a municipality's own).

Finding them by id and version is what lets a hand-written example or an
exported answers file leave out the checklist snapshot.
"""

from __future__ import annotations

import os
from pathlib import Path

from assessment.checklist.checklist import Checklist
from assessment.checklist.said import Said
from assessment.checklist.validate import Problem, read_checklist_file
from assessment.errors import AssessmentFileError

__all__ = ["checklist_dirs", "checklist_files", "load_library", "resolve_checklist", "reference_for",
           "snapshot_origin", "origin_note"]

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"


def checklist_dirs() -> list[Path]:
    extra = os.environ.get("SKB_CHECKLIST_DIR")
    dirs = [Path(p) for p in extra.split(os.pathsep) if p] if extra else []
    return [*dirs, SHIPPED]


def checklist_files() -> list[Path]:
    files: list[Path] = []
    for d in checklist_dirs():
        if d.is_dir():
            files.extend(sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml")))
    return files


def load_library() -> tuple[dict[str, Checklist], dict[str, list[Problem]]]:
    """Every valid checklist by id (first directory wins), in the library's `order`, and the problems of the
    files that failed."""
    found: dict[str, Checklist] = {}
    broken: dict[str, list[Problem]] = {}
    for path in checklist_files():
        checklist, problems = read_checklist_file(path)
        if checklist is None:
            broken[str(path)] = problems
        elif checklist.id not in found:
            found[checklist.id] = checklist
    # The library's own order (`order`, then id), so the first is the one a new assessment starts from.
    ordered = dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))
    return ordered, broken


def resolve_checklist(checklist_id: str, version: str) -> Checklist:
    """The library checklist with this id and version, or AssessmentFileError."""
    found, _ = load_library()
    checklist = found.get(checklist_id)
    if checklist is None:
        raise AssessmentFileError("checklist.not_installed", id=checklist_id,
                                  installed=", ".join(sorted(found)) or Said("none"))
    if checklist.version != version:
        raise AssessmentFileError("checklist.other_version_installed", id=checklist_id, version=version,
                                  installed=checklist.version)
    return checklist


def reference_for(checklist: Checklist) -> Checklist | None:
    """The installed reference checklist `checklist` derives its weights from (`scoring.reference`), if it names
    one other than itself and that one is installed: scoring then lists the weights that differ from it."""
    ref = checklist.scoring.reference
    if ref is None or ref == checklist.id:
        return None
    found, _ = load_library()
    return found.get(ref)


def snapshot_origin(checklist: Checklist, installed: dict[str, Checklist] | None = None) -> str:
    """Where an assessment's checklist snapshot stands against this installation's checklists.

    "installed": the same content as the installed checklist of that id;
    "modified": it reuses an installed checklist's id with other content (an
    edited copy, or another version); "own": no installed checklist has its id."""
    found = load_library()[0] if installed is None else installed
    library = found.get(checklist.id)
    if library is None:
        return "own"
    return "installed" if library.content_hash() == checklist.content_hash() else "modified"


def origin_note(checklist: Checklist, lang: str = "sv", installed: dict[str, Checklist] | None = None) -> str | None:
    """A warning for a snapshot that reuses an installed checklist's id with other content, else None."""
    found = load_library()[0] if installed is None else installed
    if snapshot_origin(checklist, found) != "modified":
        return None
    library = found[checklist.id]
    return Said("modified_copy", id=checklist.id, version=checklist.version,
                installed=library.version).text(lang)
