"""``perencana explain`` as a user runs it: how, why not, errors, the walk-through."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from perencana.engine.case.loader import load_case
from perencana.engine.reasoning.advisor import Advisor
from perencana.engine.view.advice_json import fact_text
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLE_CASES, EXAMPLES, EXAMPLES_ID, PERENCANA, invoke

YOUNG = EXAMPLES / "young-community-group.yaml"
OLD_OFFICE = EXAMPLES / "old-government-office.yaml"
PROGRAM_REVIEW = EXAMPLES / "program-review.yaml"
EXPLAIN_GROUPS = ("explain", "explain_why_not", "explain_conclusions", "explain_step")


def explain(*args, stdin=None):
    result = invoke("explain", *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def section(text, heading_part):
    """The text of the numbered section whose heading contains ``heading_part``."""
    parts = re.split(r"\n\n\n(?=\d+\. )", text)
    found = [part for part in parts if heading_part in part.splitlines()[0]]
    assert len(found) == 1, heading_part
    return found[0]


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_explain_names_the_rules_and_facts_behind_every_strategy(path):
    advice = Advisor().infer(load_case(path))
    text = explain(path)
    assert text.startswith(f"How perencana reached its advice for {advice.organization}\n")
    assert max(len(line) for line in text.splitlines()) <= 80
    for strategy in advice.strategies:
        part = section(text, f"[{strategy.id}]")
        for rule in strategy.rules:
            assert f"Rule {rule} (firing " in part, (strategy.id, rule)
        for reason in strategy.because:
            if reason.kind == "cause-id":
                assert f"- cause {reason.value}: Cause of resistance present:" in part
            else:
                # As written in the case, maybe wrapped over lines.
                written = fact_text(reason)
                assert " ".join(written.split()) in " ".join(part.split()), reason
        assert "Sources: ¶" in part


def test_explain_one_strategy_shows_the_chain_with_readable_facts_and_sources():
    text = explain(YOUNG, "adapt-to-resources")
    assert "1. Strategy: Adapt to limited resources [adapt-to-resources]" in text
    assert "Rank: 2." in text
    assert "- funding.funds_for_change = partial: Funds for the change: Part of the" in text
    assert "- cause financial: Cause of resistance present: Cost and funding" in text
    assert "reached earlier by:" in text
    assert "          Rule cause_financial_partial_funds (firing 3 of the run)" in text
    assert "Sources: ¶64, ¶55" in text
    assert "2. " not in text  # only that item


def test_why_not_shake_up_for_a_young_group():
    text = explain(YOUNG, "shake-up")
    flat = " ".join(text.split())
    assert "“A small shake-up” was not concluded for this case." in flat
    assert "Rule strategy_shake_up_unacknowledged" in text
    assert "[not met] the life-cycle stage is Established organization" in flat
    assert (
        f"this case's stage is Young organization; see: perencana explain {YOUNG} lifecycle" in flat
    )
    assert "the case answers resources.problems_acknowledged: true (Acknowledged)" in flat


def test_why_not_link_institutions_without_a_peer():
    flat = " ".join(explain(OLD_OFFICE, "link-institutions").split())
    assert "Rule strategy_link_peer" in flat and "Rule strategy_link_stronger_peer" in flat
    assert "the case answers partners.peer_institution_available: false (Not available)" in flat


def test_why_not_education_when_no_skills_are_required():
    flat = " ".join(explain(PROGRAM_REVIEW, "education").split())
    assert "the case answers change.skills_required: none (None)" in flat
    assert "[not concluded] the cause “Disruption to management” is present" in flat
    assert f"see: perencana explain {PROGRAM_REVIEW} management-disruption" in flat


def test_why_not_shake_up_blocked_by_an_unknown_answer():
    case = OLD_OFFICE.read_text().replace(
        "problems_acknowledged: false", "problems_acknowledged: unknown"
    )
    flat = " ".join(explain("-", "shake-up", stdin=case).split())
    assert "Did not fire, blocked only by unknown answers" in flat
    assert "[met] the life-cycle stage is Established organization" in flat
    assert "[unknown] Problems acknowledged: Not acknowledged" in flat
    assert (
        "the case leaves “Problems acknowledged” unknown (resources.problems_acknowledged: "
        "unknown), and that blocked this rule; the answer "
        "resources.problems_acknowledged: false would meet this condition"
    ) in flat


def test_why_not_a_cause():
    flat = " ".join(explain(YOUNG, "hard-won-status-quo").split())
    assert "“Hard-won status quo” was not concluded for this case." in flat
    assert "Rule cause_status_quo_rapid_pace" in flat
    assert "the case answers organization.years_to_current_state: 3" in flat
    assert "the case answers change.pace: moderate (Moderate)" in flat


def test_explain_in_indonesian_uses_no_english_wording():
    knowledge = load_knowledge()
    english = set()
    for group in EXPLAIN_GROUPS:
        for text in knowledge.memo[group].values():
            fragments = {p.strip() for p in re.split(r"\{\w+\}", text["en"])}
            english.update(f for f in fragments if f not in text["id"])
    # Fragments of sentences; a lone word such as "lifecycle" is an id, not English.
    english = {f for f in english if len(f) >= 5 and not re.fullmatch(r"[a-z_-]+", f)}
    assert {"Facts matched:", "reached earlier by:", "Why first: its salience"} <= english
    outputs = [
        explain(OLD_OFFICE, "--lang", "id"),
        explain(YOUNG, "shake-up", "--lang", "id"),
        explain(PROGRAM_REVIEW, "lifecycle", "--lang", "id"),
        explain(YOUNG, "--step", "--lang", "id", stdin=""),
    ]
    for text in outputs:
        flat = " ".join(text.split())
        assert not [fragment for fragment in english if fragment in flat]
    assert outputs[0].startswith("Cara sistem pakar Perencana sampai pada sarannya untuk")
    assert "Cara kesimpulan ini dicapai:" in outputs[0]
    assert "Fakta yang cocok:" in outputs[0]
    assert "tidak disimpulkan untuk kasus ini" in outputs[1]
    assert "Langkah 1 dari" in outputs[3]


def test_an_unknown_id_is_refused_with_a_suggestion():
    result = invoke("explain", YOUNG, "shakeup")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: “shakeup” is not something perencana can explain for this case. "
        "Did you mean: shake-up?\n"
    )
    assert "Traceback" not in result.stderr


def test_explain_json_is_the_model():
    first = explain(YOUNG, "education", "--format", "json")
    assert first == explain(YOUNG, "education", "--format", "json")
    model = json.loads(first)
    assert model["id"] == "education" and model["case"] == str(YOUNG)
    (item,) = model["items"]
    assert [step["rule"] for step in item["steps"]] == ["strategy_education_new_skills"]


def trace_rules(path):
    advice = invoke("advise", path, "--format", "json")
    return [step["rule"] for step in json.loads(advice.stdout)["trace"]]


def check_whole_walk_through(text, path):
    rules = trace_rules(path)
    fired = re.findall(r"^Fires: (\S+)$", text, re.M)
    assert fired == rules
    assert len(re.findall(r"^Agenda: \d+ ready to fire$", text, re.M)) == 1  # the first, whole
    changes = re.findall(r"^Agenda: \d+ ready to fire; since the last step:$", text, re.M)
    assert len(changes) == len(rules) - 1  # then only its changes
    assert f"Step {len(rules)} of {len(rules)}" in text
    assert text.rstrip().endswith(
        f"End of the run: {len(rules)} rule firings, and the agenda is empty."
    )
    assert "Enter: next step" not in text


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_step_at_the_end_of_the_input_prints_the_whole_walk_through(path):
    check_whole_walk_through(explain(path, "--step", stdin=""), path)


def test_step_with_standard_input_closed_in_a_real_process():
    # As in ``perencana explain CASE --step < /dev/null``: a real file descriptor 0.
    command = [PERENCANA, "explain", OLD_OFFICE, "--step"]
    result = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    check_whole_walk_through(result.stdout, OLD_OFFICE)


def test_step_with_q_stops_after_the_first_firing():
    text = explain(OLD_OFFICE, "--step", stdin="q\n")
    assert "Step 1 of " in text and "Step 2 of " not in text
    assert "Fires: lifecycle_established_by_age" in text
    assert (
        "Why first: the same salience (50) as the next, lifecycle_established_by_procedures, "
        "and its facts came first: #2 against #3."
    ) in " ".join(text.split())
    assert re.search(r"Stopped after step 1 of \d+\.", text)


def test_step_reads_one_line_per_firing():
    text = explain(OLD_OFFICE, "--step", stdin="\n\nq\n")
    assert "Step 3 of " in text and "Step 4 of " not in text


def test_step_json_lists_every_firing_in_trace_order():
    data = json.loads(explain(YOUNG, "--step", "--format", "json"))
    assert [firing["rule"] for firing in data["firings"]] == trace_rules(YOUNG)
    assert data["firings"][0]["agenda"][0]["rule"] == "lifecycle_young"


def test_step_takes_no_id():
    # A usage error: exit 2, as the command line's others.
    result = invoke("explain", YOUNG, "financial", "--step", stdin="")
    assert result.returncode == 2
    assert "--step" in result.stderr and "Traceback" not in result.stderr


def test_step_tells_a_line_it_does_not_know_and_stays_on_the_step():
    # A typo must not step on unseen: it is told, and the step waits; n steps on.
    text = explain(OLD_OFFICE, "--step", stdin="nxt\nn\nq\n")
    first, rest = text.split("Step 2 of ")
    told = " ".join(first.split())
    assert "'nxt' is not a command here: press Enter for the next step" in told
    assert "Step 3 of " not in rest
    assert re.search(r"Stopped after step 2 of \d+\.", text)
    indonesian = explain(OLD_OFFICE, "--step", "--lang", "id", stdin="apa\nq\n")
    assert "'apa' bukan perintah di sini" in " ".join(indonesian.split())
    assert "salience" not in indonesian


def test_explain_help_has_examples():
    result = invoke("explain", "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout and "perencana explain" in result.stdout
    assert "--step" in result.stdout


def test_a_path_in_a_command_to_run_next_is_never_broken_at_a_hyphen(tmp_path):
    # Found by a CI clone at /tmp/ci-clone: "see: perencana explain /tmp/ci-" on one
    # line and "clone/examples/..." on the next cannot be copied and run. (A path
    # longer than a line is still cut: explanations keep to 80 columns.)
    case = Path("member-cases-of-the-network") / "program-review-2026.yaml"
    (tmp_path / case.parent).mkdir()
    (tmp_path / case).write_text(PROGRAM_REVIEW.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("explain", case, "education", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert any(line.startswith(str(case)) or line.endswith(str(case)) for line in lines)
    assert "see: perencana explain" in result.stdout


# --------------------------------------------------------------- by the memo's label


@pytest.mark.parametrize(
    "label, lang",
    [
        ("Work as a partner", "en"),
        ("bersikap  sebagai MITRA", "id"),
        ("Bersikap sebagai mitra", "en"),
    ],
)
def test_explain_takes_the_label_the_memo_shows_in_either_language(label, lang):
    by_id = json.loads(
        explain(OLD_OFFICE, "collaborative-stance", "--format", "json", "--lang", lang)
    )
    by_label = json.loads(explain(OLD_OFFICE, label, "--format", "json", "--lang", lang))
    assert by_label["items"] == by_id["items"]


def test_a_near_miss_of_a_label_is_answered_with_did_you_mean():
    result = invoke("explain", OLD_OFFICE, "Bekerja sebagai mitra", "--lang", "id")
    assert result.returncode == 1
    assert "Mungkin maksud Anda: Bersikap sebagai mitra" in result.stderr
    result = invoke("explain", OLD_OFFICE, "Work as partner")
    assert "Did you mean: Work as a partner?" in result.stderr
    result = invoke("explain", YOUNG, "A small shakeup")
    assert "Did you mean: A small shake-up?" in result.stderr  # once, not with its id


# --------------------------------------------------------------- --step: why, changes


def test_step_answers_why_at_its_prompt_without_stepping_on():
    text = explain(OLD_OFFICE, "--step", stdin="why\nmengapa\nq\n")
    assert "Step 2 of " not in text
    assert text.count("Why lifecycle_established_by_age fired: its conditions held") == 2
    assert "Age of the organization (years) is" in text
    assert "Source: ¶" in text
    assert re.search(r"Stopped after step 1 of \d+\.", text)


def test_step_shows_the_agendas_changes_after_the_first_step():
    text = explain(YOUNG, "--step", stdin="\nq\n")
    first, second = text.split("Step 2 of ")
    assert "Agenda: 17 ready to fire\n" in first
    assert "Agenda: 17 ready to fire; since the last step:" in second
    assert "new: guidance_innovation_check_young (salience 5)" in second
    assert "lifecycle_young (salience 50)" not in second  # the whole agenda is not repeated


def test_a_see_hint_can_be_typed_again_as_it_is(tmp_path):
    # A case file whose name has a space is quoted, and the language is kept.
    case = tmp_path / "my case.yaml"
    case.write_text((EXAMPLES_ID / "young-community-group.yaml").read_text(encoding="utf-8"))
    result = invoke("explain", "my case.yaml", "shake-up", "--lang", "id", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "lihat: perencana explain 'my case.yaml' lifecycle --lang id" in text


def test_one_item_is_titled_by_its_name_and_a_program_not_twice():
    shake_up = explain(YOUNG, "shake-up").splitlines()
    assert shake_up[0] == "Explanation for Kelompok Peduli Remaja Sukamaju: A small shake-up"
    program = explain(EXAMPLES / "program-review.yaml", "peer support groups")
    assert "1. Program: peer support groups\n" in program
    stage = explain(EXAMPLES / "program-review.yaml", "lifecycle", "--lang", "id")
    assert stage.splitlines()[0].endswith(": Tahap siklus hidup")
