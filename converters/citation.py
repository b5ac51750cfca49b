"""Formatted citations and bibliographies in any CSL style (citeproc-py).

Writes a bibliography (one entry per line in text; a ``csl-bib-body`` list in
HTML; one paragraph per entry in Markdown and reStructuredText) or in-text
citations (one line per cluster). Styles: a curated set ships with refconv,
the whole CSL repository comes with ``pip install 'refconv[styles]'``; the
styles are the Citation Style Language project's (https://citationstyles.org/),
licensed CC BY-SA 3.0. The work is done in :mod:`.formatting`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from .core.diagnostics import ConversionError, Report
from .core.model import Item
from .core.options import CHOICE, TEXT, VALUE, WriteOption, choice_value
from .formatting import DEFAULT_STYLE, MODES
from .formatting.markup import MARKUPS

NAME = "citation"
ALIASES = ("bibliography", "cite", "citations", "formatted")
EXTENSIONS = (".txt", ".html", ".md", ".rst")
EXTENSION_OPTIONS = (
    (".html", "markup", "html"),
    (".md", "markup", "markdown"),
    (".rst", "markup", "rst"),
)
DESCRIPTION = (
    "formatted bibliography or citations in any CSL style (--style, --locale, --markup, --mode)"
)
WRITE_OPTIONS = (
    WriteOption(
        "style",
        TEXT,
        "CSL style, a name or alias (apa, vancouver, chicago, harvard, mla, ieee, gb7714, ...), "
        "a CSL id, or a .csl file; default apa. See `refconv styles`.",
        flag="--style",
        default=DEFAULT_STYLE,
    ),
    WriteOption(
        "locale",
        TEXT,
        "CSL locale (en-US, en-GB, de-DE, fr-FR, zh-CN, ...) or a locales-xx-XX.xml file; "
        "default: the style's own.",
        flag="--locale",
    ),
    WriteOption(
        "markup",
        CHOICE,
        "text (default), html, markdown (Pandoc's) or rst.",
        flag="--markup",
        default="text",
        choices=MARKUPS,
    ),
    WriteOption(
        "mode",
        CHOICE,
        "a bibliography (default) or in-text citations (citation).",
        flag="--mode",
        default="bibliography",
        choices=MODES,
    ),
    WriteOption(
        "citations",
        TEXT,
        'JSON list of clusters [[{"id", "locator", "label", "prefix", "suffix", '
        '"suppress-author", "author-only"}], ...]; one line per cluster.',
        flag="--citations",
    ),
    # library callers only: progress(done, total) as entries are formatted
    WriteOption("progress", VALUE),
)


def write(
    items: Iterable[Item],
    out: TextIO,
    report: Report,
    *,
    style: str | None = None,
    locale: str | None = None,
    markup: str | None = None,
    mode: str | None = None,
    citations: str | os.PathLike[str] | Sequence[Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Format ``items``; the style and locale are checked before any item is read.

    ``citations``: a JSON file of citation clusters (or the parsed list); in
    citation mode one line is written per cluster, in bibliography mode the
    cited items come first, in citation order. ``progress(done, total)`` is
    called as entries are formatted.
    """
    from .formatting import render
    from .formatting.catalog import StyleLookupError, UnknownLocaleError
    from .formatting.engine import Engine

    try:
        markup = choice_value(markup or "text", "markup", MARKUPS)
    except ValueError as error:
        raise ConversionError(str(error), source="--markup") from None
    try:
        mode = choice_value(mode or "bibliography", "mode", MODES)
    except ValueError as error:
        raise ConversionError(str(error), source="--mode") from None
    if progress is not None and not callable(progress):
        raise ConversionError("progress must be a function (done, total)", source="progress")
    style = str(style) if style else DEFAULT_STYLE
    locale = str(locale) if locale else None
    try:
        engine = Engine(style, locale)  # fail fast, before the input is read
    except StyleLookupError as error:
        option = "--locale" if isinstance(error, UnknownLocaleError) else "--style"
        raise ConversionError(str(error), source=option) from None
    if mode == "bibliography" and not engine.has_bibliography:
        raise ConversionError(
            f"style {engine.name} defines no bibliography; use --mode citation", source="--style"
        )
    text = render(
        items,
        style=engine,
        locale=locale,
        markup=markup,
        mode=mode,
        citations=citations,
        report=report,
        progress=progress,
    )
    out.write(text)
