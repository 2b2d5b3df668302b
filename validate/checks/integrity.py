"""Integrity: the files are the ones datapackage.json describes, and the source is identified."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from converter.report import Finding
from converter.schema import package_name as expected_name
from validate.model import PackageData


def _entries(pkg: PackageData) -> list[tuple[str, dict]]:
    entries = [(r.get("name", "?"), r) for r in pkg.descriptor.get("resources", [])]
    if "json_document" in pkg.descriptor:
        entries.append(("json_document", pkg.descriptor["json_document"]))
    report = pkg.descriptor.get("xbrl")  # schema 1.4 on: the xBRL-CSV metadata and its taxonomy package
    if isinstance(report, dict):
        entries.append(("xbrl", report))
        if isinstance(report.get("taxonomy"), dict):
            entries.append(("xbrl.taxonomy", report["taxonomy"]))
    return entries


def file_hashes(pkg: PackageData) -> Iterator[Finding]:
    """Each file's size and sha256 equal what datapackage.json records (a hand edit is caught)."""
    assert pkg.path is not None
    for name, entry in _entries(pkg):
        if not _safe_relative(str(entry.get("path", ""))):
            continue  # files_listed reports it; nothing outside the package is read
        path = pkg.path / entry.get("path", "")
        if not path.is_file():
            yield Finding("error", "integrity", f"{entry.get('path')} is listed but missing", resource=name)
            continue
        data = path.read_bytes()
        recorded = str(entry.get("hash", ""))
        actual = "sha256:" + hashlib.sha256(data).hexdigest()
        if not recorded:
            yield Finding("error", "integrity", f"{entry['path']} has no recorded hash", resource=name)
        elif recorded != actual:
            yield Finding(
                "error",
                "integrity",
                f"{entry['path']} was changed after packaging: its sha256 is "
                f"{actual[7:19]}… but datapackage.json records {recorded[7:19]}… (re-run budgetpub "
                "convert, or re-package)",
                resource=name,
                field="hash",
            )
        if "bytes" in entry and entry["bytes"] != len(data):
            yield Finding(
                "error",
                "integrity",
                f"{entry['path']} has {len(data)} bytes but datapackage.json records {entry['bytes']}",
                resource=name,
                field="bytes",
            )


def source_recorded(pkg: PackageData) -> Iterator[Finding]:
    """The source document is named and its sha256 recorded, so a figure can be traced to it."""
    source = pkg.descriptor.get("source") or {}
    if not source.get("file"):
        yield Finding("error", "integrity", "datapackage.json does not name the source document", field="source")
    if not re.fullmatch(r"[0-9a-f]{64}", str(source.get("sha256", ""))):
        yield Finding(
            "error", "integrity", "datapackage.json does not record the source document's sha256", field="source.sha256"
        )


def facts_match_resources(pkg: PackageData) -> Iterator[Finding]:
    """The facts resource holds exactly the amounts of the other resources (it is derived from them)."""
    from converter.facts import all_facts

    if "facts" not in pkg.resources:
        return
    department = pkg.descriptor.get("department") or {}
    expected = all_facts(
        pkg.resources,
        str(department.get("code") or ""),
        pkg.descriptor.get("fiscal_year"),
        pkg.descriptor.get("phase"),
        pkg.printed_units,
    )

    # a package of an earlier version has fewer dimension columns: compare those it has
    columns = _fact_columns(pkg)
    compared = [k for k in FACT_KEY if k in columns] if "value" in columns else list(FACT_KEY)
    at_value = compared.index("value")

    def key(fact: dict) -> tuple:
        return tuple("" if fact.get(k) is None else str(fact.get(k)) for k in compared)

    have = [key(f) for f in pkg.rows("facts")]
    want = [key(f) for f in expected]
    if have == want:
        return
    missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
    for label, items in (("missing from", missing), ("not backed by", extra)):
        for item in items[:5]:
            yield Finding(
                "error",
                "facts",
                f"fact {item[0]} = {item[at_value]} (line {item[-1]}) is {label} the resources; re-run "
                "`budgetpub convert`",
                resource="facts",
                row_key=item[0],
                value=item[at_value],
            )
    if not missing and not extra:
        yield Finding("error", "facts", "facts are not in resource order; re-run `budgetpub convert`", resource="facts")


FACT_KEY = (
    "concept",
    "xbrl_concept",
    "entity",
    "function_code",
    "economic_code",
    "unit_code",
    "side",
    "item",
    "scope",
    "basis",
    "government_economic_code",
    "line",
    "value",
    "source_line",
)


def _fact_columns(pkg: PackageData) -> set[str]:
    """The columns of the package's own facts schema (empty when it describes none)."""
    for resource in pkg.descriptor.get("resources", []):
        if resource.get("name") == "facts":
            return {str(f.get("name")) for f in resource.get("schema", {}).get("fields", [])}
    return set()


def conversion_complete(pkg: PackageData) -> Iterator[Finding]:
    """A package written with --allow-partial carries its gaps as errors in its conversion report:
    it is not complete, so it does not validate (and is not released)."""
    for row in pkg.rows("conversion_report"):
        if row.get("severity") == "error":
            yield Finding(
                "error",
                "conversion-gap",
                f"the conversion left a gap: {row.get('message')}",
                resource=str(row.get("resource") or ""),
                source_line=row.get("source_line") if isinstance(row.get("source_line"), int) else None,
                value=str(row.get("value") or ""),
            )


SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
# Metadata that the JSON document carries too; the document's hash is recorded, so it is the reference.
SHARED_METADATA = (
    "name",
    "title",
    "fiscal_year",
    "phase",
    "edition",
    "department",
    "region",
    "currency",
    "schema_version",
)


def name_pattern() -> re.Pattern[str]:
    """The standard's pattern for package names, read from schema/package.schema.json."""
    from converter.schema import PACKAGE_JSON_SCHEMA

    schema = json.loads(PACKAGE_JSON_SCHEMA.read_text(encoding="utf-8"))
    return re.compile(schema["properties"]["name"]["pattern"])


def _json_document(pkg: PackageData) -> dict | None:
    """The package's JSON document, when it is there and readable (file_hashes reports otherwise)."""
    assert pkg.path is not None
    entry = pkg.descriptor.get("json_document") or {}
    path = pkg.path / str(entry.get("path", ""))
    if not entry.get("path") or not _safe_relative(str(entry["path"])) or not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return document if isinstance(document, dict) else None


def _safe_relative(path: str) -> bool:
    """A resource path that stays inside the package folder: relative, no '..', no backslash."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and "\\" not in path and ".." not in parts


def _in_store(pkg: PackageData) -> bool:
    """A released version: STORE/<name>/<version>/datapackage.json."""
    assert pkg.path is not None
    return bool(SEMVER.fullmatch(pkg.path.name)) and pkg.path.parent.name == pkg.descriptor.get("name")


def package_name(pkg: PackageData) -> Iterator[Finding]:
    """The name matches the standard's pattern and follows from region, department, year and phase."""
    name = pkg.descriptor.get("name")
    if not isinstance(name, str) or not name_pattern().fullmatch(name):
        yield Finding(
            "error",
            "metadata",
            f"package name {name!r} does not match the standard's pattern {name_pattern().pattern}",
            field="name",
        )
        return
    region = (pkg.descriptor.get("region") or {}).get("code")
    department = (pkg.descriptor.get("department") or {}).get("code")
    expected = expected_name(
        str(region),
        str(department),
        str(pkg.descriptor.get("fiscal_year")),
        str(pkg.descriptor.get("phase", "")),
        str(pkg.descriptor.get("edition") or "department"),
    )
    if name != expected:
        yield Finding(
            "error",
            "metadata",
            f"package name {name!r} does not follow from its region, department, year, phase and edition "
            f"({expected!r})",
            field="name",
        )


def metadata_matches_document(pkg: PackageData) -> Iterator[Finding]:
    """datapackage.json's title, year, phase, department, region … are those of the JSON document
    (whose sha256 it records): metadata edited after packaging is caught like a data edit."""
    document = _json_document(pkg)
    if document is None:
        return
    for key in SHARED_METADATA:
        if pkg.descriptor.get(key) != document.get(key):
            yield Finding(
                "error",
                "metadata",
                f"datapackage.json's {key} is {pkg.descriptor.get(key)!r} but the package's JSON document says "
                f"{document.get(key)!r} (changed after packaging; re-run budgetpub convert)",
                field=key,
            )
    listed = {str(r.get("name")) for r in pkg.descriptor.get("resources", [])}
    for name in sorted(set(document.get("data") or {}) - listed):
        yield Finding(
            "error",
            "metadata",
            f"resource {name} is in the JSON document but not listed in datapackage.json",
            resource=name,
        )
    if "conversion_report" in document and "conversion_report" not in listed:
        yield Finding(
            "error",
            "metadata",
            "resource conversion_report is not listed in datapackage.json",
            resource="conversion_report",
        )


def files_listed(pkg: PackageData) -> Iterator[Finding]:
    """Every file of the package folder is described by datapackage.json, every path stays inside
    the folder, and a released version has its version, date and diff.json."""
    assert pkg.path is not None
    listed = {"datapackage.json"}
    for name, entry in _entries(pkg):
        path = str(entry.get("path", ""))
        if not _safe_relative(path):
            yield Finding(
                "error", "integrity", f"{name}'s path {path!r} leads out of the package folder", resource=name
            )
        listed.add(path)
    version = pkg.descriptor.get("version")
    if version is not None:
        listed.add("diff.json")
        if not isinstance(version, str) or not SEMVER.fullmatch(version):
            yield Finding(
                "error", "metadata", f"version {version!r} is not a semantic version (1.2.0)", field="version"
            )
        elif SEMVER.fullmatch(pkg.path.name) and version != pkg.path.name:
            yield Finding(
                "error",
                "metadata",
                f"datapackage.json says version {version} but the folder is {pkg.path.name}",
                field="version",
            )
    if _in_store(pkg):
        if version is None:
            yield Finding("error", "metadata", "a released version's datapackage.json has no version", field="version")
        if not (pkg.path / "diff.json").is_file():
            yield Finding("error", "integrity", "diff.json is missing from this released version", field="diff.json")
    for found in sorted(p for p in pkg.path.rglob("*") if p.is_file() or p.is_symlink()):
        relative = found.relative_to(pkg.path).as_posix()
        if relative not in listed:
            yield Finding(
                "error", "integrity", f"stray file {relative}: not described by datapackage.json", field=relative
            )
