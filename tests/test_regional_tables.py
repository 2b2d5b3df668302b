"""政府采购, 项目支出 and “三公” tables as other regions lay them out, read by their labels.

Expected values are read by hand from the printed pages:
- tests/data/xian-tongjiju-2026-budget.pdf (元): 表12 政府采购（资产配置、购买服务）预算表 on page 38,
  表13 “三公”经费及会议费、培训费支出预算表 on page 39;
- tests/data/yantai-tuiyijunrenju-2026-budget.html (万元): 政府采购预算表, 项目支出预算情况表,
  一般公共预算“三公”经费支出情况表;
- samples/pdf/shanghai-putuo-commerce-commission-2025-budget.pdf (万元): “三公”经费和机关运行经费预算表, page 21;
- samples/wuhan-data-bureau-2026-budget.txt (万元): 表 7 “三公” (53.48 | | 47.98 | 35.98 | 12.00 | 5.50),
  printed again one row per item as Fuzhou's template does.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from converter.pipeline import convert_source
from converter.read import read_disclosure
from tests.conftest import CITY_2026, convert_text, find, wan

DATA = Path(__file__).resolve().parent / "data"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
XIAN_PROCUREMENT = "表12 部门综合预算政府采购（资产配置、购买服务）预算表"


@pytest.fixture(scope="module")
def xian():
    return convert_source(read_disclosure([DATA / "xian-tongjiju-2026-budget.pdf"]))


@pytest.fixture(scope="module")
def yantai():
    return convert_source(read_disclosure([DATA / "yantai-tuiyijunrenju-2026-budget.html"]))


def gaps(conversion, table: str) -> list[str]:
    return [f.message for f in conversion.findings if f.severity == "error" and f.table == table]


def three_public(conversion, basis: str = "budget") -> dict[str, Decimal | None]:
    return {r["item"]: r["amount"] for r in conversion.resources["three_public_expenses"] if r["basis"] == basis}


def test_procurement_code_parts_and_catalogue_codes(xian):
    # 201 | 05 | 07 | 第四次农业普查 | A05030303普通服装 | | | 20,400 | 302 | 99 | 502 | 99 | | 2,040,000.00
    assert gaps(xian, XIAN_PROCUREMENT) == []
    rows = xian.resources["procurement"]
    clothes = find(rows, item_code="A05030303")
    assert clothes["row_type"] == "item" and clothes["item_name"] == "普通服装"
    assert clothes["project_name"] == "第四次农业普查"
    assert (clothes["function_code"], clothes["economic_code"], clothes["government_economic_code"]) == (
        "2010507",
        "30299",
        "50299",
    )
    assert clothes["quantity"] == Decimal("20400") and clothes["total"] == Decimal("2040000.00")
    # 规格型号 of the 台式计算机 line; 合计 printed in the 科目编码 column
    desktop = find(rows, item_code="A02010105")
    assert desktop["specification"] == "16G内存、256G、1T双硬盘" and desktop["total"] == Decimal("12100.00")
    total = find(rows, row_type="total")
    assert total["total"] == Decimal("18712700.00") and total["quantity"] == Decimal("187920")
    # 119001 西安市统计局: a unit's line, its name printed in the 采购项目 column
    unit = find(rows, unit_code="119001")
    assert unit["row_type"] == "unit" and unit["unit_name"] == "西安市统计局"


def test_procurement_by_function_and_source_of_funds(yantai):
    # 合计 1,409.65 | 财政拨款 小计 1,036.66 | 一般公共预算 1,036.66 | … | 单位资金 372.99
    assert gaps(yantai, "政府采购预算表") == []
    rows = yantai.resources["procurement"]
    total = find(rows, row_type="total")
    assert total["total"] == wan("1409.65") and total["fiscal_appropriation"] == wan("1036.66")
    assert total["general_public_budget"] == wan("1036.66") and total["unit_funds"] == wan("372.99")
    # | 09 | | 退役安置 504.45 | 168.23 | 168.23 | … | 336.22: 款 09 under class 208 printed above
    resettlement = find(rows, function_code="20809")
    assert resettlement["row_type"] == "function" and resettlement["function_name"] == "退役安置"
    assert resettlement["total"] == wan("504.45") and resettlement["unit_funds"] == wan("336.22")
    # | | 01 | 行政运行 2.00: 项 01 under 208 28
    assert find(rows, function_code="2082801")["general_public_budget"] == wan("2.00")


def test_project_category_column_beside_the_name(yantai):
    assert gaps(yantai, "项目支出预算情况表") == []
    rows = yantai.resources["projects"]
    total = find(rows, row_type="total")
    assert total["total"] == wan("25434.48") and total["general_public_budget"] == wan("18343.48")
    assert total["government_fund_budget"] == wan("218.00") and total["unit_funds"] == wan("6873.00")
    # 优抚对象医疗保障经费（省级专项本级） | 特定目标类 | 218.00 | 218.00 | | 218.00
    project = find(rows, project_name="优抚对象医疗保障经费（省级专项本级）")
    assert project["category"] == "特定目标类" and project["unit_name"] == ""
    assert project["total"] == wan("218.00") and project["government_fund_budget"] == wan("218.00")
    assert project["general_public_budget"] is None


def test_three_public_two_years_side_by_side(yantai):
    # 2025年预算数 28.10 | | 19.90 | | 19.90 | 8.20 and 2026年预算数 25.02 | | 17.40 | | 17.40 | 7.62
    items = three_public(yantai)
    assert items["total"] == wan("25.02") and items["vehicles"] == wan("17.40")
    assert items["vehicle_operation"] == wan("17.40") and items["official_reception"] == wan("7.62")
    assert items["outbound_travel"] is None
    kept = [c for c in yantai.resources["unmodelled_cells"] if c["table"] == "一般公共预算“三公”经费支出情况表"]
    assert find(kept, text="28.10")["label"].startswith("2025年预算数/")


def test_three_public_with_meetings_training_and_other_years(xian):
    # 合计 row, 当年: 913,900.00 | 81,000.00 | | 15,000.00 | 66,000.00 | | 66,000.00 | 57,900.00 | 775,000.00
    table = "表13 部门综合预算一般公共预算拨款三公经费及会议费、培训费支出预算表"
    assert gaps(xian, table) == []
    items = three_public(xian)
    assert items == {
        "total": Decimal("81000.00"),
        "outbound_travel": None,
        "official_reception": Decimal("15000.00"),
        "vehicles": Decimal("66000.00"),
        "vehicle_purchase": None,
        "vehicle_operation": Decimal("66000.00"),
        "meetings": Decimal("57900.00"),
        "training": Decimal("775000.00"),
        "total_with_meetings_training": Decimal("913900.00"),
    }
    kept = [c for c in xian.resources["unmodelled_cells"] if c["table"] == table]
    total_line = find(xian.resources["three_public_expenses"], item="total")["source_line"]
    assert find(kept, text="518,400.00", label="上年/合计")["source_line"] == total_line
    # the units' rows (119002 西安市社会经济调查中心: 当年 合计 5,000.00) are kept as printed
    assert any(c["text"] == "119002" for c in kept)
    assert any(c["text"] == "-72,100.00" and c["label"].startswith("增减变化情况/") for c in kept)


def test_agency_operation_beside_the_three_public_expenses():
    # “三公”经费预算数 合计 1.00 | … | 公务接待费 1.00 | … | 机关运行经费预算数 171.01
    conversion = convert_source(
        read_disclosure([SAMPLES / "pdf" / "shanghai-putuo-commerce-commission-2025-budget.pdf"])
    )
    items = three_public(conversion)
    assert items["agency_operation"] == wan("171.01")
    assert items["total"] == wan("1.00") and items["official_reception"] == wan("1.00")


CITY = CITY_2026.read_text(encoding="utf-8")
THREE_PUBLIC_ROW_LAYOUT = (
    "“三公”经费合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
    "\t\t小计\t公务用车购置费\t公务用车运行费\t\n"
    "53.48\t\t47.98\t35.98\t12.00\t5.50\n"
)


def test_three_public_printed_one_row_per_item():
    assert THREE_PUBLIC_ROW_LAYOUT in CITY
    by_item = (
        "项目\t预算数\n"
        "合计\t53.48\n"
        "1、因公出国（境）费用\t0.00\n"
        "2、公务接待费\t5.50\n"
        "3、公务用车购置及运行费\t47.98\n"
        "其中：（1）公务用车购置费\t35.98\n"
        "（2）公务用车运行费\t12.00\n"
    )
    conversion = convert_text(CITY.replace(THREE_PUBLIC_ROW_LAYOUT, by_item))
    assert [f.message for f in conversion.findings if f.severity == "error"] == []
    assert three_public(conversion) == {
        "total": wan("53.48"),
        "outbound_travel": wan("0.00"),
        "official_reception": wan("5.50"),
        "vehicles": wan("47.98"),
        "vehicle_purchase": wan("35.98"),
        "vehicle_operation": wan("12.00"),
    }


def test_placeholders_a_table_prints_for_none_read_as_blank(city):
    # two cells of 表 3 支出总表 printed '—' where the sample leaves them blank: no amount, no gap
    text = CITY.replace("行政运行\t1613.36\t1613.36\t\t", "行政运行\t1613.36\t1613.36\t—\t", 1)
    text = text.replace("一般行政管理事务\t2021.83\t\t2021.83", "一般行政管理事务\t2021.83\t—\t2021.83", 1)
    assert text.count("—\t") >= CITY.count("—\t") + 2
    conversion = convert_text(text)
    assert [f.message for f in conversion.findings if f.severity == "error"] == []
    notes = [f for f in conversion.findings if f.check == "placeholder"]
    assert len(notes) == 2 and all(f.severity == "info" for f in notes)
    rows = conversion.resources["expenditure_by_function"]
    assert rows == city.resources["expenditure_by_function"]


def test_a_single_placeholder_where_a_figure_should_be_stays_a_gap():
    text = CITY.replace("行政运行\t1613.36\t1613.36\t\t", "行政运行\t1613.36\t—\t\t", 1)
    conversion = convert_text(text)
    assert any("'—' is a placeholder" in f.message for f in conversion.findings if f.severity == "error")


def test_a_spending_table_by_unit_is_read_as_expenditure_by_unit(xian):
    """Xi'an 表3 部门综合预算支出总表 (page 28, 元) lists units (单位编码 | 单位名称), not functions:
    合计 62,109,297.20; 119001 西安市统计局 41,059,127.54; 119002 西安市社会经济调查中心 15,844,100.28;
    119003 西安市统计局普查中心 5,206,069.38. Its revenue-source columns are kept as printed."""
    rows = xian.resources["expenditure_by_unit"]
    assert find(rows, scope="all_funds", unit_code="TOTAL")["total"] == Decimal("62109297.20")
    assert find(rows, scope="all_funds", unit_code="119001")["total"] == Decimal("41059127.54")
    assert find(rows, scope="all_funds", unit_code="119002")["unit_name"] == "西安市社会经济调查中心"
    assert find(rows, scope="all_funds", unit_code="119003")["total"] == Decimal("5206069.38")
    assert not [f for f in xian.findings if f.severity == "error" and "表3" in (f.table or "")]
    kept = [c for c in xian.resources["unmodelled_cells"] if c["table"] == "表3 部门综合预算支出总表"]
    assert any(c["text"] == "41,059,127.54" and "一般公共预算拨款" in c["label"] for c in kept)


def test_economic_table_with_both_classifications_in_class_and_item_columns(yantai):
    """Yantai's 一般公共预算基本支出情况表 (万元) prints 科目编码 类 | 款 | 部门预算 name, then 科目编码
    类 | 款 | 政府预算 name: 301 appears once per government class (501 机关工资福利支出 590.30,
    505 对事业单位经常性补助 8,133.18), so a code printed again beside another government code is
    another row, not a sub-item. 合计 10,124.17 = 人员支出 9,681.17 + 日常公用支出 443.00."""
    rows = yantai.resources["basic_expenditure_by_economic"]
    total = find(rows, economic_code="TOTAL")
    assert (total["total"], total["personnel"], total["public"]) == (wan("10,124.17"), wan("9,681.17"), wan("443.00"))
    assert find(rows, economic_code="301", government_economic_code="501-机关工资福利支出")["total"] == wan("590.30")
    assert find(rows, economic_code="301", government_economic_code="505-对事业单位经常性补助")["total"] == wan(
        "8,133.18"
    )
    assert find(rows, economic_code="30101", government_economic_code="50501-工资福利支出")["total"] == wan("2,093.20")
    assert find(rows, economic_code="30215", government_economic_code="50202-会议费")["public"] == wan("3.00")
    assert not [f for f in yantai.findings if f.severity == "error"]


def test_an_all_funds_basic_table_beside_the_general_public_budget_one_is_kept_as_printed(yantai):
    """Yantai also prints 基本支出预算情况表 over all funds (合计 10,440.01, of which 财政拨款 10,124.17
    and 单位资金 315.84): the standard's basic table is the general public budget's, so this one is
    kept cell by cell with a note, not published as a second TOTAL."""
    note = next(f for f in yantai.findings if f.check == "second-basic-table")
    assert note.severity == "info" and note.table == "基本支出预算情况表"
    kept = [c for c in yantai.resources["unmodelled_cells"] if c["table"] == "基本支出预算情况表"]
    assert any(c["text"] == "10,440.01" for c in kept) and any(c["text"] == "315.84" for c in kept)


def test_the_xian_package_validates(tmp_path):
    """A department and its 本级 unit share a name as printed (119 西安市统计局 and 119001 西安市统计局,
    表2 page 27): unit names are unique under one parent, not across the hierarchy."""
    from converter import convert_file
    from validate import validate_package

    result = convert_file(DATA / "xian-tongjiju-2026-budget.pdf", tmp_path)
    assert result.status == "converted" and result.package is not None
    checked = validate_package(result.package)
    assert checked.valid, [f.message for f in checked.findings if f.severity == "error"]
    units = (result.package / "data" / "units.csv").read_text(encoding="utf-8")
    assert "\n119,西安市统计局," in units and "\n119001,西安市统计局,119," in units
