"""What rendering a cite or entry sees besides its item (hayagriva's ``Context``,
jgm/citeproc's ``Eval`` environment), in three parts:

* :class:`StyleContext`: the compiled style and locale's settings, fixed once
  the processor is built;
* :class:`ClusterState`: what one cite leaves for the next ones of a citation
  cluster (and what disambiguation counts while it renders);
* :class:`Document`: the questions only the registry of all items can answer
  (citation numbers, given-name levels, the previous entry's names).

A :class:`.nodes.Render` holds one of each; rendering elements read them
through it and never reach into the processor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from . import numbers, textcase
from .output import Blob, Decoration, FlipFlopper
from .style import Layout, LayoutOptions

if TYPE_CHECKING:
    from .locale import Locale
    from .nodes import Render
    from .style import Style


class StyleContext:
    """The style's and locale's settings rendering needs, prepared once."""

    __slots__ = (
        "areas",
        "bibliography_options",
        "citation_options",
        "collapse",
        "demote_particle",
        "disambiguate_add_year_suffix",
        "flipper",
        "has_page_format",
        "has_year_suffix_variable",
        "initialize_with_hyphen",
        "number_parser",
        "page_formatter",
        "quotes",
        "second_field_align",
        "skip_words",
        "year_formatter",
        "year_range_format",
    )

    def __init__(self, style: Style, locale: Locale):
        self.quotes = (
            locale.text("open-quote"),
            locale.text("close-quote"),
            locale.text("open-inner-quote"),
            locale.text("close-inner-quote"),
        )
        self.flipper = FlipFlopper(self.quotes)
        self.number_parser = numbers.NumberParser(locale)
        self.skip_words = textcase.skip_words_pattern(locale.options["skip-words"])
        options = style.options
        self.has_page_format = bool(options.page_range_format)
        self.page_formatter = numbers.RangeFormatter(
            locale.text("page-range-delimiter") or "\u2013", options.page_range_format
        )
        self.year_range_format = options.year_range_format
        self.year_formatter = numbers.RangeFormatter(
            locale.text("year-range-delimiter") or "\u2013", self.year_range_format
        )
        self.demote_particle = options.demote_non_dropping_particle
        self.initialize_with_hyphen = options.initialize_with_hyphen
        citation = style.citation or Layout()
        self.citation_options = citation.options
        bibliography = style.bibliography
        self.bibliography_options = bibliography.options if bibliography else LayoutOptions()
        self.collapse = self.citation_options.collapse
        self.disambiguate_add_year_suffix = (
            self.citation_options.disambiguate_add_year_suffix and style.cls != "numeric"
        )
        self.has_year_suffix_variable = style.year_suffix_variable
        self.second_field_align = self.bibliography_options.second_field_align in (
            "flush",
            "margin",
        )
        self.areas = {
            "citation": AreaContext(style, style.citation, self.citation_options),
            "bibliography": AreaContext(style, style.bibliography, self.bibliography_options),
        }


class AreaContext:
    """The settings of one area (citation or bibliography): its layout's options,
    delimiter and decorations, and the name options it inherits."""

    __slots__ = ("delimiter", "inherited", "layout_decorations", "options")

    def __init__(self, style: Style, layout: Layout | None, options: LayoutOptions):
        self.options = options
        self.delimiter = layout.fmt.delimiter if layout is not None else ""
        self.layout_decorations: list[Decoration] = (
            layout.fmt.decorations if layout is not None else []
        )
        self.inherited: dict[str, str] = layout.inherited if layout is not None else style.inherited


class ClusterState:
    """What one cite leaves for the next ones of a cluster, and disambiguation's counts."""

    __slots__ = (
        "disambiguate_count",
        "disambiguate_count_max",
        "in_cite_predecessor",
        "last_years_used",
        "splice_delimiter",
    )

    def __init__(self) -> None:
        self.in_cite_predecessor = False  # the cite has printed something (a term may follow)
        self.splice_delimiter: str | None = None  # the delimiter before the next cite
        self.last_years_used: list[Any] = []  # the previous cite's years (year-suffix collapse)
        # cs:if disambiguate="true" conditions met so far, and seen, in the current render
        self.disambiguate_count = 0
        self.disambiguate_count_max = 0


class Document(Protocol):
    """What only the registry of every item can answer while a cite or entry renders."""

    def citation_number(self, item_id: str) -> int: ...

    def trigraph(self, item: dict[str, Any]) -> str: ...

    def given_level(self, r: Render, s: Any, name: dict[str, Any], pos: int, index: int,
                    default: int) -> int: ...  # fmt: skip

    def subsequent_author_hook(self, r: Render, node: Any, kind: str) -> None: ...

    def collapse_author(self, r: Render, element: Any, holder: Blob,
                        variables: list[str]) -> None: ...  # fmt: skip
