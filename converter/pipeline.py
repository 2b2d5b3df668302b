"""The conversion of one disclosure, stage by stage: read → segment → recognise → map → check.

`convert_source` returns a `Conversion`: metadata, the standard resources' rows, the tables found
and the conversion report. Writing it out is `converter.package`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from itertools import chain

from converter import codelists
from converter.accounting import unaccounted_cells
from converter.cells import clean_text, compact, looks_numeric, parse_amount
from converter.contents import announced_gaps, no_table_message
from converter.errors import InputError
from converter.layout import header_and_body
from converter.mapping import MAPPERS, Context, ParsedTable, known_codes, parse_table
from converter.metadata import Metadata, fallback_code, read_metadata, region_of
from converter.narrative import extract_figures
from converter.read import Source
from converter.recognize import BASIC_ALL_FUNDS, Kind, one_basic_table, recognize
from converter.report import Finding
from converter.schema import CLASSIFIED_RESOURCES, PRIMARY_KEYS, RESOURCE_ORDER, field_names, package_name
from converter.segment import RawTable, find_tables, plain
from validate.checks import arithmetic, crosstable
from validate.model import PackageData

UNIT_TABLES = ("revenue_by_unit", "expenditure_by_unit")


@dataclass
class TableFound:
    label: str
    title: str
    unit: str
    first_line: int
    last_line: int
    kind: str
    resource: str
    rows: int
    status: str
    notes: str

    @classmethod
    def of(cls, raw: RawTable, kind: str, resource: str, rows: int, status: str) -> TableFound:
        notes = " ".join(text for _, text in raw.notes)
        return cls(raw.label, raw.title, raw.unit, raw.first_line, raw.last_line, kind, resource, rows, status, notes)


@dataclass
class Conversion:
    source: Source
    metadata: Metadata
    name: str
    region_code: str
    region_name: str
    department_code: str
    resources: dict[str, list[dict]] = field(default_factory=dict)
    printed_units: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    tables: list[TableFound] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _header_words(raw: RawTable) -> tuple[str, str]:
    """The header's first cell and all its text, for telling table kinds apart."""
    header, _ = header_and_body(raw)
    first = header[0].cells[0] if header and header[0].cells else ""
    return first, "".join(compact(c) for row in header for c in row.cells)


def _unit_context(parsed_tables: list[ParsedTable], ctx: Context) -> None:
    """Unit names and codes printed in the unit tables, so tables without codes can be keyed."""
    for parsed in parsed_tables:
        if parsed.kind.resource in UNIT_TABLES:
            for row in parsed.rows:
                if row.name and not row.is_total:
                    ctx.units.setdefault(compact(row.name), row.code)


def _amounts_of(row: dict) -> dict[str, Decimal]:
    return {k: v for k, v in row.items() if isinstance(v, Decimal)}


def _dedupe(name: str, rows: list[dict], findings: list[Finding]) -> list[dict]:
    """Keep the first row of each primary key; report the others with their values. A repeat
    with the very amounts of the row kept (two tables printing the same figures, as 财政拨款 and
    一般公共预算 basic tables often do) loses nothing: a note, not a gap."""
    key_fields = PRIMARY_KEYS.get(name)
    if not key_fields:
        return rows
    seen: dict[tuple, dict] = {}
    out = []
    for row in rows:
        key = tuple(row.get(k) for k in key_fields)
        if key in seen and _amounts_of(row) and _amounts_of(row) == _amounts_of(seen[key]):
            findings.append(
                Finding(
                    "info",
                    "duplicate-row",
                    f"{'/'.join(map(str, key))} is printed again with the same amounts (first on line "
                    f"{seen[key].get('source_line')})",
                    resource=name,
                    row_key="/".join(map(str, key)),
                    source_line=row.get("source_line"),
                )
            )  # type: ignore[arg-type]
            continue
        if key in seen:
            values = " ".join(f"{k}={v}" for k, v in row.items() if isinstance(v, Decimal))
            findings.append(
                Finding(
                    "warning",
                    "duplicate-row",
                    f"{'/'.join(map(str, key))} is printed again (first on line "
                    f"{seen[key].get('source_line')}); this line's amounts are kept only here: "
                    f"{values or 'none'}",
                    resource=name,
                    row_key="/".join(map(str, key)),
                    source_line=row.get("source_line"),
                    value=" ".join(str(v) for v in row.values() if isinstance(v, Decimal)),
                )
            )  # type: ignore[arg-type]
            continue
        seen[key] = row
        out.append(row)
    return out


def table_cells(table: str, rows: list) -> tuple[list[dict], int]:
    """Every non-blank cell of a table the standard does not model, as printed, and how many of
    them are numbers."""
    cells = [
        {
            "table": table or "(untitled)",
            "source_line": row.line,
            "column": column,
            "text": clean_text(cell),
            "label": "",
        }
        for row in rows
        for column, cell in enumerate(row.cells, start=1)
        if clean_text(cell)
    ]
    return cells, sum(1 for cell in cells if looks_numeric(cell["text"]))


def _kept_columns(parsed: ParsedTable, resource: str) -> list[Finding]:
    """One note per column whose cells went to unmodelled_cells: the standard has no field for it."""
    by_label: dict[str, list[dict[str, object]]] = {}
    for cell in parsed.unmodelled:
        by_label.setdefault(str(cell["label"]), []).append(cell)
    return [
        Finding(
            "info",
            "unmodelled-column",
            f"column '{label}' has no field in the standard; its {len(cells)} cell(s) are kept as printed "
            "in unmodelled_cells",
            resource=resource,
            source_line=int(str(cells[0]["source_line"])),
            table=parsed.ref,
            value=" ".join(str(c["text"]) for c in cells[:20]),
        )
        for label, cells in by_label.items()
    ]


def _unplaced_numbers(cells: list[dict], resource: str, ref: str) -> Finding:
    """What the accounting after mapping found: numbers the table's mapping did not place."""
    shown = " ".join(str(c["text"]) for c in cells[:10])
    return Finding(
        "warning",
        "unplaced-number",
        f"{len(cells)} printed number(s) of table '{ref}' were not placed by its mapping (a layout it does not "
        f"know); they are kept as printed, with their column, in unmodelled_cells: {shown}"
        + (" …" if len(cells) > 10 else ""),
        resource=resource,
        source_line=int(cells[0]["source_line"]),
        table=ref,
    )


# Findings that mean a printed number is not in the resources: the disclosure is only partly
# usable, and `convert` writes its package only with --allow-partial.
GAP_CHECKS = {
    "unreadable-amount",
    "unplaced-row",
    "unplaced-cell",
    "extra-cell",
    "unmapped-cell",
    "duplicate-column",
    "duplicate-row",
    "unresolved-code",
    "ambiguous-row",
}


def _as_gap(finding: Finding) -> Finding:
    """A warning that leaves a non-zero number out of the resources becomes an error (a gap)."""
    if finding.severity != "warning" or finding.check not in GAP_CHECKS:
        return finding
    if finding.check == "unreadable-amount":
        gap = True  # a cell that is not a number (a '—' placeholder included): its meaning is a guess
    else:
        numbers = [parse_amount(token).value for token in finding.value.split()]
        gap = any(n is not None and n != 0 for n in numbers)
    return replace(finding, severity="error") if gap else finding


def _kept_table(kind: Kind | None, ref: str, cells: int, numeric: int, line: int) -> Finding:
    """Why a table's cells are kept as printed rather than mapped."""
    kept = f"its {cells} cells ({numeric} numeric) are kept as printed in unmodelled_cells"
    if kind is BASIC_ALL_FUNDS:
        why = (
            f"table '{ref}' is a second basic-expenditure table beside the document's general public budget one, "
            f"which the standard holds; {kept}"
        )
        return Finding("info", "second-basic-table", why, table=ref, source_line=line)
    why = f"table '{ref}' is not one the standard knows; {kept}"
    return Finding("warning", "unconverted-table", why, table=ref, source_line=line)


def _cut_off(source: Source, tables: list[RawTable]) -> Finding | None:
    """The text ends inside its last table: a header with no rows, or a last row shorter than the
    table and no final line break (a file cut off in transfer). Not for a PDF: a PDF cut off in
    transfer does not open (its cross-reference table is at its end), and a header with nothing
    under it on its last page is a form printed blank (blank rows make no lines); the tables a cut
    PDF lacks are the ones its contents announce."""
    if source.format == "pdf":
        return None
    lines = source.lines
    last_line = next((i + 1 for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), 0)
    table = tables[-1]
    if not table.rows or table.last_line != last_line:
        return None
    header, body = header_and_body(table)
    width = max(len(r.cells) for r in table.rows)
    last = table.rows[-1]
    short = bool(last.cells[-1].strip()) and len(last.cells) < width  # stops mid-row, on a filled cell
    if body and not (short and not source.ends_with_newline):
        return None
    ref = f"{table.label} {table.title}".strip()
    why = "its header has no rows under it" if not body else f"its last line has {len(last.cells)} of {width} cells"
    return Finding(
        "error",
        "cut-off",
        f"the text ends inside table '{ref}' ({why}): the disclosure looks cut off at line {last_line}",
        table=ref,
        source_line=last_line,
    )


def _heading_above(lines: tuple[str, ...], first_line: int, lookback: int = 4) -> str:
    """The nearest non-blank line above a block: what an untitled table is called in the document."""
    index = first_line - 2
    while index >= 0 and lookback > 0:
        text = plain(lines[index])
        if text and "\t" not in lines[index]:
            return clean_text(text) if len(text) <= 40 else ""  # a heading, not a paragraph
        lookback -= 1 if text else 0
        index -= 1
    return ""


def _department_code(resources: dict[str, list[dict]]) -> str | None:
    for name, field_name in (
        ("revenue_by_unit", "unit_code"),
        ("expenditure_by_unit", "unit_code"),
        ("projects", "unit_code"),
    ):
        for row in resources.get(name, []):
            code = str(row.get(field_name) or "")
            if code.isdigit() and len(code) == 3:
                return code
        for row in resources.get(name, []):
            code = str(row.get(field_name) or "")
            if code.isdigit() and len(code) == 6:
                return code[:3]
    return None


def finding_order(finding: Finding) -> tuple:
    """The conversion report's order: by source line, then resource, check, row, field, message."""
    return (finding.source_line or 0, finding.resource, finding.check, finding.row_key, finding.field, finding.message)


def gaps_error(source: Source, gaps: list[Finding]) -> InputError:
    """The error for a disclosure only partly usable: its gaps (a cut-off first, then in report
    order), the first three listed, each at the line (text) or page (PDF) a user can look at."""
    gaps = sorted(gaps, key=lambda f: f.check != "cut-off")  # a cut-off explains the tables missing after it
    listed = "; ".join(
        f"{source.cite(f.source_line)[1]}: {f.message}" if f.source_line else f.message for f in gaps[:3]
    )
    more = f" (and {len(gaps) - 3} more)" if len(gaps) > 3 else ""
    path, page = source.printed_at(gaps[0].source_line)
    return InputError(
        path,
        gaps[0].source_line,
        f"only partly usable, {len(gaps)} gap(s): {listed}{more}; nothing written "
        "(--allow-partial writes the package with the gaps in its report)",
        page=page,
    )


def convert_source(source: Source, stop_at_gaps: bool = False) -> Conversion:
    """Convert one disclosure's text; raises InputError or UnsupportedDisclosure.

    With `stop_at_gaps`, a disclosure with gaps raises gaps_error as soon as all its tables are
    read: only they make gaps, so the prose and the checks would be read for nothing."""
    metadata = read_metadata(source.lines)
    if metadata.phase is None or metadata.fiscal_year is None:
        raise InputError(
            source.path,
            metadata.title_line or 1,
            "this does not read as a departmental budget or final-accounts disclosure "
            "(no '20XX 年 … 部门预算' or '… 部门决算' title)",
        )
    tables, orphans = find_tables(source.lines)
    if not tables:
        message, line = no_table_message(source.lines, lambda line: source.cite(line)[1])
        path, page = source.printed_at(line)
        raise InputError(path, line, message, page=page)
    ctx = Context(year=metadata.fiscal_year, phase=metadata.phase)
    kinds = one_basic_table([(raw.title, recognize(raw.title, partial(_header_words, raw))) for raw in tables])
    recognised = list(zip(tables, kinds, strict=True))
    parsed_tables = {
        id(raw): parse_table(raw, kind) for raw, kind in recognised if kind and kind.supported and kind.resource
    }
    _unit_context(list(parsed_tables.values()), ctx)
    ctx.known_codes = known_codes(list(parsed_tables.values()))

    resources: dict[str, list[dict]] = {name: [] for name in RESOURCE_ORDER}
    printed_units: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    findings: list[Finding] = []
    found: list[TableFound] = []
    unmodelled: list[dict] = []
    for raw, kind in recognised:
        note_text = " ".join(text for _, text in raw.notes)
        ref = f"{raw.label} {raw.title}".strip()
        if kind is None or not kind.supported or kind.resource is None:
            cells, numeric = table_cells(ref, raw.rows)
            unmodelled.extend(cells)
            findings.append(_kept_table(kind, ref, len(cells), numeric, raw.title_line))
            found.append(TableFound.of(raw, kind.name if kind else "", "unmodelled_cells", len(cells), "kept as cells"))
            continue
        if not raw.unit and kind.name == "performance_targets" and printed_units.get(kind.resource):
            raw.unit = printed_units[kind.resource]  # a form's later tables print no unit line of their own
        if not raw.unit:
            findings.append(
                Finding(
                    "warning",
                    "unit-missing",
                    f"table '{ref}' prints no unit line; read as 万元",
                    resource=kind.resource,
                    table=ref,
                    source_line=raw.title_line,
                )
            )
            raw.unit = "万元"
        parsed = parsed_tables[id(raw)]
        for repair in parsed.repairs:
            findings.append(
                Finding(
                    repair.severity,
                    repair.check,
                    repair.message,
                    resource=kind.resource,
                    source_line=repair.line,
                    table=ref,
                    value=repair.value,
                )
            )
        result, problems = MAPPERS[kind.resource](parsed, ctx)
        produced = result if isinstance(result, dict) else {kind.resource: result}
        findings.extend(problems)
        findings.extend(_kept_columns(parsed, kind.resource))
        unmodelled.extend(parsed.unmodelled)
        rows = []
        for resource_name, produced_rows in produced.items():
            fields = field_names(resource_name)
            resources[resource_name].extend([{f: row.get(f) for f in fields} for row in produced_rows])
            printed_units.setdefault(resource_name, raw.unit)
            rows += produced_rows
        unplaced = unaccounted_cells(raw, kind.name, raw.factor, rows, findings, parsed.unmodelled)
        if unplaced:
            unmodelled.extend(unplaced)
            findings.append(_unplaced_numbers(unplaced, kind.resource, ref))
        previous_unit = printed_units.setdefault(kind.resource, raw.unit)
        if previous_unit != raw.unit:
            findings.append(
                Finding(
                    "info",
                    "mixed-units",
                    f"'{ref}' is printed in {raw.unit}, another table of "
                    f"{kind.resource} in {previous_unit}; all amounts are in yuan",
                    resource=kind.resource,
                    table=ref,
                )
            )
        if note_text:
            notes.setdefault(kind.resource, []).append(note_text)
        found.append(TableFound.of(raw, kind.name, kind.resource, len(rows), "converted"))
    for block in orphans:
        heading = _heading_above(source.lines, block[0].line) or " | ".join(
            clean_text(c) for c in block[0].cells[:4] if c.strip()
        )
        under = f" (under the heading '{heading}')" if heading else ""
        cells, numeric = table_cells(heading, block)
        unmodelled.extend(cells)
        findings.append(
            Finding(
                "warning",
                "untitled-table",
                f"tab-separated lines {block[0].line}-{block[-1].line}{under} have no table title above them; "
                f"their {len(cells)} cells ({numeric} numeric) are kept as printed in unmodelled_cells",
                table=heading,
                source_line=block[0].line,
            )
        )
        found.append(
            TableFound(
                "",
                heading,
                "",
                block[0].line,
                block[-1].line,
                "",
                "unmodelled_cells",
                len(cells),
                "kept as cells",
                "no table title",
            )
        )
    for name in list(resources):
        resources[name] = _dedupe(name, resources[name], findings)
    cut_off = _cut_off(source, tables)
    findings.extend(announced_gaps(source.lines, tables))
    if stop_at_gaps:
        gaps = [f for f in map(_as_gap, [*findings, *([cut_off] if cut_off else [])]) if f.severity == "error"]
        if gaps:
            raise gaps_error(source, sorted(gaps, key=finding_order))
    resources["unmodelled_cells"] = unmodelled
    table_lines = {line for t in found for line in range(t.first_line, t.last_line + 1)}
    resources["narrative_figures"] = [
        {f: figure.get(f) for f in field_names("narrative_figures")}
        for figure in extract_figures(
            source.lines, table_lines, metadata.fiscal_year, metadata.phase, resources["expenditure_by_function"]
        )
    ]
    for name in RESOURCE_ORDER:
        if name != "narrative_figures" and not any(t.resource == name for t in found):
            findings.append(Finding("info", "table-missing", f"the disclosure has no table for {name}", resource=name))

    descriptor = {"phase": metadata.phase, "fiscal_year": metadata.fiscal_year}
    pkg = PackageData(descriptor=descriptor, resources=resources, printed_units=printed_units)
    for finding in chain.from_iterable(check(pkg) for check in (*arithmetic.CHECKS, *crosstable.CHECKS)):
        findings.append(
            Finding(
                "source",
                finding.check,
                finding.message + " (as printed)",
                resource=finding.resource,
                row_key=finding.row_key,
                field=finding.field,
                source_line=finding.source_line,
                value=finding.value,
            )
        )

    if cut_off:
        findings.append(cut_off)
    findings = [_as_gap(f) for f in findings]

    department_code = _department_code(resources)
    if department_code is None:
        department_code = fallback_code(metadata.department_name)
        findings.append(
            Finding(
                "warning",
                "department-code-missing",
                f"no department code is printed; the package name uses {department_code}",
            )
        )
    region = region_of(metadata.department_name)
    if region is None:
        findings.append(
            Finding(
                "warning",
                "region-unknown",
                f"no known region in '{metadata.department_name}'; "
                "add it (or an alias) to schema/codelists/regions.csv",
            )
        )
    region_code, region_name = region or ("000000", "")
    name = package_name(region_code, department_code, metadata.fiscal_year, metadata.phase, metadata.edition)
    found.sort(key=lambda t: t.first_line)
    findings.sort(key=finding_order)
    return Conversion(
        source=source,
        metadata=metadata,
        name=name,
        region_code=region_code,
        region_name=region_name,
        department_code=department_code,
        resources=resources,
        printed_units=printed_units,
        notes=notes,
        tables=found,
        findings=findings,
    )


def codes_used(resources: dict[str, list[dict]], kind: str) -> list[str]:
    """Classification codes the package uses, for its own copy of the code list."""
    fields = [(resource, code) for of, resource, code, _ in CLASSIFIED_RESOURCES if of == kind]
    if kind == "functional":  # summary lines keyed by the class they stand for
        fields += [("budget_summary", "item"), ("fiscal_appropriation_summary", "item")]
    codes = set()
    for resource, field_name in fields:
        for row in resources.get(resource, []):
            code = str(row.get(field_name) or "")
            if code.isdigit() or code == "TOTAL":
                codes.add(code)
    return sorted(codes)


__all__ = ["Conversion", "TableFound", "convert_source", "codes_used", "codelists"]
