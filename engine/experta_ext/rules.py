"""What experta keeps inside a rule and its patterns, read for the rule catalog."""

from experta.fieldconstraint import ORFC

# A field constraint ``L(a) | L(b)``: its parts are the alternatives.
OrConstraint = ORFC


def rule_function(rule):
    """The function a ``Rule`` decorates (experta keeps it as ``_wrapped``)."""
    return rule._wrapped
