"""Property-based tests (hypothesis): what extraction does to a table's text must not change what
is read from it, and no input, however broken, raises anything but a plain budgetpub error."""

from __future__ import annotations

import os
import random
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter.errors import InputError, UnsupportedDisclosure
from converter.pipeline import convert_source
from converter.read import source_from_bytes
from tests.conftest import CITY_2026

# CI runs a modest number of examples; HYPOTHESIS_PROFILE=thorough runs many more.
settings.register_profile("ci", max_examples=80)
settings.register_profile("thorough", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
NAMES = st.text(alphabet="一二三四五六七八九十行政运行事业管理服务支出其他科学技术", min_size=2, max_size=10)
CENTS = st.integers(min_value=0, max_value=10**10)


@st.composite
def coded_tables(draw) -> list[tuple[str, str, Decimal, Decimal]]:
    """Rows of a 支出总表: a class, its 款 and their 项, amounts in 万元 with two decimals."""
    rows = []
    for c in range(draw(st.integers(1, 3))):
        klass = f"2{c:02d}"
        rows.append((klass, draw(NAMES), Decimal(draw(CENTS)) / 100, Decimal(draw(CENTS)) / 100))
        for k in range(draw(st.integers(0, 2))):
            section = f"{klass}{k + 1:02d}"
            rows.append((section, draw(NAMES), Decimal(draw(CENTS)) / 100, Decimal(draw(CENTS)) / 100))
            for i in range(draw(st.integers(0, 3))):
                rows.append(
                    (f"{section}{i + 1:02d}", draw(NAMES), Decimal(draw(CENTS)) / 100, Decimal(draw(CENTS)) / 100)
                )
    return rows


def amount(value: Decimal, separators: bool, full_width: bool) -> str:
    text = f"{value:,.2f}" if separators else f"{value:.2f}"
    return text.translate(FULL_WIDTH) if full_width else text


def disclosure(
    rows: list[tuple[str, str, Decimal, Decimal]],
    *,
    label: str = "表 3",
    separators: bool = True,
    full_width: bool = False,
    tags: bool = False,
    blank_lines: frozenset[int] = frozenset(),
    rewrapped: frozenset[int] = frozenset(),
) -> str:
    """A minimal budget disclosure holding one 部门支出总表, rendered with the given damage."""
    cell = (lambda text: f"<b>{text}</b>" if text else text) if tags else (lambda text: text)
    lines = [
        "某某局2026年部门预算",
        "",
        label,
        "部门支出总表",
        "单位：万元",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    ]
    for index, (code, name, basic, project) in enumerate(rows):
        amounts = [amount(basic + project, separators, full_width), amount(basic, separators, full_width)]
        amounts.append(amount(project, separators, full_width))
        if index in rewrapped:  # name and amounts first, the code two lines later, as extraction breaks rows
            lines.append("\t".join(["", cell(name), *map(cell, amounts)]))
            lines += ["", "\t".join([cell(code), "", "", "", ""])]
        else:
            lines.append("\t".join([cell(code), cell(name), *map(cell, amounts)]))
        if index in blank_lines:
            lines.append("")
    lines += ["", "说明：本表为测试数据。"]
    return "\n".join(lines) + "\n"


def read(text: str) -> list[dict]:
    conversion = convert_source(source_from_bytes(Path("generated.txt"), text.encode("utf-8")))
    return [{k: v for k, v in r.items() if k != "source_line"} for r in conversion.resources["expenditure_by_function"]]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=coded_tables(),
    label=st.sampled_from(["表 3", "预算03表", "附表 3", "表3", ""]),
    separators=st.booleans(),
    full_width=st.booleans(),
    tags=st.booleans(),
    data=st.data(),
)
def test_damage_does_not_change_what_is_read(rows, label, separators, full_width, tags, data):
    positions = st.frozensets(st.integers(0, len(rows) - 1), max_size=len(rows))
    blank_lines = data.draw(positions)
    rewrapped = data.draw(positions)
    baseline = read(disclosure(rows))
    damaged = read(
        disclosure(
            rows,
            label=label,
            separators=separators,
            full_width=full_width,
            tags=tags,
            blank_lines=blank_lines,
            rewrapped=rewrapped,
        )
    )
    assert damaged == baseline
    assert [r["function_code"] for r in baseline] == [code for code, *_ in rows]
    assert [r["basic"] for r in baseline] == [basic * 10000 for _, _, basic, _ in rows]


def assert_plain_outcome(data: bytes, name: str) -> None:
    """Any input ends in one of two ways: an error a user can act on, which names the file (never
    another exception), or a conversion whose every row and finding points at a line the input
    has, and that converting again gives unchanged."""
    try:
        conversion = convert_source(source_from_bytes(Path(name), data))
    except (InputError, UnsupportedDisclosure) as error:
        assert str(error).startswith(name) and len(str(error)) > len(name) + 2
        return
    lines = len(conversion.source.lines)
    referenced = [r.get("source_line") for rows in conversion.resources.values() for r in rows]
    referenced += [f.source_line for f in conversion.findings]
    assert all(line is None or 1 <= line <= lines for line in referenced)
    assert all(t.status in ("converted", "kept as cells") for t in conversion.tables)
    again = convert_source(source_from_bytes(Path(name), data))
    assert again.resources == conversion.resources and again.findings == conversion.findings


@settings(deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_end_in_a_plain_error_or_a_conversion(data):
    assert_plain_outcome(data, "fuzz.txt")


SAMPLE_LINES = CITY_2026.read_text(encoding="utf-8").split("\n")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 40))
def test_mangled_disclosures_end_in_a_plain_error_or_a_conversion(seed, edits):
    """A real disclosure with lines dropped, duplicated, cut or merged and cells shuffled."""
    rng = random.Random(seed)
    lines = list(SAMPLE_LINES)
    for _ in range(edits):
        i = rng.randrange(len(lines))
        action = rng.randrange(5)
        if action == 0:
            del lines[i]
        elif action == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif action == 2:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif action == 3 and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        else:
            cells = lines[i].split("\t")
            rng.shuffle(cells)
            lines[i] = "\t".join(cells)
    assert_plain_outcome("\n".join(lines).encode("utf-8"), "mangled.txt")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=coded_tables(), separator=st.sampled_from(["  ", "   ", "\u3000", " \u3000 "]))
def test_tables_separated_by_runs_of_spaces_read_the_same(rows, separator):
    """Some extractors lay tables out with runs of spaces (or full-width spaces) instead of tabs."""
    text = disclosure(rows)
    spaced = "\n".join(line.replace("\t", separator) for line in text.split("\n"))
    conversion = convert_source(source_from_bytes(Path("spaces.txt"), spaced.encode("utf-8")))
    assert conversion.source.separator == "spaces"
    assert read(spaced) == read(text)


# Any text a cell may hold, the characters CSV must quote among them.
CELL_TEXT = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list('ab 中文,"\n\r\t;，“”0.-')), max_size=12))
DECIMALS = st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False)
AMOUNTS = st.one_of(st.none(), DECIMALS)


@given(st.lists(st.tuples(CELL_TEXT, CELL_TEXT, AMOUNTS, st.one_of(st.none(), st.integers(0, 10**6))), max_size=6))
def test_csv_lines_are_what_the_csv_module_writes(rows):
    """The CSV writer's fast path (joining lines that need no quoting) and the csv module's
    quoting for the rest give exactly the lines the csv module alone gives, in order, with
    amounts never in exponent form."""
    import csv
    import io

    from converter.cells import format_decimal
    from converter.package import csv_bytes
    from converter.schema import field_names

    fields = field_names("procurement")
    records = [{"unit_name": a, "item_name": b, "total": c, "source_line": d} for a, b, c, d in rows]
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        cells = [record.get(f) for f in fields]
        writer.writerow([format_decimal(v) if isinstance(v, Decimal) else v for v in cells])
    assert csv_bytes("procurement", records).decode("utf-8") == expected.getvalue()


@given(DECIMALS)
def test_json_document_writes_decimals_exactly(value):
    import json

    from converter.cells import format_decimal
    from converter.package import json_bytes

    text = json_bytes({"data": {"facts": [{"value": value}]}}).decode("utf-8")
    read = json.loads(text, parse_float=Decimal, parse_int=Decimal)["data"]["facts"][0]["value"]
    printed = text.split('"value":')[1].split("}")[0]
    assert read == value and printed == format_decimal(value) and "e" not in printed.lower()


# pieces that look like the joints between rows
ROW_TEXT = st.lists(
    st.sampled_from(["},{", ",\x01,", "\x01", "}", ",", '"', "\\", "\n", "\x1f", "a", "中"]), max_size=4
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["name", "note", "value"]), ROW_TEXT | DECIMALS), max_size=5))
def test_json_document_puts_each_row_on_its_own_line_whatever_its_text(rows):
    """One row per line, readable and diffable: text full of commas, braces, quotes and control
    characters must not move a line break."""
    import json

    from converter.package import json_bytes

    document = {"data": {"facts": rows}, "conversion_report": rows}
    text = json_bytes(document)
    assert json.loads(text, parse_float=Decimal, parse_int=Decimal) == document
    for pad in (b"      ", b"    "):  # rows of a resource, items of the report
        lines = [line for line in text.split(b"\n") if line.startswith(pad + b"{")]
        read = [json.loads(line.strip().rstrip(b","), parse_float=Decimal, parse_int=Decimal) for line in lines]
        assert read == rows
