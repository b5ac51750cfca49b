"""Compile a parsed CSL style into render elements, once per style and locale.

The lxml tree (parsed safely, see :mod:`..xmlsafe`) is walked once: macros,
layouts and sort keys become the element objects of :mod:`.nodes`,
:mod:`.dates` and :mod:`.names`, localized dates are merged with the locale's
date formats (CSL 1.0.2 "Localized Date Formats"), and options are read.
Nothing is looked up in the XML while rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import dates, names, nodes
from .locale import CSL_NS, Locale

_NS = CSL_NS
_NAME_INHERITABLE = (
    "and",
    "delimiter-precedes-et-al",
    "delimiter-precedes-last",
    "et-al-min",
    "et-al-use-first",
    "et-al-use-last",
    "et-al-subsequent-min",
    "et-al-subsequent-use-first",
    "initialize",
    "initialize-with",
    "name-as-sort-order",
    "sort-separator",
    "name-form",
    "name-delimiter",
    "names-delimiter",
)


def _tag(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag[len(_NS) :] if tag.startswith(_NS) else tag.split("}")[-1]


@dataclass(frozen=True)
class StyleOptions:
    """The options of ``cs:style`` the processor uses (CSL 1.0.2 "Global Options", and
    citeproc-js's ``year-range-format``), read once when the style is compiled."""

    page_range_format: str | None = None
    year_range_format: str | None = None
    demote_non_dropping_particle: str = "display-and-sort"
    initialize_with_hyphen: bool = True

    @classmethod
    def read(cls, attrib: dict[str, str]) -> StyleOptions:
        return cls(
            page_range_format=attrib.get("page-range-format"),
            year_range_format=attrib.get("year-range-format"),
            demote_non_dropping_particle=attrib.get(
                "demote-non-dropping-particle", "display-and-sort"
            ),
            initialize_with_hyphen=attrib.get("initialize-with-hyphen") != "false",
        )


@dataclass(frozen=True)
class LayoutOptions:
    """The options of ``cs:citation`` or ``cs:bibliography`` (CSL 1.0.2 "Citation-specific
    Options", "Bibliography-specific Options"), read once when the style is compiled; an
    option the element does not set has its CSL default, or None."""

    disambiguate_add_names: bool = False
    disambiguate_add_givenname: bool = False
    givenname_disambiguation_rule: str = "by-cite"
    disambiguate_add_year_suffix: bool = False
    collapse: str | None = None
    cite_group_delimiter: str | None = None
    year_suffix_delimiter: str | None = None
    after_collapse_delimiter: str | None = None
    near_note_distance: int = 5
    second_field_align: str | None = None
    subsequent_author_substitute: str | None = None
    subsequent_author_substitute_rule: str = "complete-all"

    @classmethod
    def read(cls, attrib: dict[str, str]) -> LayoutOptions:
        distance = _int(attrib.get("near-note-distance", "5"))
        return cls(
            disambiguate_add_names=attrib.get("disambiguate-add-names") == "true",
            disambiguate_add_givenname=attrib.get("disambiguate-add-givenname") == "true",
            givenname_disambiguation_rule=attrib.get("givenname-disambiguation-rule", "by-cite"),
            disambiguate_add_year_suffix=attrib.get("disambiguate-add-year-suffix") == "true",
            collapse=attrib.get("collapse"),
            cite_group_delimiter=attrib.get("cite-group-delimiter"),
            year_suffix_delimiter=attrib.get("year-suffix-delimiter"),
            after_collapse_delimiter=attrib.get("after-collapse-delimiter"),
            near_note_distance=5 if distance is None else distance,
            second_field_align=attrib.get("second-field-align"),
            subsequent_author_substitute=attrib.get("subsequent-author-substitute"),
            subsequent_author_substitute_rule=attrib.get(
                "subsequent-author-substitute-rule", "complete-all"
            ),
        )


class SortKey:
    __slots__ = (
        "descending",
        "lazy",
        "macro",
        "names_min",
        "names_use_first",
        "names_use_last",
        "variable",
    )

    def __init__(self, attrib: dict[str, str]):
        self.variable = attrib.get("variable")
        self.macro: Any = attrib.get("macro")
        self.descending = attrib.get("sort") == "descending"
        self.names_min = _int(attrib.get("names-min"))
        self.names_use_first = _int(attrib.get("names-use-first"))
        use_last = attrib.get("names-use-last")
        self.names_use_last = None if use_last is None else use_last == "true"
        # a key that renders no names has no side effect (names register for given-name
        # disambiguation as they render), so it may be computed only when a comparison
        # reaches it
        self.lazy = False


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


class Layout:
    __slots__ = ("children", "fmt", "inherited", "options", "sort")

    def __init__(self) -> None:
        self.fmt = nodes.Fmt()
        self.children: list[nodes.Element] = []
        self.sort: list[SortKey] = []
        self.options = LayoutOptions()
        self.inherited: dict[str, str] = {}


class Style:
    """A compiled style."""

    def __init__(self, root: Any, locale: Locale, lang: str):
        self.root = root
        self.locale = locale
        self.lang = lang
        self.cls = root.get("class", "in-text")
        self.is_in_text = self.cls == "in-text"
        self.is_note = self.cls == "note"
        self.default_locale = root.get("default-locale") or lang or "en-US"
        self.options = StyleOptions.read(root.attrib)
        inherited = {k: v for k, v in root.attrib.items() if k in _NAME_INHERITABLE}
        inherited.setdefault("sort-separator", ", ")
        self.inherited = inherited
        self.macros: dict[str, nodes.Macro] = {}
        self._in_substitute = 0
        self.uses_year_suffix = False
        self.uses_citation_number_in_bibliography = False
        macro_elements = {}
        for element in root.iterfind(f"{_NS}macro"):
            name = element.get("name")
            if name and name not in macro_elements:
                macro_elements[name] = element
                self.macros[name] = nodes.Macro(name)
        for name, element in macro_elements.items():
            self.macros[name].children = self._children(element)
            self.macros[name].has_date = element.find(f".//{_NS}date") is not None
        self._mark_names(macro_elements)
        self.citation = self._layout(root.find(f"{_NS}citation"))
        bibliography = root.find(f"{_NS}bibliography")
        self.bibliography = self._layout(bibliography) if bibliography is not None else None
        # a style that prints year-suffix or citation-label itself gets no year-suffix
        # after the year of dates (CSL 1.0.2 "disambiguate-add-year-suffix"; citeproc-js
        # appends it to the citation label)
        self.year_suffix_variable = any(
            e.get("variable") in ("year-suffix", "citation-label") for e in root.iter(f"{_NS}text")
        )

    # --- compiling ---------------------------------------------------------------------

    def _layout(self, element: Any) -> Layout | None:
        if element is None:
            return None
        layout = Layout()
        layout.options = LayoutOptions.read(element.attrib)
        layout.inherited = {**self.inherited}
        for key, value in element.attrib.items():
            if key in _NAME_INHERITABLE:
                layout.inherited[key] = value
        node = element.find(f"{_NS}layout")
        if node is not None:
            layout.fmt = nodes.Fmt(dict(node.attrib))
            layout.children = self._children(node)
        sort = element.find(f"{_NS}sort")
        if sort is not None:
            for key in sort.iterfind(f"{_NS}key"):
                spec = SortKey(dict(key.attrib))
                if spec.macro is not None:
                    spec.macro = self.macros.get(spec.macro)
                    if spec.macro is None:
                        continue
                if spec.macro is not None:
                    spec.lazy = not spec.macro.has_names
                else:
                    spec.lazy = spec.variable not in names.NAME_VARIABLES
                layout.sort.append(spec)
        return layout

    def _mark_names(self, elements: dict[str, Any]) -> None:
        """Which macros can render names, directly or through the macros they call."""
        direct = {}
        calls = {}
        for name, element in elements.items():
            direct[name] = element.find(f".//{_NS}names") is not None
            calls[name] = {e.get("macro") for e in element.iter(f"{_NS}text") if e.get("macro")}
        changed = True
        while changed:
            changed = False
            for name in elements:
                if not direct[name] and any(direct.get(c, False) for c in calls[name]):
                    direct[name] = True
                    changed = True
        for name in elements:
            self.macros[name].has_names = direct[name]

    def _children(self, element: Any) -> list[nodes.Element]:
        out: list[nodes.Element] = []
        for child in element:
            compiled = self._element(child)
            if compiled is not None:
                out.append(compiled)
        return out

    def _element(self, element: Any) -> nodes.Element | None:
        tag = _tag(element)
        attrib = dict(element.attrib)
        if tag == "text":
            node = nodes.Text(attrib)
            if node.macro is not None:
                node.proc_node = self.macros.get(node.macro)
                if node.proc_node is None:
                    return None
            if "year-suffix" in node.variables:
                self.uses_year_suffix = True
            return node
        if tag == "group":
            return nodes.Group(attrib, self._children(element))
        if tag == "choose":
            branches = []
            for branch in element:
                kind = _tag(branch)
                if kind in ("if", "else-if"):
                    branches.append((nodes.Condition(dict(branch.attrib)), self._children(branch)))
                elif kind == "else":
                    branches.append((None, self._children(branch)))
            return nodes.Choose(branches)
        if tag == "number":
            return nodes.Number(attrib)
        if tag == "label":
            return nodes.Label(attrib)
        if tag == "date":
            return self._date(element, attrib)
        if tag == "names":
            return self._names(element, attrib)
        return None

    def _date(self, element: Any, attrib: dict[str, str]) -> nodes.Element | None:
        form = attrib.get("form")
        own_parts = [dict(p.attrib) for p in element.iterfind(f"{_NS}date-part")]
        if form:
            localized = self.locale.dates.get(form)
            if localized is None:
                return None
            merged = dict(localized.attrib)
            merged.pop("form", None)
            for key in ("prefix", "suffix", "display"):
                merged.pop(key, None)
                if key in attrib:
                    merged[key] = attrib[key]
            merged["variable"] = attrib.get("variable", "")
            merged["form"] = form
            parts = [dict(p.attrib) for p in localized.iterfind(f"{_NS}date-part")]
            overrides = {p.get("name"): p for p in own_parts}
            for part in parts:
                extra = overrides.get(part.get("name"))
                if extra:
                    for key, value in extra.items():
                        if key != "name":
                            part[key] = value
            shown = attrib.get("date-parts")
            if shown == "year":
                parts = [p for p in parts if p.get("name") not in ("month", "day")]
            elif shown == "year-month":
                parts = [p for p in parts if p.get("name") != "day"]
            elif shown == "month-day":
                for index in range(1, len(parts)):
                    if parts[index].get("name") == "year":
                        parts[index - 1]["suffix"] = ""
                        break
                parts = [p for p in parts if p.get("name") != "year"]
            return dates.Date(merged, [dates.DatePart(p) for p in parts])
        return dates.Date(attrib, [dates.DatePart(p) for p in own_parts])

    def _names(self, element: Any, attrib: dict[str, str]) -> nodes.Element:
        name = et_al = label = None
        substitute: list[nodes.Element] | None = None
        seen_name = False
        bare = len(element) == 0
        for child in element:
            tag = _tag(child)
            if tag == "name":
                family = given = None
                for part in child.iterfind(f"{_NS}name-part"):
                    if part.get("name") == "family":
                        family = nodes.Fmt(dict(part.attrib))
                    elif part.get("name") == "given":
                        given = nodes.Fmt(dict(part.attrib))
                name = names.NameElement(dict(child.attrib), family, given)
                seen_name = True
            elif tag == "et-al":
                et_al = names.EtAl(dict(child.attrib))
            elif tag == "label":
                label = names.NameLabel(dict(child.attrib), after=seen_name)
            elif tag == "substitute":
                self._in_substitute += 1
                try:
                    substitute = self._children(child)
                finally:
                    self._in_substitute -= 1
        if name is None and not self._in_substitute:
            # citeproc-js adds the missing cs:name first, so a label follows it
            name = names.NameElement({}, None, None)
            if label is not None:
                label.after = True
        return names.Names(attrib, name, et_al, label, substitute, bare)
