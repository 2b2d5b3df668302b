"""Stage 5: write a conversion as a Frictionless Data Package plus one JSON document.

Output is deterministic (fixed field and row order, LF line ends, no timestamps) and atomic:
the package is written to a hidden folder beside the target and moved in only when complete.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

import orjson

from converter import codelists, xbrl
from converter.cells import format_decimal
from converter.facts import all_facts
from converter.pipeline import Conversion, codes_used, finding_order
from converter.read import Part
from converter.report import Finding
from converter.schema import (
    LINE_RESOURCES,
    RESOURCE_ORDER,
    SCHEMA_VERSION,
    SUPPORT_RESOURCES,
    field_names,
    table_schema,
)

PROFILE = "tabular-data-resource"


NUMBER, BOOLEAN = 1, 2  # the cell kinds whose text is not what str() gives


@cache
def _columns(name: str) -> tuple[tuple[str, int], ...]:
    """A resource's fields with their kind: a Decimal must never take exponent form, a bool is
    true/false; any other cell is its str()."""
    kinds = {"number": NUMBER, "boolean": BOOLEAN}
    return tuple((f["name"], kinds.get(f["type"], 0)) for f in table_schema(name)["fields"])


def _cell_text(value: object, kind: int) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value
    if kind == NUMBER and type(value) is Decimal:
        return format_decimal(value)
    if kind == BOOLEAN and type(value) is bool:
        return "true" if value else "false"
    return str(value)


def csv_bytes(name: str, rows: list[dict]) -> bytes:
    """One resource as CSV (RFC 4180 quoting, LF line ends).

    A line with no comma, quote or line break inside its cells needs no quoting and is joined
    directly; the others go through the csv module, which is several times slower on Chinese text."""
    columns = _columns(name)
    separators = len(columns) - 1
    quoted = io.StringIO()
    writer = csv.writer(quoted, lineterminator="\n")
    lines = [",".join(field for field, _ in columns)]
    for row in rows:
        texts = [_cell_text(row.get(field), kind) for field, kind in columns]
        line = ",".join(texts)
        if separators and line.count(",") == separators and '"' not in line and "\n" not in line and "\r" not in line:
            lines.append(line)
        else:
            quoted.seek(0)
            quoted.truncate()
            # as the csv module writes them: a missing cell stays None (a lone one is written "")
            writer.writerow(
                [None if row.get(field) is None else text for (field, _), text in zip(columns, texts, strict=True)]
            )
            lines.append(quoted.getvalue()[:-1])  # less its line end
    lines.append("")
    return "\n".join(lines).encode("utf-8")


def _decimal_fragment(value: object) -> orjson.Fragment:
    """orjson's hook for Decimal: written exactly as the number it is (json would go through float)."""
    if isinstance(value, Decimal):
        return orjson.Fragment(format_decimal(value))
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: object) -> bytes:
    return orjson.dumps(value, default=_decimal_fragment)


def _render(value: object, depth: int) -> bytes:
    """Top levels one key per line, each data row on one compact line: readable and diffable."""
    pad, end = b"  " * (depth + 1), b"  " * depth
    if isinstance(value, dict) and value and depth <= 1:
        items = [pad + _dumps(str(k)) + b": " + _render(v, depth + 1) for k, v in value.items()]
        return b"{\n" + b",\n".join(items) + b"\n" + end + b"}"
    if isinstance(value, list) and value and depth <= 2:
        if depth == 2:  # a resource's rows: each one compact line
            return b"[\n" + b",\n".join([pad + _dumps(v) for v in value]) + b"\n" + end + b"]"
        return b"[\n" + b",\n".join([pad + _render(v, depth + 1) for v in value]) + b"\n" + end + b"]"
    return _dumps(value)


def json_bytes(value: object) -> bytes:
    """The JSON document as UTF-8, every Decimal an exact JSON number, ending in a newline.

    orjson writes a data row about eight times faster than the json module and takes an
    exact number as a Fragment, where the json module would need Decimals smuggled through
    as marked strings."""
    return _render(value, 0) + b"\n"


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


class _Printing(NamedTuple):
    """Where a document prints a classification code, and the name it prints."""

    name: str
    line: int | None
    table: str


def _printings(conv: Conversion, kind: str) -> dict[str, list[_Printing]]:
    """Each code the document prints, with every distinct name it prints for it, first printing first."""
    names = {"functional": ("function_code", "function_name"), "economic": ("economic_code", "economic_name")}
    code_field, name_field = names[kind]
    tables = sorted(conv.tables, key=lambda t: t.first_line)
    found: list[tuple[int, str, str]] = []
    for resource in RESOURCE_ORDER:
        if code_field not in field_names(resource):
            continue  # most resources carry no classification code
        for row in conv.resources.get(resource, []):
            code = str(row.get(code_field) or "")
            if code.isdigit():
                found.append((row.get("source_line") or 0, code, str(row.get(name_field) or "")))
    out: dict[str, list[_Printing]] = {}
    for line, code, name in sorted(found):
        seen = out.setdefault(code, [])
        if seen and (not name or any(codelists.name_key(p.name) == codelists.name_key(name) for p in seen)):
            continue
        if seen and not seen[0].name:
            seen.pop()  # a nameless printing gives way to the first named one
        table = next((t for t in tables if t.first_line <= line <= t.last_line), None)
        seen.append(_Printing(name, line or None, f"{table.label} {table.title}".strip() if table else ""))
    return out


def _printed_where(printing: _Printing, conv: Conversion) -> str:
    path, page = conv.source.printed_at(printing.line)
    file = f"{path.name} " if conv.source.parts else ""  # a page counts within its own file
    return f"{printing.table or 'a table'} (line {printing.line}" + (f", {file}page {page})" if page else ")")


def classification_rows(conv: Conversion, kind: str, findings: list[Finding]) -> list[dict]:
    """The codes this package uses (and their parents), named as the code list names them that year.

    No complete copy of the yearly 政府收支分类科目 is at hand, so a code the code list lacks is
    accepted with the name the document prints, where it prints it (a note, not a problem); a
    printed name that contradicts the code list's name for a known code is a warning with both
    names. Differences of width, brackets and punctuation, names cut short, known variants and a
    code's names in other years are not contradictions."""
    year = conv.metadata.fiscal_year or 0
    resource = f"{kind}_classification"
    printings = _printings(conv, kind)
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
        entry = codelists.known_name(kind, code, year)
        level = {3: 1, 5: 2, 7: 3}.get(len(code), 0)
        parent = code[:3] if len(code) == 5 else (code[:5] if len(code) == 7 else "")
        printed = printings.get(code, [])
        first = printed[0] if printed else _Printing("", None, "")
        if entry is None:
            if first.name:
                message = (
                    f"{kind} code {code} '{first.name}' is not in budgetpub's code list; accepted with its printed "
                    f"name, first printed in {_printed_where(first, conv)}, and recorded in {resource}"
                )
            else:
                message = (
                    f"{kind} code {code} is not in budgetpub's code list and the document prints no name for it "
                    "(it is the parent of codes it prints); recorded in "
                    f"{resource} without a name"
                )
            findings.append(
                Finding("info", "code-not-in-list", message, resource, code, "code", first.line, first.table)
            )
        for printing in printed:
            if printing.name and codelists.name_relation(kind, code, printing.name, year) == "differs" and entry:
                findings.append(
                    Finding(
                        "warning",
                        "code-name-differs",
                        f"{kind} code {code} is printed as '{printing.name}' in {_printed_where(printing, conv)}, but "
                        f"budgetpub's code list names it '{entry.name}' ({_years(entry)})",
                        resource,
                        code,
                        "name",
                        printing.line,
                        printing.table,
                    )
                )
        rows.append(
            {
                "code": code,
                "name": entry.name if entry else first.name,
                "level": level,
                "parent": parent,
                "in_codelist": entry is not None,
                "codelist_status": entry.status if entry else "",
                "printed_name": first.name,
                "source_table": first.table,
                "source_line": first.line,
            }
        )
    return rows


def _years(entry: codelists.CodeName) -> str:
    """The years a code list name holds, as a reader says them."""
    status = "observed" if entry.status == "observed" else "official"
    if entry.valid_from and entry.valid_to:
        return f"{status} {entry.valid_from}–{entry.valid_to}"
    if entry.valid_from:
        return f"{status} from {entry.valid_from}"
    if entry.valid_to:
        return f"{status} up to {entry.valid_to}"
    return status


def build_resources(conv: Conversion) -> tuple[dict[str, list[dict]], list[Finding]]:
    """All resources in package order, the supporting ones derived from the core ones."""
    findings = list(conv.findings)
    resources = {name: conv.resources.get(name, []) for name in RESOURCE_ORDER}
    for name in LINE_RESOURCES:  # the identity of rows with no key of their own (and of their facts)
        resources[name] = [{**row, "line": number} for number, row in enumerate(resources[name], start=1)]
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
    findings.sort(key=finding_order)
    resources["conversion_report"] = [f.as_dict() for f in findings]
    add_locations(conv, resources)
    return resources, findings


def add_locations(conv: Conversion, resources: dict[str, list[dict]]) -> None:
    """Where each row was printed, from its source line: page and box for a PDF (empty for text),
    so a reader can go from any number to its spot on the page."""
    location = conv.source.location
    for name, rows in resources.items():
        present = field_names(name)
        if "source_page" in present:
            for row in rows:
                where = location(row.get("source_line"))
                row["source_page"] = where.page if where else None
                row["source_bbox"] = where.bbox if where else None
        elif "first_page" in present:
            for row in rows:
                first, last = location(row.get("first_line")), location(row.get("last_line"))
                row["first_page"] = first.page if first else None
                row["last_page"] = last.page if last else None


def metadata(conv: Conversion) -> dict:
    meta = conv.metadata
    return {
        "name": conv.name,
        "title": meta.title,
        "fiscal_year": meta.fiscal_year,
        "phase": meta.phase,
        "edition": meta.edition,
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
            "format": conv.source.format,
            **({"pages": conv.source.pages} if conv.source.pages else {}),
            **({"parts": [_part(part) for part in conv.source.parts]} if conv.source.parts else {}),
        },
    }


def _part(part: Part) -> dict:
    """One file of a disclosure published in parts: source_page counts on across the parts."""
    return {
        "file": part.file_name,
        "sha256": part.sha256,
        "bytes": part.size,
        "first_page": part.first_page,
        "pages": part.pages,
    }


_SCHEMA_MARK = "\ue000budgetpub-schema\ue001"
_SCHEMA_MARKED = re.compile(f'"{_SCHEMA_MARK}([a-z_]+)"'.encode())


@cache
def _schema_text(name: str) -> bytes:
    """A resource's Table Schema as it sits inline in datapackage.json (indented three levels),
    serialised once: every package carries the same schemas."""
    return orjson.dumps(table_schema(name), option=orjson.OPT_INDENT_2).replace(b"\n", b"\n      ")


def _inline_schema(marked: re.Match[bytes]) -> bytes:
    return _schema_text(marked.group(1).decode())


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
    files[json_path] = json_bytes(document)
    # the package as an XBRL report: xBRL-CSV metadata over data/facts.csv, and the taxonomy package
    # it names, so that it loads offline (converter/xbrl.py)
    report = xbrl.report_metadata(conv.region_code, conv.department_code, conv.metadata.fiscal_year)
    files[xbrl.REPORT_PATH] = orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
    files[xbrl.TAXONOMY_PACKAGE] = xbrl.taxonomy_zip_bytes()
    package = {
        "profile": "tabular-data-package",
        **{k: v for k, v in meta.items()},
        "sources": [
            {"title": name, "path": name}
            for name in ([p.file_name for p in conv.source.parts] or [conv.source.file_name])
        ],
        "json_document": {
            "path": json_path,
            "hash": "sha256:" + hashlib.sha256(files[json_path]).hexdigest(),
            "bytes": len(files[json_path]),
        },
        "xbrl": {
            "path": xbrl.REPORT_PATH,
            "format": "xBRL-CSV 1.0",
            "hash": "sha256:" + hashlib.sha256(files[xbrl.REPORT_PATH]).hexdigest(),
            "bytes": len(files[xbrl.REPORT_PATH]),
            "taxonomy": {
                "entry_point": xbrl.ENTRY_POINT,
                "path": xbrl.TAXONOMY_PACKAGE,
                "hash": "sha256:" + hashlib.sha256(files[xbrl.TAXONOMY_PACKAGE]).hexdigest(),
                "bytes": len(files[xbrl.TAXONOMY_PACKAGE]),
            },
        },
        "resources": descriptors,
    }
    # orjson's indented form is byte for byte the json module's (indent=2, UTF-8 as is), ten times faster
    text = orjson.dumps(package, option=orjson.OPT_INDENT_2)
    files["datapackage.json"] = _SCHEMA_MARKED.sub(_inline_schema, text) + b"\n"
    conv.findings = findings
    return files


def _write_file(path: str, data: bytes) -> None:
    """A new file with these bytes: three system calls where Path.write_bytes makes six (a
    package is two dozen files, so this shows in a batch)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        written = os.write(handle, data)
        while written < len(data):  # a short write: rare for a regular file, never assumed away
            written += os.write(handle, data[written:])
    finally:
        os.close(handle)


def write_package(conv: Conversion, out_dir: Path) -> Path:
    """Write the package to out_dir/<name>/, replacing an older one only once the new one is complete."""
    files = render(conv)
    target = out_dir / conv.name
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".{conv.name}.tmp-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        folders: set[str] = set()
        for relative, data in files.items():
            folder, _, _ = relative.rpartition("/")
            if folder not in folders:
                (staging / folder).mkdir(parents=True, exist_ok=True)
                folders.add(folder)
            _write_file(os.path.join(staging, relative), data)
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
