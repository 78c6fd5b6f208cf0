"""The memo's one-page summary: the answer first, for a reader who stops there.

Built from the parts of the memo's view (causes, strategies, programs, unknowns), so
that it never says what the sections after it do not: the diagnosis in two or three
sentences, the strategies to start with and one reason each, the program decisions,
the main risks (those the source insists on, then the risks of the first
strategies) and the open questions that would change the advice. Sentences come from
``knowledge/memo.yaml`` (group ``summary``); how many risks and questions it lists
from ``knowledge/thresholds.yaml``.
"""


def _names(titles, words):
    """``a``, ``a and b``, ``a, b and c`` with the language's ``and``."""
    titles = list(titles)
    if len(titles) <= 1:
        return "".join(titles)
    return ", ".join(titles[:-1]) + words["and"] + titles[-1]


def _diagnosis(words, organization, causes, levels):
    stage = "stage_unknown" if organization["stage"]["id"] == "unknown" else "stage"
    sentences = [
        words[stage].format(
            organization=organization["name"], stage=organization["stage"]["in_sentence"]
        )
    ]
    if not causes:
        return [*sentences, words["no_cause"]]
    top = max(levels.index(c["strength"]) for c in causes)
    main = [c for c in causes if levels.index(c["strength"]) == top]
    others = [c for c in causes if levels.index(c["strength"]) != top]
    key = "main_one" if len(main) == 1 else "main_many"
    sentences.append(
        words[key].format(
            causes=_names((c["in_sentence"] for c in main), words),
            strength=main[0]["strength_label"],
        )
    )
    if others:
        key = "other" if len(others) == 1 else "others"
        sentences.append(
            words[key].format(causes=_names((c["in_sentence"] for c in others), words))
        )
    return sentences


def summary_view(view, knowledge):
    """The summary of the memo ``view`` (its causes, strategies, programs, unknowns)."""
    words = view["labels"]["summary"]
    limits = knowledge.thresholds.get("summary") or {}
    levels = knowledge.thresholds["strength"]["levels"]
    first = [s for s in view["strategies"] if s["start_with"]]
    strategies = [
        {
            "rank": s["rank"],
            "title": s["title"],
            "reason": s["because"][0]["text"] if s["because"] else s["summary"],
        }
        for s in first
    ]
    # The risks the source insists on (``essential``, listed by every edition's risk
    # table whatever their strategy's rank) lead; then the first risk of each first
    # strategy, in rank order, then the second ones...: the main risks are spread over
    # the strategies, not all of the first one. Each is the risk table's one-sentence
    # risk (section "risks" gives its sign and response).
    order = {s["id"]: place for place, s in enumerate(first)}
    places = {}
    ranked = []
    for row in view["risks"]:
        strategy_id = row["strategy"]["id"]
        if row["essential"]:
            ranked.append((-1, row["strategy"]["rank"], row))
        elif strategy_id in order:
            place = places[strategy_id] = places.get(strategy_id, -1) + 1
            ranked.append((place, order[strategy_id], row))
    risks = [
        {"strategy": row["strategy"]["title"], "text": row["risk"]}
        for _, _, row in sorted(ranked, key=lambda item: item[:2])
    ]
    risk_limit = limits.get("risks", len(risks))
    open_limit = limits.get("open_questions", len(view["unknowns"]))
    open_questions = view["unknowns"][:open_limit]
    more = len(view["unknowns"]) - len(open_questions)
    return {
        "diagnosis": _diagnosis(words, view["organization"], view["causes"], levels),
        "strategies": strategies,
        "programs": [
            {"name": p["name"], "decision": p["decision"], "decision_label": p["decision_label"]}
            for p in view["programs"]
        ],
        "risks": risks[:risk_limit],
        "open": open_questions,
        "open_more": words["open_more"].format(count=more) if more > 0 else "",
    }
