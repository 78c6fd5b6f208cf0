"""The advice JSON of 200 generated cases keeps its bytes.

The digests in ``tests/data/advice-digests.json`` were recorded before the path from
facts to words was rebuilt (structured fact references instead of engine text), so
this test holds every later change of that path to the ``perencana-advice/1`` bytes.
An invalid generated case is recorded by its error messages instead. The cases leave
out the fields added after the digests were recorded (``LATER_FIELDS``), so a case
without them is held to the advice it had before they existed.
To accept a deliberate change of the advice, run
``PERENCANA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_advice.py``.
"""

import hashlib
import json
import os

import pytest

from tests.generated_cases import varied_case
from tests.helpers import ROOT

DIGESTS = ROOT / "tests" / "data" / "advice-digests.json"
COUNT = 200


def advice_digest(advisor, number):
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import normalize_case, validate_case
    from perencana.engine.errors import PerencanaError
    from perencana.engine.view.advice_json import advice_json_text

    raw = varied_case(number, field_specs(), later=False)
    problems = validate_case(raw)
    if problems:
        text = json.dumps([str(p) for p in problems], ensure_ascii=False)
    else:
        try:
            text = advice_json_text(advisor.advise(normalize_case(raw)))
        except PerencanaError as error:
            text = json.dumps(error.messages(), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_generated_advice_keeps_its_bytes(advisor):
    found = {str(number): advice_digest(advisor, number) for number in range(COUNT)}
    if os.environ.get("PERENCANA_UPDATE_GOLDEN"):
        DIGESTS.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    changed = sorted((k for k in recorded if recorded[k] != found.get(k)), key=int)
    assert not changed, f"advice changed for generated cases {changed[:20]}"
    assert len(recorded) == COUNT


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
