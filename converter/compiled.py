"""An optional compiled build of the conversion modules (mypyc), used only while it matches the sources.

    python -m converter.compiled          # build it into build/compiled/ (needs mypy and a C compiler)
    python -m converter.compiled --clean  # remove it

The sources stay plain, type-checked Python and are always the reference: the build compiles
the same files with mypyc (as black and mypy ship themselves) into build/compiled/, never next
to the sources, and records their SHA-256. The package puts the compiled modules ahead of the
sources only while every recorded hash still matches, so an edited source is never shadowed by
an older build. BUDGETPUB_PURE=1 turns the compiled build off.

This module is never compiled itself: it decides whether compiled code is used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = ROOT / "build" / "compiled"
MANIFEST = BUILD_DIR / "sources.json"
# The modules on the conversion path. Not compiled: the package's __init__ (it loads the build),
# this module, errors (exceptions cross process boundaries in --jobs) and the CLI.
MODULES = (
    "converter/cells.py",
    "converter/codelists.py",
    "converter/codes.py",
    "converter/facts.py",
    "converter/layout.py",
    "converter/listings.py",
    "converter/mapping.py",
    "converter/metadata.py",
    "converter/narrative.py",
    "converter/package.py",
    "converter/performance.py",
    "converter/pipeline.py",
    "converter/read.py",
    "converter/recognize.py",
    "converter/report.py",
    "converter/schema.py",
    "converter/segment.py",
)
GROUP = "budgetpub_native"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build_tag() -> str:
    """What a build is only valid for: this interpreter's version and ABI."""
    return f"{sys.implementation.cache_tag}-{sys.platform}"


def is_current(build_dir: Path = BUILD_DIR) -> bool:
    """Whether a compiled build exists for this interpreter and every source it was made from is unchanged."""
    try:
        manifest = json.loads((build_dir / MANIFEST.name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("build") != _build_tag() or sorted(manifest.get("sources", {})) != sorted(MODULES):
        return False
    try:
        return all(_digest(ROOT / source) == digest for source, digest in manifest["sources"].items())
    except OSError:
        return False


def activate(package_path: list[str]) -> bool:
    """Put the compiled modules ahead of the sources of the `converter` package, if current."""
    if os.environ.get("BUDGETPUB_PURE") == "1" or not is_current():
        return False
    if str(BUILD_DIR) not in sys.path:
        sys.path.append(str(BUILD_DIR))  # the shared library all compiled modules link to
    package_path.insert(0, str(BUILD_DIR / "converter"))
    return True


_SETUP = """
import sys
from setuptools import Distribution
from mypyc.build import mypycify

modules, group, out, work = sys.argv[1].split(","), sys.argv[2], sys.argv[3], sys.argv[4]
extensions = mypycify(modules, opt_level="3", group_name=group, target_dir=work)
dist = Distribution({"name": group, "ext_modules": extensions})
dist.verbose = 0
build = dist.get_command_obj("build_ext")
build.build_lib, build.build_temp, build.inplace = out, work, False
dist.run_command("build_ext")
"""


def build(build_dir: Path = BUILD_DIR) -> Path:
    """Compile MODULES into build_dir, replacing an older build only when the new one is complete."""
    try:
        import mypyc  # noqa: F401
    except ImportError as missing:
        raise SystemExit("the compiled build needs mypy: pip install mypy") from missing
    sources = {module: _digest(ROOT / module) for module in MODULES}
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="budgetpub-compile-", dir=build_dir.parent) as work:
        staging = Path(work) / "out"
        subprocess.run(
            [sys.executable, "-c", _SETUP, ",".join(MODULES), GROUP, str(staging), str(Path(work) / "c")],
            cwd=ROOT,
            check=True,
        )
        (staging / MANIFEST.name).write_text(
            json.dumps({"build": _build_tag(), "sources": sources}, indent=2) + "\n", encoding="utf-8"
        )
        if build_dir.exists():
            shutil.rmtree(build_dir)
        staging.rename(build_dir)
    return build_dir


def main(argv: list[str]) -> int:
    if argv == ["--clean"]:
        shutil.rmtree(BUILD_DIR, ignore_errors=True)
        print(f"removed {BUILD_DIR}")
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        built = build()
    except subprocess.CalledProcessError as failed:
        print(f"compiling failed (exit {failed.returncode}); the sources are used as they are", file=sys.stderr)
        return 1
    print(f"compiled {len(MODULES)} modules into {built}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
