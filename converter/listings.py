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
from converter.cells import clean_text, compact, looks_numeric, parse_amount, placeholder_mark
from converter.layout import BodyRow, column_paths, fill_code_hierarchy, header_and_body
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
        ("item_category", ("品目大类",)),
        ("item_category", ("采购类别",)),
        ("item", ("品目",)),
        ("item", ("采购目录",)),
        ("item", ("采购物品",)),
        ("function", ("功能",)),
        ("government_economic", ("政府", "经济")),
        ("economic", ("经济",)),
        ("fund_source", ("资金来源",)),
        ("fund_nature", ("资金性质",)),
        ("quantity", ("数量",)),
        ("unit_price", ("单价",)),
        ("measure_unit", ("计量单位",)),
        ("small_micro", ("小微",)),
        ("sme", ("中小企业",)),
        ("total", ("金额",)),
        ("service_content", ("服务内容",)),
        ("project_name", ("项目",)),
        ("project_name", ("专项",)),
        # the classification a table is laid out by (科目编码 类 | 款 | 项, 科目名称)
        ("function", ("科目编码",)),
        ("function_name", ("科目名称",)),
        ("specification", ("规格",)),
        ("procurement_method", ("组织形式",)),
        ("procurement_method", ("采购方式",)),
        ("planned_time", ("时间",)),
        ("note", ("说明",)),
        ("note", ("备注",)),
        # amounts by source of funds (合计 | 财政拨款 小计 一般公共预算 … | 单位资金 …)
        ("fiscal_appropriation", ("财政拨款", "小计")),
        ("general_public_budget", ("一般公共预算",)),
        ("government_fund_budget", ("政府性基金",)),
        ("state_capital_budget", ("国有资本",)),
        ("fiscal_special_account", ("财政专户",)),
        ("unit_funds", ("单位资金",)),
        ("non_fiscal_balance", ("非财政拨款结余",)),
        ("carryover", ("上年结转",)),
        ("total", ("合计",)),
        ("total", ("总计",)),
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
FUND_FIELDS = (
    "fiscal_appropriation",
    "general_public_budget",
    "government_fund_budget",
    "state_capital_budget",
    "fiscal_special_account",
    "unit_funds",
    "non_fiscal_balance",
    "carryover",
)
AMOUNT_FIELDS = {"unit_price", "total", "sme", "small_micro", "amount", *FUND_FIELDS}
NUMBER_FIELDS = AMOUNT_FIELDS | {"quantity"}
CODED_FIELDS = {"item": None, "function": "functional", "economic": "economic", "government_economic": None}
# 类 | 款 | 项 columns under a classification's heading: one code printed in parts
CODE_PART_LEAVES = ("类", "款", "项")
# what makes a line one purchase rather than a subtotal over purchases
ITEM_FIELDS = ("item_code", "item_name", "service_content", "specification", "procurement_method", "measure_unit")
_BRACKETED = re.compile(r"^[\[【［]\s*([0-9A-Za-z][0-9A-Za-z\s]*?)\s*[\]】］]\s*(.*)$")
# a 政府采购品目 code printed before its name without brackets (A02010105台式计算机)
_CATALOGUE_CODE = re.compile(r"^([A-C]\d{2,8})(?=\D)\s*(.+)$")
_TOTAL_WORDS = ("合计", "总计")


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


def split_catalogue(text: str) -> tuple[str, str]:
    """A 政府采购品目 cell: its code in brackets or printed straight before the name (C16030200数据加工处理服务)."""
    code, name = split_bracketed(text)
    if code:
        return code, name
    match = _CATALOGUE_CODE.match(name)
    return (match.group(1), clean_text(match.group(2))) if match else ("", name)


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


def _row_type(record: Row, resource: str, has_item_column: bool) -> str:
    """What a printed line is: the total, a subtotal line (a grouping, department or unit by its
    code; a 品目大类; a line of the functional classification; a project's or an economic class's
    lines added up) or one purchase."""
    code = str(record.get("unit_code") or "")
    texts = [compact(str(v)) for k, v in record.items() if isinstance(v, str) and k != "unit_code"]
    if not code and any(t in _TOTAL_WORDS for t in texts):
        return "total"
    if any(record.get(f) for f in ITEM_FIELDS):
        return "item"
    if resource == "purchased_services":
        # a service is named by its content, its project or its place in the 指导性目录
        named = ("project_name", "catalogue_level2", "catalogue_level3")
        if any(record.get(f) for f in named):
            return "item"
        return "group" if len(code) <= 2 else ("department" if len(code) == 3 else "unit")
    if code:
        if len(code) <= 2:
            return "group"
        return "department" if len(code) == 3 else "unit"
    if record.get("project_name") and not has_item_column:
        return "item"  # a list of projects with what they buy
    if record.get("item_category") and not record.get("project_name"):
        return "category"
    if (record.get("function_code") or record.get("function_name")) and not record.get("project_name"):
        return "function"
    return "subtotal"


def _code_parts(paths: list[tuple[str, ...]], fields: list[str | None]) -> dict[int, tuple[str, int]]:
    """Columns printing one part (类, 款, 项) of a classification code: column -> (field, part)."""
    parts: dict[int, tuple[str, int]] = {}
    for i, (path, name) in enumerate(zip(paths, fields, strict=True)):
        if name in CODED_FIELDS and path and path[-1] in CODE_PART_LEAVES:
            parts[i] = (name, CODE_PART_LEAVES.index(path[-1]))
    return parts


def _join_parts(
    body: list[Line], parts: dict[int, tuple[str, int]]
) -> tuple[dict[tuple[int, str], str], list[Finding]]:
    """Each row's classification codes from their 类 | 款 | 项 cells, a part printed only under the
    class (and 款) above it read under them: (row index, field) -> code."""
    codes: dict[tuple[int, str], str] = {}
    notes: list[Finding] = []
    for name in sorted({f for f, _ in parts.values()}):
        columns = sorted((part, i) for i, (f, part) in parts.items() if f == name)
        rows = []
        for line in body:
            printed = [line.cells[i].strip() if i < len(line.cells) else "" for _, i in columns]
            printed = [p if p.isdigit() else "" for p in printed]
            full = printed[0] + "".join(printed[1:]) if printed[0] and all(printed) else ""
            rows.append(BodyRow(line.line, full, [], [], code_parts=printed))
        for repair in fill_code_hierarchy(rows):
            notes.append(
                Finding("info", "inferred-code", repair.message, field=f"{name}_code", source_line=repair.line)
            )
        for index, row in enumerate(rows):
            if row.code:
                codes[(index, name)] = row.code
    return codes, notes


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
    parts = _code_parts(paths, fields)
    joined, part_notes = _join_parts(body, parts)
    findings += [replace(finding, resource=resource, table=ref) for finding in part_notes]
    has_item_column = any(f in ("item", "service_content") for f in fields)
    out: list[Row] = []
    for position, row in enumerate(body):
        record: Row = {}
        base = Where(resource=resource, source_line=row.line, table=ref)
        for i, cell in enumerate(row.cells):
            text = cell.strip()
            if not text:
                continue
            name = fields[i] if i < len(fields) else None
            label = "/".join(paths[i]) if i < len(paths) else "(no header)"
            if i in parts:
                field_name = parts[i][0]
                code = joined.get((position, field_name))
                if code:
                    record[f"{field_name}_code"] = code
                    continue
                if not text.isdigit():
                    # a label printed in a code column (合计 under 科目编码): the line's name
                    record.setdefault(f"{field_name}_name", clean_text(text))
                    continue
                findings.append(
                    base.finding(
                        "warning",
                        "unplaced-cell",
                        f"column '{label}' holds the code part {text!r}, which no class printed above completes",
                        value=text,
                    )
                )
                continue
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
                mark = placeholder_mark(text) if parsed.problem else None
                if mark is not None and sum(placeholder_mark(c) == mark for r in raw.rows for c in r.cells) > 1:
                    findings.append(
                        base.finding(
                            "info",
                            "placeholder",
                            f"column '{label}': {text!r} read as no amount; the table prints it for none",
                            field=name,
                            value=text,
                        )
                    )
                    continue
                findings += amount_cell_findings(parsed.problem, parsed.repaired, label, base, field=name, value=text)
                if parsed.problem or parsed.value is None:
                    continue
                factor = column_factor(paths[i], raw.factor)
                record[name] = parsed.in_yuan(factor) if name in AMOUNT_FIELDS else parsed.value
            elif name in CODED_FIELDS:
                code, item_name = split_catalogue(text) if name == "item" else split_bracketed(text)
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
        row_type = _row_type(record, resource, has_item_column)
        if row_type in ("group", "department", "unit") and record.get("project_name") and not record.get("unit_name"):
            # a unit's line prints its name where its purchases print their project
            record["unit_name"] = record.pop("project_name")
        record["row_type"] = row_type
        if row_type == "total":
            record["unit_name"] = str(record.get("unit_name") or "")
        record["source_line"] = row.line
        out.append(record)
    return out, findings
