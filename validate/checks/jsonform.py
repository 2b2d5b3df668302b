"""The one-document JSON form: valid against schema/package.schema.json, and the same as the CSVs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from converter.codelists import SCHEMA_DIR
from converter.report import Finding
from validate.model import PackageData


@cache
def _validator():  # noqa: ANN202 - jsonschema's validator type
    import jsonschema

    schema = json.loads((SCHEMA_DIR / "package.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def json_document(pkg: PackageData) -> Iterator[Finding]:
    """The JSON document against the JSON Schema, its rows also the same as the CSVs'. For a package
    in the standard's form, whose CSVs are checked against the Table Schemas the JSON Schema's rows
    are derived from, each row of the document is compared with its CSV row (the same fields, of
    the JSON types the schema says, with the same values) instead of being checked against the
    JSON Schema again: the same guarantee at a fraction of the cost. Other rows, and the rest of
    the document, are checked against the JSON Schema."""
    from validate.checks.tables import standard_form

    assert pkg.path is not None
    entry = pkg.descriptor.get("json_document")
    if not entry:
        yield Finding("error", "json-form", "datapackage.json names no JSON document")
        return
    path = pkg.path / entry["path"]
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as exc:
        yield Finding("error", "json-form", f"{entry['path']} cannot be read as JSON ({exc})")
        return
    data = document.get("data", {}) if isinstance(document, dict) else {}
    compared = set()
    if isinstance(data, dict) and standard_form(pkg.descriptor):
        compared = {name for name, rows in data.items() if name in pkg.resources and isinstance(rows, list)}
        document = {**document, "data": {**data, **{name: [] for name in compared}}}
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(map(str, error.absolute_path)) or "(top)"
        yield Finding("error", "json-form", f"{entry['path']} at {where}: {error.message}", field=where)
    for name, rows in pkg.resources.items():
        if name in data and isinstance(data[name], list) and len(data[name]) != len(rows):
            yield Finding(
                "error",
                "json-form",
                f"the JSON document has {len(data[name])} {name} rows, the CSV {len(rows)}",
                resource=name,
            )
        elif name in compared:
            yield from _same_rows(entry["path"], name, data[name], rows, _fields(pkg, name))


def _fields(pkg: PackageData, name: str) -> dict[str, str]:
    resource = next(r for r in pkg.descriptor["resources"] if r["name"] == name)
    return {f["name"]: f.get("type", "string") for f in resource["schema"]["fields"]}


def _json_typed(value: object, kind: str) -> bool:
    """A JSON value of the JSON type the schema gives a field of this Table Schema type (or null)."""
    if value is None:
        return True
    if kind == "number":
        return isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, {"boolean": bool, "string": str}.get(kind, str))


def _same_rows(path: str, name: str, rows: list, csv_rows: list[dict], fields: dict[str, str]) -> Iterator[Finding]:
    """Each row of the JSON document is its CSV row: the same fields, values and types."""
    for number, (row, expected) in enumerate(zip(rows, csv_rows, strict=True)):
        where = f"data/{name}/{number}"
        if not isinstance(row, dict):
            yield Finding("error", "json-form", f"{path} at {where}: not an object", resource=name, field=where)
            continue
        for field in sorted(set(row) - set(fields)):
            yield Finding(
                "error",
                "json-form",
                f"{path} at {where}: '{field}' is not a field of {name}",
                resource=name,
                field=f"{where}/{field}",
            )
        for field, kind in fields.items():
            value = row.get(field)
            if value == "" and kind == "string":
                value = None  # a CSV writes an empty string and a blank alike: "" (a missing value)
            if not _json_typed(value, kind) or value != expected.get(field):  # absent is null, as blank
                yield Finding(
                    "error",
                    "json-form",
                    f"{path} at {where}/{field}: {value!r} where the CSV has {expected.get(field)!r}",
                    resource=name,
                    field=f"{where}/{field}",
                )
