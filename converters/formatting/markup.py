"""Formatted text, and the four markups it is written in.

The CSL processor (:mod:`.csl`) writes a finished cite or entry as a
:class:`Formatted` value: a tree of plain strings and :class:`Span` s, a span
standing for one kind of formatting (italics, bold, ...) or layout (CSL
``display`` blocks, second-field-align) over its children. Data, style text
and locale terms only ever enter it as plain strings, the leaves, so nothing
in them can open or close formatting. :func:`render` writes the tree in the
target markup, escaping every leaf once: HTML (as citeproc-js writes it),
Pandoc Markdown, reStructuredText or plain text. Output with no formatting at
all stays a plain ``str``.

Besides italics, bold and the like there are kinds that undo an enclosing
format (italics inside italics print roman, CSL Appendix VI "flip-flop") and
kinds for CSL ``display`` blocks and second-field-align, which HTML renders as
citeproc-js's ``csl-left-margin``/``csl-right-inline``/``csl-block``/``csl-indent``
divs and plain text as citeproc-js's text format does (a space after the
left margin).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Union

MARKUPS = ("text", "html", "markdown", "rst")

ITALIC = "italic"
OBLIQUE = "oblique"
ROMAN = "roman"  # font-style normal inside italics (flip-flop)
BOLD = "bold"
NO_BOLD = "no-bold"
SMALL_CAPS = "small-caps"
NO_SMALL_CAPS = "no-small-caps"
UNDERLINE = "underline"
NO_UNDERLINE = "no-underline"
SUPERSCRIPT = "superscript"
SUBSCRIPT = "subscript"
BASELINE = "baseline"
# display="..." and second-field-align: parts of an entry laid out as blocks
BLOCK = "block"
LEFT_MARGIN = "left-margin"
RIGHT_INLINE = "right-inline"
INDENT = "indent"
DISPLAY_KINDS = frozenset((BLOCK, LEFT_MARGIN, RIGHT_INLINE, INDENT))


# --- the tree of formatted text ------------------------------------------------------

Node = Union[str, "Span"]


class Span:
    """One kind of formatting over ``children`` (plain strings and spans)."""

    __slots__ = ("children", "kind")

    def __init__(self, kind: str, children: list[Node] | None = None):
        self.kind = kind
        self.children: list[Node] = children if children is not None else []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Span) and self.kind == other.kind and self.children == other.children
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Span({self.kind!r}, {self.children!r})"


class Formatted:
    """Text with formatting: a list of plain strings and :class:`Span` s.

    It concatenates with ``+`` like a string (with strings and with other
    formatted text), so the output writer builds it as it would build a
    string. Adjacent strings are kept joined and empty ones dropped, so every
    plain string is one whole run of text between formatting changes, which is
    what the markups escape at once. Values are never changed in place.
    """

    __slots__ = ("nodes",)

    def __init__(self, nodes: list[Node]):
        self.nodes = nodes

    def __add__(self, other: str | Formatted) -> Formatted:
        if type(other) is str:
            if not other:
                return self
            nodes = self.nodes.copy()
            if nodes and type(nodes[-1]) is str:
                nodes[-1] += other
            else:
                nodes.append(other)
            return Formatted(nodes)
        if not isinstance(other, Formatted):
            return NotImplemented
        if not other.nodes:
            return self
        nodes = self.nodes.copy()
        following = other.nodes
        if nodes and type(nodes[-1]) is str and type(following[0]) is str:
            nodes[-1] += following[0]
            following = following[1:]
        nodes.extend(following)
        return Formatted(nodes)

    def __radd__(self, other: str) -> Formatted:
        if type(other) is not str:
            return NotImplemented
        if not other:
            return self
        nodes = self.nodes.copy()
        if nodes and type(nodes[0]) is str:
            nodes[0] = other + nodes[0]
        else:
            nodes.insert(0, other)
        return Formatted(nodes)

    def __bool__(self) -> bool:
        return bool(self.nodes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formatted) and self.nodes == other.nodes

    __hash__ = None  # type: ignore[assignment]

    def text(self) -> str:
        """The characters, without formatting."""
        return "".join(n if type(n) is str else n.text() for n in self.nodes)

    def __repr__(self) -> str:
        return f"Formatted({self.nodes!r})"


Text = str | Formatted


def formatted(kind: str, text: Text) -> Formatted:
    """``text`` inside one span of ``kind``."""
    if type(text) is str:
        return Formatted([Span(kind, [text] if text else [])])
    assert isinstance(text, Formatted)
    return Formatted([Span(kind, text.nodes)])


def join(delimiter: str, pieces: Iterable[Text]) -> Text:
    """``delimiter.join(pieces)`` for plain and formatted text."""
    pieces = list(pieces)
    if all(type(piece) is str for piece in pieces):
        return delimiter.join(pieces)  # type: ignore[arg-type]
    result: Text = pieces[0]
    for piece in pieces[1:]:
        result = result + delimiter + piece
    return result


# --- renderers -------------------------------------------------------------------------


def _superscripts() -> dict[str, str]:
    # characters citeproc-js prints as <sup>base</sup> in HTML (ª, ², ¹, ™, ...)
    import unicodedata

    table = {}
    for code in [
        170,
        178,
        179,
        185,
        186,
        *range(688, 697),
        *range(736, 741),
        *range(7468, 7471),
        *range(7472, 7483),
        *range(7484, 7502),
        *range(7503, 7522),
        8304,
        8305,
        *range(8308, 8320),
        8480,
        8482,
        *range(12690, 12704),
        704,
        705,
        1765,
        1766,
    ]:
        char = chr(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition.startswith("<super>"):
            table[char] = "".join(chr(int(h, 16)) for h in decomposition.split()[1:])
        elif code in (0x6E5, 0x6E6, 0x2C0, 0x2C1):
            table[char] = {0x6E5: "\u0648", 0x6E6: "\u064a", 0x2C0: "\u0294", 0x2C1: "\u0295"}[code]
    return table


_SUPERSCRIPTS = _superscripts()
_SUPERSCRIPT_CHARS = re.compile("[" + "".join(_SUPERSCRIPTS) + "]")


def html_escape(text: str) -> str:
    """Escape as citeproc-js does (numeric entities; a double space keeps its width)."""
    text = (
        text.replace("&", "&#38;")
        .replace("<", "&#60;")
        .replace(">", "&#62;")
        .replace("  ", "\u00a0 ")
    )
    if _SUPERSCRIPT_CHARS.search(text):
        text = _SUPERSCRIPT_CHARS.sub(lambda m: f"<sup>{_SUPERSCRIPTS[m.group(0)]}</sup>", text)
    return text


_HTML_TAGS = {
    ITALIC: ("<i>", "</i>"),
    OBLIQUE: ("<em>", "</em>"),
    ROMAN: ('<span style="font-style:normal;">', "</span>"),
    BOLD: ("<b>", "</b>"),
    NO_BOLD: ('<span style="font-weight:normal;">', "</span>"),
    SMALL_CAPS: ('<span style="font-variant:small-caps;">', "</span>"),
    NO_SMALL_CAPS: ('<span style="font-variant:normal;">', "</span>"),
    UNDERLINE: ('<span style="text-decoration:underline;">', "</span>"),
    NO_UNDERLINE: ('<span style="text-decoration:none;">', "</span>"),
    SUPERSCRIPT: ("<sup>", "</sup>"),
    SUBSCRIPT: ("<sub>", "</sub>"),
    BASELINE: ('<span style="baseline">', "</span>"),
    # the layout citeproc-js writes for display="..." and second-field-align
    BLOCK: ('\n\n    <div class="csl-block">', "</div>\n"),
    LEFT_MARGIN: ('\n    <div class="csl-left-margin">', "</div>"),
    RIGHT_INLINE: ('<div class="csl-right-inline">', "</div>\n  "),
    INDENT: ('<div class="csl-indent">', "</div>\n  "),
}
# plain-text layout of the display kinds (citeproc-js's text format)
_TEXT_DISPLAY = {
    BLOCK: ("\n", ""),
    LEFT_MARGIN: ("", " "),
    RIGHT_INLINE: ("", ""),
    INDENT: ("\n    ", ""),
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


def _text(nodes: list[Node]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        else:
            inner = _text(node.children)
            if inner and node.kind in _TEXT_DISPLAY:
                before, after = _TEXT_DISPLAY[node.kind]
                inner = before + inner + after
            out.append(inner)
    return "".join(out)


# --- runs: text with its effective formatting (for markups that cannot nest) ----------

_UNDOES = {ROMAN: (ITALIC, OBLIQUE), NO_BOLD: (BOLD,), NO_SMALL_CAPS: (SMALL_CAPS,)}
_UNDOES.update({NO_UNDERLINE: (UNDERLINE,), BASELINE: (SUPERSCRIPT, SUBSCRIPT)})


def _runs(
    nodes: list[Node], active: frozenset[str] = frozenset()
) -> list[tuple[str, frozenset[str]]]:
    """(text, formatting in effect) pieces; display kinds become their plain-text layout."""
    runs: list[tuple[str, frozenset[str]]] = []
    for node in nodes:
        if isinstance(node, str):
            if node:
                runs.append((node, active))
            continue
        kind = node.kind
        if kind in DISPLAY_KINDS:
            inner = _runs(node.children, active)
            if inner:
                before, after = _TEXT_DISPLAY[kind]
                if before:
                    runs.append((before, frozenset()))
                runs.extend(inner)
                if after:
                    runs.append((after, frozenset()))
            continue
        if kind in _UNDOES:
            scope = active - frozenset(_UNDOES[kind])
        else:
            scope = active | {ITALIC if kind == OBLIQUE else kind}
        runs.extend(_runs(node.children, scope))
    return runs


def _merge_runs(runs: list[tuple[str, frozenset[str]]]) -> list[tuple[str, frozenset[str]]]:
    merged: list[tuple[str, frozenset[str]]] = []
    for text, kinds in runs:
        if merged and merged[-1][1] == kinds:
            merged[-1] = (merged[-1][0] + text, kinds)
        else:
            merged.append((text, kinds))
    return merged


# docutils links any URI of a scheme it knows (javascript:, data:, ...) standing in the
# text, and so does Pandoc with autolink_bare_uris; an escaped colon is shown as typed
# but ends no scheme. Web addresses stay links.
_WEB_SCHEMES = frozenset(("http", "https", "ftp", "ftps", "mailto"))
_URI_SCHEME = re.compile(
    r"(?<![A-Za-z0-9.+-])(?:(?P<web>(?i:https?|ftps?|mailto):\S*)"
    r"|(?P<scheme>[A-Za-z][A-Za-z0-9.+-]*):(?=\S))"
)


def unlink_schemes(escaped: str) -> str:
    """Escape the colon of every non-web URI scheme in already escaped Markdown or RST."""
    if ":" not in escaped:
        return escaped
    return _URI_SCHEME.sub(
        lambda m: m.group(0) if m.group("web") else m.group("scheme") + "\\:", escaped
    )


# Markdown: Pandoc's dialect (CommonMark emphasis; ^sup^, ~sub~, [x]{.smallcaps}).
_MD_SPECIAL = re.compile(r"([\\`*_<>~^$@|])")
_MD_BRACKET = re.compile(r"\](?=[(\[{:])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)(?:(\d{1,9})([.)])(?=\s|$)|([-+=#]))")


def markdown_escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BRACKET.sub(r"\\]", text)
    return unlink_schemes(_MD_ENTITY.sub(r"\\&", text))


def _edges(inner: str) -> tuple[str, str, str]:
    """Split leading and trailing white space off ``inner`` (emphasis cannot start with it)."""
    core = inner.strip()
    if not core:
        return inner, "", ""
    start = inner.index(core[0])
    return inner[:start], core, inner[start + len(core) :]


def _markdown(nodes: list[Node]) -> str:
    out = []
    for text, kinds in _merge_runs(_runs(nodes)):
        before, core, after = _edges(markdown_escape(text))
        if not core:
            out.append(before)
            continue
        if SUPERSCRIPT in kinds or SUBSCRIPT in kinds:
            delimiter = "^" if SUPERSCRIPT in kinds else "~"
            core = delimiter + core.replace(" ", "\\ ") + delimiter
        if SMALL_CAPS in kinds:
            core = f"[{core}]{{.smallcaps}}"
        if UNDERLINE in kinds:
            core = f"[{core}]{{.underline}}"
        if BOLD in kinds:
            core = f"**{core}**"
        if ITALIC in kinds:
            core = f"*{core}*"
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


# reStructuredText: inline markup needs white space or punctuation around it, and cannot nest.
_RST_SPECIAL = re.compile(r"([\\`*|])|_(?![\w])")
_RST_LINE_START = re.compile(
    r"^(\s*)(?:(?P<enum>\(?(?:\d+|[A-Za-z]|#|[ivxlcdm]+))(?P<dot>[.)])(?=\s|$)"
    r"|[-+\u2022\u2023\u2043](?=\s|$)|\.\.(?=\s|$)|>>>|:)",
    re.IGNORECASE,
)
_RST_BEFORE_OK = re.compile(r"[\s\-:/'\"<(\[{\u2018\u201c\u2019\u00ab\u00a1\u00bf\u2010-\u2015]$")
_RST_AFTER_OK = re.compile(r"^[\s\-.,:;!?\\/'\")\]}>\u2019\u201d\u00bb\u2010-\u2015]")


def rst_escape(text: str) -> str:
    return unlink_schemes(_RST_SPECIAL.sub(lambda m: "\\" + m.group(0), text))


def _rst_inline(nodes: list[Node]) -> list[tuple[str, bool]]:
    """Pieces of RST: (text, is_markup); of nested formatting only the strongest kind is kept."""
    pieces: list[tuple[str, bool]] = []
    for text, kinds in _merge_runs(_runs(nodes)):
        before, core, after = _edges(text)
        if not core or not kinds & {ITALIC, BOLD, SUPERSCRIPT, SUBSCRIPT}:
            pieces.append((rst_escape(text), False))
            continue
        if SUPERSCRIPT in kinds or SUBSCRIPT in kinds:
            role = "sup" if SUPERSCRIPT in kinds else "sub"
            markup = f":{role}:`{core.replace(chr(92), chr(92) * 2).replace('`', chr(92) + '`')}`"
        elif BOLD in kinds:
            markup = f"**{rst_escape(core)}**"
        else:
            markup = f"*{rst_escape(core)}*"
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


def render(text: Text, markup: str) -> str:
    """Formatted text → ``markup`` (one of :data:`MARKUPS`), every leaf escaped for it."""
    if type(text) is str:
        if markup == "text":
            return text
        nodes: list[Node] = [text] if text else []
    else:
        assert isinstance(text, Formatted)
        nodes = text.nodes
        if markup == "text":
            return _text(nodes)
    if markup == "html":
        return _html(nodes)
    if markup == "markdown":
        return _markdown_line(_markdown(nodes))
    if markup == "rst":
        return _rst_line(_rst(nodes))
    raise ValueError(f"unknown markup {markup!r} (choose from {', '.join(MARKUPS)})")
