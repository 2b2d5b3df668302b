"""The PDF reader's geometry (converter/pdf.py): rules, frames, grids, lines and pages.

Pages here are built by hand, as characters and ruling lines at chosen positions (PDF points,
top-left origin), or drawn into a tiny PDF with PDFium's own editing calls; the expected tables
and lines are what such a page shows a reader, worked out from the positions given.
"""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from converter.errors import InputError
from converter.pdf import (
    Char,
    Grid,
    Location,
    Rule,
    _by_position,
    _closed,
    _compose,
    _covered,
    _frames,
    _grid,
    _merge,
    _numeric_join,
    _one_line,
    _positions,
    _rules_of_subpath,
    _touches,
    _with_open_columns,
    assemble,
    cell_text,
    lines_of,
    page_items,
    read_pdf,
    text_lines,
)


def word(text: str, x: float, top: float, size: float = 10.0, advance: float | None = None) -> list[Char]:
    """A word printed from (x, top): each character `size` high and `advance` wide (default `size`)."""
    step = size if advance is None else advance
    return [Char(c, x + step * i, top, x + step * (i + 1), top + size) for i, c in enumerate(text)]


def spaced(*parts: tuple[str, float], top: float = 100.0, size: float = 10.0) -> list[Char]:
    """Characters one after another on one line, each preceded by the gap given with it."""
    chars: list[Char] = []
    x = 0.0
    for text, gap in parts:
        x += gap
        chars.append(Char(text, x, top, x + size, top + size))
        x += size
    return chars


def texts(lines: list[list[Char]]) -> list[str]:
    return ["".join(c.text for c in line) for line in lines]


# --- boxes and signatures -------------------------------------------------------------------------


def test_a_box_drawn_past_the_page_edge_is_cut_at_the_edge():
    assert Location(1, -3.0, -0.5, 100.06, 20.0).bbox == "0.0,0.0,100.1,20.0"
    assert Location(2, 12.34, 56.78, -0.4, -2.0).bbox == "12.3,56.8,0.0,0.0"
    assert Location(1, 0.6, 0.7, 0.8, 0.9).bbox == "0.6,0.7,0.8,0.9"


def test_a_character_box_gives_its_middle_and_height():
    char = Char("合", 10.0, 20.0, 30.0, 60.0)
    assert (char.cx, char.cy, char.height) == (20.0, 40.0, 40.0)


def test_columns_a_point_apart_have_one_signature_and_other_columns_another():
    grid = Grid([100.0, 120.0], [100.0, 202.0, 306.0], [["a", "b"]], [(100.0, 120.0)])
    moved = Grid([300.0, 320.0], [101.0, 201.0, 305.0], [["c", "d"]], [(300.0, 320.0)])
    other = Grid([300.0, 320.0], [100.0, 230.0, 306.0], [["c", "d"]], [(300.0, 320.0)])
    assert grid.signature() == (25, 50, 76)  # 100/4, 202/4 = 50.5 rounds to even, 306/4 = 76.5 too
    assert moved.signature() == grid.signature() and other.signature() != grid.signature()
    assert grid.top == 100.0 and moved.top == 300.0


# --- ruling lines -------------------------------------------------------------------------------


def test_composing_matrices_applies_the_inner_one_first():
    inner = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
    outer = (7.0, 8.0, 9.0, 10.0, 11.0, 12.0)
    # the point (1, 1): inner gives (1 + 3 + 5, 2 + 4 + 6) = (9, 12); outer then gives
    # (9*7 + 12*9 + 11, 9*8 + 12*10 + 12) = (182, 204)
    a, b, c, d, e, f = _compose(inner, outer)
    assert (a + c + e, b + d + f) == (182.0, 204.0)
    assert (a, b, c, d, e, f) == (25.0, 28.0, 57.0, 64.0, 100.0, 112.0)


def rules_of(points: list[tuple[float, float]], height: float = 800.0) -> tuple[list[Rule], list[Rule]]:
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    _rules_of_subpath(points, height, horizontal, vertical)
    return horizontal, vertical


def test_a_thin_filled_rectangle_is_one_rule_along_its_middle():
    # 200 wide, 1 high, drawn with its bottom at y = 699 (PDF space): top-left y is 800 - 700 .. 800 - 699
    horizontal, vertical = rules_of([(100, 699), (300, 699), (300, 700), (100, 700), (100, 699)])
    assert horizontal == [Rule(100.5, 100, 300)] and vertical == []
    # 3 wide (THIN) and 50 high: a vertical rule at x = 51.5 from top 100 to 150
    horizontal, vertical = rules_of([(50, 650), (53, 650), (53, 700), (50, 700), (50, 650)])
    assert horizontal == [] and vertical == [Rule(51.5, 100, 150)]


def test_a_rectangle_thicker_than_a_rule_is_four_rules_its_sides():
    horizontal, vertical = rules_of([(50, 650), (53.5, 650), (53.5, 700), (50, 700), (50, 650)])
    assert horizontal == [] and vertical == [Rule(53.5, 100, 150), Rule(50, 100, 150)]
    horizontal, vertical = rules_of([(10, 700), (110, 700), (110, 750), (10, 750), (10, 700)])
    assert horizontal == [Rule(100, 10, 110), Rule(50, 10, 110)]
    assert vertical == [Rule(110, 50, 100), Rule(10, 50, 100)]


def test_a_rectangle_as_thin_as_a_rule_either_way_is_one_rule():
    # 100 wide and 3 high (THIN): one rule along its middle, not its two long sides
    horizontal, vertical = rules_of([(0, 700), (100, 700), (100, 703), (0, 703), (0, 700)])
    assert horizontal == [Rule(98.5, 0, 100)] and vertical == []


def test_the_sides_of_a_box_are_rules_from_four_points_long():
    # 10 wide and 4 high, then 4 wide and 10 high: thicker than a rule, so four sides; the 4-point sides count
    horizontal, vertical = rules_of([(0, 700), (10, 700), (10, 704), (0, 704), (0, 700)])
    assert horizontal == [Rule(100, 0, 10), Rule(96, 0, 10)] and vertical == [Rule(10, 96, 100), Rule(0, 96, 100)]
    horizontal, vertical = rules_of([(0, 700), (4, 700), (4, 710), (0, 710), (0, 700)])
    assert horizontal == [Rule(100, 0, 4), Rule(90, 0, 4)] and vertical == [Rule(4, 90, 100), Rule(0, 90, 100)]


def test_marks_shorter_than_a_rule_are_no_rules():
    assert rules_of([(10, 700), (13.9, 700)]) == ([], [])  # a dash of a dotted leader
    assert rules_of([(10, 700), (14, 700)]) == ([Rule(100, 10, 14)], [])  # MIN_RULE long
    assert rules_of([(10, 700), (10, 703.9)]) == ([], [])
    assert rules_of([(10, 700), (10, 704)]) == ([], [Rule(10, 96, 100)])
    assert rules_of([(10, 700), (12, 700), (12, 701), (10, 701)]) == ([], [])  # a dot


def test_a_long_path_of_short_thin_extent_is_read_segment_by_segment():
    # seven points, all on one line: not a rectangle; the three long segments are rules, the short one not
    points = [(0, 700), (10, 700), (30, 700), (33, 700), (60, 700), (60, 700.25), (0, 700.25)]
    horizontal, vertical = rules_of(points)
    assert horizontal == [Rule(100, 0, 10), Rule(100, 10, 30), Rule(100, 33, 60), Rule(99.75, 0, 60)]
    assert vertical == []


def test_a_segment_nearly_level_is_a_rule_one_that_slants_is_not():
    # within half a point of level (or upright): a rule along the segment's middle
    horizontal, vertical = rules_of([(0, 700), (100, 700.25), (100, 600), (99.75, 500), (0, 500), (0, 700)])
    assert horizontal == [Rule(99.875, 0, 100), Rule(300, 0, 99.75)]
    assert vertical == [Rule(100, 99.75, 200), Rule(99.875, 200, 300), Rule(0, 100, 300)]
    horizontal, vertical = rules_of([(0, 700), (100, 700.5), (100.5, 600), (100.5, 500), (0, 500), (0, 600)])
    assert horizontal == [Rule(300, 0, 100.5)] and vertical == [Rule(100.5, 200, 300), Rule(0, 200, 300)]


def test_rules_on_one_line_that_touch_are_merged():
    rules = [Rule(100, 0, 50), Rule(101.5, 52, 90), Rule(100, 94, 120), Rule(103, 0, 10), Rule(100, 10, 20)]
    # 100, 100, 101.5 are one line (within SNAP of the first), at their mean 100.5; 103 is 3 from 100
    # 0..50 and 52..90 touch (2 apart, within JOIN), 94 is 4 past 90: a second rule; 10..20 lies inside
    assert _merge(rules) == [Rule(100.375, 0, 90), Rule(100.375, 94, 120), Rule(103, 0, 10)]
    assert _merge([Rule(10, 0, 10), Rule(12, 13, 20)]) == [Rule(11, 0, 20)]  # SNAP and JOIN apart exactly
    assert _merge([Rule(10, 0, 10), Rule(12.5, 13, 20)]) == [Rule(10, 0, 10), Rule(12.5, 13, 20)]
    assert _merge([Rule(10, 0, 10), Rule(10, 13.5, 20)]) == [Rule(10, 0, 10), Rule(10, 13.5, 20)]


# --- frames -------------------------------------------------------------------------------------


def test_rules_touch_within_three_points_of_their_ends():
    h = Rule(100, 10, 200)
    assert _touches(h, Rule(203, 97, 300)) and _touches(h, Rule(7, 0, 97))
    assert not _touches(h, Rule(203.5, 0, 300)) and not _touches(h, Rule(6.5, 0, 300))
    assert not _touches(h, Rule(50, 103.5, 300)) and not _touches(h, Rule(50, 0, 96.5))
    assert _touches(h, Rule(50, 103, 300)) and _touches(h, Rule(50, 0, 97))


def test_each_group_of_touching_rules_is_a_frame_top_to_bottom():
    lower_h = [Rule(300, 0, 100), Rule(400, 0, 100)]
    lower_v = [Rule(0, 300, 400), Rule(100, 300, 400)]
    upper_h = [Rule(100, 0, 100), Rule(200, 0, 100)]
    upper_v = [Rule(0, 100, 200), Rule(100, 100, 200)]
    stray_h = [Rule(500, 0, 100)]
    stray_v = [Rule(0, 480, 520)]  # one rule each way: an underline and a tick, no table
    frames = _frames(lower_h + upper_h + stray_h, lower_v + upper_v + stray_v)
    assert frames == [(upper_h, upper_v), (lower_h, lower_v)]
    # two rules one way and one the other: a bracket, no table
    assert _frames([Rule(600, 0, 100), Rule(620, 0, 100)], [Rule(0, 600, 620)]) == []
    assert _frames([Rule(600, 0, 100)], [Rule(0, 580, 620), Rule(100, 580, 620)]) == []
    # side by side at one height: left first
    right_h = [Rule(100, 200, 300), Rule(200, 200, 300)]
    right_v = [Rule(200, 100, 200), Rule(300, 100, 200)]
    assert _frames(right_h + upper_h, right_v + upper_v) == [(upper_h, upper_v), (right_h, right_v)]


def test_a_frame_whose_columns_run_on_past_its_last_row_rule_is_closed_there():
    columns = [Rule(0, 100, 170), Rule(50, 100, 170), Rule(100, 100, 170)]
    rows = [Rule(100, 0, 100), Rule(150, 0, 100)]
    assert _closed(rows, columns) == [*rows, Rule(170, 0, 100)]
    upward = [Rule(0, 80, 150), Rule(50, 80, 150), Rule(100, 100, 150)]
    assert _closed(rows, upward) == [*rows, Rule(80, 0, 100)]
    # five points past: not yet open; one column alone past the rule: a stray rule
    assert _closed(rows, [Rule(0, 95, 155), Rule(100, 95, 155)]) == rows
    assert _closed(rows, [Rule(0, 100, 170), Rule(100, 100, 150)]) == rows
    assert _closed(rows, [Rule(0, 80, 150), Rule(100, 100, 150)]) == rows
    assert _closed(rows, [Rule(0, 100, 170), Rule(100, 100, 170)]) == [*rows, Rule(170, 0, 100)]
    assert _closed(rows, [Rule(0, 80, 150), Rule(100, 80, 150)]) == [*rows, Rule(80, 0, 100)]
    assert _closed(rows, [Rule(0, 80, 170)]) == rows


def test_column_rules_as_high_as_a_frame_beside_it_join_it():
    frame_h = [Rule(100, 300, 500), Rule(200, 300, 500)]
    frame_v = [Rule(300, 100, 200), Rule(500, 100, 200)]
    beside = [Rule(100, 102, 198), Rule(200, 98, 202)]  # within SNAP of the frame's top and bottom
    elsewhere = [Rule(600, 100, 150), Rule(700, 100, 150)]
    frames = _with_open_columns([(frame_h, frame_v)], frame_v + beside + elsewhere)
    assert frames == [(frame_h + [Rule(100, 100, 500), Rule(200, 100, 500)], frame_v + beside)]
    too_short = [Rule(100, 102.5, 198), Rule(200, 98, 202)]
    assert _with_open_columns([(frame_h, frame_v)], frame_v + too_short) == [(frame_h, frame_v)]
    one = [Rule(100, 100, 200)]
    assert _with_open_columns([(frame_h, frame_v)], frame_v + one) == [(frame_h, frame_v)]


def test_columns_beside_a_frame_join_only_the_first_frame_they_fit():
    first = ([Rule(100, 300, 500), Rule(200, 300, 500)], [Rule(300, 100, 200), Rule(500, 100, 200)])
    second = ([Rule(100, 700, 900), Rule(200, 700, 900)], [Rule(700, 100, 200), Rule(900, 100, 200)])
    beside = [Rule(100, 100, 200), Rule(200, 100, 200)]
    frames = _with_open_columns([first, second], first[1] + second[1] + beside)
    assert frames[0][1] == first[1] + beside and frames[1] == second


def test_rule_positions_within_two_points_are_one():
    assert _positions([Rule(120, 0, 1), Rule(100, 0, 1), Rule(102, 0, 1), Rule(104.5, 0, 1)]) == [100, 104.5, 120]
    assert _positions([Rule(100, 0, 1), Rule(102.5, 0, 1)]) == [100, 102.5]


def test_a_rule_counts_at_its_nearest_position_the_earlier_on_a_tie():
    spans = _by_position([Rule(110, 0, 10), Rule(110.5, 20, 30), Rule(130, 40, 50), Rule(90, 60, 70)], [100, 120])
    assert spans == [[(-3, 13), (57, 73)], [(17, 33), (37, 53)]]
    assert _covered([(10, 20)], 20) and _covered([(10, 20)], 10) and _covered([(0, 1), (10, 20)], 15)
    assert not _covered([(10, 20)], 20.5) and not _covered([(10, 20)], 9.5) and not _covered([], 0)


# --- characters into lines -------------------------------------------------------------------


def test_characters_are_lines_top_to_bottom_each_left_to_right():
    chars = word("金额", 200, 102) + word("合计", 100, 100) + word("说明", 100, 108) + word("其中", 100, 130)
    assert texts(lines_of(list(reversed(chars)))) == ["合计金额", "说明", "其中"]
    # 合计 (100-110) and 金额 (102-112) overlap by 8 of 10; 说明 (108-118) overlaps the line 100-112 by 4


def test_a_character_overlapping_half_its_height_joins_the_line():
    half = word("合计", 0, 100) + word("一", 30, 105)
    assert texts(lines_of(half)) == ["合计一"]
    less = word("合计", 0, 100) + word("一", 30, 105.5)
    assert texts(lines_of(less)) == ["合计", "一"]
    # a small character reaching half of its own height into a taller line joins it
    small = word("合计", 0, 100, size=20) + word("1", 50, 117, size=6)
    assert texts(lines_of(small)) == ["合计1"]
    assert texts(lines_of(word("合计", 0, 100, size=20) + word("1", 50, 117.5, size=6))) == ["合计", "1"]


def test_punctuation_touching_a_line_belongs_to_it():
    # 1,3 at 100-110; the comma drawn low at 109-112 touches the line by 1
    chars = word("1", 0, 100) + [Char(",", 10, 109, 12, 112)] + word("3", 12, 100)
    assert texts(lines_of(chars)) == ["1,3"]
    letter = word("1", 0, 100) + [Char("x", 10, 109, 12, 112)] + word("3", 12, 100)
    assert texts(lines_of(letter)) == ["13", "x"]
    touching = word("1", 0, 100) + [Char(",", 10, 110, 12, 113)]  # only touching the edge: not on it
    assert texts(lines_of(touching)) == ["1", ","]


def test_a_line_widens_to_its_characters():
    # 甲 100-110, 乙 104-114 (overlap 6): the line is 100-114; 丙 at 108.5-118.5 overlaps it by 5.5
    chars = word("甲", 0, 100) + word("乙", 10, 104) + word("丙", 20, 108.5)
    assert texts(lines_of(chars)) == ["甲乙丙"]


def test_gaps_in_a_line_of_text_are_spaces_and_wide_gaps_two():
    # text_lines: a gap over 0.3 of the height (10) is a space, over 2 heights two spaces
    line = spaced(("单", 0), ("位", 3), ("：", 3.5), ("元", 20), ("编", 20.5))
    assert [t[0] for t in text_lines(line)] == ["单位 ： 元  编"]
    [(text, x0, top, x1, bottom)] = text_lines(spaced(("A", 5), ("B", 0), top=50))
    assert (text, x0, top, x1, bottom) == ("AB", 5, 50, 25, 60)


def test_the_digits_of_a_spaced_out_number_stay_one_number_in_text():
    # digits and separators closer than one height (10) join; a wider gap is a space
    number = spaced(("1", 0), ("，", 9.9), ("2", 9.9), ("．", 4), ("5", 4), ("0", 0), ("年", 4))
    assert [t[0] for t in text_lines(number)] == ["1，2．50 年"]
    apart = spaced(("1", 0), ("2", 10), ("3", 10.5))
    assert [t[0] for t in text_lines(apart)] == ["1 2 3"]
    letters = spaced(("a", 0), (",", 5), ("b", 5))
    assert [t[0] for t in text_lines(letters)] == ["a , b"]


def test_tiny_characters_are_spaced_as_if_one_point_high():
    chars = [Char("a", 0, 100, 0.5, 100.2), Char("b", 0.85, 100, 1.35, 100.2), Char("c", 1.6, 100, 2.1, 100.2)]
    assert [t[0] for t in text_lines(chars)] == ["a bc"]  # gaps 0.3 of 1 point is the limit


def test_cell_text_joins_wrapped_lines_and_spaces_wide_gaps():
    assert cell_text([]) == ""
    assert cell_text(word("一般公共", 0, 100) + word("服务支出", 0, 112)) == "一般公共服务支出"
    assert cell_text(word("Total", 0, 100, advance=6) + word("amount", 0, 112, advance=6)) == "Total amount"
    assert cell_text(word("A,", 0, 100) + word("B", 0, 112)) == "A,B"
    assert cell_text(word("12", 0, 100) + word("34", 0, 112)) == "1234"
    assert cell_text(word("AB", 0, 100) + word("1", 0, 112)) == "AB1"
    # within a line: a gap over half the height (10) is a space; digits never part however far apart
    assert cell_text(spaced(("项", 0), ("目", 5), ("名", 5.5))) == "项目 名"
    assert cell_text(spaced(("1", 0), ("2", 40), (".", 6), ("5", 30))) == "12.5"


def test_a_space_between_wrapped_lines_only_between_latin_letters():
    def wrapped(first: str, second: str) -> str:
        return cell_text(word(first, 0, 100, advance=6) + word(second, 0, 112, advance=6))

    assert wrapped("合计A", "B") == "合计A B"
    assert wrapped("A1B", "C") == "A1B C"
    assert wrapped("Total", "A1") == "Total A1"
    assert wrapped("Total", "1A") == "Total1A"


def test_tiny_characters_in_a_cell_are_spaced_by_their_own_height():
    # 0.2 high: a gap over 0.1 is a space within a cell
    chars = [Char("a", 0, 100, 0.5, 100.2), Char("b", 0.65, 100, 1.15, 100.2), Char("c", 1.2, 100, 1.7, 100.2)]
    assert cell_text(chars) == "a bc"


def test_a_gap_is_measured_against_the_taller_of_two_neighbours():
    # 甲 20 high, a 5 high, 5 apart: under 0.3 of 20, so no space, whichever comes first
    big_first = [Char("甲", 0, 100, 20, 120), Char("a", 25, 110, 30, 115)]
    small_first = [Char("a", 0, 110, 5, 115), Char("甲", 10, 100, 30, 120)]
    assert [t[0] for t in text_lines(big_first)] == ["甲a"]
    assert [t[0] for t in text_lines(small_first)] == ["a甲"]


def test_digit_and_separator_pairs():
    for before, after in [("1", "2"), (",", "3"), ("4", "."), ("，", "5"), ("6", "．"), (".", ",")]:
        assert _numeric_join(before, after), (before, after)
    for before, after in [("1", "a"), ("a", "1"), ("、", "1"), ("1", "、"), ("元", "。"), ("X", "1"), ("1", "X")]:
        assert not _numeric_join(before, after), (before, after)


def test_a_cell_keeps_to_one_line_of_the_model():
    assert _one_line("a\tb\nc\rd") == "a b c d"


# --- tables -------------------------------------------------------------------------------------

# A table from y 100 to 180, x 50 to 350: its first column's cell spans the first two rows (no
# rule at y 120 over it), its header cell 金额 spans the two amount columns (no rule at x 250 in
# the first row), and its last row is empty.
TABLE_H = [Rule(100, 50, 350), Rule(120, 150, 350), Rule(140, 50, 350), Rule(160, 50, 350), Rule(180, 50, 350)]
TABLE_V = [Rule(50, 100, 180), Rule(150, 100, 180), Rule(250, 120, 180), Rule(350, 100, 180)]
TABLE_CHARS = (
    word("项目", 80, 115)
    + word("金额", 240, 104)  # centred over the boundary the cell spans
    + word("预算", 160, 124)
    + word("决算", 260, 124)
    + word("合计", 60, 144)
    + word("1.00", 160, 144, advance=5)
    + word("2.00", 260, 144, advance=5)
)


def only_grid(items):
    grids = [item.grid for item in items if item.grid is not None]
    assert len(grids) == 1
    return grids[0]


def test_a_ruled_table_with_merged_cells():
    grid = only_grid(page_items(TABLE_CHARS, TABLE_H, TABLE_V))
    assert grid.rows == [["项目", "金额", ""], ["", "预算", "决算"], ["合计", "1.00", "2.00"]]
    assert grid.bands == [(100, 120), (120, 140), (140, 160)]  # the empty row 160-180 is left out
    assert grid.ys == [100, 120, 140, 160, 180] and grid.xs == [50, 150, 250, 350]


def test_a_cell_merged_down_and_across():
    # the first two columns of the first two rows are one cell: no rule at y 120 or x 150 over it
    horizontal = [Rule(100, 50, 350), Rule(120, 250, 350), Rule(140, 50, 350), Rule(160, 50, 350)]
    vertical = [Rule(50, 100, 160), Rule(150, 140, 160), Rule(250, 100, 160), Rule(350, 100, 160)]
    chars = word("说明", 130, 115) + word("一", 260, 104) + word("二", 260, 124)
    chars += word("合计", 60, 144) + word("3", 160, 144)
    grid = only_grid(page_items(chars, horizontal, vertical))
    assert grid.rows == [["说明", "", "一"], ["", "", "二"], ["合计", "3", ""]]


def test_characters_on_a_frame_edge_are_the_tables_those_outside_are_text():
    """A character is the table's when its middle is within a point of the frame (x 50-350, y 100-180)."""
    chars = list(TABLE_CHARS)
    taken = [
        Char("丙", 60, 94.5, 70, 104.5),  # middle y 99.5
        Char("子", 260, 94, 270, 104),  # middle y 99: on the limit
        Char("甲", 345.5, 144, 355.5, 154),  # middle x 350.5
        Char("丑", 346, 164, 356, 174),  # middle x 351: on the limit
        Char("戊", 44.5, 164, 54.5, 174),  # middle x 49.5
        Char("寅", 44, 144, 54, 154),  # middle x 49: on the limit
        Char("丁", 60, 175.5, 70, 185.5),  # middle y 180.5
        Char("卯", 160, 176, 170, 186),  # middle y 181: on the limit
    ]
    outside = [
        Char("辰", 300, 93.5, 310, 103.5),  # middle y 98.5
        Char("乙", 346.5, 124, 356.5, 134),  # middle x 351.5
        Char("己", 43.5, 144, 53.5, 154),  # middle x 48.5
        Char("巳", 300, 176.5, 310, 186.5),  # middle y 181.5
    ]
    items = page_items(chars + taken + outside, TABLE_H, TABLE_V)
    grid = only_grid(items)
    assert grid.rows == [
        ["丙项目", "子金额", ""],
        ["", "预算", "决算"],
        ["寅 合计", "1.00", "2.00 甲"],
        ["戊丁", "卯", "丑"],
    ]
    assert [item.text for item in items if item.grid is None] == ["辰", "乙", "己", "巳"]
    assert grid.bands[-1] == (160, 180)


def test_a_cell_merged_down_over_the_last_rows():
    # two columns, three rows; no rule at y 140 over the second column: its last two rows are one cell
    horizontal = [Rule(100, 50, 250), Rule(120, 50, 250), Rule(140, 50, 150), Rule(160, 50, 250)]
    vertical = [Rule(50, 100, 160), Rule(150, 100, 160), Rule(250, 100, 160)]
    chars = word("甲", 60, 124) + word("乙", 60, 144) + word("合并", 160, 135) + word("项", 60, 104)
    grid = only_grid(page_items(chars, horizontal, vertical))
    assert grid.rows == [["项", ""], ["甲", "合并"], ["乙", ""]]


def test_rules_drawn_slightly_apart_are_one_column_boundary():
    # the rule between the first two columns is drawn at x 150 down to y 140 and at 151.5 below it
    vertical = [Rule(50, 100, 180), Rule(150, 100, 140), Rule(151.5, 140, 180), Rule(250, 120, 180)]
    grid, taken = _grid(TABLE_H, [*vertical, Rule(350, 100, 180)], TABLE_CHARS)
    assert grid.xs == [50, 150, 250, 350]
    assert grid.rows == [["项目", "金额", ""], ["", "预算", "决算"], ["合计", "1.00", "2.00"]]
    assert taken == set(range(len(TABLE_CHARS)))


def test_text_at_a_tables_height_comes_before_it_and_tables_keep_their_order():
    title = word("表一", 0, 100)  # left of the frame, at its top
    lower_h, lower_v = [Rule(300, 50, 150), Rule(320, 50, 150)], [Rule(50, 300, 320), Rule(150, 300, 320)]
    items = page_items(word("乙", 60, 304) + TABLE_CHARS + title, TABLE_H + lower_h, lower_v + TABLE_V)
    assert [(item.top, item.grid is not None) for item in items] == [(100, False), (100, True), (300, True)]
    assert items[0].text == "表一" and items[0].box == (0, 100, 20, 110)
    assert items[1].grid is not None and items[1].grid.rows[0] == ["项目", "金额", ""]
    assert items[2].grid is not None and items[2].grid.rows == [["乙"]]


# --- pages into the document model ---------------------------------------------------------------

COLUMNS = [50.0, 150.0, 250.0]


def ruled(rows: list[list[str]], top: float, xs: list[float] = COLUMNS) -> tuple[list[Char], list[Rule], list[Rule]]:
    """A table of 20-point rows from `top`, one column between each two of `xs`, each cell's text at its top-left."""
    bottom = top + 20 * len(rows)
    horizontal = [Rule(top + 20 * i, xs[0], xs[-1]) for i in range(len(rows) + 1)]
    vertical = [Rule(x, top, bottom) for x in xs]
    chars = [
        c for i, row in enumerate(rows) for j, text in enumerate(row) for c in word(text, xs[j] + 5, top + 20 * i + 5)
    ]
    return chars, horizontal, vertical


def page(
    *parts: tuple[list[Char], list[Rule], list[Rule]] | tuple[str, float],
) -> tuple[list[Char], list[Rule], list[Rule]]:
    """A page of tables (from `ruled`) and text lines (text, top), the text at x 50."""
    chars: list[Char] = []
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    for part in parts:
        if isinstance(part[0], str):
            text, top = part
            chars += word(text, 50, top)
        else:
            chars += part[0]
            horizontal += part[1]
            vertical += part[2]
    return chars, horizontal, vertical


def model(lines) -> list[tuple[str, int]]:
    return [(line.text, line.location.page) for line in lines]


HEADER = ["项目", "金额"]


def test_a_table_continued_on_the_next_page_is_one_run_without_its_title_and_header_again():
    first = page(
        ("表1支出总表", 40), ("单位万元", 60), ruled([HEADER, ["合计", "3.00"], ["甲", "1.00"]], 100), ("1", 750)
    )
    second = page(("— 2 —", 20), ("单位万元", 60), ruled([HEADER, ["乙", "2.00"]], 100))
    lines = assemble([first, second])
    assert model(lines) == [
        ("表1支出总表", 1),
        ("单位万元", 1),
        ("项目\t金额", 1),
        ("合计\t3.00", 1),
        ("甲\t1.00", 1),
        ("1", 1),
        ("乙\t2.00", 2),
    ]
    assert lines[2].location == Location(1, 50, 100, 250, 120)
    assert lines[-1].location == Location(2, 50, 120, 250, 140)
    assert lines[0].location == Location(1, 50, 40, 110, 50)


def test_a_blank_page_between_two_tables():
    first = page(ruled([HEADER, ["甲", "1.00"]], 100))
    second = page(ruled([HEADER, ["乙", "2.00"]], 100))
    assert model(assemble([first, ([], [], []), second])) == [
        ("项目\t金额", 1),
        ("甲\t1.00", 1),
        ("项目\t金额", 3),
        ("乙\t2.00", 3),
    ]


def test_a_table_with_other_columns_on_the_next_page_is_another_table():
    first = page(("表1支出总表", 40), ruled([HEADER, ["甲", "1.00"]], 100))
    second = page(ruled([HEADER, ["乙", "2.00"]], 100, [50.0, 150.0, 300.0]))
    assert model(assemble([first, second])) == [
        ("表1支出总表", 1),
        ("项目\t金额", 1),
        ("甲\t1.00", 1),
        ("项目\t金额", 2),
        ("乙\t2.00", 2),
    ]


def test_a_table_followed_by_text_is_not_continued_on_the_next_page():
    first = page(ruled([HEADER, ["甲", "1.00"]], 100), ("注本表无数据", 200))
    second = page(ruled([HEADER, ["乙", "2.00"]], 100))
    assert model(assemble([first, second]))[2:] == [("注本表无数据", 1), ("项目\t金额", 2), ("乙\t2.00", 2)]


def test_a_table_under_new_text_on_the_next_page_is_another_table():
    first = page(("表1支出总表", 40), ruled([HEADER, ["甲", "1.00"]], 100))
    second = page(("表2收入总表", 40), ruled([HEADER, ["乙", "2.00"]], 100))
    assert model(assemble([first, second]))[3:] == [("表2收入总表", 2), ("项目\t金额", 2), ("乙\t2.00", 2)]


def test_only_the_last_four_lines_above_a_table_are_what_a_continued_page_may_repeat():
    above = [("甲一", 20), ("甲二", 35), ("甲三", 50), ("甲四", 65), ("甲五", 80)]
    first = page(*above, ruled([HEADER, ["甲", "1.00"]], 100))
    again = page(("甲二", 20), ("甲五", 35), ruled([HEADER, ["乙", "2.00"]], 100))
    assert model(assemble([first, again]))[-1:] == [("乙\t2.00", 2)]
    assert len(assemble([first, again])) == 8
    not_again = page(("甲一", 20), ruled([HEADER, ["乙", "2.00"]], 100))
    assert model(assemble([first, not_again]))[-3:] == [("甲一", 2), ("项目\t金额", 2), ("乙\t2.00", 2)]


def test_a_continued_table_goes_on_over_a_third_page_with_its_first_pages_header():
    first = page(("表1", 40), ruled([HEADER, ["甲", "1.00"]], 100))
    second = page(ruled([HEADER, ["乙", "2.00"]], 100))
    third = page(("表1", 40), ruled([HEADER, ["丙", "3.00"]], 100))
    assert model(assemble([first, second, third]))[3:] == [("乙\t2.00", 2), ("丙\t3.00", 3)]


def test_only_a_pages_first_table_continues_and_only_the_repeated_header_rows_are_dropped():
    first = page(ruled([HEADER, ["预算数", "决算数"], ["甲", "1.00"]], 100))
    second = page(ruled([HEADER, ["乙", "决算数"], ["丙", "3.00"]], 100), ruled([HEADER, ["丁", "4.00"]], 300))
    assert model(assemble([first, second]))[3:] == [
        ("乙\t决算数", 2),
        ("丙\t3.00", 2),
        ("项目\t金额", 2),
        ("丁\t4.00", 2),
    ]


def test_a_header_repeated_in_full_is_dropped_however_many_rows_it_has():
    header = [HEADER, ["预算数", "决算数"], ["一", "二"]]
    first = page(ruled([*header, ["甲", "1.00"]], 100))
    second = page(ruled([*header, ["乙", "2.00"]], 100))
    assert model(assemble([first, second]))[4:] == [("乙\t2.00", 2)]
    short = page(ruled([HEADER], 100))  # a page holding the header only: nothing is left of it
    assert model(assemble([first, short, second]))[4:] == [("乙\t2.00", 3)]


def test_text_between_two_tables_is_the_second_ones_context():
    first = page(ruled([HEADER, ["甲", "1.00"]], 100), ("表2", 200), ruled([HEADER, ["乙", "2.00"]], 250))
    second = page(("表2", 40), ruled([HEADER, ["丙", "3.00"]], 100))
    assert model(assemble([first, second]))[-2:] == [("乙\t2.00", 1), ("丙\t3.00", 2)]


# --- drawn PDFs ---------------------------------------------------------------------------------

WIDTH, HEIGHT = 600.0, 800.0


class Drawing:
    """A one-page PDF drawn with PDFium's editing calls; coordinates in PDF space (origin bottom-left)."""

    def __init__(self) -> None:
        self.document = pdfium.PdfDocument.new()
        self.page = self.document.new_page(WIDTH, HEIGHT)
        self.font = raw.FPDFText_LoadStandardFont(self.document.raw, b"Helvetica")

    def path(
        self,
        *subpaths: list[tuple[float, float]],
        stroke: tuple[int, int, int] | None = (0, 0, 0),
        fill: tuple[int, int, int] | None = None,
        close: bool = False,
        on: object = None,
    ) -> None:
        obj = raw.FPDFPageObj_CreateNewPath(*subpaths[0][0])
        for k, points in enumerate(subpaths):
            if k:
                raw.FPDFPath_MoveTo(obj, *points[0])
            for x, y in points[1:]:
                raw.FPDFPath_LineTo(obj, x, y)
            if close:
                raw.FPDFPath_Close(obj)
        if stroke is not None:
            raw.FPDFPageObj_SetStrokeColor(obj, *stroke, 255)
        if fill is not None:
            raw.FPDFPageObj_SetFillColor(obj, *fill, 255)
        raw.FPDFPath_SetDrawMode(obj, raw.FPDF_FILLMODE_WINDING if fill is not None else 0, stroke is not None)
        raw.FPDFPage_InsertObject(on or self.page.raw, obj)

    def text(self, text: str, x: float, y: float, size: float = 10.0) -> None:
        obj = raw.FPDFPageObj_CreateTextObj(self.document.raw, self.font, ctypes.c_float(size))
        encoded = (text + "\0").encode("utf-16-le")
        raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(encoded), ctypes.POINTER(ctypes.c_ushort)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        raw.FPDFPage_InsertObject(self.page.raw, obj)

    def bytes(self) -> bytes:
        raw.FPDFPage_GenerateContent(self.page.raw)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def page_rules(data: bytes) -> tuple[list[Rule], list[Rule]]:
    """The rules the reader finds on the first page of a PDF."""
    from converter.pdf import _page_geometry

    buffer = ctypes.create_string_buffer(data, len(data))
    pdf = raw.FPDF_LoadMemDocument64(buffer, len(data), None)
    try:
        _, horizontal, vertical = _page_geometry(raw, pdf, 0)
    finally:
        raw.FPDF_CloseDocument(pdf)
    return horizontal, vertical


def test_a_table_drawn_with_lines_reads_row_by_row():
    drawing = Drawing()
    for y in (700, 680, 660):  # rows 20 high: top-left y 100, 120, 140
        drawing.path([(50, y), (250, y)])
    for x in (50, 150, 250):
        drawing.path([(x, 700), (x, 660)])
    drawing.text("Item", 55, 685)
    drawing.text("Amount", 155, 685)
    drawing.text("Total", 55, 665)
    drawing.text("3.50", 155, 665)
    drawing.text("Note", 55, 600)
    document = read_pdf(Path("drawn.pdf"), drawing.bytes())
    assert [line.text for line in document.lines] == ["Item\tAmount", "Total\t3.50", "Note"]
    assert document.pages == 1 and document.chars == len("ItemAmountTotal3.50Note")
    assert document.lines[1].location == Location(1, 50, 120, 250, 140)
    note = document.lines[2].location
    assert 55 <= note.x0 < note.x1 < 80 and 190 < note.top < note.bottom < 201  # baseline at 800 - 600


def test_white_paths_and_clipping_paths_are_no_rules():
    drawing = Drawing()
    stroked = [(0, 0, 0), (250, 250, 250), (245, 245, 245), (244, 250, 250), (250, 244, 250), (250, 250, 244)]
    for k, colour in enumerate(stroked):  # lines at y 700, 690 … (top-left 100, 110 …)
        drawing.path([(50, 700 - 10 * k), (250, 700 - 10 * k)], stroke=colour)
    filled = [(0, 0, 0), (255, 255, 255), (245, 245, 245), (244, 255, 255), (255, 244, 255), (255, 255, 244)]
    for k, colour in enumerate(filled):  # thin bars at y 500-501, 490-491 … (top-left 299.5, 309.5 …)
        y = 500 - 10 * k
        drawing.path([(50, y), (250, y), (250, y + 1), (50, y + 1)], stroke=None, fill=colour, close=True)
    drawing.path([(50, 400), (250, 400), (250, 401), (50, 401)], stroke=(255, 255, 255), fill=(0, 0, 0), close=True)
    drawing.path([(50, 350), (250, 350)], stroke=None)  # neither stroked nor filled: a clipping path
    horizontal, vertical = page_rules(drawing.bytes())
    # a white line hides and a white fill is background (245 and up on every channel); a black bar
    # outlined in white is still a bar
    assert sorted(r.at for r in horizontal) == [100, 130, 140, 150, 299.5, 329.5, 339.5, 349.5, 399.5]
    assert vertical == [] and all((r.start, r.end) == (50, 250) for r in horizontal)


def test_a_frame_around_the_whole_page_is_no_table():
    drawing = Drawing()
    drawing.path([(10, 10), (590, 10), (590, 790), (10, 790)], close=True)  # 97% of the page
    drawing.path([(100, 100), (200, 100), (200, 200), (100, 200)], close=True)
    horizontal, vertical = page_rules(drawing.bytes())
    assert sorted((r.at, r.start, r.end) for r in horizontal) == [(600, 100, 200), (700, 100, 200)]
    assert sorted((r.at, r.start, r.end) for r in vertical) == [(100, 600, 700), (200, 600, 700)]


def test_each_subpath_of_a_path_is_read_and_a_lone_point_is_not():
    drawing = Drawing()
    drawing.path([(50, 700), (250, 700)], [(60, 690)], [(50, 600), (50, 650)], [(300, 600), (400, 600)])
    horizontal, vertical = page_rules(drawing.bytes())
    assert sorted((r.at, r.start, r.end) for r in horizontal) == [(100, 50, 250), (200, 300, 400)]
    assert [(r.at, r.start, r.end) for r in vertical] == [(50, 150, 200)]


def test_subpaths_are_not_joined_into_one():
    drawing = Drawing()
    # the second subpath starts 50 below where the first ends: no rule between them
    drawing.path([(50, 700), (250, 700)], [(250, 650), (350, 650)])
    horizontal, vertical = page_rules(drawing.bytes())
    assert sorted((r.at, r.start, r.end) for r in horizontal) == [(100, 50, 250), (150, 250, 350)]
    assert vertical == []


def test_a_rotated_path_is_placed_by_its_matrix():
    drawing = Drawing()
    obj = raw.FPDFPageObj_CreateNewPath(0, 50)
    raw.FPDFPath_LineTo(obj, 100, 50)
    raw.FPDFPath_SetDrawMode(obj, 0, True)
    # turned a quarter to the left, then moved by (300, 300): (x, y) -> (300 - y, 300 + x)
    raw.FPDFPageObj_Transform(obj, 0, 1, -1, 0, 300, 300)
    raw.FPDFPage_InsertObject(drawing.page.raw, obj)
    horizontal, vertical = page_rules(drawing.bytes())
    assert horizontal == [] and [(r.at, r.start, r.end) for r in vertical] == [(250, 400, 500)]


def test_closed_subpaths_end_at_their_start():
    drawing = Drawing()
    # two outlines in one path, each closed without drawing its last side
    drawing.path([(100, 600), (200, 600), (200, 700), (100, 700)], [(300, 600), (400, 600), (400, 700)], close=True)
    horizontal, vertical = page_rules(drawing.bytes())
    assert sorted((r.at, r.start, r.end) for r in horizontal) == [(100, 100, 200), (200, 100, 200), (200, 300, 400)]
    assert sorted((r.at, r.start, r.end) for r in vertical) == [(100, 100, 200), (200, 100, 200), (400, 100, 200)]


def test_rules_inside_a_form_are_placed_by_the_forms_matrix_and_their_own():
    source = Drawing()
    source.path([(0, 0), (100, 0)])
    source.bytes()
    drawing = Drawing()
    xobject = raw.FPDF_NewXObjectFromPage(drawing.document.raw, source.document.raw, 0)
    form = raw.FPDF_NewFormObjectFromXObject(xobject)
    raw.FPDF_CloseXObject(xobject)
    raw.FPDFPageObj_Transform(form, 0.5, 0, 0, 0.5, 100, 200)  # halved, then moved by (100, 200)
    raw.FPDFPage_InsertObject(drawing.page.raw, form)
    horizontal, vertical = page_rules(drawing.bytes())
    # (0, 0)-(100, 0) on the form's page is (100, 200)-(150, 200) on this one: top-left y 600
    assert [(r.at, r.start, r.end) for r in horizontal] == [(600, 100, 150)] and vertical == []


def test_text_off_the_page_is_not_read():
    drawing = Drawing()
    drawing.text("ABC", 100, 700)
    drawing.text("Hidden", 100, 820)  # above the page's top edge
    drawing.text("Left", -200, 600)
    drawing.text("Right", 700, 600)
    drawing.text("Low", 100, -30)
    document = read_pdf(Path("drawn.pdf"), drawing.bytes())
    assert document.chars == 3 and [line.text.replace(" ", "") for line in document.lines] == ["ABC"]


def test_a_pdf_that_is_not_one_is_an_input_error():
    with pytest.raises(InputError) as error:
        read_pdf(Path("cut.pdf"), b"%PDF-1.7\n" + b"0" * 200)
    assert "cut.pdf" in str(error.value) and "damaged or cut off" in str(error.value)


def locked_pdf() -> bytes:
    """A one-page PDF encrypted with a user password (the standard security handler's /U entry
    matches no empty password)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    identifier = b"<" + b"00" * 16 + b">"
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>\n" % (
        len(objects) + 1,
        identifier,
        identifier,
    )
    return out + b"startxref\n%d\n%%%%EOF\n" % xref


def test_a_password_protected_pdf_is_an_input_error_saying_so():
    with pytest.raises(InputError) as error:
        read_pdf(Path("locked.pdf"), locked_pdf())
    assert str(error.value) == "locked.pdf: the PDF is password-protected; it cannot be read without the password"
    with pytest.raises(InputError) as error:
        read_pdf(Path("cut.pdf"), locked_pdf()[:300])
    assert str(error.value) == "cut.pdf: the file starts like a PDF but cannot be read as one (damaged or cut off)"


def test_a_frame_of_most_of_the_page_is_skipped_and_the_other_subpaths_of_its_path_kept():
    drawing = Drawing()
    # one path: a frame of 600 x 650 (81% of the page), then a 100-point box
    drawing.path(
        [(0, 50), (600, 50), (600, 700), (0, 700)], [(100, 100), (200, 100), (200, 200), (100, 200)], close=True
    )
    horizontal, vertical = page_rules(drawing.bytes())
    assert sorted((r.at, r.start, r.end) for r in horizontal) == [(600, 100, 200), (700, 100, 200)]
    assert len(vertical) == 2


def test_a_tall_frame_of_less_than_four_fifths_of_the_page_is_a_table_outline():
    drawing = Drawing()
    drawing.path([(50, 50), (530, 50), (530, 750), (50, 750)], close=True)  # 480 x 700: 70% of the page
    drawing.path([(0, 0), (480, 0), (480, 800), (0, 800)], close=True)  # 480 x 800: 80% exactly
    horizontal, vertical = page_rules(drawing.bytes())
    assert sorted((r.at, r.start, r.end) for r in horizontal) == [
        (0, 0, 480),
        (50, 50, 530),
        (750, 50, 530),
        (800, 0, 480),
    ]
    assert sorted((r.at, r.start, r.end) for r in vertical) == [
        (0, 0, 800),
        (50, 50, 750),
        (480, 0, 800),
        (530, 50, 750),
    ]


class TextLayer:
    """PDFium's text calls over given characters: (UTF-16 unit, box as (left, right, bottom, top)
    in PDF space or None where PDFium finds none, generated or not). The reader's character pass
    is run on it as on a page of 600 x 800 points."""

    def __init__(self, units: list[tuple[int, tuple[float, float, float, float] | None, bool]]) -> None:
        self.units = units

    def FPDFText_CountChars(self, textpage: object) -> int:  # noqa: N802 (PDFium's names)
        return len(self.units)

    def FPDFText_GetText(self, textpage: object, start: int, count: int, out) -> int:  # noqa: N802
        for i, (unit, _, _) in enumerate(self.units[start : start + count]):
            out[i] = unit
        out[count] = 0
        return count + 1

    def FPDFText_IsGenerated(self, textpage: object, index: int) -> bool:  # noqa: N802
        return self.units[index][2]

    def FPDFText_GetCharBox(self, textpage: object, index: int, left, right, bottom, top) -> bool:  # noqa: N802
        box = self.units[index][1]
        if box is None:
            return False
        left.value, right.value, bottom.value, top.value = box
        return True

    def chars(self) -> list[Char]:
        from converter.pdf import _page_chars

        return _page_chars(self, None, WIDTH, HEIGHT)


BOX = (10.0, 20.0, 700.0, 710.0)  # top-left: x 10-20, y 90-100


def test_characters_are_read_with_their_boxes_from_the_top_left():
    assert TextLayer([(ord("A"), BOX, False)]).chars() == [Char("A", 10, 90, 20, 100)]


def test_spaces_invisible_and_generated_characters_are_left_out():
    units = [(ord(c), BOX, False) for c in " !\u00a0\u3000\u200b\u00ad\ufeff\x7f\n"]
    units += [(ord("-"), BOX, True), (ord("B"), BOX, False)]
    assert [c.text for c in TextLayer(units).chars()] == ["!", "B"]


def test_characters_without_a_box_or_with_an_empty_one_are_left_out():
    units = [
        (ord("A"), None, False),
        (ord("B"), (30, 30, 700, 700), False),  # an empty box
        (ord("|"), (40, 40, 700, 710), False),  # no width, but a height
        (ord("_"), (50, 60, 700, 700), False),  # no height, but a width
        (ord("."), (70, 70.5, 700, 700), False),
        (ord("'"), (80, 80, 700, 700.5), False),
        (ord("C"), BOX, False),
    ]
    assert [c.text for c in TextLayer(units).chars()] == ["|", "_", ".", "'", "C"]


def test_characters_outside_the_basic_plane_come_whole_from_their_two_halves():
    # 𠮷 (U+20BB7, in names) is D842 DFB7; U+10000 is D800 DC00, U+103FF D800 DFFF, U+10FC00 DBFF DC00
    units = []
    for high, low in ((0xD842, 0xDFB7), (0xD800, 0xDC00), (0xD800, 0xDFFF), (0xDBFF, 0xDC00)):
        units += [(high, None, False), (low, BOX, False)]
    assert [c.text for c in TextLayer(units).chars()] == ["\U00020bb7", "\U00010000", "\U000103ff", "\U0010fc00"]


def test_a_second_half_without_its_first_is_a_replacement_character():
    units = [(0xDC05, BOX, False), (0xD842, None, False), (0xDFB7, BOX, False), (0xDE00, BOX, False)]
    assert [c.text for c in TextLayer(units).chars()] == ["\ufffd", "\U00020bb7", "\ufffd"]
    units = [(ord("A"), BOX, False), (0xDE00, BOX, False), (ord("B"), BOX, False)]
    assert [c.text for c in TextLayer(units).chars()] == ["A", "\ufffd", "B"]
    # the private use area just past the second halves is a character of its own
    assert [c.text for c in TextLayer([(0xE000, BOX, False)]).chars()] == ["\ue000"]


def test_characters_whose_middle_is_on_the_page_even_on_its_edge_are_read():
    on_edges = [
        (ord("L"), (-5, 5, 400, 410), False),  # middle x 0
        (ord("R"), (595, 605, 400, 410), False),  # middle x 600
        (ord("B"), (100, 110, -5, 5), False),  # middle y 0
        (ord("T"), (100, 110, 795, 805), False),  # middle y 800
    ]
    off = [
        (ord("l"), (-5.5, 4.5, 400, 410), False),
        (ord("r"), (595.5, 605.5, 400, 410), False),
        (ord("b"), (100, 110, -5.5, 4.5), False),
        (ord("t"), (100, 110, 795.5, 805.5), False),
        (ord("x"), (700, 710, 400, 410), False),
    ]
    assert [c.text for c in TextLayer(on_edges + off).chars()] == ["L", "R", "B", "T"]
