"""The engine refconv formats with: a CSL style and locale prepared once, run over items.

:class:`Engine` prepares a style once (parsed safely, compiled, locale
merged) and formats bibliographies and citation clusters with refconv's CSL
processor, turning failures into :class:`UnsupportedStyleError` or per-item
reports. The processor's parts:

* :mod:`.csl.style` and :mod:`.csl.locale`: compiling a style once, with its
  options as typed records, and merging locales;
* :mod:`.csl.nodes`: the render state of one cite or entry, ``cs:text``,
  ``cs:label``, ``cs:number``, groups, conditions, macros, substitution,
  display and second-field-align;
* :mod:`.csl.names`, :mod:`.csl.dates`, :mod:`.csl.numbers`,
  :mod:`.csl.textcase`: those elements and formats;
* :mod:`.csl.output`: the output tree, punctuation at seams, quotes and
  flip-flop, citation-number and year-suffix ranges, and the formatted text
  :mod:`.markup` writes in each markup;
* :mod:`.csl.disambiguation` (named strategies and the name registry) and
  :mod:`.csl.positions` (ibid, subsequent, near-note);
* :mod:`.csl.processor`: the registry of items, sorting and collation,
  citation numbers, cite grouping and collapsing, subsequent-author-substitute.

Each rule carries a comment naming the CSL 1.0.2 section it implements; the
CSL test suite (tests/test_citation_conformance.py) and the citeproc-js
goldens (tests/test_citation_parity.py) measure them. citeproc-py supplies
the CSL locale files and is the benchmark's baseline; it does not render.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.diagnostics import ConversionError, Report
from . import catalog, xmlsafe
from .csl import locale as csl_locale
from .csl import positions
from .csl import processor as csl_processor
from .items import Prepared
from .markup import Text

CSL_NS = "http://purl.org/net/xbiblio/csl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class UnsupportedStyleError(ConversionError):
    """The processor cannot load or render this style."""

    def __init__(self, style: str, reason: str):
        super().__init__(f"style {style} is not supported by the formatter: {reason}")
        self.style = style
        self.reason = reason

    def __str__(self) -> str:
        return self.message if self.source is None else super().__str__()


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@functools.cache
def _locale_bytes(path: Path) -> bytes:
    return path.read_bytes()


def load_locale_file(path: Path, what: str | None = None) -> Any:
    """A ``cs:locale`` root parsed safely."""
    root = xmlsafe.parse(_locale_bytes(path), what or f"locale file {path}")
    if root.tag != f"{{{CSL_NS}}}locale":
        raise ValueError(f"{what or path} is not a CSL locale file (root <{root.tag}>)")
    return root


@functools.cache
def _shipped_locale(name: str) -> Any:
    return load_locale_file(catalog.locale_file(name))


def load_style_root(data: bytes, what: str) -> Any:
    root = xmlsafe.parse(data, what)
    if root.tag != f"{{{CSL_NS}}}style":
        tag = root.tag.split("}")[-1]
        raise ValueError(f"{what} is not a CSL style (its root element is <{tag}>)")
    return root


@dataclass
class Entry:
    """One bibliography entry: the item's key, the id the user gave, and its formatted text."""

    key: str
    id: str
    text: Text


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
    position: int | None = None  # citeproc-js position, when the caller fixes it
    near_note: bool | None = None


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
        self._root = root
        self.default_locale = default_locale
        try:
            built = self._build_locale(root, self.locale, user_locale)
            self.processor = csl_processor.build(root, built, self.locale)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
            raise UnsupportedStyleError(self.name, _reason(error)) from None

    @staticmethod
    def _build_locale(root: Any, lang: str, user_locale: Any) -> csl_locale.Locale:
        """CSL 1.0.2 "Locale Fallback", merged in citeproc-js's order: the primary dialect's
        file, the locale's own (or the user's file), then the style's cs:locale elements."""
        bare = lang.split("-")[0]
        base = catalog.primary_dialect(bare) or lang
        best = base if "-" not in lang and base else lang
        files = []
        names: list[str] = []
        if best != "en-US" and base != best:
            names.append(base)
        names.append(best)
        for name in names:
            with contextlib.suppress(catalog.UnknownLocaleError):
                name = catalog.canonical_locale(name)
            if catalog.locale_file(name).is_file():
                files.append(_shipped_locale(name))
        if user_locale is not None:
            files.append(user_locale)
        if not files:
            files.append(_shipped_locale("en-US"))
        style_locales = list(root.iterfind(f"{{{CSL_NS}}}locale"))
        return csl_locale.build_locale(best, files, style_locales, bare, base)

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
        self._load(prepared, cited)
        entries: list[Entry] = []
        failures: list[str] = []
        total = len(self.processor.reflist)
        for done, (key, text, error) in enumerate(self.processor.bibliography(), 1):
            original = prepared.original.get(key, key)
            if error is not None:
                failures.append(_reason(error))
                report.error(
                    f"{original}: style {self.name} is not supported by the formatter for this "
                    f"item: {_reason(error)}"
                )
            elif not text:
                report.warning(f"{original}: style {self.name} prints nothing for this item")
            else:
                entries.append(Entry(key, original, text))
            if progress is not None:
                progress(done, total)
        if failures and not entries and len(failures) == total:
            raise UnsupportedStyleError(self.name, failures[0])
        return entries

    def _load(self, prepared: Prepared, first: Sequence[str] = ()) -> None:
        by_key = {item["id"]: item for item in prepared.items}
        order = list(dict.fromkeys([*first, *by_key]))
        try:
            self.processor.load(by_key[key] for key in order)
        except Exception as error:
            raise UnsupportedStyleError(
                self.name, f"preparing the items failed: {_reason(error)}"
            ) from None

    def citations(
        self,
        prepared: Prepared,
        clusters: Sequence[Sequence[CiteSpec]],
        *,
        report: Report | None = None,
        progress: Callable[[int, int], None] | None = None,
        track_positions: bool = True,
    ) -> list[Text | None]:
        """One formatted citation per cluster (None where it failed or printed nothing).

        Clusters are rendered in order, as the notes or in-text citations of a
        document, so ``position`` conditions (ibid, subsequent) apply; with
        ``track_positions=False`` every cluster is rendered as if it came first
        (citeproc-js ``makeCitationCluster``). Cites of unknown ids are reported
        and left out.
        """
        report = report or Report()
        resolved: list[list[dict[str, Any]]] = []
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
            resolved.append(cites)
        self._load(prepared, first_cited)
        if track_positions:
            positions.track(resolved, self.processor.context.citation_options.near_note_distance)
        output: list[Text | None] = []
        failures = 0
        total = len(resolved)
        for done, cites in enumerate(resolved, 1):
            text = None
            if cites:
                try:
                    text = self.processor.cluster(cites)
                except Exception as error:
                    failures += 1
                    report.error(
                        f"citation cluster {done}: style {self.name} is not supported by the "
                        f"formatter for it: {_reason(error)}"
                    )
                    if failures == total:
                        raise UnsupportedStyleError(self.name, _reason(error)) from None
                else:
                    if not text:
                        ids = ", ".join(prepared.original.get(c["id"], c["id"]) for c in cites)
                        report.warning(
                            f"citation cluster {done}: style {self.name} prints nothing for {ids}"
                        )
            output.append(text or None)
            if progress is not None:
                progress(done, total)
        return output

    @staticmethod
    def _cite(key: str, spec: CiteSpec) -> dict[str, Any]:
        cite: dict[str, Any] = {"id": key}
        if spec.locator not in (None, ""):
            cite["locator"] = str(spec.locator)
            cite["label"] = (spec.label or "page").strip()
        elif spec.label:
            cite["label"] = spec.label.strip()
        if spec.prefix:
            cite["prefix"] = spec.prefix
        if spec.suffix:
            cite["suffix"] = spec.suffix
        if spec.author_only:
            cite["author-only"] = True
        elif spec.suppress_author:
            cite["suppress-author"] = True
        if spec.position is not None:
            cite["position"] = spec.position
        if spec.near_note is not None:
            cite["near-note"] = spec.near_note
        return cite
