"""Case text made safe to show: control and hidden characters dropped.

``clean`` and ``one_line`` are what every view shows case text through (``words``
offers them to the view's modules); they live apart from ``words`` so that printing
the JSON advice on a terminal does not import the memo's wording.
"""

import re
from functools import lru_cache


# Remembered for the same reason as render.md_escape: most texts recur in every memo.
@lru_cache(maxsize=4096, typed=True)
def clean(text):
    """``text`` without control characters (newlines and tabs kept); line and
    paragraph separators become newlines. The bidirectional embedding, override and
    isolate controls (U+202A to U+202E, U+2066 to U+2069), which can make a line read
    differently from what it holds, are dropped too, as are the noncharacters U+FFFE
    and U+FFFF, which XML (HTML, Word) does not allow."""
    text = str(text)
    if text.isprintable() or not _unclean().search(text):
        return text
    return re.sub(_DROPPED, "", re.sub(_SEPARATORS, "\n", text))


def one_line(text):
    """``text`` cleaned (``clean``) and on one line: every line break and run of
    white space becomes one space, so that a name cannot start a line of its own
    (a fake ``Error:`` line) or carry a terminal's escape sequence."""
    return " ".join(clean(text).split())


def cut_line(text, most):
    """``text`` as typed, on one line (runs of white space as one space) and cut to
    ``most`` characters with "...", for a message that quotes what a user typed."""
    text = " ".join(str(text).split())
    return text if len(text) <= most else text[: most - 3] + "..."


# Unicode's line and paragraph separators (categories Zl and Zp), and what is dropped:
# the controls (category Cc) but tab and newline, and the hidden characters above.
# A printable text (``str.isprintable``: no control, format, separator or unassigned
# character) holds neither, so it is passed without a regex, and the test is compiled
# only for the first text that is not (one with a newline or a tab): compiling it took
# a third of a millisecond of every command.
_SEPARATORS = "[\u2028\u2029]"
_DROPPED = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"


@lru_cache(maxsize=1)
def _unclean():
    return re.compile(f"{_SEPARATORS}|{_DROPPED}")
