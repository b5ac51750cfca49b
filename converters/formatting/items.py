"""Items as the formatter needs them: clean CSL-JSON with unique, case-blind keys.

Real data holds ids that differ only in case (``Knuth1997`` and
``knuth1997``), string and ``raw`` dates, name parts in one string and CSL
1.0.1 variable names. :func:`prepare` cleans all of that before rendering, and
reports what it changed. Rich text in fields (``<i>``,
``<b>``, ``<sup>``, ``<sub>``, small-caps and ``nocase`` spans) is kept as
written: the processor reads it where CSL says it is markup (titles and other
text) and prints it literally where it is not (numbers).

Names are split as citeproc-js splits them, so both engines see the same
parts: lower-case words at the start of a family name become the
non-dropping particle (``van der Waals``), lower-case words at the end of a
given name the dropping particle (``Ludwig van``), text after a comma in a
given name the suffix (``Martin Luther, Jr.``); a family name in double
quotes is kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.dates import normalise_date
from ..core.diagnostics import Report
from ..core.model import DATE_VARIABLES, NAME_VARIABLES, Item

# CSL variables whose values are identifiers or codes, never rich text.
_VERBATIM = frozenset(("URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "language", "locator"))
# Keys that are CSL-JSON bookkeeping, not variables a style can print.
_NOT_VARIABLES = frozenset(("id", "type", "custom", "citation-key", "categories"))
# CSL 1.0.1 names → CSL 1.0.2 names; citeproc-js reads both.
_RENAMED_VARIABLES = {
    "shortTitle": "title-short",
    "journalAbbreviation": "container-title-short",
}
_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}
_NAME_PARTS = ("family", "given", "non-dropping-particle", "dropping-particle", "suffix")

# citeproc-js CSL.PARTICLE_*_REGEXP: a word (ending in a space, hyphen or apostrophe)
_FAMILY_PARTICLE = re.compile(r"^([^ ]+(?:-|\u02bb|\u2019| |') *)(.+)$")
_GIVEN_PARTICLE = re.compile(r"^([^ ]+(?:\u02bb |\u2019 | |' ) *)(.+)$")
_SUFFIX_COMMA = re.compile(r"(\s*,!*\s*)")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_PAGE_SPLIT = re.compile("\\s*(?:&|, |-|\u2013)\\s*")


@dataclass
class Prepared:
    """Items ready for the engine, and how to find them from the ids users wrote."""

    items: list[Item] = field(default_factory=list)
    key_of: dict[str, str] = field(default_factory=dict)  # original id → engine key
    original: dict[str, str] = field(default_factory=dict)  # engine key → original id

    def find(self, wanted: Any) -> str | None:
        """The engine key for an id as written in a citation cluster."""
        text = str(wanted)
        if text in self.key_of:
            return self.key_of[text]
        lowered = [k for o, k in self.key_of.items() if o.lower() == text.lower()]
        return lowered[0] if len(lowered) == 1 else None


def _particles(value: str, given: bool) -> tuple[str, list[str]]:
    """citeproc-js ``splitParticles``: (rest of the name, particles found)."""
    original = value
    text = value[::-1] if given else value
    pattern = _GIVEN_PARTICLE if given else _FAMILY_PARTICLE
    found: list[str] = []
    match = pattern.match(text)
    while match:
        particle = match.group(1)[::-1] if given else match.group(1)
        first = re.sub(r"^[-'\u02bb\u2019\s]*(.).*$", r"\1", particle, flags=re.DOTALL)
        if first.upper() == first:  # not a lower-case word: not a particle
            break
        if given:
            found.append(original[-len(particle) :])
            original = original[: -len(particle)]
        else:
            found.append(original[: len(particle)])
            original = original[len(particle) :]
        text = match.group(2)
        match = pattern.match(text)
    if given:
        rest = text[::-1]
        found.reverse()
        for i in range(1, len(found)):
            if found[i].startswith(" "):
                found[i - 1] += " "
        found = [p[1:] if p.startswith(" ") else p for p in found]
        return original[: len(rest)], found
    return original[len(original) - len(text) :] if text else original, found


def _trim_last(text: str) -> str:
    last = text[-1:] if text else ""
    text = text.strip()
    if last == " " and text[-1:] in ("'", "\u2019"):
        text += " "
    return text


_NAME_FLAGS = ("comma-suffix", "static-ordering")
_FALSE = (False, 0, "false", "0", None, "")


def split_name(name: dict[str, Any]) -> dict[str, Any]:
    """A CSL name object with particles and suffix split out as citeproc-js does.

    The flags ``comma-suffix`` ("Doe, Jr.") and ``static-ordering`` (family
    name first, as for East Asian names) are kept as ``True``.
    """
    split = _split_name(name)
    if "literal" not in split:
        for flag in _NAME_FLAGS:
            if name.get(flag) not in _FALSE:
                split[flag] = True
    return split


def _split_name(name: dict[str, Any]) -> dict[str, Any]:
    clean = {k: str(v) for k, v in name.items() if k in (*_NAME_PARTS, "literal") and v}
    clean = {k: v.strip() for k, v in clean.items()}
    clean = {k: v for k, v in clean.items() if v}
    if "literal" in clean:
        return {"literal": clean["literal"]}
    if name.get("isInstitution") and "family" in clean and "given" not in clean:
        return {"literal": clean["family"]}
    parse = name.get("parse-names", True) not in (False, 0, "false", "0")
    family = clean.get("family", "")
    if len(family) > 1 and family.startswith('"') and family.endswith('"'):
        clean["family"] = family[1:-1]
        return clean
    if not parse or "non-dropping-particle" in clean or not family or "given" not in clean:
        return clean
    rest, particles = _particles(family, given=False)
    clean["family"] = rest
    non_dropping = _trim_last("".join(particles))
    if non_dropping:
        clean["non-dropping-particle"] = non_dropping
    given = clean["given"]
    if "suffix" not in clean:
        match = _SUFFIX_COMMA.search(given)
        if match:
            suffix = given[match.end() :]
            if suffix.replace(".", "") == "et al" and "dropping-particle" not in clean:
                clean["dropping-particle"] = suffix
                clean["comma-dropping-particle"] = ","
            elif suffix:
                clean["suffix"] = suffix
                if match.group(1).replace(" ", "") == ",!":
                    clean["comma-suffix"] = True  # "John,! Jr." prints "John Doe, Jr."
            given = given[: match.start()]
    if "dropping-particle" not in clean:
        rest, particles = _particles(given, given=True)
        dropping = "".join(particles).strip()
        if dropping:
            clean["dropping-particle"] = dropping
            given = rest
    if given.strip():
        clean["given"] = given.strip()
    else:
        clean.pop("given", None)
    return clean


def _names(value: Any) -> list[dict[str, str]] | None:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return None
    names = []
    for name in value:
        if isinstance(name, str):
            name = {"literal": name}
        if isinstance(name, dict):
            parsed = split_name(name)
            if parsed:
                names.append(parsed)
    return names or None


def _season(value: Any) -> int | None:
    if isinstance(value, int) and 1 <= value <= 4:
        return value
    text = str(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 4:
        return int(text)
    return _SEASONS.get(text)


def _date(value: Any) -> dict[str, Any] | None:
    """A date as the processor takes it: int date-parts, a season 1-4, or a literal."""
    date = normalise_date(value)
    if not date:
        return None
    result: dict[str, Any] = {}
    parts = date.get("date-parts")
    season = _season(date["season"]) if "season" in date else None
    if parts:
        clean = []
        for part in parts:
            part = list(part)
            # months 13-24 are seasons (CSL-JSON convention); the processor reads them so
            if len(part) >= 2 and not 1 <= part[1] <= 24:
                part = part[:1]
            if len(part) == 3 and not 1 <= part[2] <= 31:
                part = part[:2]
            clean.append(part)
        if len(clean) == 2 and clean[1] == clean[0]:
            clean = clean[:1]
        result["date-parts"] = clean
        if season and len(clean[0]) == 1:
            result["season"] = season
    elif date.get("literal"):
        result["literal"] = str(date["literal"])
    else:
        return None
    if date.get("circa") not in (None, False, 0, "", "false"):
        result["circa"] = True
    return result


def _string(key: str, value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        value = ", ".join(str(v) for v in value)
    if not isinstance(value, str):
        return None
    value = _LINE_BREAKS.sub(" ", value).strip()
    if not value:
        return None
    return value


def _engine_key(original: str, taken: set[str]) -> str:
    key = original.lower()
    if key not in taken:
        return key
    n = 2
    while f"{key}-{n}" in taken:
        n += 1
    return f"{key}-{n}"


def prepare(items: Iterable[Item], report: Report | None = None) -> Prepared:
    """Clean copies of ``items``: every id unique ignoring case, dates as date-parts,
    names split, rich text as marks, CSL 1.0.1 variable names mapped to 1.0.2.

    The input items are not modified.
    """
    report = report or Report()
    prepared = Prepared()
    taken: set[str] = set()
    for index, item in enumerate(items, 1):
        if not isinstance(item, dict):
            report.error(f"expected a CSL-JSON object, got {type(item).__name__}", record=index)
            continue
        raw_id = item.get("id")
        original = str(raw_id).strip() if raw_id not in (None, "") else f"item-{index}"
        key = _engine_key(original, taken)
        taken.add(key)
        if key != original.lower():
            if original in prepared.key_of:
                problem = f"duplicate id {original!r}"
            else:
                clash = prepared.original.get(original.lower(), original)
                problem = f"id {original!r} is the same as {clash!r} ignoring case"
            report.warning(f"{problem}; the formatter knows it as {key!r}", record=index)
        if original in prepared.key_of:
            original = f"{original}#{index}"
        prepared.key_of[original] = key
        prepared.original[key] = original
        clean: Item = {"id": key, "type": str(item.get("type") or "")}
        for name, value in item.items():
            name = _RENAMED_VARIABLES.get(name, name)
            if name in _NOT_VARIABLES or name in clean:
                continue
            if name in NAME_VARIABLES:
                names = _names(value)
                if names:
                    clean[name] = names
                elif value:
                    report.warning(f"{name!r} is not a list of names; left out", record=index)
            elif name in DATE_VARIABLES or name == "container":
                date = _date(value)
                if date:
                    clean[name] = date
                elif value:
                    report.warning(f"{name!r}: unreadable date {value!r} left out", record=index)
            else:
                text = _string(name, value)
                if text is not None:
                    clean[name] = text
        # page-first: the first page of the range or list (as citeproc-js derives it)
        if "page" in clean and "page-first" not in clean:
            first = _PAGE_SPLIT.split(clean["page"])[0]
            clean["page-first"] = clean["page"] if first.endswith("\\") else first
        # CSL 1.0.2 renamed `event` to `event-title`; styles use either
        if "event-title" in clean and "event" not in clean:
            clean["event"] = clean["event-title"]
        elif "event" in clean and "event-title" not in clean:
            clean["event-title"] = clean["event"]
        prepared.items.append(clean)
    return prepared
