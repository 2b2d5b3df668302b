"""A batch of conversions (`budgetpub convert FOLDER`): every input converted, results in input order.

Two inputs that make the same package are never both written, and never race each other: the
first in input order keeps the package, whichever process finishes first, and the other is
refused (skipped when it is the same disclosure, failed otherwise). An operating-system error (a
read-only or full output folder, a file over the system's size limit, a name the system refuses)
fails that input with one plain line, nothing half-written, and the batch goes on.
"""

from __future__ import annotations

import fcntl
import hashlib
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

from converter import WRITTEN, ConvertResult, Disclosure, convert_file

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
    out_dir: Path | None = None

    @contextmanager
    def __call__(self, path: Path, conversion: Conversion) -> Iterator[ConvertResult | None]:
        with self.hold(path, conversion.name, conversion.source.sha256, self.out_dir) as refused:
            yield refused

    @contextmanager
    def hold(self, path: Path, name: str, sha256: str, out_dir: Path | None) -> Iterator[ConvertResult | None]:
        """Claim package `name` for this input: a refusal when an earlier input holds it, else
        None while the package is written; `out_dir` given, a package this very input wrote
        already (a task run again after its worker died) is not written twice."""
        names = self.folder / name
        names.mkdir(parents=True, exist_ok=True)
        with open(names / "lock", "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            owner = _read(names / "owner")
            if owner is not None and int(owner["index"]) < self.index:
                yield refusal(path, name, sha256, owner)
                return
            mine = _read(names / str(self.index)) == self._record(path, sha256)
            if out_dir is not None and mine and (out_dir / name / "datapackage.json").is_file():
                yield ConvertResult(path, WRITTEN, out_dir / name)
                return
            yield None  # the package is written here, under the lock
            record = self._record(path, sha256)
            _write(names / str(self.index), record)
            _write(names / "owner", record)

    def _record(self, path: Path, sha256: str) -> dict:
        return {"index": self.index, "input": os.fsdecode(path), "sha256": sha256}


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
    item: tuple[int, Disclosure],
    out_dir: Path,
    allow_partial: bool,
    max_bytes: int | None,
    claims: Path,
    journal: Path | None = None,
) -> tuple[ConvertResult, str | None]:
    """Convert one input of a batch; an operating-system error is its failure, not the batch's.
    With a `journal`, an input that an earlier run of the batch converted (the same bytes,
    options and budgetpub), whose package is still as written, gives that run's result
    unconverted. Returns the result and the input's key for the batch's journal."""
    index, disclosure = item
    refused = next(filter(None, map(unusable, disclosure)), None)
    if refused is not None:
        return ConvertResult(disclosure[0], "failed", message=refused), None
    key = None
    try:
        if journal is not None:
            key = input_key(disclosure, allow_partial, max_bytes)
            earlier = resumed(journal, out_dir, key, disclosure[0], Claims(claims, index))
            if earlier is not None:
                return earlier, key
        return convert_file(disclosure, out_dir, allow_partial, max_bytes, guard=Claims(claims, index, out_dir)), key
    except OSError as exc:
        return ConvertResult(disclosure[0], "failed", message=_os_failure(disclosure[0], out_dir, exc)), key


# --- the batch's journal: what an interrupted batch had converted --------------------------------

RESUMED = "converted by an earlier run of this batch; not converted again"


def journal_of(out_dir: Path) -> Path | None:
    """Where the batches writing into `out_dir` journal what they converted: beside the validation
    cache (validate/cache.py; BUDGETPUB_CACHE), never in the output folder. None: no cache, no resuming."""
    from validate.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    return folder / "batches" / hashlib.sha256(os.fsencode(out_dir.absolute())).hexdigest()[:24]


def input_key(disclosure: Disclosure, allow_partial: bool, max_bytes: int | None) -> str:
    """What decides an input's result: its files (names and bytes), the options and budgetpub itself."""
    from validate.cache import validator_fingerprint

    digest = hashlib.sha256(f"{validator_fingerprint()}\0{allow_partial}\0{max_bytes}\n".encode())
    for path in disclosure:
        digest.update(os.fsencode(path.absolute()) + b"\0")
        content = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                content.update(block)
        digest.update(content.digest())
    return digest.hexdigest()


def _done(journal: Path, key: str) -> Path:
    return journal / key[:2] / f"{key}.json"


def _package_sha(package: Path) -> str | None:
    """The sha256 of every file of a package folder (names and bytes): a package edited since is
    converted again."""
    digest = hashlib.sha256()
    try:
        files = sorted(p for p in package.rglob("*") if p.is_file())
        for path in files:
            digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return digest.hexdigest() if files else None


def remember(journal: Path, key: str, result: ConvertResult) -> None:
    """Journal a converted input once its result is final (a package not taken over)."""
    if result.status not in ("converted", "partial") or result.package is None:
        return
    record = {
        "status": result.status,
        "package": result.package.name,
        "content": _package_sha(result.package),
        "tables": result.tables,
        "rows": result.rows,
        "findings": result.findings,
        "coverage": result.coverage,
        "unconverted": list(result.unconverted),
        "sha256": (_read(result.package / "datapackage.json") or {}).get("source", {}).get("sha256", ""),
    }
    path = _done(journal, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, record)
    except OSError:
        pass  # a journal that cannot be written: that input is converted again on resuming


def resumed(journal: Path, out_dir: Path, key: str, path: Path, claims: Claims) -> ConvertResult | None:
    """The journalled result of an input, when its package is still the one it wrote; its claim
    on the package is taken as a conversion's would be."""
    try:
        record = _read(_done(journal, key))
    except (OSError, ValueError):
        return None
    if record is None or _package_sha(out_dir / record["package"]) != record.get("content"):
        return None
    with claims.hold(path, record["package"], record["sha256"], out_dir=None) as refused:
        if refused is not None:
            return refused
    return ConvertResult(
        path,
        record["status"],
        out_dir / record["package"],
        record["tables"],
        record["rows"],
        record["findings"],
        RESUMED,
        record["coverage"],
        tuple(record["unconverted"]),
    )


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
    resume: bool = True,
) -> Iterator[ConvertResult]:
    """Each disclosure's result (see `converter.find_disclosures`), in input order, as soon as it
    is known; one process per job. With `resume` (the default) each converted input is journalled
    (see journal_of), and a batch run again after an interruption gives the journalled results of
    the inputs it had converted (unchanged since) without converting them again."""
    numbered = list(enumerate(disclosures))
    claims = Path(tempfile.mkdtemp(prefix="budgetpub-batch-"))
    journal = journal_of(out_dir) if resume else None
    work = partial(
        convert_one, out_dir=out_dir, allow_partial=allow_partial, max_bytes=max_bytes, claims=claims, journal=journal
    )
    try:
        if jobs == 1 or len(numbered) <= 1:
            for index, (result, key) in enumerate(map(work, numbered)):
                yield finish(journal, claims, result, index, key)
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, min(16, len(numbered) // (jobs * 4) or 1))
            for index, (result, key) in enumerate(pool.map(work, numbered, chunksize=chunk)):
                yield finish(journal, claims, result, index, key)
    finally:
        shutil.rmtree(claims, ignore_errors=True)


def finish(journal: Path | None, claims: Path, result: ConvertResult, index: int, key: str | None) -> ConvertResult:
    """An input's final result (see _owner_of), journalled when it converted; call in input order."""
    result = _owner_of(claims, result, index)
    if journal is not None and key is not None and result.message != RESUMED:
        remember(journal, key, result)
    return result
