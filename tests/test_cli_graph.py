"""``perencana graph`` as a user meets it: output, exit codes, files, languages (in
this process), and the same bytes in every process whatever the hash seed."""

import xml.etree.ElementTree as ET

import pydot

from tests.helpers import EXAMPLES, invoke, run_perencana

OFFICE = EXAMPLES / "old-government-office.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def test_whole_network_as_dot_by_default():
    result = invoke("graph")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("digraph reasoning {")
    assert 'class="neutral' in result.stdout and 'class="fired' not in result.stdout
    (parsed,) = pydot.graph_from_dot_data(result.stdout)
    assert len(parsed.get_edges()) > 50


def test_a_case_highlights_its_fired_paths():
    result = invoke("graph", OFFICE)
    assert result.returncode == 0, result.stderr
    assert 'class="fired strategy"' in result.stdout
    assert 'class="idle strategy"' in result.stdout
    assert "Dinas Sosial Kabupaten Lembah Hijau" in result.stdout


def test_svg_of_a_case_from_standard_input():
    result = invoke("graph", "-", "--format", "svg", stdin=OFFICE.read_text())
    assert result.returncode == 0, result.stderr
    root = ET.fromstring(result.stdout)
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    assert "Change step by step" in result.stdout


def test_mermaid_in_indonesian():
    result = invoke("graph", OFFICE, "--format", "mermaid", "--lang", "id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("flowchart LR\n")
    assert "Perubahan bertahap" in result.stdout and "Fakta kasus" in result.stdout
    assert "Change step by step" not in result.stdout
    english = invoke("graph", OFFICE, "--format", "mermaid")
    assert "Change step by step" in english.stdout


def test_language_from_the_environment():
    result = invoke("graph", "--format", "svg", env={"PERENCANA_LANG": "id"})
    assert result.returncode == 0, result.stderr
    assert "Jaringan penalaran sistem pakar Perencana" in result.stdout


def test_output_is_the_same_in_every_process():
    runs = [
        run_perencana("graph", OFFICE, "--format", fmt, env={"PYTHONHASHSEED": seed}).stdout
        for fmt in ("svg", "dot", "mermaid")
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] and runs[2] == runs[3] and runs[4] == runs[5]
    assert all(runs)


def test_output_file_is_never_overwritten_without_force(tmp_path):
    picture = tmp_path / "reasoning.svg"
    first = invoke("graph", OFFICE, "--format", "svg", "-o", picture)
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    ET.parse(picture)
    picture.write_text("the planner's drawing")
    second = invoke("graph", OFFICE, "--format", "svg", "-o", picture)
    assert second.returncode == 1
    assert f"{picture}: already exists; use --force to overwrite it" in second.stderr
    assert picture.read_text() == "the planner's drawing"
    forced = invoke("graph", "-o", picture, "--force")
    assert forced.returncode == 0, forced.stderr
    # the file's name says SVG: the whole network as a picture, not DOT
    assert picture.read_text().startswith("<svg")
    assert "the planner's drawing" not in picture.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["reasoning.svg"]


def test_a_bad_case_is_an_error_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: [1, 2]\n")
    picture = tmp_path / "out.dot"
    result = invoke("graph", bad, "-o", picture)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert not picture.exists()


def test_missing_case_file_is_an_error():
    result = invoke("graph", EXAMPLES / "no-such-case.yaml")
    assert result.returncode != 0
    assert "no-such-case.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_format_is_a_usage_error():
    result = invoke("graph", "--format", "png")
    assert result.returncode == 2
    assert "png" in result.stderr


def test_help_has_an_example():
    result = invoke("graph", "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout and "perencana graph" in result.stdout
