"""An incremental release: an unchanged package is neither validated nor written again, and the
store's listings and SQLite, updated in place, are what a rebuild from the folders gives."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import release
from release import rebuild_store, release_packages
from release.incremental import content_hash
from tests.test_store_safety import CITY, CITY_TEXT, CORRECTED, EDZ, convert_text, store_copy, store_errors, tree


def rows_of(database: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted: what a database holds, whatever the order it was written in."""
    with sqlite3.connect(database) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def test_the_content_hash_of_a_release_is_its_source_s(tmp_path):
    build = convert_text(tmp_path, CITY_TEXT, tmp_path / "build")
    store = tmp_path / "store"
    release_packages(build, store, date="2026-11-22", sqlite=False)
    # the release added diff.json and version, date and notes to the descriptor: not content
    assert content_hash(store / CITY / "1.0.0") == content_hash(build / CITY)
    corrected = convert_text(tmp_path, CORRECTED, tmp_path / "corrected")
    assert content_hash(corrected / CITY) != content_hash(build / CITY)


def test_an_unchanged_package_is_not_validated_again(tmp_path, monkeypatch):
    build = convert_text(tmp_path, CITY_TEXT, tmp_path / "build")
    store = tmp_path / "store"
    release_packages(build, store, date="2026-11-22", sqlite=False)
    validated: list[list[Path]] = []
    real = release._validate
    monkeypatch.setattr(release, "_validate", lambda folders: validated.append(list(folders)) or real(folders))
    before = tree(store)
    result = release_packages(build, store, date="2026-12-01", sqlite=False)
    assert [(p.status, p.version) for p in result.packages] == [("unchanged", "1.0.0")]
    assert validated == [[]] and tree(store) == before
    corrected = convert_text(tmp_path, CORRECTED, tmp_path / "corrected")
    result = release_packages(corrected, store, date="2026-12-01", sqlite=False)
    assert validated[-1] == [corrected / CITY]  # changed content is validated
    assert [(p.status, p.version) for p in result.packages] == [("released", "1.0.1")]


def test_listings_updated_in_place_are_a_rebuild_s(tmp_path):
    """The project's store (seven packages) with a correction released: its
    index.json and catalog.json, merged item by item, equal those made again from every folder."""
    store = store_copy(tmp_path)
    release.ensure_sqlite(store)  # built from the folders: the release below updates it in place
    inode = (store / "budgetpub.sqlite").stat().st_ino
    build = convert_text(tmp_path, CORRECTED, tmp_path / "build")
    result = release_packages(build, store, date="2026-12-01")
    assert (store / "budgetpub.sqlite").stat().st_ino == inode  # the same file, not a new one
    assert [(p.name, p.status) for p in result.packages] == [(CITY, "released")]
    assert store_errors(store) == []
    merged = tree(store)
    incremental_rows = rows_of(store / "budgetpub.sqlite")
    rebuild_store(store)
    assert tree(store) == merged
    assert rows_of(store / "budgetpub.sqlite") == incremental_rows
    listed = json.loads((store / "index.json").read_text(encoding="utf-8"))
    assert len(listed["packages"]) == 7
    with sqlite3.connect(store / "budgetpub.sqlite") as db:
        corrected = next(p.version for p in result.packages if p.name == CITY)  # a patch on the store's latest
        assert corrected.endswith(".1")
        assert db.execute("SELECT version FROM packages WHERE package = ?", (CITY,)).fetchall() == [(corrected,)]
        amount = db.execute(
            "SELECT amount FROM three_public_expenses WHERE package = ? AND basis = 'budget' AND item = 'total'",
            (CITY,),
        ).fetchall()
        assert amount == [("535800.00",)]  # the corrected 53.58 万元, once


def test_a_listing_made_with_other_settings_is_rebuilt(tmp_path):
    """The catalog's settings changed in budgetpub.toml: every dataset changes, not only the new one's."""
    store = store_copy(tmp_path)
    config = tmp_path / "budgetpub.toml"
    config.write_text('[catalog]\ntitle = "budgetpub"\nkeywords = ["预算公开"]\n', encoding="utf-8")
    build = convert_text(tmp_path, CORRECTED, tmp_path / "build")
    release_packages(build, store, date="2026-12-01", config_path=config, sqlite=False)
    catalog = json.loads((store / "catalog.json").read_text(encoding="utf-8"))
    assert all("预算公开" in d["dcat:keyword"] for d in catalog["dcat:dataset"])
    assert store_errors(store) == []


def test_a_new_package_joins_the_listings_in_order(tmp_path):
    store = tmp_path / "store"
    release_packages(convert_text(tmp_path, CITY_TEXT, tmp_path / "b1"), store, date="2026-11-22")
    from converter import convert_file
    from tests.conftest import EDZ_2023

    edz = tmp_path / "b2"
    assert convert_file(EDZ_2023, edz).status == "converted"
    release_packages(edz, store, date="2026-11-23")
    names = [p["name"] for p in json.loads((store / "index.json").read_text(encoding="utf-8"))["packages"]]
    assert names == sorted([CITY, EDZ])
    merged = tree(store)
    rebuild_store(store)
    assert tree(store) == merged
    with sqlite3.connect(store / "budgetpub.sqlite") as db:
        assert sorted(db.execute("SELECT package, version FROM packages")) == [(CITY, "1.0.0"), (EDZ, "1.0.0")]


def test_a_release_killed_while_updating_sqlite_in_place_is_finished(tmp_path):
    """Killed inside the SQLite transaction (SIGKILL): the database rolls back by itself and the
    next release brings it up to the store."""
    import os
    import subprocess
    import sys

    from release.store import KILL_VARIABLE
    from tests.test_store_safety import KILL_SCRIPT, ROOT

    store = tmp_path / "store"
    release_packages(convert_text(tmp_path, CITY_TEXT, tmp_path / "b1"), store, date="2026-11-22")
    build = convert_text(tmp_path, CORRECTED, tmp_path / "build")
    killed = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(build), str(store)],
        cwd=ROOT,
        env={**os.environ, KILL_VARIABLE: "sqlite"},
        timeout=600,
    )
    assert killed.returncode == -9
    with sqlite3.connect(store / "budgetpub.sqlite") as db:  # rolled back: the version before
        assert db.execute("SELECT version FROM packages").fetchall() == [("1.0.0",)]
    assert release_packages(build, store, date="2026-12-01").packages[0].status == "unchanged"
    with sqlite3.connect(store / "budgetpub.sqlite") as db:
        assert db.execute("SELECT version FROM packages").fetchall() == [("1.0.1",)]
    assert not (store / "budgetpub.sqlite-journal").exists() and store_errors(store) == []
    incremental = rows_of(store / "budgetpub.sqlite")
    rebuild_store(store)
    assert rows_of(store / "budgetpub.sqlite") == incremental


@pytest.mark.parametrize("block", [7, 1 << 22])  # read a few bytes at a time, or megabytes
def test_the_store_s_listings_are_merged_item_by_item(tmp_path, monkeypatch, block):
    """The project's listings are laid out for merging: an item made again replaces its bytes and
    the rest is copied; a listing laid out otherwise is refused (and rebuilt by the caller)."""
    import release.incremental

    monkeypatch.setattr(release.incremental, "_BLOCK", block)
    from converter.locations import DEFAULT_CONFIG
    from release.api import root_entry, root_head
    from release.catalog import catalog_head, load_config, package_dataset
    from release.incremental import merge_listing
    from release.store import versions

    store = store_copy(tmp_path)
    config = load_config(DEFAULT_CONFIG)
    listings = [
        (
            "catalog.json",
            catalog_head(config),
            "dcat:dataset",
            "dct:identifier",
            lambda n: package_dataset(config, n, versions(store, n)),
        ),
        ("index.json", root_head(), "packages", "name", lambda n: root_entry(versions(store, n))),
    ]
    for file, head, key, name_key, make in listings:
        merged = tmp_path / f"merged-{file}"
        assert merge_listing(
            store / file,
            merged,
            head,
            key,
            name_key,
            {CITY, "zzz-new"},
            lambda n, make=make: make(CITY) if n == "zzz-new" else make(n),
        )
        document = json.loads(merged.read_text(encoding="utf-8"))
        original = json.loads((store / file).read_text(encoding="utf-8"))
        assert document[key][:-1] == original[key] and document[key][-1] == make(CITY)  # the new one last, by name
        odd = tmp_path / f"odd-{file}"
        odd.write_text(json.dumps(original, ensure_ascii=False, indent=1), encoding="utf-8")
        assert not merge_listing(odd, tmp_path / "refused.json", head, key, name_key, {CITY}, make)
        assert not (tmp_path / "refused.json").exists()
