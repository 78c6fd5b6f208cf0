"""The interview as a state machine: which question comes next, what an answer means,
going back. No input or output here (``engine.interview_console`` does that).

The most decisive question comes first: a question is asked only when
``engine.interview.relevance`` says its answer can still change the advice (or the
case needs it), and the open questions are ordered by how much their answer can still
change (``Relevance.weight``: the conclusions it can still reach through the rules),
re-weighed after every answer; ties keep the case file's order. The questions that can
still add a cause, make one stronger or bring a strategy among the first ones come
before those that can only add guidance, caveats or steps (``Relevance.headline_moves``:
what the answers so far already give counts for nothing, and a strategy whose best
score cannot reach the first ones counts for less). The required answers
that only name things (the organization, the change) come first, in one short group;
the questions that only describe the organization in the memo (type, sector, mission)
come last. Lists are entered one item at a time: "Add a stakeholder?", then the
item's name and its questions, then "Add another stakeholder?" when it is worth it.

``done`` at any prompt stops the asking: only the required answers still missing are
asked, and the rest stays unknown. ``how`` shows the advice so far.

The answers are kept as a partial case (only what is answered, in the case file's
shape), which is what the console writes after each answer and what ``--resume``
reads back. The questions, field labels and value labels come from
``knowledge/fields.yaml``; every other word from ``knowledge/interview.yaml``.
"""

import copy
import json
from dataclasses import dataclass

from perencana.engine.case.schema import FieldSpec, field_specs
from perencana.engine.case.validation import (
    consistency_problems,
    normalize_case,
    show_value,
    validate_case,
)
from perencana.engine.case.vocabulary import (
    LANGUAGES,
    LIST_SECTIONS,
    NOT_READ,
    UNKNOWN,
    AnswerWords,
    CasePath,
    generic_path,
    numbered_choices,
    read_answer,
)
from perencana.engine.interview.relevance import MISSING, Relevance, asked_regardless, lookup
from perencana.engine.reasoning.rule_catalog import ITEM_SECTIONS
from perencana.engine.view.words import in_language, sources_text

WORDING = "interview"
SECTIONS_WORDING = "interview_sections"
INCONSISTENT_WORDING = "interview_inconsistent"
# "Add a stakeholder?" is answered like a field that is true or false.
_ADD_SPEC = FieldSpec(path="", kind="boolean")


# Sections the interview does not ask about: the memo's own details (title, date...)
# never change the advice; a case file or the advise command's options give them.
NOT_ASKED = frozenset({"memo"})


def sections():
    """The case's sections the interview asks about, in the schema's order."""
    return tuple(
        dict.fromkeys(spec.section for spec in field_specs() if spec.section not in NOT_ASKED)
    )


def section_specs(section):
    """The specs of one section (of its items, for a list), in the schema's order."""
    return tuple(spec for spec in field_specs() if spec.section == section)


@dataclass(frozen=True)
class Question:
    """One question: about a field (``spec``) at a concrete ``path``
    (``programs[1].viable``), or whether to add an item to a list (``spec`` None,
    ``path`` the list, ``index`` the item that would be added)."""

    path: str
    section: str
    spec: object = None
    index: int = None

    @property
    def is_add(self):
        return self.spec is None

    @property
    def kind(self):
        return "add" if self.is_add else self.spec.kind

    @property
    def name(self):
        return self.path.rpartition(".")[2]

    @property
    def allows_unknown(self):
        """Whether ``unknown`` is an allowed answer (as the case format says)."""
        if self.is_add:
            return self.index == 0  # a whole list may be unknown, not once it has items
        return not self.spec.required


@dataclass(frozen=True)
class Reply:
    """What the interview says back to one line typed: ``kind`` is ``answered``,
    ``error``, ``help``, ``why``, ``how``, ``done``, ``back`` or ``nothing-to-undo``."""

    kind: str
    message: str = ""

    @property
    def ok(self):
        return self.kind == "answered"


@dataclass
class _Step:
    question: Question
    undo: tuple
    shown: str  # the answer as one would type it, offered again after ``back``


class Interview:
    """The questions and answers of one interview.

    ``data`` is a partial case to continue (as ``--resume`` reads it, checked with
    ``check_partial``); its answers are replayed in the interview's order, so that
    ``back`` can return to them.
    """

    def __init__(self, knowledge=None, lang="en", data=None, open_lists=None):
        if knowledge is None:
            from perencana.knowledge import load_knowledge

            knowledge = load_knowledge()
        self.knowledge = knowledge
        self.lang = lang
        self.data = {}
        self.closed = set()
        self.history = []
        self.defaults = {}
        self.finishing = False  # ``done`` was typed: only required answers are asked
        self.reopened = None  # a question reopened from the review, asked next
        self._advisor = None
        self._bar_cache = None
        # the lists a resumed partial case records as still open (None: not recorded)
        self._open_lists = None if open_lists is None else frozenset(open_lists)
        if data:
            self._resume(data)

    # ---------------------------------------------------------------- the wording

    def word(self, key, **values):
        """A text of ``interview.yaml`` in the interview's language, filled in."""
        text = in_language(self.knowledge.memo[WORDING][key], self.lang)
        return text.format(lang=self.lang, **values) if values else text

    def words(self, key):
        """Every word accepted for ``key`` (``yes_words``...), in both languages."""
        texts = self.knowledge.memo[WORDING][key]
        return {w.strip().casefold() for text in texts.values() for w in text.split("|")}

    def section_title(self, section):
        return in_language(self.knowledge.memo[SECTIONS_WORDING][section], self.lang)

    def _field(self, question):
        return self.knowledge.fields.get(question.spec.path, {})

    def label(self, question):
        """The field's label (the list's, for an add question)."""
        if question.is_add:
            return self.word(f"add_label_{question.section}")
        return in_language(self._field(question).get("label"), self.lang) or question.path

    def text(self, question):
        """The question as asked."""
        if question.is_add:
            which = "first" if question.index == 0 else "another"
            return self.word(f"add_{which}_{question.section}")
        return in_language(self._field(question).get("question"), self.lang) or question.path

    def meaning(self, question, value):
        """The label of one answer (``Gradual``), from fields.yaml."""
        values = self._field(question).get("values") or {}
        return in_language(values.get(value), self.lang) if value in values else ""

    def choices(self, question):
        """The answers listed with numbers: ``[(1, 'gradual', 'Gradual'), ...]``."""
        if question.kind not in ("enum", "enum-list"):
            return []
        values = numbered_choices(question.spec)
        return [(n, v, self.meaning(question, v)) for n, v in enumerate(values, start=1)]

    def hint(self, question):
        """The short reminder of the allowed answers, for the prompt line."""
        kind = question.kind
        if kind in ("boolean", "add"):
            hint = self.word("hint_boolean")
        elif kind == "enum":
            hint = self.word("hint_enum", count=len(self.choices(question)))
        elif kind == "count":
            hint = self.word("hint_count")
        elif kind == "enum-list":
            hint = self.word("hint_list")
        else:
            hint = ""
        if question.allows_unknown:
            hint = f"{hint}, {self.word('hint_unknown')}" if hint else self.word("hint_unknown")
        return hint

    def item_title(self, question):
        """``Stakeholder 2: shelter landlords`` for a question about an item, else ``""``."""
        if question.is_add or question.index is None:
            return ""
        item = self.data[question.section][question.index]
        return self.word(
            "section_item",
            section=self.word(f"item_{question.section}"),
            number=question.index + 1,
            name=item.get("name", self.word("new_item")),
        )

    def default(self, question):
        """The answer offered when Enter alone is typed: the one undone by ``back``
        (or reopened from the review), else unknown where unknown is allowed."""
        default = self.defaults.get(question.path)
        if default is None and question.allows_unknown:
            return self.word("answer_unknown")
        return default

    # ---------------------------------------------------------------- the flow

    def relevance(self):
        return Relevance(
            self.data, frozenset(self.closed), self.knowledge.thresholds, bar=self._bar()
        )

    def _bar(self):
        """The score a strategy needs to enter the first ones (``ranking.start_with``)
        in the advice so far: 0 while fewer are recommended."""
        key = json.dumps(self.case_data(), sort_keys=True, default=str)
        if self._bar_cache is None or self._bar_cache[0] != key:
            strategies = self.advice_so_far().strategies
            first = self.knowledge.thresholds["ranking"].get("start_with", 3)
            bar = strategies[first - 1].score if len(strategies) >= first else 0
            self._bar_cache = (key, bar)
        return self._bar_cache[1]

    def _candidates(self):
        """Every question the interview could ask now, answered or not, in order."""
        for section in sections():
            if section not in LIST_SECTIONS:
                for spec in section_specs(section):
                    yield Question(spec.path, section, spec)
                continue
            items = self.data.get(section, MISSING)
            if items is MISSING:
                yield Question(section, section, None, 0)
                continue
            if items == UNKNOWN:
                continue
            for index in range(len(items)):
                for spec in section_specs(section):
                    path = str(CasePath.item(section, index, spec.name))
                    yield Question(path, section, spec, index)
            if section not in self.closed:
                yield Question(section, section, None, len(items))

    def _answered(self, question):
        return not question.is_add and lookup(self.data, question.path) is not MISSING

    def open_questions(self, relevance=None):
        """Every question still to ask, the next first (see the module text)."""
        relevance = relevance or self.relevance()
        found = [
            q for q in self._candidates() if not self._answered(q) and relevance.is_relevant(q.path)
        ]
        if self.finishing:
            found = [q for q in found if not q.is_add and q.spec.required]
        if (
            self.reopened is not None
            and self.reopened not in found
            and not self._answered(self.reopened)
        ):
            # Reopened from the review: asked again whatever ``done`` or the other
            # answers since made of it, or the answer would be lost.
            found.insert(0, self.reopened)
        items = [q for q in found if q.index is not None and not q.is_add]
        rest = [q for q in found if q not in items]
        weights = self.weights(rest, relevance) if rest else {}
        first = [q for q in rest if not weights[q.path] and _required(q)]
        last = [q for q in rest if not weights[q.path] and not _required(q)]
        # what the answers so far already conclude gives a question no weight, but a
        # rule still waits for it: it comes before what only describes the organization
        last.sort(key=lambda q: not relevance.waiting_for(q.path))
        decisive = [q for q in rest if weights[q.path]]
        # the questions that can change the causes or the first strategies before
        # those that can only add guidance, caveats or steps; stable: ties keep the
        # file's order
        headline = {q.path: bool(relevance.headline_moves(q.path)) for q in decisive}
        decisive.sort(key=lambda q: (not headline[q.path], -weights[q.path]))
        ordered = items + first + decisive + last
        if self.reopened is not None and self.reopened in ordered:
            ordered.remove(self.reopened)
            ordered.insert(0, self.reopened)
        return ordered

    def next_question(self, relevance=None):
        """The next question to ask, or ``None`` when the interview is complete."""
        questions = self.open_questions(relevance)
        return questions[0] if questions else None

    def description_only(self, question):
        """Whether ``question`` only describes the organization in the memo: no rule
        reads it."""
        if question.is_add:
            return False
        return bool(asked_regardless(question.spec)) and not self.waiting_rules(question)

    def can_still_change(self, relevance=None):
        """How many open questions can still change the advice: those some rule waits
        for (a list that may grow counts its next "add" question)."""
        relevance = relevance or self.relevance()
        return sum(1 for q in self.open_questions(relevance) if relevance.waiting_for(q.path))

    def finish(self):
        """``done``: stop asking; only the required answers still missing are asked."""
        self.finishing = True
        self.reopened = None

    def skipped(self):
        """The paths of the questions passed over, because no answer to them could
        change the advice (all of them, once the interview is complete)."""
        relevance = self.relevance()
        return [
            question.path
            for question in self._candidates()
            if not self._answered(question) and not relevance.is_relevant(question.path)
        ]

    def left_unknown(self):
        """The paths of the questions that ``done`` left unanswered (they are unknown)."""
        if not self.finishing:
            return []
        relevance = self.relevance()
        return [
            question.path
            for question in self._candidates()
            if not self._answered(question)
            and not _required(question)
            and relevance.is_relevant(question.path)
        ]

    @property
    def asked(self):
        """How many questions have been answered (replayed ones included)."""
        return len(self.history)

    @property
    def answer_count(self):
        """How many answers the case holds: the review's rows, which the file's
        header and ``how`` count too (an "add another?" question is no answer)."""
        return sum(1 for q in self._candidates() if not q.is_add and self._answered(q))

    @property
    def complete(self):
        return self.next_question() is None

    # ---------------------------------------------------------------- answering

    def handle(self, question, line):
        """React to one ``line`` typed at ``question``: a command (``?``, ``why``,
        ``back``) or an answer. Returns a ``Reply``."""
        word = line.strip().casefold()
        if word in self.words("help_words"):
            return Reply("help", self.help_text(question))
        if word in self.words("why_words"):
            return Reply("why", self.why_text(question))
        if word in self.words("back_words"):
            if self.back() is None:
                return Reply("nothing-to-undo", self.word("nothing_to_undo"))
            return Reply("back", self.word("went_back"))
        if word in self.words("how_words"):
            return Reply("how", self.how_text())
        if word in self.words("done_words"):
            self.finish()
            return Reply("done", self.done_text())
        return self.answer(question, line)

    def answer(self, question, line):
        """Answer ``question`` with the text ``line``: ``Reply('answered')``, or
        ``Reply('error', why it is not allowed)`` and nothing changes."""
        text = line.strip()
        if not text and self.default(question) is not None:
            text = self.default(question)
        value, problem = self.parse(question, text)
        if problem:
            return Reply("error", problem)
        self.apply(question, value)
        if self.reopened == question:
            self.reopened = None
        return Reply("answered")

    def parse(self, question, text):
        """``(value, None)`` for an allowed answer, ``(None, message)`` otherwise."""
        word = text.casefold()
        if word in self.words("unknown_words"):
            if question.allows_unknown:
                return UNKNOWN, None
            key = "unknown_not_now" if question.is_add else "unknown_not_allowed"
            return None, self.word(key, path=question.path)
        if not text:
            return None, self.word("no_answer", path=question.path, allowed=self.allowed(question))
        spec = _ADD_SPEC if question.is_add else question.spec
        named = None if question.is_add else self.answer_names(question)
        value = read_answer(spec, text, self.answer_words(), numbered=True, named=named)
        if value is NOT_READ:
            return None, self.not_allowed(question, text)
        problem = self._schema_problem(question, value)
        return value, problem or self._consistency_problem(question, value)

    def _schema_problem(self, question, value):
        """What the case schema itself says against ``value`` (a limit the parsing does
        not know, such as a longest text), in the validator's words; else ``None``."""
        section = question.section
        if question.is_add:
            if value is not True:
                return None
            items = self.data.get(section)
            count = len(items) if isinstance(items, list) else 0
            probe, where = {section: [{"name": "?"}] * (count + 1)}, section
        elif question.index is not None:
            probe = {section: [{"name": "?", question.name: value}]}
            where = f"{section}[0].{question.name}"
        else:
            probe, where = {section: {question.name: value}}, question.path
        for problem in validate_case(probe):
            if problem.path == where:
                return problem.at(question.path)
        return None

    def _consistency_problem(self, question, value):
        """What ``value`` contradicts among the answers given (years to the present
        state beyond the organization's age), in the interview's words; else ``None``.
        It is told when the second of the two answers is given, whichever it is."""
        if question.is_add:
            return None
        probe = copy.deepcopy(self.data)
        CasePath.parse(question.path).set(probe, value)
        for problem in consistency_problems(probe):
            if question.path in (problem.path, problem.values["other"]):
                return self.inconsistency(problem, question.path)
        return None

    def inconsistency(self, problem, path):
        """An ``inconsistent`` problem told about the answer at ``path``, one of its
        two fields: as the validator tells it when ``path`` is the field too large,
        else from the side of the field that limits it."""
        reason = in_language(
            self.knowledge.memo[INCONSISTENT_WORDING][generic_path(problem.path)], self.lang
        )
        values = problem.values
        if path == problem.path:
            return self.word(
                "inconsistent",
                path=path,
                value=show_value(values["value"]),
                other=values["other"],
                other_value=show_value(values["other_value"]),
                reason=reason,
            )
        return self.word(
            "inconsistent_limit",
            path=path,
            value=show_value(values["other_value"]),
            other=problem.path,
            other_value=show_value(values["value"]),
            reason=reason,
        )

    def not_allowed(self, question, text):
        if question.kind == "enum-list":
            bad = _bad_items(question.spec, text)
            if bad:
                return self.word(
                    "not_allowed_item",
                    path=question.path,
                    items=", ".join(show_value(item) for item in bad),
                    allowed=self.allowed(question),
                )
        return self.word(
            "not_allowed",
            path=question.path,
            value=show_value(text),
            allowed=self.allowed(question),
        )

    def allowed(self, question):
        """What ``question`` allows, worded like the validator's messages."""
        kind = question.kind
        if kind in ("boolean", "add"):
            allowed = self.word("allowed_boolean")
        elif kind == "enum":
            values = [value for _, value, _ in self.choices(question)]
            allowed = self.word("allowed_enum", choices=", ".join(values), count=len(values))
        elif kind == "count":
            allowed = self.word("allowed_count")
        elif kind == "enum-list":
            values = [value for _, value, _ in self.choices(question)]
            allowed = self.word("allowed_list", choices=", ".join(values))
        else:
            allowed = self.word("allowed_text")
        return self.word("or_unknown", allowed=allowed) if question.allows_unknown else allowed

    def answer_names(self, question):
        """The phrases that name a choice of ``question``, casefolded: each answer's
        label and the words its question offers (``answers`` in ``fields.yaml``), in
        both languages, as the yes/no words are."""
        item = self.knowledge.fields.get(generic_path(question.path)) or {}
        named = {}
        for value, texts in (item.get("values") or {}).items():
            if value == UNKNOWN or not isinstance(texts, dict):
                continue
            phrases = [texts.get(lang, "") for lang in LANGUAGES]
            for lang in LANGUAGES:
                phrases += (item.get("answers") or {}).get(value, {}).get(lang, [])
            for phrase in phrases:
                if phrase:
                    named.setdefault(" ".join(phrase.casefold().split()), value)
        return named

    def answer_words(self):
        """The words every answer may be (yes, no, unknown, none), in both languages."""
        return AnswerWords(
            yes=frozenset(self.words("yes_words")),
            no=frozenset(self.words("no_words")),
            unknown=frozenset(self.words("unknown_words")),
            none=frozenset(self.words("none_words")),
        )

    def apply(self, question, value):
        """Record ``value`` (already checked) as the answer to ``question``."""
        if question.is_add:
            section = question.section
            before = self.data.get(section, MISSING)
            before = before if before is MISSING else copy.deepcopy(before)
            undo = ("list", section, before, section in self.closed)
            if value is True:
                self.data.setdefault(section, []).append({})
            elif value is False:
                self.data.setdefault(section, [])
                self.closed.add(section)
            else:
                self.data[section] = UNKNOWN
                self.closed.add(section)
        else:
            undo = ("field", question.path, lookup(self.data, question.path))
            self._set(question.path, value)
        self.history.append(_Step(question, undo, _shown(value, self)))
        self.defaults.pop(question.path, None)

    def back(self):
        """Undo the last answer; return the question it answered (asked again next),
        or ``None`` when nothing was answered yet."""
        if not self.history:
            return None
        step = self.history.pop()
        if step.undo[0] == "list":
            _, section, before, was_closed = step.undo
            if before is MISSING:
                self.data.pop(section, None)
            else:
                self.data[section] = before
            if not was_closed:
                self.closed.discard(section)
        else:
            _, path, before = step.undo
            self._set(path, before)
        if step.shown:
            self.defaults[step.question.path] = step.shown
        return step.question

    def _set(self, path, value):
        place = CasePath.parse(path)
        if value is MISSING:
            place.delete(self.data)
        else:
            place.set(self.data, value)

    # ---------------------------------------------------------------- ? and why

    def help_text(self, question):
        """The allowed answers of ``question`` with their meaning (``?``)."""
        lines = [self.word("help_heading", label=self.label(question))]
        kind = question.kind
        if kind in ("enum", "enum-list"):
            for number, value, meaning in self.choices(question):
                lines.append(
                    "  " + self.word("choice_line", number=number, value=value, meaning=meaning)
                )
            if kind == "enum-list":
                lines.append("  " + self.word("help_list"))
        elif kind == "boolean":
            for value, key in ((True, "answer_yes"), (False, "answer_no")):
                meaning = self.meaning(question, value)
                lines.append("  " + self.word("value_line", value=self.word(key), meaning=meaning))
        elif kind == "add":
            lines.append("  " + self.word("help_add"))
            if question.allows_unknown:
                lines.append("  " + self.word("help_add_unknown"))
        elif kind == "count":
            lines.append("  " + self.word("help_count"))
        else:
            lines.append("  " + self.word("help_text"))
        if question.allows_unknown and kind != "add":
            lines.append("  " + self.word("help_unknown"))
        elif not question.allows_unknown:
            lines.append(self.word("help_required"))
        default = self.default(question)
        if default is not None:
            lines.append(self.word("help_default", default=default))
        lines.append(self.word("help_commands"))
        return "\n".join(lines)

    def waiting_rules(self, question):
        """The rules that MAY still fire and wait for this answer."""
        return self.relevance().waiting_for(question.path)

    def why_text(self, question):
        """Why ``question`` is asked: the rules waiting for it, what they would
        conclude and their ¶ sources (``why``)."""
        from perencana.engine.teaching.catalog_view import conclusion_text
        from perencana.engine.view.conditions import ConditionWriter

        lines = []
        reason = "" if question.is_add else asked_regardless(question.spec)
        if reason == "required":
            name_of_item = question.index is not None and question.name == "name"
            lines.append(self.word("why_item_name" if name_of_item else "why_required"))
        elif reason == "shown":
            lines.append(self.word("why_shown"))
        rules = self.waiting_rules(question)
        if rules:
            writer = ConditionWriter(self.knowledge, self.lang)
            lines.append(self.word("why_waiting", count=len(rules)))
            for rule in rules:
                conditions = self.word("why_and").join(writer.conditions(rule))
                conclusions = self.word("why_also").join(
                    conclusion_text(conclusion, writer.reader) for conclusion in rule.conclusions
                )
                sources = sources_text(rule.sources)
                lines.append(
                    self.word(
                        "why_rule",
                        rule=rule.id,
                        conditions=conditions,
                        conclusions=conclusions,
                        sources=sources,
                    )
                )
        return "\n".join(lines)

    # ---------------------------------------------------------------- how and done

    def advisor(self):
        if self._advisor is None:
            from perencana.engine.reasoning.advisor import Advisor

            self._advisor = Advisor(self.knowledge)
        return self._advisor

    def advice_so_far(self):
        """The advice of the answers so far, whatever is not answered taken as
        unknown (the rules only; which unknowns matter is not worked out)."""
        return self.advisor().infer(provisional_case(self.case_data()))

    def weights(self, questions, relevance):
        """How decisive each of ``questions`` is: ``Relevance.weight``, what its
        answer can still reach through the rules that may fire; "add an item?" is
        divided by what an item costs in questions (its name and the answers the rules
        read, each ``interview_order.item_cost``), since a yes asks them all."""
        settings = self.knowledge.thresholds.get("interview_order", {})
        per_item = settings.get("item_cost", 0)
        weights = {}
        for q in questions:
            weight = relevance.weight(q.path)
            if q.is_add and weight and per_item:
                cost = 1 + per_item * self._item_questions(q.section, relevance)
                weight = max(1, round(weight / cost))
            weights[q.path] = weight
        return weights

    def _item_questions(self, section, relevance):
        """How many questions a new item of ``section`` asks: its name and each of its
        answers some rule that may fire reads."""
        facts = _item_facts(section)
        reads = set()
        for rule in relevance.may_fire:
            for condition in rule.conditions:
                if not condition.negated and condition.fact in facts:
                    reads.update(c.key for c in condition.constraints)
        names = {spec.name for spec in section_specs(section)}
        return 1 + len(reads & names)

    def how_text(self):
        """``how``: the advice so far (the life-cycle stage, the causes with their
        strength, the strategies to start with) and the rules that gave it."""
        from perencana.engine.view.words import FactReader

        advice = self.advice_so_far()
        reader = FactReader(advice, self.knowledge, self.lang)
        lines = [self.word("how_heading", count=self.answer_count)]
        if advice.lifecycle and advice.lifecycle != UNKNOWN:
            stage = in_language(
                self.knowledge.lifecycle.get(advice.lifecycle, {}).get("title"), self.lang
            )
            lines.append(self.word("how_stage", stage=stage or advice.lifecycle))
        lines.append(self.word("how_causes") if advice.causes else self.word("how_no_cause"))
        for cause in advice.causes:
            lines.append(
                self.word(
                    "how_cause",
                    cause=reader.title("causes", cause.id),
                    strength=reader.strength(cause.strength),
                    rules=", ".join(cause.rules),
                )
            )
        first = [s for s in advice.strategies if s.start_with] or advice.strategies[:3]
        lines.append(self.word("how_strategies") if first else self.word("how_no_strategy"))
        for strategy in first:
            lines.append(
                self.word(
                    "how_strategy",
                    rank=strategy.rank,
                    strategy=reader.title("strategies", strategy.id),
                    rules=", ".join(strategy.rules),
                )
            )
        return "\n".join(lines)

    def done_text(self):
        return self.word("done")

    # ---------------------------------------------------------------- the review

    def review_rows(self):
        """The answers given, in the case file's order: ``[(number, question,
        label, answer)]``, each answer in the words the memo uses for it (``""`` when
        the label is the answer itself); the number is what ``reopen`` takes."""
        from perencana.engine.view.words import FactReader

        reader = FactReader(None, self.knowledge, self.lang)
        rows = []
        for question in self._candidates():
            if question.is_add or not self._answered(question):
                continue
            value = lookup(self.data, question.path)
            label = self.label(question)
            item = self.item_title(question)
            answer = _labelled(value, question.path, reader, self)
            if question.kind == "boolean" and label.casefold() in answer.casefold():
                # A yes/no answer labelled as a statement ("New staff needed") says
                # its field: "New staff needed: New staff needed" would not read.
                label, answer = answer, ""
            rows.append((len(rows) + 1, question, f"{item} · {label}" if item else label, answer))
        return rows

    def reopen(self, number):
        """Ask the answer numbered ``number`` in the review again (next, with its
        answer offered on Enter); ``False`` when there is no such number."""
        rows = self.review_rows()
        if not 1 <= number <= len(rows):
            return False
        _, question, _, _ = rows[number - 1]
        # Offered on Enter as the user would type it.
        self.defaults[question.path] = _shown(lookup(self.data, question.path), self)
        self._set(question.path, MISSING)
        self.reopened = question
        return True

    def summary_text(self, advice):
        """The bottom line of the final advice: the causes with their strength, the
        strategies to start with, and how many unknown answers would change it."""
        from perencana.engine.view.words import FactReader

        reader = FactReader(advice, self.knowledge, self.lang)
        lines = [self.word("summary_heading", name=advice.organization)]
        lines.append(self.word("how_causes") if advice.causes else self.word("how_no_cause"))
        for cause in advice.causes:
            lines.append(
                self.word(
                    "summary_cause",
                    cause=reader.title("causes", cause.id),
                    strength=reader.strength(cause.strength),
                )
            )
        first = [s for s in advice.strategies if s.start_with] or advice.strategies[:3]
        lines.append(self.word("how_strategies") if first else self.word("how_no_strategy"))
        for strategy in first:
            lines.append(
                self.word(
                    "summary_strategy",
                    rank=strategy.rank,
                    strategy=reader.title("strategies", strategy.id),
                )
            )
        if advice.unknowns:
            paths = ", ".join(finding.path for finding in advice.unknowns)
            lines.append(self.word("summary_unknowns", count=len(advice.unknowns), paths=paths))
        return "\n".join(lines)

    # ---------------------------------------------------------------- the case

    def case_data(self):
        """The answers so far as a case file's data, in the schema's order."""
        ordered = {}
        for section in sections():
            if section not in self.data:
                continue
            value = self.data[section]
            if isinstance(value, dict):
                names = [s.name for s in section_specs(section)]
                value = {name: value[name] for name in names if name in value}
            elif isinstance(value, list):
                names = [s.name for s in section_specs(section)]
                value = [{name: item[name] for name in names if name in item} for item in value]
            ordered[section] = copy.deepcopy(value)
        return ordered

    def final_case(self):
        """The validated, normalized case once the interview is complete."""
        data = self.case_data()
        problems = validate_case(data)
        if problems:  # the answers were checked one by one: this is a bug, not the user's
            raise AssertionError("the interview made an invalid case: " + "; ".join(problems))
        return normalize_case(data)

    # ---------------------------------------------------------------- resuming

    def open_lists(self):
        """The lists with items to which another may still be added."""
        return tuple(
            section
            for section in LIST_SECTIONS
            if isinstance(self.data.get(section), list) and section not in self.closed
        )

    def _resume(self, loaded):
        """Replay the answers of a partial case in the interview's order (so that
        ``back`` can undo them), then keep whatever else it answers."""
        while True:
            for question in self.open_questions():
                value = _loaded_answer(loaded, question, self.data, self._open_lists)
                if value is not MISSING:
                    self.apply(question, value)
                    break
            else:
                break
        self._merge(loaded)

    def _merge(self, loaded):
        for section in sections():
            value = loaded.get(section, MISSING)
            if value is MISSING:
                continue
            if section not in LIST_SECTIONS:
                target = self.data.setdefault(section, {})
                for name, answer in value.items():
                    target.setdefault(name, copy.deepcopy(answer))
                continue
            if value == UNKNOWN:
                if section not in self.data:
                    self.data[section] = UNKNOWN
            else:
                items = self.data.setdefault(section, [])
                if items == UNKNOWN:
                    continue
                for index, item in enumerate(value):
                    if index >= len(items):
                        items.append({})
                    for name, answer in item.items():
                        items[index].setdefault(name, copy.deepcopy(answer))
            if _closed_in(loaded, section, self._open_lists):
                self.closed.add(section)


def _closed_in(loaded, section, open_lists=None):
    """Whether the list ``section`` of a partial case is complete: it is unknown or
    empty, or the file records the lists still open and it is not one of them (else,
    in a file that does not say, something after it in the file is answered already)."""
    value = loaded.get(section, MISSING)
    if value is MISSING:
        return False
    if value == UNKNOWN or value == []:
        return True
    if open_lists is not None:
        return section not in open_lists
    after = sections()[sections().index(section) + 1 :]
    return any(name in loaded for name in after)


def _loaded_answer(loaded, question, data, open_lists=None):
    """The answer a partial case gives to ``question``, or ``MISSING``."""
    if not question.is_add:
        return lookup(loaded, question.path)
    value = loaded.get(question.section, MISSING)
    if value is MISSING:
        return MISSING
    if value == UNKNOWN:
        return UNKNOWN if question.index == 0 else MISSING
    current = data.get(question.section)
    count = len(current) if isinstance(current, list) else 0
    if len(value) > count:
        return True
    return False if _closed_in(loaded, question.section, open_lists) else MISSING


def _bad_items(spec, text):
    """The items of a list answer that are none of the choices (nor their numbers)."""
    from perencana.engine.case.vocabulary import _LIST_SEPARATORS, _choice

    parts = [part for part in _LIST_SEPARATORS.split(text.strip(",; ")) if part]
    return [part for part in parts if _choice(spec, part, True) is NOT_READ]


def _item_facts(section):
    return {fact for fact, owner in ITEM_SECTIONS.items() if owner == section}


def _required(question):
    return not question.is_add and question.spec.required


def _labelled(value, path, reader, interview):
    """An answer in the words the memo uses for it ("No funds", "Inside the
    organization"); a list's answers each so, a number or a text as given."""
    if isinstance(value, list):
        if not value:
            return interview.word("answer_none")
        return ", ".join(reader.value_label(path, item) for item in value)
    return reader.value_label(path, value)


def _shown(value, interview):
    """An answer as the user would type it (offered again after ``back``)."""
    if value is True:
        return interview.word("answer_yes")
    if value is False:
        return interview.word("answer_no")
    if value == UNKNOWN:
        return interview.word("answer_unknown")
    if isinstance(value, list):
        return ", ".join(value) if value else interview.word("answer_none")
    return str(value)


def provisional_case(data):
    """A partial case made whole for the rules: every answer not given unknown, an
    item not named yet named ``?``. Not a valid case file (a required answer may be
    unknown): only for the advice so far."""
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import _normalize, case_schema

    data = copy.deepcopy(data)
    for spec in field_specs():
        if spec.required and not spec.place.in_item:
            data.setdefault(spec.section, {}).setdefault(spec.name, UNKNOWN)
    for section in LIST_SECTIONS:
        if isinstance(data.get(section), list):
            for item in data[section]:
                item.setdefault("name", "?")
    return _normalize(data, case_schema())


def check_partial(data):
    """The problems of a partial case read for ``--resume``: everything the validator
    finds except missing required answers (they are what the interview will ask)."""
    if data is None:
        return []
    return [problem for problem in validate_case(data) if problem.code != "missing"]
