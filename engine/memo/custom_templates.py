"""Memo templates a consultant supplies (``perencana advise --template-dir DIR``).

A template in DIR named like a shipped one (``memo.md.j2``, ``memo.html.j2``,
``memo.text.j2``, ``memo.docx``) replaces it; a format whose template DIR lacks uses
the shipped one. A supplied template gets the same view, filters and rules as the
shipped ones (``StrictUndefined``, HTML autoescaped, ``md``, ``wrap`` and
``underline``) but runs in Jinja's ``SandboxedEnvironment``: it can arrange the view,
not reach into Python (``{{ ''.__class__.__mro__ }}`` is refused). Any problem
becomes a ``TemplateError`` naming the template file, the line and the problem.
"""

import math
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

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


class MemoSandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing ``'x' * 10**10`` and ``9 ** 99999``."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
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


@lru_cache(maxsize=8)
def sandboxed_environment(folder=None, escape_all=False):
    """A sandboxed Jinja environment over ``folder`` with the memo filters;
    ``escape_all`` autoescapes every template (Word's XML), else only HTML ones."""
    from perencana.engine.memo.templating import md_escape, templates_dir, underline, wrap

    # The user's folder first, then the shipped templates: a copy of a shipped memo
    # template keeps finding the section templates it includes (sections/...), and a
    # section the user put in DIR/sections replaces the shipped one.
    loader = None
    if folder:
        loader = jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(folder), jinja2.FileSystemLoader(str(templates_dir()))]
        )
    env = MemoSandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=True if escape_all else _autoescape,
        keep_trailing_newline=True,
        trim_blocks=not escape_all,
        lstrip_blocks=not escape_all,
    )
    env.filters["md"] = md_escape
    env.filters["wrap"] = wrap
    env.filters["underline"] = underline
    return env


def render_custom(path, view):
    """Render the supplied text template at ``path`` with ``view``."""
    path = Path(path)
    env = sandboxed_environment(str(path.parent.resolve()))
    try:
        return env.get_template(path.name).render(**view)
    except RecursionError:
        raise TemplateError(f"template {path}: includes or extends itself") from None
    except jinja2.TemplateError as error:
        raise TemplateError(describe(error, path)) from None


def describe(error, path, line=None):
    """One line for a Jinja error in the template at ``path``."""
    from perencana.engine.memo.templating import _describe

    if hasattr(error, "name"):
        error.name = str(path)
    if line is not None:
        error.lineno = line
    message = _describe(error, str(path))
    if isinstance(error, SecurityError):
        where, _, problem = message.partition(": ")
        message = f"{where}: refused as unsafe (templates run in a sandbox): {problem}"
    return message
