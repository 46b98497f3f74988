"""Reading YAML and JSON that people send us, safely and with line numbers.

PyYAML's safe loader builds plain data but forgets where each value stood, lets
a repeated key silently win, and expands aliases without limit (the "billion
laughs" bomb). This module composes the node tree with the safe loader and
builds the data itself: it refuses duplicate keys, counts every value it builds
(aliases included) against a budget, bounds the nesting depth, and records the
line of every path so that messages can say `file:42`. It never constructs
Python objects from tags: only str, int, float, bool, None, list and dict.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from assessment.checklist.said import Said

__all__ = ["Limits", "Located", "UnsafeInput", "load_located", "dump_yaml"]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may contain; generous for real checklists and
    assessments, small enough that a hostile file costs little."""

    max_bytes: int = 5 * 1024 * 1024
    max_values: int = 200_000
    max_depth: int = 40


class UnsafeInput(ValueError):
    """The file cannot be read as data: `said` says why (a code and its fields, `assessment.checklist.said`),
    `line` where. `text(lang)` words it; `message` is the English, for a log."""

    def __init__(self, code: str, /, line: int | None = None, **params: object) -> None:
        self.said = Said(code, **params)
        self.line = line
        super().__init__(self.said.text("en"))

    @property
    def message(self) -> str:
        return self.said.text("en")

    def text(self, lang: str) -> str:
        return self.said.text(lang)


@dataclass
class Located:
    """Data read from a file, with the 1-based line on which each path starts."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


_BOOL = {"true": True, "false": False}
_PLAIN_COLLECTIONS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class _Builder:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.count = 0
        self.lines: dict[Path, int] = {}
        self.seen: set[int] = set()
        self.aliased = False

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.max_values:
            if self.aliased:
                raise UnsafeInput("aliases_too_many", node.start_mark.line + 1, limit=self.limits.max_values)
            raise UnsafeInput("values_too_many", node.start_mark.line + 1, limit=self.limits.max_values)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # an alias is the very same node object built a second time
            if id(node) in self.seen:
                self.aliased = True
            self.seen.add(id(node))
        if depth > self.limits.max_depth:
            raise UnsafeInput("too_deep", node.start_mark.line + 1, limit=self.limits.max_depth)
        self.lines.setdefault(path, node.start_mark.line + 1)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_COLLECTIONS:
            raise UnsafeInput("tag_not_allowed", node.start_mark.line + 1, tag=_written(node.tag))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise UnsafeInput("merge_key", key_node.start_mark.line + 1)
                key = self.build(key_node, path, depth + 1)
                if isinstance(key, (int, float, bool)) or key is None:
                    key = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
                if not isinstance(key, str):
                    raise UnsafeInput("key_not_plain", key_node.start_mark.line + 1)
                if key in out:
                    first = self.lines.get((*path, key))
                    also = Said("first_on_line", line=first) if first else ""
                    raise UnsafeInput("duplicate_key", key_node.start_mark.line + 1, key=key, first=also)
                out[key] = self.build(value_node, (*path, key), depth + 1)
                self.lines[(*path, key)] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(node)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == "tag:yaml.org,2002:str":
        return node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BOOL.get(node.value.lower(), node.value.lower() in ("yes", "on", "y"))
    if tag == "tag:yaml.org,2002:int":
        text = node.value.replace("_", "")
        if len(text) > 30:
            raise UnsafeInput("number_too_long", node.start_mark.line + 1)
        return yaml.SafeLoader.construct_yaml_int(yaml.SafeLoader(""), node)
    if tag == "tag:yaml.org,2002:float":
        value = yaml.SafeLoader.construct_yaml_float(yaml.SafeLoader(""), node)
        if not math.isfinite(value):
            raise UnsafeInput("number_not_finite", node.start_mark.line + 1)
        return value
    if tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates stay text; the models parse them
    raise UnsafeInput("tag_not_allowed", node.start_mark.line + 1, tag=_written(tag))


def _written(tag: str) -> str:
    """A tag as the author wrote it: "!!python/object", not "tag:yaml.org,2002:python/object"."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def load_located(raw: bytes | str, limits: Limits = Limits(), *, json_ok: bool = True) -> Located:
    """Parse YAML (or JSON, which is YAML) into plain data with line numbers.

    Raises UnsafeInput with a planner-readable message for anything that is not
    plain, bounded, UTF-8 data."""
    if isinstance(raw, bytes):
        if len(raw) > limits.max_bytes:
            raise UnsafeInput("file_too_large", size=len(raw), limit=limits.max_bytes)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise UnsafeInput("not_utf8", line, byte=exc.start + 1) from None
    else:
        text = raw
        if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
            raise UnsafeInput("text_too_large", limit=limits.max_bytes)
    if "\x00" in text:
        raise UnsafeInput("nul_character")
    if json_ok and text.lstrip().startswith(("{", "[")):
        return _load_json(text, limits)
    _bound_flow_depth(text, limits)
    node = _compose(text, limits)
    if node is None:
        return Located(data=None)
    builder = _Builder(limits)
    try:
        data = builder.build(node, (), 0)
    except RecursionError:
        raise UnsafeInput("too_deep", limit=limits.max_depth) from None
    return Located(data=data, lines=builder.lines)


# brackets, and the quoted texts and comments whose brackets do not count
_FLOW_TOKENS = re.compile(r"""[\[\]{}]|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|(?<!\S)#[^\n]*""")


def _bound_flow_depth(text: str, limits: Limits) -> None:
    """Refuse `[[[[…` nested past the limit before PyYAML sees it.

    PyYAML's scanner treats every `[` as a possible key and rechecks all of them
    at each token, so a few thousand nested brackets cost seconds before its
    composer even starts to recurse. A regex pass over the brackets is cheap.
    An apostrophe in a plain text may hide some brackets from this count; the
    builder's own depth check still catches those."""
    if text.count("[") + text.count("{") <= limits.max_depth:
        return
    depth = 0
    for match in _FLOW_TOKENS.finditer(text):
        ch = match.group()[0]
        if ch in "[{":
            depth += 1
            if depth > limits.max_depth:
                raise UnsafeInput("too_deep", text.count("\n", 0, match.start()) + 1, limit=limits.max_depth)
        elif ch in "]}":
            depth = max(0, depth - 1)


def _compose(text: str, limits: Limits) -> yaml.Node | None:
    """The node tree, composed by libyaml when PyYAML has it (about eight times faster).

    A file libyaml refuses is parsed again by the pure-Python parser, whose
    wording `_syntax_error` knows, so a message does not depend on the build of
    PyYAML; libyaml's own words are used only when that parser accepts the file."""
    fast = getattr(yaml, "CSafeLoader", None)
    try:
        return yaml.compose(text, Loader=fast or yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem) or fast is None:
            first: yaml.MarkedYAMLError = exc
        else:
            try:
                yaml.compose(text, Loader=yaml.SafeLoader)
                first = exc
            except yaml.MarkedYAMLError as again:
                first = again
            except RecursionError:
                first = exc
        if "nesting depth" in str(first.problem):
            mark = first.problem_mark
            raise UnsafeInput("too_deep", mark.line + 1 if mark else None, limit=limits.max_depth) from None
        raise _syntax_error(first) from None
    except yaml.YAMLError as exc:
        raise UnsafeInput("yaml_syntax", problem=str(exc)) from None
    except RecursionError:
        raise UnsafeInput("too_deep", limit=limits.max_depth) from None


def _syntax_error(exc: yaml.MarkedYAMLError) -> UnsafeInput:
    """PyYAML's parser words, turned towards what the author should change."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = exc.problem or ""
    if "'\\t'" in problem or "\t" in problem:
        return UnsafeInput("yaml_tab", line)
    if "but got '?'" in problem or "but found '?'" in problem:
        return UnsafeInput("yaml_question_mark", line)
    context = exc.context or ""
    if exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line != exc.problem_mark.line:
        opened = exc.context_mark.line + 1
        if "flow mapping" in context:
            return UnsafeInput("yaml_brace_open", line, problem=problem, opened=opened)
        if "flow sequence" in context:
            return UnsafeInput("yaml_bracket_open", line, problem=problem, opened=opened)
        if "quoted scalar" in context:
            return UnsafeInput("yaml_quote_open", line, problem=problem, opened=opened)
        if "block mapping" in context or "block collection" in context:
            return UnsafeInput("yaml_indentation", line, opened=opened)
        if context:
            return UnsafeInput("yaml_context", line, problem=problem, context=context, opened=opened)
    if "mapping values are not allowed" in problem:
        return UnsafeInput("yaml_colon", line)
    return UnsafeInput("yaml_syntax", line, problem=problem or Said("yaml_unreadable"))


def _load_json(text: str, limits: Limits) -> Located:
    depth = 0
    deepest = 0
    in_string = False
    escaped = False
    for ch in text:  # bound nesting before json.loads recurses
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limits.max_depth:
                raise UnsafeInput("too_deep", limit=limits.max_depth)
        elif ch in "]}":
            depth -= 1

    def no_constants(name: str) -> Any:
        raise UnsafeInput("json_constant", name=name)

    def finite(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise UnsafeInput("json_not_finite", number=text[:30])
        return value

    def whole(text: str) -> int:
        if len(text) > 30:
            raise UnsafeInput("number_too_long")
        return int(text)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise UnsafeInput("json_duplicate_key", key=key)
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constants,
                          parse_float=finite, parse_int=whole)
    except json.JSONDecodeError as exc:
        raise UnsafeInput("json_syntax", exc.lineno, problem=exc.msg) from None
    return Located(data=data)


def dump_yaml(data: Any) -> str:
    """Plain block-style YAML that keeps å, ä, ö (and Ελλάδα) readable."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
