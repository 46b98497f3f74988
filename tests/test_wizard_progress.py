"""What the wizard counts: the questions that apply under the current answers, and those answered."""

from __future__ import annotations

from assessment.answers.model import Answer, new_assessment
from assessment.checklist.validate import parse_checklist
from ui.progress import survey

CHECKLIST = """
schema_version: 1
id: progress
version: "1"
title: Framsteg
scales:
  - id: s
    steps: [{value: -1, label: Sämre}, {value: 1, label: Bättre}]
groups:
  - {id: barn, label: Barn, worse_off: true}
  - {id: alla, label: Alla, population: true}
alternatives:
  - {id: noll, label: Nollalternativ, kind: zero}
  - {id: forslag, label: Förslaget, kind: proposal}
sections:
  - id: a
    title: Skola
    criteria:
      - {id: skola, text: "Berörs en skola?", type: yes_no}
      - id: vag
        text: Skolvägen
        type: impact
        scale: s
        show_if: {equals: {question: skola, value: true}}
  - id: b
    title: Grupper
    show_if: {equals: {question: skola, value: true}}
    criteria:
      - {id: vem, text: "Vem påverkas?", type: group_impact, scale: s}
"""


def assessment():
    checklist, problems = parse_checklist(CHECKLIST, "progress.yaml")
    assert checklist is not None, problems
    return new_assessment(checklist, "Skolan")


def test_an_empty_assessment_has_only_the_unconditional_question_to_answer() -> None:
    vis = survey(assessment())
    assert [(s.section, s.visible, s.answered, s.applicable) for s in vis.steps] == [
        ("a", True, 0, 1), ("b", False, 0, 0)]
    assert (vis.answered, vis.applicable) == (0, 1)


def test_a_yes_reveals_a_question_per_alternative_and_the_group_section() -> None:
    a = assessment()
    a.set_answer("skola", Answer(value=True))
    a.set_answer("vag", Answer(value=1), "forslag")
    vis = survey(a)
    assert vis.per_alternative["noll"] == vis.per_alternative["forslag"] == {"skola", "vag", "vem"}
    # skola once, vag for each of the two alternatives (one answered), vem for each alternative
    assert [(s.answered, s.applicable) for s in vis.steps] == [(2, 3), (0, 2)]


def test_a_group_matrix_counts_as_answered_only_when_every_group_is_rated() -> None:
    a = assessment()
    a.set_answer("skola", Answer(value=True))
    a.set_answer("vem", Answer(value={"barn": 1}), "noll")
    a.set_answer("vem", Answer(value={"barn": -1, "alla": "unknown"}), "forslag")
    assert survey(a).steps[1].answered == 1


def test_a_no_hides_the_answers_given_after_a_yes_from_the_count() -> None:
    a = assessment()
    a.set_answer("skola", Answer(value=True))
    a.set_answer("vag", Answer(value=1), "forslag")
    a.set_answer("skola", Answer(value=False))
    vis = survey(a)
    assert "vag" not in vis.shared
    assert (vis.answered, vis.applicable) == (1, 1)
