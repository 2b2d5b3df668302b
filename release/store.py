"""The release store: `datapackages/<name>/<version>/`, immutable, with an index.

A released version is never rewritten. A release is staged aside and moved in as a whole: if
anything fails while it is moved in, what was moved is taken back out and the index files are
restored, so the store is as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from converter.errors import BudgetpubError

SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class ReleaseError(BudgetpubError):
    """A release that must not happen (a rewrite, a package with errors); nothing was changed."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = SEMVER.match(text)
    if not match:
        raise ReleaseError(f"'{text}' is not a version (expected MAJOR.MINOR.PATCH, e.g. 1.2.0)")
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def bump(version: str, level: str) -> str:
    major, minor, patch = parse_version(version)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


@dataclass(frozen=True)
class Released:
    name: str
    version: str
    path: Path

    @cached_property
    def descriptor(self) -> dict:
        """datapackage.json, read once: indexes, catalog and publishing all ask for it."""
        return json.loads((self.path / "datapackage.json").read_text(encoding="utf-8"))


def versions(store: Path, name: str) -> list[Released]:
    """The released versions of a package, oldest first."""
    folder = store / name
    if not folder.is_dir():
        return []
    found = [
        Released(name, p.name, p)
        for p in folder.iterdir()
        if p.is_dir() and SEMVER.match(p.name) and (p / "datapackage.json").is_file()
    ]
    return sorted(found, key=lambda r: parse_version(r.version))


def latest(store: Path, name: str) -> Released | None:
    found = versions(store, name)
    return found[-1] if found else None


def package_names(store: Path) -> list[str]:
    if not store.is_dir():
        return []
    return sorted(
        p.name for p in store.iterdir() if p.is_dir() and not p.name.startswith(".") and versions(store, p.name)
    )


def _move(source: Path, target: Path) -> None:
    """One step of moving a release in (a seam for tests that interrupt a release)."""
    os.replace(source, target)


def commit(staging: Path, store: Path, new_versions: list[tuple[str, str]], files: list[str]) -> None:
    """Move staged versions and top-level files into the store, all or nothing.

    `staging` holds `<name>/<version>/…` for each new version and the replacement top-level
    files at their relative paths. A version that already exists is refused.
    """
    moved: list[Path] = []
    created: list[Path] = []
    replaced: list[tuple[Path, Path | None]] = []
    backups = staging / ".previous"
    try:
        for name, version in new_versions:
            target = store / name / version
            if target.exists():
                raise ReleaseError(f"{name} {version} is already released; a released version is never rewritten")
            if not target.parent.exists():
                target.parent.mkdir(parents=True)
                created.append(target.parent)
            _move(staging / name / version, target)
            moved.append(target)
        for relative in files:
            destination = store / relative
            backup = None
            if destination.exists():
                backup = backups / relative
                backup.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(destination, backup)
            destination.parent.mkdir(parents=True, exist_ok=True)
            _move(staging / relative, destination)
            replaced.append((destination, backup))
    except BaseException:
        for target in reversed(moved):
            shutil.rmtree(target, ignore_errors=True)
        for destination, backup in reversed(replaced):
            if backup is not None:
                shutil.copy2(backup, destination)
            else:
                destination.unlink(missing_ok=True)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
