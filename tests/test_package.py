"""The written package: deterministic, atomic, valid Frictionless and valid JSON Schema."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from frictionless import Package

from budgetpub.cli import cli
from converter import convert_file
from converter.codelists import SCHEMA_DIR
from tests.conftest import ALL_SAMPLES, BUDGETS, CITY_2026, FINAL_2024

ROOT = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("packages")
    for path in BUDGETS:
        assert convert_file(path, out).status == "converted"
    return out


def test_same_input_gives_byte_identical_output(packages, tmp_path):
    for path in BUDGETS:
        convert_file(path, tmp_path)
    assert tree(tmp_path) == tree(packages)


def test_committed_release_is_current(tmp_path):
    """datapackages/ holds the latest release of what converting the bundled samples gives:
    releasing a fresh conversion into a copy of it releases nothing."""
    from release import release_packages

    built = tmp_path / "built"
    for path in ALL_SAMPLES:
        assert convert_file(path, built).status == "converted"
    store = tmp_path / "store"
    shutil.copytree(ROOT / "datapackages", store, ignore=shutil.ignore_patterns("*.sqlite"))
    result = release_packages(built, store, sqlite=False)
    stale = [p.name for p in result.packages if p.status != "unchanged"]
    assert not stale, f"datapackages/ is stale for {stale}: run `budgetpub convert && budgetpub release`"


def test_frictionless_validates_every_package(packages):
    for descriptor in sorted(packages.glob("*/datapackage.json")):
        report = Package(str(descriptor)).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_json_document_matches_schema_and_csv(packages):
    schema = json.loads((SCHEMA_DIR / "package.schema.json").read_text(encoding="utf-8"))
    for descriptor in sorted(packages.glob("*/datapackage.json")):
        meta = json.loads(descriptor.read_text(encoding="utf-8"))
        text = (descriptor.parent / meta["json_document"]["path"]).read_text(encoding="utf-8")
        jsonschema.Draft202012Validator(schema).validate(json.loads(text))
        document = json.loads(text, parse_float=Decimal)  # amounts are exact in the file
        assert document["source"]["sha256"] == meta["source"]["sha256"]
        summary = document["data"]["budget_summary"]
        assert all(isinstance(r["amount"], (Decimal, int, type(None))) for r in summary)


def test_resource_hashes_are_recorded(packages):
    import hashlib

    for descriptor in sorted(packages.glob("*/datapackage.json")):
        meta = json.loads(descriptor.read_text(encoding="utf-8"))
        for resource in meta["resources"]:
            data = (descriptor.parent / resource["path"]).read_bytes()
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)


def test_cli_converts_a_folder_and_reports_bad_files(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "city.txt").write_bytes(CITY_2026.read_bytes())
    (inputs / "empty.txt").write_text("")
    (inputs / "final.txt").write_bytes(FINAL_2024.read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(inputs), "--out", str(out)])
    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.output
    assert "converted: city.txt" in result.output and "28 tables" in result.output
    assert "tables found: 28 converted" in result.output
    assert "converted: final.txt" in result.output
    assert "2 converted, 0 partial, 0 skipped, 1 failed" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["420100-157-2026-budget", "420100-x8d43a1-2024-final-accounts"]
    assert "Traceback" not in result.output


def test_cli_usage_errors_and_help():
    runner = CliRunner()
    missing = runner.invoke(cli, ["convert", "/no/such/file.txt"])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
    help_text = runner.invoke(cli, ["convert", "--help"]).output
    assert "--out" in help_text and "bundled" in help_text


def test_failed_write_leaves_no_partial_package(tmp_path):
    """The file system refuses the package's large files half-way through writing it (here: a
    file size limit, as a full disk would): none of the files written before stays behind."""
    import resource
    import signal

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, hard))
    try:
        with pytest.raises(OSError):
            convert_file(CITY_2026, tmp_path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert list(tmp_path.iterdir()) == []
