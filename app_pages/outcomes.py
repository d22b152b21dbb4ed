"""办理结果: how requests were answered (the six outcome categories), why they were refused, who asked, and the
rates with their denominators written out. A click on a bar narrows the page to its unit (and, on the outcome mix,
to the segment's category); the note at the top undoes it.

Queries: outcomes_mix, selection_rates, outcomes_denied_reasons, outcomes_applicants.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.state import Selection
from analytics.views import drawn_note, most, outcomes, report_label
from loaders.keys import CATEGORY_LABELS
from ui import data, focus, textview
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*outcomes.QUERIES, "outcomes_applicants", "selection_rates")

TOP = outcomes.TOP  # agencies drawn in the per-report bar charts (at most BARS reports); the tables list all
RATES = outcomes.RATES


def _headline(totals: dict, category: str | None) -> None:
    """The selection's rates (selection_rates), each with its numerator and denominator; narrowed to a category,
    only the rates that count it."""
    # markdown rather than st.metric: the large metric type cuts "61.0%（64/105）" short in a narrow column
    labels = list(outcomes.category_rates(category))
    for start in range(0, len(labels), 4):
        for column, label in zip(st.columns(4), labels[start : start + 4], strict=False):
            name = RATES[label][0]
            shown = ui.rate_with_counts(totals[f"{name}_rate"], totals[f"{name}_num"], totals[f"{name}_den"])
            column.markdown(f"{label}  \n**{shown}**")
    st.caption(
        "实质公开率 =（予以公开 + 部分公开）/ 办理总计；其余各类比率 = 该类办理结果 / 办理总计；办结率 = 办理总计 /"
        "（本年新收 + 上年结转）。办理总计取报告印出的“（七）总计”；合计只计同时填报分子与分母的报告，"
        "已含在所选上级单位报告中的下级单位不重复相加；分母为0或未填报时显示“—”。"
    )
    for note in ui.total_notes(totals):
        st.caption(textview.markdown_text(note))
    if category:
        st.caption(f"以上只列出计入“{category}”的比率，按所选范围的全部报告计算（不限于写明该类件数的报告）。")


def _share_chart(long: pl.DataFrame, colour: str, title: str, order: list[str], note: str, key: str) -> None:
    """A 100% stacked bar per report from (报告, 单位, colour, 件数) rows, or a titled placeholder when there are
    none; a click on a bar narrows the page to its unit."""
    if long.is_empty():
        fig = charts.empty(title, "所选报告没有可画的件数")
    else:
        fig = charts.share_bars_stated(long, "报告", "件数", colour, title, "报告", order, custom="单位")
    points = ui.show_chart(fig, note, focus.chart_key(key), on_select=True)
    focus.follow(points, chosen, focus.point_unit)


def _mix_chart(mix: pl.DataFrame) -> None:
    """The view's outcome mix of each report as a 100% stacked bar, and a note when agencies are left out; a click
    on a segment narrows the page to its unit and category."""
    points = ui.show_view_chart(outcomes.mix_chart(mix), focus.chart_key("outcomes_mix"), on_select=True)
    focus.follow(points, chosen, focus.point_unit, focus.point_category)
    st.caption(CLICK_NOTE)
    _more_agencies_note(outcomes.answered(mix), "handled", "办理总计")


def _more_agencies_note(frame: pl.DataFrame, weight: str, words: str) -> None:
    """Say so when a chart leaves agencies out: how many it draws, of how many."""
    note = drawn_note(frame, weight, words, TOP)
    if note:
        st.caption(note)


def _tables(mix: pl.DataFrame) -> None:
    """The view's tables of each report: the six categories and 办理总计, then the rates beside their counts."""
    ui.show_table(outcomes.mix_table(mix), "outcomes_table", selection)
    ui.show_table(outcomes.rates_table(mix), "outcomes_rates_table", selection)
    st.caption("空白（“—”）：报告未填报该项（不是0），或比率的分母为0、未填报。")


def _reasons(reasons: pl.DataFrame, category: str | None) -> None:
    """The eight 不予公开 reasons, stacked by year, and their figures per year; none when the page is narrowed to
    another outcome category."""
    st.subheader("不予公开的理由")
    if category not in (None, DENIED):
        st.info(f"不予公开的理由只属于“{DENIED}”一类；本页已缩小到“{category}”，不列出。")
        return
    if reasons.is_empty():
        st.info("所选报告没有按理由分项填报不予公开的件数。")
        return
    ui.show_view_chart(outcomes.reasons_chart(reasons))
    ui.show_table(outcomes.reasons_table(reasons), "outcomes_reasons_table", selection)


def _applicant_chart(applicants: pl.DataFrame) -> None:
    """Who asked: each report's 本年新收 divided among the six applicant columns."""
    asked = applicants.filter(pl.col("requests").sum().over("report_id") > 0)  # no requests: no mix to draw
    shown = asked.filter(pl.col("agency").is_in(most(asked, "requests", TOP))).sort("agency", "year", "position")
    plot = shown.select(
        report_label(shown).alias("报告"),
        pl.col("agency").alias("单位"),
        pl.col("applicant_label").alias("申请人"),
        pl.col("requests").alias("件数"),
    )
    order = applicants.sort("position")["applicant_label"].unique(maintain_order=True).to_list()
    note = (
        "第三部分“本年新收”一行的六个申请人列（自然人、法人或其他组织的五类）；文字报告通常不分申请人。"
        "本年没有新收申请的报告不画柱。"
    )
    _share_chart(plot, "申请人", "各报告本年新收申请的申请人构成", order, note, "outcomes_applicants")
    _more_agencies_note(asked, "requests", "本年新收")


def focus_of(whole: Selection) -> focus.Focus:
    """What the page is narrowed to (from the URL): a unit the selection holds and/or an outcome category."""
    units = set(data.fetch("outcomes_mix", **whole.params())["agency"])
    units |= set(data.fetch("outcomes_applicants", **whole.params())["agency"])
    return focus.read(units, CATEGORY_LABELS.values())


CLICK_NOTE = "点击图中的柱形，本页缩小到该单位与该类办理结果；再点一次恢复。图例只在图中隐藏或显示该类。"
DENIED = CATEGORY_LABELS["denied"]
NARROW_EMPTY = "所选报告都没有写明该类办理结果的件数，或写明为0。"

whole = ui.selection()
chosen = focus_of(whole)
selection = focus.narrowed(whole, chosen)  # narrowed to a unit: the same queries for that unit only
mix = outcomes.stating(data.fetch("outcomes_mix", **selection.params()), chosen.category)
totals = data.fetch("selection_rates", **selection.params()).row(0, named=True)
reasons = data.fetch("outcomes_denied_reasons", **selection.params())
applicants = data.fetch("outcomes_applicants", **selection.params())
if chosen.category:
    applicants = outcomes.of_reports(applicants, mix)

focus.note(chosen, "单位", "办理结果", "只列出写明该类件数且大于0的报告。" if chosen.category else "")
if mix.is_empty() and applicants.is_empty():
    if chosen:
        st.info(f"缩小后的范围内没有报告：{NARROW_EMPTY}")
    else:
        st.info("所选范围内没有填报办理结果的报告。请调整左侧筛选条件，或在“导入”页导入报告。")
    st.stop()

st.subheader("办理结果构成")
if mix.is_empty():
    st.info("所选报告没有填报办理结果。")
else:
    _headline(totals, chosen.category)
    _mix_chart(mix)
    _tables(mix)
_reasons(reasons, chosen.category)
st.subheader("申请人构成")
if applicants.is_empty():
    st.info("所选报告没有按申请人分列本年新收的申请。")
else:
    _applicant_chart(applicants)
    ui.show_table(outcomes.applicants_table(applicants), "outcomes_applicants_table", selection)
