"""How the report joins words into sentences: end marks, labels inside a sentence, lists, numbers.

The report builds sentences from pieces it does not write itself: question
texts that already end in "?", measures that end in ".", group labels written
as headings ("Personer med låg inkomst"). Every sentence the report assembles
goes through these helpers, so that no "?." or ".;" is ever printed and a label
reads as a label at the start of a sentence and in lower case inside one. They
work on plain text, before `reports.markup.para` escapes it; they must not
escape, build flowables or know about reportlab.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["sentence", "clause", "mid_sentence", "join_words", "fmt_number", "TERMINAL"]

TERMINAL = (".", "?", "!", "…")
_CLOSING_QUOTES = "\"'”’»"


def sentence(text: str) -> str:
    """`text` as a finished sentence: a period added unless it already ends in . ? ! or … (inside quotes too)."""
    s = text.rstrip()
    if not s or s.rstrip(_CLOSING_QUOTES).endswith(TERMINAL):
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
    """"a, b och c" in Swedish, "a, b and c" in English."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    last = " och " if lang == "sv" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def fmt_number(value: float, lang: str) -> str:
    """A number as short as it can be, with a decimal comma in Swedish (1,5) and a point in English (1.5)."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "sv" else text
