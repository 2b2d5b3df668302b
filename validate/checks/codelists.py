"""Code lists: each code exists in the fiscal year, and the printed name is that year's name."""

from __future__ import annotations

from collections.abc import Iterator

from converter import codelists
from converter.report import Finding, Where
from converter.schema import CLASSIFIED_RESOURCES
from validate.model import PackageData


def _check(kind: str, resource: str, row: dict, code: str, printed: str | None, year: int) -> Iterator[Finding]:
    """As the converter's report has it: a code the code list lacks is accepted with its printed name
    (a note); a code of a class that does not exist, or outside the years the code list gives its
    official names, is an error; a name that contradicts the code list is a warning."""
    entries = codelists.entries_of(kind, code)
    line = row.get("source_line") if isinstance(row.get("source_line"), int) else None
    base = Where(resource=resource, row_key=code, source_line=line)
    label = f"{kind} code {code}" + (f" ({printed})" if printed else "")
    known_class = bool(codelists.entries_of(kind, code[:3]))
    if not known_class:
        yield base.finding("error", "codelist", f"{label}: no {kind} class {code[:3]} exists", field="code")
        return
    current = codelists.known_name(kind, code, year)
    if current is None:
        yield base.finding(
            "info",
            "codelist",
            f"{label} is not in budgetpub's {kind} code list; accepted with its printed name "
            f"({kind}_classification records it)",
            field="code",
        )
        return
    if not current.covers(year):
        # a code the corpus evidence names (observed) has years that rest on the documents at hand:
        # a year outside them is no proof the code did not exist
        if not any(e.status == "observed" for e in entries):
            years = ", ".join(f"{e.name} {e.valid_from or ''}–{e.valid_to or ''}" for e in entries)
            yield base.finding(
                "error", "codelist", f"{label} does not exist in fiscal year {year} ({years})", field="code"
            )
            return
        yield base.finding(
            "info",
            "codelist",
            f"{label}: budgetpub's code list holds this code for "
            + ", ".join(f"{e.name} {e.valid_from or ''}–{e.valid_to or ''} ({e.status})" for e in entries)
            + f", from the corpus's evidence, not for {year}; accepted as printed",
            field="code",
        )
        return
    if not printed:
        return
    relation = codelists.name_relation(kind, code, printed, year)
    if relation == "cut-short":
        yield base.finding(
            "info", "codelist", f"{label}: printed name is cut short of the {year} name '{current.name}'", field="name"
        )
    elif relation in ("variant", "other-year"):
        yield base.finding(
            "info",
            "codelist",
            f"{label}: printed name is a known other name of {code}; in {year} it is '{current.name}'",
            field="name",
        )
    elif relation == "differs":
        yield base.finding(
            "warning", "codelist", f"{label}: printed name differs from the {year} name '{current.name}'", field="name"
        )


def codes_exist_in_year(pkg: PackageData) -> Iterator[Finding]:
    year = pkg.descriptor.get("fiscal_year")
    if not isinstance(year, int):
        yield Finding("error", "codelist", "datapackage.json has no fiscal_year, so codes cannot be checked")
        return
    for kind, resource, code_field, name_field in CLASSIFIED_RESOURCES:
        for row in pkg.rows(resource):
            code = str(row.get(code_field) or "")
            if code and code != "TOTAL":
                yield from _check(kind, resource, row, code, row.get(name_field), year)
    for resource in ("budget_summary", "fiscal_appropriation_summary"):
        for row in pkg.rows(resource):
            item = str(row.get("item") or "")
            if row.get("side") == "expenditure" and item.isdigit():
                yield from _check("functional", resource, row, item, None, year)
