"""Writer options: how a writer declares them, and the one parser of their values.

A writer module lists its keyword options once, in ``WRITE_OPTIONS``, as
:class:`WriteOption` rows; the registry's table carries them (so the CLI builds
its flags without importing any writer), and the writer reads each value with
:func:`flag_value`, :func:`whole_number` or :func:`choice_value`, which accept
what ``-O name=value`` and library callers pass (``True``, ``"no"``, ``"4"``).

This module imports nothing: the CLI loads it at start-up.
"""

from __future__ import annotations

from typing import Any, NamedTuple

# kinds of value, each with its parser and the CLI flag type it becomes
FLAG = "flag"  # true or false: --name, or --name/--no-name
NUMBER = "number"  # a whole number
TEXT = "text"  # text, taken as given
CHOICE = "choice"  # one of ``choices``, case-insensitive
VALUE = "value"  # any Python value, for library callers and plugins: no flag of its own

_TRUE = frozenset(("1", "true", "yes", "on"))
_FALSE = frozenset(("0", "false", "no", "off"))


class WriteOption(NamedTuple):  # not a dataclass: cheaper to create at start-up
    """One keyword option of a writer's ``write``."""

    name: str  # the keyword ``write`` takes, and the KEY of ``-O KEY=VALUE``
    kind: str = VALUE
    help: str = ""  # for --help, after the names of the writers that take it
    flag: str = ""  # the CLI's own flag ("--crlf/--lf"); "" = only ``-O``
    default: Any = None  # what ``write`` does when the option is not given; None: it decides
    choices: tuple[str, ...] = ()

    @property
    def spelling(self) -> str:
        """How messages name the option: its flag as the user types it, else its name."""
        return self.flag or self.name


def declared(options: tuple[WriteOption | str, ...]) -> tuple[WriteOption, ...]:
    """A module's ``WRITE_OPTIONS`` as rows; a plain name (a plugin's) takes any value."""
    return tuple(o if isinstance(o, WriteOption) else WriteOption(str(o)) for o in options)


def flag_value(value: Any, name: str) -> bool:
    """``True``/``1``/``"yes"``/``"on"`` … → True; ``False``/``0``/``"no"``/``"off"`` … → False."""
    if isinstance(value, bool | int):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError(f"option {name} must be true or false, not {value!r}")


def whole_number(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"option {name} must be a whole number, not {value!r}") from None


def choice_value(value: Any, name: str, choices: tuple[str, ...]) -> str:
    text = str(value).lower()
    if text not in choices:
        raise ValueError(f"unknown {name} {text!r}; choose from {', '.join(choices)}")
    return text
