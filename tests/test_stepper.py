"""perencana.engine.teaching.stepper: the run one firing at a time equals the normal run's trace."""

import pytest

from perencana.engine.case.loader import load_case
from perencana.engine.teaching.explanation import ExplainError
from perencana.engine.teaching.stepper import Stepper
from perencana.engine.view.advice_json import texts
from tests.helpers import EXAMPLE_CASES, EXAMPLES

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"
YOUNG = EXAMPLES / "young-community-group.yaml"


def as_trace(firing):
    return (firing.rule, [f["fact"] for f in firing.facts], [f["fact"] for f in firing.concluded])


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_stepping_fires_the_rules_of_the_normal_run_in_its_order(advisor, path):
    case = load_case(path)
    normal = advisor.infer(case)
    firings = list(Stepper(advisor, case).firings())
    assert [as_trace(f) for f in firings] == [
        (step.rule, texts(step.facts), texts(step.concluded)) for step in normal.trace
    ]
    assert [f.number for f in firings] == list(range(1, len(normal.trace) + 1))
    assert {f.total for f in firings} == {len(normal.trace)}
    # The engine is the advisor's own, and stepping leaves it fit for a normal run.
    assert advisor.infer(case).signature() == normal.signature()


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_the_agenda_is_shown_in_firing_order_and_its_first_one_fires(advisor, path):
    for firing in Stepper(advisor, load_case(path)).firings():
        assert firing.agenda[0]["rule"] == firing.rule
        assert firing.agenda[0]["salience"] == firing.salience
        saliences = [entry["salience"] for entry in firing.agenda]
        assert saliences == sorted(saliences, reverse=True)
        shown = [f["fact"] for f in firing.agenda[0]["facts"] if not f["start"]]
        assert shown == [f["fact"] for f in firing.facts]


def test_concluded_facts_put_new_rules_on_the_agenda(advisor):
    firings = list(Stepper(advisor, load_case(YOUNG)).firings())
    before = [entry["rule"] for entry in firings[0].agenda]
    after = [entry["rule"] for entry in firings[1].agenda]
    assert firings[0].rule == "lifecycle_young"
    assert "guidance_innovation_check_young" not in before
    assert "guidance_innovation_check_young" in after


def test_each_firing_says_why_it_fires_first(advisor):
    firings = list(Stepper(advisor, load_case(YOUNG)).firings())
    assert firings[0].reason == (
        "Why first: its salience 50 is the highest; the next, cause_disruption_some_skills, has 40."
    )
    assert firings[1].reason == (
        "Why first: the same salience (40) as the next, cause_financial_partial_funds, "
        "and its facts came first: #7 against #12."
    )
    stronger = next(f for f in firings if f.rule == "strategy_link_stronger_peer")
    assert "it matched more of them: #21, #22 against #21" in stronger.reason
    assert firings[-1].reason == "Why first: it is the only rule on the agenda."
    assert firings[-1].agenda == [
        {
            "rule": "guidance_innovation_check_young",
            "salience": 5,
            "facts": [{"id": 33, "fact": "lifecycle = young", "start": False}],
        }
    ]


def test_rules_without_conditions_match_the_start_fact(advisor):
    firing = next(
        f for f in Stepper(advisor, load_case(YOUNG)).firings() if f.rule == "guidance_values"
    )
    assert firing.agenda[0]["facts"] == [{"id": 0, "fact": "", "start": True}]
    assert firing.facts == []


class Screen:
    def __init__(self, lines):
        self.lines = list(lines)
        self.text = ""
        self.reads = 0

    def write(self, text):
        self.text += text

    def read_line(self):
        self.reads += 1
        return self.lines.pop(0) if self.lines else ""


def test_walk_waits_for_a_line_between_firings_and_q_quits(advisor):
    stepper = Stepper(advisor, load_case(YOUNG))
    screen = Screen(["\n", "\n", "q\n", "\n"])
    assert stepper.walk(screen.write, screen.read_line) == 3
    assert screen.reads == 3
    assert "Step 3 of 25" in screen.text and "Step 4 of 25" not in screen.text
    assert screen.text.rstrip().endswith("Stopped after step 3 of 25.")
    assert "Enter: next step" not in screen.text  # no prompt when not interactive


def test_walk_runs_to_the_end_without_waiting_at_the_end_of_the_input(advisor):
    stepper = Stepper(advisor, load_case(YOUNG))
    screen = Screen([])
    assert stepper.walk(screen.write, screen.read_line, interactive=True) == 25
    assert screen.reads == 1
    assert screen.text.count("Enter: next step, why: why this rule fired, q then Enter: quit.") == 1
    assert screen.text.rstrip().endswith(
        "End of the run: 25 rule firings, and the agenda is empty."
    )


def test_walk_in_indonesian(advisor):
    stepper = Stepper(advisor, load_case(YOUNG), lang="id")
    screen = Screen([])
    stepper.walk(screen.write, screen.read_line)
    assert "Langkah 1 dari 25" in screen.text
    assert "Mengapa pertama: prioritasnya 50 paling tinggi" in screen.text
    assert "Why first" not in screen.text and "Step 1 of" not in screen.text


def test_an_id_with_the_walk_through_is_refused(advisor):
    stepper = Stepper(advisor, load_case(OLD_OFFICE))
    stepper.reject_id(None)
    with pytest.raises(ExplainError, match="--step"):
        stepper.reject_id("financial")
