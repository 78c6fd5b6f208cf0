"""Memo templates a consultant supplies (``perencana advise --template-dir DIR``).

A template in DIR named like a shipped one (``memo.md.j2``, ``memo.html.j2``,
``memo.text.j2``, ``memo.docx``) replaces it; a format whose template DIR lacks uses
the shipped one. What a template in DIR includes (``sections/action_plan.md.j2``)
is taken from DIR when it holds one, else from the shipped templates. A supplied
template gets the same view, filters and rules as the shipped ones
(``StrictUndefined``, HTML autoescaped, ``md``, ``wrap`` and ``underline``) but runs
in Jinja's ``SandboxedEnvironment``: it can arrange the view, not reach into Python
(``{{ ''.__class__.__mro__ }}`` is refused). Any problem becomes a ``TemplateError``
naming the template file, the line and the problem.
"""

import contextlib
import math
import re
import signal
import threading
import traceback
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from perencana.engine.case.limits import limit
from perencana.engine.errors import TemplateError

MEMO_TEMPLATES = {
    "md": "memo.md.j2",
    "html": "memo.html.j2",
    "text": "memo.text.j2",
    "docx": "memo.docx",
}


def template_folder(folder):
    """``folder`` as a ``Path``, after checking that it holds a memo template."""
    path = Path(folder)
    if not path.is_dir():
        raise TemplateError(f"{folder}: not a folder of templates")
    if not any((path / name).is_file() for name in MEMO_TEMPLATES.values()):
        names = ", ".join(MEMO_TEMPLATES.values())
        raise TemplateError(f"{folder}: holds no memo template; name one of: {names}")
    return path


def custom_template(folder, fmt):
    """The path of the template for ``fmt`` in ``folder``, or ``None`` (use the shipped)."""
    if folder is None or fmt not in MEMO_TEMPLATES:
        return None
    path = template_folder(folder) / MEMO_TEMPLATES[fmt]
    return path if path.is_file() else None


def _autoescape(name):
    return bool(name) and name.endswith((".html.j2", ".html"))


# The longest text or list a template may make with ``*``, and the largest power with
# ``**``: enough for any rule line, far from a memory or time bomb.
MAX_REPEAT = 100_000
MAX_POWER_DIGITS = 1_000


class TemplateLimit(SecurityError):
    """A supplied template went past one of the bounds of ``limits.yaml``."""


class MemoSandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing what would exhaust memory or time: ``'x' *
    10**10``, ``9 ** 99999``, a width or count past ``template_string_chars`` in any
    call or filter (``|center(999999999)``, ``'{:>999999999}'.format(x)``,
    ``underline`` or ``wrap`` with huge widths), a ``range`` past
    ``template_loop_items``."""

    intercepted_binops = frozenset(["*", "**", "%"])

    # docxtpl compiles each part of a Word template from its XML text on every render
    # (about two thirds of a Word memo's time); the same text compiles to the same
    # template, so the last few are kept. Bounded: a user's own Word templates pass
    # here too.
    _COMPILED_KEPT = 16

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self.__dict__.setdefault("_compiled", {})
        template = compiled.pop(source, None)
        if template is None:
            template = super().from_string(source)
            while len(compiled) >= self._COMPILED_KEPT:
                del compiled[next(iter(compiled))]
        compiled[source] = template
        return template

    def call_binop(self, context, operator, left, right):
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        if operator == "*":
            for count, other in ((left, right), (right, left)):
                repeats = isinstance(count, int) and isinstance(other, (str, list, tuple))
                if repeats and count * len(other) > MAX_REPEAT:
                    raise SecurityError(f"'*' would make more than {MAX_REPEAT:,} items")
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, int):
            size = abs(right) * math.log10(max(abs(left), 2))
            if size > MAX_POWER_DIGITS:
                raise SecurityError(
                    f"'**' would make a number of more than {MAX_POWER_DIGITS:,} digits"
                )
        return super().call_binop(context, operator, left, right)

    def call(self, __context, __obj, *args, **kwargs):
        _check_sizes(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        """``'...'.format`` and ``format_map``, refusing huge widths before they run."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None

        def checked(*args, **kwargs):
            _check_format(value.__self__)
            _check_sizes(args, kwargs)
            return wrapped(*args, **kwargs)

        return checked


def _check_sizes(args, kwargs):
    most = limit("template_string_chars")
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > most:
            raise TemplateLimit(
                f"a width or count of {_short_number(value)} is more than the "
                f"{most:,} a template may ask for"
            )


# The specs of a format string: ``{:>99}`` (str.format) and ``%99s`` (printf style).
_FORMAT_SPECS = re.compile(r"{[^{}]*:([^{}]*)}|%[-+ #0]*(\d*)(?:\.(\d+))?")


def _check_format(text):
    most = limit("template_string_chars")
    for found in _FORMAT_SPECS.finditer(str(text)):
        widths = [int(n) for n in re.findall(r"\d+", "".join(g or "" for g in found.groups()))]
        if any(width > most for width in widths):
            raise TemplateLimit(f"a format width is more than the {most:,} a template may ask for")


def _short_number(value):
    text = str(value) if abs(value) < 10**30 else "a number of more than 30 digits"
    return text


def _bounded(filter_function):
    """``filter_function`` refusing a width or count past the limit before it runs."""

    # The value filtered comes first, after the context or environment if it is passed.
    skip = 2 if hasattr(filter_function, "jinja_pass_arg") else 1

    def checked(*args, **kwargs):
        _check_sizes(args[skip:], kwargs)
        value = args[skip - 1] if len(args) >= skip else None
        if filter_function is _FORMAT_FILTER and isinstance(value, str):
            _check_format(value)
        return filter_function(*args, **kwargs)

    for marker in ("jinja_pass_arg",):
        if hasattr(filter_function, marker):
            setattr(checked, marker, getattr(filter_function, marker))
    checked.__name__ = getattr(filter_function, "__name__", "filter")
    return checked


_FORMAT_FILTER = jinja2.filters.do_format


def _bounded_range(*args):
    most = limit("template_loop_items")
    span = range(*args)
    if len(span) > most:
        raise TemplateLimit(f"a range of {len(span):,} items is more than the {most:,} allowed")
    return span


def _bounded_lipsum(n=5, html=True, min=20, max=100):  # noqa: A002 (Jinja's names)
    from jinja2.utils import generate_lorem_ipsum

    if n > 100 or max > 1000 or min > max:
        raise TemplateLimit("lipsum is limited to 100 paragraphs of 1,000 words")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


class FolderLoader(jinja2.FileSystemLoader):
    """Templates of one folder only: a name that leads out of it (``../x``, an
    absolute path, a symbolic link to a file elsewhere) is refused, and so is a
    template larger than ``template_file_bytes``."""

    def __init__(self, folder):
        super().__init__(str(folder))
        self.folder = Path(folder).resolve()

    def get_source(self, environment, template):
        path = (self.folder / template).resolve()
        if not path.is_relative_to(self.folder):
            raise TemplateLimit(
                f"{template} is not inside the template folder {self.folder}; "
                "a template may include only templates of its own folder"
            )
        if not path.is_file():
            raise jinja2.TemplateNotFound(template, f"not found in {self.folder}")
        if path.stat().st_size > limit("template_file_bytes"):
            raise TemplateLimit(f"{template} is larger than a template may be")
        return super().get_source(environment, template)


@lru_cache(maxsize=8)
def sandboxed_environment(folder=None, escape_all=False):
    """A sandboxed Jinja environment over ``folder`` with the memo filters;
    ``escape_all`` autoescapes every template (Word's XML), else only HTML ones."""
    from perencana.engine.memo.templating import MEMO_FILTERS, MemoUndefined

    # A template the folder lacks is looked for among the shipped ones, so that a copy
    # of a shipped memo template keeps its includes (``sections/action_plan.md.j2``);
    # the folder may replace any of them by holding one of the same name.
    env = MemoSandbox(
        loader=_loader(folder),
        undefined=MemoUndefined,
        autoescape=True if escape_all else _autoescape,
        keep_trailing_newline=True,
        trim_blocks=not escape_all,
        lstrip_blocks=not escape_all,
    )
    env.filters.update(MEMO_FILTERS)
    env.filters = {name: _bounded(function) for name, function in env.filters.items()}
    env.globals["range"] = _bounded_range
    env.globals["lipsum"] = _bounded_lipsum
    return env


def _loader(folder):
    if not folder:
        return None
    from perencana.engine.memo.templating import templates_dir

    # The folder's own templates are held to it (``FolderLoader``); a name it lacks
    # falls through to the shipped templates.
    return jinja2.ChoiceLoader(
        [FolderLoader(folder), jinja2.FileSystemLoader(str(templates_dir()))]
    )


def render_custom(path, view):
    """Render the supplied text template at ``path`` with ``view``, bounded in size
    and time; every problem is ``template FILE, line N: problem``."""
    path = Path(path)
    env = sandboxed_environment(str(path.parent.resolve()))
    try:
        with time_limit(limit("template_seconds")):
            template = env.get_template(path.name)
            return bounded_join(template.generate(**view))
    except RecursionError:
        raise TemplateError(f"template {path}: includes or extends itself") from None
    except jinja2.TemplateError as error:
        raise TemplateError(describe(error, path, _template_line(error))) from None
    except _TimeUp:
        raise TemplateError(
            f"template {path}: took longer than {limit('template_seconds')} seconds to "
            "render; simplify its loops"
        ) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as error:
        line = _template_line(error)
        at = f", line {line}" if line else ""
        raise TemplateError(f"template {path}{at}: {type(error).__name__}: {error}") from None
    except MemoryError:
        raise TemplateError(f"template {path}: needs more memory than a memo may") from None


def bounded_join(chunks):
    """The rendered text, refused once it passes ``template_output_chars``."""
    most = limit("template_output_chars")
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > most:
            raise TemplateLimit(f"the memo would be longer than {most:,} characters")
        parts.append(chunk)
    return "".join(parts)


class _TimeUp(BaseException):
    """Raised by the alarm: a BaseException, so that no template catches it."""


@contextlib.contextmanager
def time_limit(seconds):
    """Raise ``_TimeUp`` in the block after ``seconds`` (main thread, POSIX only)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(number, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_line(error):
    """The line of the template where ``error`` was raised, from Jinja's rewritten
    traceback (its frames carry the template's file and line)."""
    line = getattr(error, "lineno", None)
    if line:
        return line
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith((".j2", ".docx", ".xml")) or frame.filename == "<template>":
            found = frame.lineno
    return found


def describe(error, path, line=None):
    """One line for a Jinja error in the template at ``path``."""
    from perencana.engine.memo.templating import _describe

    if isinstance(error, jinja2.TemplateNotFound):  # an include or extends of DIR's
        return f"template {path}: {error.name} is not in the template folder {Path(path).parent}"
    if hasattr(error, "name"):
        error.name = str(path)
    if line is not None:
        error.lineno = line
    message = _describe(error, str(path))
    if isinstance(error, SecurityError):
        where, _, problem = message.partition(": ")
        message = f"{where}: refused as unsafe (templates run in a sandbox): {problem}"
    return message
