"""What the registry knows of one converter without importing it (see :mod:`.registry`)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import NamedTuple

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
    plugin: str | None = None  # the distribution that provides it, for third-party modules

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(option.name for option in self.write_options)

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)
