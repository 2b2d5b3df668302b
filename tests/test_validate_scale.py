"""Validation at scale: results cached by content, and --jobs giving what one process gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import validate
from budgetpub.cli import cli
from converter import convert_file
from tests.conftest import CITY_2026, EDZ_2023
from tests.test_validate import edit_csv, repackage
from validate import validate_package


@pytest.fixture()
def packages(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BUDGETPUB_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    for sample in (CITY_2026, EDZ_2023):
        assert convert_file(sample, out).status == "converted"
    return out


def refuse_to_check(descriptor: Path, checks: object) -> None:
    raise AssertionError(f"{descriptor} was checked again")


def test_a_package_validated_before_is_not_checked_again(packages, monkeypatch):
    city = packages / "420100-157-2026-budget"
    first = validate_package(city)
    assert list((packages.parent / "cache" / "validate").rglob("*.json"))
    monkeypatch.setattr(validate, "_checked", refuse_to_check)
    again = validate_package(city)
    assert (again.name, again.findings) == (first.name, first.findings)


def test_a_changed_byte_or_another_folder_is_checked_again(packages, monkeypatch):
    city = packages / "420100-157-2026-budget"
    assert validate_package(city).valid
    edit_csv(city, "three_public_expenses", {"basis": "budget", "item": "total"}, {"amount": "1.00"})
    repackage(city)
    changed = validate_package(city)
    assert not changed.valid  # the cache did not answer for the edited package
    moved = packages / "elsewhere" / "1.0.0"
    shutil.copytree(city, moved)
    monkeypatch.setattr(validate, "_checked", refuse_to_check)
    with pytest.raises(AssertionError, match="checked again"):
        validate_package(moved)  # a released version is checked against its folder's names


def test_validate_with_jobs_and_without_cache_says_the_same(packages):
    runs = [
        CliRunner().invoke(cli, ["validate", str(packages), "--json", *extra])
        for extra in ([], ["--jobs", "2"], ["--no-cache"], ["--jobs", "2", "--no-cache"])
    ]
    assert all(r.exit_code == 0 for r in runs), [r.output[-500:] for r in runs]
    documents = [json.loads(r.output) for r in runs]
    assert all(d == documents[0] for d in documents)
    assert [d["package"] for d in documents[0]] == ["420100-157-2026-budget", "420113-054-2023-budget"]
