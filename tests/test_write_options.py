"""Writer options: declared once in each writer, carried by the registry, made into CLI flags."""

from __future__ import annotations

import inspect
import json

import pytest

from conftest import SEED, run_cli
from refconv.converters.core.builtin import BUILTIN_CONVERTERS
from refconv.converters.core.options import (
    CHOICE,
    FLAG,
    NUMBER,
    TEXT,
    VALUE,
    WriteOption,
    choice_value,
    declared,
    flag_value,
    whole_number,
)
from refconv.converters.core.registry import default_registry

WRITERS = [info for info in BUILTIN_CONVERTERS if info.can_write]


@pytest.mark.parametrize("info", WRITERS, ids=lambda info: info.name)
def test_declared_options_are_the_keywords_write_takes(info):
    parameters = inspect.signature(info.load().write).parameters
    keywords = {
        name
        for name, p in parameters.items()
        if p.kind is p.KEYWORD_ONLY and name not in ("keys", "dialect")
    }
    assert set(info.option_names) == keywords
    for option in info.write_options:
        assert option.kind in (FLAG, NUMBER, TEXT, CHOICE, VALUE), option
        assert bool(option.choices) == (option.kind == CHOICE), option
        if option.flag:
            assert option.help and option.flag.startswith("--"), option
        default = parameters[option.name].default
        if option.default is not None and default is not None:
            assert option.default == default, option


def test_writers_that_share_an_option_declare_it_alike():
    for name, (option, writers) in default_registry().writer_options(plugins=False).items():
        for info in WRITERS:
            if info.name in writers:
                assert dict(zip(info.option_names, info.write_options, strict=True))[name] == option


def test_every_flag_of_a_declared_option_is_in_convert_help():
    help_text = " ".join(run_cli("convert", "--help").stdout.split())
    for name, (option, writers) in default_registry().writer_options(plugins=False).items():
        if option.flag:
            shown = option.flag.replace("/", " / ")
            assert shown in help_text, name
            assert f"{'/'.join(writers)}: {' '.join(option.help.split()[:4])}" in help_text, name
    assert "--progress" not in help_text  # library callers only: no flag


def test_option_values_as_flags_and_as_dash_o_agree():
    by_flag = run_cli("convert", str(SEED), "-t", "ris", "--lf", "--bom")
    by_option = run_cli("convert", str(SEED), "-t", "ris", "-O", "crlf=no", "-O", "bom=on")
    assert by_flag.exit_code == by_option.exit_code == 0, by_option.stderr
    assert by_flag.stdout_bytes == by_option.stdout_bytes
    assert by_flag.stdout_bytes.startswith(b"\xef\xbb\xbfTY  - ")
    assert b"\r" not in by_flag.stdout_bytes


def test_a_false_jsonl_option_writes_an_array():
    # the switch is read as true or false like every other flag option, not by truthiness
    result = run_cli("convert", str(SEED), "-O", "jsonl=no", "--indent", "0")
    assert result.exit_code == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list)


def test_a_flag_option_refused_by_the_writer_names_the_flag():
    result = run_cli("convert", str(SEED), "-t", "ris", "--indent", "4")
    assert result.exit_code == 2
    assert result.stderr == (
        "refconv: error: option --indent does not apply to ris (it takes: --crlf/--lf, --bom)\n"
    )


def test_a_bad_choice_names_its_flag():
    result = run_cli("convert", str(SEED), "-t", "citation", "--markup", "latex")
    assert result.exit_code == 2
    assert result.stderr == (
        "refconv: error: --markup: unknown markup 'latex'; choose from text, html, markdown, rst\n"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (0, False), (1, True), ("Yes", True), (" off ", False), ("1", True)],
)
def test_flag_values(value, expected):
    assert flag_value(value, "x") is expected


@pytest.mark.parametrize("value", ["maybe", [1], None, 1.5, ""])
def test_flag_refuses_other_values(value):
    with pytest.raises(ValueError, match=r"option x must be true or false, not "):
        flag_value(value, "x")


def test_whole_number_and_choice():
    assert whole_number("4", "indent") == 4
    with pytest.raises(ValueError, match="option indent must be a whole number, not 'x'"):
        whole_number("x", "indent")
    assert choice_value("HTML", "markup", ("text", "html")) == "html"
    with pytest.raises(ValueError, match="unknown markup 'tex'; choose from text, html"):
        choice_value("tex", "markup", ("text", "html"))


def test_a_plugin_declares_options_by_name_only():
    assert declared(("upper", WriteOption("n", NUMBER))) == (
        WriteOption("upper"),
        WriteOption("n", NUMBER),
    )
    assert WriteOption("upper").spelling == "upper"
    assert WriteOption("crlf", FLAG, flag="--crlf/--lf").spelling == "--crlf/--lf"


def test_writer_flags_do_not_clash_with_the_command_s_own():
    from refconv.cli.main import convert

    own = convert.__code__.co_varnames[: convert.__code__.co_argcount]  # not __signature__'s
    declared_flags = default_registry().writer_options(plugins=False)
    assert "option" in own and not set(own) & set(declared_flags)  # the parameter names
    spellings = [f for option, _ in declared_flags.values() for f in option.flag.split("/") if f]
    assert len(spellings) == len(set(spellings))
    help_text = run_cli("convert", "--help").stdout
    for spelling in spellings:
        assert help_text.count(f"{spelling} ") + help_text.count(f"{spelling}\n") >= 1, spelling
