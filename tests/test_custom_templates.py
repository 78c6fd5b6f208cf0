"""``perencana advise --template-dir DIR``: a consultant's own memo templates, taken
from DIR when named like the shipped ones, rendered sandboxed."""

import pytest

from perencana.engine.errors import TemplateError
from perencana.engine.memo.custom_templates import custom_template
from tests.helpers import EXAMPLES, ROOT, invoke

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"
LETTERHEAD = ROOT / "tests" / "data" / "letterhead"


def test_an_indonesian_memo_on_the_consultants_letterhead():
    result = invoke("advise", OLD_OFFICE, "--lang", "id", "--template-dir", LETTERHEAD)
    assert result.returncode == 0, result.stderr
    memo = result.stdout
    assert memo.startswith("**KONSULTAN PERENCANAAN SOSIAL NUSANTARA**\n")
    assert "# Memo Rekomendasi: Dinas Sosial Kabupaten Lembah Hijau" in memo
    assert (
        "## Intisari" in memo and "## Strategi yang disarankan, menurut tahap dan peringkat" in memo
    )
    assert "Advisory memo" not in memo and "Bottom line" not in memo
    ranks = [line.split(".")[0] for line in memo.splitlines() if line[:1].isdigit()]
    assert ranks == [str(n) for n in range(1, len(ranks) + 1)] and len(ranks) > 3
    assert "**Perubahan bertahap**" in memo
    assert memo.rstrip().endswith(
        "*Disiapkan dengan perencana untuk Dinas Sosial Kabupaten Lembah Hijau.*"
    )


def test_formats_without_a_custom_template_use_the_shipped_one():
    shipped = invoke("advise", OLD_OFFICE, "--format", "text", "--lang", "id")
    custom = invoke("advise", OLD_OFFICE, "--format", "text", "--lang", "id",
                    "--template-dir", LETTERHEAD)  # fmt: skip
    assert custom.returncode == 0, custom.stderr
    assert custom.stdout == shipped.stdout and shipped.stdout.startswith("Memo Rekomendasi: ")
    assert custom_template(LETTERHEAD, "text") is None
    assert custom_template(LETTERHEAD, "md") == LETTERHEAD / "memo.md.j2"


def test_a_custom_html_template_is_autoescaped(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        "organization: {name: '<script>x</script>', age_years: 3}\n"
        "change: {summary: s, proposed_by: internal}\nfunding: {funds_for_change: none}\n"
    )
    result = invoke("advise", case, "--format", "html", "--template-dir", LETTERHEAD)
    assert result.returncode == 0, result.stderr
    assert "KONSULTAN PERENCANAAN SOSIAL NUSANTARA" in result.stdout
    assert "<script>" not in result.stdout and "&lt;script&gt;" in result.stdout


def write_template(tmp_path, text, name="memo.md.j2"):
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize(
    ("source", "line", "problem"),
    [
        ("fine\n{% if %}\n", 2, "Expected an expression"),
        ("fine\n\n{{ nowhere.here }}\n", 3, "'nowhere' is undefined"),
        ("{% for s in strategies %}\n{{ s.no_such_key }}\n{% endfor %}", 2, "no_such_key"),
        ("{{ header.title|no_filter }}", 1, "No filter named 'no_filter'"),
    ],
)
def test_a_broken_template_names_the_template_line_and_problem(tmp_path, source, line, problem):
    folder = write_template(tmp_path, source)
    result = invoke("advise", OLD_OFFICE, "--template-dir", folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: template {folder / 'memo.md.j2'}, line {line}: ")
    assert problem in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ header.__class__.__init__.__globals__ }}",
        "{{ labels.items.__self__.__class__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_an_unsafe_template_is_refused(tmp_path, source):
    folder = write_template(tmp_path, "memo\n" + source)
    result = invoke("advise", OLD_OFFICE, "--template-dir", folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "refused as unsafe" in result.stderr or "is undefined" in result.stderr
    assert "<class" not in result.stdout and "object" not in result.stdout
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("{{ 'x' * 10**10 }}", "more than 100,000 items"),
        ("{{ [0] * 200000 }}", "more than 100,000 items"),
        ("{{ 9 ** 999999 }}", "more than 1,000 digits"),
    ],
)
def test_a_template_cannot_make_a_memory_bomb(tmp_path, source, problem):
    folder = write_template(tmp_path, source)
    result = invoke("advise", OLD_OFFICE, "--template-dir", folder)
    assert result.returncode == 1
    assert "refused as unsafe" in result.stderr and problem in result.stderr
    assert result.stdout == ""


def test_a_template_that_includes_itself_is_an_error(tmp_path):
    folder = write_template(tmp_path, '{% include "memo.md.j2" %}')
    result = invoke("advise", OLD_OFFICE, "--template-dir", folder)
    assert result.returncode == 1
    assert "includes or extends itself" in result.stderr


def test_a_template_may_include_its_neighbours(tmp_path):
    folder = write_template(tmp_path, "{% include 'head.md.j2' %}{{ header.organization }}\n")
    (folder / "head.md.j2").write_text("HEAD: ")
    result = invoke("advise", OLD_OFFICE, "--template-dir", folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "HEAD: Dinas Sosial Kabupaten Lembah Hijau\n"


def test_a_folder_without_any_memo_template_is_an_error(tmp_path):
    result = invoke("advise", OLD_OFFICE, "--template-dir", tmp_path)
    assert result.returncode == 1
    assert "holds no memo template" in result.stderr
    with pytest.raises(TemplateError):
        custom_template(tmp_path / "nowhere", "md")


def test_a_missing_template_folder_is_a_usage_error(tmp_path):
    result = invoke("advise", OLD_OFFICE, "--template-dir", tmp_path / "nowhere")
    assert result.returncode == 2


def test_a_custom_template_reads_the_view_by_attribute_or_by_key_alike(tmp_path):
    source = (
        "{{ labels.title }}|{{ labels['title'] }}|{{ header.organization }}|"
        "{{ strategies[0].title == strategies[0]['title'] }}|"
        "{{ strategies[0].items is defined }}|{{ labels._title is defined }}\n"
    )
    folder = write_template(tmp_path, source)
    result = invoke("advise", OLD_OFFICE, "--template-dir", folder)
    assert result.returncode == 0, result.stderr
    by_attribute, by_key, organization, same, method, hidden = result.stdout.strip().split("|")
    assert by_attribute == by_key != ""
    assert organization == "Dinas Sosial Kabupaten Lembah Hijau"
    assert (same, method, hidden) == ("True", "True", "False")
