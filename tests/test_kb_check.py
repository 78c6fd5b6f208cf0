"""``engine.kb_check``: the shipped knowledge and rules pass every check, and each
kind of breakage (in a copy of the knowledge, in synthetic rules or mixins) is
reported in one clear line naming the file, rule or id."""

import shutil
from types import SimpleNamespace

import pytest
import yaml
from click.testing import CliRunner
from experta import MATCH, NOT, Rule

from perencana.cli import main
from perencana.engine.case.schema import field_specs
from perencana.engine.errors import CheckError
from perencana.engine.reasoning.facts import (
    Cause,
    Evidence,
    Field,
    Lifecycle,
    Program,
    Recommended,
    Stakeholder,
)
from perencana.engine.reasoning.rule_catalog import Conclusion, RuleInfo, _condition, rule_catalog
from perencana.engine.teaching import kb_check
from perencana.engine.teaching.catalog_view import read_rule_statements
from perencana.knowledge import load_knowledge
from perencana.knowledge.loader import KNOWLEDGE_DIR
from perencana.rules import RULE_MIXINS

# --------------------------------------------------------------------------- helpers


def rule_info(name, *patterns, conclusions=(), sources=(1,), statement=None):
    """A RuleInfo read from experta patterns, as rule_catalog reads a real rule."""
    return RuleInfo(
        id=name,
        concern=name.split("_", 1)[0],
        salience=0,
        statement=statement if statement is not None else f"A test rule (¶{sources[0]}).",
        sources=tuple(sources),
        conditions=tuple(_condition(pattern) for pattern in Rule(*patterns)),
        conclusions=tuple(conclusions),
        mixin="TestRules",
    )


def reachability(*rules):
    """Reachability problems of the shipped rules plus ``rules``."""
    catalog = rule_catalog() + tuple(rules)
    return kb_check.reachability_problems(catalog, field_specs(), load_knowledge().thresholds)


@pytest.fixture
def kb_copy(tmp_path):
    """A copy of the shipped knowledge folder to break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit_yaml(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = change(data) or data
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_of(directory):
    return list(kb_check.check_knowledge_base(directory).problems)


# --------------------------------------------------------------------------- shipped


def test_the_shipped_knowledge_base_has_no_problems():
    report = kb_check.check_knowledge_base()
    assert report.problems == ()
    assert report.rules == len(rule_catalog()) == 90
    assert report.items == 62  # 4 causes, 11 strategies, 12 caveats, 1 step, 28 guidance...
    assert report.lines() == [
        "ok: 90 rules, 62 knowledge items checked",
        "passages ¶4–¶73: 60 encoded, 10 deliberately not encoded "
        "(perencana check --passages lists them)",
    ]
    report.raise_problems()  # nothing to raise


def test_each_check_passes_on_the_shipped_inputs():
    knowledge, catalog = load_knowledge(), rule_catalog()
    assert kb_check.coverage_problems(knowledge, catalog) == []
    assert kb_check.citation_problems(knowledge, catalog) == []
    assert kb_check.reference_problems(knowledge, catalog) == []
    assert kb_check.reachability_problems(catalog, field_specs(), knowledge.thresholds) == []
    assert kb_check.mixin_problems(RULE_MIXINS) == []
    assert kb_check.language_problems(catalog, read_rule_statements()) == []


def test_a_report_with_problems_raises_a_check_error_listing_each():
    report = kb_check.CheckReport(rules=1, items=1, problems=("first", "second"))
    assert report.lines() == []
    with pytest.raises(CheckError) as caught:
        report.raise_problems()
    assert caught.value.messages() == ["first", "second"]


# --------------------------------------------------------------------------- (a) (b) broken copies


def test_a_strategy_no_rule_recommends_is_reported(kb_copy):
    new = {
        "id": "write-a-manifesto",
        "code": "S12",
        "phase": "start",
        "sources": [62],
        "title": {"en": "Write a manifesto", "id": "Menulis manifesto"},
        "summary": {"en": "Put the change in writing.", "id": "Tuliskan perubahannya."},
        "first_step": {"en": "Draft it.", "id": "Susun drafnya."},
    }
    edit_yaml(kb_copy / "strategies.yaml", lambda items: items + [new])
    assert problems_of(kb_copy) == [
        "strategies.yaml: write-a-manifesto: no rule concludes it (recommendation)"
    ]


def test_a_passage_the_source_does_not_have_is_reported(kb_copy):
    def cite_99(items):
        items[0]["sources"] = [99]

    edit_yaml(kb_copy / "strategies.yaml", cite_99)
    assert problems_of(kb_copy) == [
        "strategies.yaml: education: cites ¶99, which is not between 1 and 75"
    ]


def test_a_missing_indonesian_text_is_reported(kb_copy):
    def drop_indonesian(items):
        del items[1]["title"]["id"]

    edit_yaml(kb_copy / "strategies.yaml", drop_indonesian)
    assert problems_of(kb_copy) == [
        "strategies.yaml: adapt-to-resources: title has no text in 'id'"
    ]


def test_a_guidance_item_a_rule_concludes_cannot_be_removed(kb_copy):
    edit_yaml(
        kb_copy / "guidance.yaml",
        lambda items: [item for item in items if item["id"] != "credibility"],
    )
    assert problems_of(kb_copy) == [
        "rule guidance_credibility_low: names guidance id 'credibility', "
        "which is not in guidance.yaml"
    ]


def test_a_rule_without_an_indonesian_statement_is_reported(kb_copy):
    edit_yaml(kb_copy / "rule_statements.yaml", lambda data: data.pop("program_develop") and None)
    assert problems_of(kb_copy) == [
        "rule_statements.yaml: program_develop: has no Indonesian statement"
    ]


def test_a_statement_for_no_rule_is_reported(kb_copy):
    edit_yaml(
        kb_copy / "rule_statements.yaml",
        lambda data: {**data, "guidance_retired": "Aturan lama (¶33)."},
    )
    assert problems_of(kb_copy) == [
        "rule_statements.yaml: guidance_retired: there is no rule of that name"
    ]


def test_a_missing_statements_file_is_reported(kb_copy):
    (kb_copy / "rule_statements.yaml").unlink()
    assert problems_of(kb_copy) == [
        "rule_statements.yaml: cannot be read (No such file or directory)"
    ]


def test_a_knowledge_folder_that_does_not_load_still_gets_the_rule_checks(kb_copy):
    (kb_copy / "causes.yaml").write_text("- {id: financial\n", encoding="utf-8")
    problems = problems_of(kb_copy)
    assert len(problems) == 1 and problems[0].startswith("causes.yaml: not valid YAML")


def test_a_cause_without_evidence_rules_cannot_be_concluded():
    knowledge = load_knowledge()
    catalog = tuple(
        rule
        for rule in rule_catalog()
        if not any(c.kind == "evidence" and c.target == "financial" for c in rule.conclusions)
    )
    assert kb_check.coverage_problems(knowledge, catalog) == [
        "causes.yaml: financial: no rule concludes it (cause)"
    ]


def test_a_caveat_without_its_rule_is_reported():
    catalog = tuple(r for r in rule_catalog() if r.id != "strategy_shake_up_caveat_not_permanent")
    assert kb_check.coverage_problems(load_knowledge(), catalog) == [
        "caveats.yaml: shake-up-not-permanent: no rule concludes it (caveat)"
    ]


# --------------------------------------------------------------------------- (c)


def test_a_rule_citing_no_passage_or_a_passage_past_the_source_is_reported():
    rules = {rule.id: rule for rule in rule_catalog()}
    catalog = (
        rules["program_replace"].replace(sources=()),
        rules["program_develop"].replace(sources=(72, 99)),
    )
    assert kb_check.citation_problems(load_knowledge(), catalog) == [
        "rule program_replace: cites no ¶ of the source",
        "rule program_develop: cites ¶99, which is not between 1 and 75",
    ]


def test_ids_a_rule_concludes_or_matches_must_exist():
    catalog = (
        rule_info(
            "strategy_typo",
            Cause(id="finansial"),
            Recommended(strategy="educaton"),
            Lifecycle(stage="ancient"),
            conclusions=[
                Conclusion("recommendation", "consultant", cites=("outsider",)),
                Conclusion("caveat", "shake-up-not-permanent", strategy="education"),
            ],
        ),
    )
    assert kb_check.reference_problems(load_knowledge(), catalog) == [
        "rule strategy_typo: names strategies id 'consultant', which is not in strategies.yaml",
        "rule strategy_typo: names causes id 'outsider', which is not in causes.yaml",
        "rule strategy_typo: gives shake-up-not-permanent to strategy 'education', "
        "but caveats.yaml gives it to 'shake-up'",
        "rule strategy_typo: names causes id 'finansial', which is not in causes.yaml",
        "rule strategy_typo: names strategies id 'educaton', which is not in strategies.yaml",
        "rule strategy_typo: names lifecycle id 'ancient', which is not in lifecycle.yaml",
    ]


# --------------------------------------------------------------------------- (d)


def test_a_value_the_field_cannot_take_makes_a_rule_unreachable():
    rule = rule_info("cause_instant", Field(path="change.pace", value="instant"))
    assert reachability(rule) == [
        "rule cause_instant: Field: change.pace can never be 'instant' "
        "(allowed: gradual, moderate, rapid)"
    ]


def test_a_path_that_is_not_a_case_field_makes_a_rule_unreachable():
    rule = rule_info("cause_typo", Field(path="change.paec", value="rapid"))
    assert reachability(rule) == ["rule cause_typo: Field: 'change.paec' is not a case field"]


@pytest.mark.parametrize(
    "pattern, problem",
    [
        (
            Field(path="change.pace", value="unknown"),
            "change.pace can never be 'unknown' (allowed: gradual, moderate, rapid)",
        ),
        (
            Field(path="resources.limited", value="yes"),
            "resources.limited can never be 'yes' (allowed: true, false)",
        ),
        (
            Field(path="change.triggers", value="earthquake"),
            "change.triggers can never be 'earthquake' (allowed: service-area-expansion, "
            "new-program-data, funding-change, policy-change, other)",
        ),
        (
            Field(path="organization.age_years", band="ancient"),
            "organization.age_years has no band 'ancient' in thresholds.yaml "
            "(bands: new, mid, long-standing)",
        ),
        (Field(path="change.pace", band="long"), "change.pace has no bands in thresholds.yaml"),
        (
            Field(path="organization.name", value="Dinas Sosial"),
            "'organization.name' is never made a Field fact (text field)",
        ),
        (
            Field(path="programs[].viable", value=True),
            "'programs[].viable' is never made a Field fact (boolean field)",
        ),
        (
            Field(path="change.pace", valeu="rapid"),
            "has a key 'valeu', which Field facts do not have",
        ),
    ],
)
def test_field_conditions_no_case_can_satisfy_are_reported(pattern, problem):
    fact = type(pattern).__name__
    assert reachability(rule_info("cause_test", pattern)) == [f"rule cause_test: {fact}: {problem}"]


@pytest.mark.parametrize(
    "pattern, problem",
    [
        (
            Stakeholder(impact="hostile"),
            "Stakeholder: impact can never be 'hostile' "
            "(allowed: 'negative', 'neutral', 'positive')",
        ),
        (
            Stakeholder(directly_affected="yes"),
            "Stakeholder: directly_affected can never be 'yes' (allowed: true, false)",
        ),
        (
            Program(performance="excellent"),
            "Program: performance can never be 'excellent' (allowed: 'adequate', 'low')",
        ),
        (Program(budget=10), "Program: has a key 'budget', which the case does not give"),
        (Recommended(strategy="levitate"), "Recommended: no rule concludes Recommended 'levitate'"),
        (Lifecycle(stage="ancient"), "Lifecycle: no rule concludes Lifecycle 'ancient'"),
        (Cause(id="boredom"), "Cause: no rule concludes Cause 'boredom'"),
        (Evidence(cause="boredom"), "Evidence: no rule concludes Evidence 'boredom'"),
        (
            Evidence(cause="financial", strength="overwhelming"),
            "Evidence: no rule gives evidence of strength 'overwhelming'",
        ),
    ],
)
def test_item_and_concluded_fact_conditions_no_run_can_satisfy_are_reported(pattern, problem):
    assert reachability(rule_info("strategy_test", pattern)) == [f"rule strategy_test: {problem}"]


def test_conditions_a_case_can_satisfy_are_not_reported():
    rule = rule_info(
        "strategy_fine",
        Field(path="change.pace", value="rapid"),
        Field(path="organization.years_to_current_state", band="long"),
        Field(path="change.triggers", value="policy-change"),
        Field(path="funding.sunk_investments"),
        Stakeholder(directly_affected=False, impact="positive", name=MATCH.name),
        Program(viable=True, performance="low"),
        Cause(id="financial"),
        Evidence(cause=MATCH.cause),
        NOT(Recommended(strategy="never-concluded")),
        Lifecycle(stage="maturing"),
    )
    assert reachability(rule) == []


def test_a_rule_needing_one_field_to_hold_two_answers_is_reported():
    rule = rule_info(
        "cause_torn",
        Field(path="change.pace", value="rapid"),
        Field(path="change.pace", value="moderate"),
    )
    assert reachability(rule) == [
        "rule cause_torn: needs change.pace to be both 'rapid' and 'moderate'"
    ]


def test_a_list_field_may_hold_two_members_at_once():
    rule = rule_info(
        "strategy_two_triggers",
        Field(path="change.triggers", value="funding-change"),
        Field(path="change.triggers", value="policy-change"),
    )
    assert reachability(rule) == []


def test_a_fact_class_nothing_makes_is_reported():
    class Mood(Field):
        pass

    assert reachability(rule_info("cause_mood", Mood(kind="grumpy"))) == [
        "rule cause_mood: Mood: no rule or case makes Mood facts"
    ]


# --------------------------------------------------------------------------- (e)


def test_two_mixins_defining_the_same_rule_name_are_reported():
    class FirstRules:
        @Rule(Field(path="change.pace", value="rapid"))
        def cause_shared(self):
            """One (¶57)."""

    class SecondRules:
        @Rule(Field(path="change.pace", value="moderate"))
        def cause_shared(self):
            """Other (¶57)."""

        @Rule(Field(path="change.pace", value="gradual"))
        def cause_own(self):
            """Own (¶57)."""

    assert kb_check.mixin_problems((FirstRules, SecondRules)) == [
        "rules: 'cause_shared' is defined in both FirstRules and SecondRules; "
        "experta keeps only one of them"
    ]


def test_a_helper_method_shadowed_by_another_mixin_is_reported_too():
    class FirstRules:
        def helper(self):
            return 1

    class SecondRules:
        def helper(self):
            return 2

    problems = kb_check.mixin_problems((FirstRules, SecondRules))
    assert problems == [
        "rules: 'helper' is defined in both FirstRules and SecondRules; "
        "experta keeps only one of them"
    ]


# --------------------------------------------------------------------------- (f)


def test_language_problems_name_each_rule_and_file():
    catalog = rule_catalog()
    statements = dict(read_rule_statements())
    del statements["program_replace"]
    statements["program_maintain"] = "Program dipertahankan (¶70)."
    statements["cause_present"] = "   "
    statements["program_gone"] = "Tidak ada (¶72)."
    undocumented = catalog[-1].replace(statement="")
    problems = kb_check.language_problems(catalog[:-1] + (undocumented,), statements)
    assert problems == [
        "rule_statements.yaml: cause_present: has no Indonesian statement",
        "rule_statements.yaml: program_maintain: cites ¶70, but the rule cites ¶71, ¶72",
        "rule_statements.yaml: program_replace: has no Indonesian statement",
        f"rule {undocumented.id}: has no docstring (its English statement)",
        "rule_statements.yaml: program_gone: there is no rule of that name",
    ]


def test_statements_out_of_the_catalog_order_are_reported():
    statements = read_rule_statements()
    ids = list(statements)
    ids[0], ids[1] = ids[1], ids[0]
    swapped = {name: statements[name] for name in ids}
    assert kb_check.language_problems(rule_catalog(), swapped) == [
        "rule_statements.yaml: not in the order of the rule catalog "
        "(first out of place: lifecycle_maturing)"
    ]


# --------------------------------------------------------------------------- scenarios


def fake_results():
    return [
        SimpleNamespace(name="old-office", mismatches=[]),
        SimpleNamespace(name="young-group", mismatches=["expected cause financial, got none"]),
    ]


def test_scenario_mismatches_are_problems_and_summarized(tmp_path):
    calls = []

    def run_scenarios(directory):
        calls.append(directory)
        return fake_results()

    report = kb_check.check_knowledge_base(scenarios_dir=tmp_path, run_scenarios=run_scenarios)
    assert calls == [tmp_path]
    assert report.problems == ("scenario young-group: expected cause financial, got none",)
    assert report.lines() == ["scenarios: 1 passed, 1 failed"]


def test_passing_scenarios_keep_the_check_ok(tmp_path):
    def run_scenarios(directory):
        return [SimpleNamespace(name="old-office", mismatches=[])]

    report = kb_check.check_knowledge_base(scenarios_dir=tmp_path, run_scenarios=run_scenarios)
    assert report.lines() == [
        "ok: 90 rules, 62 knowledge items checked",
        "passages ¶4–¶73: 60 encoded, 10 deliberately not encoded "
        "(perencana check --passages lists them)",
        "scenarios: 1 passed, 0 failed",
    ]


# --------------------------------------------------------------------------- (g) fields.yaml


def by_path(items, path):
    return next(item for item in items if item["path"] == path)


def test_the_shipped_field_labels_cover_the_schema():
    assert kb_check.field_label_problems(load_knowledge().fields, field_specs()) == []


def test_a_field_without_an_entry_is_reported(kb_copy):
    edit_yaml(
        kb_copy / "fields.yaml",
        lambda items: [item for item in items if item["path"] != "change.pace"],
    )
    assert problems_of(kb_copy) == [
        "fields.yaml: change.pace: the field has no entry (it needs a label)"
    ]


def test_a_field_without_a_label_is_reported(kb_copy):
    def drop(items):
        del by_path(items, "staff.involved_in_design")["label"]

    edit_yaml(kb_copy / "fields.yaml", drop)
    assert problems_of(kb_copy) == [
        "fields.yaml: staff.involved_in_design: has no label in 'en'",
        "fields.yaml: staff.involved_in_design: has no label in 'id'",
    ]


def test_an_allowed_value_without_a_label_is_reported(kb_copy):
    def drop(items):
        del by_path(items, "change.pace")["values"]["rapid"]
        del by_path(items, "programs[].viable")["values"][False]

    edit_yaml(kb_copy / "fields.yaml", drop)
    assert problems_of(kb_copy) == [
        "fields.yaml: change.pace: the value 'rapid' has no label in 'en'",
        "fields.yaml: change.pace: the value 'rapid' has no label in 'id'",
        "fields.yaml: programs[].viable: the value false has no label in 'en'",
        "fields.yaml: programs[].viable: the value false has no label in 'id'",
    ]


def test_a_label_for_what_the_schema_does_not_have_is_reported(kb_copy):
    def add(items):
        by_path(items, "change.pace")["values"]["swift"] = {"en": "Swift", "id": "Cepat sekali"}
        items.append({"path": "change.colour", "label": {"en": "Colour", "id": "Warna"}})

    edit_yaml(kb_copy / "fields.yaml", add)
    assert problems_of(kb_copy) == [
        "fields.yaml: change.pace: labels the value 'swift', which the field does not take",
        "fields.yaml: change.colour: is not a field of the case schema",
    ]


def test_a_field_label_problem_fails_the_check_command(kb_copy):
    def drop(items):
        del by_path(items, "planner.origin")["values"]["external"]

    edit_yaml(kb_copy / "fields.yaml", drop)
    result = CliRunner().invoke(main, ["check", "--knowledge", str(kb_copy)])
    assert result.exit_code == 1
    assert "fields.yaml: planner.origin: the value 'external' has no label in 'en'" in result.output


# --------------------------------------------------------------------------- (i) passages

PASSAGES = "passages.yaml"


def test_every_passage_from_4_to_73_is_encoded_or_deliberately_not():
    report = kb_check.check_knowledge_base()
    statuses = report.passages

    assert [s.number for s in statuses] == list(range(4, 74))
    not_encoded = [s.number for s in statuses if not s.encoded_by]
    assert not_encoded == [4, 5, 11, 14, 24, 25, 35, 38, 43, 49]
    assert all(s.why.strip() for s in statuses if not s.encoded_by)
    assert all(not s.why for s in statuses if s.encoded_by)


def test_what_encodes_a_passage_is_read_from_the_rules_and_the_knowledge():
    encodings = kb_check.passage_encodings(load_knowledge(), rule_catalog())

    assert encodings[31] == (
        "rule strategy_negotiate_caveat_negotiation_skill",
        "rule guidance_diagnosis_skill",
        "caveats.yaml: negotiation-skill",
        "guidance.yaml: diagnosis-skill",
    )
    assert encodings[20][-2:] == (
        "guidance.yaml: cross-sectoral-coordinator",
        "guidance.yaml: coordinating-body",
    )
    # A project default that cites the source encodes its passage too.
    assert encodings[62] == ("thresholds.yaml: ranking",)


def test_a_passage_neither_encoded_nor_listed_fails_the_check(kb_copy):
    edit_yaml(kb_copy / PASSAGES, lambda data: data["not_encoded"].pop(24) and None)

    assert problems_of(kb_copy) == [
        "passages.yaml: ¶24: neither encoded (no rule or knowledge item cites it) "
        "nor listed as deliberately not encoded, with why"
    ]


def test_a_passage_listed_as_not_encoded_that_a_rule_cites_fails_the_check(kb_copy):
    edit_yaml(kb_copy / PASSAGES, lambda data: data["not_encoded"].update({31: "no reason"}))

    assert problems_of(kb_copy) == [
        "passages.yaml: ¶31: listed as not encoded, but rule "
        "strategy_negotiate_caveat_negotiation_skill cites it"
    ]


def test_a_passage_not_encoded_must_say_why(kb_copy):
    edit_yaml(kb_copy / PASSAGES, lambda data: data["not_encoded"].update({49: " "}))

    assert problems_of(kb_copy) == ["passages.yaml: ¶49: says not why it is not encoded"]


def test_a_passage_that_loses_its_only_citation_is_reported():
    encodings = kb_check.passage_encodings(load_knowledge(), rule_catalog())
    passages = {
        "range": [4, 73],
        "not_encoded": {n: "why" for n in range(4, 74) if n not in encodings},
    }
    assert kb_check.passage_problems(passages, encodings, 75) == []

    del encodings[21]
    assert kb_check.passage_problems(passages, encodings, 75) == [
        "passages.yaml: ¶21: neither encoded (no rule or knowledge item cites it) "
        "nor listed as deliberately not encoded, with why"
    ]


@pytest.mark.parametrize("span", [[4], [73, 4], [0, 73], [4, 80], "4-73"])
def test_a_bad_range_is_reported(span):
    assert kb_check.passage_problems({"range": span}, {}, 75) == [
        "passages.yaml: range must be [first, last] passages between 1 and 75"
    ]


def test_check_lists_each_passage_on_request():
    result = CliRunner().invoke(main, ["check", "--passages"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    listed = [line for line in lines if line.startswith("¶")]
    assert [int(line[1:].partition(":")[0]) for line in listed] == list(range(4, 74))
    assert "¶49: not encoded: The title of the second part of the source;" in result.output
    assert any(
        line.startswith("¶16: encoded by rule guidance_role_internal_change") for line in listed
    )


def test_an_answer_phrase_that_names_two_values_fails_the_check(kb_copy):
    def twice(items):
        field = by_path(items, "funding.funds_for_change")
        field["answers"]["sufficient"]["id"].append("sebagian")

    edit_yaml(kb_copy / "fields.yaml", twice)
    result = CliRunner().invoke(main, ["check", "--knowledge", str(kb_copy)])
    assert result.exit_code == 1
    assert "funding.funds_for_change: the answer 'sebagian' names two values" in result.output
