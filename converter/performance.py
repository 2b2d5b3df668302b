"""Stage 4 for performance forms: 整体支出绩效目标表, 项目支出绩效目标表 (项目申报表), 自评表.

These are forms, not grids: label | value pairs, a funding block, an expense-estimate block, goal
statements and indicator blocks, each block with its own header, spread over several tables
(a project's 长期绩效目标表 and 年度绩效目标表 follow its 12-x table) and damaged more than any
other table: wrapped cells, rows shifted a column left or right, vertical labels cut into
fragments. They are read line by line:

* an indicator header (一级指标 … 三级指标 …) fixes the value columns (指标值, 前年 | 上年 |
  预计当年实现, 实际完成值, 得分, 指标值确定依据);
* an indicator line is classified cell by cell (level-1 and level-2 names are a small closed
  vocabulary; the first other text is the level-3 indicator), then its values are read either by
  the header's columns or, when the line is shifted, in order after the indicator, whichever
  reading places the line's cells better;
* a line with text but no indicator level and no value continues the indicator above;
* everything else is a detail of the form (label | value, funding source, expense line, purchase,
  budget execution), kept with its printed text, amounts parsed where the label says money.

Every cell ends in a row; nothing is dropped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, repeat

from converter.cells import clean_text, compact, remember, to_yuan
from converter.codelists import CODELIST_DIR
from converter.report import Finding
from converter.segment import RawTable

Row = dict[str, object]


def _indicator_levels() -> tuple[set[str], set[str], dict[str, str]]:
    """Level-1 names, level-2 names and each level-2's level-1, from the national template
    (schema/codelists/performance_indicators.csv)."""
    with (CODELIST_DIR / "performance_indicators.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    level1 = {r["name"] for r in rows if r["level"] == "1"}
    level2 = {r["name"] for r in rows if r["level"] == "2"}
    parents = {r["name"]: r["parent"] for r in rows if r["level"] == "2" and r["parent"]}
    return level1, level2, parents


LEVEL1, LEVEL2, PARENT_OF = _indicator_levels()
_SCORE_NOTE = re.compile(r"[（(]\s*[\d.]*\s*分\s*[)）]")
_UNIT_NOTE = re.compile(r"[（(]万元[)）]")
_TRAILING_NUMBER = re.compile(r"[\d、,，]+$")
_VALUE_LIKE = re.compile(r"[\d%≥≤<>=]")
_TARGET = re.compile(
    r"^(?:累计|不低于|不高于|全年)?\s*(≥|≤|>|<|=|＞|＜|≧|≦|大于等于|小于等于|大于|小于)?\s*(\d+(?:\.\d+)?)\s*([^\d\s]{0,6})$"
)
_COMPARATORS = {"＞": ">", "＜": "<", "≧": "≥", "≦": "≤", "大于等于": "≥", "小于等于": "≤", "大于": ">", "小于": "<"}
_MONEY = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(万元|万|元)?$")

# Form labels → detail item keys; the value after the label is kept as printed.
ATTRIBUTES = {
    "项目名称": "project_name",
    "项目编码": "project_code",
    "项目编号": "project_code",
    "项目主管部门": "department",
    "主管部门": "department",
    "项目执行单位": "executing_unit",
    "项目实施单位": "executing_unit",
    "执行单位": "executing_unit",
    "实施单位": "executing_unit",
    "项目负责人": "manager",
    "联系电话": "phone",
    "单位地址": "address",
    "邮政编码": "postcode",
    "项目属性": "project_property",
    "支出项目类别": "project_category",
    "项目类别": "project_category",
    "项目类型": "project_type",
    "起始年度": "start_year",
    "终止年度": "end_year",
    "项目期": "period",
    "项目申请理由": "reason",
    "项目立项依据": "reason",
    "项目主要内容": "content",
    "项目实施方案": "content",
    "项目总预算": "total_budget",
    "项目当年预算": "current_year_budget",
    "项目前两年预算及当年预算变动情况": "budget_changes",
    "部门名称": "department",
    "单位名称": "department",
    "填报人": "reporter",
    "部门职能概述": "functions",
    "年度工作任务": "annual_tasks",
    "基本支出总额": "basic_expenditure_total",
    "项目支出总额": "project_expenditure_total",
    "总分": "total_score",
}
MONEY_ITEMS = {"total_budget", "current_year_budget", "basic_expenditure_total", "project_expenditure_total"}


_LABELS: dict[str, str] = {}
_LEVELS: dict[str, tuple[bool, bool, bool]] = {}
_FORM_CELLS: dict[str, str] = {}
_GOAL_LABELS: dict[str, str | None] = {}
_TARGETS: dict[str, tuple[str, Decimal | None, str]] = {}


def _label(text: str) -> str:
    """A label compared without spaces, score notes (（5 分）) or unit notes (（万元）)."""
    label = _LABELS.get(text)
    return remember(_LABELS, text, _bare_label(text)) if label is None else label


def _bare_label(text: str) -> str:
    return _SCORE_NOTE.sub("", _UNIT_NOTE.sub("", compact(text)))


def level1(text: str) -> bool:
    return _label(text) in LEVEL1


def level2(text: str, loose: bool) -> bool:
    label = _TRAILING_NUMBER.sub("", _label(text))
    if label in LEVEL2:
        return True
    return loose and label.endswith("指标") and 4 <= len(label) <= 10 and label not in LEVEL1


def _levels(text: str) -> tuple[bool, bool, bool]:
    """(level-1 name, level-2 name, level-2 name read loosely): one remembered look per cell."""
    levels = _LEVELS.get(text)
    return remember(_LEVELS, text, _look_levels(text)) if levels is None else levels


def _look_levels(text: str) -> tuple[bool, bool, bool]:
    return level1(text), level2(text, False), level2(text, True)


def goal_label(text: str) -> str | None:
    """long_term / annual / overall for a goal label cell (长期目标 1:, 年度绩效目标, 总目标 …)."""
    return _GOAL_LABELS[text] if text in _GOAL_LABELS else remember(_GOAL_LABELS, text, _goal_label(text))


def _goal_label(text: str) -> str | None:
    label = _label(text)
    if ("目标" not in label and label != "年度指标" and not re.match(r"^(长期|年度)(绩效)?目", label)) or len(
        label
    ) > 16:
        return None
    if "长期" in label:
        return "long_term"
    if "年度" in label:
        return "annual"
    if "总目标" in label:
        return "overall"
    return None


def parse_target(value: str) -> tuple[str, Decimal | None, str]:
    """(comparator, number, unit) of a target value such as ≥10 个, 100%, ≤4小时; blanks when free text."""
    target = _TARGETS.get(value)
    return remember(_TARGETS, value, _parse_target(value)) if target is None else target


def _parse_target(value: str) -> tuple[str, Decimal | None, str]:
    match = _TARGET.match(compact(value))
    if not match:
        return "", None, ""
    comparator = match.group(1) or ""
    return _COMPARATORS.get(comparator, comparator), Decimal(match.group(2)), match.group(3)


def is_money(text: str) -> bool:
    """Whether a form cell reads as an amount (what money() would read), without reading it."""
    return _MONEY.match(compact(text)) is not None


def money(text: str, factor: int) -> Decimal | None:
    """An amount in a form cell: '852.16', '78.4 万元', '8 万' (in the table's unit unless it says)."""
    match = _MONEY.match(compact(text))
    if not match:
        return None
    unit = match.group(2)
    value = Decimal(match.group(1).replace(",", ""))
    return to_yuan(value, 1 if unit == "元" else (10000 if unit in ("万元", "万") else factor))


@dataclass
class IndicatorHeader:
    l1: int
    l3: int
    columns: dict[int, str]  # column → field (target, prior_year_1, actual, score, basis …)

    def __post_init__(self) -> None:
        self.order = tuple(sorted(self.columns))  # the value columns left to right
        self.names = tuple(self.columns[c] for c in self.order)


VALUE_FIELDS = (
    ("前年", "prior_year_2"),
    ("上年", "prior_year_1"),
    ("预计当年", "target"),
    ("预期当年", "target"),
    ("实际", "actual"),
    ("得分", "score"),
    ("分值", "weight"),
    ("依据", "basis"),
    ("偏差", "note"),
    ("目标值", "target"),
    ("指标值", "target"),
    ("指标性质", "comparator"),  # Beijing's list of projects: ＝ | ≥ | ≤ | 定性 in a column of its own
    ("度量单位", "unit"),
)
_SUBHEADER_WORDS = ("前年", "上年", "近两年", "预期", "预计", "实现值", "依据", "指标值", "目标值")


def _is_subheader(cells: list[str]) -> bool:
    """A further header line under the indicator header (近两年指标值 | 预期当年实现值, 前年 | 上年)."""
    filled = [compact(c) for c in cells if c.strip()]
    return bool(filled) and all(any(w in c for w in _SUBHEADER_WORDS) for c in filled)


def indicator_header(rows: list[list[str]]) -> tuple[IndicatorHeader | None, int]:
    """The indicator header starting at rows[0] and the number of lines it spans."""
    labels = [compact(c) for c in rows[0]]
    if "一级指标" not in labels or not any("三级指标" in x for x in labels):
        return None, 0
    span = 1
    while span < len(rows) and _is_subheader(rows[span]):
        span += 1
    l1 = labels.index("一级指标")
    l3 = next(i for i, x in enumerate(labels) if "三级指标" in x)
    width = max(len(r) for r in rows[:span])
    stacked = ["".join(compact(r[i]) for r in rows[:span] if i < len(r)) for i in range(width)]
    columns: dict[int, str] = {}
    pending: list[str] = []
    for i in range(l3 + 1, width):
        names = [f for word, f in VALUE_FIELDS if word in stacked[i] and f not in columns.values()]
        names = list(dict.fromkeys(names))
        if not names and pending:
            names = [pending.pop(0)]  # a second label printed over the previous column lands here
        if names:
            columns[i] = names[0]
            pending += [n for n in names[1:] if n not in pending and n not in columns.values()]
    next_column = width
    for name in pending:
        if name not in columns.values():
            columns[next_column] = name
            next_column += 1
    return IndicatorHeader(l1, l3, columns), span


def _value_like(text: str) -> bool:
    return bool(_VALUE_LIKE.search(text))


def _score(values: dict[str, str]) -> int:
    """Cells placed, less two for a number read as the basis (指标值确定依据 is prose or a 标准)."""
    good = len(values) - list(values.values()).count("")
    basis = values.get("basis", "")
    wrong = bool(basis) and _value_like(basis) and not _label(basis).endswith("标准")
    return good - 2 * wrong


@dataclass
class FormState:
    """What a form's later tables need from its first: the project, the scope, the open goals."""

    scope: str = "project"
    project_name: str = ""
    goal_type: str = ""
    goals: dict[str, str] = field(default_factory=dict)
    header: IndicatorHeader | None = None
    mode: str = "attribute"
    section_columns: dict[int, str] = field(default_factory=dict)
    level1: str = ""
    level2: str = ""
    lead: dict[int, tuple[str, str]] = field(default_factory=dict)  # a project list's columns before 一级指标
    # the list of projects the form before ended in: its header printed again (garbled) on a new page
    list_before: tuple[dict[int, tuple[str, str]], IndicatorHeader] | None = None


CONTINUATION_TITLES = ("长期绩效目标表", "年度绩效目标表")


def starts_form(title: str) -> bool:
    return compact(title) not in CONTINUATION_TITLES


def _detail(
    state: FormState,
    section: str,
    item: str,
    label: str,
    text: str,
    line: int,
    amount: Decimal | None = None,
    economic: str = "",
    note: str = "",
) -> Row:
    return {
        "scope": state.scope,
        "project_name": state.project_name,
        "section": section,
        "item": item,
        "label": clean_text(label),
        "text": clean_text(text),
        "amount": amount,
        "economic": clean_text(economic),
        "note": clean_text(note),
        "source_line": line,
    }


def map_performance(raw: RawTable, state: FormState) -> tuple[list[Row], list[Row], list[Finding], FormState]:
    """(indicator and goal rows, detail rows, findings, the form's state for its next table)."""
    title = compact(raw.title)
    if starts_form(raw.title):
        before = (state.lead, state.header) if state.lead and state.header else None
        state = FormState(scope="overall" if "整体" in title else "project", list_before=before)
        quoted = re.search(r"[“\"（(]([^”\"）)]+)[”\"）)]", raw.title)
        if quoted and state.scope == "project":
            state.project_name = clean_text(quoted.group(1))
    else:
        state.goal_type = "long_term" if "长期" in title else "annual"
        state.header = None
        state.mode = "indicators"
    ref = f"{raw.label} {raw.title}".strip()
    targets: list[Row] = []
    details: list[Row] = []
    findings: list[Finding] = []
    rows = raw.rows
    last_indicator: Row | None = None
    skip: set[int] = set()
    for index, row in enumerate(rows):
        if index in skip:
            continue  # a line of the indicator header above
        cells = [_form_cell(c) for c in row.cells]
        filled = [(i, c) for i, c in enumerate(cells) if c]
        if not filled:
            continue
        joined = compact("".join(cells))  # blank cells add nothing
        header, span = (None, 0)
        if "一级指标" in joined:
            following = [[clean_text(c) for c in r.cells] for r in rows[index : index + 4]]
            header, span = indicator_header(following)
        if header:
            lead, lead_span = lead_columns(
                [[clean_text(c) for c in r.cells] for r in rows[index : index + 2]], header.l1
            )
            if state.lead and state.header and header.l1 == state.header.l1:
                lead = state.lead  # the list's header again on a new page (its cells may be garbled there)
            elif state.list_before and state.list_before[1].l1 == header.l1 and len(lead) < len(state.list_before[0]):
                lead = state.list_before[0]  # so is a list's header under its title printed again
            state.lead = lead
            skip.update(range(index + 1, index + max(span, lead_span if lead else 1)))
            state.header, state.mode, state.level1, state.level2 = header, "indicators", "", ""
            first = compact(cells[0])
            kind = goal_label(cells[0]) if cells[0] else None
            if kind:
                state.goal_type = kind
            elif "长期" in first:
                state.goal_type = "long_term"
            elif "年度" in first:
                state.goal_type = "annual"
            continue
        elif state.header is None and not state.lead and ("目标" in joined or "自评" in joined):
            lead = list_lead([clean_text(c) for c in row.cells])
            if lead:
                state.lead, state.mode = lead, "indicators"  # a list of projects' goals without indicators
                continue
        if state.lead and state.mode == "indicators":
            if state.header is None and _list_line_continued(cells, state, targets, details):
                continue
            cells, goal = _project_of_line(cells, state, raw.factor, row.line, details)
            if goal is not None:
                targets.append(goal)
            filled = [(i, c) for i, c in enumerate(cells) if c]
            if not filled:
                continue
            joined = compact("".join(cells))
        if joined[:1].isdigit() and _GOAL_NUMBER.fullmatch(joined) and targets and targets[-1]["row_type"] == "goal":
            targets[-1]["goal"] = f"{targets[-1]['goal']}{joined}"  # the goal's number, wrapped
            continue
        first_i, first = filled[0]
        kind = goal_label(first) if first_i <= 1 else None
        rest = [c for _, c in filled[1:]]
        if kind and rest and not any(lv[0] or lv[2] for lv in map(_levels, rest[:2])) and len(rest[0]) > 8:
            text = " ".join(rest)
            state.goals[kind] = text
            state.goal_type = kind
            targets.append(_goal_row(state, kind, first, text, row.line))
            continue
        if kind and not rest:
            state.goal_type = kind
            continue
        if state.mode == "indicators" and state.header:
            parsed = _indicator(cells, state, kind)
            if parsed is None:
                if targets and targets[-1]["row_type"] == "goal" and not any(_levels(c)[0] for _, c in filled):
                    goal = targets[-1]
                    goal["goal_text"] = clean_text(f"{goal['goal_text']}{''.join(c for _, c in filled)}")
                    state.goals[str(goal["goal_type"])] = str(goal["goal_text"])
                    continue  # the goal statement wrapped onto this line
                if last_indicator is not None and not any(lv[0] or lv[1] for lv in (_levels(c) for _, c in filled)):
                    _continue(last_indicator, cells, state.header)
                    findings.append(
                        Finding(
                            "info",
                            "joined-row",
                            f"text on line {row.line} continues the indicator on line {last_indicator['source_line']}",
                            resource="performance_targets",
                            source_line=row.line,
                            table=ref,
                        )
                    )
                continue
            record, notes = parsed
            record["source_line"] = row.line
            targets.append(record)
            last_indicator = record
            for check, note in notes:
                findings.append(
                    Finding("info", check, note, resource="performance_targets", source_line=row.line, table=ref)
                )
            continue
        details.extend(_detail_rows(cells, filled, joined, state, raw.factor, row.line, details))
    return targets, details, findings, state


_CHECKED = re.compile(r"<input[^>]*\bchecked\b[^>]*>", re.IGNORECASE)
_UNCHECKED = re.compile(r"<input[^>]*>", re.IGNORECASE)


_GOAL_NUMBER = re.compile(r"\d+[:：]?")


def _form_cell(cell: str) -> str:
    """A form cell as printed, its checkboxes made ☑/☐ (forms repeat their cells: remembered)."""
    cleaned = _FORM_CELLS.get(cell)
    return remember(_FORM_CELLS, cell, _clean_form_cell(cell)) if cleaned is None else cleaned


def _clean_form_cell(cell: str) -> str:
    return clean_text(_checkboxes(cell))


def _checkboxes(cell: str) -> str:
    """Form checkboxes the extraction left as HTML: ☑ for the ticked one, ☐ for the others."""
    if "<input" not in cell.lower():
        return cell
    return _UNCHECKED.sub(" ☐ ", _CHECKED.sub(" ☑ ", cell))


def _goal_row(state: FormState, kind: str, label: str, text: str, line: int) -> Row:
    return {
        "scope": state.scope,
        "project_name": state.project_name,
        "row_type": "goal",
        "goal_type": kind,
        "goal": clean_text(label),
        "goal_text": text,
        "source_line": line,
    }


def _indicator(cells: list[str], state: FormState, goal_kind: str | None) -> tuple[Row, list[tuple[str, str]]] | None:
    header = state.header
    assert header is not None
    l1 = l2 = ""
    c3 = -1
    header_l1 = header.l1
    for i, cell in enumerate(cells):
        if not cell:
            continue
        is_level1, is_level2, is_loose_level2 = _levels(cell)
        if is_level1 and not l2:
            l1 = cell
        elif is_loose_level2 if i >= header_l1 else is_level2:
            l2 = cell
        elif i < header_l1:
            continue  # a goal label or a fragment of a vertical label (长 | 期 绩 效 指 标)
        else:
            c3 = i
            break
    if c3 < 0:
        if l1 or l2:  # a level printed alone: it governs the lines below
            state.level1, state.level2 = l1 or state.level1, l2 or (state.level2 if not l1 else "")
        return None
    inferred_level1 = ""
    previous_level1 = state.level1
    columns, width = header.columns, len(cells)
    after = cells[c3 + 1 :]
    positional = {columns[c]: cells[c] if c < width else "" for c in header.order if c > c3}
    stranded = sum(1 for c, v in enumerate(after, c3 + 1) if v and c not in columns)
    in_order = dict(zip(header.names, chain(after, repeat("")), strict=False))
    has_values = any(positional.values()) or any(in_order.values())
    if not has_values and not l1 and not l2:
        return None
    # read by the header's columns unless reading in order after the indicator places more cells
    in_order_score, positional_score = _score(in_order), _score(positional) - stranded
    use_order = in_order_score > positional_score or (in_order_score == positional_score and c3 != header.l3)
    values = in_order if use_order else positional
    placed = set(values.values())
    leftover = [v for v in after if v and v not in placed]
    if l1:
        state.level1, state.level2 = l1, ""
    if l2:
        state.level2 = l2
        parent = PARENT_OF.get(_TRAILING_NUMBER.sub("", _label(l2)))
        if not l1 and parent and _label(state.level1) != parent:
            # the level-1 cell was merged over lines and lost: the template says which it is
            inferred_level1 = parent
            state.level1 = parent
    target = values.get("target", "")
    nature = values.get("comparator", "")
    if nature or values.get("unit"):
        # printed in three cells (＝ | 100 | %): the target as one reads it; 定性 (qualitative) goes to the note
        target = f"{nature if parse_target(nature + '0')[0] else ''}{target}{values.get('unit', '')}"
        if nature and not parse_target(nature + "0")[0]:
            leftover.insert(0, nature)
    comparator, number, unit = parse_target(target)
    record: Row = {
        "scope": state.scope,
        "project_name": state.project_name,
        "row_type": "indicator",
        "goal_type": goal_kind or state.goal_type,
        "goal": "",
        "goal_text": state.goals.get(goal_kind or state.goal_type, ""),
        "level1": l1 or state.level1,
        "level2": l2 or state.level2,
        "level3": cells[c3],
        "target_value": target,
        "comparator": comparator,
        "target_number": number,
        "target_unit": unit,
        "basis": values.get("basis", ""),
        "prior_year_2": values.get("prior_year_2", ""),
        "prior_year_1": values.get("prior_year_1", ""),
        "actual_value": values.get("actual", ""),
        "weight": values.get("weight", ""),
        "score": values.get("score", ""),
        "note": " ".join([values.get("note", ""), *leftover]).strip(),
    }
    notes: list[tuple[str, str]] = []
    if inferred_level1:
        notes.append(
            (
                "inferred-level",
                f"'{cells[c3]}' prints no 一级指标 and the one above ({previous_level1 or 'none'}) is not {l2}'s; "
                f"{inferred_level1} is the level-1 indicator {l2} belongs to in the national template",
            )
        )
    if use_order:
        notes.append(
            (
                "shifted-row",
                f"the indicator '{cells[c3]}' stands in column {c3 + 1}, not {header.l3 + 1} as the header has it; "
                "its values were read in order after it",
            )
        )
    return record, notes


# Columns a list of projects prints before its indicators (Beijing's 项目支出绩效目标表: one project
# per block of lines, its name, amounts and goal on the block's first line), by header word.
LEAD_FIELDS = (
    ("项目名称", "project"),
    ("财政", "funding_source"),
    ("其他资金", "funding_source"),
    ("总额", "total_budget"),
    ("合计", "total_budget"),
    ("预算数", "current_year_budget"),
    ("预算金额", "current_year_budget"),
    ("目标", "goal"),
    ("单位名称", "executing_unit"),  # 二级预算单位名称: the unit that carries the project
    ("自评", "total_score"),  # 自评分数 | 自评得分 of a list of projects' self-evaluations (决算)
)
LEAD_AMOUNTS = {"total_budget": "attribute", "current_year_budget": "attribute", "funding_source": "funding_source"}
_PROJECT_CODE = re.compile(r"^([0-9A-Z]{10,})\s*[-－—]\s*(.+)$")


def lead_columns(rows: list[list[str]], l1: int) -> tuple[dict[int, tuple[str, str]], int]:
    """The columns before 一级指标 of an indicator header that lists projects (项目名称 | 项目总额 |
    其中：财政资金 | 其他资金 | 绩效目标 | 一级指标 …): column → (field, printed label), and how many
    lines the header spans (a second line names the 其中 columns). Empty for a single form."""
    stacked: dict[int, str] = {}
    span = 1
    second = rows[1] if len(rows) > 1 else []
    if second and not any(is_money(c) or _levels(c)[0] for c in second if c) and not any(second[l1:]):
        span = 2
    for cells in rows[:span]:
        for i, cell in enumerate(cells[:l1]):
            if cell:
                stacked[i] = stacked.get(i, "") + compact(cell)
    lead: dict[int, tuple[str, str]] = {}
    for i, label in stacked.items():
        name = next((f for word, f in LEAD_FIELDS if word in label), "")
        if name:
            lead[i] = (name, re.sub(r"^其中[:：]?", "", label))
    if "project" not in {name for name, _ in lead.values()}:
        return {}, span
    return lead, span


def list_lead(cells: list[str]) -> dict[int, tuple[str, str]]:
    """The columns of a list of projects and their goals printed without indicators (二级预算单位名称
    | 一级项目名称 | 预算数（万元） | 绩效目标), or their self-evaluation scores (项目名称 | 自评分数):
    column → (field, printed label) when every cell of the line is such a label, naming at least
    the project and its goal or score; else empty."""
    lead: dict[int, tuple[str, str]] = {}
    for i, cell in enumerate(cells):
        label = compact(cell)
        if not label:
            continue
        name = next((f for word, f in LEAD_FIELDS if word in label), "")
        if not name:
            return {}
        lead[i] = (name, re.sub(r"^其中[:：]?", "", label))
    names = {name for name, _ in lead.values()}
    return lead if "project" in names and names & {"goal", "total_score"} else {}


def _list_line_continued(cells: list[str], state: FormState, targets: list[Row], details: list[Row]) -> bool:
    """In a list without indicators, a line with text only under 绩效目标 and the unit's name is
    the project above wrapped onto the next page: its text is joined to that goal and unit."""
    filled = {i: c for i, c in enumerate(cells) if c}
    continued = {i: state.lead[i][0] for i in filled if i in state.lead}
    if not filled or len(continued) < len(filled) or not set(continued.values()) <= {"goal", "executing_unit"}:
        return False
    if not targets or targets[-1]["row_type"] != "goal" or targets[-1]["project_name"] != state.project_name:
        return False
    unit = next((d for d in reversed(details) if d["item"] == "executing_unit"), None)
    if "executing_unit" in continued.values() and (unit is None or unit["project_name"] != state.project_name):
        return False
    for i, name in continued.items():
        record, text_field = (targets[-1], "goal_text") if name == "goal" else (unit, "text")
        assert record is not None
        record[text_field] = clean_text(f"{record[text_field]}{filled[i]}")
    return True


def _project_of_line(
    cells: list[str], state: FormState, factor: int, line: int, details: list[Row]
) -> tuple[list[str], Row | None]:
    """The first line of a project in a list of projects: its name, amounts (project_details) and
    goal (a goal row); the line's cells without them, for its indicator. A name with no amount
    and no goal continues the name above."""
    # a cell that is its column's label is the list's header printed again (under a garbled first line)
    values = {i: cells[i] for i in state.lead if i < len(cells) and cells[i] and compact(cells[i]) != state.lead[i][1]}
    rest = [c if i not in state.lead else "" for i, c in enumerate(cells)]
    if not values:
        return rest, None
    fields = {i: state.lead[i][0] for i in values}
    name = next((values[i] for i, f in fields.items() if f == "project"), "")
    if name and set(fields.values()) == {"project"} and details and details[-1]["item"] == "project_name":
        details[-1]["text"] = clean_text(f"{details[-1]['text']}{name}")  # the name wrapped onto this line
        state.project_name = str(details[-1]["text"])
        return rest, None
    if name:
        code_and_name = _PROJECT_CODE.match(clean_text(name))
        state.project_name = clean_text(code_and_name.group(2) if code_and_name else name)
        state.goals, state.goal_type, state.level1, state.level2 = {}, "", "", ""
        if code_and_name:
            details.append(_detail(state, "attribute", "project_code", "项目编码", code_and_name.group(1), line))
        details.append(
            _detail(
                state, "attribute", "project_name", state.lead[_key(fields, "project")][1], state.project_name, line
            )
        )
    goal = None
    for i, field_name in fields.items():
        label = state.lead[i][1]
        if field_name == "goal":
            state.goals[""] = values[i]
            goal = _goal_row(state, "", label, values[i], line)
        elif field_name in LEAD_AMOUNTS:
            amount = money(values[i], factor)
            item = "" if field_name == "funding_source" else field_name
            details.append(
                _detail(state, LEAD_AMOUNTS[field_name], item, label, values[i] if amount is None else "", line, amount)
            )
        elif field_name in ("executing_unit", "total_score"):
            details.append(_detail(state, "attribute", field_name, label, values[i], line))
    return rest, goal


def _key(fields: dict[int, str], name: str) -> int:
    return next(i for i, f in fields.items() if f == name)


def _continue(record: Row, cells: list[str], header: IndicatorHeader) -> None:
    """Append a continuation line's text to the indicator above: the name, or its last text field."""
    for i, cell in enumerate(cells):
        if not cell:
            continue
        if i <= header.l3 and i >= header.l1:
            record["level3"] = clean_text(f"{record['level3']}{cell}")
            continue
        if i < header.l1:
            continue  # a fragment of a vertical label
        target = (
            "basis"
            if record.get("basis")
            else next((f for f in ("note", "score", "actual_value", "target_value") if record.get(f)), "note")
        )
        record[target] = clean_text(f"{record.get(target) or ''}{cell}")


# Column labels of the list blocks inside a form, and the detail field each fills.
LIST_COLUMNS = (
    ("项目活动", "label"),
    ("活动内容", "text"),
    ("经济", "economic"),
    ("测算", "note"),
    ("备注", "note"),
    ("品名", "label"),
    ("数量", "text"),
    ("项目名称", "label"),
    ("项目类别", "text"),
    ("本年度预算", "amount"),
    ("当年预算", "amount"),
    ("总预算", "note"),
    ("用途", "note"),
    ("金额", "amount"),
)
LIST_SECTIONS = (("项目活动", "expense_line"), ("品名", "procurement_item"), ("项目名称", "project_list"))


def list_header(cells: list[str]) -> tuple[str, dict[int, str]] | None:
    """(section, column → field) when a line heads a list block (项目活动 | 活动内容 | … | 金额)."""
    labels = {i: compact(c) for i, c in enumerate(cells) if c}
    if len(labels) < 3:
        return None
    text = "\n".join(labels.values())  # no label holds a line break: a word found is in one label
    section = next((sec for word, sec in LIST_SECTIONS if word in text), None)
    if section is None:
        return None
    columns: dict[int, str] = {}
    for i, label in labels.items():
        name = next((f for word, f in LIST_COLUMNS if word in label), None)
        if name:
            columns[i] = name
    if len(columns) < 3 or any(is_money(c) for c in cells if c):
        return None
    return section, columns


def _detail_rows(
    cells: list[str],
    filled: list[tuple[int, str]],
    joined: str,
    state: FormState,
    factor: int,
    line: int,
    previous: list[Row],
) -> list[Row]:
    """A line of the form outside the indicator blocks, as detail rows (none for a section heading)."""
    heading = list_header(cells) if len(filled) >= 3 else None  # a list header has three labels or more
    if heading:
        state.mode, state.section_columns = heading[0], heading[1]
        return []
    if "资金来源" in joined:
        state.mode = "funding_source"
        return []
    if "支出明细测算" in joined and len(filled) <= 2:
        state.mode, state.section_columns = "expense_line", {}
        return []
    if joined.startswith("项目采购") and len(filled) <= 2:
        state.mode, state.section_columns = "procurement_item", {}
        return []
    if state.mode in ("expense_line", "procurement_item", "project_list") and any(goal_label(c) for _, c in filled):
        state.mode = "goals"  # the goals block's own header ends the list
    if "绩效总目标" in joined or joined == "名称目标说明":
        state.mode = "goals"
        return []
    if "预算数" in joined and "执行数" in joined:
        state.mode = "budget_execution"
        state.section_columns = {i: compact(c) for i, c in filled}
        return []
    last = previous[-1] if previous else None
    if state.mode in ("expense_line", "procurement_item", "project_list") and state.section_columns:
        if joined in ("表述分类", "表述", "分类"):
            return []  # the list header's second line
        values: dict[str, list[str]] = {}
        for i, name in state.section_columns.items():
            if i < len(cells) and cells[i]:
                values.setdefault(name, []).append(cells[i])
        extra = [c for i, c in filled if i not in state.section_columns]
        amount_text = " ".join(values.get("amount", []))
        amount = money(amount_text, factor) if amount_text else None
        if not values.get("label") and amount is None and last is not None and last["section"] == state.mode:
            for name, texts in values.items():  # a wrapped line continues the line above, field by field
                if name in ("text", "economic", "note"):
                    last[name] = clean_text(f"{last[name]}{''.join(texts)}")
            if extra:
                last["note"] = clean_text(f"{last['note']} {' '.join(extra)}")
            return []
        note = " ".join(values.get("note", []) + ([amount_text] if amount is None and amount_text else []) + extra)
        return [
            _detail(
                state,
                state.mode,
                "",
                " ".join(values.get("label", [])),
                " ".join(values.get("text", [])),
                line,
                amount,
                " ".join(values.get("economic", [])),
                note,
            )
        ]
    if state.mode == "funding_source":
        label = next((c for _, c in filled if not is_money(c)), "")
        amounts = [c for _, c in filled if is_money(c)]
        if label and not amounts and _label(label) in ATTRIBUTES:
            state.mode = "attribute"  # the funding block has ended
        else:
            amount = money(amounts[0], factor) if amounts else None
            return [_detail(state, "funding_source", "", label, " ".join(amounts[1:]), line, amount)]
    if state.mode == "budget_execution" and state.section_columns:
        label = next((c for _, c in filled if not _value_like(c)), "")
        out = []
        for i, cell in filled:
            if cell == label:
                continue
            name = state.section_columns.get(i, "")
            amount = money(cell, factor) if any(w in name for w in ("预算数", "执行数")) else None
            out.append(
                _detail(
                    state,
                    "budget_execution",
                    "",
                    f"{label} {name}".strip(),
                    cell if amount is None else "",
                    line,
                    amount,
                )
            )
        return out
    pairs = _pairs([c for _, c in filled])
    if pairs:
        out = []
        for label, value in pairs:
            key = ATTRIBUTES.get(_label(label), "")
            amount = money(value, factor) if key in MONEY_ITEMS else None
            if key == "project_name" and value and state.scope == "project":
                state.project_name = value
            out.append(_detail(state, "attribute", key, label, value if amount is None else "", line, amount))
        return out
    if len(filled) == 1 and last is not None and last["section"] == "attribute" and last["text"]:
        last["text"] = clean_text(f"{last['text']}{filled[0][1]}")  # a long value wrapped onto this line
        return []
    texts = [c for _, c in filled if not is_money(c)]
    amounts = [c for _, c in filled if is_money(c)]
    return [
        _detail(
            state,
            "other",
            "",
            " / ".join(texts[:2]),
            " ".join(texts[2:] + amounts[1:]),
            line,
            money(amounts[0], factor) if amounts else None,
        )
    ]


def _pairs(cells: list[str]) -> list[tuple[str, str]]:
    """Label | value pairs of a form line: each known label takes the next cell that is not a label.
    A two-cell line of text is a pair too; anything else is not a pair line ([])."""
    if not cells or (_label(cells[0]) not in ATTRIBUTES and not (len(cells) == 2 and not _value_like(cells[0]))):
        return []
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(cells):
        label = cells[k]
        value = ""
        if k + 1 < len(cells) and _label(cells[k + 1]) not in ATTRIBUTES:
            value = cells[k + 1]
            k += 1
        out.append((label, value))
        k += 1
    return out
