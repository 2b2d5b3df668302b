"""Stage 4: map recognised tables onto the standard resources.

Each mapper is a pure function from a parsed table to (rows, findings). Amounts are converted to
yuan exactly; a cell that cannot be placed is never dropped: it becomes a finding with its value.

The modules follow the data's path: `parse` works out a table's columns and rows into the
`table.ParsedTable` every mapper reads; then one module per layout the national templates print:
`summary` (收支总表), `coded` (lists by classification code), `side_by_side` (two lists next to
each other), `three_public` (“三公”) and `projects` (project lists, and the list and form readers).
"""

from __future__ import annotations

from collections.abc import Callable

from converter import compiled

compiled.activate(__name__, __path__)  # the mappers run on every conversion

from converter.mapping.coded import (  # noqa: E402
    known_codes,
    map_expenditure_by_economic,
    map_expenditure_by_function,
    map_expenditure_by_unit,
    map_function_and_economic,
    map_fund_expenditure,
    map_revenue_by_function,
)
from converter.mapping.parse import parse_table  # noqa: E402
from converter.mapping.projects import (  # noqa: E402
    map_performance_form,
    map_procurement,
    map_projects,
    map_purchased_services,
)
from converter.mapping.side_by_side import map_basic_by_economic, map_revenue_by_unit  # noqa: E402
from converter.mapping.summary import map_summary  # noqa: E402
from converter.mapping.table import Context, ParsedTable, Row  # noqa: E402
from converter.mapping.three_public import map_three_public  # noqa: E402
from converter.report import Finding  # noqa: E402

__all__ = ["MAPPERS", "Context", "ParsedTable", "Row", "known_codes", "parse_table"]

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
