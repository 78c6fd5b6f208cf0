"""The portfolio of a batch: summary entries, totals that match the advice, the
summary page (well-formed, escaped, in both languages) and its SVG bar charts."""

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from html.parser import HTMLParser

import pytest

from perencana.engine import api
from perencana.engine.batch.charts import Bar, Series, bar_chart
from perencana.engine.batch.portfolio import (
    build_summary,
    case_entry,
    failure_entry,
    read_summary,
    render_page,
    summary_json_text,
)
from perencana.engine.case.validation import normalize_case
from perencana.engine.reasoning.advisor import Advisor
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLE_CASES
from tests.test_batch import generated_case

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "source", "wbr"}
HOSTILE = "<script>alert('x')</script> & \"Yayasan\""


@pytest.fixture(scope="module")
def advised():
    """(source, advice) for the examples and some generated cases, one hostile."""
    advisor = Advisor()
    pairs = [
        ({"file": str(path), "row": None}, advisor.advise(api.read_case(str(path))))
        for path in EXAMPLE_CASES
    ]
    for number in range(12):
        raw = generated_case(number, name=HOSTILE if number == 5 else None, programs=2)
        if number == 5:
            raw["programs"][0]["name"] = "<b>bold</b> program"
            raw["programs"][0].update(viable=False, effectiveness="low")
        case = normalize_case(raw)
        pairs.append(({"file": "table.csv", "row": number + 2}, advisor.advise(case)))
    return pairs


@pytest.fixture(scope="module")
def summary(advised):
    entries = [
        case_entry(source, advice, f"memo-{n}.md", "d")
        for n, (source, advice) in enumerate(advised)
    ]
    failures = [failure_entry({"file": "bad.yaml", "row": None}, ["change: missing <here>"])]
    return build_summary(
        entries, failures, load_knowledge(), fmt="md", lang="en", engine="e", complete=True
    )


def test_totals_match_the_advice(advised, summary):
    total = summary["totals"]
    advices = [advice for _, advice in advised]
    causes = Counter((c.id, c.strength) for a in advices for c in a.causes)
    for cause, counts in total["causes"].items():
        for strength in ("strong", "moderate", "weak"):
            assert counts[strength] == causes[(cause, strength)]
        assert counts["organizations"] == sum(cause in {c.id for c in a.causes} for a in advices)
    ranks = Counter((s.id, s.rank) for a in advices for s in a.strategies)
    for strategy, counts in total["strategies"].items():
        assert counts["recommended"] == sum(n for (i, _), n in ranks.items() if i == strategy)
        assert counts["ranks"] == {
            str(rank): n for (i, rank), n in sorted(ranks.items()) if i == strategy
        }
    assert total["replace"] == [
        {"organization": a.organization, "program": p.name, "memo": f"memo-{n}.md"}
        for n, a in enumerate(advices)
        for p in a.programs
        if p.decision == "replace"
    ]
    decisions = {"maintain": 0, "develop": 0, "replace": 0}
    for program in (p for a in advices for p in a.programs):
        decisions[program.decision] += 1
    assert total["decisions"] == decisions
    assert decisions["replace"] >= 2  # the hostile program, and at least one other
    assert sum(total["lifecycle"].values()) == total["organizations"] == len(advices)
    assert total["failed"] == 1
    assert list(total["causes"]) == list(load_knowledge().causes)


def test_an_entry_holds_what_the_summary_promises(advised):
    source, advice = advised[1]
    entry = case_entry(source, advice, "dinas.md", "abc")
    assert set(entry) == {
        "source",
        "organization",
        "memo",
        "lifecycle",
        "causes",
        "top_strategies",
        "strategies",
        "programs",
        "digest",
    }
    assert entry["top_strategies"] == [s.id for s in advice.strategies[:3]]
    assert entry["source"] == {"file": source["file"], "row": None}


def test_the_summary_json_is_stable_text(summary):
    text = summary_json_text(summary)
    assert text == summary_json_text(json.loads(text))
    assert json.loads(text)["format"] == "perencana-batch/1"


def test_read_summary_tells_a_batch_summary_from_other_files(tmp_path, summary):
    path = tmp_path / "summary.json"
    assert read_summary(path) is None
    path.write_text("not json")
    assert read_summary(path) is False
    path.write_text('{"format": "something else"}')
    assert read_summary(path) is False
    path.write_text(summary_json_text(summary))
    assert read_summary(path) == summary


# -------------------------------------------------------------------------- page


class _Structure(HTMLParser):
    """Checks that every element is closed, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.scripts = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_page_is_well_formed_with_svg_charts_and_escapes_names(summary, lang):
    page = render_page(summary, load_knowledge(), lang)
    assert page.startswith("<!doctype html>")
    checker = _Structure()
    checker.feed(page)
    checker.close()
    assert not checker.problems and not checker.stack, (checker.problems, checker.stack)
    assert len(checker.scripts) == 1  # the sorting script only; nothing from the cases
    assert "alert(" not in checker.scripts[0]
    svgs = page.split("<svg")[1:]
    assert len(svgs) == 3
    for svg in svgs:
        ElementTree.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;b&gt;bold&lt;/b&gt; program" in page
    assert "change: missing &lt;here&gt;" in page
    assert 'href="memo-0.md"' in page
    assert page.count("<tr>") >= len(summary["cases"]) + 1


def test_the_indonesian_page_has_no_english_batch_wording(summary):
    wording = load_knowledge().memo["batch"]
    page = render_page(summary, load_knowledge(), "id")
    english = []

    def walk(node):
        if isinstance(node, dict) and set(node) == {"en", "id"}:
            if node["en"] != node["id"] and "{" not in node["en"] and len(node["en"]) > 3:
                english.append(node["en"])
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(wording)
    assert english
    assert [text for text in english if text in page] == []
    assert load_knowledge().memo["batch"]["title"]["id"] in page


def test_an_empty_portfolio_still_makes_a_page():
    empty = build_summary([], [], load_knowledge(), fmt="md", lang="en", engine="e", complete=False)
    page = render_page(empty, load_knowledge(), "en")
    assert "<svg" not in page
    assert load_knowledge().memo["batch"]["incomplete"]["en"].split(":")[0] in page


# ------------------------------------------------------------------------ charts


def test_a_stacked_bar_chart_draws_each_value_in_proportion():
    series = [Series("strong", "#a00"), Series("weak", "#999")]
    svg = bar_chart([Bar("Cost", (3, 1)), Bar("<Outside> & co", (0, 2))], series, "T", "c1")
    root = ElementTree.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    rects = [r for r in root.findall("s:rect", ns) if r.find("s:title", ns) is not None]
    widths = [float(r.get("width")) for r in rects]
    assert len(widths) == 3  # a zero value draws nothing
    assert widths[0] == pytest.approx(3 * widths[1]) and widths[2] == pytest.approx(2 * widths[1])
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<Outside> & co" in texts
    assert root.find("s:title", ns).text == "T"
    # Each part's tooltip: the bar, the series and its value apart ("strong: 3").
    tips = [r.find("s:title", ns).text for r in rects]
    assert tips == ["Cost — strong: 3", "Cost — weak: 1", "<Outside> & co — weak: 2"]
    assert svg == bar_chart([Bar("Cost", (3, 1)), Bar("<Outside> & co", (0, 2))], series, "T", "c1")


def test_a_long_label_is_cut_and_shown_whole_on_hover_and_no_bars_draw_nothing():
    label = "a strategy with a very long name indeed, longer than any chart can show"
    svg = bar_chart([Bar(label, (1,))], [Series("n", "#000")], "T", "c2")
    assert "…" in svg and f"<title>{label}</title>" in svg
    assert bar_chart([], [Series("n", "#000")], "T", "c3") == ""


def test_the_counts_name_the_failures_only_when_there_are_some(summary):
    """ "11 organizations advised; 1 case could not be advised." with a failure; with
    none, no "0 cases could not be advised"."""
    words = load_knowledge().memo["batch"]
    failed = words["failed"]["one"]["en"]
    assert f"; {failed}.</p>" in render_page(summary, load_knowledge(), "en")
    clean = {**summary, "failures": []}
    page = render_page(clean, load_knowledge(), "en")
    assert words["failed"]["other"]["en"].format(n=0) not in page
    advised = words["advised"]["other"]["en"].format(n=len(summary["cases"]))
    assert f"<p>{advised}.</p>" in page
