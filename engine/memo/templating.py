"""The template environment: the shipped templates, their filters, and rendering one.

The memo templates live in the top-level ``templates`` package, one per format
(``memo.md.j2``, ``memo.html.j2``, ``memo.text.j2``); they arrange the view of
``view.memo`` and hold no wording of their own. Undefined names are errors
(``StrictUndefined``); every Jinja2 error becomes ``perencana.engine.errors.TemplateError``
naming the template, the line and the problem. HTML is autoescaped; Markdown escapes
case text with the ``md`` filter; plain text is wrapped at 80 columns by ``wrap``.
"""

import contextlib
import re
import sys
import textwrap
import traceback
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from perencana.engine.errors import TemplateError

FORMATS = ("md", "html", "text", "json")
TEMPLATES = {"md": "memo.md.j2", "html": "memo.html.j2", "text": "memo.text.j2"}
WIDTH = 80

# Characters that change Markdown anywhere in a line; the others matter only where
# they start a block, so they are escaped only there (keeping "office-based" clean).
_MD_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#+\-=])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LEADING_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.M)
# Whether any of the four could change a text made one line: one search, where nearly
# every memo text (all but one of the 270 of a one-case memo) needs no escape.
_MD_MAYBE = re.compile(r"[\\`*_\[\]<>|~&]|^\s*[#+\-=\d]")


def templates_dir():
    """The folder of the ``templates`` package (also when an old editable install
    still maps it as a namespace package, which has no ``__file__``)."""
    from perencana import templates

    if getattr(templates, "__file__", None):
        return Path(templates.__file__).parent
    for folder in templates.__path__:
        if Path(folder, TEMPLATES["md"]).is_file():
            return Path(folder)
    return Path(__file__).resolve().parents[2] / "templates"


def md_escape(text):
    """``text`` as literal Markdown: specials backslash-escaped, a leading ``1.``
    kept from starting a list, line breaks made spaces (memo text sits on one line)."""
    try:
        return _remembered_escape(text)
    except TypeError:  # a value that cannot be a key (a list, in a custom template)
        return _escape_markdown(text)


def _escape_markdown(text):
    """What ``md_escape`` gives, worked out."""
    text = " ".join(str(text).split("\n"))
    if not _MD_MAYBE.search(text):
        return text
    text = _MD_SPECIALS.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    text = _MD_BLOCK_START.sub(r"\1\\\2", text)
    return _MD_LEADING_NUMBER.sub(r"\1\\\2", text)


# A memo escapes some 650 texts, most of them labels and knowledge texts that every
# memo of a batch shares: remembering the last few thousand halves a Markdown memo's
# time. typed=True keeps 1 and True (equal, with one hash) apart.
_remembered_escape = lru_cache(maxsize=4096, typed=True)(_escape_markdown)


def wrap(text, width=WIDTH, indent="", subsequent=None):
    """``text`` filled to ``width`` columns; the first line starts with ``indent``,
    the others with ``subsequent`` (spaces as wide as ``indent`` by default).

    Lines break at spaces only, never at a hyphen: the text holds ids, paths and
    commands (``perencana explain examples/program-review.yaml``) that a reader
    copies; only a word longer than a line is cut."""
    if subsequent is None:
        subsequent = " " * len(indent)
    filled = textwrap.fill(
        str(text),
        width=width,
        initial_indent=indent,
        subsequent_indent=subsequent,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return filled or indent.rstrip()


def underline(text, char="=", width=WIDTH):
    """A plain-text heading: ``text`` wrapped to ``width``, underlined with ``char``."""
    filled = wrap(text, width)
    longest = max((len(line) for line in filled.splitlines()), default=0)
    return f"{filled}\n{char * min(max(longest, 1), width)}"


def css_string(text):
    """``text`` as a quoted CSS string, for a page's margin boxes (the organization's
    name at the foot of each printed page). Anything but letters, digits and spaces is
    written as a CSS hex escape, so no quote, backslash or ``</style>`` in a case's
    name can end the string or the style sheet."""
    escaped = "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in str(text)
    )
    return Markup(f'"{escaped}"')


# The filters every memo template can use, the shipped ones and a user's own.
MEMO_FILTERS = {"md": md_escape, "wrap": wrap, "underline": underline, "css_string": css_string}


def _autoescape(name):
    return bool(name) and name.endswith((".html.j2", ".html"))


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates (each written to a temporary file and
    renamed, so two processes never read half a file), passing over a folder it
    cannot read or write: a read-only install compiles its templates every time."""

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 (an unreadable or foreign file: compile anew)
            bucket.reset()

    def dump_bytecode(self, bucket):
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache(folder):
    """The compiled templates' cache: in ``folder/__pycache__`` (where Python keeps a
    package's compiled modules and ``knowledge`` its checked knowledge), or where that
    cannot be written (a read-only install) in the user's cache folder
    (``$XDG_CACHE_HOME/perencana``, ``~/.cache/perencana``); None when neither can.

    Compiling the HTML memo's templates takes longer than the rest of a one-case
    command; loading them compiled takes a millisecond. A file is named for its
    template and holds a digest of the template's text, so an edited template is
    compiled afresh; the folder is named for the Jinja and Python versions whose
    compiled code it holds."""
    import os

    name = f"jinja-{jinja2.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
    user = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for cache in (Path(folder) / "__pycache__" / name, Path(user) / "perencana" / name):
        try:
            cache.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(cache, os.W_OK | os.X_OK):
            return _QuietBytecodeCache(str(cache), pattern="%s.cache")
    return None


class MemoUndefined(jinja2.StrictUndefined):
    """``StrictUndefined`` whose error names the view's parts as a template author
    sees them ("'dict object' has no attribute 'titel'", whatever class holds the
    view), with the nearest name the part has ("did you mean 'title'?")."""

    __slots__ = ()

    @property
    def _undefined_message(self):
        owner, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or not isinstance(owner, dict) or not isinstance(name, str):
            return super()._undefined_message
        import difflib

        message = f"'dict object' has no attribute {name!r}"
        keys = [key for key in owner if isinstance(key, str)]
        close = difflib.get_close_matches(name, keys, n=1)
        return f"{message}; did you mean {close[0]!r}?" if close else message


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment of the memo templates (built once)."""
    folder = templates_dir()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        bytecode_cache=bytecode_cache(folder),
        undefined=MemoUndefined,
        autoescape=_autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(MEMO_FILTERS)
    return env


def render_template(template, context):
    """Render ``template`` (a name in ``templates`` or a ``jinja2.Template``) with
    ``context``; any Jinja2 error becomes a ``TemplateError``."""
    name = template if isinstance(template, str) else (template.name or "<string>")
    try:
        if isinstance(template, str):
            template = environment().get_template(template)
        return template.render(**context)
    except jinja2.TemplateError as error:
        raise TemplateError(_describe(error, name)) from None


def compile_template(source, name="<string>"):
    """A ``jinja2.Template`` from ``source`` text in the memo environment; a syntax
    error becomes a ``TemplateError``."""
    try:
        return environment().from_string(source)
    except jinja2.TemplateError as error:
        raise TemplateError(_describe(error, name)) from None


def _describe(error, name):
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template {error.name}: not found in {templates_dir()}"
    line = getattr(error, "lineno", None)
    where = getattr(error, "name", None) or name
    if line is None:
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.endswith(".j2") or frame.filename == "<template>"
        ]
        if frames:
            line = frames[-1].lineno
    problem = error.message or type(error).__name__
    at = f", line {line}" if line else ""
    return f"template {where}{at}: {problem}"
