"""Every sentence pattern the report, the letter and the verdict assemble, filled and read for grammar.

Each template of the catalogue the report and the verdict say (`report.*`, `common.*`, `verdict.*`, every plural form),
in Swedish and English, is filled
through the same `fill` the report uses, with representative values chosen to be awkward: a question
that ends in "?", a band that is a whole clause ("barnets rättigheter stärks"), a group label with a
comma, a figure with a minus sign. The filled text must then keep the rules a language editor asked for:
no field left unfilled, no double space or space before punctuation, no "?." or ".;", a sentence starts
with a capital, no form instruction (an imperative to whoever fills in the form), and in Swedish no
"är" before a clause ("den samlade bedömningen är barnets rättigheter stärks") and no participle that
must agree with a noun it cannot see ("nådd information"); in English no "a"/"an" before a field.
"""

from __future__ import annotations

import re

import pytest

from assessment.catalogue import messages
from reports.prose import fill

FILLS = {
    "sv": {
        "alternative": "förslaget", "alternatives": "nollalternativet och förslaget", "author": "Elif Şahin",
        "bands": "från −100: barnets rättigheter försvagas; från 15: barnets rättigheter stärks", "base": "nollalternativ",
        "by": "Karin Åberg", "count": 3, "criterion": "Hur påverkas barnens skolväg?", "date": "2026-12-09",
        "diff": "+54", "expected": "konsultation", "framework": "Folkhälsopolitikens målområden",
        "frameworks": "Agenda 2030 och geografisk nivå", "groups": "unga 13–25 år, barn 0–12 år och nyanlända",
        "hash": "ab12", "id": "skb-barn", "label": "barnets rättigheter stärks", "language": "svenska",
        "measure": "Ställ krav på 30 % hyresrätter.", "min": "+15", "not_relevant": 2, "number": 3,
        "other": "förslaget", "page": 2, "pages": 12, "place": "Vivalla", "reached": "information",
        "score": "barnets rättigheter stärks (+40)", "scores": "negativ (−25) för förslaget",
        "status": "under granskning", "text": "Hur påverkas barnens skolväg?", "title": "Ny skola i Łódź",
        "value": "−35", "version": "1.1", "weights": "barn ×2, äldre ×1,5", "what": "folkhälsopolitikens målområden",
        "where": " i Vivalla",
    },
    "en": {
        "alternative": "the proposal", "alternatives": "the zero alternative and the proposal", "author": "Elif Şahin",
        "bands": "from −100: children's rights weakened; from 15: children's rights strengthened",
        "base": "the zero alternative", "by": "Karin Åberg", "count": 3, "criterion": "How is the way to school affected?",
        "date": "2026-12-09", "diff": "+54", "expected": "consultation", "framework": "Target areas of public health policy",
        "frameworks": "Agenda 2030 and spatial level", "groups": "young people aged 13–25, children aged 0–12 and new arrivals",
        "hash": "ab12", "id": "skb-barn", "label": "children's rights strengthened", "language": "Swedish",
        "measure": "Require 30 % rental flats.", "min": "+15", "not_relevant": 2, "number": 3,
        "other": "the proposal", "page": 2, "pages": 12, "place": "Vivalla", "reached": "information",
        "score": "children's rights strengthened (+40)", "scores": "negative (−25) for the proposal",
        "status": "in review", "text": "How is the way to school affected?", "title": "A new school in Łódź",
        "value": "−35", "version": "1.1", "weights": "children ×2, older people ×1.5",
        "what": "target areas of public health policy", "where": " in Vivalla",
    },
}
# The verdict's own field names, filled the same way.
VERDICT_FILLS = {
    "sv": {"alt": "Förslaget", "alt_lower": "förslaget", "band": "barnets rättigheter stärks", "judgement": "+75",
           "question": "”Hur påverkas barnets bästa?”", "share": "40 %", "names": "unga 13–25 år och barn 0–12 år",
           "group": "unga 13–25 år", "gap": "−51", "zero": "nollalternativet", "groups": "unga 13–25 år",
           "name": "”Barn 0–12 år”", "own": "×2", "ref": "×1"},
    "en": {"alt": "The proposal", "alt_lower": "the proposal", "band": "children's rights strengthened",
           "judgement": "+75", "question": "“How are the child's best interests affected?”", "share": "40 %",
           "names": "young people aged 13–25 and children aged 0–12", "group": "young people aged 13–25",
           "gap": "−51", "zero": "the zero alternative", "groups": "young people aged 13–25",
           "name": "“Children aged 0–12”", "own": "×2", "ref": "×1"},
}
INSTRUCTIONS = {"sv": r"(?:Svara|Ange|Fyll i|Beskriv|Välj|Kryssa)\b", "en": r"(?:Answer|Fill in|Describe|Choose|Tick)\b"}


def _filled(lang: str, template: str, extra: dict[str, object]) -> str:
    class Fields(dict):  # a field no fill names gets a word of its own, so every template is read
        def __missing__(self, key: str) -> str:
            return f"ord{len(key)}"

    fields = Fields({**FILLS[lang], **extra})
    names = re.findall(r"{(\w+)}", template)
    return fill(template, {n: fields[n] for n in names}) if names else template


def _patterns() -> list[tuple[str, str, str, str]]:
    out = []
    for lang in ("sv", "en"):
        texts, plurals = messages(lang)
        forms = [(key, t) for key, t in texts.items()] + [(f"{key}[{i}]", t) for key, f in plurals.items()
                                                           for i, t in enumerate(f)]
        for key, template in sorted(forms):
            if key.startswith(("report.", "common.")):
                out.append((lang, key, template, _filled(lang, template, {})))
            elif key.startswith("verdict."):
                out.append((lang, key, template, _filled(lang, template, VERDICT_FILLS[lang])))
    return out


PATTERNS = _patterns()


@pytest.mark.parametrize("lang,key,template,text", PATTERNS, ids=[f"{p[0]}-{p[1]}" for p in PATTERNS])
def test_every_sentence_pattern_reads_right(lang: str, key: str, template: str, text: str) -> None:
    assert "{" not in text and "}" not in text, "a field is left unfilled"
    assert "  " not in text, "a double space"
    assert not re.search(r" [.,;:)?!]", text), "a space before punctuation"
    # ".)" only closes a whole sentence in brackets: "(Och 3 flaggor till, se rapporten.)"
    bare = text.replace("…", "")
    assert not re.search(r"[?!.][.;,]|[;,]\.", bare), "a sentence ends twice"
    assert not re.search(r"\.\)", bare) or (bare.startswith("(") and bare.endswith(".)")), "'.)' after a clause"
    if re.search(r"[.?!]$", text) and not template.startswith("{") and text[:1].isalpha():
        assert text[0].isupper(), "a sentence starts in lower case"
    if len(text.split()) > 2:  # a label ("Answer") is not an instruction; a sentence may be
        assert not re.match(INSTRUCTIONS[lang], text), "a form instruction"
    assert not re.search(r"\(\s*\)", text), "empty brackets"
    if lang == "sv":
        # "den samlade bedömningen är barnets rättigheter stärks": a band or score may be a whole clause
        assert not re.search(r"\bär \{(?:band|score|scores|label|judgement)\}", template), "'är' before a clause"
        # "nådd information", "förväntad konsultation": a participle cannot agree with a noun it does not see
        assert not re.search(r"\b(?:nådd|förväntad|bedömd|planerad)\w* \{", template), "a participle before a field"
        assert not re.search(r"\b(?:en|ett) \{", template), "an article before a field"
    else:
        assert not re.search(r"\b(?:a|an) \{", template), "an article before a field"
        assert not re.search(r"\b(\w+) \1\b", text), "a doubled word"


def test_the_two_languages_have_the_same_patterns_with_the_same_fields() -> None:
    (sv, _), (en, _) = messages("sv"), messages("en")
    for prefix in ("report.", "common.", "verdict."):
        ids = {k for k in sv if k.startswith(prefix)}
        assert ids and ids == {k for k in en if k.startswith(prefix)}, prefix
        for key in ids:
            assert set(re.findall(r"{(\w+)}", sv[key])) == set(re.findall(r"{(\w+)}", en[key])), key
