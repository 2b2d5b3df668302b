"""What a new version changes and the release level it earns, on small hand-written packages.

Each case is a change a publisher makes: a corrected value is a patch, a new resource or field a
feature (minor), a removed one a breaking change (major); rows are matched by key, and a resource
without a real key is compared as a bag of rows. The expected diffs are written out by hand.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from release.diff import change_level, diff_packages, removals, same_package, summary_lines

THREE_PUBLIC = {
    "fields": ["basis", "item", "amount", "source_line"],
    "key": ["basis", "item"],
    "rows": [
        ["budget", "total", "534800.00", "40"],
        ["budget", "vehicles", "479800.00", "41"],
        ["budget", "official_reception", "55000.00", "42"],
    ],
}
UNITS = {
    "fields": ["unit_code", "unit_name", "source_line"],
    "key": ["unit_code"],
    "rows": [["157001", "武汉市数据局本级", "10"], ["157003", "武汉市大数据中心", "11"]],
}
SENTENCES = {  # keyed by source line only: compared as a bag of rows
    "fields": ["topic", "sentence", "source_line"],
    "key": ["source_line"],
    "rows": [["function", "主要职能一", "3"], ["function", "主要职能二", "4"]],
}


def resource(base: dict, **changes: object) -> dict:
    """A copy of a resource spec with some parts replaced."""
    spec = json.loads(json.dumps(base))
    spec.update(changes)
    return spec


def write(folder: Path, resources: dict[str, dict], name: str = "420100-157-2026-budget", **meta: object) -> Path:
    """A package folder as the converter writes one: descriptor, one CSV per resource, hashes."""
    (folder / "data").mkdir(parents=True)
    entries = []
    for res_name, spec in resources.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(spec["fields"])
        writer.writerows(spec["rows"])
        data = buffer.getvalue().encode("utf-8")
        (folder / "data" / f"{res_name}.csv").write_bytes(data)
        schema: dict = {"fields": [{"name": f, "type": "string"} for f in spec["fields"]]}
        if spec.get("key"):
            schema["primaryKey"] = spec["key"]
        entries.append(
            {
                "name": res_name,
                "path": f"data/{res_name}.csv",
                "schema": schema,
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            }
        )
    descriptor = {
        "name": name,
        "title": "武汉市数据局2026年部门预算",
        "version": "1.0.0",
        "source": {"encoding": "utf-8", "sha256": "ab"},
        "resources": entries,
        **meta,
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture()
def old(tmp_path) -> Path:
    return write(tmp_path / "old", {"three_public_expenses": THREE_PUBLIC, "units": UNITS})


def diff_to(tmp_path: Path, old: Path, resources: dict[str, dict], **meta: object) -> dict:
    return diff_packages(old, write(tmp_path / "new", resources, **meta))


def test_same_content_is_no_change(tmp_path, old):
    diff = diff_to(tmp_path, old, {"three_public_expenses": THREE_PUBLIC, "units": UNITS})
    assert (diff["metadata"], diff["schema"], diff["resources"]) == ([], [], {})
    assert change_level(diff) is None and removals(diff) == [] and summary_lines(diff) == []
    assert diff["old"] == diff["new"] == {"name": "420100-157-2026-budget", "version": "1.0.0"}


def test_a_new_release_alone_is_no_change(tmp_path, old):
    """version, released and notes describe the release, not the content."""
    diff = diff_to(
        tmp_path,
        old,
        {"three_public_expenses": THREE_PUBLIC, "units": UNITS},
        version="1.0.1",
        released="2026-12-01",
        version_notes="again",
    )
    assert diff["metadata"] == [] and change_level(diff) is None
    assert diff["new"]["version"] == "1.0.1"


def test_a_corrected_value_is_a_patch(tmp_path, old):
    rows = [r[:] for r in THREE_PUBLIC["rows"]]
    rows[0][2] = "535800.00"
    diff = diff_to(tmp_path, old, {"three_public_expenses": resource(THREE_PUBLIC, rows=rows), "units": UNITS})
    assert diff["metadata"] == [] and diff["schema"] == []
    assert diff["resources"] == {
        "three_public_expenses": {
            "added": [],
            "removed": [],
            "changed": [{"key": "budget/total", "field": "amount", "old": "534800.00", "new": "535800.00"}],
        }
    }
    assert change_level(diff) == "patch" and removals(diff) == []
    assert summary_lines(diff) == ["three_public_expenses budget/total amount: 534800.00 → 535800.00"]


def test_a_moved_line_alone_is_no_change(tmp_path, old):
    """Rows keyed by content: only the source line moved (the document gained a line above)."""
    rows = [[*r[:3], str(int(r[3]) + 1)] for r in THREE_PUBLIC["rows"]]
    diff = diff_to(tmp_path, old, {"three_public_expenses": resource(THREE_PUBLIC, rows=rows), "units": UNITS})
    assert diff["resources"] == {} and change_level(diff) is None


def test_rows_added_are_a_patch_and_take_nothing(tmp_path, old):
    rows = [*THREE_PUBLIC["rows"], ["budget", "vehicle_purchase", "360000.00", "43"], ["actual", "total", "1", "50"]]
    diff = diff_to(tmp_path, old, {"three_public_expenses": resource(THREE_PUBLIC, rows=rows), "units": UNITS})
    assert diff["resources"]["three_public_expenses"] == {
        "added": ["actual/total", "budget/vehicle_purchase"],
        "removed": [],
        "changed": [],
    }
    assert change_level(diff) == "patch" and removals(diff) == []
    assert summary_lines(diff) == ["three_public_expenses: 2 row(s) added: actual/total, budget/vehicle_purchase"]


def test_rows_removed_are_a_patch_that_must_be_asked_for(tmp_path, old):
    diff = diff_to(
        tmp_path, old, {"three_public_expenses": THREE_PUBLIC, "units": resource(UNITS, rows=UNITS["rows"][:1])}
    )
    assert diff["resources"] == {"units": {"added": [], "removed": ["157003"], "changed": []}}
    assert change_level(diff) == "patch"
    assert removals(diff) == ["1 row(s) of units"]
    assert summary_lines(diff) == ["units: 1 row(s) removed: 157003"]


def test_a_corrected_key_is_one_row_out_and_one_in_not_a_loss(tmp_path, old):
    rows = [["157001", "武汉市数据局本级", "10"], ["157004", "武汉市大数据中心", "11"]]
    diff = diff_to(tmp_path, old, {"three_public_expenses": THREE_PUBLIC, "units": resource(UNITS, rows=rows)})
    assert diff["resources"] == {"units": {"added": ["157004"], "removed": ["157003"], "changed": []}}
    assert removals(diff) == []


def test_more_rows_removed_than_added_is_the_net_loss(tmp_path, old):
    rows = [["157009", "新单位", "12"]]
    diff = diff_to(tmp_path, old, {"three_public_expenses": THREE_PUBLIC, "units": resource(UNITS, rows=rows)})
    assert removals(diff) == ["1 row(s) of units"]  # two out, one in


def test_a_resource_added_is_minor(tmp_path, old):
    diff = diff_to(tmp_path, old, {"three_public_expenses": THREE_PUBLIC, "units": UNITS, "sentences": SENTENCES})
    assert diff["schema"] == [{"resource": "sentences", "change": "resource added", "level": "minor"}]
    assert diff["resources"] == {} and change_level(diff) == "minor" and removals(diff) == []
    assert summary_lines(diff) == ["sentences: resource added (minor)"]


def test_a_resource_removed_is_major(tmp_path, old):
    diff = diff_to(tmp_path, old, {"three_public_expenses": THREE_PUBLIC})
    assert diff["schema"] == [{"resource": "units", "change": "resource removed", "level": "major"}]
    assert change_level(diff) == "major" and removals(diff) == ["resource units"]
    assert summary_lines(diff) == ["units: resource removed (major)"]


def with_field(spec: dict, field: str, value: str, at: int) -> dict:
    fields = [*spec["fields"][:at], field, *spec["fields"][at:]]
    rows = [[*r[:at], value, *r[at:]] for r in spec["rows"]]
    return resource(spec, fields=fields, rows=rows)


def without_field(spec: dict, field: str) -> dict:
    at = spec["fields"].index(field)
    return resource(
        spec, fields=[f for f in spec["fields"] if f != field], rows=[r[:at] + r[at + 1 :] for r in spec["rows"]]
    )


def test_a_field_added_is_minor(tmp_path, old):
    diff = diff_to(
        tmp_path, old, {"three_public_expenses": THREE_PUBLIC, "units": with_field(UNITS, "unit_type", "行政单位", 2)}
    )
    assert diff["schema"] == [{"resource": "units", "field": "unit_type", "change": "field added", "level": "minor"}]
    assert diff["resources"] == {}  # the fields both versions have are the same
    assert change_level(diff) == "minor" and removals(diff) == []
    assert summary_lines(diff) == ["units.unit_type: field added (minor)"]


def test_a_field_removed_is_major(tmp_path, old):
    diff = diff_to(tmp_path, old, {"three_public_expenses": THREE_PUBLIC, "units": without_field(UNITS, "unit_name")})
    assert diff["schema"] == [{"resource": "units", "field": "unit_name", "change": "field removed", "level": "major"}]
    assert diff["resources"] == {}
    assert change_level(diff) == "major" and removals(diff) == ["field units.unit_name"]


def test_a_field_renamed_is_removed_and_added_so_major(tmp_path, old):
    renamed = resource(UNITS, fields=["unit_code", "name", "source_line"])
    diff = diff_to(tmp_path, old, {"three_public_expenses": THREE_PUBLIC, "units": renamed})
    assert diff["schema"] == [
        {"resource": "units", "field": "unit_name", "change": "field removed", "level": "major"},
        {"resource": "units", "field": "name", "change": "field added", "level": "minor"},
    ]
    assert change_level(diff) == "major" and removals(diff) == ["field units.unit_name"]


def test_metadata_only_is_a_patch_and_names_nested_keys(tmp_path, old):
    diff = diff_to(
        tmp_path,
        old,
        {"three_public_expenses": THREE_PUBLIC, "units": UNITS},
        title="武汉市数据局2026年部门预算（更正）",
        source={"encoding": "gb18030", "sha256": "ab"},
        keywords=["预算"],
    )
    assert diff["metadata"] == [
        {"field": "keywords", "old": None, "new": ["预算"]},
        {"field": "source.encoding", "old": "utf-8", "new": "gb18030"},
        {"field": "title", "old": "武汉市数据局2026年部门预算", "new": "武汉市数据局2026年部门预算（更正）"},
    ]
    assert diff["schema"] == [] and diff["resources"] == {}
    assert change_level(diff) == "patch" and removals(diff) == []
    assert summary_lines(diff)[1] == "source.encoding: 'utf-8' → 'gb18030'"


def test_mixed_changes_take_the_highest_level(tmp_path, old):
    """A removed field with a corrected value is major; an added field with one is minor."""
    rows = [r[:] for r in UNITS["rows"]]
    rows[1][1] = "武汉市大数据中心（更名）"
    corrected = resource(UNITS, rows=rows)
    major = diff_to(tmp_path, old, {"three_public_expenses": without_field(THREE_PUBLIC, "amount"), "units": corrected})
    assert [s["change"] for s in major["schema"]] == ["field removed"]
    assert major["resources"]["units"]["changed"] == [
        {"key": "157003", "field": "unit_name", "old": "武汉市大数据中心", "new": "武汉市大数据中心（更名）"}
    ]
    assert change_level(major) == "major"
    minor = diff_packages(
        old,
        write(tmp_path / "minor", {"three_public_expenses": THREE_PUBLIC, "units": with_field(corrected, "x", "", 1)}),
    )
    assert change_level(minor) == "minor"
    both = diff_packages(
        old,
        write(tmp_path / "both", {"units": with_field(corrected, "x", "", 1), "sentences": SENTENCES}),
    )
    assert sorted(s["level"] for s in both["schema"]) == ["major", "minor", "minor"]
    assert change_level(both) == "major"


def test_levels_alone_decide_whatever_their_order():
    for levels, expected in (
        (["minor", "patch"], "minor"),
        (["patch", "major", "minor"], "major"),
        (["minor", "minor"], "minor"),
    ):
        diff = {"schema": [{"level": level} for level in levels], "metadata": [], "resources": {}}
        assert change_level(diff) == expected
    assert change_level({"schema": [], "metadata": [], "resources": {"x": {}}}) == "patch"
    assert change_level({"schema": [], "metadata": [{"field": "title"}], "resources": {}}) == "patch"


def test_an_unchanged_resource_before_a_changed_one_is_skipped_not_the_end(tmp_path):
    """Resources are compared in name order; an unchanged one must not stop the comparison."""
    old = write(tmp_path / "old", {"a_units": UNITS, "b_units": UNITS})
    changed = resource(UNITS, rows=[["157001", "改名", "10"], UNITS["rows"][1]])
    diff = diff_packages(old, write(tmp_path / "new", {"a_units": UNITS, "b_units": changed}))
    assert list(diff["resources"]) == ["b_units"]


@pytest.mark.parametrize("key", [["source_line"], None], ids=["source-line-key", "no-key"])
def test_unkeyed_rows_are_a_bag_without_line_numbers(tmp_path, key):
    base = resource(SENTENCES, key=key)
    old = write(tmp_path / "old", {"sentences": base})
    moved = [["function", "主要职能一", "7"], ["function", "主要职能二", "8"]]  # lines moved
    assert diff_packages(old, write(tmp_path / "moved", {"sentences": resource(base, rows=moved)}))["resources"] == {}
    edited = [["function", "主要职能一", "3"], ["function", "主要职能三", "4"]]
    diff = diff_packages(old, write(tmp_path / "edited", {"sentences": resource(base, rows=edited)}))
    assert diff["resources"] == {
        "sentences": {
            "added": ['["function", "主要职能三"]'],
            "removed": ['["function", "主要职能二"]'],
            "changed": [],
        }
    }
    assert change_level(diff) == "patch" and removals(diff) == []
    doubled = [*SENTENCES["rows"], ["function", "主要职能一", "5"]]  # the same sentence printed twice
    diff = diff_packages(old, write(tmp_path / "doubled", {"sentences": resource(base, rows=doubled)}))
    assert diff["resources"]["sentences"]["added"] == ['["function", "主要职能一"]']
    back = diff_packages(tmp_path / "doubled", old)
    assert back["resources"]["sentences"]["removed"] == ['["function", "主要职能一"]']
    assert removals(back) == ["1 row(s) of sentences"]


def test_same_package_is_by_name():
    assert same_package({"old": {"name": "a", "version": "1.0.0"}, "new": {"name": "a", "version": "2.0.0"}})
    assert not same_package({"old": {"name": "a"}, "new": {"name": "b"}})


def test_summary_lines_cut_long_lists():
    changed = [{"key": f"k{i}", "field": "amount", "old": "" if i == 0 else "1", "new": str(i)} for i in range(5)]
    diff = {
        "metadata": [],
        "schema": [],
        "resources": {"r": {"changed": changed, "added": ["a", "b", "c", "d", "e"], "removed": ["z"]}},
    }
    assert summary_lines(diff, limit=2) == [
        "r k0 amount: (blank) → 0",
        "r k1 amount: 1 → 1",
        "r: … and 3 more values changed",
        "r: 5 row(s) added: a, b, c and 2 more",
        "r: 1 row(s) removed: z",
    ]
    changed[1]["new"] = ""
    assert summary_lines(diff, limit=5)[1] == "r k1 amount: 1 → (blank)"
    assert len(summary_lines(diff)) == 7  # 5 values, added, removed: nothing cut at the default 20


def test_a_field_added_to_the_key_rekeys_every_row(tmp_path):
    """The new version keys its rows by a field the old one lacked: every old row is one out, every
    new row one in (the old rows' key part is blank), and nothing is lost net."""
    old = write(tmp_path / "old", {"units": UNITS})
    rekeyed = resource(with_field(UNITS, "scope", "all", 1), key=["unit_code", "scope"])
    diff = diff_packages(old, write(tmp_path / "new", {"units": rekeyed}))
    assert diff["resources"]["units"] == {
        "added": ["157001/all", "157003/all"],
        "removed": ["157001/", "157003/"],
        "changed": [],
    }
    assert change_level(diff) == "minor" and removals(diff) == []


def test_a_removed_row_is_named_by_its_whole_key(tmp_path, old):
    diff = diff_to(
        tmp_path, old, {"three_public_expenses": resource(THREE_PUBLIC, rows=THREE_PUBLIC["rows"][:2]), "units": UNITS}
    )
    assert diff["resources"]["three_public_expenses"]["removed"] == ["budget/official_reception"]


def test_fields_after_the_source_line_are_still_compared(tmp_path):
    spec = {"fields": ["code", "source_line", "amount"], "key": ["code"], "rows": [["1", "5", "10.00"]]}
    old = write(tmp_path / "old", {"r": spec})
    diff = diff_packages(old, write(tmp_path / "new", {"r": resource(spec, rows=[["1", "6", "11.00"]])}))
    assert diff["resources"]["r"]["changed"] == [{"key": "1", "field": "amount", "old": "10.00", "new": "11.00"}]


def test_resources_and_schemas_may_be_absent(tmp_path):
    """A descriptor without resources, or a resource without a schema or fields (written by hand),
    is compared, not a crash."""
    old = write(tmp_path / "old", {"units": UNITS})
    descriptor = json.loads((old / "datapackage.json").read_text(encoding="utf-8"))
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "datapackage.json").write_text(json.dumps({"name": descriptor["name"]}), encoding="utf-8")
    diff = diff_packages(bare, old)
    assert diff["schema"] == [{"resource": "units", "change": "resource added", "level": "minor"}]
    assert [s["change"] for s in diff_packages(old, bare)["schema"]] == ["resource removed"]
    for schema in ({}, None):
        for side in ("old", "new"):
            folder = write(tmp_path / f"{side}-{schema}", {"units": UNITS})
            meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
            if schema is None:
                del meta["resources"][0]["schema"]
            else:
                meta["resources"][0]["schema"] = schema
            meta["resources"][0]["hash"] = "sha256:edited"
            (folder / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
            pair = (folder, old) if side == "old" else (old, folder)
            diff = diff_packages(*pair)
            lost = "field removed" if side == "new" else "field added"
            assert [s["change"] for s in diff["schema"]] == [lost] * 3
            assert diff["resources"] == {}  # no field in common: nothing to compare value by value


def test_summary_lines_cut_exactly_at_the_limit():
    def diff(changed: int, added: int) -> dict:
        values = [{"key": f"k{i}", "field": "amount", "old": "1", "new": "2"} for i in range(changed)]
        rows = {"changed": values, "added": [f"a{i}" for i in range(added)], "removed": []}
        return {"metadata": [], "schema": [], "resources": {"r": rows}}

    assert summary_lines(diff(2, 0), limit=2) == ["r k0 amount: 1 → 2", "r k1 amount: 1 → 2"]
    assert summary_lines(diff(21, 0))[-1] == "r: … and 1 more values changed"
    assert len(summary_lines(diff(20, 0))) == 20
    assert summary_lines(diff(0, 3)) == ["r: 3 row(s) added: a0, a1, a2"]
    assert summary_lines(diff(0, 4)) == ["r: 4 row(s) added: a0, a1, a2 and 1 more"]
