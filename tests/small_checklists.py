"""The small checklists the tests write, built from the parts they share; and the cases made on them.

A test module that needs a checklist of its own writes only what makes it its own (its id, title and
sections); the impact scales, the groups and the alternatives that most of them use are written once here,
as a checklist author writes them. `checklist_yaml` joins the parts into the YAML text (which a test may also
write to a library folder), and `parsed` turns a text into a Checklist, failing on any problem.

The checklists more than one module uses are here whole: `torg` (a square: evening safety and children's
play), with `stortorget`, the draft most review, tamper and backup tests start from.
"""

from __future__ import annotations

from assessment.answers.model import Answer, Assessment, Measure, new_assessment
from assessment.checklist.checklist import Checklist
from assessment.checklist.validate import parse_checklist

FIVE_STEPS = """\
scales:
  - id: impact
    steps:
      - {value: -2, label: {sv: Stor negativ, en: Major negative}}
      - {value: -1, label: {sv: Negativ, en: Negative}}
      - {value: 0, label: {sv: Ingen, en: None}}
      - {value: 1, label: {sv: Positiv, en: Positive}}
      - {value: 2, label: {sv: Stor positiv, en: Major positive}}
"""

THREE_STEPS = """\
scales:
  - id: impact
    steps:
      - {value: -1, label: {sv: Negativ, en: Negative}}
      - {value: 0, label: {sv: %(none_sv)s, en: %(none_en)s}}
      - {value: 1, label: {sv: Positiv, en: Positive}}
"""


def three_steps(none_sv: str = "Ingen", none_en: str = "None") -> str:
    """The scale -1, 0, +1; its middle step named `none_sv`/`none_en`."""
    return THREE_STEPS % {"none_sv": none_sv, "none_en": none_en}


CHILDREN_AND_ALL = """\
groups:
  - {id: children, label: {sv: Barn, en: Children}, weight: 2, worse_off: true}
  - {id: all, label: {sv: Alla, en: Everyone}, population: true}
"""

ZERO_AND_PROPOSAL = """\
alternatives:
  - {id: zero, label: {sv: Nollalternativ, en: Zero alternative}, kind: zero}
  - {id: proposal, label: {sv: %(proposal_sv)s, en: %(proposal_en)s}, kind: proposal}
"""


def zero_and_proposal(proposal_sv: str = "Planförslag", proposal_en: str = "Proposal") -> str:
    """The zero alternative and the proposal, named `proposal_sv`/`proposal_en`."""
    return ZERO_AND_PROPOSAL % {"proposal_sv": proposal_sv, "proposal_en": proposal_en}


NOLL_AND_FORSLAG = """\
alternatives:
  - {id: noll, label: {sv: Nollalternativ, en: Zero alternative}, kind: zero}
  - {id: forslag, label: {sv: Planförslaget, en: The proposal}, kind: proposal}
"""


def checklist_yaml(checklist_id: str, title: tuple[str, str], *parts: str, version: str = "1") -> str:
    """A checklist's YAML: its id, version and title in Swedish and English, both languages, then `parts`
    (scales, groups, alternatives, sections ...) in the order given."""
    return (f'schema_version: 1\nid: {checklist_id}\nversion: "{version}"\n'
            f"title: {{sv: {title[0]}, en: {title[1]}}}\nlanguages: [sv, en]\n" + "".join(parts))


def parsed(source: str, name: str) -> Checklist:
    """The checklist `source` holds, which must have no problem."""
    checklist, problems = parse_checklist(source, name)
    assert problems == [], problems
    return checklist


def sections(*parts: str) -> str:
    """The `sections:` of a checklist, each part made by `section`."""
    return "sections:\n" + "".join(parts)


def section(section_id: str, title: tuple[str, str], *questions: str, more: str = "") -> str:
    """One section: its id, its title in Swedish and English, then its questions (each made by `question`);
    `more` adds keys of the section as YAML flow items (e.g. "dimensions: {policy_area: [housing]}")."""
    extra = f"    {more}\n" if more else ""
    return (f"  - id: {section_id}\n    title: {{sv: {title[0]}, en: {title[1]}}}\n{extra}    criteria:\n"
            + "".join(questions))


def question(criterion_id: str, text: tuple[str, str], kind: str = "impact", more: str = "") -> str:
    """One question: its id, its text in Swedish and English and its type; a rated one (impact, group_impact)
    on the impact scale. `more` adds keys as YAML flow items (e.g. "measures: true")."""
    scale = ", scale: impact" if kind in ("impact", "group_impact") else ""
    extra = f", {more}" if more else ""
    return (f'      - {{id: {criterion_id}, text: {{sv: "{text[0]}", en: "{text[1]}"}}, type: {kind}{scale}'
            f"{extra}}}\n")


TORG_SECTIONS = sections(section(
    "boende", ("Boende och närmiljö", "Housing and neighbourhood"),
    question("belysning", ("Hur påverkas tryggheten kvällstid?", "How is safety in the evening affected?")),
    question("lek", ("Hur påverkas barns möjligheter till lek?", "How are children's chances to play affected?"),
             "group_impact")))


def torg(alternatives: bool = True) -> Checklist:
    """A square plan: evening safety (impact) and children's play (by group), with the zero alternative and the
    proposal unless `alternatives` is False."""
    return parsed(checklist_yaml("torg", ("Torgplan", "Square plan"), FIVE_STEPS, CHILDREN_AND_ALL,
                                 zero_and_proposal() if alternatives else "", TORG_SECTIONS), "torg.yaml")


def stortorget(checklist: Checklist, indicator: str = "Andel som känner sig trygga") -> Assessment:
    """Elif Şahin's draft on `torg`: evening safety worse, with a lighting measure followed by `indicator`;
    children gain."""
    a = new_assessment(checklist, "Stortorget i Łódźkvarteren", municipality="Örebro", areas=["Vivalla"])
    a.set_answer("belysning", Answer(value=-1, comment="Mörkt vid busshållplatsen"))
    a.set_answer("lek", Answer(value={"children": 2, "all": 1}))
    a.measures.append(Measure(id="ljus", criterion="belysning", text="Belysning längs gångstråket",
                              responsible="Tekniska förvaltningen", indicator=indicator))
    return a
