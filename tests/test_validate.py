"""`budgetpub validate`: each check catches exactly the damage it is for, and is quiet on clean packages."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from frictionless import Package

from budgetpub.cli import cli
from validate import validate_package

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "datapackages"
LATEST = {p["name"]: p["latest"] for p in json.loads((STORE / "index.json").read_text(encoding="utf-8"))["packages"]}
CITY = STORE / "420100-157-2026-budget" / LATEST["420100-157-2026-budget"]
PACKAGES = sorted(STORE / name / version for name, version in LATEST.items())  # the latest release of each


def repackage(folder: Path) -> None:
    """What a contributor's re-packaging does: record each file's new hash and size."""
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for entry in [*descriptor["resources"], descriptor["json_document"]]:
        data = (folder / entry["path"]).read_bytes()
        entry["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        entry["bytes"] = len(data)
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def edit_csv(folder: Path, resource: str, match: dict[str, str], changes: dict[str, str]) -> None:
    path = folder / "data" / f"{resource}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, (resource, match, len(hits))
    hits[0].update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture()
def pkg(tmp_path) -> Path:
    folder = tmp_path / CITY.name
    shutil.copytree(CITY, folder)
    return folder


def findings(folder: Path, severity: str | None = None, check: str | None = None) -> list:
    result = validate_package(folder)
    return [
        f
        for f in result.findings
        if (severity is None or f.severity == severity) and (check is None or f.check.startswith(check))
    ]


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_bundled_packages_have_no_errors_and_validate_finds_what_conversion_recorded(folder):
    """validate re-runs the conversion's checks: it must find the document's own disagreements the
    conversion report recorded, no more and no fewer (which ones they are: the test below)."""
    result = validate_package(folder)
    assert result.counts["error"] == 0 and result.counts["warning"] == 0, result.findings
    with (folder / "data" / "conversion_report.csv").open(encoding="utf-8", newline="") as handle:
        recorded = sorted(
            (r["check"], r["row_key"], r["field"]) for r in csv.DictReader(handle) if r["severity"] == "source"
        )
    found = sorted((f.check, f.row_key, f.field) for f in result.findings if f.severity == "source")
    assert found == recorded


# The disagreements the samples print, read from samples/*.txt by hand:
SOURCE_FINDINGS = {
    # 表3 and 表5-1: 22102 住房改革支出 363.43, but 252.55 + 40.17 + 70.70 = 363.42 (total, basic; and
    # personnel in 表5-1, which prints it)
    "420100-157-2026-budget": [
        ("hierarchy", "[all_funds] 22102 住房改革支出", "basic"),
        ("hierarchy", "[all_funds] 22102 住房改革支出", "total"),
        ("hierarchy", "[general_public_budget] 22102 住房改革支出", "basic"),
        ("hierarchy", "[general_public_budget] 22102 住房改革支出", "personnel"),
        ("hierarchy", "[general_public_budget] 22102 住房改革支出", "total"),
    ],
    # 公开01表 prints 201 10,815.60, 206 2,965.74, 208 446.73, 210 262.22, 221 293.90 where 公开02表
    # prints 10,815.59, 2,965.73, 446.75, 262.23, 293.89; 公开06表: 302 商品和服务支出 285.09 but
    # 公用经费合计 285.07
    "420100-x8d43a1-2024-final-accounts": [
        ("across-tables", "201 一、一般公共服务支出", "amount"),
        ("across-tables", "206 六、科学技术支出", "amount"),
        ("across-tables", "208 八、社会保障和就业支出", "amount"),
        ("across-tables", "210 九、卫生健康支出", "amount"),
        ("across-tables", "221 十九、住房保障支出", "amount"),
        ("hierarchy", "TOTAL 合计", "public"),
    ],
    # 表6: 301's 9 items add to 1,255.02 (1,255.03 printed), 302's 15 items to 192.87 (192.86); 20805
    # 行政事业单位养老支出 860.78 but 717.25 + 42.74 + 100.80 = 860.79 (表3 and 表5-1), and in 表5-1 its
    # 838.85 + 21.94 = 860.79 too, as for 208; 表5-1 also: 206 and 20601 basic 929.10 against 775.94 +
    # 153.17, 2060101 532.85 against 400.29 + 132.57, the classes' personnel 2,133.40 and public
    # 192.87 against the 合计 2,133.39 and 192.86; 表5-2: 328003 basic 825.62 against 793.08 + 32.55
    "420106-328-2025-budget": sorted(
        [
            ("hierarchy", "301 工资福利支出", "personnel"),
            ("hierarchy", "301 工资福利支出", "total"),
            ("hierarchy", "302 商品和服务支出", "public"),
            ("hierarchy", "302 商品和服务支出", "total"),
            ("hierarchy", "[all_funds] 20805 行政事业单位养老支出", "basic"),
            ("hierarchy", "[all_funds] 20805 行政事业单位养老支出", "total"),
            ("hierarchy", "[general_public_budget] TOTAL 合计", "personnel"),
            ("hierarchy", "[general_public_budget] TOTAL 合计", "public"),
            ("row-identity", "[general_public_budget] 206 科学技术支出", "basic"),
            ("row-identity", "[general_public_budget] 20601 科学技术管理事务", "basic"),
            ("row-identity", "[general_public_budget] 2060101 行政运行", "basic"),
            ("row-identity", "[general_public_budget] 208 社会保障和就业支出", "basic"),
            ("hierarchy", "[general_public_budget] 20805 行政事业单位养老支出", "basic"),
            ("hierarchy", "[general_public_budget] 20805 行政事业单位养老支出", "total"),
            ("row-identity", "[general_public_budget] 20805 行政事业单位养老支出", "basic"),
            ("row-identity", "[general_public_budget] 328003 武昌区商业行业离退休人员管理服务中心", "basic"),
        ]
    ),
    # 一般公共预算基本支出表: 301's 11 items add to 486.69 (486.68 printed), 302's 18 items to 97.01
    # (97.00); the classes 201 1,809.72 + 208 26.69 + 210 43.24 + 221 50.41 = 1,930.06 against the
    # 合计 1,930.07 printed in 表3, 表5 and both 收支总表 (basic 583.67 against 583.68, personnel
    # 486.67 against 486.68); 政府采购: 1 × 360,000 printed as 3,600,000.00 and 1 × 155,000 as
    # 1,550,000.00
    "420113-054-2023-budget": sorted(
        [
            ("hierarchy", "301 工资福利支出", "personnel"),
            ("hierarchy", "301 工资福利支出", "total"),
            ("hierarchy", "302 商品和服务支出", "public"),
            ("hierarchy", "302 商品和服务支出", "total"),
            ("summary-balance", "expenditure current_year_total", "amount"),
            ("summary-balance", "expenditure current_year_total", "amount"),
            ("hierarchy", "[all_funds] TOTAL 合计", "basic"),
            ("hierarchy", "[all_funds] TOTAL 合计", "total"),
            ("hierarchy", "[general_public_budget] TOTAL 合计", "basic"),
            ("hierarchy", "[general_public_budget] TOTAL 合计", "personnel"),
            ("hierarchy", "[general_public_budget] TOTAL 合计", "total"),
            ("row-identity", "网群服务中心 平台运营服务", "total"),
            ("row-identity", "2023年数据治理运维项目 软件运维服务", "total"),
        ]
    ),
}


@pytest.mark.parametrize("name", sorted(SOURCE_FINDINGS))
def test_the_samples_own_disagreements_are_source_findings(name):
    result = validate_package(STORE / name / LATEST[name])
    found = sorted((f.check, f.row_key, f.field) for f in result.findings if f.severity == "source")
    assert found == SOURCE_FINDINGS[name]


def test_type_error_is_structural_and_frictionless_agrees(pkg):
    edit_csv(pkg, "expenditure_by_function", {"scope": "all_funds", "function_code": "208"}, {"total": "1O432200.00"})
    repackage(pkg)
    errors = findings(pkg, "error", "structure:")
    assert any(f.resource == "expenditure_by_function" and f.field == "total" and "type" in f.check for f in errors)
    assert not Package(str(pkg / "datapackage.json")).validate().valid
    assert Package(str(CITY / "datapackage.json")).validate().valid


def test_foreign_key_to_the_package_units(pkg):
    edit_csv(pkg, "expenditure_by_unit", {"unit_code": "157003"}, {"unit_code": "157009"})
    repackage(pkg)
    assert any(f.check == "structure:foreign-key" and f.resource == "expenditure_by_unit" for f in findings(pkg))


def test_foreign_key_to_the_code_list(pkg):
    edit_csv(pkg, "basic_expenditure_by_economic", {"economic_code": "30207"}, {"economic_code": "30298"})
    repackage(pkg)
    assert any(
        f.check == "structure:foreign-key" and f.resource == "basic_expenditure_by_economic" for f in findings(pkg)
    )


def test_primary_key_duplicate(pkg):
    edit_csv(pkg, "three_public_expenses", {"item": "vehicles"}, {"item": "vehicle_purchase"})
    repackage(pkg)
    assert any(f.check == "structure:primary-key" for f in findings(pkg, "error"))


def test_categories_enforced(pkg):
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    summary = next(r for r in descriptor["resources"] if r["name"] == "budget_summary")
    side = next(f for f in summary["schema"]["fields"] if f["name"] == "side")
    side.pop("constraints")  # only `categories` is left to say which values are allowed
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    edit_csv(pkg, "budget_summary", {"side": "revenue", "item": "other_income"}, {"side": "income"})
    repackage(pkg)
    hits = findings(pkg, "error", "categories")
    assert len(hits) == 1 and "side is 'income', which is not one of expenditure, revenue" in hits[0].message


def test_unique_keys_enforced(pkg):
    # two units of 157 with one name; the department 157 itself may share its 本级 unit's name
    edit_csv(pkg, "units", {"unit_code": "157003"}, {"unit_name": "武汉市数据局本级"})
    edit_csv(pkg, "units", {"unit_code": "157001"}, {"unit_name": "武汉市数据局"})
    repackage(pkg)
    assert findings(pkg, "error", "unique-keys") == []
    edit_csv(pkg, "units", {"unit_code": "157001"}, {"unit_name": "武汉市数据局本级"})
    repackage(pkg)
    hits = findings(pkg, "error", "unique-keys")
    assert len(hits) == 1 and "157/武汉市数据局本级 appears twice" in hits[0].message


def test_json_form_against_json_schema(pkg):
    path = pkg / f"{CITY.parent.name}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["fiscal_year"] = "2026"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    repackage(pkg)
    hits = findings(pkg, "error", "json-form")
    assert any("at fiscal_year" in f.message and "not of type 'integer'" in f.message for f in hits)


def test_code_not_existing_in_the_fiscal_year(pkg):
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["fiscal_year"] = 2025
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    hits = findings(pkg, "error", "codelist")
    assert any("functional code 20141 (数据事务) does not exist in fiscal year 2025" in f.message for f in hits)


def test_printed_name_differs_and_known_rename_is_a_note(pkg):
    edit_csv(pkg, "basic_expenditure_by_economic", {"economic_code": "30201"}, {"economic_name": "办公用品费"})
    repackage(pkg)
    warnings = findings(pkg, "warning", "codelist")
    assert [f.message for f in warnings] == [
        "economic code 30201 (办公用品费): printed name differs from the 2026 name '办公费'"
    ]
    notes = findings(pkg, "info", "codelist")
    assert any("20604 (技术与开发): printed name is a known other name" in f.message for f in notes)


def test_hierarchy_gap_beyond_rounding_is_an_error(pkg):
    edit_csv(
        pkg,
        "expenditure_by_function",
        {"scope": "general_public_budget", "function_code": "2101101"},
        {"total": "1228900.00"},
    )
    repackage(pkg)
    hits = [f for f in findings(pkg, "error") if f.check == "hierarchy"]
    # 表5-1 prints 21011 行政事业单位医疗 400.15 = 121.89 + 54.20 + 224.06; 2101101 is now 122.89
    assert [f.message for f in hits] == [
        "[general_public_budget] 21011 行政事业单位医疗: its 3 sub-items' total add to 401.15 "
        "万元 but the row says 400.15 万元"
    ]
    identity = [f for f in findings(pkg, "error") if f.check == "row-identity"]
    assert any(
        "2101101 行政单位医疗: basic + project add to 121.89 万元 but the row says 122.89 万元" in f.message
        for f in identity
    )


def test_small_gap_is_a_rounding_warning(pkg):
    edit_csv(
        pkg, "basic_expenditure_by_economic", {"economic_code": "30201"}, {"total": "160100.00", "public": "160100.00"}
    )
    repackage(pkg)
    hits = findings(pkg, "warning", "hierarchy")
    assert any(
        "302 商品和服务支出: its 15 sub-items' total add to 416.78 万元 but the row says 416.77 万元 (rounding)"
        in f.message
        for f in hits
    )
    assert not findings(pkg, "error", "hierarchy")


def test_three_public_parts(pkg):
    edit_csv(pkg, "three_public_expenses", {"item": "vehicle_operation"}, {"amount": "220000.00"})
    repackage(pkg)
    hits = findings(pkg, "error", "row-identity")
    assert any(
        "budget vehicles: vehicle_purchase + vehicle_operation add to 57.98 万元 but the row says 47.98 万元"
        in f.message
        for f in hits
    )


def test_summary_balance(pkg):
    edit_csv(pkg, "budget_summary", {"side": "expenditure", "item": "grand_total"}, {"amount": "132452100.00"})
    repackage(pkg)
    hits = findings(pkg, "error", "summary-balance")
    assert any(
        "revenue grand total 13,244.21 万元 does not equal expenditure grand total 13,245.21 万元" in f.message
        for f in hits
    )


def test_across_tables(pkg):
    edit_csv(pkg, "budget_summary", {"side": "expenditure", "item": "210"}, {"amount": "4101500.00"})
    repackage(pkg)
    hits = findings(pkg, "error", "across-tables")
    assert [f.message for f in hits] == [
        "210 七、卫生健康支出: 410.15 万元 here but 400.15 万元 in expenditure_by_function (all_funds)"
    ]


def test_economic_total_against_functional_basic(pkg):
    edit_csv(pkg, "basic_expenditure_by_economic", {"economic_code": "TOTAL"}, {"personnel": "38061100.00"})
    repackage(pkg)
    hits = findings(pkg, "error", "across-tables")
    assert any(
        "TOTAL personnel: 3,806.11 万元 here but 3,805.11 万元 in expenditure_by_function "
        "(general_public_budget) personnel" in f.message
        for f in hits
    )


def test_hand_edit_without_repackaging_is_caught(pkg):
    edit_csv(pkg, "projects", {"project_code": "42010026157Y000000113"}, {"total": "140000.00"})
    hits = findings(pkg, "error", "integrity")
    assert len(hits) == 1 and hits[0].message.startswith("data/projects.csv was changed after packaging")


def test_source_sha256_must_be_recorded(pkg):
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["source"]["sha256"] = ""
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    assert any("sha256" in f.message for f in findings(pkg, "error", "integrity"))


def test_cli_output_exit_codes_and_json(pkg, tmp_path):
    runner = CliRunner()
    clean = runner.invoke(cli, ["validate", str(CITY)])
    assert clean.exit_code == 0 and "valid" in clean.output and "\x1b[" not in clean.output
    assert "1 package(s), 0 invalid: 0 errors, 0 warnings, 5 source findings, 2 notes" in clean.output
    edit_csv(pkg, "projects", {"project_code": "42010026157Y000000113"}, {"total": "140000.00"})
    broken = runner.invoke(cli, ["validate", str(pkg), "--json"])
    assert broken.exit_code == 1
    report = json.loads(broken.output)
    assert report[0]["valid"] is False and report[0]["counts"]["error"] >= 1
    assert runner.invoke(cli, ["validate", str(tmp_path / "missing")]).exit_code == 2
    (tmp_path / "empty").mkdir()
    not_package = runner.invoke(cli, ["validate", str(tmp_path / "empty")])
    assert not_package.exit_code == 2 and "no datapackage.json" in not_package.output


def test_revenue_lines_add_to_their_totals(pkg):
    edit_csv(
        pkg, "revenue_by_unit", {"unit_code": "157001", "source_line": "151"}, {"general_public_budget": "66383600.00"}
    )
    repackage(pkg)
    hits = findings(pkg, "error", "row-identity")
    assert any(
        f.resource == "revenue_by_unit"
        and "157001 武汉市数据局本级: general_public_budget add to 6,638.36 万元" in f.message
        for f in hits
    )


def test_project_lines_add_to_their_subtotals(pkg):
    edit_csv(
        pkg,
        "projects",
        {"project_code": "42010026157Y000000113"},
        {"total": "140000.00", "general_public_budget": "140000.00"},
    )
    repackage(pkg)
    hits = [f for f in findings(pkg, "error", "hierarchy") if f.resource == "projects"]
    assert any(
        "category 157003 其他运转类: its 9 lines' total add to 3,542.18 万元 but the row says 3,541.18 万元"
        in f.message
        for f in hits
    )


def test_unit_table_total_against_functional_total(pkg):
    edit_csv(pkg, "expenditure_by_unit", {"unit_code": "TOTAL"}, {"project": "90333300.00"})
    repackage(pkg)
    hits = findings(pkg, "error", "across-tables")
    assert any(
        "TOTAL project: 9,033.33 万元 here but 9,022.33 万元 in expenditure_by_function" in f.message for f in hits
    )


def test_project_table_total_against_project_column(pkg):
    edit_csv(pkg, "projects", {"row_type": "total"}, {"total": "90233300.00"})
    repackage(pkg)
    hits = findings(pkg, "error", "across-tables")
    assert any(
        "total: 9,023.33 万元 here but 9,022.33 万元 in expenditure_by_function project column" in f.message
        for f in hits
    )


def test_a_changed_source_gap_is_no_longer_a_source_finding(pkg):
    """The document's own 22102 gap is `source`; widening it by hand makes it an error."""
    edit_csv(
        pkg,
        "expenditure_by_function",
        {"scope": "all_funds", "function_code": "2210203"},
        {"total": "717000.00", "basic": "717000.00"},
    )
    repackage(pkg)
    result = validate_package(pkg)
    gap = [
        f
        for f in result.findings
        if f.check == "hierarchy" and "22102" in f.row_key and f.field == "total" and "all_funds" in f.row_key
    ]
    assert [f.severity for f in gap] == ["error"]
