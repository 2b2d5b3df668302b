"""The HTML of the site's pages, from a version's resources as released.

Every amount is printed exactly as the CSV holds it (grouped by thousands, never rounded) and is
a link to where the source prints it. Chinese labels come first, English after, from
schema/concepts.csv and the site's labels.csv.
"""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from pathlib import Path
from string import Template

from converter.locations import CODELIST_DIR, SCHEMA_DIR
from release.site.charts import Bar, Series, bar_chart
from release.site.sources import SourceDoc, line_href, page_href
from release.store import Released

ASSETS = Path(__file__).resolve().parent / "assets"


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


@cache
def labels() -> dict[str, tuple[str, str]]:
    """UI words in Chinese and English (assets/labels.csv)."""
    with (ASSETS / "labels.csv").open(encoding="utf-8", newline="") as handle:
        return {row["key"]: (row["zh"], row["en"]) for row in csv.DictReader(handle)}


@cache
def concept_labels() -> dict[tuple[str, str], tuple[str, str]]:
    """(resource, field) → (label_zh, label_en) from the concept taxonomy."""
    with (SCHEMA_DIR / "concepts.csv").open(encoding="utf-8", newline="") as handle:
        return {(row["resource"], row["field"]): (row["label_zh"], row["label_en"]) for row in csv.DictReader(handle)}


@cache
def summary_item_labels() -> dict[tuple[str, str], str]:
    """(side, item) → English label of a budget_summary item (the code list's first entry)."""
    with (CODELIST_DIR / "budget_summary_items.csv").open(encoding="utf-8", newline="") as handle:
        found: dict[tuple[str, str], str] = {}
        for row in csv.DictReader(handle):
            found.setdefault((row["side"], row["item"]), row["label_en"])
        return found


@cache
def check_explanations() -> dict[str, tuple[str, str]]:
    """What a finding's check means, in plain words (assets/checks.csv)."""
    with (ASSETS / "checks.csv").open(encoding="utf-8", newline="") as handle:
        return {row["check"]: (row["zh"], row["en"]) for row in csv.DictReader(handle)}


def both(zh: str, en: str) -> str:
    """Chinese first, English after, as HTML."""
    return f'{e(zh)} <span class="en" lang="en">{e(en)}</span>'


def label(key: str, **values: object) -> str:
    zh, en = labels()[key]
    return both(zh.format(**values), en.format(**values))


def plain(key: str, **values: object) -> str:
    zh, en = labels()[key]
    return f"{zh.format(**values)} {en.format(**values)}"


def field_label(resource: str, name: str) -> str:
    zh, en = concept_labels().get((resource, name), (name, name))
    return both(zh, en)


def amount(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        return None


def grouped(text: str) -> str:
    """A figure as printed in the CSV, grouped by thousands (the digits are never changed)."""
    value = amount(text)
    return text if value is None else f"{value:,}"


def phase_label(phase: str) -> str:
    return label(f"phase.{phase}") if f"phase.{phase}" in labels() else e(phase)


@dataclass
class Version:
    """One released version as the site reads it."""

    released: Released
    doc: SourceDoc | None
    doc_available: bool
    _rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def descriptor(self) -> dict:
        return self.released.descriptor

    def rows(self, resource: str) -> list[dict[str, str]]:
        if resource not in self._rows:
            found: list[dict[str, str]] = []
            for entry in self.descriptor.get("resources", []):
                if entry["name"] == resource:
                    with (self.released.path / entry["path"]).open(encoding="utf-8", newline="") as handle:
                        found = list(csv.DictReader(handle))
            self._rows[resource] = found
        return self._rows[resource]

    @cached_property
    def headlines(self) -> list[tuple[str, str, dict[str, str]]]:
        """(label key, amount, row) of the figures a reader looks for first."""
        found: list[tuple[str, str, dict[str, str]]] = []
        summary = {(r["side"], r["item"]): r for r in self.rows("budget_summary")}
        for key, item in (("revenue_total", "grand_total"), ("revenue_current", "current_year_total")):
            row = summary.get(("revenue", item))
            if row is not None and row.get("amount"):
                found.append((key, row["amount"], row))
                break
        by_scope = {(r["scope"], r["function_code"]): r for r in self.rows("expenditure_by_function")}
        total = by_scope.get(("all_funds", "TOTAL")) or by_scope.get(("general_public_budget", "TOTAL"))
        if total is not None:
            for key, name in (("expenditure_total", "total"), ("basic", "basic"), ("project", "project")):
                if total.get(name):
                    found.append((key, total[name], total))
        for row in self.rows("three_public_expenses"):
            if row["item"] == "total" and row.get("amount"):
                found.append((f"three_public_{row['basis']}", row["amount"], row))
        return found


@dataclass(frozen=True)
class Context:
    """What a page needs to write links: the way back to the site's root and to the store."""

    root: str  # "" at the site's root, "../../" two folders down
    store: str  # the store, relative to the site's root


def source_link(version: Version, row: dict[str, str], ctx: Context) -> tuple[str, str]:
    """(href or "", words) for a row's source: its line of the text or its page (and box) of the PDF."""
    line = row.get("source_line") or ""
    page = row.get("source_page") or ""
    words = plain("source.page", n=page) if page else plain("source.line", n=line) if line else ""
    doc = version.doc
    if doc is None or not version.doc_available or not words:
        return "", words + (f" ({plain('source.missing')})" if words else "")
    if doc.kind == "pdf" and page:
        return ctx.root + page_href(doc, int(page), row.get("source_bbox") or ""), words
    if doc.kind == "text" and line:
        return ctx.root + line_href(doc, int(line)), words
    return "", words


def number(text: str, version: Version, row: dict[str, str], ctx: Context, name: str = "") -> str:
    """A figure, linked to its source."""
    if not text:
        return ""
    href, words = source_link(version, row, ctx)
    data = f' data-field="{e(name)}"' if name else ""
    if href:
        return f'<a class="num" href="{e(href)}" title="{e(words)}"{data}>{e(grouped(text))}</a>'
    return f'<span class="num" title="{e(words)}"{data}>{e(grouped(text))}</span>'


def table(caption: str, headers: list[tuple[str, bool]], body: list[str], table_id: str = "") -> str:
    """A table in a scrolling box; headers are (HTML, numeric)."""
    heads = "".join(f'<th scope="col"{" class=n" if numeric else ""}>{h}</th>' for h, numeric in headers)
    ident = f' id="{e(table_id)}"' if table_id else ""
    return (
        f'<div class="scroll" role="region" aria-label="{e(strip_tags(caption))}" tabindex="0"><table{ident}>'
        f"<caption>{caption}</caption><thead><tr>{heads}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def strip_tags(text: str) -> str:
    out, inside = [], False
    for char in text:
        if char == "<":
            inside = True
        elif char == ">":
            inside = False
        elif not inside:
            out.append(char)
    return html.unescape("".join(out))


def page(title: str, crumbs: list[tuple[str, str]], body: str, root: str) -> str:
    """A whole page from the shell in assets/page.html; crumbs are (href, HTML), the last one the page."""
    items = []
    for number_, (href, text) in enumerate(crumbs):
        if number_ == len(crumbs) - 1:
            items.append(f'<li aria-current="page">{text}</li>')
        else:
            items.append(f'<li><a href="{e(href)}">{text}</a></li>')
    shell = Template((ASSETS / "page.html").read_text(encoding="utf-8"))
    return shell.substitute(
        title=e(title),
        root=root,
        skip=label("site.skip"),
        crumbs="".join(items),
        body=body,
        footer=label("site.footer"),
    )


# ---------------------------------------------------------------- drillable trees (类 → 款 → 项)


@dataclass(frozen=True)
class TreeSpec:
    """How to draw one classified resource as a drillable chart."""

    section: str  # id prefix
    resource: str
    code_field: str
    name_field: str
    columns: tuple[str, ...]  # amount fields in the table
    series: tuple[str, ...]  # amount fields stacked in a bar ("other" = total less the rest)
    title: str  # HTML


def children_by_parent(rows: list[dict[str, str]], code_field: str) -> dict[str, list[dict[str, str]]]:
    """Each row under its nearest printed ancestor (the longest code its code begins with), the
    rows with none under TOTAL: a table that prints no 类 lines (Beijing's basic table: 款 and
    local sub-items) or skips a 款 still shows every row. A code printed twice is one node."""
    codes = {r[code_field] for r in rows} - {"TOTAL"}
    children: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        code = row[code_field]
        if code == "TOTAL":
            continue
        parent = next((code[:n] for n in range(len(code) - 1, 0, -1) if code[:n] in codes), "TOTAL")
        children.setdefault(parent, []).append(row)
    return children


def _bar_values(row: dict[str, str], series: tuple[str, ...]) -> tuple[Decimal | None, ...]:
    values: list[Decimal | None] = []
    for name in series:
        if name == "other":
            total = amount(row.get("total", "")) or Decimal(0)
            rest = sum((amount(row.get(s, "")) or Decimal(0) for s in series if s != "other"), Decimal(0))
            values.append(total - rest if total > rest else None)
        else:
            values.append(amount(row.get(name, "")))
    return tuple(values)


def tree_section(spec: TreeSpec, rows: list[dict[str, str]], version: Version, ctx: Context) -> str:
    """Panels, one per node with children, each a chart of its children and their table; the
    first (all) shows, a bar or a code opens the next level (site.js), all show without script."""
    rows = [r for r in rows if r.get(spec.code_field) and r.get("level", "").isdigit()]
    if not rows:
        return ""
    roots = [r for r in rows if r[spec.code_field] == "TOTAL"]
    root = roots[0] if roots else None
    panels: list[str] = []
    series = [Series(s, plain(f"series.{s}")) for s in spec.series]

    def panel_id(row: dict[str, str] | None) -> str:
        return f"{spec.section}-{row[spec.code_field] if row is not None else 'TOTAL'}"

    tree = children_by_parent(rows, spec.code_field)
    visited: set[str] = set()

    def kids(row: dict[str, str] | None) -> list[dict[str, str]]:
        return tree.get(row[spec.code_field] if row is not None else "TOTAL", [])

    def visit(node: dict[str, str] | None, trail: list[dict[str, str] | None]) -> None:
        children = kids(node)
        ident = panel_id(node)
        if not children or ident in visited:
            return
        visited.add(ident)
        name = (
            f"{node[spec.code_field]} {node[spec.name_field]}"
            if node is not None and node[spec.code_field] != "TOTAL"
            else plain("drill.top")
        )
        has_children = {panel_id(c): bool(kids(c)) for c in children}
        bars = []
        for child in children:
            child_name = f"{child[spec.code_field]} {child[spec.name_field]}"
            target = panel_id(child)
            values = _bar_values(child, spec.series)
            shown = ", ".join(f"{s.label} {grouped(str(v))}" for s, v in zip(series, values, strict=True) if v)
            bars.append(
                Bar(
                    f"{child_name}  {grouped(child.get('total', ''))}",
                    values,
                    f"#{target}" if has_children[target] else "",
                    f"{child_name}: {shown}. {plain('drill.down')}",
                )
            )
        chart = bar_chart(
            f"{ident}-chart",
            f"{strip_tags(spec.title)}: {name}",
            "; ".join(b.aria.split(". ")[0] for b in bars),
            series,
            bars,
            stacked=True,
        )
        crumbs = []
        for step in trail:
            step_name = (
                plain("drill.top") if step is None or step[spec.code_field] == "TOTAL" else step[spec.code_field]
            )
            crumbs.append(f'<a href="#{e(panel_id(step))}">{e(step_name)}</a>')
        up = f'<p class="crumbs-drill">{" › ".join(crumbs)} › {e(name)}</p>' if crumbs else ""
        headers = [(label("col.code"), False), (label("col.name"), False)] + [
            (field_label(spec.resource, c), True) for c in spec.columns
        ]
        body = []
        listed = ([node] if node is not None else []) + children
        for row in listed:
            code = row[spec.code_field]
            target = panel_id(row)
            code_cell = (
                f'<a href="#{e(target)}" aria-label="{e(code)} {e(plain("drill.down"))}">{e(code)}</a>'
                if row is not node and has_children.get(target)
                else e(code)
            )
            cells = "".join(f'<td class="n">{number(row.get(c, ""), version, row, ctx, c)}</td>' for c in spec.columns)
            css = ' class="parent"' if row is node else ""
            body.append(
                f'<tr{css} data-code="{e(code)}"><td>{code_cell}</td><td>{e(row[spec.name_field])}</td>{cells}</tr>'
            )
        panels.append(
            f'<section class="panel" id="{e(ident)}" aria-labelledby="{e(ident)}-h">'
            f'<h4 class="panel-heading" id="{e(ident)}-h" tabindex="-1">{e(name)}</h4>{up}{chart}'
            + table(f"{e(name)} · {label('table.show')}", headers, body)
            + "</section>"
        )
        for child in children:
            visit(child, [*trail, node])

    visit(root, [])
    return f'<p class="hint">{label("drill.hint")}</p><div class="drill" id="{e(spec.section)}">{"".join(panels)}</div>'


# ---------------------------------------------------------------- flat charts (三公, revenue)


def flat_section(
    ident: str,
    title: str,
    series: list[Series],
    groups: list[tuple[str, list[tuple[str, dict[str, str]] | None]]],
    version: Version,
    ctx: Context,
    headers: list[tuple[str, bool]],
) -> str:
    """A bar chart of items (one value per series each) and its table; groups are (label, per
    series (amount, row) or None)."""
    bars = []
    body = []
    for name, cells in groups:
        values = tuple(amount(c[0]) if c else None for c in cells)
        short = strip_tags(name.split('<span class="en"')[0]).strip()  # Chinese only: a phone's width
        href, words = "", ""
        if len(cells) == 1 and cells[0] and cells[0][0]:  # a bar with its figure links to its source
            short += f"  {grouped(cells[0][0])}"
            href, words = source_link(version, cells[0][1], ctx)
        bars.append(Bar(short, values, href, f"{short}. {words}"))
        tds = "".join(f'<td class="n">{number(c[0], version, c[1], ctx) if c else ""}</td>' for c in cells)
        body.append(f"<tr><td>{name}</td>{tds}</tr>")
    description = "; ".join(
        f"{strip_tags(name)}: "
        + ", ".join(f"{s.label} {grouped(c[0]) if c and c[0] else '-'}" for s, c in zip(series, cells, strict=True))
        for name, cells in groups
    )
    chart = bar_chart(f"{ident}-chart", strip_tags(title), description, series, bars, stacked=len(series) == 1)
    return chart + table(f"{title} · {label('table.show')}", headers, body)
