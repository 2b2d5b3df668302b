"""Publish released packages to a CKAN portal through its Action API (with `ckanapi`).

Each package becomes a CKAN dataset named like the package; each file of its latest version a
resource, uploaded. Publishing is idempotent: a resource whose sha256 the portal already holds is
not uploaded again, and a dataset already at the version is not patched. Network errors are
retried; a failure midway ends with a list of what was and was not uploaded.
The API key comes from the environment (BUDGETPUB_CKAN_API_KEY), never from the command line.
"""

from __future__ import annotations

import hashlib
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
    unchanged: list[str] = field(default_factory=list)  # name/file already on the portal
    not_uploaded: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.uploaded)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(version: Released) -> list[tuple[str, Path, str]]:
    """(resource name, file, description) for every file of a released version."""
    meta = version.descriptor
    out = [("datapackage.json", version.path / "datapackage.json", "Frictionless Data Package descriptor")]
    out.append((meta["json_document"]["path"], version.path / meta["json_document"]["path"], "The package as JSON"))
    out += [(r["name"], version.path / r["path"], r.get("title", r["name"])) for r in meta.get("resources", [])]
    return out


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
) -> PublishReport:
    """Create or update one dataset per package (latest version) and upload its files; each
    request gives up after `timeout` seconds without an answer and is retried `retries` times."""
    from ckanapi import RemoteCKAN
    from ckanapi.errors import NotFound

    client = client or RemoteCKAN(url, apikey=api_key, user_agent="budgetpub")
    portal = Portal(client, retries, sleep=sleep, timeout=timeout)
    report = PublishReport()
    chosen = names or package_names(store)
    pending = [(n, f) for n in chosen if (v := latest(store, n)) for f, _, _ in _files(v)]
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
            for resource_name, path, description in _files(version):
                key = f"{name}/{resource_name}"
                digest = _sha256(path)
                values = {
                    "name": resource_name,
                    "description": description,
                    "format": FORMATS.get(path.suffix, ""),
                    "hash": digest,
                    "size": path.stat().st_size,
                }
                current = existing.get(resource_name)
                if current is not None and current.get("hash") == digest:
                    report.unchanged.append(key)
                    pending.remove((name, resource_name))
                    continue
                with path.open("rb") as upload:
                    if current is None:
                        portal.call("resource_create", package_id=dataset["id"], _files={"upload": upload}, **values)
                    else:
                        portal.call("resource_update", id=current["id"], _files={"upload": upload}, **values)
                report.uploaded.append(key)
                pending.remove((name, resource_name))
    except PublishError:
        report.not_uploaded = [f"{n}/{f}" for n, f in pending]
        raise
    except Exception as exc:  # a network or portal error after retries: say how far it got
        report.not_uploaded = [f"{n}/{f}" for n, f in pending]
        raise PublishError(f"publishing stopped: {type(exc).__name__}: {exc}", report) from exc
    return report
