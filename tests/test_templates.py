"""Other regions' templates, read from the national content (titles, headers, codes, standard lines).

Expected values are read by hand from the printed pages of samples/pdf/shenzhen-shenjiju-2026-budget.pdf
(表 1 收支总表 on page 17, 表 4 基本支出总表 on page 24, 表 9 “三公” on page 34), in 万元 × 10000.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from converter.layout import BodyRow, code_and_name, fill_code_hierarchy
from converter.pipeline import convert_source
from converter.read import read_disclosure
from tests.conftest import CITY_2026, convert_text, find

SHENZHEN = Path(__file__).resolve().parent.parent / "samples" / "pdf" / "shenzhen-shenjiju-2026-budget.pdf"


@pytest.fixture(scope="module")
def shenzhen():
    return convert_source(read_disclosure([SHENZHEN]))


def test_shenzhen_converts_without_gaps(shenzhen):
    assert [f.message for f in shenzhen.findings if f.severity == "error"] == []


def test_spending_by_economic_class_basic_and_project(shenzhen):
    """一般公共预算支出表（按经济分类）, page 31 (万元): 深圳市审计局 10,737.69 | 9,206.23 | 1,531.45;
    301 工资福利支出 7,168.15 | 7,168.15 | 0.00; 302 商品和服务支出 2,567.28 | 1,055.83 | 1,511.45;
    30211 差旅费 95.05 | 18.00 | 77.05 (page 32)."""
    rows = shenzhen.resources["expenditure_by_economic"]

    def amounts(code: str) -> tuple:
        row = find(rows, economic_code=code)
        return row["total"], row["basic"], row["project"]

    wan = Decimal(10000)
    assert amounts("TOTAL") == (Decimal("10737.69") * wan, Decimal("9206.23") * wan, Decimal("1531.45") * wan)
    assert amounts("301") == (Decimal("7168.15") * wan, Decimal("7168.15") * wan, Decimal("0.00") * wan)
    assert amounts("302") == (Decimal("2567.28") * wan, Decimal("1055.83") * wan, Decimal("1511.45") * wan)
    assert amounts("30211") == (Decimal("95.05") * wan, Decimal("18.00") * wan, Decimal("77.05") * wan)
    assert find(rows, economic_code="30211")["economic_name"] == "差旅费"
    assert not [t for t in shenzhen.tables if "经济分类" in t.title and t.status != "converted"]


def test_summary_lines_by_national_wording(shenzhen):
    rows = shenzhen.resources["budget_summary"]
    assert find(rows, side="revenue", item="fiscal_appropriation")["amount"] == Decimal("107376900.00")
    assert find(rows, side="revenue", item="general_public_budget")["amount"] == Decimal("107376900.00")
    assert find(rows, side="revenue", item="fiscal_special_account")["amount"] == Decimal("0.00")
    assert find(rows, side="revenue", item="unit_funds")["amount"] == Decimal("0.00")
    assert find(rows, side="expenditure", item="201")["amount"] == Decimal("69609000.00")
    assert find(rows, side="expenditure", item="205")["amount"] == Decimal("460500.00")
    assert find(rows, side="expenditure", item="208")["amount"] == Decimal("17434300.00")
    # 审计事务, 行政运行 … are printed under 一般公共服务支出 by name only: noted, not rows, not gaps
    assert not any(r["item_name"] == "审计事务" for r in rows)
    notes = [f for f in shenzhen.findings if f.check == "summary-detail" and "审计事务" in f.message]
    assert notes and notes[0].value == "6,960.90"


def test_basic_table_codes_from_names(shenzhen):
    rows = shenzhen.resources["basic_expenditure_by_economic"]
    assert find(rows, economic_code="TOTAL")["total"] == Decimal("92062300.00")
    assert find(rows, economic_code="301")["total"] == Decimal("71681500.00")
    assert find(rows, economic_code="30101")["total"] == Decimal("14031200.00")
    assert find(rows, economic_code="302")["total"] == Decimal("10558300.00")
    assert find(rows, economic_code="30201")["total"] == Decimal("941100.00")


def test_basic_table_fund_columns_kept_as_cells(shenzhen):
    cells = [c for c in shenzhen.resources["unmodelled_cells"] if c["table"] == "表 4 基本支出总表"]
    wages = [c for c in cells if c["text"] == "7,168.15"]
    assert {c["label"] for c in wages} == {"财政拨款/小计", "财政拨款/一般公共预算拨款"}


def test_three_public_fiscal_year_row(shenzhen):
    rows = {r["item"]: r["amount"] for r in shenzhen.resources["three_public_expenses"] if r["basis"] == "budget"}
    assert rows["total"] == Decimal("351000.00")
    assert rows["outbound_travel"] == Decimal("280000.00")
    assert rows["official_reception"] == Decimal("35000.00")
    assert rows["vehicles"] == Decimal("36000.00")
    assert rows["vehicle_purchase"] == Decimal("0.00")
    assert rows["vehicle_operation"] == Decimal("36000.00")
    kept = [c for c in shenzhen.resources["unmodelled_cells"] if "2025年/" in c["label"]]
    assert "40.31" in {c["text"] for c in kept}  # last year's total, kept as printed


def test_function_table_with_unit_column(shenzhen):
    rows = [r for r in shenzhen.resources["expenditure_by_function"] if r["scope"] == "general_public_budget"]
    assert find(rows, function_code="TOTAL")["total"] == Decimal("107376900.00")
    assert find(rows, function_code="2010801")["basic"] == Decimal("54665200.00")


def test_code_and_name_in_one_cell():
    assert code_and_name("2050803-培训支出") == ("2050803", "培训支出")
    assert code_and_name("50101-工资奖金津补贴") == ("50101", "工资奖金津补贴")
    assert code_and_name("2050803") is None
    assert code_and_name("12-34") is None


def test_code_parts_under_the_class_above():
    def row(line, *parts):
        return BodyRow(line, "", [], [], code_parts=list(parts))

    rows = [row(1, "208", "", ""), row(2, "", "05", ""), row(3, "", "", "01"), row(4, "", "2", "")]
    fill_code_hierarchy(rows)
    assert [r.code for r in rows] == ["208", "20805", "2080501", "20802"]


@pytest.fixture(scope="module")
def beijing():
    pdf = Path(__file__).resolve().parent.parent / "samples" / "pdf"
    return convert_source(
        read_disclosure(
            [pdf / "beijing-shenjiju-2026-budget-text.pdf", pdf / "beijing-shenjiju-2026-budget-tables.pdf"]
        )
    )


def test_codes_listed_again_per_unit_are_kept_as_printed_and_only_the_total_mapped(beijing):
    # 预算05表 一般公共预算支出表 prints 2010801 行政运行 … once per unit, naming no unit; its 合计
    # row (read at 3x: 32,801.936639 万元) is the department's total
    rows = beijing.resources["expenditure_by_function"]
    assert [(r["function_code"], r["total"]) for r in rows] == [("TOTAL", Decimal("328019366.390000"))]
    kept = [c for c in beijing.resources["unmodelled_cells"] if c["table"] == "预算05表 一般公共预算支出表"]
    assert {"text": "4,952.850016", "label": "part 1/预算数/合计"}.items() <= find(kept, text="4,952.850016").items()
    assert any(f.check == "per-unit-table" for f in beijing.findings)


def test_numbers_a_mapping_does_not_place_are_kept_with_their_column(beijing):
    # 预算表12 项目支出绩效目标表: 《北京审计》杂志办刊经费, 项目总额 17.398000, of which 财政资金 17.398000.
    # The form reader places them (project_details); a mapping that placed nothing would leave them to
    # the accounting, which keeps them with their column.
    from converter.accounting import unaccounted_cells
    from converter.segment import find_tables

    table = next(t for t in find_tables(beijing.source.lines)[0] if "项目支出绩效目标表" in t.title)
    kept = [
        c for c in unaccounted_cells(table, "performance_targets", table.factor, [], [], []) if c["text"] == "17.398000"
    ]
    assert sorted(c["label"] for c in kept) == ["其中:/财政资金", "项目总额"]
    placed = [r for r in beijing.resources["project_details"] if r["amount"] == Decimal("173980")]
    assert len(placed) == 2 and not any(f.check == "unplaced-number" for f in beijing.findings)


def test_a_units_own_edition_is_its_own_package():
    """Shanghai Putuo publishes 上海市普陀区2025年区级部门预算 and 上海市普陀区2025年区级单位预算 for
    the same unit (预算主管部门 / 预算单位：上海市普陀区商务委员会): two disclosures, two packages."""
    from converter.metadata import edition_of

    assert edition_of("上海市普陀区2025年区级单位预算") == "unit"
    assert edition_of("上海市普陀区2025年区级部门预算") == "department"
    assert edition_of("武汉市数据局2026年部门预算") == "department"
    printed = CITY_2026.read_text(encoding="utf-8")
    text = printed.replace("武汉市数据局 2026 年部门预算", "武汉市数据局 2026 年单位预算", 1)
    unit = convert_text(text)
    assert unit.metadata.edition == "unit" and unit.name == "420100-157-2026-unit-budget"
    assert convert_text(printed).name == "420100-157-2026-budget"
