"""问题核查: the findings of a selection with their review status and latest explanation (情况说明)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from analytics.views import UNIT_YEAR, Column, Table, source
from loaders.keys import RULES, SEVERITIES, STATUSES

QUERIES = ("briefing_findings", "relation_exists", "briefing_finding_reviews")
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
        Column("规则", "text", "R1–R9为年报模板自身规定的核对规则；PARSE为解析时发现的问题"),
        Column("规则说明"),
        Column("级别", "text", "错误：数字互相矛盾；警告：可能有误或不规范；提示：供参考"),
        Column("问题", "text", "检查发现的问题，写明所涉单元格与数值"),
        Column("状态", "text", f"审核记录的核实状态（{'、'.join(STATUSES)}）"),
        Column("情况说明", "text", "审核记录中最新的一条情况说明；空白表示尚无说明"),
    )
    src = source("规则检查R1–R9与解析结果（与“报告详情”页所列相同）", data_label)
    note = "每行一个问题，错误在前。报告按原文入库，问题不改动原数字。"
    return Table("findings", "发现的问题", frame, columns, src, note)


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
