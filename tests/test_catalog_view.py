"""``engine.catalog_view``: the rule catalog built from the rules and the knowledge,
in English and Indonesian, as Markdown and as JSON."""

import json
import re

import pytest

from perencana.engine.reasoning.rule_catalog import CONCERNS, Conclusion, rule_catalog
from perencana.engine.teaching.catalog_view import (
    catalog_json,
    catalog_view,
    conclusion_text,
    read_rule_statements,
    render_catalog,
)
from perencana.engine.view.conditions import ConditionWriter
from perencana.engine.view.words import in_language
from perencana.knowledge import load_knowledge

KNOWLEDGE = load_knowledge()
RULES = rule_catalog()


def words(group, lang):
    return {key: in_language(text, lang) for key, text in KNOWLEDGE.memo[group].items()}


@pytest.fixture(scope="module", params=["en", "id"])
def lang(request):
    return request.param


def test_every_rule_appears_once_in_the_catalog_order(lang):
    view = catalog_view(KNOWLEDGE, lang)
    assert [rule["id"] for rule in view["rules"]] == [rule.id for rule in RULES]
    grouped = [rule["id"] for concern in view["concerns"] for rule in concern["rules"]]
    assert grouped == [rule.id for rule in RULES]
    assert [concern["id"] for concern in view["concerns"]] == list(CONCERNS)


def test_statements_are_the_docstrings_in_english_and_rule_statements_in_indonesian():
    english = {rule["id"]: rule["statement"] for rule in catalog_view(KNOWLEDGE, "en")["rules"]}
    indonesian = {rule["id"]: rule["statement"] for rule in catalog_view(KNOWLEDGE, "id")["rules"]}
    statements = read_rule_statements()
    for rule in RULES:
        assert english[rule.id] == rule.statement
        assert indonesian[rule.id] == " ".join(statements[rule.id].split())
        assert indonesian[rule.id] != english[rule.id]


def test_conditions_are_the_condition_writer_sentences(lang):
    writer = ConditionWriter(KNOWLEDGE, lang)
    view = catalog_view(KNOWLEDGE, lang)
    for info, rule in zip(RULES, view["rules"], strict=True):
        assert rule["conditions"] == writer.conditions(info)


def test_conclusions_read_with_the_knowledge_titles():
    english = {rule["id"]: rule for rule in catalog_view(KNOWLEDGE, "en")["rules"]}
    texts = {rule_id: [c["text"] for c in rule["conclusions"]] for rule_id, rule in english.items()}
    assert texts["cause_financial_no_funds"] == ["evidence (strong) for Cost and funding"]
    assert texts["cause_outsider_external_planner"] == [
        "supporting evidence for Change from outside: raises it one level"
    ]
    assert texts["cause_present"] == ["the cause its evidence points to is present"]
    assert texts["strategy_education_new_skills"] == [
        "recommends Education for change, citing Disruption to management"
    ]
    assert texts["strategy_link_peer"] == ["recommends Link with a peer agency"]
    assert texts["strategy_shake_up_caveat_not_permanent"][0].startswith(
        "caveat on A small shake-up: "
    )
    assert texts["strategy_education_first_step_conditions"][0].startswith(
        "first step for Education for change: Before any training"
    )
    assert texts["program_develop"] == ["decision on the program: Develop the program"]
    assert texts["lifecycle_young"] == ["the life-cycle stage is Young organization"]
    assert texts["guidance_values"] == ["guidance to the planner: Name the values at stake"]


def test_conclusions_in_indonesian_use_the_indonesian_titles():
    indonesian = {rule["id"]: rule for rule in catalog_view(KNOWLEDGE, "id")["rules"]}
    [text] = [c["text"] for c in indonesian["cause_financial_no_funds"]["conclusions"]]
    assert text == "bukti (kuat) untuk Biaya dan pendanaan"
    [text] = [c["text"] for c in indonesian["strategy_education_new_skills"]["conclusions"]]
    assert text == "menyarankan Pendidikan untuk perubahan, dengan alasan Gangguan pada manajemen"


def test_a_conclusion_on_a_bound_value_says_so():
    reader = ConditionWriter(KNOWLEDGE, "en").reader
    text = conclusion_text(Conclusion("guidance", "*"), reader)
    assert text == "guidance to the planner: the one its conditions matched"


def test_sources_carry_the_topic_of_each_passage(lang):
    topics = KNOWLEDGE.source["topics"]
    for info, rule in zip(RULES, catalog_view(KNOWLEDGE, lang)["rules"], strict=True):
        assert [s["passage"] for s in rule["sources"]] == list(info.sources)
        for source in rule["sources"]:
            assert source["topic"] == topics[source["passage"]][lang]


def test_the_json_is_deterministic_and_has_one_entry_per_rule(lang):
    text = render_catalog(KNOWLEDGE, "json", lang)
    assert text == render_catalog(KNOWLEDGE, "json", lang)
    data = json.loads(text)
    assert data["format"] == "perencana-rules/1" and data["lang"] == lang
    assert [entry["id"] for entry in data["rules"]] == [rule.id for rule in RULES]
    assert data == catalog_json(catalog_view(KNOWLEDGE, lang))
    for entry in data["rules"]:
        assert set(entry) == {
            "id",
            "concern",
            "statement",
            "conditions",
            "conclusions",
            "salience",
            "sources",
        }
        assert entry["sources"] and all(1 <= s["passage"] <= 75 for s in entry["sources"])


def test_the_markdown_groups_rules_by_concern_in_if_then_form(lang):
    text = render_catalog(KNOWLEDGE, "md", lang)
    catalog = words("rules_catalog", lang)
    concerns = words("rules_catalog_concerns", lang)
    assert text.startswith(f"# {catalog['title']}\n")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert [h.rpartition(" (")[0] for h in headings] == [concerns[c] for c in CONCERNS]
    assert re.findall(r"^### `(\w+)`$", text, re.M) == [rule.id for rule in RULES]
    # a rule without conditions reads "IF always", so every rule has an IF line
    assert text.count(f"- **{catalog['if']}** ") == len(RULES)
    assert text.count(f"- **{catalog['then']}** ") == len(RULES)


def test_the_indonesian_markdown_has_no_english_headings_or_keywords():
    text = render_catalog(KNOWLEDGE, "md", "id")
    english_catalog = words("rules_catalog", "en")
    for word in ("title", "salience", "sources"):
        assert english_catalog[word] not in text
    for title in words("rules_catalog_concerns", "en").values():
        assert title not in text
    assert "**IF**" not in text and "**THEN**" not in text and "**AND**" not in text
    assert "**JIKA**" in text and "**MAKA**" in text
    assert "Katalog aturan" in text


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        render_catalog(KNOWLEDGE, "pdf", "en")


def test_conditions_read_as_sentences(knowledge):
    """An answer after "is" starts in lower case (an acronym stays as it is), a
    listed item's conditions follow "of whom the case says:", and a number's band
    reads without "adalah" in Indonesian."""
    from perencana.engine.view.conditions import ConditionWriter, mid_sentence

    assert mid_sentence("From outside the organization") == "from outside the organization"
    assert mid_sentence("NGO network") == "NGO network"
    catalog = {rule.id: rule for rule in rule_catalog()}
    english = ConditionWriter(knowledge, "en")
    assert english.conditions(catalog["cause_outsider_external_proposal"]) == [
        "Origin of the proposal is from outside the organization"
    ]
    losing = english.conditions(catalog["strategy_affected_losers"])
    assert losing[0].startswith("a stakeholder of whom the case says: Directly affected and ")
    indonesian = ConditionWriter(knowledge, "id")
    assert indonesian.conditions(catalog["lifecycle_young"])[0] == "Usia lembaga (tahun) di bawah 5"


def test_every_answer_of_a_condition_reads_mid_sentence(knowledge):
    # Not "is no funds or Part of the funds", "includes A change in funding".
    from perencana.engine.view.conditions import ConditionWriter

    catalog = {rule.id: rule for rule in rule_catalog()}
    english = ConditionWriter(knowledge, "en")
    assert "Funds for the change is no funds or part of the funds" in english.conditions(
        catalog["strategy_adapt_short_funds"]
    )
    assert english.conditions(catalog["cause_financial_funding_trigger"])[-1] == (
        "Triggers of the change includes a change in funding"
    )
    assert english.conditions(catalog["cause_financial_sunk_investments"])[-1] == (
        "Investments already made lists at least one"
    )
