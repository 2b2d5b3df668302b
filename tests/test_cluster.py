"""convert and validate on a Dask distributed cluster: a LocalCluster of worker processes, one of
them killed mid-batch, and nothing lost or written twice. Marked `cluster` (about half a minute);
skipped without budgetpub[cluster] locally, a failure under CI=true."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetpub import batch
from budgetpub.cli import cli
from converter import find_disclosures
from tests.test_resume import summary
from tests.test_store_safety import tree
from validate.checks import integrity
from validate.model import load_package

pytestmark = pytest.mark.cluster
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import make_corpus  # noqa: E402  (bench/run.py: disclosures varied from the samples)

try:
    from distributed import Client, LocalCluster
except ImportError:  # pragma: no cover - depends on the extra
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("needs dask.distributed: pip install -e '.[cluster]'", allow_module_level=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus(folder, 16)
    return folder


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        with Client(local) as client:
            yield local, client


def packages(out: Path) -> dict[str, dict[str, bytes]]:
    """Each package folder of OUT and its files; hidden folders (journals, leftovers) apart."""
    return {
        p.name: {k: v for k, v in tree(p).items()}
        for p in sorted(out.iterdir())
        if p.is_dir() and not p.name.startswith(".")
    }


def test_a_batch_on_a_cluster_survives_a_killed_worker(corpus, cluster, tmp_path, monkeypatch):
    from budgetpub.cluster import convert_on_cluster

    local, client = cluster
    monkeypatch.setenv("BUDGETPUB_CACHE", str(tmp_path / "cache"))
    disclosures = find_disclosures([corpus])
    reference = {r.input: r for r in batch.convert_batch(disclosures, tmp_path / "local", resume=False)}
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        """Once the first results are in, SIGKILL a worker that is converting an input."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            busy = [address for address, keys in client.processing().items() if keys]
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(0.05)

    results = []
    killer = None
    for result in convert_on_cluster(disclosures, tmp_path / "out", scheduler=local.scheduler_address, window=6):
        results.append(result)
        if killer is None:
            killer = threading.Thread(target=kill_a_busy_worker)
            killer.start()
    assert killer is not None
    killer.join()
    assert killed, "a worker was killed mid-batch"
    assert [r.input for r in results] == [d[0].absolute() for d in disclosures]  # each input once, in order
    assert all(r.status == "converted" for r in results)
    assert [(r.package.name, r.tables, r.rows, r.findings) for r in results if r.package] == [
        (r.package.name, r.tables, r.rows, r.findings) for r in reference.values() if r.package
    ]
    written = packages(tmp_path / "out")
    assert written == packages(tmp_path / "local")  # every package, once, byte for byte as one process writes it
    assert not [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]  # nothing left aside
    for name in written:
        package = load_package(tmp_path / "out" / name / "datapackage.json")
        assert list(integrity.file_hashes(package)) == []


def test_convert_and_validate_commands_on_a_cluster(corpus, cluster, tmp_path, monkeypatch):
    local, _ = cluster
    monkeypatch.setenv("BUDGETPUB_CACHE", str(tmp_path / "cache"))
    address = local.scheduler_address
    runner = CliRunner()
    out = tmp_path / "out"
    converted = runner.invoke(cli, ["convert", str(corpus), "--out", str(out), "--scheduler", address])
    assert converted.exit_code == 0, converted.output
    assert summary(converted.output) == "16 converted, 0 partial, 0 skipped, 0 failed"
    again = runner.invoke(cli, ["convert", str(corpus), "--out", str(out), "--scheduler", address])
    assert summary(again.output) == summary(converted.output)
    assert "(16 of them as an earlier run of this batch converted them" in again.output
    some = tmp_path / "some"  # four packages: validating is the slow part
    for package in sorted(p for p in out.iterdir() if not p.name.startswith("."))[:4]:
        shutil.copytree(package, some / package.name)
    on_cluster = runner.invoke(cli, ["validate", str(some), "--json", "--no-cache", "--scheduler", address])
    here = runner.invoke(cli, ["validate", str(some), "--json", "--no-cache"])
    assert on_cluster.exit_code == here.exit_code == 0
    assert on_cluster.output == here.output
    refused = runner.invoke(cli, ["convert", str(corpus), "--out", str(out), "--scheduler", address, "--jobs", "2"])
    assert refused.exit_code == 2 and "a cluster has its own workers" in refused.output
