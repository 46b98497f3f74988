"""How the report joins words into sentences: end marks, labels inside a sentence, lists, numbers.

The report builds sentences from pieces it does not write itself: question
texts that already end in "?", measures that end in ".", group labels written
as headings ("Personer med låg inkomst"). Every sentence the report assembles
goes through these helpers, so that no "?." or ".;" is ever printed and a label
reads as a label at the start of a sentence and in lower case inside one. They
work on plain text, before `reports.toolkit.markup.para` escapes it; they must not
escape, build flowables or know about reportlab.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence

from assessment.catalogue import text

__all__ = ["sentence", "clause", "mid_sentence", "join_words", "list_separator", "fmt_number", "fill", "TERMINAL"]

TERMINAL = (".", "?", "!", "…")
_CLOSING_QUOTES = "\"'”’»"
_TRAILING_TAGS = re.compile(r"(?:<[^<>]*>)+$")


def _ends_sentence(text: str) -> bool:
    """Whether plain text or markup ends in . ? ! or … (closing tags and quotes looked through)."""
    core = _TRAILING_TAGS.sub("", text.rstrip()).rstrip().rstrip(_CLOSING_QUOTES)
    return core.endswith(TERMINAL)


def fill(template: str, fields: Mapping[str, object]) -> str:
    """`template.format(**fields)`, but a "." right after a field whose value already ends a sentence is dropped.

    "Vad görs för {groups}." with a value ending in "?" gives "…?", never "…?."."""
    out: list[str] = []
    after_terminal = False
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if after_terminal and literal.startswith("."):
            literal = literal[1:]
        out.append(literal)
        if literal:
            after_terminal = False
        if name is not None:
            value = format(fields[name], spec or "") if not conversion else f"{{0!{conversion}:{spec or ''}}}".format(
                fields[name])
            out.append(value)
            if value:  # an empty field ("{where}" with no place) leaves the sentence as it was
                after_terminal = _ends_sentence(value)
    return "".join(out)


def sentence(text: str) -> str:
    """`text` as a finished sentence: a period added unless it already ends in . ? ! or … (inside quotes too)."""
    s = text.rstrip()
    if not s or _ends_sentence(s):
        return s
    return s + "."


def clause(text: str) -> str:
    """`text` to be followed by ";", "," or ")": one closing period dropped; ? ! … and "m.m." kept."""
    s = text.rstrip()
    if s.endswith(".") and not s.endswith(".."):
        last_word = s.split()[-1] if s.split() else s
        if "." not in last_word[:-1]:  # an abbreviation (t.ex., m.m.) keeps its period
            return s[:-1]
    return s


def mid_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Personer med låg inkomst" -> "personer med låg inkomst".

    Only a capital followed by a lower-case letter is lowered, so abbreviations and
    names that are all capitals at the start (LSS, SCB-data, UK) keep theirs."""
    if len(label) >= 2 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def join_words(items: Sequence[str], lang: str) -> str:
    """"a, b och c" in Swedish, "a, b and c" in English; "a, b; c" when an item has a comma of its own."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return list_separator(items).join(items[:-1]) + text(lang, "common.list_and") + items[-1]


def list_separator(items: Sequence[str]) -> str:
    """", " between items, or "; " when an item has a comma of its own ("lesbian, gay and bisexual people")."""
    return "; " if any("," in i for i in items) else ", "


def fmt_number(value: float, lang: str) -> str:
    """A number as short as it can be, with a decimal comma in Swedish (1,5) and a point in English (1.5)."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "sv" else text
