"""From the facts in working memory after a run to an ``Advice``.

The rules conclude evidence, recommendations, caveats, decisions and guidance; here
they are gathered per item, cause strengths are worked out from their evidence and
strategies ranked from their reasons, with the levels and weights of
``knowledge/thresholds.yaml``.
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


def cause_strength(evidence, levels):
    """The strongest base evidence, lifted one level per distinct supporting rule.

    With supporting evidence only, the cause starts below the weakest level, so one
    supporting rule alone makes it weak.
    """
    base = [levels.index(e["strength"]) for e in evidence if e["strength"] != "raise"]
    raising_rules = {e["rule"] for e in evidence if e["strength"] == "raise"}
    level = (max(base) if base else -1) + len(raising_rules)
    return levels[max(0, min(level, len(levels) - 1))]


def build_causes(facts, knowledge):
    levels = knowledge.thresholds["strength"]["levels"]
    evidence = _of_type(facts, Evidence)
    causes = []
    for cause_id, item in knowledge.causes.items():
        mine = [e for e in evidence if e["cause"] == cause_id]
        if not mine:
            continue
        causes.append(
            CauseFinding(
                id=cause_id,
                strength=cause_strength(mine, levels),
                evidence=_unique(fact for e in mine for fact in e["facts"]),
                sources=list(item["sources"]),
                rules=_unique(e["rule"] for e in mine),
            )
        )
    # Strongest first; on a tie, the source's order (R1 to R4).
    causes.sort(key=lambda c: -levels.index(c.strength))
    return causes


def build_strategies(facts, knowledge, causes):
    ranking = knowledge.thresholds["ranking"]
    strength = {c.id: c.strength for c in causes}
    recommendations = _of_type(facts, Recommendation)
    caveats = _of_type(facts, Caveat)
    steps = _of_type(facts, FirstStep)
    strategies = []
    for order, (strategy_id, item) in enumerate(knowledge.strategies.items()):
        mine = [r for r in recommendations if r["strategy"] == strategy_id]
        if not mine:
            continue
        score = 0
        for rule in _unique(r["rule"] for r in mine):
            cited = [
                b.value
                for r in mine
                if r["rule"] == rule
                for b in r["because"]
                if b.kind == "cause-id" and b.value in strength
            ]
            weights = [ranking["cause_weight"][strength[c]] for c in cited]
            score += max(weights) if weights else ranking["fact"]
        strategies.append(
            (
                -score,
                order,
                StrategyFinding(
                    id=strategy_id,
                    rank=0,
                    because=_causes_first(
                        _unique(b for r in mine for b in r["because"]), knowledge.causes
                    ),
                    caveats=_in_knowledge_order(
                        (c["caveat"] for c in caveats if c["strategy"] == strategy_id),
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
    ranked = [entry[2] for entry in strategies]
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
        if not recommended.issuperset(item["strategies"]):
            continue
        when = item.get("when")
        if when and not any((when["path"], value) in answers for value in when["values"]):
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


def _in_knowledge_order(ids, table):
    wanted = set(ids)
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
    causes = build_causes(facts, knowledge)
    strategies = build_strategies(facts, knowledge, causes)
    stages = [fact["stage"] for fact in _of_type(facts, Lifecycle)]
    return Advice(
        organization=case["organization"]["name"],
        lifecycle=_in_knowledge_order(stages, knowledge.lifecycle)[-1] if stages else UNKNOWN,
        causes=causes,
        strategies=strategies,
        programs=build_programs(facts, knowledge, case),
        guidance=build_guidance(facts, knowledge),
        unknowns=[],
        trace=list(trace),
        case=case,
        tensions=build_tensions(facts, knowledge, strategies),
    )
