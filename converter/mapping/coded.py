"""Tables listed by classification code (功能分类, 经济分类, per unit): one row per printed code line."""

from __future__ import annotations

from dataclasses import replace

from converter.cells import clean_text, compact
from converter.codes import Resolution, codes_by_name, resolve_codes
from converter.layout import (
    TOTAL_NAMES,
    BodyRow,
    code_and_name,
    column_paths,
    drop_repeated_header,
    header_and_body,
)
from converter.mapping.table import Context, ParsedTable, Row, _amounts, _inferred, _unplaced
from converter.metadata import fallback_code
from converter.report import Finding


def _level_of(code: str, lengths: dict[int, int]) -> int | None:
    return lengths.get(len(code))


# Code length -> level (类 1, 款 2, 项 3) in each classification.
LEVELS = {"functional": {3: 1, 5: 2, 7: 3}, "economic": {3: 1, 5: 2, 7: 3}}


FUNCTIONAL_RESOURCES = (
    "expenditure_by_function",
    "revenue_by_function",
    "government_fund_expenditure",
    "state_capital_expenditure",
)


def known_codes(tables: list[ParsedTable]) -> dict[str, dict[str, str]]:
    """Codes printed at full length anywhere in the document, by classification, with their names."""
    out: dict[str, dict[str, str]] = {"functional": {}, "economic": {}}
    for table in tables:
        kind = "functional" if table.kind.resource in FUNCTIONAL_RESOURCES else None
        if table.kind.resource in ("basic_expenditure_by_economic", "expenditure_by_economic"):
            kind = "economic"
        if kind is None:
            continue
        full = 7 if kind == "functional" else 5
        for row in table.rows:
            if len(row.code) == full and row.code.isdigit() and row.name:
                out[kind].setdefault(row.code, row.name)
    return out


def map_coded(
    table: ParsedTable,
    ctx: Context,
    resource: str,
    code_field: str,
    name_field: str,
    classification: str | None,
    extra: Row,
    rows: list[BodyRow] | None = None,
) -> tuple[list[Row], list[Finding]]:
    """Tables keyed by a classification or unit code, with a 合计 row keyed `TOTAL`.

    Codes printed cut short (a 项 row showing its 款 code) are recovered by `converter.codes`
    and reported; a row whose code cannot be recovered is reported with its amounts.
    """
    out: list[Row] = []
    findings: list[Finding] = []
    body = table.rows if rows is None else rows
    levels = LEVELS.get(classification or "")
    resolutions = (
        resolve_codes(
            [(r.code, r.name) for r in body],
            classification,
            ctx.year,
            ctx.known_codes.get(classification),
            [r.alt_code.split("-")[0] for r in body],
        )
        if classification
        else [Resolution(r.code) for r in body]
    )
    level: int | None
    unit_lines = [
        r
        for r in body
        if not r.code and r.has_values and ((r.unit and not r.texts) or (not r.unit and compact(r.name) in ctx.units))
    ]
    unit_ids = {id(r) for r in unit_lines}  # rows are looked up by identity: equal rows are not the same line
    by_name: list[str | None] = [None] * len(body)
    if classification and any(not r.code and r.name and id(r) not in unit_ids for r in body):
        by_name = codes_by_name(
            [(r.code, "" if id(r) in unit_ids else r.name) for r in body],
            classification,
            ctx.year,
            ctx.known_codes.get(classification),
        )
    has_total = any(r.is_total and not r.code and not r.unit for r in body)
    per_unit = _per_unit_blocks(body, unit_ids)
    heading = (
        unit_lines[0]
        if per_unit and len(unit_lines) > 1 and body.index(unit_lines[1]) == body.index(unit_lines[0]) + 1
        else None
    )
    if per_unit:
        findings.append(
            Finding(
                "info",
                "per-unit-table",
                f"the table lists its codes unit by unit ({len(unit_lines)} unit lines); the standard holds this "
                "resource for the department as a whole, so the units' lines are kept as printed in unmodelled_cells",
                resource=resource,
                source_line=body[0].line if body else None,
                table=table.ref,
            )
        )
    parts = [] if per_unit else _unnamed_parts(body, resolutions, by_name)
    if parts:
        findings.append(
            Finding(
                "info",
                "per-unit-table",
                f"the table prints its codes again ({max(parts)} times) without a line for each unit: it lists them "
                "unit by unit; the standard holds this resource for the department as a whole, so the coded "
                "lines are kept as printed in unmodelled_cells (as part 1, part 2 …) and only its total is mapped",
                resource=resource,
                source_line=body[0].line if body else None,
                table=table.ref,
            )
        )
    unit = ""
    for position_in_body, (row, resolution, named) in enumerate(zip(body, resolutions, by_name, strict=True)):
        if parts and not (row.is_total and not row.code) and id(row) not in unit_ids:
            _keep_row(table, row, f"part {parts[position_in_body]}", with_texts=True)
            continue
        if per_unit and row is not heading:
            if id(row) in unit_ids:
                unit = row.unit or row.name
            _keep_row(table, row, unit or "?", with_texts=id(row) not in unit_ids)
            continue
        if named is not None:
            findings.append(
                Finding(
                    "info",
                    "inferred-code",
                    f"'{row.name}' is printed without a code; {named} is the item of that name under the "
                    "class above it",
                    resource=resource,
                    row_key=named,
                    source_line=row.line,
                    table=table.ref,
                )
            )
            row = replace(row, code=named)
            resolution = Resolution(named)
        if id(row) in unit_ids:
            if (len(unit_lines) == 1 or row is heading) and not has_total:
                code, level = "TOTAL", 0  # one unit: its line is the table's total
            else:
                # a unit's subtotal: the standard keys this table by code only, so the line is kept as
                # printed under the unit it is for (a unit line known by its name prints no 预算单位 cell)
                table.keep_amounts(row, row.unit or row.name)
                continue
        elif row.is_total and not row.code:
            code, level = "TOTAL", 0
        elif row.code:
            if resolution.code is None:
                findings.append(_unplaced(table, row, resource, resolution.note, "unresolved-code"))
                continue
            code = resolution.code
            if code != row.code:
                findings.append(_inferred(table, row, resource, resolution))
            level = _level_of(code, levels) if levels else None
            if levels and level is None:
                findings.append(_unplaced(table, row, resource, f"has a code of unexpected length {len(code)}"))
                continue
        elif classification is None and row.name and row.has_values:
            code, level = _stand_in_unit_code(table, row, resource, findings), None
        else:
            if row.has_values:
                findings.append(_unplaced(table, row, resource, "has no code"))
            continue
        values, problems = _amounts(table, row, resource, code)
        findings.extend(problems)
        record: Row = dict(extra)
        record[code_field] = code
        record[name_field] = row.name if code != "TOTAL" or row.name else "合计"
        if row.alt_code:
            record["government_economic_code"] = row.alt_code
        if levels:
            record["level"] = level
        record.update(values)
        record["source_line"] = row.line
        out.append(record)
    return out, findings


def _keep_row(table: ParsedTable, row: BodyRow, prefix: str, with_texts: bool) -> None:
    """A whole row kept as printed: its code, its texts (unless the prefix already names it) and amounts."""
    texts = [t for t in [row.code, *(row.texts if with_texts else [])] if t]
    for position, text in enumerate(texts, start=1):
        table.keep_cell(row.line, position, f"{prefix}/text", text)
    table.keep_amounts(row, prefix)


def _unnamed_parts(body: list[BodyRow], resolutions: list[Resolution], by_name: list[str | None]) -> list[int]:
    """The part (1, 2 …) each row belongs to in a table that prints its codes again without naming
    the units it lists them for (a code, with its second code, seen before in the same part starts
    the next part); [] when no code is printed twice. Codes as resolved: a 款 code printed on its
    项 rows (cut short) is not a repeat."""
    parts: list[int] = []
    seen: set[tuple[str, str]] = set()
    part = 1
    for row, resolution, named in zip(body, resolutions, by_name, strict=True):
        key = ((resolution.code if row.code else named) or "", row.alt_code)
        if key[0]:
            if key in seen:
                part += 1
                seen = set()
            seen.add(key)
        parts.append(part)
    return parts if part > 1 else []


def _per_unit_blocks(body: list[BodyRow], unit_ids: set[int]) -> bool:
    """True when coded rows follow more than one unit line: the table repeats its codes per unit."""
    blocks = 0
    coded = False
    for row in body:
        if id(row) in unit_ids:
            blocks += coded
            coded = False
        elif row.code:
            coded = True
    return blocks + coded > 1


def _stand_in_unit_code(table: ParsedTable, row: BodyRow, resource: str, findings: list[Finding]) -> str:
    """A unit printed by name only: keyed by a stable stand-in from its name (reported), as the
    package name does for a department that prints no code."""
    code = fallback_code(row.name)
    findings.append(
        Finding(
            "info",
            "inferred-code",
            f"unit '{row.name}' is printed without a code; it is keyed by {code}, a stand-in from its name",
            resource=resource,
            row_key=code,
            source_line=row.line,
            table=table.ref,
        )
    )
    return code


def map_expenditure_by_function(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_coded(
        table,
        ctx,
        table.kind.resource or "",
        "function_code",
        "function_name",
        "functional",
        {"scope": table.kind.scope},
    )


def map_revenue_by_function(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """收入决算表: the year's revenue by functional code and income source (final accounts)."""
    return map_coded(table, ctx, "revenue_by_function", "function_code", "function_name", "functional", {})


def map_expenditure_by_unit(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_coded(table, ctx, "expenditure_by_unit", "unit_code", "unit_name", None, {"scope": table.kind.scope})


def map_expenditure_by_economic(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """一般公共预算支出表（按经济分类）: every economic code's spending, basic and project."""
    return map_coded(table, ctx, "expenditure_by_economic", "economic_code", "economic_name", "economic", {})


def map_fund_expenditure(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """政府性基金 / 国有资本经营 tables: often empty, with a note saying so (kept in the package)."""
    return map_coded(table, ctx, table.kind.resource or "", "function_code", "function_name", "functional", {})


def _crossed_role(path: tuple[str, ...]) -> str | None:
    """Which classification a text column of a crossed 支出总表 prints, by its header."""
    label = compact("/".join(path))
    if "功能" in label:
        return "function"
    if "经济" in label:
        return "government_economic" if "政府" in label else "economic"
    return None


_CROSSED_FIELDS = {
    "function": ("function_code", "function_name"),
    "government_economic": ("government_economic_code", "government_economic_name"),
    "economic": ("economic_code", "economic_name"),
}


def map_function_and_economic(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """支出总表 whose rows cross a function code with a government and a departmental economic code
    (北京 预算03表: '2010801-行政运行' | '50101-工资奖金津补贴' | '30101-基本工资' | 合计 | 基本支出 |
    项目支出 …): one row per printed line, codes and names as printed, the 合计 line as TOTAL."""
    resource = "expenditure_by_function_and_economic"
    header, body = header_and_body(table.raw)
    body, _ = drop_repeated_header(header, body)
    width = max(len(r.cells) for r in [*header, *body])
    roles = [_crossed_role(p) for p in column_paths(header, width)[: table.n_text]]
    rows: list[Row] = []
    findings: list[Finding] = []
    if "function" not in roles or "economic" not in roles:
        return rows, findings  # its amounts are reported as not placed
    for line in body:
        texts = [line.cells[i] if i < len(line.cells) else "" for i in range(table.n_text)]
        amounts = line.cells[table.n_text :]
        printed = compact("".join(texts))
        if not printed and not any(a.strip() for a in amounts):
            continue
        row: Row = {"scope": table.kind.scope}
        if printed in TOTAL_NAMES:
            for role in roles:
                if role:
                    row[_CROSSED_FIELDS[role][0]] = "TOTAL"
        else:
            for role, text in zip(roles, texts, strict=True):
                pair = code_and_name(text) if role else None
                if role and pair:
                    row[_CROSSED_FIELDS[role][0]], row[_CROSSED_FIELDS[role][1]] = pair
            if not row.get("function_code") or not row.get("economic_code"):
                if rows and not any(a.strip() for a in amounts):
                    for role, text in zip(roles, texts, strict=True):  # a name wrapped onto the next line
                        name_field = _CROSSED_FIELDS[role][1] if role else ""
                        if name_field and text.strip() and rows[-1].get(name_field):
                            rows[-1][name_field] = clean_text(f"{rows[-1][name_field]}{text}")
                continue  # a line with amounts but no codes is reported as not placed
        key = " ".join(str(row.get(_CROSSED_FIELDS[r][0], "")) for r in roles if r)
        values, problems = _amounts(table, BodyRow(line.line, key, [], amounts), resource, key)
        findings += problems
        row.update(values)
        row["source_line"] = line.line
        rows.append(row)
    return rows, findings
