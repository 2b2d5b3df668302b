"""The README's screenshots of the site, taken in Debian's headless chromium (no downloaded browser).

.venv/bin/python docs/screenshots.py     # builds the site of datapackages/ aside, writes docs/site-*.png
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from release.site import build_site

ROOT = Path(__file__).resolve().parent.parent
SHOTS = (
    # (file, page#drill-panel, search typed or the section scrolled to, viewport)
    ("site-index.png", "index.html", "武汉", (900, 560)),
    ("site-function.png", "440300-xfdca66-2026-budget/1.2.0/index.html#fn-all_funds-20108", "function", (900, 980)),
)


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(ROOT / "datapackages", Path(folder) / "site", [ROOT / "samples"]).out
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for name, page_path, search, (width, height) in SHOTS:
                page = browser.new_page(viewport={"width": width, "height": height})
                path, _, fragment = page_path.partition("#")
                page.goto((site / path).as_uri() + (f"#{fragment}" if fragment else ""))
                if fragment:  # the drill panel is open; show its section from the top
                    page.evaluate(f"document.getElementById('{search}').scrollIntoView()")
                elif search:
                    page.fill("#search", search)
                page.screenshot(path=str(ROOT / "docs" / name))
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
