"""A release that costs what changed: content hashes, index files merged, SQLite updated in place.

The store's two listings of every package, `index.json` and `catalog.json`, are written as
`json.dumps(..., indent=2)` writes them, one package per item of their list. A release rewrites
only the items of the packages it changes: it reads the file it replaces line by line, copies
the other items as they are and writes the new ones in their place (by name, in order), so its
memory does not grow with the store and the result is byte for byte a rebuild's. A file that
does not have that layout (edited by hand, or the catalog's settings changed in budgetpub.toml)
is rebuilt from the version folders instead, one package at a time.

budgetpub.sqlite is updated in place, in one SQLite transaction (atomic when killed): the rows
of the packages whose latest version differs from the database's `packages` table are replaced.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from release.store import JOURNAL_NAME, Released, checkpoint, package_names, versions

RELEASE_KEYS = ("version", "released", "version_notes")  # what a release adds to a descriptor
RELEASE_FILES = ("diff.json",)  # what a release adds to a package folder
_ITEMS = "@@budgetpub-listing-items@@"


def content_hash(folder: Path) -> str:
    """The sha256 of a package's content, the same for a converted package and its release:
    every file but what a release adds (diff.json; version, release date and notes in the
    descriptor). Equal hashes mean a release would release nothing new."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative in RELEASE_FILES or relative.startswith("."):
            continue
        if relative == "datapackage.json":
            descriptor = json.loads(path.read_bytes())
            kept = {k: v for k, v in descriptor.items() if k not in RELEASE_KEYS}
            data = json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8")
        else:
            data = path.read_bytes()
        digest.update(f"{relative}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()


def journal_names(store: Path) -> list[str]:
    """The packages an interrupted release's journal names (none without a readable journal)."""
    try:
        journal = json.loads((store / JOURNAL_NAME).read_bytes())
        return sorted({str(name) for name, _ in journal["versions"]})
    except (OSError, ValueError, KeyError, TypeError):
        return []


# --- listings: index.json and catalog.json, item by item -------------------------------------


def _split(head: dict, key: str) -> tuple[str, str]:
    """The text of a listing before and after its list of items, as json.dumps(indent=2) writes it."""
    text = json.dumps({**head, key: _ITEMS}, ensure_ascii=False, indent=2)
    before, after = text.split(f'"{_ITEMS}"')
    return before, after + "\n"


def item_text(item: dict) -> str:
    """One item of a listing's list, indented as json.dumps(indent=2) indents it there."""
    return "\n".join("    " + line for line in json.dumps(item, ensure_ascii=False, indent=2).split("\n"))


def _write_items(handle: IO[str], before: str, after: str, items: Iterable[str]) -> None:
    handle.write(before + "[")
    empty = True
    for text in items:
        handle.write(("\n" if empty else ",\n") + text)
        empty = False
    handle.write("]" if empty else "\n  ]")
    handle.write(after)


def write_listing(path: Path, head: dict, key: str, items: Iterable[str]) -> None:
    """A listing from its items' texts, streamed (never the whole list in memory)."""
    before, after = _split(head, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        _write_items(handle, before, after, items)


_SEPARATOR = b"\n    },\n    {\n"  # between two items: the end of one, the start of the next
_BLOCK = 1 << 22  # bytes read at a time: memory holds a block and an item, whatever the listing's size


def _items(handle: IO[bytes], before: bytes, after: bytes, name_key: str) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each item of a listing, read a block at a time and found without parsing
    the items (a few searches each); ValueError when the listing is not laid out as write_listing
    lays it out."""
    if handle.read(len(before)) != before:
        raise ValueError("another head")
    opening = handle.read(2)
    if opening == b"[]":
        if handle.read() != after:
            raise ValueError("another ending")
        return
    if opening != b"[\n":
        raise ValueError("not a list")
    key = f'\n      "{name_key}": '.encode()
    ending = b"\n  ]" + after
    buffer, position, previous, more = b"", 0, "", True

    def named(item: bytes) -> str:
        nonlocal previous
        found = item.find(key)
        if not item.startswith(b"    {\n") or found < 0:
            raise ValueError("an item without a name")
        line_end = item.find(b"\n", found + len(key))
        name = json.loads(item[found + len(key) : line_end].rstrip(b","))
        if not isinstance(name, str) or name <= previous:
            raise ValueError("names out of order")
        previous = name
        return name

    while True:
        boundary = buffer.find(_SEPARATOR, position)
        if boundary < 0 and more:
            block = handle.read(_BLOCK)
            more = bool(block)
            buffer, position = buffer[position:] + block, 0
            continue
        if boundary < 0:  # the last item
            if not buffer.endswith(ending) or len(buffer) - len(ending) <= position:
                raise ValueError("another ending")
            item = buffer[position : len(buffer) - len(ending)]
            yield named(item), item
            return
        item = buffer[position : boundary + len(b"\n    }")]
        yield named(item), item
        position = boundary + len(b"\n    },\n")


def merge_listing(
    old: Path, new: Path, head: dict, key: str, name_key: str, names: set[str], make: Callable[[str], dict]
) -> bool:
    """Write `new`: the listing `old` with the items of `names` made again by `make` and put in
    (by name, in order), the others copied as they are, as bytes. False, with nothing written,
    when `old` is missing or laid out otherwise, or when an item it holds is not what `make` now
    makes of it (the settings changed): the caller rebuilds the listing."""
    if not old.is_file():
        return False
    before, after = _split(head, key)
    pending = sorted(names)
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        with old.open("rb") as source, new.open("wb") as target:
            target.write(before.encode() + b"[")
            first = True
            checked = False

            def put(text: bytes) -> None:
                nonlocal first
                target.write(b"\n" if first else b",\n")
                target.write(text)
                first = False

            for name, item in _items(source, before.encode(), after.encode(), name_key):
                while pending and pending[0] < name:
                    put(item_text(make(pending.pop(0))).encode())
                if pending and pending[0] == name:
                    put(item_text(make(pending.pop(0))).encode())
                    continue
                if not checked:  # one item made again: the listing's settings are still these
                    if item_text(make(name)).encode() != item:
                        raise ValueError("made otherwise now")
                    checked = True
                put(item)
            while pending:
                put(item_text(make(pending.pop(0))).encode())
            target.write((b"]" if first else b"\n  ]") + after.encode())
    except (ValueError, OSError, KeyError):
        new.unlink(missing_ok=True)
        return False
    return True


def update_listing(
    old: Path,
    new: Path,
    head: dict,
    key: str,
    name_key: str,
    names: set[str],
    make: Callable[[str], dict],
    store: Path,
) -> None:
    """`new` as `old` merged with the items of `names`, or rebuilt from every package of the store
    when `old` cannot be merged."""
    if merge_listing(old, new, head, key, name_key, names, make):
        return
    write_listing(new, head, key, (item_text(make(name)) for name in sorted(set(package_names(store)) | names)))


# --- budgetpub.sqlite, in place ----------------------------------------------------------------

SQLITE_NAME = "budgetpub.sqlite"
_TYPES = {"integer": "INTEGER", "boolean": "INTEGER"}


def _tables(connection: sqlite3.Connection) -> dict[str, list[str]]:
    """The resource tables of a database and their columns (without `package`)."""
    names = [
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'packages'")
    ]
    return {n: [r[1] for r in connection.execute(f'PRAGMA table_info("{n}")')][1:] for n in names}


def create_packages_table(connection: sqlite3.Connection) -> None:
    connection.execute(
        "CREATE TABLE packages (package TEXT PRIMARY KEY, version TEXT, title TEXT, fiscal_year INTEGER,"
        " phase TEXT, department_code TEXT, department_name TEXT, region_code TEXT, region_name TEXT)"
    )


def insert_package(connection: sqlite3.Connection, tables: dict[str, list[str]], current: Released) -> None:
    """The latest version of one package: its `packages` row and its rows of every resource table
    (a table is created, with an index on `package`, by the first package that has the resource)."""
    meta = current.descriptor
    name = current.name
    connection.execute(
        "INSERT INTO packages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
            current.version,
            meta.get("title"),
            meta.get("fiscal_year"),
            meta.get("phase"),
            (meta.get("department") or {}).get("code"),
            (meta.get("department") or {}).get("name"),
            (meta.get("region") or {}).get("code"),
            (meta.get("region") or {}).get("name"),
        ),
    )
    for resource in meta.get("resources", []):
        fields = resource["schema"]["fields"]
        table = resource["name"]
        if table not in tables:
            declared = ", ".join(f'"{f["name"]}" {_TYPES.get(f["type"], "TEXT")}' for f in fields)
            connection.execute(f'CREATE TABLE "{table}" (package TEXT, {declared})')
            connection.execute(f'CREATE INDEX "{table}_package" ON "{table}" (package)')
            tables[table] = [f["name"] for f in fields]
        known = tables[table]
        with (current.path / resource["path"]).open(encoding="utf-8", newline="") as handle:
            rows = [
                [name, *[(row.get(c) if row.get(c) != "" else None) for c in known]] for row in csv.DictReader(handle)
            ]
        placeholders = ", ".join("?" for _ in range(len(known) + 1))
        connection.executemany(f'INSERT INTO "{table}" VALUES ({placeholders})', rows)


def build_sqlite(path: Path, store: Path) -> None:
    """A new database of the latest version of every package, read one package at a time."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        create_packages_table(connection)
        tables: dict[str, list[str]] = {}
        for name in package_names(store):
            found = versions(store, name)
            if found:
                insert_package(connection, tables, found[-1])
        connection.commit()
    finally:
        connection.close()


def _latest_listed(store: Path) -> dict[str, str] | None:
    """Each package's latest version as the store's index.json lists it (None: no usable index),
    read item by item: not the whole index in memory."""
    from release.api import root_head

    before, after = _split(root_head(), "packages")
    key = b'\n      "latest": '
    listed: dict[str, str] = {}
    try:
        with (store / "index.json").open("rb") as handle:
            for name, item in _items(handle, before.encode(), after.encode(), "name"):
                found = item.find(key)
                if found < 0:
                    return None
                latest = json.loads(item[found + len(key) : item.find(b"\n", found + len(key))].rstrip(b","))
                listed[name] = str(latest)
    except (OSError, ValueError):
        return None
    return listed


def sqlite_current(store: Path) -> bool:
    """budgetpub.sqlite exists and is not older than the store's index.json, which every release
    that changes the store rewrites."""
    database = store / SQLITE_NAME
    index = store / "index.json"
    if not database.is_file():
        return False
    return not index.is_file() or database.stat().st_mtime_ns >= index.stat().st_mtime_ns


def update_sqlite(store: Path) -> bool:
    """Bring an existing budgetpub.sqlite up to the store in place: the packages whose latest
    version is not the database's are replaced, in one transaction. False when the database or
    the index cannot be used (the caller builds a new database)."""
    database = store / SQLITE_NAME
    listed = _latest_listed(store)
    if listed is None or not database.is_file():
        return False
    try:
        connection = sqlite3.connect(database)
    except sqlite3.Error:
        return False
    try:
        held = dict(connection.execute("SELECT package, version FROM packages").fetchall())
        tables = _tables(connection)
        for table in tables:  # a database built before packages were indexed
            connection.execute(f'CREATE INDEX IF NOT EXISTS "{table}_package" ON "{table}" (package)')
        stale = sorted(n for n in set(listed) | set(held) if listed.get(n) != held.get(n))
        for name in stale:
            for table in tables:
                connection.execute(f'DELETE FROM "{table}" WHERE package = ?', (name,))
            connection.execute("DELETE FROM packages WHERE package = ?", (name,))
            if name in listed:
                version = store / name / listed[name]
                if not (version / "datapackage.json").is_file():
                    raise sqlite3.DatabaseError(f"{name} {listed[name]} has no folder")
                insert_package(connection, tables, Released(name, listed[name], version))
        checkpoint("sqlite")
        connection.commit()
    except (sqlite3.Error, OSError, ValueError, KeyError):
        connection.rollback()
        return False
    finally:
        connection.close()
    index = store / "index.json"
    now = max(time.time_ns(), index.stat().st_mtime_ns if index.is_file() else 0)
    os.utime(database, ns=(now, now))  # current, even when nothing had to change
    return True
