"""Integrity: the files are the ones datapackage.json describes, and the source is identified."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from converter.report import Finding
from validate.model import PackageData


def _entries(pkg: PackageData) -> list[tuple[str, dict]]:
    entries = [(r.get("name", "?"), r) for r in pkg.descriptor.get("resources", [])]
    if "json_document" in pkg.descriptor:
        entries.append(("json_document", pkg.descriptor["json_document"]))
    return entries


def file_hashes(pkg: PackageData) -> Iterator[Finding]:
    """Each file's size and sha256 equal what datapackage.json records (a hand edit is caught)."""
    assert pkg.path is not None
    for name, entry in _entries(pkg):
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

    def key(fact: dict) -> tuple:
        return tuple("" if fact.get(k) is None else str(fact.get(k)) for k in FACT_KEY)

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
                f"fact {item[0]} = {item[-2]} (line {item[-1]}) is {label} the resources; re-run `budgetpub convert`",
                resource="facts",
                row_key=item[0],
                value=item[-2],
            )
    if not missing and not extra:
        yield Finding("error", "facts", "facts are not in resource order; re-run `budgetpub convert`", resource="facts")


FACT_KEY = (
    "concept",
    "entity",
    "function_code",
    "economic_code",
    "unit_code",
    "side",
    "item",
    "scope",
    "basis",
    "value",
    "source_line",
)


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
