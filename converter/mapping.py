"""Stage 4: map recognised tables onto the standard resources.

Each mapper is a pure function from a parsed table to (rows, findings). Amounts are converted to
yuan exactly; a cell that cannot be placed is never dropped: it becomes a finding with its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from converter import codelists
from converter.cells import clean_text, compact, parse_amount, to_yuan
from converter.layout import (
    BodyRow,
    Repair,
    column_paths,
    rejoin,
    restore_dropped_cells,
    split_header,
    split_row,
)
from converter.recognize import TEXT_FIELDS, Kind, column_field, realign_carryover
from converter.report import Finding
from converter.schema import amount_fields
from converter.segment import RawTable

Row = dict[str, object]


@dataclass
class Context:
    """What mappers may know about the whole disclosure."""

    year: int
    units: dict[str, str] = field(default_factory=dict)  # unit name (compact) -> unit code


@dataclass
class ParsedTable:
    raw: RawTable
    kind: Kind
    fields: list[str | None]  # per amount column
    paths: list[tuple[str, ...]]
    n_text: int
    has_code_column: bool
    rows: list[BodyRow]
    repairs: list[Repair]

    @property
    def ref(self) -> str:
        return f"{self.raw.label} {self.raw.title}".strip()


def parse_table(raw: RawTable, kind: Kind) -> ParsedTable:
    """Header → column fields; body → logical rows, rejoined."""
    header, body = split_header(raw.rows)
    width = max([len(r.cells) for r in header] + [0])
    if not header:
        width = max(len(r.cells) for r in body)
    paths = column_paths(header, width)
    all_fields = [column_field(kind.name, p) for p in paths]
    header_notes = []
    if kind.name == "revenue_by_unit":
        note = realign_carryover(paths, all_fields)
        if note:
            header_notes.append(Repair(header[-1].line if header else raw.first_line, note))
    n_text = 0
    while n_text < len(all_fields) and all_fields[n_text] in TEXT_FIELDS:
        n_text += 1
    has_code = n_text > 0 and all_fields[0] == "code"
    amount_fields = all_fields[n_text:]
    rows = [split_row(r, n_text, len(amount_fields), has_code) for r in body]
    if kind.name in ("budget_summary", "fiscal_appropriation_summary"):
        return ParsedTable(raw, kind, amount_fields, paths[n_text:], n_text, has_code, rows, [])
    placed = restore_dropped_cells(rows, len(amount_fields))
    rows, repairs = rejoin(rows)
    repairs = header_notes + placed + repairs
    return ParsedTable(raw, kind, amount_fields, paths[n_text:], n_text, has_code, rows, repairs)


def _amounts(table: ParsedTable, row: BodyRow, resource: str, key: str) -> tuple[Row, list[Finding]]:
    """The row's amounts by field, in yuan; findings for cells that cannot be placed or read."""
    values: Row = {}
    findings: list[Finding] = []
    base = dict(resource=resource, row_key=key, source_line=row.line, table=table.ref)
    for index, cell in enumerate(row.amounts):
        parsed = parse_amount(cell)
        name = table.fields[index] if index < len(table.fields) else None
        label = "/".join(table.paths[index]) if index < len(table.paths) else "?"
        if parsed.problem:
            findings.append(
                Finding(
                    "warning",
                    "unreadable-amount",
                    f"column '{label}': {parsed.problem}",
                    field=name or "",
                    value=cell.strip(),
                    **base,
                )
            )
            continue
        if parsed.repaired:
            findings.append(
                Finding(
                    "info",
                    "repaired-amount",
                    f"column '{label}': {parsed.repaired}",
                    field=name or "",
                    value=cell.strip(),
                    **base,
                )
            )
        if parsed.value is None:
            continue
        if name is None:
            findings.append(
                Finding(
                    "warning",
                    "unmapped-cell",
                    f"the amount {cell.strip()} in column '{label or '(no header)'}' has no field in the standard",
                    value=cell.strip(),
                    **base,
                )
            )
            continue
        if name in values:
            findings.append(
                Finding(
                    "warning",
                    "duplicate-column",
                    f"a second column maps to {name}; the amount {cell.strip()} is not used",
                    field=name,
                    value=cell.strip(),
                    **base,
                )
            )
            continue
        values[name] = to_yuan(parsed.value, table.raw.factor)
    for _offset, cell in row.extra:
        findings.append(
            Finding(
                "warning",
                "extra-cell",
                f"the row has a cell beyond the table's columns: {cell.strip()!r}",
                value=cell.strip(),
                **base,
            )
        )
    return values, findings


def _unplaced(table: ParsedTable, row: BodyRow, resource: str, why: str) -> Finding:
    values = " ".join(a.strip() for a in row.amounts if a.strip())
    text = " ".join(t for t in [row.code, *row.texts] if t)
    return Finding(
        "warning",
        "unplaced-row",
        f"row '{text}' {why}; its amounts are {values or 'blank'}",
        resource=resource,
        source_line=row.line,
        table=table.ref,
        value=values,
    )


def _level_of(code: str, lengths: dict[int, int]) -> int | None:
    return lengths.get(len(code))


FUNCTION_LEVELS = {3: 1, 5: 2, 7: 3}
ECONOMIC_LEVELS = {3: 1, 5: 2}


def map_coded(
    table: ParsedTable,
    ctx: Context,
    resource: str,
    code_field: str,
    name_field: str,
    levels: dict[int, int] | None,
    extra: Row,
) -> tuple[list[Row], list[Finding]]:
    """Tables keyed by a classification or unit code, with a 合计 row keyed `TOTAL`."""
    out: list[Row] = []
    findings: list[Finding] = []
    for row in table.rows:
        if row.is_total and not row.code:
            code, level = "TOTAL", 0
        elif row.code:
            code = row.code
            level = _level_of(code, levels) if levels else None
            if levels and level is None:
                findings.append(_unplaced(table, row, resource, f"has a code of unexpected length {len(code)}"))
                continue
        else:
            if row.has_values:
                findings.append(_unplaced(table, row, resource, "has no code"))
            continue
        values, problems = _amounts(table, row, resource, code)
        findings.extend(problems)
        record: Row = dict(extra)
        record[code_field] = code
        record[name_field] = row.name if code != "TOTAL" or row.name else "合计"
        if levels:
            record["level"] = level
        record.update(values)
        record["source_line"] = row.line
        out.append(record)
    return out, findings


def map_expenditure_by_function(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_coded(
        table,
        ctx,
        table.kind.resource or "",
        "function_code",
        "function_name",
        FUNCTION_LEVELS,
        {"scope": table.kind.scope},
    )


def map_expenditure_by_unit(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_coded(table, ctx, "expenditure_by_unit", "unit_code", "unit_name", None, {"scope": table.kind.scope})


def map_basic_by_economic(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_coded(table, ctx, "basic_expenditure_by_economic", "economic_code", "economic_name", ECONOMIC_LEVELS, {})


def map_revenue_by_unit(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """部门收入总表. Some layouts print a unit's carry-over on a second line under the same code;
    both lines are kept as printed (`source_line` tells them apart)."""
    rows, findings = [], []
    known: list[str] = []
    for row in table.rows:
        if row.code and row.code not in known:
            known.append(row.code)
    seen: list[str] = []
    for position, row in enumerate(table.rows):
        code = row.code
        if not code and not row.name and position > 0 and row.has_values:
            # a second line for a unit lost its code: the next coded row tells which one it was
            following = next((r.code for r in table.rows[position + 1 :] if r.code), None)
            if following and following in known and known.index(following) > 0 and seen:
                code = known[known.index(following) - 1]
                findings.append(
                    Finding(
                        "info",
                        "inferred-code",
                        f"line {row.line} has amounts but no unit code; it stands before "
                        f"{following} as {code} did above, so it is read as {code}",
                        resource="revenue_by_unit",
                        row_key=code,
                        source_line=row.line,
                        table=table.ref,
                    )
                )
        if row.is_total and not code:
            code = "TOTAL"
        if not code:
            if row.has_values:
                findings.append(_unplaced(table, row, "revenue_by_unit", "has no unit code"))
            continue
        seen.append(code)
        values, problems = _amounts(table, row, "revenue_by_unit", code)
        findings.extend(problems)
        name = row.name or ("合计" if code == "TOTAL" else "")
        record: Row = {"unit_code": code, "unit_name": name}
        record.update(values)
        record["source_line"] = row.line
        rows.append(record)
    return rows, findings


def map_fund_expenditure(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """政府性基金 / 国有资本经营 tables: often empty, with a note saying so (kept in the package)."""
    return map_coded(table, ctx, table.kind.resource or "", "function_code", "function_name", FUNCTION_LEVELS, {})


THREE_PUBLIC_ITEMS = (
    "total",
    "outbound_travel",
    "vehicles",
    "vehicle_purchase",
    "vehicle_operation",
    "official_reception",
)


def map_three_public(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    rows: list[Row] = []
    findings: list[Finding] = []
    data = [r for r in table.rows if r.has_values]
    for index, row in enumerate(data):
        values, problems = _amounts(table, row, "three_public_expenses", "budget")
        findings.extend(problems)
        if index > 0:
            findings.append(_unplaced(table, row, "three_public_expenses", "is a second data row"))
            continue
        for item in THREE_PUBLIC_ITEMS:
            if item in values or item in table.fields:
                rows.append({"basis": "budget", "item": item, "amount": values.get(item), "source_line": row.line})
    return rows, findings


def _project_row_type(row: BodyRow, ctx: Context, text_cells: list[str]) -> str:
    code = row.code
    if row.is_total and not code:
        return "total"
    if code:
        if re.fullmatch(r"\d{1,2}", code):
            return "category"
        if re.fullmatch(r"\d{3}", code):
            return "department"
        if re.fullmatch(r"\d{6}", code):
            return "unit"
        return "project"
    name = compact(text_cells[0]) if text_cells else ""
    unit_cell = text_cells[1] if len(text_cells) > 1 else ""
    if name in codelists.project_categories():
        return "category"
    if not unit_cell and name in ctx.units:
        return "department" if len(ctx.units[name]) == 3 else "unit"
    return "project"


PROJECT_AMOUNTS = amount_fields("projects")


def map_projects(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """项目支出表: one row per printed line, typed total/department/unit/category/project, so the
    subtotals the document prints are kept and can be checked against their projects."""
    rows: list[Row] = []
    findings: list[Finding] = []
    unit_code, unit_name, category = "", "", ""
    for row in table.rows:
        texts = row.texts
        kind = _project_row_type(row, ctx, texts)
        name = texts[0] if texts else ""
        printed_unit = texts[1] if len(texts) > 1 else ""
        code = row.code
        if kind in ("department", "unit"):
            if not code:
                code = ctx.units.get(compact(name), "")
                if code:
                    findings.append(
                        Finding(
                            "info",
                            "inferred-code",
                            f"unit '{name}' has no code in this table; "
                            f"{code} is its code in the disclosure's unit tables",
                            resource="projects",
                            row_key=code,
                            source_line=row.line,
                            table=table.ref,
                        )
                    )
            unit_code, unit_name, category = code, name, ""
        elif kind == "category":
            category = name
        key = code or name or kind
        values, problems = _amounts(table, row, "projects", key)
        findings.extend(problems)
        record: Row = {
            "row_type": kind,
            "project_code": code if kind == "project" else "",
            "project_name": name if kind == "project" else "",
            "unit_code": unit_code if kind != "total" else "",
            "unit_name": (printed_unit or unit_name)
            if kind == "project"
            else (name if kind in ("department", "unit") else ""),
            "category": category if kind in ("project", "category") else "",
            "category_code": (
                code if kind == "category" and code else codelists.project_categories().get(compact(category), "")
            )
            if category
            else "",
        }
        if kind == "total":
            record["unit_name"] = ""
        for name_ in PROJECT_AMOUNTS:
            record[name_] = values.get(name_)
        record["source_line"] = row.line
        rows.append(record)
    return rows, findings


def _summary_item(side: str, text: str, carryover_context: bool) -> str | None:
    words = compact(text)
    for item_side, item, match in codelists.summary_items():
        if item_side == side and compact(match) in words:
            if carryover_context and item in (
                "general_public_budget",
                "government_fund_budget",
                "state_capital_budget",
                "fiscal_special_account",
            ):
                return f"carryover_{item}"
            return item
    return None


_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十廿]+[)）、.．]\s*")


def summary_sides(table: ParsedTable) -> tuple[list[tuple[str, int, str, str]], list[Repair]]:
    """(side, line, printed name, printed amount) for both halves of a two-sided 收支 table.

    A name wrapped onto the next line without an amount (廿一、灾害防治及应急 / 管理支出) is joined,
    and the join returned as a repair.
    """
    header, body = split_header(table.raw.rows)
    entries: list[list] = []
    repairs: list[Repair] = []
    last: dict[str, list] = {}
    for row in body:
        cells = row.cells + [""] * (4 - len(row.cells))
        for side, (name_cell, amount_cell) in (("revenue", cells[0:2]), ("expenditure", cells[2:4])):
            name = clean_text(name_cell)
            amount = amount_cell.strip()
            if not name and not amount:
                continue
            if (
                name
                and not amount
                and not _ORDINAL.match(name)
                and side in last
                and not last[side][4]
                and not _summary_item(side, name, False)
            ):
                last[side][2] = clean_text(last[side][2] + name)
                last[side][4] = True
                repairs.append(
                    Repair(
                        last[side][1], f"the name on line {row.line} continues line {last[side][1]}: '{last[side][2]}'"
                    )
                )
                continue
            entry = [side, row.line, name, amount, False]
            entries.append(entry)
            last[side] = entry
        for extra in row.cells[4:]:
            if extra.strip():
                entries.append(["extra", row.line, "", extra.strip(), False])
    return [(e[0], e[1], e[2], e[3]) for e in entries], repairs


def map_summary(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """部门收支总表 and 财政拨款收支总表: one row per printed line of either side."""
    resource = table.kind.resource or ""
    rows: list[Row] = []
    findings: list[Finding] = []
    carryover = False
    keys: set[tuple[str, str]] = set()
    sides, repairs = summary_sides(table)
    for repair in repairs:
        findings.append(
            Finding(
                repair.severity,
                "joined-row",
                repair.message,
                resource=resource,
                source_line=repair.line,
                table=table.ref,
            )
        )
    for side, line, name, amount_text in sides:
        base = dict(resource=resource, source_line=line, table=table.ref)
        if side == "extra":
            findings.append(
                Finding(
                    "warning", "extra-cell", f"a cell beyond the two sides: {amount_text!r}", value=amount_text, **base
                )
            )
            continue
        parsed = parse_amount(amount_text)
        if parsed.problem:
            findings.append(
                Finding("warning", "unreadable-amount", f"'{name}': {parsed.problem}", value=amount_text, **base)
            )
        stripped = _ORDINAL.sub("", compact(name))
        item = _summary_item(side, stripped, carryover and side == "revenue")
        if side == "revenue" and item == "carryover":
            carryover = True
        elif side == "revenue" and item == "current_year_total":
            carryover = False
        if item is None and side == "expenditure":
            item = codelists.class_code_by_name("functional", stripped, ctx.year)
        if item is None:
            if parsed.value is not None:
                findings.append(
                    Finding(
                        "warning",
                        "unplaced-row",
                        f"'{name}' matches no item of the standard; its amount is {amount_text}",
                        value=amount_text,
                        **base,
                    )
                )
            elif name:
                findings.append(
                    Finding(
                        "info", "unplaced-row", f"'{name}' matches no item of the standard and has no amount", **base
                    )
                )
            continue
        if (side, item) in keys:
            findings.append(
                Finding(
                    "warning",
                    "duplicate-row",
                    f"'{name}' repeats item {item}; amount {amount_text or 'blank'} not used",
                    value=amount_text,
                    row_key=item,
                    **base,
                )
            )
            continue
        keys.add((side, item))
        value = to_yuan(parsed.value, table.raw.factor) if parsed.value is not None else None
        rows.append({"side": side, "item": item, "item_name": name, "amount": value, "source_line": line})
    return rows, findings


MAPPERS: dict[str, Callable[[ParsedTable, Context], tuple[list[Row], list[Finding]]]] = {
    "budget_summary": map_summary,
    "fiscal_appropriation_summary": map_summary,
    "revenue_by_unit": map_revenue_by_unit,
    "expenditure_by_function": map_expenditure_by_function,
    "expenditure_by_unit": map_expenditure_by_unit,
    "basic_expenditure_by_economic": map_basic_by_economic,
    "three_public_expenses": map_three_public,
    "government_fund_expenditure": map_fund_expenditure,
    "state_capital_expenditure": map_fund_expenditure,
    "projects": map_projects,
}


def table_values(table: RawTable) -> list[tuple[int, str]]:
    """Every numeric-looking cell of a table as (line, text): what an unsupported table holds."""
    out = []
    header, body = split_header(table.rows)
    for row in body:
        for cell in row.cells:
            if parse_amount(cell).value is not None:
                out.append((row.line, cell.strip()))
    return out
