"""Semantic Scholar and OpenAlex readers: records per second against a bare JSON parse.

    python bench/bench_s2_openalex.py [--n 20000] [--repeat 3]

Generates N Semantic Scholar papers and N OpenAlex works (seeded; 1-15 authors,
one in 25 with 60-100, particles and non-ASCII names, abstracts of 80-250 words,
OpenAlex's inverted-index abstracts, concepts, locations and reference lists as
the API returns them), then times in this process, best of --repeat runs:

* bare parse: decoding every line with msgspec (what the readers decode JSON
  Lines with) and with the standard library's json, and ``json.loads`` of the
  whole response for the array layouts;
* read: the reader turning the same text into CSL items (``read()``);
* convert: read, citation keys and CSL-JSON written (``refconv.converters.convert``).

Both JSON Lines (bulk dataset / snapshot lines) and one pretty-printed response
(``{"data": [...]}`` / ``{"results": [...]}``) are measured, on one core (the CLI
reads large JSON Lines on every core). Prints records per second of CPU time and
how many times longer than the bare parse each step takes.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time
from collections.abc import Callable

from _records import SYLLABLES, TEXT_WORDS

GIVEN = (
    "Hong GuoWei Maria Jan Ludwig Zoë Jean-Paul Wei Anna Olga Kenji Ahmed Łukasz Sofía "
    "K. A. J. R. M. Stéfan María-José"
).split()
PARTICLES = ["", "", "", "", "", "van ", "de ", "von ", "van der ", "da "]
JOURNALS = ["Nature", "The Lancet", "Physical Review Letters", "PLOS ONE", "中华肝脏病杂志"]
S2_TYPES = [["JournalArticle"], ["Review", "JournalArticle"], ["Conference"], ["BookSection"], []]
OA_TYPES = ["article", "article", "article", "review", "book-chapter", "preprint", "dissertation"]


def _family(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()


def _name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(PARTICLES)}{_family(rng)}"


def _author_count(rng: random.Random) -> int:
    return rng.randint(60, 100) if rng.random() < 0.04 else rng.randint(1, 15)


def _words(rng: random.Random, low: int, high: int) -> list[str]:
    return [rng.choice(TEXT_WORDS) for _ in range(rng.randint(low, high))]


def s2_paper(rng: random.Random, index: int) -> dict:
    year = rng.randint(1990, 2025)
    return {
        "paperId": f"{index:040x}",
        "externalIds": {
            "DOI": f"10.{rng.randint(1000, 9999)}/bench.{index}",
            "PubMed": str(10_000_000 + index) if rng.random() < 0.5 else None,
            "MAG": str(2_000_000_000 + index),
            "CorpusId": 100_000_000 + index,
        },
        "corpusId": 100_000_000 + index,
        "url": f"https://www.semanticscholar.org/paper/{index:040x}",
        "title": " ".join(_words(rng, 5, 14)).capitalize() + ".",
        "abstract": " ".join(_words(rng, 80, 250)) + ".",
        "venue": rng.choice(JOURNALS),
        "year": year,
        "referenceCount": rng.randint(0, 120),
        "citationCount": rng.randint(0, 5000),
        "influentialCitationCount": rng.randint(0, 50),
        "isOpenAccess": rng.random() < 0.4,
        "openAccessPdf": {"url": f"https://example.org/{index}.pdf", "status": "GREEN"},
        "fieldsOfStudy": ["Medicine", "Biology"][: rng.randint(0, 2)],
        "s2FieldsOfStudy": [{"category": "Medicine", "source": "external"}],
        "publicationTypes": rng.choice(S2_TYPES),
        "publicationDate": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "journal": {
            "name": rng.choice(JOURNALS),
            "volume": f"{rng.randint(1, 600)} {rng.randint(1, 12)}",
            "pages": f"{(p := rng.randint(1, 900))} - {p + rng.randint(1, 20)}",
        },
        "authors": [
            {"authorId": str(rng.randint(1, 10**9)), "name": _name(rng)}
            for _ in range(_author_count(rng))
        ],
    }


def _inverted(words: list[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        index.setdefault(word, []).append(position)
    return index


def openalex_work(rng: random.Random, index: int) -> dict:
    year = rng.randint(1990, 2025)
    doi = f"https://doi.org/10.{rng.randint(1000, 9999)}/bench.{index}"
    source = {
        "id": f"https://openalex.org/S{rng.randint(1, 10**9)}",
        "display_name": rng.choice(JOURNALS),
        "issn_l": "1234-5678",
        "issn": ["1234-5678", "8765-4321"],
        "host_organization_name": "Elsevier BV",
        "type": "journal",
    }
    location = {
        "is_oa": False,
        "landing_page_url": doi,
        "pdf_url": None,
        "source": source,
        "license": None,
        "version": "publishedVersion",
    }
    return {
        "id": f"https://openalex.org/W{4_000_000_000 + index}",
        "doi": doi,
        "title": " ".join(_words(rng, 5, 14)).capitalize(),
        "display_name": " ".join(_words(rng, 5, 14)).capitalize(),
        "publication_year": year,
        "publication_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "ids": {
            "openalex": f"https://openalex.org/W{4_000_000_000 + index}",
            "doi": doi,
            "pmid": f"https://pubmed.ncbi.nlm.nih.gov/{10_000_000 + index}",
        },
        "language": "en",
        "primary_location": location,
        "locations": [location],
        "type": rng.choice(OA_TYPES),
        "type_crossref": "journal-article",
        "open_access": {"is_oa": False, "oa_status": "closed", "oa_url": None},
        "authorships": [
            {
                "author_position": "middle",
                "author": {
                    "id": f"https://openalex.org/A{rng.randint(1, 10**9)}",
                    "display_name": _name(rng),
                    "orcid": None,
                },
                "institutions": [
                    {
                        "id": f"https://openalex.org/I{rng.randint(1, 10**6)}",
                        "display_name": "University of Somewhere",
                        "ror": "https://ror.org/00abc1234",
                        "country_code": "DE",
                        "type": "education",
                    }
                ],
                "countries": ["DE"],
                "is_corresponding": False,
                "raw_author_name": _name(rng),
                "raw_affiliation_strings": ["University of Somewhere, Germany"],
            }
            for _ in range(_author_count(rng))
        ],
        "cited_by_count": rng.randint(0, 5000),
        "biblio": {
            "volume": str(rng.randint(1, 600)),
            "issue": str(rng.randint(1, 12)),
            "first_page": str(p := rng.randint(1, 900)),
            "last_page": str(p + rng.randint(0, 20)),
        },
        "is_retracted": rng.random() < 0.002,
        "is_paratext": False,
        "concepts": [
            {"id": "https://openalex.org/C71924100", "display_name": w, "level": 1, "score": 0.5}
            for w in _words(rng, 3, 10)
        ],
        "keywords": [{"display_name": w, "score": 0.4} for w in _words(rng, 0, 4)],
        "referenced_works": [
            f"https://openalex.org/W{rng.randint(1, 4 * 10**9)}" for _ in range(rng.randint(0, 60))
        ],
        "abstract_inverted_index": _inverted(_words(rng, 80, 250)),
        "counts_by_year": [{"year": 2024, "cited_by_count": 3}],
        "updated_date": "2025-01-05T08:21:14.129354",
        "created_date": "2016-06-24",
    }


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """Best CPU time of this process over ``repeat`` runs, and the records counted.

    Every step runs in this one thread, so CPU time is the work done; unlike wall
    time it does not grow when other processes share the cores.
    """
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        count = run()
        best = min(best, time.process_time() - start)
    return best, count


def measure(name: str, n: int, repeat: int, lines: str, response: str, fmt: str) -> None:
    import msgspec

    from refconv.converters import Report, convert
    from refconv.converters.core.registry import default_registry

    module = default_registry().reader(fmt).load()

    def msgspec_lines() -> int:
        decode = msgspec.json.Decoder().decode
        return sum(1 for line in io.StringIO(lines) if decode(line) is not None)

    def stdlib_lines() -> int:
        return sum(1 for line in io.StringIO(lines) if json.loads(line) is not None)

    def stdlib_whole() -> int:
        value = json.loads(response)
        return len(value["data" if "data" in value else "results"])

    def reader(text: str) -> Callable[[], int]:
        def run() -> int:
            report = Report()
            count = sum(1 for _ in module.read(io.StringIO(text), report))
            assert not [d for d in report.collected if d.severity >= 30], report.collected[:3]
            return count

        return run

    def converter(text: str) -> Callable[[], int]:
        def run() -> int:
            return len(convert(text, to="csl-json", from_format=fmt, jsonl=True).splitlines())

        return run

    rows = []
    base_lines, count = best_of(repeat, msgspec_lines)
    assert count == n
    rows.append(("JSON Lines: bare parse (msgspec)", base_lines, count, base_lines))
    seconds, count = best_of(repeat, stdlib_lines)
    rows.append(("JSON Lines: bare parse (json)", seconds, count, base_lines))
    seconds, count = best_of(repeat, reader(lines))
    assert count == n
    rows.append((f"JSON Lines: {fmt} read", seconds, count, base_lines))
    seconds, count = best_of(repeat, converter(lines))
    assert count == n
    rows.append((f"JSON Lines: {fmt} → csl-json", seconds, count, base_lines))
    base_whole, count = best_of(repeat, stdlib_whole)
    rows.append(("one response: bare json.loads", base_whole, count, base_whole))
    seconds, count = best_of(repeat, reader(response))
    assert count == n
    rows.append((f"one response: {fmt} read", seconds, count, base_whole))

    print(f"\n{name}: {n:,} records, {len(lines) / 1e6:.1f} MB as JSON Lines")
    print(f"  {'step':<42} {'records/s':>12} {'× bare parse':>13}")
    for label, seconds, count, base in rows:
        print(f"  {label:<42} {count / seconds:>12,.0f} {seconds / base:>12.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="records per source (>= 20,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; the best counts")
    args = parser.parse_args()
    rng = random.Random(8)
    for name, make, fmt, envelope in (
        ("Semantic Scholar", s2_paper, "semantic-scholar", "data"),
        ("OpenAlex", openalex_work, "openalex", "results"),
    ):
        records = [make(rng, i) for i in range(args.n)]
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        response = json.dumps({"total": args.n, envelope: records}, ensure_ascii=False, indent=2)
        del records
        measure(name, args.n, args.repeat, lines, response, fmt)


if __name__ == "__main__":
    main()
