"""Stage 1: read a disclosure into the document model, and say what the file was.

The document model is one list of numbered lines: a table row is a tab-separated line, anything
else a plain line. Each input format has a reader that makes it (text files here, PDFs in
`converter.pdf`, saved web pages in `converter.html`), and every stage after this one reads only
the model, so nothing downstream knows which format a table came from. For PDFs and web pages
each line also keeps where it was printed (page and box, or the element's position).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from converter.errors import InputError
from converter.pdf import Location

# GB18030 is a superset of GBK and GB2312, the encodings Chinese government files use besides UTF-8.
_FALLBACK_ENCODINGS = ("gb18030",)
# A disclosure's text is a few hundred kilobytes; anything this large is not one (or is many).
MAX_BYTES = 20 * 1024 * 1024
# PDFs carry fonts and drawings: a disclosure's PDF is a few megabytes, a scanned one more.
MAX_PDF_BYTES = 200 * 1024 * 1024
# A PDF with fewer characters than this per page has no usable text layer (scans, outlined glyphs).
MIN_CHARS_PER_PAGE = 10
_SPACE_RUN = re.compile(r"(?: {2,}|\u3000+| ?\u3000 ?)")


@dataclass(frozen=True)
class Source:
    """A disclosure as text: `lines[0]` is line 1 of the file."""

    path: Path
    lines: tuple[str, ...]
    sha256: str
    encoding: str
    newline: str
    size: int
    separator: str = "tab"  # tab, or spaces when the extraction laid tables out with runs of spaces
    ends_with_newline: bool = True  # False for a file cut off mid-line
    format: str = "text"  # text, pdf or html: which reader made the lines
    locations: tuple[Location | None, ...] = ()  # for PDFs: where each line was printed
    pages: int = 0  # for PDFs
    parts: tuple[Part, ...] = ()  # a disclosure published as several files: each, in order

    def location(self, line: int | None) -> Location | None:
        """Where the 1-based line was printed (PDFs), else None."""
        if not line or not self.locations or line > len(self.locations):
            return None
        return self.locations[line - 1]

    @property
    def file_name(self) -> str:
        return self.path.name

    def printed_at(self, line: int | None) -> tuple[Path, int | None]:
        """The file the 1-based line was printed in and its page there (None for text)."""
        where = self.location(line)
        if where is None:
            return self.path, None
        for part in self.parts:
            if part.first_page <= where.page < part.first_page + part.pages:
                return part.path, where.page - part.first_page + 1
        return self.path, where.page

    def cite(self, line: int | None) -> tuple[Path, str]:
        """The file and the place a user can look at: 'page 17' for a PDF, 'line 175' for text."""
        path, page = self.printed_at(line)
        return path, f"page {page}" if page else (f"line {line}" if line else "")


@dataclass(frozen=True)
class Part:
    """One file of a disclosure published in parts; its pages are numbered on from the part before."""

    path: Path
    sha256: str
    size: int
    first_page: int
    pages: int

    @property
    def file_name(self) -> str:
        return self.path.name


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or GB18030; refuse binary files."""
    if not data.strip():
        raise InputError(path, None, "the file is empty")
    if b"\x00" in data[:4096]:
        raise InputError(path, None, "the file is binary, not the text of a disclosure")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise InputError(path, line, "a NUL byte in the text: binary data inside the file, so it is not read as text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    line = data[: utf8_error.start].count(b"\n") + 1
    raise InputError(path, line, "the file is neither UTF-8 nor GB18030 text")


def split_lines(text: str) -> tuple[tuple[str, ...], str]:
    """Split on CRLF, CR or LF; report which one the file used."""
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = normalized.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines), newline


def _tabular(cells: list[str]) -> bool:
    """Cells of a table line: three or more, short, not a sentence."""
    return len(cells) >= 3 and all(len(c) <= 60 for c in cells) and not any("。" in c for c in cells)


def space_separated(lines: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """Tables laid out with runs of spaces (or full-width spaces) instead of tabs, as some
    extractors do: such lines get tabs. Only when the text has no tab at all, so a tab-separated
    disclosure is never re-cut."""
    if any("\t" in line for line in lines):
        return lines, "tab"
    out = []
    changed = False
    for line in lines:
        cells = _SPACE_RUN.split(line.strip())
        if _tabular(cells):
            out.append("\t".join(cells))
            changed = True
        else:
            out.append(line)
    return (tuple(out), "spaces") if changed else (lines, "tab")


def source_from_bytes(path: Path, data: bytes) -> Source:
    """A disclosure from its bytes: decoded, split into lines, tables' separators normalised."""
    text, encoding = decode(data, path)
    lines, newline = split_lines(text)
    lines, separator = space_separated(lines)
    return Source(
        path=path,
        lines=lines,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        newline={"\r\n": "CRLF", "\r": "CR", "\n": "LF"}[newline],
        size=len(data),
        separator=separator,
        ends_with_newline=text.endswith(("\n", "\r")),
    )


def is_pdf(head: bytes) -> bool:
    """A PDF says so in its first kilobyte (%PDF-), whatever its name."""
    return b"%PDF-" in head[:1024]


def sniff(data: bytes) -> str:
    """The input format from the content, never the extension: pdf, html or text."""
    if is_pdf(data):
        return "pdf"
    lowered = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or (lowered.startswith(b"<") and b"<table" in data.lower()):
        return "html"
    return "text"


def pdf_source(path: Path, data: bytes) -> Source:
    """A PDF disclosure through the PDF reader; refused when it has no usable text layer."""
    from converter.pdf import read_pdf

    document = read_pdf(path, data)
    if document.pages == 0:
        raise InputError(path, None, "the PDF has no pages")
    if document.chars < MIN_CHARS_PER_PAGE * document.pages:
        raise InputError(
            path,
            None,
            f"the PDF has no usable text layer ({document.chars} characters on {document.pages} page(s): its pages "
            "are scanned images or its glyphs are drawn as shapes); it would need OCR, which budgetpub does not do",
        )
    return Source(
        path=path,
        lines=tuple(line.text for line in document.lines),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding="",
        newline="",
        size=len(data),
        separator="geometry",
        format="pdf",
        locations=tuple(line.location for line in document.lines),
        pages=document.pages,
    )


def html_source(path: Path, data: bytes) -> Source:
    """A saved web page through the HTML reader."""
    from converter.html import read_html

    text, encoding = decode(data, path)
    lines, locations = read_html(text)
    if not any("\t" in line for line in lines):
        raise InputError(path, None, "the web page holds no table (neither <table> elements nor positioned pages)")
    return Source(
        path=path,
        lines=tuple(lines),
        locations=tuple(locations) if any(locations) else (),
        pages=max((loc.page for loc in locations if loc), default=0),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        newline="",
        size=len(data),
        separator="html",
        format="html",
    )


def read_source(path: Path, max_bytes: int | None = None) -> Source:
    """Read one disclosure file (text, PDF or saved web page); refuse what cannot be one (empty,
    binary, far too large, a PDF without a text layer)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            pdf = is_pdf(handle.read(1024))  # the limit depends on it, and it is checked before reading
        limit = max_bytes or (MAX_PDF_BYTES if pdf else MAX_BYTES)
        if size > limit:
            what = "a disclosure's PDF" if pdf else "a disclosure's text"
            raise InputError(
                path,
                None,
                f"the file is {size / 1024 / 1024:.1f} MB; {what} is well under "
                f"{limit / 1024 / 1024:.0f} MB, so it is not read (raise the limit with --max-size)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read the file ({exc.strerror})") from None
    kind = sniff(data)
    if kind == "pdf":
        return pdf_source(path, data)
    if kind == "html":
        return html_source(path, data)
    return source_from_bytes(path, data)


def read_disclosure(paths: list[Path], max_bytes: int | None = None) -> Source:
    """One disclosure from its file, or from the files it was published as (情况说明 and 报表 as
    two PDFs): their lines one after the other, the pages numbered on across the files. Its
    sha256 is that of the parts' sha256s in order; each part keeps its own."""
    if len(paths) == 1:
        return read_source(paths[0], max_bytes)
    sources = [read_source(path, max_bytes) for path in paths]
    lines: list[str] = []
    locations: list[Location | None] = []
    parts: list[Part] = []
    first_page = 1
    for source in sources:
        lines.extend(source.lines)
        pages = source.pages
        if source.locations:
            offset = first_page - 1
            locations.extend(
                Location(loc.page + offset, loc.x0, loc.top, loc.x1, loc.bottom) if loc else None
                for loc in source.locations
            )
        else:
            locations.extend([None] * len(source.lines))
        parts.append(Part(source.path, source.sha256, source.size, first_page, pages))
        first_page += pages
    combined = hashlib.sha256("".join(s.sha256 for s in sources).encode()).hexdigest()
    first = sources[0]
    return Source(
        path=first.path,
        lines=tuple(lines),
        sha256=combined,
        encoding=first.encoding,
        newline=first.newline,
        size=sum(s.size for s in sources),
        separator=first.separator,
        format=first.format,
        locations=tuple(locations) if any(locations) else (),
        pages=first_page - 1,
        parts=tuple(parts),
    )
