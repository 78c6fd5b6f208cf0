"""The case vocabulary: the words every part of perencana reads a case with.

One owner for what the interview, the batch tables, what-if, the unknown-answer
checks, the advisor and the views would otherwise each work out again:

- ``CasePath``: a place in a case (``stakeholders[0].impact``, ``change.pace``,
  ``programs``), parsed once, shown as the same text, made generic
  (``stakeholders[].impact``), read from and written into a case;
- ``UNKNOWN``, ``LIST_SECTIONS`` and the fact kind each list's items become;
- ``LANGUAGES``, the languages of every text perencana writes;
- ``read_answer``: the typed reading of one typed answer (an interview answer, a CSV
  cell, the value of ``--set``);
- ``performance``: a program's performance, derived from two of its answers.

This module imports nothing else of perencana: the schema, the validator and every
layer above read it.
"""

import re
from functools import lru_cache
from operator import attrgetter

UNKNOWN = "unknown"
LANGUAGES = ("en", "id")

# The case's lists, and the fact kind (a class of ``engine.reasoning.facts``, named
# here because this layer may not import the reasoning) each of their items becomes.
ITEM_FACTS = {"stakeholders": "Stakeholder", "programs": "Program"}
LIST_SECTIONS = tuple(ITEM_FACTS)

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_SEGMENT = re.compile(rf"^(?P<key>{_KEY})(?P<indices>(?:\[\d*\])*)$")
_INDEX = re.compile(r"\[(\d*)\]")


class PathError(ValueError):
    """Raised by ``CasePath.parse`` for a text that is no case path; ``code`` says
    what is wrong (``bad-path``: not ``name[index].name``; ``too-deep``: more than a
    section, one item position and a field) and ``path`` is the text."""

    def __init__(self, path, code):
        self.path = path
        self.code = code
        super().__init__(f"{path!r} is not a case path ({code})")


# No list of a case holds a billion items (the schema allows 500): a longer index is
# no position of a case, and Python refuses to read one of over 4300 digits.
MOST_INDEX_DIGITS = 9


def path_steps(text, generic=True):
    """The steps of any dotted path, deeper than the case's if need be:
    ``stakeholders[0].impact`` -> ``[("key", "stakeholders"), ("index", 0),
    ("key", "impact")]`` (a generic ``[]`` is the index ``None``, refused unless
    ``generic``). Raises ``PathError`` (``bad-path``) when a segment is not ``name``
    or ``name[n]``."""
    steps = []
    for segment in str(text).split("."):
        match = _SEGMENT.match(segment)
        if not match:
            raise PathError(text, "bad-path")
        steps.append(("key", match["key"]))
        for number in _INDEX.findall(match["indices"]):
            if not number and not generic or len(number) > MOST_INDEX_DIGITS:
                raise PathError(text, "bad-path")
            steps.append(("index", int(number) if number else None))
    return steps


def steps_text(steps):
    """The text of ``steps`` (as ``path_steps`` gives them)."""
    text = ""
    for kind, step in steps:
        if kind == "index":
            text += f"[{'' if step is None else step}]"
        else:
            text += f".{step}" if text else step
    return text


_set = object.__setattr__  # the fields of the immutable classes below, set once


class _Frozen:
    """Immutable and hashable, equal field by field (``__slots__``, in order), copied
    and pickled by making it anew, as a frozen dataclass: the engine's
    ``records.Frozen``, written again here because this module imports nothing."""

    __slots__ = ()

    def __init_subclass__(cls, **options):
        super().__init_subclass__(**options)
        cls._values = attrgetter(*cls.__slots__)  # the fields as one tuple, at C speed

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values(self) == other._values(other)
        return NotImplemented

    def __hash__(self):
        return hash(self._values(self))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self):
        return (type(self), self._values(self))

    def __repr__(self):
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({shown})"


class CasePath(_Frozen):
    """A place in a case: a ``section`` (``change``, ``programs``), for a list an item
    (``listed``, at ``index``; ``None`` in a generic path) and a field ``name``.

    ``str()`` gives back the text it was parsed from (``programs[2].viable``,
    ``programs[].viable``, ``change.pace``, ``programs``).

    Immutable and hashable, equal by its four fields, as the frozen dataclass it was;
    written by hand because making the dataclass at import cost every command about
    a millisecond.
    """

    __slots__ = ("section", "index", "name", "listed")

    def __init__(self, section, index=None, name=None, listed=False):
        _set(self, "section", section)
        _set(self, "index", index)
        _set(self, "name", name)
        _set(self, "listed", listed)

    @classmethod
    def parse(cls, text):
        """The ``CasePath`` of ``text``; ``PathError`` when it is none."""
        return _parse(str(text))

    @classmethod
    def _parse_text(cls, text):
        steps = path_steps(text)
        section = steps[0][1]
        rest = steps[1:]
        listed, index = False, None
        if rest and rest[0][0] == "index":
            listed, index = True, rest[0][1]
            rest = rest[1:]
        if len(rest) > 1 or (rest and rest[0][0] != "key"):
            raise PathError(text, "too-deep")
        return cls(section, index, rest[0][1] if rest else None, listed)

    @classmethod
    def item(cls, section, index, name=None):
        """The path of a list item's field (or of the item itself)."""
        return cls(section, index, name, True)

    def __str__(self):
        text = self.section
        if self.listed:
            text += f"[{'' if self.index is None else self.index}]"
        return f"{text}.{self.name}" if self.name else text

    @property
    def generic(self):
        """The path's text without item positions: ``stakeholders[].impact``."""
        return str(CasePath(self.section, None, self.name, self.listed))

    @property
    def is_list(self):
        """Whether the path names a whole list (``stakeholders``)."""
        return self.section in LIST_SECTIONS and not self.listed and self.name is None

    @property
    def in_item(self):
        """Whether the path is about one list item (``programs[1].viable``)."""
        return self.listed

    @property
    def item_path(self):
        """The path of the list item this path is in (``programs[1]``), else ``None``."""
        return CasePath.item(self.section, self.index) if self.listed else None

    def get(self, case, default=UNKNOWN):
        """The value at this path in ``case`` (a case or a partial one), or ``default``
        where the case does not reach: a section, item or field left out, or an
        answer in place of a list or mapping (``programs: unknown``)."""
        value = case.get(self.section, default) if isinstance(case, dict) else default
        if self.listed:
            if not isinstance(value, list) or self.index is None or self.index >= len(value):
                return default
            value = value[self.index]
        if self.name is None:
            return value
        return value.get(self.name, default) if isinstance(value, dict) else default

    def set(self, case, value):
        """Write ``value`` at this path into ``case`` (in place): a section's field
        makes the section if need be; a list item must be there already."""
        if self.name is None:
            if self.listed:
                case[self.section][self.index] = value
            else:
                case[self.section] = value
        elif self.listed:
            case[self.section][self.index][self.name] = value
        else:
            case.setdefault(self.section, {})[self.name] = value

    def delete(self, case):
        """Take the answer at this path out of ``case`` (in place); a section left
        with no field goes too."""
        if self.name is None:
            case.pop(self.section, None)
            return
        if self.listed:
            case[self.section][self.index].pop(self.name, None)
            return
        part = case.setdefault(self.section, {})
        part.pop(self.name, None)
        if not part:
            case.pop(self.section, None)

    def replaced(self, case, value):
        """A copy of ``case`` with ``value`` at this path; the parts it leaves alone
        are shared with ``case``, so neither may be changed in place afterwards."""
        changed = dict(case)
        if self.name is None:
            changed[self.section] = value
        elif self.listed:
            items = changed[self.section] = list(changed[self.section])
            items[self.index] = items[self.index] | {self.name: value}
        else:
            changed[self.section] = changed[self.section] | {self.name: value}
        return changed


@lru_cache(maxsize=4096)
def _parse(text):
    # The same few dozen paths are parsed again and again (each rule run, each row).
    return CasePath._parse_text(text)


def generic_path(path):
    """``programs[2].viable`` -> ``programs[].viable``; a whole list stays as it is.
    A path deeper than the case's loses its positions too; a text that is no path
    at all is given back as it is."""
    if type(path) is str:
        return _generic_text(path)
    return _generic_path(path)


@lru_cache(maxsize=4096)
def _generic_text(path):
    # A memo asks for the generic path of the same few dozen paths about a hundred
    # times (every field label, value and picture node).
    return _generic_path(path)


def _generic_path(path):
    try:
        steps = path_steps(path)
    except PathError:
        return str(path)
    return steps_text([(kind, None if kind == "index" else step) for kind, step in steps])


def section_of(path):
    """The section a path starts with (``stakeholders`` of ``stakeholders[0].impact``),
    for any text: the part before the first ``.`` or ``[``."""
    return re.split(r"[.\[]", str(path), maxsplit=1)[0]


# ------------------------------------------------------------------------ answers


class AnswerWords(_Frozen):
    """The words that answer a question whatever its field: each a set of lowercase
    (casefolded) words. The defaults are those of ``knowledge/interview.yaml`` in both
    languages; the interview reads its own from there.

    Immutable and hashable, equal by its four sets, as the frozen dataclass it was."""

    __slots__ = ("yes", "no", "unknown", "none")

    def __init__(
        self,
        yes=frozenset({"yes", "y", "true", "ya"}),
        no=frozenset({"no", "n", "false", "tidak"}),
        unknown=frozenset({"unknown", "tidak tahu", "tidak diketahui", "belum diketahui"}),
        none=frozenset({"none", "-", "tidak ada"}),
    ):
        _set(self, "yes", yes)
        _set(self, "no", no)
        _set(self, "unknown", unknown)
        _set(self, "none", none)


ANSWER_WORDS = AnswerWords()


class _NotRead:
    def __repr__(self):
        return "NOT_READ"

    def __bool__(self):
        return False


NOT_READ = _NotRead()
MOST_DIGITS = 4000  # Python refuses to read a whole number of over 4300 digits
_LIST_SEPARATORS = re.compile(r"[,;\s]+")


def read_answer(spec, text, words=ANSWER_WORDS, numbered=False, named=None):
    """The typed value of one typed answer ``text`` to the field ``spec`` (a
    ``FieldSpec``), or ``NOT_READ`` when it is no answer of that kind.

    - any kind: a word of ``words.unknown`` (any case) is ``'unknown'``;
    - ``boolean``: a word of ``words.yes`` or ``words.no`` (any case);
    - ``count``: a whole number written with the digits 0-9 (at most 4000 of them);
    - ``enum``: one of the choices, in any case, or with ``numbered`` its number in
      the list of choices (from 1, ``unknown`` left out), or a phrase of ``named``
      (casefolded phrase -> choice: the answers' labels, the words a question offers);
    - ``enum-list``: a word of ``words.none`` for the empty list, or choices
      separated by commas, semicolons or spaces, given back once each and in the
      schema's order;
    - ``text``: the text, stripped.
    """
    text = str(text).strip()
    word = text.casefold()
    if word in words.unknown:
        return UNKNOWN
    kind = spec.kind
    if kind == "text":
        return text
    if kind == "boolean":
        return True if word in words.yes else False if word in words.no else NOT_READ
    if kind == "count":
        if text.isascii() and text.isdigit() and len(text) <= MOST_DIGITS:
            return int(text)
        return NOT_READ
    if kind == "enum":
        value = _choice(spec, text, numbered)
        if value is NOT_READ and named:
            return named.get(" ".join(word.split()), NOT_READ)
        return value
    if kind == "enum-list":
        if word in words.none:
            return []
        chosen = set()
        for part in _LIST_SEPARATORS.split(text.strip(",; ")):
            value = _choice(spec, part, numbered)
            if value is NOT_READ:
                return NOT_READ
            chosen.add(value)
        return [value for value in spec.choices if value in chosen]
    return NOT_READ


def numbered_choices(spec):
    """The choices an answer may give by number (from 1): all but ``unknown``."""
    return [value for value in spec.choices if value != UNKNOWN]


def _choice(spec, part, numbered):
    choices = numbered_choices(spec)
    if numbered and part.isdigit() and 1 <= int(part) <= len(choices):
        return choices[int(part) - 1]
    for value in choices:
        if part.casefold() == value.casefold():
            return value
    return NOT_READ


# ------------------------------------------------------------------ derived answers


def performance(program):
    """``low`` if effectiveness or efficiency is low; ``adequate`` if both are
    adequate or high; otherwise ``unknown``."""
    levels = (program["effectiveness"], program["efficiency"])
    if "low" in levels:
        return "low"
    if UNKNOWN in levels:
        return UNKNOWN
    return "adequate"
