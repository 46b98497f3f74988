"""The wizard's floor: the same widgets drawn by a bare Streamlit script.

`spec_from_app` reads the element tree of a real wizard run (AppTest) into
plain data: every title, caption, markdown, progress bar, radio, select,
multiselect, text field, number, date and button, with its label, options and
current value, inside the same containers and columns. `draw` draws such a
spec with plain Streamlit calls, each widget's value primed into the session
state first (Streamlit's idiom for state kept outside widgets, as the wizard
does). The drawing code lives in this module rather than in a generated
script, so that, like the wizard's own code, it is compiled once per process
and not on every run. No SKB logic here: no loading, no visibility, no scoring.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

__all__ = ["spec_from_app", "widget_count", "load", "draw", "step_spec", "script_for"]

_TEXTS = {"Title": "title", "Header": "header", "Subheader": "subheader", "Caption": "caption",
          "Markdown": "markdown", "Info": "info", "Error": "error", "Warning": "warning", "Success": "success",
          "Text": "text", "Code": "code"}
WIDGETS = ("radio", "selectbox", "multiselect", "text_area", "text_input", "number_input", "date_input",
           "checkbox", "button")


class _Reader:
    def __init__(self) -> None:
        self.skipped: dict[str, int] = {}

    def nodes(self, parent: Any) -> list[dict[str, Any]]:
        kids = list(parent.children.values())
        if kids and all(type(k).__name__ == "Column" for k in kids):
            return [{"kind": "columns", "weights": [float(k.proto.weight) for k in kids],
                     "columns": [self.nodes(k) for k in kids]}]
        out: list[dict[str, Any]] = []
        for kid in kids:
            out.extend(self.node(kid))
        return out

    def node(self, node: Any) -> list[dict[str, Any]]:
        kind = type(node).__name__
        if kind in _TEXTS:
            return [{"kind": _TEXTS[kind], "body": str(node.value)}]
        if kind == "Block":
            border = bool(getattr(getattr(node.proto, "flex_container", None), "border", False))
            return [{"kind": "container", "border": border, "children": self.nodes(node)}]
        if kind == "Column":
            return self.nodes(node)
        if kind == "Expander":
            return [{"kind": "expander", "label": node.label, "expanded": bool(getattr(node.proto, "expanded", False)),
                     "children": self.nodes(node)}]
        if kind == "Progress":
            return [{"kind": "progress", "value": int(node.proto.value), "text": node.proto.text}]
        if kind == "Divider":
            return [{"kind": "divider"}]
        if kind in ("Radio", "Selectbox"):
            options = list(node.options)
            value = options[node.index] if node.index is not None else None
            return [{"kind": kind.lower(), "label": node.label, "options": options, "value": value,
                     "horizontal": bool(getattr(node.proto, "horizontal", False))}]
        if kind == "Multiselect":
            return [{"kind": "multiselect", "label": node.label, "options": list(node.options),
                     "value": [node.options[i] for i in node.indices]}]
        if kind in ("TextArea", "TextInput"):
            return [{"kind": "text_area" if kind == "TextArea" else "text_input", "label": node.label,
                     "value": node.value or ""}]
        if kind == "NumberInput":
            return [{"kind": "number_input", "label": node.label, "value": node.value}]
        if kind == "DateInput":
            value = node.value
            return [{"kind": "date_input", "label": node.label,
                     "value": value.isoformat() if hasattr(value, "isoformat") else None}]
        if kind == "Checkbox":
            return [{"kind": "checkbox", "label": node.label, "value": bool(node.value)}]
        if kind == "Button":
            return [{"kind": "button", "label": node.label}]
        if getattr(node, "children", None):
            return self.nodes(node)
        self.skipped[kind] = self.skipped.get(kind, 0) + 1
        return []


def spec_from_app(at: Any) -> tuple[dict[str, Any], dict[str, int]]:
    """The widgets an AppTest run drew, as data, and what could not be copied (kind: count)."""
    reader = _Reader()
    spec = {"main": reader.nodes(at.main), "sidebar": reader.nodes(at.sidebar)}
    return spec, reader.skipped


def widget_count(nodes: list[dict[str, Any]]) -> int:
    total = 0
    for n in nodes:
        total += n["kind"] in WIDGETS
        total += widget_count(n.get("children", []))
        total += sum(widget_count(c) for c in n.get("columns", []))
    return total


@functools.cache
def load(path: str) -> dict[str, Any]:
    """A spec written by `script_for`, read once per process."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def draw(spec: dict[str, Any], prefix: str = "k", sidebar: bool = True) -> None:
    """Draw `spec`; widget keys start with `prefix` (two specs on one page need two prefixes)."""
    import streamlit as st

    counter = iter(range(1_000_000))

    def nodes(items: list[dict[str, Any]]) -> None:
        for item in items:
            one(item)

    def one(n: dict[str, Any]) -> None:
        kind = n["kind"]
        if kind in _TEXTS.values():
            getattr(st, kind)(n["body"])
        elif kind == "container":
            with st.container(border=n["border"]):
                nodes(n["children"])
        elif kind == "expander":
            with st.expander(n["label"], expanded=n["expanded"]):
                nodes(n["children"])
        elif kind == "columns":
            for col, items in zip(st.columns(n["weights"]), n["columns"]):
                with col:
                    nodes(items)
        elif kind == "progress":
            st.progress(n["value"], text=n["text"])
        elif kind == "divider":
            st.divider()
        elif kind == "button":
            st.button(n["label"], key=f"{prefix}{next(counter)}")
        else:
            key = f"{prefix}{next(counter)}"
            value = n["value"]
            if kind == "date_input" and value is not None:
                value = dt.date.fromisoformat(value)
            if key not in st.session_state:
                st.session_state[key] = value
            if kind == "radio":
                st.radio(n["label"], n["options"], index=None, horizontal=n["horizontal"], key=key)
            elif kind == "selectbox":
                st.selectbox(n["label"], n["options"], index=None, key=key)
            elif kind == "multiselect":
                st.multiselect(n["label"], n["options"], key=key)
            elif kind in ("number_input", "date_input"):
                getattr(st, kind)(n["label"], value=None, key=key)
            else:
                getattr(st, kind)(n["label"], key=key)

    if sidebar:
        with st.sidebar:
            nodes(spec["sidebar"])
    nodes(spec["main"])


def step_spec(app: Path, database_url: str, assessment_id: str, step: int, page: str = "ui/app_pages/wizard.py"
              ) -> dict[str, Any]:
    """The spec of what the wizard draws for one step of a stored assessment (run once under AppTest)."""
    import os

    from streamlit.testing.v1 import AppTest

    saved = os.environ.get("SKB_DATABASE_URL")
    os.environ["SKB_DATABASE_URL"] = database_url
    try:
        at = AppTest.from_file(str(app), default_timeout=60)
        at.query_params["id"] = assessment_id
        at.query_params["step"] = str(step + 1)
        at.switch_page(page).run()
        if at.exception:
            raise RuntimeError(f"the wizard raised: {at.exception[0].value}")
        return spec_from_app(at)[0]
    finally:
        if saved is None:
            os.environ.pop("SKB_DATABASE_URL", None)
        else:
            os.environ["SKB_DATABASE_URL"] = saved


def script_for(spec: dict[str, Any], directory: Path) -> Path:
    """Write `spec` and a two-line script that draws it; returns the script."""
    data = Path(directory) / "bare_step.json"
    data.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    script = Path(directory) / "bare_step.py"
    script.write_text(f"from benchmarks.bare_widgets import draw, load\n\ndraw(load({str(data)!r}))\n",
                      encoding="utf-8")
    return script
