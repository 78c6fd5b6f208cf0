"""``perencana interview`` as a user meets it: piped answers and a real terminal.

The answers are scripted from the example cases (``tests.test_interview``), so each
interview can be compared with ``perencana advise`` on the same case, and the case
file written with the one the same answers give in the library.
"""

import json
import re
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from perencana.engine.api import read_case
from perencana.engine.interview.session import Interview
from perencana.engine.reasoning.advisor import Advisor
from perencana.engine.view.advice_json import advice_json
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLES, PERENCANA, invoke, run_perencana
from tests.test_interview import answer_line, run_scripted, walk_example

YOUNG = EXAMPLES / "young-community-group.yaml"
OLD_OFFICE = EXAMPLES / "old-government-office.yaml"


def lines(items):
    return "".join(f"{item}\n" for item in items)


def written(path):
    """The data and the comment lines of a case file the interview wrote."""
    text = Path(path).read_text(encoding="utf-8")
    comments = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    return yaml.safe_load(text), comments


def advised_json(case):
    return advice_json(Advisor().advise(case))


# --------------------------------------------------------------- piped answers


# The command's own work (answers read from a pipe, questions to standard error, the
# case file and its comments, the advice printed) is the same whatever the case; the
# interview itself is walked for every example in tests/test_interview.py. Three
# examples run it here: the richest case, every program decision, and the most
# stakeholders with a program to replace.
PIPED = [
    EXAMPLES / f"{stem}.yaml"
    for stem in ("old-government-office", "program-review", "donor-driven-change")
]


@pytest.mark.parametrize("path", PIPED, ids=lambda p: p.stem)
def test_a_piped_interview_writes_the_case_and_prints_the_advice(tmp_path, advisor, path):
    case = read_case(path)
    run = walk_example(path, advisor).run
    target = tmp_path / "case.yaml"
    result = invoke(
        "interview", "-o", target, "--format", "json", stdin=lines(run.lines), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == advised_json(case)
    data, comments = written(target)
    assert data == run.interview.case_data()
    assert comments[0] == "Case written by perencana interview."
    # the fields not asked are named, when there are any (every question may count)
    skipped = run.interview.skipped()
    assert len(comments) == 2 + bool(skipped)
    assert comments[-1] == "perencana-interview: lang=en"  # resumed in its language
    if skipped:
        assert comments[1] == (
            "Not asked, because no answer to them could change the advice: " + ", ".join(skipped)
        )
    assert read_case(target) == run.interview.final_case()
    # the questions went to standard error, one line each, and nothing else but the end
    asked = [line for line in result.stderr.splitlines() if re.match(r"\d+\. ", line)]
    assert len(asked) == len(run.lines)
    assert result.stderr.splitlines()[-1] == f"Case written to {target}."


def test_the_memo_is_markdown_by_default_and_goes_to_standard_output(tmp_path, advisor):
    # A real process: the answers come through a real pipe on standard input.
    run = walk_example(YOUNG, advisor).run
    result = run_perencana("interview", stdin=lines(run.lines), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert "Kelompok Peduli Remaja Sukamaju" in result.stdout
    assert "What is the organization called?" not in result.stdout
    assert (tmp_path / "case.yaml").is_file()  # the default name, in the current folder


def test_help_why_unknown_back_and_a_wrong_answer_in_piped_input(tmp_path, advisor):
    case = read_case(YOUNG)
    run = walk_example(YOUNG, advisor).run
    script = list(run.lines)
    paths = [q.path for q in run.questions]
    # at the type question: ?, a wrong answer, why; then back from the sector question
    kind = paths.index("organization.type")
    script[kind : kind + 1] = ["?", "church", "why", script[kind], "back", script[kind]]
    # leave the mission unknown
    mission = paths.index("organization.mission") + 5
    assert script[mission] == case["organization"]["mission"]
    script[mission] = "unknown"
    target = tmp_path / "case.yaml"
    result = invoke("interview", "-o", target, stdin=lines(script), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "4. community — Community organization" in err  # ?
    assert "organization.type: 'church' is not allowed; use one of: government" in err
    assert "only describes the organization in the memo" in err  # why, for the type
    assert "Back to the previous question." in err
    data, _ = written(target)
    assert data["organization"]["mission"] == "unknown"
    assert data["organization"]["type"] == "community"


def test_the_end_of_input_keeps_the_answers_and_resume_finishes(tmp_path, advisor):
    case = read_case(OLD_OFFICE)
    run = walk_example(OLD_OFFICE, advisor).run
    target = tmp_path / "office.yaml"
    first = invoke("interview", "-o", target, stdin=lines(run.lines[:17]), cwd=tmp_path)
    assert first.returncode == 1
    assert "The input ended before the interview was finished" in first.stderr
    assert f"perencana interview --resume {target}" in first.stderr
    partial = Interview()
    for line in run.lines[:17]:
        partial.handle(partial.next_question(), line)
    data, comments = written(target)
    assert data == partial.case_data()
    # The answers the case holds, as the review counts them (an "add another?" is none).
    count = partial.answer_count
    assert count == len(partial.review_rows()) < 17
    assert comments[0].startswith(f"Partial case written by perencana interview ({count} answers")
    second = invoke(
        "interview",
        "--resume",
        target,
        "--format",
        "json",
        stdin=lines(run.lines[17:]),
        cwd=tmp_path,
    )
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == advised_json(case)
    assert written(target)[0] == run.interview.case_data()
    assert second.stderr.splitlines()[0].startswith("18. ")  # numbering goes on


def test_an_existing_file_is_never_overwritten_unasked(tmp_path, advisor):
    target = tmp_path / "case.yaml"
    target.write_text("mine\n", encoding="utf-8")
    run = walk_example(YOUNG, advisor).run
    refused = invoke("interview", stdin=lines(run.lines), cwd=tmp_path)
    assert refused.returncode == 1
    assert "case.yaml: already exists; use --force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    forced = invoke("interview", "--force", stdin=lines(run.lines), cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert written(target)[0] == run.interview.case_data()


def test_a_broken_file_is_not_resumed(tmp_path):
    target = tmp_path / "case.yaml"
    target.write_text("change:\n  pace: fast\n", encoding="utf-8")
    result = invoke("interview", "--resume", target, stdin="", cwd=tmp_path)
    assert result.returncode == 1
    assert "change.pace: 'fast' is not allowed" in result.stderr
    assert target.read_text(encoding="utf-8") == "change:\n  pace: fast\n"
    missing = invoke("interview", "--resume", tmp_path / "none.yaml", stdin="")
    assert missing.returncode == 1 and "file not found" in missing.stderr


def test_an_indonesian_interview_says_nothing_in_english(tmp_path):
    case = read_case(YOUNG)
    run = run_scripted(case, lang="id")
    script = list(run.lines)
    kind = [q.path for q in run.questions].index("organization.type")
    script[kind : kind + 1] = ["?", "gereja", "mengapa", script[kind], "kembali", script[kind]]
    target = tmp_path / "kasus.yaml"
    result = invoke(
        "interview", "-o", target, "--lang", "id", stdin=lines(script[:-1]), cwd=tmp_path
    )
    assert result.returncode == 1
    err = result.stderr
    assert "Apa nama lembaga ini?" in err
    assert "Organisasi berbasis masyarakat" in err  # a value label, from ?
    assert "tidak diperbolehkan" in err
    assert "Masukan berakhir sebelum wawancara selesai" in err
    _, comments = written(target)
    assert comments[0].startswith("Kasus belum lengkap")
    english = _english_fragments()
    found = sorted(fragment for fragment in english if fragment in err + "\n".join(comments))
    assert not found
    fields = load_knowledge().fields
    assert fields["organization.name"]["question"]["en"] not in err


def _english_fragments():
    """The words of interview.yaml that only its English texts have."""
    wording = load_knowledge().memo
    fragments = set()
    for group in ("interview", "interview_sections"):
        for key, text in wording[group].items():
            if key.endswith("_words"):
                continue
            indonesian = text["id"]
            for part in re.split(r"\{[a-z_]+\}", text["en"]):
                for piece in re.split(r"[.:;,()“”—]", part):
                    piece = piece.strip()
                    command = piece.startswith("perencana ")  # a command, not English
                    if len(piece) >= 6 and piece not in indonesian and not command:
                        fragments.add(piece)
    return fragments


def test_the_interview_command_has_help_with_an_example():
    result = invoke("interview", "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout and "perencana interview" in result.stdout
    assert "--resume" in result.stdout


# --------------------------------------------------------------- a real terminal


def spawn(*args, cwd, columns=250):
    child = pexpect.spawn(
        PERENCANA,
        list(map(str, args)),
        cwd=str(cwd),
        encoding="utf-8",
        timeout=60,
        dimensions=(200, columns),
        env={"TERM": "dumb", "PATH": str(Path(sys.executable).parent), "LANG": "C.UTF-8"},
    )
    return child


def interrupt(child, message):
    """Press Ctrl-C: the interview says ``message`` and exits with 130."""
    child.sendintr()
    child.expect_exact(message)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


class Terminal:
    """Drives the interview in a pseudo-terminal, keeping an in-process interview in
    step to know which prompt comes next."""

    def __init__(self, child, case, mirror=None):
        self.child = child
        self.case = case
        self.mirror = mirror or Interview()

    def prompt(self):
        question = self.mirror.next_question()
        text = self.mirror.label(question)
        hint = self.mirror.hint(question)
        if hint:
            text += f" ({hint})"
        default = self.mirror.default(question)
        if default is not None:
            text += f" [{default}]"
        return question, text + ": "

    def expect_prompt(self):
        question, text = self.prompt()
        self.child.expect_exact(text)
        return question

    def type(self, line):
        """Type ``line`` at the current prompt; the reply as the terminal shows it."""
        question = self.expect_prompt()
        self.child.sendline(line)
        reply = self.mirror.handle(question, line)
        return question, reply

    def answer(self):
        question = self.mirror.next_question()
        line = answer_line(self.mirror, question, self.case)
        return self.type(line)

    def answer_until(self, path):
        while self.mirror.next_question().path != path:
            self.answer()


@pytest.mark.slow  # a pseudo-terminal
def test_a_terminal_interview_with_every_command(tmp_path):
    case = read_case(YOUNG)
    child = spawn("interview", "-o", "young.yaml", "--memo", "advice.json", cwd=tmp_path)
    terminal = Terminal(child, case)
    child.expect_exact("Answers are saved to young.yaml after each question.")
    child.expect_exact("== The organization ==")
    child.expect_exact("Question 1; at most ")
    terminal.answer()  # the name
    terminal.answer_until("funding.funds_for_change")
    terminal.type("why")
    child.expect_exact("cause_financial_partial_funds")
    child.expect_exact("¶55")
    terminal.answer()
    terminal.type("how")
    child.expect_exact("The advice so far (")
    terminal.answer_until("organization.type")
    child.expect_exact("2. ngo — Non-governmental organization (NGO)")  # the choices shown
    terminal.type("?")
    child.expect_exact("unknown — not known")
    terminal.type("seven")
    child.expect_exact("organization.type: 'seven' is not allowed; use one of:")
    terminal.type("why")
    child.expect_exact("only describes the organization in the memo")
    terminal.type("4")
    terminal.type("back")  # from the sector question, back to the type
    child.expect_exact("Back to the previous question.")
    question, reply = terminal.type("")  # Enter keeps [community]
    assert question.path == "organization.type" and reply.ok
    terminal.type("")  # the sector: Enter on an optional question is unknown
    while terminal.mirror.next_question() is not None:
        terminal.answer()
    child.expect_exact("Change answer number (Enter for the advice): ")
    child.sendline("")
    child.expect_exact("Advice for Kelompok Peduli Remaja Sukamaju, in short:")
    child.expect_exact("perencana explain young.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data, comments = written(tmp_path / "young.yaml")
    assert data == terminal.mirror.case_data()
    assert data["organization"]["sector"] == "unknown"
    assert data["organization"]["type"] == "community"
    expected = advised_json(terminal.mirror.final_case())
    assert json.loads((tmp_path / "advice.json").read_text(encoding="utf-8")) == expected


@pytest.mark.slow  # a pseudo-terminal
def test_ctrl_c_keeps_the_answers_and_resume_continues_in_the_terminal(tmp_path):
    case = read_case(OLD_OFFICE)
    child = spawn("interview", "-o", "office.yaml", cwd=tmp_path)
    terminal = Terminal(child, case)
    terminal.answer_until("change.triggers")
    terminal.expect_prompt()
    interrupt(child, "Interrupted. The answers so far are in office.yaml")
    data, comments = written(tmp_path / "office.yaml")
    assert data == terminal.mirror.case_data()
    assert "triggers" not in data["change"]
    assert comments[0].startswith("Partial case written by perencana interview (")

    resumed = spawn("interview", "--resume", "office.yaml", "--format", "json", cwd=tmp_path)
    terminal = Terminal(resumed, case, Interview(data=data))
    resumed.expect_exact("Resuming office.yaml:")
    question, _ = terminal.answer()
    assert question.path == "change.triggers"
    terminal.type("back")  # back into the answers of the first session
    question, _ = terminal.answer()
    assert question.path == "change.triggers"
    while terminal.mirror.next_question() is not None:
        terminal.answer()
    resumed.expect_exact("Change answer number (Enter for the advice): ")
    resumed.sendline("")
    resumed.expect(pexpect.EOF)
    resumed.close()
    assert resumed.exitstatus == 0
    assert written(tmp_path / "office.yaml")[0] == run_scripted(case).interview.case_data()


@pytest.mark.slow  # a pseudo-terminal
def test_an_existing_file_is_overwritten_only_when_the_terminal_says_so(tmp_path):
    target = tmp_path / "case.yaml"
    target.write_text("mine\n", encoding="utf-8")
    child = spawn("interview", cwd=tmp_path)
    child.expect_exact("case.yaml already exists. Overwrite it? (yes/no)")
    child.sendline("no")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert target.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.slow  # a pseudo-terminal
def test_a_terminal_interview_in_indonesian_says_nothing_in_english(tmp_path):
    import io

    case = read_case(YOUNG)
    child = spawn("interview", "--lang", "id", cwd=tmp_path)
    shown = io.StringIO()
    child.logfile_read = shown
    terminal = Terminal(child, case, Interview(lang="id"))
    child.expect_exact("Wawancara Perencana")
    child.expect_exact("== Lembaga ==")
    child.expect_exact("Pertanyaan ke-1")
    terminal.answer()
    terminal.answer_until("organization.age_years")
    terminal.type("kenapa")
    child.expect_exact("Aturan yang menunggunya")
    terminal.answer()
    terminal.expect_prompt()
    interrupt(child, "Dihentikan.")
    text = shown.getvalue()
    typed = {"gereja", "mengapa", "kenapa"}
    found = sorted(f for f in _english_fragments() if f in text and f not in typed)
    assert not found
    _, comments = written(tmp_path / "case.yaml")
    assert comments[0].startswith("Kasus belum lengkap")


def test_a_file_of_comments_only_resumes_from_the_first_question(tmp_path):
    from perencana.engine.interview.console import read_partial

    target = tmp_path / "case.yaml"
    target.write_text("# nothing yet\n", encoding="utf-8")
    assert read_partial(target) == ({}, None)
    result = invoke("interview", "--resume", target, stdin="Yayasan Uji\n", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("1. What is the organization called?")
    assert written(target)[0] == {"organization": {"name": "Yayasan Uji"}}


def test_a_case_file_that_cannot_be_written_is_refused_before_any_question(tmp_path):
    folder = invoke("interview", "-o", tmp_path, stdin="Yayasan Uji\n")
    assert folder.returncode == 2  # click refuses a folder for -o
    assert "is a directory" in folder.stderr
    assert "1. What is" not in folder.stderr
    nowhere = invoke("interview", "-o", tmp_path / "no" / "case.yaml", stdin="X\n")
    assert nowhere.returncode == 1
    assert "does not exist" in nowhere.stderr


def test_input_that_is_not_utf8_does_not_crash(tmp_path):
    command = [PERENCANA, "interview", "-o", str(tmp_path / "case.yaml")]
    import subprocess

    result = subprocess.run(command, input=b"Yayasan \xff\n", capture_output=True, timeout=60)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert "Yayasan" in written(tmp_path / "case.yaml")[0]["organization"]["name"]


def test_the_interview_prints_the_memo_in_the_edition_asked(tmp_path, advisor):
    run = walk_example(OLD_OFFICE, advisor).run
    target = tmp_path / "case.yaml"
    result = invoke(
        "interview", "-o", target, "--edition", "client", stdin=lines(run.lines), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    words = load_knowledge().memo
    assert words["editions"]["recipient_client"]["en"] in result.stdout
    assert words["headings"]["guidance"]["en"] not in result.stdout
    assert "`" not in result.stdout  # no field path in code spans


def test_an_answer_reopened_after_done_is_asked_again_not_dropped(tmp_path):
    # "done" stops the questions that are not required; an answer reopened from the
    # review must still be asked again, or it was dropped from the case unasked.
    answers = ["Org V", "merge two units", "38", "yes", "done", "none", "internal", "5", "no", ""]
    target = tmp_path / "v.yaml"
    result = invoke("interview", "-o", target, "--format", "json", stdin=lines(answers))
    assert result.returncode == 0, result.stderr
    assert "Does the change require taking on new staff?" in result.stderr.split("Your answers")[1]
    data, _ = written(target)
    assert data["change"]["new_staff_required"] is False


@pytest.mark.parametrize("lang", ["en", "id"])
def test_going_back_and_then_the_input_ending_loses_no_answer(tmp_path, lang):
    back = "back" if lang == "en" else "kembali"
    target = tmp_path / "c.yaml"
    result = invoke(
        "interview",
        "-o",
        target,
        "--lang",
        lang,
        stdin=lines(["Yayasan A", "Penutupan panti", "40", back]),
    )
    assert result.returncode == 1
    data, _ = written(target)
    assert data["organization"] == {"name": "Yayasan A", "age_years": 40}


def test_a_memo_file_that_exists_is_refused_before_the_first_question(tmp_path):
    (tmp_path / "memo.md").write_text("mine\n", encoding="utf-8")
    result = invoke("interview", "-o", "case.yaml", "--memo", "memo.md", stdin="X\n", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "Error: memo.md: already exists; use --force to overwrite it, or name another --memo file\n"
    )
    assert not (tmp_path / "case.yaml").exists()
    assert (tmp_path / "memo.md").read_text(encoding="utf-8") == "mine\n"


def test_the_review_says_a_yes_no_answer_labelled_as_a_statement_once(tmp_path):
    answers = ["Org V", "merge two units", "38", "yes", "done", "none", "internal", ""]
    result = invoke("interview", "-o", tmp_path / "v.yaml", stdin=lines(answers))
    review = result.stderr.split("Your answers")[1]
    assert "  5  New staff needed\n" in review
    assert "New staff needed: New staff needed" not in review
    # A text that happens to hold its label keeps the label.
    answers[1] = "the change of intake"
    text = invoke("interview", "-o", tmp_path / "w.yaml", stdin=lines(answers)).stderr
    assert "  3  The change: the change of intake\n" in text.split("Your answers")[1]


def test_the_review_takes_help_and_back_as_a_question_does(tmp_path):
    # "?" says what the review takes; "back" gives the last answer again.
    answers = ["Org V", "merge two units", "38", "yes", "done", "none", "internal"]
    answers += ["?", "back", "partial", ""]
    target = tmp_path / "r.yaml"
    result = invoke("interview", "-o", target, stdin=lines(answers))
    assert result.returncode == 0, result.stderr
    review = result.stderr.split("Your answers")[1]
    assert "Type the number of an answer (1 to 6) to give it again, back for the last one" in review
    assert "There is no answer numbered" not in review
    assert written(target)[0]["funding"]["funds_for_change"] == "partial"
