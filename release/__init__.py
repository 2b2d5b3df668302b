"""Versioned, immutable releases of converted packages, described for open-data portals.

Library API (the CLI verbs `release`, `diff` and `publish` are one call each):

    from release import release_packages
    result = release_packages(Path("build/packages"), Path("datapackages"))

A package's version comes from comparing its content with its latest release (see
`release.diff`): the same content releases nothing; corrected values make a patch, added fields
or resources a minor version, removed or renamed ones a major version.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from converter import ROOT
from release.api import build_sqlite, changelog_entry, package_entry, root_index, version_notes, write_json
from release.catalog import catalog, load_config
from release.diff import change_level, diff_packages
from release.store import Released, ReleaseError, bump, commit, latest, package_names, parse_version, versions

__all__ = [
    "DEFAULT_STORE",
    "DEFAULT_SOURCE",
    "DEFAULT_CONFIG",
    "PackageRelease",
    "ReleaseError",
    "ReleaseRefused",
    "ReleaseResult",
    "diff_packages",
    "release_packages",
]

DEFAULT_STORE = ROOT / "datapackages"
DEFAULT_SOURCE = ROOT / "build" / "packages"
DEFAULT_CONFIG = ROOT / "budgetpub.toml"
SQLITE_NAME = "budgetpub.sqlite"


class ReleaseRefused(ReleaseError):
    """Packages with validation errors: nothing was released."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        names = ", ".join(sorted(problems))
        super().__init__(f"not released: {names} fail validation (run `budgetpub validate`)")


@dataclass(frozen=True)
class PackageRelease:
    name: str
    status: str  # released | unchanged
    version: str
    previous: str | None = None
    level: str | None = None
    notes: str = ""


@dataclass
class ReleaseResult:
    store: Path
    packages: list[PackageRelease] = field(default_factory=list)

    @property
    def released(self) -> list[PackageRelease]:
        return [p for p in self.packages if p.status == "released"]


def _package_folders(source: Path) -> list[Path]:
    from validate import find_packages

    return [descriptor.parent for descriptor in find_packages(source)]


def _validate(folders: list[Path]) -> dict[str, list[str]]:
    from validate import validate_package

    problems: dict[str, list[str]] = {}
    for folder in folders:
        result = validate_package(folder)
        errors = [f.message for f in result.findings if f.severity == "error"]
        if errors:
            problems[result.name] = errors
    return problems


def _stage_version(folder: Path, target: Path, version: str, released: str) -> None:
    """Copy a package in as a version: its descriptor gains version, release date and notes."""
    shutil.copytree(folder, target)
    _update_descriptor(target, {"version": version, "released": released, "version_notes": ""})


def _update_descriptor(target: Path, values: dict) -> None:
    path = target / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor = {**{k: v for k, v in descriptor.items() if k not in values}, **values}
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def release_packages(
    source: Path = DEFAULT_SOURCE,
    store: Path = DEFAULT_STORE,
    *,
    date: str | None = None,
    config_path: Path = DEFAULT_CONFIG,
    explicit_versions: dict[str, str] | None = None,
    sqlite: bool = True,
) -> ReleaseResult:
    """Release every package in `source` into `store`; raises ReleaseRefused / ReleaseError."""
    released_on = date or _dt.datetime.now(_dt.timezone.utc).date().isoformat()
    explicit_versions = explicit_versions or {}
    folders = _package_folders(source)
    problems = _validate(folders)
    if problems:
        raise ReleaseRefused(problems)
    store.mkdir(parents=True, exist_ok=True)
    staging = store / f".release-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    result = ReleaseResult(store)
    new_versions: list[tuple[str, str]] = []
    changelog: dict[str, str] = {}
    try:
        for folder in folders:
            name = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["name"]
            previous = latest(store, name)
            level = "major" if previous is None else change_level(diff_packages(previous.path, folder))
            wanted = explicit_versions.get(name)
            if previous is not None and level is None:
                if wanted and wanted != previous.version:
                    raise ReleaseError(f"{name}: nothing changed since {previous.version}; not released")
                result.packages.append(PackageRelease(name, "unchanged", previous.version))
                continue
            version = wanted or ("1.0.0" if previous is None else bump(previous.version, str(level)))
            if (store / name / version).exists():
                raise ReleaseError(f"{name} {version} is already released; a released version is never rewritten")
            if previous is not None and parse_version(version) <= parse_version(previous.version):
                raise ReleaseError(f"{name}: version {version} is not above the latest, {previous.version}")
            target = staging / name / version
            target.parent.mkdir(parents=True, exist_ok=True)
            _stage_version(folder, target, version, released_on)
            diff = diff_packages(previous.path, target) if previous else None
            notes = version_notes(level if previous else None, diff)
            _update_descriptor(target, {"version_notes": notes})
            write_json(target / "diff.json", diff or {"first_release": True, "new": {"name": name, "version": version}})
            changelog[name] = changelog_entry(version, released_on, level if previous else None, diff)
            new_versions.append((name, version))
            result.packages.append(
                PackageRelease(name, "released", version, previous.version if previous else None, level, notes)
            )
        if not new_versions:
            shutil.rmtree(staging, ignore_errors=True)
            return result
        history: dict[str, list[Released]] = {name: versions(store, name) for name in package_names(store)}
        for name, version in new_versions:
            history.setdefault(name, []).append(Released(name, version, staging / name / version))
        files = ["index.json", "catalog.json"]
        write_json(staging / "index.json", root_index(history))
        write_json(staging / "catalog.json", catalog(load_config(config_path), history))
        for name, _ in new_versions:
            write_json(staging / name / "index.json", package_entry(history[name]))
            old_log = store / name / "CHANGELOG.md"
            body = old_log.read_text(encoding="utf-8").split("\n", 2)[2] if old_log.is_file() else ""
            (staging / name / "CHANGELOG.md").write_text(f"# {name}\n\n{changelog[name]}\n{body}", encoding="utf-8")
            files += [f"{name}/index.json", f"{name}/CHANGELOG.md"]
        commit(staging, store, new_versions, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if sqlite:
        write_sqlite(store)
    return result


def write_sqlite(store: Path) -> Path:
    """budgetpub.sqlite beside the releases: the latest version of every package, for SQL users."""
    history = {name: versions(store, name) for name in package_names(store)}
    temporary = store / f".{SQLITE_NAME}.tmp-{os.getpid()}"
    try:
        build_sqlite(temporary, history)
        os.replace(temporary, store / SQLITE_NAME)
    finally:
        temporary.unlink(missing_ok=True)
    return store / SQLITE_NAME
