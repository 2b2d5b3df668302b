"""The “三公” table: one row per item and period, whichever way round it is printed."""

from __future__ import annotations

import re
from dataclasses import replace

from converter.cells import compact
from converter.layout import (
    BodyRow,
)
from converter.mapping.coded import _keep_row
from converter.mapping.table import Context, ParsedTable, Row, _amounts, _column_label, _unplaced
from converter.recognize import (
    basis_of,
    column_field,
)
from converter.report import Finding

THREE_PUBLIC_ITEMS = (
    "total",
    "outbound_travel",
    "vehicles",
    "vehicle_purchase",
    "vehicle_operation",
    "official_reception",
    "meetings",
    "training",
    "agency_operation",
    "total_with_meetings_training",
)


# 1、 / 其中： / （1） before an item's name in tables that print one row per item
_ITEM_PREFIX = re.compile(r"^(其中[:：]?|[（(]?[0-9一二三四五六七八九十]{1,2}[)）、.．]+)")


def _other_period(path: tuple[str, ...], year: int) -> str | None:
    """What a “三公” column group stands for when it is not the fiscal year: another year or the
    change between years (上年 | 当年 | 增减变化情况, 2025年预算数 | 2026年预算数); None for the year's own."""
    for part in path:
        words = compact(part)
        if any(w in words for w in ("增减", "变化", "增长", "比上年", "变动")):
            return "change"
        if "上年" in words or "上一年" in words:
            return "previous year"
        years = {int(y) for y in re.findall(r"(20\d\d)年", words)}
        if years and year not in years:
            return "another year"
    return None


def _three_public_item(name: str) -> str | None:
    """The item a row names in a table printed as one row per item (合计, 1、因公出国（境）费用 …)."""
    words = compact(name)
    while True:
        stripped = _ITEM_PREFIX.sub("", words)
        if stripped == words:
            break
        words = stripped
    if not words:
        return None
    item = column_field("three_public_expenses", (words,))
    return item if item in THREE_PUBLIC_ITEMS else None


def map_three_public(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """“三公”经费 (and 会议费, 培训费, 机关运行经费 where a table prints them) as (basis, item) rows.

    Final accounts print 预算数 and 决算数 side by side, each becoming a basis. Column groups for
    another year or the change between years, rows for other years, units and an economic
    breakdown are kept as printed in unmodelled_cells; a table that prints one row per item is
    read by the items' names.
    """
    rows: list[Row] = []
    findings: list[Finding] = []
    fields = list(table.fields)
    periods = [_other_period(path, ctx.year) for path in table.paths]
    own = [i for i, period in enumerate(periods) if period is None]
    if own and len(own) < len(periods):
        # 上年 | 当年 | 增减 groups side by side: the fiscal year's group is the data
        for i, period in enumerate(periods):
            if period is not None:
                fields[i] = None
        findings.append(
            Finding(
                "info",
                "three-public-columns",
                f"the table prints column groups for {', '.join(sorted({p for p in periods if p}))} beside the "
                f"{ctx.year} columns; those are kept as printed in unmodelled_cells",
                resource="three_public_expenses",
                source_line=table.raw.first_line,
                table=table.ref,
            )
        )
    if any(f in ("meetings", "training") for f in fields):
        # 合计 of 三公, 会议费 and 培训费 beside the 三公 小计: the outer one is the larger total
        grand = [i for i in own or range(len(fields)) if fields[i] == "total"]
        if len(grand) > 1:
            for i in grand:
                if not any("三公" in part for part in table.paths[i]):
                    fields[i] = "total_with_meetings_training"
    table = replace(table, fields=fields)
    if not any(f in THREE_PUBLIC_ITEMS for f in fields):
        by_item = [(r, _three_public_item(r.name)) for r in table.rows if r.has_values]
        if sum(item is not None for _, item in by_item) >= 2:
            return _three_public_by_item(table, ctx, by_item)
    data = [r for r in table.rows if r.has_values]
    year_rows = [
        r for r in data if any(compact(t) in (f"{ctx.year}年", str(ctx.year), f"{ctx.year}年预算") for t in r.texts)
    ]
    total_rows = [r for r in data if r.is_total and not r.code]
    chosen: BodyRow | None = None
    if len(data) > 1 and year_rows:
        # one row per year (and their change), possibly per unit: the fiscal year's first row is the
        # department's; the others (last year, the change, the units) are kept as printed
        chosen, why = year_rows[0], "years, their change, units"
    elif len(data) > 1 and len(total_rows) == 1:
        # a 合计 row over rows per unit, or over an economic breakdown (机关运行经费): the total is the data
        chosen, why = total_rows[0], "units or an economic breakdown under the 合计"
    if chosen is not None:
        for row in data:
            if row is not chosen:
                _keep_row(table, row, "/".join(t for t in [row.code, *row.texts] if t) or "?", with_texts=False)
        findings.append(
            Finding(
                "info",
                "three-public-rows",
                f"the table prints {len(data)} rows ({why}); the row on line {chosen.line} is the data, "
                "the others are kept as printed in unmodelled_cells",
                resource="three_public_expenses",
                source_line=chosen.line,
                table=table.ref,
            )
        )
        data = [chosen]
    if own and len(own) < len(periods) and data:
        # the data row's cells under another year or the change, kept with their column's label
        row = data[0]
        for i in range(len(periods)):
            cell = row.amounts[i].strip() if i < len(row.amounts) else ""
            if periods[i] is not None and cell:
                table.keep_cell(row.line, table.n_text + i + 1, _column_label(table, i), cell)
    bases: dict[str, list[int]] = {}
    for i, path in enumerate(table.paths):
        if periods[i] is None or not own:
            bases.setdefault(basis_of(path, ctx.phase), []).append(i)
    for index, row in enumerate(data):
        if index > 0:
            findings.append(_unplaced(table, row, "three_public_expenses", "is a second data row"))
            continue
        for basis, columns in bases.items():
            view = replace(table, fields=[table.fields[i] for i in columns], paths=[table.paths[i] for i in columns])
            first_basis = basis == next(iter(bases))
            part = replace(
                row,
                amounts=[row.amounts[i] if i < len(row.amounts) else "" for i in columns],
                extra=row.extra if first_basis else [],
            )
            values, problems = _amounts(view, part, "three_public_expenses", basis, columns)
            findings.extend(problems)
            for item in THREE_PUBLIC_ITEMS:
                if item in values or item in view.fields:
                    rows.append({"basis": basis, "item": item, "amount": values.get(item), "source_line": row.line})
    return rows, findings


def _three_public_by_item(
    table: ParsedTable, ctx: Context, by_item: list[tuple[BodyRow, str | None]]
) -> tuple[list[Row], list[Finding]]:
    """A “三公” table printed as one row per item (项目 | 预算数): each row's name says its item,
    each amount column's label its basis."""
    rows: list[Row] = []
    findings: list[Finding] = []
    for row, item in by_item:
        if item is None:
            findings.append(_unplaced(table, row, "three_public_expenses", "names no “三公” item"))
            continue
        for index, cell in enumerate(row.amounts):
            basis = basis_of(table.paths[index], ctx.phase) if index < len(table.paths) else "?"
            view = replace(table, fields=[item], paths=[table.paths[index]] if index < len(table.paths) else [()])
            values, problems = _amounts(
                view, replace(row, amounts=[cell], extra=[]), "three_public_expenses", basis, [index]
            )
            findings.extend(problems)
            if cell.strip() or index == 0:
                rows.append({"basis": basis, "item": item, "amount": values.get(item), "source_line": row.line})
        for _offset, cell in row.extra:
            findings.append(_unplaced(table, row, "three_public_expenses", f"has a cell beyond the columns: {cell}"))
    return rows, findings
