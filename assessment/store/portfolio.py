"""The portfolio's derived tables and their queries: each assessment's headline figures, its areas, every
score of its alternatives, and the names of what was scored (revisions 0004, 0005). Rebuilt from the versions
whenever stale, never frozen. What is scored, and how the figures are read into tables, is in
`assessment/workflow/portfolio.py`; this module aggregates in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Double, ForeignKey, Index, Integer, String, Table, Text, text

from . import copy_rows, metadata
from . import assessments as _assessments  # noqa: F401 - the tables these refer to

score_heads = Table(
    "score_heads", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("primary_alt", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("municipality_key", Text, nullable=False, server_default=""),
    Column("plan_type_key", Text, nullable=False, server_default=""),
    Column("plan_type", Text, nullable=False, server_default=""),
    Column("dated", String(10), nullable=False),
    Column("checklist_id", String(64), nullable=False),
    Column("overall", Double),
    Column("coverage", Double),
    Column("gap_change", Double),
    Index("score_heads_by_date", "dated"),
)

score_areas = Table(
    "score_areas", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("area_key", Text, primary_key=True),
    Column("area", Text, nullable=False),
    Index("score_areas_by_area", "area_key"),
)

scores = Table(
    "scores", metadata,
    Column("assessment_id", String(64), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("alternative", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("framework", String(64), nullable=False, server_default=""),
    Column("dim_key", String(64), nullable=False, server_default=""),
    Column("grp", String(64), nullable=False, server_default=""),
    Column("value", Double),
    Column("coverage", Double),
    Index("scores_by_assessment", "assessment_id", "alternative"),
    Index("scores_by_kind", "kind", "framework", "dim_key", "grp"),
    # Covering: the portfolio seeks (assessment, alternative, kind) and reads the figure from the index itself.
    Index("scores_lookup", "assessment_id", "alternative", "kind", "grp", "framework", "dim_key", "value",
          "coverage"),
)

score_labels = Table(
    "score_labels", metadata,
    Column("kind", String(16), primary_key=True),
    Column("framework", String(64), primary_key=True, server_default=""),
    Column("dim_key", String(64), primary_key=True),
    Column("label_sv", Text, nullable=False),
    Column("label_en", Text, nullable=False),
)


# --- keeping the rows fresh ---


def stale(conn: Connection) -> list[str]:
    """The assessments whose derived rows are missing or older than their latest version."""
    return [r[0] for r in conn.execute(text(
        "SELECT a.id FROM assessments a LEFT JOIN score_heads h ON h.assessment_id = a.id "
        "WHERE h.revision IS NULL OR h.revision <> a.revision ORDER BY a.id"))]


def replace_rows(conn: Connection, heads: list[dict[str, Any]], scores: list[dict[str, Any]],
                 areas: list[dict[str, Any]], labels: list[dict[str, Any]]) -> None:
    """Replace the derived rows of the assessments in `heads`; labels already known are kept."""
    for h in heads:
        for table in ("scores", "score_areas", "score_heads"):
            conn.execute(text(f"DELETE FROM {table} WHERE assessment_id = :id"), {"id": h["assessment_id"]})
    if heads:
        conn.execute(text(
            "INSERT INTO score_heads (assessment_id, revision, primary_alt, title, municipality_key, plan_type_key, "
            "plan_type, dated, checklist_id, overall, coverage, gap_change) VALUES (:assessment_id, :revision, "
            ":primary_alt, :title, :municipality_key, :plan_type_key, :plan_type, :dated, :checklist_id, :overall, "
            ":coverage, :gap_change)"), heads)
    if scores:
        conn.execute(text(
            "INSERT INTO scores (assessment_id, revision, alternative, kind, framework, dim_key, grp, value, coverage) "
            "VALUES (:assessment_id, :revision, :alternative, :kind, :framework, :dim_key, :grp, :value, :coverage)"),
            scores)
    if areas:
        conn.execute(text("INSERT INTO score_areas (assessment_id, area_key, area) VALUES (:assessment_id, "
                          ":area_key, :area)"), areas)
    if labels:
        conn.execute(text("INSERT INTO score_labels (kind, framework, dim_key, label_sv, label_en) VALUES "
                          "(:kind, :framework, :dim_key, :label_sv, :label_en) "
                          "ON CONFLICT (kind, framework, dim_key) DO NOTHING"), labels)


def mark_stale(conn: Connection, count: int) -> None:
    """Mark the derived rows of the first `count` assessments (by id) older than their version, so that the
    next refresh rescores them: what a changed scoring costs (the portfolio benchmark)."""
    conn.execute(text("UPDATE score_heads SET revision = 0 WHERE assessment_id IN "
                      "(SELECT assessment_id FROM score_heads ORDER BY assessment_id LIMIT :count)"), {"count": count})


def bulk_copies(conn: Connection, base: str, copies: int, municipalities: int, areas: int, named: str) -> None:
    """The derived rows of the copies `assessments.bulk_copies` made of `base` (with the same `named`), copied
    inside the database rather than rescored: the copy numbered i in municipality `named` followed by
    i % `municipalities` (its key casefolded, as the portfolio folds a name of single spaces) and its areas suffixed
    with i % `areas`.
    For measuring a large portfolio (the benchmark)."""
    numbered = {"municipalities": municipalities, "areas": areas, "named_key": named.casefold()}
    copy_rows(conn, score_heads, "assessment_id", base, copies,
              {"municipality_key": ":named_key || CAST(n.i % :municipalities AS TEXT)"}, numbered)
    copy_rows(conn, scores, "assessment_id", base, copies, {})
    copy_rows(conn, score_areas, "assessment_id", base, copies,
              {"area_key": "t.area_key || ' ' || CAST(n.i % :areas AS TEXT)",
               "area": "t.area || ' ' || CAST(n.i % :areas AS TEXT)"}, numbered)


def counts(conn: Connection) -> tuple[int, int]:
    """(assessments with derived rows, score rows)."""
    return (conn.execute(text("SELECT COUNT(*) FROM score_heads")).scalar_one(),
            conn.execute(text("SELECT COUNT(*) FROM scores")).scalar_one())


def dimension_means(conn: Connection) -> list[Any]:
    """(framework, dimension, mean, rated) over every stored score of a dimension: one GROUP BY over the score
    rows, the least any aggregation of them costs (the portfolio benchmark's floor)."""
    return conn.execute(text("SELECT framework, dim_key, AVG(value), COUNT(value) FROM scores "
                             "WHERE kind = 'dimension' GROUP BY framework, dim_key")).all()


def analyze(conn: Connection) -> None:
    """PostgreSQL: fresh statistics for the derived tables (after a large rescoring)."""
    conn.exec_driver_sql("ANALYZE score_heads, score_areas, scores")


# --- choosing and aggregating ---


@dataclass(frozen=True)
class Selection:
    """Which assessments a portfolio takes, as keys already folded (`assessment/workflow/portfolio.py` folds them).

    `orgs`: only these organisation keys (None: every organisation)."""

    municipality_key: str = ""
    plan_type_key: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    checklist_id: str = ""
    area_key: str = ""
    orgs: frozenset[str] | None = None


def _in_orgs(column: str, orgs: Iterable[str] | None, params: dict[str, Any]) -> str:
    """A clause keeping the rows whose organisation key is in `orgs` (TRUE for None: every organisation)."""
    if orgs is None:
        return "1 = 1"
    names = sorted(orgs)[:1000]  # roles_of reads at most 1000 grants
    if not names:
        return "1 = 0"
    params.update({f"org{i}": o for i, o in enumerate(names)})
    return f"{column} IN (" + ", ".join(f":org{i}" for i in range(len(names))) + ")"


def _where(s: Selection) -> tuple[str, dict[str, Any]]:
    clauses, params = ["h.revision = a.revision"], {}
    if s.orgs is not None:  # the organisation key is the municipality folded as auth.org_key folds it
        clauses.append(_in_orgs("h.municipality_key", s.orgs, params))
    if s.municipality_key:
        clauses.append("h.municipality_key = :mun")
        params["mun"] = s.municipality_key
    if s.plan_type_key:
        clauses.append("h.plan_type_key = :pt")
        params["pt"] = s.plan_type_key
    if s.status:
        clauses.append("a.status = :st")
        params["st"] = s.status
    if s.date_from:
        clauses.append("h.dated >= :d0")
        params["d0"] = s.date_from.isoformat()
    if s.date_to:
        clauses.append("h.dated <= :d1")
        params["d1"] = s.date_to.isoformat()
    if s.checklist_id:
        clauses.append("h.checklist_id = :cid")
        params["cid"] = s.checklist_id
    if s.area_key:
        clauses.append("EXISTS (SELECT 1 FROM score_areas sa WHERE sa.assessment_id = h.assessment_id "
                       "AND sa.area_key = :area)")
        params["area"] = s.area_key
    return " AND ".join(clauses), params


def _chosen(s: Selection) -> tuple[str, dict[str, Any]]:
    where, params = _where(s)
    cte = ("WITH chosen AS (SELECT h.assessment_id, h.primary_alt, h.title, h.plan_type, h.dated, h.overall, "
           "h.coverage, h.gap_change, a.municipality, a.status FROM score_heads h JOIN assessments a "
           "ON a.id = h.assessment_id "
           f"WHERE {where}) ")
    return cte, params


_STATS = ("AVG(s.value) AS mean, MIN(s.value) AS lowest, MAX(s.value) AS highest, COUNT(s.value) AS rated, "
          "SUM(CASE WHEN s.value > 0 THEN 1 ELSE 0 END) AS positive, "
          "SUM(CASE WHEN s.value < 0 THEN 1 ELSE 0 END) AS negative")


def listing(conn: Connection, s: Selection, group: str) -> list[Any]:
    """The chosen assessments, by date: id, title, municipality, plan type, status, date, overall, coverage,
    gap change, and the followed group's score (`group`; None without one)."""
    cte, params = _chosen(s)
    # The headline figures live in score_heads; only the followed group's score is
    # looked up, by id, one row per assessment.
    return conn.execute(text(
        cte + ", followed AS (SELECT s.assessment_id, MAX(s.value) AS group_score FROM chosen c "
        "CROSS JOIN scores s WHERE s.assessment_id = c.assessment_id AND s.alternative = c.primary_alt "
        "AND s.kind = 'group' AND s.grp = :grp GROUP BY s.assessment_id) "
        "SELECT c.assessment_id, c.title, c.municipality, c.plan_type, c.status, c.dated, c.overall, "
        "c.coverage, c.gap_change, x.group_score FROM chosen c LEFT JOIN followed x "
        "ON x.assessment_id = c.assessment_id ORDER BY c.dated, c.assessment_id"), {**params, "grp": group}).all()


def aggregates(conn: Connection, s: Selection, group: str) -> list[Any]:
    """Mean, lowest, highest and counts over the chosen assessments' primary alternatives: per group, per
    policy area (the framework each checklist marks `policy_areas: true`), and per policy area for `group`."""
    cte, params = _chosen(s)
    # CROSS JOIN: SQLite then walks the chosen assessments and seeks their figures by
    # id in the covering index, rather than walking every score; one seek per kind
    # of figure (UNION ALL) keeps each seek to exactly the rows it needs.
    seek = ("SELECT s.kind, s.framework, s.dim_key, s.grp, s.value FROM chosen c CROSS JOIN scores s "
            "WHERE s.assessment_id = c.assessment_id AND s.alternative = c.primary_alt AND ")
    parts = [seek + "s.kind = 'group'",
             seek + "s.kind = 'policy_area' AND s.grp = ''"]
    if group:
        parts.append(seek + "s.kind = 'group_dimension' AND s.grp = :grp")  # written for the policy areas only
    return conn.execute(text(
        cte + f"SELECT s.kind, s.framework, s.dim_key, s.grp, {_STATS} FROM ("
        + " UNION ALL ".join(parts) + ") s "
        "GROUP BY s.kind, s.framework, s.dim_key, s.grp ORDER BY s.kind, s.framework, s.dim_key, s.grp"),
        {**params, "grp": group}).all()


def area_names(conn: Connection, s: Selection) -> list[Any]:
    """(assessment_id, area_key, area) of each area of the chosen assessments."""
    cte, params = _chosen(s)
    return conn.execute(text(
        cte + "SELECT sa.assessment_id, sa.area_key, sa.area FROM chosen c JOIN score_areas sa "
        "ON sa.assessment_id = c.assessment_id ORDER BY sa.area_key, sa.area"), params).all()


def labels(conn: Connection) -> list[Any]:
    """(kind, dim_key, label_sv, label_en) of everything scored."""
    return conn.execute(text("SELECT kind, dim_key, label_sv, label_en FROM score_labels")).all()


def group_labels(conn: Connection) -> list[Any]:
    """(dim_key, label_sv, label_en) of every group scored."""
    return conn.execute(text("SELECT dim_key, label_sv, label_en FROM score_labels WHERE kind = 'group'")).all()


def choices(conn: Connection, orgs: Iterable[str] | None) -> dict[str, list[str]]:
    """The municipalities, areas and plan types stored (as first spelled), of `orgs` only when given, and
    every group id, each once."""
    params: dict[str, Any] = {}
    mine = _in_orgs("h.municipality_key", orgs, params)

    def distinct(sql: str) -> list[str]:
        return sorted({r[0] for r in conn.execute(text(sql), params) if r[0]}, key=str.casefold)

    return {
        "municipality": distinct("SELECT MIN(a.municipality) FROM assessments a JOIN score_heads h "
                                 f"ON h.assessment_id = a.id WHERE {mine} GROUP BY h.municipality_key"),
        "area": distinct("SELECT MIN(sa.area) FROM score_areas sa JOIN score_heads h "
                         f"ON h.assessment_id = sa.assessment_id WHERE {mine} GROUP BY sa.area_key"),
        "plan_type": distinct(f"SELECT MIN(h.plan_type) FROM score_heads h WHERE {mine} "
                              "GROUP BY h.plan_type_key"),
        "group": distinct("SELECT dim_key FROM score_labels WHERE kind = 'group'"),
    }
