"""What ``perencana batch`` reads: its INPUTs expanded into case sources, one per case.

An INPUT is a case file (YAML or JSON), a folder of them (``*.yaml``, ``*.yml``,
``*.json``, in name order, not recursive) or a table with one case per row: a CSV
file (``*.csv``) whose columns are the case's dotted field paths, or a JSON Lines
file (``*.jsonl``, ``*.ndjson``) with one case object per line.

Reading a row only builds the raw case; the case is validated like a case file, so a
row is told the same messages as ``perencana validate`` (``load_source``). A row is
named by the line of the file it starts on (a CSV's header is line 1). A problem in
one row, or in a whole table, fails only the cases it concerns.
"""

import csv
import io
import json
import math
import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from perencana.engine.case.limits import limit, size_text
from perencana.engine.case.loader import MAX_BYTES, load_case
from perencana.engine.case.schema import field_specs
from perencana.engine.case.validation import normalize_case, validate_case
from perencana.engine.case.vocabulary import NOT_READ, UNKNOWN, CasePath, read_answer
from perencana.engine.errors import CaseError, PerencanaError

CASE_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LIST_SEPARATOR = re.compile(r"[;,]")
# Control characters and every line break str.splitlines knows (\x1c-\x1e, \x85...).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class BatchInputError(PerencanaError):
    """An INPUT that names nothing to read: a usage error (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class CaseSource:
    """Where one case comes from: a case file, or row ``row`` of a table ``file``.

    ``data`` is the raw case of a row, without the cells that could not be read;
    ``problems`` say why (naming the column), or why a row or a whole table (with
    ``row`` None) cannot become a case at all.
    """

    file: str
    row: int | None = None
    data: object = None
    problems: tuple = ()
    unread: tuple = ()  # the columns whose cells could not be read

    @property
    def label(self):
        """``FILE`` or ``FILE:ROW``, as messages name the case."""
        return self.file if self.row is None else f"{self.file}:{self.row}"

    @property
    def key(self):
        return (self.file, self.row)

    def to_json(self):
        return {"file": self.file, "row": self.row}


# --------------------------------------------------------------------------- public


def expand_inputs(inputs):
    """The case sources of ``inputs`` (paths), in order; a file named twice is read once.

    Raises ``BatchInputError`` for an input that does not exist or when there is no
    case at all.
    """
    sources, seen = [], set()
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            files = _folder_cases(path)
        elif path.exists():
            files = [path]
        else:
            raise BatchInputError(f"{given}: no such file or folder")
        for file in files:
            identity = os.path.realpath(file)
            if identity in seen:
                continue
            seen.add(identity)
            sources += _sources_of(file)
    if not sources:
        raise BatchInputError(
            "no case found in " + ", ".join(map(str, inputs)) + "; give case files "
            "(*.yaml, *.yml, *.json), folders of them, or CSV / JSON Lines tables"
        )
    return sources


def load_source(source):
    """The validated, normalized case of ``source``; raises ``CaseError`` labelled
    ``FILE`` or ``FILE:ROW`` with one message per problem (those of ``validate``)."""
    if source.data is None:
        if source.problems:
            raise CaseError(source.label, source.problems)
        return load_case(source.file)
    # A cell that could not be read is told once, not again as a missing field.
    problems = list(source.problems) + [
        problem
        for problem in validate_case(source.data)
        if not any(problem.about(column) for column in source.unread)
    ]
    if problems:
        raise CaseError(source.label, problems)
    return normalize_case(source.data)


def is_table(path):
    return Path(path).suffix.lower() in CSV_SUFFIXES + JSONL_SUFFIXES


def read_csv_rows(path, name=None):
    """The sources of a CSV table: one per row that is not blank."""
    name = str(path) if name is None else name
    text, problem = _read_text(path)
    if problem:
        return [CaseSource(name, problems=(problem,))]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [CaseSource(name, problems=(f"not valid CSV in the header row: {error}",))]
    if not header or not any(cell.strip() for cell in header):
        return [CaseSource(name, problems=("has no header row naming the columns",))]
    columns = [cell.strip() for cell in header]
    problem = _header_problem(columns)
    if problem:
        return [CaseSource(name, problems=(problem,))]
    sources = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader, None)
        except csv.Error as error:
            # The reader cannot tell where the next row starts: say the rest is unread.
            problem = f"not valid CSV: {error}; this row and the rows after it were not read"
            sources.append(CaseSource(name, line, problems=(problem,)))
            break
        if cells is None:
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(sources) >= limit("table_rows"):
            sources.append(_too_many_rows(name, line))
            break
        data, problems, unread = row_case(columns, cells)
        sources.append(CaseSource(name, line, data, tuple(problems), tuple(unread)))
    return sources


def read_jsonl_rows(path, name=None):
    """The sources of a JSON Lines table: one per line that is not blank."""
    name = str(path) if name is None else name
    text, problem = _read_text(path)
    if problem:
        return [CaseSource(name, problems=(problem,))]
    sources = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if len(sources) >= limit("table_rows"):
            sources.append(_too_many_rows(name, number))
            break
        if len(line) > MAX_BYTES:
            sources.append(CaseSource(name, number, problems=(_too_large("the line"),)))
            continue
        try:
            data = _json_value(line)
        except _CellProblem as problem:
            sources.append(CaseSource(name, number, problems=(problem.message,)))
            continue
        sources.append(CaseSource(name, number, data=data))
    return sources


def row_case(columns, cells):
    """The raw case of one CSV row, the problems of its cells, and the columns whose
    cells could not be read (left out of the case).

    ``columns`` are dotted field paths. An empty cell leaves its field out; a number
    or boolean field's cell becomes a number or boolean (anything else is left as
    text for validation to name); a list of allowed values is JSON (``["a", "b"]``) or
    values separated by commas; stakeholders, programs and any other column are JSON
    when the cell starts with ``[`` or ``{``.
    """
    data, problems, owners, unread = {}, [], {}, []
    if len(cells) > len(columns):
        problems.append(
            f"the row has {len(cells)} cells but the header names {len(columns)} columns; "
            "quote a cell that holds a comma"
        )
    for column, cell in zip(columns, cells, strict=False):
        if not cell.strip():
            continue
        if not column:
            problems.append("a cell is filled in a column with no name in the header")
            continue
        try:
            value = cell_value(column, cell)
        except _CellProblem as problem:
            problems.append(f"{column}: {problem.message}")
            unread.append(column)
            continue
        problem = _put(data, column, value, owners)
        if problem:
            problems.append(problem)
            unread.append(column)
    return data, problems, unread


def cell_value(column, cell):
    """The value of one CSV cell in ``column`` (a dotted path), by the field's kind:
    read as an answer to the field (``read_answer``, as the interview and ``--set``
    read one); what does not read so is kept as written (a number as a number), for
    the validator to say what is wrong with it."""
    text = cell.strip()
    spec = _leaf_specs().get(column)
    kind = spec.kind if spec is not None else None
    if kind == "enum-list" and text.startswith("["):
        return _json_value(text, "the cell")
    if spec is not None and kind != "text":  # a text field keeps the words it is given
        value = read_answer(spec, text)
        if value is not NOT_READ:
            return value
    if text == UNKNOWN:
        return text
    if kind == "count":
        return _number(text)
    if kind == "enum-list":
        return [part.strip() for part in _LIST_SEPARATOR.split(text) if part.strip()]
    if kind is None and text[:1] in "[{":
        return _json_value(text, "the cell")
    return text


# ------------------------------------------------------------------------- helpers


def _folder_cases(folder):
    return sorted(
        (
            entry
            for entry in folder.iterdir()
            if entry.suffix.lower() in CASE_SUFFIXES
            and not entry.name.startswith(".")
            and entry.is_file()
        ),
        key=lambda entry: entry.name,
    )


def _sources_of(file):
    suffix = file.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv_rows(file)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl_rows(file)
    return [CaseSource(str(file))]


@lru_cache(maxsize=1)
def _leaf_specs():
    """Dotted path -> spec of every field outside the lists (``change.triggers``...)."""
    return {spec.path: spec for spec in field_specs() if not CasePath.parse(spec.path).in_item}


def _header_problem(columns):
    first = {}
    for position, column in enumerate(columns, start=1):
        if _CONTROL.search(column):  # a line break or escape would reach the messages
            return (
                f"column {position} of the header holds a control character or a line "
                "break; a column is a dotted field path such as organization.name"
            )
        if column and column in first:
            return (
                f"column '{column}' appears twice in the header (columns "
                f"{first[column]} and {position}); give each field once"
            )
        first.setdefault(column, position)
    return None


def _put(data, column, value, owners):
    """Put ``value`` at the dotted path ``column`` of ``data``; a clash between a
    column and a column inside it (``organization`` and ``organization.name``) is
    a problem, named by both."""
    parts = column.split(".")
    node = data
    for depth, part in enumerate(parts[:-1], start=1):
        prefix = ".".join(parts[:depth])
        child = node.setdefault(part, {})
        if not isinstance(child, dict) or prefix in owners:
            return f"{column}: clashes with the column '{owners.get(prefix, prefix)}'"
        node = child
    last = parts[-1]
    if last in node:
        return f"{column}: clashes with a column inside it"
    node[last] = value
    owners[column] = column
    return None


def _number(text):
    if not _NUMBER.fullmatch(text):
        return text
    try:
        number = float(text) if any(mark in text for mark in ".eE") else int(text)
    except ValueError:  # thousands of digits: too many for int()
        return text
    return number if not isinstance(number, float) or math.isfinite(number) else text


class _CellProblem(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class _DuplicateKey(Exception):
    pass


def _unique_keys(pairs):
    found = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _refuse_constant(name):
    raise _CellProblem(f"{name} is not allowed in a case")


def _json_value(text, what="the line"):
    """``text`` read as JSON, refusing what a case file is refused too: a key given
    twice and half of a UTF-16 surrogate pair."""
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant)
    except _DuplicateKey as duplicate:
        raise _CellProblem(
            f"{what} gives the key '{duplicate.args[0]}' twice; give each field once"
        ) from None
    except json.JSONDecodeError as error:
        raise _CellProblem(
            f"{what} is not valid JSON at column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise _CellProblem(f"{what} is nested too deeply to be read") from None
    except ValueError:  # an integer of thousands of digits
        raise _CellProblem(f"a number in {what} has too many digits to be read") from None
    if _has_lone_surrogate(value):
        raise _CellProblem(
            f"{what} holds half of a UTF-16 surrogate pair (\\ud800 to \\udfff), "
            "not a character; write the character itself"
        )
    return value


def _has_lone_surrogate(value):
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list):
            pending += item
    return False


def _read_text(path):
    """The text of a table, or why it cannot be read: only a regular file, and at
    most ``table_bytes`` of it (``/dev/zero`` or a FIFO would never end)."""
    most = limit("table_bytes")
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return (
                None,
                "is not a regular file (a device, a FIFO or a socket); save the table to a file",
            )
        with open(path, "rb") as handle:
            raw = handle.read(most + 1)
    except OSError as error:
        return None, f"cannot be read: {error.strerror or error}"
    if len(raw) > most:
        return None, f"is larger than {size_text(most)}, the most a table of cases may be; split it"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, (
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} on line {line}); "
            "save it as UTF-8"
        )


def _too_many_rows(name, line):
    most = limit("table_rows")
    return CaseSource(
        name,
        line,
        problems=(
            f"the table holds more than {most:,} cases, the most one table may; this row "
            "and the rows after it were not read: split the table",
        ),
    )


def _too_large(what):
    return (
        f"{what} is larger than {size_text(MAX_BYTES)} ({MAX_BYTES} bytes), the most a case may be"
    )
