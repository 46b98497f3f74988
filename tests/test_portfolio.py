"""The portfolio: what have our decisions done for children in this district? On SQLite and PostgreSQL.

Scores are kept per assessment in the `scores` table, refreshed when an
assessment changes, filtered by municipality, district, plan type, status and
period, and aggregated in SQL per policy area, per group and per district;
the cumulative impact on one group follows the decisions in date order, and a
few hundred stored assessments aggregate to what their own scores say. How
fast 10,000 of them aggregate is `make bench`'s to say (portfolio-sqlite,
portfolio-postgres, target within a second), never a test's.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from assessment.workflow.cli import main
from assessment.store.migrations import search_text
from assessment.answers.model import Answer, Status, new_assessment
from assessment.workflow.portfolio import (PortfolioFilters, choices, group_labels, head_row, portfolio, refresh_scores,
                                  score_rows, to_csv, to_xlsx)
from assessment.scoring.scoring import score
from assessment.store import assessments as assessment_rows
from assessment.store import portfolio as portfolio_rows
from assessment.store.storage import Store
from small_checklists import FIVE_STEPS, checklist_yaml, parsed, zero_and_proposal

DISTRICT = checklist_yaml("stadsdel", ("Stadsdelsplan", "District plan"), FIVE_STEPS, zero_and_proposal(),
                          """\
frameworks:
  - id: policy_area
    policy_areas: true
    title: {sv: Målområden, en: Policy areas}
    items:
      - {id: early_life, title: {sv: Det tidiga livets villkor, en: Early life}}
      - {id: housing, title: {sv: Boende och närmiljö, en: Housing and neighbourhood}}
      - {id: control_participation, title: {sv: "Kontroll, inflytande och delaktighet",
                                            en: "Control, influence and participation"}}
groups:
  - {id: children, label: {sv: Barn och unga, en: Children and young people}, weight: 2, worse_off: true,
     concept: children}
  - {id: older, label: {sv: Äldre, en: Older people}, weight: 1.5, worse_off: true, concept: older}
  - {id: all, label: {sv: Hela befolkningen, en: The whole population}, population: true, concept: all}
sections:
  - id: tidigt
    title: {sv: Det tidiga livets villkor, en: Early life}
    dimensions: {policy_area: [early_life]}
    criteria:
      - id: forskola
        text: {sv: "Hur påverkas vägen till förskolan?", en: "How is the way to preschool affected?"}
        type: group_impact
        scale: impact
  - id: boende
    title: {sv: Boende och närmiljö, en: Housing and neighbourhood}
    dimensions: {policy_area: [housing]}
    criteria:
      - id: gronska
        text: {sv: "Hur påverkas grönskan nära bostaden?", en: "How is greenery near homes affected?"}
        type: group_impact
        scale: impact
  - id: inflytande
    title: {sv: Inflytande, en: Influence}
    dimensions: {policy_area: [control_participation]}
    criteria:
      - id: dialog
        text: {sv: "Hur påverkas de boendes inflytande?", en: "How is residents' influence affected?"}
        type: group_impact
        scale: impact
""")

CRITERIA = ("forskola", "gronska", "dialog")


def district():
    return parsed(DISTRICT, "stadsdel.yaml")


def decision(title: str, municipality: str, areas: list[str], children: int, others: int, plan_type: str = "detaljplan",
             decided: dt.date | None = None):
    """A decision whose proposal rates every question `children` for children and `others` for the rest."""
    a = new_assessment(district(), title, municipality=municipality, areas=areas, plan_type=plan_type,
                       decision_date=decided)
    for cid in CRITERIA:
        a.set_answer(cid, Answer(value={"children": children, "older": others, "all": others}), "proposal")
        a.set_answer(cid, Answer(value={"children": 0, "older": 0, "all": 0}), "zero")
    return a


@pytest.fixture
def decisions(fresh_store: Store) -> dict[str, str]:
    """Four decisions in Örebro and Malmö; Vivalla's two do well and badly by its children."""
    made = {
        "skolgard": decision("Ny skolgård i Vivalla", "Örebro", ["Vivalla"], 2, 1, decided=dt.date(2025, 3, 1)),
        "parkering": decision("Parkeringshus i Vivalla", "Örebro", ["Vivalla", "Vivalla centrum"], -1, 1,
                              plan_type="bygglov", decided=dt.date(2025, 9, 1)),
        "varberga": decision("Torg i Varberga", "örebro", ["Varberga"], 1, 1, decided=dt.date(2026, 2, 1)),
        "rosengard": decision("Bibliotek i Rosengård", "Malmö", ["Rosengård"], 2, 2, decided=dt.date(2025, 5, 1)),
    }
    for a in made.values():
        fresh_store.create(a, "Elif Şahin")
    return {k: a.id for k, a in made.items()}


def test_what_our_decisions_did_for_children_in_vivalla(fresh_store: Store, decisions):
    p = portfolio(fresh_store, PortfolioFilters(municipality="ÖREBRO", area="vivalla", group="children"))
    assert list(p.assessments["title"]) == ["Ny skolgård i Vivalla", "Parkeringshus i Vivalla"]
    # Every rating of children +2 is +100; -1 on a scale to 2 is -50.
    assert list(p.cumulative["value"]) == [100.0, -50.0]
    assert list(p.cumulative["running_total"]) == [100.0, 50.0]
    assert list(p.cumulative["running_mean"]) == [100.0, 25.0]
    by_area = p.group_by_policy_area.set_index("key")
    assert by_area.loc["housing", "mean"] == 25.0
    assert (by_area.loc["housing", "positive"], by_area.loc["housing", "negative"]) == (1, 1)
    assert p.label("dimension", "housing", "en") == "Housing and neighbourhood"
    assert p.label("group", "children") == "Barn och unga"


def test_the_aggregates_are_the_means_of_each_decisions_own_scores(fresh_store: Store, decisions):
    p = portfolio(fresh_store, PortfolioFilters(municipality="Örebro"))
    results = [score(fresh_store.load(decisions[k]).assessment).headline for k in ("skolgard", "parkering", "varberga")]
    by_group = p.by_group.set_index("key")
    for gid in ("children", "older", "all"):
        expected = sum(r.groups[gid].value for r in results) / 3
        assert by_group.loc[gid, "mean"] == pytest.approx(expected)
        assert by_group.loc[gid, "rated"] == 3
    by_policy = p.by_policy_area.set_index("key")
    expected = sum(r.dimensions["policy_area"]["early_life"].value for r in results) / 3
    assert by_policy.loc["early_life", "mean"] == pytest.approx(expected)
    by_district = p.by_area.set_index("area")
    assert set(by_district.index) == {"Vivalla", "Vivalla centrum", "Varberga"}
    assert by_district.loc["Vivalla", "rated"] == 2
    assert by_district.loc["Varberga", "mean"] == pytest.approx(results[2].overall.value)


def test_filters_by_plan_type_status_period_and_checklist(fresh_store: Store, decisions):
    def titles(**f):
        return sorted(portfolio(fresh_store, PortfolioFilters(**f)).assessments["title"])

    assert titles(plan_type="Bygglov") == ["Parkeringshus i Vivalla"]
    assert titles(date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 12, 31)) == [
        "Bibliotek i Rosengård", "Parkeringshus i Vivalla"]
    assert titles(area="Rosengård") == ["Bibliotek i Rosengård"]
    assert titles(status="adopted") == []
    assert len(titles(status=Status.DRAFT)) == 4
    assert titles(checklist_id="annan") == []
    assert titles(municipality="Lund") == []
    # What the filters offer: each name once, as first written ("örebro" and "Örebro" are one).
    offered = choices(fresh_store)
    assert [m.casefold() for m in offered["municipality"]] == ["malmö", "örebro"]
    assert offered["area"] == ["Rosengård", "Varberga", "Vivalla", "Vivalla centrum"]
    assert [p.casefold() for p in offered["plan_type"]] == ["bygglov", "detaljplan"]
    assert offered["group"] == ["all", "children", "older"]
    assert group_labels(fresh_store, "en")["children"] == "Children and young people"


def test_a_changed_assessment_is_rescored_before_aggregating(fresh_store: Store, decisions):
    portfolio(fresh_store)
    assert refresh_scores(fresh_store) == 0
    aid = decisions["parkering"]
    stored = fresh_store.load(aid)
    fresh_store.save_answer(aid, stored.revision, "gronska", "proposal",
                      Answer(value={"children": 2, "older": 1, "all": 1}), "Elif Şahin")
    p = portfolio(fresh_store, PortfolioFilters(area="Vivalla", group="children"))
    # forskola -1, gronska +2, dialog -1 for children: (-1 + 2 - 1) / 3 / 2 * 100
    assert list(p.cumulative["value"]) == [100.0, pytest.approx(0.0)]
    assert refresh_scores(fresh_store) == 0


def test_export_to_csv_and_excel_keeps_names_intact(fresh_store: Store, decisions, tmp_path):
    p = portfolio(fresh_store, PortfolioFilters(group="children"))
    to_csv(p, tmp_path / "portfolj.csv")
    csv = (tmp_path / "portfolj.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].startswith("id,title,municipality,plan_type,areas,status,date,overall")
    assert "Bibliotek i Rosengård" in csv and "Malmö" in csv
    to_xlsx(p, tmp_path / "portfolj.xlsx", lang="sv")
    book = load_workbook(tmp_path / "portfolj.xlsx", read_only=True)
    assert book.sheetnames == ["Filter", "Bedömningar", "Målområden", "Grupper", "Områden", "Grupp per målområde",
                               "Kumulativ påverkan"]
    groups = [row for row in book["Grupper"].iter_rows(values_only=True)]
    assert groups[0][:3] == ("key", "name", "mean")
    assert ("children", "Barn och unga") in [r[:2] for r in groups[1:]]


def test_skb_portfolio_prints_the_cumulative_impact_and_writes_files(fresh_store: Store, decisions, database_url: str,
                                                                     tmp_path, capsys):
    assert main(["portfolio", "--db", database_url, "--area", "Vivalla", "--group", "children",
                 "--xlsx", str(tmp_path / "p.xlsx"), "--csv", str(tmp_path / "p.csv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 bedömningar")
    assert "Kumulativ påverkan (Barn och unga)" in out
    assert "2025-09-01  Parkeringshus i Vivalla" in out and "Σ    +50" in out
    assert (tmp_path / "p.xlsx").stat().st_size > 0 and (tmp_path / "p.csv").stat().st_size > 0
    with pytest.raises(SystemExit):
        main(["portfolio", "--db", database_url, "--from", "1 mars"])


# --- 10,000 assessments ------------------------------------------------------------------------------

MUNICIPALITIES = ["Örebro", "Malmö", "Göteborg", "Umeå", "Södertälje"]
AREAS = ["Vivalla", "Rosengård", "Hammarkullen", "Ålidhem", "Ronna", "Varberga", "Fosie", "Bergsjön"]
# The smallest size that still proves the aggregation: whole cycles of the 25 templates, every 8th decision
# in Vivalla and every 5th in Örebro, so that they meet (every 40th) more than once.
N = 200


def _bulk(store: Store, n: int) -> dict[str, int]:
    """`n` stored assessments made from 25 answered templates, written in one bulk transaction.

    Every table row is what the store and `refresh_scores` would write: versions
    carry real bodies, and the scores rows are each template's real scores."""
    checklist = district()
    seed = new_assessment(checklist, "Frö")
    store.create(seed, "Test")  # stores the checklist snapshot the bulk rows refer to
    templates = []
    for i in range(25):
        a = decision("Mall", "", [], (i % 5) - 2, ((i // 5) % 5) - 2)
        templates.append((a, score(a)))
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).isoformat()
    heads, versions, score_heads, scores, areas = [], [], [], [], []
    in_vivalla = 0
    for k in range(n):
        template, result = templates[k % len(templates)]
        a = template.model_copy(deep=True)
        a.id = uuid.uuid4().hex
        m = a.metadata
        m.title = f"Beslut {k} om {AREAS[k % len(AREAS)]}"
        m.municipality = MUNICIPALITIES[k % len(MUNICIPALITIES)]
        m.areas = [AREAS[k % len(AREAS)]]
        m.decision_date = dt.date(2020, 1, 1) + dt.timedelta(days=k % 2000)
        in_vivalla += m.areas == ["Vivalla"]
        body = a.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"checklist"})
        heads.append({"id": a.id, "title": m.title, "mun": m.municipality, "cid": checklist.id,
                      "cv": checklist.version, "t": now, "q": search_text(body["metadata"])})
        versions.append({"id": a.id, "t": now, "h": a.checklist_ref.hash,
                         "b": json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)})
        score_heads.append(head_row(a, 1, result))
        scores.extend(score_rows(a, 1, result))
        areas.append({"assessment_id": a.id, "area_key": m.areas[0].casefold(), "area": m.areas[0]})
    with store.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO assessments (id, title, municipality, status, checklist_id, checklist_version, revision, "
            "created_at, created_by, updated_at, updated_by, search_text) "
            "VALUES (:id, :title, :mun, 'draft', :cid, :cv, 1, :t, 'Test', :t, 'Test', :q)"), heads)
        conn.execute(text(
            "INSERT INTO versions (assessment_id, revision, saved_at, author, summary, changes, status, "
            "checklist_hash, body) VALUES (:id, 1, :t, 'Test', '', '{}', 'draft', :h, :b)"), versions)
        conn.execute(text(
            "INSERT INTO score_heads (assessment_id, revision, primary_alt, title, municipality_key, plan_type_key, "
            "plan_type, dated, checklist_id, overall, coverage, gap_change) VALUES (:assessment_id, :revision, "
            ":primary_alt, :title, :municipality_key, :plan_type_key, :plan_type, :dated, :checklist_id, :overall, "
            ":coverage, :gap_change)"), score_heads)
        conn.execute(text(
            "INSERT INTO scores (assessment_id, revision, alternative, kind, framework, dim_key, grp, value, coverage) "
            "VALUES (:assessment_id, :revision, :alternative, :kind, :framework, :dim_key, :grp, :value, :coverage)"),
            scores)
        conn.execute(text("INSERT INTO score_areas (assessment_id, area_key, area) VALUES (:assessment_id, "
                          ":area_key, :area)"), areas)
        if store.dialect == "postgresql":
            # What autovacuum does after a bulk load (and refresh_scores after rescoring many).
            conn.exec_driver_sql("ANALYZE")
    return {"vivalla": in_vivalla, "templates": len(templates)}


def test_many_stored_assessments_aggregate_to_the_means_of_their_scores(fresh_store: Store):
    counts = _bulk(fresh_store, N)
    assert refresh_scores(fresh_store) == 1  # only the seed: the bulk rows are already current

    everything = portfolio(fresh_store, PortfolioFilters(group="children"))
    assert everything.count == N + 1
    # 25 templates rate children -2..+2 evenly: the mean over whole cycles is 0.
    children = everything.by_group.set_index("key").loc["children"]
    assert children["rated"] == N
    assert children["mean"] == pytest.approx(0.0, abs=0.5)

    assert portfolio(fresh_store, PortfolioFilters(area="VIVALLA")).count == counts["vivalla"] == N // 8
    vivalla = portfolio(fresh_store, PortfolioFilters(municipality="örebro", area="Vivalla", group="children"))
    # Vivalla is every 8th decision and Örebro every 5th: they meet every 40th.
    assert vivalla.count == len(range(0, N, 40))
    assert vivalla.cumulative["running_total"].iloc[-1] == pytest.approx(vivalla.cumulative["value"].sum())
    assert list(vivalla.cumulative["date"]) == sorted(vivalla.cumulative["date"])


def test_the_stores_bulk_copies_load_rescore_and_aggregate_as_themselves(fresh_store: Store):
    """How the benchmark fills its portfolio of 10,000 (assessments.bulk_copies, portfolio.bulk_copies), on
    three copies: each loads as itself in its own municipality, is current, and rescores when marked stale."""
    a = decision("Ny skolgård i Vivalla", "Örebro", ["Vivalla"], 2, 1, decided=dt.date(2025, 3, 1))
    fresh_store.create(a, "Elif Şahin")
    assert refresh_scores(fresh_store) == 1
    with fresh_store.reading() as conn:
        heads, rows = portfolio_rows.counts(conn)
    assert heads == 1 and rows > 0
    with fresh_store.writing() as conn:
        assessment_rows.bulk_copies(conn, a.id, 3, municipalities=2, named="Kommun ")
        portfolio_rows.bulk_copies(conn, a.id, 3, municipalities=2, areas=2, named="Kommun ")
    with fresh_store.reading() as conn:
        assert portfolio_rows.counts(conn) == (4, 4 * rows)
    copy = fresh_store.load(f"{a.id}-3").assessment
    assert (copy.id, copy.metadata.municipality, copy.metadata.title) == (f"{a.id}-3", "Kommun 1", a.metadata.title)
    assert refresh_scores(fresh_store) == 0  # copied with their derived rows: nothing to rescore
    assert portfolio(fresh_store, PortfolioFilters(municipality="kommun 1")).count == 2  # copies 1 and 3
    with fresh_store.writing() as conn:
        portfolio_rows.mark_stale(conn, 2)
    assert refresh_scores(fresh_store) == 2
    children = portfolio(fresh_store, PortfolioFilters(group="children")).by_group.set_index("key").loc["children"]
    assert (children["rated"], children["mean"]) == (4, 100.0)  # every copy scores as the original


# --- the portfolio page, driven with AppTest ----------------------------------------------------------

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


@pytest.mark.slow
def test_the_portfolio_page_answers_for_children_in_vivalla_and_offers_the_files(app_store: Store):
    for a in (decision("Ny skolgård i Vivalla", "Örebro", ["Vivalla"], 2, 1, decided=dt.date(2025, 3, 1)),
              decision("Parkeringshus i Vivalla", "Örebro", ["Vivalla"], -1, 1, decided=dt.date(2025, 9, 1)),
              decision("Bibliotek i Rosengård", "Malmö", ["Rosengård"], 2, 2, decided=dt.date(2025, 5, 1))):
        app_store.create(a, "Elif Şahin")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"who": "Johan", "lang": "sv"})
    at.run()
    at.switch_page("ui/app_pages/portfolio.py").run()
    assert not at.exception, at.exception
    assert at.metric[0].value == "3"
    # the mean as every figure reads (assessment.scoring.figures): a whole number, a real minus sign, never "+0"
    assert at.metric[1].value[0] in "+−0" and "-" not in at.metric[1].value

    at.selectbox(key="pf_area").set_value("Vivalla").run()
    at.selectbox(key="pf_group").set_value("children").run()
    assert not at.exception, at.exception
    assert at.metric[0].value == "2"
    assert at.metric[2].label == "Medel för Barn och unga" and at.metric[2].value == "+25"
    assert any(s.value == "Samlad påverkan på Barn och unga – Vivalla" for s in at.subheader)
    table = at.dataframe[-1].value
    assert list(table["title"]) == ["Ny skolgård i Vivalla", "Parkeringshus i Vivalla"]
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["Ladda ner CSV", "Ladda ner Excel"]

    # The table of assessments speaks Swedish: named columns, the status in words, the date as a date,
    # every score a signed whole number (as on the results page), the followed group by its name.
    listing = at.dataframe[-1]
    columns = json.loads(listing.proto.columns)
    assert [columns[c]["label"] for c in listing.proto.column_order] == [
        "Titel", "Datum", "Status", "Samlad poäng", "Klyftan", "Barn och unga", "Täckning", "Kommun eller region",
        "Område", "Typ"]
    assert list(listing.value["status"]) == ["Utkast", "Utkast"]
    assert columns["date"]["type_config"] == {"type": "date", "format": "YYYY-MM-DD"}
    assert [str(d.date()) for d in listing.value["date"]] == ["2025-03-01", "2025-09-01"]
    for c in ("overall", "gap_change", "group_score"):
        assert columns[c]["type_config"]["format"] == "%+.0f"
    by_district = json.loads(at.dataframe[0].proto.columns)
    assert by_district["area"]["label"] == "Område"
    assert [by_district[c]["type_config"]["format"] for c in ("mean", "lowest", "highest")] == ["%+.0f"] * 3

    # The policy areas: all eight, in the checklists' order, with those no decision rated saying so.
    line, children_by_area, by_area, by_group = at.get("vega_lite_chart")
    rows = _chart_rows(by_area).set_index("full")
    assert _y_order(by_area) == EIGHT_AREAS_SV
    p = portfolio(app_store, PortfolioFilters(area="Vivalla", group="children"))
    means = p.by_policy_area.set_index("key")["mean"]
    assert list(rows.loc[EIGHT_AREAS_SV, "shown"]) == [
        f"{round(means['early_life']):+d}", "inga data", "inga data", "inga data", f"{round(means['housing']):+d}",
        "inga data", f"{round(means['control_participation']):+d}", "inga data"]
    assert _y_order(children_by_area) == EIGHT_AREAS_SV
    children = p.group_by_policy_area.set_index("key")["mean"]
    assert _chart_rows(children_by_area).set_index("full").loc["Boende och närmiljö", "shown"] == \
        f"{round(children['housing']):+d}"
    assert _y_order(by_group) == ["Barn och unga", "Hela befolkningen", "Äldre"]  # by name, as one looks for them


EIGHT_AREAS_SV = ["Det tidiga livets villkor", "Kunskaper, kompetenser och utbildning",
                  "Arbete, arbetsförhållanden och arbetsmiljö", "Inkomster och försörjningsmöjligheter",
                  "Boende och närmiljö", "Levnadsvanor", "Kontroll, inflytande och delaktighet",
                  "En jämlik och hälsofrämjande hälso- och sjukvård"]


def _chart_rows(chart) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The data a chart on the page was drawn from (its one dataset)."""
    [dataset] = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def _y_order(chart) -> list[str]:  # type: ignore[no-untyped-def]
    """The names down the chart's axis, top to bottom, each line break undone."""
    spec = json.loads(chart.proto.spec)
    y = next(layer["encoding"]["y"] for layer in spec.get("layer", [spec]) if "y" in layer.get("encoding", {}))
    return [name.replace("\n", " ") for name in y["sort"]]
