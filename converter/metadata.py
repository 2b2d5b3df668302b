"""Who published what for which year: read from the document's own title and unit tables."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from converter import codelists
from converter.cells import clean_text, compact
from converter.segment import plain

_YEAR = re.compile(r"(20\d{2})\s*年")
_PHASE_WORDS = re.compile(
    r"(区级|市级|省级|县级)?(部门|单位)?(预算|决算)(信息)?(公开)?(说明|报告)?|年度|年|信息公开|公开|说明"
)
# What a department's or unit's name ends with (局, 委员会, 中心, 法院 …): a label's value that
# does not is not a name (备注, 合计).
_ORGANISATION = re.compile(r"[局委办院厅会心部处所站队馆室社校团府署行司庭园场]\)?$|[（(][^）)]*[)）]$")


@dataclass(frozen=True)
class Metadata:
    title: str
    title_line: int
    fiscal_year: int | None
    phase: str | None
    department_name: str
    # 部门预算 consolidates a department's units; 单位预算 is one unit's own (Shanghai publishes both
    # for the same 本级 unit under the same name): "department" or "unit"
    edition: str = "department"


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
        if parts and _ENDS_COVER.match(compact(text)):
            break  # the table of contents, a part heading or a page number: the cover has ended
        if not parts:
            first = number
        parts.append(text)
        if len(parts) >= 3:
            break
    return clean_text(" ".join(parts)), first


# Lines that are not part of a cover title: 目录, 第一部分…, 一、…, page numbers.
_ENDS_COVER = re.compile(r"^(目录|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[-—–\d\s]+$)")
# The department as a title names it after a label: 预算主管部门：…, 预算单位：…
_TITLE_DEPARTMENT = re.compile(r"(?:主管部门|预算单位|部门|单位)[:：]([^\s:：]{2,40})")


_YEAR_OF_DOCUMENT = re.compile(r"(20\d{2})\s*年度?\s*(?:部门|单位)?(?:预算|决算)|[（(]\s*(20\d{2})\s*年度\s*[)）]")
_NAMED = re.compile(
    r"(?:编制部门|编制单位|预算单位|部门（单位）|部门\(单位\)|部门名称|单位名称|部门)\s*[:：]\s*"
    r"([^\s:：]{2,40}?)(?:\s|单位\s*[:：]|金额单位|$)"
)
_NAME_LABELS = {"部门名称", "单位名称", "预算单位", "部门（单位）", "编制单位", "编制部门"}


def _looks_like_title(title: str) -> bool:
    """A cover title names a year and 预算 or 决算, and is not a table's title."""
    text = compact(title)
    return (
        bool(_YEAR.search(title))
        and bool(_COVER_WORDS.search(text))
        and not text.endswith("表")
        and len(text) <= 60
        and not any(mark in text for mark in "，。；,;")
    )


_COVER_WORDS = re.compile(r"(部门|单位)(预算|决算)|(预算|决算)(信息)?(公开)?(说明|报告)?$")


def _department_from_labels(lines: tuple[str, ...]) -> str:
    """The department as its tables name it (部门名称：…, 编制单位：…, a 部门名称 cell), when the
    document has no cover title (tables published on their own)."""
    counts: dict[str, int] = {}
    for line in lines:
        if "\t" in line:
            cells = [compact(c) for c in line.split("\t")]
            for k, cell in enumerate(cells):
                if cell in _NAME_LABELS:
                    name = next((c for c in cells[k + 1 :] if c), "")
                    if _ORGANISATION.search(name):
                        counts[name] = counts.get(name, 0) + 1
            continue
        m = _NAMED.search(plain(line))
        if m:
            name = compact(m.group(1))
            if _ORGANISATION.search(name):
                counts[name] = counts.get(name, 0) + 1
    return max(sorted(counts), key=lambda n: counts[n]) if counts else ""


def _year_of_document(lines: tuple[str, ...]) -> int | None:
    """The fiscal year as the document states it (2026 年部门预算, （2026年度）), else None."""
    counts: dict[int, int] = {}
    for line in lines:
        if "年" in line:
            for m in _YEAR_OF_DOCUMENT.finditer(compact(line)):
                year = int(m.group(1) or m.group(2))
                counts[year] = counts.get(year, 0) + 1
    return max(sorted(counts), key=lambda y: counts[y]) if counts else None


def _phase_of_tables(lines: tuple[str, ...]) -> str | None:
    """预算 or 决算, as the tables' titles and labels (预算01表, 收入支出决算总表) say."""
    budget = final = 0
    for line in lines:
        text = compact(plain(line))
        if "\t" in line or not text.endswith("表") or len(text) > 40:
            continue
        budget += "预算" in text
        final += "决算" in text
    if not budget and not final:
        return None
    return "final_accounts" if final > budget else "budget"


def read_metadata(lines: tuple[str, ...]) -> Metadata:
    title, line = document_title(lines)
    head = " ".join(plain(x) for x in lines[:80])
    if not _looks_like_title(title):
        # no cover title: tables published on their own (Beijing's 报表) or a title further down
        cover = next(
            (
                (plain(x), n)
                for n, x in enumerate(lines[:40], start=1)
                if "\t" not in x and _looks_like_title(plain(x)) and not _ENDS_COVER.match(compact(x))
            ),
            None,
        )
        if cover:
            title, line = clean_text(cover[0]), cover[1]
        else:
            year = _year_of_document(lines)
            phase = _phase_of_tables(lines)
            department = _department_from_labels(lines)
            if year and phase and department:
                word = "部门预算" if phase == "budget" else "部门决算"
                return Metadata(
                    title=f"{department}{year}年{word}",
                    title_line=0,
                    fiscal_year=year,
                    phase=phase,
                    department_name=department,
                )
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
    labelled = _TITLE_DEPARTMENT.search(compact(title))
    department = labelled.group(1) if labelled else compact(title)
    if year:
        department = department.replace(str(year), "")
    department = _PHASE_WORDS.sub("", department).strip()
    if len(department) < 2 or "XX" in department.upper():
        department = _department_from_labels(lines) or department  # a cover without the name, or a template's
    return Metadata(
        title=title,
        title_line=line,
        fiscal_year=year,
        phase=phase,
        department_name=department,
        edition=edition_of(title),
    )


def edition_of(title: str) -> str:
    """ "unit" for a unit's own disclosure (2025年区级单位预算, 单位决算), else "department"."""
    text = compact(title)
    unit = "单位预算" in text or "单位决算" in text
    return "unit" if unit and "部门预算" not in text and "部门决算" not in text else "department"


def region_of(department_name: str) -> tuple[str, str] | None:
    return codelists.region_of(department_name)


def fallback_code(text: str) -> str:
    """A stable ASCII stand-in when the document prints no department code."""
    return "x" + hashlib.sha256(compact(text).encode("utf-8")).hexdigest()[:6]
