"""budgetpub's validator: everything wrong with a package, in plain words.

    from validate import validate_package
    result = validate_package(Path("datapackages/420100-157-2026-budget"))
    result.counts  # {'error': 0, 'warning': 0, 'source': 5, 'info': 1}

Checks are small functions in `validate/checks/`, each yielding findings. Arithmetic and
cross-table findings that the conversion report recorded from the source itself (same check,
row, field and gap) are `source` findings: the document disagrees with itself, kept as printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from converter.errors import BudgetpubError
from converter.report import SEVERITIES, Finding
from validate.checks import arithmetic, codelists, crosstable, identity, integrity, jsonform, structure
from validate.model import PackageData, load_package

__all__ = [
    "PackageResult",
    "UsageProblem",
    "find_packages",
    "validate_package",
    "validate_paths",
    "validate_store",
    "CHECKS",
]

Check = Callable[[PackageData], Iterator[Finding]]
CHECKS: tuple[Check, ...] = (
    integrity.file_hashes,
    integrity.source_recorded,
    integrity.facts_match_resources,
    identity.facts_unique,
    identity.what_its_version_added,
    integrity.conversion_complete,
    integrity.package_name,
    integrity.metadata_matches_document,
    integrity.files_listed,
    structure.frictionless_package,
    structure.categories,
    structure.unique_keys,
    jsonform.json_document,
    codelists.codes_exist_in_year,
    *arithmetic.CHECKS,
    *crosstable.CHECKS,
)
SOURCE_CHECKS = {"hierarchy", "row-identity", "summary-balance", "across-tables", "narrative-vs-table"}


class UsageProblem(BudgetpubError):
    """A path that is missing or is not a package (exit code 2)."""


@dataclass
class PackageResult:
    path: Path
    name: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}

    @property
    def valid(self) -> bool:
        return self.counts["error"] == 0


def find_packages(path: Path) -> list[Path]:
    """datapackage.json files named by a path: a package folder, a descriptor, or a folder of packages."""
    if not path.exists():
        raise UsageProblem(f"{path}: no such file or folder")
    if path.is_file():
        if path.name != "datapackage.json" and path.suffix != ".json":
            raise UsageProblem(f"{path}: not a data package (expected a datapackage.json or a package folder)")
        return [path]
    if (path / "datapackage.json").is_file():
        return [path / "datapackage.json"]
    found = sorted(p for p in path.glob("*/datapackage.json") if not p.parent.name.startswith("."))
    if not found:  # a release store: <name>/<version>/datapackage.json
        found = sorted(p for p in path.glob("*/*/datapackage.json") if not p.parent.parent.name.startswith("."))
    if not found:
        raise UsageProblem(f"{path}: no datapackage.json in this folder or its sub-folders")
    return found


def _recorded_source_keys(pkg: PackageData) -> set[tuple[str, str, str, str, str]]:
    return {
        (
            str(r.get("check")),
            str(r.get("resource") or ""),
            str(r.get("row_key") or ""),
            str(r.get("field") or ""),
            str(r.get("value") or ""),
        )
        for r in pkg.rows("conversion_report")
        if r.get("severity") == "source"
    }


def _classify(finding: Finding, recorded: set) -> Finding:
    if finding.check not in SOURCE_CHECKS:
        return finding
    key = (finding.check, finding.resource, finding.row_key, finding.field, finding.value)
    if key in recorded:
        return Finding(
            "source",
            finding.check,
            finding.message + " (as printed in the source)",
            finding.resource,
            finding.row_key,
            finding.field,
            finding.source_line,
            finding.table,
            finding.value,
        )
    return finding


def validate_package(descriptor: Path, checks: Iterable[Check] = CHECKS, use_cache: bool = True) -> PackageResult:
    """Run every check on one package; findings sorted by severity, resource and line. A package
    validated before by the same budgetpub, byte for byte the same, gives its findings from the
    cache (validate/cache.py) without being checked again."""
    from validate import cache

    if descriptor.is_dir():
        descriptor = descriptor / "datapackage.json"
    key = None
    if use_cache and checks is CHECKS and descriptor.name == "datapackage.json" and cache.cache_dir() is not None:
        try:
            key = cache.package_key(descriptor.parent)
        except OSError:
            key = None
        found = cache.cached(key) if key else None
        if found is not None:
            return PackageResult(descriptor.parent, found[0], found[1])
    result = _checked(descriptor, checks)
    if key:
        cache.remember(key, result.name, result.findings)
    return result


def _checked(descriptor: Path, checks: Iterable[Check]) -> PackageResult:
    try:
        pkg = load_package(descriptor)
    except (OSError, ValueError, KeyError) as exc:
        raise UsageProblem(f"{descriptor}: cannot be read as a data package ({exc})") from None
    if not isinstance(pkg.descriptor, dict) or "resources" not in pkg.descriptor:
        raise UsageProblem(f"{descriptor}: not a data package (no resources)")
    recorded = _recorded_source_keys(pkg)
    result = PackageResult(descriptor.parent, str(pkg.descriptor.get("name", descriptor.parent.name)))
    for check in checks:
        result.findings.extend(_classify(f, recorded) for f in check(pkg))
    result.findings.sort(key=Finding.sort_key)
    return result


def validate_store(store: Path) -> PackageResult:
    """The store as a whole: every index.json, catalog.json entry and CHANGELOG.md against the
    version folders, and nothing left by an interrupted release (see validate/store.py)."""
    from validate.store import check_store

    return PackageResult(store, "store", check_store(store))


ResultData = tuple[str, str, list[dict[str, object]]]


def validated(descriptor: Path, use_cache: bool = True) -> ResultData:
    """validate_package's result as plain data (path, name, findings as dicts), for another process
    to send back: the compiled build's Finding, a frozen native class, cannot be unpickled."""
    result = validate_package(descriptor, use_cache=use_cache)
    return str(result.path), result.name, [f.as_dict() for f in result.findings]


def result_of(data: ResultData) -> PackageResult:
    path, name, findings = data
    return PackageResult(Path(path), name, [Finding(**f) for f in findings])  # type: ignore[arg-type]


def validate_paths(paths: Iterable[Path], jobs: int = 1, use_cache: bool = True) -> list[PackageResult]:
    """Every package a path names, `jobs` processes at a time; a release store is also checked as a whole."""
    from validate.store import is_store

    paths = list(paths)
    descriptors = [d for p in paths for d in find_packages(p)]
    if jobs > 1 and len(descriptors) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = [result_of(data) for data in pool.map(partial(validated, use_cache=use_cache), descriptors)]
    else:
        results = [validate_package(d, use_cache=use_cache) for d in descriptors]
    return results + [validate_store(p) for p in paths if is_store(p)]


def as_json(results: list[PackageResult]) -> str:
    return json.dumps(
        [
            {
                "package": r.name,
                "path": str(r.path),
                "valid": r.valid,
                "counts": r.counts,
                "findings": [f.as_dict() for f in r.findings],
            }
            for r in results
        ],
        ensure_ascii=False,
        indent=2,
    )
