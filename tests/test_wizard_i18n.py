"""The interface speaks Swedish and English alike: every text has both, with the same blanks."""

from __future__ import annotations

import string

from ui.i18n import CATALOGUE, DEFAULT_LANGUAGE, LANGUAGES, language, t


def _blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys() -> None:
    assert set(CATALOGUE) == set(LANGUAGES) == {"sv", "en"}
    assert set(CATALOGUE["sv"]) == set(CATALOGUE["en"])


def test_each_text_has_the_same_blanks_in_both_languages() -> None:
    for key, swedish in CATALOGUE["sv"].items():
        assert _blanks(swedish) == _blanks(CATALOGUE["en"][key]), key


def test_no_text_is_left_empty_or_untranslated_by_accident() -> None:
    same = {k: v for k, v in CATALOGUE["sv"].items() if v == CATALOGUE["en"][k]}
    # Single words such as "Status" or "Version" are the same in both languages; a
    # longer text that is identical was copied and not translated.
    assert {k: v for k, v in same.items() if len(v.split()) > 2} == {}
    assert all(v.strip() for lang in CATALOGUE.values() for v in lang.values())


def test_an_unknown_language_falls_back_to_swedish() -> None:
    assert language("fi") == DEFAULT_LANGUAGE == "sv"
    assert language(None) == "sv"
    assert t("fi", "next") == "Nästa"
    assert t("en", "step_of", i=2, n=5) == "Step 2 of 5"
    assert t("sv", "unknown") == "Vet ej – behöver utredas"
