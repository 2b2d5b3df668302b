"""`budgetpub publish` against a real CKAN 2.12 portal with its DataStore, as a portal team runs it.

The portal is the one `.ci/ckan.sh start` brings up (PostgreSQL, Redis, CKAN with the datastore and
activity plugins; only Solr is a stand-in, so search ranking is not tested). Its URL and a
sysadmin's API token come from BUDGETPUB_CKAN_URL / BUDGETPUB_CKAN_TEST_KEY, or from the
build/ckan/env file the script writes. Without a portal the module is skipped locally and fails
under CI=true. Marked `ckan`: leave it out of a quick loop with `pytest -m "not ckan"`.

The four samples are converted, released into a temporary store and published; the tests run in
order on that one portal state (first publish, round trip, DataStore, second publish, a new
version, a publish cut off midway).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
import requests

from converter import convert_file
from converter.schema import RESOURCE_ORDER, SUPPORT_RESOURCES
from release import release_packages
from release.catalog import CatalogConfig
from release.ckan import PublishError, _files, publish
from release.store import latest
from tests.conftest import ALL_SAMPLES, CITY_2026, EDZ_2023

pytestmark = pytest.mark.ckan

ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = ROOT / "build" / "ckan" / "env"
CKAN_PYTHON = ROOT / "build" / "ckan" / "venv" / "bin" / "python"
ORGANIZATION = "budgetpub-tests"
CITY = "420100-157-2026-budget"
# datapackage.json, the JSON document and one CSV per resource of the standard
FILES_PER_PACKAGE = 2 + len(RESOURCE_ORDER) + len(SUPPORT_RESOURCES)
EDZ = "420113-054-2023-budget"
CONFIG = CatalogConfig(keywords=("budget", "public finance"))


def _settings() -> tuple[str, str] | None:
    url, key = os.environ.get("BUDGETPUB_CKAN_URL"), os.environ.get("BUDGETPUB_CKAN_TEST_KEY")
    if not (url and key) and ENV_FILE.is_file():
        values = dict(line.split("=", 1) for line in ENV_FILE.read_text(encoding="utf-8").split() if "=" in line)
        url, key = values.get("BUDGETPUB_CKAN_URL"), values.get("BUDGETPUB_CKAN_TEST_KEY")
    return (url, key) if url and key else None


class Ckan:
    """The Action API, plainly: what the tests read back, independent of the code under test."""

    def __init__(self, url: str, key: str):
        self.url, self.key = url.rstrip("/"), key

    def __call__(self, action: str, **data: object) -> dict:
        answer = requests.post(
            f"{self.url}/api/3/action/{action}", json=data, headers={"Authorization": self.key}, timeout=60
        )
        body = answer.json()
        if not body.get("success"):
            raise LookupError(f"{action}: {body.get('error')}")
        return body["result"]

    def download(self, resource: dict) -> bytes:
        answer = requests.get(resource["url"], headers={"Authorization": self.key}, timeout=60)
        answer.raise_for_status()
        return answer.content

    def purge(self, name: str) -> None:
        try:
            self("dataset_purge", id=name)
        except LookupError:
            pass  # not there


@pytest.fixture(scope="module")
def ckan() -> Ckan:
    settings = _settings()
    reason = "no local CKAN: start one with .ci/ckan.sh start" if settings is None else None
    if settings is not None:
        try:
            version = Ckan(*settings)("status_show")["ckan_version"]
            assert version.startswith("2.12"), f"CKAN {version}, not 2.12"
        except (requests.RequestException, LookupError, ValueError) as exc:
            reason = f"the CKAN at {settings[0]} does not answer ({exc}): start it with .ci/ckan.sh start"
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs the publishing tests on a real CKAN: {reason}")
        pytest.skip(reason)
    assert settings is not None
    portal = Ckan(*settings)
    try:
        portal("organization_show", id=ORGANIZATION)
    except LookupError:
        portal("organization_create", name=ORGANIZATION, title="budgetpub tests")
    return portal


@pytest.fixture(scope="module")
def store(ckan: Ckan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples released into a fresh store; their datasets purged from the portal first."""
    work = tmp_path_factory.mktemp("ckan")
    for sample in ALL_SAMPLES:
        assert convert_file(sample, work / "build").status == "converted"
    folder = work / "store"
    result = release_packages(work / "build", folder, date="2026-11-22", sqlite=False)
    assert {p.version for p in result.packages} == {"1.0.0"} and len(result.packages) == 4
    for package in result.packages:
        ckan.purge(package.name)
    return folder


def _publish(ckan: Ckan, store: Path, **options: object):  # noqa: ANN202 - a PublishReport
    return publish(store, ckan.url, ckan.key, CONFIG, organization=ORGANIZATION, sleep=lambda s: None, **options)


def _names(store: Path) -> list[str]:
    return sorted(p.name for p in store.iterdir() if p.is_dir() and not p.name.startswith("."))


@pytest.fixture(scope="module")
def first(ckan: Ckan, store: Path):  # noqa: ANN201 - the first run's PublishReport
    return _publish(ckan, store)


def test_the_first_publish_creates_a_dataset_per_package_with_every_file(ckan, store, first):
    names = _names(store)
    files = {n: _files(latest(store, n)) for n in names}  # type: ignore[arg-type]
    assert sorted(first.created) == names and not first.updated and not first.not_uploaded
    assert len(first.uploaded) == sum(len(f) for f in files.values()) == 4 * FILES_PER_PACKAGE
    assert len(first.loaded) == sum(1 for f in files.values() for entry in f if entry[3] is not None)
    for name in names:
        dataset = ckan("package_show", id=name)
        assert dataset["version"] == "1.0.0" and dataset["organization"]["name"] == ORGANIZATION
        assert dataset["license_id"] == "notspecified"
        assert [r["name"] for r in dataset["resources"]] == [entry[0] for entry in files[name]]
        for resource, (_, path, _, _) in zip(dataset["resources"], files[name], strict=True):
            assert resource["url_type"] == "upload" and resource["size"] == path.stat().st_size
            assert resource["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_files_table_schemas_and_metadata_survive_the_round_trip(ckan, store, first):
    version = latest(store, CITY)
    assert version is not None
    dataset = ckan("package_show", id=CITY)
    by_name = {r["name"]: r for r in dataset["resources"]}
    for name, path, _, schema in _files(version):
        assert ckan.download(by_name[name]) == path.read_bytes(), name  # every file, byte for byte
        if schema is not None:
            assert json.loads(by_name[name]["schema"]) == schema  # the Table Schema, on the resource
    descriptor = json.loads(ckan.download(by_name["datapackage.json"]))
    assert descriptor == version.descriptor
    extras = {e["key"]: e["value"] for e in dataset["extras"]}
    assert extras == {
        "fiscal_year": "2026",
        "phase": "budget",
        "region_code": "420100",
        "department": descriptor["department"]["name"],
    }
    assert dataset["title"] == descriptor["title"]


def test_the_datastore_holds_each_table_typed_by_its_schema_and_answers_sql(ckan, store, first):
    version = latest(store, CITY)
    assert version is not None
    dataset = ckan("package_show", id=CITY)
    resources = {r["name"]: r for r in dataset["resources"]}
    tabular = version.descriptor["resources"]
    assert all(resources[r["name"]]["datastore_active"] for r in tabular)
    assert not resources["datapackage.json"].get("datastore_active")

    schema = next(r for r in tabular if r["name"] == "three_public_expenses")["schema"]
    table = resources["three_public_expenses"]["id"]
    found = ckan("datastore_search", resource_id=table, limit=0)
    columns = {f["id"]: f for f in found["fields"] if f["id"] != "_id"}
    assert list(columns) == [f["name"] for f in schema["fields"]]
    for spec in schema["fields"]:
        kind = {"number": "numeric", "integer": "int8", "string": "text", "boolean": "bool"}[spec["type"]]
        assert columns[spec["name"]]["type"] == kind
        assert columns[spec["name"]]["info"]["label"] == spec["title"]  # the data dictionary
    with (version.path / "data" / "three_public_expenses.csv").open(encoding="utf-8") as handle:
        assert found["total"] == sum(1 for _ in handle) - 1
    # 一般公共预算"三公"经费支出表 of the 2026 sample prints 合计 53.48 万元: exact, in yuan.
    sql = f"SELECT amount::text AS amount FROM \"{table}\" WHERE basis = 'budget' AND item = 'total'"
    assert ckan("datastore_search_sql", sql=sql)["records"] == [{"amount": "534800.00"}]


def test_publishing_again_changes_nothing(ckan, store, first):
    before = {n: ckan("package_show", id=n) for n in _names(store)}
    again = _publish(ckan, store)
    assert not again.changed_anything and len(again.unchanged) == len(first.uploaded)
    after = {n: ckan("package_show", id=n) for n in _names(store)}
    assert after == before


def test_a_new_version_patches_the_dataset_and_keeps_its_history(ckan, store, first, tmp_path):
    corrected = CITY_2026.read_text(encoding="utf-8").replace(
        "53.48\t\t47.98\t35.98\t12.00\t5.50", "53.58\t\t47.98\t35.98\t12.00\t5.60"
    )
    source = tmp_path / CITY_2026.name
    source.write_text(corrected, encoding="utf-8")
    assert convert_file(source, tmp_path / "build").status == "converted"
    released = release_packages(tmp_path / "build", store, date="2026-12-01", sqlite=False)
    assert [(p.name, p.version) for p in released.packages] == [(CITY, "1.0.1")]
    before = {r["name"]: r for r in ckan("package_show", id=CITY)["resources"]}

    report = _publish(ckan, store)
    assert report.updated == [CITY] and not report.created
    changed = {key.split("/", 1)[1] for key in report.uploaded}
    assert "three_public_expenses" in changed and "budget_summary" not in changed
    assert all(key.startswith(CITY + "/") for key in report.uploaded)
    dataset = ckan("package_show", id=CITY)
    assert dataset["version"] == "1.0.1"
    after = {r["name"]: r for r in dataset["resources"]}
    assert {n: r["id"] for n, r in after.items()} == {n: r["id"] for n, r in before.items()}  # updated in place
    table = after["three_public_expenses"]["id"]
    sql = f"SELECT amount::text AS amount FROM \"{table}\" WHERE basis = 'budget' AND item = 'total'"
    assert ckan("datastore_search_sql", sql=sql)["records"] == [{"amount": "535800.00"}]
    # The activity plugin keeps every state of the dataset: 1.0.0 is still visible.
    activities = ckan("package_activity_list", id=CITY, limit=100)
    versions = [ckan("activity_show", id=a["id"])["data"]["package"]["version"] for a in activities]
    assert versions[0] == "1.0.1" and "1.0.0" in versions


class _Cut:
    """A ckanapi client whose connection drops at the n-th call of one action (as a pulled cable)."""

    def __init__(self, client, action: str, at: int):  # noqa: ANN001 - a ckanapi.RemoteCKAN
        self.client, self.action, self.at, self.seen = client, action, at, 0

    def call_action(self, action, data_dict=None, files=None, requests_kwargs=None):  # noqa: ANN001, ANN201
        if action == self.action:
            self.seen += 1
            if self.seen == self.at:
                raise requests.ConnectionError("connection reset")
        return self.client.call_action(action, data_dict, files=files, requests_kwargs=requests_kwargs)


# Cut at the 6th upload (5 files are up), or at the 4th DataStore load: the 4th CSV, the 6th file,
# is then up but not loaded (reported both uploaded and not finished).
@pytest.mark.parametrize(("action", "at", "uploaded"), [("resource_create", 6, 5), ("datastore_create", 4, 6)])
def test_a_publish_cut_off_midway_is_completed_by_the_next_run(ckan, store, first, action, at, uploaded):
    from ckanapi import RemoteCKAN

    ckan.purge(EDZ)
    client = _Cut(RemoteCKAN(ckan.url, apikey=ckan.key), action, at)
    with pytest.raises(PublishError) as stopped:
        _publish(ckan, store, names=[EDZ], client=client, retries=0)
    cut_off = stopped.value.report
    version = latest(store, EDZ)
    assert version is not None
    files = [f"{EDZ}/{entry[0]}" for entry in _files(version)]
    assert cut_off.uploaded == files[:uploaded] and cut_off.not_uploaded == files[5:]  # unfinished from the 6th on
    assert len(ckan("package_show", id=EDZ)["resources"]) == len(cut_off.uploaded)

    completed = _publish(ckan, store, names=[EDZ])
    assert not completed.created and not completed.not_uploaded
    # What the cut run did not finish, and nothing else, is done now: uploaded, or only loaded.
    finished = completed.uploaded + [k for k in completed.loaded if k not in completed.uploaded]
    assert sorted(finished) == sorted(cut_off.not_uploaded)
    resources = ckan("package_show", id=EDZ)["resources"]
    assert [r["name"] for r in resources] == [entry[0] for entry in _files(version)]
    assert all(r["datastore_active"] for r in resources if r["format"] == "CSV")
    assert not _publish(ckan, store, names=[EDZ]).changed_anything
    assert EDZ_2023.name.startswith("wuhan-edz")  # the package is the EDZ sample's


def test_ckanext_dcat_reads_the_catalog_into_ckan_datasets_without_loss(store):
    """A DCAT consumer: ckanext-dcat's RDF parser (DCAT-AP 3 profile, which reads DCAT 3's
    dcat:version as the catalog writes it) turns catalog.json (JSON-LD) into CKAN datasets; every
    field the catalog publishes for a dataset comes through: title, version and its versions,
    temporal, spatial, each distribution with its SHA-256."""
    if not CKAN_PYTHON.is_file():
        pytest.fail(f"ckanext-dcat is installed by .ci/ckan.sh into {CKAN_PYTHON.parent.parent}")
    parse = (
        "import json, sys\n"
        "from ckanext.dcat.processors import RDFParser\n"
        "parser = RDFParser(profiles=['euro_dcat_ap_3'])\n"
        "parser.parse(open(sys.argv[1], encoding='utf-8').read(), _format='json-ld')\n"
        "print(json.dumps(list(parser.datasets()), ensure_ascii=False, default=str))\n"
    )
    done = subprocess.run(
        [str(CKAN_PYTHON), "-c", parse, str(store / "catalog.json")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    parsed = {e["value"]: d for d in json.loads(done.stdout) for e in d["extras"] if e["key"] == "identifier"}
    catalog = json.loads((store / "catalog.json").read_text(encoding="utf-8"))
    assert len(catalog["dcat:dataset"]) == len(_names(store)) == 4
    for published in catalog["dcat:dataset"]:
        name = published["dct:identifier"]
        dataset = parsed[name]
        extras = {e["key"]: e["value"] for e in dataset["extras"]}
        assert dataset["title"] == published["dct:title"]
        assert dataset["version"] == published["dcat:version"] == latest(store, name).version  # type: ignore[union-attr]
        versions = published["dcat:hasVersion"]
        assert len(dataset["has_version"]) == len(versions if isinstance(versions, list) else [versions])
        period = published["dct:temporal"]
        assert extras["temporal_start"] == period["dcat:startDate"]["@value"]
        assert extras["temporal_end"] == period["dcat:endDate"]["@value"]
        assert extras["spatial_text"] == published["dct:spatial"]["skos:prefLabel"]["@value"]
        distributions = {r["name"]: r for r in dataset["resources"]}
        assert len(distributions) == len(published["dcat:distribution"]) == FILES_PER_PACKAGE
        for distribution in published["dcat:distribution"]:
            resource = distributions[distribution["dct:title"]]
            assert resource["hash"] == distribution["spdx:checksum"]["spdx:checksumValue"]["@value"]
            assert resource["hash_algorithm"].endswith("checksumAlgorithm_sha256")
            assert resource["size"] == int(distribution["dcat:byteSize"]["@value"])
