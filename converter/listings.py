"""Stage 4 for list tables: 政府采购预算表 and 政府向社会力量购买服务预算表.

These tables are lists, not classifications: text and amounts alternate across the row, so each
column is read by its header label rather than by "text first, amounts after". A line with no
unit code or name and no number continues the row above, cell by cell (extraction wraps long
cells onto such lines); a fragment the cell above already ends with is page-break residue and is
not repeated. Codes printed in brackets ([A05040101]复印纸) are split into code and name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from converter import codelists
from converter.cells import clean_text, compact, looks_numeric, parse_amount
from converter.layout import column_paths, header_and_body
from converter.report import Finding, Where, amount_cell_findings
from converter.segment import RawTable
from converter.segment import Row as Line

Row = dict[str, object]

# (field, words that must all be in the column's header path); the first match wins.
LISTING_COLUMNS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "procurement": [
        ("unit_code", ("单位代码",)),
        ("unit_code", ("单位编码",)),
        ("unit_name", ("单位名称",)),
        ("item", ("品目",)),
        ("function", ("功能",)),
        ("economic", ("经济",)),
        ("fund_source", ("资金来源",)),
        ("fund_nature", ("资金性质",)),
        ("quantity", ("数量",)),
        ("unit_price", ("单价",)),
        ("measure_unit", ("计量单位",)),
        ("small_micro", ("小微",)),
        ("sme", ("中小企业",)),
        ("total", ("金额",)),
        ("project_name", ("项目",)),
    ],
    "purchased_services": [
        ("unit_code", ("单位代码",)),
        ("unit_code", ("单位编码",)),
        ("unit_name", ("单位名称",)),
        ("includes_procurement", ("是否",)),
        ("service_content", ("服务内容",)),
        ("quantity", ("数量",)),
        ("amount", ("金额",)),
        ("fund_source", ("资金来源",)),
        ("fund_nature", ("资金性质",)),
        ("function", ("功能",)),
        ("economic", ("经济",)),
        ("catalogue_level1", ("一级",)),
        ("catalogue_level2", ("二级",)),
        ("catalogue_level3", ("三级",)),
        ("catalogue_level1", ("目录",)),
        ("project_name", ("项目",)),
    ],
}
AMOUNT_FIELDS = {"unit_price", "total", "sme", "small_micro", "amount"}
NUMBER_FIELDS = AMOUNT_FIELDS | {"quantity"}
CODED_FIELDS = {"item": None, "function": "functional", "economic": "economic"}
_BRACKETED = re.compile(r"^[\[【［]\s*([0-9A-Za-z][0-9A-Za-z\s]*?)\s*[\]】］]\s*(.*)$")


def listing_field(resource: str, path: tuple[str, ...]) -> str | None:
    text = "/".join(path)
    for name, words in LISTING_COLUMNS[resource]:
        if all(w in text for w in words):
            return name
    return None


def column_factor(path: tuple[str, ...], table_factor: int) -> int:
    """A column labelled 单价(元) is in yuan whatever the table's unit line says."""
    text = "/".join(path)
    if "(元)" in text or "（元）" in text:
        return 1
    if "(万元)" in text or "（万元）" in text:
        return 10000
    return table_factor


def split_bracketed(text: str) -> tuple[str, str]:
    """('A05040101', '复印纸') from '[A05040101]复印纸'; ('', text) when no code is printed."""
    cleaned = clean_text(text)
    match = _BRACKETED.match(cleaned)
    if not match:
        return "", cleaned
    return re.sub(r"\s+", "", match.group(1)), clean_text(match.group(2))


def _ends_with(cell: str, fragment: str) -> bool:
    return bool(fragment) and compact(cell).endswith(compact(fragment))


def listing_rows(raw: RawTable, name_columns: tuple[int, ...]) -> tuple[list[Line], list[Finding]]:
    """Body lines, with continuation lines folded into the row above."""
    _, body = header_and_body(raw)
    rows: list[Line] = []
    notes: list[Finding] = []
    for line in body:
        cells = list(line.cells)
        is_continuation = (
            rows
            and not any(cells[i].strip() for i in name_columns if i < len(cells))
            and not any(looks_numeric(c) for c in cells)
            and any(c.strip() for c in cells)
        )
        if not is_continuation:
            rows.append(Line(line.line, cells))
            continue
        above = rows[-1]
        above.cells += [""] * (len(cells) - len(above.cells))
        for i, fragment in enumerate(cells):
            if not fragment.strip():
                continue
            if _ends_with(above.cells[i], fragment):
                notes.append(
                    Finding(
                        "info",
                        "joined-row",
                        f"line {line.line} repeats '{clean_text(fragment)}', which the cell above already ends "
                        "with: page-break residue, not joined",
                        source_line=above.line,
                        value=clean_text(fragment),
                    )
                )
                continue
            above.cells[i] = above.cells[i].rstrip() + fragment.strip()
            notes.append(
                Finding(
                    "info",
                    "joined-row",
                    f"text on line {line.line} continues column {i + 1} of the row on line {above.line}",
                    source_line=above.line,
                )
            )
    return rows, notes


def _recover_code(kind: str | None, code: str, name: str, year: int) -> tuple[str, str]:
    """A classification code printed cut short inside its brackets ([3022]委托业务费 → 30227)."""
    if kind is None or not code.isdigit():
        return code, ""
    if any(e.code == code for e in codelists.classification(kind)):
        return code, ""
    target = compact(name)
    matches = {
        e.code
        for e in codelists.classification(kind)
        if e.holds_in(year) and e.code.startswith(code) and compact(e.name) == target
    }
    if len(matches) == 1:
        full = matches.pop()
        return full, f"[{code}]{name}: {code} is no {kind} code; {full} is the one named '{name}' that begins with it"
    return code, ""


def _row_type(code: str, name: str, has_item: bool) -> str:
    if not code and compact(name) in ("合计", "总计"):
        return "total"
    if has_item:
        return "item"
    if len(code) <= 2:
        return "group"
    return "department" if len(code) == 3 else "unit"


def map_listing(raw: RawTable, resource: str, year: int) -> tuple[list[Row], list[Finding]]:
    """Rows of a procurement or purchased-services table, each cell by its column's label."""
    header, _ = header_and_body(raw)
    width = max([len(r.cells) for r in raw.rows] + [0])
    paths = column_paths(header, width)
    fields = [listing_field(resource, p) for p in paths]
    name_columns = tuple(i for i, f in enumerate(fields) if f in ("unit_code", "unit_name"))
    body, notes = listing_rows(raw, name_columns)
    ref = f"{raw.label} {raw.title}".strip()
    findings = [replace(finding, resource=resource, table=ref) for finding in notes]
    out: list[Row] = []
    for row in body:
        record: Row = {}
        base = Where(resource=resource, source_line=row.line, table=ref)
        for i, cell in enumerate(row.cells):
            text = cell.strip()
            if not text:
                continue
            name = fields[i] if i < len(fields) else None
            label = "/".join(paths[i]) if i < len(paths) else "(no header)"
            if name is None or name in record:
                findings.append(
                    base.finding(
                        "warning",
                        "unmapped-cell",
                        f"column '{label}' holds {text!r}, which has no field in the standard",
                        value=text,
                    )
                )
                continue
            if name in NUMBER_FIELDS:
                parsed = parse_amount(text)
                findings += amount_cell_findings(parsed.problem, parsed.repaired, label, base, field=name, value=text)
                if parsed.problem or parsed.value is None:
                    continue
                factor = column_factor(paths[i], raw.factor)
                record[name] = parsed.in_yuan(factor) if name in AMOUNT_FIELDS else parsed.value
            elif name in CODED_FIELDS:
                code, item_name = split_bracketed(text)
                code, note = _recover_code(CODED_FIELDS[name], code, item_name, year)
                if note:
                    findings.append(
                        base.finding("info", "inferred-code", note, field=f"{name}_code", row_key=code, value=text)
                    )
                record[f"{name}_code"], record[f"{name}_name"] = code, item_name
            elif name == "includes_procurement":
                record[name] = {"是": True, "否": False}.get(compact(text))
                if record[name] is None:
                    findings.append(
                        base.finding(
                            "warning", "unreadable-value", f"'{text}' is neither 是 nor 否", field=name, value=text
                        )
                    )
            elif name == "unit_code":
                record[name] = re.sub(r"\s+", "", text)
            else:
                record[name] = clean_text(text)
        if not record:
            continue
        code, unit_name = str(record.get("unit_code") or ""), str(record.get("unit_name") or "")
        has_item = any(record.get(f) for f in ("project_name", "item_code", "item_name", "service_content"))
        record["row_type"] = _row_type(code, unit_name, has_item)
        if record["row_type"] == "total":
            record["unit_name"] = unit_name
        record["source_line"] = row.line
        out.append(record)
    return out, findings
