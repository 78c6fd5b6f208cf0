"""Facts travel as references and are worded once, at the edge.

The engine records what a rule matched and concluded as ``FactRef``s; the view words
them per language and the JSON writer writes them as the contract has them. So a
name that looks like engine text (``clerks; cause financial``, ``a = b``, ``[0]``,
parentheses, a newline) is only ever a name, in every format and language.
"""

import ast
import html
import io
import json
import re

import pytest

from perencana.engine.case.validation import normalize_case, validate_case
from perencana.engine.memo.render import render
from perencana.engine.reasoning.facts import FactRef
from perencana.engine.view.advice_json import advice_json_text, fact_text
from tests.helpers import ROOT, picture_without_a_browser

STAKEHOLDERS = ("clerks; cause financial", "a = b (c) [0]\nsecond line")
PROGRAM = "programs[1] decision = replace"
ORGANIZATION = "Yayasan (Uji) = [0]"
# What the engine's facts look like as text; none of it belongs in a memo.
ENGINE_TEXT = ("directly_affected", "impact = ", "viable = ", "performance = ", "(because ")


@pytest.fixture(scope="module")
def hostile_advice(advisor):
    raw = {
        "organization": {"name": ORGANIZATION, "age_years": 30, "formalized_procedures": True},
        "change": {"summary": "a change", "proposed_by": "external", "skills_required": "some"},
        "funding": {"funds_for_change": "none"},
        "stakeholders": [
            {"name": name, "directly_affected": True, "impact": "negative"} for name in STAKEHOLDERS
        ],
        "programs": [
            {"name": PROGRAM, "viable": False, "effectiveness": "low", "efficiency": "low"}
        ],
    }
    assert not validate_case(raw)
    return advisor.advise(normalize_case(raw))


def _flat(text):
    return " ".join(text.split())


def _readable(fmt, output):
    """The text a reader sees in a memo of ``fmt``."""
    if fmt == "md":
        return re.sub(r"\\(.)", r"\1", output)
    if fmt == "html":
        body = output.split("<body", 1)[1]
        return html.unescape(re.sub(r"<[^>]+>", " ", body))
    if fmt == "docx":
        docx = pytest.importorskip("docx")
        document = docx.Document(io.BytesIO(output))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return output


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("fmt", ["md", "html", "text", "docx"])
def test_names_that_look_like_engine_text_stay_names_in_every_memo(
    hostile_advice, knowledge, fmt, lang
):
    with picture_without_a_browser():  # the Word memo's text is read, not its picture
        seen = _readable(fmt, render(hostile_advice, knowledge, fmt, lang))
    for name in (*STAKEHOLDERS, PROGRAM, ORGANIZATION):
        assert _flat(name) in _flat(seen), name
    for engine_text in ENGINE_TEXT:
        assert engine_text not in seen, engine_text
    # Each stakeholder is shown as a whole: its name never split at its "; ".
    assert "“clerks”" not in seen and "cause financial”" in seen


def test_names_round_trip_verbatim_in_the_json_advice(hostile_advice):
    advice = json.loads(advice_json_text(hostile_advice))
    because = [b for s in advice["strategies"] for b in s["because"]]
    for index, name in enumerate(STAKEHOLDERS):
        written = f"stakeholders[{index}] ({name}): directly_affected = true, impact = negative"
        assert written in because
    concluded = [c for step in advice["trace"] for c in step["concluded"]]
    assert "programs[0] decision = replace" in concluded
    assert advice["programs"] == [{"name": PROGRAM, "decision": "replace", "sources": [72]}]


def test_the_advice_holds_references_not_text(hostile_advice):
    """What the rules concluded is data: each reason names its fact's kind and path."""
    reasons = [r for s in hostile_advice.strategies for r in s.because]
    assert reasons and all(isinstance(r, FactRef) for r in reasons)
    stakeholders = [r for r in reasons if r.kind == "stakeholder"]
    assert {(r.path, r.index, r.name) for r in stakeholders} == {
        ("stakeholders[0]", 0, STAKEHOLDERS[0]),
        ("stakeholders[1]", 1, STAKEHOLDERS[1]),
    }
    for step in hostile_advice.trace:
        assert all(isinstance(ref, FactRef) for ref in (*step.facts, *step.concluded))
    evidence = [ref for c in hostile_advice.causes for ref in c.evidence]
    assert FactRef("field", path="funding.funds_for_change", value="none") in evidence


def test_every_kind_of_fact_is_written_as_the_contract_has_it():
    field = FactRef("field", path="staff.involved_in_design", value=False)
    stakeholder = FactRef(
        "stakeholder",
        path="stakeholders[1]",
        index=1,
        name="x; y",
        details=(("directly_affected", True), ("impact", "negative")),
    )
    cause = FactRef("cause-id", value="financial")
    written = {
        field: "staff.involved_in_design = false",
        stakeholder: "stakeholders[1] (x; y): directly_affected = true, impact = negative",
        FactRef("lifecycle", value="young"): "lifecycle = young",
        FactRef("evidence", value="financial", details=(("strength", "raise"),)): (
            "evidence for financial (raise)"
        ),
        FactRef("cause", value="financial"): "cause financial",
        cause: "financial",
        FactRef("recommendation", value="education", details=(("because", (cause, field)),)): (
            "strategy education (because financial; staff.involved_in_design = false)"
        ),
        FactRef("recommended", value="education"): "strategy education recommended",
        FactRef("caveat", value="c", details=(("strategy", "s"),)): "caveat c on s",
        FactRef("first-step", value="f", details=(("strategy", "s"),)): "first step f for s",
        FactRef("decision", path="programs[2]", index=2, value="develop"): (
            "programs[2] decision = develop"
        ),
        FactRef("guidance", value="values", details=(("because", ()),)): "guidance values",
    }
    for ref, text in written.items():
        assert fact_text(ref) == text


# Where the engine's text once was written and read back (with regexes): none of
# these shapes may stand in a string of the code outside the JSON writer.
ENGINE_TEXT_PATTERNS = (
    "lifecycle = ",
    "evidence for ",
    "(because ",
    "decision = ",
    "directly_affected = ",
    "performance = ",
    "strategy {",
    "first step {",
    "caveat {",
    "cause {",
    " recommended",
)


def _strings(path):
    """The string literals and f-strings of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    inside_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield ast.unparse(node)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and id(node) not in inside_fstrings
        ):
            yield node.value


def test_no_module_but_the_json_writer_writes_or_reads_engine_text():
    writer = ROOT / "engine" / "view" / "advice_json.py"
    sources = [
        path
        for folder in ("engine", "rules", "knowledge")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != writer
    ]
    offenders = [
        f"{path.relative_to(ROOT)}: {text!r}"
        for path in [*sources, ROOT / "cli.py"]
        for text in _strings(path)
        if any(pattern in text for pattern in ENGINE_TEXT_PATTERNS)
    ]
    assert not offenders, offenders
    assert any(pattern in text for text in _strings(writer) for pattern in ENGINE_TEXT_PATTERNS)
