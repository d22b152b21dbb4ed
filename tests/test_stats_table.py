"""The old (pre-2019) statistics table: real Pingtan reports, spaced and glued, and its ambiguous rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.model import Figure
from loaders.stats_table import extract_stats_table

REPORTS = Path(__file__).parent / "fixtures" / "reports"
HEADER = "七、统计表 指标名称计量单位2015年度历年累计"


def _expected_cases() -> list[tuple[str, str, float]]:
    """(file, key, value) of every expected figure of the prose reports that carry the table."""
    reports = json.loads((REPORTS / "expected_corpus.json").read_text(encoding="utf-8"))
    return [(r["file"], key, float(v)) for r in reports if r["template"] == "prose" for key, v in r["expected"].items()]


def _table(name: str) -> list[Figure]:
    figures, findings = extract_stats_table((REPORTS / name).read_text(encoding="utf-8"), source=name)
    assert findings == []
    return figures


def _value(figures: list[Figure], key: str) -> float | None:
    """A key's value; "sum:outcome.denied|total" sums the category's figures, as expected_corpus.json means it."""
    metric, applicant = key.removeprefix("sum:").split("|")
    if key.startswith("sum:"):
        found = [f for f in figures if f.metric.startswith(metric + ".") and f.applicant == applicant]
    else:
        found = [f for f in figures if f.metric == metric and f.applicant == (applicant or None)]
    assert found, key
    return sum(f.value for f in found)


@pytest.mark.parametrize(("name", "key", "value"), _expected_cases())
def test_expected_figures(name: str, key: str, value: float) -> None:
    assert _value(_table(name), key) == value


def test_expected_cases_cover_both_layouts() -> None:
    names = {name for name, _, _ in _expected_cases()}
    assert {"001_pingtan_zone_2011.txt", "009_pingtan_zone_2015.txt", "026_pingtan_zone_2018.txt"} <= names
    assert len(names) == 8


def test_glued_pair_is_split_this_year_first() -> None:
    figures = _table("009_pingtan_zone_2015.txt")  # 受理依申请公开信息总数条01: 0 this year, 1 cumulative
    request = next(f for f in figures if f.metric == "requests.new")
    assert (request.value, request.raw, request.row_label, request.col_label) == (
        0,
        "0",
        "受理依申请公开信息总数",
        "本年度",
    )
    assert (request.kind, request.section, request.line) == ("table", "三", 10)
    review = next(f for f in figures if f.metric == "review.total")
    assert (review.applicant, review.section, review.value) == (None, "四", 0)


def test_next_row_ordinal_is_not_read_as_a_digit() -> None:
    figures = _table("009_pingtan_zone_2015.txt")  # "…同意公开答复数条012、同意部分公开…"
    labels = {f.metric: f.row_label for f in figures}
    assert labels["outcome.granted"] == "1、同意公开答复数"
    assert labels["outcome.partial"] == "2、同意部分公开答复数"
    assert labels["channel.online"] == "2、网上申请数"
    assert next(f for f in figures if f.metric == "outcome.granted").value == 0


def test_spaced_table_and_a_missing_cumulative_cell() -> None:
    figures = _table("007_pingtan_zone_2013.txt")  # "2、政府公报公开 条 0 受理依申请…" has one number
    assert next(f for f in figures if f.metric == "requests.new").raw == "0"
    assert next(f for f in figures if f.metric == "review.total").value == 0


def test_combined_letter_and_fax_row_has_no_key() -> None:
    metrics = [f.metric for f in _table("008_pingtan_zone_2014.txt")]
    assert "channel.letter" not in metrics and "channel.fax" not in metrics
    assert {"channel.in_person", "channel.online", "fees.disclosure_charged_yuan"} <= set(metrics)


def test_litigation_and_proactive_rows_are_not_emitted() -> None:
    for name in {name for name, _, _ in _expected_cases()}:
        metrics = {f.metric for f in _table(name)}
        assert not [m for m in metrics if m.startswith(("litigation.", "proactive."))], name


def test_ambiguous_glued_row_is_left_empty_with_a_finding() -> None:
    text = HEADER + "受理依申请公开信息总数条1215其中：1、当面申请数条002、网上申请数条1215"
    figures, findings = extract_stats_table(text, source="x.txt")
    request = next(f for f in figures if f.metric == "requests.new")
    assert (request.value, request.raw) == (None, "1215")
    assert [f.rule for f in findings] == ["PARSE", "PARSE"]
    first = findings[0]
    assert first.severity == "warning" and first.cells[0]["raw"] == "1215"
    assert (
        first.message.startswith("x.txt：统计表“受理依申请公开信息总数”") and " / statistics table row" in first.message
    )
    assert "1|215、12|15" in first.message


def _values(text: str, hints: dict[str, float] | None = None) -> tuple[dict[str, float | None], list]:
    figures, findings = extract_stats_table(HEADER + text, hints=hints)
    return {f.metric: f.value for f in figures}, findings


def test_glued_rows_are_settled_by_their_sub_rows() -> None:
    # This year equals the cumulative (a first year): "2323" is 2|323 or 23|23; only 23|23 lets the sub-rows add up.
    text = (
        "受理依申请公开信息总数条2323其中：1、当面申请数条17172、网上申请数条663、信函申请数条00"
        "对申请的答复总数条2323其中：1、同意公开答复数条19192、同意部分公开答复数条333、不予公开答复数条11"
    )
    values, findings = _values(text)
    assert values == {
        "requests.new": 23,
        "channel.in_person": 17,
        "channel.online": 6,
        "channel.letter": 0,
        "outcome.total": 23,
        "outcome.granted": 19,
        "outcome.partial": 3,
        "outcome.denied.unspecified": 1,
    }
    assert findings == []


def test_sub_row_is_settled_by_its_row_and_the_prose() -> None:
    # The prose gives 20 requests; the in-person row "1515" (1|515 or 15|15) must then be 15|15.
    text = "受理依申请公开信息总数条2020其中：1、当面申请数条15152、网上申请数条55"
    values, findings = _values(text, {"requests.new": 20})
    assert (values["requests.new"], values["channel.in_person"], values["channel.online"]) == (20, 15, 5)
    assert findings == []


def test_sub_rows_that_add_up_either_way_leave_the_rows_empty() -> None:
    # 1|212 + 0|2 = 1|214 and 12|12 + 0|2 = 12|14: both readings of the row and its first sub-row add up.
    text = "受理依申请公开信息总数条1214其中：1、当面申请数条12122、网上申请数条02"
    values, findings = _values(text)
    assert (values["requests.new"], values["channel.in_person"], values["channel.online"]) == (None, None, 0)
    assert len(findings) == 2 and "1|214、12|14" in findings[0].message


def test_sub_rows_that_do_not_add_up_settle_nothing() -> None:
    # The sub-rows leave a kind of answer out (13 of 14 listed): no reading adds up, so none is preferred.
    text = "对申请的答复总数条1414其中：1、同意公开答复数条11112、同意部分公开答复数条22"
    values, findings = _values(text)
    assert values == {"outcome.total": None, "outcome.granted": None, "outcome.partial": 2}
    assert [f.cells[0]["raw"] for f in findings] == ["1414", "1111"]


def test_hint_picks_the_reading() -> None:
    text = HEADER + "受理依申请公开信息总数条1215对申请的答复总数条1215"
    figures, findings = extract_stats_table(text, hints={"requests.new": 12})
    values = {f.metric: f.value for f in figures}
    assert values == {"requests.new": 12, "outcome.total": None}
    assert len(findings) == 1


def test_row_that_does_not_split_is_reported() -> None:
    figures, findings = extract_stats_table(HEADER + "行政复议数件10行政诉讼数件00")
    assert [(f.metric, f.value, f.raw) for f in figures] == [("review.total", None, "10")]
    assert "无法拆分" in findings[0].message


def test_fee_only_in_yuan() -> None:
    text = "指标名称 计量单位 2014年度 历年累计 政府信息公开收费减免金额 万元 3 5 行政复议数 件 0 0"
    figures, _ = extract_stats_table(text)
    assert [f.metric for f in figures] == ["review.total"]


def test_text_without_the_table() -> None:
    assert extract_stats_table((REPORTS / "zhangdian-district-gov-2014.txt").read_text(encoding="utf-8")) == ([], [])
