"""The knowledge data: complete, bilingual, sourced, and checked as it loads."""

import shutil

import pytest
import yaml

from perencana.engine.errors import KnowledgeError
from perencana.knowledge import load_knowledge, loader
from perencana.knowledge.loader import KNOWLEDGE_DIR, load_cached, read_knowledge
from tests.generated_cases import PART_A_FIELDS

BRIEF_CAUSES = ["outsider-origin", "financial", "management-disruption", "hard-won-status-quo"]
BRIEF_STRATEGIES = [
    "education",
    "adapt-to-resources",
    "negotiate-incentives",
    "expand-expertise",
    "consultants",
    "shake-up",
    "link-institutions",
    "affected-parties",
    "gradual-change",
    "program-review",
    "collaborative-stance",
]
BRIEF_GUIDANCE = [
    "facilitator",
    "mission-alignment",
    "values",
    "involve-stakeholders",
    "ideology-consensus",
    "ideology-conflict",
    "character-operationalist",
    "character-data-first",
    "character-client-focused",
    "innovation-check",
    "position-limits",
    "community-donor",
    "recruitment-spec",
]
BRIEF_SOURCES = {
    "outsider-origin": {54},
    "financial": {55, 61},
    "management-disruption": {56, 60},
    "hard-won-status-quo": {57, 51, 59},
    "education": {63},
    "adapt-to-resources": {64},
    "negotiate-incentives": {65},
    "expand-expertise": {66, 60},
    "consultants": {67},
    "shake-up": {68},
    "link-institutions": {69},
    "affected-parties": {70, 52},
    "gradual-change": {71, 52},
    "program-review": {72},
    "collaborative-stance": {73},
}


def test_covers_every_cause_strategy_and_guidance_item_of_the_brief_in_order():
    knowledge = load_knowledge()
    assert list(knowledge.causes) == BRIEF_CAUSES
    assert list(knowledge.strategies) == BRIEF_STRATEGIES
    assert set(BRIEF_GUIDANCE) <= set(knowledge.guidance)
    assert list(knowledge.decisions) == ["maintain", "develop", "replace"]
    assert list(knowledge.lifecycle) == ["young", "maturing", "established"]


def test_cites_at_least_the_passages_the_brief_names():
    knowledge = load_knowledge()
    for item_id, passages in BRIEF_SOURCES.items():
        item = knowledge.causes.get(item_id) or knowledge.strategies[item_id]
        assert passages <= set(item["sources"]), item_id


def test_every_text_is_written_in_both_languages():
    knowledge = load_knowledge()
    kinds = ("causes", "strategies", "caveats", "steps", "guidance", "decisions", "lifecycle")
    for kind in (*kinds, "phases", "tensions"):
        for item_id, item in getattr(knowledge, kind).items():
            for key in ("title", "summary", "text", "first_step"):
                if key in item:
                    assert item[key]["en"].strip() and item[key]["id"].strip(), (kind, item_id)
                    assert item[key]["en"] != item[key]["id"], (kind, item_id, key)
                    assert "TODO" not in item[key]["en"] + item[key]["id"], (kind, item_id)


def _broken_copy(tmp_path, name, edit):
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = copy / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


def _problems(copy):
    with pytest.raises(KnowledgeError) as caught:
        read_knowledge(copy)
    return caught.value.messages()


def test_shipped_knowledge_passes_its_checks():
    read_knowledge(KNOWLEDGE_DIR)


def test_a_duplicate_id_is_named_with_its_file(tmp_path):
    copy = _broken_copy(tmp_path, "strategies", lambda items: items.append(dict(items[0])))
    assert "knowledge: strategies.yaml: education: id is used twice" in _problems(copy)


def test_a_passage_outside_the_source_is_named(tmp_path):
    def cite_99(items):
        items[1]["sources"] = [55, 99]

    copy = _broken_copy(tmp_path, "causes", cite_99)
    assert (
        "knowledge: causes.yaml: financial: cites ¶99, which is not between 1 and 75"
        in _problems(copy)
    )


def test_a_missing_indonesian_text_is_named(tmp_path):
    def drop_indonesian(items):
        del items[0]["text"]["id"]

    copy = _broken_copy(tmp_path, "guidance", drop_indonesian)
    assert "knowledge: guidance.yaml: facilitator: text has no text in 'id'" in _problems(copy)


def test_a_caveat_for_a_strategy_that_does_not_exist_is_named(tmp_path):
    def rename(items):
        items[0]["strategy"] = "educaton"

    copy = _broken_copy(tmp_path, "caveats", rename)
    problems = _problems(copy)
    assert any("names strategy 'educaton', which is not in strategies.yaml" in p for p in problems)


@pytest.mark.parametrize(
    ("replaces", "why"),
    [("gradual-not-evry-area", "no such caveat"), ("education-not-involved", "other strategy")],
)
def test_a_caveat_that_replaces_no_caveat_of_its_strategy_is_named(tmp_path, replaces, why):
    def retarget(items):
        next(i for i in items if i["id"] == "gradual-within-mandate")["replaces"] = replaces

    copy = _broken_copy(tmp_path, "caveats", retarget)
    assert (
        f"knowledge: caveats.yaml: gradual-within-mandate: replaces '{replaces}', which is "
        "not another caveat of strategy 'gradual-change'"
    ) in _problems(copy)


def test_an_item_without_sources_is_named(tmp_path):
    def drop_sources(items):
        del items[2]["sources"]

    copy = _broken_copy(tmp_path, "strategies", drop_sources)
    assert "knowledge: strategies.yaml: negotiate-incentives: cites no sources" in _problems(copy)


def test_a_strategy_without_a_known_phase_is_named(tmp_path):
    def unphase(items):
        del items[0]["phase"]
        items[1]["phase"] = "later"

    problems = _problems(_broken_copy(tmp_path, "strategies", unphase))
    assert (
        "knowledge: strategies.yaml: education: has no phase (one of prepare, start, sustain)"
        in problems
    )
    assert (
        "knowledge: strategies.yaml: adapt-to-resources: phase 'later' is not in phases.yaml "
        "(one of prepare, start, sustain)"
    ) in problems


def test_a_tension_with_an_unknown_strategy_or_field_is_named(tmp_path):
    def break_tensions(items):
        items[0]["strategies"] = ["shake-up", "gradual-chnage"]
        items[1]["when"]["path"] = "funding.funds"

    problems = _problems(_broken_copy(tmp_path, "tensions", break_tensions))
    assert (
        "knowledge: tensions.yaml: shake-up-then-steps: names strategy 'gradual-chnage', "
        "which is not in strategies.yaml"
    ) in problems
    assert (
        "knowledge: tensions.yaml: experts-within-means: when must name a field of "
        "fields.yaml as its path"
    ) in problems


def test_a_ranking_that_names_an_unknown_strategy_is_named(tmp_path):
    def break_ranking(thresholds):
        thresholds["ranking"]["ties_first"] = ["gradual-chnage"]
        thresholds["ranking"]["min_place"] = {"afected-parties": 3}

    problems = _problems(_broken_copy(tmp_path, "thresholds", break_ranking))
    assert (
        "knowledge: thresholds.yaml: ranking: ties_first names strategy 'gradual-chnage', "
        "which is not in strategies.yaml"
    ) in problems
    assert (
        "knowledge: thresholds.yaml: ranking: min_place names strategy 'afected-parties', "
        "which is not in strategies.yaml"
    ) in problems


# ------------------------------------------------------------------- the cache


@pytest.fixture
def knowledge_copy(tmp_path):
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return copy


def cache_files(copy):
    return sorted((copy / "__pycache__").glob("knowledge.*.marshal"))


def test_the_checked_knowledge_is_kept_and_read_back_without_the_yaml(knowledge_copy, monkeypatch):
    first = load_cached(knowledge_copy)
    assert first == read_knowledge(knowledge_copy)
    assert len(cache_files(knowledge_copy)) == 1

    def no_reading(directory):
        raise AssertionError("the files were read again")

    monkeypatch.setattr(loader, "read_knowledge", no_reading)
    assert load_cached(knowledge_copy) == first


def test_a_changed_file_is_read_and_checked_again(knowledge_copy):
    load_cached(knowledge_copy)
    source = knowledge_copy / "causes.yaml"
    source.write_text(source.read_text().replace("  - 54\n", "  - 999\n", 1))
    with pytest.raises(KnowledgeError):
        load_cached(knowledge_copy)  # ¶999 is not in the source: the cache hides no error
    source.write_text((KNOWLEDGE_DIR / "causes.yaml").read_text())
    assert load_cached(knowledge_copy) == read_knowledge(KNOWLEDGE_DIR)
    assert len(cache_files(knowledge_copy)) == 1  # the older cache is removed


def test_another_pythons_kept_knowledge_stays(knowledge_copy, monkeypatch):
    # One checkout run by two Pythons (a venv per version): each keeps its own file,
    # as each keeps its own compiled modules, rather than removing the other's and
    # reading the YAML afresh at every switch.
    from perencana.knowledge import pycache

    load_cached(knowledge_copy)
    (ours,) = cache_files(knowledge_copy)
    monkeypatch.setattr(pycache, "PYTHON", "299")
    load_cached(knowledge_copy)
    assert len(cache_files(knowledge_copy)) == 2
    assert ours.exists()


def test_a_damaged_cache_is_passed_over_and_written_anew(knowledge_copy):
    load_cached(knowledge_copy)
    (cache,) = cache_files(knowledge_copy)
    cache.write_bytes(b"not a pickle")
    assert load_cached(knowledge_copy) == read_knowledge(KNOWLEDGE_DIR)
    assert cache.read_bytes() != b"not a pickle"


def test_a_folder_that_cannot_be_written_still_gives_the_knowledge(knowledge_copy):
    (knowledge_copy / "__pycache__").write_text("a file where the cache folder would be")
    assert load_cached(knowledge_copy) == read_knowledge(KNOWLEDGE_DIR)


def test_a_field_whose_unknown_report_flag_is_not_true_or_false_is_named(tmp_path):
    def spell_it_out(items):
        next(i for i in items if i["path"] == "planner.role")["report_if_unknown"] = "no"

    copy = _broken_copy(tmp_path, "fields", spell_it_out)
    assert (
        "knowledge: fields.yaml: planner.role: report_if_unknown must be true or false"
        in _problems(copy)
    )


def test_only_the_part_a_fields_go_unreported_when_unknown():
    fields = load_knowledge().fields
    unreported = [path for path, entry in fields.items() if not entry.get("report_if_unknown", 1)]
    assert unreported == list(PART_A_FIELDS)
