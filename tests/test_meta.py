"""Report metadata: agency and year of every real report, and region, parent and dates where stated."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from loaders.meta import Meta, apply_given, extract_meta
from loaders.model import Given, Report

REPORTS = Path(__file__).parent / "fixtures" / "reports"
EXPECTED = [
    entry
    for name in ("expected_seeds.json", "expected_corpus.json")
    for entry in json.loads((REPORTS / name).read_text(encoding="utf-8"))
    if entry["file"].endswith(".txt")
]


def meta_of(name: str) -> Meta:
    """Metadata of a fixture report."""
    return extract_meta((REPORTS / name).read_text(encoding="utf-8"), name)


def test_every_text_report_has_an_expectation():
    named = {entry["file"] for entry in EXPECTED} | {"zhoucun-district-workplan-2021.txt"}
    assert named == {p.name for p in REPORTS.glob("*.txt")}


@pytest.mark.parametrize("entry", EXPECTED, ids=lambda e: e["file"])
def test_agency_and_year_of_every_real_report(entry: dict):
    found = meta_of(entry["file"])
    assert (found.agency, found.year) == (entry["agency"], entry["year"])


def test_year_is_the_reporting_year_not_the_publication_year():
    found = meta_of("014_pingtan_zone_2021.txt")
    assert (found.year, found.published_on) == (2021, "2022-02-08")


@pytest.mark.parametrize(
    ("name", "region", "parent"),
    [
        ("zhangdian-district-gov-2021.txt", "山东省淄博市张店区", None),  # address: 山东省淄博市张店区新村西路
        ("zhangdian-district-gov-office-2021.txt", "淄博市张店区", "张店区人民政府"),
        ("zhangdian-district-gov-2014.txt", "淄博市张店区", None),
        ("shizhong-district-health-bureau-2021.txt", "枣庄市市中区", None),  # no text says whose bureau it is
        ("022_hongze_district_gov_2023_pdf_raw.txt", "淮安市洪泽区", None),
        ("014_pingtan_zone_2021.txt", "平潭综合实验区", None),  # the text never prints the province before it
    ],
)
def test_region_and_parent_as_stated(name: str, region: str, parent: str | None):
    found = meta_of(name)
    assert (found.region, found.parent) == (region, parent)


@pytest.mark.parametrize(
    ("name", "published_on"),
    [
        ("001_pingtan_zone_2011.txt", "2012-04-11"),  # crawl header 发布时间
        ("018_pingtan_zone_2025.txt", "2026-03-10"),
        ("shizhong-district-health-bureau-2021.txt", "2022-01-10"),  # closing date line
        ("zhangdian-district-gov-2021.txt", None),  # no date printed
    ],
)
def test_publication_date(name: str, published_on: str | None):
    assert meta_of(name).published_on == published_on


def test_work_plan_is_named_by_its_first_line():
    found = meta_of("zhoucun-district-workplan-2021.txt")
    assert (found.agency, found.parent, found.year) == ("周村区人民政府办公室", "周村区人民政府", 2021)


# --- the rules on made-up text -------------------------------------------------------------------------


def test_bare_place_in_title_takes_the_organ_the_text_uses():
    text = "某某新区2021年度政府信息公开工作年度报告\n某某新区管理委员会坚持……某某新区管理委员会办公室负责公开工作。\n"
    assert extract_meta(text, "x.txt").agency == "某某新区管理委员会"


def test_bare_place_stays_as_printed_when_the_text_names_no_organ():
    assert extract_meta("某某县2021年政府信息公开工作年度报告\n正文。\n", "x.txt").agency == "某某县"


def test_year_before_agency_in_title():
    text = "2021年度张店区人民政府政府信息公开工作年度报告\n正文\n"
    assert (extract_meta(text, "x.txt").agency, extract_meta(text, "x.txt").year) == ("张店区人民政府", 2021)


def test_signature_names_the_agency_when_no_title_does():
    text = "根据条例编制本报告。\n正文……\n\n某某市生态环境局\n二〇二二年一月二十日\n"
    found = extract_meta(text, "report.txt")
    assert (found.agency, found.published_on) == ("某某市生态环境局", "2022-01-20")


@pytest.mark.parametrize(
    ("text", "source", "year"),
    [
        ("正文。本报告所列数据的统计期限自 2019 年 1 月 1 日起，到 2019 年 12 月 31 日止。", "x.txt", 2019),
        ("正文。所列数据的统计期限是2014年1月1日至2014年12月31日。", "x.txt", 2014),
        ("正文，没有年份。", "report_2020.txt", 2020),
        ("正文，没有年份。", "report_2020_published_2021.txt", None),  # two years in the name: no guess
        ("正文。2021年1月1日，启动新系统。", "x.txt", None),  # a date is not a reporting period
    ],
)
def test_year_fallbacks(text: str, source: str, year: int | None):
    assert extract_meta(text, source).year == year


def test_parent_only_when_the_text_states_it():
    base = "市中区卫生健康局\n2021年政府信息公开工作年度报告\n"
    assert extract_meta(base + "可从市中区人民政府门户网站查阅。\n", "x.txt").parent is None
    stated = base + "市中区卫生健康局是枣庄市市中区人民政府的工作部门。\n"
    assert extract_meta(stated, "x.txt").parent == "枣庄市市中区人民政府"


def test_impossible_dates_are_not_dates():
    text = "发布时间: 2022-02-30 10:00\n标题: 某某区2021年政府信息公开工作年度报告\n正文\n2022年13月1日\n"
    assert extract_meta(text, "x.txt").published_on is None


@pytest.mark.parametrize("text", ["", "\n\n", "标题:", "\x00\ufffd" * 50, "区" * 10000, "2021年\n" * 3000])
def test_odd_text_gives_empty_fields_not_errors(text: str):
    assert isinstance(extract_meta(text, ""), Meta)


def test_random_text_never_raises():
    alphabet = list(
        "区市县省年度月日公开报告政府人民办公室管委会局是的由地址：:标题发布时间-0123456789二〇十一\n \u3000"
    )
    rng = random.Random(2021)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice([1, 20, 300])))
        assert isinstance(extract_meta(text, "r.txt"), Meta)


# --- a report whose title is broken, missing or only in its signature and file name --------------------------------

SHAPES = Path(__file__).parent / "fixtures" / "shapes"
CONTROL = (SHAPES / "00_control.txt").read_text(encoding="utf-8")
# The control report without its title and its statistics period: a body that states neither agency nor year.
BODY = CONTROL.split("\n", 3)[3]


def test_the_body_alone_states_no_agency_or_year():
    found = extract_meta(BODY, "report.txt")
    assert (found.agency, found.year, found.agency_source, found.year_source) == (None, None, None, None)


def test_a_title_broken_over_two_lines_year_first():
    found = meta_of_shape("C9_title_wrapped.txt")
    assert (found.agency, found.year, found.agency_source, found.year_source) == (
        "江川市生态环境局",
        2023,
        "title",
        "title",
    )


@pytest.mark.parametrize(
    "title",
    [
        "江川市\n生态环境局\n2023年政府信息公开工作年度报告",
        "江川市生态环境局2023年政府信息\n公开工作年度报告",
        "江川市生态环境局\n2023年度政府信息公开\n工作年度报告",
        "# 2023年江川市生态环境局\n# 政府信息公开工作年度报告",
        "江川市生态环境局\n\n2023年政府信息公开工作\n\n年度报告",
    ],
)
def test_a_title_broken_over_several_lines(title: str):
    found = extract_meta(title + "\n\n" + BODY, "report.txt")
    assert (found.agency, found.year, found.agency_source, found.year_source) == (
        "江川市生态环境局",
        2023,
        "title",
        "title",
    )


def test_a_broken_title_does_not_join_the_sentence_below_it():
    text = "2023 年\n政府信息公开工作年度报告\n江川市生态环境局按照条例要求，编制本报告。\n" + BODY
    assert extract_meta(text, "report.txt").agency is None


def test_year_said_once_in_the_statistics_period():
    text = BODY.replace("一、总体情况", "统计期限为 2023 年 1 月 1 日至 12 月 31 日。\n一、总体情况", 1)
    found = extract_meta(text, "report.txt")
    assert (found.year, found.year_source) == (2023, "period")


@pytest.mark.parametrize(
    "closing",
    [
        "江川市生态环境局\n2024年1月20日",
        "江川市生态环境局\n二〇二四年一月二十日",
        "江川市生态环境局　　2024年1月20日",
        "江川市生态环境局\n2024年1月20日\n（此件公开发布）",
    ],
)
def test_agency_and_year_from_the_signature_and_closing_date(closing: str):
    found = extract_meta(BODY + "\n" + closing + "\n", "report.txt")
    # A report is published after the year it reports on: dated January 2024, it is the report for 2023.
    assert (found.agency, found.year, found.published_on) == ("江川市生态环境局", 2023, "2024-01-20")
    assert (found.agency_source, found.year_source) == ("signature", "signature")


def test_the_period_beats_the_closing_date_for_the_year():
    text = "统计期限自2022年1月1日至2022年12月31日。\n" + BODY + "\n江川市生态环境局\n2024年3月1日\n"
    found = extract_meta(text, "report.txt")
    assert (found.year, found.year_source, found.published_on) == (2022, "period", "2024-03-01")


@pytest.mark.parametrize(
    ("source", "agency", "year"),
    [
        ("2022年青禾县教育局政府信息公开工作年度报告.pdf", "青禾县教育局", 2022),
        ("uploads/青禾县教育局2022年度政府信息公开工作年度报告.docx", "青禾县教育局", 2022),
        ("青禾县教育局.txt", "青禾县教育局", None),
        ("report_2022.txt", None, 2022),
    ],
)
def test_agency_and_year_from_the_file_name_as_a_last_resort(source: str, agency: str | None, year: int | None):
    found = extract_meta(BODY, source)
    assert (found.agency, found.year) == (agency, year)
    assert found.agency_source == ("filename" if agency else None)
    assert found.year_source == ("filename" if year else None)


def test_the_text_beats_the_file_name():
    found = extract_meta(CONTROL, "2019年某某县财政局政府信息公开工作年度报告.txt")
    assert (found.agency, found.year, found.agency_source) == ("青禾县农业农村局", 2023, "title")


def test_every_real_report_is_read_from_its_own_text():
    for entry in EXPECTED:
        found = meta_of(entry["file"])
        assert found.agency_source in ("title", "text"), entry["file"]
        assert found.year_source in ("title", "period"), entry["file"]


def meta_of_shape(name: str) -> Meta:
    """Metadata of a layout-class report."""
    return extract_meta((SHAPES / name).read_text(encoding="utf-8"), name)


# --- values the user gives -------------------------------------------------------------------------------------------


def report_of(text: str, source: str = "report.txt") -> Report:
    """A parsed report (no figures needed) carrying what extract_meta found."""
    found = extract_meta(text, source)
    report = Report(source=source, text=text, content_hash="x", agency=found.agency, year=found.year)
    report.agency_source, report.year_source = found.agency_source, found.year_source
    return report


def test_given_values_fill_what_the_report_lacks_without_a_finding():
    report = report_of(BODY)
    apply_given(report, Given("江川市生态环境局", 2023))
    assert (report.agency, report.year, report.agency_source, report.year_source) == (
        "江川市生态环境局",
        2023,
        "given",
        "given",
    )
    assert report.findings == []


def test_a_given_value_wins_over_the_report_and_the_reading_is_kept_as_a_finding():
    report = report_of(CONTROL)
    apply_given(report, Given(year=2022))
    assert (report.agency, report.agency_source, report.year, report.year_source) == (
        "青禾县农业农村局",
        "title",
        2022,
        "given",
    )
    (finding,) = report.findings
    assert finding.rule == "PARSE" and "2023" in finding.message and "2022" in finding.message
    assert "标题" in finding.message


def test_a_given_value_equal_to_the_reading_raises_nothing():
    report = report_of(CONTROL)
    apply_given(report, Given("青禾县农业农村局", 2023))
    assert report.findings == [] and report.agency_source == "given"


def test_a_given_agency_brings_its_region():
    report = report_of("本报告由淄博市张店区财政局编制。\n" + BODY)
    apply_given(report, Given(agency="张店区财政局"))
    assert report.region == "淄博市张店区"
