"""Final accounts (部门决算): values read off the 2024 sample by hand, and variations of its layouts."""

from __future__ import annotations

from converter.codes import codes_by_name, resolve_codes
from tests.conftest import FINAL_2024, convert_text, find, wan

FINAL_TEXT = FINAL_2024.read_text(encoding="utf-8")


def test_metadata_and_name(final):
    assert final.metadata.phase == "final_accounts"
    assert final.metadata.fiscal_year == 2024
    assert final.name.endswith("-2024-final-accounts") and final.name.startswith("420100-")


def test_summary_ignores_line_numbers(final):
    """公开01表: 项目 | 行 | 金额 on each side; the 行 column is never an amount."""
    rows = final.resources["budget_summary"]
    assert find(rows, side="revenue", item="general_public_budget")["amount"] == wan("14,784.19")
    assert find(rows, side="expenditure", item="206")["amount"] == wan("2,965.74")
    assert find(rows, side="expenditure", item="221")["amount"] == wan("293.90")
    assert find(rows, side="revenue", item="use_of_non_fiscal_balance")["amount"] is None
    assert find(rows, side="expenditure", item="balance_distribution")["source_line"] == 126
    assert find(rows, side="expenditure", item="grand_total")["amount"] == wan("14,784.19")
    line_numbers = {wan(str(n)) for n in range(1, 61)}
    assert not any(r["amount"] in line_numbers for r in rows)


def test_fiscal_summary_splits_expenditure_by_fund(final):
    """公开04表 prints 小计 and one column per fund on the expenditure side."""
    rows = final.resources["fiscal_appropriation_summary"]
    science = find(rows, side="expenditure", item="206")
    assert science["amount"] == wan("2,965.73") and science["general_public_budget"] == wan("2,965.73")
    assert science["government_fund_budget"] is None
    assert find(rows, side="revenue", item="carryover_general_public_budget")["source_line"] == 264
    # a class name cut short by the extraction still finds its class
    assert find(rows, side="expenditure", item="215")["item_name"] == "十四、资源勘探工业信息等支"


def test_truncated_functional_codes_are_recovered(final):
    """公开03表 prints the 款 code on 项 rows; the full code comes from the name and is reported."""
    rows = [r for r in final.resources["expenditure_by_function"] if r["scope"] == "all_funds"]
    assert find(rows, function_code="20103")["function_name"] == "政府办公厅（室）及相关机构事"
    running = find(rows, function_code="2010301")
    assert running["function_name"] == "行政运行" and running["source_line"] == 194
    assert running["basic"] == wan("1,055.15") and running["project"] == wan("736.00")
    # 其他社会保障和就业支出 is both the 款 20899 and its 项 2089999: the hierarchy tells them apart
    assert find(rows, function_code="20899")["source_line"] == 207
    assert find(rows, function_code="2089999")["source_line"] == 208
    # a name the extraction cut short still finds its code
    assert find(rows, function_code="2010399")["function_name"] == "其他政府办公厅（室）及相关机"
    inferred = [f for f in final.findings if f.check == "inferred-code" and f.resource == "expenditure_by_function"]
    assert len(inferred) == 16 and all(f.value and len(f.row_key) == 7 for f in inferred)


def test_general_public_budget_table_keeps_full_codes(final):
    rows = [r for r in final.resources["expenditure_by_function"] if r["scope"] == "general_public_budget"]
    assert find(rows, function_code="TOTAL")["basic"] == wan("2,867.82")
    assert find(rows, function_code="2010350")["public"] is None
    assert find(rows, function_code="2010350")["basic"] == wan("809.80")


def test_revenue_by_function(final):
    rows = final.resources["revenue_by_function"]
    assert find(rows, function_code="TOTAL")["fiscal_appropriation"] == wan("14,784.19")
    assert find(rows, function_code="2210203")["total"] == wan("76.27")
    assert find(rows, function_code="2080505")["level"] == 3


def test_side_by_side_economic_table(final):
    """公开06表: 人员经费 | 公用经费 groups of code, name, amount; 3-digit codes on 5-digit items."""
    rows = final.resources["basic_expenditure_by_economic"]
    salary = find(rows, economic_code="30101")
    assert salary["economic_name"] == "基本工资" and salary["personnel"] == wan("368.80")
    assert salary["total"] == wan("368.80") and salary["public"] is None
    office = find(rows, economic_code="30201")
    assert office["public"] == wan("16.10") and office["personnel"] is None
    assert find(rows, economic_code="30114")["personnel"] == wan("0.42")  # 医疗费 under 301
    assert find(rows, economic_code="30307")["total"] is None  # 医疗费补助 under 303, blank
    assert find(rows, economic_code="30299")["public"] == wan("91.02")  # 其他商品和服务 (cut short)
    total = find(rows, economic_code="TOTAL")
    assert total["personnel"] == wan("2,582.75") and total["public"] == wan("285.07") and total["total"] is None
    # the document's 公用经费合计 (285.07) and its 302 class (285.09) disagree: kept, reported as the source's
    assert any(f.check == "hierarchy" and f.severity == "source" and f.field == "public" for f in final.findings)


def test_three_public_budget_and_actual(final):
    rows = final.resources["three_public_expenses"]
    for basis in ("budget", "actual"):
        assert find(rows, basis=basis, item="total")["amount"] == wan("10.05")
        assert find(rows, basis=basis, item="vehicle_operation")["amount"] == wan("9.36")
        assert find(rows, basis=basis, item="vehicle_purchase")["amount"] is None
        assert find(rows, basis=basis, item="official_reception")["amount"] == wan("0.69")
    assert sum(f.check == "truncated-label" for f in final.findings) == 2


def test_column_numbers_are_not_amounts(final):
    """公开08表: the 栏次 line's last number slid onto the 合计 line; it is not an amount of 3 万元."""
    rows = final.resources["state_capital_expenditure"]
    assert find(rows, function_code="TOTAL")["total"] is None
    note = next(f for f in final.findings if f.check == "column-numbers")
    assert note.value == "3" and note.source_line == 392


def test_every_final_accounts_table_is_converted(final):
    statuses = {t.label: t.status for t in final.tables if t.label}
    assert statuses == {f"公开 0{n} 表": "converted" for n in range(1, 10)}


def _variant(old: str, new: str, count: int = -1) -> str:
    assert old in FINAL_TEXT
    return FINAL_TEXT.replace(old, new, count)


def test_codes_printed_in_separate_class_item_columns():
    """类 | 款 | 项 as two-digit parts ('201', '03', '01'), as many final-accounts layouts print them."""
    text = _variant("2010301\t行政运行\t\t\t1,791.15", "201\t03\t01\t行政运行\t1,791.15")
    rows = convert_text(text).resources["expenditure_by_function"]
    row = find(rows, scope="general_public_budget", function_code="2010301")
    assert row["function_name"] == "行政运行" and row["total"] == wan("1,791.15")


def test_truncated_code_found_in_sibling_table_when_code_list_lacks_it():
    """A 项 the code list does not know is found by its name in the document's own full-code table."""
    text = _variant("其他政府办公厅（室）及相关机构事务支出", "数据资源管理事务")
    text = text.replace("20103\t\t\t其他政府办公厅（室）及相关\t", "20103\t\t\t数据资源管理事务\t")
    conversion = convert_text(text)
    row = find(conversion.resources["revenue_by_function"], function_code="2010399")
    assert row["function_name"] == "数据资源管理事务"
    note = next(f for f in conversion.findings if f.resource == "revenue_by_function" and f.row_key == "2010399")
    assert "this document's other tables" in note.message


def test_truncated_code_with_unknown_name_is_reported_with_its_amounts():
    text = _variant("20103\t\t\t事业运行\t1,500.19", "20103\t\t\t无此科目名称\t1,500.19")
    conversion = convert_text(text)
    rows = conversion.resources["revenue_by_function"]
    assert not any(r["function_name"] == "无此科目名称" for r in rows)
    finding = next(f for f in conversion.findings if f.check == "unresolved-code")
    assert finding.resource == "revenue_by_function" and "1,500.19" in finding.value
    assert finding.source_line == 152


def test_side_by_side_without_capital_group():
    """Only two groups (人员经费 | 公用经费): still read by side."""
    lines = FINAL_TEXT.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("人员经费\t\t\t公用经费"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("人员经费合计"))
    for i in range(start, end + 1):
        lines[i] = "\t".join(lines[i].split("\t")[:6])
    lines[end] = "人员经费合计\t\t2,582.75\t公用经费合计\t\t285.07"
    conversion = convert_text("\n".join(lines))
    rows = conversion.resources["basic_expenditure_by_economic"]
    assert find(rows, economic_code="30227")["public"] == wan("8.15")
    assert find(rows, economic_code="TOTAL")["public"] == wan("285.07")
    assert not any(r["economic_code"].startswith("310") for r in rows)


def test_truncated_code_printed_with_a_former_name_is_recovered():
    """A 2026 document still printing the 2024 sample's 项 name 其他技术与开发支出 (renamed
    其他技术与研究开发支出 in 2026) under its 款's code: found by the name the list gives in other years."""
    resolved = resolve_codes([("20604", "技术与开发"), ("20604", "其他技术与开发支出")], "functional", 2026)
    assert [r.code for r in resolved] == ["20604", "2060499"]
    assert "other years" in resolved[1].note
    assert resolve_codes([("20604", "技术与开发"), ("20604", "无此科目")], "functional", 2026)[1].code is None


def test_names_without_codes_found_by_a_former_name():
    names = [("", "科学技术支出"), ("", "技术与开发"), ("", "其他技术与开发支出")]
    assert codes_by_name(names, "functional", 2026) == ["206", "20604", "2060499"]
    assert codes_by_name(names, "functional", 2024) == ["206", "20604", "2060499"]
