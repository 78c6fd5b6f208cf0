"""The quick paths that spare a one-case command some regex work give what the
regexes give: a printable text (``str.isprintable``) holds none of the characters the
memo's cleaning and the picture's XML drop, on this Python's Unicode; a Markdown text
that the one search passes is one that the four escapes would leave as it is."""

import random
import re

from perencana.engine.graph import svg
from perencana.engine.memo import templating
from perencana.engine.view import safe_text


def test_no_printable_character_is_one_that_cleaning_drops_or_changes():
    unclean = re.compile(f"{safe_text._SEPARATORS}|{safe_text._DROPPED}")
    not_xml = re.compile(svg._NOT_XML)
    caught = [
        hex(code)
        for code in range(0x110000)
        if chr(code).isprintable() and (unclean.search(chr(code)) or not_xml.search(chr(code)))
    ]
    assert caught == []


def test_texts_are_cleaned_as_before_printable_or_not():
    for text in ("Dinas Sosial", "a\tb\nc", "x\u2028y\u202ez\x07", "\ud800ok\ufffe", "é ü ¶72"):
        assert svg._clean(text) == re.sub(svg._NOT_XML, "", text)
        expected = re.sub(safe_text._DROPPED, "", re.sub(safe_text._SEPARATORS, "\n", text))
        assert safe_text.clean(text) == expected


def _four_escapes(text):
    """Markdown escaping as it was before the quick path: the four substitutions."""
    text = " ".join(str(text).split("\n"))
    text = templating._MD_SPECIALS.sub(r"\\\1", text)
    text = templating._MD_ENTITY.sub(r"\\&", text)
    text = templating._MD_BLOCK_START.sub(r"\1\\\2", text)
    return templating._MD_LEADING_NUMBER.sub(r"\1\\\2", text)


def test_markdown_escaping_gives_what_the_four_substitutions_give():
    pieces = list("\\`*_[]<>|~&#;+-=.)(0123456789aZ ") + [
        "\n",
        "\t",
        "\xa0",
        "\u2003",
        "\u0663",
        "\uff11",
        "&amp;",
        "&#39;",
        "1.",
        "- ",
        "¶72",
    ]
    chosen = random.Random(16)
    texts = ["".join(chosen.choices(pieces, k=chosen.randint(0, 8))) for _ in range(20000)]
    texts += ["Dinas Sosial", "office-based", "2. item", " # not a heading", "a_b", 3, True]
    for text in texts:
        assert templating._escape_markdown(text) == _four_escapes(text), repr(text)
