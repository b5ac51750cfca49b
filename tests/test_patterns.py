"""lazy_pattern: compiled on first use, then the compiled pattern itself in its module."""

from __future__ import annotations

import re
import types

from refconv.converters.core.patterns import lazy_pattern


def _module_with_pattern() -> types.ModuleType:
    module = types.ModuleType("lazy_example")
    exec(
        "import re\n"
        "from refconv.converters.core.patterns import lazy_pattern\n"
        "WORDS = lazy_pattern(r'[a-z]+', re.IGNORECASE)\n"
        "def words(text):\n"
        "    return WORDS.findall(text)\n",
        module.__dict__,
    )
    return module


def test_compiled_on_first_use_and_then_replaced_in_its_module():
    module = _module_with_pattern()
    assert not isinstance(module.WORDS, re.Pattern)  # nothing compiled at import
    kept = module.WORDS  # a reference taken before the first use
    assert module.words("Hello, World 42") == ["Hello", "World"]
    assert isinstance(module.WORDS, re.Pattern)
    assert module.WORDS.pattern == "[a-z]+"
    assert module.WORDS.flags & re.IGNORECASE
    assert kept.findall("a1B") == ["a", "B"]  # the old reference still works


def test_same_results_as_re_compile():
    lazy = lazy_pattern(r"(\d+)-(\d+)")
    compiled = re.compile(r"(\d+)-(\d+)")
    text = "pp. 12-34 and 5-6"
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub(r"\2-\1", text) == compiled.sub(r"\2-\1", text)
    assert lazy.match(text) is None
