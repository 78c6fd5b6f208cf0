"""Every memo format keeps its bytes while perencana is made faster.

The digests in ``tests/data/memo-digests.json`` were recorded before the speed work
(issue 16): the memos (md, html, text, json; English and Indonesian) of every example,
as ``perencana advise`` prints them, and of the first generated cases that are valid,
as the library renders them. A faster start-up, case loader, JSON writer or picture
layout must leave each of them byte for byte as it was.
To accept a deliberate change of the memos, run
``PERENCANA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_memo_bytes.py``.
"""

import hashlib
import json
import os

import pytest

from tests.generated_cases import varied_case
from tests.helpers import EXAMPLE_CASES, ROOT, indonesian_case, invoke

DIGESTS = ROOT / "tests" / "data" / "memo-digests.json"
FORMATS = ("md", "html", "text", "json")
LANGS = ("en", "id")
GENERATED = 30


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def example_digests():
    found = {}
    for case in EXAMPLE_CASES:
        for lang in LANGS:
            source = indonesian_case(case) if lang == "id" else case
            for fmt in FORMATS:
                result = invoke("advise", source, "--format", fmt, "--lang", lang)
                assert result.returncode == 0, result.stderr
                found[f"example {case.stem} {lang} {fmt}"] = digest(result.stdout)
    return found


def generated_digests(advisor):
    from perencana.engine.api import render_advice
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import normalize_case, validate_case

    found, number = {}, 0
    while len(found) < GENERATED * len(LANGS) * len(FORMATS):
        raw = varied_case(number, field_specs())
        if not validate_case(raw):
            advice = advisor.advise(normalize_case(raw))
            for lang in LANGS:
                for fmt in FORMATS:
                    text = render_advice(advice, fmt, lang)
                    found[f"generated {number} {lang} {fmt}"] = digest(text)
        number += 1
    return found


def test_every_memo_keeps_its_bytes(advisor):
    found = {**example_digests(), **generated_digests(advisor)}
    if os.environ.get("PERENCANA_UPDATE_GOLDEN"):
        DIGESTS.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert sorted(found) == sorted(recorded), "the recorded memos are not the ones rendered"
    changed = [key for key in recorded if recorded[key] != found[key]]
    assert not changed, f"{len(changed)} memos changed, e.g. {changed[:10]}"


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
