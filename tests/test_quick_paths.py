"""The quick paths that spare a one-case command a regex's compiling give what the
regex gives: a printable text (``str.isprintable``) holds none of the characters the
memo's cleaning and the picture's XML drop, on this Python's Unicode."""

import re

from perencana.engine.graph import svg
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
