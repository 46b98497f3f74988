"""Why an answer does not fit its question, in the reader's language.

`check_value`, `check_certainty` and `check_assessment` return `model.*` problems (Terms), worded only where a
person reads them: the wizard's save (StorageError), an import or an opened file (AssessmentFileError). The
English is the wording SKB always had; the Swedish is the catalogue's, with the numbers written as Swedish
writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assessment.answers.model import (_INPUT_PROBLEMS, MAX_TEXT, NOT_RELEVANT, _input_problem, check_certainty,
                                      check_value)
from assessment.checklist.validate import load_checklist
from assessment.errors import Term

ROOT = Path(__file__).resolve().parent.parent
INTEGRATED = load_checklist(ROOT / "checklists" / "skb-integrerad.yaml")
ODD = load_checklist(ROOT / "tests" / "data" / "wizard-odd.yaml")
HIA = load_checklist(ROOT / "tests" / "data" / "rapid-hia.yaml")


def _steps(checklist, question: str) -> str:
    crit = checklist.criterion(question)
    return ", ".join(str(v) for v in sorted(s.value for s in checklist.scale(crit.scale).steps))


def _options(checklist, question: str) -> str:
    return ", ".join(o.id for o in checklist.choice_list(checklist.criterion(question).choices).options)


STEPS = _steps(INTEGRATED, "el_preschool")
CASES = [  # checklist, question, value, English, Swedish
    (INTEGRATED, "population_count", -1, "is out of range", "ligger utanför det tillåtna intervallet"),
    (INTEGRATED, "population_count", "tio", "must be a number", "måste vara ett tal"),
    (INTEGRATED, "population_count", True, "must be a number", "måste vara ett tal"),
    (ODD, "batplatser", 6000, "must be between 0 and 5000", "måste vara mellan 0 och 5000"),
    (INTEGRATED, "geographic_areas", 5, "must be a text", "måste vara en text"),
    (INTEGRATED, "geographic_areas", "x" * (MAX_TEXT + 1), "is longer than 20,000 characters",
     "är längre än 20\u202f000 tecken"),
    (INTEGRATED, "children_affected", "ja", "must be true or false", "måste vara ja eller nej (true eller false)"),
    (INTEGRATED, "plan_type", ["detaljplan"], "must be an option id", "måste vara ett svarsalternativs id"),
    (INTEGRATED, "plan_type", "kyrkogård", f'unknown option "kyrkogård" (options: {_options(INTEGRATED, "plan_type")})',
     f'okänt svarsalternativ "kyrkogård" (svarsalternativ: {_options(INTEGRATED, "plan_type")})'),
    (INTEGRATED, "relevant_areas", "housing", "must be a list of option ids",
     "måste vara en lista med svarsalternativens id"),
    (INTEGRATED, "el_preschool", 7, f"7 is not a step of the scale ({STEPS})", f"7 är inte ett steg på skalan ({STEPS})"),
    (INTEGRATED, "el_preschool", "high", f"must be a step of the scale ({STEPS}), unknown or not_relevant",
     f"måste vara ett steg på skalan ({STEPS}), unknown eller not_relevant"),
    (INTEGRATED, "el_child_environment", -1, "must be a map of group id to rating",
     "måste vara en karta från gruppens id till en bedömning"),
    (INTEGRATED, "el_child_environment", {"population": 9},
     f'group "population": 9 is not a step of the scale ({STEPS})',
     f'gruppen "population": 9 är inte ett steg på skalan ({STEPS})'),
    (INTEGRATED, "pa_level", "medbestämmande",
     'unknown level "medbestämmande" (levels: '
     + ", ".join(lv.id for lv in INTEGRATED.ladder("participation").levels) + ")",
     'okänd nivå "medbestämmande" (nivåer: '
     + ", ".join(lv.id for lv in INTEGRATED.ladder("participation").levels) + ")"),
    (INTEGRATED, "fu_date", "31/12 2026", "must be a date written YYYY-MM-DD", "måste vara ett datum skrivet ÅÅÅÅ-MM-DD"),
    (HIA, "green", NOT_RELEVANT, "not_relevant is not offered on this question's scale",
     "svaret not_relevant erbjuds inte på frågans skala"),
]


@pytest.mark.parametrize(("checklist", "question", "value", "english", "swedish"), CASES,
                         ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_a_wrong_answer_is_said_in_both_languages(checklist, question, value, english, swedish):
    problem = check_value(checklist, checklist.criterion(question), value)
    assert isinstance(problem, Term) and problem.key.startswith("model.")
    assert (problem.text("en"), problem.text("sv")) == (english, swedish)


def test_a_fitting_answer_has_no_problem():
    for checklist, question, value in ((INTEGRATED, "population_count", 12_000), (ODD, "batplatser", 5000),
                                       (INTEGRATED, "el_child_environment", {"population": -1}),
                                       (INTEGRATED, "fu_date", "2026-12-31"), (INTEGRATED, "plan_type", None)):
        assert check_value(checklist, checklist.criterion(question), value) is None


def test_a_decimal_end_of_the_range_is_written_as_each_language_writes_it():
    crit = ODD.criterion("batplatser").model_copy(update={"min": 0.5, "max": 2.5})
    problem = check_value(ODD, crit, 3)
    assert (problem.text("en"), problem.text("sv")) == ("must be between 0.5 and 2.5", "måste vara mellan 0,5 och 2,5")


def test_a_certainty_that_cannot_be_said_is_said_in_both_languages():
    not_asked = check_certainty(ODD, ODD.criterion("strandpaverkan"), "high")
    assert (not_asked.text("en"), not_asked.text("sv")) == (
        "its certainty is not asked by the checklist", "checklistan frågar inte efter säkerheten i det här svaret")
    levels = ", ".join(lv.id for lv in INTEGRATED.certainty.levels)
    unknown = check_certainty(INTEGRATED, INTEGRATED.criterion("el_preschool"), "very")
    assert (unknown.text("en"), unknown.text("sv")) == (f'unknown certainty "very" (levels: {levels})',
                                                        f'okänd säkerhet "very" (nivåer: {levels})')
    assert check_certainty(INTEGRATED, INTEGRATED.criterion("el_preschool"), INTEGRATED.certainty.levels[0].id) is None


class _Every(BaseModel):
    """One field for each kind of value pydantic may find wrong in an assessment file."""

    model_config = ConfigDict(extra="forbid")
    text: str
    whole: int
    number: float
    flag: bool
    items: list[str]
    mapping: dict[str, int]
    ident: str = Field(pattern=r"^[a-z]+$")


WRONG = [{"text": 1, "whole": "x", "number": "y", "flag": "kanske", "items": 1, "mapping": 1, "ident": "Å!",
          "okänd": 1},
         {"whole": 1.5, "number": [], "flag": [], "items": [], "mapping": {}, "ident": "a"},
         {"text": "a", "whole": [], "number": 1, "flag": True, "items": [], "mapping": {}, "ident": "a"}]


def test_what_pydantic_finds_wrong_in_a_file_is_said_in_both_languages_and_in_pydantics_english():
    said = {}
    for data in WRONG:
        with pytest.raises(ValidationError) as wrong:
            _Every.model_validate(data)
        for err in wrong.value.errors():
            problem = _input_problem(err)
            assert isinstance(problem, Term), err["type"]
            assert problem.text("en") == err["msg"]  # the English a person saw before, word for word
            said[err["type"]] = problem.text("sv")
    assert sorted(said) == sorted(_INPUT_PROBLEMS)  # every kind the catalogue words was met here
    assert said["string_type"] == "måste vara en text" and said["missing"] == "uppgiften saknas"
    assert said["string_pattern_mismatch"] == "texten måste följa mönstret '^[a-z]+$'"
    assert all(not any(w in s.split() for w in ("Input", "should", "valid", "required")) for s in said.values())
