"""The memo as a Word document (``--format docx``), rendered with docxtpl.

``templates/memo.docx`` (built by ``scripts/make_docx_template.py``) holds docxtpl's
Jinja tags over the same view as the other memo formats
(``perencana.engine.view.memo.memo_view``), so the Word memo says what they say, in English or
Indonesian. Rendering is sandboxed and autoescaped: case text stays literal text in
the document's XML. docxtpl is an optional dependency (``pip install
perencana[docx]``), imported only here and only when a Word memo is asked for.
"""

import datetime
import functools
import io
import re
import zipfile
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError

from perencana.engine.case.limits import limit, size_text
from perencana.engine.errors import OutputError, TemplateError
from perencana.engine.memo.custom_templates import (
    TemplateLimit,
    _TimeUp,
    sandboxed_environment,
    time_limit,
)

DOCX_TEMPLATE = "memo.docx"
# After rendering, docxtpl turns "{_{", "}_}", "{_%" and "%_}" into Jinja delimiters;
# a word joiner (invisible) between the brace and the underscore keeps such case
# text as written.
_DELIMITER_ESCAPES = re.compile(r"(?<=[{])(?=_)|(?<=_)(?=[}])")
_JOINER = "\u2060"


def shipped_template():
    from perencana.engine.memo.templating import templates_dir

    return templates_dir() / DOCX_TEMPLATE


# The language tag Word checks spelling by, per memo language.
LANGUAGE_TAGS = {"en": "en-GB", "id": "id-ID"}
# The picture of the reasoning graph: as wide as the text, and never taller than
# what leaves room on its page for the heading and the line above it.
PICTURE_WIDTH_MM, PICTURE_HEIGHT_MM = 170, 200


def render_docx(view, template=None, picture_svg=""):
    """The Word document for ``view`` as bytes, from ``template`` (a path; the
    shipped ``templates/memo.docx`` by default). ``picture_svg``, the reasoning
    graph, becomes a picture (PNG) where a program here can draw it; otherwise the
    document says it is left out."""
    try:
        from docxtpl import DocxTemplate
    except ImportError:
        raise OutputError(
            "the Word format needs docxtpl, which is not installed: pip install perencana[docx]"
        ) from None
    path = Path(template) if template else shipped_template()
    if template:
        _check_unzipped_size(path)
    context = _literal(view)
    try:
        with time_limit(limit("template_seconds")):
            return _with_fixed_dates(_render(DocxTemplate, path, context, view, picture_svg))
    except jinja2.TemplateError as error:
        raise TemplateError(_describe_docx(error, path)) from None
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise TemplateError(f"template {path}: not a usable Word document ({error})") from None
    except _TimeUp:
        raise TemplateError(
            f"template {path}: took longer than {limit('template_seconds')} seconds to render"
        ) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as error:
        # A template's mistake ({{ 1/0 }}, {% include %} without a folder...): told
        # with the document's text near it, as Jinja's own errors are.
        problem = f"{type(error).__name__}: {error}"
        raise TemplateError(_describe_docx(error, path, problem)) from None
    except Exception as error:
        # python-docx raises its own PackageNotFoundError for a file that is not a
        # Word document; lxml its own errors for broken XML.
        if type(error).__module__.startswith(("docx", "lxml")):
            raise TemplateError(f"template {path}: not a usable Word document ({error})") from None
        raise


def _check_unzipped_size(path):
    """Refuse a supplied Word template that would unzip to more than the limits allow
    (a zip bomb of a few kilobytes can hold gigabytes), before anything unzips it."""
    most, members = limit("docx_unzipped_bytes"), limit("docx_members")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TemplateError(f"template {path}: not a usable Word document ({error})") from None
    if len(infos) > members:
        raise TemplateError(f"template {path}: holds more than {members:,} files; not a memo")
    if sum(info.file_size for info in infos) > most:
        raise TemplateError(
            f"template {path}: would unzip to more than {size_text(most)}; not a memo template"
        )


def _render(DocxTemplate, path, context, view, picture_svg):  # noqa: N803 (imported late)
    """The rendered document's bytes (docxtpl over the sandboxed environment), with the
    reasoning picture, the edition's language and the memo's dates."""
    document = DocxTemplate(str(path))
    description = ((view.get("labels") or {}).get("graph") or {}).get("heading", "")
    context["reasoning_picture"] = _picture(document, picture_svg, description)
    # docxtpl would render the document's properties (title, subject...) with the
    # XML-escaping environment, and python-docx escapes them again: plain text here.
    document.render_properties = lambda context, jinja_env=None: _render_properties(
        document, context
    )
    document.render(context, jinja_env=sandboxed_environment(None, True), autoescape=True)
    _set_language(document.docx, LANGUAGE_TAGS.get(view.get("lang"), "en-GB"))
    _set_dates(document.docx, view)
    buffer = io.BytesIO()
    document.save(buffer)
    if len(buffer.getvalue()) > limit("template_output_chars"):
        raise TemplateLimit("the Word memo would be larger than a memo may be")
    return buffer.getvalue()


# The date every part of a Word memo carries in its zip entry: python-docx stamps the
# time of saving, which would make the same memo come out as other bytes each minute.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _with_fixed_dates(data):
    """The Word document ``data`` with every zip entry dated ``_ZIP_DATE``, so the
    same input gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# The document properties docxtpl renders (those python-docx can write as text), and
# the most characters Word allows in one.
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_PROPERTY_LIMIT = 255


def _render_properties(document, context):
    """Render the document's text properties as plain text, each cut to Word's limit;
    the author is who prepared the memo when it says so (else what the template has)."""
    env = sandboxed_environment(None, False)
    properties = document.docx.core_properties
    author = _details(context).get("prepared_by")
    for name in _PROPERTIES:
        text = env.from_string(getattr(properties, name) or "").render(context)
        if name == "author" and author:
            text = author
        if len(text) > _PROPERTY_LIMIT:
            text = text[: _PROPERTY_LIMIT - 1] + "…"
        setattr(properties, name, text)


def _details(view):
    """The memo's details (prepared by, date...) by key, where the view has them."""
    header = view.get("header") if isinstance(view, dict) else None
    items = header.get("details", ()) if isinstance(header, dict) else ()
    return {item["key"]: str(item["value"]) for item in items if isinstance(item, dict)}


def _picture(document, svg, description=""):
    """The reasoning graph for the template: ``None`` when there is none to show, an
    image of its PNG with ``description`` as its alternative text, or ``""`` when no
    program here can draw it."""
    if not svg:
        return None
    from docx.shared import Mm

    from perencana.engine.memo.picture import svg_size, svg_to_png

    png = svg_to_png(str(svg))
    if png is None:
        return ""
    width, height = svg_size(str(svg))
    image = _described_image()
    if height / width * PICTURE_WIDTH_MM > PICTURE_HEIGHT_MM:
        return image(document, io.BytesIO(png), description, height=Mm(PICTURE_HEIGHT_MM))
    return image(document, io.BytesIO(png), description, width=Mm(PICTURE_WIDTH_MM))


@functools.cache
def _described_image():
    """docxtpl's ``InlineImage`` with alternative text: what a screen reader says
    for the picture, and what Word's accessibility check asks for. The class is
    made once, on the first Word memo with a picture."""
    from docxtpl import InlineImage

    class DescribedImage(InlineImage):
        def __init__(self, tpl, image_descriptor, description, **size):
            super().__init__(tpl, image_descriptor, **size)
            self.description = description

        def _insert_image(self):
            inline = self.tpl.current_rendering_part.new_pic_inline(
                self.image_descriptor, self.width, self.height
            )
            inline.docPr.set("descr", self.description)
            # The runs around the drawing, as InlineImage writes them.
            return (
                f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
                '<w:t xml:space="preserve">'
            )

    return DescribedImage


def _set_language(docx_document, tag):
    """Declare ``tag`` (``id-ID``, ``en-GB``) as the language of every text: in the
    default run properties, in any style that names a language, and in the
    document's properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = docx_document.styles.element
    run_properties = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if run_properties.find(qn("w:lang")) is None:
        run_properties.append(OxmlElement("w:lang"))
    for language in styles.iter(qn("w:lang")):
        language.set(qn("w:val"), tag)
    docx_document.core_properties.language = tag


# The time the document's properties carry when the memo gives no date: fixed, so the
# same case gives the same bytes (python-docx's template would say 2013).
_NO_DATE = datetime.datetime(2000, 1, 1)


def _set_dates(docx_document, view):
    """The document's created and modified dates: the memo's date when it gives one
    (YYYY-MM-DD), else none at all."""
    properties = docx_document.core_properties
    given = _details(view).get("date", "")
    try:
        date = datetime.datetime.strptime(given[:10], "%Y-%m-%d")
    except ValueError:
        date = None
    properties.last_printed = date or _NO_DATE
    properties.created = date or _NO_DATE
    properties.modified = date or _NO_DATE
    if date is None:
        element = properties._element
        for name in ("created", "modified", "lastPrinted"):
            for found in element.findall(f"{{http://purl.org/dc/terms/}}{name}"):
                element.remove(found)
            for found in element.findall(
                f"{{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}}{name}"
            ):
                element.remove(found)


def _describe_docx(error, path, problem=None):
    """The Jinja problem, with the text of the document near it (docxtpl's lines are
    lines of XML, which a template's author never sees)."""
    near = " ".join(" ".join(getattr(error, "docx_context", None) or ()).split())
    if problem is None:
        problem = getattr(error, "message", None) or type(error).__name__
    if isinstance(error, SecurityError):
        problem = f"refused as unsafe (templates run in a sandbox): {problem}"
    message = f"template {path}: {problem}"
    if near:
        message += f" (near: {near[:80]})"
    return message


def _literal(value):
    """The view with every text guarded against docxtpl's delimiter replacement."""
    if isinstance(value, str):
        return _DELIMITER_ESCAPES.sub(_JOINER, str(value))
    if isinstance(value, dict):
        return {key: _literal(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_literal(item) for item in value]
    return value
