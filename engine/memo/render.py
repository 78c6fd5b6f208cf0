"""Rendering an ``Advice``: the JSON object, or a memo in Markdown, HTML, plain text
or Word, from the memo's view (``perencana.engine.view.memo``) and the shipped or the
user's templates (``templating``, ``custom_templates``)."""

from perencana.engine.memo.templating import FORMATS, TEMPLATES, render_template
from perencana.engine.view.editions import DEFAULT_EDITION, EDITIONS, check_edition
from perencana.engine.view.memo import memo_view

__all__ = ["EDITIONS", "FORMATS", "TEMPLATES", "render", "render_advice", "render_advice_as"]


def render(
    advice,
    knowledge,
    fmt="md",
    lang="en",
    template_dir=None,
    edition=DEFAULT_EDITION,
    details=None,
):
    """The advice as ``fmt`` (``md``, ``html``, ``text`` or ``json``; ``docx`` and
    ``pdf`` give bytes) in ``lang``, in ``edition`` (client, planner or trainer; the
    JSON advice is the same in all). ``details`` (title, prepared_by, date...) override
    the case's ``memo`` section. A template for ``fmt`` in ``template_dir`` replaces
    the shipped one (see ``memo.custom_templates``); ``pdf`` prints the HTML memo."""
    check_edition(edition)
    if fmt == "json":
        return _json_text(advice)
    if fmt == "pdf":
        from perencana.engine.memo.pdf import html_to_pdf

        return html_to_pdf(render(advice, knowledge, "html", lang, template_dir, edition, details))
    if fmt not in TEMPLATES and fmt != "docx":
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    custom = None
    if template_dir is not None:  # the user's templates: their sandbox only then
        from perencana.engine.memo.custom_templates import custom_template

        custom = custom_template(template_dir, fmt)
    view = memo_view(advice, knowledge, lang, edition, details)
    return _render_view(advice, knowledge, fmt, lang, view, custom)


def _render_view(advice, knowledge, fmt, lang, view, custom, graphs=None):
    """The memo ``fmt`` from the memo's ``view`` (left as it was given). ``graphs``:
    a dict that keeps the case's memo graph for the next format of the same memo."""
    view = dict(view)  # the picture is added to this format's view only
    graphs = {} if graphs is None else graphs
    if fmt in ("html", "md") and view["show"]["graph"] and "memo" not in graphs:
        from perencana.engine.graph.model import case_memo_graph

        graphs["memo"] = case_memo_graph(knowledge, lang, advice)
    if fmt == "html" and view["show"]["graph"]:
        from perencana.engine.graph.svg import memo_picture

        # Added after the view's cleaning, which would turn the Markup (every text
        # escaped already) into str.
        view["reasoning_svg"] = memo_picture(advice, knowledge, lang, graphs["memo"])
    if fmt == "md" and view["show"]["graph"]:
        from perencana.engine.graph.mermaid import memo_flowchart

        view["reasoning_mermaid"] = memo_flowchart(advice, knowledge, lang, graphs["memo"])
    if fmt == "docx":
        from perencana.engine.graph.svg import memo_picture
        from perencana.engine.memo.docx import render_docx

        shows_graph = view.get("show", {}).get("graph", True)
        picture = memo_picture(advice, knowledge, lang) if shows_graph else ""
        return render_docx(view, custom, picture)
    if custom:
        from perencana.engine.memo.custom_templates import render_custom

        text = render_custom(custom, view)
    else:
        text = render_template(TEMPLATES[fmt], view)
    if fmt == "text":
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


def render_advice(
    advice, fmt="md", lang="en", template_dir=None, edition=DEFAULT_EDITION, details=None
):
    """The memo (or JSON) for an advice, as text (``docx``: bytes); templates in
    ``template_dir`` replace the shipped ones of the same name."""
    if fmt == "json":
        # JSON needs no templates: skip loading the knowledge and the memo view.
        check_edition(edition)
        return _json_text(advice)
    from perencana.knowledge import load_knowledge

    return render(
        advice,
        load_knowledge(),
        fmt,
        lang,
        template_dir=template_dir,
        edition=edition,
        details=details,
    )


def render_advice_as(advice, formats, lang="en", edition=DEFAULT_EDITION):
    """The memos of ``advice`` in each of ``formats`` (shipped templates, text
    formats), as a tuple in that order: what ``render_advice`` gives for each, with
    the memo's view made once for all (a batch's Markdown memo and its HTML twin)."""
    from perencana.knowledge import load_knowledge

    check_edition(edition)
    knowledge = load_knowledge()
    view = None
    graphs = {}  # the memo graph, made once for the memo and its twin
    texts = []
    for fmt in formats:
        if fmt == "json":
            texts.append(_json_text(advice))
            continue
        if fmt not in TEMPLATES:
            raise ValueError(f"fmt must be one of {', '.join(TEMPLATES)} or json, not {fmt!r}")
        if view is None:
            view = memo_view(advice, knowledge, lang, edition)
        texts.append(_render_view(advice, knowledge, fmt, lang, view, None, graphs))
    return tuple(texts)


def _json_text(advice):
    """The JSON advice; its writer (and orjson) imported only for it."""
    from perencana.engine.view.advice_json import advice_json_text

    return advice_json_text(advice)
