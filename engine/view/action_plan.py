"""The memo's action plan: the steps of the recommended strategies, phase by phase,
each naming the case's own stakeholders and programs it concerns, who leads it and
the ¶ it rests on (issue 13, part 4).

The steps, their texts and who leads them are knowledge (``knowledge/plan_steps.yaml``,
words in ``knowledge/memo.yaml`` ``action_plan``); here they are chosen for the case:
a step of a recommended strategy, or of a phase, whose ``when`` the case holds and
whose ``concerns`` name at least one of the case's stakeholders or programs. Names
stay data (``concerns``) and are also set into the step's text.

Under each phase that has steps, one line says how the client will see the change
taking hold: the first few signs of ``knowledge/success_signs.yaml`` of that phase
whose strategy is recommended, whose ``when`` the case holds and whose ``concerns``
name someone (how many: ``thresholds.yaml`` ``success_signs.per_phase``).
"""

from perencana.engine.case.vocabulary import UNKNOWN, CasePath
from perencana.engine.view.words import clean, in_language, sources_text
from perencana.knowledge.checks import map_row_holds


def case_holds(case, when):
    """Whether ``case`` answers every path of ``when`` with one of its answers;
    ``unknown`` is an answer like any other, and a bool matches only a bool."""
    answers = {path: CasePath.parse(path).get(case) for path in when}
    return map_row_holds(when, answers)


def _stakeholders(case):
    items = case.get("stakeholders")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def concerned(advice, case):
    """{concern: [names]}: the case's stakeholders by how the change touches them and
    its programs by their decision, in the case's order."""
    people = _stakeholders(case)

    def named(wanted):
        return [
            clean(item["name"])
            for item in people
            if map_row_holds(wanted, {k: item.get(k, UNKNOWN) for k in wanted})
        ]

    found = {
        "losing": named({"directly_affected": [True], "impact": ["negative"]}),
        "gaining": named({"directly_affected": [True], "impact": ["positive"]}),
        "impact-unknown": named({"impact": [UNKNOWN]}),
    }
    decided = {}
    for finding in sorted(advice.programs, key=lambda f: f.index):
        decided[finding.index] = finding.decision
        found.setdefault(finding.decision, []).append(clean(finding.name))
    listed = case.get("programs")
    for index, item in enumerate(listed if isinstance(listed, list) else []):
        if index not in decided and isinstance(item, dict):
            found.setdefault("undecided", []).append(clean(item["name"]))
    return found


def join_names(names, words):
    """``A, B and C`` in the memo's language."""
    if len(names) < 2:
        return "".join(names)
    return words["names_comma"].join(names[:-1]) + words["names_and"] + names[-1]


def _lead(step, case, words):
    """Who leads ``step`` in ``case``: the first lead whose ``when`` the case holds,
    with the ¶ that choice rests on."""
    for option in step["lead"]:
        if "when" not in option or case_holds(case, option["when"]):
            return {
                "id": option["who"],
                "label": words[f"lead_{option['who']}"],
                "sources": list(option.get("sources", [])),
            }
    return {"id": "to-agree", "label": words["lead_to-agree"], "sources": []}


def _applies(item, case, names, recommended):
    """Whether a plan step or a sign of success is for this case: its strategy, if
    it names one, is recommended; the case holds its ``when``; and its ``concerns``,
    if any, name at least one of the case's people or programs."""
    if "strategy" in item and item["strategy"] not in recommended:
        return False
    if "when" in item and not case_holds(case, item["when"]):
        return False
    return not item.get("concerns") or bool(names.get(item["concerns"]))


def _with_names(item, names, lang, words):
    """A step's or a sign's text in ``lang`` with the names it concerns set in, and
    those names."""
    whom = names.get(item["concerns"], []) if item.get("concerns") else []
    text = item["text"]
    # One name: the text in the singular, where the language marks it (``text_one``).
    if len(whom) == 1 and lang in (item.get("text_one") or {}):
        text = item["text_one"]
    return in_language(text, lang).format(names=join_names(whom, words)), whom


def success_signs(phase_id, knowledge, case, names, recommended, lang, words):
    """How the client will see ``phase_id`` taking hold: ``signs`` (each with its
    ``text``, ``concerns`` and ``sources``), ``lead`` and ``rest``, the sentence
    after its lead-in (the signs with their ¶, joined). None when no sign holds."""
    limit = (knowledge.thresholds.get("success_signs") or {}).get("per_phase", 2)

    held = [
        sign
        for sign in knowledge.success_signs.values()
        if sign["phase"] == phase_id and _applies(sign, case, names, recommended)
    ]
    signs = []
    for sign in held[:limit]:
        text, whom = _with_names(sign, names, lang, words)
        signs.append(
            {
                "id": sign["id"],
                "text": text,
                "concerns": whom,
                "sources": list(sign["sources"]),
                "sources_text": sources_text(sign["sources"]),
            }
        )
    if not signs:
        return None
    rest = words["success_and"].join(f"{s['text']} ({s['sources_text']})" for s in signs)
    return {"lead": words["success_lead"], "signs": signs, "rest": rest + words["success_end"]}


def action_plan(advice, knowledge, lang, labels, titles):
    """The action plan of ``advice`` in ``lang``: ``phases``, each with its ``steps``
    (numbered through the plan, in the order of ``plan_steps.yaml``) and its
    ``success`` (``success_signs``, or None), and ``count``.
    ``titles`` maps a strategy id to its title in the language."""
    words = labels["action_plan"]
    case = advice.case or {}
    names = concerned(advice, case)
    recommended = {s.id: s for s in advice.strategies}

    phases, number = [], 0
    for phase_id, phase in knowledge.phases.items():
        # In the order of plan_steps.yaml: the order in which the work is done (study
        # the organization before proposing, ¶73), which the strategies' ranks are not.
        own = [
            s
            for s in knowledge.plan_steps.values()
            if s.get("phase", getattr(recommended.get(s.get("strategy")), "phase", "")) == phase_id
        ]
        steps = []
        for step in own:
            if not _applies(step, case, names, recommended):
                continue
            number += 1
            text, whom = _with_names(step, names, lang, words)
            strategy = recommended.get(step.get("strategy"))
            lead = _lead(step, case, words)
            sources = list(dict.fromkeys([*step["sources"], *lead["sources"]]))
            steps.append(
                {
                    "number": number,
                    "id": step["id"],
                    "strategy": strategy.id if strategy else "",
                    "strategy_title": titles.get(strategy.id, strategy.id) if strategy else "",
                    "rank": strategy.rank if strategy else None,
                    "start_with": bool(strategy and strategy.start_with),
                    "text": text,
                    "lead": lead,
                    "concerns": whom,
                    "sources": sources,
                    "sources_text": sources_text(sources),
                }
            )
        if steps:
            phases.append(
                {
                    "id": phase_id,
                    "title": in_language(phase.get("title"), lang),
                    "steps": steps,
                    "success": success_signs(
                        phase_id, knowledge, case, names, recommended, lang, words
                    ),
                }
            )
    return {"phases": phases, "count": number}
