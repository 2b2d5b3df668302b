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


def amount_cell_findings(problem: str | None, repaired: str | None, label: str, **where: object) -> list[Finding]:
    """What an amount cell says about itself: why it cannot be read (a warning; the pipeline makes
    it a gap), or how it was repaired (info). `where` names resource, row, field, line and value."""
    if problem:
        return [Finding("warning", "unreadable-amount", f"column '{label}': {problem}", **where)]  # type: ignore[arg-type]
    if repaired:
        return [Finding("info", "repaired-amount", f"column '{label}': {repaired}", **where)]  # type: ignore[arg-type]
    return []
