"""The mapping's pieces (converter/mapping/) on small hand-made layouts.

Each test gives a table's header paths, roles or rows as the national templates print them and
states what the standard makes of them, worked out by hand from the template's wording and the
code lists in schema/codelists/.
"""

from __future__ import annotations

from decimal import Decimal

from converter.codes import Resolution
from converter.layout import BodyRow, Repair
from converter.mapping.coded import (
    _level_of,
    _per_unit_blocks,
    _unnamed_parts,
    known_codes,
    map_expenditure_by_economic,
    map_expenditure_by_function,
    map_expenditure_by_unit,
    map_function_and_economic,
    map_fund_expenditure,
    map_revenue_by_function,
)
from converter.mapping.parse import _second_code_group, drop_column_number_overflow, parse_table
from converter.mapping.projects import PROJECT_AMOUNTS, _project_row_type, map_procurement, map_projects
from converter.mapping.side_by_side import SideGroup, _side_of, _total_label, map_basic_by_economic, side_by_side_groups
from converter.mapping.summary import SummarySide, _names_lines, _summary_item, summary_layout
from converter.mapping.table import Context, ParsedTable
from converter.mapping.three_public import _other_period, _three_public_item, map_three_public
from converter.metadata import fallback_code
from converter.recognize import CROSS_CLASSIFIED_ALL, Kind
from converter.segment import RawTable, Row
from tests.conftest import economic, said


def row(line: int, code: str, *texts: str, amounts: list[str] | None = None, alt_code: str = "") -> BodyRow:
    return BodyRow(line, code, list(texts), amounts if amounts is not None else ["1.00"], alt_code=alt_code)


# --- columns --------------------------------------------------------------------------------------


def test_a_second_code_and_name_group_is_the_government_classifications():
    # 部门预算经济分类 类 | 款 | 名称, then 政府预算经济分类 类 | 款 | 名称 (Yantai)
    roles: list[str | None] = ["code", "code", "name", "code", "code", "name"]
    assert _second_code_group(roles)
    assert roles == ["code", "code", "name", "alt_code", "alt_code", "alt_name"]
    roles = ["code", "alt_name", "code", "name", "name"]  # only the first name after the codes
    assert _second_code_group(roles) and roles == ["code", "alt_name", "alt_code", "alt_name", "name"]
    roles = [None, "code", "name", "code", None, "name"]
    assert _second_code_group(roles) and roles == [None, "code", "name", "alt_code", None, "alt_name"]


def test_one_code_group_or_a_name_first_is_left_as_it_is():
    for printed in (["code", "name"], ["name", "code", "name"], ["unit", "alt_name", "code"], ["code", "code"], []):
        roles: list[str | None] = list(printed)
        assert not _second_code_group(roles) and roles == printed


def test_column_numbers_slid_onto_the_first_line_are_blanked_and_reported():
    first = row(10, "", "合计", amounts=["", "3", "4"])
    rows = [first, row(11, "201", "一般公共服务支出", amounts=["5", "6", "7"])]
    assert drop_column_number_overflow(rows, [1, 2]) == [
        Repair(
            10,
            "line 10 holds 3 4 where the 栏次 line stops at 2: read as column numbers the extraction moved "
            "down, not as amounts",
            value="3 4",
            check="column-numbers",
        )
    ]
    assert first.amounts == ["", "", ""] and rows[1].amounts == ["5", "6", "7"]
    single = row(12, "", "合计", amounts=["4", ""])
    [repair] = drop_column_number_overflow([single], [1, 2, 3])
    assert repair.message.startswith("line 12 holds 4 where the 栏次 line stops at 3:") and single.amounts == ["", ""]


def test_amounts_that_do_not_continue_the_column_numbers_stay():
    for amounts, numbers in ((["3", "5"], [1, 2]), (["2", "3"], [1, 2]), (["", ""], [1, 2]), (["3.00"], [1, 2])):
        first = row(10, "", "合计", amounts=list(amounts))
        assert drop_column_number_overflow([first], numbers) == [] and first.amounts == amounts
    assert drop_column_number_overflow([], [1, 2]) == []
    first = row(10, "", "合计", amounts=["1"])
    assert drop_column_number_overflow([first], []) == [] and first.amounts == ["1"]


def test_a_header_leaf_over_names():
    for leaf in ("项目", "项 目", "项目名称", "功能科目名称", "支出功能分类科目", "单位名称"):
        assert _names_lines(leaf), leaf
    for leaf in ("金额", "科目金额", "预算数", "项目支出", "行次"):
        assert not _names_lines(leaf), leaf


# --- 收支总表 column groups ----------------------------------------------------------------------


def test_a_budget_summary_has_a_revenue_and_a_spending_group():
    paths = [("收入", "项目"), ("收入", "预算数"), ("支出", "项目"), ("支出", "预算数")]
    assert summary_layout(paths, 4) == [
        SummarySide("revenue", 0, [(1, "amount")], [], "main", "收入/项目"),
        SummarySide("expenditure", 2, [(3, "amount")], [], "main", "支出/项目"),
    ]


def test_final_accounts_summary_with_line_numbers_and_funds():
    paths = [
        ("收入", "项目"),
        ("收入", "行次"),
        ("收入", "金额"),
        ("支出", "项目"),
        ("支出", "行"),
        ("支出", "决算数", "小计"),
        ("支出", "决算数", "一般公共预算财政拨款"),
        ("支出", "决算数", "政府性基金预算财政拨款"),
        ("支出", "决算数", "国有资本经营预算财政拨款"),
        ("支出", "决算数", "其他"),
    ]
    assert summary_layout(paths, 10) == [
        SummarySide("revenue", 0, [(2, "amount")], [1], "main", "收入/项目"),
        SummarySide(
            "expenditure",
            3,
            [
                (5, "amount"),
                (6, "general_public_budget"),
                (7, "government_fund_budget"),
                (8, "state_capital_budget"),
                (9, None),
            ],
            [4],
            "main",
            "支出/项目",
        ),
    ]


def test_a_second_subtotal_column_is_an_amount_too():
    paths = [("收入", "项目"), ("收入", "合计"), ("收入", "当年", "小计"), ("支出", "项目"), ("支出", "合计")]
    assert summary_layout(paths, 5)[0].amount_columns == [(1, "amount"), (2, "amount")]


def test_spending_groups_by_use_and_by_economic_class_beside_the_functional_one():
    paths = [
        ("收入", "项目"),
        ("收入", "预算数"),
        ("支出", "功能分类", "科目名称"),
        ("支出", "功能分类", "预算数"),
        ("支出", "支出用途", "项目"),
        ("支出", "支出用途", "预算数"),
        ("支出", "经济分类", "科目名称"),
        ("支出", "经济分类", "预算数"),
    ]
    layout = summary_layout(paths, 8)
    assert [(g.side, g.name_column, g.role, g.label) for g in layout] == [
        ("revenue", 0, "main", "收入/项目"),
        ("expenditure", 2, "main", "支出/功能分类/科目名称"),
        ("expenditure", 4, "parallel", "支出/支出用途/项目"),
        ("expenditure", 6, "economic", "支出/经济分类/科目名称"),
    ]
    assert [g.amount_columns for g in layout] == [[(1, "amount")], [(3, "amount")], [(5, "amount")], [(7, "amount")]]


def test_a_spending_group_first_and_revenue_named_later():
    paths = [("支出", "项目"), ("支出", "金额"), ("收入", "项目"), ("收入", "金额")]
    assert [(g.side, g.role) for g in summary_layout(paths, 4)] == [("expenditure", "main"), ("revenue", "main")]
    # without a group heading the first group is the revenue side, the next the spending side
    paths = [("项目",), ("金额",), ("项目",), ("金额",)]
    assert [(g.side, g.role) for g in summary_layout(paths, 4)] == [("revenue", "main"), ("expenditure", "main")]


def test_name_columns_found_by_the_word_project_then_by_position():
    paths = [("金额",), ("项目", "甲"), ("金额",), ("项目", "乙"), ("金额",)]
    assert summary_layout(paths, 5) == [
        SummarySide("revenue", 1, [(2, "amount")], [], "main", "项目/甲"),
        SummarySide("expenditure", 3, [(4, "amount")], [], "main", "项目/乙"),
    ]
    # no header at all: names in columns 1 and 3, amounts after each, four columns at least
    assert summary_layout([("甲",), ("乙",)], 2) == [
        SummarySide("revenue", 0, [(1, "amount")], [], "main", "甲"),
        SummarySide("expenditure", 2, [(3, "amount")], [], "main", ""),
    ]


def test_name_columns_by_their_label_before_the_word_project():
    # a 序号 column first, then 名称 | 金额 twice: the names are columns 2 and 4, not 1 and 3
    paths = [("序号",), ("收入", "名称"), ("收入", "金额"), ("支出", "名称"), ("支出", "金额")]
    assert summary_layout(paths, 5) == [
        SummarySide("revenue", 1, [(2, "amount")], [], "main", "收入/名称"),
        SummarySide("expenditure", 3, [(4, "amount")], [], "main", "支出/名称"),
    ]


def test_only_the_first_two_columns_under_the_word_project_are_names():
    paths = [("项目", "甲"), ("金额",), ("项目", "乙"), ("金额",), ("项目", "丙"), ("金额",)]
    layout = summary_layout(paths, 6)
    assert [g.name_column for g in layout] == [0, 2]
    assert layout[1].amount_columns == [(3, "amount"), (4, None), (5, None)]


def test_columns_past_the_header_are_amount_columns_without_a_label():
    paths = [("收入", "项目"), ("收入", "金额"), ("支出", "项目"), ("支出", "金额"), ()]
    assert summary_layout(paths, 5)[1].amount_columns == [(3, "amount"), (4, None)]
    assert summary_layout([("甲",), ("乙",), ("丙",)], 3)[1].amount_columns == [(3, "amount")]


# --- 收支总表 lines -------------------------------------------------------------------------------


def test_summary_lines_by_the_national_wording():
    cases = [
        ("revenue", "一般公共预算拨款收入", "general_public_budget"),
        ("revenue", "事业单位经营收入", "business_operation_income"),
        ("revenue", "事业收入", "business_income"),
        ("revenue", "财政拨款结转", "fiscal_appropriation"),
        ("revenue", "本年收入合计", "current_year_total"),
        ("expenditure", "本年支出合计", "current_year_total"),
        ("expenditure", "结转下年", "year_end_carryover"),
        ("expenditure", "一般公共服务支出", None),
        ("expenditure", "一般公共预算拨款收入", None),
    ]
    for side, text, item in cases:
        assert _summary_item(side, text, False) == item, text


def test_lines_under_the_carryover_by_the_funds_they_carry():
    cases = [
        ("非财政拨款结转", "non_fiscal_carryover"),
        ("财政拨款结转结余", "fiscal_appropriation_carryover"),
        ("单位资金结转", "non_fiscal_carryover"),
        ("一般公共预算财政拨款", "carryover_general_public_budget"),
        ("政府性基金预算财政拨款", "carryover_government_fund_budget"),
        ("国有资本经营预算财政拨款", "carryover_state_capital_budget"),
        ("国有资本经营预算", "carryover_state_capital_budget"),
        ("财政专户管理资金", "carryover_fiscal_special_account"),
        ("事业收入", "business_income"),
        ("其他", None),
    ]
    for text, item in cases:
        assert _summary_item("revenue", text, True) == item, text
    assert _summary_item("expenditure", "财政拨款结转", True) is None
    assert _summary_item("expenditure", "一般公共预算", True) is None


# --- codes -----------------------------------------------------------------------------------------


def table_of(resource: str, rows: list[BodyRow]) -> ParsedTable:
    return ParsedTable(RawTable("表", "", "万元", 1), Kind(resource, resource), [], [], 2, True, rows, [])


def test_codes_printed_in_full_are_known_by_classification():
    function = table_of(
        "expenditure_by_function",
        [
            row(1, "2010101", "行政运行"),
            row(2, "20101", "行政运行"),
            row(3, "2010102", ""),
            row(4, "201010A", "一般行政管理事务"),
            row(5, "2010101", "另一名称"),
        ],
    )
    fund = table_of(
        "government_fund_expenditure", [row(1, "2290402", "其他地方自行试点项目收益专项债券收入安排的支出")]
    )
    basic = table_of("basic_expenditure_by_economic", [row(1, "30101", "基本工资"), row(2, "301", "工资福利支出")])
    economic = table_of("expenditure_by_economic", [row(1, "30201", "办公费"), row(2, "3020101", "办公费")])
    projects = table_of("projects", [row(1, "2130599", "其他扶贫支出"), row(2, "30202", "印刷费")])
    assert known_codes([function, fund, basic, economic, projects]) == {
        "functional": {"2010101": "行政运行", "2290402": "其他地方自行试点项目收益专项债券收入安排的支出"},
        "economic": {"30101": "基本工资", "30201": "办公费"},
    }
    assert known_codes([]) == {"functional": {}, "economic": {}}
    assert _level_of("201", {3: 1, 5: 2, 7: 3}) == 1 and _level_of("2010101", {3: 1, 5: 2, 7: 3}) == 3
    assert _level_of("2010", {3: 1, 5: 2, 7: 3}) is None


def test_codes_printed_again_start_the_next_units_part():
    body = [row(1, "201"), row(2, "20101"), row(3, "2010101"), row(4, "201"), row(5, "20101"), row(6, "")]
    resolutions = [Resolution(r.code) for r in body]
    assert _unnamed_parts(body, resolutions, [None] * 6) == [1, 1, 1, 2, 2, 2]
    # a name-only line counts by the code its name gives; blank ones do not count
    body = [row(1, "201"), row(2, "", "行政运行"), row(3, ""), row(4, "201"), row(5, "", "行政运行")]
    named = [None, "2010101", None, None, "2010101"]
    assert _unnamed_parts(body, [Resolution(r.code) for r in body], named) == [1, 1, 1, 2, 2]
    # name-only lines alone: their names' codes repeat
    body = [row(1, "", "行政运行"), row(2, "", "行政运行")]
    assert _unnamed_parts(body, [Resolution("") for _ in body], ["2010101", "2010101"]) == [1, 2]
    # a code resolved from a cut-short one, or with another second code, is no repeat
    body = [row(1, "20101"), row(2, "20101"), row(3, "30101", alt_code="50101"), row(4, "30101", alt_code="50102")]
    resolutions = [Resolution("20101"), Resolution("2010101"), Resolution("30101"), Resolution("30101")]
    assert _unnamed_parts(body, resolutions, [None] * 4) == []
    # after a repeat the codes seen start afresh: the third 201 is the third part
    body = [row(1, "201"), row(2, "201"), row(3, "20101"), row(4, "201")]
    assert _unnamed_parts(body, [Resolution(r.code) for r in body], [None] * 4) == [1, 2, 2, 3]


def test_coded_rows_under_more_than_one_unit_line_are_per_unit_blocks():
    unit_a, unit_b = row(1, "", "甲单位"), row(4, "", "乙单位")
    body = [unit_a, row(2, "201"), row(3, "20101"), unit_b, row(5, "201")]
    assert _per_unit_blocks(body, {id(unit_a), id(unit_b)})
    assert not _per_unit_blocks(body[:3], {id(unit_a)})  # one unit: its codes are the table's
    assert not _per_unit_blocks([unit_a, unit_b, row(5, "201")], {id(unit_a), id(unit_b)})
    unit_c = row(6, "", "丙单位")  # a last unit printing no code of its own
    assert _per_unit_blocks(
        [unit_a, row(2, "201"), unit_b, row(5, "201"), unit_c], {id(unit_a), id(unit_b), id(unit_c)}
    )
    coded_first = [row(1, "201"), unit_b, row(5, "201")]
    assert _per_unit_blocks(coded_first, {id(unit_b)})
    assert not _per_unit_blocks([row(1, "201"), row(2, "20101")], set())


# --- side by side ----------------------------------------------------------------------------------


def test_the_halves_of_basic_expenditure_by_their_names():
    assert _side_of("人员经费") == "personnel" and _side_of("人 员 经 费 合计") == "personnel"
    assert _side_of("公用经费合计") == "public" and _side_of("基本支出") == "" and _side_of("") == ""


def test_total_labels_of_a_side_by_side_group():
    group = SideGroup(3, 4, 5, "")
    assert _total_label(["30101", "基本工资", "1", "人员经费合计", "", "9"], group) == "人员经费合计"
    assert _total_label(["", "", "", "", " 合 计 ", "9"], group) == "合计"
    assert _total_label(["", "", "", "总计", "", "9"], group) == "总计"
    assert _total_label(["人员经费合计", "", "", "30201", "办公费", "2"], group) == ""


# --- “三公” and projects ---------------------------------------------------------------------------


def test_three_public_column_groups_of_other_periods():
    assert _other_period(("2025年预算数",), 2026) == "another year"
    assert _other_period(("2026年预算数",), 2026) is None
    assert _other_period(("2025年", "2026年预算数"), 2026) == "another year"
    assert _other_period(("上年预算数",), 2026) == "previous year"
    assert _other_period(("上一年度决算",), 2026) == "previous year"
    for words in ("增减变化情况", "比上年增长", "变动", "增长率", "增减", "变化情况", "比上年"):
        assert _other_period((words,), 2026) == "change", words
    assert _other_period(("合计", "因公出国（境）费"), 2026) is None and _other_period((), 2026) is None
    assert _other_period(("2026年预算", "上年"), 2026) == "previous year"


def test_three_public_items_named_on_their_rows():
    cases = [
        ("合计", "total"),
        ("1、因公出国（境）费用", "outbound_travel"),
        ("其中：公务用车购置费", "vehicle_purchase"),
        ("（1）公务用车运行费", "vehicle_operation"),
        ("(二)公务接待费", "official_reception"),
        ("其中：1、会议费", "meetings"),
        ("2.培训费", "training"),
        ("其中：", None),
        ("小计", None),
        ("一、其他", None),
        ("项目", None),  # the column's label, printed again: no item
        ("科目编码", None),
    ]
    for name, item in cases:
        assert _three_public_item(name) == item, name


def test_project_lines_by_their_code_or_name():
    ctx = Context(2026, units={"某某局": "101", "某某中心": "101001"})

    def kind(code: str, *texts: str) -> str:
        return _project_row_type(row(1, code, *texts), ctx, list(texts))

    assert kind("", "合计") == "total" and kind("", "") == "total"
    assert kind("1", "人员类项目") == "category" and kind("22", "其他运转类") == "category"
    assert kind("101", "某某局") == "department" and kind("101001", "某某中心") == "unit"
    assert kind("2010101", "行政运行") == "project" and kind("1234", "甲") == "project"
    assert kind("A01", "甲") == "project" and kind("1010011", "乙") == "project"
    # the code decides before the name
    assert kind("101", "信息化建设") == "department" and kind("101001", "信息化建设") == "unit"
    assert kind("12", "信息化建设") == "category" and kind("2010101", "某某局") == "project"
    assert kind("", "人员类项目") == "category" and kind("", "其他运转类") == "category"
    assert kind("", "某某局") == "department" and kind("", "某某中心") == "unit"
    assert kind("", "某某局", "某某局") == "project"  # a project of that unit, named after it
    assert kind("", "信息化建设") == "project"
    assert _project_row_type(row(1, ""), ctx, []) == "total"
    # a line whose only text is its 项目类别 cell (taken out before): a project without a name
    assert _project_row_type(row(1, "", "人员类项目"), ctx, []) == "project"


# --- “三公” tables ---------------------------------------------------------------------------------

THREE_PUBLIC = Kind("three_public_expenses", "three_public_expenses")
TITLE = "一般公共预算“三公”经费支出情况表"


def three_public_table(paths: list[tuple[str, ...]], fields: list[str | None], rows: list[BodyRow], n_text: int):
    raw = RawTable(TITLE, "表7", "万元", 5)
    return ParsedTable(raw, THREE_PUBLIC, fields, paths, n_text, False, rows, [])


def test_three_public_columns_of_another_year_are_kept_and_the_years_own_mapped():
    paths = [
        ("2025年预算数", "合计"),
        ("2025年预算数", "公务接待费"),
        ("2026年预算数", "合计"),
        ("2026年预算数", "公务接待费"),
        ("增减变化情况", "合计"),
    ]
    fields: list[str | None] = ["total", "official_reception", "total", "official_reception", "total"]
    row = BodyRow(10, "", [], ["28.10", "8.20", "25.02", "7.62", "-3.08"])
    table = three_public_table(paths, fields, [row], 0)
    rows, findings = map_three_public(table, Context(2026))
    assert rows == [
        {"basis": "budget", "item": "total", "amount": Decimal("250200"), "source_line": 10},
        {"basis": "budget", "item": "official_reception", "amount": Decimal("76200"), "source_line": 10},
    ]
    assert said(findings) == [
        (
            "info",
            "three-public-columns",
            "the table prints column groups for another year, change beside the 2026 columns; those are kept as "
            "printed in unmodelled_cells",
            5,
        )
    ]
    assert (findings[0].resource, findings[0].table) == ("three_public_expenses", f"表7 {TITLE}")
    assert table.unmodelled == [
        {"table": f"表7 {TITLE}", "source_line": 10, "column": 1, "text": "28.10", "label": "2025年预算数/合计"},
        {"table": f"表7 {TITLE}", "source_line": 10, "column": 2, "text": "8.20", "label": "2025年预算数/公务接待费"},
        {"table": f"表7 {TITLE}", "source_line": 10, "column": 5, "text": "-3.08", "label": "增减变化情况/合计"},
    ]


def test_the_outer_total_beside_meetings_and_training_is_the_larger_total():
    paths = [("合计",), ("“三公”经费", "合计"), ("“三公”经费", "公务接待费"), ("培训费",)]
    fields: list[str | None] = ["total", "total", "official_reception", "training"]
    row = BodyRow(10, "", [], ["7.00", "6.00", "6.00", "1.00"])
    rows, findings = map_three_public(three_public_table(paths, fields, [row], 0), Context(2026))
    assert [(r["item"], r["amount"]) for r in rows] == [
        ("total", Decimal("60000")),
        ("official_reception", Decimal("60000")),
        ("training", Decimal("10000")),
        ("total_with_meetings_training", Decimal("70000")),
    ]
    assert findings == []
    # one total beside 会议费 stays the total
    row = BodyRow(10, "", [], ["5.00", "2.00"])
    table = three_public_table([("合计",), ("会议费",)], ["total", "meetings"], [row], 0)
    rows, findings = map_three_public(table, Context(2026))
    assert [(r["item"], r["amount"]) for r in rows] == [("total", Decimal("50000")), ("meetings", Decimal("20000"))]


def test_rows_per_year_the_fiscal_years_is_the_data():
    rows_printed = [
        BodyRow(10, "", ["2025年"], ["5.00", "2.00"]),
        BodyRow(11, "", ["2026年"], ["4.00", "1.00"]),
        BodyRow(12, "", ["增减"], ["-1.00", "-1.00"]),
        BodyRow(13, "", ["说明"], ["", ""]),
    ]
    table = three_public_table([("合计",), ("公务接待费",)], ["total", "official_reception"], rows_printed, 1)
    rows, findings = map_three_public(table, Context(2026))
    assert [(r["item"], r["amount"], r["source_line"]) for r in rows] == [
        ("total", Decimal("40000"), 11),
        ("official_reception", Decimal("10000"), 11),
    ]
    assert said(findings) == [
        (
            "info",
            "three-public-rows",
            "the table prints 3 rows (years, their change, units); the row on line 11 is the data, the others are "
            "kept as printed in unmodelled_cells",
            11,
        )
    ]
    assert (findings[0].resource, findings[0].table) == ("three_public_expenses", f"表7 {TITLE}")
    assert [(c["source_line"], c["column"], c["label"], c["text"]) for c in table.unmodelled] == [
        (10, 2, "2025年/合计", "5.00"),
        (10, 3, "2025年/公务接待费", "2.00"),
        (12, 2, "增减/合计", "-1.00"),
        (12, 3, "增减/公务接待费", "-1.00"),
    ]


def test_a_three_public_table_with_no_column_of_the_fiscal_year_maps_its_columns_once():
    # every column names another year (a header left from last year's template): none is set aside,
    # so the columns are the data, each mapped once and none also kept as printed
    paths = [("2025年预算数", "合计"), ("2025年预算数", "“三公”经费", "合计"), ("2025年预算数", "培训费")]
    fields: list[str | None] = ["total", "total", "training"]
    row = BodyRow(10, "", [], ["7.00", "6.00", "1.00"])
    table = three_public_table(paths, fields, [row], 0)
    rows, findings = map_three_public(table, Context(2026))
    assert [(r["item"], r["amount"]) for r in rows] == [
        ("total", Decimal("60000")),
        ("training", Decimal("10000")),
        ("total_with_meetings_training", Decimal("70000")),
    ]
    assert findings == [] and table.unmodelled == []


def test_a_row_printed_without_a_label_beside_the_years_rows_is_kept_as_unlabelled():
    rows_printed = [BodyRow(10, "", ["2026年"], ["4.00"]), BodyRow(11, "", [""], ["-1.00"])]
    table = three_public_table([("合计",)], ["total"], rows_printed, 1)
    rows, _ = map_three_public(table, Context(2026))
    assert [(r["item"], r["amount"], r["source_line"]) for r in rows] == [("total", Decimal("40000"), 10)]
    assert [(c["source_line"], c["label"], c["text"]) for c in table.unmodelled] == [(11, "?/合计", "-1.00")]


def test_a_total_row_over_units_is_the_data():
    rows_printed = [
        BodyRow(10, "", ["合计"], ["9.00"]),
        BodyRow(11, "101001", ["甲单位"], ["4.00"]),
        BodyRow(12, "101002", ["乙单位"], ["5.00"]),
    ]
    table = three_public_table([("合计",)], ["total"], rows_printed, 1)
    rows, findings = map_three_public(table, Context(2026))
    assert rows == [{"basis": "budget", "item": "total", "amount": Decimal("90000"), "source_line": 10}]
    assert [f.message for f in findings] == [
        "the table prints 3 rows (units or an economic breakdown under the 合计); the row on line 10 is the data, "
        "the others are kept as printed in unmodelled_cells"
    ]
    assert [(c["label"], c["text"]) for c in table.unmodelled] == [
        ("101001/甲单位/text", "101001"),  # the unit's code, as printed
        ("101001/甲单位/合计", "4.00"),
        ("101002/乙单位/text", "101002"),
        ("101002/乙单位/合计", "5.00"),
    ]


def test_a_second_data_row_is_reported_with_its_amounts():
    rows_printed = [
        BodyRow(10, "101001", ["甲单位"], ["4.00"]),
        BodyRow(11, "101002", ["乙单位"], ["5.00"]),
        BodyRow(12, "101003", ["丙单位"], ["6.00"]),
    ]
    rows, findings = map_three_public(three_public_table([("合计",)], ["total"], rows_printed, 1), Context(2026))
    assert rows == [{"basis": "budget", "item": "total", "amount": Decimal("40000"), "source_line": 10}]
    assert said(findings) == [
        ("warning", "unplaced-row", "row '101002 乙单位' is a second data row; its amounts are 5.00", 11),
        ("warning", "unplaced-row", "row '101003 丙单位' is a second data row; its amounts are 6.00", 12),
    ]
    assert all(f.resource == "three_public_expenses" for f in findings)


def test_budget_and_actual_side_by_side_in_final_accounts():
    paths = [
        ("预算数", "合计"),
        ("预算数", "因公出国（境）费"),
        ("预算数", "其他"),
        ("决算数", "合计"),
        ("决算数", "因公出国（境）费"),
        ("决算数", "其他"),
    ]
    fields: list[str | None] = ["total", "outbound_travel", None, "total", "outbound_travel", None]
    row = BodyRow(10, "", [], ["3.00", "1.00", "0.10", "2.50", "1,2", "0.20"], extra=[(6, "9.99")])
    table = three_public_table(paths, fields, [row], 0)
    rows, findings = map_three_public(table, Context(2024, phase="final_accounts"))
    assert [(r["basis"], r["item"], r["amount"]) for r in rows] == [
        ("budget", "total", Decimal("30000")),
        ("budget", "outbound_travel", Decimal("10000")),
        ("actual", "total", Decimal("25000")),
        ("actual", "outbound_travel", None),  # unreadable: the item is there, its amount is not
    ]
    # the cell beyond the columns is reported once, with the first basis
    assert [(f.severity, f.check, f.message, f.row_key, f.field) for f in findings] == [
        ("warning", "extra-cell", "the row has a cell beyond the table's columns: '9.99'", "budget", ""),
        (
            "warning",
            "unreadable-amount",
            "column '决算数/因公出国（境）费': '1,2' is not a number",
            "actual",
            "outbound_travel",
        ),
    ]
    assert all(f.resource == "three_public_expenses" for f in findings)
    # a column the standard has no item for is kept, cited at its own place in the line
    assert [(c["column"], c["label"], c["text"]) for c in table.unmodelled] == [
        (3, "预算数/其他", "0.10"),
        (6, "决算数/其他", "0.20"),
    ]
    # columns that name no basis follow the disclosure: actual amounts in final accounts
    row = BodyRow(10, "", [], ["1.00"])
    rows, _ = map_three_public(three_public_table([("合计",)], ["total"], [row], 0), Context(2024, "final_accounts"))
    assert [(r["basis"], r["item"]) for r in rows] == [("actual", "total")]


def test_a_three_public_table_printed_one_row_per_item():
    rows_printed = [
        BodyRow(10, "", ["合计"], ["3.00", "2.50"]),
        BodyRow(11, "", ["1、因公出国（境）费用"], ["1.00", ""]),
        BodyRow(12, "", ["2、公务接待费"], ["2.00", "2.50"], extra=[(3, "9.99")]),
        BodyRow(13, "", ["其他"], ["0.50", ""]),
        BodyRow(14, "", ["说明"], ["", ""]),
        BodyRow(15, "", ["（1）公务用车运行费"], ["1.00", "1,2,3"]),
    ]
    table = three_public_table([("预算数",), ("金额",)], [None, None], rows_printed, 1)
    rows, findings = map_three_public(table, Context(2024, phase="final_accounts"))
    # 预算数 is the budget; a column that names neither follows the disclosure (final accounts: actual)
    assert [(r["basis"], r["item"], r["amount"], r["source_line"]) for r in rows] == [
        ("budget", "total", Decimal("30000"), 10),
        ("actual", "total", Decimal("25000"), 10),
        ("budget", "outbound_travel", Decimal("10000"), 11),
        ("budget", "official_reception", Decimal("20000"), 12),
        ("actual", "official_reception", Decimal("25000"), 12),
        ("budget", "vehicle_operation", Decimal("10000"), 15),
        ("actual", "vehicle_operation", None, 15),
    ]
    assert said(findings) == [
        (
            "warning",
            "unplaced-row",
            "row '2、公务接待费' has a cell beyond the columns: 9.99; its amounts are 2.00 2.50",
            12,
        ),
        ("warning", "unplaced-row", "row '其他' names no “三公” item; its amounts are 0.50", 13),
        ("warning", "unreadable-amount", "column '金额': '1,2,3' is not a number", 15),
    ]
    assert all(f.resource == "three_public_expenses" and f.table == f"表7 {TITLE}" for f in findings)
    assert (findings[2].row_key, findings[2].field, findings[2].value) == ("actual", "vehicle_operation", "1,2,3")


# --- 项目支出表 ------------------------------------------------------------------------------------

PROJECTS = Kind("projects", "projects")
NO_AMOUNT = dict.fromkeys(PROJECT_AMOUNTS[2:])
PROCUREMENT = Kind("procurement", "procurement")


def project_record(kind: str, line: int, total: str | None, general: str | None, **text: str) -> dict[str, object]:
    record: dict[str, object] = {
        "row_type": kind,
        "project_code": "",
        "project_name": "",
        "unit_code": "",
        "unit_name": "",
        "category": "",
        "category_code": "",
    }
    record.update(text)
    record["total"] = Decimal(total) if total is not None else None
    record["general_public_budget"] = Decimal(general) if general is not None else None
    record.update(NO_AMOUNT)
    record["source_line"] = line
    return record


def test_project_lines_typed_and_keyed_under_their_unit_and_category():
    ctx = Context(2026, units={"某某局": "101", "某某中心": "101001"})
    printed = [
        BodyRow(10, "", ["合计"], ["30.00", "30.00"]),
        BodyRow(11, "", ["某某局"], ["30.00", "30.00"]),
        BodyRow(12, "", ["人员类项目"], ["10.00", "10.00"]),
        BodyRow(13, "P001", ["工资福利"], ["10.00", "10.00"]),
        BodyRow(14, "2", ["运转类项目"], ["20.00", ""]),
        BodyRow(15, "", ["信息化建设", "某某中心"], ["20.00", ""]),
        BodyRow(16, "101001", ["某某中心"], ["5.00", ""]),
        BodyRow(17, "", ["设备购置"], ["5.00", "1,2,3"]),
        BodyRow(18, "11010009", [], ["1.00", ""]),
    ]
    table = ParsedTable(
        RawTable("项目支出表", "表9", "元", 1),
        PROJECTS,
        ["total", "general_public_budget"],
        [("合计",), ("一般公共预算",)],
        1,
        True,
        printed,
        [],
    )
    rows, findings = map_projects(table, ctx)
    assert rows == [
        project_record("total", 10, "30.00", "30.00"),
        project_record("department", 11, "30.00", "30.00", unit_code="101", unit_name="某某局"),
        project_record("category", 12, "10.00", "10.00", unit_code="101", category="人员类项目", category_code="1"),
        project_record(
            "project",
            13,
            "10.00",
            "10.00",
            project_code="P001",
            project_name="工资福利",
            unit_code="101",
            unit_name="某某局",
            category="人员类项目",
            category_code="1",
        ),
        project_record("category", 14, "20.00", None, unit_code="101", category="运转类项目", category_code="2"),
        project_record(
            "project",
            15,
            "20.00",
            None,
            project_name="信息化建设",
            unit_code="101",
            unit_name="某某中心",
            category="运转类项目",
            category_code="2",
        ),
        project_record("unit", 16, "5.00", None, unit_code="101001", unit_name="某某中心"),
        project_record("project", 17, "5.00", None, project_name="设备购置", unit_code="101001", unit_name="某某中心"),
        project_record("project", 18, "1.00", None, project_code="11010009", unit_code="101001", unit_name="某某中心"),
    ]
    assert said(findings) == [
        (
            "info",
            "inferred-code",
            "unit '某某局' has no code in this table; 101 is its code in the disclosure's unit tables",
            11,
        ),
        ("warning", "unreadable-amount", "column '一般公共预算': '1,2,3' is not a number", 17),
    ]
    assert findings[0].row_key == "101" and findings[1].row_key == "设备购置"  # keyed by the name it prints
    assert all(f.resource == "projects" and f.table == "表9 项目支出表" for f in findings)


def test_a_total_printed_last_belongs_to_no_unit_and_no_category():
    # 合计 at the foot of the list, after a unit and a category: the total is the whole table's
    ctx = Context(2026, units={"某某中心": "101001"})
    printed = [
        BodyRow(10, "101001", ["某某中心"], ["5.00", "5.00"]),
        BodyRow(11, "", ["人员类项目"], ["5.00", "5.00"]),
        BodyRow(12, "", ["工资福利"], ["5.00", "5.00"]),
        BodyRow(13, "", ["合计"], ["5.00", "5.00"]),
    ]
    table = ParsedTable(
        RawTable("项目支出表", "表9", "元", 1), PROJECTS, ["total", "general_public_budget"], [], 1, True, printed, []
    )
    rows, findings = map_projects(table, ctx)
    assert rows == [
        project_record("unit", 10, "5.00", "5.00", unit_code="101001", unit_name="某某中心"),
        project_record("category", 11, "5.00", "5.00", unit_code="101001", category="人员类项目", category_code="1"),
        project_record(
            "project",
            12,
            "5.00",
            "5.00",
            project_name="工资福利",
            unit_code="101001",
            unit_name="某某中心",
            category="人员类项目",
            category_code="1",
        ),
        project_record("total", 13, "5.00", "5.00"),
    ]
    assert findings == []


def test_a_category_keeps_the_code_it_prints_and_its_projects_share_it():
    # a category the national list does not name (专项类) keeps its printed code, and its projects
    # take it; a category printed beside a project that the list does not name has no code
    raw = RawTable(
        "项目支出表",
        "表9",
        "元",
        1,
        rows=[
            Row(2, ["项目名称", "项目编码", "项目类别", "合计"]),
            Row(3, ["会议", "11010000", "某某专项类", "2.00"]),
            Row(4, ["设备购置", "11010002", "特定目标类项目", "5.00"]),
        ],
    )
    table = parse_table(raw, PROJECTS)
    rows, _ = map_projects(table, Context(2026))
    # the code column stands after the name, so it is among the row's texts
    assert [(r["project_name"], r["category"], r["category_code"]) for r in rows] == [
        ("会议", "某某专项类", ""),
        ("设备购置", "特定目标类项目", "3"),
    ]
    printed = [
        BodyRow(10, "5", ["某某专项类"], ["2.00"]),
        BodyRow(11, "", ["会议"], ["2.00"]),
    ]
    table = ParsedTable(RawTable("项目支出表", "表9", "元", 1), PROJECTS, ["total"], [], 1, True, printed, [])
    rows, _ = map_projects(table, Context(2026))
    assert [(r["row_type"], r["category"], r["category_code"]) for r in rows] == [
        ("category", "某某专项类", "5"),
        ("project", "某某专项类", "5"),
    ]


def test_procurement_codes_cut_short_are_recovered_in_the_year_of_the_disclosure():
    # [3022]委托业务费: 30227 is the only 委托业务费 under 3022 in the economic classification
    raw = RawTable(
        "政府采购预算表",
        "表10",
        "元",
        1,
        rows=[
            Row(2, ["采购项目", "经济分类", "采购数量", "合计"]),
            Row(3, ["合计", "", "", "100.00"]),
            Row(4, ["安保服务", "[3022]委托业务费", "1", "100.00"]),
        ],
    )
    rows, findings = map_procurement(parse_table(raw, PROCUREMENT), Context(2026))
    assert [r.get("economic_code") for r in rows if r.get("economic_name") == "委托业务费"] == ["30227"]


# --- tables keyed by a classification code ---------------------------------------------------------
# --- tables keyed by a classification code ---------------------------------------------------------

EXPENDITURE_GPB = Kind("expenditure_by_function", "expenditure_by_function", "general_public_budget")


def coded_table(kind: Kind, rows: list[BodyRow]) -> ParsedTable:
    return ParsedTable(RawTable("一般公共预算支出表", "表3", "元", 1), kind, ["total"], [("合计",)], 2, True, rows, [])


def function_row(code: str, name: str, level: int, total: str, line: int) -> dict[str, object]:
    return {
        "scope": "general_public_budget",
        "function_code": code,
        "function_name": name,
        "level": level,
        "total": Decimal(total),
        "source_line": line,
    }


def test_functional_rows_by_code_with_cut_short_and_name_only_codes_recovered():
    printed = [
        BodyRow(10, "", [], ["100.00"]),  # the total line, its label lost
        BodyRow(11, "201", ["一般公共服务支出"], ["100.00"]),
        BodyRow(12, "20103", ["政府办公厅（室）及相关机构事务"], ["100.00"]),
        BodyRow(13, "2010301", ["行政运行"], ["60.00"]),
        BodyRow(14, "20103", ["一般行政管理事务"], ["30.00"]),  # its 款 code printed on a 项 line
        BodyRow(15, "", ["事业运行"], ["10.00"]),  # no code at all
        BodyRow(16, "", ["备注"], ["5.00"]),
        BodyRow(17, "", ["说明"], ["", ""]),
    ]
    rows, findings = map_expenditure_by_function(coded_table(EXPENDITURE_GPB, printed), Context(2026))
    assert rows == [
        function_row("TOTAL", "合计", 0, "100.00", 10),
        function_row("201", "一般公共服务支出", 1, "100.00", 11),
        function_row("20103", "政府办公厅（室）及相关机构事务", 2, "100.00", 12),
        function_row("2010301", "行政运行", 3, "60.00", 13),
        function_row("2010302", "一般行政管理事务", 3, "30.00", 14),
        function_row("2010350", "事业运行", 3, "10.00", 15),
    ]
    assert [(f.severity, f.check, f.row_key, f.source_line, f.value) for f in findings] == [
        ("info", "inferred-code", "2010302", 14, "20103"),
        ("info", "inferred-code", "2010350", 15, ""),
        ("warning", "unplaced-row", "", 16, "5.00"),
    ]
    assert findings[1].message == (
        "'事业运行' is printed without a code; 2010350 is the item of that name under the class above it"
    )
    assert findings[2].message == "row '备注' has no code; its amounts are 5.00"
    assert all(f.resource == "expenditure_by_function" and f.table == "表3 一般公共预算支出表" for f in findings)


def test_the_only_unit_line_of_a_table_without_a_total_line_is_its_total():
    printed = [
        BodyRow(10, "", ["某某局"], ["60.00"]),
        BodyRow(11, "201", ["一般公共服务支出"], ["60.00"]),
        BodyRow(12, "2010301", ["行政运行"], ["60.00"]),
    ]
    ctx = Context(2026, units={"某某局": "101"})
    rows, findings = map_expenditure_by_function(coded_table(EXPENDITURE_GPB, printed), ctx)
    assert [(r["function_code"], r["function_name"], r["level"]) for r in rows] == [
        ("TOTAL", "某某局", 0),
        ("201", "一般公共服务支出", 1),
        ("2010301", "行政运行", 3),
    ]
    assert findings == []


def test_units_by_code_and_a_unit_without_one_keyed_by_its_name():
    printed = [
        BodyRow(10, "", ["合计"], ["50.00"]),
        BodyRow(11, "101001", ["某某中心"], ["20.00"]),
        BodyRow(12, "", ["某某所"], ["30.00"]),
    ]
    kind = Kind("expenditure_by_unit", "expenditure_by_unit", "general_public_budget")
    rows, findings = map_expenditure_by_unit(coded_table(kind, printed), Context(2026))
    stand_in = fallback_code("某某所")
    assert rows == [
        {
            "scope": "general_public_budget",
            "unit_code": "TOTAL",
            "unit_name": "合计",
            "total": Decimal(50),
            "source_line": 10,
        },
        {
            "scope": "general_public_budget",
            "unit_code": "101001",
            "unit_name": "某某中心",
            "total": Decimal(20),
            "source_line": 11,
        },
        {
            "scope": "general_public_budget",
            "unit_code": stand_in,
            "unit_name": "某某所",
            "total": Decimal(30),
            "source_line": 12,
        },
    ]
    assert said(findings) == [
        (
            "info",
            "inferred-code",
            f"unit '某某所' is printed without a code; it is keyed by {stand_in}, a stand-in from its name",
            12,
        )
    ]
    assert findings[0].row_key == stand_in and findings[0].resource == "expenditure_by_unit"
    assert findings[0].table == "表3 一般公共预算支出表"


def test_economic_rows_keep_the_government_classifications_code():
    printed = [
        BodyRow(10, "", ["合计"], ["10.00"]),
        BodyRow(11, "301", ["工资福利支出"], ["10.00"], alt_code="501"),
        BodyRow(12, "30101", ["基本工资"], ["10.00"], alt_code="50101"),
    ]
    kind = Kind("expenditure_by_economic", "expenditure_by_economic")
    rows, findings = map_expenditure_by_economic(
        coded_table(kind, [*printed, BodyRow(13, "", ["备注"], ["1.00"])]), Context(2026)
    )
    assert rows == [
        {"economic_code": "TOTAL", "economic_name": "合计", "level": 0, "total": Decimal(10), "source_line": 10},
        {
            "economic_code": "301",
            "economic_name": "工资福利支出",
            "government_economic_code": "501",
            "level": 1,
            "total": Decimal(10),
            "source_line": 11,
        },
        {
            "economic_code": "30101",
            "economic_name": "基本工资",
            "government_economic_code": "50101",
            "level": 2,
            "total": Decimal(10),
            "source_line": 12,
        },
    ]
    assert [(f.check, f.resource, f.source_line) for f in findings] == [("unplaced-row", "expenditure_by_economic", 13)]


def test_codes_printed_again_without_unit_lines_are_kept_and_only_the_total_mapped():
    printed = [
        BodyRow(10, "", ["合计"], ["100.00"]),
        BodyRow(11, "2010301", ["行政运行"], ["60.00"]),
        BodyRow(12, "2010301", ["行政运行"], ["40.00"]),
    ]
    table = coded_table(EXPENDITURE_GPB, printed)
    rows, findings = map_expenditure_by_function(table, Context(2026))
    assert rows == [function_row("TOTAL", "合计", 0, "100.00", 10)]
    assert said(findings) == [
        (
            "info",
            "per-unit-table",
            "the table prints its codes again (2 times) without a line for each unit: it lists them unit by unit; "
            "the standard holds this resource for the department as a whole, so the coded lines are kept as "
            "printed in unmodelled_cells (as part 1, part 2 …) and only its total is mapped",
            10,
        )
    ]
    assert (findings[0].resource, findings[0].table) == ("expenditure_by_function", "表3 一般公共预算支出表")
    assert [(c["source_line"], c["column"], c["label"], c["text"]) for c in table.unmodelled] == [
        (11, 1, "part 1/text", "2010301"),
        (11, 2, "part 1/text", "行政运行"),
        (11, 3, "part 1/合计", "60.00"),
        (12, 1, "part 2/text", "2010301"),
        (12, 2, "part 2/text", "行政运行"),
        (12, 3, "part 2/合计", "40.00"),
    ]


def test_a_department_line_over_its_units_lines_is_the_total_and_each_units_codes_are_kept():
    ctx = Context(2026, units={"某某局": "101", "某某中心": "101001", "某某所": "101002"})
    printed = [
        BodyRow(10, "", ["某某局"], ["100.00"]),
        BodyRow(11, "", ["某某中心"], ["60.00"]),
        BodyRow(12, "2010301", ["行政运行"], ["60.00"]),
        BodyRow(13, "", ["某某所"], ["40.00"]),
        BodyRow(14, "2010301", ["行政运行"], ["40.00"]),
    ]
    table = coded_table(EXPENDITURE_GPB, printed)
    rows, findings = map_expenditure_by_function(table, ctx)
    assert rows == [function_row("TOTAL", "某某局", 0, "100.00", 10)]
    assert [(f.check, f.message) for f in findings] == [
        (
            "per-unit-table",
            "the table lists its codes unit by unit (3 unit lines); the standard holds this resource for the "
            "department as a whole, so the units' lines are kept as printed in unmodelled_cells",
        )
    ]
    assert [(c["source_line"], c["column"], c["label"], c["text"]) for c in table.unmodelled] == [
        (11, 3, "某某中心/合计", "60.00"),
        (12, 1, "某某中心/text", "2010301"),
        (12, 2, "某某中心/text", "行政运行"),
        (12, 3, "某某中心/合计", "60.00"),
        (13, 3, "某某所/合计", "40.00"),
        (14, 1, "某某所/text", "2010301"),
        (14, 2, "某某所/text", "行政运行"),
        (14, 3, "某某所/合计", "40.00"),
    ]


def test_codes_before_the_first_unit_cell_are_kept_as_of_no_named_unit():
    # the department's own lines first, then a line printing only a 预算单位 cell and that unit's
    printed = [
        BodyRow(10, "2010301", ["行政运行"], ["60.00"]),
        BodyRow(11, "", [], ["40.00"], unit="某某中心"),
        BodyRow(12, "2010301", ["行政运行"], ["40.00"]),
    ]
    table = coded_table(EXPENDITURE_GPB, printed)
    rows, findings = map_expenditure_by_function(table, Context(2026))
    assert rows == [] and [f.check for f in findings] == ["per-unit-table"]
    assert "(1 unit lines)" in findings[0].message
    assert [(c["source_line"], c["label"], c["text"]) for c in table.unmodelled] == [
        (10, "?/text", "2010301"),
        (10, "?/text", "行政运行"),
        (10, "?/合计", "60.00"),
        (11, "某某中心/合计", "40.00"),
        (12, "某某中心/text", "2010301"),
        (12, "某某中心/text", "行政运行"),
        (12, "某某中心/合计", "40.00"),
    ]


def test_parts_printed_under_one_unit_line_keep_their_uncoded_lines_and_map_the_unit_as_total():
    ctx = Context(2026, units={"某某局": "101"})
    printed = [
        BodyRow(10, "", ["某某局"], ["100.00"]),
        BodyRow(11, "2010301", ["行政运行"], ["60.00"]),
        BodyRow(12, "2010301", ["行政运行"], ["40.00"]),
        BodyRow(13, "", ["备注"], ["1.00"]),
    ]
    table = coded_table(EXPENDITURE_GPB, printed)
    rows, findings = map_expenditure_by_function(table, ctx)
    assert rows == [function_row("TOTAL", "某某局", 0, "100.00", 10)]
    assert [f.check for f in findings] == ["per-unit-table"]
    assert [(c["source_line"], c["label"], c["text"]) for c in table.unmodelled if c["column"] == 3] == [
        (11, "part 1/合计", "60.00"),
        (12, "part 2/合计", "40.00"),
        (13, "part 2/合计", "1.00"),
    ]


def test_a_class_printed_again_beside_another_government_class_is_another_line_not_a_sub_item():
    # 部门预算经济分类 beside 政府预算经济分类 (Yantai): 301 工资福利支出 under 501 机关工资福利支出
    # and again under 505 对事业单位经常性补助 are two lines, not 301 cut short
    kind = Kind("expenditure_by_economic", "expenditure_by_economic")
    printed = [
        BodyRow(10, "301", ["工资福利支出"], ["10.00"], alt_code="501"),
        BodyRow(11, "30101", ["基本工资"], ["10.00"], alt_code="50101"),
        BodyRow(12, "301", ["工资福利支出"], ["5.00"], alt_code="505"),
        BodyRow(13, "30101", ["基本工资"], ["5.00"], alt_code="50501"),
    ]
    rows, findings = map_expenditure_by_economic(coded_table(kind, printed), Context(2026))
    assert [(r["economic_code"], r["government_economic_code"], r["total"]) for r in rows] == [
        ("301", "501", Decimal("10.00")),
        ("30101", "50101", Decimal("10.00")),
        ("301", "505", Decimal("5.00")),
        ("30101", "50501", Decimal("5.00")),
    ]
    assert findings == []


def test_a_line_printed_without_a_code_is_found_among_the_codes_the_document_prints_elsewhere():
    # 2010399 某某专项 is printed in full in another table of the document, not in the code list
    ctx = Context(2026, known_codes={"functional": {"2010399": "某某专项"}, "economic": {}})
    printed = [
        BodyRow(10, "201", ["一般公共服务支出"], ["6.00"]),
        BodyRow(11, "20103", ["政府办公厅（室）及相关机构事务"], ["6.00"]),
        BodyRow(12, "", ["某某专项"], ["6.00"]),
    ]
    rows, findings = map_expenditure_by_function(coded_table(EXPENDITURE_GPB, printed), ctx)
    assert [(r["function_code"], r["source_line"]) for r in rows] == [("201", 10), ("20103", 11), ("2010399", 12)]
    assert [(f.check, f.row_key) for f in findings] == [("inferred-code", "2010399")]


def test_a_unit_code_printed_again_starts_the_next_part_of_a_unit_table():
    printed = [
        BodyRow(10, "", ["合计"], ["9.00"]),
        BodyRow(11, "101001", ["某某中心"], ["4.00"]),
        BodyRow(12, "101001", ["某某中心"], ["5.00"]),
    ]
    table = coded_table(UNIT_GPB, printed)
    rows, findings = map_expenditure_by_unit(table, Context(2026))
    assert [(r["unit_code"], r["total"]) for r in rows] == [("TOTAL", Decimal("9.00"))]
    assert [f.check for f in findings] == ["per-unit-table"]
    assert [(c["source_line"], c["label"]) for c in table.unmodelled if c["column"] == 3] == [
        (11, "part 1/合计"),
        (12, "part 2/合计"),
    ]


def test_a_class_code_printed_again_under_its_own_name_is_reported_with_its_amounts():
    # a repeated code is read as cut short (one of its sub-items); a name that is the class's own
    # matches none of them, so the row is reported, not placed
    printed = [
        BodyRow(10, "201", ["一般公共服务支出"], ["60.00"]),
        BodyRow(11, "201", ["一般公共服务支出"], ["40.00"]),
        BodyRow(12, "201", ["一般公共服务支出"], [""]),
    ]
    rows, findings = map_expenditure_by_function(coded_table(EXPENDITURE_GPB, printed), Context(2026))
    assert rows == [function_row("201", "一般公共服务支出", 1, "60.00", 10)]
    assert [(f.severity, f.check, f.source_line, f.value) for f in findings] == [
        ("warning", "unresolved-code", 11, "40.00"),
        ("warning", "unresolved-code", 12, ""),
    ]
    assert findings[1].message.endswith("; its amounts are blank")
    assert findings[0].message == (
        "row '201 一般公共服务支出' '一般公共服务支出' repeats the code 201 of a row above, so it is one of 201's "
        "sub-items, but its name matches none of them (nor only one) in this document or the 2026 code list; "
        "its amounts are 40.00"
    )


def test_lines_without_a_code_or_with_a_code_of_no_level_are_reported_and_the_lines_after_them_mapped():
    printed = [
        BodyRow(10, "201", ["一般公共服务支出"], ["60.00"]),
        BodyRow(11, "", ["备注"], ["5.00"]),
        BodyRow(12, "2010", ["某某"], ["1.00"]),  # four digits: neither 类, 款 nor 项
        BodyRow(13, "20103", ["政府办公厅（室）及相关机构事务"], ["60.00"]),
    ]
    rows, findings = map_expenditure_by_function(coded_table(EXPENDITURE_GPB, printed), Context(2026))
    assert [(r["function_code"], r["source_line"]) for r in rows] == [("201", 10), ("20103", 13)]
    assert said(findings) == [
        ("warning", "unplaced-row", "row '备注' has no code; its amounts are 5.00", 11),
        ("warning", "unplaced-row", "row '2010 某某' has a code of unexpected length 4; its amounts are 1.00", 12),
    ]
    assert {f.resource for f in findings} == {"expenditure_by_function"}


def test_a_project_category_column_beside_the_name_gives_each_project_its_category():
    raw = RawTable(
        "项目支出表",
        "表9",
        "万元",
        1,
        rows=[
            Row(2, ["项目编码", "项目名称", "项目类别", "合计"]),
            Row(3, ["", "合计", "", "17.00"]),
            Row(4, ["11010000", "会议", "", "2.00"]),  # no category printed
            Row(5, ["11010001", "信息化建设", "其他运转类", "10.00"]),
            Row(6, ["11010002", "设备购置", "特定目标类项目", "5.00"]),
        ],
    )
    table = parse_table(raw, PROJECTS)
    rows, findings = map_projects(table, Context(2026))
    assert rows == [
        project_record("total", 3, "170000", None),
        project_record("project", 4, "20000", None, project_code="11010000", project_name="会议"),
        project_record(
            "project",
            5,
            "100000",
            None,
            project_code="11010001",
            project_name="信息化建设",
            category="其他运转类",
            category_code="22",
        ),
        project_record(
            "project",
            6,
            "50000",
            None,
            project_code="11010002",
            project_name="设备购置",
            category="特定目标类项目",
            category_code="3",
        ),
    ]
    assert findings == []


# --- 支出总表 crossing function and economic class (北京 预算03表) ---------------------------------

CROSSED_HEADER = Row(
    2, ["功能分类科目", "政府预算支出经济分类科目", "部门预算支出经济分类科目", "合计", "基本支出", "项目支出"]
)


def crossed(*lines: Row) -> ParsedTable:
    return parse_table(RawTable("支出总表", "预算03表", "万元", 1, rows=[CROSSED_HEADER, *lines]), CROSS_CLASSIFIED_ALL)


def crossed_row(function: tuple[str, str], government: tuple[str, str], economic: tuple[str, str], line: int, *amounts):
    codes = {
        "function_code": function[0],
        "function_name": function[1],
        "government_economic_code": government[0],
        "government_economic_name": government[1],
        "economic_code": economic[0],
        "economic_name": economic[1],
    }
    row = {"scope": "all_funds", **{k: v for k, v in codes.items() if v}}
    row.update(
        {f: Decimal(a) for f, a in zip(["total", "basic", "project"], amounts, strict=True) if a}
    )  # blank: no field
    row["source_line"] = line
    return row


def test_a_crossed_expenditure_table_one_row_per_line_with_names_wrapped_onto_the_next():
    table = crossed(
        Row(3, ["合计", "", "", "35.00", "20.00", "15.00"]),
        Row(4, ["2010801-行政运行", "50101-工资奖金津补贴", "30101-基本工资", "20.00", "20.00", ""]),
        Row(
            5,
            [
                "2010899-其他政府办公厅（室）及相关",
                "50299-其他商品和服务支",
                "30299-其他商品和服务支出",
                "10.00",
                "",
                "10.00",
            ],
        ),
        Row(6, ["机构事务支出", "出"]),  # two names run onto a short line of their own
        Row(7, ["", "", "", "", "", ""]),
        Row(8, ["其他", "", "", "3.00", "", "3.00"]),  # amounts and no codes: not a name's continuation
        Row(9, ["2013101-行政运行", "", "30201-办公费", "2.00", "", "2.00"]),  # no government class printed
        Row(10, ["2013101-行政运行", "", "", "9.00", "", "9.00"]),  # one class alone: not a crossed line
    )
    rows, findings = map_function_and_economic(table, Context(2026))
    assert rows == [
        crossed_row(("TOTAL", ""), ("TOTAL", ""), ("TOTAL", ""), 3, "350000", "200000", "150000"),
        crossed_row(
            ("2010801", "行政运行"), ("50101", "工资奖金津补贴"), ("30101", "基本工资"), 4, "200000", "200000", ""
        ),
        crossed_row(
            ("2010899", "其他政府办公厅（室）及相关机构事务支出"),
            ("50299", "其他商品和服务支出"),
            ("30299", "其他商品和服务支出"),
            5,
            "100000",
            "",
            "100000",
        ),
        crossed_row(("2013101", "行政运行"), ("", ""), ("30201", "办公费"), 9, "20000", "", "20000"),
    ]
    assert findings == []


def test_a_crossed_line_of_unreadable_amounts_is_reported_under_its_three_codes():
    table = crossed(
        Row(3, ["2010801-行政运行", "50101-工资奖金津补贴", "30102-津贴补贴", "2.00", "2.00", ""]),
        Row(4, ["2010801-行政运行", "", "30101-基本工资", "1,2", "", ""]),
        Row(5, ["合计", "", "", "2.00", "2.00", ""]),
        Row(6, ["说明：本表无数据的项目不列示"]),  # a note under the 合计 continues no name
    )
    rows, findings = map_function_and_economic(table, Context(2026))
    assert [r["source_line"] for r in rows] == [3, 4, 5]
    assert rows[0]["total"] == Decimal("20000") and "total" not in rows[1]
    assert "function_name" not in rows[2]
    assert said(findings) == [("warning", "unreadable-amount", "column '合计': '1,2' is not a number", 4)]
    assert (findings[0].resource, findings[0].row_key, findings[0].table) == (
        "expenditure_by_function_and_economic",
        "2010801  30101",  # function, government (not printed), departmental economic code
        "预算03表 支出总表",
    )


def test_a_crossed_table_without_an_economic_column_maps_nothing():
    raw = RawTable(
        "支出总表",
        "预算03表",
        "万元",
        1,
        rows=[Row(2, ["功能分类科目", "合计"]), Row(3, ["合计", "5.00"]), Row(4, ["2010801-行政运行", "5.00"])],
    )
    assert map_function_and_economic(parse_table(raw, CROSS_CLASSIFIED_ALL), Context(2026)) == ([], [])


# --- amount cells ------------------------------------------------------------------------------

UNIT_GPB = Kind("expenditure_by_unit", "expenditure_by_unit", "general_public_budget")


def unit_table(fields: list[str | None], paths: list[tuple[str, ...]], printed: list[list[str]]) -> ParsedTable:
    """A 单位 table whose lines are `printed` (code, name, amounts …), line numbers from 11."""
    raw = RawTable("支出预算表", "表4", "元", 1, rows=[Row(11 + k, cells) for k, cells in enumerate(printed)])
    body = [BodyRow(11 + k, cells[0], [cells[1]], cells[2 : 2 + len(fields)]) for k, cells in enumerate(printed)]
    return ParsedTable(raw, UNIT_GPB, fields, paths, 2, True, body, [])


def test_amount_cells_placed_kept_or_reported_each_with_its_reason():
    fields: list[str | None] = ["total", None, "total", None, "basic"]
    paths = [("合计",), ("其他",), ("合计",), (), ("基本支出",)]
    printed = [["101001", "甲", "10.00", "2.00", "3.00", "4.00", "—"], ["101002", "乙", "12a.00", "", "", "", "—"]]
    table = unit_table(fields, paths, printed)
    table.rows[0].extra = [(7, "7.00")]
    rows, findings = map_expenditure_by_unit(table, Context(2026))
    assert rows == [
        {
            "scope": "general_public_budget",
            "unit_code": "101001",
            "unit_name": "甲",
            "total": Decimal("10.00"),
            "source_line": 11,
        },
        {"scope": "general_public_budget", "unit_code": "101002", "unit_name": "乙", "source_line": 12},
    ]
    assert [(f.severity, f.check, f.message, f.source_line, f.field, f.value, f.row_key) for f in findings] == [
        (
            "warning",
            "duplicate-column",
            "a second column maps to total; the amount 3.00 is not used",
            11,
            "total",
            "3.00",
            "101001",
        ),
        (
            "warning",
            "unmapped-cell",
            "the amount 4.00 in column '(no header)' has no field in the standard",
            11,
            "",
            "4.00",
            "101001",
        ),
        (
            "info",
            "placeholder",
            "column '基本支出': '—' read as no amount; the table prints it for none in 2 cells",
            11,
            "basic",
            "—",
            "101001",
        ),
        ("warning", "extra-cell", "the row has a cell beyond the table's columns: '7.00'", 11, "", "7.00", "101001"),
        ("warning", "unreadable-amount", "column '合计': '12a.00' is not a number", 12, "total", "12a.00", "101002"),
        (
            "info",
            "placeholder",
            "column '基本支出': '—' read as no amount; the table prints it for none in 2 cells",
            12,
            "basic",
            "—",
            "101002",
        ),
    ]
    assert table.unmodelled == [
        {"table": "表4 支出预算表", "source_line": 11, "column": 4, "text": "2.00", "label": "其他"}
    ]


def test_a_second_column_for_a_field_under_its_own_label_is_kept_and_a_lone_placeholder_reported():
    fields: list[str | None] = ["total", "total"]
    table = unit_table(fields, [("项目支出总数",), ("扣除基建项目后预算数",)], [["101001", "甲", "5.00", "4.00"]])
    rows, findings = map_expenditure_by_unit(table, Context(2026))
    assert rows[0]["total"] == Decimal("5.00") and findings == []
    assert table.unmodelled == [
        {"table": "表4 支出预算表", "source_line": 11, "column": 4, "text": "4.00", "label": "扣除基建项目后预算数"}
    ]
    table = unit_table(["total"], [("合计",)], [["101001", "甲", "—"]])
    rows, findings = map_expenditure_by_unit(table, Context(2026))
    assert "total" not in rows[0]
    assert said(findings) == [
        ("warning", "unreadable-amount", "column '合计': '—' is a placeholder, not a number (read as blank)", 11)
    ]


def test_a_code_too_long_for_any_level_is_reported_and_a_lone_unit_cell_is_the_total():
    printed = [BodyRow(10, "201030101", ["行政运行"], ["5.00"]), BodyRow(11, "", [], ["5.00"], unit="某某局")]
    rows, findings = map_expenditure_by_function(coded_table(EXPENDITURE_GPB, printed), Context(2026))
    assert rows == [function_row("TOTAL", "合计", 0, "5.00", 11)]
    assert said(findings) == [
        (
            "warning",
            "unplaced-row",
            "row '201030101 行政运行' has a code of unexpected length 9; its amounts are 5.00",
            10,
        )
    ]


def test_codes_listed_unit_by_unit_under_the_departments_line():
    printed = [
        BodyRow(10, "", ["某某局"], ["100.00"]),
        BodyRow(11, "", ["甲单位"], ["60.00"]),
        BodyRow(12, "2010301", ["行政运行"], ["60.00"]),
        BodyRow(13, "", ["乙单位"], ["40.00"]),
        BodyRow(14, "2010301", ["行政运行"], ["40.00"]),
    ]
    ctx = Context(2026, units={"某某局": "101", "甲单位": "101001", "乙单位": "101002"})
    table = coded_table(EXPENDITURE_GPB, printed)
    rows, findings = map_expenditure_by_function(table, ctx)
    assert rows == [function_row("TOTAL", "某某局", 0, "100.00", 10)]
    assert said(findings) == [
        (
            "info",
            "per-unit-table",
            "the table lists its codes unit by unit (3 unit lines); the standard holds this resource for the "
            "department as a whole, so the units' lines are kept as printed in unmodelled_cells",
            10,
        )
    ]
    assert (findings[0].resource, findings[0].table) == ("expenditure_by_function", "表3 一般公共预算支出表")
    assert [(c["source_line"], c["column"], c["label"], c["text"]) for c in table.unmodelled] == [
        (11, 3, "甲单位/合计", "60.00"),
        (12, 1, "甲单位/text", "2010301"),
        (12, 2, "甲单位/text", "行政运行"),
        (12, 3, "甲单位/合计", "60.00"),
        (13, 3, "乙单位/合计", "40.00"),
        (14, 1, "乙单位/text", "2010301"),
        (14, 2, "乙单位/text", "行政运行"),
        (14, 3, "乙单位/合计", "40.00"),
    ]


def test_fund_and_revenue_tables_are_keyed_by_function_without_a_scope():
    printed = [BodyRow(10, "", ["合计"], ["0.00"]), BodyRow(11, "", ["备注"], ["1.00"])]
    fund = Kind("government_fund_expenditure", "government_fund_expenditure")
    rows, findings = map_fund_expenditure(coded_table(fund, printed), Context(2026))
    assert rows == [
        {"function_code": "TOTAL", "function_name": "合计", "level": 0, "total": Decimal("0.00"), "source_line": 10}
    ]
    assert [(f.check, f.resource, f.source_line) for f in findings] == [
        ("unplaced-row", "government_fund_expenditure", 11)
    ]
    revenue = Kind("revenue_by_function", "revenue_by_function")
    rows, findings = map_revenue_by_function(coded_table(revenue, printed), Context(2024, phase="final_accounts"))
    assert rows == [
        {"function_code": "TOTAL", "function_name": "合计", "level": 0, "total": Decimal("0.00"), "source_line": 10}
    ]
    assert [(f.check, f.resource, f.source_line) for f in findings] == [("unplaced-row", "revenue_by_function", 11)]


def test_an_item_printed_blank_under_its_first_basis_still_has_its_row():
    rows_printed = [
        BodyRow(10, "", ["合计"], ["1.00", "0.80"]),
        BodyRow(11, "", ["1、因公出国（境）费用"], ["", "0.80"]),
    ]
    table = three_public_table([("预算数",), ("决算数",)], [None, None], rows_printed, 1)
    rows, findings = map_three_public(table, Context(2024, phase="final_accounts"))
    assert [(r["basis"], r["item"], r["amount"]) for r in rows] == [
        ("budget", "total", Decimal("10000")),
        ("actual", "total", Decimal("8000")),
        ("budget", "outbound_travel", None),
        ("actual", "outbound_travel", Decimal("8000")),
    ]
    assert findings == []


def test_rows_naming_one_item_only_are_no_table_by_item_and_nothing_is_lost():
    rows_printed = [BodyRow(10, "", ["合计"], ["1.00"]), BodyRow(11, "", ["其他"], ["2.00"])]
    table = three_public_table([("预算数",)], [None], rows_printed, 1)
    rows, findings = map_three_public(table, Context(2026))
    assert rows == []
    assert [f.message for f in findings] == [
        "the table prints 2 rows (units or an economic breakdown under the 合计); the row on line 10 is the data, "
        "the others are kept as printed in unmodelled_cells"
    ]
    assert [(c["source_line"], c["column"], c["label"], c["text"]) for c in table.unmodelled] == [
        (11, 2, "其他/预算数", "2.00"),
        (10, 2, "预算数", "1.00"),
    ]


# --- 基本支出 printed side by side ------------------------------------------------------------------

BASIC = Kind("basic_expenditure_by_economic", "basic_expenditure_by_economic")


def test_personnel_and_public_groups_side_by_side_each_under_its_half():
    raw = RawTable(
        "基本支出决算表",
        "表3",
        "元",
        1,
        rows=[
            Row(2, ["人员经费", "", "", "公用经费", "", ""]),
            Row(3, ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"]),
            Row(4, ["301", "工资福利支出", "100.00", "302", "商品和服务支出", "50.00"]),
            Row(5, ["30101", "基本工资", "60.00", "30201", "办公费", "50.00", "9.99"]),
            Row(6, ["30102", "津贴补贴", "40.00", "", "", ""]),
            Row(7, ["人员经费合计", "", "100.00", "公用经费合计", "", "50.00"]),
        ],
    )
    assert side_by_side_groups(raw) == [SideGroup(0, 1, 2, "personnel"), SideGroup(3, 4, 5, "public")]
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), Context(2024, phase="final_accounts"))

    assert rows == [
        {
            "economic_code": "TOTAL",
            "economic_name": "合计",
            "level": 0,
            "total": None,
            "personnel": Decimal(100),
            "public": Decimal(50),
            "source_line": 7,
        },
        economic("301", "工资福利支出", 1, "personnel", "100.00", 4),
        economic("30101", "基本工资", 2, "personnel", "60.00", 5),
        economic("30102", "津贴补贴", 2, "personnel", "40.00", 6),
        economic("302", "商品和服务支出", 1, "public", "50.00", 4),
        economic("30201", "办公费", 2, "public", "50.00", 5),
    ]
    assert said(findings) == [
        ("warning", "unplaced-cell", "the cell '9.99' in column 7 belongs to no code | name | amount group", 5)
    ]


def test_groups_under_no_half_take_it_from_each_codes_class_and_names_give_codes():
    # the Ministry of Finance's template repeats 经济分类科目编码 | 科目名称 | 决算数 with no half named;
    # 工资福利支出 (301) and 对个人和家庭的补助 (303) are 人员经费, every other class 公用经费
    raw = RawTable(
        "基本支出决算表",
        "表3",
        "元",
        1,
        rows=[
            Row(2, ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"]),
            Row(3, ["301", "工资福利支出", "12.00", "303", "对个人和家庭的补助", "5.00"]),
            Row(4, ["30101", "基本工资", "10.00", "", "商品和服务支出", "3.00"]),
            Row(5, ["30102", "津贴", "2.00", "30201", "办公费", "3.00"]),
            Row(6, ["", "补贴", "", "", "杂项", "1.00"]),
        ],
    )
    assert side_by_side_groups(raw) == [SideGroup(0, 1, 2, ""), SideGroup(3, 4, 5, "")]
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), Context(2024, phase="final_accounts"))
    assert [
        (
            r["economic_code"],
            r["economic_name"],
            r["level"],
            r["total"],
            r.get("personnel"),
            r.get("public"),
            r["source_line"],
        )
        for r in rows
    ] == [
        ("301", "工资福利支出", 1, Decimal(12), Decimal(12), None, 3),
        ("30101", "基本工资", 2, Decimal(10), Decimal(10), None, 4),
        ("30102", "津贴补贴", 2, Decimal(2), Decimal(2), None, 5),
        ("302", "商品和服务支出", 1, Decimal(3), None, Decimal(3), 4),
        ("30201", "办公费", 2, Decimal(3), None, Decimal(3), 5),
        ("303", "对个人和家庭的补助", 1, Decimal(5), Decimal(5), None, 3),
    ]
    assert said(findings) == [
        (
            "info",
            "inferred-code",
            "'商品和服务支出' is printed without a code; 302 is the economic item of that name",
            4,
        ),
        ("info", "joined-row", "text on line 6 continues the name on line 5: '津贴补贴'", 5),
        ("warning", "unplaced-row", "row '杂项' has no code and its name is no economic item; its amounts are 1.00", 6),
    ]
    assert findings[0].row_key == "302" and findings[2].value == "1.00"


def test_an_unreadable_half_total_is_reported_and_left_blank():
    raw = RawTable(
        "基本支出决算表",
        "表3",
        "元",
        1,
        rows=[
            Row(2, ["人员经费", "", "", "公用经费", "", ""]),
            Row(3, ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"]),
            Row(4, ["301", "工资福利支出", "100.00", "302", "商品和服务支出", "50.00"]),
            Row(5, ["人员经费合计", "", "1O0.00", "公用经费合计", "", "50.00"]),
        ],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), Context(2024, phase="final_accounts"))
    assert rows[0] == {
        "economic_code": "TOTAL",
        "economic_name": "合计",
        "level": 0,
        "total": None,
        "personnel": None,
        "public": Decimal(50),
        "source_line": 5,
    }
    assert [(f.severity, f.check, f.message, f.source_line, f.value) for f in findings] == [
        ("warning", "unreadable-amount", "'人员经费合计': '1O0.00' is not a number", 5, "1O0.00")
    ]


def test_the_larger_total_is_found_among_the_fiscal_years_columns_only():
    # 上年 | 当年 groups, each 合计 | “三公”经费 合计 | 会议费 (Xi'an's 表13 in small)
    paths = [
        ("上年", "合计"),
        ("上年", "“三公”经费", "合计"),
        ("上年", "会议费"),
        ("当年", "合计"),
        ("当年", "“三公”经费", "合计"),
        ("当年", "会议费"),
    ]
    fields: list[str | None] = ["total", "total", "meetings", "total", "total", "meetings"]
    row = BodyRow(10, "", [], ["9.00", "5.00", "4.00", "10.00", "6.00", "4.00"])
    table = three_public_table(paths, fields, [row], 0)
    rows, findings = map_three_public(table, Context(2026))
    assert [(r["item"], r["amount"]) for r in rows] == [
        ("total", Decimal("60000")),
        ("meetings", Decimal("40000")),
        ("total_with_meetings_training", Decimal("100000")),
    ]
    assert [f.check for f in findings] == ["three-public-columns"]
    assert [(c["column"], c["label"], c["text"]) for c in table.unmodelled] == [
        (1, "上年/合计", "9.00"),
        (2, "上年/“三公”经费/合计", "5.00"),
        (3, "上年/会议费", "4.00"),
    ]


def test_the_fiscal_years_row_among_two_or_printed_alone():
    two = [BodyRow(10, "", ["2025"], ["5.00"]), BodyRow(11, "", ["2026"], ["4.00"])]
    table = three_public_table([("合计",)], ["total"], two, 1)
    rows, findings = map_three_public(table, Context(2026))
    assert [(r["amount"], r["source_line"]) for r in rows] == [(Decimal("40000"), 11)]
    assert [f.check for f in findings] == ["three-public-rows"]
    alone = [BodyRow(11, "", ["2026年"], ["4.00"])]
    rows, findings = map_three_public(three_public_table([("合计",)], ["total"], alone, 1), Context(2026))
    assert [(r["amount"], r["source_line"]) for r in rows] == [(Decimal("40000"), 11)] and findings == []


def test_a_unit_line_under_a_printed_total_is_kept_not_a_second_total():
    printed = [
        BodyRow(10, "", ["合计"], ["60.00"]),
        BodyRow(11, "", ["某某局"], ["60.00"]),
        BodyRow(12, "201", ["一般公共服务支出"], ["60.00"]),
    ]
    table = coded_table(EXPENDITURE_GPB, printed)
    rows, findings = map_expenditure_by_function(table, Context(2026, units={"某某局": "101"}))
    assert rows == [
        function_row("TOTAL", "合计", 0, "60.00", 10),
        function_row("201", "一般公共服务支出", 1, "60.00", 12),
    ]
    assert findings == []
    assert [(c["source_line"], c["text"]) for c in table.unmodelled] == [(11, "60.00")]
