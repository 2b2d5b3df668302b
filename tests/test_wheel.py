"""The wheel as a user installs it: built from the sources, installed into a fresh venv, run outside the checkout.

The checkout finds the standard in schema/; an installed budgetpub has only what the wheel carries.
This builds the wheel (pip wheel, as `python -m build` would), installs it with its dependencies
into a new virtual environment in a temporary folder, and converts, validates and releases a
sample from another folder there; the packages must be byte for byte what the checkout makes.
About a minute (most of it installing the dependencies); marked `wheel` so a quick local loop can
leave it out (`pytest -m "not wheel"`); CI runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from converter import convert_file
from tests.conftest import CITY_2026

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
# What a build reads; not build/ (setuptools would pack stale files left in build/lib) nor the store.
BUILD_INPUTS = ("pyproject.toml", "README.md", "budgetpub", "converter", "validate", "release", "schema")


def _run(command: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "BUDGETPUB_PURE")}
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=environment)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in BUILD_INPUTS:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(path, source / name)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work / "dist"), "."], source)
    (built,) = (work / "dist").glob("budgetpub-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and its dependencies; returns its bin/ folder."""
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], venv.parent)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], venv.parent, timeout=600)
    return venv / "bin"


def test_the_wheel_carries_every_file_of_the_standard(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    standard = [p.relative_to(ROOT / "schema").as_posix() for p in (ROOT / "schema").rglob("*") if p.is_file()]
    assert len(standard) > 30  # the Table Schemas, the code lists, the JSON Schema, the concepts
    missing = [name for name in standard if f"budgetpub/schema/{name}" not in names]
    assert not missing, f"not packaged (add its pattern to [tool.setuptools.package-data]): {missing}"
    assert not [name for name in names if name.startswith(("tests/", "samples/", "bench/", "build/"))]


def test_the_installed_wheel_converts_validates_and_releases_outside_the_checkout(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy2(CITY_2026, elsewhere / CITY_2026.name)
    budgetpub = str(installed / "budgetpub")

    converted = _run([budgetpub, "convert", CITY_2026.name], elsewhere)
    assert converted.stdout.startswith("converted: ")
    # An installed budgetpub has no checkout: its default folders are relative to where it runs.
    (package,) = (elsewhere / "build" / "packages").iterdir()
    expected = convert_file(CITY_2026, tmp_path / "checkout")
    assert expected.package is not None and expected.package.name == package.name
    assert _files(package) == _files(expected.package)  # the packaged standard is the checkout's

    validated = _run([budgetpub, "validate"], elsewhere)
    assert "1 package(s), 0 invalid" in validated.stdout
    _run([budgetpub, "release", "--date", "2026-01-15"], elsewhere)
    release = elsewhere / "datapackages" / package.name / "1.0.0"
    assert (release / "datapackage.json").is_file() and (elsewhere / "datapackages" / "catalog.json").is_file()

    # The site of the store, with its assets (package data) and the source found in the current folder.
    _run([budgetpub, "site", "--sources", "."], elsewhere)
    site = elsewhere / "datapackages" / "site"
    assert (site / "assets" / "site.js").is_file() and (site / "assets" / "site.css").is_file()
    assert "text.html#L" in (site / package.name / "1.0.0" / "index.html").read_text(encoding="utf-8")

    # The Frictionless library's own command (installed with budgetpub) accepts the package and its release.
    for descriptor in (package / "datapackage.json", release / "datapackage.json"):
        checked = _run([str(installed / "frictionless"), "validate", "--json", str(descriptor)], elsewhere)
        assert json.loads(checked.stdout)["valid"] is True


def test_the_installed_wheel_runs_its_sources_and_reads_its_own_standard(installed, tmp_path):
    """The mypyc build belongs to a checkout (build/compiled/); an installed wheel never looks for one."""
    probe = (
        "import converter, converter.locations as at, converter.pipeline as p;"
        "print(converter.COMPILED, at.CHECKOUT, p.__file__.endswith('.py'), at.SCHEMA_DIR)"
    )
    shown = _run([str(installed / "python"), "-c", probe], tmp_path).stdout.split()
    assert shown[:3] == ["False", "False", "True"]
    assert Path(shown[3]).parts[-2:] == ("budgetpub", "schema") and "site-packages" in shown[3]
    refused = subprocess.run([str(installed / "budgetpub"), "compile"], cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode != 0 and "checkout" in refused.stdout + refused.stderr
