"""Stage 5a: every amount of every resource as one fact (the XBRL-like long form).

A fact is one number with everything needed to read it alone: its concept (`resource.field`,
described in schema/concepts.csv), the entity and period it is about, the dimensions that
locate it (function, economic or unit code, scope, basis …), its value in yuan, the decimals it
was printed with and the source line. Facts of many packages stack into one table, so "every
amount of 2010301 across departments and years" is a single filter.

Concept, entity, period, phase and the dimensions identify a fact: no two facts of a package share
them (validate's fact-identity check), so each is one XBRL fact. A row keyed by its classification
codes is told apart by them; a row with no key of its own (a project, a procurement line, a
figure of the narrative) by its `line`, the row's number in its resource.
"""

from __future__ import annotations

from decimal import Decimal

from converter.schema import RESOURCE_ORDER, amount_fields, field_names

# Row fields that become dimension columns, as (fact column, row field).
DIMENSIONS = (
    ("side", "side"),
    ("item", "item"),
    ("scope", "scope"),
    ("basis", "basis"),
    ("row_type", "row_type"),
    ("function_code", "function_code"),
    ("economic_code", "economic_code"),
    ("unit_code", "unit_code"),
    ("project_code", "project_code"),
    ("catalogue_code", "item_code"),
    ("government_economic_code", "government_economic_code"),
    ("line", "line"),
)
LABEL_FIELDS = (
    "item_name",
    "function_name",
    "economic_name",
    "project_name",
    "item_name",
    "unit_name",
    "category",
    "topic",
    "indicator",
)
# The prefix of the XBRL taxonomy's concepts (converter/xbrl.py): facts.csv names each fact's concept
# as a QName too, so that it is the package's xBRL-CSV table.
XBRL_PREFIX = "bp"
# decimals of a printed amount (XBRL sense: -2 = to the hundred yuan), by the table's printed unit, for
# an amount printed with two places; the places of the printed unit (万元 = 10^4 yuan) for any other
DECIMALS = {"万元": -2, "千元": -1, "元": 2}
UNIT_PLACES = {"万元": 4, "千元": 3, "元": 0}


def printed_decimals(value: Decimal, unit_places: int, default: int) -> int:
    """The precision an amount was printed with, in yuan: the places it carries less the unit's
    (17.398000 万元 = 173980.000000 yuan: 2, to the fen; 255.87 万元: -2). Amounts in yuan carry
    at least two places (cells.to_yuan), so fewer printed places read as two."""
    exponent = value.as_tuple().exponent
    return -exponent - unit_places if isinstance(exponent, int) else default


def resource_facts(
    resource: str, rows: list[dict], entity: str, period: int | None, phase: str | None, printed_unit: str
) -> list[dict]:
    facts: list[dict] = []
    fields = amount_fields(resource)
    if not fields:
        return facts
    concepts = [(field, f"{resource}.{field}", f"{XBRL_PREFIX}:{resource}.{field}") for field in fields]
    default_decimals = DECIMALS.get(printed_unit, 2)
    unit_places = UNIT_PLACES.get(printed_unit, 0)
    items_are_codes = resource in ("budget_summary", "fiscal_appropriation_summary")
    # the columns this resource has no field for are the same blank on every fact
    present = set(field_names(resource))
    dimensions = [(column, field) for column, field in DIMENSIONS if field in present]
    labels = [field for field in LABEL_FIELDS if field in present]
    blank: dict = {"concept": "", "xbrl_concept": "", "entity": entity, "period": period, "phase": phase}
    blank.update((column, "") for column, _ in DIMENSIONS)
    blank.update(label="", value=None, unit="CNY", decimals=default_decimals, source_line=None)
    for row in rows:
        amounts = [
            (concept, qname, row[field]) for field, concept, qname in concepts if type(row.get(field)) is Decimal
        ]
        if not amounts:
            continue  # a row with no amount gives no fact: spare it the dimensions
        template = dict(blank)
        for column, field in dimensions:
            value = row.get(field)
            template[column] = "" if value is None else value
        if items_are_codes and str(row.get("item", "")).isdigit():
            template["function_code"] = row["item"]  # an expenditure class line
        template["label"] = next((str(row[f]) for f in labels if row.get(f)), "")
        stated = row.get("decimals")  # a narrative figure says how precisely the prose printed it
        template["source_line"] = row.get("source_line")
        for concept, qname, value in amounts:
            fact = dict(template)
            fact["concept"] = concept
            fact["xbrl_concept"] = qname
            fact["value"] = value
            fact["decimals"] = (
                stated if isinstance(stated, int) else printed_decimals(value, unit_places, default_decimals)
            )
            facts.append(fact)
    return facts


def all_facts(
    resources: dict[str, list[dict]],
    entity: str,
    period: int | None,
    phase: str | None,
    printed_units: dict[str, str],
    order: tuple[str, ...] = RESOURCE_ORDER,
) -> list[dict]:
    """The facts of a package, in resource order then row order then field order."""
    out: list[dict] = []
    for resource in order:
        out += resource_facts(
            resource, resources.get(resource, []), entity, period, phase, printed_units.get(resource, "万元")
        )
    return out
