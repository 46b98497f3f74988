"""SKB's core: the checklist format, assessments, scoring, storage and the CLI.

Data flows one way: checklist YAML -> validated `Checklist` -> answers in an
`Assessment` -> stored -> scored -> report. Nothing here imports streamlit.
"""

from assessment.checklist.checklist import Checklist, Criterion, Section, text_for
from assessment.errors import (
    AssessmentFileError,
    ChecklistError,
    ConflictError,
    DuplicateError,
    Forbidden,
    FrozenError,
    NotFound,
    ReportError,
    SkbError,
    StorageError,
)
from assessment.answers.model import Answer, Assessment, Measure, new_assessment, parse_assessment, dump_assessment
from assessment.checklist.validate import Problem, load_checklist, read_checklist_file

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentFileError",
    "Checklist",
    "ChecklistError",
    "ConflictError",
    "Criterion",
    "DuplicateError",
    "Forbidden",
    "FrozenError",
    "Measure",
    "NotFound",
    "Problem",
    "ReportError",
    "Section",
    "SkbError",
    "StorageError",
    "dump_assessment",
    "load_checklist",
    "new_assessment",
    "parse_assessment",
    "read_checklist_file",
    "text_for",
]
