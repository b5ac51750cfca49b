"""``cs:date``: localized and style-defined dates, ranges, seasons, literals, year-suffix.

CSL 1.0.2 "Date": a date with ``form`` takes the locale's date format (its
date-parts, their affixes and delimiters, which the style's ``cs:date-part``
children may override) and the style's prefix, suffix and display; a date
without ``form`` is built from the style's own ``cs:date-part`` elements. A
range prints the parts that differ on both sides of the range delimiter
(``May 3–5, 2000``, ``May 3, 2000–June 4, 2001``). A year-suffix assigned by
disambiguation follows the year when the style does not print the
``year-suffix`` variable itself.
"""

from __future__ import annotations

from typing import Any

from . import nodes
from .nodes import Element, Fmt, Render

_PARTS = ("year", "month", "day")


class DatePart:
    """``cs:date-part`` (name, form, range-delimiter and formatting)."""

    __slots__ = ("attrib", "fmt", "form", "name", "range_delimiter")

    def __init__(self, attrib: dict[str, str]):
        self.attrib = dict(attrib)
        self.name = attrib.get("name", "")
        self.form = attrib.get("form") or ("long" if self.name != "day" else "numeric")
        if self.name == "month" and "form" not in attrib:
            self.form = "long"
        if self.name == "year" and "form" not in attrib:
            self.form = "long"
        self.range_delimiter = attrib.get("range-delimiter")
        self.fmt = Fmt(attrib)


class Date(Element):
    """A compiled ``cs:date``."""

    __slots__ = ("date_parts", "localized", "part_names", "parts", "variable")
    kind = "date"

    def __init__(self, attrib: dict[str, str], parts: list[DatePart]):
        super().__init__(attrib)
        self.variable = attrib.get("variable", "").split()[0] if attrib.get("variable") else ""
        self.parts = parts
        self.part_names = [p.name for p in parts]
        self.localized = attrib.get("form")
        self.date_parts = attrib.get("date-parts")

    def render(self, r: Render) -> None:
        token = r.begin(self)
        pushed = nodes.trace_begin(r, "date")
        try:
            self._render(r)
        finally:
            nodes.trace_end(r, pushed)
        r.end(self, token)

    def _has_output(self, date: Any) -> bool:
        if not isinstance(date, dict):
            return False
        if date.get("literal"):
            return True
        parts = date.get("date-parts") or []
        first = parts[0] if parts else []
        for i, name in enumerate(_PARTS):
            if name in self.part_names and i < len(first) and first[i]:
                return True
        return bool("month" in self.part_names and date.get("season"))

    def _render(self, r: Render) -> None:
        live = r.live_variables((self.variable,)) if self.variable else []
        variable = live[0] if live else None
        date = r.item.get(variable) if variable else None
        found = self._has_output(date) if date is not None else False
        r.mark_variables(self, live, found)
        if variable is None or not isinstance(date, dict):
            return
        if r.sorting and r.macro_with_date:
            key = date_key(date, self.part_names)
            if key:
                r.append(key, nodes.EMPTY_FMT, date_key=True)
            return
        if r.just_looking and variable == "accessed":
            # citeproc-js leaves the accessed date out of the cites it compares for
            # disambiguation: two items differing only in it get year-suffixes
            return
        values = expand(date)
        r.open(self.fmt)
        try:
            self._render_parts(r, values)
        finally:
            r.close()

    @property
    def variables(self) -> tuple[str, ...]:
        return (self.variable,) if self.variable else ()

    def _collapse_at(self, values: dict[str, Any]) -> list[str]:
        ranged = [
            p
            for p in _PARTS
            if p in self.part_names
            and (p + "_end" in values or (p == "month" and "season_end" in values))
        ]
        position = 2
        for index, part in enumerate(ranged):
            if values.get(part) != values.get(part + "_end"):
                position = index
                break
        return ranged[position:]

    def _render_parts(self, r: Render, values: dict[str, Any]) -> None:
        collapse_at = self._collapse_at(values)
        done: list[str] = []
        # the end of a range, built beside the start (citeproc-js "dateput")
        end_blob = nodes.Blob([], "", "", self.fmt.delimiter, list(self.fmt.decorations))
        end_levels: list[Any] = []
        locale = r.locale
        options = r.area_context.options
        for part in self.parts:
            name = part.name
            done.append(name)
            r.probably_rendered_something = True
            if values.get("literal") and name == "year":
                r.append(values["literal"], part.fmt)
            value = values.get(name)
            value_end = values.get(name + "_end")
            if name == "year" and value == 0 and not r.suppress_decorations:
                value = False
            invoked = options.collapse in ("year-suffix", "year-suffix-ranged")
            if not r.suppress_decorations and r.context.disambiguate_add_year_suffix and invoked:
                r.years_used.append(value)
                last = r.cluster.last_years_used
                seen = len(r.years_used)
                if len(last) >= seen and r.have_collapsed and last[seen - 1] == value:
                    value = False
            if value is not None:
                bc = ad = bc_end = ad_end = ""
                if name == "year":
                    value, bc, ad = _year_era(value, locale)
                    if value_end is not None:
                        value_end, bc_end, ad_end = _year_era(value_end, locale)
                month_key = (
                    f"month-{values.get('month') or 0:02d}"
                    if isinstance(values.get("month"), int)
                    else "month-undefined"
                )
                gender = locale.noun_genders.get(month_key)
                form = form_end = part.form
                if (
                    name == "day"
                    and form == "ordinal"
                    and locale.options["limit-day-ordinals-to-day-1"]
                ):
                    if value != 1:
                        form = "numeric"
                    if value_end != 1:
                        form_end = "numeric"
                text = _format(r, part, form, gender, value)
                text_end = _format(r, part, form_end, gender, value_end)
                level = r.open()
                if collapse_at:
                    if all(p in done for p in collapse_at):
                        if str(text_end) != "0" and text_end is not None:
                            if (
                                r.context.year_range_format
                                and r.context.year_range_format != "expanded"
                                and (
                                    name == "year"
                                    and not values.get("day")
                                    and not values.get("month")
                                    and not values.get("season")
                                    and text
                                    and text_end
                                )
                            ):
                                formatted = r.context.year_formatter(f"{text}-{text_end}", True)
                                delimiter = locale.text("year-range-delimiter")
                                text_end = formatted[formatted.find(delimiter) + 1 :]
                            blob = _leaf(r, text_end, part.fmt)
                            if blob is not None:
                                end_blob.blobs.append(blob)
                            if end_blob.blobs:
                                end_blob.blobs[0].prefix = ""
                        start = r.append(text, part.fmt)
                        if level.blobs:
                            level.blobs[-1].suffix = ""
                        elif start is not None:
                            start.suffix = ""
                        if part.range_delimiter:
                            r.append(part.range_delimiter)
                        else:
                            r.append(locale.text("year-range-delimiter"))
                        if end_blob.blobs:
                            level.blobs.append(end_blob)
                        end_blob = nodes.Blob(
                            [], "", "", self.fmt.delimiter, list(self.fmt.decorations)
                        )
                        end_levels = []
                        collapse_at = []
                    else:
                        r.append(text, part.fmt)
                        if name in collapse_at and str(text_end) != "0" and text_end is not None:
                            inner = nodes.Blob([])
                            blob = _leaf(r, text_end, part.fmt)
                            if blob is not None:
                                inner.blobs.append(blob)
                                if not end_blob.blobs:
                                    blob.prefix = ""
                            if bc_end:
                                inner.blobs.append(nodes.Blob(bc_end))
                            if ad_end:
                                inner.blobs.append(nodes.Blob(ad_end))
                            end_blob.blobs.append(inner)
                            end_levels.append(inner)
                else:
                    r.append(text, part.fmt)
                if bc:
                    r.append(bc)
                if ad:
                    r.append(ad)
                r.close()
            elif name == "month" and values.get("season"):
                season = str(values["season"])
                if season in ("1", "2", "3", "4"):
                    r.frame.variable_success = True
                    r.append(locale.text(f"season-0{season}"), part.fmt)
                else:
                    r.append(season, part.fmt)
            if (
                name == "year"
                and (value or r.have_collapsed)
                and not r.context.has_year_suffix_variable
                and not r.just_looking
                and not r.sorting
                and r.disambig.year_suffix is not None
                and not r.has_done_year_suffix
            ):
                r.has_done_year_suffix = True
                blob = nodes.year_suffix_blob(r, part.fmt, r.disambig.year_suffix)
                blob.delimiter_done = True
                r.add(blob)


def _leaf(r: Render, text: Any, fmt: Fmt) -> Any:
    """A blob for the end of a range, built like an appended string but kept aside."""
    if text is None or text is False:
        return None
    holder = nodes.Blob([])
    r.stack.append(holder)
    try:
        r.append(text, fmt, not_serious=True)
    finally:
        r.stack.pop()
    return holder.blobs[0] if holder.blobs else None


def _year_era(value: Any, locale: Any) -> tuple[Any, str, str]:
    """(year as printed, BC term, AD term): CSL 1.0.2 "Date-part" puts the locale's "bc"
    after a negative year (printed without its sign) and "ad" after years 1 to 499."""
    number = _int(value)
    if number is not None and number < 0:
        return -number, locale.text("bc"), ""
    if number is not None and 0 < number < 500:
        return value, "", locale.text("ad")
    return value, "", ""


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _format(r: Render, part: DatePart, form: str, gender: str | None, value: Any) -> Any:
    if value is None or value is False or value == "":
        if part.name == "year" and value is False:
            return ""
        return value
    name = part.name
    locale = r.locale
    if name == "year":
        if form == "short":
            text = str(value)
            return text[2:] if len(text) == 4 else None
        return str(value)
    if name == "month":
        number = _int(value) or 0
        stub = "month-"
        if form in ("long", "short"):
            if number < 1 or number > 24:
                return ""
            while number > 16:
                number -= 4
            if number > 12:
                stub = "season-"
                number -= 12
            text = locale.text(f"{stub}{number:02d}", "short" if form == "short" else "long")
        else:
            if number < 1 or number > 12:
                return ""
            text = str(number) if form == "numeric" else f"{number:02d}"
        if r.strip_periods or part.fmt.strip_periods:
            text = text.replace(".", "")
        return text
    if name == "day":
        number = _int(value)
        if number is None:
            return str(value)
        if form == "numeric-leading-zeros":
            return f"{number:02d}"
        if form == "ordinal":
            return locale.ordinal(number, gender)
        return str(number)
    return str(value)


def expand(date: dict[str, Any]) -> dict[str, Any]:
    """A CSL-JSON date as citeproc-js's flat date object (``year``, ``month_end``, ...)."""
    values: dict[str, Any] = {}
    parts = date.get("date-parts") or []
    for index, suffix in enumerate(("", "_end")):
        if index >= len(parts):
            break
        for position, name in enumerate(_PARTS):
            if position < len(parts[index]):
                number = _int(parts[index][position])
                if number is not None:
                    values[name + suffix] = number
    if date.get("season"):
        values["season"] = date["season"]
    if date.get("literal"):
        values["literal"] = date["literal"]
    if date.get("circa"):
        values["circa"] = True
    return values


def date_key(date: Any, part_names: list[str] | None = None) -> str:
    return sort_key(date, part_names)


def sort_key(date: Any, part_names: list[str] | None = None) -> str:
    """A date as citeproc-js sorts it: padded year, month, day, then the same for the end;
    an empty string for a date without a year (a literal date)."""
    if not isinstance(date, dict):
        return ""
    values = expand(date)
    if not values.get("year"):
        return ""
    names = part_names or list(_PARTS)
    out = []
    for name in ("year", "month", "day", "year_end", "month_end", "day_end"):
        base = name[:-4] if name.endswith("_end") else name
        value = values.get(name) if base in names else 0
        value = value or 0
        if base == "year":
            text = str(value)
            prefix = "1"
            if value < 0:
                prefix = "0"
                text = str(9999 - abs(value))
            else:
                text = text.rjust(4, "0")
            out.append((prefix + text).rjust(4, "0"))
        elif base == "month":
            out.append(f"{value:02d}" if 1 <= value <= 12 else "00")
        else:
            out.append(f"{value:02d}" if value else "00")
    return "".join(out)
