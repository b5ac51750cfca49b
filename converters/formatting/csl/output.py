"""The output tree of one cite or entry, its punctuation clean-up, and its formatted text.

Rendering a style builds a tree of :class:`Blob` s: a leaf holds text, an inner
blob holds children; each carries the prefix, suffix, delimiter and
formatting ("decorations") of the CSL element it came from. Keeping the tree
until the end is what makes the CSL rules that look across elements possible:

* CSL 1.0.2 "Affixes"/"Delimiter": punctuation where an affix meets a
  delimiter or the text next to it is not doubled (``..`` → ``.``) and merged
  as citeproc-js merges it (``?.`` → ``?``), see :func:`adjust`;
* CSL 1.0.2 "Localized Punctuation" (``punctuation-in-quote``): commas and
  periods after a quoted title move inside the quotes;
* CSL 1.0.2 "Formatting" and "Rich Text Markup within Fields" (Appendix VI):
  italics in a title that is already italic flip to roman, quotes inside
  quotes become inner quotes, straight quotes in data become the locale's
  typographic ones and apostrophes typographic ones (:func:`flip_flop`);
* citation-number and year-suffix ranges (``[1–3]``, ``2000a–c``) are
  :class:`NumBlob` s that :func:`render_blobs` collapses;
* second-field-align and ``display`` wrap parts of an entry in display spans.

The result is formatted text (:class:`..markup.Formatted`, a tree of plain
strings and formatting spans, or a plain string where nothing is formatted),
which :func:`..markup.render` writes as plain text, HTML, Markdown or
reStructuredText, escaping the text for the target once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .. import markup

# Decorations are (attribute, value) pairs, in CSL's attribute names.
Decoration = tuple[str, str]

# span kinds for (attribute, value); "normal" values undo an enclosing decoration
_SPAN_KINDS: dict[Decoration, str] = {
    ("font-style", "italic"): markup.ITALIC,
    ("font-style", "oblique"): markup.OBLIQUE,
    ("font-style", "normal"): markup.ROMAN,
    ("font-variant", "small-caps"): markup.SMALL_CAPS,
    ("font-variant", "normal"): markup.NO_SMALL_CAPS,
    ("font-weight", "bold"): markup.BOLD,
    ("font-weight", "normal"): markup.NO_BOLD,
    ("text-decoration", "underline"): markup.UNDERLINE,
    ("text-decoration", "none"): markup.NO_UNDERLINE,
    ("vertical-align", "sup"): markup.SUPERSCRIPT,
    ("vertical-align", "sub"): markup.SUBSCRIPT,
    ("vertical-align", "baseline"): markup.BASELINE,
    ("display", "block"): markup.BLOCK,
    ("display", "left-margin"): markup.LEFT_MARGIN,
    ("display", "right-inline"): markup.RIGHT_INLINE,
    ("display", "indent"): markup.INDENT,
}
_FORMAT_ATTRIBUTES = (
    "font-style",
    "font-variant",
    "font-weight",
    "text-decoration",
    "vertical-align",
)
_WRAPPING = frozenset(("display",))  # applied outside the affixes, like citeproc-js
PUNCTUATION = frozenset(".!?:,;")
_PUNCTUATION_OR_SPACE = frozenset(".!?:,; \u00a0")
_SWAP_IN = frozenset(".!?,")  # moved inside closing quotes (punctuation-in-quote)
_SWAP_OUT = frozenset(":,;")  # moved outside closing quotes otherwise

# How two punctuation marks meeting at a seam merge, left mark → right mark → result;
# citeproc-js's table (a "?" followed by "." stays "?", ".," stays ".,").
_MERGE_RIGHT: dict[str, dict[str, str]] = {
    "!": {".": "!", "?": "!?", ":": "!", ",": "!,", ";": "!;"},
    "?": {"!": "?!", ".": "?", ":": "?", ",": "?,", ";": "?;"},
    ".": {"!": ".!", "?": ".?", ":": ".:", ",": ".,", ";": ".;"},
    ":": {"!": "!", "?": "?", ".": ":", ",": ":,", ";": ":;"},
    ",": {"!": ",!", "?": ",?", ":": ",:", ".": ",.", ";": ",;"},
    ";": {"!": "!", "?": "?", ":": ";", ",": ";,", ".": ";"},
}
_MERGE_LEFT: dict[str, dict[str, str]] = {}
for _left, _table in _MERGE_RIGHT.items():
    for _right, _merged in _table.items():
        _MERGE_LEFT.setdefault(_right, {})[_left] = _merged


class Blob:
    """One node of output: ``blobs`` is a string (a leaf) or a list of child blobs."""

    __slots__ = (
        "blobs",
        "decorations",
        "delimiter",
        "prefix",
        "punctuation_in_quote",
        "suffix",
    )

    def __init__(
        self,
        blobs: str | list[Blob] | None = None,
        prefix: str = "",
        suffix: str = "",
        delimiter: str = "",
        decorations: list[Decoration] | None = None,
    ):
        self.blobs: Any = [] if blobs is None else blobs
        self.prefix = prefix
        self.suffix = suffix
        self.delimiter = delimiter
        self.decorations: list[Decoration] = decorations if decorations is not None else []
        self.punctuation_in_quote = False

    @property
    def is_leaf(self) -> bool:
        return type(self.blobs) is str

    def __repr__(self) -> str:  # for debugging
        parts = [repr(self.blobs)]
        for name in ("prefix", "suffix", "delimiter"):
            if getattr(self, name):
                parts.append(f"{name}={getattr(self, name)!r}")
        if self.decorations:
            parts.append(f"decorations={self.decorations!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


# Range states of numbers in a run (citeproc-js CSL.START ...)
START, END, SUCCESSOR, SUCCESSOR_OF_SUCCESSOR, SUPPRESS, SEEN = range(6)


class NumBlob(Blob):
    """A number that can join a range with its neighbours (citation-number, year-suffix).

    ``num`` is an int for numbers that collapse; a non-numeric value is kept
    as text and behaves like any leaf.
    """

    __slots__ = (
        "delimiter_done",
        "formatter",
        "gender",
        "item_id",
        "kind",
        "num",
        "particle",
        "range_prefix",
        "splice_prefix",
        "status",
        "successor_prefix",
        "suppress_splice_prefix",
        "text_case",
    )

    def __init__(
        self,
        num: int | str,
        *,
        particle: str = "",
        formatter: Callable[[int], str] | None = None,
        prefix: str = "",
        suffix: str = "",
        decorations: list[Decoration] | None = None,
        successor_prefix: str = "",
        range_prefix: str = "",
        splice_prefix: str = "",
        item_id: Any = None,
        text_case: Callable[[str], str] | None = None,
        gender: str | None = None,
    ):
        super().__init__(str(num), prefix, suffix, "", list(decorations or ()))
        self.num = num
        self.particle = particle
        self.formatter = formatter or str
        self.status = START
        self.successor_prefix = successor_prefix
        self.range_prefix = range_prefix
        self.splice_prefix = splice_prefix
        self.suppress_splice_prefix = False
        self.delimiter_done = False
        self.item_id = item_id
        self.text_case = text_case
        self.gender = gender
        # numbers only range with numbers formatted the same way (1, 2 not a, 2)
        self.kind = self.formatter(1) if isinstance(num, int) else None

    @property
    def is_number(self) -> bool:
        return type(self.num) is int

    def check_next(self, following: Any, start: bool) -> None:
        if start:
            self.status = START
            if isinstance(following, NumBlob):
                following.status = SUCCESSOR if _next_in_run(self, following) else SEEN
        elif not isinstance(following, NumBlob) or not _next_in_run(self, following):
            if self.status == SUCCESSOR_OF_SUCCESSOR:
                self.status = END
            if isinstance(following, NumBlob):
                following.status = SEEN
        elif self.status in (START, SEEN):
            following.status = SUCCESSOR
        elif self.status in (SUCCESSOR, SUCCESSOR_OF_SUCCESSOR):
            if self.range_prefix:
                following.status = SUCCESSOR_OF_SUCCESSOR
                self.status = SUPPRESS
            else:
                following.status = SUCCESSOR

    def check_last(self, previous: Any) -> bool:
        # a run of two is not a range: join it with the ordinary delimiter
        if self.status == SEEN or (
            self.status == SUCCESSOR
            and not (isinstance(previous, NumBlob) and previous.num == _plus(self.num, -1))
        ):
            self.status = SUCCESSOR
            return True
        return False

    def formatted(self) -> str:
        if self.particle:
            return self.particle + str(self.num)
        return self.formatter(self.num) if self.is_number else str(self.num)


def _plus(num: Any, step: int) -> Any:
    return num + step if type(num) is int else None


def _next_in_run(blob: NumBlob, following: NumBlob) -> bool:
    return (
        following.is_number
        and blob.is_number
        and bool(following.num)
        and blob.kind == following.kind
        and following.num == blob.num + 1
    )


def is_number(blob: Any) -> bool:
    return isinstance(blob, NumBlob) and blob.is_number


def _holds_number(blob: Any) -> bool:
    """A number, or a blob whose only child is one."""
    if type(blob.blobs) is str:
        return is_number(blob)
    return len(blob.blobs) == 1 and is_number(blob.blobs[0])


# --- removing what rendered nothing ------------------------------------------------------


def purge_empty(parent: Blob) -> None:
    """Drop children that hold nothing, deepest first."""
    if type(parent.blobs) is str or not parent.blobs:
        return
    kept = []
    for child in parent.blobs:
        if type(child.blobs) is not str and child.blobs:
            purge_empty(child)
        if child.blobs:
            kept.append(child)
    parent.blobs = kept


# --- punctuation across seams (citeproc-js "adjust") ------------------------------------


def _decorated(blob: Blob, include_quotes: bool = False) -> bool:
    for name, value in blob.decorations:
        if name in _FORMAT_ATTRIBUTES:
            return True
        if include_quotes and name == "quotes" and value != "false":
            return True
    return False


def _ends_in_number(blob: Any) -> bool:
    if is_number(blob):
        return True
    if type(blob.blobs) is str or not blob.blobs:
        return False
    return _ends_in_number(blob.blobs[-1])


def _has_quotes_last(blob: Any) -> bool:
    for name, value in blob.decorations:
        if name == "quotes" and value != "false":
            return True
    if type(blob.blobs) is str or not blob.blobs:
        return False
    return _has_quotes_last(blob.blobs[-1])


def _merging_punctuation_below(char: str, blob: Any) -> bool:
    # down the last children, as loops: these run for every blob of every render
    table = _MERGE_LEFT.get(char)
    if table is None:
        return False
    while True:
        content = blob.blobs
        last = blob.suffix[-1:]
        if not last and type(content) is str:
            last = content[-1:]
        merged = table.get(last)
        if merged and len(merged) == 1:
            return True
        if type(content) is str or not content:
            return False
        blob = content[-1]


def _last_char_is(blob: Any, char: str) -> bool:
    if char not in PUNCTUATION:
        return False
    while True:
        content = blob.blobs
        if type(content) is str:
            return content[-1:] == char
        if not content:
            return False
        child = content[-1]
        if child.suffix:
            return child.suffix[-1:] == char
        blob = child


def _merge(first: Any, first_field: str, second: Any, second_field: str, to_right: bool) -> None:
    """Merge the last character of one string with the first of the next one."""
    left = getattr(first, first_field)
    right = getattr(second, second_field)
    a, b = left[-1:], right[:1]
    if a == b:
        if to_right:
            setattr(first, first_field, left[:-1])
        else:
            setattr(second, second_field, right[1:])
        return
    if to_right:
        if a not in _MERGE_RIGHT:
            return
        merged = _MERGE_RIGHT[a].get(b)
        if merged is not None:
            setattr(first, first_field, left[:-1])
            setattr(second, second_field, merged + right[1:])
        else:
            setattr(second, second_field, a + right)
            setattr(first, first_field, left[:-1])
    else:
        if b not in _MERGE_LEFT:
            return
        merged = _MERGE_LEFT[b].get(a)
        if merged is not None:
            setattr(first, first_field, left[:-1] + merged)
            setattr(second, second_field, right[1:])
        else:
            setattr(first, first_field, left + b)
            setattr(second, second_field, right[1:])


def _content_field(blob: Blob) -> str:
    return "blobs" if type(blob.blobs) is str else "suffix"


def _upward(parent: Blob) -> None:
    if type(parent.blobs) is str:
        if parent.suffix[:1] in PUNCTUATION and parent.suffix[:1] == parent.blobs[-1:]:
            parent.suffix = parent.suffix[1:]
        return
    if not parent.blobs:
        return
    decorated = _decorated(parent, True)
    last = len(parent.blobs) - 1
    for i in range(last, -1, -1):
        child = parent.blobs[i]
        content = child.blobs
        if type(content) is str:  # a leaf: _upward's first case, without the call
            first = child.suffix[:1]
            if first in PUNCTUATION and first == content[-1:]:
                child.suffix = child.suffix[1:]
        elif content:
            _upward(child)
        if i == 0:
            if parent.prefix[-1:] == " " and child.prefix[:1] == " ":
                child.prefix = child.prefix[1:]
            char = child.prefix[:1]
            if not decorated and char in _PUNCTUATION_OR_SPACE and char and not parent.prefix:
                parent.prefix += char
                child.prefix = child.prefix[1:]
        if i == last:
            char = child.suffix[-1:]
            if not decorated and char == " ":
                if parent.suffix[:1] != char:
                    parent.suffix = char + parent.suffix
                child.suffix = child.suffix[:-1]
        if parent.delimiter and i > 0:
            char = parent.delimiter[-1:]
            if char in _PUNCTUATION_OR_SPACE and char == child.prefix[:1]:
                child.prefix = child.prefix[1:]


def _leftward(parent: Blob) -> None:
    if type(parent.blobs) is str or not parent.blobs:
        return
    count = len(parent.blobs)
    for i in range(count - 1, -1, -1):
        child = parent.blobs[i]
        if type(child.blobs) is not str and child.blobs:
            _leftward(child)
        if i < count - 1 and not parent.delimiter:
            sibling = parent.blobs[i + 1]
            char = sibling.prefix[:1]
            if char and char in PUNCTUATION and not _decorated(child) and not _decorated(sibling):
                same_suffix = char == child.suffix[-1:]
                same_field = (
                    not child.suffix and type(child.blobs) is str and child.blobs[-1:] == char
                )
                if not same_suffix and not same_field:
                    _merge(child, "suffix", sibling, "prefix", False)
                else:
                    sibling.prefix = sibling.prefix[1:]


def _downward(parent: Blob, punctuation_in_quote: bool) -> None:
    if type(parent.blobs) is str:
        if (
            parent.suffix[:1] in PUNCTUATION
            and parent.suffix[:1]
            and parent.suffix[:1] == (parent.blobs[-1:])
        ):
            parent.suffix = parent.suffix[1:]
        return
    if not parent.blobs:
        return
    if parent.delimiter and parent.delimiter[:1] in PUNCTUATION:
        char = parent.delimiter[0]
        for child in parent.blobs[:-1]:
            if child.suffix[-1:] != char:
                child.suffix += char
        parent.delimiter = parent.delimiter[1:]
    last = len(parent.blobs) - 1
    for i in range(last, -1, -1):
        child = parent.blobs[i]
        decorated = bool(child.decorations) and _decorated(child, True)
        if i == last:
            char = parent.suffix[:1]
            migrate = False
            if char in PUNCTUATION and char:
                migrate = _merging_punctuation_below(char, child)
                if not migrate and punctuation_in_quote:
                    migrate = _has_quotes_last(child)
            if migrate and not _ends_in_number(child):
                _merge(child, _content_field(child), parent, "suffix", False)
                if parent.suffix[:1] == ".":
                    child.suffix += "."
                    parent.suffix = parent.suffix[1:]
            # a no-break space ending the child's suffix absorbs the parent's space
            if child.suffix[-1:] == "\u00a0" and parent.suffix[:1] == " ":
                parent.suffix = parent.suffix[1:]
            if child.suffix[:1] in _PUNCTUATION_OR_SPACE and child.suffix:
                if type(child.blobs) is str and child.blobs[-1:] == child.suffix[:1]:
                    child.suffix = child.suffix[1:]
                if child.suffix[-1:] and child.suffix[-1:] == parent.suffix[:1]:
                    parent.suffix = parent.suffix[:-1]
            if _last_char_is(parent, parent.suffix[:1]):
                parent.suffix = parent.suffix[1:]
        elif parent.delimiter:
            char = parent.delimiter[:1]
            if char in _PUNCTUATION_OR_SPACE and char and char == child.suffix[-1:]:
                child.suffix = child.suffix[:-1]
        else:
            sibling = parent.blobs[i + 1]
            char = child.suffix[-1:]
            if (
                char
                and char in _PUNCTUATION_OR_SPACE
                and char == sibling.prefix[:1]
                and not decorated
                and not _holds_number(child)
            ):
                sibling.prefix = sibling.prefix[1:]
        if (
            type(child.blobs) is str
            and child.suffix[:1] in PUNCTUATION
            and not decorated
            and not _holds_number(child)
        ):
            _merge(child, "blobs", child, "suffix", False)
        content = child.blobs
        if type(content) is str:  # a leaf: _downward's first case, without the call
            first = child.suffix[:1]
            if first in PUNCTUATION and first == content[-1:]:
                child.suffix = child.suffix[1:]
        elif content:
            _downward(child, punctuation_in_quote)


def _quoted(blob: Blob) -> bool:
    return any(n == "quotes" and v != "false" for n, v in blob.decorations)


def _swap_into_quotes(child: Blob) -> None:
    if type(child.blobs) is str:
        while child.suffix[:1] in _SWAP_IN and child.suffix:
            before = (child.blobs, child.suffix)
            _merge(child, "blobs", child, "suffix", False)
            if (child.blobs, child.suffix) == before:
                break
    elif child.blobs:
        while child.suffix[:1] in _SWAP_IN and child.suffix:
            before = (child.blobs[-1].suffix, child.suffix)
            _merge(child.blobs[-1], "suffix", child, "suffix", False)
            if (child.blobs[-1].suffix, child.suffix) == before:
                break


def _swap_out_of_quotes(child: Blob) -> None:
    if type(child.blobs) is str:
        while child.blobs[-1:] in _SWAP_OUT and child.blobs:
            before = (child.blobs, child.suffix)
            _merge(child, "blobs", child, "suffix", True)
            if (child.blobs, child.suffix) == before:
                break
    elif child.blobs:
        last = child.blobs[-1]
        while last.suffix[-1:] in _SWAP_OUT and last.suffix:
            before = (last.suffix, child.suffix)
            _merge(last, "suffix", child, "suffix", True)
            if (last.suffix, child.suffix) == before:
                break


def _fix(parent: Blob, punctuation_in_quote: bool) -> None:
    if type(parent.blobs) is str or not parent.blobs:
        return
    for child in parent.blobs:
        if child.decorations and _quoted(child):
            if punctuation_in_quote:
                _swap_into_quotes(child)
            else:
                _swap_out_of_quotes(child)
        if type(child.blobs) is not str and child.blobs:
            _fix(child, punctuation_in_quote)


def adjust(top: Blob, punctuation_in_quote: bool) -> None:
    """citeproc-js's four passes over a finished cite or entry (its "clean up CSL flaws").

    Leading punctuation and spaces of a first child move up into the parent's
    prefix, trailing spaces of a last child into the parent's suffix; a
    punctuation mark that starts a sibling's prefix merges into the
    preceding suffix; a delimiter's leading punctuation becomes each
    preceding child's suffix; a parent's suffix punctuation merges into the
    text it follows; and with ``punctuation-in-quote`` (CSL 1.0.2
    "Localized Punctuation") periods and commas move inside closing quotes.
    """
    _upward(top)
    _leftward(top)
    _downward(top, punctuation_in_quote)
    _fix(top, punctuation_in_quote)


# --- formatted text -------------------------------------------------------------------------


def is_text(piece: Any) -> bool:
    # pieces of output are text (plain or formatted) or numbers that may still join a range
    return type(piece) is str or type(piece) is markup.Formatted


class Writer:
    """Turns a finished blob tree into formatted text (citeproc-js ``string`` and ``renderBlobs``).

    ``quotes`` are the locale's (open, close, open-inner, close-inner) terms;
    ``layout_decorations`` those of the layout (they count as enclosing
    decorations when deciding whether a "normal" decoration undoes anything).
    """

    def __init__(self, quotes: tuple[str, str, str, str], in_citation: bool = False):
        self.quotes = quotes
        self.in_citation = in_citation
        self.layout_decorations: list[Decoration] = []
        self.suppress_decorations = False

    def decorate(self, text: markup.Text, decoration: Decoration) -> markup.Text:
        name, value = decoration
        if name == "quotes":
            if value == "true":
                return self.quotes[0] + text + self.quotes[1]
            if value == "inner":
                return self.quotes[2] + text + self.quotes[3]
            return text
        kind = _SPAN_KINDS.get(decoration)
        if kind is None:
            return text
        return markup.formatted(kind, text)

    def _orphan(self, decoration: Decoration, ancestors: list[list[Decoration]]) -> bool:
        # a "normal" decoration with nothing to undo above it is not printed
        if decoration[1] != "normal":
            return False
        name = decoration[0]
        if any(n == name and v != "normal" for n, v in self.layout_decorations):
            return False
        for decorations in ancestors:
            for n, v in decorations:
                if n == name and v != "normal":
                    return False
        return True

    def _decorate_all(
        self, text: markup.Text, blob: Blob, ancestors: list[list[Decoration]]
    ) -> markup.Text:
        if self.suppress_decorations:
            return text
        for decoration in blob.decorations:
            if decoration[0] in _WRAPPING or self._orphan(decoration, ancestors):
                continue
            text = self.decorate(text, decoration)
        return text

    def _wrap(
        self, text: markup.Text, parent: Blob, ancestors: list[list[Decoration]]
    ) -> markup.Text:
        """``text`` with ``parent``'s decorations and affixes (nothing, if it decorates away)."""
        text = self._decorate_all(text, parent, ancestors)
        if text:
            text = parent.prefix + text + parent.suffix
            for decoration in parent.decorations:
                if decoration[0] in _WRAPPING and not self.suppress_decorations:
                    text = self.decorate(text, decoration)
        return text

    def string(
        self, blobs: list[Blob], parent: Blob | None, ancestors: list[list[Decoration]]
    ) -> list[Any]:
        out: list[Any] = []
        delimiter = parent.delimiter if parent is not None else ""
        # an undecorated parent adds nothing for _orphan to look at
        decorated = parent is not None and parent.decorations
        inner = [*ancestors, parent.decorations] if decorated else ancestors
        numeric = False
        for blob in blobs:
            content = blob.blobs
            if type(content) is str:
                if type(blob) is NumBlob and blob.is_number:
                    out.append(blob)
                    numeric = True
                elif content:
                    text = content
                    if type(blob) is NumBlob and blob.particle:
                        text = blob.particle + text
                    if blob.decorations:
                        text = self._decorate_all(text, blob, inner)
                    if text:
                        out.append(blob.prefix + text + blob.suffix)
            elif content:
                pieces = self.string(content, blob, inner)
                if len(pieces) > 1 or (pieces and not is_text(pieces[0])):
                    numeric = True
                    if parent is not None and len(pieces) > 1 and blob.delimiter:
                        seen_number = False
                        for j, piece in enumerate(pieces):
                            if not is_text(piece):
                                seen_number = True
                            elif seen_number:
                                pieces[j] = blob.delimiter + piece
                out.extend(pieces)
        if not numeric:
            # only text: what the general path below does, in one join
            if not out:
                return out
            start = markup.join(delimiter, out) if len(out) > 1 else out[0]
            if parent is not None and (parent.decorations or parent.suffix or parent.prefix):
                start = self._wrap(start, parent, ancestors)
            return [start] if start else []
        # delimiters between numbers of a run are their successors' business
        for j in range(len(out) - 1):
            if is_number(out[j]) and is_number(out[j + 1]) and not out[j + 1].delimiter_done:
                out[j].suffix += delimiter
                out[j + 1].successor_prefix = ""
                out[j + 1].delimiter_done = True
        split = 0
        for j, piece in enumerate(out):
            if is_text(piece):
                split = j + 1
                if j < len(out) - 1 and not is_text(out[j + 1]):
                    if delimiter and not out[j + 1].delimiter_done:
                        out[j] += delimiter
                    out[j + 1].delimiter_done = True
        if parent is not None and (parent.decorations or parent.suffix):
            split = len(out)
        elif parent is not None and parent.prefix:
            for j, piece in enumerate(out):
                if not is_text(piece):
                    split = j
                    if j == 0:
                        piece.prefix = parent.prefix + piece.prefix
                    break
        start = self.render_blobs(out[:split], delimiter, False, parent)
        wrapped = parent is not None and (parent.decorations or parent.suffix or parent.prefix)
        if start and wrapped and is_text(start):
            assert parent is not None
            start = self._wrap(start, parent, ancestors)
        end = out[split:]
        if start and end:
            return [start, *end]
        if start:
            return [start]
        return end

    def render_blobs(self, blobs: list[Any], delimiter: str = "", in_cite: bool = False,
                     parent: Blob | None = None) -> Any:  # fmt: skip
        if self.in_citation and len(blobs) == 1 and not is_text(blobs[0]) and parent is not None:
            # a number alone keeps its enclosing affixes so it can join a range across cites
            number = blobs[0]
            number.prefix = parent.prefix + number.prefix
            number.suffix = number.suffix + parent.suffix
            number.decorations = number.decorations + parent.decorations
            return number
        start = True
        for j, blob in enumerate(blobs):
            if isinstance(blob, NumBlob):
                blob.check_next(blobs[j + 1] if j + 1 < len(blobs) else None, start)
                start = False
            elif (
                j + 1 < len(blobs)
                and isinstance(blobs[j + 1], NumBlob)
                and blobs[j + 1].splice_prefix
            ):
                start = False
            else:
                start = True
        fix_last = True
        for j in range(len(blobs) - 1, 0, -1):
            blob = blobs[j]
            if isinstance(blob, NumBlob):
                if fix_last and blob.check_last(blobs[j - 1]):
                    fix_last = False
            else:
                fix_last = True
        result: Any = ""
        for j, blob in enumerate(blobs):
            joint = delimiter if result else ""
            if is_text(blob):
                result += joint + blob
            elif in_cite:
                result = [result, blob] if result else [blob]
            elif blob.status != SUPPRESS:
                text = blob.formatted()
                if blob.text_case is not None:
                    text = blob.text_case(text)
                if not self.suppress_decorations:
                    for decoration in blob.decorations:
                        if not self._orphan(decoration, []):
                            text = self.decorate(text, decoration)
                text = blob.prefix + text + blob.suffix
                if blob.status == END:
                    addition = blob.range_prefix
                elif blob.status == SUCCESSOR:
                    addition = blob.successor_prefix
                elif blob.status == START:
                    addition = (
                        blob.splice_prefix if j > 0 and not blob.suppress_splice_prefix else ""
                    )
                elif blob.status == SEEN:
                    addition = blob.splice_prefix
                else:
                    addition = ""
                result += addition + text
        return result

    def write(self, top: Blob) -> markup.Text:
        """The formatted text of a finished cite or entry."""
        pieces = self.string([top], None, [])
        return self.render_blobs(pieces) if pieces else ""


# --- rich text and quotes in data (flip-flop) -----------------------------------------------

_FLIP = {
    "font-style": {"italic": "normal", "normal": "italic", "oblique": "normal"},
    "font-weight": {"bold": "normal", "normal": "bold"},
    "font-variant": {"small-caps": "normal", "normal": "small-caps"},
    "quotes": {"true": "inner", "inner": "true", "false": "true"},
}
_TAGS = {
    "<i>": ("font-style", "italic", "</i>"),
    "<b>": ("font-weight", "bold", "</b>"),
    "<sc>": ("font-variant", "small-caps", "</sc>"),
    '<span style="font-variant:small-caps;">': ("font-variant", "small-caps", "</span>"),
    "<sup>": ("vertical-align", "sup", "</sup>"),
    "<sub>": ("vertical-align", "sub", "</sub>"),
    '<span class="nocase">': ("nocase", "", "</span>"),
    '<span class="nodecor">': ("nodecor", "", "</span>"),
}
_NORMALISE_SPAN = (
    (
        re.compile(r'<span\s+style="font-variant:\s*small-caps;?"[^>]*>'),
        '<span style="font-variant:small-caps;">',
    ),
    (re.compile(r'<span\s+class="no(case|decor)"[^>]*>'), r'<span class="no\1">'),
)
_ROMANESQUE = (
    "-0-9a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b\u202a-\u202e"
)
ROMANESQUE = re.compile(f"[{_ROMANESQUE}]")
_APOSTROPHE_BETWEEN = re.compile(f"([{_ROMANESQUE}])\u2019([{_ROMANESQUE}])")
_HAS_SPECIAL = re.compile(
    "[<\"'\u2018\u2019\u201c\u201d\u00ab\u00bb\u201e\u201a\u2039\u203a\u300c\u300d]"
)


class FlipFlopper:
    """Rich text and quotation marks inside data, as CSL Appendix VI and citeproc-js read them.

    ``<i>``, ``<b>``, ``<sc>``, ``<sup>``, ``<sub>``, small-caps and ``nodecor``
    spans become decorations; a decoration the enclosing output already has
    flips (italic inside italic is roman). Straight double or single quotes
    around text become quote decorations (outer quotes, and inner quotes
    inside them), printed with the locale's terms; a single quote that is not
    a quotation mark is a typographic apostrophe. ``nocase`` spans only
    protect text from text-case and vanish here. Tags that do not pair up
    stay literal text.

    Like citeproc-js, the first quotation mark in a string decides whether
    straight double or single quotes are the outer ones, and the choice
    carries over to later strings of the same run.
    """

    def __init__(self, quotes: tuple[str, str, str, str]):
        open_quote, close_quote, open_inner, close_inner = quotes
        # opener → (type, closer, attribute, outer value or quote family)
        self.nesting: dict[str, tuple[str, str, str, str]] = {}
        for opener, (attribute, value, closer) in _TAGS.items():
            kind = attribute if attribute in ("nocase", "nodecor") else "tag"
            self.nesting[opener] = (kind, closer, attribute, value)
        self.nesting[' "'] = ("quote", '"', "quotes", "double")
        self.nesting['("'] = ("quote", '"', "quotes", "double")
        self.nesting[" '"] = ("quote", "'", "quotes", "single")
        self.nesting["('"] = ("quote", "'", "quotes", "single")
        straight = (' "', " '", '"', "'")
        if open_quote and close_quote and open_quote not in straight:
            self.nesting[open_quote] = ("quote", close_quote, "quotes", "true")
        if open_inner and close_inner and open_inner not in straight:
            self.nesting[open_inner] = ("quote", close_inner, "quotes", "inner")
        self.outer = {"double": "true", "single": "inner"}
        closers = {info[1] for info in self.nesting.values()}
        self.openers = frozenset(self.nesting)
        self.closers = frozenset(closers)
        alternatives = "|".join(
            re.escape(t) for t in sorted(self.openers | self.closers, key=len, reverse=True)
        )
        self.tag = re.compile(f"({alternatives})")

    def needs(self, text: str) -> bool:
        return "<" in text or _HAS_SPECIAL.search(text) is not None

    def parse(self, text: str) -> list[tuple[str, Any]] | None:
        """Events for :meth:`apply` (``("text", s)``, ``("open", tag)``, ``("close", "")``),
        or None when the text holds no tag or quote."""
        leading_space = text[:1] == " " and not _LEADING_QUOTE.match(text)
        text = " " + _APOSTROPHE_BETWEEN.sub("\\1'\\2", text)
        for pattern, replacement in _NORMALISE_SPAN:
            if "<span" in text:
                text = pattern.sub(replacement, text)
        pieces = self.tag.split(text)
        strings = pieces[0::2]
        tags = pieces[1::2]
        if not tags:
            return None
        forced: list[bool] = []  # indexed by opener, as citeproc-js does
        for i in range(len(tags) - 1):
            if tags[i] in self.nesting:
                if strings[i + 1] == "" and tags[i + 1] in ('"', "'"):
                    tags[i + 1] = " " + tags[i + 1]
                    forced.append(True)
                else:
                    forced.append(False)
        stack: list[tuple[str, str, int]] = []  # (type, closer, position)

        def push(tag: str, pos: int) -> tuple[str, Any] | None:
            if tag in self.openers:
                kind, closer = self.nesting[tag][0], self.nesting[tag][1]
                stack.append((kind, closer, pos))
                return None
            if stack and tag == stack[-1][1]:
                kind, _, opened = stack.pop()
                return ("nocase", (opened, pos)) if kind == "nocase" else None
            return ("fix", stack[-1][2] if stack else pos)

        for i, tag in enumerate(tags):
            apostrophe = _apostrophe(tag, strings[i + 1])
            if apostrophe:
                strings[i + 1] = apostrophe + strings[i + 1]
                tags[i] = ""
                continue
            info = None
            while True:
                info = push(tag, i)
                if info is None:
                    break
                if info[0] == "fix":
                    failed_at = info[1]
                    if tag == "'" and tag in self.closers:
                        strings[i + 1] = "\u2019" + strings[i + 1]
                        tags[i] = ""
                    else:
                        failed = tags[failed_at]
                        if 0 <= failed_at - 1 < len(forced) and forced[failed_at - 1]:
                            failed = failed[1:]
                        strings[failed_at + 1] = failed + strings[failed_at + 1]
                        tags[failed_at] = ""
                    if stack and tag != "'":
                        stack.pop()
                        continue
                    break
                opened, closed = info[1]
                tags[opened] = ""
                tags[closed] = ""
                break
            if info is not None and info[0] == "fix":
                strings[i + 1] = tags[i] + strings[i + 1]
                tags[i] = ""
        for _, _, pos in reversed(stack):
            if tags[pos] in (" '", "'"):
                strings[pos + 1] = " \u2019" + strings[pos + 1]
            else:
                strings[pos + 1] = tags[pos] + strings[pos + 1]
            tags[pos] = ""
        kept_tags: list[str] = []
        kept_strings = [strings[0]]
        for i, tag in enumerate(tags):
            if tag:
                kept_tags.append(tag)
                kept_strings.append(strings[i + 1])
            else:
                kept_strings[-1] += strings[i + 1]
        tags, strings = kept_tags, kept_strings
        outer_seen = False
        for i, tag in enumerate(tags):
            if tag in (' "', " '", '("', "('"):
                if not outer_seen:
                    family = self.nesting[tag][3]
                    self.outer[family] = "true"
                    self.outer["single" if family == "double" else "double"] = "inner"
                    outer_seen = True
                if not (0 <= i - 1 < len(forced) and forced[i - 1]):
                    strings[i] += tag[0]
        first = strings[0]
        if leading_space:
            first = " " + first
        for _ in range(2):
            if first[:1] == " ":
                first = first[1:]
        events: list[tuple[str, Any]] = []
        if first:
            events.append(("text", first))
        for i, tag in enumerate(tags):
            events.append(("open", tag) if tag in self.openers else ("close", ""))
            if strings[i + 1]:
                events.append(("text", strings[i + 1]))
        return events

    def apply(
        self,
        leaf: Blob,
        events: list[tuple[str, Any]],
        ancestors: list[list[Decoration]],
        layout: list[Decoration],
    ) -> None:
        """Turn ``leaf`` into a tree of the parsed events, flipping against what encloses it.

        ``ancestors`` are the decorations of the enclosing blobs, outermost
        first; ``layout`` those of the layout.
        """
        leaf.blobs = []
        # citeproc-js looks for an enclosing decoration from the outermost ancestor in
        searched = [*ancestors, leaf.decorations, layout]
        stack: list[Blob] = [leaf]
        opened: list[Decoration] = []
        for kind, value in events:
            if kind == "text":
                stack[-1].blobs.append(Blob(value))
                continue
            if kind == "close":
                if len(stack) > 1:
                    stack.pop()
                    opened.pop()
                continue
            tag_type, _, attribute, outer = self.nesting[value]
            child = Blob([])
            if tag_type == "nodecor":
                seen: set[str] = set()
                for decorations in [*searched, opened]:
                    for name, _ in reversed(decorations):
                        if (
                            name in ("font-weight", "font-style", "font-variant")
                            and name not in seen
                        ):
                            child.decorations.append((name, "normal"))
                            seen.add(name)
                decoration: Decoration = ("class", "nodecor")
            else:
                if tag_type == "quote" and outer in ("double", "single"):
                    outer = self.outer[outer]
                current = None
                for name, val in reversed(opened):
                    if name == attribute:
                        current = val
                        break
                if current is None:
                    for decorations in searched:
                        for name, val in reversed(decorations):
                            if name == attribute:
                                current = val
                                break
                        if current is not None:
                            break
                if current is None or attribute == "vertical-align":
                    decoration = (attribute, outer)
                else:
                    decoration = (attribute, _FLIP.get(attribute, {}).get(current, outer))
                child.decorations.append(decoration)
            stack[-1].blobs.append(child)
            stack.append(child)
            opened.append(decoration)


_LEADING_QUOTE = re.compile("^\\s+['\"]")


def _apostrophe(tag: str, following: str) -> str:
    if tag == "'":
        if following and following[0] not in ",.?:; ":
            return "\u2019"
    elif tag == " '" and following[:1] == " ":
        return " \u2019"
    return ""
