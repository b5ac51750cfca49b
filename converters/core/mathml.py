"""MathML (and JATS ``<tex-math>``) inside titles → text that CSL rich text can carry.

Crossref titles and abstracts and PubMed ``ArticleTitle`` elements embed formulas
as ``<mml:math>`` elements. Stripping their tags leaves run-together text and, worse,
the TeX source of ``<annotation>`` elements (``x=a2x = a^2``). :func:`flatten_mathml`
renders each formula as plain characters with ``<sub>``/``<sup>`` for scripts, so
the usual tag clean-up (:func:`.text.html_to_rich_text`) can run afterwards.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

_MATH = re.compile(r"<(?:[\w.-]+:)?math\b.*?</(?:[\w.-]+:)?math\s*>", re.DOTALL | re.IGNORECASE)
_ALTERNATIVES = re.compile(
    r"<(?:[\w.-]+:)?alternatives\b[^>]*>(.*?)</(?:[\w.-]+:)?alternatives\s*>", re.DOTALL
)
_TEX_MATH = re.compile(r"<(?:[\w.-]+:)?tex-math\b.*?</(?:[\w.-]+:)?tex-math\s*>", re.DOTALL)
_MARKUP_TAG = re.compile(r"<[^<>]*>")
_PREFIX_IN_TAG = re.compile(r"(^</?|\s)[\w.-]+:(?=[\w.-])")
_XMLNS = re.compile(r"""\sxmlns(?::[\w.-]+)?\s*=\s*(?:"[^"]*"|'[^']*')""")
_ANNOTATION = re.compile(
    r"<(?:[\w.-]+:)?annotation(?:-xml)?\b.*?</(?:[\w.-]+:)?annotation(?:-xml)?\s*>", re.DOTALL
)
_NAMED_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot|apos);)([A-Za-z][A-Za-z0-9]*);")
# operators printed with a space either side: "x² < aₙ", not "x²<aₙ"
_RELATIONS = frozenset("= < > ≤ ≥ ≠ ≈ ≡ ∼ ≃ ≅ ∝ → ← ↔ ⇒ ⇔ ∈ ∉ ⊂ ⊆ ⊃ ⊇ ≪ ≫".split())
_SKIPPED = frozenset(("annotation", "annotation-xml", "none", "mprescripts", "maligngroup"))


def flatten_mathml(raw: str) -> str:
    """Each ``<math>`` element of ``raw`` replaced by escaped text with ``<sub>``/``<sup>``.

    Inside JATS ``<alternatives>``, a ``<tex-math>`` twin of a MathML formula is
    dropped so the formula is not printed twice.
    """
    if "math" not in raw:
        return raw
    if "alternatives" in raw:
        raw = _ALTERNATIVES.sub(_one_alternative, raw)
    return _MATH.sub(lambda match: _render_fragment(match.group(0)), raw)


def _one_alternative(match: re.Match[str]) -> str:
    inner = match.group(1)
    return _TEX_MATH.sub("", inner) if _MATH.search(inner) else inner


def _render_fragment(fragment: str) -> str:
    cleaned = _MARKUP_TAG.sub(_unprefixed, _XMLNS.sub("", fragment))
    if "&" in cleaned:  # HTML/MathML named entities (&nbsp; &InvisibleTimes;) XML lacks
        cleaned = _NAMED_ENTITY.sub(_entity_as_character, cleaned)
    try:
        root = ET.fromstring(cleaned)
    except ET.ParseError:
        # undeclared entities and the like: drop the TeX annotations, let the
        # caller's tag stripping keep the rest of the text
        return _ANNOTATION.sub("", fragment)
    return _render(root)


def _entity_as_character(match: re.Match[str]) -> str:
    character = html.unescape(match.group(0))
    return html.escape(character, quote=False) if character != match.group(0) else ""


def _unprefixed(match: re.Match[str]) -> str:
    """``<mml:msup>`` → ``<msup>``, ``xlink:href=`` → ``href=``: tag and attribute names only."""
    return _PREFIX_IN_TAG.sub(r"\1", match.group(0))


_INVISIBLE = str.maketrans("", "", "\u2061\u2062\u2063\u2064")  # function application, ...


def _text(value: str | None) -> str:
    return html.escape(value.strip().translate(_INVISIBLE), quote=False) if value else ""


def _render(element: ET.Element) -> str:
    tag = element.tag.rsplit("}", 1)[-1]
    if tag in _SKIPPED:
        return ""
    children = list(element)
    if tag == "semantics":
        return _render(children[0]) if children else ""
    if tag in ("msup", "msub", "msubsup", "mfrac", "mroot") and len(children) >= 2:
        base, first = _render(children[0]), _render(children[1])
        if tag == "msup":
            return f"{base}<sup>{first}</sup>"
        if tag == "msub":
            return f"{base}<sub>{first}</sub>"
        if tag == "msubsup":
            second = _render(children[2]) if len(children) > 2 else ""
            return f"{base}<sub>{first}</sub><sup>{second}</sup>"
        if tag == "mfrac":
            return f"{_grouped(children[0], base)}/{_grouped(children[1], first)}"
        return f"<sup>{first}</sup>√{_grouped(children[0], base)}"  # mroot
    if tag == "msqrt":
        inner = "".join(_render(child) for child in children) or _text(element.text)
        return f"√{inner}" if len(children) <= 1 and len(_plain(inner)) <= 1 else f"√({inner})"
    if tag == "mfenced":
        opening = element.get("open", "(")
        closing = element.get("close", ")")
        separator = element.get("separators", ",").strip()[:1] or ","
        inner = separator.join(_render(child) for child in children)
        return f"{_text(opening)}{inner}{_text(closing)}"
    if tag == "mspace":
        return " "
    if tag == "mo" and not children and (element.text or "").strip() in _RELATIONS:
        return f" {_text(element.text)} "
    if tag == "mtext":
        # running text inside a formula keeps its own spaces
        return html.escape(" ".join((element.text or "").split()), quote=False)
    parts = [_text(element.text)]
    for child in children:
        parts.append(_render(child))
        parts.append(_text(child.tail))
    return "".join(parts)


def _plain(text: str) -> str:
    return re.sub(r"<[^>]*>", "", html.unescape(text))


def _grouped(element: ET.Element, rendered: str) -> str:
    """Parenthesise a multi-symbol numerator, denominator or radicand: ``(a+b)/2``."""
    tag = element.tag.rsplit("}", 1)[-1]
    if tag in ("mi", "mn", "mtext") or len(_plain(rendered)) <= 1:
        return rendered
    return f"({rendered})"
