"""Findings: what a conversion or a validation has to tell about a package, one sentence each."""

from __future__ import annotations

from dataclasses import dataclass, fields

# error: the package is wrong; warning: probably rounding or a doubtful reading;
# source: the published document disagrees with itself (kept as printed); info: a repair made.
SEVERITIES = ("error", "warning", "source", "info")


@dataclass(frozen=True)
class Finding:
    severity: str
    check: str
    message: str
    resource: str = ""
    row_key: str = ""
    field: str = ""
    source_line: int | None = None
    table: str = ""
    value: str = ""

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in _FINDING_FIELDS}

    def sort_key(self) -> tuple:
        return (
            SEVERITIES.index(self.severity),
            self.resource,
            self.source_line or 0,
            self.check,
            self.row_key,
            self.field,
            self.message,
        )


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass(frozen=True)
class Where:
    """Where the findings about one row or line point; `where.finding(...)` fills those fields in."""

    resource: str = ""
    row_key: str = ""
    source_line: int | None = None
    table: str = ""

    def finding(
        self, severity: str, check: str, message: str, *, field: str = "", value: str = "", row_key: str = ""
    ) -> Finding:
        return Finding(
            severity, check, message, self.resource, row_key or self.row_key, field, self.source_line, self.table, value
        )


def amount_cell_findings(
    problem: str | None, repaired: str | None, label: str, where: Where, field: str, value: str
) -> list[Finding]:
    """What an amount cell says about itself: why it cannot be read (a warning; the pipeline makes
    it a gap), or how it was repaired (info)."""
    if problem:
        return [where.finding("warning", "unreadable-amount", f"column '{label}': {problem}", field=field, value=value)]
    if repaired:
        return [where.finding("info", "repaired-amount", f"column '{label}': {repaired}", field=field, value=value)]
    return []
