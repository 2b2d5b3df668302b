"""Benchmarks at national scale: incremental releases, validation, a cluster.

    python bench/scale.py [--small 1000] [--large 10000] [--new 1000] [--repeat 3] [--only release,validate,cluster]

1. release of NEW new packages into a store of SMALL and one of LARGE packages: CPU ms per new
   package (median of the runs) and peak memory, and the paired ratio large / small (flat means
   ~1.0). The packages are converted from disclosures varied from the samples (bench/run.py's
   corpus: department code and name, year, labels, number formatting), so every one is a
   package of its own with its own content. The stores are built once and kept in
   build/bench-scale/ (a store of 10,000 takes a while: see the README); each run releases into a
   copy made of hard links (released files are never rewritten; budgetpub.sqlite, updated in place,
   is copied). The NEW packages are validated once beforehand (the validation cache), as
   `budgetpub validate` then `budgetpub release` does: what is measured is the store's work.
2. `budgetpub validate --no-cache` of one package against `frictionless validate` of the same,
   paired, on four packages.
3. `budgetpub convert` on a 2-worker Dask LocalCluster against `--jobs 2`, paired (CPU time of the
   command and every process it started, and wall time).

CPU time is read from the kernel (os.wait4, children included), as in bench/run.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, ROOT, Run, make_corpus, paired_ratio, run  # noqa: E402

CACHE = ROOT / "build" / "bench-scale"
BUDGETPUB = str(BIN / "budgetpub")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def converted(total: int) -> Path:
    """`total` packages converted from the varied corpus, kept in build/bench-scale/packages-N."""
    out = CACHE / f"packages-{total}"
    if (out / ".complete").is_file():
        return out
    corpus = CACHE / f"corpus-{total}"
    if not (corpus / ".complete").is_file():
        log(f"making a corpus of {total} disclosures …")
        shutil.rmtree(corpus, ignore_errors=True)
        make_corpus(corpus, total)
        (corpus / ".complete").touch()
    log(f"converting {total} disclosures (--jobs 2) …")
    subprocess.run([BUDGETPUB, "convert", str(corpus), "--out", str(out), "--jobs", "2"], stdout=subprocess.DEVNULL)
    (out / ".complete").touch()
    return out


def split(packages: Path, sizes: list[int], new: int) -> tuple[dict[int, Path], Path]:
    """Folders of hard links to the converted packages: the first `size` for each store, and the
    last `new` packages, released into every store."""
    names = sorted(p.name for p in packages.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(names) >= max(sizes) + new, f"{len(names)} packages, {max(sizes) + new} needed"
    folders = {}
    for size in [*sizes, -new]:
        folder = CACHE / (f"base-{size}" if size > 0 else f"new-{new}")
        chosen = names[:size] if size > 0 else names[-new:]
        if not (folder / ".complete").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for name in chosen:
                shutil.copytree(packages / name, folder / name, copy_function=os.link)
            (folder / ".complete").touch()
        folders[size] = folder
    return {s: folders[s] for s in sizes}, folders[-new]


def store(size: int, source: Path) -> Path:
    """A release store of `size` packages (released with validate=False: the bench's fixture), kept."""
    folder = CACHE / f"store-{size}"
    if (folder / ".complete-store").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    log(f"releasing {size} packages into a new store (once; kept in {folder}) …")
    started = time.monotonic()
    script = (
        "import sys; from pathlib import Path; from release import release_packages; "
        "release_packages(Path(sys.argv[1]), Path(sys.argv[2]), date='2026-11-01', validate=False)"
    )
    built = run([str(BIN / "python"), "-c", script, str(source), str(folder)])
    (folder / ".complete-store").write_text(f"{built.cpu:.0f} CPU s, {time.monotonic() - started:.0f} s\n")
    log(f"store of {size}: {built.cpu:.0f} CPU s, {built.peak_mb:.0f} MB peak")
    return folder


def copy_store(original: Path, target: Path) -> None:
    """A store to release into: hard links (a release never rewrites a file, it replaces it), and
    a real copy of budgetpub.sqlite, which a release updates in place."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["cp", "-al", str(original), str(target)], check=True)
    database = target / "budgetpub.sqlite"
    if database.exists():
        database.unlink()
        shutil.copy2(original / "budgetpub.sqlite", database)
    (target / ".complete-store").unlink(missing_ok=True)


def prepare(args: argparse.Namespace) -> tuple[dict[int, Path], Path]:
    """The two stores and the new packages, made once and kept in build/bench-scale/."""
    packages = converted(args.large + args.new)
    bases, new = split(packages, [args.small, args.large], args.new)
    return {size: store(size, bases[size]) for size in (args.small, args.large)}, new


def release_rows(args: argparse.Namespace, rows: list[tuple[str, str]]) -> None:
    stores, new = prepare(args)
    log(f"validating the {args.new} new packages once (the validation cache) …")
    subprocess.run([BUDGETPUB, "validate", str(new), "--jobs", "2", "--quiet"], stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="scale-", dir=CACHE))
    small, large = work / "small", work / "large"
    try:

        def release(target: Path) -> list[str]:
            return [BUDGETPUB, "release", "--from", str(new), "--store", str(target), "--date", "2026-12-01"]

        runs: dict[str, list[Run]] = {"small": [], "large": []}
        ratios = []
        for number in range(args.repeat):
            log(f"release of {args.new} new packages into {args.small} and {args.large}, pair {number + 1} …")
            copy_store(stores[args.small], small)
            copy_store(stores[args.large], large)
            ratio, first, second = paired_ratio(release(large), release(small), 1)
            ratios.append(ratio)
            runs["large"] += first
            runs["small"] += second
        for key, size in (("small", args.small), ("large", args.large)):
            cpu = statistics.median(r.cpu for r in runs[key])
            peak = max(r.peak_mb for r in runs[key])
            rows.append(
                (
                    f"release {args.new} new packages into a store of {size:,}",
                    f"{cpu / args.new * 1000:.1f} CPU ms per new package; {peak:.0f} MB peak",
                )
            )
        rows.append(
            (
                f"  store of {args.large:,} / store of {args.small:,} (paired)",
                f"{statistics.median(ratios):.2f}× the CPU time; peak memory "
                f"{max(r.peak_mb for r in runs['large']) / max(r.peak_mb for r in runs['small']):.2f}×",
            )
        )
        for size in (args.small, args.large):
            rows.append(
                (f"  building the store of {size:,} (once)", (stores[size] / ".complete-store").read_text().strip())
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def validate_rows(args: argparse.Namespace, rows: list[tuple[str, str]]) -> None:
    work = Path(tempfile.mkdtemp(prefix="scale-validate-"))
    try:
        corpus = work / "corpus"
        make_corpus(corpus, 8)
        subprocess.run([BUDGETPUB, "convert", str(corpus), "--out", str(work / "out")], stdout=subprocess.DEVNULL)
        packages = sorted(p for p in (work / "out").iterdir() if not p.name.startswith("."))[::2]
        ratios, ours = [], []
        for package in packages:
            ratio, first, _ = paired_ratio(
                [BUDGETPUB, "validate", "--no-cache", str(package)],
                [str(BIN / "frictionless"), "validate", str(package / "datapackage.json")],
                args.repeat,
            )
            ratios.append(ratio)
            ours += first
        rows.append(
            (
                f"validate --no-cache / frictionless validate ({len(packages)} packages, paired)",
                f"{statistics.median(ratios):.2f}× the CPU time ({statistics.median(r.cpu for r in ours):.2f} CPU s "
                "per package, cold start included)",
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cluster_rows(args: argparse.Namespace, rows: list[tuple[str, str]]) -> None:
    work = Path(tempfile.mkdtemp(prefix="scale-cluster-"))
    try:
        corpus = work / "corpus"
        make_corpus(corpus, args.cluster_corpus)

        def clear() -> None:
            shutil.rmtree(work / "out", ignore_errors=True)

        convert = [BUDGETPUB, "convert", str(corpus), "--out", str(work / "out"), "--no-resume"]
        ratio, cluster, local = paired_ratio(
            [*convert, "--local-cluster", "2"], [*convert, "--jobs", "2"], args.repeat, before=clear
        )
        rows.append(
            (
                f"convert {args.cluster_corpus}: 2-worker LocalCluster / --jobs 2 (paired)",
                f"{ratio:.2f}× the CPU time; wall {statistics.median(r.wall for r in cluster):.1f} s vs "
                f"{statistics.median(r.wall for r in local):.1f} s",
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cluster-corpus", type=int, default=200)
    parser.add_argument("--only", default="release,validate,cluster", help="also: prepare (only make the stores)")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str]] = []
    chosen = args.only.split(",")
    if "prepare" in chosen:  # only make the stores (long, once)
        prepare(args)
    if "validate" in chosen:
        validate_rows(args, rows)
    if "cluster" in chosen:
        cluster_rows(args, rows)
    if "release" in chosen:
        release_rows(args, rows)
    width = max(len(r[0]) for r in [("benchmark", ""), *rows])
    for name, measured in [("benchmark", "measured"), ("-" * width, "-" * 8), *rows]:
        print(f"{name.ljust(width)}  {measured}")
    print(f"\n{os.cpu_count()} core(s), Python {sys.version.split()[0]}; CPU time = user + system")
    return 0


if __name__ == "__main__":
    sys.exit(main())
