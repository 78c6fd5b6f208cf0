"""What experta keeps inside a rule and its patterns, read for the rule catalog; and
``Rule``, experta's rule decorator made quicker to apply."""

import inspect
from functools import update_wrapper
from types import FunctionType

from experta import Rule as ExpertaRule
from experta.fieldconstraint import ORFC

# A field constraint ``L(a) | L(b)``: its parts are the alternatives.
OrConstraint = ORFC


def rule_function(rule):
    """The function a ``Rule`` decorates (experta keeps it as ``_wrapped``)."""
    return rule._wrapped


class Rule(ExpertaRule):
    """experta's ``Rule``, the decorator perencana's rules are written with.

    Decorating a function, experta notes the names of its parameters, to pass it
    only the bindings it takes, and reads them with ``inspect.signature``: about a
    millisecond for our ninety rules as they are imported, a part of every command's
    start. For a plain function (nothing wraps it or gives it a signature of its
    own) the names are read from its code, the same names; anything else goes
    experta's way. Running the rule is experta's.
    """

    def __call__(self, *args, **kwargs):
        if self._wrapped is None and len(args) == 1 and not kwargs and _plain(args[0]):
            function = self._wrapped = args[0]
            code = function.__code__
            if not code.co_flags & inspect.CO_VARKEYWORDS:
                count = code.co_argcount + code.co_kwonlyargcount
                count += bool(code.co_flags & inspect.CO_VARARGS)
                self._wrapped_args = set(code.co_varnames[:count])
            return update_wrapper(self, function)
        return super().__call__(*args, **kwargs)


def _plain(function):
    """Whether ``inspect.signature`` would read ``function``'s parameters from its
    code alone: a Python function that nothing wraps (``__wrapped__``) and that
    states no signature of its own (``__signature__``)."""
    return (
        type(function) is FunctionType
        and not hasattr(function, "__wrapped__")
        and not hasattr(function, "__signature__")
    )
