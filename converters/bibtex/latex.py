"""Text ⇄ LaTeX for BibTeX-family formats.

Writing (:func:`to_latex`): CSL rich text (``<i>``, ``<b>``, ``<sub>``, ``<sup>``,
small caps and ``<span class="nocase">``) becomes LaTeX markup; every character
special to TeX or to BibTeX's brace counting is escaped, so a value can never
close its field or run a command; non-ASCII characters become LaTeX through
pylatexenc when asked (``ü`` → ``{\\"u}``, BibTeX's "special character" form),
and a character is only converted when pylatexenc's decoder reads the result
back to the same character and every command in it is one the LaTeX kernel
(with textcomp) defines. Anything else stays UTF-8 and is reported, never dropped.

Reading (:func:`from_latex`): LaTeX in a field value becomes Unicode CSL rich
text. Values without LaTeX syntax pass through untouched (the common case, and
the fast one); the rest goes through a small parser that knows BibTeX's brace
rules (a group opened by a command is a special character, any other group
protects case) and hands individual commands to pylatexenc.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from ..core.patterns import lazy_pattern
from ..core.text import NOCASE_SPAN, SMALL_CAPS_SPAN

# ---------------------------------------------------------------------------
# Writing: Unicode / CSL rich text → LaTeX

# ASCII characters TeX (or BibTeX's brace counting, which ignores backslashes)
# treats specially. Braces become commands, not \{ \}, because BibTeX would count
# the brace of "\{" and a lone one would unbalance the field.
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # math forms (see latex_for_char): Zotero's BibTeX import reads $<$, not \textless
    "<": "$<${}",
    ">": "$>${}",
    "|": "$|${}",
    "`": r"\textasciigrave{}",  # TeX prints ` as an opening quote
}
# Runs of characters TeX would join into a ligature ("--" is an en dash, '' a closing
# quote, ,, a low quote) are broken up with empty groups; en and em dashes, written as
# the -- and --- ligatures in ASCII output, join such runs too.
_LIGATURE_RUN = r"-{2,}|'{2,}|,{2,}"
_ASCII_SPECIAL = lazy_pattern(_LIGATURE_RUN + r"|[\\{}$%&#_~^<>|`]")
# ...plus a non-ASCII character, or a letter with combining marks no precomposed
# character has
_ASCII_OR_UNICODE_SPECIAL = lazy_pattern(
    r"[-–—]{2,}|'{2,}|,{2,}|[\\{}$%&#_~^<>|`]|[A-Za-z][\u0300-\u036f]+"
    r"|[^\x00-\x7f][\u0300-\u036f]*"
)
_DASH_FORMS = {"-": "-", "–": "--", "—": "---"}
# control characters, and the Unicode noncharacters, which biber refuses to read (as a
# whole file) in UTF-8 input
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17)
)
_CONTROL = lazy_pattern(r"[\x00-\x08\x0b-\x1f\x7f" + _NONCHARACTERS + "]")

# Commands a converted character may use: the LaTeX kernel's text accents and
# special letters, textcomp's text symbols (in the kernel since 2020), and the
# math symbols of the kernel's fonts through \ensuremath. pylatexenc also emits
# commands from other packages (tipa, T2A Cyrillic, amssymb, mathrsfs, ...);
# characters needing those stay UTF-8.
_TEXT_ACCENTS = "'`^\"~=.uvHckbdrt"
_ALLOWED_COMMANDS = frozenset(
    list(_TEXT_ACCENTS)
    + (
        "i j ss SS ae AE oe OE o O aa AA l L dh DH th TH dj DJ ng NG ij IJ "
        # textcomp / kernel text symbols
        "textexclamdown textquestiondown textcent textsterling textcurrency textyen "
        "textbrokenbar textsection textasciidieresis textcopyright textordfeminine "
        "textordmasculine guillemotleft guillemotright guilsinglleft guilsinglright "
        "textlnot textregistered textasciimacron textdegree texttwosuperior "
        "textthreesuperior textonesuperior textasciiacute textmu textparagraph "
        "textonequarter textonehalf textthreequarters texttimes textdiv textflorin "
        "textasciicaron textasciibreve textacutedbl textendash textemdash textquoteleft "
        "textquoteright quotesinglbase textquotedblleft textquotedblright quotedblbase "
        "textdagger textdaggerdbl textbullet textellipsis textperthousand "
        "textpertenthousand textreferencemark textinterrobang textfractionsolidus "
        "textasteriskcentered textdiscount textcolonmonetary textlira textnaira textwon "
        "textdong texteuro textpeso textcelsius textnumero textcircledP textrecipe "
        "textservicemark texttrademark textmho textestimated textleftarrow textuparrow "
        "textrightarrow textdownarrow textbaht textblank textvisiblespace textopenbullet "
        "textbigcircle textmusicalnote textcompwordmark textbardbl textcopyleft "
        # math symbols of the kernel fonts
        "ensuremath alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota "
        "kappa lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi "
        "chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega "
        "pm mp times div cdot ast star circ bullet leq geq neq approx equiv sim simeq cong "
        "propto infty partial nabla forall exists in ni subset supset subseteq supseteq "
        "cap cup wedge vee oplus ominus otimes oslash odot perp parallel mid leftarrow "
        "rightarrow leftrightarrow Leftarrow Rightarrow Leftrightarrow uparrow downarrow "
        "updownarrow Uparrow Downarrow Updownarrow mapsto longleftarrow longrightarrow "
        "longleftrightarrow Longleftarrow Longrightarrow Longleftrightarrow nearrow "
        "searrow swarrow nwarrow hookleftarrow hookrightarrow leftharpoonup "
        "leftharpoondown rightharpoonup rightharpoondown rightleftharpoons hbar ell wp Re "
        "Im aleph sum prod coprod int oint surd angle langle rangle lceil rceil lfloor "
        "rfloor ll gg prec succ preceq succeq sqsubseteq sqsupseteq sqcap sqcup vdash "
        "dashv top bot models smile frown ldots cdots vdots ddots diamond triangleleft "
        "triangleright bigtriangleup bigtriangledown wr amalg uplus asymp bowtie doteq "
        "flat natural sharp clubsuit diamondsuit heartsuit spadesuit neg emptyset "
        "bigcap bigcup bigvee bigwedge bigoplus bigotimes bigodot biguplus bigsqcup "
        "lhd rhd unlhd unrhd"
    ).split()
)
_COMMAND_NAME = lazy_pattern(r"\\([A-Za-z]+|.)")


def _pylatexenc_encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="none",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


@functools.cache
def _encoder():
    return _pylatexenc_encoder()


@functools.cache
def _accent_for_mark() -> dict[str, str]:
    """Combining mark → the text accent command pylatexenc reads as that mark."""
    table: dict[str, str] = {}
    for command in _TEXT_ACCENTS:
        decoded = unicodedata.normalize("NFD", _decode_piece(f"\\{command}{{o}}"))
        if len(decoded) == 2 and decoded[0] == "o":
            table.setdefault(decoded[1], command)
    return table


# Forms preferred over pylatexenc's: the dash ligatures; the textcomp symbols (in the
# kernel since 2020) that Zotero's BibTeX import and pandoc 3 read ({\textsection}, not
# {\S}, as Zotero's export writes them); the kernel's {\dots} and {\P}, which pandoc
# reads and not \textellipsis or \textparagraph.
_PREFERRED = {
    "–": "--",
    "—": "---",
    "…": "{\\dots}",
    "§": "{\\textsection}",
    "¶": "{\\P}",
    "©": "{\\textcopyright}",
    "£": "{\\textsterling}",
}


_ENSUREMATH = lazy_pattern(r"\\ensuremath\{(\\[A-Za-z]+)\}")
_LETTER_ACCENT = lazy_pattern(r"^(\\[A-Z])\{([A-Za-z])\}$")


@functools.cache
def latex_for_char(char: str) -> str | None:
    """The LaTeX form of one non-ASCII character (or a letter followed by combining
    marks), or ``None`` when it has no safe one.

    The result is in BibTeX's special-character form (``{\\"u}``), so BibTeX
    sorts, case-changes and abbreviates it as the letter it stands for.
    """
    preferred = _PREFERRED.get(char)
    if preferred is not None:
        return preferred
    candidate = _encoder().unicode_to_latex(char) if len(char) == 1 else char
    # an accented i or j: \'i rather than \'\i (same glyph; more readers know it)
    candidate = re.sub(r"^(\\[^A-Za-z]|\\[A-Za-z]\{?)\\([ij])(?![A-Za-z])", r"\1\2", candidate)
    if (
        candidate != char
        and candidate.isascii()
        and all(name in _ALLOWED_COMMANDS for name in _COMMAND_NAME.findall(candidate))
        and _decode_piece(candidate) == char
    ):
        # the spellings Zotero's BibTeX import decodes (and its export writes): $\beta$
        # rather than \ensuremath{\beta}, {\H o} rather than {\H{o}}. The empty group
        # keeps two formulas from making $$; \Sigma stays a special character, whose
        # command name BibTeX never lower-cases (it would make $\sigma$ of $\Sigma$)
        math = _ENSUREMATH.fullmatch(candidate)
        if math and math.group(1).islower():
            return f"${math.group(1)}${{}}"
        candidate = _LETTER_ACCENT.sub(r"\1 \2", candidate)
        return f"{{{candidate}}}" if candidate.startswith("\\") else candidate
    decomposed = unicodedata.normalize("NFD", char)
    marks = _accent_for_mark()
    if (
        len(decomposed) > 1
        and decomposed[0].isascii()
        and decomposed[0].isalpha()
        and all(mark in marks for mark in decomposed[1:])
    ):
        inner = decomposed[0]
        for mark in decomposed[1:]:
            inner = f"\\{marks[mark]}{{{inner}}}"
        inner = _LETTER_ACCENT.sub(r"\1 \2", inner)
        if _decode_piece(inner) == char:
            return f"{{{inner}}}"
    return None


def _escape(match: re.Match[str], ascii_only: bool, unknown: set[str] | None) -> str:
    text = match.group()
    escaped = _ESCAPES.get(text)
    if escaped is not None:
        return escaped
    if len(text) > 1 and text[0] in "-–—',":
        if ascii_only:
            return "{}".join(_DASH_FORMS.get(char, char) for char in text)
        return "{}".join(text)
    latex = latex_for_char(text) if ascii_only else None
    if latex is None:
        if unknown is not None and ascii_only:
            unknown.add(text)
        return text
    return latex


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


_SPECIAL_CHARS = "\\{}$%&#_~^<>|`"
_COMBINING = lazy_pattern(r"[\u0300-\u036f]")


_UNSAFE_BYTES = (_SPECIAL_CHARS + "".join(map(chr, [*range(9), *range(11, 32), 127]))).encode()
_SAFE_SHORT = lazy_pattern(r"[^\x00-\x1f\x7f\\{}$%&#_~^<>|`'\-,]*")


def _needs_escape(text: str, ascii_only: bool) -> bool:
    """Does ``text`` hold anything :func:`escape_text` would change? (a regular expression
    decides short values fastest; ``in`` tests, long ones such as abstracts)"""
    ascii_text = text.isascii()
    if ascii_text:
        if len(text) < 120:
            if _SAFE_SHORT.fullmatch(text):
                return False
        else:
            # long ASCII text (abstracts): one pass deletes every special or control
            # character; the ligature runs are looked for only where their character is
            return (
                len(text.encode().translate(None, _UNSAFE_BYTES)) != len(text)
                or ("-" in text and "--" in text)
                or ("'" in text and "''" in text)
                or ("," in text and ",," in text)
            )
    if ascii_only and not ascii_text:
        return True
    for char in _SPECIAL_CHARS:
        if char in text:
            return True
    if "--" in text or "''" in text or ",," in text:
        return True
    if not text.isprintable() and _CONTROL.search(text):
        return True
    return not ascii_text and bool(_COMBINING.search(text))


class _CharTable(dict):
    """A ``str.translate`` table: TeX's special ASCII characters, and (for ASCII output)
    each other character's LaTeX form, worked out the first time it is met."""

    def __init__(self, ascii_only: bool):
        super().__init__({code: chr(code) for code in range(128)})
        self.update({ord(char): latex for char, latex in _ESCAPES.items()})
        self.ascii_only = ascii_only

    def __missing__(self, code: int) -> str:
        char = chr(code)
        latex = latex_for_char(char) if self.ascii_only else None
        self[code] = latex or char  # no LaTeX form: the character stays (and is reported)
        return self[code]


_TABLES = {True: _CharTable(True), False: _CharTable(False)}


def latex_table(ascii_only: bool = True) -> dict[int, str]:
    """The ``str.translate`` table :func:`escape_text` uses for single characters."""
    return _TABLES[ascii_only]


_DASH_RUN = lazy_pattern(r"[-–—][–—]|[–—]-")


def escape_text(text: str, *, ascii_only: bool = True, unknown: set[str] | None = None) -> str:
    """Plain text → LaTeX that typesets as ``text``; no markup is interpreted.

    With ``ascii_only``, non-ASCII characters become LaTeX where that is safe;
    those that stay UTF-8 are added to ``unknown``.
    """
    if not _needs_escape(text, ascii_only):
        return text
    if not text.isprintable() and _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    ascii_text = text.isascii()
    if not ascii_text and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if (
        "--" in text
        or "''" in text
        or ",," in text
        or (not ascii_text and _needs_context(text, ascii_only))
    ):
        # ligature runs and combining marks depend on their neighbours
        pattern = _ASCII_OR_UNICODE_SPECIAL if ascii_only and not ascii_text else _ASCII_SPECIAL
        escaped = pattern.sub(lambda m: _escape(m, ascii_only, unknown), text)
    else:
        escaped = text.translate(_TABLES[ascii_only])
        if ascii_only and unknown is not None and not escaped.isascii():
            unknown.update(char for char in escaped if ord(char) > 127)
    if ("{" in text or "}" in text) and _balanced(text):
        # balanced braces may be \{ \}: BibTeX counts them, but they pair up
        escaped = escaped.replace(r"\textbraceleft{}", r"\{").replace(r"\textbraceright{}", r"\}")
    return escaped


def _needs_context(text: str, ascii_only: bool) -> bool:
    if ascii_only and ("–" in text or "—" in text) and _DASH_RUN.search(text):
        return True
    return bool(_COMBINING.search(text))


# A word whose capitals a lower-casing style must keep: an acronym or a word with
# capitals after its first letter (DNA, mRNA, GuoWei, iPhone, O'Brien), or a lone
# capital letter other than the article "A" (vitamin D, X-ray, type I).
_WORD = lazy_pattern(r"[^\W_]+(?:['’][^\W_]+)*")


def needs_case_protection(word: str) -> bool:
    if len(word) == 1:
        return word.isupper() and word != "A"
    rest = word[1:]
    return rest != rest.lower()


# in ASCII text, where a word needing protection can start: a capital after a letter
# or digit (mRNA, GuoWei, O'Brien), or a capital standing alone (vitamin D)
# (written to start at the capital, so that the search skips to capitals at C speed)
_ASCII_CANDIDATE = lazy_pattern(
    r"[A-Z](?:(?<=[A-Za-z0-9][A-Z])|(?<=[A-Za-z0-9]['’][A-Z])"
    r"|(?<=[B-Z])(?<![A-Za-z0-9'’][A-Z])(?![A-Za-z0-9]))"
)


# in ASCII text, a word (as _WORD reads it: letters and digits, joined by apostrophes)
# that needs_case_protection: a capital after its first character, or a lone capital
# other than "A"
_ASCII_PROTECTED = lazy_pattern(
    r"(?<![A-Za-z0-9])(?<![A-Za-z0-9]')"
    r"(?:(?=[A-Za-z0-9](?:[A-Za-z0-9]|'(?=[A-Za-z0-9]))*?[A-Z])|[B-Z](?![A-Za-z0-9]|'[A-Za-z0-9]))"
    r"[A-Za-z0-9]*+(?:'[A-Za-z0-9]++)*+"
)


_LONE_CAPITALS = frozenset("BCDEFGHIJKLMNOPQRSTUVWXYZ")


def _braced(match: re.Match[str]) -> str:
    # a function: a template (r"{\g<0>}") is expanded by Python code for every match
    return "{" + match.group() + "}"


def protect_plain_case(text: str) -> str:
    """``to_latex(text, protect_case=True)`` for ASCII ``text`` that :func:`escape_text`
    leaves as it is (no markup, nothing to escape): only the words whose capitals a
    lower-casing style must keep are braced."""
    rest = text[1:]
    if rest == rest.lower() and not (
        text[0] in _LONE_CAPITALS and (len(text) == 1 or not text[1].isalnum())
    ):
        return text  # no capital after the first character, and no lone capital first
    if not _ASCII_CANDIDATE.search(text):
        return text
    return _ASCII_PROTECTED.sub(_braced, text)


def _protect_words(text: str, escape: Callable[[str], str]) -> str:
    if text.isascii():
        if not _ASCII_CANDIDATE.search(text):
            return escape(text)
        if not _needs_escape(text, True):
            # nothing to escape in any piece: only the protected words change
            return _ASCII_PROTECTED.sub(_braced, text)
    out: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if needs_case_protection(word):
            out.append(escape(text[position : match.start()]))
            out.append("{" + escape(word) + "}")
            position = match.end()
    if not out:
        return escape(text)
    out.append(escape(text[position:]))
    return "".join(out)


_RICH_TAG = lazy_pattern(
    r"<(/?)(i|b|sub|sup)>|<span\s+class=\"nocase\">|<span\s+style=\"font-variant:\s*small-caps;?\">"
    r"|</span>"
)
_OPEN = {
    "i": "\\textit{",
    "b": "\\textbf{",
    # Zotero reads only $_{\textrm{2}}$, which pandoc shows as TeX source: kept as is
    "sub": "\\textsubscript{",
    "sup": "\\textsuperscript{",
    "sc": "\\textsc{",
    "nocase": "{",
}
# A group starting with a command is a "special character" to BibTeX, whose
# letters it case-changes: a nocase group whose content starts with a command
# gets an empty group first. Control characters never reach the output, so this
# marker cannot clash with text.
_NOCASE_MARK = "\x01"


def _paired_tags(text: str) -> list[tuple[re.Match[str], str, bool]]:
    """The rich-text tags of ``text`` that open and close in good order, as
    (match, name, closing); any other tag is text ("a <b> b" keeps its "<b>")."""
    found: list[tuple[re.Match[str], str, bool]] = []
    stack: list[int] = []
    paired: set[int] = set()
    for match in _RICH_TAG.finditer(text):
        tag = match.group()
        closing = tag.startswith("</")
        if closing:
            name = match.group(2) or "span"
        else:
            name = match.group(2) or ("nocase" if "nocase" in tag else "sc")
        found.append((match, name, closing))
        index = len(found) - 1
        if not closing:
            stack.append(index)
            continue
        if stack:
            opened = found[stack[-1]][1]
            if opened == name or (name == "span" and opened in ("sc", "nocase")):
                paired.update((stack.pop(), index))
    return [tag for index, tag in enumerate(found) if index in paired]


def to_latex(
    text: str,
    *,
    ascii_only: bool = True,
    protect_case: bool = False,
    unknown: set[str] | None = None,
) -> str:
    """CSL rich text → LaTeX: markup becomes commands, the rest is escaped.

    ``protect_case`` (for titles) wraps words whose capitals must survive a
    lower-casing style in braces; text inside ``<span class="nocase">`` is
    braced as a whole instead. The result's braces are always balanced.
    """

    def escape(segment: str) -> str:
        return escape_text(segment, ascii_only=ascii_only, unknown=unknown)

    if "<" not in text:
        return _protect_words(text, escape) if protect_case else escape(text)
    tags = _paired_tags(text)
    out: list[str] = []
    stack: list[str] = []
    position = 0

    def text_until(end: int) -> None:
        segment = text[position:end]
        if segment:
            if not protect_case or "nocase" in stack:
                out.append(escape(segment))
            elif stack:
                # inside \textit{...}: one group round the whole text when a word needs
                # it (Zotero's import reads \textit{{E}. coli} as <i>E</i>. coli)
                protected = _protect_words(segment, escape)
                escaped = escape(segment)
                out.append(escaped if protected == escaped else "{" + escaped + "}")
            else:
                out.append(_protect_words(segment, escape))

    for match, name, closing in tags:
        text_until(match.start())
        position = match.end()
        if closing:
            stack.pop()
            out.append("}")
        else:
            out.append(_NOCASE_MARK if name == "nocase" else _OPEN[name])
            stack.append(name)
    text_until(len(text))
    result = "".join(out)
    if _NOCASE_MARK in result:
        result = result.replace(_NOCASE_MARK + "\\", "{{}\\").replace(_NOCASE_MARK, "{")
    return result


# ---------------------------------------------------------------------------
# Reading: LaTeX → Unicode / CSL rich text


class _LatexSyntax:
    """``.search(value)``: does a value contain LaTeX syntax (else it is plain text)?"""

    @staticmethod
    def search(value: str) -> bool:
        # a two-character search costs many one-character ones: each looks first for
        # its character
        return (
            "\\" in value
            or "{" in value
            or "}" in value
            or "$" in value
            or "~" in value
            or ("-" in value and "--" in value)
            or ("`" in value and "``" in value)
            or ("'" in value and "''" in value)
        )


LATEX_SYNTAX = _LatexSyntax()

_TOKEN = lazy_pattern(
    r"\\(?:[A-Za-z@]+\*?|.)|[{}]|\$\$?|~|---?|``|''|[^\\{}$~`'\-]+|[`'\-]", re.DOTALL
)
_SYMBOLS = {
    "$": "$",
    "%": "%",
    "&": "&",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "\n": " ",
    "\t": " ",
    ",": "\u2009",
    ";": " ",
    ":": " ",
    "!": "",
    "/": "",
    "-": "",
    "@": "",
    "\\": " ",
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textunderscore": "_",
    "textdollar": "$",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textquotedbl": '"',
    "textquotesingle": "'",
    "textasciigrave": "`",
    "textendash": "–",
    "textemdash": "—",
    "slash": "/",
    "relax": "",
    "protect": "",
    "nobreakspace": "\u00a0",
    "space": " ",
    "quad": " ",
    "qquad": " ",
    "par": "\n\n",
    "newline": " ",
    "linebreak": " ",
    "bibrangedash": "–",
    "textellipsis": "…",
    "dots": "…",
    "ldots": "…",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "LaTeXe": "LaTeX2e",
    # the kernel symbols the writer prefers (_PREFERRED), which pylatexenc does not know
    "S": "§",
    "P": "¶",
    "pounds": "£",
    "copyright": "©",
    # spacing and line breaking that prints no text of its own
    "thinspace": "\u2009",
    "enspace": "\u2002",
    "nobreak": "",
    "allowbreak": "",
    "unskip": "",
    "ignorespaces": "",
    "noindent": "",
    "break": "",
    "smallskip": " ",
    "medskip": " ",
    "bigskip": " ",
    # TeX logos (texnames.sty, in many .bib files)
    "MF": "METAFONT",
    "METAFONT": "METAFONT",
    "MP": "MetaPost",
    "METAPOST": "MetaPost",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX",
    "ConTeXt": "ConTeXt",
    "AmSTeX": "AMS-TeX",
    "AmSLaTeX": "AMS-LaTeX",
    "AMSTeX": "AMS-TeX",
    "SLiTeX": "SLiTeX",
    "emdash": "—",
    "endash": "–",
    "hyphen": "-",  # biblatex's breakable hyphen
    "hyphenbreak": "-",
    "textohm": "Ω",
}
# one-argument commands → CSL rich-text tags around the argument
_FORMATS = {
    "textit": ("<i>", "</i>"),
    "emph": ("<i>", "</i>"),
    "mkbibemph": ("<i>", "</i>"),
    "textsl": ("<i>", "</i>"),
    "mathit": ("<i>", "</i>"),
    "textbf": ("<b>", "</b>"),
    "mkbibbold": ("<b>", "</b>"),
    "mathbf": ("<b>", "</b>"),
    "textsc": (SMALL_CAPS_SPAN, "</span>"),
    "textsubscript": ("<sub>", "</sub>"),
    "mkbibsubscript": ("<sub>", "</sub>"),
    "textsuperscript": ("<sup>", "</sup>"),
    "mkbibsuperscript": ("<sup>", "</sup>"),
    "enquote": ("“", "”"),
    "mkbibquote": ("“", "”"),
    "NoCaseChange": (NOCASE_SPAN, "</span>"),
    "nocase": (NOCASE_SPAN, "</span>"),
}
# one-argument commands whose argument is kept as it is
_TRANSPARENT = frozenset(
    "mbox hbox text textup textrm textnormal textmd textsf texttt mathrm mathsf mathtt "
    "textnormal uppercase lowercase MakeUppercase MakeLowercase ensuremath".split()
)
# declarations inside a group: {\em text}, {\bf text}
_SWITCHES = {
    "em": ("<i>", "</i>"),
    "it": ("<i>", "</i>"),
    "itshape": ("<i>", "</i>"),
    "sl": ("<i>", "</i>"),
    "slshape": ("<i>", "</i>"),
    "bf": ("<b>", "</b>"),
    "bfseries": ("<b>", "</b>"),
    "sc": (SMALL_CAPS_SPAN, "</span>"),
    "scshape": (SMALL_CAPS_SPAN, "</span>"),
    "rm": ("", ""),
    "normalfont": ("", ""),
    "upshape": ("", ""),
    "sf": ("", ""),
    "tt": ("", ""),
    "relax": ("", ""),
}
_SORT_ONLY = frozenset("noopsort sortnoop SortNoop noop".split())
# commands whose last argument is the text and whose first names a language
# (babel's \foreignlanguage{russian}{Война}, \foreignquote, \hyphenrules)
_LANGUAGE_WRAPPERS = frozenset("foreignlanguage foreignquote foreigntextquote hyphenrules".split())
# commands that name a character by its code: \symbol{126}, \char"7E, \ElsevierGlyph{2014}
# (Elsevier's hexadecimal code point)
_CHARACTER_CODES = frozenset("symbol char ElsevierGlyph".split())
# biblatex's localisation string commands (the long string for every form: the table
# holds long strings only); bibcp* capitalise it, bibuc* upper-case it
_BIBSTRING_COMMANDS = frozenset(
    "bibstring bibxstring biblstring bibsstring bibcpstring bibcplstring bibcpsstring "
    "bibucstring bibuclstring bibucsstring".split()
)
# commands pylatexenc reads by dropping them or by acting on the file system: kept as
# written, with a warning, like any command nothing here knows
_NOT_DECODED = frozenset(
    "input include includeonly verbatiminput write immediate "
    # pylatexenc prints placeholders for these ("<ref>", "< g r a p h i c s >")
    "ref eqref pageref autoref cref Cref includegraphics".split()
)
_CITES = frozenset(
    "cite citep citet citealp citeauthor citeyear parencite textcite autocite footcite "
    "Cite Parencite Textcite".split()
)
_MATH_FUNCTION = lazy_pattern(
    r"\\(log|ln|lg|exp|sin|cos|tan|cot|sec|csc|sinh|cosh|tanh|arcsin|arccos|arctan|max|min|"
    r"lim|liminf|limsup|sup|inf|det|dim|ker|deg|gcd|hom|arg|Pr)(?![A-Za-z])\s*"
)
_SPACE_RUN = lazy_pattern(r"[ \t\r\n\u000b\u000c]+")
_PARAGRAPHS = lazy_pattern(r"[ \t\r]*\n[ \t\r]*\n\s*")
_WORD_ONLY = lazy_pattern(r"^[^\W_]+(?:['’][^\W_]+)*$")


@functools.cache
def _l2t():
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


@functools.cache
def _latex2text_macros():
    from pylatexenc.latex2text import get_default_latex_context_db

    return get_default_latex_context_db()


@functools.lru_cache(maxsize=4096)
def _known_to_pylatexenc(name: str) -> bool:
    return _latex2text_macros().get_macro_spec(name) is not None


@functools.lru_cache(maxsize=8192)
def _decode_piece(latex: str) -> str:
    """pylatexenc's reading of one command (with its arguments) as text."""
    if "%" in latex:  # a bare % is data here, not a TeX comment
        latex = re.sub(r"(?<!\\)%", r"\\%", latex)
    return unicodedata.normalize("NFC", _l2t().latex_to_text(latex))


Macros = dict[str, tuple[int, str]]  # name → (number of arguments, body with #1…#9)
# the most characters @preamble macros may add to one value (see _Parser.command)
MAX_EXPANSION = 1_000_000


class _Parser:
    """A recursive-descent reading of the LaTeX found in BibTeX field values."""

    __slots__ = ("expansions", "macros", "position", "problems", "title", "tokens")

    def __init__(
        self,
        source: str,
        title: bool,
        macros: Macros | None,
        problems: list[str] | None = None,
    ):
        self.tokens = _TOKEN.findall(source)
        self.position = 0
        self.title = title
        self.macros = macros or {}
        self.expansions = 0
        # what could not be decoded (commands kept as written); None: nobody asks
        self.problems = problems

    def parse(self) -> str:
        return "".join(self.sequence(top=True, in_group=False))

    def sequence(self, top: bool, in_group: bool) -> list[str]:
        out: list[str] = []
        tokens = self.tokens
        while self.position < len(tokens):
            token = tokens[self.position]
            self.position += 1
            first = token[0]
            if first == "{":
                out.append(self.group(top))
            elif first == "}":
                if in_group:
                    return out
            elif first == "\\":
                out.append(self.command(token))
            elif first == "$":
                out.append(self.math(token))
            elif token == "~":
                out.append("\u00a0")
            elif token == "--":
                out.append("–")
            elif token == "---":
                out.append("—")
            elif token == "``":
                out.append("“")
            elif token == "''":
                out.append("”")
            elif token == "`":
                out.append("‘")
            else:
                out.append(token)
        return out

    def _skip_space(self) -> bool:
        """TeX ignores spaces after a control word (True: there were some)."""
        if self.position < len(self.tokens):
            token = self.tokens[self.position]
            if token[0].isspace():
                stripped = token.lstrip()
                if stripped:
                    self.tokens[self.position] = stripped
                else:
                    self.position += 1
                return True
        return False

    def group(self, top: bool) -> str:
        tokens = self.tokens
        if self.position < len(tokens) and tokens[self.position].startswith("\\"):
            name = tokens[self.position][1:]
            switch = _SWITCHES.get(name)
            if switch is not None:
                self.position += 1
                self._skip_space()
                inner = "".join(self.sequence(top=False, in_group=True))
                return f"{switch[0]}{inner}{switch[1]}" if inner.strip() else inner
            # a special character such as {\"u} or {\ss}
            return "".join(self.sequence(top=False, in_group=True))
        inner = "".join(self.sequence(top=False, in_group=True))
        if not (top and self.title) or not inner:
            return inner
        plain = _strip_tags(inner)
        if not any(ch.isalpha() for ch in plain):
            return inner
        if _WORD_ONLY.match(plain) and needs_case_protection(plain):
            return inner  # protected by the rule the writer applies anyway
        if inner.startswith(NOCASE_SPAN) and inner.endswith("</span>"):
            return inner
        return f"{NOCASE_SPAN}{inner}</span>"

    def raw_argument(self) -> str:
        """The source text of the next argument: a braced group, a command or a character."""
        self._skip_space()
        tokens = self.tokens
        if self.position >= len(tokens):
            return ""
        token = tokens[self.position]
        self.position += 1
        if token == "{":
            depth, start = 1, self.position
            while self.position < len(tokens):
                current = tokens[self.position]
                self.position += 1
                if current == "{":
                    depth += 1
                elif current == "}":
                    depth -= 1
                    if depth == 0:
                        return "".join(tokens[start : self.position - 1])
            return "".join(tokens[start:])
        if token[0] == "\\" or len(token) == 1:
            return token
        # a run of text: its first character is the argument
        tokens.insert(self.position, token[1:])
        return token[0]

    def argument(self) -> str:
        """The next argument, read as text."""
        self._skip_space()
        tokens = self.tokens
        if self.position >= len(tokens):
            return ""
        if tokens[self.position] == "{":
            self.position += 1
            return "".join(self.sequence(top=False, in_group=True))
        return _Parser(self.raw_argument(), False, self.macros, self.problems).parse()

    def command(self, token: str) -> str:
        name = token[1:]
        spaced = (len(name) > 1 or name.isalpha()) and self._skip_space()
        symbol = _SYMBOLS.get(name)
        if symbol is not None:
            self._skip_empty_group()
            return symbol
        tags = _FORMATS.get(name)
        if tags is not None:
            inner = self.argument()
            return f"{tags[0]}{inner}{tags[1]}" if inner else ""
        if name in _TRANSPARENT:
            return self.argument()
        if name in _SWITCHES:  # a declaration inside text: applies to the rest of the group
            tags = _SWITCHES[name]
            rest = "".join(self.sequence(top=False, in_group=True))
            if self.position > 0 and self.tokens[self.position - 1] == "}":
                self.position -= 1  # leave the closing brace to the enclosing group
            return f"{tags[0]}{rest}{tags[1]}" if rest.strip() else rest
        if name in ("url", "path", "nolinkurl"):
            return self.raw_argument()
        if name in _CITES:
            self._skip_optional()
            self._skip_optional()
            return "[" + self.raw_argument() + "]"
        if name == "href":
            self.raw_argument()
            return self.argument()
        if name in _SORT_ONLY:
            self.raw_argument()
            return ""
        macro = self.macros.get(name)
        if macro is not None:
            count, body = macro
            arguments = [self.raw_argument() for _ in range(count)]
            for index, argument in enumerate(arguments, 1):
                body = body.replace(f"#{index}", argument)
            # macros that double their argument grow exponentially: a bound on what
            # expansions may add, as on @string expansion
            self.expansions += len(body) + 100  # 100: a bound on self-recursion too
            if self.expansions > MAX_EXPANSION:
                self._problem(
                    f"macro expansion beyond {MAX_EXPANSION:,} characters; \\{name} kept as written"
                )
                return f"\\{name}" + "".join(f"{{{argument}}}" for argument in arguments)
            self.tokens[self.position : self.position] = _TOKEN.findall(body)
            return ""
        if name in _TEXT_ACCENTS:
            return _decode_piece(f"\\{name}{{{self.raw_argument()}}}")
        if name in ("verb", "verb*"):
            return self._verbatim(token)
        if name in _LANGUAGE_WRAPPERS:
            self._skip_optional()
            self.raw_argument()  # the language
            return self.argument()
        if name in _CHARACTER_CODES:
            return self._character(name)
        if name in _SPACING:  # \kern.1em, \penalty0, \spacefactor1000: no text
            rest = "".join(self.tokens[self.position :])
            amount = _AMOUNT.match(rest)
            if amount is not None:
                self.tokens[self.position :] = _TOKEN.findall(rest[amount.end() :])
                return ""
        if name in _BIBSTRING_COMMANDS:
            from .bibstrings import BIBSTRINGS

            key = self.raw_argument()
            text = BIBSTRINGS.get(key.strip())
            if text is None:
                self._problem(f"unknown biblatex string \\{name}{{{key}}} kept as written")
                return f"\\{name}{{{key}}}"
            if name.startswith("bibcp"):
                return text[:1].upper() + text[1:]
            return text.upper() if name.startswith("bibuc") else text
        # anything else: the command and the groups right after it, to pylatexenc when
        # it knows the command, else kept as written
        pieces = [token]
        tokens = self.tokens
        while self.position < len(tokens) and tokens[self.position] == "{":
            pieces.append("{" + self.raw_argument() + "}")
        source = "".join(pieces)
        if name not in _NOT_DECODED and _known_to_pylatexenc(name):
            try:
                return _decode_piece(source)
            except Exception as error:  # pylatexenc fails on some input (IndexError)
                self._problem(f"LaTeX {source[:40]!r} not decodable ({type(error).__name__})")
                return source
        self._problem(f"unknown LaTeX command {token} kept as written")
        return f"{source} " if spaced and len(pieces) == 1 else source

    def _problem(self, message: str) -> None:
        if self.problems is not None and message not in self.problems:
            self.problems.append(message)

    def _verbatim(self, token: str) -> str:
        """``\\verb+text+``: the text between the two delimiters, as it is."""
        rest = "".join(self.tokens[self.position :])
        end = rest.find(rest[:1], 1) if rest else -1
        if end < 0:
            self._problem(f"{token} without a closing delimiter kept as written")
            return token
        self.tokens[self.position :] = _TOKEN.findall(rest[end + 1 :])
        return rest[1:end]

    def _character(self, name: str) -> str:
        """``\\symbol{126}``, ``\\symbol{"7E}``, ``\\char'176``, ``\\ElsevierGlyph{2014}``."""
        if name == "char":  # \char126, \char"7E, \char'176, \char`\~: digits, no braces
            rest = "".join(self.tokens[self.position :])
            number = _CHAR_NUMBER.match(rest)
            if number is None:
                argument = self.raw_argument().strip()
            else:
                self.tokens[self.position :] = _TOKEN.findall(rest[number.end() :])
                argument = number.group(1)
        else:
            argument = self.raw_argument().strip()
        base = 16 if name == "ElsevierGlyph" else 10
        digits = argument
        if argument[:1] == '"':
            base, digits = 16, argument[1:]
        elif argument[:1] == "'":
            base, digits = 8, argument[1:]
        elif argument[:2] == "`\\" and len(argument) == 3:
            return argument[2]
        try:
            code = int(digits, base)
        except ValueError:
            code = None
        # a surrogate is half of a UTF-16 pair, no character: no output could hold it
        if code is not None and not 0xD800 <= code <= 0xDFFF:
            return chr(code) if 0 < code < 0x110000 and code != 0xFFFE else ""
        source = f"\\{name}{{{argument}}}"
        self._problem(f"{source!r} names no character; kept as written")
        return source

    def _skip_optional(self) -> None:
        """Skip a [...] optional argument."""
        self._skip_space()
        tokens = self.tokens
        if self.position < len(tokens) and tokens[self.position].startswith("["):
            joined = "".join(tokens[self.position :])
            end = joined.find("]")
            if end >= 0:
                rest = joined[end + 1 :]
                tokens[self.position :] = _TOKEN.findall(rest)

    def _skip_empty_group(self) -> None:
        tokens = self.tokens
        if (
            self.position + 1 < len(tokens)
            and tokens[self.position] == "{"
            and tokens[self.position + 1] == "}"
        ):
            self.position += 2

    def math(self, delimiter: str) -> str:
        tokens = self.tokens
        start = self.position
        while self.position < len(tokens) and tokens[self.position] != delimiter:
            self.position += 1
        source = "".join(tokens[start : self.position])
        self.position += 1
        unknown = [
            name
            for name in _COMMAND_NAME.findall(source)
            if len(name) > 1 and name not in self.macros and not _known_in_math(name)
        ]
        if unknown:
            self._problem(
                f"unknown LaTeX command \\{unknown[0]} in math; {delimiter}{source[:40]}"
                f"{delimiter} kept as written"
            )
            return f"{delimiter}{source}{delimiter}"
        try:
            return _math_to_text(source, self.macros)
        except Exception as error:  # pylatexenc fails on some input (IndexError)
            self._problem(f"math {source[:40]!r} not decodable ({type(error).__name__})")
            return f"{delimiter}{source}{delimiter}"


# TeX primitives that take a number or a dimension and print nothing
_SPACING = frozenset("kern mkern hskip vskip penalty spacefactor hspace* vspace".split())
_AMOUNT = lazy_pattern(
    r"\s*=?\s*(?:\{[^{}]*\}|[-+]?(?:\d+\.?\d*|\.\d+)\s*(?:em|ex|pt|mu|sp|bp|cm|mm|in|pc|dd|cc|true)?"
    r"(?:\s*(?:plus|minus)\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*(?:em|ex|pt|fil+|mu)?)*)\s?"
)
_CHAR_NUMBER = lazy_pattern(r"\s*(\d+|'[0-7]+|\"[0-9A-Fa-f]+|`\\.)\s?")
_SCRIPT = lazy_pattern(r"([\^_])\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|.)")


# font commands whose argument is plain text in math (\mathrm{CO_2}): read in place, so
# that the scripts inside them are found
_MATH_FONT = lazy_pattern(
    r"\\(?:mathrm|mathit|mathsf|mathtt|mathnormal|text|textrm|textit|operatorname)\s*"
    r"\{([^{}]*)\}"
)


# math commands pylatexenc reads by another name, or rightly as their argument alone
# (pylatexenc reads \overline{1}, \widehat{x}, \widetilde{x} as the bare letter: GaN(000\bar{1})
# would lose its bar without a word)
_MATH_ALIASES = {
    "ne": "neq",
    "neg": "lnot",
    "dfrac": "frac",
    "tfrac": "frac",
    "overline": "bar",
    "widehat": "hat",
    "widetilde": "tilde",
}
_MATH_ALIAS = lazy_pattern(r"\\(ne|neg|dfrac|tfrac|overline|widehat|widetilde)(?![A-Za-z])")
_MATH_TRANSPARENT = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr displaystyle textstyle scriptstyle "
    "limits nolimits boldsymbol bm operatorname".split()
)


@functools.lru_cache(maxsize=1024)
def _known_in_math(name: str) -> bool:
    return (
        is_known_command(name)
        or name in _MATH_TRANSPARENT
        or name in _MATH_ALIASES
        or _MATH_FUNCTION.fullmatch(f"\\{name}") is not None
    )


def _math_to_text(source: str, macros: Macros) -> str:
    """Math as text: ^ and _ become <sup>/<sub>, symbols their Unicode characters."""
    if "{" in source and ("_" in source or "^" in source):
        source = _MATH_FONT.sub(lambda match: match.group(1), source)
    out: list[str] = []
    position = 0
    for match in _SCRIPT.finditer(source):
        out.append(_math_plain(source[position : match.start()]))
        argument = match.group(2)
        if argument.startswith("{"):
            argument = argument[1:-1]
        tag = "sup" if match.group(1) == "^" else "sub"
        out.append(f"<{tag}>{_math_plain(argument)}</{tag}>")
        position = match.end()
    out.append(_math_plain(source[position:]))
    return "".join(out)


def _math_plain(source: str) -> str:
    if not source:
        return ""
    if "\\" not in source and "{" not in source:
        return source
    source = _MATH_FUNCTION.sub(lambda m: f"\\mathrm{{{m.group(1)}}} ", source)
    source = _MATH_ALIAS.sub(lambda m: f"\\{_MATH_ALIASES[m.group(1)]}", source)
    return _decode_piece(source)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^<>]+>", "", text) if "<" in text else text


def normalise_space(text: str, *, paragraphs: bool = False) -> str:
    """Collapse white space; with ``paragraphs``, keep blank-line paragraph breaks."""
    if (
        "  " not in text
        and "\n" not in text
        and "\t" not in text
        and "\r" not in text
        and text[:1] != " "
        and text[-1:] != " "
    ):
        return text
    if paragraphs and "\n" in text:
        parts = _PARAGRAPHS.split(text)
        return "\n\n".join(p for p in (_SPACE_RUN.sub(" ", part).strip() for part in parts) if p)
    return _SPACE_RUN.sub(" ", text).strip()


# text whose only LaTeX is braced groups holding no brace, command, math, tie or quote
# (a ligature run is looked for apart): "{RNA} sequencing", "{World Health Organization}"
_FLAT_GROUPS = lazy_pattern(r"[^{}\\$~`<]*+(?:\{[^{}\\$~`<]*+\}[^{}\\$~`<]*+)*+")
_GROUP_TEXT = lazy_pattern(r"\{([^{}]*)\}")


def _flat_groups(source: str, title: bool) -> str | None:
    """What _Parser reads such text as, when that is the text without its braces: every
    group goes, except (in titles) one with letters that is not a single word needing
    case protection anyway, which becomes a nocase span (None: the parser does it)."""
    if (
        _FLAT_GROUPS.fullmatch(source) is None
        or ("-" in source and "--" in source)
        or ("'" in source and "''" in source)
    ):
        return None
    if title:
        for inner in _GROUP_TEXT.findall(source):
            if (
                inner
                and any(char.isalpha() for char in inner)
                and not (_WORD_ONLY.match(inner) and needs_case_protection(inner))
            ):
                return None
    return source.replace("{", "").replace("}", "")


def from_latex(
    source: str,
    *,
    title: bool = False,
    paragraphs: bool = False,
    macros: Macros | None = None,
    problems: list[str] | None = None,
) -> str:
    """A field value's LaTeX → CSL rich text; never raises.

    With ``title``, a braced group that protects case (``{Gnats}``, ``{World
    Health Organization}``) becomes ``<span class="nocase">``, unless it holds a
    single word whose capitals :func:`to_latex` would protect anyway (``{DNA}``):
    CSL processors leave those alone already. Elsewhere braces just go.

    A command nothing here or in pylatexenc knows is kept as written; LaTeX that
    cannot be read at all is kept whole as written. Each such case is added to
    ``problems`` (one message per case) when a list is given.
    """
    if not LATEX_SYNTAX.search(source):
        text = source
    else:
        text = _flat_groups(source, title)
        if text is None:
            try:
                text = _Parser(source, title, macros, problems).parse()
            except Exception as error:  # a guard: reading a value never loses the file
                if problems is not None:
                    problems.append(
                        f"LaTeX not decodable ({type(error).__name__}); kept as written"
                    )
                text = source
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        text = re.sub(r"<(i|b|sub|sup)></\1>", "", text) if "<" in text else text
    return normalise_space(text, paragraphs=paragraphs)


# ---------------------------------------------------------------------------
# Reading: macro definitions in a .bib file's @preamble


def is_known_command(name: str) -> bool:
    """Does :func:`from_latex` read ``\\name`` itself (not as a command kept as written)?"""
    return (
        name in _SYMBOLS
        or name in _FORMATS
        or name in _TRANSPARENT
        or name in _SWITCHES
        or name in _SORT_ONLY
        or name in _CITES
        or name in _LANGUAGE_WRAPPERS
        or name in _CHARACTER_CODES
        or name in _TEXT_ACCENTS
        or name in _BIBSTRING_COMMANDS
        or name in ("url", "path", "nolinkurl", "href", "verb")
        or (name not in _NOT_DECODED and _known_to_pylatexenc(name))
    )


_PREAMBLE_COMMAND = lazy_pattern(r"\\([A-Za-z@]+)(\*?)")
_NAME_ARGUMENT = lazy_pattern(r"\s*(?:\{\s*\\([A-Za-z@]+)\s*\}|\\([A-Za-z@]+))")
_ARGUMENT_COUNT = lazy_pattern(r"\s*\[\s*(\d)\s*\]")
_DEFAULT_ARGUMENT = lazy_pattern(r"\s*\[")
_DEF_PARAMETERS = lazy_pattern(r"\s*\\([A-Za-z@]+)((?:\s*#\d)*)\s*(?=\{)")
_IFX_UNDEFINED = lazy_pattern(
    r"\s*(?:\\undefined\s*\\([A-Za-z@]+)|\\([A-Za-z@]+)\s*\\undefined)(?![A-Za-z@])"
)
_IF_NAMED = lazy_pattern(r"\s*\\([A-Za-z@]+)")
# TeX programming in a macro body (conditionals, registers, boxes): Beebe's and MathSciNet's
# \ocirc, whose expansion only TeX can carry out
_TEX_PROGRAMMING = lazy_pattern(
    r"\\(?:if[A-Za-z]*|else|fi|setbox|advance|multiply|divide|dimen|count|skip|global|"
    r"expandafter|csname|edef|xdef|let|futurelet|afterassignment|catcode|char)(?![A-Za-z])"
)
_NEW_COMMANDS = frozenset("newcommand renewcommand providecommand DeclareRobustCommand".split())
_UNDEFINED, _DEFINED, _OTHER = "undefined", "defined", "other"


def _group_end(text: str, start: int) -> int:
    """The index after the group opening at ``text[start]`` (a brace), or -1."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "}" and (index == 0 or text[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return index + 1
    return -1


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def learn_definitions(source: str, macros: Macros, skipped: list[str]) -> None:
    """Apply the unambiguous macro definitions of a @preamble to ``macros``.

    Unconditional ``\\def``, ``\\newcommand``, ``\\renewcommand`` and
    ``\\DeclareRobustCommand`` apply. ``\\providecommand``, and a definition inside
    ``\\ifx\\undefined\\X``, ``\\@ifundefined{X}`` or the ``\\else`` of
    ``\\ifdefined\\X`` (Beebe's TUGboat files), applies only to a command ``X``
    nothing here knows, since LaTeX would skip it otherwise. Definitions under any
    other condition, with delimited or optional arguments, or by ``\\edef`` and
    ``\\let``, are ambiguous and skipped; their names are added to ``skipped``.
    """
    _learn(source, [], macros, skipped)


def _learn(text: str, conditions: list[tuple[str, str]], macros: Macros, skipped: list[str]):
    conditions = list(conditions)
    base = len(conditions)
    position = 0
    while True:
        match = _PREAMBLE_COMMAND.search(text, position)
        if match is None:
            return
        name, position = match.group(1), match.end()
        if name == "fi":
            if len(conditions) > base:
                conditions.pop()
        elif name == "else":
            if len(conditions) > base:
                kind, subject = conditions[-1]
                flipped = _UNDEFINED if kind == _DEFINED else _OTHER
                conditions[-1] = (flipped, subject)
        elif name == "ifx":
            test = _IFX_UNDEFINED.match(text, position)
            if test is not None:
                conditions.append((_UNDEFINED, test.group(1) or test.group(2)))
                position = test.end()
            else:
                conditions.append((_OTHER, ""))
        elif name == "ifdefined":
            test = _IF_NAMED.match(text, position)
            conditions.append((_DEFINED, test.group(1)) if test else (_OTHER, ""))
            position = test.end() if test else position
        elif name == "@ifundefined":
            position = _skip_space(text, position)
            subject_end = _group_end(text, position) if text[position : position + 1] == "{" else -1
            if subject_end < 0:
                continue
            subject = text[position + 1 : subject_end - 1].strip().lstrip("\\")
            branches = []
            position = subject_end
            for _ in range(2):
                position = _skip_space(text, position)
                end = _group_end(text, position) if text[position : position + 1] == "{" else -1
                if end < 0:
                    break
                branches.append(text[position + 1 : end - 1])
                position = end
            for index, branch in enumerate(branches):
                condition = (_UNDEFINED, subject) if index == 0 else (_OTHER, "")
                _learn(branch, [*conditions, condition], macros, skipped)
        elif name.startswith("if") and not is_known_command(name):
            conditions.append((_OTHER, ""))
        elif name in ("def", "gdef"):
            definition = _DEF_PARAMETERS.match(text, position)
            if definition is None:  # \def\a#1\b{...}: delimited parameters
                skipped.append(_defined_name(text, position))
                continue
            body_start = definition.end()
            body_end = _group_end(text, body_start)
            if body_end < 0:
                return
            parameters = definition.group(2).replace(" ", "")
            count = len(parameters) // 2
            if parameters != "".join(f"#{n}" for n in range(1, count + 1)):
                skipped.append(definition.group(1))
            else:
                body = text[body_start + 1 : body_end - 1]
                _define(definition.group(1), count, body, conditions, False, macros, skipped)
            position = body_end
        elif name in _NEW_COMMANDS:
            command = _NAME_ARGUMENT.match(text, position)
            if command is None:
                continue
            defined = command.group(1) or command.group(2)
            position = command.end()
            count_match = _ARGUMENT_COUNT.match(text, position)
            count = 0
            if count_match is not None:
                count, position = int(count_match.group(1)), count_match.end()
            if _DEFAULT_ARGUMENT.match(text, position):  # an optional argument: ambiguous
                skipped.append(defined)
                continue
            body_start = _skip_space(text, position)
            body_end = (
                _group_end(text, body_start) if text[body_start : body_start + 1] == "{" else -1
            )
            if body_end < 0:
                skipped.append(defined)
                continue
            body = text[body_start + 1 : body_end - 1]
            only_if_new = name == "providecommand"
            _define(defined, count, body, conditions, only_if_new, macros, skipped)
            position = body_end
        elif name in ("edef", "xdef", "let", "newcommandx", "DeclareMathOperator"):
            skipped.append(_defined_name(text, position))


def _defined_name(text: str, position: int) -> str:
    command = _NAME_ARGUMENT.match(text, position)
    return (command.group(1) or command.group(2)) if command else "?"


def _define(
    name: str,
    count: int,
    body: str,
    conditions: list[tuple[str, str]],
    only_if_new: bool,
    macros: Macros,
    skipped: list[str],
) -> None:
    new = name not in macros and not is_known_command(name)
    if _TEX_PROGRAMMING.search(body):  # a body that computes: nothing here can run it
        skipped.append(name)
        return
    if not conditions:
        if new or not only_if_new:
            macros[name] = (count, body)
        return
    # under a condition, only "if X is undefined" around a definition of X itself is
    # unambiguous: LaTeX defines X then exactly when nothing else has (here: when no
    # table here nor pylatexenc reads X)
    if not all(kind == _UNDEFINED and subject == name for kind, subject in conditions):
        skipped.append(name)
    elif new:
        macros[name] = (count, body)
