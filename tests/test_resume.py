"""An interrupted batch resumes: inputs it converted are not converted again, the summary is exact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import converter
from budgetpub import batch
from budgetpub.batch import RESUMED, convert_batch
from budgetpub.cli import cli
from converter import find_disclosures
from tests.test_store_safety import tree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import make_corpus  # noqa: E402  (bench/run.py: disclosures varied from the samples)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus(folder, 12)
    return folder


def summary(output: str) -> str:
    return next(line for line in output.splitlines() if line.endswith(" failed"))


def test_a_killed_batch_resumes_where_it_stopped(corpus, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", "from budgetpub.cli import main; main()", "convert", str(corpus), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    journal = batch.journal_of(out)
    assert journal is not None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(journal.rglob("*.json"))) < 3:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = len(list(journal.rglob("*.json")))
    assert 3 <= done < 12, "killed mid-batch"
    runner = CliRunner()
    resumed = runner.invoke(cli, ["convert", str(corpus), "--out", str(out)])
    assert resumed.exit_code == 0, resumed.output
    assert summary(resumed.output) == "12 converted, 0 partial, 0 skipped, 0 failed"
    assert f"({done} of them as an earlier run of this batch converted them" in resumed.output
    fresh = tmp_path / "fresh"
    uninterrupted = runner.invoke(cli, ["convert", str(corpus), "--out", str(fresh), "--no-resume"])
    assert summary(uninterrupted.output) == summary(resumed.output)
    assert {k: v for k, v in tree(out).items() if not k.startswith(".")} == {
        k: v for k, v in tree(fresh).items() if not k.startswith(".")
    }


def test_resumed_inputs_are_not_converted_again_unless_changed(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    disclosures = find_disclosures([corpus])
    first = list(convert_batch(disclosures, out))
    converted: list[Path] = []
    real = converter.convert_file

    def counting(disclosure, *args, **kwargs):  # noqa: ANN001, ANN202
        converted.append(disclosure[0])
        return real(disclosure, *args, **kwargs)

    monkeypatch.setattr(batch, "convert_file", counting)
    again = list(convert_batch(disclosures, out))
    assert converted == [] and all(r.message == RESUMED for r in again)
    assert [(r.status, r.package, r.tables, r.rows, r.findings) for r in again] == [
        (r.status, r.package, r.tables, r.rows, r.findings) for r in first
    ]
    # a package edited since, and an input whose bytes changed, are converted again
    edited = first[0].package
    assert edited is not None
    (edited / "data" / "units.csv").write_text("edited\n", encoding="utf-8")
    source = disclosures[1][0]
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    list(convert_batch(disclosures, out))
    assert converted == [disclosures[0][0], disclosures[1][0]]
    assert (edited / "data" / "units.csv").read_text(encoding="utf-8") != "edited\n"


def test_a_task_run_again_does_not_write_its_package_twice(corpus, tmp_path):
    """What a cluster does when a worker dies after writing: the input runs again; its package,
    claimed by this very input with the same source, is not written a second time."""
    out, claims = tmp_path / "out", tmp_path / "claims"
    claims.mkdir()
    item = (0, find_disclosures([corpus])[0])
    first, _ = batch.convert_one(item, out, False, None, claims)
    assert first.status == "converted" and first.package is not None
    inode = os.stat(first.package / "datapackage.json").st_ino
    again, _ = batch.convert_one(item, out, False, None, claims)
    assert (again.status, again.package, again.tables, again.rows) == (
        first.status,
        first.package,
        first.tables,
        first.rows,
    )
    assert os.stat(first.package / "datapackage.json").st_ino == inode
