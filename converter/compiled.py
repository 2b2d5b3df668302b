"""An optional compiled build of the conversion modules (mypyc), used only while it matches the sources.

    budgetpub compile          # build it into build/compiled/ (needs mypy and a C compiler)
    budgetpub compile --clean  # remove it

The sources stay plain, type-checked Python and are always the reference: the build compiles
the same files with mypyc (as black and mypy ship themselves) into build/compiled/, never next
to the sources, and records their SHA-256. The package puts the compiled modules ahead of the
sources only while every recorded hash still matches, so an edited source is never shadowed by
an older build. BUDGETPUB_PURE=1 turns the compiled build off. It belongs to a checkout: an
installed wheel (no checkout, converter.locations.CHECKOUT) always runs its sources.

This module is never compiled itself: it decides whether compiled code is used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from functools import cache
from pathlib import Path

from converter.locations import CHECKOUT, ROOT

BUILD_DIR = ROOT / "build" / "compiled"
MANIFEST = BUILD_DIR / "sources.json"
# The modules on the conversion path (the arithmetic and cross-table checks run on every
# conversion). Not compiled: package __init__ files (they load the build), this module, errors
# (exceptions cross process boundaries in --jobs) and the CLI.
MODULES = (
    "converter/cells.py",
    "converter/codelists.py",
    "converter/codes.py",
    "converter/facts.py",
    "converter/layout.py",
    "converter/listings.py",
    "converter/mapping/coded.py",
    "converter/mapping/parse.py",
    "converter/mapping/projects.py",
    "converter/mapping/side_by_side.py",
    "converter/mapping/summary.py",
    "converter/mapping/table.py",
    "converter/mapping/three_public.py",
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
    "validate/checks/arithmetic.py",
    "validate/checks/crosstable.py",
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


@cache
def _usable() -> bool:
    return CHECKOUT and os.environ.get("BUDGETPUB_PURE") != "1" and is_current()


def _load_shared_library() -> None:
    """Load the library every compiled module links to, by file: putting build/compiled/ on
    sys.path would make its folders (which hold no __init__.py) shadow the real packages."""
    name = f"{GROUP}__mypyc"
    if name in sys.modules:
        return
    library = next(BUILD_DIR.glob(f"{name}.*"))
    spec = importlib.util.spec_from_file_location(name, library)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


def activate(package: str, package_path: list[str]) -> bool:
    """Put a package's compiled modules ahead of its sources (its __path__), if the build is current."""
    if not _usable():
        return False
    _load_shared_library()
    package_path.insert(0, str(BUILD_DIR.joinpath(*package.split("."))))
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


class CompileError(Exception):
    """The compiled build could not be made; the sources stay in use."""


def build(build_dir: Path = BUILD_DIR) -> Path:
    """Compile MODULES into build_dir, replacing an older build only when the new one is complete."""
    import shutil
    import subprocess
    import tempfile

    if not CHECKOUT:
        raise CompileError(f"the compiled build is made in a checkout of budgetpub; {ROOT} is not one")
    try:
        import mypyc  # noqa: F401
    except ImportError as missing:
        raise CompileError("the compiled build needs mypy (pip install mypy) and a C compiler") from missing
    sources = {module: _digest(ROOT / module) for module in MODULES}
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="budgetpub-compile-", dir=build_dir.parent) as work:
        staging = Path(work) / "out"
        done = subprocess.run(
            [sys.executable, "-c", _SETUP, ",".join(MODULES), GROUP, str(staging), str(Path(work) / "c")],
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            detail = (done.stdout + done.stderr).strip().splitlines()[-20:]
            raise CompileError("mypyc failed; the sources stay in use:\n" + "\n".join(detail))
        (staging / MANIFEST.name).write_text(
            json.dumps({"build": _build_tag(), "sources": sources}, indent=2) + "\n", encoding="utf-8"
        )
        if build_dir.exists():
            shutil.rmtree(build_dir)
        staging.rename(build_dir)
    return build_dir


def clean(build_dir: Path = BUILD_DIR) -> None:
    import shutil

    shutil.rmtree(build_dir, ignore_errors=True)
