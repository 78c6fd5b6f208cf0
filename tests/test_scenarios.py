"""Training scenarios: the shipped set holds and covers every rule; mismatches and
broken scenario files are reported clearly."""

import copy
import textwrap

import pytest
import yaml

from perencana.engine.errors import CaseError, PerencanaError, ScenarioError
from perencana.engine.reasoning.rule_catalog import rule_catalog
from perencana.engine.teaching.scenarios import ScenarioResult, load_scenario, run_scenarios
from tests.helpers import ROOT

SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="module")
def shipped(advisor):
    return run_scenarios(SCENARIOS, advisor)


# A small case whose only financial evidence is partial funds (moderate).
GIVEN = {
    "organization": {
        "name": "Yayasan Uji Coba Medan",
        "age_years": 30,
        "formalized_procedures": True,
        "years_to_current_state": 4,
    },
    "change": {
        "summary": "a change under test",
        "proposed_by": "internal",
        "pace": "gradual",
        "scope": "partial",
    },
    "funding": {
        "funds_for_change": "partial",
        "allocation": "flexible",
        "seen_as_costly": False,
        "sunk_investments": [],
    },
    "resources": {"limited": False, "problems_acknowledged": False},
    "programs": [
        {"name": "home visits", "viable": True, "effectiveness": "low", "efficiency": "high"}
    ],
}


def write_scenario(folder, expect, name="a test scenario", file="scenario.yaml", **more):
    data = {"name": name, "given": copy.deepcopy(GIVEN), "expect": expect, **more}
    path = folder / file
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


def mismatches_of(tmp_path, advisor, expect):
    write_scenario(tmp_path, expect)
    (result,) = run_scenarios(tmp_path, advisor)
    return result.mismatches


# --------------------------------------------------------------------- shipped set


def test_every_shipped_scenario_holds(shipped):
    failing = {result.name: result.mismatches for result in shipped if result.mismatches}
    assert failing == {}


def test_the_shipped_scenarios_make_every_rule_fire(shipped):
    fired = set().union(*(result.fired for result in shipped))
    assert {rule.id for rule in rule_catalog()} - fired == set()


def test_the_shipped_set_is_a_teaching_set(shipped):
    assert 20 <= len(shipped) <= 40
    assert [r.path.name for r in shipped] == sorted(p.name for p in SCENARIOS.glob("*.yaml"))
    assert len({r.name for r in shipped}) == len(shipped)
    for result in shipped:
        assert isinstance(result, ScenarioResult)
        assert result.teaches.strip(), result.path.name
        assert result.passed


def test_each_shipped_scenario_checks_something(advisor):
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path, advisor.knowledge)
        assert scenario.expect, path.name


def test_run_scenarios_builds_its_own_advisor_when_given_none():
    results = run_scenarios(SCENARIOS)
    assert [r.mismatches for r in results] == [[] for _ in results]


# ---------------------------------------------------------------------- mismatches


def test_a_wrong_cause_strength_names_the_evidence(tmp_path, advisor):
    assert mismatches_of(tmp_path, advisor, {"causes": {"financial": "strong"}}) == [
        "causes.financial: expected strong, got moderate "
        "(evidence: funding.funds_for_change = partial)"
    ]


def test_a_cause_expected_absent_or_present(tmp_path, advisor):
    expect = {"causes": {"financial": "absent", "outsider-origin": "present"}}
    assert mismatches_of(tmp_path, advisor, expect) == [
        "causes.financial: expected absent, got moderate "
        "(evidence: funding.funds_for_change = partial)",
        "causes.outsider-origin: expected present, got absent",
    ]


def test_strategy_expectations(tmp_path, advisor):
    expect = {
        "strategies": {
            "present": ["education"],
            "absent": ["shake-up"],
            "ranks": {"adapt-to-resources": 2, "consultants": 1},
            "caveats": {"negotiate-incentives": [], "education": ["education-no-authority"]},
            "first_steps": {"education": []},
        }
    }
    assert mismatches_of(tmp_path, advisor, expect) == [
        "strategies: expected education to be recommended, but it is not",
        "strategies: expected shake-up to be absent, but it is recommended (rank 4)",
        "strategies.ranks.adapt-to-resources: expected rank 2, got rank 1",
        "strategies.ranks.consultants: expected rank 1, but it is not recommended",
        "strategies.caveats.negotiate-incentives: expected [], got [negotiate-never-force]",
        "strategies.caveats.education: expected [education-no-authority], "
        "but education is not recommended",
        "strategies.first_steps.education: expected [], but education is not recommended",
    ]


def test_life_cycle_program_guidance_and_rule_expectations(tmp_path, advisor):
    expect = {
        "lifecycle": "young",
        "programs": {"home visits": "maintain"},
        "guidance": {"present": ["credibility"], "absent": ["facilitator", "values"]},
        "rules_fired": ["lifecycle_established_by_procedures", "cause_financial_no_funds"],
    }
    assert mismatches_of(tmp_path, advisor, expect) == [
        "lifecycle: expected young, got established",
        "programs.home visits: expected maintain, got develop",
        "guidance: expected credibility to be given, but it is not",
        "guidance: expected facilitator to be absent, but it is given "
        "(because: resources.problems_acknowledged = false)",
        "guidance: expected values to be absent, but it is given (because: always)",
        "rules_fired: expected cause_financial_no_funds to fire, but it did not",
    ]


def test_a_scenario_that_holds_has_no_mismatch_and_reports_the_rules_fired(tmp_path, advisor):
    write_scenario(
        tmp_path,
        {
            "lifecycle": "established",
            "causes": {"financial": "moderate", "outsider-origin": "absent"},
            "strategies": {"ranks": {"adapt-to-resources": 1}, "caveats": {"shake-up": []}},
        },
    )
    (result,) = run_scenarios(tmp_path, advisor)
    assert result.mismatches == [
        "strategies.caveats.shake-up: expected [], got [shake-up-not-permanent]"
    ]
    assert "cause_financial_partial_funds" in result.fired
    assert "cause_financial_no_funds" not in result.fired


def test_mismatches_in_indonesian(tmp_path, advisor):
    write_scenario(tmp_path, {"causes": {"financial": "strong"}})
    (result,) = run_scenarios(tmp_path, advisor, lang="id")
    assert result.mismatches == [
        "causes.financial: diharapkan strong, hasilnya moderate "
        "(bukti: funding.funds_for_change = partial)"
    ]


def test_scenarios_run_in_file_name_order_on_one_advisor(tmp_path, advisor):
    for file in ("b.yaml", "a.yml", "c.yaml"):
        write_scenario(tmp_path, {}, name=f"scenario {file}", file=file)
    (tmp_path / "notes.txt").write_text("not a scenario")
    engine = advisor.engine
    results = run_scenarios(tmp_path, advisor)
    assert [r.path.name for r in results] == ["a.yml", "b.yaml", "c.yaml"]
    assert advisor.engine is engine
    assert results[0].fired == results[1].fired == results[2].fired


# ------------------------------------------------------------------ broken files

BROKEN = {
    "unknown expect key": (
        {"expect": {"cuases": {"financial": "strong"}}},
        "expect.cuases: unknown key; did you mean 'causes'?",
    ),
    "unknown top-level key": (
        {"expected": {}},
        "expected: unknown key; did you mean 'expect'?",
    ),
    "unknown cause": (
        {"expect": {"causes": {"finance": "strong"}}},
        "expect.causes: 'finance' is not a known cause; did you mean 'financial'?",
    ),
    "bad strength": (
        {"expect": {"causes": {"financial": "high"}}},
        "expect.causes.financial: 'high' is not allowed; "
        "use one of: weak, moderate, strong, present, absent",
    ),
    "unknown strategy": (
        {"expect": {"strategies": {"absent": ["shakeup"]}}},
        "expect.strategies.absent: 'shakeup' is not a known strategy; did you mean 'shake-up'?",
    ),
    "unknown strategies key": (
        {"expect": {"strategies": {"ranked": {}}}},
        "expect.strategies.ranked: unknown key; did you mean 'ranks'?",
    ),
    "unknown guidance": (
        {"expect": {"guidance": {"present": ["facilitate"]}}},
        "expect.guidance.present: 'facilitate' is not a known guidance item; "
        "did you mean 'facilitator'?",
    ),
    "unknown rule": (
        {"expect": {"rules_fired": ["cause_financial_nofunds"]}},
        "expect.rules_fired: 'cause_financial_nofunds' is not a known rule; "
        "did you mean 'cause_financial_no_funds'?",
    ),
    "bad rank": (
        {"expect": {"strategies": {"ranks": {"education": 0}}}},
        "expect.strategies.ranks.education: 0 is not a rank; use a whole number 1 or more",
    ),
    "caveat of another strategy": (
        {"expect": {"strategies": {"caveats": {"education": ["shake-up-not-permanent"]}}}},
        "expect.strategies.caveats.education: 'shake-up-not-permanent' belongs to shake-up, "
        "not education",
    ),
    "caveats of an absent strategy": (
        {"expect": {"strategies": {"absent": ["shake-up"], "caveats": {"shake-up": []}}}},
        "expect.strategies.caveats: 'shake-up' is expected both present and absent",
    ),
    "present and absent": (
        {"expect": {"strategies": {"present": ["education"], "absent": ["education"]}}},
        "expect.strategies: 'education' is expected both present and absent",
    ),
    "unknown program": (
        {"expect": {"programs": {"home visit": "develop"}}},
        "expect.programs: the case lists no program named 'home visit'; "
        "did you mean 'home visits'?",
    ),
    "bad decision": (
        {"expect": {"programs": {"home visits": "keep"}}},
        "expect.programs.home visits: 'keep' is not allowed; "
        "use one of: maintain, develop, replace, undecided",
    ),
    "bad lifecycle": (
        {"expect": {"lifecycle": "old"}},
        "expect.lifecycle: 'old' is not a known life-cycle stage",
    ),
    "invalid case": (
        {"given": {**GIVEN, "change": {"summary": "s", "propsed_by": "external"}}},
        "given.change.propsed_by: unknown field; did you mean 'proposed_by'?",
    ),
    "missing name": ({"name": None}, "name: missing; a scenario needs name, given and expect"),
    "empty name": ({"name": ""}, "name: must be non-empty text, not ''"),
    "expect not a mapping": ({"expect": ["financial"]}, "expect: must be a mapping of fields"),
}


def broken_file(tmp_path, changes):
    data = {"name": "broken", "given": copy.deepcopy(GIVEN), "expect": {}}
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_scenario_file_is_a_clear_error(tmp_path, advisor, name):
    changes, message = BROKEN[name]
    path = broken_file(tmp_path, changes)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, advisor.knowledge)
    error = raised.value
    assert isinstance(error, PerencanaError) and isinstance(error, CaseError)
    assert error.source == str(path)
    assert any(line.startswith(f"{path}: {message}") for line in error.messages()), error.messages()


def test_every_problem_of_a_scenario_file_is_reported_at_once(tmp_path, advisor):
    path = broken_file(
        tmp_path,
        {"expect": {"causes": {"finance": "strong"}, "strategies": {"absent": ["shakeup"]}}},
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, advisor.knowledge)
    assert len(raised.value.problems) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; a scenario needs name, given and expect"),
        ("name: [unclosed\n", "not valid YAML at line"),
        ("- a list\n", "top level: must be a mapping of fields, not a list"),
        ("name: x\nname: y\ngiven: {}\nexpect: {}\n", "name: duplicate key at line 2"),
    ],
)
def test_an_unreadable_scenario_file_is_a_clear_error(tmp_path, advisor, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, advisor.knowledge)
    assert any(message in line for line in raised.value.messages()), raised.value.messages()


def test_a_broken_file_stops_the_run_and_is_named(tmp_path, advisor):
    write_scenario(tmp_path, {"causes": {"financial": "moderate"}}, file="a-good.yaml")
    (tmp_path / "b-broken.yaml").write_text(
        textwrap.dedent(
            """\
            name: broken
            given: {organization: {name: X, age_years: 3}}
            expect: {causes: {financial: strongest}}
            """
        )
    )
    with pytest.raises(ScenarioError) as raised:
        run_scenarios(tmp_path, advisor)
    messages = raised.value.messages()
    assert raised.value.source == str(tmp_path)
    assert f"{tmp_path}: b-broken.yaml: given.change: missing; it is required" in messages[0]
    assert any("expect.causes.financial: 'strongest' is not allowed" in m for m in messages)
    assert not any("a-good.yaml" in m for m in messages)


def test_a_folder_without_scenarios_or_no_folder_at_all(tmp_path, advisor):
    with pytest.raises(ScenarioError, match="no scenario files"):
        run_scenarios(tmp_path, advisor)
    with pytest.raises(ScenarioError, match="not a folder of scenario files"):
        run_scenarios(tmp_path / "missing", advisor)
