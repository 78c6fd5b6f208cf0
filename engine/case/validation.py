"""Checks a case against ``case_schema.json`` and fills in what it leaves out.

Nothing here is written field by field: this module interprets the JSON Schema (the
subset that ``case_schema.json`` uses), so the schema printed by ``perencana schema``
is the one enforced, and a field added to the schema is checked, described in
messages and normalized without touching this file.

Each problem is a ``Problem``: the ``path`` at fault, a ``code`` saying what is wrong
and the ``values`` its message is made of. A ``Problem`` is also its message (a
``str``), of the form ``path: problem; what is allowed``, where ``path`` is the
dotted field path with list items as ``stakeholders[1].impact`` (counted from 0, as
in the rest of perencana) and the value is shown as the user wrote it. Code that
needs to know what a problem is about reads ``path`` and ``code``, never the words.

After the schema, a few checks that JSON Schema cannot say hold fields against each
other (``AT_MOST``: ``organization.years_to_current_state`` is never more than
``organization.age_years``); they run only on fields the schema found nothing wrong
with, and only when both are answered (``unknown`` leaves nothing to compare).
"""

from functools import lru_cache

from perencana.engine.case.schema import load_schema
from perencana.engine.case.vocabulary import UNKNOWN, CasePath, generic_path

ROOT_LABEL = "top level"

# The keywords this module interprets; anything else in the schema is refused (at
# first use) rather than silently ignored, which would let the schema and the
# validator disagree.
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})
_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "enum",
        "const",
        "anyOf",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "items",
        "maxItems",
        "uniqueItems",
        "not",
    }
)
# Whole-number fields that may not be more than another field of the same case: the
# field -> (the field that limits it, why, as the end of the message). Checked once
# both are whole numbers the schema allows; a field's path is generic for list items.
AT_MOST = {
    "organization.years_to_current_state": (
        "organization.age_years",
        "the years to reach the present state cannot exceed the organization's age",
    ),
}

_CONTAINER_TYPES = ("object", "array")
_HUGE = 10**30
# Keywords that this module applies only under the type they belong to.
_TYPED_KEYWORDS = {
    "properties": "object",
    "required": "object",
    "additionalProperties": "object",
    "items": "array",
    "maxItems": "array",
    "uniqueItems": "array",
    "maxLength": "string",
}


def _is_integer(value):
    # JSON Schema counts 3.0 as an integer, and bool is never a number.
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPE_CHECKS = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": lambda value: isinstance(value, (int, float)) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


# -------------------------------------------------------------------------- problems

# Every code a Problem may have, and what its ``values`` hold.
CODES = {
    "missing": "a required field is left out (allowed: what it takes)",
    "unknown-field": "a key the schema does not have (meant: the field it probably "
    "meant, or allowed: the fields allowed there)",
    "not-allowed": "a value of the right type that no option allows (value: as given; "
    "allowed: what is; meant: the listed answer a misspelt one probably meant)",
    "not-a-list": "one value where a list of them is asked for, which the list would "
    "take (value: as given)",
    "refused": "a value of the right type that the field refuses: 'unknown' for a "
    "required field (value: as given; allowed: what is)",
    "type": "a value of a type no option takes, such as text for a number (value, allowed; "
    "quote: a number or yes/no that YAML read where text belongs)",
    "too-long": "a text longer than allowed (value, length, longest)",
    "too-many": "a list with more items than allowed (count, what, most)",
    "duplicate": "a value listed twice where each is listed once (value)",
    "inconsistent": "a value that contradicts another field of the case (value: as "
    "given; other: the other field's path; other_value: its value; see AT_MOST)",
}


class Problem(str):
    """One problem of a case: ``path`` (the dotted path at fault, ``''`` for the top
    level), ``code`` (one of ``CODES``) and ``values`` (a dict). The problem is also
    its message, made from these in one place (``_message``), so it can be shown,
    joined and compared like the text it is."""

    __slots__ = ("path", "code", "values")

    def __new__(cls, path, code, **values):
        if code not in CODES:
            raise ValueError(f"no problem code {code!r}")
        problem = super().__new__(cls, _message(path, code, values))
        problem.path, problem.code, problem.values = path, code, values
        return problem

    @property
    def message(self):
        return str.__str__(self)

    def at(self, path):
        """The same problem, told about ``path`` instead (a field checked on its own
        in a probe case, told where the user gave it)."""
        return Problem(path, self.code, **self.values)

    def about(self, path):
        """Whether the problem is about ``path`` or a field or item inside it."""
        return self.path == path or self.path.startswith((f"{path}.", f"{path}["))

    def __repr__(self):
        return f"Problem({self.path!r}, {self.code!r}, {self.values!r})"

    def __reduce__(self):
        return (_problem, (self.path, self.code, self.values))


def _problem(path, code, values):
    return Problem(path, code, **values)


def _message(path, code, values):
    """The words of a problem: the one place a problem becomes text."""
    where = _label(path)
    if code == "missing":
        return f"{where}: missing; it is required ({values['allowed']})"
    if code == "unknown-field":
        if values.get("meant") is not None:
            return f"{where}: unknown field; did you mean '{values['meant']}'?"
        return f"{where}: unknown field; allowed here: {', '.join(values['allowed'])}"
    if code == "too-long":
        return (
            f"{where}: {show_value(values['value'])} is too long "
            f"({values['length']:,} characters); "
            f"keep it to {values['longest']:,} characters or fewer"
        )
    if code == "refused":
        return (
            f"{where}: {show_value(values['value'])} is not an answer to a required "
            f"field; use {values['allowed']}"
        )
    if code == "not-a-list":
        value = values["value"]
        if isinstance(value, dict):
            return f"{where}: a mapping is one item; write a list, with '- ' before each item"
        item = value if isinstance(value, str) else show_value(value)
        return f"{where}: {show_value(value)} is one value; write it as a list: [{item}]"
    if code in ("not-allowed", "type"):
        here = " here" if isinstance(values["value"], (list, dict)) else ""
        quote = "; to keep it text, put it in quotes" if values.get("quote") else ""
        meant = f" (did you mean {values['meant']!r}?)" if values.get("meant") else ""
        return (
            f"{where}: {show_value(values['value'])} is not allowed{here}{meant}; "
            f"use {values['allowed']}{quote}"
        )
    if code == "too-many":
        return (
            f"{where}: {values['count']:,} {values['what']} are too many; "
            f"list at most {values['most']:,}"
        )
    if code == "inconsistent":
        _, reason = AT_MOST[generic_path(path)]
        return (
            f"{where}: {show_value(values['value'])} is more than {values['other']} "
            f"({show_value(values['other_value'])}); {reason}"
        )
    # duplicate
    return f"{where}: {show_value(values['value'])} is listed more than once; list each value once"


# --------------------------------------------------------------------------- public


def validate_case(data):
    """Every problem of ``data`` (a parsed case) against the case schema, one
    ``Problem`` each, in the order of the schema (and of list items), then those of
    fields held against each other (``consistency_problems``); empty when it is
    valid."""
    problems = _check(data, case_schema(), "", "")
    return problems + consistency_problems(data, problems)


def consistency_problems(data, problems=()):
    """The problems of fields of ``data`` (a case, or a partial one) held against
    each other (``AT_MOST``), one ``inconsistent`` Problem each, about the field that
    is too large. A pair is compared only when both are whole numbers and none of
    ``problems`` (the schema's) is about either: a value the schema refuses is told
    once, by the schema."""
    found = []
    for path, (other, _reason) in AT_MOST.items():
        value, limit = CasePath.parse(path).get(data), CasePath.parse(other).get(data)
        if not (_is_integer(value) and _is_integer(limit)) or value <= limit:
            continue
        if any(problem.about(path) or problem.about(other) for problem in problems):
            continue
        found.append(Problem(path, "inconsistent", value=value, other=other, other_value=limit))
    return found


def normalize_case(data):
    """A new case with every schema property present, keys in schema order.

    ``data`` must be valid (see ``validate_case``). Missing optional fields become
    ``'unknown'``, missing sections a mapping of such fields, missing lists
    ``'unknown'``; lists of allowed values are put in the schema's order, and whole
    numbers written as ``3.0`` become ``3``, so equal cases give equal output.
    """
    return _normalize(data, case_schema())


def validated_case(data):
    """``(problems, case)``: the problems ``validate_case`` finds in ``data`` and, when
    there are none, the case ``normalize_case`` makes of it (else None).

    A valid case is checked and normalized in one pass (``_normal``), which gives up
    at the first thing wrong; then the two passes above say what it is, as ever.
    ``tests/test_validation_fast.py`` holds the two ways to the same answers.
    """
    try:
        case = _normal(data, case_schema())
    except _NotValid:
        case = None
    if case is None or consistency_problems(data):
        return validate_case(data), None
    return [], case


def join_path(parent, key):
    """The path of field ``key`` inside ``parent`` (``''`` is the top level)."""
    name = _key_text(key)
    return f"{parent}.{name}" if parent else name


def item_path(parent, index):
    """The path of item ``index`` of the list at ``parent``."""
    return f"{parent}[{index}]"


def show_value(value):
    """A value as the user wrote it, on one line: ``'nothing'``, ``-3``, ``a list``."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= _HUGE:
        return "a number of more than 30 digits"  # str() of a huge int is slow or refused
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = value if isinstance(value, str) else str(value)
    if len(text) > 60:  # keep each message on one readable line
        text = text[:57] + "..."
    return repr(text)


@lru_cache(maxsize=1)
def case_schema():
    """The case schema, after checking that it uses only what this module interprets."""
    schema = load_schema()
    _check_subset(schema, "#")
    return schema


# ------------------------------------------------------------------------ checking


def _check(value, node, path, name):
    """The problems of ``value`` at ``path`` against schema ``node`` (``name`` is the
    field's own key, used to word "a list of stakeholders")."""
    if "anyOf" in node:
        return _check_any_of(value, node, path, name)
    if not _fits(value, node):
        return [_not_allowed(value, node, path, name)]
    if node.get("type") == "object":
        return _check_object(value, node, path)
    if node.get("type") == "array":
        return _check_array(value, node, path, name)
    return []


def _fits(value, node):
    """Whether ``value`` passes the keywords that judge a value as a whole."""
    kind = node.get("type")
    if kind is not None and not _TYPE_CHECKS[kind](value):
        return False
    if "const" in node and not _same(value, node["const"]):
        return False
    if "enum" in node and not any(_same(value, option) for option in node["enum"]):
        return False
    if "minimum" in node and _TYPE_CHECKS["number"](value) and value < node["minimum"]:
        return False
    if "maximum" in node and _TYPE_CHECKS["number"](value) and value > node["maximum"]:
        return False
    if "maxLength" in node and isinstance(value, str) and len(value) > node["maxLength"]:
        return False
    if "minLength" in node and isinstance(value, str) and len(value) < node["minLength"]:
        return False
    # "not": a value the field refuses though its type takes it ('unknown' for a
    # required name: the case format lets only the fields not required be unknown).
    return not ("not" in node and not _check(value, node["not"], "", ""))


def _check_any_of(value, node, path, name):
    """No problem if one option fits. Otherwise, when the value has the shape of a
    list or mapping option, that option's own problems (``stakeholders[2].impact``)
    say more than "not allowed"; for anything else one message lists every option."""
    options = node["anyOf"]
    if any(not _check(value, option, path, name) for option in options):
        return []
    for option in options:
        kind = option.get("type")
        if kind in _CONTAINER_TYPES and _TYPE_CHECKS[kind](value):
            return _check(value, option, path, name)
    return [_not_allowed(value, node, path, name)]


def _check_object(value, node, path):
    """Each property in schema order; an unknown key is reported just before the
    field it probably meant, or after all fields when it resembles none."""
    properties = node.get("properties", {})
    required = node.get("required", ())
    closed = node.get("additionalProperties", True) is False
    unknown = [key for key in value if key not in properties] if closed else []
    meant = {key: _closest(key, properties, value) for key in unknown}
    # A required key that ``properties`` does not describe may hold any value.
    fields = {**properties, **{key: {} for key in required if key not in properties}}
    problems = []
    for key, child in fields.items():
        problems += [_unknown_field(path, extra, key) for extra in unknown if meant[extra] == key]
        problems += _check_property(value, key, child, path, key in required)
    problems += [
        _unknown_field(path, extra, None, properties) for extra in unknown if meant[extra] is None
    ]
    return problems


def _check_property(mapping, key, child, path, required):
    """The problems of one field of a mapping, given or left out."""
    child_path = join_path(path, key)
    if key in mapping:
        return _check(mapping[key], child, child_path, key)
    return [_missing(child_path, child, key)] if required else []


def _check_array(value, node, path, name):
    if len(value) > node.get("maxItems", len(value)):
        # One message, not one per item: the items are not read.
        return [_too_many(value, node, path, name)]
    problems = []
    if "items" in node:
        for index, item in enumerate(value):
            problems += _check(item, node["items"], item_path(path, index), name)
    if node.get("uniqueItems"):
        problems += _duplicates(value, path)
    return problems


def _duplicates(values, path):
    """One message per value listed more than once (hashing keeps a long list fast)."""
    seen, reported, problems = set(), set(), []
    for value in values:
        key = _canonical(value)
        if key in seen and key not in reported:
            reported.add(key)
            problems.append(Problem(path, "duplicate", value=value))
        seen.add(key)
    return problems


def _closest(key, properties, given):
    """The field a misspelled ``key`` probably meant: a close match among the fields
    not given yet (one already given was not what the user was reaching for)."""
    candidates = [name for name in properties if name not in given]
    text = key if isinstance(key, str) else _key_text(key)
    import difflib  # only when a case has a mistake to suggest a fix for

    matches = difflib.get_close_matches(text, candidates, n=1)
    return matches[0] if matches else None


# ------------------------------------------------------------------------ messages


def _not_allowed(value, node, path, name):
    longest = _longest_text(node)
    if isinstance(value, str) and len(value) > longest:
        return Problem(path, "too-long", value=value, length=len(value), longest=longest)
    if _one_item_of_a_list(value, node):
        return Problem(path, "not-a-list", value=value)
    if "not" in node and not _check(value, node["not"], "", ""):
        return Problem(path, "refused", value=value, allowed=_allowed(node, name))
    code = "type" if _wrong_type(value, node) else "not-allowed"
    if code == "type" and _read_as_not_text(value, node):
        return Problem(path, code, value=value, allowed=_allowed(node, name), quote=True)
    meant = _closest_choice(value, node)
    if meant is not None:
        return Problem(path, code, value=value, allowed=_allowed(node, name), meant=meant)
    return Problem(path, code, value=value, allowed=_allowed(node, name))


def _closest_choice(value, node):
    """The listed answer a misspelt text answer probably meant (``goverment``), if
    one is close enough; case aside first (``Government``)."""
    if not isinstance(value, str):
        return None
    choices = [
        choice
        for option in node.get("anyOf", [node])
        for choice in option.get("enum", [option["const"]] if "const" in option else [])
        if isinstance(choice, str)
    ]
    folded = {choice.casefold(): choice for choice in choices}
    if value.casefold() in folded:
        return folded[value.casefold()]
    import difflib  # only when a case has a mistake to suggest a fix for

    matches = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.75)
    return folded[matches[0]] if matches else None


def _read_as_not_text(value, node):
    """Whether YAML read as a number or a yes/no what a text field was given (a name
    ``2024``, a mission ``no``): quotes would keep it text."""
    takes_text = any(option.get("type") == "string" for option in node.get("anyOf", [node]))
    return takes_text and isinstance(value, (bool, int, float))


def _one_item_of_a_list(value, node):
    """Whether ``value``, not a list, is what a list option of ``node`` would take
    as an item (``triggers: policy-change`` for ``[policy-change]``), or a mapping
    where the items are mappings (one stakeholder without its ``-``)."""
    if isinstance(value, list):
        return False
    for option in node.get("anyOf", [node]):
        if option.get("type") != "array":
            continue
        items = option.get("items", {})
        if isinstance(value, dict):
            if items.get("type") == "object":
                return True
        elif not _check(value, items, "", ""):
            return True
    return False


def _wrong_type(value, node):
    """Whether no option of ``node`` takes a value of ``value``'s JSON type."""
    kind = _canonical(value)[0]
    for option in node.get("anyOf", [node]):
        if "type" in option:
            if _TYPE_CHECKS[option["type"]](value):
                return False
        elif "const" in option or "enum" in option:
            listed = [option["const"]] if "const" in option else option["enum"]
            if any(_canonical(choice)[0] == kind for choice in listed):
                return False
        else:
            return False  # an option that takes any value
    return True


def _too_many(value, node, path, name):
    most = node["maxItems"]
    what = name if name and node.get("items", {}).get("type") == "object" else "items"
    return Problem(path, "too-many", count=len(value), what=what, most=most)


def _longest_text(node):
    """The most characters any text option of ``node`` allows (infinite when none
    limits it, or when the node takes no text at all)."""
    options = node.get("anyOf", [node])
    limits = [
        option.get("maxLength", _HUGE) for option in options if option.get("type") == "string"
    ]
    return max(limits) if limits else _HUGE


def _missing(path, node, name):
    return Problem(path, "missing", allowed=_allowed(node, name))


def _unknown_field(path, key, meant, properties=None):
    where = join_path(path, key)
    if meant is not None:
        return Problem(where, "unknown-field", key=key, meant=meant)
    return Problem(where, "unknown-field", key=key, meant=None, allowed=tuple(properties))


def _label(path):
    return path or ROOT_LABEL


def _allowed(node, name):
    """What ``node`` allows, in words taken from the node itself."""
    if "anyOf" in node:
        return _alternatives([_allowed(option, name) for option in node["anyOf"]])
    if "const" in node:
        return show_value(node["const"])
    if "enum" in node:
        return "one of: " + ", ".join(_plain(option) for option in node["enum"])
    kind = node.get("type")
    if kind == "string":
        return _text_phrase(node.get("minLength", 0))
    if kind in ("integer", "number"):
        noun = "a whole number" if kind == "integer" else "a number"
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"{noun} from {low} to {high}"
        if high is not None:
            return f"{noun} {high} or less"
        return f"{noun} {low} or more" if low is not None else noun
    if kind == "array":
        return _list_phrase(node.get("items", {}), name)
    return {
        "boolean": "true or false",
        "object": "a mapping of fields",
        "null": "an empty value",
    }.get(kind, "a value")


def _text_phrase(min_length):
    if min_length <= 0:
        return "text"
    if min_length == 1:
        return "non-empty text"
    return f"text of at least {min_length} characters"


def _list_phrase(items, name):
    if "enum" in items:
        return "a list of values from: " + ", ".join(_plain(option) for option in items["enum"])
    if items.get("type") == "object":
        return f"a list of {name}" if name else "a list of mappings"
    return "a list"


def _alternatives(phrases):
    """``a, or b``; with ``;`` when a phrase has commas of its own, to stay unambiguous."""
    if len(phrases) == 1:
        return phrases[0]
    separator = "; " if any("," in phrase for phrase in phrases) else ", "
    return separator.join(phrases[:-1]) + separator + "or " + phrases[-1]


def _plain(option):
    """An allowed value in a list of choices: strings bare, others as in YAML."""
    return option if isinstance(option, str) else show_value(option)


def _key_text(key):
    """A mapping key as YAML writes it (``true``, ``null``), for paths; a key with a
    line break or another invisible character, or a very long one, is quoted and
    shortened like a value, so that every message stays one readable line."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return show_value(key)
    text = str(key)
    if text.isprintable() and len(text) <= 60:
        return text
    return show_value(text)


# --------------------------------------------------------------------- normalizing


def _normalize(value, node):
    node = _matching_option(value, node)
    kind = node.get("type")
    if kind == "object" and isinstance(value, dict):
        return _normalize_object(value, node)
    if kind == "array" and isinstance(value, list):
        return _normalize_array(value, node)
    if kind == "integer" and isinstance(value, float):
        return int(value)
    return value


# Sections a case leaves out stay out of the normalized case: the memo's own details
# (title, date, ...) describe the memo, not the organization, and no rule reads them.
_NOT_FILLED = frozenset({"memo"})


def _normalize_object(value, node):
    return _filled(value, node.get("properties", {}), _normalize)


def _filled(value, properties, normal):
    """The object ``value`` with each described field made ``normal`` and each left
    out filled in; keys the schema does not describe (only there when it allows
    them) as they are."""
    result = {
        key: normal(value[key], child) if key in value else _default(child)
        for key, child in properties.items()
        if key in value or key not in _NOT_FILLED
    }
    result.update({key: item for key, item in value.items() if key not in properties})
    return result


def _normalize_array(value, node):
    items = node.get("items", {})
    return _in_schema_order([_normalize(item, items) for item in value], items)


def _in_schema_order(result, items):
    """A list of choices (``items`` has an ``enum``) in the schema's order, which makes
    the output stable; any other list as it is."""
    if "enum" in items:
        order = {option: index for index, option in enumerate(items["enum"])}
        result.sort(key=lambda item: order.get(item, len(order)))
    return result


def _matching_option(value, node):
    """The ``anyOf`` option that ``value`` satisfies (``node`` itself when none)."""
    for option in node.get("anyOf", ()):
        if not _check(value, option, "", ""):
            return option
    return node


def _default(node):
    """What a field left out becomes: a section, its fields; anything else, unknown."""
    if node.get("type") == "object":
        return {key: _default(child) for key, child in node.get("properties", {}).items()}
    return UNKNOWN


# ------------------------------------------------- checking and normalizing at once


class _NotValid(Exception):
    """``_normal`` met something ``_check`` would report."""


def _normal(value, node):
    """``_normalize(value, node)`` if ``_check(value, node, ...)`` finds no problem;
    raises ``_NotValid`` where it would find one. The same rules as those two, in
    one walk: an ``anyOf`` takes its first option that fits, as ``_matching_option``."""
    if "anyOf" in node:
        for option in node["anyOf"]:
            try:
                normal = _normal(value, option)
            except _NotValid:
                continue
            # ``_normalize`` goes one option deep: an option that is itself an
            # ``anyOf`` (no type of its own) leaves the value as it is.
            return value if "anyOf" in option else normal
        raise _NotValid
    if not _fits(value, node):
        raise _NotValid
    kind = node.get("type")
    if kind == "object":
        return _normal_object(value, node)
    if kind == "array":
        return _normal_array(value, node)
    if kind == "integer" and isinstance(value, float):
        return int(value)
    return value


def _normal_object(value, node):
    properties = node.get("properties", {})
    if node.get("additionalProperties", True) is False and any(
        key not in properties for key in value
    ):
        raise _NotValid  # an unknown field
    if any(key not in value for key in node.get("required", ())):
        raise _NotValid  # a missing field
    return _filled(value, properties, _normal)


def _normal_array(value, node):
    if len(value) > node.get("maxItems", len(value)):
        raise _NotValid
    items = node.get("items")
    result = list(value) if items is None else [_normal(item, items) for item in value]
    if node.get("uniqueItems") and len({_canonical(item) for item in value}) < len(value):
        raise _NotValid  # a value listed twice
    return result if items is None else _in_schema_order(result, items)


# ------------------------------------------------------------------------- helpers


def _same(left, right):
    """JSON equality: ``true`` is not ``1``, but ``1`` is ``1.0``."""
    return _canonical(left) == _canonical(right)


def _canonical(value):
    """A hashable stand-in for a JSON value under JSON equality."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, list):
        return ("array", tuple(_canonical(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, _canonical(item)) for key, item in value.items()))
    if value is None or isinstance(value, str):
        return (type(value).__name__, value)
    return ("other", repr(value))


def _check_subset(node, where):
    """Refuse a schema keyword this module would not enforce (a developer's error)."""
    if not isinstance(node, dict):
        raise ValueError(f"case_schema.json: {where} is not a schema object")
    unsupported = set(node) - _KEYWORDS - _ANNOTATIONS
    if unsupported:
        raise ValueError(
            f"case_schema.json: {where} uses {sorted(unsupported)}, "
            "which engine/validation.py does not interpret"
        )
    if "type" in node and node["type"] not in _TYPE_CHECKS:
        raise ValueError(f"case_schema.json: {where} has an unsupported type {node['type']!r}")
    if not isinstance(node.get("additionalProperties", False), bool):
        raise ValueError(f"case_schema.json: {where}: additionalProperties must be true or false")
    for keyword, kind in _TYPED_KEYWORDS.items():
        if keyword in node and node.get("type") != kind:
            raise ValueError(f"case_schema.json: {where}: {keyword} needs type {kind!r}")
    if "anyOf" in node and not node["anyOf"]:
        raise ValueError(f"case_schema.json: {where}: anyOf needs at least one option")
    if "anyOf" in node and set(node) - _ANNOTATIONS - {"anyOf"}:
        raise ValueError(f"case_schema.json: {where}: anyOf must stand alone")
    if "not" in node:
        _check_subset(node["not"], f"{where}/not")
    for key, child in node.get("properties", {}).items():
        _check_subset(child, f"{where}/properties/{key}")
    for index, option in enumerate(node.get("anyOf", ())):
        _check_subset(option, f"{where}/anyOf/{index}")
    if "items" in node:
        _check_subset(node["items"], f"{where}/items")
