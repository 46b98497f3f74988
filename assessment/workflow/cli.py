"""The `skb` command line: everything the wizard does, without a browser.

Each verb is a small function that parses nothing itself: argparse does that,
the function calls the core, prints, and returns an exit code. Messages for
user mistakes go to stderr without a traceback. Verbs:

    skb validate PATH...     check checklist files (exit 1 on any error)
    skb schema               print the JSON Schema of the checklist format
    skb list                 list stored assessments (--search, --status, --db URL)
    skb export ID -o FILE    write a stored assessment, with its checklist snapshot, to a file
    skb import FILE          store an assessment file (--as-new to import a copy under a new id)
    skb report FILE -o OUT.pdf   the PDF report of an assessment file (--lang sv|en; --format html for its
                             accessible HTML twin; --participants [--children] for the short feedback
                             letter to the people who took part)
    skb new CHECKLIST -o FILE  write an empty assessment of a checklist (a file, or an id from the library)
    skb score FILE           print the scores, equity, participation, flags and gaps (--json, --lang)
    skb portfolio            aggregate the stored assessments by policy area, group and district
                             (--municipality, --area, --group, ...; --csv FILE, --xlsx FILE)
    skb compare A B -o OUT.pdf   two assessments (files or stored ids), or two alternatives, side by side
    skb verify-report ID FILE.pdf   is FILE exactly the report stored when ID was adopted?
    skb users                who is known to the installation, and their roles per organisation
    skb grant USER ROLE      give a role (reader, author, reviewer, admin), in one organisation (--org) or all
    skb revoke USER ROLE     take a role away again
    skb self-sign-off allow|forbid   may an author adopt their own assessment (--org; recorded in the audit log)
    skb audit                the audit log, newest first (--assessment ID, --user U)

In a shared installation (SKB_MODE=shared, or a sign-in configured in
.streamlit/secrets.toml) the command line acts as the user named with --as or
SKB_USER, with that user's roles; in local mode as the OS user.
    skb verify ID            recompute the hash chain of ID's history: was it changed outside SKB? (--all)
    skb migrate              upgrade the database as its owner (--grant ROLE: the application's role)
    skb backup -o FILE       a consistent backup of the whole database, taken while people work
    skb restore FILE         restore a backup into an empty database, then upgrade and verify it
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from assessment.answers.model import dump_assessment, new_assessment, parse_assessment
from assessment.checklist.library import load_library, origin_note, reference_for, resolve_checklist
from assessment.checklist.schema import checklist_json_schema
from assessment.checklist.validate import load_checklist, read_checklist_file
from assessment.checklist.yamlio import Limits
from assessment.errors import ChecklistError, Forbidden, SkbError
from assessment.scoring.results import result_json
from assessment.scoring.score_text import score_table
from assessment.scoring.scoring import score
from assessment.store.audit import events, log
from assessment.store.auth import (ALL_ORGS, USER_ENV, Action, Actor, Role, assessment_org, grant, org_key, require,
                                   revoke, roles_of, set_self_sign_off, shared_mode, users, visible_orgs)
from assessment.store.backup import backup, restore
from assessment.store.migrations import grant_app_role, upgrade
from assessment.store.storage import MIGRATION_ENV, _normalise_url, default_url, open_store
from assessment.workflow.portfolio import PortfolioFilters, portfolio, to_csv, to_xlsx
from assessment.workflow.review import verify_report
from reports import render_participant_feedback, render_report, render_report_html
from reports.compare import render_comparison

__all__ = ["main", "build_parser"]

Handler = Callable[[argparse.Namespace], int]


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


# --- validate / schema -----------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:

    failed = 0
    for path in args.paths:
        checklist, problems = read_checklist_file(path)
        for p in problems:
            _err(p.text(args.lang))
        if checklist is None:
            failed += 1
        elif not args.quiet:
            n = len(checklist.criteria())
            _out(f"{path}: ok ({checklist.id} {checklist.version}, {len(checklist.sections)} sections, {n} criteria)")
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:

    _out(json.dumps(checklist_json_schema(), ensure_ascii=False, indent=2))
    return 0


# --- list / export / import (the store) --------------------------------------------


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]

    return open_store(args.db)


def _secrets() -> dict[str, object]:
    """The app's secrets.toml in the working directory, for the one question it answers here:
    is a sign-in configured (then the installation is shared)."""
    import tomllib
    from pathlib import Path

    path = Path(".streamlit") / "secrets.toml"
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _actor(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Who acts: in shared mode the user named by --as or SKB_USER (Forbidden without one); else the OS user."""
    import os


    if shared_mode(_secrets()):
        name = getattr(args, "as_user", None) or os.environ.get(USER_ENV, "")
        if not name.strip():
            raise Forbidden("Installationen är delad: säg vem du är med --as ANVÄNDARE eller SKB_USER.",
                            "The installation is shared: say who you are with --as USER or SKB_USER.")
        return Actor.named(name)
    return Actor.local()


def _author(args: argparse.Namespace) -> str:
    import os

    actor = _actor(args)
    if actor.shared:
        return str(actor.name)  # in a shared installation the history names the user acting, nothing else
    return args.author or os.environ.get("SKB_AUTHOR") or actor.name


def cmd_list(args: argparse.Namespace) -> int:

    actor = _actor(args)
    with _store(args) as store:
        orgs = visible_orgs(store, actor)  # in a shared installation: where the user holds a role
        origins = store.provenances()
        for s in store.list(search=args.search, status=args.status):
            if orgs is not None and org_key(s.municipality) not in orgs:
                continue
            _out(f"{s.id}  {s.status.value:<9}  rev {s.revision:<4}  {s.updated_at:%Y-%m-%d %H:%M}  "
                 f"{s.title}" + (f" ({s.municipality})" if s.municipality else ""))
            if s.id in origins:
                _out(f"    {origins[s.id].describe(args.lang)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:

    actor = _actor(args)
    with _store(args) as store:
        org = assessment_org(store, args.id)
        require(store, actor, Action.READ, org)
        fmt = args.format or ("json" if args.output and args.output.endswith(".json") else "yaml")
        text = store.export(args.id, revision=args.revision, fmt=fmt)
        log(store, actor.name, "export", args.id, org,
            f"{fmt}" + (f", version {args.revision}" if args.revision else "") + f" to {args.output or '-'}")
    if args.output in (None, "-"):
        _out(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:

    limits = Limits()
    try:
        with open(args.file, "rb") as f:
            raw = f.read(limits.max_bytes + 1)  # never more than the limit, however large the file
    except OSError as exc:
        _err(f"skb import: {args.file}: {exc.strerror}")
        return 1

    actor = _actor(args)
    with _store(args) as store:
        if actor.shared:
            # Checked before anything is stored: the file's organisation is where it will belong.
            require(store, actor, Action.EDIT, _claimed_municipality(raw, args.file))
        new_id = store.import_(raw, args.file, _author(args), as_new=args.as_new, limits=limits,
                               adopted_report_sha256=args.adopted_report_sha256)
        provenance = store.load(new_id).assessment.provenance
        org = assessment_org(store, new_id)
        log(store, actor.name, "import", new_id, org, f"from {args.file}"[:200])
    _out(new_id)
    if provenance is not None and provenance.adoption != "none":
        (_out if provenance.adoption == "verified" else _err)(provenance.describe(args.lang))
    return 0


def _claimed_municipality(raw: bytes, source: str) -> str:
    """The municipality an assessment file names: the organisation it will belong to once stored."""

    return parse_assessment(raw, source, Limits(), resolve=resolve_checklist).metadata.municipality


# --- new / score -------------------------------------------------------------------


def _warn_modified(assessment, lang: str) -> str | None:  # type: ignore[no-untyped-def]
    """Say on standard error when the file's checklist is a modified copy of an installed one; return the note."""

    note = origin_note(assessment.checklist, lang)
    if note:
        _err(note)
    return note


def _read_limited(path: str, verb: str) -> bytes | None:

    try:
        with open(path, "rb") as f:
            return f.read(Limits().max_bytes + 1)  # never more than the limit, however large the file
    except OSError as exc:
        _err(f"skb {verb}: {path}: {exc.strerror}")
        return None


def cmd_new(args: argparse.Namespace) -> int:
    import os


    if os.path.exists(args.checklist):
        checklist = load_checklist(args.checklist)
    else:
        found, _ = load_library()
        if args.checklist not in found:
            _err(f'skb new: "{args.checklist}" is neither a checklist file nor an installed checklist '
                 f"(installed: {', '.join(sorted(found)) or 'none'})")
            return 1
        checklist = found[args.checklist]
    if os.path.exists(args.output) and not args.force:
        _err(f"skb new: {args.output} already exists; choose another name or add --force to overwrite it")
        return 1
    assessment = new_assessment(checklist, args.title, municipality=args.municipality or "",
                                plan_type=args.plan_type or "")
    text = dump_assessment(assessment, "json" if args.output.lower().endswith(".json") else "yaml")
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text if text.endswith("\n") else text + "\n")
    _out(f"{args.output}: new assessment {assessment.id} of {checklist.id} {checklist.version}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:

    raw = _read_limited(args.file, "score")
    if raw is None:
        return 1
    assessment = parse_assessment(raw, args.file, resolve=resolve_checklist)
    _warn_modified(assessment, args.lang or assessment.language)
    result = score(assessment, reference=reference_for(assessment.checklist))
    if args.json:

        _out(json.dumps(result_json(result), ensure_ascii=False, indent=2))
    else:

        _out(score_table(assessment, result, args.lang or assessment.language))
    return 0


# --- report ----------------------------------------------------------------------


def cmd_report(args: argparse.Namespace) -> int:
    import io



    limits = Limits()
    try:
        with open(args.file, "rb") as f:
            raw = f.read(limits.max_bytes + 1)
    except OSError as exc:
        _err(f"skb report: {args.file}: {exc.strerror}")
        return 1
    assessment = parse_assessment(raw, args.file, limits, resolve=resolve_checklist)
    note = _warn_modified(assessment, args.lang)

    result = score(assessment, reference=reference_for(assessment.checklist))
    pdf = io.BytesIO()  # built in memory first: a failed build leaves no half-written file
    if args.participants:
        render_participant_feedback(assessment, pdf, lang=args.lang, result=result, children=args.children)
    elif args.format == "html":  # the accessible twin: the same report, as one HTML page
        render_report_html(assessment, pdf, lang=args.lang, result=result, checklist_note=note)
    else:
        render_report(assessment, pdf, lang=args.lang, result=result, checklist_note=note)
    try:
        with open(args.output, "wb") as f:
            f.write(pdf.getvalue())
    except OSError as exc:
        _err(f"skb report: {args.output}: {exc.strerror}")
        return 1
    if not args.quiet:
        _out(f"{args.output}: {len(pdf.getvalue()):,} bytes")
    return 0


# --- portfolio / compare / verify-report ------------------------------------------


def _date(value: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date written YYYY-MM-DD") from None


def _fmt(value: object) -> str:
    import math

    if not isinstance(value, float):
        return str(value)
    return "–" if math.isnan(value) else f"{value:+.0f}".replace("-", "−")


def cmd_portfolio(args: argparse.Namespace) -> int:

    filters = PortfolioFilters(municipality=args.municipality, area=args.area, plan_type=args.plan_type,
                               status=args.status, date_from=args.date_from, date_to=args.date_to,
                               group=args.group, checklist_id=args.checklist)

    actor = _actor(args)
    with _store(args) as store:
        # In a shared installation only the organisations where the user holds a role are counted.
        result = portfolio(store, filters, orgs=visible_orgs(store, actor))
    lang = args.lang
    sv = lang == "sv"
    if args.csv:
        to_csv(result, args.csv)
    if args.xlsx:
        to_xlsx(result, args.xlsx, lang=lang)
    if args.quiet:
        return 0
    _out(f"{result.count} " + ("bedömningar" if sv else "assessments"))

    def table(title: str, frame, kind: str) -> None:  # type: ignore[no-untyped-def]
        if frame.empty:
            return
        _out(f"\n{title}")
        for row in frame.itertuples(index=False):
            name = row.area if kind == "area" else result.label(kind, row.key, lang)
            _out(f"  {name[:48]:<48} {_fmt(row.mean):>5}  (n={row.rated}, +{row.positive} / −{row.negative})")

    table("Målområden (medel)" if sv else "Policy areas (mean)", result.by_policy_area, "dimension")
    table("Grupper (medel)" if sv else "Groups (mean)", result.by_group, "group")
    table("Områden, totalpoäng (medel)" if sv else "Districts, overall score (mean)", result.by_area, "area")
    if args.group:
        label = result.label("group", args.group, lang)
        table((f"{label} per målområde" if sv else f"{label} by policy area"), result.group_by_policy_area,
              "dimension")
    if not result.cumulative.empty:
        followed = result.label("group", args.group, lang) if args.group else ("totalpoäng" if sv else "overall")
        _out("\n" + (f"Kumulativ påverkan ({followed})" if sv else f"Cumulative impact ({followed})"))
        for row in result.cumulative.itertuples(index=False):
            _out(f"  {row.date}  {row.title[:44]:<44} {_fmt(row.value):>5}  Σ {_fmt(row.running_total):>6}")
    return 0


def _side(path_or_id: str, store_url: str | None, limits):  # type: ignore[no-untyped-def]
    import os


    if os.path.exists(path_or_id):
        with open(path_or_id, "rb") as f:
            raw = f.read(limits.max_bytes + 1)
        return parse_assessment(raw, path_or_id, limits, resolve=resolve_checklist)
    with open_store(store_url) as store:
        return store.load(path_or_id).assessment


def cmd_compare(args: argparse.Namespace) -> int:
    import io



    a = _side(args.a, args.db, Limits())
    b = a if args.b in (None, args.a) else _side(args.b, args.db, Limits())
    pdf = io.BytesIO()
    try:
        render_comparison(a, b, pdf, lang=args.lang, alt_a=args.alt_a, alt_b=args.alt_b)
    except ValueError as exc:  # an alternative the assessment does not have
        _err(f"skb compare: {exc}")
        return 1
    try:
        with open(args.output, "wb") as f:
            f.write(pdf.getvalue())
    except OSError as exc:
        _err(f"skb compare: {args.output}: {exc.strerror}")
        return 1
    _out(f"{args.output}: {len(pdf.getvalue()):,} bytes")
    return 0


def cmd_verify_report(args: argparse.Namespace) -> int:

    try:
        with open(args.file, "rb") as f:
            pdf = f.read()
    except OSError as exc:
        _err(f"skb verify-report: {args.file}: {exc.strerror}")
        return 1
    with _store(args) as store:
        verdict = verify_report(store, args.id, pdf)
    (_out if verdict.matches else _err)(verdict.message(args.lang))
    return 0 if verdict.matches else 2


# --- users, roles, rules, the audit log ------------------------------------------


def cmd_users(args: argparse.Namespace) -> int:

    with _store(args) as store:
        people = users(store, _actor(args))
    for u in people:
        held = "; ".join(f"{org}: {', '.join(r.value for r in roles)}" for org, roles in u.roles.items()) or "–"
        seen = f"last signed in {u.last_seen[:16].replace('T', ' ')}" if u.last_seen else "never signed in"
        _out(f"{u.name}  [{held}]  " + (f"{u.display_name}, " if u.display_name else "") + seen)
    return 0


def cmd_grant(args: argparse.Namespace) -> int:

    with _store(args) as store:
        changed = grant(store, _actor(args), args.user, args.role, args.org)
    where = args.org or "*"
    _out(f"{args.user}: {args.role} ({where})" + ("" if changed else " – already held"))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:

    with _store(args) as store:
        changed = revoke(store, _actor(args), args.user, args.role, args.org)
    where = args.org or "*"
    _out(f"{args.user}: {args.role} ({where}) " + ("revoked" if changed else "was not held"))
    return 0 if changed else 1


def cmd_self_sign_off(args: argparse.Namespace) -> int:

    with _store(args) as store:
        set_self_sign_off(store, _actor(args), args.rule == "allow", args.org)
    verdict = "allowed" if args.rule == "allow" else "forbidden"
    _out(f"adopting one's own assessment is now {verdict} in {args.org or 'every organisation'}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:

    actor = _actor(args)
    with _store(args) as store:
        orgs: set[str] | None = None
        if actor.shared:
            admin_of = {org for org, role in roles_of(store, actor) if role == Role.ADMIN}
            if not admin_of:
                raise Forbidden(f"{actor.name} är inte administratör och kan inte läsa granskningsloggen.",
                                f"{actor.name} is not an admin and cannot read the audit log.")
            orgs = None if ALL_ORGS in admin_of else admin_of
        found = events(store, assessment_id=args.assessment, actor=args.user, orgs=orgs, limit=args.limit)
    for e in found:
        _out(f"{e.at.isoformat(timespec='seconds')}  {e.actor}  {e.action}"
             + (f"  {e.assessment_id}" if e.assessment_id else "") + (f"  [{e.org}]" if e.org else "")
             + (f"  {e.detail}" if e.detail else ""))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with _store(args) as store:
        ids = [s.id for s in store.list()] if args.all else [args.id]
        if not args.all and not args.id:
            _err("skb verify: give an assessment id, or --all")
            return 1
        broken = 0
        for assessment_id in ids:
            verdict = store.verify(assessment_id)
            (_out if verdict.intact else _err)(verdict.message(args.lang))
            broken += not verdict.intact
    return 2 if broken else 0


def cmd_migrate(args: argparse.Namespace) -> int:
    import os

    from sqlalchemy import create_engine


    url = _normalise_url(args.db or os.environ.get(MIGRATION_ENV, "").strip() or default_url())
    engine = create_engine(url)
    try:
        done = upgrade(engine)
        _out(("applied: " + ", ".join(done)) if done else "the database is up to date")
        if args.grant:
            grant_app_role(engine, args.grant)
            _out(f"granted reading and writing rows (nothing more) to {args.grant}")
    finally:
        engine.dispose()
    return 0


_SIZE_UNITS = ("B", "kB", "MB", "GB", "TB")


def _size(n: int) -> str:
    value = float(n)
    for unit in _SIZE_UNITS:
        if value < 1000 or unit == _SIZE_UNITS[-1]:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} B"


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path


    try:
        manifest = backup(args.db or default_url(), Path(args.output))
    except SkbError as exc:
        _err(f"skb backup: {exc.message(args.lang)}")
        return 1
    n = manifest.assessments
    if args.lang == "sv":
        _out(f"{args.output}: säkerhetskopia av {n} {'bedömning' if n == 1 else 'bedömningar'} "
             f"({sum(manifest.rows.values())} rader, schema {manifest.schema}, {_size(manifest.size)}), "
             f"tagen {manifest.taken_at.isoformat(timespec='seconds')}")
    else:
        _out(f"{args.output}: backup of {n} {'assessment' if n == 1 else 'assessments'} "
             f"({sum(manifest.rows.values())} rows, schema {manifest.schema}, {_size(manifest.size)}), "
             f"taken {manifest.taken_at.isoformat(timespec='seconds')}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path


    url = args.db or os.environ.get(MIGRATION_ENV, "").strip() or default_url()
    try:
        done = restore(url, Path(args.file), grant=args.grant)
    except SkbError as exc:
        _err(f"skb restore: {exc.message(args.lang)}")
        return 1
    m, sv = done.manifest, args.lang == "sv"
    n = m.assessments
    if sv:
        _out(f"återställde {n} {'bedömning' if n == 1 else 'bedömningar'} ({sum(m.rows.values())} rader) från "
             f"säkerhetskopian tagen {m.taken_at.isoformat(timespec='seconds')} (schema {m.schema})")
        if done.upgraded:
            _out("uppgraderade schemat: " + ", ".join(done.upgraded))
    else:
        _out(f"restored {n} {'assessment' if n == 1 else 'assessments'} ({sum(m.rows.values())} rows) from the "
             f"backup taken {m.taken_at.isoformat(timespec='seconds')} (schema {m.schema})")
        if done.upgraded:
            _out("upgraded the schema: " + ", ".join(done.upgraded))
    broken = [v for v in done.verdicts if not v.intact]
    for verdict in broken:
        _err(verdict.message(args.lang))
    if not broken:
        _out(f"historiken är obruten i alla {len(done.verdicts)} bedömningar (som skb verify --all)" if sv else
             f"the history of each of the {len(done.verdicts)} assessments is intact (as skb verify --all)")
    return 2 if broken else 0


# --- the parser ------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skb",
        description="SKB – social konsekvensbedömning: checklists, assessments, scores and reports.",
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = sub.add_parser("validate", help="check checklist files and report every problem with its line")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("--lang", choices=["en", "sv"], default="en",
                   help="language of the messages where the catalogue has it (default: en)")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the checklist format (for editors)")
    p.set_defaults(handler=cmd_schema)

    db_help = "database URL (default: SKB_DATABASE_URL, else the SQLite file in the data directory)"
    p = sub.add_parser("list", help="list stored assessments, most recently changed first")
    p.add_argument("--search", help="words in the title, municipality, plan type or areas")
    p.add_argument("--status", choices=["draft", "in_review", "adopted"])
    p.add_argument("--as", dest="as_user", metavar="USER", help="in a shared installation, the user acting "
                                                                "(default: SKB_USER)")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="language of the provenance lines")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("export", help="write a stored assessment, with its checklist snapshot, to a file")
    p.add_argument("id")
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: standard output)")
    p.add_argument("--format", choices=["yaml", "json"], help="default: from the file name, else yaml")
    p.add_argument("--revision", type=int, help="an earlier version (default: the latest)")
    p.add_argument("--as", dest="as_user", metavar="USER", help="in a shared installation, the user acting "
                                                                "(default: SKB_USER)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", help="store an assessment file; never overwrites an existing assessment")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as-new", action="store_true", help="import as a copy with a new id if the id is taken")
    p.add_argument("--author", help="who is importing, in local mode (default: SKB_AUTHOR, else your user name)")
    p.add_argument("--as", dest="as_user", metavar="USER", help="in a shared installation, the user acting "
                                                                "(default: SKB_USER)")
    p.add_argument("--adopted-report-sha256", metavar="HEX",
                   help="the SHA-256 of the adopted report, known from outside the file (the decision record); "
                        "an adopted file verifies only against it")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="language of messages (default: sv)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("new", help="write an empty assessment of a checklist, ready to fill in")
    p.add_argument("checklist", metavar="CHECKLIST", help="a checklist file, or the id of an installed checklist")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write: YAML, or JSON if it ends .json")
    p.add_argument("--title", required=True, help="what is assessed, e.g. Detaljplan för kvarteret Ängen")
    p.add_argument("--municipality", help="kommun or region")
    p.add_argument("--plan-type", help="e.g. detaljplan, bygglov, budget, policy")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("score", help="score an assessment file: a table to read, or JSON for other programs")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--lang", choices=["sv", "en"], help="language of the table (default: the assessment's)")
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser("report", help="write the PDF report of an assessment file (or its accessible HTML twin)")
    p.add_argument("file", metavar="FILE", help="an assessment file (YAML or JSON)")
    p.add_argument("-o", "--output", metavar="OUT.pdf", required=True, help="the PDF (or HTML) to write")
    p.add_argument("--format", choices=["pdf", "html"], default="pdf",
                   help="pdf (default) or html: the same report as one accessible HTML page")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="the report's language (default: sv)")
    p.add_argument("--participants", action="store_true",
                   help="write the short plain-language feedback letter for participants instead")
    p.add_argument("--children", action="store_true",
                   help="with --participants: the letter for children and young people aged 10-17")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("portfolio", help="aggregate the stored assessments: policy areas, groups, districts, "
                                         "and the cumulative impact on one group")
    p.add_argument("--municipality", help="only this municipality or region (whole name, any case)")
    p.add_argument("--area", help="only assessments of this district or neighbourhood")
    p.add_argument("--group", help="follow this group (its concept, e.g. children, else checklist:group): "
                        "its score per decision and in sum")
    p.add_argument("--plan-type", help="only this plan type, e.g. detaljplan")
    p.add_argument("--status", choices=["draft", "in_review", "adopted"])
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="from this date (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="up to this date (YYYY-MM-DD)")
    p.add_argument("--checklist", help="only assessments of this checklist id")
    p.add_argument("--csv", metavar="FILE", help="write the assessments, one row each, as CSV")
    p.add_argument("--xlsx", metavar="FILE", help="write every table as a sheet of an Excel workbook")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="language of labels (default: sv)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing (with --csv or --xlsx)")
    p.add_argument("--as", dest="as_user", metavar="USER", help="in a shared installation, the user acting "
                                                                "(default: SKB_USER); only the organisations "
                                                                "where they hold a role are counted")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_portfolio)

    p = sub.add_parser("compare", help="a PDF of two assessments, or two alternatives of one, side by side")
    p.add_argument("a", metavar="A", help="an assessment file, or the id of a stored assessment")
    p.add_argument("b", metavar="B", nargs="?", help="the other (default: A again, to compare alternatives)")
    p.add_argument("-o", "--output", metavar="OUT.pdf", required=True, help="the PDF to write")
    p.add_argument("--alt-a", help="the alternative of A (default: its proposal)")
    p.add_argument("--alt-b", help="the alternative of B (default: its proposal)")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="the language (default: sv)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_compare)

    p = sub.add_parser("verify-report", help="check that a PDF is exactly the report stored when an assessment "
                                             "was adopted (exit 2 if not)")
    p.add_argument("id", metavar="ID")
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="language of the message (default: sv)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_verify_report)

    as_help = "in a shared installation, the user acting (default: SKB_USER); ignored in local mode"
    org_help = "the organisation (municipality or region, any case); default: every organisation"
    p = sub.add_parser("users", help="list the people the installation knows and their roles (admins only)")
    p.add_argument("--as", dest="as_user", metavar="USER", help=as_help)
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_users)

    for verb, handler, text in (("grant", cmd_grant, "give a user a role (admins only; the first admin by anyone)"),
                                ("revoke", cmd_revoke, "take a role from a user (admins only)")):
        p = sub.add_parser(verb, help=text)
        p.add_argument("user", metavar="USER", help="the name roles are granted to: usually the e-mail address")
        p.add_argument("role", metavar="ROLE", choices=["reader", "author", "reviewer", "admin"],
                       help="reader, author, reviewer or admin")
        p.add_argument("--org", help=org_help)
        p.add_argument("--as", dest="as_user", metavar="USER", help=as_help)
        p.add_argument("--db", help=db_help)
        p.set_defaults(handler=handler)

    p = sub.add_parser("self-sign-off", help="allow or forbid authors to adopt their own assessments "
                                             "(forbidden by default; recorded in the audit log)")
    p.add_argument("rule", choices=["allow", "forbid"])
    p.add_argument("--org", help=org_help)
    p.add_argument("--as", dest="as_user", metavar="USER", help=as_help)
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_self_sign_off)

    p = sub.add_parser("audit", help="print the audit log, newest first (admins only)")
    p.add_argument("--assessment", metavar="ID", help="only events of this assessment")
    p.add_argument("--user", metavar="USER", help="only events of this user")
    p.add_argument("--limit", type=int, default=200, help="at most this many events (default: 200)")
    p.add_argument("--as", dest="as_user", metavar="USER", help=as_help)
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_audit)
    p = sub.add_parser("verify", help="recompute the hash chain of an assessment's history and say what was "
                                      "changed outside SKB (exit 2 if anything was)")
    p.add_argument("id", metavar="ID", nargs="?")
    p.add_argument("--all", action="store_true", help="every stored assessment")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="language of the message (default: sv)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser("migrate", help="upgrade the database schema, as the database's owner")
    p.add_argument("--db", help="the owner's database URL (default: SKB_MIGRATION_DATABASE_URL, else as for "
                                "the other verbs)")
    p.add_argument("--grant", metavar="ROLE", help="PostgreSQL: let ROLE (the application's) read and write rows, "
                                                   "and nothing more")
    p.set_defaults(handler=cmd_migrate)

    p = sub.add_parser("backup", help="write a consistent backup of the whole database while people work")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the backup file to write")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="language of the message (default: sv)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty database, then upgrade and verify it "
                                       "(exit 2 if a history does not verify)")
    p.add_argument("file", metavar="FILE", help="a file written by skb backup")
    p.add_argument("--grant", metavar="ROLE", help="PostgreSQL: let ROLE (the application's) read and write rows, "
                                                   "and nothing more")
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help="language of the messages (default: sv)")
    p.add_argument("--db", help="the empty database to restore into, as its owner (default: "
                                "SKB_MIGRATION_DATABASE_URL, else as for the other verbs)")
    p.set_defaults(handler=cmd_restore)

    return parser


def _cli_lang() -> str:
    """The language of refusals: SKB_LANG, else the locale's (sv for Swedish), else English."""
    import os

    chosen = os.environ.get("SKB_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "sv" if chosen.lower().startswith("sv") else "en"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except Forbidden as exc:
        _err(f"skb {args.verb}: {exc.message(_cli_lang())}")
        return 1
    except ChecklistError as exc:  # every problem, located, in the person's language
        _err(f"skb {args.verb}: {exc.message(_cli_lang())}")
        return 1
    except SkbError as exc:
        _err(f"skb {args.verb}: {exc}")
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
