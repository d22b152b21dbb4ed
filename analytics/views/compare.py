"""单位对比: the selected units of one year ranked by requests received, with their handling and rates; the chosen
metrics side by side, each unit placed among its peers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import polars as pl

from analytics import charts
from analytics.state import LEVELS, TYPES, Selection
from analytics.views import (
    CORRECTION_RATE,
    DASHBOARD,
    DISCLOSURE_RATE,
    FIGURES_FOUR,
    FIGURES_THREE,
    NULL_NOTE,
    PART_THREE,
    UNIT_YEAR,
    Chart,
    Column,
    NativeChart,
    Table,
    source,
)
from loaders.keys import CATEGORY_LABELS, METRICS, MetricDef

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


# --- the 单位对比 page: chosen metrics side by side, each unit placed among its peers -----------------------------

DERIVED = {"rate.disclosure": "实质公开率", "rate.correction": "纠错率"}
SECTION_NAMES = {"二": "主动公开", "三": "依申请公开（总计列）", "四": "复议诉讼", "prose": "正文"}
POSITIONS = {
    "above_p75": "高于P75",
    "p50_p75": "P50～P75",
    "median": "等于P50（中位数）",
    "p25_p50": "P25～P50",
    "below_p25": "低于P25",
    "only_unit": "同组仅此一个单位",
    "not_stated": "—",
}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
SMALL_SAMPLE = "样本较少，仅供参考"
PEERS = "同组：导入名册的单位按名册的同类组，其余单位按层级与类型相同"
QUARTILES = "同组全部单位（不限于所选单位）同一年度的"


def row_label(key: str) -> str:
    """A metric's short Chinese name: the printed row, with its outcome category where the row alone is unclear."""
    if key in DERIVED:
        return DERIVED[key]
    metric: MetricDef = METRICS[key]
    label = _NUMBERING.sub("", metric.label)  # "一、", "（一）", "1." number rows within their table only
    if key.endswith(".unspecified") and metric.category:
        return f"{CATEGORY_LABELS[metric.category]}（未分项）"
    if metric.category in ("denied", "unavailable", "not_processed", "other"):
        return f"{CATEGORY_LABELS[metric.category]}·{label}"
    return "办理结果总计" if key == "outcome.total" else label


def metric_kind(key: str) -> str:
    """The kind of a metric's values: a rate for the derived ones, else a figure as printed."""
    return "rate" if key in DERIVED else "number"


def metric_note(key: str) -> str:
    """A metric's 口径 in a column note."""
    if key == "rate.disclosure":
        return DISCLOSURE_RATE
    if key == "rate.correction":
        return CORRECTION_RATE
    section = SECTION_NAMES.get(METRICS[key].section, METRICS[key].section)
    return f"报告“{section}”部分的“{METRICS[key].label}”，按报告所印"


def missing_reason(key: str, raw: str | None, denominator: float | None) -> str:
    """Why a unit has no value for a metric: a zero denominator, digits that could not be read, or not stated."""
    if key in DERIVED and denominator == 0:
        return "分母为0"
    return f"未能确定（原文 {raw}）" if raw and any(c.isdigit() for c in raw) else "未填报"


def peer_name(group: str) -> str:
    """A peer group in words: a group read from names (level/type) as e.g. 区县级·政府, a roster's group as the
    roster names it."""
    level, _, kind = group.partition("/")
    if level in LEVELS and kind in TYPES:
        return f"{LEVELS[level]}·{TYPES[kind]}"
    return group


def position_text(position: str, small: bool, value: float | None, reason: str) -> str:
    """Where a unit stands in its peer group (marked when the group is small), or why it has no value."""
    if value is None:
        return reason
    text = POSITIONS.get(position, position)
    return f"{text}*" if small and position not in ("not_stated", "only_unit") else text


def wide(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per unit and year, with each metric's value, raw text, denominator and position side by side."""
    keys = ["agency", "year"]
    first = next(iter(frames.values()))
    out = first.select(*keys, "peer_group")
    cols = ["value", "raw", "denominator", "position", "small_sample", "peer_n", "p25", "p50", "p75"]
    for key, frame in frames.items():
        out = out.join(frame.select(*keys, *[pl.col(c).alias(f"{key}|{c}") for c in cols]), on=keys, how="left")
    return out


def _positions(rows: pl.DataFrame, key: str) -> pl.Series:
    """The 同组位置 text of one metric for every row."""
    cols = [f"{key}|{c}" for c in ("position", "small_sample", "value", "raw", "denominator")]
    texts = [position_text(p, s, v, missing_reason(key, r, d)) for p, s, v, r, d in rows.select(cols).iter_rows()]
    return pl.Series(f"{row_label(key)}·同组位置", texts, pl.String)


def comparison_table(rows: pl.DataFrame, keys: list[str], data_label: str = "") -> Table:
    """Units and years side by side: the peer group, then each chosen metric's value (a number) and its place among
    its peers (or why there is no value)."""
    frame = rows.select(pl.col("agency").alias("单位"), pl.col("year").alias("年度"))
    frame = frame.with_columns(pl.Series("同组", [peer_name(g) for g in rows["peer_group"]], pl.String))
    columns = [Column("单位"), Column("年度", "year"), Column("同组", "text", PEERS)]
    for key in keys:
        frame = frame.with_columns(rows[f"{key}|value"].alias(row_label(key)), _positions(rows, key))
        columns.append(Column(row_label(key), metric_kind(key), metric_note(key)))
        note = f"按{QUARTILES}P25、P50、P75划分；* 同组不足5个单位，{SMALL_SAMPLE}；没有数值时写明原因"
        columns.append(Column(f"{row_label(key)}·同组位置", "text", note))
    note = f"{PEERS}。未写明的数字为空，不按0计。"
    src = source(PART_THREE + "及第二、第四部分表格和正文", data_label)
    return Table("compare", "单位对比", frame, tuple(columns), src, note, metrics=FIGURES_THREE + FIGURES_FOUR)


def peer_table(rows: pl.DataFrame, key: str, data_label: str = "") -> Table:
    """Each unit beside its peer group's quartiles for one metric, with the small-sample warning."""
    kind, name = metric_kind(key), row_label(key)
    frame = rows.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col(f"{key}|peer_n").cast(pl.Int64).alias("同组单位数"),
        pl.col(f"{key}|value").alias("本单位"),
        *[pl.col(f"{key}|{q}").alias(f"同组{q.upper()}") for q in ("p25", "p50", "p75")],
        pl.col(f"{key}|position").replace_strict(POSITIONS, default=pl.col(f"{key}|position")).alias("位置"),
        pl.when(pl.col(f"{key}|small_sample")).then(pl.lit(SMALL_SAMPLE)).otherwise(pl.lit("")).alias("提示"),
    )
    columns = (
        *UNIT_YEAR,
        Column("同组单位数", "count", f"{QUARTILES}单位数；{PEERS}"),
        Column("本单位", kind, metric_note(key)),
        *[Column(f"同组{q}", kind, f"{QUARTILES}{q}") for q in ("P25", "P50", "P75")],
        Column("位置"),
        Column("提示", "text", "同组不足5个单位时提示"),
    )
    src = source(DASHBOARD + "：同组分位", data_label)
    return Table("compare_peers", f"同组分位_{name}", frame, columns, src, NULL_NOTE)
