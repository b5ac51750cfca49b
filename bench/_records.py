"""Synthetic paper records for the benchmarks: realistic sizes and variety, seeded."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

GIVEN = "Hong GuoWei Maria Jan Ludwig Zoë Jean-Paul Wei Anna Olga Kenji Ahmed Łukasz Sofía".split()
# family names from syllables, so that names (and keys) vary as in real data
SYLLABLES = "li wang zha mül smi gar nov kow tan oka ros dub iva ber kim ngu sch".split()
PARTICLES = ["", "", "", "", "van ", "de ", "von ", "de la "]
WORDS = (
    "exosome immunotherapy hepatocellular carcinoma tumour microenvironment single-cell RNA "
    "sequencing deep learning graph neural network protein folding climate model ocean carbon "
    "randomised trial cohort meta-analysis CRISPR screening mouse model T-cell response"
).split()
# title and abstract words with the stop words real text has (the other readers' benches)
TEXT_WORDS = [*WORDS, *"the of and in with for a an we show that these results".split()]
JOURNALS = [
    "Clinical and Experimental Medicine",
    "Nature",
    "The Lancet",
    "Journal of Hepatology",
    "PLOS ONE",
    "Physical Review Letters",
]
TYPES = [
    "Journal Article",
    "Review",
    "Journal Article, Review",
    "Conference",
    "Book Chapter",
    "Preprint",
]


def family(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()


def record(rng: random.Random, index: int) -> dict:
    authors = ", ".join(
        f"{rng.choice(GIVEN)} {rng.choice(PARTICLES)}{family(rng)}"
        for _ in range(rng.randint(1, 12))
    )
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))).capitalize() + "."
    year = rng.randint(1990, 2025)
    abstract = "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 200))) + ".</p>"
    doi = f"10.{rng.randint(1000, 9999)}/bench.{index}"
    return {
        "title": title,
        "authors": authors,
        "doi": doi,
        "DOIUrl": None,
        "url": None,
        "abstract": abstract,
        "PeriodicalId": rng.randint(1, 20000),
        "journal": {
            "name": rng.choice(JOURNALS),
            "volume": f"{rng.randint(1, 400)} {rng.randint(1, 12)}",
            "pages": f"{(p := rng.randint(1, 900))}-{p + rng.randint(1, 20)}",
        },
        "PeriodicalIF": round(rng.uniform(0.5, 60), 3),
        "publicationDate": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "publicationTypes": rng.choice(TYPES),
        "fieldsOfStudy": None,
        "isOpenAccess": rng.random() < 0.4,
        "openAccessPdf": f"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{index}/pdf/",
        "citationCount": str(rng.randint(0, 500)),
        "platform": "Semanticscholar",
        "PeriodicalName": None,
        "ListUrlMain": f"https://doi.org/{doi}",
        "JCR": rng.choice(["Q1", "Q2", "Q3", "Q4"]),
        "JCRName": "MEDICINE, RESEARCH & EXPERIMENTAL",
        "TitleCN": None,
        "AbstractTextCN": None,
        "PMCID": None,
        "EPubDate": "",
        "Total": 0,
    }


def records(n: int, seed: int = 1) -> Iterator[dict]:
    rng = random.Random(seed)
    for index in range(n):
        yield record(rng, index)


def write_jsonl(path: str, n: int, seed: int = 1) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for rec in records(n, seed):
            out.write(json.dumps(rec, ensure_ascii=False))
            out.write("\n")
