"""Releases: versions from content, immutable history, diffs, the DCAT catalog, the JSON API,
SQLite, and publishing to a (stand-in) CKAN portal."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

import release.store
from budgetpub.cli import cli
from converter import convert_file
from release import ReleaseError, ReleaseRefused, release_packages
from release.catalog import CatalogConfig
from release.ckan import PublishError, publish
from tests.ckan_stub import Server
from tests.conftest import CITY_2026, EDZ_2023
from tests.test_validate import repackage

CITY = "420100-157-2026-budget"
CITY_TEXT = CITY_2026.read_text(encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(tmp_path: Path, text: str = CITY_TEXT, name: str = "city.txt") -> Path:
    """Convert one disclosure text into a fresh build folder."""
    source = tmp_path / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    out = tmp_path / f"build-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    assert convert_file(source, out).status == "converted"
    return out


@pytest.fixture()
def first(tmp_path) -> tuple[Path, Path]:
    """A store holding the first release of the city package."""
    store = tmp_path / "store"
    result = release_packages(build(tmp_path), store, date="2026-11-22", sqlite=False)
    assert [(p.name, p.status, p.version) for p in result.packages] == [(CITY, "released", "1.0.0")]
    return store, tmp_path


def test_first_release(first):
    store, _ = first
    version = store / CITY / "1.0.0"
    descriptor = json.loads((version / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "1.0.0" and descriptor["released"] == "2026-11-22"
    assert json.loads((version / "diff.json").read_text())["first_release"] is True
    assert "## 1.0.0 (2026-11-22)" in (store / CITY / "CHANGELOG.md").read_text(encoding="utf-8")
    index = json.loads((store / "index.json").read_text(encoding="utf-8"))
    assert index["packages"][0]["latest"] == "1.0.0"
    assert (store / index["packages"][0]["latest_json"]).is_file()  # the static API's URLs resolve


def test_unchanged_content_releases_nothing(first):
    store, tmp_path = first
    before = tree(store)
    result = release_packages(build(tmp_path), store, date="2026-12-01", sqlite=False)
    assert [(p.status, p.version) for p in result.packages] == [("unchanged", "1.0.0")]
    assert tree(store) == before


def test_corrected_value_is_a_patch_and_the_diff_names_it(first):
    store, tmp_path = first
    corrected = CITY_TEXT.replace("53.48\t\t47.98\t35.98\t12.00\t5.50", "53.58\t\t47.98\t35.98\t12.00\t5.60")
    result = release_packages(build(tmp_path, corrected), store, date="2026-12-01", sqlite=False)
    assert [(p.status, p.version, p.level) for p in result.packages] == [("released", "1.0.1", "patch")]
    diff = json.loads((store / CITY / "1.0.1" / "diff.json").read_text(encoding="utf-8"))
    changed = diff["resources"]["three_public_expenses"]["changed"]
    assert {"key": "budget/total", "field": "amount", "old": "534800.00", "new": "535800.00"} in changed
    assert (store / CITY / "1.0.0").is_dir()  # the old version stays
    log = (store / CITY / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.index("## 1.0.1") < log.index("## 1.0.0")
    assert "three_public_expenses budget/total amount: 534800.00 → 535800.00" in log
    # the CLI's diff says the same
    output = CliRunner().invoke(cli, ["diff", str(store / CITY / "1.0.0"), str(store / CITY / "1.0.1")]).output
    assert "patch" in output and "534800.00 → 535800.00" in output
    as_json = json.loads(
        CliRunner().invoke(cli, ["diff", str(store / CITY / "1.0.0"), str(store / CITY / "1.0.1"), "--json"]).output
    )
    assert as_json["level"] == "patch" and as_json["new"]["version"] == "1.0.1"


def test_added_field_is_a_minor_version(first):
    store, tmp_path = first
    folder = build(tmp_path) / CITY
    path = folder / "data" / "facts.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([[*rows[0], "comment"], *[[*r, ""] for r in rows[1:]]])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    facts["schema"]["fields"].append({"name": "comment", "type": "string"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    repackage(folder)
    result = release_packages(folder.parent, store, date="2026-12-01", sqlite=False)
    assert [(p.version, p.level) for p in result.packages] == [("1.1.0", "minor")]
    diff = json.loads((store / CITY / "1.1.0" / "diff.json").read_text(encoding="utf-8"))
    assert {"resource": "facts", "field": "comment", "change": "field added", "level": "minor"} in diff["schema"]


def test_a_released_version_is_never_rewritten(first):
    store, tmp_path = first
    corrected = CITY_TEXT.replace("53.48\t\t47.98\t35.98\t12.00\t5.50", "53.58\t\t47.98\t35.98\t12.00\t5.60")
    before = tree(store)
    with pytest.raises(ReleaseError, match="already released"):
        release_packages(build(tmp_path, corrected), store, explicit_versions={CITY: "1.0.0"}, sqlite=False)
    assert tree(store) == before
    result = CliRunner().invoke(
        cli, ["release", "--from", str(build(tmp_path, corrected)), "--store", str(store), "--version", f"{CITY}=1.0.0"]
    )
    assert result.exit_code == 1 and "never rewritten" in result.output and tree(store) == before


def test_an_interrupted_release_leaves_the_store_as_it_was(first, monkeypatch):
    store, tmp_path = first
    corrected = CITY_TEXT.replace("53.48\t\t47.98\t35.98\t12.00\t5.50", "53.58\t\t47.98\t35.98\t12.00\t5.60")
    source = build(tmp_path, corrected)
    assert convert_file(EDZ_2023, source).status == "converted"  # two packages, so it can fail between them
    before = tree(store)
    moves = []
    real_move = release.store._move

    def failing_move(a: Path, b: Path) -> None:
        moves.append(b)
        if len(moves) == 3:
            raise OSError("disk full")
        real_move(a, b)

    monkeypatch.setattr(release.store, "_move", failing_move)
    with pytest.raises(OSError, match="disk full"):
        release_packages(source, store, date="2026-12-01", sqlite=False)
    assert tree(store) == before
    assert not [p for p in store.iterdir() if p.name.startswith(".") and p.name != ".lock"]  # no staging left


def test_a_package_with_errors_is_refused(first):
    store, tmp_path = first
    folder = build(tmp_path) / CITY
    path = folder / "data" / "three_public_expenses.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("534800.00", "999900.00"), encoding="utf-8")
    repackage(folder)
    before = tree(store)
    with pytest.raises(ReleaseRefused) as refused:
        release_packages(folder.parent, store, sqlite=False)
    assert list(refused.value.problems) == [CITY]
    assert tree(store) == before
    result = CliRunner().invoke(cli, ["release", "--from", str(folder.parent), "--store", str(store)])
    assert result.exit_code == 1 and CITY in result.output and "fail validation" in result.output


def test_catalog_is_json_ld_with_dcat_terms(first):
    store, _ = first
    graph = rdflib.Graph()
    graph.parse(store / "catalog.json", format="json-ld")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    spdx = rdflib.Namespace("http://spdx.org/rdf/terms#")
    adms = rdflib.Namespace("http://www.w3.org/ns/adms#")
    assert len(list(graph.subjects(rdflib.RDF.type, dcat.Catalog))) == 1
    version = next(s for s in graph.subjects(dcat.version, rdflib.Literal("1.0.0")) if (s, dct.issued, None) in graph)
    for term in (dct.title, dct.description, dct.publisher, dct.temporal, dct.spatial, dct.license, dcat.keyword):
        assert (version, term, None) in graph, term
    assert (version, adms.versionNotes, rdflib.Literal("First release.")) in graph
    temporal = graph.value(version, dct.temporal)
    assert str(graph.value(temporal, dcat.startDate)) == "2026-01-01"
    assert str(graph.value(graph.value(version, dct.spatial), dct.identifier)) == "420100"
    distributions = list(graph.objects(version, dcat.distribution))
    assert len(distributions) > 20
    csv_files = [d for d in distributions if str(graph.value(d, dcat.mediaType)).endswith("text/csv")]
    assert csv_files and all(int(graph.value(d, dcat.byteSize)) > 0 for d in csv_files)
    checksum = graph.value(csv_files[0], spdx.checksum)
    assert len(str(graph.value(checksum, spdx.checksumValue))) == 64
    licence = graph.value(version, dct.license)
    assert str(graph.value(licence, dct.identifier)) == "notspecified"  # honest: no open licence was granted


def test_sqlite_database_of_the_release(first):
    store, _ = first
    path = release.write_sqlite(store)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version FROM packages").fetchall() == [("1.0.0",)]
        amount = db.execute(
            "SELECT amount FROM three_public_expenses WHERE basis = 'budget' AND item = 'total'"
        ).fetchone()
        assert amount == ("534800.00",)  # exact, as text
        assert db.execute("SELECT count(*) FROM facts WHERE function_code = '2080505'").fetchone()[0] > 0


def test_publishing_twice_changes_nothing_the_second_time(first):
    store, _ = first
    with Server() as (url, portal):
        report = publish(store, url, "secret", CatalogConfig(keywords=("budget",)), sleep=lambda s: None)
        assert report.created == [CITY] and len(report.uploaded) > 20 and not report.not_uploaded
        dataset = portal.datasets[CITY]
        assert dataset["version"] == "1.0.0" and dataset["license_id"] == "notspecified"
        uploaded = {r["name"]: portal.uploads[r["id"]] for r in dataset["resources"]}
        assert uploaded["three_public_expenses"] == (store / CITY / "1.0.0/data/three_public_expenses.csv").read_bytes()
        calls = len(portal.calls)
        again = publish(store, url, "secret", CatalogConfig(), sleep=lambda s: None)
        assert not again.changed_anything and len(again.unchanged) == len(report.uploaded)
        assert portal.calls[calls:] == ["package_show"]  # looked, wrote nothing


def test_publishing_retries_network_errors_and_reports_a_failure_midway(first):
    store, _ = first
    with Server() as (url, portal):
        portal.fail["package_show"] = 2  # two 503s, then an answer
        portal.refuse_after_uploads = 3
        with pytest.raises(PublishError) as failed:
            publish(store, url, "secret", CatalogConfig(), retries=2, sleep=lambda s: None)
        report = failed.value.report
        assert portal.calls[:3] == ["package_show", "package_show", "package_show"]
        assert len(report.uploaded) == 3 and report.not_uploaded and report.not_uploaded[0].startswith(CITY)
        assert len(portal.datasets[CITY]["resources"]) == 3  # what the portal holds is what was reported
        # every file of the release is in one list or the other: its descriptor, the JSON form, each resource
        descriptor = json.loads((store / CITY / "1.0.0" / "datapackage.json").read_text(encoding="utf-8"))
        files = 2 + len(descriptor["resources"])
        assert len(set(report.uploaded) | set(report.not_uploaded)) == len(report.uploaded) + len(report.not_uploaded)
        assert len(report.uploaded) + len(report.not_uploaded) == files


def test_publish_takes_the_key_from_the_environment_only(first, monkeypatch):
    store, _ = first
    monkeypatch.delenv("BUDGETPUB_CKAN_API_KEY", raising=False)
    result = CliRunner().invoke(cli, ["publish", "--ckan", "http://127.0.0.1:9", "--store", str(store)])
    assert result.exit_code == 2 and "BUDGETPUB_CKAN_API_KEY" in result.output
    assert "--api-key" not in CliRunner().invoke(cli, ["publish", "--help"]).output
    with Server() as (url, portal):
        monkeypatch.setenv("BUDGETPUB_CKAN_API_KEY", "secret")
        result = CliRunner().invoke(cli, ["publish", "--ckan", url, "--store", str(store)])
        assert result.exit_code == 0 and "1 dataset(s) created" in result.output


def test_removed_field_is_a_major_version(first):
    store, tmp_path = first
    folder = build(tmp_path) / CITY
    path = folder / "data" / "facts.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    drop = rows[0].index("catalogue_code")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:drop] + r[drop + 1 :] for r in rows])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    facts["schema"]["fields"] = [f for f in facts["schema"]["fields"] if f["name"] != "catalogue_code"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    repackage(folder)
    with pytest.raises(ReleaseError, match="would remove field facts.catalogue_code"):
        release_packages(folder.parent, store, date="2026-12-01", sqlite=False)
    result = release_packages(folder.parent, store, date="2026-12-01", sqlite=False, allow_removals=True)
    assert [(p.version, p.level) for p in result.packages] == [("2.0.0", "major")]
