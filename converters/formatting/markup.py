"""Formatting marks while citeproc-py renders, and the four output markups.

citeproc-py builds an entry by concatenating strings: data, terms, affixes,
and whatever its "formatter" wraps around them for italics and the like. Its
HTML formatter neither escapes the data nor can tell data from markup
afterwards, so a title ``<script>`` comes out as a tag. refconv hands it a
formatter that wraps text in *marks*: pairs of Unicode noncharacters
(U+FDD0..U+FDEF, reserved by Unicode for exactly this internal use), and data
goes in raw. The rendered string is then one unambiguous tree of text and
marks, which :func:`render` turns into the target markup, escaping every piece
of text once: HTML, Pandoc Markdown, reStructuredText or plain text.

Rich text inside data (CSL's ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, small-caps
and ``nocase`` spans in titles) is turned into the same marks by
:func:`rich_text_to_marks` before rendering, so it comes out in the chosen
markup instead of as literal tags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Union

MARKUPS = ("text", "html", "markdown", "rst")

ITALIC = "italic"
OBLIQUE = "oblique"
BOLD = "bold"
LIGHT = "light"
UNDERLINE = "underline"
SUPERSCRIPT = "superscript"
SUBSCRIPT = "subscript"
SMALL_CAPS = "small-caps"
NOCASE = "nocase"  # data that text-case must not touch; no visible formatting
KINDS = (ITALIC, OBLIQUE, BOLD, LIGHT, UNDERLINE, SUPERSCRIPT, SUBSCRIPT, SMALL_CAPS, NOCASE)

_BASE = 0xFDD0
OPEN = {kind: chr(_BASE + 2 * i) for i, kind in enumerate(KINDS)}
CLOSE = {kind: chr(_BASE + 2 * i + 1) for i, kind in enumerate(KINDS)}
# GLUE joins what follows without the space citeproc-py puts there (name particles
# ending in a hyphen or apostrophe); it is not formatting and has no closing mark.
GLUE = "\ufdef"
_KIND_OF = {**{c: k for k, c in OPEN.items()}, **{c: k for k, c in CLOSE.items()}}
_OPENERS = frozenset(OPEN.values())
MARKS = re.compile("[\ufdd0-\ufdef]")


def mark(kind: str, text: str) -> str:
    return f"{OPEN[kind]}{text}{CLOSE[kind]}"


def strip_marks(text: str) -> str:
    return MARKS.sub("", text) if MARKS.search(text) else text


def has_marks(text: str) -> bool:
    return MARKS.search(text) is not None


# --- rich text in data --------------------------------------------------------

_RICH_TAG = re.compile(
    r"<(/?)(i|b|em|strong|sup|sub|sc)>"
    r"|<span\s+(?:class\s*=\s*\"nocase\"|style\s*=\s*\"\s*font-variant\s*:\s*small-caps;?\s*\")\s*>"
    r"|</span>",
    re.IGNORECASE,
)
_TAG_KIND = {
    "i": ITALIC,
    "em": ITALIC,
    "b": BOLD,
    "strong": BOLD,
    "sup": SUPERSCRIPT,
    "sub": SUBSCRIPT,
    "sc": SMALL_CAPS,
}


def rich_text_to_marks(value: str) -> str:
    """CSL rich text → text with marks; tags that do not pair up stay literal text.

    Marks already present in ``value`` are removed first, so data can never
    forge formatting.
    """
    value = strip_marks(value)
    if "<" not in value:
        return value
    # (literal text, tag name or None for text, kind, is_closing)
    tokens: list[tuple[str, str | None, str, bool]] = []
    pos = 0
    for match in _RICH_TAG.finditer(value):
        if match.start() > pos:
            tokens.append((value[pos : match.start()], None, "", False))
        raw = match.group(0)
        lower = raw.lower()
        if match.group(2):
            tag = match.group(2).lower()
            tokens.append((raw, tag, _TAG_KIND[tag], bool(match.group(1))))
        elif lower == "</span>":
            tokens.append((raw, "span", "", True))
        else:
            tokens.append((raw, "span", NOCASE if "nocase" in lower else SMALL_CAPS, False))
        pos = match.end()
    if pos < len(value):
        tokens.append((value[pos:], None, "", False))
    # pair opening and closing tags; anything unpaired is kept as literal text
    partner: dict[int, int] = {}
    stack: list[int] = []
    for index, (_, tag, _, closing) in enumerate(tokens):
        if tag is None:
            continue
        if not closing:
            stack.append(index)
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if tokens[stack[depth]][1] == tag:
                partner[stack[depth]] = index
                partner[index] = stack[depth]
                del stack[depth:]
                break
    out: list[str] = []
    for index, (text, tag, kind, closing) in enumerate(tokens):
        if tag is None or index not in partner:
            out.append(text)
        elif closing:
            out.append(CLOSE[tokens[partner[index]][2]])
        else:
            out.append(OPEN[kind])
    return "".join(out)


# --- the formatter citeproc-py calls --------------------------------------------


class Marked(str):
    """A piece of rendered output wrapped in marks (like citeproc-py's ``TagWrapper``).

    It concatenates as a plain ``str`` does, but also has the methods
    citeproc-py's text-case code calls on its own strings, so ``text-case`` on
    a formatted macro works instead of raising AttributeError (which made
    citeproc-py unable to sort with some styles).
    """

    def capitalize_first(self) -> Marked:
        for index, char in enumerate(self):
            if not MARKS.match(char):
                return Marked(self[:index] + char.upper() + self[index + 1 :])
        return self

    def words(self) -> Iterator[Marked]:
        for word in self.split():
            yield Marked(word)

    def soft_lower(self) -> Marked:
        return Marked(self.lower())

    def soft_upper(self) -> Marked:
        return Marked(self.upper())


def _wrapper(kind: str) -> Callable[[object], Marked]:
    opening, closing = OPEN[kind], CLOSE[kind]

    def wrap(text: object) -> Marked:
        return Marked(f"{opening}{text}{closing}")

    wrap.__name__ = kind.title().replace("-", "")
    return wrap


def _identity(text: object) -> object:
    return text


CITEPROC_FORMATTER = SimpleNamespace(
    __name__="refconv.converters.formatting.markup.CITEPROC_FORMATTER",
    preformat=_identity,
    Italic=_wrapper(ITALIC),
    Oblique=_wrapper(OBLIQUE),
    Bold=_wrapper(BOLD),
    Light=_wrapper(LIGHT),
    Underline=_wrapper(UNDERLINE),
    Superscript=_wrapper(SUPERSCRIPT),
    Subscript=_wrapper(SUBSCRIPT),
    SmallCaps=_wrapper(SMALL_CAPS),
)


# --- the tree of marks ---------------------------------------------------------------

Node = Union[str, "Span"]


class Span:
    __slots__ = ("children", "kind")

    def __init__(self, kind: str, children: list[Node] | None = None):
        self.kind = kind
        self.children: list[Node] = children if children is not None else []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def __repr__(self) -> str:
        return f"Span({self.kind!r}, {self.children!r})"


def parse(text: str) -> list[Node]:
    """Marked text → a list of strings and :class:`Span` trees.

    A closing mark with no matching opening one is dropped; an opening mark
    never closed spans to the end.
    """
    root: list[Node] = []
    stack: list[Span] = []
    pos = 0
    for match in MARKS.finditer(text):
        target = stack[-1].children if stack else root
        if match.start() > pos:
            target.append(text[pos : match.start()])
        pos = match.end()
        char = match.group(0)
        kind = _KIND_OF.get(char)
        if kind is None:
            continue
        if char in _OPENERS:
            span = Span(kind)
            target.append(span)
            stack.append(span)
        elif any(s.kind == kind for s in stack):
            while stack:
                if stack.pop().kind == kind:
                    break
    target = stack[-1].children if stack else root
    if pos < len(text):
        target.append(text[pos:])
    return root


def _walk_text(nodes: list[Node]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, str):
            yield node
        else:
            yield from _walk_text(node.children)


# --- renderers -------------------------------------------------------------------------


def html_escape(text: str) -> str:
    """Escape as citeproc-js does (numeric entities; a double space keeps its width)."""
    return (
        text.replace("&", "&#38;")
        .replace("<", "&#60;")
        .replace(">", "&#62;")
        .replace("  ", "\u00a0 ")
    )


_HTML_TAGS = {
    ITALIC: ("<i>", "</i>"),
    OBLIQUE: ("<em>", "</em>"),
    BOLD: ("<b>", "</b>"),
    LIGHT: ("", ""),
    UNDERLINE: ('<span style="text-decoration:underline;">', "</span>"),
    SUPERSCRIPT: ("<sup>", "</sup>"),
    SUBSCRIPT: ("<sub>", "</sub>"),
    SMALL_CAPS: ('<span style="font-variant:small-caps;">', "</span>"),
    NOCASE: ("", ""),
}


def _html(nodes: list[Node]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(html_escape(node))
        else:
            inner = _html(node.children)
            if inner:
                opening, closing = _HTML_TAGS[node.kind]
                out.append(f"{opening}{inner}{closing}")
    return "".join(out)


# Markdown: Pandoc's dialect (CommonMark emphasis; ^sup^, ~sub~, [x]{.smallcaps}).
_MD_SPECIAL = re.compile(r"([\\`*_<>~^$@|])")
_MD_BRACKET = re.compile(r"\](?=[(\[{:])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)(?:(\d{1,9})([.)])(?=\s|$)|([-+=#]))")


def markdown_escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BRACKET.sub(r"\\]", text)
    return _MD_ENTITY.sub(r"\\&", text)


def _edges(inner: str) -> tuple[str, str, str]:
    """Split leading and trailing white space off ``inner`` (emphasis cannot start with it)."""
    core = inner.strip()
    if not core:
        return inner, "", ""
    start = inner.index(core[0])
    return inner[:start], core, inner[start + len(core) :]


def _markdown(nodes: list[Node], active: frozenset[str] = frozenset()) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(markdown_escape(node))
            continue
        kind = ITALIC if node.kind == OBLIQUE else node.kind
        if kind in active or kind in (LIGHT, NOCASE):
            out.append(_markdown(node.children, active))
            continue
        inner = _markdown(node.children, active | {kind})
        before, core, after = _edges(inner)
        if not core:
            out.append(inner)
            continue
        if kind == ITALIC:
            core = f"*{core}*"
        elif kind == BOLD:
            core = f"**{core}**"
        elif kind in (SUPERSCRIPT, SUBSCRIPT):
            delimiter = "^" if kind == SUPERSCRIPT else "~"
            core = delimiter + core.replace(" ", "\\ ") + delimiter
        elif kind == SMALL_CAPS:
            core = f"[{core}]{{.smallcaps}}"
        elif kind == UNDERLINE:
            core = f"[{core}]{{.underline}}"
        out.append(before + core + after)
    return "".join(out)


def _markdown_line(line: str) -> str:
    """Keep a line from starting a list, heading, quote or link definition."""
    match = _MD_LINE_START.match(line)
    if not match:
        return line
    if match.group(2):
        return line[: match.start(3)] + "\\" + line[match.start(3) :]
    position = match.end(1)
    return line[:position] + "\\" + line[position:]


# reStructuredText: inline markup needs white space or punctuation around it.
_RST_SPECIAL = re.compile(r"([\\`*|])|_(?![\w])")
_RST_LINE_START = re.compile(
    r"^(\s*)(?:(?P<enum>\(?(?:\d+|[A-Za-z]|#|[ivxlcdm]+))(?P<dot>[.)])(?=\s|$)"
    r"|[-+\u2022\u2023\u2043](?=\s|$)|\.\.(?=\s|$)|>>>|:)",
    re.IGNORECASE,
)
_RST_BEFORE_OK = re.compile(r"[\s\-:/'\"<(\[{\u2018\u201c\u2019\u00ab\u00a1\u00bf\u2010-\u2015]$")
_RST_AFTER_OK = re.compile(r"^[\s\-.,:;!?\\/'\")\]}>\u2019\u201d\u00bb\u2010-\u2015]")


def rst_escape(text: str) -> str:
    return _RST_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _rst_inline(nodes: list[Node]) -> list[tuple[str, bool]]:
    """Pieces of RST: (text, is_markup). Markup cannot nest in RST: inner formatting is dropped."""
    pieces: list[tuple[str, bool]] = []
    for node in nodes:
        if isinstance(node, str):
            pieces.append((rst_escape(node), False))
            continue
        kind = node.kind
        plain = "".join(_walk_text(node.children))
        before, core, after = _edges(plain)
        if not core or kind in (LIGHT, NOCASE, SMALL_CAPS, UNDERLINE):
            pieces.append((rst_escape(plain), False))
            continue
        if kind in (ITALIC, OBLIQUE):
            markup = f"*{rst_escape(core)}*"
        elif kind == BOLD:
            markup = f"**{rst_escape(core)}**"
        else:
            role = "sup" if kind == SUPERSCRIPT else "sub"
            markup = f":{role}:`{core.replace(chr(92), chr(92) * 2).replace('`', chr(92) + '`')}`"
        if before:
            pieces.append((rst_escape(before), False))
        pieces.append((markup, True))
        if after:
            pieces.append((rst_escape(after), False))
    return pieces


def _rst(nodes: list[Node]) -> str:
    pieces = _rst_inline(nodes)
    out: list[str] = []
    for index, (text, is_markup) in enumerate(pieces):
        if is_markup:
            previous = "".join(out)
            if previous and not _RST_BEFORE_OK.search(previous):
                out.append("\\ ")
            out.append(text)
            following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
            if following and not _RST_AFTER_OK.match(following):
                out.append("\\ ")
        else:
            out.append(text)
    return "".join(out)


def _rst_line(line: str) -> str:
    """Keep a line from starting a list, comment, field list or literal block."""
    match = _RST_LINE_START.match(line)
    if match:
        position = match.start("dot") if match.group("dot") else match.end(1)
        if match.group("enum") and match.group("enum").startswith("("):
            position = match.end(1)
        line = line[:position] + "\\" + line[position:]
    if line.endswith("::"):
        line = line[:-1] + "\\:"
    return line


def render(marked: str, markup: str) -> str:
    """Marked text → ``markup`` (one of :data:`MARKUPS`), data escaped for it."""
    if GLUE in marked:
        marked = marked.replace(GLUE + " ", "").replace(GLUE, "")
    if markup == "text":
        return strip_marks(marked)
    nodes = parse(marked)
    if markup == "html":
        return _html(nodes)
    if markup == "markdown":
        return _markdown_line(_markdown(nodes))
    if markup == "rst":
        return _rst_line(_rst(nodes))
    raise ValueError(f"unknown markup {markup!r} (choose from {', '.join(MARKUPS)})")
