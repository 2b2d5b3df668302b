"""The parsed table every mapper reads: its columns worked out, its body rows, and amounts read exactly."""

from __future__ import annotations

from dataclasses import dataclass, field

from converter.cells import parse_amount, placeholder_mark
from converter.codes import Resolution
from converter.layout import (
    BodyRow,
    Repair,
)
from converter.performance import FormState
from converter.recognize import (
    Kind,
)
from converter.report import Finding, Where, amount_cell_findings
from converter.segment import RawTable

Row = dict[str, object]


@dataclass
class Context:
    """What mappers may know about the whole disclosure."""

    year: int
    phase: str = "budget"
    units: dict[str, str] = field(default_factory=dict)  # unit name (compact) -> unit code
    # codes the document prints in full, by classification: code -> name (for cut-short codes)
    known_codes: dict[str, dict[str, str]] = field(default_factory=dict)
    # a performance form spans several tables (12-x, then its 长期/年度绩效目标表)
    form: FormState = field(default_factory=FormState)


@dataclass
class ParsedTable:
    raw: RawTable
    kind: Kind
    fields: list[str | None]  # per amount column
    paths: list[tuple[str, ...]]
    n_text: int
    has_code_column: bool
    rows: list[BodyRow]
    repairs: list[Repair]
    # cells of labelled columns the standard has no field for, as printed (to unmodelled_cells)
    unmodelled: list[dict[str, object]] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.raw.label} {self.raw.title}".strip()

    def keep_cell(self, line: int, column: int, label: str, text: str) -> None:
        """Keep a printed cell the standard has no field for, with its column's label."""
        self.unmodelled.append(
            {"table": self.ref or "(untitled)", "source_line": line, "column": column, "text": text, "label": label}
        )

    def keep_amounts(self, row: BodyRow, prefix: str) -> None:
        """Keep every amount a row prints, each labelled with what the row is and its column."""
        for index, cell in enumerate(row.amounts):
            if cell.strip():
                label = f"{prefix}/{_column_label(self, index)}"
                self.keep_cell(row.line, self.n_text + index + 1, label, cell.strip())


def _column_label(table: ParsedTable, index: int) -> str:
    """A column's header path as printed (e.g. 支出/基本支出), for findings only."""
    return "/".join(table.paths[index]) if index < len(table.paths) else "?"


def _amounts(
    table: ParsedTable, row: BodyRow, resource: str, key: str, columns: list[int] | None = None
) -> tuple[Row, list[Finding]]:
    """The row's amounts by field, in yuan; findings for cells that cannot be placed or read.
    `columns`: where each of the row's amounts stands among the table's amount columns, when the
    caller passes a view of some of them (a basis of a “三公” table), so kept cells cite their own."""
    values: Row = {}

    def printed_column(index: int) -> int:
        return table.n_text + (columns[index] if columns and index < len(columns) else index) + 1

    findings: list[Finding] = []
    base = Where(resource=resource, row_key=key, source_line=row.line, table=table.ref)
    for index, cell in enumerate(row.amounts):
        parsed = parse_amount(cell)
        if parsed.value is None and parsed.problem is None:
            continue  # a blank cell
        name = table.fields[index] if index < len(table.fields) else None
        mark = placeholder_mark(cell) if parsed.problem else None
        marks = placeholder_cells(table.raw, mark) if mark is not None else 0
        if marks > 1:
            findings.append(
                base.finding(
                    "info",
                    "placeholder",
                    f"column '{_column_label(table, index)}': {cell.strip()!r} read as no amount; the table prints "
                    f"it for none in {marks} cells",
                    field=name or "",
                    value=cell.strip(),
                )
            )
            continue
        if parsed.problem or parsed.repaired:
            findings += amount_cell_findings(
                parsed.problem, parsed.repaired, _column_label(table, index), base, field=name or "", value=cell.strip()
            )
        if parsed.problem or parsed.value is None:
            continue
        if name is None:
            label = _column_label(table, index)
            if label:
                # a labelled column the standard has no field for: kept as printed, not a gap
                table.keep_cell(row.line, printed_column(index), label, cell.strip())
                continue
            findings.append(
                base.finding(
                    "warning",
                    "unmapped-cell",
                    f"the amount {cell.strip()} in column '{label or '(no header)'}' has no field in the standard",
                    value=cell.strip(),
                )
            )
            continue
        if name in values:
            label = _column_label(table, index)
            first = next((i for i, f in enumerate(table.fields) if f == name), index)
            if label and label != _column_label(table, first):
                # another column under its own label (项目支出总数 | 扣除基建项目后预算数): kept as printed
                table.keep_cell(row.line, printed_column(index), label, cell.strip())
                continue
            findings.append(
                base.finding(
                    "warning",
                    "duplicate-column",
                    f"a second column maps to {name}; the amount {cell.strip()} is not used",
                    field=name,
                    value=cell.strip(),
                )
            )
            continue
        values[name] = parsed.in_yuan(table.raw.factor)
    for _offset, cell in row.extra:
        findings.append(
            base.finding(
                "warning",
                "extra-cell",
                f"the row has a cell beyond the table's columns: {cell.strip()!r}",
                value=cell.strip(),
            )
        )
    return values, findings


def placeholder_cells(raw: RawTable, mark: str) -> int:
    """How many cells of a table print this placeholder mark: a table that prints it more than once
    uses it for 'none'; a single one, where a figure should stand, stays a gap."""
    return sum(placeholder_mark(cell) == mark for row in raw.rows for cell in row.cells)


def _unplaced(table: ParsedTable, row: BodyRow, resource: str, why: str, check: str = "unplaced-row") -> Finding:
    values = " ".join(a.strip() for a in row.amounts if a.strip())
    text = " ".join(t for t in [row.code, *row.texts] if t)
    return Finding(
        "warning",
        check,
        f"row '{text}' {why}; its amounts are {values or 'blank'}",
        resource=resource,
        source_line=row.line,
        table=table.ref,
        value=values,
    )


def _inferred(table: ParsedTable, row: BodyRow, resource: str, resolution: Resolution) -> Finding:
    """The report line for a code recovered from a cut-short one (the printed code is the value)."""
    return Finding(
        "info",
        "inferred-code",
        resolution.note,
        resource=resource,
        row_key=resolution.code or "",
        source_line=row.line,
        table=table.ref,
        value=row.code,
    )
