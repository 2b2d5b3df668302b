"""Versioned, immutable releases of converted packages, described for open-data portals.

Library API (the CLI verbs `release`, `diff` and `publish` are one call each):

    from release import release_packages
    result = release_packages(Path("build/packages"), Path("datapackages"))

A package's version comes from comparing its content with its latest release (see
`release.diff`): the same content releases nothing; corrected values make a patch, added fields
or resources a minor version, removed or renamed ones a major version. A version that takes
data away (a resource, a field, rows) is refused unless `allow_removals`.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from converter.locations import DEFAULT_CONFIG, DEFAULT_OUT, DEFAULT_STORE
from release.api import changelog_text, package_entry, root_entry, root_head, version_notes, write_json
from release.catalog import catalog_head, load_config, package_dataset
from release.diff import change_level, diff_packages, removals
from release.incremental import (
    SQLITE_NAME,
    build_sqlite,
    content_hash,
    journal_names,
    sqlite_current,
    update_listing,
    update_sqlite,
)
from release.store import (
    STAGING_PREFIX,
    Released,
    ReleaseError,
    bump,
    check_name,
    checkpoint,
    commit,
    end_journal,
    finish_interrupted,
    inside,
    latest,
    package_names,
    parse_version,
    store_lock,
    versions,
)

__all__ = [
    "DEFAULT_STORE",
    "DEFAULT_SOURCE",
    "DEFAULT_CONFIG",
    "PackageRelease",
    "ReleaseError",
    "ReleaseRefused",
    "ReleaseResult",
    "diff_packages",
    "ensure_sqlite",
    "rebuild_store",
    "release_packages",
    "repair_store",
]

# The checkout's folders, or relative to the current folder when installed from a wheel (converter.locations).
DEFAULT_SOURCE = DEFAULT_OUT


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
    removals: tuple[str, ...] = ()  # what this version takes away (only with allow_removals)


@dataclass
class ReleaseResult:
    store: Path
    packages: list[PackageRelease] = field(default_factory=list)
    repaired: list[tuple[str, str]] = field(default_factory=list)  # versions an interrupted release left

    @property
    def released(self) -> list[PackageRelease]:
        return [p for p in self.packages if p.status == "released"]


def _package_folders(source: Path) -> dict[str, Path]:
    """Each package of `source` by its name; a name the standard does not allow, or two folders
    with the same package name, is refused before anything is written."""
    from validate import find_packages

    folders: dict[str, Path] = {}
    for descriptor in find_packages(source):
        try:
            name = json.loads(descriptor.read_text(encoding="utf-8")).get("name")
        except (ValueError, AttributeError) as exc:
            raise ReleaseError(f"{descriptor}: not a readable datapackage.json ({exc})") from None
        check_name(name, str(descriptor))
        if name in folders:
            raise ReleaseError(f"{descriptor.parent} and {folders[name]} are both package {name}; release one of them")
        folders[name] = descriptor.parent
    return folders


def _check_requests(explicit: dict[str, str], folders: dict[str, Path], source: Path) -> None:
    """Explicit versions must be semantic versions of packages that are being released."""
    for name, version in explicit.items():
        parse_version(version)
        if name not in folders:
            raise ReleaseError(f"--version {name}={version}: no package {name} in {source}")


def _release_date(date: str | None) -> str:
    if date is None:
        return _dt.datetime.now(_dt.timezone.utc).date().isoformat()
    try:
        return _dt.date.fromisoformat(date).isoformat()
    except ValueError:
        raise ReleaseError(f"--date {date!r} is not a date (expected YYYY-MM-DD)") from None


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


def _fresh(history: list[Released]) -> list[Released]:
    """The same versions without their descriptors read: nothing read stays in memory."""
    return [Released(r.name, r.version, r.path) for r in history]


def _index_files(
    folder: Path, store: Path, changed: dict[str, list[Released]], config_path: Path, rebuild: bool = False
) -> list[str]:
    """Write into `folder` the index files of the packages of `changed` (name: every version, the
    new ones staged) and the store's index.json and catalog.json with those packages put in, the
    others' items copied from the store's files (`rebuild`: made again from every version folder);
    catalog.json last, so a store whose catalog is current has current indexes too."""
    files = []
    for name in sorted(changed):
        history = _fresh(changed[name])
        write_json(folder / name / "index.json", package_entry(history))
        (folder / name / "CHANGELOG.md").write_text(changelog_text(name, history), encoding="utf-8")
        files += [f"{name}/index.json", f"{name}/CHANGELOG.md"]

    def history_of(name: str) -> list[Released]:
        return _fresh(changed[name]) if name in changed else versions(store, name)

    config = load_config(config_path)
    names = set(changed)
    old = Path(os.devnull) if rebuild else store / "index.json"
    update_listing(
        old, folder / "index.json", root_head(), "packages", "name", names, lambda n: root_entry(history_of(n)), store
    )
    old = Path(os.devnull) if rebuild else store / "catalog.json"
    update_listing(
        old,
        folder / "catalog.json",
        catalog_head(config),
        "dcat:dataset",
        "dct:identifier",
        names,
        lambda n: package_dataset(config, n, history_of(n)),
        store,
    )
    return [*files, "index.json", "catalog.json"]


def repair_store(store: Path, config_path: Path = DEFAULT_CONFIG) -> list[tuple[str, str]]:
    """Finish a release that was killed midway (call while holding the store's lock): move in
    what it staged, rewrite the index files of the packages its journal names and the store's
    listings, drop its leftovers."""
    if not (store / ".release-journal.json").is_file() and not any(
        p.name.startswith((STAGING_PREFIX, f".{SQLITE_NAME}.tmp")) for p in store.iterdir()
    ):
        return []
    named = journal_names(store)
    moved = finish_interrupted(store)
    changed = {name: versions(store, name) for name in named}
    changed = {name: found for name, found in changed.items() if found}
    if changed:
        staging = store / f"{STAGING_PREFIX}repair-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            for relative in _index_files(staging, store, changed, config_path):
                inside(store, store / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / relative, store / relative)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    end_journal(store)
    return moved


def rebuild_store(store: Path, config_path: Path = DEFAULT_CONFIG, sqlite: bool = True) -> None:
    """Every index file, CHANGELOG, the catalog and budgetpub.sqlite made again from the version
    folders, one package at a time (call while holding the store's lock)."""
    names = package_names(store)
    staging = store / f"{STAGING_PREFIX}rebuild-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name in names:
            history = versions(store, name)
            write_json(staging / name / "index.json", package_entry(history))
            (staging / name / "CHANGELOG.md").write_text(changelog_text(name, history), encoding="utf-8")
            for file in ("index.json", "CHANGELOG.md"):
                os.replace(staging / name / file, inside(store, store / name / file))
        if names:
            for relative in _index_files(staging, store, {}, config_path, rebuild=True):
                os.replace(staging / relative, store / relative)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if sqlite and names:
        write_sqlite(store)


def release_packages(
    source: Path = DEFAULT_SOURCE,
    store: Path = DEFAULT_STORE,
    *,
    date: str | None = None,
    config_path: Path = DEFAULT_CONFIG,
    explicit_versions: dict[str, str] | None = None,
    sqlite: bool = True,
    allow_removals: bool = False,
    lock_wait: float = 60.0,
    validate: bool = True,
    rebuild: bool = False,
) -> ReleaseResult:
    """Release every package in `source` into `store`; raises ReleaseRefused / ReleaseError.

    A package whose content is that of its latest release (equal content hashes) is neither
    validated nor written again; the store's listings and SQLite are updated in place for the
    others (`rebuild`: made again from every version folder). `validate=False` is for callers that
    validated the packages already. One release at a time per store (a lock); a release killed
    earlier is finished first."""
    released_on = _release_date(date)
    explicit_versions = explicit_versions or {}
    folders = _package_folders(source)
    _check_requests(explicit_versions, folders, source)
    hashes = {name: content_hash(folder) for name, folder in folders.items()}
    unchanged = {name for name in folders if _released_as(store, name, hashes[name])}
    if validate:
        problems = _validate([folders[name] for name in folders if name not in unchanged])
        if problems:
            raise ReleaseRefused(problems)
    store.mkdir(parents=True, exist_ok=True)
    with store_lock(store, lock_wait):
        result = ReleaseResult(store, repaired=repair_store(store, config_path))
        unvalidated = unchanged if validate else set()
        _release_locked(
            folders, store, result, released_on, config_path, explicit_versions, allow_removals, hashes, unvalidated
        )
        if rebuild:
            rebuild_store(store, config_path, sqlite=sqlite)
        elif sqlite:
            ensure_sqlite(store)
    return result


def _released_as(store: Path, name: str, source_hash: str) -> Released | None:
    """The latest release of a package when its content is `source_hash`'s."""
    previous = latest(store, name)
    return previous if previous is not None and content_hash(previous.path) == source_hash else None


def _plan(
    name: str, folder: Path, store: Path, explicit: dict[str, str], allow_removals: bool, source_hash: str
) -> tuple[Released | None, str | None, str | None, dict | None]:
    """(latest release, change level, new version or None if unchanged, diff) for one package."""
    wanted = explicit.get(name)
    same = _released_as(store, name, source_hash)
    if same is not None:  # its content, as released: nothing to compare
        if wanted and wanted != same.version:
            raise ReleaseError(f"{name}: nothing changed since {same.version}; not released")
        return same, None, None, None
    previous = latest(store, name)
    diff = diff_packages(previous.path, folder) if previous else None
    level = "major" if diff is None else change_level(diff)
    if previous is not None and level is None:
        if wanted and wanted != previous.version:
            raise ReleaseError(f"{name}: nothing changed since {previous.version}; not released")
        return previous, None, None, diff
    taken = removals(diff) if diff else []
    if taken and not allow_removals:
        raise ReleaseError(
            f"{name}: this version would remove {'; '.join(taken)} (since {previous.version if previous else ''}); "
            "a release that takes data away must be asked for: --allow-removals"
        )
    version = wanted or ("1.0.0" if previous is None else bump(previous.version, str(level)))
    if (store / name / version).exists():
        raise ReleaseError(f"{name} {version} is already released; a released version is never rewritten")
    if previous is not None and parse_version(version) <= parse_version(previous.version):
        raise ReleaseError(f"{name}: version {version} is not above the latest, {previous.version}")
    return previous, level, version, diff


def _release_locked(
    folders: dict[str, Path],
    store: Path,
    result: ReleaseResult,
    released_on: str,
    config_path: Path,
    explicit: dict[str, str],
    allow_removals: bool,
    hashes: dict[str, str],
    unvalidated: set[str],
) -> None:
    """Plan every package, stage the new versions and their index files, move them in.

    `unvalidated`: packages not validated because they were released as they are; another
    release may have changed the store since, and any of them to be released now is validated."""
    plans = {
        name: _plan(name, folder, store, explicit, allow_removals, hashes[name]) for name, folder in folders.items()
    }
    late = [folders[name] for name in sorted(unvalidated) if plans[name][2] is not None]
    problems = _validate(late) if late else {}
    if problems:
        raise ReleaseRefused(problems)
    staging = store / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    new_versions: list[tuple[str, str]] = []
    try:
        for name, (previous, level, version, diff) in plans.items():
            if version is None:
                assert previous is not None
                result.packages.append(PackageRelease(name, "unchanged", previous.version))
                continue
            target = inside(store, staging / name / version)
            target.parent.mkdir(parents=True, exist_ok=True)
            _stage_version(folders[name], target, version, released_on)
            diff = diff_packages(previous.path, target) if previous else None
            notes = version_notes(level if previous else None, diff)
            _update_descriptor(target, {"version_notes": notes})
            write_json(target / "diff.json", diff or {"first_release": True, "new": {"name": name, "version": version}})
            new_versions.append((name, version))
            taken = tuple(removals(diff)) if diff else ()
            result.packages.append(
                PackageRelease(name, "released", version, previous.version if previous else None, level, notes, taken)
            )
            checkpoint("stage")
        if not new_versions:
            return
        changed: dict[str, list[Released]] = {}
        for name, version in new_versions:
            changed[name] = [*versions(store, name), Released(name, version, staging / name / version)]
        files = _index_files(staging, store, changed, config_path)
        commit(staging, store, new_versions, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def ensure_sqlite(store: Path) -> Path | None:
    """budgetpub.sqlite up to date with the store: built when missing (a fresh clone has none: it
    is not committed), updated in place when older than the store's index.json; None when the
    store has no package."""
    if not (store / "index.json").is_file() and not package_names(store):  # the index: no scan of the store
        return None
    if sqlite_current(store) or update_sqlite(store):
        return store / SQLITE_NAME
    return write_sqlite(store)


def write_sqlite(store: Path) -> Path:
    """budgetpub.sqlite beside the releases, built anew: the latest version of every package, for SQL users."""
    temporary = store / f".{SQLITE_NAME}.tmp-{os.getpid()}"
    try:
        build_sqlite(temporary, store)
        checkpoint("sqlite")
        os.replace(temporary, store / SQLITE_NAME)
    finally:
        temporary.unlink(missing_ok=True)
    return store / SQLITE_NAME
