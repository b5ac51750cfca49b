"""The converter registry: built-in table, lookups, detection and entry-point plugins."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import textwrap

import pytest

import refconv.converters
from conftest import SEED, run_cli
from refconv.converters.core.builtin import BUILTIN_CONVERTERS
from refconv.converters.core.registry import (
    Registry,
    UnknownFormatError,
    default_registry,
    describe_module,
)


def public_modules() -> list[str]:
    """Public modules, and public packages that declare a converter (bibtex)."""
    return sorted(
        f"refconv.converters.{m.name}"
        for m in pkgutil.iter_modules(refconv.converters.__path__)
        if not m.name.startswith("_")
        and (
            not m.ispkg or hasattr(importlib.import_module(f"refconv.converters.{m.name}"), "NAME")
        )
    )


def test_builtin_table_matches_the_modules():
    """The table is a cache of the modules' declarations; it must never drift."""
    assert [info.module for info in BUILTIN_CONVERTERS] == public_modules()
    for info in BUILTIN_CONVERTERS:
        assert info == describe_module(importlib.import_module(info.module)), info.module


def test_names_and_aliases_are_unique():
    seen: dict[str, str] = {}
    for info in BUILTIN_CONVERTERS:
        for name in info.names:
            assert name not in seen, f"{name} used by {seen.get(name)} and {info.name}"
            seen[name] = info.name


def test_lookup_by_name_and_alias_case_insensitive():
    registry = default_registry()
    assert registry.find("CSL_JSON").name == "csl-json"
    assert registry.find("csljson").name == "csl-json"
    assert registry.find("paper").name == "paper-record"


def test_unknown_format_suggests_close_names():
    with pytest.raises(UnknownFormatError) as error:
        default_registry().find("csl-jsn")
    assert "did you mean csl-json" in str(error.value)


def test_write_only_or_read_only_formats_are_refused():
    with pytest.raises(UnknownFormatError, match="it can be read, not written"):
        default_registry().writer("paper-record")


def test_lookup_imports_no_converter_module():
    code = textwrap.dedent(
        """
        import sys
        from refconv.converters.core.registry import default_registry
        registry = default_registry()
        for info in registry.all():
            registry.find(info.name)
        heavy = {"refconv.converters.csl_json", "refconv.converters.paper_record", "msgspec",
                 "bibtexparser", "citeproc", "lxml", "pylatexenc", "rich"}
        print(sorted(heavy & set(sys.modules)))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_detection_by_extension_then_content():
    registry = default_registry()
    seed_head = '{"title": "x", "PeriodicalIF": 1.0, "JCRName": "Y"}\n引用次数: 0'
    csl_head = '[{"id": "a", "type": "book", "issued": {"date-parts": [[2020]]}}]'
    assert registry.detect(seed_head, "a.txt").name == "paper-record"
    assert registry.detect(seed_head, "a.json").name == "paper-record"
    assert registry.detect(csl_head, "a.json").name == "csl-json"
    assert registry.detect(csl_head, None).name == "csl-json"
    assert registry.detect(seed_head, "a.unknown-ext").name == "paper-record"
    assert registry.detect("plain words", None) is None


def test_a_certain_sniff_ends_detection_without_importing_the_other_candidates():
    # .txt names both paper-record and PubMed's MEDLINE; the seed's trailer makes
    # paper-record certain, so the PubMed module is never loaded to sniff it
    code = textwrap.dedent(
        f"""
        import sys
        from refconv.converters.core.registry import default_registry
        head = open({str(SEED)!r}, encoding="utf-8").read()
        print(default_registry().detect(head, "record.txt").name)
        print("refconv.converters.pubmed" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["paper-record", "False"]


PLUGIN = '''
"""Titles, one per line (a test plugin)."""
NAME = "title-lines"
ALIASES = ("tl",)
EXTENSIONS = (".titles",)
DESCRIPTION = "one title per line"
WRITE_OPTIONS = ("upper",)

def sniff(head):
    return 0.0

def read(stream, report):
    for number, line in enumerate(stream, 1):
        if line.strip():
            yield {"type": "document", "title": line.strip()}

def write(items, out, report, upper=False):
    for item in items:
        title = item.get("title", "")
        out.write((title.upper() if upper else title) + "\\n")
'''


@pytest.fixture
def plugin_path(tmp_path):
    (tmp_path / "refconv_title_lines.py").write_text(PLUGIN)
    dist = tmp_path / "refconv_title_lines-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: refconv-title-lines\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[refconv.converters]\ntitle-lines = refconv_title_lines\n"
    )
    return tmp_path


def test_entry_point_plugin_converts_both_ways(plugin_path, tmp_path):
    env = {"PYTHONPATH": str(plugin_path)}
    titles = tmp_path / "in.titles"
    titles.write_text("First paper\nSecond paper\n")
    to_csl = run_cli("convert", str(titles), "-t", "csl-json", "--jsonl", env=env)
    assert to_csl.exit_code == 0, to_csl.stderr
    assert [line.split('"title":')[1] for line in to_csl.stdout.splitlines()] == [
        '"First paper"}',
        '"Second paper"}',
    ]
    back = run_cli(
        "convert", "-f", "csl-json", "-t", "tl", "-O", "upper=true", input=to_csl.stdout, env=env
    )
    assert back.exit_code == 0, back.stderr
    assert back.stdout == "FIRST PAPER\nSECOND PAPER\n"
    listed = run_cli("formats", env=env)
    assert (
        "title-lines\ttl\tread/write\t.titles\tone title per line [plugin: refconv-title-lines]"
        in (listed.stdout)
    )


def test_plugin_registry_without_entry_points():
    registry = Registry(BUILTIN_CONVERTERS, use_entry_points=False)
    assert registry.all() == BUILTIN_CONVERTERS


def test_public_api_names_resolve_lazily():
    assert sorted(refconv.converters.__all__) == sorted(refconv.converters._EXPORTS)
    for name in refconv.converters.__all__:
        assert getattr(refconv.converters, name) is not None
