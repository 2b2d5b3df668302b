"""Errors a user can act on: each names the file and, where known, the line."""

from __future__ import annotations

from pathlib import Path


class BudgetpubError(Exception):
    """Base for errors shown to users as one plain message (never a traceback)."""


class InputError(BudgetpubError):
    """The input file cannot be converted."""

    def __init__(self, path: Path | str, line: int | None, message: str, page: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.page = page
        self.message = message
        if page:
            where = f"{self.path} (page {page})"  # a PDF: the model's line numbers mean nothing to a reader
        else:
            where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")


class UnsupportedDisclosure(BudgetpubError):
    """A disclosure of a kind this version does not convert yet (it is skipped, not failed)."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        super().__init__(f"{path}: {message}")
