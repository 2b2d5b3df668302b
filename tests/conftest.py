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


def said(findings) -> list[tuple[str, str, str, int | None]]:
    """(severity, check, message, source line) of each finding, as a test writes them out."""
    return [(f.severity, f.check, f.message, f.source_line) for f in findings]


def economic(code: str, name: str, level: int, side: str, amount: str, line: int) -> dict[str, object]:
    """A basic-expenditure row by economic class whose amount is all on one side (personnel or public)."""
    return {
        "economic_code": code,
        "economic_name": name,
        "level": level,
        "total": Decimal(amount),
        side: Decimal(amount),
        "source_line": line,
    }


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


def chromium_path() -> str | None:
    """Debian's chromium (apt-get install chromium), which the `browser` tests drive with Playwright."""
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """A headless chromium from the system (never a downloaded one): skipped when absent, except
    under CI=true, where .ci/run installs it and its absence is a failure."""
    import os

    reason = ""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed (pip install -e '.[test]')"
    if not path:
        reason = "no chromium on PATH (apt-get install chromium)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs the browser tests: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()
