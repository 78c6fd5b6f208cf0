"""The layout shows the design: read from the source, not from the running code.

- the import graph of perencana's modules has no cycle;
- the engine's subpackages are layers: a module never imports one of a higher
  layer (the order is the one ``engine/__init__``'s docstring gives);
- ``engine/`` has at most ten modules at its top level, and every package says
  what it owns in a docstring;
- the rules import only the facts, the experta extensions and experta;
- only ``engine/experta_ext`` touches experta's private names (see
  ``EXPERTA_INTERNALS`` for what counts as private).

Every ``import`` counts, at the top of a module or inside a function.
"""

import ast
import configparser
import importlib.util
import re
from functools import cache
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGE = "perencana"

# The engine's subpackages, lowest layer first, as engine/__init__ lists them.
LAYERS = (
    "experta_ext",
    "case",
    "reasoning",
    "view",
    "graph",
    "memo",
    "teaching",
    "interview",
    "batch",
)
ENGINE = f"{PACKAGE}.engine"
ERRORS = f"{ENGINE}.errors"  # importable by every layer
API = f"{ENGINE}.api"  # on top: only the command line imports it
MAY_IMPORT_API = {API, f"{PACKAGE}.cli"}
MAX_ENGINE_TOP_LEVEL_MODULES = 10

# Imports that go down the layers the wrong way, allowed for now: (importer,
# imported) -> why. Empty: today none does.
LAYERING_EXCEPTIONS: dict[tuple[str, str], str] = {}


# ----------------------------------------------------------------- the module tree


@cache
def shipped_packages():
    """The packages setup.cfg installs, each with its folder in the tree."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    names = config["options"]["packages"].split()
    return {name: ROOT.joinpath(*name.split(".")[1:]) for name in names}


@cache
def modules():
    """Every module perencana installs: its dotted name -> its file."""
    found = {}
    for package, folder in shipped_packages().items():
        for path in sorted(folder.glob("*.py")):
            if path == ROOT / "setup.py":
                continue  # the build's, in the package's folder but not installed
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            found[name] = path
    return found


def _containing(name):
    """The longest prefix of ``name`` that is one of perencana's modules."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name


def imported_names(name):
    """The dotted names a module imports (absolute, relative ones resolved)."""
    path = modules()[name]
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module
            for alias in node.names:
                yield f"{module}.{alias.name}", node.lineno  # a module or a name in one


@cache
def import_graph():
    """perencana's modules -> the perencana modules each imports (third-party and
    standard-library imports left out). ``from a.b import c`` is an edge to ``a.b.c``
    when that is a module, else to ``a.b``. A package's ``__init__``, run when a
    module inside it is imported, is not an edge: Python runs it first, whatever."""
    graph = {}
    for name in modules():
        targets = set()
        for imported, _ in imported_names(name):
            if imported == PACKAGE or imported.startswith(PACKAGE + "."):
                target = _containing(imported)
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def find_cycle(graph):
    """One cycle of ``graph`` as a list of nodes (first == last), or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack = []

    def visit(node):
        colour[node] = GREY
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if colour.get(target, BLACK) == GREY:
                return stack[stack.index(target) :] + [target]
            if colour.get(target) == WHITE:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(graph):
        if colour[node] == WHITE:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def layer_of(name):
    """The position of the engine subpackage holding ``name``, or None."""
    parts = name.split(".")
    if parts[:2] == [PACKAGE, "engine"] and len(parts) > 2 and parts[2] in LAYERS:
        return LAYERS.index(parts[2])
    return None


# ----------------------------------------------------------------------- the tests


def test_the_tree_is_read():
    names = set(modules())
    assert {PACKAGE, f"{PACKAGE}.cli", API, ERRORS, f"{PACKAGE}.rules"} <= names
    assert f"{ENGINE}.reasoning.inference" in names
    graph = import_graph()
    assert f"{PACKAGE}.rules" in graph[f"{ENGINE}.reasoning.inference"]
    # an import inside a function counts
    assert f"{ENGINE}.memo.templating" in graph[f"{ENGINE}.teaching.stepper"]


def test_the_import_graph_has_no_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"b"}}) is None


def test_the_layers_are_the_ones_the_engine_docstring_lists():
    doc = ast.get_docstring(ast.parse((ROOT / "engine" / "__init__.py").read_text()))
    listed = re.findall(r"^- ``(\w+)``:", doc, re.MULTILINE)
    assert tuple(listed) == LAYERS
    subpackages = {name.split(".")[2] for name in shipped_packages() if name.count(".") == 2}
    assert subpackages == set(LAYERS)


def test_a_lower_layer_never_imports_a_higher_one():
    wrong = []
    for name, targets in import_graph().items():
        mine = layer_of(name)
        for target in sorted(targets):
            theirs = layer_of(target)
            if mine is None or theirs is None or theirs <= mine:
                continue
            if (name, target) not in LAYERING_EXCEPTIONS:
                wrong.append(f"{name} ({LAYERS[mine]}) imports {target} ({LAYERS[theirs]})")
    assert not wrong, "\n".join(wrong)


def test_the_exceptions_to_the_layering_are_still_needed():
    graph = import_graph()
    stale = [pair for pair in LAYERING_EXCEPTIONS if pair[1] not in graph.get(pair[0], ())]
    assert not stale, f"no longer imported, drop from LAYERING_EXCEPTIONS: {stale}"


def test_only_the_command_line_imports_the_api():
    importers = sorted(name for name, targets in import_graph().items() if API in targets)
    assert set(importers) <= MAY_IMPORT_API, importers


VOCABULARY = f"{ENGINE}.case.vocabulary"


def test_errors_and_the_knowledge_import_nothing_above_them():
    """The errors and the case vocabulary are leaves; the knowledge reads only them."""
    graph = import_graph()
    assert graph[ERRORS] == set()
    assert graph[VOCABULARY] == set()
    for name, targets in graph.items():
        if name.startswith(f"{PACKAGE}.knowledge"):
            outside = {t for t in targets if not t.startswith(f"{PACKAGE}.knowledge")}
            assert outside <= {ERRORS, VOCABULARY}, (name, outside)


def test_the_engine_has_few_modules_at_its_top_level():
    top_level = sorted(path.name for path in (ROOT / "engine").glob("*.py"))
    assert len(top_level) <= MAX_ENGINE_TOP_LEVEL_MODULES, top_level


def test_every_package_says_what_it_owns():
    missing = [
        name
        for name, folder in shipped_packages().items()
        if not (ast.get_docstring(ast.parse((folder / "__init__.py").read_text())) or "").strip()
    ]
    assert not missing, missing


def test_the_rules_import_only_the_facts_the_extensions_and_experta():
    allowed = (f"{ENGINE}.reasoning.facts", f"{ENGINE}.experta_ext", f"{PACKAGE}.rules")
    wrong = []
    for name in modules():
        if name != f"{PACKAGE}.rules" and not name.startswith(f"{PACKAGE}.rules."):
            continue
        for imported, line in imported_names(name):
            top = imported.split(".")[0]
            if top == "experta" or _is_standard_library(top):
                continue
            if not any(imported == a or imported.startswith(a + ".") for a in allowed):
                wrong.append(f"{modules()[name].relative_to(ROOT)}:{line} imports {imported}")
    assert not wrong, "\n".join(wrong)


def _is_standard_library(top):
    import sys

    return top in sys.stdlib_module_names


# ----------------------------------------------------------- experta's private names
#
# experta's public API is what the ``experta`` package itself exports (Fact, Rule,
# KnowledgeEngine, L, W, P, AS, MATCH, NOT, ...), ``experta.watchers`` (documented),
# the engine's documented methods and attributes (reset, declare, retract, modify,
# duplicate, run, halt, facts, agenda) and its class hooks ``__matcher__`` and
# ``__strategy__``. Read-only data it hands its users is public too: an activation's
# ``rule`` and ``facts``, the agenda's list of activations, a fact's ``__factid__``.
#
# Private, and so kept in engine/experta_ext: every name experta defines starting
# with an underscore (``_wrapped``, ``_Fact__defaults``, ``_activate``...), every
# other experta module (``experta.matchers``, ``experta.agenda``,
# ``experta.strategies``, ``experta.fieldconstraint``, ``experta.utils``...), and
# the undocumented machinery of the engine, its agenda and its strategy below,
# whether called or overridden.

EXPERTA_INTERNALS = {
    "get_activations",  # KnowledgeEngine: the matcher's changes since the last look
    "get_deffacts",  # KnowledgeEngine: looks the deffacts up on every reset
    "update_agenda",  # Strategy: puts activations on the agenda
    "get_key",  # Strategy: the conflict-resolution key
    "get_next",  # Agenda: the activation that fires next
    "last_index",  # FactList: the next fact id
}
EXPERTA_PUBLIC_MODULES = {"experta", "experta.watchers"}
EXTENSIONS = f"{ENGINE}.experta_ext"

# Private names still used outside experta_ext, allowed for now: (module, name) -> why.
EXPERTA_EXCEPTIONS = {}


@cache
def experta_source():
    spec = importlib.util.find_spec("experta")  # found, not imported (it needs the shim)
    return Path(spec.origin).parent


@cache
def experta_private_names():
    """Every underscore name experta's source defines, with the mangled forms of its
    double-underscore attributes (``_Fact__defaults``)."""
    names = set()
    for path in experta_source().rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for inner in ast.walk(node):
                    attr = getattr(inner, "attr", None) or getattr(inner, "name", None)
                    if isinstance(attr, str) and attr.startswith("__") and not attr.endswith("__"):
                        names.add(f"_{node.name.lstrip('_')}{attr}")
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                name = node.name
            elif isinstance(node, ast.Attribute):
                name = node.attr
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                name = node.id
            else:
                continue
            if name.startswith("_") and not name.endswith("__") and name != "_":
                names.add(name)
    return names


@cache
def experta_exports():
    """The names ``experta/__init__`` binds: its public API."""
    tree = ast.parse((experta_source() / "__init__.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if any(alias.name == "*" for alias in node.names):
                names |= _star_names(node.module)
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _star_names(module):
    tree = ast.parse((experta_source() / f"{module}.py").read_text(encoding="utf-8"))
    return {
        node.name if hasattr(node, "name") else node.targets[0].id
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
        or (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name))
    }


def private_uses(name):
    """Where module ``name`` touches experta's private names: (line, what) pairs."""
    private = experta_private_names()
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "experta" and (
                    alias.name not in EXPERTA_PUBLIC_MODULES
                ):
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            if module.split(".")[0] != "experta":
                continue
            if module not in EXPERTA_PUBLIC_MODULES:
                yield node.lineno, f"from {module} import ..."
            elif module == "experta":
                for alias in node.names:
                    if alias.name not in experta_exports():
                        yield node.lineno, f"from experta import {alias.name}"
        elif isinstance(node, ast.Attribute) and (
            node.attr in private or node.attr in EXPERTA_INTERNALS
        ):
            yield node.lineno, f".{node.attr}"
        elif isinstance(node, ast.FunctionDef) and node.name in EXPERTA_INTERNALS:
            yield node.lineno, f"def {node.name}"


def test_only_the_experta_extensions_touch_experta_private_names():
    wrong = []
    for name in modules():
        if name == EXTENSIONS or name.startswith(EXTENSIONS + "."):
            continue
        for line, what in private_uses(name):
            if (name, what.lstrip(".").removeprefix("def ")) in EXPERTA_EXCEPTIONS:
                continue
            wrong.append(f"{modules()[name].relative_to(ROOT)}:{line}: {what}")
    assert not wrong, "experta's private names outside engine/experta_ext:\n" + "\n".join(wrong)


def test_the_experta_exceptions_are_still_needed():
    for (name, what), _why in EXPERTA_EXCEPTIONS.items():
        found = {w.lstrip(".").removeprefix("def ") for _, w in private_uses(name)}
        assert what in found, f"{name} no longer uses {what}: drop it from EXPERTA_EXCEPTIONS"


def test_the_private_name_check_sees_what_the_extensions_use():
    # The extensions do touch the internals, so the check would find them there.
    uses = {
        what for name in modules() if name.startswith(EXTENSIONS) for _, what in private_uses(name)
    }
    assert "._wrapped" in uses
    assert "from experta.matchers import ..." in uses
    assert "._Fact__defaults" in uses
    assert {"Rule", "Fact", "KnowledgeEngine", "L", "W", "NOT", "AS", "MATCH"} <= (
        experta_exports()
    )


@pytest.mark.parametrize("public", ["__matcher__", "__strategy__", "salience"])
def test_experta_class_hooks_are_not_counted_private(public):
    assert public not in experta_private_names()
