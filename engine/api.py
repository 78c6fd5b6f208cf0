"""perencana as a library: what each command does, without the command line.

``cli.py`` parses options and calls these; tests and other programs may too.
"""

import json
import os

from perencana.engine.case.schema import load_schema
from perencana.engine.case.vocabulary import LANGUAGES as LANGUAGES  # for cli.py
from perencana.engine.view.editions import DEFAULT_EDITION
from perencana.engine.view.editions import EDITIONS as EDITIONS  # for cli.py

FORMATS = ("md", "html", "text", "json")


def read_case(source, text=None):
    """The validated, normalized case from a path or ``-`` (``text`` is stdin)."""
    from perencana.engine.case.loader import load_case

    return load_case(source, text)


def case_name(source):
    """How messages name the case ``source``: its path, or ``<stdin>`` for ``-``, as
    the loader's own messages do."""
    from perencana.engine.case.loader import STDIN_NAME

    return STDIN_NAME if str(source) == "-" else str(source)


def read_line(stream):
    """One line typed on ``stream``, bounded in length (see ``bounded_line``)."""
    from perencana.engine.case.loader import bounded_line

    return bounded_line(stream)


def terminal_text(text):
    """``text`` safe to print on a terminal: no control or escape sequences (an OSC 52
    would write the clipboard), line breaks kept."""
    from perencana.engine.view.safe_text import clean

    return clean(text)


def terminal_line(text):
    """``text`` safe to print as one line of a terminal (see ``terminal_text``)."""
    from perencana.engine.view.safe_text import one_line

    return one_line(text)


def advise(case):
    """The ``Advice`` for a normalized case."""
    from perencana.engine.reasoning.advisor import Advisor

    return Advisor().advise(case)


# Formats of ``advise`` that are files, not text: they need ``-o FILE``.
BINARY_FORMATS = ("docx", "pdf")
ADVISE_FORMATS = FORMATS + BINARY_FORMATS

# What the extension of ``-o FILE`` says the file is: one table for every command
# that writes a file (``output_format`` decides with it).
EXTENSIONS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".json": "json",
    ".docx": "docx",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".svg": "svg",
}


class FormatConflict(ValueError):
    """``-o FILE``'s extension and ``--format`` disagree, or the extension names no
    format the command writes; the message says which."""


def output_format(output, fmt, formats, default):
    """The format to write: what ``output``'s extension says (among ``formats``),
    else ``fmt``, else ``default``. Raises ``FormatConflict`` for an extension that
    names no format in ``formats`` or a ``fmt`` that contradicts it. A file name
    without an extension takes ``fmt`` (or ``default``)."""
    suffix = os.path.splitext(str(output))[1].lower() if output else ""
    if not suffix:
        return fmt or default
    allowed = [ext for ext, name in EXTENSIONS.items() if name in formats]
    by_extension = EXTENSIONS.get(suffix)
    if by_extension not in formats:
        raise FormatConflict(
            f"{output}: unknown extension {suffix}; name the file with one of: "
            + ", ".join(allowed)
        )
    if fmt and fmt != by_extension:
        raise FormatConflict(
            f"--format {fmt} contradicts {output}, a .{suffix[1:]} file ({by_extension}): "
            "drop --format or name the file for it"
        )
    return by_extension


def render_advice(
    advice, fmt="md", lang="en", template_dir=None, edition=DEFAULT_EDITION, details=None
):
    """The memo (or JSON) for an advice, as text (``docx``, ``pdf``: bytes), in
    ``edition`` (client, planner or trainer; the JSON advice is the same in all three);
    templates in ``template_dir`` replace the shipped ones of the same name.
    ``details`` (a dict: title, client_organization, prepared_by, prepared_for, date,
    reference) override the case's ``memo`` section."""
    if fmt == "json":  # no templates, no memo view: leave their modules unimported
        from perencana.engine.view.advice_json import advice_json_text
        from perencana.engine.view.editions import check_edition

        check_edition(edition)
        return advice_json_text(advice)
    from perencana.engine.memo.render import render_advice as render

    return render(advice, fmt, lang, template_dir=template_dir, edition=edition, details=details)


def write_memo(text, path, force=False):
    """Write a memo (text, or bytes for docx) to ``path`` atomically; refuse an
    existing file without ``force``."""
    from perencana.engine.memo.output import write_atomically

    write_atomically(path, text, force=force)


def schema_json():
    """The case file's JSON Schema, as printed by ``perencana schema``."""
    return json.dumps(load_schema(), indent=2, ensure_ascii=False) + "\n"


RULES_FORMATS = ("md", "json")


def rules_catalog(fmt="md", lang="en"):
    """The catalog of every rule (``perencana rules``), as Markdown or JSON text."""
    from perencana.engine.teaching.catalog_view import render_catalog
    from perencana.knowledge import load_knowledge

    return render_catalog(load_knowledge(), fmt, lang)


def check_knowledge_base(knowledge_dir=None, scenarios_dir=None):
    """The ``CheckReport`` of ``perencana check`` on a knowledge folder (the shipped
    one by default) and, with ``scenarios_dir``, on the scenarios in it."""
    from perencana.engine.teaching.kb_check import check_knowledge_base as check

    return check(knowledge_dir, scenarios_dir)


WHATIF_FORMATS = ("text", "json")


def what_if(case, sets, lang="en"):
    """The ``WhatIf`` of ``perencana whatif``: the normalized ``case`` run as it is
    and with each ``PATH=VALUE`` of ``sets`` applied, on one ``Advisor``."""
    from perencana.engine.reasoning.advisor import Advisor
    from perencana.engine.teaching.whatif import what_if as compare_runs

    return compare_runs(Advisor(), case, sets, lang)


def render_what_if(result, fmt="text", lang="en"):
    """A ``WhatIf`` as text (in ``lang``) or deterministic JSON."""
    from perencana.engine.teaching.whatif import render_what_if as render
    from perencana.knowledge import load_knowledge

    return render(result, load_knowledge(), fmt, lang)


EXPLAIN_FORMATS = ("text", "json")


def explain(case, item_id=None, fmt="text", lang="en", case_label="CASE"):
    """``perencana explain``: how each conclusion was reached (or only what
    ``item_id`` names, with why not when it was not concluded), as text or JSON.
    ``case_label`` is how the case is named in the ``see: perencana explain`` hints."""
    from perencana.engine.reasoning.advisor import Advisor
    from perencana.engine.teaching.explanation import explain_case, render_explanation

    advisor = Advisor()
    model = explain_case(advisor, case, item_id, lang, case_label)
    return render_explanation(model, advisor.knowledge, fmt)


def explain_steps(case, lang="en", case_label="CASE"):
    """The ``Stepper`` of ``perencana explain --step``: the run, one firing at a time."""
    from perencana.engine.reasoning.advisor import Advisor
    from perencana.engine.teaching.stepper import Stepper

    return Stepper(Advisor(), case, lang, case_label)


GRAPH_FORMATS = ("dot", "mermaid", "svg")


def render_graph(case=None, fmt="dot", lang="en"):
    """``perencana graph``: the reasoning network as DOT, Mermaid or SVG text; with a
    normalized ``case``, the paths that fired in it highlighted."""
    from perencana.engine.graph.dot import dot
    from perencana.engine.graph.mermaid import mermaid
    from perencana.engine.graph.model import reasoning_graph
    from perencana.engine.graph.svg import svg
    from perencana.engine.reasoning.advisor import Advisor
    from perencana.knowledge import load_knowledge

    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
    # The rules' run is all the graph needs; which unknowns matter it does not show.
    advice = Advisor().infer(case) if case is not None else None
    graph = reasoning_graph(load_knowledge(), lang, advice)
    return {"dot": dot, "mermaid": mermaid, "svg": svg}[fmt](graph)


# A memo file's format, by the file's extension.
MEMO_EXTENSIONS = {
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".json": "json",
    ".docx": "docx",
}


def memo_format_for(path):
    """The memo format a file name asks for by its extension (``memo.html``: html);
    ``None`` for an extension that names no format."""
    from pathlib import Path

    return MEMO_EXTENSIONS.get(Path(str(path)).suffix.casefold())


def interview(
    output=None, resume=None, fmt="md", lang=None, force=False, memo=None, edition=DEFAULT_EDITION
):
    """``perencana interview``: ask for the case's facts (on a terminal, or read the
    answers piped in), write the case file after every answer, then the memo: to the
    file ``memo`` (its format from its extension), else printed. ``lang`` ``None``
    takes the language a resumed file records. Returns the exit code: 0 done, 130
    interrupted (Ctrl-C), 1 input ended early."""
    from perencana.engine.interview.console import run_interview

    def render(advice, fmt, lang):
        return render_advice(advice, fmt, lang, edition=edition)

    if memo is not None:
        fmt = memo_format_for(memo) or fmt
    return run_interview(
        output,
        resume,
        fmt,
        lang,
        force,
        advise=advise,
        render=render,
        memo=memo,
        write_memo=write_memo,
    )


def run_batch(
    inputs,
    outdir,
    fmt="md",
    lang="en",
    jobs=1,
    resume=False,
    progress=None,
    on_failure=None,
    edition=DEFAULT_EDITION,
):
    """``perencana batch``: one memo per case of ``inputs`` (case files, folders of them,
    CSV or JSON Lines tables) in ``outdir``, with ``summary.json`` and ``summary.html``.
    Returns a ``BatchResult``; see ``perencana.engine.batch.run.run_batch`` for the callbacks."""
    from perencana.engine.batch.run import run_batch as run

    return run(inputs, outdir, fmt, lang, jobs, resume, progress, on_failure, edition)
