"""Find converter modules by name, alias, file extension or content.

A converter is one module that declares, at module level::

    NAME = "ris"                      # the format's canonical name
    ALIASES = ("refman",)             # other names accepted by --from/--to
    EXTENSIONS = (".ris",)            # first one is used for written files
    EXTENSION_OPTIONS = ((".txt", "crlf", False),)  # optional: what writing a .txt implies
    DESCRIPTION = "RIS (Research Information Systems)"
    WRITE_OPTIONS = (WriteOption("crlf", FLAG, "line ends CRLF or LF", flag="--crlf/--lf"),
                     ...)             # keyword options its ``write`` accepts (see .options)
    def sniff(head: str) -> float: ...    # 0.0 = not mine, 1.0 = certainly mine
    def read(stream: TextIO, report: Report) -> Iterator[Item]: ...
    def write(items: Iterable[Item], out: TextIO, report: Report, **options) -> None: ...

``read``/``sniff`` or ``write`` may be missing for one-way formats.

Built-in converters are listed in :mod:`.builtin` as plain data, so looking
one up by name imports nothing else (Pygments' lexer mapping works the same
way). Third-party converters are found through the entry-point group
``refconv.converters``; each entry point names a module following the
protocol above.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from .converter_info import ConverterInfo, options_by_name
from .options import WriteOption, declared

ENTRY_POINT_GROUP = "refconv.converters"


class UnknownFormatError(LookupError):
    def __init__(self, name: str, suggestions: list[str]):
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown format {name!r}{hint} (see `refconv formats`)")
        self.name = name
        self.suggestions = suggestions


class AmbiguousExtensionError(LookupError):
    """An output file's extension that several writers claim with equal right."""

    def __init__(self, extension: str, writers: list[str]):
        super().__init__(f"{extension} is the extension of {' and '.join(writers)}")
        self.extension = extension
        self.writers = writers


def describe_module(module: ModuleType, plugin: str | None = None) -> ConverterInfo:
    """Read a converter module's declarations into a :class:`ConverterInfo`."""
    for required in ("NAME", "EXTENSIONS"):
        if not hasattr(module, required):
            raise TypeError(f"converter module {module.__name__} does not declare {required}")
    can_read = callable(getattr(module, "read", None))
    can_write = callable(getattr(module, "write", None))
    if not (can_read or can_write):
        raise TypeError(f"converter module {module.__name__} defines neither read nor write")
    return ConverterInfo(
        name=module.NAME,
        module=module.__name__,
        aliases=tuple(getattr(module, "ALIASES", ())),
        extensions=tuple(ext.lower() for ext in module.EXTENSIONS),
        can_read=can_read,
        can_write=can_write,
        description=getattr(module, "DESCRIPTION", "")
        or (module.__doc__ or "").strip().split("\n")[0],
        write_options=declared(tuple(getattr(module, "WRITE_OPTIONS", ()))),
        extension_options=tuple(
            (ext.lower(), option, value)
            for ext, option, value in getattr(module, "EXTENSION_OPTIONS", ())
        ),
        plugin=plugin,
    )


def _normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-")


class Registry:
    """The built-in converters plus, loaded on first need, the entry-point plugins."""

    def __init__(self, builtin: tuple[ConverterInfo, ...], *, use_entry_points: bool = True):
        self._builtin = builtin
        self._plugins: tuple[ConverterInfo, ...] | None = None if use_entry_points else ()
        self._by_name = self._index(builtin)

    @staticmethod
    def _index(infos: tuple[ConverterInfo, ...]) -> dict[str, ConverterInfo]:
        index: dict[str, ConverterInfo] = {}
        for info in infos:
            for name in info.names:
                index.setdefault(_normalise(name), info)
        return index

    def _load_plugins(self) -> tuple[ConverterInfo, ...]:
        if self._plugins is None:
            from importlib.metadata import entry_points

            found = []
            for entry in entry_points(group=ENTRY_POINT_GROUP):
                module = importlib.import_module(entry.value.split(":")[0])
                dist = entry.dist.name if entry.dist is not None else entry.name
                info = describe_module(module, plugin=dist)
                if _normalise(info.name) not in self._by_name:  # built-ins win
                    found.append(info)
            self._plugins = tuple(found)
            self._by_name.update(
                {k: v for k, v in self._index(self._plugins).items() if k not in self._by_name}
            )
        return self._plugins

    def all(self) -> tuple[ConverterInfo, ...]:
        return self._builtin + self._load_plugins()

    def find(self, name: str) -> ConverterInfo:
        key = _normalise(name)
        info = self._by_name.get(key)
        if info is None:
            self._load_plugins()
            info = self._by_name.get(key)
        if info is None:
            import difflib

            close = difflib.get_close_matches(key, list(self._by_name), n=3, cutoff=0.6)
            raise UnknownFormatError(name, close)
        return info

    def reader(self, name: str) -> ConverterInfo:
        info = self.find(name)
        if not info.can_read:
            readable = ", ".join(i.name for i in self.all() if i.can_read)
            raise UnknownFormatError(
                f"{name} (it can be written, not read; readers: {readable})", []
            )
        return info

    def writer(self, name: str) -> ConverterInfo:
        info = self.find(name)
        if not info.can_write:
            writable = ", ".join(i.name for i in self.all() if i.can_write)
            raise UnknownFormatError(
                f"{name} (it can be read, not written; writers: {writable})", []
            )
        return info

    def writer_options(self, *, plugins: bool = True) -> dict[str, tuple[WriteOption, list[str]]]:
        """Every declared writer option by name: its declaration (the first writer's, in
        table order) and the names of the writers that take it."""
        return options_by_name(self.all() if plugins else self._builtin)

    def readers_for_path(self, path: str, *, plugins: bool = True) -> list[ConverterInfo]:
        """Readers that claim the file's extension (a trailing ``.gz`` is looked through)."""
        lower = os.path.basename(path).lower()
        if lower.endswith(".gz"):
            lower = lower[:-3]
        pool = self.all() if plugins else self._builtin
        return [
            info
            for info in pool
            if info.can_read and any(lower.endswith(ext) for ext in info.extensions)
        ]

    def writer_for_path(self, path: str) -> tuple[ConverterInfo, str] | None:
        """The writer an output file's extension names, and that extension; None when no
        writer claims it.

        An extension that one writer claims names it; one that several claim names the
        writer whose name or alias it is (``.bib``: bibtex, alias ``bib``, not biblatex),
        else :class:`AmbiguousExtensionError`. Built-in writers are asked first, plugins
        only for an extension no built-in writer claims.
        """
        lower = os.path.basename(path).lower()
        for pool in (self._builtin, None):
            claims = [
                (info, ext)
                for info in (pool if pool is not None else self._load_plugins())
                if info.can_write
                for ext in info.extensions
                if lower.endswith(ext) and len(lower) > len(ext)
            ]
            if claims:
                break
        else:
            return None
        if len(claims) == 1:
            return claims[0]
        longest = max(len(ext) for _, ext in claims)  # .jsonl before .json, were both claimed
        claims = [(info, ext) for info, ext in claims if len(ext) == longest]
        named = [
            (info, ext)
            for info, ext in claims
            if _normalise(ext[1:]) in {_normalise(name) for name in info.names}
        ]
        if len(claims) == 1 or len(named) == 1:
            return (named or claims)[0]
        raise AmbiguousExtensionError(claims[0][1], [info.name for info, _ in claims])

    def detect(self, head: str, path: str | None = None) -> ConverterInfo | None:
        """Pick a reader from the extension and, when that is ambiguous or unknown, the content.

        Every candidate's ``sniff(head)`` scores the content; the highest
        non-zero score wins, and a score of 1.0 ends the search, so the other
        candidates' modules are not imported. When the extension names exactly
        one reader it wins without sniffing. Built-in readers are tried first, so plugins
        (whose discovery costs start-up time) are only consulted when no
        built-in reader recognises the input.
        """
        for plugins in (False, True):
            if plugins and not self._load_plugins():
                return None
            candidates = self.readers_for_path(path, plugins=plugins) if path else []
            if len(candidates) == 1:
                return candidates[0]
            readers = self.all() if plugins else self._builtin
            for pool in (candidates, [i for i in readers if i.can_read]):
                best = self._best_sniff(pool, head)
                if best is not None:
                    return best
        return None

    @staticmethod
    def _best_sniff(pool: list[ConverterInfo], head: str) -> ConverterInfo | None:
        best, best_score = None, 0.0
        for info in pool:
            sniff = getattr(info.load(), "sniff", None)
            score = float(sniff(head)) if sniff is not None else 0.0
            if score >= 1.0:
                return info
            if score > best_score:
                best, best_score = info, score
        return best


_default: Registry | None = None


def default_registry() -> Registry:
    global _default
    if _default is None:
        from .builtin import BUILTIN_CONVERTERS

        _default = Registry(BUILTIN_CONVERTERS)
    return _default


def generate_builtin_table(module_names: list[str]) -> str:
    """The source of :mod:`.builtin`, read from the modules' own declarations."""
    lines = [
        '"""Built-in converters, as data: looking one up imports nothing else.',
        "",
        "Generated from the modules' declarations by",
        "`write_builtin_table()` in registry.py; tests/test_registry.py fails",
        'when this table and the modules disagree."""',
        "",
        "from .converter_info import ConverterInfo",
        "from .options import WriteOption",
        "",
        "BUILTIN_CONVERTERS: tuple[ConverterInfo, ...] = (",
    ]
    for module_name in module_names:
        info = describe_module(importlib.import_module(module_name))
        lines.append(f"    {info!r},")
    lines.append(")")
    return "\n".join(lines) + "\n"


def write_builtin_table() -> str:
    """Regenerate :mod:`.builtin` from every public module in ``refconv.converters``.

    Run after adding a converter module:
    ``python -c "from refconv.converters.core.registry import write_builtin_table as w; w()"``
    """
    import pathlib
    import pkgutil

    package = importlib.import_module("refconv.converters")
    names = sorted(
        f"refconv.converters.{m.name}"
        for m in pkgutil.iter_modules(package.__path__)
        if not m.name.startswith("_")
        # a package is a converter when it declares one (bibtex/), not a library (core/)
        and (
            not m.ispkg or hasattr(importlib.import_module(f"refconv.converters.{m.name}"), "NAME")
        )
    )
    target = pathlib.Path(__file__).with_name("builtin.py")
    target.write_text(generate_builtin_table(names), encoding="utf-8")
    return f"wrote {target} ({len(names)} converters)"
