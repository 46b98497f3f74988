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
    """Plain text cut to at most `limit` characters at a word boundary, with an ellipsis."""
    s = " ".join(plain(text).split())
    if len(s) <= limit:
        return s
    cut = s[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"
