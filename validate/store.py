"""The release store as a whole: its index files, catalog and changelogs agree with its version folders.

`budgetpub release` rewrites them all from the version folders; a hand edit, a copy made halfway
through a release, or a release killed midway shows up here. Each package version is validated
on its own by the package checks; this looks at what ties the versions together.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from converter.report import Finding
from validate.checks.integrity import SEMVER

STORE_FILES = {"index.json", "catalog.json", "budgetpub.sqlite", ".lock"}
PACKAGE_FILES = {"index.json", "CHANGELOG.md"}
LEFTOVERS = (".release-", ".budgetpub.sqlite.tmp", "budgetpub.sqlite-journal")
SITE_FOLDER = "site"  # the browsable site `budgetpub site` writes beside the packages (release.site)


def _package_dirs(store: Path) -> list[Path]:
    """The store's package folders: every folder but hidden ones and the site (a site, not a package)."""
    return sorted(
        p
        for p in store.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and not (p.name == SITE_FOLDER and (p / "assets" / "site.js").is_file())
    )


def is_store(path: Path) -> bool:
    """A folder of released packages: STORE/<name>/<version>/datapackage.json, or its index.json."""
    if not path.is_dir() or (path / "datapackage.json").is_file():
        return False
    if (path / "index.json").is_file() or (path / "catalog.json").is_file():
        return True
    return any(SEMVER.fullmatch(p.parent.name) for p in path.glob("*/*/datapackage.json"))


def _versions(folder: Path) -> list[str]:
    """A package folder's version folders, oldest first."""
    found = [p.name for p in folder.iterdir() if p.is_dir() and SEMVER.fullmatch(p.name)]
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def _read_json(path: Path) -> tuple[object, str | None]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except FileNotFoundError:
        return None, f"{path.name} is missing"
    except (OSError, ValueError) as exc:
        return None, f"{path.name} cannot be read ({exc})"


def _error(message: str, where: str = "") -> Finding:
    return Finding("error", "store", message, resource=where)


def leftovers(store: Path) -> Iterator[Finding]:
    """What a release killed midway leaves: its journal, staging folders, a half-built database."""
    for path in sorted(store.iterdir()):
        if path.name.startswith(LEFTOVERS):
            yield _error(f"{path.name}: left by an interrupted release; run `budgetpub release` to finish it")


def package_folders(store: Path) -> Iterator[Finding]:
    """Each package folder holds version folders, its index.json and CHANGELOG.md, nothing else."""
    for folder in _package_dirs(store):
        for path in sorted(folder.iterdir()):
            if path.name in PACKAGE_FILES or (path.is_dir() and SEMVER.fullmatch(path.name)):
                continue
            yield _error(f"{folder.name}/{path.name}: not a version folder, index.json or CHANGELOG.md", folder.name)
        for version in _versions(folder):
            if not (folder / version / "datapackage.json").is_file():
                yield _error(f"{folder.name}/{version} has no datapackage.json", folder.name)


def package_indexes(store: Path) -> Iterator[Finding]:
    """<name>/index.json lists exactly the version folders, in order, and its URLs resolve."""
    for folder in _package_dirs(store):
        name, on_disk = folder.name, _versions(folder)
        index, problem = _read_json(folder / "index.json")
        if problem or not isinstance(index, dict):
            yield _error(f"{name}/{problem or 'index.json is not an object'}", name)
            continue
        listed = [str(v.get("version")) for v in index.get("versions", []) if isinstance(v, dict)]
        if listed != on_disk:
            yield _error(f"{name}/index.json lists versions {listed} but the folder holds {on_disk}", name)
        if on_disk and index.get("latest") != on_disk[-1]:
            yield _error(
                f"{name}/index.json says latest {index.get('latest')} but the newest folder is {on_disk[-1]}", name
            )
        if index.get("name") != name:
            yield _error(f"{name}/index.json names package {index.get('name')!r}", name)
        for entry in index.get("versions", []):
            if not isinstance(entry, dict) or entry.get("version") not in on_disk:
                continue  # reported above, once
            for relative in [
                entry.get("datapackage"),
                entry.get("json"),
                entry.get("diff"),
                *entry.get("files", {}).values(),
            ]:
                if relative and not (store / str(relative)).is_file():
                    yield _error(f"{name}/index.json points to {relative}, which is not there", name)


def changelogs(store: Path) -> Iterator[Finding]:
    """<name>/CHANGELOG.md has one section per version folder, newest first."""
    for folder in _package_dirs(store):
        path = folder / "CHANGELOG.md"
        if not path.is_file():
            yield _error(f"{folder.name}/CHANGELOG.md is missing", folder.name)
            continue
        sections = re.findall(r"^## (\S+) \(", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        expected = list(reversed(_versions(folder)))
        if sections != expected:
            yield _error(
                f"{folder.name}/CHANGELOG.md has sections {sections} but the versions are {expected}", folder.name
            )


def diffs(store: Path) -> Iterator[Finding]:
    """Each version's diff.json compares it with the version before it."""
    for folder in _package_dirs(store):
        on_disk = _versions(folder)
        for number, version in enumerate(on_disk):
            diff, problem = _read_json(folder / version / "diff.json")
            if problem or not isinstance(diff, dict):
                continue  # the package check reports a missing diff.json
            previous = on_disk[number - 1] if number else None
            before = None if diff.get("first_release") else (diff.get("old") or {}).get("version")
            if (diff.get("new") or {}).get("version") != version or before != previous:
                yield _error(
                    f"{folder.name}/{version}/diff.json compares {before} → {(diff.get('new') or {}).get('version')}, "
                    f"not {previous} → {version}",
                    folder.name,
                )


def _package_folders(store: Path) -> dict[str, list[str]]:
    """Each package folder of the store with its version folders, oldest first."""
    return {p.name: _versions(p) for p in _package_dirs(store)}


def _unmatched(missing: str, extra: str, folders: dict[str, list[str]], listed: dict) -> Iterator[Finding]:
    """Package folders a listing leaves out, and packages it lists that have no folder."""
    for name in sorted(set(folders) - set(listed)):
        yield _error(missing.format(name), name)
    for name in sorted(set(listed) - set(folders)):
        yield _error(extra.format(name) + ", which has no folder", name)


def root_index(store: Path) -> Iterator[Finding]:
    """index.json lists every package folder with its newest version."""
    index, problem = _read_json(store / "index.json")
    if problem or not isinstance(index, dict):
        yield _error(problem or "index.json is not an object")
        return
    folders = _package_folders(store)
    listed = {str(p.get("name")): p for p in index.get("packages", []) if isinstance(p, dict)}
    yield from _unmatched("index.json does not list package {}", "index.json lists package {}", folders, listed)
    for name in sorted(set(listed) & set(folders)):
        if folders[name] and listed[name].get("latest") != folders[name][-1]:
            yield _error(
                f"index.json says {name} is at {listed[name].get('latest')} "
                f"but the newest folder is {folders[name][-1]}",
                name,
            )
        latest_json = listed[name].get("latest_json")
        if latest_json and not (store / str(latest_json)).is_file():
            yield _error(f"index.json points to {latest_json}, which is not there", name)


def catalog(store: Path) -> Iterator[Finding]:
    """catalog.json has a dataset per package, a version per folder, and the descriptors' checksums."""
    document, problem = _read_json(store / "catalog.json")
    if problem or not isinstance(document, dict):
        yield _error(problem or "catalog.json is not an object")
        return
    folders = _package_folders(store)
    datasets = {str(d.get("dct:identifier")): d for d in document.get("dcat:dataset", []) if isinstance(d, dict)}
    yield from _unmatched(
        "catalog.json has no dataset for package {}", "catalog.json describes package {}", folders, datasets
    )
    for name in sorted(set(datasets) & set(folders)):
        described = [str(v.get("dcat:version")) for v in datasets[name].get("dcat:hasVersion", [])]
        if described != folders[name]:
            yield _error(
                f"catalog.json describes {name} versions {described} but the folder holds {folders[name]}", name
            )
            continue
        for version in datasets[name].get("dcat:hasVersion", []):
            yield from _descriptor_checksum(store, name, version)


def _descriptor_checksum(store: Path, name: str, version: dict) -> Iterator[Finding]:
    """The catalog's sha256 of a version's datapackage.json is that of the file (no edit after release)."""
    folder = store / name / str(version.get("dcat:version"))
    for distribution in version.get("dcat:distribution", []):
        if not str(distribution.get("@id", "")).endswith("/datapackage.json"):
            continue
        recorded = ((distribution.get("spdx:checksum") or {}).get("spdx:checksumValue") or {}).get("@value")
        path = folder / "datapackage.json"
        if path.is_file() and recorded != hashlib.sha256(path.read_bytes()).hexdigest():
            yield _error(f"{name}/{folder.name}/datapackage.json differs from the checksum catalog.json records", name)


def stray_entries(store: Path) -> Iterator[Finding]:
    """The store's top level holds package folders and its index files only."""
    for path in sorted(store.iterdir()):
        if path.name in STORE_FILES or path.name.startswith(LEFTOVERS) or path.is_dir():
            continue
        yield _error(f"{path.name}: a stray file at the top of the store")


STORE_CHECKS = (leftovers, package_folders, package_indexes, changelogs, diffs, root_index, catalog, stray_entries)


def check_store(store: Path) -> list[Finding]:
    """Every store-level finding, in check order."""
    return [finding for check in STORE_CHECKS for finding in check(store)]
