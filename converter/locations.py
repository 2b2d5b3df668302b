"""Where budgetpub finds its data files and its default folders: in a checkout, or installed from a wheel.

In a checkout (and an editable install, `pip install -e .`) the standard is read from schema/ at
the top of the repository, and the commands' default folders (samples/, build/packages/,
datapackages/, budgetpub.toml) are the checkout's, wherever the command is run from.

A wheel carries schema/ as package data under budgetpub/schema/ (pyproject.toml maps the folder
there, so the files live in one place in the repository), read here through importlib.resources.
An installed budgetpub has no checkout: its default folders are relative to the current folder.

Never compiled (compiled modules live elsewhere than their sources), so `__file__` is the source's.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A checkout holds its project file and the standard next to the packages; site-packages does not.
CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "schema" / "package.schema.json").is_file()


def _schema_dir() -> Path:
    if CHECKOUT:
        return ROOT / "schema"
    # Wheels install as plain files, so the resource is a real folder (never inside a zip).
    return Path(str(importlib.resources.files("budgetpub").joinpath("schema")))


SCHEMA_DIR = _schema_dir()
CODELIST_DIR = SCHEMA_DIR / "codelists"

# The commands' defaults: the checkout's folders, or relative to where an installed command runs.
HOME = ROOT if CHECKOUT else Path()
SAMPLES_DIR = HOME / "samples"
DEFAULT_OUT = HOME / "build" / "packages"
DEFAULT_STORE = HOME / "datapackages"
DEFAULT_CONFIG = HOME / "budgetpub.toml"
