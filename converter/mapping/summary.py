"""The 收支总表 and 财政拨款收支总表: revenue and expenditure printed side by side, line by line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from converter import codelists
from converter.cells import clean_text, compact, parse_amount
from converter.layout import (
    Repair,
    column_paths,
    header_and_body,
)
from converter.mapping.table import Context, ParsedTable, Row, _column_label
from converter.report import Finding, Where


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
    each with its own name column. A group's side is what its header's first words say (收入 / 支出,
    over the group or in its name column: 支出项目 | 金额 | 收入项目 | 金额); without them the first
    group is the revenue side.
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
        # the side by the header's words when they say (收入 | 支出 over the group, or 支出项目 on one
        # line); by position otherwise: the first group is the revenue side
        top = compact(name_path[0]) if name_path else ""
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
