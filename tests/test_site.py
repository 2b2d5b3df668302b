"""The static site of the release store (release.site, `budgetpub site`).

The site is built from the repository's datapackages/ (read only) into a temporary folder, with
the sources found in samples/. Expected figures, lines and pages are read by hand from the
samples: wuhan-data-bureau-2026-budget.txt prints 表 3.部门支出总表 with `201 一般公共服务支出
5971.90` on line 167 and `2014101 行政运行 1613.36` (万元) on line 169; shenzhen-shenjiju-2026-budget.pdf
prints 表 3 支出总表 on page 21, its row 2010801 with the code's glyphs between 345.3 and 352.0
points from the page's top (pypdfium2's char boxes on a 1077 × 595 pt page).

The `browser` tests drive the site in Debian's chromium (Playwright, no downloaded browser):
skipped when chromium is absent, failing under CI=true.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from budgetpub.cli import cli
from release.site import SiteError, build_site
from validate import validate_store

try:  # the browser tests' waiting assertions; without playwright those tests are skipped (conftest.browser)
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover
    expect = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "datapackages"
SAMPLES = ROOT / "samples"
TEXT_PACKAGE = "420100-157-2026-budget"
PDF_PACKAGE = "440300-xfdca66-2026-budget"
HREF = re.compile(r'(?:href|src)="([^"]+)"')


def latest(name: str) -> str:
    return sorted(
        (p.name for p in (STORE / name).iterdir() if p.is_dir()), key=lambda v: tuple(map(int, v.split(".")))
    )[-1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = build_site(STORE, out, [SAMPLES])
    assert result.missing_sources == []
    return out


def test_same_store_gives_the_same_bytes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    for name in (TEXT_PACKAGE, PDF_PACKAGE):
        shutil.copytree(STORE / name, store / name)
    one, two = tmp_path / "one", tmp_path / "two"
    build_site(store, one, [SAMPLES])
    build_site(store, two, [SAMPLES])
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files_one == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert len(files_one) > 40
    for relative in files_one:
        assert (one / relative).read_bytes() == (two / relative).read_bytes(), relative


def test_every_link_of_every_page_leads_to_a_file(site: Path) -> None:
    """Internal links (pages, sources, page images, downloads in the store) all resolve; none
    leaves for another host."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if href.startswith(("#", "data:")):
                continue
            assert not parts.scheme and not parts.netloc, f"{page}: {href} goes to another host"
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.exists(), f"{page.relative_to(site)}: {href} leads nowhere"


def test_every_chart_has_a_title_a_description_and_a_table(site: Path) -> None:
    """Accessible pages: a language, a viewport for phones, alt text on images, and behind every
    chart its title, its description and the table of its figures."""
    charts = 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text and 'name="viewport"' in text, page
        for image in re.findall(r"<img [^>]*>", text):
            assert re.search(r'alt="[^"]+"', image), f"{page}: {image}"
        for match in re.finditer(r'<svg class="chart" id="([^"]+)"', text):
            charts += 1
            chart = text[match.start() : text.index("</svg>", match.start())]
            ident = match.group(1)
            assert f'aria-labelledby="{ident}-t {ident}-d"' in chart
            assert re.search(rf'<title id="{ident}-t">[^<]+</title><desc id="{ident}-d">[^<]+</desc>', chart), ident
            assert text.index("<table", match.start()) < text.find('<svg class="chart"', match.end()) or (
                text.find('<svg class="chart"', match.end()) == -1
            ), f"{page}: chart {ident} has no table before the next chart"
    assert charts > 500


def test_a_figure_links_to_its_line_of_the_text(site: Path) -> None:
    page = (site / TEXT_PACKAGE / latest(TEXT_PACKAGE) / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-code="2014101">.*?</tr>', page)
    assert row is not None
    link = re.search(r'href="([^"]+)"[^>]*data-field="total">([^<]+)</a>', row.group(0))
    assert link is not None
    assert link.group(2) == "16,133,600.00"  # 1613.36 万元
    assert link.group(1).endswith("text.html#L169")
    source = (site / TEXT_PACKAGE / latest(TEXT_PACKAGE) / link.group(1).split("#")[0]).read_text(encoding="utf-8")
    line = re.search(r'<span class="line" id="L169">(.*?)</span>', source)
    assert line is not None and "2014101" in line.group(1) and "1613.36" in line.group(1)


def test_a_bar_of_revenue_links_to_its_line(site: Path) -> None:
    """Line 109 of the sample prints 一、一般公共预算拨款收入 11,994.89 (万元) in 部门收支总表."""
    page = (site / TEXT_PACKAGE / latest(TEXT_PACKAGE) / "index.html").read_text(encoding="utf-8")
    chart = page[page.index('<svg class="chart" id="revenue-chart"') :]
    chart = chart[: chart.index("</svg>")]
    bar = re.search(r'<a class="drill" href="([^"]+)" aria-label="一、一般公共预算拨款收入  ([\d,]+\.\d\d)', chart)
    assert bar is not None
    assert bar.group(1).endswith("text.html#L109") and bar.group(2) == "119,948,900.00"


def test_a_figure_of_a_pdf_links_to_its_page_and_box(site: Path) -> None:
    page = (site / PDF_PACKAGE / latest(PDF_PACKAGE) / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="fn-all_funds-20108"') :]
    row = re.search(r'<tr data-code="2010801">.*?</tr>', section)
    assert row is not None
    link = re.search(r'href="[^"]*/page-(\d+)\.html#b=([\d.]+),([\d.]+),([\d.]+),([\d.]+)"', row.group(0))
    assert link is not None
    assert link.group(1) == "21"
    top, bottom = float(link.group(3)), float(link.group(5))
    assert top <= 345.3 and bottom >= 352.0


def test_the_report_says_in_plain_words_where_the_source_disagrees_with_itself(site: Path) -> None:
    """Line 192 of the sample prints 22102 住房改革支出 363.43 over 252.55 + 40.17 + 70.70 = 363.42:
    the report explains the kind of finding and links the finding to that line."""
    page = (site / TEXT_PACKAGE / latest(TEXT_PACKAGE) / "index.html").read_text(encoding="utf-8")
    report = page[page.index('<section id="report"') :]
    report = report[: report.index("</section>")]
    assert "原文件自身不一致（按原样保留）" in report  # the severity 'source', said in words
    assert "下级科目相加与上级不等" in report  # the check 'hierarchy', said in words
    finding = re.search(r"<li>\[all_funds\] 22102 住房改革支出[^<]*363\.42[^<]*<a href=\"([^\"]+)\"", report)
    assert finding is not None and finding.group(1).endswith("text.html#L192")
    assert "校验通过：没有错误。" in report  # the latest version is validated: no error


def test_a_department_page_puts_its_years_side_by_side(site: Path) -> None:
    """武汉市数据局: the 2024 final accounts print 总计 14,784.19 万元 (line 128 of its sample), the
    2026 budget 收 入 总 计 13,244.21 万元 (line 135 of its sample)."""
    page = (site / TEXT_PACKAGE / "index.html").read_text(encoding="utf-8")
    years = page[page.index('<h2 id="years">') :]
    row = re.search(r'<tr><th scope="row">收入总计.*?</tr>', years)
    assert row is not None
    cells = re.findall(r'<td class="(n[^"]*)"[^>]*><a class="num" href="([^"]+)"[^>]*>([^<]+)</a>', row.group(0))
    assert [(css, href.rsplit("#", 1)[1], shown) for css, href, shown in cells] == [
        ("n", "L128", "147,841,900.00"),
        ("n changed", "L135", "132,442,100.00"),
    ]
    assert "2024 决算" in years and "2026 预算" in years


def test_the_command_writes_the_site_and_refuses_to_overwrite_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE / TEXT_PACKAGE, store / TEXT_PACKAGE)
    before = [f.message for f in validate_store(store).findings]
    result = CliRunner().invoke(cli, ["site", "--store", str(store), "--sources", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert [f.message for f in validate_store(store).findings] == before  # the site is not taken for a package
    assert (store / "site" / "index.html").is_file()
    assert (store / "site" / TEXT_PACKAGE / latest(TEXT_PACKAGE) / "index.html").is_file()
    with pytest.raises(SiteError):
        build_site(store, store)
    with pytest.raises(SiteError):
        build_site(tmp_path / "empty")
    elsewhere = tmp_path / "notes"
    (elsewhere / "mine.txt").parent.mkdir()
    (elsewhere / "mine.txt").write_text("kept", encoding="utf-8")
    with pytest.raises(SiteError):  # the site replaces its folder: never one that is not a site
        build_site(store, elsewhere)
    assert (elsewhere / "mine.txt").read_text(encoding="utf-8") == "kept"
    build_site(store, store / "site")  # a site is replaced by the next
    assert (store / "site" / "index.html").is_file()


def test_without_its_source_a_figure_says_where_it_is_printed(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE / TEXT_PACKAGE, store / TEXT_PACKAGE)
    result = build_site(store, tmp_path / "site", [])
    assert result.missing_sources == ["wuhan-data-bureau-2026-budget.txt"]
    page = (tmp_path / "site" / TEXT_PACKAGE / latest(TEXT_PACKAGE) / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-code="2014101">.*?</tr>', page)
    assert row is not None
    assert '<span class="num" title="原文第 169 行 source line 169' in row.group(0)


# ---------------------------------------------------------------- in a real browser


class Visit:
    """A browser tab that records console errors and every request, and refuses all but file://."""

    def __init__(self, browser, site: Path) -> None:  # noqa: ANN001 - playwright's Browser
        self.site = site
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1000, "height": 800})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _route(self, route) -> None:  # noqa: ANN001
        url = route.request.url
        self.requests.append(url)
        if url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def open(self, relative: str) -> None:
        path, _, fragment = relative.partition("#")
        self.page.goto((self.site / path).as_uri() + (f"#{fragment}" if fragment else ""))

    def outside(self) -> list[str]:
        root = self.site.as_uri()
        return [u for u in self.requests if not u.startswith(root)]


@pytest.fixture
def visit(browser, site: Path):  # noqa: ANN001
    tab = Visit(browser, site)
    yield tab
    tab.context.close()


@pytest.mark.browser
def test_pages_load_without_errors_or_outside_requests(visit: Visit) -> None:
    pages = [
        "index.html",
        f"{TEXT_PACKAGE}/index.html",
        f"{TEXT_PACKAGE}/{latest(TEXT_PACKAGE)}/index.html",
        f"{PDF_PACKAGE}/{latest(PDF_PACKAGE)}/index.html",
        "420100-x8d43a1-2024-final-accounts/index.html",
        "110000-xd16623-2026-budget/1.0.0/index.html",
    ]
    for relative in pages:
        visit.open(relative)
        assert visit.page.locator("h1").count() == 1, relative
    assert visit.errors == []
    assert visit.outside() == []
    assert any(u.endswith("assets/site.js") for u in visit.requests)


@pytest.mark.browser
def test_pages_fit_a_phone(visit: Visit) -> None:
    """At a phone's width nothing but the tables' own scroll boxes is wider than the screen."""
    visit.page.set_viewport_size({"width": 375, "height": 700})
    for relative in ("index.html", f"{PDF_PACKAGE}/{latest(PDF_PACKAGE)}/index.html", f"{TEXT_PACKAGE}/index.html"):
        visit.open(relative)
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= 375, relative
    assert visit.errors == []


@pytest.mark.browser
def test_search_finds_a_department(visit: Visit) -> None:
    visit.open("index.html")
    rows = visit.page.locator("#packages tbody tr")
    assert rows.count() == 7
    visit.page.fill("#search", "深圳")
    visible = visit.page.locator("#packages tbody tr:visible")
    assert visible.count() == 1
    assert visible.first.get_attribute("data-package") == PDF_PACKAGE
    visit.page.fill("#search", "2025")  # 普陀区商务委员会 and 武昌区经济和信息化局
    assert sorted(r.get_attribute("data-package") for r in visit.page.locator("#packages tbody tr:visible").all()) == [
        "310107-x942bae-2025-budget",
        "420106-328-2025-budget",
    ]
    visit.page.fill("#search", "final accounts 武汉")
    assert [r.get_attribute("data-package") for r in visit.page.locator("#packages tbody tr:visible").all()] == [
        "420100-x8d43a1-2024-final-accounts"
    ]
    assert visit.page.locator("#count").inner_text() == "1"
    visit.page.fill("#search", "no such department")
    assert visit.page.locator("#packages tbody tr:visible").count() == 0
    expect(visit.page.locator("#none")).to_be_visible()
    assert visit.errors == []


@pytest.mark.browser
def test_the_function_chart_drills_down_by_mouse_and_keyboard(visit: Visit) -> None:
    visit.open(f"{TEXT_PACKAGE}/{latest(TEXT_PACKAGE)}/index.html")
    page = visit.page
    expect(page.locator("#fn-all_funds-TOTAL")).to_be_visible()
    expect(page.locator("#fn-all_funds-201")).to_be_hidden()
    page.locator('#fn-all_funds-TOTAL svg a[href="#fn-all_funds-201"]').click()  # the bar of 201, by mouse
    expect(page.locator("#fn-all_funds-201")).to_be_visible()
    expect(page.locator("#fn-all_funds-TOTAL")).to_be_hidden()
    assert page.locator('#fn-all_funds-201 tr[data-code="201"] [data-field="total"]').inner_text() == "59,719,000.00"
    expect(page.locator("#fn-all_funds-201-h")).to_be_focused()  # focus follows the drill
    # By keyboard alone: from the panel's heading, Tab passes the way back up (全部) and reaches the bar of 20141.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#fn-all_funds-TOTAL"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#fn-all_funds-20141"
    page.keyboard.press("Enter")
    panel = page.locator("#fn-all_funds-20141")
    expect(panel).to_be_visible()
    expect(page.locator("#fn-all_funds-201")).to_be_hidden()
    assert panel.locator('tr[data-code="2014101"] [data-field="total"]').inner_text() == "16,133,600.00"
    expect(page.locator("#fn-all_funds-20141-h")).to_be_focused()
    page.locator('#fn-all_funds-20141 a[href="#fn-all_funds-TOTAL"]').click()  # back up to all
    expect(page.locator("#fn-all_funds-TOTAL")).to_be_visible()
    assert visit.errors == []


@pytest.mark.browser
def test_a_figure_opens_its_line_of_the_text(visit: Visit) -> None:
    visit.open(f"{TEXT_PACKAGE}/{latest(TEXT_PACKAGE)}/index.html#fn-all_funds-20141")
    link = visit.page.locator('#fn-all_funds-20141 tr[data-code="2014101"] a[data-field="total"]')
    assert link.get_attribute("href").endswith("text.html#L169")
    link.click()
    target = visit.page.locator(":target")
    assert target.get_attribute("id") == "L169"
    assert "2014101" in target.inner_text() and "1613.36" in target.inner_text()
    expect(target).to_be_visible()
    assert visit.errors == [] and visit.outside() == []


@pytest.mark.browser
def test_a_figure_of_a_pdf_opens_its_page_with_the_figure_boxed(visit: Visit) -> None:
    visit.open(f"{PDF_PACKAGE}/{latest(PDF_PACKAGE)}/index.html#fn-all_funds-20108")
    link = visit.page.locator('#fn-all_funds-20108 tr[data-code="2010801"] a[data-field="total"]')
    assert "/page-21.html#b=" in link.get_attribute("href")
    link.click()
    page = visit.page
    assert page.locator("h1").inner_text().startswith("原文件第 21 页")
    box = page.locator(".pdf-page .box")
    expect(box).to_be_visible()
    image = page.locator(".pdf-page img").bounding_box()
    spot = box.bounding_box()
    assert image is not None and spot is not None
    points = 595.3 / image["height"]  # the page is 595.3 pt high
    assert (spot["y"] - image["y"]) * points <= 345.3 + 1
    assert (spot["y"] + spot["height"] - image["y"]) * points >= 352.0 - 1
    assert page.evaluate("document.querySelector('.pdf-page img').naturalWidth") > 0  # the image loaded
    assert visit.errors == [] and visit.outside() == []


def test_rows_hang_under_their_nearest_printed_code():
    """Beijing's basic table prints TOTAL, 款 (30101) and local sub-items (3021101 差旅费) but no 类
    line: every row still has a place (under TOTAL when nothing above it is printed)."""
    from release.site.pages import children_by_parent

    rows = [{"economic_code": c} for c in ("TOTAL", "30101", "30102", "3021101", "30211", "3021199", "30101")]
    tree = children_by_parent(rows, "economic_code")
    assert [r["economic_code"] for r in tree["TOTAL"]] == ["30101", "30102", "30211", "30101"]
    assert [r["economic_code"] for r in tree["30211"]] == ["3021101", "3021199"]
    assert set(tree) == {"TOTAL", "30211"}


def test_a_source_file_name_with_a_folder_is_copied_under_a_plain_name():
    """A package's source file name comes from its datapackage.json: '../x.pdf' must not write
    outside the site."""
    from release.site import copy_name

    assert copy_name("附件2：报表.pdf", 2) == "附件2：报表.pdf"
    assert copy_name("../../../escape.pdf", 1) == "part-1.pdf"
    assert copy_name("/tmp/escape.pdf", 2) == "part-2.pdf"
    assert copy_name("..", 3) == "part-3.pdf"
