"""The standard-form row checks (validate/checks/tables.py) find what frictionless finds: each
damage to a package's CSVs is reported at the same resource and row by both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_validate import CITY, edit_csv, repackage
from validate.checks.structure import by_frictionless
from validate.checks.tables import standard_form, table_rows
from validate.model import load_package


def places(findings) -> set[tuple[str, str]]:  # noqa: ANN001
    return {(f.resource, f.row_key) for f in findings}


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def damage_text(folder: Path, resource: str, change) -> None:  # noqa: ANN001
    path = folder / "data" / f"{resource}.csv"
    path.write_text("".join(change(lines(path))), encoding="utf-8")


DAMAGES = {
    "type": lambda f: edit_csv(f, "budget_summary", {"item": "grand_total", "side": "revenue"}, {"amount": "1O"}),
    "integer": lambda f: edit_csv(
        f, "budget_summary", {"item": "grand_total", "side": "revenue"}, {"source_line": "x"}
    ),
    "enum": lambda f: edit_csv(f, "budget_summary", {"item": "grand_total", "side": "revenue"}, {"side": "income"}),
    "pattern": lambda f: edit_csv(f, "budget_summary", {"item": "grand_total", "side": "revenue"}, {"item": "total!"}),
    "minimum": lambda f: edit_csv(
        f, "budget_summary", {"item": "grand_total", "side": "revenue"}, {"source_line": "0"}
    ),
    "required": lambda f: edit_csv(f, "budget_summary", {"item": "grand_total", "side": "revenue"}, {"side": ""}),
    "primary-key": lambda f: edit_csv(f, "three_public_expenses", {"item": "vehicles"}, {"item": "vehicle_purchase"}),
    "foreign-key": lambda f: edit_csv(f, "expenditure_by_unit", {"unit_code": "157003"}, {"unit_code": "157009"}),
    "label": lambda f: damage_text(f, "units", lambda rows: [rows[0].replace("unit_code", "unit"), *rows[1:]]),
    "extra-cell": lambda f: damage_text(f, "units", lambda rows: [rows[0], rows[1].rstrip("\n") + ",x\n", *rows[2:]]),
    "missing-cell": lambda f: damage_text(f, "units", lambda rows: [rows[0], rows[1].split(",")[0] + "\n", *rows[2:]]),
    "blank-row": lambda f: damage_text(f, "units", lambda rows: [rows[0], "\n", *rows[1:]]),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_the_row_checks_find_what_frictionless_finds(damage, tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(CITY, folder)
    DAMAGES[damage](folder)
    repackage(folder)
    pkg = load_package(folder / "datapackage.json")
    assert standard_form(pkg.descriptor)
    theirs = list(by_frictionless(pkg))
    ours = list(table_rows(pkg.descriptor, folder))
    assert theirs, f"frictionless sees the {damage} damage"
    assert places(ours) >= places(theirs), (ours, theirs)


def test_an_undamaged_package_is_clean_both_ways():
    pkg = load_package(CITY / "datapackage.json")
    assert standard_form(pkg.descriptor)
    assert list(table_rows(pkg.descriptor, CITY)) == [] == list(by_frictionless(pkg))


def test_a_schema_not_the_standard_s_goes_to_frictionless(tmp_path):
    import json

    folder = tmp_path / "pkg"
    shutil.copytree(CITY, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"][0]["type"] = "integer"
    assert not standard_form(descriptor)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["licenses"] = [{"name": 1}]  # frictionless checks a licence's shape
    assert not standard_form(descriptor)


def edit_document(folder: Path, change) -> None:  # noqa: ANN001
    import json

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    path = folder / descriptor["json_document"]["path"]
    document = json.loads(path.read_text(encoding="utf-8"))  # amounts as floats: exact at these sizes
    change(document["data"]["budget_summary"][0])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    repackage(folder)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda row: row.update(amount=row["amount"] + 1), "where the CSV has"),  # JSON Schema passes this
        (lambda row: row.update(amount=str(row["amount"])), "where the CSV has"),  # a string, not a number
        (lambda row: row.update(colour="red"), "'colour' is not a field of budget_summary"),
        (lambda row: row.pop("side"), "where the CSV has 'revenue'"),
    ],
)
def test_the_json_document_s_rows_are_the_csv_s(change, expected, tmp_path):
    from validate import validate_package

    folder = tmp_path / "pkg"
    shutil.copytree(CITY, folder)
    edit_document(folder, change)
    hits = [f.message for f in validate_package(folder, use_cache=False).findings if f.check == "json-form"]
    assert any(expected in m and "data/budget_summary/0" in m for m in hits), hits
