"""What an adversarial try-out found: same-named packages in a batch, operating-system errors,
a portal that never answers, and the smaller rough edges of the CLI. Each a plain message."""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetpub.cli import cli
from release import release_packages
from release.catalog import CatalogConfig
from release.ckan import PublishError, publish
from tests.ckan_stub import Server
from tests.conftest import CITY_2026, EDZ_2023

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "datapackages"
EDZ = "420113-054-2023-budget"
BUDGETPUB = [sys.executable, "-c", "from budgetpub.cli import main; main()"]


def leftovers(folder: Path) -> list[str]:
    """Temporary folders a write left behind (names starting with a dot)."""
    return sorted(p.name for p in folder.rglob(".*")) if folder.exists() else []


# 2. Two inputs that make the same package


@pytest.fixture()
def same_package_inputs(tmp_path) -> Path:
    """Three copies of one disclosure under other names, and a fourth with other content."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(EDZ_2023, inputs / name)
    (inputs / "d.txt").write_text(EDZ_2023.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return inputs


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_two_inputs_that_make_the_same_package_are_not_both_written(tmp_path, same_package_inputs, jobs):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(same_package_inputs), "--out", str(out), "--jobs", jobs])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "1 converted, 0 partial, 2 skipped, 1 failed" in result.output
    assert f"converted: a.txt -> {out / EDZ}" in result.output  # the first in input order keeps it
    for copy in ("b.txt", "c.txt"):
        assert f"skipped: {same_package_inputs / copy}: the same disclosure as {same_package_inputs / 'a.txt'}" in (
            result.output
        )
    assert f"{same_package_inputs / 'd.txt'}: makes package {EDZ}, as {same_package_inputs / 'a.txt'} does" in (
        result.output
    )
    assert sorted(p.name for p in out.iterdir()) == [EDZ] and leftovers(out) == []
    descriptor = json.loads((out / EDZ / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["source"]["file"] == "a.txt"


# 6. Operating-system errors: one plain line naming the path, exit 1, nothing half-written


def test_an_output_folder_that_cannot_be_made_is_one_plain_line(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(EDZ_2023), "--out", str(blocker / "out")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"failed: {EDZ_2023}: cannot write the package into {blocker / 'out'}: Not a directory" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_one_plain_line(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = CliRunner().invoke(cli, ["convert", str(EDZ_2023), "--out", str(out)])
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1 and "Permission denied" in result.output and list(out.iterdir()) == []


def test_a_file_size_limit_fails_the_input_and_leaves_nothing(tmp_path):
    """RLIMIT_FSIZE makes the system refuse the package's larger files, as a full disk does."""
    out = tmp_path / "out"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    run = subprocess.run(
        [*BUDGETPUB, "convert", str(EDZ_2023), str(CITY_2026), "--out", str(out)],
        cwd=tmp_path,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("failed:")]
    assert len(lines) == 2 and all(
        "cannot write the package into" in line and "File too large" in line for line in lines
    )
    assert "0 converted, 0 partial, 0 skipped, 2 failed" in run.stdout  # the batch went on to the second
    assert list(out.iterdir()) == []  # nothing half-written


def test_unusable_file_names_fail_and_the_batch_goes_on(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(EDZ_2023, inputs / "good.txt")
    bad = os.fsdecode(b"bad-\xff.txt")
    shutil.copy(EDZ_2023, os.path.join(os.fsencode(inputs), b"bad-\xff.txt"))
    too_long = tmp_path / ("x" * 300) / ("y" * 300)
    for extra in ([], [str(too_long)]):
        out = tmp_path / f"out{len(extra)}"
        result = CliRunner().invoke(cli, ["convert", str(inputs), *extra, "--out", str(out)])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert "the file name is not UTF-8 text; rename the file" in result.output
        assert f"converted: good.txt -> {out / EDZ}" in result.output and bad not in result.output
        assert sorted(p.name for p in out.iterdir()) == [EDZ]
    (long_line,) = [line for line in result.output.splitlines() if line.startswith("failed: ") and "too long" in line]
    assert len(long_line) < 300  # the path shortened, not 650 characters


def test_a_path_longer_than_the_system_allows_is_one_plain_line(tmp_path):
    too_long = Path("x/" * 2100 + "disclosure.txt")
    result = CliRunner().invoke(cli, ["convert", str(too_long), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    (line,) = [line for line in result.output.splitlines() if line]
    assert line.startswith("failed: x/x/x/") and line.endswith(": File name too long") and len(line) < 300
    released = CliRunner().invoke(cli, ["release", "--from", str(too_long), "--store", str(tmp_path / "store")])
    assert released.exit_code == 1 and "File name too long" in released.output and not (tmp_path / "store").exists()


def test_a_store_that_cannot_be_written_is_one_plain_line(tmp_path):
    out = tmp_path / "build"
    assert CliRunner().invoke(cli, ["convert", str(EDZ_2023), "--out", str(out)]).exit_code == 0
    blocker = tmp_path / "store-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["release", "--from", str(out), "--store", str(blocker / "store")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(f"not released: {blocker / 'store'}") and "the store is as it was" in result.output


# 7. publish: a portal that accepts the connection and never answers


def test_publish_gives_up_on_a_portal_that_never_answers(tmp_path):
    store = tmp_path / "store"
    build = tmp_path / "build"
    assert CliRunner().invoke(cli, ["convert", str(EDZ_2023), "--out", str(build)]).exit_code == 0
    release_packages(build, store, sqlite=False)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # connections are accepted by the system; nothing ever answers
    url = f"http://127.0.0.1:{silent.getsockname()[1]}"
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            publish(store, url, "secret", CatalogConfig(), retries=2, sleep=lambda s: None, timeout=0.5)
        except BaseException as exc:
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)
    silent.close()
    assert not worker.is_alive(), "publish hung on a portal that never answers"
    assert time.monotonic() - started < 30
    assert len(outcome) == 1 and isinstance(outcome[0], PublishError)
    assert "Timeout" in str(outcome[0]) and outcome[0].report.not_uploaded


# 9. The smaller rough edges


@pytest.mark.parametrize("size", ["0", "-5"])
def test_max_size_below_one_is_a_usage_error(tmp_path, size):
    result = CliRunner().invoke(cli, ["convert", str(EDZ_2023), "--out", str(tmp_path / "out"), "--max-size", size])
    assert result.exit_code == 2 and "--max-size" in result.output and not (tmp_path / "out").exists()


def test_diffing_two_different_packages_is_not_called_a_patch():
    city = STORE / "420100-157-2026-budget" / "1.0.0"
    edz = STORE / EDZ / "1.0.0"
    result = CliRunner().invoke(cli, ["diff", str(city), str(edz)])
    assert result.exit_code == 0
    heading = result.output.splitlines()[0]
    assert "different packages (420100-157-2026-budget and 420113-054-2023-budget)" in heading
    assert "patch" not in heading
    as_json = json.loads(CliRunner().invoke(cli, ["diff", str(city), str(edz), "--json"]).output)
    assert as_json["level"] is None and as_json["same_package"] is False
    same = json.loads(CliRunner().invoke(cli, ["diff", str(edz), str(STORE / EDZ / "1.0.1"), "--json"]).output)
    assert same["same_package"] is True and same["level"] is not None


def test_an_api_key_over_plain_http_is_warned_about(tmp_path, monkeypatch):
    store = tmp_path / "store"
    build = tmp_path / "build"
    assert CliRunner().invoke(cli, ["convert", str(EDZ_2023), "--out", str(build)]).exit_code == 0
    release_packages(build, store, sqlite=False)
    monkeypatch.setenv("BUDGETPUB_CKAN_API_KEY", "secret")
    with Server() as (url, _):
        assert url.startswith("http://")
        result = CliRunner().invoke(cli, ["publish", "--ckan", url, "--store", str(store)])
    assert result.exit_code == 0
    assert f"warning: {url} is plain http: the API key is sent unencrypted" in result.output


def test_the_progress_bar_redraws_one_line_on_a_terminal(tmp_path):
    """Run on a pseudo-terminal: the bar is drawn after each file and never left as a line of its own."""
    import pty

    master, slave = pty.openpty()
    command = [*BUDGETPUB, "convert", str(EDZ_2023), str(CITY_2026), "--out", str(tmp_path / "out")]
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path)
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    assert process.wait(600) == 0
    lines = output.decode("utf-8").replace("\r\n", "\n").split("\n")
    drawn = sum(line.count("Converting") for line in lines)
    left = [line for line in lines if "Converting" in line.split("\r")[-1]]
    assert drawn >= 3  # before the first file, after each
    assert len(left) == 1 and "2/2" in left[0]  # only the finished bar stays, as one line


def test_release_from_a_folder_without_packages_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["release", "--from", str(tmp_path / "empty"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and "no datapackage.json" in result.output and not (tmp_path / "s").exists()
