"""budgetpub's converter: Chinese departmental budget disclosures (text) → Frictionless Data Packages.

Library API (the CLI is a thin layer over these):

    from converter import convert_file
    result = convert_file(Path("samples/wuhan-data-bureau-2026-budget.txt"), Path("datapackages"))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from converter import compiled

COMPILED = compiled.activate(__name__, __path__)  # mypyc-compiled modules, when built from these very sources

from converter.errors import BudgetpubError, InputError, UnsupportedDisclosure  # noqa: E402

if TYPE_CHECKING:
    from converter.pipeline import Conversion

__all__ = [
    "ConvertResult",
    "convert_file",
    "convert_paths",
    "find_inputs",
    "find_disclosures",
    "Disclosure",
    "BudgetpubError",
    "InputError",
    "UnsupportedDisclosure",
    "SAMPLES_DIR",
    "DEFAULT_OUT",
    "COMPILED",
]

ROOT = compiled.ROOT
# The checkout's folders, or relative to the current folder when installed from a wheel (converter.locations).
from converter.locations import DEFAULT_OUT, SAMPLES_DIR  # noqa: E402


@dataclass(frozen=True)
class ConvertResult:
    """What happened to one input: `status` is converted, partial (written with gaps), skipped or failed."""

    input: Path
    status: str
    package: Path | None = None
    tables: int = 0
    rows: int = 0
    findings: dict[str, int] | None = None
    message: str = ""
    coverage: dict[str, int] | None = None  # tables found, by what became of them
    unconverted: tuple[str, ...] = ()  # titles of the tables not converted, for the coverage summary


# A guard's answer that the package is written already, by this very input: not written again.
WRITTEN = "written"
INPUT_SUFFIXES = (".txt", ".pdf", ".html", ".htm")
# Words that tell the parts of one disclosure published as two files apart (Beijing publishes its
# 情况说明 and its 报表 as 附件1 and 附件2); without them the two names are the same.
_PART_WORDS = re.compile(r"(情况说明|说明|报表|表格|文字|附件\s*\d*|text|tables?)", re.IGNORECASE)
_TEXT_PART = re.compile(r"情况说明|说明|文字|text", re.IGNORECASE)  # the part that comes first

Disclosure = tuple[Path, ...]  # one file, or the parts of one disclosure published as several
# Held by a batch while a package is written; gives a result instead when the package is refused.
Guard = Callable[[Path, "Conversion"], AbstractContextManager["ConvertResult | None"]]


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files given, and the disclosures (.txt, .pdf, .html) inside folders given, in a stable order.
    The format of each is read from its content; the suffix only says what a folder offers."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in INPUT_SUFFIXES and p.is_file() and p.name.lower() != "readme.txt"
                )
            )
        else:
            found.append(path)
    return found


def part_key(path: Path) -> str:
    """A file's name less the words that say which part of a disclosure it is."""
    stem = _PART_WORDS.sub("", path.stem)
    return str(path.parent / re.sub(r"[-_\s:：]+", "-", stem).strip("-"))


def find_disclosures(paths: Iterable[Path]) -> list[Disclosure]:
    """The inputs as disclosures: two PDFs in one folder whose names differ only by the words that
    name a part (…-text.pdf and …-tables.pdf, 附件1…情况说明 and 附件2…报表) are one disclosure,
    its text first; every other file is one on its own."""
    files = find_inputs(paths)
    groups: dict[str, list[Path]] = {}
    for path in files:
        if path.suffix.lower() == ".pdf" and _PART_WORDS.search(path.stem):
            groups.setdefault(part_key(path), []).append(path)
    paired: dict[Path, Disclosure] = {}
    for members in groups.values():
        if len(members) == 2:
            members.sort(key=lambda p: (not _TEXT_PART.search(p.stem), p.name))
            paired[members[0]] = paired[members[1]] = (members[0], members[1])
    out: list[Disclosure] = []
    for path in files:
        group = paired.get(path, (path,))
        if group[0] == path:
            out.append(group)
    return out


def convert_file(
    path: Path | Disclosure,
    out_dir: Path,
    allow_partial: bool = False,
    max_bytes: int | None = None,
    guard: Guard | None = None,
) -> ConvertResult:
    """Convert one disclosure (a file, or the files of one disclosure published in parts) into
    out_dir/<package-name>/; never raises for bad input.

    A disclosure whose conversion leaves gaps (a number that cannot be read or placed, a text cut
    off mid-table) fails, naming file and line, and nothing is written; with `allow_partial` its
    package is written with the gaps as errors in its report (status "partial"). A batch's `guard`
    is held while the package is written and may refuse it (another input makes the same package).
    """
    from converter.package import write_package
    from converter.pipeline import convert_source, gaps_error
    from converter.read import read_disclosure

    parts = (path,) if isinstance(path, Path) else tuple(path)
    path = parts[0]
    try:
        conversion = convert_source(read_disclosure(list(parts), max_bytes), stop_at_gaps=not allow_partial)
        gaps = [f for f in conversion.findings if f.severity == "error"]
        if gaps and not allow_partial:
            raise gaps_error(conversion.source, gaps)
        with guard(path, conversion) if guard else nullcontext() as refused:
            if refused is not None and refused.status != WRITTEN:
                return refused
            # WRITTEN: this input's package is there already (its task ran again); written once
            target = refused.package if refused is not None and refused.package else write_package(conversion, out_dir)
    except UnsupportedDisclosure as exc:
        return ConvertResult(path, "skipped", message=str(exc))
    except InputError as exc:
        return ConvertResult(path, "failed", message=str(exc))
    counts: dict[str, int] = {}
    for finding in conversion.findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    converted = [t for t in conversion.tables if t.status == "converted"]
    coverage: dict[str, int] = {}
    for table in conversion.tables:
        coverage[table.status] = coverage.get(table.status, 0) + 1
    unconverted = tuple(
        f"{t.label} {t.title or '(untitled)'} (lines {t.first_line}-{t.last_line}): {t.status}".strip()
        for t in conversion.tables
        if t.status != "converted"
    )
    status = "partial" if counts.get("error") else "converted"
    return ConvertResult(
        path, status, target, len(converted), sum(t.rows for t in converted), counts, "", coverage, unconverted
    )


def convert_paths(paths: Iterable[Path], out_dir: Path) -> Iterator[ConvertResult]:
    for disclosure in find_disclosures(paths):
        yield convert_file(disclosure, out_dir)
