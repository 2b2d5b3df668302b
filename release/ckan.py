"""Publish released packages to a CKAN portal through its Action API (with `ckanapi`).

Each package becomes a CKAN dataset named like the package; each file of its latest version a
resource, uploaded. A CSV resource carries its Table Schema (the resource's `schema`, as JSON) and
is also loaded into CKAN's DataStore with the schema's types (amounts `numeric`, exact; codes
`text`) and its titles and descriptions as the data dictionary, so the portal previews the table
and answers `datastore_search` / `datastore_search_sql`. Publishing is idempotent: a resource
whose sha256 the portal already holds is not uploaded again (nor loaded again once its DataStore
table is there), and a dataset already at the version is not patched. Network errors are
retried; a failure midway ends with a list of what was and was not uploaded, and the next run
completes it.
The API key comes from the environment (BUDGETPUB_CKAN_API_KEY), never from the command line.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from converter.errors import BudgetpubError
from release.catalog import CatalogConfig
from release.store import Released, latest, package_names

API_KEY_VARIABLE = "BUDGETPUB_CKAN_API_KEY"
FORMATS = {".csv": "CSV", ".json": "JSON"}
TIMEOUT = 60.0  # seconds to connect, and to wait for each answer: a portal that never answers is an error
# Table Schema types as DataStore (PostgreSQL) column types: amounts stay exact decimals.
DATASTORE_TYPES = {"number": "numeric", "integer": "int8", "boolean": "bool", "string": "text"}


class PublishError(BudgetpubError):
    """Publishing stopped; `report` says what was and was not uploaded."""

    def __init__(self, message: str, report: PublishReport):
        self.report = report
        super().__init__(message)


@dataclass
class PublishReport:
    created: list[str] = field(default_factory=list)  # datasets
    updated: list[str] = field(default_factory=list)  # datasets whose metadata changed
    uploaded: list[str] = field(default_factory=list)  # name/file
    loaded: list[str] = field(default_factory=list)  # name/file loaded into the DataStore
    unchanged: list[str] = field(default_factory=list)  # name/file already on the portal
    not_uploaded: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.uploaded or self.loaded)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(version: Released) -> list[tuple[str, Path, str, dict | None]]:
    """(resource name, file, description, Table Schema or None) for every file of a released version."""
    meta = version.descriptor
    out: list[tuple[str, Path, str, dict | None]] = [
        ("datapackage.json", version.path / "datapackage.json", "Frictionless Data Package descriptor", None)
    ]
    document = meta["json_document"]["path"]
    out.append((document, version.path / document, "The package as JSON", None))
    out += [
        (r["name"], version.path / r["path"], r.get("title", r["name"]), r.get("schema"))
        for r in meta.get("resources", [])
    ]
    return out


def datastore_fields(schema: dict) -> list[dict]:
    """The DataStore columns of a Table Schema, with its titles and descriptions as the data dictionary."""
    return [
        {
            "id": spec["name"],
            "type": DATASTORE_TYPES.get(spec.get("type", "string"), "text"),
            "info": {"label": spec.get("title", ""), "notes": spec.get("description", "")},
        }
        for spec in schema["fields"]
    ]


def datastore_records(path: Path, schema: dict) -> list[dict[str, str | None]]:
    """The CSV's rows as printed (text: the DataStore casts exact decimals itself), missing values as null."""
    missing = set(schema.get("missingValues", [""]))
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (None if v in missing else v) for k, v in row.items()} for row in csv.DictReader(handle)]


def _drop_datastore(portal: Portal, resource_id: str) -> None:
    """Drop a resource's DataStore table before its file is replaced: a run stopped between the
    upload and the load then leaves no stale table, only a missing one the next run loads."""
    from ckanapi.errors import NotFound

    try:
        portal.call("datastore_delete", resource_id=resource_id, force=True)
    except NotFound:
        pass  # no table


def _load_datastore(portal: Portal, resource_id: str, path: Path, schema: dict) -> None:
    """Load one CSV into the (new) DataStore table of its resource, typed by its Table Schema."""
    values: dict = {
        "resource_id": resource_id,
        "force": True,
        "fields": datastore_fields(schema),
        "records": datastore_records(path, schema),
    }
    if schema.get("primaryKey"):
        values["primary_key"] = schema["primaryKey"]
    portal.call("datastore_create", **values)


def _dataset_fields(version: Released, config: CatalogConfig, organization: str | None) -> dict:
    meta = version.descriptor
    values = {
        "name": version.name,
        "title": meta.get("title") or version.name,
        "notes": f"{meta.get('title', '')}: converted by budgetpub (schema {meta.get('schema_version')}). "
        f"{meta.get('version_notes', '')}",
        "version": version.version,
        "license_id": config.license_id,
        "tags": [{"name": k} for k in config.keywords if k.isascii()],
        "extras": [
            {"key": "fiscal_year", "value": str(meta.get("fiscal_year"))},
            {"key": "phase", "value": str(meta.get("phase"))},
            {"key": "region_code", "value": str((meta.get("region") or {}).get("code", ""))},
            {"key": "department", "value": str((meta.get("department") or {}).get("name", ""))},
        ],
    }
    if organization:
        values["owner_org"] = organization
    return values


def plain_http_warning(url: str) -> str | None:
    """A warning when the API key would travel unencrypted (an http:// portal URL)."""
    if urlsplit(url).scheme.lower() == "http":
        return (
            f"warning: {url} is plain http: the API key is sent unencrypted and can be read on the way (use https://)"
        )
    return None


class Portal:
    """The few Action API calls publishing needs, each with a timeout and bounded retries."""

    def __init__(
        self,
        client,  # noqa: ANN001 - a ckanapi.RemoteCKAN
        retries: int = 3,
        wait: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = TIMEOUT,
    ):
        self.client = client
        self.retries = retries
        self.wait = wait
        self.sleep = sleep
        self.timeout = timeout

    def call(self, action: str, **data):  # noqa: ANN003, ANN201 - CKAN's own shapes
        from ckanapi.errors import CKANAPIError, NotAuthorized, NotFound, ValidationError
        from requests.exceptions import RequestException

        files = data.pop("_files", None)
        for attempt in range(self.retries + 1):
            for handle in (files or {}).values():
                handle.seek(0)  # a retried upload sends the whole file again
            try:
                return self.client.call_action(action, data, files=files, requests_kwargs={"timeout": self.timeout})
            except (NotFound, NotAuthorized, ValidationError):
                raise
            except (RequestException, CKANAPIError, OSError):
                if attempt == self.retries:
                    raise
                self.sleep(self.wait * (2**attempt))
        raise AssertionError("unreachable")


def publish(
    store: Path,
    url: str,
    api_key: str,
    config: CatalogConfig,
    names: list[str] | None = None,
    organization: str | None = None,
    client=None,  # noqa: ANN001 - a ckanapi.RemoteCKAN, or a stand-in in tests
    retries: int = 3,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float = TIMEOUT,
    datastore: bool = True,
) -> PublishReport:
    """Create or update one dataset per package (latest version) and upload its files, loading
    each CSV into the DataStore unless `datastore` is off (a portal without the plugin); each
    request gives up after `timeout` seconds without an answer and is retried `retries` times."""
    from ckanapi import RemoteCKAN
    from ckanapi.errors import NotFound

    client = client or RemoteCKAN(url, apikey=api_key, user_agent="budgetpub")
    portal = Portal(client, retries, sleep=sleep, timeout=timeout)
    report = PublishReport()
    chosen = names or package_names(store)
    pending = [(n, f) for n in chosen if (v := latest(store, n)) for f, _, _, _ in _files(v)]
    try:
        for name in chosen:
            version = latest(store, name)
            if version is None:
                raise PublishError(f"{name}: no released version in {store}", report)
            fields = _dataset_fields(version, config, organization)
            try:
                dataset = portal.call("package_show", id=name)
            except NotFound:
                dataset = portal.call("package_create", **fields)
                report.created.append(name)
            else:
                if dataset.get("version") != version.version or dataset.get("title") != fields["title"]:
                    dataset = portal.call(
                        "package_patch", id=dataset["id"], **{k: v for k, v in fields.items() if k != "name"}
                    )
                    report.updated.append(name)
            existing = {r.get("name"): r for r in dataset.get("resources", [])}
            for resource_name, path, description, schema in _files(version):
                key = f"{name}/{resource_name}"
                digest = _sha256(path)
                values = {
                    "name": resource_name,
                    "description": description,
                    "format": FORMATS.get(path.suffix, ""),
                    "hash": digest,
                    "size": path.stat().st_size,
                }
                if schema is not None:
                    values["schema"] = json.dumps(schema, ensure_ascii=False, sort_keys=True)
                tabular = schema if datastore else None
                current = existing.get(resource_name)
                if current is not None and current.get("hash") == digest:
                    if tabular is not None and not current.get("datastore_active"):  # a run stopped before
                        _load_datastore(portal, current["id"], path, tabular)
                        report.loaded.append(key)
                    report.unchanged.append(key)
                    pending.remove((name, resource_name))
                    continue
                if current is not None and tabular is not None and current.get("datastore_active"):
                    _drop_datastore(portal, current["id"])
                with path.open("rb") as upload:
                    if current is None:
                        resource = portal.call(
                            "resource_create", package_id=dataset["id"], _files={"upload": upload}, **values
                        )
                    else:
                        resource = portal.call("resource_update", id=current["id"], _files={"upload": upload}, **values)
                report.uploaded.append(key)
                if tabular is not None:
                    _load_datastore(portal, resource["id"], path, tabular)
                    report.loaded.append(key)
                pending.remove((name, resource_name))
    except PublishError:
        report.not_uploaded = [f"{n}/{f}" for n, f in pending]
        raise
    except Exception as exc:  # a network or portal error after retries: say how far it got
        report.not_uploaded = [f"{n}/{f}" for n, f in pending]
        raise PublishError(f"publishing stopped: {type(exc).__name__}: {exc}", report) from exc
    return report
