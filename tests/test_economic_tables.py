"""Tables by economic classification across regional templates (基本支出表 and its variants).

Expected values are read by hand from the printed pages (text taken with pypdfium2 and checked
against the page layout):
- tests/data/national-final-accounts-template-2024.pdf, page 11: the Ministry of Finance's
  一般公共预算财政拨款基本支出决算表, two 经济分类科目编码 | 科目名称 | 决算数 groups, no amounts;
- tests/data/shanghai-putuo-planning-natural-resources-bureau-2024-final-accounts.pdf, page 16:
  the same layout filled in (万元);
- lines transcribed from Beijing's 预算06表 一般公共预算基本支出表 (corpus beijing-002, beijing-017)
  for the row-level repairs, and Shenzhen's 基本支出总表 names (corpus shenzhen-006).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from converter.codes import codes_by_name
from converter.layout import column_paths, drop_repeated_header, rejoin, split_by_roles
from converter.pipeline import _dedupe, convert_source
from converter.read import read_disclosure
from converter.recognize import column_field, recognize
from converter.segment import Row
from tests.conftest import FINAL_2024, convert_text, find, wan

DATA = Path(__file__).resolve().parent / "data"
NATIONAL = DATA / "national-final-accounts-template-2024.pdf"
PUTUO = DATA / "shanghai-putuo-planning-natural-resources-bureau-2024-final-accounts.pdf"
BASIC = "basic_expenditure_by_economic"


@pytest.fixture(scope="module")
def national():
    return convert_source(read_disclosure([NATIONAL]))


@pytest.fixture(scope="module")
def putuo():
    return convert_source(read_disclosure([PUTUO]))


def _gaps(conversion, resource: str) -> list[str]:
    return [f.message for f in conversion.findings if f.severity == "error" and f.resource == resource]


def test_national_template_basic_table_has_every_code_and_no_gap(national):
    """Empty amounts stay empty: 27 codes under 人员经费, 38 under 公用经费, and the 合计 line."""
    rows = national.resources[BASIC]
    assert _gaps(national, BASIC) == []
    assert len(rows) == 66
    assert {r["economic_code"] for r in rows if r["level"] == 1} == {"301", "302", "303", "310"}
    for code in ("30101", "30199", "30399", "30240", "31099"):
        row = find(rows, economic_code=code)
        assert row["total"] is None and row["personnel"] is None and row["public"] is None
    assert find(rows, economic_code="30302")["economic_name"] == "退休费"
    assert find(rows, economic_code="31022")["economic_name"] == "无形资产购置"
    total = find(rows, economic_code="TOTAL")
    assert total["personnel"] is None and total["public"] is None and total["source_line"] > 0
    statuses = {t.title: t.status for t in national.tables}
    assert statuses["一般公共预算财政拨款基本支出决算表"] == "converted"


def test_side_by_side_groups_told_by_their_total_lines(putuo):
    """No 人员经费 | 公用经费 heading over the groups: each group's 合计 line names its half."""
    rows = putuo.resources[BASIC]
    assert _gaps(putuo, BASIC) == []
    salary = find(rows, economic_code="30101")
    assert salary["economic_name"] == "基本工资"
    assert salary["total"] == wan("537.64") and salary["personnel"] == wan("537.64") and salary["public"] is None
    assert find(rows, economic_code="301")["personnel"] == wan("4816.14")
    assert find(rows, economic_code="30302")["personnel"] == wan("67.96")
    office = find(rows, economic_code="30201")
    assert office["public"] == wan("84.62") and office["personnel"] is None
    assert find(rows, economic_code="30229")["public"] == wan("73.19")
    assert find(rows, economic_code="31002")["public"] == wan("39.76")
    assert find(rows, economic_code="30202")["public"] == Decimal("0.00")  # printed 0.00, not blank
    total = find(rows, economic_code="TOTAL")
    assert total["personnel"] == wan("4884.09") and total["public"] == wan("480.66") and total["total"] is None


def test_putuo_final_accounts_basic_table_cells_all_placed(putuo):
    cells = [c for c in putuo.resources["unmodelled_cells"] if "基本支出" in str(c["table"])]
    assert cells == []


def test_wrapped_name_tail_before_next_code_joins_the_row_above():
    """Beijing 预算06表: '机关事业单位基本养老保险' / '缴费' wrapped, and the extraction put '缴费'
    before the next row's code: '缴费30109-职业年金缴费'."""
    roles: list[str | None] = ["alt_code", "code"]
    lines = [
        Row(221, ["50102-社会保障缴费", "30108-机关事业单位基本养老保险", "768.170688", "768.170688", ""]),
        Row(222, ["50102-社会保障缴费", "缴费30109-职业年金缴费", "384.085344", "384.085344", ""]),
    ]
    rows, repairs = rejoin([split_by_roles(line, roles, 3) for line in lines])
    assert [(r.code, r.name) for r in rows] == [("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费")]
    assert rows[1].amounts[:2] == ["384.085344", "384.085344"]
    assert any("'缴费'" in r.message and r.line == 221 for r in repairs)


def test_code_and_name_cell_without_a_lead_is_unchanged():
    row = split_by_roles(
        Row(5, ["50201-办公经费", "30201-办公费", "77.100000", "", "77.100000"]), ["alt_code", "code"], 3
    )
    assert (row.code, row.name, row.carried, row.alt_code) == ("30201", "办公费", "", "50201-办公经费")


def test_header_repeated_after_a_page_break_is_not_a_row():
    """Beijing 预算06表 (beijing-017, lines 522-523) prints its two header lines again on the next page."""
    header = [
        Row(486, ["政府支出经济分类科目", "部门支出经济分类科目", "预算数", "", ""]),
        Row(487, ["", "", "合计", "人员经费", "公用经费"]),
    ]
    body = [
        Row(520, ["50501-工资福利支出", "30108-机关事业单位基本养老保险缴费", "2,199.555585", "2,199.555585", ""]),
        Row(522, ["政府支出经济分类科目", "部门支出经济分类科目", "预算数", "", ""]),
        Row(523, ["", "", "合计", "人员经费", "公用经费"]),
        Row(524, ["50501-工资福利支出", "30109-职业年金缴费", "1,071.514049", "1,071.514049", ""]),
    ]
    kept, notes = drop_repeated_header(header, body)
    assert [r.line for r in kept] == [520, 524]
    assert [n.line for n in notes] == [522, 523]


def test_capital_class_for_construction_names_its_items():
    """Shenzhen 基本支出总表 prints names only; 办公设备购置 under 资本性支出（基本建设） is 30902."""
    rows = [("", "资本性支出"), ("", "办公设备购置"), ("", "资本性支出 （基本建设）"), ("", "办公设备购置")]
    assert codes_by_name(rows, "economic", 2026) == ["310", "31002", "309", "30902"]


def test_basic_table_by_function_is_not_an_economic_table():
    """Xi'an prints 基本支出明细表 twice: by functional and by economic classification."""
    by_function = recognize("表7 部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）")
    assert by_function is not None and by_function.name == "basic_expenditure_by_function"
    assert by_function.resource is None
    by_economic = recognize("表8 部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）")
    assert by_economic is not None and by_economic.name == BASIC
    assert recognize("一般公共预算基本支出表").name == BASIC  # type: ignore[union-attr]


def test_total_labels_in_the_name_column():
    """Foshan's 表6 prints '人员经费合计' and '公用经费合计' in the name columns of their groups
    (| 人员经费合计 | 649.20 | | 公用经费合计 | 97.19): the same line, moved onto the Wuhan sample."""
    text = FINAL_2024.read_text(encoding="utf-8")
    printed = "人员经费合计\t\t2,582.75\t公用经费合计\t\t\t\t\t285.07"
    assert printed in text
    conversion = convert_text(text.replace(printed, "\t人员经费合计\t2,582.75\t\t公用经费合计\t\t\t\t285.07"))
    total = find(conversion.resources[BASIC], economic_code="TOTAL")
    assert total["personnel"] == wan("2,582.75") and total["public"] == wan("285.07")
    assert _gaps(conversion, BASIC) == []


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("金额",), "total"),  # Jiangsu 公开 06 表 财政拨款基本支出预算表（经济科目）
        (("基本支出",), "total"),  # Jiangsu 公开 08 表 一般公共预算基本支出预算表（经济科目）
        (("预算数",), "total"),  # Fuzhou 一般公共预算基本支出经济分类情况表
        (("基本支出预算", "小计"), "total"),  # Yantai 一般公共预算基本支出情况表
        (("基本支出预算", "人员支出"), "personnel"),
        (("基本支出预算", "日常公用支出"), "public"),
        (("预算数", "人员经费"), "personnel"),  # Beijing 预算06表
        (("预算数", "合计"), "total"),
        (("财政拨款", "小计"), None),  # Shenzhen 基本支出总表: a fund column, kept as printed
        (("政府经济科目编码",), "alt_code"),  # Xi'an 表8
        (("政府经济科目名称",), "alt_name"),
        (("部门经济科目编码",), "code"),
        (("部门经济科目名称",), "name"),
    ],
)
def test_basic_table_columns(path, field):
    assert column_field(BASIC, path) == field


def test_government_code_and_name_columns_make_one_value():
    """Xi'an 表8 prints 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称 (line 523 of its text)."""
    line = Row(523, ["30101", "基本工资", "50101", "工资奖金津补贴", "7,678,981.80", "7,678,981.80", "", ""])
    row = split_by_roles(line, ["code", "name", "alt_code", "alt_name"], 4)
    assert (row.code, row.name, row.alt_code) == ("30101", "基本工资", "50101-工资奖金津补贴")
    assert row.amounts[:2] == ["7,678,981.80", "7,678,981.80"]
    class_line = Row(522, ["301", "工资福利支出", "", "", "32,493,937.03", "32,493,937.03", "", ""])
    row = split_by_roles(class_line, ["code", "name", "alt_code", "alt_name"], 4)
    assert (row.code, row.name, row.alt_code) == ("301", "工资福利支出", "")


def test_same_figures_in_two_basic_tables_are_not_a_gap():
    """Jiangsu prints 财政拨款 and 一般公共预算 basic tables with the same figures (301: 16,324.07)."""
    first = {"economic_code": "301", "government_economic_code": None, "total": wan("16,324.07"), "source_line": 245}
    same = dict(first, source_line=310)
    other = dict(first, total=wan("16,000.00"), source_line=400)
    findings: list = []
    kept = _dedupe(BASIC, [first, same, other], findings)
    assert kept == [first]
    assert [(f.severity, f.source_line) for f in findings] == [("info", 310), ("warning", 400)]


def test_three_groups_without_half_headings():
    """The Wuhan sample's three groups (公开06表) with the 人员经费 | 公用经费 heading line taken out
    and 科目编码 over the code columns, as the national template prints them: the 合计 line names
    the first two groups' halves, the third (310 资本性支出) is 公用经费 by its class, and
    公用经费合计 printed under the third group's amount column is the 公用经费 total."""
    text = FINAL_2024.read_text(encoding="utf-8")
    heading = "人员经费\t\t\t公用经费\t\t\t\t\t\n"
    labels = "经 济\t科目名称\t决算数\t经 济\t科目名称\t决算数\t经 济\t科目名称\t决算数"
    assert heading in text and labels in text
    text = text.replace(heading, "").replace(labels, labels.replace("经 济", "科目编码"))
    office = "301\t基本工资\t368.80\t302\t办公费\t16.10\t310\t办公设备购置\t"
    assert office + "\n" in text
    conversion = convert_text(text.replace(office + "\n", office + "2.50\n"))  # a figure under the third group
    rows = conversion.resources[BASIC]
    assert _gaps(conversion, BASIC) == []
    assert find(rows, economic_code="30101")["personnel"] == wan("368.80")
    assert find(rows, economic_code="30201")["public"] == wan("16.10")
    assert find(rows, economic_code="310")["public"] is None and find(rows, economic_code="310")["personnel"] is None
    equipment = find(rows, economic_code="31002")
    assert equipment["public"] == wan("2.50") and equipment["total"] == wan("2.50") and equipment["personnel"] is None
    total = find(rows, economic_code="TOTAL")
    assert total["personnel"] == wan("2,582.75") and total["public"] == wan("285.07")


def test_side_by_side_class_line_by_name_and_wrapped_name():
    """The Wuhan sample's 303 line printed without its code (a class told by its name, as some
    layouts print class lines) and 机关事业单位基本养老 continued on a line of its own (a wrapped name)."""
    text = FINAL_2024.read_text(encoding="utf-8")
    family = "303\t对个人和家庭的补助\t224.98\t302\t会议费\t0.03\t\t\t\n"
    pension = "301\t机关事业单位基本养老\t150.98\t302\t电费\t\t310\t其他资本性支出\t\n"
    assert family in text and pension in text
    text = text.replace(family, "\t" + family.split("\t", 1)[1])
    text = text.replace(pension, pension + "\t保险缴费\t\t\t\t\t\t\t\n")
    conversion = convert_text(text)
    rows = conversion.resources[BASIC]
    assert _gaps(conversion, BASIC) == []
    family_row = find(rows, economic_code="303")
    assert family_row["personnel"] == wan("224.98") and family_row["economic_name"] == "对个人和家庭的补助"
    assert find(rows, economic_code="30302")["personnel"] == wan("192.15")  # 303 退休费 below it
    pension_row = find(rows, economic_code="30108")
    assert pension_row["economic_name"] == "机关事业单位基本养老保险缴费" and pension_row["personnel"] == wan("150.98")


def test_three_public_items_each_split_into_budget_and_actual(putuo):
    """Putuo's 财政拨款“三公”经费支出决算表 (page 17, 万元) heads each item with 预算数 | 决算数 below
    it: 合计 2.85 | 0.39, 因公出国（境）费 0.00 | 0.00, 公务用车 … 0.00, 公务接待费 2.85 | 0.39. Items
    come from the parent label, the basis from the leaf; nothing is left as a bare cell."""
    rows = putuo.resources["three_public_expenses"]
    assert find(rows, basis="budget", item="total")["amount"] == wan("2.85")
    assert find(rows, basis="actual", item="total")["amount"] == wan("0.39")
    assert find(rows, basis="budget", item="official_reception")["amount"] == wan("2.85")
    assert find(rows, basis="actual", item="official_reception")["amount"] == wan("0.39")
    assert find(rows, basis="actual", item="vehicle_operation")["amount"] == wan("0.00")
    assert not [c for c in putuo.resources["unmodelled_cells"] if "三公" in c["table"]]


def test_a_sub_label_does_not_reach_under_its_parents_neighbour():
    """公务用车运行维护费 (second header line) stands over its 预算数 | 决算数 only; the next two
    columns belong to 公务接待费 of the line above."""
    header = [
        Row(1, ["合计", "", "因公出国（境）费", "", "公务用车购置及运行维护费", "", "", "", "", "", "公务接待费", ""]),
        Row(2, ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行维护费", "", "", ""]),
        Row(3, ["预算数", "决算数"] * 6),
    ]
    paths = column_paths(header, 12)
    assert paths[9] == ("公务用车购置及运行维护费", "公务用车运行维护费", "决算数")
    assert paths[10] == ("公务接待费", "预算数") and paths[11] == ("公务接待费", "决算数")


def test_beijing_expenditure_table_crossing_function_and_economic_class():
    """北京 预算03表 支出总表 (the tables PDF, page 3): each line crosses a function code, a
    government economic code and a departmental economic code, with 合计 | 基本支出 | 项目支出 |
    其中 (事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出). Read off the page: 64 lines and 合计."""
    from tests.conftest import SAMPLES

    pdfs = SAMPLES / "pdf"
    conversion = convert_source(
        read_disclosure(
            [pdfs / "beijing-shenjiju-2026-budget-text.pdf", pdfs / "beijing-shenjiju-2026-budget-tables.pdf"]
        )
    )
    rows = conversion.resources["expenditure_by_function_and_economic"]
    assert len(rows) == 65 and {r["scope"] for r in rows} == {"all_funds"}
    wages = find(rows, function_code="2010801", government_economic_code="50101", economic_code="30101")
    assert (wages["function_name"], wages["government_economic_name"], wages["economic_name"]) == (
        "行政运行",
        "工资奖金津补贴",
        "基本工资",
    )
    assert (wages["total"], wages["basic"], wages["project"]) == (wan("3,138.093600"), wan("3,138.093600"), None)
    other = find(rows, function_code="2010801", government_economic_code="50299", economic_code="30299")
    printed = (wan("721.198480"), wan("465.392080"), wan("255.806400"))
    assert (other["total"], other["basic"], other["project"]) == printed
    assert find(rows, function_code="2010801", economic_code="3021101")["total"] == wan("46.560000")  # 差旅费
    total = find(rows, function_code="TOTAL")
    assert (total["economic_code"], total["government_economic_code"]) == ("TOTAL", "TOTAL")
    assert (total["total"], total["basic"], total["project"]) == (
        wan("32,852.053832"),
        wan("25,218.537585"),
        wan("7,633.516247"),
    )
    table = next(t for t in conversion.tables if t.label == "预算03表")
    assert (table.status, table.resource, table.rows) == ("converted", "expenditure_by_function_and_economic", 65)
    assert not [c for c in conversion.resources["unmodelled_cells"] if "预算03表" in str(c["table"])]
