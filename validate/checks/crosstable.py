"""Agreement between tables of one disclosure: the standard says these figures are the same."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from converter.report import Finding
from validate.model import PackageData

ZERO = Decimal(0)


def _fmt(value: Decimal | None) -> str:
    return "blank" if value is None else f"{value / 10000:,.2f} 万元"


def _row(rows: list[dict], **where: object) -> dict | None:
    for row in rows:
        if all(row.get(k) == v for k, v in where.items()):
            return row
    return None


def _compare(
    check: str,
    resource: str,
    key: str,
    field: str,
    line: object,
    ours: Decimal | None,
    theirs: Decimal | None,
    what: str,
    step: Decimal,
) -> Finding | None:
    # a cell that is not a number is the structure check's finding, not an arithmetic one
    ours = ours if isinstance(ours, Decimal) else None
    theirs = theirs if isinstance(theirs, Decimal) else None
    if ours is None and theirs is None:
        return None
    diff = (ours or ZERO) - (theirs or ZERO)
    if diff == 0:
        return None
    severity = "warning" if abs(diff) <= step else "error"
    return Finding(
        severity,
        check,
        f"{key}: {_fmt(ours)} here but {_fmt(theirs)} in {what}",
        resource=resource,
        row_key=key,
        field=field,
        source_line=line if isinstance(line, int) else None,
        value=str(diff),
    )


def summary_classes_match_functional_table(pkg: PackageData) -> Iterator[Finding]:
    """部门收支总表's expenditure classes = the 类 totals of 部门支出总表 (or of 5-1 when 支出总表 is missing)."""
    functional = pkg.rows("expenditure_by_function")
    scope = "all_funds" if any(r.get("scope") == "all_funds" for r in functional) else "general_public_budget"
    classes = {r["function_code"]: r for r in functional if r.get("scope") == scope and r.get("level") == 1}
    if not classes:
        return
    for row in pkg.rows("budget_summary"):
        code = str(row.get("item"))
        if row.get("side") != "expenditure" or not code.isdigit():
            continue
        other = classes.get(code)
        finding = _compare(
            "across-tables",
            "budget_summary",
            f"{code} {row.get('item_name', '')}".strip(),
            "amount",
            row.get("source_line"),
            row.get("amount"),
            other.get("total") if other else None,
            f"expenditure_by_function ({scope})",
            pkg.step("budget_summary"),
        )
        if finding:
            yield finding


def basic_total_matches_economic_table(pkg: PackageData) -> Iterator[Finding]:
    """一般公共预算支出表's basic/personnel/public totals = 基本支出表's totals."""
    functional = [r for r in pkg.rows("expenditure_by_function") if r.get("scope") == "general_public_budget"]
    total = _row(functional, function_code="TOTAL")
    economic = _row(pkg.rows("basic_expenditure_by_economic"), economic_code="TOTAL")
    if not total or not economic:
        return
    for ours, theirs in (("total", "basic"), ("personnel", "personnel"), ("public", "public")):
        if not any(isinstance(r.get(theirs), Decimal) for r in functional):
            continue  # the functional table has no such column (final accounts print no 人员经费 there)
        value = economic.get(ours)
        if ours == "total" and value is None:
            personnel, public = economic.get("personnel"), economic.get("public")
            if not (isinstance(personnel, Decimal) and isinstance(public, Decimal)):
                continue
            value = ZERO + personnel + public  # 人员经费合计 + 公用经费合计, the layout prints no grand total
        finding = _compare(
            "across-tables",
            "basic_expenditure_by_economic",
            f"TOTAL {ours}",
            ours,
            economic.get("source_line"),
            value,
            total.get(theirs),
            f"expenditure_by_function (general_public_budget) {theirs}",
            pkg.step("basic_expenditure_by_economic"),
        )
        if finding:
            yield finding


def unit_total_matches_functional_total(pkg: PackageData) -> Iterator[Finding]:
    """分单位 合计 = 分功能科目 合计, column by column."""
    by_unit = _row(pkg.rows("expenditure_by_unit"), unit_code="TOTAL")
    functional = _row(
        pkg.rows("expenditure_by_function"), scope=by_unit.get("scope") if by_unit else None, function_code="TOTAL"
    )
    if not by_unit or not functional:
        return
    for field in ("total", "basic", "personnel", "public", "project"):
        finding = _compare(
            "across-tables",
            "expenditure_by_unit",
            f"TOTAL {field}",
            field,
            by_unit.get("source_line"),
            by_unit.get(field),
            functional.get(field),
            "expenditure_by_function",
            pkg.step("expenditure_by_unit"),
        )
        if finding:
            yield finding


def project_total_matches_project_column(pkg: PackageData) -> Iterator[Finding]:
    """项目支出表's total = the project column of 部门支出总表 (all funds)."""
    total = _row(pkg.rows("projects"), row_type="total")
    functional = _row(pkg.rows("expenditure_by_function"), scope="all_funds", function_code="TOTAL") or _row(
        pkg.rows("expenditure_by_function"), scope="general_public_budget", function_code="TOTAL"
    )
    if not total or not functional:
        return
    finding = _compare(
        "across-tables",
        "projects",
        "total",
        "total",
        total.get("source_line"),
        total.get("total"),
        functional.get("project"),
        "expenditure_by_function project column",
        pkg.step("projects"),
    )
    if finding:
        yield finding


def revenue_total_matches_summary(pkg: PackageData) -> Iterator[Finding]:
    """部门收入总表's 合计 = 部门收支总表's revenue grand total."""
    total = _row(pkg.rows("revenue_by_unit"), unit_code="TOTAL")
    grand = _row(pkg.rows("budget_summary"), side="revenue", item="grand_total")
    if not total or not grand:
        return
    finding = _compare(
        "across-tables",
        "revenue_by_unit",
        "TOTAL total",
        "total",
        total.get("source_line"),
        total.get("total"),
        grand.get("amount"),
        "budget_summary grand_total",
        pkg.step("revenue_by_unit"),
    )
    if finding:
        yield finding


THREE_PUBLIC_TOPICS = {
    "three_public_total": "total",
    "three_public_vehicles": "vehicles",
    "three_public_vehicle_purchase": "vehicle_purchase",
    "three_public_vehicle_operation": "vehicle_operation",
    "three_public_reception": "official_reception",
    "three_public_outbound": "outbound_travel",
}


def _table_figures(pkg: PackageData, figure: dict) -> list[tuple[Decimal | None, str]]:
    """What the tables print for the thing a narrative figure states: (amount, where), or []."""
    topic, basis = figure.get("topic"), figure.get("basis")
    if topic == "item_expenditure" and figure.get("subject_code"):
        row = _row(
            pkg.rows("expenditure_by_function"), scope="general_public_budget", function_code=figure["subject_code"]
        )
        return [(row.get("total"), "expenditure_by_function (general_public_budget)")] if row else []
    if topic in THREE_PUBLIC_TOPICS:
        row = _row(pkg.rows("three_public_expenses"), basis=basis, item=THREE_PUBLIC_TOPICS[str(topic)])
        return [(row.get("amount"), f"three_public_expenses ({basis})")] if row else []
    if topic in ("procurement_total", "purchased_services_total"):
        resource = "procurement" if topic == "procurement_total" else "purchased_services"
        row = _row(pkg.rows(resource), row_type="total")
        return [(row.get("total", row.get("amount")), resource)] if row else []
    return []


def narrative_matches_tables(pkg: PackageData) -> Iterator[Finding]:
    """A figure the 情况说明 states (a 项's amount, “三公” items, procurement totals) = the table's,
    to the precision the prose prints it with (1,130.99 万元 matches 11,309,940 元)."""
    expected_basis = "actual" if pkg.descriptor.get("phase") == "final_accounts" else "budget"
    for figure in pkg.rows("narrative_figures"):
        stated = figure.get("amount")
        if not isinstance(stated, Decimal) or figure.get("basis") != expected_basis:
            continue  # a final-accounts sentence also quotes the year's budget: the tables print the actuals
        printed_decimals = figure.get("decimals")
        decimals = printed_decimals if isinstance(printed_decimals, int) else 2
        half_unit = Decimal(10) ** -decimals / 2
        for printed, where in _table_figures(pkg, figure):
            if not isinstance(printed, Decimal) or abs(stated - printed) < half_unit or stated == printed:
                continue
            key = f"{figure.get('topic')} {figure.get('subject_code') or ''}".strip()
            finding = _compare(
                "narrative-vs-table",
                "narrative_figures",
                key,
                "amount",
                figure.get("source_line"),
                stated,
                printed,
                f"{where} ('{figure.get('label')}')",
                Decimal(100),
            )
            if finding:
                yield finding


CHECKS = (
    summary_classes_match_functional_table,
    basic_total_matches_economic_table,
    unit_total_matches_functional_total,
    project_total_matches_project_column,
    revenue_total_matches_summary,
    narrative_matches_tables,
)
