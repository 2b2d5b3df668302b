"""What a disclosure announces, compared with the tables found in it.

A disclosure says which tables it holds: its table of contents (目录, in text or as a table with
labels and titles), lists of labelled titles (表 1.部门收支总表 …), the numbering of its labels
(表1 … 表N, 公开01表 …, 预算01表 …) and sentences such as 共12张表. A document cut off or read
only in part still converts the tables it has; without this comparison the tables it lost would
vanish without a word. An announced table not found is a gap (an error naming the title and the
line that announced it); one the document itself says is empty (本表为空表, 公开空表, 是否空表: 是)
is a note.

Every function here is pure: lines and tables in, announcements and findings out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from converter.cells import compact
from converter.report import Finding
from converter.segment import RawTable, plain

# The heading of a table of contents: 目录, 目 录, 报表目录.
_CONTENTS_HEADING = re.compile(r"^(?:报表)?目录$")
# Without a 目录 heading, a table of contents is a 第一部分 among the first lines of the text
# that lists at least this many tables.
MAX_HEADING_LINES = 6
MIN_UNHEADED_ENTRIES = 3
# How far after its heading a table of contents may run (non-blank lines).
MAX_CONTENTS_LINES = 90
# A prose line, not an entry: long and without dot leaders.
MAX_ENTRY_CHARS = 60
_DOT_LEADER = re.compile(r"(?:[.．·…。\s]{3,}|…+)\s*\d*\s*$")
_PAGE_NUMBER_TAIL = re.compile(r"(?<=表)\s*\d{1,3}$|(?<=[)）])\s*\d{1,3}$")
_PAGE_MARK = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$")
_PART = re.compile(r"^第[一二三四五六七八九十\d]+部分")
# Ordinals and labels in front of a title: 一、 （一） 1. 1．, 表1 表 5-1. 公开01表 预算01表 预算表12 附表3
_ORDINAL = re.compile(
    r"^[-*•·\s]*(?:[(（]?[一二三四五六七八九十廿]+[)）、.．]|[(（]\d{1,2}[)）]|\d{1,2}(?:[.．、]|\s))?\s*"
)
_STYLES = (
    ("chinese", re.compile(r"^[一二三四五六七八九十廿]+[、.．]")),
    ("chinese-bracketed", re.compile(r"^[(（][一二三四五六七八九十廿]+[)）]")),
    ("number", re.compile(r"^\d{1,2}[、.．]")),
    ("number-bracketed", re.compile(r"^[(（]\d{1,2}[)）]")),
)
_LABEL = re.compile(
    r"^(?P<label>(?:附表|表|公开|预算表?)\s*(?P<major>\d{1,2})(?:\s*[-－—]\s*(?P<minor>\d{1,2}))?\s*表?)\s*[:：.．、]?\s*"
)
_YEAR = re.compile(r"^(?:20\d\d|19\d\d)年度?")
_QUOTES = re.compile(r"[“”\"'‘’「」]")
_TITLE_END = re.compile(r"表(?:\([^)]{1,30}\))?$")
# What a document says of a table it publishes empty.
_EMPTY = re.compile(r"空表|本表无数据|无数据|不涉及")
# 共12张表, 以下九张表, 公开下列 9 张报表
_COUNT = re.compile(r"(?:共|以下|下列|如下|公开)\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*张(?:报表|表格|表)")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# A contents entry numbered N and a table labelled N with this share of the shorter title in
# common (in order) are the same table: 十四、专项或共同事权转移支付绩效目标表 and
# 预算14表-1 促进…共同事权转移支付绩效目标表.
SIMILAR_TENTHS = 6
_ENTRY_NUMBER = re.compile(r"^[(（]?([一二三四五六七八九十]{1,3}|\d{1,2})[)）、.．]")
# How far below a printed title the note that calls its table empty may be (non-blank lines).
EMPTY_NOTE_REACH = 8


@dataclass(frozen=True)
class Announced:
    """A table the document says it has: its title as announced, its label if any, the 1-based
    line that says so, how (contents, list, numbering, count) and whether it is said to be empty."""

    title: str
    label: str
    line: int
    how: str
    empty: bool = False


@dataclass(frozen=True)
class Label:
    """A table label read into its parts: 表 5-1 is ('表', 5, 1); 公开01表 is ('公开', 1, 0)."""

    prefix: str
    major: int
    minor: int
    text: str


def read_label(text: str) -> tuple[Label | None, str]:
    """The label at the start of a title line and the rest of the line."""
    m = _LABEL.match(compact(text))
    if not m:
        return None, text
    prefix = re.sub(r"\d.*", "", m.group("label"))
    prefix = prefix if prefix in ("表", "附表") else prefix.rstrip("表")  # 预算01表 and 预算表12 alike
    label = Label(prefix, int(m.group("major")), int(m.group("minor") or 0), m.group("label"))
    return label, compact(text)[m.end() :]


def title_key(text: str) -> str:
    """A title in the form titles are compared in: no label, ordinal, year, quotes, dot leader or
    page number; full-width forms made half-width."""
    key = compact(_DOT_LEADER.sub("", text))
    key = _PAGE_NUMBER_TAIL.sub("", key)
    for _ in range(2):
        key = _ORDINAL.sub("", key)
        _, key = read_label(key)
        key = _YEAR.sub("", key)
    return _QUOTES.sub("", key)


def is_table_title(key: str) -> bool:
    """A compared title that names a table (ends in 表, perhaps with a bracketed qualifier)."""
    return 4 <= len(key) <= MAX_ENTRY_CHARS and bool(_TITLE_END.search(key)) and not _PART.match(key)


def _contents_start(lines: tuple[str, ...]) -> tuple[int | None, bool]:
    """The 0-based index of the line before the first entry: the 目录 heading, or, when the
    heading is not in the text (drawn as a picture), the line before a 第一部分 among the first
    lines. And whether the heading was there."""
    for index, line in enumerate(lines):
        if "\t" not in line and _CONTENTS_HEADING.match(compact(plain(line))):
            return index, True
    seen = 0
    for index, line in enumerate(lines):
        text = compact(plain(line))
        if "\t" in line or seen >= MAX_HEADING_LINES:
            break
        if text:
            seen += 1
            if _PART.match(text):
                return index - 1, False
    return None, False


def read_contents(lines: tuple[str, ...]) -> tuple[list[Announced], range]:
    """The tables a printed table of contents lists, and the lines it covers.

    The contents run from the 目录 heading until the body begins: a line that repeats the first
    entry (the first part heading printed again), a table row, or prose."""
    start, headed = _contents_start(lines)
    if start is None:
        return [], range(0)
    entries: list[Announced] = []
    rows: list[tuple[int, str, str]] = []
    opening: list[str] = []  # the first two entries: the body begins where one is printed again
    seen = 0
    index = start + 1
    while index < len(lines) and seen < MAX_CONTENTS_LINES:
        line = lines[index]
        text = compact(plain(line))
        if "\t" in line:
            break
        index += 1
        if not text or _PAGE_MARK.match(text):
            continue
        seen += 1
        stripped = compact(_DOT_LEADER.sub("", text))
        long_line = len(stripped) > 30 and not _DOT_LEADER.search(text) and "表" not in text
        if len(stripped) > MAX_ENTRY_CHARS or (long_line and not _PART.match(stripped)):
            break  # prose: the body has begun
        key = title_key(text)
        if len(opening) < 2:
            opening.append(key)
        elif key in opening or (len(key) >= 4 and opening[0].startswith(key) and _PART.match(key)):
            index -= 1
            break  # the first entry printed again: the body
        rows.append((index, text, key))
    for position, (entry_line, entry, entry_key) in enumerate(rows):
        following = rows[position + 1] if position + 1 < len(rows) else None
        if following and _style(following[1]) != _style(entry) and is_table_title(following[2]):
            continue  # a heading over the entries that follow it (五、部门预算表 over 1. 收支总表 …)
        if is_table_title(entry_key):
            entries.append(Announced(clean(entry), "", entry_line, "contents"))
    if not headed and len(entries) < MIN_UNHEADED_ENTRIES:
        return [], range(0)  # parts without a list of tables: not a table of contents
    return entries, range(max(start, 0), index)


def _style(text: str) -> str:
    """How an entry is numbered (一、, （一）, 1., (1), or not): entries of one level share it."""
    text = text.lstrip("-*•· ")
    for style, pattern in _STYLES:
        if pattern.match(text):
            return style
    return ""


def clean(text: str) -> str:
    """An announced title as shown in a message: no dot leader or page number, spaces gone."""
    return _PAGE_NUMBER_TAIL.sub("", compact(_DOT_LEADER.sub("", text))).lstrip("-*•·")


def read_contents_table(tables: list[RawTable]) -> tuple[list[Announced], set[int]]:
    """Tables of contents printed as a table (报表 | 报表名称 | 是否空表 …): rows of a label and a
    title; a cell 是 in a row says that table is published empty. Also the ids of those tables."""
    entries: list[Announced] = []
    ids: set[int] = set()
    for table in tables:
        rows = []
        for row in table.rows:
            cells = [compact(c) for c in row.cells]
            for position, cell in enumerate(cells[:-1]):
                label, rest = read_label(cell)
                if label and not rest and is_table_title(title_key(cells[position + 1])):
                    empty = "是" in cells[position + 2 :]
                    rows.append(Announced(cells[position + 1], label.text, row.line, "contents", empty))
                    break
        if len(rows) >= 3:
            entries.extend(rows)
            ids.add(id(table))
    return entries, ids


def read_listed(lines: tuple[str, ...], tables: list[RawTable], skip: range) -> list[Announced]:
    """Labelled title lines (表 4.财政拨款收支总表) that are not a found table's title: lists of the
    tables, or titles printed over an empty frame."""
    title_lines = {t.title_line for t in tables}
    listed = []
    for index, line in enumerate(lines):
        if "\t" in line or index in skip or index + 1 in title_lines:
            continue
        text = compact(plain(line))
        label, rest = read_label(text)
        if label and rest and is_table_title(title_key(rest)):
            listed.append(Announced(clean(rest), label.text, index + 1, "list"))
    return listed


def printed_labels(lines: tuple[str, ...], skip: range) -> list[tuple[Label, int]]:
    """Labels printed on a line of their own or in front of a table title (附表 12:, 表 4.财政…)."""
    labels = []
    for index, line in enumerate(lines):
        if "\t" in line or index in skip:
            continue
        label, rest = read_label(compact(plain(line)))
        if label and (not rest or is_table_title(title_key(rest))):
            labels.append((label, index + 1))
    return labels


def found_label(table: RawTable) -> Label | None:
    """A found table's label, from its label line or the front of its title (预算表12项目…)."""
    label, _ = read_label(table.label) if table.label else (None, "")
    if label is None:
        label, _ = read_label(table.title)
    return label


def numbering_gaps(labels: list[tuple[Label, int]]) -> list[Announced]:
    """Numbers missing from a run of labels (表1, 表2, 表4: 表3), each placed at the label after it.
    A run needs three labels of one prefix starting at 1, so stray labels do not make a run."""
    by_prefix: dict[str, dict[int, int]] = {}
    for label, line in labels:
        by_prefix.setdefault(label.prefix, {}).setdefault(label.major, line)
    missing = []
    for prefix, majors in sorted(by_prefix.items()):
        if len(majors) < 3 or 1 not in majors:
            continue
        numbers = sorted(majors)
        for number in range(1, numbers[-1]):
            if number not in majors:
                after = min(n for n in numbers if n > number)
                name = f"{prefix}{number}" if prefix.endswith("表") else f"{prefix}{number:02d}表"
                missing.append(Announced(name, name, majors[after], "numbering"))
    return missing


def read_counts(lines: tuple[str, ...]) -> list[tuple[int, int]]:
    """Sentences that say how many tables are published (共12张表): (count, 1-based line)."""
    counts = []
    for index, line in enumerate(lines):
        if "\t" in line or "张" not in line:
            continue
        m = _COUNT.search(compact(line))
        if m:
            number = m.group(1)
            value = int(number) if number.isdigit() else _chinese_number(number)
            if value:
                counts.append((value, index + 1))
    return counts


def _chinese_number(text: str) -> int:
    """一 … 九十九 as a number (0 if it is not one)."""
    if "十" not in text:
        return _CHINESE_DIGITS.get(text, 0) if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    return (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CHINESE_DIGITS.get(ones, 0) if ones else 0)


def _entry_number(text: str) -> int:
    """The number of a contents entry (十四、… is 14, 3. … is 3), 0 without one."""
    m = _ENTRY_NUMBER.match(compact(text).lstrip("-*•·"))
    if not m:
        return 0
    number = m.group(1)
    return int(number) if number.isdigit() else _chinese_number(number)


def _common(a: str, b: str) -> int:
    """The length of the longest common subsequence of two titles."""
    previous = [0] * (len(b) + 1)
    for char in a:
        current = [0]
        for position, other in enumerate(b):
            current.append(previous[position] + 1 if char == other else max(previous[position + 1], current[-1]))
        previous = current
    return previous[-1]


def _same_title(a: str, b: str) -> bool:
    """Two titles of one table: one's characters in order in the other's."""
    return _subsequence(a, b) or _subsequence(b, a)


def _subsequence(short: str, long: str) -> bool:
    """Whether the characters of `short` appear in `long` in order (部门支出总表 in 部门支出汇总表)."""
    rest = iter(long)
    return all(char in rest for char in short)


def _match(announced: list[Announced], found: list[tuple[str, Label | None]]) -> list[Announced]:
    """The announced tables no found table answers: by label first, then by title (the same,
    one inside the other, or one's characters in order in the other), one found table each."""
    free = list(range(len(found)))
    unmatched = []
    pending = []
    for item in announced:
        label, _ = read_label(item.label) if item.label else (None, "")
        hit = next((i for i in free if label is not None and found[i][1] == label), None) if label else None
        if hit is None:
            pending.append(item)
        else:
            free.remove(hit)
    tests = (
        lambda a, b: a == b,
        lambda a, b: a in b or b in a,
        _same_title,
    )
    for test in tests:
        still = []
        for item in pending:
            key = title_key(item.title)
            hit = next((i for i in free if test(key, found[i][0])), None)
            if hit is None:
                still.append(item)
            else:
                free.remove(hit)
        pending = still
    still = []
    for item in pending:
        number = _entry_number(item.title)
        key = title_key(item.title)
        hit = next(
            (
                i
                for i in free
                if number
                and (label := found[i][1]) is not None
                and label.major == number
                and _common(key, found[i][0]) * 10 >= min(len(key), len(found[i][0])) * SIMILAR_TENTHS
            ),
            None,
        )
        if hit is None:
            still.append(item)
        else:
            free.remove(hit)
    pending = still
    order = {id(item): position for position, item in enumerate(announced)}
    unmatched = sorted(pending, key=lambda item: order[id(item)])
    return unmatched


def _said_empty(lines: tuple[str, ...], item: Announced, skip: range) -> bool:
    """Whether the document says the announced table is empty: a note under its printed title,
    or a sentence naming it with 空表."""
    if item.empty:
        return True
    key = title_key(item.title)
    core = key.removesuffix("表")
    for index, line in enumerate(lines):
        if index in skip or "\t" in line:
            continue
        text = compact(plain(line))
        if not text:
            continue
        if title_key(text) == key or (item.label and text.startswith(compact(item.label)) and key in text):
            seen = 0
            for below in lines[index + 1 :]:
                below_text = compact(plain(below))
                if not below_text:
                    continue
                if _EMPTY.search(below_text):
                    return True
                seen += 1
                if seen >= EMPTY_NOTE_REACH or is_table_title(title_key(below_text)):
                    break
        if "空表" in text:
            window = "".join(compact(plain(near)) for near in lines[max(0, index - 2) : index + 1])
            if core and core in _QUOTES.sub("", window):
                return True
    return False


def where(how: str) -> str:
    return {
        "contents": "the table of contents lists",
        "list": "the document lists",
        "numbering": "the numbering of the tables implies",
    }[how]


def announced_gaps(lines: tuple[str, ...], tables: list[RawTable]) -> list[Finding]:
    """Tables the document announces but does not hold: an error each (a gap), or a note when
    the document says the table is published empty."""
    contents, span = read_contents(lines)
    in_table, contents_ids = read_contents_table(tables)
    bodies = [t for t in tables if id(t) not in contents_ids]
    found = [(title_key(t.title), found_label(t)) for t in bodies]
    listed = read_listed(lines, bodies, span)
    findings: list[Finding] = []
    missing_listed = _match(listed, found)
    missing = [*missing_listed]
    for source in (contents, in_table):
        for item in _match(source, found):
            key = title_key(item.title)
            if not any(_same_title(title_key(other.title), key) for other in missing_listed):
                missing.append(item)
    labels = [(label, t.title_line) for t in bodies if (label := found_label(t)) is not None]
    labels += [(label, item.line) for item in in_table if (label := read_label(item.label)[0])]
    labels += printed_labels(lines, span)
    for item in numbering_gaps(labels):
        if not any(compact(other.label) == item.label for other in missing):
            missing.append(item)
    for item in sorted(missing, key=lambda a: a.line):
        named = f"'{item.label} {item.title}'" if item.label and item.label != item.title else f"'{item.title}'"
        if item.how != "numbering" and _said_empty(lines, item, span):
            findings.append(
                Finding(
                    "info",
                    "announced-table-empty",
                    f"{where(item.how)} {named}; the document says it is published empty, so it has no rows",
                    table=item.title,
                    source_line=item.line,
                )
            )
            continue
        findings.append(
            Finding(
                "error",
                "announced-table-missing",
                f"{where(item.how)} {named}, which is not in the document (cut off, or a table not read)",
                table=item.title,
                source_line=item.line,
            )
        )
    distinct = {(label.prefix, label.major) if (label := found_label(t)) else title_key(t.title) for t in bodies}
    for count, line in read_counts(lines):
        if len(distinct) < count:
            findings.append(
                Finding(
                    "error",
                    "announced-table-missing",
                    f"the document says it publishes {count} tables; {len(distinct)} were found",
                    source_line=line,
                )
            )
    return findings


NO_TABLE = "no budget table was found (tables need a title such as 部门收支总表 and tab-separated rows)"


def no_table_message(lines: tuple[str, ...], cite: Callable[[int], str]) -> tuple[str, int | None]:
    """Why a disclosure without tables cannot be converted, and the line to cite. When its table
    of contents lists tables, say so; when it names its tables as an attachment (附件：…报表, as
    Beijing publishes 情况说明 and 报表 as two PDFs), the user needs to give that file too.
    `cite` says where a line is for a reader (line 12, page 3)."""
    entries, _ = read_contents(lines)
    if not entries:
        return NO_TABLE, None
    shown = ", ".join(f"'{title_key(e.title)}'" for e in entries[:3]) + (" …" if len(entries) > 3 else "")
    announced = f"no budget table was found, though the table of contents lists {len(entries)} tables ({shown})"
    for index, line in enumerate(lines):
        text = compact(plain(line))
        if text.startswith("附件") and "表" in text and "\t" not in line:
            return (
                f"{announced}: they are published as a separate file ('{text}', {cite(index + 1)}); "
                "convert that file together with this one",
                entries[0].line,
            )
    return f"{announced}, and the file holds none of them (cut off, or its tables are a separate file)", entries[0].line
