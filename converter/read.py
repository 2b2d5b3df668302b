"""Stage 1: read a disclosure's text file into numbered lines, and say what the file was."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from converter.errors import InputError

# GB18030 is a superset of GBK and GB2312, the encodings Chinese government files use besides UTF-8.
_FALLBACK_ENCODINGS = ("gb18030",)


@dataclass(frozen=True)
class Source:
    """A disclosure as text: `lines[0]` is line 1 of the file."""

    path: Path
    lines: tuple[str, ...]
    sha256: str
    encoding: str
    newline: str
    size: int

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


def read_source(path: Path) -> Source:
    """Read one disclosure file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read the file ({exc.strerror})") from None
    text, encoding = decode(data, path)
    lines, newline = split_lines(text)
    return Source(
        path=path,
        lines=lines,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        newline={"\r\n": "CRLF", "\r": "CR", "\n": "LF"}[newline],
        size=len(data),
    )
