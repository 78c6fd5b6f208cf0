"""perencana as a library: what each command does, without the command line.

``cli.py`` parses options and calls these; tests and other programs may too.
"""

import json

from engine.case_schema import load_schema

FORMATS = ("md", "html", "text", "json")
LANGUAGES = ("en", "id")


def read_case(source, text=None):
    """The validated, normalized case from a path or ``-`` (``text`` is stdin)."""
    from engine.case_loader import load_case

    return load_case(source, text)


def advise(case):
    """The ``Advice`` for a normalized case."""
    from engine.advisor import Advisor

    return Advisor().advise(case)


def render_advice(advice, fmt="md", lang="en"):
    """The memo (or JSON) for an advice, as text."""
    if fmt == "json":
        # JSON needs no templates: skip importing Jinja and the memo view.
        return advice.to_json_text()
    from engine.render import render
    from knowledge import load_knowledge

    return render(advice, load_knowledge(), fmt, lang)


def write_memo(text, path, force=False):
    """Write a memo to ``path`` atomically; refuse an existing file without ``force``."""
    from engine.output import write_atomically

    write_atomically(path, text, force=force)


def schema_json():
    """The case file's JSON Schema, as printed by ``perencana schema``."""
    return json.dumps(load_schema(), indent=2, ensure_ascii=False) + "\n"
