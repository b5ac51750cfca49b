"""KeyAllocator: keys unique without regard to case, exactly, in linear time."""

from __future__ import annotations

import time

from refconv.converters.core.keys import KeyAllocator


def test_suffixes_without_regard_to_case() -> None:
    allocator = KeyAllocator()
    assert [allocator.allocate(k) for k in ("smith2020", "Smith2020", "SMITH2020", "jones")] == [
        "smith2020",
        "Smith2020a",
        "SMITH2020b",
        "jones",
    ]


def test_unique_keys_are_never_renamed() -> None:
    # issue 16 item 12: the Bloom filter this replaced renamed i634524 to i634524a here
    allocator = KeyAllocator()
    renamed = [k for k in (f"i{n}" for n in range(1_500_000)) if allocator.allocate(k) != k]
    assert renamed == []


def test_many_records_sharing_a_key_take_linear_time() -> None:
    # issue 16 item 4: each allocation used to walk the suffixes from "a" again
    allocator = KeyAllocator()
    started = time.perf_counter()
    keys = [allocator.allocate("smith2020") for _ in range(20_000)]
    elapsed = time.perf_counter() - started
    assert len({k.lower() for k in keys}) == 20_000
    assert keys[:3] == ["smith2020", "smith2020a", "smith2020b"]
    assert keys[27] == "smith2020aa" and keys[703] == "smith2020x1"
    assert keys[-1] == "smith2020x19297"
    assert elapsed < 2.0  # linear: about 0.02 s; quadratic: minutes


def test_a_suffix_already_taken_by_another_record_is_skipped() -> None:
    allocator = KeyAllocator()
    given = ["smith2020a", "smith2020", "Smith2020", "smith2020", "SMITH2020B", "smith2020"]
    assert [allocator.allocate(k) for k in given] == [
        "smith2020a",
        "smith2020",
        "Smith2020b",
        "smith2020c",
        "SMITH2020Ba",
        "smith2020d",
    ]
    assert "smith2020C" in allocator and "smith2020e" not in allocator


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


def test_memory_grows_about_a_hundred_bytes_per_distinct_key() -> None:
    # the README's figure: about 100 bytes a distinct key
    import tracemalloc

    keys = [f"author{n}2020exosome" for n in range(100_000)]
    tracemalloc.start()
    try:
        allocator = KeyAllocator()
        for key in keys:
            allocator.allocate(key)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held / len(keys) < 130


def test_a_run_makes_its_keys_unique_once() -> None:
    # the BibTeX writer used to make every key unique a second time, in an allocator of its own
    from refconv.converters import write
    from refconv.converters.core.api import assign_keys

    class Counting(KeyAllocator):
        __slots__ = ("calls",)

        def __init__(self) -> None:
            super().__init__()
            self.calls = 0

        def allocate(self, key: str) -> str:
            self.calls += 1
            return super().allocate(key)

    items = [
        {"id": "smith2020", "type": "book", "title": "A"},
        {"id": "smith2020", "type": "book", "title": "B"},
        {"id": "a b", "type": "book", "title": "C"},  # not a BibTeX key: the writer changes it
        {"id": "ab", "type": "book", "title": "D"},
    ]
    keys = Counting()
    keyed = list(assign_keys(items, allocator=keys))
    assert keys.calls == 4
    text = write(keyed, "bibtex", keys=keys)
    assert text is not None
    assert [line for line in text.splitlines() if line.startswith("@")] == [
        "@book{smith2020,",
        "@book{smith2020a,",
        "@book{aba,",
        "@book{ab,",
    ]
    assert keys.calls == 5  # only the key the writer had to change


def test_convert_makes_keys_unique_once(monkeypatch):
    """The library's convert() keys as `refconv convert` does: one allocator for the run,
    which the BibTeX writer draws on only for a key it must change."""
    import json

    from refconv.converters import convert
    from refconv.converters.core import api

    made: list[KeyAllocator] = []

    class Recorded(KeyAllocator):
        __slots__ = ("calls",)

        def __init__(self) -> None:
            super().__init__()
            self.calls = 0
            made.append(self)

        def allocate(self, key: str) -> str:
            self.calls += 1
            return super().allocate(key)

    monkeypatch.setattr(api, "KeyAllocator", Recorded)
    items = [
        {"id": "smith2020", "type": "book", "title": "A"},
        {"id": "smith2020", "type": "book", "title": "B"},
        {"id": "a b", "type": "book", "title": "C"},  # not a BibTeX key: the writer changes it
    ]
    text = convert(json.dumps(items), to="bibtex", from_format="csl-json")
    assert [line for line in text.splitlines() if line.startswith("@")] == [
        "@book{smith2020,",
        "@book{smith2020a,",
        "@book{ab,",
    ]
    assert len(made) == 1 and made[0].calls == 4  # three ids, then the one the writer changed
