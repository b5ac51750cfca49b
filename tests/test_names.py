"""Author strings from aggregators → CSL names."""

import re
import unicodedata

import pytest

from refconv.converters.core.names import (
    _CORPORATE_WORDS,
    SUFFIXES,
    is_corporate,
    parse_family_first,
    parse_given_first,
    parse_name,
    split_name_list,
)


def names(text):
    return split_name_list(text)[0]


def test_seed_given_first_list():
    result = names("Hong Liu, GuoWei Wang, ZhaoYi Li, XianTu Zhang")
    assert result[0] == {"family": "Liu", "given": "Hong"}
    assert result[1] == {"family": "Wang", "given": "GuoWei"}
    assert len(result) == 4


def test_family_first_semicolon_list():
    assert names("Liu, Hong; van der Berg, Jan; King, Martin Luther, Jr.") == [
        {"family": "Liu", "given": "Hong"},
        {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
    ]


def test_family_initials_pairs_without_semicolons():
    assert names("Smith, J., Jones, K. L.") == [
        {"family": "Smith", "given": "J."},
        {"family": "Jones", "given": "K. L."},
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ludwig van Beethoven",
            {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        ),
        (
            "Maria de la Cruz",
            {"family": "Cruz", "given": "Maria", "non-dropping-particle": "de la"},
        ),
        (
            "Leonardo da Vinci",
            {"family": "Vinci", "given": "Leonardo", "non-dropping-particle": "da"},
        ),
        (
            "Gerard ter Steege",
            {"family": "Steege", "given": "Gerard", "non-dropping-particle": "ter"},
        ),
        ("Jean-Paul Sartre", {"family": "Sartre", "given": "Jean-Paul"}),
        ("Zoë Ångström", {"family": "Ångström", "given": "Zoë"}),
        ("J. R. R. Tolkien", {"family": "Tolkien", "given": "J. R. R."}),
        ("Smith JA", {"family": "Smith", "given": "JA"}),
        ("LIU Hong", {"family": "LIU", "given": "Hong"}),
        ("Plato", {"family": "Plato"}),
        ("World Health Organization", {"literal": "World Health Organization"}),
        ("GBD 2019 Collaborators", {"literal": "GBD 2019 Collaborators"}),
        ("张伟", {"family": "张", "given": "伟"}),
        ("欧阳明华", {"family": "欧阳", "given": "明华"}),
        ("王 小明", {"family": "王", "given": "小明"}),
        ("John Smith III", {"family": "Smith", "given": "John", "suffix": "III"}),
        ("Giulia De Luca", {"family": "De Luca", "given": "Giulia"}),
        ("Erwan Le Gall", {"family": "Le Gall", "given": "Erwan"}),
        ("S. Abdel Khalek", {"family": "Abdel Khalek", "given": "S."}),
        ("Jan Van Der Berg", {"family": "Van Der Berg", "given": "Jan"}),
        (
            "Jan van der Berg",
            {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
        ),
    ],
)
def test_single_names(text, expected):
    assert parse_name(text) == expected


def test_suffix_after_comma_stays_with_its_name():
    assert names("Martin Luther King, Jr., Rosa Parks") == [
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Parks", "given": "Rosa"},
    ]


@pytest.mark.parametrize("tail", [", et al.", " et al", ", et al", "等", " 等", ", and others"])
def test_trailing_et_al_is_dropped_and_flagged(tail):
    result, truncated = split_name_list("Hong Liu, GuoWei Wang" + tail)
    assert truncated
    assert [n["family"] for n in result] == ["Liu", "Wang"]


def test_chinese_separators_and_et_al():
    result, truncated = split_name_list("张伟、李四等")
    assert truncated
    assert result == [{"family": "张", "given": "伟"}, {"family": "李", "given": "四"}]


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_author_lists(empty):
    assert split_name_list(empty) == ([], False)


def test_and_separated_list():
    assert [n["family"] for n in names("Ian Goodfellow, Yoshua Bengio and Aaron Courville")] == [
        "Goodfellow",
        "Bengio",
        "Courville",
    ]


def test_whole_list_check_gives_what_checking_each_name_gives(monkeypatch):
    """split_name_list skips the CJK and organisation tests per name when the whole list
    has neither; the names must be the same as with the tests run name by name."""
    import random

    from refconv.converters.core import names as module

    pieces = [
        "Hong", "Liu", "van", "de la", "Zoë", "Łukasz", "GuoWei", "J.", "JA", "LIU",
        "World", "Health", "Organization", "Group", "Jr.", "III", "2nd", "张三", "欧阳修",
        "O'Brien", "d'", "St.", "Ministry", "&", "and", "et al.", "等", "Smith", "K. L.",
    ]  # fmt: skip
    separators = [", ", ", ", ", ", " and ", " & ", ",", "，", "、"]
    rng = random.Random(11)
    lists = []
    for _ in range(3000):
        names = [
            " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(1, 6))
        ]
        text = names[0]
        for name in names[1:]:
            text += rng.choice(separators) + name
        lists.append(text)
    fast = [module.split_name_list(text) for text in lists]
    monkeypatch.setattr(module, "_all_personal", lambda text: False)
    assert [module.split_name_list(text) for text in lists] == fast
    for cjk in ("\u3040", "\u4e00", "\uac00", "\U00020000"):
        assert module._CJK_NAME.match(cjk) and cjk >= module._FIRST_CJK
    assert all(module._CJK_NAME.match(chr(c)) is None for c in range(ord(module._FIRST_CJK)))


def test_cjk_byte_test_never_misses_a_cjk_character():
    from refconv.converters.core import names as module

    assert not module._may_hold_cjk("Zoë Łukasz Sofía Ελένη Дмитрий \u2fff")
    assert module._may_hold_cjk("\ud800 Hong")  # a lone surrogate: no error, the full tests
    for c in range(ord(module._FIRST_CJK), 0x110000, 97):
        assert module._may_hold_cjk(f"ab{chr(c)}")


def _corporate_reference(text: str) -> bool:
    """is_corporate as it was before the comma short cut."""
    if "&" in text or re.search(r"\d", text):
        return True
    lower = text.lower()
    edge = re.compile(r"[\s,;:()\[\]/\"]+")
    words = edge.split(lower) if re.search(r"[,;:()\[\]/\"]", lower) else lower.split()
    return not _CORPORATE_WORDS.isdisjoint(words)


@pytest.mark.parametrize(
    "text",
    [
        "Liu, Hong",
        "World Health Organization",
        "Group, Study",
        "Smith, J. (Consortium)",
        "Centre,for,Things",
        "Jones; Team",
        "A, B: C",
        "Smith, John",
        "CMS Collaboration",
    ],
)
def test_is_corporate_comma_short_cut(text: str) -> None:
    assert is_corporate(text) == _corporate_reference(text)


def _parse_name_reference(text: str):
    """parse_name without its "Family, Given" short cut."""
    text = unicodedata.normalize("NFC", text).strip()
    if text.count(",") >= 1 and not is_corporate(text):
        parts = [p.strip() for p in text.split(",")]
        if len(parts) == 2 and parts[1].lower() in SUFFIXES:
            name = parse_given_first(parts[0])
            name["suffix"] = parts[1]
            return name
        return parse_family_first(parts[0], parts[1], parts[2] if len(parts) > 2 else "")
    return parse_given_first(text)


@pytest.mark.parametrize(
    "value",
    [
        "Liu, Hong",
        " Smith ,  John ",
        "van der Berg, Jan",
        "de la Cruz, María José",
        "von Neumann, John",
        "van Gogh, Vincent",
        "van Berg, Jr.",
        "van Group, Jan",
        "Group, Study",
        "van 2Berg, Jan",
        "van Mu\u0308ller, Jan",
        "Mu\u0308ller, Jan",
        "De Luca, Giulia",
        "van der Berg, Jan, III",
        "d' Alembert, Jean",
        ", Jan",
        "Smith,",
    ],
)
def test_family_given_short_cut_as_the_general_code(value: str) -> None:
    assert parse_name(value) == _parse_name_reference(value)
