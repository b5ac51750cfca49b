"""The adapter layer between refconv and citeproc-py: every change to its behaviour lives here.

citeproc-py turns each element of a CSL style into an instance of a class
named after the element (``cs:names`` → ``Names``); it finds those classes
through an lxml element-class lookup. refconv builds its own lookup
(:func:`element_lookup`) in which some elements map to subclasses defined in
this module, leaving citeproc-py itself untouched (plain citeproc-py in the
same process still behaves as before, which the benchmark relies on).

Rules for changes here: each override says which CSL rule (or which
citeproc-py defect) it implements, in a comment, and has a test (the
golden comparison with citeproc-js in tests/test_citation_parity.py and the
CSL test suite in tests/test_citation_conformance.py measure the effect).
The overrides so far:

* :class:`Style` loads locales through the safe parser and refconv's locale
  resolution (a user's locale file, the style's default locale);
* :class:`Key` sorts on text without formatting marks (CSL 1.0.2
  "Sorting": keys are compared as plain strings);
* :class:`Names` honours the cite-item flags ``suppress-author`` and
  ``author-only`` (CSL-JSON citation items, as citeproc-js does);
* :class:`Layout` renders cites and entries one at a time, so one item that
  breaks the formatter is reported instead of losing the whole output;
* :class:`Text`, :class:`Label`, :class:`Number`, :class:`Date_Part` and
  :class:`Name_Part` apply text-case to any text (citeproc-py raised on
  formatted text, name parts and numbers) and keep the spacing around
  nocase spans;
* :func:`build_source` gives citeproc-py every CSL 1.0.2 name and date
  variable and glues particles ending in a hyphen or apostrophe;
* :class:`RichString` capitalises the first letter past any formatting mark.

Where further fixes belong: rendering of one element (punctuation in quotes,
text-case rules, date delimiters, page ranges, initials) in the override of
that element's class; whole-entry layout (second-field-align, display,
subsequent-author-substitute) in :class:`Layout` plus the HTML shape in
:mod:`.markup`; anything that compares items (disambiguation, year
suffixes, cite collapsing) in :class:`Engine`, which sees all entries and
cites of a run; speed (caching macro and XPath look-ups per style) in the
element classes and :func:`element_lookup`, which parse a style once per
:class:`Engine`.

:class:`Engine` prepares a style once and formats bibliographies and
citation clusters with it, turning citeproc-py's exceptions into
:class:`UnsupportedStyleError`.
"""

from __future__ import annotations

import contextlib
import functools
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import model
from citeproc.frontend import CitationStylesBibliography, CitationStylesStyle
from citeproc.source import (
    BibliographySource,
    Citation,
    CitationItem,
    Date,
    DateRange,
    LiteralDate,
    Locator,
    Name,
    Reference,
    VariableError,
)
from citeproc.string import MixedString, NoCase, String

from ..core.diagnostics import ConversionError, Report
from ..core.model import DATE_VARIABLES, NAME_VARIABLES
from . import catalog, markup, xmlsafe
from .items import Prepared

CSL_NS = "http://purl.org/net/xbiblio/csl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class UnsupportedStyleError(ConversionError):
    """citeproc-py cannot load or render this style."""

    def __init__(self, style: str, reason: str):
        super().__init__(f"style {style} is not supported by the formatter: {reason}")
        self.style = style
        self.reason = reason

    def __str__(self) -> str:
        return self.message if self.source is None else super().__str__()


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# --- strings ------------------------------------------------------------------------


class RichString(String):
    """citeproc-py's ``String``, aware of formatting marks.

    ``capitalize_first`` upper-cases the first letter, not the first character:
    in ``<i>homo</i>`` that is the ``h`` after the italic mark (CSL 1.0.2
    "Text-case": capitalize-first capitalises the first character of the
    first word; marks are not characters).
    """

    def capitalize_first(self) -> RichString:
        text = str(self)
        for index, char in enumerate(text):
            if not markup.MARKS.match(char):
                return self.__class__(text[:index] + char.upper() + text[index + 1 :])
        return self


def _mixed(value: str) -> Any:
    """A data string → RichString, or MixedString when it has nocase spans."""
    if markup.OPEN[markup.NOCASE] not in value:
        return RichString(value)
    opening, closing = markup.OPEN[markup.NOCASE], markup.CLOSE[markup.NOCASE]
    output = MixedString()
    depth = 0
    piece = ""
    for char in value:
        if char == opening:
            if depth == 0 and piece:
                output.append(RichString(piece))
                piece = ""
            depth += 1
        elif char == closing and depth:
            depth -= 1
            if depth == 0 and piece:
                output.append(NoCase(piece))
                piece = ""
        else:
            piece += char
    if piece:
        output.append(NoCase(piece) if depth else RichString(piece))
    return output


# --- items → citeproc-py references ------------------------------------------------------


def _py(name: str) -> str:
    return name.replace("-", "_")


def _citeproc_date(value: dict[str, Any]) -> Any:
    circa = bool(value.get("circa"))
    parts = value.get("date-parts")
    if not parts:
        return LiteralDate(value["literal"], circa=circa)

    def single(part: list[int]) -> Date:
        fields = dict(zip(("year", "month", "day"), part, strict=False))
        if "season" in value and len(part) == 1:
            fields["season"] = value["season"]
        return Date(**fields)

    if len(parts) == 1:
        date = single(parts[0])
        date["circa"] = circa
        return date
    return DateRange(begin=single(parts[0]), end=single(parts[1]), circa=circa)


_JOINING_END = ("-", "'", "\u2019")


def _glued(name: dict[str, str]) -> dict[str, str]:
    """Particles ending in a hyphen or apostrophe join the next part without a space.

    citeproc-js prints ``al-Aswānī`` and ``d'Alembert``; citeproc-py always puts
    a space between name parts. The particle gets a GLUE mark, which the
    markup renderer removes together with the space after it.
    """
    if not any(name.get(p, "").endswith(_JOINING_END) for p in _PARTICLES):
        return name
    glued = dict(name)
    for part in _PARTICLES:
        if glued.get(part, "").endswith(_JOINING_END):
            glued[part] += markup.GLUE
    return glued


_PARTICLES = ("non-dropping-particle", "dropping-particle")


def build_source(prepared: Prepared) -> BibliographySource:
    """citeproc-py references from prepared items (every CSL 1.0.2 name and date variable)."""
    source = BibliographySource()
    with warnings.catch_warnings():
        # citeproc-py warns about variables it does not list (CSL 1.0.2 ones); it keeps them
        warnings.simplefilter("ignore")
        for item in prepared.items:
            fields: dict[str, Any] = {}
            for key, value in item.items():
                if key in ("id", "type", "key"):  # "key" would clash with Reference(key, ...)
                    continue
                if key in NAME_VARIABLES:
                    fields[_py(key)] = [Name(**_glued(name)) for name in value]
                elif key in DATE_VARIABLES or key == "container":
                    fields[_py(key)] = _citeproc_date(value)
                elif key == "language":
                    fields[key] = value
                else:
                    fields[_py(key)] = _mixed(value)
            source.add(Reference(item["id"], item["type"], **fields))
    return source


# --- element overrides ------------------------------------------------------------------------


class Style(model.Style):
    def set_locales(self, chosen: str, user_locale: Any = None) -> None:
        """The locales to search, in CSL 1.0.2 "Locale Fallback" order.

        In-style ``cs:locale`` for the chosen dialect, then its language, then
        the one without ``xml:lang``; then the locale files: a user's file, the
        chosen dialect, the language's primary dialect, and en-US. Replaces
        citeproc-py's ``set_locale_list``, which parses files with its own
        parser and silently falls back to en-US for unknown names.
        """
        self.locales = []
        language = chosen.split("-")[0]
        for lang in (chosen, language, None):
            for element in self.findall(f"{{{CSL_NS}}}locale"):
                if element.get(XML_LANG) == lang and element not in self.locales:
                    self.locales.append(element)
        if user_locale is not None:
            self.locales.append(user_locale)
        seen: set[str] = set()
        for name in (chosen, catalog.primary_dialect(language), "en-US"):
            if name and name not in seen and catalog.locale_file(name).is_file():
                seen.add(name)
                self.locales.append(load_locale_file(catalog.locale_file(name)))
        for locale in self.locales:
            locale.style = self

    def set_locale_list(self, output_locale: str, validate: bool = True) -> None:
        self.set_locales(catalog.canonical_locale(output_locale))


class Key(model.Key):
    def sort_keys(self, items: Any, context: Any) -> list[Any]:
        # CSL 1.0.2 "Sorting": keys compare as text; formatting (marks) is not text.
        keys = super().sort_keys(items, context)
        return [k if k is None or isinstance(k, int) else markup.strip_marks(str(k)) for k in keys]


def _caseable(text: Any) -> Any:
    """Text citeproc-py's text-case code can work on (it needs its string methods)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return markup.Marked(str(text))
    if type(text) is str:
        return markup.Marked(text)
    return text


_WORD_CASES = ("title", "capitalize-all", "sentence")
_SPACES = re.compile(r"(\s+)")


class _SafeCase:
    # citeproc-py applies text-case to whatever it has; plain str (name parts,
    # formatted macros) and int (citation-number) lack its String methods and
    # raised AttributeError, making whole styles unusable.
    def case(self, text: Any, language: Any = None) -> Any:
        if text is None:
            return None
        if isinstance(text, MixedString) and self.get("text-case") in _WORD_CASES:
            return self._case_segments(text, language)
        return super().case(_caseable(text), language)  # type: ignore[misc]

    def _case_segments(self, text: MixedString, language: Any) -> Any:
        """citeproc-py's word-by-word text-cases, without re-joining the words.

        citeproc-py splits a MixedString (text with nocase spans) into words
        across its pieces and joins them with spaces, so ``<span
        class="nocase">pH</span>-sensitive`` became ``pH -sensitive``. Same
        rules (its stop words, its capitalisation), applied piece by piece
        with the original white space kept.
        """
        text_case = self.get("text-case")
        if text_case == "title" and language != "en":
            return text
        all_upper = text.isupper()
        output = MixedString()
        previous = ":"  # the first word of a title is capitalised
        first = True
        for piece in text:
            kind = type(piece)
            tokens = _SPACES.split(str(piece))
            for i in range(0, len(tokens), 2):
                word = kind(tokens[i])
                if not tokens[i]:
                    continue
                if text_case == "capitalize-all":
                    word = word.capitalize_first()
                elif text_case == "sentence":
                    if not all_upper and not word.isupper():
                        word = word.soft_lower()
                    if first:
                        word = word.capitalize_first()
                elif word.islower() and (
                    str(word) not in model.TextCased._stop_words or previous in (":", ".")
                ):
                    word = word.capitalize_first()
                elif word.islower():
                    word = word.soft_lower()
                previous = str(word)[-1]
                first = False
                tokens[i] = str(word)
            output.append(kind("".join(tokens)))
        return output


class Text(_SafeCase, model.Text):
    pass


class Label(_SafeCase, model.Label):
    pass


class Number(_SafeCase, model.Number):
    pass


class Date_Part(_SafeCase, model.Date_Part):
    pass


class Name_Part(_SafeCase, model.Name_Part):
    def format_part(self, given: Any, family: Any) -> tuple[Any, Any]:
        # a missing part stays missing (citeproc-py formatted None as "None")
        part = self.get("name")
        if part == "given" and given:
            given = self.wrap(self.format(self.case(given)))
        elif part == "family" and family:
            family = self.wrap(self.format(self.case(family)))
        return given, family


_cite_modes_active = 0  # cites being rendered with suppress-author or author-only


class Names(model.Names):
    def render(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        # CSL-JSON cite items: "suppress-author" drops the first names element of
        # the cite (author or its substitute), "author-only" keeps only it.
        if not _cite_modes_active:  # the common case: no look-up of the layout at all
            return super().render(item, *args, **kwargs)
        layout = _cite_layout(self, kwargs.get("context"))
        state = getattr(layout, "refconv_cite", None) if layout is not None else None
        text = super().render(item, *args, **kwargs)
        if state is None or state["names_done"] or not text or self._in_substitute():
            return text
        state["names_done"] = True
        if state["mode"] == "suppress-author":
            return None
        state["author"] = text
        return text

    @functools.cached_property
    def _substituted(self) -> bool:
        return bool(self.xpath("ancestor::cs:substitute", namespaces=self.nsmap))

    def _in_substitute(self) -> bool:
        # names inside cs:substitute stand in for the outer names element, which decides
        return self._substituted


def _cite_layout(element: Any, context: Any) -> Any:
    try:
        return (context if context is not None else element).get_layout()
    except (IndexError, AttributeError):
        return None


class Layout(model.Layout):
    def render_citation(self, citation: Any, callback: Any) -> Any:
        # As citeproc-py's, plus suppress-author / author-only (see Names).
        bibliography = citation.bibliography
        cites = [cite for cite in citation.cites if not cite.is_bad()]
        cites.sort(key=lambda cite: bibliography.keys.index(cite.key))
        parent = self.getparent()
        if parent.sort is not None:
            cites = parent.sort.sort(cites, self)
        out = []
        global _cite_modes_active
        for cite in cites:
            self.repressed = {}
            mode = cite.get("refconv_mode")
            self.refconv_cite = {"mode": mode, "names_done": False, "author": None}
            _cite_modes_active += mode is not None
            try:
                output = self.render_children(cite)
            except VariableError:
                output = None
            finally:
                state, self.refconv_cite = self.refconv_cite, None
                _cite_modes_active -= mode is not None
            if mode == "author-only":
                # as citeproc-js: the author alone, without the layout's affixes and
                # formatting, and the rest of the cluster is dropped
                return state["author"]
            if output is not None:
                out.append(cite.get("prefix", "") + output + cite.get("suffix", ""))
                parent.cites.append(cite)
        if not out:
            return None
        return self.format(self.wrap(self.join(out)))

    def render_bibliography(self, citation_items: Any) -> list[Any]:
        # A layout that renders nothing for an item gives no entry (citeproc-py
        # would format None, printing "None" when the layout is italic).
        output = []
        for item in citation_items:
            self.repressed = {}
            text = self.render_children(item)
            if text is not None:
                output.append(self.format(self.wrap(text)))
        return output


_OVERRIDES: dict[str, type] = {
    "style": Style,
    "key": Key,
    "names": Names,
    "layout": Layout,
    "text": Text,
    "label": Label,
    "number": Number,
    "date-part": Date_Part,
    "name-part": Name_Part,
}


@functools.cache
def element_lookup() -> Any:
    """citeproc-py's element classes with refconv's overrides, for lxml's parser."""
    from lxml import etree

    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = model.CitationStylesElement
    for cls in model.CitationStylesElement.__subclasses__():
        namespace[cls.__name__.replace("_", "-").lower()] = cls
    namespace.update(_OVERRIDES)
    return lookup


def _parser() -> Any:
    return xmlsafe.make_parser(element_lookup())


@functools.cache
def _locale_bytes(path: Path) -> bytes:
    return path.read_bytes()


def load_locale_file(path: Path, what: str | None = None) -> Any:
    """A ``cs:locale`` root parsed safely with refconv's element classes."""
    root = xmlsafe.parse(_locale_bytes(path), what or f"locale file {path}", _parser())
    if root.tag != f"{{{CSL_NS}}}locale":
        raise ValueError(f"{what or path} is not a CSL locale file (root <{root.tag}>)")
    return root


def load_style_root(data: bytes, what: str) -> Any:
    root = xmlsafe.parse(data, what, _parser())
    if root.tag != f"{{{CSL_NS}}}style":
        tag = root.tag.split("}")[-1]
        raise ValueError(f"{what} is not a CSL style (its root element is <{tag}>)")
    return root


class _CiteprocStyle(CitationStylesStyle):
    """citeproc-py's style front end around a root refconv has parsed."""

    def __init__(self, root: Any):  # no super().__init__: it would parse again, unsafely
        self.root = root
        self.xml = root.getroottree()


@dataclass
class Entry:
    """One bibliography entry: the item's key, the id the user gave, and marked text."""

    key: str
    id: str
    marked: str


@dataclass
class CiteSpec:
    """One cite in a cluster, as users write it (CSL-JSON citation item)."""

    id: str
    locator: str | None = None
    label: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    suppress_author: bool = False
    author_only: bool = False


class Engine:
    """A style and locale prepared once; formats bibliographies and citations.

    ``style`` is a name, alias, CSL id or path (see :mod:`.catalog`); ``locale``
    a CSL locale name or a path to a locale file, defaulting to the style's
    (a dependent style's own default wins over its parent's).
    """

    def __init__(self, style: str = "apa", locale: str | None = None):
        info = catalog.resolve_style(style)
        self.info = info
        self.name = info.name
        data = self._read(info)
        header = catalog.read_header(data)
        own_default = header["default_locale"]
        if header["parent"]:
            if info.source == catalog.FILE:
                # a user's dependent style: check it safely even though only its header is used
                try:
                    load_style_root(data, f"style {info.path}")
                except ValueError as error:
                    raise UnsupportedStyleError(self.name, str(error)) from None
            parent = catalog.parent_of(info)
            self.parent: catalog.StyleInfo | None = parent
            data = self._read(parent)
            parent_default = catalog.read_header(data)["default_locale"]
            default_locale = own_default or parent_default
        else:
            self.parent = None
            default_locale = own_default
        source = self.parent or info
        what = f"style {source.path}" if source.source == catalog.FILE else f"style {source.name}"
        try:
            root = load_style_root(data, what)
        except ValueError as error:
            raise UnsupportedStyleError(self.name, str(error)) from None
        version = root.get("version", "")
        if not version.startswith("1."):
            raise UnsupportedStyleError(
                self.name, f"it is CSL {version or '(no version)'}; only CSL 1.0 styles work"
            )
        if root.find(f"{{{CSL_NS}}}citation") is None:
            raise UnsupportedStyleError(self.name, "it has no <citation> element")
        defined = {m.get("name") for m in root.iterfind(f"{{{CSL_NS}}}macro")}
        for element in root.iter(f"{{{CSL_NS}}}text", f"{{{CSL_NS}}}key"):
            called = element.get("macro")
            if called is not None and called not in defined:
                raise UnsupportedStyleError(
                    self.name, f"it calls macro {called!r}, which it does not define"
                )
        self.locale, user_locale = self._choose_locale(locale, default_locale)
        try:
            root.set_locales(self.locale, user_locale)
        except ValueError as error:
            raise UnsupportedStyleError(self.name, str(error)) from None
        self._root = root
        self._style = _CiteprocStyle(root)
        self.default_locale = default_locale

    @staticmethod
    def _read(info: catalog.StyleInfo) -> bytes:
        try:
            return info.path.read_bytes()
        except OSError as error:
            raise catalog.UnknownStyleError(
                str(info.path), [], hint=f": cannot read: {error.strerror}"
            ) from None

    @staticmethod
    def _choose_locale(locale: str | None, default: str | None) -> tuple[str, Any]:
        if locale and (catalog.looks_like_path(locale) or Path(locale).is_file()):
            path = Path(locale).expanduser()
            if not path.is_file():
                raise catalog.UnknownLocaleError(locale, [])
            try:
                root = load_locale_file(path, f"locale file {path}")
            except OSError as error:
                raise ConversionError(f"cannot read: {error.strerror}", source=str(path)) from None
            except ValueError as error:
                raise ConversionError(str(error), source="--locale") from None
            code = root.get(XML_LANG) or "en-US"
            # a locale CSL does not ship keeps its own name: its terms, then en-US
            with contextlib.suppress(catalog.UnknownLocaleError):
                code = catalog.canonical_locale(code)
            return code, root
        if locale:
            return catalog.canonical_locale(locale), None
        if default:
            try:
                return catalog.canonical_locale(default), None
            except catalog.UnknownLocaleError:
                # a style may define its own locale (cs:locale xml:lang="gx"); files fall back
                return default, None
        return "en-US", None

    # --- properties --------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def has_bibliography(self) -> bool:
        return self._root.find(f"{{{CSL_NS}}}bibliography") is not None

    @property
    def is_note_style(self) -> bool:
        return self._root.get("class") == "note"

    # --- rendering ----------------------------------------------------------------------

    def _bibliography_object(self, prepared: Prepared, order: Sequence[str]) -> Any:
        source = build_source(prepared)
        bibliography = CitationStylesBibliography(self._style, source, markup.CITEPROC_FORMATTER)
        for key in order:
            bibliography.register(Citation([CitationItem(key)]))
        if self.has_bibliography:
            try:
                bibliography.sort()
            except Exception as error:
                raise UnsupportedStyleError(
                    self.name, f"sorting failed: {_reason(error)}"
                ) from None
        return bibliography

    def bibliography(
        self,
        prepared: Prepared,
        *,
        cited: Sequence[str] = (),
        report: Report | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Entry]:
        """Entries for every prepared item, in the style's order.

        ``cited`` (engine keys) come first, in that order, as if cited in a
        document; the others follow. An item the formatter fails on is
        reported and left out.
        """
        if not self.has_bibliography:
            raise UnsupportedStyleError(self.name, "it defines no bibliography; use citation mode")
        report = report or Report()
        keys = [item["id"] for item in prepared.items]
        order = list(dict.fromkeys([*cited, *keys]))
        bibliography = self._bibliography_object(prepared, order)
        layout = self._root.bibliography.layout
        entries: list[Entry] = []
        failures: list[str] = []
        total = len(bibliography.items)
        for done, item in enumerate(bibliography.items, 1):
            entry = self._entry(layout, item, prepared, report, failures)
            if entry is not None:
                entries.append(entry)
            if progress is not None:
                progress(done, total)
        if failures and not entries and len(failures) == total:
            raise UnsupportedStyleError(self.name, failures[0])
        return entries

    def _entry(
        self, layout: Any, item: Any, prepared: Prepared, report: Report, failures: list[str]
    ) -> Entry | None:
        original = prepared.original.get(item.key, item.key)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rendered = layout.render_bibliography([item])
        except Exception as error:
            failures.append(_reason(error))
            report.error(
                f"{original}: style {self.name} is not supported by the formatter for this "
                f"item: {_reason(error)}"
            )
            return None
        if not rendered:
            report.warning(f"{original}: style {self.name} prints nothing for this item")
            return None
        return Entry(item.key, original, str(rendered[0]))

    def citations(
        self,
        prepared: Prepared,
        clusters: Sequence[Sequence[CiteSpec]],
        *,
        report: Report | None = None,
        progress: Callable[[int, int], None] | None = None,
        track_positions: bool = True,
    ) -> list[str | None]:
        """One marked string per cluster (None where the cluster failed or printed nothing).

        Clusters are rendered in order, as the notes or in-text citations of a
        document, so ``position`` conditions (ibid, subsequent) apply; with
        ``track_positions=False`` every cluster is rendered as if it came first
        (citeproc-js ``makeCitationCluster``). Cites of unknown ids are reported
        and left out.
        """
        report = report or Report()
        citations: list[Citation | None] = []
        first_cited: list[str] = []
        for number, cluster in enumerate(clusters, 1):
            cites = []
            for spec in cluster:
                key = prepared.find(spec.id)
                if key is None:
                    report.error(f"citation cluster {number}: no item with id {spec.id!r}")
                    continue
                cites.append(self._cite(key, spec))
                first_cited.append(key)
            citations.append(Citation(cites) if cites else None)
        keys = [item["id"] for item in prepared.items]
        bibliography = self._bibliography_object(
            prepared, list(dict.fromkeys([*first_cited, *keys]))
        )
        output: list[str | None] = []
        failures = 0
        total = len(citations)
        for done, citation in enumerate(citations, 1):
            text = None
            if citation is not None:
                citation.bibliography = bibliography
                if not track_positions:
                    bibliography._cites.clear()  # the cites position conditions look back on
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        text = bibliography.cite(citation, _unknown_cite)
                except Exception as error:
                    failures += 1
                    report.error(
                        f"citation cluster {done}: style {self.name} is not supported by the "
                        f"formatter for it: {_reason(error)}"
                    )
                    if failures == total:
                        raise UnsupportedStyleError(self.name, _reason(error)) from None
                else:
                    if text is None:
                        ids = ", ".join(prepared.original.get(c.key, c.key) for c in citation.cites)
                        report.warning(
                            f"citation cluster {done}: style {self.name} prints nothing for {ids}"
                        )
            output.append(str(text) if text is not None else None)
            if progress is not None:
                progress(done, total)
        return output

    @staticmethod
    def _cite(key: str, spec: CiteSpec) -> CitationItem:
        options: dict[str, Any] = {}
        if spec.locator not in (None, ""):
            label = (spec.label or "page").strip().replace("-", " ")
            options["locator"] = Locator(label, markup.rich_text_to_marks(str(spec.locator)))
        if spec.prefix:
            options["prefix"] = markup.rich_text_to_marks(spec.prefix)
        if spec.suffix:
            options["suffix"] = markup.rich_text_to_marks(spec.suffix)
        cite = CitationItem(key, **options)
        if spec.author_only:
            cite["refconv_mode"] = "author-only"
        elif spec.suppress_author:
            cite["refconv_mode"] = "suppress-author"
        return cite


def _unknown_cite(cite: Any) -> str:
    return f"{cite.key}?"
