"""收支总表 / 财政拨款收支总表 / 收入总表 of regional templates, read by general rules.

Expected values are read by hand from the printed pages:
- tests/data/jiangsu-gaojirenminfayuan-2019-budget.pdf: 公开01表 收支预算总表 (page 8; 收入 | 支出 by
  功能分类 | 支出用途), 公开02表 收入预算总表 (page 9; a list of lines, not of units), 公开04表
  财政拨款收支预算总表 (page 10), in 万元 × 10000;
- tests/data/yantai-tuiyijunrenju-2026-budget.html: 收支总体情况表 and 财政拨款收支总体情况表, 万元;
- Xi'an's 西安市统计局 2026 表1 部门综合预算收支总表 (page 26, in 元), Shenzhen's 口岸办 表1 收支总表
  (page 16) and Fuzhou's 医疗保障局 2026年度收支预算总表: lines of those pages transcribed as text.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from converter.layout import split_row
from converter.pipeline import Conversion, convert_source
from converter.read import read_disclosure
from converter.recognize import column_field
from converter.segment import Row
from tests.conftest import convert_text, find, wan

DATA = Path(__file__).resolve().parent / "data"
SUMMARIES = ("budget_summary", "fiscal_appropriation_summary", "revenue_by_unit")


def _gaps(conversion: Conversion) -> list[str]:
    return [f.message for f in conversion.findings if f.severity == "error" and f.resource in SUMMARIES]


@pytest.fixture(scope="module")
def jiangsu() -> Conversion:
    return convert_source(read_disclosure([DATA / "jiangsu-gaojirenminfayuan-2019-budget.pdf"]))


def test_jiangsu_summaries_have_no_gaps(jiangsu):
    assert _gaps(jiangsu) == []


def test_spending_by_function_and_by_use_side_by_side(jiangsu):
    rows = jiangsu.resources["budget_summary"]
    assert find(rows, side="revenue", item="fiscal_appropriation")["amount"] == wan("37,188.34")
    assert find(rows, side="revenue", item="general_public_budget")["amount"] == wan("37,188.34")
    # the 功能分类 group: class names read as classes, not as amounts
    assert find(rows, side="expenditure", item="204")["amount"] == wan("27,488.23")
    assert find(rows, side="expenditure", item="208")["amount"] == wan("2,355.65")
    assert find(rows, side="expenditure", item="221")["amount"] == wan("7,344.46")
    assert find(rows, side="expenditure", item="201")["amount"] is None
    # the 支出用途 group beside it
    assert find(rows, side="expenditure", item="basic_expenditure")["amount"] == wan("21,968.00")
    assert find(rows, side="expenditure", item="project_expenditure")["amount"] == wan("10,208.94")


def test_totals_printed_across_the_spending_groups(jiangsu):
    rows = jiangsu.resources["budget_summary"]
    # 当年支出小计 is printed under 功能分类, its one amount under 支出用途's 金额
    spent = find(rows, side="expenditure", item="current_year_total")
    assert (spent["item_name"], spent["amount"]) == ("当年支出小计", wan("37,188.34"))
    assert find(rows, side="revenue", item="current_year_total")["item_name"] == "当年收入小计"
    # 收入合计 / 支出合计 after the year's total and the carry-over: the grand totals
    assert find(rows, side="revenue", item="grand_total")["item_name"] == "收入合计"
    assert find(rows, side="expenditure", item="grand_total")["amount"] == wan("37,188.34")
    assert find(rows, side="revenue", item="carryover")["item_name"] == "上年结转资金"


def test_a_use_line_the_standard_has_no_item_for_is_kept(jiangsu):
    for table in ("公开 01 表 收支预算总表", "公开 04 表 财政拨款收支预算总表"):
        kept = [c for c in jiangsu.resources["unmodelled_cells"] if c["table"] == table]
        assert find(kept, text="5,011.40")["label"].startswith("三、单位预留机动经费/")
    notes = [f for f in jiangsu.findings if f.check == "summary-use"]
    assert {f.resource for f in notes} == {"budget_summary", "fiscal_appropriation_summary"}


def test_fiscal_summary_by_use_only(jiangsu):
    rows = jiangsu.resources["fiscal_appropriation_summary"]
    assert find(rows, side="revenue", item="general_public_budget")["amount"] == wan("37,188.34")
    assert find(rows, side="expenditure", item="basic_expenditure")["amount"] == wan("21,968.00")
    assert find(rows, side="expenditure", item="project_expenditure")["amount"] == wan("10,208.94")
    assert find(rows, side="expenditure", item="current_year_total")["amount"] == wan("37,188.34")


def test_revenue_table_printed_as_lines(jiangsu):
    # 公开02表 lists 收入总计, 一般公共预算资金 小计, 公共财政拨款（补助）资金 … one per line
    rows = jiangsu.resources["revenue_by_unit"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["unit_code"], row["total"], row["general_public_budget"]) == (
        "TOTAL",
        wan("37,188.34"),
        wan("37,188.34"),
    )
    kept = [c for c in jiangsu.resources["unmodelled_cells"] if c["table"] == "公开 02 表 收入预算总表"]
    assert [c["label"] for c in kept] == ["一般公共预算资金/公共财政拨款（补助）资金"]


XIAN_LINES = [
    "收入\t\t支出\t\t\t\t\t",
    "项目\t预算数\t支出功能分类科目（按大类）\t预算数\t部门预算支出经济分类科目（按大类）\t预算数"
    "\t政府预算支出经济分类科目（按大类）\t预算数",
    "一、部门预算\t62,109,297.20\t一、部门预算\t62,109,297.20\t一、部门预算\t62,109,297.20\t一、部门预算\t62,109,297.20",
    "1、财政拨款\t62,109,297.20\t1、一般公共服务支出\t50,037,708.13\t1、人员经费和公用经费支出\t36,701,197.20"
    "\t1、机关工资福利支出\t32,493,937.03",
    "(1)一般公共预算拨款\t62,109,297.20\t2、外交支出\t\t(1)工资福利支出\t32,493,937.03"
    "\t2、机关商品和服务支出\t22,821,426.17",
    "其中：专项资金列入部门预算的项目\t\t3、国防支出\t\t(2)商品和服务支出\t3,413,326.17"
    "\t3、机关资本性支出\t6,040,000.00",
    "3、事业收入\t\t5、教育支出\t775,000.00\t(4)资本性支出\t40,000.00\t\t",
    "其中：纳入财政专户管理的收费\t\t8、社会保障和就业支出\t5,404,242.10\t2、专项业务经费支出\t25,408,100.00"
    "\t9、对个人和家庭的补助\t753,934.00",
    "\t\t10、卫生健康支出\t1,977,080.79\t(6)资本性支出\t6,000,000.00\t\t",
    "\t\t20、住房保障支出\t3,915,266.18\t\t\t\t",
    "本年收入合计\t62,109,297.20\t本年支出合计\t62,109,297.20\t本年支出合计\t62,109,297.20\t本年支出合计\t62,109,297.20",
    "上年结转\t\t结转下年\t\t结转下年\t\t结转下年\t",
    "其中：财政拨款资金结转\t\t\t\t\t\t\t",
    "收入总计\t62,109,297.20\t支出总计\t62,109,297.20\t支出总计\t62,109,297.20\t支出总计\t62,109,297.20",
]


def _xian_text(lines: list[str]) -> str:
    return "\n".join(["西安市统计局2026年部门预算", "", "表1", "部门综合预算收支总表", "单位：元", *lines, ""])


@pytest.fixture(scope="module")
def xian() -> Conversion:
    return convert_text(_xian_text(XIAN_LINES))


def test_functional_side_beside_economic_groups(xian):
    assert _gaps(xian) == []
    rows = xian.resources["budget_summary"]
    assert find(rows, side="expenditure", item="201")["amount"] == Decimal("50037708.13")
    assert find(rows, side="expenditure", item="221")["amount"] == Decimal("3915266.18")
    assert find(rows, side="expenditure", item="current_year_total")["amount"] == Decimal("62109297.20")
    assert find(rows, side="revenue", item="general_public_budget")["amount"] == Decimal("62109297.20")
    assert not any(r["item"] == "fiscal_special_account" for r in rows)  # 其中：… under 事业收入 is a part


def test_economic_groups_kept_as_printed(xian):
    cells = xian.resources["unmodelled_cells"]
    group = "支出/部门预算支出经济分类科目(按大类)"
    assert find(cells, source_line=9, label=group)["text"] == "1、人员经费和公用经费支出"
    assert find(cells, source_line=9, label=f"{group}/预算数")["text"] == "36,701,197.20"
    assert find(cells, source_line=13, label=f"{group}/预算数")["text"] == "25,408,100.00"
    government = "支出/政府预算支出经济分类科目(按大类)/预算数"
    assert find(cells, source_line=11, label=government)["text"] == "6,040,000.00"
    assert sum(f.check == "summary-economic" for f in xian.findings) == 2


def test_heading_printing_the_sides_total_is_kept(xian):
    # 一、部门预算 heads both sides with 62,109,297.20, the same as 本年收入合计 / 本年支出合计
    rows = xian.resources["budget_summary"]
    assert not any(r["item_name"] == "一、部门预算" for r in rows)
    headings = [f for f in xian.findings if f.check == "summary-heading"]
    assert sorted(f.message.split(" lines")[0].split()[-1] for f in headings) == ["expenditure", "revenue"]
    kept = [c for c in xian.resources["unmodelled_cells"] if c["label"] == "一、部门预算/预算数"]
    assert [c["column"] for c in kept] == [2, 4]


def test_heading_with_another_amount_stays_a_gap():
    lines = list(XIAN_LINES)
    lines[2] = lines[2].replace("一、部门预算\t62,109,297.20", "一、部门预算\t1,000.00", 1)
    conversion = convert_text(_xian_text(lines))
    assert any("一、部门预算" in message for message in _gaps(conversion))


def test_revenue_source_subtotal_beside_its_part_column():
    # Xi'an 表2 部门综合预算收入总表: 部门预算 / 一般公共预算拨款 / 小计 | 其中：专项资金列入部门预算项目
    assert column_field("revenue_by_unit", ("部门预算", "一般公共预算拨款", "小计")) == "general_public_budget"
    assert column_field("revenue_by_unit", ("部门预算", "一般公共预算拨款", "其中:专项资金列入部门预算项目")) is None
    assert column_field("revenue_by_unit", ("上年结转结余", "小计")) == "carryover_total"
    assert column_field("revenue_by_unit", ("本年收入", "小计")) == "current_year_total"


@pytest.fixture(scope="module")
def yantai() -> Conversion:
    return convert_source(read_disclosure([DATA / "yantai-tuiyijunrenju-2026-budget.html"]))


def test_yantai_fiscal_summary_is_its_own_table(yantai):
    # the page prints 收支总体情况表 and 财政拨款收支总体情况表 once each; the second is the fiscal summary
    assert _gaps(yantai) == []
    fiscal = yantai.resources["fiscal_appropriation_summary"]
    assert find(fiscal, side="revenue", item="general_public_budget")["amount"] == wan("28,467.65")
    row = find(fiscal, side="expenditure", item="208")
    assert (row["amount"], row["general_public_budget"]) == (wan("21,672.07"), wan("21,672.07"))
    assert find(fiscal, side="expenditure", item="229")["government_fund_budget"] == wan("218.00")
    summary = yantai.resources["budget_summary"]
    assert find(summary, side="expenditure", item="208")["amount"] == wan("27,416.60")


def test_a_total_line_is_not_continued_by_the_next_name(yantai):
    summary = yantai.resources["budget_summary"]
    assert find(summary, side="expenditure", item="current_year_total")["item_name"] == "本年支出合计"
    assert find(summary, side="expenditure", item="subsidy_to_subordinate")["item_name"] == "对附属单位的补助支出"


def _summary_text(title: str, rows: list[str]) -> str:
    header = ["收 入\t\t支 出\t", "项 目\t2026年预算数\t项 目\t2026年预算数"]
    return "\n".join(["深圳市人民政府口岸办公室2026年部门预算", "", title, "单位：万元", *header, *rows, ""])


def test_item_lines_bearing_a_class_name_under_an_ordinal_class():
    # Shenzhen 口岸办 表1: 五、其他支出, then its 款 and 项 其他支出, printed without ordinals
    rows = [
        "一、财政拨款\t55,131.54\t四、住房保障支出\t1,194.32",
        "1.一般公共预算拨款\t55,131.54\t住房改革支出\t1,194.32",
        "\t\t五、其他支出\t7,647.43",
        "\t\t其他支出\t7,647.43",
        "\t\t其他支出\t7,647.43",
        "本年收入合计\t55,131.54\t本年支出合计\t55,884.67",
    ]
    conversion = convert_text(_summary_text("表 1 收支总表", rows))
    assert _gaps(conversion) == []
    summary = conversion.resources["budget_summary"]
    assert find(summary, side="expenditure", item="229")["item_name"] == "五、其他支出"
    details = [f for f in conversion.findings if f.check == "summary-detail" and f.row_key == "229"]
    assert [f.value for f in details] == ["7,647.43", "7,647.43"]


def test_total_after_the_carryover_is_the_grand_total():
    # Fuzhou 2026年度收支预算总表: 本年收入合计, 上年结转结余, then 收入合计 / 支出合计
    rows = [
        "一、一般公共预算拨款收入\t351904.90\t九、卫生健康支出\t349680.44",
        "本年收入合计\t351904.90\t本年支出合计\t351904.90",
        "上年结转结余\t0.00\t结转下年支出\t0.00",
        "收入合计\t351904.90\t支出合计\t351904.90",
    ]
    conversion = convert_text(_summary_text("2026年度收支预算总表", rows))
    assert _gaps(conversion) == []
    summary = conversion.resources["budget_summary"]
    assert find(summary, side="revenue", item="grand_total")["item_name"] == "收入合计"
    assert find(summary, side="expenditure", item="grand_total")["amount"] == wan("351904.90")
    assert find(summary, side="revenue", item="current_year_total")["item_name"] == "本年收入合计"


def test_table_continued_on_a_page_without_text_column():
    # Beijing 预算02表 收入总表, page 4: its columns continue (其他收入 | 上年结转结余 …) with a blank
    # first column; the row has exactly the table's cells, so the blank is an amount, not a text column
    cells = ["", "2,934.108891", "55,856.549576", "25,437.557705", "848.210784", "", "", "29,570.781087"]
    row = split_row(Row(42, cells), 0, 8, False)
    assert row.amounts == cells and row.texts == []
