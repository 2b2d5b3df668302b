"""The Frictionless library itself accepts every released version in datapackages/ (what portals and
users download), with its own command as well as its API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from frictionless import Package

ROOT = Path(__file__).resolve().parent.parent
RELEASED = sorted((ROOT / "datapackages").glob("*/*/datapackage.json"))


def test_every_released_version_is_valid_for_frictionless():
    assert len(RELEASED) >= 7 and {p.parent.parent.name for p in RELEASED} == {
        p.name for p in (ROOT / "datapackages").iterdir() if p.is_dir() and not p.name.startswith(".")
    }
    for descriptor in RELEASED:
        report = Package(str(descriptor)).validate()
        assert report.valid, (descriptor, report.flatten(["rowNumber", "fieldName", "type", "note"]))


def test_the_frictionless_command_accepts_the_latest_release_of_each_package():
    latest: dict[str, Path] = {}
    for descriptor in RELEASED:  # sorted by folder: the version folders of a package in order
        name = descriptor.parent.parent.name
        index = json.loads((descriptor.parent.parent / "index.json").read_text(encoding="utf-8"))
        if descriptor.parent.name == index["latest"]:
            latest[name] = descriptor
    assert len(latest) == len({p.parent.parent.name for p in RELEASED})
    command = str(Path(sys.executable).parent / "frictionless")
    for descriptor in latest.values():
        done = subprocess.run([command, "validate", "--json", str(descriptor)], capture_output=True, text=True)
        assert done.returncode == 0 and json.loads(done.stdout)["valid"] is True, (descriptor, done.stdout[-2000:])
