"""Installing refconv adds one top-level package, `refconv`, and a working console script."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [path] = out.glob("refconv-*.whl")
    return path


def test_wheel_installs_only_under_the_refconv_namespace(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert {t for t in top_level if not t.endswith(".dist-info")} == {"refconv"}
    assert "refconv/cli/main.py" in names
    assert "refconv/converters/core/registry.py" in names
    assert not any(name.startswith(("cli/", "converters/")) for name in names)


def test_wheel_declares_the_console_script(wheel):
    with zipfile.ZipFile(wheel) as archive:
        [entry_points] = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
        text = archive.read(entry_points).decode()
    assert "refconv = refconv.cli.main:run" in text


def test_wheel_holds_every_package_and_module(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, package in (("cli", "refconv/cli"), ("converters", "refconv/converters")):
        for source in (ROOT / folder).rglob("*.py"):
            relative = source.relative_to(ROOT / folder).as_posix()
            assert f"{package}/{relative}" in names, f"{folder}/{relative} is not packaged"


def test_wheel_holds_the_shipped_styles(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    styles = ROOT / "converters" / "formatting" / "styles"
    for path in styles.iterdir():
        assert f"refconv/converters/formatting/styles/{path.name}" in names, path.name
