"""CSL 1.0.2 "Text-case" on text that may hold rich-text tags and quotes.

The transforms work on raw field text, before its tags become formatting:
tags, quotes and punctuation split the text into words, text inside
``nocase``, small-caps, ``<sub>`` and ``<sup>`` spans is left alone, and title
case follows the rules citeproc-js applies (the locale's stop words stay lower
case unless first, last or after a colon, question or exclamation mark;
words that already hold a capital letter are kept as written). Characters
after an unmatched quotation mark are restored as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TAG_SPLIT = re.compile(
    "(\u2018|\u2019|\u201c|\u201d| \"| '|\"|'|[-\u2013\u2014/.,;?!:]|\\[|\\]|\\(|\\)"
    '|<span style="font-variant: small-caps;">|<span class="no(?:case|decor)">|</span>'
    "|</?(?:i|sc|b|sub|sup)>)"
)
_NORMALISE = (
    (re.compile(r'(<span)\s+(class="no(?:case|decor)")[^>]*(>)'), r"\1 \2\3"),
    (re.compile(r'(<span)\s+(style="font-variant:)\s*(small-caps);?(")[^>]*(>)'), r"\1 \2 \3;\4\5"),
)
_PROTECTING = {
    '<span style="font-variant: small-caps;">': "</span>",
    '<span class="nocase">': "</span>",
    '<span class="nodecor">': "</span>",
    "<sc>": "</sc>",
    "<sub>": "</sub>",
    "<sup>": "</sup>",
}
_WORD_SPLIT = re.compile("([\u00a0\u0020\u2000-\u200b\u205f\u3000]+)")
_QUOTE_PARAMS = {
    ' "': (" '", '"'),
    " '": (' "', "'"),
    "\u2018": ("\u2018", "\u2019"),
    "\u201c": ("\u201c", "\u201d"),
}
_QUOTE_TAG = re.compile("(^(?:\u2018|\u2019|\u201c|\u201d|\"|')|(?: \"| ')$)")
_FIRST_CHAR = re.compile(r"^(\s*)(.)(.*)$", re.DOTALL)
_GREEK = re.compile("^[\u0370-\u03ff]$")


def _split(text: str) -> tuple[list[str], list[str], list[str]]:
    """(tags, strings, original strings) as citeproc-js's Doppeler splits them."""
    if "<span" in text:
        for pattern, replacement in _NORMALISE:
            text = pattern.sub(replacement, text)
    pieces = _TAG_SPLIT.split(text)
    strings = pieces[0::2]
    tags = pieces[1::2]
    for i in range(len(tags) - 1, -1, -1):
        if tags[i] == "'" and strings[i + 1]:
            # an apostrophe inside a word is not a tag
            strings[i + 1] = "'" + strings[i + 1]
            tags[i] = ""
    return tags, strings, list(strings)


def _join(tags: list[str], strings: list[str]) -> str:
    out = [strings[0]]
    for tag, string in zip(tags, strings[1:], strict=True):
        out.append(tag)
        out.append(string)
    return "".join(out)


_TURKIC_UPPER = str.maketrans({"i": "\u0130"})
_TURKIC_LOWER = str.maketrans({"I": "\u0131", "\u0130": "i"})


def upper(text: str, turkic: bool = False) -> str:
    """Upper case; Turkish and Azeri dot the capital of i (CSL "locale-aware" casing)."""
    return (text.translate(_TURKIC_UPPER) if turkic else text).upper()


def lower(text: str, turkic: bool = False) -> str:
    return (text.translate(_TURKIC_LOWER) if turkic else text).lower()


def capitalise(word: str, turkic: bool = False) -> str:
    match = _FIRST_CHAR.match(word)
    if match and not (_GREEK.match(match.group(2)) and not match.group(3)):
        return match.group(1) + upper(match.group(2), turkic) + match.group(3)
    return word


class _Engine:
    """citeproc-js's text-case state machine; subclasses say how words change."""

    quotes = True  # whether quote marks are tracked (and restored when unmatched)
    after_punctuation: bool | None = None
    first: bool | None = None

    def __init__(self, turkic: bool = False) -> None:
        self.turkic = turkic
        self.last_word: tuple[int, int] | None = None
        self.quote_state: list[dict[str, object]] = []

    def words(self, text: str, index: int, following: object) -> str:
        raise NotImplementedError

    def _try_open(self, tag: str, pos: int) -> int | None:
        if not self.quote_state or tag == self.quote_state[-1]["opener"]:
            opener, closer = _QUOTE_PARAMS[tag]
            self.quote_state.append({"opener": opener, "closer": closer, "pos": pos})
            return None
        previous = self.quote_state.pop()["pos"]
        opener, closer = _QUOTE_PARAMS[tag]
        self.quote_state.append({"opener": opener, "closer": closer, "pos": None})
        return previous  # type: ignore[return-value]

    def _quote_fix(self, tag: str, pos: int) -> int | None:
        match = _QUOTE_TAG.search(tag)
        if not match:
            return None
        quote = match.group(1)
        if quote in ("\u201c", "\u2018", ' "', " '"):
            return self._try_open(quote, pos)
        if self.quote_state and quote == self.quote_state[-1]["closer"]:
            self.quote_state.pop()
            return None
        return pos

    def run(self, text: str, skip_words: re.Pattern[str] | None = None) -> str:
        if not text:
            return ""
        self.skip_words = skip_words
        tags, strings, originals = _split(text)
        if strings and strings[0].strip():
            strings[0] = self.words(strings[0], 0, tags[0] if tags else None)
        protected: list[str] = []
        for i, tag in enumerate(tags):
            following = strings[i + 1]
            if tag in _PROTECTING:
                protected.append(_PROTECTING[tag])
            elif protected and tag == protected[-1]:
                protected.pop()
            if self.after_punctuation is not None and tag[-1:] in ("!", "?", ":"):
                self.after_punctuation = True
            if not protected:
                # citeproc-js passes its split object where the following tag belongs
                strings[i + 1] = self.words(following, i + 1, object())
            elif strings[i + 1].strip():
                self.last_word = None
            if self.quotes:
                fix = self._quote_fix(tag, i)
                if fix is not None:
                    strings[fix + 1] = originals[fix + 1][:1] + strings[fix + 1][1:]
                    self.last_word = None
            if self.first and following.strip():
                self.first = False
            if self.after_punctuation and following.strip():
                self.after_punctuation = False
        if self.quotes:
            for state in self.quote_state:
                pos = state["pos"]
                if pos is not None:
                    strings[pos + 1] = originals[pos + 1][:1] + strings[pos + 1][1:]  # type: ignore[operator]
        if self.last_word is not None and skip_words is not None:
            index, position = self.last_word
            pieces = _WORD_SPLIT.split(strings[index])
            word = pieces[position * 2]
            if len(word) > 1 and skip_words.search(word.lower()):
                pieces[position * 2] = capitalise(word)
            strings[index] = "".join(pieces)
        return _join(tags, strings)


class _Lowercase(_Engine):
    quotes = False

    def words(self, text: str, index: int, following: object) -> str:
        return " ".join(lower(w, self.turkic) if w else w for w in text.split(" "))


class _Uppercase(_Engine):
    quotes = False

    def words(self, text: str, index: int, following: object) -> str:
        return " ".join(upper(w, self.turkic) if w else w for w in text.split(" "))


class _Sentence(_Engine):
    first = True

    def words(self, text: str, index: int, following: object) -> str:
        words = text.split(" ")
        for i, word in enumerate(words):
            if word:
                if self.first:
                    words[i] = capitalise(word, self.turkic)
                    self.first = False
                else:
                    words[i] = lower(word, self.turkic)
        return " ".join(words)


class _Title(_Engine):
    first = True
    after_punctuation = False

    def words(self, text: str, index: int, following: object) -> str:
        if not text.strip():
            return text
        pieces = _WORD_SPLIT.split(text)
        count = (len(pieces) + 1) // 2
        for j in range(count):
            word = pieces[j * 2]
            if not word:
                continue
            lower = word.lower()
            capital = False
            if (
                (len(word) > 1 and not (self.skip_words and self.skip_words.search(lower)))
                or (j == count - 1 and following == "-")
                or self.first
                or self.after_punctuation
            ):
                capital = True
            if capital and word == lower:
                pieces[j * 2] = capitalise(word)
            self.after_punctuation = False
            self.first = False
            self.last_word = (index, j)
        return "".join(pieces)


class _CapitalizeFirst(_Engine):
    first = True

    def words(self, text: str, index: int, following: object) -> str:
        pieces = _WORD_SPLIT.split(text)
        for j in range(0, len(pieces), 2):
            word = pieces[j]
            if word and self.first:
                if word == word.lower():
                    pieces[j] = capitalise(word)
                self.first = False
                break
        return "".join(pieces)


class _CapitalizeAll(_Engine):
    def words(self, text: str, index: int, following: object) -> str:
        pieces = _WORD_SPLIT.split(text)
        for j in range(0, len(pieces), 2):
            word = pieces[j]
            if word and word == word.lower():
                pieces[j] = capitalise(word)
        return "".join(pieces)


_ENGINES: dict[str, type[_Engine]] = {
    "lowercase": _Lowercase,
    "uppercase": _Uppercase,
    "sentence": _Sentence,
    "title": _Title,
    "capitalize-first": _CapitalizeFirst,
    "capitalize-all": _CapitalizeAll,
}


def skip_words_pattern(words: list[str]) -> re.Pattern[str]:
    """The stop-word test citeproc-js builds from a locale's skip words."""
    alternatives = "|".join(re.escape(w).replace("\\.", ".") for w in words)
    return re.compile(f"(?:(?:[?!:]*\\s+|-|^)(?:{alternatives})(?=[!?:]*\\s+|-|$))")


def apply(
    case: str, text: str, skip_words: re.Pattern[str] | None = None, turkic: bool = False
) -> str:
    """Apply the CSL text-case ``case`` (``passthrough`` and unknown values change nothing);
    ``turkic``: the item's language is Turkish or Azeri."""
    engine = _ENGINES.get(case)
    if engine is None or not text:
        return text
    return engine(turkic).run(text, skip_words if case == "title" else None)


def function(case: str | None, skip_words: re.Pattern[str] | None) -> Callable[[str], str] | None:
    if not case or case not in _ENGINES:
        return None
    return lambda text: apply(case, text, skip_words)
