"""``cs:names``: name lists, et-al, labels, substitution, initials and name order.

CSL 1.0.2 "Names": each name variable renders its names (persons in display
or sort order, literal names as given), joined by the name delimiter and
``and``; long lists are shortened to ``et-al-use-first`` names followed by
the et-al term (``et-al-subsequent-*`` for subsequent cites); given names are
initialized with ``initialize-with`` (a multi-letter given name "Ph. M." keeps
its letters with ``initialize="false"``); a label names the role. When no
variable has names the ``cs:substitute`` children are tried in turn. Names
that disambiguation expanded (more names, fuller given names) come from the
processor's settings for the item. The layout of names follows citeproc-js
(particles, "de la Cruz" vs "Cruz, de la", CJK names without a space).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from . import nodes, textcase
from .nodes import Element, Fmt, Render
from .output import Blob

NAME_VARIABLES = frozenset(
    "author chair collection-editor compiler composer container-author contributor curator "
    "director editor editor-translator editorial-director executive-producer guest host "
    "illustrator interviewer narrator organizer original-author performer producer recipient "
    "reviewed-author script-writer series-creator translator commenter".split()
)

NAME_OPTIONS = (
    "and",
    "delimiter-precedes-last",
    "delimiter-precedes-et-al",
    "initialize-with",
    "initialize",
    "name-as-sort-order",
    "sort-separator",
    "et-al-min",
    "et-al-use-first",
    "et-al-use-last",
    "et-al-subsequent-min",
    "et-al-subsequent-use-first",
    "form",
    "delimiter",
)
_PARENT_NAME = {"delimiter": "name-delimiter", "form": "name-form"}
_INT_OPTIONS = (
    "et-al-min",
    "et-al-use-first",
    "et-al-subsequent-min",
    "et-al-subsequent-use-first",
)
_ROMANESQUE_START = re.compile(
    "^[&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b\u202a-\u202e]"
)
_ROMANESQUE = re.compile(
    "[-0-9a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b\u202a-\u202e]"
)
_INITIAL = re.compile(
    "^([A-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u042f\u0590-\u05d4\u05d6-\u05ff\u0600-\u06ff"
    "\u0370\u0372\u0376\u0386\u0388-\u03ab\u03e2\u03e4\u03e6\u03e8\u03ea\u03ec\u03ee\u03f4"
    "\u03f7\u03fd-\u03ff])([a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u052f\u0600-\u06ff"
    "\u0370-\u03ff\u1f00-\u1fff]*|)(\\.)*"
)
_NAME_SPLIT = re.compile(
    r"((?:[-\s]*</*(?:span\s+class=\"no(?:case|decor)\"|i|sc|b|sub|sup)>[-\s]*|[-\s]+))"
)
_TRAILING_SPACE = re.compile("[\t\n\x0b\x0c\r \ufeff\u00a0]+$")
_SPACED_HYPHEN = re.compile(r"\s*\-\s*")
_SPACES = re.compile("[\t\n\x0b\x0c\r ]+")


class NameElement:
    """``cs:name``: its options (own attributes; inherited ones are looked up per area)."""

    __slots__ = ("attrib", "family", "fmt", "given")

    def __init__(self, attrib: dict[str, str], family: Fmt | None, given: Fmt | None):
        self.attrib = dict(attrib)
        self.fmt = Fmt(attrib)
        self.family = family
        self.given = given


class EtAl:
    __slots__ = ("fmt", "term")

    def __init__(self, attrib: dict[str, str]):
        self.term = attrib.get("term", "et-al")
        self.fmt = Fmt(attrib)


class NameLabel:
    """``cs:label`` inside ``cs:names`` (before or after the names)."""

    __slots__ = ("after", "fmt", "form", "plural")

    def __init__(self, attrib: dict[str, str], after: bool):
        self.fmt = Fmt(attrib)
        self.form = attrib.get("form", "long")
        plural = attrib.get("plural")
        self.plural = {"always": True, "never": False}.get(plural or "")
        self.after = after


class Names(Element):
    """A compiled ``cs:names``."""

    __slots__ = ("attrib", "bare", "et_al", "label", "name", "substitute", "variables")
    kind = "names"

    def __init__(
        self,
        attrib: dict[str, str],
        name: NameElement | None,
        et_al: EtAl | None,
        label: NameLabel | None,
        substitute: list[Element] | None,
        bare: bool,
    ):
        super().__init__(attrib)
        self.attrib = dict(attrib)
        self.variables: tuple[str, ...] = tuple(attrib.get("variable", "").split())
        self.name = name
        self.et_al = et_al
        self.label = label
        self.substitute = substitute
        self.bare = bare  # no children: takes name, et-al and label from the enclosing names

    def render(self, r: Render) -> None:
        token = r.begin(self)
        pushed = nodes.trace_begin(r, "names")
        r.can_substitute.append(True)
        outer = r.names_context
        name, et_al, label = self.name, self.et_al, self.label
        if outer is not None:
            # names inside cs:substitute take what they lack from the enclosing cs:names
            if name is None:
                name = outer[0]
            if self.bare:
                et_al, label = outer[1], outer[2]
        if name is None:
            name = _DEFAULT_NAME
        r.name_node = {"top": None, "children": []}
        # bare names in cs:substitute also print with the enclosing cs:names formatting
        shape = outer[3] if self.bare and outer is not None else self
        r.names_context = (name, et_al, label, shape)
        try:
            values = _output_names(r, self, name, et_al, label, shape)
            if not values and self.substitute is not None and r.can_substitute[-1]:
                r.can_block_substitute = True
                for child in self.substitute:
                    if not r.can_substitute[-1]:
                        break
                    child.render(r)
        finally:
            r.names_context = outer
        done = r.can_substitute.pop()
        if not done:
            r.can_substitute[-1] = False
        if len(r.can_substitute) == 1:
            r.can_block_substitute = False
        nodes.trace_end(r, pushed)
        r.document.subsequent_author_hook(r, self, "names")
        r.end(self, token)


_DEFAULT_NAME = NameElement({}, None, None)


def option(r: Render, name: NameElement | None, key: str, default: Any = None) -> Any:
    """A name option: the element's own, then the citation's/bibliography's, then the style's."""
    if name is not None and key in name.attrib:
        value: Any = name.attrib[key]
    else:
        inherited = r.area_context.inherited
        parent = _PARENT_NAME.get(key, key)
        if parent not in inherited:
            return default
        value = inherited[parent]
    if key in _INT_OPTIONS:
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    if key == "et-al-use-last":
        return value == "true" if isinstance(value, str) else bool(value)
    if key == "initialize":
        return value != "false"
    return value


def _names_option(r: Render, names: Names, key: str, default: Any = None) -> Any:
    # cs:names attributes inherit from names-* on cs:style, cs:citation, cs:bibliography
    if key in names.attrib:
        return names.attrib[key]
    return r.area_context.inherited.get("names-" + key, default)


def _output_names(r: Render, element: Names, name: NameElement, et_al: EtAl | None,
                  label: NameLabel | None, shape: Names) -> bool:  # fmt: skip
    """citeproc-js ``outputNames``; returns whether any variable held names."""
    live = r.live_variables(element.variables)
    r.rendered_name = []
    r.label_blob = None
    values = [n for v in live for n in (r.item.get(v) or [])]
    r.frame.variable_attempt = True
    if r.term_predecessor:
        r.subsequent_author_substitute_ok = False
    if not values:
        return False
    sorting = r.sorting
    sort_options = r.name_sort_options if sorting else None
    position = r.cite.get("position", 0) if r.cite else 0
    if sort_options is not None:
        etal_min = sort_options.get("et-al-min") or option(r, name, "et-al-min")
        etal_use_first = sort_options.get("et-al-use-first") or option(r, name, "et-al-use-first")
        use_last = sort_options.get("et-al-use-last")
        if use_last is None:
            use_last = option(r, name, "et-al-use-last")
    elif position:
        etal_min = option(r, name, "et-al-subsequent-min") or option(r, name, "et-al-min")
        etal_use_first = option(r, name, "et-al-subsequent-use-first") or option(
            r, name, "et-al-use-first"
        )
        use_last = False
    else:
        etal_min = option(r, name, "et-al-min")
        etal_use_first = option(r, name, "et-al-use-first")
        use_last = option(r, name, "et-al-use-last")
    form = option(r, name, "form", "long")
    delimiter = option(r, name, "delimiter", ", ")
    if delimiter is None:
        delimiter = ", "
    and_option = option(r, name, "and")
    precedes_last = option(r, name, "delimiter-precedes-last")
    precedes_et_al = option(r, name, "delimiter-precedes-et-al")
    etal_term = r.locale.text(et_al.term if et_al else "et-al")
    etal_fmt = et_al.fmt if et_al else nodes.EMPTY_FMT
    etal_prefix_single, etal_prefix_multiple = " ", delimiter
    if precedes_et_al == "always":
        etal_prefix_single = delimiter
    elif precedes_et_al == "never":
        etal_prefix_multiple = " "
    elif precedes_et_al == "after-inverted-name":
        etal_prefix_single = delimiter
        etal_prefix_multiple = " "
    if not _ROMANESQUE_START.match(etal_term or ""):
        if etal_prefix_single == " ":
            etal_prefix_single = ""
        if etal_prefix_multiple == " ":
            etal_prefix_multiple = ""
    and_term = None
    if and_option == "text":
        and_term = r.locale.text("and")
    elif and_option == "symbol":
        and_term = "&"
    if and_term is not None and _ROMANESQUE_START.match(and_term):
        and_single, and_multiple, and_suffix = " ", delimiter, " "
    else:
        and_single, and_multiple, and_suffix = "", "", ""
    if precedes_last == "always":
        and_single = delimiter
    elif precedes_last == "never":
        if and_multiple:
            and_multiple = " "
    elif precedes_last == "after-inverted-name":
        if and_single:
            and_single = delimiter
        if and_multiple:
            and_multiple = " "
    settings = _Settings(
        r, name, form, delimiter, and_term, and_single, and_multiple, and_suffix,
        precedes_last, etal_term, etal_fmt, etal_prefix_single, etal_prefix_multiple,
    )  # fmt: skip
    variables = list(live)
    common_term = None
    if len(variables) == 2 and label is not None:
        joined = "".join(sorted(variables))
        if joined in r.locale.terms and r.locale.term(joined, label.form):
            first, second = (r.item.get(v) for v in variables)
            if _same_names(first, second):
                common_term = joined
    blobs: list[Blob] = []
    names_count = 0
    for index, variable in enumerate(variables):
        names = list(r.item.get(variable) or [])
        if not names:
            continue
        pos = r.nameset + index
        count = len(names)
        r.names_max.append(count)
        shown = _constrain(r, names, count, pos, etal_min, etal_use_first, use_last)
        names_count += len(shown)
        if (name is not None and name.attrib.get("form") == "count") or form == "count":
            continue
        et_al = 0
        if len(shown) < count and not sorting:
            et_al = 2 if use_last else 1
        rendered = [_render_name(r, settings, n, pos, i, variable) for i, n in enumerate(shown)]
        rendered = [b for b in rendered if b is not None and b.blobs]
        if not rendered:
            continue
        if et_al == 1:
            joined = settings.join_et_al(rendered)
        elif et_al == 2:
            joined = settings.join_ellipsis(rendered)
        elif sorting:
            joined = settings.join(rendered, delimiter)
        else:
            joined = settings.join_and(rendered)
        if joined is None:
            continue
        if label is not None and not sorting:
            joined = _apply_label(r, label, joined, common_term or variable, count, len(shown))
        blobs.append(joined)
        if common_term:
            break
    r.nameset += len(variables)
    if (name is not None and name.attrib.get("form") == "count") or form == "count":
        if names_count:
            r.append(str(names_count), nodes.EMPTY_FMT)
            r.frame.variable_success = True
        return True
    if not blobs:
        return True
    holder = Blob([], delimiter=_names_option(r, shape, "delimiter", "") or "")
    for blob in blobs:
        holder.blobs.append(blob)
    if not r.just_looking:
        r.probably_rendered_something = True
    r.name_node["top"] = holder
    wrapper = shape.fmt.blob([holder])
    if r.trace[-1] != "suppress-me":
        r.current.blobs.append(wrapper)
    if r.term_predecessor_name:
        r.term_predecessor = True
    r.document.collapse_author(r, element, holder, variables)
    return True


def _same_names(first: Any, second: Any) -> bool:
    if not first or not second or len(first) != len(second):
        return False
    parts = ("non-dropping-particle", "family", "given", "dropping-particle", "suffix", "literal")
    return all(a.get(p) == b.get(p) for a, b in zip(first, second, strict=True) for p in parts)


def _constrain(r: Render, names: list[Any], count: int, pos: int, etal_min: Any, use_first: Any,
               use_last: bool) -> list[Any]:  # fmt: skip
    """How many names to show (et-al rules, and names added by disambiguation)."""
    request = r.disambig_request
    length: Any = etal_min
    if r.suppress_decorations:
        if request is not None and len(request.names) > pos and request.names[pos]:
            length = request.names[pos]
        elif etal_min is not None and count >= etal_min:
            length = use_first
    else:
        if (
            request is not None
            and len(request.names) > pos
            and (request.names[pos] or 0) > (use_first or 0)
        ):
            length = count if etal_min is not None and count < etal_min else request.names[pos]
        elif etal_min is not None and count >= etal_min:
            length = use_first
        if use_last and length is not None and etal_min is not None and length > etal_min - 2:
            length = etal_min - 2
    sane = (etal_min or 0) >= (use_first or 0)
    overlength = length is not None and count > length
    if length is not None and length > count:
        length = len(names)
    shown = names
    if sane and overlength:
        shown = names[:length] + names[-1:] if use_last else names[:length]
    settings = r.disambig
    while len(settings.names) <= pos:
        settings.names.append(0)
    settings.names[pos] = len(shown)
    while len(settings.givens) <= pos:
        settings.givens.append([])
    return shown


class _Settings:
    """The options one names element renders with, and citeproc-js's joins."""

    def __init__(self, r: Render, name: NameElement | None, form: str, delimiter: str,
                 and_term: str | None, and_single: str, and_multiple: str, and_suffix: str,
                 precedes_last: Any, etal_term: str, etal_fmt: Fmt, etal_single: str,
                 etal_multiple: str):  # fmt: skip
        self.r = r
        self.name = name
        self.form = form
        self.delimiter = delimiter
        self.and_term = and_term
        self.and_single = and_single
        self.and_multiple = and_multiple
        self.and_suffix = and_suffix
        self.precedes_last = precedes_last
        self.etal_term = etal_term
        self.etal_fmt = etal_fmt
        self.etal_single = etal_single
        self.etal_multiple = etal_multiple
        self.name_fmt = name.fmt if name is not None else nodes.EMPTY_FMT
        own = name.attrib.get("delimiter") if name is not None else None
        self.institution_delimiter = own if own is not None else ", "
        self.family = name.family if name is not None else None
        self.given = name.given if name is not None else None

    def _and_blob(self, multiple: bool) -> Blob:
        if self.and_term is not None:
            blob = _text_blob(self.r, self.and_term, nodes.EMPTY_FMT)
            blob.prefix = self.and_multiple if multiple else self.and_single
            blob.suffix = self.and_suffix
            return blob
        return Blob(self.delimiter)

    def join(self, blobs: list[Blob], delimiter: str, final: Blob | None = None) -> Blob | None:
        blobs = [b for b in blobs if b is not None and b.blobs]
        if not blobs:
            return None
        if len(blobs) == 2:
            if final is None:
                blobs[0].suffix += delimiter
            else:
                blobs = [blobs[0], final, blobs[1]]
        elif len(blobs) > 2:
            last = blobs.pop()
            for blob in blobs[: len(blobs) - (1 if final is not None else 0)]:
                blob.suffix += delimiter
            if final is not None:
                blobs.append(final)
            blobs.append(last)
        # citeproc-js appends each piece as a blob of its own, which the punctuation
        # clean-up sees (a space at the end of a piece moves up out of it)
        return Blob([Blob([blob]) for blob in blobs])

    def _after_inverted(self, blobs: list[Blob], final: Blob) -> Blob:
        if len(blobs) > 1 and self.precedes_last == "after-inverted-name":
            previous = blobs[-2]
            inner = (
                previous.blobs[0] if isinstance(previous.blobs, list) and previous.blobs else None
            )
            if getattr(inner, "inverted", False):
                final.prefix = self.delimiter
        return final

    def join_and(self, blobs: list[Blob]) -> Blob | None:
        final = None
        if len(blobs) > 1:
            multiple = len(blobs) > 2
            if getattr(blobs[-1], "institution", False):
                final = self._institution_and(multiple)
            else:
                final = self._and_blob(multiple)
            final = self._after_inverted(blobs, final)
        return self.join(blobs, self.delimiter, final)

    def _institution_and(self, multiple: bool) -> Blob:
        """citeproc-js joins a list ending in a literal name with the settings of its implicit
        cs:institution: the name's delimiter and ``and``, the inherited delimiter-precedes-last."""
        delimiter = self.institution_delimiter
        if self.and_term is None:
            return Blob(delimiter)
        if _ROMANESQUE_START.match(self.and_term):
            single, many, suffix = " ", delimiter, " "
        else:
            single, many, suffix = "", "", ""
        inherited = self.r.area_context.inherited.get("delimiter-precedes-last")
        if inherited == "always":
            single = delimiter
        elif inherited == "never" and many:
            many = " "
        blob = _text_blob(self.r, self.and_term, nodes.EMPTY_FMT)
        blob.prefix = many if multiple else single
        blob.suffix = suffix
        return blob

    def join_et_al(self, blobs: list[Blob]) -> Blob | None:
        joined = self.join(blobs, self.delimiter)
        if joined is None:
            return None
        wrapper = self.name_fmt.blob([])
        wrapper.delimiter = ""
        wrapper.blobs.append(joined)
        etal = _text_blob(self.r, self.etal_term, self.etal_fmt)
        etal.prefix = self.etal_multiple if len(blobs) > 1 else self.etal_single
        etal.suffix = ""
        if etal.blobs:
            wrapper.blobs.append(etal)
        return wrapper

    def join_ellipsis(self, blobs: list[Blob]) -> Blob | None:
        final = None
        if len(blobs) > 1:
            final = Blob("\u2026", " " if len(blobs) <= 2 else self.delimiter, " ")
            final = self._after_inverted(blobs, final)
        return self.join(blobs, self.delimiter, final)


class NameBlob(Blob):
    """A rendered name: whether it is in sort order, whether it is a literal (institution)."""

    __slots__ = ("institution", "inverted")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.inverted = False
        self.institution = False


def _text_blob(r: Render, text: str, fmt: Fmt) -> Blob:
    """A blob for ``text`` as the output queue builds it, without adding it anywhere."""
    holder = Blob([])
    r.stack.append(holder)
    try:
        r.append(text, fmt, not_serious=True)
    finally:
        r.stack.pop()
    return holder.blobs[0] if holder.blobs else Blob("")


def _part_fmt(part: Fmt | None) -> Fmt:
    """A name-part's formatting without its affixes (citeproc-js family_decor/given_decor)."""
    fmt = Fmt()
    if part is not None:
        fmt.decorations = list(part.decorations)
        fmt.text_case = part.text_case
        fmt.strip_periods = part.strip_periods
    return fmt


def _strip(r: Render, part: Fmt | None, text: Any) -> Any:
    if text and (r.strip_periods or (part is not None and part.strip_periods)):
        return text.replace(".", "")
    return text


def _render_name(r: Render, s: _Settings, name: dict[str, Any], pos: int, index: int,
                 variable: str) -> Blob | None:  # fmt: skip
    if "literal" in name or not (name.get("family") or name.get("given")):
        return _render_literal(r, s, name)
    return _render_person(r, s, name, pos, index)


def _render_literal(r: Render, s: _Settings, name: dict[str, Any]) -> Blob | None:
    literal = name.get("literal") or name.get("family") or ""
    if not literal:
        return None
    style = Fmt()
    family = s.family
    source = dict(s.name.attrib) if s.name is not None else {}
    fmt_keys = ("font-style", "font-variant", "font-weight", "text-decoration")
    decorations = [(k, source[k]) for k in fmt_keys if k in source]
    text_case = source.get("text-case")
    if family is not None:
        decorations = [d for d in decorations if d[0] not in {n for n, _ in family.decorations}]
        decorations = decorations + [d for d in family.decorations if d[0] in fmt_keys]
        text_case = family.text_case or text_case
    order = ("strip-periods", *fmt_keys, "quotes")
    style.decorations = sorted(
        decorations, key=lambda d: order.index(d[0]) if d[0] in order else 99
    )
    style.text_case = None if text_case == "normal" else text_case
    parts = []
    for piece in re.split(r"\s*\|\s*", literal):
        text = piece
        if r.strip_periods or any(d == ("strip-periods", "true") for d in style.decorations):
            text = text.replace(".", "")
        r.frame.variable_success = True
        r.can_substitute[-1] = False
        parts.append(_text_blob(r, text, style))
    joined = s.join(parts, s.delimiter)
    if joined is None:
        return None
    blob = NameBlob([joined])
    blob.institution = True
    r.name_node["children"].append(blob)
    r.rendered_name.append(literal)
    return blob


def _is_romanesque(r: Render, name: dict[str, Any]) -> int:
    family = (name.get("family") or "").replace('"', "")
    level = 2 if _ROMANESQUE.search(family) else 0
    if not level and name.get("given") and _ROMANESQUE_START.match(name["given"]):
        level = 1
    if level == 2:
        language = str(r.item.get("language") or "")[:2]
        if language in ("ja", "zh"):
            level = 1
    return level


def _render_person(
    r: Render, s: _Settings, name: dict[str, Any], pos: int, index: int
) -> Blob | None:
    family_fmt = _part_fmt(s.family)
    given_fmt = _part_fmt(s.given)
    sorting = r.sorting and r.sort_key_names
    given_text = name.get("given")
    level, given_text = _given_level(r, s, name, pos, index, given_text)

    def part(text: Any, fmt: Fmt, which: Fmt | None) -> Blob | None:
        text = _strip(r, which, text)
        if not text:
            return None
        blob = _text_blob(r, text, fmt)
        return blob if blob.blobs else None

    dp_text = name.get("dropping-particle")
    ndp_text = name.get("non-dropping-particle")
    if sorting:
        if ndp_text:
            ndp_text = re.sub("['\u2019]", "", ndp_text, count=1)
        if dp_text:
            dp_text = re.sub("['\u2019]", "", dp_text, count=1)
    dropping = part(dp_text, given_fmt, s.given)
    family = part(name.get("family"), family_fmt, s.family)
    non_dropping = part(ndp_text, family_fmt, s.family)
    given = part(given_text, given_fmt, s.given) if level != 0 else None
    suffix_text = name.get("suffix")
    initialize_with = option(r, s.name, "initialize-with")
    if suffix_text and isinstance(initialize_with, str):
        suffix_text = initialize(r, suffix_text, initialize_with, True)
    suffix_text = _strip(r, s.family, suffix_text)
    suffix = None
    if suffix_text:
        trailing = ""
        if suffix_text.endswith("."):
            suffix_text = suffix_text[:-1]
            trailing = "."
        suffix = _text_blob(r, suffix_text, nodes.EMPTY_FMT)
        if not suffix.blobs:
            suffix = None
        else:
            suffix.suffix = trailing + suffix.suffix
    if level == 0:
        dropping = None
        suffix = None
    sort_separator = option(r, s.name, "sort-separator") or ""
    if r.sorting and r.name_sort_options is not None and "sort-separator" in r.name_sort_options:
        sort_separator = r.name_sort_options["sort-separator"]
    suffix_separator = ", " if name.get("comma-suffix") else " "
    romanesque = _is_romanesque(r, name)
    hyphenated = _joining(non_dropping)
    nbsp = "\u00a0" if r.style.default_locale[:2] in ("fr", "ru", "cs") else " "
    comma_dp = name.get("comma-dropping-particle", "")
    join = s.join

    def j(blobs: list[Any], delimiter: str) -> Blob | None:
        return join([b for b in blobs if b is not None], delimiter)

    inverted = False
    name_as_sort = option(r, s.name, "name-as-sort-order")
    if r.sorting and r.name_sort_options is not None:
        name_as_sort = r.name_sort_options.get("name-as-sort-order", name_as_sort)
    demote = r.context.demote_particle
    if romanesque == 0:
        blob = j([non_dropping, family, given], "")
    elif romanesque == 1 or name.get("static-ordering"):
        merged = j([non_dropping, family], nbsp)
        blob = j([merged, given], " ")
    elif sorting:
        if demote == "never":
            merged = j([non_dropping, family], nbsp)
            merged = j([merged, dropping], " ")
            merged = j([merged, given], nodes.SORT_SEPARATOR)
            blob = j([merged, suffix], " ")
        else:
            second = j([given, dropping, non_dropping], " ")
            merged = j([family, second], nodes.SORT_SEPARATOR)
            blob = j([merged, suffix], " ")
    elif name_as_sort == "all" or (name_as_sort == "first" and index == 0):
        if name.get("given") in ("Lord", "Lady"):
            sort_separator = ", "
        if demote in ("always", "display-and-sort"):
            second = j([given, dropping], comma_dp + " ")
            second = j([second, non_dropping], " ")
            if second is not None and s.given is not None:
                second.prefix, second.suffix = s.given.prefix, s.given.suffix
            if family is not None and s.family is not None:
                family.prefix, family.suffix = s.family.prefix, s.family.suffix
            merged = j([family, second], sort_separator)
            blob = j([merged, suffix], sort_separator)
        else:
            first = j([non_dropping, family], "" if hyphenated else nbsp)
            if first is not None and s.family is not None:
                first.prefix, first.suffix = s.family.prefix, s.family.suffix
            second = j([given, dropping], comma_dp + " ")
            if second is not None and s.given is not None:
                second.prefix, second.suffix = s.given.prefix, s.given.suffix
            merged = j([first, second], sort_separator)
            blob = j([merged, suffix], sort_separator)
        inverted = True
    else:
        joins = dp_text and dp_text[-1:] in ("'", "\u02bc", "\u2019", "-") and dp_text[:-1] != "de"
        if joins and name.get("family") and not ndp_text:
            family = j([dropping, family], "")
            dropping = None
        if hyphenated:
            second = j([non_dropping, family], "")
            second = j([dropping, second], nbsp)
        else:
            second = j([dropping, non_dropping, family], nbsp)
        second = j([second, suffix], suffix_separator)
        if second is not None and s.family is not None:
            second.prefix, second.suffix = s.family.prefix, s.family.suffix
        if second is not None and second.prefix:
            comma_dp = ""
        if given is not None and s.given is not None:
            given.prefix, given.suffix = s.given.prefix, s.given.suffix
        space = " "
        if (
            isinstance(initialize_with, str)
            and re.search("[\u00a0\ufeff]", initialize_with)
            and level == 1
        ):
            space = nbsp
        blob = j([given, second], comma_dp + space)
    if blob is None:
        return None
    r.frame.variable_success = True
    r.can_substitute[-1] = False
    r.term_predecessor = True
    if inverted:
        blob = _mark_inverted(blob)
    # the blob in the tree, so that subsequent-author-substitute can replace it
    r.name_node["children"].append(blob)
    if not r.sorting:
        raw = [p for p in (name.get("given"), name.get("family")) if p]
        r.rendered_name.append(" ".join(raw))
    wrapper = s.name_fmt.blob([blob])
    wrapper.delimiter = s.name_fmt.delimiter
    return wrapper


def _mark_inverted(blob: Blob) -> Blob:
    marked = NameBlob(blob.blobs, blob.prefix, blob.suffix, blob.delimiter, blob.decorations)
    marked.inverted = True
    return marked


def _joining(blob: Any) -> bool:
    if blob is None:
        return False
    if isinstance(blob.blobs, str):
        return blob.blobs[-1:] in ("\u2019", "'", "-", " ")
    return bool(blob.blobs) and _joining(blob.blobs[-1])


def _given_level(r: Render, s: _Settings, name: dict[str, Any], pos: int, index: int,
                 given: Any) -> tuple[int, Any]:  # fmt: skip
    """The given-name form (0 none, 1 initials, 2 full) and the given name in it."""
    form_short = s.form != "long"
    initialize_on = option(r, s.name, "initialize") is not False
    initialize_with = option(r, s.name, "initialize-with")
    has_initialize = isinstance(initialize_with, str)
    if name.get("full-form-always"):
        use = 2
    else:
        default = 0 if form_short else (1 if has_initialize else 2)
        requested = r.document.given_level(r, s, name, pos, index, default)
        use = max(requested, default)
    rule = r.context.citation_options.givenname_disambiguation_rule
    if rule.endswith("-with-initials"):
        has_initialize = True
    if name.get("family") and use == 1:
        if has_initialize:
            given = initialize(r, given, initialize_with or "", not initialize_on)
    elif use == 0:
        return 0, None
    return use, given


def initialize(r: Render, name: Any, terminator: str, normalize_only: bool) -> str:
    """Initials of a given name (CSL 1.0.2 "initialize-with", "initialize").

    ``normalize_only`` keeps full names and only normalises the periods and
    spaces of names that already are initials (``initialize="false"``).
    """
    if not name:
        return ""
    return _initials(str(name), terminator, normalize_only, r.context.initialize_with_hyphen)


@functools.lru_cache(maxsize=16384)
def _initials(name: str, terminator: str, normalize_only: bool, hyphen: bool) -> str:
    if name in ("Lord", "Lady"):
        return name
    if not _ROMANESQUE_START.match(re.sub(r"^(?:<[^>]+>)*", "", name)) and "%s" not in terminator:
        return name
    if not hyphen:
        name = name.replace("-", " ")
    name = _SPACED_HYPHEN.sub("-", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub("-([a-z])", "\u2013\\1", name)
    i = len(name) - 2
    while i > -1:
        if name[i] == "." and name[i + 1 : i + 2] != " ":
            name = name[:i] + ". " + name[i + 1 :]
        i -= 1
    pieces = _NAME_SPLIT.split(name)
    strings = pieces[0::2]
    tags = pieces[1::2]
    items = [strings[0]]
    if not tags:
        tail = re.search(r"[^\.]+$", items[0])
        if tail and len(tail.group(0)) == 1 and tail.group(0) != tail.group(0).lower():
            items[0] += "."
    for i in range(1, len(strings)):
        items.append(tags[i - 1])
        items.append(strings[i])
    out = _normalize(items, terminator) if normalize_only else _initialize(items, terminator)
    return re.sub("\u2013([a-z])", "-\\1", out)


def _notag(text: str) -> str:
    return re.sub(r"^(?:<[^>]+>)*", "", text)


def _mergetag(tagstr: str, newstr: str) -> str:
    tags = re.findall(r"(?:-*<[^>]+>-*)", tagstr)
    if not tags:
        return newstr
    tagstr = "".join(tags)
    match = re.match(r"^(.*[^\s])*(\s+)$", newstr)
    if match:
        return (match.group(1) or "") + tagstr + match.group(2)
    return newstr + tagstr


def _tagonly(text: str) -> str:
    match = re.search(r"(?:<[^>]+>)+", text)
    return match.group(0) if match else text


def _tidy(text: str) -> str:
    text = _TRAILING_SPACE.sub("", text)
    text = _SPACED_HYPHEN.sub("-", text)
    return _SPACES.sub(" ", text)


def _normalize(items: list[str], terminator: str) -> str:
    abbreviations = []
    for i, item in enumerate(items):
        bare = _notag(item)
        if len(bare) > 1 and bare.endswith("."):
            items[i] = re.sub(r"^(.*)\.(.*)$", r"\1\2", item)
            abbreviations.append(True)
        elif len(item) == 1 and item.upper() == item:
            abbreviations.append(True)
        else:
            abbreviations.append(False)
    for i in range(0, len(items), 2):
        if abbreviations[i]:
            if i < len(items) - 2:
                items[i + 1] = _tagonly(items[i + 1])
                if not abbreviations[i + 2]:
                    items[i + 1] = _tagonly(items[i + 1]) + " "
                if len(items[i + 2]) > 1:
                    items[i + 1] = re.sub("\ufeff$", "", terminator) + items[i + 1]
                else:
                    items[i + 1] = _mergetag(items[i + 1], terminator)
            if i == len(items) - 1:
                items[i] = items[i] + terminator
    return _tidy("".join(items))


def _initialize(items: list[str], terminator: str) -> str:
    count = len(items)
    for i in range(0, count, 2):
        item = items[i]
        if not item:
            continue
        match = _INITIAL.match(item)
        groups: list[Any] | None = list(match.groups()) if match else None
        if (
            groups is None
            and not _ROMANESQUE_START.match(item)
            and len(item) > 1
            and "%s" in terminator
        ):
            other = re.match(r"(.)(.*)", item, re.DOTALL)
            groups = [other.group(1), other.group(2), None] if other else None
        if groups is not None and groups[1] and groups[2]:
            groups[0] = groups[0] + groups[1]
            groups[1] = ""
        if groups is not None and groups[0][:1] == groups[0][:1].upper():
            extra = ""
            if groups[1]:
                capitals = ""
                for char in groups[1]:
                    if char == char.upper():
                        capitals += char
                    else:
                        break
                if len(capitals) < len(groups[1]):
                    extra = capitals.lower()
            items[i] = groups[0] + extra
            if i < count - 1:
                if "%s" in terminator:
                    items[i] = terminator.replace("%s", items[i], 1)
                elif "-" in items[i + 1]:
                    items[i + 1] = _mergetag(items[i + 1].replace("-", "", 1), terminator) + "-"
                else:
                    items[i + 1] = _mergetag(items[i + 1], terminator)
            else:
                if "%s" in terminator:
                    items[i] = terminator.replace("%s", items[i], 1)
                else:
                    items.append(terminator)
        elif _ROMANESQUE.search(item) and (groups is None or not groups[2]):
            items[i] = " " + item
    return _tidy("".join(items))


def _apply_label(
    r: Render, label: NameLabel, blob: Blob, term: str, count: int, shown: int
) -> Blob:
    plural = count > 1
    if label.plural is not None:
        plural = label.plural
    form = label.form
    text = r.locale.text(term, form, plural)
    if r.strip_periods or label.fmt.strip_periods:
        text = text.replace(".", "")
    label_blob = _text_blob(r, text, label.fmt)
    if not label.after:
        return Blob([label_blob, blob] if label_blob.blobs else [blob])
    wrapped = Blob([blob, label_blob] if label_blob.blobs else [blob])
    r.label_blob = label_blob
    return wrapped


def sort_form_text(names: list[dict[str, Any]]) -> str:
    """Plain name strings (for subsequent-author-substitute comparisons)."""
    return ", ".join(
        " ".join(p for p in (n.get("given"), n.get("family")) if p) or n.get("literal", "")
        for n in names
    )


_ = textcase  # text-case of name parts is applied through their Fmt
