"""The release store as a static site people can browse: plain files, no server, no other host.

    from release.site import build_site
    result = build_site(Path("datapackages"))          # writes datapackages/site/
    result = build_site(store, out, sources=[Path("samples")])

Pages: index.html (every department, searchable), <name>/index.html (a department's versions
side by side, what changed, its other years), <name>/<version>/index.html (headline figures,
expenditure by function drillable 类 → 款 → 项 with basic vs project, basic expenditure by
economic class, “三公” budget vs actual, revenue sources, conversion report and validation,
downloads), and sources/<sha>/ (the source text by line, or each PDF page as an image with the
figure's box), which every number links to. The source documents are found by their sha256 in
`sources` (the checkout's samples/ by default); a number whose source is not found says where
it is printed without a link. The same store and sources give the same bytes.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from converter.errors import BudgetpubError
from converter.locations import SAMPLES_DIR
from release.api import _stored_diff as stored_diff
from release.diff import summary_lines
from release.site import pages
from release.site.charts import Series
from release.site.pages import (
    Context,
    TreeSpec,
    Version,
    both,
    e,
    field_label,
    flat_section,
    grouped,
    label,
    number,
    page,
    phase_label,
    plain,
    source_link,
    summary_item_labels,
    table,
)
from release.site.sources import SourceDoc, available, index_files, pdf_pages, source_doc, text_body
from release.store import Released, history

__all__ = ["SITE_DIR_NAME", "SiteError", "SiteResult", "build_site"]

SITE_DIR_NAME = "site"
ASSET_FILES = ("site.css", "site.js")


class SiteError(BudgetpubError):
    """A site that cannot be written (no store, an output folder that would overwrite the store)."""


@dataclass
class SiteResult:
    out: Path
    pages: int = 0
    missing_sources: list[str] = field(default_factory=list)  # source files not found: numbers not linked


def build_site(store: Path, out: Path | None = None, sources: list[Path] | None = None) -> SiteResult:
    """Write the site for every package of `store` into `out` (default STORE/site), replacing it whole."""
    released = history(store)
    if not released:
        raise SiteError(f"{store}: no released package (run `budgetpub release` first)")
    out = out if out is not None else store / SITE_DIR_NAME
    if out.resolve() == store.resolve() or out.resolve() in store.resolve().parents:
        raise SiteError(f"{out}: the site would overwrite the store {store}; choose another folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "assets" / "site.js").is_file():
        raise SiteError(f"{out}: a folder that is not a site; the site replaces its folder whole, so choose another")
    sources = sources if sources is not None else ([SAMPLES_DIR] if SAMPLES_DIR.is_dir() else [])
    files = index_files(sources)
    store_rel = Path(os.path.relpath(store.resolve(), out.resolve())).as_posix()
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        result = _write(staging, released, files, store_rel)
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.out = out
    return result


def _write(site: Path, released: dict[str, list[Released]], files: dict[str, Path], store_rel: str) -> SiteResult:
    result = SiteResult(site)
    (site / "assets").mkdir()
    for name in ASSET_FILES:
        shutil.copyfile(pages.ASSETS / name, site / "assets" / name)
    docs: dict[str, SourceDoc] = {}
    all_versions: dict[str, list[Version]] = {}
    for name in sorted(released):
        found = []
        for entry in released[name]:
            doc = source_doc(entry.descriptor)
            ok = doc is not None and available(doc, files)
            if doc is not None:
                if ok:
                    docs.setdefault(doc.key, doc)
                else:
                    for part in doc.parts:
                        if part.sha256 not in files and part.file not in result.missing_sources:
                            result.missing_sources.append(part.file)
            found.append(Version(entry, doc, ok))
        all_versions[name] = found
    latest_findings = {name: _findings(versions[-1]) for name, versions in all_versions.items()}

    def write(relative: str, text: str) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result.pages += 1

    write("index.html", _index_page(all_versions))
    for name, versions in all_versions.items():
        write(f"{name}/index.html", _department_page(name, versions, all_versions))
        for version in versions:
            findings = latest_findings[name] if version is versions[-1] else None
            write(
                f"{name}/{version.released.version}/index.html",
                _version_page(version, findings, Context("../../", store_rel)),
            )
    for key in sorted(docs):
        doc = docs[key]
        for relative, text in _source_pages(doc, files, site):
            write(relative, text)
    return result


# ---------------------------------------------------------------- index


def _region(meta: dict) -> str:
    region = meta.get("region") or {}
    return (
        f"{region.get('name', '')}（{region.get('code', '')}）" if region.get("code") else str(region.get("name", ""))
    )


def _department(meta: dict) -> str:
    return str((meta.get("department") or {}).get("name") or meta.get("title") or meta.get("name"))


def _index_page(all_versions: dict[str, list[Version]]) -> str:
    rows = []
    for name, versions in all_versions.items():
        meta = versions[-1].descriptor
        phase = str(meta.get("phase", ""))
        words = " ".join(
            [
                name,
                _department(meta),
                str(meta.get("title", "")),
                _region(meta),
                str(meta.get("fiscal_year", "")),
                plain(f"phase.{phase}") if f"phase.{phase}" in pages.labels() else phase,
            ]
        ).lower()
        latest = versions[-1].released.version
        rows.append(
            f'<tr data-search="{e(words)}" data-package="{e(name)}">'
            f'<td><a href="{e(name)}/index.html">{e(_department(meta))}</a></td>'
            f"<td>{e(_region(meta))}</td><td>{e(meta.get('fiscal_year', ''))}</td><td>{phase_label(phase)}</td>"
            f'<td><a href="{e(name)}/{e(latest)}/index.html">{e(latest)}</a></td></tr>'
        )
    headers = [
        (label("col.department"), False),
        (label("col.region"), False),
        (label("col.year"), False),
        (label("col.phase"), False),
        (label("col.version"), False),
    ]
    body = (
        f'<h1>{label("index.heading")}</h1><p class="meta">{label("index.intro")}</p>'
        f'<form role="search" onsubmit="return false"><label for="search">{label("index.search")}</label>'
        f'<input id="search" type="search" autocomplete="off" aria-describedby="search-status"></form>'
        f'<p id="search-status" role="status" aria-live="polite"><span id="count">{len(rows)}</span> '
        f"{label('index.count')}</p>"
        f'<p id="none" hidden>{label("index.none")}</p>' + table(label("site.home"), headers, rows, "packages")
    )
    return page(plain("site.title"), [("index.html", label("site.home"))], body, "")


# ---------------------------------------------------------------- a department (a package and its versions)


def _headline_table(caption: str, columns: list[tuple[str, Version, str]]) -> str:
    """Headline figures side by side: one column per (heading, version, link prefix)."""
    keys: list[str] = []
    for _, version, _ in columns:
        for key, _, _ in version.headlines:
            if key not in keys:
                keys.append(key)
    body = []
    for key in keys:
        cells = []
        before: str | None = None
        for number_, (_, version, root) in enumerate(columns):
            found = [(a, r) for k, a, r in version.headlines if k == key]
            value = found[0][0] if found else ""
            cell = number(value, version, found[0][1], Context(root, "")) if found else ""
            changed = number_ > 0 and value != before
            css = ' class="n changed" title="' + e(plain("changes.changed")) + '"' if changed else ' class="n"'
            cells.append(f"<td{css}>{cell}</td>")
            before = value
        body.append(f'<tr><th scope="row">{label(f"headline.{key}")}</th>{"".join(cells)}</tr>')
    headers = [(label("col.item"), False)] + [(heading, True) for heading, _, _ in columns]
    return table(caption, headers, body)


def _department_page(name: str, versions: list[Version], all_versions: dict[str, list[Version]]) -> str:
    meta = versions[-1].descriptor
    rows = []
    for version in reversed(versions):
        v = version.released.version
        rows.append(
            f'<tr><td><a href="{e(v)}/index.html">{e(v)}</a></td><td>{e(version.descriptor.get("released", ""))}</td>'
            f"<td>{e(version.descriptor.get('version_notes', ''))}</td></tr>"
        )
    body = [
        f"<h1>{e(meta.get('title', name))}</h1>",
        f'<p class="meta">{e(_region(meta))} · {e(meta.get("fiscal_year", ""))} · '
        f"{phase_label(str(meta.get('phase', '')))} · <code>{e(name)}</code></p>",
        f'<h2 id="versions">{label("section.history")}</h2>',
        table(
            label("section.history"),
            [(label("col.this_version"), False), (label("col.released"), False), (label("col.notes"), False)],
            rows,
        ),
        _headline_table(label("section.headline"), [(e(v.released.version), v, "../") for v in versions]),
        f'<h2 id="changes">{label("section.changes")}</h2>',
    ]
    for version in reversed(versions):
        diff = stored_diff(version.released)
        v = version.released.version
        if diff is None:
            lines = f"<p>{label('changes.first')}</p>"
        else:
            changes = summary_lines(diff)
            lines = (
                "<ul>" + "".join(f"<li>{e(line)}</li>" for line in changes) + "</ul>"
                if changes
                else f"<p>{label('changes.none')}</p>"
            )
        body.append(f'<h3 id="v{e(v)}"><a href="{e(v)}/index.html">{e(v)}</a></h3>{lines}')
    same = _same_department(name, all_versions)
    if len(same) > 1:
        body.append(f'<h2 id="years">{label("section.years")}</h2>')
        columns = []
        for other in same:
            other_meta = other.descriptor
            heading = (
                f'<a href="../{e(other.released.name)}/index.html">{e(other_meta.get("fiscal_year", ""))} '
                f"{phase_label(str(other_meta.get('phase', '')))}</a>"
            )
            columns.append((heading, other, "../"))
        body.append(_headline_table(label("section.years"), columns))
    crumbs = [("../index.html", label("site.home")), ("index.html", e(_department(meta)))]
    return page(str(meta.get("title", name)), crumbs, "".join(body), "../")


def _same_department(name: str, all_versions: dict[str, list[Version]]) -> list[Version]:
    """The latest version of every package of the same department and region, by year."""
    meta = all_versions[name][-1].descriptor
    key = ((meta.get("region") or {}).get("code"), _department(meta))
    found = [
        versions[-1]
        for versions in all_versions.values()
        if ((versions[-1].descriptor.get("region") or {}).get("code"), _department(versions[-1].descriptor)) == key
    ]
    return sorted(found, key=lambda v: (str(v.descriptor.get("fiscal_year")), str(v.descriptor.get("phase"))))


# ---------------------------------------------------------------- a version


FUNCTION_SCOPES = ("all_funds", "general_public_budget")


def _version_page(version: Version, findings: list | None, ctx: Context) -> str:
    meta = version.descriptor
    name = version.released.name
    v = version.released.version
    sections: list[tuple[str, str, str]] = []  # (id, heading HTML, body HTML)

    cards = []
    for key, value, row in version.headlines:
        cards.append(
            f'<li data-headline="{e(key)}">{label(f"headline.{key}")}'
            f'<span class="figure">{number(value, version, row, ctx, key)}</span>{label("unit.yuan")}</li>'
        )
    if cards:
        sections.append(("headline", label("section.headline"), f'<ul class="cards">{"".join(cards)}</ul>'))

    function_rows = version.rows("expenditure_by_function")
    parts = []
    for scope in FUNCTION_SCOPES:
        rows = [r for r in function_rows if r.get("scope") == scope]
        if not rows:
            continue
        spec = TreeSpec(
            f"fn-{scope}",
            "expenditure_by_function",
            "function_code",
            "function_name",
            ("total", "basic", "project"),
            ("basic", "project", "other"),
            label(f"section.function.{scope}"),
        )
        parts.append(f'<h3 id="fn-{e(scope)}-section">{spec.title}</h3>' + pages.tree_section(spec, rows, version, ctx))
    if parts:
        sections.append(("function", label("section.function"), "".join(parts)))

    economic = version.rows("basic_expenditure_by_economic")
    if economic:
        spec = TreeSpec(
            "econ",
            "basic_expenditure_by_economic",
            "economic_code",
            "economic_name",
            ("total", "personnel", "public"),
            ("personnel", "public", "other"),
            label("section.economic"),
        )
        sections.append(("economic", label("section.economic"), pages.tree_section(spec, economic, version, ctx)))

    three = version.rows("three_public_expenses")
    if three:
        bases = [b for b in ("budget", "actual") if any(r["basis"] == b for r in three)]
        items: list[str] = []
        for row in three:
            if row["item"] not in items:
                items.append(row["item"])
        by_key = {(r["basis"], r["item"]): r for r in three}
        groups: list[tuple[str, list[tuple[str, dict[str, str]] | None]]] = []
        for item in items:
            key = f"three_public.{item}"
            cells: list[tuple[str, dict[str, str]] | None] = []
            for basis in bases:
                row_ = by_key.get((basis, item))
                cells.append((row_["amount"], row_) if row_ is not None else None)
            groups.append((label(key) if key in pages.labels() else e(item), cells))
        series = [Series(b, plain(f"series.{b}")) for b in bases]
        headers = [(label("col.item"), False)] + [(label(f"series.{b}"), True) for b in bases]
        sections.append(
            (
                "three-public",
                label("section.three_public"),
                flat_section("three", label("section.three_public"), series, groups, version, ctx, headers),
            )
        )

    revenue = [r for r in version.rows("budget_summary") if r.get("side") == "revenue"]
    if revenue:
        english = summary_item_labels()
        revenue_groups: list[tuple[str, list[tuple[str, dict[str, str]] | None]]] = [
            (both(r["item_name"], english.get(("revenue", r["item"]), r["item"])), [(r["amount"], r)]) for r in revenue
        ]
        sections.append(
            (
                "revenue",
                label("section.revenue"),
                flat_section(
                    "revenue",
                    label("section.revenue"),
                    [Series("amount", plain("series.amount"))],
                    revenue_groups,
                    version,
                    ctx,
                    [(label("col.item"), False), (field_label("budget_summary", "amount"), True)],
                ),
            )
        )

    sections.append(("report", label("section.report"), _report_section(version, findings, ctx)))
    sections.append(("downloads", label("section.downloads"), _downloads(version, ctx)))

    toc = "".join(f'<li><a href="#{e(ident)}">{heading}</a></li>' for ident, heading, _ in sections)
    body = (
        f"<h1>{e(meta.get('title', name))}</h1>"
        f'<p class="meta">{e(_region(meta))} · {e(meta.get("fiscal_year", ""))} · '
        f"{phase_label(str(meta.get('phase', '')))} · {label('col.this_version')} {e(v)} · "
        f"{e(meta.get('released', ''))}</p>"
        f'<nav aria-label="{e(plain("nav.toc"))}"><ul class="toc">{toc}</ul></nav>'
        + "".join(
            f'<section id="{e(i)}" aria-labelledby="{e(i)}-h"><h2 id="{e(i)}-h">{h}</h2>{b}</section>'
            for i, h, b in sections
        )
    )
    crumbs = [
        ("../../index.html", label("site.home")),
        ("../index.html", e(_department(meta))),
        ("index.html", e(v)),
    ]
    return page(f"{meta.get('title', name)} {v}", crumbs, body, "../../")


def _findings(version: Version) -> list:
    from validate import validate_package

    return list(validate_package(version.released.path / "datapackage.json").findings)


SEVERITIES = ("error", "warning", "source", "info")


def _report_section(version: Version, findings: list | None, ctx: Context) -> str:
    """The conversion report and the validator's findings, by severity and then by kind."""
    out = [f"<h3>{label('report.conversion')}</h3>"]
    report = version.rows("conversion_report")
    out.append(_by_severity([(r["severity"], r["check"], r["message"], r) for r in report], version, ctx))
    out.append(f"<h3>{label('report.validate')}</h3>")
    if findings is None:
        out.append(f"<p>{label('report.validate_latest')}</p>")
    else:
        errors = [f for f in findings if f.severity == "error"]
        out.append(f"<p>{label('report.invalid' if errors else 'report.valid')}</p>")
        rows = [
            (
                f.severity,
                f.check,
                f.message,
                {"source_line": str(f.source_line or "")} if version.doc is None or version.doc.kind == "text" else {},
            )
            for f in findings
        ]
        out.append(_by_severity(rows, version, ctx))
    return "".join(out)


def _by_severity(items: list[tuple[str, str, str, dict[str, str]]], version: Version, ctx: Context) -> str:
    if not items:
        return f"<p>{label('report.none')}</p>"
    out = []
    for severity in SEVERITIES:
        found = [i for i in items if i[0] == severity]
        if not found:
            continue
        checks: list[str] = []
        for item in found:
            if item[1] not in checks:
                checks.append(item[1])
        parts = []
        for check in checks:
            listed = [i for i in found if i[1] == check]
            lines = []
            for _, _, message, row in listed:
                href, words = source_link(version, row, ctx)
                where = f' <a href="{e(href)}">{e(words)}</a>' if href else (f" ({e(words)})" if words else "")
                lines.append(f"<li>{e(message)}{where}</li>")
            meaning = pages.check_explanations().get(check)
            said = f"{both(*meaning)} " if meaning else ""
            parts.append(
                f"<details><summary>{said}<code>{e(check)}</code> ({len(listed)})</summary>"
                f'<ul class="findings">{"".join(lines)}</ul></details>'
            )
        open_ = " open" if severity in ("error", "warning") else ""
        out.append(
            f'<details class="severity {e(severity)}"{open_}>'
            f"<summary>{label(f'severity.{severity}')} ({len(found)})</summary>" + "".join(parts) + "</details>"
        )
    return "".join(out)


def _downloads(version: Version, ctx: Context) -> str:
    meta = version.descriptor
    base = f"{ctx.root}{ctx.store}/{version.released.name}/{version.released.version}"
    document = meta["json_document"]
    rows = [
        f'<tr><td><a href="{e(base)}/datapackage.json" download>datapackage.json</a></td>'
        f"<td>{label('download.datapackage')}</td><td></td></tr>",
        f'<tr><td><a href="{e(base)}/{e(document["path"])}" download>{e(document["path"])}</a></td>'
        f'<td>{label("download.json")}</td><td class="n">{e(grouped(str(document.get("bytes", ""))))}</td></tr>',
    ]
    for resource in meta.get("resources", []):
        rows.append(
            f'<tr><td><a href="{e(base)}/{e(resource["path"])}" download>{e(resource["path"])}</a></td>'
            f"<td>{e(resource.get('title', resource['name']))}</td>"
            f'<td class="n">{e(grouped(str(resource.get("bytes", ""))))}</td></tr>'
        )
    xbrl = meta.get("xbrl") or {}
    for entry, key in ((xbrl, "download.xbrl"), (xbrl.get("taxonomy") or {}, "download.taxonomy")):
        if entry.get("path"):  # packages of the standard 1.4 on are also XBRL reports
            rows.append(
                f'<tr><td><a href="{e(base)}/{e(entry["path"])}" download>{e(entry["path"])}</a></td>'
                f'<td>{label(key)}</td><td class="n">{e(grouped(str(entry.get("bytes", ""))))}</td></tr>'
            )
    rows.append(
        f'<tr><td><a href="{e(ctx.root)}{e(ctx.store)}/{e(version.released.name)}/CHANGELOG.md" download>'
        "CHANGELOG.md</a></td>"
        f"<td>{label('download.changelog')}</td><td></td></tr>"
    )
    source = ""
    doc = version.doc
    if doc is not None and version.doc_available:
        target = f"{doc.folder}/text.html" if doc.kind == "text" else f"{doc.folder}/page-1.html"
        files = ", ".join(p.file for p in doc.parts)
        source = f'<p>{label("section.source")}: <a href="{e(ctx.root)}{e(target)}">{e(files)}</a></p>'
    headers = [(label("col.file"), False), (label("col.notes"), False), (label("col.bytes"), True)]
    return source + table(label("section.downloads"), headers, rows)


# ---------------------------------------------------------------- sources


def copy_name(name: str, number: int) -> str:
    """The name a source PDF is copied under beside its pages: the name the package records when
    it is a plain file name, else part-N.pdf (a name with a folder or '..' in it, from a package
    someone edited, must not write outside the site)."""
    plain_name = Path(name).name
    if plain_name == name and plain_name not in ("", ".", "..") and "\\" not in name:
        return plain_name
    return f"part-{number}.pdf"


def _source_pages(doc: SourceDoc, files: dict[str, Path], site: Path) -> list[tuple[str, str]]:
    """(path, HTML) of a source's pages; page images and PDF copies are written straight to `site`."""
    folder = site / doc.folder
    folder.mkdir(parents=True, exist_ok=True)
    names = ", ".join(p.file for p in doc.parts)
    crumbs = [("../../index.html", label("site.home"))]
    if doc.kind == "text":
        body = f"<h1>{label('source.text')}: {e(names)}</h1>" + text_body_for(doc, files)
        return [(f"{doc.folder}/text.html", page(names, [*crumbs, ("text.html", e(names))], body, "../../"))]
    if doc.kind != "pdf":
        return []
    for index, part in enumerate(doc.parts, start=1):
        shutil.copyfile(files[part.sha256], folder / copy_name(part.file, index))
    images = pdf_pages(doc, files)
    out = []
    for image in images:
        (folder / f"page-{image.page}.png").write_bytes(image.png)
        nav = []
        if image.page > 1:
            nav.append(f'<a href="page-{image.page - 1}.html" rel="prev">{label("source.previous")}</a>')
        if image.page < len(images):
            nav.append(f'<a href="page-{image.page + 1}.html" rel="next">{label("source.next")}</a>')
        copy = copy_name(image.part.file, doc.parts.index(image.part) + 1)
        nav.append(f'<a href="{e(quote(copy))}#page={image.local_page}">{label("source.open_pdf")}</a>')
        body = (
            f'<h1>{label("source.pdf_page", n=image.page)}</h1><p class="meta">{e(names)}</p>'
            f'<p>{" · ".join(nav)}</p><p id="box-note" hidden>{label("source.box")}</p>'
            f'<div class="pdf-page" data-w="{image.width_points:.2f}" data-h="{image.height_points:.2f}">'
            f'<img src="page-{image.page}.png" width="{image.width_pixels}" height="{image.height_pixels}" '
            f'alt="{e(plain("source.pdf_page", n=image.page))}: {e(image.part.file)}">'
            f'<div class="box" hidden></div></div>'
        )
        out.append(
            (
                f"{doc.folder}/page-{image.page}.html",
                page(f"{names} {image.page}", [*crumbs, (f"page-{image.page}.html", e(names))], body, "../../"),
            )
        )
    return out


def text_body_for(doc: SourceDoc, files: dict[str, Path]) -> str:
    return text_body(doc, files[doc.parts[0].sha256])
