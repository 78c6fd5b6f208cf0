"""Plain data classes without ``dataclasses``: two bases, used by every layer.

Making a dataclass compiles its methods (``__init__``, ``__eq__``, ``__repr__``...)
from generated source as its module is imported: 0.2 to 1.4 ms a class, some 15 ms
for the classes an HTML memo's command used to make, a tenth of its time. A class
here writes its ``__init__`` by hand and names its fields in ``FIELDS`` (and
``__slots__``, unless it needs a ``__dict__``, for a cached property), and a base
gives it the rest, behaving as the dataclass it replaces:

- ``Record`` (a dataclass's defaults): equal field by field to an object of the
  same class, not hashable, the dataclass's ``repr`` (``SHOWN`` names the fields it
  shows, all of them unless a class says otherwise);
- ``Frozen`` (``frozen=True``): the same, and immutable and hashable by its fields,
  copied and pickled by making it anew; ``replace(**changes)`` stands for
  ``dataclasses.replace``.

The case vocabulary and the knowledge, which may import nothing of the engine,
write the same out by hand.
"""

from operator import attrgetter

set_field = object.__setattr__  # how a Frozen class's __init__ sets its fields


def fields_of(record):
    """``{name: value}`` of the fields of ``record``, in order (``dataclasses.asdict``
    without the copying)."""
    return dict(zip(record.FIELDS, record._values(record), strict=True))


class Record:
    """The base of a mutable plain data class; see the module's docstring.

    A subclass sets ``FIELDS`` (at least two); its ``_values``, a C getter of the
    fields as one tuple, is made from them."""

    __slots__ = ()
    FIELDS = ()
    __hash__ = None

    def __init_subclass__(cls, **options):
        super().__init_subclass__(**options)
        if "FIELDS" in cls.__dict__:
            cls._values = attrgetter(*cls.FIELDS)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values(self) == other._values(other)
        return NotImplemented

    def __repr__(self):
        names = getattr(self, "SHOWN", self.FIELDS)
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"


class Frozen(Record):
    """The base of an immutable plain data class; see the module's docstring. Its
    ``__init__`` sets each field with ``object.__setattr__`` (``records.set_field``),
    or through ``self.__dict__`` in a class that has one."""

    __slots__ = ()

    def __hash__(self):
        return hash(self._values(self))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self):  # copy and pickle make it anew rather than set its fields
        return (type(self), self._values(self))

    def replace(self, **changes):
        """A copy with the fields named in ``changes`` changed."""
        return type(self)(**{**fields_of(self), **changes})
