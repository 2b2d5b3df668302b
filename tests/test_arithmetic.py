"""The arithmetic checks on small tables written by hand, with the findings they must give written
out in full: which rows add up, where rounding (尾数误差) ends and an error begins, and which
rows a layout leaves out of a sum.

Amounts are in yuan (as the package holds them); the tables are printed in 万元 unless a test says
otherwise, so one printed unit is 100 yuan and a sum of n terms may be off by n × 100 yuan.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from converter.report import Finding
from validate.checks.arithmetic import (
    economic_hierarchy,
    economic_identities,
    expenditure_hierarchy,
    expenditure_identities,
    listing_sums,
    project_sums,
    revenue_identities,
    summary_balance,
    three_public_parts,
)
from validate.model import PackageData

D = Decimal


def package(resources: dict[str, list[dict]], units: dict[str, str] | None = None) -> PackageData:
    return PackageData(descriptor={}, resources=resources, printed_units=units or {})


def function_rows(*rows: tuple, fields: tuple[str, ...] = ("total",), scope: str | None = None) -> list[dict]:
    """(code, name, amounts..., source line) rows of a functional table, every field on every row."""
    out = []
    for code, name, *amounts, line in rows:
        row = {"function_code": code, "function_name": name, "source_line": line}
        row.update({f: (D(a) if a is not None else None) for f, a in zip(fields, amounts, strict=True)})
        if scope is not None:
            row["scope"] = scope
        out.append(row)
    return out


# ---- hierarchy: children add to their parent, within one printed unit per child --------------------


@pytest.mark.parametrize(
    "child, severity, says, value",
    [
        ("400200.00", "warning", "100.02 万元 but the row says 100.00 万元 (rounding)", "200.00"),  # 2 terms × 100
        ("399800.00", "warning", "99.98 万元 but the row says 100.00 万元 (rounding)", "-200.00"),
        ("400201.00", "error", "100.02 万元 but the row says 100.00 万元", "201.00"),
    ],
)
def test_a_gap_of_one_printed_unit_per_term_is_rounding(child, severity, says, value):
    rows = function_rows(
        ("201", "一般公共服务支出", "1000000.00", 10),
        ("20101", "人大事务", "600000.00", 11),
        ("20102", "政协事务", child, 12),
    )
    assert list(expenditure_hierarchy(package({"expenditure_by_function": rows}))) == [
        Finding(
            severity,
            "hierarchy",
            f"201 一般公共服务支出: its 2 sub-items' total add to {says}",
            resource="expenditure_by_function",
            row_key="201 一般公共服务支出",
            field="total",
            source_line=10,
            value=value,
        )
    ]


def test_exact_sums_give_nothing():
    rows = function_rows(
        ("TOTAL", "合计", "1500000.00", 9),
        ("201", "一般公共服务支出", "1000000.00", 10),
        ("20101", "人大事务", "600000.00", 11),
        ("2010101", "行政运行", "600000.00", 12),
        ("20102", "政协事务", "400000.00", 13),
        ("208", "社会保障和就业支出", "500000.00", 14),
        ("20805", "行政事业单位养老支出", "500000.00", 15),
    )
    assert list(expenditure_hierarchy(package({"expenditure_by_function": rows}))) == []


def test_a_table_in_thousands_allows_ten_yuan_per_term_and_prints_yuan():
    rows = function_rows(
        ("201", "一般公共服务支出", "1000000.00", 10),
        ("20101", "人大事务", "600000.00", 11),
        ("20102", "政协事务", "400030.00", 12),
    )
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows}, {"expenditure_by_function": "千元"})))
    assert [(f.severity, f.message) for f in found] == [
        (
            "error",
            "201 一般公共服务支出: its 2 sub-items' total add to 1,000,030.00 元 but the row says 1,000,000.00 元",
        )
    ]
    rows[2]["total"] = D("400020.00")  # 2 terms × 10 yuan
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows}, {"expenditure_by_function": "千元"})))
    assert [f.severity for f in found] == ["warning"]


def test_the_grand_total_adds_the_classes_and_a_class_may_skip_a_level():
    """TOTAL = the 类; a 类 printed with only its 项 (no 款 lines) adds its 项."""
    rows = function_rows(
        ("TOTAL", "合计", "2000500.00", 9),
        ("201", "一般公共服务支出", "1000000.00", 10),
        ("2010101", "行政运行", "600000.00", 11),
        ("2010102", "一般行政管理事务", "300000.00", 12),
        ("208", "社会保障和就业支出", "1000000.00", 13),
        ("20805", "行政事业单位养老支出", "1000000.00", 14),
    )
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows})))
    assert [(f.row_key, f.message, f.value, f.source_line) for f in found] == [
        (
            "TOTAL 合计",
            "TOTAL 合计: its 2 sub-items' total add to 200.00 万元 but the row says 200.05 万元",
            "-500.00",
            9,
        ),
        (
            "201 一般公共服务支出",
            "201 一般公共服务支出: its 2 sub-items' total add to 90.00 万元 but the row says 100.00 万元",
            "-100000.00",
            10,
        ),
    ]


FIELDS = ("total", "basic", "personnel", "public", "project", "business_operation")


def test_every_printed_column_is_checked_the_project_column_too():
    rows = function_rows(
        ("201", "一般公共服务支出", "900000.00", "400000.00", "300000.00", "100000.00", "500000.00", "1000.00", 10),
        ("20101", "人大事务", "800000.00", "400000.00", "300000.00", "100000.00", "400000.00", "0", 11),
        ("20102", "政协事务", "100000.00", None, None, None, "0", "0", 12),
        fields=FIELDS,
    )
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows})))
    assert [(f.field, f.severity, f.value) for f in found] == [
        ("project", "error", "-100000.00"),
        ("business_operation", "error", "-1000.00"),
    ]


def test_a_column_the_parent_does_not_have_or_nobody_fills_is_not_checked():
    rows = function_rows(("201", "一般公共服务支出", None, 10), ("20101", "人大事务", None, 11), fields=("total",))
    for row in rows:
        row["basic"] = None
    rows[0]["project"] = None
    rows[1]["project"] = D("100.00")
    rows[1]["personnel"] = D("100.00")  # the parent has no personnel column at all
    rows[0]["public"] = D("500000.00")  # the parent's only check: public, after columns it skips
    rows[1]["public"] = D("400000.00")
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows})))
    assert [(f.field, f.message) for f in found] == [
        ("public", "201 一般公共服务支出: its 1 sub-items' public add to 40.00 万元 but the row says 50.00 万元"),
        (
            "project",
            "201 一般公共服务支出: its 1 sub-items' project add to 0.01 万元 but the row says 0.00 万元 (rounding)",
        ),
    ]


def test_a_blank_grand_total_is_a_layout_but_a_blank_class_is_a_gap():
    """Some layouts print no grand total for a column (人员经费合计 | 公用经费合计 only per part)."""
    rows = function_rows(
        ("TOTAL", "合计", None, 9),
        ("201", "一般公共服务支出", None, 10),
        ("20101", "人大事务", "600000.00", 11),
        ("208", "社会保障和就业支出", "500000.00", 12),
    )
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows})))
    assert [(f.row_key, f.message) for f in found] == [
        (
            "201 一般公共服务支出",
            "201 一般公共服务支出: its 1 sub-items' total add to 60.00 万元 but the row says 0.00 万元",
        )
    ]


@pytest.mark.parametrize(
    "resource", ["expenditure_by_function", "government_fund_expenditure", "state_capital_expenditure"]
)
def test_scopes_are_checked_apart_in_every_functional_table(resource):
    rows = [
        *function_rows(
            ("201", "一般公共服务支出", "1000000.00", 10), ("20101", "人大事务", "900000.00", 11), scope="all_funds"
        ),
        *function_rows(("20102", "政协事务", "100000.00", 30), scope="general_public_budget"),
    ]
    found = list(expenditure_hierarchy(package({resource: rows})))
    assert [(f.resource, f.row_key, f.message) for f in found] == [
        (
            resource,
            "[all_funds] 201 一般公共服务支出",
            "[all_funds] 201 一般公共服务支出: its 1 sub-items' total add to 90.00 万元 but the row says 100.00 万元",
        )
    ]


def test_economic_classes_add_their_items():
    rows = [
        {"economic_code": "TOTAL", "economic_name": "合计", "total": D("400000.00"), "personnel": None, "public": None},
        {"economic_code": "301", "economic_name": "工资福利支出", "total": D("300000.00"), "personnel": D("300000.00")},
        {"economic_code": "30101", "economic_name": "基本工资", "total": D("100000.00"), "personnel": D("100000.00")},
        {"economic_code": "30102", "economic_name": "津贴补贴", "total": D("100000.00"), "personnel": D("100000.00")},
        {"economic_code": "302", "economic_name": "商品和服务支出", "total": D("100000.00"), "public": D("100000.00")},
    ]
    for line, row in enumerate(rows, start=20):
        row["source_line"] = line
    found = list(economic_hierarchy(package({"basic_expenditure_by_economic": rows})))
    message = "301 工资福利支出: its 2 sub-items' {} add to 20.00 万元 but the row says 30.00 万元"
    assert found == [
        Finding(
            "error",
            "hierarchy",
            message.format(field),
            resource="basic_expenditure_by_economic",
            row_key="301 工资福利支出",
            field=field,
            source_line=21,
            value="-100000.00",
        )
        for field in ("total", "personnel")
    ]


# ---- row identities: a row's total is the sum of the parts it prints ---------------------------------


def expenditure_row(code: str, name: str, total, basic, personnel, public, project, line: int) -> dict:
    values = {"total": total, "basic": basic, "personnel": personnel, "public": public, "project": project}
    row = {"function_code": code, "function_name": name, "source_line": line, "business_operation": None}
    row.update({k: (D(v) if v is not None else None) for k, v in values.items()})
    return row


def test_total_is_basic_plus_project_and_basic_is_personnel_plus_public():
    rows = [
        expenditure_row("TOTAL", "合计", "1000000.00", "600000.00", "500000.00", "100000.00", "300000.00", 5),
        expenditure_row("2010101", "行政运行", "600000.00", "600000.00", "500000.00", "90000.00", None, 6),
        expenditure_row("2010102", "一般行政管理事务", None, None, None, None, "300000.00", 7),
        expenditure_row("2010103", "机关服务", "100.00", "100.00", None, "100.00", None, 8),
    ]
    for row in rows:
        row["scope"] = "all_funds"
    found = list(expenditure_identities(package({"expenditure_by_function": rows})))
    assert found == [
        Finding(
            "error",
            "row-identity",
            "[all_funds] TOTAL 合计: basic + project add to 90.00 万元 but the row says 100.00 万元",
            resource="expenditure_by_function",
            row_key="[all_funds] TOTAL 合计",
            field="total",
            source_line=5,
            value="-100000.00",
        ),
        Finding(
            "error",
            "row-identity",
            "[all_funds] 2010101 行政运行: personnel + public add to 59.00 万元 but the row says 60.00 万元",
            resource="expenditure_by_function",
            row_key="[all_funds] 2010101 行政运行",
            field="basic",
            source_line=6,
            value="-10000.00",
        ),
        Finding(
            "error",
            "row-identity",
            "[all_funds] 2010102 一般行政管理事务: basic + project add to 30.00 万元 but the row says 0.00 万元",
            resource="expenditure_by_function",
            row_key="[all_funds] 2010102 一般行政管理事务",
            field="total",
            source_line=7,
            value="300000.00",
        ),
    ]


def test_a_grand_total_the_layout_leaves_blank_is_not_checked():
    rows = [
        expenditure_row("TOTAL", "合计", None, None, "500000.00", "100000.00", None, 5),
        expenditure_row("2010101", "行政运行", "600000.00", "600000.00", "500000.00", "100000.00", None, 6),
    ]
    assert list(expenditure_identities(package({"expenditure_by_function": rows}))) == []


def test_the_unit_table_is_checked_by_unit():
    rows = [
        {"unit_code": "157001", "unit_name": "武汉市数据局本级", "total": D("500.00"), "basic": D("300.00")},
        {"unit_code": "157003", "unit_name": None, "total": D("500.00"), "basic": D("500.00"), "project": None},
    ]
    rows[0]["project"] = D("100.00")
    found = list(expenditure_identities(package({"expenditure_by_unit": rows}, {"expenditure_by_unit": "元"})))
    assert [(f.row_key, f.message, f.severity) for f in found] == [
        (
            "157001 武汉市数据局本级",
            "157001 武汉市数据局本级: basic + project add to 400.00 元 but the row says 500.00 元",
            "error",
        )
    ]


@pytest.mark.parametrize("resource", ["government_fund_expenditure", "state_capital_expenditure"])
def test_fund_tables_are_checked_too(resource):
    rows = [
        expenditure_row(
            "2080505", "机关事业单位基本养老保险缴费支出", "3000000.00", "1000000.00", None, None, "1000000.00", 3
        )
    ]
    found = list(expenditure_identities(package({resource: rows})))
    assert [(f.resource, f.row_key, f.severity) for f in found] == [
        (resource, "2080505 机关事业单位基本养老保险缴费支出", "error")
    ]


def test_economic_rows_are_personnel_plus_public():
    rows = [
        {"economic_code": "302", "economic_name": "商品和服务支出", "total": D("416.77"), "personnel": None},
        {"economic_code": "30201", "economic_name": "办公费", "total": D("300.00"), "public": D("300.00")},
    ]
    rows[0]["public"] = D("300.00")
    rows[0]["source_line"] = 40
    found = list(
        economic_identities(package({"basic_expenditure_by_economic": rows}, {"basic_expenditure_by_economic": "元"}))
    )
    assert found == [
        Finding(
            "error",
            "row-identity",
            "302 商品和服务支出: personnel + public add to 300.00 元 but the row says 416.77 元",
            resource="basic_expenditure_by_economic",
            row_key="302 商品和服务支出",
            field="total",
            source_line=40,
            value="-116.77",
        )
    ]


def three_public(**amounts: str | None) -> list[dict]:
    """The 2026 city sample's 三公 table as printed (万元): 53.48 = 47.98 + 5.50; 47.98 = 35.98 + 12.00."""
    printed = {
        "total": "534800.00",
        "outbound_travel": None,
        "vehicles": "479800.00",
        "vehicle_purchase": "359800.00",
        "vehicle_operation": "120000.00",
        "official_reception": "55000.00",
        **amounts,
    }
    return [
        {"basis": "budget", "item": item, "amount": D(value) if value is not None else None, "source_line": 353}
        for item, value in printed.items()
    ]


def test_the_three_public_expenses_as_printed_add_up():
    assert list(three_public_parts(package({"three_public_expenses": three_public()}))) == []


def test_travel_abroad_is_part_of_the_three_public_total():
    found = list(three_public_parts(package({"three_public_expenses": three_public(outbound_travel="100000.00")})))
    assert found == [
        Finding(
            "error",
            "row-identity",
            "budget total: outbound_travel + vehicles + official_reception add to 63.48 万元 "
            "but the row says 53.48 万元",
            resource="three_public_expenses",
            row_key="budget total",
            field="total",
            source_line=353,
            value="100000.00",
        )
    ]


def test_vehicles_are_purchase_plus_operation_per_basis():
    rows = three_public(vehicle_operation="220000.00")
    rows += [{**r, "basis": "actual"} for r in three_public()]
    found = list(three_public_parts(package({"three_public_expenses": rows})))
    assert [(f.row_key, f.message) for f in found] == [
        (
            "budget vehicles",
            "budget vehicles: vehicle_purchase + vehicle_operation add to 57.98 万元 but the row says 47.98 万元",
        )
    ]


def revenue_row(**amounts: str) -> dict:
    row: dict = {"unit_code": "157001", "unit_name": "武汉市数据局本级", "source_line": 151}
    row.update({k: D(v) for k, v in amounts.items()})
    return row


def test_revenue_by_unit_three_identities():
    good = revenue_row(
        total="1300000.00",
        current_year_total="1200000.00",
        general_public_budget="1000000.00",
        other_income="200000.00",
        carryover_total="100000.00",
        carryover_general_public_budget="100000.00",
    )
    assert list(revenue_identities(package({"revenue_by_unit": [good]}))) == []
    for field, broken, message in (
        (
            "total",
            "1400000.00",
            "157001 武汉市数据局本级: current_year_total + carryover_total add to 130.00 万元 "
            "but the row says 140.00 万元",
        ),
        (
            "current_year_total",
            "1100000.00",
            "157001 武汉市数据局本级: general_public_budget + other_income add to 120.00 万元 "
            "but the row says 110.00 万元",
        ),
        (
            "carryover_total",
            "0.00",
            "157001 武汉市数据局本级: carryover_general_public_budget add to 10.00 万元 but the row says 0.00 万元",
        ),
    ):
        row = {**good, field: D(broken)}
        found = [f for f in revenue_identities(package({"revenue_by_unit": [row]})) if f.field == field]
        assert [(f.severity, f.message, f.resource) for f in found] == [("error", message, "revenue_by_unit")]


def test_revenue_totals_not_printed_are_not_checked():
    row = revenue_row(general_public_budget="1000000.00", other_income="5.00")
    row["total"] = row["current_year_total"] = None
    assert list(revenue_identities(package({"revenue_by_unit": [row]}))) == []


# ---- 收支总表: parts add to totals, and the two sides balance -----------------------------------------


SUMMARY = (
    ("revenue", "general_public_budget", "1000000.00", 1),
    ("revenue", "government_fund_budget", "200000.00", 2),
    ("revenue", "current_year_total", "1200000.00", 3),
    ("revenue", "carryover", "100000.00", 4),
    ("revenue", "carryover_general_public_budget", "100000.00", 5),
    ("revenue", "grand_total", "1300000.00", 6),
    ("expenditure", "201", "700000.00", 1),
    ("expenditure", "208", "500000.00", 2),
    ("expenditure", "current_year_total", "1200000.00", 3),
    ("expenditure", "year_end_carryover", "100000.00", 4),
    ("expenditure", "grand_total", "1300000.00", 6),
)


def summary(resource: str = "budget_summary", **changes: str) -> PackageData:
    rows = [
        {"side": side, "item": item, "amount": D(changes.get(f"{side}_{item}", amount)), "source_line": line}
        for side, item, amount, line in SUMMARY
    ]
    return package({resource: rows})


def gap(resource: str, key: str, what: str, adds: str, says: str, line: int, value: str) -> Finding:
    return Finding(
        "error",
        "summary-balance",
        f"{key}: {what} add to {adds} 万元 but the row says {says} 万元",
        resource=resource,
        row_key=key,
        field="amount",
        source_line=line,
        value=value,
    )


@pytest.mark.parametrize("resource", ["budget_summary", "fiscal_appropriation_summary"])
def test_summary_parts_add_up_on_both_sides(resource):
    assert list(summary_balance(summary(resource))) == []
    assert list(summary_balance(summary(resource, revenue_general_public_budget="1100000.00"))) == [
        gap(resource, "revenue current_year_total", "the revenue lines", "130.00", "120.00", 3, "100000.00")
    ]
    assert list(summary_balance(summary(resource, expenditure_208="600000.00"))) == [
        gap(resource, "expenditure current_year_total", "the expenditure classes", "130.00", "120.00", 3, "100000.00")
    ]
    assert list(summary_balance(summary(resource, revenue_carryover_general_public_budget="150000.00"))) == [
        gap(resource, "revenue carryover", "the carry-over lines", "15.00", "10.00", 4, "50000.00")
    ]
    assert list(summary_balance(summary(resource, revenue_carryover="150000.00"))) == [
        gap(resource, "revenue grand_total", "本年收入 and 上年结转", "135.00", "130.00", 6, "50000.00"),
        gap(resource, "revenue carryover", "the carry-over lines", "10.00", "15.00", 4, "-50000.00"),
    ]


def test_grand_totals_that_differ_are_named_side_by_side():
    found = list(summary_balance(summary(expenditure_grand_total="1400000.00")))
    assert found == [
        gap(
            "budget_summary",
            "expenditure grand_total",
            "本年支出 and 年终结转结余",
            "130.00",
            "140.00",
            6,
            "-100000.00",
        ),
        Finding(
            "error",
            "summary-balance",
            "revenue grand total 130.00 万元 does not equal expenditure grand total 140.00 万元",
            resource="budget_summary",
            row_key="grand_total",
            field="amount",
            source_line=6,
            value="100000.00",
        ),
    ]
    rounding = list(summary_balance(summary(expenditure_grand_total="1300100.00")))
    assert [f.severity for f in rounding] == ["warning", "warning"]  # 1 printed unit: 2 terms, and 1 term


def test_a_summary_without_a_line_skips_only_the_sums_that_need_it():
    pkg = summary()
    pkg.resources["budget_summary"] = [r for r in pkg.resources["budget_summary"] if r["item"] != "current_year_total"]
    assert [f.row_key for f in summary_balance(pkg)] == ["revenue grand_total", "expenditure grand_total"]


# ---- 项目支出 and listings: lines add to their subtotals ----------------------------------------------


def project(row_type: str, total: str, line: int, **fields: str) -> dict:
    row: dict = {"row_type": row_type, "total": D(total), "general_public_budget": D(total), "source_line": line}
    row.update(fields)
    return row


def projects(*rows: dict) -> PackageData:
    return package({"projects": list(rows)})


def test_project_lines_add_to_each_subtotal_one_level_down():
    rows = [
        project("total", "300000.00", 1),
        project("unit", "300000.00", 2, unit_code="157001", unit_name="武汉市数据局本级"),
        project("category", "300000.00", 3, unit_code="157001", category="其他运转类"),
        project("project", "100000.00", 4, project_code="P1", project_name="甲项目"),
        project("project", "200000.00", 5, project_code="P2", project_name="乙项目"),
    ]
    assert list(project_sums(projects(*rows))) == []
    rows[4] = project("project", "250000.00", 5, project_code="P2", project_name="乙项目")
    rows[4]["general_public_budget"] = D("200000.00")
    assert list(project_sums(projects(*rows))) == [
        Finding(
            "error",
            "row-identity",
            "P2 乙项目: general_public_budget add to 20.00 万元 but the row says 25.00 万元",
            resource="projects",
            row_key="P2 乙项目",
            field="total",
            source_line=5,
            value="-50000.00",
        ),
        Finding(
            "error",
            "hierarchy",
            "category 157001 其他运转类: its 2 lines' total add to 35.00 万元 but the row says 30.00 万元",
            resource="projects",
            row_key="category 157001 其他运转类",
            field="total",
            source_line=3,
            value="50000.00",
        ),
    ]


def test_a_subtotal_ends_at_the_next_line_of_its_level():
    rows = [
        project("total", "400000.00", 1),
        project("unit", "100000.00", 2, unit_code="157001", unit_name="本级"),
        project("project", "100000.00", 3, project_name="甲项目"),
        project("unit", "300000.00", 4, unit_code="157003", unit_name="大数据中心"),
        project("project", "200000.00", 5, project_name="乙项目"),
    ]
    found = list(project_sums(projects(*rows)))
    assert [(f.row_key, f.field, f.message) for f in found] == [  # the grand total adds the two units: no gap
        (
            "unit 157003 大数据中心",
            field,
            f"unit 157003 大数据中心: its 1 lines' {field} add to 20.00 万元 but the row says 30.00 万元",
        )
        for field in ("total", "general_public_budget")
    ]


def test_a_project_row_s_key_falls_back_to_its_unit_or_category():
    rows = [project("category", "100.00", 1, category="其他运转类"), project("project", "100.00", 2)]
    rows[0]["general_public_budget"] = D("0")
    found = list(project_sums(projects(*rows)))
    assert [f.row_key for f in found] == ["其他运转类", "category  其他运转类"]


def listing(row_type: str, line: int, **fields: str) -> dict:
    row: dict = {"row_type": row_type, "source_line": line}
    row.update(
        {
            k: (D(v) if k in ("total", "sme", "small_micro", "quantity", "unit_price", "amount") else v)
            for k, v in fields.items()
        }
    )
    return row


def test_procurement_items_add_to_their_subtotal_and_price_times_quantity_is_the_amount():
    rows = [
        listing("total", 1, total="3010.00", sme="3010.00", small_micro="0"),
        listing(
            "item",
            2,
            project_name="办公设备",
            item_name="台式计算机",
            quantity="2",
            unit_price="1505.00",
            total="3010.00",
            sme="3010.00",
            small_micro="0",
        ),
    ]
    assert list(listing_sums(package({"procurement": rows}))) == []
    rows[1]["total"] = D("3009.50")
    rows[1]["sme"] = D("2000.00")
    found = list(listing_sums(package({"procurement": rows})))
    assert found == [
        Finding(
            "warning",
            "hierarchy",
            "total: its 1 lines' total add to 0.30 万元 but the row says 0.30 万元 (rounding)",
            resource="procurement",
            row_key="total",
            field="total",
            source_line=1,
            value="-0.50",
        ),
        Finding(
            "error",
            "hierarchy",
            "total: its 1 lines' sme add to 0.20 万元 but the row says 0.30 万元",
            resource="procurement",
            row_key="total",
            field="sme",
            source_line=1,
            value="-1010.00",
        ),
        Finding(
            "warning",
            "row-identity",
            "办公设备 台式计算机: 2 × 1,505.00 元 = 3,010.00 元 but the row's amount is 3,009.50 元",
            resource="procurement",
            row_key="办公设备 台式计算机",
            field="total",
            source_line=2,
            value="0.50",
        ),
    ]
    rows[1]["total"] = D("3000.00")
    identity = [f for f in listing_sums(package({"procurement": rows})) if f.check == "row-identity"]
    assert [(f.severity, f.value) for f in identity] == [("error", "10.00")]
    rows[1]["total"] = D("3009.00")  # exactly one yuan off: still rounding of the unit price
    identity = [f for f in listing_sums(package({"procurement": rows})) if f.check == "row-identity"]
    assert [(f.severity, f.value) for f in identity] == [("warning", "1.00")]


def test_purchased_services_add_to_their_subtotal():
    rows = [
        listing("department", 1, unit_name="武汉市数据局", amount="500000.00"),
        listing("item", 2, item_name="运维服务", amount="300000.00"),
        listing("item", 3, item_name="咨询服务", amount="100000.00"),
    ]
    found = list(listing_sums(package({"purchased_services": rows})))
    assert [(f.resource, f.row_key, f.field, f.message) for f in found] == [
        (
            "purchased_services",
            "department  武汉市数据局",
            "amount",
            "department  武汉市数据局: its 2 lines' amount add to 40.00 万元 but the row says 50.00 万元",
        )
    ]


# ---- each table is judged in the unit it was printed in --------------------------------------------


def test_a_yuan_gap_is_rounding_in_a_table_of_10000_yuan_but_an_error_in_a_table_of_yuan():
    """One table of a package printed in 元 (Shanghai prints in 元): there one yuan off is an error."""
    economic = [
        {"economic_code": "302", "economic_name": None, "total": D("10.00"), "public": D("10.00"), "source_line": 1},
        {"economic_code": "30201", "economic_name": "办公费", "total": D("11.00"), "public": D("11.00")},
    ]
    services = [
        listing("department", 1, unit_name="本级", amount="10.00"),
        listing("item", 2, item_name="运维服务", amount="11.00"),
    ]
    procurement = [listing("total", 1, total="10.00"), listing("item", 2, item_name="计算机", total="11.00")]
    revenue = [revenue_row(total="10.00", current_year_total="11.00", carryover_total="0")]
    revenue[0]["unit_name"] = None
    cases = [
        (economic_hierarchy, "basic_expenditure_by_economic", economic, "302: its 1 sub-items' total"),
        (listing_sums, "purchased_services", services, "department  本级: its 1 lines' amount"),
        (listing_sums, "procurement", procurement, "total: its 1 lines' total"),
        (revenue_identities, "revenue_by_unit", revenue, "157001: current_year_total + carryover_total"),
        (three_public_parts, "three_public_expenses", three_public(total="534801.00"), "budget total:"),
    ]
    for check, resource, rows, begins in cases:
        in_wan = [f for f in check(package({resource: rows})) if f.message.startswith(begins)]
        in_yuan = [f for f in check(package({resource: rows}, {resource: "元"})) if f.message.startswith(begins)]
        assert [f.severity for f in in_wan] == ["warning"], resource
        assert [f.severity for f in in_yuan] == ["error"] * len(in_wan), resource
        assert " 元 but the row says " in in_yuan[0].message, resource


@pytest.mark.parametrize("resource", ["budget_summary", "fiscal_appropriation_summary"])
def test_a_summary_in_yuan_is_judged_in_yuan(resource):
    found = list(
        summary_balance(
            package(summary(resource, revenue_general_public_budget="1000001.00").resources, {resource: "元"})
        )
    )
    assert [(f.severity, f.message) for f in found] == [
        (
            "error",
            "revenue current_year_total: the revenue lines add to 1,200,001.00 元 but the row says 1,200,000.00 元",
        )
    ]


def test_economic_public_column_is_checked():
    rows = [
        {"economic_code": "302", "economic_name": "商品和服务支出", "total": D("300000.00"), "public": D("300000.00")},
        {"economic_code": "30201", "economic_name": "办公费", "total": D("300000.00"), "public": D("200000.00")},
    ]
    found = list(economic_hierarchy(package({"basic_expenditure_by_economic": rows})))
    assert [(f.field, f.value) for f in found] == [("public", "-100000.00")]


def test_an_unnamed_economic_row_is_keyed_by_its_code():
    rows = [{"economic_code": "302", "economic_name": None, "total": D("300000.00"), "personnel": None}]
    rows[0]["public"] = D("200000.00")
    assert [f.row_key for f in economic_identities(package({"basic_expenditure_by_economic": rows}))] == ["302"]


def test_the_two_sides_are_compared_only_when_both_print_a_grand_total():
    pkg = summary()
    rows = pkg.resources["budget_summary"]
    pkg.resources["budget_summary"] = [r for r in rows if (r["side"], r["item"]) != ("expenditure", "grand_total")]
    assert list(summary_balance(pkg)) == []


def test_the_two_sides_differing_by_one_and_a_half_printed_units_is_an_error():
    """The balance is one comparison (one term): 150 yuan is past its 100 yuan of rounding, while
    the expenditure side's own sum of two terms still allows 200."""
    found = list(summary_balance(summary(expenditure_grand_total="1300150.00")))
    assert [(f.row_key, f.severity) for f in found] == [
        ("expenditure grand_total", "warning"),
        ("grand_total", "error"),
    ]


def test_procurement_small_and_micro_column_adds_up():
    rows = [
        listing("total", 1, total="3010.00", sme="3010.00", small_micro="3010.00"),
        listing("item", 2, item_name="台式计算机", total="3010.00", sme="3010.00", small_micro="1000.00"),
    ]
    found = list(listing_sums(package({"procurement": rows})))
    assert [(f.field, f.severity, f.value) for f in found] == [("small_micro", "error", "-2010.00")]


def test_price_times_quantity_needs_all_three_and_allows_one_yuan():
    rows = [
        listing("item", 2, item_name="台式计算机", quantity="2", total="3010.00"),  # no unit price printed
        listing("item", 3, quantity="3", unit_price="100.50", total="300.00"),  # 1.50 yuan off
    ]
    rows[1]["source_line"] = "3?"  # a line number the CSV could not type stays text: no line is claimed
    found = list(listing_sums(package({"procurement": rows})))
    assert found == [
        Finding(
            "error",
            "row-identity",
            ": 3 × 100.50 元 = 301.50 元 but the row's amount is 300.00 元",
            resource="procurement",
            row_key="",
            field="total",
            source_line=None,
            value="1.50",
        )
    ]
    rows[1]["project_name"] = "办公设备"
    assert [f.row_key for f in listing_sums(package({"procurement": rows}))] == ["办公设备"]


def test_a_total_over_sections_only_and_a_lone_total():
    """A table printing only 款 lines under its total adds those; a table with nothing but its
    total line has nothing to add."""
    rows = function_rows(("TOTAL", "合计", "1000000.00", 1), ("20101", "人大事务", "600000.00", 2))
    rows += function_rows(("20102", "政协事务", "300000.00", 3))
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows})))
    assert [(f.row_key, f.value) for f in found] == [("TOTAL 合计", "-100000.00")]
    alone = function_rows(("TOTAL", "合计", "1000000.00", 1))
    assert list(expenditure_hierarchy(package({"expenditure_by_function": alone}))) == []


def test_leaves_printed_before_a_parent_do_not_end_the_check():
    rows = function_rows(
        ("2010101", "行政运行", "100.00", 1),
        ("20101", None, "100.00", 2),
        ("208", None, "500000.00", 3),
        ("20805", "行政事业单位养老支出", "400000.00", 4),
    )
    rows[2]["source_line"] = "3?"  # a line number the CSV could not type stays text: no line is claimed
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows})))
    assert [(f.row_key, f.source_line, f.value) for f in found] == [("208", None, "-100000.00")]


def test_a_blank_grand_total_skips_only_that_column():
    rows = function_rows(
        ("TOTAL", "合计", None, "400000.00", 1),
        ("201", "一般公共服务支出", "600000.00", "300000.00", 2),
        fields=("total", "personnel"),
    )
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows})))
    assert [(f.row_key, f.field) for f in found] == [("TOTAL 合计", "personnel")]


def test_basic_and_personnel_columns_are_checked_by_hierarchy():
    rows = function_rows(
        ("201", "一般公共服务支出", "900000.00", "500000.00", "400000.00", None, None, None, 1),
        ("20101", "人大事务", "900000.00", "400000.00", "300000.00", None, None, None, 2),
        fields=FIELDS,
    )
    rows[0]["total"] = D("900000.00")
    found = list(expenditure_hierarchy(package({"expenditure_by_function": rows})))
    assert [(f.field, f.value) for f in found] == [("basic", "-100000.00"), ("personnel", "-100000.00")]


def test_economic_grand_total_identity_holds_unless_the_layout_leaves_it_blank():
    """Some layouts print 人员经费合计 | 公用经费合计 without a grand total: nothing to check; a printed
    grand total is checked like any row."""
    blank = {"economic_code": "TOTAL", "economic_name": "合计", "total": None}
    blank.update(personnel=D("300000.00"), public=D("100000.00"))
    assert list(economic_identities(package({"basic_expenditure_by_economic": [blank]}))) == []
    printed = {**blank, "total": D("500000.00")}
    found = list(economic_identities(package({"basic_expenditure_by_economic": [printed]})))
    assert [(f.row_key, f.value) for f in found] == [("TOTAL 合计", "-100000.00")]


def test_a_table_without_a_total_column_has_no_total_to_check():
    rows = [{"function_code": "2010101", "function_name": "行政运行", "basic": D("1.00"), "project": D("500000.00")}]
    assert list(expenditure_identities(package({"expenditure_by_function": rows}))) == []


def test_an_unnamed_unit_and_a_basic_split_in_yuan():
    rows = [{"unit_code": "157003", "unit_name": None, "total": D("5.00"), "basic": D("5.00"), "project": None}]
    rows[0].update(personnel=D("3.00"), public=D("1.00"))
    found = list(expenditure_identities(package({"expenditure_by_unit": rows}, {"expenditure_by_unit": "元"})))
    assert [(f.row_key, f.field, f.severity) for f in found] == [("157003", "basic", "error")]


def test_project_rows_in_yuan_and_their_labels():
    rows = [
        {"row_type": "unit", "unit_name": "本级", "total": D("10.00"), "general_public_budget": D("9.00")},
        {"row_type": "total", "total": D("10.00"), "general_public_budget": D("9.00")},
    ]
    in_wan = list(project_sums(projects(*rows)))
    assert [(f.row_key, f.severity) for f in in_wan if f.check == "row-identity"] == [
        ("本级", "warning"),
        ("total", "warning"),
    ]
    in_yuan = list(project_sums(package({"projects": rows}, {"projects": "元"})))
    assert [(f.row_key, f.severity) for f in in_yuan if f.check == "row-identity"] == [
        ("本级", "error"),
        ("total", "error"),
    ]


def test_lines_of_an_unknown_kind_count_as_items():
    rows = [
        project("category", "300000.00", 1, category="其他运转类"),
        project("project", "100000.00", 2, project_name="甲项目"),
        project("note", "100000.00", 3, project_name="乙项目"),
    ]
    rows[2]["row_type"] = None
    found = list(project_sums(projects(*rows)))
    assert [(f.row_key, f.field, f.value) for f in found] == [
        ("category  其他运转类", "total", "-100000.00"),
        ("category  其他运转类", "general_public_budget", "-100000.00"),
    ]


def test_a_subtotal_without_lines_and_a_column_nobody_prints_do_not_end_the_check():
    rows = [
        listing("department", 1, unit_name="甲", total="100.00", small_micro="100.00"),  # its lines are not printed
        listing("department", 2, unit_name="乙", total="3010.00", small_micro="3010.00"),
        listing("item", 3, item_name="台式计算机", total="3010.00", small_micro="1000.00"),
    ]
    found = list(listing_sums(package({"procurement": rows})))
    assert [(f.row_key, f.field) for f in found] == [("department  乙", "small_micro")]


def test_spending_by_economic_class_is_basic_plus_project_and_adds_up():
    """一般公共预算支出表（按经济分类）: total = basic + project on each row, items add to their class."""
    rows = [
        {"economic_code": "TOTAL", "economic_name": "合计", "total": D("5000.00"), "basic": D("3000.00")},
        {"economic_code": "302", "economic_name": "商品和服务支出", "total": D("5000.00"), "basic": D("3000.00")},
        {"economic_code": "30201", "economic_name": "办公费", "total": D("4000.00"), "basic": D("3000.00")},
    ]
    rows[0]["project"], rows[1]["project"], rows[2]["project"] = D("2000.00"), D("1000.00"), D("1000.00")
    for line, row in enumerate(rows, start=50):
        row["source_line"] = line
    units = {"expenditure_by_economic": "元"}
    found = list(economic_identities(package({"expenditure_by_economic": rows}, units)))
    assert [(f.row_key, f.message) for f in found] == [
        ("302 商品和服务支出", "302 商品和服务支出: basic + project add to 4,000.00 元 but the row says 5,000.00 元")
    ]
    found = list(economic_hierarchy(package({"expenditure_by_economic": rows}, units)))
    # TOTAL's project 2,000.00 against its class's 1,000.00; 302's total 5,000.00 against its item's 4,000.00
    assert sorted((f.row_key, f.field) for f in found) == [("302 商品和服务支出", "total"), ("TOTAL 合计", "project")]


def test_a_blank_grand_total_of_a_scoped_table_is_not_checked_either():
    """The same layout in a table with a scope (一般公共预算 / all funds): its key reads
    '[general_public_budget] TOTAL 合计', and its blank grand total is still the layout's."""
    rows = [
        expenditure_row("TOTAL", "合计", None, None, "500000.00", "100000.00", None, 5),
        expenditure_row("2010101", "行政运行", "600000.00", "600000.00", "500000.00", "100000.00", None, 6),
    ]
    for row in rows:
        row["scope"] = "general_public_budget"
    assert list(expenditure_identities(package({"expenditure_by_function": rows}))) == []


# ---- 支出总表 crossing function and economic class -----------------------------------------------


def crossed(*rows: tuple) -> list[dict]:
    """(function, government economic, economic, total, basic, project, business_operation, line)."""
    fields = ("total", "basic", "project", "business_operation")
    out = []
    for function, government, economic, *amounts, line in rows:
        row = {"scope": "all_funds", "function_code": function, "government_economic_code": government}
        row.update({"economic_code": economic, "source_line": line})
        row.update({f: (D(a) if a is not None else None) for f, a in zip(fields, amounts, strict=True)})
        out.append(row)
    return out


def test_crossed_lines_add_basic_and_project_and_the_total_line_every_line():
    """北京 预算03表: 事业单位经营支出 printed under 其中 is of which, not a third part; the 合计
    line is the sum of every line (not of a hierarchy: the lines are the leaves)."""
    from validate.checks.arithmetic import function_and_economic_sums

    rows = crossed(
        ("2010801", "50299", "30299", "7211984.80", "4653920.80", "2558064.00", None, 231),
        ("2050199", "50502", "30201", "9646700.00", "9646700.00", None, "6362500.00", 388),  # of which
        ("2050803", "50203", "30216", "1228000.00", "1096000.00", "132000.00", None, 267),
        ("TOTAL", "TOTAL", "TOTAL", "18086684.80", "15396620.80", "2690064.00", "6362500.00", 279),
    )
    assert list(function_and_economic_sums(package({"expenditure_by_function_and_economic": rows}))) == []
    rows[2]["project"] = D("142000.00")  # 10,000 yuan off: more than one printed unit (100 yuan) a term
    rows[3]["basic"] = D("15396520.80")  # 100 yuan under the lines: rounding
    found = list(function_and_economic_sums(package({"expenditure_by_function_and_economic": rows})))
    assert [(f.severity, f.check, f.row_key, f.field, f.source_line, f.value) for f in found] == [
        ("error", "row-identity", "[all_funds] 2050803 50203 30216", "total", 267, "10000.00"),
        ("warning", "row-identity", "[all_funds] TOTAL TOTAL TOTAL", "total", 279, "-100.00"),
        ("warning", "hierarchy", "[all_funds] TOTAL TOTAL TOTAL", "basic", 279, "100.00"),
        ("error", "hierarchy", "[all_funds] TOTAL TOTAL TOTAL", "project", 279, "10000.00"),
    ]
    assert {f.resource for f in found} == {"expenditure_by_function_and_economic"}
    assert found[3].message.startswith("[all_funds] TOTAL TOTAL TOTAL: its 3 lines' project add to ")
    # printed in 元, a gap of 100 yuan is no rounding
    units = {"expenditure_by_function_and_economic": "元"}
    found = list(function_and_economic_sums(package({"expenditure_by_function_and_economic": rows}, units)))
    assert [(f.severity, f.field) for f in found if f.source_line == 279] == [
        ("error", "total"),
        ("error", "basic"),
        ("error", "project"),
    ]
    # a 合计 line that leaves a column blank the lines print is not summed in that column
    rows[3]["business_operation"] = None
    found = list(function_and_economic_sums(package({"expenditure_by_function_and_economic": rows})))
    assert "business_operation" not in {f.field for f in found}


def test_crossed_lines_without_a_scope_or_a_government_code_are_checked_under_the_codes_they_print():
    from validate.checks.arithmetic import function_and_economic_sums

    rows = crossed(
        ("2010801", None, "30299", "100000.00", "80000.00", None, None, 5),
        ("TOTAL", "TOTAL", "TOTAL", "100000.00", "100000.00", None, None, 6),
    )
    for row in rows:
        row["scope"] = None
    found = list(function_and_economic_sums(package({"expenditure_by_function_and_economic": rows})))
    assert [(f.check, f.row_key, f.field, f.value) for f in found] == [
        ("row-identity", "[] 2010801 30299", "total", "-20000.00"),
        ("hierarchy", "[] TOTAL TOTAL TOTAL", "basic", "-20000.00"),
    ]


def test_procurement_lines_by_function_code_add_up_level_by_level():
    # a 政府采购 list by functional class: 类 = its 款, 款 = its 项, the total = the 类
    rows = [
        listing("total", 1, total="300000.00"),
        listing("function", 2, function_code="201", total="300000.00"),
        listing("function", 3, function_code="20101", total="300000.00"),
        listing("function", 4, function_code="2010101", total="100000.00"),
        listing("function", 5, function_code="2010102", total="200000.00"),
    ]
    assert list(listing_sums(package({"procurement": rows}))) == []
    rows[4]["total"] = D("250000.00")
    found = list(listing_sums(package({"procurement": rows})))
    assert [(f.check, f.row_key, f.field, f.source_line, f.value) for f in found] == [
        ("hierarchy", "function 5", "total", 3, "50000.00")
    ]
