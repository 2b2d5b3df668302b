"""The same batch on a Dask distributed cluster: `convert` and `validate` with --scheduler or --local-cluster.

Each input is one task (`budgetpub.batch.convert_one`, as in a local batch), submitted a window
at a time so a batch of any size holds only that many in flight; results are streamed back and
given in input order. A worker that dies (killed, out of memory, its machine lost) has its tasks
run again elsewhere by the scheduler; an input whose package it had already written is not
written again (the batch's claims record which input wrote each package), so every package is
written exactly once and every input has exactly one result.

On a real cluster every worker needs budgetpub installed (the same version) and must see the
inputs, the output folder and the batch's journal (BUDGETPUB_CACHE) at the same paths: a shared
file system. Needs the `cluster` extra: pip install 'budgetpub[cluster]'.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from budgetpub.batch import convert_one, finish, journal_of
from converter import ConvertResult, Disclosure

CLAIMS_PREFIX = ".budgetpub-claims-"


class ClusterUnavailable(RuntimeError):
    """dask.distributed is not installed, or the scheduler cannot be reached."""


@contextmanager
def cluster_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the scheduler at `scheduler`, or of a LocalCluster of `workers` processes
    started here (and stopped at the end)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterUnavailable(
            "running on a cluster needs dask.distributed: pip install 'budgetpub[cluster]'"
        ) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise ClusterUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def convert_on_cluster(
    disclosures: list[Disclosure],
    out_dir: Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    allow_partial: bool = False,
    max_bytes: int | None = None,
    resume: bool = True,
    window: int | None = None,
) -> Iterator[ConvertResult]:
    """Each disclosure's result, in input order, as soon as it and those before it are known
    (see budgetpub.batch.convert_batch: the same results, the same journal)."""
    from distributed import as_completed

    out_dir = out_dir.absolute()
    out_dir.mkdir(parents=True, exist_ok=True)
    claims = out_dir / f"{CLAIMS_PREFIX}{uuid.uuid4().hex}"  # seen by every worker, as OUT is
    claims.mkdir()
    journal = journal_of(out_dir) if resume else None
    work = partial(
        convert_one,
        out_dir=out_dir,
        allow_partial=allow_partial,
        max_bytes=max_bytes,
        claims=claims,
        journal=journal,
    )
    numbered = [(i, tuple(p.absolute() for p in d)) for i, d in enumerate(disclosures)]
    names: set[str] = set()
    try:
        with cluster_client(scheduler, workers) as client:
            in_flight = window or max(16, 4 * sum(client.nthreads().values()))
            batch_id = uuid.uuid4().hex[:12]
            futures: dict[Any, int] = {}
            queue = iter(numbered)

            def submit() -> Any | None:
                item = next(queue, None)
                if item is None:
                    return None
                future = client.submit(work, item, key=f"budgetpub-convert-{batch_id}-{item[0]}", pure=False)
                futures[future] = item[0]
                return future

            started = [f for f in (submit() for _ in range(in_flight)) if f is not None]
            done: dict[int, tuple[ConvertResult, str | None]] = {}
            following = 0
            pending = as_completed(started)
            for future in pending:
                index = futures.pop(future)
                done[index] = future.result()
                future.release()
                more = submit()
                if more is not None:
                    pending.add(more)
                while following in done:
                    result, key = done.pop(following)
                    if result.package is not None:
                        names.add(result.package.name)
                    yield finish(journal, claims, result, following, key)
                    following += 1
    finally:
        shutil.rmtree(claims, ignore_errors=True)
        for name in names:  # what a worker killed while writing left aside (converter.package)
            for leftover in out_dir.glob(f".{name}.tmp-*"):
                shutil.rmtree(leftover, ignore_errors=True)


def validate_on_cluster(
    descriptors: list[Path], *, scheduler: str | None = None, workers: int = 2, use_cache: bool = True
) -> list[Any]:
    """validate_package of each descriptor as one task of the cluster; results in order."""
    from validate import result_of, validated

    check = partial(validated, use_cache=use_cache)
    with cluster_client(scheduler, workers) as client:
        paths = [d.absolute() for d in descriptors]
        futures = client.map(
            check, paths, key=[f"budgetpub-validate-{uuid.uuid4().hex[:12]}-{i}" for i in range(len(paths))]
        )
        return [result_of(data) for data in client.gather(futures)]


def worker_pids(client: Any) -> dict[str, int]:
    """Each worker's process id (for tests that kill one)."""
    return dict(client.run(os.getpid))
