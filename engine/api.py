"""perencana as a library: what each command does, without the command line.

``cli.py`` parses options and calls these; tests and other programs may too.
"""

import json

from perencana.engine.case.schema import load_schema
from perencana.engine.case.vocabulary import LANGUAGES as LANGUAGES  # for cli.py

FORMATS = ("md", "html", "text", "json")


def read_case(source, text=None):
    """The validated, normalized case from a path or ``-`` (``text`` is stdin)."""
    from perencana.engine.case.loader import load_case

    return load_case(source, text)


def read_line(stream):
    """One line typed on ``stream``, bounded in length (see ``bounded_line``)."""
    from perencana.engine.case.loader import bounded_line

    return bounded_line(stream)


def terminal_text(text):
    """``text`` safe to print on a terminal: no control or escape sequences (an OSC 52
    would write the clipboard), line breaks kept."""
    from perencana.engine.view.words import clean

    return clean(text)


def terminal_line(text):
    """``text`` safe to print as one line of a terminal (see ``terminal_text``)."""
    from perencana.engine.view.words import one_line

    return one_line(text)


def advise(case):
    """The ``Advice`` for a normalized case."""
    from perencana.engine.reasoning.advisor import Advisor

    return Advisor().advise(case)


# Formats of ``advise`` that are files, not text: they need ``-o FILE``.
BINARY_FORMATS = ("docx",)
ADVISE_FORMATS = FORMATS + BINARY_FORMATS


def render_advice(advice, fmt="md", lang="en", template_dir=None):
    """The memo (or JSON) for an advice, as text (``docx``: bytes); templates in
    ``template_dir`` replace the shipped ones of the same name."""
    from perencana.engine.memo.render import render_advice as render

    return render(advice, fmt, lang, template_dir=template_dir)


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


def interview(output=None, resume=None, fmt="md", lang="en", force=False):
    """``perencana interview``: ask for the case's facts (on a terminal, or read the
    answers piped in), write the case file after every answer, then print the memo.
    Returns the exit code: 0 done, 130 interrupted (Ctrl-C), 1 input ended early."""
    from perencana.engine.interview.console import run_interview

    return run_interview(output, resume, fmt, lang, force, advise=advise, render=render_advice)


def run_batch(
    inputs, outdir, fmt="md", lang="en", jobs=1, resume=False, progress=None, on_failure=None
):
    """``perencana batch``: one memo per case of ``inputs`` (case files, folders of them,
    CSV or JSON Lines tables) in ``outdir``, with ``summary.json`` and ``summary.html``.
    Returns a ``BatchResult``; see ``perencana.engine.batch.run.run_batch`` for the callbacks."""
    from perencana.engine.batch.run import run_batch as run

    return run(inputs, outdir, fmt, lang, jobs, resume, progress, on_failure)
