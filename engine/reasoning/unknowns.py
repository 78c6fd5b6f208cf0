"""Which unknown answers would change the advice, found by asking the rules.

For each field left unknown, the case is run again with each answer the field could
take; the field is reported when some answer changes what the advice says. This
asks the rules themselves, so it cannot drift from them.
"""

from perencana.engine.case.schema import field_specs
from perencana.engine.case.vocabulary import UNKNOWN, CasePath

# The answer tried for a whole list left unknown: one item about which nothing is known.
ONE_ITEM = "one-item"


def unknown_paths(case):
    """The concrete paths of every field the case leaves unknown, in schema order."""
    paths = []
    for spec in field_specs():
        section, name = spec.section, spec.name
        if spec.place.in_item:
            items = case[section]
            if items == UNKNOWN:
                if name == "name":  # the list itself, once, where its items would be
                    paths.append(section)
                continue
            paths += [
                str(CasePath.item(section, index, name))
                for index, item in enumerate(items)
                if item[name] == UNKNOWN
            ]
        elif spec.kind != "text" and case[section][name] == UNKNOWN:
            paths.append(spec.path)
    return paths


def candidate_answers(path, spec, thresholds):
    """The answers to try for one unknown field: one per value the rules tell apart."""
    if spec is None:  # a whole list left unknown: try one item about which nothing is known
        return (ONE_ITEM,)
    if spec.kind == "count":
        for entry in thresholds["bands"]:
            if entry["path"] == spec.path:
                return tuple([0] + [band["below"] for band in entry["bands"] if "below" in band])
        return (0,)
    return spec.answers


def with_answer(case, path, answer):
    """A copy of ``case`` with ``path`` answered; the parts it leaves alone are shared
    with ``case``, so neither may be changed in place afterwards."""
    place = CasePath.parse(path)
    if place.is_list:
        fields = [s.name for s in field_specs() if s.place.in_item and s.section == path]
        return place.replaced(case, [{name: UNKNOWN for name in fields} | {"name": "?"}])
    if not place.in_item and isinstance(answer, tuple):
        answer = list(answer)
    return place.replaced(case, answer)
