"""XBRL: the taxonomy generated from the standard, each package's xBRL-CSV report, and Arelle.

The tests marked `arelle` run the Arelle XBRL processor (PyPI arelle-release, the `xbrl` extra)
offline on every sample package: loaded with its own taxonomy package, validated with
Calculations 1.1 (round to nearest) and duplicate-fact checks, it must report nothing but the
sums that the conversion report records as the source's own."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from converter import find_disclosures
from converter.facts import DIMENSIONS
from converter.package import build_resources
from converter.schema import amount_fields, field_names
from converter.xbrl import (
    ENTRY_POINT,
    REPORT_PATH,
    TAXONOMY_DIR,
    TAXONOMY_PACKAGE,
    concepts,
    hypercube_dimensions,
    report_metadata,
    sum_of,
    taxonomy_files,
)
from tests.conftest import SAMPLES, wan
from tests.test_validate import PACKAGES

XBRL_LABEL = "{http://www.xbrl.org/2003/linkbase}label"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_committed_taxonomy_is_current():
    """schema/xbrl/ is what `python -m converter.xbrl` generates from the standard, file for file."""
    committed = {p.relative_to(TAXONOMY_DIR).as_posix() for p in TAXONOMY_DIR.rglob("*") if p.is_file()}
    generated = taxonomy_files()
    assert committed == set(generated), "run `python -m converter.xbrl`"
    for relative, text in generated.items():
        assert (TAXONOMY_DIR / relative).read_text(encoding="utf-8") == text, (
            f"{relative}: run python -m converter.xbrl"
        )


def test_every_concept_is_in_the_taxonomy_with_labels_in_chinese_and_english():
    schema = ET.fromstring(taxonomy_files()["taxonomy/budgetpub.xsd"])
    elements = {e.get("name"): e for e in schema.iter("{http://www.w3.org/2001/XMLSchema}element")}
    labels = ET.fromstring(taxonomy_files()["taxonomy/budgetpub-lab.xml"])
    by_name: dict[str, set[tuple[str | None, str | None]]] = {}
    for label in labels.iter(XBRL_LABEL):
        name = str(label.get("{http://www.w3.org/1999/xlink}label")).removeprefix("lab_")
        by_name.setdefault(name, set()).add((label.get(XML_LANG), label.get("{http://www.w3.org/1999/xlink}role")))
    for concept in concepts():
        element = elements[concept["concept"]]
        assert element.get("type") == "xbrli:monetaryItemType"
        assert element.get("{http://www.xbrl.org/2003/instance}periodType") == "duration"
        roles = by_name[concept["concept"]]
        assert ("zh", "http://www.xbrl.org/2003/role/label") in roles
        assert ("en", "http://www.xbrl.org/2003/role/label") in roles
        assert ("en", "http://www.xbrl.org/2003/role/documentation") in roles
    label_zh = next(
        lab.text
        for lab in labels.iter(XBRL_LABEL)
        if lab.get("{http://www.w3.org/1999/xlink}label") == "lab_expenditure_by_function.basic"
        and lab.get(XML_LANG) == "zh"
    )
    assert label_zh == "基本支出"


def test_calculation_linkbase_holds_the_row_identities_validate_checks():
    """concepts.csv's sum_of is what validate's arithmetic sums within a row, so Arelle's
    calculation check and validate's agree on what adds up."""
    from validate.checks.arithmetic import (
        CARRYOVER_SOURCES,
        CROSSED_PARTS,
        ECONOMIC_TABLES,
        EXPENDITURE_PARTS,
        PROJECT_AMOUNTS,
        REVENUE_SOURCES,
    )

    expected: dict[str, list[str]] = {}
    for resource in ("expenditure_by_function", "expenditure_by_unit", "government_fund_expenditure"):
        expected[f"{resource}.total"] = [p for p in EXPENDITURE_PARTS if p in amount_fields(resource)]
        expected[f"{resource}.basic"] = ["personnel", "public"]
    expected["state_capital_expenditure.total"] = expected["government_fund_expenditure.total"]
    expected["state_capital_expenditure.basic"] = ["personnel", "public"]
    for resource, _, parts in ECONOMIC_TABLES:
        expected[f"{resource}.total"] = list(parts)
    expected["expenditure_by_function_and_economic.total"] = list(CROSSED_PARTS)
    expected["revenue_by_unit.total"] = ["current_year_total", "carryover_total"]
    expected["revenue_by_unit.current_year_total"] = list(REVENUE_SOURCES)
    expected["revenue_by_unit.carryover_total"] = list(CARRYOVER_SOURCES)
    expected["projects.total"] = list(PROJECT_AMOUNTS)
    assert {c["concept"]: sum_of(c) for c in concepts() if sum_of(c)} == expected
    calculation = ET.fromstring(taxonomy_files()["taxonomy/budgetpub-cal.xml"])
    arcs = [
        (a.get("{http://www.w3.org/1999/xlink}from"), a.get("{http://www.w3.org/1999/xlink}to"))
        for a in calculation.iter("{http://www.xbrl.org/2003/linkbase}calculationArc")
    ]
    assert ("loc_expenditure_by_function.total", "loc_expenditure_by_function.project") in arcs
    assert len(arcs) == sum(len(parts) for parts in expected.values())


def test_hypercubes_hold_the_dimensions_every_row_has():
    assert hypercube_dimensions("expenditure_by_function") == ["scope", "function_code"]
    assert hypercube_dimensions("budget_summary") == ["side", "item"]
    assert hypercube_dimensions("projects") == ["row_type", "line"]  # a project's code is not always printed


def test_report_metadata_names_entity_period_unit_and_maps_every_facts_column():
    report = report_metadata("420100", "157", 2026)
    assert report["documentInfo"]["taxonomy"] == [ENTRY_POINT]
    assert report["dimensions"] == {
        "entity": "bpe:420100-157",
        "period": "2026-01-01T00:00:00/2027-01-01T00:00:00",
        "unit": "iso4217:CNY",
    }
    template = report["tableTemplates"]["facts"]
    assert list(template["columns"]) == list(field_names("facts"))
    assert template["columns"]["value"] == {"dimensions": {"concept": "$xbrl_concept"}}
    assert template["decimals"] == "$decimals"
    assert set(template["dimensions"]) == {f"bp:{dimension}" for dimension, _ in DIMENSIONS}


def test_decimals_are_as_printed(city):
    """表12 of Beijing's 审计局 prints 《北京审计》杂志办刊经费's 项目总额 as 17.398000 万元: to the
    fen, decimals 2; Wuhan's 2080505 prints 255.87 万元: to the hundred yuan, decimals -2."""
    from converter.pipeline import convert_source
    from converter.read import read_disclosure

    beijing = [d for d in find_disclosures([SAMPLES / "pdf"]) if "beijing" in d[0].name][0]
    facts = build_resources(convert_source(read_disclosure(list(beijing))))[0]["facts"]
    total = next(f for f in facts if f["concept"] == "project_details.amount" and f["item"] == "total_budget")
    assert (
        total["label"] == "《北京审计》杂志办刊经费" and total["value"] == wan("17.398000") and total["decimals"] == 2
    )
    facts = build_resources(city)[0]["facts"]
    pension = next(
        f for f in facts if f["concept"] == "expenditure_by_function.total" and f["function_code"] == "2080505"
    )
    assert pension["value"] == wan("255.87") and pension["decimals"] == -2


# ---------------------------------------------------------------------------------------------
# Arelle


def _arelle_command() -> list[str]:
    try:
        import arelle  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("Arelle is not installed: .ci/run installs the `xbrl` extra")
        pytest.skip("Arelle is not installed (pip install -e '.[xbrl]')")
    script = Path(sys.executable).with_name("arelleCmdLine")
    return [str(script)] if script.exists() else [sys.executable, "-m", "arelle.CntlrCmdLine"]


def arelle(package: Path, log: Path) -> tuple[list[dict], int]:
    """Run Arelle offline on a package's xBRL-CSV report: (every finding above info, facts loaded)."""
    facts = log.with_suffix(".facts.csv")
    for output in (log, facts):
        output.unlink(missing_ok=True)  # Arelle appends to a log file that is there
    command = [
        *_arelle_command(),
        "--workOffline",
        "--packages",
        str(package / TAXONOMY_PACKAGE),
        "--file",
        str(package / REPORT_PATH),
        "--validate",
        "--calc",
        "c11r",
        "--validateDuplicateFacts",
        "all",
        "--logFile",
        str(log),
        "--facts",
        str(facts),
        "--factListCols",
        "Name,contextRef,Value",
    ]
    environment = {**os.environ, "ARELLE_WORK_OFFLINE": "true"}
    subprocess.run(command, check=True, capture_output=True, env=environment, timeout=300)
    entries = json.loads(log.read_text(encoding="utf-8"))["log"]
    loaded = len(facts.read_text(encoding="utf-8-sig").splitlines()) - 1 if facts.exists() else 0
    return [e for e in entries if e["level"] not in ("info", "debug")], loaded


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def unexplained(package: Path, findings: list[dict]) -> list[dict]:
    """Arelle's findings that are not a sum the conversion report records as the source's own:
    a calculation inconsistency must point at a fact (facts.r_N) of a row and field with a
    `source` row-identity finding."""
    facts = read_rows(package / "data" / "facts.csv")
    recorded = {
        (r["resource"], r["field"], r["source_line"])
        for r in read_rows(package / "data" / "conversion_report.csv")
        if r["severity"] == "source" and r["check"] == "row-identity"
    }
    out = []
    for finding in findings:
        if finding["code"] == "calc11e:inconsistentCalculationUsingRounding":
            href = finding["refs"][0]["href"]  # xbrl.xbrl#facts.r_N.value: the table's Nth row
            fact = facts[int(href.split("#facts.r_")[1].split(".")[0]) - 1]
            resource, field = fact["concept"].split(".")
            if (resource, field, fact["source_line"]) in recorded:
                continue
        out.append(finding)
    return out


@pytest.fixture(scope="module")
def sample_packages(tmp_path_factory) -> list[Path]:
    """Every bundled sample (text and PDF) converted afresh."""
    from converter import convert_file

    out = tmp_path_factory.mktemp("xbrl-packages")
    for disclosure in find_disclosures([SAMPLES]):
        assert convert_file(disclosure, out).status == "converted"
    return sorted(p for p in out.iterdir() if p.is_dir())


@pytest.mark.arelle
def test_arelle_validates_every_sample_package_offline(sample_packages, tmp_path):
    assert len(sample_packages) == 7
    reported = 0
    for package in sample_packages:
        findings, loaded = arelle(package, tmp_path / f"{package.name}.json")
        assert loaded == len(read_rows(package / "data" / "facts.csv")), package.name  # every fact, once
        assert not unexplained(package, findings), (package.name, findings)
        reported += len(findings)
    # Shenzhen's 收入总表 prints 深圳市审计局's 合计 10,737.69 万元 over blank 本年收入 columns and a
    # 上年结转结余 of 0.00: the conversion report records it; Arelle finds it, and only it
    assert reported == 1


@pytest.mark.arelle
def test_arelle_finds_a_total_that_does_not_add_up_and_a_duplicate_fact(sample_packages, tmp_path):
    """The check can fail: a changed total and a fact reported twice with two values."""
    package = tmp_path / "city"
    shutil.copytree(next(p for p in sample_packages if p.name == "420100-157-2026-budget"), package)
    path = package / "data" / "facts.csv"
    rows = read_rows(path)
    total = next(r for r in rows if r["concept"] == "expenditure_by_function.total" and r["function_code"] == "2080505")
    total["value"] = str(Decimal(total["value"]) + 10000)  # 255.87 万元 → 256.87
    rows.append({**rows[0], "value": "1.00"})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    findings = unexplained(package, arelle(package, tmp_path / "log.json")[0])
    codes = {f["code"] for f in findings}
    assert "calc11e:inconsistentCalculationUsingRounding" in codes
    assert any("uplicate" in code for code in codes), codes


@pytest.mark.arelle
@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.parent.name)
def test_arelle_validates_every_released_package(folder, tmp_path):
    """The latest release of each package in datapackages/, from schema 1.4 on (earlier versions
    carry no XBRL report)."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    if "xbrl" not in descriptor:
        pytest.skip(f"{folder.parent.name} {folder.name} is schema {descriptor.get('schema_version')}: no XBRL report")
    findings, loaded = arelle(folder, tmp_path / "log.json")
    assert loaded == len(read_rows(folder / "data" / "facts.csv"))
    assert not unexplained(folder, findings), findings
