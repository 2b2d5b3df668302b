"""The source documents behind a site: found by their sha256, shown so a reader can check a number.

A text disclosure becomes one page with an anchor per line (`#L166`); a PDF becomes one page per
PDF page, an image of it on which the figure's box (`#b=x0,top,x1,bottom`, PDF points from the
top-left corner, as provenance records it) is drawn, and a copy of the PDF itself. The images are
PNGs written here (8-bit grey, fixed compression), so the same PDF gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

SOURCE_SUFFIXES = (".txt", ".pdf", ".html", ".htm")
PAGE_WIDTH_PIXELS = 1000  # a page image's width: legible on a desktop, light on a phone
MAX_SCALE = 1.5


@dataclass(frozen=True)
class SourcePart:
    """One file of a disclosure (a disclosure may be printed as two PDFs)."""

    file: str
    sha256: str
    first_page: int  # its first page in the disclosure's page numbering (1 for a single file)


@dataclass(frozen=True)
class SourceDoc:
    """A version's source document as the site links to it."""

    key: str  # the folder under sources/: the disclosure's sha256, shortened
    kind: str  # text | pdf | other
    parts: tuple[SourcePart, ...]
    encoding: str

    @property
    def folder(self) -> str:
        return f"sources/{self.key}"


def source_doc(descriptor: dict) -> SourceDoc | None:
    """The source a package names in `source` (None when it names none)."""
    source = descriptor.get("source") or {}
    if not source.get("sha256"):
        return None
    file = str(source.get("file", ""))
    kind = "pdf" if source.get("format") == "pdf" or file.lower().endswith(".pdf") else "text"
    if source.get("format") not in (None, "", "pdf", "text"):
        kind = "other"
    parts = tuple(
        SourcePart(str(p["file"]), str(p["sha256"]), int(p.get("first_page", 1))) for p in source.get("parts", [])
    ) or (SourcePart(file, str(source["sha256"]), 1),)
    return SourceDoc(str(source["sha256"])[:16], kind, parts, str(source.get("encoding") or "utf-8"))


def index_files(folders: list[Path]) -> dict[str, Path]:
    """Every candidate source file under `folders` by its sha256 (the first found by sorted path wins)."""
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in SOURCE_SUFFIXES:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found.setdefault(digest, path)
    return found


def available(doc: SourceDoc, files: dict[str, Path]) -> bool:
    """The site shows the source (and links numbers to it) for text and PDF sources found in full."""
    return doc.kind in ("text", "pdf") and all(part.sha256 in files for part in doc.parts)


def line_href(doc: SourceDoc, line: int) -> str:
    return f"{doc.folder}/text.html#L{line}"


def page_href(doc: SourceDoc, page: int, bbox: str) -> str:
    return f"{doc.folder}/page-{page}.html" + (f"#b={bbox}" if bbox else "")


def png_grey(width: int, height: int, stride: int, pixels: bytes) -> bytes:
    """An 8-bit greyscale PNG of `pixels` (rows of `stride` bytes), written byte for byte the same each time."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + pixels[y * stride : y * stride + width] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def text_lines(path: Path, encoding: str) -> list[str]:
    """The lines of a text disclosure numbered as provenance numbers them (1-based, any newline)."""
    text = path.read_bytes().decode(encoding or "utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def text_body(doc: SourceDoc, path: Path) -> str:
    """The text of a disclosure, one anchored line per source line."""
    rows = []
    for number, line in enumerate(text_lines(path, doc.encoding), start=1):
        rows.append(
            f'<span class="line" id="L{number}"><a class="ln" href="#L{number}" aria-label="{number}">{number}</a>'
            f"{html.escape(line)}</span>"
        )
    return '<pre class="source-text">' + "\n".join(rows) + "</pre>"


@dataclass(frozen=True)
class PageImage:
    page: int  # in the disclosure's numbering
    part: SourcePart
    local_page: int  # in its own file
    width_points: float
    height_points: float
    png: bytes
    width_pixels: int
    height_pixels: int


def pdf_pages(doc: SourceDoc, files: dict[str, Path]) -> list[PageImage]:
    """Every page of the disclosure's PDFs as a grey PNG."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pages = []
    for part in doc.parts:
        pdf = pdfium.PdfDocument(str(files[part.sha256]))
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                width, height = page.get_size()
                scale = min(MAX_SCALE, PAGE_WIDTH_PIXELS / width)
                bitmap = page.render(scale=scale, grayscale=True, force_bitmap_format=pdfium_c.FPDFBitmap_Gray)
                png = png_grey(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
                pages.append(
                    PageImage(part.first_page + index, part, index + 1, width, height, png, bitmap.width, bitmap.height)
                )
        finally:
            pdf.close()
    return pages
