"""The optional compiled build: used only while it was built from the sources as they are now."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import converter
import converter.pipeline
from converter import compiled
from tests.conftest import CITY_2026


def _manifest(folder, sources: dict[str, str], build: str | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    record = {"build": build or compiled._build_tag(), "sources": sources}
    (folder / compiled.MANIFEST.name).write_text(json.dumps(record), encoding="utf-8")


def _current_sources() -> dict[str, str]:
    return {module: compiled._digest(compiled.ROOT / module) for module in compiled.MODULES}


def test_a_build_of_the_current_sources_is_current(tmp_path):
    _manifest(tmp_path, _current_sources())
    assert compiled.is_current(tmp_path)


def test_a_build_of_older_sources_is_not_used(tmp_path):
    sources = _current_sources()
    sources["converter/performance.py"] = "0" * 64  # the source was edited after the build
    _manifest(tmp_path, sources)
    assert not compiled.is_current(tmp_path)


def test_a_build_for_another_interpreter_or_module_set_is_not_used(tmp_path):
    _manifest(tmp_path / "other-python", _current_sources(), build="cpython-39-linux")
    assert not compiled.is_current(tmp_path / "other-python")
    fewer = dict(list(_current_sources().items())[1:])
    _manifest(tmp_path / "fewer", fewer)
    assert not compiled.is_current(tmp_path / "fewer")
    assert not compiled.is_current(tmp_path / "missing")


@pytest.mark.skipif(
    os.environ.get("BUDGETPUB_PURE") == "1" or not compiled.is_current(), reason="no current compiled build"
)
def test_a_current_build_is_what_runs():
    assert converter.COMPILED
    assert converter.pipeline.__file__.startswith(str(compiled.BUILD_DIR))
    assert not converter.pipeline.__file__.endswith(".py")


def test_the_installed_command_converts_and_validates_from_any_folder(tmp_path):
    """As users run it: the console script, started outside the repository, on either build."""
    budgetpub = str(Path(sys.executable).parent / "budgetpub")
    out = tmp_path / "out"
    converted = subprocess.run(
        [budgetpub, "convert", str(CITY_2026), "--out", str(out)], cwd=tmp_path, capture_output=True, text=True
    )
    assert converted.returncode == 0, converted.stderr
    (package,) = out.iterdir()
    validated = subprocess.run([budgetpub, "validate", str(package)], cwd=tmp_path, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "1 package(s), 0 invalid" in validated.stdout
