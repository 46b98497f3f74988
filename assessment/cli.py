"""The `skb` command line: everything the wizard does, without a browser.

Each verb is a small function that parses nothing itself: argparse does that,
the function calls the core, prints, and returns an exit code. Messages for
user mistakes go to stderr without a traceback. Verbs:

    skb validate PATH...     check checklist files (exit 1 on any error)
    skb schema               print the JSON Schema of the checklist format
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from .errors import SkbError

__all__ = ["main", "build_parser"]

Handler = Callable[[argparse.Namespace], int]


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


# --- validate / schema -----------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import read_checklist_file

    failed = 0
    for path in args.paths:
        checklist, problems = read_checklist_file(path)
        for p in problems:
            _err(str(p))
        if checklist is None:
            failed += 1
        elif not args.quiet:
            n = len(checklist.criteria())
            _out(f"{path}: ok ({checklist.id} {checklist.version}, {len(checklist.sections)} sections, {n} criteria)")
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import checklist_json_schema

    _out(json.dumps(checklist_json_schema(), ensure_ascii=False, indent=2))
    return 0


# --- the parser ------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skb",
        description="SKB – social konsekvensbedömning: checklists, assessments, scores and reports.",
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = sub.add_parser("validate", help="check checklist files and report every problem with its line")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the checklist format (for editors)")
    p.set_defaults(handler=cmd_schema)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except SkbError as exc:
        _err(f"skb {args.verb}: {exc}")
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
