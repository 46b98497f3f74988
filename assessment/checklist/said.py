"""What the checklist reader says, as a code and its parameters, worded only at the edge.

The validator (`validate.py`), the safe reader (`yamlio.py`) and the library
never hold a sentence: they say `Said("unknown_scale", scale="impact5",
declared="impact")`, and whoever shows it (`skb validate`, the start page, an
error) words it in the reader's language with `text(lang)`, from the
catalogue's `checklist.<code>` (assessment/locale/<lang>/LC_MESSAGES/skb.po).
pyxform's error codes are the model: one code per rule that failed, the words
in one place, the facts in named fields.

A parameter is a plain value (a name, a number, a list already joined) or a
`Said` of its own, a part of the sentence that is worded in the same language
(a hint such as "did you mean …?", or the word for "nothing"); a part that is
left out is the empty string. A message that counts something has the count in
`n` and plural forms in the catalogue. tests/test_checklist_codes.py finds every code
the package says, checks that both languages word it with exactly the fields it
passes, and that a malformed checklist in tests/malformed/ meets each one.
"""

from __future__ import annotations

from collections.abc import Iterator

from assessment.catalogue import messages, plural_template, template

__all__ = ["Said", "NAMESPACE"]

NAMESPACE = "checklist"


class Said:
    """One message: its code (an id under `checklist.` in the catalogue) and its fields."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params

    def text(self, lang: str = "en") -> str:
        """The message in `lang`, every part in the same language."""
        key = f"{NAMESPACE}.{self.code}"
        fields = {k: v.text(lang) if isinstance(v, Said) else v for k, v in self.params.items()}
        if key in messages(lang)[1]:  # a count in the sentence: the form for `n`
            n = fields["n"]
            assert isinstance(n, int), (self.code, n)
            return plural_template(lang, key, n).format(**fields)
        # always filled, also without fields, so that every text of the namespace writes a brace as {{
        return template(lang, key).format(**fields)

    def codes(self) -> Iterator[str]:
        """This message's code and those of its parts."""
        yield self.code
        for value in self.params.values():
            if isinstance(value, Said):
                yield from value.codes()

    def _key(self) -> tuple[object, ...]:
        return (self.code, *sorted(self.params.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Said) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        fields = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Said({self.code!r}{fields})"
