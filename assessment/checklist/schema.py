"""The JSON Schema of the checklist format, generated from the models.

Editors (VS Code with the YAML extension, JetBrains IDEs) use it for
autocompletion, hover help and validation; see docs/checklist-format.md. The
structure is generated, never written by hand, so it cannot drift from what
the loader accepts; this module only adds the hover texts an author reads
(`FIELD_HELP`) and says where YAML is looser than JSON (a version written as a
number). It checks the shape only: cross-references (an unknown scale, a later
question) need `skb validate`. It must not read files.
"""

from __future__ import annotations

from typing import Any

from assessment.checklist.checklist import AnswerType, Checklist

__all__ = ["checklist_json_schema", "FIELD_HELP"]

_TYPES = ", ".join(t.value for t in AnswerType)

FIELD_HELP: dict[str, dict[str, str]] = {
    "Checklist": {
        "schema_version": "The version of the file format. This SKB reads 1.",
        "id": "The checklist's stable id: lowercase a-z, digits, _ and -. Assessments refer to it.",
        "version": 'The version of the content, e.g. "2025.1". Change it whenever questions or scoring change.',
        "title": "The checklist's name, shown in the wizard, the library and the report.",
        "default_language": "Two-letter code of the language shown when a text lacks the reader's language.",
        "languages": "The languages every text should have; a missing translation is a warning.",
        "plan_types": "Which plan types the checklist is meant for (informational), e.g. detaljplan, bygglov.",
        "order": "Where the checklist stands in the library, lowest first; the first is preselected for a new "
                 "assessment. Default 100.",
        "frameworks": "Dimensions scores roll up along: policy areas, Agenda 2030, UN CRC articles, spatial levels.",
        "scales": "Rating scales for impact and group_impact questions.",
        "choice_lists": "Option lists for single_choice and multi_choice questions.",
        "ladders": "Participation ladders for ladder questions, lowest level first.",
        "groups": "Affected groups; group_impact questions are rated once per group.",
        "alternatives": "What is compared: the zero alternative, the proposal, other alternatives.",
        "sections": "The steps of the wizard and chapters of the report, in order.",
        "scoring": "Aggregation, score bands, flags and the expected participation level.",
        "certainty": "Ask, beside each rating, how sure the assessors are (levels, least certain first); a rating "
                     "at a low level counts in full and is listed as a knowledge gap.",
        "measures": "true: the wizard's last step lists measures for the whole assessment, each naming the "
                    "questions and groups it answers.",
    },
    "Scale": {
        "unknown": "The answer \"unknown\": left out or true (offered, the product's words), false (not "
                   "offered) or {label: …} (offered, in these words).",
        "not_relevant": "The answer \"not relevant\": left out or true (offered), false (not offered: every "
                        "question on this scale applies) or {label: …} (offered, in these words).",
    },
    "SpecialAnswer": {
        "label": "The special answer as the wizard and the report show it.",
        "help": "Guidance shown with it.",
    },
    "Certainty": {
        "levels": "The levels, least certain first; mark the low ones with low: true.",
        "criteria": "The rated questions that ask it (default: every rated question).",
    },
    "CertaintyLevel": {
        "low": "true: a rating this sure is also a knowledge gap (it still counts in full).",
    },
    "Section": {
        "short": "A short title used where space is tight: chart labels.",
        "weight": "Weight of the section in the overall score (0 or more; 0 leaves it out).",
        "dimensions": "Framework items every criterion of the section counts for: {framework: [item, ...]}.",
        "show_if": "Show the section only when this condition holds (on questions of earlier sections).",
        "criteria": "The questions of this step.",
    },
    "Criterion": {
        "id": "Unique in the whole checklist: answers are kept under it.",
        "text": "The question as the planner reads it.",
        "help": "Guidance shown with the question.",
        "type": f"The kind of answer: {_TYPES}.",
        "scale": "impact and group_impact: the id of a declared scale.",
        "groups": "group_impact: the groups rated (default: every declared group).",
        "choices": "single_choice and multi_choice: the id of a declared choice list.",
        "ladder": "ladder: the id of a declared participation ladder.",
        "min": "number: the smallest answer allowed.",
        "max": "number: the largest answer allowed.",
        "unit": "number: the unit shown after the answer, e.g. bostäder.",
        "weight": "Weight within its section and dimensions (0 or more).",
        "dimensions": "Framework items this criterion counts for: {framework: [item, ...]}.",
        "measures": "true: measures (åtgärder) can be attached to the answer.",
        "per_alternative": "Answered once per alternative (default: yes for impact and group_impact).",
        "show_if": "Ask the question only when this condition holds (on earlier questions).",
        "required": "true: the wizard marks the question as one that must be answered.",
    },
    "EqualsArgs": {
        "group": "A group_impact question: read this group's rating (required there).",
        "alternative": "Flags, participation rules, always_relevant: read this alternative's answer, or chosen.",
    },
    "InArgs": {
        "group": "A group_impact question: read this group's rating (required there).",
        "alternative": "Flags, participation rules, always_relevant: read this alternative's answer, or chosen.",
    },
    "CompareArgs": {
        "group": "A group_impact question: read this group's rating (required there).",
        "alternative": "Flags, participation rules, always_relevant: read this alternative's answer, or chosen.",
    },
    "Framework": {
        "policy_areas": "true: this framework is the policy areas (målområden), read by the decision page, the "
                        "portfolio and the comparison; at most one framework.",
    },
    "FrameworkItem": {
        "short": "A short label used where space is tight: chart labels, the decision page.",
    },
    "AffectedGroup": {
        "reporting_only": "true: never rated (no rows in the wizard or the report); can still be named as heard.",
        "concept": "Who the group is across checklists: the portfolio adds up groups of the same concept, and "
                   "never groups that merely share an id.",
        "short": "A short label used where space is tight: chart labels, the decision page.",
        "weight": "More weight, more need (proportionate universalism); 0 or more, not all 0.",
        "worse_off": "true: a group with worse starting conditions; equity follows its gap to the population.",
        "population": "true: this group is the population as a whole (at most one).",
    },
    "Alternative": {
        "kind": "zero (nollalternativ: without the plan, at most one), proposal, or other.",
    },
    "ScaleStep": {
        "value": "A whole number; the largest absolute value maps to ±100. Unknown and not relevant are never steps.",
    },
    "ScoreBand": {
        "min": "The band covers scores from this value (-100..100) up to the next band's min.",
    },
    "FlagRule": {
        "kind": "negative_without_measure, participation_below_expected, gap_widens, condition or knowledge_gaps.",
        "severity": "info, warning (default) or serious.",
        "message": "What the results and the report say when the flag is raised.",
        "threshold": "negative_without_measure: ratings at or below it (default -1); "
                     "knowledge_gaps: the share 0..1 of unknown answers that raises it.",
        "groups": "negative_without_measure: only these groups' ratings.",
        "sections": "negative_without_measure: only criteria in these sections.",
        "dimension": "negative_without_measure: only criteria on this framework item, written framework:item.",
        "when": "condition flags: the condition that raises the flag.",
    },
    "ExpectedParticipation": {
        "question": "The ladder question whose answer is the level reached.",
        "default": "The level expected when no rule holds.",
        "rules": "The first rule whose `when` holds sets the expected level.",
    },
}


def checklist_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a checklist file, with hover help for authors."""
    schema = Checklist.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "SKB checklist (schema_version 1)"
    defs = schema.get("$defs", {})
    for model, fields in FIELD_HELP.items():
        properties = (schema if model == "Checklist" else defs[model])["properties"]
        for name, text in fields.items():
            properties[name]["description"] = text
    # the loader reads `version: 1.0` (YAML's float) as the label "1.0"
    version = schema["properties"]["version"]
    schema["properties"]["version"] = {
        "anyOf": [{k: v for k, v in version.items() if k not in ("title", "description")}, {"type": "number"}],
        "title": version.get("title", "Version"),
        "description": version["description"],
    }
    return schema
