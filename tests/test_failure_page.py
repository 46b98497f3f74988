"""A page that raises shows a message in the person's language, never Streamlit's error page, and loses nothing.

The results page is made to fail by a planted fault in the scoring it calls; the
person has just written a comment in the wizard. The message says, in Swedish or
English, that nothing is lost and what to do, with a reference that the server's
log carries beside the traceback; the comment is in the store; "Try again" draws
the page once the fault is gone.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import assessment.scoring.scoring
from assessment.store.storage import open_store
from assessment.catalogue import template

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
EXAMPLE = ROOT / "examples" / "grannskap-utbyggnad.yaml"
COMMENT = "Kvällsbussen till Łódź-gatan saknas – Şahin"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_failing_page_says_so_in_the_persons_language_and_loses_nothing(app_store, monkeypatch, caplog,
                                                                           lang: str) -> None:
    aid = app_store.import_(EXAMPLE.read_bytes(), source=EXAMPLE.name, author="Ada")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["id"] = aid
    at.query_params["lang"] = lang
    at.switch_page("ui/app_pages/wizard.py").run()
    assert not at.exception, at.exception
    box = next(a for a in at.text_input if str(a.key).startswith(f"w:{aid}:") and str(a.key).endswith(":comment"))
    criterion = str(box.key).split(":")[2]
    box.set_value(COMMENT).run()

    def planted(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted fault in scoring")

    with monkeypatch.context() as patched, caplog.at_level(logging.ERROR, logger="skb.ui"):
        patched.setattr(assessment.scoring.scoring, "score", planted)
        at.switch_page("ui/app_pages/results.py").run()
    assert not at.exception, "Streamlit's own error page was shown"
    said = [e.value for e in at.error]
    assert len(said) == 1 and said[0].startswith(template(lang, "ui.page_failed").split("{cause}")[0])
    assert template(lang, "ui.page_failed_cause") in said[0]
    assert template("en" if lang == "sv" else "sv", "ui.page_failed_cause") not in said[0]
    # the reference shown is the one the log carries, with the traceback
    record = next(r for r in caplog.records if r.name == "skb.ui")
    reference = record.args[0]
    assert f"**{reference}**" in said[0]
    assert record.exc_info and "planted fault" in str(record.exc_info[1])
    assert "planted" not in said[0]  # the person is not shown the internals
    # nothing lost: the comment written just before is stored
    with open_store() as store:
        assert store.load(aid).assessment.answer(criterion).comment == COMMENT
    # the fault gone, "try again" draws the page
    next(b for b in at.button if str(b.key).startswith("skb_retry_")).click().run()
    assert not at.exception and not at.error
    assert at.metric, "the results page did not draw after trying again"


def test_a_failing_callback_is_said_in_the_persons_language_and_keeps_what_was_typed(app_store, monkeypatch,
                                                                                     caplog) -> None:
    import assessment.workflow.review

    def planted(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted fault in posting")

    # planted before the page first runs: the callback a click calls is the one that run defined
    monkeypatch.setattr(assessment.workflow.review, "post", planted)
    aid = app_store.import_(EXAMPLE.read_bytes(), source=EXAMPLE.name, author="Ada")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["id"] = aid
    at.switch_page("ui/app_pages/review.py").run()
    assert not at.exception, at.exception
    at.text_area(key="skb_comment_text").input(COMMENT)
    with caplog.at_level(logging.ERROR, logger="skb.ui"):
        at.button(key="FormSubmitter:new_comment-Skicka").click().run()
    assert not at.exception, "Streamlit's own error page was shown"
    assert any(template("sv", "ui.page_failed_cause") in e.value for e in at.error), [e.value for e in at.error]
    assert any(r.name == "skb.ui" and "planted" in str(r.exc_info[1]) for r in caplog.records)
    assert at.text_area(key="skb_comment_text").value == COMMENT  # nothing typed is lost
