"""The report's short names for the one catalogue (`assessment.catalogue`).

Headings, captions, the plain-language sentences of the summary and the participant letter live in
`assessment/locale/<lang>/LC_MESSAGES/skb.po` (docs/translations.md): the report's own ids are
`report.*`, and a text the results page says in the same words is `common.*`. Texts may hold
`{name}` fields filled by `msg`; the values are already escaped by the caller when the text goes
into markup. A field that ends a sentence itself ("…?") takes the place of the text's own period
(`reports.prose.fill`). No logic beyond look-up.
"""

from __future__ import annotations

from assessment.catalogue import LANGUAGES, plural_template, template

from .prose import fill

__all__ = ["LANGUAGES", "msg", "msgn"]


def msg(lang: str, key: str, **fields: object) -> str:
    """The report's text for the id `key` in `lang` (Swedish when the language is not one SKB speaks)."""
    text = template(lang, key)
    return fill(text, fields) if fields else text


def msgn(lang: str, key: str, n: int, **fields: object) -> str:
    """The plural entry `key` in the form for the number `n` (filled in as `{n}`), with the same period rule."""
    return fill(plural_template(lang, key, n), {"n": n, **fields})
