"""Corpus run: convert every disclosure of a folder (PDF, text, web page) and say what became of each.

    .venv/bin/python bench/corpus.py ../shared/corpus ../shared/disclosures/pdf [--top 30] [--jobs 2]

Per document: converted (no gap), partial (gaps: printed numbers that could not be read or placed)
or failed (the message); then, over the corpus, the gaps counted by kind, so rules can be driven
by how many documents they help. Nothing is written to disk: packages are rendered in memory.
CPU seconds per document are measured in the worker (process time), not wall time.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_NUMBERS = re.compile(r"\d[\d,.]*")
_QUOTED = re.compile(r"'[^']*'")


def kind_of(message: str) -> str:
    """A gap's message with its particulars (quoted text, numbers) taken out: its kind."""
    return _NUMBERS.sub("N", _QUOTED.sub("'…'", message))[:140]


def run_one(paths: tuple[Path, ...]) -> tuple[str, str, float, list[tuple[str, str]], int, int]:
    """(name, status, CPU seconds, gaps as (check, message), tables converted, rows)."""
    from converter.errors import BudgetpubError
    from converter.package import render
    from converter.pipeline import convert_source
    from converter.read import read_disclosure

    start = time.process_time()
    name = " + ".join(p.name for p in paths)
    try:
        conversion = convert_source(read_disclosure(list(paths)))
        render(conversion)
    except BudgetpubError as exc:
        return name, "failed: " + str(exc).split(": ", 1)[-1], time.process_time() - start, [], 0, 0
    gaps = [(f.check, f.message) for f in conversion.findings if f.severity == "error"]
    converted = [t for t in conversion.tables if t.status == "converted"]
    status = "partial" if gaps else "converted"
    return name, status, time.process_time() - start, gaps, len(converted), sum(t.rows for t in converted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25, help="how many kinds of gap to list")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    args = parser.parse_args()
    from converter import find_disclosures

    disclosures = find_disclosures(args.folders)
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run_one, disclosures))
    statuses: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    documents_with: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    cpu = []
    for name, status, seconds, gaps, tables, rows in results:
        cpu.append(seconds)
        head = status.split(":")[0]
        statuses[head] += 1
        if head == "failed":
            failures[kind_of(status[8:])] += 1
        seen = set()
        for check, message in gaps:
            kind = f"{check}: {kind_of(message)}"
            kinds[kind] += 1
            seen.add(kind)
        documents_with.update(seen)
        if not args.quiet:
            detail = f"{len(gaps)} gap(s)" if gaps else ("" if head == "failed" else "no gap")
            print(f"{status[:150]:<40} {name}  {tables} tables, {rows} rows, {detail}, {seconds:.2f} CPU s")
    total = len(results)
    print(f"\n{total} disclosure(s): " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    if cpu:
        cpu.sort()
        print(f"CPU seconds per disclosure: median {cpu[len(cpu) // 2]:.3f}, max {cpu[-1]:.3f}, total {sum(cpu):.1f}")
    if failures:
        print("\nfailures by message:")
        for message, count in failures.most_common():
            print(f"  {count:4d}  {message}")
    if kinds:
        print(f"\ngaps by kind (gaps, documents), top {args.top}:")
        for kind, count in kinds.most_common(args.top):
            print(f"  {count:5d} {documents_with[kind]:4d}  {kind}")


if __name__ == "__main__":
    main()
