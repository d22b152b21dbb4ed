"""主动公开: section 二 figures per agency and year, with the 2019 and 2021 templates crosswalked rather than mixed,
and the prose count 主动公开政府信息 N 条 as its own trend.

Queries: proactive_values, proactive_crosswalk.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.views import proactive
from ui import data, url_state
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*proactive.QUERIES,)

MAX_UNITS = 10  # lines and rows stay readable; a note says when the selection holds more
TEMPLATE_NAMES = proactive.TEMPLATE_NAMES  # 2021版 …
ROUGH_MARK = "≈"


def _note_left_out(frame: pl.DataFrame) -> None:
    """Say so when the selection holds more units than the page shows (the query keeps the first MAX_UNITS)."""
    total = int(frame["units_total"].max())
    if total > MAX_UNITS:
        st.info(
            f"所选范围内有 {total} 个单位，下面只显示报告年度最多的 {MAX_UNITS} 个；请在左侧“单位”中选择要看的单位。"
        )


def _with_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Add every figure's hover line (the text as printed and where)."""
    hover = [
        f"{TEMPLATE_NAMES.get(t, t)}·{label}：{raw}（第{line}行）"
        for t, label, raw, line in frame.select("template", "metric_label", "raw", "line").iter_rows()
    ]
    return frame.with_columns(
        pl.Series("hover", hover, pl.String),
        (pl.col("template") == "2019").alias("is_2019"),
    )


def _unstated(frame: pl.DataFrame) -> pl.DataFrame:
    """Figures printed as digits that could not be split: marked on the chart with what was printed."""
    cells = frame.filter(pl.col("status") == "unsplit")
    return cells.select("year", pl.format("{}：原文 {}", "agency", "raw").alias("hover"))


def series_name(label: str, comparability: str) -> str:
    """A crosswalk series as the menu and table headers name it: roughly comparable ones carry a mark."""
    return f"{ROUGH_MARK} {label}" if comparability == "rough" else label


def series_chart(figures: pl.DataFrame, row: dict) -> None:
    """One crosswalked series (a row of proactive_crosswalk) across both templates, per unit, with its 口径."""
    part = figures.filter(pl.col("series") == row["series"])
    rough = row["comparability"] == "rough"
    title = f"{row['series_label']}{'（大致可比）' if rough else ''}"
    if part.is_empty():
        ui.show_chart(charts.empty(title), row["note"], "proactive_series")
        return
    marks = {"hollow": "is_2019", "unstated": _unstated(part), "dashed": rough}
    fig = charts.marked_trend(part, "year", "value", "agency", title, "年度", "件数", "hover", **marks)
    kind = "大致可比（虚线）：两版口径相近但不尽相同，跨年比较时请留意" if rough else "两版可比"
    note = (
        f"{kind}。{row['note']}。2021版读“{row['label_2021']}”，2019版读“{row['label_2019']}”；空心点取自2019版模板。"
    )
    ui.show_chart(fig, note, "proactive_series")


def items_chart(items: pl.DataFrame) -> None:
    """The prose count 主动公开政府信息 N 条 per unit and year, the same sentence in every template."""
    title = "主动公开政府信息条数（按单位、年度）"
    note = (
        "报告正文中“主动公开政府信息N条”的N，各模板口径相同；空心点为“N余条”等约数，按N计。"
        "政府与其办公室的报告可能写同一个全区数字，不宜相加。"
    )
    if items.is_empty():
        ui.show_chart(charts.empty(title), note, "proactive_items")
        return
    fig = charts.marked_trend(
        items, "year", "value", "agency", title, "年度", "条数", "hover", hollow="approx", unstated=_unstated(items)
    )
    ui.show_chart(fig, note, "proactive_items")


selection = ui.selection()
values = data.fetch("proactive_values", max_units=MAX_UNITS, **selection.params())
crosswalk = data.fetch("proactive_crosswalk")

if values.is_empty():
    st.info("所选范围内没有主动公开数据。请调整左侧筛选条件。")
    st.stop()

_note_left_out(values)
values = _with_text(values)

st.subheader("主动公开政府信息条数")
items_chart(values.filter(pl.col("series") == "proactive.items"))

st.subheader("第二十条主动公开数据：2019版与2021版对照")
across = crosswalk.filter(pl.col("comparability") != "none")
choices = {series_name(r["series_label"], r["comparability"]): r for r in across.iter_rows(named=True)}
# open on the first fully comparable series: it shows what a series across both templates looks like
first = next((i for i, r in enumerate(choices.values()) if r["comparability"] == "comparable"), 0)
names = list(choices)
chosen = url_state.selectbox(
    st, "指标（≈ 表示大致可比）", names, names[first] if names else None, key="proactive_series_pick", url="series",
    token=lambda name: choices[name]["series"],
)  # fmt: skip
series_chart(values, choices[chosen])

comparable = values.filter(pl.col("comparability") != "none").with_columns(
    pl.when(pl.col("comparability") == "rough")
    .then(pl.format("{} {}", pl.lit(ROUGH_MARK), "series_label"))
    .otherwise("series_label")
    .alias("column")
)
ui.show_table(proactive.figure_table(comparable, "column", "proactive", "主动公开"), "proactive_table", selection)
st.caption(
    "“≈”为大致可比的指标。数值为空（“—”）时，“说明”列写明原因：“未能确定”是报告表格中几个数字连在一起、无法确定如何"
    "拆分（原文数字列在括号中）；“未填报”是报告印有该栏但未填数字；没有写明的是该年度报告没有这一栏（如文字报告）。"
    "“约数”按所印数字计。"
)

st.subheader("不可比指标")
st.caption("以下两版模板的栏目含义不同或没有对应栏目，不连成跨模板的序列，数值只在各自模板内列出。")
ui.show_table(proactive.not_comparable_table(crosswalk), "proactive_not_comparable", selection)
separate = values.filter(pl.col("comparability") == "none")
for template in ("2021", "2019"):
    part = separate.filter(pl.col("template") == template)
    if not part.is_empty():
        title = f"{TEMPLATE_NAMES[template]}模板的不可比栏目"
        st.markdown(f"**{title}**")
        apart = proactive.figure_table(part, "metric_label", f"proactive_{template}", title)
        ui.show_table(apart, f"proactive_apart_{template}", selection)
