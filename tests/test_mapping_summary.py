"""The 收支总表 and 财政拨款收支总表 mapper (converter/mapping/summary.py) on small hand-made tables.

Each table is laid out the way the national templates print it (收入 | 预算数 | 支出 | 预算数, the
lines 一般公共预算拨款收入 … 本年收入合计, 上年结转结余, 收入总计; final accounts with 行次 and a column
per fund; regional layouts with a by-use or economic group beside the functional one), shortened
to the lines a behaviour needs. The rows and findings expected are worked out by hand from what
the table prints, the items of schema/codelists/budget_summary_items.csv and the functional
classes' names in schema/codelists/functional_classification.csv (201 一般公共服务支出, 204 公共安全
支出, 205 教育支出, 206 科学技术支出, 208 社会保障和就业支出, 211 节能环保支出, 221 住房保障支出, 224
灾害防治及应急管理支出, 229 其他支出); amounts in 万元 are × 10000 in yuan, in 千元 × 1000.
"""

from __future__ import annotations

from decimal import Decimal

from converter.mapping.parse import parse_table
from converter.mapping.summary import SummarySide, map_summary, summary_layout, summary_sides
from converter.mapping.table import Context, ParsedTable
from converter.recognize import BUDGET_SUMMARY, FISCAL_SUMMARY, Kind
from converter.segment import RawTable, Row
from tests.conftest import said

FIRST = 5  # the line the table's first printed row is on
REF = "表1 部门收支总表"
FUNDS = ("general_public_budget", "government_fund_budget", "state_capital_budget")


def summary(lines: list[list[str]], kind: Kind = BUDGET_SUMMARY, unit: str = "万元") -> ParsedTable:
    """A 收支总表 printed on lines FIRST, FIRST + 1, … (header lines first), parsed as the pipeline does."""
    raw = RawTable("部门收支总表", "表1", unit, FIRST - 1, [Row(FIRST + i, cells) for i, cells in enumerate(lines)])
    return parse_table(raw, kind)


def mapped(lines: list[list[str]], kind: Kind = BUDGET_SUMMARY, unit: str = "万元", year: int = 2026):
    table = summary(lines, kind, unit)
    rows, findings = map_summary(table, Context(year))
    return table, rows, findings


def items(rows: list[dict]) -> list[tuple[object, ...]]:
    """(side, item, name as printed, amount, line) of each row."""
    return [(r["side"], r["item"], r["item_name"], r["amount"], r["source_line"]) for r in rows]


def kept(table: ParsedTable) -> list[tuple[object, ...]]:
    """(line, column, label, text) of each cell kept as printed."""
    return [(c["source_line"], c["column"], c["label"], c["text"]) for c in table.unmodelled]


HEADER = [["收 入", "", "支 出", ""], ["项 目", "预算数", "项 目", "预算数"]]


# --- the national 收支总表 -----------------------------------------------------------------------


def test_a_budget_summary_one_row_per_printed_line_of_either_side():
    table, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "60.00"],  # line 7
            ["二、政府性基金预算拨款收入", "", "二、教育支出", "30.50"],
            ["三、事业收入", "8.00", "三、科学技术支出", ""],
            ["本年收入合计", "108.00", "本年支出合计", "90.50"],  # line 10
            ["上年结转结余", "20.00", "年终结转结余", "37.50"],
            ["收入总计", "128.00", "支出总计", "128.00"],
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "201", "一、一般公共服务支出", Decimal("600000"), 7),
        ("revenue", "government_fund_budget", "二、政府性基金预算拨款收入", None, 8),
        ("expenditure", "205", "二、教育支出", Decimal("305000"), 8),
        ("revenue", "business_income", "三、事业收入", Decimal("80000"), 9),
        ("expenditure", "206", "三、科学技术支出", None, 9),
        ("revenue", "current_year_total", "本年收入合计", Decimal("1080000"), 10),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("905000"), 10),
        ("revenue", "carryover", "上年结转结余", Decimal("200000"), 11),
        ("expenditure", "year_end_carryover", "年终结转结余", Decimal("375000"), 11),
        ("revenue", "grand_total", "收入总计", Decimal("1280000"), 12),
        ("expenditure", "grand_total", "支出总计", Decimal("1280000"), 12),
    ]
    # a 收支总表 prints no column per fund: those fields are empty
    assert all(r[f] is None for r in rows for f in FUNDS)
    assert list(rows[0]) == ["side", "item", "item_name", "amount", *FUNDS, "source_line"]
    assert findings == [] and table.unmodelled == []


def test_amounts_in_the_tables_unit():
    _, rows, _ = mapped([*HEADER, ["一、一般公共预算拨款收入", "1,234.56", "一、教育支出", "0.01"]], unit="元")
    assert [r["amount"] for r in rows] == [Decimal("1234.56"), Decimal("0.01")]
    _, rows, _ = mapped([*HEADER, ["一、一般公共预算拨款收入", "1,234.56", "一、教育支出", "0.01"]], unit="千元")
    assert [r["amount"] for r in rows] == [Decimal("1234560"), Decimal("10")]


def test_the_carryover_lines_by_the_funds_they_carry():
    # 财政拨款收支总表 (Beijing 预算04表): the carry-over broken down by fund under 上年结转结余
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算资金", "70.00", "一、一般公共服务支出", "80.00"],  # line 7
            ["二、政府性基金预算资金", "", "二、教育支出", ""],
            ["本年收入合计", "70.00", "本年支出合计", "80.00"],
            ["上年结转结余", "10.00", "年终结转结余", ""],  # line 10
            ["一、一般公共预算拨款", "6.00", "", ""],
            ["二、政府性基金预算拨款", "4.00", "", ""],
            ["三、国有资本经营预算拨款", "", "", ""],
            ["收入总计", "80.00", "支出总计", "80.00"],  # line 14
        ],
        FISCAL_SUMMARY,
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算资金", Decimal("700000"), 7),
        ("expenditure", "201", "一、一般公共服务支出", Decimal("800000"), 7),
        ("revenue", "government_fund_budget", "二、政府性基金预算资金", None, 8),
        ("expenditure", "205", "二、教育支出", None, 8),
        ("revenue", "current_year_total", "本年收入合计", Decimal("700000"), 9),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("800000"), 9),
        ("revenue", "carryover", "上年结转结余", Decimal("100000"), 10),
        ("expenditure", "year_end_carryover", "年终结转结余", None, 10),
        ("revenue", "carryover_general_public_budget", "一、一般公共预算拨款", Decimal("60000"), 11),
        ("revenue", "carryover_government_fund_budget", "二、政府性基金预算拨款", Decimal("40000"), 12),
        ("revenue", "carryover_state_capital_budget", "三、国有资本经营预算拨款", None, 13),
        ("revenue", "grand_total", "收入总计", Decimal("800000"), 14),
        ("expenditure", "grand_total", "支出总计", Decimal("800000"), 14),
    ]
    assert findings == []


def test_the_years_total_first_then_its_funds_then_the_carryover_and_its_funds():
    # Wuhan's 财政拨款收支总表: 一、本年收入 heads its funds, 二、上年结转 heads the carried-over ones;
    # the classes are numbered (一) (二) under 一、本年支出
    _, rows, findings = mapped(
        [
            ["收 入", "", "支 出", ""],
            ["项目", "预算数", "项目", "预算数"],
            ["一、本年收入", "11994.89", "一、本年支出", "13244.21"],  # line 7
            ["（一）一般公共预算拨款", "11994.89", "（一）一般公共服务支出", "5971.90"],
            ["（二）政府性基金预算拨款", "", "（二）科学技术支出", "7272.31"],
            ["二、上年结转", "1249.32", "（三）灾害防治及应急管理支出", ""],  # line 10
            ["（一）一般公共预算拨款", "1249.32", "二、年终结转结余", ""],
            ["（二）政府性基金预算拨款", "", "", ""],
            ["收 入 总 计", "13244.21", "支 出 总 计", "13244.21"],  # line 13
        ],
        FISCAL_SUMMARY,
    )
    assert items(rows) == [
        ("revenue", "current_year_total", "一、本年收入", Decimal("119948900"), 7),
        ("expenditure", "current_year_total", "一、本年支出", Decimal("132442100"), 7),
        ("revenue", "general_public_budget", "（一）一般公共预算拨款", Decimal("119948900"), 8),
        ("expenditure", "201", "（一）一般公共服务支出", Decimal("59719000"), 8),
        ("revenue", "government_fund_budget", "（二）政府性基金预算拨款", None, 9),
        ("expenditure", "206", "（二）科学技术支出", Decimal("72723100"), 9),
        ("revenue", "carryover", "二、上年结转", Decimal("12493200"), 10),
        ("expenditure", "224", "（三）灾害防治及应急管理支出", None, 10),
        ("revenue", "carryover_general_public_budget", "（一）一般公共预算拨款", Decimal("12493200"), 11),
        ("expenditure", "year_end_carryover", "二、年终结转结余", None, 11),
        ("revenue", "carryover_government_fund_budget", "（二）政府性基金预算拨款", None, 12),
        # the names as cleaned: the spaces between characters the templates print are not kept
        ("revenue", "grand_total", "收入总计", Decimal("132442100"), 13),
        ("expenditure", "grand_total", "支出总计", Decimal("132442100"), 13),
    ]
    assert findings == []


# --- which side a column group is ----------------------------------------------------------------


def test_a_header_on_one_line_that_prints_the_spending_first_is_read_by_its_words():
    # 支出项目 | 金额 | 收入项目 | 金额: the first group is the spending side, as its header says
    paths = [("支出项目",), ("金额",), ("收入项目",), ("金额",)]
    assert summary_layout(paths, 4) == [
        SummarySide("expenditure", 0, [(1, "amount")], [], "main", "支出项目"),
        SummarySide("revenue", 2, [(3, "amount")], [], "main", "收入项目"),
    ]
    _, rows, findings = mapped(
        [
            ["支出项目", "金额", "收入项目", "金额"],
            ["一、一般公共服务支出", "60.00", "一、一般公共预算拨款收入", "100.00"],  # line 6
            ["二、教育支出", "40.00", "二、事业收入", ""],
            ["本年支出合计", "100.00", "本年收入合计", "100.00"],
        ]
    )
    assert items(rows) == [
        ("expenditure", "201", "一、一般公共服务支出", Decimal("600000"), 6),
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 6),
        ("expenditure", "205", "二、教育支出", Decimal("400000"), 7),
        ("revenue", "business_income", "二、事业收入", None, 7),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("1000000"), 8),
        ("revenue", "current_year_total", "本年收入合计", Decimal("1000000"), 8),
    ]
    assert findings == []


def test_a_header_on_one_line_that_prints_the_revenue_first_or_no_side_at_all():
    paths = [("收入项目",), ("金额",), ("支出项目",), ("金额",)]
    assert [(g.side, g.name_column) for g in summary_layout(paths, 4)] == [("revenue", 0), ("expenditure", 2)]
    # 项目 | 金额 twice: by position
    paths = [("项目",), ("金额",), ("项目",), ("金额",)]
    assert [(g.side, g.name_column) for g in summary_layout(paths, 4)] == [("revenue", 0), ("expenditure", 2)]


# --- spending groups beside the functional one ----------------------------------------------------

BY_USE = [
    ["收入", "", "支出", "", "", ""],
    ["", "", "功能分类", "", "支出用途", ""],
    ["项目", "金额", "科目名称", "金额", "项目", "金额"],
]


def test_a_by_use_group_beside_the_classes_and_a_total_printed_across_them():
    # Jiangsu's 收支预算总表: 功能分类 | 支出用途 on the spending side; 当年支出小计 is printed under
    # 功能分类 with its one amount under 支出用途
    table, rows, findings = mapped(
        [
            *BY_USE,
            ["一、一般公共预算拨款", "300.00", "一般公共服务支出", "100.00", "一、基本支出", "200.00"],  # line 8
            ["二、政府性基金预算拨款", "", "教育支出", "200.00", "二、项目支出", "80.00"],
            ["", "", "", "", "三、单位预留机动经费", "20.00"],  # line 10
            ["当年收入小计", "300.00", "当年支出小计", "", "", "300.00"],
            ["收入合计", "300.00", "支出合计", "", "", "300.00"],  # line 12
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款", Decimal("3000000"), 8),
        ("expenditure", "201", "一般公共服务支出", Decimal("1000000"), 8),
        ("expenditure", "basic_expenditure", "一、基本支出", Decimal("2000000"), 8),
        ("revenue", "government_fund_budget", "二、政府性基金预算拨款", None, 9),
        ("expenditure", "205", "教育支出", Decimal("2000000"), 9),
        ("expenditure", "project_expenditure", "二、项目支出", Decimal("800000"), 9),
        ("revenue", "current_year_total", "当年收入小计", Decimal("3000000"), 11),
        ("expenditure", "current_year_total", "当年支出小计", Decimal("3000000"), 11),
        # 收入合计 / 支出合计 after the year's totals: the grand totals
        ("revenue", "grand_total", "收入合计", Decimal("3000000"), 12),
        ("expenditure", "grand_total", "支出合计", Decimal("3000000"), 12),
    ]
    assert said(findings) == [
        (
            "info",
            "summary-use",
            "'三、单位预留机动经费' is a line of the spending by use (基本支出 / 项目支出 …) the standard has no item "
            "for: 20.00, kept as printed",
            10,
        )
    ]
    assert findings[0].value == "20.00" and findings[0].resource == "budget_summary" and findings[0].table == REF
    assert kept(table) == [(10, 6, "三、单位预留机动经费/金额", "20.00")]


# --- a column per fund, line numbers ---------------------------------------------------------------


def test_the_spending_split_by_fund_in_a_fiscal_appropriation_summary():
    # Shanghai's 财政拨款收支预算总表, in 元: 合计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算
    _, rows, findings = mapped(
        [
            ["财政拨款收入", "", "财政拨款支出", "", "", "", ""],
            ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
            ["一、一般公共预算", "96,282,213.44", "一、公共安全支出", "87,267,272.44", "87,267,272.44", "", ""],
            ["二、政府性基金预算", "0.00", "二、社会保障和就业支出", "9,014,941.00", "8,014,941.00", "1,000,000", ""],
            ["三、国有资本经营预算", "0.00", "", "", "", "", ""],
            ["收入总计", "96,282,213.44", "支出总计", "96,282,213.44", "95,282,213.44", "1,000,000.00", "0.00"],
        ],
        FISCAL_SUMMARY,
        unit="元",
    )
    assert [(r["side"], r["item"], r["amount"], *(r[f] for f in FUNDS), r["source_line"]) for r in rows] == [
        ("revenue", "general_public_budget", Decimal("96282213.44"), None, None, None, 7),
        ("expenditure", "204", Decimal("87267272.44"), Decimal("87267272.44"), None, None, 7),
        ("revenue", "government_fund_budget", Decimal("0"), None, None, None, 8),
        ("expenditure", "208", Decimal("9014941.00"), Decimal("8014941.00"), Decimal("1000000"), None, 8),
        ("revenue", "state_capital_budget", Decimal("0"), None, None, None, 9),
        ("revenue", "grand_total", Decimal("96282213.44"), None, None, None, 10),
        (
            "expenditure",
            "grand_total",
            Decimal("96282213.44"),
            Decimal("95282213.44"),
            Decimal("1000000.00"),
            Decimal("0"),
            10,
        ),
    ]
    assert findings == []


def test_final_accounts_line_numbers_are_not_amounts_and_a_column_without_a_field_is_kept():
    # the national final-accounts template: 项目 | 行次 | 金额 on either side, the spending split
    # into 合计 and a column per fund, then a column the standard has no field for (其他)
    table, rows, findings = mapped(
        [
            ["收入", "", "", "支出", "", "", "", ""],
            ["项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "其他"],
            ["一、一般公共预算财政拨款收入", "1", "100.00", "一、一般公共服务支出", "32", "90.00", "80.00", "10.00"],
            ["本年收入合计", "2", "100.00", "本年支出合计", "33", "90.00", "80.00", "10.00"],  # line 8
        ],
        FISCAL_SUMMARY,
    )
    assert [(r["side"], r["item"], r["amount"], r["general_public_budget"], r["source_line"]) for r in rows] == [
        ("revenue", "general_public_budget", Decimal("1000000"), None, 7),
        ("expenditure", "201", Decimal("900000"), Decimal("800000"), 7),
        ("revenue", "current_year_total", Decimal("1000000"), None, 8),
        ("expenditure", "current_year_total", Decimal("900000"), Decimal("800000"), 8),
    ]
    # 其他 (column 8) has a label but no field: kept as printed, not lost
    assert kept(table) == [(7, 8, "支出/其他", "10.00"), (8, 8, "支出/其他", "10.00")]
    assert findings == []


# --- the printed lines of each group ---------------------------------------------------------------


def test_a_name_wrapped_onto_the_next_line_is_joined_and_the_join_reported():
    lines = [
        *HEADER,
        ["一、一般公共预算拨款收入", "30.00", "一、教育支出", "10.00"],  # line 7
        ["", "", "二、灾害防治及应急", "20.00"],
        ["", "", "管理支出", ""],  # line 9: the rest of line 8's name, no amount
        ["本年收入合计", "30.00", "本年支出合计", "30.00"],
    ]
    printed, repairs = summary_sides(summary(lines))
    assert [(entry.side, entry.line, entry.name, entry.amounts, entry.columns) for entry in printed] == [
        ("revenue", 7, "一、一般公共预算拨款收入", {"amount": "30.00"}, {"amount": 1}),
        ("expenditure", 7, "一、教育支出", {"amount": "10.00"}, {"amount": 3}),
        ("expenditure", 8, "二、灾害防治及应急管理支出", {"amount": "20.00"}, {"amount": 3}),
        ("revenue", 10, "本年收入合计", {"amount": "30.00"}, {"amount": 1}),
        ("expenditure", 10, "本年支出合计", {"amount": "30.00"}, {"amount": 3}),
    ]
    assert [(r.line, r.message) for r in repairs] == [
        (8, "the name on line 9 continues line 8: '二、灾害防治及应急管理支出'")
    ]
    _, rows, findings = mapped(lines)
    assert ("expenditure", "224", "二、灾害防治及应急管理支出", Decimal("200000"), 8) in items(rows)
    assert said(findings) == [
        ("info", "joined-row", "the name on line 9 continues line 8: '二、灾害防治及应急管理支出'", 8)
    ]
    assert (findings[0].resource, findings[0].table) == ("budget_summary", REF)


def test_lines_without_an_amount_that_are_not_the_rest_of_a_name():
    lines = [
        *HEADER,
        ["一、事业收入", "30.00", "一、教育支出", "10.00"],  # line 7
        ["二、用事业基金弥补收支差额", "", "二、科学技术支出", ""],  # an ordinal: a line of its own
        ["其中：专项收入", "", "基础研究", "5.00"],  # a part of the line above; a line with an amount
        ["", "", "年终结转结余", ""],  # line 10: an item of the standard
        ["", "", "待分配支出", ""],  # after an item: a line of its own
        ["", "", "管理费用", ""],  # after a line that was not joined: joined to it
        ["", "", "专项经费", ""],  # line 13: a line joined once is not joined again
    ]
    printed, repairs = summary_sides(summary(lines))
    assert [(entry.side, entry.line, entry.name) for entry in printed] == [
        ("revenue", 7, "一、事业收入"),
        ("expenditure", 7, "一、教育支出"),
        ("revenue", 8, "二、用事业基金弥补收支差额"),
        ("expenditure", 8, "二、科学技术支出"),
        ("revenue", 9, "其中：专项收入"),
        ("expenditure", 9, "基础研究"),
        ("expenditure", 10, "年终结转结余"),
        ("expenditure", 11, "待分配支出管理费用"),
        ("expenditure", 13, "专项经费"),
    ]
    assert [(r.line, r.message) for r in repairs] == [
        (11, "the name on line 12 continues line 11: '待分配支出管理费用'")
    ]


def test_cells_beyond_the_headers_columns_are_reported_with_their_text():
    lines = [*HEADER, ["一、事业收入", "30.00", "一、教育支出", "30.00", " 12.50 "], ["", "", "", "", "备注"]]
    printed, _ = summary_sides(summary(lines))
    assert [(entry.side, entry.line, entry.name, entry.amounts, entry.columns) for entry in printed] == [
        ("revenue", 7, "一、事业收入", {"amount": "30.00"}, {"amount": 1}),
        ("expenditure", 7, "一、教育支出", {"amount": "30.00"}, {"amount": 3}),
        ("extra", 7, "", {"amount": "12.50"}, {"amount": 4}),
        ("extra", 8, "", {"amount": "备注"}, {"amount": 4}),
    ]
    table, rows, findings = mapped(lines)
    assert items(rows) == [
        ("revenue", "business_income", "一、事业收入", Decimal("300000"), 7),
        ("expenditure", "205", "一、教育支出", Decimal("300000"), 7),
    ]
    assert said(findings) == [
        ("warning", "extra-cell", "a cell beyond the two sides: '12.50'", 7),
        ("warning", "extra-cell", "a cell beyond the two sides: '备注'", 8),
    ]
    assert [(f.value, f.resource, f.table) for f in findings] == [
        ("12.50", "budget_summary", REF),
        ("备注", "budget_summary", REF),
    ]


# --- lines the standard has no item for -----------------------------------------------------------

ECONOMIC = "支出/部门预算支出经济分类科目"


def test_headings_parts_and_an_economic_group_are_kept_as_printed():
    # Xi'an's 部门综合预算收支总表, in 元: 一、部门预算 heads each side and prints its total; 其中 lines
    # print a part of the line above; a group breaks the spending down by economic class
    table, rows, findings = mapped(
        [
            ["收入", "", "支出", "", "", ""],
            ["项目", "预算数", "支出功能分类科目", "预算数", "部门预算支出经济分类科目", "预算数"],
            ["一、部门预算", "600.00", "一、部门预算", "600.00", "一、部门预算", "600.00"],  # line 7
            ["1、财政拨款", "600.00", "1、一般公共服务支出", "500.00", "1、人员经费和公用经费支出", "400.00"],
            ["(1)一般公共预算拨款", "600.00", "2、教育支出", "100.00", "(1)工资福利支出", "400.00"],
            ["其中：专项资金列入部门预算的项目", "", "", "", "2、专项业务经费支出", "200.00"],  # line 10
            ["3、事业收入", "", "", "", "", ""],
            ["其中：纳入财政专户管理的收费", "50.00", "", "", "", ""],
            ["本年收入合计", "600.00", "本年支出合计", "600.00", "本年支出合计", "600.00"],  # line 13
            ["上年结转", "", "结转下年", "", "结转下年", ""],
            ["其中：财政拨款资金结转", "", "", "", "", ""],  # line 15
            ["非财政拨款资金结余", "", "", "", "", ""],
            ["收入总计", "600.00", "支出总计", "600.00", "支出总计", "600.00"],  # line 17
        ],
        unit="元",
    )
    assert items(rows) == [
        ("revenue", "fiscal_appropriation", "1、财政拨款", Decimal("600.00"), 8),
        ("expenditure", "201", "1、一般公共服务支出", Decimal("500.00"), 8),
        ("revenue", "general_public_budget", "(1)一般公共预算拨款", Decimal("600.00"), 9),
        ("expenditure", "205", "2、教育支出", Decimal("100.00"), 9),
        ("revenue", "business_income", "3、事业收入", None, 11),
        ("revenue", "current_year_total", "本年收入合计", Decimal("600.00"), 13),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("600.00"), 13),
        ("revenue", "carryover", "上年结转", None, 14),
        ("expenditure", "year_end_carryover", "结转下年", None, 14),
        # under 上年结转 a 其中 line is a line of the carry-over, by the funds it carries
        ("revenue", "fiscal_appropriation_carryover", "其中：财政拨款资金结转", None, 15),
        ("revenue", "non_fiscal_carryover", "非财政拨款资金结余", None, 16),
        ("revenue", "grand_total", "收入总计", Decimal("600.00"), 17),
        ("expenditure", "grand_total", "支出总计", Decimal("600.00"), 17),
    ]
    assert said(findings) == [
        (
            "info",
            "summary-economic",
            f"the column group '{ECONOMIC}' breaks the spending down by economic class; the standard's 收支总表 "
            "holds the functional classes only: its lines are kept as printed in unmodelled_cells",
            7,
        ),
        (
            "info",
            "summary-part",
            "'其中：专项资金列入部门预算的项目' is a part of '(1)一般公共预算拨款', which the standard's 收支总表 "
            "does not break down: blank, kept as printed",
            10,
        ),
        (
            "info",
            "summary-part",
            "'其中：纳入财政专户管理的收费' is a part of '3、事业收入', which the standard's 收支总表 does not "
            "break down: 50.00, kept as printed",
            12,
        ),
        (
            "info",
            "summary-heading",
            "'一、部门预算' heads the revenue lines and prints their total (600.00, as the side's 本年合计 does); "
            "the standard has no item for a heading: kept as printed",
            7,
        ),
        (
            "info",
            "summary-heading",
            "'一、部门预算' heads the expenditure lines and prints their total (600.00, as the side's 本年合计 "
            "does); the standard has no item for a heading: kept as printed",
            7,
        ),
    ]
    assert [f.value for f in findings] == ["", "", "50.00", "600.00", "600.00"]
    assert {(f.resource, f.table) for f in findings} == {("budget_summary", REF)}
    assert kept(table) == [
        (7, 5, ECONOMIC, "一、部门预算"),
        (7, 6, f"{ECONOMIC}/预算数", "600.00"),
        (8, 5, ECONOMIC, "1、人员经费和公用经费支出"),
        (8, 6, f"{ECONOMIC}/预算数", "400.00"),
        (9, 5, ECONOMIC, "(1)工资福利支出"),
        (9, 6, f"{ECONOMIC}/预算数", "400.00"),
        (10, 5, ECONOMIC, "2、专项业务经费支出"),
        (10, 6, f"{ECONOMIC}/预算数", "200.00"),
        (12, 2, "3、事业收入/其中：纳入财政专户管理的收费/预算数", "50.00"),
        (13, 5, ECONOMIC, "本年支出合计"),
        (13, 6, f"{ECONOMIC}/预算数", "600.00"),
        (14, 5, ECONOMIC, "结转下年"),
        (17, 5, ECONOMIC, "支出总计"),
        (17, 6, f"{ECONOMIC}/预算数", "600.00"),
        (7, 2, "一、部门预算/预算数", "600.00"),
        (7, 4, "一、部门预算/预算数", "600.00"),
    ]


def detail(name: str, code: str, printed: str, line: int) -> tuple[str, str, str, int]:
    return (
        "info",
        "summary-detail",
        f"'{name}' is printed under class {code} as one of its items; the standard's 收支总表 holds classes only "
        f"(the function table holds the items): {printed}",
        line,
    )


def test_items_printed_under_their_class_are_reported_not_rows():
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "60.00"],  # line 7
            ["二、事业收入", "", "行政运行", "50.00"],
            ["", "", "其他一般公共服务支出", "10.00"],
            ["", "", "二、其他支出", "40.00"],  # line 10
            ["", "", "其他支出", "40.00"],  # the 款 其他支出 under the class 其他支出
            ["", "", "1、项目经费", ""],
            ["", "", "社会保障和就业", "3.00"],  # line 13: a class name cut short, printed as an item
            ["本年收入合计", "100.00", "本年支出合计", "100.00"],
            ["", "", "住房保障支出", "5.00"],  # line 15: after the total, no class to be an item of
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "201", "一、一般公共服务支出", Decimal("600000"), 7),
        ("revenue", "business_income", "二、事业收入", None, 8),
        ("expenditure", "229", "二、其他支出", Decimal("400000"), 10),
        ("revenue", "current_year_total", "本年收入合计", Decimal("1000000"), 14),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("1000000"), 14),
        ("expenditure", "221", "住房保障支出", Decimal("50000"), 15),
    ]
    assert said(findings) == [
        detail("行政运行", "201", "50.00", 8),
        detail("其他一般公共服务支出", "201", "10.00", 9),
        detail("其他支出", "229", "40.00", 11),
        detail("1、项目经费", "229", "blank", 12),
        detail("社会保障和就业", "229", "3.00", 13),
    ]
    assert [(f.row_key, f.value) for f in findings] == [
        ("201", "50.00"),
        ("201", "10.00"),
        ("229", "40.00"),
        ("229", ""),
        ("229", "3.00"),
    ]


def test_classes_printed_without_ordinals_are_all_classes():
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一般公共预算拨款收入", "100.00", "一般公共服务支出", "60.00"],  # line 7
            ["", "", "其他支出", "40.00"],
            ["", "", "行政运行", "10.00"],  # still an item of 229, printed by name
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "201", "一般公共服务支出", Decimal("600000"), 7),
        ("expenditure", "229", "其他支出", Decimal("400000"), 8),
    ]
    assert said(findings) == [detail("行政运行", "229", "10.00", 9)]


def test_a_class_name_cut_short_is_the_one_class_it_begins():
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", "100.00", "一、灾害防治及应急", "60.00"],  # line 7
            ["", "", "二、社会保障和就业", ""],
            ["", "", "三、节能环保", "40.00"],
            ["", "", "四、其他", "1.00"],  # line 10: begins more than one class
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "224", "一、灾害防治及应急", Decimal("600000"), 7),
        ("expenditure", "208", "二、社会保障和就业", None, 8),
        ("expenditure", "211", "三、节能环保", Decimal("400000"), 9),
    ]
    assert said(findings) == [
        ("info", "inferred-code", "'一、灾害防治及应急' is cut short; the only functional class it begins is 224", 7),
        ("info", "inferred-code", "'三、节能环保' is cut short; the only functional class it begins is 211", 9),
        ("warning", "unplaced-row", "'四、其他' matches no item of the standard; its amounts are 1.00", 10),
    ]
    assert [(f.row_key, f.value) for f in findings] == [("224", ""), ("211", ""), ("", "1.00")]


def test_a_line_printed_twice_unreadable_or_unknown_is_reported_with_its_amounts():
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", "100.00", "一、教育支出", "100.00"],  # line 7
            ["二、事业收入", "1O.00", "二、专项支出", "5.00"],  # a letter O for a zero; no item
            ["三、用事业基金弥补收支差额", "", "", ""],
            ["本年收入合计", "100.00", "本年支出合计", "100.00"],  # line 10
            ["本年收入合计", "99.00", "本年支出合计", ""],  # printed again
            ["一般公共预算拨款收入", "", "", ""],  # line 12: printed again, blank
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "205", "一、教育支出", Decimal("1000000"), 7),
        ("revenue", "business_income", "二、事业收入", None, 8),
        ("revenue", "current_year_total", "本年收入合计", Decimal("1000000"), 10),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("1000000"), 10),
    ]
    problem = findings[0].message.removeprefix("'二、事业收入': ")
    assert problem != findings[0].message and problem  # the reader's own words on the cell
    assert said(findings) == [
        ("warning", "unreadable-amount", f"'二、事业收入': {problem}", 8),
        ("warning", "unplaced-row", "'二、专项支出' matches no item of the standard; its amounts are 5.00", 8),
        ("info", "unplaced-row", "'三、用事业基金弥补收支差额' matches no item of the standard and has no amount", 9),
        ("warning", "duplicate-row", "'本年收入合计' repeats item current_year_total; amounts 99.00 not used", 11),
        ("warning", "duplicate-row", "'本年支出合计' repeats item current_year_total; amounts blank not used", 11),
        (
            "warning",
            "duplicate-row",
            "'一般公共预算拨款收入' repeats item general_public_budget; amounts blank not used",
            12,
        ),
    ]
    assert [(f.value, f.row_key) for f in findings] == [
        ("1O.00", ""),
        ("5.00", ""),
        ("", ""),
        ("99.00", "current_year_total"),
        ("", "current_year_total"),
        ("", "general_public_budget"),
    ]


def test_a_final_accounts_summary_with_line_numbers_and_a_column_numbers_line():
    # the national template's 收入支出决算总表 (Wuhan 2024 公开01表): 项目 | 行 | 金额, then 栏次
    table, rows, findings = mapped(
        [
            ["收入", "", "", "支出", "", ""],
            ["项目", "行", "金额", "项目", "行", "金额"],
            ["栏次", "", "1", "栏次", "", "2"],
            ["一、一般公共预算财政拨款收入", "1", "14,784.19", "一、一般公共服务支出", "31", "10,815.60"],  # line 8
            ["二、政府性基金预算财政拨款收入", "2", "", "二、科学技术支出", "32", "2,965.74"],
            ["三、经营收入", "3", "", "三、社会保障和就业支出", "33", "1,002.85"],  # line 10
            ["", "4", "", "四、住房保障支出", "34", ""],
            ["本年收入合计", "27", "14,784.19", "本年支出合计", "57", "14,784.19"],  # line 12
            ["使用非财政拨款结余（含专用结余）", "28", "", "结余分配", "58", ""],
            ["年初结转和结余", "29", "", "年末结转和结余", "59", ""],  # line 14
            ["总计", "30", "14,784.19", "总计", "60", "14,784.19"],
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算财政拨款收入", Decimal("147841900"), 8),
        ("expenditure", "201", "一、一般公共服务支出", Decimal("108156000"), 8),
        ("revenue", "government_fund_budget", "二、政府性基金预算财政拨款收入", None, 9),
        ("expenditure", "206", "二、科学技术支出", Decimal("29657400"), 9),
        ("revenue", "business_operation_income", "三、经营收入", None, 10),
        ("expenditure", "208", "三、社会保障和就业支出", Decimal("10028500"), 10),
        ("expenditure", "221", "四、住房保障支出", None, 11),
        ("revenue", "current_year_total", "本年收入合计", Decimal("147841900"), 12),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("147841900"), 12),
        ("revenue", "use_of_non_fiscal_balance", "使用非财政拨款结余（含专用结余）", None, 13),
        ("expenditure", "balance_distribution", "结余分配", None, 13),
        ("revenue", "carryover", "年初结转和结余", None, 14),
        ("expenditure", "year_end_carryover", "年末结转和结余", None, 14),
        ("revenue", "grand_total", "总计", Decimal("147841900"), 15),
        ("expenditure", "grand_total", "总计", Decimal("147841900"), 15),
    ]
    assert findings == [] and table.unmodelled == []


def test_an_amount_column_without_a_label_is_reported_and_one_with_a_label_kept():
    table, rows, findings = mapped(
        [
            ["收 入", "", "支 出", "", "", ""],
            ["项 目", "预算数", "项 目", "预算数", "上年预算数", ""],
            ["一、一般公共预算拨款收入", "100.00", "一、教育支出", "100.00", "90.00", "7.00"],  # line 7
            ["本年收入合计", "100.00", "本年支出合计", "100.00", "", ""],
            ["", "", "二、科学技术支出", "", "", "1.00"],  # line 9: its amount in no labelled column
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "205", "一、教育支出", Decimal("1000000"), 7),
        ("revenue", "current_year_total", "本年收入合计", Decimal("1000000"), 8),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("1000000"), 8),
        ("expenditure", "206", "二、科学技术支出", None, 9),
    ]
    assert kept(table) == [(7, 5, "支出/上年预算数", "90.00")]
    assert said(findings) == [
        ("warning", "unmapped-cell", "'一、教育支出': the amount 7.00 in column 6 has no field in the standard", 7),
        ("warning", "unmapped-cell", "'二、科学技术支出': the amount 1.00 in column 6 has no field in the standard", 9),
    ]
    assert [(f.value, f.row_key) for f in findings] == [("7.00", "205"), ("1.00", "206")]


def test_a_by_use_group_that_repeats_the_sides_lines_and_headings_checked_against_the_total():
    table, rows, findings = mapped(
        [
            *BY_USE,
            ["一、部门预算", "290.00", "一般公共服务支出", "300.00", "一、部门预算", "300.00"],  # line 8
            ["1、一般公共预算拨款", "300.00", "", "", "（一）基本支出", "200.00"],
            ["", "", "", "", "（二）项目支出", "100.00"],  # line 10
            ["本年收入合计", "300.00", "本年支出合计", "300.00", "本年支出合计", "300.00"],
            ["", "", "", "", "基本支出", "200.00"],  # line 12
            ["", "", "", "", "本年支出合计", ""],
            ["", "", "", "", "预留经费", "1.00"],  # line 14: a use line, unnumbered
        ]
    )
    assert items(rows) == [
        ("expenditure", "201", "一般公共服务支出", Decimal("3000000"), 8),
        ("revenue", "general_public_budget", "1、一般公共预算拨款", Decimal("3000000"), 9),
        ("expenditure", "basic_expenditure", "（一）基本支出", Decimal("2000000"), 9),
        ("expenditure", "project_expenditure", "（二）项目支出", Decimal("1000000"), 10),
        ("revenue", "current_year_total", "本年收入合计", Decimal("3000000"), 11),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("3000000"), 11),
    ]
    assert said(findings) == [
        (
            "info",
            "summary-use",
            "'本年支出合计' repeats current_year_total in the column group '支出/支出用途/项目': 300.00, kept as "
            "printed",
            11,
        ),
        (
            "info",
            "summary-use",
            "'基本支出' repeats basic_expenditure in the column group '支出/支出用途/项目': 200.00, kept as printed",
            12,
        ),
        (
            "info",
            "summary-use",
            "'本年支出合计' repeats current_year_total in the column group '支出/支出用途/项目': blank, kept as "
            "printed",
            13,
        ),
        (
            "info",
            "summary-use",
            "'预留经费' is a line of the spending by use (基本支出 / 项目支出 …) the standard has no item for: 1.00, "
            "kept as printed",
            14,
        ),
        # the revenue heading prints 290.00, not the side's total 300.00: not a heading
        ("warning", "unplaced-row", "'一、部门预算' matches no item of the standard; its amounts are 290.00", 8),
        (
            "info",
            "summary-heading",
            "'一、部门预算' heads the expenditure lines and prints their total (300.00, as the side's 本年合计 does); "
            "the standard has no item for a heading: kept as printed",
            8,
        ),
    ]
    assert [(f.value, f.row_key) for f in findings] == [
        ("300.00", "current_year_total"),
        ("200.00", "basic_expenditure"),
        ("", "current_year_total"),
        ("1.00", ""),
        ("290.00", ""),
        ("300.00", ""),
    ]
    assert {(f.resource, f.table) for f in findings} == {("budget_summary", REF)}
    assert kept(table) == [
        (11, 6, "本年支出合计/金额", "300.00"),
        (12, 6, "基本支出/金额", "200.00"),
        (14, 6, "预留经费/金额", "1.00"),
        (8, 6, "一、部门预算/金额", "300.00"),
    ]


def test_the_spending_by_use_as_the_main_group_keeps_its_other_numbered_lines():
    table, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", "100.00", "一、基本支出", "80.00"],  # line 7
            ["", "", "二、项目支出", "15.00"],
            ["", "", "三、预留经费", "5.00"],  # a numbered line of the spending by use
            ["", "", "机动经费", "1.00"],  # line 10: not numbered
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "basic_expenditure", "一、基本支出", Decimal("800000"), 7),
        ("expenditure", "project_expenditure", "二、项目支出", Decimal("150000"), 8),
    ]
    assert said(findings) == [
        (
            "info",
            "summary-use",
            "'三、预留经费' is a line of the spending by use (基本支出 / 项目支出 …) the standard has no item for: "
            "5.00, kept as printed",
            9,
        ),
        ("warning", "unplaced-row", "'机动经费' matches no item of the standard; its amounts are 1.00", 10),
    ]
    assert kept(table) == [(9, 4, "三、预留经费/预算数", "5.00")]


def test_the_carryover_printed_before_the_years_revenue_ends_at_the_years_total():
    # 一、上年结转 with its funds, then 二、本年收入 with its own: only the first funds are carried over
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、上年结转", "20.00", "一、一般公共服务支出", "120.00"],  # line 7
            ["（一）一般公共预算拨款", "15.00", "", ""],
            ["（二）政府性基金预算拨款", "5.00", "", ""],
            ["二、本年收入", "100.00", "", ""],  # line 10
            ["（一）一般公共预算拨款", "100.00", "", ""],
            ["（二）政府性基金预算拨款", "", "", ""],
            ["收入总计", "120.00", "支出总计", "120.00"],  # line 13
        ],
        FISCAL_SUMMARY,
    )
    assert items(rows) == [
        ("revenue", "carryover", "一、上年结转", Decimal("200000"), 7),
        ("expenditure", "201", "一、一般公共服务支出", Decimal("1200000"), 7),
        ("revenue", "carryover_general_public_budget", "（一）一般公共预算拨款", Decimal("150000"), 8),
        ("revenue", "carryover_government_fund_budget", "（二）政府性基金预算拨款", Decimal("50000"), 9),
        ("revenue", "current_year_total", "二、本年收入", Decimal("1000000"), 10),
        ("revenue", "general_public_budget", "（一）一般公共预算拨款", Decimal("1000000"), 11),
        ("revenue", "government_fund_budget", "（二）政府性基金预算拨款", None, 12),
        ("revenue", "grand_total", "收入总计", Decimal("1200000"), 13),
        ("expenditure", "grand_total", "支出总计", Decimal("1200000"), 13),
    ]
    assert findings == []


def test_a_part_of_a_spending_line_under_the_revenue_carryover_is_still_a_part():
    table, rows, findings = mapped(
        [
            *HEADER,
            ["一、上年结转", "20.00", "一、基本支出", "20.00"],  # line 7
            ["", "", "其中：人员经费", "15.00"],
        ]
    )
    assert items(rows) == [
        ("revenue", "carryover", "一、上年结转", Decimal("200000"), 7),
        ("expenditure", "basic_expenditure", "一、基本支出", Decimal("200000"), 7),
    ]
    assert said(findings) == [
        (
            "info",
            "summary-part",
            "'其中：人员经费' is a part of '一、基本支出', which the standard's 收支总表 does not break down: 15.00, "
            "kept as printed",
            8,
        )
    ]
    assert kept(table) == [(8, 4, "一、基本支出/其中：人员经费/预算数", "15.00")]


def test_amounts_without_a_name_are_kept_under_the_line_or_group_they_stand_in():
    # an economic group's amount on a line of its own is kept; one under a class is one of its items
    table, rows, findings = mapped(
        [
            ["收入", "", "支出", "", "", ""],
            ["项目", "预算数", "支出功能分类科目", "预算数", "部门预算支出经济分类科目", "预算数"],
            ["一、一般公共预算拨款收入", "5.00", "一、教育支出", "5.00", "工资福利支出", "3.00"],  # line 7
            ["二、事业收入", "", "", "2.00", "", "2.00"],  # no spending name for either: not the revenue's
            ["", "", "二、科学技术支出", "1.00", "", "4.00"],  # line 9: the class has its own amount
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("50000"), 7),
        ("expenditure", "205", "一、教育支出", Decimal("50000"), 7),
        ("revenue", "business_income", "二、事业收入", None, 8),
        ("expenditure", "206", "二、科学技术支出", Decimal("10000"), 9),
    ]
    assert said(findings) == [
        (
            "info",
            "summary-economic",
            f"the column group '{ECONOMIC}' breaks the spending down by economic class; the standard's 收支总表 "
            "holds the functional classes only: its lines are kept as printed in unmodelled_cells",
            7,
        ),
        detail("", "205", "2.00", 8),
    ]
    assert kept(table) == [
        (7, 5, ECONOMIC, "工资福利支出"),
        (7, 6, f"{ECONOMIC}/预算数", "3.00"),
        (8, 6, f"{ECONOMIC}/预算数", "2.00"),
        (9, 6, f"{ECONOMIC}/预算数", "4.00"),
    ]


def test_every_amount_of_a_line_split_by_fund_is_in_its_finding():
    # a 财政拨款收支总表 with 合计 | 一般公共预算 | 政府性基金预算: the line's three amounts, as printed
    _, rows, findings = mapped(
        [
            ["收入", "", "支出", "", "", ""],
            ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"],
            ["一、一般公共预算拨款收入", "10.00", "一、教育支出", "10.00", "8.00", "2.00"],  # line 7
            ["", "", "二、专项支出", "3.00", "2.00", "1.00"],
            ["", "", "一、教育支出", "10.00", "8.00", "2.00"],  # line 9
        ],
        FISCAL_SUMMARY,
    )
    assert [(r["item"], r["amount"], r["general_public_budget"], r["government_fund_budget"]) for r in rows] == [
        ("general_public_budget", Decimal("100000"), None, None),
        ("205", Decimal("100000"), Decimal("80000"), Decimal("20000")),
    ]
    assert said(findings) == [
        (
            "warning",
            "unplaced-row",
            "'二、专项支出' matches no item of the standard; its amounts are 3.00 2.00 1.00",
            8,
        ),
        ("warning", "duplicate-row", "'一、教育支出' repeats item 205; amounts 10.00 8.00 2.00 not used", 9),
    ]
    assert [(f.resource, f.value) for f in findings] == [
        ("fiscal_appropriation_summary", "3.00 2.00 1.00"),
        ("fiscal_appropriation_summary", "10.00 8.00 2.00"),
    ]


def test_lines_shorter_than_the_header_and_amounts_printed_with_spaces():
    # extraction drops a line's empty cells at its end: a revenue line of two cells, one of three
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", " 100.00 ", "一、教育支出", "100.00"],  # line 7
            ["二、事业收入", "8.00"],
            ["三、其他收入", "", "二、科学技术支出"],  # line 9
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "205", "一、教育支出", Decimal("1000000"), 7),
        ("revenue", "business_income", "二、事业收入", Decimal("80000"), 8),
        ("revenue", "other_income", "三、其他收入", None, 9),
        ("expenditure", "206", "二、科学技术支出", None, 9),
    ]
    assert findings == []


def test_cells_kept_are_labelled_by_their_own_column_after_a_leading_line_number_column():
    # a 栏次 column before the revenue names: the parsed table's columns start after it
    table, rows, _ = mapped(
        [
            ["", "收入", "", "支出", "", "", "", ""],
            ["栏次", "项目", "金额", "支出功能分类科目", "金额", "上年金额", "部门预算支出经济分类科目", "金额"],
            ["1", "一、一般公共预算拨款收入", "100.00", "一、教育支出", "100.00", "90.00", "工资福利支出", "100.00"],
        ]
    )
    assert table.n_text == 1
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "205", "一、教育支出", Decimal("1000000"), 7),
    ]
    assert kept(table) == [
        (7, 6, "支出/上年金额", "90.00"),
        (7, 7, ECONOMIC, "工资福利支出"),
        (7, 8, f"{ECONOMIC}/金额", "100.00"),
    ]


def test_the_years_total_printed_again_and_the_grand_total_after_it():
    # 当年收入小计, then 收入合计 (after the year's total: the grand total), then each printed again
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", "100.00", "一、基本支出", "100.00"],  # line 7
            ["当年收入小计", "100.00", "二、预留经费", "5.00"],  # a numbered use line after 基本支出 only
            ["当年收入小计", "100.00", "", ""],
            ["收入合计", "100.00", "", ""],  # line 10
            ["收入合计", "100.00", "", ""],
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "basic_expenditure", "一、基本支出", Decimal("1000000"), 7),
        ("revenue", "current_year_total", "当年收入小计", Decimal("1000000"), 8),
        ("revenue", "grand_total", "收入合计", Decimal("1000000"), 10),
    ]
    assert [(f.check, f.message, f.source_line) for f in findings] == [
        (
            "summary-use",
            "'二、预留经费' is a line of the spending by use (基本支出 / 项目支出 …) the standard has no item for: "
            "5.00, kept as printed",
            8,
        ),
        ("duplicate-row", "'当年收入小计' repeats item current_year_total; amounts 100.00 not used", 9),
        ("duplicate-row", "'收入合计' repeats item current_year_total; amounts 100.00 not used", 11),
    ]


def test_a_use_line_after_project_expenditure_only():
    # lines after 项目支出 are none of a class's items: 项目支出 is no class
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", "100.00", "一、项目支出", "94.00"],  # line 7
            ["", "", "机动经费", "1.00"],
            ["", "", "二、预留经费", "5.00"],
        ]
    )
    assert [r["item"] for r in rows] == ["general_public_budget", "project_expenditure"]
    assert [(f.check, f.source_line) for f in findings] == [("unplaced-row", 8), ("summary-use", 9)]


def test_lines_before_the_first_class_are_no_class_items():
    # 部门预算 heads the spending lines, unnumbered; 专项支出 before any class is not one of a class's items
    _, rows, findings = mapped(
        [
            *HEADER,
            ["一、一般公共预算拨款收入", "100.00", "部门预算", "100.00"],  # line 7
            ["", "", "专项支出", "2.00"],
            ["", "", "一、教育支出", "100.00"],
            ["本年收入合计", "100.00", "本年支出合计", "100.00"],  # line 10
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("1000000"), 7),
        ("expenditure", "205", "一、教育支出", Decimal("1000000"), 9),
        ("revenue", "current_year_total", "本年收入合计", Decimal("1000000"), 10),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("1000000"), 10),
    ]
    assert [(f.check, f.message, f.source_line) for f in findings] == [
        ("unplaced-row", "'专项支出' matches no item of the standard; its amounts are 2.00", 8),
        (
            "summary-heading",
            "'部门预算' heads the expenditure lines and prints their total (100.00, as the side's 本年合计 does); "
            "the standard has no item for a heading: kept as printed",
            7,
        ),
    ]


def test_a_part_line_with_no_line_above_it_in_its_group_is_still_kept():
    table, rows, findings = mapped([*HEADER, ["其中：专项收入", "5.00", "一、教育支出", "5.00"]])
    assert items(rows) == [("expenditure", "205", "一、教育支出", Decimal("50000"), 7)]
    assert said(findings) == [
        (
            "info",
            "summary-part",
            "'其中：专项收入' is a part of '', which the standard's 收支总表 does not break down: 5.00, kept as "
            "printed",
            7,
        )
    ]
    assert kept(table) == [(7, 2, "/其中：专项收入/预算数", "5.00")]


def test_a_total_across_the_groups_and_a_wrapped_name_leave_the_rows_other_groups_read():
    # 本年支出合计's amount under the first economic group joins the functional line; the second
    # economic group on that row is still read. A revenue name wrapped onto the next row is joined
    # and the spending line printed on that row is still read.
    government = "支出/政府预算支出经济分类科目"
    table, rows, findings = mapped(
        [
            ["收入", "", "支出", "", "", "", "", ""],
            ["项目", "预算数", "支出功能分类科目", "预算数", "部门预算支出经济分类科目", "预算数"]
            + ["政府预算支出经济分类科目", "预算数"],
            ["一、一般公共预算拨款收入", "97.00", "一、教育支出", "97.00", "", "", "", ""],  # line 7
            ["二、用事业基金弥补收", "3.00", "二、科学技术支出", "3.00", "", "", "", ""],
            ["支差额", "", "三、住房保障支出", "", "", "", "", ""],  # line 9
            ["本年收入合计", "100.00", "本年支出合计", "", "", "100.00", "本年支出合计", "100.00"],
        ]
    )
    assert items(rows) == [
        ("revenue", "general_public_budget", "一、一般公共预算拨款收入", Decimal("970000"), 7),
        ("expenditure", "205", "一、教育支出", Decimal("970000"), 7),
        ("expenditure", "206", "二、科学技术支出", Decimal("30000"), 8),
        ("expenditure", "221", "三、住房保障支出", None, 9),
        ("revenue", "current_year_total", "本年收入合计", Decimal("1000000"), 10),
        ("expenditure", "current_year_total", "本年支出合计", Decimal("1000000"), 10),
    ]
    assert said(findings) == [
        ("info", "joined-row", "the name on line 9 continues line 8: '二、用事业基金弥补收支差额'", 8),
        (
            "warning",
            "unplaced-row",
            "'二、用事业基金弥补收支差额' matches no item of the standard; its amounts are 3.00",
            8,
        ),
        (
            "info",
            "summary-economic",
            f"the column group '{government}' breaks the spending down by economic class; the standard's 收支总表 "
            "holds the functional classes only: its lines are kept as printed in unmodelled_cells",
            10,
        ),
    ]
    assert kept(table) == [(10, 7, government, "本年支出合计"), (10, 8, f"{government}/预算数", "100.00")]


def test_a_heading_split_by_fund_prints_every_amount():
    _, rows, findings = mapped(
        [
            ["收入", "", "支出", "", "", ""],
            ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"],
            ["一、一般公共预算拨款收入", "10.00", "财政拨款支出", "10.00", "8.00", "2.00"],  # line 7
            ["", "", "一、教育支出", "10.00", "8.00", "2.00"],
            ["本年收入合计", "10.00", "本年支出合计", "10.00", "8.00", "2.00"],  # line 9
        ],
        FISCAL_SUMMARY,
    )
    assert [r["item"] for r in rows] == ["general_public_budget", "205", "current_year_total", "current_year_total"]
    assert [(f.check, f.message, f.value) for f in findings] == [
        (
            "summary-heading",
            "'财政拨款支出' heads the expenditure lines and prints their total (10.00 8.00 2.00, as the side's "
            "本年合计 does); the standard has no item for a heading: kept as printed",
            "10.00 8.00 2.00",
        )
    ]
