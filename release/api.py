"""The release folder as a static JSON API, its changelogs, and one SQLite database of it all.

    datapackages/index.json                      every package, its versions and their URLs
    datapackages/<name>/index.json               one package: versions, each with its URLs and notes
    datapackages/<name>/<version>/<name>.json    the package as one JSON document (never changes)
    datapackages/<name>/<version>/diff.json      what changed from the previous version
    datapackages/<name>/CHANGELOG.md             the same, for people

URLs are relative to the folder, so it can be served from anywhere as plain files.
"""

from __future__ import annotations

import json
from pathlib import Path

from converter.schema import SCHEMA_VERSION
from release.diff import change_level, removals, summary_lines
from release.store import Released


def version_entry(version: Released) -> dict:
    meta = version.descriptor
    base = f"{version.name}/{version.version}"
    return {
        "version": version.version,
        "released": meta.get("released", ""),
        "notes": meta.get("version_notes", ""),
        "datapackage": f"{base}/datapackage.json",
        "json": f"{base}/{meta['json_document']['path']}",
        "diff": f"{base}/diff.json",
        "files": {r["name"]: f"{base}/{r['path']}" for r in meta.get("resources", [])},
    }


def package_entry(history: list[Released]) -> dict:
    current = history[-1]
    meta = current.descriptor
    return {
        "name": current.name,
        "title": meta.get("title", ""),
        "fiscal_year": meta.get("fiscal_year"),
        "phase": meta.get("phase"),
        "department": meta.get("department"),
        "region": meta.get("region"),
        "latest": current.version,
        "index": f"{current.name}/index.json",
        "changelog": f"{current.name}/CHANGELOG.md",
        "versions": [version_entry(v) for v in history],
    }


def root_entry(history: list[Released]) -> dict:
    """One package's item of the root index.json."""
    return {k: v for k, v in package_entry(history).items() if k != "versions"} | {
        "latest_json": version_entry(history[-1])["json"]
    }


def root_head() -> dict:
    """The root index.json without its packages."""
    return {"schema_version": SCHEMA_VERSION, "catalog": "catalog.json", "packages": []}


def root_index(released: dict[str, list[Released]]) -> dict:
    return root_head() | {"packages": [root_entry(released[name]) for name in sorted(released)]}


def changelog_entry(version: str, released: str, level: str | None, diff: dict | None) -> str:
    """A CHANGELOG.md section for one version."""
    lines = [f"## {version} ({released})", ""]
    if diff is None:
        lines.append("- First release.")
    else:
        lines.append(
            f"- {level} release: "
            + {
                "major": "a breaking change of the standard (a field or resource renamed or removed).",
                "minor": "fields or resources added.",
                "patch": "published values or metadata corrected.",
            }.get(str(level), "changes.")
        )
        taken = removals(diff)
        if taken:
            lines.append(f"- Removes data: {'; '.join(taken)}.")
        lines += [f"- {line}" for line in summary_lines(diff)]
    return "\n".join(lines) + "\n"


def _stored_diff(version: Released) -> dict | None:
    """A version's diff.json, or None for a first release."""
    path = version.path / "diff.json"
    if not path.is_file():
        return None
    diff = json.loads(path.read_text(encoding="utf-8"))
    return None if diff.get("first_release") else diff


def changelog_text(name: str, history: list[Released]) -> str:
    """CHANGELOG.md rebuilt from the version folders (their diff.json and release dates), newest
    first, so it can always be rewritten to match the store, after a crash as after a release."""
    entries = []
    for version in reversed(history):
        diff = _stored_diff(version)
        level = change_level(diff) if diff is not None else None
        entries.append(changelog_entry(version.version, version.descriptor.get("released", ""), level, diff) + "\n")
    return f"# {name}\n\n" + "".join(entries)


def version_notes(level: str | None, diff: dict | None) -> str:
    if diff is None:
        return "First release."
    changes = summary_lines(diff, limit=3)
    head = f"{level} release: {len(changes)} change(s)"
    taken = removals(diff)
    if taken:
        head += f"; removes {'; '.join(taken)}"
    return head + (": " + "; ".join(changes[:3]) if changes else "")


def write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
