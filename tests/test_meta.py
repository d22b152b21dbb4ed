"""Report metadata: agency and year of every real report, and region, parent and dates where stated."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from loaders.meta import Meta, extract_meta

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
