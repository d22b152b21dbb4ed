"""报告详情: one stored report's figures and the findings against it, each figure a number beside its printed text."""

from __future__ import annotations

import polars as pl

from analytics.views import DASHBOARD, NULL_NOTE, PART_PROSE, Column, Table, source
from loaders.keys import SEVERITIES

QUERIES = ("report_figures", "report_findings")
QUALIFIERS = {
    "approx": "约数（如“余”）",
    "ambiguous": "数字连写，无法确定拆分",
    "government_level": "政府层面",
    "region": "全区等其他范围",
    "from_prose": "表格此格空白，数值取自正文",
    "uncertain": "按版面推断读取，待核对",
}
VALUE_NOTE = "报告所印的数字（审核人更正过的为更正后的数值）；未填报或无法拆分时为空，不按0计"
STATE_NOTE = "数值为空的原因（未填报、无法拆分），或“已更正”：审核人更正过该数值，原文不变"
LINE_NOTE = "报告全文中的行号"
RULE_NOTE = "R1–R9为年报模板自身规定的核对规则；PARSE为解析时发现的问题"
SEVERITY_NOTE = "错误：数字互相矛盾；警告：可能有误或不规范；提示：供参考"
# The cells a finding names, as every evidence table shows them.
EVIDENCE_COLUMNS = (
    Column("单元格"),
    Column("数值", "number", VALUE_NOTE),
    Column("状态", "text", STATE_NOTE),
    Column("原文", "text", "报告所印的文字"),
    Column("行号", "ordinal", LINE_NOTE),
    Column("页码", "ordinal", "PDF报告中该数字所在的页；其他格式为空"),
)


def cell_label(metric: str, applicant: str) -> pl.Expr:
    """A figure's label: the metric's Chinese label, with the applicant column's label in brackets for section 三."""
    named = pl.format("{}（{}）", pl.col(metric), pl.col(applicant))
    return pl.when(pl.col(applicant).is_not_null()).then(named).otherwise(pl.col(metric))


def value_state(rows: pl.DataFrame) -> pl.Expr:
    """Why a figure has no number (未填报, 无法拆分), or 已更正 for a reviewer's correction; empty otherwise."""
    ambiguous = pl.col("qualifier") == "ambiguous" if "qualifier" in rows.columns else pl.lit(False)
    return (
        pl.when(pl.col("corrected"))
        .then(pl.lit("已更正"))
        .when(pl.col("value").is_null() & ambiguous)
        .then(pl.lit("无法拆分"))
        .when(pl.col("value").is_null() & pl.col("metric_label").is_not_null())
        .then(pl.lit("未填报"))
        .otherwise(pl.lit(""))
    )


def figures_table(figures: pl.DataFrame, title: str, data_label: str = "") -> Table:
    """Every figure of one report (report_figures) in reading order: where it stands, its number and printed text."""
    frame = figures.select(
        pl.col("section").alias("部分"),
        pl.col("row_label").alias("行"),
        pl.col("col_label").alias("列"),
        pl.col("value").alias("数值"),
        value_state(figures).alias("状态"),
        pl.col("raw").alias("原文"),
        pl.col("line").alias("行号"),
        pl.col("page").alias("页码"),
        cell_label("metric_label", "applicant_label").alias("指标"),
        pl.col("location").fill_null("").alias("位置"),
        pl.col("qualifier").replace_strict(QUALIFIERS, default="").alias("说明"),
        pl.col("figure_key").alias("键"),
    )
    columns = (
        Column("部分", "text", "报告的部分（二、三、四或正文）"),
        Column("行", "text", "表格的行标题"),
        Column("列", "text", "表格的列标题"),
        Column("数值", "number", VALUE_NOTE),
        Column("状态", "text", STATE_NOTE),
        Column("原文", "text", "报告所印的文字"),
        Column("行号", "ordinal", LINE_NOTE),
        Column("页码", "ordinal", "PDF报告中该数字所在的页；其他格式为空"),
        Column("指标", "text", "数据字典中的指标"),
        Column("位置"),
        Column("说明", "text", "读取时的说明（约数、取自正文等）"),
        Column("键", "text", "指标键（申请人列）"),
    )
    src = source(PART_PROSE + "及其表格", data_label)
    return Table("report_figures", f"{title}的数值", frame, columns, src, NULL_NOTE)


def findings_table(findings: pl.DataFrame, title: str, data_label: str = "") -> Table:
    """The findings against one report (report_findings), one row per cell involved."""
    frame = findings.select(
        pl.col("finding_no").alias("序号"),
        pl.col("severity").replace_strict(SEVERITIES, default=pl.col("severity")).alias("级别"),
        pl.col("rule").alias("规则"),
        pl.col("message").alias("说明"),
        cell_label("metric_label", "applicant_label").alias("单元格"),
        pl.col("value").alias("数值"),
        value_state(findings).alias("状态"),
        pl.col("raw").alias("原文"),
        pl.col("line").alias("行号"),
        pl.col("page").alias("页码"),
    )
    columns = (
        Column("序号", "ordinal", "该报告的第几个问题；一个问题涉及几个单元格时占几行"),
        Column("级别", "text", SEVERITY_NOTE),
        Column("规则", "text", RULE_NOTE),
        Column("说明"),
        *EVIDENCE_COLUMNS,
    )
    src = source(f"规则检查R1–R9与解析结果（{DASHBOARD}）", data_label)
    return Table("report_findings", f"{title}的问题", frame, columns, src, NULL_NOTE)


def corrections_table(history: pl.DataFrame, states: list[str], title: str) -> Table:
    """Every correction and undo of one report's figures (figure_correction_history), newest first: the value as
    parsed and as corrected are numbers (empty for a figure the report does not state, and for an undo)."""
    frame = history.select(
        pl.col("correction_id").alias("编号"),
        cell_label("metric_label", "applicant_label").alias("数值"),
        pl.col("original_value").alias("原值"),
        pl.when(pl.col("action") == "undo").then(None).otherwise(pl.col("value")).alias("更正为"),
        pl.col("reason").fill_null("").alias("理由"),
        pl.col("corrected_by").alias("操作人"),
        pl.col("corrected_at").dt.strftime("%Y-%m-%d %H:%M").alias("时间"),
        pl.Series("状态", states, pl.String),
    )
    columns = (
        Column("编号", "ordinal", "更正记录的编号"),
        Column("数值", "text", "被更正的指标（申请人列）"),
        Column("原值", "number", "解析所得的数值；为空表示报告未填报"),
        Column("更正为", "number", "审核人更正后的数值；撤销记录为空"),
        Column("理由"),
        Column("操作人"),
        Column("时间"),
        Column("状态", "text", "生效中、已被后来的更正取代、已撤销，或撤销记录"),
    )
    return Table("corrections", f"{title}更正记录", frame, columns, source(f"审核记录（{DASHBOARD}）"), "")
