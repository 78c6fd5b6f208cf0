"""``perencana whatif``: what one changed answer does to the advice."""

import json

import pytest

from perencana.engine.case.loader import load_case
from perencana.engine.errors import CaseError, PerencanaError
from perencana.engine.teaching.whatif import WhatIf, render_what_if, what_if
from perencana.engine.view.advice_json import texts
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLES, invoke, run_perencana

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"
YOUNG_GROUP = EXAMPLES / "young-community-group.yaml"


@pytest.fixture(scope="module")
def office():
    return load_case(OLD_OFFICE)


def by_id(items, key="id"):
    return {item[key]: item for item in items}


# ------------------------------------------------------------------------ the diff


def test_sufficient_funds_remove_the_no_funds_evidence_and_demote_adapting(advisor, office):
    result = what_if(advisor, office, ["funding.funds_for_change=sufficient"])
    assert result.changes == [
        {"path": "funding.funds_for_change", "before": "none", "after": "sufficient"}
    ]
    financial = by_id(result.causes)["financial"]
    # Seen as costly (moderate) lifted by the fixed allocation and the sunk investments
    # keeps the cause strong: only its evidence changes.
    assert financial["change"] == "evidence"
    assert financial["before"] == financial["after"] == "strong"
    assert texts(financial["evidence_lost"]) == ["funding.funds_for_change = none"]
    adapt = by_id(result.strategies)["adapt-to-resources"]
    assert adapt == {"id": "adapt-to-resources", "change": "reranked", "before": 4, "after": 8}
    assert {"id": "community-donor", "change": "dropped"} in result.guidance


def test_a_fully_funded_cheap_change_with_enough_resources_loses_financial_resistance(
    advisor, office
):
    result = what_if(
        advisor,
        office,
        [
            "funding.funds_for_change=sufficient",
            "funding.seen_as_costly=false",
            "resources.limited=false",
        ],
    )
    financial = by_id(result.causes)["financial"]
    assert financial["change"] == "disappeared"
    assert financial["before"] == "strong" and financial["after"] is None
    assert "funding.funds_for_change = none" in texts(financial["evidence_lost"])
    strategies = by_id(result.strategies)
    assert strategies["adapt-to-resources"]["change"] == "dropped"
    assert strategies["adapt-to-resources"]["before"] == 4
    assert strategies["negotiate-incentives"]["change"] == "dropped"
    # Caveats of a dropped strategy go with it; they are not listed on their own.
    assert all(c["strategy"] != "negotiate-incentives" for c in result.caveats)


def test_an_internal_proposal_weakens_outsider_origin(advisor, office):
    result = what_if(advisor, office, ["change.proposed_by=internal"])
    outsider = by_id(result.causes)["outsider-origin"]
    assert outsider["change"] == "weaker"
    assert (outsider["before"], outsider["after"]) == ("strong", "weak")
    assert texts(outsider["evidence_lost"]) == [
        "change.proposed_by = external",
        "lifecycle = established",
    ]
    stance = by_id(result.strategies)["collaborative-stance"]
    assert (stance["change"], stance["before"], stance["after"]) == ("reranked", 8, 9)


def test_rerankings_show_the_old_and_the_new_rank(advisor, office):
    result = what_if(advisor, office, ["change.proposed_by=internal"])
    text = render_what_if(result, load_knowledge(), "text", "en")
    assert "re-ranked: Work as a partner, rank 8 → 9" in text
    assert "Change from outside: weaker, strong → weak" in text


def test_a_strategy_added_a_life_cycle_change_and_a_new_cause(advisor):
    young = load_case(YOUNG_GROUP)
    result = what_if(advisor, young, ["organization.age_years=20", "change.proposed_by=external"])
    assert result.lifecycle == {"before": "young", "after": "established"}
    outsider = by_id(result.causes)["outsider-origin"]
    assert (outsider["change"], outsider["before"], outsider["after"]) == (
        "appeared",
        None,
        "strong",
    )
    added = {s["id"]: s["after"] for s in result.strategies if s["change"] == "added"}
    assert added == {"collaborative-stance": 2, "gradual-change": 5}


def test_caveats_steps_unknowns_and_programs(advisor, office):
    result = what_if(
        advisor,
        office,
        [
            "staff.field_experience=unknown",
            "programs=[{name: home visits, viable: true, effectiveness: low, efficiency: high}]",
        ],
    )
    assert {
        "strategy": "education",
        "id": "education-no-field-experience",
        "change": "dropped",
    } in result.caveats
    assert result.first_steps == [
        {"strategy": "education", "id": "education-create-conditions", "change": "dropped"}
    ]
    assert {"path": "staff.field_experience", "change": "added"} in result.unknowns
    assert result.programs == [
        {"index": 0, "name": "home visits", "before": None, "after": "develop"}
    ]
    assert {"id": "program-review", "change": "added", "before": None, "after": 10} in (
        result.strategies
    )


def test_a_change_that_changes_nothing_says_so(advisor, office):
    result = what_if(advisor, office, ["organization.sector=child protection"])
    assert not result.changed
    text = render_what_if(result, load_knowledge(), "text", "en")
    assert "Nothing in the advice changes" in text
    assert "Field of service (organization.sector): social welfare services → child" in text


def test_the_case_itself_is_left_as_it_was(advisor, office):
    before = json.dumps(office, sort_keys=True)
    what_if(advisor, office, ["stakeholders[0].impact=positive", "funding.allocation=flexible"])
    assert json.dumps(office, sort_keys=True) == before


def test_both_runs_use_one_engine_reset_each_time(advisor, office):
    engine = advisor.engine
    first = what_if(advisor, office, ["change.pace=gradual"])
    again = what_if(advisor, office, ["change.pace=gradual"])
    assert advisor.engine is engine
    assert first.to_json() == again.to_json()
    assert isinstance(first, WhatIf) and first.changed


def test_values_are_read_as_yaml(advisor, office):
    result = what_if(
        advisor,
        office,
        [
            "funding.sunk_investments=[facilities, equipment]",
            "organization.age_years=25",
            "partners.peer_institution_available=true",
        ],
    )
    changes = by_id(result.changes, "path")
    assert changes["funding.sunk_investments"]["after"] == ["facilities", "equipment"]
    assert changes["organization.age_years"]["after"] == 25
    assert changes["partners.peer_institution_available"]["after"] is True


# ----------------------------------------------------------------------- bad sets

BAD_SETS = {
    "misspelt field": (
        "funding.fund_for_change=sufficient",
        "--set: funding.fund_for_change: no such field in a case; "
        "did you mean 'funding.funds_for_change'?",
    ),
    "misspelt section": (
        "fundng.funds_for_change=sufficient",
        "did you mean 'funding.funds_for_change'?",
    ),
    "field without its section": (
        "funds_for_change=sufficient",
        "did you mean 'funding.funds_for_change'?",
    ),
    "misspelt field of an item": (
        "stakeholders[0].impakt=positive",
        "did you mean 'stakeholders[0].impact'?",
    ),
    "item past the end": (
        "stakeholders[5].impact=positive",
        "--set: stakeholders[5].impact: the case lists 2 stakeholders "
        "(stakeholders[0] to stakeholders[1]); there is no stakeholders[5]",
    ),
    "item of an empty list": (
        "programs[0].viable=true",
        "--set: programs[0].viable: the case lists no programs, so there is no programs[0]",
    ),
    "item without a position": (
        "stakeholders.impact=positive",
        "stakeholders is a list; say which item, for example stakeholders[0].impact",
    ),
    "value not allowed": (
        "funding.funds_for_change=plenty",
        "--set: funding.funds_for_change: 'plenty' is not allowed; "
        "use one of: none, partial, sufficient",
    ),
    "negative age": ("organization.age_years=-3", "organization.age_years: -3 is not allowed"),
    "no equals sign": ("funding.funds_for_change", "is not PATH=VALUE"),
    "broken YAML value": ("change.triggers=[other", "cannot be read as YAML"),
    "a field of a single answer": (
        "funding.funds_for_change.amount=3",
        "funding.funds_for_change is a single answer, not a section with fields",
    ),
    "required field made unknown": (
        "change.proposed_by=unknown",
        "change.proposed_by: 'unknown' is not allowed; use one of: internal, external, joint",
    ),
}


@pytest.mark.parametrize("name", BAD_SETS)
def test_a_bad_set_is_a_clear_case_error(advisor, office, name):
    assignment, message = BAD_SETS[name]
    with pytest.raises(CaseError) as raised:
        what_if(advisor, office, [assignment])
    assert isinstance(raised.value, PerencanaError)
    assert any(message in line for line in raised.value.messages()), raised.value.messages()


# ------------------------------------------------------------------- the command


def test_whatif_prints_what_changes_as_text():
    result = invoke("whatif", OLD_OFFICE, "--set", "funding.funds_for_change=sufficient")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("What if: Dinas Sosial Kabupaten Lembah Hijau\n")
    assert "Funds for the change (funding.funds_for_change): No funds → Sufficient funds" in (
        result.stdout
    )
    assert "re-ranked: Adapt to limited resources, rank 4 → 8" in result.stdout
    assert "dropped: Between community and donor" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_whatif_in_indonesian():
    result = invoke("whatif", OLD_OFFICE, "--set", "change.proposed_by=internal", "--lang", "id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Bagaimana jika: Dinas Sosial Kabupaten Lembah Hijau")
    assert "Perubahan dari luar: melemah, kuat → lemah" in result.stdout
    assert "peringkat berubah: Bersikap sebagai mitra, peringkat 8 → 9" in result.stdout
    assert "What if" not in result.stdout and "re-ranked" not in result.stdout


def test_whatif_json_is_deterministic_and_language_free():
    args = ("whatif", OLD_OFFICE, "--set", "change.proposed_by=internal", "--format", "json")
    first, second = invoke(*args), invoke(*args)
    indonesian = invoke(*args, "--lang", "id")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout == indonesian.stdout
    data = json.loads(first.stdout)
    assert data["format"] == "perencana-whatif/1"
    assert data["changed"] is True
    assert list(data) == [
        "format",
        "organization",
        "changes",
        "changed",
        "lifecycle",
        "causes",
        "strategies",
        "caveats",
        "first_steps",
        "programs",
        "guidance",
        "unknowns",
        "tensions",
    ]


def test_whatif_reads_the_case_from_standard_input():
    result = invoke("whatif", "-", "--set", "planner.origin=internal", stdin=OLD_OFFICE.read_text())
    assert result.returncode == 0, result.stderr
    assert "Planner's origin (planner.origin): From outside the organization" in result.stdout
    assert "Change from outside: still strong, on other evidence" in result.stdout


def test_whatif_needs_at_least_one_set():
    result = invoke("whatif", OLD_OFFICE)
    assert result.returncode == 2
    assert "--set" in result.stderr


def test_whatif_command_reports_a_bad_path_and_exits_1():
    result = invoke("whatif", OLD_OFFICE, "--set", "funding.fund_for_change=sufficient")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: --set: funding.fund_for_change: no such field in a case; "
        "did you mean 'funding.funds_for_change'?\n"
    )


def test_whatif_command_reports_a_bad_value_and_an_item_past_the_end():
    result = invoke(
        "whatif", OLD_OFFICE, "--set", "funding.funds_for_change=plenty", "--lang", "id"
    )
    assert result.returncode == 1
    assert "'plenty' is not allowed" in result.stderr and "Traceback" not in result.stderr
    past = invoke("whatif", OLD_OFFICE, "--set", "stakeholders[2].impact=neutral")
    assert past.returncode == 1
    assert "there is no stakeholders[2]" in past.stderr
    assert "lists 2 stakeholders (stakeholders[0] to stakeholders[1])" in past.stderr
    only = invoke(
        "whatif", EXAMPLES / "program-review.yaml", "--set", "stakeholders[3].impact=neutral"
    )
    assert only.stderr == (
        "Error: --set: stakeholders[3].impact: the case lists only stakeholders[0]; "
        "there is no stakeholders[3]\n"
    )


def test_whatif_command_in_a_real_process():
    result = run_perencana(
        "whatif", YOUNG_GROUP, "--set", "organization.age_years=20", "--set", "pace=rapid"
    )
    assert result.returncode == 1
    assert "did you mean 'change.pace'?" in result.stderr
    ok = run_perencana("whatif", YOUNG_GROUP, "--set", "organization.age_years=20")
    assert ok.returncode == 0, ok.stderr
    assert "Young organization → Established organization" in ok.stdout


def test_a_bad_case_file_is_reported_before_any_set():
    result = invoke("whatif", EXAMPLES / "nowhere.yaml", "--set", "a.b=1")
    assert result.returncode == 1
    assert "nowhere.yaml: file not found" in result.stderr


def test_a_set_to_the_answer_the_case_has_says_so_rather_than_a_change():
    result = invoke("whatif", OLD_OFFICE, "--set", "change.pace=rapid")
    assert result.returncode == 0, result.stderr
    assert "Pace of the change (change.pace): already rapid" in result.stdout
    assert "→" not in result.stdout.split("Changed in the case:")[1].split("\n\n")[0]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_setting_one_item_of_a_list_of_values_tells_the_whole_list(lang):
    # An item of a list of values is a position in the list, not a case path of its
    # own: the change is told as the list before and after, in text and in JSON.
    sets = ("--set", "funding.sunk_investments[0]=equipment", "--set", "change.triggers[1]=other")
    result = invoke("whatif", OLD_OFFICE, *sets, "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert "(funding.sunk_investments):" in result.stdout
    assert "(change.triggers):" in result.stdout
    as_json = json.loads(invoke("whatif", OLD_OFFICE, *sets, "--format", "json").stdout)
    assert as_json["changes"] == [
        {
            "path": "funding.sunk_investments",
            "before": ["facilities", "trained-staff"],
            "after": ["trained-staff", "equipment"],
        },
        {
            "path": "change.triggers",
            "before": ["service-area-expansion", "policy-change"],
            "after": ["service-area-expansion", "other"],
        },
    ]


def test_a_fact_that_stops_counting_for_a_cause_is_not_said_to_stop_holding():
    # The office is still established when the proposal comes from inside: the stage
    # only stops counting among the outsider cause's reasons.
    text = invoke("whatif", OLD_OFFICE, "--set", "change.proposed_by=internal").stdout
    assert "no longer among its reasons: Life-cycle stage: Established organization" in text
    assert "no longer: " not in text
    gone = invoke("whatif", OLD_OFFICE, "--set", "change.pace=unknown").stdout
    assert "Hard-won status quo: disappears (was strong)\n      its reasons were:\n" in gone
    indonesian = invoke(
        "whatif", OLD_OFFICE, "--set", "change.proposed_by=internal", "--lang", "id"
    )
    assert "tidak lagi termasuk alasannya: Tahap siklus hidup: Lembaga mapan" in indonesian.stdout


def test_how_the_strategies_fit_together_is_compared_too(advisor, office):
    # With enough money the experts no longer have to be hired on a short budget:
    # the memo's paragraph on fitting the two strategies together goes.
    result = what_if(advisor, office, ["funding.funds_for_change=sufficient"])
    assert result.tensions == [{"id": "experts-within-means", "change": "dropped"}]
    assert result.to_json()["tensions"] == result.tensions
    text = render_what_if(result, load_knowledge(), "text", "en")
    assert "How the strategies fit together\n" in text
    assert "  - dropped: New experts on a short budget\n" in text


def test_nothing_changes_in_the_advice_but_the_memo_still_names_a_changed_item(advisor, office):
    result = what_if(advisor, office, ["stakeholders[1].directly_affected=false"])
    assert not result.changed
    text = render_what_if(result, load_knowledge(), "text", "en")
    assert "Nothing in the advice changes" in text
    assert "action plan and stakeholder map still follow the changed answers" in " ".join(
        text.split()
    )
    elsewhere = render_what_if(
        what_if(advisor, office, ["change.pace=rapid"]), load_knowledge(), "text", "en"
    )
    assert "stakeholder map" not in elsewhere


def test_a_field_of_a_section_the_case_leaves_out_can_be_set():
    # The case has no memo section: its fields are still fields to set.
    result = invoke("whatif", OLD_OFFICE, "--set", "memo.title=Review for the board")
    assert result.returncode == 0, result.stderr
    assert "Title of the memo (memo.title): unknown → Review for the board" in result.stdout
    deeper = invoke("whatif", OLD_OFFICE, "--set", "change.pace.x=1")
    assert deeper.returncode == 1
    assert "change.pace is a single answer, not a section with fields" in deeper.stderr


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("no", "no"),
        ("Yayasan: Harapan", "Yayasan: Harapan"),
        ("12", "12"),
        ("# 1", "# 1"),
        ('"Yayasan: Harapan"', "Yayasan: Harapan"),  # quoted as YAML would be: unquoted
        ("'no'", "no"),
    ],
)
def test_a_text_field_takes_the_text_as_typed(typed, value):
    # Not as YAML would read it: "no" is the word, not false; a colon is no mapping.
    result = invoke(
        "whatif", OLD_OFFICE, "--set", f"organization.mission={typed}", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["changes"][0]["after"] == value


def test_a_whole_list_set_reads_on_wrapped_lines_without_runs_of_spaces():
    text = invoke("whatif", OLD_OFFICE, "--set", "stakeholders=[]").stdout
    assert "families on the waiting list" in " ".join(text.split())
    assert not [line for line in text.splitlines() if "  " in line.strip()]


def test_a_field_set_twice_is_refused_rather_than_one_value_kept_unsaid():
    result = invoke(
        "whatif",
        OLD_OFFICE,
        "--set",
        "organization.age_years=3",
        "--set",
        "organization.age_years=40",
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Error: --set: organization.age_years is set more than once; set each field once\n"
    )
