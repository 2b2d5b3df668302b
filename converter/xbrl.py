"""XBRL from the standard: a taxonomy generated from schema/concepts.csv and the Table Schemas, and
an xBRL-CSV metadata file over each package's own CSVs, so every package is also an XBRL report.

    python -m converter.xbrl        # rewrites schema/xbrl/ (a test checks it is current)

The taxonomy is a Taxonomy Package (schema/xbrl/: META-INF/ and taxonomy/): one monetary concept
per amount field (`bp:expenditure_by_function.total`), labels in Chinese and English with the
definition, typed dimensions for what locates a fact (the facts resource's dimension columns), one
extended link role per resource with its hypercube (definition linkbase) and the row identities
that validate checks (calculation linkbase: total = basic + project, basic = personnel + public
…, from concepts.csv's sum_of). Roll-ups across rows (项 → 款 → 类, units to 合计, the summary
tables' balances) sum facts of different dimension values, which a calculation linkbase cannot
express: validate checks them.

A package's report (xbrl.json beside datapackage.json) is xBRL-CSV metadata over its facts table:
each row's value is a fact of its xbrl_concept, the dimension columns give its typed dimensions
(a blank cell: no such dimension), decimals as printed; the entity is `<region>-<department>` in
ENTITY_SCHEME, the period the fiscal year, the unit iso4217:CNY.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from converter.codelists import SCHEMA_DIR
from converter.facts import DIMENSIONS
from converter.schema import RESOURCE_ORDER, SCHEMA_VERSION, amount_fields, table_schema

BASE = "https://budgetpub.example/xbrl"  # names only: resolved from the taxonomy package, never fetched
NAMESPACE = f"{BASE}/v{SCHEMA_VERSION.split('.')[0]}"  # stable within a major version: concepts only add up
ENTITY_SCHEME = f"{BASE}/entity"  # identifiers: <region code>-<department code>, as in the package name
TAXONOMY_URL = f"{BASE}/{SCHEMA_VERSION}/"
ENTRY_POINT = TAXONOMY_URL + "budgetpub.xsd"
TAXONOMY_DIR = SCHEMA_DIR / "xbrl"
PACKAGE_ROOT = f"budgetpub-taxonomy-{SCHEMA_VERSION}"
REPORT_PATH = "xbrl.json"
TAXONOMY_PACKAGE = PACKAGE_ROOT + ".zip"  # in every package beside xbrl.json
PREFIX = "bp"

XS = "http://www.w3.org/2001/XMLSchema"
XBRLI = "http://www.xbrl.org/2003/instance"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
XBRLDT = "http://xbrl.org/2005/xbrldt"
ISO4217 = "http://www.xbrl.org/2003/iso4217"
ROLE_LABEL = "http://www.xbrl.org/2003/role/label"
ROLE_DOCUMENTATION = "http://www.xbrl.org/2003/role/documentation"
ROLE_COMMENTARY = "http://www.xbrl.org/2003/role/commentaryGuidance"
ARCROLES = {
    "all": "http://xbrl.org/int/dim/arcrole/all",
    "hypercube-dimension": "http://xbrl.org/int/dim/arcrole/hypercube-dimension",
    "domain-member": "http://xbrl.org/int/dim/arcrole/domain-member",
}
SUMMATION = "http://www.xbrl.org/2003/arcrole/summation-item"


@cache
def concepts() -> tuple[dict[str, str], ...]:
    """schema/concepts.csv, in its order."""
    text = (SCHEMA_DIR / "concepts.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def reported_resources() -> tuple[str, ...]:
    """The resources with amounts: each is one xBRL-CSV table."""
    return tuple(name for name in RESOURCE_ORDER if amount_fields(name))


def resource_dimensions(resource: str) -> list[tuple[str, str]]:
    """(dimension, field) pairs that locate this resource's facts: the facts resource's dimension
    columns this resource has a field for."""
    present = {f["name"] for f in table_schema(resource)["fields"]}
    return [(dimension, field) for dimension, field in DIMENSIONS if field in present]


def _required(resource: str, field: str) -> bool:
    spec = next(f for f in table_schema(resource)["fields"] if f["name"] == field)
    return bool(spec.get("constraints", {}).get("required"))


def hypercube_dimensions(resource: str) -> list[str]:
    """The dimensions every fact of the resource has (its field is required): the resource's
    hypercube. The others (a project's code, a purchase's economic code) are there when printed;
    the hypercube is open to them, since a typed dimension has no default for a blank."""
    return [dimension for dimension, field in resource_dimensions(resource) if _required(resource, field)]


def _dimension_fields() -> dict[str, list[tuple[str, dict]]]:
    """Each dimension with the (resource, field spec) pairs it is read from."""
    out: dict[str, list[tuple[str, dict]]] = {dimension: [] for dimension, _ in DIMENSIONS}
    for resource in reported_resources():
        specs = {f["name"]: f for f in table_schema(resource)["fields"]}
        for dimension, field in resource_dimensions(resource):
            out[dimension].append((resource, specs[field]))
    return {dimension: uses for dimension, uses in out.items() if uses}


def _domain_type(uses: list[tuple[str, dict]]) -> str:
    """The XML Schema type of a typed dimension's values: the Table Schemas' enumeration (their
    union) or pattern where every field that feeds it has one, else a string."""
    if all(spec["type"] == "integer" for _, spec in uses):
        return '<xs:restriction base="xs:positiveInteger"/>'
    constraints = [spec.get("constraints", {}) for _, spec in uses]
    if all("enum" in c for c in constraints):
        values = sorted({str(v) for c in constraints for v in c["enum"]})
        facets = "".join(f"<xs:enumeration value={quoteattr(v)}/>" for v in values)
        return f'<xs:restriction base="xs:string">{facets}</xs:restriction>'
    patterns = {c.get("pattern") for c in constraints}
    if len(patterns) == 1 and None not in patterns:
        pattern = str(next(iter(patterns))).removeprefix("^").removesuffix("$")  # XML Schema patterns are anchored
        return f'<xs:restriction base="xs:string"><xs:pattern value={quoteattr(pattern)}/></xs:restriction>'
    return '<xs:restriction base="xs:string"/>'


def _facts_field(name: str) -> dict:
    return next(f for f in table_schema("facts")["fields"] if f["name"] == name)


def sum_of(concept: dict[str, str]) -> list[str]:
    """The fields of the same row this concept's amount is the sum of (concepts.csv's sum_of)."""
    return concept.get("sum_of", "").split()


# ---------------------------------------------------------------------------------------------
# The taxonomy's files


def _xml(body: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _role(resource: str) -> str:
    return f"{NAMESPACE}/role/{resource}"


def schema_xsd() -> str:
    lines = [
        f'<xs:schema xmlns:xs="{XS}" xmlns:xbrli="{XBRLI}" xmlns:link="{LINK}" xmlns:xlink="{XLINK}"',
        f'  xmlns:xbrldt="{XBRLDT}" xmlns:{PREFIX}="{NAMESPACE}" targetNamespace="{NAMESPACE}"',
        '  elementFormDefault="qualified" attributeFormDefault="unqualified">',
        "  <xs:annotation>",
        "    <xs:appinfo>",
    ]
    for kind, href in (("label", "budgetpub-lab.xml"), ("calculation", "budgetpub-cal.xml")):
        lines.append(
            f'      <link:linkbaseRef xlink:type="simple" xlink:href="{href}" '
            f'xlink:role="http://www.xbrl.org/2003/role/{kind}LinkbaseRef" '
            'xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase"/>'
        )
    lines.append(
        '      <link:linkbaseRef xlink:type="simple" xlink:href="budgetpub-def.xml" '
        'xlink:role="http://www.xbrl.org/2003/role/definitionLinkbaseRef" '
        'xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase"/>'
    )
    for resource in reported_resources():
        title = escape(str(table_schema(resource).get("title", resource)))
        lines += [
            f'      <link:roleType roleURI="{_role(resource)}" id="role_{resource}">',
            f"        <link:definition>{title}</link:definition>",
            "        <link:usedOn>link:calculationLink</link:usedOn>",
            "        <link:usedOn>link:definitionLink</link:usedOn>",
            "      </link:roleType>",
        ]
    lines += [
        "    </xs:appinfo>",
        "  </xs:annotation>",
        f'  <xs:import namespace="{XBRLI}" schemaLocation="http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"/>',
        f'  <xs:import namespace="{XBRLDT}" schemaLocation="http://www.xbrl.org/2005/xbrldt-2005.xsd"/>',
        "  <!-- amounts: one concept per amount field of a resource (schema/concepts.csv) -->",
    ]
    for concept in concepts():
        lines.append(
            f'  <xs:element name="{concept["concept"]}" id="{PREFIX}_{concept["concept"]}" '
            'type="xbrli:monetaryItemType" substitutionGroup="xbrli:item" xbrli:periodType="duration" nillable="true"/>'
        )
    lines.append("  <!-- per resource: the line items (an abstract primary item) and its hypercube -->")
    for resource in reported_resources():
        for name, group in ((resource, "xbrli:item"), (f"{resource}.table", "xbrldt:hypercubeItem")):
            lines.append(
                f'  <xs:element name="{name}" id="{PREFIX}_{name}" type="xbrli:stringItemType" '
                f'substitutionGroup="{group}" abstract="true" xbrli:periodType="duration" nillable="true"/>'
            )
    lines.append("  <!-- typed dimensions: the facts resource's dimension columns -->")
    for dimension, uses in _dimension_fields().items():
        lines += [
            f'  <xs:element name="{dimension}" id="{PREFIX}_{dimension}" type="xbrli:stringItemType" '
            f'substitutionGroup="xbrldt:dimensionItem" abstract="true" xbrli:periodType="duration" '
            f'nillable="true" xbrldt:typedDomainRef="#{PREFIX}_{dimension}.value"/>',
            f'  <xs:element name="{dimension}.value" id="{PREFIX}_{dimension}.value">',
            f"    <xs:simpleType>{_domain_type(uses)}</xs:simpleType>",
            "  </xs:element>",
        ]
    lines.append("</xs:schema>")
    return _xml("\n".join(lines) + "\n")


def _linkbase(kind: str, links: list[str], arcroles: tuple[str, ...] = ()) -> str:
    head = [
        f'<link:linkbase xmlns:link="{LINK}" xmlns:xlink="{XLINK}" xmlns:xbrldt="{XBRLDT}"',
        '  xmlns:xml="http://www.w3.org/XML/1998/namespace">',
    ]
    if kind != "label":
        head += [
            f'  <link:roleRef roleURI="{_role(r)}" xlink:type="simple" xlink:href="budgetpub.xsd#role_{r}"/>'
            for r in reported_resources()
        ]
    head += [
        f'  <link:arcroleRef arcroleURI="{ARCROLES[a]}" xlink:type="simple" '
        f'xlink:href="http://www.xbrl.org/2005/xbrldt-2005.xsd#{a}"/>'
        for a in arcroles
    ]
    return _xml("\n".join([*head, *links, "</link:linkbase>"]) + "\n")


def _loc(name: str) -> str:
    return f'    <link:loc xlink:type="locator" xlink:href="budgetpub.xsd#{PREFIX}_{name}" xlink:label="loc_{name}"/>'


def _labels(name: str, texts: list[tuple[str, str, str]]) -> list[str]:
    out = [_loc(name)]
    for role, lang, text in texts:
        if text:
            out.append(
                f'    <link:label xlink:type="resource" xlink:label="lab_{name}" xlink:role="{role}" '
                f'xml:lang="{lang}">{escape(text)}</link:label>'
            )
    out.append(
        '    <link:labelArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/concept-label" '
        f'xlink:from="loc_{name}" xlink:to="lab_{name}"/>'
    )
    return out


def split_title(title: str) -> tuple[str, str]:
    """A Table Schema's title, '部门收支总表 Budget summary', as its Chinese and English names."""
    match = re.match(r"^(\S*[^\x00-\x7f]\S*) ([A-Za-z].*)$", title)
    return (match.group(1), match.group(2)) if match else ("", title)


def label_linkbase() -> str:
    links = ['  <link:labelLink xlink:type="extended" xlink:role="http://www.xbrl.org/2003/role/link">']
    for concept in concepts():
        links += _labels(
            concept["concept"],
            [
                (ROLE_LABEL, "zh", concept["label_zh"]),
                (ROLE_LABEL, "en", concept["label_en"]),
                (ROLE_DOCUMENTATION, "en", concept["definition"]),
                (ROLE_COMMENTARY, "en", concept["balance"]),
            ],
        )
    for resource in reported_resources():
        schema = table_schema(resource)
        zh, en = split_title(str(schema.get("title", resource)))
        description = str(schema.get("description", ""))
        links += _labels(
            resource, [(ROLE_LABEL, "zh", zh), (ROLE_LABEL, "en", en), (ROLE_DOCUMENTATION, "en", description)]
        )
        links += _labels(
            f"{resource}.table", [(ROLE_LABEL, "zh", zh and f"{zh}：维度"), (ROLE_LABEL, "en", f"{en}: dimensions")]
        )
    for dimension, uses in _dimension_fields().items():
        spec = _facts_field(dimension)
        # the Chinese name the resources' fields give it (单位代码 …), where one does
        zh = next((name for name in (split_title(str(u.get("title", "")))[0] for _, u in uses) if name), "")
        links += _labels(
            dimension,
            [
                (ROLE_LABEL, "zh", zh),
                (ROLE_LABEL, "en", str(spec.get("title", dimension))),
                (ROLE_DOCUMENTATION, "en", spec["description"]),
            ],
        )
    links.append("  </link:labelLink>")
    return _linkbase("label", links)


def calculation_linkbase() -> str:
    links: list[str] = []
    by_resource: dict[str, list[dict[str, str]]] = {}
    for concept in concepts():
        if sum_of(concept):
            by_resource.setdefault(concept["resource"], []).append(concept)
    for resource in reported_resources():
        if resource not in by_resource:
            continue
        links.append(f'  <link:calculationLink xlink:type="extended" xlink:role="{_role(resource)}">')
        located: set[str] = set()
        for concept in by_resource[resource]:
            names = [concept["concept"], *(f"{resource}.{part}" for part in sum_of(concept))]
            links += [_loc(n) for n in names if n not in located]
            located.update(names)
            links += [
                f'    <link:calculationArc xlink:type="arc" xlink:arcrole="{SUMMATION}" '
                f'xlink:from="loc_{concept["concept"]}" xlink:to="loc_{part}" order="{order}" weight="1"/>'
                for order, part in enumerate(names[1:], start=1)
            ]
        links.append("  </link:calculationLink>")
    return _linkbase("calculation", links)


def definition_linkbase() -> str:
    links: list[str] = []
    for resource in reported_resources():
        table = f"{resource}.table"
        dimensions = hypercube_dimensions(resource)
        members = [f"{resource}.{field}" for field in amount_fields(resource)]
        links.append(f'  <link:definitionLink xlink:type="extended" xlink:role="{_role(resource)}">')
        links += [_loc(n) for n in (resource, table, *dimensions, *members)]
        links.append(
            f'    <link:definitionArc xlink:type="arc" xlink:arcrole="{ARCROLES["all"]}" xlink:from="loc_{resource}" '
            f'xlink:to="loc_{table}" xbrldt:contextElement="segment" xbrldt:closed="false" order="1"/>'
        )
        links += [
            f'    <link:definitionArc xlink:type="arc" xlink:arcrole="{ARCROLES["hypercube-dimension"]}" '
            f'xlink:from="loc_{table}" xlink:to="loc_{d}" order="{n}"/>'
            for n, d in enumerate(dimensions, start=1)
        ]
        links += [
            f'    <link:definitionArc xlink:type="arc" xlink:arcrole="{ARCROLES["domain-member"]}" '
            f'xlink:from="loc_{resource}" xlink:to="loc_{m}" order="{n}"/>'
            for n, m in enumerate(members, start=1)
        ]
        links.append("  </link:definitionLink>")
    return _linkbase("definition", links, ("all", "hypercube-dimension", "domain-member"))


def taxonomy_package_xml() -> str:
    return _xml(
        f"""<tp:taxonomyPackage xmlns:tp="http://xbrl.org/2016/taxonomy-package" xml:lang="en">
  <tp:identifier>{TAXONOMY_URL}</tp:identifier>
  <tp:name>budgetpub: Chinese government budget disclosures (部门预算/部门决算)</tp:name>
  <tp:description>Generated from budgetpub's standard {SCHEMA_VERSION} (schema/concepts.csv and the Table
    Schemas) by python -m converter.xbrl</tp:description>
  <tp:version>{SCHEMA_VERSION}</tp:version>
  <tp:publisher>budgetpub</tp:publisher>
  <tp:entryPoints>
    <tp:entryPoint>
      <tp:name>budgetpub {SCHEMA_VERSION}</tp:name>
      <tp:entryPointDocument href="{ENTRY_POINT}"/>
    </tp:entryPoint>
  </tp:entryPoints>
</tp:taxonomyPackage>
"""
    )


def catalog_xml() -> str:
    return _xml(
        f"""<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <rewriteURI uriStartString="{TAXONOMY_URL}" rewritePrefix="../taxonomy/"/>
</catalog>
"""
    )


def taxonomy_files() -> dict[str, str]:
    """The taxonomy package's files, by path under schema/xbrl/."""
    return {
        "META-INF/taxonomyPackage.xml": taxonomy_package_xml(),
        "META-INF/catalog.xml": catalog_xml(),
        "taxonomy/budgetpub.xsd": schema_xsd(),
        "taxonomy/budgetpub-lab.xml": label_linkbase(),
        "taxonomy/budgetpub-cal.xml": calculation_linkbase(),
        "taxonomy/budgetpub-def.xml": definition_linkbase(),
    }


def write_taxonomy(folder: Path = TAXONOMY_DIR) -> None:
    for relative, text in taxonomy_files().items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def taxonomy_zip_bytes() -> bytes:
    """The taxonomy package as a zip (one top folder holding META-INF/), byte for byte the same
    for the same standard: fixed timestamps and order. This is what Arelle's --packages takes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, text in sorted(taxonomy_files().items()):
            info = zipfile.ZipInfo(f"{PACKAGE_ROOT}/{relative}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # as written on Unix, whatever the platform (it is in the bytes)
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# A package's xBRL-CSV report


def entity_identifier(region: str, department: str) -> str:
    """`<region code>-<department code>`: department codes are only unique within a region."""
    return f"{region}-{department}"


def report_metadata(region: str, department: str, fiscal_year: int | None) -> dict:
    """The xBRL-CSV metadata over the package's facts table (data/facts.csv): one row, one fact.

    The wide resource CSVs cannot be the report's tables: a row printed with blank amounts
    (a summary line with no figure, a form's text line) gives no fact, and xBRL-CSV refuses a
    row whose dimension cells no fact uses (xbrlce:unmappedCellValue)."""
    columns: dict[str, dict] = {}
    parameters = {"xbrl_concept", "decimals", *(dimension for dimension, _ in DIMENSIONS)}
    for spec in table_schema("facts")["fields"]:
        name = spec["name"]
        if name == "value":
            columns[name] = {"dimensions": {"concept": "$xbrl_concept"}}
        elif name in parameters:
            columns[name] = {}  # read by the fact's dimensions (blank: the fact has no such dimension)
        else:
            columns[name] = {"comment": True}  # the concept's plain name, labels and provenance
    if fiscal_year is None:
        raise ValueError("an XBRL report needs the disclosure's fiscal year (its period)")
    year = fiscal_year
    return {
        "documentInfo": {
            "documentType": "https://xbrl.org/2021/xbrl-csv",
            "namespaces": {PREFIX: NAMESPACE, "bpe": ENTITY_SCHEME, "iso4217": ISO4217, "xbrli": XBRLI},
            "taxonomy": [ENTRY_POINT],
        },
        "tableTemplates": {
            "facts": {
                "columns": columns,
                "dimensions": {f"{PREFIX}:{dimension}": f"${dimension}" for dimension, _ in DIMENSIONS},
                "decimals": "$decimals",
            }
        },
        "tables": {"facts": {"url": "data/facts.csv", "template": "facts"}},
        "dimensions": {
            "entity": f"bpe:{entity_identifier(region, department)}",
            "period": f"{year:04d}-01-01T00:00:00/{year + 1:04d}-01-01T00:00:00",
            "unit": "iso4217:CNY",
        },
    }


if __name__ == "__main__":
    write_taxonomy()
