"""After mapping: every number a converted table prints is accounted for.

A mapper places what it understands. Whatever printed number of the table it neither placed in a
row (as the same amount, in yuan) nor reported (a finding's value) nor kept as printed is found
here and kept in unmodelled_cells with its column's label, so no number of a disclosure is ever
silently lost, whatever template the mapper did not foresee. Codes and line numbers (plain
integers in code or line-number columns) are not amounts; in forms (绩效目标表), where numbers
are part of texts (≥10 个), a cell whose text a row of its lines carries is accounted for too.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from converter.cells import compact, parse_amount
from converter.layout import column_paths, header_and_body
from converter.report import Finding
from converter.segment import RawTable

# Header leaves of columns that hold codes or line numbers, not amounts.
_CODE_LEAVES = ("类", "款", "项", "行", "行次", "栏次")
_CODE_WORDS = ("编码", "代码", "经济")
FORM_KINDS = ("performance_targets",)
NEARBY_LINES = 8  # a form's row may carry the text of a cell printed a few lines above it


def _not_an_amount(cell: str, position: int, path: tuple[str, ...], kind: str) -> bool:
    """A code or a 行次 line number: a plain integer first on the line or in a code column."""
    if "." in cell or "," in cell or kind == "three_public_expenses":
        return False
    leaf = path[-1] if path else ""
    return position == 0 or leaf in _CODE_LEAVES or any(w in leaf for w in _CODE_WORDS)


def _accounted_values(rows: list[dict], findings: list[Finding], kept: list[dict], factor: int) -> Counter[Decimal]:
    """Every amount the conversion holds for the table's lines, in yuan, counted."""
    values: Counter[Decimal] = Counter(v for row in rows for v in row.values() if isinstance(v, Decimal))
    for finding in findings:
        for text in finding.value.split():
            parsed = parse_amount(text).value
            if parsed is not None:
                values[parsed * factor] += 1
    for cell in kept:
        parsed = parse_amount(str(cell["text"])).value
        if parsed is not None:
            values[parsed * factor] += 1
    return values


def _texts_by_line(rows: list[dict]) -> dict[int, str]:
    """What the rows of each source line carry, as one compact text per line."""
    texts: dict[int, list[str]] = {}
    for row in rows:
        texts.setdefault(row["source_line"], []).extend(str(v) for v in row.values())
    return {line: compact(" ".join(parts)) for line, parts in texts.items()}


def _texts_near(texts: dict[int, str], line: int) -> str:
    """Everything the rows from a few lines above `line` down to it carry, as one compact text."""
    return "".join(texts[n] for n in range(line - NEARBY_LINES, line + 1) if n in texts)


def unaccounted_cells(
    raw: RawTable, kind: str, factor: int, rows: list[dict], findings: list[Finding], kept: list[dict]
) -> list[dict]:
    """The printed numbers of a converted table that are in none of its rows, findings or kept
    cells, as unmodelled_cells rows (with their column's label)."""
    header, body = header_and_body(raw)
    width = max([len(r.cells) for r in raw.rows] + [0])
    paths = column_paths(header, width)
    lines = range(raw.first_line, raw.last_line + 1)
    mine = [r for r in rows if r.get("source_line") in lines]
    available = _accounted_values(
        mine,
        [f for f in findings if f.source_line in lines],
        [c for c in kept if c.get("source_line") in lines],
        factor,
    )
    form = kind in FORM_KINDS
    texts: dict[int, str] | None = None  # made for a form's first number
    out: list[dict] = []
    for row in raw.rows if form else body:
        nearby = ""
        for position, cell in enumerate(row.cells):
            value = parse_amount(cell).value
            path = paths[position] if position < len(paths) else ()
            if value is None or _not_an_amount(cell, position, path, kind):
                continue
            if form:  # first: a form's 3 (个) must not take the count of a 3.000000 (万元) further down
                if texts is None:
                    texts = _texts_by_line(mine)
                nearby = nearby or _texts_near(texts, row.line)
                if compact(cell) in nearby:
                    continue
            if available[value * factor] > 0:
                available[value * factor] -= 1
                continue
            out.append(
                {
                    "table": f"{raw.label} {raw.title}".strip() or "(untitled)",
                    "source_line": row.line,
                    "column": position + 1,
                    "text": cell.strip(),
                    "label": "/".join(path),
                }
            )
    return out
