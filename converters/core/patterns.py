"""Regular expressions compiled on first use.

The converters hold dozens of module-level expressions; compiling them all at
import cost every run ~10 ms of start-up, though a run uses a few (a writer none
of the reader's). ``NAME = lazy_pattern(...)`` reads like ``re.compile`` and
compiles on the first method call.
"""

from __future__ import annotations

import re
import sys
from typing import Any, cast


class _LazyPattern:
    """A regular expression compiled the first time one of its methods is looked up.

    It then puts the compiled pattern in its place in the module that made it, so that
    later uses cost what they cost on a compiled pattern (a class with ``__getattr__``
    makes every attribute lookup slower); a reference kept elsewhere still works.
    """

    def __init__(self, pattern: str, flags: int, namespace: dict[str, Any]) -> None:
        self._source = (pattern, flags)
        self._namespace = namespace

    def __getattr__(self, name: str) -> Any:
        if name in ("_source", "_namespace"):  # not set yet (a copy being made)
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        namespace = self._namespace
        for key in [key for key, value in namespace.items() if value is self]:
            namespace[key] = compiled
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value


def lazy_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for a module-level name, compiled on first use."""
    namespace = sys._getframe(1).f_globals
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags, namespace))
