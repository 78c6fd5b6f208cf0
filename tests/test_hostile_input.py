"""A hostile case in every format: case text comes out as text, never as markup.

Names and summaries carrying HTML, Markdown, Jinja and Word-XML syntax, control
characters and bidirectional overrides are rendered as Markdown (escaped), HTML
(autoescaped), plain text, JSON (the data as given) and Word (literal runs).
"""

import copy
import json
import re
import unicodedata

import pytest

from perencana.engine.case.validation import normalize_case, validate_case
from perencana.engine.memo.render import render
from perencana.engine.reasoning.advisor import Advisor
from perencana.engine.view.words import clean
from tests.helpers import picture_without_a_browser

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NAME = "<script>alert(1)</script> **Yayasan** \u202eKCATTA\u202c {{ 7*7 }} {_{ x }_}\x07"
SUMMARY = "<b>merge</b> [units](http://evil.example) | `rm -rf` \x1b[31m&amp; </w:t><w:p>"
STAKEHOLDER = "# clerks\u2066 <img src=x onerror=alert(2)>\u2069"
PROGRAM = "1. night | shelter \u202d_x_\u202c"
CASE = {
    "organization": {
        "name": NAME,
        "age_years": 40,
        "formalized_procedures": True,
        "mission": "help\ttabs\nand\u2028lines",
    },
    "change": {"summary": SUMMARY, "proposed_by": "external", "pace": "rapid"},
    "funding": {"funds_for_change": "none"},
    "stakeholders": [{"name": STAKEHOLDER, "directly_affected": True, "impact": "negative"}],
    "programs": [{"name": PROGRAM, "viable": True, "effectiveness": "low", "efficiency": "low"}],
    "planner": {"origin": "external"},
}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def advice(knowledge):
    assert validate_case(CASE) == []
    return Advisor(knowledge).advise(normalize_case(copy.deepcopy(CASE)))


def no_hidden_characters(memo):
    assert not CONTROL.search(memo)
    assert not any(mark in memo for mark in BIDI)


def test_clean_strips_controls_bidi_overrides_and_noncharacters():
    assert clean("a\u202eb\u202cc\u2066d\u2069e") == "abcde"
    assert clean("x\x00y\x1bz\x7f") == "xyz"
    assert clean("keep\ttab\nline") == "keep\ttab\nline"
    assert clean("sep\u2028par\u2029") == "sep\npar\n"
    assert clean("\ufffe\uffffok") == "ok"
    assert clean("عربى \u200f mark") == "عربى \u200f mark"  # a plain RLM is harmless text


def test_clean_treats_every_character_by_its_unicode_category():
    # clean() works with character ranges; they must be exactly the categories.
    hidden = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff")

    def expected(char):
        if unicodedata.category(char) in ("Zl", "Zp"):
            return "\n"
        if char in "\n\t" or (unicodedata.category(char) != "Cc" and char not in hidden):
            return char
        return ""

    every = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    assert [clean(char) for char in every] == [expected(char) for char in every]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_markdown_escapes_everything(advice, knowledge, lang):
    memo = render(advice, knowledge, "md", lang)
    no_hidden_characters(memo)
    assert not re.search(r"(?<!\\)<(script|img|b>|w:)", memo)
    assert r"\<script\>alert(1)\</script\>" in memo
    assert r"\*\*Yayasan\*\*" in memo
    assert r"\[units\](http://evil.example)" in memo
    assert r"{{ 7\*7 }}" in memo and "49" not in memo.split("## ")[0]
    heading = next(line for line in memo.splitlines() if line.startswith("# "))
    assert "KCATTA" in heading
    row = next(line for line in memo.splitlines() if line.startswith("| 1\\. night"))
    assert row.count(" | ") + 2 == 4, row  # the name's | does not split the cells


@pytest.mark.parametrize("lang", ["en", "id"])
def test_html_autoescapes_everything(advice, knowledge, lang):
    memo = render(advice, knowledge, "html", lang)
    no_hidden_characters(memo)
    lowered = memo.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<w:" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in memo
    assert "&lt;b&gt;merge&lt;/b&gt;" in memo
    assert "{{ 7*7 }}" in memo


def test_plain_text_keeps_the_text_as_written(advice, knowledge):
    memo = render(advice, knowledge, "text", "en")
    no_hidden_characters(memo)
    assert "<script>alert(1)</script> **Yayasan** KCATTA {{ 7*7 }}" in memo
    assert max(len(line) for line in memo.split("\n")) <= 80


def test_json_keeps_the_data_exactly(advice, knowledge):
    data = json.loads(render(advice, knowledge, "json", "en"))
    assert data["organization"] == NAME
    assert [p["name"] for p in data["programs"]] == [PROGRAM]


def test_word_keeps_the_text_literal(advice, knowledge, tmp_path):
    docx = pytest.importorskip("docx")
    target = tmp_path / "memo.docx"
    with picture_without_a_browser():  # the text is read, not the picture
        target.write_bytes(render(advice, knowledge, "docx", "en"))
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    everything = "\n".join(texts).replace("\u2060", "")
    no_hidden_characters(everything.replace("\n", " ").replace("\t", " "))
    assert "<script>alert(1)</script> **Yayasan** KCATTA {{ 7*7 }} {_{ x }_}" in everything
    assert "</w:t><w:p>" in everything  # the XML in the summary stayed text
    assert PROGRAM.replace("\u202d", "").replace("\u202c", "") in everything
    title = document.core_properties.title.replace("\u2060", "")
    assert title == "Advisory memo: " + clean(NAME).replace("\u2060", ""), title
