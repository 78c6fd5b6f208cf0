"""Editors check case files against the schema: each example names it in a
``yaml-language-server`` modeline, and a stock JSON Schema tool (check-jsonschema)
accepts the examples and refuses a broken case, as perencana does."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_CASES, ROOT, invoke

MODELINE = "# yaml-language-server: $schema=../engine/case/case_schema.json"


def check_jsonschema():
    found = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    if not Path(found).exists():
        pytest.skip("check-jsonschema is not installed (it is in the test extra)")
    return found


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.name)
def test_each_example_names_the_schema_on_its_first_line(case):
    first = case.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    assert (
        case.parent / first.split("$schema=")[1]
    ).resolve() == ROOT / "engine/case/case_schema.json"


def test_check_jsonschema_accepts_every_example():
    done = subprocess.run(
        [
            check_jsonschema(),
            "--schemafile",
            "engine/case/case_schema.json",
            *map(str, EXAMPLE_CASES),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_printed_schema_catches_what_perencana_catches(tmp_path):
    schema = tmp_path / "case.schema.json"
    schema.write_text(invoke("schema").stdout)
    assert json.loads(schema.read_text())["$id"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "organization: {name: X, age_years: 3}\n"
        "change: {summary: s, propsed_by: external}\nfunding: {funds_for_change: nothing}\n"
    )
    done = subprocess.run(
        [check_jsonschema(), "--schemafile", str(schema), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "propsed_by" in done.stdout + done.stderr
    assert invoke("validate", bad).returncode == 1
