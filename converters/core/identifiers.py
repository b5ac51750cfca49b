"""DOI, PMID, PMCID and URL clean-up shared by readers."""

from __future__ import annotations

import re

_DOI_PREFIX = re.compile(
    r"^\s*(?:doi\s*:?\s*|https?://(?:dx\.)?doi\.org/|https?://doi\.[a-z]+/|info:doi/)",
    re.IGNORECASE,
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_RESOLVER = re.compile(r"^https?://(dx\.)?doi\.org/", re.IGNORECASE)
_PMC_IN_URL = re.compile(r"(?:PMC|pmc/articles/PMC)(\d{3,10})\b", re.IGNORECASE)


def normalise_doi(value: str | None) -> str | None:
    """``https://doi.org/10.1/X`` or ``doi:10.1/X`` → ``10.1/X``; ``None`` if it is no DOI."""
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", str(value).strip())
    if "%" in doi:  # a percent-encoded DOI from a URL
        from urllib.parse import unquote

        doi = unquote(doi)
    doi = doi.strip().rstrip(".")
    return doi if _DOI.match(doi) else None


def is_doi_link(url: str, doi: str | None) -> bool:
    """Is ``url`` only the resolver link of ``doi`` (which styles print already)?"""
    if not doi:
        return False
    linked = normalise_doi(url) if _DOI_RESOLVER.match(url) else None
    return linked is not None and linked.lower() == doi.lower()


def pmcid_from_text(value: str | None) -> str | None:
    """``PMC12021721`` from an id or any link that contains it (``.../pmc/articles/PMC…/``)."""
    if not value:
        return None
    text = str(value).strip()
    if text.isdigit():
        return f"PMC{text}"
    match = _PMC_IN_URL.search(text)
    return f"PMC{match.group(1)}" if match else None


def normalise_pmid(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.lower().startswith("pmid:"):
        text = text[5:].strip()
    return text if text.isdigit() else None
