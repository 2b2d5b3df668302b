"""Project lists, and the list and form readers (procurement, purchased services, 绩效) behind one call."""

from __future__ import annotations

import re

from converter import codelists
from converter.cells import clean_text, compact
from converter.layout import (
    BodyRow,
    column_paths,
    header_and_body,
)
from converter.listings import map_listing
from converter.mapping.table import Context, ParsedTable, Row, _amounts
from converter.performance import map_performance
from converter.recognize import (
    column_field,
)
from converter.report import Finding
from converter.schema import amount_fields

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
    unit_code, unit_name, category, category_code = "", "", "", ""
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
            unit_code, unit_name, category, category_code = code, name, "", ""
        elif kind == "category":  # its printed code, else the national list's code for its name
            category, category_code = name, code or codelists.project_categories().get(compact(name), "")
        if printed_category and kind == "project":
            category = printed_category
            category_code = codelists.project_categories().get(compact(printed_category), "")
        in_category = kind in ("project", "category")
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
            "category": category if in_category else "",
            "category_code": category_code if in_category else "",
        }
        for name_ in PROJECT_AMOUNTS:
            record[name_] = values.get(name_)
        record["source_line"] = row.line
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
