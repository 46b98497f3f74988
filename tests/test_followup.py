"""Follow-up of an adopted assessment's measures, its review date, and re-assessment, on SQLite and PostgreSQL.

The adopted version is frozen, yet the sector records how its measures fare:
status, dated notes and indicator values over time, kept beside the frozen
body and guarded by their own revision. The review is due six months after
adoption unless a date is set, and a re-assessment starts from the adopted
version and can be compared with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.store.auth import Actor
from assessment.scoring.compare import compare
from assessment.errors import NotFound, StorageError
from assessment.workflow.followup import (FollowUpConflict, add_months, add_note, add_value, due_reviews, measures,
                                 reassess, reassessed_from, record_review, schedule, set_review_date, set_status)
from assessment.answers.model import Answer, Measure, MeasureNote, MeasureStatus, Status, new_assessment
from assessment.store import storage
from assessment.store.storage import Store
from small_checklists import FIVE_STEPS, checklist_yaml, parsed, question, section, sections, zero_and_proposal

def park():
    return parsed(checklist_yaml("park", ("Parkplan", "Park plan"), FIVE_STEPS, zero_and_proposal(), sections(section(
        "boende", ("Boende och närmiljö", "Housing and neighbourhood"),
        question("gronyta", ("Hur påverkas tillgången till grönytor?", "How is access to green space affected?")),
        question("buller", ("Hur påverkas bullret?", "How is noise affected?"))))), "park.yaml")


@contextmanager
def server_clock_on(day: dt.date) -> Iterator[None]:
    """The server's clock showing `day`: an adoption takes no date but the server's (`storage.server_date`),
    so a test of what comes due months later adopts with the clock set back."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage, "server_date", lambda: day)
        yield


def adopt_park(store: Store, on: dt.date) -> str:
    """Parken i Gottsunda, with two measures, adopted `on`."""
    a = new_assessment(park(), "Parken i Gottsunda", municipality="Uppsala", areas=["Gottsunda"])
    a.set_answer("gronyta", Answer(value=-1), "proposal")
    a.set_answer("buller", Answer(value=-2), "proposal")
    a.measures += [
        Measure(id="trad", criterion="gronyta", text="Ersättningsplantering av 40 träd", responsible="Gatu- och parkförvaltningen",
                indicator="Antal planterade träd", notes=[MeasureNote(date=dt.date(2026, 8, 20), text="Budget avsatt")]),
        Measure(id="skarm", criterion="buller", text="Bullerskärm mot leden", responsible="Trafikkontoret"),
    ]
    revision = store.create(a, "Şirin Åkesson")
    revision = store.save(_in_review(store, a.id), revision, "Şirin Åkesson")
    with server_clock_on(on):
        store.adopt(a.id, revision, "Byggnadsnämnden")
    return a.id


@pytest.fixture
def adopted(fresh_store: Store) -> str:
    """Parken i Gottsunda, adopted on 31 August 2026 with two measures."""
    return adopt_park(fresh_store, dt.date(2026, 8, 31))


def _in_review(store: Store, aid: str):
    a = store.load(aid).assessment
    a.metadata.status = Status.IN_REVIEW
    return a


def test_the_follow_up_of_a_frozen_assessment_is_recorded_beside_it(fresh_store: Store, adopted: str):
    versions = len(fresh_store.history(adopted))
    body = fresh_store.load(adopted).assessment
    r = set_status(fresh_store, adopted, "trad", 0, MeasureStatus.UNDER_WAY, "Kalle Ölund")
    r = add_note(fresh_store, adopted, "trad", r, dt.date(2026, 10, 1), "20 träd planterade vid Gottsunda centrum",
                 "Kalle Ölund")
    r = add_value(fresh_store, adopted, "trad", r, dt.date(2026, 10, 1), 20, "Kalle Ölund")
    r = add_value(fresh_store, adopted, "trad", r, dt.date(2027, 4, 1), 40, "Kalle Ölund", note="Klart")
    r = set_status(fresh_store, adopted, "trad", r, "done", "Kalle Ölund")
    assert r == 5

    trad, skarm = measures(fresh_store, adopted)
    assert trad.status == MeasureStatus.DONE and trad.revision == 5 and trad.updated_by == "Kalle Ölund"
    assert [(n.date, n.text, n.recorded) for n in trad.notes] == [
        (dt.date(2026, 8, 20), "Budget avsatt", False),
        (dt.date(2026, 10, 1), "20 träd planterade vid Gottsunda centrum", True)]
    assert [(v.date, v.value) for v in trad.values] == [(dt.date(2026, 10, 1), 20.0), (dt.date(2027, 4, 1), 40.0)]
    assert (skarm.status, skarm.revision, skarm.notes) == (MeasureStatus.PLANNED, 0, ())
    # The adopted version is untouched: no new version, the same body.
    assert len(fresh_store.history(adopted)) == versions
    assert fresh_store.load(adopted).assessment == body


def test_two_people_recording_at_once_do_not_overwrite_each_other(fresh_store: Store, adopted: str):
    set_status(fresh_store, adopted, "skarm", 0, "under_way", "Kalle Ölund")
    with pytest.raises(FollowUpConflict) as refused:
        set_status(fresh_store, adopted, "skarm", 0, "dropped", "Lena Ek")
    assert "Kalle Ölund" in refused.value.message("sv")
    assert measures(fresh_store, adopted)[1].status == MeasureStatus.UNDER_WAY
    with pytest.raises(FollowUpConflict):
        add_note(fresh_store, adopted, "skarm", 0, dt.date(2026, 9, 1), "Skrivet utan att ha sett Kalles", "Lena Ek")
    assert measures(fresh_store, adopted)[1].notes == ()


def test_follow_up_says_what_cannot_be_recorded(fresh_store: Store, adopted: str):
    with pytest.raises(StorageError, match="no follow-up indicator"):
        add_value(fresh_store, adopted, "skarm", 0, dt.date(2026, 9, 1), 55.0, "Kalle")  # the screen has no indicator
    with pytest.raises(StorageError, match="must be a number"):
        add_value(fresh_store, adopted, "trad", 0, dt.date(2026, 9, 1), float("nan"), "Kalle")
    with pytest.raises(StorageError, match="cannot be empty"):
        add_note(fresh_store, adopted, "trad", 0, dt.date(2026, 9, 1), "  ", "Kalle")
    with pytest.raises(NotFound, match="no measure \"cykel\""):
        set_status(fresh_store, adopted, "cykel", 0, "done", "Kalle")
    with pytest.raises(ValueError):
        set_status(fresh_store, adopted, "trad", 0, "halfway", "Kalle")


def test_six_months_later_is_the_same_day_or_the_end_of_the_month():
    assert add_months(dt.date(2026, 1, 15), 6) == dt.date(2026, 7, 15)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_the_review_is_due_six_months_after_adoption_and_moves_on_when_held(fresh_store: Store, adopted: str):
    s = schedule(fresh_store, adopted)
    assert (s.review_date, s.source, s.revision) == (dt.date(2027, 2, 28), "adoption", 0)
    assert due_reviews(fresh_store, dt.date(2027, 2, 27)) == []
    assert [d.assessment_id for d in due_reviews(fresh_store, dt.date(2027, 2, 27), within_days=7)] == [adopted]
    [due] = due_reviews(fresh_store, dt.date(2027, 3, 10))
    assert (due.title, due.municipality, due.adopted_at, due.days_overdue) == (
        "Parken i Gottsunda", "Uppsala", dt.date(2026, 8, 31), 10)

    r = record_review(fresh_store, adopted, 0, "Temagruppen Grönska", on=dt.date(2027, 3, 10))
    s = schedule(fresh_store, adopted)
    assert (s.review_date, s.reviewed_on, s.reviewed_by, s.source, s.revision) == (
        dt.date(2027, 9, 10), dt.date(2027, 3, 10), "Temagruppen Grönska", "set", r)
    assert due_reviews(fresh_store, dt.date(2027, 3, 10)) == []
    set_review_date(fresh_store, adopted, r, dt.date(2027, 6, 1), "Temagruppen Grönska")
    assert schedule(fresh_store, adopted).review_date == dt.date(2027, 6, 1)
    with pytest.raises(FollowUpConflict):
        set_review_date(fresh_store, adopted, r, dt.date(2027, 12, 1), "Lena Ek")


def test_a_review_date_written_in_the_assessment_wins_over_the_default(fresh_store: Store):
    a = new_assessment(park(), "Lekplats Årsta", review_date=dt.date(2027, 1, 15))
    revision = fresh_store.create(a, "Anna")
    revision = fresh_store.save(_in_review(fresh_store, a.id), revision, "Anna")
    with server_clock_on(dt.date(2026, 9, 1)):
        fresh_store.adopt(a.id, revision, "Nämnden")
    s = schedule(fresh_store, a.id)
    assert (s.review_date, s.source) == (dt.date(2027, 1, 15), "assessment")
    draft = new_assessment(park(), "Utkast utan beslut")
    fresh_store.create(draft, "Anna")
    assert schedule(fresh_store, draft.id).review_date is None
    assert [d.assessment_id for d in due_reviews(fresh_store, dt.date(2030, 1, 1))] == [a.id]


def test_re_assessment_starts_from_the_adopted_version_and_compares_before_and_after(fresh_store: Store, adopted: str):
    with pytest.raises(StorageError, match="Only an adopted assessment"):
        reassess(fresh_store, reassess(fresh_store, adopted, "Şirin Åkesson"), "Şirin Åkesson")
    later = reassess(fresh_store, adopted, "Şirin Åkesson")
    source, revision = reassessed_from(fresh_store, later)
    assert (source, revision) == (adopted, fresh_store.load(adopted).revision)
    assert reassessed_from(fresh_store, adopted) is None

    copy = fresh_store.load(later)
    assert copy.assessment.metadata.status == Status.DRAFT
    # After implementation: the trees are planted, the screen is up.
    fresh_store.save_answer(later, copy.revision, "gronyta", "proposal", Answer(value=1), "Şirin Åkesson")
    before, after = fresh_store.version(source, revision), fresh_store.load(later).assessment
    c = compare(before, after, lang="sv", name_a="Före", name_b="Efter")
    [green] = [r for r in c.block("section") if r.key == "boende"]
    assert (green.a, green.b) == (-75.0, -25.0)  # (-1 + -2) / 2 / 2 * 100, then (1 + -2) / 2 / 2 * 100
    assert green.difference == 50.0
    assert (c.a.label, c.b.label) == ("Före", "Efter")


# --- the follow-up page and the start page, driven with AppTest ------------------------------------

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def _app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_the_start_page_lists_due_reviews_and_the_follow_up_page_records_them(app_store: Store):
    adopted_on = dt.date.today() - dt.timedelta(days=200)  # six months and more ago: the review is due
    adopted = adopt_park(app_store, adopted_on)
    due = add_months(adopted_on, 6).isoformat()
    start = _app(who="Kalle Ölund")
    assert any("Parken i Gottsunda" in m.value for m in start.markdown)
    assert any(f"uppföljning {due}" in m.value for m in start.markdown)
    start.button(key=f"due:{adopted}").click().run()
    start.run()
    page = start
    assert not page.exception, page.exception
    assert any(f"**{due}**" in m.value for m in page.markdown)

    page.selectbox(key="status:trad:0").set_value("under_way").run()
    assert not page.exception, page.exception
    page.text_area(key="note:trad").set_value("20 träd planterade – Şahins lag")
    next(b for b in page.button if b.label == "Lägg till anteckning" and "trad" in str(b.form_id or "")).click().run()
    assert not page.exception, page.exception
    page.number_input(key="value:trad").set_value(20)
    next(b for b in page.button if b.label == "Lägg till värde").click().run()
    assert not page.exception, page.exception

    trad = measures(app_store, adopted)[0]
    assert trad.status == MeasureStatus.UNDER_WAY and trad.updated_by == Actor.local().name  # the OS user
    assert [n.text for n in trad.notes if n.recorded] == ["20 träd planterade – Şahins lag"]
    assert [v.value for v in trad.values] == [20.0]
    assert page.get("arrow_vega_lite_chart") or page.get("vega_lite_chart")
    # One value is already a point on the chart, and written out beneath it with its date.
    assert f"Senaste värde: 20 ({dt.date.today().isoformat()})" in [c.value for c in page.caption]

    page.button(key="record_review").click().run()
    assert schedule(app_store, adopted).reviewed_on == dt.date.today()
    # Held today: the next review is six months away, and the start page no longer asks for it.
    assert not any("uppföljning" in m.value for m in _app(who="Kalle Ölund").markdown)


@pytest.mark.slow
def test_re_assessment_from_the_follow_up_page_opens_a_draft_and_links_before_and_after(app_store: Store):
    adopted = adopt_park(app_store, dt.date(2026, 8, 31))
    page = _app(id=adopted, who="Şirin Åkesson")
    page.switch_page("ui/app_pages/followup.py").run()
    page.button(key="reassess").click().run()
    assert not page.exception, page.exception
    later = next(s.id for s in app_store.list() if s.id != adopted)
    assert reassessed_from(app_store, later) == (adopted, app_store.load(adopted).revision)

    page = _app(id=later, who="Şirin Åkesson")
    page.switch_page("ui/app_pages/followup.py").run()
    page.button(key="before_after").click().run()
    assert not page.exception, page.exception
    assert any("version 3" == c.value for c in page.caption)  # side A is the adopted version itself
    assert any("Parken i Gottsunda" in c.value and "A:" in c.value for c in page.caption)


@pytest.mark.slow
def test_the_follow_up_page_says_when_and_by_whom_the_assessment_was_adopted(app_store: Store):
    adopted = adopt_park(app_store, dt.date(2026, 8, 31))
    page = _app(id=adopted, who="Şirin Åkesson", lang="en")
    page.switch_page("ui/app_pages/followup.py").run()
    assert not page.exception, page.exception
    assert page.title[0].value == "Parken i Gottsunda"
    assert page.caption[0].value == "Status: Adopted 2026-08-31 by Byggnadsnämnden"


@pytest.mark.slow
@pytest.mark.parametrize("page", ["followup", "review"])
@pytest.mark.parametrize("link", ["../../etc", "nonexistent"])
def test_a_link_to_an_assessment_that_is_not_there_leads_to_the_start_page_with_a_message(
        app_store: Store, page: str, link: str):
    # With the language in the URL too: it is bound to a widget, and leaving the page must not touch it.
    at = _app(id=link, lang="en")
    at.switch_page(f"ui/app_pages/{page}.py").run()
    assert not at.exception, at.exception
    expected = "invalid assessment id" if link.startswith(".") else "There is no assessment with id nonexistent"
    assert any(expected in w.value for w in at.warning), [w.value for w in at.warning]
