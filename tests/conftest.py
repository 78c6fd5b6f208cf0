"""Shared fixtures for the rule tests.

One ``AdvisoryEngine`` is built per test session and reused (as ``Advisor`` does):
``run(*facts)`` resets it, declares copies of the facts, runs it and returns a
``Run`` with the working memory, the trace and the names of the rules that fired.
The plain helpers (``field``, ``stakeholder``, ``program``, ``make_case``...) build
the facts and cases the tests feed it; test modules import them from here.
"""

import copy
import os
import signal
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import pytest

from perencana.engine.case.validation import normalize_case, validate_case
from perencana.engine.reasoning.advisor import Advisor
from perencana.engine.reasoning.facts import FactRef, Field, Program, Stakeholder
from perencana.engine.reasoning.inference import AdvisoryEngine
from perencana.engine.reasoning.trace import TraceStep
from perencana.engine.view.advice_json import answer_text, fact_text, texts
from perencana.knowledge import load_knowledge

# --------------------------------------------------------------------------- isolation

# A suite started in the background by a script (``pytest &``) inherits Ctrl-C ignored,
# and so would every command it starts; the Ctrl-C tests need it as a terminal gives it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

SIGNALS = [
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
]


def _global_state():
    environment = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return environment, os.getcwd(), {number: signal.getsignal(number) for number in SIGNALS}


@pytest.fixture(autouse=True)
def _global_state_is_put_back():
    """Many tests share a process (one per xdist worker), and the command runs in it
    (``tests.helpers.invoke``): a test may change the environment, the current folder
    or a signal handler only if it puts them back."""
    before = _global_state()
    yield
    assert _global_state() == before, "the test left the environment, folder or signals changed"


# --------------------------------------------------------------------------- workers

# ``make test`` runs the suite in parallel with ``--dist loadfile`` (pytest-xdist): each
# test file to one worker, so that a file's module fixtures are worked out once (sent
# test by test, two workers would each work them out). ``pytest_xdist_make_scheduler``
# below adds two things: the files of a group go to one worker too, as their tests
# share what one process works out once (``walk_example``, half a second per example);
# and the longest go first, so that the run does not end waiting for one of them.
XDIST_GROUPS = {
    "test_interview.py": "example-walks",
    "test_cli_interview.py": "example-walks",
    "test_interview_relevance.py": "example-walks",
}
# The units that take longest, by wall time (a browser or an office suite started per
# test, fresh venvs, interviews, batches killed and resumed), in the order they start;
# the other files follow, those with more tests first.
LONGEST_FIRST = (
    "test_print_pdf.py",
    "example-walks",
    "test_installation.py",
    "test_batch_survival.py",
    "test_editions.py",
    "test_docx_pages.py",
    "test_properties.py",
    "test_advisor.py",
    "test_memo_bytes.py",
    "test_attacks.py",
    "test_docx.py",
    "test_graph_writers.py",
    "test_cli_batch.py",
)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` with the groups and the order above. (pytest-xdist's
    ``--dist loadgroup``, which groups by ``xdist_group`` marks, groups nothing with
    pytest 9.2: it renames the tests, and pytest no longer takes the new name.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from collections import OrderedDict

    from xdist.scheduler import LoadScopeScheduling

    # The two methods overridden are pytest-xdist's own, not its public API: if a
    # later version renames them, the plain ``loadfile`` order serves.
    overridden = ("_split_scope", "_assign_work_unit")
    if not all(hasattr(LoadScopeScheduling, name) for name in overridden):
        return None

    def unit(scope):
        return LONGEST_FIRST.index(scope) if scope in LONGEST_FIRST else len(LONGEST_FIRST)

    class FileGroupScheduling(LoadScopeScheduling):
        ordered = False

        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
            return XDIST_GROUPS.get(module, module)

        def _assign_work_unit(self, node):
            # The first call has the whole queue, ordered by the number of tests.
            if not self.ordered:
                self.ordered = True
                queue = sorted(self.workqueue.items(), key=lambda item: unit(item[0]))
                self.workqueue = OrderedDict(queue)
            super()._assign_work_unit(node)

    return FileGroupScheduling(config, log)


# --------------------------------------------------------------------------- facts


def field(path, value, band=None):
    """One answered case field, as ``engine.case_facts`` makes it (``band`` for numbers)."""
    if band is None:
        return Field(path=path, value=value)
    return Field(path=path, value=value, band=band)


def stakeholder(index=0, name="shelter staff", directly_affected=True, impact="negative"):
    return Stakeholder(index=index, name=name, directly_affected=directly_affected, impact=impact)


def program(index=0, name="home visits", viable=True, performance="adequate"):
    return Program(index=index, name=name, viable=viable, performance=performance)


# Answered fields that make the lifecycle rules conclude each stage (ages banded by
# the defaults in knowledge/thresholds.yaml: new < 5 <= mid < 15 <= long-standing).
def young():
    return (
        field("organization.age_years", 3, band="new"),
        field("organization.formalized_procedures", False),
    )


def maturing():
    return (
        field("organization.age_years", 8, band="mid"),
        field("organization.formalized_procedures", False),
    )


def established():
    return (field("organization.formalized_procedures", True),)


# --------------------------------------------------------------------------- runs


@dataclass
class Run:
    """What one run of the engine left: working memory, trace, fired rule names.

    The fact references that evidence, reasons and trace steps hold are read as the
    JSON advice writes them (``funding.funds_for_change = none``), so that a rule
    test states its expectations as a user reads them in ``--format json``.
    """

    facts: list
    trace: list
    rules: frozenset = dataclass_field(repr=False, default=frozenset())

    @property
    def fired(self):
        """Names of the rules that fired, in firing order (repeated if fired again)."""
        return [step.rule for step in self.trace]

    def did_not_fire(self, rule):
        """True when ``rule`` (which must be a rule of the engine) did not fire."""
        assert rule in self.rules, f"{rule} is not a rule of the engine"
        return rule not in self.fired

    def of(self, kind, **where):
        """The facts of exactly type ``kind`` in working memory, as plain dicts,
        keeping those whose fields equal ``where``."""
        found = [
            {key: written(value) for key, value in fact.as_dict().items()}
            for fact in self.facts
            if type(fact) is kind
        ]
        return [item for item in found if all(item.get(k) == v for k, v in where.items())]

    def steps(self, rule):
        return [step for step in self.trace if step.rule == rule]

    def step(self, rule):
        """The one trace step of ``rule`` (fails if it fired zero or several times)."""
        steps = self.steps(rule)
        assert len(steps) == 1, f"{rule} fired {len(steps)} times; fired: {self.fired}"
        return steps[0]


@pytest.fixture(scope="session")
def engine():
    """The one AdvisoryEngine of the session."""
    return AdvisoryEngine()


@pytest.fixture(scope="session")
def rule_names(engine):
    return frozenset(rule.__name__ for rule in engine.get_rules())


@pytest.fixture
def run(engine, rule_names):
    """``run(*facts)``: infer on copies of ``facts`` with the session's engine."""

    def run_facts(*facts):
        memory = engine.infer([fact.copy() for fact in facts])
        trace = [
            TraceStep(rule=step.rule, facts=texts(step.facts), concluded=texts(step.concluded))
            for step in engine.trace
        ]
        return Run(facts=memory, trace=trace, rules=rule_names)

    return run_facts


def written(value):
    """A fact value with the fact references in it as the JSON advice writes them."""
    if isinstance(value, FactRef):
        return fact_text(value)
    if isinstance(value, tuple):
        return tuple(map(written, value))
    return value


def answers_written(advice):
    """{path: the answers that change the advice, as the JSON advice writes them}."""
    return {u.path: [answer_text(a) for a in u.changing_answers] for u in advice.unknowns}


# --------------------------------------------------------------------------- cases

# The required answers, chosen so that on their own they conclude no cause and no
# life-cycle stage: internal proposal, sufficient funds, a mid-aged organization
# whose procedures are unknown.
BASE_CASE = {
    "organization": {"name": "Test organization", "age_years": 8},
    "change": {"summary": "a change under test", "proposed_by": "internal"},
    "funding": {"funds_for_change": "sufficient"},
}


def make_case(answers=None, stakeholders=None, programs=None):
    """A validated, normalized case: ``BASE_CASE`` with ``answers`` (dotted path ->
    value) and lists; everything else is 'unknown', as the case loader leaves it."""
    raw = copy.deepcopy(BASE_CASE)
    for path, value in (answers or {}).items():
        section, _, name = path.partition(".")
        raw.setdefault(section, {})[name] = value
    if stakeholders is not None:
        raw["stakeholders"] = stakeholders
    if programs is not None:
        raw["programs"] = programs
    problems = validate_case(raw)
    assert not problems, problems
    return normalize_case(raw)


@pytest.fixture(scope="session")
def knowledge():
    """The shipped knowledge."""
    return load_knowledge()


@pytest.fixture(scope="session")
def advisor(engine):
    """An Advisor running on the session's engine (its own one is replaced)."""
    advisor = Advisor()
    advisor.engine = engine
    return advisor
