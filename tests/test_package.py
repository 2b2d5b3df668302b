"""The written package: deterministic, atomic, valid Frictionless and valid JSON Schema."""

from __future__ import annotations

import csv
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
    assert not stale, (
        f"converting the samples no longer gives the released {stale}: compare each changed value in "
        "`budgetpub diff` with the document as printed; a release is right only when the figures are"
    )


# Figures read by hand from samples/*.txt as printed (万元), looked up in the released store: a
# store re-released after a regression still fails here.
STORE_FIGURES = {
    "420100-157-2026-budget": [  # 表7 三公; 表5-1 21011; 表3 2210203
        ("three_public_expenses", {"basis": "budget", "item": "total"}, "amount", "53.48"),
        ("three_public_expenses", {"basis": "budget", "item": "vehicle_purchase"}, "amount", "35.98"),
        ("expenditure_by_function", {"scope": "general_public_budget", "function_code": "21011"}, "total", "400.15"),
        ("expenditure_by_function", {"scope": "all_funds", "function_code": "2210203"}, "total", "70.70"),
    ],
    "420100-x8d43a1-2024-final-accounts": [  # 公开01表
        ("budget_summary", {"side": "revenue", "item": "general_public_budget"}, "amount", "14,784.19"),
        ("budget_summary", {"side": "expenditure", "item": "206"}, "amount", "2,965.74"),
        ("budget_summary", {"side": "expenditure", "item": "221"}, "amount", "293.90"),
    ],
    "420113-054-2023-budget": [  # 三公 table; 一般公共预算支出表 合计 row
        ("three_public_expenses", {"basis": "budget", "item": "total"}, "amount", "2.00"),
        ("three_public_expenses", {"basis": "budget", "item": "official_reception"}, "amount", "2.00"),
        (
            "expenditure_by_function",
            {"scope": "general_public_budget", "function_code": "TOTAL"},
            "project",
            "1,346.39",
        ),
    ],
    "420106-328-2025-budget": [
        ("three_public_expenses", {"basis": "budget", "item": "total"}, "amount", "4.28"),
        ("three_public_expenses", {"basis": "budget", "item": "vehicle_operation"}, "amount", "3.00"),
        (
            "expenditure_by_function",
            {"scope": "general_public_budget", "function_code": "TOTAL"},
            "personnel",
            "2,133.39",
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(STORE_FIGURES))
def test_store_figures_are_as_printed(name):
    index = json.loads((ROOT / "datapackages" / "index.json").read_text(encoding="utf-8"))
    latest = next(p["latest"] for p in index["packages"] if p["name"] == name)
    folder = ROOT / "datapackages" / name / latest
    for resource, match, field, printed in STORE_FIGURES[name]:
        with (folder / "data" / f"{resource}.csv").open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if all(r.get(k) == v for k, v in match.items())]
        assert [Decimal(r[field]) for r in rows] == [Decimal(printed.replace(",", "")) * 10000], (resource, match)


def test_package_json_schema_is_current():
    """schema/package.schema.json is derived from the Table Schemas (python -m converter.schema):
    a Table Schema changed without it would publish a JSON form its schema rejects or misdescribes."""
    from converter.schema import PACKAGE_JSON_SCHEMA, RESOURCE_ORDER, field_names, package_json_schema_text

    committed = PACKAGE_JSON_SCHEMA.read_text(encoding="utf-8")
    definitions = json.loads(committed)["$defs"]
    for name in (*RESOURCE_ORDER, "units", "tables", "conversion_report"):
        assert list(definitions[name]["properties"]) == list(field_names(name)), name
    assert committed == package_json_schema_text(), "schema/package.schema.json differs from schema/tables/"


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
