"""Loading a checklist file and telling its author exactly what is wrong.

Three passes, each stopping the next when it finds errors: the YAML is read
safely with line numbers (`assessment.checklist.yamlio`); the shape is checked by the
pydantic models (`assessment.checklist.checklist`); then the cross-references are checked
here (unknown scale, later question, duplicate id, all-zero weights...). Every
problem names the file, the line and the path inside the checklist in the
author's words, and says how to fix it:

    checklists/skb.yaml:42: section "boende" › criterion "b3": unknown scale "impact5" (declared scales: impact, yesno)

A missing translation for a declared language is a warning, not an error.
Nothing here raises for a bad file: every entry point returns the problems.
The catalogue of messages, one malformed checklist each, is tests/malformed/;
a new message gets a new case there.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any, Literal

from pydantic import ValidationError

from assessment.checklist.checklist import (
    AllOf,
    Answered,
    AnswerType,
    AnyOf,
    Checklist,
    Condition,
    Criterion,
    Equals,
    FlagKind,
    Gte,
    In,
    Includes,
    Lte,
    Not,
    CHOSEN,
    NOT_RELEVANT_ANSWER,
    SCHEMA_VERSION,
    UNKNOWN_ANSWER,
)
from assessment.checklist.yamlio import Limits, Located, UnsafeInput, load_located
from assessment.errors import ChecklistError

__all__ = ["Problem", "load_checklist", "check_checklist", "parse_checklist", "read_checklist_file"]

Path = tuple[str | int, ...]

_SINGULAR = {
    "sections": "section",
    "criteria": "criterion",
    "scales": "scale",
    "steps": "step",
    "choice_lists": "choice list",
    "options": "option",
    "ladders": "ladder",
    "levels": "level",
    "frameworks": "framework",
    "items": "item",
    "groups": "group",
    "alternatives": "alternative",
    "flags": "flag",
    "bands": "band",
    "rules": "rule",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a checklist, located for its author."""

    severity: Literal["error", "warning"]
    source: str
    line: int | None
    where: str
    message: str
    sv: str | None = None  # the message in Swedish, where the catalogue has it

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The problem as `skb validate` prints it, in `lang` where the message has that language."""
        loc = f"{self.source}:{self.line}" if self.line else self.source
        sv = lang == "sv" and self.sv is not None
        prefix = ("varning: " if sv else "warning: ") if self.severity == "warning" else ""
        where = f"{self.where}: " if self.where else ""
        return f"{loc}: {prefix}{where}{self.sv if sv else self.message}"


class Said(str):
    """A message in English (the str) that also carries its Swedish wording."""

    sv: str

    def __new__(cls, en: str, sv: str) -> Said:
        said = super().__new__(cls, en)
        said.sv = sv
        return said


def describe(data: Any, path: Path) -> str:
    """`section "boende" › criterion "b3" › show_if` for a path into the data."""
    parts: list[str] = []
    node = data
    i = 0
    while i < len(path):
        key = path[i]
        child = node.get(key) if isinstance(node, dict) and isinstance(key, str) else None
        if isinstance(key, str) and isinstance(child, list) and i + 1 < len(path) and isinstance(path[i + 1], int):
            index = path[i + 1]
            item = child[index] if index < len(child) else None
            name = _SINGULAR.get(key, key)
            if key in ("all", "any"):
                parts.append(f"{key} › condition {index + 1}")
            elif isinstance(item, dict) and isinstance(item.get("id"), (str, int)) and not isinstance(item.get("id"), bool):
                parts.append(f'{name} "{item["id"]}"')
            elif isinstance(item, dict) and key == "steps" and "value" in item:
                parts.append(f"step {index + 1} (value {item['value']})")
            elif key in _SINGULAR:
                parts.append(f"{name} {index + 1}")
            else:
                parts.append(f"{key} › item {index + 1}")
            node = item
            i += 2
            continue
        parts.append(str(key) if not isinstance(key, int) else f"item {key + 1}")
        node = child if child is not None else (node[key] if isinstance(node, list) and isinstance(key, int)
                                                and key < len(node) else None)
        i += 1
    return " › ".join(parts)


def _names(items: Iterable[str]) -> str:
    listed = sorted(set(items))
    return ", ".join(listed) if listed else "none"


# --- pass 2: the shape, from pydantic's errors -------------------------------------


def _allowed_keys(model: type, path: Path) -> list[str] | None:
    """The keys allowed in the object at `path`, found by walking the models."""
    from typing import get_args, get_origin

    from pydantic import BaseModel

    leaf = path[-1] if path else None
    if isinstance(leaf, str) and leaf in _LEAF_ARGS and len(path) >= 2:
        return _LEAF_ARGS[leaf]
    current: Any = model
    for key in path:
        if isinstance(key, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == key), None)
        if field is None:
            return None
        current = _unwrap(field.annotation, get_args, get_origin)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return None


def _unwrap(annotation: Any, get_args: Any, get_origin: Any) -> Any:
    from pydantic import BaseModel

    seen = 0
    while seen < 6:
        seen += 1
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        args = [a for a in get_args(annotation) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(models) == 1:
            return models[0]
        if get_origin(annotation) is list and args:
            annotation = args[0]
            continue
        if len(args) >= 1 and get_origin(annotation) is not dict:
            annotation = args[0]
            continue
        return annotation
    return annotation


def _clean_loc(loc: tuple[Any, ...]) -> Path:
    """Drop the tags pydantic adds for the members of a condition union.

    A condition `{equals: {...}}` fails at (..., "show_if", "equals", "equals", ...):
    the first "equals" is the union member's tag, the second the key the author wrote."""
    cleaned: list[str | int] = []
    for i, k in enumerate(loc):
        if isinstance(k, str) and k in _COND_TAGS and i + 1 < len(loc) and loc[i + 1] == k:
            continue
        if k == "SpecialAnswer" and i > 0 and loc[i - 1] in ("unknown", "not_relevant"):
            continue  # the member of `unknown: false | {label: …}` that a map is read as
        cleaned.append(k)
    return tuple(cleaned)


def _shape_message(err: dict[str, Any], data: Any) -> tuple[Path, str]:
    """The path of the object at fault and a message for one pydantic error."""
    loc = _clean_loc(tuple(err["loc"]))
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if len(loc) >= 2 and loc[-1] == "[key]":  # a key of a map (a framework id in dimensions) is wrong
        key, at = loc[-2], loc[:-2]
        suggestion = _slug(str(key))
        example = f' (for example "{suggestion}")' if suggestion and suggestion != key else ""
        return at, (f'the key "{key}" is not a valid id; an id uses only lowercase letters a-z, digits, "_" '
                    f'and "-", and starts with a letter or digit{example}')
    if len(loc) >= 2 and loc[-2] in _SPECIALS and loc[-1] in ("bool", "SpecialAnswer"):
        special = loc[-2]
        hint = _quote_hint("bool_type", value, special) if isinstance(value, str) else ""
        return loc[:-2], Said(
            f'"{special}" is true (offered), false (switched off) or a map like {{label: …}} that relabels it '
            f"(got {'the text ' if isinstance(value, str) else ''}{_short(value)}){hint}",
            f'"{special}" är true (erbjuds), false (avstängt) eller en karta som {{label: …}} som byter dess '
            f"etikett (fick {'texten ' if isinstance(value, str) else ''}{_short(value)})"
            f"{_quote_hint_sv('bool_type', value, special) if isinstance(value, str) else ''}")
    scalar = _condition_scalar(loc)
    if scalar is not None:  # one message for a compared value, not one per type it could have been
        at, question = scalar
        if value is None:
            return at, _null_message(question)
        return at, (f"a condition compares with one value: a text, a number or true/false (got {_short(value)})"
                    + ("; to compare with several, write in: {question: …, values: [...]}"
                       if isinstance(value, list) else ""))
    field = loc[-1] if loc else ""
    parent = loc[:-1]
    if isinstance(field, int):  # an entry of a list: name the entry, not its index
        if kind == "string_pattern_mismatch" and len(loc) >= 2 and loc[-2] == "languages":
            return loc, f"{_short(value)} is not a two-letter language code such as sv or en"
        return loc, _entry_message(kind, value, ctx, err)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(Checklist, parent)
        guess = difflib.get_close_matches(str(field), allowed or [], n=1, cutoff=0.6)
        did_you_mean = f'; did you mean "{guess[0]}"?' if guess else "; check its spelling"
        hint = f" (allowed here: {', '.join(allowed)})" if allowed else ""
        return parent, f'unknown key "{field}"{did_you_mean}{hint}'
    if kind == "missing":
        hint = _MISSING_HINTS.get(str(field), "")
        where = "at the top of the checklist" if not parent else "here"
        return parent, f'"{field}" is missing; it is required {where}{hint}'
    if kind == "literal_error" and loc == ("schema_version",):
        return (), (f"schema_version is {_short(value)}, but this SKB reads checklist format version "
                    f"{SCHEMA_VERSION}; write schema_version: {SCHEMA_VERSION}")
    if kind == "condition":
        return loc, _condition_message(value)
    if kind == "string_pattern_mismatch":
        if field in ("default_language", "languages") or (parent and parent[-1] == "languages"):
            return parent, f"{_short(value)} is not a two-letter language code such as sv or en"
        suggestion = _slug(value) if isinstance(value, str) else ""
        example = f' (for example "{suggestion}")' if suggestion and suggestion != value else ""
        return parent, (f'"{field}" is {_short(value)}; an id uses only lowercase letters a-z, digits, "_" and "-", '
                        f"and starts with a letter or digit{example}")
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        least = "zero or more" if bound == 0 else f"at least {bound:g}" if isinstance(bound, (int, float)) \
            else "larger"
        return parent, f'"{field}" must be {least} (got {_short(value)})'
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        most = f"at most {bound:g}" if isinstance(bound, (int, float)) else "smaller"
        return parent, f'"{field}" must be {most} (got {_short(value)})'
    if kind == "too_short":
        if isinstance(value, (list, dict)):
            n = ctx.get("min_length", 1)
            return parent, f'"{field}" needs at least {n} {"entry" if n == 1 else "entries"} (got {len(value)})'
        return parent, f'"{field}" must not be empty'
    if kind == "too_long":
        return parent, f'"{field}" is too long: at most {ctx.get("max_length")} characters'
    if kind == "enum":
        expected = str(ctx.get("expected", "")).replace("'", "")
        return parent, f'"{field}" is {_short(value)}; it must be one of: {expected}'
    if kind in ("float_type", "int_type") and isinstance(value, str) and _as_float(value) is not None \
            and not math.isfinite(_as_float(value) or 0.0):
        return parent, (f'"{field}" must be a finite number (got {value.strip()}); write a number such as 2 '
                        "or 0.5")
    if kind in ("bool_type", "float_type", "int_type") and isinstance(value, str):
        # a quoted "yes" or "2": lax parsing would have turned it into true or 2 without a word
        return parent, Said(
            f'"{field}" must be {_WANTED[kind]} (got the text {_short(value)}){_quote_hint(kind, value, field)}',
            f'"{field}" måste vara {_WANTED_SV[kind]} (fick texten {_short(value)})'
            f"{_quote_hint_sv(kind, value, field)}")
    if kind in _WANTED:
        return parent, f'"{field}" must be {_WANTED[kind]} (got {_short(value)}){_quote_hint(kind, value, field)}'
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return parent, f'"{field}" {msg}'
    return parent, f'"{field}": {err["msg"]}'


_UNION_TAGS = {"bool", "int", "float", "str"}
_SPECIALS = ("unknown", "not_relevant")


def _condition_scalar(loc: Path) -> tuple[Path, str | None] | None:
    """For an error in the value a condition compares with: the path of the condition's operator and
    nothing else, since pydantic reports one error per type the value could have had."""
    if len(loc) < 3 or loc[-1] not in _UNION_TAGS:
        return None
    i = len(loc) - 2
    if isinstance(loc[i], int) and loc[i - 1] == "values":
        i -= 1
    if loc[i] not in ("value", "values") or loc[i - 1] not in _LEAF_ARGS:
        return None
    return loc[:i], None


def _null_message(question: str | None) -> Said:
    q = question or "q1"
    return Said(f"a condition never compares with nothing (null): an unanswered question has no value to be equal "
                f"to; to ask whether {f'{chr(34)}{q}{chr(34)}' if question else 'a question'} is unanswered, write "
                f"{{not: {{answered: {q}}}}}",
                f"ett villkor jämför aldrig med ingenting (null): en obesvarad fråga har inget värde att vara lika "
                f"med; för att fråga om {f'{chr(34)}{q}{chr(34)}' if question else 'en fråga'} är obesvarad, skriv "
                f"{{not: {{answered: {q}}}}}")


_WANTED = {"string_type": "a text", "int_type": "a whole number", "int_parsing": "a whole number",
           "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
           "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
           "dict_type": "a map of keys", "model_type": "a map of keys", "model_attributes_type": "a map of keys"}


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


_WANTED_SV = {"bool_type": "true eller false", "float_type": "ett tal", "int_type": "ett heltal"}


def _quote_hint_sv(kind: str, value: str, field: Any) -> str:
    en = _quote_hint(kind, value, field)
    return (en.replace(", without quotes", ", utan citattecken").replace("; write ", "; skriv ")
            .replace(" or ", " eller "))


_TRUE_WORDS = {"yes", "true", "on", "ja", "y", "1"}
_FALSE_WORDS = {"no", "false", "off", "nej", "n", "0"}


def _quote_hint(kind: str, value: Any, field: Any = None) -> str:
    """How to write the value so that it is read as what it must be, when that is plain."""
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'; put it in quotes: "{value}"'
    if kind == "string_type" and isinstance(value, bool):
        return '; put it in quotes, or YAML reads yes/no/on/off as true/false'
    key = f"{field}: " if isinstance(field, str) else ""
    if kind == "bool_type" and isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS or word in _FALSE_WORDS:
            # a quoted "yes" is a text, which is never read as true: say what to write
            return f"; write {key}{'true' if word in _TRUE_WORDS else 'false'}, without quotes"
        return f"; write {key}true or {key}false"
    if kind in ("float_type", "int_type") and isinstance(value, str) and _as_float(value.strip()) is not None:
        number = _as_float(value.strip()) or 0.0
        if kind == "float_type" or number.is_integer():
            return f"; write {key}{value.strip()}, without quotes"
    if kind in ("float_type", "int_type") and isinstance(value, bool):
        return "; true and false are not numbers"
    return ""


def _entry_message(kind: str, value: Any, ctx: dict[str, Any], err: dict[str, Any]) -> str:
    """A message for a wrong entry of a list; the path already names the entry."""
    if kind in _WANTED:
        wanted = _WANTED[kind]
        if wanted == "a map of keys":
            wanted = "a map of keys like {id: …, label: …}"
        return f"this entry must be {wanted} (got {_short(value)}){_quote_hint(kind, value)}"
    if kind == "string_pattern_mismatch":
        suggestion = _slug(value) if isinstance(value, str) else ""
        example = f' (for example "{suggestion}")' if suggestion and suggestion != value else ""
        return (f'{_short(value)} is not a valid id; an id uses only lowercase letters a-z, digits, "_" and "-", '
                f"and starts with a letter or digit{example}")
    return f"this entry: {err['msg']}"


_COND_TAGS = {"equals", "in", "includes", "gte", "lte", "answered", "all", "any", "not"}

_MISSING_HINTS = {
    "schema_version": " (write schema_version: 1)",
    "version": ' (the version of the content, for example version: "2025.1")',
    "type": " (one of: " + ", ".join(t.value for t in AnswerType) + ")",
    "criteria": " (the questions of the section)",
    "steps": " (for example - {value: -1, label: Negativ})",
}

_LEAF_ARGS = {"equals": ["question", "group", "alternative", "value"],
              "in": ["question", "group", "alternative", "values"],
              "includes": ["question", "group", "alternative", "value"],
              "gte": ["question", "group", "alternative", "value"],
              "lte": ["question", "group", "alternative", "value"]}

_CONDITION_KINDS = ", ".join(sorted(_COND_TAGS, key=["equals", "in", "includes", "gte", "lte", "answered", "all",
                                                     "any", "not"].index))


def _condition_message(value: Any) -> str:
    if isinstance(value, dict):
        ops = [k for k in value if k in _COND_TAGS]
        others = [k for k in value if k not in _COND_TAGS]
        if len(ops) > 1:
            joined = ", ".join(f"{{{op}: …}}" for op in ops)
            return (f"a condition has exactly one operator, but this one has {len(ops)} ({', '.join(ops)}); "
                    f"to require all of them write all: [{joined}], to require one of them any: [...]")
        if others:
            guess = difflib.get_close_matches(str(others[0]), sorted(_COND_TAGS), n=1, cutoff=0.6)
            did_you_mean = f'; did you mean "{guess[0]}"?' if guess else ""
            return (f'unknown condition operator "{others[0]}"{did_you_mean} '
                    f"(a condition is one of: {_CONDITION_KINDS})")
        if not value:
            return f"the condition is empty; write one of: {_CONDITION_KINDS}"
    return f"a condition is a map with one of: {_CONDITION_KINDS} (got {_short(value)})"


def _slug(text: str) -> str:
    """A suggested id for a name: "Boende och närmiljö" -> "boende_och_narmiljo"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:64]


def _short(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f'"{text}"'
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


# --- pass 3: cross-references ------------------------------------------------------


class _Refs:
    """Collects cross-reference problems with their paths."""

    def __init__(self, checklist: Checklist) -> None:
        self.c = checklist
        self.problems: list[tuple[Path, str, Literal["error", "warning"], str | None]] = []

    def error(self, path: Path, message: str, key: str | None = None) -> None:
        """A problem in the object at `path`; `key` points the line at one of its keys."""
        self.problems.append((path, message, "error", key))

    def warn(self, path: Path, message: str) -> None:
        self.problems.append((path, message, "warning", None))

    def run(self) -> list[tuple[Path, str, Literal["error", "warning"], str | None]]:
        c = self.c
        self.unique(("scales",), [s.id for s in c.scales], "scale")
        self.unique(("choice_lists",), [s.id for s in c.choice_lists], "choice list")
        self.unique(("ladders",), [s.id for s in c.ladders], "ladder")
        self.unique(("frameworks",), [s.id for s in c.frameworks], "framework")
        self.unique(("groups",), [s.id for s in c.groups], "group")
        self.unique(("alternatives",), [s.id for s in c.alternatives], "alternative")
        self.unique(("sections",), [s.id for s in c.sections], "section")
        self.unique(("scoring", "flags"), [f.id for f in c.scoring.flags], "flag")
        for i, s in enumerate(c.scales):
            self.unique(("scales", i, "steps"), [str(st.value) for st in s.steps], "step value")
        for i, cl in enumerate(c.choice_lists):
            self.unique(("choice_lists", i, "options"), [o.id for o in cl.options], "option")
        for i, lad in enumerate(c.ladders):
            self.unique(("ladders", i, "levels"), [lv.id for lv in lad.levels], "level")
        for i, fw in enumerate(c.frameworks):
            self.unique(("frameworks", i, "items"), [it.id for it in fw.items], "item")
        self.criteria_unique()
        self.finite(c.model_dump(by_alias=True, exclude_none=True), ())
        self.languages()
        self.weights()
        zeros = [i for i, a in enumerate(c.alternatives) if a.kind == "zero"]
        for i in zeros[1:]:
            self.error(("alternatives", i), f'alternative "{c.alternatives[zeros[0]].id}" is already the zero '
                                            "alternative (what happens without the plan); there is only one, "
                                            "so give this one kind: other", "kind")
        self.groups()
        marked = [i for i, f in enumerate(c.frameworks) if f.policy_areas]
        for i in marked[1:]:
            self.error(("frameworks", i), f'framework "{c.frameworks[marked[0]].id}" is already marked as the policy '
                                          "areas; only one framework can be, so remove policy_areas: true here",
                       "policy_areas")
        populations = [i for i, g in enumerate(c.groups) if g.population]
        for i in populations[1:]:
            self.error(("groups", i), f'group "{c.groups[populations[0]].id}" already stands for the population '
                                      "as a whole; only one group can, so remove population: true here", "population")
        earlier: dict[str, Criterion] = {}
        for si, section in enumerate(c.sections):
            sp: Path = ("sections", si)
            if not section.criteria:
                self.error(sp, "the section has no criteria; add at least one or remove the section")
            if section.show_if is not None:
                self.condition((*sp, "show_if"), section.show_if, earlier, "this section")
            self.dimensions(sp, section.dimensions)
            for ci, crit in enumerate(section.criteria):
                cp: Path = (*sp, "criteria", ci)
                self.criterion(cp, crit, earlier)
                earlier[crit.id] = crit
        self.scoring(earlier)
        return self.problems

    def unique(self, path: Path, ids: list[str], what: str) -> None:
        seen: dict[str, int] = {}
        for i, value in enumerate(ids):
            if value in seen:
                if what == "step value":
                    self.error((*path, i), f"two steps have the value {value} (steps {seen[value] + 1} and {i + 1}); "
                                           "give each step its own value", "value")
                else:
                    self.error((*path, i), f'duplicate {what} id "{value}" ({what} {seen[value] + 1} has it too); '
                                           f"give each {what} its own id", "id")
            else:
                seen[value] = i

    def criteria_unique(self) -> None:
        seen: dict[str, str] = {}
        for si, s in enumerate(self.c.sections):
            for ci, crit in enumerate(s.criteria):
                if crit.id in seen:
                    self.error(("sections", si, "criteria", ci),
                               f'duplicate criterion id "{crit.id}" (also in section "{seen[crit.id]}"); '
                               "answers are kept by criterion id, so each id must be unique in the whole checklist",
                               "id")
                else:
                    seen[crit.id] = s.id

    def languages(self) -> None:
        c = self.c
        given = c.model_fields_set
        declared_list = ", ".join(c.languages)
        if c.default_language not in c.languages and "default_language" not in given:
            # the file never set default_language: point at what it did set, not at a line it lacks
            first = c.languages[0]
            self.error(("languages",), Said(
                f'default_language is not set, so it is "{c.default_language}", which is not one of the declared '
                f"languages ({declared_list}); add default_language: {first}",
                f'default_language saknas och är därför "{c.default_language}", som inte är ett av de angivna '
                f"språken ({declared_list}); lägg till default_language: {first}"))
        elif c.default_language not in c.languages and "languages" not in given:
            self.error(("default_language",), Said(
                f'"{c.default_language}" is the default language, but languages is not set, so only '
                f"{declared_list} is declared; add languages: [{c.default_language}]",
                f'"{c.default_language}" är standardspråket, men languages saknas och därför är bara '
                f"{declared_list} angivet; lägg till languages: [{c.default_language}]"))
        elif c.default_language not in c.languages:
            self.error(("default_language",), f'"{c.default_language}" is not one of the declared languages '
                                              f"({declared_list}); add it to languages or choose one of them")
        texts = list(_texts(c.model_dump(by_alias=True, exclude_none=True), ()))
        for path, text in texts:
            values = list(text.values()) if isinstance(text, dict) else [text]
            if path[-1] in _REQUIRED_TEXTS and any(not v.strip() for v in values):
                self.error(path[:-1], f'"{path[-1]}" is empty; write the {_REQUIRED_TEXTS[path[-1]]}', str(path[-1]))
        declared = set(c.languages)
        if len(declared) < 2:
            return
        for path, text in texts:
            if isinstance(text, dict):
                missing = sorted(declared - set(text))
                if missing:
                    shown = c.default_language if c.default_language in text else next(iter(text))
                    self.warn(path, f"no {', '.join(missing)} translation; the {shown} text is shown instead")
            elif isinstance(text, str) and text.strip():
                self.warn(path, f"a single text where {', '.join(sorted(declared))} are declared; "
                                "write {" + ", ".join(f"{code}: …" for code in c.languages) + "}")

    def finite(self, data: Any, path: Path) -> None:
        """No weight, bound or threshold may be infinite: YAML reads `inf` and `1e400` as text,
        and pydantic turns such text into float('inf'), which would poison every score."""
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, float) and not math.isfinite(value):
                    self.error(path, f'"{key}" must be a finite number (got {value}); write a number such as 2 '
                                     "or 0.5", key)
                else:
                    self.finite(value, (*path, key))
        elif isinstance(data, list):
            for i, value in enumerate(data):
                self.finite(value, (*path, i))

    def weights(self) -> None:
        c = self.c
        if c.sections and all(s.weight == 0 for s in c.sections):
            self.error(("sections",), "every section has weight 0, so nothing could be scored; give one a weight above 0")
        for si, s in enumerate(c.sections):
            rated = [crit for crit in s.criteria if crit.is_rated]
            if rated and all(crit.weight == 0 for crit in rated):
                self.error(("sections", si), "every rated criterion in the section has weight 0; "
                                             "give one a weight above 0 or set the section's weight to 0")
        if c.rated_groups() and all(g.weight == 0 for g in c.rated_groups()):
            self.error(("groups",), "every group has weight 0, so impacts on groups would count for nothing; "
                                    "give at least one group a weight above 0")

    def dimensions(self, path: Path, dims: dict[str, list[str]]) -> None:
        frameworks = {f.id: f for f in self.c.frameworks}
        for fid, items in dims.items():
            if fid not in frameworks:
                self.error((*path, "dimensions", fid), f'unknown framework "{fid}" in dimensions '
                                                       f"(declared frameworks: {_names(frameworks)})")
                continue
            known = [it.id for it in frameworks[fid].items]
            for item in items:
                if item not in known:
                    self.error((*path, "dimensions", fid), f'unknown item "{item}" of framework "{fid}" '
                                                           f"(its items: {', '.join(known)})")

    def criterion(self, path: Path, crit: Criterion, earlier: dict[str, Criterion]) -> None:
        c = self.c
        t = crit.type
        needs = {
            "scale": t in (AnswerType.IMPACT, AnswerType.GROUP_IMPACT),
            "choices": t in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE),
            "ladder": t == AnswerType.LADDER,
        }
        for key, needed in needs.items():
            value = getattr(crit, key)
            if needed and value is None:
                self.error(path, f'{_article(t.value)} {t.value} question needs "{key}"; name one of the declared '
                                 f"{_plural(key)} ({_names(self._ids(key))})")
            elif not needed and value is not None:
                self.error(path, f'"{key}" is only used by {_users(key)} questions, not {t.value}; remove it', key)
            elif needed and value not in self._ids(key):
                self.error(path, f'unknown {_singular(key)} "{value}" (declared {_plural(key)}: '
                                 f"{_names(self._ids(key))})", key)
        if crit.groups is not None:
            if t != AnswerType.GROUP_IMPACT:
                self.error(path, f'"groups" is only used by group_impact questions, not {t.value}; remove it', "groups")
            for i, g in enumerate(crit.groups):
                if g not in {grp.id for grp in c.groups}:
                    self.error((*path, "groups"), f'unknown group "{g}" (declared groups: {_names(g.id for g in c.groups)})')
                elif not c.group(g).rated:
                    self.error((*path, "groups"), _reporting_only_named(g))
                elif g in crit.groups[:i]:
                    self.error((*path, "groups"), f'group "{g}" is listed twice; each group is rated once')
        if t == AnswerType.GROUP_IMPACT and crit.groups == []:
            self.error(path, "groups: [] rates no group at all; list the groups to rate, or leave groups out to "
                             "rate every declared group", "groups")
        elif crit.groups is None and t == AnswerType.GROUP_IMPACT and not c.groups:
            self.error(path, "a group_impact question needs affected groups; declare them under groups")
        elif crit.groups is None and t == AnswerType.GROUP_IMPACT and not c.rated_groups():
            self.error(path, Said(
                "a group_impact question needs groups to rate, but every declared group is kept for reporting "
                "only; rate at least one group",
                "en group_impact-fråga behöver grupper att bedöma, men alla grupper finns bara för redovisning; "
                "låt minst en grupp bedömas"))
        if t != AnswerType.NUMBER and (crit.min is not None or crit.max is not None or crit.unit is not None):
            self.error(path, f'"min", "max" and "unit" are only used by number questions, not {t.value}; remove them')
        if crit.min is not None and crit.max is not None and crit.min > crit.max:
            self.error(path, f"min ({crit.min:g}) is greater than max ({crit.max:g}); swap them", "min")
        self.dimensions(path, crit.dimensions)
        if crit.show_if is not None:
            self.condition((*path, "show_if"), crit.show_if, earlier, f'criterion "{crit.id}"')

    def bands_on_scale(self, mins: list[float]) -> None:
        """Bands written in a scale's own steps (-2, 0, 1) rather than on the score's -100..+100."""
        c = self.c
        used = {k.scale for k in c.criteria() if k.is_rated}
        tops = [(max(abs(st.value) for st in sc.steps), sc.id) for sc in c.scales if sc.id in used]
        if len(mins) < 2 or not tops:
            return
        top, scale_id = max(tops)
        if not 1 <= top < 100 or any(abs(m) > top for m in mins):
            return
        written = ", ".join(f"{m:g}" for m in mins)
        meant = ", ".join(f"{m * 100 / top:g}" for m in mins)
        self.error(("scoring", "bands"), Said(
            f'the bands start at {written}, within the steps of scale "{scale_id}" (-{top}…+{top}), but scores run '
            f"from -100 to +100, so these bands would be almost all one band; on the score's range write "
            f"{meant}",
            f'banden börjar vid {written}, inom stegen på skalan "{scale_id}" (-{top}…+{top}), men poängen går '
            f"från -100 till +100, så banden blir nästan ett enda band; skriv dem på poängens skala: {meant}"))

    def certainty(self, every: dict[str, Criterion]) -> None:
        cert = self.c.certainty
        if cert is None:
            return
        cp: Path = ("certainty",)
        self.unique((*cp, "levels"), [lv.id for lv in cert.levels], "level")
        lows = [lv.id for lv in cert.levels if lv.low]
        if not lows or len(lows) == len(cert.levels):
            self.error(cp, Said(
                "mark some of the certainty levels, and not all, with low: true: a rating given at a low level "
                f"is named as a knowledge gap (levels: {', '.join(lv.id for lv in cert.levels)})",
                "markera några av säkerhetsnivåerna, men inte alla, med low: true: en bedömning på en låg nivå "
                f"redovisas som en kunskapslucka (nivåer: {', '.join(lv.id for lv in cert.levels)})"), "levels")
        rated = sorted(k.id for k in every.values() if k.is_rated)
        for j, cid in enumerate(cert.criteria or ()):
            if cid not in rated:
                what = "no question" if cid not in every else f"a {every[cid].type.value} question"
                what_sv = "ingen fråga" if cid not in every else f"en {every[cid].type.value}-fråga"
                self.error((*cp, "criteria", j), Said(
                    f'"{cid}" is {what}; certainty is asked beside a rating, so name impact or group_impact '
                    f"questions (rated questions: {_names(rated)})",
                    f'"{cid}" är {what_sv}; säkerheten anges vid en bedömning, så ange impact- eller '
                    f"group_impact-frågor (bedömda frågor: {_names(rated)})"))

    def groups(self) -> None:
        c = self.c
        concepts: dict[str, str] = {}
        for i, g in enumerate(c.groups):
            gp: Path = ("groups", i)
            if g.reporting_only and (g.worse_off or g.population):
                key = "worse_off" if g.worse_off else "population"
                self.error(gp, Said(
                    f'a group kept for reporting only is never rated, so it cannot be {key}: equity follows the '
                    f"ratings of the groups it compares; remove {key} or reporting_only",
                    f"en grupp som bara finns för redovisning bedöms aldrig och kan därför inte vara {key}: "
                    f"jämlikheten följer bedömningarna av grupperna den jämför; ta bort {key} eller reporting_only"),
                    key)
            if g.concept is not None:
                if g.concept in concepts:
                    self.error(gp, Said(
                        f'group "{concepts[g.concept]}" already stands for concept "{g.concept}"; a concept is one '
                        "group per checklist, or the portfolio would count the same people twice",
                        f'gruppen "{concepts[g.concept]}" står redan för begreppet "{g.concept}"; ett begrepp är en '
                        "grupp per checklista, annars räknar portföljen samma människor två gånger"), "concept")
                else:
                    concepts[g.concept] = g.id

    def _ids(self, key: str) -> list[str]:
        c = self.c
        return {"scale": [s.id for s in c.scales], "choices": [s.id for s in c.choice_lists],
                "ladder": [s.id for s in c.ladders]}[key]

    def condition(self, path: Path, cond: Condition, earlier: dict[str, Criterion], owner: str) -> None:
        if isinstance(cond, AllOf):
            for i, sub in enumerate(cond.all):
                self.condition((*path, "all", i), sub, earlier, owner)
            return
        if isinstance(cond, AnyOf):
            for i, sub in enumerate(cond.any):
                self.condition((*path, "any", i), sub, earlier, owner)
            return
        if isinstance(cond, Not):
            self.condition((*path, "not"), cond.not_, earlier, owner)
            return
        if isinstance(cond, Answered):
            self.reference(path, cond.answered, earlier, owner)
            return
        op, args = _leaf(cond)
        crit = self.reference(path, args.question, earlier, owner)
        if crit is None:
            return
        values = args.values if op == "in" else [args.value]
        if not self.reads(path, op, args, crit, owner):
            return
        if op in ("gte", "lte") and crit.type not in (AnswerType.NUMBER, AnswerType.DATE, AnswerType.LADDER,
                                                      AnswerType.IMPACT, AnswerType.GROUP_IMPACT):
            self.error(path, f'"{op}" compares numbers, dates or ladder levels, but "{crit.id}" is a '
                             f"{crit.type.value} question; use equals or in")
            return
        if op == "includes" and crit.type != AnswerType.MULTI_CHOICE:
            self.error(path, f'"includes" is for multi_choice questions, but "{crit.id}" is a {crit.type.value} '
                             "question; use equals or in")
            return
        if crit.is_rated:
            self.rated_values(path, op, values, crit, args.group)
            return
        if crit.type == AnswerType.NUMBER:
            self.number_values(path, op, values, crit)
        allowed = self._answer_values(crit)
        if allowed is not None:
            for v in values:
                if (str(v).lower() if isinstance(v, bool) or crit.type == AnswerType.YES_NO else str(v)) \
                        not in allowed:
                    self.error(path, f'"{crit.id}" can never be {_short(v)}; its answers are: {", ".join(allowed)}')

    def reads(self, path: Path, op: str, args: Any, crit: Criterion, owner: str) -> bool:
        """Whether the group and the alternative a leaf names can be read from `crit`; says why not."""
        c = self.c
        ok = True
        if args.group is not None:
            rated = [g.id for g in c.groups_of(crit)] if crit.type == AnswerType.GROUP_IMPACT else []
            if crit.type != AnswerType.GROUP_IMPACT:
                self.error(path, Said(
                    f'the condition names group "{args.group}", but "{crit.id}" is {_article(crit.type.value)} '
                    f"{crit.type.value} question, "
                    "answered once for everyone; only a group_impact question has a rating per group, so remove "
                    "group",
                    f'villkoret anger gruppen "{args.group}", men "{crit.id}" är en {crit.type.value}-fråga som '
                    "besvaras en gång för alla; bara en group_impact-fråga har ett svar per grupp, så ta bort group"),
                    op)
                ok = False
            elif args.group not in rated:
                self.error(path, Said(
                    f'the condition reads group "{args.group}", which "{crit.id}" does not rate, so it can never '
                    f"be true (groups rated: {_names(rated)})",
                    f'villkoret läser gruppen "{args.group}", som "{crit.id}" inte bedömer, så det kan aldrig '
                    f"vara sant (grupper som bedöms: {_names(rated)})"), op)
                ok = False
        if args.alternative is not None:
            alternatives = c.alternative_ids()
            if owner == "this section" or owner.startswith("criterion "):
                self.error(path, Said(
                    f'a question is shown or hidden for each alternative on its own answers, so show_if cannot name '
                    f'alternative "{args.alternative}"; name alternatives in flag rules (when) instead',
                    f'en fråga visas eller döljs för varje alternativ utifrån dess egna svar, så show_if kan inte '
                    f'ange alternative "{args.alternative}"; ange alternativ i flaggregler (when) i stället'), op)
                ok = False
            elif not crit.answered_per_alternative:
                self.error(path, Said(
                    f'"{crit.id}" is answered once for every alternative, so naming alternative '
                    f'"{args.alternative}" reads the same answer; remove alternative',
                    f'"{crit.id}" besvaras en gång för alla alternativ, så alternative "{args.alternative}" läser '
                    "samma svar; ta bort alternative"), op)
                ok = False
            elif args.alternative != CHOSEN and args.alternative not in alternatives:
                self.error(path, Said(
                    f'unknown alternative "{args.alternative}" (alternatives: {", ".join(alternatives)}, or '
                    f"{CHOSEN} for the chosen alternative)",
                    f'okänt alternativ "{args.alternative}" (alternativ: {", ".join(alternatives)}, eller '
                    f"{CHOSEN} för det valda alternativet)"), op)
                ok = False
        return ok

    def rated_values(self, path: Path, op: str, values: list[Any], crit: Criterion, group: str | None) -> None:
        """A condition on a rating that can never hold: a per-group question read without a group, a value
        that is not a step of the scale, a comparison beyond its ends, a special answer the scale has not."""
        scale = self.c.scale_of(crit)
        if scale is None or scale.id not in self._ids("scale"):
            return
        steps = sorted(st.value for st in scale.steps)
        specials = [sp for sp in (UNKNOWN_ANSWER, NOT_RELEVANT_ANSWER) if scale.offers(sp)]
        per_group = crit.type == AnswerType.GROUP_IMPACT and group is None
        for v in values:
            if isinstance(v, str) and v in (UNKNOWN_ANSWER, NOT_RELEVANT_ANSWER) and op in ("equals", "in"):
                if v not in specials:
                    self.error(path, Said(
                        f'"{crit.id}" can never be {v}: its scale "{scale.id}" has switched that answer off',
                        f'"{crit.id}" kan aldrig vara {v}: dess skala "{scale.id}" har stängt av det svaret'))
                continue
            if per_group:
                example = self.c.groups_of(crit)[0].id if self.c.groups_of(crit) else "g1"
                self.error(path, Said(
                    f'"{crit.id}" is rated per group, so its answer is never the single value {_short(v)} and the '
                    f"condition can never be true; name the group: {{{op}: {{question: {crit.id}, group: {example}, "
                    f"{'values' if op == 'in' else 'value'}: …}}}}",
                    f'"{crit.id}" bedöms per grupp, så svaret är aldrig det enda värdet {_short(v)} och villkoret '
                    f"kan aldrig vara sant; ange gruppen: {{{op}: {{question: {crit.id}, group: {example}, "
                    f"{'values' if op == 'in' else 'value'}: …}}}}"))
                return
            number = v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
            scale_text = ", ".join(f"{st:+d}" if st else "0" for st in steps)
            never = number is None or (op in ("equals", "in") and number not in steps) \
                or (op == "gte" and number > steps[-1]) or (op == "lte" and number < steps[0])
            if never:
                self.error(path, Said(
                    f'"{crit.id}" can never be {"at least " if op == "gte" else "at most " if op == "lte" else ""}'
                    f'{_short(v)}: its scale "{scale.id}" has the steps {scale_text}'
                    + (f", and {', '.join(specials)}" if specials and op in ("equals", "in") else ""),
                    f'"{crit.id}" kan aldrig vara {"minst " if op == "gte" else "högst " if op == "lte" else ""}'
                    f'{_short(v)}: dess skala "{scale.id}" har stegen {scale_text}'
                    + (f", samt {', '.join(specials)}" if specials and op in ("equals", "in") else "")))

    def number_values(self, path: Path, op: str, values: list[Any], crit: Criterion) -> None:
        low, high = crit.min, crit.max
        for v in values:
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                continue
            if (op in ("equals", "in", "gte") and high is not None and v > high) or \
                    (op in ("equals", "in", "lte") and low is not None and v < low):
                bounds = f"{low:g} … {high:g}" if low is not None and high is not None else \
                    f"at least {low:g}" if low is not None else f"at most {high:g}"
                bounds_sv = f"{low:g} … {high:g}" if low is not None and high is not None else \
                    f"minst {low:g}" if low is not None else f"högst {high:g}"
                self.error(path, Said(
                    f'"{crit.id}" can never be {"at least " if op == "gte" else "at most " if op == "lte" else ""}'
                    f"{v:g}: its answers are {bounds}",
                    f'"{crit.id}" kan aldrig vara {"minst " if op == "gte" else "högst " if op == "lte" else ""}'
                    f"{v:g}: svaren är {bounds_sv}"))

    def _answer_values(self, crit: Criterion) -> list[str] | None:
        c = self.c
        if crit.type in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE) and crit.choices in self._ids("choices"):
            return [o.id for o in c.choice_list(crit.choices).options]
        if crit.type == AnswerType.LADDER and crit.ladder in self._ids("ladder"):
            return [lv.id for lv in c.ladder(crit.ladder).levels]
        if crit.type == AnswerType.YES_NO:
            return ["true", "false", "yes", "no"]
        return None

    def reference(self, path: Path, qid: str, earlier: dict[str, Criterion], owner: str) -> Criterion | None:
        if qid in earlier:
            return earlier[qid]
        if owner == f'criterion "{qid}"':
            self.error(path, f'the condition refers to "{qid}" itself, so the question could never be shown; '
                             "refer to an earlier question")
        elif owner == "this section" and len(path) > 1 and isinstance(path[1], int) \
                and any(crit.id == qid for crit in self.c.sections[path[1]].criteria):
            self.error(path, f'the condition refers to "{qid}", a question inside this section; a section can '
                             "only depend on questions in earlier sections, so move the question or put the "
                             "condition on the criteria instead")
        elif any(crit.id == qid for crit in self.c.criteria()):
            self.error(path, f'the condition refers to "{qid}", which comes later than {owner}; '
                             "a condition may only refer to earlier questions, so move one of them")
        else:
            guess = difflib.get_close_matches(qid, list(earlier), n=1, cutoff=0.6)
            hint = f'; did you mean "{guess[0]}"?' if guess else \
                f" (earlier questions: {_names(earlier)})" if earlier else "; there are no earlier questions"
            self.error(path, f'the condition refers to an unknown question "{qid}"{hint}')
        return None

    def scoring(self, criteria: dict[str, Criterion]) -> None:
        c = self.c
        s = c.scoring
        mins = [b.min for b in s.bands]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            self.error(("scoring", "bands"), "score bands must be listed from the lowest min to the highest, "
                                             f"each min different (they are: {', '.join(f'{m:g}' for m in mins)})")
        self.bands_on_scale(mins)
        group_ids = {g.id for g in c.groups}
        section_ids = {sec.id for sec in c.sections}
        every = dict(criteria)
        for i, rule in enumerate(s.flags):
            fp: Path = ("scoring", "flags", i)
            for g in rule.groups or []:
                if g not in group_ids:
                    self.error(fp, f'unknown group "{g}" (declared groups: {_names(group_ids)})', "groups")
                elif not c.group(g).rated:
                    self.error(fp, _reporting_only_named(g), "groups")
            for sec in rule.sections or []:
                if sec not in section_ids:
                    self.error(fp, f'unknown section "{sec}" (sections: {_names(section_ids)})', "sections")
            if rule.dimension is not None:
                fid, _, item = rule.dimension.partition(":")
                fws = {f.id: f for f in c.frameworks}
                if fid not in fws or item not in [it.id for it in fws[fid].items]:
                    self.error(fp, f'dimension "{rule.dimension}" is not a declared framework item; '
                                   'write it as framework:item, for example policy_area:housing', "dimension")
            if rule.kind == FlagKind.CONDITION:
                if rule.when is None:
                    self.error(fp, 'a flag of kind condition needs "when": the condition that raises it, '
                               "for example when: {equals: {question: q1, value: true}}")
                else:
                    self.condition((*fp, "when"), rule.when, every, f'flag "{rule.id}"')
            elif rule.when is not None:
                self.error(fp, f'"when" is only used by flags of kind condition, not {rule.kind.value}; remove it',
                           "when")
            if rule.kind == FlagKind.KNOWLEDGE_GAPS and not (rule.threshold is not None and 0 <= rule.threshold <= 1):
                got = "none" if rule.threshold is None else f"{rule.threshold:g}"
                hint = f"; write {rule.threshold / 100:g} for {rule.threshold:g} %" \
                    if rule.threshold is not None and 1 < rule.threshold <= 100 else ""
                self.error(fp, "a knowledge_gaps flag needs a threshold between 0 and 1, the share of unknown "
                               f"answers that raises it (got {got}{hint})", "threshold")
            if rule.kind == FlagKind.PARTICIPATION_BELOW_EXPECTED and s.participation is None:
                self.error(fp, "this flag compares with the expected participation level; "
                               "declare scoring.participation")
            if rule.measure_needs is not None and rule.kind != FlagKind.NEGATIVE_WITHOUT_MEASURE:
                self.error(fp, f'"measure_needs" is only used by flags of kind negative_without_measure, not '
                               f"{rule.kind.value}; remove it", "measure_needs")
            if rule.kind == FlagKind.GAP_WIDENS and not any(g.worse_off for g in c.groups):
                self.error(fp, "a gap_widens flag needs at least one group with worse_off: true")
        rated = {k.id for k in every.values() if k.is_rated}
        self.certainty(every)
        for i, cid in enumerate(s.overall_judgement):
            if cid not in rated:
                what = "no question" if cid not in every else f"a {every[cid].type.value} question"
                self.error(("scoring", "overall_judgement", i),
                           f'"{cid}" is {what}; an overall judgement must be an impact or group_impact question '
                           f"(rated questions: {_names(rated)})")
        for i, rule in enumerate(s.always_relevant):
            ap: Path = ("scoring", "always_relevant", i)
            for j, cid in enumerate(rule.criteria):
                if cid not in every:
                    guess = difflib.get_close_matches(cid, list(every), n=1, cutoff=0.6)
                    hint = f'; did you mean "{guess[0]}"?' if guess else ""
                    self.error((*ap, "criteria", j), f'unknown question "{cid}"{hint}')
                elif every[cid].is_rated and (scale := c.scale_of(every[cid])) is not None \
                        and not scale.offers(NOT_RELEVANT_ANSWER):
                    self.error((*ap, "criteria", j), Said(
                        f'"{cid}" can never be answered not relevant: its scale "{scale.id}" has switched that '
                        "answer off, so this rule never applies; remove it from the list",
                        f'"{cid}" kan aldrig besvaras som ej relevant: dess skala "{scale.id}" har stängt av det '
                        "svaret, så regeln gäller aldrig; ta bort frågan ur listan"))
            if rule.when is not None:
                self.condition((*ap, "when"), rule.when, every, "always_relevant")
        if s.participation is not None:
            pp: Path = ("scoring", "participation")
            q = every.get(s.participation.question)
            if q is None or q.type != AnswerType.LADDER or q.ladder not in self._ids("ladder"):
                ladders = [k.id for k in every.values() if k.type == AnswerType.LADDER]
                what = "no question" if q is None else f"a {q.type.value} question"
                self.error(pp, f'the expected participation is read from "{s.participation.question}", which is '
                               f"{what}; name a ladder question (ladder questions: {_names(ladders)})", "question")
                return
            levels = [lv.id for lv in c.ladder(q.ladder).levels]
            if s.participation.default not in levels:
                self.error(pp, f'unknown level "{s.participation.default}" (levels of ladder "{q.ladder}": '
                               f"{', '.join(levels)})", "default")
            for i, rule in enumerate(s.participation.rules):
                if rule.level not in levels:
                    self.error((*pp, "rules", i), f'unknown level "{rule.level}" (levels of ladder "{q.ladder}": '
                                                  f"{', '.join(levels)})", "level")
                self.condition((*pp, "rules", i, "when"), rule.when, every, "the expected participation")


def _reporting_only_named(group: str) -> Said:
    return Said(f'group "{group}" is kept for reporting only, so it is never rated; remove it here, or remove '
                "reporting_only from the group",
                f'gruppen "{group}" finns bara för redovisning och bedöms aldrig; ta bort den här, eller ta bort '
                "reporting_only från gruppen")


def _leaf(cond: Any) -> tuple[str, Any]:
    for op, cls in (("equals", Equals), ("in", In), ("includes", Includes), ("gte", Gte), ("lte", Lte)):
        if isinstance(cond, cls):
            return op, getattr(cond, "in_" if op == "in" else op)
    raise TypeError(cond)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _plural(key: str) -> str:
    return {"scale": "scales", "choices": "choice lists", "ladder": "ladders"}[key]


def _singular(key: str) -> str:
    return {"scale": "scale", "choices": "choice list", "ladder": "ladder"}[key]


def _users(key: str) -> str:
    return {"scale": "impact and group_impact", "choices": "single_choice and multi_choice",
            "ladder": "ladder"}[key]


_TEXT_KEYS = {"title", "description", "label", "help", "text", "message", "unit"}

_REQUIRED_TEXTS = {"title": "title", "text": "question", "label": "label people will see",
                   "message": "message the flag shows"}


def _texts(data: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _TEXT_KEYS and isinstance(value, (str, dict)):
                yield (*path, key), value
            elif key not in ("dimensions", "show_if", "when"):
                yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _texts(item, (*path, i))


# --- the entry points -------------------------------------------------------------


def check_checklist(located: Located, source: str) -> tuple[Checklist | None, list[Problem]]:
    """Validate data read from `source`; return the checklist (None on errors) and every problem."""
    data = located.data

    def problem(path: Path, message: str, severity: Literal["error", "warning"] = "error") -> Problem:
        return Problem(severity, source, located.line_of(path), describe(data, path), message)

    if not isinstance(data, dict):
        return None, [problem((), "a checklist must be a map of keys (schema_version, id, version, title, "
                                  "sections, ...); the file holds " + _short(data))]
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        return None, _shape_problems(exc, data, located, source)
    problems = [Problem(sev, source, located.line_of((*p, key) if key else p), describe(data, p), str(m),
                        getattr(m, "sv", None))
                for p, m, sev, key in _Refs(checklist).run()]
    if any(p.severity == "error" for p in problems):
        return None, problems
    return checklist, problems


def _shape_problems(exc: ValidationError, data: Any, located: Located, source: str) -> list[Problem]:
    errors = exc.errors()
    misspelt: set[tuple[Path, str]] = set()  # (map, key) that an unknown key probably meant
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _clean_loc(tuple(err["loc"]))
            allowed = _allowed_keys(Checklist, loc[:-1]) or []
            for guess in difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6):
                misspelt.add((loc[:-1], guess))
    # a special answer written as a map with a fault of its own: that fault, not "must be true or false"
    deeper = {tuple(e["loc"])[:tuple(e["loc"]).index("SpecialAnswer")] for e in errors
              if "SpecialAnswer" in tuple(e["loc"])[:-1]}
    problems: list[Problem] = []
    seen: set[tuple[Path, str]] = set()
    for err in errors:
        loc = _clean_loc(tuple(err["loc"]))
        if len(loc) >= 2 and loc[-2] in _SPECIALS and loc[-1] == "bool" and tuple(err["loc"])[:-1] in deeper:
            continue
        if tuple(err["loc"])[-1:] == ("SpecialAnswer",):
            continue  # not a map at all: the message for the `bool` member says what a special answer is
        if err["type"] == "missing" and (loc[:-1], loc[-1]) in misspelt:
            continue  # "valeu" is unknown says it better than "value" is missing
        path, message = _shape_message(err, data)
        if err["type"] != "missing" and _condition_scalar(loc) is not None and err.get("input") is None:
            node = _node(data, path)  # name the question the condition reads, when it names one
            if isinstance(node, dict) and isinstance(node.get("question"), str) and node["question"]:
                message = _null_message(node["question"])
        if (path, message) in seen:
            continue
        seen.add((path, message))
        # point at the offending key's own line when it is in the file
        line = located.lines.get(loc) or located.lines.get(loc[:-1]) if loc and loc[-1] == "bool" \
            else located.lines.get(loc)
        line = line or located.line_of(path)
        if err["type"] == "condition" and isinstance(err.get("input"), dict):
            ops = [k for k in err["input"] if k in _COND_TAGS]
            odd = [k for k in err["input"] if k not in _COND_TAGS] or ops[1:]
            if odd:
                line = located.lines.get((*loc, odd[0]), line)
        problems.append(Problem("error", source, line, describe(data, path), str(message),
                                getattr(message, "sv", None)))
    return problems


def _node(data: Any, path: Path) -> Any:
    node = data
    for key in path:
        if isinstance(node, dict) and isinstance(key, str):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def read_checklist_file(path: str | FsPath, limits: Limits = Limits()) -> tuple[Checklist | None, list[Problem]]:
    """Read and validate one checklist file; never raises for a bad file."""
    source = str(path)
    try:
        raw = FsPath(path).read_bytes()
    except OSError as exc:
        return None, [Problem("error", source, None, "", f"cannot read the file: {exc.strerror or exc}")]
    return parse_checklist(raw, source, limits)


def parse_checklist(raw: bytes | str, source: str, limits: Limits = Limits()) -> tuple[Checklist | None, list[Problem]]:
    """Validate checklist text or bytes (from a file or an upload)."""
    try:
        located = load_located(raw, limits, json_ok=False)
    except UnsafeInput as exc:
        return None, [Problem("error", source, exc.line, "", exc.message)]
    return check_checklist(located, source)


def load_checklist(path: str | FsPath) -> Checklist:
    """The checklist in `path`, or ChecklistError listing every problem."""
    checklist, problems = read_checklist_file(path)
    if checklist is None:
        raise ChecklistError(str(path), [str(p) for p in problems if p.severity == "error"])
    return checklist
