"""A package's content as the checks see it: metadata and typed rows, from memory or from disk."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

# One printed unit of the last digit, in yuan: 0.01 万元 = 100 yuan; 0.01 元 = 0.01 yuan.
STEPS = {"万元": Decimal(100), "千元": Decimal(10), "元": Decimal("0.01")}


@dataclass
class PackageData:
    descriptor: dict
    resources: dict[str, list[dict]] = field(default_factory=dict)
    printed_units: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def rows(self, name: str) -> list[dict]:
        return self.resources.get(name, [])

    def step(self, name: str) -> Decimal:
        return STEPS.get(self.printed_units.get(name, "万元"), Decimal(100))


def _typed(value: str, kind: str) -> object:
    if value == "":
        return None
    if kind == "number":
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "boolean":
        return value.lower() in ("true", "1", "yes")
    return value


def read_resource(base: Path, resource: dict) -> list[dict]:
    """Rows of a CSV resource typed by its Table Schema (numbers as Decimal, never float)."""
    types = {f["name"]: f.get("type", "string") for f in resource.get("schema", {}).get("fields", [])}
    with (base / resource["path"]).open(encoding="utf-8", newline="") as handle:
        return [{k: _typed(v or "", types.get(k, "string")) for k, v in row.items()} for row in csv.DictReader(handle)]


def load_package(descriptor_path: Path) -> PackageData:
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    base = descriptor_path.parent
    pkg = PackageData(descriptor=descriptor, path=base)
    for resource in descriptor.get("resources", []):
        path = str(resource.get("path", ""))
        if (
            path.endswith(".csv")
            and ".." not in Path(path).parts
            and not Path(path).is_absolute()
            and (base / path).exists()
        ):
            pkg.resources[resource["name"]] = read_resource(base, resource)
        if "printed_unit" in resource:
            pkg.printed_units[resource["name"]] = resource["printed_unit"]
    return pkg
