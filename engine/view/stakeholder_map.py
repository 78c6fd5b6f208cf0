"""The memo's stakeholder map: each stakeholder of the case, whether the change
touches them directly, whether they gain or lose by it (or that it is unknown), the
stance to expect and how to involve them (issue 13, part 5; ¶52, ¶70).

The stance and the way to involve are chosen from ``knowledge/stakeholder_map.yaml``
by the stakeholder's own answers (the first row whose ``when`` they hold); the words
of the columns are in ``knowledge/memo.yaml`` ``stakeholder_map``.
"""

from perencana.engine.case.vocabulary import UNKNOWN
from perencana.engine.view.words import clean, in_language, sources_text
from perencana.knowledge.checks import MAP_ANSWERS, map_row_holds


def _answer(item, name):
    value = item.get(name, UNKNOWN)
    return value if value in MAP_ANSWERS[name] else UNKNOWN


def stakeholder_map(advice, knowledge, lang, labels):
    """The rows of the stakeholder map of ``advice`` in ``lang``, in the case's order."""
    words = labels["stakeholder_map"]
    listed = (advice.case or {}).get("stakeholders")
    rows = []
    for index, item in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(item, dict):
            continue
        answers = {name: _answer(item, name) for name in MAP_ANSWERS}
        row = next(
            (r for r in knowledge.stakeholder_map.values() if map_row_holds(r["when"], answers)),
            None,
        )
        affected, impact = answers["directly_affected"], answers["impact"]
        affected_key = affected if affected == UNKNOWN else str(affected).lower()
        rows.append(
            {
                "index": index,
                "name": clean(item.get("name", "")),
                "directly_affected": affected,
                "directly_affected_label": words[f"affected_{affected_key}"],
                "impact": impact,
                "impact_label": words[f"impact_{impact}"],
                "row": row["id"] if row else "",
                "stance": in_language(row["stance"], lang) if row else "",
                "involve": in_language(row["involve"], lang) if row else "",
                "sources": list(row["sources"]) if row else [],
                "sources_text": sources_text(row["sources"]) if row else "",
            }
        )
    return {"rows": rows}
