"""rules/programs.py: keep, develop or replace each program (¶72, ¶71)."""

import pytest

from perencana.engine.reasoning.facts import Decision
from tests.conftest import answers_written, make_case, program


def describe(index, name, viable, performance):
    viable = {True: "true", False: "false"}.get(viable, viable)
    return f"programs[{index}] ({name}): viable = {viable}, performance = {performance}"


@pytest.mark.parametrize(
    ("rule", "viable", "performance", "decision"),
    [
        ("program_maintain", True, "adequate", "maintain"),
        ("program_develop", True, "low", "develop"),
        ("program_replace", False, "low", "replace"),
        ("program_replace", False, "adequate", "replace"),
        ("program_replace", False, "unknown", "replace"),
    ],
)
def test_rule_decides_for_the_program(run, rule, viable, performance, decision):
    text = describe(2, "shelter", viable, performance)

    result = run(program(2, "shelter", viable, performance))

    assert result.of(Decision) == [{"index": 2, "decision": decision, "facts": (text,)}]
    step = result.step(rule)
    assert step.facts == [text]
    assert step.concluded == [f"programs[2] decision = {decision}"]


@pytest.mark.parametrize(
    ("rule", "viable", "performance"),
    [
        ("program_maintain", True, "low"),
        ("program_maintain", True, "unknown"),
        ("program_maintain", False, "adequate"),
        ("program_maintain", "unknown", "adequate"),
        ("program_develop", True, "adequate"),
        ("program_develop", True, "unknown"),
        ("program_develop", False, "low"),
        ("program_develop", "unknown", "low"),
        ("program_replace", True, "low"),
        ("program_replace", True, "adequate"),
        ("program_replace", "unknown", "low"),
    ],
)
def test_rule_does_not_fire_on_the_nearest_miss(run, rule, viable, performance):
    assert run(program(0, "p", viable, performance)).did_not_fire(rule)


@pytest.mark.parametrize("performance", ["low", "adequate", "unknown"])
def test_no_decision_while_viability_is_unknown(run, performance):
    result = run(program(0, "p", "unknown", performance))

    assert result.of(Decision) == []
    assert not any(rule.startswith("program_") for rule in result.fired)


def test_each_program_gets_its_own_decision(run):
    result = run(
        program(0, "a", True, "adequate"),
        program(1, "b", True, "low"),
        program(2, "c", False, "adequate"),
    )

    decisions = {d["index"]: d["decision"] for d in result.of(Decision)}
    assert decisions == {0: "maintain", 1: "develop", 2: "replace"}


# --------------------------------------------------------------------------- combined (Advisor)

PROGRAMS = [
    {"name": "vocational training", "viable": True, "effectiveness": "high", "efficiency": "high"},
    {"name": "day care", "viable": True, "effectiveness": "adequate", "efficiency": "high"},
    {"name": "home visits", "viable": True, "effectiveness": "adequate", "efficiency": "low"},
    {"name": "outreach", "viable": True, "effectiveness": "low", "efficiency": "unknown"},
    {"name": "workshop", "viable": False, "effectiveness": "high", "efficiency": "high"},
    {"name": "peer groups", "viable": "unknown", "effectiveness": "adequate"},
    {"name": "hotline", "viable": True, "effectiveness": "high", "efficiency": "unknown"},
]


@pytest.fixture(scope="module")
def advice(advisor):
    return advisor.advise(make_case(programs=PROGRAMS))


def test_advice_decides_maintain_develop_replace_per_the_brief(advice):
    assert [(p.name, p.decision) for p in advice.programs] == [
        ("vocational training", "maintain"),  # viable, adequate or better
        ("day care", "maintain"),
        ("home visits", "develop"),  # viable, low efficiency
        ("outreach", "develop"),  # viable, low effectiveness
        ("workshop", "replace"),  # not viable, however well it does
    ]


def test_no_decision_when_viability_or_performance_is_unknown(advice):
    decided = {p.name for p in advice.programs}

    assert "peer groups" not in decided
    assert "hotline" not in decided


def test_every_listed_program_is_reviewed(advice):
    (review,) = [s for s in advice.strategies if s.id == "program-review"]

    assert len(review.because) == len(PROGRAMS)


def test_decision_cites_its_source(advice):
    for finding in advice.programs:
        assert 72 in finding.sources


def test_unknown_viability_is_listed_with_the_answers_that_change_the_decision(advice):
    found = answers_written(advice)

    # peer groups: efficiency unknown too, so only "not viable" decides (replace)
    assert found["programs[5].viable"] == ["false"]
    # outreach is developed whatever its efficiency: that unknown does not matter
    assert "programs[3].efficiency" not in found
    # the hotline is kept or developed depending on its efficiency
    assert found["programs[6].efficiency"] == ["low", "adequate", "high"]


def test_unknown_viability_with_known_performance_would_change_both_ways(advisor):
    programs = [
        {"name": "p", "viable": "unknown", "effectiveness": "adequate", "efficiency": "adequate"}
    ]

    advice = advisor.advise(make_case(programs=programs))

    assert advice.programs == []
    assert answers_written(advice)["programs[0].viable"] == [
        "true",
        "false",
    ]
