"""Who published what for which year: read from the document's own title and unit tables."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from converter import codelists
from converter.cells import clean_text, compact
from converter.segment import plain

_YEAR = re.compile(r"(20\d{2})\s*年")
_PHASE_WORDS = re.compile(r"(部门)?(预算|决算)(公开)?(说明|报告)?|年度|年|公开|说明")


@dataclass(frozen=True)
class Metadata:
    title: str
    title_line: int
    fiscal_year: int | None
    phase: str | None
    department_name: str


def document_title(lines: tuple[str, ...]) -> tuple[str, int]:
    """The first paragraph of the document (its cover title), as one line."""
    parts: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        text = plain(line)
        if not text:
            if parts:
                break
            continue
        if not parts:
            first = number
        parts.append(text)
        if len(parts) >= 3:
            break
    return clean_text(" ".join(parts)), first


def read_metadata(lines: tuple[str, ...]) -> Metadata:
    title, line = document_title(lines)
    head = " ".join(plain(x) for x in lines[:80])
    year_match = _YEAR.search(title) or _YEAR.search(head)
    year = int(year_match.group(1)) if year_match else None
    text = compact(title) + compact(head)
    phase = (
        "final_accounts"
        if "决算" in compact(title)
        else (
            "budget"
            if "预算" in compact(title)
            else ("final_accounts" if "决算" in text else ("budget" if "预算" in text else None))
        )
    )
    department = compact(title)
    if year:
        department = department.replace(str(year), "")
    department = _PHASE_WORDS.sub("", department).strip()
    return Metadata(title=title, title_line=line, fiscal_year=year, phase=phase, department_name=department)


def region_of(department_name: str) -> tuple[str, str] | None:
    return codelists.region_of(department_name)


def fallback_code(text: str) -> str:
    """A stable ASCII stand-in when the document prints no department code."""
    return "x" + hashlib.sha256(compact(text).encode("utf-8")).hexdigest()[:6]
