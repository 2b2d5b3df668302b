"""Validation results kept by content: a package validated once is not validated again.

The key is the sha256 of every file of the package folder (path and bytes), of the folder's name
and its parent's (a released version is checked against them), and of the validator itself (the
sources of validate/ and converter/ and every file of the standard, schema/): a changed byte, a
moved folder or another budgetpub gives another key. Entries are small JSON files written
atomically, so processes validating at once share the cache safely.

    BUDGETPUB_CACHE=DIR    where the cache lives (default: build/cache/ of the checkout, else
                           $XDG_CACHE_HOME/budgetpub or ~/.cache/budgetpub); BUDGETPUB_CACHE=off
                           validates everything afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from converter.locations import CHECKOUT, HOME, SCHEMA_DIR
from converter.report import Finding

VARIABLE = "BUDGETPUB_CACHE"
_SOURCES = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "converter")


def cache_dir() -> Path | None:
    """The folder of the validation cache; None when turned off."""
    chosen = os.environ.get(VARIABLE)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    if CHECKOUT:
        return HOME / "build" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "budgetpub"


@cache
def validator_fingerprint() -> str:
    """The sha256 of what decides a package's findings: budgetpub's checks and its standard."""
    digest = hashlib.sha256()
    for root in (*_SOURCES, SCHEMA_DIR):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if root != SCHEMA_DIR and path.suffix != ".py":
                continue
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def package_key(folder: Path) -> str:
    """The cache key of a package folder as it is now."""
    digest = hashlib.sha256(f"{validator_fingerprint()}\0{folder.parent.name}\0{folder.name}\n".encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _entry(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / "validate" / key[:2] / f"{key}.json"


def cached(key: str) -> tuple[str, list[Finding]] | None:
    """(package name, findings) validated before under this key, or None."""
    path = _entry(key)
    if path is None:
        return None
    try:
        entry = json.loads(path.read_bytes())
        return str(entry["name"]), [Finding(**f) for f in entry["findings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(key: str, name: str, findings: list[Finding]) -> None:
    """Keep a package's findings; a cache that cannot be written is only a slower next run."""
    path = _entry(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(
            json.dumps({"name": name, "findings": [f.as_dict() for f in findings]}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(temporary, path)
    except OSError:
        pass
