"""工作要点: the tasks of an imported work plan's 任务分解表 per responsible unit, and for a chosen unit the tasks it
carries (as lead or cooperating unit, and those given to groups it belongs to); the import of a plan.

Queries: workplan_plans, workplan_units, workplan_unit_tasks, workplan_collective_tasks, workplan_task_list.
"""

from __future__ import annotations

import duckdb
import polars as pl
import streamlit as st

from analytics import charts
from config import db_path
from loaders.formats.registry import SUFFIXES
from ui import auth, data, textview
from ui import imports as import_ui
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = ("workplan_plans", "workplan_units", "workplan_unit_tasks", "workplan_collective_tasks", "workplan_task_list")

ROLES = {"lead": "牵头/责任", "cooperating": "配合"}
# The task tables' columns as shown, headed as a plan's 任务分解表 heads them.
HEADINGS = {
    "task_no": "序号",
    "category": "工作任务",
    "heading": "工作举措",
    "task": "任务内容",
    "role": "角色",
    "groups": "承担对象",
    "lead_units": "牵头/责任单位",
    "cooperating_units": "配合单位",
    "deadline": "时限",
    "line": "原文行号",
    "location": "位置",
}
MAX_BARS = 25  # the chart stays readable; the table lists every unit


def choose_plan(plans: pl.DataFrame) -> dict:
    """The plan to show (latest first), as a row of workplan_plans."""
    titles = plans["plan"].to_list()
    chosen = st.selectbox("工作要点", titles, key="workplan_plan")
    return plans.row(titles.index(chosen), named=True)


def plan_metrics(plan: dict, units: pl.DataFrame) -> None:
    """Tasks, units named and the units that carry the most tasks."""
    cols = st.columns(3)
    cols[0].metric("任务数", ui.count(plan["tasks"]))
    cols[1].metric("具体单位数", ui.count(units.filter(~pl.col("collective")).height))
    cols[2].metric("集体对象数", ui.count(units.filter(pl.col("collective")).height))
    issuer = plan["issuer"] or "发布机关不详"
    st.caption(f"{issuer}，{plan['year'] or '年度不详'}年；文件：{plan['source']}。")


def units_section(units: pl.DataFrame) -> None:
    """Tasks per responsible unit: a chart of the named units and a table of every name."""
    st.subheader("各单位承担的任务")
    named = units.filter(~pl.col("collective"))
    title = "各单位承担的任务数（前25个具体单位）" if named.height > MAX_BARS else "各单位承担的任务数"
    if named.is_empty():
        fig = charts.empty(title, "任务分解表中没有具体单位")
    else:
        fig = charts.ranked_bars(named.sort("tasks", descending=True).head(MAX_BARS), "unit", "tasks", title, "任务数")
    ui.show_chart(
        fig,
        "任务分解表“牵头单位”“责任单位”“配合单位”列中点名的单位，每项任务计一次；“各镇政府”“区政府各部门单位”等"
        "集体对象不计入图中，见下表。合并单元格按上一行的单位计。",
        "workplan_units_chart",
    )
    ui.table(
        units.select(
            pl.col("unit").alias("单位"),
            pl.col("tasks").alias("任务数"),
            pl.col("lead_tasks").alias("牵头/责任"),
            pl.col("cooperating_tasks").alias("配合"),
            pl.when(pl.col("collective")).then(pl.lit("集体对象")).otherwise(pl.lit("具体单位")).alias("类别"),
        ),
        key="workplan_units_table",
    )


def unit_section(plan: str, units: pl.DataFrame) -> None:
    """For one chosen unit, the tasks it carries by name, then the tasks given to groups of units."""
    st.subheader("单位任务清单")
    unit = st.selectbox("单位", units["unit"].to_list(), key="workplan_unit")
    tasks = data.fetch("workplan_unit_tasks", plan=plan, unit=unit)
    st.markdown(f"**{textview.markdown_text(unit)}** 承担 {tasks.height} 项任务。")
    show_tasks(task_table(tasks), "workplan_unit_tasks")
    collective = data.fetch("workplan_collective_tasks", plan=plan)
    if collective.is_empty() or units.filter(pl.col("unit") == unit)["collective"].any():
        return
    with st.expander(
        f"另有 {collective.height} 项任务交由集体对象承担（如各镇政府、区政府各部门单位），可能也涉及本单位"
    ):
        show_tasks(headed(collective, "task_no", "heading", "task", "groups", "deadline"), "workplan_collective_tasks")


def headed(tasks: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """The named columns of a task table, in that order, under their headings."""
    return tasks.select([pl.col(c).alias(HEADINGS[c]) for c in columns])


def show_tasks(table: pl.DataFrame, key: str) -> None:
    """A task table, blanks shown as "—"."""
    ui.table(table, key=key)


def task_table(tasks: pl.DataFrame) -> pl.DataFrame:
    """A unit's tasks as shown: number, headings, text, role, time limit and the line in the file."""
    roles = tasks.with_columns(pl.col("role").replace_strict(ROLES, default=pl.col("role")))
    return headed(roles, "task_no", "category", "heading", "task", "role", "deadline", "line")


def all_tasks(plan: str) -> None:
    """The whole task table as imported, merged cells filled down."""
    tasks = data.fetch("workplan_task_list", plan=plan)
    with st.expander(f"任务分解表（共 {tasks.height} 项，合并单元格已按上一行补全）"):
        columns = ("task_no", "category", "heading", "task", "lead_units", "cooperating_units", "deadline", "location")
        show_tasks(headed(tasks, *columns), "workplan_task_list")


def plan_import() -> None:
    """Upload a work plan; the loader reads its task table and stores the tasks, replacing the same plan's."""
    st.subheader("导入工作要点")
    st.markdown(
        "上传含“任务分解表”的工作要点：文本（.txt）、Word（.docx）或 Excel（.xlsx）。表头需有“序号”和“责任单位”"
        "（或“牵头单位”“配合单位”）；合并单元格按上一行补全。同名工作要点再次导入时替换原有任务。"
    )
    import_ui.import_form("workplan", "选择工作要点文件", SUFFIXES, "导入工作要点", _import_plan, "workplan.import")


def _import_plan(name: str, content: bytes) -> str:
    """Read the plan's task table and store its tasks through the loader; its summary, or ReportError."""
    from loaders import workplan

    return workplan.summary(workplan.import_workplan_bytes(content, name, db_path(), auth.account()))


ui.page_frame("工作要点")
try:
    plans = data.fetch("workplan_plans")
except duckdb.CatalogException:  # a database written before work plans existed: the next write adds the table
    plans = pl.DataFrame()
if plans.is_empty():
    st.info("还没有导入工作要点。可在本页下方导入含任务分解表的工作要点。")
else:
    chosen = choose_plan(plans)
    units = data.fetch("workplan_units", plan=chosen["plan"])
    plan_metrics(chosen, units)
    units_section(units)
    if not units.is_empty():
        unit_section(chosen["plan"], units)
    all_tasks(chosen["plan"])
plan_import()
