"""The CSVs of a package in the standard's form checked against their Table Schemas, without frictionless.

A package as budgetpub writes it embeds the standard's own Table Schemas (schema/tables/, which a
test validates with frictionless) and nothing else frictionless would check in its descriptor.
For such a package this does what frictionless's validation of the rows does, at a fraction of
its cost: header labels, cell counts, blank rows, types, missing values, the constraints
(required, enum, pattern, minimum, maximum, unique), primary keys and foreign keys to the
package's other resources. File hashes and sizes are the integrity checks'. Any other package
(an older standard, a hand-edited schema, properties frictionless would check) is left to
frictionless (structure.frictionless_package).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from converter.report import Finding
from converter.schema import RESOURCE_ORDER, SUPPORT_RESOURCES, table_schema

# What budgetpub writes in a descriptor, besides what frictionless leaves unchecked.
PACKAGE_KEYS = {
    "profile",
    "name",
    "title",
    "fiscal_year",
    "phase",
    "edition",
    "department",
    "region",
    "currency",
    "countryCode",
    "fiscalPeriod",
    "schema_version",
    "source",
    "sources",
    "json_document",
    "xbrl",
    "resources",
    "version",
    "released",
    "version_notes",
}
RESOURCE_KEYS = {
    "name",
    "path",
    "profile",
    "title",
    "format",
    "mediatype",
    "encoding",
    "hash",
    "bytes",
    "schema",
    "printed_unit",
    "notes",
}
STANDARD_RESOURCES = {*RESOURCE_ORDER, *SUPPORT_RESOURCES}
NAME = re.compile(r"^[a-z0-9._-]+$")  # the Data Package profile's name pattern
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]


def _text(value: object) -> bool:
    return isinstance(value, str)


def standard_form(descriptor: object) -> bool:
    """The descriptor is as budgetpub writes it: the standard's Table Schemas, CSV files in data/,
    and no property frictionless would check otherwise."""
    if not isinstance(descriptor, dict) or descriptor.get("profile") != "tabular-data-package":
        return False
    if not set(descriptor) <= PACKAGE_KEYS or not _text(descriptor.get("name")):
        return False
    if not NAME.match(descriptor["name"]) or not _text(descriptor.get("title", "")):
        return False
    if "version" in descriptor and not _text(descriptor["version"]):
        return False
    sources = descriptor.get("sources", [])
    if not isinstance(sources, list) or not all(
        isinstance(s, dict) and set(s) <= {"title", "path"} and all(map(_text, s.values())) for s in sources
    ):
        return False
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return False
    names = [r.get("name") if isinstance(r, dict) else None for r in resources]
    if len(set(names)) != len(names):
        return False
    for resource in resources:
        name = resource.get("name")
        if name not in STANDARD_RESOURCES or not set(resource) <= RESOURCE_KEYS:
            return False
        if (
            resource.get("path") != f"data/{name}.csv"
            or resource.get("profile") != "tabular-data-resource"
            or resource.get("format") != "csv"
            or resource.get("mediatype") != "text/csv"
            or resource.get("encoding") != "utf-8"
            or not _text(resource.get("title", ""))
            or not isinstance(resource.get("bytes", 0), int)
            or not _text(resource.get("hash", ""))
            or resource.get("schema") != table_schema(name)
        ):
            return False
    return True


Parse = Callable[[str], tuple[object, str | None]]


def _parser(field: dict) -> Parse:
    """A cell's typed value, or the reason it is not of the field's type."""
    kind = field.get("type", "string")
    if kind == "integer":

        def integer(cell: str) -> tuple[object, str | None]:
            text = cell[1:] if cell[:1] in "+-" else cell
            if not text.isascii() or not text.isdigit():
                return None, "integer"
            return int(cell), None

        return integer
    if kind == "number":

        def number(cell: str) -> tuple[object, str | None]:
            try:
                value = Decimal(cell)
            except InvalidOperation:
                return None, "number"
            if cell.strip() != cell or "_" in cell:
                return None, "number"
            return value, None

        return number
    if kind == "boolean":
        true, false = field.get("trueValues", TRUE_VALUES), field.get("falseValues", FALSE_VALUES)

        def boolean(cell: str) -> tuple[object, str | None]:
            if cell in true:
                return True, None
            if cell in false:
                return False, None
            return None, "boolean"

        return boolean
    if kind != "string":
        raise ValueError(kind)  # not in the standard: standard_form let it through only if the standard has it
    return lambda cell: (cell, None)


def _constraint(field: dict) -> Callable[[object], str | None]:
    """Which constraint a typed, present value breaks (None: none)."""
    constraints = field.get("constraints", {})
    kind = field.get("type", "string")
    pattern = re.compile(constraints["pattern"]) if "pattern" in constraints else None
    enum = constraints.get("enum")
    if enum is not None and kind == "number":
        enum = [Decimal(str(v)) for v in enum]
    minimum, maximum = constraints.get("minimum"), constraints.get("maximum")
    if kind == "number":
        minimum = None if minimum is None else Decimal(str(minimum))
        maximum = None if maximum is None else Decimal(str(maximum))

    def broken(value: object) -> str | None:
        if pattern is not None and not pattern.fullmatch(str(value)):
            return f'pattern "{pattern.pattern}"'
        if enum is not None and value not in enum:
            return f"enum {enum}"
        if minimum is not None and value < minimum:  # type: ignore[operator]
            return f'minimum "{minimum}"'
        if maximum is not None and value > maximum:  # type: ignore[operator]
            return f'maximum "{maximum}"'
        return None

    return broken


def _error(kind: str, message: str, resource: str, row: int | None = None, field: str = "") -> Finding:
    return Finding(
        "error", f"structure:{kind}", message, resource=resource, row_key=f"row {row}" if row else "", field=field
    )


def _resource_rows(base: Path, resource: dict, found: list[Finding]) -> list[tuple[int, dict[str, object]]]:
    """(row number, typed cells) of one resource, its findings added to `found`."""
    name = resource["name"]
    schema = resource["schema"]
    fields = schema["fields"]
    labels = [f["name"] for f in fields]
    missing = set(schema.get("missingValues", [""]))
    parsers = [_parser(f) for f in fields]
    checks = [_constraint(f) for f in fields]
    required = [bool(f.get("constraints", {}).get("required")) for f in fields]
    unique = [bool(f.get("constraints", {}).get("unique")) for f in fields]
    kinds = [f.get("type", "string") for f in fields]
    try:
        with (base / resource["path"]).open(encoding="utf-8", newline="") as handle:
            table = list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        found.append(_error("encoding-error", f"{resource['path']} is not UTF-8 ({exc.reason})", name))
        return []
    except (OSError, csv.Error) as exc:
        found.append(_error("source-error", f"{resource['path']} cannot be read as CSV ({exc})", name))
        return []
    if not table:
        found.append(_error("source-error", f"{resource['path']} is empty: no header row", name))
        return []
    header = table[0]
    if header != labels:
        for position, (label, expected) in enumerate(zip(header, labels, strict=False), start=1):
            if label != expected:
                kind = "blank-label" if not label else "incorrect-label"
                found.append(_error(kind, f'label "{label}" at position {position} should be "{expected}"', name))
        for label in header[len(labels) :]:
            found.append(_error("extra-label", f'extra label "{label}" beyond the schema\'s fields', name))
        for expected in labels[len(header) :]:
            found.append(_error("missing-label", f'no column for field "{expected}"', name))
    rows: list[tuple[int, dict[str, object]]] = []
    seen: list[dict[object, int]] = [{} for _ in fields]
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            found.append(_error("blank-row", f"row {number} is blank", name, number))
            continue
        if len(cells) > len(fields):
            found.append(
                _error("extra-cell", f"row {number} has {len(cells)} cells for {len(fields)} fields", name, number)
            )
        typed: dict[str, object] = {}
        for position, label in enumerate(labels):
            if position >= len(cells):
                found.append(
                    _error("missing-cell", f'row {number} has no cell for field "{label}"', name, number, label)
                )
                typed[label] = None
                continue
            cell = cells[position]
            if cell in missing:
                typed[label] = None
                if required[position]:
                    found.append(
                        _error(
                            "constraint-error", f'"{label}" is required but empty in row {number}', name, number, label
                        )
                    )
                continue
            value, wrong = parsers[position](cell)
            if wrong is not None:
                found.append(
                    _error(
                        "type-error",
                        f'"{cell}" in row {number}, field "{label}" is not of type {kinds[position]}',
                        name,
                        number,
                        label,
                    )
                )
                typed[label] = None
                continue
            broken = checks[position](value)
            if broken is not None:
                found.append(
                    _error(
                        "constraint-error",
                        f'"{cell}" in row {number}, field "{label}" breaks the constraint {broken}',
                        name,
                        number,
                        label,
                    )
                )
            if unique[position]:
                if value in seen[position]:
                    found.append(
                        _error(
                            "unique-error",
                            f'"{cell}" of field "{label}" in row {number} repeats row {seen[position][value]}',
                            name,
                            number,
                            label,
                        )
                    )
                seen[position].setdefault(value, number)
            typed[label] = value
        rows.append((number, typed))
    return rows


def table_rows(descriptor: dict, base: Path) -> Iterator[Finding]:
    """Every resource's rows against its Table Schema, then primary and foreign keys."""
    found: list[Finding] = []
    typed = {r["name"]: _resource_rows(base, r, found) for r in descriptor["resources"]}
    yield from found
    for resource in descriptor["resources"]:
        name, schema = resource["name"], resource["schema"]
        key = schema.get("primaryKey")
        if key:
            key = [key] if isinstance(key, str) else key
            first: dict[tuple, int] = {}
            for number, row in typed[name]:
                values = tuple(row.get(f) for f in key)
                if any(v is None for v in values):
                    continue  # a total's row has no code: frictionless leaves it, and so does this
                if values in first:
                    yield _error(
                        "primary-key",
                        f"row {number} repeats the primary key {'/'.join(map(str, values))} of row {first[values]}",
                        name,
                        number,
                    )
                else:
                    first[values] = number
        for foreign in schema.get("foreignKeys", []):
            fields = [foreign["fields"]] if isinstance(foreign["fields"], str) else foreign["fields"]
            reference = foreign["reference"]
            target = reference.get("resource") or name
            targets = [reference["fields"]] if isinstance(reference["fields"], str) else reference["fields"]
            if target not in typed:
                yield _error(
                    "foreign-key", f"the foreign key {'+'.join(fields)} refers to {target}, not in the package", name
                )
                continue
            known = {tuple(row.get(f) for f in targets) for _, row in typed[target]}
            for number, row in typed[name]:
                values = tuple(row.get(f) for f in fields)
                if all(v is not None for v in values) and values not in known:
                    yield _error(
                        "foreign-key",
                        f"row {number}: {'/'.join(map(str, values))} of {'+'.join(fields)} is not in {target}",
                        name,
                        number,
                        "+".join(fields),
                    )
