"""Tables printed as two or more lists side by side (personnel | public funds; revenue by unit)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from converter.cells import clean_code, clean_text, compact, is_code, parse_amount
from converter.codes import codes_by_name, resolve_codes
from converter.layout import (
    TOTAL_NAMES,
    BodyRow,
    column_paths,
    header_and_body,
)
from converter.mapping.coded import LEVELS, _stand_in_unit_code, map_coded
from converter.mapping.summary import _names_lines
from converter.mapping.table import Context, ParsedTable, Row, _amounts, _inferred, _unplaced
from converter.recognize import (
    column_field,
)
from converter.report import Finding
from converter.schema import amount_fields
from converter.segment import RawTable
from converter.segment import Row as Line


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
    kept: list[tuple[int, int, str, str]] = []  # kept as printed once the table reads as a list
    for row in body:
        numbers = [(i, c.strip()) for i, c in enumerate(row.cells) if c.strip() and parse_amount(c).value is not None]
        texts = [clean_text(c) for i, c in enumerate(row.cells) if c.strip() and i not in dict(numbers)]
        if len(numbers) > 1 or not texts and numbers:
            return None
        if row.cells and row.cells[0].strip():
            group = clean_text(row.cells[0])
        sub = texts[-1] if texts and not (row.cells and row.cells[0].strip() and len(texts) == 1) else ""
        path = tuple(label for label in (group, sub) if label)  # a sub-line before any group line: itself
        name = column_field("revenue_by_unit", path)
        # 收入总计 (合计) is the department's total and names its row; 本年收入合计 is the year's part
        total = not sub and name == "total"
        if name not in REVENUE_LINE_FIELDS or (sub == "小计" and name == "current_year_total"):
            name = None  # no source of the standard (其他资金 小计, 专项收入)
        if not numbers:
            continue
        column, text = numbers[0]
        if total:
            record["unit_name"] = group
        if name is None or name in record:
            kept.append((row.line, column + 1, "/".join(path), text))
            continue
        record[name] = parse_amount(text).in_yuan(table.raw.factor)
        record.setdefault("source_line", row.line)
        placed = True
    if not placed:
        return None  # not a list: read by unit, where each cell is placed or kept once
    for line, column, label, text in kept:
        table.keep_cell(line, column, label, text)
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
