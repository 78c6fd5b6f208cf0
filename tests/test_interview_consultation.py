"""``perencana interview`` as a consultation: done at any prompt, how so far, a review
with change by number, the memo in a file with the advice in short, the language of
a resumed interview, the consistency check, a bad list item named, wrapping."""

import json

import pexpect
import pytest

from perencana.engine.api import read_case
from perencana.engine.interview.console import wrap_lines
from perencana.engine.interview.session import Interview
from tests.helpers import EXAMPLES, invoke
from tests.test_cli_interview import advised_json, lines, spawn, written
from tests.test_interview import answer_line, answer_until, run_scripted

YOUNG = EXAMPLES / "young-community-group.yaml"
OLD_OFFICE = EXAMPLES / "old-government-office.yaml"


def _finish(interview, case, script):
    """Answer every question left with the facts of ``case``, adding to ``script``."""
    while (question := interview.next_question()) is not None:
        line = answer_line(interview, question, case)
        assert interview.handle(question, line).ok, (question.path, line)
        script.append(line)
    return script


# --------------------------------------------------------------- done


def test_done_at_question_5_gives_a_valid_case_and_advice_with_its_unknowns(tmp_path):
    case = read_case(OLD_OFFICE)
    mirror = Interview()
    script = []
    for _ in range(4):
        question = mirror.next_question()
        script.append(answer_line(mirror, question, case))
        assert mirror.handle(question, script[-1]).ok
    question = mirror.next_question()
    assert mirror.handle(question, "done").kind == "done"
    script.append("done")
    # only the required answers still missing are asked after done
    remaining = [q.path for q in mirror.open_questions()]
    assert remaining and all(mirror.next_question().spec.required for _ in remaining)
    _finish(mirror, case, script)
    target = tmp_path / "case.yaml"
    result = invoke(
        "interview", "-o", target, "--format", "json", stdin=lines(script), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "No more questions, except the ones the case needs" in result.stderr
    interviewed = read_case(target)  # a valid case
    advice = json.loads(result.stdout)
    assert advice == advised_json(interviewed)
    assert advice["unknowns"], "the unknowns say which unanswered questions would change it"
    _, comments = written(target)
    assert any(c.startswith("Stopped early with done;") for c in comments)
    assert interviewed["planner"]["origin"] == "unknown"


def test_selesai_is_done_in_indonesian():
    interview = Interview(lang="id")
    question = interview.next_question()
    assert interview.handle(question, "selesai").kind == "done"
    assert all(q.spec.required for q in interview.open_questions())


# --------------------------------------------------------------- how and progress


def test_how_gives_the_advice_so_far_and_the_rules_behind_it():
    case = read_case(OLD_OFFICE)
    interview = Interview()
    question = interview.next_question()
    assert "No cause of resistance found yet." in interview.handle(question, "how").message
    for _ in range(10):
        question = interview.next_question()
        assert interview.handle(question, answer_line(interview, question, case)).ok
    text = interview.handle(interview.next_question(), "how").message
    assert text.startswith("The advice so far (")
    assert "Causes of resistance:" in text
    assert "- Cost and funding (strong); rules: cause_financial_no_funds" in text
    assert "Strategies to start with:" in text
    assert "Life-cycle stage: " in text
    indonesian = Interview(lang="id")
    reply = indonesian.handle(indonesian.next_question(), "bagaimana")
    assert reply.message.startswith("Saran sejauh ini (0 jawaban")


def test_progress_counts_the_questions_that_can_still_change_the_advice():
    case = read_case(YOUNG)
    interview = Interview()
    counts = []
    while (question := interview.next_question()) is not None:
        counts.append(interview.can_still_change())
        interview.handle(question, answer_line(interview, question, case))
    assert counts[0] > 12
    assert counts[-1] == 0  # the last questions only describe the organization
    assert interview.word("progress", number=7, count=14) == (
        "question 7; at most 14 more can change the advice"
    )


# --------------------------------------------------------------- the review


def test_the_review_changes_an_answer_by_its_number(tmp_path):
    case = read_case(OLD_OFFICE)
    run = run_scripted(case)
    mirror = run.interview
    script = list(run.lines)
    rows = {question.path: number for number, question, _, _ in mirror.review_rows()}
    number = rows["funding.funds_for_change"]
    assert mirror.reopen(number)
    script += [str(number), "sufficient"]
    assert mirror.handle(mirror.next_question(), "sufficient").ok
    changed = dict(case, funding=dict(case["funding"], funds_for_change="sufficient"))
    _finish(mirror, changed, script)
    script.append("")  # Enter at the second review: the advice
    target = tmp_path / "case.yaml"
    result = invoke(
        "interview", "-o", target, "--format", "json", stdin=lines(script), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert f"Your answers ({len(rows)})." in result.stderr
    # In the memo's words; asked again, it is offered as typed ("none").
    assert f"{number:>3}  Funds for the change: No funds" in result.stderr
    assert "[none]" in result.stderr
    data, _ = written(target)
    assert data["funding"]["funds_for_change"] == "sufficient"
    assert json.loads(result.stdout) == advised_json(read_case(target))


def test_input_that_ends_while_an_answer_is_asked_again_keeps_that_answer(tmp_path):
    """Reopening an answer from the review is no answer yet: the saved case keeps the
    old one until a new one is given."""
    case = read_case(OLD_OFFICE)
    run = run_scripted(case)
    script = list(run.lines)
    rows = {question.path: number for number, question, _, _ in run.interview.review_rows()}
    script.append(str(rows["organization.name"]))  # then the input ends
    target = tmp_path / "case.yaml"
    result = invoke("interview", "-o", target, stdin=lines(script), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    data, _ = written(target)
    assert data["organization"]["name"] == case["organization"]["name"]
    assert read_case(target) == case  # every answer kept, the reopened one too


def test_a_review_number_that_does_not_exist_is_refused():
    run = run_scripted(read_case(YOUNG))
    count = len(run.interview.review_rows())
    assert not run.interview.reopen(count + 1)
    assert not run.interview.reopen(0)


# --------------------------------------------------------------- the ending


def test_the_memo_goes_to_its_file_and_only_the_advice_in_short_is_printed(tmp_path):
    run = run_scripted(read_case(YOUNG))
    memo = tmp_path / "memo.html"
    result = invoke(
        "interview", "-o", tmp_path / "c.yaml", "--memo", memo, stdin=lines(run.lines), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "<html" in memo.read_text(encoding="utf-8")
    out = result.stdout
    assert "Advice for Kelompok Peduli Remaja Sukamaju, in short:" in out
    assert f"The memo is in {memo}." in out
    assert "perencana whatif" in out and "perencana explain" in out
    assert "--format html -o memo.html" in out
    assert len(out.splitlines()) < 30


def test_a_memo_file_without_a_known_extension_is_refused(tmp_path):
    result = invoke("interview", "--memo", tmp_path / "memo.pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert "--memo" in result.stderr and ".html" in result.stderr


# --------------------------------------------------------------- manners


def test_an_indonesian_interview_resumes_in_indonesian(tmp_path):
    case = read_case(YOUNG)
    run = run_scripted(case, lang="id")
    target = tmp_path / "kasus.yaml"
    first = invoke(
        "interview", "-o", target, "--lang", "id", stdin=lines(run.lines[:6]), cwd=tmp_path
    )
    assert first.returncode == 1
    assert f"perencana interview --resume {target} --lang id" in first.stderr
    assert "perencana-interview: lang=id" in target.read_text(encoding="utf-8")
    resumed = invoke("interview", "--resume", target, stdin=lines(run.lines[6:8]), cwd=tmp_path)
    assert resumed.returncode == 1
    assert "Masukan berakhir sebelum wawancara selesai" in resumed.stderr
    assert "The input ended" not in resumed.stderr
    english = invoke(
        "interview", "--resume", target, "--lang", "en", stdin="", cwd=tmp_path
    )  # --lang said out loud wins
    assert "The input ended" in english.stderr


def test_the_consistency_check_comes_with_the_second_answer():
    interview = Interview()
    answers = {"organization.age_years": "12", "organization.formalized_procedures": "unknown"}
    question = answer_until(interview, "organization.years_to_current_state", answers)
    reply = interview.handle(question, "20")
    assert reply.kind == "error"
    assert "20 is more than organization.age_years (12)" in reply.message
    assert interview.handle(question, "8").ok


def test_a_list_answer_with_one_bad_item_names_it():
    interview = Interview()
    question = answer_until(interview, "change.triggers")
    reply = interview.handle(question, "1, rain, policy-change")
    assert reply.kind == "error"
    assert reply.message.startswith("change.triggers: 'rain' is not one of the allowed answers")


def test_lines_are_wrapped_at_spaces_and_list_marks_line_up():
    text = "- " + "word " * 30 + "\n  3  short"
    wrapped = wrap_lines(text, 60).splitlines()
    assert all(len(line) <= 60 for line in wrapped)
    assert all(line.startswith("  ") for line in wrapped[1:])
    assert wrapped[-1] == "  3  short"
    assert "wo\nrd" not in wrap_lines("x " * 40, 60)


@pytest.mark.slow  # a pseudo-terminal
def test_a_terminal_of_60_columns_gets_lines_of_60_columns(tmp_path):
    child = spawn("interview", cwd=tmp_path, columns=60)
    child.expect_exact("Question 1; at most ")
    intro = child.before
    child.expect_exact(": ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    shown = [line for line in intro.replace("\r", "").splitlines() if line]
    assert len(shown) > 3
    assert all(len(line) <= 60 for line in shown), shown
    assert not any(line.endswith("-") for line in shown)
