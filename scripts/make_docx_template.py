"""Build ``templates/memo.docx``, the Word template of ``perencana advise --format docx``.

Run once after changing the layout, and commit the result with this script:

    .venv/bin/python scripts/make_docx_template.py

The document is made with python-docx and holds docxtpl (Jinja) tags over the same
view as the other memo templates (``engine/memo_view.memo_view``): ``{{ ... }}`` for
text, ``{%p ... %}`` for a paragraph-level block, ``{%tr ... %}`` for a table-row loop.
It has structure and styles only; every word comes from the view, so one template
serves English and Indonesian. A consultant may copy it, restyle it in Word (keeping
the tags) and pass its folder with ``--template-dir``.
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "templates" / "memo.docx"

H = "labels.headings"
T = "labels.terms"
ACCENT = RGBColor(0x0B, 0x4F, 0x6C)
MUTED = RGBColor(0x57, 0x60, 0x6A)
# The language the template's styles declare; the memo's own language replaces it when
# a memo is rendered (``engine/memo/docx.py``), so Word checks the spelling of Indonesian
# as Indonesian.
TEMPLATE_LANGUAGE = "en-GB"
# The page: A4 with margins a little narrower than Word's own (the HTML memo prints
# with narrower ones still), so that the client edition of a rich case fits five
# pages and the planner's ten (docs memo-design).
SIDE_MARGIN, TOP_MARGIN, EDGE_DISTANCE = 1.8, 1.5, 0.7  # cm
TEXT_WIDTH = 21.0 - 2 * SIDE_MARGIN  # cm
# The fonts, as the HTML memo's print: a serif for the text, a sans for headings and
# table heads. Times New Roman and Arial are on every Word installation, and the
# Liberation fonts that LibreOffice ships are metric-compatible with them, so a page
# laid out there (the page-budget tests) breaks where Word breaks it. (Georgia, the
# HTML memo's first choice, has no metric-compatible free font: LibreOffice set it
# in DejaVu Serif, a fifth wider, and the pages it counted were not Word's.)
BODY_FONT, HEADING_FONT = "Times New Roman", "Arial"
TABLE_SIZE = 9.5  # pt: the text in tables (the body is 10.5)
# The paragraph styles of table cells: smaller, single-spaced and nearly without space
# after (the body's spacing would give every cell a blank line).
TABLE_TEXT, TABLE_BULLET = "Table Text", "Table Bullet"


def tag(document, text, style=None):
    """A paragraph holding only a block tag (removed when rendered)."""
    return document.add_paragraph(text, style=style)


def para(container, text="", style=None, bold=False, italic=False, size=None, color=None):
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def labelled(container, label, value, style=None):
    """``label: value`` with the label in bold."""
    paragraph = container.add_paragraph(style=style)
    paragraph.add_run(label).bold = True
    paragraph.add_run(value)
    return paragraph


def bullets(document, loop, text):
    tag(document, f"{{%p for {loop} %}}")
    para(document, text, style="List Bullet")
    tag(document, "{%p endfor %}")


def set_repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def set_cant_split(row):
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def set_widths(table, widths):
    """Fixed column widths in cm (Word reads the cells', LibreOffice the grid's), the
    table as wide as the text."""
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    total = properties.find(qn("w:tblW"))
    if total is None:
        total = OxmlElement("w:tblW")
        properties.append(total)
    total.set(qn("w:w"), str(int(Cm(sum(widths)).twips)))
    total.set(qn("w:type"), "dxa")
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def loop_table(document, headers, widths, loop, cells):
    """A table: a repeated header row, then one row per item of ``loop``.

    ``cells`` are lists of (text, style) paragraphs; a text starting with ``{%p`` is
    a paragraph-level tag inside the cell.
    """
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, start, body, end = table.rows
    set_repeat_header(head)
    set_cant_split(body)
    for cell, header in zip(head.cells, headers, strict=True):
        cell.paragraphs[0].style = TABLE_TEXT
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
        run.font.size = Pt(9)
    start.cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for cell, paragraphs in zip(body.cells, cells, strict=True):
        first = True
        for text, style in paragraphs:
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            # Table text a little smaller than the body, as on the HTML memo's paper.
            paragraph.style = TABLE_BULLET if style == "List Bullet" else TABLE_TEXT
            if style in ("bold", "italic"):
                run = paragraph.add_run(text)
                run.bold, run.italic = style == "bold", style == "italic"
                continue
            if style == "muted":
                run = paragraph.add_run(text)
                run.font.color.rgb = MUTED
                continue
            paragraph.add_run(text)
    set_widths(table, widths)
    return table


def strategy_paragraphs(document, loop):
    """The strategies of ``loop`` as paragraphs, as in the HTML memo: each a title
    with its rank and ¶ (a level-4 heading, kept with what follows), its summary, its
    reasons (running sentences in the client edition, a list otherwise) and its
    caveats. A strategy to also consider in the client edition, which shows neither
    summary nor caveats, is one compact paragraph: its title, ¶ and reason."""
    tag(document, f"{{%p for {loop} %}}")
    tag(document, "{%p if show.prose and not s.summary and not s.caveats and not s.first_steps %}")
    paragraph = document.add_paragraph(style="Strategy Compact")
    paragraph.add_run("{{ s.rank }}. {{ s.title }}").bold = True
    sources = paragraph.add_run("{% if s.sources_text %} ({{ s.sources_text }}){% endif %}")
    sources.font.color.rgb = MUTED
    paragraph.add_run(
        "{% if s.because %}: {% for f in s.because %}{{ f.text }}"
        "{% if not loop.last %} {% endif %}{% endfor %}{% endif %}"
    )
    tag(document, "{%p else %}")
    title = document.add_heading("{{ s.rank }}. {{ s.title }}", level=4)
    title.add_run("  {{ s.sources_text }}").font.color.rgb = MUTED
    tag(document, "{%p if s.summary %}")
    # Not kept with what follows: that would chain every strategy of a phase together
    # (the next one's title is kept with its summary) and push them all to a new page.
    para(document, "{{ s.summary }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if show.prose %}")
    tag(document, "{%p if s.because and not s.reason_in_summary %}")
    labelled(
        document,
        f"{{{{ {T}.because }}}}: ",
        "{% for f in s.because %}{{ f.text }}{% if not loop.last %} {% endif %}{% endfor %}",
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.because }}}}:", bold=True).paragraph_format.keep_with_next = True
    bullets(document, "f in s.because", "{{ f.text }}{% if f.ref %} ({{ f.ref }}){% endif %}")
    tag(document, "{%p endif %}")
    # The caveats (a sentence or two each) run on after their label, as the reasons
    # of the client edition do: a label on a line of its own, over a list of one,
    # ran the planner's edition past ten pages.
    tag(document, "{%p if s.caveats %}")
    labelled(
        document,
        f"{{{{ {T}.caveats }}}}: ",
        "{% for c in s.caveats %}{{ c }}{% if not loop.last %} {% endif %}{% endfor %}",
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")


def set_language(document, tag):
    """The language of every text in the document, declared once in the document's
    default run properties (the styles inherit it)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), tag)


def field(paragraph, instruction, shown):
    """A Word field (PAGE, NUMPAGES) in ``paragraph``; ``shown`` until Word updates it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("text", shown), ("end", None)):  # fmt: skip
        run = paragraph.add_run()
        run.font.size = Pt(8.5)
        run.font.color.rgb = MUTED
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def document_footer_stops(section):
    style = section.footer.paragraphs[0].style
    return [stop.position for stop in style.paragraph_format.tab_stops]


def header_and_footer(section):
    """The organization's name at the head of each page; the memo's title and the page
    number ("3 / 9") at its foot."""
    head = section.header.paragraphs[0]
    run = head.add_run("{{ header.organization }}")
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED
    foot = section.footer.paragraphs[0]
    stops = foot.paragraph_format.tab_stops
    for inherited in document_footer_stops(section):  # the Footer style's centre and right
        stops.add_tab_stop(inherited, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Cm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    run = foot.add_run("{{ header.title }}\t")
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED
    field(foot, "PAGE", "1")
    run = foot.add_run(" / ")
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED
    field(foot, "NUMPAGES", "1")


def properties(document):
    """The document's properties, as tags: ``engine/memo/docx.py`` renders them, adds
    the author and date when the memo gives them, and fixes the rest."""
    core = document.core_properties
    core.title = "{{ header.title }}: {{ header.organization }}"
    core.subject = "{{ header.change }}"
    core.author = ""
    core.comments = ""
    core.keywords = ""
    core.language = TEMPLATE_LANGUAGE
    core.last_modified_by = ""
    core.revision = 1


def reasoning_picture(document):
    """The reasoning graph as a picture (``reasoning_picture``, set by
    ``engine/memo/docx.py`` when the edition shows it and a program can draw it)."""
    tag(document, "{%p if reasoning_picture is not none %}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("{{ numbers.reasoning }}. {{ labels.graph.heading }}", level=1)
    tag(document, "{%p if reasoning_picture %}")
    para(document, "{{ labels.graph.intro_picture }}").paragraph_format.keep_with_next = True
    para(document, "{{ reasoning_picture }}").alignment = 1  # centred
    tag(document, "{%p else %}")
    para(document, "{{ labels.graph.no_picture }}", italic=True, color=MUTED)
    tag(document, "{%p endif %}")
    tag(document, "{%p endif %}")


def risks_table(document):
    """Risks and what to do (``engine/view/risks.py``), a section of its own after the
    programs: a row per caveat of a recommended strategy, with its risk, the sign to
    watch for and the response."""
    document.add_heading("{{ numbers.risks }}. {{ labels.risks.heading }}", level=1)
    tag(document, "{%p if risks %}")
    para(document, "{{ labels.risks.intro }}").paragraph_format.keep_with_next = True
    loop_table(
        document,
        ["{{ labels.risks.risk }}", "{{ labels.risks.sign }}", "{{ labels.risks.response }}"],
        [TEXT_WIDTH / 3] * 3,
        "x in risks",
        [
            # The strategy a risk belongs to opens its cell, as in the HTML memo: a
            # column of its own would take a fifth of the width for a short title.
            [("{{ x.strategy.rank }}. {{ x.strategy.title }}", "bold"), ("{{ x.risk }}", None)],
            [("{{ x.sign }}", None)],
            [("{{ x.response }} ({{ x.sources_text }})", None)],
        ],
    )
    tag(document, "{%p else %}")
    para(document, "{{ labels.risks.no_risks }}")
    tag(document, "{%p endif %}")


def fixed_widths(table, widths):
    """Give ``table``'s grid the column widths (Word and LibreOffice lay a table out
    by its grid, not by its cells' widths) and keep it from refitting them."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)


def action_plan_section(document, number):
    """The action plan (issue 13, part 4): per phase, a table of numbered steps with
    who leads each, the strategy it serves and its ¶, then how the client will see
    that phase taking hold."""
    w = "labels.action_plan"
    document.add_heading(f"{number}. {{{{ {w}.heading }}}}", level=1)
    tag(document, "{%p if action_plan.phases %}")
    para(document, f"{{{{ {w}.intro }}}}").paragraph_format.keep_with_next = True
    tag(document, "{%p for g in action_plan.phases %}")
    document.add_heading(f"{{{{ {T}.phase }}}}: {{{{ g.title }}}}", level=2)
    # With the strategy each step serves (planner, trainer) or without (client: the
    # step says what to do, and the plan stays compact).
    tag(document, "{%p if show.plan_strategies %}")
    # The step's ¶ follows its text, as in the HTML memo: a column of its own would
    # be narrow and mostly empty.
    step = "{{ s.text }} ({{ s.sources_text }})"
    widths = [1.0, 9.8, 3.0, TEXT_WIDTH - 13.8]
    table = loop_table(
        document,
        ["#", f"{{{{ {w}.step }}}}", f"{{{{ {w}.lead }}}}", f"{{{{ {w}.strategy }}}}"],
        widths,
        "s in g.steps",
        [
            [("{{ s.number }}", "bold")],
            [(step, None)],
            [("{{ s.lead.label }}", None)],
            [("{% if s.rank %}{{ s.rank }}. {{ s.strategy_title }}{% endif %}", "muted")],
        ],
    )
    fixed_widths(table, widths)
    tag(document, "{%p else %}")
    widths = [1.0, 13.2, TEXT_WIDTH - 14.2]
    table = loop_table(
        document,
        ["#", f"{{{{ {w}.step }}}}", f"{{{{ {w}.lead }}}}"],
        widths,
        "s in g.steps",
        [
            [("{{ s.number }}", "bold")],
            [(step, None)],
            [("{{ s.lead.label }}", None)],
        ],
    )
    fixed_widths(table, widths)
    tag(document, "{%p endif %}")
    # How the client will see the phase taking hold: one line under its steps.
    tag(document, "{%p if g.success %}")
    line = labelled(document, "{{ g.success.lead }} ", "{{ g.success.rest }}")
    line.paragraph_format.space_before = Pt(4)
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {w}.no_steps }}}}")
    tag(document, "{%p endif %}")


def stakeholder_map_section(document, number):
    """The stakeholder map (issue 13, part 5): one row per stakeholder."""
    w = "labels.stakeholder_map"
    document.add_heading(f"{number}. {{{{ {w}.heading }}}}", level=1)
    tag(document, "{%p if stakeholder_map.rows %}")
    para(document, f"{{{{ {w}.intro }}}}").paragraph_format.keep_with_next = True
    # Four columns, as in the HTML memo: the two short answers share one, and the ¶
    # follows how to involve them (narrow columns of their own broke words in two).
    widths = [3.0, 2.6, 5.0, TEXT_WIDTH - 10.6]
    table = loop_table(
        document,
        [
            f"{{{{ {w}.stakeholder }}}}",
            f"{{{{ {w}.directly_affected }}}} / {{{{ {w}.gains_or_loses }}}}",
            f"{{{{ {w}.stance }}}}",
            f"{{{{ {w}.involve }}}}",
        ],
        widths,
        "r in stakeholder_map.rows",
        [
            [("{{ r.name }}", "bold")],
            [("{{ r.directly_affected_label }} / {{ r.impact_label }}", None)],
            [("{{ r.stance }}", None)],
            [("{{ r.involve }} ({{ r.sources_text }})", None)],
        ],
    )
    fixed_widths(table, widths)
    tag(document, "{%p else %}")
    para(document, f"{{{{ {w}.no_stakeholders }}}}")
    tag(document, "{%p endif %}")


def summary_section(document):
    """The one-page summary (view ``summary``, words ``labels.summary``); the memo
    goes on from page 2 (section 2's heading starts a page)."""
    w = "labels.summary"
    start = len(document.paragraphs)
    document.add_heading(f"{{{{ numbers.summary }}}}. {{{{ {w}.heading }}}}", level=1)
    labelled(document, f"{{{{ {w}.diagnosis }}}}. ", '{{ summary.diagnosis|join(" ") }}')
    para(document, f"{{{{ {w}.first_strategies }}}}:", bold=True)
    tag(document, "{%p for s in summary.strategies %}")
    labelled(document, "{{ s.rank }}. {{ s.title }}: ", "{{ s.reason }}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.no_strategies }}}}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p if summary.programs %}")
    para(document, f"{{{{ {w}.programs }}}}:", bold=True)
    bullets(document, "p in summary.programs", "{{ p.name }}: {{ p.decision_label }}")
    tag(document, "{%p endif %}")
    para(document, f"{{{{ {w}.risks }}}}:", bold=True)
    tag(document, "{%p if summary.risks %}")
    bullets(document, "r in summary.risks", "{{ r.strategy }}: {{ r.text }}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {w}.no_risks }}}}")
    tag(document, "{%p endif %}")
    para(document, f"{{{{ {w}.open }}}}:", bold=True)
    tag(document, "{%p if summary.open %}")
    bullets(
        document,
        "u in summary.open",
        "{% if u.question %}{{ u.question }}{% else %}{{ u.label }}{% endif %}",
    )
    tag(document, "{%p if summary.open_more %}")
    para(document, "{{ summary.open_more }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {w}.no_open }}}}")
    tag(document, "{%p endif %}")
    compact(document.paragraphs[start + 1 :])


def heading_font(style):
    """``HEADING_FONT`` for ``style``, in place of the theme's font (which Word and
    LibreOffice resolve differently)."""
    style.font.name = HEADING_FONT
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def table_styles(document):
    """The paragraph styles of table cells: ``Table Text`` and ``Table Bullet``."""
    text = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = document.styles["Normal"]
    bullet = document.styles.add_style(TABLE_BULLET, WD_STYLE_TYPE.PARAGRAPH)
    bullet.base_style = document.styles["List Bullet"]
    for style in (text, bullet):
        style.font.size = Pt(TABLE_SIZE)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0


def compact(paragraphs):
    """Tight spacing for the title block and the summary, so that both fit page 1."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(3)


def build():
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(SIDE_MARGIN)
    section.top_margin = section.bottom_margin = Cm(TOP_MARGIN)
    section.header_distance = section.footer_distance = Cm(EDGE_DISTANCE)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(10.5)
    # Word's default leaves 10 pt after each paragraph: 3 pt reads as a memo's.
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.15
    table_styles(document)
    set_language(document, TEMPLATE_LANGUAGE)
    for level in (1, 2, 3):
        document.styles[f"Heading {level}"].font.color.rgb = ACCENT
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        heading_font(document.styles[name])
        document.styles[f"Heading {level}"].paragraph_format.keep_with_next = True
    # Headings close to what they head, and a title of two lines at most: the client
    # edition fits five pages (docs memo-design), the summary page 1.
    for level, (size, before) in {1: (14, 9), 2: (11.5, 5), 3: (11, 5), 4: (10.5, 4)}.items():
        style = document.styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(2)
    # A strategy's title (level 4) in the text's colour, not italic: a row of the plan.
    strategy_title = document.styles["Heading 4"]
    strategy_title.font.italic = False
    strategy_title.font.color.rgb = RGBColor(0x1F, 0x23, 0x28)
    strategy_title.paragraph_format.keep_with_next = True
    compact_strategy = document.styles.add_style("Strategy Compact", WD_STYLE_TYPE.PARAGRAPH)
    compact_strategy.base_style = normal
    compact_strategy.paragraph_format.space_after = Pt(3)
    for name in ("List Bullet", "List Number"):
        document.styles[name].paragraph_format.space_after = Pt(1)
    document.styles["Title"].font.size = Pt(20)
    document.styles["Title"].paragraph_format.space_after = Pt(4)
    header_and_footer(section)
    properties(document)

    # -- header
    start = len(document.paragraphs)
    para(document, "{{ header.title }}", bold=True, size=10, color=ACCENT)
    document.add_heading("{{ header.organization }}", level=0)
    para(document, "{{ header.subtitle }}", italic=True, color=MUTED)
    labelled(document, f"{{{{ {T}.to }}}}: ", "{{ header.recipient }}")
    labelled(document, f"{{{{ {T}.organization }}}}: ", "{{ header.organization }}")
    labelled(document, f"{{{{ {T}.change }}}}: ", "{{ header.change }}")
    tag(document, "{%p for d in header.details %}")
    labelled(document, "{{ d.label }}: ", "{{ d.value }}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p if header.edition %}")
    labelled(document, "{{ labels.editions.edition }}: ", "{{ header.edition }}")
    tag(document, "{%p endif %}")
    para(document, "{{ header.disclaimer }}", style="Quote")
    compact(document.paragraphs[start:])

    # -- 1. the one-page summary
    summary_section(document)

    # -- 2. organization
    # Section 2 starts page 2: a break before its heading, not an empty paragraph
    # after the summary (which would make a blank page when the summary fills page 1).
    heading = document.add_heading(
        f"{{{{ numbers.organization }}}}. {{{{ {H}.organization }}}}", level=1
    )
    heading.paragraph_format.page_break_before = True
    tag(document, "{%p for f in organization.facts %}")
    labelled(document, "{{ f.label }}: ", "{{ f.value }}")
    tag(document, "{%p endfor %}")
    labelled(
        document,
        f"{{{{ {T}.stage }}}}: ",
        "{{ organization.stage.title }}"
        "{% if organization.stage.sources_text %} ({{ organization.stage.sources_text }})"
        "{% endif %}",
    )
    tag(document, "{%p if organization.stage.text %}")
    para(document, "{{ organization.stage.text }}")
    tag(document, "{%p endif %}")

    # -- 3. causes
    document.add_heading(f"{{{{ numbers.causes }}}}. {{{{ {H}.causes }}}}", level=1)
    tag(document, "{%p for c in causes %}")
    heading = document.add_heading(
        "{{ numbers.causes }}.{{ loop.index }} {{ c.title }}: {{ c.strength_label }}", level=2
    )
    # The cause's ¶ beside its title, as in the HTML memo, not a line of its own.
    heading.add_run("  {{ c.sources_text }}").font.color.rgb = MUTED
    tag(document, "{%p if c.summary %}")
    para(document, "{{ c.summary }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if show.prose %}")
    para(
        document,
        "{% for f in c.evidence %}{{ f.text }}{% if not loop.last %} {% endif %}{% endfor %}",
    )
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.evidence }}}}:", bold=True)
    bullets(document, "f in c.evidence", "{{ f.text }}{% if f.ref %} ({{ f.ref }}){% endif %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.no_causes }}}}")
    tag(document, "{%p endfor %}")

    # -- 4. strategies: those to start with, then the others, each grouped by phase
    # in a table per phase; each strategy's caveats and steps; then how recommended
    # strategies fit together
    document.add_heading(f"{{{{ numbers.strategies }}}}. {{{{ {H}.strategies }}}}", level=1)
    tag(document, "{%p if strategies %}")
    for groups, label in (
        ("plan.start_with", "start_with"),
        ("plan.also_consider", "also_consider"),
    ):
        tag(document, f"{{%p if {groups} %}}")
        document.add_heading(f"{{{{ {T}.plan_{label} }}}}", level=2)
        # In every edition: it says the numbers are ranks and the order the phases'.
        para(document, f"{{{{ {T}.plan_{label}_intro }}}}")
        tag(document, f"{{%p for g in {groups} %}}")
        document.add_heading(f"{{{{ {T}.phase }}}}: {{{{ g.title }}}}", level=3)
        tag(document, "{%p if g.summary %}")
        para(document, "{{ g.summary }}", italic=True)
        tag(document, "{%p endif %}")
        strategy_paragraphs(document, "s in g.strategies")
        tag(document, "{%p endfor %}")
        tag(document, "{%p endif %}")
    tag(document, "{%p if strategies|selectattr('first_steps')|list %}")
    document.add_heading(f"{{{{ {T}.plan_details }}}}", level=2)
    tag(document, "{%p endif %}")
    tag(document, "{%p for s in strategies %}")
    tag(document, "{%p if s.first_steps %}")
    document.add_heading("{{ s.rank }}. {{ s.title }}", level=3)
    para(document, f"{{{{ {T}.first_steps }}}}:", bold=True)
    tag(document, "{%p for step in s.first_steps %}")
    para(document, "{{ loop.index }}. {{ step }}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p if plan.tensions %}")
    document.add_heading(f"{{{{ {T}.plan_fit_together }}}}", level=2)
    tag(document, "{%p for x in plan.tensions %}")
    document.add_heading("{{ x.title }}", level=3)
    labelled(
        document,
        "{% for s in x.strategies %}{{ s.rank }}. {{ s.title }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}: ",
        "{{ x.text }} ({{ x.sources_text }})",
    )
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.no_strategies }}}}")
    tag(document, "{%p endif %}")

    action_plan_section(document, "{{ numbers.action_plan }}")
    stakeholder_map_section(document, "{{ numbers.stakeholder_map }}")

    # -- 5. programs
    document.add_heading(f"{{{{ numbers.programs }}}}. {{{{ {H}.programs }}}}", level=1)
    tag(document, "{%p if programs %}")
    loop_table(
        document,
        # The reasons cite their ¶ themselves; the cell adds any other after them.
        [f"{{{{ {T}.program }}}}", f"{{{{ {T}.decision }}}}", f"{{{{ {T}.program_why }}}}"],
        [3.8, 2.3, TEXT_WIDTH - 6.1],
        "p in programs",
        [
            [("{{ p.name }}", None)],
            [("{{ p.decision_label }}", "bold")],
            [
                ("{{ p.decision_text }}", None),
                ("{%p for f in p.why %}", None),
                ("{{ f.text }}{% if f.ref %} ({{ f.ref }}){% endif %}", "List Bullet"),
                ("{%p endfor %}", None),
                ("{%p if p.sources_text %}", None),
                ("{{ p.sources_text }}", None),
                ("{%p endif %}", None),
            ],
        ],
    )
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.no_programs }}}}")
    tag(document, "{%p endif %}")

    risks_table(document)

    # -- guidance to the planner (not in the client edition)
    tag(document, "{%p if show.guidance %}")
    document.add_heading(f"{{{{ numbers.guidance }}}}. {{{{ {H}.guidance }}}}", level=1)
    tag(document, "{%p for g in guidance %}")
    heading = document.add_heading("{{ numbers.guidance }}.{{ loop.index }} {{ g.title }}", level=2)
    # Its ¶ beside its title (as a cause's): a line of its own per item ran the
    # planner's edition past ten pages.
    heading.add_run("  {{ g.sources_text }}").font.color.rgb = MUTED
    para(document, "{{ g.text }}")
    tag(document, "{%p if g.because %}")
    labelled(
        document,
        f"{{{{ {T}.because }}}}: ",
        "{% for f in g.because %}{{ f.text }}{% if not loop.last %}"
        '{{ " " if f.text.rstrip()[-1:] in ".!?" else "; " }}{% endif %}{% endfor %}',
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.no_guidance }}}}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")

    # -- 7. unknowns
    document.add_heading(f"{{{{ numbers.unknowns }}}}. {{{{ {H}.unknowns }}}}", level=1)
    tag(document, "{%p if unknowns %}")
    para(document, f"{{{{ {T}.unknowns_intro }}}}")
    bullets(
        document,
        "u in unknowns",
        "{% if u.question %}{{ u.question }} {% else %}{{ u.label }}"
        "{% if u.path %} ({{ u.path }}){% endif %}: {% endif %}"
        "{{ u.lead }}{% if u.answers %}: "
        '{{ u.answers|join(", ") }}{% else %}.{% endif %}',
    )
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.no_unknowns }}}}")
    tag(document, "{%p endif %}")

    # -- 8. sources
    document.add_heading(f"{{{{ numbers.sources }}}}. {{{{ {H}.sources }}}}", level=1)
    labelled(
        document,
        f"{{{{ {T}.document }}}}: ",
        "{{ sources.document.title }}{% if sources.document.date %}, "
        f"{{{{ {T}.dated }}}} {{{{ sources.document.date }}}}{{% endif %}}",
    )
    # The passages run on as one paragraph, as on the HTML memo's paper: a list of
    # twenty short lines would fill half a page.
    labelled(
        document,
        f"{{{{ {T}.passages }}}}: ",
        "{% for p in sources.passages %}¶{{ p.number }}{% if p.topic %} {{ p.topic }}"
        "{% endif %}{% if not loop.last %} · {% endif %}{% endfor %}",
    )
    para(document, "{{ sources.defaults_note }}")
    # The defaults too run on, each after a middle dot.
    tag(document, "{%p if sources.defaults %}")
    labelled(
        document,
        f"{{{{ {T}.defaults }}}}: ",
        "{% for f in sources.defaults %}{{ f.text }}{% if not loop.last %} · {% endif %}"
        "{% endfor %}",
    )
    tag(document, "{%p endif %}")

    reasoning_picture(document)

    # -- appendix: the trace (trainer edition only)
    tag(document, "{%p if show.trace %}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(f"{{{{ {H}.appendix }}}}", level=1)
    para(document, f"{{{{ {T}.trace_intro }}}}")
    tag(document, "{%p for step in trace %}")
    para(document, "{{ step.number }}. {{ step.rule }}", bold=True, size=9)
    tag(document, "{%p if step.statement %}")
    para(document, "{{ step.statement }}", size=9)
    tag(document, "{%p endif %}")
    para(
        document,
        f"{{{{ {T}.matched }}}}: {{% if step.facts %}}{{% for f in step.facts %}}{{{{ f.text }}}}"
        # The case path, as the other formats give it (the trainer's field paths).
        "{% if f.ref %} ({{ f.ref }}){% endif %}"
        f"{{% if not loop.last %}}; {{% endif %}}{{% endfor %}}{{% else %}}{{{{ {T}.no_facts }}}}"
        "{% endif %}",
        size=9,
    )
    para(
        document,
        f"{{{{ {T}.concluded }}}}: {{% if step.concluded %}}{{% for f in step.concluded %}}"
        f"{{{{ f.text }}}}{{% if not loop.last %}}; {{% endif %}}{{% endfor %}}{{% else %}}"
        f"{{{{ {T}.nothing_concluded }}}}{{% endif %}}",
        size=9,
    )
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    para(document, "{{ footer.versions }}", size=8, color=MUTED)
    return document


def main(target=TARGET):
    build().save(str(target))
    print(f"wrote {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
