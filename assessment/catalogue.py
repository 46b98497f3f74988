"""SKB's own words, in Swedish and English: one gettext catalogue, read and written with Babel.

Every sentence the app, the report, the CLI and the core's errors say lives in
`assessment/locale/<lang>/LC_MESSAGES/skb.po`, one file per language. (The
checklist brings its own texts; `text_for` reads those.) Message ids are
symbolic and dotted by where they are said (`ui.create`, `report.cover_note`,
`verdict.eq_widens`, `error.conflict`, `checklist.unknown_key`); a text that
reads the same on two surfaces is one id (`common.status_draft`), so the
results page and the report cannot drift apart. Both languages hold every id,
with the same `{fields}` (tests/test_catalogue.py).

    text(lang, key, **fields)        the text with its fields filled in (str.format)
    plural(lang, key, n, **fields)   the form for `n` (gettext plural forms; `n` is a field too)
    template(lang, key)              the text before filling, for a caller with its own filling
                                     (the report drops a period after a field that ends a sentence)

An unknown language reads Swedish, the first language. An unknown id is a
programming error and raises `KeyError`: the catalogue test finds every literal
id in the code, so a typo fails the suite, never a page.

`python -m assessment.catalogue check` lists the ids the code uses that the
catalogue lacks (every literal id at a `KEYWORDS` call in the sources); `python -m
assessment.catalogue format` rewrites both files in Babel's layout, sorted by
id, so that a merge of two branches' new texts is a merge of two blocks.
"""

from __future__ import annotations

import ast
import gettext
import io
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "DOMAIN", "LOCALE_DIR", "language", "text", "plural", "template",
           "has", "messages", "po_path", "KEYWORDS", "plural_template", "formatted", "used_ids"]

DOMAIN = "skb"
LANGUAGES: Mapping[str, str] = MappingProxyType({"sv": "Svenska", "en": "English"})
DEFAULT_LANGUAGE = "sv"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

KEYWORDS: Mapping[str, tuple[int, ...]] = MappingProxyType({
    # The calls whose literal argument is a message id, and that argument's place (1-based; Babel's keyword
    # notation): this module's own functions and the surfaces' short names for them.
    "text": (2,), "plural": (2,), "template": (2,), "t": (2,), "msg": (2,), "tn": (2,), "msgn": (2,),
})


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True, slots=True)
class _Language:
    texts: Mapping[str, str]
    plurals: Mapping[str, tuple[str, ...]]
    plural_index: Callable[[int], int]


_loaded: dict[str, _Language] = {}


def _load(lang: str) -> _Language:
    found = _loaded.get(lang)
    if found is None:
        with po_path(lang).open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
        texts: dict[str, str] = {}
        plurals: dict[str, tuple[str, ...]] = {}
        for message in catalog:
            if not message.id:
                continue  # the header
            if isinstance(message.id, tuple):
                plurals[message.id[0]] = tuple(message.string)
            else:
                texts[message.id] = message.string
        found = _loaded[lang] = _Language(MappingProxyType(texts), MappingProxyType(plurals),
                                          gettext.c2py(catalog.plural_expr))
    return found


def language(value: object) -> str:
    """`value` if it is a language SKB speaks, else the first language."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def template(lang: str, key: str) -> str:
    """The text of `key` in `lang`, its `{fields}` not yet filled."""
    return _load(language(lang)).texts[key]


def text(lang: str, key: str, /, **fields: object) -> str:
    """The text of `key` in `lang` with `fields` filled in."""
    found = _load(language(lang)).texts[key]
    return found.format(**fields) if fields else found


def plural_template(lang: str, key: str, n: int) -> str:
    """The form of `key` for the number `n` in `lang`, not yet filled."""
    loaded = _load(language(lang))
    forms = loaded.plurals[key]
    return forms[min(loaded.plural_index(abs(int(n))), len(forms) - 1)]


def plural(lang: str, key: str, n: int, /, **fields: object) -> str:
    """The form of `key` for the number `n` in `lang`, with `n` and `fields` filled in."""
    return plural_template(lang, key, n).format(n=n, **fields)


def has(key: str) -> bool:
    """Whether `key` is a message id (singular or plural) of the catalogue."""
    loaded = _load(DEFAULT_LANGUAGE)
    return key in loaded.texts or key in loaded.plurals


def messages(lang: str) -> tuple[Mapping[str, str], Mapping[str, tuple[str, ...]]]:
    """Every text and every plural entry of `lang`, by id (for the tests and the check)."""
    loaded = _load(language(lang))
    return loaded.texts, loaded.plurals


# --- maintenance: python -m assessment.catalogue check | format -------------------------------------------------

SOURCE_PACKAGES = ("assessment", "reports", "ui")


def used_ids(root: Path) -> Iterator[tuple[str, str, int]]:
    """(id, file, line) of every literal message id in the sources under `root`: the argument of a call to one
    of `KEYWORDS` at its place, when it is a plain string (an id built at run time is checked where it is built)."""
    sources = [root / "streamlit_app.py"] + [p for pkg in SOURCE_PACKAGES for p in sorted((root / pkg).rglob("*.py"))]
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else None)
            for place in KEYWORDS.get(name or "", ()):
                if len(node.args) >= place:
                    arg = node.args[place - 1]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        yield arg.value, str(path.relative_to(root)), node.lineno


_DATE = datetime(2026, 12, 6, tzinfo=timezone.utc)  # fixed, so that formatting never changes a file by itself


def _empty(lang: str) -> Catalog:
    return Catalog(locale=lang, domain=DOMAIN, project="SKB", version="1", msgid_bugs_address="", fuzzy=False, creation_date=_DATE,
                   revision_date=_DATE, last_translator="SKB", language_team=f"SKB {LANGUAGES[lang]}",
                   header_comment=f"# SKB's own words ({LANGUAGES[lang]}). One id per text, sorted by id; "
                                  "both languages hold every id\n# (tests/test_catalogue.py). Tidy with "
                                  "`python -m assessment.catalogue format`.")


def formatted(lang: str) -> bytes:
    """The catalogue file of `lang` in Babel's layout, sorted by id (what `format` writes)."""
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    out = _empty(lang)
    for message in sorted((m for m in catalog if m.id), key=lambda m: m.id if isinstance(m.id, str) else m.id[0]):
        out.add(message.id, message.string, auto_comments=message.auto_comments,
                user_comments=message.user_comments, flags=message.flags)
    buffer = io.BytesIO()
    write_po(buffer, out, width=120, omit_header=False, sort_output=False, include_lineno=False)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["format"]:
        for lang in LANGUAGES:
            if not po_path(lang).exists():
                po_path(lang).parent.mkdir(parents=True, exist_ok=True)
                with po_path(lang).open("wb") as f:
                    write_po(f, _empty(lang))
            po_path(lang).write_bytes(formatted(lang))
        return 0
    if args[:1] == ["check"]:
        root = Path(__file__).resolve().parent.parent
        missing = sorted({(key, file, line) for key, file, line in used_ids(root) if not has(key)})
        for key, file, line in missing:
            print(f"{file}:{line}: {key!r} is not in the catalogue")
        return 1 if missing else 0
    print("usage: python -m assessment.catalogue check | format", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
