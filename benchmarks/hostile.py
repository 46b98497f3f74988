"""Hostile files: how quickly a file SKB must refuse is refused.

The fault tests (tests/test_faults_hostile_files.py, tests/test_import_export.py)
prove that every hostile file is refused at every door with its message, in
bounded memory, storing nothing; how long that takes is measured here, where a
busy machine makes a figure slower instead of a test red. Each case is a
hostile variant of an example assessment's own file (oversized, nested
thousands deep as YAML and as JSON, a YAML alias bomb, invalid UTF-8, a Python
tag, an unknown checklist), pushed through the store's import, the door every
upload and `skb import` goes through. The floor is importing the valid file
itself into an empty store: refusing should never cost much more than
accepting. A second row times `skb import` of a 64 MB file, which must read no
more than the size limit; its floor is reading that much of the file.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import yaml

from .context import Context, example_assessment, need_module
from .harness import Row, Stats, interleaved, scaled, stats

__all__ = ["hostile_files", "CASES", "hostile_cases"]

AUTHOR = "Bänk Märk"
CASES = ("oversized", "deep YAML nesting", "deep JSON nesting", "alias bomb", "invalid UTF-8", "python tag",
         "unknown checklist")


def _alias_bomb() -> bytes:
    lines = ["format: skb-assessment", "schema_version: 1", 'a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for n in range(1, 12):  # 9^12 values if anyone expanded it
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def hostile_cases(valid: str) -> dict[str, bytes]:
    """Each hostile case, made from the valid file `valid` (YAML with its checklist snapshot)."""
    data = yaml.safe_load(valid)
    del data["checklist"]
    data["checklist_ref"] = {"id": "finns-inte", "version": "1", "hash": ""}
    return {
        "oversized": valid.encode() + b"# " + b"x" * (6 * 1024 * 1024) + b"\n",
        "deep YAML nesting": ("format: skb-assessment\nx: " + "[" * 20_000 + "]" * 20_000 + "\n").encode(),
        "deep JSON nesting": ('{"format": "skb-assessment", "x": ' + "[" * 200_000 + "]" * 200_000 + "}").encode(),
        "alias bomb": _alias_bomb(),
        "invalid UTF-8": valid.encode() + "# Åkern\n".encode("latin-1"),
        "python tag": (valid + "x: !!python/object/apply:os.system ['echo pwned']\n").encode(),
        "unknown checklist": json.dumps(data, ensure_ascii=False).encode(),
    }


def _refuse(store: Any, raw: bytes, errors: type[Exception]) -> Callable[[], None]:
    def attempt() -> None:
        try:
            store.import_(raw, "upload.yaml", AUTHOR)
        except errors:
            return
        raise RuntimeError("a hostile file was accepted")  # the fault tests would fail too

    return attempt


def _refusals(ctx: Context, storage: ModuleType, errors: type[Exception], valid: str) -> Row:
    from assessment.answers.model import parse_assessment

    n = ctx.n(5, 1)
    d = ctx.subdir("hostile")
    store = storage.open_store(f"sqlite:///{d / 'skb.sqlite'}")
    floor_store = storage.open_store(f"sqlite:///{d / 'floor.sqlite'}")
    imported = parse_assessment(valid, "valid.yaml")

    def accept() -> None:
        floor_store.import_(valid, "valid.yaml", AUTHOR, as_new=True)

    per_case: dict[str, Stats] = {}
    base: list[float] = []
    try:
        for case, raw in hostile_cases(valid).items():
            ours, floor = interleaved(_refuse(store, raw, errors), accept, n, warmup=0 if ctx.quick else 1)
            per_case[case] = stats(ours)
            base += floor
        if store.list():
            raise RuntimeError("a refused file left something in the store")
    finally:
        store.close()
        floor_store.close()
    slowest = max(per_case, key=lambda c: per_case[c].median)
    cases = "; ".join(f"{c} {s.median * 1000:.1f} ms" for c, s in per_case.items())
    return Row(measure="Hostile files: the slowest refusal by the store's import", unit="s",
               figures=scaled(per_case[slowest], 1.0), floor=scaled(stats(base), 1.0),
               floor_name=f"importing the valid file itself ({len(valid):,} bytes) into an empty store",
               samples=per_case[slowest].n,
               note=f"slowest: {slowest}; each case's median: {cases}; file made from the example "
                    f"'{imported.metadata.title}'")


def _oversized_cli(ctx: Context) -> Row:
    from assessment.workflow import cli
    from assessment.checklist.yamlio import Limits

    d = ctx.subdir("hostile-cli")
    path = d / "stor.yaml"
    with open(path, "wb") as f:
        f.write(b"format: skb-assessment\n# " + b"x" * (64 * 1024 * 1024))
    url = f"sqlite:///{d / 'skb.sqlite'}"
    limit = Limits().max_bytes

    def refuse() -> None:
        with contextlib.redirect_stderr(io.StringIO()) as err:
            code = cli.main(["import", str(path), "--db", url, "--author", AUTHOR, "--lang", "en"])
        if code != 1 or "the largest accepted is" not in err.getvalue():
            raise RuntimeError(f"skb import of 64 MB gave {code}: {err.getvalue()[:200]}")

    def floor() -> None:
        with open(path, "rb") as f:
            f.read(limit + 1)

    ours, base = interleaved(refuse, floor, ctx.n(5, 1), warmup=1)
    o, b = stats(ours), stats(base)
    return Row(measure="Hostile files: skb import refusing a 64 MB file", unit="s", figures=scaled(o, 1.0),
               floor=scaled(b, 1.0), floor_name=f"reading the size limit ({limit:,} bytes) of the same file",
               samples=o.n, note="the command opens the database and reads no more than the limit")


def hostile_files(ctx: Context) -> list[Row]:
    storage = need_module("assessment.store.storage", "the storage layer")
    from assessment.errors import SkbError
    from assessment.answers.model import dump_assessment

    valid = dump_assessment(example_assessment())
    return [_refusals(ctx, storage, SkbError, valid), _oversized_cli(ctx)]
