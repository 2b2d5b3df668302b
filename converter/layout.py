"""Stage 3: read a table's header into column meanings, and its body into logical rows.

Headers arrive spread over several lines, with spanning cells either kept in place (followed by
empty cells) or collapsed by the extractor. Body rows arrive broken: a name on one line and its
code on the next, a long name split over two lines. Both are put back together here, and every
repair is returned as a note so the conversion report can show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from converter.cells import clean_code, clean_text, compact, is_code, looks_numeric, strip_tags
from converter.segment import RawTable, Row

TOTAL_NAMES = {"合计", "总计", "收入总计", "支出总计"}
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_DECIMAL_POINT = re.compile(r"[.,]")


def _is_column_index_row(cells: list[str]) -> bool:
    """The '1 2 3 … 14' line some tables print under the header."""
    values = [v for v in map(compact, cells) if v]
    return len(values) >= 3 and values[0] == "1" and values == [str(i) for i in range(1, len(values) + 1)]


def is_data_row(cells: list[str]) -> bool:
    """A row carrying values: an amount, a code in the first cell, or a 合计 label."""
    if _is_column_index_row(cells):
        return False
    if cells and is_code(cells[0]) and len(clean_code(cells[0])) >= 2:
        return True
    first_filled = next((i for i, c in enumerate(cells) if c.strip()), 0)
    for position, cell in enumerate(cells[: max(2, first_filled + 1)]):
        if compact(cell) in TOTAL_NAMES:
            others = cells[:position] + cells[position + 1 :]
            if all(not c.strip() or looks_numeric(c) for c in others):
                return True
    return any(looks_numeric(c) and _DECIMAL_POINT.search(compact(c)) for c in cells)


def split_header(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """Header lines (up to the first data row) and body lines."""
    for position, row in enumerate(rows):
        if is_data_row(row.cells):
            return rows[:position], rows[position:]
    return rows, []


def header_and_body(table: RawTable) -> tuple[list[Row], list[Row]]:
    """split_header of a table's rows, worked out once per table (several stages ask for it).
    The lists returned are shared: read them, do not change them."""
    cached = table.header_split
    if cached is None or cached[0] is not table.rows or cached[1] != len(table.rows):
        cached = (table.rows, len(table.rows), split_header(table.rows))
        table.header_split = cached
    return cached[2]


def drop_repeated_header(header: list[Row], body: list[Row]) -> tuple[list[Row], list[Repair]]:
    """Body lines that print a header line again (a table continued on a new page repeats its
    header) are layout, not rows: left out, each with a note. Only lines identical to a header
    line, cell for cell, with at least two labels, are dropped."""
    printed = {labels for labels in (tuple(c for c in map(compact, r.cells) if c) for r in header) if len(labels) >= 2}
    if not printed:
        return body, []
    kept: list[Row] = []
    notes: list[Repair] = []
    for row in body:
        labels = tuple(c for c in map(compact, row.cells) if c)
        if labels in printed:
            notes.append(
                Repair(row.line, f"line {row.line} repeats the table's header ({' | '.join(labels)}): not a row")
            )
            continue
        kept.append(row)
    return kept, notes


def _place(row: list[str], width: int, below: list[bool], starts_above: list[bool] | None = None) -> list[str]:
    """Put one header line's cells on the table's columns, widening spanning cells.

    A cell spans to the right over columns that have labels below it, but only when it has a
    label below itself (a parent), and never into a column where a line above starts a label of
    its own (a child does not reach under its parent's neighbour). A line shorter than the table
    had its empty span cells collapsed by the extractor: the parents then absorb as many columns
    as the line is short.
    """
    stop = starts_above or [False] * width
    cells = row[:width] if len(row) >= width else row
    out = [""] * width
    if len(cells) == width:
        for c, text in enumerate(cells):
            out[c] = text
        for c in range(width):
            if out[c] and below[c]:
                k = c + 1
                while k < width and not out[k] and below[k] and not stop[k]:
                    out[k] = out[c]
                    k += 1
        return out
    c = 0
    for k, text in enumerate(cells):
        if c >= width:
            break
        remaining = len(cells) - k - 1
        out[c] = text
        parent = bool(text) and below[c]
        c += 1
        while parent and c < width and below[c] and (width - c) > remaining:
            out[c] = text
            c += 1
    return out


COLUMN_NUMBER_MARKS = {"栏次"}


def _header_labels(cells: list[str]) -> list[str]:
    """A header line's labels. On a 栏次 line the column numbers (1, 2, 3 …) are layout, not labels;
    the 栏次 mark itself is kept: it stands over the name column in final-accounts tables."""
    labels = [compact(c) for c in cells]
    if any(label in COLUMN_NUMBER_MARKS for label in labels):
        labels = [label if not label.isdigit() else "" for label in labels]
    return labels


def column_numbers(header: list[Row]) -> list[int]:
    """The column numbers a 栏次 line prints (1, 2, 3 …), in order; [] without such a line."""
    for row in header:
        labels = [compact(c) for c in row.cells]
        if any(label in COLUMN_NUMBER_MARKS for label in labels) or _is_column_index_row(row.cells):
            return [int(label) for label in labels if label.isdigit()]
    return []


def column_paths(header: list[Row], width: int) -> list[tuple[str, ...]]:
    """For each column, its header labels from top to bottom, compacted ('基本支出', '人员经费')."""
    grid = [_header_labels(row.cells) for row in header if not _is_column_index_row(row.cells)]
    grid = [g for g in grid if any(g)]
    below = [False] * width
    placed: list[list[str]] = [[] for _ in grid]
    for i in reversed(range(len(grid))):
        starts_above = [any(c < len(g) and bool(g[c]) for g in grid[:i]) for c in range(width)]
        placed[i] = _place(grid[i], width, below, starts_above)
        below = [b or bool(placed[i][c]) for c, b in enumerate(below)]
    paths = []
    for c in range(width):
        path: list[str] = []
        for i in range(len(placed)):
            text = placed[i][c]
            if text and (not path or path[-1] != text):
                path.append(text)
        if len(path) > 1:
            path = [label for label in path if label not in COLUMN_NUMBER_MARKS]
        paths.append(tuple(path))
    return paths


@dataclass
class BodyRow:
    """A logical row: code, text cells after the code, amount cells by amount column."""

    line: int
    code: str
    texts: list[str]
    amounts: list[str]
    lines: list[int] = field(default_factory=list)
    extra: list[tuple[int, str]] = field(default_factory=list)
    width: int = 0  # amount cells the line actually had
    unit: str = ""  # the 预算单位 cell of tables that print one before the code
    alt_code: str = ""  # a second classification code printed on the row (政府预算经济分类 50x)
    code_parts: list[str] = field(default_factory=list)  # 类 | 款 | 项 cells as printed
    carried: str = ""  # the tail of the row above's name, printed before this row's code

    @property
    def name(self) -> str:
        return self.texts[0] if self.texts else ""

    @property
    def has_values(self) -> bool:
        return any(a.strip() for a in self.amounts)

    @property
    def is_total(self) -> bool:
        return compact(self.name) in TOTAL_NAMES or (not self.code and not any(self.texts))


_CODE_AND_NAME = re.compile(r"^\s*(\d{3,7})\s*[-－—_ ]\s*(\S.*)$")


def code_and_name(text: str) -> tuple[str, str] | None:
    """A cell printing a code and its name together ('2050803-培训支出', '30101 基本工资')."""
    match = _CODE_AND_NAME.match(clean_text(text))
    return (match.group(1), clean_text(match.group(2))) if match and _HAS_CJK.search(match.group(2)) else None


# A code-and-name cell with a wrapped name's tail in front of it ('缴费30109-职业年金缴费'): the
# extraction put the last characters of the row above's name before this row's code.
_LEAD_AND_CODE = re.compile(r"^\s*([\u4e00-\u9fff（）()、]{1,12})\s*(\d{3,7}\s*[-－—]\s*\S.*)$")


def lead_code_and_name(text: str) -> tuple[str, str, str] | None:
    """(lead, code, name) for a code-and-name cell that begins with a fragment of the row above's
    name; None for any other cell."""
    match = _LEAD_AND_CODE.match(clean_text(text))
    if not match:
        return None
    pair = code_and_name(match.group(2))
    return (match.group(1), pair[0], pair[1]) if pair else None


def split_by_roles(row: Row, roles: list[str | None], n_amounts: int) -> BodyRow:
    """Split a line whose text columns have known roles (unit, code, alt_code, alt_name, name) at fixed
    positions: the document model puts every cell at its column, so no guessing is needed."""
    cells = list(row.cells)
    n_text = len(roles)
    code, unit, alt, alt_name, carried = "", "", "", "", ""
    texts: list[str] = []
    code_parts: list[str] = []  # 类 | 款 | 项 of the code, when it is printed in several columns
    alt_parts: list[str] = []
    code_in_parts, alt_in_parts = roles.count("code") > 1, roles.count("alt_code") > 1
    for role, cell in zip(roles, cells[:n_text], strict=False):
        text = clean_text(cell)
        if role == "code" and code_in_parts:
            code_parts.append(clean_code(text) if is_code(text) else "")
            if code_parts[-1] or not text:
                continue
        if role == "alt_code" and alt_in_parts and is_code(text):
            alt_parts.append(clean_code(text))
            continue
        if not text:
            continue
        if role in ("code", "alt_code"):
            pair = code_and_name(text)
            led = lead_code_and_name(text) if pair is None and role == "code" else None
            if led:
                carried, pair = led[0], (led[1], led[2])
            value = pair[0] if pair else (clean_code(text) if is_code(text) else "")
            if role == "code" and value:
                code = value
                if pair:
                    texts.insert(0, pair[1])
            elif role == "alt_code" and value:
                alt = text
            else:
                texts.append(text)  # a name printed in the code column
        elif role == "unit":
            unit = text
        elif role == "alt_name":
            alt_name = text
        else:
            texts.append(text)
    if code_parts:
        code = _join_code_parts(code_parts)
    if alt_parts:
        alt = _join_code_parts(alt_parts)
    if alt and alt_name:
        alt = f"{alt}-{alt_name}"  # code and name in two cells: one value, as other tables print it
    elif alt_name:
        texts.append(alt_name)
    amounts = cells[n_text:]
    extra = [(n_amounts + i, c) for i, c in enumerate(amounts[n_amounts:]) if c.strip()]
    amounts = amounts[:n_amounts]
    width = len(amounts)
    amounts += [""] * (n_amounts - len(amounts))
    return BodyRow(
        row.line,
        code,
        texts,
        amounts,
        [row.line],
        extra,
        width,
        unit=unit,
        alt_code=alt,
        code_parts=code_parts,
        carried=carried,
    )


def fill_code_hierarchy(rows: list[BodyRow]) -> list[Repair]:
    """类 | 款 | 项 columns that print the class only on its first row (and the 款 only on its own):
    a 款 or 项 part is read under the class and 款 printed above it ('05' under 208 is 20805).
    A part printed as one digit ('2') is the two-digit part ('02')."""
    repairs: list[Repair] = []
    last: list[str] = ["", "", ""]
    for row in rows:
        parts = [p.zfill(2) if 0 < len(p) < 2 and i > 0 else p for i, p in enumerate(row.code_parts[:3])]
        if not any(parts):
            continue  # no part in the 类 | 款 | 项 columns (a code column further right is not one)
        parts += [""] * (3 - len(parts))
        first = next(i for i, p in enumerate(parts) if p)
        if first == 0 and len(parts[0]) >= 3:
            code = parts[0]
            for p in parts[1:]:
                if len(p) != 2:
                    break
                code += p
        elif first > 0 and all(last[:first]) and all(len(p) == 2 for p in parts[first:] if p):
            code = "".join(last[:first]) + "".join(p for p in parts[first:] if p)
        else:
            continue
        levels = {3: 1, 5: 2, 7: 3}
        level = levels.get(len(code))
        if level is None:
            continue
        last = [code[:3], code[3:5] if level > 1 else "", code[5:7] if level > 2 else ""]
        if code != row.code:
            repairs.append(
                Repair(
                    row.line,
                    f"line {row.line} prints the code parts {' | '.join(x for x in row.code_parts if x)} under the "
                    f"class and 款 printed above it: read as {code}",
                    check="inferred-code",
                )
            )
            row.code = code
    return repairs


def _join_code_parts(parts: list[str]) -> str:
    """类 | 款 | 项 printed in separate columns ('201', '03', '01') read as one code ('2010301')."""
    code = ""
    for part in parts:
        if not part:
            continue
        if not code:
            code = part
        elif len(part) == 2 and len(code) in (3, 5):
            code += part
        else:
            break
    return code


def split_row(row: Row, n_text: int, n_amounts: int, has_code_column: bool, n_code: int = 1) -> BodyRow:
    """Split one line into code, texts and amounts; amounts start at the first number after the
    text columns (a row may carry one more text cell than its header, e.g. project name and unit).

    With several code columns (类 | 款 | 项, as final accounts print them), the code is read from
    the code-like cells among them and every other non-blank cell of the text zone is text.
    """
    cells = [c for c in row.cells]
    # no text column, no text and no cell beyond the table's: a blank first cell is a blank amount
    all_amounts = n_text == 0 and len(cells) <= n_amounts and not any(_HAS_CJK.search(c) for c in cells)
    start = 0 if all_amounts else None
    for i in range(n_text, 0 if all_amounts else len(cells)):
        text = strip_tags(cells[i]).strip()
        if not text or _HAS_CJK.search(text) or (i == 0 and has_code_column):
            continue  # a blank or a Chinese text cell before the amounts: an extra text column
        start = i  # a number, or an unreadable amount the mapper will report
        break
    if start is None:
        last_text = max((i for i, c in enumerate(cells) if c.strip()), default=-1)
        start = max(n_text, last_text + 1) if last_text < n_text else last_text + 1
    texts_raw = cells[:start]
    amounts = cells[start:]
    extra: list[tuple[int, str]] = []
    if len(amounts) > n_amounts:
        for offset, cell in enumerate(amounts[n_amounts:]):
            if cell.strip():
                extra.append((n_amounts + offset, cell))
        amounts = amounts[:n_amounts]
    width = len(amounts)
    amounts += [""] * (n_amounts - len(amounts))
    code = ""
    if has_code_column and n_code > 1:
        zone = texts_raw[:n_code]
        parts = [clean_code(c) if is_code(c) else "" for c in zone]
        code = _join_code_parts(parts)
        rest = [c for c, p in zip(zone, parts, strict=False) if not p] + texts_raw[n_code:]
        texts = [clean_text(t) for t in rest if clean_text(t)]
        return BodyRow(row.line, code, texts, amounts, [row.line], extra, width, code_parts=parts)
    if has_code_column and texts_raw and is_code(texts_raw[0]):
        code = clean_code(texts_raw[0])
        texts_raw = texts_raw[1:]
    elif has_code_column and texts_raw and not texts_raw[0].strip():
        texts_raw = texts_raw[1:]
    texts = [clean_text(t) for t in texts_raw]
    while texts and not texts[-1]:
        texts.pop()
    return BodyRow(row.line, code, texts, amounts, [row.line], extra, width)


def _join_text(first: str, second: str) -> tuple[str, str | None]:
    """Join two fragments of one cell; a CJK character repeated across the break is kept once."""
    if not first or not second:
        return first or second, None
    if first[-1] == second[0] and "\u4e00" <= first[-1] <= "\u9fff":
        return clean_text(first + second[1:]), f"'{first[-1]}' repeated across the line break kept once"
    return clean_text(first + " " + second), None


def _merge_texts(into: BodyRow, texts: list[str], notes: list[str]) -> None:
    for i, fragment in enumerate(texts):
        if i < len(into.texts):
            joined, note = _join_text(into.texts[i], fragment)
            into.texts[i] = joined
            if note:
                notes.append(note)
        else:
            into.texts.append(fragment)


@dataclass
class Repair:
    line: int
    message: str
    severity: str = "info"
    value: str = ""
    check: str = "joined-row"


def restore_dropped_cells(rows: list[BodyRow], n_amounts: int) -> list[Repair]:
    """Put back blank cells the extractor dropped from the middle of a short row.

    A row with fewer amount cells than the table, and a value after a gap, is ambiguous read
    left to right. The blank block is inserted where every value lands in a column that the
    table's complete rows use; when no single placement does that, the row is left as read and
    the report says so.
    """
    used = {i for r in rows if r.width == n_amounts for i, c in enumerate(r.amounts) if c.strip()}
    repairs: list[Repair] = []
    for row in rows:
        if not 0 < row.width < n_amounts:
            continue
        cells = row.amounts[: row.width]
        filled = [i for i, c in enumerate(cells) if c.strip()]
        if not filled or filled == list(range(len(filled))):
            continue  # values only at the start: reading left to right is unambiguous
        missing = n_amounts - row.width
        placements: dict[tuple[int, ...], int] = {}
        for position in range(row.width + 1):
            candidate = cells[:position] + [""] * missing + cells[position:]
            placed = tuple(i for i, c in enumerate(candidate) if c.strip())
            placements[placed] = sum(i in used for i in placed)
        best = max(placements.values())
        winners = [p for p, score in placements.items() if score == best]
        if len(winners) == 1 and best == len(filled):
            placed = winners[0]
            values = [c for c in cells if c.strip()]
            row.amounts = [""] * n_amounts
            for column, value in zip(placed, values, strict=False):
                row.amounts[column] = value
            repairs.append(
                Repair(
                    row.line,
                    f"line {row.line} has {row.width} amount cells where the table has "
                    f"{n_amounts}; the dropped blank cell(s) were restored so that each "
                    f"amount stands in a column this table uses (columns "
                    f"{', '.join(str(i + 1) for i in placed)})",
                )
            )
        else:
            repairs.append(
                Repair(
                    row.line,
                    f"line {row.line} has {row.width} amount cells where the table has "
                    f"{n_amounts}; they are read left to right, which may misplace "
                    "an amount",
                    "warning",
                    value=" ".join(c.strip() for c in cells if c.strip()),
                    check="ambiguous-row",
                )
            )
    return repairs


def rejoin(rows: list[BodyRow]) -> tuple[list[BodyRow], list[Repair]]:
    """Put rows broken by extraction back together; say what was joined."""
    out: list[BodyRow] = []
    repairs: list[Repair] = []
    pending_code: BodyRow | None = None
    for row in rows:
        if row.carried and out:
            above = out[-1]
            above.texts = [clean_text((above.texts[0] if above.texts else "") + row.carried), *above.texts[1:]]
            repairs.append(
                Repair(
                    above.line,
                    f"'{row.carried}' printed before the code on line {row.line} ends the name on line "
                    f"{above.line}: '{above.name}'",
                )
            )
            row.carried = ""
        elif row.carried:
            row.texts = [clean_text(row.carried + (row.texts[0] if row.texts else "")), *row.texts[1:]]
            row.carried = ""
        if pending_code is not None:
            if not row.code and row.has_values and row.name:
                row.code = pending_code.code
                row.lines = pending_code.lines + row.lines
                row.line = pending_code.line
                repairs.append(
                    Repair(
                        row.line,
                        f"code {row.code} on line {pending_code.line} joined "
                        f"to its name and amounts on line {row.lines[-1]}",
                    )
                )
                pending_code = None
                out.append(row)
                continue
            out.append(pending_code)
            pending_code = None
        previous = out[-1] if out else None
        if row.code and not row.has_values and not any(row.texts):
            if previous and not previous.code and previous.has_values and previous.name and not previous.is_total:
                previous.code = row.code
                previous.lines.append(row.line)
                repairs.append(
                    Repair(
                        previous.line,
                        f"code {row.code} on line {row.line} joined to '{previous.name}' on line {previous.line}",
                    )
                )
                continue
            pending_code = row
            continue
        if (
            row.code
            and not row.has_values
            and previous
            and not previous.code
            and previous.has_values
            and previous.name
            and not previous.is_total
        ):
            notes: list[str] = []
            _merge_texts(previous, row.texts, notes)
            previous.code = row.code
            previous.lines.append(row.line)
            repairs.append(
                Repair(
                    previous.line,
                    f"row split over lines {previous.line} and {row.line} "
                    f"joined: code {row.code}, '{previous.name}'" + (f" ({'; '.join(notes)})" if notes else ""),
                )
            )
            continue
        if not row.code and not row.has_values and any(row.texts) and previous is not None and not row.extra:
            notes = []
            _merge_texts(previous, row.texts, notes)
            previous.lines.append(row.line)
            repairs.append(
                Repair(
                    previous.line,
                    f"text on line {row.line} continues the row on line "
                    f"{previous.line}: '{previous.name or ' '.join(previous.texts)}'"
                    + (f" ({'; '.join(notes)})" if notes else ""),
                )
            )
            continue
        out.append(row)
    if pending_code is not None:
        out.append(pending_code)
    return out, repairs
