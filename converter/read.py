"""Stage 1: read a disclosure's text file into numbered lines, and say what the file was."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from converter.errors import InputError

# GB18030 is a superset of GBK and GB2312, the encodings Chinese government files use besides UTF-8.
_FALLBACK_ENCODINGS = ("gb18030",)
# A disclosure's text is a few hundred kilobytes; anything this large is not one (or is many).
MAX_BYTES = 20 * 1024 * 1024
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

    @property
    def file_name(self) -> str:
        return self.path.name


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or GB18030; refuse binary files."""
    if not data.strip():
        raise InputError(path, None, "the file is empty")
    if b"\x00" in data[:4096]:
        raise InputError(path, None, "the file is binary, not the text of a disclosure")
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


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> Source:
    """Read one disclosure file; refuse what cannot be one (empty, binary, far too large)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                path,
                None,
                f"the file is {size / 1024 / 1024:.1f} MB; a disclosure's text is well under "
                f"{max_bytes / 1024 / 1024:.0f} MB, so it is not read (raise the limit with --max-size)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read the file ({exc.strerror})") from None
    return source_from_bytes(path, data)
