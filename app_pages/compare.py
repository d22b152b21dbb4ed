"""单位对比: the selected units side by side for the selected years, on metrics the user picks, each placed among
its peers (its peer group: the roster's, else same level and type) by the P25, P50 and P75 of ALL agencies of
its peer group in the same year.

Queries: compare_units (once per chosen metric).
"""

from __future__ import annotations

import re

import polars as pl
import streamlit as st

from analytics import charts
from analytics.state import LEVELS, TYPES
from loaders.keys import CATEGORY_LABELS, METRICS, MetricDef
from ui import data
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = ("compare_units",)

DERIVED = {"rate.disclosure": "实质公开率", "rate.correction": "纠错率"}
DEFAULT_METRICS = ["requests.new", "outcome.total", "rate.disclosure", "rate.correction"]
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
MIN_PEERS = 5  # the mart marks groups with fewer units than this as small samples
MAX_BARS = 30  # the chart stays readable; the tables list more
MAX_ROWS = 500  # a table longer than this is not read, only scrolled, and slows every page view


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


def metric_label(key: str) -> str:
    """A metric as the picker shows it: the part of the report it comes from, then its name."""
    section = "比率" if key in DERIVED else SECTION_NAMES.get(METRICS[key].section, METRICS[key].section)
    return f"{section}｜{row_label(key)}"


def value_text(key: str, value: float | None, raw: str | None, denominator: float | None) -> str:
    """A unit's figure as text; a missing one says why (not stated, unreadable digits, zero denominator)."""
    if value is None:
        if key in DERIVED and denominator == 0:
            return "—（分母为0）"
        return f"未能确定（原文 {raw}）" if raw and any(c.isdigit() for c in raw) else "—"
    if key in DERIVED:
        return f"{value * 100:.1f}%"
    if METRICS[key].kind == "change":
        return f"{value:+,.0f}"
    return ui.count(value) if float(value).is_integer() else f"{value:,.6f}".rstrip("0").rstrip(".")


def peer_name(group: str) -> str:
    """A peer group in words: a group read from names (level/type) as e.g. 区县级·政府, a roster's group as the
    roster names it."""
    level, _, kind = group.partition("/")
    if level in LEVELS and kind in TYPES:
        return f"{LEVELS[level]}·{TYPES[kind]}"
    return group


def _texts(key: str, frame: pl.DataFrame) -> pl.Series:
    """The display text of one metric for every row."""
    rows = frame.select(f"{key}|value", f"{key}|raw", f"{key}|denominator").iter_rows()
    return pl.Series([value_text(key, *row) for row in rows], dtype=pl.String)


def _position_text(position: str, small: bool) -> str:
    """Where a unit stands in its peer group, with a mark when the group is small."""
    text = POSITIONS.get(position, position)
    return f"{text}*" if small and position not in ("not_stated", "only_unit") else text


def _wide(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per unit and year, with each metric's value, raw text, denominator and position side by side."""
    keys = ["agency", "year"]
    first = next(iter(frames.values()))
    wide = first.select(*keys, "peer_group")
    for key, frame in frames.items():
        cols = ["value", "raw", "denominator", "position", "small_sample", "peer_n", "p25", "p50", "p75"]
        wide = wide.join(frame.select(*keys, *[pl.col(c).alias(f"{key}|{c}") for c in cols]), on=keys, how="left")
    return wide


def comparison_table(wide: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The side-by-side table as shown: unit, year, peer group, then each metric's value and position."""
    peer = [peer_name(group) for group in wide["peer_group"]]
    out = wide.select(pl.col("agency").alias("单位"), pl.col("year").alias("年度"))
    out = out.with_columns(pl.Series("同组", peer, pl.String))
    for key in keys:
        spots = wide.select(f"{key}|position", f"{key}|small_sample").iter_rows()
        out = out.with_columns(
            _texts(key, wide).alias(row_label(key)),
            pl.Series(f"{row_label(key)}·同组位置", [_position_text(*s) for s in spots], pl.String),
        )
    return out


def peer_table(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """Each unit beside its peer group's quartiles for one metric, with the small-sample warning."""

    def show(column: str) -> pl.Series:
        values = frame[f"{key}|{column}"].to_list()
        return pl.Series([value_text(key, v, None, None) for v in values], dtype=pl.String)

    small = frame[f"{key}|small_sample"].to_list()
    return frame.select(pl.col("agency").alias("单位"), pl.col("year").alias("年度")).with_columns(
        pl.Series("同组单位数", frame[f"{key}|peer_n"].to_list(), pl.Int64),
        _texts(key, frame).alias("本单位"),
        show("p25").alias("同组P25"),
        show("p50").alias("同组P50"),
        show("p75").alias("同组P75"),
        pl.Series("位置", [POSITIONS.get(p, p) for p in frame[f"{key}|position"].to_list()], pl.String),
        pl.Series("提示", [SMALL_SAMPLE if s else "" for s in small], pl.String),
    )


def peer_chart(rows: pl.DataFrame, key: str) -> None:
    """The first MAX_BARS units with a value, as bars beside their peer group's quartiles, with the 口径."""
    stated = rows.drop_nulls(f"{key}|value")
    title = f"{row_label(key)}：所选单位与同组P25／P50／P75"
    if stated.is_empty():
        fig = charts.empty(title, "所选单位都没有写明这一指标")
    else:
        quartiles = (f"{key}|p25", f"{key}|p50", f"{key}|p75")
        bars = stated.head(MAX_BARS)
        fig = charts.peer_bars(bars, "label", f"{key}|value", quartiles, title, row_label(key), percent=key in DERIVED)
    cut = f"按排序显示前{MAX_BARS}个有数值的单位年度；" if stated.height > MAX_BARS else ""
    peers = "同组（名册的同类组；不在名册上的单位按层级与类型）"
    note = f"{cut}竖线为{peers}全部单位同一年度的P25、P50、P75；未写明的单位不画出。"
    ui.show_chart(fig, note, "compare_chart")


selection = ui.page_frame("单位对比")
options = list(DERIVED) + list(METRICS)
chosen = st.multiselect(
    "指标", options, default=DEFAULT_METRICS, key="compare_metrics", format_func=metric_label, placeholder="请选择指标"
)
if not chosen:
    st.info("请至少选择一个指标。")
    st.stop()

frames = {key: data.fetch("compare_units", metric=key, **selection.params()) for key in chosen}
if next(iter(frames.values())).is_empty():
    st.info("所选范围内没有报告。请调整左侧筛选条件。")
    st.stop()

left, right = st.columns([3, 1])
sort_key = left.selectbox("排序依据", chosen, key="compare_sort", format_func=row_label)
descending = right.toggle("从高到低", value=True, key="compare_desc")
wide = _wide(frames).sort(f"{sort_key}|value", "agency", "year", descending=[descending, False, False], nulls_last=True)

if wide.height > MAX_ROWS:
    st.caption(f"共 {wide.height:,} 个单位年度，表中按排序显示前 {MAX_ROWS} 个；可在左侧筛选缩小范围。")
shown = wide.head(MAX_ROWS)  # sorted over the whole selection first, so the head is the true top of the list
ui.show_table(comparison_table(shown, chosen), "compare_table", "单位对比")
st.caption(
    "同组：导入名册的单位按名册的同类组，其余单位按层级与类型相同。"
    "同组位置按同组全部单位（不限于所选单位）同一年度的P25、P50、P75划分；"
    f"* 同组不足{MIN_PEERS}个单位，{SMALL_SAMPLE}。第三部分指标取“总计”列。"
    "实质公开率 =（予以公开 + 部分公开）/ 办理结果总计；纠错率 = 结果纠正 / 已审结（总计 − 尚未审结），"
    "行政复议与两类行政诉讼合计，总计与分项不符（R4）或分项未填报的栏目不计入。未写明的数字显示“—”，不按0计。"
)


st.subheader(f"同组分位：{row_label(sort_key)}")
rows = shown.with_columns(pl.format("{}（{}年）", "agency", "year").alias("label"))
peer_chart(rows, sort_key)
ui.show_table(peer_table(rows, sort_key), "compare_peer_table", f"同组分位_{row_label(sort_key)}")
