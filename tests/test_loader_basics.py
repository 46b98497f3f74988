from assessment.checklist.validate import parse_checklist

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


def test_a_warning_does_not_reject_the_checklist():
    bilingual = MINI.replace("impact5", "impact").replace("title: Mini", "title: Mini\nlanguages: [sv, en]")
    checklist, problems = parse_checklist(bilingual, "mini.yaml")
    assert checklist is not None
    assert problems and all(p.severity == "warning" for p in problems)
    assert str(problems[0]) == ('mini.yaml:4: warning: title: a single text where en, sv are declared; '
                                "write {sv: …, en: …}")


def test_load_checklist_raises_a_checklist_error_listing_every_error(tmp_path):
    import pytest

    from assessment.errors import ChecklistError
    from assessment.checklist.validate import load_checklist

    path = tmp_path / "mini.yaml"
    path.write_text(MINI.replace("type: impact", "type: impact\n        hepl: Tänk på barnen"), encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    assert caught.value.messages == [
        f'{path}:12: section "boende" › criterion "b1": unknown key "hepl"; did you mean "help"? '
        "(allowed here: id, text, help, type, scale, groups, choices, ladder, min, max, unit, weight, dimensions, "
        "measures, per_alternative, show_if, required)"
    ]
    assert str(caught.value).startswith(f"{path}: the checklist is not valid:\n")
    assert caught.value.message("sv") == (
        f"{path}: checklistan är inte giltig:\n"
        f'{path}:12: section "boende" › criterion "b1": okänd nyckel "hepl"; menade du "help"? '
        "(tillåtna här: id, text, help, type, scale, groups, choices, ladder, min, max, unit, weight, dimensions, "
        "measures, per_alternative, show_if, required)")
    assert [p.code for p in caught.value.problems] == ["unknown_key"]
    assert caught.value.problems[0].said.params["key"] == "hepl"


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path):
    from assessment.checklist.validate import read_checklist_file

    checklist, problems = read_checklist_file(tmp_path / "saknas.yaml")
    assert checklist is None
    assert [p.message for p in problems] == ["cannot read the file: No such file or directory"]
    assert [p.text("sv") for p in problems] == [f"{tmp_path / 'saknas.yaml'}: kan inte läsa filen: filen eller mappen "
                                                "finns inte"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed():
    from assessment.checklist.yamlio import Limits

    raw = MINI.encode() + b"#" * 2000
    checklist, problems = parse_checklist(raw, "stor.yaml", Limits(max_bytes=1000))
    assert checklist is None
    assert [str(p) for p in problems] == [f"stor.yaml: the file is {len(raw):,} bytes; the largest accepted is 1,000"]


def test_a_byte_order_mark_and_swedish_letters_are_read():
    text = MINI.replace("impact5", "impact").replace("title: Mini", "title: Åtgärder i Göteborg")
    checklist, problems = parse_checklist("\ufeff".encode() + text.encode(), "bom.yaml")
    assert problems == []
    assert checklist is not None and checklist.title == "Åtgärder i Göteborg"


def test_json_numbers_that_are_not_finite_or_absurdly_long_are_refused():
    import pytest

    from assessment.checklist.yamlio import UnsafeInput, load_located

    for text, message in [('{"a": 1e400}', "must be finite"), ('{"a": ' + "9" * 5000 + "}", "too long")]:
        with pytest.raises(UnsafeInput, match=message):
            load_located(text)
