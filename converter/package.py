"""Stage 5: write a conversion as a Frictionless Data Package plus one JSON document.

Output is deterministic (fixed field and row order, LF line ends, no timestamps) and atomic:
the package is written to a hidden folder beside the target and moved in only when complete.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path

from converter import codelists
from converter.cells import format_decimal
from converter.facts import all_facts
from converter.pipeline import Conversion, codes_used
from converter.report import Finding
from converter.schema import RESOURCE_ORDER, SCHEMA_VERSION, SUPPORT_RESOURCES, field_names, table_schema

PROFILE = "tabular-data-resource"


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


# Cell values the csv module would write differently from Frictionless: Decimal (str() may use
# exponent form) and bool (True/False). None, str and int it writes as they should be.
_CSV_TEXT = {Decimal: format_decimal, bool: _bool_text}


def csv_bytes(name: str, rows: list[dict]) -> bytes:
    """One resource as CSV. Values go to the C writer as they are, except the two types above,
    so a package of 25,000 cells costs no Python call per cell."""
    fields = field_names(name)
    fix = _CSV_TEXT
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([fix[v.__class__](v) if v.__class__ in fix else v for v in map(row.get, fields)] for row in rows)
    return buffer.getvalue().encode("utf-8")


# Private-use characters around a word: a mark no disclosure's text can contain.
_DECIMAL_MARK = "\ue000budgetpub-decimal\ue001"
_MARKED = re.compile(f'"{_DECIMAL_MARK}([^"]*)"')


def _marked_decimal(value: object) -> str:
    """The json encoder's hook for a type it does not know: a Decimal becomes a marked string,
    unquoted after encoding, so it is written exactly as a number (json would go through float)."""
    if isinstance(value, Decimal):
        return _DECIMAL_MARK + format_decimal(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), default=_marked_decimal)


def _render(value: object, depth: int) -> str:
    """Top levels one key per line, each data row on one line: readable, diffable, and fast (rows
    go through json's C encoder, which an indented dump does not use)."""
    pad, end = "  " * (depth + 1), "  " * depth
    if isinstance(value, dict) and value and depth <= 1:
        items = [f"{pad}{_ENCODER.encode(str(k))}: {_render(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, list) and value and depth <= 2:
        if depth == 2:
            return "[\n" + pad + (",\n" + pad).join(map(_ENCODER.encode, value)) + "\n" + end + "]"
        return "[\n" + ",\n".join(pad + _render(v, depth + 1) for v in value) + "\n" + end + "]"
    return _ENCODER.encode(value)


def json_text(value: object) -> str:
    """JSON with every Decimal written exactly as a number."""
    text = _render(value, 0)
    if _DECIMAL_MARK not in text:
        return text
    return _MARKED.sub(lambda m: m.group(1), text)


def units_rows(conv: Conversion) -> list[dict]:
    """The department and its units, first printing wins; TOTAL for 合计 rows."""
    units: dict[str, dict] = {}
    for resource in ("revenue_by_unit", "expenditure_by_unit", "projects"):
        for row in conv.resources.get(resource, []):
            code = str(row.get("unit_code") or "")
            if not code or code in units:
                continue
            name = "合计" if code == "TOTAL" else str(row.get("unit_name") or "")
            parent = code[:3] if len(code) == 6 and code.isdigit() else ""
            units[code] = {
                "unit_code": code,
                "unit_name": name,
                "parent_code": parent,
                "source_line": row.get("source_line"),
            }
    return sorted(units.values(), key=lambda r: (r["unit_code"] != "TOTAL", r["unit_code"]))


def classification_rows(conv: Conversion, kind: str, findings: list[Finding]) -> list[dict]:
    """The codes this package uses (and their parents), named as the code list names them that year."""
    year = conv.metadata.fiscal_year or 0
    printed: dict[str, str] = {}
    for resource in RESOURCE_ORDER:
        for row in conv.resources.get(resource, []):
            for code_field, name_field in (("function_code", "function_name"), ("economic_code", "economic_name")):
                if row.get(code_field):
                    printed.setdefault(str(row[code_field]), str(row.get(name_field) or ""))
    codes = set(codes_used(conv.resources, kind))
    lengths = (3, 5, 7)
    for code in list(codes):
        for n in lengths:
            if code.isdigit() and len(code) > n:
                codes.add(code[:n])
    rows = []
    for code in sorted(codes, key=lambda c: (c != "TOTAL", c)):
        if code == "TOTAL":
            rows.append({"code": "TOTAL", "name": "合计", "level": 0, "parent": "", "in_codelist": True})
            continue
        entry = codelists.official_name(kind, code, year)
        level = {3: 1, 5: 2, 7: 3}.get(len(code), 0)
        parent = code[:3] if len(code) == 5 else (code[:5] if len(code) == 7 else "")
        if entry is None:
            findings.append(
                Finding(
                    "warning",
                    "code-unknown",
                    f"{kind} code {code} ('{printed.get(code, '')}') is not in schema/codelists",
                    row_key=code,
                )
            )
        rows.append(
            {
                "code": code,
                "name": entry.name if entry else printed.get(code, ""),
                "level": level,
                "parent": parent,
                "in_codelist": entry is not None,
            }
        )
    return rows


def build_resources(conv: Conversion) -> tuple[dict[str, list[dict]], list[Finding]]:
    """All resources in package order, the supporting ones derived from the core ones."""
    findings = list(conv.findings)
    resources = {name: conv.resources.get(name, []) for name in RESOURCE_ORDER}
    resources["units"] = units_rows(conv)
    resources["unmodelled_cells"] = conv.resources.get("unmodelled_cells", [])
    resources["functional_classification"] = classification_rows(conv, "functional", findings)
    resources["economic_classification"] = classification_rows(conv, "economic", findings)
    resources["facts"] = all_facts(
        resources, conv.department_code, conv.metadata.fiscal_year, conv.metadata.phase, conv.printed_units
    )
    resources["tables"] = [
        {
            "label": t.label,
            "title": t.title,
            "printed_unit": t.unit,
            "first_line": t.first_line,
            "last_line": t.last_line,
            "kind": t.kind,
            "resource": t.resource,
            "rows": t.rows,
            "status": t.status,
            "notes": t.notes,
        }
        for t in conv.tables
    ]
    findings.sort(key=lambda f: (f.source_line or 0, f.resource, f.check, f.row_key, f.field, f.message))
    resources["conversion_report"] = [f.as_dict() for f in findings]
    return resources, findings


def metadata(conv: Conversion) -> dict:
    meta = conv.metadata
    return {
        "name": conv.name,
        "title": meta.title,
        "fiscal_year": meta.fiscal_year,
        "phase": meta.phase,
        "department": {"name": meta.department_name, "code": conv.department_code},
        "region": {"code": conv.region_code, "name": conv.region_name},
        "currency": "CNY",
        "countryCode": "CN",
        "fiscalPeriod": {"start": f"{meta.fiscal_year}-01-01", "end": f"{meta.fiscal_year}-12-31"},
        "schema_version": SCHEMA_VERSION,
        "source": {
            "file": conv.source.file_name,
            "sha256": conv.source.sha256,
            "bytes": conv.source.size,
            "encoding": conv.source.encoding,
            "newline": conv.source.newline,
            "separator": conv.source.separator,
        },
    }


_SCHEMA_MARK = "\ue000budgetpub-schema\ue001"
_SCHEMA_MARKED = re.compile(f'"{_SCHEMA_MARK}([a-z_]+)"')


@cache
def _schema_text(name: str) -> str:
    """A resource's Table Schema as it sits inline in datapackage.json (indented three levels),
    serialised once: every package carries the same schemas."""
    return json.dumps(table_schema(name), ensure_ascii=False, indent=2).replace("\n", "\n      ")


def render(conv: Conversion) -> dict[str, bytes]:
    """Every file of the package, by relative path, as bytes."""
    resources, findings = build_resources(conv)
    meta = metadata(conv)
    files: dict[str, bytes] = {}
    descriptors = []
    for name in (*RESOURCE_ORDER, *SUPPORT_RESOURCES):
        data = csv_bytes(name, resources[name])
        path = f"data/{name}.csv"
        files[path] = data
        schema = table_schema(name)
        descriptor = {
            "name": name,
            "path": path,
            "profile": PROFILE,
            "title": schema.get("title", name),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "schema": _SCHEMA_MARK + name,
        }
        if name in conv.printed_units:
            descriptor["printed_unit"] = conv.printed_units[name]
        if conv.notes.get(name):
            descriptor["notes"] = conv.notes[name]
        descriptors.append(descriptor)
    document = dict(meta)
    document["data"] = {name: resources[name] for name in (*RESOURCE_ORDER, "units", "tables")}
    document["notes"] = {k: v for k, v in sorted(conv.notes.items())}
    document["conversion_report"] = resources["conversion_report"]
    json_path = f"{conv.name}.json"
    files[json_path] = (json_text(document) + "\n").encode("utf-8")
    package = {
        "profile": "tabular-data-package",
        **{k: v for k, v in meta.items()},
        "sources": [{"title": conv.source.file_name, "path": conv.source.file_name}],
        "json_document": {
            "path": json_path,
            "hash": "sha256:" + hashlib.sha256(files[json_path]).hexdigest(),
            "bytes": len(files[json_path]),
        },
        "resources": descriptors,
    }
    text = json.dumps(package, ensure_ascii=False, indent=2)
    text = _SCHEMA_MARKED.sub(lambda m: _schema_text(m.group(1)), text)
    files["datapackage.json"] = (text + "\n").encode("utf-8")
    conv.findings = findings
    return files


def write_package(conv: Conversion, out_dir: Path) -> Path:
    """Write the package to out_dir/<name>/, replacing an older one only once the new one is complete."""
    files = render(conv)
    target = out_dir / conv.name
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".{conv.name}.tmp-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        for relative, data in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            old = out_dir / f".{conv.name}.old-{os.getpid()}"
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old)
        else:
            staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target
