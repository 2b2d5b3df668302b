"""Bad input: each case gets a message naming the file, line and what is wrong, a non-zero exit,
and nothing left behind; --allow-partial writes a partly usable disclosure with its gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetpub.cli import cli
from tests.conftest import CITY_2026, EDZ_2023

CITY_TEXT = CITY_2026.read_text(encoding="utf-8")


def run_convert(tmp_path: Path, name: str, data: bytes, *extra: str) -> tuple[object, Path]:
    source = tmp_path / "in" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(source), "--out", str(out), *extra])
    assert "Traceback" not in result.output
    return result, out


def left_behind(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def cut(text: str, marker: str, keep: int) -> str:
    """The text up to `keep` characters past `marker`: a file cut off in transfer."""
    return text[: text.index(marker) + keep]


CASES = {
    "empty": (b"", "the file is empty", None),
    "blank lines only": (b"\n\n  \n", "the file is empty", None),
    "binary": (bytes(range(256)) * 40, "the file is binary", None),
    "not a disclosure": (
        "会议通知\n\n请各单位于周五前报送材料。\n".encode(),
        "does not read as a departmental budget",
        None,
    ),
    "invalid encoding": (b"\xff\xfe\xfa" * 100 + b"\n", "neither UTF-8 nor GB18030", None),
    "cut off mid-row": (
        cut(CITY_TEXT, "2060499\t其他技术与开发支出", 14).encode(),
        "looks cut off",
        None,
    ),
    "cut off after a table header": (
        cut(CITY_TEXT, "科目编码\t科目名称\t合计\t基本支出\t项目支出", 30).encode(),
        "looks cut off",
        None,
    ),
    "number that does not parse": (
        CITY_TEXT.replace("2060499\t其他技术与开发支出\t4844.51", "2060499\t其他技术与开发支出\t48,44.51", 1).encode(),
        "'48,44.51' is not a number",
        None,
    ),
    "dash placeholder": (
        CITY_TEXT.replace("2060499\t其他技术与开发支出\t4844.51", "2060499\t其他技术与开发支出\t—", 1).encode(),
        "'—' is a placeholder, not a number",
        None,
    ),
    "hyphen placeholder": (
        CITY_TEXT.replace("2060499\t其他技术与开发支出\t4844.51", "2060499\t其他技术与开发支出\t-", 1).encode(),
        "'-' is a placeholder, not a number",
        None,
    ),
    "extra column": (
        CITY_TEXT.replace(
            "2210203\t购房补贴\t70.70\t70.70\t70.70\t\t", "2210203\t购房补贴\t70.70\t70.70\t70.70\t\t\t\t\t9.99", 1
        ).encode(),
        "beyond the table's columns",
        None,
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_fails_plainly_and_writes_nothing(tmp_path, case):
    data, expected, _ = CASES[case]
    result, out = run_convert(tmp_path, "disclosure.txt", data)
    assert result.exit_code == 1, result.output
    assert "disclosure.txt" in result.output and expected in result.output
    assert left_behind(out) == []


def test_messages_name_the_line(tmp_path):
    data = CITY_TEXT.replace("2060499\t其他技术与开发支出\t4844.51", "2060499\t其他技术与开发支出\t48,44.51", 1)
    line = next(i for i, x in enumerate(data.split("\n"), start=1) if "48,44.51" in x)
    result, _ = run_convert(tmp_path, "disclosure.txt", data.encode())
    assert f"disclosure.txt:{line}:" in result.output


def test_missing_column_that_cannot_be_placed(tmp_path):
    """A row with cells missing where no placement of its amounts is certain: a gap."""
    text = CITY_TEXT.replace(
        "2080505\t机关事业单位基本养老保险缴费支出\t255.87\t255.87\t255.87\t\t",
        "2080505\t机关事业单位基本养老保险缴费支出\t255.87\t\t255.87",
        1,
    )
    result, out = run_convert(tmp_path, "disclosure.txt", text.encode())
    assert result.exit_code == 1 and "disclosure.txt:261:" in result.output
    assert "may misplace an amount" in result.output and left_behind(out) == []


def test_too_large_a_file_is_not_read(tmp_path):
    result, out = run_convert(tmp_path, "huge.txt", b"x" * (50 * 1024 * 1024))
    assert result.exit_code == 1 and "huge.txt" in result.output and "50.0 MB" in result.output
    assert left_behind(out) == []


def test_allow_partial_writes_the_package_with_its_gaps(tmp_path):
    data = CITY_TEXT.replace(
        "2060499\t其他技术与开发支出\t4844.51", "2060499\t其他技术与开发支出\t48,44.51", 1
    ).encode()
    result, out = run_convert(tmp_path, "disclosure.txt", data, "--allow-partial")
    assert result.exit_code == 0 and result.output.startswith("partial:")
    package = out / "420100-157-2026-budget"
    report = (package / "data" / "conversion_report.csv").read_text(encoding="utf-8")
    assert "error,unreadable-amount" in report and "48,44.51" in report
    # a partial package does not validate, so it cannot be released
    validated = CliRunner().invoke(cli, ["validate", str(package)])
    assert validated.exit_code == 1 and "the conversion left a gap" in validated.output


def test_a_batch_with_broken_files_converts_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "city.txt").write_text(CITY_TEXT, encoding="utf-8")
    (folder / "edz.txt").write_bytes(EDZ_2023.read_bytes())
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    (folder / "cut.txt").write_text(cut(CITY_TEXT, "2060499\t其他技术与开发支出", 14), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(folder), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 1
    assert "2 converted, 0 partial, 0 skipped, 2 failed" in result.output
    assert "broken.txt: the file is binary" in result.output and "cut.txt" in result.output
    assert left_behind(out) == ["420100-157-2026-budget", "420113-054-2023-budget"]


def test_input_facts_are_recorded(tmp_path):
    data = CITY_TEXT.replace("\n", "\r\n").encode("gb18030")
    result, out = run_convert(tmp_path, "gbk.txt", data)
    assert result.exit_code == 0
    source = json.loads((out / "420100-157-2026-budget" / "datapackage.json").read_text(encoding="utf-8"))["source"]
    assert (source["encoding"], source["newline"], source["separator"]) == ("gb18030", "CRLF", "tab")


GAP_CASES = ["cut off mid-row", "number that does not parse", "dash placeholder", "extra column"]


@pytest.mark.parametrize("case", GAP_CASES, ids=GAP_CASES)
def test_stopping_at_the_first_gaps_tells_what_a_full_conversion_finds(tmp_path, case):
    """`convert` stops once the tables are read when there are gaps (nothing is written anyway):
    its message must be the one the whole conversion gives, with every gap counted."""
    from converter.errors import InputError
    from converter.pipeline import convert_source, gaps_error
    from converter.read import read_source

    path = tmp_path / "disclosure.txt"
    path.write_bytes(CASES[case][0])
    # one more gap far from the first (where the cut-off text still has that row)
    text = path.read_text(encoding="utf-8").replace("\t70.70\t70.70\t70.70", "\t70.70\t-\t70.70")
    path.write_text(text, encoding="utf-8")
    whole = convert_source(read_source(path))
    gaps = [f for f in whole.findings if f.severity == "error"]
    assert gaps
    with pytest.raises(InputError) as stopped:
        convert_source(read_source(path), stop_at_gaps=True)
    assert str(stopped.value) == str(gaps_error(whole.source, gaps))
