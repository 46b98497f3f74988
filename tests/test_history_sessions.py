"""History reads as working sessions and milestones, and no version is lost on the way.

A planner's afternoon of autosaves is one session; a pause of more than half an hour, another
person, or a milestone (sent for review, returned, adopted) starts the next. A reviewer's
comments in a row read as one milestone. Every version is in exactly one entry.
"""

from __future__ import annotations

import datetime as dt

from assessment.answers.model import Status
from assessment.workflow.review import ReviewComment
from assessment.store.storage import Version
from ui.timeline import SESSION_GAP, Milestone, Session, timeline

T0 = dt.datetime(2026, 3, 2, 13, 0, tzinfo=dt.timezone.utc)


def version(revision: int, minutes: float, author: str = "Ada Şahin", status: Status = Status.DRAFT,
            summary: str = "") -> Version:
    return Version(revision, T0 + dt.timedelta(minutes=minutes), author, summary, status, ("q1",), ())


def comment(minutes: float, author: str = "Johan Łódź", kind: str = "comment") -> ReviewComment:
    return ReviewComment(f"c{minutes}", None, author, T0 + dt.timedelta(minutes=minutes), "Ελλάδα?", None, kind, 3)


def test_an_afternoon_of_autosaves_a_pause_another_person_and_the_milestones():
    versions = [version(1, 0, summary="skapad / created")]
    versions += [version(r, r - 1) for r in range(2, 151)]  # 149 saves, a minute apart: one session
    versions += [version(r, 200 + r) for r in range(151, 161)]  # after a pause of over half an hour
    versions += [version(161, 362, author="Elif Öz")]  # someone else, at once
    versions += [version(162, 363, status=Status.IN_REVIEW, summary="skickad på granskning / sent for review")]
    versions += [version(163, 500, status=Status.ADOPTED, summary="fastställd / adopted")]
    comments = [comment(400), comment(405), comment(430), comment(480, author="Elif Öz"),
                comment(500, kind="sign_off")]
    entries = timeline(versions, comments)
    kinds = [e.kind if isinstance(e, Milestone) else f"session:{e.author}:{len(e.versions)}" for e in entries]
    assert kinds == ["created", "session:Ada Şahin:149", "session:Ada Şahin:10", "session:Elif Öz:1",
                     "sent_for_review", "comments", "comments", "adopted"]
    johan = entries[5]
    assert (johan.author, johan.count) == ("Johan Łódź", 3)  # 400, 405 and 430: no pause over the gap
    assert [e.revision for e in entries if isinstance(e, Milestone) and e.kind != "comments"] == [1, 162, 163]
    # every version once
    held = [v.revision for e in entries if isinstance(e, Session) for v in e.versions]
    held += [e.revision for e in entries if isinstance(e, Milestone) and e.revision is not None]
    assert sorted(held) == list(range(1, 164))


def test_the_gap_is_a_pause_longer_than_half_an_hour():
    gap = SESSION_GAP.total_seconds() / 60
    exactly = [version(1, 0, summary="skapad / created"), version(2, 1), version(3, 1 + gap),
               version(4, 1 + gap + gap + 0.5)]
    sessions = [e for e in timeline(exactly) if isinstance(e, Session)]
    assert [len(s.versions) for s in sessions] == [2, 1]  # 30 minutes is no break; 30.5 is


def test_a_copy_starts_with_its_own_milestone_and_a_return_to_draft_is_one():
    versions = [version(1, 0, summary="kopia av abc version 7 / copy of abc version 7"),
                version(2, 5, status=Status.IN_REVIEW), version(3, 6, status=Status.DRAFT), version(4, 7)]
    assert [e.kind if isinstance(e, Milestone) else "session" for e in timeline(versions)] == \
        ["copied", "sent_for_review", "returned_to_draft", "session"]


def test_a_time_stored_without_its_zone_is_read_as_the_utc_the_store_writes():
    naive = [version(1, 0, summary="skapad / created"), version(2, 5)]
    naive.append(Version(3, (T0 + dt.timedelta(minutes=6)).replace(tzinfo=None), "Ada Şahin", "", Status.DRAFT, (), ()))
    entries = timeline(naive, [comment(3)])
    assert [type(e).__name__ for e in entries] == ["Milestone", "Milestone", "Session"]  # created, comment, session
    assert [v.revision for v in entries[2].versions] == [2, 3]


def test_the_history_page_of_an_imported_example_with_its_review_thread(app_store):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from ui.i18n import t

    root = Path(__file__).resolve().parent.parent
    example = root / "examples" / "grannskap-utbyggnad.yaml"
    aid = app_store.import_(example.read_bytes(), source=example.name, author="Ada Şahin")
    for lang in ("sv", "en"):
        at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=60)
        at.query_params.update(id=aid, lang=lang)
        at.switch_page("ui/app_pages/history.py").run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        said = " ".join(m.value for m in at.markdown)
        assert t(lang, "ui.milestone_created") in said
        assert at.selectbox(key=f"history:{aid}").options  # every version offered
