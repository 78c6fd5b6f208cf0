"""The interview as a state machine: the questions, the answers, back, resuming.

``run_scripted`` answers an interview with the facts of a case, as a planner who knows
the case would; the command-line tests use it to script the same answers.
``walk_example`` does it once per test process for an example (the interview runs an
inference per answer, so a whole interview costs about half a second), with what the
order tests check along the way.
"""

import functools
from dataclasses import dataclass

import pytest

from perencana.engine.api import read_case
from perencana.engine.case.schema import LIST_SECTIONS, UNKNOWN, field_specs
from perencana.engine.interview.relevance import Relevance, lookup
from perencana.engine.interview.session import Interview, check_partial
from perencana.engine.view.advice_json import advice_json
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLE_CASES, EXAMPLES

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"


def answer_line(interview, question, case):
    """What a planner who knows ``case`` types at ``question`` (in English)."""
    if question.is_add:
        items = case[question.section]
        if items == UNKNOWN:
            return "unknown"
        current = interview.data.get(question.section)
        count = len(current) if isinstance(current, list) else 0
        return "yes" if len(items) > count else "no"
    value = lookup(case, question.path)
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(value) if value else "none"
    return str(value)


@dataclass
class ScriptedRun:
    interview: Interview
    lines: list
    questions: list


def run_scripted(case, lang="en"):
    """Answer a whole interview with the facts of ``case``; every answer must be taken."""
    interview = Interview(lang=lang)
    lines, questions = [], []
    while (question := interview.next_question()) is not None:
        line = answer_line(interview, question, case)
        reply = interview.handle(question, line)
        assert reply.ok, (question.path, line, reply.message)
        lines.append(line)
        questions.append(question)
    return ScriptedRun(interview, lines, questions)


@dataclass(frozen=True)
class ExampleWalk:
    """An example's interview answered with its own facts, and along the way:
    ``headlines``, after each answer, the causes with their strengths and the first
    three strategies of the provisional advice; ``guidance_too_early``, the questions
    that only add guidance but were asked while another open question could still move
    the headline (none is right)."""

    run: ScriptedRun
    headlines: tuple
    guidance_too_early: tuple


@functools.cache
def walk_example(path, advisor):
    """``run_scripted`` on the example case at ``path``, once per test process: the
    same interview, answer for answer. Its run is shared by the tests that read it, so
    they must not change it (its lines and questions are tuples)."""
    case = read_case(path)
    interview = Interview()
    lines, questions, headlines, too_early = [], [], [], []
    while (question := interview.next_question()) is not None:
        if question.path in GUIDANCE_ONLY:
            relevance = interview.relevance()
            if any(relevance.headline_moves(q.path) for q in interview.open_questions(relevance)):
                too_early.append(question.path)
        line = answer_line(interview, question, case)
        reply = interview.handle(question, line)
        assert reply.ok, (question.path, line, reply.message)
        lines.append(line)
        questions.append(question)
        headlines.append(_headline(advisor, interview))
    run = ScriptedRun(interview, tuple(lines), tuple(questions))
    return ExampleWalk(run, tuple(headlines), tuple(too_early))


def case_field_count(case):
    """How many fields ``case`` has: every field outside the lists, and every field of
    each item listed."""
    count = sum(1 for spec in field_specs() if "[]" not in spec.path)
    for section in LIST_SECTIONS:
        if case[section] != UNKNOWN:
            per_item = sum(1 for spec in field_specs() if spec.path.startswith(f"{section}[]"))
            count += per_item * len(case[section])
    return count


@pytest.fixture
def interview():
    return Interview()


def answer_until(interview, path, answers=None):
    """Answer every question before ``path`` (with ``answers`` by path, else a default
    that is always allowed), leaving ``path`` as the next question."""
    answers = answers or {}
    while (question := interview.next_question()).path != path:
        line = answers.get(question.path) or _any_answer(question)
        assert interview.handle(question, line).ok, (question.path, line)
    return question


def _any_answer(question):
    if question.is_add:
        return "no"
    if question.kind == "count":
        return "3"
    if question.kind == "text":
        return "something"
    if question.allows_unknown:
        return "unknown"
    return "1"


# --------------------------------------------------------------- whole interviews


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_an_example_answered_with_its_facts_gives_its_advice_skipping_what_cannot(advisor, path):
    case = read_case(path)
    run = walk_example(path, advisor).run
    field_questions = [q for q in run.questions if not q.is_add]
    # fewer questions than fields whenever a question cannot change the advice
    assert len(field_questions) <= case_field_count(case)
    assert (len(field_questions) < case_field_count(case)) == bool(run.interview.skipped())
    assert len(set(q.path for q in run.questions if not q.is_add)) == len(field_questions)
    interviewed = advisor.advise(run.interview.final_case())
    assert advice_json(interviewed) == advice_json(advisor.advise(case))


DESCRIPTION_ONLY = ("organization.type", "organization.sector", "organization.mission")


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_the_decisive_questions_come_before_the_description_only_ones(advisor, path):
    run = walk_example(path, advisor).run
    asked = [q.path for q in run.questions]
    assert asked[:2] == ["organization.name", "change.summary"]  # what the memo is about
    assert asked[-3:] == list(DESCRIPTION_ONLY)
    assert asked.index("organization.age_years") < asked.index("organization.type")
    assert asked.index("change.skills_required") < asked.index("planner.character")


def _headline(advisor, interview):
    from perencana.engine.interview.session import provisional_case

    advice = advisor.infer(provisional_case(interview.case_data()))
    return [(c.id, c.strength) for c in advice.causes], [s.id for s in advice.strategies[:3]]


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_the_causes_and_first_strategies_settle_early(advisor, path):
    """Answered with its own facts, each example's causes and first three strategies
    stop changing well before the end: after at most 22 questions of 48 to 63 (in the
    case file's order it took up to 32; weighed by the conclusions each answer can
    reach, up to 28; see the issue 14 reports)."""
    headlines = walk_example(path, advisor).headlines
    settled = len(headlines)
    while settled > 1 and headlines[settled - 2] == headlines[-1]:
        settled -= 1
    assert settled <= 22, settled
    assert settled < len(headlines) / 2


def test_the_order_follows_the_answers_so_far(interview):
    """Re-ordered after each answer: once the organization is known to be young, the
    questions that feed the long-standing organization's causes weigh less."""
    answer_until(interview, "organization.age_years")
    fresh = [q.path for q in interview.open_questions()]
    question = interview.next_question()
    assert interview.handle(question, "2").ok  # a young organization
    later = [q.path for q in interview.open_questions()]
    assert fresh != later[: len(fresh)]
    relevance = interview.relevance()
    weights = interview.weights(interview.open_questions(relevance), relevance)
    decisive = [p for p in later if weights[p] and not p.startswith("organization.name")]
    keys = [(not relevance.headline_moves(p), -weights[p]) for p in decisive]
    assert keys == sorted(keys)


def test_an_answer_that_can_only_repeat_what_is_known_weighs_nothing():
    """Once no funds at all make the financial cause strong, a fixed allocation (which
    only raises it one level) cannot make it stronger: the question stays (a rule waits
    for it) but weighs nothing, so it waits behind every question that can still move
    the advice."""
    fresh = Relevance({})
    assert fresh.weight("funding.allocation") > 0
    known = Relevance({"funding": {"funds_for_change": "none"}})
    assert ("cause", "financial", "") in known.certain
    assert known.is_relevant("funding.allocation")
    assert known.weight("funding.allocation") == 0
    assert not known.headline_moves("funding.allocation")


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_questions_that_only_add_guidance_wait_for_those_that_move_the_headline(advisor, path):
    """The planner's role, background and skills and the other agencies only add
    guidance: each comes after every question that, at that moment, could still add a
    cause, make one stronger or bring a strategy among the first three."""
    walk = walk_example(path, advisor)
    assert walk.guidance_too_early == ()


GUIDANCE_ONLY = (
    "planner.role",
    "planner.background",
    "planner.negotiation_skill",
    "planner.diagnosis_skill",
    "partners.other_agencies_same_area",
    "partners.coordinating_body",
)


def test_a_resumed_list_stays_open_when_the_file_says_so():
    """In the interview's order a later section may be answered before a list is done;
    the partial file records the lists still open, so resuming asks for another item
    instead of closing the list because something after it is answered."""
    loaded = {
        "partners": {"consultant_available": True},
        "stakeholders": [{"name": "clerks", "directly_affected": True, "impact": "negative"}],
    }
    still_open = Interview(data=loaded, open_lists=("stakeholders",))
    assert "stakeholders" not in still_open.closed
    assert still_open.open_lists() == ("stakeholders",)
    done = Interview(data=loaded, open_lists=())
    assert "stakeholders" in done.closed
    assert done.open_lists() == ()


def test_why_at_a_description_only_question_says_it_only_describes(interview):
    question = answer_until(interview, "organization.type")
    assert interview.description_only(question)
    why = interview.handle(question, "why").message
    assert "only describes the organization in the memo" in why
    assert "cannot change the advice" in why
    indonesian = Interview(lang="id")
    question = answer_until(indonesian, "organization.sector")
    assert "hanya menggambarkan lembaga di dalam memo" in indonesian.why_text(question)


def test_skipped_questions_are_named(advisor):
    run = walk_example(EXAMPLES / "program-review.yaml", advisor).run
    skipped = run.interview.skipped()
    assert "staff.field_experience" in skipped  # no new skills: education cannot come
    assert "partners.peer_stronger" in skipped  # no peer agency
    assert "change.recruitment_via_agency" in skipped  # no new staff
    assert "programs[2].efficiency" in skipped  # effectiveness low: performance is low
    assert not set(skipped) & {q.path for q in run.questions}


# --------------------------------------------------------------- answers


def test_booleans_accept_english_and_indonesian_words():
    for line, value in [
        ("yes", True),
        ("Y", True),
        ("true", True),
        ("ya", True),
        ("no", False),
        ("n", False),
        ("FALSE", False),
        ("tidak", False),
    ]:
        interview = Interview()
        question = answer_until(interview, "organization.formalized_procedures")
        assert interview.handle(question, line).ok, line
        assert interview.data["organization"]["formalized_procedures"] is value


def test_enums_accept_the_value_or_its_number(interview):
    question = answer_until(interview, "organization.type")
    assert interview.handle(question, "3").ok
    assert interview.data["organization"]["type"] == "private"
    interview.back()
    assert interview.handle(question, "Community").ok
    assert interview.data["organization"]["type"] == "community"


def test_a_wrong_answer_is_explained_like_the_validator_and_changes_nothing(interview):
    question = answer_until(interview, "organization.type")
    reply = interview.handle(question, "church")
    assert reply.kind == "error"
    assert reply.message == (
        "organization.type: 'church' is not allowed; use one of: government, ngo, "
        "private, community (or its number, 1 to 4), or unknown"
    )
    assert interview.handle(question, "5").kind == "error"
    assert interview.next_question() == question
    assert "type" not in interview.data.get("organization", {})


def test_counts_are_whole_numbers_of_zero_or_more(interview):
    question = answer_until(interview, "organization.age_years")
    for line in ("-3", "2.5", "many", "", "unknown"):
        reply = interview.handle(question, line)
        assert reply.kind == "error", line
    assert "a whole number from 0 to 1000" in interview.handle(question, "-3").message
    assert "unknown is not allowed" in interview.handle(question, "unknown").message
    assert interview.handle(question, " 27 ").ok
    assert interview.data["organization"]["age_years"] == 27


def test_required_answers_refuse_unknown(interview):
    question = interview.next_question()
    assert question.path == "organization.name"
    reply = interview.handle(question, "unknown")
    assert reply.kind == "error"
    assert reply.message == "organization.name: an answer is required; unknown is not allowed here"
    assert interview.handle(question, "   ").kind == "error"


def test_unknown_is_accepted_where_the_case_format_allows_it(interview):
    question = answer_until(interview, "organization.age_years")
    assert interview.handle(question, "tidak tahu").kind == "error"  # age_years: required
    assert interview.handle(question, "12").ok
    question = answer_until(interview, "organization.formalized_procedures")
    assert interview.handle(question, "tidak tahu").ok  # Indonesian words are accepted too
    assert interview.data["organization"]["formalized_procedures"] == UNKNOWN
    question = answer_until(interview, "organization.sector")
    assert interview.handle(question, "unknown").ok
    assert interview.data["organization"]["sector"] == UNKNOWN


def test_enter_on_an_optional_question_means_unknown(interview):
    required = answer_until(interview, "funding.funds_for_change")
    assert interview.default(required) is None
    assert interview.handle(required, "").kind == "error"
    assert interview.handle(required, "1").ok
    question = answer_until(interview, "planner.character")
    assert interview.default(question) == "unknown"
    assert interview.handle(question, "").ok
    assert interview.data["planner"]["character"] == UNKNOWN


def test_list_answers_take_values_or_numbers_or_none(interview):
    question = answer_until(interview, "change.triggers")
    assert interview.handle(question, "4, service-area-expansion 2").ok
    assert interview.data["change"]["triggers"] == [
        "service-area-expansion",
        "new-program-data",
        "policy-change",
    ]
    interview.back()
    assert interview.handle(question, "none").ok
    assert interview.data["change"]["triggers"] == []
    interview.back()
    reply = interview.handle(question, "1, rain")
    assert reply.kind == "error"
    assert "a list of values from: service-area-expansion" in reply.message


# --------------------------------------------------------------- back


def test_back_undoes_the_last_answer_and_offers_it_again(interview):
    first = interview.next_question()
    assert interview.handle(first, "back").kind == "nothing-to-undo"
    interview.handle(first, "Yayasan Uji")
    second = answer_until(interview, "change.skills_required")
    asked = interview.asked
    interview.handle(second, "2")
    third = interview.next_question()
    reply = interview.handle(third, "back")
    assert reply.kind == "back"
    assert interview.next_question() == second
    assert "skills_required" not in interview.data["change"]
    assert interview.default(second) == "some"
    assert "[some]" in interview.help_text(second)
    assert interview.handle(second, "").ok  # Enter keeps the answer undone
    assert interview.data["change"]["skills_required"] == "some"
    assert interview.asked == asked + 1


def test_back_over_a_list_item_removes_it(interview):
    question = answer_until(interview, "stakeholders")
    assert interview.handle(question, "yes").ok
    name = interview.next_question()
    assert name.path == "stakeholders[0].name"
    interview.handle(name, "back")
    assert "stakeholders" not in interview.data
    assert interview.next_question() == question


# --------------------------------------------------------------- lists


def test_lists_are_entered_one_item_at_a_time(interview):
    question = answer_until(interview, "stakeholders")
    assert interview.text(question) == "Add a stakeholder?"
    interview.handle(question, "y")
    paths = []
    for line in ("field workers", "yes", "negative"):
        question = interview.next_question()
        paths.append(question.path)
        assert interview.handle(question, line).ok
    assert paths == [
        "stakeholders[0].name",
        "stakeholders[0].directly_affected",
        "stakeholders[0].impact",
    ]
    question = interview.next_question()
    assert (question.path, question.index) == ("stakeholders", 1)
    assert interview.text(question) == "Add another stakeholder?"
    assert interview.handle(question, "unknown").kind == "error"  # not once it has items
    assert interview.handle(question, "no").ok
    assert interview.data["stakeholders"] == [
        {"name": "field workers", "directly_affected": True, "impact": "negative"}
    ]
    assert interview.next_question().section != "stakeholders"


def test_a_whole_list_may_be_unknown(interview):
    question = answer_until(interview, "stakeholders")
    assert interview.handle(question, "unknown").ok
    assert interview.data["stakeholders"] == UNKNOWN
    assert interview.next_question().section != "stakeholders"


# --------------------------------------------------------------- ? and why


def test_help_lists_the_allowed_answers_with_their_meaning(interview):
    answers = {"organization.age_years": "30", "organization.years_to_current_state": "20"}
    question = answer_until(interview, "change.pace", answers)
    text = interview.handle(question, "?").message
    assert "1. gradual — Gradual" in text
    assert "3. rapid — Rapid" in text
    assert "unknown — not known" in text
    assert "back" in text and "why" in text
    boolean = Interview()
    question = answer_until(boolean, "organization.formalized_procedures")
    assert "yes — Formalized" in boolean.help_text(question)
    assert "no — Not formalized" in boolean.help_text(question)


def test_why_names_the_waiting_rules_their_conclusions_and_sources(interview):
    question = answer_until(interview, "funding.funds_for_change")
    text = interview.handle(question, "why").message
    assert "required" in text
    assert "cause_financial_no_funds" in text
    assert "¶55" in text
    knowledge = load_knowledge()
    assert knowledge.causes["financial"]["title"]["en"] in text
    assert interview.next_question() == question  # why answers nothing


def test_why_for_a_list_item(interview):
    question = answer_until(interview, "stakeholders")
    interview.handle(question, "yes")
    interview.handle(interview.next_question(), "clients")
    question = interview.next_question()
    text = interview.why_text(question)
    assert "strategy_affected_losers" in text
    assert "guidance_involve_stakeholders_listed" in text


def test_help_and_why_in_indonesian():
    interview = Interview(lang="id")
    question = answer_until(interview, "funding.funds_for_change")
    assert interview.text(question).startswith("Apakah tersedia dana")
    help_text = interview.help_text(question)
    assert "Tidak ada dana" in help_text and "No funds" not in help_text
    why = interview.why_text(question)
    assert "Aturan yang menunggunya" in why and "jika" in why
    reply = interview.handle(question, "banyak")
    assert "tidak diperbolehkan" in reply.message


# --------------------------------------------------------------- resuming


def test_a_partial_case_is_resumed_where_it_stopped(advisor):
    full = walk_example(OLD_OFFICE, advisor).run
    stop = 20
    partial = Interview()
    for line in full.lines[:stop]:
        assert partial.handle(partial.next_question(), line).ok
    resumed = Interview(data=partial.case_data())
    assert resumed.asked == stop
    assert resumed.next_question() == full.questions[stop]
    for line in full.lines[stop:]:
        assert resumed.handle(resumed.next_question(), line).ok
    assert resumed.complete
    assert resumed.case_data() == full.interview.case_data()
    # the replayed answers can be undone too
    resumed.back()
    assert resumed.next_question() == full.questions[-1]


def test_a_list_followed_by_answers_is_complete_when_resumed():
    data = {
        "organization": {"name": "X", "age_years": 3},
        "stakeholders": [{"name": "a", "directly_affected": True, "impact": "neutral"}],
        "partners": {"peer_institution_available": True},
    }
    resumed = Interview(data=data)
    assert "stakeholders" in resumed.closed
    open_list = Interview(data={k: v for k, v in data.items() if k != "partners"})
    assert "stakeholders" not in open_list.closed


def test_check_partial_allows_what_is_missing_and_refuses_what_is_wrong():
    assert check_partial({"organization": {"name": "X"}}) == []
    assert check_partial({"stakeholders": [{}]}) == []
    problems = check_partial({"change": {"pace": "fast"}, "organizaton": {}})
    assert any(p.startswith("change.pace: 'fast' is not allowed") for p in problems)
    assert any("organizaton" in p for p in problems)


def test_case_data_is_in_the_schema_order(interview):
    interview.data = {
        "planner": {"origin": "internal"},
        "organization": {"age_years": 3, "name": "X"},
    }
    assert list(interview.case_data()) == ["organization", "planner"]
    assert list(interview.case_data()["organization"]) == ["name", "age_years"]


def test_a_limit_of_the_case_schema_is_enforced_in_the_validators_words(interview):
    from perencana.engine.case.schema import load_schema

    node = load_schema()["properties"]["organization"]["properties"]["name"]
    longest = node.get("maxLength")
    if longest is None:
        pytest.skip("the case schema sets no longest name")
    question = interview.next_question()
    reply = interview.handle(question, "x" * (longest + 1))
    assert reply.kind == "error"
    assert reply.message.startswith("organization.name: ")
    assert "organization" not in interview.data


@pytest.mark.parametrize(
    ("lang", "path", "typed", "value"),
    [
        ("id", "funding.funds_for_change", "sebagian", "partial"),
        ("id", "funding.funds_for_change", "Tidak ada", "none"),
        ("en", "funding.funds_for_change", "enough", "sufficient"),
        ("en", "funding.funds_for_change", "Part of the funds", "partial"),  # its label
        ("id", "change.skills_required", "banyak", "extensive"),
        ("en", "change.proposed_by", "both  together", "joint"),
        ("id", "planner.position", "keduanya", "both"),
    ],
)
def test_the_words_a_question_offers_and_the_answers_labels_answer_it(lang, path, typed, value):
    # The question asks "none, part of what is needed, or enough?" ("tidak ada,
    # sebagian dari kebutuhan, atau mencukupi?"), and "?" shows the labels: both are
    # answers, in either language, as the yes/no words are.
    from perencana.engine.case.schema import spec_for
    from perencana.engine.interview.session import Question

    interview = Interview(lang=lang)
    question = Question(path, path.partition(".")[0], spec_for(path))
    assert interview.parse(question, typed) == (value, None)
    assert interview.parse(question, "plenty")[0] is None  # still told when no answer
