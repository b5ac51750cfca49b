"""Text clean-up shared by readers: HTML in source data → CSL rich text or plain text.

CSL rich text is the small HTML subset citeproc processors understand inside
string variables: ``<i>``, ``<b>``, ``<sub>``, ``<sup>``,
``<span style="font-variant:small-caps;">`` and ``<span class="nocase">``.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s[^<>]*)?)/?>|<!--.*?-->", re.DOTALL)

SMALL_CAPS_SPAN = '<span style="font-variant:small-caps;">'
NOCASE_SPAN = '<span class="nocase">'
# source tag -> CSL rich-text tag
_RICH_TAGS = {
    "i": "i",
    "em": "i",
    "italic": "i",  # JATS
    "b": "b",
    "strong": "b",
    "bold": "b",  # JATS
    "sub": "sub",
    "inf": "sub",  # Crossref's <inf>
    "sup": "sup",
    "sc": "sc",  # JATS small caps
}
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 section title sec abstract jats:p jats:sec "
    "jats:title ".split()
)
_EMPTY_PAIR = re.compile(r"<(i|b|sub|sup)>\s*</\1>")
_CSL_TAG = re.compile(r'</?(?:i|b|sub|sup)>|<span(?: class="nocase"| style="[^"]*")>|</span>')


def collapse_space(text: str) -> str:
    """Runs of white space → one space; ends trimmed."""
    # The common case needs no split into words: no white space but single spaces.
    # (A regular expression such as [^\S ]|'  ' scans ~25 ns a character; substring
    # tests run at memory speed. Every white-space character other than the space is
    # a control or separator character, so a printable text has none.)
    if text.isascii():
        if not (
            "  " in text
            or "\n" in text
            or "\t" in text
            or "\r" in text
            or "\x0b" in text
            or "\x0c" in text
            or "\x1c" in text
            or "\x1d" in text
            or "\x1e" in text
            or "\x1f" in text
        ):
            return text.strip()
    elif text.isprintable() and "  " not in text:
        return text.strip()
    return " ".join(text.split())


def decode_entities(text: str) -> str:
    """HTML entities and numeric character references → characters, once
    (``&amp;lt;`` is the text ``&lt;``); for plain-text fields such as names and
    publishers (rich-text fields decode theirs in :func:`html_to_rich_text`)."""
    if "&" not in text:
        return text
    import html  # only when a text has an "&"

    return html.unescape(text)


_unescape = decode_entities


def html_to_rich_text(raw: str) -> str:
    """Strip HTML/JATS tags, keeping italics, bold, sub- and superscript as CSL rich text.

    Entities are unescaped and white space collapsed. Tags that are opened but
    never closed (or the reverse) are dropped so the result is always balanced.
    """
    if "<" not in raw and "&" not in raw:
        return collapse_space(raw)
    if "math" in raw:
        from .mathml import flatten_mathml

        raw = flatten_mathml(raw)
    out: list[str] = []
    open_stack: list[str] = []
    pos = 0
    for match in _TAG.finditer(raw):
        out.append(_unescape(raw[pos : match.start()]))
        pos = match.end()
        name = (match.group(2) or "").lower()
        rich = _RICH_TAGS.get(name.rsplit(":", 1)[-1])
        if rich is None:
            if name in _BLOCK_TAGS:
                out.append(" ")
            continue
        if match.group(1):  # closing tag
            if rich in open_stack:
                while open_stack:
                    top = open_stack.pop()
                    out.append("</span>" if top == "sc" else f"</{top}>")
                    if top == rich:
                        break
        else:
            open_stack.append(rich)
            out.append(SMALL_CAPS_SPAN if rich == "sc" else f"<{rich}>")
    out.append(_unescape(raw[pos:]))
    while open_stack:
        top = open_stack.pop()
        out.append("</span>" if top == "sc" else f"</{top}>")
    text = collapse_space("".join(out))
    # drop empty pairs such as "<i></i>" left by stripped content
    return _EMPTY_PAIR.sub("", text) if "<" in text else text


_PARAGRAPH_BREAK = "\x00"
_BLANK_LINE = re.compile(r"\n\s*\n")


def _tag_to_break(match: re.Match[str]) -> str:
    name = (match.group(2) or "").lower()
    return _PARAGRAPH_BREAK if name in _BLOCK_TAGS else ""


def html_to_plain_text(raw: str) -> str:
    """Plain text with paragraphs kept (separated by a blank line); for abstracts.

    Block tags (``<p>``, ``<br>``, ``<li>``, JATS ``<sec>``...) end a paragraph,
    as do blank lines in plain text; other tags are dropped, entities unescaped.
    """
    text = _BLANK_LINE.sub(_PARAGRAPH_BREAK, raw) if "\n" in raw else raw
    if "<" in text and "math" in text:
        from .mathml import flatten_mathml

        text = flatten_mathml(text)
    if "<" in text:
        # the usual markup is <p> paragraphs alone: replaced directly when that is all
        paragraphs = text.replace("<p>", _PARAGRAPH_BREAK).replace("</p>", _PARAGRAPH_BREAK)
        text = paragraphs if "<" not in paragraphs else _TAG.sub(_tag_to_break, text)
    text = _unescape(text)
    return "\n\n".join(
        cleaned for part in text.split(_PARAGRAPH_BREAK) if (cleaned := collapse_space(part))
    )


def strip_rich_text(text: str) -> str:
    """CSL rich text without its tags (for keys, sorting and comparisons)."""
    return _CSL_TAG.sub("", text) if "<" in text else text


_ABBREVIATIONS = frozenset(
    "al etc inc ltd co corp vs jr sr st dr mr mrs ms no vol pp p sp spp var ssp subsp cf "
    "approx fig figs eq eqs ed eds e.g i.e u.s u.k ".split()
)


def strip_trailing_period(title: str) -> str:
    """Remove one sentence-ending period; keep ``?``, ``!``, ellipses and abbreviations.

    A word with inner periods is an abbreviation (``U.S.``, ``e.g.``) unless it holds
    a digit: a version or a locus (``Release 2.0.``, ``7q11.23.``) ends the sentence.
    """
    if not title.endswith(".") or title.endswith(".."):
        return title
    plain = strip_rich_text(title).rstrip(".")
    last_word = plain.rsplit(None, 1)[-1] if plain.strip() else ""
    bare = last_word.strip("([{\"'").lower()
    if bare in _ABBREVIATIONS or (len(bare) == 1 and bare.isalpha()):
        return title
    if "." in bare and not any(character.isdigit() for character in bare):
        return title
    return title[:-1]


def clean_title(raw: str) -> str:
    """A source title as CSL rich text, without the trailing period databases add."""
    return strip_trailing_period(html_to_rich_text(raw))
