"""Performance forms: goals, indicators and project details read off the samples by hand,
including indicators wrapped over lines, rows the extraction shifted and a self-evaluation."""

from __future__ import annotations

from decimal import Decimal

from converter.performance import parse_target
from tests.conftest import find, wan


def test_target_values_parse_where_they_allow():
    assert parse_target("≥10 个") == ("≥", Decimal(10), "个")
    assert parse_target("100%") == ("", Decimal(100), "%")
    assert parse_target("≤4小时") == ("≤", Decimal(4), "小时")
    assert parse_target("累计 ≥ 10 项") == ("≥", Decimal(10), "项")
    assert parse_target("有效保障") == ("", None, "")
    assert parse_target("2024年12 月底") == ("", None, "")


def test_overall_form_long_term_indicator_wrapped_over_two_lines(city):
    """表11: '每年遴选数据要素示范应用' on one line, '场景项目数量' on the next."""
    rows = city.resources["performance_targets"]
    row = find(rows, level3="每年遴选数据要素示范应用场景项目数量", goal_type="long_term")
    assert row["scope"] == "overall" and row["source_line"] == 470
    assert row["level1"] == "产出指标" and row["level2"] == "数量指标1、2"
    assert (row["target_value"], row["comparator"], row["target_number"], row["target_unit"]) == ("10个", "", 10, "个")
    assert row["basis"] == "计划数据" and row["goal_text"].startswith("目标1：发挥数据要素乘数效应")
    trade = find(rows, level3="到2028年累计数据流通交易规模", scope="overall")
    assert (trade["comparator"], trade["target_number"], trade["target_unit"]) == ("≥", 10, "亿元")
    goal = find(rows, row_type="goal", goal="长期目标1:")
    assert goal["goal_type"] == "long_term" and goal["source_line"] == 466


def test_annual_indicators_with_prior_years(city):
    """年度绩效目标表 prints 前年 | 上年 | 预计当年实现 under a three-line header."""
    project = "数字武汉、数字政府、数字社会工作经费"
    rows = [r for r in city.resources["performance_targets"] if r["project_name"] == project]
    report = find(rows, level3="咨询评估审查报告")
    assert (report["prior_year_2"], report["prior_year_1"], report["target_value"]) == ("26", "20", "20")
    assert report["goal_type"] == "annual" and report["basis"] == "历史数据"
    assert find(rows, level3="咨询评估报告")["goal_type"] == "long_term"


def test_project_details(city):
    rows = [r for r in city.resources["project_details"] if r["project_name"] == "数字武汉、数字政府、数字社会工作经费"]
    assert find(rows, item="department")["text"] == "市数据局"
    assert find(rows, item="executing_unit")["text"] == "数字创新应用处"
    assert (find(rows, item="start_year")["text"], find(rows, item="end_year")["text"]) == ("2026", "2030")
    assert find(rows, item="current_year_budget")["amount"] == wan("852.16")
    assert find(rows, section="funding_source", label="使用上年度财政拨款结转")["amount"] == wan("690.16")
    cloud = find(rows, section="expense_line", label="武汉市智慧城市基础平台（一期）项目云资源服务")
    assert cloud["amount"] == wan("621.00") and cloud["economic"] == "其他商品服务支出,委托业务费"
    assert find(rows, section="procurement_item", label="2026年信息化建设咨询评估服务")["text"] == "1项"


def test_wrapped_basis_across_a_page_break_and_shifted_rows(edz):
    rows = [r for r in edz.resources["performance_targets"] if r["project_name"] == "网上群众工作部服务中心"]
    weekly = find(rows, level3="周报", goal_type="annual")
    assert weekly["basis"] == "每年周数不一样，再结合公休调休等因素影响，下调最低数量要求。"
    assert (weekly["prior_year_2"], weekly["prior_year_1"], weekly["target_value"]) == ("≥48", "≥48", "≥45")
    # a line shifted one column left: 满意度指标 stands where the goal name should be
    satisfaction = find(rows, level3="群众投诉办理满意率", goal_type="annual")
    assert satisfaction["level1"] == "满意度指标" and satisfaction["target_value"] == "≥85%"
    assert (satisfaction["prior_year_2"], satisfaction["prior_year_1"]) == ("≥75%", "≥80%")
    details = [r for r in edz.resources["project_details"] if r["project_name"] == "网上群众工作部服务中心"]
    assert find(details, section="expense_line", label="人员工资")["amount"] == wan("280")
    assert find(details, item="total_budget")["amount"] == wan("360")


def test_shifted_right_row_and_merged_level1(wuchang):
    rows = wuchang.resources["performance_targets"]
    row = find(rows, level3="机关依法决策、依法行政能力", goal_type="long_term")
    assert row["level1"] == "效益指标" and row["target_value"] == "提升" and row["basis"] == ""
    patrol = find(rows, level3="白沙洲安保每天巡逻次数")
    assert patrol["level1"] == "产出指标"  # its merged level-1 cell was lost; the template names it
    assert any(f.check == "inferred-level" and f.source_line == patrol["source_line"] for f in wuchang.findings)


def test_self_evaluation(final):
    rows = final.resources["performance_targets"]
    canteen = find(rows, level3="食堂服务对象满意率(1分)", scope="overall")
    assert (canteen["target_value"], canteen["actual_value"], canteen["score"]) == ("≥85%", "95.91%", "1")
    details = final.resources["project_details"]
    execution = find(details, section="budget_execution", label="部门整体支出总额预算数(A)")
    assert execution["amount"] == wan("14784.19")
    category = find(details, project_name="行政运行工作经费", item="project_category")
    assert category["text"] == "1、部门预算项目☑ 2、区级专项☐ 3、转移支付项目☐"  # which box is ticked is kept


def test_a_list_of_projects_gives_each_project_its_name_amounts_goal_and_indicators():
    """Beijing's 预算表12 项目支出绩效目标表 (the tables PDF, page 12) lists projects: 项目名称 | 项目总额 |
    其中：财政资金 | 其他资金 | 绩效目标 spanning each project's indicator lines, and the target in three
    cells (绩效指标性质 | 本年绩效指标值 | 绩效度量单位). Values read off the page."""
    from converter.pipeline import convert_source
    from converter.read import read_disclosure
    from tests.conftest import SAMPLES

    pdfs = SAMPLES / "pdf"
    conversion = convert_source(
        read_disclosure(
            [pdfs / "beijing-shenjiju-2026-budget-text.pdf", pdfs / "beijing-shenjiju-2026-budget-tables.pdf"]
        )
    )
    project = "《北京审计》杂志办刊经费"
    details = [r for r in conversion.resources["project_details"] if r["project_name"] == project]
    assert find(details, item="project_code")["text"] == "11000022T000000460216"
    assert find(details, item="total_budget")["amount"] == wan("17.398000")
    assert find(details, section="funding_source", label="财政资金")["amount"] == wan("17.398000")
    rows = [r for r in conversion.resources["performance_targets"] if r["project_name"] == project]
    goal = find(rows, row_type="goal")
    assert goal["goal_text"].startswith("主要用于《北京审计》杂志印刷刊发") and goal["goal_text"].endswith(
        "提供支撑和保障。"
    )
    quality = find(rows, level3="印刷刊物质量与国家行业标准规定要求的相符性")
    assert (quality["level1"], quality["level2"]) == ("产出指标", "质量指标")
    assert (quality["comparator"], quality["target_number"], quality["target_unit"]) == ("=", 100, "%")
    cost = find(rows, level3="印刷刊物成本")
    assert (cost["comparator"], cost["target_number"], cost["target_unit"]) == ("≤", Decimal("12.798"), "万元")
    qualitative = find(rows, level3="促进设计理论知识、技术方法、经验成果等方面的交流")
    assert (qualitative["target_value"], qualitative["note"]) == ("优", "定性")
    assert qualitative["goal_text"] == goal["goal_text"]
    second = [r for r in conversion.resources["project_details"] if r["project_name"] == "机动经费（北京市审计局）"]
    assert find(second, item="total_budget")["amount"] == wan("10.000000")
    assert not [f for f in conversion.findings if f.check == "unplaced-number"]


def test_a_forms_rows_after_a_tall_cells_wrapped_text_stay_in_the_form():
    """Beijing's 项目支出绩效目标表: where a tall goal cell crosses a page, the PDF prints its text
    as short lines outside the grid (8 characters each: 山标准化企业现场 / 核查，全面掌握标 …) between
    two runs of the form's rows. Those rows are the same form's, not an untitled table; an ordinary
    table stops at more lines than a page break leaves."""
    from converter.segment import find_tables

    wrapped = ["山标准化企业现场", "核查，全面掌握标", "准化企业从开展标", "准化创建到标准化", "状态保持过程中获"]
    wrapped += ["得的改善情况和存", "在的问题，从个体", "和全局的角度客观", "京市30家工业、危", "险化学品、非煤矿"]
    rows_before = ["\t\t\t\t\t产出指标\t质量指标\t现场核查情况分析总报告通过专家评审\t定性\t优\t"]
    rows_after = ["\t\t\t\t\t成本指标\t经济成本指标\t安全生产标准化现场核查\t≤\t191860\t元"]
    for title, kept_together in (("预算12表 项目支出绩效目标表", True), ("预算05表 一般公共预算支出表", False)):
        lines = (title, "单位：万元", *rows_before, *wrapped, *rows_after)
        tables, orphans = find_tables(lines)
        assert len(tables) == 1
        assert (len(tables[0].rows), len(orphans)) == ((2, 0) if kept_together else (1, 1))


def test_a_list_of_projects_goals_under_a_sentence_is_read_as_projects():
    """Shenzhen's 第七部分 prints its 重点项目 under a sentence, not a title (page 13 of the sample):
    '2026 年，本单位重点项目绩效目标情况如下：', then 二级预算单位名称 | 一级项目名称 | 预算数（万元）|
    绩效目标. The third project's goal runs onto page 14, under the page number '- 10 -'. Read off
    the pages."""
    from converter.pipeline import convert_source
    from converter.read import read_source
    from tests.conftest import SAMPLES

    conversion = convert_source(read_source(SAMPLES / "pdf" / "shenzhen-shenjiju-2026-budget.pdf"))
    details = conversion.resources["project_details"]
    amounts = {r["project_name"]: r["amount"] for r in details if r["item"] == "current_year_budget"}
    assert amounts == {
        "规划类经费": wan("6.50"),
        "审计管理业务": wan("506.95"),
        "信息化（财政审核）": wan("80.00"),
        "预算准备金": wan("20.00"),
        "综合管理": wan("918.01"),
    }
    units = {r["text"] for r in details if r["item"] == "executing_unit"}
    assert units == {"深圳市审计局"}
    goals = [r for r in conversion.resources["performance_targets"] if r["project_name"] == "信息化（财政审核）"]
    goal = find(goals, row_type="goal")
    assert goal["goal_text"].startswith("建立完善的主动预防性运维体系")
    assert goal["goal_text"].endswith(
        "支持业务连续性的长期稳定；通过知识积累的自动化工具，提升运维服务的自动与智能化水平，"
        "降低重复性工作占比，实现运维效率的持续优化。"
    )
    assert find(goals, row_type="goal")["scope"] == "project"
    assert not [f for f in conversion.findings if f.check in ("untitled-table", "unplaced-number")]
    table = next(t for t in conversion.tables if "重点项目绩效目标" in t.title)
    assert (table.label, table.unit, table.status) == ("", "万元", "converted")


# The list as printed in shenzhen-008's 第七部分 (page 6 to 7): the sentence, a page number, the
# header, a project whose unit name and goal both run onto the next page.
_LIST_OVER_A_PAGE = (
    "第七部分 重点项目预算绩效情况说明",
    "2026 年， 本单位重点项 目 绩效 目标情况如下：",
    "- 6 -",
    "二级预算单位名称\t一级项目名称\t预算数 （万元）\t绩效目标",
    "深圳市发展和改革委员会 （本级）\t党建活动\t6.50\t落实 “基层党建和干部队伍建设” 相关要求。",
    "深圳市发展和改革委\t粮食储备管理\t1,234.56\t开展粮食",
    "- 7 -",
    "员会 （本级）\t\t\t储备费用结算审计， 落实粮食安全责任制。",
)


def test_a_list_line_without_name_or_amount_continues_the_project_above():
    from converter.performance import FormState, map_performance
    from converter.segment import find_tables

    tables, orphans = find_tables(_LIST_OVER_A_PAGE)
    assert (len(tables), len(orphans)) == (1, 0)
    table = tables[0]
    assert (table.title, table.unit, table.title_line) == ("2026年，本单位重点项目绩效目标情况如下：", "万元", 2)
    targets, details, _, _ = map_performance(tables[0], FormState())
    assert [(t["project_name"], t["goal_text"]) for t in targets] == [
        ("党建活动", "落实“基层党建和干部队伍建设”相关要求。"),
        ("粮食储备管理", "开展粮食储备费用结算审计，落实粮食安全责任制。"),
    ]
    units = [(d["project_name"], d["text"]) for d in details if d["item"] == "executing_unit"]
    assert units == [("党建活动", "深圳市发展和改革委员会（本级）"), ("粮食储备管理", "深圳市发展和改革委员会（本级）")]
    amounts = [d["amount"] for d in details if d["item"] == "current_year_budget"]
    assert amounts == [Decimal("65000"), Decimal("12345600")]


def test_a_list_is_recognised_only_under_a_sentence_about_performance_goals():
    """The same rows under a sentence that says nothing of 绩效, under prose too long to be an
    introduction or under a part heading, or without a 绩效目标 column, stay runs of rows without title (two: a run
    without title does not continue another across the page number)."""
    from converter.segment import find_tables

    header, *rest = _LIST_OVER_A_PAGE[3:]
    for intro, head in (
        ("2026 年， 本单位重点项目情况如下：", header),
        ("2026 年， 本单位重点项目绩效目标情况如下：" + "说明" * 40, header),
        ("2026 年， 本单位重点项目绩效目标情况如下：", header.replace("绩效目标", "备注")),
        ("第七部分 重点项目预算绩效情况说明", header),
    ):
        tables, orphans = find_tables((intro, head, *rest))
        assert (len(tables), len(orphans)) == (0, 2), intro


def test_a_forms_overflow_text_ending_in_biao_is_not_a_title():
    """beijing-035's 项目支出绩效目标表 (pages 134-135) prints a tall goal cell's text outside the
    grid, wrapped into short lines, one of which ends in 表: '（ 5 ） 研究营养、 运动代谢对早期发育的表'
    (…的表观遗传影响). It is a sentence, not a title: the rows after it are the same form's. A
    title of a budget table there (会议费明细表, or one with a label) still starts a new table."""
    from converter.segment import find_tables

    row = "\t".join(["", "", "", "", "", "产出指标", "数量指标", "发表论文", "≥", "4", "篇"])
    overflow = ["（ 4 ） 完成孤独症儿童的发育体能水平分析", "（ 5 ） 研究营养、 运动代谢对早期发育的表"]
    overflow += ["2026年度目标：", "11000025T00000332", "3410-首儿所儿童关", "99.84  99.840000  、 体能评估和监测技术"]
    for between, tables_found in (
        (overflow, 1),
        (["会议费明细表"], 2),
        (["表5 研究营养、运动代谢对早期发育的表"], 2),
        (["第三部分 其他说明", *overflow], 2),
    ):
        lines = ("预算表12 项目支出绩效目标表", "单位：万元", row, *between, row)
        tables, orphans = find_tables(lines)
        assert (len(tables), len(orphans)) == (tables_found, 0), between
        assert len(tables[0].rows) == 3 - tables_found, between
    narrower = "\t".join(["产出指标", "数量指标", "发表论文", "≥", "4"])
    tables, _ = find_tables(("预算表12 项目支出绩效目标表", "单位：万元", row, *overflow, narrower))
    assert len(tables) == 2  # other columns: another table, whatever its title


def test_a_list_header_garbled_under_a_repeated_title_is_the_list_before():
    """beijing-049 prints its 项目支出绩效目标表 title again on each page, and there the header
    is overprinted by the text a tall cell of the page before left (page 44: '项目名称11000022Y…',
    '财4,政05资0.金295700'). Its columns are the list's before: the next project's 573.543021 under
    项目总额 and under 财政资金 are both placed. Lines as printed (pages 43-44)."""
    from converter.performance import FormState, map_performance
    from converter.segment import find_tables

    header = "\t".join(
        ("项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标")
        + ("绩效指标性质", "本年绩效指标值", "绩效度量单位")
    )
    garbled = (
        "项目名称11000022Y000000424014-交通监测系统\t项目总额4,050.295700\t其中：\t\t、 电子警察系统、 113系统、 "
        "室外显绩示效屏目系标统、交通流检测系统\t一级指标\t二级指标\t三级指标\t绩效指标性质\t本年绩效指标值\t绩效度量单位"
    )
    indicator = "\t\t\t\t\t满意度指标\t服务对象满意度指标\t使用满意度\t＞\t90\t%"
    lines = (
        "预算表12 项目支出绩效目标表",
        "金额单位： 万元",
        header,
        "\t\t财政资金\t其他资金\t\t\t\t\t\t\t",
        "11000022Y000000424014-交通监测系统\t4,050.295700\t4,050.295700\t\t对已经建设完成的电视监控系统进行巡检。\t"
        "成本指标\t经济成本指标\t硬件维护\t≤\t3050.2957\t万元",
        indicator,
        "预算表12 项 目支出绩效 目标表",
        "金额单位： 万元",
        garbled,
        "\t\t财4,政05资0.金295700\t其他资金\t\t\t\t\t\t\t",
        "11000022Y000000424027-交通管理综合信息系统\t573.543021\t573.543021\t\t系统每日常规巡检。\t"
        "成本指标\t经济成本指标\t数据运维费\t≤\t150.1\t万元",
    )
    tables, _ = find_tables(lines)
    assert len(tables) == 2
    state = FormState()
    details = []
    for table in tables:
        _, found, _, state = map_performance(table, state)
        details += found
    second = [d for d in details if d["project_name"] == "交通管理综合信息系统"]
    assert find(second, item="total_budget")["amount"] == wan("573.543021")
    assert find(second, section="funding_source")["amount"] == wan("573.543021")


def test_a_list_of_projects_self_evaluation_scores_under_a_paragraph():
    """foshan-guidaojiaotongju-2019-final (page 29) ends its 项目绩效自评 paragraph and prints
    项目名称 | 自评分数 for 7 projects without a title. Lines as printed."""
    from converter.performance import FormState, map_performance
    from converter.segment import find_tables

    lines = (
        "求差距较大， 需后续追加。 下一步改进措施： 一是加强对专项经",
        "费的使用 管理， 提高专项经费绩效水平。",
        "项目名称\t自评分数",
        "质量抽检和试验检测管理\t100",
        "2019年度聘请专家人员经费\t96.53",
        "佛山市轨道交通局开办经费\t97.87",
        "29",
        "第 四部分 名词解释",
    )
    tables, orphans = find_tables(lines)
    assert (len(tables), len(orphans)) == (1, 0)
    _, details, _, _ = map_performance(tables[0], FormState())
    scores = [(d["project_name"], d["label"], d["text"]) for d in details if d["item"] == "total_score"]
    assert scores == [
        ("质量抽检和试验检测管理", "自评分数", "100"),
        ("2019年度聘请专家人员经费", "自评分数", "96.53"),
        ("佛山市轨道交通局开办经费", "自评分数", "97.87"),
    ]
