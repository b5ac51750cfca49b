"""A .bib file's syntax: blocks, ``@string`` macros and concatenation, inheritance.

Reading uses bibtexparser 2's splitter, or, for each stretch of the file that is a
plain well-formed block, an equivalent regular-expression fast path
(:func:`split_blocks`); values are then evaluated (macros expanded, ``#`` pieces
joined) and ``crossref``/``xdata`` fields inherited, all still as LaTeX text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..core.patterns import lazy_pattern
from ..core.text import strip_rich_text
from .mapping import BOOKS, MONTH_MACROS, MONTH_NAMES, PARTS

if TYPE_CHECKING:
    from .reader import ReadContext


_SNIFF = lazy_pattern(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_SNIFF_ENTRY = lazy_pattern(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*[^\s,={}()\"]*\s*,", re.MULTILINE)


def sniff(head: str) -> float:
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return 0.0
    if _SNIFF_ENTRY.search(head):
        return 0.9
    if _SNIFF.search(head):
        return 0.6
    return 0.0


class Entry:
    __slots__ = ("fields", "key", "line", "type")

    def __init__(self, type: str, key: str, fields: list[str], line: int) -> None:
        self.type = type
        self.key = key
        # name as written, raw value expression, name, value...: one flat list, not a pair
        # per field, so that splitting a large file leaves the garbage collector a few
        # objects per entry to scan, not a dozen
        self.fields = fields
        self.line = line  # 1-based

    def _state(self) -> tuple[Any, ...]:
        return (self.type, self.key, self.fields, self.line)

    def __eq__(self, other: object) -> bool:
        return type(other) is Entry and self._state() == other._state()

    def __repr__(self) -> str:
        return f"Entry{self._state()!r}"


class Block:
    __slots__ = ("entry", "kind", "line", "name", "value")

    def __init__(
        self, kind: str, line: int, entry: Entry | None = None, name: str = "", value: str = ""
    ) -> None:
        self.kind = kind  # entry, string, preamble, comment, failed
        self.line = line
        self.entry = entry
        self.name = name
        self.value = value

    def _state(self) -> tuple[Any, ...]:
        return (self.kind, self.line, self.entry, self.name, self.value)

    def __eq__(self, other: object) -> bool:
        return type(other) is Block and self._state() == other._state()

    def __repr__(self) -> str:
        return f"Block{self._state()!r}"


_BLOCK_START = lazy_pattern(r"@\w*[ \t]*(?=[{(])")
# The fast path accepts only what bibtexparser's splitter reads the same way:
# {}-delimited blocks, keys and field names without odd characters, braced values
# nested up to four deep, simple quoted values, numbers and macro names.
_INNER = r"(?:[^{}@]++|(?<=\S)@)*+"
_BRACED = r"\{" + _INNER
for _ in range(4):
    _BRACED = r"\{" + _INNER + r"(?:" + _BRACED + r"\}" + _INNER + r")*"
_BRACED += r"\}"
_VALUE = r"(?:" + _BRACED + r'|"[^"{}@]*"|\d+|[A-Za-z][\w.:+/-]*)'
_FIELD_RE = r"[A-Za-z][\w.:+-]*"
_FAST_HEAD = lazy_pattern(
    r"@(?P<type>[A-Za-z]\w*)[ \t]*\{[ \t]*(?P<key>[^\s,{}()\"#%'=\\@~]+)[ \t]*,"
)
_NOT_ENTRIES = frozenset({"comment", "string", "preamble"})
# an entry without a key, straight into its fields (EndNote's export): read with a key
# generated, not lost (bibtex would stop at it)
_KEYLESS_HEAD = lazy_pattern(r"@(?P<type>[A-Za-z]\w*)[ \t]*\{(?=\s*[A-Za-z][\w.:+-]*\s*=)(?P<key>)")
_FAST_FIELD = lazy_pattern(r"\s*(" + _FIELD_RE + r")\s*=\s*(" + _VALUE + r")\s*(,?)")
_FAST_END = lazy_pattern(r"\s*\}")
_FAST_OTHER = lazy_pattern(
    r"@(?P<type>comment|string|preamble)[ \t]*\{(?P<body>"
    + _INNER
    + r"(?:"
    + _BRACED
    + _INNER
    + r")*)\}",
    re.IGNORECASE,
)
_FAST_STRING = lazy_pattern(r"\s*(" + _FIELD_RE + r")\s*=\s*(" + _VALUE + r")\s*$")


# bibtexparser's splitter ends any open block where a line starts with a block
# start (white space, "@", a name, "{" or "("), so the text between two such places
# parses the same on its own as within the whole file.
_BLOCK_AT = lazy_pattern(r"@\w*[ \t]*[{(]")


def _line_start_blocks(text: str) -> Iterator[int]:
    """Where blocks start at the start of a line (``str.find`` is far faster than a
    multi-line regular expression over a large file)."""
    position = text.find("@")
    while position >= 0:
        before = position - 1
        while before >= 0 and text[before] in " \t\r\f\v":
            before -= 1
        if (before < 0 or text[before] == "\n") and _BLOCK_AT.match(text, position):
            yield position
        position = text.find("@", position + 1)


_FIELD_START = lazy_pattern(r"\s*(" + _FIELD_RE + r")\s*=\s*")
_BARE_VALUE = lazy_pattern(r"\d+|[A-Za-z][\w.:+/-]*")
_AFTER_VALUE = lazy_pattern(r"\s*(,?)")


def _closing_brace(text: str, position: int, end: int) -> int:
    """The index after the brace closing the one at ``position``, or -1 before ``end``."""
    depth = 0
    while True:
        close = text.find("}", position, end)
        if close < 0:
            return -1
        opening = text.find("{", position, close)
        if opening >= 0:
            depth += 1
            position = opening + 1
            continue
        depth -= 1
        position = close + 1
        if depth == 0:
            return position


_QUOTED_STOP = lazy_pattern(r'[{}"]')


def _closing_quote(text: str, position: int, end: int) -> int:
    """The index after the quote closing the one at ``position`` (quotes inside braces
    are text), or -1 before ``end`` or on an unbalanced brace."""
    depth = 0
    for match in _QUOTED_STOP.finditer(text, position + 1, end):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return -1
        elif depth == 0:
            return match.end()
    return -1


def _fast_block(text: str, start: int, end: int, line: int) -> Block | None:
    """The block at ``text[start:end]`` when the fast path reads it for certain, else None."""
    head = _FAST_HEAD.match(text, start, end) or _KEYLESS_HEAD.match(text, start, end)
    if head is not None and head.group("type").lower() not in _NOT_ENTRIES:
        # fields one after another, a comma between each, an optional one after the last;
        # values braced, quoted without braces, numbers or macro names
        fields: list[str] = []
        position = head.end()
        while True:
            # one regular expression reads the common field (values braced at most five
            # deep, without " @"); it ends where the steps below would
            plain = _FAST_FIELD.match(text, position, end)
            if plain is not None:
                field_name, value, comma = plain.groups()
                fields += field_name, value
                position = plain.end()
                if not comma:
                    break
                continue
            name = _FIELD_START.match(text, position, end)
            if name is None:
                break
            position = name.end()
            first = text[position : position + 1]
            if first == "{":
                after = _closing_brace(text, position, end)
            elif first == '"':
                after = text.find('"', position + 1, end) + 1
                if after and ("{" in text[position:after] or "}" in text[position:after]):
                    # "{Zum Teil \"optionalen\" Kapitel}.": quotes inside braces are
                    # text to BibTeX (bibtexparser's splitter fails on them)
                    after = _closing_quote(text, position, end)
            else:
                bare = _BARE_VALUE.match(text, position, end)
                after = bare.end() if bare is not None else -1
            if after < 0:
                return None
            fields += name.group(1), text[position:after]
            separator = _AFTER_VALUE.match(text, after, end)
            position = separator.end()
            if not separator.group(1):
                break
        close = _FAST_END.match(text, position, end)
        if close is None:
            return None
        after = close.end()
        backslash = text.find("\\", start, after)  # escaped braces only after a backslash
        if backslash >= 0 and (
            text.find("\\{", backslash, after) >= 0 or text.find("\\}", backslash, after) >= 0
        ):
            return None
        if _BLOCK_START.search(text, after, end):
            return None
        key = head.group("key") or ""
        return Block("entry", line, Entry(head.group("type"), key, fields, line))
    match = _FAST_OTHER.match(text, start, end)
    if match is None:
        return None
    span = match.group()
    if "\\{" in span or "\\}" in span or _BLOCK_START.search(text, match.end(), end):
        return None
    kind = match.group("type").lower()
    body = match.group("body")
    if kind != "string":
        return Block(kind, line, value=body.strip() if kind == "comment" else body)
    definition = _FAST_STRING.match(body)
    if definition is None:
        return None
    return Block("string", line, name=definition.group(1), value=definition.group(2))


@contextlib.contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    # bibtexparser logs every failed block; we report them ourselves
    import logging

    names = ["bibtexparser", "bibtexparser.splitter", "bibtexparser.entrypoint"]
    names += [n for n in logging.root.manager.loggerDict if n.startswith("bibtexparser.")]
    loggers = [logging.getLogger(name) for name in dict.fromkeys(names)]
    states = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, state in zip(loggers, states, strict=True):
            logger.disabled = state


def _bibtexparser_blocks(text: str) -> list[Block]:
    import bibtexparser
    from bibtexparser import model

    try:
        with _quiet_bibtexparser():
            library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception as error:  # a guard: one stretch of the file fails, not the file
        return [Block("failed", 1, value=f"unreadable ({type(error).__name__}: {error})")]
    blocks: list[Block] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.Entry):
            fields = [part for f in block.fields for part in (f.key, f.value)]
            blocks.append(Block("entry", line, Entry(block.entry_type, block.key, fields, line)))
        elif isinstance(block, model.DuplicateFieldKeyBlock | model.DuplicateBlockKeyBlock):
            duplicate = block.ignore_error_block
            if isinstance(duplicate, model.Entry):
                fields = [part for f in duplicate.fields for part in (f.key, f.value)]
                entry = Entry(duplicate.entry_type, duplicate.key, fields, line)
                blocks.append(Block("entry", line, entry))
            elif isinstance(duplicate, model.String):  # @string{a=...} twice: the last wins
                blocks.append(Block("string", line, name=duplicate.key, value=duplicate.value))
        elif isinstance(block, model.ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", "") or str(block.error)
            if reason.startswith("Unexpectedly reached end of file"):
                reason = "a brace or quote is not closed before the next entry or the end"
            key = re.match(r"@\w+\s*[{(]\s*([^,\s{}()\"=]+)", block.raw or "")
            blocks.append(Block("failed", line, value=reason, name=key.group(1) if key else ""))
        elif isinstance(block, model.String):
            blocks.append(Block("string", line, name=block.key, value=block.value))
        elif isinstance(block, model.Preamble):
            blocks.append(Block("preamble", line, value=block.value))
        elif isinstance(block, model.ExplicitComment):
            blocks.append(Block("comment", line, value=block.comment))
        # text between blocks (an implicit comment) is ignored, as BibTeX does
    return blocks


_PERCENT_LINE = lazy_pattern(r"^[ \t]*%[^\n]*", re.MULTILINE)


def _blank_comment_lines(text: str) -> str:
    """Lines starting with ``%`` outside field values emptied: biber, pandoc and every
    reader of real files take them as comments (``%@ARTICLE{old,`` is no entry), while
    bibtexparser would start an entry there."""
    if "%" not in text:
        return text
    pieces: list[str] = []
    position = depth = 0
    for match in _PERCENT_LINE.finditer(text):
        start = match.start()
        depth += text.count("{", position, start) - text.count("}", position, start)
        pieces.append(text[position:start])
        position = match.end()
        if depth <= 1:  # between entries, or between the fields of one
            continue
        pieces.append(match.group())
        depth += match.group().count("{") - match.group().count("}")
    if position == 0:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def split_blocks(text: str) -> list[Block]:
    """The blocks of a .bib file, in order.

    Each stretch between line-start block starts is read by a regular expression
    when it is a plain well-formed block (the common case, and fast); any other
    stretch goes to bibtexparser, which reads it exactly as within the whole file.
    """
    text = _blank_comment_lines(text)
    starts = list(_line_start_blocks(text))
    blocks: list[Block] = []
    bounds = [0, *starts, len(text)] if not starts or starts[0] != 0 else [*starts, len(text)]
    line = 1
    for index in range(len(bounds) - 1):
        start, end = bounds[index], bounds[index + 1]
        blocks += _stretch_blocks(text, start, end, line)
        line += text.count("\n", start, end)
    return blocks


def _stretch_blocks(text: str, start: int, end: int, line: int) -> list[Block]:
    """The blocks of ``text[start:end]``, a stretch between line-start block starts that
    begins on line ``line``, as bibtexparser reads them."""
    if text.startswith("@", start):
        # a plain well-formed block: regular expressions read it as bibtexparser would
        block = _fast_block(text, start, end, line)
        if block is not None:
            return [block]
    if not _BLOCK_START.search(text, start, end):
        return []
    blocks = _bibtexparser_blocks(text[start:end])
    for found in blocks:
        found.line += line - 1
        if found.entry is not None:
            found.entry.line = found.line
    return blocks


class MacroTable:
    """@string macros (case-insensitive), with BibTeX's month macros predefined."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {m: MONTH_NAMES[i] for i, m in enumerate(MONTH_MACROS)}

    def get(self, name: str) -> str | None:
        return self.values.get(name.lower())


def _split_concatenation(raw: str) -> list[str] | None:
    """``{a} # jan # "b"`` → the pieces; ``None`` when it is not a valid expression."""
    pieces: list[str] = []
    i, n = 0, len(raw)
    while True:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return None
        start = i
        if raw[i] == "{":
            depth = 0
            while i < n:
                if raw[i] == "{":
                    depth += 1
                elif raw[i] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if i >= n:
                return None
            i += 1
        elif raw[i] == '"':
            i += 1
            depth = 0
            while i < n and (raw[i] != '"' or depth > 0):
                if raw[i] == "{":
                    depth += 1
                elif raw[i] == "}":
                    depth -= 1
                i += 1
            if i >= n:
                return None
            i += 1
        else:
            while i < n and raw[i] != "#" and not raw[i].isspace():
                i += 1
            if i == start:  # "# {}": a concatenation without its first piece
                return None
        pieces.append(raw[start:i])
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return pieces
        if raw[i] != "#":
            return None
        i += 1


# The longest value (of a field or an @string) that expanding @string macros may make:
# macros that double one another reach gigabytes in a few hundred bytes of input.
MAX_VALUE_CHARS = 1_000_000


class ValueTooLarge(ValueError):
    """A value whose macros expand beyond :data:`MAX_VALUE_CHARS` characters."""


def evaluate(raw: str, macros: MacroTable, problems: list[str]) -> str:
    """A field's value expression → its LaTeX text (macros expanded, pieces joined).

    Raises :class:`ValueTooLarge` when the text would exceed :data:`MAX_VALUE_CHARS`.
    """
    raw = raw.strip()
    if not raw:
        return ""
    if "#" not in raw:
        first = raw[0]
        if first == "{" and raw[-1] == "}":
            return raw[1:-1]
        if first == '"' and raw[-1] == '"' and len(raw) > 1:
            return raw[1:-1]
        if raw.isdigit():
            return raw
        if raw.isalnum():  # a macro name alone (month = jan): one piece
            value = macros.get(raw)
            if value is None:
                problems.append(f"undefined @string macro {raw!r} kept as text")
                return raw
            return value
    pieces = _split_concatenation(raw)
    if pieces is None:
        problems.append(f"unreadable value {raw[:40]!r} kept as written")
        return raw
    out = []
    size = 0
    for piece in pieces:
        if piece[0] in '{"':
            value = piece[1:-1]
        elif piece.isdigit():
            value = piece
        else:
            value = macros.get(piece)
            if value is None:
                problems.append(f"undefined @string macro {piece!r} kept as text")
                value = piece
        size += len(value)
        if size > MAX_VALUE_CHARS:
            raise ValueTooLarge(
                f"@string macros expand to more than {MAX_VALUE_CHARS:,} characters"
            )
        out.append(value)
    return "".join(out)


_INHERIT_NEVER = frozenset({"crossref", "xref", "xdata", "ids", "entryset", "key", "label"})


def _inherit(child: dict[str, str], child_type: str, parent: dict[str, str], parent_type: str):
    """BibTeX crossref inheritance, with biblatex's title → booktitle for parts of books."""
    is_part = child_type in PARTS and parent_type in BOOKS
    for name, value in parent.items():
        if name in _INHERIT_NEVER:
            continue
        target = name
        if is_part and name in ("title", "subtitle", "titleaddon"):
            target = {
                "title": "booktitle",
                "subtitle": "booksubtitle",
                "titleaddon": "booktitleaddon",
            }[name]
        elif is_part and name == "author" and child_type in ("inbook", "bookinbook", "suppbook"):
            child.setdefault("bookauthor", value)  # biblatex: the book's author is both
        elif child_type == "article" and parent_type == "periodical" and name == "title":
            target = "journaltitle"
        if target not in child:
            child[target] = value


def resolve_inheritance(
    entry: Entry,
    fields: dict[str, str],
    by_key: dict[str, tuple[Entry, dict[str, str]]],
    ctx: ReadContext,
) -> None:
    seen = {entry.key.strip().lower()}
    for name in ("xdata", "crossref"):
        if name not in fields:
            continue
        keys = [k.strip() for k in strip_rich_text(fields[name]).split(",") if k.strip()]
        for key in keys if name == "xdata" else keys[:1]:
            current_type = entry.type.lower()
            parent_key = key
            depth = 0
            while parent_key and depth < 10:
                lower = parent_key.lower()
                if lower in seen and depth:
                    ctx.warn(f"{name} cycle through {parent_key!r} ignored")
                    break
                found = by_key.get(lower)
                if found is None:
                    ctx.warn(f"{name} {parent_key!r} not found; converted without its fields")
                    break
                seen.add(lower)
                parent, parent_fields = found
                _inherit(fields, current_type, parent_fields, parent.type.lower())
                parent_key = parent_fields.get("crossref", "").strip() if name == "crossref" else ""
                current_type = parent.type.lower()
                depth += 1
