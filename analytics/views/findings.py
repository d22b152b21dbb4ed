"""问题核查: the findings of a selection with their review status and latest explanation (情况说明)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from analytics.views import DASHBOARD, NULL_NOTE, UNIT_YEAR, Column, Table, source
from analytics.views.report import EVIDENCE_COLUMNS, RULE_NOTE, SEVERITY_NOTE, cell_label, value_state
from loaders.keys import RULES, SEVERITIES, STATUSES, UNREVIEWED

QUERIES = (
    "briefing_findings",
    "relation_exists",
    "briefing_finding_reviews",
    "briefing_findings_summary",
    "briefing_parse_notes",
    "briefing_corrections",
)
Fetch = Callable[..., pl.DataFrame]
REVIEWS = "finding_reviews"  # the review state of findings, where the database has it

REVIEW_COLUMNS = {
    "status": pl.String,
    "status_by": pl.String,
    "status_at": pl.Datetime,
    "note_count": pl.Int64,
    "last_note": pl.String,
    "last_note_by": pl.String,
    "last_note_at": pl.Datetime,
}


def findings_table(rows: pl.DataFrame, data_label: str = "") -> Table:
    """The findings of the selection with their review status and explanation (情况说明) where recorded."""
    frame = rows.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("rule").alias("规则"),
        pl.col("rule").replace_strict(RULES, default="").alias("规则说明"),
        pl.col("severity").replace_strict(SEVERITIES, default=pl.col("severity")).alias("级别"),
        pl.col("message").alias("问题"),
        pl.col("status").alias("状态"),
        pl.col("last_note").alias("情况说明"),
    )
    columns = (
        *UNIT_YEAR,
        Column("规则", "text", "R1–R9为年报模板自身规定的核对规则"),
        Column("规则说明"),
        Column("级别", "text", "错误：数字互相矛盾；警告：可能有误或不规范；提示：供参考"),
        Column("问题", "text", "检查发现的问题，写明所涉单元格与数值"),
        Column("状态", "text", f"审核记录的核实状态（{'、'.join(STATUSES)}）"),
        Column("情况说明", "text", "审核记录中最新的一条情况说明；空白表示尚无说明"),
    )
    src = source("规则检查R1–R9（与“报告详情”页所列相同）", data_label)
    note = "每行一个问题，错误在前。报告按原文入库，问题不改动原数字。解析提示另列，不计入。"
    return Table("findings", "发现的问题", frame, columns, src, note)


def summary_table(rows: pl.DataFrame, data_label: str = "") -> Table:
    """The rule findings counted per unit and rule (briefing_findings_summary): the briefing's 发现的问题 in brief."""
    frame = rows.select(
        pl.col("agency").alias("单位"),
        pl.col("rule").alias("规则"),
        pl.col("rule").replace_strict(RULES, default="").alias("规则说明"),
        pl.col("years").alias("涉及年度"),
        pl.col("findings").alias("问题数"),
        pl.col("errors").alias("其中错误"),
        pl.col("open_findings").alias("待核实"),
    )
    columns = (
        Column("单位"),
        Column("规则", "text", "R1–R9为年报模板自身规定的核对规则"),
        Column("规则说明"),
        Column("涉及年度", "text", "出现该问题的报告年度"),
        Column("问题数", "count", "该单位违反该规则的问题条数"),
        Column("其中错误", "count", "级别为错误（数字互相矛盾）的条数"),
        Column("待核实", "count", f"核实状态仍为{UNREVIEWED}的条数"),
    )
    src = source("规则检查R1–R9（与“报告详情”页所列相同）", data_label)
    note = "按单位和规则汇总，错误多的在前；逐条问题见附件“问题明细”。解析提示不计入。"
    return Table("findings_summary", "问题汇总（按单位和规则）", frame, columns, src, note)


def parse_notes_table(rows: pl.DataFrame, data_label: str = "") -> Table:
    """The parser's own findings about the selection's reports (briefing_parse_notes), for the reviewer."""
    frame = rows.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("severity").replace_strict(SEVERITIES, default=pl.col("severity")).alias("级别"),
        pl.col("message").alias("提示"),
    )
    columns = (
        *UNIT_YEAR,
        Column("级别", "text", SEVERITY_NOTE),
        Column("提示", "text", "解析报告时遇到的情况（如数字无法确定拆分），请对照原文核实"),
    )
    src = source("报告解析结果", data_label)
    note = "解析提示说明报告是如何读取的，不是报告违反规则，不计入“发现的问题”。"
    return Table("parse_notes", "解析提示（供审核人员核对）", frame, columns, src, note)


def with_reviews(rows: pl.DataFrame, reviews: pl.DataFrame | None) -> pl.DataFrame:
    """The findings with each one's review state (REVIEW_COLUMNS) matched by finding_key, in the findings' order;
    the columns stay empty (None) where the database keeps no reviews."""
    if reviews is None:
        return rows.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in REVIEW_COLUMNS.items())
    state = reviews.unique("finding_key", keep="last").select("finding_key", *REVIEW_COLUMNS)
    return rows.join(state, on="finding_key", how="left", maintain_order="left")


def review_rows(fetch: Fetch, params: dict[str, Any]) -> pl.DataFrame | None:
    """The review state of the selection's findings, or None when the database has no finding_reviews view (a
    database made before reviews existed): the 状态 and 情况说明 columns then stay blank."""
    if not fetch("relation_exists", relation=REVIEWS)["present"].item():
        return None
    wanted = {k: params[k] for k in ("agencies", "year_from", "year_to")}
    return fetch("briefing_finding_reviews", **wanted)


def reviewed_findings(fetch: Fetch, params: dict[str, Any]) -> pl.DataFrame:
    """The selection's findings (briefing_findings) with their review state."""
    return with_reviews(fetch("briefing_findings", **params), review_rows(fetch, params))


def corrections_in_force(fetch: Fetch, params: dict[str, Any]) -> pl.DataFrame:
    """The corrections the selection's figures show now (briefing_corrections): what the footnotes name."""
    return fetch("briefing_corrections", **params)


# --- the 问题核查 page: the list to pick from, findings no longer occurring, one finding's evidence -------------

STATUS_NOTE = f"审核记录的核实状态（{'、'.join(STATUSES)}）"
NOTES_NOTE = "该问题已写的情况说明条数"


def list_table(findings: pl.DataFrame, data_label: str = "") -> Table:
    """The findings of the selection to pick from (findings_workbench), with their status and latest explanation."""
    frame = findings.select(
        pl.col("agency").fill_null("（未识别）").alias("单位"),  # a report stored without its agency: see 问题
        pl.col("year").alias("年度"),
        pl.col("rule").alias("规则"),
        pl.col("severity").replace_strict(SEVERITIES, default=pl.col("severity")).alias("级别"),
        pl.col("message").alias("问题"),
        pl.col("status").alias("状态"),
        pl.col("note_count").alias("说明数"),
        pl.col("last_note").fill_null("").alias("最近说明"),
    )
    columns = (
        *UNIT_YEAR,
        Column("规则", "text", RULE_NOTE),
        Column("级别", "text", SEVERITY_NOTE),
        Column("问题", "text", "检查发现的问题，写明所涉单元格与数值"),
        Column("状态", "text", STATUS_NOTE),
        Column("说明数", "count", NOTES_NOTE),
        Column("最近说明", "text", "最新的一条情况说明；空白表示尚无说明"),
    )
    src = source(f"规则检查R1–R9与解析结果（{DASHBOARD}）", data_label)
    return Table("findings_list", "问题核查", frame, columns, src, "每行一个问题。")


def gone_table(gone: pl.DataFrame, data_label: str = "") -> Table:
    """Findings with review history that no longer occur (findings_gone)."""
    frame = gone.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("rule").alias("规则"),
        pl.col("message").alias("问题"),
        pl.col("status").alias("状态"),
        pl.col("note_count").alias("说明数"),
    )
    columns = (
        *UNIT_YEAR,
        Column("规则", "text", RULE_NOTE),
        Column("问题"),
        Column("状态", "text", STATUS_NOTE),
        Column("说明数", "count", NOTES_NOTE),
    )
    note = "相关数值已更正，或新版本报告中已没有该问题；状态和情况说明仍保留。"
    src = source(f"审核记录（{DASHBOARD}）", data_label)
    return Table("findings_gone", "不再出现但有核查记录的问题", frame, columns, src, note)


def evidence_table(evidence: pl.DataFrame, title: str, data_label: str = "") -> Table:
    """The cells one finding involves (finding_evidence): each value a number beside its printed text and line."""
    frame = evidence.select(
        cell_label("metric_label", "applicant_label").fill_null("").alias("单元格"),
        pl.col("value").alias("数值"),
        value_state(evidence).alias("状态"),
        pl.col("raw").alias("原文"),
        pl.col("line").alias("行号"),
        pl.col("page").alias("页码"),
    )
    src = source(f"规则检查R1–R9与解析结果（{DASHBOARD}）", data_label)
    return Table("finding_evidence", f"{title}的证据", frame, EVIDENCE_COLUMNS, src, NULL_NOTE)
