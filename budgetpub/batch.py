"""A batch of conversions (`budgetpub convert FOLDER`): every input converted, results in input order.

Two inputs that make the same package are never both written, and never race each other: the
first in input order keeps the package, whichever process finishes first, and the other is
refused (skipped when it is the same disclosure, failed otherwise). An operating-system error (a
read-only or full output folder, a file over the system's size limit, a name the system refuses)
fails that input with one plain line, nothing half-written, and the batch goes on.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from converter import ConvertResult, Disclosure, convert_file

if TYPE_CHECKING:
    from converter.pipeline import Conversion


LONGEST_SHOWN = 200  # characters of a path shown in a message; longer ones are shortened in the middle


def printable(text: str) -> str:
    """Text that can be printed: bytes of a file name that are not UTF-8 are shown as �."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def shown(path: object) -> str:
    """A path for a one-line message: printable, and at most about 200 characters."""
    text = printable(os.fsdecode(path) if isinstance(path, (bytes, os.PathLike)) else str(path))
    if len(text) <= LONGEST_SHOWN:
        return text
    return f"{text[:80]}…{text[-80:]} ({len(text)} characters)"


def os_error_line(exc: OSError) -> str:
    """An operating-system error as 'PATH: reason', the path as the system named it."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    return f"{shown(exc.filename)}: {reason}"


def unusable(path: Path) -> str | None:
    """Why an input cannot be converted before it is even read: it is missing, the system refuses
    its name (too long …), or its name is not UTF-8 (a package records its source's name as text)."""
    try:
        if not path.exists():
            return f"{shown(path)}: no such file or folder"
    except OSError as exc:
        return f"{shown(path)}: {exc.strerror or exc}"
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return f"{shown(path)}: the file name is not UTF-8 text; rename the file"
    return None


@dataclass(frozen=True)
class Claims:
    """Who in the batch writes each package: a folder of small records shared by the processes.

    `<name>/owner` holds the input index that wrote the package, `<name>/<index>` each writer's
    input and source sha256; a lock file per name makes claiming and writing one step."""

    folder: Path
    index: int

    @contextmanager
    def __call__(self, path: Path, conversion: Conversion) -> Iterator[ConvertResult | None]:
        names = self.folder / conversion.name
        names.mkdir(exist_ok=True)
        with open(names / "lock", "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            owner = _read(names / "owner")
            if owner is not None and int(owner["index"]) < self.index:
                yield refusal(path, conversion.name, conversion.source.sha256, owner)
                return
            yield None  # the package is written here, under the lock
            record = {"index": self.index, "input": os.fsdecode(path), "sha256": conversion.source.sha256}
            _write(names / str(self.index), record)
            _write(names / "owner", record)


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _write(path: Path, record: dict) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, path)


def refusal(path: Path, name: str, sha256: str, owner: dict) -> ConvertResult:
    """The result of an input whose package another input of the batch made first."""
    if owner["sha256"] == sha256:
        return ConvertResult(
            path, "skipped", message=f"{shown(path)}: the same disclosure as {shown(owner['input'])} (package {name})"
        )
    return ConvertResult(
        path,
        "failed",
        message=f"{shown(path)}: makes package {name}, as {shown(owner['input'])} does, with other content; "
        "not written (two disclosures cannot be the same package: remove or correct one)",
    )


def convert_one(
    item: tuple[int, Disclosure], out_dir: Path, allow_partial: bool, max_bytes: int | None, claims: Path
) -> ConvertResult:
    """Convert one input of a batch; an operating-system error is its failure, not the batch's."""
    index, disclosure = item
    refused = next(filter(None, map(unusable, disclosure)), None)
    if refused is not None:
        return ConvertResult(disclosure[0], "failed", message=refused)
    try:
        return convert_file(disclosure, out_dir, allow_partial, max_bytes, guard=Claims(claims, index))
    except OSError as exc:
        return ConvertResult(disclosure[0], "failed", message=_os_failure(disclosure[0], out_dir, exc))


def _os_failure(path: Path, out_dir: Path, exc: OSError) -> str:
    """'INPUT: cannot write into OUT: reason' or 'INPUT: PATH: reason', nothing written."""
    reason = exc.strerror or str(exc)
    written = exc.filename is not None and _under(Path(os.fsdecode(exc.filename)), out_dir)
    if written or exc.filename is None:
        return f"{shown(path)}: cannot write the package into {shown(out_dir)}: {reason}; nothing written"
    return f"{shown(path)}: {os_error_line(exc)}"


def _under(path: Path, folder: Path) -> bool:
    try:
        return path.absolute().is_relative_to(folder.absolute())
    except OSError:
        return False


def _owner_of(claims: Path, result: ConvertResult, index: int) -> ConvertResult:
    """A result as the batch ends it: a package written by this input but then taken over by an
    earlier input (which finished later, in another process) is that input's, not this one's."""
    if result.status not in ("converted", "partial") or result.package is None:
        return result
    names = claims / result.package.name
    owner, mine = _read(names / "owner"), _read(names / str(index))
    if owner is None or mine is None or int(owner["index"]) == index:
        return result
    return refusal(result.input, result.package.name, mine["sha256"], owner)


def convert_batch(
    disclosures: list[Disclosure],
    out_dir: Path,
    *,
    jobs: int = 1,
    allow_partial: bool = False,
    max_bytes: int | None = None,
) -> Iterator[ConvertResult]:
    """Each disclosure's result (see `converter.find_disclosures`), in input order, as soon as it
    is known; one process per job."""
    numbered = list(enumerate(disclosures))
    claims = Path(tempfile.mkdtemp(prefix="budgetpub-batch-"))
    work = partial(convert_one, out_dir=out_dir, allow_partial=allow_partial, max_bytes=max_bytes, claims=claims)
    try:
        if jobs == 1 or len(numbered) <= 1:
            results = map(work, numbered)
            for index, result in enumerate(results):
                yield _owner_of(claims, result, index)
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, min(16, len(numbered) // (jobs * 4) or 1))
            for index, result in enumerate(pool.map(work, numbered, chunksize=chunk)):
                yield _owner_of(claims, result, index)
    finally:
        shutil.rmtree(claims, ignore_errors=True)
