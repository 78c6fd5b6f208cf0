"""``perencana rules`` and ``perencana check`` as a user meets them."""

import json
import shutil
import sys
import types

import pytest
import yaml

from perencana.engine.reasoning.rule_catalog import rule_catalog
from perencana.knowledge.loader import KNOWLEDGE_DIR
from tests.helpers import invoke, run_perencana

RULE_IDS = [rule.id for rule in rule_catalog()]
PASSAGES = (
    "passages ¶4–¶73: 60 encoded, 10 deliberately not encoded "
    "(perencana check --passages lists them)"
)


@pytest.fixture
def kb_copy(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


# --------------------------------------------------------------------------- rules


def test_rules_prints_every_rule_in_english_markdown_by_default():
    result = invoke("rules")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Rule catalog\n")
    for rule_id in RULE_IDS:
        assert f"### `{rule_id}`" in result.stdout
    assert "- **IF** Funds for the change is no funds" in result.stdout
    assert "- **THEN** evidence (strong) for Cost and funding" in result.stdout
    assert "¶55 (Resistance: cost and funding)" in result.stdout


def test_rules_in_indonesian_uses_the_indonesian_statements_and_words():
    result = invoke("rules", "--lang", "id")
    assert result.returncode == 0, result.stderr
    statements = yaml.safe_load((KNOWLEDGE_DIR / "rule_statements.yaml").read_text("utf-8"))
    for rule_id in RULE_IDS:
        assert f"### `{rule_id}`" in result.stdout
    assert " ".join(statements["program_replace"].split()) in result.stdout
    assert "- **JIKA** Dana untuk perubahan adalah" in result.stdout
    assert "- **MAKA** bukti (kuat) untuk Biaya dan pendanaan" in result.stdout
    for english in ("# Rule catalog", "**IF**", "**THEN**", "Causes of resistance", "Sources"):
        assert english not in result.stdout
    for rule in rule_catalog():
        assert rule.statement not in result.stdout


def test_rules_as_json_has_one_entry_per_rule_with_sources_in_the_source():
    result = invoke("rules", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [entry["id"] for entry in data["rules"]] == RULE_IDS
    for entry in data["rules"]:
        assert entry["statement"] and entry["conditions"] and entry["conclusions"]
        assert all(1 <= source["passage"] <= 75 for source in entry["sources"])
    assert invoke("rules", "--format", "json").stdout == result.stdout


def test_rules_json_in_indonesian_reads_conditions_in_indonesian():
    data = json.loads(invoke("rules", "--format", "json", "--lang", "id").stdout)
    young = next(entry for entry in data["rules"] if entry["id"] == "lifecycle_young")
    assert young["conditions"][0].startswith("Usia lembaga (tahun) di bawah 5")
    assert data["lang"] == "id"


def test_rules_takes_the_language_from_the_environment():
    result = invoke("rules", env={"PERENCANA_LANG": "id"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Katalog aturan\n")


# --------------------------------------------------------------------------- check


def test_check_passes_on_the_shipped_knowledge():
    result = invoke("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["ok: 90 rules, 62 knowledge items checked", PASSAGES]
    assert result.stderr == ""


def test_check_passes_on_an_unchanged_copy(kb_copy):
    result = invoke("check", "--knowledge", kb_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 90 rules")


def test_check_reports_each_problem_of_a_broken_copy_on_its_own_line(kb_copy):
    strategies = yaml.safe_load((kb_copy / "strategies.yaml").read_text("utf-8"))
    strategies[0]["sources"] = [63, 99]
    (kb_copy / "strategies.yaml").write_text(yaml.safe_dump(strategies, allow_unicode=True))
    statements = yaml.safe_load((kb_copy / "rule_statements.yaml").read_text("utf-8"))
    del statements["guidance_values"]
    (kb_copy / "rule_statements.yaml").write_text(
        yaml.safe_dump(statements, allow_unicode=True, sort_keys=False)
    )

    result = run_perencana("check", "--knowledge", kb_copy)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: strategies.yaml: education: cites ¶99, which is not between 1 and 75",
        "Error: rule_statements.yaml: guidance_values: has no Indonesian statement",
    ]


def test_check_reports_a_strategy_no_rule_recommends(kb_copy):
    strategies = yaml.safe_load((kb_copy / "strategies.yaml").read_text("utf-8"))
    strategies.append(
        {
            "id": "write-a-manifesto",
            "phase": "start",
            "sources": [62],
            "title": {"en": "Write a manifesto", "id": "Menulis manifesto"},
        }
    )
    (kb_copy / "strategies.yaml").write_text(yaml.safe_dump(strategies, allow_unicode=True))
    result = invoke("check", "--knowledge", kb_copy)
    assert result.returncode == 1
    assert result.stderr == (
        "Error: strategies.yaml: write-a-manifesto: no rule concludes it (recommendation)\n"
    )


def test_check_on_a_missing_folder_is_a_usage_error(tmp_path):
    result = invoke("check", "--knowledge", tmp_path / "nowhere")
    assert result.returncode == 2


@pytest.fixture
def fake_scenarios(monkeypatch):
    """Stands in for ``engine.scenarios`` (written separately): one scenario passes,
    one has two mismatches."""
    calls = []

    def run_scenarios(directory):
        calls.append(str(directory))
        return [
            types.SimpleNamespace(name="old-office", mismatches=[]),
            types.SimpleNamespace(
                name="young-group",
                mismatches=["strategy education: expected rank 1, got 2", "cause financial"],
            ),
        ]

    module = types.ModuleType("perencana.engine.teaching.scenarios")
    module.run_scenarios = run_scenarios
    monkeypatch.setitem(sys.modules, "perencana.engine.teaching.scenarios", module)
    return calls


def test_check_with_scenarios_reports_each_mismatch_and_a_summary(tmp_path, fake_scenarios):
    result = invoke("check", "--scenarios", tmp_path)
    assert fake_scenarios == [str(tmp_path)]
    assert result.returncode == 1
    assert result.stdout == "scenarios: 1 passed, 1 failed\n"
    assert result.stderr.splitlines() == [
        "Error: scenario young-group: strategy education: expected rank 1, got 2",
        "Error: scenario young-group: cause financial",
    ]


def test_check_with_passing_scenarios_stays_ok(tmp_path, monkeypatch, fake_scenarios):
    module = sys.modules["perencana.engine.teaching.scenarios"]
    monkeypatch.setattr(
        module, "run_scenarios", lambda d: [types.SimpleNamespace(name="a", mismatches=[])]
    )
    result = invoke("check", "--scenarios", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ok: 90 rules, 62 knowledge items checked",
        PASSAGES,
        "scenarios: 1 passed, 0 failed",
    ]


@pytest.mark.parametrize("command", ["rules", "check"])
def test_the_new_commands_have_help_with_an_example(command):
    result = invoke(command, "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout and f"perencana {command}" in result.stdout
