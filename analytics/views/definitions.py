"""口径: the definition of every figure, the two rates first, then every canonical metric of the data dictionary."""

from __future__ import annotations

import polars as pl

from analytics.views import CORRECTION_RATE, DISCLOSURE_RATE, Column, Table
from loaders.keys import METRICS, TEMPLATES

QUERIES = ()  # none: the definitions come from the data dictionary
SECTION_NAMES = {"二": "第二部分 主动公开", "三": "第三部分 依申请公开", "四": "第四部分 复议诉讼", "prose": "正文"}
KIND_NAMES = {"count": "件数（计数）", "change": "增减数", "amount": "金额"}


def definitions() -> Table:
    """The 口径 of every figure: the two rates, then every canonical metric of the data dictionary."""
    rows = [
        ("比率", "实质公开率", "rate.disclosure", DISCLOSURE_RATE),
        ("比率", "复议诉讼纠错率", "rate.correction", CORRECTION_RATE),
    ]
    for metric in METRICS.values():
        where = SECTION_NAMES.get(metric.section, metric.section)
        templates = "、".join(TEMPLATES.get(t, t) for t in metric.templates)
        total = "；第三部分指标在简报中取“总计”列" if metric.section == "三" else ""
        rows.append(("指标", metric.label, metric.key, f"{where}；{KIND_NAMES[metric.kind]}；见于{templates}{total}"))
    columns = (Column("类别"), Column("名称"), Column("键"), Column("口径"))
    frame = pl.DataFrame(rows, schema=[c.name for c in columns], orient="row")
    note = "指标名称与键见《政府信息公开工作年度报告》数据字典；未填报的数字为空，不按0计；“/”与空白照录为未填报。"
    source = "资料来源：数据字典（loaders/keys.py，与数据库表 metric_defs 相同）"
    return Table("definitions", "口径", frame, columns, source, note)
