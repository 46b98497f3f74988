"""Every `skb` verb, and every option of it, is documented.

The verbs come from the real parser (`assessment.workflow.cli.build_parser()`), so a
verb added without documentation fails here: README.md or docs/ must mention
`skb VERB`, docs/cli.md must have a `### skb VERB` section, and that section
must name each of the verb's options.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from assessment.workflow.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"


def verbs() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def options(parser: argparse.ArgumentParser) -> list[str]:
    return [s for a in parser._actions for s in a.option_strings if s not in ("-h", "--help")]


def section(verb: str) -> str:
    text = CLI_DOC.read_text(encoding="utf-8")
    match = re.search(rf"^### skb {re.escape(verb)}\n(.*?)(?=^##)", text + "\n##", flags=re.S | re.M)
    return match.group(1) if match else ""


def all_docs() -> str:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files if f.exists())


VERBS = sorted(verbs())


def test_the_parser_has_the_verbs_the_docs_start_from():
    assert {"validate", "schema"} <= set(VERBS)


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_is_mentioned_in_readme_or_docs(verb: str):
    assert re.search(rf"\bskb {re.escape(verb)}\b", all_docs()), f"document `skb {verb}` in docs/cli.md"


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_has_a_section_in_the_cli_doc_naming_each_option(verb: str):
    body = section(verb)
    assert body.strip(), f"docs/cli.md needs a section '### skb {verb}'"
    missing = [o for o in options(verbs()[verb]) if not re.search(rf"`{re.escape(o)}[` ]", body)]
    assert missing == [], f"docs/cli.md, section skb {verb}, does not mention {missing}"


def test_the_cli_doc_lists_only_verbs_that_exist():
    documented = re.findall(r"^### skb (\S+)", CLI_DOC.read_text(encoding="utf-8"), flags=re.M)
    assert sorted(documented) == VERBS
