"""A rule's conditions as plain sentences, in English or Indonesian.

The wording comes from ``knowledge/memo.yaml`` (``conditions``) and the field and
value labels of ``knowledge/fields.yaml``; the conditions themselves from
``reasoning.rule_catalog``.
"""

from perencana.engine.view.words import FactReader

ITEM_FACTS = {"Stakeholder": "stakeholders", "Program": "programs"}


class ConditionWriter:
    """Writes conditions in one language."""

    def __init__(self, knowledge, lang):
        self.knowledge = knowledge
        self.reader = FactReader(None, knowledge, lang)
        self.words = self.reader.labels["conditions"]

    def conditions(self, rule):
        """Every condition of ``rule`` as a sentence; a rule without any says so."""
        return [self.condition(c) for c in rule.conditions] or [self.words["always"]]

    def condition(self, condition):
        if condition.negated and condition.fact == "Cause" and condition.get("id").kind == "any":
            # cause_present's guard: said positively, a double negative reads badly.
            return self.words["cause_not_yet"]
        text = self._positive(condition)
        if not condition.negated:
            return text
        key = "field_not" if condition.fact == "Field" else "negated"
        return self.words[key].format(condition=text)

    def _positive(self, condition):
        if condition.fact == "Field":
            return self._field(condition)
        if condition.fact in ITEM_FACTS:
            return self._item(condition)
        constraint = condition.constraints[0] if condition.constraints else None
        if condition.fact == "Lifecycle":
            return self.words["stage_is"].format(stage=self._either("lifecycle", constraint))
        if condition.fact == "Cause":
            return self.words["cause_is"].format(cause=self._either("causes", constraint))
        if condition.fact == "Evidence":
            return self.words["evidence_any"]
        if condition.fact == "Recommended":
            return self.words["recommended"].format(strategy=self._either("strategies", constraint))
        return condition.fact

    def _either(self, kind, constraint):
        return self.words["or"].join(self.reader.title(kind, value) for value in constraint.values)

    def _field(self, condition):
        path = condition.field_path
        label = self.reader.field_label(path)
        band = condition.get("band")
        if band is not None:
            return self.words["field_band"].format(field=label, value=self._bands(path, band))
        value = condition.get("value")
        if value is None or value.kind == "any":
            return self.words["field_given"].format(field=label)
        return self._field_sentence(path, label, self._values(path, value))

    def _field_sentence(self, path, label, values):
        spec_kind = self._kind(path)
        if spec_kind == "enum-list":
            return self.words["field_includes"].format(field=label, value=values)
        if spec_kind == "boolean":
            # Yes/no answers are labelled as statements ("New staff needed"): the
            # label alone says it, "X is X" would not read.
            if label.casefold() in values.casefold():
                return values
            return self.words["field_answer"].format(field=label, value=values)
        return self.words["field_is"].format(field=label, value=values)

    @staticmethod
    def _kind(path):
        from perencana.engine.case.schema import spec_for

        try:
            return spec_for(path).kind
        except KeyError:
            return ""

    def _values(self, path, constraint):
        """The answers, each as it reads mid-sentence ("is no funds or part of the
        funds", "includes a change in funding"), but a yes/no answer's statement."""
        boolean = self._kind(path) == "boolean"
        labels = (self.reader.value_label(path, v) for v in constraint.values)
        return self.words["or"].join(label if boolean else mid_sentence(label) for label in labels)

    def _bands(self, path, constraint):
        entry = next(e for e in self.knowledge.thresholds["bands"] if e["path"] == path)
        ranges = {}
        low = 0
        for band in entry["bands"]:
            if "below" not in band:
                ranges[band["band"]] = self.words["band_from"].format(low=low)
            elif low == 0:
                ranges[band["band"]] = self.words["band_below"].format(limit=band["below"])
            else:
                ranges[band["band"]] = self.words["band_between"].format(
                    low=low, high=band["below"] - 1
                )
            low = band.get("below", low)
        return self.words["or"].join(ranges[value] for value in constraint.values)

    def _item(self, condition):
        section = ITEM_FACTS[condition.fact]
        details = []
        for constraint in condition.constraints:
            if constraint.kind == "any":
                continue
            if constraint.key == "performance":
                values = self.words["or"].join(
                    self.reader._performance(v) for v in constraint.values
                )
                details.append(self.words["performance_is"].format(value=values))
                continue
            path = f"{section}[].{constraint.key}"
            details.append(
                self._field_sentence(
                    path, self.reader.field_label(path), self._values(path, constraint)
                )
            )
        kind = condition.fact.lower()
        if not details:
            return self.words[f"any_{kind}"]
        return self.words[kind].format(details=self.words["and"].join(details))


def mid_sentence(text):
    """An answer's label as it reads after "is": its first letter in lower case
    ("is from outside the organization", "includes a change in funding"), unless its
    first word is an acronym."""
    if len(text) > 1 and text[0].isupper() and (text[1].islower() or text[1] == " "):
        return text[0].lower() + text[1:]
    return text
