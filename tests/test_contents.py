"""What a disclosure announces (its table of contents, its lists and numbering of tables) against
the tables found: a disclosure cut off at a line boundary must not convert as if it were whole.

Expected titles, lines and pages are read from the samples as printed (the Wuhan 2026 text's list
of tables on lines 61-97; the Shenzhen PDF's 目录 on page 3, its tables 8-11 on pages 31-36)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from budgetpub.cli import cli
from converter.contents import announced_gaps, numbering_gaps, read_contents, read_label, title_key
from converter.pipeline import convert_source
from converter.read import read_disclosure, read_source
from converter.segment import find_tables
from tests.conftest import ALL_SAMPLES, CITY_2026, SAMPLES

PDF_SAMPLES = {
    "shenzhen": (SAMPLES / "pdf" / "shenzhen-shenjiju-2026-budget.pdf",),
    "shanghai": (SAMPLES / "pdf" / "shanghai-putuo-commerce-commission-2025-budget.pdf",),
    "beijing": (
        SAMPLES / "pdf" / "beijing-shenjiju-2026-budget-text.pdf",
        SAMPLES / "pdf" / "beijing-shenjiju-2026-budget-tables.pdf",
    ),
}


def announced(conversion) -> list:
    return [f for f in conversion.findings if f.check.startswith("announced-table")]


@pytest.fixture(scope="module")
def cut_city(tmp_path_factory) -> Path:
    """`head -n 170` of the Wuhan 2026 budget: it stops inside 表 3 at a line boundary."""
    path = tmp_path_factory.mktemp("cut") / "cut.txt"
    lines = CITY_2026.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:170]), encoding="utf-8")
    return path


def test_a_text_cut_at_a_line_boundary_has_its_missing_tables_as_gaps(cut_city):
    conversion = convert_source(read_source(cut_city))
    gaps = [f for f in announced(conversion) if f.severity == "error"]
    # the list of tables (lines 61-97) names 表 1 … 表 12-7; 表 1-3 begin before line 170
    assert [f.source_line for f in gaps] == [67, *range(69, 98, 2)]
    assert "'表4 财政拨款收支总表'" in gaps[0].message
    assert "'表12-7 项目支出绩效目标表'" in gaps[-1].message
    assert all(f.check == "announced-table-missing" for f in gaps)
    # the table of contents' 四、财政拨款收支总表 is the same table as 表 4: told once
    assert not any("四、财政拨款收支总表" in f.message for f in gaps)


def test_convert_refuses_a_cut_text_by_default_and_writes_it_only_when_asked(cut_city, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(cut_city), "--out", str(out)])
    assert result.exit_code == 1
    assert "only partly usable, 16 gap(s)" in result.output
    assert "line 67: the document lists '表4 财政拨款收支总表'" in result.output
    assert not out.exists() or not any(out.iterdir())
    result = CliRunner().invoke(cli, ["convert", str(cut_city), "--out", str(out), "--allow-partial"])
    assert result.exit_code == 0 and "partial:" in result.output


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=[p.name for p in ALL_SAMPLES])
def test_a_whole_text_sample_announces_nothing_it_lacks(sample):
    assert announced(convert_source(read_source(sample))) == []


@pytest.mark.parametrize("name", PDF_SAMPLES)
def test_a_whole_pdf_sample_announces_nothing_it_lacks(name):
    assert announced(convert_source(read_disclosure(list(PDF_SAMPLES[name])))) == []


def test_a_pdf_missing_its_last_pages_names_the_tables_from_its_contents_page(tmp_path):
    """The Shenzhen PDF's first 30 pages: tables (八)-(十一) (pages 31-36) are gone."""
    whole = pdfium.PdfDocument(str(PDF_SAMPLES["shenzhen"][0]))
    part = pdfium.PdfDocument.new()
    part.import_pages(whole, list(range(30)))
    path = tmp_path / "first-30-pages.pdf"
    part.save(str(path))
    conversion = convert_source(read_disclosure([path]))
    gaps = [f for f in announced(conversion) if f.severity == "error"]
    assert [conversion.source.cite(f.source_line)[1] for f in gaps] == ["page 3"] * 4
    assert [title_key(f.table) for f in gaps] == [
        "一般公共预算支出表(按经济分类)",
        "财政拨款三公经费支出表",
        "政府性基金预算支出表",
        "国有资本经营预算支出表",
    ]
    result = CliRunner().invoke(cli, ["convert", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "(page 3): only partly usable, 4 gap(s)" in result.output


def test_a_table_the_document_calls_empty_is_a_note_not_a_gap():
    """The Shanghai PDF prints 政府性基金预算支出功能分类预算表 with only 无 and 合计 rows and the note
    注:本部门2025年无政府性基金预算财政拨款安排的预算， 故本表为空表。 Without its rows (a reader
    that drops an empty frame), the table is announced and missing, and the note makes it empty."""
    source = read_disclosure(list(PDF_SAMPLES["shanghai"]))
    title = next(i for i, line in enumerate(source.lines) if "政府性基金预算支出功能分类预算表" in line and i > 100)
    note = next(i for i, line in enumerate(source.lines) if "故本表为空表" in line)
    lines = tuple(line for i, line in enumerate(source.lines) if not (title < i < note and "\t" in line))
    tables, _ = find_tables(lines)
    findings = announced_gaps(lines, tables)
    assert [(f.severity, f.check) for f in findings] == [("info", "announced-table-empty")]
    assert "政府性基金预算支出功能分类预算表" in findings[0].message
    without_note = tuple(line for i, line in enumerate(lines) if "故本表为空表" not in line or i < title)
    findings = announced_gaps(without_note, find_tables(without_note)[0])
    assert [(f.severity, f.check) for f in findings] == [("error", "announced-table-missing")]


def test_a_heading_over_numbered_entries_is_not_a_table():
    """Shanghai's 目录 puts 五、部门预算表 over the entries 1. … 9.; only the nine are tables."""
    source = read_disclosure(list(PDF_SAMPLES["shanghai"]))
    entries, _ = read_contents(source.lines)
    assert len(entries) == 9 and not any("五、" in e.title for e in entries)


def test_a_gap_in_the_numbering_is_a_missing_table():
    lines = [(read_label(text)[0], line) for line, text in enumerate(["附表 1:", "附表 2:", "附表4:", "附表 5"], 1)]
    missing = numbering_gaps([(label, line) for label, line in lines if label])
    assert [(m.label, m.line) for m in missing] == [("附表3", 3)]
    assert numbering_gaps([(read_label("表 2")[0], 1), (read_label("表 3")[0], 2)]) == []  # no run from 1


def test_labels_are_read_in_the_forms_disclosures_print():
    assert read_label("预算01表 收支总表")[0].major == 1
    assert read_label("预算表12 年度项目支出绩效表")[0].major == 12
    assert (read_label("公开 09 表")[0].prefix, read_label("表 5-2.一般公共预算支出表")[0].minor) == ("公开", 2)
    assert title_key("五、  一般公共预算拨款支出预算表. . . . . . . . 12") == "一般公共预算拨款支出预算表"


def test_the_explanations_of_a_two_file_disclosure_alone_say_where_the_tables_are(tmp_path):
    """Beijing's 情况说明 PDF lists 13 tables in its 目录 (page 1, its heading not in the text layer)
    and ends with 附件：北京市审计局 2026 年度部门预算报表 (page 10)."""
    result = CliRunner().invoke(cli, ["convert", str(PDF_SAMPLES["beijing"][0]), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "(page 1): no budget table was found, though the table of contents lists 13 tables" in result.output
    assert "published as a separate file ('附件:北京市审计局2026年度部门预算报表', page 10)" in result.output


def test_a_text_cut_before_its_tables_says_its_contents_list_them(tmp_path):
    path = tmp_path / "head.txt"
    path.write_text("".join(CITY_2026.read_text(encoding="utf-8").splitlines(keepends=True)[:60]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "head.txt:14: no budget table was found, though the table of contents lists 12 tables" in result.output
    assert "cut off, or its tables are a separate file" in result.output


def test_a_pdf_ending_on_a_form_printed_blank_is_not_cut_off_but_lacks_what_it_announces(tmp_path):
    """Beijing's tables PDF to page 7 ends with 预算07表 政府性基金预算支出表, a header with no rows
    (the department has no such funds). A PDF is not cut at a line: that header is no cut-off. The
    tables the 情况说明's 目录 lists after it (八、… on page 1, 十三、… on page 2) are the gaps."""
    whole = pdfium.PdfDocument(str(PDF_SAMPLES["beijing"][1]))
    part = pdfium.PdfDocument.new()
    part.import_pages(whole, list(range(7)))
    tables = tmp_path / "beijing-shenjiju-2026-budget-tables.pdf"
    part.save(str(tables))
    conversion = convert_source(read_disclosure([PDF_SAMPLES["beijing"][0], tables]))
    assert not [f for f in conversion.findings if f.check == "cut-off"]
    gaps = [f for f in conversion.findings if f.severity == "error"]
    assert [title_key(f.table) for f in gaps] == [
        "国有资本经营预算支出表",
        "财政拨款三公经费支出表",
        "政府采购预算明细表",
        "财政拨款政府购买服务明细表",
        "项目支出绩效目标表",
        "部门整体支出绩效目标表",
    ]
    assert [conversion.source.cite(f.source_line)[1] for f in gaps] == ["page 1"] * 5 + ["page 2"]


def test_a_sentence_that_counts_the_tables_is_checked_against_the_tables_found():
    """The national final-accounts template publishes 九张表; a disclosure that says so (a sentence
    added to the Wuhan 2024 final accounts, under its 第二部分 heading on line 84) and then holds
    fewer is a gap; the whole text, which holds them, is not."""
    from tests.conftest import FINAL_2024, convert_text

    lines = FINAL_2024.read_text(encoding="utf-8").splitlines(keepends=True)
    said = "".join([*lines[:84], "按照要求，本部门公开以下九张表。\n", *lines[84:]])
    assert announced(convert_text(said)) == []
    counted = [f for f in announced(convert_text("".join(said.splitlines(keepends=True)[:300]))) if not f.table]
    assert [(f.severity, f.source_line) for f in counted] == [("error", 85)]
    assert counted[0].message.startswith("the document says it publishes 9 tables;")
