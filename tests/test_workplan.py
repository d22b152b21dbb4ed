"""Work plans: the 任务分解表 of the real Zhoucun 2021 plan read into its 52 tasks with their units (merged cells
filled down), the same table read from Excel and Word with real merged cells, other column layouts, the split of
unit lists, storage and the command line."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from loaders import workplan
from loaders.model import ReportError
from tests.dbutil import rows

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "fixtures" / "reports" / "zhoucun-district-workplan-2021.txt"
ALL = ["各镇政府", "街道办事处", "周村经济开发区管委会", "区政府各部门单位"]


@pytest.fixture(scope="module")
def plan() -> workplan.WorkPlan:
    """The seed work plan, parsed."""
    return workplan.parse_workplan_file(SEED)


def task(plan: workplan.WorkPlan, number: int) -> workplan.Task:
    """The task printed with this 序号."""
    (found,) = [t for t in plan.tasks if t.task_no == str(number)]
    return found


def line(number: int) -> str:
    """A line of the seed file as printed, without its leading tab."""
    return SEED.read_text(encoding="utf-8").split("\n")[number - 1].strip()


def test_the_seed_has_52_tasks_in_order_each_with_units(plan: workplan.WorkPlan) -> None:
    assert (plan.plan, plan.year, plan.issuer) == ("周村区2021年政务公开工作要点", 2021, "周村区人民政府办公室")
    assert [t.task_no for t in plan.tasks] == [str(n) for n in range(1, 53)]
    assert all(t.lead_units for t in plan.tasks)
    assert all(t.cooperating_units == [] for t in plan.tasks)  # the table has one 责任单位 column, no 配合 column
    assert all(t.category and t.heading for t in plan.tasks)


@pytest.mark.parametrize(
    ("number", "row", "category", "heading", "units"),
    [
        (1, 55, "夯实政务公开工作基础", "规范政府信息管理", ALL),
        (4, 73, "夯实政务公开工作基础", "规范政府信息管理", ALL),  # heading and units merged down from task 1
        (7, 91, "夯实政务公开工作基础", "加强政务公开平台建设", ["区政府办公室", "区行政审批服务局"]),
        (11, 115, "夯实政务公开工作基础", "加强政务公开平台建设", ["区政府各部门"]),
        (13, 127, "夯实政务公开工作基础", "推进基层政务公开标准化规范化", ALL),
        (
            19,
            163,
            "夯实政务公开工作基础",
            "进一步推动企事业单位信息公开",
            ["区教育和体育局", "区财政局", "区卫生和健康局", "区住房城乡建设局"],  # 和 inside a name stays
        ),
        (24, 193, "加强重点领域信息公开", "深化细化民生领域信息公开", ["区民政局"]),
        (
            32,
            241,
            "加强重点领域信息公开",
            "深化细化卫生健康领域信息公开",
            ["区卫生健康局", "区委统筹疫情防控和经济运行工作领导小组（指挥部）成员单位"],
        ),
        (34, 253, "加强重点领域信息公开", "深化细化卫生健康领域信息公开", ["区卫生健康局"]),
        (38, 281, "加强重点领域信息公开", "全面推进“双随机、一公开”监管信息公开", ["区市场监管局", "区政府各有关部门"]),
        (46, 329, "强化公众参与", "公开重大行政决策事项目录", ["区司法局", "决策承办单位"]),
        (52, 365, "强化工作保障和监督", "开展政务公开工作项目化建设", ALL),  # the file ends before its unit cell
    ],
)
def test_tasks_read_as_printed(plan, number: int, row: int, category: str, heading: str, units: list[str]) -> None:
    found = task(plan, number)
    assert (found.line, found.location) == (row, f"第{row}行")
    assert (found.category, found.heading, found.lead_units) == (category, heading, units)
    assert found.task == line(row + 3)


def test_a_unit_cell_of_several_labelled_lines(plan: workplan.WorkPlan) -> None:
    found = task(plan, 36)
    assert found.lead_units == [
        "区应急局", "区住房城乡建设局", "区水利局", "区生态环境分局", "区农业农村局", "区发展改革局", "区公安分局",
        "区交通运输局", "区市场监管局", "区卫生健康局", "区地方金融监管局", "区信访局",
    ]  # fmt: skip
    assert found.units_text.startswith("区总体预案：区应急局\n自然灾害类专项预案：")


def test_time_limits_stated_in_the_task_text(plan: workplan.WorkPlan) -> None:
    assert task(plan, 1).deadline == "年底前"
    assert task(plan, 6).deadline == "6月底前"  # printed with a full-width ６
    assert task(plan, 7).deadline == "2021年年底前"
    assert task(plan, 2).deadline is None


def test_units_per_unit(plan: workplan.WorkPlan) -> None:
    carried = {u: [t.task_no for t in plan.tasks if u in t.lead_units] for u in plan.units()}
    assert carried["区司法局"] == ["18", "31", "46"]
    assert carried["区财政局"] == ["19", "27"]
    assert len(carried["周村经济开发区管委会"]) == 29
    assert "区卫生" not in carried and "健康局" not in carried


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("各镇政府、街道办事处、周村经济开发区管委会和区政府各部门单位", ALL),
        ("区教育和体育局，区财政局", ["区教育和体育局", "区财政局"]),
        ("区市场监管局等区政府各有关部门", ["区市场监管局", "区政府各有关部门"]),
        (
            "区卫生健康局及区委统筹疫情防控和经济运行工作领导小组（指挥部）成员单位",
            ["区卫生健康局", "区委统筹疫情防控和经济运行工作领导小组（指挥部）成员单位"],
        ),
        (
            "区总体预案：区应急局\n公共卫生类专项预案：区卫生健康局、区农业农村局",
            ["区应急局", "区卫生健康局", "区农业农村局"],
        ),
        ("区发展改革局；区司法局 区市场监管局等", ["区发展改革局", "区司法局", "区市场监管局"]),
        ("", []),
    ],
)
def test_split_units(text: str, units: list[str]) -> None:
    assert workplan.split_units(text) == units


# --- the same table from Excel and Word, with real merged cells --------------------------------------------------


def seed_grid() -> list[list[str]]:
    """The seed's task table as a grid of five columns: 序号, 工作任务, heading, text, 责任单位."""
    rows = workplan.text_rows(SEED.read_text(encoding="utf-8"))
    start = next(i for i, r in enumerate(rows) if r.cells[:1] == ["序号"])
    return [(r.cells + [""] * 5)[:5] for r in rows[start + 1 :] if len(r.cells) > 1]


def blank_runs(grid: list[list[str]], column: int) -> list[tuple[int, int]]:
    """(first, last) row of each cell followed by blanks in a column: the ranges a merged cell would cover."""
    runs, start = [], None
    for i, row in enumerate(grid):
        if row[column]:
            if start is not None and i - 1 > start:
                runs.append((start, i - 1))
            start = i
    if start is not None and len(grid) - 1 > start:
        runs.append((start, len(grid) - 1))
    return runs


def seed_xlsx() -> bytes:
    """The seed table as a workbook: header 工作举措 merged over two columns, blank cells merged into the one above."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分解表"
    sheet.append(["周村区政务公开工作任务分解表"])
    sheet.append(["序号", "工作任务", "工作举措", None, "责任单位"])
    sheet.merge_cells("C2:D2")
    grid = seed_grid()
    for row in grid:
        sheet.append([int(row[0]), *(c or None for c in row[1:])])
    for column in (1, 2, 4):
        for first, last in blank_runs(grid, column):
            sheet.merge_cells(start_row=first + 3, start_column=column + 1, end_row=last + 3, end_column=column + 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seed_docx() -> bytes:
    """The seed table as a Word table with the same merges (vertical merges join a cell to the blanks below)."""
    document = docx.Document()
    document.add_paragraph("周村区2021年政务公开工作要点")
    grid = seed_grid()
    table = document.add_table(rows=len(grid) + 1, cols=5)
    for c, text in enumerate(["序号", "工作任务", "工作举措", "", "责任单位"]):
        table.cell(0, c).text = text
    table.cell(0, 2).merge(table.cell(0, 3))
    for r, row in enumerate(grid, start=1):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for column in (1, 2, 4):
        for first, last in blank_runs(grid, column):
            table.cell(first + 1, column).merge(table.cell(last + 1, column))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def essentials(plan: workplan.WorkPlan) -> list[tuple]:
    return [(t.task_no, t.category, t.heading, t.task, t.lead_units, t.deadline) for t in plan.tasks]


@pytest.mark.parametrize(
    ("render", "name", "first"), [(seed_xlsx, "plan.xlsx", "任务分解表 第3行"), (seed_docx, "plan.docx", "表1 第2行")]
)
def test_excel_and_word_tables_with_merged_cells_give_the_same_tasks(plan, render, name: str, first: str) -> None:
    data = render()
    other = workplan.parse_workplan(data, name)
    assert len(other.tasks) == 52
    assert essentials(other) == essentials(plan)
    assert other.tasks[0].location == first


# --- other layouts ---------------------------------------------------------------------------------------------

LEAD_TABLE = """2022年政务公开工作要点
序号\t重点任务\t牵头单位\t配合单位\t完成时限
1\t公开规范性文件\t区司法局\t区政府各部门\t2022年6月底
2\t更新政策解读栏目\t区政府办公室\t\t
3\t完善依申请公开制度\t\t区财政局、区民政局\t2022年12月
"""


def test_lead_and_cooperating_columns_with_a_deadline_column() -> None:
    parsed = workplan.parse_workplan(LEAD_TABLE.encode(), "plan.txt")
    assert parsed.plan == "2022年政务公开工作要点" and parsed.year == 2022
    rows = [(t.task, t.lead_units, t.cooperating_units, t.deadline) for t in parsed.tasks]
    assert rows == [
        ("公开规范性文件", ["区司法局"], ["区政府各部门"], "2022年6月底"),
        ("更新政策解读栏目", ["区政府办公室"], ["区政府各部门"], "2022年6月底"),  # blank cells repeat the ones above
        ("完善依申请公开制度", ["区政府办公室"], ["区财政局", "区民政局"], "2022年12月"),
    ]


def test_first_listed_unit_leads_when_the_plan_says_so() -> None:
    text = (
        "2023年政务公开工作要点\n序号\t工作任务\t责任单位\n1\t做好政策解读\t区司法局、区财政局\n"
        "注：责任单位中排在第一位的为牵头单位。\n"
    )
    (only,) = workplan.parse_workplan(text.encode(), "plan.txt").tasks
    assert (only.lead_units, only.cooperating_units) == (["区司法局"], ["区财政局"])


def test_a_category_row_across_the_table_groups_the_tasks_below() -> None:
    text = (
        "序号\t工作任务\t责任单位\n一、夯实基础\n1\t规范信息管理\t区政府办公室\n2\t做好保密审查\t\n"
        "二、重点领域\n3\t公开财政预决算\t区财政局\n"
    )
    tasks = workplan.parse_workplan(text.encode(), "要点.txt").tasks
    assert [(t.category, t.task, t.lead_units) for t in tasks] == [
        ("一、夯实基础", "规范信息管理", ["区政府办公室"]),
        ("一、夯实基础", "做好保密审查", ["区政府办公室"]),
        ("二、重点领域", "公开财政预决算", ["区财政局"]),
    ]


def test_a_file_without_a_task_table_is_refused(reports_dir: Path) -> None:
    with pytest.raises(ReportError) as caught:
        workplan.parse_workplan_file(reports_dir / "zhangdian-district-gov-2021.txt")
    message = str(caught.value)
    assert message.startswith("zhangdian-district-gov-2021.txt: 未找到任务分解表") and "no task table found" in message


# --- storage and the command line ------------------------------------------------------------------------------


@pytest.fixture
def db(sample_copy: Path) -> Path:
    """A copy of the sample database that the test may write."""
    return sample_copy


def test_stored_tasks_and_a_second_import_replaces_the_first(db: Path) -> None:
    workplan.import_workplan(SEED, db)
    workplan.import_workplan(SEED, db)
    tasks = rows(
        db, "select task_no, lead_units, source, imported_at is not null from workplan_tasks order by position"
    )
    assert len(tasks) == 52
    assert tasks[6] == ("7", ["区政府办公室", "区行政审批服务局"], SEED.name, True)
    units = rows(db, "select unit, count(*) from stg_workplan_units where not collective group by unit order by unit")
    assert ("区司法局", 3) in units
    # The work plan stays stored as the non-report it is, and is not an annual report in coverage.
    assert rows(db, "select template from reports where source = 'zhoucun-district-workplan-2021.txt'") == [
        ("workplan",)
    ]


def test_the_command_line_imports_a_plan_and_refuses_a_report(db: Path, reports_dir: Path) -> None:
    command = [sys.executable, "-m", "loaders", "workplan"]
    done = subprocess.run([*command, SEED, "--db", db], cwd=ROOT, capture_output=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert "周村区2021年政务公开工作要点" in done.stdout and "任务 tasks 52" in done.stdout
    report = reports_dir / "zhangdian-district-gov-2021.txt"
    refused = subprocess.run(
        [*command, report, "--db", db], cwd=ROOT, capture_output=True, encoding="utf-8", check=False
    )
    assert refused.returncode == 1 and "未找到任务分解表" in refused.stderr
    assert rows(db, "select count(*) from workplan_tasks") == [(52,)]
