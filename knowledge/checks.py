"""Checks run on the knowledge as it loads: a broken copy fails with file and id."""

from perencana.engine.case.vocabulary import LANGUAGES

TEXT_KEYS = (
    "title",
    "in_sentence",
    "summary",
    "first_step",
    "text",
    "label",
    "question",
    "question_named",
    "risk",
    "sign",
    "response",
    "action",
)
# What each item of a file must say, besides its id: a caveat is a risk to the plan,
# shown in the memo's table of risks with the sign to watch for and the response; a
# decision on a program says what to do, shown beside the reason in the memo; a
# life-cycle stage and a cause are named in mid-sentence in the memo's summary, in
# lower case.
REQUIRED_TEXTS = {
    "causes": ("title", "in_sentence"),
    "caveats": ("text", "risk", "sign", "response"),
    "decisions": ("title", "text", "action"),
    "lifecycle": ("title", "in_sentence", "text"),
}


def check_knowledge(raw, item_files):
    """Every problem found in the raw knowledge files, as ``file: id: problem``."""
    problems = []
    last_passage = (raw.get("source") or {}).get("passages", 0)
    for name, key in item_files.items():
        items = raw.get(name)
        if not isinstance(items, list):
            problems.append(f"{name}.yaml: must be a list of items")
            continue
        seen = set()
        for position, item in enumerate(items):
            where = f"{name}.yaml: item {position + 1}"
            if not isinstance(item, dict) or not item.get(key):
                problems.append(f"{where}: has no {key}")
                continue
            where = f"{name}.yaml: {item[key]}"
            if item[key] in seen:
                problems.append(f"{where}: {key} is used twice")
            seen.add(item[key])
            problems += _check_sources(where, item, last_passage, required=name != "fields")
            problems += _check_texts(where, item)
            problems += [
                f"{where}: has no {required}"
                for required in REQUIRED_TEXTS.get(name, ())
                if required not in item
            ]
            problems += _check_case_texts(where, item)
            if name == "fields" and not isinstance(item.get("report_if_unknown", True), bool):
                problems.append(f"{where}: report_if_unknown must be true or false")
            if name == "fields":
                problems += _check_answers(where, item)
    problems += _check_references(raw)
    problems += _check_texts("memo.yaml", {"labels": raw.get("memo") or {}}, nested=True)
    problems += _check_texts("source.yaml", raw.get("source") or {})
    return problems


def _check_answers(where, item):
    """``answers``: lists of phrases by language for values of the field, no phrase
    naming two values (the interview reads each as the value it names)."""
    answers = item.get("answers")
    if answers is None:
        return []
    if not isinstance(answers, dict):
        return [f"{where}: answers must map values to phrases by language"]
    # (A value its labels lack is told by the label check; the interview refuses an
    # answer the case schema does not take.)
    problems, named = [], {}
    for value, phrases in answers.items():
        if not isinstance(phrases, dict) or not all(
            isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words)
            for words in phrases.values()
        ):
            problems.append(f"{where}: answers of {value!r} must be lists of phrases by language")
            continue
        for words in phrases.values():
            for phrase in words:
                key = " ".join(phrase.casefold().split())
                if named.setdefault(key, value) != value:
                    problems.append(f"{where}: the answer {phrase!r} names two values")
    return problems


def _check_sources(where, item, last_passage, required):
    sources = item.get("sources")
    if sources is None:
        return [f"{where}: cites no sources"] if required else []
    if not isinstance(sources, list) or not sources:
        return [f"{where}: sources must be a non-empty list of ¶ numbers"]
    return [
        f"{where}: cites ¶{number}, which is not between 1 and {last_passage}"
        for number in sources
        if not isinstance(number, int) or not 1 <= number <= last_passage
    ]


def _check_texts(where, item, nested=False):
    problems = []
    for key, value in item.items():
        if nested and isinstance(value, dict) and not _is_text(value):
            problems += _check_texts(f"{where}: {key}", value, nested=True)
        elif key in TEXT_KEYS or nested or _is_text(value):
            if not isinstance(value, dict):
                continue
            for language in LANGUAGES:
                if not isinstance(value.get(language), str) or not value[language].strip():
                    problems.append(f"{where}: {key} has no text in '{language}'")
    if isinstance(item.get("values"), dict):
        for value_key, text in item["values"].items():
            problems += _check_texts(f"{where}: value {value_key}", {"label": text})
    return problems


def _check_case_texts(where, item):
    """``asserts`` and ``variants``: what an item's text says of the case, and the texts
    shown instead when the case holds more (``perencana check`` holds their paths
    against the case schema and proves them over the rules)."""
    problems = []
    if "asserts" in item:
        problems += _check_when(f"{where}: asserts", item["asserts"])
    variants = item.get("variants")
    if variants is None:
        return problems
    if not isinstance(variants, list) or not variants:
        return [*problems, f"{where}: variants must be a non-empty list"]
    for number, variant in enumerate(variants, start=1):
        here = f"{where}: variant {number}"
        if not isinstance(variant, dict):
            problems.append(f"{here}: must be a mapping with when and a text")
            continue
        problems += _check_when(f"{here}: when", variant.get("when"))
        texts = [key for key in variant if key in TEXT_KEYS]
        if not texts:
            problems.append(f"{here}: has no text ({', '.join(TEXT_KEYS)})")
        for key in texts:
            if key not in item:
                problems.append(f"{here}: replaces {key}, which the item itself lacks")
        problems += _check_texts(here, {key: variant[key] for key in texts})
    return problems


def _check_concerns_and_when(where, item):
    """A plan step's or a sign's ``concerns`` (whom it names) and ``when`` (the answers
    it needs)."""
    problems = []
    if "concerns" in item and item["concerns"] not in PLAN_CONCERNS:
        problems.append(
            f"{where}: concerns '{item['concerns']}', not one of {', '.join(PLAN_CONCERNS)}"
        )
    if "when" in item:
        problems += _check_when(f"{where}: when", item["when"])
    return problems


def _check_when(where, when):
    if not isinstance(when, dict) or not when:
        return [f"{where}: must map case paths to the answers it needs"]
    return [
        f"{where}: {path}: must list the answers it needs"
        for path, answers in when.items()
        if not isinstance(answers, list) or not answers
    ]


def _is_text(value):
    return isinstance(value, dict) and set(value) <= set(LANGUAGES) and bool(value)


def _check_references(raw):
    strategies = {item.get("id") for item in raw.get("strategies") or [] if isinstance(item, dict)}
    problems = []
    for name in ("caveats", "steps"):
        for item in raw.get(name) or []:
            if isinstance(item, dict) and item.get("strategy") not in strategies:
                problems.append(
                    f"{name}.yaml: {item.get('id')}: names strategy "
                    f"'{item.get('strategy')}', which is not in strategies.yaml"
                )
    caveats = [item for item in raw.get("caveats") or [] if isinstance(item, dict)]
    strategy_of = {item.get("id"): item.get("strategy") for item in caveats}
    for item in caveats:
        replaced = item.get("replaces")
        if replaced is not None and (
            replaced == item.get("id") or strategy_of.get(replaced) != item.get("strategy")
        ):
            problems.append(
                f"caveats.yaml: {item.get('id')}: replaces '{replaced}', which is not "
                f"another caveat of strategy '{item.get('strategy')}'"
            )
    problems += _check_phases(raw, strategies)
    problems += _check_tensions(raw, strategies)
    problems += _check_ranking(raw, strategies)
    problems += _check_plan_steps(raw, strategies)
    problems += _check_success_signs(raw, strategies)
    problems += _check_stakeholder_map(raw)
    return problems


def _check_ranking(raw, strategies):
    """The strategies the ranking names (emphasis, places, ties) are known ones."""
    ranking = (raw.get("thresholds") or {}).get("ranking") or {}
    named = [
        (key, strategy)
        for key in ("emphasis", "min_place", "ties_first")
        for strategy in ranking.get(key) or []
    ]
    return [
        f"thresholds.yaml: ranking: {key} names strategy '{strategy}', which is not in "
        "strategies.yaml"
        for key, strategy in named
        if strategy not in strategies
    ]


def _ids(items):
    return {item.get("id") for item in items or [] if isinstance(item, dict)}


def _check_phases(raw, strategies):
    """Every strategy belongs to one of the phases of phases.yaml."""
    phases = _ids(raw.get("phases"))
    known = ", ".join(sorted(str(p) for p in phases))
    problems = []
    for item in raw.get("strategies") or []:
        if not isinstance(item, dict) or item.get("phase") in phases:
            continue
        where = f"strategies.yaml: {item.get('id')}"
        if item.get("phase") is None:
            problems.append(f"{where}: has no phase (one of {known})")
        else:
            problems.append(
                f"{where}: phase '{item['phase']}' is not in phases.yaml (one of {known})"
            )
    return problems


def _check_tensions(raw, strategies):
    """A tension names two or more strategies and, in ``when``, a known field and
    values."""
    fields = {item.get("path") for item in raw.get("fields") or [] if isinstance(item, dict)}
    problems = []
    for item in raw.get("tensions") or []:
        if not isinstance(item, dict):
            continue
        where = f"tensions.yaml: {item.get('id')}"
        named = item.get("strategies")
        if not isinstance(named, list) or len(named) < 2:
            problems.append(f"{where}: must name two or more strategies")
            continue
        problems += [
            f"{where}: names strategy '{s}', which is not in strategies.yaml"
            for s in named
            if s not in strategies
        ]
        when = item.get("when")
        if when is None:
            continue
        if not isinstance(when, dict) or when.get("path") not in fields:
            problems.append(f"{where}: when must name a field of fields.yaml as its path")
        elif not isinstance(when.get("values"), list) or not when["values"]:
            problems.append(f"{where}: when must list the values it holds for")
    return problems


# What a step of the action plan may concern (``view.action_plan`` names them from the
# case and the advice): stakeholders by how the change touches them, programs by
# their decision.
PLAN_CONCERNS = (
    "losing",
    "gaining",
    "impact-unknown",
    "maintain",
    "develop",
    "replace",
    "undecided",
)
# A stakeholder's answers the stakeholder map chooses by, and every answer each takes.
MAP_ANSWERS = {
    "directly_affected": (True, False, "unknown"),
    "impact": ("negative", "neutral", "positive", "unknown"),
}


def _check_plan_steps(raw, strategies):
    """A plan step belongs to a strategy or a phase, concerns a known kind of thing,
    and names who leads it: leads labelled in memo.yaml, the last one without
    ``when``."""
    phases = _ids(raw.get("phases"))
    last_passage = (raw.get("source") or {}).get("passages", 0)
    labels = ((raw.get("memo") or {}).get("action_plan") or {}).keys()
    leads = {key.removeprefix("lead_") for key in labels if key.startswith("lead_")}
    problems = []
    for item in raw.get("plan_steps") or []:
        if not isinstance(item, dict):
            continue
        where = f"plan_steps.yaml: {item.get('id')}"
        owner = [key for key in ("strategy", "phase") if key in item]
        if len(owner) != 1:
            problems.append(f"{where}: must name either a strategy or a phase")
        elif "strategy" in item and item["strategy"] not in strategies:
            problems.append(f"{where}: names strategy '{item['strategy']}', not in strategies.yaml")
        elif "phase" in item and item["phase"] not in phases:
            problems.append(f"{where}: names phase '{item['phase']}', not in phases.yaml")
        problems += _check_concerns_and_when(where, item)
        problems += _check_names(where, item)
        lead = item.get("lead")
        if not isinstance(lead, list) or not lead:
            problems.append(f"{where}: must list who leads it (lead)")
            continue
        for number, option in enumerate(lead, start=1):
            here = f"{where}: lead {number}"
            if not isinstance(option, dict) or option.get("who") not in leads:
                problems.append(f"{here}: who must be one of {', '.join(sorted(leads))}")
            else:
                if "when" in option:
                    problems += _check_when(f"{here}: when", option["when"])
                problems += _check_sources(here, option, last_passage, required=False)
        if isinstance(lead[-1], dict) and "when" in lead[-1]:
            problems.append(f"{where}: the last lead must hold without a when")
    return problems


def _check_names(where, item):
    """``{names}`` is the one placeholder of a plan text, and only an item that
    ``concerns`` someone has names to fill it with."""
    problems = []
    texts = [*(item.get("text") or {}).items(), *(item.get("text_one") or {}).items()]
    if item.get("text_one") and "concerns" not in item:
        problems.append(f"{where}: has text_one (a text for one name) but no concerns")
    for language, text in texts:
        if not isinstance(text, str):
            continue
        try:
            text.format(names="")
        except (IndexError, KeyError, ValueError):
            problems.append(f"{where}: text in '{language}' has a placeholder other than {{names}}")
            continue
        if "{names}" in text and "concerns" not in item:
            problems.append(f"{where}: text in '{language}' has {{names}} but no concerns")
    return problems


def _check_success_signs(raw, strategies):
    """A success sign belongs to a phase, perhaps to a strategy of it or another, and
    concerns a known kind of thing; ``when`` maps case paths to answers."""
    phases = _ids(raw.get("phases"))
    problems = []
    for item in raw.get("success_signs") or []:
        if not isinstance(item, dict):
            continue
        where = f"success_signs.yaml: {item.get('id')}"
        if item.get("phase") not in phases:
            problems.append(f"{where}: must name a phase of phases.yaml")
        if "strategy" in item and item["strategy"] not in strategies:
            problems.append(f"{where}: names strategy '{item['strategy']}', not in strategies.yaml")
        problems += _check_concerns_and_when(where, item)
        if "text" not in item:
            problems.append(f"{where}: has no text")
        problems += _check_names(where, item)
    return problems


def _check_stakeholder_map(raw):
    """Every combination of a stakeholder's answers finds a row of the map."""
    items = [item for item in raw.get("stakeholder_map") or [] if isinstance(item, dict)]
    problems = []
    for item in items:
        when = item.get("when")
        if not isinstance(when, dict) or not set(when) <= set(MAP_ANSWERS):
            problems.append(
                f"stakeholder_map.yaml: {item.get('id')}: when must choose by "
                f"{' and '.join(MAP_ANSWERS)}"
            )
    if problems:
        return problems
    for affected in MAP_ANSWERS["directly_affected"]:
        for impact in MAP_ANSWERS["impact"]:
            answers = {"directly_affected": affected, "impact": impact}
            if not any(map_row_holds(item["when"], answers) for item in items):
                problems.append(
                    f"stakeholder_map.yaml: no row for directly_affected {affected} "
                    f"and impact {impact}"
                )
    return problems


def map_row_holds(when, answers):
    """Whether a stakeholder with ``answers`` holds the ``when`` of a map row (a bool
    matches only a bool: ``True`` is not ``1`` here)."""

    def same(answer, value):
        return answer == value and type(answer) is type(value)

    return all(
        any(same(answers.get(name), value) for value in wanted) for name, wanted in when.items()
    )
