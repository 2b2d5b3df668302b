"""The code lists of `schema/codelists/`, read as data: names by fiscal year, regions, categories."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from converter.cells import compact
from converter.compiled import ROOT

SCHEMA_DIR = ROOT / "schema"  # from the package root: a compiled module lives elsewhere
CODELIST_DIR = SCHEMA_DIR / "codelists"


@dataclass(frozen=True)
class CodeName:
    code: str
    name: str
    level: int
    parent: str
    valid_from: int | None
    valid_to: int | None
    status: str

    def holds_in(self, year: int) -> bool:
        if self.status != "official":
            return False
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


def _read_csv(name: str) -> list[dict[str, str]]:
    with (CODELIST_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def classification(kind: str) -> tuple[CodeName, ...]:
    """'functional' or 'economic': every (code, name, years) row of that code list."""
    rows = _read_csv(f"{kind}_classification.csv")
    return tuple(
        CodeName(
            code=r["code"],
            name=r["name"],
            level=int(r["level"]),
            parent=r["parent"],
            valid_from=int(r["valid_from"]) if r["valid_from"] else None,
            valid_to=int(r["valid_to"]) if r["valid_to"] else None,
            status=r["status"],
        )
        for r in rows
    )


def official_name(kind: str, code: str, year: int) -> CodeName | None:
    """The code's official entry for that fiscal year, else its most recent official entry."""
    entries = [e for e in classification(kind) if e.code == code]
    for entry in entries:
        if entry.holds_in(year):
            return entry
    official = [e for e in entries if e.status == "official"]
    return official[-1] if official else (entries[0] if entries else None)


def class_code_by_name(kind: str, name: str, year: int) -> str | None:
    """The 类 (level 1) code whose name is `name`, preferring names that hold in `year`."""
    target = compact(name)
    matches = [e for e in classification(kind) if e.level == 1 and compact(e.name) == target]
    matches.sort(key=lambda e: (not e.holds_in(year), e.code))
    return matches[0].code if matches else None


def class_code_by_prefix(kind: str, name: str, year: int) -> str | None:
    """The one 类 code whose name begins with `name` (a name the extraction cut short), else None."""
    target = compact(name)
    if len(target) < 4:
        return None
    matches = [e for e in classification(kind) if e.level == 1 and compact(e.name).startswith(target)]
    current = {e.code for e in matches if e.holds_in(year)}
    codes = current or {e.code for e in matches}
    return codes.pop() if len(codes) == 1 else None


@cache
def regions() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return tuple((r["code"], r["name"], tuple(r["aliases"].split("|"))) for r in _read_csv("regions.csv"))


def region_of(text: str) -> tuple[str, str] | None:
    """(code, name) of the most specific region named in `text` (a district before its city)."""
    best: tuple[int, str, str] | None = None
    target = compact(text)
    for code, name, aliases in regions():
        for alias in aliases:
            position = target.find(compact(alias))
            if position >= 0:
                # the longest alias wins; districts are more specific than 武汉市
                score = len(alias) + (10 if not code.endswith("00") else 0)
                if best is None or score > best[0]:
                    best = (score, code, name)
    return (best[1], best[2]) if best else None


@cache
def project_categories() -> dict[str, str]:
    """Category name → code (人员类项目, 其他运转类, 本级支出项目 …)."""
    return {compact(r["name"]): r["code"] for r in _read_csv("project_categories.csv")}


@cache
def summary_items() -> tuple[tuple[str, str, str], ...]:
    """(side, item, words) in matching order for 收支总表 lines."""
    return tuple((r["side"], r["item"], r["match"]) for r in _read_csv("budget_summary_items.csv"))
