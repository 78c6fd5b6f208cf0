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
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "templates" / "memo.docx"

H = "labels.headings"
T = "labels.terms"
ACCENT = RGBColor(0x0B, 0x4F, 0x6C)
MUTED = RGBColor(0x57, 0x60, 0x6A)


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


def cited(document, sources):
    para(document, f"{{{{ {T}.cited }}}}: {{{{ {sources} }}}}", italic=True, size=9, color=MUTED)


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
            if style == "bold":
                paragraph.add_run(text).bold = True
                continue
            if style:
                paragraph.style = style
            paragraph.add_run(text)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def strategy_table(document, loop):
    """The strategies of ``loop``: rank, title and summary, reasons, sources."""
    return loop_table(
        document,
        [f"{{{{ {T}.rank }}}}", f"{{{{ {T}.strategy }}}}", f"{{{{ {T}.because }}}}", "¶"],
        [1.6, 5.0, 8.4, 2.0],
        loop,
        [
            [("{{ s.rank }}", "bold")],
            [("{{ s.title }}", "bold"), ("{{ s.summary }}", None)],
            [
                ("{%p for f in s.because %}", None),
                ("{{ f.text }}{% if f.ref %} ({{ f.ref }}){% endif %}", "List Bullet"),
                ("{%p endfor %}", None),
            ],
            [("{{ s.sources_text }}", None)],
        ],
    )


def summary_section(document):
    """The one-page summary (view ``summary``, words ``labels.summary``), then a page
    break: the memo goes on from page 2."""
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
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def compact(paragraphs):
    """Tight spacing for the title block and the summary, so that both fit page 1."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(3)


def build():
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name = "Georgia"
    normal.font.size = Pt(10.5)
    for level in (1, 2, 3):
        document.styles[f"Heading {level}"].font.color.rgb = ACCENT
        document.styles[f"Heading {level}"].paragraph_format.keep_with_next = True

    core = document.core_properties
    core.title = "{{ header.title }}: {{ header.organization }}"
    core.subject = "{{ header.subtitle }}"
    core.author = "perencana"
    core.comments = ""

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
    labelled(document, "{{ labels.editions.edition }}: ", "{{ header.edition }}")
    para(document, "{{ header.disclaimer }}", style="Quote")
    compact(document.paragraphs[start:])

    # -- 1. the one-page summary
    summary_section(document)

    # -- 2. organization
    document.add_heading(f"{{{{ numbers.organization }}}}. {{{{ {H}.organization }}}}", level=1)
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
    document.add_heading(
        "{{ numbers.causes }}.{{ loop.index }} {{ c.title }}: {{ c.strength_label }}", level=2
    )
    para(document, "{{ c.summary }}")
    para(document, f"{{{{ {T}.evidence }}}}:", bold=True)
    bullets(document, "f in c.evidence", "{{ f.text }}{% if f.ref %} ({{ f.ref }}){% endif %}")
    cited(document, "c.sources_text")
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
        para(document, f"{{{{ {T}.plan_{label}_intro }}}}")
        tag(document, f"{{%p for g in {groups} %}}")
        document.add_heading(f"{{{{ {T}.phase }}}}: {{{{ g.title }}}}", level=3)
        tag(document, "{%p if g.summary %}")
        para(document, "{{ g.summary }}", italic=True)
        tag(document, "{%p endif %}")
        strategy_table(document, "s in g.strategies")
        tag(document, "{%p endfor %}")
        tag(document, "{%p endif %}")
    document.add_heading(f"{{{{ {T}.plan_details }}}}", level=2)
    tag(document, "{%p for s in strategies %}")
    tag(document, "{%p if s.caveats or s.first_steps %}")
    document.add_heading("{{ s.rank }}. {{ s.title }}", level=3)
    tag(document, "{%p if s.caveats %}")
    para(document, f"{{{{ {T}.caveats }}}}:", bold=True)
    bullets(document, "c in s.caveats", "{{ c }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if s.first_steps %}")
    para(document, f"{{{{ {T}.first_steps }}}}:", bold=True)
    tag(document, "{%p for step in s.first_steps %}")
    para(document, "{{ loop.index }}. {{ step }}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p if plan.tensions %}")
    document.add_heading(f"{{{{ {T}.plan_fit_together }}}}", level=2)
    tag(document, "{%p for x in plan.tensions %}")
    document.add_heading("{{ x.title }}", level=3)
    para(
        document,
        "{% for s in x.strategies %}{{ s.rank }}. {{ s.title }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}",
        bold=True,
    )
    para(document, "{{ x.text }}")
    cited(document, "x.sources_text")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.no_strategies }}}}")
    tag(document, "{%p endif %}")

    # -- 5. programs
    document.add_heading(f"{{{{ numbers.programs }}}}. {{{{ {H}.programs }}}}", level=1)
    tag(document, "{%p if programs %}")
    loop_table(
        document,
        [f"{{{{ {T}.program }}}}", f"{{{{ {T}.decision }}}}", f"{{{{ {T}.why }}}}", "¶"],
        [4.0, 2.6, 8.4, 2.0],
        "p in programs",
        [
            [("{{ p.name }}", None)],
            [("{{ p.decision_label }}", "bold")],
            [
                ("{{ p.decision_text }}", None),
                ("{%p for f in p.why %}", None),
                ("{{ f.text }}{% if f.ref %} ({{ f.ref }}){% endif %}", "List Bullet"),
                ("{%p endfor %}", None),
            ],
            [("{{ p.sources_text }}", None)],
        ],
    )
    tag(document, "{%p else %}")
    para(document, f"{{{{ {T}.no_programs }}}}")
    tag(document, "{%p endif %}")

    # -- guidance to the planner (not in the client edition)
    tag(document, "{%p if show.guidance %}")
    document.add_heading(f"{{{{ numbers.guidance }}}}. {{{{ {H}.guidance }}}}", level=1)
    tag(document, "{%p for g in guidance %}")
    document.add_heading("{{ numbers.guidance }}.{{ loop.index }} {{ g.title }}", level=2)
    para(document, "{{ g.text }}")
    tag(document, "{%p if g.because %}")
    labelled(
        document,
        f"{{{{ {T}.because }}}}: ",
        "{% for f in g.because %}{{ f.text }}{% if not loop.last %}; {% endif %}{% endfor %}",
    )
    tag(document, "{%p endif %}")
    cited(document, "g.sources_text")
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
        f"{{{{ {T}.changing_answers }}}}: "
        '{{ u.answers|join(", ") }}',
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
    para(document, f"{{{{ {T}.passages }}}}:", bold=True)
    bullets(
        document,
        "p in sources.passages",
        "¶{{ p.number }}{% if p.topic %}: {{ p.topic }}{% endif %}",
    )
    para(document, "{{ sources.defaults_note }}")
    tag(document, "{%p if sources.defaults %}")
    para(document, f"{{{{ {T}.defaults }}}}:", bold=True)
    bullets(document, "f in sources.defaults", "{{ f.text }}")
    tag(document, "{%p endif %}")

    # -- appendix: the trace (trainer edition only)
    tag(document, "{%p if show.trace %}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(f"{{{{ {H}.appendix }}}}", level=1)
    para(document, f"{{{{ {T}.trace_intro }}}}")
    tag(document, "{%p for step in trace %}")
    para(document, "{{ step.number }}. {{ step.rule }}", bold=True, size=9)
    para(
        document,
        f"{{{{ {T}.matched }}}}: {{% if step.facts %}}{{% for f in step.facts %}}{{{{ f.text }}}}"
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
