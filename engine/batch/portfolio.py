"""The portfolio of a batch: one entry per case, the totals over them, the summary page.

``summary.json`` (format ``perencana-batch/1``) holds, in input order, an entry per
advised case (where it came from, the organization, its memo, life-cycle stage,
causes with strength, strategies by rank, program decisions) and per failed case
(where it came from and the messages); the totals say how many organizations show
each cause at each strength, how often each strategy is recommended at each rank,
and which programs to replace. Nothing in it depends on time or on how many
processes ran, so the same inputs give the same bytes.

``summary.html`` is the same portfolio as one standalone page: bar charts
(``batch.charts``) and a sortable table linking each memo, worded from
``knowledge/batch.yaml`` in the chosen language.
"""

import hashlib
import json
import os
import stat
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from markupsafe import Markup

from perencana.engine.batch.charts import Bar, Series, bar_chart
from perencana.engine.case.limits import limit
from perencana.engine.view.editions import DEFAULT_EDITION
from perencana.engine.view.words import clean, in_language

FORMAT = "perencana-batch/1"
STRENGTHS = ("strong", "moderate", "weak")
DECISIONS = ("maintain", "develop", "replace")
TOP = 3  # strategies shown per organization, and the ranks a chart calls "top"
STRENGTH_COLORS = {"strong": "#a40e26", "moderate": "#9a6700", "weak": "#6e7781"}
TOP_COLOR, LOWER_COLOR, REPLACE_COLOR = "#0b4f6c", "#8fb8c9", "#a40e26"
MAX_CHART_BARS = 20
# A memo format a browser does not show (Markdown) gets its HTML memo beside it, of
# the same name, and summary.html links that one (see ``companion``).
BROWSER_COMPANION = {"md": ".html"}


# --------------------------------------------------------------------------- model


def companion(memo, fmt):
    """The name of the HTML memo written beside ``memo`` (of format ``fmt``) for a
    browser, or ``None`` when a browser shows ``fmt`` itself."""
    extension = BROWSER_COMPANION.get(fmt)
    return str(PurePosixPath(memo).with_suffix(extension)) if extension else None


def case_digest(case):
    """A short fingerprint of a normalized case: equal cases, equal digests."""
    text = json.dumps(case, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def case_entry(source, advice, memo, digest):
    """The summary entry of one advised case; ``source`` is ``{"file", "row"}``."""
    strategies = [{"id": s.id, "rank": s.rank} for s in advice.strategies]
    return {
        "source": dict(source),
        "organization": advice.organization,
        "memo": memo,
        "lifecycle": advice.lifecycle,
        "causes": [{"id": c.id, "strength": c.strength} for c in advice.causes],
        "top_strategies": [s["id"] for s in strategies[:TOP]],
        "strategies": strategies,
        "programs": [{"name": p.name, "decision": p.decision} for p in advice.programs],
        "digest": digest,
    }


def failure_entry(source, problems):
    """The summary entry of a case that could not be advised."""
    return {"source": dict(source), "messages": list(problems)}


def totals(entries, knowledge):
    """What the advised cases have in common, counted by organization."""
    causes = {cause: dict.fromkeys((*STRENGTHS, "organizations"), 0) for cause in knowledge.causes}
    strategies = {item: {"recommended": 0, "ranks": {}} for item in knowledge.strategies}
    lifecycle = {stage: 0 for stage in (*knowledge.lifecycle, "unknown")}
    decisions = dict.fromkeys(DECISIONS, 0)
    replace = []
    for entry in entries:
        for cause in entry["causes"]:
            counts = causes.setdefault(cause["id"], dict.fromkeys((*STRENGTHS, "organizations"), 0))
            counts[cause["strength"]] = counts.get(cause["strength"], 0) + 1
            counts["organizations"] += 1
        for strategy in entry["strategies"]:
            counts = strategies.setdefault(strategy["id"], {"recommended": 0, "ranks": {}})
            counts["recommended"] += 1
            rank = str(strategy["rank"])
            counts["ranks"][rank] = counts["ranks"].get(rank, 0) + 1
        lifecycle[entry["lifecycle"]] = lifecycle.get(entry["lifecycle"], 0) + 1
        for program in entry["programs"]:
            decisions[program["decision"]] = decisions.get(program["decision"], 0) + 1
            if program["decision"] == "replace":
                replace.append(
                    {
                        "organization": entry["organization"],
                        "program": program["name"],
                        "memo": entry["memo"],
                    }
                )
    for counts in strategies.values():
        counts["ranks"] = dict(sorted(counts["ranks"].items(), key=lambda item: int(item[0])))
    return {
        "organizations": len(entries),
        "causes": causes,
        "strategies": strategies,
        "lifecycle": lifecycle,
        "decisions": decisions,
        "replace": replace,
    }


def build_summary(
    entries, failures, knowledge, *, fmt, lang, engine, complete, files=(), edition=DEFAULT_EDITION
):
    """The ``summary.json`` object. ``entries`` and ``failures`` are in input order;
    ``files`` are the memo files batches have written in the folder (so that a later
    run can tell them from files of the user's, which it never overwrites)."""
    return {
        "format": FORMAT,
        "memo_format": fmt,
        "lang": lang,
        "edition": edition,
        "engine": engine,
        "complete": complete,
        "cases": list(entries),
        "failures": list(failures),
        "totals": {**totals(entries, knowledge), "failed": len(failures)},
        "files": sorted(set(files)),
    }


def summary_json_text(summary):
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"


def read_summary(path):
    """The summary a batch left at ``path``: ``None`` when there is none, ``False``
    when the file is there but is no batch summary (it is then not perencana's)."""
    most = limit("summary_bytes")
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a FIFO, a device (a link to /dev/zero): never read
        with open(path, "rb") as handle:
            raw = handle.read(most + 1)
        if len(raw) > most:
            return False
        summary = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(summary, dict) or summary.get("format") != FORMAT:
        return False
    return summary


# ---------------------------------------------------------------------------- page

SUMMARY_HTML = "summary.html"


def page_view(summary, knowledge, lang):
    """Everything ``templates/summary.html.j2`` shows, worded in ``lang``."""
    words = _words(knowledge.memo["batch"], lang)
    strength = {key: in_language(knowledge.memo["strength"][key], lang) for key in STRENGTHS}
    cases = summary["cases"]
    total = summary["totals"]
    fmt = summary.get("memo_format")
    rows = [
        _row(position, entry, knowledge, lang, strength, fmt)
        for position, entry in enumerate(cases, start=1)
    ]
    return {
        "lang": lang,
        "words": words,
        "complete": summary["complete"],
        "counts": words["counts" if summary["failures"] else "counts_all"].format(
            advised=_counted(words["advised"], len(cases)),
            failed=_counted(words["failed"], len(summary["failures"])),
        ),
        "charts": {
            "causes": _causes_chart(total, knowledge, lang, words, strength),
            "strategies": _strategies_chart(total, knowledge, lang, words),
            "replace": _replace_chart(total, words),
        },
        "replace": [
            {
                "organization": clean(item["organization"]),
                "program": clean(item["program"]),
                "href": _href(item["memo"], fmt),
            }
            for item in total["replace"]
        ],
        "rows": rows,
        "failures": [
            {
                "source": _source_label(item["source"]),
                "messages": [clean(m) for m in item["messages"]],
            }
            for item in summary["failures"]
        ],
    }


def report_line(result, knowledge, lang):
    """The line ``perencana batch`` prints at its end, worded in ``lang``: what this
    run wrote, skipped and failed, and where the summary page is."""
    words = _words(knowledge.memo["batch"], lang)
    return words["report"].format(
        written=_counted(words["written"], result.written),
        skipped=result.skipped,
        failed=result.failed,
        summary=Path(result.outdir, SUMMARY_HTML),
    )


def render_page(summary, knowledge, lang):
    """``summary.html``: the portfolio as one standalone, autoescaped page."""
    from perencana.engine.memo.templating import render_template

    return render_template("summary.html.j2", page_view(summary, knowledge, lang))


def _counted(forms, number):
    """``number`` in the words of ``forms`` (``one``, ``other``): "1 case", "2 cases"."""
    return forms["one" if number == 1 else "other"].format(n=number)


def _words(group, lang):
    out = {}
    for key, value in group.items():
        if isinstance(value, dict) and not set(value) <= {"en", "id"}:
            out[key] = {name: in_language(text, lang) for name, text in value.items()}
        else:
            out[key] = in_language(value, lang)
    return out


def _title(knowledge, kind, key, lang):
    item = getattr(knowledge, kind).get(key)
    return in_language(item.get("title"), lang) if item else key


def _row(position, entry, knowledge, lang, strength, fmt):
    causes = [
        {
            "title": _title(knowledge, "causes", cause["id"], lang),
            "strength": cause["strength"],
            "label": strength.get(cause["strength"], cause["strength"]),
        }
        for cause in entry["causes"]
    ]
    weight = {"strong": 100, "moderate": 10, "weak": 1}
    replace = [clean(p["name"]) for p in entry["programs"] if p["decision"] == "replace"]
    stages = list(knowledge.lifecycle)
    return {
        "position": position,
        "organization": clean(entry["organization"]),
        "href": _href(entry["memo"], fmt),
        "memo": entry["memo"],
        "memo_href": _href(entry["memo"]),
        "lifecycle": _title(knowledge, "lifecycle", entry["lifecycle"], lang)
        if entry["lifecycle"] in knowledge.lifecycle
        else in_language(knowledge.memo["batch"]["undetermined"], lang),
        "lifecycle_key": stages.index(entry["lifecycle"]) + 1
        if entry["lifecycle"] in stages
        else 0,
        "causes": causes,
        "causes_key": sum(weight.get(c["strength"], 0) for c in entry["causes"]),
        "strategies": [_title(knowledge, "strategies", s, lang) for s in entry["top_strategies"]],
        "replace": replace,
        "source": _source_label(entry["source"]),
    }


def _causes_chart(total, knowledge, lang, words, strength):
    bars = [
        Bar(_title(knowledge, "causes", cause, lang), tuple(counts[s] for s in STRENGTHS))
        for cause, counts in total["causes"].items()
    ]
    series = [Series(strength[s], STRENGTH_COLORS[s]) for s in STRENGTHS]
    if not any(sum(bar.values) for bar in bars):
        return ""
    return Markup(bar_chart(bars, series, words["headings"]["causes"], "chart-causes"))


def _strategies_chart(total, knowledge, lang, words):
    rows = []
    for strategy, counts in total["strategies"].items():
        top = sum(n for rank, n in counts["ranks"].items() if int(rank) <= TOP)
        if counts["recommended"]:
            rows.append((-counts["recommended"], -top, strategy, top, counts["recommended"] - top))
    rows.sort()
    bars = [
        Bar(_title(knowledge, "strategies", strategy, lang), (top, lower))
        for _, _, strategy, top, lower in rows[:MAX_CHART_BARS]
    ]
    series = [
        Series(words["series"]["top"], TOP_COLOR),
        Series(words["series"]["lower"], LOWER_COLOR),
    ]
    return Markup(bar_chart(bars, series, words["headings"]["strategies"], "chart-strategies"))


def _replace_chart(total, words):
    organizations = {}
    for item in total["replace"]:
        name = " ".join(clean(item["program"]).split())
        organizations.setdefault(name, set()).add(item["memo"])
    ranked = sorted(organizations.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    bars = [Bar(name, (len(memos),)) for name, memos in ranked[:MAX_CHART_BARS]]
    series = [Series(words["series"]["replace"], REPLACE_COLOR)]
    return Markup(bar_chart(bars, series, words["headings"]["replace"], "chart-replace"))


def _href(memo, fmt=None):
    """The link to ``memo``: to its HTML companion when it has one (``companion``)."""
    return quote(companion(memo, fmt) or memo)


def _source_label(source):
    return source["file"] if source.get("row") is None else f"{source['file']}:{source['row']}"
