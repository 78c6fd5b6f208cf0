"""The memo's view model: an ``Advice`` turned into plain data a template can show.

Every choice of language is made here: headings and labels come from
``knowledge/memo.yaml``, item texts from the knowledge files, field names and
value names from ``knowledge/fields.yaml``. The fact references the engine records
(a ``field`` at ``funding.funds_for_change`` answered ``none``) become readable
lines (``Funds for the change: none``) that keep the case path as ``ref``, so a
reader can find it in the case file. Templates only arrange what is here.

A readable line is ``{"text": ..., "ref": ...}``; ``ref`` is a case path or ``""``.
Case text is cleaned of control characters (newlines and tabs are kept).
"""

import re
from functools import lru_cache

from perencana.engine.case.vocabulary import (
    LANGUAGES,
    LIST_SECTIONS,
    UNKNOWN,
    CasePath,
    generic_path,
    section_of,
)
from perencana.engine.reasoning.unknowns import ONE_ITEM
from perencana.engine.view.advice_json import fact_text


# Remembered for the same reason as render.md_escape: most texts recur in every memo.
@lru_cache(maxsize=4096, typed=True)
def clean(text):
    """``text`` without control characters (newlines and tabs kept); line and
    paragraph separators become newlines. The bidirectional embedding, override and
    isolate controls (U+202A to U+202E, U+2066 to U+2069), which can make a line read
    differently from what it holds, are dropped too, as are the noncharacters U+FFFE
    and U+FFFF, which XML (HTML, Word) does not allow."""
    text = str(text)
    if not _UNCLEAN.search(text):
        return text
    return _DROPPED.sub("", _SEPARATORS.sub("\n", text))


# Unicode's line and paragraph separators (categories Zl and Zp), and what is dropped:
# the controls (category Cc) but tab and newline, and the hidden characters above.
_SEPARATORS = re.compile("[\u2028\u2029]")
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_UNCLEAN = re.compile(f"{_SEPARATORS.pattern}|{_DROPPED.pattern}")


def _clean_all(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: _clean_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_all(item) for item in value]
    return value


def in_language(text, lang):
    """One language of a ``{en, id}`` text (a plain string is returned as is)."""
    if isinstance(text, dict):
        for choice in (lang, "en", *LANGUAGES):
            if isinstance(text.get(choice), str):
                return text[choice]
        return ""
    return "" if text is None else str(text)


def _translate(memo, lang):
    """memo.yaml in one language, keeping its one level of groups."""
    out = {}
    for key, value in memo.items():
        if isinstance(value, dict) and not set(value) <= set(LANGUAGES):
            out[key] = {name: in_language(text, lang) for name, text in value.items()}
        else:
            out[key] = in_language(value, lang)
    return out


def _sources_text(sources):
    return ", ".join(f"¶{number}" for number in sources)


class FactReader:
    """Turns the engine's descriptions of facts into readable lines in one language.

    ``advice`` (optional) lends the names of the case's stakeholders and programs.
    """

    def __init__(self, advice, knowledge, lang, labels=None):
        self.advice = advice
        self.knowledge = knowledge
        self.lang = lang
        self.labels = labels if labels is not None else _translate(knowledge.memo, lang)
        self.terms = self.labels["terms"]
        self.phrases = self.labels["phrases"]
        self.case = (advice.case if advice is not None else None) or {}

    # -- names of things --------------------------------------------------------

    def title(self, kind, key):
        item = getattr(self.knowledge, kind).get(key)
        if item is None:
            return key
        return in_language(item.get("title") or item.get("text") or key, self.lang)

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
        return "; ".join(self.line(ref)["text"] for ref in refs)

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
        text = self.phrases["caveat_on"].format(
            strategy=self.title("strategies", ref.get("strategy")),
            caveat=self.title("caveats", ref.value),
        )
        return {"text": text, "ref": ""}

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


def _case_value(case, section, name):
    part = case.get(section)
    if not isinstance(part, dict):
        return UNKNOWN
    return part.get(name, UNKNOWN)


def _organization(reader, case, advice, knowledge, lang):
    terms = reader.terms
    facts = []
    for name in ("type", "sector", "age_years", "formalized_procedures", "mission"):
        path = f"organization.{name}"
        value = _case_value(case, "organization", name)
        if value in (UNKNOWN, None, ""):
            shown = terms["unknown"] if value == UNKNOWN else terms["not_stated"]
        elif name == "age_years":
            shown = terms["one_year"] if value == 1 else terms["years"].format(n=value)
        elif name in ("sector", "mission"):
            shown = str(value)
        else:
            shown = reader.value_label(path, value)
        facts.append({"label": reader.field_label(path), "value": shown, "ref": path})
    stage = knowledge.lifecycle.get(advice.lifecycle)
    return {
        "name": advice.organization,
        "facts": facts,
        "stage": {
            "id": advice.lifecycle,
            "title": (in_language(stage.get("title"), lang) if stage else reader.terms["unknown"]),
            "text": in_language(stage.get("text"), lang) if stage else "",
            "sources": list(stage.get("sources", [])) if stage else [],
            "sources_text": _sources_text(stage.get("sources", [])) if stage else "",
        },
    }


def _strategy(reader, strategy, knowledge, lang):
    item = knowledge.strategies.get(strategy.id, {})
    steps = [in_language(knowledge.steps[s]["text"], lang) for s in strategy.first_steps]
    general = in_language(item.get("first_step"), lang)
    if general:
        steps.append(general)
    return {
        "id": strategy.id,
        "rank": strategy.rank,
        "title": reader.title("strategies", strategy.id),
        "summary": in_language(item.get("summary"), lang),
        "because": reader.lines(strategy.because),
        "caveats": [in_language(knowledge.caveats[c]["text"], lang) for c in strategy.caveats],
        "first_steps": steps,
        "sources": list(strategy.sources),
        "sources_text": _sources_text(strategy.sources),
    }


def _cited(advice, knowledge):
    numbers = set()
    for finding in (*advice.causes, *advice.strategies, *advice.programs, *advice.guidance):
        numbers.update(finding.sources)
    for strategy in advice.strategies:
        for caveat in strategy.caveats:
            numbers.update(knowledge.caveats[caveat].get("sources", []))
        for step in strategy.first_steps:
            numbers.update(knowledge.steps[step].get("sources", []))
    stage = knowledge.lifecycle.get(advice.lifecycle)
    if stage:
        numbers.update(stage.get("sources", []))
    return sorted(numbers)


def _sources(advice, knowledge, lang, reader):
    source = knowledge.source or {}
    topics = source.get("topics") or {}
    passages = []
    for number in _cited(advice, knowledge):
        topic = topics.get(number, topics.get(str(number)))
        passages.append({"number": number, "topic": in_language(topic, lang) if topic else ""})
    note = source.get("defaults_note")
    defaults = []
    for entry in knowledge.thresholds.get("bands", []):
        if not entry.get("default"):
            continue
        limits = ", ".join(str(band["below"]) for band in entry["bands"] if "below" in band)
        text = reader.phrases["default_limits"].format(
            field=reader.field_label(entry["path"]), limits=limits
        )
        defaults.append({"text": text, "ref": entry["path"]})
    return {
        "document": {
            "title": str(source.get("title", "")),
            "date": str(source.get("date", "")),
        },
        "passages": passages,
        "defaults_note": in_language(note, lang) if note else reader.terms["defaults_note"],
        "defaults": defaults,
    }


def memo_view(advice, knowledge, lang):
    """The plain view model of the memo for ``advice`` in ``lang`` (``en`` or ``id``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    labels = _translate(knowledge.memo, lang)
    reader = FactReader(advice, knowledge, lang, labels)
    case = advice.case or {}
    change = case.get("change") if isinstance(case.get("change"), dict) else {}

    causes = [
        {
            "id": cause.id,
            "title": reader.title("causes", cause.id),
            "summary": in_language(knowledge.causes.get(cause.id, {}).get("summary"), lang),
            "strength": cause.strength,
            "strength_label": reader.strength(cause.strength),
            "evidence": reader.lines(cause.evidence),
            "sources": list(cause.sources),
            "sources_text": _sources_text(cause.sources),
        }
        for cause in advice.causes
    ]
    strategies = [_strategy(reader, s, knowledge, lang) for s in advice.strategies]
    levels = knowledge.thresholds["strength"]["levels"]
    top = max((levels.index(c.strength) for c in advice.causes), default=None)
    start_with = knowledge.thresholds["ranking"]["start_with"]

    programs = []
    for finding in advice.programs:
        decision = knowledge.decisions.get(finding.decision, {})
        meaning = in_language(decision.get("text"), lang)
        programs.append(
            {
                "index": finding.index,
                "name": finding.name,
                "decision": finding.decision,
                "decision_label": reader.decision(finding.decision),
                "decision_text": meaning,
                "why": reader.lines(finding.facts),
                "sources": list(finding.sources),
                "sources_text": _sources_text(finding.sources),
            }
        )
    # Programs the rules could not decide on stay in the table, so that none of the
    # client's programs silently disappears; section 7 says what would decide them.
    decided = {finding.index for finding in advice.programs}
    listed = advice.case.get("programs") if advice.case else None
    for index, program in enumerate(listed if isinstance(listed, list) else []):
        if index not in decided:
            programs.append(
                {
                    "index": index,
                    "name": clean(program["name"]),
                    "decision": "undecided",
                    "decision_label": reader.terms["undecided"],
                    "decision_text": reader.terms["undecided_text"],
                    "why": [],
                    "sources": [],
                    "sources_text": "",
                }
            )
    programs.sort(key=lambda row: row["index"])

    guidance = [
        {
            "id": item.id,
            "title": reader.title("guidance", item.id),
            "text": in_language(knowledge.guidance.get(item.id, {}).get("text"), lang),
            "because": reader.lines(item.because),
            "sources": list(item.sources),
            "sources_text": _sources_text(item.sources),
        }
        for item in advice.guidance
    ]

    unknowns = [
        {
            "path": unknown.path,
            "label": _unknown_label(reader, unknown.path),
            "answers": [reader.answer(unknown.path, a) for a in unknown.changing_answers],
        }
        for unknown in advice.unknowns
    ]

    trace = [
        {
            "number": number,
            "rule": step.rule,
            "facts": reader.lines(step.facts),
            "concluded": reader.lines(step.concluded),
        }
        for number, step in enumerate(advice.trace, start=1)
    ]

    view = {
        "lang": lang,
        "labels": labels,
        "header": {
            "title": labels["title"],
            "subtitle": labels["subtitle"],
            "recipient": labels["recipient"],
            "organization": advice.organization,
            "change": _text_or(change.get("summary"), labels["terms"]["not_stated"]),
        },
        "bottom_line": {
            "main_causes": [c for c in causes if levels.index(c["strength"]) == top],
            "start_with": strategies[:start_with],
        },
        "organization": _organization(reader, case, advice, knowledge, lang),
        "causes": causes,
        "strategies": strategies,
        "programs": programs,
        "guidance": guidance,
        "unknowns": unknowns,
        "sources": _sources(advice, knowledge, lang, reader),
        "trace": trace,
    }
    # Formats with pictures add the reasoning picture (``memo.render``); the key is
    # here for every template.
    return {**_clean_all(view), "reasoning_svg": ""}


def _text_or(value, fallback):
    if value in (None, "", UNKNOWN):
        return fallback
    return str(value)


def _unknown_label(reader, path):
    label = reader.field_label(path)
    place = CasePath.parse(path)
    if place.in_item and place.name is not None:
        name = reader.item_name(place.section, place.index)
        if name:
            label = f"{label} ({name})"
    return label
