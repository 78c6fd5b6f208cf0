"""The ``perencana`` command: parses options and delegates to ``engine.api``.

User-facing errors (``perencana.engine.errors.PerencanaError``) become messages and exit
codes in one place, ``PerencanaGroup.invoke``.
"""

import io
import os
import sys

from perencana.engine import gc_policy

gc_policy.for_one_command()  # before click and the rest are imported

import click  # noqa: E402

from perencana.engine import api  # noqa: E402
from perencana.engine.errors import PerencanaError  # noqa: E402
from perencana.engine.memo.output import exit_on_termination  # noqa: E402


class PerencanaGroup(click.Group):
    """A click group that turns perencana's errors into messages, not tracebacks."""

    def main(self, args=None, *more, **options):
        """Run the command; run as the program itself (its arguments read from the
        command line, not given by a test or another program), what it made is
        frozen as it ends (``gc_policy``)."""
        try:
            return super().main(args, *more, **options)
        finally:
            if args is None:
                gc_policy.freeze_for_exit()

    def invoke(self, ctx):
        if os.environ.get("NO_COLOR"):
            ctx.color = False  # https://no-color.org: click.echo strips any ANSI style
        try:
            with exit_on_termination():  # SIGTERM runs finally blocks (temp files go)
                return super().invoke(ctx)
        except PerencanaError as error:
            for message in error.messages():
                click.echo(f"Error: {api.terminal_line(message)}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("\nAborted!", err=True)
            ctx.exit(130)  # 128 + SIGINT, as the shell reports it; 1 means bad data


def case_argument(command):
    return click.argument("case", metavar="CASE")(command)


def lang_option(command):
    return click.option(
        "--lang",
        type=click.Choice(api.LANGUAGES, case_sensitive=False),
        default="en",
        # The default shown is the one in force: PERENCANA_LANG may make it id.
        show_default="PERENCANA_LANG if set, else en",
        envvar="PERENCANA_LANG",
        help="Output language: en (English) or id (Indonesian).",
    )(command)


def edition_option(command):
    """--edition, shared by the commands that write memos (advise, batch, interview)."""
    return click.option(
        "--edition",
        type=click.Choice(api.EDITIONS),
        default=api.DEFAULT_EDITION,
        show_default=True,
        help="Who the memo is for: client (the organization's leadership: plain reasons, "
        "no field paths, rule ids or guidance to the planner), planner (everything but "
        "the rules' trace), or trainer (everything, with the rules' trace). The JSON "
        "advice is the same in all three.",
    )(command)


def memo_format_option(choices, help_text):
    """The --format option of the commands that render memos (md by default)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="md",
        show_default=True,
        help=help_text,
    )


def _format_for(output, fmt, formats, default):
    """The format a command writes: from ``-o FILE``'s extension when it has one (a
    ``--format`` that contradicts it, or an extension of no format, is a usage
    error), else ``--format``, else ``default``. Every command with ``-o`` asks here."""
    try:
        return api.output_format(output, fmt, formats, default)
    except api.FormatConflict as conflict:
        raise click.UsageError(str(conflict)) from None


def _emit(text, output, force):
    """Write ``text`` to the file ``output`` (atomically), or else to standard output."""
    if output:
        api.write_memo(text, output, force=force)
    else:
        _echo(text)


def _echo(text):
    """Print ``text`` (a memo, an explanation) on standard output without the control
    and escape sequences a case's names may hold: a terminal would obey them."""
    click.echo(api.terminal_text(text) if isinstance(text, str) else text, nl=False)


def _read_case(case):
    # With "-", the loader reads standard input itself, as bytes, so that a bad
    # encoding is reported like a bad file.
    return api.read_case(case)


@click.group(cls=PerencanaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="perencana", prog_name="perencana")
def main():
    """perencana: advice on why a social-service organization will resist a change,
    and how to win acceptance for it.

    \b
    Example:
      perencana advise examples/id/old-government-office.yaml --lang id
    """


@main.command(
    epilog="""\b
Examples:
  perencana advise examples/young-community-group.yaml
  perencana advise case.yaml --lang id -o memo.html
  cat case.yaml | perencana advise - --format json
  perencana advise case.yaml -o memo.docx
  perencana advise case.yaml -o memo.pdf
  perencana advise case.yaml --lang id --template-dir letterhead/ -o memo.md
  perencana advise case.yaml --edition client --date 2026-11-30 \\
      --prepared-by "Ani Rahayu" -o memo.html"""
)
@case_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.ADVISE_FORMATS),
    help="md (Markdown, the default), html (standalone page), text (80 columns), json "
    "(the advice), docx (a Word document) or pdf (the HTML memo printed by a headless "
    "Chromium); docx and pdf need -o FILE. With -o, the file's extension (.md, .html, "
    ".txt, .json, .docx, .pdf) decides and --format may be left out.",
)
@lang_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE, not stdout.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False),
    metavar="DIR",
    help="Use the memo templates in DIR (memo.md.j2, memo.html.j2, memo.text.j2, memo.docx) "
    "instead of the shipped ones of the same name; they run sandboxed.",
)
@edition_option
@click.option(
    "--date",
    metavar="TEXT",
    help="The memo's date as it should be printed (e.g. 2026-11-30); overrides memo.date "
    "of the case. Without it (or memo.date) the memo carries no date.",
)
@click.option(
    "--prepared-by",
    metavar="TEXT",
    help="Who prepared the memo; overrides memo.prepared_by of the case.",
)
def advise(case, fmt, lang, output, force, template_dir, edition, date, prepared_by):
    """Run the engine on a case file and print the advisory memo.

    CASE is a YAML or JSON case file, or - for standard input.
    """
    fmt = _format_for(output, fmt, api.ADVISE_FORMATS, "md")
    if fmt in api.BINARY_FORMATS and not output:
        raise click.UsageError(f"--format {fmt} writes a file; name it with -o FILE")
    details = {"date": date, "prepared_by": prepared_by}
    advice = api.advise(_read_case(case))
    text = api.render_advice(advice, fmt, lang, template_dir, edition=edition, details=details)
    _emit(text, output, force)


@main.command(
    epilog="""\b
Examples:
  perencana validate examples/ngo-hurting-stakeholders.yaml
  perencana validate - < case.json"""
)
@case_argument
def validate(case):
    """Check a case file: list every problem in it, or say that it is valid.

    CASE is a YAML or JSON case file, or - for standard input.
    """
    normalized = _read_case(case)
    name = normalized["organization"]["name"]
    click.echo(api.terminal_line(f"{api.case_name(case)}: valid case for {name}"))


@main.command(
    epilog="""\b
Examples:
  perencana schema > case.schema.json
  check-jsonschema --schemafile case.schema.json my-case.yaml"""
)
def schema():
    """Print the case file's JSON Schema (for editors and other tools)."""
    click.echo(api.schema_json(), nl=False)


@main.command(
    name="rules",
    epilog="""\b
Examples:
  perencana rules
  perencana rules --lang id > katalog-aturan.md
  perencana rules --format json""",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.RULES_FORMATS),
    default="md",
    show_default=True,
    help="md (Markdown, grouped by concern, IF ... THEN ...) or json (one entry per rule).",
)
@lang_option
def rules_command(fmt, lang):
    """Print the catalog of every rule: its statement, its conditions, what it
    concludes, its salience and the passages (¶) of the source it rests on."""
    click.echo(api.rules_catalog(fmt, lang), nl=False)


@main.command(
    name="check",
    epilog="""\b
Examples:
  perencana check
  perencana check --knowledge my-knowledge-copy/
  perencana check --scenarios scenarios/
  perencana check --passages""",
)
@click.option(
    "--knowledge",
    "knowledge_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Check the knowledge in DIR (a copy being edited) instead of the shipped one.",
)
@click.option(
    "--scenarios",
    "scenarios_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Also run the scenario cases in DIR and report where the advice differs.",
)
@click.option(
    "--passages",
    "list_passages",
    is_flag=True,
    help="Also list each passage of the source (¶4-¶73) with the rules and knowledge "
    "items that encode it, or why it is deliberately not encoded.",
)
def check_command(knowledge_dir, scenarios_dir, list_passages):
    """Check the knowledge base against the rules: every item concludable, every ¶
    and id real, every condition reachable, both languages complete, every case
    field and allowed value labelled in fields.yaml, and no text the memo shows
    asserting what the case contradicts; and every passage ¶4-¶73 of the source either
    encoded by a rule or knowledge item or listed in passages.yaml as deliberately not
    encoded, with why.

    Prints "ok: ..." and exits 0, or one "Error: ..." line per problem and exits 1.
    """
    report = api.check_knowledge_base(knowledge_dir, scenarios_dir)
    for line in report.lines():
        click.echo(line)
    if list_passages:
        for status in report.passages:
            click.echo(status.line())
    report.raise_problems()


@main.command(
    epilog="""\b
Examples:
  perencana whatif case.yaml --set funding.funds_for_change=sufficient
  perencana whatif case.yaml --set "funding.sunk_investments=[facilities, equipment]"
  perencana whatif case.yaml --set "stakeholders[0].impact=positive" --format json
  perencana whatif case.yaml --set change.proposed_by=internal --lang id"""
)
@case_argument
@click.option(
    "--set",
    "sets",
    multiple=True,
    required=True,
    metavar="PATH=VALUE",
    help="Change one answer: a dotted case path (stakeholders[0].impact) and a YAML value "
    "(true, 12, none, unknown, [facilities, equipment]). Repeat for several.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.WHATIF_FORMATS),
    default="text",
    show_default=True,
    help="text (80 columns) or json (the differences, by id).",
)
@lang_option
def whatif(case, sets, fmt, lang):
    """Show what changing the case would change in the advice.

    Runs CASE as it is and with each --set applied (checked like any case file),
    and lists what differs: causes and their strength, strategies and their ranks,
    caveats, program decisions, guidance, life-cycle stage, open questions.
    CASE is a YAML or JSON case file, or - for standard input.
    """
    result = api.what_if(_read_case(case), sets, lang)
    _echo(api.render_what_if(result, fmt, lang))


@main.command(
    epilog="""\b
Examples:
  perencana graph > network.dot
  perencana graph examples/old-government-office.yaml -o reasoning.svg
  perencana graph examples/program-review.yaml --format mermaid --lang id"""
)
@click.argument("case", metavar="[CASE]", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.GRAPH_FORMATS),
    help="dot (Graphviz, the default), mermaid (flowchart for Markdown) or svg (a picture, "
    "no tools needed). With -o, the file's extension (.dot, .mmd, .svg) decides.",
)
@lang_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE, not stdout.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def graph(case, fmt, lang, output, force):
    """Draw the reasoning network: which facts lead, by which rules, to the causes,
    strategies, program decisions and guidance.

    Without CASE, the whole network; with CASE (a YAML or JSON case file, or - for
    standard input), the paths that fired in it are highlighted and the rest greyed.
    """
    fmt = _format_for(output, fmt, api.GRAPH_FORMATS, "dot")
    text = api.render_graph(_read_case(case) if case else None, fmt, lang)
    _emit(text, output, force)


@main.command(
    epilog="""\b
Examples:
  perencana explain examples/old-government-office.yaml
  perencana explain examples/young-community-group.yaml shake-up
  perencana explain examples/program-review.yaml lifecycle --lang id
  perencana explain case.yaml financial --format json
  perencana explain examples/old-government-office.yaml --step
  perencana explain examples/old-government-office.yaml --step < /dev/null"""
)
@case_argument
@click.argument("item_id", metavar="[ID]", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.EXPLAIN_FORMATS),
    default="text",
    show_default=True,
    help="text (80 columns) or json (the explanation, or with --step every firing).",
)
@lang_option
@click.option(
    "--step",
    is_flag=True,
    help="Walk through the run one rule firing at a time, showing the agenda; "
    "Enter (or n) for the next firing, why for why its rule fired first, q to quit; "
    "at the end of the input, run to the end.",
)
def explain(case, item_id, fmt, lang, step):
    """Explain how each conclusion of the advice was reached, or why one was not.

    Without ID: every conclusion (life-cycle stage, causes, strategies, program
    decisions, guidance) with the rules that fired, the facts they matched and
    their sources. ID names one: a cause, strategy, guidance or decision id, a
    program name, or lifecycle; if it was not concluded, says which conditions of
    the rules that could conclude it failed on this case.
    CASE is a YAML or JSON case file, or - for standard input.
    """
    normalized = _read_case(case)
    if not step:
        _echo(api.explain(normalized, item_id, fmt, lang, case))
        return
    stepper = api.explain_steps(normalized, lang, case)
    stepper.reject_id(item_id)
    if fmt == "json":
        _echo(stepper.to_json() + "\n")
        return
    stdin = sys.stdin
    if stdin is None:  # started with standard input closed: as at the end of the input
        stdin = io.StringIO()
    stepper.walk(
        _echo,
        lambda: api.read_line(stdin),
        interactive=stdin.isatty(),
    )


@main.command(
    name="interview",
    epilog="""\b
Examples:
  perencana interview -o my-case.yaml
  perencana interview --resume my-case.yaml --lang id
  perencana interview -o case.yaml --format json < answers.txt""",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the case to FILE (default: case.yaml here) after every answer.",
)
@click.option(
    "--resume",
    type=click.Path(dir_okay=False),
    help="Continue the partial case in FILE: ask only what it does not answer yet.",
)
@click.option(
    "--memo",
    type=click.Path(dir_okay=False),
    help="Write the memo to FILE, its format from its extension (.md, .html, .txt, "
    ".json, .docx), and print only the advice in short.",
)
@memo_format_option(api.FORMATS, "The memo printed at the end: md, html, text or json.")
@lang_option
@edition_option
@click.option("--force", is_flag=True, help="Overwrite the case file (and memo) if it exists.")
@click.pass_context
def interview_command(ctx, output, resume, memo, fmt, lang, edition, force):
    """Ask for the facts of a case, write the case file, print the memo.

    Only questions whose answer can still change the advice are asked, the most
    decisive first. At any question: ? lists the allowed answers, why says which rules
    wait for the answer, how shows the advice so far, done stops the questions and
    gives the advice with what is known, back returns to the previous question,
    unknown (or Enter, on an optional question) when you do not know. Before the
    advice, the answers are shown for review. The case is saved after every answer;
    Ctrl-C keeps it, and --resume continues it (in the language it was in). With
    piped input, answers are read one per line (questions go to standard error).
    """
    gc_policy.for_long_running()
    if memo is not None and api.memo_format_for(memo) is None:
        raise click.BadParameter(
            "the file name must end in .md, .html, .txt, .json or .docx", param_hint="--memo"
        )
    if ctx.get_parameter_source("lang") == click.core.ParameterSource.DEFAULT:
        lang = None  # a resumed interview keeps its own language
    ctx.exit(api.interview(output, resume, fmt, lang, force, memo, edition))


@main.command(
    name="batch",
    epilog="""\b
Examples:
  perencana batch examples/ -o memos/
  perencana batch cases/ more.yaml table.csv rows.jsonl -o out/ --format html --jobs 2
  perencana batch cases.csv -o out/ --format json --lang id --resume""",
)
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--outdir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the memos, summary.json and summary.html (created if missing).",
)
@memo_format_option(
    api.FORMATS,
    "Format of each memo: md, html, text or json. A Markdown memo gets its HTML memo "
    "beside it, which summary.html links, as a browser shows it.",
)
@lang_option
@edition_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes advising cases at once (one engine each).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Skip each case whose memo is newer than the case and matches the summary.",
)
@click.pass_context
def batch_command(ctx, inputs, outdir, fmt, lang, edition, jobs, resume):
    """Advise many organizations at once: one memo per case, and a portfolio summary.

    INPUT is a case file (YAML or JSON), a folder of them, a CSV file with one case
    per row (columns are dotted field paths, e.g. organization.name; see README) or a
    JSON Lines file with one case per line. A bad case is reported (FILE[:ROW]: ...)
    and the others go on; the exit code is then 1. Ctrl-C keeps every finished memo;
    run again with --resume to finish.
    """
    gc_policy.for_long_running()
    stderr = sys.stderr

    def progress(total):
        return click.progressbar(length=total, label="Advising", file=stderr)

    def report(label, problems):
        for problem in problems:
            click.echo(api.terminal_line(f"Error: {label}: {problem}"), err=True)

    result = api.run_batch(
        inputs,
        outdir,
        fmt,
        lang,
        jobs,
        resume,
        progress if stderr.isatty() else None,
        report,
        edition=edition,
    )
    click.echo(result.report())
    ctx.exit(result.exit_code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
