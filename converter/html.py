"""Stage 1 for saved web pages: a disclosure's HTML into the document model's lines.

Two kinds of page are published. Some sites put a PDF on the web as pages of absolutely
positioned text runs and border-drawn rules (`<div class="page">` holding `<div class="p">` text
and `<div class="r">` rules): those are read by geometry exactly as a PDF is (`converter.pdf`).
Others print real `<table>` elements: each `<tr>` becomes one tab-separated line, a cell spanning
columns or rows keeps its text at its first position and leaves the others blank. Text outside
tables becomes plain lines. Parsing is Python's own HTML parser (html.parser), never regular
expressions over the markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from converter.pdf import Char, Location, Rule, assemble

_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article"}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_LENGTH = re.compile(r"^\s*(-?[\d.]+)\s*(pt|px)?\s*$")
PX = 0.75  # CSS pixels to points


def _style(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(";"):
        if ":" in part:
            key, _, value = part.partition(":")
            out[key.strip().lower()] = value.strip()
    return out


def _length(value: str | None) -> float | None:
    """A CSS length in points (pt, or px at 0.75 pt each)."""
    if not value:
        return None
    m = _LENGTH.match(value)
    if not m:
        return None
    number = float(m.group(1))
    return number * PX if m.group(2) == "px" else number


def _width(text: str, size: float) -> float:
    """A run's printed width, estimated: full-width characters a font size each, others half."""
    return sum(size if ord(c) > 0x2E7F or 0xFF00 <= ord(c) <= 0xFFEF else 0.55 * size for c in text)


@dataclass
class _Page:
    chars: list[Char] = field(default_factory=list)
    horizontal: list[Rule] = field(default_factory=list)
    vertical: list[Rule] = field(default_factory=list)


@dataclass
class _Run:
    left: float
    top: float
    size: float
    height: float
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Collects positioned pages (text runs and rules) and, outside them, tables and text lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pages: list[_Page] = []
        self.page_depth: int | None = None
        self.run: _Run | None = None
        self.run_depth = 0
        self.depth = 0  # how many divs are open
        self.skip = 0
        self.lines: list[str] = []  # the flow model, for pages without positioned text
        self.text: list[str] = []
        self.tables: list[list[list[tuple[str, int, int]]]] = []  # stack of tables: rows of (text, colspan, rowspan)
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)

    # positioned pages -------------------------------------------------------------------------

    def _positioned(self, tag: str, attrs: dict[str, str]) -> bool:
        if tag != "div":
            return False
        style = _style(attrs.get("style", ""))
        classes = attrs.get("class", "").split()
        if self.page_depth is None:
            if "page" in classes or (
                style.get("position") == "relative" and "width" in style and "height" in style and "overflow" in style
            ):
                self.pages.append(_Page())
                self.page_depth = self.depth
                return True
            return False
        left, top = _length(style.get("left")), _length(style.get("top"))
        if left is None or top is None:
            return False
        page = self.pages[-1]
        width = _length(style.get("width")) or 0.0
        height = _length(style.get("height")) or 0.0
        borders = [key for key in ("border-top", "border-bottom", "border-left", "border-right") if key in style]
        if borders:
            for border in borders:
                if border == "border-top" and width:
                    page.horizontal.append(Rule(top, left, left + width))
                elif border == "border-bottom" and width:
                    page.horizontal.append(Rule(top + height, left, left + width))
                elif border == "border-left" and height:
                    page.vertical.append(Rule(left, top, top + height))
                elif border == "border-right" and height:
                    page.vertical.append(Rule(left + width, top, top + height))
            return True
        size = _length(style.get("font-size")) or 12.0
        line_height = _length(style.get("line-height")) or size
        self.run = _Run(left, top, size, line_height)
        self.run_depth = self.depth
        return True

    # the parser's callbacks ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "br" and self.run is not None:
            self.run.text.append("\n")
        if tag == "div":
            self.depth += 1  # only divs are counted: other tags are often left unclosed
        if self._positioned(tag, attrs):
            return
        if tag == "table":
            self._flush()
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
            self.cell_span = (_span(attrs.get("colspan")), _span(attrs.get("rowspan")))
        elif tag in _BLOCK and not self.tables:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "div" and self.run is not None and self.depth == self.run_depth:
            self._end_run()
        elif tag == "div" and self.page_depth is not None and self.depth == self.page_depth:
            self.page_depth = None
        elif tag in ("td", "th") and self.tables and self.cell is not None:
            if not self.tables[-1]:
                self.tables[-1].append([])
            text = " ".join("".join(self.cell).split())
            self.tables[-1][-1].append((text, *self.cell_span))
            self.cell = None
        elif tag == "table" and self.tables:
            self.lines.extend(_table_lines(self.tables.pop()))
        elif tag in _BLOCK and not self.tables:
            self._flush()
        if tag == "div":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.run is not None:
            self.run.text.append(data)
        elif self.page_depth is not None:
            return
        elif self.cell is not None:
            self.cell.append(data)
        elif not self.tables:
            self.text.append(data)

    def _end_run(self) -> None:
        run = self.run
        self.run = None
        if run is None or not self.pages:
            return
        for k, piece in enumerate("".join(run.text).split("\n")):
            text = piece.strip()
            if text:
                top = run.top + k * run.height
                self.pages[-1].chars.append(
                    Char(text, run.left, top, run.left + _width(text, run.size), top + run.height)
                )

    def _flush(self) -> None:
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            self.lines.append(text)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _table_lines(rows: list[list[tuple[str, int, int]]]) -> list[str]:
    """An HTML table's rows as tab-separated lines: spanned positions left blank."""
    occupied: dict[tuple[int, int], bool] = {}
    lines = []
    for r, row in enumerate(rows):
        cells: list[str] = []
        c = 0
        for text, colspan, rowspan in row:
            while occupied.get((r, c)):
                cells.append("")
                c += 1
            cells.append(text.replace("\t", " "))
            cells.extend([""] * (colspan - 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied[(r + dr, c + dc)] = True
            c += colspan
        while occupied.get((r, c)):
            cells.append("")
            c += 1
        if any(cell.strip() for cell in cells):
            lines.append("\t".join(cells) if len(cells) > 1 else cells[0] + "\t")
    return lines


def read_html(text: str) -> tuple[list[str], list[Location | None]]:
    """The document model of a saved web page, and where each line was printed (for a page that
    positions a PDF's text: the page and box, as for a PDF)."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader._flush()
    if any(page.chars for page in reader.pages):
        lines = assemble([(page.chars, page.horizontal, page.vertical) for page in reader.pages])
        return [line.text for line in lines], [line.location for line in lines]
    return reader.lines, [None] * len(reader.lines)
