"""单位对比: the selected units of one year ranked by requests received, with their handling and rates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from analytics import charts
from analytics.state import Selection
from analytics.views import (
    CORRECTION_RATE,
    DISCLOSURE_RATE,
    FIGURES_FOUR,
    FIGURES_THREE,
    NULL_NOTE,
    PART_THREE,
    Chart,
    Column,
    NativeChart,
    Table,
    source,
)

QUERIES = ("compare_units",)
Fetch = Callable[..., pl.DataFrame]

RANK_METRICS = {
    "requests.new": "本年新收",
    "outcome.total": "办理总计",
    "rate.disclosure": "实质公开率",
    "rate.correction": "复议诉讼纠错率",
}


def ranking_table(fetch: Fetch, selection: Selection, year: int, data_label: str = "") -> Table:
    """The selected units in `year` ranked by requests received, with their handling and rates (compare_units: one
    query per metric, the same numbers the 单位对比 page shows)."""
    params: dict[str, Any] = {**selection.params(), "year_from": year, "year_to": year}
    frame: pl.DataFrame | None = None
    for metric, name in RANK_METRICS.items():
        rows = fetch("compare_units", metric=metric, **params).select("agency", pl.col("value").alias(name))
        frame = rows if frame is None else frame.join(rows, on="agency", how="left")
    assert frame is not None
    frame = frame.sort(["本年新收", "agency"], descending=[True, False], nulls_last=True)
    place = pl.col("本年新收").rank("min", descending=True).cast(pl.Int64)
    frame = frame.select(place.alias("名次"), pl.col("agency").alias("单位"), *RANK_METRICS.values())
    columns = (
        Column("名次", "count", f"按{year}年本年新收申请数从多到少；并列同名次；未填报的不排名"),
        Column("单位"),
        Column("本年新收", "count", "第三部分“本年新收政府信息公开申请数量”总计列"),
        Column("办理总计", "count", "第三部分“（七）总计”总计列"),
        Column("实质公开率", "rate", DISCLOSURE_RATE),
        Column("复议诉讼纠错率", "rate", CORRECTION_RATE),
    )
    native = NativeChart("ranked", f"{year}年本年新收申请数", ("单位",), ("本年新收",), "件数")
    note = f"{year}年所选单位按本年新收申请数排名。{NULL_NOTE}"
    src = source(PART_THREE + "及第四部分表格", data_label)
    metrics = FIGURES_THREE + FIGURES_FOUR
    return Table("ranking", f"{year}年单位排名", frame, columns, src, note, native, metrics, (year,))


def ranking_charts(ranking: Table, year: int) -> list[Chart]:
    """The ranking's two bar charts (requests received, substantive disclosure rate), each when some unit has it."""
    frame = ranking.frame
    figs = [
        ("ranking_requests", f"{year}年本年新收申请数排名", "本年新收", "件数", False),
        ("ranking_disclosure", f"{year}年实质公开率排名", "实质公开率", "实质公开率", True),
    ]
    out = []
    for key, title, column, axis, percent in figs:
        if frame[column].drop_nulls().is_empty():
            continue
        fig = charts.ranked_bars(frame, "单位", column, title, axis, percent=percent)
        note = f"{year}年所选单位；未填报或分母为0的单位不画出。" + (DISCLOSURE_RATE if percent else "")
        drawn = ("requests.new",) if column == "本年新收" else ("outcome.",)
        out.append(Chart(key, title, fig, ranking.source, note, "ranking", drawn))
    return out
