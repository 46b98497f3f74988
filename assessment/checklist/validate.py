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
from assessment.checklist.said import Said
from assessment.checklist.yes_no import FALSE_WORDS, TRUE_WORDS
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
    """One thing wrong with a checklist, located for its author: what is wrong is `said`, a code and its fields
    (`assessment.checklist.said`), worded by `text(lang)` from the catalogue's `checklist.<code>`."""

    severity: Literal["error", "warning"]
    source: str
    line: int | None
    where: str
    said: Said

    @property
    def code(self) -> str:
        return self.said.code

    @property
    def message(self) -> str:
        """What is wrong, in English (for a log; a person reads `text(lang)`)."""
        return self.said.text("en")

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The problem as `skb validate` prints it: file:line: [warning: ]where: what, in `lang`."""
        loc = f"{self.source}:{self.line}" if self.line else self.source
        prefix = f"{Said('warning').text(lang)}: " if self.severity == "warning" else ""
        where = f"{self.where}: " if self.where else ""
        return f"{loc}: {prefix}{where}{self.said.text(lang)}"


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


def _names(items: Iterable[str]) -> str | Said:
    listed = sorted(set(items))
    return ", ".join(listed) if listed else Said("none")


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


def _shape_message(err: dict[str, Any], data: Any) -> tuple[Path, Said]:
    """The path of the object at fault and a message for one pydantic error."""
    loc = _clean_loc(tuple(err["loc"]))
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if len(loc) >= 2 and loc[-1] == "[key]":  # a key of a map (a framework id in dimensions) is wrong
        key, at = loc[-2], loc[:-2]
        return at, Said("key_not_an_id", key=key, example=_example(str(key)))
    if len(loc) >= 2 and loc[-2] in _SPECIALS and loc[-1] in ("bool", "SpecialAnswer"):
        special = loc[-2]
        hint = _quote_hint("bool_type", value, special) if isinstance(value, str) else ""
        return loc[:-2], Said("special_answer", special=special, got=_got(value), hint=hint)
    scalar = _condition_scalar(loc)
    if scalar is not None:  # one message for a compared value, not one per type it could have been
        at, question = scalar
        if value is None:
            return at, _null_message(question)
        return at, Said("condition_one_value", got=_short(value),
                        hint=Said("condition_use_in") if isinstance(value, list) else "")
    field = loc[-1] if loc else ""
    parent = loc[:-1]
    if isinstance(field, int):  # an entry of a list: name the entry, not its index
        if kind == "string_pattern_mismatch" and len(loc) >= 2 and loc[-2] == "languages":
            return loc, Said("not_language_code", value=_short(value))
        return loc, _entry_message(kind, value, ctx, err)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(Checklist, parent)
        guess = difflib.get_close_matches(str(field), allowed or [], n=1, cutoff=0.6)
        did_you_mean = Said("did_you_mean", guess=guess[0]) if guess else Said("check_spelling")
        hint = Said("allowed_here", keys=", ".join(allowed)) if allowed else ""
        return parent, Said("unknown_key", key=field, guess=did_you_mean, allowed=hint)
    if kind == "missing":
        hint = _MISSING_HINTS.get(str(field), "")
        if not parent:
            return parent, Said("missing_at_top", field=field, hint=hint)
        return parent, Said("missing_here", field=field, hint=hint)
    if kind == "literal_error" and loc == ("schema_version",):
        return (), Said("schema_version_wrong", got=_short(value), version=SCHEMA_VERSION)
    if kind == "condition":
        return loc, _condition_message(value)
    if kind == "string_pattern_mismatch":
        if field in ("default_language", "languages") or (parent and parent[-1] == "languages"):
            return parent, Said("not_language_code", value=_short(value))
        return parent, Said("field_not_an_id", field=field, value=_short(value),
                            example=_example(value) if isinstance(value, str) else "")
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0:
            return parent, Said("must_be_zero_or_more", field=field, got=_short(value))
        return parent, Said("must_be_at_least", field=field, bound=_bound(bound), got=_short(value))
    if kind in {"less_than_equal", "less_than"}:
        return parent, Said("must_be_at_most", field=field, bound=_bound(ctx.get("le", ctx.get("lt"))),
                            got=_short(value))
    if kind == "too_short":
        if isinstance(value, (list, dict)):
            return parent, Said("needs_entries", n=ctx.get("min_length", 1), field=field, got=len(value))
        return parent, Said("must_not_be_empty", field=field)
    if kind == "string_too_short":
        return parent, Said("must_not_be_empty", field=field)
    if kind in ("too_long", "string_too_long"):
        return parent, Said("too_long", field=field, limit=ctx.get("max_length"))
    if kind == "enum":
        return parent, Said("not_one_of", field=field, value=_short(value), expected=_one_of(ctx))
    if kind in ("float_type", "int_type") and isinstance(value, str) and _as_float(value) is not None \
            and not math.isfinite(_as_float(value) or 0.0):
        return parent, Said("must_be_finite", field=field, value=value.strip())
    if kind in _WANTED:
        # a quoted "yes" or "2" is named as the text it is: lax parsing would have turned it into true or 2
        quoted = kind in ("bool_type", "float_type", "int_type")
        return parent, Said("must_be", field=field, wanted=_WANTED[kind], got=_got(value) if quoted else _short(value),
                            hint=_quote_hint(kind, value, field))
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        if msg.startswith("must be a text, or a map"):  # assessment.checklist.checklist._check_text
            return parent, Said("not_a_text", field=field)
        return parent, Said("value_error", field=field, problem=msg)
    return parent, Said("shape_other", field=field, problem=err["msg"])


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
    if question:
        return Said("condition_null_question", question=question)
    return Said("condition_null")


_WANTED = {"string_type": Said("want_text"), "int_type": Said("want_whole"), "int_parsing": Said("want_whole"),
           "int_from_float": Said("want_whole"), "float_type": Said("want_number"),
           "float_parsing": Said("want_number"), "bool_type": Said("want_bool"), "bool_parsing": Said("want_bool"),
           "list_type": Said("want_list"), "dict_type": Said("want_map"), "model_type": Said("want_map"),
           "model_attributes_type": Said("want_map")}


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _quote_hint(kind: str, value: Any, field: Any = None) -> Said | str:
    """How to write the value so that it is read as what it must be, when that is plain."""
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Said("hint_quote_number", value=value)
    if kind == "string_type" and isinstance(value, bool):
        return Said("hint_quote_yes_no")
    key = f"{field}: " if isinstance(field, str) else ""
    if kind == "bool_type" and isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            # a quoted "yes" is a text, which is never read as true: say what to write
            return Said("hint_write_unquoted", written=f"{key}{'true' if word in TRUE_WORDS else 'false'}")
        return Said("hint_true_or_false", key=key)
    if kind in ("float_type", "int_type") and isinstance(value, str) and _as_float(value.strip()) is not None:
        number = _as_float(value.strip()) or 0.0
        if kind == "float_type" or number.is_integer():
            return Said("hint_write_unquoted", written=f"{key}{value.strip()}")
    if kind in ("float_type", "int_type") and isinstance(value, bool):
        return Said("hint_bool_not_number")
    return ""


def _entry_message(kind: str, value: Any, ctx: dict[str, Any], err: dict[str, Any]) -> Said:
    """A message for a wrong entry of a list; the path already names the entry."""
    if kind in _WANTED:
        wanted = _WANTED[kind]
        if wanted.code == "want_map":
            wanted = Said("want_map_like")
        return Said("entry_must_be", wanted=wanted, got=_short(value), hint=_quote_hint(kind, value))
    if kind in ("enum", "literal_error"):
        return Said("entry_not_one_of", value=_short(value), expected=_one_of(ctx))
    if kind == "string_pattern_mismatch":
        return Said("entry_not_an_id", value=_short(value),
                    example=_example(value) if isinstance(value, str) else "")
    return Said("entry_other", problem=err["msg"])


_COND_TAGS = {"equals", "in", "includes", "gte", "lte", "answered", "all", "any", "not"}

_MISSING_HINTS = {
    "schema_version": Said("hint_schema_version"),
    "version": Said("hint_version"),
    "type": Said("hint_type", types=", ".join(t.value for t in AnswerType)),
    "criteria": Said("hint_criteria"),
    "steps": Said("hint_steps"),
}

_LEAF_ARGS = {"equals": ["question", "group", "alternative", "value"],
              "in": ["question", "group", "alternative", "values"],
              "includes": ["question", "group", "alternative", "value"],
              "gte": ["question", "group", "alternative", "value"],
              "lte": ["question", "group", "alternative", "value"]}

_CONDITION_KINDS = ", ".join(sorted(_COND_TAGS, key=["equals", "in", "includes", "gte", "lte", "answered", "all",
                                                     "any", "not"].index))


def _condition_message(value: Any) -> Said:
    if isinstance(value, dict):
        ops = [k for k in value if k in _COND_TAGS]
        others = [k for k in value if k not in _COND_TAGS]
        if len(ops) > 1:
            joined = ", ".join(f"{{{op}: …}}" for op in ops)
            return Said("condition_operators", count=len(ops), operators=", ".join(ops), joined=joined)
        if others:
            guess = difflib.get_close_matches(str(others[0]), sorted(_COND_TAGS), n=1, cutoff=0.6)
            did_you_mean = Said("did_you_mean", guess=guess[0]) if guess else ""
            return Said("condition_unknown_operator", operator=others[0], guess=did_you_mean,
                        kinds=_CONDITION_KINDS)
        if not value:
            return Said("condition_empty", kinds=_CONDITION_KINDS)
    return Said("condition_not_a_map", kinds=_CONDITION_KINDS, got=_short(value))


def _bound(bound: Any) -> str:
    return f"{bound:g}" if isinstance(bound, (int, float)) else str(bound)


def _one_of(ctx: dict[str, Any]) -> Said | str:
    """The values pydantic expected ("'a', 'b' or 'c'"), listed in words: a, b or c."""
    values = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
    if len(values) < 2:
        return ", ".join(values) or str(ctx.get("expected", ""))
    return Said("or_list", head=", ".join(values[:-1]), last=values[-1])


def _example(name: str) -> Said | str:
    """' (for example "boende_och_narmiljo")' for a name that is not an id, when a suggestion differs from it."""
    suggestion = _slug(name)
    return Said("for_example", id=suggestion) if suggestion and suggestion != name else ""


def _slug(text: str) -> str:
    """A suggested id for a name: "Boende och närmiljö" -> "boende_och_narmiljo"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:64]


def _short(value: Any) -> str | Said:
    """A value as a message shows it: a text quoted and cut short, a map, a list or nothing named in words."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f'"{text}"'
    if isinstance(value, dict):
        return Said("value_map")
    if isinstance(value, list):
        return Said("value_list")
    if value is None:
        return Said("value_nothing")
    if isinstance(value, bool):
        return "true" if value else "false"  # as the author wrote it, not as Python prints it
    return repr(value)


def _got(value: Any) -> str | Said:
    """What was written, for "(got …)": "the text "yes"" for a text, else the value."""
    return Said("got_text", value=_short(value)) if isinstance(value, str) else _short(value)


# --- pass 3: cross-references ------------------------------------------------------


class _Refs:
    """Collects cross-reference problems with their paths."""

    def __init__(self, checklist: Checklist) -> None:
        self.c = checklist
        self.problems: list[tuple[Path, Said, Literal["error", "warning"], str | None]] = []

    def error(self, path: Path, said: Said, key: str | None = None) -> None:
        """A problem in the object at `path`; `key` points the line at one of its keys."""
        self.problems.append((path, said, "error", key))

    def warn(self, path: Path, said: Said) -> None:
        self.problems.append((path, said, "warning", None))

    def run(self) -> list[tuple[Path, Said, Literal["error", "warning"], str | None]]:
        c = self.c
        self.unique(("scales",), [s.id for s in c.scales], Said("noun_scale"))
        self.unique(("choice_lists",), [s.id for s in c.choice_lists], Said("noun_choice_list"))
        self.unique(("ladders",), [s.id for s in c.ladders], Said("noun_ladder"))
        self.unique(("frameworks",), [s.id for s in c.frameworks], Said("noun_framework"))
        self.unique(("groups",), [s.id for s in c.groups], Said("noun_group"))
        self.unique(("alternatives",), [s.id for s in c.alternatives], Said("noun_alternative"))
        self.unique(("sections",), [s.id for s in c.sections], Said("noun_section"))
        self.unique(("scoring", "flags"), [f.id for f in c.scoring.flags], Said("noun_flag"))
        for i, s in enumerate(c.scales):
            self.unique(("scales", i, "steps"), [str(st.value) for st in s.steps], None)
        for i, cl in enumerate(c.choice_lists):
            self.unique(("choice_lists", i, "options"), [o.id for o in cl.options], Said("noun_option"))
        for i, lad in enumerate(c.ladders):
            self.unique(("ladders", i, "levels"), [lv.id for lv in lad.levels], Said("noun_level"))
        for i, fw in enumerate(c.frameworks):
            self.unique(("frameworks", i, "items"), [it.id for it in fw.items], Said("noun_item"))
        self.criteria_unique()
        self.finite(c.model_dump(by_alias=True, exclude_none=True), ())
        self.languages()
        self.weights()
        zeros = [i for i, a in enumerate(c.alternatives) if a.kind == "zero"]
        for i in zeros[1:]:
            self.error(("alternatives", i), Said("second_zero_alternative", first=c.alternatives[zeros[0]].id),
                       "kind")
        self.groups()
        marked = [i for i, f in enumerate(c.frameworks) if f.policy_areas]
        for i in marked[1:]:
            self.error(("frameworks", i), Said("second_policy_areas", first=c.frameworks[marked[0]].id),
                       "policy_areas")
        populations = [i for i, g in enumerate(c.groups) if g.population]
        for i in populations[1:]:
            self.error(("groups", i), Said("second_population", first=c.groups[populations[0]].id), "population")
        earlier: dict[str, Criterion] = {}
        for si, section in enumerate(c.sections):
            sp: Path = ("sections", si)
            if not section.criteria:
                self.error(sp, Said("section_without_criteria"))
            if section.show_if is not None:
                self.condition((*sp, "show_if"), section.show_if, earlier, ("section", section.id))
            self.dimensions(sp, section.dimensions)
            for ci, crit in enumerate(section.criteria):
                cp: Path = (*sp, "criteria", ci)
                self.criterion(cp, crit, earlier)
                earlier[crit.id] = crit
        self.scoring(earlier)
        return self.problems

    def unique(self, path: Path, ids: list[str], noun: Said | None) -> None:
        """Each id once; `noun` names what has the ids (None: the values of a scale's steps)."""
        seen: dict[str, int] = {}
        for i, value in enumerate(ids):
            if value in seen:
                if noun is None:
                    self.error((*path, i), Said("duplicate_step_value", value=value, first=seen[value] + 1,
                                                second=i + 1), "value")
                else:
                    self.error((*path, i), Said("duplicate_id", thing=noun, id=value, first=seen[value] + 1), "id")
            else:
                seen[value] = i

    def criteria_unique(self) -> None:
        seen: dict[str, str] = {}
        for si, s in enumerate(self.c.sections):
            for ci, crit in enumerate(s.criteria):
                if crit.id in seen:
                    self.error(("sections", si, "criteria", ci),
                               Said("duplicate_criterion", id=crit.id, section=seen[crit.id]), "id")
                else:
                    seen[crit.id] = s.id

    def languages(self) -> None:
        c = self.c
        given = c.model_fields_set
        declared_list = ", ".join(c.languages)
        if c.default_language not in c.languages and "default_language" not in given:
            # the file never set default_language: point at what it did set, not at a line it lacks
            self.error(("languages",), Said("default_language_unset", default=c.default_language,
                                            declared=declared_list, first=c.languages[0]))
        elif c.default_language not in c.languages and "languages" not in given:
            self.error(("default_language",), Said("languages_unset", default=c.default_language,
                                                   declared=declared_list))
        elif c.default_language not in c.languages:
            self.error(("default_language",), Said("default_language_not_declared", default=c.default_language,
                                                   declared=declared_list))
        texts = list(_texts(c.model_dump(by_alias=True, exclude_none=True), ()))
        for path, text in texts:
            values = list(text.values()) if isinstance(text, dict) else [text]
            if path[-1] in _REQUIRED_TEXTS and any(not v.strip() for v in values):
                self.error(path[:-1], Said("empty_text", key=path[-1], what=_REQUIRED_TEXTS[str(path[-1])]),
                           str(path[-1]))
        declared = set(c.languages)
        if len(declared) < 2:
            return
        for path, text in texts:
            if isinstance(text, dict):
                missing = sorted(declared - set(text))
                if missing:
                    shown = c.default_language if c.default_language in text else next(iter(text))
                    self.warn(path, Said("missing_translation", missing=", ".join(missing), shown=shown))
            elif isinstance(text, str) and text.strip():
                self.warn(path, Said("single_text", declared=", ".join(sorted(declared)),
                                     example=", ".join(f"{code}: …" for code in c.languages)))

    def finite(self, data: Any, path: Path) -> None:
        """No weight, bound or threshold may be infinite: YAML reads `inf` and `1e400` as text,
        and pydantic turns such text into float('inf'), which would poison every score."""
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, float) and not math.isfinite(value):
                    self.error(path, Said("must_be_finite", field=key, value=str(value)), key)
                else:
                    self.finite(value, (*path, key))
        elif isinstance(data, list):
            for i, value in enumerate(data):
                self.finite(value, (*path, i))

    def weights(self) -> None:
        c = self.c
        if c.sections and all(s.weight == 0 for s in c.sections):
            self.error(("sections",), Said("all_sections_weight_zero"))
        for si, s in enumerate(c.sections):
            rated = [crit for crit in s.criteria if crit.is_rated]
            if rated and all(crit.weight == 0 for crit in rated):
                self.error(("sections", si), Said("all_criteria_weight_zero"))
        if c.rated_groups() and all(g.weight == 0 for g in c.rated_groups()):
            self.error(("groups",), Said("all_groups_weight_zero"))

    def dimensions(self, path: Path, dims: dict[str, list[str]]) -> None:
        frameworks = {f.id: f for f in self.c.frameworks}
        for fid, items in dims.items():
            if fid not in frameworks:
                self.error((*path, "dimensions", fid), Said("unknown_framework", framework=fid,
                                                            declared=_names(frameworks)))
                continue
            known = [it.id for it in frameworks[fid].items]
            for item in items:
                if item not in known:
                    self.error((*path, "dimensions", fid), Said("unknown_framework_item", item=item, framework=fid,
                                                                items=", ".join(known)))

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
                self.error(path, Said("needs_reference", question=_a_question(t.value), key=key,
                                      things=_REFERRED[key][2], declared=_names(self._ids(key))))
            elif not needed and value is not None:
                self.error(path, Said("only_used_by", key=key, users=_REFERRED[key][3], type=t.value), key)
            elif needed and value not in self._ids(key):
                self.error(path, Said("unknown_reference", thing=_REFERRED[key][0], value=value,
                                      things=_REFERRED[key][1], declared=_names(self._ids(key))), key)
        if crit.groups is not None:
            if t != AnswerType.GROUP_IMPACT:
                self.error(path, Said("only_used_by", key="groups", users="group_impact", type=t.value), "groups")
            for i, g in enumerate(crit.groups):
                if g not in {grp.id for grp in c.groups}:
                    self.error((*path, "groups"), Said("unknown_group", group=g,
                                                       declared=_names(g.id for g in c.groups)))
                elif not c.group(g).rated:
                    self.error((*path, "groups"), _reporting_only_named(g))
                elif g in crit.groups[:i]:
                    self.error((*path, "groups"), Said("group_listed_twice", group=g))
        if t == AnswerType.GROUP_IMPACT and crit.groups == []:
            self.error(path, Said("group_impact_empty_groups"), "groups")
        elif crit.groups is None and t == AnswerType.GROUP_IMPACT and not c.groups:
            self.error(path, Said("group_impact_without_groups"))
        elif crit.groups is None and t == AnswerType.GROUP_IMPACT and not c.rated_groups():
            self.error(path, Said("group_impact_only_reporting_groups"))
        if t != AnswerType.NUMBER and (crit.min is not None or crit.max is not None or crit.unit is not None):
            self.error(path, Said("number_keys_only", type=t.value))
        if crit.min is not None and crit.max is not None and crit.min > crit.max:
            self.error(path, Said("min_above_max", min=f"{crit.min:g}", max=f"{crit.max:g}"), "min")
        self.dimensions(path, crit.dimensions)
        if crit.show_if is not None:
            self.condition((*path, "show_if"), crit.show_if, earlier, ("criterion", crit.id))

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
        self.error(("scoring", "bands"), Said("bands_on_scale_steps", written=", ".join(f"{m:g}" for m in mins),
                                              scale=scale_id, top=top,
                                              meant=", ".join(f"{m * 100 / top:g}" for m in mins)))

    def certainty(self, every: dict[str, Criterion]) -> None:
        cert = self.c.certainty
        if cert is None:
            return
        cp: Path = ("certainty",)
        self.unique((*cp, "levels"), [lv.id for lv in cert.levels], Said("noun_level"))
        lows = [lv.id for lv in cert.levels if lv.low]
        if not lows or len(lows) == len(cert.levels):
            self.error(cp, Said("certainty_low_levels", levels=", ".join(lv.id for lv in cert.levels)), "levels")
        rated = sorted(k.id for k in every.values() if k.is_rated)
        for j, cid in enumerate(cert.criteria or ()):
            if cid not in rated:
                self.error((*cp, "criteria", j), Said("certainty_on_unrated", question=cid,
                                                      what=_what_question(cid, every), rated=_names(rated)))

    def groups(self) -> None:
        c = self.c
        concepts: dict[str, str] = {}
        for i, g in enumerate(c.groups):
            gp: Path = ("groups", i)
            if g.reporting_only and (g.worse_off or g.population):
                key = "worse_off" if g.worse_off else "population"
                self.error(gp, Said("reporting_only_cannot_be", key=key), key)
            if g.concept is not None:
                if g.concept in concepts:
                    self.error(gp, Said("concept_twice", group=concepts[g.concept], concept=g.concept), "concept")
                else:
                    concepts[g.concept] = g.id

    def _ids(self, key: str) -> list[str]:
        c = self.c
        return {"scale": [s.id for s in c.scales], "choices": [s.id for s in c.choice_lists],
                "ladder": [s.id for s in c.ladders]}[key]

    def condition(self, path: Path, cond: Condition, earlier: dict[str, Criterion], owner: Owner) -> None:
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
            self.error(path, Said("compare_needs_order", op=op, question=crit.id, type=crit.type.value))
            return
        if op == "includes" and crit.type != AnswerType.MULTI_CHOICE:
            self.error(path, Said("includes_needs_multi_choice", question=crit.id, type=crit.type.value))
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
                    self.error(path, Said("never_answer", question=crit.id, value=_short(v),
                                          answers=", ".join(allowed)))

    def reads(self, path: Path, op: str, args: Any, crit: Criterion, owner: Owner) -> bool:
        """Whether the group and the alternative a leaf names can be read from `crit`; says why not."""
        c = self.c
        ok = True
        if args.group is not None:
            rated = [g.id for g in c.groups_of(crit)] if crit.type == AnswerType.GROUP_IMPACT else []
            if crit.type != AnswerType.GROUP_IMPACT:
                self.error(path, Said("condition_group_on_ungrouped", group=args.group, question=crit.id,
                                      a_question=_a_question(crit.type.value)), op)
                ok = False
            elif args.group not in rated:
                self.error(path, Said("condition_group_not_rated", group=args.group, question=crit.id,
                                      rated=_names(rated)), op)
                ok = False
        if args.alternative is not None:
            alternatives = c.alternative_ids()
            if owner[0] in ("section", "criterion"):
                self.error(path, Said("show_if_names_alternative", alternative=args.alternative), op)
                ok = False
            elif not crit.answered_per_alternative:
                self.error(path, Said("alternative_answered_once", question=crit.id,
                                      alternative=args.alternative), op)
                ok = False
            elif args.alternative != CHOSEN and args.alternative not in alternatives:
                self.error(path, Said("unknown_alternative", alternative=args.alternative,
                                      alternatives=", ".join(alternatives), chosen=CHOSEN), op)
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
                    self.error(path, Said("special_switched_off", question=crit.id, value=v, scale=scale.id))
                continue
            if per_group:
                example = self.c.groups_of(crit)[0].id if self.c.groups_of(crit) else "g1"
                self.error(path, Said("rated_per_group", question=crit.id, value=_short(v), op=op, example=example,
                                      key="values" if op == "in" else "value"))
                return
            number = v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
            never = number is None or (op in ("equals", "in") and number not in steps) \
                or (op == "gte" and number > steps[-1]) or (op == "lte" and number < steps[0])
            if never:
                also = Said("and_specials", specials=", ".join(specials)) \
                    if specials and op in ("equals", "in") else ""
                shown, scale_steps = _short(v), ", ".join(f"{st:+d}" if st else "0" for st in steps)
                if op == "gte":
                    said = Said("never_step_at_least", question=crit.id, value=shown, scale=scale.id,
                                steps=scale_steps, specials=also)
                elif op == "lte":
                    said = Said("never_step_at_most", question=crit.id, value=shown, scale=scale.id,
                                steps=scale_steps, specials=also)
                else:
                    said = Said("never_step", question=crit.id, value=shown, scale=scale.id, steps=scale_steps,
                                specials=also)
                self.error(path, said)

    def number_values(self, path: Path, op: str, values: list[Any], crit: Criterion) -> None:
        low, high = crit.min, crit.max
        for v in values:
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                continue
            if (op in ("equals", "in", "gte") and high is not None and v > high) or \
                    (op in ("equals", "in", "lte") and low is not None and v < low):
                bounds = Said("bounds_between", low=f"{low:g}", high=f"{high:g}") \
                    if low is not None and high is not None else \
                    Said("bounds_at_least", low=f"{low:g}") if low is not None else \
                    Said("bounds_at_most", high=f"{high:g}")
                if op == "gte":
                    said = Said("never_number_at_least", question=crit.id, value=f"{v:g}", bounds=bounds)
                elif op == "lte":
                    said = Said("never_number_at_most", question=crit.id, value=f"{v:g}", bounds=bounds)
                else:
                    said = Said("never_number", question=crit.id, value=f"{v:g}", bounds=bounds)
                self.error(path, said)

    def _answer_values(self, crit: Criterion) -> list[str] | None:
        c = self.c
        if crit.type in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE) and crit.choices in self._ids("choices"):
            return [o.id for o in c.choice_list(crit.choices).options]
        if crit.type == AnswerType.LADDER and crit.ladder in self._ids("ladder"):
            return [lv.id for lv in c.ladder(crit.ladder).levels]
        if crit.type == AnswerType.YES_NO:
            return ["true", "false", "yes", "no"]
        return None

    def reference(self, path: Path, qid: str, earlier: dict[str, Criterion], owner: Owner) -> Criterion | None:
        if qid in earlier:
            return earlier[qid]
        if owner == ("criterion", qid):
            self.error(path, Said("condition_on_itself", question=qid))
        elif owner[0] == "section" and len(path) > 1 and isinstance(path[1], int) \
                and any(crit.id == qid for crit in self.c.sections[path[1]].criteria):
            self.error(path, Said("section_condition_on_own_question", question=qid))
        elif any(crit.id == qid for crit in self.c.criteria()):
            self.error(path, Said("condition_on_later_question", question=qid, owner=_owner(owner)))
        else:
            guess = difflib.get_close_matches(qid, list(earlier), n=1, cutoff=0.6)
            hint = Said("did_you_mean", guess=guess[0]) if guess else \
                Said("earlier_questions", questions=_names(earlier)) if earlier else Said("no_earlier_questions")
            self.error(path, Said("condition_on_unknown_question", question=qid, hint=hint))
        return None

    def scoring(self, criteria: dict[str, Criterion]) -> None:
        c = self.c
        s = c.scoring
        mins = [b.min for b in s.bands]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            self.error(("scoring", "bands"), Said("bands_out_of_order", mins=", ".join(f"{m:g}" for m in mins)))
        self.bands_on_scale(mins)
        group_ids = {g.id for g in c.groups}
        section_ids = {sec.id for sec in c.sections}
        every = dict(criteria)
        for i, rule in enumerate(s.flags):
            fp: Path = ("scoring", "flags", i)
            for g in rule.groups or []:
                if g not in group_ids:
                    self.error(fp, Said("unknown_group", group=g, declared=_names(group_ids)), "groups")
                elif not c.group(g).rated:
                    self.error(fp, _reporting_only_named(g), "groups")
            for sec in rule.sections or []:
                if sec not in section_ids:
                    self.error(fp, Said("unknown_section", section=sec, sections=_names(section_ids)), "sections")
            if rule.dimension is not None:
                fid, _, item = rule.dimension.partition(":")
                fws = {f.id: f for f in c.frameworks}
                if fid not in fws or item not in [it.id for it in fws[fid].items]:
                    self.error(fp, Said("flag_dimension_unknown", dimension=rule.dimension), "dimension")
            if rule.kind == FlagKind.CONDITION:
                if rule.when is None:
                    self.error(fp, Said("condition_flag_without_when"))
                else:
                    self.condition((*fp, "when"), rule.when, every, ("flag", rule.id))
            elif rule.when is not None:
                self.error(fp, Said("when_only_for_condition_flags", kind=rule.kind.value), "when")
            if rule.kind == FlagKind.KNOWLEDGE_GAPS and not (rule.threshold is not None and 0 <= rule.threshold <= 1):
                got = Said("value_none") if rule.threshold is None else f"{rule.threshold:g}"
                hint = Said("hint_share", share=f"{rule.threshold / 100:g}", percent=f"{rule.threshold:g}") \
                    if rule.threshold is not None and 1 < rule.threshold <= 100 else ""
                self.error(fp, Said("knowledge_gaps_threshold", got=got, hint=hint), "threshold")
            if rule.kind == FlagKind.PARTICIPATION_BELOW_EXPECTED and s.participation is None:
                self.error(fp, Said("participation_flag_without_expected"))
            if rule.measure_needs is not None and rule.kind != FlagKind.NEGATIVE_WITHOUT_MEASURE:
                self.error(fp, Said("measure_needs_only_for_negative", kind=rule.kind.value), "measure_needs")
            if rule.kind == FlagKind.GAP_WIDENS and not any(g.worse_off for g in c.groups):
                self.error(fp, Said("gap_widens_without_worse_off"))
        rated = {k.id for k in every.values() if k.is_rated}
        self.certainty(every)
        for i, cid in enumerate(s.overall_judgement):
            if cid not in rated:
                self.error(("scoring", "overall_judgement", i),
                           Said("overall_judgement_not_rated", question=cid, what=_what_question(cid, every),
                                rated=_names(rated)))
        for i, rule in enumerate(s.always_relevant):
            ap: Path = ("scoring", "always_relevant", i)
            for j, cid in enumerate(rule.criteria):
                if cid not in every:
                    guess = difflib.get_close_matches(cid, list(every), n=1, cutoff=0.6)
                    self.error((*ap, "criteria", j), Said("unknown_question", question=cid,
                                                          guess=Said("did_you_mean", guess=guess[0]) if guess else ""))
                elif every[cid].is_rated and (scale := c.scale_of(every[cid])) is not None \
                        and not scale.offers(NOT_RELEVANT_ANSWER):
                    self.error((*ap, "criteria", j), Said("always_relevant_switched_off", question=cid,
                                                          scale=scale.id))
            if rule.when is not None:
                self.condition((*ap, "when"), rule.when, every, ("always_relevant", ""))
        if s.participation is not None:
            pp: Path = ("scoring", "participation")
            q = every.get(s.participation.question)
            if q is None or q.type != AnswerType.LADDER or q.ladder not in self._ids("ladder"):
                ladders = [k.id for k in every.values() if k.type == AnswerType.LADDER]
                self.error(pp, Said("participation_not_a_ladder", question=s.participation.question,
                                    what=_what_question(s.participation.question, every),
                                    ladders=_names(ladders)), "question")
                return
            levels = [lv.id for lv in c.ladder(q.ladder).levels]
            if s.participation.default not in levels:
                self.error(pp, Said("unknown_level", level=s.participation.default, ladder=q.ladder,
                                    levels=", ".join(levels)), "default")
            for i, rule in enumerate(s.participation.rules):
                if rule.level not in levels:
                    self.error((*pp, "rules", i), Said("unknown_level", level=rule.level, ladder=q.ladder,
                                                       levels=", ".join(levels)), "level")
                self.condition((*pp, "rules", i, "when"), rule.when, every, ("participation", ""))


Owner = tuple[str, str]
"""Whose condition is checked: ("section", id), ("criterion", id), ("flag", id), ("always_relevant", "") or
("participation", "")."""


def _owner(owner: Owner) -> Said:
    """The owner of a condition that refers to a later question: a section or a criterion (a flag, the
    expected participation and always_relevant come after every question, so none is later than them)."""
    kind, name = owner
    return Said("owner_section") if kind == "section" else Said("owner_criterion", id=name)


def _a_question(answer_type: str) -> Said:
    """'an impact question', 'a ladder question'."""
    return Said("an_answer_type_question", type=answer_type) if answer_type[:1] in "aeiou" \
        else Said("a_answer_type_question", type=answer_type)


def _what_question(cid: str, every: dict[str, Criterion]) -> Said:
    """What `cid` is, for a message that wanted another kind: no question, or 'a text question'."""
    return Said("no_question") if cid not in every else _a_question(every[cid].type.value)


def _reporting_only_named(group: str) -> Said:
    return Said("reporting_only_group_named", group=group)


# What a criterion refers to by `scale`, `choices` and `ladder`: the thing, the things (after "declared"), the
# things one is named among ("name one of the declared …"), and the answer types that use the key.
_REFERRED: dict[str, tuple[Said, Said, Said, Said | str]] = {
    "scale": (Said("noun_scale"), Said("nouns_scale"), Said("the_nouns_scale"),
              Said("users_two", first="impact", second="group_impact")),
    "choices": (Said("noun_choice_list"), Said("nouns_choice_list"), Said("the_nouns_choice_list"),
                Said("users_two", first="single_choice", second="multi_choice")),
    "ladder": (Said("noun_ladder"), Said("nouns_ladder"), Said("the_nouns_ladder"), "ladder"),
}


def _leaf(cond: Any) -> tuple[str, Any]:
    for op, cls in (("equals", Equals), ("in", In), ("includes", Includes), ("gte", Gte), ("lte", Lte)):
        if isinstance(cond, cls):
            return op, getattr(cond, "in_" if op == "in" else op)
    raise TypeError(cond)


_TEXT_KEYS = {"title", "description", "label", "help", "text", "message", "unit"}

_REQUIRED_TEXTS = {"title": Said("required_title"), "text": Said("required_question"),
                   "label": Said("required_label"), "message": Said("required_message")}


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

    if not isinstance(data, dict):
        return None, [Problem("error", source, located.line_of(()), describe(data, ()),
                              Said("not_a_map", got=_short(data)))]
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        return None, _shape_problems(exc, data, located, source)
    problems = [Problem(sev, source, located.line_of((*p, key) if key else p), describe(data, p), said)
                for p, said, sev, key in _Refs(checklist).run()]
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
    seen: set[tuple[Path, Said]] = set()
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
        problems.append(Problem("error", source, line, describe(data, path), message))
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
        return None, [Problem("error", source, None, "", Said("cannot_read", reason=_os_reason(exc)))]
    return parse_checklist(raw, source, limits)


def parse_checklist(raw: bytes | str, source: str, limits: Limits = Limits()) -> tuple[Checklist | None, list[Problem]]:
    """Validate checklist text or bytes (from a file or an upload)."""
    try:
        located = load_located(raw, limits, json_ok=False)
    except UnsafeInput as exc:
        return None, [Problem("error", source, exc.line, "", exc.said)]
    return check_checklist(located, source)


def load_checklist(path: str | FsPath) -> Checklist:
    """The checklist in `path`, or ChecklistError listing every problem."""
    checklist, problems = read_checklist_file(path)
    if checklist is None:
        raise ChecklistError(str(path), [p for p in problems if p.severity == "error"])
    return checklist


def _os_reason(exc: OSError) -> Said | str:
    """Why a file cannot be read, in words for the common cases (the system's own words otherwise)."""
    if isinstance(exc, FileNotFoundError):
        return Said("no_such_file")
    if isinstance(exc, PermissionError):
        return Said("permission_denied")
    if isinstance(exc, IsADirectoryError):
        return Said("is_a_directory")
    return exc.strerror or str(exc)
