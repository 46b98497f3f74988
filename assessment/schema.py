"""The JSON Schema of the checklist format, generated from the models.

Editors (VS Code with the YAML extension, JetBrains IDEs) use it for
autocompletion and validation; see docs/checklist-format.md. Generated, never
written by hand, so it cannot drift from what the loader accepts.
"""

from __future__ import annotations

from typing import Any

from .checklist import Checklist

__all__ = ["checklist_json_schema"]


def checklist_json_schema() -> dict[str, Any]:
    schema = Checklist.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "SKB checklist (schema_version 1)"
    return schema
