"""The facts resource (every amount in long form) and the concept taxonomy that describes it."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from converter.facts import all_facts
from converter.package import build_resources, write_package
from converter.schema import RESOURCE_ORDER, amount_fields, table_schema
from tests.conftest import wan
from tests.test_validate import PACKAGES, ROOT, edit_csv, findings, pkg, repackage  # noqa: F401 - pkg fixture

CONCEPTS = ROOT / "schema" / "concepts.csv"


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_amount_field_is_a_concept_and_every_concept_a_field():
    concepts = {r["concept"]: r for r in read_csv(CONCEPTS)}
    fields = {f"{r}.{f}" for r in RESOURCE_ORDER for f in amount_fields(r)}
    assert set(concepts) == fields
    for row in concepts.values():
        assert row["label_zh"] and row["label_en"] and row["definition"] and row["balance"], row["concept"]


def test_one_fact_per_printed_amount(city):
    facts = all_facts(city.resources, "157", 2026, "budget", city.printed_units)
    amounts = sum(
        isinstance(row.get(f), Decimal) for r in RESOURCE_ORDER for row in city.resources[r] for f in amount_fields(r)
    )
    assert len(facts) == amounts
    fact = next(f for f in facts if f["concept"] == "expenditure_by_function.total" and f["function_code"] == "2080505")
    assert fact["scope"] == "all_funds" and fact["decimals"] == -2 and fact["unit"] == "CNY"
    assert fact["value"] == Decimal("2558700.00") and fact["label"] == "机关事业单位基本养老保险缴费支出"  # 255.87


def test_facts_stack_across_packages_into_one_filter():
    """'Every amount of 2010350 across departments and years' is one filter over stacked facts."""
    stacked = [row for folder in PACKAGES for row in read_csv(folder / "data" / "facts.csv")]
    totals = [r for r in stacked if r["function_code"] == "2010350" and r["concept"] == "expenditure_by_function.total"]
    assert sorted((r["entity"], r["period"], r["phase"], r["scope"], r["value"]) for r in totals) == [
        ("054", "2023", "budget", "all_funds", "5340300.00"),  # EDZ 2023: 534.03 万元
        ("054", "2023", "budget", "general_public_budget", "5340300.00"),
        ("x8d43a1", "2024", "final_accounts", "all_funds", "15001900.00"),  # 公开03: 1,500.19 (code cut short)
        ("x8d43a1", "2024", "final_accounts", "general_public_budget", "15001900.00"),
    ]


def test_procurement_facts_keep_yuan_precision(edz):
    facts = all_facts(edz.resources, "054", 2023, "budget", edz.printed_units)
    paper = [f for f in facts if f["catalogue_code"] == "A05040101"]
    assert {f["concept"] for f in paper} == {"procurement.unit_price", "procurement.total", "procurement.small_micro"}
    assert all(f["decimals"] == 2 for f in paper)


def test_validate_catches_a_fact_edited_by_hand(pkg):  # noqa: F811 - the fixture
    edit_csv(
        pkg,
        "facts",
        {"concept": "budget_summary.amount", "side": "revenue", "item": "general_public_budget"},
        {"value": "119948800.00"},
    )
    repackage(pkg)
    errors = findings(pkg, "error", "facts")
    assert errors and "re-run `budgetpub convert`" in errors[0].message


def identity_columns() -> list[str]:
    from validate.checks.identity import NOT_IDENTITY

    return [f["name"] for f in table_schema("facts")["fields"] if f["name"] not in NOT_IDENTITY]


def test_every_fact_of_every_sample_has_its_own_identity(city, wuchang, edz, final):
    """Concept, entity, period, phase and the dimensions name one fact (one XBRL fact)."""
    columns = identity_columns()
    for conv in (city, wuchang, edz, final):
        facts = build_resources(conv)[0]["facts"]
        keys = [tuple(str(f[c]) for c in columns) for f in facts]
        assert len(set(keys)) == len(keys), conv.name


def test_a_unit_printed_twice_is_two_facts_told_apart_by_line(city):
    """部门收入总表 prints 157001 once for 本年收入 (6637.36 万元, line 151) and once for its
    上年结转结余 (690.16, line 154): the same concept, unit and scope, two facts."""
    facts = build_resources(city)[0]["facts"]
    totals = [f for f in facts if f["concept"] == "revenue_by_unit.total" and f["unit_code"] == "157001"]
    assert [(f["value"], f["source_line"]) for f in totals] == [(wan("6637.36"), 151), (wan("690.16"), 154)]
    assert totals[0]["line"] != totals[1]["line"]
    without_line = [c for c in identity_columns() if c != "line"]
    assert [totals[0][c] for c in without_line] == [totals[1][c] for c in without_line]  # 1.3 could not tell


def test_project_category_rows_are_told_apart(city):
    """项目支出表: 157001's categories 其他运转类 28.26 and 本级支出项目 4,893.73 万元."""
    facts = build_resources(city)[0]["facts"]
    rows = [
        f
        for f in facts
        if f["concept"] == "projects.total" and f["row_type"] == "category" and f["unit_code"] == "157001"
    ]
    assert [(f["label"], f["value"]) for f in rows] == [("其他运转类", wan("28.26")), ("本级支出项目", wan("4893.73"))]
    identities = {tuple(f[c] for c in identity_columns()) for f in rows}
    assert len(identities) == 2  # told apart by their line alone: every other identity column is the same
    without_line = [c for c in identity_columns() if c != "line"]
    assert [rows[0][c] for c in without_line] == [rows[1][c] for c in without_line]


def test_validate_finds_two_facts_with_one_identity(city, tmp_path):
    write_package(city, tmp_path)
    folder = tmp_path / city.name
    assert not findings(folder, "error")
    first = read_csv(folder / "data" / "facts.csv")
    line_157001 = next(
        r["line"] for r in first if r["concept"] == "revenue_by_unit.total" and r["unit_code"] == "157001"
    )
    edit_csv(folder, "facts", {"concept": "revenue_by_unit.total", "source_line": "154"}, {"line": line_157001})
    edit_csv(folder, "revenue_by_unit", {"source_line": "154"}, {"line": line_157001})
    repackage(folder)
    errors = findings(folder, "error", "fact-identity")
    assert len(errors) == 1 and "revenue_by_unit.total" in errors[0].message and "6901600.00" in errors[0].message


def test_a_package_of_the_standard_1_4_must_have_what_1_4_added():
    """A package saying schema_version 1.4.0 whose facts lack xbrl_concept, without the resources
    of 1.3 and 1.4 and without its XBRL report, is refused; the same descriptor at 1.3.0 is not."""
    from validate.checks.identity import what_its_version_added
    from validate.model import PackageData

    facts = {"name": "facts", "schema": {"fields": [{"name": "concept"}, {"name": "line"}, {"name": "value"}]}}
    projects = {"name": "projects", "schema": {"fields": [{"name": "line"}, {"name": "total"}]}}
    descriptor = {"schema_version": "1.4.0", "resources": [facts, projects]}
    found = list(what_its_version_added(PackageData(descriptor=descriptor, resources={}, printed_units={})))
    assert [(f.severity, f.resource, f.field) for f in found] == [
        ("error", "facts", "government_economic_code"),
        ("error", "facts", "xbrl_concept"),
        ("error", "expenditure_by_economic", ""),
        ("error", "expenditure_by_function_and_economic", ""),
        ("error", "", ""),
    ]
    assert "no XBRL report" in found[-1].message
    older = {**descriptor, "schema_version": "1.3.0"}
    assert list(what_its_version_added(PackageData(descriptor=older, resources={}, printed_units={}))) == []
