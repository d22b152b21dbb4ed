"""工作要点: an imported work plan's 任务分解表, per responsible unit and task by task, headed as the plan heads it."""

from __future__ import annotations

import polars as pl

from analytics.views import Column, Table, source

QUERIES = ("workplan_units", "workplan_unit_tasks", "workplan_collective_tasks", "workplan_task_list")
ROLES = {"lead": "牵头/责任", "cooperating": "配合"}
# The task tables' columns: heading as a plan's 任务分解表 heads them, kind, 口径
HEADINGS = {
    "task_no": Column("序号", "text", "任务分解表所印的序号"),
    "category": Column("工作任务"),
    "heading": Column("工作举措"),
    "task": Column("任务内容"),
    "role": Column("角色", "text", "牵头/责任：列在“牵头单位”或“责任单位”中；配合：列在“配合单位”中"),
    "groups": Column("承担对象", "text", "任务交由的集体对象（如各镇政府、区政府各部门单位）"),
    "lead_units": Column("牵头/责任单位"),
    "cooperating_units": Column("配合单位"),
    "deadline": Column("时限"),
    "line": Column("原文行号", "ordinal", "任务在工作要点全文中的行号"),
    "location": Column("位置", "text", "任务在源文件中的位置（表格、行）"),
}
NOTE = "合并单元格已按上一行补全。"


def _source(plan: str) -> str:
    """Where the tasks come from: the plan's task table."""
    return source(f"《{plan}》任务分解表")


def units_table(units: pl.DataFrame, plan: str) -> Table:
    """Tasks per responsible unit (workplan_units): all, as lead, as cooperating unit; named units and groups."""
    frame = units.select(
        pl.col("unit").alias("单位"),
        pl.col("tasks").alias("任务数"),
        pl.col("lead_tasks").alias("牵头/责任"),
        pl.col("cooperating_tasks").alias("配合"),
        pl.when(pl.col("collective")).then(pl.lit("集体对象")).otherwise(pl.lit("具体单位")).alias("类别"),
    )
    columns = (
        Column("单位", "text", "任务分解表“牵头单位”“责任单位”“配合单位”列中点名的单位或集体对象"),
        Column("任务数", "count", "该单位出现的任务数，每项任务计一次"),
        Column("牵头/责任", "count", "列为牵头或责任单位的任务数"),
        Column("配合", "count", "列为配合单位的任务数"),
        Column("类别", "text", "具体单位，或“各镇政府”“区政府各部门单位”等集体对象"),
    )
    return Table("workplan_units", "各单位承担的任务", frame, columns, _source(plan), NOTE)


def tasks_table(tasks: pl.DataFrame, fields: tuple[str, ...], key: str, title: str, plan: str) -> Table:
    """Tasks (a workplan_* task query's rows) with the named fields, roles in words."""
    if "role" in fields:
        tasks = tasks.with_columns(pl.col("role").replace_strict(ROLES, default=pl.col("role")))
    columns = tuple(HEADINGS[f] for f in fields)
    frame = tasks.select([pl.col(f).alias(HEADINGS[f].name) for f in fields])
    return Table(key, title, frame, columns, _source(plan), NOTE)
