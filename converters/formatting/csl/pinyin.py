"""Han characters in the pinyin order of the Chinese (zh, zh-CN) collation.

CSL 1.0.2 "Sorting" leaves the comparison of strings to the locale; citeproc-js, the
reference, compares sort keys with ``localeCompare(a, b, lang)``, which for Chinese
locales other than the traditional ones (zh-TW, zh-HK, zh-MO: stroke order) is ICU's
CLDR "pinyin" collation: Han characters come first, before Latin, each Han character
ordered by its main reading (syllable letters, then tone 1–4, neutral last), characters
without a reading after the others.

:func:`han_unit` turns one Han character into a short string with that order, made of
code points below every letter, so that it can stand in a plain string comparison next
to Latin text. The readings come from pypinyin's single-character table (imported on
the first Han character only). Characters that share a reading and tone are ordered by
code point; ICU orders them by the CLDR list, so such homophones may differ.
"""

from __future__ import annotations

import functools
import unicodedata

# The stand-in uses the code points 0x01-0x20 only, which sort below every character the
# collation key keeps and occur nowhere else in it: tones 1-4 and neutral (0x01-0x05, just
# below the letters, so that "tian" < "tiang"), the syllable letters a-z (0x06-0x1F; ü is
# written v, as in pinyin input, which keeps lü after lu and luo), and 0x20 before the
# character itself for one without a reading (after every reading, before Latin letters).
_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_NEUTRAL = 5
_LETTERS = {letter: chr(0x06 + index) for index, letter in enumerate("abcdefghijklmnopqrstuvwxyz")}
_NO_READING = "\x20"
STAND_IN_MAX = "\x20"

_HAN_RANGES = (
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3134F),  # extensions B-G
)


def is_han(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN_RANGES)


_READINGS: dict[int, str] | None = None


def _readings() -> dict[int, str]:
    """pypinyin's table of single-character readings (code point → "rén,..."), the first
    reading being the common one. Without pypinyin it is empty and Han characters keep
    code-point order among themselves (still before Latin)."""
    global _READINGS
    if _READINGS is None:
        try:
            from pypinyin.pinyin_dict import pinyin_dict
        except ImportError:  # pragma: no cover - pypinyin is a dependency
            return {}
        _READINGS = pinyin_dict
    return _READINGS


@functools.lru_cache(maxsize=8192)
def han_unit(char: str) -> str:
    """The collation stand-in for one Han character (see the module notes)."""
    reading = _readings().get(ord(char))
    if not reading:
        return _NO_READING + char
    syllable = unicodedata.normalize("NFD", reading.split(",")[0])
    tone = _NEUTRAL
    letters = []
    for mark in syllable:
        if mark in _TONE_MARKS:
            tone = _TONE_MARKS[mark]
        elif mark == "\u0308":  # the diaeresis of ü
            if letters and letters[-1] == _LETTERS["u"]:
                letters[-1] = _LETTERS["v"]
        elif mark in _LETTERS:
            letters.append(_LETTERS[mark])
    return "".join(letters) + chr(tone) + char


def uses_pinyin(lang: str) -> bool:
    """Whether ICU's collation for ``lang`` is the pinyin one: every Chinese locale but
    the traditional-script ones, which collate by stroke count."""
    parts = lang.lower().replace("_", "-").split("-")
    if parts[0] != "zh":
        return False
    return not ({"tw", "hk", "mo", "hant"} & set(parts[1:]))
