"""The memo's editions: which parts of the memo exist for which reader.

The edition is decided here, in the view model, so that every format (Markdown,
HTML, plain text, Word, and a user's own templates) shows the same parts:

- ``client``: for the organization's leadership. No field paths, no rule ids, no
  trace, no reasoning graph, no guidance addressed to the planner; open questions
  are asked as questions; sources are the source document's passages (¶) only, and
  the project's defaults are described in words.
- ``planner`` (the default): everything but the trace; field paths only where the
  planner must check an answer (the unknowns).
- ``trainer``: everything, with the trace and field paths, for teaching how the
  rules reasoned.

The JSON advice is not a memo: it has no edition and stays the same in all three.
"""

EDITIONS = ("client", "planner", "trainer")
DEFAULT_EDITION = "planner"

# What each edition shows. ``field_paths``: case paths beside facts; ``unknown_paths``:
# case paths beside the unknowns; ``questions``: the unknowns asked as questions;
# ``guidance``: the guidance to the planner; ``defaults``: the list of the project's
# default numbers; ``graph``: the reasoning picture; ``trace``: the rules as they fired;
# ``caveats`` and ``first_steps``: a strategy's caveats and first steps beside it
# (the risks table and the action plan carry them in every edition); ``one_reason``:
# each strategy with its first reason only (the client edition, within five pages);
# ``summaries_of_others``: what each strategy to also consider is, in general terms
# (the client reads its reason and its steps in the action plan);
# ``plan_repeats_reasons``: the first strategies' reasons again in the plan (the
# client edition reads them once, in the summary); ``plan_repeats_sources``: a
# strategy's ¶ beside its title even where its reason sentence cites it already;
# ``cause_summaries``:
# what each cause is in general terms (the client reads its evidence as sentences);
# ``plan_strategies``: the strategy each step of the action plan serves, in a column
# of its own (the client edition keeps the plan compact: the step says what to do);
# ``risks_of_others``: the risks of the strategies to also consider (the client
# edition lists those of the strategies to start with, the ones it acts on first, and
# the caveats the source insists on, ``essential`` in ``knowledge/caveats.yaml``);
# ``prose``: a cause's evidence and a strategy's reasons as running sentences, not a
# list (the client edition reads as a memo, and is shorter for it);
# ``organization_facts``: the organization's facts as the case gives them (the client
# knows them: its edition keeps the life-cycle stage only).
SHOWS = {
    "client": {
        "organization_facts": False,
        "caveats": False,
        "first_steps": False,
        "one_reason": True,
        "summaries_of_others": False,
        "plan_repeats_reasons": False,
        "plan_repeats_sources": False,
        "cause_summaries": False,
        "plan_strategies": False,
        "risks_of_others": False,
        "prose": True,
        "field_paths": False,
        "unknown_paths": False,
        "questions": True,
        "guidance": False,
        "defaults": False,
        "graph": False,
        "trace": False,
    },
    "planner": {
        "organization_facts": True,
        "caveats": True,
        "first_steps": False,
        "one_reason": False,
        "summaries_of_others": True,
        "plan_repeats_reasons": True,
        "plan_repeats_sources": True,
        "cause_summaries": True,
        "plan_strategies": True,
        "risks_of_others": True,
        "prose": False,
        "field_paths": False,
        "unknown_paths": True,
        "questions": False,
        "guidance": True,
        "defaults": True,
        "graph": True,
        "trace": False,
    },
}
# The trainer's edition is the planner's with the machinery shown: the first steps
# beside each strategy, the field paths and the rules' trace.
SHOWS["trainer"] = {**SHOWS["planner"], "first_steps": True, "field_paths": True, "trace": True}


def check_edition(edition):
    """``edition`` if it is one of ``EDITIONS``; a ``ValueError`` otherwise."""
    if edition not in SHOWS:
        raise ValueError(f"edition must be one of {', '.join(EDITIONS)}, not {edition!r}")
    return edition
