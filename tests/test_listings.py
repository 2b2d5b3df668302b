"""政府采购预算表 and 政府向社会力量购买服务预算表: values read off the EDZ 2023 sample by hand."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import EDZ_2023, convert_text, find

EDZ_TEXT = EDZ_2023.read_text(encoding="utf-8")


def test_procurement_rows(edz):
    rows = edz.resources["procurement"]
    paper = find(rows, item_code="A05040101")
    assert paper["item_name"] == "复印纸" and paper["project_name"] == "不可预见公用经费"
    assert paper["function_code"] == "2010350" and paper["economic_code"] == "30201"
    assert paper["quantity"] == Decimal(30) and paper["unit_price"] == Decimal("268")  # the table is in 元
    assert paper["total"] == Decimal("8040.00") and paper["small_micro"] == Decimal("8040.00") and paper["sme"] is None
    assert find(rows, row_type="total")["total"] == Decimal("11309940.00")
    assert find(rows, row_type="group")["unit_name"] == "行财科"
    # '21764 00': digits split by the extraction, joined and reported
    network = find(rows, project_name="全区政务网络互联网接入服务及运维项目")
    assert network["unit_price"] == Decimal("2176400") and network["source_line"] == 376
    assert any(f.check == "repaired-amount" and f.value == "21764 00" for f in edz.findings)


def test_procurement_source_inconsistency_is_kept(edz):
    """1 × 360000 printed with an amount of 3600000.00: kept as printed, reported as the source's."""
    row = find(edz.resources["procurement"], project_name="网群服务中心")
    assert row["unit_price"] == Decimal("360000") and row["total"] == Decimal("3600000.00")
    assert any(
        f.check == "row-identity" and f.severity == "source" and f.resource == "procurement" and f.source_line == 372
        for f in edz.findings
    )


def test_purchased_services_rows(edz):
    rows = edz.resources["purchased_services"]
    assert find(rows, row_type="total")["amount"] == Decimal("9760500")
    data = find(rows, project_name="2023年数据治理运维项目")
    assert data["includes_procurement"] is True and data["service_content"] == "数据治理运维服务"
    # [3029] is printed cut short: recovered by its name and reported
    assert data["economic_code"] == "30299" and data["economic_name"] == "其他商品和服务支出"
    assert data["catalogue_level3"] == "数据处理服务"
    security = find(rows, project_name="安全服务项目")
    assert security["amount"] is None and security["function_code"] == "2013799"
    assert security["economic_code"] == "30227"  # '[3022 7]' split by a space
    portal = find(rows, project_name="区政府门户网站运维服务")
    assert portal["includes_procurement"] is False
    # a row wrapped over two lines, the second after a page break
    video = find(rows, project_name="视频会议运维项目")
    assert video["function_name"] == "其他政府办公厅(室)及相关机构事务支出"
    assert video["catalogue_level1"] == "政府履职所需辅助性服务" and video["economic_name"] == "委托业务费"


def test_procurement_in_wan_yuan_honours_column_unit():
    """A table in 万元 keeps a 单价(元) column in yuan: each cell by its own column's unit."""
    start = EDZ_TEXT.index("## 政府采购预算表")
    text = EDZ_TEXT[:start] + EDZ_TEXT[start:].replace("单位: 元", "单位: 万元", 1)
    labels_in_yuan = "采购金额合计(元)\t其中面向中小企业(元)\t其中面向小微企业(元)"
    text = text.replace(labels_in_yuan, "采购金额合计\t中小企业\t小微企业")
    text = text.replace("30|268||8040.00||8040.00".replace("|", "\t"), "30|268||0.80||0.80".replace("|", "\t"))
    rows = convert_text(text).resources["procurement"]
    paper = find(rows, item_code="A05040101")
    assert paper["unit_price"] == Decimal("268") and paper["total"] == Decimal("8000.00")
