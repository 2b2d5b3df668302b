"""What changed between two versions of a package: metadata, schemas, rows and values.

Rows are matched by the resource's primary key; a resource keyed only by source line (or not
keyed) is compared as a set of rows without their line numbers, so a line moving in the source
is not a change. The level of a change decides the next version: a removed resource or field is
breaking (major), an added one is a feature (minor), anything else that differs is a correction
(patch).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

# Descriptor keys that describe a release or a file, not the content.
RELEASE_KEYS = {"version", "released", "version_notes", "resources", "json_document", "xbrl"}
LEVELS = ("patch", "minor", "major")


def _flatten(meta: dict) -> dict[str, object]:
    """Descriptor metadata with nested objects spelled out (source.encoding), so a diff names the key."""
    flat: dict[str, object] = {}
    for key, value in meta.items():
        if isinstance(value, dict) and key not in RELEASE_KEYS:
            for inner, item in value.items():
                flat[f"{key}.{inner}"] = item
        else:
            flat[key] = value
    return flat


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _rows(folder: Path, resource: dict) -> list[dict[str, str]]:
    text = (folder / resource["path"]).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# Fields that say where a row is, not what it says: a row moving in the source is not a change.
POSITION = ("source_line", "line")


def _key_fields(resource: dict) -> list[str] | None:
    key = resource.get("schema", {}).get("primaryKey")
    if not key or all(field in POSITION for field in key):
        return None
    return list(key)


def _resource_changes(old: list[dict], new: list[dict], key: list[str] | None, fields: list[str]) -> dict:
    if key:
        old_by = {tuple(r.get(k, "") for k in key): r for r in old}
        new_by = {tuple(r.get(k, "") for k in key): r for r in new}
        changed = []
        for k in sorted(set(old_by) & set(new_by)):
            for field in fields:
                if field in POSITION:
                    continue
                before, after = old_by[k].get(field), new_by[k].get(field)
                if before != after and not (before is None or after is None):
                    changed.append({"key": "/".join(k), "field": field, "old": before, "new": after})
        return {
            "added": ["/".join(k) for k in sorted(set(new_by) - set(old_by))],
            "removed": ["/".join(k) for k in sorted(set(old_by) - set(new_by))],
            "changed": changed,
        }
    common = [f for f in fields if f not in POSITION]

    def identity(row: dict) -> str:
        return json.dumps([row.get(f, "") for f in common], ensure_ascii=False)

    before, after = Counter(identity(r) for r in old), Counter(identity(r) for r in new)
    return {
        "added": sorted((after - before).elements()),
        "removed": sorted((before - after).elements()),
        "changed": [],
    }


def diff_packages(old: Path, new: Path) -> dict:
    """The differences between two package folders, as plain data (what `budgetpub diff` prints)."""
    old_meta, new_meta = _descriptor(old), _descriptor(new)
    old_flat, new_flat = _flatten(old_meta), _flatten(new_meta)
    metadata = [
        {"field": k, "old": old_flat.get(k), "new": new_flat.get(k)}
        for k in sorted(set(old_flat) | set(new_flat))
        if k.split(".")[0] not in RELEASE_KEYS and old_flat.get(k) != new_flat.get(k)
    ]
    old_resources = {r["name"]: r for r in old_meta.get("resources", [])}
    new_resources = {r["name"]: r for r in new_meta.get("resources", [])}
    schema: list[dict] = []
    resources: dict[str, dict] = {}
    for name in sorted(set(old_resources) - set(new_resources)):
        schema.append({"resource": name, "change": "resource removed", "level": "major"})
    for name in sorted(set(new_resources) - set(old_resources)):
        schema.append({"resource": name, "change": "resource added", "level": "minor"})
    for name in sorted(set(old_resources) & set(new_resources)):
        old_fields = [f["name"] for f in old_resources[name].get("schema", {}).get("fields", [])]
        new_fields = [f["name"] for f in new_resources[name].get("schema", {}).get("fields", [])]
        for field in old_fields:
            if field not in new_fields:
                schema.append({"resource": name, "field": field, "change": "field removed", "level": "major"})
        for field in new_fields:
            if field not in old_fields:
                schema.append({"resource": name, "field": field, "change": "field added", "level": "minor"})
        if old_resources[name].get("hash") == new_resources[name].get("hash"):
            continue
        changes = _resource_changes(
            _rows(old, old_resources[name]),
            _rows(new, new_resources[name]),
            _key_fields(new_resources[name]),
            [f for f in new_fields if f in old_fields],
        )
        if any(changes.values()):
            resources[name] = changes
    return {
        "old": {"name": old_meta.get("name"), "version": old_meta.get("version")},
        "new": {"name": new_meta.get("name"), "version": new_meta.get("version")},
        "metadata": metadata,
        "schema": schema,
        "resources": resources,
    }


def change_level(diff: dict) -> str | None:
    """major, minor, patch, or None when the content is the same."""
    levels = [s["level"] for s in diff["schema"]]
    if diff["metadata"] or diff["resources"]:
        levels.append("patch")
    if not levels:
        return None
    return max(levels, key=LEVELS.index)


def removals(diff: dict) -> list[str]:
    """What a new version takes away: removed resources and fields, and rows lost net of rows added
    (a corrected key is one row out and one in, not a loss). Releasing them must be asked for."""
    taken = [
        f"resource {c['resource']}" if c["change"] == "resource removed" else f"field {c['resource']}.{c['field']}"
        for c in diff["schema"]
        if c["change"] in ("resource removed", "field removed")
    ]
    for name, changes in diff["resources"].items():
        lost = len(changes["removed"]) - len(changes["added"])
        if lost > 0:
            taken.append(f"{lost} row(s) of {name}")
    return taken


def same_package(diff: dict) -> bool:
    """Two folders are versions of one package only when their names agree; otherwise a diff
    lists differences but has no release level."""
    return diff["old"].get("name") == diff["new"].get("name")


def summary_lines(diff: dict, limit: int = 20) -> list[str]:
    """The diff in plain language, one change per line, longest lists cut to `limit`."""
    lines = [f"{m['field']}: {m['old']!r} → {m['new']!r}" for m in diff["metadata"]]
    for change in diff["schema"]:
        where = f"{change['resource']}.{change['field']}" if change.get("field") else change["resource"]
        lines.append(f"{where}: {change['change']} ({change['level']})")
    for name, changes in diff["resources"].items():
        for item in changes["changed"][:limit]:
            lines.append(
                f"{name} {item['key']} {item['field']}: {item['old'] or '(blank)'} → {item['new'] or '(blank)'}"
            )
        if len(changes["changed"]) > limit:
            lines.append(f"{name}: … and {len(changes['changed']) - limit} more values changed")
        for kind in ("added", "removed"):
            if changes[kind]:
                shown = ", ".join(changes[kind][:3])
                more = f" and {len(changes[kind]) - 3} more" if len(changes[kind]) > 3 else ""
                lines.append(f"{name}: {len(changes[kind])} row(s) {kind}: {shown}{more}")
    return lines
