"""Benchmark: `budgetpub validate` against `frictionless validate` on the same packages, in one run.

    python bench/validate_vs_frictionless.py [--repeat 5] [PACKAGE_DIR ...]

Both run as the commands users type (fresh processes, so start-up counts), alternating, and the
median of each is compared. Target: budgetpub at most 1.5x frictionless's time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET = 1.5


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folders = args.packages or sorted(p for p in (ROOT / "datapackages").iterdir() if (p / "datapackage.json").exists())
    descriptors = [str(f / "datapackage.json") for f in folders]
    ours, theirs, batch = [], [], []
    for _ in range(args.repeat):
        # like for like: one process per package on both sides (frictionless takes one source per call)
        ours.append(sum(timed([str(BIN / "budgetpub"), "validate", d]) for d in descriptors))
        theirs.append(sum(timed([str(BIN / "frictionless"), "validate", d]) for d in descriptors))
        batch.append(timed([str(BIN / "budgetpub"), "validate", *descriptors]))
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    ratio = ours_median / theirs_median
    print(f"{'command, ' + str(len(folders)) + ' packages':<44}{'median s':>10}")
    print(f"{'budgetpub validate, one call per package':<44}{ours_median:>10.3f}")
    print(f"{'frictionless validate, one call per package':<44}{theirs_median:>10.3f}")
    print(f"{'budgetpub validate, all in one call':<44}{statistics.median(batch):>10.3f}")
    print(f"{'ratio per package (target <= ' + str(TARGET) + ')':<44}{ratio:>10.2f}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
