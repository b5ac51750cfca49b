"""What the registry knows of one converter without importing it (see :mod:`.registry`)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any, NamedTuple

from .options import WriteOption


class ConverterInfo(NamedTuple):  # not a dataclass: cheaper to create at start-up
    name: str
    module: str
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    can_read: bool = False
    can_write: bool = False
    description: str = ""
    write_options: tuple[WriteOption, ...] = ()
    # (extension, option, value): what writing to a file of that extension implies,
    # e.g. (".html", "markup", "html"); see Registry.writer_for_path
    extension_options: tuple[tuple[str, str, Any], ...] = ()
    plugin: str | None = None  # the distribution that provides it, for third-party modules

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(option.name for option in self.write_options)

    def options_for_extension(self, extension: str) -> dict[str, Any]:
        return {option: value for ext, option, value in self.extension_options if ext == extension}

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


def options_by_name(infos: Iterable[ConverterInfo]) -> dict[str, tuple[WriteOption, list[str]]]:
    """Every writer option of ``infos`` by name: its declaration (the first writer's) and
    the names of the writers that take it."""
    found: dict[str, tuple[WriteOption, list[str]]] = {}
    for info in infos:
        for option in info.write_options:
            found.setdefault(option.name, (option, []))[1].append(info.name)
    return found
