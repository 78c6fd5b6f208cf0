"""Reads the knowledge files and checks them before anything uses them."""

import contextlib
import os
from functools import lru_cache
from pathlib import Path

import yaml

from perencana.engine.errors import KnowledgeError
from perencana.knowledge.pycache import keep, kept_file, read_kept

KNOWLEDGE_DIR = Path(__file__).parent

# file name -> attribute; items of these files are lists keyed by `id` (or `path`).
ITEM_FILES = {
    "causes": "id",
    "strategies": "id",
    "caveats": "id",
    "steps": "id",
    "guidance": "id",
    "decisions": "id",
    "lifecycle": "id",
    "fields": "path",
    "phases": "id",
    "tensions": "id",
    "plan_steps": "id",
    "stakeholder_map": "id",
    "success_signs": "id",
}
# libyaml's safe loader when PyYAML has it: the knowledge is read on every command,
# and the pure-Python parser takes most of a short command's time.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Wording of the memo and of the teaching commands: one file per concern, merged into
# ``Knowledge.memo`` as top-level groups (a group may be defined in one file only).
WORDING_FILES = (
    "memo",
    "reasons",
    "explain",
    "graph",
    "teaching",
    "whatif",
    "interview",
    "batch",
)


class Knowledge:
    """Everything perencana knows, read from one folder: ``source``, ``thresholds``,
    ``memo`` (the wording files merged) and one mapping per item file of
    ``ITEM_FILES`` (``plan_steps``: the action plan's steps; ``stakeholder_map``:
    stances and involvement by a stakeholder's answers; ``success_signs``: how
    success will be seen, phase by phase).

    Immutable, equal field by field, as the frozen dataclass it was; written by hand
    because making that dataclass at import cost every command a millisecond.
    ``replace`` gives a copy with some fields changed, ``as_dict`` the fields.
    """

    FIELDS = ("source", "thresholds", "memo", *ITEM_FILES)

    def __init__(
        self,
        source,
        thresholds,
        memo,
        causes,
        strategies,
        caveats,
        steps,
        guidance,
        decisions,
        lifecycle,
        fields,
        phases,
        tensions,
        plan_steps,
        stakeholder_map,
        success_signs,
    ):
        self.__dict__.update(
            source=source,
            thresholds=thresholds,
            memo=memo,
            causes=causes,
            strategies=strategies,
            caveats=caveats,
            steps=steps,
            guidance=guidance,
            decisions=decisions,
            lifecycle=lifecycle,
            fields=fields,
            phases=phases,
            tensions=tensions,
            plan_steps=plan_steps,
            stakeholder_map=stakeholder_map,
            success_signs=success_signs,
        )

    def as_dict(self):
        """The fields by name, in order (the values themselves, not copies)."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def replace(self, **changes):
        """A copy with the fields named in ``changes`` changed."""
        return Knowledge(**{**self.as_dict(), **changes})

    def _values(self):
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self):  # as the dataclass's: the hash of the fields (dicts: unhashable)
        return hash(self._values())

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __repr__(self):
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{type(self).__qualname__}({shown})"

    def item(self, kind, key):
        """The item ``key`` of ``kind`` (``causes``, ``strategies``...)."""
        return getattr(self, kind)[key]


def _read(directory, name):
    path = Path(directory) / f"{name}.yaml"
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SAFE_LOADER)
    except OSError as error:
        raise KnowledgeError([f"{path.name}: cannot be read ({error.strerror})"]) from None
    except yaml.YAMLError as error:
        raise KnowledgeError([f"{path.name}: not valid YAML ({error})"]) from None


def read_knowledge(directory=KNOWLEDGE_DIR):
    """Read and check the knowledge in ``directory`` (a copy may be checked too)."""
    from perencana.knowledge.checks import check_knowledge

    raw = {name: _read(directory, name) for name in (*ITEM_FILES, "source", "thresholds")}
    raw["memo"], problems = _merge_wording(directory)
    problems += check_knowledge(raw, ITEM_FILES)
    if problems:
        raise KnowledgeError(problems)
    items = {name: {item[key]: item for item in raw[name]} for name, key in ITEM_FILES.items()}
    return Knowledge(source=raw["source"], thresholds=raw["thresholds"], memo=raw["memo"], **items)


def _merge_wording(directory):
    merged, problems = {}, []
    for name in WORDING_FILES:
        for group, value in (_read(directory, name) or {}).items():
            if group in merged:
                problems.append(f"{name}.yaml: {group}: already defined in another wording file")
            merged[group] = value
    return merged, problems


@lru_cache(maxsize=1)
def load_knowledge():
    """The shipped knowledge, read and checked once per process."""
    return load_cached(KNOWLEDGE_DIR)


# Bump when Knowledge or what read_knowledge makes of the files changes shape.
CACHE_FORMAT = 4


def load_cached(directory):
    """The knowledge in ``directory``, as ``read_knowledge`` reads and checks it,
    kept in ``__pycache__`` beside the files as Python keeps compiled modules.

    The cache is named by a digest of every knowledge file, so a changed file is
    read and checked afresh. Reading the YAML is most of a short command's
    start-up; loading the checked result with ``marshal`` takes a tenth of that. A
    cache that cannot be read or written (a read-only install) is passed over.
    """
    directory = Path(directory)
    # The files as ``sorted(directory.glob("*.yaml"))`` lists them (none from a folder
    # that cannot be listed), without the glob's pattern, compiled anew in every
    # process: half of this listing's time.
    try:
        with os.scandir(directory) as entries:
            names = [entry.name for entry in entries if entry.name.endswith(".yaml")]
    except OSError:
        names = []
    paths = sorted(directory / name for name in names)
    files = b"".join(path.name.encode() + b"\0" + path.read_bytes() + b"\0" for path in paths)
    cache = kept_file(directory, "knowledge", CACHE_FORMAT, files)
    fields = read_kept(cache)
    if isinstance(fields, dict):
        with contextlib.suppress(TypeError):  # a file of another shape: read anew
            return Knowledge(**fields)
    knowledge = read_knowledge(directory)
    keep(cache, "knowledge", knowledge.as_dict())
    return knowledge
