"""Stage 4: map recognised tables onto the standard resources.

Each mapper is a pure function from a parsed table to (rows, findings). Amounts are converted to
yuan exactly; a cell that cannot be placed is never dropped: it becomes a finding with its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from converter import codelists
from converter.cells import clean_code, clean_text, compact, is_code, parse_amount
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
    "fiscal_appropriation_summary",
    "procurement",
    "purchased_services",
    "performance_targets",
}
# Forms, read line by line from the first: they have no column header to work out.
READS_FORM_LINES = {"performance_targets"}


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
    by_roles = (
        kind.name in CLASSIFIED_KINDS
        and n_code <= 1
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


def _amounts(table: ParsedTable, row: BodyRow, resource: str, key: str) -> tuple[Row, list[Finding]]:
    """The row's amounts by field, in yuan; findings for cells that cannot be placed or read."""
    values: Row = {}
    findings: list[Finding] = []
    base = Where(resource=resource, row_key=key, source_line=row.line, table=table.ref)
    for index, cell in enumerate(row.amounts):
        parsed = parse_amount(cell)
        if parsed.value is None and parsed.problem is None:
            continue  # a blank cell
        name = table.fields[index] if index < len(table.fields) else None
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
                table.keep_cell(row.line, table.n_text + index + 1, label, cell.strip())
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
                table.keep_cell(row.line, table.n_text + index + 1, label, cell.strip())
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
        if table.kind.resource == "basic_expenditure_by_economic":
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
        resolve_codes([(r.code, r.name) for r in body], classification, ctx.year, ctx.known_codes.get(classification))
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
)


def map_three_public(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """One data line; final accounts print 预算数 and 决算数 side by side, each becoming a basis."""
    rows: list[Row] = []
    findings: list[Finding] = []
    data = [r for r in table.rows if r.has_values]
    year_rows = [
        r for r in data if any(compact(t) in (f"{ctx.year}年", str(ctx.year), f"{ctx.year}年预算") for t in r.texts)
    ]
    if len(data) > 1 and year_rows:
        # one row per year (and their change), possibly per unit: the fiscal year's first row is the
        # department's; the others (last year, the change, the units) are kept as printed
        chosen = year_rows[0]
        for row in data:
            if row is chosen:
                continue
            table.keep_amounts(row, "/".join(t for t in row.texts if t) or "?")
        findings.append(
            Finding(
                "info",
                "three-public-rows",
                f"the table prints {len(data)} rows (years, their change, units); the {ctx.year} row on line "
                f"{chosen.line} is the data, the others are kept as printed in unmodelled_cells",
                resource="three_public_expenses",
                source_line=chosen.line,
                table=table.ref,
            )
        )
        data = [chosen]
    bases: dict[str, list[int]] = {}
    for i, path in enumerate(table.paths):
        bases.setdefault(basis_of(path, ctx.phase), []).append(i)
    for index, row in enumerate(data):
        if index > 0:
            findings.append(_unplaced(table, row, "three_public_expenses", "is a second data row"))
            continue
        for basis, columns in bases.items():
            view = replace(table, fields=[table.fields[i] for i in columns], paths=[table.paths[i] for i in columns])
            first_basis = basis == next(iter(bases))
            part = replace(row, amounts=[row.amounts[i] for i in columns], extra=row.extra if first_basis else [])
            values, problems = _amounts(view, part, "three_public_expenses", basis)
            findings.extend(problems)
            for item in THREE_PUBLIC_ITEMS:
                if item in values or item in view.fields:
                    rows.append({"basis": basis, "item": item, "amount": values.get(item), "source_line": row.line})
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


_FUND_BREAKDOWN = (
    ("general_public_budget", "一般公共预算"),
    ("government_fund_budget", "政府性基金"),
    ("state_capital_budget", "国有资本"),
)


@dataclass
class SummarySide:
    side: str
    name_column: int
    amount_columns: list[tuple[int, str | None]]  # (column, field)
    line_columns: list[int]  # 行次: line numbers, not amounts


def summary_layout(paths: list[tuple[str, ...]], width: int) -> list[SummarySide]:
    """Where each side's name and amounts stand in a two-sided 收支 table.

    Budgets print 项目 | 预算数 | 项目 | 预算数; final accounts add 行次 columns (line numbers, not
    amounts) and may split the expenditure amount into 小计 and one column per fund.
    """
    names = [i for i, p in enumerate(paths) if any("项目" in x for x in p)]
    if len(names) < 2:
        names = [0, 2]
        width = max(width, 4)
    sides = []
    for k, side in enumerate(("revenue", "expenditure")):
        start, end = names[k], (names[k + 1] if k == 0 else width)
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
        sides.append(SummarySide(side, start, columns, line_columns))
    return sides


def summary_sides(table: ParsedTable) -> tuple[list[tuple[str, int, str, dict[str, str]]], list[Repair]]:
    """(side, line, printed name, {field: printed amount}) for both halves of a two-sided 收支 table.

    A name wrapped onto the next line without an amount (廿一、灾害防治及应急 / 管理支出) is joined,
    and the join returned as a repair. Cells beyond the header's columns come back as side "extra".
    """
    header, body = header_and_body(table.raw)
    width = max([len(r.cells) for r in header] + [0])
    layout = summary_layout(column_paths(header, width) if header else [], width)
    known = {
        i
        for spec in layout
        for i in [spec.name_column, *spec.line_columns, *(column for column, _ in spec.amount_columns)]
    }
    entries: list[list] = []
    repairs: list[Repair] = []
    last: dict[str, list] = {}
    for row in body:
        cells = row.cells
        for spec in layout:
            name = clean_text(cells[spec.name_column]) if spec.name_column < len(cells) else ""
            amounts: dict[str, str] = {}
            for column, field_name in spec.amount_columns:
                text = cells[column].strip() if column < len(cells) else ""
                if text:
                    amounts[field_name or f"column {column + 1}"] = text
            side = spec.side
            if not name and not amounts:
                continue
            if (
                name
                and not amounts
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
            entry = [side, row.line, name, amounts, False]
            entries.append(entry)
            last[side] = entry
        for column, extra in enumerate(cells):
            if column not in known and extra.strip():
                entries.append(["extra", row.line, "", {"amount": extra.strip()}, False])
    return [(e[0], e[1], e[2], e[3]) for e in entries], repairs


def map_summary(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    """部门收支总表 and 财政拨款收支总表: one row per printed line of either side."""
    resource = table.kind.resource or ""
    rows: list[Row] = []
    findings: list[Finding] = []
    carryover = False
    current_class = ""
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
    for side, line, name, amount_texts in sides:
        base = Where(resource=resource, source_line=line, table=table.ref)
        printed = " ".join(amount_texts.values())
        if side == "extra":
            findings.append(
                base.finding("warning", "extra-cell", f"a cell beyond the two sides: {printed!r}", value=printed)
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
        item = _summary_item(side, stripped, carryover and side == "revenue")
        if side == "revenue" and item == "carryover":
            carryover = True
        elif side == "revenue" and item == "current_year_total":
            carryover = False
        if item is None and side == "expenditure" and stripped:
            item = codelists.class_code_by_name("functional", stripped, ctx.year)
            if item is None:
                item = codelists.class_code_by_prefix("functional", stripped, ctx.year)
                if item is not None and values:
                    findings.append(
                        base.finding(
                            "info",
                            "inferred-code",
                            f"'{name}' is cut short; the only functional class it begins is {item}",
                            row_key=item,
                        )
                    )
        if item is None and side == "expenditure" and current_class and not _CHINESE_ORDINAL.match(compact(name)):
            # a 款 or 项 line printed under its class by name only: the class line and the
            # function table carry it; its amount is kept here, in the report
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
        if side == "expenditure":
            current_class = item if item is not None and item.isdigit() else ""
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
    return rows, findings


def map_procurement(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_listing(table.raw, "procurement", ctx.year)


def map_purchased_services(table: ParsedTable, ctx: Context) -> tuple[list[Row], list[Finding]]:
    return map_listing(table.raw, "purchased_services", ctx.year)


def map_performance_form(table: ParsedTable, ctx: Context) -> tuple[dict[str, list[Row]], list[Finding]]:
    """Goals and indicators to performance_targets, everything else of the form to project_details."""
    targets, details, findings, ctx.form = map_performance(table.raw, ctx.form)
    return {"performance_targets": targets, "project_details": details}, findings


MAPPERS: dict[str, Callable[[ParsedTable, Context], tuple[list[Row] | dict[str, list[Row]], list[Finding]]]] = {
    "budget_summary": map_summary,
    "fiscal_appropriation_summary": map_summary,
    "revenue_by_unit": map_revenue_by_unit,
    "revenue_by_function": map_revenue_by_function,
    "expenditure_by_function": map_expenditure_by_function,
    "expenditure_by_unit": map_expenditure_by_unit,
    "basic_expenditure_by_economic": map_basic_by_economic,
    "three_public_expenses": map_three_public,
    "government_fund_expenditure": map_fund_expenditure,
    "state_capital_expenditure": map_fund_expenditure,
    "projects": map_projects,
    "procurement": map_procurement,
    "purchased_services": map_purchased_services,
    "performance_targets": map_performance_form,
}
