"""A page in one language says each thing in that language only, never "svenska / English" glued.

The core raises its errors with a code and parameters (`StorageError("adopt_draft")`),
and the pages show `message(lang)`, worded by the catalogue; a log gets the
English message with the code. The store writes its own version summaries (created, sent for
review, adopted, a copy) in both languages, and the history shows the reader's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.errors import Forbidden, FrozenError, SkbError, StorageError, Term
from assessment.workflow.followup import FollowUpConflict
from assessment.checklist.library import load_library
from assessment.answers.model import new_assessment
from assessment.workflow.review import send_for_review, sign_off
from assessment.store.storage import open_store, summary_in

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")


def test_an_error_is_said_in_one_language_and_logged_in_english_with_its_code():
    error = StorageError("adopt_draft")
    assert error.message("sv") == "Skicka bedömningen på granskning innan den fastställs."
    assert error.message("en") == "Send the assessment for review before adopting it."
    assert str(error) == "Send the assessment for review before adopting it. [adopt_draft]"
    # a parameter that is itself words is worded in the message's language
    refused = Forbidden("not_admin_of", who="Åsa Şahin", org=Term("store.every_org"))
    assert refused.message("sv") == "Åsa Şahin är inte administratör för alla organisationer."
    assert refused.message("en") == "Åsa Şahin is not an admin of every organisation."
    # a text as written (the checklist layer's, until it raises codes) is the same in both
    assert SkbError("Bara svenska.").message("en") == "Bara svenska." == str(SkbError("Bara svenska."))


def test_adopting_a_draft_is_refused_in_the_readers_language(app_store):
    a = new_assessment(load_library()[0]["skb-snabb"], "Fritidsgården")
    revision = app_store.create(a, "Ayşe")
    with pytest.raises(StorageError) as refused:
        sign_off(app_store, a.id, revision, "Åsa")
    assert refused.value.message("en") == "Send the assessment for review before adopting it."
    assert " / " not in refused.value.message("sv")


def test_frozen_and_follow_up_conflicts_name_their_thing_in_one_language(app_store):
    a = new_assessment(load_library()[0]["skb-snabb"], "Fritidsgården")
    app_store.create(a, "Ayşe")
    conflict = FollowUpConflict(Term("workflow.the_review_date"), "Åsa", "2026-05-04T10:00")
    assert "uppföljningsdatumet" in conflict.message("sv") and "review date" not in conflict.message("sv")
    assert "the review date" in conflict.message("en") and "uppföljningsdatumet" not in conflict.message("en")
    frozen = FrozenError("frozen", id="4f2a")
    assert frozen.message("en") == "Assessment 4f2a is adopted and cannot change; copy it into a new draft to re-assess."
    assert frozen.message("sv").startswith("Bedömningen 4f2a är fastställd och kan inte ändras")


@pytest.mark.parametrize(("stored", "sv", "en"), [
    ("skapad / created", "skapad", "created"),
    ("skickad på granskning / sent for review", "skickad på granskning", "sent for review"),
    ("tillbaka till utkast / returned to draft", "tillbaka till utkast", "returned to draft"),
    ("fastställd / adopted", "fastställd", "adopted"),
    ("kopia av 4f2a version 7 / copy of 4f2a version 7", "kopia av 4f2a version 7", "copy of 4f2a version 7"),
    ("importerad från Malmö / imported", "importerad från Malmö / imported", "importerad från Malmö / imported"),
    ("details: title", "details: title", "details: title"),
])
def test_the_stores_own_summaries_are_read_in_one_language(stored: str, sv: str, en: str):
    assert (summary_in(stored, "sv"), summary_in(stored, "en")) == (sv, en)


@pytest.mark.parametrize(("lang", "shown", "hidden"), [("sv", "Skickad på granskning", "Sent for review"),
                                                      ("en", "Sent for review", "Skickad på granskning")])
def test_the_history_page_shows_the_milestones_in_its_language(app_store, lang: str, shown: str, hidden: str):
    a = new_assessment(load_library()[0]["skb-snabb"], "Fritidsgården")
    revision = app_store.create(a, "Ayşe")
    a.metadata = a.metadata.model_copy(update={"title": "Fritidsgården i Solbacken"})
    revision = app_store.save(a, revision, "Ayşe", "details: title")  # as the details form saves a change
    send_for_review(app_store, a.id, revision, "Ayşe")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(id=a.id, who="Ayşe", lang=lang)
    at.run()
    at.switch_page("ui/app_pages/history.py").run()
    assert not at.exception, at.exception
    milestones = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert shown in milestones and hidden not in milestones
    # the title change is in the working session (revision 2), listed when the session is opened
    at.session_state[f"session:{a.id}:2"] = True
    at.run()
    assert not at.exception, at.exception
    what = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert ("Titel" if lang == "sv" else "Title") in what and "details: title" not in what
    assert "/ adopted" not in what and "fastställd /" not in what and " / " not in what


# --- the wizard's count and the results' count explain each other ------------------------------------------------


def _imported(example: str) -> str:
    from assessment.workflow.cli import main

    assert main(["import", str(ROOT / "examples" / example)]) == 0
    with open_store() as store:
        return store.list()[0].id


@pytest.mark.parametrize(("lang", "wizard_words", "results_words"), [
    ("sv", ("frågor besvarade", "också ”vet ej” eller ”ej relevant”"), ("”vet ej” och", "obesvarade saknar bedömning", "av")),
    ("en", ("questions answered", "also “don't know” or “not relevant”"), ("“don't know” and", "unanswered have no rating", "of")),
])
def test_answered_in_the_wizard_and_rated_in_the_results_are_explained_where_they_appear(
        app_data_dir: Path, capsys, lang: str, wizard_words: tuple[str, str], results_words: tuple[str, str, str]):
    from assessment.scoring.scoring import score
    from ui.progress import survey

    aid = _imported("ny-skola-detaljplan.yaml")
    capsys.readouterr()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(id=aid, who="Ayşe", lang=lang, step="1")
    at.run()
    at.switch_page("ui/app_pages/wizard.py").run()
    assert not at.exception, at.exception
    progress = at.get("progress")[0].proto.text
    captions = " ".join(c.value for c in at.caption)
    assert wizard_words[0] in progress and wizard_words[1] in captions

    at.switch_page("ui/app_pages/results.py").run()
    assert not at.exception, at.exception
    with open_store() as store:
        assessment = store.load(aid).assessment
    head = score(assessment).headline.overall
    captions = " ".join(c.value for c in at.caption)
    missing = head.applicable - head.answered - head.unknown
    assert f"{head.unknown} {results_words[0]} {missing} {results_words[1]}" in captions
    wizard_count = survey(assessment)
    assert f"{wizard_count.answered} {results_words[2]} {wizard_count.applicable}" in captions
