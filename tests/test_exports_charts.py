"""The chart theme as exported: title, 口径 note and legend stacked without overlapping however many rows the legend
takes, labels above the plot moved inside it, and the ranking bars the briefing uses."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
import polars as pl
import pytest
from PIL import Image

from analytics import charts
from exports import images

UNITS = [f"{name}人民政府办公室" for name in "甲乙丙丁戊己庚辛壬癸子丑寅卯"]  # 14 series: a legend of several rows


def many_series(count: int) -> go.Figure:
    """Grouped bars with `count` long-named series."""
    rows = [(unit, year, i + year - 2015) for i, unit in enumerate(UNITS[:count]) for year in (2019, 2020, 2021)]
    frame = pl.DataFrame(rows, schema=["单位", "year", "件数"], orient="row")
    return charts.grouped_bars(
        frame, "year", "件数", "单位", "各单位本年新收申请数（标题较长，检验与图例不重叠）", "年度", "件数"
    )


def ink_rows(png: bytes) -> np.ndarray:
    """For each pixel row of an image, whether it holds any dark (text) pixel."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return (grey < 140).any(axis=1)


def gap_below_title(fig: go.Figure) -> bool:
    """Whether, rendered at scale 1, a blank band of pixel rows separates the title line from what follows."""
    rows = ink_rows(images.png(fig, scale=1))
    title_end = charts.TITLE_TOP + charts.TITLE_LINE
    return not rows[title_end - 2 : title_end + 3].any()


@pytest.mark.parametrize("count", [3, 14])
def test_legend_sits_below_the_title_in_the_layout(count: int):
    fig = many_series(count)
    height = fig.layout.height
    assert (fig.layout.title.yref, fig.layout.title.y, fig.layout.title.yanchor) == ("container", 1, "top")
    assert (fig.layout.legend.yref, fig.layout.legend.yanchor) == ("container", "top")
    assert (1 - fig.layout.legend.y) * height >= charts.TITLE_TOP + charts.TITLE_LINE


def test_a_legend_of_several_rows_does_not_run_into_the_title():
    fig = many_series(14)
    assert gap_below_title(fig)
    # the layout this replaced: the legend anchored just above the plot grew upwards into the title
    old = go.Figure(fig).update_layout(
        legend={"yref": "paper", "y": 1.02, "yanchor": "bottom"}, title={"yref": "paper", "y": None, "yanchor": "auto"}
    )
    old.update_layout(margin={"t": 80})
    assert not gap_below_title(old)


def test_a_note_becomes_a_wrapped_subtitle_above_the_legend():
    note = "口径：" + "第三部分表格总计列，按年度汇总；未填报的报告不计入，不按0计。" * 6
    fig = charts.with_note(many_series(3), note)
    subtitle = fig.layout.title.subtitle.text
    assert subtitle.replace("<br>", "") == note and subtitle.count("<br>") >= 2
    lines = subtitle.count("<br>") + 1
    header = charts.TITLE_TOP + charts.TITLE_LINE + lines * charts.NOTE_LINE
    assert (1 - fig.layout.legend.y) * fig.layout.height >= header
    assert many_series(3).layout.title.subtitle.text is None  # the dashboard's own figure is left as it was


def test_labels_above_the_plot_move_inside_it():
    frame = pl.DataFrame({"year": [2018, 2019, 2020, 2021], "件数": [1, 2, 3, 4], "指标": ["收到申请"] * 4})
    fig = charts.trend_lines(frame, "year", "件数", "指标", "收到申请", "年度", "件数")
    labels = [a for a in fig.layout.annotations if a.text in ("2019版模板", "2021版模板")]
    assert len(labels) == 2 and all(a.yanchor == "top" and a.y == 1 for a in labels)


def test_ranked_bars_show_rates_as_rates_and_leave_out_unstated_units():
    frame = pl.DataFrame({"单位": ["甲", "乙", "丙"], "实质公开率": [0.61, None, 0.5]})
    fig = charts.ranked_bars(frame, "单位", "实质公开率", "实质公开率排名", "实质公开率", percent=True)
    assert list(fig.data[0].y) == ["丙", "甲"]  # largest on top: plotly draws the last category highest
    assert fig.layout.xaxis.tickformat == ".0%" and fig.data[0].texttemplate == "%{x:.1%}"
