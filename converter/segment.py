"""Stage 2: cut a disclosure's lines into tables.

A table is a run of tab-separated lines (blank lines inside allowed). Its title, label (表 5-1,
附表 5, 预算05表, or none) and unit line are found by walking back from its first row over the
plain lines above it; the nearest title wins, so a table of contents never claims a table.
A run with no title above it continues the table before it (a page break), unless it is a list
of projects' performance goals introduced by a sentence (本部门重点项目绩效目标情况如下：).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from converter.cells import clean_text, compact, page_furniture

_LABEL = r"(?:附表|表|公开|预算)\s*\d+(?:\s*[-－—]\s*\d+)?\s*表?"
_LABEL_ONLY = re.compile(rf"^{_LABEL}\s*[:：.．、]?$")
_LABEL_PREFIX = re.compile(rf"^({_LABEL})\s*[:：.．、]?\s*(.+)$")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|千元|元)\s*$")
_UNIT_WORD = re.compile(r"^(万元|千元|元)$")
_UNIT_OPEN = re.compile(r"^(?:金额)?单位\s*[:：]\s*$")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
_ORDINAL = re.compile(r"^[-*\s]*[（(]?[一二三四五六七八九十廿]+[)）、.．]\s*")
_TITLE_END = re.compile(r"表(?:[（(][^）)]{1,30}[)）])?$")
_HEADER_UNIT = re.compile(r"[（(](万元|千元|元)[)）]")
MAX_LOOKBACK = 12
_RULE_CELL = re.compile(r"\s*-{2,}\s*")
_NOT_RULE = re.compile(r"[^\s-]")  # a character no rule line (------) has
UNIT_FACTORS = {"万元": 10000, "千元": 1000, "元": 1}


@dataclass
class Row:
    """One tab-separated line: `line` is 1-based."""

    line: int
    cells: list[str]


@dataclass
class RawTable:
    """A table as cut from the text, before its header or rows are interpreted."""

    title: str
    label: str
    unit: str
    title_line: int
    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    # split_header's answer, kept by layout.header_and_body with the rows it was worked out for
    header_split: tuple[list[Row], int, tuple[list[Row], list[Row]]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def first_line(self) -> int:
        return self.rows[0].line if self.rows else self.title_line

    @property
    def last_line(self) -> int:
        return self.rows[-1].line if self.rows else self.title_line

    @property
    def factor(self) -> int:
        return UNIT_FACTORS.get(self.unit, 1)


def plain(line: str) -> str:
    """A non-table line without markdown decoration (#, **, list dashes)."""
    text = line.strip().strip("#").strip()
    text = text.replace("**", "").strip()
    return text


def split_label(text: str) -> tuple[str, str]:
    """('表 5-1', '一般公共预算支出表') from '表 5-1.一般公共预算支出表'; ('', text) without a label."""
    if _LABEL_ONLY.match(text):
        return re.sub(r"\s*[:：.．、]$", "", text), ""
    m = _LABEL_PREFIX.match(text)
    if m and _TITLE_END.search(compact(m.group(2))):
        return m.group(1).strip(), m.group(2).strip()
    return "", text


def as_title(text: str) -> str | None:
    """The title if this plain line reads as a table title, else None."""
    label, rest = split_label(text)
    if not rest or len(rest) > 45 or "\t" in rest:
        return None
    rest = _ORDINAL.sub("", rest)
    if not _TITLE_END.search(compact(rest)):
        return None
    return clean_text(rest)


def as_label(text: str) -> str | None:
    label, rest = split_label(text)
    return label or None


def as_unit(text: str, next_text: str | None) -> str | None:
    m = _UNIT.search(compact(text))
    if m:
        return m.group(1)
    if _UNIT_WORD.match(compact(text)):
        return compact(text)
    if _UNIT_OPEN.match(compact(text)) and next_text and _UNIT_WORD.match(compact(next_text)):
        return compact(next_text)
    return None


def _blocks(lines: tuple[str, ...]) -> list[list[Row]]:
    """Runs of tab-separated lines, blank lines inside a run allowed."""
    blocks: list[list[Row]] = []
    current: list[Row] = []
    for index, line in enumerate(lines):
        if "\t" in line:
            cells = line.split("\t")
            if not _NOT_RULE.search(line) and all(not c.strip() or _RULE_CELL.fullmatch(c) for c in cells):
                continue  # markdown rule lines (------) are layout, not data
            current.append(Row(index + 1, cells))
        elif line and not line.isspace():  # a line with text (strip() would copy it)
            if current:
                blocks.append(current)
                current = []
    if current:
        blocks.append(current)
    return blocks


def _context_above(lines: tuple[str, ...], first_line: int, floor: int) -> dict[str, tuple[int, str]]:
    """Title, label and unit found walking back from a table's first row (1-based) to `floor`."""
    found: dict[str, tuple[int, str]] = {}
    seen = 0
    index = first_line - 2
    while index >= floor and seen < MAX_LOOKBACK:
        raw = lines[index]
        text = plain(raw)
        index -= 1
        if not text:
            continue
        seen += 1
        nxt = plain(lines[index + 2]) if index + 2 < len(lines) else None
        unit = as_unit(text, nxt)
        if unit and "unit" not in found:
            found["unit"] = (index + 2, unit)
            continue
        title = as_title(text)
        label = as_label(text)
        if title:
            if "title" in found:
                break  # a second title: we are in the table of contents or the previous table
            found["title"] = (index + 2, title)
        if label and "label" not in found:
            found["label"] = (index + 2, label)
        if "title" in found and "label" in found:
            break
        if _PART_HEADING.match(text):
            break
    return found


def _notes_below(lines: tuple[str, ...], last_line: int, stop: int) -> list[tuple[int, str]]:
    """Plain lines after a table (其他 notes such as 本部门没有使用…), up to the next heading."""
    notes: list[tuple[int, str]] = []
    index = last_line  # 0-based index of the line after the last row
    while index < stop and len(notes) < 3:
        text = plain(lines[index])
        index += 1
        if not text:
            continue
        if "\t" in lines[index - 1] or as_title(text) or as_label(text) or _PART_HEADING.match(text):
            break
        notes.append((index, clean_text(text)))
    return notes


MAX_PAGE_BREAK_LINES = 8
# A form (绩效目标表) may leave a tall cell's wrapped text outside its grid where the cell crosses a
# page: many short lines between two runs of its rows.
MAX_FORM_BREAK_LINES = 40
FORM_BREAK_LINE_LENGTH = 60


def _continues(lines: tuple[str, ...], previous_end: int, first_line: int, form: bool = False) -> bool:
    """An untitled run continues the table above only across a page break: a few short lines
    (page numbers, repeated headings, notes), no part heading and no prose between them; for a
    form, the short lines of a cell's text too."""
    between: list[str] = []
    limit = MAX_FORM_BREAK_LINES if form else MAX_PAGE_BREAK_LINES
    for line in lines[previous_end : first_line - 1]:
        text = plain(line)
        if text:
            if len(between) == limit:
                return False  # more lines than a page break leaves: no need to read the rest
            between.append(text)
    if form and len(between) > MAX_PAGE_BREAK_LINES:
        return not any(_PART_HEADING.match(t) or as_title(t) or len(t) > FORM_BREAK_LINE_LENGTH for t in between)
    return not any(_PART_HEADING.match(text) or len(text) > 80 for text in between)


# Words of which a budget table's title has at least one (预算05表 一般公共预算支出表, 会议费明细表,
# 项目支出绩效目标表 …); a wrapped sentence that happens to end in 表 has none.
TITLE_WORDS = ("预算", "决算", "收", "支", "费", "绩效", "目标", "资金", "采购", "资产", "项目", "单位", "明细", "情况")


def _form_overflow(
    lines: tuple[str, ...], tables: list[RawTable], block: list[Row], floor: int, context: dict[str, tuple[int, str]]
) -> bool:
    """A run of a form's rows after its tall cell's text printed outside the grid (a PDF shows
    the whole text of a cell cut by the page bottom as lines above the next page's rows): the
    table above is a form (绩效) with as many columns, no part heading stands between, and
    what stands there ending in 表 is a wrapped sentence, not a title (no label, no word of a
    budget table's title)."""
    if not tables or "绩效" not in tables[-1].title or not tables[-1].rows:
        return False
    if len(block[0].cells) != len(tables[-1].rows[-1].cells) or "label" in context:
        return False
    title = context.get("title", (0, ""))[1]
    if title and any(word in title for word in TITLE_WORDS):
        return False
    return not any(_PART_HEADING.match(plain(line)) for line in lines[floor : block[0].line - 1])


# A list of projects with their performance goals, or with the scores of their self-evaluation, that a
# department prints in its prose under a sentence instead of a title (2026年，本部门重点项目绩效目标情况
# 如下：): words its header has, one tuple each.
LIST_HEADER_WORDS = (("项目名称", "绩效目标"), ("项目名称", "自评"))
MAX_INTRODUCTION_LENGTH = 80


def _list_introduction(lines: tuple[str, ...], block: list[Row], floor: int) -> tuple[int, str] | None:
    """(line, sentence) when a run without title is a list of projects' performance goals or
    self-evaluation scores (its first line is a header naming the project and the goal or score
    columns) introduced by the sentence about 绩效 right above it, which then serves as its title."""
    header = compact("".join(block[0].cells))
    if not any(all(word in header for word in words) for words in LIST_HEADER_WORDS):
        return None
    index = block[0].line - 2
    while index >= floor and page_furniture(plain(lines[index])):
        index -= 1  # blank lines and a page number between the sentence and the list
    if index < floor or "\t" in lines[index]:
        return None
    text = clean_text(plain(lines[index]))
    if "绩效" not in text or len(text) > MAX_INTRODUCTION_LENGTH or _PART_HEADING.match(text):
        return None
    return index + 1, text


def find_tables(lines: tuple[str, ...]) -> tuple[list[RawTable], list[list[Row]]]:
    """All titled tables of a disclosure, and the runs of rows that no title claims."""
    tables: list[RawTable] = []
    orphans: list[list[Row]] = []
    previous_end = 0
    blocks = _blocks(lines)
    for position, block in enumerate(blocks):
        context = _context_above(lines, block[0].line, previous_end)
        next_start = blocks[position + 1][0].line - 1 if position + 1 < len(blocks) else len(lines)
        if "title" in context and not _form_overflow(lines, tables, block, previous_end, context):
            title_line, title = context["title"]
            table = RawTable(
                title=title,
                label=context.get("label", (0, ""))[1],
                unit=context.get("unit", (0, ""))[1],
                title_line=title_line,
                rows=list(block),
            )
            tables.append(table)
        elif introduced := _list_introduction(lines, block, previous_end):
            title_line, title = introduced
            header_unit = _HEADER_UNIT.search(compact("".join(block[0].cells)))
            unit = context.get("unit", (0, ""))[1] or (header_unit.group(1) if header_unit else "")
            table = RawTable(title=title, label="", unit=unit, title_line=title_line, rows=list(block))
            tables.append(table)
        elif tables and (
            _continues(lines, previous_end, block[0].line, form="绩效" in tables[-1].title)
            or _form_overflow(lines, tables, block, previous_end, context)
        ):
            tables[-1].rows.extend(block)  # the same table after a page break
            table = tables[-1]
            if "unit" in context and not table.unit:
                table.unit = context["unit"][1]
        else:
            orphans.append(block)
            previous_end = block[-1].line
            continue
        table.notes = _notes_below(lines, block[-1].line, next_start)
        previous_end = block[-1].line
    return tables, orphans
