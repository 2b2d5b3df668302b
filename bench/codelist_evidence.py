"""Code-list evidence: which classification codes and names a corpus prints, in which years, how often.

    .venv/bin/python bench/codelist_evidence.py ../shared/corpus ../shared/disclosures/pdf samples \
        --out schema/codelists/evidence [--jobs 2]

No complete public copy of the yearly 政府收支分类科目 could be found, so budgetpub's code lists grow
from what disclosures print. This converts every disclosure of the folders (PDF, text, web page) with
the converter's own API and counts, per kind (functional, economic), code, printed name and fiscal
year, the documents and the departments printing that name for that code. A file seen twice (the
same bytes in two folders) counts once; a department's several documents (its budget and its unit
edition) are several documents but one department, the measure of independent evidence.

Only codes printed with their row count: a code the converter inferred (from a name printed without
a code, or from a code printed cut short) is left out. Names are kept as printed, with whitespace
taken out. Each name is compared with the code list as it stands (column `codelist`):
official (that year's name), official-other-year (the code's official name in other years), variant,
observed, cut-short (the beginning of that year's name), differs (the code list names the code
otherwise), or absent (the code is not in the list).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


KINDS = ("functional", "economic")
CODELIST_FIELDS = ["code", "name", "level", "parent", "valid_from", "valid_to", "status", "note"]


class Document:
    """What one disclosure printed: its identity and its (kind, code, name, year) with a place each."""

    def __init__(self, files: str, sha256: str, department: str, year: int, printed: dict[tuple, str]) -> None:
        self.files = files
        self.sha256 = sha256
        self.department = department
        self.year = year
        self.printed = printed


def read_one(paths: tuple[Path, ...]) -> Document | str:
    """The codes and names one disclosure prints, or why it could not be read."""
    from converter import codelists
    from converter.errors import BudgetpubError
    from converter.pipeline import convert_source
    from converter.read import read_disclosure
    from converter.schema import CLASSIFIED_RESOURCES

    files = " + ".join(p.name for p in paths)
    try:
        conv = convert_source(read_disclosure(list(paths)))
    except BudgetpubError as exc:
        return f"{files}: {exc}"
    year = conv.metadata.fiscal_year or 0
    classes = {kind: {e.code for e in codelists.classification(kind) if e.level == 1} for kind in KINDS}
    inferred = {(f.resource, f.source_line) for f in conv.findings if f.check == "inferred-code"}
    tables = sorted(conv.tables, key=lambda t: t.first_line)
    printed: dict[tuple, str] = {}
    for kind, resource, code_field, name_field in CLASSIFIED_RESOURCES:
        for row in conv.resources.get(resource, []):
            code = str(row.get(code_field) or "")
            name = "".join(str(row.get(name_field) or "").split())
            line = row.get("source_line")
            if not code.isdigit() or not name or (resource, line) in inferred or code[:3] not in classes[kind]:
                continue  # a code of no class of its kind is a misread table, not evidence
            key = (kind, code, name, year)
            if key not in printed:
                table = next((t for t in tables if t.first_line <= (line or 0) <= t.last_line), None)
                path, place = conv.source.cite(line)  # a PDF's page within its own file, else the line
                label = (table.label or table.title) if table else ""
                printed[key] = " ".join(t for t in (path.name, label, place) if t)
    department = f"{conv.region_code}|{''.join((conv.metadata.department_name or conv.name).split())}"
    return Document(files, conv.source.sha256, department, year, printed)


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in sorted(set(years)))


def observed(kind: str, docs_by: dict[tuple, list[Document]]) -> list[dict[str, str]]:
    """Code list rows for what the corpus prints and the list lacks: a name printed for a code by two
    or more departments (in any years) whose code the list lacks, or whose name contradicts the list's
    ("differs"). Its years run from the first year printed, and end with the last year printed when the
    code is printed later under another name the list or the evidence holds (not beyond the evidence).
    Names are compared as `codelists.name_key` does; the form most printed is kept."""
    from converter import codelists

    by_code: dict[str, dict[str, list[tuple[str, int, Document]]]] = defaultdict(lambda: defaultdict(list))
    for (k, code, name, year), printing in docs_by.items():
        if k != kind or codelists.name_relation(kind, code, name, year) not in ("absent", "differs", "observed"):
            continue
        for document in printing:
            by_code[code][codelists.name_key(name)].append((name, year, document))
    rows: list[dict[str, str]] = []
    for code in sorted(by_code):
        qualifying = []
        for printings in by_code[code].values():
            departments = {d.department for _, _, d in printings}
            if len(departments) < 2:
                continue
            forms: dict[str, int] = defaultdict(int)
            for name, _, _ in printings:
                forms[name] += 1
            name = min(forms, key=lambda n: (-forms[n], n))
            years = [y for _, y, _ in printings]
            first = sorted(printings, key=lambda p: (p[1], p[2].files))[0]
            where = first[2].printed[(kind, code, first[0], first[1])]
            documents = len({d.sha256 for _, _, d in printings})
            note = (
                f"printed by {documents} documents of {len(departments)} departments in {_years(years)} "
                f"(evidence/{kind}_classification_evidence.csv); first: {where}"
            )
            qualifying.append((min(years), max(years), name, note))
        qualifying.sort()
        for first_year, last_year, name, note in qualifying:
            later = [
                y
                for (k, c, n, y) in docs_by
                if k == kind and c == code and y > last_year and codelists.name_key(n) != codelists.name_key(name)
                if codelists.name_relation(kind, c, n, y) in ("official", "observed")
                or any(codelists.name_key(n) == codelists.name_key(q[2]) for q in qualifying)
            ]
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "level": str({3: 1, 5: 2, 7: 3}[len(code)]),
                    "parent": code[:3] if len(code) == 5 else (code[:5] if len(code) == 7 else ""),
                    "valid_from": str(first_year),
                    "valid_to": str(last_year) if later else "",  # another name is printed later
                    "status": "observed",
                    "note": note,
                }
            )
    return rows


def extend(kind: str, docs_by: dict[tuple, list[Document]]) -> None:
    """Rewrite the code list's observed rows from the evidence, every other row as it is."""
    from converter.codelists import CODELIST_DIR

    path = CODELIST_DIR / f"{kind}_classification.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        kept = [r for r in csv.DictReader(handle) if r["status"] != "observed"]
    added = observed(kind, docs_by)  # read against the list before it is rewritten
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CODELIST_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
        writer.writerows(added)


def relation(kind: str, code: str, name: str, year: int) -> str:
    """How a printed name stands to the code list as it is now."""
    from converter import codelists

    return codelists.name_relation(kind, code, name, year)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="folder for the evidence CSVs")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument(
        "--extend",
        action="store_true",
        help="rewrite the observed rows of schema/codelists/*_classification.csv from this evidence first",
    )
    args = parser.parse_args()
    from converter import codelists, find_disclosures

    disclosures = find_disclosures(args.folders)
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(read_one, disclosures))
    documents: dict[str, Document] = {}
    for result in results:
        if isinstance(result, str):
            print("not read:", result, file=sys.stderr)
        elif result.sha256 not in documents:
            documents[result.sha256] = result
    docs_by: dict[tuple, list[Document]] = defaultdict(list)
    for document in sorted(documents.values(), key=lambda d: d.files):
        for key in document.printed:
            docs_by[key].append(document)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.extend:
        for kind in KINDS:
            extend(kind, docs_by)
        codelists.classification.cache_clear()  # the evidence's codelist column compares with the list as extended
    for kind in KINDS:
        keys = sorted((k for k in docs_by if k[0] == kind), key=lambda k: (k[1], k[3], k[2]))
        path = args.out / f"{kind}_classification_evidence.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["code", "name", "fiscal_year", "documents", "departments", "codelist", "first_printed"])
            for key in keys:
                printing = docs_by[key]
                _, code, name, year = key
                departments = len({d.department for d in printing})
                writer.writerow(
                    [
                        code,
                        name,
                        year,
                        len(printing),
                        departments,
                        relation(kind, code, name, year),
                        printing[0].printed[key],
                    ]
                )
        print(f"{path}: {len(keys)} (code, name, year) rows, {len({k[1] for k in keys})} codes")
    years: dict[int, int] = defaultdict(int)
    for document in documents.values():
        years[document.year] += 1
    print(
        f"{len(documents)} documents ({len(disclosures)} disclosures read, "
        f"{sum(isinstance(r, str) for r in results)} not read), "
        f"{len({d.department for d in documents.values()})} departments; by year: "
        + ", ".join(f"{y}: {n}" for y, n in sorted(years.items()))
    )


if __name__ == "__main__":
    main()
