"""Recover classification codes that a table printed cut short.

Final-accounts tables often print the 款 code on its 项 rows (20103 for 行政运行) or the 3-digit
class on 5-digit economic items (301 for 基本工资). The hierarchy tells which rows are cut: the
first row printing a code is that code's own row; a later row printing the same code is one of its
children. The child's full code is found by its name, first among the codes the same document
prints in full in its other tables, then in the code list for the fiscal year, and last among the
names the list gives a code in other years (documents keep printing a renamed item's old name for a
while). A name may be cut short too, so a printed name that begins exactly one candidate's name
also matches.
Every recovered code is returned with the reason; a row whose name matches nothing is returned
unresolved, for the caller to report with its amounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from converter import codelists
from converter.cells import compact

FULL_LENGTH = {"functional": 7, "economic": 5}


@dataclass(frozen=True)
class Resolution:
    code: str | None  # None: the row repeats a code and its name matches no child
    note: str = ""  # why the code differs from the printed one, or why it could not be found


def _candidates(kind: str, parent: str, year: int, known: dict[str, str]) -> list[tuple[str, str, str]]:
    """(code, name, where) for the children of `parent`: the document's own codes first."""
    length = len(parent) + 2
    out = [(code, name, "this document's other tables") for code, name in sorted(known.items())]
    out += [(e.code, e.name, f"the {year} code list") for e in codelists.classification(kind) if e.holds_in(year)]
    return [c for c in out if len(c[0]) == length and c[0].startswith(parent)]


@cache
def _other_years(kind: str, year: int) -> list[tuple[str, str]]:
    """(code, name) of the official names the list gives codes outside `year`: a last resort for a
    document that prints an item's name from before (or after) a renaming. Callers do not change it."""
    return [(e.code, e.name) for e in codelists.classification(kind) if e.status == "official" and not e.holds_in(year)]


def _match_in_other_years(name: str, kind: str, parent: str, year: int) -> tuple[str, str] | None:
    length = len(parent) + 2
    candidates = [
        (code, cname, "the code list of other years")
        for code, cname in _other_years(kind, year)
        if len(code) == length and code.startswith(parent)
    ]
    return _match(name, candidates)


def _match(name: str, candidates: list[tuple[str, str, str]]) -> tuple[str, str] | None:
    """The one candidate named `name`, or failing that the one whose name `name` begins."""
    target = compact(name)
    if not target:
        return None
    for test in (lambda n: n == target, lambda n: len(target) >= 2 and n.startswith(target)):
        codes: dict[str, str] = {}
        for code, cname, where in candidates:
            if test(compact(cname)):
                codes.setdefault(code, where)
        if len(codes) == 1:
            return next(iter(codes.items()))
        if len(codes) > 1:
            return None
    return None


def resolve_codes(
    rows: list[tuple[str, str]],
    kind: str,
    year: int,
    known: dict[str, str] | None = None,
    second_codes: list[str] | None = None,
) -> list[Resolution]:
    """Full codes for (printed code, printed name) rows in document order. `second_codes`: the
    other classification's code each row prints beside (政府预算经济分类 beside 部门预算): a code
    printed again with another second code is another row, not a sub-item."""
    known = known or {}
    seconds = second_codes or [""] * len(rows)
    seen: set[tuple[str, str]] = set()
    out: list[Resolution] = []
    for (printed, name), second in zip(rows, seconds, strict=True):
        if not printed or not printed.isdigit() or (printed, second) not in seen or len(printed) >= FULL_LENGTH[kind]:
            seen.add((printed, second))
            out.append(Resolution(printed))
            continue
        found = _match(name, _candidates(kind, printed, year, known)) or _match_in_other_years(
            name, kind, printed, year
        )
        if found is None:
            out.append(
                Resolution(
                    None,
                    f"'{name}' repeats the code {printed} of a row above, so it is one of {printed}'s "
                    "sub-items, but its name matches none of them (nor only one) in this document or the "
                    f"{year} code list",
                )
            )
            continue
        code, where = found
        seen.add((code, second))
        out.append(
            Resolution(
                code,
                f"'{name}' is printed with {printed}, the code of the row it belongs to; {code} is the "
                f"sub-item of {printed} with this name in {where}",
            )
        )
    return out


def codes_by_name(
    rows: list[tuple[str, str]], kind: str, year: int, known: dict[str, str] | None = None
) -> list[str | None]:
    """Codes for rows that print only a name, from the hierarchy of names: a name that is a 类
    opens that class; any other name is looked up among the children of the open class (the
    document's own codes first, then the code list). None where the name matches no child, or
    more than one."""
    known = known or {}
    entries = sorted(known.items())  # the document's own codes first, then the code list's
    entries += [(e.code, e.name) for e in codelists.classification(kind) if e.holds_in(year)]
    fallback = _other_years(kind, year)
    out: list[str | None] = []
    parents: list[str] = []
    for printed, name in rows:
        if printed or not name:
            out.append(None)
            if printed:
                parents = [printed]
            continue
        found: str | None = None
        for names in (entries, fallback):  # the fiscal year's names first, then other years'
            found, parents = _by_name(compact(name), names, parents)
            if found:
                break
        out.append(found)
    return out


def _by_name(target: str, entries: list[tuple[str, str]], parents: list[str]) -> tuple[str | None, list[str]]:
    """The code named `target`: a class, or a child of one of the open `parents` (innermost
    first); with the parents open after it."""
    classes = {c for c, n in entries if len(c) == 3 and compact(n) == target}
    if len(classes) == 1:
        found = classes.pop()
        return found, [found]
    for parent in reversed(parents):
        children = {
            c for c, n in entries if len(c) == len(parent) + 2 and c.startswith(parent) and compact(n) == target
        }
        if len(children) == 1:
            found = children.pop()
            return found, parents[: parents.index(parent) + 1] + [found]
    return None, parents
