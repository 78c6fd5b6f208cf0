"""rules/lifecycle.py: the organization's life-cycle stage (¶59, ¶51)."""

import pytest

from perencana.engine.reasoning.facts import Lifecycle
from tests.conftest import field, make_case

NEW = field("organization.age_years", 3, band="new")
MID = field("organization.age_years", 8, band="mid")
LONG = field("organization.age_years", 27, band="long-standing")
FORMALIZED = field("organization.formalized_procedures", True)
INFORMAL = field("organization.formalized_procedures", False)


@pytest.mark.parametrize(
    ("rule", "facts", "stage", "matched"),
    [
        (
            "lifecycle_young",
            [NEW, INFORMAL],
            "young",
            ["organization.age_years = 3", "organization.formalized_procedures = false"],
        ),
        (
            "lifecycle_maturing",
            [MID, INFORMAL],
            "maturing",
            ["organization.age_years = 8", "organization.formalized_procedures = false"],
        ),
        ("lifecycle_established_by_age", [LONG], "established", ["organization.age_years = 27"]),
        (
            "lifecycle_established_by_procedures",
            [FORMALIZED],
            "established",
            ["organization.formalized_procedures = true"],
        ),
    ],
)
def test_rule_concludes_its_stage(run, rule, facts, stage, matched):
    result = run(*facts)

    assert result.of(Lifecycle) == [{"stage": stage}]
    step = result.step(rule)
    assert step.facts == matched
    assert step.concluded == [f"lifecycle = {stage}"]


@pytest.mark.parametrize(
    ("rule", "facts"),
    [
        # young needs both a new age and informal procedures
        ("lifecycle_young", [NEW, FORMALIZED]),
        ("lifecycle_young", [NEW]),
        ("lifecycle_young", [MID, INFORMAL]),
        # maturing: the mid band, not the new one, and not formalized
        ("lifecycle_maturing", [NEW, INFORMAL]),
        ("lifecycle_maturing", [MID, FORMALIZED]),
        ("lifecycle_maturing", [MID]),
        ("lifecycle_maturing", [LONG, INFORMAL]),
        # established by age: only the long-standing band
        ("lifecycle_established_by_age", [MID, INFORMAL]),
        # established by procedures: only when they are formalized
        ("lifecycle_established_by_procedures", [LONG, INFORMAL]),
        ("lifecycle_established_by_procedures", [NEW]),
    ],
)
def test_rule_does_not_fire_on_the_nearest_miss(run, rule, facts):
    assert run(*facts).did_not_fire(rule)


def test_formalized_procedures_make_a_new_organization_established_not_young(run):
    result = run(NEW, FORMALIZED)

    assert result.of(Lifecycle) == [{"stage": "established"}]
    assert result.did_not_fire("lifecycle_young")


def test_an_old_informal_organization_is_established_only(run):
    result = run(LONG, INFORMAL)

    assert result.of(Lifecycle) == [{"stage": "established"}]
    assert result.fired.count("lifecycle_established_by_age") == 1


def test_both_established_rules_fire_but_conclude_one_stage(run):
    result = run(LONG, FORMALIZED)

    assert "lifecycle_established_by_age" in result.fired
    assert "lifecycle_established_by_procedures" in result.fired
    assert result.of(Lifecycle) == [{"stage": "established"}]


def test_no_stage_without_the_procedures_answer_for_a_young_or_mid_age(run):
    assert run(NEW).of(Lifecycle) == []
    assert run(MID).of(Lifecycle) == []


# Through the Advisor: ages are banded by knowledge/thresholds.yaml (brief: young under
# 5 years, established at 15 or more, maturing between).


@pytest.mark.parametrize(
    ("age", "formalized", "stage"),
    [
        (0, False, "young"),
        (4, False, "young"),
        (5, False, "maturing"),
        (14, False, "maturing"),
        (15, False, "established"),
        (40, False, "established"),
        (4, True, "established"),
        (14, True, "established"),
        (4, "unknown", "unknown"),
        (14, "unknown", "unknown"),
        (15, "unknown", "established"),
    ],
)
def test_advice_lifecycle_follows_the_brief_thresholds(advisor, age, formalized, stage):
    case = make_case(
        {"organization.age_years": age, "organization.formalized_procedures": formalized}
    )

    assert advisor.infer(case).lifecycle == stage
