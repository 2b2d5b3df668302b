"""The one-document JSON form: valid against schema/package.schema.json, and the same as the CSVs."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
    assert pkg.path is not None
    entry = pkg.descriptor.get("json_document")
    if not entry:
        yield Finding("error", "json-form", "datapackage.json names no JSON document")
        return
    path = pkg.path / entry["path"]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        yield Finding("error", "json-form", f"{entry['path']} cannot be read as JSON ({exc})")
        return
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(map(str, error.absolute_path)) or "(top)"
        yield Finding("error", "json-form", f"{entry['path']} at {where}: {error.message}", field=where)
    data = document.get("data", {}) if isinstance(document, dict) else {}
    for name, rows in pkg.resources.items():
        if name in data and len(data[name]) != len(rows):
            yield Finding(
                "error",
                "json-form",
                f"the JSON document has {len(data[name])} {name} rows, the CSV {len(rows)}",
                resource=name,
            )
