"""Stage 4: map recognised tables onto the standard resources.

Each mapper is a pure function from a parsed table to (rows, findings). Amounts are converted to
yuan exactly; a cell that cannot be placed is never dropped: it becomes a finding with its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from converter import codelists
from converter.cells import clean_code, clean_text, compact, is_code, parse_amount, placeholder_mark
from converter.codes import Resolution, codes_by_name, resolve_codes
from converter.layout import (
    TOTAL_NAMES,
    BodyRow,
    Repair,
    code_and_name,
    column_numbers,
    column_paths,
    drop_repeated_header,
    fill_code_hierarchy,
    header_and_body,
    rejoin,
    restore_dropped_cells,
    split_by_roles,
    split_row,
)
from converter.listings import map_listing
from converter.metadata import fallback_code
from converter.performance import FormState, map_performance
from converter.recognize import (
    CLASSIFIED_KINDS,
    TEXT_FIELDS,
    Kind,
    basis_of,
    column_field,
    realign_carryover,
    resolve_vehicle_columns,
)
from converter.report import Finding, Where, amount_cell_findings
from converter.schema import amount_fields
from converter.segment import RawTable
from converter.segment import Row as Line

Row = dict[str, object]


@dataclass
class Context:
    """What mappers may know about the whole disclosure."""

    year: int
    phase: str = "budget"
    units: dict[str, str] = field(default_factory=dict)  # unit name (compact) -> unit code
    # codes the document prints in full, by classification: code -> name (for cut-short codes)
    known_codes: dict[str, dict[str, str]] = field(default_factory=dict)
    # a performance form spans several tables (12-x, then its 长期/年度绩效目标表)
    form: FormState = field(default_factory=FormState)


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
    # cells of labelled columns the standard has no field for, as printed (to unmodelled_cells)
    unmodelled: list[dict[str, object]] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.raw.label} {self.raw.title}".strip()

    def keep_cell(self, line: int, column: int, label: str, text: str) -> None:
        """Keep a printed cell the standard has no field for, with its column's label."""
        self.unmodelled.append(
            {"table": self.ref or "(untitled)", "source_line": line, "column": column, "text": text, "label": label}
        )

    def keep_amounts(self, row: BodyRow, prefix: str) -> None:
        """Keep every amount a row prints, each labelled with what the row is and its column."""
        for index, cell in enumerate(row.amounts):
            if cell.strip():
                label = f"{prefix}/{_column_label(self, index)}"
                self.keep_cell(row.line, self.n_text + index + 1, label, cell.strip())


# Kinds whose mapper reads the raw lines itself: the generic row split does not apply to them.
OWN_READERS = {
    "budget_summary",
    "expenditure_by_function_and_economic",
    "fiscal_appropriation_summary",
    "procurement",
    "purchased_services",
    "performance_targets",
}
# Forms, read line by line from the first: they have no column header to work out.
READS_FORM_LINES = {"performance_targets"}


def _second_code_group(roles: list[str | None]) -> bool:
    """Turn a second code | name group into the government classification's (alt_code, alt_name),
    in place: economic tables that print 部门预算 科目编码 (类 | 款) | 名称 and then 政府预算 科目编码
    (类 | 款) | 名称 under the same 科目编码 label (Yantai). True when there was one."""
    first_name = next((i for i, r in enumerate(roles) if r in ("name", "alt_name")), None)
    if first_name is None or "code" not in roles[:first_name]:
        return False
    later = [i for i in range(first_name + 1, len(roles)) if roles[i] == "code"]
    if not later:
        return False
    for i in later:
        roles[i] = "alt_code"
    for i in range(later[-1] + 1, len(roles)):
        if roles[i] == "name":
            roles[i] = "alt_name"
            break
    return True


def parse_table(raw: RawTable, kind: Kind) -> ParsedTable:
    """Header → column fields; body → logical rows, rejoined."""
    if kind.name in READS_FORM_LINES:
        return ParsedTable(raw, kind, [], [], 0, False, [], [])
    header, body = header_and_body(raw)
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
    if kind.name == "three_public_expenses":
        header_notes += resolve_vehicle_columns(paths, all_fields, header[-1].line if header else raw.first_line)
    n_text = 0
    while n_text < len(all_fields) and all_fields[n_text] in TEXT_FIELDS:
        n_text += 1
    n_code = all_fields[:n_text].count("code")
    if n_code > 1:
        # 类 | 款 | 项 layouts: unlabelled columns before the first amount belong to the text zone
        while n_text < len(all_fields) and not paths[n_text]:
            n_text += 1
    roles = all_fields[:n_text]
    if kind.name == "basic_expenditure_by_economic" and _second_code_group(roles):
        n_code = roles.count("code")
    by_roles = (
        kind.name in CLASSIFIED_KINDS
        and (n_code <= 1 or "alt_code" in roles)
        and ("unit" in roles or "alt_code" in roles or (n_code == 1 and roles[0] != "code"))
    )
    has_code = n_code > 0 and (all_fields[0] == "code" or by_roles)
    amount_fields = all_fields[n_text:]
    body, repeated = drop_repeated_header(header, body)
    header_notes += repeated
    if kind.name in OWN_READERS or (kind.name == "basic_expenditure_by_economic" and side_by_side_groups(raw)):
        return ParsedTable(raw, kind, amount_fields, paths[n_text:], n_text, has_code, [], [])  # they read raw lines
    if by_roles:
        rows = [split_by_roles(r, roles, len(amount_fields)) for r in body]
    else:
        rows = [split_row(r, n_text, len(amount_fields), has_code, n_code) for r in body]
        if has_code and n_code == 1:
            for row in rows:  # a code cell that also prints the name ('2050803-培训支出')
                pair = code_and_name(row.code) if not row.texts else None
                if not row.code and row.texts and code_and_name(row.texts[0]):
                    pair = code_and_name(row.texts[0])
                    row.texts = row.texts[1:]
                if pair:
                    row.code, row.texts = pair[0], [pair[1], *row.texts]
    if n_code > 1:
        header_notes += fill_code_hierarchy(rows)
    header_notes += drop_column_number_overflow(rows, column_numbers(header))
    placed = restore_dropped_cells(rows, len(amount_fields))
    rows, repairs = rejoin(rows)
    repairs = header_notes + placed + repairs
    return ParsedTable(raw, kind, amount_fields, paths[n_text:], n_text, has_code, rows, repairs)


def drop_column_number_overflow(rows: list[BodyRow], numbers: list[int]) -> list[Repair]:
    """A 栏次 line's numbers that slid onto the first body line are not amounts.

    Extraction sometimes moves the last column numbers of the 栏次 line (1 2 | 3) onto the next
    line. When the first body line's only values are plain integers continuing that sequence,
    they are column numbers: blanked here and reported with their text.
    """
    if not numbers or not rows:
        return []
    first = rows[0]
    values = [(i, a.strip()) for i, a in enumerate(first.amounts) if a.strip()]
    expected = [str(n) for n in range(numbers[-1] + 1, numbers[-1] + 1 + len(values))]
    if not values or [v for _, v in values] != expected:
        return []
    for i, _ in values:
        first.amounts[i] = ""
    printed = " ".join(v for _, v in values)
    return [
        Repair(
            first.line,
            f"line {first.line} holds {printed} where the 栏次 line stops at {numbers[-1]}: read as column "
            "numbers the extraction moved down, not as amounts",
            value=printed,
            check="column-numbers",
        )
    ]


def _column_label(table: ParsedTable, index: int) -> str:
    """A column's header path as printed (e.g. 支出/基本支出), for findings only."""
    return "/".join(table.paths[index]) if index < len(table.paths) else "?"


def _amounts(
    table: ParsedTable, row: BodyRow, resource: str, key: str, columns: list[int] | None = None
) -> tuple[Row, list[Finding]]:
    """The row's amounts by field, in yuan; findings for cells that cannot be placed or read.
    `columns`: where each of the row's amounts stands among the table's amount columns, when the
    caller passes a view of some of them (a basis of a “三公” table), so kept cells cite their own."""
    values: Row = {}

    def printed_column(index: int) -> int:
        return table.n_text + (columns[index] if columns and index < len(columns) else index) + 1

    findings: list[Finding] = []
    base = Where(resource=resource, row_key=key, source_line=row.line, table=table.ref)
    for index, cell in enumerate(row.amounts):
        parsed = parse_amount(cell)
        if parsed.value is None and parsed.problem is None:
            continue  # a blank cell
        name = table.fields[index] if index < len(table.fields) else None
        mark = placeholder_mark(cell) if parsed.problem else None
        marks = placeholder_cells(table.raw, mark) if mark is not None else 0
        if marks > 1:
            findings.append(
                base.finding(
                    "info",
                    "placeholder",
                    f"column '{_column_label(table, index)}': {cell.strip()!r} read as no amount; the table prints "
                    f"it for none in {marks} cells",
                    field=name or "",
                    value=cell.strip(),
                )
            )
            continue
        if parsed.problem or parsed.repaired:
            findings += amount_cell_findings(
                parsed.problem, parsed.repaired, _column_label(table, index), base, field=name or "", value=cell.strip()
            )
        if parsed.problem or parsed.value is None:
            continue
        if name is None:
            label = _column_label(table, index)
            if label:
                # a labelled column the standard has no field for: kept as printed, not a gap
                table.keep_cell(row.line, printed_column(index), label, cell.strip())
                continue
            findings.append(
                base.finding(
                    "warning",
                    "unmapped-cell",
                    f"the amount {cell.strip()} in column '{label or '(no header)'}' has no field in the standard",
                    value=cell.strip(),
                )
            )
            continue
        if name in values:
            label = _column_label(table, index)
            first = next((i for i, f in enumerate(table.fields) if f == name), index)
            if label and label != _column_label(table, first):
                # another column under its own label (项目支出总数 | 扣除基建项目后预算数): kept as printed
                table.keep_cell(row.line, printed_column(index), label, cell.strip())
                continue
            findings.append(
                base.finding(
                    "warning",
                    "duplicate-column",
                    f"a second column maps to {name}; the amount {cell.strip()} is not used",
                    field=name,
                    value=cell.strip(),
                )
            )
            continue
        values[name] = parsed.in_yuan(table.raw.factor)
    for _offset, cell in row.extra:
        findings.append(
            base.finding(
                "warning",
                "extra-cell",
                f"the row has a cell beyond the table's columns: {cell.strip()!r}",
                value=cell.strip(),
            )
        )
    return values, findings


def placeholder_cells(raw: RawTable, mark: str) -> int:
    """How many cells of a table print this placeholder mark: a table that prints it more than once
    uses it for 'none'; a single one, where a figure should stand, stays a gap."""
    return sum(placeholder_mark(cell) == mark for row in raw.rows for cell in row.cells)


def _unplaced(table: ParsedTable, row: BodyRow, resource: str, why: str, check: str = "unplaced-row") -> Finding:
    values = " ".join(a.strip() for a in row.amounts if a.strip())
    text = " ".join(t for t in [row.code, *row.texts] if t)
    return Finding(
        "warning",
        check,
        f"row '{text}' {why}; its amounts are {values or 'blank'}",
        resource=resource,
        source_line=row.line,
        table=table.ref,
        value=values,
    )


def _inferred(table: ParsedTable, row: BodyRow, resource: str, resolution: Resolution) -> Finding:
    """The report line for a code recovered from a cut-short one (the printed code is the value)."""
    return Finding(
        "info",
        "inferred-code",
        resolution.note,
        resource=resource,
        row_key=resolution.code or "",
        source_line=row.line,
        table=table.ref,
        value=row.code,
    )


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
                # a unit's subtotal: the standard keys this table by code only, so the line is kept as printed
                table.keep_amounts(row, row.unit)
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


def map_basic_by_economic(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    groups = side_by_side_groups(table.raw)
    if groups:
        return map_side_by_side(table, ctx, groups)
    return map_coded(table, ctx, "basic_expenditure_by_economic", "economic_code", "economic_name", "economic", {})


@dataclass(frozen=True)
class SideGroup:
    """One 编码 | 名称 | 金额 column group of a side-by-side table, and the side it stands under
    ('' when the header does not say: its 合计 line or its codes tell)."""

    code: int
    name: int
    amount: int
    side: str  # personnel | public | ''


# The national templates' definition of the two halves of basic expenditure: 人员经费 is
# 工资福利支出 and 对个人和家庭的补助; every other class is 公用经费.
PERSONNEL_CLASSES = ("301", "303")
_SIDE_WORDS = (("personnel", "人员经费"), ("public", "公用经费"))


def _side_of(text: str) -> str:
    """personnel / public when the text names one of the halves, else ''."""
    words = compact(text)
    return next((side for side, word in _SIDE_WORDS if word in words), "")


def side_by_side_groups(raw: RawTable) -> list[SideGroup]:
    """The column groups of a 人员经费 | 公用经费 side-by-side table; [] for a one-row-per-code table.

    Final accounts print 基本支出决算表 as two or three code | name | amount groups next to each
    other instead of one row per code with both columns. The header names each group's half
    (人员经费, 公用经费) or, as the Ministry of Finance's template does, only repeats
    经济分类科目编码 | 科目名称 | 决算数; then a group is a code column, a name column and the
    amount column after it, and the halves are told by the 合计 lines or the codes.
    """
    header, _ = header_and_body(raw)
    width = max([len(r.cells) for r in header] + [0])
    paths = column_paths(header, width)
    groups = []
    for i, path in enumerate(paths):
        if not (path and "名称" in path[-1] and 1 <= i < width - 1):
            continue
        text = "/".join(path)
        side = _side_of(text)
        before, after = paths[i - 1], paths[i + 1]
        coded = bool(before) and any(w in before[-1] for w in ("编码", "代码"))
        amount = bool(after) and not any(w in after[-1] for w in ("编码", "代码", "名称"))
        if side or (coded and amount):
            groups.append(SideGroup(i - 1, i, i + 1, side))
    if any(not g.side for g in groups) and any(g.side for g in groups):
        return []  # some groups under a half and some not: not this layout
    return groups if len(groups) >= 2 else []


def _total_label(cells: list[str], group: SideGroup) -> str:
    """The 合计 label a group's code or name cell prints on a total line ('人员经费合计'), else ''."""
    for column in (group.code, group.name):
        text = compact(cells[column])
        if text in TOTAL_NAMES or "合计" in text:
            return clean_text(cells[column])
    return ""


def _group_sides(body: list[Line], groups: list[SideGroup]) -> list[SideGroup]:
    """Groups whose header names no half take it from their 合计 line (人员经费合计)."""
    if all(g.side for g in groups):
        return groups
    sides = [""] * len(groups)
    for line in body:
        cells = line.cells + [""] * (groups[-1].amount + 1 - len(line.cells))
        for k, group in enumerate(groups):
            sides[k] = sides[k] or _side_of(_total_label(cells, group))
    return [replace(g, side=s) for g, s in zip(groups, sides, strict=True)]


def _named_entries(
    table: ParsedTable, ctx: Context, entries: list[tuple[BodyRow, SideGroup]], findings: list[Finding]
) -> list[tuple[BodyRow, SideGroup]]:
    """Codes for a side-by-side group's lines that print a name only: a class by its name
    (工资福利支出 is 301), an item by its name under the class above it, both from the code list;
    a name that is neither, with no amount, continues the group's line above (a wrapped name).
    A name that matches nothing and has an amount is reported with it."""
    resource = "basic_expenditure_by_economic"
    if all(row.code for row, _ in entries):
        return entries
    named: dict[int, str | None] = {}
    for group in dict.fromkeys(g for _, g in entries):
        positions = [i for i, (_, g) in enumerate(entries) if g is group]
        codes = codes_by_name(
            # a coded line opens its class: a name below it is looked up among the class's items
            [(entries[i][0].code[:3], entries[i][0].name) for i in positions],
            "economic",
            ctx.year,
            ctx.known_codes.get("economic"),
        )
        named.update(zip(positions, codes, strict=True))
    out: list[tuple[BodyRow, SideGroup]] = []
    for position, (row, group) in enumerate(entries):
        if row.code:
            out.append((row, group))
            continue
        code = named.get(position)
        if code:
            findings.append(
                Finding(
                    "info",
                    "inferred-code",
                    f"'{row.name}' is printed without a code; {code} is the economic item of that name",
                    resource=resource,
                    row_key=code,
                    source_line=row.line,
                    table=table.ref,
                )
            )
            out.append((replace(row, code=code), group))
            continue
        above = next((r for r, g in reversed(out) if g is group), None)
        if above is not None and not row.has_values:
            above.texts = [clean_text(above.name + row.name)]
            above.lines.append(row.line)
            findings.append(
                Finding(
                    "info",
                    "joined-row",
                    f"text on line {row.line} continues the name on line {above.line}: '{above.name}'",
                    resource=resource,
                    source_line=above.line,
                    table=table.ref,
                )
            )
            continue
        findings.append(_unplaced(table, row, resource, "has no code and its name is no economic item"))
    return out


def map_side_by_side(table: ParsedTable, ctx: Context, groups: list[SideGroup]) -> tuple[list[Row], list[Finding]]:
    """Each group's rows become economic rows whose amount is both `total` and its side's field;
    the 人员经费合计 / 公用经费合计 line becomes the TOTAL row (no grand total is printed).
    A group whose half neither its header nor its 合计 line names puts each code under the half
    its class belongs to (PERSONNEL_CLASSES)."""
    resource = "basic_expenditure_by_economic"
    _, body = header_and_body(table.raw)
    groups = _group_sides(body, groups)
    entries: list[tuple[BodyRow, SideGroup]] = []
    totals: dict[str, tuple[str, str, int]] = {}
    findings: list[Finding] = []
    for line in body:
        cells = line.cells + [""] * (groups[-1].amount + 1 - len(line.cells))
        used: set[int] = set()
        for group in groups:
            code_cell, name_cell, amount_cell = (cells[group.code], cells[group.name], cells[group.amount])
            label = _total_label(cells, group)
            if is_code(code_cell):
                row = BodyRow(line.line, clean_code(code_cell), [clean_text(name_cell)], [amount_cell], [line.line])
                entries.append((row, group))
                used |= {group.code, group.name, group.amount}
            elif not code_cell.strip() and clean_text(name_cell) and not label:
                # a name without a code: a class line named only, or a wrapped name's second line
                entries.append((BodyRow(line.line, "", [clean_text(name_cell)], [amount_cell], [line.line]), group))
                used |= {group.code, group.name, group.amount}
            elif label:
                side = group.side or _side_of(label) or "total"
                # a half spanning several groups prints its 合计 amount under any of them: its own
                # groups, or the unnamed groups that follow up to the next 合计 label
                k = groups.index(group)
                following: list[SideGroup] = []
                for g in groups[k + 1 :]:
                    if g.side or _total_label(cells, g):
                        break
                    following.append(g)
                side_amounts = [
                    (g.amount, cells[g.amount])
                    for g in groups
                    if ((group.side and g.side == group.side) or g is group or g in following)
                    and cells[g.amount].strip()
                ]
                column, amount = side_amounts[0] if side_amounts else (group.amount, "")
                totals[side] = (label, amount, line.line)
                used |= {group.code, group.name, column}
        for column, cell in enumerate(cells):
            if column not in used and cell.strip():
                findings.append(
                    Finding(
                        "warning",
                        "unplaced-cell",
                        f"the cell {cell.strip()!r} in column {column + 1} belongs to no code | name | amount group",
                        resource=resource,
                        source_line=line.line,
                        table=table.ref,
                        value=cell.strip(),
                    )
                )
    rows: list[Row] = []
    if totals:
        record: Row = {"economic_code": "TOTAL", "economic_name": "合计", "level": 0, "total": None}
        for side in ("total", "personnel", "public"):
            if side in totals:
                name, amount, line_no = totals[side]
                parsed = parse_amount(amount)
                record[side] = parsed.in_yuan(table.raw.factor) if parsed.value is not None else None
                if parsed.problem:
                    findings.append(
                        Finding(
                            "warning",
                            "unreadable-amount",
                            f"'{name}': {parsed.problem}",
                            resource=resource,
                            source_line=line_no,
                            table=table.ref,
                            value=amount,
                        )
                    )
        record["source_line"] = min(t[2] for t in totals.values())
        rows.append(record)
    entries = _named_entries(table, ctx, entries, findings)
    sequence = [row for row, _ in entries]
    resolutions = resolve_codes(
        [(r.code, r.name) for r in sequence], "economic", ctx.year, ctx.known_codes.get("economic")
    )
    for (row, group), resolution in zip(entries, resolutions, strict=True):
        if resolution.code is None:
            findings.append(_unplaced(table, row, resource, resolution.note, "unresolved-code"))
            continue
        if resolution.code != row.code:
            findings.append(_inferred(table, row, resource, resolution))
        level = LEVELS["economic"].get(len(resolution.code))
        if level is None:
            findings.append(_unplaced(table, row, resource, f"has a code of unexpected length {len(row.code)}"))
            continue
        side = group.side or ("personnel" if resolution.code[:3] in PERSONNEL_CLASSES else "public")
        view = replace(table, fields=[side], paths=[(side,)])
        values, problems = _amounts(view, row, resource, resolution.code)
        findings.extend(problems)
        rows.append(
            {
                "economic_code": resolution.code,
                "economic_name": row.name,
                "level": level,
                "total": values.get(side),
                side: values.get(side),
                "source_line": row.line,
            }
        )
    rows.sort(
        key=lambda r: (
            r["economic_code"] != "TOTAL",
            str(r["economic_code"]).ljust(5, "0"),
            len(str(r["economic_code"])),
        )
    )
    return rows, findings


def _revenue_by_line(table: ParsedTable) -> tuple[list[Row], list[Finding]] | None:
    """收入总表 printed as a list of lines (项目名称 | | 金额: 收入总计, 一般公共预算资金 小计 …)
    rather than a row per unit: one row for the department, each line's amount in its source's
    field; a line that is no source of the standard (专项收入, 债务资金, 其中：…) is kept as printed.
    None when the table is not such a list."""
    header, body = header_and_body(table.raw)
    if any(table.fields) or not header or not header[0].cells or not _names_lines(header[0].cells[0]):
        return None
    record: Row = {"unit_code": "TOTAL", "unit_name": "合计"}
    group = ""
    placed = False
    for row in body:
        numbers = [(i, c.strip()) for i, c in enumerate(row.cells) if c.strip() and parse_amount(c).value is not None]
        texts = [clean_text(c) for i, c in enumerate(row.cells) if c.strip() and i not in dict(numbers)]
        if len(numbers) > 1 or not texts and numbers:
            return None
        if row.cells and row.cells[0].strip():
            group = clean_text(row.cells[0])
        sub = texts[-1] if texts and not (row.cells and row.cells[0].strip() and len(texts) == 1) else ""
        path = (group, sub) if sub else (group,)
        total = not sub and any(w in compact(group) for w in ("总计", "合计"))
        name = "total" if total else column_field("revenue_by_unit", path)
        if name not in REVENUE_LINE_FIELDS or (sub == "小计" and name == "current_year_total"):
            name = None  # no source of the standard (其他资金 小计, 专项收入)
        if not numbers:
            continue
        column, text = numbers[0]
        if total:
            record["unit_name"] = group
        if name is None or name in record:
            table.keep_cell(row.line, column + 1, "/".join(path), text)
            continue
        record[name] = parse_amount(text).in_yuan(table.raw.factor)
        record.setdefault("source_line", row.line)
        placed = True
    if not placed:
        return None
    note = Finding(
        "info",
        "revenue-lines",
        "the table lists the revenue by source line by line, not by unit: read as the department's row",
        resource="revenue_by_unit",
        row_key="TOTAL",
        source_line=int(str(record["source_line"])),
        table=table.ref,
    )
    return [record], [note]


def map_revenue_by_unit(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """部门收入总表. Some layouts print a unit's carry-over on a second line under the same code;
    both lines are kept as printed (`source_line` tells them apart)."""
    by_line = _revenue_by_line(table)
    if by_line is not None:
        return by_line
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
        if not code and row.name and row.has_values:
            code = _stand_in_unit_code(table, row, "revenue_by_unit", findings)
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


REVENUE_LINE_FIELDS = set(amount_fields("revenue_by_unit"))


def map_fund_expenditure(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """政府性基金 / 国有资本经营 tables: often empty, with a note saying so (kept in the package)."""
    return map_coded(table, ctx, table.kind.resource or "", "function_code", "function_name", "functional", {})


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


_DIGITS = re.compile(r"\d+")


def _project_row_type(row: BodyRow, ctx: Context, text_cells: list[str]) -> str:
    code = row.code
    if row.is_total and not code:
        return "total"
    if code:
        if _DIGITS.fullmatch(code) and len(code) <= 2:
            return "category"
        if _DIGITS.fullmatch(code) and len(code) == 3:
            return "department"
        if _DIGITS.fullmatch(code) and len(code) == 6:
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


def _project_category_column(table: ParsedTable) -> int | None:
    """Where among a row's text cells (after its code) a 项目类别 column stands, if the table prints one."""
    header, _ = header_and_body(table.raw)
    width = max([len(r.cells) for r in header] + [0])
    roles = [column_field("projects", path) for path in column_paths(header, width)[: table.n_text]]
    texts = [role for role in roles if role != "code"] if table.has_code_column else roles
    if "category" not in texts or "name" not in texts:
        return None  # a 支出项目类别 column alone names the lines (units and projects)
    return texts.index("category")


def map_projects(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """项目支出表: one row per printed line, typed total/department/unit/category/project, so the
    subtotals the document prints are kept and can be checked against their projects."""
    rows: list[Row] = []
    findings: list[Finding] = []
    unit_code, unit_name, category = "", "", ""
    category_at = _project_category_column(table)
    for row in table.rows:
        printed_category = ""
        texts = row.texts
        if category_at is not None:
            # a 项目类别 column printed beside the name: each project's own category
            printed_category = clean_text(texts[category_at]) if category_at < len(texts) else ""
            texts = [t for i, t in enumerate(texts) if i != category_at]
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
        if printed_category and kind == "project":
            category = printed_category
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
    if carryover_context and side == "revenue":
        # the lines under 上年结余、结转: by the funds they carry over
        if "非财政拨款" in words:
            return "non_fiscal_carryover"
        if "财政拨款" in words and not any(w in words for _, w in _FUND_BREAKDOWN):
            return "fiscal_appropriation_carryover"
        if "单位资金" in words:
            return "non_fiscal_carryover"
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


_ORDINAL = re.compile(r"^[（(]?([一二三四五六七八九十廿]+|\d{1,2})[)）、.．]\s*")
_CHINESE_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十廿]+[)）、.．]")
# 其中：… prints a part of the line above it, not another line of the side
_PART_OF = re.compile(r"^其中[:：]?")


_FUND_BREAKDOWN = (
    ("general_public_budget", "一般公共预算"),
    ("government_fund_budget", "政府性基金"),
    ("state_capital_budget", "国有资本"),
)


@dataclass
class SummarySide:
    """One column group of a 收支 table: a name column and the amount columns up to the next one.

    Most tables have two groups (收入 | 支出). Some print the spending side again in parallel
    groups beside the functional classes: by use (基本支出 / 项目支出 …, role 'parallel') or by
    economic class (role 'economic')."""

    side: str
    name_column: int
    amount_columns: list[tuple[int, str | None]]  # (column, field)
    line_columns: list[int]  # 行次: line numbers, not amounts
    role: str = "main"
    label: str = ""  # the name column's header as printed


@dataclass
class SummaryLine:
    """One printed line of one column group."""

    group: SummarySide
    line: int
    name: str
    amounts: dict[str, str]  # field (or 'column N' for a column without one) -> amount as printed
    columns: dict[str, int]  # the same keys -> 0-based column
    joined: bool = False

    @property
    def side(self) -> str:
        return self.group.side


def _names_lines(leaf: str) -> bool:
    """A header leaf over the lines' names (项目, 项目名称, 功能科目名称, 支出功能分类科目), not amounts."""
    words = compact(leaf)
    return words == "项目" or "名称" in words or ("科目" in words and "金额" not in words)


def summary_layout(paths: list[tuple[str, ...]], width: int) -> list[SummarySide]:
    """Where each column group's names and amounts stand in a 收支 table.

    Budgets print 项目 | 预算数 | 项目 | 预算数; final accounts add 行次 columns (line numbers, not
    amounts) and may split the expenditure amount into 小计 and one column per fund. Some regions
    print more groups on the spending side (功能分类 | 支出用途, or functional | economic classes),
    each with its own name column; the first group is the revenue side.
    """
    names = [i for i, p in enumerate(paths) if p and _names_lines(p[-1])]
    if len(names) < 2:
        names = [i for i, p in enumerate(paths) if any("项目" in x for x in p)][:2]
    if len(names) < 2:
        names = [0, 2]
        width = max(width, 4)
    groups = []
    has_main: set[str] = set()  # the sides whose first group is found
    for k, start in enumerate(names):
        end = names[k + 1] if k + 1 < len(names) else width
        columns: list[tuple[int, str | None]] = []
        line_columns: list[int] = []
        for i in range(start + 1, end):
            path = paths[i] if i < len(paths) else ()
            if path and path[-1] in ("行", "行次"):
                line_columns.append(i)
                continue
            text = "/".join(path)
            field_name: str | None = "amount" if not columns or "小计" in text else None
            for name, word in _FUND_BREAKDOWN:
                if columns and word in (path[-1] if path else ""):
                    field_name = name
            columns.append((i, field_name))
        name_path = paths[start] if start < len(paths) else ()
        top = compact(name_path[0]) if len(name_path) > 1 else ""
        side = "revenue" if top.startswith("收入") or (k == 0 and not top.startswith("支出")) else "expenditure"
        role = "main"
        if side == "expenditure" and any("经济分类" in compact(x) for x in name_path):
            role = "economic"
        elif side in has_main:
            role = "parallel"
        else:
            has_main.add(side)
        groups.append(SummarySide(side, start, columns, line_columns, role, "/".join(name_path)))
    return groups


_EXTRA = SummarySide("extra", -1, [], [])


def summary_sides(table: ParsedTable) -> tuple[list[SummaryLine], list[Repair]]:
    """The printed lines of every column group of a 收支 table, in reading order.

    A name wrapped onto the next line without an amount (廿一、灾害防治及应急 / 管理支出) is joined,
    and the join returned as a repair. A line printed across the spending side's groups (当年支出小计
    with its one amount under the last group) is one line. Cells beyond the header's columns come
    back in the group of side "extra".
    """
    header, body = header_and_body(table.raw)
    width = max([len(r.cells) for r in header] + [0])
    layout = summary_layout(column_paths(header, width) if header else [], width)
    known = {
        i
        for spec in layout
        for i in [spec.name_column, *spec.line_columns, *(column for column, _ in spec.amount_columns)]
    }
    lines: list[SummaryLine] = []
    repairs: list[Repair] = []
    last: dict[int, SummaryLine] = {}
    for row in body:
        cells = row.cells
        on_row: list[SummaryLine] = []
        for index, spec in enumerate(layout):
            name = clean_text(cells[spec.name_column]) if spec.name_column < len(cells) else ""
            amounts: dict[str, str] = {}
            columns: dict[str, int] = {}
            for column, field_name in spec.amount_columns:
                text = cells[column].strip() if column < len(cells) else ""
                if text:
                    key = field_name or f"column {column + 1}"
                    amounts[key] = text
                    columns[key] = column
            if not name and not amounts:
                continue
            if not name:
                named = next((s for s in reversed(on_row) if s.side == spec.side and s.name and not s.amounts), None)
                if named is not None:
                    named.amounts.update(amounts)
                    named.columns.update(columns)
                    continue
            previous = last.get(index)
            if (
                name
                and not amounts
                and not _ORDINAL.match(name)
                and not _PART_OF.match(compact(name))
                and previous is not None
                and not previous.joined
                and not _summary_item(spec.side, name, False)
                and not _summary_item(spec.side, _ORDINAL.sub("", compact(previous.name)), False)
            ):
                previous.name = clean_text(previous.name + name)
                previous.joined = True
                note = f"the name on line {row.line} continues line {previous.line}: '{previous.name}'"
                repairs.append(Repair(previous.line, note))
                continue
            entry = SummaryLine(spec, row.line, name, amounts, columns)
            lines.append(entry)
            on_row.append(entry)
            last[index] = entry
        for column, extra in enumerate(cells):
            if column not in known and extra.strip():
                lines.append(SummaryLine(_EXTRA, row.line, "", {"amount": extra.strip()}, {"amount": column}))
    return lines, repairs


def _keep_summary_line(table: ParsedTable, entry: SummaryLine, label: str) -> None:
    """Keep a line's amounts as printed, each labelled with `label` (what the line is) and its column."""
    for key, text in entry.amounts.items():
        path = _column_label(table, entry.columns[key] - table.n_text).split("/")
        table.keep_cell(entry.line, entry.columns[key] + 1, f"{label}/{path[-1]}", text)


def map_summary(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """部门收支总表 and 财政拨款收支总表: one row per printed line of either side.

    Lines the standard has no item for are kept as printed (unmodelled_cells) with a note, not
    lost and not gaps, where the standard legitimately has no place for them: an economic-class
    breakdown of the spending side, a part line (其中：…), a line of a by-use breakdown beyond
    基本支出 / 项目支出, a heading over a side's lines that prints the side's total.
    """
    resource = table.kind.resource or ""
    rows: list[Row] = []
    findings: list[Finding] = []
    carryover = False
    current_class = ""
    class_ordinals = False  # the class lines print an ordinal (一、一般公共服务支出)
    keys: set[tuple[str, str]] = set()
    groups_seen: set[int] = set()
    headings: list[tuple[SummaryLine, dict[str, object], Where]] = []
    previous_names: dict[int, str] = {}  # by group: the line a 其中 line is part of
    lines, repairs = summary_sides(table)
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
    for entry in lines:
        side, line, name, amount_texts, group = entry.side, entry.line, entry.name, entry.amounts, entry.group
        base = Where(resource=resource, source_line=line, table=table.ref)
        printed = " ".join(amount_texts.values())
        if side == "extra":
            findings.append(
                base.finding("warning", "extra-cell", f"a cell beyond the two sides: {printed!r}", value=printed)
            )
            continue
        first_in_group = group.name_column not in groups_seen
        groups_seen.add(group.name_column)
        if group.role == "economic":
            if name:
                table.keep_cell(line, group.name_column + 1, group.label, name)
            _keep_summary_line(table, entry, group.label)
            if first_in_group:
                findings.append(
                    base.finding(
                        "info",
                        "summary-economic",
                        f"the column group '{group.label}' breaks the spending down by economic class; the "
                        "standard's 收支总表 holds the functional classes only: its lines are kept as printed "
                        "in unmodelled_cells",
                    )
                )
            continue
        values: dict[str, object] = {}
        for field_name, text in amount_texts.items():
            parsed = parse_amount(text)
            if parsed.problem:
                findings.append(base.finding("warning", "unreadable-amount", f"'{name}': {parsed.problem}", value=text))
            elif parsed.value is not None:
                values[field_name] = parsed.in_yuan(table.raw.factor)
        stripped = _ORDINAL.sub("", compact(name))
        ordinal = _ORDINAL.match(compact(name)) is not None
        in_carryover = carryover and side == "revenue"
        previous_name = previous_names.get(group.name_column, "")
        if _PART_OF.match(stripped) and not in_carryover:
            # a part of the line above (其中：纳入财政专户管理的收费 under 事业收入): no line of its own
            if values:
                _keep_summary_line(table, entry, f"{previous_name}/{name}")
            findings.append(
                base.finding(
                    "info",
                    "summary-part",
                    f"'{name}' is a part of '{previous_name}', which the standard's 收支总表 does not break "
                    f"down: {printed or 'blank'}, kept as printed",
                    value=printed,
                )
            )
            continue
        previous_names[group.name_column] = name
        item = _summary_item(side, stripped, in_carryover)
        if side == "revenue" and item == "carryover":
            carryover = True
        elif side == "revenue" and item == "current_year_total":
            carryover = False
        cut_short: Finding | None = None
        if item is None and side == "expenditure" and stripped and group.role == "main":
            item = codelists.class_code_by_name("functional", stripped, ctx.year)
            if item is None:
                item = codelists.class_code_by_prefix("functional", stripped, ctx.year)
                if item is not None and values:
                    cut_short = base.finding(
                        "info",
                        "inferred-code",
                        f"'{name}' is cut short; the only functional class it begins is {item}",
                        row_key=item,
                    )
        if (
            side == "expenditure"
            and group.role == "main"
            and current_class
            and (
                (item is None and not _CHINESE_ORDINAL.match(compact(name)))
                or (item is not None and item.isdigit() and class_ordinals and not ordinal)
            )
        ):
            # a 款 or 项 line printed under its class by name only (其他支出 under 五、其他支出 too):
            # the class line and the function table carry it; its amount is kept here, in the report
            if values or name:
                findings.append(
                    base.finding(
                        "info",
                        "summary-detail",
                        f"'{name}' is printed under class {current_class} as one of its items; the standard's "
                        f"收支总表 holds classes only (the function table holds the items): {printed or 'blank'}",
                        value=printed,
                        row_key=current_class,
                    )
                )
            continue
        if cut_short is not None:
            findings.append(cut_short)
        if side == "expenditure" and group.role == "main":
            current_class = item if item is not None and item.isdigit() else ""
            class_ordinals = ordinal if current_class else class_ordinals
        if (
            item == "current_year_total"
            and (side, item) in keys
            and (side, "grand_total") not in keys
            and not any(w in stripped for w in ("本年", "当年"))
        ):
            item = "grand_total"  # 收入合计 after 本年收入合计 and the carry-over: the side's grand total
        by_use = (side, "basic_expenditure") in keys or (side, "project_expenditure") in keys
        if item is None and values and first_in_group:
            headings.append((entry, values, base))  # decided once the side's total is known
            continue
        if item is None and values and side == "expenditure" and (group.role == "parallel" or (by_use and ordinal)):
            _keep_summary_line(table, entry, name)
            findings.append(
                base.finding(
                    "info",
                    "summary-use",
                    f"'{name}' is a line of the spending by use (基本支出 / 项目支出 …) the standard has no item "
                    f"for: {printed}, kept as printed",
                    value=printed,
                )
            )
            continue
        if item is None:
            if values:
                findings.append(
                    base.finding(
                        "warning",
                        "unplaced-row",
                        f"'{name}' matches no item of the standard; its amounts are {printed}",
                        value=printed,
                    )
                )
            elif name:
                findings.append(
                    base.finding("info", "unplaced-row", f"'{name}' matches no item of the standard and has no amount")
                )
            continue
        if (side, item) in keys:
            if group.role == "parallel":
                # the side's total printed again under a parallel breakdown
                _keep_summary_line(table, entry, name)
                findings.append(
                    base.finding(
                        "info",
                        "summary-use",
                        f"'{name}' repeats {item} in the column group '{group.label}': {printed or 'blank'}, "
                        "kept as printed",
                        value=printed,
                        row_key=item,
                    )
                )
                continue
            findings.append(
                base.finding(
                    "warning",
                    "duplicate-row",
                    f"'{name}' repeats item {item}; amounts {printed or 'blank'} not used",
                    value=printed,
                    row_key=item,
                )
            )
            continue
        keys.add((side, item))
        for column in [k for k in values if k.startswith("column ")]:
            position = int(column.split()[1])
            index = position - 1 - table.n_text
            label = _column_label(table, index) if 0 <= index < len(table.paths) else ""
            if label:
                table.keep_cell(line, position, label, amount_texts[column])
                continue
            findings.append(
                base.finding(
                    "warning",
                    "unmapped-cell",
                    f"'{name}': the amount {amount_texts[column]} in {column} has no field in the standard",
                    value=amount_texts[column],
                    row_key=item,
                )
            )
        record: Row = {"side": side, "item": item, "item_name": name, "amount": values.get("amount")}
        for field_name, _ in _FUND_BREAKDOWN:
            record[field_name] = values.get(field_name)
        record["source_line"] = line
        rows.append(record)
    totals = {r["side"]: r["amount"] for r in rows if r["item"] == "current_year_total"}
    for entry, values, base in headings:
        printed = " ".join(entry.amounts.values())
        if values.get("amount") is not None and values.get("amount") == totals.get(entry.side):
            # 一、部门预算 / 一、财政拨款 over the lines of a side: their total, printed again
            _keep_summary_line(table, entry, entry.name)
            findings.append(
                base.finding(
                    "info",
                    "summary-heading",
                    f"'{entry.name}' heads the {entry.side} lines and prints their total ({printed}, as the "
                    "side's 本年合计 does); the standard has no item for a heading: kept as printed",
                    value=printed,
                )
            )
            continue
        findings.append(
            base.finding(
                "warning",
                "unplaced-row",
                f"'{entry.name}' matches no item of the standard; its amounts are {printed}",
                value=printed,
            )
        )
    return rows, findings


def map_procurement(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_listing(table.raw, "procurement", ctx.year)


def map_purchased_services(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_listing(table.raw, "purchased_services", ctx.year)


def map_performance_form(table: ParsedTable, ctx: Context) -> tuple[dict[str, list[Row]], list[Finding]]:
    """Goals and indicators to performance_targets, everything else of the form to project_details."""
    targets, details, findings, ctx.form = map_performance(table.raw, ctx.form)
    return {"performance_targets": targets, "project_details": details}, findings


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


MAPPERS: dict[str, Callable[[ParsedTable, Context], tuple[list[Row] | dict[str, list[Row]], list[Finding]]]] = {
    "budget_summary": map_summary,
    "fiscal_appropriation_summary": map_summary,
    "revenue_by_unit": map_revenue_by_unit,
    "revenue_by_function": map_revenue_by_function,
    "expenditure_by_function": map_expenditure_by_function,
    "expenditure_by_unit": map_expenditure_by_unit,
    "basic_expenditure_by_economic": map_basic_by_economic,
    "expenditure_by_economic": map_expenditure_by_economic,
    "expenditure_by_function_and_economic": map_function_and_economic,
    "three_public_expenses": map_three_public,
    "government_fund_expenditure": map_fund_expenditure,
    "state_capital_expenditure": map_fund_expenditure,
    "projects": map_projects,
    "procurement": map_procurement,
    "purchased_services": map_purchased_services,
    "performance_targets": map_performance_form,
}
