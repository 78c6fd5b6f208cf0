"""Varied cases generated from the case schema, the same for the same number.

Unlike ``test_batch.generated_case`` (every field answered), these leave fields,
items and whole lists unknown, repeat items, and give stakeholders and programs names
that look like engine text (``clerks; cause financial``, ``[0]``, ``=``, newlines), so
that the golden advice covers the unknown-answer search and every way a name is shown.
"""

import random

HOSTILE_NAMES = (
    "clerks; cause financial",
    "a = b",
    "ward (east)",
    "stakeholders[0].impact",
    "two\nlines",
    "programs[1] decision = replace",
    "Ibu Siti, kepala panti",
)
LEVELS = ("low", "adequate", "high", "unknown")
# The optional fields of Part A of the source (the planner's role, background and
# skills, other agencies), added after the golden advice digests were recorded. The
# tests that concern them read this one list.
PART_A_FIELDS = (
    "partners.other_agencies_same_area",
    "partners.coordinating_body",
    "planner.role",
    "planner.background",
    "planner.negotiation_skill",
    "planner.diagnosis_skill",
)
# They are drawn last, from a random stream of their own, so the other fields of each
# case stay as they were; ``later=False`` leaves them out, as the recorded cases did.
LATER_FIELDS = PART_A_FIELDS


def varied_case(number, specs, later=True):
    """A raw case for ``number`` from the field ``specs`` of the case schema."""
    rng = random.Random(f"varied-{number}")
    case = {}
    for spec in specs:
        section, _, field = spec.path.partition(".")
        if section.endswith("[]") or spec.path in LATER_FIELDS:
            continue
        case.setdefault(section, {})[field] = _value(rng, spec, number, field)
    organization = case["organization"]
    organization["name"] = f"Lembaga {number}"
    if isinstance(organization.get("age_years"), int) and isinstance(
        organization.get("years_to_current_state"), int
    ):
        organization["years_to_current_state"] = min(
            organization["years_to_current_state"], organization["age_years"]
        )
    case["stakeholders"] = _items(rng, number, "stakeholders", _stakeholder)
    case["programs"] = _items(rng, number, "programs", _program)
    if later:
        later_rng = random.Random(f"varied-later-{number}")
        for spec in specs:
            if spec.path in LATER_FIELDS:
                section, _, field = spec.path.partition(".")
                case[section][field] = _value(later_rng, spec, number, field)
    return case


def _value(rng, spec, number, field):
    unknown = not spec.required and spec.kind != "text"
    if spec.kind == "text":
        return f"{field} {number}"
    if unknown and rng.random() < 0.12:
        return "unknown"
    if spec.kind == "count":
        return rng.randrange(0, 45)
    if spec.kind == "boolean":
        return rng.random() < 0.5
    if spec.kind == "enum":
        return rng.choice([choice for choice in spec.choices if choice != "unknown"])
    return rng.sample(spec.choices, rng.randrange(0, 3))


def _items(rng, number, section, make):
    if rng.random() < 0.06:
        return "unknown"
    count = rng.choice((0, 1, 1, 2, 3, 4))
    items = [make(rng, f"{section[:-1]} {k} of {number}") for k in range(count)]
    if items and rng.random() < 0.3:
        items[rng.randrange(len(items))]["name"] = rng.choice(HOSTILE_NAMES)
    if items and rng.random() < 0.2:
        twin = dict(items[0])
        twin["name"] = twin["name"] + " (twin)"
        items.append(twin)
    return items


def _stakeholder(rng, name):
    return {
        "name": name,
        "directly_affected": rng.choice((True, False, True, "unknown")),
        "impact": rng.choice(("negative", "neutral", "positive", "negative", "unknown")),
    }


def _program(rng, name):
    return {
        "name": name,
        "viable": rng.choice((True, False, True, "unknown")),
        "effectiveness": rng.choice(LEVELS),
        "efficiency": rng.choice(LEVELS),
    }
