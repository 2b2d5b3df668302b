"""`catalog.json`: every package and version described in DCAT (JSON-LD), the way portals harvest.

Each package is a dcat:Dataset whose versions are datasets too (DCAT 3 versioning:
dcat:hasVersion, dcat:hasCurrentVersion, dcat:previousVersion, dcat:version,
adms:versionNotes). Each file of a version is a dcat:Distribution with its media type, byte size
and sha256 (spdx:checksum). The licence and publisher come from `budgetpub.toml`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import tomllib

from release.store import Released

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "adms": "http://www.w3.org/ns/adms#",
    "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPES = {".csv": "text/csv", ".json": "application/json"}
IANA = "https://www.iana.org/assignments/media-types/"
PHASES = {"budget": ("部门预算", "departmental budget"), "final_accounts": ("部门决算", "departmental final accounts")}


@dataclass(frozen=True)
class CatalogConfig:
    title: str = "budgetpub"
    description: str = ""
    publisher: str = "budgetpub"
    publisher_url: str = ""
    base_url: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "zh"
    license_id: str = "notspecified"
    license_title: str = "License not specified"
    license_url: str = "http://www.opendefinition.org/licenses/nonspecific"
    rights: str = ""


def load_config(path: Path) -> CatalogConfig:
    """budgetpub.toml's [catalog] table; defaults when the file is missing."""
    if not path.is_file():
        return CatalogConfig()
    data = tomllib.loads(path.read_text(encoding="utf-8")).get("catalog", {})
    licence = data.get("license", {})
    return CatalogConfig(
        title=data.get("title", "budgetpub"),
        description=data.get("description", ""),
        publisher=data.get("publisher", "budgetpub"),
        publisher_url=data.get("publisher_url", ""),
        base_url=data.get("base_url", ""),
        keywords=tuple(data.get("keywords", ())),
        language=data.get("language", "zh"),
        license_id=licence.get("id", "notspecified"),
        license_title=licence.get("title", "License not specified"),
        license_url=licence.get("url", ""),
        rights=licence.get("rights", ""),
    )


def _iri(config: CatalogConfig, relative: str) -> str:
    return (config.base_url.rstrip("/") + "/" + relative) if config.base_url else relative


def _publisher(config: CatalogConfig) -> dict:
    agent: dict = {"@type": "foaf:Agent", "foaf:name": config.publisher}
    if config.publisher_url:
        agent["@id"] = config.publisher_url
    return agent


def _licence(config: CatalogConfig) -> dict:
    licence: dict = {
        "@type": "dct:LicenseDocument",
        "dct:title": config.license_title,
        "dct:identifier": config.license_id,
    }
    if config.license_url:
        licence["@id"] = config.license_url
    return licence


def distribution(config: CatalogConfig, version: Released, entry: dict) -> dict:
    """One file of a released version (an entry of its datapackage.json)."""
    relative = f"{version.name}/{version.version}/{entry['path']}"
    media = MEDIA_TYPES.get(Path(entry["path"]).suffix, "application/octet-stream")
    algorithm, _, value = str(entry.get("hash", "")).partition(":")
    return {
        "@id": _iri(config, relative),
        "@type": "dcat:Distribution",
        "dct:title": entry.get("title") or entry.get("name") or entry["path"],
        "dcat:downloadURL": {"@id": _iri(config, relative)},
        "dcat:accessURL": {"@id": _iri(config, relative)},
        "dcat:mediaType": {"@id": IANA + media},
        "dct:format": media,
        "dcat:byteSize": {"@value": str(entry.get("bytes", 0)), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": f"spdx:checksumAlgorithm_{algorithm or 'sha256'}"},
            "spdx:checksumValue": {"@value": value, "@type": "xsd:hexBinary"},
        },
        "dct:license": _licence(config),
    }


def dataset(config: CatalogConfig, version: Released, previous: Released | None) -> dict:
    """One released version as a dcat:Dataset."""
    meta = version.descriptor
    year = meta.get("fiscal_year")
    phase_zh, phase_en = PHASES.get(str(meta.get("phase")), ("", ""))
    if meta.get("edition") == "unit":  # a unit's own 单位预算 / 单位决算
        phase_zh, phase_en = phase_zh.replace("部门", "单位"), phase_en.replace("departmental", "unit")
    department = (meta.get("department") or {}).get("name", "")
    region = meta.get("region") or {}
    descriptor_bytes = (version.path / "datapackage.json").read_bytes()
    entries = [
        {
            "path": "datapackage.json",
            "title": "datapackage.json (Frictionless Data Package descriptor)",
            "hash": "sha256:" + hashlib.sha256(descriptor_bytes).hexdigest(),
            "bytes": len(descriptor_bytes),
        },
        {"title": "The package as one JSON document", **meta["json_document"]},
        *meta.get("resources", []),
    ]
    described: dict = {
        "@id": _iri(config, f"{version.name}/{version.version}/"),
        "@type": "dcat:Dataset",
        "dct:identifier": f"{version.name}@{version.version}",
        "dct:title": f"{department} {year} 年{phase_zh} ({phase_en}), v{version.version}",
        "dct:description": (
            f"{meta.get('title', '')}: every table of the disclosure on the budgetpub standard budget schema "
            f"(amounts in CNY yuan), converted from {meta.get('source', {}).get('file', 'the published text')}."
        ),
        "dct:publisher": _publisher(config),
        "dct:creator": {"@type": "foaf:Agent", "foaf:name": department},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{year}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{year}-12-31", "@type": "xsd:date"},
        },
        "dct:spatial": {
            "@type": "dct:Location",
            "dct:identifier": region.get("code", ""),
            "skos:prefLabel": {"@value": region.get("name", ""), "@language": "zh"},
        },
        "dct:license": _licence(config),
        "dct:rights": {"@type": "dct:RightsStatement", "dct:description": config.rights} if config.rights else None,
        "dct:language": config.language,
        "dcat:keyword": sorted({*config.keywords, department, region.get("name", ""), str(year), phase_zh} - {""}),
        "dcat:theme": "public finance",
        "dct:issued": {"@value": meta.get("released", ""), "@type": "xsd:date"},
        "dcat:version": version.version,
        "adms:versionNotes": meta.get("version_notes", ""),
        "dcat:distribution": [distribution(config, version, e) for e in entries],
    }
    if previous is not None:
        described["dcat:previousVersion"] = {"@id": _iri(config, f"{previous.name}/{previous.version}/")}
    return {k: v for k, v in described.items() if v is not None}


def package_dataset(config: CatalogConfig, name: str, history: list[Released]) -> dict:
    """One package of the catalog: a dataset with its versions."""
    versions = [dataset(config, v, history[i - 1] if i else None) for i, v in enumerate(history)]
    current = versions[-1]
    return {
        "@id": _iri(config, f"{name}/"),
        "@type": "dcat:Dataset",
        "dct:identifier": name,
        "dct:title": current["dct:title"].rsplit(", v", 1)[0],
        "dct:description": current["dct:description"],
        "dct:publisher": current["dct:publisher"],
        "dct:temporal": current["dct:temporal"],
        "dct:spatial": current["dct:spatial"],
        "dct:license": current["dct:license"],
        "dcat:keyword": current["dcat:keyword"],
        "dcat:version": current["dcat:version"],
        "adms:versionNotes": current["adms:versionNotes"],
        "dcat:distribution": current["dcat:distribution"],
        "dcat:hasCurrentVersion": {"@id": current["@id"]},
        "dcat:hasVersion": versions,
    }


def catalog_head(config: CatalogConfig) -> dict:
    """The catalog without its datasets."""
    return {
        "@context": CONTEXT,
        "@id": _iri(config, "catalog.json"),
        "@type": "dcat:Catalog",
        "dct:title": config.title,
        "dct:description": config.description,
        "dct:publisher": _publisher(config),
        "dct:license": _licence(config),
        "dct:language": config.language,
        "dcat:dataset": [],
    }


def catalog(config: CatalogConfig, released: dict[str, list[Released]]) -> dict:
    """The whole catalog: one dataset per package, with its versions."""
    return catalog_head(config) | {
        "dcat:dataset": [package_dataset(config, name, released[name]) for name in sorted(released)]
    }
