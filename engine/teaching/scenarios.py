"""Training scenarios: a case and the conclusions a trainer expects from it.

A scenario file (YAML) holds a ``name``, an optional ``teaches`` line, the case
under ``given`` (the case format, checked by ``validate_case`` like any case file)
and what the engine should conclude under ``expect``::

    name: outside proposal with no money
    teaches: an external proposal to an established office with no funds
    given: {organization: {...}, change: {...}, funding: {...}}
    expect:
      lifecycle: established
      causes: {financial: strong, outsider-origin: present, hard-won-status-quo: absent}
      strategies:
        present: [negotiate-incentives]
        absent: [shake-up]
        ranks: {gradual-change: 1}
        caveats: {consultants: [consultants-also-outsiders]}   # all of them; [] for none
        first_steps: {education: []}                            # all of them; [] for none
      programs: {home visits: develop}                          # or undecided
      guidance: {present: [facilitator], absent: [credibility]}
      rules_fired: [cause_financial_no_funds]

A cause is expected at a strength (``weak``, ``moderate``, ``strong``), ``present``
at any strength, or ``absent``. ``lifecycle`` may be ``unknown`` (no stage could be
concluded). ``caveats`` and ``first_steps`` list all that a strategy carries (the
strategy must be recommended); ``[]`` expects none. Every part of ``expect`` is
optional; what is not named is not checked.

``run_scenarios(directory)`` runs every ``*.yaml``/``*.yml`` file of a folder, in
file-name order, on one ``Advisor`` (each run resets the engine) and returns one
``ScenarioResult`` per file: its ``mismatches`` are one-line statements of what
differs (``causes.financial: expected strong, got moderate (evidence: ...)``),
empty when every expectation holds, and ``fired`` is the set of rule ids that fired.

A broken scenario file is an error, not a failed scenario: ``load_scenario`` raises
``ScenarioError`` naming the file and every problem in it (did-you-mean for an
unknown key or id), and ``run_scenarios`` checks every file before running any, so a
broken set is never half-checked; its error names each broken file and problem.
Wording comes from ``knowledge/whatif.yaml`` (``scenario_messages``).
"""

import difflib
from dataclasses import dataclass, field
from pathlib import Path

# A scenario file is read exactly as a case file is (size cap, UTF-8, no aliases or
# anchors, no duplicate keys, one-line YAML errors), by the case loader's own steps.
from perencana.engine.case.loader import _decode, _parse, _read_file, _Refused
from perencana.engine.case.schema import UNKNOWN
from perencana.engine.case.validation import ROOT_LABEL, normalize_case, show_value, validate_case
from perencana.engine.errors import ScenarioError
from perencana.engine.view.advice_json import texts

TOP_KEYS = ("name", "teaches", "given", "expect")
EXPECT_KEYS = ("lifecycle", "causes", "strategies", "programs", "guidance", "rules_fired")
STRATEGY_KEYS = ("present", "absent", "ranks", "caveats", "first_steps")
GUIDANCE_KEYS = ("present", "absent")
PRESENCE = ("present", "absent")
UNDECIDED = "undecided"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Scenario:
    """A checked scenario file: its case (validated, normalized) and expectations."""

    name: str
    path: Path
    case: dict
    expect: dict
    teaches: str = ""


@dataclass
class ScenarioResult:
    """One scenario run: ``mismatches`` empty when every expectation held."""

    name: str
    path: Path
    mismatches: list
    fired: set = field(default_factory=set)
    teaches: str = ""

    @property
    def passed(self):
        return not self.mismatches


# --------------------------------------------------------------------------- public


def load_scenario(path, knowledge=None):
    """The ``Scenario`` in the file at ``path``; ``ScenarioError`` (with every problem,
    one line each) when the file cannot be read or is not a valid scenario."""
    knowledge = knowledge or _knowledge()
    words = _words(knowledge, "en")
    source = str(path)
    try:
        text = _decode(_read_file(Path(path)), "the file")
        if not text.strip():
            raise _Refused(words["empty_file"])
        data = _parse(text, "the file")
    except _Refused as refused:
        raise ScenarioError(source, refused.problems) from None
    checker = _Checker(knowledge, words)
    scenario = checker.scenario(data, Path(path))
    if checker.problems:
        raise ScenarioError(source, checker.problems)
    return scenario


def run_scenarios(directory, advisor=None, lang="en"):
    """The ``ScenarioResult`` of every scenario file in ``directory``, sorted by file
    name, all run on one ``Advisor`` (``advisor``, or a new one)."""
    folder = Path(directory)
    if advisor is None:
        from perencana.engine.reasoning.advisor import Advisor

        advisor = Advisor()
    words = _words(advisor.knowledge, lang)
    if not folder.is_dir():
        raise ScenarioError(str(directory), [words["not_a_folder"]])
    files = sorted(
        (p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file()),
        key=lambda p: p.name,
    )
    if not files:
        raise ScenarioError(str(directory), [words["no_scenarios"]])
    scenarios, broken = [], []
    for path in files:
        try:
            scenarios.append(load_scenario(path, advisor.knowledge))
        except ScenarioError as error:
            broken += [f"{path.name}: {problem}" for problem in error.problems]
    if broken:
        raise ScenarioError(str(directory), broken)
    return [check_scenario(scenario, advisor, lang) for scenario in scenarios]


def check_scenario(scenario, advisor, lang="en"):
    """Run ``scenario`` on ``advisor`` and compare the advice with its expectations."""
    advice = advisor.infer(scenario.case)
    fired = {step.rule for step in advice.trace}
    words = _words(advisor.knowledge, lang)
    mismatches = _Comparison(advice, fired, words, lang).mismatches(scenario.expect)
    return ScenarioResult(
        name=scenario.name,
        path=scenario.path,
        mismatches=mismatches,
        fired=fired,
        teaches=scenario.teaches,
    )


# ------------------------------------------------------------------------ checking


class _Checker:
    """Checks the parts of a scenario file, collecting one line per problem."""

    def __init__(self, knowledge, words):
        from perencana.engine.reasoning.rule_catalog import rule_catalog

        self.knowledge = knowledge
        self.words = words
        self.kinds = words["kinds"]
        self.problems = []
        self.known = {
            "cause": list(knowledge.causes),
            "strategy": list(knowledge.strategies),
            "guidance": list(knowledge.guidance),
            "caveat": list(knowledge.caveats),
            "step": list(knowledge.steps),
            "lifecycle": [*knowledge.lifecycle, UNKNOWN],
            "rule": [rule.id for rule in rule_catalog()],
        }
        levels = knowledge.thresholds["strength"]["levels"]
        self.strengths = (*levels, *PRESENCE)
        self.decisions = (*knowledge.decisions, UNDECIDED)

    def problem(self, name, **values):
        self.problems.append(self.words[name].format(**values))

    def scenario(self, data, path):
        if not self.mapping(data, ROOT_LABEL):
            return None
        self.keys(data, TOP_KEYS, ROOT_LABEL, prefix="")
        for key in ("name", "given", "expect"):
            if key not in data:
                self.problem("missing", where=key)
        name = self.text(data, "name")
        teaches = self.text(data, "teaches") if "teaches" in data else ""
        case = self.case(data.get("given"))
        programs = _program_names(data.get("given"))
        expect = data.get("expect")
        if "expect" in data and self.mapping(expect, "expect"):
            self.expect(expect, programs)
        if self.problems:
            return None
        return Scenario(name=name, path=path, case=case, expect=expect, teaches=teaches)

    # -- shapes -------------------------------------------------------------------

    def mapping(self, value, where):
        if isinstance(value, dict):
            return True
        self.problem("not_a_mapping", where=where, value=show_value(value))
        return False

    def listing(self, value, where):
        if isinstance(value, list):
            return True
        self.problem("not_a_list", where=where, value=show_value(value))
        return False

    def text(self, data, key):
        value = data.get(key)
        if key in data and not (isinstance(value, str) and value.strip()):
            self.problem("not_text", where=key, value=show_value(value))
            return ""
        return value or ""

    def keys(self, data, allowed, where, prefix):
        for key in data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            here = f"{prefix}{key}"
            if close:
                self.problem("unknown_key", where=here, meant=close[0])
            else:
                self.problem("unknown_key_no_guess", where=here, allowed=", ".join(allowed))

    def known_id(self, kind, value, where):
        if isinstance(value, str) and value in self.known[kind]:
            return True
        close = difflib.get_close_matches(str(value), self.known[kind], n=1)
        values = {"where": where, "value": value, "kind": self.kinds[kind]}
        if close:
            self.problem("unknown_id", meant=close[0], **values)
        else:
            self.problem("unknown_id_no_guess", allowed=", ".join(self.known[kind]), **values)
        return False

    def ids(self, value, kind, where):
        """A list of known ids of ``kind``, each once; the valid ones are returned."""
        if not self.listing(value, where):
            return []
        good = []
        for item in value:
            if not self.known_id(kind, item, where):
                continue
            if item in good:
                self.problem("listed_twice", where=where, value=item)
            else:
                good.append(item)
        return good

    # -- the case -----------------------------------------------------------------

    def case(self, given):
        if given is None or not self.mapping(given, "given"):
            return None
        problems = validate_case(given)
        for problem in problems:
            where = f"given.{problem.path}" if problem.path else "given"
            self.problems.append(problem.at(where))
        return None if problems else normalize_case(given)

    # -- the expectations -----------------------------------------------------------

    def expect(self, expect, programs):
        self.keys(expect, EXPECT_KEYS, "expect", prefix="expect.")
        if "lifecycle" in expect:
            self.known_id("lifecycle", expect["lifecycle"], "expect.lifecycle")
        if "causes" in expect:
            self.causes(expect["causes"])
        if "strategies" in expect:
            self.strategies(expect["strategies"])
        if "programs" in expect:
            self.programs(expect["programs"], programs)
        if "guidance" in expect:
            self.presence(expect["guidance"], "guidance", "expect.guidance", GUIDANCE_KEYS)
        if "rules_fired" in expect:
            self.ids(expect["rules_fired"], "rule", "expect.rules_fired")

    def causes(self, causes):
        where = "expect.causes"
        if not self.mapping(causes, where):
            return
        for cause, strength in causes.items():
            if not self.known_id("cause", cause, where):
                continue
            if strength not in self.strengths:
                self.problem(
                    "bad_choice",
                    where=f"{where}.{cause}",
                    value=show_value(strength),
                    allowed=", ".join(self.strengths),
                )

    def presence(self, value, kind, where, allowed):
        """``present`` and ``absent`` lists of ``kind`` ids; returns the absent ones."""
        if not self.mapping(value, where):
            return set()
        self.keys(value, allowed, where, prefix=f"{where}.")
        present = self.ids(value.get("present", []), kind, f"{where}.present")
        absent = self.ids(value.get("absent", []), kind, f"{where}.absent")
        for item in present:
            if item in absent:
                self.problem("contradiction", where=where, value=item)
        return set(absent)

    def strategies(self, strategies):
        where = "expect.strategies"
        absent = self.presence(strategies, "strategy", where, STRATEGY_KEYS)
        if not isinstance(strategies, dict):
            return
        ranks = strategies.get("ranks", {})
        if self.mapping(ranks, f"{where}.ranks"):
            for strategy, rank in ranks.items():
                here = f"{where}.ranks"
                if not self.known_id("strategy", strategy, here):
                    continue
                if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
                    self.problem("bad_rank", where=f"{here}.{strategy}", value=show_value(rank))
                if strategy in absent:
                    self.problem("contradiction", where=where, value=strategy)
        for key, kind in (("caveats", "caveat"), ("first_steps", "step")):
            self.attached(strategies.get(key, {}), kind, f"{where}.{key}", absent)

    def attached(self, value, kind, where, absent):
        """Caveats or first steps per strategy, each belonging to that strategy."""
        if not self.mapping(value, where):
            return
        table = self.knowledge.caveats if kind == "caveat" else self.knowledge.steps
        for strategy, items in value.items():
            if not self.known_id("strategy", strategy, where):
                continue
            if strategy in absent:
                self.problem("contradiction", where=where, value=strategy)
            for item in self.ids(items, kind, f"{where}.{strategy}"):
                owner = table[item].get("strategy")
                if owner != strategy:
                    self.problem(
                        "wrong_strategy",
                        where=f"{where}.{strategy}",
                        value=item,
                        owner=owner,
                        strategy=strategy,
                    )

    def programs(self, programs, names):
        where = "expect.programs"
        if not self.mapping(programs, where):
            return
        for name, decision in programs.items():
            if name not in names:
                close = difflib.get_close_matches(str(name), names, n=1)
                hint = self.words["program_hint"].format(meant=close[0]) if close else ""
                self.problem("not_a_program", where=where, value=name, hint=hint)
            if decision not in self.decisions:
                self.problem(
                    "bad_choice",
                    where=f"{where}.{name}",
                    value=show_value(decision),
                    allowed=", ".join(self.decisions),
                )


def _program_names(given):
    programs = given.get("programs") if isinstance(given, dict) else None
    if not isinstance(programs, list):
        return []
    return [p["name"] for p in programs if isinstance(p, dict) and isinstance(p.get("name"), str)]


# ----------------------------------------------------------------------- comparing


class _Comparison:
    """The mismatches between an ``Advice`` and a scenario's expectations."""

    def __init__(self, advice, fired, words, lang):
        self.advice = advice
        self.fired = fired
        self.words = words
        self.lang = lang
        self.found = []

    def say(self, name, **values):
        self.found.append(self.words[name].format(**values))

    def mismatches(self, expect):
        if "lifecycle" in expect and expect["lifecycle"] != self.advice.lifecycle:
            self.say(
                "expected_got",
                where="lifecycle",
                expected=expect["lifecycle"],
                got=self.advice.lifecycle,
            )
        self.causes(expect.get("causes", {}))
        self.strategies(expect.get("strategies", {}))
        self.programs(expect.get("programs", {}))
        self.guidance(expect.get("guidance", {}))
        for rule in expect.get("rules_fired", []):
            if rule not in self.fired:
                self.say("rule_not_fired", rule=rule)
        return self.found

    def causes(self, causes):
        found = {cause.id: cause for cause in self.advice.causes}
        absent = self.words["absent"]
        for cause_id, want in causes.items():
            cause = found.get(cause_id)
            where = f"causes.{cause_id}"
            if cause is None:
                if want != "absent":
                    self.say("expected_got", where=where, expected=want, got=absent)
                continue
            if want == "present" or want == cause.strength:
                continue
            expected = absent if want == "absent" else want
            text = self.words["expected_got"].format(
                where=where, expected=expected, got=cause.strength
            )
            evidence = "; ".join(texts(cause.evidence))
            self.found.append(self.words["with_evidence"].format(text=text, evidence=evidence))

    def strategies(self, expect):
        found = {strategy.id: strategy for strategy in self.advice.strategies}
        for strategy in expect.get("present", []):
            if strategy not in found:
                self.say("strategy_missing", strategy=strategy)
        for strategy in expect.get("absent", []):
            if strategy in found:
                self.say("strategy_unwanted", strategy=strategy, rank=found[strategy].rank)
        for strategy, rank in expect.get("ranks", {}).items():
            if strategy not in found:
                self.say("rank_missing", strategy=strategy, expected=rank)
            elif found[strategy].rank != rank:
                self.say("rank_wrong", strategy=strategy, expected=rank, got=found[strategy].rank)
        for kind in ("caveats", "first_steps"):
            for strategy, items in expect.get(kind, {}).items():
                listed = ", ".join(items)
                if strategy not in found:
                    self.say("items_missing", kind=kind, strategy=strategy, expected=listed)
                    continue
                got = getattr(found[strategy], kind)
                if set(got) != set(items):
                    self.say(
                        "items_wrong",
                        kind=kind,
                        strategy=strategy,
                        expected=listed,
                        got=", ".join(got),
                    )

    def programs(self, programs):
        decided = {finding.index: finding.decision for finding in self.advice.programs}
        names = [program["name"] for program in _listed(self.advice.case)]
        for name, want in programs.items():
            index = names.index(name)
            got = decided.get(index, UNDECIDED)
            if got != want:
                self.say("program_wrong", program=name, expected=want, got=got)

    def guidance(self, expect):
        found = {item.id: item for item in self.advice.guidance}
        for guidance in expect.get("present", []):
            if guidance not in found:
                self.say("guidance_missing", guidance=guidance)
        for guidance in expect.get("absent", []):
            if guidance in found:
                because = "; ".join(texts(found[guidance].because)) or self.words["always"]
                self.say("guidance_unwanted", guidance=guidance, because=because)


def _listed(case):
    programs = case.get("programs")
    return programs if isinstance(programs, list) else []


# ------------------------------------------------------------------------- wording


def _knowledge():
    from perencana.knowledge import load_knowledge

    return load_knowledge()


def _words(knowledge, lang):
    from perencana.engine.view.words import FactReader

    labels = FactReader(None, knowledge, lang).labels
    return {**labels["scenario_messages"], "kinds": labels["scenario_kinds"]}
