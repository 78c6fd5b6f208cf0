"""Words, made once: the case's facts and the knowledge's ids as text a reader reads.

``FactReader`` words a ``FactRef`` (a fact the rules matched or concluded) as a
readable line in English or Indonesian, ``{"text": ..., "ref": ...}``, where ``ref``
is the case path a reader can look up in the case file, or ``""``. Labels come from
``knowledge/memo.yaml`` and ``knowledge/fields.yaml``, titles from the knowledge
files. Case text is cleaned of control characters (newlines and tabs are kept).
The memo's view, the graph, explanations and what-if all read facts through here.
"""

from perencana.engine.case.vocabulary import (
    LANGUAGES,
    LIST_SECTIONS,
    UNKNOWN,
    CasePath,
    generic_path,
    section_of,
)
from perencana.engine.reasoning.case_facts import band_for
from perencana.engine.reasoning.unknowns import ONE_ITEM
from perencana.engine.view.advice_json import fact_text
from perencana.engine.view.safe_text import clean as clean
from perencana.engine.view.safe_text import one_line as one_line


def in_language(text, lang):
    """One language of a ``{en, id}`` text (a plain string is returned as is)."""
    if isinstance(text, dict):
        for choice in (lang, "en", *LANGUAGES):
            if isinstance(text.get(choice), str):
                return text[choice]
        return ""
    return "" if text is None else str(text)


# {(id of a memo table, lang): (the table, its translation)}: a memo is translated once
# per language, as every memo and picture asks for the same one.
_TRANSLATED = {}


def translate(memo, lang):
    """memo.yaml in one language, keeping its one level of groups (a copy of both
    levels, which the caller may change)."""
    kept = _TRANSLATED.get((id(memo), lang))
    if kept is None or kept[0] is not memo:
        if len(_TRANSLATED) > 8:
            _TRANSLATED.clear()
        kept = _TRANSLATED[(id(memo), lang)] = (memo, _translated(memo, lang))
    return {
        key: dict(value) if isinstance(value, dict) else value for key, value in kept[1].items()
    }


def _translated(memo, lang):
    out = {}
    for key, value in memo.items():
        if isinstance(value, dict) and not set(value) <= set(LANGUAGES):
            out[key] = {name: in_language(text, lang) for name, text in value.items()}
        else:
            out[key] = in_language(value, lang)
    return out


class FactReader:
    """Words fact references (``reasoning.facts.FactRef``) and knowledge items as
    readable lines in one language, true to the case.

    ``advice`` (optional) lends the case: its stakeholders' and programs' names and
    the answers that choose a text's variant.
    """

    def __init__(self, advice, knowledge, lang, labels=None):
        self.advice = advice
        self.knowledge = knowledge
        self.lang = lang
        self.labels = labels if labels is not None else translate(knowledge.memo, lang)
        self.terms = self.labels["terms"]
        self.phrases = self.labels["phrases"]
        self.case = (advice.case if advice is not None else None) or {}
        thresholds = getattr(knowledge, "thresholds", None) or {}
        self.bands = {entry["path"]: entry["bands"] for entry in thresholds.get("bands", ())}

    # -- names of things --------------------------------------------------------

    def title(self, kind, key):
        item = getattr(self.knowledge, kind).get(key)
        if item is None:
            return key
        if item.get("title"):
            return in_language(item["title"], self.lang)
        # An item without a title (a caveat, a first step) goes by its text, true to
        # the case.
        return self.case_text(item) if item.get("text") else key

    def case_text(self, item, key="text"):
        """``item``'s ``key`` text in the language, true to the case: the first of its
        ``variants`` whose ``when`` the case holds, else its own text, which asserts
        nothing of the case that its rules do not (``perencana check`` proves it)."""
        for variant in item.get("variants") or ():
            if key in variant and self.case_holds(variant["when"]):
                return in_language(variant[key], self.lang)
        return in_language(item.get(key), self.lang)

    def case_holds(self, when):
        """Whether the case answers every path of ``when`` with one of its values (a
        number by its band, a list by any member); an unknown answer holds nothing."""
        return all(self._answer_in(path, wanted) for path, wanted in when.items())

    def _answer_in(self, path, wanted):
        value = CasePath.parse(path).get(self.case)
        if value == UNKNOWN:
            return False
        if isinstance(value, list):
            return any(member in wanted for member in value)
        bands = self.bands.get(path)
        if bands is not None and isinstance(value, int) and not isinstance(value, bool):
            return band_for(value, bands) in wanted
        return value in wanted

    def strength(self, strength):
        if strength == "raise":
            return self.terms["supporting"]
        return self.labels["strength"].get(strength, strength)

    def decision(self, decision):
        return self.labels["decision"].get(decision, decision)

    def field_label(self, path):
        item = self.knowledge.fields.get(generic_path(path))
        if item is None:
            section = section_of(path)
            if path == section and section in self.labels["list_sections"]:
                return self.labels["list_sections"][section]
            return path
        return in_language(item.get("label"), self.lang) or path

    def value_label(self, path, value):
        """The label of an answer to ``path``: from fields.yaml ``values`` when given,
        else yes/no for booleans, else the value as written in a case file."""
        item = self.knowledge.fields.get(generic_path(path)) or {}
        values = item.get("values") or {}
        for key in _value_keys(value):
            if key in values:
                return in_language(values[key], self.lang)
        if value == UNKNOWN:
            return self.terms["unknown"]
        if value is True:
            return self.terms["answer_yes"]
        if value is False:
            return self.terms["answer_no"]
        return str(value)

    def item_name(self, section, index, fallback=""):
        items = self.case.get(section)
        if isinstance(items, list) and 0 <= index < len(items):
            return str(items[index].get("name", fallback))
        return fallback

    # -- readable lines ---------------------------------------------------------

    def line(self, ref):
        """A fact reference (or a cause named as a reason) as ``{"text", "ref"}``."""
        method = self._LINES.get(ref.kind)
        found = method(self, ref) if method else None
        return found if found is not None else {"text": fact_text(ref), "ref": ""}

    def lines(self, refs):
        return [self.line(ref) for ref in refs]

    def _flat(self, refs):
        return join_texts(self.line(ref)["text"] for ref in refs)

    def _because_cause(self, ref):
        cause_id = ref.value
        if cause_id not in self.knowledge.causes:
            return None
        strength = next((c.strength for c in self.advice.causes if c.id == cause_id), None)
        title = self.title("causes", cause_id)
        if strength is None:
            return {"text": title, "ref": ""}
        text = self.phrases["because_cause"].format(cause=title, strength=self.strength(strength))
        return {"text": text, "ref": ""}

    def _field(self, ref):
        path = ref.path
        if generic_path(path) not in self.knowledge.fields:
            return None
        label = self.field_label(path)
        value = self.value_label(path, ref.value)
        place = CasePath.parse(path)
        if place.in_item:
            name = self.item_name(place.section, place.index)
            if name:
                label = f"{label} ({name})"
        return {"text": pair(label, value), "ref": path}

    def _stakeholder(self, ref):
        name = self.item_name("stakeholders", ref.index, ref.name)
        affected = self.value_label(
            "stakeholders[].directly_affected", ref.get("directly_affected")
        )
        impact = self.value_label("stakeholders[].impact", ref.get("impact"))
        text = (
            f"{self.terms['stakeholder']} “{name}”: "
            f"{pair(self.field_label('stakeholders[].directly_affected'), affected)}; "
            f"{pair(self.field_label('stakeholders[].impact'), impact)}"
        )
        return {"text": text, "ref": ref.path}

    def _program(self, ref):
        name = self.item_name("programs", ref.index, ref.name)
        viable = self.value_label("programs[].viable", ref.get("viable"))
        performance = self._performance(ref.get("performance"))
        text = (
            f"{self.terms['program_item']} “{name}”: "
            f"{pair(self.field_label('programs[].viable'), viable)}; "
            f"{pair(self.terms['performance'], performance)}"
        )
        return {"text": text, "ref": ref.path}

    def _performance(self, performance):
        if performance == UNKNOWN:
            return self.terms["unknown"]
        return self.terms.get(f"performance_{performance}", performance)

    def _lifecycle(self, ref):
        stage = self.title("lifecycle", ref.value)
        return {"text": self.phrases["stage_is"].format(stage=stage), "ref": ""}

    def _evidence(self, ref):
        text = self.phrases["evidence_for"].format(
            cause=self.title("causes", ref.value), strength=self.strength(ref.get("strength"))
        )
        return {"text": text, "ref": ""}

    def _cause(self, ref):
        if ref.value not in self.knowledge.causes:
            return None
        text = self.phrases["cause_present"].format(cause=self.title("causes", ref.value))
        return {"text": text, "ref": ""}

    def _recommendation(self, ref):
        text = self.phrases["strategy_because"].format(
            strategy=self.title("strategies", ref.value), because=self._flat(ref.get("because"))
        )
        return {"text": text, "ref": ""}

    def _recommended(self, ref):
        strategy = self.title("strategies", ref.value)
        return {"text": self.phrases["strategy_recommended"].format(strategy=strategy), "ref": ""}

    def _caveat(self, ref):
        phrase = "caveat_replaced" if self._replaced(ref) else "caveat_on"
        text = self.phrases[phrase].format(
            strategy=self.title("strategies", ref.get("strategy")),
            caveat=self.title("caveats", ref.value),
        )
        return {"text": text, "ref": ""}

    def _replaced(self, ref):
        """Whether the advice leaves out this concluded caveat because another that it
        carries replaces it (``replaces`` in caveats.yaml)."""
        strategy = next(
            (s for s in getattr(self.advice, "strategies", ()) if s.id == ref.get("strategy")),
            None,
        )
        if strategy is None or ref.value in strategy.caveats:
            return False
        return any(self.knowledge.caveats[c].get("replaces") == ref.value for c in strategy.caveats)

    def _first_step(self, ref):
        text = self.phrases["first_step_for"].format(
            strategy=self.title("strategies", ref.get("strategy")),
            step=self.title("steps", ref.value),
        )
        return {"text": text, "ref": ""}

    def _decision(self, ref):
        text = self.phrases["program_decision"].format(
            program=f"“{self.item_name('programs', ref.index)}”",
            decision=self.decision(ref.value),
        )
        return {"text": text, "ref": ref.path}

    def _guidance(self, ref):
        because = ref.get("because")
        guidance = self.title("guidance", ref.value)
        if not because:
            return {"text": self.phrases["guidance_given"].format(guidance=guidance), "ref": ""}
        text = self.phrases["guidance_because"].format(
            guidance=guidance, because=self._flat(because)
        )
        return {"text": text, "ref": ""}

    _LINES = {
        "cause-id": _because_cause,
        "field": _field,
        "stakeholder": _stakeholder,
        "program": _program,
        "lifecycle": _lifecycle,
        "evidence": _evidence,
        "cause": _cause,
        "recommendation": _recommendation,
        "recommended": _recommended,
        "caveat": _caveat,
        "first-step": _first_step,
        "decision": _decision,
        "guidance": _guidance,
    }

    # -- answers to unknown questions --------------------------------------------

    def answer(self, path, answer):
        """One answer of ``UnknownFinding.changing_answers``, readable."""
        if path in LIST_SECTIONS and answer == ONE_ITEM:
            return self.terms["one_item"]
        if isinstance(answer, tuple):
            if not answer:
                return self.terms["none_listed"]
            return ", ".join(self.value_label(path, member) for member in answer)
        return self.value_label(path, answer)


def pair(label, value):
    """``label: value``, or the value alone when it already says what the label does
    (``Seen as too costly: Seen as too costly`` reads ``Seen as too costly``)."""
    if value.casefold().startswith(label.casefold()):
        return value
    return f"{label}: {value}"


def _value_keys(value):
    keys = [value, str(value)]
    if isinstance(value, bool):
        keys.append("true" if value else "false")
    return keys


SENTENCE_ENDS = ".!?"


def sources_text(numbers):
    """Passages as the memo cites them: "¶71, ¶52"."""
    return ", ".join(f"¶{number}" for number in numbers)


def join_texts(texts):
    """``texts`` as one line: a full sentence is followed by a space, a fact line
    ("Program viability: No longer viable") by "; ", so that sentences never read
    "...(¶57).; The ..."."""
    joined = ""
    for text in texts:
        if joined:
            joined += " " if joined.rstrip()[-1:] in SENTENCE_ENDS else "; "
        joined += text
    return joined
