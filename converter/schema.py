"""The standard's Table Schemas (schema/tables/*.json), loaded as data."""

from __future__ import annotations

import json
from functools import cache

from converter.codelists import SCHEMA_DIR

SCHEMA_VERSION = "1.0.0"
TABLE_SCHEMA_DIR = SCHEMA_DIR / "tables"

# Core resources in package order (the contract), then the supporting ones.
RESOURCE_ORDER = (
    "budget_summary",
    "revenue_by_unit",
    "expenditure_by_function",
    "expenditure_by_unit",
    "fiscal_appropriation_summary",
    "basic_expenditure_by_economic",
    "three_public_expenses",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "projects",
)
SUPPORT_RESOURCES = ("units", "functional_classification", "economic_classification", "tables", "conversion_report")


@cache
def table_schema(name: str) -> dict:
    return json.loads((TABLE_SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def field_names(name: str) -> list[str]:
    return [f["name"] for f in table_schema(name)["fields"]]


def amount_fields(name: str) -> tuple[str, ...]:
    """The resource's amount (number) fields, in schema order."""
    return tuple(f["name"] for f in table_schema(name)["fields"] if f["type"] == "number")


PRIMARY_KEYS = {
    name: table_schema(name).get("primaryKey")
    for name in RESOURCE_ORDER
    if table_schema(name).get("primaryKey") != ["source_line"]
}
