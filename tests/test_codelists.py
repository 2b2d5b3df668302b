"""Code lists that grow from evidence: a code the list lacks is accepted as printed (a note), a name that
contradicts a known code is a warning, and names by year follow the corpus evidence."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from converter import codelists
from converter.package import build_resources
from converter.pipeline import Conversion, convert_source
from converter.read import read_source
from tests.conftest import CITY_2026, EDZ_2023, FINAL_2024, convert_text, find

ROOT = Path(__file__).resolve().parent.parent
YANTAI = ROOT / "tests" / "data" / "yantai-tuiyijunrenju-2026-budget.html"


def coded(conv: Conversion) -> tuple[dict[str, list[dict]], list]:
    resources, findings = build_resources(conv)
    return resources, [f for f in findings if f.check in ("code-not-in-list", "code-name-differs")]


@pytest.fixture(scope="module")
def yantai() -> tuple[dict[str, list[dict]], list]:
    return coded(convert_source(read_source(YANTAI)))


def test_a_printed_code_the_list_lacks_is_recorded_with_its_printed_name_and_place(yantai):
    # 烟台市退役军人事务局 2026, 收入总体情况表 on page 8: class 208 prints its 款 as '28 退役军人管理事务'
    resources, findings = yantai
    row = find(resources["functional_classification"], code="20828")
    assert row["name"] == row["printed_name"] == "退役军人管理事务"
    assert row["in_codelist"] is False and row["codelist_status"] == ""
    assert row["parent"] == "208" and row["level"] == 2
    assert row["source_table"] == "收入总体情况表" and row["source_page"] == 8
    note = next(f for f in findings if f.row_key == "20828")
    assert note.severity == "info" and note.check == "code-not-in-list"
    assert "'退役军人管理事务' is not in budgetpub's code list; accepted with its printed name" in note.message
    assert note.source_line == row["source_line"]


def test_an_unknown_code_is_a_note_never_a_warning(yantai):
    _, findings = yantai
    unknown = [f for f in findings if f.check == "code-not-in-list"]
    assert unknown and {f.severity for f in unknown} == {"info"}
    # the one warning: 一般公共预算基本支出情况表 prints 303 as 对个人和家庭补助 (page 19), the list's
    # name being 对个人和家庭的补助: a different wording of a known code is reported, not accepted silently
    assert [(f.check, f.row_key) for f in findings if f.severity != "info"] == [("code-name-differs", "303")]


def test_known_codes_are_named_by_the_list_and_keep_the_printed_name():
    resources, findings = coded(convert_source(read_source(EDZ_2023)))
    # 附表 3 prints 政府办公厅(室)及相关机构事务 with half-width brackets: the same name, no finding
    row = find(resources["functional_classification"], code="20103")
    assert row["name"] == "政府办公厅（室）及相关机构事务"
    assert row["printed_name"] == "政府办公厅(室)及相关机构事务"
    assert row["in_codelist"] is True and row["codelist_status"] == "official"
    assert row["source_table"].startswith("附表 3")
    assert findings == []


def test_a_name_of_another_year_or_a_variant_is_no_contradiction():
    # the 2026 budget's 表 3 prints 20604 技术与开发, its name up to 2025; the 2024 final accounts'
    # 公开 05 表 prints 研究与开发, a known variant
    for path in (CITY_2026, FINAL_2024):
        _, findings = coded(convert_source(read_source(path)))
        assert [f for f in findings if f.severity == "warning"] == []


def test_a_name_contradicting_a_known_code_is_a_warning_with_both_names():
    """The 2026 budget of 武汉市数据局 with one name changed: its 一般公共预算基本支出表 (表 6) prints
    `30201	办公费`; here it prints 办公用品费."""
    text = CITY_2026.read_text(encoding="utf-8")
    assert text.count("30201\t办公费\t") == 1
    resources, findings = coded(convert_text(text.replace("30201\t办公费\t", "30201\t办公用品费\t")))
    warnings = [f for f in findings if f.severity == "warning"]
    assert len(warnings) == 1 and warnings[0].check == "code-name-differs" and warnings[0].row_key == "30201"
    assert "economic code 30201 is printed as '办公用品费'" in warnings[0].message
    assert "budgetpub's code list names it '办公费' (official from 2018)" in warnings[0].message
    row = find(resources["economic_classification"], code="30201")
    assert row["name"] == "办公费" and row["printed_name"] == "办公用品费"


def test_names_by_year_follow_the_evidence():
    # the corpus's two 2019 documents print 20805 as 行政事业单位离退休; from 2023 on it prints 养老支出
    assert codelists.known_name("functional", "20805", 2019).name == "行政事业单位离退休"
    assert codelists.known_name("functional", "20805", 2019).status == "observed"
    assert codelists.known_name("functional", "20805", 2024).name == "行政事业单位养老支出"
    assert codelists.name_relation("functional", "20805", "行政事业单位离退休", 2024) == "other-year"
    assert codelists.name_relation("functional", "20805", "行政事业单位养老支出", 2019) == "other-year"
    # three Shenzhen departments print 20604 as 技术研究与开发 in 2026
    assert codelists.name_relation("functional", "20604", "技术研究与开发", 2026) == "observed"
    assert codelists.name_relation("functional", "20604", "技术与研究开发", 2026) == "official"
    assert codelists.name_relation("functional", "20604", "技术", 2026) == "cut-short"
    assert codelists.name_relation("functional", "20604", "软件开发", 2026) == "differs"
    assert codelists.name_relation("functional", "2999999", "某支出", 2026) == "absent"


def test_observed_rows_say_how_many_documents_printed_them():
    observed = [e for e in codelists.classification("functional") if e.status == "observed"]
    assert observed, "the evidence added no observed codes"
    import csv

    with (codelists.CODELIST_DIR / "functional_classification.csv").open(encoding="utf-8") as handle:
        notes = {(r["code"], r["name"]): r["note"] for r in csv.DictReader(handle) if r["status"] == "observed"}
    assert all(note.startswith("printed by ") and " departments in " in note for note in notes.values())
    assert notes[("20808", "抚恤")].startswith("printed by 7 documents of 7 departments in 2026")


def test_evidence_reads_codes_and_names_as_printed():
    """bench/codelist_evidence.py on the 2024 final accounts: 公开 05 表 prints, on line 292,
    `20604	研究与开发` (read by hand from the sample)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import codelist_evidence

    document = codelist_evidence.read_one((FINAL_2024,))
    assert not isinstance(document, str)
    assert document.year == 2024
    where = document.printed[("functional", "20604", "研究与开发", 2024)]
    assert where == "wuhan-data-bureau-2024-final-accounts.txt 公开 05 表 line 292"
    assert ("functional", "2060499", "其他研究与开发支出", 2024) in document.printed


@pytest.fixture()
def released(tmp_path) -> Path:
    from tests.test_validate import CITY

    folder = tmp_path / CITY.name
    shutil.copytree(CITY, folder)
    return folder


def test_validate_judges_codes_as_the_converter_does(released):
    """The released 2026 budget of 武汉市数据局 (表 6 prints `30201 办公费`, `30213 维修（护）费`), edited:
    an unknown code of a known class is a note, a bracket's width no finding, another name a warning."""
    from tests.test_validate import edit_csv, findings, repackage

    edit_csv(released, "basic_expenditure_by_economic", {"economic_code": "30201"}, {"economic_code": "30298"})
    edit_csv(released, "basic_expenditure_by_economic", {"economic_code": "30213"}, {"economic_name": "维修(护)费"})
    edit_csv(released, "basic_expenditure_by_economic", {"economic_code": "30228"}, {"economic_name": "工会活动费"})
    repackage(released)
    coded = findings(released, check="codelist")
    about = {f.row_key: f for f in coded if f.resource == "basic_expenditure_by_economic"}
    assert about["30298"].severity == "info"
    assert "is not in budgetpub's economic code list; accepted with its printed name" in about["30298"].message
    assert "30213" not in about
    assert about["30228"].severity == "warning"
    assert (
        about["30228"].message == "economic code 30228 (工会活动费): printed name differs from the 2026 name '工会经费'"
    )
