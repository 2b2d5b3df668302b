"""Values read off the sample documents by hand, including the rows extraction broke."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from converter.cells import compact, parse_amount
from converter.layout import column_paths, split_header
from converter.pipeline import convert_source
from converter.read import read_disclosure, read_source
from converter.segment import UNIT_FACTORS, find_tables
from tests.conftest import ALL_SAMPLES, SAMPLES, find, wan

PDF_DIR = SAMPLES / "pdf"


def test_metadata_of_each_sample(city, wuchang, edz):
    assert city.name == "420100-157-2026-budget"
    assert city.metadata.department_name == "武汉市数据局"
    assert wuchang.name == "420106-328-2025-budget"
    assert wuchang.metadata.department_name == "武昌区经济信息化和科技创新局(武昌区数据局)"
    assert edz.name == "420113-054-2023-budget"
    assert edz.metadata.fiscal_year == 2023


def test_budget_summary_city(city):
    rows = city.resources["budget_summary"]
    assert find(rows, side="revenue", item="general_public_budget")["amount"] == wan("11,994.89")
    assert find(rows, side="revenue", item="carryover")["amount"] == wan("1,249.32")
    assert find(rows, side="revenue", item="grand_total")["amount"] == wan("13,244.21")
    assert find(rows, side="expenditure", item="208")["amount"] == wan("1,043.22")
    assert find(rows, side="expenditure", item="208")["item_name"] == "六、社会保障和就业支出"
    # a blank cell stays blank; the line is still listed
    assert find(rows, side="revenue", item="business_income")["amount"] is None
    assert find(rows, side="expenditure", item="grand_total")["source_line"] == 135


def test_budget_summary_wrapped_class_name_edz(edz):
    row = find(edz.resources["budget_summary"], side="expenditure", item="224")
    assert row["item_name"] == "廿一、灾害防治及应急管理支出"
    assert row["amount"] == Decimal("0.00") * 10000
    assert row["source_line"] == 134


def test_fiscal_summary_carryover_context(city):
    rows = city.resources["fiscal_appropriation_summary"]
    assert find(rows, side="revenue", item="general_public_budget")["amount"] == wan("11994.89")
    assert find(rows, side="revenue", item="carryover_general_public_budget")["amount"] == wan("1249.32")
    assert find(rows, side="expenditure", item="current_year_total")["amount"] == wan("13244.21")


def test_functional_table_code_on_a_later_line(city):
    """表 5-1 prints 公务员医疗补助 and its amounts on line 269 and its code 2101103 on line 271."""
    row = find(city.resources["expenditure_by_function"], scope="general_public_budget", function_code="2101103")
    assert row["function_name"] == "公务员医疗补助"
    assert (row["total"], row["basic"], row["personnel"], row["public"]) == (wan("224.06"),) * 3 + (None,)
    assert row["source_line"] == 269
    assert row["level"] == 3


def test_functional_scopes_and_names_as_printed(city):
    rows = city.resources["expenditure_by_function"]
    assert find(rows, scope="all_funds", function_code="20604")["function_name"] == "技术与开发"
    assert find(rows, scope="general_public_budget", function_code="20604")["function_name"] == "技术与研究开发"
    total = find(rows, scope="general_public_budget", function_code="TOTAL")
    assert (total["total"], total["basic"], total["personnel"], total["public"], total["project"]) == (
        wan("13,244.21"),
        wan("4,221.88"),
        wan("3,805.11"),
        wan("416.77"),
        wan("9,022.33"),
    )
    assert total["level"] == 0


def test_html_tags_and_zero_versus_blank(edz, wuchang):
    row = find(edz.resources["expenditure_by_function"], scope="all_funds", function_code="20103")
    assert row["function_name"] == "政府办公厅(室)及相关机构事务"
    assert row["total"] == wan("1809.72")
    assert row["business_operation"] is None  # blank column
    zero = find(wuchang.resources["expenditure_by_function"], scope="all_funds", function_code="2060102")
    assert zero["basic"] == Decimal(0) and zero["project"] == wan("50.00")


def test_by_unit_and_economic(city):
    unit = find(city.resources["expenditure_by_unit"], unit_code="157003")
    assert unit["unit_name"] == "武汉市信息中心（武汉市大数据中心）"
    assert unit["project"] == wan("4100.34")
    economic = city.resources["basic_expenditure_by_economic"]
    assert find(economic, economic_code="30213")["public"] == wan("11.50")
    assert find(economic, economic_code="30202")["total"] is None
    assert find(economic, economic_code="TOTAL")["total"] == wan("4221.88")


def test_revenue_by_unit_two_lines_per_unit(city):
    """The 2026 收入总表 prints each unit's carry-over on a second line; both lines are kept."""
    rows = city.resources["revenue_by_unit"]
    first = find(rows, unit_code="157001", source_line=151)
    second = find(rows, unit_code="157001", source_line=154)
    assert first["general_public_budget"] == wan("6637.36")
    assert second["carryover_general_public_budget"] == wan("690.16")
    assert find(rows, source_line=153)["unit_code"] == "157"


def test_three_public(city, wuchang):
    items = {r["item"]: r["amount"] for r in city.resources["three_public_expenses"]}
    assert items == {
        "total": wan("53.48"),
        "outbound_travel": None,
        "vehicles": wan("47.98"),
        "vehicle_purchase": wan("35.98"),
        "vehicle_operation": wan("12.00"),
        "official_reception": wan("5.50"),
    }
    assert {r["item"]: r["amount"] for r in wuchang.resources["three_public_expenses"]}["total"] == wan("4.28")


def test_empty_fund_tables_keep_their_note(city, edz):
    assert city.resources["government_fund_expenditure"] == []
    assert city.notes["government_fund_expenditure"] == ["注：2026年本部门没有使用政府性基金预算支出"]
    assert edz.notes["state_capital_expenditure"] == ["本年度无国有资本经营预算支出"]


def test_projects_split_names_and_codes(city):
    rows = city.resources["projects"]
    office = find(rows, project_code="42010026157T000000101")
    assert office["project_name"] == "办公室日常保障"
    assert office["total"] == wan("270.15") and office["source_line"] == 400
    video = find(rows, project_code="42010026157Y000000104")
    assert video["project_name"] == "武汉市市级视频会议系统和市民之家大楼网络运维服务"
    assert video["unit_name"] == "武汉市信息中心(武汉市大数据中心)"
    assert video["unit_code"] == "157003" and video["category"] == "其他运转类"
    machine_room = find(rows, project_code="42010023157T000000108")
    assert machine_room["project_name"] == "武汉市民之家机房维护项目"
    assert machine_room["carryover_general_public_budget"] == wan("103.02")


def test_projects_short_row_amount_in_the_right_column(city):
    """Line 399 lost a blank cell; its 690.16 is carry-over, as the unit subtotal shows."""
    row = find(city.resources["projects"], project_code="42010025157T000000108")
    assert row["general_public_budget"] == wan("162.00")
    assert row["carryover_general_public_budget"] == wan("690.16")
    assert row["state_capital_budget"] is None


def test_projects_without_codes(wuchang):
    rows = wuchang.resources["projects"]
    project = find(rows, project_name="网络建设运转维护经费")
    assert project["unit_code"] == "328001" and project["total"] == wan("910.02")
    assert find(rows, row_type="department")["unit_code"] == "328"
    assert [r["row_type"] for r in rows].count("project") == 4


def test_source_rounding_is_reported_not_fixed(wuchang):
    row = find(wuchang.resources["expenditure_by_function"], scope="general_public_budget", function_code="20805")
    assert row["total"] == wan("860.78")
    messages = [f.message for f in wuchang.findings if f.severity == "source"]
    assert any("20805 行政事业单位养老支出" in m and "860.79" in m and "860.78" in m for m in messages)


def _is_code_or_line_number(cell: str, position: int, path: tuple[str, ...], kind: str) -> bool:
    """Codes and 行次 line numbers are not amounts: a plain integer in a code or line-number column."""
    if "." in cell or "," in cell or kind == "three_public_expenses":
        return False
    leaf = path[-1] if path else ""
    return position == 0 or leaf in ("类", "款", "项", "行", "行次", "栏次") or any(w in leaf for w in ("编码", "经济"))


PDF_SAMPLES = (
    (PDF_DIR / "shenzhen-shenjiju-2026-budget.pdf",),
    (PDF_DIR / "shanghai-putuo-commerce-commission-2025-budget.pdf",),
    (PDF_DIR / "beijing-shenjiju-2026-budget-text.pdf", PDF_DIR / "beijing-shenjiju-2026-budget-tables.pdf"),
)


@pytest.mark.parametrize("paths", [(p,) for p in ALL_SAMPLES] + list(PDF_SAMPLES), ids=lambda p: p[-1].name)
def test_every_number_is_in_a_resource_or_the_report(paths):
    """Each numeric cell of each converted table is found among the output values, the cells kept
    as printed (unmodelled_cells) or the report's values, for text and PDF input alike.

    Amounts must come out as the same number (in yuan); in the forms (绩效目标表, 自评表), where a
    number is often part of a text (≥10 个, 2.5 分), the cell's text must be in a row from its line.
    """
    conversion = convert_source(read_disclosure(list(paths)))
    tables, _ = find_tables(conversion.source.lines)
    for found in conversion.tables:
        if found.status != "converted":
            continue
        raw = next(t for t in tables if t.rows and t.rows[0].line == found.first_line)
        factor = UNIT_FACTORS.get(found.unit, 1)
        header, body = split_header(raw.rows)
        paths = column_paths(header, max([len(r.cells) for r in raw.rows] + [0]))
        lines = range(found.first_line, found.last_line + 1)
        rows = [r for rows in conversion.resources.values() for r in rows if r.get("source_line") in lines]
        output = Counter(v for r in rows for v in r.values() if isinstance(v, Decimal))
        for cell in conversion.resources["unmodelled_cells"]:
            kept = parse_amount(str(cell["text"])).value if cell["source_line"] in lines else None
            if kept is not None:
                output[kept * factor] += 1
        for finding in conversion.findings:
            if finding.source_line in lines and finding.value:
                for text in finding.value.split():
                    parsed = parse_amount(text).value
                    if parsed is not None:
                        output[parsed * factor] += 1
        is_form = found.kind == "performance_targets"
        printed = Counter()
        for row in raw.rows if is_form else body:
            texts = compact(
                " ".join(str(v) for r in rows if row.line - 8 <= r["source_line"] <= row.line for v in r.values())
            )
            for position, cell in enumerate(row.cells):
                value = parse_amount(cell).value
                path = paths[position] if position < len(paths) else ()
                if value is None or _is_code_or_line_number(cell, position, path, found.kind):
                    continue
                if is_form and (compact(cell) in texts or value * factor in output):
                    continue
                printed[value * factor] += 1
        missing = printed - output
        assert not missing, f"{found.label} {found.title}: values lost: {dict(missing)}"


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.name)
def test_every_table_is_accounted_for(path):
    """Coverage: each tab block of the document is listed once, converted or kept cell by cell."""
    conversion = convert_source(read_source(path))
    tables, orphans = find_tables(conversion.source.lines)
    assert len(conversion.tables) == len(tables) + len(orphans)
    assert all(t.resource and t.status in ("converted", "kept as cells") for t in conversion.tables)
    kept = conversion.resources["unmodelled_cells"]
    for table in (t for t in conversion.tables if t.status == "kept as cells"):
        cells = [c for c in kept if table.first_line <= c["source_line"] <= table.last_line]
        assert len(cells) == table.rows > 0


def test_untitled_table_kept_cell_by_cell(edz):
    """The contact list at the end of the EDZ document has no 表 title: kept as printed, listed."""
    table = next(t for t in edz.tables if t.title == "武汉经开区预算公开工作通讯录")
    assert (table.status, table.resource, table.first_line) == ("kept as cells", "unmodelled_cells", 1425)
    cells = {(c["source_line"], c["column"]): c["text"] for c in edz.resources["unmodelled_cells"]}
    assert cells[(1425, 1)] == "部门名称" and cells[(1428, 4)] == "84747966"
