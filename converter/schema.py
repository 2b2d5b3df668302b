"""The standard's Table Schemas (schema/tables/*.json), loaded as data."""

from __future__ import annotations

import json
from functools import cache

from converter.codelists import SCHEMA_DIR

# 1.1: source_page and source_bbox (PDF provenance); 1.2: procurement by source of funds and its
# listing columns (规格, 采购组织形式 …), the “三公” items 会议费, 培训费, 机关运行经费, the package's
# edition; 1.3: expenditure_by_economic; 1.4: fact identity (a `line` for rows with no key of their own, the
# facts' government_economic_code and line dimensions), so each fact is one XBRL fact; and
# expenditure_by_function_and_economic (支出总表 crossing function and economic class on each row)
SCHEMA_VERSION = "1.4.0"
TABLE_SCHEMA_DIR = SCHEMA_DIR / "tables"

# Core resources in package order (the contract), then the supporting ones.
RESOURCE_ORDER = (
    "budget_summary",
    "revenue_by_unit",
    "revenue_by_function",
    "expenditure_by_function",
    "expenditure_by_unit",
    "fiscal_appropriation_summary",
    "basic_expenditure_by_economic",
    "expenditure_by_economic",
    "expenditure_by_function_and_economic",
    "three_public_expenses",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "projects",
    "procurement",
    "purchased_services",
    "performance_targets",
    "project_details",
    "narrative_figures",
)
# The resources whose rows have no key of their own: a `line` (the row's number in the resource) identifies
# them, and their facts.
LINE_RESOURCES = (
    "revenue_by_unit",
    "projects",
    "procurement",
    "purchased_services",
    "project_details",
    "narrative_figures",
)
# The resources whose rows are keyed by a classification code: (code list, resource, code field, name field).
CLASSIFIED_RESOURCES = (
    ("functional", "expenditure_by_function", "function_code", "function_name"),
    ("functional", "revenue_by_function", "function_code", "function_name"),
    ("functional", "government_fund_expenditure", "function_code", "function_name"),
    ("functional", "state_capital_expenditure", "function_code", "function_name"),
    ("economic", "basic_expenditure_by_economic", "economic_code", "economic_name"),
    ("economic", "expenditure_by_economic", "economic_code", "economic_name"),
    ("functional", "expenditure_by_function_and_economic", "function_code", "function_name"),
    ("economic", "expenditure_by_function_and_economic", "economic_code", "economic_name"),
)
# Resources added by a minor version: packages of earlier versions lack them and stay valid.
ADDED_IN = {"expenditure_by_economic": "1.3.0", "expenditure_by_function_and_economic": "1.4.0"}
# Fields added by a minor version, as (resource, field): required in new packages, absent from older ones.
FIELDS_ADDED_IN = {
    **{(name, "line"): "1.4.0" for name in LINE_RESOURCES},
    ("facts", "xbrl_concept"): "1.4.0",
    ("facts", "government_economic_code"): "1.4.0",
    ("facts", "line"): "1.4.0",
}
SUPPORT_RESOURCES = (
    "units",
    "functional_classification",
    "economic_classification",
    "facts",
    "unmodelled_cells",
    "tables",
    "conversion_report",
)


def package_name(region: str, department: str, year: int | str, phase: str, edition: str = "department") -> str:
    """region-department-year-phase, with 'unit-' before the phase for a unit's own edition."""
    return f"{region}-{department}-{year}-{'unit-' if edition == 'unit' else ''}{phase.replace('_', '-')}"


@cache
def table_schema(name: str) -> dict:
    return json.loads((TABLE_SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def field_names(name: str) -> tuple[str, ...]:
    return tuple(f["name"] for f in table_schema(name)["fields"])


def amount_fields(name: str) -> tuple[str, ...]:
    """The resource's amount fields (numbers in CNY, not quantities), in schema order."""
    return tuple(f["name"] for f in table_schema(name)["fields"] if f["type"] == "number" and f.get("unit") == "CNY")


# The keys of what a row is about; a row's place (source_line, or the line the package numbers) is no such key.
PRIMARY_KEYS = {
    name: table_schema(name).get("primaryKey")
    for name in RESOURCE_ORDER
    if table_schema(name).get("primaryKey") not in (["source_line"], ["line"])
}


# ---------------------------------------------------------------------------------------------
# The JSON document's JSON Schema is derived from the Table Schemas, so the two cannot drift.
# `python -m converter.schema` rewrites schema/package.schema.json; a test checks it is current.

PACKAGE_JSON_SCHEMA = SCHEMA_DIR / "package.schema.json"
_JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
QUANTITY = {"type": ["number", "null"], "description": "a count as printed, exact decimal; null when blank"}


def resource_json_schema(name: str) -> dict:
    """One resource's row as a JSON Schema object, read off its Table Schema."""
    schema = table_schema(name)
    properties: dict[str, dict] = {}
    required: list[str] = []
    for spec in schema["fields"]:
        constraints = spec.get("constraints", {})
        if constraints.get("required") and (name, spec["name"]) not in FIELDS_ADDED_IN:
            required.append(spec["name"])  # a field added later is absent from older packages
        if spec["type"] == "number":
            properties[spec["name"]] = {"$ref": "#/$defs/amount"} if spec.get("unit") == "CNY" else dict(QUANTITY)
            continue
        types = [_JSON_TYPES[spec["type"]]] + ([] if constraints.get("required") else ["null"])
        prop: dict = {"type": types}
        for key in ("enum", "pattern", "minimum", "maximum"):
            if key in constraints:
                prop[key] = constraints[key]
        properties[spec["name"]] = prop
    return {
        "type": "object",
        "description": schema.get("title", name),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def package_json_schema() -> dict:
    """schema/package.schema.json with its resource definitions rebuilt from the Table Schemas."""
    document = json.loads(PACKAGE_JSON_SCHEMA.read_text(encoding="utf-8"))
    data_resources = [*RESOURCE_ORDER, "units", "tables"]
    definitions = {"amount": document["$defs"]["amount"]}
    for name in (*data_resources, "conversion_report"):
        definitions[name] = resource_json_schema(name)
    document["$defs"] = definitions
    data = document["properties"]["data"]
    data["required"] = [name for name in data_resources if name not in ADDED_IN]
    data["properties"] = {name: {"type": "array", "items": {"$ref": f"#/$defs/{name}"}} for name in data_resources}
    return document


def package_json_schema_text() -> str:
    return json.dumps(package_json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    PACKAGE_JSON_SCHEMA.write_text(package_json_schema_text(), encoding="utf-8")
