"""The syntax stage (converters/bibtex/syntax.py): blocks, @string values, inheritance.

The splitter reads a plain well-formed block with regular expressions and leaves the
rest to bibtexparser; the tests below hold each short cut to what the general code
gives on the same input.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from refconv.converters.bibtex import syntax
from refconv.converters.bibtex.syntax import MacroTable, _fast_block, evaluate


@pytest.mark.parametrize("raw", ["jan", "Jan", "foo", "undefinedmacro", "x1"])
def test_bare_macro_as_a_one_piece_expression(raw: str) -> None:
    macros = MacroTable()
    macros.values["foo"] = "FOO"
    fast_problems: list[str] = []
    general_problems: list[str] = []
    fast = evaluate(raw, macros, fast_problems)
    general = evaluate(f"{raw} # {{}}", macros, general_problems)
    assert (fast, fast_problems) == (general, general_problems)


ENTRIES = [
    "@article{k1,\n  author = {Smith, Anna},\n  title = {A {B} c},\n  year = 2020,\n"
    "  month = jan\n}\n",
    '@misc{k2, title = "quoted", note = {deep {a {b {c {d {e {f}}}}}}},}\n',
    "@book{k3,\n  title = {mail me @ home},\n  publisher = {x@y}\n}\n",
    "@article{k4, title={no space}, pages = {12--34} ,year=1999}\n",
]


@pytest.mark.parametrize("text", ENTRIES)
def test_field_expression_as_the_step_by_step_reading(text: str, monkeypatch) -> None:
    fast = _fast_block(text, 0, len(text), 1)
    monkeypatch.setattr(syntax, "_FAST_FIELD", re.compile(r"(?!)"))
    general = _fast_block(text, 0, len(text), 1)
    assert fast == general
    assert fast is not None and fast.entry is not None and fast.entry.fields


# the packages .ci/run installs that ship .bib files: real files of every shape
TEXLIVE_PACKAGES = ("texlive-base", "texlive-bibtex-extra", "biber")


def _texlive_bib_files() -> list[Path]:
    if shutil.which("dpkg") is None:
        return []
    listed = subprocess.run(
        ["dpkg", "-L", *TEXLIVE_PACKAGES], capture_output=True, text=True, check=False
    ).stdout
    return sorted({Path(line) for line in listed.splitlines() if line.endswith(".bib")})


def _general_blocks(text: str, start: int, end: int, line: int) -> list[syntax.Block]:
    blocks = syntax._bibtexparser_blocks(text[start:end])
    for block in blocks:
        block.line += line - 1
        if block.entry is not None:
            block.entry.line = block.line
    return blocks


def _reads_differently(block: syntax.Block) -> bool:
    """The blocks the fast path reads otherwise than bibtexparser's splitter, knowingly:
    a quote inside braces in a quoted value is text to BibTeX (bibtexparser ends the
    value there), and bibtexparser takes any type starting "comment" (@commented) for
    a comment, which the fast path reads as an entry."""
    entry = block.entry
    if entry is None:
        return False
    values = entry.fields[1::2]
    return entry.type.lower().startswith("comment") or any(
        value.startswith('"') and '"' in value[1:-1] for value in values
    )


@pytest.mark.skipif(not _texlive_bib_files(), reason="needs the TeX Live .bib files (dpkg)")
def test_every_block_the_fast_path_reads_in_texlive_files_reads_the_same_in_bibtexparser() -> None:
    fast_blocks = 0
    for path in _texlive_bib_files():
        text = syntax._blank_comment_lines(path.read_text(encoding="utf-8", errors="replace"))
        starts = list(syntax._line_start_blocks(text))
        bounds = [0, *starts, len(text)] if not starts or starts[0] != 0 else [*starts, len(text)]
        line = 1
        for start, end in itertools.pairwise(bounds):
            block = (
                syntax._fast_block(text, start, end, line) if text.startswith("@", start) else None
            )
            if block is not None:
                fast_blocks += 1
                assert syntax._stretch_blocks(text, start, end, line) == [block]
                if _reads_differently(block):
                    continue
                # bibtexparser lower-cases the entry type (as the reader does anyway)
                if block.entry is not None:
                    block.entry.type = block.entry.type.lower()
                assert [block] == _general_blocks(text, start, end, line), (path, line)
            line += text.count("\n", start, end)
    assert fast_blocks > 1000  # the fast path reads most blocks of real files
