"""The release store: `datapackages/<name>/<version>/`, immutable, with an index.

A released version is never rewritten. A release is staged aside and moved in as a whole: if
anything fails while it is moved in, what was moved is taken back out and the index files are
restored, so the store is as it was. A release killed outright (kill -9, power loss) leaves a
journal; the next release, under the same lock, finishes it from the journal and the staged
copies, so the store never stays half-released.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from converter.errors import BudgetpubError
from converter.schema import PACKAGE_JSON_SCHEMA

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
LOCK_NAME = ".lock"
JOURNAL_NAME = ".release-journal.json"
STAGING_PREFIX = ".release-"
# Tests set this to a step name (stage, move, index, catalog, sqlite) to kill a release there.
KILL_VARIABLE = "BUDGETPUB_KILL_AT"


class ReleaseError(BudgetpubError):
    """A release that must not happen (a rewrite, a package with errors); nothing was changed."""


def name_pattern() -> re.Pattern[str]:
    """The standard's pattern for package names (schema/package.schema.json), read, not copied."""
    schema = json.loads(PACKAGE_JSON_SCHEMA.read_text(encoding="utf-8"))
    return re.compile(schema["properties"]["name"]["pattern"])


def check_name(name: object, where: str) -> str:
    """A package name that is safe as a folder of the store: it matches the standard's pattern."""
    if not isinstance(name, str) or not name_pattern().fullmatch(name):
        raise ReleaseError(
            f"{where}: package name {name!r} does not match the standard's pattern {name_pattern().pattern}"
        )
    return name


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


def inside(store: Path, path: Path) -> Path:
    """`path`, refused unless it stays inside the store (no name or version may lead out of it)."""
    root = store.resolve()
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        raise ReleaseError(f"{path}: outside the store {store}; nothing is written there")
    return path


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


def history(store: Path) -> dict[str, list[Released]]:
    """Every package of the store with its versions, oldest first."""
    return {name: versions(store, name) for name in package_names(store)}


def checkpoint(step: str) -> None:
    """A named step of a release. With BUDGETPUB_KILL_AT=step the process is killed here (SIGKILL,
    no clean-up), which is how the tests prove that the next run repairs a crash at any step."""
    if os.environ.get(KILL_VARIABLE) == step:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def store_lock(store: Path, wait: float = 60.0) -> Iterator[None]:
    """One release at a time per store: an exclusive flock on STORE/.lock (freed by the kernel
    when the holder dies, so a crash never leaves the store locked)."""
    path = store / LOCK_NAME
    with open(path, "a+b") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    if exc.errno in (errno.EAGAIN, errno.EACCES):
                        raise ReleaseError(
                            f"{path}: another release of this store is running; try again when it ends"
                        ) from None
                    raise
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _move(source: Path, target: Path) -> None:
    """One step of moving a release in (a seam for tests that interrupt a release)."""
    os.replace(source, target)


def _keep(path: Path, backup: Path) -> None:
    """A backup of a file about to be replaced: a second name for it (a hard link, which costs
    nothing however large the catalog), or a copy where the file system has no links."""
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)


def write_journal(store: Path, staging: Path, new_versions: list[tuple[str, str]]) -> None:
    """Record, before anything is moved in, what this release moves: a crash is finished from it."""
    journal = {"staging": staging.name, "versions": [list(v) for v in new_versions]}
    temporary = store / f"{JOURNAL_NAME}.tmp"
    temporary.write_text(json.dumps(journal) + "\n", encoding="utf-8")
    os.replace(temporary, store / JOURNAL_NAME)


def interrupted(store: Path) -> list[str]:
    """What a crashed release left in the store (a journal, staging folders, temporary files)."""
    if not store.is_dir():
        return []
    return sorted(p.name for p in store.iterdir() if p.name.startswith((STAGING_PREFIX, ".budgetpub.sqlite.tmp")))


def finish_interrupted(store: Path) -> list[tuple[str, str]]:
    """Finish a release that was killed: move in the versions its journal lists that were staged
    but not moved, and drop what it left aside. Returns the versions moved in; the caller then
    rewrites the index files from the version folders. Call only while holding the lock."""
    journal_path = store / JOURNAL_NAME
    moved: list[tuple[str, str]] = []
    if journal_path.is_file():
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
        staging = store / str(journal["staging"])
        for name, version in journal["versions"]:
            check_name(name, str(journal_path))
            parse_version(version)
            target = inside(store, store / name / version)
            staged = staging / name / version
            if not target.exists() and (staged / "datapackage.json").is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                moved.append((name, version))
    for leftover in interrupted(store):
        path = store / leftover
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif leftover != JOURNAL_NAME:
            path.unlink(missing_ok=True)
    return moved


def end_journal(store: Path) -> None:
    """The release is complete: the index files describe every version folder."""
    (store / JOURNAL_NAME).unlink(missing_ok=True)


def commit(staging: Path, store: Path, new_versions: list[tuple[str, str]], files: list[str]) -> None:
    """Move staged versions and top-level files into the store, all or nothing.

    `staging` holds `<name>/<version>/…` for each new version and the replacement top-level
    files at their relative paths, catalog.json last. A version that already exists is refused.
    An exception rolls everything back; a kill leaves the journal for the next run.
    """
    moved: list[Path] = []
    created: list[Path] = []
    replaced: list[tuple[Path, Path | None]] = []
    backups = staging / ".previous"
    trash = staging / ".rolled-back"
    write_journal(store, staging, new_versions)
    try:
        for name, version in new_versions:
            target = inside(store, store / name / version)
            if target.exists():
                raise ReleaseError(f"{name} {version} is already released; a released version is never rewritten")
            if not target.parent.exists():
                target.parent.mkdir(parents=True)
                created.append(target.parent)
            _move(staging / name / version, target)
            moved.append(target)
            checkpoint("move")
        for relative in files:
            destination = inside(store, store / relative)
            if relative == "catalog.json":
                checkpoint("catalog")
            backup = None
            if destination.exists():
                backup = backups / relative
                backup.parent.mkdir(parents=True, exist_ok=True)
                _keep(destination, backup)
            destination.parent.mkdir(parents=True, exist_ok=True)
            _move(staging / relative, destination)
            replaced.append((destination, backup))
            checkpoint("index")
        end_journal(store)
    except BaseException:
        for number, target in enumerate(reversed(moved)):
            trash.mkdir(parents=True, exist_ok=True)
            os.replace(target, trash / str(number))  # out of the store at once, removed below
        for destination, backup in reversed(replaced):
            if backup is not None:
                os.replace(backup, destination)
            else:
                destination.unlink(missing_ok=True)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        end_journal(store)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
