"""主动公开: section 二 figures per unit and year, one numeric column per figure, with the 2019 and 2021 templates
crosswalked rather than mixed; why a figure has no number (or is a floor) is written out beside it."""

from __future__ import annotations

import polars as pl

from analytics.views import NULL_NOTE, UNIT_YEAR, Column, Table, source
from loaders.keys import REPORT_TEMPLATES, TEMPLATES

QUERIES = ("proactive_values", "proactive_crosswalk")
TEMPLATE_NAMES = {key: TEMPLATES[key].removesuffix("模板") for key in REPORT_TEMPLATES}  # 2021版 …
PART_TWO = "各单位《政府信息公开工作年度报告》第二部分“主动公开政府信息情况”表格及正文"
REMARKS_NOTE = (
    "没有数值或数值为约数的格子及其原文：未能确定（几个数字连在一起，无法确定如何拆分）、未填报、约数（如“余”）"
)


def remark(label: str, value: float | None, raw: str | None, status: str, approx: bool) -> str | None:
    """What a figure's cell cannot say as a number, in words with what was printed; None for a plain number."""
    if status == "unsplit":
        return f"{label}：未能确定（原文 {raw}）"
    if status == "blank" or value is None:
        return f"{label}：未填报（原文“{raw}”）" if raw else f"{label}：未填报"
    return f"{label}：约数（原文“{raw}”）" if approx else None


def _remarks(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per unit, year and template: the remarks of its cells joined, in the figures' order."""
    texts = [remark(*row) for row in frame.select(column, "value", "raw", "status", "approx").iter_rows()]
    noted = frame.select("agency", "year", "template", "position").with_columns(pl.Series("remark", texts, pl.String))
    joined = noted.drop_nulls("remark").sort("position").group_by("agency", "year", "template", maintain_order=True)
    return joined.agg(pl.col("remark").str.join("；"))


def figure_table(frame: pl.DataFrame, column: str, key: str, title: str, data_label: str = "") -> Table:
    """Units and years as rows, one numeric column per figure (named by `column`), and a 说明 column for cells
    without a number or with a floor (proactive_values' rows)."""
    order = frame.sort("position")[column].unique(maintain_order=True).to_list()
    wide = frame.pivot(on=column, index=["agency", "year", "template"], values="value", aggregate_function="first")
    wide = wide.join(_remarks(frame, column), on=["agency", "year", "template"], how="left")
    shown = wide.sort("agency", "year").select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("template").replace(TEMPLATE_NAMES).alias("模板"),
        *order,
        pl.col("remark").fill_null("").alias("说明"),
    )
    columns = (
        *UNIT_YEAR,
        Column("模板", "text", "报告使用的全国模板"),
        *[Column(name, "number", _note(frame, column, name)) for name in order],
        Column("说明", "text", REMARKS_NOTE),
    )
    note = f"“≈”为大致可比的指标（两版口径相近但不尽相同）。该年度报告没有这一栏时为空。{NULL_NOTE}"
    return Table(key, title, shown, columns, source(PART_TWO, data_label), note, metrics=("proactive.",))


def _note(frame: pl.DataFrame, column: str, name: str) -> str:
    """A figure column's 口径: the crosswalk's note for a series, the printed row for a template's own column."""
    rows = frame.filter(pl.col(column) == name)
    notes = rows["note"].drop_nulls().unique().to_list() if "note" in rows.columns else []
    return notes[0] if notes else f"第二部分表格“{name}”，按报告所印"


def not_comparable_table(crosswalk: pl.DataFrame, data_label: str = "") -> Table:
    """The section 二 rows of the two templates that do not form one series, and why (proactive_crosswalk)."""
    apart = crosswalk.filter(pl.col("comparability") == "none").select(
        pl.col("label_2021").fill_null("（无对应栏目）").alias("2021版栏目"),
        pl.col("label_2019").fill_null("（无对应栏目）").alias("2019版栏目"),
        pl.col("note").alias("不可比原因"),
    )
    columns = (Column("2021版栏目"), Column("2019版栏目"), Column("不可比原因"))
    note = "两版模板的栏目含义不同或没有对应栏目，不连成跨模板的序列。"
    return Table("proactive_apart", "不可比指标", apart, columns, source(PART_TWO, data_label), note)
