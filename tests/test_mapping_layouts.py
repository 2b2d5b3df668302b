"""Side-by-side layouts and the parsed table's amounts (converter/mapping/side_by_side.py, parse.py,
table.py) on small hand-made tables printed the way the national templates print them.

基本支出决算表 prints its economic codes as two or three 经济分类科目编码 | 科目名称 | 决算数 groups
next to each other, under 人员经费 | 公用经费 or under no half at all; 收入预算表 / 收入决算表 list
the revenue unit by unit (单位代码 | 单位名称 | 合计 | 财政拨款收入 …) or, in some provinces, line
by line. Every expected row and finding below is written out by hand from what the table prints,
the code lists in schema/codelists/ and the units it names (万元 is 10000 yuan).
"""

from __future__ import annotations

from decimal import Decimal

from converter.layout import BodyRow, Repair
from converter.mapping.coded import map_expenditure_by_function, map_function_and_economic
from converter.mapping.parse import parse_table
from converter.mapping.side_by_side import SideGroup, map_basic_by_economic, map_revenue_by_unit, side_by_side_groups
from converter.mapping.table import Context, ParsedTable, _amounts, placeholder_cells
from converter.metadata import fallback_code
from converter.recognize import Kind
from converter.segment import RawTable, Row
from tests.conftest import economic, said

BASIC = Kind("basic_expenditure_by_economic", "basic_expenditure_by_economic")
REVENUE = Kind("revenue_by_unit", "revenue_by_unit")
FINAL = Context(2024, phase="final_accounts")
GROUP_HEADER = ["经济分类科目编码", "科目名称", "决算数"]


def basic_table(unit: str, *lines: list[str], start: int = 2) -> RawTable:
    return RawTable(
        "一般公共预算财政拨款基本支出决算表", "公开06表", unit, 1, [Row(start + k, c) for k, c in enumerate(lines)]
    )


# --- 基本支出决算表 printed side by side -----------------------------------------------------------


def test_a_half_spanning_two_groups_with_codes_cut_short_and_its_total_under_the_last_group():
    # 人员经费 over one group, 公用经费 over two; the items print their class's code (301 基本工资)
    # and 公用经费合计 prints its amount under the third group's 决算数, in 万元
    raw = basic_table(
        "万元",
        ["人员经费", "", "", "公用经费", "", "", "", "", ""],
        GROUP_HEADER * 3,
        ["301", "工资福利支出", "30.00", "302", "商品和服务支出", "12.50", "310", "资本性支出", "2.00"],
        ["301", "基本工资", "30.00", "302", "办公费", "12.50", "310", "办公设备购置", "2.00"],
        ["人员经费合计", "", "30.00", "公用经费合计", "", "", "", "", "14.50"],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), FINAL)
    assert rows == [
        {
            "economic_code": "TOTAL",
            "economic_name": "合计",
            "level": 0,
            "total": None,
            "personnel": Decimal(300000),
            "public": Decimal(145000),
            "source_line": 6,
        },
        economic("301", "工资福利支出", 1, "personnel", "300000", 4),
        economic("30101", "基本工资", 2, "personnel", "300000", 5),
        economic("302", "商品和服务支出", 1, "public", "125000", 4),
        economic("30201", "办公费", 2, "public", "125000", 5),
        economic("310", "资本性支出", 1, "public", "20000", 4),
        economic("31002", "办公设备购置", 2, "public", "20000", 5),
    ]
    cut = [("基本工资", "301", "30101"), ("办公费", "302", "30201"), ("办公设备购置", "310", "31002")]
    assert said(findings) == [
        (
            "info",
            "inferred-code",
            f"'{name}' is printed with {printed}, the code of the row it belongs to; {code} is the sub-item of "
            f"{printed} with this name in the 2024 code list",
            5,
        )
        for name, printed, code in cut
    ]
    assert [(f.row_key, f.value, f.resource, f.table) for f in findings] == [
        (code, printed, "basic_expenditure_by_economic", "公开06表 一般公共预算财政拨款基本支出决算表")
        for _, printed, code in cut
    ]


def test_template_groups_take_their_half_from_the_total_labels_and_a_half_spans_the_unlabelled_group():
    # the Ministry's template: three 经济分类科目编码 | 科目名称 | 决算数 groups under no half;
    # 人员经费合计 under the first names it, 公用经费合计 under the second prints its amount
    # under the third group, which names no half: 310 is 公用经费 by its class
    raw = basic_table(
        "元",
        GROUP_HEADER * 3,
        ["301", "工资福利支出", "100.00", "302", "商品和服务支出", "40.00", "310", "资本性支出", "5.00"],
        ["30101", "基本工资", "100.00", "30201", "办公费", "40.00", "31002", "办公设备购置", "5.00"],
        ["人员经费合计", "", "100.00", "公用经费合计", "", "", "", "", "45.00"],
    )
    assert [g.side for g in side_by_side_groups(raw)] == ["", "", ""]
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), FINAL)
    assert rows == [
        {
            "economic_code": "TOTAL",
            "economic_name": "合计",
            "level": 0,
            "total": None,
            "personnel": Decimal("100.00"),
            "public": Decimal("45.00"),
            "source_line": 5,
        },
        economic("301", "工资福利支出", 1, "personnel", "100.00", 3),
        economic("30101", "基本工资", 2, "personnel", "100.00", 4),
        economic("302", "商品和服务支出", 1, "public", "40.00", 3),
        economic("30201", "办公费", 2, "public", "40.00", 4),
        economic("310", "资本性支出", 1, "public", "5.00", 3),
        economic("31002", "办公设备购置", 2, "public", "5.00", 4),
    ]
    assert findings == []


def test_a_grand_total_line_and_lines_cut_short_after_the_last_filled_cell():
    # the extraction drops a line's trailing blank cells: the personnel list is longer, so its
    # last lines print one group only; a bare 合计 line is the grand total of both halves
    raw = basic_table(
        "万元",
        GROUP_HEADER * 3,
        ["301", "工资福利支出", "3.00", "302", "商品和服务支出", "1.00", "310", "资本性支出", "0.50"],
        ["30101", "基本工资", "2.00", "30201", "办公费", "1.00"],
        ["30102", "津贴补贴", "1.00"],
        ["合计", "", "4.50"],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), FINAL)
    assert rows == [
        {"economic_code": "TOTAL", "economic_name": "合计", "level": 0, "total": Decimal(45000), "source_line": 6},
        economic("301", "工资福利支出", 1, "personnel", "30000", 3),
        economic("30101", "基本工资", 2, "personnel", "20000", 4),
        economic("30102", "津贴补贴", 2, "personnel", "10000", 5),
        economic("302", "商品和服务支出", 1, "public", "10000", 3),
        economic("30201", "办公费", 2, "public", "10000", 4),
        economic("310", "资本性支出", 1, "public", "5000", 3),
    ]
    assert findings == []


def test_bare_total_labels_under_named_halves_are_each_halfs_total():
    raw = basic_table(
        "元",
        ["人员经费", "", "", "公用经费", "", ""],
        GROUP_HEADER * 2,
        ["301", "工资福利支出", "100.00", "302", "商品和服务支出", "50.00"],
        ["合计", "", "100.00", "合计", "", "50.00"],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), FINAL)
    assert rows[0] == {
        "economic_code": "TOTAL",
        "economic_name": "合计",
        "level": 0,
        "total": None,
        "personnel": Decimal("100.00"),
        "public": Decimal("50.00"),
        "source_line": 5,
    }
    assert len(rows) == 3 and findings == []


def test_a_half_total_printed_blank_beside_the_other_halfs_items_takes_none_of_their_amounts():
    # the personnel list ends first: 人员经费合计 stands beside the public list's next item and
    # prints no amount of its own; 30299's amount is that item's, not the personnel total
    lines = [
        ["301", "工资福利支出", "", "302", "商品和服务支出", "50.00"],
        ["人员经费合计", "", "", "30299", "其他商品和服务支出", "50.00"],
        ["", "", "", "公用经费合计", "", "50.00"],
    ]
    named = basic_table("元", ["人员经费", "", "", "公用经费", "", ""], GROUP_HEADER * 2, *lines)
    template = basic_table("元", GROUP_HEADER * 2, *lines, start=3)
    for raw in (named, template):
        rows, findings = map_basic_by_economic(parse_table(raw, BASIC), FINAL)
        assert rows == [
            {
                "economic_code": "TOTAL",
                "economic_name": "合计",
                "level": 0,
                "total": None,
                "personnel": None,
                "public": Decimal("50.00"),
                "source_line": 5,
            },
            {
                "economic_code": "301",
                "economic_name": "工资福利支出",
                "level": 1,
                "total": None,
                "personnel": None,
                "source_line": 4,
            },
            economic("302", "商品和服务支出", 1, "public", "50.00", 4),
            economic("30299", "其他商品和服务支出", 2, "public", "50.00", 5),
        ]
        assert findings == []


def test_items_under_a_repeated_class_code_by_this_documents_names_then_the_code_list_or_reported():
    # items printed with their class's code: 绩效奖励 is 30107 only by the name this document's
    # other tables give it; 办公费 is 30201 in the code list; 加班补贴 is no item of 301 anywhere;
    # 3021 is no code of any level (3, 5 or 7 digits): both are reported with their amounts, and the
    # lines after them still read
    raw = basic_table(
        "元",
        ["人员经费", "", "", "公用经费", "", ""],
        GROUP_HEADER * 2,
        ["301", "工资福利支出", "10.00", "302", "商品和服务支出", "6.00"],
        ["301", "绩效奖励", "4.00", "302", "办公费", "5.00"],
        ["301", "加班补贴", "6.00", "3021", "邮电费", "1.00"],
        ["30199", "其他工资福利支出", "2.00"],
    )
    ctx = Context(2024, phase="final_accounts", known_codes={"economic": {"30107": "绩效奖励"}})
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), ctx)
    assert rows == [
        economic("301", "工资福利支出", 1, "personnel", "10.00", 4),
        economic("30107", "绩效奖励", 2, "personnel", "4.00", 5),
        economic("30199", "其他工资福利支出", 2, "personnel", "2.00", 7),
        economic("302", "商品和服务支出", 1, "public", "6.00", 4),
        economic("30201", "办公费", 2, "public", "5.00", 5),
    ]
    assert said(findings) == [
        (
            "info",
            "inferred-code",
            "'绩效奖励' is printed with 301, the code of the row it belongs to; 30107 is the sub-item of 301 with "
            "this name in this document's other tables",
            5,
        ),
        (
            "info",
            "inferred-code",
            "'办公费' is printed with 302, the code of the row it belongs to; 30201 is the sub-item of 302 with "
            "this name in the 2024 code list",
            5,
        ),
        (
            "warning",
            "unresolved-code",
            "row '301 加班补贴' '加班补贴' repeats the code 301 of a row above, so it is one of 301's sub-items, "
            "but its name matches none of them (nor only one) in this document or the 2024 code list; its "
            "amounts are 6.00",
            6,
        ),
        ("warning", "unplaced-row", "row '3021 邮电费' has a code of unexpected length 4; its amounts are 1.00", 6),
    ]
    where = {(f.resource, f.table) for f in findings}
    assert where == {("basic_expenditure_by_economic", "公开06表 一般公共预算财政拨款基本支出决算表")}
    assert [(f.row_key, f.value) for f in findings] == [("30107", "301"), ("30201", "302"), ("", "6.00"), ("", "1.00")]


def test_a_cell_outside_every_group_and_an_unreadable_half_total_are_reported_with_their_values():
    raw = basic_table(
        "万元",
        ["人员经费", "", "", "公用经费", "", ""],
        GROUP_HEADER * 2,
        ["301", "工资福利支出", "1.00", "302", "商品和服务支出", "0.50", "0.70"],
        ["人员经费合计", "", "1.0O", "公用经费合计", "", "0.50"],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), FINAL)
    assert rows[0] == {
        "economic_code": "TOTAL",
        "economic_name": "合计",
        "level": 0,
        "total": None,
        "personnel": None,
        "public": Decimal(5000),
        "source_line": 5,
    }
    assert [(f.severity, f.check, f.message, f.source_line, f.value) for f in findings] == [
        (
            "warning",
            "unplaced-cell",
            "the cell '0.70' in column 7 belongs to no code | name | amount group",
            4,
            "0.70",
        ),
        ("warning", "unreadable-amount", "'人员经费合计': '1.0O' is not a number", 5, "1.0O"),
    ]
    assert {(f.resource, f.table) for f in findings} == {
        ("basic_expenditure_by_economic", "公开06表 一般公共预算财政拨款基本支出决算表")
    }


def test_item_amounts_printed_as_dashes_or_unreadable_are_reported_under_their_half():
    # the table prints — for none (more than once): read as blank; 1O.00 (a letter O) is no number
    raw = basic_table(
        "元",
        ["人员经费", "", "", "公用经费", "", ""],
        GROUP_HEADER * 2,
        ["301", "工资福利支出", "1O.00", "302", "商品和服务支出", "—"],
        ["30101", "基本工资", "10.00", "30201", "办公费", "—"],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), FINAL)
    assert [(r["economic_code"], r["total"], r.get("personnel"), r.get("public")) for r in rows] == [
        ("301", None, None, None),
        ("30101", Decimal("10.00"), Decimal("10.00"), None),
        ("302", None, None, None),
        ("30201", None, None, None),
    ]
    assert [(f.severity, f.check, f.message, f.source_line, f.row_key, f.field, f.value) for f in findings] == [
        ("warning", "unreadable-amount", "column 'personnel': '1O.00' is not a number", 4, "301", "personnel", "1O.00"),
        (
            "info",
            "placeholder",
            "column 'public': '—' read as no amount; the table prints it for none in 2 cells",
            4,
            "302",
            "public",
            "—",
        ),
        (
            "info",
            "placeholder",
            "column 'public': '—' read as no amount; the table prints it for none in 2 cells",
            5,
            "30201",
            "public",
            "—",
        ),
    ]
    assert {f.resource for f in findings} == {"basic_expenditure_by_economic"}


def test_a_class_named_without_a_code_opens_it_and_a_wrapped_name_continues_its_item():
    # some tables print the 公用经费 list by name only; 办公费's note wraps onto a line of its own
    raw = basic_table(
        "元",
        GROUP_HEADER * 2,
        ["301", "工资福利支出", "8.00", "", "商品和服务支出", "3.00"],
        ["30101", "基本工资", "8.00", "", "办公费", "3.00"],
        ["", "", "", "", "（含邮电费）", ""],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), FINAL)
    assert rows == [
        economic("301", "工资福利支出", 1, "personnel", "8.00", 3),
        economic("30101", "基本工资", 2, "personnel", "8.00", 4),
        economic("302", "商品和服务支出", 1, "public", "3.00", 3),
        economic("30201", "办公费（含邮电费）", 2, "public", "3.00", 4),
    ]
    assert said(findings) == [
        (
            "info",
            "inferred-code",
            "'商品和服务支出' is printed without a code; 302 is the economic item of that name",
            3,
        ),
        ("info", "inferred-code", "'办公费' is printed without a code; 30201 is the economic item of that name", 4),
        ("info", "joined-row", "text on line 5 continues the name on line 4: '办公费（含邮电费）'", 4),
    ]
    assert [(f.row_key, f.resource, f.table) for f in findings] == [
        (key, "basic_expenditure_by_economic", "公开06表 一般公共预算财政拨款基本支出决算表")
        for key in ("302", "30201", "")
    ]


# --- 收入预算表 by unit, or line by line ---------------------------------------------------------

REVENUE_HEADER = [
    ["部门(单位)代码", "部门(单位)名称", "合计", "本年收入", "", "", "上年结转结余", ""],
    ["", "", "", "小计", "一般公共预算", "事业收入", "小计", "一般公共预算"],
]


def revenue_table(unit: str, *lines: list[str], header: list[list[str]] = REVENUE_HEADER) -> RawTable:
    rows = [Row(2 + k, cells) for k, cells in enumerate([*header, *lines])]
    return RawTable("部门收入总表", "表2", unit, 1, rows)


def test_units_by_code_and_a_carry_over_line_that_lost_its_code_takes_the_unit_before_the_next():
    # the carry-over is printed on second lines under the units' codes; the department's second
    # line lost its code: it stands before 157001's second line as 157 did above
    raw = revenue_table(
        "万元",
        ["", "合计", "130.00", "100.00", "90.00", "10.00", "30.00", "30.00"],
        ["157", "某某局", "100.00", "100.00", "90.00", "10.00", "", ""],
        ["157001", "某某局本级", "60.00", "60.00", "50.00", "10.00", "", ""],
        ["157002", "某某中心", "40.00", "40.00", "40.00", "", "", ""],
        ["", "", "30.00", "", "", "", "30.00", "30.00"],
        ["157001", "", "30.00", "", "", "", "30.00", "30.00"],
    )
    rows, findings = map_revenue_by_unit(parse_table(raw, REVENUE), Context(2026))

    def unit(code: str, name: str, line: int, amounts: dict[str, int]) -> dict[str, object]:
        figures = {f: Decimal(a) for f, a in amounts.items()}
        return {"unit_code": code, "unit_name": name, **figures, "source_line": line}

    carried = {"total": 300000, "carryover_total": 300000, "carryover_general_public_budget": 300000}
    assert rows == [
        unit(
            "TOTAL",
            "合计",
            4,
            {
                "total": 1300000,
                "current_year_total": 1000000,
                "general_public_budget": 900000,
                "business_income": 100000,
                "carryover_total": 300000,
                "carryover_general_public_budget": 300000,
            },
        ),
        unit(
            "157",
            "某某局",
            5,
            {
                "total": 1000000,
                "current_year_total": 1000000,
                "general_public_budget": 900000,
                "business_income": 100000,
            },
        ),
        unit(
            "157001",
            "某某局本级",
            6,
            {"total": 600000, "current_year_total": 600000, "general_public_budget": 500000, "business_income": 100000},
        ),
        unit("157002", "某某中心", 7, {"total": 400000, "current_year_total": 400000, "general_public_budget": 400000}),
        unit("157", "", 8, carried),
        unit("157001", "", 9, carried),
    ]
    assert [(f.severity, f.check, f.message, f.source_line, f.row_key, f.resource, f.table) for f in findings] == [
        (
            "info",
            "inferred-code",
            "line 8 has amounts but no unit code; it stands before 157001 as 157 did above, so it is read as 157",
            8,
            "157",
            "revenue_by_unit",
            "表2 部门收入总表",
        )
    ]


def test_revenue_listed_line_by_line_is_the_departments_row_and_lines_of_no_source_are_kept():
    # 收入预算总表 as Jiangsu prints it: 项目名称 | | 金额, one source per line; 公共财政拨款（补助）
    # 资金 and 其中 lines are parts of the line above, 其他资金 小计 no source of the standard
    raw = revenue_table(
        "万元",
        ["收入总计", "", "120.00"],
        ["一般公共预算资金", "小计", "100.00"],
        ["", "公共财政拨款（补助）资金", "100.00"],
        ["", "专项收入", ""],
        ["政府性基金", "小计", ""],
        ["其他资金", "小计", "15.00"],
        ["", "事业收入", "15.00"],
        ["上年结转和结余资金", "小计", "5.00"],
        ["", "其中：动用上年结转和结余资金", "5.00"],
        header=[["项目名称", "", "金额"]],
    )
    table = parse_table(raw, REVENUE)
    rows, findings = map_revenue_by_unit(table, Context(2019))
    assert rows == [
        {
            "unit_code": "TOTAL",
            "unit_name": "收入总计",
            "total": Decimal(1200000),
            "source_line": 3,
            "general_public_budget": Decimal(1000000),
            "business_income": Decimal(150000),
            "carryover_total": Decimal(50000),
        }
    ]
    assert [(f.severity, f.check, f.message, f.source_line, f.row_key, f.resource, f.table) for f in findings] == [
        (
            "info",
            "revenue-lines",
            "the table lists the revenue by source line by line, not by unit: read as the department's row",
            3,
            "TOTAL",
            "revenue_by_unit",
            "表2 部门收入总表",
        )
    ]
    assert table.unmodelled == [
        {
            "table": "表2 部门收入总表",
            "source_line": 5,
            "column": 3,
            "text": "100.00",
            "label": "一般公共预算资金/公共财政拨款（补助）资金",
        },
        {"table": "表2 部门收入总表", "source_line": 8, "column": 3, "text": "15.00", "label": "其他资金/小计"},
        {
            "table": "表2 部门收入总表",
            "source_line": 11,
            "column": 3,
            "text": "5.00",
            "label": "上年结转和结余资金/其中：动用上年结转和结余资金",
        },
    ]


# --- the parsed table's amounts (table.py) -------------------------------------------------------

EXPENDITURE_GPB = Kind("expenditure_by_function", "expenditure_by_function", "general_public_budget")


def test_a_units_line_under_the_total_is_kept_under_the_units_name():
    # 一般公共预算支出表: 合计, then the department's line by its name only (no 预算单位 column),
    # then its codes; the department's line is kept as printed, labelled with whose line it is
    raw = RawTable(
        "一般公共预算支出表",
        "表3",
        "元",
        1,
        [
            Row(2, ["科目编码", "科目名称", "合计"]),
            Row(3, ["", "合计", "60.00"]),
            Row(4, ["", "某某局", "60.00"]),
            Row(5, ["201", "一般公共服务支出", "60.00"]),
        ],
    )
    table = parse_table(raw, EXPENDITURE_GPB)
    rows, findings = map_expenditure_by_function(table, Context(2026, units={"某某局": "101"}))
    assert [(r["function_code"], r["total"], r["source_line"]) for r in rows] == [
        ("TOTAL", Decimal("60.00"), 3),
        ("201", Decimal("60.00"), 5),
    ]
    assert findings == []
    assert table.unmodelled == [
        {"table": "表3 一般公共预算支出表", "source_line": 4, "column": 3, "text": "60.00", "label": "某某局/合计"}
    ]


def test_names_printed_without_codes_are_looked_up_within_their_own_group():
    # three groups, most lines by name only: each name is looked up under the class its own group
    # opened above it (津贴补贴 under 30101's class 301), never under another group's; 绩效奖励 is
    # 30107 by this document's own name for it; 其他费用 is no item, and the first of its group
    ctx = Context(2024, phase="final_accounts", known_codes={"economic": {"30107": "绩效奖励"}})
    raw = basic_table(
        "元",
        GROUP_HEADER * 3,
        ["", "工资福利支出", "30.00", "", "商品和服务支出", "6.00", "", "其他费用", "1.00"],
        ["30101", "基本工资", "20.00", "", "办公费", "6.00"],
        ["", "津贴补贴", "6.00"],
        ["", "绩效奖励", "4.00"],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), ctx)
    assert rows == [
        economic("301", "工资福利支出", 1, "personnel", "30.00", 3),
        economic("30101", "基本工资", 2, "personnel", "20.00", 4),
        economic("30102", "津贴补贴", 2, "personnel", "6.00", 5),
        economic("30107", "绩效奖励", 2, "personnel", "4.00", 6),
        economic("302", "商品和服务支出", 1, "public", "6.00", 3),
        economic("30201", "办公费", 2, "public", "6.00", 4),
    ]
    named = [("工资福利支出", "301", 3), ("商品和服务支出", "302", 3)]
    named += [("办公费", "30201", 4), ("津贴补贴", "30102", 5), ("绩效奖励", "30107", 6)]
    inferred = [
        ("info", "inferred-code", f"'{name}' is printed without a code; {code} is the economic item of that name", line)
        for name, code, line in named
    ]
    unplaced = (
        "warning",
        "unplaced-row",
        "row '其他费用' has no code and its name is no economic item; its amounts are 1.00",
        3,
    )
    assert said(findings) == [*inferred[:2], unplaced, *inferred[2:]]
    assert [f.row_key for f in findings] == ["301", "302", "", "30201", "30102", "30107"]
    assert {(f.resource, f.table) for f in findings} == {
        ("basic_expenditure_by_economic", "公开06表 一般公共预算财政拨款基本支出决算表")
    }


def test_lines_printed_before_any_group_line_and_no_total_line():
    # a list without 收入总计 whose first lines print their source in the second column: the row is
    # the department's (合计), and 专项收入 is kept under its own name
    raw = revenue_table(
        "万元",
        ["", "一般公共预算拨款", "80.00"],
        ["", "专项收入", "5.00"],
        ["事业收入", "", "20.00"],
        header=[["项目名称", "", "金额"]],
    )
    table = parse_table(raw, REVENUE)
    rows, findings = map_revenue_by_unit(table, Context(2026))
    assert rows == [
        {
            "unit_code": "TOTAL",
            "unit_name": "合计",
            "general_public_budget": Decimal(800000),
            "business_income": Decimal(200000),
            "source_line": 3,
        }
    ]
    assert [(f.check, f.source_line) for f in findings] == [("revenue-lines", 3)]
    assert table.unmodelled == [
        {"table": "表2 部门收入总表", "source_line": 4, "column": 3, "text": "5.00", "label": "专项收入"}
    ]


def test_units_listed_by_name_with_one_amount_each_are_rows_by_unit_with_each_cell_kept_once():
    # 单位名称 | 合计: a row per unit, printed by name only, each keyed by a stand-in from its name
    raw = revenue_table(
        "元", ["合计", "140.00"], ["某某局", "100.00"], ["某某中心", "40.00"], header=[["单位名称", "合计"]]
    )
    table = parse_table(raw, REVENUE)
    rows, findings = map_revenue_by_unit(table, Context(2026))
    assert rows == [
        {"unit_code": "TOTAL", "unit_name": "合计", "total": Decimal("140.00"), "source_line": 3},
        {"unit_code": fallback_code("某某局"), "unit_name": "某某局", "total": Decimal("100.00"), "source_line": 4},
        {"unit_code": fallback_code("某某中心"), "unit_name": "某某中心", "total": Decimal("40.00"), "source_line": 5},
    ]
    assert [(f.check, f.message, f.source_line, f.row_key) for f in findings] == [
        (
            "inferred-code",
            f"unit '{name}' is printed without a code; it is keyed by {fallback_code(name)}, a stand-in from its name",
            line,
            fallback_code(name),
        )
        for name, line in (("某某局", 4), ("某某中心", 5))
    ]
    assert table.unmodelled == []
    # 单位名称 | 金额: no column of the standard, so no line is a source either; each amount is kept
    # once, under its column (not also under its unit's name)
    raw = revenue_table("元", ["某某局", "100.00"], ["某某中心", "40.00"], header=[["单位名称", "金额"]])
    table = parse_table(raw, REVENUE)
    rows, findings = map_revenue_by_unit(table, Context(2026))
    assert [(r["unit_code"], r["unit_name"], r["source_line"]) for r in rows] == [
        (fallback_code("某某局"), "某某局", 3),
        (fallback_code("某某中心"), "某某中心", 4),
    ]
    assert [f.check for f in findings] == ["inferred-code", "inferred-code"]
    assert table.unmodelled == [
        {"table": "表2 部门收入总表", "source_line": 3, "column": 2, "text": "100.00", "label": "金额"},
        {"table": "表2 部门收入总表", "source_line": 4, "column": 2, "text": "40.00", "label": "金额"},
    ]


def test_a_table_whose_header_names_no_lines_or_that_prints_two_amounts_a_line_is_no_line_list():
    # 预算单位 | 金额 names units, not lines: the 合计 line is the table's total row, its amount kept
    # under 金额 (no field of the standard), not read as the department's total of a line list
    raw = revenue_table("元", ["合计", "140.00"], ["某某局", "140.00"], header=[["预算单位", "金额"]])
    table = parse_table(raw, REVENUE)
    rows, findings = map_revenue_by_unit(table, Context(2026))
    assert rows == [
        {"unit_code": "TOTAL", "unit_name": "合计", "source_line": 3},
        {"unit_code": fallback_code("某某局"), "unit_name": "某某局", "source_line": 4},
    ]
    assert [f.check for f in findings] == ["inferred-code"]
    assert [(c["source_line"], c["label"], c["text"]) for c in table.unmodelled] == [
        (3, "金额", "140.00"),
        (4, "金额", "140.00"),
    ]
    # 项目名称 | 2026年 | 2025年: two amounts on a line, neither is guessed to be the year's total
    raw = revenue_table("元", ["收入总计", "140.00", "130.00"], header=[["项目名称", "2026年", "2025年"]])
    table = parse_table(raw, REVENUE)
    rows, findings = map_revenue_by_unit(table, Context(2026))
    assert rows == [{"unit_code": "TOTAL", "unit_name": "收入总计", "source_line": 3}]
    assert findings == []
    assert [(c["source_line"], c["column"], c["label"], c["text"]) for c in table.unmodelled] == [
        (3, 2, "2026年", "140.00"),
        (3, 3, "2025年", "130.00"),
    ]


def test_the_years_revenue_total_above_the_grand_total_is_the_years_not_the_departments_total():
    # 项目 | 金额 with the sources, then 本年收入合计, 上年结转 and 收入总计 at the bottom
    raw = revenue_table(
        "万元",
        ["一般公共预算拨款", "90.00"],
        ["事业收入", "10.00"],
        ["本年收入合计", "100.00"],
        ["上年结转", "20.00"],
        ["收入总计", "120.00"],
        header=[["项目", "金额"]],
    )
    table = parse_table(raw, REVENUE)
    rows, findings = map_revenue_by_unit(table, Context(2026))
    assert rows == [
        {
            "unit_code": "TOTAL",
            "unit_name": "收入总计",
            "general_public_budget": Decimal(900000),
            "business_income": Decimal(100000),
            "current_year_total": Decimal(1000000),
            "carryover_total": Decimal(200000),
            "total": Decimal(1200000),
            "source_line": 3,
        }
    ]
    assert [(f.check, f.source_line) for f in findings] == [("revenue-lines", 3)]
    assert table.unmodelled == []


def test_a_units_carry_over_line_right_under_it_and_a_unit_printed_by_name_between_coded_ones():
    # each unit's carry-over printed on the line right under it, this one without its code; a unit
    # printed by name only is keyed by its name, not by the code of the unit above; 合计 is last
    raw = revenue_table(
        "元",
        ["157001", "某某局本级", "50.00", "50.00", "50.00", "", "", ""],
        ["", "", "10.00", "", "", "", "10.00", "10.00"],
        ["157002", "某某中心", "40.00", "40.00", "40.00", "", "", ""],
        ["", "某某所", "5.00", "5.00", "5.00", "", "", ""],
        ["157003", "某某站", "5.00", "5.00", "", "5.00", "", ""],
        ["", "合计", "110.00", "100.00", "95.00", "5.00", "10.00", "10.00"],
    )
    rows, findings = map_revenue_by_unit(parse_table(raw, REVENUE), Context(2026))
    stand_in = fallback_code("某某所")
    this_year = ("total", "current_year_total", "general_public_budget")
    assert rows == [
        {
            "unit_code": "157001",
            "unit_name": "某某局本级",
            **dict.fromkeys(this_year, Decimal("50.00")),
            "source_line": 4,
        },
        {
            "unit_code": "157001",
            "unit_name": "",
            "total": Decimal("10.00"),
            "carryover_total": Decimal("10.00"),
            "carryover_general_public_budget": Decimal("10.00"),
            "source_line": 5,
        },
        {
            "unit_code": "157002",
            "unit_name": "某某中心",
            **dict.fromkeys(this_year, Decimal("40.00")),
            "source_line": 6,
        },
        {
            "unit_code": stand_in,
            "unit_name": "某某所",
            **dict.fromkeys(this_year, Decimal("5.00")),
            "source_line": 7,
        },
        {
            "unit_code": "157003",
            "unit_name": "某某站",
            "total": Decimal("5.00"),
            "current_year_total": Decimal("5.00"),
            "business_income": Decimal("5.00"),
            "source_line": 8,
        },
        {
            "unit_code": "TOTAL",
            "unit_name": "合计",
            "total": Decimal("110.00"),
            "current_year_total": Decimal("100.00"),
            "general_public_budget": Decimal("95.00"),
            "business_income": Decimal("5.00"),
            "carryover_total": Decimal("10.00"),
            "carryover_general_public_budget": Decimal("10.00"),
            "source_line": 9,
        },
    ]
    assert [(f.check, f.message, f.source_line, f.row_key) for f in findings] == [
        (
            "inferred-code",
            "line 5 has amounts but no unit code; it stands before 157002 as 157001 did above, so it is read as 157001",
            5,
            "157001",
        ),
        (
            "inferred-code",
            f"unit '某某所' is printed without a code; it is keyed by {stand_in}, a stand-in from its name",
            7,
            stand_in,
        ),
    ]
    assert {(f.resource, f.table) for f in findings} == {("revenue_by_unit", "表2 部门收入总表")}


def test_a_last_line_with_amounts_but_no_code_or_name_is_the_tables_total():
    raw = revenue_table(
        "元",
        ["157001", "某某局本级", "50.00", "50.00", "50.00", "", "", ""],
        ["157002", "某某中心", "40.00", "40.00", "40.00", "", "", ""],
        ["", "", "90.00", "90.00", "90.00", "", "", ""],
    )
    rows, findings = map_revenue_by_unit(parse_table(raw, REVENUE), Context(2026))
    assert [(r["unit_code"], r["unit_name"], r["total"], r["source_line"]) for r in rows] == [
        ("157001", "某某局本级", Decimal("50.00"), 4),
        ("157002", "某某中心", Decimal("40.00"), 5),
        ("TOTAL", "合计", Decimal("90.00"), 6),
    ]
    assert findings == []


# --- a table's columns and rows (parse.py) -------------------------------------------------------


def raw_table(title: str, unit: str, *lines: list[str]) -> RawTable:
    return RawTable(title, "表3", unit, 1, [Row(2 + k, cells) for k, cells in enumerate(lines)])


def printed(rows) -> list[tuple[int, str, list[str], list[str]]]:
    return [(r.line, r.code, r.texts, r.amounts) for r in rows]


def test_a_performance_form_and_a_summary_are_read_from_their_lines_not_split_into_rows():
    form = Kind("performance_targets", "performance_targets")
    raw = raw_table("项目支出绩效目标表", "万元", ["项目名称", "某某项目"], ["年度目标", "完成 3 项", "10.00"])
    assert parse_table(raw, form) == ParsedTable(raw, form, [], [], 0, False, [], [])
    summary = Kind("budget_summary", "budget_summary")
    raw = raw_table(
        "收支总表",
        "万元",
        ["收入", "", "支出", ""],
        ["项目", "预算数", "项目", "预算数"],
        ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "100.00"],
        ["项目", "预算数", "项目", "预算数"],
        ["收入总计", "100.00", "支出总计", "100.00"],
    )
    table = parse_table(raw, summary)
    assert (table.rows, table.repairs) == ([], [])
    assert table.paths == [("收入", "项目"), ("收入", "预算数"), ("支出", "项目"), ("支出", "预算数")]


def test_coded_rows_with_a_header_printed_again_and_codes_printed_with_their_names():
    raw = raw_table(
        "一般公共预算支出表",
        "万元",
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["", "合计", "10.00", "6.00", "4.00"],
        ["2050803-培训支出", "", "4.00", "", "4.00"],
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["", "2010301-行政运行", "6.00", "6.00", ""],
    )
    table = parse_table(raw, Kind("expenditure_by_function", "expenditure_by_function", "general_public_budget"))
    assert (table.fields, table.paths) == (["total", "basic", "project"], [("合计",), ("基本支出",), ("项目支出",)])
    assert (table.n_text, table.has_code_column) == (2, True)
    assert printed(table.rows) == [
        (3, "", ["合计"], ["10.00", "6.00", "4.00"]),
        (4, "2050803", ["培训支出"], ["4.00", "", "4.00"]),
        (6, "2010301", ["行政运行"], ["6.00", "6.00", ""]),
    ]
    assert table.repairs == [
        Repair(5, "line 5 repeats the table's header (科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出): not a row")
    ]


def test_class_item_and_sub_item_columns_and_an_unlabelled_name_column():
    # 类 | 款 | 项 under 科目编码; the name column lost its label: it is text, not an amount; a 款
    # or 项 printed alone is read under the class (and 款) printed above it
    raw = raw_table(
        "支出决算表",
        "万元",
        ["科目编码", "", "", "", "合计"],
        ["类", "款", "项", "", ""],
        ["201", "", "", "一般公共服务支出", "10.00"],
        ["", "03", "", "政府办公厅（室）及相关机构事务", "10.00"],
        ["", "", "01", "行政运行", "10.00"],
    )
    table = parse_table(raw, Kind("expenditure_by_function", "expenditure_by_function", "all_funds"))
    assert (table.fields, table.paths, table.n_text, table.has_code_column) == (["total"], [("合计",)], 4, True)
    assert printed(table.rows) == [
        (4, "201", ["一般公共服务支出"], ["10.00"]),
        (5, "20103", ["政府办公厅（室）及相关机构事务"], ["10.00"]),
        (6, "2010301", ["行政运行"], ["10.00"]),
    ]
    assert table.repairs == [
        Repair(
            line,
            f"line {line} prints the code parts {part} under the class and 款 printed above it: read as {code}",
            check="inferred-code",
        )
        for line, part, code in ((5, "03", "20103"), (6, "01", "2010301"))
    ]


def test_carry_over_labels_shifted_one_column_right_are_laid_back():
    # 其他收入 (the year's last source) slid under 上年结转结余: the group's leaves are read from its
    # first column, and the header's last line (栏次) says so
    raw = raw_table(
        "部门收入总表",
        "万元",
        ["单位代码", "单位名称", "合计", "本年收入", "", "上年结转结余", "", ""],
        ["", "", "", "小计", "一般公共预算", "其他收入", "小计", "一般公共预算"],
        ["", "栏次", "1", "2", "3", "4", "5", "6"],
        ["101001", "某某局", "10.00", "8.00", "8.00", "2.00", "2.00", ""],
    )
    table = parse_table(raw, REVENUE)
    assert table.fields == [
        "total",
        "current_year_total",
        "general_public_budget",
        "carryover_total",
        "carryover_general_public_budget",
        None,
    ]
    assert (table.n_text, table.has_code_column) == (2, True)
    assert printed(table.rows) == [(5, "101001", ["某某局"], ["10.00", "8.00", "8.00", "2.00", "2.00", ""])]
    assert table.repairs == [
        Repair(
            4,
            "the header puts '上年结转结余/其他收入' under 上年结转结余, where it cannot be; the group's labels were "
            "read as shifted one column right by the extraction and laid back from the group's first column",
        )
    ]


def test_a_second_code_group_is_the_government_economic_classification():
    # Yantai: 部门预算 科目编码 (类 | 款) | 名称, then 政府预算 科目编码 (类 | 款) | 名称
    raw = raw_table(
        "一般公共预算基本支出情况表",
        "万元",
        [
            "科目编码",
            "",
            "部门预算支出经济分类科目名称",
            "科目编码",
            "",
            "政府预算支出经济分类科目名称",
            "基本支出预算",
        ],
        ["类", "款", "", "类", "款", "", "小计"],
        ["301", "", "工资福利支出", "501", "", "机关工资福利支出", "8.00"],
        ["301", "01", "基本工资", "501", "01", "工资奖金津补贴", "5.00"],
    )
    table = parse_table(raw, BASIC)
    assert (table.fields, table.n_text, table.has_code_column) == (["total"], 6, True)
    assert printed(table.rows) == [(4, "301", ["工资福利支出"], ["8.00"]), (5, "30101", ["基本工资"], ["5.00"])]
    assert [r.alt_code for r in table.rows] == ["501-机关工资福利支出", "50101-工资奖金津补贴"]
    assert table.repairs == []


def test_the_totals_carry_over_line_before_the_first_units_is_a_second_line_of_the_total():
    # no department line: the carry-over lines follow the units, the total's first and without a
    # label; it stands before the first unit's, so no unit's code is read into it
    raw = revenue_table(
        "元",
        ["", "合计", "100.00", "90.00", "90.00", "", "10.00", "10.00"],
        ["157001", "某某局本级", "50.00", "50.00", "50.00", "", "", ""],
        ["157002", "某某中心", "40.00", "40.00", "40.00", "", "", ""],
        ["", "", "10.00", "", "", "", "10.00", "10.00"],
        ["157001", "", "10.00", "", "", "", "10.00", "10.00"],
    )
    rows, findings = map_revenue_by_unit(parse_table(raw, REVENUE), Context(2026))
    assert [(r["unit_code"], r["unit_name"], r["total"], r.get("carryover_total"), r["source_line"]) for r in rows] == [
        ("TOTAL", "合计", Decimal("100.00"), Decimal("10.00"), 4),
        ("157001", "某某局本级", Decimal("50.00"), None, 5),
        ("157002", "某某中心", Decimal("40.00"), None, 6),
        ("TOTAL", "合计", Decimal("10.00"), Decimal("10.00"), 7),
        ("157001", "", Decimal("10.00"), Decimal("10.00"), 8),
    ]
    assert findings == []


THREE_PUBLIC = Kind("three_public_expenses", "three_public_expenses")


def test_amounts_in_yuan_with_split_digits_joined_and_other_columns_kept_at_their_printed_place():
    # a view of five of the table's columns (a basis of a “三公” table): 合计 in 万元 with its digits
    # split by a space, 上年 (no field) printed in column 9, 会议费, an unlabelled column, and one past
    # the header (labelled '?'); a cell past the table's columns is reported
    raw = RawTable("财政拨款“三公”经费支出表", "表7", "万元", 1, [Row(10, ["2026"])])
    table = ParsedTable(
        raw,
        THREE_PUBLIC,
        ["total", None, "meetings", None, None],
        [("合计",), ("上年", "合计"), ("会议费",), ()],
        1,
        False,
        [],
        [],
    )
    row = BodyRow(10, "", ["2026"], ["1 234.50", "2.00", "3.00", "5.00", "6.00"], extra=[(5, "9.00")])
    values, findings = _amounts(table, row, "three_public_expenses", "2026", columns=[0, 7, 8, 9])
    assert values == {"total": Decimal("12345000"), "meetings": Decimal(30000)}
    assert [(f.severity, f.check, f.message, f.field, f.value) for f in findings] == [
        ("info", "repaired-amount", "column '合计': digits split by spaces '1 234.50' joined", "total", "1 234.50"),
        (
            "warning",
            "unmapped-cell",
            "the amount 5.00 in column '(no header)' has no field in the standard",
            "",
            "5.00",
        ),
        ("warning", "extra-cell", "the row has a cell beyond the table's columns: '9.00'", "", "9.00"),
    ]
    assert {(f.resource, f.row_key, f.source_line, f.table) for f in findings} == {
        ("three_public_expenses", "2026", 10, "表7 财政拨款“三公”经费支出表")
    }
    assert table.unmodelled == [
        {"table": "表7 财政拨款“三公”经费支出表", "source_line": 10, "column": 9, "text": "2.00", "label": "上年/合计"},
        {"table": "表7 财政拨款“三公”经费支出表", "source_line": 10, "column": 6, "text": "6.00", "label": "?"},
    ]


def test_a_dash_printed_more_than_once_in_any_width_is_none_and_kept_rows_are_labelled_by_prefix():
    # the table prints '-' and its full-width form '－' for none: one mark, three times; '—' and '/'
    # once each are gaps; each finding names its column's field, or none for a column without one
    raw = RawTable(
        "", "", "元", 1, [Row(3, ["", "合计", "-", "-", "—", "/"]), Row(4, ["", "其他", "－", "", "", "5.00"])]
    )
    assert [placeholder_cells(raw, mark) for mark in ("-", "—", "/", "--")] == [3, 1, 1, 0]
    paths = [("人员经费",), ("备注",), ("公用经费",), ("其他",)]
    table = ParsedTable(raw, BASIC, ["personnel", None, "public", None], paths, 2, True, [], [])
    row = BodyRow(3, "", ["合计"], ["-", "-", "—", "/"])
    values, findings = _amounts(table, row, "basic_expenditure_by_economic", "TOTAL")
    assert values == {}
    none = "read as no amount; the table prints it for none in 3 cells"
    gap = "is a placeholder, not a number (read as blank)"
    assert [(f.severity, f.check, f.message, f.field, f.value) for f in findings] == [
        ("info", "placeholder", f"column '人员经费': '-' {none}", "personnel", "-"),
        ("info", "placeholder", f"column '备注': '-' {none}", "", "-"),
        ("warning", "unreadable-amount", f"column '公用经费': '—' {gap}", "public", "—"),
        ("warning", "unreadable-amount", f"column '其他': '/' {gap}", "", "/"),
    ]
    assert {(f.resource, f.row_key, f.source_line, f.table) for f in findings} == {
        ("basic_expenditure_by_economic", "TOTAL", 3, "")
    }
    assert table.ref == ""
    assert ParsedTable(RawTable("部门收入总表", "", "元", 1), REVENUE, [], [], 0, False, [], []).ref == "部门收入总表"
    table.keep_amounts(BodyRow(4, "", ["其他"], ["", "", "", " 5.00 "]), "part 2")
    assert table.unmodelled == [
        {"table": "(untitled)", "source_line": 4, "column": 6, "text": "5.00", "label": "part 2/其他"}
    ]


def test_a_line_whose_name_slid_into_an_amount_column_is_reported_with_its_amounts():
    # the extraction put 某某局 one column right, past the code and name columns: the line has no
    # unit code and no name where the table prints it, so it is reported, not guessed
    raw = revenue_table(
        "元",
        ["", "合计", "10.00", "10.00", "10.00", "", "", ""],
        ["", "", "某某局", "10.00", "10.00", "10.00", "", "", ""],
        ["157001", "某某局本级", "10.00", "10.00", "10.00", "", "", ""],
    )
    rows, findings = map_revenue_by_unit(parse_table(raw, REVENUE), Context(2026))
    assert [(r["unit_code"], r["total"], r["source_line"]) for r in rows] == [
        ("TOTAL", Decimal("10.00"), 4),
        ("157001", Decimal("10.00"), 6),
    ]
    assert [(f.severity, f.check, f.message, f.source_line, f.resource, f.table, f.value) for f in findings] == [
        (
            "warning",
            "unplaced-row",
            "row '某某局' has no unit code; its amounts are 10.00 10.00 10.00",
            5,
            "revenue_by_unit",
            "表2 部门收入总表",
            "10.00 10.00 10.00",
        )
    ]


def test_side_by_side_groups_only_where_each_name_column_has_a_code_before_and_an_amount_after():
    data = ["301", "工资福利支出", "1.00", "302", "商品和服务支出", "2.00"]
    # Wuhan's final accounts label the code columns 经 济 (no 编码): the halves named above tell
    named = basic_table("万元", ["人员经费", "", "", "公用经费", "", ""], ["经 济", "科目名称", "决算数"] * 2, data)
    assert side_by_side_groups(named) == [SideGroup(0, 1, 2, "personnel"), SideGroup(3, 4, 5, "public")]
    # budgets print one row per code with both halves as columns: one group, not side by side
    one = basic_table(
        "万元", ["科目编码", "科目名称", "合计", "人员经费", "公用经费"], ["301", "工资福利支出", "1", "1", ""]
    )
    assert side_by_side_groups(one) == []
    # a half named over one group and another heading over the other: not this layout
    mixed = basic_table("万元", ["人员经费", "", "", "其他经费", "", ""], GROUP_HEADER * 2, data)
    assert side_by_side_groups(mixed) == []
    # 部门预算 and 政府预算 code | name pairs before one amount: the first name has a code after it
    pairs = basic_table("万元", ["科目编码", "科目名称", "科目编码", "科目名称", "金额"], data[:5])
    assert side_by_side_groups(pairs) == []
    # a name column first or last has no code before or no amount after it
    edges = basic_table(
        "万元",
        ["科目名称", "决算数", "科目编码", "科目名称", "决算数", "项目名称"],
        ["工资福利支出", "1.00", "302", "商品和服务支出", "2.00", ""],
    )
    assert side_by_side_groups(edges) == []
    # no header at all
    assert side_by_side_groups(basic_table("万元", data)) == []
    # 代码 is a code column as 编码 is, before a name and not as an amount after one
    coded = basic_table("万元", ["经济分类科目代码", "科目名称", "决算数"] * 2, data)
    assert side_by_side_groups(coded) == [SideGroup(0, 1, 2, ""), SideGroup(3, 4, 5, "")]
    pairs = basic_table("万元", ["部门预算科目代码", "科目名称", "政府预算科目代码", "科目名称", "金额"], data[:5])
    assert side_by_side_groups(pairs) == []
    # a second name column after a name is no amount either
    names = ["科目编码", "科目名称", "单位名称", "金额", "科目编码", "科目名称", "金额"]
    assert (
        side_by_side_groups(
            basic_table("万元", names, ["301", "工资福利支出", "某某局", "1.00", "302", "办公费", "2.00"])
        )
        == []
    )


def test_basic_expenditure_printed_one_row_per_code_has_both_halves_as_columns():
    raw = basic_table(
        "万元",
        ["部门预算支出经济分类科目", "", "本年一般公共预算基本支出", "", ""],
        ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["", "合计", "15.00", "10.00", "5.00"],
        ["301", "工资福利支出", "10.00", "10.00", ""],
        ["30101", "基本工资", "10.00", "10.00", ""],
        ["302", "商品和服务支出", "5.00", "", "5.00"],
        ["3029", "办公", "5.00", "", "5.00"],
    )
    rows, findings = map_basic_by_economic(parse_table(raw, BASIC), Context(2026))

    def line(code: str, name: str, level: int, line: int, **amounts: int) -> dict[str, object]:
        figures = {f: Decimal(a) for f, a in amounts.items()}
        return {"economic_code": code, "economic_name": name, "level": level, **figures, "source_line": line}

    assert rows == [
        line("TOTAL", "合计", 0, 4, total=150000, personnel=100000, public=50000),
        line("301", "工资福利支出", 1, 5, total=100000, personnel=100000),
        line("30101", "基本工资", 2, 6, total=100000, personnel=100000),
        line("302", "商品和服务支出", 1, 7, total=50000, public=50000),
    ]
    assert [(f.check, f.message, f.source_line, f.resource) for f in findings] == [
        (
            "unplaced-row",
            "row '3029 办公' has a code of unexpected length 4; its amounts are 5.00 5.00",
            8,
            "basic_expenditure_by_economic",
        )
    ]


def test_text_columns_read_by_their_roles_when_the_unit_or_the_name_comes_before_the_code():
    kind = Kind("expenditure_by_function", "expenditure_by_function", "general_public_budget")
    raw = raw_table(
        "一般公共预算支出表",
        "万元",
        ["单位名称", "科目编码", "科目名称", "合计"],
        ["某某局", "", "", "10.00"],
        ["", "201", "一般公共服务支出", "10.00"],
    )
    table = parse_table(raw, kind)
    assert (table.fields, table.n_text, table.has_code_column) == (["total"], 3, True)
    assert printed(table.rows) == [(3, "", [], ["10.00"]), (4, "201", ["一般公共服务支出"], ["10.00"])]
    assert [r.unit for r in table.rows] == ["某某局", ""]
    raw = raw_table(
        "一般公共预算支出表", "万元", ["科目名称", "科目编码", "合计"], ["一般公共服务支出", "201", "10.00"]
    )
    table = parse_table(raw, kind)
    assert (table.fields, table.n_text, table.has_code_column) == (["total"], 2, True)
    assert printed(table.rows) == [(3, "201", ["一般公共服务支出"], ["10.00"])]


def test_a_table_printed_without_a_header_has_as_many_unlabelled_amount_columns_as_its_longest_line():
    raw = raw_table("“三公”经费支出表", "万元", ["10.00", "2.00", "5.00", "3.00"], ["9.00", "2.00", "4.00"])
    table = parse_table(raw, THREE_PUBLIC)
    assert (table.fields, table.paths, table.n_text, table.has_code_column) == ([None] * 4, [()] * 4, 0, False)
    assert printed(table.rows) == [
        (2, "", [], ["10.00", "2.00", "5.00", "3.00"]),
        (3, "", [], ["9.00", "2.00", "4.00", ""]),
    ]
    assert table.repairs == []


def test_the_last_column_number_slid_onto_the_total_line_is_no_amount():
    # the 栏次 line prints 1 2 and its 3 fell onto the 合计 line below
    raw = raw_table(
        "支出决算表",
        "万元",
        ["项目", "", "本年支出合计", "基本支出", "项目支出"],
        ["功能分类科目编码", "科目名称", "", "", ""],
        ["栏次", "", "1", "2"],
        ["合计", "", "", "", "3"],
        ["201", "一般公共服务支出", "10.00", "6.00", "4.00"],
    )
    table = parse_table(raw, Kind("expenditure_by_function", "expenditure_by_function", "all_funds"))
    assert (table.fields, table.n_text, table.has_code_column) == (["total", "basic", "project"], 2, True)
    assert printed(table.rows) == [
        (5, "", ["合计"], ["", "", ""]),
        (6, "201", ["一般公共服务支出"], ["10.00", "6.00", "4.00"]),
    ]
    assert table.repairs == [
        Repair(
            5,
            "line 5 holds 3 where the 栏次 line stops at 2: read as column numbers the extraction moved down, "
            "not as amounts",
            value="3",
            check="column-numbers",
        )
    ]


def test_a_revenue_table_printed_without_a_header_reports_each_amount():
    # no header line: no column has a field, so the line is the table's total with every amount
    # reported, not read as a list of lines
    raw = revenue_table("元", ["100.00", "80.00", "20.00"], header=[])
    rows, findings = map_revenue_by_unit(parse_table(raw, REVENUE), Context(2026))
    assert rows == [{"unit_code": "TOTAL", "unit_name": "合计", "source_line": 2}]
    assert [(f.check, f.message, f.source_line, f.value) for f in findings] == [
        ("unmapped-cell", f"the amount {amount} in column '(no header)' has no field in the standard", 2, amount)
        for amount in ("100.00", "80.00", "20.00")
    ]
    assert {(f.resource, f.row_key, f.table) for f in findings} == {("revenue_by_unit", "TOTAL", "表2 部门收入总表")}


def test_vehicle_columns_cut_short_are_read_in_the_templates_order_noted_on_the_headers_last_line():
    raw = raw_table(
        "财政拨款“三公”经费支出决算表",
        "万元",
        ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"],
        ["", "", "小计", "公务用车", "公务用车", ""],
        ["10.00", "", "9.36", "", "9.36", "0.64"],
    )
    table = parse_table(raw, THREE_PUBLIC)
    assert table.fields[3:5] == ["vehicle_purchase", "vehicle_operation"]
    assert table.repairs == [
        Repair(
            3,
            "the columns 公务用车购置及运行维护费/公务用车, 公务用车购置及运行维护费/公务用车 lost the words that tell "
            "购置费 from 运行维护费; read in the template's order as vehicle_purchase and vehicle_operation",
            check="truncated-label",
        )
    ]
    assert printed(table.rows) == [(4, "", [], ["10.00", "", "9.36", "", "9.36", "0.64"])]


def test_a_table_of_codes_and_names_only_has_no_amount_column():
    raw = raw_table("一般公共预算支出表", "万元", ["科目编码", "科目名称"], ["201", "一般公共服务支出"])
    table = parse_table(raw, Kind("expenditure_by_function", "expenditure_by_function", "general_public_budget"))
    assert (table.fields, table.paths, table.n_text, table.has_code_column) == ([], [], 2, True)
    assert printed(table.rows) == [(3, "201", ["一般公共服务支出"], [])]


def test_a_unit_column_before_class_and_item_columns_is_read_by_roles():
    # 单位名称 | 科目编码 (类 | 款) | 科目名称 | 合计: the unit's line, then its codes in parts
    raw = raw_table(
        "支出决算表",
        "万元",
        ["单位名称", "科目编码", "", "科目名称", "合计"],
        ["", "类", "款", "", ""],
        ["某某局", "", "", "", "10.00"],
        ["", "201", "", "一般公共服务支出", "10.00"],
        ["", "", "03", "政府办公厅（室）及相关机构事务", "10.00"],
    )
    table = parse_table(raw, Kind("expenditure_by_function", "expenditure_by_function", "all_funds"))
    assert (table.fields, table.n_text, table.has_code_column) == (["total"], 4, True)
    assert printed(table.rows) == [
        (4, "", [], ["10.00"]),
        (5, "201", ["一般公共服务支出"], ["10.00"]),
        (6, "20103", ["政府办公厅（室）及相关机构事务"], ["10.00"]),
    ]
    assert [r.unit for r in table.rows] == ["某某局", "", ""]
    assert table.repairs == [
        Repair(
            6,
            "line 6 prints the code parts 03 under the class and 款 printed above it: read as 20103",
            check="inferred-code",
        )
    ]


def test_class_and_item_columns_with_an_unlabelled_name_column_and_the_header_printed_again():
    raw = raw_table(
        "一般公共预算基本支出表",
        "元",
        ["科目编码", "", "", "合计"],
        ["类", "款", "", ""],
        ["301", "", "工资福利支出", "10.00"],
        ["类", "款", "", ""],
        ["", "01", "基本工资", "6.00"],
    )
    table = parse_table(raw, BASIC)
    assert (table.fields, table.n_text, table.has_code_column) == (["total"], 3, True)
    assert printed(table.rows) == [(4, "301", ["工资福利支出"], ["10.00"]), (6, "30101", ["基本工资"], ["6.00"])]
    assert table.repairs == [
        Repair(5, "line 5 repeats the table's header (类 | 款): not a row"),
        Repair(
            6,
            "line 6 prints the code parts 01 under the class and 款 printed above it: read as 30101",
            check="inferred-code",
        ),
    ]


def test_with_one_code_column_an_unlabelled_column_after_the_name_holds_amounts():
    raw = raw_table(
        "一般公共预算支出表",
        "元",
        ["科目编码", "科目名称", "", "合计"],
        ["201", "一般公共服务支出", "3.00", "10.00"],
    )
    table = parse_table(raw, Kind("expenditure_by_function", "expenditure_by_function", "general_public_budget"))
    assert (table.fields, table.paths, table.n_text) == ([None, "total"], [(), ("合计",)], 2)
    assert printed(table.rows) == [(3, "201", ["一般公共服务支出"], ["3.00", "10.00"])]


def test_a_project_name_that_starts_with_years_is_no_code_in_a_table_without_a_code_column():
    raw = raw_table("项目支出表", "万元", ["项目名称", "金额"], ["2025-2026年度信息系统运维", "10.00"])
    table = parse_table(raw, Kind("projects", "projects"))
    assert (table.n_text, table.has_code_column) == (1, False)
    assert printed(table.rows) == [(3, "", ["2025-2026年度信息系统运维"], ["10.00"])]


def test_a_cell_past_the_header_of_a_crossed_table_is_kept_under_no_label():
    # 支出总表 crossing function and economic codes (Beijing's 预算03表), read from its lines: a
    # line printing one cell more than the header has columns keeps it as printed, labelled '?'
    crossed = Kind("expenditure_by_function_and_economic", "expenditure_by_function_and_economic")
    raw = raw_table(
        "支出总表",
        "万元",
        ["功能分类科目", "部门经济分类科目", "合计", "基本支出", "项目支出"],
        ["2010801-行政运行", "30101-基本工资", "10.00", "10.00", "", "1.00"],
    )
    table = parse_table(raw, crossed)
    assert (table.fields, table.n_text, table.has_code_column, table.rows) == (
        ["total", "basic", "project"],
        2,
        True,
        [],
    )
    rows, findings = map_function_and_economic(table, Context(2026))
    assert rows == [
        {
            "scope": None,
            "function_code": "2010801",
            "function_name": "行政运行",
            "economic_code": "30101",
            "economic_name": "基本工资",
            "total": Decimal(100000),
            "basic": Decimal(100000),
            "source_line": 3,
        }
    ]
    assert findings == []
    assert table.unmodelled == [{"table": "表3 支出总表", "source_line": 3, "column": 6, "text": "1.00", "label": "?"}]


def test_a_unit_column_without_a_code_column_is_no_code_column():
    # 单位名称 | 科目名称 | 合计: the rows are split by their columns' roles, none of them a code
    raw = raw_table(
        "一般公共预算支出表", "万元", ["单位名称", "科目名称", "合计"], ["某某局", "一般公共服务支出", "10.00"]
    )
    table = parse_table(raw, Kind("expenditure_by_function", "expenditure_by_function", "general_public_budget"))
    assert (table.fields, table.n_text, table.has_code_column) == (["total"], 2, False)
    assert printed(table.rows) == [(3, "", ["一般公共服务支出"], ["10.00"])]
    assert [r.unit for r in table.rows] == ["某某局"]
