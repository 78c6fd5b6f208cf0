"""The command follows the usual conventions: --version, help with examples, shell
completion for bash, zsh and fish, PERENCANA_LANG, NO_COLOR, documented exit codes."""

import re

import click
import pytest
from click.testing import CliRunner

from perencana.cli import PerencanaGroup, main
from tests.helpers import EXAMPLES, ROOT, invoke, run_perencana

README = (ROOT / "README.md").read_text(encoding="utf-8")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"perencana, version \d+\.\d+\.\d+\S*\n", result.output)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts_are_generated_and_documented(shell):
    result = invoke(env={"_PERENCANA_COMPLETE": f"{shell}_source"})
    assert result.returncode == 0, result.stderr
    assert "_perencana_completion" in result.stdout
    assert f"_PERENCANA_COMPLETE={shell}_source perencana" in README


def test_completion_offers_commands_and_format_values():
    words = invoke(
        env={
            "_PERENCANA_COMPLETE": "bash_complete",
            "COMP_WORDS": "perencana adv",
            "COMP_CWORD": "1",
        }
    )
    assert "plain,advise" in words.stdout
    formats = invoke(
        env={
            "_PERENCANA_COMPLETE": "bash_complete",
            "COMP_WORDS": "perencana advise case.yaml --format ",
            "COMP_CWORD": "4",
        }
    )
    assert {"plain,md", "plain,html", "plain,docx"} <= set(formats.stdout.split())


def _colourful_group():
    group = PerencanaGroup(name="demo")

    @group.command()
    def hello():
        """Say hello in red."""
        click.secho("hello", fg="red")

    return group


def test_no_color_strips_colour_even_on_a_terminal(monkeypatch):
    group = _colourful_group()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = CliRunner().invoke(group, ["hello"], color=True)
    assert plain.output == "hello\n"
    monkeypatch.delenv("NO_COLOR")
    coloured = CliRunner().invoke(group, ["hello"], color=True)
    assert ANSI.search(coloured.output)


def test_perencana_itself_prints_no_colour():
    source = "\n".join(p.read_text() for p in [ROOT / "cli.py", *(ROOT / "engine").rglob("*.py")])
    assert not re.search(r"\b(secho|style)\(", source.replace("click.echo", ""))
    # As on a terminal (click would keep any style), without NO_COLOR.
    for args in (["advise"], ["explain"], ["whatif", "--set", "change.pace=rapid"]):
        command, *options = args
        result = invoke(command, EXAMPLES / "old-government-office.yaml", *options, color=True)
        assert result.returncode == 0, result.stderr
        assert not ANSI.search(result.stdout + result.stderr), command


def test_the_language_default_and_no_color_are_documented():
    assert "PERENCANA_LANG=id" in README
    assert "NO_COLOR" in README


def test_the_exit_codes_are_documented_and_true(tmp_path):
    table = README[README.index("| exit code | meaning |") :]
    for code in ("`0`", "`1`", "`2`", "`130`", "`143`"):
        assert f"| {code} |" in table
    assert run_perencana("validate", EXAMPLES / "old-government-office.yaml").returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: 3\n")
    assert run_perencana("validate", bad).returncode == 1
    assert run_perencana("advise", "--no-such-option").returncode == 2
    assert run_perencana("advise", bad, "--format", "docx").returncode == 2
