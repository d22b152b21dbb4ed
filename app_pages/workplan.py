"""工作要点: the tasks of an imported work plan's 任务分解表 per responsible unit, and for a chosen unit the tasks it
carries (as lead or cooperating unit, and those given to groups it belongs to); the import of a plan.

Queries: workplan_plans, workplan_units, workplan_unit_tasks, workplan_collective_tasks, workplan_task_list.
"""

from __future__ import annotations

import duckdb
import polars as pl
import streamlit as st

from analytics import charts
from analytics.views import Table, workplan
from config import db_path
from loaders.formats.registry import SUFFIXES
from ui import auth, data, textview, url_state
from ui import imports as import_ui
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = ("workplan_plans", *workplan.QUERIES)

MAX_BARS = 25  # the chart stays readable; the table lists every unit


def choose_plan(plans: pl.DataFrame) -> dict:
    """The plan to show (latest first), as a row of workplan_plans."""
    titles = plans["plan"].to_list()
    chosen = url_state.selectbox(st, "工作要点", titles, titles[0], key="workplan_plan", url="plan")
    return plans.row(titles.index(chosen), named=True)


def plan_metrics(plan: dict, units: pl.DataFrame) -> None:
    """Tasks, units named and the units that carry the most tasks."""
    cols = st.columns(3)
    cols[0].metric("任务数", ui.count(plan["tasks"]))
    cols[1].metric("具体单位数", ui.count(units.filter(~pl.col("collective")).height))
    cols[2].metric("集体对象数", ui.count(units.filter(pl.col("collective")).height))
    issuer = textview.markdown_text(plan["issuer"] or "发布机关不详")
    st.caption(f"{issuer}，{plan['year'] or '年度不详'}年；文件：{textview.markdown_text(plan['source'] or '')}。")


def units_section(units: pl.DataFrame, plan: str) -> None:
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
    ui.show_table(workplan.units_table(units, plan), "workplan_units_table", f"工作要点：{plan}")


def unit_section(plan: str, units: pl.DataFrame) -> None:
    """For one chosen unit, the tasks it carries by name, then the tasks given to groups of units."""
    st.subheader("单位任务清单")
    names = units["unit"].to_list()
    unit = url_state.selectbox(st, "单位", names, names[0], key="workplan_unit", url="unit")
    tasks = data.fetch("workplan_unit_tasks", plan=plan, unit=unit)
    st.markdown(f"**{textview.markdown_text(unit)}** 承担 {tasks.height} 项任务。")
    fields = ("task_no", "category", "heading", "task", "role", "deadline", "line")
    show_tasks(workplan.tasks_table(tasks, fields, "workplan_unit_tasks", f"{unit}承担的任务", plan), plan)
    collective = data.fetch("workplan_collective_tasks", plan=plan)
    if collective.is_empty() or units.filter(pl.col("unit") == unit)["collective"].any():
        return
    with st.expander(
        f"另有 {collective.height} 项任务交由集体对象承担（如各镇政府、区政府各部门单位），可能也涉及本单位"
    ):
        fields = ("task_no", "heading", "task", "groups", "deadline")
        show_tasks(
            workplan.tasks_table(collective, fields, "workplan_collective_tasks", "集体对象承担的任务", plan), plan
        )


def show_tasks(view: Table, plan: str) -> None:
    """A view's task table, blanks shown as "—", with its Excel download."""
    ui.show_table(view, view.key, f"工作要点：{plan}")


def all_tasks(plan: str) -> None:
    """The whole task table as imported, merged cells filled down."""
    tasks = data.fetch("workplan_task_list", plan=plan)
    with st.expander(f"任务分解表（共 {tasks.height} 项，合并单元格已按上一行补全）"):
        fields = ("task_no", "category", "heading", "task", "lead_units", "cooperating_units", "deadline", "location")
        show_tasks(workplan.tasks_table(tasks, fields, "workplan_task_list", "任务分解表", plan), plan)


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
    units_section(units, chosen["plan"])
    if not units.is_empty():
        unit_section(chosen["plan"], units)
    all_tasks(chosen["plan"])
plan_import()
