"""Citation keys: generated from a pattern, ASCII, unique within one output.

The default pattern ``{auth}{year}{title}`` gives ``liu2025exosome``: the
first author's family name, the year and the first significant title word,
folded to lower-case ASCII (``Müller`` → ``muller``, ``张`` → ``zhang``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from .model import Item, first_year
from .names import is_cjk_name
from .text import strip_rich_text

DEFAULT_KEY_PATTERN = "{auth}{year}{title}"
KEY_FIELDS = {
    "auth": "first author's family name (editor's, or the organisation's first word)",
    "authors": "up to two family names, then 'etal'",
    "year": "year of publication",
    "title": "first significant word of the title",
    "shorttitle": "first three significant words of the title",
    "journal": "initials of the container title",
}
STOP_WORDS = frozenset(
    "a an the of on in at to for from by with and or but as is are was were be into onto "
    "via vs versus about over under towards toward between among through its their this "
    "that these those do does how what when where which who why der die das ein eine le "
    "la les un une des du de el los las ".split()
)
VALID_KEY = re.compile(r"^[A-Za-z0-9_:.\-+/]+$")
_NOT_KEY_CHAR = re.compile(r"[^A-Za-z0-9_:.\-+/]+")
_WORD = re.compile(r"[^\W_]+")


_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def ascii_fold(text: str) -> str:
    """Transliterate to ASCII letters and digits (``Łukasz`` → ``Lukasz``)."""
    if not text.isascii():
        from anyascii import anyascii

        text = anyascii(text)
    if text.isalnum():  # ASCII here: letters and digits only, nothing to remove
        return text
    return _NOT_ALNUM.sub("", text)


def _first_name_family(item: Item) -> str:
    for variable in ("author", "editor", "container-author", "translator"):
        names = item.get(variable)
        if isinstance(names, list) and names and isinstance(names[0], dict):
            name = names[0]
            if name.get("family"):
                return str(name["family"])
            words = str(name.get("literal", "")).split()
            # "The ATLAS Collaboration" → "ATLAS"
            significant = [w for w in words if w.lower() not in STOP_WORDS]
            return (significant or words or [""])[0]
    return ""


def _title_words(item: Item, limit: int) -> list[str]:
    """The first ``limit`` significant words of the title (its first words if all are stop
    words); only as much of the title is scanned as that takes."""
    title = strip_rich_text(str(item.get("title") or ""))
    words = []
    for match in _WORD.finditer(title):
        word = match.group()
        if word.lower() not in STOP_WORDS:
            words.append(word)
            if len(words) == limit:
                break
    if not words:
        words = _WORD.findall(title)[:limit]
    # CJK text has no spaces between words: take the first two characters, a typical word
    return [w[:2] if is_cjk_name(w) else w for w in words]


class GeneratedKey(str):
    """A key computed from an item's data (not read from the input), e.g. in a worker process."""

    __slots__ = ()


_FIELD = re.compile(r"\{(\w+)\}")


@functools.lru_cache(maxsize=32)
def _compile_pattern(pattern: str) -> tuple[tuple[str, str, bool], ...]:
    """A key pattern → (literal text before, field name, capitalise) steps; validates it."""
    steps = []
    position = 0
    for match in _FIELD.finditer(pattern):
        name = match.group(1)
        if name.lower() not in KEY_FIELDS:
            raise ValueError(
                f"unknown key pattern field {{{name}}}; known: "
                + ", ".join(f"{{{k}}}" for k in KEY_FIELDS)
            )
        steps.append((pattern[position : match.start()], name.lower(), name[:1].isupper()))
        position = match.end()
    steps.append((pattern[position:], "", False))
    return tuple(steps)


def _field_value(item: Item, name: str) -> str:
    if name == "auth":
        return ascii_fold(_first_name_family(item)).lower()
    if name == "authors":
        return _authors(item)
    if name == "year":
        return str(first_year(item) or "")
    if name == "title":
        return "".join(ascii_fold(w) for w in _title_words(item, 1)).lower()
    if name == "shorttitle":
        return "".join(ascii_fold(w).capitalize() for w in _title_words(item, 3))
    # journal
    return "".join(ascii_fold(w)[:1] for w in _WORD.findall(str(item.get("container-title") or "")))


def citation_key(item: Item, pattern: str = DEFAULT_KEY_PATTERN) -> str:
    """The key ``pattern`` gives for ``item`` (not yet made unique); never empty."""
    parts = []
    for literal, name, capitalise in _compile_pattern(pattern):
        parts.append(literal)
        if name:
            value = _field_value(item, name)
            parts.append(value[:1].upper() + value[1:] if capitalise else value)
    key = "".join(parts)
    if key.isascii() and key.isalnum():  # the usual key: no character to remove
        return key
    return _NOT_KEY_CHAR.sub("", key) or "item"


def _authors(item: Item) -> str:
    names = item.get("author") or item.get("editor") or []
    families = [
        ascii_fold(str(n.get("family") or n.get("literal", "").split(" ")[0])).lower()
        for n in names
        if isinstance(n, dict)
    ]
    if len(families) > 2:
        return f"{families[0]}etal"
    return "".join(families)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _suffix(n: int) -> str:
    """The ``n``-th disambiguating suffix: ``a`` … ``z``, ``aa`` … ``zz``, then ``x1``, ``x2`` …"""
    if n < 26:
        return _LETTERS[n]
    if n < 26 + 26 * 26:
        first, second = divmod(n - 26, 26)
        return _LETTERS[first] + _LETTERS[second]
    return f"x{n - 26 - 26 * 26 + 1}"


class KeyAllocator:
    """Hands out keys unique without regard to case, with ``a``, ``b``, … suffixes.

    Exact: every key handed out is remembered (lower-cased) in a set, so a key is
    renamed only when it really was used before. For a key asked for again, the
    next suffix to try is remembered too, so N records sharing one key cost O(N),
    not O(N²). Memory grows with the number of distinct keys, about 100 bytes each
    (about 100 MB for a million keys).
    """

    __slots__ = ("_next_suffix", "_used")

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next_suffix: dict[str, int] = {}

    def __contains__(self, key: str) -> bool:
        return key.lower() in self._used

    def allocate(self, key: str) -> str:
        """``key`` if unused, else the first free ``key + suffix``; marks the result used."""
        folded = key.lower()
        used = self._used
        if folded not in used:
            used.add(folded)
            return key
        n = self._next_suffix.get(folded, 0)
        while (folded + _suffix(n)) in used:
            n += 1
        suffix = _suffix(n)
        # every suffix before n is taken for good (keys are never given back)
        self._next_suffix[folded] = n + 1
        used.add(folded + suffix)
        return key + suffix


def generate_keys(items: Iterable[Item], key_pattern: str = DEFAULT_KEY_PATTERN) -> Iterator[Item]:
    """Give items without an id their generated key, not yet unique (see
    :func:`.pipeline.assign_ids`).

    This is the per-item part of keying, which can run anywhere (a worker
    process, a Dask partition); uniqueness needs one pass over all items.
    """
    for item in items:
        if not item.get("id"):
            item["id"] = GeneratedKey(citation_key(item, key_pattern))
        yield item
