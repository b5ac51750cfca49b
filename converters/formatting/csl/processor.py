"""The CSL processor: a registry of items, sorting, citations, bibliography.

One :class:`Processor` serves one compiled style and locale. :meth:`load`
registers the items of a run in citation order and settles everything that
depends on all of them: disambiguation (run by :mod:`.disambiguation` over the
groups of items whose short cites clash), the bibliography sort ("Sorting"),
and citation numbers.

:meth:`bibliography` renders entries (with subsequent-author-substitute and
second-field-align); :meth:`cluster` renders one citation: cites sorted by
the citation sort, joined by the layout delimiter, with CSL "Cite Grouping"
and "Cite Collapsing" (``collapse="citation-number"``, ``year``,
``year-suffix``, ``year-suffix-ranged``, ``cite-group-delimiter``,
``after-collapse-delimiter``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..markup import Text
from . import dates, nodes, numbers, pinyin, positions
from . import names as names_mod
from .context import ClusterState, StyleContext
from .disambiguation import AmbigConfig, Disambiguator, NameRegistry, strategies
from .locale import Locale
from .output import Blob, Writer, adjust, is_text, purge_empty
from .style import Layout, SortKey, Style

CITE_PREFIX_SPACE = re.compile("[\"'\u201d\u2019\u00bb\u202f\u00a0 ]+$")
_ENDS_ROMANESQUE = re.compile(
    "[.;:&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b\u202a-\u202e]$"
)
_STARTS_ROMANESQUE = re.compile(
    "^[&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b\u202a-\u202e]"
)
_TAGS = re.compile(r"<[^>]+>")


class Token:
    """A registered item (citeproc-js registry token)."""

    __slots__ = ("ambig", "disambig", "given_calls", "id", "item", "seq", "sortkeys")

    def __init__(self, item: dict[str, Any], seq: int):
        self.id = item["id"]
        self.item = item
        self.seq = seq
        self.disambig = AmbigConfig()
        self.sortkeys: list[Any] = []
        self.ambig: str | None = None
        # the given-name levels its ambiguous cite asked for: (nameset, index, name, form,
        # initialize-with), to see whether the finished name registry would change them
        self.given_calls: list[tuple[Any, ...]] | None = None


# --- collation -----------------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "ı": "i",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ẞ": "ss",
        "\u2019": "'",
    }
)


@functools.lru_cache(maxsize=65536)
def collation_key(text: str, han_pinyin: bool = False) -> tuple[Any, ...]:
    """A key that orders strings as citeproc-js's ``localeCompare`` does with base
    sensitivity, punctuation ignored and numbers compared by value (ICU root collation):
    "Ångström" sorts with A, "Łukasz" with L, "Item 10" after "Item 9"; symbols (the ``|``
    that separates sort-key words) sort before digits, digits before letters.

    With ``han_pinyin`` (the output locale is Chinese, see :func:`.pinyin.uses_pinyin`)
    Han characters sort first, in pinyin order, as in ICU's zh collation."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    stand_ins = han_pinyin and any(pinyin.is_han(char) for char in folded)
    if stand_ins:
        # spaces and controls (which never count) are dropped first, so that the code
        # points up to " " are the stand-ins' only
        folded = "".join(
            pinyin.han_unit(c) if pinyin.is_han(c) else c for c in folded if c > pinyin.STAND_IN_MAX
        )
    key: list[Any] = []
    run: list[str] = []
    digits: list[str] = []

    def flush() -> None:
        if run:
            key.append((2, "".join(run)))
            run.clear()
        if digits:
            key.append((1, int("".join(digits))))
            digits.clear()

    for char in folded:
        if stand_ins and char <= pinyin.STAND_IN_MAX:  # part of a Han stand-in: a letter
            run.append(char)
            continue
        category = unicodedata.category(char)
        kind = category[0]
        if kind in "MPZC":
            continue  # accents, punctuation, spaces and controls do not count
        if category == "Nd":
            if run:
                flush()
            digits.append(char)
        elif kind == "S":
            flush()
            key.append((0, char))
        else:
            if digits:
                flush()
            run.append(char)
    flush()
    return tuple(key)


def _compare_strings(a: str, b: str, han_pinyin: bool = False) -> int:
    ka, kb = collation_key(a, han_pinyin), collation_key(b, han_pinyin)
    return (ka > kb) - (ka < kb)


# --- the processor -------------------------------------------------------------------------------


class Processor:
    def __init__(self, style: Style, locale: Locale):
        self.style = style
        self.locale = locale
        self.context = StyleContext(style, locale)
        self.cluster_state = ClusterState()
        citation_options = self.context.citation_options
        # CSL 1.0.2 "Sorting" compares keys in the locale's collation (citeproc-js:
        # localeCompare with the style's locale); Chinese ones put Han first, by pinyin
        self.han_pinyin = pinyin.uses_pinyin(locale.lang)
        self.disambiguate_add_names = citation_options.disambiguate_add_names
        self.disambiguate_add_givenname = citation_options.disambiguate_add_givenname
        self.has_disambiguate_condition = any(
            e.get("disambiguate") == "true" for e in style.root.iter(f"{_NS}if", f"{_NS}else-if")
        )
        self.tokens: dict[str, Token] = {}
        self.order: list[str] = []
        self.reflist: list[Token] = []
        self.ambig_cites: dict[str, list[str]] = {}
        self.namereg = NameRegistry(self)
        self.given_calls: list[tuple[Any, ...]] | None = None
        # ambiguous cites already rendered during load(), by what they depend on: item,
        # settings and the name registry's version (see ambiguous_cite)
        self.ambiguous_renders: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.last_primary_names: str | None = None
        self.use_cite_group_delimiter = False
        self.last_rendered_name: Any = None
        self.citation_number_map: dict[str, int] = {}
        self.citation_number_descending = False

    # --- options -----------------------------------------------------------------------

    def empty_config(self) -> AmbigConfig:
        return AmbigConfig()

    def ambig_config(self, item_id: str, r: Any) -> AmbigConfig:
        token = self.tokens.get(item_id)
        return token.disambig.clone() if token is not None else AmbigConfig()

    def citation_number(self, item_id: str) -> int:
        token = self.tokens.get(item_id)
        if token is None:
            return 0
        if self.citation_number_descending:
            return len(self.reflist) - token.seq + 1
        return token.seq

    # --- registering --------------------------------------------------------------------------

    def load(self, items: Iterable[dict[str, Any]]) -> None:
        """Register ``items`` in citation order; disambiguate, sort and number them."""
        self._register(items)
        clashing = self._group_by_ambiguous_cite()
        self._make_sort_keys()
        for key in clashing:
            Disambiguator(self, key).run()
        self._sort_and_number()

    def _register(self, items: Iterable[dict[str, Any]]) -> None:
        self.tokens = {}
        self.order = []
        for seq, item in enumerate(items, 1):
            if item["id"] in self.tokens:
                continue
            self.tokens[item["id"]] = Token(item, seq)
            self.order.append(item["id"])
        self.ambig_cites = {}
        self.namereg = NameRegistry(self)
        self.ambiguous_renders = {}

    def _group_by_ambiguous_cite(self) -> list[str]:
        """Render every item's ambiguous cite once and group the items by it; the groups'
        keys, in order of first appearance (none when the style disambiguates nothing)."""
        # given-name rules other than by-cite work from the names every cite shows, so the
        # cites are rendered once to register them even when no disambiguation runs
        if not (strategies(self) or self.disambiguate_add_givenname):
            return []
        touched: dict[str, None] = {}
        for item_id in self.order:
            token = self.tokens[item_id]
            key, config = self.ambiguous_cite(token.item, None)
            token.given_calls = self.given_calls
            self.register_ambig(key, item_id, config)
            touched[key] = None
        return list(touched)

    def _make_sort_keys(self) -> None:
        bibliography = self.style.bibliography
        sort = bibliography.sort if bibliography is not None else []
        # keys that render names are made now, before disambiguation, as citeproc-js does
        # (their names count for given-name disambiguation); the others only when a
        # comparison reaches them, usually never (same order, less work)
        for item_id in self.order:
            token = self.tokens[item_id]
            token.sortkeys = [
                _LATER if key.lazy else self._sort_key(token.item, key, "bibliography")
                for key in sort
            ]

    def _sort_and_number(self) -> None:
        bibliography = self.style.bibliography
        sort = bibliography.sort if bibliography is not None else []
        self.reflist = [self.tokens[i] for i in self.order]
        if sort:
            self.reflist.sort(key=functools.cmp_to_key(self._compare_tokens))
        self.ambiguous_renders = {}
        for seq, token in enumerate(self.reflist, 1):
            token.seq = seq
        self.citation_number_descending = False
        for key in sort:
            if key.variable == "citation-number":
                self.citation_number_descending = key.descending
                break

    def register_ambig(self, key: str, item_id: str, config: AmbigConfig) -> None:
        ids = self.ambig_cites.setdefault(key, [])
        if item_id not in ids:
            ids.append(item_id)
        token = self.tokens[item_id]
        token.ambig = key
        token.disambig = config.clone()

    def _compare_tokens(self, a: Token, b: Token) -> int:
        keys = self.style.bibliography.sort if self.style.bibliography else []
        left_keys, right_keys = a.sortkeys, b.sortkeys
        for index, key in enumerate(keys):
            left = left_keys[index]
            if left is _LATER:
                left = left_keys[index] = self._sort_key(a.item, key, "bibliography")
            right = right_keys[index]
            if right is _LATER:
                right = right_keys[index] = self._sort_key(b.item, key, "bibliography")
            if left == right:
                continue
            result = _compare_key(left, right, self.han_pinyin)
            if result == 2 or result == -2:
                return result // 2
            if result:
                return -result if key.descending else result
        return (a.seq > b.seq) - (a.seq < b.seq)

    # --- rendering helpers -------------------------------------------------------------------

    def new_render(self, item: dict[str, Any], cite: dict[str, Any] | None, area: str,
                   sorting: bool = False) -> nodes.Render:  # fmt: skip
        r = nodes.Render(self, item, cite, area, sorting)
        return r

    def _writer(self, area: str, suppress: bool = False) -> Writer:
        writer = Writer(self.context.quotes, in_citation=area == "citation")
        writer.layout_decorations = self.context.areas[area].layout_decorations
        writer.suppress_decorations = suppress
        return writer

    def ambiguous_cite(self, item: dict[str, Any],
                       base: AmbigConfig | None) -> tuple[str, AmbigConfig]:  # fmt: skip
        """The undecorated subsequent-position cite of ``item`` (citeproc-js getAmbiguousCite)
        and the disambiguation settings it was rendered with.

        Disambiguation asks for the same cite again and again (a group's every member at
        every step); a render depends only on the item, the settings and the name registry,
        so one made before is replayed, with its effects on the settings and the processor,
        instead of rendered again."""
        token = self.tokens.get(item["id"])
        request = base if base is not None else (token.disambig if token else AmbigConfig())
        memo_key = (item["id"], request.state(), self.namereg.version)
        done = self.ambiguous_renders.get(memo_key)
        if done is None:
            text = self._render_ambiguous_cite(item, request)
            done = (
                text,
                request.state(),
                self.max_names,
                self.given_calls,
                self.cluster_state.disambiguate_count,
                self.cluster_state.disambiguate_count_max,
            )
            if self.namereg.version == memo_key[2]:  # rendering added no names
                self.ambiguous_renders[memo_key] = done
            return text, request.clone()
        text, after, max_names, given_calls, count, count_max = done
        request.restore(after)
        self.max_names = list(max_names)
        self.given_calls = list(given_calls)
        self.cluster_state.disambiguate_count = count
        self.cluster_state.disambiguate_count_max = count_max
        return text, request.clone()

    def _render_ambiguous_cite(self, item: dict[str, Any], request: AmbigConfig) -> str:
        cite = {"position": positions.SUBSEQUENT, "near-note": True}
        r = nodes.Render(self, item, cite, "citation")
        r.just_looking = True
        r.suppress_decorations = True
        r.disambig_request = request
        r.disambig = request
        self.cluster_state.disambiguate_count = 0
        self.cluster_state.disambiguate_count_max = 0
        self.given_calls = r.given_calls = []
        layout = self.style.citation
        top = Blob([])
        r.root.blobs.append(top)
        r.stack = [r.root, top]
        if layout is not None:
            nodes.render_children(layout.children, r)
        purge_empty(top)
        adjust(top, self.locale.options["punctuation-in-quote"])
        text = self._writer("citation", True).write(top)
        self.max_names = list(r.names_max)
        return text if type(text) is str else text.text()

    def sort_keys(self, item: dict[str, Any], keys: list[SortKey], area: str) -> list[Any]:
        """CSL 1.0.2 "Sorting": the key strings of ``item`` (None where a key is empty)."""
        out: list[Any] = []
        for key in keys:
            out.append(self._sort_key(item, key, area))
        return out

    def _sort_key(self, item: dict[str, Any], key: SortKey, area: str) -> Any:
        variable = key.variable
        if variable is not None:
            if variable in _NAME_VARIABLES:
                text = self._render_sort_names(item, key, area)
            elif variable in _DATE_VARIABLES:
                return dates.sort_key(item.get(variable)) or None
            elif variable == "citation-number":
                token = self.tokens.get(item["id"])
                return nodes.num_padding(str(token.seq)) if token else None
            elif variable in numbers.NUMERIC_VARIABLES:
                value = item.get(variable)
                return nodes.num_padding(str(value)) if value else None
            elif variable == "citation-label":
                text = self.trigraph(item)
            else:
                value = item.get(variable)
                text = str(value) if value else ""
                if variable == "title":
                    text = _TAGS.sub("", text)
        else:
            text = self._render_sort_macro(item, key, area)
        if not text:
            return None
        # citeproc-js would strip a leading "a", "an" or "the" here, but tests for a space
        # after it once spaces have become separators, so it never does
        return text.replace(" ", nodes.SORT_SEPARATOR) + nodes.SORT_SEPARATOR

    def _render_sort_names(self, item: dict[str, Any], key: SortKey, area: str) -> str:
        from .names import NameElement, Names

        attrib = {"name-as-sort-order": "all", "sort-separator": " "}
        names = Names({"variable": key.variable or ""}, NameElement(attrib, None, None), None, None,
                      None, False)  # fmt: skip
        return self._render_sort(item, [names], key, area)

    def _render_sort_macro(self, item: dict[str, Any], key: SortKey, area: str) -> str:
        return self._render_sort(item, key.macro.children, key, area, macro=True)

    def _render_sort(self, item: dict[str, Any], children: list[Any], key: SortKey, area: str,
                     macro: bool = False) -> str:  # fmt: skip
        r = nodes.Render(self, item, {}, area, sorting=True)
        r.suppress_decorations = True
        r.sort_key_names = True
        options: dict[str, Any] = {}
        if key.names_min is not None:
            options["et-al-min"] = key.names_min
        if key.names_use_first is not None:
            options["et-al-use-first"] = key.names_use_first
        if key.names_use_last is not None:
            options["et-al-use-last"] = key.names_use_last
        if not macro:
            options["name-as-sort-order"] = "all"
            options["sort-separator"] = " "
        r.name_sort_options = options
        top = Blob([])
        r.root.blobs.append(top)
        r.stack = [r.root, top]
        if macro:
            r.macro_with_date = 1 if key.macro.has_date else 0
            nodes.render_group(r, nodes.EMPTY_FMT, children)
        else:
            nodes.render_children(children, r)
        purge_empty(top)
        text = self._writer(area, True).write(top)
        return text if type(text) is str else text.text()

    def trigraph(self, item: dict[str, Any]) -> str:
        """A citation label from authors and year (citeproc-js's default trigraph "Aaaa00")."""
        names = None
        for variable in ("author", "editor", "translator", "composer", "director"):
            if item.get(variable):
                names = item[variable]
                break
        year = ""
        issued = item.get("issued")
        if isinstance(issued, dict):
            values = dates.expand(issued)
            if values.get("year"):
                year = str(values["year"])[-2:]
        if not names:
            return year
        families = [
            re.sub(r"[^a-zA-Z\u00c0-\u024f]", "", (n.get("family") or n.get("literal") or ""))
            for n in names
        ]
        if len(families) == 1:
            label = families[0][:4]
        elif len(families) == 2:
            label = families[0][:2] + families[1][:2]
        elif len(families) == 3:
            label = families[0][:1] + families[1][:1] + families[2][:1]
        else:
            label = "".join(f[:1] for f in families[:4])
        return label + year

    # --- names hooks -----------------------------------------------------------------------------

    def given_level(self, r: nodes.Render, s: Any, name: dict[str, Any], pos: int, index: int,
                    default: int) -> int:  # fmt: skip
        """citeproc-js ``_runDisambigNames``: the given-name level asked for this name."""
        settings = r.disambig
        if not (name.get("given") or name.get("family")):
            return default
        from .names import option

        initials = option(r, s.name, "initialize-with")
        form = s.form
        # names are registered whenever they render, sort keys included (as citeproc-js)
        self.namereg.add(r.item["id"], name, index)
        while len(settings.givens) <= pos:
            settings.givens.append([])
        givens = settings.givens[pos]
        if len(givens) <= index:
            while len(givens) < index:
                givens.append(0)
            givens.append(self.namereg.evaluate(r.item["id"], name, index, 0, form, initials))
        fallback = self.namereg.evaluate(r.item["id"], name, index, 0, form, initials)
        request = getattr(r, "disambig_request", None)
        if request is not None:
            calls = r.given_calls
            if calls is not None:
                calls.append((pos, index, name, form, initials))
            value = givens[index]
            rule = self.context.citation_options.givenname_disambiguation_rule
            if (
                value == 1
                and rule == "by-cite"
                and (not isinstance(initials, str) or not name.get("given"))
            ):
                value = 2
            param = value
            if self.disambiguate_add_givenname and name.get("given"):
                param = self.namereg.evaluate(r.item["id"], name, index, param, form, initials)
        else:
            param = fallback
        first = r.cite and r.cite.get("position", 0) == positions.FIRST
        if not r.just_looking and first and fallback > param:
            param = fallback
        if not r.sorting:
            givens[index] = param
        return param

    def subsequent_author_hook(self, r: nodes.Render, node: Any, kind: str) -> None:
        """CSL 1.0.2 "subsequent-author-substitute": replace names that repeat the previous
        entry's (whole list, or name by name with ``partial-each``/``partial-first``)."""
        if r.area != "bibliography" or r.sorting:
            return
        substitute = self.context.bibliography_options.subsequent_author_substitute
        if substitute is None:
            return
        if kind == "text":
            variables = node.variables
            if variables and not r.item.get(variables[0]):
                return
        else:
            variables = ()
        if False:
            return
        if not r.subsequent_author_substitute_ok or r.suppress_decorations:
            return
        if not r.rendered_name:
            return
        rule = self.context.bibliography_options.subsequent_author_substitute_rule
        children = r.name_node["children"]
        if rule in ("partial-each", "partial-first"):
            substituting = True
            rendered = []
            previous = (
                self.last_rendered_name if isinstance(self.last_rendered_name, list) else None
            )
            for i, child in enumerate(children):
                name = r.rendered_name[i] if i < len(r.rendered_name) else None
                if (
                    substituting
                    and previous is not None
                    and len(previous) > i - 1
                    and name is not None
                    and i < len(previous)
                    and name == previous[i]
                ):
                    child.blobs = [Blob(substitute)]
                    if rule == "partial-first":
                        substituting = False
                else:
                    substituting = False
                rendered.append(name)
            self.last_rendered_name = rendered
        elif rule == "complete-each":
            joined = ",".join(r.rendered_name)
            if joined:
                if self.last_rendered_name == joined:
                    for child in children:
                        child.blobs = [Blob(substitute)]
                self.last_rendered_name = joined
        else:
            joined = ",".join(r.rendered_name)
            if joined:
                if self.last_rendered_name == joined:
                    top = r.name_node["top"]
                    if r.label_blob is not None and top is not None:
                        top.blobs = [Blob(substitute), r.label_blob]
                    elif top is not None and top.blobs:
                        first = top.blobs[0]
                        if isinstance(first.blobs, list):
                            first.blobs = [Blob(substitute)]
                        else:
                            first.blobs = substitute
                    elif top is not None:
                        top.blobs = [Blob(substitute)]
                    r.substituted_variable = kind
                self.last_rendered_name = joined
        r.subsequent_author_substitute_ok = False

    def collapse_author(
        self, r: nodes.Render, element: Any, holder: Blob, variables: list[str]
    ) -> None:
        """Cite grouping and collapsing by author (CSL 1.0.2 "Cite Grouping", "year" collapse)."""
        if r.area != "citation" or r.sorting:
            return
        options = self.context.citation_options
        if not holder.blobs:
            return
        if (
            r.nameset - len(variables) == 0
            and r.item.get(variables[0] if variables else "")
            and (r.first_creator_variable is None)
        ):
            r.first_creator_variable = variables[0]
        collapse = options.collapse
        group = options.cite_group_delimiter
        if not collapse and not group:
            return
        if r.just_looking or r.suppress_decorations:
            return
        writer = self._writer("citation", True)
        text = writer.string(holder.blobs[-1:] if holder.blobs else [], None, [])
        text = writer.render_blobs(text) if text else ""
        if text == self.last_primary_names:
            if r.cite.get("suppress-author") or collapse:
                if holder.blobs:
                    holder.blobs.pop()
                r.name_node["children"] = []
            if group:
                self.use_cite_group_delimiter = True
        else:
            self.last_primary_names = text
            if (
                r.first_creator_variable in variables
                and r.cite.get("suppress-author")
                and r.item.get("type") != "legal_case"
            ):
                if holder.blobs:
                    holder.blobs.pop()
                r.name_node["children"] = []
                r.term_predecessor = False
            r.have_collapsed = False
            if group:
                self.use_cite_group_delimiter = False

    # --- bibliography --------------------------------------------------------------------------

    def bibliography(self) -> Iterable[tuple[str, Text | None, Exception | None]]:
        """(item id, formatted entry or None, error) for every registered item, in order."""
        layout = self.style.bibliography
        self.last_rendered_name = None
        for token in self.reflist:
            try:
                yield token.id, self.entry(token, layout), None
            except Exception as error:  # reported per item by the engine
                yield token.id, None, error

    def entry(self, token: Token, layout: Layout) -> Text | None:
        r = nodes.Render(self, token.item, None, "bibliography")
        r.disambig = self._bibliography_config(token)
        r.disambig_request = r.disambig if self.disambiguate_add_givenname else None
        self.cluster_state.disambiguate_count = 0
        self.cluster_state.disambiguate_count_max = 0
        decorations = [("bibliography", "entry"), *layout.fmt.decorations]
        entry = Blob([], decorations=decorations)
        top = Blob([])
        entry.blobs.append(top)
        r.root.blobs.append(entry)
        r.stack = [r.root, entry, top]
        if self.context.second_field_align:
            r.nesting = 0
        nodes.render_children(layout.children, r)
        # the layout suffix goes on what is open at the end: the right-inline part with
        # second-field-align, the last display block when the first element has a display
        current = r.current
        lead = layout.children[0] if layout.children else None
        if lead is not None and lead.fmt.display and current.blobs:
            current.blobs[-1].suffix = layout.fmt.suffix
        else:
            current.suffix = layout.fmt.suffix
        r.stack = r.stack[:3]
        if top.blobs:
            first = top.blobs[0]
            first.prefix = layout.fmt.prefix + first.prefix
        purge_empty(entry)
        if not entry.blobs:
            return None
        adjust(entry, self.locale.options["punctuation-in-quote"])
        text = self._writer("bibliography").write(entry)
        return text or None

    def _bibliography_config(self, token: Token) -> AmbigConfig:
        config = AmbigConfig()
        config.year_suffix = token.disambig.year_suffix
        config.disambiguate = token.disambig.disambiguate
        if self.disambiguate_add_names:
            config.names = list(token.disambig.names)
        if self.disambiguate_add_givenname:
            config.givens = [list(g) for g in token.disambig.givens]
        return config

    # --- citations ------------------------------------------------------------------------------

    def cluster(self, cites: list[dict[str, Any]]) -> Text | None:
        """One citation cluster (citeproc-js makeCitationCluster); cites are dicts with
        ``id`` and optional locator, label, prefix, suffix, position, near-note,
        suppress-author, author-only."""
        layout = self.style.citation
        if layout is None:
            return None
        entries = [(self.tokens[c["id"]], dict(c)) for c in cites if c["id"] in self.tokens]
        for _, cite in entries:
            if cite.get("locator"):
                cite["locator"] = str(cite["locator"]).rstrip()
        if len(entries) > 1 and layout.sort:
            keyed = []
            for token, cite in entries:
                keyed.append((self.sort_keys(token.item, layout.sort, "citation"), token, cite))
            # ties keep the order of the cluster (citeproc-js compares cites without a seq)
            keyed.sort(
                key=functools.cmp_to_key(
                    lambda a, b: compare_keys(a[0], b[0], layout.sort, 0, 0, self.han_pinyin)
                )
            )
            entries = [(t, c) for _, t, c in keyed]
        return self._cluster(entries, layout)

    def _cluster(self, entries: list[tuple[Token, dict[str, Any]]], layout: Layout) -> Text | None:
        self.last_primary_names = None
        self.cluster_state.last_years_used = []
        self.use_cite_group_delimiter = False
        queue: list[Blob] = []
        params: list[dict[str, Any]] = []
        delimiter = layout.fmt.delimiter
        last_collapsed = False
        have_collapsed = False
        self.cluster_state.splice_delimiter = delimiter
        author_only = False
        suppress_decorations = False
        for pos, (token, cite) in enumerate(entries):
            last_collapsed = have_collapsed
            last_locator = pos > 0 and bool(entries[pos - 1][1].get("locator"))
            r = nodes.Render(self, token.item, cite, "citation")
            r.disambig_request = r.disambig
            self.cluster_state.disambiguate_count = 0
            self.cluster_state.disambiguate_count_max = 0
            r.have_collapsed = bool(self.context.collapse)
            if cite.get("author-only"):
                r.suppress_decorations = True
            self.cluster_state.in_cite_predecessor = False
            if pos == 0:
                r.term_predecessor = False
            top = Blob([])
            r.root.blobs.append(top)
            r.stack = [r.root, top]
            prefix = cite.get("prefix")
            if prefix:
                prefix = _prefix_space(prefix)
                ignore = _ignore_predecessor(r, prefix)
                r.append(prefix, nodes.EMPTY_FMT, ignore_predecessor=ignore)
            nodes.render_children(layout.children, r)
            suffix = cite.get("suffix")
            if suffix:
                r.append(_suffix_space(suffix), nodes.EMPTY_FMT)
            self.cluster_state.last_years_used = list(r.years_used)
            have_collapsed = r.have_collapsed
            splice = self._splice_delimiter(layout, last_locator, last_collapsed, have_collapsed)
            if pos > 0:
                previous = entries[pos - 1][1]
                previous_suffix = previous.get("suffix") or ""
                ends = previous_suffix and previous_suffix[-1:] in (";", ".", ",")
                starts = (
                    not previous_suffix
                    and (cite.get("prefix") or "")[:1] in (";", ".", ",")
                    and bool(cite.get("prefix"))
                )
                if ends or starts:
                    space = splice.find(" ")
                    splice = splice[space:] if space > -1 and not starts else ""
            queue.append(top)
            params.append(
                {
                    "splice": splice,
                    "suppress": r.suppress_decorations,
                    "collapsed": have_collapsed,
                }
            )
            if cite.get("author-only"):
                author_only = True
                suppress_decorations = True
                break
        if not queue:
            return None
        suffix = layout.fmt.suffix
        if suffix[:1] in (":", ".", ";", "!", "?"):
            suffix = suffix[:1]
        for top in queue:
            purge_empty(top)
        if not suppress_decorations:
            queue[-1].suffix = suffix
            queue[0].prefix = layout.fmt.prefix
        for top in queue:
            adjust(top, self.locale.options["punctuation-in-quote"])
        writer = self._writer("citation", suppress_decorations)
        objects: list[Any] = []
        for pos, top in enumerate(queue):
            writer.suppress_decorations = params[pos]["suppress"]
            splice = params[pos]["splice"]
            composite = writer.string([top], None, [])
            buffer: list[Any] = []
            if (
                isinstance(composite, list)
                and not composite
                and 0 < pos == len(queue) - 1
                and objects
                and not entries[pos][1].get("suppress-author")
            ):
                # the last cite printed nothing: the layout suffix it carried goes on what
                # came before (citeproc-js getCitationCluster)
                if is_text(objects[-1]):
                    objects[-1] += layout.fmt.suffix
                else:
                    objects[-1].suffix += layout.fmt.suffix
            if composite and isinstance(composite, list):
                first = composite[0]
                if first is not None:
                    if buffer and is_text(buffer[-1]) and not is_text(first):
                        buffer[-1] += first.successor_prefix
                    buffer.append(first)
                for obj in composite[1:]:
                    if is_text(obj):
                        buffer.append(splice + obj)
                    else:
                        buffer.append(obj)
            if len(buffer) > 1 and not is_text(buffer[0]):
                buffer = [writer.render_blobs(buffer)]
            if buffer:
                if is_text(buffer[0]):
                    if pos > 0:
                        buffer[0] = splice + buffer[0]
                else:
                    buffer[0].splice_prefix = splice if pos > 0 else ""
            objects.extend(buffer)
        result = writer.render_blobs(objects)
        if result and not suppress_decorations:
            for decoration in layout.fmt.decorations:
                if decoration[1] == "normal":
                    continue
                if not author_only:
                    result = writer.decorate(result, decoration)
        return result or None

    def _splice_delimiter(self, layout: Layout, last_locator: bool, last_collapsed: bool,
                          have_collapsed: bool) -> str:  # fmt: skip
        after = self.context.citation_options.after_collapse_delimiter
        delimiter = layout.fmt.delimiter
        if after is not None:
            if last_locator:
                return after
            if last_collapsed and not have_collapsed:
                return after
            if not last_collapsed and not have_collapsed and self.context.collapse != "year-suffix":
                return after
            return delimiter
        if self.use_cite_group_delimiter:
            group = self.context.citation_options.cite_group_delimiter
            return group if group is not None else delimiter
        if have_collapsed and self.style.cls == "in-text" and not self._numeric_citations():
            return ", "
        if (
            self.cluster_state.splice_delimiter is not None
            and self.cluster_state.splice_delimiter != delimiter
        ):
            special = self.cluster_state.splice_delimiter
            self.cluster_state.splice_delimiter = delimiter
            return special
        return delimiter or ""

    def _numeric_citations(self) -> bool:
        citation = self.style.citation
        if citation is None:
            return False
        return (
            any(
                e.get("variable") == "citation-number"
                for e in self.style.root.find(f"{_NS}citation").iter(f"{_NS}text")
            )
            or self.style.citation_uses_number_macro
        )


_NS = "{http://purl.org/net/xbiblio/csl}"
_DATE_VARIABLES = frozenset(
    "locator-date issued event-date accessed original-date publication-date available-date "
    "submitted alt-issued alt-event container".split()
)
_NAME_VARIABLES = names_mod.NAME_VARIABLES


_LATER = object()  # a sort key not made yet


def _compare_key(left: Any, right: Any, han_pinyin: bool = False) -> int:
    """One sort key against another, ascending; 0 when equal."""
    # an empty key sorts last, ascending or descending (as citeproc-js)
    if left is None:
        return 2
    if right is None:
        return -2
    result = _compare_strings(left, right, han_pinyin)
    return (result > 0) - (result < 0)


def compare_keys(a: list[Any], b: list[Any], keys: list[Any], seq_a: int, seq_b: int,
                 han_pinyin: bool = False) -> int:  # fmt: skip
    for index, left in enumerate(a):
        right = b[index] if index < len(b) else None
        descending = keys[index].descending if index < len(keys) else False
        if left == right:
            continue
        result = _compare_key(left, right, han_pinyin)
        if result == 2 or result == -2:
            return result // 2
        if result:
            return -result if descending else result
    return (seq_a > seq_b) - (seq_a < seq_b)


def _prefix_space(prefix: str) -> str:
    """citeproc-js adds a space after a cite prefix that ends in a letter or punctuation."""
    test = CITE_PREFIX_SPACE.sub("", _TAGS.sub("", prefix))
    last = test[-1:]
    space = ""
    if (
        _ENDS_ROMANESQUE.search(test)
        or (last and last in ":.;!?")
        or (last and re.match(r"[\)\],0-9]", last))
    ):
        space = " "
    return re.sub(r"\s+", " ", prefix + space)


def _ignore_predecessor(r: nodes.Render, prefix: str) -> bool:
    test = CITE_PREFIX_SPACE.sub("", _TAGS.sub("", prefix))
    if test[-1:] and test[-1:] in ":.;!?" and " " in prefix.strip():
        r.term_predecessor = False
        return True
    return False


def _suffix_space(suffix: str) -> str:
    if _STARTS_ROMANESQUE.match(suffix) or suffix[:1] in ("[", "("):
        return " " + suffix
    return suffix


def build(root: Any, locale: Locale, lang: str) -> Processor:
    style = Style(root, locale, lang)
    style.citation_uses_number_macro = False
    return Processor(style, locale)
