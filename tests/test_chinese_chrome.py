"""A Chinese-only interface: every page, run on the sample database, hands Streamlit no English UI word from a short
list (what Streamlit itself would otherwise show: Deploy, Upload, Select all, View more, its default placeholders)
and no "+0" delta on a metric card; the data date moves only when the data changed; count axes read in whole
numbers written in full."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import polars as pl
import pytest

from analytics import charts
from loaders import review, store
from tests import dbutil
from tests.apptest_support import ROOT, dashboard_pages, run_page

ENGLISH_UI_WORDS = (
    "Deploy", "Upload", "Select all", "View more", "View less", "Browse files", "Drag and drop", "Choose an option",
    "Choose options", "No results", "Press Enter", "Download", "Clear all",
)  # fmt: skip
ZERO_DELTA = re.compile(r"^\s*[+＋]\s*0(?![\d.,])")


def shown_strings(at) -> list[tuple[str, str, str]]:
    """Every string field of every element a page drew: (element type, field, text); tables' and charts' data
    (report text) left out."""
    found = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or kind in ("arrow_data_frame", "plotly_chart", "json") or not hasattr(proto, "ListFields"):
            continue
        found.extend(_strings(proto, kind))
    return found


def _strings(proto, kind: str) -> list[tuple[str, str, str]]:
    """The string fields of a proto and of the messages nested in it (repeated strings too: a select's options)."""
    found = []
    for descriptor, value in proto.ListFields():
        items = value if descriptor.is_repeated else [value]
        for item in items:
            if hasattr(item, "ListFields"):
                found.extend(_strings(item, kind))
            elif isinstance(item, str):
                found.append((kind, descriptor.name, item))
    return found


def english_words(text: str) -> list[str]:
    """The listed English UI words a text holds, as whole words."""
    return [w for w in ENGLISH_UI_WORDS if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]


def test_the_word_check_finds_what_it_should() -> None:
    assert english_words("Upload a file") == ["Upload"] and english_words("Select all") == ["Select all"]
    assert english_words("上传报告文件（Uploaded）") == [] and english_words("下载Excel") == []
    assert ZERO_DELTA.match("+0（较2020年）") and ZERO_DELTA.match("+0") and not ZERO_DELTA.match("+0.5")
    assert not ZERO_DELTA.match("+12（较2020年）") and not ZERO_DELTA.match("与2020年持平")


def test_every_page_is_chinese_without_zero_deltas(dashboard_db: Path) -> None:
    problems, pages = [], 0
    for page, *_ in dashboard_pages():
        at = run_page(page)
        pages += 1
        for kind, field, text in shown_strings(at):
            if english_words(text):
                problems.append((page, kind, field, english_words(text), text[:120]))
        problems += [(page, "metric", m.label, m.delta) for m in at.metric if m.delta and ZERO_DELTA.match(m.delta)]
    assert pages >= 10
    assert not problems, problems


def test_an_unchanged_figure_reads_as_unchanged_without_an_arrow(dashboard_db: Path) -> None:
    # one report of one unit in both years: the counts tie
    at = run_page("app_pages/overview.py", {"agency": "平潭综合实验区管委会", "from": "2024", "to": "2025"})
    cards = {m.label: m for m in at.metric}
    assert cards["报告数"].delta == "与2024年持平" and cards["单位数"].delta == "与2024年持平"
    tie = cards["报告数"].proto
    assert tie.MetricDirection.Name(tie.direction) == "NONE" and tie.MetricColor.Name(tie.color) == "GRAY"  # grey
    changed = run_page("app_pages/overview.py", {"agency": "平潭综合实验区管委会", "from": "2020", "to": "2021"})
    rose = {m.label: m for m in changed.metric}["收到申请（本年新收）"]
    assert rose.delta == "+49（较2020年）" and rose.proto.MetricDirection.Name(rose.proto.direction) == "UP"


def test_the_toolbar_has_no_deploy_button() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"


def test_the_data_date_moves_only_when_the_data_changed(sample_copy: Path, tmp_path: Path) -> None:
    before = dbutil.query(sample_copy, "data_updated")["updated_at"].item()
    assert before is not None
    broken = tmp_path / "坏文件.doc"
    broken.write_bytes(b"\xd0\xcf\x11\xe0 not a report")  # an old Word file: refused
    again = ROOT / "tests" / "fixtures" / "reports" / "zhangdian-district-gov-2021.txt"  # stored already
    summary = store.ingest([broken, again], sample_copy, progress=False)
    assert summary.failures
    assert dbutil.query(sample_copy, "data_updated")["updated_at"].item() == before
    key = dbutil.rows(sample_copy, "select finding_key from fct_findings limit 1")[0][0]
    review.add_note(sample_copy, key, "已核实", "审核员")
    assert dbutil.query(sample_copy, "data_updated")["updated_at"].item() > before


@pytest.mark.parametrize(
    ("values", "dtick"), [([1, 3, 2], 1), ([0, 0, 1], 1), ([14000, 3, 9], None)]
)  # fmt: skip
def test_count_axes_tick_whole_numbers_in_full(values: list[int], dtick: int | None) -> None:
    frame = pl.DataFrame({"单位": ["甲", "乙", "丙"], "件数": values})
    for fig, axis in (
        (charts.grouped_bars(frame, "单位", "件数", None, "标题", "单位", "件数"), "yaxis"),
        (charts.ranked_bars(frame, "单位", "件数", "标题", "件数"), "xaxis"),
    ):
        assert fig.layout[axis].tickformat == ",d"  # 14,000, never 14k
        assert fig.layout[axis].dtick == dtick  # small counts: every whole number, no 0.5 steps


def test_shares_and_rates_keep_their_own_axes() -> None:
    rates = pl.DataFrame({"单位": ["甲", "乙"], "率": [0.5, 0.75]})
    assert charts.ranked_bars(rates, "单位", "率", "标题", "率", percent=True).layout.xaxis.tickformat == ".0%"
    years = pl.DataFrame({"年度": [2020, 2021], "率": [0.5, 0.75], "系列": ["甲", "甲"]})
    assert charts.trend_lines(years, "年度", "率", "系列", "标题", "年度", "率").layout.yaxis.tickformat is None
    mix = pl.DataFrame({"年度": ["2020", "2020"], "件数": [1, 3], "类别": ["予以公开", "不予公开"]})
    shares = charts.share_bars(mix, "年度", "件数", "类别", "标题", "年度", ["予以公开", "不予公开"])
    assert shares.layout.yaxis.tickformat is None  # 100% stacked: a share, not a count


def test_bilingual_messages_show_their_chinese_half() -> None:
    from ui.textview import chinese_part

    assert chinese_part("所选范围内没有年度报告 / the selection holds no annual report") == "所选范围内没有年度报告"
    assert chinese_part("单位 / 年度") == "单位 / 年度"  # both halves Chinese: not a bilingual message
    assert chinese_part("没有英文部分") == "没有英文部分"
