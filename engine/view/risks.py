"""The memo's table of risks: each caveat of a recommended strategy as the risk it
names, the sign to watch for and the response (``knowledge/caveats.yaml``: ``risk``,
``sign``, ``response``, in English and Indonesian, with the caveat's ¶), one row per
caveat, tied to its strategy, in the strategies' rank order. ``essential``: a caveat
the source insists on, which every edition lists (``essential`` in the file)."""

from perencana.engine.view.words import sources_text


def risks_view(advice, knowledge, reader):
    """The rows of the risk table for ``advice``, in the reader's language."""
    rows = []
    for strategy in advice.strategies:
        for caveat_id in strategy.caveats:
            item = knowledge.caveats[caveat_id]
            sources = list(item.get("sources", []))
            rows.append(
                {
                    "id": caveat_id,
                    "strategy": {
                        "id": strategy.id,
                        "rank": strategy.rank,
                        "title": reader.title("strategies", strategy.id),
                    },
                    "risk": reader.case_text(item, "risk"),
                    "sign": reader.case_text(item, "sign"),
                    "response": reader.case_text(item, "response"),
                    "sources": sources,
                    "sources_text": sources_text(sources),
                    "essential": bool(item.get("essential")),
                }
            )
    return rows
