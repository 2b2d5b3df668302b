"""Figures stated in the 情况说明 prose: values read off the samples by hand."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import CITY_2026, convert_text, find, wan

CITY_TEXT = CITY_2026.read_text(encoding="utf-8")


def test_totals_shares_and_changes(city):
    rows = city.resources["narrative_figures"]
    revenue = find(rows, topic="revenue_total", label="2026年收入预算")
    assert revenue["amount"] == wan("13,244.21") and revenue["source_line"] == 1225
    gpb = find(rows, label="一般公共预算财政拨款收入", source_line=1225)
    assert gpb["amount"] == wan("11,994.89") and gpb["share_percent"] == Decimal("90.57")
    this_year = find(rows, label="（1）本年预算")
    assert this_year["comparison_year"] == 2025 and this_year["change_amount"] == wan("4,085.46")
    assert this_year["change_percent"] == Decimal("51.65") and this_year["decimals"] == -2


def test_item_lines_name_their_code(city):
    rows = [r for r in city.resources["narrative_figures"] if r["topic"] == "item_expenditure"]
    running = find(rows, subject_code="2014101")
    assert running["amount"] == wan("1,613.36") and running["change_amount"] == wan("152.67")
    assert running["change_percent"] == Decimal("10.45") and running["basis"] == "budget"
    other = next(r for r in rows if "其他数据事务" in r["label"])
    assert other["change_amount"] == wan("-955.78") and other["change_percent"] == Decimal("-38.37")
    # '…事业运行（项）2026' / '年预算数 801.72 万元': a sentence wrapped over two lines
    wrapped = find(rows, subject_code="2014150")
    assert wrapped["amount"] == wan("801.72") and wrapped["source_line"] == 1253


def test_three_public_and_other_topics(city):
    rows = city.resources["narrative_figures"]
    total = find(rows, topic="three_public_total")
    assert total["amount"] == wan("53.48") and total["change_amount"] == wan("25.6")
    reception = find(rows, topic="three_public_reception")
    assert reception["amount"] == wan("5.5") and reception["change_percent"] == Decimal("-42.71")
    assert reception["decimals"] == -3  # printed as 5.5 万元
    assert find(rows, topic="administrative_operating_costs")["amount"] == wan("282")
    assert find(rows, topic="procurement_goods")["amount"] == wan("57.98")
    vehicles = find(rows, topic="vehicles_held", label="武汉市数据局共有车辆")
    assert vehicles["quantity"] == 8 and vehicles["measure_unit"] == "辆" and vehicles["amount"] is None


def test_final_accounts_quote_budget_and_actual(final):
    rows = [r for r in final.resources["narrative_figures"] if r["subject_code"] == "2010301"]
    assert {(r["basis"], r["amount"]) for r in rows} == {("budget", wan("1,409.69")), ("actual", wan("1,791.15"))}
    # the actuals agree with 公开05表, so no mismatch is reported for them
    assert not any(f.check == "narrative-vs-table" for f in final.findings)


def test_prose_contradicting_a_table_is_reported():
    text = CITY_TEXT.replace("行政运行（项）2026 年预算数 1,613.36 万元", "行政运行（项）2026 年预算数 1,613.46 万元")
    conversion = convert_text(text)
    finding = next(f for f in conversion.findings if f.check == "narrative-vs-table")
    assert finding.severity == "source" and finding.source_line == 1249
    assert "1,613.46" in finding.message and "1,613.36" in finding.message
    # the prose is kept as printed
    assert find(conversion.resources["narrative_figures"], subject_code="2014101")["amount"] == wan("1,613.46")
