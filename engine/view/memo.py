"""The memo's view model: an ``Advice`` turned into plain data a template can show.

Every choice of language is made here or in ``view.words``: headings and labels
come from ``knowledge/memo.yaml``, item texts from the knowledge files, field names
and value names from ``knowledge/fields.yaml``. The fact references the engine
records (a ``field`` at ``funding.funds_for_change`` answered ``none``) become
readable lines (``Funds for the change: none``) that keep the case path as ``ref``,
so a reader can find it in the case file. Templates only arrange what is here.
"""

from perencana.engine.case.vocabulary import LANGUAGES, UNKNOWN, CasePath, generic_path
from perencana.engine.view.action_plan import action_plan, join_names
from perencana.engine.view.editions import DEFAULT_EDITION, SHOWS, check_edition
from perencana.engine.view.reasons import ReasonWriter
from perencana.engine.view.risks import risks_view
from perencana.engine.view.stakeholder_map import stakeholder_map
from perencana.engine.view.summary import summary_view
from perencana.engine.view.words import FactReader, clean, in_language, sources_text, translate

# The memo's details a case may give in its ``memo`` section (and the command line
# override), in the order the title block shows them.
DETAILS = ("client_organization", "prepared_for", "prepared_by", "date", "reference")

# The memo's numbered sections, in order; a section the edition leaves out takes no
# number. The reasoning picture comes last, as the HTML memo's appendix.
SECTIONS = (
    "summary",
    "organization",
    "causes",
    "strategies",
    "action_plan",
    "stakeholder_map",
    "programs",
    "risks",
    "guidance",
    "unknowns",
    "sources",
    "reasoning",
)


class ViewDict(dict):
    """A dict of the view whose keys a template may also read as attributes, as
    Jinja's ``a.b`` does: it tries ``getattr`` first and ``a["b"]`` when that raises,
    and the exception cost a third of a memo's templating. Attributes a dict has
    (``items``...) stay the dict's, and names that start with ``_`` are never keys,
    as before."""

    __slots__ = ()

    def __getattr__(self, name):
        if name[:1] != "_":
            try:
                return self[name]
            except KeyError:
                pass
        raise AttributeError(name)


def _clean_all(value, drop_refs=False):
    """``value`` with every text cleaned (``words.clean``) and its dicts ``ViewDict``;
    with ``drop_refs``, also every fact line's case path (``ref``) emptied in the same
    pass: the lines read the same, without the path beside them."""
    kind = type(value)  # the plain types first: the view is made of them
    if kind is str:
        return clean(value)
    if kind is int or kind is bool or value is None:
        return value
    if isinstance(value, dict):
        cleaned = ViewDict()
        for key, item in value.items():
            # A text or a number is cleaned here, without a call of its own: most of
            # the view's values are.
            kind = type(item)
            if drop_refs and key == "ref":
                cleaned[key] = ""
            elif kind is str:
                cleaned[key] = clean(item)
            elif kind is int or kind is bool or item is None:
                cleaned[key] = item
            else:
                cleaned[key] = _clean_all(item, drop_refs)
        return cleaned
    if isinstance(value, list):
        return [clean(item) if type(item) is str else _clean_all(item, drop_refs) for item in value]
    if isinstance(value, str):
        return clean(value)
    return value


# {(id of a memo table, lang, edition): (the table, the view's labels, cleaned)}: the
# labels are the same in every memo of a language and edition (a third of the view),
# so they are cleaned once.
_LABELS = {}


def _cleaned_labels(memo, lang, edition, labels, show):
    """The view's ``labels``, cleaned and without refs as the edition wants (a copy of
    both levels, which the caller may change)."""
    key = (id(memo), lang, edition)
    kept = _LABELS.get(key)
    if kept is None or kept[0] is not memo:
        if len(_LABELS) > 16:
            _LABELS.clear()
        cleaned = _clean_all(labels, drop_refs=not show["field_paths"])
        kept = _LABELS[key] = (memo, cleaned)
    return ViewDict(
        {
            key: ViewDict(value) if type(value) is ViewDict else value
            for key, value in kept[1].items()
        }
    )


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
            shown = str(value)  # the label names the unit: "Age of the organization (years)"
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
            # The stage as named in mid-sentence, in lower case ("the established stage").
            "in_sentence": (
                in_language(stage.get("in_sentence"), lang) if stage else reader.terms["unknown"]
            ),
            "text": reader.case_text(stage) if stage else terms["stage_unknown"],
            "sources": list(stage.get("sources", [])) if stage else [],
            "sources_text": sources_text(stage.get("sources", [])) if stage else "",
        },
    }


def _uncited(sources, reasons):
    """``sources`` as the memo writes them, less the passages ``reasons`` cite."""
    said = {n for reason in reasons for n in reason.get("cites", ())}
    return sources_text([n for n in sources if n not in said])


def _reasons(writer, key, refs):
    """The reasons of a finding as sentences (``view.reasons``), or, where the run
    recorded none, its facts as lines."""
    found = writer.sentences(key)
    return found if found is not None else writer.reader.lines(refs)


def _strategy(reader, strategy, knowledge, lang, writer):
    item = knowledge.strategies.get(strategy.id, {})
    steps = [in_language(knowledge.steps[s]["text"], lang) for s in strategy.first_steps]
    general = in_language(item.get("first_step"), lang)
    if general:
        steps.append(general)
    phase = knowledge.phases.get(strategy.phase, {})
    return {
        "id": strategy.id,
        "rank": strategy.rank,
        "phase": strategy.phase,
        "phase_title": in_language(phase.get("title"), lang),
        "start_with": strategy.start_with,
        "title": reader.title("strategies", strategy.id),
        "summary": in_language(item.get("summary"), lang),
        "because": _reasons(writer, ("strategy", strategy.id), strategy.because),
        "caveats": [reader.case_text(knowledge.caveats[c]) for c in strategy.caveats],
        "first_steps": steps,
        "sources": list(strategy.sources),
        "sources_text": sources_text(strategy.sources),
    }


def _plan(strategies, advice, knowledge, lang):
    """The strategies as a plan: those to start with, then the others to also
    consider, each grouped by phase (in the order of ``knowledge/phases.yaml``) and
    in rank order within a phase; and the tensions between recommended strategies,
    each with how they fit together."""

    described = set()  # a phase's summary is shown the first time the phase is

    def by_phase(chosen):
        groups = []
        for phase_id, phase in knowledge.phases.items():
            mine = [s for s in chosen if s["phase"] == phase_id]
            if mine:
                summary = "" if phase_id in described else in_language(phase.get("summary"), lang)
                described.add(phase_id)
                groups.append(
                    {
                        "id": phase_id,
                        "title": in_language(phase.get("title"), lang),
                        "summary": summary,
                        "strategies": mine,
                    }
                )
        return groups

    shown = {s["id"]: s for s in strategies}
    tensions = []
    for tension in advice.tensions:
        item = knowledge.tensions[tension.id]
        tensions.append(
            {
                "id": tension.id,
                "title": in_language(item.get("title"), lang),
                "text": in_language(item.get("text"), lang),
                "strategies": [
                    {"id": s, "rank": shown[s]["rank"], "title": shown[s]["title"]}
                    for s in tension.strategies
                ],
                "sources": list(tension.sources),
                "sources_text": sources_text(tension.sources),
            }
        )
    start_with = by_phase([s for s in strategies if s["start_with"]])
    return {
        "start_with": start_with,
        "also_consider": by_phase([s for s in strategies if not s["start_with"]]),
        "tensions": tensions,
    }


def _cited(advice, knowledge, with_guidance=True, also=()):
    numbers = set(also)
    guidance = advice.guidance if with_guidance else ()
    findings = (*advice.causes, *advice.strategies, *advice.programs, *guidance)
    for finding in (*findings, *advice.tensions):
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


def _sources(advice, knowledge, lang, reader, show, also=()):
    source = knowledge.source or {}
    topics = source.get("topics") or {}
    passages = []
    for number in _cited(advice, knowledge, show["guidance"], also):
        topic = topics.get(number, topics.get(str(number)))
        passages.append({"number": number, "topic": in_language(topic, lang) if topic else ""})
    note = source.get("defaults_note")
    defaults = []
    for entry in knowledge.thresholds.get("bands", []):
        if not entry.get("default"):
            continue
        # The field's label names its unit ("(years)"): the limits are bare numbers.
        limits = join_names(
            [str(band["below"]) for band in entry["bands"] if "below" in band],
            reader.labels["action_plan"],
        )
        text = reader.phrases["default_limits"].format(
            field=reader.field_label(entry["path"]), limits=limits
        )
        defaults.append({"text": text, "ref": entry["path"]})
    defaults += [{"text": text, "ref": ""} for text in _scale_defaults(knowledge, reader)]
    return {
        "document": {
            "title": str(source.get("title", "")),
            "date": str(source.get("date", "")),
        },
        "passages": passages,
        "defaults_note": (
            (in_language(note, lang) if note else reader.terms["defaults_note"])
            if show["defaults"]
            else reader.labels["editions"]["defaults_note_client"]
        ),
        "defaults": defaults if show["defaults"] else [],
    }


def _cause_evidence(reader, knowledge, cause, writer):
    """The evidence of a cause as sentences, one per rule that gave it
    (``view.reasons``); a life-cycle stage that moved the cause's strength
    (``advice_builder.build_causes``) is read as that move."""
    strength = knowledge.thresholds["strength"]
    moves = strength.get("lifecycle") or {}
    sentences = writer.sentences(("cause", cause.id))
    lines = [] if sentences is None else list(sentences)
    for ref in cause.evidence:
        step = moves.get(ref.value, {}).get(cause.id, 0) if ref.kind == "lifecycle" else 0
        if not step:
            if sentences is None:
                lines.append(reader.line(ref))
            continue
        text = reader.phrases["stage_lowered" if step < 0 else "stage_raised"].format(
            stage=reader.title("lifecycle", ref.value),
            count=abs(step),
            sources=sources_text(strength.get("lifecycle_sources", [])),
        )
        lines.append({"text": text, "ref": ""})
    return lines


def _scale_defaults(knowledge, reader):
    """The strength scale and the ranking weights, the project's own choices, as lines."""
    phrases = reader.phrases
    strength = knowledge.thresholds["strength"]
    lines = []
    if strength.get("default"):
        levels = ", ".join(reader.strength(level) for level in strength["levels"])
        lines.append(
            phrases["default_strength"].format(
                levels=levels, max_raise=strength.get("max_raise", 1)
            )
        )
        for stage, moves in (strength.get("lifecycle") or {}).items():
            for step in sorted(set(moves.values())):
                causes = ", ".join(
                    reader.title("causes", cause) for cause, moved in moves.items() if moved == step
                )
                key = "default_stage_lowers" if step < 0 else "default_stage_raises"
                lines.append(
                    phrases[key].format(
                        stage=reader.title("lifecycle", stage),
                        causes=causes,
                        count=abs(step),
                        sources=sources_text(strength.get("lifecycle_sources", [])),
                    )
                )
    ranking = knowledge.thresholds["ranking"]
    if ranking.get("default"):
        weights = ", ".join(
            f"{reader.strength(level)} {weight}"
            for level, weight in ranking["cause_weight"].items()
        )
        lines.append(phrases["default_ranking"].format(weights=weights, fact=ranking["fact"]))
        for strategy, emphasis in (ranking.get("emphasis") or {}).items():
            lines.append(
                phrases["default_emphasis"].format(
                    strategy=reader.title("strategies", strategy),
                    bonus=emphasis.get("bonus", 0),
                    per=emphasis.get("per_further_loser", 0),
                    sources=sources_text(emphasis.get("sources", [])),
                )
            )
        for strategy, place in (ranking.get("min_place") or {}).items():
            lines.append(
                phrases["default_min_place"].format(
                    strategy=reader.title("strategies", strategy), place=place
                )
            )
        if ranking.get("ties_first"):
            lines.append(
                phrases["default_ties_first"].format(
                    strategies=", ".join(
                        reader.title("strategies", s) for s in ranking["ties_first"]
                    ),
                    sources=sources_text(ranking.get("ties_sources", [])),
                )
            )
    return lines


def memo_view(advice, knowledge, lang, edition=DEFAULT_EDITION, details=None):
    """The plain view model of the memo for ``advice`` in ``lang`` (``en`` or ``id``),
    in ``edition`` (``view.editions``: client, planner or trainer). ``details`` (a
    dict) overrides the case's ``memo`` section (``--date``, ``--prepared-by``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    show = SHOWS[check_edition(edition)]
    labels = translate(knowledge.memo, lang)
    reader = FactReader(advice, knowledge, lang, labels)
    writer = ReasonWriter(advice, knowledge, reader)
    case = advice.case or {}
    change = case.get("change") if isinstance(case.get("change"), dict) else {}

    causes = [
        {
            "id": cause.id,
            "title": reader.title("causes", cause.id),
            "in_sentence": reader.case_text(knowledge.causes.get(cause.id, {}), "in_sentence"),
            "summary": reader.case_text(knowledge.causes.get(cause.id, {}), "summary"),
            "strength": cause.strength,
            "strength_label": reader.strength(cause.strength),
            "evidence": _cause_evidence(reader, knowledge, cause, writer),
            "sources": list(cause.sources),
            "sources_text": sources_text(cause.sources),
        }
        for cause in advice.causes
    ]
    strategies = [_strategy(reader, s, knowledge, lang, writer) for s in advice.strategies]
    levels = knowledge.thresholds["strength"]["levels"]
    top = max((levels.index(c.strength) for c in advice.causes), default=None)
    start_with = knowledge.thresholds["ranking"]["start_with"]

    programs = []
    for finding in advice.programs:
        decision = knowledge.decisions.get(finding.decision, {})
        meaning = in_language(decision.get("action"), lang)
        why = _reasons(writer, ("program", finding.index), finding.facts)
        programs.append(
            {
                "index": finding.index,
                "name": finding.name,
                "decision": finding.decision,
                "decision_label": reader.decision(finding.decision),
                "decision_text": meaning,
                "why": why,
                "sources": list(finding.sources),
                # The reason sentences cite their ¶ already: the row adds only the
                # others, after them (a ¶ column would repeat the sentences' ¶).
                "sources_text": _uncited(finding.sources, why),
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
            "text": reader.case_text(knowledge.guidance.get(item.id, {})),
            "because": _reasons(writer, ("guidance", item.id), item.because),
            "sources": list(item.sources),
            "sources_text": sources_text(item.sources),
        }
        for item in (advice.guidance if show["guidance"] else ())
    ]

    unknowns = [
        {
            "path": unknown.path if show["unknown_paths"] else "",
            "label": _unknown_label(reader, unknown.path),
            "question": _question(reader, knowledge, unknown.path) if show["questions"] else "",
            **_changing(reader, knowledge, unknown),
        }
        for unknown in advice.unknowns
    ]

    # The trainer's trace says what each rule says, beside its id (memo-design.md).
    statements = {}
    if show["trace"]:
        # Only here: reading the rules' source is no cost of the other editions.
        from perencana.engine.reasoning.rule_catalog import rules_by_id, statements_in

        statements = statements_in(lang)
        # The passages the trace's rule statements cite are sources of this memo too.
        catalog = rules_by_id()
        trace_cites = {n for step in advice.trace for n in catalog[step.rule].sources}
    else:
        trace_cites = set()
    trace = [
        {
            "number": number,
            "rule": step.rule,
            "statement": statements.get(step.rule, ""),
            "facts": reader.lines(step.facts),
            "concluded": reader.lines(step.concluded),
        }
        for number, step in enumerate(advice.trace if show["trace"] else (), start=1)
    ]

    plan_steps = action_plan(
        advice, knowledge, lang, labels, {s["id"]: s["title"] for s in strategies}
    )
    people = stakeholder_map(advice, knowledge, lang, labels)
    # The plan's (its steps' and its signs of success') and the map's ¶ are listed among
    # the sources with the others.
    cited_by_plan = {
        number
        for part in (
            [s for g in plan_steps["phases"] for s in g["steps"]],
            [s for g in plan_steps["phases"] if g["success"] for s in g["success"]["signs"]],
            people["rows"],
        )
        for item in part
        for number in item["sources"]
    }

    organization = _organization(reader, case, advice, knowledge, lang)
    if not show["organization_facts"]:
        organization["facts"] = []
    memo_details = _details(case, details)
    edition_words = labels["editions"]
    recipient = edition_words[f"recipient_{edition}"].format(organization=advice.organization)
    view = {
        "lang": lang,
        "edition": edition,
        "show": dict(show),
        "labels": labels,
        "header": {
            "title": memo_details.get("title") or labels["title"],
            "subtitle": labels["subtitle"],
            "recipient": memo_details.get("prepared_for") or recipient,
            "organization": advice.organization,
            "change": _text_or(change.get("summary"), labels["terms"]["not_stated"]),
            # The default recipient names the edition already ("To: The social
            # planner"); beside a recipient the case names, the edition tells.
            "edition": edition_words[edition] if memo_details.get("prepared_for") else None,
            "disclaimer": (edition_words.get(f"disclaimer_{edition}") or labels["disclaimer"]),
            "details": [
                {"key": key, "label": labels["details"][key], "value": memo_details[key]}
                for key in DETAILS
                if key != "prepared_for" and memo_details.get(key)
            ],
        },
        "footer": {
            "versions": labels["details"]["versions"].format(
                perencana=_perencana_version(),
                knowledge=(knowledge.source or {}).get("knowledge_version", "?"),
            ),
        },
        "bottom_line": {
            "main_causes": [c for c in causes if levels.index(c["strength"]) == top],
            "start_with": strategies[:start_with],
        },
        "organization": organization,
        "causes": causes,
        "strategies": strategies,
        "plan": _plan(strategies, advice, knowledge, lang),
        "action_plan": plan_steps,
        "stakeholder_map": people,
        "programs": programs,
        "risks": risks_view(advice, knowledge, reader),
        "guidance": guidance,
        "unknowns": unknowns,
        "sources": _sources(
            advice, knowledge, lang, reader, show, also=cited_by_plan | trace_cites
        ),
        "trace": trace,
    }
    cleaned = ()  # the parts cleaned already
    if not show["field_paths"]:
        # Without refs, and cleaned on the way, in one pass (fresh copies, which the
        # edition's trimming below changes). The labels are the same in every memo:
        # done once, with their cleaning; the unknowns keep their paths.
        cleaned = {key for key in view if key not in ("unknowns", "labels")}
        view = {
            key: (_clean_all(value, drop_refs=True) if key in cleaned else value)
            for key, value in view.items()
        }
    if edition == "client":
        view["labels"] = {
            **labels,
            "terms": {**labels["terms"], "unknowns_intro": edition_words["unknowns_intro_client"]},
            # The open questions are the client's to answer: the heading says so.
            "headings": {
                **labels["headings"],
                "unknowns": edition_words["unknowns_heading_client"],
            },
        }
    view["summary"] = summary_view(view, knowledge)
    # After the summary (which names the first strategies' caveats as its main
    # risks): each strategy as concise as its edition wants it. The caveats stand in
    # the risks table (section "risks") and the steps in the action plan, so the
    # editions that leave them out beside the strategy lose nothing.
    planned = [
        s
        for key in ("start_with", "also_consider")
        for g in view["plan"][key]
        for s in g["strategies"]
    ]
    copies = [*view["strategies"], *planned, *view["bottom_line"]["start_with"]]
    for strategy in copies:
        if not show["caveats"]:
            strategy["caveats"] = []
        if not show["first_steps"]:
            strategy["first_steps"] = []
        if show["one_reason"]:
            strategy["because"] = strategy["because"][:1]
        if not show["summaries_of_others"] and not strategy["start_with"]:
            strategy["summary"] = ""
    for strategy in planned:
        # The summary on page 1 gives each first strategy its reason: the plan
        # says what the strategy is, and does not repeat the sentence (the Word
        # table keeps it in its column of reasons).
        strategy["reason_in_summary"] = not show["plan_repeats_reasons"] and strategy["start_with"]
        if (
            not show["plan_repeats_sources"]
            and strategy["because"]
            and not strategy["reason_in_summary"]
        ):
            # The reason sentence cites its ¶ already: the title keeps the others.
            strategy["sources_text"] = _uncited(strategy["sources"], strategy["because"])
    if not show["risks_of_others"]:
        first = {s["id"] for s in view["strategies"] if s["start_with"]}
        view["risks"] = [
            row for row in view["risks"] if row["strategy"]["id"] in first or row["essential"]
        ]
    if not show["cause_summaries"]:
        for cause in view["causes"]:
            cause["summary"] = ""
    present = [
        name
        for name in SECTIONS
        if (name != "guidance" or show["guidance"]) and (name != "reasoning" or show["graph"])
    ]
    view["numbers"] = {name: number for number, name in enumerate(present, start=1)}
    # The rest cleaned: what the trimming above put in the parts cleaned already is
    # clean (parts of them, empty texts and lists, passages' numbers).
    labels = _cleaned_labels(knowledge.memo, lang, edition, view["labels"], show)
    view = {
        key: (labels if key == "labels" else value if key in cleaned else _clean_all(value))
        for key, value in view.items()
    }
    # Formats with pictures add the reasoning picture, Markdown its flowchart
    # (``memo.render``); the keys are here for every template.
    return ViewDict(view, reasoning_svg="", reasoning_mermaid="")


def _details(case, overrides):
    """The memo's details: the case's ``memo`` section, then ``overrides`` (the
    command line's), each only when given."""
    given = case.get("memo") if isinstance(case.get("memo"), dict) else {}
    details = {key: str(value) for key, value in given.items() if value not in (None, "", UNKNOWN)}
    for key, value in (overrides or {}).items():
        if value not in (None, ""):
            details[key] = str(value)
    return details


def _perencana_version():
    from perencana import __version__

    return __version__


def _changing(reader, knowledge, unknown):
    """How an unknown would change the advice: ``lead`` (what the answers listed are,
    or that any answer would) and ``answers`` (none when every answer would)."""
    from perencana.engine.case.schema import spec_for
    from perencana.engine.reasoning.unknowns import candidate_answers

    terms = reader.terms
    path, changing = unknown.path, unknown.changing_answers
    spec = None if "." not in path else spec_for(path)
    tried = [a for a in candidate_answers(path, spec, knowledge.thresholds) if a != UNKNOWN]
    if len(tried) > 1 and set(map(repr, tried)) <= set(map(repr, changing)):
        return {"lead": terms["changing_any"], "answers": []}
    lead = terms["changing_answer"] if len(changing) == 1 else terms["changing_answers"]
    return {"lead": lead, "answers": [reader.answer(path, a) for a in changing]}


def _question(reader, knowledge, path):
    """The question of fields.yaml that asks for ``path``, naming the stakeholder or
    program it is about; the field's label when there is none."""
    item = knowledge.fields.get(generic_path(path)) or {}
    question = in_language(item.get("question"), reader.lang)
    if not question:
        return _unknown_label(reader, path)
    place = CasePath.parse(path)
    if place.in_item and place.name is not None:
        name = reader.item_name(place.section, place.index)
        named = in_language(item.get("question_named"), reader.lang)
        if name and named:
            return named.replace("{name}", name)
        if name:
            question = f"{name}: {question}"
    return question


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
