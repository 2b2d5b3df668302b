"""Mutation testing of the core modules: would the tests notice if the code were subtly wrong?

    pip install -e '.[test,mutation]'
    python bench/mutation.py                      # every module below, one after the other
    python bench/mutation.py release/diff.py      # one module
    python bench/mutation.py --show               # also print each unexplained survivor's diff
    python bench/mutation.py converter/mapping/summary.py --only 'x_map_summary*'   # some functions only

mutmut changes one operator, constant or call at a time ("mutants") and runs the tests that
reach the changed function; a mutant the tests still pass on "survived". Each module is run
against the test files that cover it, in a scratch copy of the repository (mutmut writes its
mutated tree next to the sources), at low priority. The score is killed / (mutants - equivalent):
an equivalent mutant behaves exactly like the original (nothing can kill it) and is listed with
why in bench/mutation-equivalent.tsv, as are the few that differ only on input no caller can give
(a package validation rejects first, a PDFium call that cannot fail as the reader makes it) or on a
non-UTF-8 locale (their kind says which). Target: at least 90% per module.

A large module can be run a few functions at a time (--only, mutmut's mutant name patterns
without the module prefix): the score printed is then that of those functions.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = Path(__file__).with_name("mutation-equivalent.tsv")
# converter/mapping/ one module per layout; its tests convert whole disclosures as well as the
# small layouts of tests/test_mapping.py (mutmut runs, per mutant, only those reaching its function)
MAPPING_MODULES = ("table", "parse", "summary", "coded", "side_by_side", "three_public", "projects")
MAPPING_TESTS = [
    "tests/test_mapping.py",
    "tests/test_mapping_summary.py",
    "tests/test_mapping_layouts.py",
    "tests/test_samples.py",
    "tests/test_templates.py",
    "tests/test_summaries.py",
    "tests/test_economic_tables.py",
    "tests/test_regional_tables.py",
    "tests/test_final_accounts.py",
    "tests/test_variations.py",
    "tests/test_listings.py",
    "tests/test_performance.py",
]
# module -> the test files that cover it (kept narrow: mutmut runs them once per mutant)
MODULES = {
    "release/diff.py": ["tests/test_diff.py"],
    "validate/checks/arithmetic.py": ["tests/test_arithmetic.py"],
    "converter/codes.py": ["tests/test_codes.py"],
    "converter/cells.py": ["tests/test_cells.py"],
    "converter/pdf.py": ["tests/test_pdf_geometry.py", "tests/test_readers.py"],
    **{f"converter/mapping/{name}.py": MAPPING_TESTS for name in MAPPING_MODULES},
}
PACKAGES = ["converter", "validate", "release", "budgetpub"]  # importable code, copied for mutmut
DATA = ["schema", "samples", "tests"]  # what the tests read, relative to the package root
TARGET = 0.90
# mutmut's exit codes, as its results command reads them: a failed test run, one stopped for
# running far longer than the unmutated run (an endless loop), or one that crashed (a PDFium call
# given a wrong pointer or size: SIGSEGV, or SIGKILL for the memory it took) counts as detected
KILLED = {1, 3, 37, -11, -9}
TIMEOUT = {36, -24, 24, 152, 255}
SURVIVED = {0}
PROGRESS_EVERY = 60  # seconds between progress lines on stderr


def equivalent_mutants() -> dict[str, str]:
    """mutant name -> its kind: `equivalent` (behaves as the original on every input),
    `unreachable` (differs only on input no caller can give: a package validation rejects before
    any release or diff, a PDFium call that cannot fail as the reader makes it),
    `platform` (differs only where the locale's encoding is not UTF-8). Each row says why."""
    if not EQUIVALENT.exists():
        return {}
    with EQUIVALENT.open(encoding="utf-8", newline="") as handle:
        return {row["mutant"]: row["kind"] for row in csv.DictReader(handle, delimiter="\t")}


def scratch_copy(module: str, tests: list[str], work: Path) -> None:
    """The repository's code, data and tests, with a mutmut configuration for one module."""
    for name in [*PACKAGES, *DATA]:
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
    lines = [
        "[mutmut]",
        "source_paths=",
        *[f"    {name}" for name in PACKAGES],
        f"only_mutate={module}",
        "also_copy=",
        *[f"    {name}" for name in DATA],
        "pytest_add_cli_args_test_selection=",
        *[f"    {test}" for test in tests],
        "pytest_add_cli_args=",
        "    -p",
        "    no:cacheprovider",
        "    -x",
        "",
    ]
    (work / "setup.cfg").write_text("\n".join(lines), encoding="utf-8")


def mutant_prefix(module: str) -> str:
    """mutmut's name for a module's mutants before the function's: converter/pdf.py -> converter.pdf."""
    return module.removesuffix(".py").replace("/", ".") + "."


def run_module(module: str, tests: list[str], work: Path, children: int, only: list[str]) -> dict[str, int | None]:
    """Mutate one module (or only its mutants matching `only`) and run its tests; mutant name ->
    mutmut's exit code."""
    scratch_copy(module, tests, work)
    env = {**os.environ, "BUDGETPUB_PURE": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    patterns = [mutant_prefix(module) + pattern for pattern in only]
    mutmut = [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children", str(children), *patterns]
    meta = work / "mutants" / f"{module}.meta"
    with subprocess.Popen(["nice", "-n", "10", *mutmut], cwd=work, env=env, stdout=subprocess.DEVNULL) as run:
        while True:
            try:
                run.wait(timeout=PROGRESS_EVERY)
                break
            except subprocess.TimeoutExpired:
                report_progress(module, read_codes(meta, patterns))
    codes = read_codes(meta, patterns)
    if codes is None:
        raise SystemExit(f"{module}: mutmut left no results (run it by hand in {work} to see why)")
    return codes


def read_codes(meta: Path, patterns: list[str]) -> dict[str, int | None] | None:
    """mutmut's results so far (None for a mutant not yet run), or None before it has written any."""
    try:
        codes = dict(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    except (OSError, ValueError, KeyError):
        return None  # not written yet, or caught mid-write
    if patterns:
        codes = {m: c for m, c in codes.items() if any(fnmatch.fnmatchcase(m, p) for p in patterns)}
    return codes


def report_progress(module: str, codes: dict[str, int | None] | None) -> None:
    """A line on stderr while a long run goes on: how many mutants have run, how many survived."""
    if codes is None:
        print(f"{module}: running the tests once to see which reach each function …", file=sys.stderr, flush=True)
        return
    done = [c for c in codes.values() if c is not None]
    survived = sum(1 for c in done if c in SURVIVED)
    print(f"{module}: {len(done)} of {len(codes)} mutants run, {survived} survived so far", file=sys.stderr, flush=True)


def show(work: Path, mutant: str) -> str:
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    return subprocess.run([mutmut, "show", mutant], cwd=work, capture_output=True, text=True, check=False).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help=f"default: {', '.join(MODULES)}")
    parser.add_argument("--show", action="store_true", help="print the diff of each unexplained survivor")
    parser.add_argument("--children", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies (printed)")
    parser.add_argument(
        "--only", action="append", default=[], help="mutants of these functions only (a pattern: 'x_map_summary*')"
    )
    args = parser.parse_args()
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"not a module with mutation tests: {', '.join(unknown)}")
    equivalent = equivalent_mutants()
    below = []
    for module in args.modules or list(MODULES):
        work = Path(tempfile.mkdtemp(prefix="budgetpub-mutation-"))
        try:
            codes = run_module(module, MODULES[module], work, args.children, args.only)
            detected = KILLED | TIMEOUT
            killed = [m for m, c in codes.items() if c in detected]
            timeouts = [m for m, c in codes.items() if c in TIMEOUT]
            same = [m for m, c in codes.items() if c not in detected and m in equivalent]
            missed = sorted(m for m, c in codes.items() if c not in detected and m not in equivalent)
            stale = sorted(m for m, c in codes.items() if c in detected and m in equivalent)
            counted = len(codes) - len(same)
            score = len(killed) / counted if counted else 1.0
            kinds = Counter(equivalent[m] for m in same)
            listed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
            scope = f" ({', '.join(args.only)})" if args.only else ""
            print(
                f"{module}{scope}: {score:.1%} of {counted} non-equivalent mutants killed "
                f"({len(killed)} killed of which {len(timeouts)} by timeout, {len(missed)} not; "
                f"{len(codes)} in all; set aside as listed: {listed})"
            )
            for mutant in missed:
                status = "survived" if codes[mutant] in SURVIVED else f"exit code {codes[mutant]}"
                print(f"  {status}: {mutant}")
                if args.show:
                    print("    " + show(work, mutant).replace("\n", "\n    "))
            for mutant in stale:
                print(f"  listed as equivalent but killed (remove it from {EQUIVALENT.name}): {mutant}")
            if score < TARGET:
                below.append(module)
        finally:
            if args.keep:
                print(f"  kept: {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
    if below:
        print(f"below {TARGET:.0%}: {', '.join(below)}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
