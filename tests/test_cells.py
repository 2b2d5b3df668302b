"""Single cells as extraction leaves them (converter/cells.py): what each printed text means.

Expected values are written by hand from the text given; the damaged forms are the ones the
samples and the corpus show (tags from HTML extractors, spaces between CJK characters, digits
split by spaces, full-width digits, dash placeholders).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from converter import cells
from converter.cells import (
    Amount,
    clean_code,
    clean_text,
    compact,
    format_decimal,
    is_code,
    looks_numeric,
    page_furniture,
    parse_amount,
    remember,
    strip_tags,
    to_yuan,
)


@pytest.fixture(autouse=True)
def empty_memos():
    """Each test reads its cells afresh, not from the memos earlier conversions filled (the tests
    are of the functions, not of the memo)."""
    for memo in (cells._CLEAN_TEXT, cells._COMPACT, cells._AMOUNTS):
        memo.clear()


def test_tags_are_removed_as_a_space():
    assert strip_tags("<b>合计</b>") == " 合计 "
    assert strip_tags('<p class="x">1,930.07</p>') == " 1,930.07 "
    assert strip_tags("a < b") == "a < b"  # not a tag: a letter must follow
    assert strip_tags("<1>") == "<1>"
    assert strip_tags("plain") == "plain"


@pytest.mark.parametrize(
    "printed, cleaned",
    [
        ("一般 公共 服务支出", "一般公共服务支出"),
        ("  <b>行政 运行</b>  ", "行政运行"),
        ("住房\u00a0公积金", "住房公积金"),
        ("Data  platform   v2", "Data platform v2"),
        ("“三公” 经费", "“三公”经费"),
        ("项目（ 一期 ）", "项目（一期）"),
        ("2026 年", "2026年"),
        ("a\tb", "a b"),
        ("", ""),
    ],
)
def test_clean_text_drops_only_the_spaces_extraction_added(printed, cleaned):
    assert clean_text(printed) == cleaned
    assert clean_text(printed) == cleaned  # the memo gives the same answer


def test_compact_is_for_comparing_labels():
    assert compact("一般 公共\u3000服务") == "一般公共服务"
    assert compact("（１）ＡＢ") == "(1)AB"  # NFKC: full width to half width
    assert compact("<b>a b</b>") == "ab"
    assert compact("A B") == "AB"


@pytest.mark.parametrize(
    "printed, value",
    [
        ("1,930.07", "1930.07"),
        ("0.00", "0.00"),
        ("0", "0"),
        ("-12.5", "-12.5"),
        ("１，２３４．５６", "1234.56"),  # full width
        ("1，234.56", "1234.56"),  # a full-width comma among ASCII digits
        ("<b>583.68</b>", "583.68"),
        (" 13.00 ", "13.00"),
        ("1234567.891", "1234567.891"),
        ("12,345,678", "12345678"),
    ],
)
def test_amounts_are_read_exactly(printed, value):
    amount = parse_amount(printed)
    assert amount == Amount(Decimal(value))
    assert str(amount.value) == value  # the printed digits, no float on the way
    assert looks_numeric(printed)


@pytest.mark.parametrize("blank", ["", "   ", "<td></td>"])
def test_blank_is_none_without_a_problem(blank):
    assert parse_amount(blank) == Amount(None)
    assert not looks_numeric(blank)


@pytest.mark.parametrize("dash", ["-", "--", "—", "——", "–", "/", "－"])
def test_dashes_are_placeholders_read_as_blank_and_said(dash):
    assert parse_amount(dash) == Amount(None, problem=f"{dash!r} is a placeholder, not a number (read as blank)")
    assert not looks_numeric(dash)


def test_the_mark_of_a_placeholder_cell_is_its_dash_made_half_width():
    # which mark a table prints for "no amount" is told per table (mapping.table.placeholder_cells)
    assert cells.placeholder_mark(" － ") == "-"  # full-width hyphen-minus, padded
    assert cells.placeholder_mark("<td>——</td>") == "——"  # a tag left by an extractor
    assert cells.placeholder_mark("／") == "/"
    assert cells.placeholder_mark("—") == "—"
    for other in ["", "0", "-1", "——1", "不适用", "- -"]:
        assert cells.placeholder_mark(other) is None, other


def test_digits_split_by_spaces_are_joined_and_said():
    amount = parse_amount("1 234.56")
    assert amount == Amount(Decimal("1234.56"), repaired="digits split by spaces '1 234.56' joined")
    assert looks_numeric("1 234.56")
    assert parse_amount("12 3") == Amount(Decimal("123"), repaired="digits split by spaces '12 3' joined")
    split = parse_amount("12, 345.00")  # split after its thousands separator
    assert split == Amount(Decimal("12345.00"), repaired="digits split by spaces '12, 345.00' joined")


@pytest.mark.parametrize("text", ["5.0O", "1,23", "12,3456", "1.2.3", "abc", "1,234.5x", "12 a", ".5", "1."])
def test_anything_else_is_not_a_number_and_says_so(text):
    assert parse_amount(text) == Amount(None, problem=f"{text!r} is not a number")
    assert not looks_numeric(text)


def test_yuan_keep_two_decimals_at_least():
    assert str(to_yuan(Decimal("583.68"), 10000)) == "5836800.00"
    assert str(to_yuan(Decimal("13"), 10000)) == "130000.00"
    assert str(to_yuan(Decimal("1.5"), 1)) == "1.50"
    assert str(to_yuan(Decimal("0.125"), 1)) == "0.125"  # never rounded away
    assert str(to_yuan(Decimal("2.001"), 10)) == "20.010"
    amount = parse_amount("53.48")
    assert str(amount.in_yuan(10000)) == "534800.00" and str(amount.in_yuan(1)) == "53.48"
    assert str(amount.in_yuan(10000)) == "534800.00"  # worked out once, the same again


def test_decimals_are_written_plainly():
    assert format_decimal(None) == ""
    assert format_decimal(Decimal("534800.00")) == "534800.00"
    assert format_decimal(Decimal("1E+4")) == "10000"
    assert format_decimal(Decimal("1.5E-7")) == "0.00000015"
    assert format_decimal(Decimal("-0.00")) == "-0.00"


def test_codes():
    assert clean_code("42010026157Y0 00000113") == "42010026157Y000000113"
    assert clean_code("<b>2010301</b>") == "2010301"
    assert is_code("2010301") and is_code("42010026157Y000000113") and is_code("20 1")
    assert not is_code("") and not is_code("合计") and not is_code("Y2010") and not is_code("201a")
    assert not is_code("<b></b>")


def test_memos_are_emptied_when_full():
    memo: dict[object, object] = {i: i for i in range(cells.MEMO_SIZE - 1)}
    assert remember(memo, "a", 1) == 1
    assert len(memo) == cells.MEMO_SIZE and memo["a"] == 1  # one short of full: kept
    assert remember(memo, "b", 2) == 2
    assert memo == {"b": 2}


def test_page_numbers_and_blank_lines_are_page_furniture():
    for text in ("12", "— 3 —", "-4-", "第5页", "· 6 ·", "共8页", "", "\u30007\u3000"):
        assert page_furniture(text), text
    for text in ("表1", "第一部分", "单位：万元", "3/10", "X", "X1"):
        assert not page_furniture(text), text
