"""Review: a theme group takes a case from draft through review to adoption, on SQLite and PostgreSQL.

Reviewers comment on single criteria and on the whole, the author replies and
the thread is kept; a comment never touches an answer and a stale one is
refused like any other write. Sign-off adopts and freezes the version, says so
on the report's cover, and stores that report with its SHA-256 so the exact
PDF a decision used can be verified later (also with `skb verify-report`).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from assessment.store.auth import Actor
from assessment.workflow.cli import main
from assessment.errors import FrozenError, StorageError
from assessment.answers.model import Answer, Status, new_assessment
from assessment.workflow.review import (ReviewConflict, post, report_pdf, return_to_draft, send_for_review, sign_off,
                               store_report, stored_reports, thread, verify_report)
from assessment.store.storage import EditConflict, Store, open_store
from small_checklists import torg


@pytest.fixture
def case(stortorget_draft: tuple[str, int]) -> tuple[str, int]:
    """A draft by Elif Şahin: evening safety worse without a measure yet, children gain (conftest)."""
    return stortorget_draft


def test_comments_on_a_criterion_and_on_the_whole_are_kept_with_the_replies(store: Store, case):
    aid, revision = case
    revision = send_for_review(store, aid, revision, "Elif Şahin")
    assert store.load(aid).assessment.metadata.status == Status.IN_REVIEW
    answers_before = store.load(aid).assessment.answers

    t1 = post(store, aid, 0, "Johan Lindqvist", "Vilka trygghetsvandringar ligger till grund?", criterion="belysning")
    t2 = post(store, aid, t1, "Marta Wiśniewska", "Barnperspektivet är väl beskrivet. <b>Bra</b> & tydligt.")
    question = thread(store, aid).on("belysning")[0]
    t3 = post(store, aid, t2, "Elif Şahin", "Två vandringar i oktober, med Vivalla föreningsråd.", reply_to=question.id)

    th = thread(store, aid)
    assert th.revision == t3 == 3
    assert [c.author for c in th.on("belysning")] == ["Johan Lindqvist"]
    assert [c.text for c in th.on(None)] == ["Barnperspektivet är väl beskrivet. <b>Bra</b> & tydligt."]
    reply = th.replies(question.id)[0]
    assert (reply.kind, reply.criterion, reply.author) == ("reply", "belysning", "Elif Şahin")
    assert all(c.on_revision == revision for c in th.comments)
    # The discussion never touches the assessment: same answers, same revision.
    stored = store.load(aid)
    assert stored.revision == revision
    assert stored.assessment.answers == answers_before


def test_a_comment_on_a_stale_thread_is_refused_and_names_who_posted(store: Store, case):
    aid, _ = case
    post(store, aid, 0, "Johan Lindqvist", "Första kommentaren")
    with pytest.raises(ReviewConflict) as refused:
        post(store, aid, 0, "Marta Wiśniewska", "Skriven utan att ha sett Johans")
    assert "Johan Lindqvist" in refused.value.message("sv")
    assert "Johan Lindqvist posted in the review" in refused.value.message("en")
    assert [c.text for c in thread(store, aid).comments] == ["Första kommentaren"]


def test_a_comment_must_say_something_and_name_a_real_question(store: Store, case):
    aid, _ = case
    with pytest.raises(StorageError, match="cannot be empty") as refused:
        post(store, aid, 0, "Johan", "   ")
    assert refused.value.message("sv") == "En kommentar kan inte vara tom."
    with pytest.raises(StorageError, match="no question \"parkering\""):
        post(store, aid, 0, "Johan", "Och parkeringen?", criterion="parkering")
    with pytest.raises(StorageError, match="no comment"):
        post(store, aid, 0, "Johan", "Svar", reply_to="finnsinte")
    assert thread(store, aid).comments == ()


def test_a_draft_must_be_sent_for_review_before_sign_off(store: Store, case):
    aid, revision = case
    with pytest.raises(StorageError, match="Send the assessment for review"):
        sign_off(store, aid, revision, "Kommunstyrelsen")
    assert store.load(aid).assessment.metadata.status == Status.DRAFT


def test_review_can_send_the_case_back_to_the_author(store: Store, case):
    aid, revision = case
    revision = send_for_review(store, aid, revision, "Elif Şahin")
    revision = return_to_draft(store, aid, revision, "Johan Lindqvist")
    assert store.load(aid).assessment.metadata.status == Status.DRAFT
    assert [v.summary for v in store.history(aid)][-2:] == ["skickad på granskning / sent for review",
                                                             "tillbaka till utkast / returned to draft"]


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.slow
def test_sign_off_adopts_freezes_and_stores_the_report_that_says_so(store: Store, case):
    aid, revision = case
    revision = send_for_review(store, aid, revision, "Elif Şahin")
    post(store, aid, 0, "Johan Lindqvist", "Klar för beslut.")
    adopted = sign_off(store, aid, revision, "Anna Öberg")

    stored = store.load(aid)
    meta = stored.assessment.metadata
    assert (stored.revision, meta.status, meta.adopted_at, meta.adopted_by) == (
        adopted, Status.ADOPTED, dt.date.today(), "Anna Öberg")
    with pytest.raises(FrozenError):
        store.save_answer(aid, adopted, "belysning", None, Answer(value=1), "Elif Şahin")

    th = thread(store, aid)
    assert th.sign_off is not None
    assert th.sign_off.text.startswith(f"Fastställd {dt.date.today().isoformat()} av Anna Öberg")
    assert th.sign_off.on_revision == adopted

    [report] = stored_reports(store, aid)
    assert (report.revision, report.lang, report.stored_by) == (adopted, "sv", "Anna Öberg")
    pdf = report_pdf(store, aid, adopted, "sv")
    assert len(pdf) == report.size
    cover = " ".join(_pdf_text(pdf).split())
    assert f"Fastställd {dt.date.today().isoformat()} av Anna Öberg" in cover
    assert "Klar för beslut." in cover  # the review, as it stood at sign-off, is in the report

    check = verify_report(store, aid, pdf)
    assert check.matches and check.report == report
    assert "version " + str(adopted) in check.message("sv")
    tampered = verify_report(store, aid, pdf.replace(b"Anna", b"Arne", 1) if b"Anna" in pdf else pdf + b"%")
    assert not tampered.matches
    assert "does NOT match" in tampered.message("en")
    # Storing again gives the same record, not a second rendering.
    assert store_report(store, aid, "Någon annan") == report


@pytest.mark.slow
def test_the_thread_goes_on_after_adoption_while_the_version_stays_frozen(store: Store, case):
    aid, revision = case
    revision = send_for_review(store, aid, revision, "Elif Şahin")
    adopted = sign_off(store, aid, revision, "Anna Öberg", lang="en")
    th = thread(store, aid)
    post(store, aid, th.revision, "Temagruppen Trygghet", "Lärdom: trygghetsvandringar tidigt i processen.")
    assert thread(store, aid).comments[-1].on_revision == adopted
    assert store.load(aid).revision == adopted
    [report] = stored_reports(store, aid)
    assert f"Adopted {dt.date.today().isoformat()} by Anna Öberg" in " ".join(_pdf_text(report_pdf(store, aid, adopted, "en")).split())


def test_signing_off_a_version_someone_has_changed_adopts_nothing(store: Store, case):
    aid, revision = case
    seen = send_for_review(store, aid, revision, "Elif Şahin")
    store.save_answer(aid, seen, "belysning", None, Answer(value=0, comment="Ny belysning finns redan"), "Elif Şahin")
    with pytest.raises(EditConflict):
        sign_off(store, aid, seen, "Anna Öberg")
    assert store.load(aid).assessment.metadata.status == Status.IN_REVIEW
    assert stored_reports(store, aid) == []


@pytest.mark.slow
def test_the_database_keeps_comments_and_stored_reports_as_they_were(store: Store, case):
    aid, revision = case
    revision = send_for_review(store, aid, revision, "Elif Şahin")
    post(store, aid, 0, "Johan Lindqvist", "Ursprunglig kommentar")
    sign_off(store, aid, revision, "Anna Öberg")
    with pytest.raises(Exception, match="skb-frozen"):
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE review_comments SET text = 'Ändrad i efterhand'"))
    with pytest.raises(Exception, match="skb-frozen"):
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM adopted_reports"))
    assert [c.text for c in thread(store, aid).comments][0] == "Ursprunglig kommentar"
    assert len(stored_reports(store, aid)) == 1


@pytest.mark.slow
def test_skb_verify_report_says_whether_a_file_is_the_adopted_report(store: Store, case, database_url: str,
                                                                    tmp_path, capsys):
    aid, revision = case
    revision = send_for_review(store, aid, revision, "Elif Şahin")
    adopted = sign_off(store, aid, revision, "Anna Öberg")
    good = tmp_path / "beslutsunderlag.pdf"
    good.write_bytes(report_pdf(store, aid, adopted, "sv"))
    bad = tmp_path / "andrad.pdf"
    bad.write_bytes(good.read_bytes() + "\n%% ändrad\n".encode())

    assert main(["verify-report", aid, str(good), "--db", database_url]) == 0
    assert "är den rapport som lagrades" in capsys.readouterr().out
    assert main(["verify-report", aid, str(bad), "--db", database_url, "--lang", "en"]) == 2
    assert "does NOT match" in capsys.readouterr().err


# --- the review page, driven with AppTest -----------------------------------------------------------

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "data"
    monkeypatch.setenv("SKB_DATA_DIR", str(directory))
    monkeypatch.delenv("SKB_DATABASE_URL", raising=False)
    return directory


LOCAL = Actor.local().name  # in local mode the person is the OS user, labelled as local


def _page(aid: str, who: str = "", lang: str = "sv") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    # `who` in the URL is what the old free-text name field read: it must be ignored now.
    at.query_params.update({"id": aid, "who": who, "lang": lang})
    at.run()
    at.switch_page("ui/app_pages/review.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_a_theme_group_takes_a_case_from_draft_to_adoption_in_the_app(data_dir: Path):
    with open_store() as s:
        a = new_assessment(torg(), "Stortorget i Łódźkvarteren", municipality="Örebro")
        a.set_answer("belysning", Answer(value=-1))
        s.create(a, "Elif Şahin")

    author = _page(a.id, "Elif Şahin")
    author.button(key="send_for_review").click().run()
    assert not author.exception, author.exception
    with open_store() as s:
        assert s.load(a.id).assessment.metadata.status == Status.IN_REVIEW

    reviewer = _page(a.id, "Johan Lindqvist")
    reviewer.selectbox(key="skb_comment_on").set_value("belysning")
    reviewer.text_area(key="skb_comment_text").set_value("Vilka <trygghetsvandringar> ligger till grund?")
    next(b for b in reviewer.button if b.label == "Skicka").click().run()
    assert not reviewer.exception, reviewer.exception
    assert any("Vilka \\<trygghetsvandringar\\> ligger till grund?" == m.value for m in reviewer.markdown)
    assert reviewer.text_area(key="skb_comment_text").value == ""

    # The author's tab still shows the thread before Johan's post: her comment is refused, not lost.
    author.text_area(key="skb_comment_text").set_value("Allt är klart.")
    next(b for b in author.button if b.label == "Skicka").click().run()
    assert any(LOCAL in w.value for w in author.warning)  # never the name the URL claimed
    assert not any("Johan Lindqvist" in w.value for w in author.warning)
    assert author.text_area(key="skb_comment_text").value == "Allt är klart."

    assert "sign_off_date" not in [d.key for d in reviewer.date_input]  # the server's clock dates it
    reviewer.checkbox(key="sign_off_confirm").check().run()
    reviewer.button(key="sign_off").click().run()
    assert not reviewer.exception, reviewer.exception
    assert f"Fastställd {dt.date.today().isoformat()} av {LOCAL}" in reviewer.caption[0].value.replace("\\", "")
    with open_store() as s:
        stored = s.load(a.id)
        assert (stored.assessment.metadata.status, stored.assessment.metadata.adopted_by) == (
            Status.ADOPTED, LOCAL)
        [report] = stored_reports(s, a.id)
    assert any(f"SHA-256 {report.sha256}" == c.value for c in reviewer.code)


@pytest.mark.slow
def test_in_local_mode_the_person_is_the_os_user_and_no_name_can_be_typed(data_dir: Path):
    with open_store() as s:
        a = new_assessment(torg(), "Utan *namn* [utkast]")
        s.save(a.model_copy(update={"metadata": a.metadata.model_copy(update={"status": Status.IN_REVIEW})}),
               s.create(a, "Elif"), "Elif")
    at = _page(a.id, "Kommunfullmäktige", lang="en")
    assert at.title[0].value == "Utan \\*namn\\* \\[utkast\\]"  # the title as typed, not as markdown
    assert "who" not in [w.key for w in at.text_input]
    assert any("local mode, no sign-in" in c.value and "lokal" in c.value for c in at.sidebar.caption)
    assert at.button(key="sign_off").label.replace("\\", "") == f"Adopt as {LOCAL}"
    assert not any("Kommunfullmäktige" in b.label for b in at.button)


def test_deleting_a_draft_takes_its_thread_follow_up_and_scores_with_it(store: Store, case):
    from assessment.workflow.followup import set_status
    from assessment.workflow.portfolio import portfolio

    aid, _ = case
    post(store, aid, 0, "Johan Lindqvist", "Ett utkast som ska bort")
    set_status(store, aid, "ljus", 0, "under_way", "Kalle")
    assert portfolio(store).count == 1
    store.delete(aid)
    with store.engine.connect() as conn:
        for table in ("review_comments", "review_threads", "followup_measures", "scores", "score_heads"):
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0, table
    assert portfolio(store).count == 0


@pytest.mark.slow
def test_the_history_page_leads_to_the_one_sign_off_which_stores_the_report(data_dir: Path):
    with open_store() as s:
        a = new_assessment(torg(), "Stortorget i Łódźkvarteren", municipality="Örebro")
        a.set_answer("belysning", Answer(value=-1))
        s.create(a, "Elif Şahin")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"id": a.id, "who": "Anna Öberg", "lang": "sv"})  # ignored: the OS user acts
    at.run()
    at.switch_page("ui/app_pages/history.py").run()
    assert not at.exception, at.exception
    assert any("fastställs på sidan Granskning" in c.value for c in at.caption)
    assert "adopt_confirm" not in [c.key for c in at.checkbox]  # confirming belongs to the sign-off

    at.button(key="adopt").click().run()
    assert not at.exception, at.exception
    assert "send_for_review" in [b.key for b in at.button]  # the review page, where a draft is sent first
    at.switch_page("ui/app_pages/review.py").run()  # AppTest's own reruns follow its page, not the app's
    with open_store() as s:
        assert s.load(a.id).assessment.metadata.status == Status.DRAFT  # the history page adopts nothing itself
    at.button(key="send_for_review").click().run()
    at.checkbox(key="sign_off_confirm").check().run()
    at.button(key="sign_off").click().run()
    assert not at.exception, at.exception

    with open_store() as s:
        meta = s.load(a.id).assessment.metadata
        assert (meta.status, meta.adopted_by, meta.adopted_at) == (Status.ADOPTED, LOCAL, dt.date.today())
        [report] = stored_reports(s, a.id)
        assert report.stored_by == LOCAL
        sign = thread(s, a.id).sign_off
        assert sign is not None and sign.text.startswith(f"Fastställd {dt.date.today().isoformat()} av {LOCAL}")
    at.switch_page("ui/app_pages/history.py").run()
    assert not at.exception, at.exception
    keys = [b.key for b in at.button]
    assert "copy_as_draft" in keys and "adopt" not in keys


@pytest.mark.slow
def test_an_assessment_adopted_without_sign_off_can_have_its_report_stored_afterwards(data_dir: Path):
    # Adopted through the store itself (as when rendering the report failed at sign-off): no report yet.
    a = new_assessment(torg(), "Fastställd utan rapport")
    with open_store() as s:
        s.adopt(a.id, s.create(a, "Elif"), "Kommunstyrelsen")
        assert s.load(a.id).assessment.metadata.status == Status.ADOPTED
    at = _page(a.id, "Anna Öberg", lang="en")
    assert any("No report was stored" in i.value for i in at.info)
    at.button(key="store_report_now").click().run()
    assert not at.exception, at.exception
    with open_store() as s:
        [report] = stored_reports(s, a.id)
        assert (report.lang, report.stored_by) == ("en", LOCAL)
    assert any(f"SHA-256 {report.sha256}" == c.value for c in at.code)
