"""雷同检查: the sections of reports that repeat the unit's previous-year report or a peer's report of the same year
above a threshold, each with its share of repeated text and the character counts it divides."""

from __future__ import annotations

import polars as pl

from analytics.views import DASHBOARD, UNIT_YEAR, Column, Table, source

QUERIES = ("similarity_summary", "similarity_sections")
RELATIONS = {"上年": "本单位上年报告", "同类": "同类单位同年报告"}
MEASURE = (
    "雷同率 = 本部分文字中，与对方报告同一部分逐字相同、连续12字以上的段落所占比例。只比较文字："
    "数字、空格和标点不计（只改了数字的照抄仍算雷同），表格行和模板固定的栏目名称不计；"
    "文字少于50字的部分不比较。同类单位指层级和类型相同的单位。"
)


def sections_table(rows: pl.DataFrame, threshold: float) -> Table:
    """Every comparison at or above the threshold (similarity_sections), highest first: the rate beside the counts
    it divides."""
    frame = rows.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.format("第{}部分", "section").alias("部分"),
        pl.col("relation").replace_strict(RELATIONS, default=pl.col("relation")).alias("比较对象"),
        pl.format("{} {}年", "other_agency", "other_year").alias("对方报告"),
        pl.col("score").alias("雷同率"),
        pl.col("matched_chars").alias("相同字数"),
        pl.col("section_chars").alias("本部分字数"),
    )
    columns = (
        *UNIT_YEAR,
        Column("部分", "text", "年度报告的部分（一至六）"),
        Column("比较对象", "text", "本单位上年报告，或层级和类型相同的单位同年报告"),
        Column("对方报告"),
        Column("雷同率", "rate", "相同字数 / 本部分字数"),
        Column("相同字数", "count", "与对方报告同一部分逐字相同、连续12字以上的段落的字数（不计数字、空格和标点）"),
        Column("本部分字数", "count", "本部分参与比较的字数（不计数字、空格、标点、表格行和模板栏目名称）"),
    )
    title = f"雷同率达到{threshold * 100:.0f}%的部分"
    return Table("similarity", title, frame, columns, source(f"各单位年度报告正文（{DASHBOARD}比较）"), MEASURE)
