"""Codes a table printed cut short, recovered from the hierarchy and the names (converter/codes.py).

The expected codes are read from the code lists in schema/ (the Ministry of Finance's 2026
classification: 2010301 行政运行 under 20103, 30101 基本工资 under 301) and from the rows given.
"""

from __future__ import annotations

from converter.codes import Resolution, codes_by_name, resolve_codes

OFFICE = "政府办公厅（室）及相关机构事务"


def codes(rows: list[tuple[str, str]], kind: str = "functional", year: int = 2026, known=None) -> list[str | None]:
    return [r.code for r in resolve_codes(rows, kind, year, known)]


def test_a_repeated_code_is_its_child_found_by_name_in_the_code_list():
    resolved = resolve_codes([("20103", OFFICE), ("20103", "行政运行"), ("20103", "事业运行")], "functional", 2026)
    assert resolved == [
        Resolution("20103"),
        Resolution(
            "2010301",
            "'行政运行' is printed with 20103, the code of the row it belongs to; 2010301 is the sub-item of "
            "20103 with this name in the 2026 code list",
        ),
        Resolution(
            "2010350",
            "'事业运行' is printed with 20103, the code of the row it belongs to; 2010350 is the sub-item of "
            "20103 with this name in the 2026 code list",
        ),
    ]


def test_economic_classes_printed_on_their_items():
    assert codes([("301", "工资福利支出"), ("301", "基本工资"), ("301", "津贴补贴")], "economic") == [
        "301",
        "30101",
        "30102",
    ]


def test_full_codes_are_kept_as_printed_even_when_repeated():
    """A full-length code printed twice is two rows of one item, not a parent and its child."""
    assert codes([("2010301", "行政运行"), ("2010301", "行政运行")]) == ["2010301", "2010301"]
    assert codes([("30101", "基本工资"), ("30101", "基本工资")], "economic") == ["30101", "30101"]


def test_rows_without_a_digit_code_are_kept_as_printed():
    assert codes([("", "合计"), ("", "合计"), ("TOTAL", "合计"), ("TOTAL", "合计"), ("2O1", "x"), ("2O1", "x")]) == [
        "",
        "",
        "TOTAL",
        "TOTAL",
        "2O1",
        "2O1",
    ]


def test_a_recovered_code_is_itself_a_parent_for_the_rows_below():
    """类 printed on 款 rows and 款 on 项 rows: the recovered 款 opens its own 项."""
    rows = [("201", "一般公共服务支出"), ("201", OFFICE), ("20103", "行政运行")]
    assert codes(rows) == ["201", "20103", "2010301"]


def test_only_direct_children_are_candidates():
    """行政运行 is a 项 (7 digits): printed under a 类 it is no 款 of it."""
    resolved = resolve_codes([("201", "一般公共服务支出"), ("201", "行政运行")], "functional", 2026)
    assert resolved[1] == Resolution(
        None,
        "'行政运行' repeats the code 201 of a row above, so it is one of 201's sub-items, but its name matches "
        "none of them (nor only one) in this document or the 2026 code list",
    )


def test_the_document_s_own_codes_come_first():
    known = {"2010361": "信息化建设", "2010362": "信息化建设运维", "20104": "发展与改革事务"}
    resolved = resolve_codes([("20103", OFFICE), ("20103", "信息化建设")], "functional", 2026, known)
    assert resolved[1] == Resolution(
        "2010361",
        "'信息化建设' is printed with 20103, the code of the row it belongs to; 2010361 is the sub-item of "
        "20103 with this name in this document's other tables",
    )
    # a name another candidate's name begins with is still its own exact name
    assert codes([("20103", OFFICE), ("20103", "信息化建设运维")], known=known)[1] == "2010362"
    # the same code in the document and in the code list is one candidate, named where it was found first
    same = resolve_codes([("20103", OFFICE), ("20103", "行政运行")], "functional", 2026, {"2010301": "行政运行"})
    assert same[1].code == "2010301" and same[1].note.endswith("in this document's other tables")


def test_a_name_cut_short_matches_the_one_name_it_begins():
    assert codes([("20103", OFFICE), ("20103", "其他政府办公厅")]) == ["20103", "2010399"]
    assert codes([("20103", OFFICE), ("20103", "一般行政")]) == ["20103", "2010302"]
    assert codes([("20103", OFFICE), ("20103", "其")]) == ["20103", None]  # one character is no name
    assert codes([("20103", OFFICE), ("20103", "")]) == ["20103", None]
    assert codes([("302", "商品和服务支出"), ("302", "公务")], "economic") == ["302", None]  # begins two


def test_two_candidates_with_one_name_are_not_guessed_between():
    known = {"2010361": "信息化建设", "2010362": "信息化建设"}
    assert codes([("20103", OFFICE), ("20103", "信息化建设")], known=known) == ["20103", None]


def test_names_of_other_years_are_the_last_resort():
    """2026 renamed 20604 技术与开发 → 技术与研究开发; documents keep printing the old names."""
    resolved = resolve_codes([("20604", "技术与研究开发"), ("20604", "其他技术与开发支出")], "functional", 2026)
    assert resolved[1] == Resolution(
        "2060499",
        "'其他技术与开发支出' is printed with 20604, the code of the row it belongs to; 2060499 is the sub-item "
        "of 20604 with this name in the code list of other years",
    )
    assert codes([("20604", "技术与开发"), ("20604", "其他技术与研究开发支出")], year=2024)[1] == "2060499"
    # a name of the fiscal year wins before other years are asked
    assert resolve_codes([("20604", "x"), ("20604", "其他技术与研究开发支出")], "functional", 2026)[1].note.endswith(
        "in the 2026 code list"
    )
    # variant spellings in the list are not official names of any year
    assert codes([("20604", "技术与研究开发"), ("20604", "其他研究与开发支出")])[1] is None


def test_names_only_follow_the_hierarchy_of_names():
    rows = [
        ("", "科学技术支出"),
        ("", "科学技术管理事务"),
        ("", "行政运行"),
        ("", "一般行政管理事务"),
        ("", "科技条件与服务"),  # a 款 again, after 项 rows: the open 款 is closed
        ("", "科技条件专项"),
        ("", "一般公共服务支出"),
        ("", "数据事务"),
        ("", "行政运行"),
        ("", "科技条件专项"),
    ]
    assert codes_by_name(rows, "functional", 2026) == [
        "206",
        "20601",
        "2060101",
        "2060102",
        "20605",
        "2060503",
        "201",
        "20141",
        "2014101",
        None,  # 206 and its 款 are closed once 201 opens
    ]


def test_names_only_after_a_printed_code():
    rows = [("20103", OFFICE), ("", "行政运行"), ("", ""), ("", "无此科目"), ("", "事业运行")]
    assert codes_by_name(rows, "functional", 2026) == [None, "2010301", None, None, "2010350"]


def test_names_only_use_the_document_s_codes_and_other_years():
    known = {"2010361": "信息化建设"}
    rows = [("", "一般公共服务支出"), ("", OFFICE), ("", "信息化建设")]
    assert codes_by_name(rows, "functional", 2026, known) == ["201", "20103", "2010361"]
    assert codes_by_name(rows, "functional", 2026) == ["201", "20103", None]
    old_names = [("", "科学技术支出"), ("", "技术与开发"), ("", "其他技术与开发支出")]
    assert codes_by_name(old_names, "functional", 2026) == ["206", "20604", "2060499"]
    two = {"2010361": "信息化建设", "2010362": "信息化建设"}
    assert codes_by_name(rows, "functional", 2026, two) == ["201", "20103", None]


def test_after_a_row_that_matches_nothing_the_next_rows_are_still_resolved():
    rows = [("20103", OFFICE), ("20103", "无此科目"), ("20103", "行政运行")]
    assert codes(rows) == ["20103", None, "2010301"]


def test_two_characters_are_enough_to_begin_a_name():
    assert codes([("20103", OFFICE), ("20103", "一般")]) == ["20103", "2010302"]


def test_other_years_offer_only_children_of_the_printed_code():
    """其他技术与开发支出 (2060499, a name of 2019-2025) is no child of 20103."""
    assert codes([("20103", OFFICE), ("20103", "其他技术与开发支出")]) == ["20103", None]


def test_a_new_section_closes_the_one_before():
    rows = [
        ("", "一般公共服务支出"),
        ("", OFFICE),
        ("", "行政运行"),
        ("", "数据事务"),
        ("", "其他政府办公厅（室）及相关机构事务支出"),  # a 项 of 20103, which 20141 closed
        ("", "其他数据事务支出"),
    ]
    assert codes_by_name(rows, "functional", 2026) == ["201", "20103", "2010301", "20141", None, "2014199"]


def test_a_first_name_that_opens_nothing_is_not_found():
    assert codes_by_name([("", "行政运行"), ("", "科学技术支出")], "functional", 2026) == [None, "206"]
