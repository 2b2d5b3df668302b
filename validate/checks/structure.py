"""Structure: every resource against its Table Schema, validated as a package so foreign keys
across resources are checked; plus what frictionless 5 keeps but does not check."""

from __future__ import annotations

from collections.abc import Iterator

from converter.report import Finding
from validate.model import PackageData


def frictionless_package(pkg: PackageData) -> Iterator[Finding]:
    """Types, required fields, constraints, primary and foreign keys, as frictionless reports them.
    A package in the standard's form (its descriptor as budgetpub writes it) is checked the same
    way without frictionless, several times faster (validate/checks/tables.py)."""
    from validate.checks.tables import standard_form, table_rows

    assert pkg.path is not None
    if standard_form(pkg.descriptor):
        yield from table_rows(pkg.descriptor, pkg.path)
    else:
        yield from by_frictionless(pkg)


def by_frictionless(pkg: PackageData) -> Iterator[Finding]:
    """What frictionless's validation of the whole package finds."""
    from frictionless import FrictionlessException, Package  # heavy: imported only when validating

    assert pkg.path is not None
    try:
        report = Package(str(pkg.path / "datapackage.json")).validate()
    except FrictionlessException as exc:  # a descriptor frictionless cannot even load (a bad name …)
        reasons = "; ".join(reason.message for reason in exc.reasons[:3])
        yield Finding("error", "structure:package-error", exc.error.message + (f" ({reasons})" if reasons else ""))
        return
    for error in report.errors:
        yield Finding("error", f"structure:{error.type}", error.message)
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            yield Finding(
                "error",
                f"structure:{error.type}",
                error.message,
                resource=task.name or "",
                row_key=f"row {row}" if row else "",
                field=getattr(error, "field_name", "") or "",
            )


def _source_line(row: dict) -> int | None:
    value = row.get("source_line")
    return value if isinstance(value, int) else None


def categories(pkg: PackageData) -> Iterator[Finding]:
    """Values of a field with `categories` must be one of them."""
    for resource in pkg.descriptor.get("resources", []):
        for field in resource.get("schema", {}).get("fields", []):
            allowed = field.get("categories")
            if not allowed:
                continue
            values = {c["value"] if isinstance(c, dict) else c for c in allowed}
            for number, row in enumerate(pkg.rows(resource["name"]), start=2):
                value = row.get(field["name"])
                if value is not None and value not in values:
                    yield Finding(
                        "error",
                        "categories",
                        f"{field['name']} is '{value}', which is not one of "
                        f"{', '.join(map(str, sorted(values, key=str)))}",
                        resource=resource["name"],
                        row_key=f"row {number}",
                        field=field["name"],
                        source_line=_source_line(row),
                        value=str(value),
                    )


def unique_keys(pkg: PackageData) -> Iterator[Finding]:
    """Each `uniqueKeys` combination appears once among rows where none of its fields is blank."""
    for resource in pkg.descriptor.get("resources", []):
        for key in resource.get("schema", {}).get("uniqueKeys", []):
            seen: dict[tuple, int] = {}
            for number, row in enumerate(pkg.rows(resource["name"]), start=2):
                values = tuple(row.get(f) for f in key)
                if any(v is None for v in values):
                    continue
                if values in seen:
                    yield Finding(
                        "error",
                        "unique-keys",
                        f"{'/'.join(map(str, values))} appears twice "
                        f"(rows {seen[values]} and {number}) but {'+'.join(key)} must be unique",
                        resource=resource["name"],
                        row_key=f"row {number}",
                        field="+".join(key),
                        source_line=_source_line(row),
                    )
                else:
                    seen[values] = number
