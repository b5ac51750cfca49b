"""KeyAllocator: unique keys without regard to case; the inline first try marks the same
filter bits as the general path."""

from __future__ import annotations

from refconv.converters.core.keys import KeyAllocator


def test_suffixes_without_regard_to_case() -> None:
    allocator = KeyAllocator()
    assert [allocator.allocate(k) for k in ("smith2020", "Smith2020", "SMITH2020", "jones")] == [
        "smith2020",
        "Smith2020a",
        "SMITH2020b",
        "jones",
    ]


def test_first_try_marks_the_positions_of_the_key() -> None:
    allocator = KeyAllocator()
    for key in ("müller2021", "Key:with/odd.chars+1", "x"):
        assert allocator.allocate(key) == key
        # what the general path checks: the key is now seen, a case variant too
        assert allocator._seen(allocator._positions(key))
        assert allocator._seen(allocator._positions(key.upper()))
    marked = sum(bin(byte).count("1") for byte in bytes(allocator._filter or b""))
    assert 1 <= marked <= 12  # four positions per key, three keys


def test_many_keys_stay_unique() -> None:
    allocator = KeyAllocator()
    keys = [allocator.allocate(f"key{n % 500}") for n in range(2000)]
    assert len({k.lower() for k in keys}) == 2000
    assert keys[:3] == ["key0", "key1", "key2"]
    assert keys[500] == "key0a" and keys[1000] == "key0b"


def test_title_words_skip_stop_words_and_fall_back_to_the_first_words() -> None:
    from refconv.converters.core.keys import citation_key

    def key(title: str, pattern: str) -> str:
        item = {"author": [{"family": "Müller"}], "issued": {"date-parts": [[2021]]}}
        return citation_key({**item, "title": title}, pattern)

    assert key("The <i>role</i> of an exosome", "{auth}{year}{title}") == "muller2021role"
    assert key("On the of", "{title}") == "on"  # only stop words: the first word
    assert key("The role of exosomes in tumour growth", "{shorttitle}") == "RoleExosomesTumour"
    assert key("Of and", "{shorttitle}") == "OfAnd"
    assert key("深度学习 for text", "{title}") == "shendu"
    assert key("", "{title}") == "item"


def test_key_characters_outside_the_key_set_are_removed() -> None:
    from refconv.converters.core.keys import ascii_fold, citation_key

    assert ascii_fold("O'Brien-Smith") == "OBrienSmith"
    assert ascii_fold("Łukasz") == "Lukasz"
    assert ascii_fold("") == ""
    item = {"author": [{"family": "van-Dyk"}], "title": "C++ for all", "issued": {}}
    assert citation_key(item) == "vandykc"
    assert citation_key(item, "{auth}:{year}/x_{title}") == "vandyk:/x_c"
    assert citation_key({}, "{auth} {title}") == "item"
