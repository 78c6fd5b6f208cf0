"""Which unknown answers would change the advice, found by asking the rules.

For each field left unknown, the case is run again with each answer the field could
take; the field is reported when some answer changes what the advice says. This
asks the rules themselves, so it cannot drift from them.
"""

from perencana.engine.case.schema import LIST_SECTIONS, UNKNOWN, field_specs

# The answer tried for a whole list left unknown: one item about which nothing is known.
ONE_ITEM = "one-item"


def unknown_paths(case):
    """The concrete paths of every field the case leaves unknown, in schema order."""
    paths = []
    for spec in field_specs():
        section, _, name = spec.path.partition(".")
        if section.endswith("[]"):
            items = case[section[:-2]]
            if items == UNKNOWN:
                if name == "name":  # the list itself, once, where its items would be
                    paths.append(section[:-2])
                continue
            paths += [
                f"{section[:-2]}[{index}].{name}"
                for index, item in enumerate(items)
                if item[name] == UNKNOWN
            ]
        elif case[section][name] == UNKNOWN and spec.kind != "text":
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
    changed = dict(case)
    if path in LIST_SECTIONS:
        fields = [s.path.partition(".")[2] for s in field_specs() if s.path.startswith(f"{path}[]")]
        changed[path] = [{name: UNKNOWN for name in fields} | {"name": "?"}]
        return changed
    head, _, name = path.rpartition(".")
    if "[" in head:
        section, _, index = head.partition("[")
        items = changed[section] = list(changed[section])
        position = int(index.rstrip("]"))
        items[position] = items[position] | {name: answer}
    else:
        value = list(answer) if isinstance(answer, tuple) else answer
        changed[head] = changed[head] | {name: value}
    return changed
