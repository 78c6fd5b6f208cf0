"""Explanations: how each conclusion of the advice was reached, or why one was not.

``explain_case`` runs the rules on a case (on the advisor's reused engine), keeps
the working memory of the run, and builds a plain data model (dicts and lists, the
same for the same case): for a conclusion, the rules that fired to reach it, each
with its statement, the facts it matched and its ¶ sources, and beneath a matched
fact that an earlier rule concluded, the rules that concluded it, recursively; for
something not concluded, every rule that could conclude it, with each of its
conditions checked against the working memory. ``render_explanation`` shows the
model as text (``templates/explain.text.j2``) or JSON. Every word comes from
``knowledge/explain.yaml``; Indonesian rule statements from
``knowledge/rule_statements.yaml`` when it has the rule, else they are made from
the rule's conditions and conclusions.
"""

import difflib
import json
import re
import shlex

from perencana.engine.case.schema import UNKNOWN
from perencana.engine.errors import PerencanaError
from perencana.engine.reasoning.advice_builder import build_advice
from perencana.engine.reasoning.case_facts import case_facts
from perencana.engine.reasoning.facts import FactRef
from perencana.engine.reasoning.rule_catalog import (
    rule_catalog,
    rule_statements,
    rules_by_id,
    rules_concluding,
)
from perencana.engine.view.advice_json import fact_text, show_value
from perencana.engine.view.conditions import ConditionWriter
from perencana.engine.view.words import FactReader, in_language, sources_text

FORMAT = "perencana-explanation/1"
FORMATS = ("text", "json")
TEMPLATE = "explain.text.j2"
# A parenthesis that only cites passages, "(¶54, ¶59)": the sources are shown apart.
CITATION = re.compile(r"\s*\(¶\d+(?:[–-]¶?\d+)?(?:,\s*¶\d+(?:[–-]¶?\d+)?)*\)")
STAGE_WORD = "lifecycle"
ITEM_FACTS = {"Stakeholder": "stakeholders", "Program": "programs"}


class ExplainError(PerencanaError):
    """Raised when an explain request cannot be answered (an unknown id), or, with
    ``usage``, when its arguments cannot go together (an ID with ``--step``: exit 2,
    as for the command line's other usage errors); its lines are already worded in
    the user's language."""

    def __init__(self, lines, usage=False):
        self.lines = list(lines)
        if usage:
            self.exit_code = 2
        super().__init__(" ".join(self.lines))

    def messages(self):
        return self.lines


def run_case(advisor, case):
    """Run the rules on ``case`` with ``advisor``'s engine: the advice (without the
    unknown-answer check) and the facts in working memory after the run."""
    facts = advisor.engine.infer(case_facts(case, advisor.knowledge.thresholds))
    advice = build_advice(case, facts, advisor.engine.trace, advisor.knowledge)
    return advice, facts


def strip_citations(text):
    """``text`` without the parentheses that only cite passages."""
    return " ".join(CITATION.sub("", text).split())


class Explainer:
    """Builds explanations for one run of one case, in one language."""

    def __init__(self, advice, facts, knowledge, lang="en", case_label="CASE"):
        self.advice = advice
        self.facts = list(facts)
        self.knowledge = knowledge
        self.lang = lang
        self.case_label = case_label
        # The "see: perencana explain ..." hints, as they can be typed again: the
        # case's name quoted for a shell when need be, and the language kept.
        self.see_case = shlex.quote(str(case_label))
        self.see_lang = "" if lang == "en" else f" --lang {lang}"
        self.case = advice.case or {}
        self.reader = FactReader(advice, knowledge, lang)
        self.labels = self.reader.labels
        self.words = self.labels["explain"]
        self.why_words = self.labels["explain_why_not"]
        self.conclusion_words = self.labels["explain_conclusions"]
        self.writer = ConditionWriter(knowledge, lang)
        self.rules = rules_by_id()
        self.trace = list(advice.trace)
        self.concluded = {ref for step in self.trace for ref in step.concluded}
        self.sections = {}

    # -- what can be explained ----------------------------------------------------

    def items(self):
        """Every conclusion of the advice, in the memo's order; a stage or program
        left undecided is included, explained by why not."""
        items = [("lifecycle", self.advice.lifecycle)]
        items += [("cause", cause.id) for cause in self.advice.causes]
        items += [("strategy", strategy.id) for strategy in self.advice.strategies]
        items += [("program", index) for index, _ in enumerate(self._programs())]
        items += [("guidance", item.id) for item in self.advice.guidance]
        return items

    def _programs(self):
        programs = self.case.get("programs")
        return programs if isinstance(programs, list) else []

    def valid_ids(self):
        """Every id ``explain CASE ID`` accepts for this case."""
        ids = [STAGE_WORD, *self.knowledge.lifecycle, *self.knowledge.causes]
        ids += [*self.knowledge.strategies, *self.knowledge.decisions, *self.knowledge.guidance]
        ids += [str(program["name"]) for program in self._programs()]
        return list(dict.fromkeys(ids))

    def resolve(self, item_id):
        """The items an id names; an unknown id raises ``ExplainError``."""
        wanted = str(item_id).strip()
        key = wanted.casefold()
        if key == STAGE_WORD:
            return [("lifecycle", self.advice.lifecycle)]
        for kind, table in (
            ("lifecycle", self.knowledge.lifecycle),
            ("cause", self.knowledge.causes),
            ("strategy", self.knowledge.strategies),
            ("guidance", self.knowledge.guidance),
        ):
            if key in table:
                return [(kind, key)]
        if key in self.knowledge.decisions:
            decided = [p.index for p in self.advice.programs if p.decision == key]
            return [("program", index) for index in decided] or [("decision", key)]
        named = [
            index
            for index, program in enumerate(self._programs())
            if " ".join(str(program["name"]).split()).casefold() == " ".join(key.split())
        ]
        if named:
            return [("program", index) for index in named]
        by_label = self.labels_to_ids().get(_label_key(wanted))
        if by_label is not None:
            return self.resolve(by_label)
        raise ExplainError(self._unknown_id_lines(wanted))

    def labels_to_ids(self):
        """The titles the memo shows, in every language (``Work as a partner``,
        ``Bekerja sebagai mitra``), folded for matching -> the id they name."""
        found = {}
        for table in (
            self.knowledge.lifecycle,
            self.knowledge.causes,
            self.knowledge.strategies,
            self.knowledge.decisions,
            self.knowledge.guidance,
        ):
            for key, item in table.items():
                title = item.get("title") or {}
                texts = title.values() if isinstance(title, dict) else [title]
                for text in texts:
                    found.setdefault(_label_key(text), key)
        return found

    def _unknown_id_lines(self, wanted):
        errors = self.labels["explain_errors"]
        valid = self.valid_ids()
        by_key = {v.casefold(): v for v in valid}
        for text in self._titles():  # the memo's labels, in either language, are near misses too
            by_key.setdefault(_label_key(text), text)
        close = difflib.get_close_matches(_label_key(wanted), list(by_key), n=6, cutoff=0.6)
        ids = self.labels_to_ids()
        suggested, seen = [], set()
        for key in close:  # an id and its label name one thing: suggested once
            named = ids.get(key, key)
            if named not in seen:
                seen.add(named)
                suggested.append(by_key[key])
        problem = errors["unknown_id"].format(id=wanted)
        if suggested:
            return [errors["did_you_mean"].format(problem=problem, ids=", ".join(suggested[:3]))]
        return [errors["valid_ids"].format(problem=problem, ids=", ".join(valid))]

    def _titles(self):
        """The titles of everything explainable, in the explanation's language first,
        then in the others (a label may be typed in either)."""
        tables = (
            self.knowledge.lifecycle,
            self.knowledge.causes,
            self.knowledge.strategies,
            self.knowledge.decisions,
            self.knowledge.guidance,
        )
        titles = [in_language(item.get("title"), self.lang) for t in tables for item in t.values()]
        for table in tables:
            for item in table.values():
                title = item.get("title")
                if isinstance(title, dict):
                    titles += list(title.values())
        return [title for title in dict.fromkeys(titles) if title]

    # -- the model ----------------------------------------------------------------

    def explain(self, item_id=None):
        """The explanation model: every conclusion, or only what ``item_id`` names."""
        targets = self.items() if item_id is None else self.resolve(item_id)
        # Explaining everything, a conclusion that has its own section is referred to
        # by its number where another one uses it, instead of being explained again.
        self.sections = {}
        if item_id is None:
            for number, (kind, key) in enumerate(targets, start=1):
                self.sections[_concluding_ref(kind, key)] = number
        items = []
        for number, (kind, key) in enumerate(targets, start=1):
            items.append({"number": number, **self.item(kind, key)})
        return {
            "format": FORMAT,
            "organization": self.advice.organization,
            "case": self.case_label,
            "lang": self.lang,
            "id": None if item_id is None else str(item_id).strip(),
            "items": items,
        }

    def item(self, kind, key):
        """One item: how it was reached, or (not concluded) why not."""
        heading = self._heading(kind, key)
        steps = self._steps_for(kind, key)
        entry = {"kind": kind, "id": heading.pop("id"), **heading, "concluded": bool(steps)}
        if steps:
            # Its own description is explained here, not referred to.
            own = _concluding_ref(kind, key)
            seen = {own}
            entry["steps"] = [self._step_or_section(index, seen, own) for index in steps]
            qualifiers = self._qualifier_steps(key) if kind == "strategy" else []
            entry["qualifiers"] = [self.step(index, seen) for index in qualifiers]
        else:
            entry["detail"] = self.words["detail_not_concluded"]
            entry["why_not"] = self.why_not(kind, key)
        return entry

    def _heading(self, kind, key):
        words = self.words
        heading = {"kind_label": words[f"kind_{kind}"], "detail": ""}
        if kind == "lifecycle":
            known = key in self.knowledge.lifecycle
            heading["title"] = self.reader.title("lifecycle", key) if known else key
            if not known:
                heading["title"] = self.reader.terms["unknown"]
                return {"id": STAGE_WORD, **heading}
            return {"id": key, **heading}
        if kind == "program":
            program = self._programs()[key]
            found = next((p for p in self.advice.programs if p.index == key), None)
            heading["title"] = str(program["name"])
            if found is not None:
                decision = self.reader.decision(found.decision)
                heading["detail"] = words["detail_decision"].format(decision=decision)
            return {"id": str(program["name"]), "index": key, **heading}
        if kind == "decision":
            heading["title"] = self.reader.decision(key)
            return {"id": key, **heading}
        plural = {"cause": "causes", "strategy": "strategies", "guidance": "guidance"}[kind]
        heading["title"] = self.reader.title(plural, key)
        if kind == "cause":
            found = next((c for c in self.advice.causes if c.id == key), None)
            if found is not None:
                strength = self.reader.strength(found.strength)
                heading["detail"] = words["detail_strength"].format(strength=strength)
        elif kind == "strategy":
            found = next((s for s in self.advice.strategies if s.id == key), None)
            if found is not None:
                heading["detail"] = words["detail_rank"].format(rank=found.rank)
        elif any(g.id == key for g in self.advice.guidance):
            heading["detail"] = words["detail_given"]
        return {"id": key, **heading}

    # -- how: the trace steps behind a conclusion -----------------------------------

    def _steps_where(self, wanted, before=None):
        end = len(self.trace) if before is None else before
        return [
            index for index in range(end) if any(wanted(ref) for ref in self.trace[index].concluded)
        ]

    def _steps_for(self, kind, key):
        if kind == "lifecycle":
            return self._steps_where(lambda ref: ref == FactRef("lifecycle", value=key))
        if kind == "cause":
            # A life-cycle stage that moved the cause's strength is among its evidence:
            # the rule that concluded the stage is shown with the cause.
            found = next((c for c in self.advice.causes if c.id == key), None)
            stages = {r for r in (found.evidence if found else []) if r.kind == "lifecycle"}
            about = _about_cause(key)
            return self._steps_where(lambda ref: about(ref) or ref in stages)
        if kind == "strategy":
            return self._steps_where(lambda ref: ref == FactRef("recommended", value=key))
        if kind == "program":
            return self._steps_where(lambda ref: ref.kind == "decision" and ref.index == key)
        if kind == "guidance":
            return self._steps_where(lambda ref: ref.kind == "guidance" and ref.value == key)
        return []

    def _qualifier_steps(self, strategy):
        def about(ref):
            return ref.kind in ("caveat", "first-step") and ref.get("strategy") == strategy

        return self._steps_where(about)

    def _support(self, fact, before):
        """The steps before ``before`` that concluded ``fact``; for a cause, every step
        that concluded evidence for it too."""
        if fact.kind == "cause" and fact.value in self.knowledge.causes:
            return self._steps_where(_about_cause(fact.value), before)
        return self._steps_where(lambda ref: ref == fact, before)

    def _step_or_section(self, index, seen, own):
        """A step of an item: in full, or, where the step only concluded what another
        section explains (the life-cycle stage that moved a cause's strength), its
        rule and that section's number (``see_section``)."""
        concluded = self.trace[index].concluded
        numbers = {self.sections.get(ref) for ref in concluded if ref != own}
        if concluded and None not in numbers and len(numbers) == 1:
            return {
                **self.rule_heading(self.trace[index].rule),
                "step": index + 1,
                "see_section": numbers.pop(),
                "facts": [],
                "concluded": [self.fact(ref) for ref in concluded],
            }
        return self.step(index, seen)

    def step(self, index, seen):
        """One rule firing, with the conclusions it matched explained beneath."""
        trace_step = self.trace[index]
        seen.update(trace_step.concluded)
        facts = []
        for ref in trace_step.facts:
            node = self.fact(ref)
            if ref in self.concluded:
                if ref in seen:
                    node["explained_above"] = True
                elif ref in self.sections:
                    node["see_section"] = self.sections[ref]
                else:
                    seen.add(ref)
                    node["reached_by"] = [
                        self.step(earlier, seen) for earlier in self._support(ref, index)
                    ]
            facts.append(node)
        return {
            **self.rule_heading(trace_step.rule),
            "step": index + 1,
            "facts": facts,
            "concluded": [self.fact(d) for d in trace_step.concluded],
        }

    def fact(self, ref):
        """One fact as the explanation shows it: as the JSON advice writes it, and as a
        readable line in the language."""
        line = self.reader.line(ref)
        return {"fact": fact_text(ref), "text": line["text"], "ref": line["ref"]}

    def rule_heading(self, rule_id):
        rule = self.rules.get(rule_id)
        sources = list(rule.sources) if rule else []
        return {
            "rule": rule_id,
            "statement": self.statement(rule) if rule else "",
            "sources": sources,
            "sources_text": sources_text(sources),
        }

    def statement(self, rule):
        """What ``rule`` says, in the language."""
        if self.lang == "en" and rule.statement:
            return strip_citations(rule.statement)
        if self.lang != "en":
            written = rule_statements().get(rule.id)
            if isinstance(written, dict):
                written = written.get(self.lang)
            if isinstance(written, str) and written.strip():
                return strip_citations(written)
        return self.generated_statement(rule)

    def generated_statement(self, rule):
        """A rule's statement made from its conditions and conclusions."""
        words = self.conclusion_words
        joiner = self.writer.words["and"]
        conclusions = joiner.join(dict.fromkeys(self._conclusion(c) for c in rule.conclusions))
        if not rule.conditions:
            return words["always_then"].format(conclusions=conclusions)
        conditions = joiner.join(self.writer.conditions(rule))
        return words["if_then"].format(conditions=conditions, conclusions=conclusions)

    def _conclusion(self, conclusion):
        words, title = self.conclusion_words, self.reader.title
        target = conclusion.target
        if conclusion.kind == "lifecycle":
            return self.writer.words["stage_is"].format(stage=title("lifecycle", target))
        if conclusion.kind == "evidence":
            cause = title("causes", target)
            if conclusion.strength == "raise":
                return words["evidence_raise"].format(cause=cause)
            strength = self.reader.strength(conclusion.strength)
            return words["evidence"].format(cause=cause, strength=strength)
        if conclusion.kind == "cause":
            if target == "*":
                return words["cause_any"]
            return self.writer.words["cause_is"].format(cause=title("causes", target))
        if conclusion.kind == "recommendation":
            return self.writer.words["recommended"].format(strategy=title("strategies", target))
        if conclusion.kind == "caveat":
            return words["caveat"].format(
                caveat=title("caveats", target), strategy=title("strategies", conclusion.strategy)
            )
        if conclusion.kind == "first-step":
            return words["first_step"].format(
                step=title("steps", target), strategy=title("strategies", conclusion.strategy)
            )
        if conclusion.kind == "decision":
            return words["decision"].format(decision=self.reader.decision(target))
        if conclusion.kind == "guidance":
            return words["guidance"].format(guidance=title("guidance", target))
        return target

    # -- why not: the rules that could have concluded it -----------------------------

    def candidate_rules(self, kind, key):
        """The rules that could conclude what ``kind``/``key`` names."""
        catalog = rule_catalog()
        if kind == "lifecycle":
            if key in self.knowledge.lifecycle:
                return rules_concluding(catalog, "lifecycle", key)
            return [r for r in catalog if any(c.kind == "lifecycle" for c in r.conclusions)]
        if kind == "cause":
            # Supporting evidence that needs the cause already present cannot start it.
            return [
                rule
                for rule in rules_concluding(catalog, "evidence", key)
                if not any(
                    c.fact == "Cause" and not c.negated and c.get("id").values == (key,)
                    for c in rule.conditions
                )
            ]
        if kind == "strategy":
            return rules_concluding(catalog, "recommendation", key)
        if kind == "guidance":
            return rules_concluding(catalog, "guidance", key)
        if kind == "decision":
            return rules_concluding(catalog, "decision", key)
        if kind == "program":
            return [r for r in catalog if any(c.kind == "decision" for c in r.conclusions)]
        return []

    def why_not(self, kind, key):
        facts = self.facts
        if kind == "program":
            # Only this program's fact counts: another program's decision is not its own.
            facts = [f for f in facts if type(f).__name__ != "Program" or f["index"] == key]
        program = key if kind == "program" else None
        rules = [self.rule_check(r, facts, program) for r in self.candidate_rules(kind, key)]
        intro = {"program": "intro_program", "lifecycle": "intro_lifecycle"}.get(kind, "intro")
        if kind == "lifecycle" and key in self.knowledge.lifecycle:
            intro = "intro"
        return {"intro_key": intro, "rules": rules}

    def rule_check(self, rule, facts, program=None):
        conditions = [self.condition(c, facts, program) for c in rule.conditions]
        failed = [c for c in conditions if not c["holds"]]
        if not failed:
            status = "all-met"
        elif all(c["status"] == "unknown" for c in failed):
            status = "blocked"
        else:
            status = "unmet"
        return {**self.rule_heading(rule.id), "status": status, "conditions": conditions}

    def condition(self, condition, facts, program=None):
        """One condition of a rule checked on this case's working memory."""
        holds = condition.holds(facts)
        checked = {
            "text": self.writer.condition(condition),
            "holds": holds,
            "status": "met" if holds else "unmet",
            "note": "",
            "path": "",
            "answer": "",
            "answers": [],
            "see": "",
            "items": [],
        }
        if holds:
            return checked
        if condition.negated and condition.fact != "Field":
            checked["note"] = self.why_words["negated_fails"]
        elif condition.fact == "Field":  # negated too: the answer the rule must not meet
            self._field_failure(condition, checked)
        elif condition.fact in ("Cause", "Recommended"):
            key = "id" if condition.fact == "Cause" else "strategy"
            values = condition.get(key).values
            checked["status"] = "not-concluded"
            checked["see"] = values[0] if len(values) == 1 else ""
            checked["note"] = self.why_words["not_concluded_see"].format(
                case=self.see_case, id=shlex.quote(checked["see"]), lang_option=self.see_lang
            )
        elif condition.fact == "Lifecycle":
            checked["see"] = STAGE_WORD
            if self.advice.lifecycle in self.knowledge.lifecycle:
                stage = self.reader.title("lifecycle", self.advice.lifecycle)
                checked["note"] = self.why_words["stage_see"].format(
                    stage=stage, case=self.see_case, lang_option=self.see_lang
                )
            else:
                checked["status"] = "not-concluded"
                checked["note"] = self.why_words["stage_unknown_see"].format(
                    case=self.see_case, lang_option=self.see_lang
                )
        elif condition.fact in ITEM_FACTS:
            self._items_failure(condition, checked, facts, program)
        return checked

    def _case_value(self, path):
        section, _, name = path.partition(".")
        part = self.case.get(section)
        return part.get(name, UNKNOWN) if isinstance(part, dict) else UNKNOWN

    def _field_failure(self, condition, checked):
        path = condition.field_path
        value = self._case_value(path)
        label = self.reader.field_label(path)
        if value == UNKNOWN:
            checked["status"] = "unknown"
            checked["path"] = path
            checked["answer"] = UNKNOWN
            wanted = condition.get("value")
            if wanted is not None and wanted.kind != "any" and condition.get("band") is None:
                checked["answers"] = [show_value(v) for v in wanted.values]
                answers = self.why_words["answers_or"].join(
                    f"{path}: {answer}" for answer in checked["answers"]
                )
                checked["note"] = self.why_words["unknown_blocked"].format(
                    field=label, path=path, answers=answers
                )
            else:
                checked["note"] = self.why_words["unknown_blocked_any"].format(
                    field=label, path=path, need=checked["text"]
                )
            return
        if isinstance(value, list):
            raw = "[" + ", ".join(show_value(v) for v in value) + "]"
            text = ", ".join(self.reader.value_label(path, v) for v in value)
            text = text or self.reader.terms["none_listed"]
        else:
            raw, text = show_value(value), self.reader.value_label(path, value)
        checked["path"] = path
        checked["answer"] = raw
        answer = f"{path}: {raw}"
        if text == raw:
            checked["note"] = self.why_words["answered_plain"].format(answer=answer)
        else:
            checked["note"] = self.why_words["answered"].format(answer=answer, text=text)

    def _items_failure(self, condition, checked, facts, program):
        section = ITEM_FACTS[condition.fact]
        listed = self.case.get(section)
        checked["path"] = section
        name = self.labels["list_sections"][section]
        if listed == UNKNOWN or not isinstance(listed, list):
            checked["status"] = "unknown"
            checked["note"] = self.why_words["items_unknown"].format(section=name, path=section)
            return
        mine = [f for f in facts if type(f).__name__ == condition.fact]
        if program is not None:
            mine = [f for f in mine if f["index"] == program]
        if not mine:
            checked["note"] = self.why_words["items_none"].format(section=name, path=section)
            return
        checked["note"] = self.why_words["items_no_match"]
        blocked = False
        for fact in sorted(mine, key=lambda f: f["index"]):
            line = self.reader.line(fact.ref())
            unknown, fails, answers = self._item_answers(condition, fact, section)
            text = line["text"]
            if unknown and not fails:
                blocked = True
                text = self.why_words["item_unknown"].format(item=text, paths=", ".join(answers))
            checked["items"].append({"text": text, "ref": line["ref"], "unknown": unknown})
        if blocked:
            checked["status"] = "unknown"

    def _item_answers(self, condition, fact, section):
        """The case paths of ``fact`` left unknown that the condition needs, whether
        some answered key fails it, and those paths with the answers that would meet
        it (``programs[3].viable: true``; a derived key's fields by their path)."""
        unknown, fails, answers = [], False, []
        index = fact["index"]
        for constraint in condition.constraints:
            if constraint.kind == "any":
                continue
            value = fact.get(constraint.key)
            if value == UNKNOWN:
                if constraint.key == "performance":
                    item = self.case[section][index]
                    paths = [
                        f"{section}[{index}].{key}"
                        for key in ("effectiveness", "efficiency")
                        if item.get(key) == UNKNOWN
                    ]
                    unknown += paths
                    answers += paths
                else:
                    path = f"{section}[{index}].{constraint.key}"
                    unknown.append(path)
                    answers.append(
                        self.why_words["answers_or"].join(
                            f"{path}: {show_value(v)}" for v in constraint.values
                        )
                    )
            elif value not in constraint.values:
                fails = True
        return unknown, fails, answers


def _label_key(text):
    """A label as typed or shown, for matching: case, spaces and quotes folded."""
    return " ".join(str(text).strip().strip("\"'“”‘’").split()).casefold()


def _about_cause(cause):
    def about(ref):
        return ref.kind in ("cause", "evidence") and ref.value == cause

    return about


def _concluding_ref(kind, key):
    """The reference of the fact that concludes an item, as the trace has it (a
    section is looked up by it); items concluded by no single fact get one of their
    own that no trace step holds."""
    if kind == "lifecycle":
        return FactRef("lifecycle", value=key)
    if kind == "cause":
        return FactRef("cause", value=key)
    if kind == "strategy":
        return FactRef("recommended", value=key)
    return FactRef(f"item-{kind}", value=key)


def explain_case(advisor, case, item_id=None, lang="en", case_label="CASE"):
    """The explanation model for ``case``: every conclusion, or what ``item_id`` names."""
    advice, facts = run_case(advisor, case)
    return Explainer(advice, facts, advisor.knowledge, lang, case_label).explain(item_id)


def render_explanation(model, knowledge, fmt="text"):
    """The explanation model as text (80 columns) or JSON."""
    if fmt == "json":
        return json.dumps(model, ensure_ascii=False, indent=2) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    from perencana.engine.memo.templating import render_template

    labels = FactReader(None, knowledge, model["lang"]).labels
    text = render_template(TEMPLATE, {"mode": "explain", "model": model, "labels": labels})
    return "\n".join(line.rstrip() for line in text.split("\n"))
