"""Roles per organisation, separation of duties, the server's clock and the audit log, on SQLite and PostgreSQL.

A theme group in Örebro shares one installation: Elif writes, Johan reviews,
Marta reads, an IT admin grants the roles. Nobody adopts what they wrote, the
date of adoption is the server's, and every step is in the audit log, which
the database keeps append-only. The command line acts as a named user with
the same roles.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from sqlalchemy import text

from assessment.workflow import followup, review
from assessment.store.audit import events
from assessment.store.auth import (Action, Actor, Role, can, grant, revoke, roles_in, self_sign_off_allowed,
                             set_self_sign_off, sign_in, users, visible_orgs)
from assessment.workflow.portfolio import choices, portfolio
from assessment.workflow.cli import main
from assessment.errors import Forbidden
from assessment.answers.model import Answer, Measure, MeasureStatus, Status, new_assessment
from assessment.workflow.review import post, return_to_draft, send_for_review, sign_off, thread
from assessment.store.storage import Store

try:  # tests/ is on sys.path under pytest's default import mode
    from test_review import torg
except ImportError:  # tests/ made a package
    from tests.test_review import torg

ADMIN = Actor.named("it-admin@orebro.se")
ELIF = Actor.named("Elif.Sahin@orebro.se")  # names are compared without case
JOHAN = Actor.named("johan.lindqvist@orebro.se")
MARTA = Actor.named("marta@orebro.se")
ANNA = Actor.named("anna.oberg@orebro.se")


@pytest.fixture
def orebro(store: Store) -> Store:
    """Roles granted as an Örebro theme group would have them."""
    assert grant(store, ADMIN, ADMIN.name, "admin")  # the first admin: allowed while there is none
    grant(store, ADMIN, ELIF.name, "author", org="Örebro")
    grant(store, ADMIN, JOHAN.name, "reviewer", org="ÖREBRO ")
    grant(store, ADMIN, ANNA.name, "reviewer", org="örebro")
    grant(store, ADMIN, ANNA.name, "author", org="örebro")
    grant(store, ADMIN, MARTA.name, "reader", org="Örebro")
    return store


def _draft(store: Store, by: Actor, municipality: str = "Örebro") -> tuple[str, int]:
    a = new_assessment(torg(), "Stortorget", municipality=municipality)
    a.set_answer("belysning", Answer(value=-1))
    return a.id, store.create(a, by.name)


def test_roles_hold_in_their_organisation_only(orebro: Store):
    assert roles_in(orebro, ELIF, "örebro") == {Role.AUTHOR}
    assert roles_in(orebro, ELIF, "Uppsala") == set()
    assert roles_in(orebro, ADMIN, "Uppsala") == {Role.ADMIN}  # granted in every organisation
    assert can(orebro, JOHAN, Action.SIGN_OFF, "Örebro") and not can(orebro, JOHAN, Action.EDIT, "Örebro")
    assert can(orebro, MARTA, Action.READ, "Örebro") and not can(orebro, MARTA, Action.COMMENT, "Örebro")
    # Local mode (no sign-in, one person on their own machine) may do everything.
    assert can(orebro, Actor.local("ada"), Action.SIGN_OFF, "Uppsala")
    assert Actor.local("ada").name == "ada (lokal)"


def test_only_an_admin_grants_and_the_last_admin_stays(orebro: Store):
    with pytest.raises(Forbidden) as refused:
        grant(orebro, ELIF, ELIF.name, "reviewer", org="Örebro")
    assert "inte administratör" in refused.value.message("sv") and "not an admin" in refused.value.message("en")
    with pytest.raises(Forbidden):
        grant(orebro, ELIF, ELIF.name, "admin")  # the bootstrap is over once there is an admin
    with pytest.raises(Forbidden, match="no role"):
        grant(orebro, ADMIN, ELIF.name, "superuser")
    with pytest.raises(Forbidden, match="last admin"):
        revoke(orebro, ADMIN, ADMIN.name, "admin")
    assert revoke(orebro, ADMIN, MARTA.name, "reader", org="Örebro")
    assert not revoke(orebro, ADMIN, MARTA.name, "reader", org="Örebro")
    listed = {u.name: u.roles for u in users(orebro, ADMIN)}
    assert listed[ANNA.name] == {"örebro": (Role.AUTHOR, Role.REVIEWER)}
    assert MARTA.name in listed and listed[MARTA.name] == {}
    with pytest.raises(Forbidden):
        users(orebro, JOHAN)


def test_a_reader_reads_but_neither_writes_comments_nor_adopts(orebro: Store):
    aid, revision = _draft(orebro, ELIF)
    with pytest.raises(Forbidden) as refused:
        send_for_review(orebro, aid, revision, MARTA)
    assert "författare" in refused.value.message("sv") and "author" in refused.value.message("en")
    with pytest.raises(Forbidden):
        post(orebro, aid, 0, MARTA, "Jag tycker till")
    revision = send_for_review(orebro, aid, revision, ELIF)
    with pytest.raises(Forbidden):
        sign_off(orebro, aid, revision, MARTA)
    with pytest.raises(Forbidden):
        sign_off(orebro, aid, revision, ELIF)  # an author is no reviewer
    assert thread(orebro, aid).comments == ()


def test_nobody_adopts_what_they_wrote_until_the_organisation_allows_it(orebro: Store):
    aid, revision = _draft(orebro, ANNA)  # Anna is author and reviewer both
    revision = send_for_review(orebro, aid, revision, ANNA)
    with pytest.raises(Forbidden) as refused:
        sign_off(orebro, aid, revision, ANNA)
    assert "själv skrivit" in refused.value.message("sv") and "another reviewer" in refused.value.message("en")
    assert orebro.load(aid).assessment.metadata.status.value == "in_review"  # nothing half-done

    # Returning to draft and sending again is not writing: Johan, who only reviewed, still may.
    revision = return_to_draft(orebro, aid, revision, JOHAN)
    revision = send_for_review(orebro, aid, revision, ANNA)
    assert review.writers(orebro, aid) == {ANNA.name}

    with pytest.raises(Forbidden):
        set_self_sign_off(orebro, ANNA, True, org="Örebro")  # only an admin changes the rule
    set_self_sign_off(orebro, ADMIN, True, org="Örebro")
    assert self_sign_off_allowed(orebro, "örebro") and not self_sign_off_allowed(orebro, "Uppsala")
    adopted = sign_off(orebro, aid, revision, ANNA)
    assert orebro.load(aid).revision == adopted

    [setting] = [e for e in events(orebro) if e.action == "setting"]
    assert (setting.actor, setting.org, setting.detail) == (ADMIN.name, "örebro", "self_sign_off=yes")


def test_a_reviewer_who_edited_an_answer_during_review_cannot_adopt(orebro: Store):
    grant(orebro, ADMIN, JOHAN.name, "author", org="Örebro")
    aid, revision = _draft(orebro, ELIF)
    revision = send_for_review(orebro, aid, revision, ELIF)
    a = orebro.load(aid).assessment
    a.set_answer("belysning", Answer(value=1))
    revision = orebro.save(a, revision, JOHAN.name)
    with pytest.raises(Forbidden):
        sign_off(orebro, aid, revision, JOHAN)


def test_the_date_of_adoption_is_the_servers_clock(orebro: Store):
    assert "date" not in inspect.signature(sign_off).parameters  # no caller can choose it, 1999 or otherwise
    aid, revision = _draft(orebro, ELIF)
    revision = send_for_review(orebro, aid, revision, ELIF)
    with pytest.raises(TypeError):
        sign_off(orebro, aid, revision, JOHAN, date=dt.date(1999, 1, 1))  # type: ignore[call-arg]
    sign_off(orebro, aid, revision, JOHAN)
    meta = orebro.load(aid).assessment.metadata
    assert (meta.adopted_at, meta.adopted_by) == (dt.date.today(), JOHAN.name)


def test_the_audit_log_tells_who_did_what_and_the_database_keeps_it(orebro: Store):
    aid, revision = _draft(orebro, ELIF)
    revision = send_for_review(orebro, aid, revision, ELIF)
    post(orebro, aid, 0, JOHAN, "Vilka trygghetsvandringar ligger till grund?", criterion="belysning")
    sign_off(orebro, aid, revision, JOHAN)
    trail = [(e.actor, e.action) for e in reversed(events(orebro, assessment_id=aid))]
    assert trail == [(ELIF.name, "send_for_review"), (JOHAN.name, "comment"), (JOHAN.name, "sign_off"),
                     (JOHAN.name, "store_report")]
    assert all(e.org == "örebro" for e in events(orebro, assessment_id=aid))
    assert [e.action for e in events(orebro, actor="JOHAN.Lindqvist@orebro.se")][-1] == "comment"
    grants = [e for e in events(orebro) if e.action == "grant"]
    assert len(grants) == 6 and grants[-1].detail == f"{ADMIN.name}: admin"
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="skb-audit"):
            with orebro.engine.begin() as conn:
                conn.execute(text(statement))
    assert len(events(orebro, assessment_id=aid)) == 4


def _adopted_with_a_measure(store: Store, municipality: str = "Örebro") -> str:
    a = new_assessment(torg(), "Belysning i Vivalla", municipality=municipality)
    a.set_answer("belysning", Answer(value=-1))
    a.measures.append(Measure(id="ljus", criterion="belysning", text="Belysning längs gångstråket",
                              indicator="Andel som känner sig trygga"))
    revision = store.create(a, ELIF.name)
    a = store.load(a.id).assessment
    a.metadata.status = Status.IN_REVIEW
    store.adopt(a.id, store.save(a, revision, ELIF.name), JOHAN.name)
    return a.id


def test_follow_up_is_recorded_by_authors_and_reviewers_and_refused_to_readers_in_the_core(orebro: Store):
    aid = _adopted_with_a_measure(orebro)
    day = dt.date(2027, 3, 1)
    writes = {
        "status": lambda who, r: followup.set_status(orebro, aid, "ljus", r, MeasureStatus.UNDER_WAY, who),
        "note": lambda who, r: followup.add_note(orebro, aid, "ljus", r, day, "Tio stolpar uppsatta", who),
        "value": lambda who, r: followup.add_value(orebro, aid, "ljus", r, day, 62.5, who),
        "review date": lambda who, r: followup.set_review_date(orebro, aid, r, day, who),
        "review held": lambda who, r: followup.record_review(orebro, aid, r, who, on=day),
    }
    stranger = Actor.named("stranger@uppsala.se")
    for name, write in writes.items():
        for who in (MARTA, stranger):  # a reader of Örebro, and someone with no role there
            with pytest.raises(Forbidden) as refused:
                write(who, 0)
            assert "följa upp" in refused.value.message("sv"), name
            assert "record follow-up" in refused.value.message("en") and "author or reviewer" in \
                refused.value.message("en"), name
    [ljus] = followup.measures(orebro, aid)
    assert (ljus.revision, ljus.status, ljus.notes, ljus.values) == (0, MeasureStatus.PLANNED, (), ())
    assert followup.schedule(orebro, aid).revision == 0
    assert [e for e in events(orebro, assessment_id=aid) if e.action == "follow_up"] == []

    r = writes["status"](ELIF, 0)  # the author who carries it out
    r = writes["note"](JOHAN, r)  # the reviewer who checks it
    writes["value"](ELIF, r)
    s = writes["review date"](JOHAN, 0)
    writes["review held"](ELIF, s)
    [ljus] = followup.measures(orebro, aid)
    assert (ljus.revision, ljus.status, ljus.updated_by) == (3, MeasureStatus.UNDER_WAY, ELIF.name)
    assert [(n.text, n.author) for n in ljus.notes] == [("Tio stolpar uppsatta", JOHAN.name)]
    trail = [(e.actor, e.org, e.detail) for e in reversed(events(orebro, assessment_id=aid))
             if e.action == "follow_up"]
    assert [(who, org) for who, org, _ in trail] == [(ELIF.name, "örebro"), (JOHAN.name, "örebro"),
                                                     (ELIF.name, "örebro"), (JOHAN.name, "örebro"),
                                                     (ELIF.name, "örebro")]
    assert trail[0][2] == "measure ljus: status under_way"
    assert trail[2][2] == "measure ljus: value 62.5 on 2027-03-01"
    assert trail[4][2] == "review held 2027-03-01, next review 2027-09-01"


def test_a_re_assessment_is_a_new_draft_so_only_an_author_starts_one(orebro: Store):
    aid = _adopted_with_a_measure(orebro)
    before = {s.id for s in orebro.list()}
    for who in (MARTA, JOHAN):  # a reader, and a reviewer who is no author
        with pytest.raises(Forbidden) as refused:
            followup.reassess(orebro, aid, who)
        assert "författare" in refused.value.message("sv") and "author" in refused.value.message("en")
    assert {s.id for s in orebro.list()} == before  # nothing half-written: no copy, no link
    later = followup.reassess(orebro, aid, ELIF)
    assert followup.reassessed_from(orebro, later) == (aid, orebro.load(aid).revision)
    [copy] = [e for e in events(orebro, assessment_id=later) if e.action == "copy"]
    assert (copy.actor, copy.org, copy.detail) == (ELIF.name, "örebro", f"re-assessment of {aid} version 3")


def test_the_portfolio_and_the_due_reviews_show_only_the_organisations_where_one_holds_a_role(
        orebro: Store, database_url: str, capsys, monkeypatch):
    ours = _adopted_with_a_measure(orebro, "Örebro")
    theirs = _adopted_with_a_measure(orebro, "UPPSALA")  # another municipality on the same installation
    nowhere = _adopted_with_a_measure(orebro, "")  # no municipality: an organisation of its own, ''
    soon = dt.date.today() + dt.timedelta(days=200)  # each review is due six months after adoption
    stranger = Actor.named("stranger@uppsala.se")

    assert visible_orgs(orebro, MARTA) == {"örebro"} and visible_orgs(orebro, stranger) == set()
    assert visible_orgs(orebro, ADMIN) is None and visible_orgs(orebro, Actor.local("ada")) is None
    for who, seen in ((MARTA, {ours}), (JOHAN, {ours}), (stranger, set()), (ADMIN, {ours, theirs, nowhere}),
                      (Actor.local("ada"), {ours, theirs, nowhere})):
        mine = visible_orgs(orebro, who)
        assert set(portfolio(orebro, orgs=mine).assessments["id"]) == seen, who
        assert {d.assessment_id for d in followup.due_reviews(orebro, soon, orgs=mine)} == seen, who
    assert choices(orebro, orgs={"örebro"})["municipality"] == ["Örebro"]
    assert set(choices(orebro)["municipality"]) == {"Örebro", "UPPSALA"}
    grant(orebro, ADMIN, stranger.name, "reader", org="Uppsala")
    assert set(portfolio(orebro, orgs=visible_orgs(orebro, stranger)).assessments["id"]) == {theirs}

    # The command line acting as a user counts what that user may see, and lists it.
    monkeypatch.setenv("SKB_MODE", "shared")
    db = ["--db", database_url]
    for who, count, listed in ((MARTA, 1, {ours}), (stranger, 1, {theirs}), (ADMIN, 3, {ours, theirs, nowhere})):
        assert main(["portfolio", "--as", who.name, "--lang", "en", *db]) == 0
        assert capsys.readouterr().out.splitlines()[0] == (f"{count} assessments" if count != 1 else
                                                           "1 assessment"), who
        assert main(["list", "--as", who.name, *db]) == 0
        assert {line.split()[0] for line in capsys.readouterr().out.splitlines()} == listed, who
    monkeypatch.delenv("SKB_USER", raising=False)
    assert main(["portfolio", *db]) == 1  # shared: nobody named, nothing counted
    assert "--as" in capsys.readouterr().err
    monkeypatch.setenv("SKB_MODE", "local")
    assert main(["portfolio", "--lang", "en", *db]) == 0  # local mode: the one person sees everything
    assert capsys.readouterr().out.splitlines()[0] == "3 assessments"


def test_a_sign_in_binds_the_name_to_the_providers_account(store: Store):
    claims = {"iss": "https://login.orebro.se", "sub": "a1b2", "email": "Elif.Sahin@orebro.se", "name": "Elif Şahin"}
    elif_ = sign_in(store, claims)
    assert (elif_.name, elif_.label, elif_.shared) == ("elif.sahin@orebro.se", "Elif Şahin", True)
    assert sign_in(store, claims) == elif_
    with pytest.raises(Forbidden, match="another account"):
        sign_in(store, {**claims, "sub": "someone-else"})  # the address handed on: the roles do not follow
    # Without an e-mail the provider's user name is the name roles are granted to.
    assert sign_in(store, {"iss": "x", "sub": "9", "preferred_username": "JLindqvist"}).name == "jlindqvist"
    actions = [e.action for e in reversed(events(store))]
    assert actions == ["sign_in", "sign_in", "sign_in_refused", "sign_in"]


def test_the_command_line_acts_as_the_named_user_with_the_same_roles(orebro: Store, database_url: str, capsys,
                                                                    monkeypatch, tmp_path):
    monkeypatch.setenv("SKB_MODE", "shared")
    monkeypatch.setenv("SKB_LANG", "en")
    monkeypatch.delenv("SKB_USER", raising=False)
    aid, _ = _draft(orebro, ELIF)
    db = ["--db", database_url]

    assert main(["users", *db]) == 1
    assert "say who you are with --as USER or SKB_USER" in capsys.readouterr().err
    assert main(["grant", MARTA.name, "author", "--org", "Örebro", "--as", ELIF.name, *db]) == 1
    assert "is not an admin" in capsys.readouterr().err
    assert main(["grant", MARTA.name, "author", "--org", "Örebro", "--as", ADMIN.name, *db]) == 0
    assert "author (Örebro)" in capsys.readouterr().out
    monkeypatch.setenv("SKB_USER", ADMIN.name)
    assert main(["users", *db]) == 0
    assert f"{MARTA.name}  [örebro: reader, author]  never signed in" in capsys.readouterr().out
    assert main(["self-sign-off", "allow", "--org", "Örebro", *db]) == 0
    assert "now allowed in Örebro" in capsys.readouterr().out

    out = tmp_path / "x.yaml"
    monkeypatch.setenv("SKB_USER", "stranger@uppsala.se")
    assert main(["export", aid, "-o", str(out), *db]) == 1  # no role in Örebro
    assert "may not read in örebro" in capsys.readouterr().err and not out.exists()
    assert main(["list", *db]) == 0 and aid not in capsys.readouterr().out
    assert main(["export", aid, "-o", str(out), "--as", MARTA.name, *db]) == 0
    assert main(["import", str(out), "--as-new", "--as", "stranger@uppsala.se", *db]) == 1
    assert "may not change assessments in örebro" in capsys.readouterr().err
    assert main(["import", str(out), "--as-new", "--as", MARTA.name, "--author", "Kommunfullmäktige", *db]) == 0
    new_id = capsys.readouterr().out.split()[-1]
    assert {v.author for v in orebro.history(new_id)} == {MARTA.name}  # --author cannot name someone else

    assert main(["audit", "--as", MARTA.name, *db]) == 1
    capsys.readouterr()
    monkeypatch.setenv("SKB_USER", ADMIN.name)
    assert main(["audit", "--user", MARTA.name, *db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[2] for line in lines] == ["import", "export"]
    monkeypatch.setenv("SKB_LANG", "sv")
    assert main(["revoke", ADMIN.name, "admin", *db]) == 1
    assert "sista administratören" in capsys.readouterr().err


def test_the_mode_is_local_unless_a_sign_in_is_configured_or_asked_for(monkeypatch):
    from assessment.store.auth import shared_mode
    from assessment.errors import SkbError

    monkeypatch.delenv("SKB_MODE", raising=False)
    assert not shared_mode(None) and not shared_mode({"server": {}})
    assert shared_mode({"auth": {"client_id": "skb"}})  # a sign-in in secrets.toml
    monkeypatch.setenv("SKB_MODE", "local")
    assert not shared_mode({"auth": {"client_id": "skb"}})  # a developer's own copy
    monkeypatch.setenv("SKB_MODE", "Shared")
    assert shared_mode(None)
    monkeypatch.setenv("SKB_MODE", "delad")
    with pytest.raises(SkbError, match='"shared" or "local"'):
        shared_mode(None)
