"""The `refconv` command line: arguments, files, terminal output and exit codes.

Nothing here knows a format's details: formats are looked up in the registry,
and writer options are passed through by name to the writer that declares them.
"""

import contextlib
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from refconv.converters.core.options import CHOICE, FLAG, NUMBER, TEXT

from .exit_codes import ExitCode

# "\b" alone on the line that starts a paragraph keeps click from re-wrapping the example
# lines into one paragraph (so whatever comes before EXAMPLES ends with a blank line)
EXAMPLES = """
\b
Examples:
  refconv convert record.txt -t bibtex -o record.bib
  cat records.jsonl | refconv convert -t bibtex >> refs.bib
  refconv convert refs.bib -t ris --lf > refs.ris
  refconv convert papers/*.txt -t csl-json --jsonl | gzip > items.jsonl.gz
  zcat items.jsonl.gz | refconv convert -f csl-json -t bibtex

Exit codes: 0 all records converted; 1 some records failed (the rest were
written) or --strict met a warning; 2 usage error or unreadable input.
"""

ATTRIBUTION = (
    "\nCitation styles: Citation Style Language project, https://citationstyles.org/ "
    "(CC BY-SA 3.0).\n"
)

app = typer.Typer(
    name="refconv",
    help="Convert paper records, BibTeX, RIS and CSL-JSON into each other and into citations.\n"
    + EXAMPLES
    + ATTRIBUTION,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"refconv {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """refconv: bibliography conversion for the shell."""


def _complete_writers(incomplete: str) -> list[str]:
    from refconv.converters import formats as all_formats

    return [i.name for i in all_formats() if i.can_write and i.name.startswith(incomplete)]


def _complete_readers(incomplete: str) -> list[str]:
    from refconv.converters import formats as all_formats

    return [i.name for i in all_formats() if i.can_read and i.name.startswith(incomplete)]


def _parse_option(text: str) -> tuple[str, object]:
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise typer.BadParameter(f"expected KEY=VALUE, got {text!r}", param_hint="--option")
    import json

    try:
        value: object = json.loads(raw)
    except ValueError:
        value = raw
    return key.strip().replace("-", "_"), value


_SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def _size(text: str) -> int:
    """``64M`` → 67108864 (K, M, G: KiB, MiB, GiB)."""
    number, unit = text.strip().upper().removesuffix("B").removesuffix("I"), ""
    if number[-1:] in _SIZE_UNITS:
        number, unit = number[:-1], number[-1]
    if not number.isdigit() or int(number) == 0:
        raise typer.BadParameter(f"expected a size such as 64M or 1G, got {text!r}")
    return int(number) * _SIZE_UNITS[unit]


def convert(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Input files, or - for stdin (the default).", show_default=False),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            "-t",
            help="Output format (see `refconv formats`); default: the one the --output file's "
            "extension names (.bib bibtex, .ris ris, .json csl-json, .jsonl csl-json --jsonl, "
            ".txt/.html/.md/.rst citation), else csl-json.",
            autocompletion=_complete_writers,
            show_default=False,
        ),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", "-f", help="Input format; detected from name and content if not given."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here instead of stdout: a regular file is replaced atomically, "
            "anything else (a FIFO, /dev/stdout) written through.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            "-d",
            help="Write one output per input into this directory (same stem, the output "
            "format's extension); each output keyed on its own.",
        ),
    ] = None,
    glob: Annotated[
        str | None,
        typer.Option(
            "--glob",
            help="In directories, convert the files matching this pattern (default: every "
            "file whose extension a reader claims).",
        ),
    ] = None,
    dedupe: Annotated[
        bool,
        typer.Option(
            "--dedupe",
            help="Merge records of the same work (same DOI; else same exact title, year and "
            "creators with no conflicting container, volume, issue, pages or edition; never a "
            "notice into its article), keeping the most complete fields. Reads all input "
            "before writing.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat the first warning or failed record as fatal.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also explain choices made.")
    ] = False,
    key_pattern: Annotated[
        str | None,
        typer.Option(
            "--key-pattern",
            help="Pattern for generated citation keys, from {auth} {authors} {year} {title} "
            "{shorttitle} {journal} (capitalised name = capitalised value).",
        ),
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-O", help="Writer option KEY=VALUE, for plugin formats."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Character encoding of the inputs (utf-8, windows-1252, latin-1, ...); default: "
            "a JabRef '% Encoding:' header, else UTF-8, else Windows-1252 with a warning.",
        ),
    ] = None,
    max_line: Annotated[
        str,
        typer.Option(
            "--max-line",
            metavar="SIZE",
            help="Refuse an input line longer than this (decompressed), e.g. a JSON Lines "
            "record; also the most one RIS or MEDLINE record may hold.",
        ),
    ] = "64M",
    max_document: Annotated[
        str,
        typer.Option(
            "--max-document",
            metavar="SIZE",
            help="Refuse an input larger than this (decompressed) that its reader reads "
            "whole (BibTeX, a JSON document that is not JSON Lines).",
        ),
    ] = "512M",
    **writer_flags: Any,
) -> None:
    """Convert records from INPUTS (or stdin) to another format."""
    from .run import ConvertRequest, run_convert

    options: dict[str, object] = dict(writer_flags)  # None: not given
    options.update(dict(_parse_option(o) for o in option or []))
    from refconv.converters.core.limits import InputLimits

    limits = InputLimits(max_line=_size(max_line), max_document=_size(max_document))
    request = ConvertRequest(
        inputs=inputs or ["-"],
        to=to,
        from_format=from_,
        output=output,
        out_dir=out_dir,
        glob=glob,
        dedupe=dedupe,
        strict=strict,
        key_pattern=key_pattern,
        writer_options=options,
        encoding=encoding,
        limits=limits,
    )
    from .console import Console

    console = Console(quiet=quiet, verbose=verbose)
    raise typer.Exit(run_convert(request, console))


_FLAG_TYPES = {FLAG: bool, NUMBER: int, TEXT: str, CHOICE: str}


def _writer_flag_parameters() -> list[inspect.Parameter]:
    """A parameter of `convert` for each built-in writer option that declares a flag; its
    help starts with the writers that take it. Read from the table of built-in converters
    (not the registry, for start-up time), so no writer is imported; plugins' options are
    given with ``-O``."""
    from refconv.converters.core.builtin import BUILTIN_CONVERTERS
    from refconv.converters.core.converter_info import options_by_name

    parameters = []
    for name, (option, writers) in options_by_name(BUILTIN_CONVERTERS).items():
        if option.flag and option.kind in _FLAG_TYPES:
            flag = typer.Option(
                option.flag, help=f"{'/'.join(writers)}: {option.help}", show_default=False
            )
            parameters.append(
                inspect.Parameter(
                    name,
                    inspect.Parameter.POSITIONAL_OR_KEYWORD,
                    default=None,  # not given: the writer's own default applies
                    annotation=Annotated[_FLAG_TYPES[option.kind] | None, flag],
                )
            )
    return parameters


def _with_writer_flags(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` as Typer sees it: its own parameters, then the writers' flags before
    ``--option`` (they arrive in ``**writer_flags``)."""
    own = [p for p in inspect.signature(command).parameters.values() if p.kind is not p.VAR_KEYWORD]
    at = [p.name for p in own].index("option")
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [*own[:at], *_writer_flag_parameters(), *own[at:]], return_annotation=None
    )
    return command


app.command(name="convert", epilog=EXAMPLES + ATTRIBUTION)(_with_writer_flags(convert))


FORMATS_EXAMPLES = """
\b
Examples:
  refconv formats | cut -f1            # just the names
  refconv convert refs.bib -t ris      # any reader to any writer
  refconv convert -f ris -t bibtex < export.ris > refs.bib
"""


@app.command(epilog=FORMATS_EXAMPLES)
def formats() -> None:
    """List the formats refconv reads and writes (tab-separated when piped)."""
    from refconv.converters import formats as all_formats

    from .console import Console

    rows = [
        (
            info.name,
            ", ".join(info.aliases),
            ("read" if info.can_read else "")
            + ("/" if info.can_read and info.can_write else "")
            + ("write" if info.can_write else ""),
            " ".join(info.extensions),
            info.description + (f" [plugin: {info.plugin}]" if info.plugin else ""),
        )
        for info in all_formats()
    ]
    Console().table(("format", "aliases", "mode", "extensions", "description"), rows)


STYLES_EXAMPLES = """
\b
Examples:
  refconv styles --search vancouver
  refconv convert refs.bib -t citation --style nature --markup html -o refs.html
  refconv convert refs.bib -t citation --style apa --mode citation --citations clusters.json

Citation styles: Citation Style Language project, https://citationstyles.org/ (CC BY-SA 3.0).
"""


@app.command(epilog=STYLES_EXAMPLES)
def styles(
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", help="Only styles whose name, title or id hold these words."
        ),
    ] = None,
) -> None:
    """List the CSL citation styles refconv can use (tab-separated when piped)."""
    from refconv.converters.formatting import full_repository_installed, list_styles

    from .console import Console

    console = Console()
    found = list_styles(search)
    rows = [
        (
            info.name,
            info.title,
            info.citation_format,
            info.source + (f" (parent: {info.parent})" if info.parent else ""),
            ", ".join(info.aliases),
        )
        for info in found
    ]
    if rows:
        console.table(("name", "title", "format", "source", "aliases"), rows)
    if not full_repository_installed():
        console.note("pip install 'refconv[styles]' adds the whole CSL repository (~10,800 styles)")
    if not rows:
        console.error(f"no style matches {search!r}")
        raise typer.Exit(1)


_STOPPING_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class Terminated(BaseException):
    """SIGINT, SIGTERM or SIGHUP arrived: unwind (discarding a half-written output), then
    exit 128 + the signal's number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame: object) -> None:
    import signal

    for name in _STOPPING_SIGNALS:  # a second signal must not interrupt the clean-up
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Terminated(signum)


def _install_signal_handlers() -> None:
    import signal

    for name in _STOPPING_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    if hasattr(signal, "SIGXFSZ"):
        # past `ulimit -f` a write fails with EFBIG (reported, output discarded) instead
        # of the process being killed with a temporary file left behind
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def run() -> None:
    """Console-script entry point: the app, with broken pipes and signals ending quietly."""
    _install_signal_handlers()
    try:
        app()
    except SystemExit as ending:
        if ending.code == ExitCode.BROKEN_PIPE:
            _silence_stdout()
        raise
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(ExitCode.BROKEN_PIPE)
    except Terminated as stopped:
        import signal

        sys.stderr.write(f"refconv: {signal.Signals(stopped.signum).name}: stopped\n")
        sys.exit(128 + stopped.signum)


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush
    # cannot raise a second BrokenPipeError with a traceback.
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
