"""A validated case becomes the facts the rules match.

Numbers are banded here, from ``knowledge/thresholds.yaml``, so that rules match
literals; each stakeholder and program becomes a fact of its own, with a program's
effectiveness and efficiency banded into one ``performance``. Unknown answers give
no fact: a rule that needs them cannot fire, and does not guess.
"""

from perencana.engine.case.schema import field_specs, spec_for
from perencana.engine.case.vocabulary import LIST_SECTIONS, UNKNOWN, CasePath, performance
from perencana.engine.reasoning.facts import Field, Program, Stakeholder


def band_for(value, bands):
    """The band a whole number falls in (the first whose ``below`` it is under)."""
    for band in bands:
        if "below" not in band or value < band["below"]:
            return band["band"]
    raise ValueError("the last band must have no `below` limit")


def case_facts(case, thresholds):
    """The facts of one validated, normalized case, in a stable order."""
    return [kind(**contents) for kind, contents in fact_contents(case, thresholds)]


def fact_contents(case, thresholds):
    """What ``case_facts`` makes, as (fact class, contents) pairs: cheap to compare
    without building the facts."""
    bands = _bands(thresholds)
    contents = []
    for spec in _answer_fields():
        contents += _field_contents(spec, case, bands)
    for section in LIST_SECTIONS:
        contents += _list_contents(section, case)
    return contents


def contents_holding(case, path, thresholds):
    """The fact contents of the part of ``case`` that holds ``path`` (a field, a
    list item's field or a whole list): what answering ``path`` can change."""
    place = CasePath.parse(path)
    if place.is_list:
        return _list_contents(place.section, case)
    if place.in_item:
        item = CasePath.item(place.section, place.index).get(case)
        return [_item_contents(place.section, place.index, item)]
    return _field_contents(spec_for(path), case, _bands(thresholds))


def _bands(thresholds):
    return {entry["path"]: entry["bands"] for entry in thresholds["bands"]}


def _answer_fields():
    """The specs of the case's own fields that become facts (not list items, not text)."""
    return [spec for spec in field_specs() if not spec.place.in_item and spec.kind != "text"]


def _field_contents(spec, case, bands):
    value = case[spec.section][spec.name]
    if value == UNKNOWN:
        return []
    if spec.kind == "enum-list":
        return [(Field, {"path": spec.path, "value": member}) for member in value]
    if spec.path in bands:
        band = band_for(value, bands[spec.path])
        return [(Field, {"path": spec.path, "value": value, "band": band})]
    return [(Field, {"path": spec.path, "value": value})]


def _list_contents(section, case):
    return [
        _item_contents(section, index, item) for index, item in enumerate(_items(case, section))
    ]


def _item_contents(section, index, item):
    if section == "stakeholders":
        return (
            Stakeholder,
            {
                "index": index,
                "name": item["name"],
                "directly_affected": item["directly_affected"],
                "impact": item["impact"],
            },
        )
    if section == "programs":
        return (
            Program,
            {
                "index": index,
                "name": item["name"],
                "viable": item["viable"],
                "performance": performance(item),
            },
        )
    raise ValueError(f"no facts are made for items of {section!r}")


def _items(case, section):
    assert section in LIST_SECTIONS
    items = case[section]
    return [] if items == UNKNOWN else items


# Item keys the facts derive from other answers: a rule on a program's performance
# reads its effectiveness and efficiency.
DERIVED_FROM = {"programs[].performance": ("programs[].effectiveness", "programs[].efficiency")}
