"""The readers: PDFs and saved web pages into the document model, read by geometry.

Expected cells are read by hand from the pages as printed (rendered and looked at), not from
the reader's own output.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from converter import find_disclosures
from converter.errors import InputError
from converter.pdf import Char, cell_text, lines_of
from converter.read import read_disclosure, read_source, sniff

PDFS = Path(__file__).resolve().parent.parent / "samples" / "pdf"
SHENZHEN = PDFS / "shenzhen-shenjiju-2026-budget.pdf"
SHANGHAI = PDFS / "shanghai-putuo-commerce-commission-2025-budget.pdf"
BEIJING_TEXT = PDFS / "beijing-shenjiju-2026-budget-text.pdf"
BEIJING_TABLES = PDFS / "beijing-shenjiju-2026-budget-tables.pdf"
YANTAI = Path(__file__).resolve().parent / "data" / "yantai-tuiyijunrenju-2026-budget.html"  # partly usable yet


def rows(source):
    """(line number, cells) of every table row of the model."""
    return [(n, line.split("\t")) for n, line in enumerate(source.lines, start=1) if "\t" in line]


def row_starting(source, *first_cells):
    wanted = list(first_cells)
    found = [(n, cells) for n, cells in rows(source) if [c.strip() for c in cells[: len(wanted)]] == wanted]
    assert found, f"no row starts with {first_cells}"
    return found


@pytest.fixture(scope="module")
def shenzhen():
    return read_source(SHENZHEN)


def test_a_ruled_table_is_read_cell_by_cell_with_its_page_and_box(shenzhen):
    # 表 3 支出总表, page 18 of the print (page 21 of the file): 2010801 行政运行, nine amounts
    [(line, cells)] = [r for r in row_starting(shenzhen, "", "2010801") if "5,466.52" in r[1]][:1]
    assert cells[:6] == ["", "2010801", "行政运行", "5,466.52", "5,466.52", "0.00"]
    assert cells[6:] == ["0.00", "0.00", "0.00", "302.76", "80.98", "0.00"]
    where = shenzhen.location(line)
    assert where is not None and where.page == 21
    import pypdfium2 as pdfium

    width, height = pdfium.PdfDocument(SHENZHEN)[20].get_size()
    assert 0 < where.x0 < where.x1 <= width and 0 < where.top < where.bottom <= height
    assert where.top > height / 3  # the row is below the table's header, in the page's upper half or lower


def test_a_header_cell_spanning_columns_stands_at_its_first_column(shenzhen):
    header = row_starting(shenzhen, "预算单位", "科目编码", "科目名称")[0][1]
    assert header[9] == "2026年政府采购项目" and header[10:] == ["", ""]  # one cell over three columns


def test_a_table_continued_on_the_next_page_is_one_run_without_its_header_again(shenzhen):
    titles = [n for n, line in enumerate(shenzhen.lines, start=1) if line.strip() == "支出总表"]
    following = next(n for n, line in enumerate(shenzhen.lines, start=1) if line.strip() == "基本支出总表")
    headers = [n for n, _ in row_starting(shenzhen, "预算单位", "科目编码", "科目名称") if titles[0] < n < following]
    assert len(titles) == 1 and len(headers) == 1  # printed on three pages, read once
    n_20508 = row_starting(shenzhen, "", "20508")[0][0]
    n_2050803 = row_starting(shenzhen, "", "2050803")[0][0]  # first row of the next page
    between = shenzhen.lines[n_20508 : n_2050803 - 1]
    assert all("\t" not in line and len(line) < 12 for line in between)  # only the page number
    assert shenzhen.location(n_2050803).page == shenzhen.location(n_20508).page + 1


def test_amounts_in_yuan_and_the_unit_line_beside_the_department():
    source = read_source(SHANGHAI)
    # 2025年部门财务收支预算总表, page 9: 单位：元 on the line of 编制部门
    unit_line = next(line for line in source.lines if line.startswith("编制部门") and "单位" in line)
    assert unit_line.replace(" ", "").endswith("单位：元")
    first = row_starting(source, "一 、 财政拨款收入")[0][1]
    assert first[1] == "371,514,655.00" and first[3] == "21,601,733.00"
    total = row_starting(source, "收入总计")[0][1]
    assert total == ["收入总计", "371,514,655.00", "支出总计", "371,514,655.00"]


def test_a_disclosure_in_two_pdfs_is_one_document_with_pages_numbered_on():
    text_pages = read_source(BEIJING_TEXT).pages
    source = read_disclosure([BEIJING_TEXT, BEIJING_TABLES])
    assert [p.path.name for p in source.parts] == [BEIJING_TEXT.name, BEIJING_TABLES.name]
    # 预算05表 一般公共预算支出表, page 5 of the tables: 2010801 行政运行 and six amounts (万元, six decimals)
    line, cells = row_starting(source, "2010801", "行政运行")[0]
    assert cells[2:8] == ["4,952.850016", "4,697.043616", "4,032.021156", "665.022460", "255.806400", "255.806400"]
    assert source.location(line).page == text_pages + 5
    assert source.cite(line) == (BEIJING_TABLES, "page 5")


def test_parts_are_found_side_by_side_in_a_folder(tmp_path):
    for path in (BEIJING_TEXT, BEIJING_TABLES, SHENZHEN):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    found = find_disclosures([tmp_path])
    assert [tuple(p.name for p in d) for d in found] == [
        (BEIJING_TEXT.name, BEIJING_TABLES.name),
        (SHENZHEN.name,),
    ]


def test_a_saved_web_page_of_positioned_text_is_read_by_geometry():
    source = read_source(YANTAI)
    assert source.format == "html"
    # 公开表7 一般公共预算“三公”经费支出情况表: 2025 and 2026 side by side in one row
    line, cells = next((n, c) for n, c in rows(source) if c[0] == "28.10")
    assert cells == ["28.10", "", "19.90", "", "19.90", "8.20", "25.02", "", "17.40", "", "17.40", "7.62"]
    assert source.location(line).page == 20


def test_a_web_page_with_table_elements(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><h1>2026年某某局部门预算</h1><p>表1 收支总表</p><p>单位：万元</p>"
        "<table><tr><th colspan='2'>收入</th><th rowspan='2'>备注</th></tr>"
        "<tr><td>项目</td><td>预算数</td></tr><tr><td>合计</td><td>1,234.50</td><td></td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    source = read_source(page)
    assert "2026年某某局部门预算" in source.lines and "表1 收支总表" in source.lines
    assert [line.split("\t") for line in source.lines if "\t" in line] == [
        ["收入", "", "备注"],
        ["项目", "预算数", ""],
        ["合计", "1,234.50", ""],
    ]


def test_the_format_comes_from_the_content_not_the_name(tmp_path):
    disguised = tmp_path / "disclosure.txt"
    disguised.write_bytes(SHANGHAI.read_bytes())
    assert sniff(disguised.read_bytes()) == "pdf" and read_source(disguised).format == "pdf"


def test_a_pdf_without_a_text_layer_is_refused_saying_ocr_would_be_needed(tmp_path):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(buffer.getvalue())
    with pytest.raises(InputError) as error:
        read_source(scan)
    assert "no usable text layer" in str(error.value) and "OCR" in str(error.value) and "scan.pdf" in str(error.value)


def test_a_damaged_pdf_is_one_plain_error(tmp_path):
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(SHANGHAI.read_bytes()[:2000])
    with pytest.raises(InputError) as error:
        read_source(cut)
    assert "cut.pdf" in str(error.value)


def test_reading_is_deterministic(shenzhen):
    again = read_source(SHENZHEN)
    assert again.lines == shenzhen.lines and again.locations == shenzhen.locations


def char(text, x0, top, x1, bottom):
    return Char(text, x0, top, x1, bottom)


def test_quotes_high_on_a_line_stay_on_it():
    # “三公”经费: the quotes' boxes sit in the top half of the line
    chars = [
        char("“", 10, 100, 14, 104),
        char("三", 14, 100, 24, 110),
        char("公", 24, 100, 34, 110),
        char("”", 34, 100, 38, 104),
        char("经", 38, 100, 48, 110),
    ]
    assert [len(line) for line in lines_of(chars)] == [5]
    assert cell_text(chars) == "“三公”经"


def test_wrapped_cell_lines_join_without_a_space_and_numbers_stay_whole():
    chars = [char(c, 10 + 5 * i, 100, 15 + 5 * i, 108) for i, c in enumerate("1,234,56")]
    chars += [char(c, 10 + 5 * i, 110, 15 + 5 * i, 118) for i, c in enumerate("7.89")]
    assert cell_text(chars) == "1,234,567.89"


def test_a_gap_in_a_pdf_is_cited_by_file_and_page(shenzhen):
    from converter.pipeline import gaps_error
    from converter.report import Finding

    line = row_starting(shenzhen, "", "2010801")[0][0]
    error = gaps_error(
        shenzhen, [Finding("error", "unreadable-amount", "column '合计': 'x' is not a number", source_line=line)]
    )
    assert str(error).startswith(f"{SHENZHEN} (page 21): only partly usable, 1 gap(s): page 21: column '合计'")


def test_smaller_text_that_touches_a_title_is_a_line_of_its_own():
    # a cell's 8-point text whose box reaches into an 18-point title above it: two lines, not interleaved
    title = [char(c, 10 + 18 * i, 100, 28 + 18 * i, 118) for i, c in enumerate("项目支出")]
    body = [char(c, 12 + 8 * i, 116, 20 + 8 * i, 124) for i, c in enumerate("主要用于")]
    assert ["".join(c.text for c in line) for line in lines_of(title + body)] == ["项目支出", "主要用于"]


def test_text_drawn_off_the_page_is_not_read():
    """Page 4 of the Shanghai sample shows only the tail of the department's duties (from
    应急机制 to 13、完成区委、区政府交办的其他任务。), but its text layer also holds the whole list
    again above the page's top edge, where no reader sees it. Read once, as printed on page 3-4."""
    source = read_source(SHANGHAI)
    last_duty = [n for n, line in enumerate(source.lines, 1) if "完成区委" in line]
    assert len(last_duty) == 1 and source.location(last_duty[0]).page == 4
    first_duty = [n for n, line in enumerate(source.lines, 1) if "贯彻执行国家和本市有关工商业" in line]
    assert len(first_duty) == 1 and source.location(first_duty[0]).page == 3


JIANGSU = Path(__file__).resolve().parent / "data" / "jiangsu-gaojirenminfayuan-2019-budget.pdf"


def test_columns_without_row_rules_beside_a_frame_are_the_tables():
    """Jiangsu's 公开12表 政府采购支出预算表 continues on page 17 with 会议费 | 110.05 (万元) and its
    会议服务 line: the page draws no row rule above that first row (its top border is on page 16),
    only the column rules running up past the first row rule. The row is the table's, not prose
    that drops the 110.05."""
    source = read_source(JIANGSU)
    line = next(n for n, text in enumerate(source.lines, 1) if "会议费" in text and "110.05" in text)
    assert source.location(line).page == 17
    assert source.lines[line - 1].split("\t")[2:] == ["会议费", "", "", "110.05"]


def test_columns_of_one_cell_taller_than_the_page_join_the_frame_beside_them():
    """Beijing's 项目支出绩效目标表: a project's code, name and amounts stand in cells taller than
    the page, so on a middle page their columns have side rules but no row rule at all, while the
    indicator columns beside them are ruled row by row. Those columns are the same table's."""
    from converter.pdf import Rule, page_items

    def word(text: str, x: float, top: float) -> list[Char]:
        return [Char(c, x + 10 * i, top, x + 10 * (i + 1), top + 10) for i, c in enumerate(text)]

    horizontal = [Rule(y, 300, 500) for y in (100, 150, 200)]
    vertical = [Rule(x, 100, 200) for x in (100, 200, 300, 400, 500)]
    chars = word("项目名称", 110, 140) + word("95.20", 210, 140) + word("数量指标", 310, 120)
    chars += word("满意度", 310, 170) + word("95", 410, 170)
    items = page_items(chars, horizontal, vertical)
    grids = [item.grid for item in items if item.grid is not None]
    assert len(grids) == 1 and not [item for item in items if item.grid is None]
    assert ["项目名称", "95.20"] == [cell for row in grids[0].rows for cell in row[:2] if cell]
