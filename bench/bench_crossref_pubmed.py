"""Crossref and PubMed readers: records per second against a bare JSON/XML parse.

    python bench/bench_crossref_pubmed.py [--n 20000] [--repeat 3]

Generates N Crossref works and N PubMed articles (seeded; 1-15 authors, one in
25 with 60-100, particles and non-ASCII names, JATS abstracts and markup in
titles, licences, funders and reference lists as the Crossref API returns them;
MeSH headings, structured abstracts, article ids and reference lists as EFetch
returns them), then times in this process (CPU time, so figures hold when other
processes share the cores), best of --repeat runs:

* bare parse: Crossref JSON Lines decoded line by line with msgspec (what the
  reader decodes with) and with the standard library's json, the whole
  ``work-list`` response with ``json.loads``; PubMed XML walked with lxml's
  incremental parser, clearing each article (what the reader parses with, minus
  the mapping); MEDLINE text split into tag/value fields by a plain loop;
* read: the reader turning the same text into CSL items (``read()``);
* convert: read, citation keys and CSL-JSON written (``refconv.converters.convert``).

Prints records per second, how many times longer than the bare parse each step
takes, and the peak memory Python allocated while reading (flat: it does not
grow with N).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from html import escape

from _records import SYLLABLES, TEXT_WORDS

GIVEN = "Hong Maria Jan Ludwig Zoë Jean-Paul Wei Anna Olga Kenji Ahmed Łukasz Sofía Søren".split()
PARTICLES = ["", "", "", "", "", "van ", "de ", "von ", "van der ", "da "]
JOURNALS = [("Nature", "Nature"), ("The Lancet", "Lancet"), ("PLOS ONE", "PLoS One")]
CROSSREF_TYPES = ["journal-article"] * 6 + ["book-chapter", "proceedings-article", "posted-content"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _family(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()


def _author_count(rng: random.Random) -> int:
    return rng.randint(60, 100) if rng.random() < 0.04 else rng.randint(1, 15)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(TEXT_WORDS) for _ in range(rng.randint(low, high)))


def _date(rng: random.Random) -> dict:
    return {"date-parts": [[rng.randint(1990, 2025), rng.randint(1, 12), rng.randint(1, 28)]]}


def crossref_work(rng: random.Random, n: int) -> dict:
    journal = rng.choice(JOURNALS)
    title = _sentence(rng, 5, 14).capitalize()
    if rng.random() < 0.2:
        title += " in <i>Mus musculus</i>"
    work = {
        "indexed": {**_date(rng), "date-time": "2025-01-01T00:00:00Z", "timestamp": 1},
        "reference-count": 30,
        "publisher": "Springer Science and Business Media LLC",
        "issue": str(rng.randint(1, 12)),
        "license": [
            {
                "start": {**_date(rng), "timestamp": 1},
                "content-version": "vor",
                "delay-in-days": 0,
                "URL": "https://creativecommons.org/licenses/by/4.0",
            }
        ],
        "funder": [{"DOI": "10.13039/100000001", "name": "NSF", "award": [f"DEB-{n}"]}],
        "content-domain": {"domain": ["link.springer.com"], "crossmark-restriction": False},
        "short-container-title": [journal[1]],
        "abstract": f"<jats:title>Abstract</jats:title><jats:p>{_sentence(rng, 80, 250)}</jats:p>",
        "DOI": f"10.1234/bench.{n}",
        "type": rng.choice(CROSSREF_TYPES),
        "created": {**_date(rng), "timestamp": 1},
        "page": f"{n % 900 + 1}-{n % 900 + 14}",
        "source": "Crossref",
        "is-referenced-by-count": rng.randint(0, 500),
        "title": [title],
        "prefix": "10.1234",
        "volume": str(rng.randint(1, 600)),
        "author": [
            {
                "given": rng.choice(GIVEN),
                "family": f"{rng.choice(PARTICLES)}{_family(rng)}",
                "sequence": "additional",
                "affiliation": [{"name": "University of Somewhere"}],
            }
            for _ in range(_author_count(rng))
        ],
        "member": "297",
        "published-online": _date(rng),
        "published-print": _date(rng),
        "reference": [
            {"key": f"ref{i}", "DOI": f"10.1000/ref.{i}", "unstructured": _sentence(rng, 8, 20)}
            for i in range(rng.randint(5, 25))
        ],
        "container-title": [journal[0]],
        "language": "en",
        "link": [
            {
                "URL": f"https://example.org/{n}.pdf",
                "content-type": "application/pdf",
                "content-version": "vor",
                "intended-application": "text-mining",
            }
        ],
        "deposited": {**_date(rng), "timestamp": 1},
        "score": 1,
        "resource": {"primary": {"URL": f"https://example.org/articles/{n}"}},
        "issued": _date(rng),
        "URL": f"https://doi.org/10.1234/bench.{n}",
        "ISSN": ["0028-0836", "1476-4687"],
        "issn-type": [
            {"value": "0028-0836", "type": "print"},
            {"value": "1476-4687", "type": "electronic"},
        ],
        "subject": ["Multidisciplinary"],
    }
    if work["type"] == "book-chapter":
        work["container-title"] = ["Lecture Notes in Computer Science", "Proceedings"]
    return work


def pubmed_article(rng: random.Random, n: int) -> str:
    journal = rng.choice(JOURNALS)
    year = rng.randint(1990, 2025)
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>{escape(rng.choice(PARTICLES) + _family(rng))}</LastName>'
        f"<ForeName>{rng.choice(GIVEN)} {chr(65 + rng.randint(0, 25))}</ForeName>"
        f"<Initials>X</Initials><AffiliationInfo><Affiliation>University of Somewhere."
        f"</Affiliation></AffiliationInfo></Author>"
        for _ in range(_author_count(rng))
    )
    mesh = "".join(
        f'<MeshHeading><DescriptorName UI="D{i:06d}" MajorTopicYN="N">{_sentence(rng, 1, 3)}'
        f'</DescriptorName><QualifierName UI="Q0001" MajorTopicYN="Y">metabolism'
        f"</QualifierName></MeshHeading>"
        for i in range(rng.randint(5, 15))
    )
    sections = "".join(
        f'<AbstractText Label="{label}" NlmCategory="{label}">{_sentence(rng, 20, 60)}'
        f"</AbstractText>"
        for label in ("BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS")
    )
    references = "".join(
        f"<Reference><Citation>{_sentence(rng, 8, 20)}</Citation><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{n * 100 + i}</ArticleId></ArticleIdList></Reference>'
        for i in range(rng.randint(5, 25))
    )
    start = rng.randint(1, 900)
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{n}'
        f"</PMID><DateRevised><Year>2024</Year><Month>01</Month><Day>02</Day></DateRevised>"
        f'<Article PubModel="Print-Electronic"><Journal><ISSN IssnType="Electronic">1476-4687'
        f'</ISSN><JournalIssue CitedMedium="Internet"><Volume>{rng.randint(1, 600)}</Volume>'
        f"<Issue>{rng.randint(1, 12)}</Issue><PubDate><Year>{year}</Year>"
        f"<Month>{rng.choice(MONTHS)}</Month></PubDate></JournalIssue><Title>{journal[0]}</Title>"
        f"<ISOAbbreviation>{journal[1]}</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{_sentence(rng, 5, 14).capitalize()} in <i>Mus musculus</i>."
        f"</ArticleTitle><Pagination><MedlinePgn>{start}-{(start + 12) % 100}</MedlinePgn>"
        f'</Pagination><ELocationID EIdType="doi" ValidYN="Y">10.1234/pm.{n}</ELocationID>'
        f'<Abstract>{sections}</Abstract><AuthorList CompleteYN="Y">{authors}</AuthorList>'
        f'<Language>eng</Language><PublicationTypeList><PublicationType UI="D016428">Journal '
        f'Article</PublicationType></PublicationTypeList><ArticleDate DateType="Electronic">'
        f"<Year>{year}</Year><Month>01</Month><Day>15</Day></ArticleDate></Article>"
        f"<MedlineJournalInfo><Country>England</Country><MedlineTA>{journal[1]}</MedlineTA>"
        f"<ISSNLinking>0028-0836</ISSNLinking></MedlineJournalInfo><MeshHeadingList>{mesh}"
        f'</MeshHeadingList><KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">bench'
        f"</Keyword></KeywordList></MedlineCitation><PubmedData><PublicationStatus>ppublish"
        f'</PublicationStatus><ArticleIdList><ArticleId IdType="pubmed">{n}</ArticleId>'
        f'<ArticleId IdType="doi">10.1234/pm.{n}</ArticleId><ArticleId IdType="pmc">PMC{n}'
        f"</ArticleId></ArticleIdList><ReferenceList>{references}</ReferenceList></PubmedData>"
        f"</PubmedArticle>\n"
    )


def medline_record(rng: random.Random, n: int) -> str:
    journal = rng.choice(JOURNALS)
    lines = [f"PMID- {n}", "OWN - NLM", "STAT- MEDLINE", "IS  - 1476-4687 (Electronic)"]
    lines += [f"VI  - {rng.randint(1, 600)}", f"IP  - {rng.randint(1, 12)}"]
    lines += [f"DP  - {rng.randint(1990, 2025)} {rng.choice(MONTHS)}"]
    lines += [f"TI  - {_sentence(rng, 5, 14).capitalize()}."]
    start = rng.randint(1, 900)
    lines += [f"PG  - {start}-{(start + 12) % 100}", f"LID - 10.1234/pm.{n} [doi]"]
    abstract = " ".join(
        f"{label}: {_sentence(rng, 20, 60)}." for label in ("BACKGROUND", "METHODS", "RESULTS")
    )
    words = abstract.split()
    lines.append("AB  - " + " ".join(words[:12]))
    lines += ["      " + " ".join(words[i : i + 12]) for i in range(12, len(words), 12)]
    for _ in range(_author_count(rng)):
        family = rng.choice(PARTICLES) + _family(rng)
        lines += [f"FAU - {family}, {rng.choice(GIVEN)} A", f"AU  - {family} A"]
        lines += ["AD  - University of Somewhere."]
    lines += ["LA  - eng", "PT  - Journal Article", "DEP - 20200115", "PL  - England"]
    lines += [f"TA  - {journal[1]}", f"JT  - {journal[0]}"]
    lines += [f"MH  - {_sentence(rng, 1, 3)}/metabolism" for _ in range(rng.randint(5, 15))]
    lines += ["OT  - bench", f"AID - 10.1234/pm.{n} [doi]", "PST - ppublish", f"PMC - PMC{n}"]
    return "\n".join(lines) + "\n\n"


def best(repeat: int, step: Callable[[], int]) -> tuple[float, int]:
    """The least CPU time of ``repeat`` runs (CPU time, not wall time, so the figures
    hold on a machine whose cores other processes share) and the step's count."""
    times, count = [], 0
    for _ in range(repeat):
        start = time.process_time()
        count = step()
        times.append(time.process_time() - start)
    return min(times), count


def peak_memory(step: Callable[[], int]) -> float:
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bare_msgspec(path: pathlib.Path) -> int:
    import msgspec

    decode = msgspec.json.Decoder().decode
    with open(path, encoding="utf-8") as lines:
        return sum(1 for line in lines if decode(line))


def bare_json_lines(path: pathlib.Path) -> int:
    with open(path, encoding="utf-8") as lines:
        return sum(1 for line in lines if json.loads(line))


def bare_json_document(path: pathlib.Path) -> int:
    with open(path, encoding="utf-8") as document:
        return len(json.load(document)["message"]["items"])


def bare_lxml(path: pathlib.Path) -> int:
    from lxml import etree

    parser = etree.XMLPullParser(
        events=("end",), tag=("PubmedArticle",), resolve_entities=False, load_dtd=False
    )
    count = 0
    with open(path, encoding="utf-8") as stream:
        while True:
            chunk = stream.read(1 << 16)
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            for _event, element in parser.read_events():
                count += 1
                element.clear()
                parent = element.getparent()
                if parent is not None:
                    parent.remove(element)
            if not chunk:
                return count


def bare_medline(path: pathlib.Path) -> int:
    count, fields = 0, []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                if fields:
                    count += 1
                    fields = []
            elif line.startswith(" "):
                fields[-1] = (fields[-1][0], fields[-1][1] + " " + line.strip())
            else:
                tag, _, value = line.partition("- ")
                fields.append((tag.strip(), value.rstrip("\n")))
    return count + bool(fields)


def write_inputs(folder: str, n: int) -> dict[str, pathlib.Path]:
    """The four inputs as files, written record by record (nothing large is held)."""
    rng = random.Random(8)
    paths = {key: pathlib.Path(folder, f"input.{key}") for key in ("jsonl", "json", "xml", "nbib")}
    with (
        open(paths["jsonl"], "w", encoding="utf-8") as jsonl,
        open(paths["json"], "w", encoding="utf-8") as response,
    ):
        response.write('{"status": "ok", "message-type": "work-list", "message": {"items": [\n')
        for i in range(n):
            work = json.dumps(crossref_work(rng, i), ensure_ascii=False)
            jsonl.write(work + "\n")
            response.write(("" if i == 0 else ",\n") + work)
        response.write(f'\n], "total-results": {n}}}}}\n')
    with open(paths["xml"], "w", encoding="utf-8") as xml:
        xml.write(
            '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
            '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
            "<PubmedArticleSet>\n"
        )
        for i in range(1, n + 1):
            xml.write(pubmed_article(rng, i))
        xml.write("</PubmedArticleSet>\n")
    with open(paths["nbib"], "w", encoding="utf-8") as nbib:
        nbib.write("\n")
        for i in range(1, n + 1):
            nbib.write(medline_record(rng, i))
    return paths


def main() -> None:
    from refconv.converters import Report, convert, read

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.n
    folder = tempfile.TemporaryDirectory(prefix="refconv-bench-")
    paths = write_inputs(folder.name, n)

    def reader(path: pathlib.Path, fmt: str) -> Callable[[], int]:
        return lambda: sum(1 for _ in read(path, fmt, report=Report()))

    def converter(path: pathlib.Path, fmt: str) -> Callable[[], int]:
        def step() -> int:
            convert(path, "csl-json", from_format=fmt, jsonl=True)
            return n

        return step

    cases = [
        (
            "crossref JSON Lines",
            "jsonl",
            "crossref",
            [("msgspec per line", bare_msgspec), ("json per line", bare_json_lines)],
        ),
        ("crossref work-list response", "json", "crossref", [("json.load", bare_json_document)]),
        ("pubmed EFetch XML", "xml", "pubmed", [("lxml incremental", bare_lxml)]),
        ("pubmed MEDLINE text", "nbib", "pubmed", [("split fields", bare_medline)]),
    ]
    print(f"{n:,} records per input, best of {args.repeat}")
    print(f"{'input':<28} {'step':<24} {'MiB':>5} {'records/s':>11} {'x bare':>7} {'peak MiB':>9}")
    for title, key, fmt, bares in cases:
        path = paths[key]
        size = path.stat().st_size / 2**20
        base_time = None
        for name, bare in bares:
            seconds, count = best(args.repeat, lambda bare=bare, path=path: bare(path))
            assert count == n, (name, count)
            base_time = base_time or seconds
            label = f"bare: {name}"
            print(
                f"{title:<28} {label:<24} {size:>5.0f} {n / seconds:>11,.0f} "
                f"{seconds / base_time:>6.1f}x"
            )
        for name, step in (
            ("read", reader(path, fmt)),
            ("convert to CSL-JSON", converter(path, fmt)),
        ):
            seconds, count = best(args.repeat, step)
            assert count == n, (title, name, count)
            peak = f"{peak_memory(step):>9.1f}" if name == "read" else ""
            print(
                f"{title:<28} {name:<24} {size:>5.0f} {n / seconds:>11,.0f} "
                f"{seconds / base_time:>6.1f}x {peak}"
            )
    folder.cleanup()


if __name__ == "__main__":
    main()
