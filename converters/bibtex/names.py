"""The BibTeX name grammar, both ways.

Reading splits a names field at ``and`` and each name into First, von, Last and Jr
parts as ``bibtex`` does (biblatex's extended ``family=..., given=...`` form too);
writing gives ``von Last, Jr, First`` with whatever braces keep each part whole.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..core.fieldmap import Row
from ..core.model import CUSTOM_AUTHORS_TRUNCATED, Item, Name
from ..core.patterns import lazy_pattern
from ..core.text import strip_rich_text
from .latex import LATEX_SYNTAX, Macros, from_latex, latex_table

if TYPE_CHECKING:
    from .reader import ReadContext
    from .writer import WriteContext


AND_SEPARATOR = lazy_pattern(r"\s+and\s+", re.IGNORECASE)
_FOREIGN_LETTERS = {
    "oe": False,
    "ae": False,
    "aa": False,
    "o": False,
    "l": False,
    "ss": False,
    "i": False,
    "j": False,
    "OE": True,
    "AE": True,
    "AA": True,
    "O": True,
    "L": True,
}


_BRACE = lazy_pattern(r"[{}]")


def _depth0_matches(text: str, separator: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The matches of ``separator`` outside braces (a separator never contains a brace,
    so a match lies wholly inside or outside a group)."""
    braces = [(m.start(), 1 if m.group() == "{" else -1) for m in _BRACE.finditer(text)]
    index, depth = 0, 0
    for match in separator.finditer(text):
        while index < len(braces) and braces[index][0] < match.start():
            depth += braces[index][1]
            index += 1
        if depth == 0 and match.end() > match.start():
            yield match


def depth0_split(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split where ``separator`` matches outside braces."""
    if "{" not in text:
        return separator.split(text)
    parts, start = [], 0
    for match in _depth0_matches(text, separator):
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    return parts


# white space, ties and hyphens part a name's tokens; not the accent \~ nor the
# discretionary hyphen \- (Herm\"an\~n is one token, read as Hermänñ)
_TOKEN_SEPARATOR = lazy_pattern(r"(?:\s|(?<!\\)~)+|(?<!\\)-")
_COMMA = lazy_pattern(r",")


_SPACE_SEPARATOR = lazy_pattern(r"(?:\s|(?<!\\)~)+")


def _name_tokens(part: str, hyphens: bool) -> list[tuple[str, str]]:
    """(token, separator before it) pairs of one comma-free part of a name."""
    separator = _TOKEN_SEPARATOR if hyphens else _SPACE_SEPARATOR
    part = part.strip()
    if "{" not in part:  # no groups to keep whole: the separators are all there is
        pieces = separator.split(part)
        if len(pieces) == 1:
            return [(part, "")] if part else []
        separators = ["", *separator.findall(part)]
        return [(token, sep) for token, sep in zip(pieces, separators, strict=True) if token]
    tokens: list[tuple[str, str]] = []
    start, sep = 0, ""
    for match in _depth0_matches(part, separator):
        if match.start() > start:
            tokens.append((part[start : match.start()], sep))
        sep = match.group()
        start = match.end()
    if start < len(part):
        tokens.append((part[start:], sep))
    return tokens


def _is_lower(token: str) -> bool:
    """BibTeX's test for a "von" token: its first letter at brace depth 0 is lower-case."""
    depth = 0
    i = 0
    while i < len(token):
        char = token[i]
        if char == "{":
            if depth == 0 and token.startswith("{\\", i):
                match = re.match(r"\{\\([A-Za-z]+|.)\s*", token[i:])
                if match:
                    name = match.group(1)
                    if name in _FOREIGN_LETTERS:
                        return not _FOREIGN_LETTERS[name]
                    rest = token[i + match.end() :]
                    letter = next((c for c in rest if c.isalpha()), "")
                    return bool(letter) and letter.islower()
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isalpha():
            return char.islower()
        i += 1
    return False


def _join(tokens: list[tuple[str, str]]) -> str:
    out = []
    for index, (token, sep) in enumerate(tokens):
        if index:
            out.append("-" if sep == "-" else " ")
        out.append(token)
    return "".join(out)


def _single_group(text: str) -> bool:
    """``{World Health Organization}``: one brace group, not a special character."""
    if not (text.startswith("{") and text.endswith("}")) or text.startswith("{\\"):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True


# biblatex's extended name format (biblatex manual §3.4, biber manual §3.4):
# "family=Goethe, given=Johann Wolfgang, prefix=von, useprefix=false"
_EXTENDED_NAME = lazy_pattern(r"^\s*[A-Za-z][\w-]*\s*=")
_EXTENDED_PARTS = {"family": "family", "given": "given", "suffix": "suffix"}


def _parse_extended_name(source: str) -> tuple[dict[str, str], str | None]:
    parts: dict[str, str] = {}
    prefix, useprefix, ignored = "", None, []
    for piece in depth0_split(source, _COMMA):
        key, equals, value = piece.partition("=")
        key, value = key.strip().lower(), value.strip()
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1].strip()
        if not equals or not value:
            continue
        if key in _EXTENDED_PARTS:
            parts[_EXTENDED_PARTS[key]] = value
        elif key == "prefix":
            prefix = value
        elif key == "useprefix":
            useprefix = value.lower() in ("true", "1", "yes")
        else:
            ignored.append(key)  # given-i (initials), id, ...: CSL has no place for them
    if prefix:
        # useprefix=false (biblatex's default): "Goethe, Johann Wolfgang von" in lists and
        # "Goethe" in citations, CSL's dropping particle; true: "von Goethe" throughout
        drops = useprefix is False
        parts["dropping-particle" if drops else "non-dropping-particle"] = prefix
    problem = f"name parts {', '.join(ignored)} ignored in {source!r}" if ignored else None
    return parts, problem


def parse_bibtex_name(source: str) -> tuple[dict[str, str], str | None]:
    """One BibTeX name (LaTeX source) → (CSL name of LaTeX parts, problem or None)."""
    source = source.strip()
    if _single_group(source):
        return {"literal": source[1:-1]}, None
    if "=" in source and _EXTENDED_NAME.match(source):
        return _parse_extended_name(source)
    parts = [p.strip() for p in depth0_split(source, _COMMA)]
    problem = None
    if len(parts) > 3:
        problem = f"too many commas in name {source!r}; extra parts joined to the given name"
        parts = [parts[0], parts[1], ", ".join(parts[2:])]
    if len(parts) == 1:
        tokens = _name_tokens(parts[0], hyphens=True)
        if not tokens:
            return {}, None
        last_index = len(tokens) - 1
        von_start = next((i for i in range(last_index) if _is_lower(tokens[i][0])), None)
        if von_start is None:
            # BibTeX's Last is the last token and those hyphens join to it (bibtex.web
            # backs up "over hyphen-separated tokens"): Hashem El-Husseini
            last_start = last_index
            while last_start > 0 and tokens[last_start][1] == "-":
                last_start -= 1
            first, von, last = tokens[:last_start], [], tokens[last_start:]
        else:
            von_end = von_start
            for i in range(von_start, last_index):
                if _is_lower(tokens[i][0]):
                    von_end = i + 1
            first, von, last = tokens[:von_start], tokens[von_start:von_end], tokens[von_end:]
        jr: list[tuple[str, str]] = []
    else:
        tokens = _name_tokens(parts[0], hyphens=False)
        von_end = 0
        if tokens and _is_lower(tokens[0][0]):
            # a leading run of lower-case words is the particle ("van der Berg")
            while von_end < len(tokens) - 1 and _is_lower(tokens[von_end][0]):
                von_end += 1
        von, last = tokens[:von_end], tokens[von_end:]
        jr = _name_tokens(parts[1], hyphens=False) if len(parts) == 3 else []
        first = _name_tokens(parts[-1], hyphens=False)
    name: dict[str, str] = {}
    if last:
        name["family"] = _join(last)
    if first:
        name["given"] = _join(first)
    if von:
        name["non-dropping-particle"] = _join(von)
    if jr:
        name["suffix"] = _join(jr)
    return name, problem


# "Family, Given" with capitalised family words and no LaTeX: the common case, which
# needs none of BibTeX's name rules
_PLAIN_BIBTEX_NAME = lazy_pattern(
    r"((?:[a-z]+ )*)([^\s,]+(?: [^\s,]+)*), ([^\s,][^,]*[^\s,]|[^\s,])"
)
# a BibTeX special character: {\"u}, {\v{r}}, {\ss}, {\L}
# (captured: splitting at them gives text, special character, text, ...)
_SPECIAL_CHARACTER = lazy_pattern(r"(\{\\[^{}]*(?:\{[^{}]*\}[^{}]*)?\})")


def _special_character(group: str) -> str:
    """The letter a special character stands for, or the group itself when it is not
    one letter (so that reading it in place cannot change how the name splits)."""
    text = from_latex(group)
    return text if text.isalpha() else group


class _SpecialCharacters(dict[str, str]):
    """special character → :func:`_special_character`, worked out the first time it is met
    (a file uses a few, over and over)."""

    def __missing__(self, group: str) -> str:
        if len(self) >= 4096:
            self.clear()
        letter = self[group] = _special_character(group)
        return letter


_SPECIAL_CHARACTERS = _SpecialCharacters()


def decode_names(latex: str, ctx: ReadContext, field: str) -> tuple[list[Name], bool]:
    names: list[Name] = []
    truncated = False
    if "{\\" in latex:
        # a special character is one letter of the case of its letter, for BibTeX as
        # in Unicode: reading them first leaves most names without braces (fast)
        # (a split and a list, not a substitution: that calls back into Python for each)
        pieces = _SPECIAL_CHARACTER.split(latex)
        if len(pieces) > 1:
            letters = _SPECIAL_CHARACTERS
            pieces[1::2] = [letters[group] for group in pieces[1::2]]
            latex = "".join(pieces)
    plain_list = (
        not LATEX_SYNTAX.search(latex)
        and "  " not in latex
        and "\n" not in latex
        and "=" not in latex  # biblatex's extended name format: family=..., given=...
    )
    if plain_list and latex.isprintable() and latex.count("and") == latex.lower().count("and"):
        # only single spaces and only a lower-case "and": what AND_SEPARATOR splits at is " and "
        parts = latex.strip().split(" and ")
    else:
        parts = depth0_split(latex.strip(), AND_SEPARATOR)
    append = names.append
    for part in parts:
        if plain_list:
            # "Family, Given" (the parts of a plain list never start or end with space)
            family, comma, given = part.partition(", ")
            if comma and given and "," not in given and given[-1] != " ":
                if family.isalpha() and not family[0].islower():
                    append({"family": family, "given": given})
                    continue
                if " " in family and not given[0].isspace() and not given[-1].isspace():
                    # "van der Berg, Anna": lower-case ASCII words, then one capitalised
                    # word: what _PLAIN_BIBTEX_NAME reads below, without the expression
                    particle, _, last = family.rpartition(" ")
                    if (
                        last.isalpha()
                        and last[0].isupper()
                        and particle.isascii()
                        and particle.replace(" ", "").isalpha()
                        and particle.islower()
                        and "  " not in particle
                        and particle[0] != " "
                        and particle[-1] != " "
                    ):
                        append({"family": last, "given": given, "non-dropping-particle": particle})
                        continue
        part = part.strip()
        if not part:
            continue
        if len(part) == 6 and part.lower() == "others":
            truncated = True
            continue
        plain = _PLAIN_BIBTEX_NAME.fullmatch(part) if plain_list else None
        if plain is not None and all(w[:1].isupper() for w in plain.group(2).split(" ")):
            particle, family, given = plain.groups()
            if particle:
                append({"family": family, "given": given, "non-dropping-particle": particle[:-1]})
            else:
                append({"family": family, "given": given})
            continue
        if ctx.macros:
            name, problems = _read_name(part, ctx.macros)
        else:
            name, problems = _read_name_cached(part)
        for problem in problems:
            ctx.warn(f"{ctx.key!r} {field}: {problem}")
        if name:
            names.append(dict(name))
    return names, truncated


def _read_name(source: str, macros: Macros | None) -> tuple[Name, tuple[str, ...]]:
    """One BibTeX name → a CSL name with its parts decoded, and what could not be."""
    parsed, problem = parse_bibtex_name(source)
    problems = [problem] if problem else []
    name: Name = {}
    for key, value in parsed.items():
        text = strip_rich_text(from_latex(value, macros=macros, problems=problems)) if value else ""
        if text:
            name[key] = text
    return name, tuple(problems)


@functools.lru_cache(maxsize=16384)
def _read_name_cached(source: str) -> tuple[Name, tuple[str, ...]]:
    # the same names recur through a bibliography; callers copy the dict
    return _read_name(source, None)


AND_WORD = lazy_pattern(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


_SIMPLE_PART = lazy_pattern(r"[A-Za-z][A-Za-z .'-]*")


def _is_and(family: str, given: str) -> bool:
    """Is either name part the word "and" (which would split the name list)?"""
    return (len(family) == 3 and family.lower() == "and") or (
        len(given) == 3 and given.lower() == "and"
    )


def _name_part(text: str, ctx: WriteContext) -> str:
    if _SIMPLE_PART.fullmatch(text) and "--" not in text and "''" not in text:
        latex = text  # the common case: nothing to escape
    else:
        latex = ctx.latex(strip_rich_text(text))
    if "," in latex or (
        ("and" in latex or "AND" in latex or "And" in latex) and AND_WORD.search(latex)
    ):
        return "{" + latex + "}"
    if latex and not _NAME_TOKEN.search(latex):
        # only BibTeX's separators ("-", "~"): it would read an empty part ("comma at the end")
        return "{" + latex + "}"
    return latex


_NAME_TOKEN = lazy_pattern(r"[^\s~-]")


def _family_needs_braces(family: str) -> bool:
    """A lower-case word after the first would make BibTeX read the start as "von"."""
    words = family.split()
    return any(_is_lower(w) for w in words[1:-1]) and not _is_lower(words[0])


def _one_line(value: Any) -> str:
    if not value:
        return ""
    text = str(value)
    if not text.isprintable():  # control characters are white space (as escape_text has it)
        text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return " ".join(text.split())


# "Family, Given" made of capitalised words of letters (and . ' ’ - , no ligature pairs):
# no BibTeX name rule applies, only letters may need converting. By far the most names.
_PLAIN_WORD = r"[^\W\d_](?:[^\W_]|[.'’-](?![-'’]))*"
_PLAIN_PAIR = lazy_pattern(f"{_PLAIN_WORD}(?: {_PLAIN_WORD})*, {_PLAIN_WORD}(?: {_PLAIN_WORD})*")
_ASCII_WORD = r"[A-Za-z](?:[A-Za-z.]|[-'](?![-']))*"
_PLAIN_PAIR_ASCII = lazy_pattern(
    f"{_ASCII_WORD}(?: {_ASCII_WORD})*, {_ASCII_WORD}(?: {_ASCII_WORD})*"
)
_TRANSLATE_ASCII = latex_table(True)


_PLAIN_PARTICLE = lazy_pattern(r"[a-z]+(?: [a-z]+)*")


def _whole_name(text: str, ctx: WriteContext) -> str:
    """A name BibTeX takes as a whole (an organisation's): one brace group."""
    latex = ctx.latex(text)
    # "{\..." would be a special character to BibTeX, not an organisation's name
    return "{{}" + latex + "}" if latex.startswith("\\") else "{" + latex + "}"


def _name_to_bibtex(name: Any, ctx: WriteContext) -> str | None:
    latex = _name_parts_to_bibtex(name, ctx)
    if latex is not None and latex.count(",") > 2 and not _single_group(latex):
        # biber counts the commas inside braces too, and skips the entry for "too many
        # commas": a name with commas inside its parts is written as one group
        head = (name.get(k) for k in ("dropping-particle", "non-dropping-particle", "family"))
        parts = (" ".join(_one_line(p) for p in head if p), name.get("given"), name.get("suffix"))
        return _whole_name(", ".join(_one_line(part) for part in parts if part), ctx)
    return latex


def _name_parts_to_bibtex(name: Any, ctx: WriteContext) -> str | None:
    if type(name) is dict and 2 <= len(name) <= 3:
        family, given = name.get("family"), name.get("given")
        particle = name.get("non-dropping-particle") if len(name) == 3 else ""
        if type(family) is str and type(given) is str and type(particle) is str:
            # one word of letters each, the family's not lower-case: "Family, Given" as
            # it is; no BibTeX name rule can apply (the most common names by far)
            simple = (
                family.isalpha()
                and given.isalpha()
                and not family[0].islower()
                and (not particle or (particle.isalpha() and particle.islower()))
            )
            pair = f"{particle} {family}, {given}" if particle else f"{family}, {given}"
            if not simple and (
                not particle or (_PLAIN_PARTICLE.fullmatch(particle) and particle != "and")
            ):
                plain = _PLAIN_PAIR_ASCII if pair.isascii() else _PLAIN_PAIR
                simple = bool(plain.fullmatch(pair, len(particle) + 1 if particle else 0)) and (
                    pair.istitle() if not particle else f"{family}, {given}".istitle()
                )
            if simple and (particle == "and" or _is_and(family, given)):
                simple = False
            if simple:
                if not ctx.ascii_only or pair.isascii():
                    return pair
                # translated part by part (the same as the whole: one character at a time);
                # "" when a part is not NFC-normalised, and then neither is the pair
                latex = _ascii_name(family, given, particle, ctx)
                if latex:
                    return latex
    if isinstance(name, str):
        name = {"literal": name}
    if not isinstance(name, dict):
        return None
    family = _one_line(name.get("family"))
    given = _one_line(name.get("given"))
    literal = _one_line(name.get("literal"))
    if literal or not (family or given):
        if not literal:
            return None
        return _whole_name(strip_rich_text(literal), ctx)
    if not family:  # a name with a given name only ("Plato")
        family, given = given, ""
    particles = " ".join(
        _one_line(p) for p in (name.get("dropping-particle"), name.get("non-dropping-particle"))
    ).strip()
    family_latex = _name_part(family, ctx)
    if _family_needs_braces(family) and not family_latex.startswith("{"):
        family_latex = "{" + family_latex + "}"
    # a particle ending in ' or - is written against the family name: d'Alembert
    joint = "" if particles[-1:] in ("'", "\u2019", "-") else " "
    head = f"{_name_part(particles, ctx)}{joint}{family_latex}" if particles else family_latex
    suffix = _one_line(name.get("suffix"))
    if particles and (given or suffix) and "," in f"{family}{given}{suffix}":
        # with a particle, biber counts the commas inside braces too ("too many commas")
        head = _whole_name(f"{particles} {family}", ctx)
    if suffix and given:
        if "," in f"{family}{given}{suffix}":
            # biber counts commas inside braces too, and the three-part form then has "too
            # many commas": the suffix goes after the given name (BibTeX's two-part form)
            return f"{head}, {_name_part(f'{given} {suffix}', ctx)}"
        return f"{head}, {_name_part(suffix, ctx)}, {_name_part(given, ctx)}"
    if suffix:  # BibTeX has no place for a suffix without a given name
        return _whole_name(f"{particles} {family}, {suffix}".strip(), ctx)
    if given:
        return f"{head}, {_name_part(given, ctx)}"
    # No given name. "Family," would do in the grammar, but bibtex and biber reject a
    # trailing comma; without one, BibTeX reads the last word as the family name and lower-case
    # words before it as the particle, so a family of several words (or a hyphen) is braced,
    # and a particle that is not all lower case is braced with it (a name as a whole).
    if not re.fullmatch(r"[^\s~-]+", family) and not _single_group(family_latex):
        family_latex = "{" + family_latex + "}"
    if not particles:  # a name "others" alone would stand for "et al."
        return "{" + family_latex + "}" if family_latex.lower() == "others" else family_latex
    if all(_is_lower(word) for word in particles.split()):
        return f"{_name_part(particles, ctx)} {family_latex}"
    return _whole_name(f"{particles} {family}", ctx)


# name part → its LaTeX for ASCII output ("" when not NFC-normalised): given and family
# names recur through a bibliography, and translating one costs more than looking it up
_ASCII_NAME_PARTS: dict[str, str] = {}


def _ascii_name_part(part: str) -> str:
    latex = _ASCII_NAME_PARTS.get(part)
    if latex is None:
        if len(_ASCII_NAME_PARTS) >= 65536:
            _ASCII_NAME_PARTS.clear()
        latex = part.translate(_TRANSLATE_ASCII) if unicodedata.is_normalized("NFC", part) else ""
        _ASCII_NAME_PARTS[part] = latex
    return latex


def _ascii_name(family: str, given: str, particle: str, ctx: WriteContext) -> str:
    """A plain name (see encode_names) with non-ASCII letters, in ASCII output: what
    _name_to_bibtex makes of it, or "" when a part is not NFC-normalised."""
    family_latex = family if family.isascii() else _ascii_name_part(family)
    given_latex = given if given.isascii() else _ascii_name_part(given)
    particle_latex = particle if particle.isascii() else _ascii_name_part(particle)
    if not (family_latex and given_latex and (particle_latex or not particle)):
        return ""
    latex = (
        f"{particle_latex} {family_latex}, {given_latex}"
        if particle
        else f"{family_latex}, {given_latex}"
    )
    if not latex.isascii():
        ctx.unknown.update(char for char in latex if ord(char) > 127)
    return latex


def encode_names(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
    if not isinstance(value, list):
        return None
    names: list[str] = []
    append = names.append
    ascii_only = ctx.ascii_only
    for name in value:
        # the most common names by far, {"family": one word of letters, not lower-case,
        # "given": one word of letters} with perhaps a "non-dropping-particle" of one
        # lower-case word, are "[particle ]Family, Given" as they are (what _name_to_bibtex
        # gives them, non-ASCII letters translated one part at a time)
        if type(name) is dict:
            size = len(name)
            family = name.get("family")
            given = name.get("given")
            if size == 2:
                if (
                    type(family) is str
                    and type(given) is str
                    and family.isalpha()
                    and given.isalpha()
                    and not family[0].islower()
                    and (len(given) != 3 or given.lower() != "and")  # "X, and" splits
                ):
                    pair = f"{family}, {given}"
                    if not ascii_only or pair.isascii():
                        append(pair)
                        continue
                    latex = _ascii_name(family, given, "", ctx)
                    if latex:
                        append(latex)
                        continue
            elif size == 3:
                particle = name.get("non-dropping-particle")
                if (
                    type(family) is str
                    and type(given) is str
                    and type(particle) is str
                    and family.isalpha()
                    and given.isalpha()
                    and not family[0].islower()
                    and (len(given) != 3 or given.lower() != "and")  # "X, and" splits
                    and particle.isalpha()
                    and particle.islower()
                    and particle != "and"
                ):
                    pair = f"{particle} {family}, {given}"
                    if not ascii_only or pair.isascii():
                        append(pair)
                        continue
                    latex = _ascii_name(family, given, particle, ctx)
                    if latex:
                        append(latex)
                        continue
        text = _name_to_bibtex(name, ctx)
        if text:
            append(text)
    if not names:
        return None
    if row.variable == "author" and (item.get("custom") or {}).get(CUSTOM_AUTHORS_TRUNCATED):
        names.append("others")
    return " and ".join(names)
