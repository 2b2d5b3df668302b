"""Shared fixtures: the bundled samples, converted once per session."""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

# Validation results are cached by content (validate/cache.py): one cache per test session, in a
# temporary folder, never the checkout's build/cache/ (subprocesses inherit it).
os.environ.setdefault("BUDGETPUB_CACHE", tempfile.mkdtemp(prefix="budgetpub-test-cache-"))

from converter.pipeline import Conversion, convert_source
from converter.read import read_source, source_from_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CITY_2026 = SAMPLES / "wuhan-data-bureau-2026-budget.txt"
WUCHANG_2025 = SAMPLES / "wuchang-economy-informatization-bureau-2025-budget.txt"
EDZ_2023 = SAMPLES / "wuhan-edz-big-data-center-2023-budget.txt"
FINAL_2024 = SAMPLES / "wuhan-data-bureau-2024-final-accounts.txt"
BUDGETS = (CITY_2026, WUCHANG_2025, EDZ_2023)
ALL_SAMPLES = (*BUDGETS, FINAL_2024)


def wan(text: str) -> Decimal:
    """An amount printed in 万元, in yuan."""
    return Decimal(text.replace(",", "")) * 10000


def convert_text(text: str, name: str = "variant.txt") -> Conversion:
    """Convert a disclosure given as text, as if read from a UTF-8 file."""
    return convert_source(source_from_bytes(Path(name), text.encode("utf-8")))


def find(rows: list[dict], **where: object) -> dict:
    matches = [r for r in rows if all(r.get(k) == v for k, v in where.items())]
    assert len(matches) == 1, f"{len(matches)} rows match {where}"
    return matches[0]


@pytest.fixture(scope="session")
def city() -> Conversion:
    return convert_source(read_source(CITY_2026))


@pytest.fixture(scope="session")
def wuchang() -> Conversion:
    return convert_source(read_source(WUCHANG_2025))


@pytest.fixture(scope="session")
def edz() -> Conversion:
    return convert_source(read_source(EDZ_2023))


@pytest.fixture(scope="session")
def final() -> Conversion:
    return convert_source(read_source(FINAL_2024))
