"""Personal and corporate names from free text → CSL name objects.

Aggregators write author lists as one string: ``"Hong Liu, GuoWei Wang"``
(given name first), ``"Liu, Hong; Wang, GuoWei"`` (family first), ``"Smith J,
Jones KA"`` (PubMed style), ``"张三, 李四"``, ending in ``et al.`` or ``等``.
This module turns such strings into ``[{"family", "given", ...}]`` or
``[{"literal"}]`` for organisations.
"""

from __future__ import annotations

import re
import unicodedata

from .model import Name
from .patterns import lazy_pattern

# Lower-case words that join the family name ("Ludwig van Beethoven"); as in
# citeproc-js they become the non-dropping particle.
PARTICLES = frozenset(
    "van von de del della delle dei der den des di da das do dos du la las le les lo los "
    "ter ten te op het in 't zu zum zur af av bin ibn al el y e st. saint ".split()
)
# Capitalised, these start a compound family name rather than being a particle.
FAMILY_PREFIXES = frozenset(
    "de di da del della dei des du la le lo van von der den ter ten dos das "
    "abdel abdul abu al el ben bin ibn ní nic ó mac mc st. saint san santa".split()
)
SUFFIXES = frozenset(
    "jr jr. sr sr. ii iii iv vi vii viii ix 2nd 3rd 4th phd ph.d. md m.d. esq esq. ".split()
)
_LONGEST_SUFFIX = max(map(len, SUFFIXES))
# Words that make a name an organisation ("World Health Organization").
_CORPORATE_WORDS = frozenset(
    "group groups consortium collaboration collaborative collaborators committee "
    "organization organisation association society institute institution network "
    "investigators team council working task force university universität université "
    "ministry foundation centre center agency department board alliance federation "
    "programme program initiative project panel commission office trust company inc inc. "
    "ltd ltd. llc corporation corp corp. laboratory laboratories hospital authors writing "
    "study studies registry unit agency bureau academy service services partnership forum ".split()
)
# Two-character Chinese family names; any other CJK name splits after one character.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 "
    "夏侯 轩辕 令狐 端木 西门 南宫 独孤 百里 呼延 万俟 闻人 澹台 "
    "公冶 宗政 濮阳 太叔 申屠 钟离 拓跋 司空 ".split()
)
# compiled on first use (core/patterns.py): most name lists need none of these
_ET_AL = lazy_pattern(
    r"(?:[,;]?\s*(?:et\.?\s*al\.?|and\s+others|et\s+alii|u\.\s*a\.)|\s*[,，、]?\s*等(?:人)?\.?"
    r"|\s*[,;]?\s*\.\.\.|\s*…)\s*$",
    re.IGNORECASE,
)
_LIST_SEPARATORS = lazy_pattern(r",|\s+and\s+|\s+&\s+")
_INITIALS = lazy_pattern(r"^(?:[A-Z][a-z]?\.?[\s-]*){1,4}$")
_KANA = lazy_pattern("[\u3040-\u30ff]")
_WORD_EDGE = lazy_pattern(r"[\s,;:()\[\]/\"]+")
_PUNCTUATION = lazy_pattern(r"[,;:()\[\]/\"]")
_DIGIT = lazy_pattern(r"\d")


_CJK = (
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"  # ideographs
    "\uac00-\ud7af"  # Hangul syllables
)


# the astral-plane range takes ~10 ms to compile
_CJK_NAME = lazy_pattern(f"[{_CJK}][{_CJK}·・.\\s]*")


_FIRST_CJK = "\u3040"  # the lowest character in _CJK: below it, no character is CJK
# UTF-8 lead bytes below 0xE3 encode characters below U+3000 (< _FIRST_CJK)
_BELOW_E3 = bytes(range(0xE3))


def _may_hold_cjk(text: str) -> bool:
    """False when no character of text can be CJK (a byte-level test, ~1 ns a character)."""
    return bool(text.encode("utf-8", "surrogatepass").translate(None, _BELOW_E3))


# any of: a digit, "&", or punctuation that splits words (one scan instead of three)
_CORPORATE_HINT = re.compile(r'[\d&,;:()\[\]/"]')


def _has_kana(text: str) -> bool:
    return _KANA.search(text) is not None


def is_cjk_name(text: str) -> bool:
    return not text.isascii() and _CJK_NAME.fullmatch(text.strip()) is not None


def is_corporate(text: str) -> bool:
    """Organisation words ("Consortium", "Ministry"), digits or "&" mark an organisation."""
    if _CORPORATE_HINT.search(text) is None:  # no digit, "&" or punctuation: split on spaces
        return not _CORPORATE_WORDS.isdisjoint(text.lower().split())
    if "&" in text or _DIGIT.search(text):
        return True
    lower = text.lower()
    if "," in lower:  # the usual punctuation ("Family, Given"): a space splits the same
        lower = lower.replace(",", " ")
    words = _WORD_EDGE.split(lower) if _PUNCTUATION.search(lower) else lower.split()
    return not _CORPORATE_WORDS.isdisjoint(words)


def _cjk_name(text: str) -> Name:
    parts = text.split()
    if len(parts) == 2:  # written family first, as CJK names are
        return {"family": parts[0], "given": parts[1]}
    compact = "".join(parts)
    if _has_kana(compact) or len(compact) < 2 or len(compact) > 4:
        return {"literal": compact}
    cut = 2 if compact[:2] in _COMPOUND_SURNAMES and len(compact) > 2 else 1
    return {"family": compact[:cut], "given": compact[cut:]}


def _is_particle(word: str) -> bool:
    return word in PARTICLES or (
        word.endswith(("'", "’")) and word[:-1].islower() and len(word) <= 3
    )


def _is_initials(word: str) -> bool:
    """PubMed-style initials: ``J``, ``JA``, ``JAK``."""
    return len(word) <= 3 and word.isupper() and word.isalpha()


def parse_given_first(text: str) -> Name:
    """``"Ludwig van Beethoven"``, ``"Martin Luther King Jr."``, ``"Smith JA"`` → a name."""
    text = text.strip().strip(",")
    if not text:
        return {}
    if not text.isascii() and is_cjk_name(text):
        return _cjk_name(text)
    if is_corporate(text):
        return {"literal": text}
    return _personal_given_first(text)


def _personal_given_first(text: str) -> Name:
    """:func:`parse_given_first` for a trimmed text known to be neither CJK nor corporate."""
    words = text.replace(",", " ").split() if "," in text else text.split()
    suffix = ""
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix = words.pop()
    if len(words) == 1:
        name: Name = {"family": words[0]}
    elif len(words) == 2:  # the most common shape: _is_particle and _is_initials inline
        first, last = words
        if first in PARTICLES or (
            first.endswith(("'", "’")) and first[:-1].islower() and len(first) <= 3
        ):  # "van Gogh"
            name = {"family": last, "non-dropping-particle": first}
        elif (len(last) <= 3 and last.isupper() and last.isalpha() and not first.isupper()) or (
            len(first) > 1 and first.isupper() and not first.endswith(".") and not last.isupper()
        ):
            name = {"family": first, "given": last}  # PubMed's "Smith JA", or "LIU Hong"
        else:
            name = {"family": last, "given": first}
    elif (
        len(words[0]) > 1
        and words[0].isupper()
        and not words[0].endswith(".")  # "K. Jarrod Millman": an initial, not "LIU Xiao Ming"
        and not any(w.isupper() for w in words[1:])
    ):
        name = {"family": words[0], "given": " ".join(words[1:])}  # "LIU Xiao Ming"
    else:
        last = len(words) - 1
        start = 1
        while start < last and not _is_particle(words[start]):
            start += 1
        end = start
        while end < last and _is_particle(words[end]):
            end += 1
        if end == start:
            # no lower-case particle: a capitalised prefix belongs to the family name
            # itself ("Giulia De Luca", "Erwan Le Gall", "S. Abdel Khalek")
            while start > 1 and words[start - 1].lower() in FAMILY_PREFIXES:
                start -= 1
            end = start
        name = {"family": " ".join(words[end:]), "given": " ".join(words[:start])}
        if end > start:
            name["non-dropping-particle"] = " ".join(words[start:end])
    if suffix:
        name["suffix"] = suffix
    return name


def parse_family_first(family: str, given: str = "", suffix: str = "") -> Name:
    """``"van der Berg", "Jan"`` → family ``Berg``, particle ``van der``, given ``Jan``."""
    family, given, suffix = family.strip(), given.strip(), suffix.strip()
    if not given and not suffix:
        if is_cjk_name(family):
            return _cjk_name(family)
        if is_corporate(family):
            return {"literal": family}
    words = family.split()
    name: Name = {}
    split = 0
    while split < len(words) - 1 and _is_particle(words[split]):
        split += 1
    name["family"] = " ".join(words[split:])
    if given:
        name["given"] = given
    if split:
        name["non-dropping-particle"] = " ".join(words[:split])
    if suffix:
        name["suffix"] = suffix
    return name


def parse_name(text: str) -> Name:
    """One name in either order: ``"Family, Given[, Suffix]"`` or ``"Given Family"``."""
    if "," in text and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        # the usual "Family, Given" and "van der Family, Given" (no suffix, no second
        # comma, no organisation): what the general code below makes of them, sooner
        family, _, given = text.partition(",")
        family, given = family.strip(), given.strip()
        if given and "," not in given and given.lower() not in SUFFIXES:
            if family.isalpha():
                if not is_corporate(text):
                    return {"family": family, "given": given}
            else:
                words = family.split()
                if (
                    len(words) > 1
                    and words[-1].isalpha()
                    and all(word in PARTICLES for word in words[:-1])
                    and not is_corporate(text)
                ):
                    return {
                        "family": words[-1],
                        "given": given,
                        "non-dropping-particle": " ".join(words[:-1]),
                    }
    text = unicodedata.normalize("NFC", text).strip()
    if text.count(",") >= 1 and not is_corporate(text):
        parts = [p.strip() for p in text.split(",")]
        if len(parts) == 2 and parts[1].lower() in SUFFIXES:
            name = parse_given_first(parts[0])
            name["suffix"] = parts[1]
            return name
        suffix = parts[2] if len(parts) > 2 else ""
        return parse_family_first(parts[0], parts[1], suffix)
    return parse_given_first(text)


def split_name_list(text: str | None) -> tuple[list[Name], bool]:
    """An author string → (names, truncated); ``truncated`` when it ended in "et al."."""
    if not text or not text.strip():
        return [], False
    text = unicodedata.normalize("NFC", text).strip()
    truncated = False
    while True:
        # the marker can only be at the end: search a short tail, not the whole list
        tail_start = max(0, len(text) - 24)
        tail = text[tail_start:].lower()
        # a cheap test before the et-al pattern: almost no list's tail has any of these
        if not (
            "al" in tail
            or "等" in tail
            or "other" in tail
            or "..." in tail
            or "…" in tail
            or "a." in tail
        ):
            break
        match = _ET_AL.search(text, tail_start)
        if match is None:
            break
        text, truncated = text[: match.start()].strip(), True
    text = text.replace("，", ",").replace("、", ",").replace("；", ";")
    if not text:
        return [], truncated
    if ";" in text:
        names = [parse_name(part) for part in text.split(";") if part.strip()]
        return [n for n in names if n], truncated
    plain_commas = " and " not in text and "&" not in text
    pieces = text.split(",") if plain_commas else _LIST_SEPARATORS.split(text)
    parts = [p for p in map(str.strip, pieces) if p]
    # a suffix after a comma belongs to the name before it: "Martin Luther King, Jr."
    merged: list[str] = []
    if not parts or min(map(len, parts)) > _LONGEST_SUFFIX:  # no part can be a suffix
        merged = parts
    else:
        for part in parts:
            if merged and part.lower() in SUFFIXES:
                merged[-1] = f"{merged[-1]}, {part}"
            else:
                merged.append(part)
    if _is_family_given_pairs(merged):
        return [
            parse_family_first(merged[i], merged[i + 1]) for i in range(0, len(merged), 2)
        ], truncated
    # Checked once for the whole list rather than name by name: with no CJK character and
    # no organisation word or hint anywhere, no name in it is CJK or an organisation.
    parse = _personal_given_first if _all_personal(text) else parse_given_first
    names = []
    for part in merged:
        if ", " in part:  # "Given Family, Jr." kept together above
            given_family, suffix = part.rsplit(", ", 1)
            name = parse_given_first(given_family)
            name["suffix"] = suffix
        else:
            name = parse(part)
        if name:
            names.append(name)
    return names, truncated


def _all_personal(text: str) -> bool:
    """No name in this list (split at commas, "and", "&") is CJK or an organisation."""
    if not text.isascii() and _may_hold_cjk(text):
        return False
    words = text.replace(",", " ")
    return _CORPORATE_HINT.search(words) is None and _CORPORATE_WORDS.isdisjoint(
        words.lower().split()
    )


def _is_family_given_pairs(parts: list[str]) -> bool:
    """``["Smith", "J.", "Jones", "K. L."]``: family names alternating with initials."""
    if len(parts) < 2 or len(parts) % 2:
        return False
    initials = _INITIALS.match
    if not initials(parts[1]):  # the usual list: its second name is no initials
        return False
    families, givens = parts[0::2], parts[1::2]
    return all(initials(g) for g in givens) and not any(
        initials(f) and len(f) <= 3 for f in families
    )
