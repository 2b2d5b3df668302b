"""The release store stays consistent: no removal slips through as a patch, no path leaves the
store, one release at a time, a release killed at any step is finished by the next run, and
`budgetpub validate` checks package metadata and the store as a whole."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import release.store
from budgetpub.cli import cli
from converter import convert_file
from release import ReleaseError, release_packages
from release.store import KILL_VARIABLE
from tests.conftest import CITY_2026, EDZ_2023
from tests.test_validate import repackage
from validate import validate_package, validate_store

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "datapackages"
CITY = "420100-157-2026-budget"
EDZ = "420113-054-2023-budget"
CITY_TEXT = CITY_2026.read_text(encoding="utf-8")
CORRECTED = CITY_TEXT.replace("53.48\t\t47.98\t35.98\t12.00\t5.50", "53.58\t\t47.98\t35.98\t12.00\t5.60")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a folder and its bytes; the lock file and the SQLite database aside."""
    skip = {".lock", "budgetpub.sqlite"}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def convert_text(tmp_path: Path, text: str, out: Path, name: str = "city.txt") -> Path:
    source = tmp_path / "inputs" / hashlib.sha256(text.encode()).hexdigest()[:8] / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    assert convert_file(source, out).status == "converted"
    return out


def store_copy(tmp_path: Path) -> Path:
    """A copy of the project's release store (the samples, released)."""
    store = tmp_path / "store"
    shutil.copytree(STORE, store, ignore=shutil.ignore_patterns(".*", "budgetpub.sqlite"))
    return store


def store_errors(store: Path) -> list[str]:
    return [f.message for f in validate_store(store).findings if f.severity == "error"]


@pytest.fixture()
def first(tmp_path) -> Path:
    """A store holding the first release of the city package."""
    store = tmp_path / "store"
    release_packages(convert_text(tmp_path, CITY_TEXT, tmp_path / "build0"), store, date="2026-11-22", sqlite=False)
    return store


# 1. A release that takes data away is visible and refused unless asked for


def drop_rows(folder: Path, resource: str, count: int) -> None:
    """Remove the last `count` rows of a resource from its CSV and the JSON document, and
    re-package: a valid package that simply has less data, as a truncated disclosure gives."""
    path = folder / "data" / f"{resource}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = list(csv.reader(lines))
    assert len(rows) > count + 1
    path.write_text("".join(lines[: len(lines) - count]), encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    document_path = folder / descriptor["json_document"]["path"]
    document = json.loads(document_path.read_text(encoding="utf-8"))
    document["data"][resource] = document["data"][resource][:-count]
    document_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    repackage(folder)


def test_a_version_that_removes_rows_is_refused_unless_asked_for(first, tmp_path):
    build = convert_text(tmp_path, CITY_TEXT, tmp_path / "build1")
    drop_rows(build / CITY, "performance_targets", 40)
    assert validate_package(build / CITY).valid  # nothing else is wrong with it
    before = tree(first)
    with pytest.raises(ReleaseError, match=r"would remove 40 row\(s\) of performance_targets"):
        release_packages(build, first, date="2026-12-01", sqlite=False)
    assert tree(first) == before
    refused = CliRunner().invoke(cli, ["release", "--from", str(build), "--store", str(first), "--no-sqlite"])
    assert refused.exit_code == 1 and "--allow-removals" in refused.output and tree(first) == before
    allowed = CliRunner().invoke(
        cli, ["release", "--from", str(build), "--store", str(first), "--no-sqlite", "--allow-removals"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert "removes: 40 row(s) of performance_targets" in allowed.output
    log = (first / CITY / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "- Removes data: 40 row(s) of performance_targets." in log.split("## 1.0.0")[0]
    notes = json.loads((first / CITY / "1.0.1" / "datapackage.json").read_text(encoding="utf-8"))["version_notes"]
    assert "removes 40 row(s) of performance_targets" in notes


def test_the_issue_cut_disclosure_is_not_a_quiet_patch(tmp_path):
    """The reported case: the first 170 lines of the 2026 budget, released over the samples' store."""
    cut = tmp_path / "cut.txt"
    cut.write_text("".join(CITY_TEXT.splitlines(keepends=True)[:170]), encoding="utf-8")
    result = convert_file(cut, tmp_path / "build")
    if result.status != "converted":
        pytest.skip(f"the converter now refuses the cut text itself: {result.message}")
    store = store_copy(tmp_path)
    before = tree(store)
    refused = CliRunner().invoke(cli, ["release", "--from", str(tmp_path / "build"), "--store", str(store)])
    assert refused.exit_code == 1 and "row(s) of facts" in refused.output and "--allow-removals" in refused.output
    assert tree(store) == before


# 3. No path leaves the store; versions are semantic versions; names follow the standard


def test_versions_and_names_cannot_lead_out_of_the_store(tmp_path):
    build = convert_text(tmp_path, CITY_TEXT, tmp_path / "build")
    store = tmp_path / "deep" / "store"
    store.parent.mkdir()
    runner = CliRunner()
    for bad in ("../../X", "banana", "1.0", "01.0.0"):
        result = runner.invoke(
            cli, ["release", "--from", str(build), "--store", str(store), "--version", f"{CITY}={bad}"]
        )
        assert result.exit_code == 1 and "not a version" in result.output, (bad, result.output)
    unknown = runner.invoke(cli, ["release", "--from", str(build), "--store", str(store), "--version", "other=1.0.0"])
    assert unknown.exit_code == 1 and "no package other" in unknown.output
    descriptor_path = build / CITY / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["name"] = "../../escaped"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    escaped = runner.invoke(cli, ["release", "--from", str(build), "--store", str(store)])
    assert escaped.exit_code == 1 and "does not match the standard's pattern" in escaped.output
    assert sorted(p.name for p in tmp_path.rglob("*escaped*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "deep", "inputs"]
    assert [p.name for p in (tmp_path / "deep").iterdir()] in ([], ["store"])
    assert not store.exists() or not [p for p in store.iterdir() if p.name != ".lock"]


def test_two_source_folders_with_the_same_package_are_refused(first, tmp_path):
    build = convert_text(tmp_path, CORRECTED, tmp_path / "build")
    shutil.copytree(build / CITY, build / "copy")
    before = tree(first)
    result = CliRunner().invoke(cli, ["release", "--from", str(build), "--store", str(first)])
    assert result.exit_code == 1 and "are both package" in result.output and "Traceback" not in result.output
    assert tree(first) == before


# 4. One release at a time; a killed release is finished by the next run


def test_a_second_release_waits_for_the_lock(first, tmp_path):
    build = convert_text(tmp_path, CORRECTED, tmp_path / "build")
    before = tree(first)
    with open(first / ".lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(ReleaseError, match="another release of this store is running"):
            release_packages(build, first, date="2026-12-01", sqlite=False, lock_wait=0.2)
        assert tree(first) == before
    assert release_packages(build, first, date="2026-12-01", sqlite=False).released


def test_concurrent_releases_leave_the_indexes_complete(first, tmp_path, monkeypatch):
    """One release paused after moving in its first index file; another starts meanwhile."""
    city = convert_text(tmp_path, CORRECTED, tmp_path / "build-city")
    edz = tmp_path / "build-edz"
    assert convert_file(EDZ_2023, edz).status == "converted"
    paused = threading.Event()
    real = release.store.checkpoint

    def pause(step: str) -> None:
        if step == "index" and threading.current_thread().name == "city" and not paused.is_set():
            paused.set()
            time.sleep(1.0)
        real(step)

    monkeypatch.setattr(release.store, "checkpoint", pause)
    monkeypatch.setattr(release, "_validate", lambda folders: {})  # both valid; start the second at once
    errors: list[BaseException] = []

    def run(source: Path) -> None:
        try:
            release_packages(source, first, date="2026-12-01", sqlite=False)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    one = threading.Thread(target=run, args=(city,), name="city")
    one.start()
    assert paused.wait(60)
    two = threading.Thread(target=run, args=(edz,), name="edz")
    two.start()
    one.join(120)
    two.join(120)
    assert not errors
    index = json.loads((first / "index.json").read_text(encoding="utf-8"))
    assert {p["name"]: p["latest"] for p in index["packages"]} == {CITY: "1.0.1", EDZ: "1.0.0"}
    assert store_errors(first) == []


KILL_SCRIPT = """
import sys
from pathlib import Path
from release import release_packages
release_packages(Path(sys.argv[1]), Path(sys.argv[2]), date="2026-12-01")
"""


@pytest.fixture(scope="module")
def two_packages(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """A store with the city's first release, a build with its correction and a new package, and
    the store an uninterrupted release of that build gives."""
    base = tmp_path_factory.mktemp("kill")
    store = base / "store"
    release_packages(convert_text(base, CITY_TEXT, base / "build0"), store, date="2026-11-22", sqlite=False)
    build = convert_text(base, CORRECTED, base / "build")
    assert convert_file(EDZ_2023, build).status == "converted"
    reference = base / "reference"
    shutil.copytree(store, reference)
    release_packages(build, reference, date="2026-12-01")
    return store, build, tree(reference)


@pytest.mark.parametrize("step", ["stage", "move", "index", "catalog", "sqlite"])
def test_a_release_killed_at_any_step_is_finished_by_the_next_run(two_packages, tmp_path, step):
    original, build, expected = two_packages
    store = tmp_path / "store"
    shutil.copytree(original, store)
    environment = {**os.environ, KILL_VARIABLE: step}
    killed = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(build), str(store)], cwd=ROOT, env=environment, timeout=600
    )
    assert killed.returncode == -9  # SIGKILL at that step: no clean-up ran
    problems = store_errors(store)
    assert problems, "the store check sees what the killed release left"
    cli_check = CliRunner().invoke(cli, ["validate", str(store), "--quiet"])
    assert cli_check.exit_code == 1 and "interrupted release" in cli_check.output
    release_packages(build, store, date="2026-12-01")
    assert store_errors(store) == []
    assert tree(store) == expected  # as if it had never been interrupted
    with sqlite3.connect(store / "budgetpub.sqlite") as db:
        assert sorted(db.execute("SELECT package, version FROM packages")) == [(CITY, "1.0.1"), (EDZ, "1.0.0")]


# 4. validate on a store checks the indexes, the catalog and the changelogs


def test_the_project_store_is_consistent():
    assert validate_store(STORE).findings == []


@pytest.mark.parametrize(
    "damage, expected",
    [
        ("root-index", "index.json does not list package 420113-054-2023-budget"),
        ("package-index", "420100-157-2026-budget/index.json lists versions ['1.0.0']"),
        ("catalog", "catalog.json describes 420106-328-2025-budget versions ['1.0.0']"),
        ("changelog", "420100-x8d43a1-2024-final-accounts/CHANGELOG.md has sections ["),
        ("version-folder", "420113-054-2023-budget/index.json lists versions ['1.0.0', '1.0.1'"),
        ("staging", ".release-4242: left by an interrupted release"),
        ("descriptor", "420100-157-2026-budget/1.0.0/datapackage.json differs from the checksum"),
    ],
)
def test_validate_checks_the_store_against_its_version_folders(tmp_path, damage, expected):
    store = store_copy(tmp_path)
    if damage == "root-index":
        index = json.loads((store / "index.json").read_text(encoding="utf-8"))
        index["packages"] = [p for p in index["packages"] if p["name"] != EDZ]
        (store / "index.json").write_text(json.dumps(index), encoding="utf-8")
    elif damage == "package-index":
        index = json.loads((store / CITY / "index.json").read_text(encoding="utf-8"))
        index["versions"] = index["versions"][:1]
        (store / CITY / "index.json").write_text(json.dumps(index), encoding="utf-8")
    elif damage == "catalog":
        catalog = json.loads((store / "catalog.json").read_text(encoding="utf-8"))
        dataset = next(d for d in catalog["dcat:dataset"] if d["dct:identifier"] == "420106-328-2025-budget")
        dataset["dcat:hasVersion"] = dataset["dcat:hasVersion"][:1]
        (store / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    elif damage == "changelog":
        path = store / "420100-x8d43a1-2024-final-accounts" / "CHANGELOG.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.index("## 1.0.1")] + text[text.index("## 1.0.0") :], encoding="utf-8")
    elif damage == "version-folder":
        shutil.rmtree(store / EDZ / "1.0.1")
    elif damage == "staging":
        (store / ".release-4242" / CITY).mkdir(parents=True)
    elif damage == "descriptor":
        path = store / CITY / "1.0.0" / "datapackage.json"
        path.write_text(path.read_text(encoding="utf-8").replace("First release.", "First release!"), encoding="utf-8")
    assert any(message.startswith(expected) for message in store_errors(store)), store_errors(store)
    result = CliRunner().invoke(cli, ["validate", str(store), "--quiet"])
    assert result.exit_code == 1 and "store: INVALID" in result.output


# 5. Metadata is covered by the integrity check


def _edit_descriptor(folder: Path, change) -> None:  # noqa: ANN001 - a function of the descriptor
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


METADATA_EDITS = {
    "title": (lambda d: d.update(title="武汉市数据局2025年部门预算"), "datapackage.json's title"),
    "fiscal year": (lambda d: d.update(fiscal_year=2025), "datapackage.json's fiscal_year"),
    "department": (lambda d: d["department"].update(name="武汉市财政局"), "datapackage.json's department"),
    "region": (lambda d: d["region"].update(code="420106"), "datapackage.json's region"),
    "version": (lambda d: d.update(version="1.0.7"), "datapackage.json says version 1.0.7 but the folder is 1.0.1"),
    "not a version": (lambda d: d.update(version="banana"), "version 'banana' is not a semantic version"),
    "name": (lambda d: d.update(name="420100-157-2026-final-accounts"), "datapackage.json's name"),
    "upper-case name": (lambda d: d.update(name="420100-157-2026-BUDGET"), "package name '420100-157-2026-BUDGET'"),
    "resource entry": (
        lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "projects"]),
        "resource projects is in the JSON document but not listed",
    ),
    "path out of the package": (
        lambda d: next(r for r in d["resources"] if r["name"] == "units").update(path="../../units.csv"),
        "units's path '../../units.csv' leads out of the package folder",
    ),
}


@pytest.mark.parametrize("edit", sorted(METADATA_EDITS))
def test_metadata_edits_are_caught(tmp_path, edit):
    store = store_copy(tmp_path)
    folder = store / CITY / "1.0.1"
    change, expected = METADATA_EDITS[edit]
    _edit_descriptor(folder, change)
    messages = [f.message for f in validate_package(folder).findings if f.severity == "error"]
    assert any(m.startswith(expected) for m in messages), messages
    result = CliRunner().invoke(cli, ["validate", str(folder), "--quiet"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output


def test_stray_files_and_a_missing_diff_are_caught(tmp_path):
    store = store_copy(tmp_path)
    folder = store / CITY / "1.0.1"
    assert validate_package(folder).valid
    (folder / "data" / "notes.txt").write_text("scratch", encoding="utf-8")
    (folder / "diff.json").unlink()
    messages = [f.message for f in validate_package(folder).findings if f.severity == "error"]
    assert "stray file data/notes.txt: not described by datapackage.json" in messages
    assert "diff.json is missing from this released version" in messages


# 8. budgetpub.sqlite is there whenever the store is


def test_sqlite_is_built_when_missing_or_older_than_the_store(tmp_path):
    build = convert_text(tmp_path, CITY_TEXT, tmp_path / "build")
    store = tmp_path / "store"
    release_packages(build, store, date="2026-11-22", sqlite=False)
    assert not (store / "budgetpub.sqlite").exists()  # as on a fresh clone: it is not committed
    result = release_packages(build, store)
    assert not result.released  # nothing new, and yet:
    with sqlite3.connect(store / "budgetpub.sqlite") as db:
        assert db.execute("SELECT package, version FROM packages").fetchall() == [(CITY, "1.0.0")]
    built = (store / "budgetpub.sqlite").stat().st_mtime_ns
    release_packages(build, store)
    assert (store / "budgetpub.sqlite").stat().st_mtime_ns == built  # current: left alone
    later = time.time() + 5
    os.utime(store / "index.json", (later, later))
    release_packages(build, store)
    assert (store / "budgetpub.sqlite").stat().st_mtime_ns > built
