"""All benchmarks in one run, printed as a table with their targets.

    python bench/run.py [--corpus 1000] [--repeat 3]

Every figure is CPU time (user + system of the command and everything it started, from the
kernel's accounting of the finished process), not wall time: this machine is shared, and its
wall times measure the neighbours as much as budgetpub. Comparisons are ratios of runs made in
pairs, one right after the other, repeated; the median of the pairs' ratios is reported.

1. convert on a synthetic corpus made by varying the bundled text samples (year, department,
   table labels, thousands separators): CPU ms per disclosure on the build in use with packages
   written to a RAM-backed folder; the cost of writing to disk instead, and of the plain sources
   when the compiled build (budgetpub compile) is in use, as paired ratios; --jobs for every core
   (the one wall-time row: it is about using the cores);
2. peak memory of a batch convert of the corpus and of a tenth of it (flat means the batch does
   not grow with the folder);
3. `budgetpub validate` against `frictionless validate` on the same packages, a paired ratio;
4. cold start of `budgetpub --help` and of `budgetpub validate` on one package.

PDF conversion has its own benchmark, paired with pdfplumber: bench/pdf.py.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def department_code(path: Path) -> str | None:
    """The department code a sample's package is named by, when the document prints one."""
    sys.path.insert(0, str(ROOT))
    from converter.pipeline import convert_source
    from converter.read import read_source

    code = convert_source(read_source(path)).department_code
    return code if code and code.isdigit() else None


def make_corpus(folder: Path, size: int, seed: int = 1) -> list[Path]:
    """`size` disclosures, each a sample with its year (its own or one of the two after, so the
    code lists know its names), department code and name, labels and number formatting varied,
    so no two are the same text and no two make the same package."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    codes = [department_code(p) for p in SAMPLES]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(size):
        text, code = texts[i % len(texts)], codes[i % len(texts)]
        variant = i // len(texts)
        year = re.search(r"(20\d\d)", text).group(1)
        text = text.replace(year, str(int(year) + variant % 3))
        if code:
            new_code = f"{100 + variant // 3:0{len(code)}d}"
            text = re.sub(rf"(?<![0-9A-Za-z]){code}(?=[0-9]{{3}}(?![0-9])|(?![0-9A-Za-z]))", new_code, text)
        text = text.replace("数据局", f"数据{'局中心'[rng.randrange(2)]}{i}", 3)
        if rng.random() < 0.5:
            text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
        if rng.random() < 0.3:
            text = re.sub(r"^表 (\d+)", r"预算\1表", text, flags=re.M)
        path = folder / f"disclosure-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@dataclass(frozen=True)
class Run:
    """What one command cost: CPU seconds (user + system, its children included), wall seconds, peak RSS in MB."""

    cpu: float
    wall: float
    peak_mb: float


def run(command: list[str], pure: bool = False) -> Run:
    """Run a command as users run it (`pure`: without the compiled build) and read its cost from
    the kernel: wait4 reports the finished process's CPU time including the children it waited
    for, so --jobs workers are counted too."""
    env = {**os.environ, "BUDGETPUB_PURE": "1"} if pure else None
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def paired_ratio(
    first: list[str],
    second: list[str],
    repeat: int,
    pure: tuple[bool, bool] = (False, False),
    before: Callable[[], None] | None = None,
) -> tuple[float, list[Run], list[Run]]:
    """Median over `repeat` pairs of CPU(first) / CPU(second), each pair run back to back; and the runs."""
    ratios, firsts, seconds = [], [], []
    for _ in range(repeat):
        if before:
            before()
        a = run(first, pure[0])
        if before:
            before()
        b = run(second, pure[1])
        firsts.append(a)
        seconds.append(b)
        ratios.append(a.cpu / b.cpu)
    return statistics.median(ratios), firsts, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=int, default=1000, help="synthetic disclosures to convert")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rows: list[tuple[str, str, str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="budgetpub-bench-"))
    memory = Path(tempfile.mkdtemp(prefix="budgetpub-bench-", dir="/dev/shm")) if Path("/dev/shm").is_dir() else work
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
        build = "compiled" if compiled else "sources; no compiled build: budgetpub compile"
        where = "output in memory" if memory != work else "output on disk"

        def convert(out: Path, *extra: str) -> list[str]:
            return [budgetpub, "convert", str(work / "corpus"), "--out", str(out), *extra]

        def clear() -> None:
            for folder in ("out1", "out0", "outN"):
                shutil.rmtree(memory / folder, ignore_errors=True)
            shutil.rmtree(work / "out-disk", ignore_errors=True)

        print(f"converting with one process ({where}) × {args.repeat} …", file=sys.stderr)
        runs = []
        for _ in range(args.repeat):
            clear()
            runs.append(run(convert(memory / "out1")))
        per_doc = statistics.median(r.cpu for r in runs) / args.corpus
        rows.append(
            (
                f"convert, 1 process ({build}, {where})",
                f"{per_doc * 1000:.1f} CPU ms per disclosure ({1 / per_doc:.0f} per CPU-second; median of {len(runs)})",
                "≤ 20 ms",
                "yes" if per_doc <= 0.020 else "NO",
            )
        )
        peak_full = max(r.peak_mb for r in runs)
        if memory != work:
            print("on disk vs in memory, paired …", file=sys.stderr)
            ratio, _, _ = paired_ratio(convert(work / "out-disk"), convert(memory / "out1"), args.repeat, before=clear)
            rows.append(("convert, output on disk / in memory (paired)", f"{ratio:.2f}× the CPU time", "", ""))
        if compiled:
            print("sources vs compiled build, paired …", file=sys.stderr)
            ratio, sources, _ = paired_ratio(
                convert(memory / "out0"), convert(memory / "out1"), args.repeat, pure=(True, False), before=clear
            )
            ms = statistics.median(r.cpu for r in sources) / args.corpus * 1000
            rows.append(
                (
                    "convert, sources / compiled build (paired)",
                    f"{ratio:.2f}× the CPU time ({ms:.1f} ms per disclosure)",
                    "",
                    "",
                )
            )
        print(f"converting with --jobs {cores} …", file=sys.stderr)
        clear()
        many = run(convert(memory / "outN", "--jobs", str(cores)))
        rows.append(
            (
                f"convert, --jobs {cores} (wall time: using the cores)",
                f"{args.corpus / many.wall:.0f} disclosures/s; {many.cpu / args.corpus * 1000:.1f} CPU ms each",
                "",
                "",
            )
        )
        clear()
        first = run(convert(work / "out1"))  # kept on disk for the validate rows below
        small = run([budgetpub, "convert", str(tenth), "--out", str(work / "out10")])
        peak_full = max(peak_full, first.peak_mb)
        rows.append(
            (
                "peak memory, batch convert",
                f"{peak_full:.0f} MB for {args.corpus}, {small.peak_mb:.0f} MB for a tenth",
                "flat",
                "yes" if peak_full <= small.peak_mb * 1.5 else "NO",
            )
        )

        print("validate vs frictionless, paired …", file=sys.stderr)
        packages = sorted((work / "out1").iterdir())[:4]
        ratios = []
        for package in packages:
            ratio, _, _ = paired_ratio(
                [budgetpub, "validate", str(package)],
                [str(BIN / "frictionless"), "validate", str(package / "datapackage.json")],
                args.repeat,
            )
            ratios.append(ratio)
        ratio = statistics.median(ratios)
        rows.append(
            (
                f"validate / frictionless validate ({len(packages)} packages, paired)",
                f"{ratio:.2f}× the CPU time",
                "< 1.0×",
                "yes" if ratio < 1.0 else "NO",
            )
        )
        help_runs = [run([budgetpub, "--help"]) for _ in range(args.repeat * 2)]
        help_cpu = statistics.median(r.cpu for r in help_runs)
        rows.append(
            ("cold start: budgetpub --help", f"{help_cpu:.2f} CPU s", "< 0.3 s", "yes" if help_cpu < 0.3 else "NO")
        )
        one = [run([budgetpub, "validate", str(packages[0])]) for _ in range(args.repeat)]
        rows.append(
            (
                "cold start: budgetpub validate, one package",
                f"{statistics.median(r.cpu for r in one):.2f} CPU s, {max(r.peak_mb for r in one):.0f} MB peak",
                "",
                "",
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if memory != work:
            shutil.rmtree(memory, ignore_errors=True)

    widths = [max(len(r[i]) for r in [("benchmark", "measured", "target", "met"), *rows]) for i in range(4)]
    for row in [("benchmark", "measured", "target", "met"), tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(
        f"\n{cores} core(s), Python {sys.version.split()[0]}, "
        f"corpus of {args.corpus} disclosures varied from the samples; CPU time = user + system"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
