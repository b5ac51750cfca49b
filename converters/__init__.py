"""refconv's converters: read any supported format into CSL-JSON items, write items out.

Library use, with no CLI involved::

    from refconv.converters import convert, read, write

    bibtex = convert(open("record.txt").read(), to="bibtex")
    items = list(read(pathlib.Path("refs.bib")))
    text = write(items, "ris")

:func:`read` is lazy: over JSON Lines it yields one item per line as it goes,
so a generator of lines converts with flat memory.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names are imported on first use, so that importing a submodule (as the CLI does
# for --help) does not load the whole conversion pipeline.
_EXPORTS = {
    "assign_keys": "api",
    "convert": "api",
    "formats": "api",
    "read": "api",
    "write": "api",
    "ConversionError": "diagnostics",
    "Diagnostic": "diagnostics",
    "Report": "diagnostics",
    "Severity": "diagnostics",
    "Item": "model",
    "ConverterInfo": "converter_info",
    "UnknownFormatError": "registry",
}
__all__ = [
    "ConversionError",
    "ConverterInfo",
    "Diagnostic",
    "Item",
    "Report",
    "Severity",
    "UnknownFormatError",
    "assign_keys",
    "convert",
    "formats",
    "read",
    "write",
]

if TYPE_CHECKING:
    from .core.api import assign_keys, convert, formats, read, write
    from .core.converter_info import ConverterInfo
    from .core.diagnostics import ConversionError, Diagnostic, Report, Severity
    from .core.model import Item
    from .core.registry import UnknownFormatError


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".core.{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
