"""Arithmetic checks: hierarchies add up, row identities hold, the summary balances.

Each check takes the package's rows (amounts as Decimal yuan) and yields findings. Published
tables carry rounding (尾数误差): a gap of at most one printed unit of the last digit (0.01 万元
= 100 yuan) per summed term is `warning`; more is `error`. The converter runs the same checks
and records what the document itself prints, so `validate` can tell the source's own
disagreements (`source`) from damage done later.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from converter.report import Finding
from converter.schema import amount_fields
from validate.model import PackageData

ZERO = Decimal(0)


def _fmt(value: Decimal, step: Decimal) -> str:
    """An amount in the unit the table was printed in (万元 when step is 100 yuan)."""
    if step >= 100:
        return f"{value / 10000:,.2f} 万元"
    return f"{value:,.2f} 元"


def _gap(
    check: str,
    resource: str,
    key: str,
    field: str,
    line: object,
    parts_sum: Decimal,
    stated: Decimal,
    terms: int,
    step: Decimal,
    what: str,
) -> Finding | None:
    diff = abs(parts_sum - stated)
    if diff == 0:
        return None
    severity = "warning" if diff <= step * terms else "error"
    message = f"{key}: {what} add to {_fmt(parts_sum, step)} but the row says {_fmt(stated, step)}" + (
        " (rounding)" if severity == "warning" else ""
    )
    return Finding(
        severity,
        check,
        message,
        resource=resource,
        row_key=key,
        field=field,
        source_line=line if isinstance(line, int) else None,
        value=f"{parts_sum - stated}",
    )


def _num(row: dict, field: str) -> Decimal:
    value = row.get(field)
    return value if isinstance(value, Decimal) else ZERO


def _has(rows: Iterable[dict], field: str) -> bool:
    return any(isinstance(r.get(field), Decimal) for r in rows)


def _hierarchy(
    rows: list[dict], resource: str, code_field: str, fields: tuple[str, ...], step: Decimal, prefix: str = ""
) -> Iterator[Finding]:
    """Children add to parents: 项 → 款 → 类 → TOTAL, by code prefix."""
    by_code = {r[code_field]: r for r in rows if r.get(code_field)}
    codes = [c for c in by_code if c != "TOTAL"]
    by_length: dict[int, list[str]] = {}
    for c in codes:
        by_length.setdefault(len(c), []).append(c)
    lengths = sorted(by_length)
    for parent_code, parent in by_code.items():
        if parent_code == "TOTAL":
            children = [by_code[c] for c in by_length[lengths[0]]] if lengths else []
        else:
            # the children are the codes it begins of the shortest length that has any (a leaf has none)
            children = []
            for length in lengths:
                if length > len(parent_code):
                    children = [by_code[c] for c in by_length[length] if c.startswith(parent_code)]
                    if children:
                        break
        if not children:
            continue
        name = parent.get("function_name") or parent.get("economic_name") or ""
        key = f"{prefix}{parent_code} {name}".strip()
        for field in fields:
            if not _has([parent, *children], field) or field not in parent:
                continue
            if parent[field] is None and parent_code == "TOTAL":
                continue  # a layout without a grand total for this field (人员经费合计 | 公用经费合计)
            total = sum((_num(c, field) for c in children), ZERO)
            finding = _gap(
                "hierarchy",
                resource,
                key,
                field,
                parent.get("source_line"),
                total,
                _num(parent, field),
                len(children),
                step,
                f"its {len(children)} sub-items' {field}",
            )
            if finding:
                yield finding


def _identity(
    row: dict, resource: str, key: str, total_field: str, parts: tuple[str, ...], step: Decimal
) -> Finding | None:
    """The row's total equals the sum of its parts; `parts` are the columns the table prints."""
    present = [p for p in parts if p in row]
    if total_field not in row or not present:
        return None
    if not any(isinstance(row.get(f), Decimal) for f in (total_field, *present)):
        return None
    if row.get(total_field) is None and key.split("] ", 1)[-1].startswith("TOTAL"):  # '[scope] TOTAL 合计'
        return None  # a layout that prints no grand total, only one total per part
    total = sum((_num(row, p) for p in present), ZERO)
    return _gap(
        "row-identity",
        resource,
        key,
        total_field,
        row.get("source_line"),
        total,
        _num(row, total_field),
        len(present),
        step,
        " + ".join(present),
    )


EXPENDITURE_PARTS = ("basic", "project", "business_operation", "remittance_to_higher", "subsidy_to_subordinate")


def expenditure_hierarchy(pkg: PackageData) -> Iterator[Finding]:
    for resource in ("expenditure_by_function", "government_fund_expenditure", "state_capital_expenditure"):
        rows = pkg.rows(resource)
        fields = ("total", "basic", "personnel", "public", "project", *EXPENDITURE_PARTS[2:])
        for scope in sorted({str(r.get("scope", "")) for r in rows}):
            scoped = [r for r in rows if str(r.get("scope", "")) == scope]
            yield from _hierarchy(
                scoped, resource, "function_code", fields, pkg.step(resource), prefix=f"[{scope}] " if scope else ""
            )


def expenditure_identities(pkg: PackageData) -> Iterator[Finding]:
    """total = basic + project (+ other columns printed); basic = personnel + public, per table."""
    for resource in (
        "expenditure_by_function",
        "expenditure_by_unit",
        "government_fund_expenditure",
        "state_capital_expenditure",
    ):
        code_field = "unit_code" if resource == "expenditure_by_unit" else "function_code"
        name_field = "unit_name" if resource == "expenditure_by_unit" else "function_name"
        rows = pkg.rows(resource)
        for scope in sorted({str(r.get("scope") or "") for r in rows}):
            scoped = [r for r in rows if str(r.get("scope") or "") == scope]
            printed = [f for f in EXPENDITURE_PARTS if _has(scoped, f)]
            split = [f for f in ("personnel", "public") if _has(scoped, f)]
            for row in scoped:
                key = f"{'[' + scope + '] ' if scope else ''}{row.get(code_field)} {row.get(name_field) or ''}".strip()
                findings = [_identity(row, resource, key, "total", tuple(printed), pkg.step(resource))]
                if split:
                    findings.append(_identity(row, resource, key, "basic", tuple(split), pkg.step(resource)))
                yield from (f for f in findings if f)


# Tables by economic class: (resource, its amount fields, the parts its total is the sum of).
ECONOMIC_TABLES = (
    ("basic_expenditure_by_economic", ("total", "personnel", "public"), ("personnel", "public")),
    ("expenditure_by_economic", ("total", "basic", "project"), ("basic", "project")),
)


def economic_hierarchy(pkg: PackageData) -> Iterator[Finding]:
    """款 → 类 → TOTAL in the tables by economic class, every amount field."""
    for resource, fields, _ in ECONOMIC_TABLES:
        yield from _hierarchy(pkg.rows(resource), resource, "economic_code", fields, pkg.step(resource))


def economic_identities(pkg: PackageData) -> Iterator[Finding]:
    """Each row's total = personnel + public (basic table) or basic + project (all spending)."""
    for resource, _, parts in ECONOMIC_TABLES:
        for row in pkg.rows(resource):
            key = f"{row.get('economic_code')} {row.get('economic_name') or ''}".strip()
            finding = _identity(row, resource, key, "total", parts, pkg.step(resource))
            if finding:
                yield finding


CROSSED = "expenditure_by_function_and_economic"
CROSSED_PARTS = ("basic", "project")


def function_and_economic_sums(pkg: PackageData) -> Iterator[Finding]:
    """支出总表 crossing function and economic class: each line's total = basic + project (the
    columns under 其中 — 事业单位经营支出 … — are of which, not more parts: 北京 预算03表), and the
    合计 line = the sum of every line, field by field."""
    rows = pkg.rows(CROSSED)
    step = pkg.step(CROSSED)
    for scope in sorted({str(r.get("scope") or "") for r in rows}):
        scoped = [r for r in rows if str(r.get("scope") or "") == scope]
        lines = [r for r in scoped if r.get("function_code") != "TOTAL"]
        for row in scoped:
            codes = (row.get(f) or "" for f in ("function_code", "government_economic_code", "economic_code"))
            key = f"[{scope}] {' '.join(str(c) for c in codes if c)}"
            finding = _identity(row, CROSSED, key, "total", CROSSED_PARTS, step)
            if finding:
                yield finding
            if row.get("function_code") != "TOTAL":
                continue
            for field in amount_fields(CROSSED):
                if not isinstance(row.get(field), Decimal) or not _has(lines, field):
                    continue
                finding = _gap(
                    "hierarchy",
                    CROSSED,
                    key,
                    field,
                    row.get("source_line"),
                    sum((_num(r, field) for r in lines), ZERO),
                    _num(row, field),
                    len(lines),
                    step,
                    f"its {len(lines)} lines' {field}",
                )
                if finding:
                    yield finding


def three_public_parts(pkg: PackageData) -> Iterator[Finding]:
    """“三公” total = travel + vehicles + reception; vehicles = purchase + operation."""
    for basis in sorted({str(r.get("basis")) for r in pkg.rows("three_public_expenses")}):
        items = {r["item"]: r.get("amount") for r in pkg.rows("three_public_expenses") if r.get("basis") == basis}
        lines = {r["item"]: r.get("source_line") for r in pkg.rows("three_public_expenses") if r.get("basis") == basis}
        row = {k: v for k, v in items.items()}
        row["source_line"] = lines.get("total")
        step = pkg.step("three_public_expenses")
        for total_field, parts in (
            ("total", ("outbound_travel", "vehicles", "official_reception")),
            ("vehicles", ("vehicle_purchase", "vehicle_operation")),
        ):
            finding = _identity(row, "three_public_expenses", f"{basis} {total_field}", total_field, parts, step)
            if finding:
                yield finding


REVENUE_SOURCES = (
    "general_public_budget",
    "government_fund_budget",
    "state_capital_budget",
    "fiscal_special_account",
    "business_income",
    "business_operation_income",
    "higher_level_subsidy",
    "subordinate_remittance",
    "other_income",
)
CARRYOVER_SOURCES = (
    "carryover_general_public_budget",
    "carryover_government_fund_budget",
    "carryover_state_capital_budget",
    "carryover_fiscal_special_account",
    "carryover_unit_funds",
)


def revenue_identities(pkg: PackageData) -> Iterator[Finding]:
    step = pkg.step("revenue_by_unit")
    rows = pkg.rows("revenue_by_unit")
    for row in rows:
        key = f"{row.get('unit_code')} {row.get('unit_name') or ''}".strip()
        for total_field, parts in (
            ("total", ("current_year_total", "carryover_total")),
            ("current_year_total", REVENUE_SOURCES),
            ("carryover_total", CARRYOVER_SOURCES),
        ):
            printed = tuple(p for p in parts if _has(rows, p))
            if _has(rows, total_field) and printed:
                finding = _identity(row, "revenue_by_unit", key, total_field, printed, step)
                if finding:
                    yield finding


def _summary_items(pkg: PackageData, resource: str) -> dict[tuple[str, str], dict]:
    return {(str(r["side"]), str(r["item"])): r for r in pkg.rows(resource)}


def summary_balance(pkg: PackageData) -> Iterator[Finding]:
    """收支总表: parts add to the year's totals, totals to grand totals, and the two sides balance."""
    for resource in ("budget_summary", "fiscal_appropriation_summary"):
        items = _summary_items(pkg, resource)
        if not items:
            continue
        step = pkg.step(resource)

        def amount(side: str, item: str, items: dict = items) -> Decimal:
            row = items.get((side, item))
            return _num(row, "amount") if row else ZERO

        def line(side: str, item: str, items: dict = items) -> object:
            row = items.get((side, item))
            return row.get("source_line") if row else None

        rev_parts = [k for k in items if k[0] == "revenue" and k[1] in REVENUE_SOURCES]
        exp_parts = [k for k in items if k[0] == "expenditure" and k[1].isdigit()]
        checks = [
            ("revenue", "current_year_total", rev_parts, "the revenue lines"),
            ("expenditure", "current_year_total", exp_parts, "the expenditure classes"),
            (
                "revenue",
                "grand_total",
                [("revenue", "current_year_total"), ("revenue", "carryover")],
                "本年收入 and 上年结转",
            ),
            (
                "expenditure",
                "grand_total",
                [("expenditure", "current_year_total"), ("expenditure", "year_end_carryover")],
                "本年支出 and 年终结转结余",
            ),
        ]
        carry = [k for k in items if k[0] == "revenue" and k[1].startswith("carryover_")]
        if carry:
            checks.append(("revenue", "carryover", carry, "the carry-over lines"))
        for side, item, parts, what in checks:
            if (side, item) not in items or not parts:
                continue
            total = sum((amount(*p) for p in parts), ZERO)
            finding = _gap(
                "summary-balance",
                resource,
                f"{side} {item}",
                "amount",
                line(side, item),
                total,
                amount(side, item),
                len(parts),
                step,
                what,
            )
            if finding:
                yield finding
        if ("revenue", "grand_total") in items and ("expenditure", "grand_total") in items:
            finding = _gap(
                "summary-balance",
                resource,
                "grand_total",
                "amount",
                line("revenue", "grand_total"),
                amount("expenditure", "grand_total"),
                amount("revenue", "grand_total"),
                1,
                step,
                "expenditure's grand total",
            )
            if finding:
                yield Finding(
                    finding.severity,
                    finding.check,
                    f"revenue grand total {_fmt(amount('revenue', 'grand_total'), step)} does not equal "
                    f"expenditure grand total {_fmt(amount('expenditure', 'grand_total'), step)}",
                    resource=resource,
                    row_key="grand_total",
                    field="amount",
                    source_line=finding.source_line,
                    value=finding.value,
                )


PROJECT_AMOUNTS = tuple(f for f in amount_fields("projects") if f != "total")  # the funding columns
_PROJECT_DEPTH = {"total": 0, "department": 1, "unit": 2, "category": 3, "project": 4}


def project_sums(pkg: PackageData) -> Iterator[Finding]:
    """Each project row: total = its funding columns. Each subtotal line = the lines under it."""
    rows = pkg.rows("projects")
    step = pkg.step("projects")
    for row in rows:
        label = row.get("project_name") or row.get("unit_name") or row.get("category") or row.get("row_type")
        key = f"{row.get('project_code') or ''} {label}".strip()
        finding = _identity(row, "projects", key, "total", PROJECT_AMOUNTS, step)
        if finding:
            yield finding
    yield from _subtotals(rows, "projects", _PROJECT_DEPTH, ("total", *PROJECT_AMOUNTS), step)


def _subtotals(
    rows: list[dict], resource: str, depths: dict[str, int], fields: tuple[str, ...], step: Decimal
) -> Iterator[Finding]:
    """Each subtotal line (by row_type depth) = the lines one level under it, until the next peer."""
    deepest = max(depths.values())
    for index, row in enumerate(rows):
        depth = depths.get(str(row.get("row_type")), deepest)
        if depth >= deepest:
            continue
        children: list[dict] = []
        child_depth = None
        for other in rows[index + 1 :]:
            other_depth = depths.get(str(other.get("row_type")), deepest)
            if other_depth <= depth:
                break
            if child_depth is None:
                child_depth = other_depth
            if other_depth == child_depth:
                children.append(other)
        if not children:
            continue
        label = row.get("unit_name") or row.get("category") or ""
        key = f"{row.get('row_type')} {row.get('unit_code') or ''} {label}".strip()
        for field in fields:
            if not _has([row, *children], field):
                continue
            total = sum((_num(c, field) for c in children), ZERO)
            finding = _gap(
                "hierarchy",
                resource,
                key,
                field,
                row.get("source_line"),
                total,
                _num(row, field),
                len(children),
                step,
                f"its {len(children)} lines' {field}",
            )
            if finding:
                yield finding


_LISTING_DEPTH = {
    "total": 0,
    "group": 1,
    "category": 1,
    "function 3": 1,
    "department": 2,
    "function 5": 2,
    "unit": 3,
    "function 7": 3,
    "subtotal": 4,
    "item": 5,
}
# the procurement amounts that add up over lines (a unit price does not)
PROCUREMENT_SUMMED = tuple(f for f in amount_fields("procurement") if f != "unit_price")


def _by_code_level(row: dict) -> dict:
    """A line of the functional classification typed by its level (类, 款, 项), so each adds up the next."""
    if row.get("row_type") != "function":
        return row
    return {**row, "row_type": f"function {len(str(row.get('function_code') or ''))}"}


def listing_sums(pkg: PackageData) -> Iterator[Finding]:
    """政府采购 / 购买服务: each subtotal line = its items; a purchase's quantity × unit price = its amount."""
    yield from _subtotals(
        [_by_code_level(r) for r in pkg.rows("procurement")],
        "procurement",
        _LISTING_DEPTH,
        PROCUREMENT_SUMMED,
        pkg.step("procurement"),
    )
    yield from _subtotals(
        pkg.rows("purchased_services"),
        "purchased_services",
        _LISTING_DEPTH,
        ("amount",),
        pkg.step("purchased_services"),
    )
    for row in pkg.rows("procurement"):
        quantity, price, total = row.get("quantity"), row.get("unit_price"), row.get("total")
        if not (isinstance(quantity, Decimal) and isinstance(price, Decimal) and isinstance(total, Decimal)):
            continue
        product = quantity * price
        if product != total:
            key = f"{row.get('project_name') or ''} {row.get('item_name') or ''}".strip()
            yield Finding(
                "error" if abs(product - total) > Decimal(1) else "warning",
                "row-identity",
                f"{key}: {quantity} × {price:,.2f} 元 = {product:,.2f} 元 but the row's amount is {total:,.2f} 元",
                resource="procurement",
                row_key=key,
                field="total",
                source_line=row.get("source_line") if isinstance(row.get("source_line"), int) else None,
                value=str(product - total),
            )


CHECKS = (
    summary_balance,
    revenue_identities,
    expenditure_hierarchy,
    expenditure_identities,
    economic_hierarchy,
    economic_identities,
    function_and_economic_sums,
    three_public_parts,
    project_sums,
    listing_sums,
)
