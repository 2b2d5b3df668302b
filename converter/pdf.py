"""Stage 1 for PDFs: a disclosure's pages into the document model (numbered lines with locations).

Tables are read from the page's geometry, never from the order of the text layer (which in some
disclosures puts codes, names and numbers on different lines, or is scrambled): the ruling lines a
table is drawn with give its rows, columns and merged cells, and every character goes to the cell
its box lies in. Each table row becomes one tab-separated line, each cell at its column (a merged
cell at its top-left position, the positions it spans left blank), so the stages after this one
read a PDF exactly as they read text. Text outside tables becomes plain lines, top to bottom.
Every line keeps its page and bounding box (PDF points, origin at the page's top-left corner).

Built on pypdfium2 (PDFium, BSD/Apache licensed): it gives characters with their boxes and path
objects with their segments at a few milliseconds a page, where pdfplumber (pdfminer.six) spends
most of a second on a page before any table is found.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from converter.cells import page_furniture
from converter.errors import InputError

# Distances in PDF points (1/72 inch).
SNAP = 2.0  # rules closer than this are one rule
JOIN = 3.0  # rules whose ends are this close touch
THIN = 3.0  # a filled rectangle this thin is a rule
MIN_RULE = 4.0  # shorter segments are glyph parts or dots, not rules
WHITE = 245  # a fill this light on every channel is background, not a rule


@dataclass(frozen=True)
class Location:
    """Where a line of the document model was printed: 1-based page, box in points from the top-left."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def bbox(self) -> str:
        # a frame drawn past the page's edge is cut at the edge: the box is where a reader looks
        return f"{max(self.x0, 0.0):.1f},{max(self.top, 0.0):.1f},{max(self.x1, 0.0):.1f},{max(self.bottom, 0.0):.1f}"


@dataclass
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Rule:
    """A horizontal (`at` is y, span along x) or vertical (`at` is x, span along y) ruling line."""

    at: float
    start: float
    end: float


@dataclass
class Grid:
    """A table found on a page: its row and column boundaries and, for each row band, its cells."""

    ys: list[float]
    xs: list[float]
    rows: list[list[str]]  # one per band, len(xs) - 1 cells each
    bands: list[tuple[float, float]]  # (top, bottom) of each row in `rows`

    @property
    def top(self) -> float:
        return self.ys[0]

    def signature(self) -> tuple[int, ...]:
        """The column boundaries, rounded: a table continued on the next page has the same."""
        return tuple(round(x / 4) for x in self.xs)


@dataclass
class Line:
    """One line of the document model: tab-separated cells for a table row, else plain text."""

    text: str
    location: Location


@dataclass
class PdfDocument:
    """What the PDF reader makes of a file: its lines and how many pages it has."""

    lines: list[Line]
    pages: int
    chars: int


# --- characters ---------------------------------------------------------------------------------


def _page_chars(raw, textpage, width: float, height: float) -> list[Char]:  # type: ignore[no-untyped-def]
    """Every printed character with its box, in the page's top-left coordinates; spaces and the
    line breaks PDFium makes up are left out (gaps are measured from the boxes instead), and so is
    text whose middle lies off the page (drawn above its top or past its edge, never seen by a
    reader, yet some generators leave such text in the layer, where it garbles the first lines)."""
    count = raw.FPDFText_CountChars(textpage)
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    chars: list[Char] = []
    get_box = raw.FPDFText_GetCharBox
    generated = raw.FPDFText_IsGenerated
    # the page's text in one call (UTF-16, one unit per character index), not a call per character
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = memoryview(buffer.raw[: max(written - 1, 0) * 2]).cast("H")
    high = 0  # the first half of a character outside the BMP, which PDFium gives as two
    for i in range(min(count, len(units))):
        code = units[i]
        if 0xD800 <= code <= 0xDBFF:
            high = code
            continue
        if 0xDC00 <= code <= 0xDFFF:
            code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00) if high else 0xFFFD
        high = 0
        if code <= 32 or code in _INVISIBLE or generated(textpage, i):
            continue
        if not get_box(textpage, i, left, right, bottom, top):
            continue
        x0, x1 = left.value, right.value
        if x1 - x0 <= 0 and top.value - bottom.value <= 0:
            continue
        middle_x, middle_y = (x0 + x1) / 2, (top.value + bottom.value) / 2
        if not (0.0 <= middle_x <= width and 0.0 <= middle_y <= height):
            continue
        chars.append(Char(chr(code), x0, height - top.value, x1, height - bottom.value))
    return chars


_INVISIBLE = {0x7F, 0xA0, 0xAD, 0x3000, 0xFEFF, 0xFFFE, 0xFFFF, 0x200B}


# --- ruling lines -------------------------------------------------------------------------------

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix that applies `inner`, then `outer`."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(raw, obj) -> Matrix:  # type: ignore[no-untyped-def]
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _is_background(raw, obj) -> bool:  # type: ignore[no-untyped-def]
    """A path that is only filled, with a near-white colour (or drawn with neither): not a rule."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return False
    if not fill_mode.value and not stroke.value:
        return True  # a clipping path
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if stroke.value:
        if raw.FPDFPageObj_GetStrokeColor(obj, r, g, b, a) and min(r.value, g.value, b.value) >= WHITE:
            return not fill_mode.value  # a white line hides, it does not rule
        return False
    return bool(raw.FPDFPageObj_GetFillColor(obj, r, g, b, a) and min(r.value, g.value, b.value) >= WHITE)


def _subpaths(raw, obj, matrix: Matrix) -> list[list[tuple[float, float]]]:  # type: ignore[no-untyped-def]
    """A path object's subpaths as point lists in page space (closed ones end at their start)."""
    count = raw.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = matrix
    subpaths: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for i in range(count):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_MOVETO:
            if len(current) > 1:
                subpaths.append(current)
            current = [point]
        else:
            current.append(point)
        if raw.FPDFPathSegment_GetClose(segment) and current:
            current.append(current[0])
            subpaths.append(current)
            current = []
    if len(current) > 1:
        subpaths.append(current)
    return subpaths


def _rules_of_subpath(points: list[tuple[float, float]], height: float, out_h: list[Rule], out_v: list[Rule]) -> None:
    """Axis-parallel rules of one subpath; a thin rectangle is one rule along its middle."""
    xs = [p[0] for p in points]
    ys = [height - p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = x1 - x0, y1 - y0
    if len(points) <= 6 and (w <= THIN or h <= THIN):
        if w >= h and w >= MIN_RULE:
            out_h.append(Rule((y0 + y1) / 2, x0, x1))
        elif h > w and h >= MIN_RULE:
            out_v.append(Rule((x0 + x1) / 2, y0, y1))
        return
    for (ax, ay), (bx, by) in zip(zip(xs, ys, strict=True), zip(xs[1:], ys[1:], strict=True), strict=False):
        if abs(ay - by) < 0.5 and abs(ax - bx) >= MIN_RULE:
            out_h.append(Rule((ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) < 0.5 and abs(ay - by) >= MIN_RULE:
            out_v.append(Rule((ax + bx) / 2, min(ay, by), max(ay, by)))


def _page_rules(raw, page, height: float, area: float) -> tuple[list[Rule], list[Rule]]:  # type: ignore[no-untyped-def]
    """Horizontal and vertical ruling lines of a page, from its path objects (inside forms too)."""
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    stack = [(raw.FPDFPage_GetObject(page, i), IDENTITY) for i in range(raw.FPDFPage_CountObjects(page))]
    while stack:
        obj, outer = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            inner = _compose(_matrix(raw, obj), outer)
            stack.extend((raw.FPDFFormObj_GetObject(obj, i), inner) for i in range(raw.FPDFFormObj_CountObjects(obj)))
        elif kind == raw.FPDF_PAGEOBJ_PATH and not _is_background(raw, obj):
            for points in _subpaths(raw, obj, _compose(_matrix(raw, obj), outer)):
                xs = [p[0] for p in points]
                ys = [p[1] for p in points]
                if (max(xs) - min(xs)) * (max(ys) - min(ys)) > 0.8 * area:
                    continue  # a frame around the whole page
                _rules_of_subpath(points, height, horizontal, vertical)
    return horizontal, vertical


def _merge(rules: list[Rule]) -> list[Rule]:
    """Rules on one line (within SNAP) that touch or overlap become one."""
    rules.sort(key=lambda r: (r.at, r.start, r.end))
    rows: list[list[Rule]] = []
    for rule in rules:
        if rows and rule.at - rows[-1][0].at <= SNAP:
            rows[-1].append(rule)
        else:
            rows.append([rule])
    merged: list[Rule] = []
    for row in rows:
        at = sum(r.at for r in row) / len(row)
        row.sort(key=lambda r: (r.start, r.end))
        current = Rule(at, row[0].start, row[0].end)
        for rule in row[1:]:
            if rule.start <= current.end + JOIN:
                current.end = max(current.end, rule.end)
            else:
                merged.append(current)
                current = Rule(at, rule.start, rule.end)
        merged.append(current)
    return merged


# --- tables from rules ----------------------------------------------------------------------------


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _touches(h: Rule, v: Rule) -> bool:
    return h.start - JOIN <= v.at <= h.end + JOIN and v.start - JOIN <= h.at <= v.end + JOIN


def _frames(horizontal: list[Rule], vertical: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """Groups of rules that touch one another: each is one table's frame."""
    n = len(horizontal)
    parent = list(range(n + len(vertical)))
    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if _touches(h, v):
                _union(parent, i, n + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(_find(parent, i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(_find(parent, n + j), ([], []))[1].append(v)
    frames = [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]
    frames.sort(key=lambda g: (min(r.at for r in g[0]), min(r.at for r in g[1])))
    return frames


OPEN_EDGE = 5.0  # points the column rules of a frame run past its first or last row rule


def _closed(horizontal: list[Rule], vertical: list[Rule]) -> list[Rule]:
    """A frame's row rules, with an edge added where its column rules run on past the last (or
    first) one: a row cut by the page break has no rule below (or above) it on this page, yet its
    cells are the table's (Beijing's 绩效目标表 rows taller than a page)."""
    left, right = min(v.at for v in vertical), max(v.at for v in vertical)
    top, bottom = min(h.at for h in horizontal), max(h.at for h in horizontal)
    out = list(horizontal)
    lower = sorted((v.end for v in vertical), reverse=True)
    upper = sorted(v.start for v in vertical)
    if len(lower) >= 2 and lower[1] > bottom + OPEN_EDGE:  # two columns at least, not one stray rule
        out.append(Rule(lower[1], left, right))
    if len(upper) >= 2 and upper[1] < top - OPEN_EDGE:
        out.append(Rule(upper[1], left, right))
    return out


def _with_open_columns(
    frames: list[tuple[list[Rule], list[Rule]]], vertical: list[Rule]
) -> list[tuple[list[Rule], list[Rule]]]:
    """Frames with the column rules beside them that no row rule touches but that run exactly as
    high as the frame's own: columns of one cell taller than the page, whose top and bottom
    borders are on other pages (a project's name and amounts beside its indicators)."""
    used = {id(v) for _, frame_v in frames for v in frame_v}
    loose = [v for v in vertical if id(v) not in used]
    out = []
    for frame_h, frame_v in frames:
        top, bottom = min(v.start for v in frame_v), max(v.end for v in frame_v)
        beside = [v for v in loose if abs(v.start - top) <= SNAP and abs(v.end - bottom) <= SNAP]
        if len(beside) < 2:
            out.append((frame_h, frame_v))
            continue
        columns = frame_v + beside
        left, right = min(v.at for v in columns), max(v.at for v in columns)
        edges = [Rule(top, left, right), Rule(bottom, left, right)]
        out.append((frame_h + edges, columns))
        loose = [v for v in loose if v not in beside]
    return out


def _positions(rules: list[Rule]) -> list[float]:
    """Distinct positions of rules (within SNAP), in order."""
    out: list[float] = []
    for at in sorted(r.at for r in rules):
        if out and at - out[-1] <= SNAP:
            continue
        out.append(at)
    return out


def _by_position(rules: list[Rule], positions: list[float]) -> list[list[tuple[float, float]]]:
    """The spans of the rules at each position (rules snapped to their nearest position)."""
    spans: list[list[tuple[float, float]]] = [[] for _ in positions]
    for rule in rules:
        k = bisect_right(positions, rule.at)  # the nearest is this position or the one before
        if k == len(positions) or (k > 0 and rule.at - positions[k - 1] <= positions[k] - rule.at):
            k -= 1
        spans[k].append((rule.start - JOIN, rule.end + JOIN))
    return spans


def _covered(spans: list[tuple[float, float]], point: float) -> bool:
    """Does one of the rules at a position pass `point`?"""
    return any(start <= point <= end for start, end in spans)


# Marks drawn low or high on a line, whose boxes barely touch the line's: a comma in 13,874.11.
_LOW_MARKS = frozenset(",.，。、;；:：'\"“”‘’")


def lines_of(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into printed lines, top to bottom, each left to right. A character
    belongs to a line its box overlaps by half its height or the line's; punctuation (commas,
    quotes), drawn low or high, belongs to a line it touches at all. Wrapped lines, and smaller
    text that reaches into a title's band, barely touch: they are lines of their own."""
    lines: list[list[Char]] = []
    top = bottom = 0.0
    for char in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines:
            overlap = min(bottom, char.bottom) - max(top, char.top)
            small = char.text in _LOW_MARKS
            if overlap > 0 and (small or overlap >= 0.5 * min(char.height, bottom - top)):
                lines[-1].append(char)
                top, bottom = min(top, char.top), max(bottom, char.bottom)
                continue
        lines.append([char])
        top, bottom = char.top, char.bottom
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _line_text(
    line: list[Char], space: float, wide: float | None = None, near_numbers: float = 0.0, least: float = 0.0
) -> str:
    """One printed line's characters as text: a gap wider than `space` times the characters'
    height (at least `least`) is a space, two past `wide`, except between the digits and
    separators of a number closer than `near_numbers` times that height (some fonts space them out)."""
    text = line[0].text
    for previous, char in zip(line, line[1:], strict=False):
        gap = char.x0 - previous.x1
        size = max(char.height, previous.height, least)
        if gap > space * size and not (_numeric_join(previous.text, char.text) and gap < near_numbers * size):
            text += "  " if wide is not None and gap > wide * size else " "
        text += char.text
    return text


def cell_text(chars: list[Char]) -> str:
    """The text of a cell: its characters in lines top to bottom, each left to right. Wrapped lines
    join without a space (Chinese and numbers wrap anywhere); a wide gap inside a line is a space."""
    if not chars:
        return ""
    parts = [_line_text(line, 0.5, near_numbers=float("inf")) for line in lines_of(chars)]
    joined = parts[0]
    for part in parts[1:]:
        joined += " " + part if joined[-1:].isascii() and joined[-1:].isalpha() and part[:1].isalpha() else part
    return joined


def _numeric_join(before: str, after: str) -> bool:
    return (before.isdigit() or before in ",.，．") and (after.isdigit() or after in ",.，．")


def _grid(horizontal: list[Rule], vertical: list[Rule], chars: list[Char]) -> tuple[Grid, set[int]]:
    """A table from its frame: row bands, columns, merged cells (no rule between two grid cells),
    and the text of each cell; also which characters (by index) it took."""
    ys = _positions(horizontal)
    xs = _positions(vertical)
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))
    at_x = _by_position(vertical, xs)
    at_y = _by_position(horizontal, ys)
    for i in range(rows):
        mid_y = (ys[i] + ys[i + 1]) / 2
        for j in range(cols):
            if j + 1 < cols and not _covered(at_x[j + 1], mid_y):
                _union(parent, i * cols + j, i * cols + j + 1)
            if i + 1 < rows and not _covered(at_y[i + 1], (xs[j] + xs[j + 1]) / 2):
                _union(parent, i * cols + j, (i + 1) * cols + j)
    contents: dict[int, list[Char]] = {}
    taken: set[int] = set()
    for index, char in enumerate(chars):
        cx, cy = char.cx, char.cy
        if not (xs[0] - 1 <= cx <= xs[-1] + 1 and ys[0] - 1 <= cy <= ys[-1] + 1):
            continue
        i = min(max(bisect_right(ys, cy) - 1, 0), rows - 1)
        j = min(max(bisect_right(xs, cx) - 1, 0), cols - 1)
        contents.setdefault(_find(parent, i * cols + j), []).append(char)
        taken.add(index)
    table: list[list[str]] = []
    bands: list[tuple[float, float]] = []
    for i in range(rows):
        row = []
        for j in range(cols):
            root = _find(parent, i * cols + j)
            row.append(cell_text(contents.get(root, [])) if root == i * cols + j else "")
        if any(row):
            table.append(row)
            bands.append((ys[i], ys[i + 1]))
    return Grid(ys, xs, table, bands), taken


# --- text lines outside tables ------------------------------------------------------------------


def text_lines(chars: list[Char]) -> list[tuple[str, float, float, float, float]]:
    """Characters outside tables as lines of text: (text, x0, top, x1, bottom), top to bottom."""
    return [
        (
            _line_text(group, 0.3, wide=2.0, near_numbers=1.0, least=1.0),
            min(c.x0 for c in group),
            min(c.top for c in group),
            max(c.x1 for c in group),
            max(c.bottom for c in group),
        )
        for group in lines_of(chars)
    ]


# --- pages into lines ---------------------------------------------------------------------------


@dataclass
class _PageItem:
    """A table (with its grid) or a line of text on a page."""

    top: float
    text: str = ""
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    grid: Grid | None = None


def _page_geometry(raw, pdf, index: int) -> tuple[list[Char], list[Rule], list[Rule]]:  # type: ignore[no-untyped-def]
    """A PDF page's characters and ruling lines."""
    page = raw.FPDF_LoadPage(pdf, index)
    try:
        height = raw.FPDF_GetPageHeightF(page)
        width = raw.FPDF_GetPageWidthF(page)
        textpage = raw.FPDFText_LoadPage(page)
        try:
            chars = _page_chars(raw, textpage, width, height)
        finally:
            raw.FPDFText_ClosePage(textpage)
        horizontal, vertical = _page_rules(raw, page, height, width * height)
    finally:
        raw.FPDF_ClosePage(page)
    return chars, horizontal, vertical


def page_items(chars: list[Char], horizontal: list[Rule], vertical: list[Rule]) -> list[_PageItem]:
    """A page as tables (from its rules) and text lines (the characters no table took), top to
    bottom; at the same height a text line comes first."""
    items: list[_PageItem] = []
    rest = chars
    merged_v = _merge(vertical)
    frames = _frames(_merge(horizontal), merged_v)
    for frame_h, frame_v in _with_open_columns(frames, merged_v):
        grid, took = _grid(_closed(frame_h, frame_v), frame_v, rest)
        rest = [c for k, c in enumerate(rest) if k not in took]
        if grid.rows:
            items.append(_PageItem(grid.top, grid=grid))
    for text, x0, top, x1, bottom in text_lines(rest):
        items.append(_PageItem(top, text, (x0, top, x1, bottom)))
    items.sort(key=lambda item: (item.top, item.grid is not None, item.box))
    return items


@dataclass
class _OpenTable:
    """The last table of a page, which the next page's first table may continue."""

    signature: tuple[int, ...]
    header: list[list[str]]  # the rows of its first page, to recognise a repeated header
    context: list[str]  # the text lines above it on its first page (title, unit, department)


HEADER_ROWS_COMPARED = 8


def _continues(open_table: _OpenTable | None, grid: Grid, texts_before: list[str]) -> bool:
    """A page's first table continues the previous page's last one: same columns, and nothing
    above it on the page but lines repeating what stood above that table (title, unit) or page
    numbers."""
    if open_table is None or grid.signature() != open_table.signature:
        return False
    return all(text in open_table.context or page_furniture(text) for text in texts_before)


def read_pdf(path: Path, data: bytes) -> PdfDocument:
    """The document model of a PDF: table rows as tab-separated lines, other text as plain lines."""
    import pypdfium2.raw as raw

    buffer = ctypes.create_string_buffer(data, len(data))
    pdf = raw.FPDF_LoadMemDocument64(buffer, len(data), None)
    if not pdf:
        if raw.FPDF_GetLastError() == raw.FPDF_ERR_PASSWORD:
            raise InputError(path, None, "the PDF is password-protected; it cannot be read without the password")
        raise InputError(path, None, "the file starts like a PDF but cannot be read as one (damaged or cut off)")
    try:
        pages = raw.FPDF_GetPageCount(pdf)
        geometry = [_page_geometry(raw, pdf, index) for index in range(pages)]
    finally:
        raw.FPDF_CloseDocument(pdf)
    return PdfDocument(assemble(geometry), pages, sum(len(chars) for chars, _, _ in geometry))


def assemble(pages: list[tuple[list[Char], list[Rule], list[Rule]]]) -> list[Line]:
    """The document model's lines from pages laid out as characters and rules (a PDF, or a web
    page that positions a PDF's text and rules): a table continued on the next page goes on as
    the same run of rows, its repeated title and header left out."""
    lines: list[Line] = []
    open_table: _OpenTable | None = None
    for index, (chars, horizontal, vertical) in enumerate(pages):
        items = page_items(chars, horizontal, vertical)
        page = index + 1
        pending: list[_PageItem] = []  # text lines since the last table on this page
        next_open: _OpenTable | None = None
        first = True
        for item in items:
            if item.grid is None:
                pending.append(item)
                continue
            grid = item.grid
            rows = list(zip(grid.rows, grid.bands, strict=True))
            header = grid.rows[:HEADER_ROWS_COMPARED]
            context = [p.text for p in pending[-4:]]
            if first and _continues(open_table, grid, [p.text for p in pending]):
                assert open_table is not None
                skip = 0
                while skip < min(len(rows), len(open_table.header)) and rows[skip][0] == open_table.header[skip]:
                    skip += 1  # the header printed again on the new page
                rows = rows[skip:]
                header, context = open_table.header, open_table.context
            else:
                lines.extend(Line(p.text, Location(page, *p.box)) for p in pending)
            pending = []
            first = False
            for cells, (top, bottom) in rows:
                text = "\t".join(_one_line(c) for c in cells)
                lines.append(Line(text, Location(page, grid.xs[0], top, grid.xs[-1], bottom)))
            next_open = _OpenTable(grid.signature(), header, context)
        lines.extend(Line(p.text, Location(page, *p.box)) for p in pending)
        open_table = next_open if all(page_furniture(p.text) for p in pending) else None
    return lines


def _one_line(text: str) -> str:
    """A cell's text on one line of the model: tabs and line breaks would cut the row."""
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
