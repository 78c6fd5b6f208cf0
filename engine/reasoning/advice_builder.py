"""From the facts in working memory after a run to an ``Advice``.

The rules conclude evidence, recommendations, caveats, decisions and guidance; here
they are gathered per item, cause strengths are worked out from their evidence and
the life-cycle stage, and strategies ranked from the causes they answer and the
source's emphasis, with the levels, weights and places of ``knowledge/thresholds.yaml``.
"""

from perencana.engine.case.schema import UNKNOWN
from perencana.engine.reasoning.advice import (
    Advice,
    CauseFinding,
    GuidanceFinding,
    ProgramFinding,
    StrategyFinding,
    TensionFinding,
)
from perencana.engine.reasoning.facts import (
    Caveat,
    Decision,
    Evidence,
    Field,
    FirstStep,
    Guidance,
    Lifecycle,
    Recommendation,
)


def _unique(items):
    return list(dict.fromkeys(items))


def _of_type(facts, kind):
    return [fact for fact in facts if type(fact) is kind]


def cause_strength(evidence, levels, max_raise=1, adjust=0):
    """The strongest base evidence, raised at most ``max_raise`` levels by supporting
    evidence (whatever the number of supporting rules), then moved ``adjust`` levels
    (the life-cycle stage), never past either end of ``levels``.

    With supporting evidence only, the cause is the weakest level.
    """
    base = [levels.index(e["strength"]) for e in evidence if e["strength"] != "raise"]
    supported = any(e["strength"] == "raise" for e in evidence)
    level = max(base) + (max_raise if supported else 0) if base else 0
    level = min(level, len(levels) - 1) + adjust
    return levels[max(0, min(level, len(levels) - 1))]


def build_causes(facts, knowledge, stage=UNKNOWN):
    """The causes with evidence, each as strong as ``knowledge.thresholds["strength"]``
    says; when the life-cycle ``stage`` moves a cause, the stage joins its evidence."""
    settings = knowledge.thresholds["strength"]
    levels = settings["levels"]
    moves = (settings.get("lifecycle") or {}).get(stage, {})
    stages = [f.ref() for f in _of_type(facts, Lifecycle) if f["stage"] == stage]
    evidence = _of_type(facts, Evidence)
    causes = []
    for cause_id, item in knowledge.causes.items():
        mine = [e for e in evidence if e["cause"] == cause_id]
        if not mine:
            continue
        adjust = moves.get(cause_id, 0)
        causes.append(
            CauseFinding(
                id=cause_id,
                strength=cause_strength(mine, levels, settings.get("max_raise", 1), adjust),
                evidence=_unique(
                    [fact for e in mine for fact in e["facts"]] + (stages if adjust else [])
                ),
                sources=_unique(
                    list(item["sources"])
                    + (settings.get("lifecycle_sources", []) if adjust else [])
                ),
                rules=_unique(e["rule"] for e in mine),
            )
        )
    # Strongest first; on a tie, the source's order (R1 to R4).
    causes.sort(key=lambda c: -levels.index(c.strength))
    return causes


def strategy_score(recommendations, strategy_id, strength, ranking):
    """The weight of the strongest cause the recommendations answer (``fact`` when they
    answer facts only), plus the source's emphasis on ``strategy_id``: a bonus, and
    more for each further directly affected stakeholder who loses."""
    weights = [
        ranking["cause_weight"][strength[b.value]] if b.kind == "cause-id" else ranking["fact"]
        for r in recommendations
        for b in r["because"]
        if b.kind != "cause-id" or b.value in strength
    ]
    score = max(weights, default=ranking["fact"])
    emphasis = (ranking.get("emphasis") or {}).get(strategy_id)
    if emphasis:
        losers = {
            b.index
            for r in recommendations
            for b in r["because"]
            if b.kind == "stakeholder"
            and b.get("directly_affected") is True
            and b.get("impact") == "negative"
        }
        score += emphasis.get("bonus", 0)
        score += emphasis.get("per_further_loser", 0) * max(0, len(losers) - 1)
    return score


def _tie_order(strategy_id, order, ties_first):
    """Where a strategy stands among those of equal score: the ones of ``ties_first``
    first, in that order; then the others in the source's order (``order``)."""
    if strategy_id in ties_first:
        return ties_first.index(strategy_id)
    return len(ties_first) + order


def _placed(ranked, min_place, id_of=lambda strategy: strategy.id):
    """``ranked`` with each strategy of ``min_place`` moved up to its place if lower."""
    for strategy_id, place in min_place.items():
        at = next((i for i, s in enumerate(ranked) if id_of(s) == strategy_id), None)
        if at is not None and at > place - 1:
            ranked.insert(place - 1, ranked.pop(at))
    return ranked


def build_strategies(facts, knowledge, causes):
    ranking = knowledge.thresholds["ranking"]
    strength = {c.id: c.strength for c in causes}
    recommendations = _of_type(facts, Recommendation)
    caveats = _of_type(facts, Caveat)
    steps = _of_type(facts, FirstStep)
    strategies = []
    ties_first = list(ranking.get("ties_first") or [])
    for order, (strategy_id, item) in enumerate(knowledge.strategies.items()):
        mine = [r for r in recommendations if r["strategy"] == strategy_id]
        if not mine:
            continue
        score = strategy_score(mine, strategy_id, strength, ranking)
        strategies.append(
            (
                -score,
                _tie_order(strategy_id, order, ties_first),
                StrategyFinding(
                    id=strategy_id,
                    rank=0,
                    because=_causes_first(
                        _unique(b for r in mine for b in r["because"]), knowledge.causes
                    ),
                    caveats=_without_replaced(
                        _in_knowledge_order(
                            (c["caveat"] for c in caveats if c["strategy"] == strategy_id),
                            knowledge.caveats,
                        ),
                        knowledge.caveats,
                    ),
                    first_steps=_in_knowledge_order(
                        (s["step"] for s in steps if s["strategy"] == strategy_id), knowledge.steps
                    ),
                    sources=list(item["sources"]),
                    score=score,
                    rules=_unique(r["rule"] for r in mine),
                ),
            )
        )
    strategies.sort(key=lambda entry: entry[:2])
    ranked = _placed([entry[2] for entry in strategies], ranking.get("min_place") or {})
    for rank, strategy in enumerate(ranked, start=1):
        strategy.rank = rank
    mark_plan(ranked, knowledge)
    return ranked


def mark_plan(ranked, knowledge):
    """Each strategy's phase (``knowledge/phases.yaml``) and whether it is one to
    start with: the first by rank, at most ``ranking.start_with_at_most``."""
    at_most = knowledge.thresholds["ranking"]["start_with_at_most"]
    for strategy in ranked:
        strategy.phase = knowledge.strategies[strategy.id]["phase"]
        strategy.start_with = strategy.rank <= at_most


def build_tensions(facts, knowledge, strategies):
    """The tensions of ``knowledge/tensions.yaml`` whose strategies are all
    recommended and whose ``when``, if any, the case's facts hold; in the order of
    the knowledge file."""
    recommended = {s.id for s in strategies}
    answers = {(f["path"], f["value"]) for f in _of_type(facts, Field)}
    found = []
    for tension_id, item in knowledge.tensions.items():
        if not _tension_holds(item, recommended, answers):
            continue
        found.append(
            TensionFinding(
                id=tension_id, strategies=list(item["strategies"]), sources=list(item["sources"])
            )
        )
    return found


def _causes_first(reasons, causes):
    """Reasons with the causes first (in the source's order), then the facts as found."""
    named = {r.value: r for r in reasons if r.kind == "cause-id"}
    return [named[c] for c in causes if c in named] + [r for r in reasons if r.kind != "cause-id"]


def _without_replaced(ids, table):
    """``ids`` less those another of them ``replaces``: a caveat worded for a narrower
    case (a mandated change) stands instead of the general one. The rules conclude
    both, as they never retract; the choice is made here."""
    replaced = {table[key].get("replaces") for key in ids}
    return [key for key in ids if key not in replaced]


def _in_knowledge_order(ids, table):
    wanted = set(ids)
    if not wanted:  # most strategies have no caveat: the table need not be read
        return []
    return [key for key in table if key in wanted]


def build_programs(facts, knowledge, case):
    decisions = {d["index"]: d for d in _of_type(facts, Decision)}
    programs = [] if case["programs"] == UNKNOWN else case["programs"]
    return [
        ProgramFinding(
            name=program["name"],
            decision=decisions[index]["decision"],
            sources=list(knowledge.decisions[decisions[index]["decision"]]["sources"]),
            facts=list(decisions[index]["facts"]),
            index=index,
        )
        for index, program in enumerate(programs)
        if index in decisions
    ]


def build_guidance(facts, knowledge):
    given = _of_type(facts, Guidance)
    return [
        GuidanceFinding(
            id=guidance_id,
            sources=list(item["sources"]),
            because=_unique(b for g in given if g["id"] == guidance_id for b in g["because"]),
        )
        for guidance_id, item in knowledge.guidance.items()
        if any(g["id"] == guidance_id for g in given)
    ]


def build_advice(case, facts, trace, knowledge):
    """The advice for ``case`` from the facts a run left in working memory."""
    stages = [fact["stage"] for fact in _of_type(facts, Lifecycle)]
    stage = _in_knowledge_order(stages, knowledge.lifecycle)[-1] if stages else UNKNOWN
    causes = build_causes(facts, knowledge, stage)
    strategies = build_strategies(facts, knowledge, causes)
    return Advice(
        organization=case["organization"]["name"],
        lifecycle=stage,
        causes=causes,
        strategies=strategies,
        programs=build_programs(facts, knowledge, case),
        guidance=build_guidance(facts, knowledge),
        unknowns=[],
        trace=list(trace),
        case=case,
        tensions=build_tensions(facts, knowledge, strategies),
    )


def facts_by_type(facts):
    """``facts`` grouped by their class, each group in the order of ``facts``."""
    by_type = {}
    for fact in facts:
        by_type.setdefault(type(fact), []).append(fact)
    return by_type


def advice_signature(case, facts, knowledge, by_type=None):
    """``build_advice(case, facts, [], knowledge).signature()``, working out only what
    the signature holds: the stage, each cause's strength, each strategy's rank,
    caveats and first steps, each program's decision, the guidance and the tensions;
    not the evidence, reasons, sources and rules beside them. The unknown-answer
    search compares a signature for each answer it tries; ``tests/test_advisor.py``
    holds the two to the same result. ``by_type``, if given, is
    ``facts_by_type(facts)``, and ``facts`` are not read."""
    if by_type is None:
        by_type = facts_by_type(facts)
    stages = [fact["stage"] for fact in by_type.get(Lifecycle, ())]
    stage = _in_knowledge_order(stages, knowledge.lifecycle)[-1] if stages else UNKNOWN
    settings = knowledge.thresholds["strength"]
    levels = settings["levels"]
    moves = (settings.get("lifecycle") or {}).get(stage, {})
    evidence = {}
    for fact in by_type.get(Evidence, ()):
        evidence.setdefault(fact["cause"], []).append(fact)
    causes = [
        (
            cause_id,
            cause_strength(mine, levels, settings.get("max_raise", 1), moves.get(cause_id, 0)),
        )
        for cause_id in knowledge.causes
        if (mine := evidence.get(cause_id))
    ]
    causes.sort(key=lambda cause: -levels.index(cause[1]))
    strength = dict(causes)
    ranking = knowledge.thresholds["ranking"]
    ties_first = list(ranking.get("ties_first") or [])
    recommended = {}
    for fact in by_type.get(Recommendation, ()):
        recommended.setdefault(fact["strategy"], []).append(fact)
    scored = [
        (
            -strategy_score(mine, strategy_id, strength, ranking),
            _tie_order(strategy_id, order, ties_first),
            strategy_id,
        )
        for order, strategy_id in enumerate(knowledge.strategies)
        if (mine := recommended.get(strategy_id))
    ]
    scored.sort(key=lambda entry: entry[:2])
    ranked = _placed(
        [entry[2] for entry in scored], ranking.get("min_place") or {}, id_of=lambda s: s
    )
    caveats, steps = {}, {}
    for fact in by_type.get(Caveat, ()):
        caveats.setdefault(fact["strategy"], []).append(fact["caveat"])
    for fact in by_type.get(FirstStep, ()):
        steps.setdefault(fact["strategy"], []).append(fact["step"])
    strategies = tuple(
        (
            strategy_id,
            rank,
            tuple(
                _without_replaced(
                    _in_knowledge_order(caveats.get(strategy_id, ()), knowledge.caveats),
                    knowledge.caveats,
                )
            ),
            tuple(_in_knowledge_order(steps.get(strategy_id, ()), knowledge.steps)),
        )
        for rank, strategy_id in enumerate(ranked, start=1)
    )
    decisions = {d["index"]: d["decision"] for d in by_type.get(Decision, ())}
    programs = [] if case["programs"] == UNKNOWN else case["programs"]
    given = {g["id"] for g in by_type.get(Guidance, ())}
    recommended_ids = set(ranked)
    answers = _LazyAnswers(by_type.get(Field, ()))
    return (
        stage,
        tuple(causes),
        strategies,
        tuple(
            (program["name"], decisions[index])
            for index, program in enumerate(programs)
            if index in decisions
        ),
        tuple(guidance_id for guidance_id in knowledge.guidance if guidance_id in given),
        tuple(
            tension_id
            for tension_id, item in knowledge.tensions.items()
            if _tension_holds(item, recommended_ids, answers)
        ),
    )


class _LazyAnswers:
    """The ``(path, value)`` pairs of ``fields``, gathered the first time a tension's
    ``when`` asks for one (most tensions do not stand, or have no ``when``)."""

    def __init__(self, fields):
        self.fields = fields
        self.pairs = None

    def __contains__(self, pair):
        if self.pairs is None:
            self.pairs = {(f["path"], f["value"]) for f in self.fields}
        return pair in self.pairs


def _tension_holds(item, recommended, answers):
    """Whether a tension of tensions.yaml stands: all its strategies are among the
    ``recommended`` ids, and its ``when``, if any, is among the case's ``answers``
    (``(path, value)`` pairs)."""
    when = item.get("when")
    return recommended.issuperset(item["strategies"]) and (
        not when or any((when["path"], value) in answers for value in when["values"])
    )
