from assessment.validate import parse_checklist

MINI = """\
schema_version: 1
id: mini
version: "1"
title: Mini
sections:
  - id: boende
    title: Boende
    criteria:
      - id: b1
        text: Hur påverkas bostadsutbudet?
        type: impact
        scale: impact5
scales:
  - id: impact
    steps:
      - {value: -1, label: Negativ}
      - {value: 1, label: Positiv}
"""


def test_unknown_scale_names_line_path_and_declared_scales():
    checklist, problems = parse_checklist(MINI, "checklists/mini.yaml")
    assert checklist is None
    assert [str(p) for p in problems] == [
        'checklists/mini.yaml:12: section "boende" › criterion "b1": unknown scale "impact5" (declared scales: impact)'
    ]


def test_valid_checklist_loads():
    checklist, problems = parse_checklist(MINI.replace("impact5", "impact"), "mini.yaml")
    assert problems == []
    assert checklist is not None and checklist.criterion("b1").scale == "impact"
