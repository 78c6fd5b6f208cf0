"""``advise`` gives the same advice on experta's stock matcher as on the fast one.

The fast matcher (``engine/experta_ext/matcher.py``) and the fact types it lets the
engine keep out of working memory are speed only: the whole advisor, the
unknown-answer search included, runs here on both matchers, on the examples and on
generated cases, and the JSON advice must be the same bytes.
(``tests/test_matcher.py`` compares the engines' firings one by one.)
"""

import copy

import pytest
from experta.matchers import ReteMatcher

from perencana.engine.api import read_case
from perencana.engine.case.schema import field_specs
from perencana.engine.case.validation import normalize_case, validate_case
from perencana.engine.experta_ext.matcher import IndexedReteMatcher
from perencana.engine.reasoning.advisor import Advisor
from perencana.engine.reasoning.inference import AdvisoryEngine
from perencana.engine.view.advice_json import advice_json_text
from tests.generated_cases import varied_case
from tests.helpers import EXAMPLE_CASES

GENERATED = 60


class StockEngine(AdvisoryEngine):
    """perencana's engine on experta's own Rete matcher."""

    __matcher__ = ReteMatcher


@pytest.fixture(scope="module")
def advisors():
    fast, stock = Advisor(), Advisor()
    stock.engine = StockEngine()
    assert isinstance(fast.engine.matcher, IndexedReteMatcher)
    assert type(stock.engine.matcher) is ReteMatcher
    return fast, stock


def assert_same_advice(advisors, case):
    fast, stock = advisors
    fast_text = advice_json_text(fast.advise(copy.deepcopy(case)))
    assert advice_json_text(stock.advise(copy.deepcopy(case))) == fast_text


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda path: path.stem)
def test_the_examples_get_the_same_advice_on_experta_s_matcher(advisors, path):
    assert_same_advice(advisors, read_case(path))


@pytest.mark.parametrize("number", range(GENERATED))
def test_generated_cases_get_the_same_advice_on_experta_s_matcher(advisors, number):
    raw = varied_case(number, field_specs())
    if validate_case(raw):
        pytest.skip("the generated case is invalid")  # the golden advice covers those
    assert_same_advice(advisors, normalize_case(raw))


def test_the_unknown_answer_search_runs_on_a_matcher_that_cannot_rule_facts_out(advisors):
    # experta's matcher has no could_match: the engine then tries every answer.
    fast, stock = advisors
    assert not hasattr(stock.engine.matcher, "could_match")
    case = read_case(EXAMPLE_CASES[0])
    assert stock.advise(case).unknowns == fast.advise(read_case(EXAMPLE_CASES[0])).unknowns
