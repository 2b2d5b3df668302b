"""Code lists: each code exists in the fiscal year, and the printed name is that year's name."""

from __future__ import annotations

from collections.abc import Iterator

from converter import codelists
from converter.cells import compact
from converter.report import Finding, Where
from validate.model import PackageData

CODED = (
    ("functional", "expenditure_by_function", "function_code", "function_name"),
    ("functional", "revenue_by_function", "function_code", "function_name"),
    ("functional", "government_fund_expenditure", "function_code", "function_name"),
    ("functional", "state_capital_expenditure", "function_code", "function_name"),
    ("economic", "basic_expenditure_by_economic", "economic_code", "economic_name"),
)


def _check(kind: str, resource: str, row: dict, code: str, printed: str | None, year: int) -> Iterator[Finding]:
    entries = [e for e in codelists.classification(kind) if e.code == code]
    line = row.get("source_line") if isinstance(row.get("source_line"), int) else None
    base = Where(resource=resource, row_key=code, source_line=line)
    label = f"{kind} code {code}" + (f" ({printed})" if printed else "")
    if not entries:
        known_class = any(e.code == code[:3] for e in codelists.classification(kind))
        if known_class:
            yield base.finding(
                "warning",
                "codelist",
                f"{label} is not in budgetpub's {kind} code list; check it against "
                "the year's 政府收支分类科目 and add it to schema/codelists",
                field="code",
            )
        else:
            yield base.finding("error", "codelist", f"{label}: no {kind} class {code[:3]} exists", field="code")
        return
    official = codelists.official_name(kind, code, year)
    if official is None or not official.holds_in(year):
        years = ", ".join(f"{e.name} {e.valid_from or ''}–{e.valid_to or ''}" for e in entries)
        yield base.finding("error", "codelist", f"{label} does not exist in fiscal year {year} ({years})", field="code")
        return
    if not printed or compact(printed) == compact(official.name):
        return
    if len(compact(printed)) >= 2 and compact(official.name).startswith(compact(printed)):
        yield base.finding(
            "info", "codelist", f"{label}: printed name is cut short of the {year} name '{official.name}'", field="name"
        )
    elif compact(printed) in {compact(e.name) for e in entries}:
        yield base.finding(
            "info",
            "codelist",
            f"{label}: printed name is a known other name of {code}; in {year} it is '{official.name}'",
            field="name",
        )
    else:
        yield base.finding(
            "warning", "codelist", f"{label}: printed name differs from the {year} name '{official.name}'", field="name"
        )


def codes_exist_in_year(pkg: PackageData) -> Iterator[Finding]:
    year = pkg.descriptor.get("fiscal_year")
    if not isinstance(year, int):
        yield Finding("error", "codelist", "datapackage.json has no fiscal_year, so codes cannot be checked")
        return
    for kind, resource, code_field, name_field in CODED:
        for row in pkg.rows(resource):
            code = str(row.get(code_field) or "")
            if code and code != "TOTAL":
                yield from _check(kind, resource, row, code, row.get(name_field), year)
    for resource in ("budget_summary", "fiscal_appropriation_summary"):
        for row in pkg.rows(resource):
            item = str(row.get("item") or "")
            if row.get("side") == "expenditure" and item.isdigit():
                yield from _check("functional", resource, row, item, None, year)
