"""A database with everything SKB keeps, for the backup and upgrade tests: an adopted assessment with its
review thread, sign-off, stored report and follow-up, a draft being worked on, and a re-assessment.

`everything(url)` fills a database and says what it made; `rows(url)` reads every row of every table, so two
databases can be compared exactly (the PDF bytes of a stored report among them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from assessment.workflow.followup import add_note, add_value, measures, reassess, schedule, set_review_date
from assessment.answers.model import Answer, new_assessment
from assessment.workflow.review import post, send_for_review, sign_off, stored_reports, thread
from assessment.store.storage import Store, open_store
from small_checklists import stortorget
from small_checklists import torg as small_torg


def torg():
    """The square plan (tests/small_checklists.py) without alternatives, as the databases here were filled."""
    return small_torg(alternatives=False)


@dataclass(frozen=True)
class Made:
    adopted: str
    draft: str
    reassessment: str


def everything(url: str) -> Made:
    """Fill the database at `url` with one of each thing SKB keeps."""
    with open_store(url) as store:
        a = stortorget(torg(), indicator="Antal nya armaturer")
        revision = store.create(a, "Elif Şahin")
        revision = send_for_review(store, a.id, revision, "Elif Şahin")
        t = post(store, a.id, 0, "Γιώργος Παπαδόπουλος", "Vilka trygghetsvandringar ligger till grund?",
                 criterion="belysning")
        question = thread(store, a.id).on("belysning")[0]
        post(store, a.id, t, "Elif Şahin", "Två vandringar i oktober, med Vivalla föreningsråd.", reply_to=question.id)
        sign_off(store, a.id, revision, "Marta Wiśniewska", note="Enligt nämndens beslut § 12")
        r = add_note(store, a.id, "ljus", 0, dt.date(2026, 10, 1), "Tio armaturer på plats vid Ängsvägen",
                     "Kalle Ölund")
        add_value(store, a.id, "ljus", r, dt.date(2026, 10, 1), 10, "Kalle Ölund", note="Första etappen")
        set_review_date(store, a.id, schedule(store, a.id).revision, dt.date(2027, 3, 1), "Kalle Ölund")
        again = reassess(store, a.id, "Elif Şahin")

        d = new_assessment(torg(), "Ängsparken", municipality="Malmö")
        r = store.create(d, "Anna Öberg")
        store.save_answer(d.id, r, "belysning", None, Answer(value=1), "Anna Öberg")
    return Made(a.id, d.id, again)


def rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order, as plain values."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                tables = [r[0] for r in conn.execute(text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))]
            else:
                tables = [r[0] for r in conn.execute(text(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))]
            return {t: sorted((tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)
                               for r in conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
                    for t in sorted(tables)}
    finally:
        engine.dispose()


def seen(store: Store, made: Made) -> dict[str, object]:
    """What a person sees of the data through SKB: assessments, histories, threads, follow-up, reports."""
    out: dict[str, object] = {}
    for aid in (made.adopted, made.draft, made.reassessment):
        out[aid] = (store.load(aid), store.history(aid), thread(store, aid), measures(store, aid),
                    schedule(store, aid), stored_reports(store, aid))
    return out
