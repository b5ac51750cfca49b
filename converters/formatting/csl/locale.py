"""CSL locales: terms, localized dates and options, merged as citeproc-js merges them.

CSL 1.0.2 "Locale Fallback": a style's own ``cs:locale`` elements override the
locale files, the most specific language last. For an output locale other
than en-US the primary dialect's file is read first (``de-DE`` under
``de-AT``), then the locale's own; then the style's locale without
``xml:lang``, the bare language (``de``), the primary dialect and the exact
locale. Each later definition of a term form replaces the earlier one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

CSL_NS = "{http://purl.org/net/xbiblio/csl}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

SKIP_WORDS = [
    *"about above across afore after against al along alongside amid amidst among amongst "
    "anenst apropos apud around as aside astride at athwart atop barring before behind below "
    "beneath beside besides between beyond but by circa despite down during et except for "
    "forenenst from given in inside into lest like modulo near next notwithstanding of off on "
    "onto out over per plus pro qua sans since than through thru throughout thruout till to "
    "toward towards under underneath until unto up upon versus vs. v. vs v via vis-à-vis with "
    "within without".split(),
    "according to",
    "ahead of",
    "apart from",
    "as for",
    "as of",
    "as per",
    "as regards",
    "aside from",
    "back to",
    "because of",
    "close to",
    "due to",
    "except for",
    "far from",
    "inside of",
    "instead of",
    "near to",
    "next to",
    "on to",
    "out from",
    "out of",
    "outside of",
    "prior to",
    "pursuant to",
    "rather than",
    "regardless of",
    "such as",
    "that of",
    "up to",
    "where as",
    "or",
    "yet",
    "so",
    "for",
    "and",
    "nor",
    "a",
    "an",
    "the",
    "de",
    "d'",
    "von",
    "van",
    "c",
    "ca",
]

GENDERS = ("masculine", "feminine")
_FORM_FALLBACK = {
    "symbol": ("symbol", "short", "long"),
    "verb-short": ("verb-short", "verb", "long"),
    "long": ("long",),
}


def _text(element: Any) -> str:
    """A term's text as citeproc-js reads locale XML: line breaks are spaces, and a term of
    nothing but spaces and tabs is empty (``<term name="and others">`` on its own lines
    prints nothing)."""
    if element is None:
        return ""
    text = _LINE_BREAK.sub(" ", "".join(element.itertext()))
    return "" if not text.strip(" \t") else text


_LINE_BREAK = re.compile(r"\r\n|\n|\r")


class Locale:
    """The merged terms, date formats and options of one output locale."""

    def __init__(self, lang: str):
        self.lang = lang
        # name → {form: value}; value is a str or (single, multiple); genders nested
        self.terms: dict[str, dict[str, Any]] = {}
        self.noun_genders: dict[str, str] = {}
        self.dates: dict[str, Any] = {}  # "text"/"numeric" → cs:date element
        self.options: dict[str, Any] = {
            "punctuation-in-quote": False,
            "limit-day-ordinals-to-day-1": False,
            "skip-words": list(SKIP_WORDS),
            "leading-noise-words": [],
        }
        self.ordinal_keys: set[str] = set()
        self.ordinals: dict[str, dict[str, dict[str, str]]] | None = None
        self.type_genders: dict[str, str] = {}
        self._cache: dict[tuple[Any, ...], str | None] = {}

    # --- building -------------------------------------------------------------------

    def merge(self, element: Any) -> None:
        """Add the terms, dates and options of one ``cs:locale`` element."""
        self._cache.clear()
        for type_node in element.iter(f"{CSL_NS}type"):
            if type_node.get("name") and type_node.get("gender"):
                self.type_genders[type_node.get("name")] = type_node.get("gender")
        terms = list(element.iter(f"{CSL_NS}term"))
        if any(t.get("name") == "ordinal" for t in terms):
            # CSL 1.0.1 ordinals defined here replace all earlier ones
            for key in self.ordinal_keys:
                self.terms.pop(key, None)
            self.ordinal_keys = set()
            self.ordinals = None
        ordinals: dict[str, dict[str, dict[str, str]]] = {
            "last-digit": {},
            "last-two-digits": {},
            "whole-number": {},
        }
        toggle = False
        gendered: set[str] = set()
        for term in terms:
            name = term.get("name") or ""
            if name == "sub verbo":
                name = "sub-verbo"
            if name.startswith("ordinal"):
                if name == "ordinal":
                    toggle = True
                else:
                    stub = name[8:]
                    match = term.get("match") or (
                        "last-digit" if stub[:1] == "0" else "last-two-digits"
                    )
                    if stub[:1] == "0":
                        stub = stub[1:]
                    gender_form = term.get("gender-form") or "neuter"
                    ordinals.setdefault(match, {}).setdefault(stub, {})[gender_form] = name
                self.ordinal_keys.add(name)
            entry = self.terms.setdefault(name, {})
            form = term.get("form") or "long"
            if term.get("gender"):
                self.noun_genders[name] = term.get("gender")
            gender_form = term.get("gender-form")
            if gender_form:
                target = entry.setdefault(gender_form, {})
                gendered.add(name)
            else:
                target = entry
            single = term.find(f"{CSL_NS}single")
            multiple = term.find(f"{CSL_NS}multiple")
            if multiple is not None:
                target[form] = (_text(single), _text(multiple))
            else:
                target[form] = _text(term)
        self.terms.setdefault("supplement", {}).setdefault("long", ("supplement", "supplements"))
        if toggle:
            for name in gendered:
                entry = self.terms[name]
                if not any(key not in GENDERS for key in entry):
                    source = entry.get("feminine") or entry.get("masculine") or {}
                    for form, value in source.items():
                        entry[form] = value
            self.ordinals = ordinals
        for entry in self.terms.values():
            for gender in GENDERS:
                if gender in entry:
                    for form, value in entry.items():
                        if form not in GENDERS and form not in entry[gender]:
                            entry[gender][form] = value
        for options in element.iter(f"{CSL_NS}style-options"):
            for name, value in options.attrib.items():
                if name in ("punctuation-in-quote", "limit-day-ordinals-to-day-1"):
                    self.options[name] = value == "true"
                elif name in ("skip-words", "leading-noise-words"):
                    self.options[name] = [w.strip() for w in value.split(",")]
        for date in element.iter(f"{CSL_NS}date"):
            if date.get("form"):
                self.dates[date.get("form")] = date

    def finish(self) -> None:
        """Defaults citeproc-js fills in for delimiters a locale may leave out."""
        if "page-range-delimiter" not in self.terms:
            dash = "-" if self.lang[:2].lower() in ("fr", "pt") else "\u2013"
            self.terms["page-range-delimiter"] = {"long": dash}
        self.terms.setdefault("year-range-delimiter", {"long": "\u2013"})
        self.terms.setdefault("citation-range-delimiter", {"long": "\u2013"})

    # --- look-ups -------------------------------------------------------------------

    def term(self, name: str, form: str = "long", plural: bool = False,
             gender: str | None = None) -> str | None:  # fmt: skip
        """The term text, or None when the locale does not define it (CSL 1.0.2 "Terms")."""
        key = (name, form, plural, gender)
        if key in self._cache:
            return self._cache[key]
        entry = self.terms.get(name)
        value: str | None = None
        if entry is not None:
            forms = _FORM_FALLBACK.get(form, (form, "long"))
            scopes = [entry]
            if gender and gender in entry:
                scopes.insert(0, entry[gender])
            found = None
            for wanted in forms:
                for scope in scopes:
                    if wanted in scope:
                        found = scope[wanted]
                        break
                if found is not None:
                    break
            if isinstance(found, tuple):
                value = found[1] if plural else found[0]
            elif found is not None:
                value = found
        if value is None and name == "range-delimiter":
            value = "\u2013"
        self._cache[key] = value
        return value

    def text(self, name: str, form: str = "long", plural: bool = False,
             gender: str | None = None) -> str:  # fmt: skip
        return self.term(name, form, plural, gender) or ""

    def ordinal(self, number: int, gender: str | None = None) -> str:
        """``1st``, ``2nd``, ``1er``: CSL 1.0.2 "Ordinal Suffixes"."""
        text = str(number)
        suffix = self.text("ordinal", "long", False, gender)
        if self.ordinals is not None:
            for try_gender in (*((gender,) if gender else ()), "neuter"):
                for match, key in (
                    ("whole-number", text),
                    ("last-two-digits", text[-2:]),
                    ("last-digit", text[-1:]),
                ):
                    names = self.ordinals[match].get(key)
                    if names and try_gender in names:
                        suffix = self.text(names[try_gender], "long", False, gender)
                        break
                if suffix:
                    break
        else:
            suffixes = [self.term(f"ordinal-0{i}", "long", False, gender) for i in range(1, 5)]
            if any(s is None for s in suffixes):
                suffixes = [self.text(f"ordinal-0{i}") for i in range(1, 5)]
            if (number // 10) % 10 == 1 or 10 < number < 20:
                suffix = suffixes[3] or ""
            elif number % 10 == 1 and number % 100 != 11:
                suffix = suffixes[0] or ""
            elif number % 10 == 2 and number % 100 != 12:
                suffix = suffixes[1] or ""
            elif number % 10 == 3 and number % 100 != 13:
                suffix = suffixes[2] or ""
            else:
                suffix = suffixes[3] or ""
        return text + suffix

    def long_ordinal(self, number: int, gender: str | None = None) -> str:
        """``first``…``tenth``; larger numbers as ordinals (CSL 1.0.2 "long-ordinal")."""
        key = f"long-ordinal-{number:02d}" if number < 10 else f"long-ordinal-{number}"
        value = self.term(key, "long", False, gender)
        return value if value else self.ordinal(number, gender)


def build_locale(
    lang: str,
    files: Iterable[Any],
    style_locales: list[Any],
    bare: str,
    base: str,
) -> Locale:
    """Merge locale-file roots, then the style's ``cs:locale`` elements, in citeproc-js order."""
    locale = Locale(lang)
    for root in files:
        locale.merge(root)
    by_lang: dict[str | None, Any] = {}
    for element in style_locales:
        by_lang.setdefault(element.get(XML_LANG), element)
    order: list[str | None] = [None, bare]
    if base != lang:
        order.append(base)
    order.append(lang)
    for key in order:
        element = by_lang.get(key)
        if element is not None:
            locale.merge(element)
    locale.finish()
    return locale
