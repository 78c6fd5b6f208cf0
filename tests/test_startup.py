"""What makes a one-case command start quickly keeps what it gives.

The network is built from the same prepared rules when experta's DNF rewrite is
skipped for rules already in normal form; compiled templates come from a cache that
is passed over when it cannot be used; an HTML memo imports no network library; a
memo's reasons are ordered as the rule catalog is without reading the rules' bodies.
"""

import functools
import subprocess
import sys

import jinja2
import pytest
from experta import AS, MATCH, TEST, Fact, Rule
from experta.fieldconstraint import L
from experta.matchers.rete.utils import prepare_rule

from perencana.engine.experta_ext.matcher import _in_normal_form, prepare_rule_quickly
from perencana.engine.memo import templating
from perencana.engine.reasoning.inference import AdvisoryEngine
from perencana.engine.reasoning.rule_catalog import rule_catalog, rule_order
from tests.helpers import ROOT


def same_prepared(rule):
    quick, slow = prepare_rule_quickly(rule), prepare_rule(rule)
    # The function's arguments and names are copied, not read from its signature.
    copied = ("_wrapped_args", "_wrapped_self", "__name__", "__qualname__", "__doc__")
    return (
        quick == slow
        and quick.salience == slow.salience
        and quick._wrapped is slow._wrapped
        and all(getattr(quick, name) == getattr(slow, name) for name in copied)
        and quick.__wrapped__ is slow.__wrapped__
    )


def test_every_rule_is_prepared_as_experta_prepares_it():
    rules = AdvisoryEngine().get_rules()
    assert all(same_prepared(rule) for rule in rules)
    # Most rules skip the rewrite; the others still go through it.
    assert 0 < sum(map(_in_normal_form, rules)) < len(rules)


class Thing(Fact):
    pass


@pytest.mark.parametrize(
    "rule",
    [
        Rule(Thing(kind="a"), Thing(size=L(1) | L(2))),  # an alternative: rewritten
        Rule(Thing(kind=~L("a"))),
        Rule(~Thing(kind="a")),  # a negation first: an InitialFact before it
        Rule(),
        Rule(Thing(kind="a") | Thing(kind="b")),
        # alternatives between plain values: split directly, as experta's rewrite does
        Rule(Thing(size=L(1) | L(2))),
        Rule(Thing(kind="a"), Thing(size=L(1) | L(2), kind=L("b") | L("c"))),
        Rule(Thing(size=L(1) | L(2)), Thing(kind="a"), Thing(kind=L("b") | L("c"))),
        Rule(~Thing(kind="z"), Thing(size=L(1) | L(2))),
        Rule(TEST(lambda: True), Thing(size=L(1) | L(2)), ~Thing(kind=~L("a"))),
        Rule(AS.thing << Thing(size=L(1) | L(2), kind=MATCH.kind), Thing(kind=MATCH.kind)),
        Rule(Thing(size=L(1) | L(2) | L(3))),
        # shapes the direct split leaves to experta's rewrite
        Rule(Thing(size=~(L(1) | L(2))), Thing(kind=L("b") | L("c"))),
        Rule(~Thing(size=L(1) | L(2)), Thing(kind=L("b") | L("c"))),
        Rule(Thing(kind=L("b") | L("c")) & Thing(size=2)),
    ],
)
def test_rules_of_every_shape_are_prepared_as_experta_prepares_them(rule):
    assert same_prepared(rule(lambda self: None))


def test_a_rule_with_an_alternative_is_not_taken_as_normal():
    assert not _in_normal_form(Rule(Thing(size=L(1) | L(2)))(lambda self: None))


def test_reasons_are_ordered_as_the_rule_catalog():
    assert list(rule_order()) == [rule.id for rule in rule_catalog()]


def test_compiled_templates_are_kept_and_used(tmp_path, monkeypatch):
    (tmp_path / "memo.md.j2").write_text("Hello {{ name }}\n")
    cache = templating.bytecode_cache(tmp_path)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    assert env.get_template("memo.md.j2").render(name="you") == "Hello you"
    kept = list((tmp_path / "__pycache__").rglob("*.cache"))
    assert len(kept) == 1
    # A second process (a fresh environment) loads the compiled code: no compiling.
    fresh = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    monkeypatch.setattr(fresh, "compile", lambda *a, **k: pytest.fail("compiled again"))
    fresh.get_template("memo.md.j2")


def test_an_edited_template_is_compiled_afresh(tmp_path):
    (tmp_path / "t.j2").write_text("one\n")
    cache = templating.bytecode_cache(tmp_path)

    def render():
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache
        )
        return env.get_template("t.j2").render()

    assert render() == "one"
    (tmp_path / "t.j2").write_text("two\n")
    assert render() == "two"


def test_a_damaged_cache_file_is_passed_over(tmp_path):
    (tmp_path / "t.j2").write_text("fine\n")
    cache = templating.bytecode_cache(tmp_path)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    env.get_template("t.j2")
    for kept in (tmp_path / "__pycache__").rglob("*.cache"):
        kept.write_bytes(b"not a compiled template")
    fresh = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    assert fresh.get_template("t.j2").render() == "fine"


def test_a_folder_that_cannot_be_written_sends_the_cache_to_the_user_s(tmp_path, monkeypatch):
    blocked = tmp_path / "install"
    blocked.mkdir()
    (blocked / "__pycache__").write_text("a file where the folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    cache = templating.bytecode_cache(blocked)
    assert cache is not None
    assert str(tmp_path / "home-cache" / "perencana") in cache.directory


def test_no_cache_at_all_still_renders(tmp_path, monkeypatch):
    blocked = tmp_path / "install"
    blocked.mkdir()
    (blocked / "__pycache__").write_text("a file")
    (tmp_path / "home").write_text("a file too")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    assert templating.bytecode_cache(blocked) is None


def _python(script):
    """``script`` run by a fresh Python in the project's folder; it must succeed."""
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )


def test_an_html_memo_imports_no_network_library():
    script = (
        "import sys\n"
        "from perencana.engine.api import read_case, advise, render_advice\n"
        "case = read_case('examples/old-government-office.yaml')\n"
        "render_advice(advise(case), 'html', 'en')\n"
        "print(sorted({'urllib.request', 'http.client', 'ssl', 'email', 'xml.sax'}"
        " & set(sys.modules)))\n"
    )
    done = _python(script)
    assert done.stdout.strip() == "[]"


def test_the_picture_s_placement_stops_once_nothing_moves(advisor, knowledge, monkeypatch):
    """A round that moves no box ends the placement: every later round would move
    none either, so the picture is byte for byte what all the rounds give
    (``test_memo_bytes`` holds every HTML memo to it)."""
    from perencana.engine.api import read_case
    from perencana.engine.graph import layout as placement
    from perencana.engine.graph.svg import memo_picture

    calls, filled = [], []
    solve, place = placement._pooled, placement._place
    monkeypatch.setattr(placement, "_pooled", lambda *args: calls.append(1) or solve(*args))
    monkeypatch.setattr(
        placement,
        "_place",
        lambda columns, items: filled.append(sum(1 for c in columns if c)) or place(columns, items),
    )
    advice = advisor.advise(read_case(str(ROOT / "examples" / "program-review.yaml")))
    memo_picture(advice, knowledge, "en")
    assert 0 < len(calls) < placement.PLACEMENT_ROUNDS * filled[0]


def _modules_after(fmt, names, edition="planner"):
    """Which of ``names`` a process that prints one ``fmt`` memo in ``edition``, as
    ``perencana advise`` does, has imported."""
    script = (
        "import sys\n"
        "from perencana.engine.api import read_case, advise, render_advice, terminal_text\n"
        "case = read_case('examples/old-government-office.yaml')\n"
        f"terminal_text(render_advice(advise(case), {fmt!r}, 'en', edition={edition!r}))\n"
        f"print(sorted(set({sorted(names)!r}) & set(sys.modules)))\n"
    )
    done = _python(script)
    return done.stdout.strip()


def test_a_client_markdown_memo_does_not_read_the_rules_bodies():
    """The reasons are ordered by the rules' ids alone (``rule_ids``): the catalog,
    which reads every rule's body, is left unimported. (The planner's and the
    trainer's memos draw the reasoning flowchart, which needs it.)"""
    names = {"perencana.engine.reasoning.rule_catalog"}
    assert _modules_after("md", names, "client") == "[]"


def test_json_advice_imports_no_template_or_memo_view():
    """JSON advice needs neither the templates nor the memo's wording (``words``);
    printing it cleans it with ``safe_text`` alone."""
    names = {
        "jinja2",
        "perencana.engine.view.memo",
        "perencana.engine.view.words",
        "perencana.engine.reasoning.rule_catalog",
    }
    assert _modules_after("json", names) == "[]"


def test_a_one_case_command_ends_before_the_garbage_collector_runs():
    """The command's objects live until it ends; at Python's default thresholds the
    collector would go over them some twenty times for nothing."""
    script = (
        "import gc, sys\n"
        "passes = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and passes.append(1))\n"
        "from perencana.cli import main\n"
        "before = len(passes)\n"
        "sys.argv = ['perencana', 'advise', 'examples/old-government-office.yaml',"
        " '--format', 'html']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(len(passes) - before, gc.get_freeze_count() > 0, file=sys.stderr)\n"
    )
    done = _python(script)
    # No pass while it ran; as it ended, what it made was frozen, so that Python's
    # shutdown does not go over it all again.
    assert done.stderr.strip() == "0 True"
    assert done.stdout.startswith("<!doctype html>")


def test_a_command_called_by_a_test_or_a_program_freezes_nothing():
    """Only the program itself, run from the command line, freezes its objects as it
    ends; a caller's process goes on collecting its garbage as before."""
    import gc

    from tests.helpers import invoke

    frozen = gc.get_freeze_count()
    done = invoke(
        "advise", str(ROOT / "examples" / "old-government-office.yaml"), "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    assert gc.get_freeze_count() == frozen


def test_a_batch_collects_garbage_as_python_does_by_default(tmp_path):
    import gc

    from perencana.engine import gc_policy
    from tests.helpers import invoke

    kept = gc.get_threshold()
    try:
        gc.set_threshold(gc_policy.ONE_COMMAND_THRESHOLD, *kept[1:])
        case = ROOT / "examples" / "old-government-office.yaml"
        done = invoke("batch", str(case), "-o", str(tmp_path / "out"), "--format", "json")
        assert done.returncode == 0, done.stderr
        assert gc.get_threshold() == gc_policy.DEFAULT_THRESHOLDS
    finally:
        gc.set_threshold(*kept)


def _noted(rule_class, function):
    rule = rule_class(Thing(kind="a"))(function)
    names = ("__name__", "__qualname__", "__doc__", "__module__")
    return (
        rule._wrapped,
        rule._wrapped_args,
        rule.__wrapped__,
        tuple(getattr(rule, name, None) for name in names),
    )


def test_every_rule_notes_the_parameters_experta_notes():
    """perencana's rules are written with ``experta_ext.rules.Rule``, which reads a
    function's parameters from its code; experta reads them with
    ``inspect.signature``: the same names, for every rule."""
    from perencana.engine.experta_ext.rules import Rule as QuickRule

    rules = AdvisoryEngine().get_rules()
    assert rules and all(type(rule) is QuickRule for rule in rules)
    for rule in rules:
        function = rule._wrapped
        assert _noted(QuickRule, function) == _noted(Rule, function)


def _wrapping(function):
    @functools.wraps(function)
    def wrapper(self, **bindings):
        return function(self, **bindings)

    return wrapper


@pytest.mark.parametrize(
    "function",
    [
        lambda self, kind: None,
        lambda self, kind, *rest: None,
        lambda self, *, kind, size=1: None,
        lambda self, /, kind: None,
        lambda self, **bindings: None,  # every binding: no names noted
        lambda self, kind, *rest, size, **bindings: None,
        _wrapping(lambda self, kind, size: None),  # experta reads the wrapped one's
        functools.partial(lambda self, kind, size: None, size=2),  # not a function
    ],
)
def test_functions_of_every_shape_note_the_parameters_experta_notes(function):
    from perencana.engine.experta_ext.rules import Rule as QuickRule

    assert _noted(QuickRule, function) == _noted(Rule, function)
