"""`-o FILE` chooses the output format by the file's extension unless `--to` names one (#18)."""

from __future__ import annotations

import json

import pytest

from conftest import SEED, run_cli
from refconv.converters.core.builtin import BUILTIN_CONVERTERS
from refconv.converters.core.converter_info import ConverterInfo
from refconv.converters.core.registry import AmbiguousExtensionError, Registry, default_registry


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("refs.bib", "@article{liu2025exosome,\n"),
        ("REFS.BIB", "@article{liu2025exosome,\n"),
        ("refs.bibtex", "@article{liu2025exosome,\n"),
        ("refs.ris", "TY  - JOUR\r\n"),
        ("items.json", '[\n  {\n    "id": "liu2025exosome",'),
        ("items.jsonl", '{"id":"liu2025exosome",'),
        ("refs.txt", "Liu, H., Wang, G., Li, Z."),
        ("refs.html", '<div class="csl-bib-body">\n'),
        ("refs.md", "Liu, H., Wang, G., Li, Z."),
        ("refs.rst", "Liu, H., Wang, G., Li, Z."),
    ],
)
def test_the_output_extension_names_the_format(tmp_path, name, start):
    out = tmp_path / name
    result = run_cli("convert", str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_bytes().decode("utf-8")
    assert text.startswith(start)
    if name.endswith(".jsonl"):
        assert text.count("\n") == 1 and json.loads(text)["id"] == "liu2025exosome"


def test_markup_follows_the_extension_unless_given(tmp_path):
    def written(name: str, *flags: str) -> str:
        out = tmp_path / name
        assert run_cli("convert", str(SEED), "-o", str(out), *flags).exit_code == 0
        return out.read_text(encoding="utf-8")

    # the journal title is italic: *...* in Markdown and reStructuredText, bare in text
    plain = written("a.txt")
    assert "Clinical and Experimental Medicine, 25(1), 127." in plain
    assert "*Clinical and Experimental Medicine*, *25*(1), 127." in written("a.md")
    assert "*Clinical and Experimental Medicine*, *25*\\ (1), 127." in written("a.rst")
    assert written("b.md", "--markup", "text") == plain  # a flag beats the file name
    assert written("c.md", "-O", "markup=text") == plain


def test_to_always_wins(tmp_path):
    out = tmp_path / "refs.bib"
    result = run_cli("convert", str(SEED), "-o", str(out), "-t", "csl-json", "--verbose")
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))[0]["id"] == "liu2025exosome"
    assert "extension" not in result.stderr
    html = tmp_path / "refs.html"
    assert run_cli("convert", str(SEED), "-o", str(html), "-t", "citation").exit_code == 0
    assert not html.read_text(encoding="utf-8").startswith("<")  # --to given: no implied markup
    biblatex = run_cli("convert", str(SEED), "-o", str(out), "-t", "biblatex")
    assert biblatex.exit_code == 0
    assert "journaltitle = {" in out.read_text(encoding="utf-8")


def test_an_extension_that_names_no_format_keeps_the_default(tmp_path):
    for name in ("refs.xml", "refs", "refs.bib.gz"):
        out = tmp_path / name
        result = run_cli("convert", str(SEED), "-o", str(out), "-v")
        assert result.exit_code == 0, result.stderr
        assert json.loads(out.read_text(encoding="utf-8"))[0]["id"] == "liu2025exosome"
    assert f"refconv: {out}: writing csl-json, the default (.gz names no output format" in (
        result.stderr
    )


def test_verbose_says_which_format_the_extension_chose(tmp_path):
    out = tmp_path / "refs.html"
    result = run_cli("convert", str(SEED), "-o", str(out), "--verbose")
    assert result.exit_code == 0, result.stderr
    assert (
        f"refconv: {out}: writing citation (markup=html), as the extension .html says "
        "(--to chooses another format)\n"
    ) in result.stderr
    quiet = run_cli("convert", str(SEED), "-o", str(tmp_path / "refs.html"))
    assert quiet.stderr == ""  # said only with --verbose


def test_a_flag_for_another_writer_names_the_extension_that_chose(tmp_path):
    out = tmp_path / "refs.bib"
    result = run_cli("convert", str(SEED), "-o", str(out), "--jsonl")
    assert result.exit_code == 2
    assert result.stderr == (
        "refconv: error: option --jsonl does not apply to bibtex (it takes: --ascii/--no-ascii) "
        f"(bibtex, as the extension of {out} says; --to chooses another format)\n"
    )
    assert not out.exists()


def test_bib_goes_to_the_writer_it_names():
    chosen = default_registry().writer_for_path("refs.bib")
    assert chosen is not None and chosen[0].name == "bibtex" and chosen[1] == ".bib"
    assert [i.name for i in BUILTIN_CONVERTERS if i.can_write and ".bib" in i.extensions] == [
        "biblatex",
        "bibtex",
    ]
    assert default_registry().writer_for_path("notes.xml") is None
    assert default_registry().writer_for_path("/dev/stdout") is None


def test_an_extension_two_writers_claim_alike_is_ambiguous():
    def writer(name: str) -> ConverterInfo:
        return ConverterInfo(name, f"x.{name}", extensions=(".refs",), can_write=True)

    registry = Registry((writer("one"), writer("two")), use_entry_points=False)
    with pytest.raises(AmbiguousExtensionError, match=r"\.refs is the extension of one and two"):
        registry.writer_for_path("out.refs")
    named = Registry((writer("one"), writer("refs")), use_entry_points=False)
    assert named.writer_for_path("out.refs")[0].name == "refs"


PLUGIN = '''
"""Titles, one per line (a test plugin)."""
NAME = "{name}"
EXTENSIONS = (".titles",)

def write(items, out, report):
    for item in items:
        out.write(item.get("title", "") + "\\n")
'''


def test_an_ambiguous_extension_is_a_usage_error(tmp_path):
    dist = tmp_path / "refconv_titles-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: refconv-titles\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[refconv.converters]\nfirst = refconv_titles_first\nsecond = refconv_titles_second\n"
    )
    for name in ("first", "second"):
        (tmp_path / f"refconv_titles_{name}.py").write_text(PLUGIN.replace("{name}", name))
    env = {"PYTHONPATH": str(tmp_path)}
    out = tmp_path / "out.titles"
    result = run_cli("convert", str(SEED), "-o", str(out), env=env)
    assert result.exit_code == 2
    assert result.stderr == (
        f"refconv: error: {out}: .titles is the extension of first and second; "
        "name the output format with --to\n"
    )
    assert not out.exists()
    chosen = run_cli("convert", str(SEED), "-o", str(out), "-t", "second", env=env)
    assert chosen.exit_code == 0, chosen.stderr
    assert out.read_text() == "Exosome-based immunotherapy in hepatocellular carcinoma\n"


def test_top_level_help_keeps_each_example_on_its_own_line():
    lines = [line.strip() for line in run_cli("--help").stdout.splitlines()]
    from refconv.cli.main import EXAMPLES

    examples = [line.strip() for line in EXAMPLES.splitlines() if line.startswith("  refconv")]
    examples += [line.strip() for line in EXAMPLES.splitlines() if "| refconv" in line]
    assert len(examples) == 5
    for example in examples:
        assert example in lines, example
    convert = [line.strip() for line in run_cli("convert", "--help").stdout.splitlines()]
    for example in examples:
        assert example in convert, example
