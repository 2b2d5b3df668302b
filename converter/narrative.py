"""Stage 4b: figures the 情况说明 section states in prose.

The section is read as paragraphs (lines the extraction wrapped are joined again) under their
headings. Each amount in 万元 or 元 becomes one figure: its topic (schema/codelists/
narrative_topics.csv, matched on the words before it and the heading above), the change on a
comparison year and the share that follow it, and the sentence itself. 类/款/项 lines name their
functional code through the document's own tables. Counts of vehicles and equipment held are
figures too. Nothing here decides whether prose and tables agree: that is a check.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from converter.cells import clean_text, compact, to_yuan
from converter.codelists import CODELIST_DIR
from converter.segment import plain

Row = dict[str, object]

_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、.．]|^\d{1,2}[.．、]\s*\S")
_END = re.compile(r"[。！？；;：:]$")
_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
_DIGIT = re.compile(r"\d")
_LEAD_WORD = re.compile(r"^(其中|包括|具体包括)")
_SENTENCE_END = re.compile(r"(?<=[。；;])")
_AMOUNT = re.compile(_NUMBER + r"\s*(亿元|万元|元)")
_CHANGE = re.compile(r"(增加|减少|增长|下降|上升|降低)了?\s*" + _NUMBER + r"\s*(亿元|万元|元|%)")
_SHARE = re.compile(r"占[^，,。；%\d]{0,12}?" + _NUMBER + r"\s*%")
_COMPARED = re.compile(r"(?:比|较|与)\s*(?:(20\d{2})\s*年?|上年|上一年)")
_ITEM = re.compile(r"(.+?)[（(]类[)）](.+?)[（(]款[)）](.+?)[（(]项[)）]")
_COUNT = re.compile(r"(\d+)\s*(辆|台（套）|台\(套\))")
_LABEL_END = re.compile(r"[，,；;：:。、]")
FACTORS = {"亿元": 100_000_000, "万元": 10_000, "元": 1}


@dataclass(frozen=True)
class Topic:
    topic: str
    words: tuple[str, ...]
    within: str
    figure: str  # amount | count


@cache
def topics() -> tuple[Topic, ...]:
    with (CODELIST_DIR / "narrative_topics.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            Topic(r["topic"], tuple(compact(w) for w in r["match"].split("|")), compact(r["within"]), r["figure"])
            for r in csv.DictReader(handle)
        )


@lru_cache(maxsize=1 << 12)
def topic_of(label: str, heading: str) -> str:
    text, context = compact(label), compact(heading)
    for topic in topics():
        if topic.figure != "amount" or (topic.within and topic.within not in context):
            continue
        if any(w in text for w in topic.words):
            return topic.topic
    return "other"


@dataclass
class Paragraph:
    line: int
    text: str
    heading: str
    starts: list[tuple[int, int]]  # (offset in text, source line) of each joined line

    def line_at(self, offset: int) -> int:
        return max((line for start, line in self.starts if start <= offset), default=self.line)


def narrative_section(lines: tuple[str, ...], table_lines: set[int]) -> list[tuple[int, str]]:
    """(line, text) of the 情况说明 part: from its part heading (the last one, past the table of
    contents) to the next part heading; lines inside tables are left out."""
    starts = [i for i, line in enumerate(lines) if "第" in line and _PART.match(plain(line)) and "说明" in plain(line)]
    if not starts:
        return []
    start = starts[-1]
    out = []
    for index in range(start + 1, len(lines)):
        text = plain(lines[index])
        if _PART.match(text):
            break
        if text and "\t" not in lines[index] and index + 1 not in table_lines:
            out.append((index + 1, text))
    return out


def paragraphs(section: list[tuple[int, str]]) -> list[Paragraph]:
    """Wrapped lines joined into paragraphs; short unpunctuated lines are headings."""
    out: list[Paragraph] = []
    heading = ""
    for line, text in section:
        is_heading = not _AMOUNT.search(text) and (
            (len(text) <= 40 and _HEADING.match(text)) or (len(text) <= 20 and not _DIGIT.search(text))
        )
        if is_heading and not _END.search(text) and (not out or _END.search(out[-1].text) or _HEADING.match(text)):
            heading = clean_text(text)
            continue
        if out and not _END.search(out[-1].text) and not _HEADING.match(text) and not _item(text, at_start=True):
            out[-1].starts.append((len(out[-1].text), line))
            out[-1].text = out[-1].text + clean_text(text)
            continue
        out.append(Paragraph(line, clean_text(text), heading, [(0, line)]))
    return out


def _signed(word: str, value: Decimal) -> Decimal:
    return -value if word in ("减少", "下降", "降低") else value


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _decimals(text: str, unit: str) -> int:
    """XBRL decimals of a printed figure: digits after the point, less the unit's power of ten."""
    places = len(text.split(".")[1]) if "." in text else 0
    return places - {"亿元": 8, "万元": 4, "元": 0}[unit]


def _yuan(text: str, unit: str) -> Decimal:
    """An amount in prose, in yuan to the fen (54.2 万元 → 542000.00)."""
    return to_yuan(_number(text), FACTORS[unit])


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
# a full-width digit, point or percent sign, or a full-width comma between digits: prose commas alone are not
_ANY_FULL_WIDTH = re.compile(r"[０-９．％]|\d，\d")


def _half_width_numbers(text: str) -> str:
    """Full-width digits (１，２３４．５６) read as numbers; same length, so offsets still hold."""
    if not _ANY_FULL_WIDTH.search(text):
        return text
    text = text.translate(_FULL_WIDTH)
    return re.sub(r"(?<=\d)，(?=\d{3})", ",", text)


def sentence_figures(printed: str, heading: str, line: int, year: int | None) -> list[Row]:
    """The figures of one sentence, each with the change and share that follow it."""
    sentence = _half_width_numbers(printed)
    changes = [(m.start(), m.end(), m) for m in _CHANGE.finditer(sentence)]
    change_spans = [(s, e) for s, e, _ in changes]
    amounts = [m for m in _AMOUNT.finditer(sentence) if not any(s <= m.start() < e for s, e in change_spans)]
    figures: list[Row] = []
    item = _item(sentence)
    for position, match in enumerate(amounts):
        # in a 类/款/项 sentence only the 项's own figures (预算数, 决算数 …) are about the 项
        about_item = bool(item) and (
            position == 0 or any(w in sentence[: match.start()][-12:] for w in ("预算", "决算"))
        )
        end = amounts[position + 1].start() if position + 1 < len(amounts) else len(sentence)
        before_start = amounts[position - 1].end() if position else 0
        label = _LABEL_END.split(sentence[before_start : match.start()])[-1].strip()
        label = _LEAD_WORD.sub("", label).strip()
        tail = sentence[match.end() : end]
        figure: Row = {
            "topic": "item_expenditure" if about_item else topic_of(label or sentence, heading),
            "label": clean_text(label),
            "subject_code": "",
            "basis": "actual" if "决算" in label else ("budget" if "预算" in label else ""),
            "amount": _yuan(match.group(1), match.group(2)),
            "decimals": _decimals(match.group(1), match.group(2)),
        }
        compared = _COMPARED.search(sentence[before_start:end])
        if compared and year:
            figure["comparison_year"] = int(compared.group(1)) if compared.group(1) else year - 1
        for start, _, change in changes:
            if match.end() <= start < end:
                value = _signed(change.group(1), _number(change.group(2)))
                if change.group(3) == "%":
                    figure.setdefault("change_percent", value)
                else:
                    figure.setdefault(
                        "change_amount", _signed(change.group(1), _yuan(change.group(2), change.group(3)))
                    )
        share = _SHARE.search(tail)
        if share:
            figure["share_percent"] = _number(share.group(1))
        figure["sentence"] = printed
        figure["source_line"] = line
        figures.append(figure)
    if "国有资产" in compact(heading) or "车辆" in sentence:
        for count in _COUNT.finditer(sentence):
            if _AMOUNT.search(sentence[count.start() : count.end() + 2]):
                continue
            label = _LABEL_END.split(sentence[: count.start()])[-1].strip()
            if count.group(2) != "辆" and "设备" not in label:
                continue
            figures.append(
                {
                    "topic": "vehicles_held" if count.group(2) == "辆" else "equipment_held",
                    "label": clean_text(label),
                    "subject_code": "",
                    "basis": "",
                    "quantity": Decimal(count.group(1)),
                    "measure_unit": count.group(2),
                    "sentence": printed,
                    "source_line": line,
                }
            )
    return figures


def _named(known: dict[str, list[str]], name: str, length: int) -> list[str]:
    """Codes of that length named `name`; failing that, those whose name begins or is begun by it."""
    exact = [c for c in known.get(name, []) if len(c) == length]
    if exact:
        return exact
    return sorted(
        {c for other, codes in known.items() if other.startswith(name) or name.startswith(other) for c in codes}
        & {c for codes in known.values() for c in codes if len(c) == length}
    )


def _item(sentence: str, at_start: bool = False) -> re.Match[str] | None:
    """The 类/款/项 names of a sentence; the substring test spares most sentences the regex,
    which backtracks over the whole sentence."""
    if "类)" not in sentence and "类）" not in sentence:
        return None
    return _ITEM.match(sentence) if at_start else _ITEM.search(sentence)


def item_code(sentence: str, known: dict[str, list[str]]) -> str:
    """The 项 code a 类/款/项 sentence names, by its 款 and 项 names in the document's tables."""
    match = _item(sentence)
    if not match:
        return ""
    section_name, item_name = compact(match.group(2)), compact(match.group(3))
    items = _named(known, item_name, 7)
    sections = set(_named(known, section_name, 5))
    within = [c for c in items if c[:5] in sections]
    codes = set(within or items)
    return codes.pop() if len(codes) == 1 else ""


def extract_figures(
    lines: tuple[str, ...],
    table_lines: set[int],
    year: int | None,
    phase: str | None,
    functional_rows: list[dict],
) -> list[Row]:
    """Every figure of the narrative section, in document order."""
    known: dict[str, list[str]] = {}
    for row in functional_rows:
        code, name = str(row.get("function_code") or ""), compact(str(row.get("function_name") or ""))
        if code.isdigit() and name and code not in known.get(name, []):
            known.setdefault(name, []).append(code)
    figures: list[Row] = []
    for paragraph in paragraphs(narrative_section(lines, table_lines)):
        offset = 0
        for piece in _SENTENCE_END.split(paragraph.text):
            sentence = piece.strip()
            line = paragraph.line_at(offset + len(piece) - len(piece.lstrip()))
            offset += len(piece)
            if not sentence:
                continue
            found = sentence_figures(sentence, paragraph.heading, line, year)
            code = item_code(sentence, known)
            for figure in found:
                if figure["topic"] == "item_expenditure":
                    figure["subject_code"] = code
                if not figure.get("basis"):
                    figure["basis"] = "actual" if phase == "final_accounts" else "budget"
            figures.extend(found)
    return figures
