"""Reads a case file (YAML, or JSON, which is YAML) and returns the normalized case.

Reading is defensive because case files are written by hand and may come from
anyone: the size is capped before parsing, only YAML's safe types are built,
aliases and anchors are refused (an "alias bomb" of a few lines can expand to
gigabytes), and duplicate keys are refused (YAML would silently keep the last one).
Every problem becomes one line of a ``CaseError``; the user never sees a traceback.
"""

import re
import stat
import sys
from pathlib import Path

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from perencana.engine.case.limits import limit, size_text
from perencana.engine.case.validation import (
    case_schema,
    item_path,
    join_path,
    validated_case,
)
from perencana.engine.errors import CaseError

STDIN = "-"
STDIN_NAME = "<stdin>"
MAX_BYTES = limit("case_bytes")

# Tags whose implicit resolution is switched off: a date-like answer stays the text
# the user wrote (the schema has no dates), and ``<<`` is an ordinary, unknown key
# rather than a merge (merges exist to be used with aliases, which are refused).
_DROPPED_TAGS = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge")
_NOTHING = object()  # a stream with no document, unlike one holding ``null``
NOTHING = _NOTHING
# What PyYAML's constructors raise, instead of a YAMLError, for a value its tag cannot
# read: ``!!bool maybe`` (KeyError), ``!!int ten`` (ValueError), ``!!timestamp x``
# (AttributeError) and the like.
_CONSTRUCTOR_FAILURES = (KeyError, ValueError, TypeError, AttributeError, IndexError, OverflowError)
# A double-quoted "\ud83d\ude00" (as JSON writes characters beyond the BMP) gives
# two UTF-16 halves; they are joined into the character, a half alone is refused.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Compiled when a text has a surrogate in it (rare): compiling costs more than a read.
_LONE_SURROGATE = "[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]"


class _Refused(Exception):
    """The input cannot become a case; ``problems`` are the one-line reasons."""

    def __init__(self, *problems):
        super().__init__(*problems)
        self.problems = list(problems)


UnreadableYaml = _Refused  # what ``parse_yaml_text`` raises


class _TooDeep(Exception):
    """Raised while composing, at the first node nested deeper than ``yaml_depth``."""


class _AliasFound(Exception):
    """Raised while composing, before an alias could be expanded."""

    def __init__(self, event):
        super().__init__(event.anchor)
        self.event = event


_IMPLICIT_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _CaseConstruction:
    """How a case's values are built, whichever parser read them."""

    yaml_implicit_resolvers = _IMPLICIT_RESOLVERS

    def construct_object(self, node, deep=False):
        """Build one value; a scalar that its explicit tag cannot read (``!!bool maybe``,
        ``!!int ten``, ``!!float x``) is refused with its position, not a traceback."""
        try:
            value = super().construct_object(node, deep=deep)
        except _CONSTRUCTOR_FAILURES as error:
            raise _Refused(_unreadable_value(node, error)) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            value = _join_surrogates(value, node)
        return value


class CaseYamlLoader(_CaseConstruction, yaml.SafeLoader):
    """A SafeLoader that refuses aliases as it meets them and notes the first anchor."""

    def __init__(self, stream):
        super().__init__(stream)
        self.first_anchor = None
        self.depth = 0
        self.most_depth = limit("yaml_depth")

    def compose_node(self, parent, index):
        """Stop at an alias; remember where the first anchor is (refused afterwards,
        so that a file with both is told about the alias, the real danger). Stop at a
        node nested deeper than ``yaml_depth``, as Python's recursion limit would, with
        a message that names the bound."""
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _AliasFound(event)
        if event.anchor is not None and self.first_anchor is None:
            self.first_anchor = event
        self.depth += 1
        if self.depth > self.most_depth:
            raise _TooDeep
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def fetch_flow_collection_start(self, token_class):
        """Stop at a ``[`` or ``{`` nested deeper than ``yaml_depth``, before the
        scanner reads on: each flow level open costs it a look at every level below
        on each token ahead, and it reads ahead to the end of a possible key."""
        if self.flow_level >= self.most_depth:
            raise _TooDeep
        super().fetch_flow_collection_start(token_class)


# The tags of short scalars, as libyaml's reader resolved them (see its ``resolve``).
_RESOLVED = {}
_SHORT = 40
_MOST_RESOLVED = 4096


class _NotPlain(Exception):
    """A node ``FastCaseYamlLoader._plain`` leaves to PyYAML to build."""


class _MaybeDuplicateKey(Exception):
    """A mapping built with fewer keys than it was written with."""


if hasattr(yaml, "CSafeLoader"):

    class FastCaseYamlLoader(yaml.CSafeLoader):
        """libyaml's parser, for the plain files that need none of the careful
        reader's checks as it reads (see ``_needs_care``).

        Whatever goes wrong here, the careful reader reads the file again and says
        what (``_construct``), so this one builds values as PyYAML does, without
        ``_CaseConstruction``'s checks: a plain file has no escapes, so no UTF-16
        half, and a value its tag cannot read fails either way. A mapping with
        fewer keys than it was written with may have a key given twice, which the
        careful reader tells; keys the same only to Python (``1`` and ``true``) are
        not, and it reads those as this one would.
        """

        yaml_implicit_resolvers = _IMPLICIT_RESOLVERS

        def resolve(self, kind, value, implicit):
            """PyYAML's tag for a node, remembered for a short value: the same answers
            (``unknown``, ``low``, ``true``) recur in every case, and without path
            resolvers (none are registered) the tag depends on these alone."""
            if self.yaml_path_resolvers or (value is not None and len(value) > _SHORT):
                return super().resolve(kind, value, implicit)
            key = (kind, value, implicit)
            tag = _RESOLVED.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < _MOST_RESOLVED:
                    _RESOLVED[key] = tag
            return tag

        def construct_mapping(self, node, deep=False):
            mapping = super().construct_mapping(node, deep=deep)
            if len(mapping) != len(node.value):
                raise _MaybeDuplicateKey
            return mapping

        def construct_document(self, node):
            """PyYAML's values of a document made only of mappings, lists and scalars
            of the five plain tags (str, int, float, bool, null), built directly by
            PyYAML's own constructors of those scalars, without its general
            machinery; anything else (another tag, a merge key, a key that is a list
            or a mapping) is built by PyYAML."""
            try:
                return self._plain(node)
            except _NotPlain:
                return super().construct_document(node)

        def _plain(self, node):
            kind = type(node)
            if kind is ScalarNode:
                make = _PLAIN_SCALARS.get(node.tag)
                if make is None:
                    raise _NotPlain
                return make(self, node)
            if kind is SequenceNode and node.tag == _SEQUENCE:
                return [self._plain(item) for item in node.value]
            if kind is not MappingNode or node.tag != _MAPPING:
                raise _NotPlain
            mapping = {}
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode or key_node.tag not in _PLAIN_SCALARS:
                    raise _NotPlain  # a merge (<<), a ``=`` key, a list as a key...
                mapping[self._plain(key_node)] = self._plain(value_node)
            if len(mapping) != len(node.value):
                raise _MaybeDuplicateKey
            return mapping

    # The constructors PyYAML calls for the plain scalars, by tag.
    _PLAIN_SCALARS = {
        f"tag:yaml.org,2002:{name}": FastCaseYamlLoader.yaml_constructors[
            f"tag:yaml.org,2002:{name}"
        ]
        for name in ("str", "int", "float", "bool", "null")
    }
    _SEQUENCE = "tag:yaml.org,2002:seq"
    _MAPPING = "tag:yaml.org,2002:map"

else:  # PyYAML built without libyaml: every file is read the careful way
    FastCaseYamlLoader = None

# What only the careful reader handles as a case file must be handled: anchors and
# aliases (& *), escapes (a backslash), characters it refuses, and the line breaks and
# byte-order mark that the two parsers might read differently.
_NEEDS_CARE = re.compile(r"[&*\\\x85\u2028\u2029\ufeff]")


def _needs_care(text):
    # PyYAML's own compiled pattern: compiling it again costs more than a read.
    return bool(_NEEDS_CARE.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text))


# --------------------------------------------------------------------------- public


def load_case(source, text=None):
    """The validated, normalized case read from ``source``.

    ``source`` is a path, or ``-`` for standard input; then ``text`` is what was read
    from it (``str`` or ``bytes``; ``None`` reads ``sys.stdin`` here). Raises
    ``CaseError`` naming every problem found, one line each.
    """
    from_stdin = str(source) == STDIN
    name = STDIN_NAME if from_stdin else str(source)
    what = "the input" if from_stdin else "the file"
    try:
        raw = _read_stdin(text) if from_stdin else _read_file(Path(source))
        data = _parse(_decode(raw, what), what)
    except _Refused as refused:
        raise CaseError(name, refused.problems) from None
    problems, case = validated_case(data)
    if problems:
        raise CaseError(name, problems)
    return case


def _parse(text, what):
    """The data in a case's YAML ``text``, before validation."""
    if not text.strip():
        raise _Refused(f"{what} is empty; a case needs at least {_required_sections()}")
    data = parse_yaml_text(text, what)
    if data is _NOTHING:  # only comments, or a bare "---"
        raise _Refused(f"{what} has no case in it; a case needs at least {_required_sections()}")
    return data


def parse_yaml_text(text, what="the input"):
    """The data in YAML (or JSON) ``text``, read the hardened way every YAML the
    program reads is read: safe types only, no aliases or anchors, no duplicate keys,
    no date or merge magic, no traceback for a deep, huge or badly escaped value.

    Returns ``NOTHING`` for a stream without a document; raises ``UnreadableYaml``
    whose ``problems`` are one line each.
    """
    try:
        data = _construct(text)
    except _AliasFound as found:
        raise _Refused(_alias_message(found.event)) from None
    except yaml.MarkedYAMLError as error:
        raise _Refused(_json_message(text) or _yaml_message(error, text)) from None
    except ReaderError as error:
        raise _Refused(_reader_message(error, text)) from None
    except yaml.YAMLError as error:  # any other parser complaint, kept to one line
        raise _Refused("not valid YAML: " + " ".join(str(error).split())) from None
    except (_TooDeep, RecursionError):
        raise _Refused(
            f"{what} is nested more than {limit('yaml_depth')} levels deep, "
            "the most perencana reads"
        ) from None
    return data


def _json_message(text):
    """For a text written as JSON (``{`` and a quoted key first, as JSON has it, not
    YAML's flow style) that JSON cannot read either, ``not valid JSON at line L,
    column C: <problem>``: the YAML reader's words would puzzle someone who wrote
    JSON. ``None`` otherwise."""
    start = text.lstrip()
    if not (start.startswith("{") and start[1:].lstrip().startswith('"')):
        return None
    import json

    try:
        json.loads(text)
    except (ValueError, RecursionError) as error:
        if isinstance(error, json.JSONDecodeError):
            return f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        return None
    return None


def _construct(text):
    """Compose the one document, check its structure, then build Python values.

    A plain file is read with libyaml, several times faster; if that fails for any
    reason, the careful pure-Python reader reads it again and says what is wrong.
    """
    if FastCaseYamlLoader is not None and not _needs_care(text):
        loader = FastCaseYamlLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return _NOTHING
            return loader.construct_document(node)
        except Exception:  # noqa: BLE001 (whatever it is, the careful reader reports it)
            pass
        finally:
            loader.dispose()
    return _construct_carefully(text)


def _construct_carefully(text):
    loader = CaseYamlLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except (ValueError, OverflowError) as error:
            # The scanner builds a double-quoted escape with chr(), which refuses a
            # code beyond U+10FFFF ("\U00110000") instead of raising a YAML error.
            raise _Refused(_bad_escape_message(loader, error)) from None
        if node is None:
            return _NOTHING
        _refuse_anchors(loader)
        _refuse_duplicate_keys(loader, node)
        return loader.construct_document(node)
    except ValueError:
        # Python refuses to turn a decimal of thousands of digits into an int.
        raise _Refused("a number in the case has too many digits to be read") from None
    finally:
        loader.dispose()


def _bad_escape_message(loader, error):
    where = f"line {loader.line + 1}, column {loader.column + 1}"
    if isinstance(error, OverflowError) or "chr()" in str(error):
        return (
            f"not valid YAML at {where}: an escape in a double-quoted text names no "
            "character (the highest is \\U0010FFFF)"
        )
    return f"not valid YAML at {where}: " + " ".join(str(error).split())


# ------------------------------------------------------------------------- reading


def read_yaml_file(path, what="the file"):
    """The data of the YAML (or JSON) file at ``path``, read like a case file (size
    capped, regular files only, UTF-8, the hardened parser of ``parse_yaml_text``) but
    not validated: for the partial case of ``interview --resume`` and the like.
    ``NOTHING`` for a file without a document. Raises ``CaseError`` naming the file."""
    return read_yaml_file_and_text(path, what)[0]


def read_yaml_file_and_text(path, what="the file"):
    """``read_yaml_file``'s data and the file's text it was read from (for a comment
    the data cannot hold, such as the language line of an interview's partial case)."""
    try:
        text = _decode(_read_file(Path(path)), what)
        return parse_yaml_text(text, what), text
    except _Refused as refused:
        raise CaseError(str(path), refused.problems) from None


def _read_file(path):
    """The bytes of a case file, refusing a directory, a device, a FIFO or a file
    over the cap unread (a FIFO would wait for a writer, ``/dev/zero`` never ends)."""
    try:
        kind = _file_kind(path.stat().st_mode)
        if kind is not None:
            raise _Refused(kind)
        if path.stat().st_size > MAX_BYTES:
            raise _Refused(_too_large("the file"))
        with open(path, "rb") as handle:
            # Read one byte past the cap: the file may have grown since stat.
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _Refused("file not found") from None
    except PermissionError:
        raise _Refused("cannot be read: permission denied") from None
    except OSError as error:
        raise _Refused(f"cannot be read: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise _Refused(_too_large("the file"))
    return raw


def _file_kind(mode):
    """Why a file of ``mode`` is no case file (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a case file"
    what = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or socket"
    return f"is {what}, not a regular file; to read a stream, give - and pipe it in"


def _read_stdin(text):
    """Standard input as bytes, so it is checked exactly like a file."""
    if text is None:
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        if stream is None:  # the program was started with standard input closed
            raise _Refused("there is no standard input to read (it is closed)")
        try:
            text = stream.read(MAX_BYTES + 1)
        except (OSError, ValueError) as error:
            raise _Refused(f"standard input cannot be read ({_os_reason(error)})") from None
    if isinstance(text, str):
        try:
            # surrogateescape gives back the original bytes of a text stream that
            # was decoded leniently, so that bad bytes are reported, not hidden.
            text = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raise _Refused("the input is not UTF-8 text; save it as UTF-8") from None
    if len(text) > MAX_BYTES:
        raise _Refused(_too_large("the input"))
    return text


def bounded_line(stream):
    """One line typed on ``stream`` (an answer, a key of ``explain --step``), or
    ``""`` at the end of the input. A line of more than ``answer_chars`` characters
    is no answer anyone typed (``/dev/zero`` has no end of line at all): it is taken
    as the end of the input, so that reading stays bounded in memory and in time."""
    most = limit("answer_chars")
    try:
        line = stream.readline(most + 1)
    except (OSError, ValueError):  # a closed or broken stream
        return ""
    if len(line) > most and not line.endswith("\n"):
        return ""
    return line


def _os_reason(error):
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _decode(raw, what):
    try:
        return raw.decode("utf-8-sig")  # tolerate the byte-order mark some editors add
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        raise _Refused(
            f"{what} is not UTF-8 text (byte 0x{byte:02x} on line {line}); save it as UTF-8"
        ) from None


def _too_large(what):
    return (
        f"{what} is larger than {size_text(MAX_BYTES)} ({MAX_BYTES} bytes), "
        "the most a case file may be"
    )


# ----------------------------------------------------------------- structure checks


def _refuse_anchors(loader):
    event = loader.first_anchor
    if event is not None:
        raise _Refused(
            f"YAML anchors are not allowed in a case file (anchor '&{event.anchor}' "
            f"at {_position(event.start_mark)}); remove it"
        )


def _alias_message(event):
    return (
        f"YAML aliases are not allowed in a case file (alias '*{event.anchor}' "
        f"at {_position(event.start_mark)}); write the value out in full"
    )


def _refuse_duplicate_keys(loader, root):
    """Refuse a key given twice in one mapping, naming its path and both lines.

    Walks the composed nodes without recursion; a deep document is not an error here.
    """
    found = []
    pending = [(root, "")]
    while pending:
        node, path = pending.pop()
        if isinstance(node, MappingNode):
            pending += _mapping_children(loader, node, path, found)
        elif isinstance(node, SequenceNode):
            pending += [(item, item_path(path, i)) for i, item in enumerate(node.value)]
    if found:
        found.sort()  # document order
        raise _Refused(*(message for _, message in found))


def _mapping_children(loader, node, path, found):
    """The children of one mapping node; each repeated key is added to ``found``."""
    first_lines = {}
    children = []
    for key_node, value_node in node.value:
        key = _key_of(loader, key_node)
        child = join_path(path, key)
        line = key_node.start_mark.line + 1
        # 1, 1.0 and true are equal in Python but three keys in YAML: the type counts.
        same = (type(key).__name__, key)
        if same in first_lines:
            found.append(
                (
                    key_node.start_mark.index,
                    f"{child}: duplicate key at line {line} (first at line "
                    f"{first_lines[same]}); give each field once",
                )
            )
        else:
            first_lines[same] = line
        children.append((value_node, child))
    return children


def _key_of(loader, key_node):
    """The key as YAML builds it (``'name'`` and ``name`` are the same key); a
    list or mapping used as a key is left for the constructor to refuse."""
    if isinstance(key_node, (MappingNode, SequenceNode)):
        return ("complex key", id(key_node))
    key = loader.construct_object(key_node)
    try:
        hash(key)
    except TypeError:
        return ("unhashable key", id(key_node))
    return key


# ------------------------------------------------------------------------ messages


def _yaml_message(error, text=""):
    """``not valid YAML at line L, column C: <context>, <problem>`` on one line; a
    tab where the parser stopped is named, as YAML indents with spaces only."""
    mark = error.problem_mark or error.context_mark
    where = f" at {_position(mark)}" if mark else ""
    parts = []
    if error.context:
        context = error.context
        if error.context_mark and mark and error.context_mark.line != mark.line:
            context += f" (from line {error.context_mark.line + 1})"
        parts.append(context)
    if error.problem:
        parts.append(error.problem)
    detail = " ".join(", ".join(parts).split()) or "cannot be parsed"
    if mark and _char_at(text, mark) == "\t":
        detail += "; indent with spaces: YAML does not take tabs"
    return f"not valid YAML{where}: {detail}"


def _char_at(text, mark):
    """The character of ``text`` at ``mark``'s line and column, or ``""``."""
    lines = text.split("\n")
    if not 0 <= mark.line < len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if 0 <= mark.column < len(line) else ""


def _reader_message(error, text):
    """A character YAML forbids (a control character, say), with its line and column."""
    before = text[: error.position]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = error.character
    code = ord(character) if isinstance(character, str) else character
    return (
        f"not valid YAML at line {line}, column {column}: "
        f"the character #x{code:04x} is not allowed in YAML"
    )


def _unreadable_value(node, error):
    """Why the value of ``node`` cannot be built, on one line, with its position."""
    if isinstance(error, ValueError) and "digits" in str(error):
        # Python refuses to turn a decimal of thousands of digits into an int.
        return "a number in the case has too many digits to be read"
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    what = _short(node.value) if isinstance(node, ScalarNode) else "this value"
    return (
        f"not valid YAML at {_position(node.start_mark)}: {what} cannot be read as "
        f"{tag}; remove the tag or fix the value"
    )


def _join_surrogates(value, node):
    """``value`` with each pair of UTF-16 halves joined into its character; a half
    without its partner cannot be written as UTF-8 and is refused."""
    lone = re.search(_LONE_SURROGATE, value)
    if lone:
        raise _Refused(
            f"not valid YAML at {_position(node.start_mark)}: \\u{ord(lone.group()):04x} is "
            "half of a UTF-16 surrogate pair, not a character; write the character itself"
        )
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _short(text):
    text = " ".join(str(text).split())
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _position(mark):
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _required_sections():
    """``organization, change and funding``, from the schema's required sections."""
    names = list(case_schema().get("required", ()))
    if len(names) <= 1:
        return "".join(names) or "some fields"
    return ", ".join(names[:-1]) + " and " + names[-1]
