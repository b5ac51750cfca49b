"""What Zotero's own importer makes of refconv's RIS, BibTeX, biblatex and CSL-JSON.

Writes tests/fixtures/zotero/corpus.json in each format, imports every file with
../shared/tools/zotero-import (Zotero's RIS.js, BibTeX.js and CSL JSON.js) and prints,
per primary field and format, the share of items whose value arrived equal to the source
(mapped to Zotero fields as zotero-schema's CSL mapping does). ``--diff FORMAT`` lists
the differences of one format.

    .venv/bin/python bench/zotero_interop.py [--diff RIS]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import zotero_support


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diff", action="append", default=[], help="list a format's differences")
    args = parser.parse_args()
    reason = zotero_support.missing_tool_reason()
    if reason:
        print(f"zotero_interop: {reason}", file=sys.stderr)
        return 2
    items = zotero_support.load_corpus()
    tallies = zotero_support.run_corpus(items)
    print(f"{len(items)} items of {zotero_support.CORPUS.relative_to(zotero_support.ROOT)}\n")
    print(zotero_support.table(tallies))
    for label in args.diff:
        print(f"\n{label}: differences")
        for item_id, primary, want, got in tallies[label].differences:
            print(f"  {item_id} {primary}: want {want!r} got {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
