"""Helpers for the report tests: a realistic assessment, text extraction and page images.

`sample_assessment()` is a small but complete case (eight policy areas, groups
with worse-off and population, a zero alternative and a proposal, a hidden
question, unknowns, measures, participation records, review comments). `page_texts` extracts
each page's text with pypdf; `pdftotext_pages` does the same with poppler when
present. `render_pages` writes one PNG per page with poppler's `pdftoppm`, so a
person can look at every page:

    .venv/bin/python tests/render.py examples/some.yaml out/ --lang en
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessment.checklist.checklist import Checklist  # noqa: E402
from assessment.answers.model import Assessment, parse_assessment  # noqa: E402

AREAS = [
    ("early_life", "Det tidiga livets villkor", "Early life"),
    ("education", "Kunskaper, kompetenser och utbildning", "Knowledge, skills and education"),
    ("work", "Arbete, arbetsförhållanden och arbetsmiljö", "Work and working conditions"),
    ("income", "Inkomster och försörjningsmöjligheter", "Income and livelihood"),
    ("housing", "Boende och närmiljö", "Housing and neighbourhood"),
    ("behaviours", "Levnadsvanor", "Health behaviours"),
    ("control", "Kontroll, inflytande och delaktighet", "Control, influence and participation"),
    ("health_care", "En jämlik och hälsofrämjande hälso- och sjukvård", "Equitable and health-promoting health care"),
]

SAMPLE_CHECKLIST = """
schema_version: 1
id: report-case
version: "2.1"
title: {sv: Social konsekvensbedömning för detaljplan, en: Social impact assessment for detailed plans}
languages: [sv, en]
frameworks:
  - id: policy_area
    policy_areas: true
    title: {sv: Målområden, en: Policy areas}
    items:
%(areas)s
scales:
  - id: impact
    steps:
      - {value: -2, label: {sv: Stor negativ påverkan, en: Major negative impact}}
      - {value: -1, label: {sv: Viss negativ påverkan, en: Some negative impact}}
      - {value: 0, label: {sv: Ingen påverkan, en: No impact}}
      - {value: 1, label: {sv: Viss positiv påverkan, en: Some positive impact}}
      - {value: 2, label: {sv: Stor positiv påverkan, en: Major positive impact}}
choice_lists:
  - id: plan_kinds
    options:
      - {id: detaljplan, label: {sv: Detaljplan, en: Detailed development plan}}
      - {id: bygglov, label: {sv: Bygglov, en: Building permit}}
ladders:
  - id: skr
    title: {sv: Delaktighetstrappan, en: Participation ladder}
    levels:
      - {id: information, label: {sv: Information, en: Information}}
      - {id: consultation, label: {sv: Konsultation, en: Consultation}}
      - {id: dialogue, label: {sv: Dialog, en: Dialogue}}
      - {id: influence, label: {sv: Inflytande, en: Influence}}
      - {id: codecision, label: {sv: Medbestämmande, en: Co-decision}}
groups:
  - {id: children, label: {sv: Barn och unga, en: Children and young people}, weight: 2, worse_off: true}
  - {id: low_income, label: {sv: Hushåll med låg inkomst, en: Low-income households}, weight: 1.5, worse_off: true}
  - {id: older, label: {sv: Äldre, en: Older people}, weight: 1.5}
  - {id: everyone, label: {sv: Befolkningen i stort, en: The population as a whole}, population: true}
alternatives:
  - {id: zero, label: {sv: Nollalternativ, en: Zero alternative}, kind: zero}
  - {id: proposal, label: {sv: Planförslaget, en: The plan proposal}, kind: proposal}
sections:
  - id: screening
    title: {sv: Avgränsning, en: Screening}
    description: {sv: Vad planen gäller och vilka som berörs., en: What the plan is about and who is affected.}
    criteria:
      - {id: plan_kind, text: {sv: "Vilken sorts plan gäller det?", en: "What kind of plan is it?"}, type: single_choice, choices: plan_kinds}
      - {id: children_affected, text: {sv: "Berörs barn av planen?", en: "Are children affected by the plan?"}, type: yes_no}
      - {id: school_nearby, text: {sv: "Ligger planen intill en skola?", en: "Is the plan next to a school?"}, type: yes_no,
         show_if: {equals: {question: children_affected, value: false}}}
      - {id: dwellings, text: {sv: "Hur många bostäder?", en: "How many dwellings?"}, type: number, unit: {sv: st, en: units}}
  - id: living
    title: {sv: Boende och närmiljö, en: Housing and neighbourhood}
    criteria:
      - id: green_space
        text: {sv: Tillgång till grönområden och lekplatser, en: Access to green space and playgrounds}
        type: impact
        scale: impact
        measures: true
        dimensions: {policy_area: [housing, behaviours]}
      - id: affordable
        text: {sv: Bostäder som hushåll med låga inkomster har råd med, en: Homes that low-income households can afford}
        type: group_impact
        scale: impact
        measures: true
        dimensions: {policy_area: [housing, income]}
      - id: traffic_safety
        text: {sv: Trafiksäkra vägar till skola och fritid, en: Safe routes to school and leisure}
        type: impact
        scale: impact
        measures: true
        dimensions: {policy_area: [early_life, housing]}
  - id: children
    title: {sv: Barnets bästa, en: The best interests of the child}
    show_if: {equals: {question: children_affected, value: true}}
    criteria:
      - id: child_voice
        text: {sv: "Har barn fått komma till tals?", en: "Have children been heard?"}
        type: group_impact
        scale: impact
        groups: [children]
        dimensions: {policy_area: [control, early_life]}
      - id: schools
        text: {sv: Förskolor och skolor i närheten, en: Preschools and schools nearby}
        type: impact
        scale: impact
        dimensions: {policy_area: [education]}
  - id: work_health
    title: {sv: Arbete och hälsa, en: Work and health}
    criteria:
      - id: jobs
        text: {sv: Lokala arbetstillfällen, en: Local jobs}
        type: impact
        scale: impact
        dimensions: {policy_area: [work, income]}
      - id: care
        text: {sv: Närhet till vårdcentral, en: Distance to a health centre}
        type: impact
        scale: impact
        dimensions: {policy_area: [health_care]}
  - id: participation
    title: {sv: Delaktighet, en: Participation}
    criteria:
      - id: participation_level
        text: {sv: "Vilken nivå nådde dialogen?", en: "What level did the dialogue reach?"}
        type: ladder
        ladder: skr
      - id: dialogue_notes
        text: {sv: "Hur har dialogen gått till?", en: "How was the dialogue done?"}
        type: text
scoring:
  bands:
    - {min: -100, label: {sv: Tydligt negativ, en: Clearly negative}}
    - {min: -20, label: {sv: Något negativ, en: Somewhat negative}}
    - {min: -5, label: {sv: Neutral, en: Neutral}}
    - {min: 5, label: {sv: Något positiv, en: Somewhat positive}}
    - {min: 20, label: {sv: Tydligt positiv, en: Clearly positive}}
  flags:
    - {id: no_measure, kind: negative_without_measure, severity: serious,
       message: {sv: Negativ konsekvens utan åtgärd, en: Negative impact without a measure}}
    - {id: gap, kind: gap_widens, severity: serious,
       message: {sv: Skillnaderna mellan grupperna ökar, en: The gaps between groups widen}}
    - {id: gaps, kind: knowledge_gaps, threshold: 0.1,
       message: {sv: Många frågor är okända, en: Many questions are unknown}}
    - {id: low_participation, kind: participation_below_expected,
       message: {sv: Delaktigheten är lägre än förväntat, en: Participation is below what is expected}}
  participation:
    question: participation_level
    default: dialogue
"""


def sample_checklist_yaml() -> str:
    areas = "\n".join(f"      - {{id: {i}, title: {{sv: \"{sv}\", en: \"{en}\"}}}}" for i, sv, en in AREAS)
    return SAMPLE_CHECKLIST % {"areas": areas}


def sample_checklist() -> Checklist:
    from assessment.checklist.validate import parse_checklist

    checklist, problems = parse_checklist(sample_checklist_yaml(), "report-case.yaml")
    assert checklist is not None, "\n".join(map(str, problems))
    return checklist


def sample_data(**texts: str) -> dict[str, Any]:
    """The sample assessment as plain data; `texts` override named user-text fields (see below)."""
    t = {
        "title": "Detaljplan för Norra Ängen, etapp 2",
        "municipality": "Örebro kommun",
        "assessor1": "Karin Åberg",
        "assessor2": "Jonas Şahin",
        "summary": "Planen ger fler bostäder och en ny park, men hyrorna riskerar att bli för höga för hushåll "
                   "med låg inkomst.",
        "comment": "Parken i kvarteret Ängen blir större och får en ny lekplats.",
        "evidence": "Grönstrukturplan 2024; medborgardialog våren 2025.",
        "measure": "Ställ krav på 30 % hyresrätter med rimlig hyra i markanvisningen.",
        "responsible": "Samhällsbyggnadsförvaltningen",
        "indicator": "Andel hyresrätter under 1 500 kr/kvm",
        "heard": "Barnen vill ha en säker väg till skolan och en plats att spela fotboll.",
        "changed": "Gång- och cykelvägen flyttades bort från den stora korsningen.",
        "feedback": "Vi besöker klass 5B igen i maj och berättar vad som hände.",
        "method": "Trygghetsvandring med klass 5B",
        "group_free": "Föreningen Ängens vänner",
        "text_answer": "Två workshops och en enkät.",
        "review_author": "Marta Wiśniewska",
        "review_comment": "Hyresnivån behöver jämföras med Brännhagen-fallet.",
        "review_reply": "Vi lägger till jämförelsen före nämnden.",
        "review_whole": "Bra underlag. Följ upp hyrorna om ett år?",
    }
    t.update(texts)
    return {
        "format": "skb-assessment",
        "schema_version": 1,
        "id": "norra-angen-2",
        "language": "sv",
        "metadata": {
            "title": t["title"],
            "municipality": t["municipality"],
            "plan_type": "detaljplan",
            "areas": ["Norra Ängen"],
            "assessors": [t["assessor1"], t["assessor2"]],
            "created": "2026-10-01",
            "decision_date": "2027-02-15",
            "status": "in_review",
            "summary": t["summary"],
        },
        "checklist_ref": {"id": "report-case", "version": "2.1"},
        "answers": {
            "plan_kind": {"value": "detaljplan"},
            "children_affected": {"value": True, "comment": "Förskola och skola ligger inom 300 meter."},
            "dwellings": {"value": 450},
            "participation_level": {"value": "consultation", "comment": "Samråd och två workshops."},
            "dialogue_notes": {"value": t["text_answer"]},
        },
        "alternatives": {
            "zero": {
                "green_space": {"value": 0, "comment": "Ängen förblir oexploaterad."},
                "affordable": {"value": {"children": 0, "low_income": -1, "older": 0, "everyone": 0}},
                "traffic_safety": {"value": -1},
                "child_voice": {"value": {"children": 0}},
                "schools": {"value": 0},
                "jobs": {"value": 0},
                "care": {"value": "unknown"},
            },
            "proposal": {
                "green_space": {"value": 2, "comment": t["comment"], "evidence": t["evidence"]},
                "affordable": {"value": {"children": -1, "low_income": -2, "older": "unknown", "everyone": 1},
                               "comment": "Nyproduktion ger höga hyror."},
                "traffic_safety": {"value": 1, "comment": "Ny gång- och cykelbro över Ängsvägen."},
                "child_voice": {"value": {"children": 1}, "comment": "Trygghetsvandring med klass 5B."},
                "schools": {"value": -1, "comment": "Skolan blir trångbodd."},
                "jobs": {"value": "unknown"},
                "care": {"value": "not_relevant"},
            },
        },
        "measures": [
            {"id": "m1", "criterion": "affordable", "alternative": "proposal", "text": t["measure"],
             "responsible": t["responsible"], "due": "2027-06-30", "indicator": t["indicator"], "status": "planned"},
            {"id": "m2", "criterion": "traffic_safety", "alternative": "proposal",
             "text": "Hastighetsdämpande åtgärder på Ängsvägen.", "responsible": "Tekniska förvaltningen",
             "due": "2027-09-01", "indicator": "Antal olyckor med oskyddade trafikanter", "status": "under_way",
             "values": [{"date": "2026-06-30", "value": 4}, {"date": "2026-12-31", "value": 2.5,
                                                              "note": "efter farthindren"}]},
        ],
        "participation": [
            {"id": "p1", "groups": ["children", t["group_free"]], "method": t["method"], "level": "consultation",
             "date": "2025-04-10", "participants": 24, "heard": t["heard"], "changed": t["changed"],
             "feedback": t["feedback"]},
            {"id": "p2", "groups": ["everyone"], "method": "Öppet hus", "level": "information",
             "date": "2025-05-20", "participants": 60, "heard": "Oro för trafiken och för höga hyror."},
        ],
        # The theme group's review: a thread on a question, a comment on the whole, and one on a
        # question the plan's answers hide (it has no chapter to stand in).
        "comments": [
            {"id": "c1", "criterion": "affordable", "author": t["review_author"], "at": "2026-10-05T09:00:00",
             "text": t["review_comment"]},
            {"id": "c2", "criterion": "affordable", "author": "Karin Åberg", "at": "2026-10-06T10:00:00",
             "reply_to": "c1", "kind": "reply", "text": t["review_reply"]},
            {"id": "c3", "author": "Ελλάδα Σωκράτης", "at": "2026-10-07T11:00:00", "text": t["review_whole"]},
            {"id": "c4", "criterion": "school_nearby", "author": "Jonas Şahin", "at": "2026-10-08T08:00:00",
             "text": "Skolan ligger 400 meter bort, så frågan visas inte."},
        ],
    }


def sample_assessment(**texts: str) -> Assessment:
    checklist = sample_checklist()

    def resolve(checklist_id: str, version: str) -> Checklist:
        assert (checklist_id, version) == (checklist.id, checklist.version)
        return checklist

    return parse_assessment(yaml.safe_dump(sample_data(**texts), allow_unicode=True), "sample.yaml", resolve=resolve)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def pdftotext_pages(pdf: bytes) -> list[str] | None:
    """Each page's text as poppler's pdftotext sees it, or None when poppler is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True)
    return done.stdout.decode("utf-8").split("\f")[:-1] or [""]


def render_pages(pdf: bytes, out_dir: Path, dpi: int = 60) -> list[Path]:
    """One PNG per page (poppler's pdftoppm), for looking at the pages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("page-*.png"):
        old.unlink()
    source = out_dir / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(out_dir / "page")], check=True)
    return sorted(out_dir.glob("page-*.png"))


def _main(argv: list[str]) -> int:
    import argparse

    from assessment.checklist.library import resolve_checklist
    from reports import render_report

    parser = argparse.ArgumentParser(description="Render a report's pages to PNG to look at them.")
    parser.add_argument("assessment", help="an assessment file, or 'sample' for the built-in case")
    parser.add_argument("out_dir")
    parser.add_argument("--lang", default="sv")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args(argv)
    if args.assessment == "sample":
        a = sample_assessment()
    else:
        raw = Path(args.assessment).read_bytes()
        a = parse_assessment(raw, args.assessment, resolve=resolve_checklist)
    buf = io.BytesIO()
    render_report(a, buf, lang=args.lang)
    for p in render_pages(buf.getvalue(), Path(args.out_dir), args.dpi):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
