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
