"""The code lists of `schema/codelists/`, read as data: names by fiscal year, regions, categories."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from converter.cells import compact
from converter.locations import CODELIST_DIR, SCHEMA_DIR  # noqa: F401 - a checkout's schema/, or the wheel's copy


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
        """The official name in that fiscal year."""
        return self.status == "official" and self.in_years(year)

    def covers(self, year: int) -> bool:
        """The code's name in that fiscal year, officially or as the corpus prints it (observed)."""
        return self.status in NAMING_STATUSES and self.in_years(year)

    def in_years(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


# What a row of a classification code list is (schema/codelists/classification.md says more):
# official: the code's name in the years given; observed: a code and name the list lacked, printed by
# two or more independent documents of the corpus (schema/codelists/evidence) in the years given;
# variant: another name some template prints for the code, not its name in any year.
NAMING_STATUSES = ("official", "observed")


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


@cache
def _by_code(kind: str) -> dict[str, tuple[CodeName, ...]]:
    """The code list's rows of each code, in the list's order."""
    rows: dict[str, list[CodeName]] = {}
    for entry in classification(kind):
        rows.setdefault(entry.code, []).append(entry)
    return {code: tuple(entries) for code, entries in rows.items()}


def entries_of(kind: str, code: str) -> tuple[CodeName, ...]:
    """Every row the code list holds for a code (official, observed and variant names by year)."""
    return _by_code(kind).get(code, ())


def known_name(kind: str, code: str, year: int) -> CodeName | None:
    """The name the code list gives the code for that fiscal year: official, else observed; failing
    both, its most recent official name, else its most recent observed one. A code the list holds
    only variants for (or not at all) has none."""
    entries = entries_of(kind, code)
    for test in (CodeName.holds_in, CodeName.covers):
        for entry in entries:
            if test(entry, year):
                return entry
    for status in NAMING_STATUSES:
        named = [e for e in entries if e.status == status]
        if named:
            return max(named, key=lambda e: e.valid_from or 0)
    return None


# Differences that do not change a name: whitespace, full/half width, brackets, quotes and punctuation
_HARMLESS = re.compile(r"[\s\W_]+")


def name_key(name: str) -> str:
    """A name for comparing with the code list: 政府办公厅（室）及相关机构事务 and
    政府办公厅(室)及相关机构事务 are the same name."""
    return _HARMLESS.sub("", unicodedata.normalize("NFKC", compact(name)))


def name_relation(kind: str, code: str, printed: str, year: int) -> str:
    """How a name printed for a code stands to the code list in that fiscal year:
    absent (the list lacks the code), official or observed (the year's name), cut-short (the
    beginning of the year's name), variant (a known other name), other-year (the code's name in
    other years) or differs (a name the list does not know for the code)."""
    entries = entries_of(kind, code)
    if not entries:
        return "absent"
    target = name_key(printed)
    for entry in entries:
        if entry.covers(year) and name_key(entry.name) == target:
            return entry.status
    current = known_name(kind, code, year)
    if current is not None and current.covers(year) and len(target) >= 2 and name_key(current.name).startswith(target):
        return "cut-short"
    if any(name_key(e.name) == target for e in entries if e.status == "variant"):
        return "variant"
    if any(name_key(e.name) == target for e in entries if e.status in NAMING_STATUSES):
        return "other-year"
    return "differs"


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


class Region(NamedTuple):
    code: str
    name: str
    level: str  # province, city or county
    parent: str
    aliases: tuple[str, ...]


@cache
def regions() -> tuple[Region, ...]:
    return tuple(
        Region(r["code"], r["name"], r["level"], r["parent"], tuple(a for a in r["aliases"].split("|") if a))
        for r in _read_csv("regions.csv")
    )


_REGION_SUFFIX = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@cache
def _region_names() -> tuple[tuple[str, Region], ...]:
    """Every name a region goes by: its name, aliases, and a province's or city's short name (湖北, 武汉)."""
    names: list[tuple[str, Region]] = []
    for region in regions():
        names.append((region.name, region))
        names.extend((alias, region) for alias in region.aliases)
        if region.level in ("province", "city"):
            for suffix in _REGION_SUFFIX:
                if region.name.endswith(suffix) and len(region.name) - len(suffix) >= 2:
                    names.append((region.name[: -len(suffix)], region))
                    break
    return tuple(names)


def _within(region: Region, ancestor: Region) -> bool:
    by_code = _regions_by_code()
    while region.parent:
        if region.parent == ancestor.code:
            return True
        region = by_code[region.parent]
    return False


@cache
def _regions_by_code() -> dict[str, Region]:
    return {r.code: r for r in regions()}


@cache
def _name_counts() -> dict[str, int]:
    """How many regions go by each name (普陀区: two)."""
    counts: dict[str, int] = {}
    for name, _ in _region_names():
        counts[name] = counts.get(name, 0) + 1
    return counts


def region_of(text: str) -> tuple[str, str] | None:
    """(code, name) of the most specific region a department's name names: 上海市普陀区商务委员会
    is 310107, not Zhoushan's 普陀区; a district named alone counts only when no other region has
    its name, and a province or city named is the answer when no district of it is."""
    target = compact(text)
    found = [(name, region) for name, region in _region_names() if compact(name) in target]
    if not found:
        return None
    counts = _name_counts()
    best: tuple[int, int, str, str] | None = None
    rank = {"province": 0, "city": 1, "county": 2}
    for name, region in found:
        ancestors = [r for _, r in found if r.code != region.code and _within(region, r)]
        if counts.get(name, 0) > 1 and not ancestors and not region.aliases:
            continue  # an ambiguous name with nothing to place it (普陀区 alone)
        score = (rank.get(region.level, 0), len(name))
        if best is None or score > best[:2]:
            best = (score[0], score[1], region.code, region.name)
    return (best[2], best[3]) if best else None


@cache
def project_categories() -> dict[str, str]:
    """Category name → code (人员类项目, 其他运转类, 本级支出项目 …)."""
    return {compact(r["name"]): r["code"] for r in _read_csv("project_categories.csv")}


@cache
def summary_items() -> tuple[tuple[str, str, str], ...]:
    """(side, item, words) in matching order for 收支总表 lines."""
    return tuple((r["side"], r["item"], r["match"]) for r in _read_csv("budget_summary_items.csv"))
