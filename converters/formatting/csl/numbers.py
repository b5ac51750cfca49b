"""Numbers in CSL: numeric tests, plurals, ranges, page-range formats, ordinals and roman numerals.

CSL 1.0.2 "Number" and "is-numeric": a variable is numeric when it holds
numbers joined by ``,``, ``&``, ``and`` or a hyphen (``12``, ``2-5``,
``12, 14 & 16``, ``2nd``); labels count plural when it holds more than one.
Ranges are printed with the locale's ``page-range-delimiter`` and pages
abbreviated by the style's ``page-range-format`` (Appendix V). The parsing
follows citeproc-js, including its reading of labels written into a locator
or page (``p. 5``, ``sec. 3``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SUBDIVISIONS = {
    "vrs.": "verse",
    "sv.": "sub-verbo",
    "subpara.": "subparagraph",
    "op.": "opus",
    "subch.": "subchapter",
    "add.": "addendum",
    "amend.": "amendment",
    "annot.": "annotation",
    "app.": "appendix",
    "art.": "article",
    "bibliog.": "bibliography",
    "bk.": "book",
    "ch.": "chapter",
    "cl.": "clause",
    "col.": "column",
    "cmt.": "comment",
    "dec.": "decision",
    "dept.": "department",
    "ex.": "example",
    "fig.": "figure",
    "fld.": "field",
    "fol.": "folio",
    "n.": "note",
    "hypo.": "hypothetical",
    "illus.": "illustration",
    "intro.": "introduction",
    "l.": "line",
    "no.": "issue",
    "p.": "page",
    "pp.": "page",
    "para.": "paragraph",
    "pt.": "part",
    "pmbl.": "preamble",
    "princ.": "principle",
    "pub.": "publication",
    "r.": "rule",
    "rn.": "randnummer",
    "sched.": "schedule",
    "sec.": "section",
    "ser.": "series,",
    "subdiv.": "subdivision",
    "subsec.": "subsection",
    "supp.": "supplement",
    "tbl.": "table",
    "tit.": "title",
    "vol.": "volume",
}
SUBDIVISIONS_REVERSE = {v: k for k, v in SUBDIVISIONS.items() if k != "pp."}
SUBDIVISIONS_REVERSE["sub verbo"] = "sv."
SUBDIVISIONS_REVERSE["page"] = "p."

NUMERIC_VARIABLES = frozenset(
    (
        "call-number chapter-number collection-number division edition page issue locator "
        "locator-extra number number-of-pages number-of-volumes part-number printing-number "
        "section supplement-number version volume supplement citation-number"
    ).split()
)
RANGE_VARIABLES = frozenset(
    (
        "page chapter-number collection-number edition issue number number-of-pages "
        "number-of-volumes volume locator locator-extra"
    ).split()
)
_LABELS = (
    r"(?:[a-z]|[a-z][a-z]|[a-z][a-z][a-z]|[a-z][a-z][a-z][a-z]|subpara|subch|amend|bibliog"
    r"|annot|illus|princ|intro|sched|subdiv|subsec)"
)
_LABEL_MATCH = re.compile(rf"((?:^| ){_LABELS}(?:\.| ) *)")
_LABEL_SPLIT = re.compile(rf"(?:(?:^| ){_LABELS}(?:\.| ) *)")
_FIRST_WORD = re.compile(r"^([^ ]+)")
_PARTICLE_VALUE = re.compile(r"^([0-9]*[a-zA-Z]+0*)?([0-9]+(?:[a-zA-Z]*|[-,a-zA-Z]+))$")
_SUBSECTION = re.compile(
    r"^(?:(?:[a-z]|[a-z][a-z]|[a-z][a-z][a-z]|[a-z][a-z][a-z][a-z])\.  *)*[0-9]+[,a-zA-Z]+$"
)
_LETTERS = re.compile(r"^[,a-zA-Z]+$")
_DIGITS_THEN = re.compile(r"^[0-9]+([-;,:a-zA-Z]*)$")
_VALUE_SHAPE = re.compile(r"^[0-9]+([-,:a-zA-Z]*)$")
_MASTER_SHAPE = re.compile(r"^(?:[0-9]+|[ixv]+)([-,:a-zA-Z]*|\-[\-0-9]+)$")
_ROMAN = re.compile(r"^[ivxlcmIVXLCM]+$")
_NUMBER_OR_ROMAN = re.compile(r"^([0-9]+|[ivxlcmIVXLCM]+)$")
_LEADING_INT = re.compile(r"^\s*[-+]?\d+")
_RANGE_PARTS = re.compile(
    r"^((?:[0-9]*[a-zA-Z]+0*))?([0-9]+[a-z]*)(\s*[^0-9]+\s*)([-,a-zA-Z]?0*)([0-9]+[a-z]*)$"
)


def js_int(text: Any) -> int | None:
    """JavaScript ``parseInt``: the leading integer of a string, or None (NaN)."""
    match = _LEADING_INT.match(str(text))
    return int(match.group(0)) if match else None


@dataclass
class Part:
    """One number of a variable's value, with the label and joiner around it."""

    label: str | None = None
    orig_label: str = ""
    label_suffix: str = ""
    label_visible: bool = False
    sleepy: bool = False  # a leading page label that may be dropped
    particle: str = ""
    value: str = ""
    joiner: str = ""
    plural: bool = False
    numeric: bool = False
    collapsible: bool | None = None


@dataclass
class NumberInfo:
    """What citeproc-js keeps in ``shadow_numbers``: the parts, and whether the value is
    numeric, plural, and which label it carries."""

    parts: list[Part] = field(default_factory=list)
    numeric: bool = False
    collapsible: bool = False
    plural: bool = False
    label: str | None = None
    label_form: str | None = None
    label_capitalize_first: bool = False
    label_decorations: list[Any] | None = None
    ranged: bool = False  # ranges already formatted for a node


class NumberParser:
    """Splits variable values into :class:`Part` s (citeproc-js ``processNumber``)."""

    def __init__(self, locale: Any):
        self.locale = locale
        and_term = locale.text("and")
        full = r",\s+and\s+|\s+and\s+"
        if locale.lang[:2] != "en" and and_term:
            escaped = re.escape(and_term)
            full += rf"|,\s+{escaped}\s+|\s+{escaped}\s+"
        symbol = r"\s*&\s*"
        joiner = rf"{symbol}|{full}|;\s+|,\s+|\s*\\*[\-\u2013]+\s*"
        self.joiner_match = re.compile(f"({joiner})")
        self.joiner_match_plain = re.compile(f"({joiner.replace(chr(92) + '-', '')})")
        self.and_only = re.compile(f"^{symbol}$")
        ampersand = locale.text("and", "symbol")
        self.ampersand = "&" if ampersand == and_term else ampersand

    def _normalise(self, text: str, variable: str, label: str | None) -> str:
        text = text.strip()
        match = _FIRST_WORD.match(text)
        if match and match.group(1) not in SUBDIVISIONS:
            if variable in ("locator", "locator-extra", "page"):
                embedded = SUBDIVISIONS_REVERSE.get(label) if label else "p."
            else:
                embedded = SUBDIVISIONS_REVERSE.get(variable)
            if embedded:
                text = f"{embedded} {text}"
        return text

    def _part(
        self,
        orig_label: str,
        label: str,
        value: str,
        joiner: str | None,
        position: int | None,
        variable: str,
        real: str,
    ) -> Part:
        part = Part()
        if not label and variable not in SUBDIVISIONS_REVERSE:
            label = "var:" + variable
        if label:
            match = re.match(r"(\s*)([^\s]+)(\s*)", label)
            word = match.group(2) if match else label
            if real == "page" and position == 0 and word not in ("p.", "pp."):
                part.sleepy = True
                part.label_visible = True
            part.label = word
            part.orig_label = orig_label
            part.label_suffix = match.group(3) if match and match.group(3) else ""
        found = _PARTICLE_VALUE.match(value)
        if found:
            part.particle = found.group(1) or ""
            part.value = found.group(2)
        else:
            part.value = value
        part.joiner = re.sub(r"\s*-\s*", "-", joiner or "", count=1)
        return part

    def parse(self, value: str, variable: str, real: str, label: str | None) -> list[Part]:
        text = self._normalise(value, variable, label)
        if variable == "page" and "\u2013" in text:
            text = text.replace("\u2013", "-")
        if "\\-" in text:
            pieces = [p.replace("-", "\u2013") for p in text.split("\\-")]
            text = "\\-".join(pieces).replace("\\", "")
            match_rex = self.joiner_match_plain
        else:
            match_rex = self.joiner_match
        tokens = match_rex.split(text)
        values = tokens[0::2]
        joiners = tokens[1::2]
        elements: list[str] = []
        if joiners:
            for i, joiner in enumerate(joiners):
                if self.and_only.match(joiner):
                    if re.search(r"[a-zA-Z]$", values[i]) and re.match(r"^[a-zA-Z]", values[i]):
                        joiners[i] = self.ampersand
                    else:
                        joiners[i] = f" {self.ampersand} "
            for i in range(len(values) - 1):
                elements.append(values[i])
                elements.append(joiners[i])
            elements.append(values[-1])
            elements = _fix_subsections(elements)
        else:
            elements = [text]
        parts: list[Part] = []
        current_label = SUBDIVISIONS_REVERSE.get(variable, "")
        orig_label = ""
        for i in range(0, len(elements), 2):
            element = elements[i]
            following = elements[i + 1] if i + 1 < len(elements) else None
            found = _LABEL_MATCH.findall(element)
            if found:
                pieces = _LABEL_SPLIT.split(element)
                for j in range(len(pieces) - 1, 0, -1):
                    if pieces[j - 1] and (
                        not _DIGITS_THEN.match(pieces[j]) or not _DIGITS_THEN.match(pieces[j - 1])
                    ):
                        pieces[j - 1] = pieces[j - 1] + found[j - 1] + pieces[j]
                        del pieces[j]
                        del found[j - 1]
                if found:
                    slug = found[0].strip()
                    subdivision = SUBDIVISIONS.get(slug)
                    not_a_label = (
                        subdivision is None
                        or self.locale.term(subdivision) is None
                        or (
                            variable not in ("locator", "number", "locator-extra", "page")
                            and subdivision != variable
                        )
                    )
                    if not_a_label:
                        if i == 0:
                            del found[0]
                            pieces[0] = pieces[0] + " " + slug + " " + pieces[1]
                            del pieces[1]
                    else:
                        orig_label = slug
                for j, piece in enumerate(pieces):
                    if piece or j == len(pieces) - 1:
                        current_label = (
                            found[j - 1] if j >= 1 and j - 1 < len(found) else current_label
                        )
                        shown = "" if orig_label == current_label.strip() else orig_label
                        joiner = following if j == len(pieces) - 1 else None
                        parts.append(
                            self._part(
                                shown,
                                current_label,
                                piece.strip() if piece else "",
                                joiner,
                                i,
                                variable,
                                real,
                            )
                        )
            else:
                shown = "" if orig_label == current_label.strip() else orig_label
                parts.append(
                    self._part(shown, current_label, element, following, None, variable, real)
                )
        for i in range(len(parts) - 1):
            if not parts[i].joiner and parts[i + 1].label:
                parts[i].joiner = " "
        self._plurals_and_numerics(parts, variable, real)
        for part in parts:
            if not part.numeric:
                part.plural = False
        return parts

    def _plurals_and_numerics(self, parts: list[Part], variable: str, real: str) -> None:
        if not parts:
            return
        start = 0
        count = 1
        for i in range(1, len(parts)):
            if parts[i - 1].label == parts[i].label:
                count += 1
            else:
                self._fix_numeric(parts, start, count)
                if parts[i - 1].label != parts[i].label:
                    self._fix_label_visibility(parts, start, variable)
                start = i
                count = 1
        self._fix_numeric(parts, start, count)
        self._fix_label_visibility(parts, start, variable)

    def _fix_numeric(self, parts: list[Part], start: int, count: int) -> None:
        master = parts[start]
        value = master.value
        numeric = True
        collapsible = master.collapsible
        escaped = master.joiner == "\\-"
        shape = _VALUE_SHAPE.match(value)
        master_shape = _MASTER_SHAPE.match(value)
        if not value or not shape or not master_shape or escaped:
            collapsible = False
            if not value or not master_shape:
                numeric = False
            if escaped:
                count -= 1
        if (shape and shape.group(1)) or (master_shape and master_shape.group(1)):
            collapsible = False
        end = min(start + count, len(parts))
        if master.collapsible is None:
            # as citeproc-js: a fresh value is collapsible when it starts with a number
            for j in range(start, end):
                part = parts[j]
                part.collapsible = js_int(part.value) is not None or bool(_ROMAN.match(part.value))
            collapsible = master.collapsible
        for j in range(start, end):
            if count > 1 and collapsible:
                parts[j].plural = True
            parts[j].numeric = numeric
            parts[j].collapsible = bool(collapsible)

    def _fix_label_visibility(self, parts: list[Part], start: int, variable: str) -> None:
        label = parts[start].label or ""
        if label.startswith("var:"):
            return
        if start == 0:
            if variable in ("locator", "number", "locator-extra", "page"):
                subdivision = SUBDIVISIONS.get(label)
                if subdivision is None or self.locale.term(subdivision) is None:
                    parts[start].label_visible = True
            else:
                if SUBDIVISIONS.get(label) != variable:
                    parts[0].label_visible = True
        else:
            parts[start].label_visible = True

    def info(
        self, value: Any, variable: str, item_type: str, label: str | None = None
    ) -> NumberInfo:
        """Parse ``value`` of ``variable`` (``label``: the cite's locator label)."""
        real = variable
        variable = "page" if variable == "page-first" else variable
        info = NumberInfo()
        if value is None or value == "":
            return info
        text = str(value)
        if real == "number" and item_type == "legal_case":
            text = re.sub(r"[\\]*-", "\\\\-", text)
        parts = self.parse(text, variable, real, label)
        info.parts = parts
        if parts:
            first = parts[0]
            info.numeric = first.numeric
            info.collapsible = bool(first.collapsible)
            info.plural = first.plural
            info.label = SUBDIVISIONS.get(first.label or "")
            if variable == "number" and info.label == "issue" and self.locale.term("number"):
                info.label = "number"
        if variable.startswith("number-of-") and parts and parts[0].numeric:
            number = js_int(text)
            if number is not None and number > 1:
                parts[0].plural = True
                info.plural = True
        if variable == "number" and len(parts) == 1 and "|" in parts[0].value:
            parts[0].value = parts[0].value.replace("|", ", ")
            parts[0].numeric = info.numeric = True
            parts[0].plural = info.plural = True
            parts[0].collapsible = info.collapsible = False
        if len(parts) == 1 and re.match(r"^[0-9]+(?:/[0-9]+)+$", parts[0].value):
            parts[0].numeric = info.numeric = True
            parts[0].plural = info.plural = False
            parts[0].collapsible = info.collapsible = False
        if variable == "page" and parts and parts[0].sleepy:
            info.label_form = "short"
        return info


def _fix_subsections(elements: list[str]) -> list[str]:
    # "12a-c" is one value, not a range of "12a" and "c"
    i = len(elements) - 2
    while i > 0:
        if (
            elements[i] == "-"
            and _SUBSECTION.match(elements[i - 1])
            and _LETTERS.match(elements[i + 1])
        ):
            elements[i - 1] = "".join(elements[i - 1 : i + 2])
            del elements[i : i + 2]
        i -= 2
    return elements


# --- page ranges (CSL 1.0.2 Appendix V) ----------------------------------------------------

_RANGE = re.compile(
    r"([0-9]*[a-zA-Z]+0*)?([0-9]+[a-z]*)\s*(?:\u2013|-)\s*([0-9]*[a-zA-Z]+0*)?([0-9]+[a-z]*)"
)
_RANGE_IN_TEXT = re.compile(
    r"((?:[0-9]*[a-zA-Z]+0*)?[0-9]+[a-z]*\s+\-\s+(?:[0-9]*[a-zA-Z]+0*)?[0-9]+[a-z]*)"
)


class RangeFormatter:
    """citeproc-js's page-range "mangler" for one range type (page or year)."""

    def __init__(self, delimiter: str, range_format: str | None):
        self.delimiter = delimiter
        self.format = range_format

    def _listify(self, text: str) -> list[Any]:
        own = "" if self.delimiter == "-" else re.escape(self.delimiter)
        text = re.sub(f"([^\\\\])[-{own}\u2013]", r"\1 - ", text)
        text = re.sub(r"\s+-\s+", " - ", text)
        pieces = _RANGE_IN_TEXT.split(text)
        out: list[Any] = [pieces[0]]
        for i in range(1, len(pieces), 2):
            out.append(re.sub(r"\s*\-\s*", "-", pieces[i]))
            out.append(pieces[i + 1])
        return out

    def _expand(self, text: str) -> list[Any]:
        items = self._listify(text)
        for pos in range(1, len(items), 2):
            match = _RANGE.search(items[pos])
            if match:
                groups = list(match.groups())
                if not groups[2] or groups[0] == groups[2]:
                    if len(groups[3]) < len(groups[1]):
                        groups[3] = groups[1][: len(groups[1]) - len(groups[3])] + groups[3]
                    if (
                        int(groups[1]) < int(groups[3])
                        if groups[1].isdigit() and groups[3].isdigit()
                        else ((js_int(groups[1]) or 0) < (js_int(groups[3]) or 0))
                    ):
                        groups[2] = self.delimiter + (groups[0] or "")
                        items[pos] = [g or "" for g in groups]
            if isinstance(items[pos], str):
                items[pos] = items[pos].replace("-", self.delimiter)
        return items

    def _stringify(self, items: list[Any]) -> str:
        text = "".join("".join(i) if isinstance(i, list) else i for i in items)
        return re.sub(r"([^\\])\-", lambda m: m.group(1) + self.delimiter, text)

    def _minimize(self, items: list[Any], minchars: int = 0, is_year: bool = False) -> str:
        for i in range(1, len(items), 2):
            if isinstance(items[i], list):
                items[i][3] = _minimize_internal(items[i][1], items[i][3], minchars, is_year)
                if items[i][2][1:] == items[i][0]:
                    items[i][2] = self.delimiter
        return self._stringify(items)

    def _chicago(self, items: list[Any], sixteen: bool) -> str:
        last = None
        for pos in range(1, len(items), 2):
            if isinstance(items[pos], list):
                last = items[pos]
                begin = js_int(last[1]) or 0
                end = js_int(last[3]) or 0
                if sixteen:
                    digits = str(end)
                    if begin > 100 and begin % 100:
                        for i in range(2, len(digits)):
                            divisor = 10**i
                            if begin // divisor == end // divisor:
                                last[3] = str(end % divisor)
                                break
                elif begin > 100 and begin % 100 and begin // 100 == end // 100:
                    last[3] = str(end % 100)
                elif begin >= 10000:
                    last[3] = str(end % 1000)
            if last is not None and last[2][1:] == last[0]:
                last[2] = self.delimiter
        return self._stringify(items)

    def __call__(self, text: str, is_year: bool = False) -> str:
        items = self._expand(str(text))
        if self.format == "minimal":
            return self._minimize(items)
        if self.format == "minimal-two":
            return self._minimize(items, 2, is_year)
        if self.format in ("chicago", "chicago-15"):
            return self._chicago(items, False)
        if self.format == "chicago-16":
            return self._chicago(items, True)
        return self._stringify(items)


def _minimize_internal(begin: str, end: str, minchars: int, is_year: bool) -> str:
    b = list(str(begin))
    e = list(str(end))
    out = list(reversed(e))
    if len(b) == len(e):
        for i in range(len(b)):
            if b[i] == e[i] and len(out) > minchars:
                out.pop()
            else:
                if minchars and is_year and len(out) == 3:
                    front = list(reversed(b[:i]))
                    out = out + front
                break
    return "".join(reversed(out))


def fix_ranges(parts: list[Part], variable: str, real: str, locale: Any, page_format: Any,
               has_page_format: bool) -> None:  # fmt: skip
    """Turn hyphens between numbers into the locale's range delimiter, pages per the style's
    page-range-format (citeproc-js ``fixRanges``)."""
    if variable not in RANGE_VARIABLES:
        return
    label: str | None = None
    count = 0
    for i, part in enumerate(parts):
        if not part.collapsible:
            count = 0
            label = None
            part.joiner = _fix_delimiter(variable, part, part.joiner, part.numeric, locale)
        elif label == part.label and part.joiner == "-":
            count = 1
        elif label == part.label and part.joiner != "-":
            count += 1
            if count == 2:
                count = _mangle(parts, i, count, variable, locale, page_format, has_page_format)
        elif label != part.label:
            label = part.label
            count = 1
        else:
            count = 1
            label = part.label
    if count == 2:
        _mangle(parts, len(parts) - 1, count, variable, locale, page_format, has_page_format)


def _is_page(variable: str, part: Part) -> bool:
    return variable == "page" or (
        variable in ("locator", "locator-extra") and ("p." in (part.label, part.orig_label))
    )


def _has_term(variable: str, part: Part, locale: Any) -> bool:
    if variable in ("locator", "locator-extra", "page"):
        label = part.orig_label or part.label or ""
        name = SUBDIVISIONS.get(label)
        return bool(name and locale.term(name))
    return True


def _fix_delimiter(variable: str, part: Part, delimiter: str, numeric: bool, locale: Any) -> str:
    if _has_term(variable, part, locale) and delimiter == "-" and numeric:
        if _is_page(variable, part) or variable in (
            "locator",
            "locator-extra",
            "issue",
            "volume",
            "edition",
            "number",
        ):
            delimiter = locale.text("page-range-delimiter") or "\u2013"
        if variable == "collection-number":
            delimiter = locale.text("year-range-delimiter") or "\u2013"
    return delimiter


def _mangle(parts: list[Part], i: int, count: int, variable: str, locale: Any, page_format: Any,
            has_page_format: bool) -> int:  # fmt: skip
    if i < 1 or count != 2:
        return count
    first, second = parts[i - 1], parts[i]
    if first.particle != second.particle:
        return count
    if first.joiner != "-":
        return 1
    a, b = js_int(first.value), js_int(second.value)
    if not has_page_format and a is not None and b is not None and a > b:
        first.joiner = _fix_delimiter(variable, second, first.joiner, True, locale)
        return count
    if _is_page(variable, second) and a is not None and b is not None:
        text = page_format(f"{first.particle}{first.value} - {second.particle}{second.value}")
    else:
        if _NUMBER_OR_ROMAN.match(first.value) and _NUMBER_OR_ROMAN.match(second.value):
            first.joiner = locale.text("page-range-delimiter")
        text = first.value + first.joiner.replace("\\-", "-") + second.value
    match = _RANGE_PARTS.match(text)
    if match:
        first.particle = match.group(1) or ""
        first.value = match.group(2)
        first.joiner = _fix_delimiter(variable, second, match.group(3), second.numeric, locale)
        second.particle = match.group(4)
        second.value = match.group(5)
    return 0


# --- number forms ----------------------------------------------------------------------------

_ROMAN_DIGITS = (
    ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"),
    ("", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx", "xc"),
    ("", "c", "cc", "ccc", "cd", "d", "dc", "dcc", "dccc", "cm"),
    ("", "m", "mm", "mmm", "mmmm", "mmmmm"),
)


def roman(number: int) -> str:
    if number >= 6000 or number < 0:
        return ""
    digits = str(number)[::-1]
    return "".join(_ROMAN_DIGITS[i][int(d)] for i, d in reversed(list(enumerate(digits))))


def year_suffix(number: int) -> str:
    """0 → a, 25 → z, 26 → aa (citeproc-js Suffixator)."""
    number += 1
    key = ""
    while True:
        unit = number % 26 or 26
        key = chr(ord("a") + unit - 1) + key
        number = (number - unit) // 26
        if number == 0:
            return key
