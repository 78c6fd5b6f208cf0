"""The rule catalog (``perencana rules``) as plain data, in English or Indonesian.

Nothing about a rule is written here: its id, concern, salience, conditions,
conclusions and ¶ sources come from ``reasoning.rule_catalog``; its plain statement is
its docstring in English and ``knowledge/rule_statements.yaml`` in Indonesian; the
conditions read through ``view.conditions``; every other word (headings, IF,
THEN, the names of the concerns, how a conclusion reads) comes from
``knowledge/teaching.yaml``, and the names of causes, strategies and the rest from
the knowledge files. ``templates/rules.md.j2`` arranges the view as Markdown; the
JSON is the same data, in the catalog's order.
"""

import json
from pathlib import Path

import yaml

from perencana.engine.errors import KnowledgeError
from perencana.engine.reasoning.rule_catalog import CONCERNS, rule_catalog
from perencana.engine.view.conditions import ConditionWriter
from perencana.engine.view.words import in_language

FORMATS = ("md", "json")
TEMPLATE = "rules.md.j2"
FORMAT = "perencana-rules/1"
STATEMENTS_FILE = "rule_statements.yaml"
KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"

# conclusion kind -> the knowledge items its target names
TARGET_KINDS = {
    "lifecycle": "lifecycle",
    "evidence": "causes",
    "cause": "causes",
    "recommendation": "strategies",
    "caveat": "caveats",
    "first-step": "steps",
    "decision": "decisions",
    "guidance": "guidance",
}


def read_rule_statements(directory=None):
    """The Indonesian statements of ``rule_statements.yaml`` in ``directory`` (the
    shipped knowledge folder by default): rule id -> text, in the file's order."""
    path = Path(directory or KNOWLEDGE_DIR) / STATEMENTS_FILE
    try:
        with open(path, encoding="utf-8") as handle:
            statements = yaml.safe_load(handle)
    except OSError as error:
        raise KnowledgeError([f"{path.name}: cannot be read ({error.strerror})"]) from None
    except yaml.YAMLError as error:
        raise KnowledgeError([f"{path.name}: not valid YAML ({error})"]) from None
    if not isinstance(statements, dict):
        raise KnowledgeError([f"{path.name}: must map each rule id to its statement"])
    return statements


def catalog_view(knowledge, lang, catalog=None, statements=None):
    """Everything ``rules.md.j2`` shows: the wording, and the rules grouped by concern."""
    catalog = rule_catalog() if catalog is None else catalog
    if statements is None:
        statements = read_rule_statements() if lang != "en" else {}
    writer = ConditionWriter(knowledge, lang)
    words = writer.reader.labels
    rules = [_rule(rule, knowledge, lang, writer, statements) for rule in catalog]
    concerns = []
    for concern in CONCERNS:
        members = [rule for rule in rules if rule["concern"] == concern]
        if members:
            title = words["rules_catalog_concerns"][concern]
            heading = words["rules_catalog"]["concern_heading"]
            concerns.append(
                {
                    "id": concern,
                    "title": title,
                    "heading": heading.format(title=title, count=len(members)),
                    "rules": members,
                }
            )
    return {
        "lang": lang,
        "words": words["rules_catalog"],
        "total": words["rules_catalog"]["total"].format(count=len(rules)),
        "concerns": concerns,
        "rules": rules,
    }


def catalog_json(view):
    """The catalog as a JSON-ready object: one entry per rule, in the catalog's order."""
    keys = ("id", "concern", "statement", "conditions", "conclusions", "salience", "sources")
    return {
        "format": FORMAT,
        "lang": view["lang"],
        "rules": [{key: rule[key] for key in keys} for rule in view["rules"]],
    }


def render_catalog(knowledge, fmt="md", lang="en"):
    """The catalog as Markdown or JSON text."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    view = catalog_view(knowledge, lang)
    if fmt == "json":
        return json.dumps(catalog_json(view), ensure_ascii=False, indent=2) + "\n"
    from perencana.engine.memo.templating import render_template

    return render_template(TEMPLATE, view)


def _rule(rule, knowledge, lang, writer, statements):
    statement = rule.statement
    if lang != "en":
        statement = " ".join(str(statements.get(rule.id) or rule.statement).split())
    topics = knowledge.source.get("topics") or {}
    return {
        "id": rule.id,
        "concern": rule.concern,
        "statement": statement,
        "conditions": writer.conditions(rule),
        "conclusions": [
            {
                "kind": conclusion.kind,
                "target": conclusion.target,
                "text": conclusion_text(conclusion, writer.reader),
            }
            for conclusion in rule.conclusions
        ],
        "salience": rule.salience,
        "sources": [
            {"passage": number, "topic": in_language(topics.get(number), lang)}
            for number in rule.sources
        ],
    }


def conclusion_text(conclusion, reader):
    """One conclusion of a rule in words (``evidence (strong) for Cost and funding``)."""
    words = reader.labels["rules_catalog_conclusions"]
    target = conclusion.target

    def name(kind, key):
        return words["bound"] if key == "*" else reader.title(kind, key)

    kind = conclusion.kind
    if kind == "cause" and target == "*":
        return words["cause_bound"]
    title = name(TARGET_KINDS.get(kind, ""), target)
    if kind == "evidence":
        if conclusion.strength == "raise":
            return words["evidence_raise"].format(cause=title)
        return words["evidence"].format(strength=reader.strength(conclusion.strength), cause=title)
    if kind == "recommendation":
        if conclusion.cites:
            causes = words["list_and"].join(name("causes", cause) for cause in conclusion.cites)
            return words["recommendation_citing"].format(strategy=title, causes=causes)
        return words["recommendation"].format(strategy=title)
    if kind == "caveat":
        strategy = name("strategies", conclusion.strategy or "*")
        return words["caveat"].format(strategy=strategy, caveat=title)
    if kind == "first-step":
        strategy = name("strategies", conclusion.strategy or "*")
        return words["first_step"].format(strategy=strategy, step=title)
    placeholders = {"lifecycle": "stage", "cause": "cause", "decision": "decision"}
    if kind in placeholders:
        return words[kind].format(**{placeholders[kind]: title})
    if kind == "guidance":
        return words["guidance"].format(guidance=title)
    return f"{kind}: {title}"  # a fact kind the catalog does not know yet
