"""The ``perencana`` command: parses options and delegates to ``engine.api``.

User-facing errors (``engine.errors.PerencanaError``) become messages and exit
codes in one place, ``PerencanaGroup.invoke``.
"""

import sys

import click

from engine import api
from engine.errors import PerencanaError


class PerencanaGroup(click.Group):
    """A click group that turns perencana's errors into messages, not tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PerencanaError as error:
            for message in error.messages():
                click.echo(f"Error: {message}", err=True)
            ctx.exit(error.exit_code)


def case_argument(command):
    return click.argument("case", metavar="CASE")(command)


def lang_option(command):
    return click.option(
        "--lang",
        type=click.Choice(api.LANGUAGES),
        default="en",
        show_default=True,
        envvar="PERENCANA_LANG",
        help="Language of the memo: en (English) or id (Indonesian). Default from PERENCANA_LANG.",
    )(command)


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
      perencana advise examples/old-government-office.yaml --lang id
    """


@main.command(
    epilog="""\b
Examples:
  perencana advise examples/young-community-group.yaml
  perencana advise case.yaml --format html --lang id -o memo.html
  cat case.yaml | perencana advise - --format json"""
)
@case_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.FORMATS),
    default="md",
    show_default=True,
    help="md (Markdown), html (standalone page), text (80 columns) or json (the advice).",
)
@lang_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE, not stdout.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def advise(case, fmt, lang, output, force):
    """Run the engine on a case file and print the advisory memo.

    CASE is a YAML or JSON case file, or - for standard input.
    """
    text = api.render_advice(api.advise(_read_case(case)), fmt, lang)
    if output:
        api.write_memo(text, output, force=force)
    else:
        click.echo(text, nl=False)


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
    click.echo(f"{case}: valid case for {normalized['organization']['name']}")


@main.command(
    epilog="""\b
Examples:
  perencana schema > case.schema.json
  check-jsonschema --schemafile case.schema.json my-case.yaml"""
)
def schema():
    """Print the case file's JSON Schema (for editors and other tools)."""
    click.echo(api.schema_json(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
