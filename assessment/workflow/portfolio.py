"""The portfolio (portfölj): all assessments together, filtered, aggregated, and followed over time.

No single decision shows the cumulative impact of many decisions on one
district or one group; the portfolio does. Each stored assessment's headline
scores are kept denormalized in the `scores` table (one row per figure: the
overall score, each section, each framework item, each group, each group on
each policy area, the equity gap), with what the filters need in
`score_heads` and `score_areas`. The rows are derived data, rebuilt lazily and
without any background job: `refresh_scores` rescores exactly the assessments
whose stored revision differs from their current one, and `portfolio` calls it
first, so autosave stays as cheap as it was. Aggregation is done in SQL, the
same statements on SQLite and PostgreSQL. The headline of each assessment is
its primary alternative (the proposal), as in its report.

This module returns plain data (pandas frames) and writes files only in
`to_csv` / `to_xlsx`; it must not import streamlit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from assessment.answers.model import Assessment, Status
from assessment.catalogue import text as msg
from assessment.checklist.checklist import Checklist, text_for
from assessment.scoring.results import Result
from assessment.scoring.scoring import score
from assessment.store import portfolio as portfolio_sql
from assessment.store.storage import Store

__all__ = [
    "group_key",
    "PortfolioFilters",
    "PortfolioResult",
    "score_rows",
    "head_row",
    "area_rows",
    "write_rows",
    "refresh_scores",
    "portfolio",
    "choices",
    "group_labels",
    "to_csv",
    "to_xlsx",
]

_REFRESH_BATCH = 200  # assessments rescored per write transaction
_ANALYZE_AFTER = 1000  # rescored assessments after which PostgreSQL's statistics are renewed


@dataclass(frozen=True)
class PortfolioFilters:
    """Which assessments to include. Text filters match whole values, ignoring case (å, ä, ö folded too).

    `municipality` matches the municipality or region field; `area` one of the
    assessment's areas (district, neighbourhood); `group` chooses the group whose
    cumulative impact is followed; dates bound the assessment's date (adopted,
    else decision date, else created)."""

    municipality: str | None = None
    area: str | None = None
    plan_type: str | None = None
    status: Status | str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    group: str | None = None
    checklist_id: str | None = None


@dataclass(frozen=True)
class PortfolioResult:
    """The aggregated portfolio.

    - `assessments`: one row per assessment (id, title, municipality, plan type,
      status, date, areas, overall score and coverage, equity gap change, and the
      chosen group's score when a group is filtered);
    - `by_policy_area`: mean, min, max and count of the headline score per policy area;
    - `by_group`: the same per affected group;
    - `by_area`: the same for the overall score per district or neighbourhood;
    - `group_by_policy_area`: the chosen group's score per policy area (empty without a group);
    - `cumulative`: the decisions in date order with the followed score (the chosen
      group's, else the overall) and its running sum: the cumulative impact.
    Scores are on -100..+100 per decision; `None`/NaN where nothing was rated."""

    filters: PortfolioFilters
    assessments: pd.DataFrame
    by_policy_area: pd.DataFrame
    by_group: pd.DataFrame
    by_area: pd.DataFrame
    group_by_policy_area: pd.DataFrame
    cumulative: pd.DataFrame
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # "kind:key" -> {sv, en}

    @property
    def count(self) -> int:
        return len(self.assessments)

    def label(self, kind: str, key: str, lang: str = "sv") -> str:
        names = self.labels.get(f"{kind}:{key}")
        return (names.get(lang) or names.get("sv") or key) if names else key


# --- the rows kept per assessment ---------------------------------------------------------


def _fold(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def _policy_framework(checklist: Checklist) -> str | None:
    """The id of the framework the checklist marks `policy_areas: true`; None when it marks none."""
    f = checklist.policy_framework()
    return f.id if f is not None else None


def group_key(checklist: Checklist, group_id: str) -> str:
    """The key the portfolio adds a group up by: the concept it declares (the same people in any checklist),
    else the group as its own checklist means it, `checklist:group`. Two checklists' groups that merely share
    an id ("funktion": disabled people in one, disabled children in another) are never added together."""
    group = next((g for g in checklist.groups if g.id == group_id), None)
    if group is not None and group.concept is not None:
        return group.concept
    return f"{checklist.id}:{group_id}"  # ":" is never in an id, so this is never a concept


def _dated(a: Assessment) -> dt.date:
    m = a.metadata
    return m.adopted_at or m.decision_date or m.created


def head_row(a: Assessment, revision: int, result: Result) -> dict[str, Any]:
    """What the filters read about one assessment (a row of `score_heads`)."""
    m = a.metadata
    headline = result.alternatives[result.primary]
    return {"assessment_id": a.id, "revision": revision, "primary_alt": result.primary, "title": m.title,
            "municipality_key": _fold(m.municipality), "plan_type_key": _fold(m.plan_type),
            "plan_type": m.plan_type, "dated": _dated(a).isoformat(), "checklist_id": a.checklist.id,
            "overall": headline.overall.value, "coverage": headline.overall.coverage,
            "gap_change": headline.equity.gap_change}


def score_rows(a: Assessment, revision: int, result: Result) -> list[dict[str, Any]]:
    """The headline figures of every alternative, as rows of the `scores` table."""
    policy = _policy_framework(a.checklist)
    keys = {g.id: group_key(a.checklist, g.id) for g in a.checklist.groups}
    rows: list[dict[str, Any]] = []

    def add(alt: str, kind: str, value: float | None, coverage: float | None = None, framework: str = "",
            key: str = "", grp: str = "") -> None:
        rows.append({"assessment_id": a.id, "revision": revision, "alternative": alt, "kind": kind,
                     "framework": framework, "dim_key": key, "grp": grp, "value": value, "coverage": coverage})

    for alt, r in result.alternatives.items():
        add(alt, "overall", r.overall.value, r.overall.coverage)
        for sid, s in r.sections.items():
            add(alt, "section", s.value, s.coverage, key=sid)
        for fid, items in r.dimensions.items():
            for iid, s in items.items():
                add(alt, "dimension", s.value, s.coverage, framework=fid, key=iid)
                if fid == policy:  # the policy areas, by the checklist's mark: what the portfolio aggregates
                    add(alt, "policy_area", s.value, s.coverage, framework=fid, key=iid)
        for gid, s in r.groups.items():
            add(alt, "group", s.value, s.coverage, grp=keys[gid])
        if policy is not None:
            for gid, items in r.group_dimensions.get(policy, {}).items():
                for iid, value in items.items():
                    add(alt, "group_dimension", value, None, framework=policy, key=iid, grp=keys[gid])
        add(alt, "equity", r.equity.gap_change)
    return rows


def _label_rows(checklist: Checklist) -> list[dict[str, Any]]:
    c = checklist

    def names(t: Any) -> dict[str, str]:
        return {"label_sv": text_for(t, "sv", c.default_language), "label_en": text_for(t, "en", c.default_language)}

    rows = [{"kind": "section", "framework": "", "dim_key": s.id, **names(s.title)} for s in c.sections]
    rows += [{"kind": "dimension", "framework": f.id, "dim_key": i.id, **names(i.title)}
             for f in c.frameworks for i in f.items]
    rows += [{"kind": "group", "framework": "", "dim_key": group_key(c, g.id), **names(g.label)}
             for g in c.rated_groups()]
    return rows


# --- keeping the rows fresh -----------------------------------------------------------------


def _stale(conn: Connection) -> list[str]:
    return portfolio_sql.stale(conn)


def _chunks(items: list[str], n: int) -> Iterator[list[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def write_rows(conn: Connection, heads: Iterable[dict[str, Any]], scores: Iterable[dict[str, Any]],
               areas: Iterable[dict[str, Any]], labels: Iterable[dict[str, Any]]) -> None:
    """Replace the derived rows of the assessments in `heads` (one transaction, the caller's)."""
    portfolio_sql.replace_rows(conn, list(heads), list(scores), list(areas), list(labels))


def area_rows(a: Assessment) -> list[dict[str, Any]]:
    """The assessment's areas as rows of `score_areas`, each once however it is spelled."""
    seen: dict[str, str] = {}
    for area in a.metadata.areas:
        if _fold(area):
            seen.setdefault(_fold(area), area.strip())
    return [{"assessment_id": a.id, "area_key": k, "area": v} for k, v in seen.items()]


def refresh_scores(store: Store) -> int:
    """Rescore every assessment whose stored scores are missing or older than its latest version.

    Returns how many were rescored. Safe to run from several sessions at once:
    each batch replaces its assessments' rows in one transaction."""
    with store.reading() as conn:
        stale = _stale(conn)
    done = 0
    for batch in _chunks(stale, _REFRESH_BATCH):
        heads, scores, areas, labels = [], [], [], {}
        for assessment_id in batch:
            try:
                stored = store.load(assessment_id)
            except Exception:  # deleted since listed; the next refresh will not see it
                continue
            a = stored.assessment
            result = score(a)
            heads.append(head_row(a, stored.revision, result))
            scores.extend(score_rows(a, stored.revision, result))
            areas.extend(area_rows(a))
            for row in _label_rows(a.checklist):
                labels.setdefault((row["kind"], row["framework"], row["dim_key"]), row)
        with store.writing() as conn:
            write_rows(conn, heads, scores, areas, labels.values())
        done += len(heads)
    if done >= _ANALYZE_AFTER and store.dialect == "postgresql":
        # Fresh statistics, or PostgreSQL plans the aggregation for a handful of
        # rows until autovacuum catches up, and a second becomes many.
        with store.writing() as conn:
            portfolio_sql.analyze(conn)
    return done


# --- aggregating -----------------------------------------------------------------------------


def _selection(f: PortfolioFilters, orgs: set[str] | None = None) -> portfolio_sql.Selection:
    """The filters as the store takes them: text folded as the stored keys are (å, ä, ö, case, spaces)."""
    return portfolio_sql.Selection(
        municipality_key=_fold(f.municipality), plan_type_key=_fold(f.plan_type),
        status=str(Status(f.status)) if f.status else "", date_from=f.date_from, date_to=f.date_to,
        checklist_id=f.checklist_id or "", area_key=_fold(f.area),
        orgs=frozenset(orgs) if orgs is not None else None)


_STAT_COLUMNS = ["mean", "lowest", "highest", "rated", "positive", "negative"]


def _frame(rows: list[Any], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for c in ("mean", "lowest", "highest", "overall", "coverage", "gap_change", "value", "group_score"):
        if c in frame:
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    for c in ("rated", "positive", "negative"):
        if c in frame:
            frame[c] = frame[c].fillna(0).astype(int)
    return frame


def _stats(frame: pd.DataFrame, by: list[str], value: str = "value") -> pd.DataFrame:
    """Mean, lowest, highest and counts of `value` per `by`, as the SQL aggregates give them."""
    if frame.empty:
        return pd.DataFrame(columns=[*by, *_STAT_COLUMNS])
    v = frame[value]
    work = frame.assign(_pos=(v > 0).astype(int), _neg=(v < 0).astype(int))
    out = work.groupby(by, sort=True, dropna=False).agg(
        mean=(value, "mean"), lowest=(value, "min"), highest=(value, "max"), rated=(value, "count"),
        positive=("_pos", "sum"), negative=("_neg", "sum")).reset_index()
    return out


def portfolio(store: Store, filters: PortfolioFilters | None = None, refresh: bool = True,
              orgs: set[str] | None = None) -> PortfolioResult:
    """The portfolio of the assessments that pass `filters`, aggregated in the database.

    `orgs` keeps only the assessments of those organisations (`auth.visible_orgs`: where the
    person holds a role); None is every organisation (local mode, or a role in every one).

    Rescores stale assessments first unless `refresh` is False. The headline
    of each assessment is read from `score_heads`; one pass over the scores
    aggregates every policy area and group (and the followed group on each
    policy area) at once, seeking each chosen assessment's figures in the
    covering index `scores_lookup`."""
    f = filters or PortfolioFilters()
    if refresh:
        refresh_scores(store)
    chosen = _selection(f, orgs)
    group = f.group or ""
    with store.reading() as conn:
        rows = portfolio_sql.listing(conn, chosen, group)
        aggregates = portfolio_sql.aggregates(conn, chosen, group)
        area_names = portfolio_sql.area_names(conn, chosen)
        labels = {f"{r.kind}:{r.dim_key}": {"sv": r.label_sv, "en": r.label_en} for r in portfolio_sql.labels(conn)}

    listing = _frame(rows, ["id", "title", "municipality", "plan_type", "status", "date", "overall", "coverage",
                            "gap_change", "group_score"])
    by_id: dict[str, list[str]] = {}
    for r in area_names:
        by_id.setdefault(r.assessment_id, []).append(r.area)
    # From the rows, not the frame: iterating a frame's string column costs more than the query.
    listing.insert(4, "areas", [", ".join(by_id.get(r[0], [])) for r in rows])
    # Per district: each assessment's overall score counted once in each of its areas.
    overall = {r[0]: r[6] for r in rows}
    names: dict[str, str] = {}
    for r in area_names:
        names.setdefault(r.area_key, r.area)
    per_area = pd.DataFrame([(r.area_key, overall.get(r.assessment_id)) for r in area_names],
                            columns=["key", "value"]).astype({"value": float})
    by_area = _stats(per_area.dropna(subset=["value"]), ["key"])
    by_area.insert(1, "area", [names[k] for k in by_area["key"]])
    if not group:
        listing = listing.drop(columns=["group_score"])

    agg = _frame(aggregates, ["kind", "framework", "key", "grp", *_STAT_COLUMNS])
    by_policy = agg[agg["kind"] == "policy_area"].drop(columns=["kind", "grp"]).reset_index(drop=True)
    by_group = agg[agg["kind"] == "group"].drop(columns=["kind", "framework", "key"]) \
        .rename(columns={"grp": "key"}).reset_index(drop=True)
    group_policy = agg[(agg["kind"] == "group_dimension") & (agg["grp"] == group)] \
        .drop(columns=["kind", "framework", "grp"]).reset_index(drop=True) if group else \
        pd.DataFrame(columns=["key", *_STAT_COLUMNS])

    followed = "group_score" if group else "overall"
    cumulative = listing[["id", "title", "date", followed]].rename(columns={followed: "value"})
    cumulative = cumulative.dropna(subset=["value"]).reset_index(drop=True)
    cumulative["running_total"] = cumulative["value"].cumsum()
    cumulative["running_mean"] = cumulative["running_total"] / (cumulative.index + 1)
    return PortfolioResult(
        filters=f,
        assessments=listing,
        by_policy_area=by_policy,
        by_group=by_group,
        by_area=by_area,
        group_by_policy_area=group_policy,
        cumulative=cumulative,
        labels=labels,
    )


def choices(store: Store, orgs: set[str] | None = None) -> dict[str, list[str]]:
    """What the filters can choose from: municipalities, areas, plan types and group ids, as stored
    (of the organisations in `orgs` only, when given, as `portfolio`).

    Reads the derived tables as they are; call `refresh_scores` first for the latest."""
    with store.reading() as conn:
        return portfolio_sql.choices(conn, orgs)


def group_labels(store: Store, lang: str = "sv") -> dict[str, str]:
    """The names of the groups the stored checklists declare, by id, in `lang`."""
    with store.reading() as conn:
        rows = portfolio_sql.group_labels(conn)
    return {r.dim_key: (r.label_en if lang == "en" else r.label_sv) or r.dim_key for r in rows}


# --- export ---------------------------------------------------------------------------------------


def _labelled(result: PortfolioResult, lang: str) -> dict[str, pd.DataFrame]:
    def name(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
        out = frame.copy()
        if "key" in out:
            out.insert(1 if kind != "area" else 0, "name",
                       [result.label(kind, k, lang) for k in out["key"]] if kind != "area" else out.pop("area"))
        return out

    return {
        msg(lang, "workflow.sheet_assessments"): result.assessments,
        msg(lang, "workflow.sheet_policy_areas"): name(result.by_policy_area, "dimension"),
        msg(lang, "workflow.sheet_groups"): name(result.by_group, "group"),
        msg(lang, "workflow.sheet_districts"): name(result.by_area, "area"),
        msg(lang, "workflow.sheet_group_by_policy_area"): name(result.group_by_policy_area, "dimension"),
        msg(lang, "workflow.sheet_cumulative"): result.cumulative,
    }


def to_csv(result: PortfolioResult, path: str | Path) -> None:
    """The assessments of the portfolio, one row each, as CSV (UTF-8 with BOM, so Excel reads å, ä, ö)."""
    result.assessments.to_csv(path, index=False, encoding="utf-8-sig")


def to_xlsx(result: PortfolioResult, path: str | Path | Any, lang: str = "sv") -> None:
    """Every table of the portfolio, one sheet each, and the filters on the first sheet."""
    filters = {k: (str(v) if v is not None else "") for k, v in vars(result.filters).items()}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"filter": list(filters), "value": list(filters.values())}).to_excel(
            writer, sheet_name="Filter", index=False)
        for sheet, frame in _labelled(result, lang).items():
            frame.to_excel(writer, sheet_name=sheet[:31], index=False)


def filters_json(f: PortfolioFilters) -> str:
    """The filters as JSON, for a CLI or a file to say what it shows."""
    return json.dumps({k: (str(v) if v is not None else None) for k, v in vars(f).items()}, ensure_ascii=False)
