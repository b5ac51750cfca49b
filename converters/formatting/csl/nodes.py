"""Rendering elements: the render context, ``cs:text``, ``cs:label``, ``cs:number``,
``cs:group``, ``cs:choose`` and macros (dates and names live in their own modules).

Every element appends :class:`.output.Blob` s to the blob being built. The
rules are CSL 1.0.2's, with citeproc-js's reading where the specification
leaves room (the reference refconv is compared with):

* "Group": a group (and a macro, which citeproc-js treats as one) is
  suppressed when it calls variables and none of them has a value; terms
  alone keep it;
* "Substitution": variables a ``cs:substitute`` rendered are suppressed in the
  rest of the cite, so a title standing in for a missing author is not printed
  twice;
* "Text-case", "strip-periods", "quotes", "Affixes", "Delimiter" and the
  formatting attributes are applied as the text is added (see
  :func:`Render.append`), rich text in data becomes nested formatting;
* "Display" and second-field-align wrap the first top-level element of a
  bibliography entry (:meth:`Render.begin`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import numbers, positions, textcase
from .output import ROMANESQUE, Blob, Decoration, FlipFlopper, NumBlob

if TYPE_CHECKING:
    from .context import AreaContext, ClusterState, Document, StyleContext

FORMAT_KEYS = (
    "strip-periods",
    "font-style",
    "font-variant",
    "font-weight",
    "text-decoration",
    "vertical-align",
    "quotes",
)
DISPLAY_CLASSES = ("block", "left-margin", "right-inline", "indent")
TERMINAL_PUNCTUATION = frozenset(":.;!? ")
SORT_SEPARATOR = "|"  # between the words of a sort key (citeproc-js)
_NARROW_SPACE_BEFORE = re.compile(" ([:;?!\u00bb])")
_SPACE_APOSTROPHE = re.compile(r"\s+'")
_STRIP_PERIODS = re.compile(r"\.([^a-z]|$)")
_LANGUAGE = re.compile(r"^([a-zA-Z]+)")


class Fmt:
    """The formatting attributes of one element (affixes, delimiter, decorations, case)."""

    __slots__ = (
        "decorations",
        "delimiter",
        "display",
        "prefix",
        "strip_periods",
        "suffix",
        "text_case",
    )

    def __init__(self, attrib: dict[str, str] | None = None):
        attrib = attrib or {}
        self.prefix = attrib.get("prefix", "")
        self.suffix = attrib.get("suffix", "")
        self.delimiter = attrib.get("delimiter", "")
        self.decorations: list[Decoration] = [
            (key, attrib[key]) for key in FORMAT_KEYS if key in attrib
        ]
        self.text_case = attrib.get("text-case")
        if self.text_case == "normal":
            self.text_case = None
        self.strip_periods = attrib.get("strip-periods") == "true"
        display = attrib.get("display")
        self.display = display if display in DISPLAY_CLASSES else None

    def blob(self, content: Any = None, *, affixes: bool = True) -> Blob:
        # decorations lists are never changed in place, so blobs share their element's
        if affixes:
            return Blob(content, self.prefix, self.suffix, self.delimiter, self.decorations)
        return Blob(content, "", "", self.delimiter, self.decorations)


EMPTY_FMT = Fmt()


class Frame:
    """Group context: what a group's children tried and managed to print (CSL "Group")."""

    __slots__ = (
        "label_capitalize_first",
        "label_form",
        "old_term_predecessor",
        "term_intended",
        "variable_attempt",
        "variable_success",
        "variable_success_parent",
    )

    def __init__(self) -> None:
        self.term_intended = False
        self.variable_attempt = False
        self.variable_success = False
        self.variable_success_parent = False
        self.old_term_predecessor = False
        self.label_form: str | None = None
        self.label_capitalize_first = False


class Render:
    """The state of rendering one cite or bibliography entry, the one object every
    rendering element is given.

    Besides the item, the cite and what the elements rendered so far, it holds
    what rendering may see of the rest (see :mod:`.context`): the style's
    settings (``context``, and ``area_context`` for the citation or
    bibliography layout), what carries between the cites of a cluster
    (``cluster``) and the registry's answers (``document``).
    """

    def __init__(self, proc: Any, item: dict[str, Any], cite: dict[str, Any] | None, area: str,
                 sorting: bool = False):  # fmt: skip
        self.context: StyleContext = proc.context
        self.area_context: AreaContext = proc.context.areas[area]
        self.cluster: ClusterState = proc.cluster_state
        self.document: Document = proc
        self.style = proc.style
        self.locale = proc.locale
        self.item = item
        self.cite = cite or {}
        self.area = area  # "citation" or "bibliography"
        self.sorting = sorting  # building a sort key
        self.root = Blob()
        self.stack: list[Blob] = [self.root]
        self.frames: list[Frame] = [Frame()]
        self.done_vars: list[str] = []
        self.can_substitute: list[bool] = [False]
        self.can_block_substitute = False
        self.term_predecessor = False
        self.strip_periods = 0
        self.nesting = 0  # depth of rendering elements, for display and second-field-align
        self.render_seen = False
        self.numbers: dict[str, numbers.NumberInfo] = {}
        self.disambig: Any = (
            proc.ambig_config(item["id"], self) if not sorting else proc.empty_config()
        )
        self.nameset = 0
        self.names_max: list[int] = []
        self.suppress_decorations = False
        self.probably_rendered_something = False
        self.cite_renders_content = False
        self.trace: list[str] = ["empty"]  # "suppress-me" on top: output is dropped
        self.just_looking = False  # rendering for disambiguation
        self.name_sort_options: dict[str, Any] | None = None
        self.sort_key_names = False
        self.rendered_name: list[str] = []
        self.name_node: dict[str, Any] = {"top": None, "children": []}
        self.last_rendered_name: Any = None
        self.subsequent_author_substitute_ok = not self.suppress_decorations
        self.substituted_variable: str | None = None
        self.has_done_year_suffix = False
        self.have_collapsed = False
        self.years_used: list[Any] = []
        self.names_used: list[Any] = []
        self.first_creator_variable: str | None = None
        self.label_blob: Blob | None = None
        self.etal_decor: Any = None
        language = item.get("language")
        match = _LANGUAGE.match(language) if isinstance(language, str) else None
        self.turkic = bool(match) and match.group(1).lower() in ("tr", "az")
        self.macro_with_date = 0  # rendering a sort key from a macro that holds a date
        self.names_context: Any = None  # (name, et-al, label) of the enclosing cs:names
        self.disambig_request: Any = None
        self.given_calls: list[tuple[Any, ...]] | None = None
        self.term_predecessor_name = False

    # --- frames ----------------------------------------------------------------------

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    @property
    def current(self) -> Blob:
        return self.stack[-1]

    def ancestors(self) -> list[list[Decoration]]:
        return [b.decorations for b in self.stack]

    # --- output ----------------------------------------------------------------------

    def open(self, fmt: Fmt = EMPTY_FMT, *, affixes: bool = True) -> Blob:
        if affixes:  # Fmt.blob, without the call: every group and element opens a blob
            blob = Blob([], fmt.prefix, fmt.suffix, fmt.delimiter, fmt.decorations)
        else:
            blob = Blob([], "", "", fmt.delimiter, fmt.decorations)
        self.stack[-1].blobs.append(blob)
        self.stack.append(blob)
        return blob

    def open_blob(self, blob: Blob) -> Blob:
        self.stack[-1].blobs.append(blob)
        self.stack.append(blob)
        return blob

    def close(self) -> Blob:
        return self.stack.pop()

    def add(self, blob: Blob, not_serious: bool = False) -> None:
        if not not_serious and self.trace[-1] == "suppress-me":
            return
        self.stack[-1].blobs.append(blob)

    def append(
        self,
        text: Any,
        fmt: Fmt = EMPTY_FMT,
        *,
        not_serious: bool = False,
        ignore_predecessor: bool = False,
        no_strip_periods: bool = False,
        affixes: bool = True,
        date_key: bool = False,
    ) -> Blob | None:
        """Add text as citeproc-js's output queue ``append`` does (and return its blob)."""
        if text is None or text is False:
            return None
        if not_serious:
            ignore_predecessor = True
        elif self.trace[-1] == "suppress-me":
            return None
        elif self.macro_with_date and not date_key:
            # CSL 1.0.2 "Sorting": a macro with a date sorts by the date alone (citeproc-js)
            return None
        text = str(text)
        if text:
            if " " in text:
                text = _NARROW_SPACE_BEFORE.sub("\u202f\\1", text)
            if "\u00ab " in text:
                text = text.replace("\u00ab ", "\u00ab\u202f")
            if "'" in text:
                text = _SPACE_APOSTROPHE.sub(" '", text)
                if not not_serious and text[0] == "'":
                    text = " " + text
            if not ignore_predecessor:
                self.term_predecessor = True
                self.cluster.in_cite_predecessor = True
            elif not_serious:
                self.term_predecessor_name = True
        blob = fmt.blob(text, affixes=affixes)
        if text:
            if text[0] != " ":
                moved = 0
                while moved < len(text) and text[moved] in TERMINAL_PUNCTUATION:
                    moved += 1
                if moved and moved < len(text):
                    blob.prefix += text[:moved]
                    text = text[moved:]
                    blob.blobs = text
            if fmt.text_case:
                text = textcase.apply(fmt.text_case, text, self.context.skip_words, self.turkic)
                blob.blobs = text
            if self.strip_periods and not no_strip_periods:
                text = _STRIP_PERIODS.sub(r"\1", text)
                blob.blobs = text
            if blob.decorations:
                if any(n == "quotes" and v != "false" for n, v in blob.decorations):
                    blob.punctuation_in_quote = self.locale.options["punctuation-in-quote"]
                if not ROMANESQUE.search(text):
                    # CJK and other scripts are not italicised
                    blob.decorations = [d for d in blob.decorations if d[0] != "font-style"]
        self.stack[-1].blobs.append(blob)
        if text:
            self.flip_flop(blob)
        return blob

    def flip_flop(self, blob: Blob) -> None:
        flipper: FlipFlopper = self.context.flipper
        text = blob.blobs
        if not flipper.needs(text):
            return
        events = flipper.parse(text)
        if events is None:
            return
        flipper.apply(blob, events, self.ancestors()[1:], self.area_context.layout_decorations)

    def pop_last(self) -> Blob | None:
        blobs = self.stack[-1].blobs
        return blobs.pop() if blobs else None

    # --- element bracket (citeproc-js substituteStart/End) -----------------------------

    def begin(self, node: Any) -> Any:
        """Work shared by every rendering element before it renders."""
        token = None
        if node.fmt.strip_periods:
            self.strip_periods += 1
        if self.nesting == 0 and self.area == "bibliography" and not self.sorting:
            if self.context.second_field_align:
                if not self.render_seen:
                    token = self.open(_DISPLAY_FMT["left-margin"])
            elif node.fmt.display:
                token = self.open(_DISPLAY_FMT[node.fmt.display])
        self.nesting += 1
        return token

    def end(self, node: Any, token: Any) -> None:
        if node.fmt.strip_periods:
            self.strip_periods -= 1
        self.nesting -= 1
        if self.nesting == 0 and self.area == "bibliography" and not self.sorting:
            if self.context.second_field_align:
                if not self.render_seen:
                    if token is not None:
                        self.close()
                    self.render_seen = True
                    self.open(_DISPLAY_FMT["right-inline"])
            elif token is not None:
                self.close()

    # --- variables -----------------------------------------------------------------

    def live_variables(self, variables: tuple[str, ...]) -> list[str]:
        """The element's variables not suppressed by an earlier substitution."""
        live = [v for v in variables if v not in self.done_vars]
        if self.can_block_substitute:
            self.done_vars.extend(variables)
        return live

    def mark_variables(self, node: Any, live: list[str], found: bool) -> None:
        if found:
            for variable in node.variables:
                if variable != "citation-number" or self.area != "bibliography":
                    self.cite_renders_content = True
                self.frame.variable_success = True
                if self.can_substitute[-1] and self.area == "bibliography":
                    value = self.item.get(variable)
                    if isinstance(value, str):
                        self.name_node["top"] = self.current
                        self.rendered_name.append(value)
            self.can_substitute[-1] = False
        else:
            self.frame.variable_attempt = True

    def variable(self, name: str, form: str | None = None) -> Any:
        """A string variable's value; ``form="short"`` prefers the ``-short`` variant."""
        item = self.item
        if form == "short" and name in ("title", "container-title"):
            value = item.get(name + "-short")
            if value:
                return value
        return item.get(name)

    def number_info(
        self, variable: str, source: dict[str, Any] | None = None
    ) -> numbers.NumberInfo:
        key = variable
        info = self.numbers.get(key)
        if info is None:
            if variable in ("locator", "locator-extra"):
                value = self.cite.get(variable)
                label = self.cite.get("label") or None
            else:
                value = (source or self.item).get(variable)
                label = None
            info = self.context.number_parser.info(
                value, variable, self.item.get("type", ""), label
            )
            self.numbers[key] = info
        return info


_DISPLAY_FMT = {cls: Fmt({}) for cls in DISPLAY_CLASSES}
for _cls, _fmt in _DISPLAY_FMT.items():
    _fmt.decorations = [("display", _cls)]


# --- elements ---------------------------------------------------------------------------


class Element:
    """Base of the compiled elements."""

    __slots__ = ("fmt",)
    renders = True  # takes part in display / substitute bracketing
    calls_variable = False

    def __init__(self, attrib: dict[str, str] | None = None):
        self.fmt = Fmt(attrib)

    def render(self, r: Render) -> None:
        raise NotImplementedError


def render_children(children: list[Element], r: Render) -> None:
    for child in children:
        child.render(r)


class Text(Element):
    """``cs:text``: a variable, a macro, a term or a value."""

    __slots__ = ("form", "macro", "plural", "proc_node", "term", "value", "variables")

    def __init__(self, attrib: dict[str, str]):
        super().__init__(attrib)
        self.variables: tuple[str, ...] = tuple(attrib.get("variable", "").split())
        self.macro = attrib.get("macro")
        term = attrib.get("term")
        self.term = "sub-verbo" if term == "sub verbo" else term
        self.value = attrib.get("value")
        self.form = attrib.get("form", "long")
        self.plural = attrib.get("plural") == "true"
        self.proc_node: Any = None  # the macro, once compiled

    def render(self, r: Render) -> None:
        if self.macro is not None:
            render_macro_call(self, r)
            return
        token = r.begin(self)
        suppressed = trace_begin(r, "text")
        try:
            if self.term is not None:
                self._term(r)
            elif self.variables:
                self._variable(r)
            elif self.value is not None:
                r.frame.term_intended = True
                r.append(self.value, self.fmt)
                if r.can_block_substitute:
                    r.can_substitute[-1] = False
        finally:
            trace_end(r, suppressed)
        _subsequent_author_text(r, self)
        r.end(self, token)

    def _term(self, r: Render) -> None:
        gender = r.locale.type_genders.get(r.item.get("type", ""))
        text = r.locale.text(self.term, self.form, self.plural, gender)
        if text:
            r.frame.term_intended = True
            r.cite_renders_content = True
        if not r.term_predecessor and not (r.style.is_in_text and r.area == "citation"):
            text = textcase.apply("capitalize-first", text)
        if r.strip_periods or self.fmt.strip_periods:
            text = text.replace(".", "")
        r.append(text, self.fmt)
        if r.can_block_substitute:
            r.can_substitute[-1] = False

    def _variable(self, r: Render) -> None:
        live = r.live_variables(self.variables)
        variable = live[0] if live else None
        found = False
        if variable is not None:
            found = _has_value(r, variable, self.form)
        r.mark_variables(self, live, found)
        if variable is None:
            return
        if variable == "citation-number":
            _citation_number(self, r)
            return
        if variable == "year-suffix":
            _year_suffix(self, r)
            return
        if variable == "citation-label":
            _citation_label(self, r)
            return
        if variable != "locator":
            r.have_collapsed = False
        if variable in ("locator", "locator-extra"):
            if r.cite.get(variable):
                output_number(r, self, variable, source=r.cite)
                r.done_vars.append(variable)
            return
        if variable in _NUMERIC_TEXT:
            if r.item.get(variable):
                output_number(r, self, variable)
            return
        if variable in ("URL", "DOI"):
            value = r.item.get(variable)
            if value:
                if variable == "URL" and self.form == "short":
                    value = re.sub(r"(.*\.[^/]+)/.*", r"\1", value)
                    if "//www." in value:
                        value = re.sub(r"https?://", "", value)
                r.append(value, self.fmt, no_strip_periods=True)
            return
        value = r.variable(variable, self.form)
        if not value:
            return
        if variable in ("title", "container-title", "title-short", "container-title-short"):
            value = _title_value(self, r, variable, value)
            if value is None:
                return
            fmt = self.fmt
            if fmt.text_case == "title" and _item_language(r) != "en":
                fmt = _without_case(fmt)
            r.append(value, fmt)
            r.probably_rendered_something = True
            if r.can_block_substitute:
                r.name_node["children"].append(r.current)
            return
        if isinstance(value, str):
            value = value.replace("\\", "")
        r.append(str(value), self.fmt)
        if variable in _MULTI_FIELDS:
            r.probably_rendered_something = True


_NUMERIC_TEXT = frozenset(
    "page page-first chapter-number collection-number edition issue number number-of-pages "
    "number-of-volumes volume".split()
)
_MULTI_FIELDS = frozenset(
    "event publisher publisher-place event-place title container-title collection-title "
    "authority genre title-short medium country jurisdiction archive archive-place".split()
)


def _without_case(fmt: Fmt) -> Fmt:
    copy = Fmt()
    copy.prefix, copy.suffix, copy.delimiter = fmt.prefix, fmt.suffix, fmt.delimiter
    copy.decorations = fmt.decorations
    copy.strip_periods = fmt.strip_periods
    copy.display = fmt.display
    return copy


def _item_language(r: Render) -> str:
    language = r.item.get("language")
    if language:
        match = re.match(r"^([a-zA-Z]{2})", str(language))
        return match.group(1).lower() if match else "tlh"
    return r.style.default_locale[:2].lower()


def _title_value(node: Text, r: Render, variable: str, value: str) -> str | None:
    """Title values as citeproc-js prepares them (sentence case and leading noise words)."""
    if node.form == "short" and variable in ("title", "container-title"):
        short = r.item.get(variable + "-short")
        field = variable + "-short" if short else variable
    else:
        field = variable
    suppressed = r.cite.get("suppress-author") and not r.probably_rendered_something
    if suppressed and len(r.can_substitute) > 1:
        return None
    if field in ("title", "container-title") and node.fmt.text_case == "sentence":
        value = textcase.apply("sentence", value)
    return value


def _has_value(r: Render, variable: str, form: str) -> bool:
    """citeproc-js's test of whether a variable will print (group success, substitution)."""
    item = r.item
    if form == "short" and not item.get(variable):
        if variable == "title":
            variable = "title-short"
        elif variable == "container-title":
            variable = "container-title-short"
    if variable in ("year-suffix", "citation-number", "citation-label"):
        return True
    if variable in ("locator", "locator-extra", "first-reference-note-number"):
        return bool(r.cite.get(variable))
    value = item.get(variable)
    if isinstance(value, dict):
        return False  # dates are tested by cs:date
    if isinstance(value, list):
        return False  # so are names
    return bool(value) or (value == 0 and value is not None and not isinstance(value, str))


def _citation_number(node: Text, r: Render) -> None:
    number = r.document.citation_number(r.item["id"])
    if r.sorting:
        r.append(num_padding(str(number)), node.fmt)
        return
    if r.cite.get("author-only"):
        return
    collapse = r.context.collapse == "citation-number" and r.area == "citation"
    layout_delimiter = r.area_context.delimiter
    blob = NumBlob(
        number,
        prefix=node.fmt.prefix,
        suffix=node.fmt.suffix,
        decorations=node.fmt.decorations,
        successor_prefix=layout_delimiter,
        range_prefix=r.locale.text("citation-range-delimiter") if collapse else "",
        splice_prefix=layout_delimiter,
        item_id=r.item["id"],
        text_case=textcase.function(node.fmt.text_case, r.context.skip_words),
    )
    if r.cluster.in_cite_predecessor:
        blob.suppress_splice_prefix = True
    r.add(blob)


def num_padding(text: str) -> str:
    match = re.match(r"\s*(-?[0-9]+)", text)
    if not match:
        return text
    number = int(match.group(1))
    if number < 0:
        number = 99999999999999999999 + number
    return f"{number:020d}"


def year_suffix_blob(r: Render, fmt: Fmt, value: int) -> NumBlob:
    options = r.area_context.options
    collapse = options.collapse
    successor = r.area_context.delimiter
    if options.cite_group_delimiter:
        successor = options.cite_group_delimiter
    elif options.year_suffix_delimiter:
        successor = options.year_suffix_delimiter
    blob = NumBlob(
        value,
        formatter=numbers.year_suffix,
        prefix=fmt.prefix,
        suffix=fmt.suffix,
        decorations=fmt.decorations,
        successor_prefix=successor,
        range_prefix=r.locale.text("citation-range-delimiter")
        if collapse == "year-suffix-ranged"
        else "",
        # citeproc-js reads the splice prefix of year-suffixes from a layout that has none
        splice_prefix="",
        item_id=r.item["id"],
    )
    return blob


def _year_suffix(node: Text, r: Render) -> None:
    suffix = r.disambig.year_suffix
    if suffix is None or r.sorting:
        return
    options = r.area_context.options
    blob = year_suffix_blob(r, node.fmt, suffix)
    if options.cite_group_delimiter:
        blob.successor_prefix = options.cite_group_delimiter
    elif options.year_suffix_delimiter:
        blob.successor_prefix = options.year_suffix_delimiter
    else:
        blob.successor_prefix = r.area_context.delimiter
    r.add(blob)
    special = options.year_suffix_delimiter
    if special and not r.sorting:
        for frame in r.frames:
            if not frame.variable_success and (
                frame.variable_attempt or (not frame.variable_attempt and not frame.term_intended)
            ):
                r.cluster.splice_delimiter = special
                break


def _citation_label(node: Text, r: Render) -> None:
    label = r.item.get("citation-label") or r.document.trigraph(r.item)
    if r.disambig.year_suffix is not None and not r.just_looking:
        label += numbers.year_suffix(r.disambig.year_suffix)
    r.append(label, node.fmt)


def trace_begin(r: Render, kind: str) -> bool:
    """suppress-author and author-only (citeproc-js "element trace"): push whether the output
    of this element is dropped. ``kind`` is names, date, text or number."""
    cite = r.cite
    if r.sorting or r.just_looking or not cite:
        return False
    author_only = cite.get("author-only")
    pushed = None
    if kind == "names" or r.trace[-1] == "author":
        if author_only and r.probably_rendered_something:
            pushed = "suppress-me"
        if cite.get("suppress-author") and not r.probably_rendered_something:
            pushed = "suppress-me"
    elif kind == "date":
        if author_only and r.probably_rendered_something:
            pushed = "suppress-me"
    elif author_only:
        if r.probably_rendered_something or not r.can_block_substitute:
            pushed = "suppress-me"
    elif cite.get("suppress-author"):
        pushed = "do-not-suppress-me"
    if pushed is None:
        return False
    r.trace.append(pushed)
    return True


def trace_end(r: Render, pushed: bool) -> None:
    if pushed and len(r.trace) > 1:
        r.trace.pop()


def _subsequent_author_text(r: Render, node: Text) -> None:
    # subsequent-author-substitute also covers a text variable standing in for names
    if not node.variables or node.variables[0] == "title":
        return
    r.document.subsequent_author_hook(r, node, "text")


# --- numbers ----------------------------------------------------------------------------------


def output_number(
    r: Render, node: Any, variable: str, source: dict[str, Any] | None = None
) -> None:
    """citeproc-js ``outputNumericField``: a numeric variable with its ranges and labels."""
    info = r.number_info(variable, source)
    if not info.parts:
        return
    real = variable
    base = "page" if variable == "page-first" else variable
    if not info.ranged:
        numbers.fix_ranges(
            info.parts, base, real, r.locale, r.context.page_formatter, r.context.has_page_format
        )
        info.ranged = True
    parts = info.parts
    fmt = node.fmt
    master = Blob([], fmt.prefix, fmt.suffix, "", list(fmt.decorations))
    if parts and parts[0].value.startswith('"') and parts[-1].value.endswith('"'):
        parts = [_copy_part(p) for p in parts]
        parts[0].value = parts[0].value[1:]
        parts[-1].value = parts[-1].value[:-1]
        master.decorations.append(("quotes", "true"))
    r.open_blob(master)
    master_label = parts[0].label
    label_form = info.label_form
    embedded_form = label_form or "short"
    last_label_name = None
    form = getattr(node, "number_form", "numeric")
    gender = r.locale.noun_genders.get(base)
    case = textcase.function(fmt.text_case, r.context.skip_words)
    for index, part in enumerate(parts):
        label = ""
        label_name = None
        if part.label:
            if part.label.startswith("var:"):
                label_name = part.label[4:]
            else:
                label_name = numbers.SUBDIVISIONS.get(part.label)
            if label_name:
                wanted = label_form if part.label == master_label else embedded_form
                label = r.locale.text(label_name, wanted or "long", part.plural)
                if info.label_capitalize_first:
                    label = textcase.apply("capitalize-first", label)
        placeholder = label.find("%s") if label else -1
        prefix = ""
        suffix = part.joiner.replace("\\-", "-")
        if 0 < placeholder < len(label) - 2:
            prefix = label[:placeholder]
            suffix = label[placeholder + 2 :] + suffix
        elif part.label_visible:
            if not label:
                label = part.label or ""
                label_name = part.label
            if placeholder > 0:
                r.append(label[:placeholder], _decorated_fmt(info.label_decorations))
            elif placeholder in (len(label) - 2, -1):
                r.append(label + part.label_suffix)
        if part.collapsible:
            value: Any = part.value
            if re.match(r"^[1-9][0-9]*$", value) and len(value) < 16:
                value = int(value)
            # ordinal, long-ordinal and roman forms apply to the numbers under the first label
            # only: "7th, p. 3-8", not "p. 3rd-8th" (citeproc-js setStyling)
            own_form = form if part.label == master_label else "numeric"
            # a number blob, as citeproc-js makes: numbers next to each other join as a run
            # would (a locator's last number and the next cite's number: "14, pp. 233-240,
            # 19", the layout delimiter rather than after-collapse-delimiter)
            blob = NumBlob(
                value,
                particle=part.particle,
                formatter=_number_formatter(r, own_form, gender),
                prefix=prefix,
                suffix=suffix,
                text_case=case,
                gender=gender,
            )
            if type(value) is not int and case is not None:
                blob.blobs = case(blob.blobs)
            r.add(blob)
        else:
            blob = Blob(part.particle + part.value, prefix, suffix, "", [])
            if fmt.text_case:
                blob.blobs = textcase.apply(fmt.text_case, blob.blobs, r.context.skip_words)
            if r.strip_periods:
                blob.blobs = _STRIP_PERIODS.sub(r"\1", blob.blobs)
            r.add(blob)
        if placeholder == 0 and placeholder < len(label) - 2:
            if last_label_name is None:
                last_label_name = label_name
            if label_name != last_label_name or index == len(parts) - 1:
                r.append(label[placeholder + 2 :], _decorated_fmt(info.label_decorations))
        last_label_name = label_name
        r.term_predecessor = True
    r.close()


def _decorated_fmt(decorations: list[Decoration] | None) -> Fmt:
    fmt = Fmt()
    fmt.decorations = list(decorations or ())
    return fmt


def _copy_part(part: numbers.Part, **changes: Any) -> numbers.Part:
    copy = numbers.Part(**{k: getattr(part, k) for k in part.__dataclass_fields__})
    for key, value in changes.items():
        setattr(copy, key, value)
    return copy


def _number_formatter(r: Render, form: str, gender: str | None) -> Any:
    if form == "ordinal":
        return lambda value: r.locale.ordinal(value, gender)
    if form == "long-ordinal":
        return lambda value: r.locale.long_ordinal(value, gender)
    if form == "roman":
        return numbers.roman
    return str


def _format_number(r: Render, form: str, value: Any, gender: str | None) -> str:
    if type(value) is not int:
        return str(value)
    if form == "ordinal":
        return r.locale.ordinal(value, gender)
    if form == "long-ordinal":
        return r.locale.long_ordinal(value, gender)
    if form == "roman":
        return numbers.roman(value)
    return str(value)


class Number(Element):
    """``cs:number``: a number variable in numeric, ordinal, long-ordinal or roman form."""

    __slots__ = ("number_form", "variables")
    kind = "number"

    def __init__(self, attrib: dict[str, str]):
        super().__init__(attrib)
        self.variables: tuple[str, ...] = tuple(attrib.get("variable", "").split())
        self.number_form = attrib.get("form", "numeric")

    def render(self, r: Render) -> None:
        token = r.begin(self)
        suppressed = trace_begin(r, "number")
        try:
            live = r.live_variables(self.variables)
            variable = live[0] if live else None
            found = False
            if variable is not None:
                if variable in ("locator", "locator-extra"):
                    found = bool(r.cite.get(variable))
                else:
                    found = bool(r.item.get(variable))
            r.mark_variables(self, live, found)
            if found and variable is not None:
                if variable in ("locator", "locator-extra"):
                    output_number(r, self, variable, source=r.cite)
                    r.done_vars.append(variable)
                else:
                    output_number(r, self, variable)
        finally:
            trace_end(r, suppressed)
        r.end(self, token)


class Label(Element):
    """``cs:label`` outside names: the term for a number variable, singular or plural."""

    __slots__ = ("form", "plural_rule", "variable")
    renders = False

    def __init__(self, attrib: dict[str, str]):
        super().__init__(attrib)
        self.variable = attrib.get("variable", "")
        if self.variable == "sub verbo":
            self.variable = "sub-verbo"
        # no form given: "long" for this label, "short" for labels embedded in the number
        # ("367-368, fig. 333"), as citeproc-js
        self.form = attrib.get("form")
        self.plural_rule = attrib.get("plural", "contextual")

    def render(self, r: Render) -> None:
        term = self.variable
        if term == "locator":
            label = r.cite.get("label")
            term = "sub-verbo" if label == "sub verbo" else (label or "page")
        plural: Any = {"always": True, "never": False}.get(self.plural_rule)
        source = r.cite if self.variable == "locator" else r.item
        if plural is None:
            plural = False
            if source.get(self.variable):
                info = r.number_info(self.variable)
                plural = info.plural
                if info.label_form is None and info.label_decorations is None:
                    if self.form:
                        info.label_form = self.form
                    elif r.frame.label_form:
                        info.label_form = r.frame.label_form
                    info.label_decorations = list(self.fmt.decorations)
                if self.variable in ("locator", "number", "page") and info.label:
                    term = info.label
        text = cast_label(r, self, term, plural)
        if text:
            r.frame.term_intended = True
        if "%s" not in text:
            r.append(text, self.fmt)


def cast_label(r: Render, node: Any, term: str, plural: bool) -> str:
    form = node.form or "long"
    if r.frame.label_form and form != "static":
        form = r.frame.label_form
    text = r.locale.text(term, form, plural)
    if r.strip_periods or node.fmt.strip_periods:
        text = text.replace(".", "")
    return text


class Group(Element):
    """``cs:group``: printed only when a variable it calls has a value, or it calls none
    and prints a term (CSL 1.0.2 "Group")."""

    __slots__ = ("children",)

    def __init__(self, attrib: dict[str, str], children: list[Element] | None = None):
        super().__init__(attrib)
        self.children: list[Element] = children or []

    def render(self, r: Render) -> None:
        token = r.begin(self)
        render_group(r, self.fmt, self.children)
        r.end(self, token)


def render_group(r: Render, fmt: Fmt, children: list[Element], real: bool = True) -> None:
    blob = r.open(fmt)
    parent = r.frames[-1]
    frame = Frame()
    frame.old_term_predecessor = r.term_predecessor
    frame.variable_success_parent = parent.variable_success
    frame.label_form = parent.label_form
    frame.label_capitalize_first = parent.label_capitalize_first
    r.frames.append(frame)
    try:
        for child in children:
            child.render(r)
    finally:
        r.close()
        r.frames.pop()
    if frame.variable_success or (frame.term_intended and not frame.variable_attempt):
        parent.variable_success = True
        if not blob.blobs and r.nesting > 1:
            # an empty group would be purged before output anyway; dropping it now keeps
            # the tree small (top-level ones stay: layout affixes attach to them)
            siblings = r.current.blobs
            if siblings and siblings[-1] is blob:
                siblings.pop()
    else:
        r.term_predecessor = frame.old_term_predecessor
        parent.variable_attempt = frame.variable_attempt
        siblings = r.current.blobs
        if siblings and siblings[-1] is blob:
            siblings.pop()


class Macro:
    """A ``cs:macro``: its children render as a group (as citeproc-js does)."""

    __slots__ = ("children", "has_date", "has_names", "name")

    def __init__(self, name: str):
        self.name = name
        self.children: list[Element] = []
        self.has_date = False  # holds a cs:date (sort keys then use only the date)
        self.has_names = True  # may render cs:names, itself or through other macros


def render_macro_call(node: Text, r: Render) -> None:
    """``cs:text macro``: a wrapper with the text element's formatting around the macro group."""
    token = r.begin(node)
    r.open(node.fmt)
    macro = node.proc_node
    dated = r.sorting and macro.has_date
    r.macro_with_date += dated
    try:
        render_group(r, EMPTY_FMT, macro.children)
    finally:
        r.close()
        r.macro_with_date -= dated
    # a wrapper group is not a real group: no frame of its own
    r.end(node, token)


class Choose(Element):
    """``cs:choose``: the first branch whose conditions hold renders."""

    __slots__ = ("branches",)
    renders = False

    def __init__(self, branches: list[tuple[Any, list[Element]]]):
        super().__init__({})
        self.branches = branches

    def render(self, r: Render) -> None:
        for condition, children in self.branches:
            if condition is None or condition.test(r):
                for child in children:
                    child.render(r)
                return


class Condition:
    """The tests of one ``cs:if``/``cs:else-if`` (CSL 1.0.2 "Choose"), combined by ``match``."""

    __slots__ = ("match", "tests")

    def __init__(self, attrib: dict[str, str]):
        self.match = attrib.get("match", "all")
        self.tests: list[Any] = []
        for name, value in attrib.items():
            if name == "match":
                continue
            maker = _TESTS.get(name)
            if maker is None:
                continue
            self.tests.extend(maker(value))

    def test(self, r: Render) -> bool:
        # loops, not any()/all() over generators: this runs for every branch of every render
        match = self.match
        if match == "any":
            for test in self.tests:  # noqa: SIM110
                if test(r):
                    return True
            return False
        if match == "none":
            for test in self.tests:  # noqa: SIM110
                if test(r):
                    return False
            return True
        for test in self.tests:  # noqa: SIM110
            if not test(r):
                return False
        return True


_CITE_VARIABLES = frozenset(
    ("locator", "locator-extra", "first-reference-note-number", "locator-date")
)


def _variable_tests(value: str) -> list[Any]:
    def make(variable: str) -> Any:
        if variable in _CITE_VARIABLES:
            return lambda r: bool(r.cite.get(variable))

        def test(r: Render) -> bool:
            found = r.item.get(variable)
            if isinstance(found, dict):
                return any(found.get(k) for k in ("date-parts", "literal", "raw"))
            if found == 0 and not isinstance(found, bool) and found is not None:
                return False
            return bool(found)

        return test

    return [make(v) for v in value.split()]


def _type_tests(value: str) -> list[Any]:
    types = frozenset(value.split())
    return [lambda r: r.item.get("type") in types]


def _is_numeric_tests(value: str) -> list[Any]:
    def make(variable: str) -> Any:
        def test(r: Render) -> bool:
            source = r.cite if variable in ("locator", "locator-extra") else r.item
            if not source.get(variable):
                return False
            if variable in numbers.NUMERIC_VARIABLES:
                return r.number_info(variable).numeric
            if variable in ("title", "version"):
                text = str(source[variable])
                return text[-1:].isdigit()
            return False

        return test

    return [make(v) for v in value.split()]


def _uncertain_tests(value: str) -> list[Any]:
    def make(variable: str) -> Any:
        return lambda r: (
            bool((r.item.get(variable) or {}).get("circa"))
            if isinstance(r.item.get(variable), dict)
            else False
        )

    return [make(v) for v in value.split()]


def _locator_tests(value: str) -> list[Any]:
    labels = value.replace("sub verbo", "sub-verbo").split()

    def make(label: str) -> Any:
        def test(r: Render) -> bool:
            if not r.cite.get("locator"):
                return False
            info = r.number_info("locator")
            found = info.label or (r.cite.get("label") or "page")
            cite_label = r.cite.get("label") or "page"
            if cite_label == "sub verbo":
                cite_label = "sub-verbo"
            return label in (found if info.label else cite_label,)

        return test

    return [make(v) for v in labels]


def _disambiguate_tests(value: str) -> list[Any]:
    if value != "true":
        return []

    def test(r: Render) -> bool:
        r.cluster.disambiguate_count_max += 1
        if r.disambig.disambiguate and r.cluster.disambiguate_count < r.disambig.disambiguate:
            r.cluster.disambiguate_count += 1
            return True
        return False

    return [test]


def _date_tests(holds: Callable[[dict[str, Any], list[Any]], bool]) -> Callable[[str], list[Any]]:
    """The tests of a CSL-M date condition (``has-day`` ...): one per variable the
    attribute names, true when the item's date of that name is a date object for which
    ``holds(date, its first date-parts)``."""

    def tests(value: str) -> list[Any]:
        def make(variable: str) -> Any:
            def test(r: Render) -> bool:
                date = r.item.get(variable)
                if not isinstance(date, dict):
                    return False
                parts = date.get("date-parts") or []
                return holds(date, parts[0] if parts else [])

            return test

        return [make(v) for v in value.split()]

    return tests


_has_year_only = _date_tests(lambda date, first: len(first) == 1 and not date.get("season"))
_has_day = _date_tests(lambda date, first: len(first) >= 3)
_has_to_month_or_season = _date_tests(
    lambda date, first: (len(first) >= 2 or bool(date.get("season"))) and len(first) < 3
)


def _context_tests(value: str) -> list[Any]:
    return [lambda r: r.area == value]


def _is_plural_tests(value: str) -> list[Any]:
    def make(variable: str) -> Any:
        def test(r: Render) -> bool:
            names = r.item.get(variable)
            return isinstance(names, list) and len(names) > 1

        return test

    return [make(v) for v in value.split()]


_TESTS = {
    "variable": _variable_tests,
    "type": _type_tests,
    "is-numeric": _is_numeric_tests,
    "is-uncertain-date": _uncertain_tests,
    "locator": _locator_tests,
    "position": positions.condition_tests,
    "disambiguate": _disambiguate_tests,
    "has-year-only": _has_year_only,
    "has-day": _has_day,
    "has-to-month-or-season": _has_to_month_or_season,
    "context": _context_tests,
    "is-plural": _is_plural_tests,
}
