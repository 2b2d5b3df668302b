"""PDF conversion cost: CPU seconds per disclosure, paired with the bare library baseline.

    .venv/bin/pip install -e '.[bench]'            # pdfplumber, for the baseline
    .venv/bin/python bench/pdf.py [FOLDER ...] [--every 3] [--repeat 1]

For each PDF disclosure (a pair of PDFs counts as one), in one process and back to back:
  budgetpub   read the PDF by geometry, convert, render the package in memory;
  baseline    pdfplumber's own `extract_text()` and `extract_tables()` on every page, which is
              what a converter built on that library would start from.
Both are timed with process CPU time (time.process_time), not wall time: this machine is shared
and wall times drift by 40%. The ratio is the baseline's CPU time over budgetpub's, summed over
the same documents measured in the same run (paired), and also its median per document.
Peak memory is each side's maximum resident size, measured in a fresh worker process per side.
Targets (issue 12): at most 0.5 CPU s per disclosure, and at least 4x cheaper than the baseline.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_FOLDERS = [ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "disclosures" / "pdf"]


def budgetpub_cpu(paths: tuple[Path, ...]) -> float:
    """CPU seconds budgetpub spends on one disclosure, from PDF bytes to a rendered package."""
    from converter.errors import BudgetpubError
    from converter.package import render
    from converter.pipeline import convert_source
    from converter.read import read_disclosure

    start = time.process_time()
    try:
        render(convert_source(read_disclosure(list(paths))))
    except BudgetpubError:
        pass  # a refused disclosure costs what it cost to find out
    return time.process_time() - start


def baseline_cpu(paths: tuple[Path, ...]) -> float:
    """CPU seconds pdfplumber spends extracting the text and the tables of every page."""
    import pdfplumber

    start = time.process_time()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.flush_cache()
    return time.process_time() - start


def _peak(side: str, disclosures: list[tuple[Path, ...]]) -> int:
    """Peak resident memory (MB) of a worker that runs one side over the disclosures."""
    work = budgetpub_cpu if side == "budgetpub" else baseline_cpu
    for paths in disclosures:
        work(paths)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--every", type=int, default=3, help="measure every Nth disclosure (the baseline is slow)")
    parser.add_argument("--repeat", type=int, default=1, help="budgetpub runs per document (the least is kept)")
    args = parser.parse_args()
    from converter import find_disclosures

    folders = args.folders or [f for f in DEFAULT_FOLDERS if f.exists()] or [ROOT / "samples" / "pdf"]
    disclosures = [d for d in find_disclosures(folders) if all(p.suffix.lower() == ".pdf" for p in d)]
    measured = disclosures[:: args.every]
    print(f"{len(measured)} of {len(disclosures)} PDF disclosures, paired in one process")
    rows = []
    budgetpub_cpu(measured[0])  # imports and code lists loaded once, outside the measurement
    for paths in measured:
        ours = min(budgetpub_cpu(paths) for _ in range(args.repeat))
        theirs = baseline_cpu(paths)
        rows.append((paths[0].name, ours, theirs))
        print(f"  {paths[0].name:<50} budgetpub {ours:6.3f} s   pdfplumber {theirs:6.3f} s   {theirs / ours:5.1f}x")
    ours_all = [r[1] for r in rows]
    theirs_all = [r[2] for r in rows]
    with ProcessPoolExecutor(1) as pool:
        peak_ours = pool.submit(_peak, "budgetpub", measured).result()
    with ProcessPoolExecutor(1) as pool:
        peak_theirs = pool.submit(_peak, "baseline", measured[:5]).result()
    print()
    print(f"budgetpub:  median {statistics.median(ours_all):.3f} CPU s per disclosure, max {max(ours_all):.3f}")
    print(f"pdfplumber: median {statistics.median(theirs_all):.3f} CPU s per disclosure, max {max(theirs_all):.3f}")
    print(
        f"ratio (paired): {sum(theirs_all) / sum(ours_all):.1f}x in all, "
        f"median per document {statistics.median(t / o for _, o, t in rows):.1f}x"
    )
    print(f"peak memory: budgetpub {peak_ours} MB over {len(measured)}; pdfplumber {peak_theirs} MB over 5")
    met = statistics.median(ours_all) <= 0.5 and sum(theirs_all) / sum(ours_all) >= 4
    print(f"targets (<= 0.5 CPU s per disclosure, >= 4x cheaper): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
