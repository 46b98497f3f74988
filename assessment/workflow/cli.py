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
import os
import sys
from collections.abc import Callable, Sequence

from assessment.answers.model import dump_assessment, new_assessment, parse_assessment
from assessment.catalogue import LANGUAGES, plural
from assessment.catalogue import text as msg
from assessment.checklist.library import load_library, origin_note, reference_for, resolve_checklist
from assessment.checklist.schema import checklist_json_schema
from assessment.checklist.validate import load_checklist, read_checklist_file
from assessment.checklist.yamlio import Limits
from assessment.errors import Forbidden, Number, SkbError
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
            _err(p.text(_lang(args)))
        if checklist is None:
            failed += 1
        elif not args.quiet:
            lang = _lang(args)
            _out(msg(lang, "cli.validate_ok", path=path, id=checklist.id, version=checklist.version,
                      sections=plural(lang, "cli.sections", len(checklist.sections)),
                      criteria=plural(lang, "cli.criteria", len(checklist.criteria()))))
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
    if shared_mode(_secrets()):
        name = getattr(args, "as_user", None) or os.environ.get(USER_ENV, "")
        if not name.strip():
            raise Forbidden("shared_needs_user")
        return Actor.named(name)
    return Actor.local()


def _author(args: argparse.Namespace) -> str:
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
                _out(f"    {origins[s.id].describe(_lang(args))}")
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
        (_out if provenance.adoption == "verified" else _err)(provenance.describe(_lang(args)))
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
    if os.path.exists(args.checklist):
        checklist = load_checklist(args.checklist)
    else:
        found, _ = load_library()
        if args.checklist not in found:
            lang = _lang(args)
            _err("skb new: " + msg(lang, "cli.new_unknown_checklist", checklist=args.checklist,
                                    installed=", ".join(sorted(found)) or msg(lang, "cli.none")))
            return 1
        checklist = found[args.checklist]
    if os.path.exists(args.output) and not args.force:
        _err("skb new: " + msg(_lang(args), "cli.new_exists", path=args.output))
        return 1
    assessment = new_assessment(checklist, args.title, municipality=args.municipality or "",
                                plan_type=args.plan_type or "")
    text = dump_assessment(assessment, "json" if args.output.lower().endswith(".json") else "yaml")
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text if text.endswith("\n") else text + "\n")
    _out(msg(_lang(args), "cli.new_written", path=args.output, id=assessment.id, checklist=checklist.id,
              version=checklist.version))
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
    lang = _lang(args)
    note = _warn_modified(assessment, lang)

    result = score(assessment, reference=reference_for(assessment.checklist))
    pdf = io.BytesIO()  # built in memory first: a failed build leaves no half-written file
    if args.participants:
        render_participant_feedback(assessment, pdf, lang=lang, result=result, children=args.children)
    elif args.format == "html":  # the accessible twin: the same report, as one HTML page
        render_report_html(assessment, pdf, lang=lang, result=result, checklist_note=note)
    else:
        render_report(assessment, pdf, lang=lang, result=result, checklist_note=note)
    try:
        with open(args.output, "wb") as f:
            f.write(pdf.getvalue())
    except OSError as exc:
        _err(f"skb report: {args.output}: {exc.strerror}")
        return 1
    if not args.quiet:
        _out(_written(lang, args.output, len(pdf.getvalue())))
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
    lang = _lang(args)
    if args.csv:
        to_csv(result, args.csv)
    if args.xlsx:
        to_xlsx(result, args.xlsx, lang=lang)
    if args.quiet:
        return 0
    _out(plural(lang, "cli.assessments", result.count))

    def table(title: str, frame, kind: str) -> None:  # type: ignore[no-untyped-def]
        if frame.empty:
            return
        _out(f"\n{title}")
        for row in frame.itertuples(index=False):
            name = row.area if kind == "area" else result.label(kind, row.key, lang)
            _out(f"  {name[:48]:<48} {_fmt(row.mean):>5}  (n={row.rated}, +{row.positive} / −{row.negative})")

    table(msg(lang, "cli.portfolio_policy_areas"), result.by_policy_area, "dimension")
    table(msg(lang, "cli.portfolio_groups"), result.by_group, "group")
    table(msg(lang, "cli.portfolio_districts"), result.by_area, "area")
    if args.group:
        label = result.label("group", args.group, lang)
        table(msg(lang, "cli.portfolio_group_by_policy_area", group=label), result.group_by_policy_area,
              "dimension")
    if not result.cumulative.empty:
        followed = result.label("group", args.group, lang) if args.group else msg(lang, "cli.portfolio_overall")
        _out("\n" + msg(lang, "cli.portfolio_cumulative", followed=followed))
        for row in result.cumulative.itertuples(index=False):
            _out(f"  {row.date}  {row.title[:44]:<44} {_fmt(row.value):>5}  Σ {_fmt(row.running_total):>6}")
    return 0


def _side(path_or_id: str, store_url: str | None, limits):  # type: ignore[no-untyped-def]
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
        render_comparison(a, b, pdf, lang=_lang(args), alt_a=args.alt_a, alt_b=args.alt_b)
    except ValueError as exc:  # an alternative the assessment does not have
        _err(f"skb compare: {exc}")
        return 1
    try:
        with open(args.output, "wb") as f:
            f.write(pdf.getvalue())
    except OSError as exc:
        _err(f"skb compare: {args.output}: {exc.strerror}")
        return 1
    _out(_written(_lang(args), args.output, len(pdf.getvalue())))
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
    (_out if verdict.matches else _err)(verdict.message(_lang(args)))
    return 0 if verdict.matches else 2


# --- users, roles, rules, the audit log ------------------------------------------


def cmd_users(args: argparse.Namespace) -> int:

    with _store(args) as store:
        people = users(store, _actor(args))
    lang = _lang(args)
    for u in people:
        held = "; ".join(f"{org}: {', '.join(r.value for r in roles)}" for org, roles in u.roles.items()) or "–"
        seen = (msg(lang, "cli.last_signed_in", when=u.last_seen[:16].replace("T", " ")) if u.last_seen else
                msg(lang, "cli.never_signed_in"))
        _out(f"{u.name}  [{held}]  " + (f"{u.display_name}, " if u.display_name else "") + seen)
    return 0


def cmd_grant(args: argparse.Namespace) -> int:

    with _store(args) as store:
        changed = grant(store, _actor(args), args.user, args.role, args.org)
    where = args.org or "*"
    _out(f"{args.user}: {args.role} ({where})" + ("" if changed else msg(_lang(args), "cli.already_held")))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:

    with _store(args) as store:
        changed = revoke(store, _actor(args), args.user, args.role, args.org)
    where = args.org or "*"
    _out(f"{args.user}: {args.role} ({where}) " + msg(_lang(args), "cli.revoked" if changed else "cli.not_held"))
    return 0 if changed else 1


def cmd_self_sign_off(args: argparse.Namespace) -> int:

    with _store(args) as store:
        set_self_sign_off(store, _actor(args), args.rule == "allow", args.org)
    lang = _lang(args)
    _out(msg(lang, "cli.self_sign_off_allowed" if args.rule == "allow" else "cli.self_sign_off_forbidden",
              org=args.org or msg(lang, "store.every_org")))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:

    actor = _actor(args)
    with _store(args) as store:
        orgs: set[str] | None = None
        if actor.shared:
            admin_of = {org for org, role in roles_of(store, actor) if role == Role.ADMIN}
            if not admin_of:
                raise Forbidden("not_admin_audit", who=actor.name)
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
            _err("skb verify: " + msg(_lang(args), "cli.verify_what"))
            return 1
        broken = 0
        for assessment_id in ids:
            verdict = store.verify(assessment_id)
            (_out if verdict.intact else _err)(verdict.message(_lang(args)))
            broken += not verdict.intact
    return 2 if broken else 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from sqlalchemy import create_engine


    url = _normalise_url(args.db or os.environ.get(MIGRATION_ENV, "").strip() or default_url())
    engine = create_engine(url)
    try:
        lang = _lang(args)
        done = upgrade(engine)
        _out(msg(lang, "cli.migrated", applied=", ".join(done)) if done else msg(lang, "cli.up_to_date"))
        if args.grant:
            grant_app_role(engine, args.grant)
            _out(msg(lang, "cli.granted_rows", role=args.grant))
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


    lang = _lang(args)
    try:
        manifest = backup(args.db or default_url(), Path(args.output))
    except SkbError as exc:
        _err(f"skb backup: {exc.message(lang)}")
        return 1
    _out(msg(lang, "cli.backup_written", path=args.output,
              assessments=plural(lang, "store.assessments_count", manifest.assessments),
              rows=sum(manifest.rows.values()), schema=manifest.schema, size=_size(manifest.size),
              taken=manifest.taken_at.isoformat(timespec="seconds")))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path


    url = args.db or os.environ.get(MIGRATION_ENV, "").strip() or default_url()
    lang = _lang(args)
    try:
        done = restore(url, Path(args.file), grant=args.grant)
    except SkbError as exc:
        _err(f"skb restore: {exc.message(lang)}")
        return 1
    m = done.manifest
    _out(msg(lang, "cli.restored", assessments=plural(lang, "store.assessments_count", m.assessments),
              rows=sum(m.rows.values()), taken=m.taken_at.isoformat(timespec="seconds"), schema=m.schema))
    if done.upgraded:
        _out(msg(lang, "cli.upgraded_schema", applied=", ".join(done.upgraded)))
    broken = [v for v in done.verdicts if not v.intact]
    for verdict in broken:
        _err(verdict.message(lang))
    if not broken:
        _out(plural(lang, "cli.restored_intact", len(done.verdicts)))
    return 2 if broken else 0


# --- the parser ------------------------------------------------------------------


HELP_LANGUAGE = "en"  # the help is English, as argparse's own words are; the texts naming Swedish things are
# in the catalogue in both languages


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skb",
        description=msg(HELP_LANGUAGE, "cli.description"),
        epilog="Messages and errors are printed in the language of --lang where a verb has it, else in SKB_LANG "
               "(sv or en), else in the verb's default: sv for a verb that writes a report or a table, for the "
               "others the locale's language (Swedish, or else English).",
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = sub.add_parser("validate", help="check checklist files and report every problem with its line")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    _lang_option(p, "language of the messages", "en")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the checklist format (for editors)")
    p.set_defaults(handler=cmd_schema)

    db_help = "database URL (default: SKB_DATABASE_URL, else the SQLite file in the data directory)"
    p = sub.add_parser("list", help="list stored assessments, most recently changed first")
    p.add_argument("--search", help="words in the title, municipality, plan type or areas")
    p.add_argument("--status", choices=["draft", "in_review", "adopted"])
    p.add_argument("--as", dest="as_user", metavar="USER", help="in a shared installation, the user acting "
                                                                "(default: SKB_USER)")
    _lang_option(p, "language of the provenance lines and messages", "sv")
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
    _lang_option(p, "language of messages", "sv")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("new", help="write an empty assessment of a checklist, ready to fill in")
    p.add_argument("checklist", metavar="CHECKLIST", help="a checklist file, or the id of an installed checklist")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write: YAML, or JSON if it ends .json")
    p.add_argument("--title", required=True, help=msg(HELP_LANGUAGE, "cli.help_title"))
    p.add_argument("--municipality", help=msg(HELP_LANGUAGE, "cli.help_municipality"))
    p.add_argument("--plan-type", help="e.g. detaljplan, bygglov, budget, policy")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("score", help="score an assessment file: a table to read, or JSON for other programs")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--lang", choices=["sv", "en"], help="language of the table (default: the assessment's) and of messages "
                                                         "(default: SKB_LANG, else the locale's)")
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser("report", help="write the PDF report of an assessment file (or its accessible HTML twin)")
    p.add_argument("file", metavar="FILE", help="an assessment file (YAML or JSON)")
    p.add_argument("-o", "--output", metavar="OUT.pdf", required=True, help="the PDF (or HTML) to write")
    p.add_argument("--format", choices=["pdf", "html"], default="pdf",
                   help="pdf (default) or html: the same report as one accessible HTML page")
    _lang_option(p, "the report's language, and the messages'", "sv")
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
    _lang_option(p, "language of labels and messages", "sv")
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
    _lang_option(p, "the language", "sv")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_compare)

    p = sub.add_parser("verify-report", help="check that a PDF is exactly the report stored when an assessment "
                                             "was adopted (exit 2 if not)")
    p.add_argument("id", metavar="ID")
    p.add_argument("file", metavar="FILE.pdf")
    _lang_option(p, "language of the message", "sv")
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
    _lang_option(p, "language of the message", "sv")
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
    _lang_option(p, "language of the message", "sv")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty database, then upgrade and verify it "
                                       "(exit 2 if a history does not verify)")
    p.add_argument("file", metavar="FILE", help="a file written by skb backup")
    p.add_argument("--grant", metavar="ROLE", help="PostgreSQL: let ROLE (the application's) read and write rows, "
                                                   "and nothing more")
    _lang_option(p, "language of the messages", "sv")
    p.add_argument("--db", help="the empty database to restore into, as its owner (default: "
                                "SKB_MIGRATION_DATABASE_URL, else as for the other verbs)")
    p.set_defaults(handler=cmd_restore)

    return parser


LANG_ENV = "SKB_LANG"


def _lang_option(p: argparse.ArgumentParser, what: str, default: str) -> None:
    """The verb's --lang, for `what`; without it SKB_LANG decides, else `default` (see `_lang`)."""
    p.add_argument("--lang", choices=list(LANGUAGES), help=f"{what} (default: {LANG_ENV}, else {default})")
    p.set_defaults(lang_default=default)


def _lang(args: argparse.Namespace) -> str:
    """The language of what a verb prints, its messages and errors included: --lang when given, else SKB_LANG,
    else the verb's own default (sv for a verb that writes a report or table; for a verb without --lang the
    locale's language, Swedish or else English)."""
    chosen = getattr(args, "lang", None) or os.environ.get(LANG_ENV) or getattr(args, "lang_default", None)
    if not chosen:
        chosen = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "sv" if chosen.lower().startswith("sv") else "en"


def _written(lang: str, path: str, size: int) -> str:
    return msg(lang, "cli.written", path=path, size=Number(size).text(lang))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except SkbError as exc:  # the user's to act on: said in their language, without a traceback
        _err(f"skb {args.verb}: {exc.message(_lang(args))}")
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
