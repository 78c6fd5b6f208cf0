"""What if the case were different? Run it as it is and as changed, and compare.

``perencana whatif CASE --set PATH=VALUE`` answers a planner's or a trainer's
question: which conclusions does this one fact carry? Each ``--set`` names a dotted
case path (``funding.funds_for_change``, ``stakeholders[0].impact``) and a value
read as YAML (``sufficient``, ``true``, ``12``, ``[facilities, equipment]``,
``unknown``); a text the field would take as a typed answer is then read as the
interview and the CSV cells read one (``ya``, ``Gradual``, ``facilities, equipment``:
``typed_value``, the vocabulary's ``read_answer``). The sets are applied, in order,
to a copy of the case data (the case as read, which ``normalize_case`` has only
completed with ``unknown``); the result is checked with ``validate_case`` exactly
like a case file, so a bad value gets the same message, and both cases run on one
``Advisor``: each run resets the engine and declares the case's facts afresh
(nothing is modified in a running engine), so neither run sees the other's facts.

``what_if`` returns a ``WhatIf``: a plain diff of the two advices (life-cycle stage,
causes and their evidence, strategies and their ranks, caveats, first steps, program
decisions, guidance, the unknowns that matter). ``to_json`` is its deterministic JSON
form; ``render_what_if`` shows it as text in English or Indonesian through
``templates/whatif.text.j2``. Every word comes from ``knowledge/whatif.yaml``.
"""

import copy
import difflib
import json
from dataclasses import dataclass, field

import yaml

from perencana.engine.case.loader import NOTHING, UnreadableYaml, parse_yaml_text
from perencana.engine.case.schema import field_specs, spec_for
from perencana.engine.case.validation import case_schema, normalize_case, validate_case
from perencana.engine.case.vocabulary import (
    LIST_SECTIONS,
    NOT_READ,
    UNKNOWN,
    CasePath,
    PathError,
    generic_path,
    path_steps,
    read_answer,
    steps_text,
)
from perencana.engine.errors import CaseError
from perencana.engine.view.advice_json import texts
from perencana.engine.view.safe_text import cut_line
from perencana.engine.view.words import FactReader, clean

FORMAT = "perencana-whatif/1"
FORMATS = ("text", "json")
TEMPLATE = "whatif.text.j2"


# --------------------------------------------------------------------------- model


@dataclass
class WhatIf:
    """What changing the case does to the advice. Each list holds plain dicts:

    - ``changes``: ``{path, before, after}``, the values as in a case file;
    - ``lifecycle``: ``{before, after}`` when the stage changes, else ``None``;
    - ``causes``: ``{id, change, before, after, evidence_gained, evidence_lost}``,
      ``change`` one of ``appeared``, ``disappeared``, ``stronger``, ``weaker``,
      ``evidence`` (same strength, other evidence); a missing strength is ``None``;
    - ``strategies``: ``{id, change, before, after}`` with ranks, ``change`` one of
      ``added``, ``dropped``, ``reranked``;
    - ``caveats`` and ``first_steps``: ``{strategy, id, change}`` (``added`` or
      ``dropped``) on strategies recommended in both runs;
    - ``programs``: ``{index, name, before, after}``, a decision, ``undecided``, or
      ``None`` when the program is not listed;
    - ``guidance``, ``tensions`` (how two recommended strategies fit together):
      ``{id, change}``; ``unknowns``: ``{path, change}``.
    """

    organization: str
    changes: list
    lifecycle: dict | None = None
    causes: list = field(default_factory=list)
    strategies: list = field(default_factory=list)
    caveats: list = field(default_factory=list)
    first_steps: list = field(default_factory=list)
    programs: list = field(default_factory=list)
    guidance: list = field(default_factory=list)
    tensions: list = field(default_factory=list)
    unknowns: list = field(default_factory=list)
    before: object = field(default=None, repr=False)
    after: object = field(default=None, repr=False)

    @property
    def changed(self):
        """Whether the change makes any difference to the advice."""
        return bool(
            self.lifecycle
            or self.causes
            or self.strategies
            or self.caveats
            or self.first_steps
            or self.programs
            or self.guidance
            or self.tensions
            or self.unknowns
        )

    def to_json(self):
        return {
            "format": FORMAT,
            "organization": self.organization,
            "changes": self.changes,
            "changed": self.changed,
            "lifecycle": self.lifecycle,
            "causes": [
                {
                    **cause,
                    "evidence_gained": texts(cause["evidence_gained"]),
                    "evidence_lost": texts(cause["evidence_lost"]),
                }
                for cause in self.causes
            ],
            "strategies": self.strategies,
            "caveats": self.caveats,
            "first_steps": self.first_steps,
            "programs": self.programs,
            "guidance": self.guidance,
            "unknowns": self.unknowns,
            "tensions": self.tensions,  # added after the first version: last
        }


# ----------------------------------------------------------------------- the sets


def parse_assignment(text, errors):
    """``(path, value)`` from ``PATH=VALUE``; ``value`` is read as a YAML value, but
    for a text field (a name, the mission), whose value is the text as typed unless
    it is quoted: ``organization.mission=no`` means the word, and ``name=Yayasan:
    Harapan`` a name with a colon, not a mapping."""
    path, equals, value_text = str(text).partition("=")
    path = path.strip()
    if not equals or not path:
        raise CaseError(errors["source"], [errors["not_an_assignment"].format(text=_cut(text))])
    typed = value_text.strip()
    if _is_text_field(path) and typed and typed[0] not in "'\"":  # quoted: YAML unquotes
        return path, typed
    try:
        # The hardened reader of every YAML the program reads: dates stay text,
        # aliases, tags it cannot build and over-long numbers are refused.
        value = parse_yaml_text(value_text, "the value")
    except UnreadableYaml as refused:
        problem = "; ".join(refused.problems)
        message = errors["bad_value"].format(
            path=_cut(path), value=_cut(value_text), problem=problem
        )
        raise CaseError(errors["source"], [message]) from None
    if value is NOTHING:  # "path=" or only a comment: an empty value, as YAML reads it
        value = None
    return path, value


def _spec(path):
    """The field spec of ``path``, or ``None`` for a path that is no case field."""
    try:
        return spec_for(generic_path(path))
    except (KeyError, PathError):
        return None


def _is_text_field(path):
    spec = _spec(path)
    return spec is not None and spec.kind == "text"


def _cut(text):
    """A value as the user typed it, cut to one readable line in a message."""
    return cut_line(text, 60)


def apply_sets(case, assignments, lang="en", knowledge=None):
    """A new validated, normalized case: ``case`` with each ``(path, value)`` set.

    Raises ``CaseError`` (source ``--set``) naming a path that is not in the case
    format (with the field it probably meant), an item past the end of a list, or
    every problem the changed case has, in the words of ``validate_case``.
    """
    errors = _errors(knowledge, lang)
    data = copy.deepcopy(case)
    for path, value in assignments:
        container, key = _locate(data, path, errors)
        container[key] = typed_value(path, value)
    problems = validate_case(data)
    if problems:
        raise CaseError(errors["source"], problems)
    return normalize_case(data)


def typed_value(path, value):
    """``value`` (as YAML read it) as an answer to the field at ``path``: a text is
    read like a typed answer (``read_answer``: ``ya``, ``Gradual``, ``facilities,
    equipment``, ``tidak tahu``); anything else, a text field's text, a text that
    reads as no answer, or a path that is no field, is kept as it is."""
    if not isinstance(value, str):
        return value
    spec = _spec(path)
    if spec is None or spec.kind == "text":  # a text field keeps the words it is given
        return value
    answer = read_answer(spec, value)
    return value if answer is NOT_READ else answer


def _locate(data, path, errors):
    """The container and key that ``path`` names in ``data``, checked against the
    case schema; each problem is a ``CaseError`` with a clear message."""
    steps = _steps(path, errors)
    _check_position(path, steps, errors)
    node, value, where = case_schema(), data, ""
    container, key = None, None
    for position, (kind, step) in enumerate(steps):
        if kind == "key":
            node = _option(node, "object")
            if node is not None and value == UNKNOWN and container is not None:
                # A section the case leaves out (``memo``): its fields may be set.
                value = container[key] = {}
            if node is None or not isinstance(value, dict):
                raise _error(errors, "not_a_section", path=path, parent=where)
            properties = node.get("properties", {})
            if step not in properties:
                found = _unknown_field(steps, position, where, properties, errors)
                raise _error(errors, *found)
            container, key = value, step
            node, value = properties[step], value.get(step, UNKNOWN)
            where = f"{where}.{step}" if where else step
        else:
            array = _option(node, "array")
            if array is None:
                raise _error(errors, "not_a_list", path=path, parent=where)
            item = f"{where}[{step}]"
            items = value if isinstance(value, list) else []
            if step >= len(items):
                found = _past_the_end(path, where, item, len(items), errors["sections"])
                raise _error(errors, *found)
            container, key = items, step
            node, value, where = array.get("items", {}), items[step], item
    return container, key


def _steps(path, errors):
    """``stakeholders[0].impact`` -> ``[("key", "stakeholders"), ("index", 0),
    ("key", "impact")]``."""
    try:
        return path_steps(path, generic=False)
    except PathError:
        raise _error(errors, "bad_path", path=path) from None


def _check_position(path, steps, errors):
    """A field of a list item needs the item's position (``stakeholders.impact``)."""
    for position, (kind, step) in enumerate(steps[:-1]):
        if kind == "key" and step in LIST_SECTIONS and steps[position + 1][0] == "key":
            rest = ".".join(str(s) for _, s in steps[position + 1 :])
            raise _error(
                errors, "needs_position", path=path, parent=step, example=f"{step}[0].{rest}"
            )


def _option(node, kind):
    """The schema option of ``node`` of type ``kind`` (looking through ``anyOf``)."""
    for option in node.get("anyOf", [node]):
        if option.get("type") == kind:
            return option
    return None


def _unknown_field(steps, position, where, properties, errors):
    """The message for the unknown key at ``steps[position]``: the path with the
    field it probably meant, else the fields allowed there."""
    path = steps_text(steps)
    step = steps[position][1]
    close = difflib.get_close_matches(step, list(properties), n=1)
    if close:
        fixed = [*steps[:position], ("key", close[0]), *steps[position + 1 :]]
        return "unknown_field", {"path": path, "meant": steps_text(fixed)}
    guess = _closest_path(path)
    if guess:
        return "unknown_field", {"path": path, "meant": guess}
    return "unknown_field_no_guess", {
        "path": path,
        "where": where or errors["top_level"],
        "allowed": ", ".join(properties),
    }


def _closest_path(path):
    """The case path most like ``path`` (``funds_for_change`` -> ``funding.funds_for_change``),
    keeping the user's item positions."""
    given = generic_path(path)
    candidates = [spec.path for spec in field_specs()]
    close = difflib.get_close_matches(given, candidates, n=1, cutoff=0.7)
    if not close:  # the field's own name, given without its section (``pace``)
        names = {spec.name: spec.path for spec in reversed(field_specs())}
        name = difflib.get_close_matches(given.rpartition(".")[2], list(names), n=1, cutoff=0.8)
        close = [names[name[0]]] if name else []
    if not close:
        return None
    positions = iter(step for kind, step in path_steps(path) if kind == "index")
    return steps_text(
        [
            (kind, next(positions, 0) if kind == "index" else step)
            for kind, step in path_steps(close[0])
        ]
    )


def _past_the_end(path, where, item, count, sections):
    section = where.rpartition(".")[2] or where
    section = sections.get(section, section).lower()
    if count == 0:
        return "empty_list", {"path": path, "section": section, "item": item}
    if count == 1:
        return "past_the_only_one", {"path": path, "first": f"{where}[0]", "item": item}
    return "past_the_end", {
        "path": path,
        "count": count,
        "section": section,
        "first": f"{where}[0]",
        "last": f"{where}[{count - 1}]",
        "item": item,
    }


def _error(errors, name, values=None, **more):
    values = {**(values or {}), **more}
    if isinstance(values.get("path"), str):  # a path of thousands of characters
        values["path"] = _cut(values["path"])
    message = errors[name].format(**values)
    return CaseError(errors["source"], [message])


# ------------------------------------------------------------------------ running


def what_if(advisor, case, assignments, lang="en"):
    """The ``WhatIf`` of changing ``case`` (validated, normalized) by ``assignments``
    (``(path, value)`` pairs, or ``PATH=VALUE`` texts), run on one ``advisor``."""
    errors = _errors(advisor.knowledge, lang)
    pairs = [
        parse_assignment(item, errors) if isinstance(item, str) else tuple(item)
        for item in assignments
    ]
    # Two values for one field: which one the user meant cannot be told.
    seen = set()
    for path, _ in pairs:
        if path in seen:
            raise _error(errors, "set_twice", path=path)
        seen.add(path)
    changed_case = apply_sets(case, pairs, lang, advisor.knowledge)
    before = advisor.advise(case)
    after = advisor.advise(changed_case)
    return compare(before, after, _changes(case, changed_case, pairs))


def _changes(case, changed_case, pairs):
    """Each path set, with its value before and after (as normalized); an item of a
    list of values (``change.triggers[1]``) is told as its whole list."""
    seen = {}
    for given, _ in pairs:
        path = _field_path(given)
        seen[path] = {
            "path": path,
            "before": _value_at(case, path),
            "after": _value_at(changed_case, path),
        }
    return list(seen.values())


def _field_path(path):
    """The case path of the field ``path`` sets: itself, or for an item of a list of
    values (``change.triggers[1]``) the list's (``change.triggers``)."""
    steps = path_steps(path, generic=False)
    while steps[-1][0] == "index" and not _is_case_path(steps_text(steps)):
        steps = steps[:-1]
    return steps_text(steps)


def _is_case_path(path):
    try:
        CasePath.parse(path)
    except PathError:
        return False
    return True


def _value_at(case, path):
    return copy.deepcopy(CasePath.parse(path).get(case))


def compare(before, after, changes):
    """The ``WhatIf`` from two advices (``before`` as is, ``after`` changed)."""
    result = WhatIf(organization=after.organization, changes=changes, before=before, after=after)
    if before.lifecycle != after.lifecycle:
        result.lifecycle = {"before": before.lifecycle, "after": after.lifecycle}
    result.causes = _compare_causes(before, after)
    result.strategies = _compare_strategies(before, after)
    result.caveats = _compare_attached(before, after, "caveats")
    result.first_steps = _compare_attached(before, after, "first_steps")
    result.programs = _compare_programs(before, after)
    old_guidance = [g.id for g in before.guidance]
    new_guidance = [g.id for g in after.guidance]
    result.guidance = _added_dropped(old_guidance, new_guidance, "id")
    old_tensions = [t.id for t in before.tensions]
    new_tensions = [t.id for t in after.tensions]
    result.tensions = _added_dropped(old_tensions, new_tensions, "id")
    old_unknowns = [u.path for u in before.unknowns]
    new_unknowns = [u.path for u in after.unknowns]
    result.unknowns = _added_dropped(old_unknowns, new_unknowns, "path")
    return result


def _compare_causes(before, after):
    old = {c.id: c for c in before.causes}
    new = {c.id: c for c in after.causes}
    levels = ("weak", "moderate", "strong")
    found = []
    for cause_id in _union_in_order(new, old):
        was, now = old.get(cause_id), new.get(cause_id)
        gained = [e for e in now.evidence if e not in was.evidence] if was and now else []
        lost = [e for e in was.evidence if e not in now.evidence] if was and now else []
        if was is None:
            change = "appeared"
        elif now is None:
            change = "disappeared"
        elif was.strength != now.strength:
            up = levels.index(now.strength) > levels.index(was.strength)
            change = "stronger" if up else "weaker"
        elif gained or lost:
            change = "evidence"
        else:
            continue
        found.append(
            {
                "id": cause_id,
                "change": change,
                "before": was.strength if was else None,
                "after": now.strength if now else None,
                "evidence_gained": gained if was else list(now.evidence),
                "evidence_lost": lost if now else list(was.evidence),
            }
        )
    return found


def _compare_strategies(before, after):
    old = {s.id: s.rank for s in before.strategies}
    new = {s.id: s.rank for s in after.strategies}
    found = []
    for strategy in after.strategies:
        if strategy.id not in old:
            found.append(
                {"id": strategy.id, "change": "added", "before": None, "after": strategy.rank}
            )
        elif old[strategy.id] != strategy.rank:
            found.append(
                {
                    "id": strategy.id,
                    "change": "reranked",
                    "before": old[strategy.id],
                    "after": strategy.rank,
                }
            )
    for strategy in before.strategies:
        if strategy.id not in new:
            found.append(
                {"id": strategy.id, "change": "dropped", "before": strategy.rank, "after": None}
            )
    return found


def _compare_attached(before, after, attribute):
    """Caveats or first steps added or dropped on strategies recommended in both."""
    old = {s.id: getattr(s, attribute) for s in before.strategies}
    found = []
    for strategy in after.strategies:
        if strategy.id not in old:
            continue
        for item in _added_dropped(old[strategy.id], getattr(strategy, attribute), "id"):
            found.append({"strategy": strategy.id, **item})
    return found


def _compare_programs(before, after):
    old = {p.index: p.decision for p in before.programs}
    new = {p.index: p.decision for p in after.programs}
    old_names = _program_names(before.case)
    new_names = _program_names(after.case)
    found = []
    for index in sorted(set(old_names) | set(new_names)):
        was = old.get(index, "undecided") if index in old_names else None
        now = new.get(index, "undecided") if index in new_names else None
        if was != now:
            name = new_names.get(index, old_names.get(index))
            found.append({"index": index, "name": name, "before": was, "after": now})
    return found


def _program_names(case):
    programs = (case or {}).get("programs")
    if not isinstance(programs, list):
        return {}
    return {index: program["name"] for index, program in enumerate(programs)}


def _added_dropped(old, new, key):
    return [{key: item, "change": "added"} for item in new if item not in old] + [
        {key: item, "change": "dropped"} for item in old if item not in new
    ]


def _union_in_order(first, second):
    return list(dict.fromkeys([*first, *second]))


# ---------------------------------------------------------------------- rendering


def render_what_if(result, knowledge, fmt="text", lang="en"):
    """``result`` as ``text`` (in ``lang``) or ``json`` (the same in any language)."""
    if fmt == "json":
        return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    from perencana.engine.memo.templating import render_template

    text = render_template(TEMPLATE, whatif_view(result, knowledge, lang))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def whatif_view(result, knowledge, lang):
    """The plain view of ``result`` that ``templates/whatif.text.j2`` arranges: the
    changes made, then one section per kind of difference, each line
    ``{"text", "details"}``, in ``lang``."""
    now = FactReader(result.after, knowledge, lang)
    was = FactReader(result.before, knowledge, lang, now.labels)
    words = now.labels["whatif"]
    sections = [
        (words["lifecycle"], _lifecycle_lines(result, now, words)),
        (words["causes"], _cause_lines(result, now, was, words)),
        (words["strategies"], _strategy_lines(result, now, words)),
        (words["caveats"], _attached_lines(result.caveats, "caveat", knowledge, now, was, words)),
        (
            words["first_steps"],
            _attached_lines(result.first_steps, "step", knowledge, now, was, words),
        ),
        (words["programs"], _program_lines(result, now, words)),
        (words["tensions"], _tension_lines(result, now, words)),
        (words["guidance"], _guidance_lines(result, now, words)),
        (words["unknowns"], _unknown_lines(result, now, was, words)),
    ]
    nothing = [words["nothing_changes"]]
    if _about_items(result.changes):
        nothing.append(words["nothing_changes_items"])
    view = {
        "title": words["title"].format(organization=result.organization),
        "intro": words["intro"],
        "changes_heading": words["changes"],
        "changes": [_change_line(now, was, words, change) for change in result.changes],
        "changed": result.changed,
        "nothing_changes": " ".join(nothing),
        "sections": [{"heading": head, "lines": lines} for head, lines in sections if lines],
    }
    return _clean(view)


def _lifecycle_lines(result, reader, words):
    if not result.lifecycle:
        return []
    before, after = (_stage(reader, result.lifecycle[key]) for key in ("before", "after"))
    return [_line(words["stage_changed"].format(before=before, after=after))]


def _cause_lines(result, now, was, words):
    lines = []
    for item in result.causes:
        before, after = item["before"], item["after"]
        text = words[f"cause_{item['change']}"].format(
            cause=now.title("causes", item["id"]),
            strength=now.strength(after or before),
            before=now.strength(before) if before else "",
            after=now.strength(after) if after else "",
        )
        if item["change"] == "appeared":
            details = [f"{words['reasons_now']}:"]
            details += [_readable(now, e) for e in item["evidence_gained"]]
        elif item["change"] == "disappeared":
            # The facts that were its reasons, which may still hold in the case.
            details = [f"{words['reasons_before']}:"]
            details += [_readable(was, e) for e in item["evidence_lost"]]
        else:
            details = [
                f"{words['evidence_lost']}: {_readable(was, e)}" for e in item["evidence_lost"]
            ]
            details += [
                f"{words['evidence_gained']}: {_readable(now, e)}" for e in item["evidence_gained"]
            ]
        lines.append(_line(text, details))
    return lines


def _strategy_lines(result, reader, words):
    return [
        _line(
            words[f"strategy_{item['change']}"].format(
                strategy=reader.title("strategies", item["id"]),
                rank=item["after"] or item["before"],
                before=item["before"],
                after=item["after"],
            )
        )
        for item in result.strategies
    ]


def _attached_lines(items, kind, knowledge, now, was, words):
    """Caveats (``kind`` ``caveat``) or first steps (``step``) added or dropped, each
    worded true to the case that has it (the changed case, or for one dropped, the
    case as it was)."""
    table = knowledge.caveats if kind == "caveat" else knowledge.steps
    lines = []
    for item in items:
        reader = was if item["change"] == "dropped" else now
        text = reader.case_text(table[item["id"]])
        lines.append(
            _line(
                words[f"{kind}_{item['change']}"].format(
                    strategy=reader.title("strategies", item["strategy"]), **{kind: text}
                )
            )
        )
    return lines


def _program_lines(result, reader, words):
    return [
        _line(
            words["program_changed"].format(
                program=item["name"],
                before=_decision(reader, words, item["before"]),
                after=_decision(reader, words, item["after"]),
            )
        )
        for item in result.programs
    ]


def _about_items(changes):
    """Whether a change is to the stakeholders or programs, which the memo's action
    plan and stakeholder map name whatever the advice."""
    return any(generic_path(c["path"]).split("[")[0] in LIST_SECTIONS for c in changes)


def _tension_lines(result, reader, words):
    return [
        _line(
            words[f"tension_{item['change']}"].format(tension=reader.title("tensions", item["id"]))
        )
        for item in result.tensions
    ]


def _guidance_lines(result, reader, words):
    return [
        _line(
            words[f"guidance_{item['change']}"].format(
                guidance=reader.title("guidance", item["id"])
            )
        )
        for item in result.guidance
    ]


def _unknown_lines(result, now, was, words):
    lines = []
    for item in result.unknowns:
        reader = now if item["change"] == "added" else was
        label = _item_label(reader, item["path"], reader.field_label(item["path"]))
        text = words[f"unknown_{item['change']}"].format(field=label, path=item["path"])
        lines.append(_line(text))
    return lines


def _item_label(reader, path, label):
    """``label`` with the name of the stakeholder or program ``path`` is about."""
    place = CasePath.parse(path)
    if not place.in_item or place.name is None:
        return label
    name = reader.item_name(place.section, place.index)
    return f"{label} ({name})" if name else label


def _line(text, details=()):
    return {"text": text, "details": list(details)}


def _readable(reader, description):
    line = reader.line(description)
    return f"{line['text']} ({line['ref']})" if line["ref"] else line["text"]


def _stage(reader, stage):
    if stage == UNKNOWN:
        return reader.terms["unknown"]
    return reader.title("lifecycle", stage)


def _decision(reader, words, decision):
    if decision is None:
        return words["program_not_listed"]
    if decision == "undecided":
        return reader.terms["undecided"]
    return reader.decision(decision)


def _change_line(reader, old_reader, words, change):
    path = change["path"]
    label = _path_label(reader, old_reader, words, path)
    field_name = f"{label} ({path})" if label != path else path
    if change["before"] == change["after"]:
        from perencana.engine.view.conditions import mid_sentence

        before = mid_sentence(_shown(old_reader, words, path, change["before"]))
        return _line(words["same_line"].format(field=field_name, before=before))
    return _line(
        words["change_line"].format(
            field=field_name,
            before=_shown(old_reader, words, path, change["before"]),
            after=_shown(reader, words, path, change["after"]),
        )
    )


def _path_label(reader, old_reader, words, path):
    """A readable name for a set path: the field's label, with the item's name; a
    whole list item is named by its section and position."""
    place = CasePath.parse(path)
    if place.in_item and place.name is None:
        section, number = place.section, place.index + 1
        listed = reader.labels["list_sections"].get(section, section)
        return f"{listed}, {words['item'].format(number=number)}"
    label = reader.field_label(path)
    if label == path:
        return path
    named = _item_label(reader, path, label)
    return named if named != label else _item_label(old_reader, path, label)


def _shown(reader, words, path, value):
    """A value as a planner reads it: labelled from fields.yaml where it can be."""
    if isinstance(value, list):
        if not value:
            return words["empty_list"]
        if all(isinstance(item, str) for item in value):
            return ", ".join(reader.value_label(path, item) for item in value)
    if isinstance(value, (list, dict)):
        # One line (the text is wrapped later): YAML's own breaks left runs of spaces.
        return yaml.safe_dump(
            value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=2**31 - 1
        ).strip()
    return reader.value_label(path, value)


def _errors(knowledge, lang):
    """The error wording in ``lang``, with the names of the list sections."""
    labels = _labels(knowledge, lang)
    return {**labels["whatif_errors"], "sections": labels["list_sections"]}


def _labels(knowledge, lang):
    from perencana.knowledge import load_knowledge

    return FactReader(None, knowledge or load_knowledge(), lang).labels


def _clean(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value
