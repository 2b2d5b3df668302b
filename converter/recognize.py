"""Which standard resource a table maps to, told by its title and header, never its position.

The rules are ordered: the first whose words all occur in the compacted title (and header,
where given) wins. Column rules likewise match a column's header path ('基本支出/人员经费').
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from converter.cells import compact
from converter.layout import Repair


@dataclass(frozen=True)
class Kind:
    """A table kind: the resource it feeds and, for functional tables, the scope."""

    name: str
    resource: str | None
    scope: str | None = None
    supported: bool = True


BUDGET_SUMMARY = Kind("budget_summary", "budget_summary")
FISCAL_SUMMARY = Kind("fiscal_appropriation_summary", "fiscal_appropriation_summary")
REVENUE_BY_UNIT = Kind("revenue_by_unit", "revenue_by_unit")
REVENUE_BY_FUNCTION = Kind("revenue_by_function", "revenue_by_function")
EXPENDITURE_ALL = Kind("expenditure_by_function", "expenditure_by_function", "all_funds")
EXPENDITURE_GPB = Kind("expenditure_by_function", "expenditure_by_function", "general_public_budget")
EXPENDITURE_BY_UNIT = Kind("expenditure_by_unit", "expenditure_by_unit", "general_public_budget")
EXPENDITURE_ALL_BY_UNIT = Kind("expenditure_by_unit", "expenditure_by_unit", "all_funds")
BASIC_BY_ECONOMIC = Kind("basic_expenditure_by_economic", "basic_expenditure_by_economic")
THREE_PUBLIC = Kind("three_public_expenses", "three_public_expenses")
GOVERNMENT_FUND = Kind("government_fund_expenditure", "government_fund_expenditure", "government_fund_budget")
STATE_CAPITAL = Kind("state_capital_expenditure", "state_capital_expenditure", "state_capital_budget")
PROJECTS = Kind("projects", "projects")
PROCUREMENT = Kind("procurement", "procurement")
PURCHASED_SERVICES = Kind("purchased_services", "purchased_services")
PERFORMANCE = Kind("performance_targets", "performance_targets")

# 一般公共预算支出表（按经济分类）: basic and project spending by economic class.
EXPENDITURE_BY_ECONOMIC = Kind("expenditure_by_economic", "expenditure_by_economic", "general_public_budget")
# Tables the standard has no resource for: kept cell by cell (unmodelled_cells), not gaps.
# 基本支出表 by functional classification (人员经费 | 公用经费 per function code): the standard's
# basic-expenditure resource is by economic class, and its function tables hold whole-budget rows.
BASIC_BY_FUNCTION = Kind("basic_expenditure_by_function", None, supported=False)
# A 基本支出表 of all funds beside the document's 一般公共预算 one: the standard's basic table is
# the general public budget's (the national template's), so this one is kept as printed.
BASIC_ALL_FUNDS = Kind("basic_expenditure_all_funds", None, supported=False)
# 支出总表 crossing the functional and the economic classifications on each row (北京 预算03表).
CROSSED = "expenditure_by_function_and_economic"
CROSS_CLASSIFIED_ALL = Kind(CROSSED, CROSSED, "all_funds")
CROSS_CLASSIFIED_GPB = Kind(CROSSED, CROSSED, "general_public_budget")
# A basic-expenditure table so crossed: the standard has no resource for it, kept as printed.
CROSS_CLASSIFIED_BASIC = Kind("cross_classified_basic_expenditure", None, supported=False)


def _cross_classified(header: str) -> bool:
    """A header with both a functional and an economic classification column."""
    return "功能分类" in header and "经济分类" in header


# (words that must all be in the title, words that must not be, kind)
TITLE_RULES: list[tuple[tuple[str, ...], tuple[str, ...], Kind]] = [
    (("绩效",), (), PERFORMANCE),
    (("项目申报表",), (), PERFORMANCE),
    (("自评",), (), PERFORMANCE),
    (("政府采购",), (), PROCUREMENT),
    (("购买服务",), (), PURCHASED_SERVICES),
    (("三公",), (), THREE_PUBLIC),
    (("机关运行经费",), (), THREE_PUBLIC),
    (("财政拨款", "收", "支", "总"), (), FISCAL_SUMMARY),  # 总表, 总体情况表
    (("政府性基金",), (), GOVERNMENT_FUND),
    (("国有资本经营",), (), STATE_CAPITAL),
    (("基本支出", "功能分类"), ("经济分类",), BASIC_BY_FUNCTION),
    (("基本支出",), (), BASIC_BY_ECONOMIC),
    (("收支",), (), BUDGET_SUMMARY),
    (("收入支出",), (), BUDGET_SUMMARY),
    (("收入",), (), REVENUE_BY_UNIT),
    (("项目支出",), (), PROJECTS),
    (("一般公共预算", "支出", "分单位"), (), EXPENDITURE_BY_UNIT),
    (("一般公共预算", "支出"), (), EXPENDITURE_GPB),
    (("支出",), (), EXPENDITURE_ALL),
]


def _by_unit(header: tuple[str, str]) -> bool:
    """A spending table whose rows are units: its first column is the unit's (单位编码, 单位名称)
    and no column is a classification's (科目)."""
    return "单位" in compact(header[0]) and "科目" not in header[1]


def recognize(title: str, header_words: Callable[[], tuple[str, str]] = lambda: ("", "")) -> Kind | None:
    """The kind of a table from its title; the header decides between by-unit and by-function.

    `header_words` gives the header's first cell and all its text; it is called only for the two
    titles that need it, as working out a header costs more than the rest of recognition."""
    text = compact(title)
    for required, forbidden, kind in TITLE_RULES:
        if all(w in text for w in required) and not any(w in text for w in forbidden):
            crossable = (EXPENDITURE_GPB, EXPENDITURE_ALL, BASIC_BY_ECONOMIC, BASIC_BY_FUNCTION)
            if kind in crossable and _cross_classified(header_words()[1]):
                if kind in (EXPENDITURE_GPB, EXPENDITURE_ALL):
                    return CROSS_CLASSIFIED_GPB if kind is EXPENDITURE_GPB else CROSS_CLASSIFIED_ALL
                return CROSS_CLASSIFIED_BASIC
            if kind in (EXPENDITURE_GPB, EXPENDITURE_ALL) and "经济分类" in text:
                return EXPENDITURE_BY_ECONOMIC
            if kind in (EXPENDITURE_GPB, EXPENDITURE_ALL) and _by_unit(header_words()):
                return EXPENDITURE_BY_UNIT if kind is EXPENDITURE_GPB else EXPENDITURE_ALL_BY_UNIT
            if kind is REVENUE_BY_UNIT and "科目" in compact(header_words()[1]):
                return REVENUE_BY_FUNCTION  # 收入决算表: rows are functional classification codes
            return kind
    return None


def one_basic_table(kinds: list[tuple[str, Kind | None]]) -> list[Kind | None]:
    """(title, kind) of a document's tables in order → kinds, where a basic table whose title does
    not name the general public budget yields to one that does (Yantai prints both, with other
    totals; Jiangsu prints 财政拨款 and 一般公共预算 basic tables)."""
    basic = [compact(title) for title, kind in kinds if kind is BASIC_BY_ECONOMIC]
    if len(basic) < 2 or not any("一般公共预算" in t for t in basic):
        return [kind for _, kind in kinds]
    return [
        BASIC_ALL_FUNDS if kind is BASIC_BY_ECONOMIC and "一般公共预算" not in compact(title) else kind
        for title, kind in kinds
    ]


# Column rules: (field, words that must all be in the header path, words that must not be).
ColumnRule = tuple[str, tuple[str, ...], tuple[str, ...]]

_EXPENDITURE_COLUMNS: list[ColumnRule] = [
    ("code", ("编码",), ()),
    ("code", ("代码",), ()),
    ("name", ("名称",), ()),
    ("personnel", ("人员经费",), ()),
    ("public", ("公用经费",), ()),
    ("basic", ("基本支出",), ()),
    ("project", ("项目支出",), ()),
    ("business_operation", ("经营支出",), ()),
    ("remittance_to_higher", ("上缴上级",), ()),
    ("subsidy_to_subordinate", ("附属单位补助",), ()),
    ("total", ("合计",), ()),
    ("total", ("总计",), ()),
    ("total", ("小计",), ()),
]
# 政府性基金 / 国有资本经营 final-accounts tables add the balances around the year's flows.
_FUND_COLUMNS: list[ColumnRule] = [
    ("opening_balance", ("年初",), ()),
    ("closing_balance", ("年末",), ()),
    ("revenue", ("本年收入",), ()),
    *_EXPENDITURE_COLUMNS,
]
_REVENUE_BY_FUNCTION_COLUMNS: list[ColumnRule] = [
    ("code", ("编码",), ()),
    ("name", ("名称",), ()),
    ("total", ("合计",), ()),
    ("fiscal_appropriation", ("财政拨款",), ()),
    ("higher_level_subsidy", ("上级补助",), ()),
    ("business_income", ("事业收入",), ()),
    ("business_operation_income", ("经营收入",), ()),
    ("subordinate_remittance", ("附属单位上缴",), ()),
    ("other_income", ("其他收入",), ()),
]
_ECONOMIC_COLUMNS: list[ColumnRule] = [
    ("code", ("编码",), ()),
    ("name", ("名称",), ()),
    ("personnel", ("人员经费",), ()),
    ("public", ("公用经费",), ()),
    ("personnel", ("人员支出",), ()),
    ("public", ("公用支出",), ()),  # 日常公用支出
    ("total", ("合计",), ()),
    ("total", ("总计",), ()),
    ("total", ("基本支出", "小计"), ()),
    # a basic table with one amount column: 基本支出 | 金额 | 预算数 | 决算数 is its total
    ("total", ("基本支出",), ()),
    ("total", ("金额",), ()),
    ("total", ("预算数",), ()),
    ("total", ("决算数",), ()),
]
# 一般公共预算支出表（按经济分类）: 合计 (支出总计) | 基本支出 | 项目支出 per economic code.
_EXPENDITURE_BY_ECONOMIC_COLUMNS: list[ColumnRule] = [
    ("code", ("编码",), ()),
    ("code", ("代码",), ()),
    ("name", ("名称",), ()),
    ("basic", ("基本支出",), ()),
    ("project", ("项目支出",), ()),
    ("total", ("合计",), ()),
    ("total", ("总计",), ()),
    ("total", ("小计",), ()),
    ("total", ("金额",), ()),
    ("total", ("预算数",), ()),
]
_INCOME_SOURCES = [
    ("general_public_budget", "一般公共预算"),
    ("government_fund_budget", "政府性基金"),
    ("state_capital_budget", "国有资本"),
    ("fiscal_special_account", "财政专户"),
    ("business_operation_income", "事业单位经营"),
    ("business_income", "事业收入"),
    ("higher_level_subsidy", "上级补助"),
    ("subordinate_remittance", "附属单位上缴"),
    ("other_income", "其他收入"),
]
_PROJECT_COLUMNS: list[ColumnRule] = [
    ("code", ("编码",), ()),
    ("name", ("名称",), ()),
    ("unit", ("单位",), ("资金",)),
    ("category", ("类别",), ()),
    *[(f"carryover_{f}", ("结转", w), ()) for f, w in _INCOME_SOURCES[:3]],
    *[(f, (w,), ()) for f, w in _INCOME_SOURCES[:4]],
    ("unit_funds", ("单位资金",), ()),
    ("total", ("合计",), ()),
    ("total", ("总计",), ()),
]
_THREE_PUBLIC_COLUMNS: list[ColumnRule] = [
    ("agency_operation", ("机关运行",), ()),
    ("vehicles", ("购置及运行",), ("小计",)),
    ("vehicle_purchase", ("购置费",), ()),
    ("vehicle_operation", ("运行",), ("小计", "购置及运行")),
    ("vehicles", ("公务用车", "小计"), ()),
    ("outbound_travel", ("出国",), ()),
    ("official_reception", ("接待",), ()),
    ("meetings", ("会议费",), ()),
    ("training", ("培训费",), ()),
    ("total", ("合计",), ()),
    ("total", ("总计",), ()),
    ("total", ("三公",), ()),
]

COLUMN_RULES: dict[str, list[ColumnRule]] = {
    "expenditure_by_function": _EXPENDITURE_COLUMNS,
    "expenditure_by_unit": _EXPENDITURE_COLUMNS,
    "government_fund_expenditure": _FUND_COLUMNS,
    "state_capital_expenditure": _FUND_COLUMNS,
    "revenue_by_function": _REVENUE_BY_FUNCTION_COLUMNS,
    "basic_expenditure_by_economic": _ECONOMIC_COLUMNS,
    "expenditure_by_economic": _EXPENDITURE_BY_ECONOMIC_COLUMNS,
    "projects": _PROJECT_COLUMNS,
    "three_public_expenses": _THREE_PUBLIC_COLUMNS,
    CROSSED: _EXPENDITURE_COLUMNS,
}
TEXT_FIELDS = {"code", "name", "unit", "alt_code", "alt_name", "category"}
# Kinds keyed by a classification code, whose tables may print the unit before the code.
CLASSIFIED_KINDS = {
    "expenditure_by_function",
    CROSSED,
    "basic_expenditure_by_economic",
    "expenditure_by_economic",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "revenue_by_function",
}
_UNIT_LEAVES = {"预算单位", "单位名称", "单位", "部门名称", "部门(单位)名称", "单位(部门)名称", "预算单位名称"}


def _classified_text_field(kind: str, leaf: str) -> str | None:
    """Text columns of classification tables whatever their wording: the unit a row belongs to,
    a column printing code and name together (支出功能分类科目 '2050803-培训支出'), and the
    second code of economic tables that print both (政府预算经济分类 50x beside 部门预算 30x), in
    one column or as code and name columns."""
    if leaf in _UNIT_LEAVES:
        return "unit"
    if kind == "basic_expenditure_by_economic" and "政府" in leaf and "经济" in leaf:
        # the government classification's code and name in columns of their own (政府经济科目编码 | 名称)
        if any(w in leaf for w in ("编码", "代码")):
            return "alt_code"
        if "名称" in leaf:
            return "alt_name"
    if "科目" in leaf and "分类" in leaf and not any(w in leaf for w in ("编码", "代码", "名称")):
        return "alt_code" if "政府" in leaf and kind == "basic_expenditure_by_economic" else "code"
    if leaf in ("支出项目类别", "项目类别", "支出项目", "科目", "项目") and kind == "basic_expenditure_by_economic":
        return "name"
    return None


# Header leaves that say what a column is whatever the table: final accounts print the code in
# 类 | 款 | 项 columns, mark the name column 栏次, and number lines in 行 / 行次 columns.
LEAF_FIELDS = {"类": "code", "款": "code", "项": "code", "栏次": "name", "行": "line_no", "行次": "line_no"}


_CARRYOVER_SOURCES = {
    "general_public_budget",
    "government_fund_budget",
    "state_capital_budget",
    "fiscal_special_account",
}


_SOURCE_FIELDS = {
    *(f for f, _ in _INCOME_SOURCES),
    *(f"carryover_{f}" for f in _CARRYOVER_SOURCES),
    "carryover_unit_funds",
}


def revenue_field(path: tuple[str, ...]) -> str | None:
    """部门收入总表 columns, decided by the leaf label; the parent only says whether it is carry-over.

    The leaf decides because extractors shift spanning parent labels by a column: an income
    source that carry-over never has (其他收入 …) stays a current-year column under any parent.
    """
    leaf = path[-1]
    if leaf.startswith("其中"):
        return None  # a part of the column before it (其中：专项资金列入部门预算项目)
    if leaf in ("小计", "合计") and len(path) > 1:
        parent = revenue_field(path[:-1])
        if parent in _SOURCE_FIELDS:
            return parent  # 一般公共预算拨款/小计 beside its 其中 column: the source itself
    carry = any("结转" in p for p in path)
    for field_name, word in _INCOME_SOURCES:
        if word in leaf:
            if carry and field_name in _CARRYOVER_SOURCES:
                return f"carryover_{field_name}"
            return field_name
    if "单位资金" in leaf:
        return "carryover_unit_funds" if carry else "unit_funds"
    if "结转" in leaf or (carry and "小计" in leaf):
        return "carryover_total"
    if "本年收入" in leaf or "小计" in leaf:
        return "current_year_total"
    if "代码" in leaf or "编码" in leaf:
        return "code"
    if "名称" in leaf or leaf in _UNIT_LEAVES:
        return "name"
    if "合计" in leaf or "总计" in leaf:
        return "total"
    return None


_BASIS_LEAVES = {"预算数", "决算数", "预算", "决算", "全年预算数", "年初预算数", "预算执行数"}


def column_field(kind: str, path: tuple[str, ...]) -> str | None:
    """The standard field for a column's header path, or None when no rule matches."""
    if not path:
        return None
    if path[-1] in LEAF_FIELDS:
        return LEAF_FIELDS[path[-1]]
    if kind == "revenue_by_unit":
        return revenue_field(path)
    if kind == "three_public_expenses":
        if path[-1] in _UNIT_LEAVES or path[-1] in ("年度", "年份", "项目", "预算年度"):
            return "name"
        if "编码" in path[-1] or "代码" in path[-1]:
            return "code"
        if "名称" in path[-1]:
            return "name"
        if len(path) > 1 and path[-1] in _BASIS_LEAVES:
            # each item split into 预算数 | 决算数 below it (the basis is read from the path)
            return column_field(kind, path[:-1])
        if len(path) > 1 and any(w in path[-1] for w in ("一般公共预算", "政府性基金", "国有资本")):
            # an item split by fund: the general public budget part is the item's amount (财政拨款
            # “三公” are paid from it); the other funds' columns are kept as printed
            return column_field(kind, path[:-1]) if "一般公共预算" in path[-1] else None
    if kind in CLASSIFIED_KINDS:
        text_field = _classified_text_field(kind, path[-1])
        if text_field:
            return text_field
    text = "/".join(path)
    leaf = path[-1]
    for field_name, required, forbidden in COLUMN_RULES.get(kind, []):
        if kind == "three_public_expenses":
            # the leaf decides, the parent only breaks a 小计 tie
            target = text if "小计" in leaf else leaf
        else:
            target = text
        if all(w in target for w in required) and not any(w in target for w in forbidden):
            return field_name
    return None


def realign_carryover(paths: list[tuple[str, ...]], fields: list[str | None]) -> str | None:
    """Undo a leaf row shifted right inside the 上年结转结余 group (a carry-over 其他收入 cannot exist).

    The group's valid leaves are laid back on its columns from the left. Returns a note when it acted.
    """
    group = [i for i, p in enumerate(paths) if any("结转" in x for x in p[:-1])]
    if not group:
        return None
    invalid = [i for i in group if fields[i] is not None and not str(fields[i]).startswith("carryover_")]
    if not invalid or invalid[0] != group[0]:
        return None
    valid = [fields[i] for i in group if fields[i] is not None and str(fields[i]).startswith("carryover_")]
    for offset, i in enumerate(group):
        fields[i] = valid[offset] if offset < len(valid) else None
    label = "/".join(paths[invalid[0]])
    return (
        f"the header puts '{label}' under 上年结转结余, where it cannot be; the group's labels were read "
        "as shifted one column right by the extraction and laid back from the group's first column"
    )


def resolve_vehicle_columns(paths: list[tuple[str, ...]], fields: list[str | None], line: int) -> list[Repair]:
    """Read 公务用车 columns whose labels the extraction cut short ('公务用车 | 公务用车').

    Under 公务用车购置及运行维护费 the national template always prints 小计, 购置费, 运行维护费 in
    that order; a group whose two leaves lost the words that tell them apart is read in that
    order, and the reading is returned as a note.
    """
    notes = []
    groups: dict[str, list[int]] = {}
    for i, path in enumerate(paths):
        if fields[i] is None and any("公务用车" in p for p in path):
            groups.setdefault(path[0] if len(path) > 1 else "", []).append(i)
    for group, columns in groups.items():
        taken = {fields[i] for i, p in enumerate(paths) if (p[0] if len(p) > 1 else "") == group}
        free = [f for f in ("vehicle_purchase", "vehicle_operation") if f not in taken]
        if len(columns) != len(free):
            continue
        for i, name in zip(columns, free, strict=True):
            fields[i] = name
        labels = ", ".join("/".join(paths[i]) for i in columns)
        notes.append(
            Repair(
                line,
                f"the columns {labels} lost the words that tell 购置费 from 运行维护费; read in the "
                "template's order as " + " and ".join(free),
                check="truncated-label",
            )
        )
    return notes


def basis_of(path: tuple[str, ...], phase: str | None) -> str:
    """预算数 → budget, 决算数 → actual; a column without either follows the disclosure's phase."""
    text = "/".join(path)
    if "决算" in text:
        return "actual"
    if "预算" in text:
        return "budget"
    return "actual" if phase == "final_accounts" else "budget"
