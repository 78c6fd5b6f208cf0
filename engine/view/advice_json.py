"""The JSON advice (``perencana-advice/1``): the one place facts are written as text
for machines.

The contract of ``case-format.md`` shows each fact as the case file has it
(``funding.funds_for_change = none``) and each conclusion in a few fixed words
(``evidence for financial (strong)``); ``fact_text`` writes a ``FactRef`` that way.
Same advice, same bytes.
"""

import json

FORMAT = "perencana-advice/1"


def _orjson():
    """orjson (the ``fast`` extra: the same text, some twenty times sooner), or
    ``None``; imported when a JSON text is first written, not with this module, which
    every memo reads ``fact_text`` from (orjson's import costs a memo 1.5 ms)."""
    found = globals().get("orjson", _orjson)
    if found is _orjson:
        try:
            import orjson as found
        except ImportError:  # pragma: no cover - the standard encoder writes it
            found = None
        globals()["orjson"] = found
    return found


def __getattr__(name):
    # ``advice_json.orjson``, before any JSON text is written
    if name == "orjson":
        return _orjson()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def show_value(value):
    """A fact value written as in a YAML case file."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def answer_text(answer):
    """An answer to an unknown field as the case file would have it."""
    if isinstance(answer, tuple):
        return "[" + ", ".join(answer) + "]"
    return show_value(answer)


def fact_text(ref):
    """A fact reference as the JSON advice, the trace and the explanations write it."""
    kind = ref.kind
    if kind == "cause-id":
        return ref.value
    if kind == "field":
        return f"{ref.path} = {show_value(ref.value)}"
    if kind == "stakeholder":
        return (
            f"{ref.path} ({ref.name}): "
            f"directly_affected = {show_value(ref.get('directly_affected'))}, "
            f"impact = {show_value(ref.get('impact'))}"
        )
    if kind == "program":
        return (
            f"{ref.path} ({ref.name}): "
            f"viable = {show_value(ref.get('viable'))}, performance = {ref.get('performance')}"
        )
    if kind == "lifecycle":
        return f"lifecycle = {ref.value}"
    if kind == "evidence":
        return f"evidence for {ref.value} ({ref.get('strength')})"
    if kind == "cause":
        return f"cause {ref.value}"
    if kind == "recommendation":
        return f"strategy {ref.value} (because {_joined(ref.get('because'))})"
    if kind == "recommended":
        return f"strategy {ref.value} recommended"
    if kind == "caveat":
        return f"caveat {ref.value} on {ref.get('strategy')}"
    if kind == "first-step":
        return f"first step {ref.value} for {ref.get('strategy')}"
    if kind == "decision":
        return f"{ref.path} decision = {ref.value}"
    if kind == "guidance":
        because = ref.get("because")
        if not because:
            return f"guidance {ref.value}"
        return f"guidance {ref.value} (because {_joined(because)})"
    raise ValueError(f"no text for facts of kind {kind!r}")


def _joined(refs):
    return "; ".join(map(fact_text, refs))


def texts(refs):
    return [fact_text(ref) for ref in refs]


def trace_step_json(step):
    return {"rule": step.rule, "facts": texts(step.facts), "concluded": texts(step.concluded)}


def advice_json(advice):
    """The advice as the ``perencana-advice/1`` object."""
    return {
        "format": FORMAT,
        "organization": advice.organization,
        "lifecycle": advice.lifecycle,
        "causes": [
            {
                "id": c.id,
                "strength": c.strength,
                "evidence": texts(c.evidence),
                "sources": c.sources,
            }
            for c in advice.causes
        ],
        "strategies": [
            {
                "id": s.id,
                "rank": s.rank,
                "because": texts(s.because),
                "caveats": s.caveats,
                "first_steps": s.first_steps,
                "sources": s.sources,
                "phase": s.phase,
                "start_with": s.start_with,
            }
            for s in advice.strategies
        ],
        "programs": [
            {"name": p.name, "decision": p.decision, "sources": p.sources} for p in advice.programs
        ],
        "guidance": [
            {"id": g.id, "because": texts(g.because), "sources": g.sources} for g in advice.guidance
        ],
        "tensions": [
            {"id": t.id, "strategies": t.strategies, "sources": t.sources} for t in advice.tensions
        ],
        "unknowns": [u.path for u in advice.unknowns],
        "unknown_answers": [
            {
                "field": u.path,
                "answers_that_change_advice": list(map(answer_text, u.changing_answers)),
            }
            for u in advice.unknowns
        ],
        "trace": [trace_step_json(step) for step in advice.trace],
    }


def advice_json_text(advice):
    """The JSON advice as text: the same bytes for the same advice."""
    return json_text(advice_json(advice))


def json_text(value):
    """``value`` as JSON indented by two spaces, non-ASCII characters as they are.

    The standard encoder writes an indented text in Python, not C: for an advice it
    takes longer than building the advice. With orjson installed (the ``fast`` extra)
    orjson writes it, byte for byte the same text for what an advice holds (strings,
    integers, booleans, None, lists and dicts with string keys; ``tests/test_json_text.py``
    compares them); what orjson refuses (an integer past 64 bits, a lone surrogate)
    goes to the standard encoder. The advice holds no floats (the case's numbers are
    integers), whose shortest forms the two write differently (1e-07, NaN)."""
    orjson = _orjson()
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n"
        except TypeError:  # orjson.JSONEncodeError too
            pass
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
