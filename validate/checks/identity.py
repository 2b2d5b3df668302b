"""Fact identity: concept, entity, period and dimensions name one fact, so a package is a valid
XBRL report (two facts with one identity and different values are inconsistent duplicates)."""

from __future__ import annotations

from collections.abc import Iterator

from converter.report import Finding
from converter.schema import ADDED_IN, FIELDS_ADDED_IN
from validate.model import PackageData

# The columns of the facts resource that are not part of a fact's identity.
NOT_IDENTITY = frozenset(
    {"xbrl_concept", "label", "value", "unit", "decimals", "source_line", "source_page", "source_bbox"}
)
IDENTITY_SINCE = (1, 4)  # schema 1.4.0 gave every row without a key of its own a line


def _version(pkg: PackageData) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in str(pkg.descriptor.get("schema_version", "")).split("."))
    except ValueError:
        return ()


def facts_unique(pkg: PackageData) -> Iterator[Finding]:
    """No two facts share concept, entity, period, phase and every dimension. The standard before
    1.4.0 gave rows without a key of their own no line, so it did not promise this: those
    packages are not checked (re-converting gives one fact per identity)."""
    if _version(pkg) < IDENTITY_SINCE:
        return
    resources = pkg.descriptor.get("resources", [])
    schemas = [r.get("schema", {}) for r in resources if r.get("name") == "facts"]
    fields: list[dict] = schemas[0].get("fields", []) if schemas else []
    identity = [str(f.get("name")) for f in fields if f.get("name") not in NOT_IDENTITY]
    seen: dict[tuple, tuple[int, dict]] = {}
    for number, fact in enumerate(pkg.rows("facts"), start=2):
        key = tuple("" if fact.get(name) is None else str(fact.get(name)) for name in identity)
        if key not in seen:
            seen[key] = (number, fact)
            continue
        first_number, first = seen[key]
        dimensions = ", ".join(f"{n}={v}" for n, v in zip(identity, key, strict=True) if v and n != "concept")
        yield Finding(
            "error",
            "fact-identity",
            f"facts rows {first_number} and {number} are both {key[0]} ({dimensions}): "
            f"{first.get('value')} from line {first.get('source_line')} and {fact.get('value')} from line "
            f"{fact.get('source_line')}; a fact needs a dimension that tells it apart",
            resource="facts",
            row_key=f"row {number}",
            field="+".join(identity),
            source_line=fact.get("source_line") if isinstance(fact.get("source_line"), int) else None,
            value=str(fact.get("value")),
        )


def _since(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def what_its_version_added(pkg: PackageData) -> Iterator[Finding]:
    """A package of the standard 1.4 on has what its version added: the fields (the rows' `line`,
    the facts' `xbrl_concept` …), the resources and its XBRL report. Those are optional in the JSON
    Schema only so that older packages stay valid; a new package without them would pass validate
    and fail in an XBRL processor."""
    version = _version(pkg)
    if version < IDENTITY_SINCE:
        return
    declared = {
        str(r.get("name")): {str(f.get("name")) for f in (r.get("schema") or {}).get("fields", [])}
        for r in pkg.descriptor.get("resources", [])
        if isinstance(r, dict)
    }
    for (resource, field), since in sorted(FIELDS_ADDED_IN.items()):
        if version >= _since(since) and resource in declared and field not in declared[resource]:
            message = f"{resource} has no field {field}, which every package of the standard {since} on has"
            yield Finding("error", "version-content", message, resource=resource, field=field)
    for resource, since in sorted(ADDED_IN.items()):
        if version >= _since(since) and resource not in declared:
            message = f"the resource {resource} is missing, which every package of the standard {since} on has"
            yield Finding("error", "version-content", message, resource=resource)
    if not isinstance(pkg.descriptor.get("xbrl"), dict):
        yield Finding("error", "version-content", "datapackage.json lists no XBRL report (xbrl), as 1.4 on does")
