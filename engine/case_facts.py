"""A validated case becomes the facts the rules match.

Numbers are banded here, from ``knowledge/thresholds.yaml``, so that rules match
literals; each stakeholder and program becomes a fact of its own, with a program's
effectiveness and efficiency banded into one ``performance``. Unknown answers give
no fact: a rule that needs them cannot fire, and does not guess.
"""

from engine.case_schema import LIST_SECTIONS, UNKNOWN, field_specs
from engine.facts import Field, Program, Stakeholder


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
    bands = {entry["path"]: entry["bands"] for entry in thresholds["bands"]}
    contents = []
    for spec in field_specs():
        section, _, name = spec.path.partition(".")
        if section.endswith("[]") or spec.kind == "text":
            continue
        value = case[section][name]
        if value == UNKNOWN:
            continue
        if spec.kind == "enum-list":
            contents += [(Field, {"path": spec.path, "value": member}) for member in value]
        elif spec.path in bands:
            band = band_for(value, bands[spec.path])
            contents.append((Field, {"path": spec.path, "value": value, "band": band}))
        else:
            contents.append((Field, {"path": spec.path, "value": value}))
    for index, person in enumerate(_items(case, "stakeholders")):
        contents.append(
            (
                Stakeholder,
                {
                    "index": index,
                    "name": person["name"],
                    "directly_affected": person["directly_affected"],
                    "impact": person["impact"],
                },
            )
        )
    for index, program in enumerate(_items(case, "programs")):
        contents.append(
            (
                Program,
                {
                    "index": index,
                    "name": program["name"],
                    "viable": program["viable"],
                    "performance": performance(program),
                },
            )
        )
    return contents


def _items(case, section):
    assert section in LIST_SECTIONS
    items = case[section]
    return [] if items == UNKNOWN else items


# Item keys the facts derive from other answers: a rule on a program's performance
# reads its effectiveness and efficiency.
DERIVED_FROM = {"programs[].performance": ("programs[].effectiveness", "programs[].efficiency")}


def performance(program):
    """``low`` if effectiveness or efficiency is low; ``adequate`` if both are
    adequate or high; otherwise ``unknown``."""
    levels = (program["effectiveness"], program["efficiency"])
    if "low" in levels:
        return "low"
    if UNKNOWN in levels:
        return UNKNOWN
    return "adequate"
