"""All benchmarks in one run, printed as a table with their targets.

    python bench/run.py [--corpus 1000] [--repeat 3]

1. convert throughput on a synthetic corpus made by varying the bundled samples (year,
   department, table labels, thousands separators): in one process (disclosures per second per
   core, the median of --repeat runs) on the build in use, with packages written to a RAM-backed
   folder so the number is the converter's CPU cost; the same on disk; on the plain sources when
   the compiled build (budgetpub compile) is in use; and with --jobs for every core;
2. peak memory of a batch convert of the corpus and of a tenth of it (flat means the batch does
   not grow with the folder);
3. `budgetpub validate` against `frictionless validate` on the same packages, as a ratio;
4. cold start of `budgetpub --help` and of `budgetpub validate` on one package.

Never run by the tests: timings belong here, not in CI.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def make_corpus(folder: Path, size: int, seed: int = 1) -> list[Path]:
    """`size` disclosures, each a sample with its year, department name, labels and number
    formatting varied, so no two are the same text."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(size):
        text = texts[i % len(texts)]
        year = re.search(r"(20\d\d)", text).group(1)
        text = text.replace(year, str(int(year) - 1 - (i // len(texts)) % 8))
        text = text.replace("数据局", f"数据{'局中心'[rng.randrange(2)]}{i}", 3)
        if rng.random() < 0.5:
            text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
        if rng.random() < 0.3:
            text = re.sub(r"^表 (\d+)", r"预算\1表", text, flags=re.M)
        path = folder / f"disclosure-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str], pure: bool = False) -> tuple[float, int]:
    """Wall time and peak RSS (KB) of a command run as users run it (`pure`: without the compiled build)."""
    env = {**os.environ, "BUDGETPUB_PURE": "1"} if pure else None
    start = time.perf_counter()
    wrapped = ["/usr/bin/time", "-f", "%M", *command] if Path("/usr/bin/time").exists() else command
    done = subprocess.run(wrapped, check=False, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    rss = 0
    if wrapped is not command:
        last = done.stderr.strip().splitlines()[-1:] or ["0"]
        rss = int(last[0]) if last[0].isdigit() else 0
    return elapsed, rss


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=int, default=1000, help="synthetic disclosures to convert")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rows: list[tuple[str, str, str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="budgetpub-bench-"))
    try:
        print(f"making a corpus of {args.corpus} disclosures …", file=sys.stderr)
        corpus = make_corpus(work / "corpus", args.corpus)
        tenth = work / "tenth"
        tenth.mkdir()
        for path in corpus[: max(1, len(corpus) // 10)]:
            shutil.copy(path, tenth / path.name)
        budgetpub = str(BIN / "budgetpub")
        probe = [str(BIN / "python"), "-c", "import converter, sys; sys.exit(0 if converter.COMPILED else 1)"]
        compiled = subprocess.run(probe, check=False).returncode == 0

        # Per-core throughput is the converter's CPU cost, so packages go to a RAM-backed folder
        # when the machine has one; the same run on disk is reported beside it, since on a slow
        # disk creating the two dozen files of each package costs as much again.
        memory = (
            Path(tempfile.mkdtemp(prefix="budgetpub-bench-", dir="/dev/shm")) if Path("/dev/shm").is_dir() else work
        )
        where = "output in memory" if memory != work else "output on disk"
        build = "compiled" if compiled else "sources; no compiled build: budgetpub compile"
        # A shared machine's speed drifts from run to run: the target is judged on the median of
        # --repeat runs, the best one shown beside it.
        rates, rss_full = [], 0
        for run in range(args.repeat):
            print(f"converting with one process ({where}), run {run + 1} of {args.repeat} …", file=sys.stderr)
            shutil.rmtree(memory / "out1", ignore_errors=True)
            seconds, rss = timed([budgetpub, "convert", str(work / "corpus"), "--out", str(memory / "out1")])
            rates.append(args.corpus / seconds)
            rss_full = max(rss_full, rss)
        rate = median(rates)
        rows.append(
            (
                f"convert, 1 process ({build}, {where})",
                f"{rate:.1f} disclosures/s per core (median of {len(rates)}; best {max(rates):.1f})",
                "≥ 50",
                "yes" if rate >= 50 else "NO",
            )
        )
        if memory != work:
            print("converting with one process (output on disk) …", file=sys.stderr)
            on_disk, _ = timed([budgetpub, "convert", str(work / "corpus"), "--out", str(work / "out1")])
            rows.append(
                (f"convert, 1 process ({build}, output on disk)", f"{args.corpus / on_disk:.1f} disclosures/s", "", "")
            )
        if compiled:
            print("converting with one process (sources) …", file=sys.stderr)
            pure, _ = timed([budgetpub, "convert", str(work / "corpus"), "--out", str(memory / "out0")], pure=True)
            rows.append(
                (f"convert, 1 process (sources, {where})", f"{args.corpus / pure:.1f} disclosures/s per core", "", "")
            )
        print(f"converting with --jobs {cores} …", file=sys.stderr)
        many, _ = timed(
            [budgetpub, "convert", str(work / "corpus"), "--out", str(memory / "outN"), "--jobs", str(cores)]
        )
        rows.append((f"convert, --jobs {cores} ({where})", f"{args.corpus / many:.1f} disclosures/s in all", "", ""))
        if memory != work:
            shutil.rmtree(memory, ignore_errors=True)
        _, rss_tenth = timed([budgetpub, "convert", str(tenth), "--out", str(work / "out10")])
        flat = rss_full <= rss_tenth * 1.5
        rows.append(
            (
                "peak memory, batch convert",
                f"{rss_full / 1024:.0f} MB for {args.corpus}, {rss_tenth / 1024:.0f} MB for a tenth",
                "flat",
                "yes" if flat else "NO",
            )
        )

        print("validating against frictionless …", file=sys.stderr)
        packages = sorted((work / "out1").iterdir())[:4]
        ours, theirs = [], []
        for _ in range(args.repeat):
            ours.append(sum(timed([budgetpub, "validate", str(p)])[0] for p in packages))
            theirs.append(
                sum(timed([str(BIN / "frictionless"), "validate", str(p / "datapackage.json")])[0] for p in packages)
            )
        ratio = median(ours) / median(theirs)
        rows.append(
            (
                f"validate vs frictionless ({len(packages)} packages)",
                f"{ratio:.2f}× ({median(ours):.2f} s vs {median(theirs):.2f} s)",
                "≤ 1.5×",
                "yes" if ratio <= 1.5 else "NO",
            )
        )

        help_times = [timed([budgetpub, "--help"])[0] for _ in range(args.repeat * 2)]
        rows.append(
            (
                "cold start: budgetpub --help",
                f"{median(help_times):.2f} s",
                "< 0.3 s",
                "yes" if median(help_times) < 0.3 else "NO",
            )
        )
        one_package = [timed([budgetpub, "validate", str(packages[0])]) for _ in range(args.repeat)]
        rows.append(
            (
                "cold start: budgetpub validate, one package",
                f"{median([t for t, _ in one_package]):.2f} s, {max(r for _, r in one_package) / 1024:.0f} MB peak",
                "",
                "",
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    widths = [max(len(r[i]) for r in [("benchmark", "measured", "target", "met"), *rows]) for i in range(4)]
    for row in [("benchmark", "measured", "target", "met"), tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(
        f"\n{cores} core(s), Python {sys.version.split()[0]}, "
        f"corpus of {args.corpus} disclosures varied from the samples"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
