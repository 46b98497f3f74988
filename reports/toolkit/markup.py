"""The one door through which user text enters the report.

reportlab's Paragraph reads a small XML markup (<b>, <img>, <a>, entities).
Everything a user typed (titles, names, comments, evidence, measures, group
names in participation records) goes through `para` before it becomes part of
a Paragraph, a table cell or a table-of-contents entry, so that `<b>`, `&amp;`,
`AT&T` or `<img src=…/>` print exactly as typed and nothing is ever embedded.
Chart labels and PDF bookmarks are not markup: they take `plain`, which only
removes characters a PDF cannot carry. This module must not build flowables.
"""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape

__all__ = ["plain", "para", "shorten"]

# Short words that cannot end a shortened text (Swedish and English): the cut steps back over them.
_DANGLING = frozenset({"och", "eller", "för", "till", "av", "i", "på", "med", "att", "som", "om", "en", "ett", "de",
                       "den", "det", "vid", "från", "and", "or", "for", "to", "of", "in", "on", "with", "the", "a",
                       "an", "that", "at", "by", "from"})


def plain(text: object) -> str:
    """User text as a plain string that a PDF can carry.

    Control characters (other than newline and tab) and lone surrogates are
    dropped: they cannot be encoded and have no glyph. Tabs become spaces."""
    s = "" if text is None else str(text)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if s.isprintable():
        return s
    return "".join(ch for ch in s if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs"))


def para(text: object) -> str:
    """User text escaped for reportlab paragraph markup, newlines kept as line breaks."""
    return escape(plain(text)).replace("\n", "<br/>")


def shorten(text: object, limit: int) -> str:
    """Plain text cut to at most `limit` characters with an ellipsis, never inside a word where it can be helped.

    The cut prefers the end of a clause (after ", ", "; ", ": " or before " – ") in
    the last third of what fits, then the last space; a text with no space in the
    second half (one long word) is cut where it must be."""
    s = " ".join(plain(text).split())
    if len(s) <= limit:
        return s
    room = s[: limit - 1]
    if s[limit - 1] == " ":  # the cut falls between two words: keep the last whole word
        cut = room
    else:
        cut = room
        clause_end = max((room.rfind(mark) for mark in (", ", "; ", ": ", " – ", " — ")), default=-1)
        if clause_end >= (limit * 2) // 3:
            cut = room[:clause_end]
        elif " " in room[limit // 2:]:
            cut = room[: room.rindex(" ")]
    cut = cut.rstrip(" ,.;:–—-")
    # "…stöd för…" reads as a sentence broken off; "…stöd…" as one shortened.
    words = cut.split(" ")
    if len(words) > 3 and words[-1].lower() in _DANGLING:
        cut = " ".join(words[:-1]).rstrip(" ,.;:–—-")
    return cut + "…"
