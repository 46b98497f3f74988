"""The interface speaks Swedish and English alike, from the one catalogue (assessment/locale): every text
has both, with the same blanks, and every id the pages build at run time (`t(L, "common.status_" + s)`)
resolves for every value it can be built from."""

from __future__ import annotations

import string
from typing import get_args, get_type_hints

import pytest

from assessment.answers.model import MeasureStatus, Status
from assessment.catalogue import has, messages
from assessment.scoring.compare import Block
from assessment.scoring.results import EquityResult, Flag
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, language, t, tn
from ui.metadata import FIELDS, LABELS, label


def _blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _ui(lang: str) -> dict[str, str]:
    texts, _ = messages(lang)
    return {k: v for k, v in texts.items() if k.startswith(("ui.", "common."))}


def test_both_languages_have_the_same_ids() -> None:
    assert set(LANGUAGES) == {"sv", "en"}
    assert set(_ui("sv")) == set(_ui("en"))
    assert len(_ui("sv")) > 300  # the interface's words are in the catalogue, not somewhere else


def test_each_text_has_the_same_blanks_in_both_languages() -> None:
    english = _ui("en")
    for key, swedish in _ui("sv").items():
        assert _blanks(swedish) == _blanks(english[key]), key


def test_no_text_is_left_empty_or_untranslated_by_accident() -> None:
    english = _ui("en")
    same = {k: v for k, v in _ui("sv").items() if v == english[k]}
    # Single words such as "Status" or "Version" are the same in both languages; a
    # longer text that is identical was copied and not translated.
    assert {k: v for k, v in same.items() if len(v.split()) > 2} == {}
    assert all(v.strip() for lang in LANGUAGES for v in _ui(lang).values())


def test_an_unknown_language_falls_back_to_swedish() -> None:
    assert language("fi") == DEFAULT_LANGUAGE == "sv"
    assert language(None) == "sv"
    assert t("fi", "ui.next") == "Nästa"
    assert t("en", "ui.step_of", i=2, n=5) == "Step 2 of 5"
    assert t("sv", "common.unknown") == "Vet ej – behöver utredas"


def test_counts_take_the_form_of_their_number() -> None:
    assert tn("sv", "ui.broken_checklists", 1) == "1 checklista kunde inte läsas"
    assert tn("sv", "ui.broken_checklists", 3) == "3 checklistor kunde inte läsas"
    assert tn("en", "ui.broken_checklists", 1) == "1 checklist file could not be read"
    assert tn("en", "ui.milestone_comments", 2) == "2 comments in the review"
    assert tn("sv", "ui.milestone_comments", 1) == "1 kommentar i granskningen"
    assert tn("sv", "common.more_groups_and", 0) == "och 0 grupper till"
    assert tn("en", "ui.gaps_for", 1, alternative="the proposal") == "1 question with something unknown for the proposal."


# Every id the pages build from a value, with every value it can take: a new status, severity or field
# without its words fails here, not on a page.
FAMILIES = {
    "common.status_": [s.value for s in Status],
    "common.measure_": [s.value for s in MeasureStatus],
    "ui.severity_": ["info", "warning", "serious"],
    "ui.verdict_": ["narrows", "widens", "unchanged", "unknown"],
    "ui.block_": [b for b in get_args(Block) if b != "dimension"],
    "ui.milestone_": ["created", "copied", "sent_for_review", "returned_to_draft", "adopted"],
    "ui.history_part_": ["status", "metadata", "measures", "participation", "comments", "checklist", "language"],
    "ui.review_source_": ["set", "assessment", "adoption", "none"],
    "ui.measure_": ["questions", "groups"],
}


@pytest.mark.parametrize("prefix", list(FAMILIES))
def test_every_id_built_at_run_time_resolves(prefix: str) -> None:
    for value in FAMILIES[prefix]:
        assert has(prefix + value), prefix + value
        for lang in LANGUAGES:
            assert t(lang, prefix + value).strip()


def test_every_detail_has_a_label_in_both_languages() -> None:
    # The details form labels each field by LABELS (the report's id where the report names the detail too).
    assert set(LABELS) == set(FIELDS)
    for field in FIELDS:
        assert has(LABELS[field]), field
        assert label(field, "sv") != label(field, "en") or len(label(field, "sv").split()) <= 2
    assert label("assessors", "sv") == "Bedömare" and LABELS["assessors"] == "common.assessors"


def test_the_families_name_every_value_of_their_types() -> None:
    assert set(FAMILIES["ui.verdict_"]) == set(get_args(get_type_hints(EquityResult)["verdict"]))
    assert set(FAMILIES["ui.severity_"]) == set(get_args(get_type_hints(Flag)["severity"]))
