"""A Fact that is quicker to make when its values are plain."""

from experta import Fact

# Values experta's freeze() gives back unchanged (they are hashable as they are).
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), tuple})


class PlainFact(Fact):
    """An experta Fact that is quicker to make when its values are plain.

    experta's Fact stores each value through ``__setitem__``, which dispatches on the
    value's type to freeze it; a run makes some eighty facts, and that was a tenth
    of its time. Values of the types above come out of freezing as they went in, so
    keyword-only facts of them are filled at once; anything else (a list, a dict, a
    rule's pattern constraint, a positional value) goes the way experta goes.
    """

    def __init__(self, *args, **kwargs):
        if args or not _PLAIN_TYPES.issuperset(map(type, kwargs.values())):
            super().__init__(*args, **kwargs)
            return
        dict.update(self, kwargs)
        self._Fact__defaults = {}  # what Fact.__init__ sets: the defaults taken so far

    def has_field_constraints(self):
        """experta's check, at C speed for values of the plain types, which are
        never pattern constraints (experta's engine asks it of every fact declared)."""
        if _PLAIN_TYPES.issuperset(map(type, self.values())):
            return False
        return super().has_field_constraints()

    def has_nested_accessor(self):
        """experta's check, worked out once for each set of keys."""
        keys = tuple(self)
        found = _NESTED.get(keys)
        if found is None:
            found = super().has_nested_accessor()
            if len(_NESTED) < _MOST_KEY_SETS:
                _NESTED[keys] = found
        return found


# Sets of keys -> whether one holds a double underscore (experta's nested accessor).
_NESTED = {}
_MOST_KEY_SETS = 1024
