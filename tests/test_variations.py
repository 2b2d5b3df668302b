"""Disclosures nobody here has seen, made by varying the samples: the parsed values must not change."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from converter.errors import InputError
from converter.read import decode, split_lines
from converter.schema import RESOURCE_ORDER
from tests.conftest import CITY_2026, EDZ_2023, convert_text, find, wan

CITY = CITY_2026.read_text(encoding="utf-8")


def values(conversion, resource: str) -> list[dict]:
    """Rows without their line numbers (and prose as printed), for comparing documents whose lines moved."""
    return [
        {k: v for k, v in row.items() if k not in ("source_line", "sentence")} for row in conversion.resources[resource]
    ]


@pytest.fixture(scope="module")
def baseline():
    return convert_text(CITY)


CORE = RESOURCE_ORDER


# Figures read by hand from the 2026 city sample as printed (万元), one or more from each table the
# variations below touch: 表1 部门收支总表, 表5-1, 表6, 表7 三公, 表10 项目支出.
PRINTED = [
    ("budget_summary", {"side": "revenue", "item": "general_public_budget"}, "amount", "11,994.89"),
    ("budget_summary", {"side": "expenditure", "item": "201"}, "amount", "5,971.90"),
    ("budget_summary", {"side": "expenditure", "item": "221"}, "amount", "363.43"),
    ("expenditure_by_function", {"scope": "general_public_budget", "function_code": "201"}, "total", "5,971.90"),
    ("expenditure_by_function", {"scope": "general_public_budget", "function_code": "201"}, "personnel", "1,998.31"),
    ("expenditure_by_function", {"scope": "general_public_budget", "function_code": "201"}, "project", "3,556.82"),
    ("expenditure_by_function", {"scope": "general_public_budget", "function_code": "2014101"}, "public", "282.00"),
    ("basic_expenditure_by_economic", {"economic_code": "TOTAL"}, "total", "4,221.88"),
    ("basic_expenditure_by_economic", {"economic_code": "30101"}, "personnel", "459.31"),
    ("basic_expenditure_by_economic", {"economic_code": "30207"}, "public", "5.00"),
    ("three_public_expenses", {"basis": "budget", "item": "total"}, "amount", "53.48"),
    ("three_public_expenses", {"basis": "budget", "item": "vehicle_operation"}, "amount", "12.00"),
    ("three_public_expenses", {"basis": "budget", "item": "official_reception"}, "amount", "5.50"),
    ("projects", {"project_code": "42010026157Y000000113"}, "total", "13.00"),
]


def assert_printed(conversion, resources=CORE):
    """The figures of PRINTED that belong to `resources` are read as printed."""
    for resource, match, field, printed in PRINTED:
        if resource in resources:
            assert find(conversion.resources[resource], **match)[field] == wan(printed), (resource, match, field)


def assert_same(conversion, baseline, resources=CORE):
    """The variant reads exactly as the unvaried sample, and both read the hand-read figures as
    printed (a regression in both cannot pass as 'the same')."""
    assert_printed(baseline, resources)
    assert_printed(conversion, resources)
    for resource in resources:
        assert values(conversion, resource) == values(baseline, resource), resource


def block(text: str, title: str) -> tuple[int, int]:
    """Line span (0-based, end exclusive) of the table titled `title`, from its label to the next label."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == title and i > 100)
    label = start
    while not re.match(r"^表\s*\d", lines[label]):
        label -= 1
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"^表\s*\d+(-\d+)?$", lines[i]))
    return label, end


@pytest.mark.parametrize("new_label", ["预算05表", "附表 5:", "公开05表", ""])
def test_other_table_labels(baseline, new_label):
    text = CITY.replace("\n表 5-1\n", f"\n{new_label}\n").replace("\n表 1\n", f"\n{new_label}\n")
    assert_same(convert_text(text), baseline)


def test_markdown_headings_and_unit_spellings(baseline):
    text = CITY.replace("\n一般公共预算基本支出表\n", "\n## **一般公共预算基本支出表**\n")
    text = text.replace("单位：万元", "单位: 万元")
    assert_same(convert_text(text), baseline)


def test_no_thousands_separators_and_full_width_digits(baseline):
    start, end = block(CITY, "一般公共预算支出表（分功能科目）")
    lines = CITY.split("\n")
    lines[start:end] = [line.replace(",", "") for line in lines[start:end]]
    lines = [line.replace("5,971.90", "５，９７１．９０") for line in lines]
    assert_same(convert_text("\n".join(lines)), baseline)


def test_html_tags_in_cells(baseline):
    start, end = block(CITY, "一般公共预算基本支出表")
    lines = CITY.split("\n")
    lines[start:end] = [
        "\t".join(f"<b>{c}</b>" if c else c for c in line.split("\t")) if "\t" in line else line
        for line in lines[start:end]
    ]
    assert_same(convert_text("\n".join(lines)), baseline)


def test_rewrapped_rows(baseline):
    """A clean row broken as extraction breaks them: name and amounts first, code two lines later."""
    text = CITY.replace(
        "2210202\t提租补贴\t40.17\t40.17\t40.17\t\t\n", "\t提租补贴\t40.17\t40.17\t40.17\t\t\n\n2210202\t\t\t\t\t\t\n"
    )
    text = text.replace("30113\t住房公积金\t252.55\t252.55\t\n", "30113\t\t\t\t\n\t住房公积金\t252.55\t252.55\t\n")
    original = next(line for line in text.split("\n") if line.startswith("42010026157Y0 00000113"))
    code, _, unit, *amounts = original.split("\t")
    broken = "\t".join(["", "劳务派遣人", unit, *amounts]) + "\n\n" + "\t".join([code, "员经费"] + [""] * 10)
    text = text.replace(original, broken)
    conversion = convert_text(text)
    assert_same(conversion, baseline, [r for r in CORE if r != "projects"])
    project = find(conversion.resources["projects"], project_code="42010026157Y000000113")
    assert project["project_name"] == "劳务派遣人员经费"
    assert project["total"] == wan("13.00")
    assert any(f.check == "joined-row" and "2210202" in f.message for f in conversion.findings)


def test_tables_in_another_order(baseline):
    lines = CITY.split("\n")
    start, end = block(CITY, "一般公共预算“三公”经费支出表")
    moved = lines[start:end]
    del lines[start:end]
    first = next(i for i, line in enumerate(lines) if line == "表 1")
    lines[first:first] = moved
    assert_same(convert_text("\n".join(lines)), baseline)


def test_missing_table(baseline):
    lines = CITY.split("\n")
    start, end = block(CITY, "项目支出情况表")
    del lines[start:end]
    conversion = convert_text("\n".join(lines))
    assert conversion.resources["projects"] == []
    assert any(f.check == "table-missing" and f.resource == "projects" for f in conversion.findings)
    assert_same(conversion, baseline, [r for r in CORE if r != "projects"])


def test_table_printed_in_yuan(baseline):
    start, end = block(CITY, "一般公共预算“三公”经费支出表")
    lines = CITY.split("\n")
    for i in range(start, end):
        lines[i] = lines[i].replace("单位：万元", "单位：元")
        if lines[i].startswith("53.48"):
            lines[i] = "534800.00\t\t479800.00\t359800.00\t120000.00\t55000.00"
    conversion = convert_text("\n".join(lines))
    assert_same(conversion, baseline, ["three_public_expenses"])


def test_other_title_wording(baseline):
    text = CITY.replace("\n部门支出汇总表\n", "\n部门支出总表\n").replace("\n项目支出情况表\n", "\n项目支出表\n")
    text = text.replace("\n部门收支总表\n", "\n收支预算总表\n")
    assert_same(convert_text(text), baseline)


def test_unknown_table_is_reported_not_ignored():
    lines = CITY.split("\n")
    start, _ = block(CITY, "一般公共预算“三公”经费支出表")
    lines[start:start] = ["表 99", "", "某某专项资金分配表", "", "单位：万元", "", "项目\t金额", "甲\t1.00", ""]
    conversion = convert_text("\n".join(lines))
    assert any(f.check == "unconverted-table" and "某某专项资金分配表" in f.message for f in conversion.findings)
    assert any(t.title == "某某专项资金分配表" and t.status == "kept as cells" for t in conversion.tables)


def test_unreadable_amount_is_reported_with_its_value():
    text = CITY.replace("30207\t邮电费\t5.00\t\t5.00", "30207\t邮电费\t5.0O\t\t5.00")
    conversion = convert_text(text)
    row = find(conversion.resources["basic_expenditure_by_economic"], economic_code="30207")
    assert row["total"] is None and row["public"] == wan("5.00")
    assert any(f.check == "unreadable-amount" and f.value == "5.0O" for f in conversion.findings)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_encodings_and_line_ends(encoding):
    data = EDZ_2023.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding)
    text, found = decode(data, EDZ_2023)
    assert found == encoding
    lines, newline = split_lines(text)
    assert newline == "\r\n"
    assert convert_text("\n".join(lines)).resources == convert_text(EDZ_2023.read_text(encoding="utf-8")).resources


def test_not_a_disclosure():
    with pytest.raises(InputError, match="does not read as a departmental budget"):
        convert_text("hello\nworld\n", "notes.txt")


def test_amounts_are_exact_decimals(baseline):
    for resource in CORE:
        for row in baseline.resources[resource]:
            for value in row.values():
                assert not isinstance(value, float)
    assert find(baseline.resources["budget_summary"], side="revenue", item="grand_total")["amount"] == Decimal(
        "132442100.00"
    )
