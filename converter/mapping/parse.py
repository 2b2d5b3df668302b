"""A recognised table's columns worked out from its printed header, and its body split into rows."""

from __future__ import annotations

from converter.layout import (
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
from converter.mapping.side_by_side import side_by_side_groups
from converter.mapping.table import ParsedTable
from converter.recognize import (
    CLASSIFIED_KINDS,
    TEXT_FIELDS,
    Kind,
    column_field,
    realign_carryover,
    resolve_vehicle_columns,
)
from converter.segment import RawTable

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
    # columns at fixed roles: a unit column before the code (one code column or 类 | 款 | 项), a second
    # code group, or the name before the code
    by_roles = kind.name in CLASSIFIED_KINDS and (
        "unit" in roles or "alt_code" in roles or (n_code == 1 and roles[0] != "code")
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
            # a cell that prints the code with the name ('2050803-培训支出') is no code (is_code):
            # split_row reads it as the first text
            for row in rows:
                pair = code_and_name(row.texts[0]) if not row.code and row.texts else None
                if pair:
                    row.code, row.texts = pair[0], [pair[1], *row.texts[1:]]
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
