"""Prose figures from the real reports: the hand-extracted values, rates, zero phrases and the traps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from loaders.model import Figure
from loaders.prose import extract_prose

REPORTS = Path(__file__).parent / "fixtures" / "reports"
# Keys whose prose statement this module answers for, in every template.
PROSE_KEYS = ("channel.", "npc.", "cppcc.", "proactive.items", "fees.disclosure_charged_yuan")
# Keys answered from prose in prose reports only (template reports state them in tables).
PROSE_REPORT_KEYS = ("requests.new|total", "review.total|")
# Expected values that come from the statistics table and that the prose contradicts, per the notes:
# 2013 says "收到1份有关政府信息公开行政复议申请" while its table prints 行政复议数 0.
CONTRADICTED = {("007_pingtan_zone_2013.txt", "review.total|"): 1.0}


def _year(name: str) -> int | None:
    found = re.search(r"(20\d\d)", name)
    return int(found.group(1)) if found else None


def _mentions(name: str) -> list[Figure]:
    return extract_prose((REPORTS / name).read_text(encoding="utf-8"), _year(name))


def _first(figures: list[Figure], metric: str, applicant: str | None = None, qualifier: str | None = None) -> Figure:
    """The first mention of a key, as the loader takes it (government-level shares are kept apart)."""
    for fig in figures:
        if fig.metric == metric and fig.applicant == applicant and fig.qualifier == qualifier:
            return fig
    raise AssertionError(f"no mention of {metric}|{applicant} ({qualifier})")


def _expected_cases() -> list[tuple[str, str, float]]:
    """(file, key, value) for every prose figure the two expected files list."""
    cases = []
    for name in ("expected_seeds.json", "expected_corpus.json"):
        for report in json.loads((REPORTS / name).read_text(encoding="utf-8")):
            if not report["file"].endswith(".txt"):
                continue
            for key, value in report["expected"].items():
                ours = key.startswith(PROSE_KEYS) or (report["template"] == "prose" and key in PROSE_REPORT_KEYS)
                if ours:
                    cases.append((report["file"], key, float(value)))
    return cases


@pytest.mark.parametrize(("name", "key", "value"), _expected_cases())
def test_expected_prose_figures(name: str, key: str, value: float) -> None:
    metric, applicant = key.split("|")
    fig = _first(_mentions(name), metric, applicant or None, None)
    assert fig.value == CONTRADICTED.get((name, key), value), fig


def test_expected_cases_cover_every_kind() -> None:
    keys = {key for _, key, _ in _expected_cases()}
    assert {"npc.suggestions|", "cppcc.proposals|", "proactive.items|", "channel.online|", "channel.letter|"} <= keys
    assert {"requests.new|total", "review.total|", "fees.disclosure_charged_yuan|"} <= keys


def test_outcome_rates_of_a_2021_report() -> None:
    figs = _mentions("zhangdian-district-gov-2021.txt")
    stated = {
        "outcome.granted": (61, 58.10),
        "outcome.partial": (3, 2.86),
        "outcome.denied.unspecified": (12, 11.43),
        "outcome.unavailable.unspecified": (20, 19.05),
        "outcome.not_processed.unspecified": (9, 8.57),
    }
    for metric, (value, percent) in stated.items():
        fig = _first(figs, metric, "total")
        assert (fig.value, fig.percent, fig.kind) == (value, percent, "prose")
    assert _first(figs, "outcome.total", "total").value == 105


def test_requests_with_government_level_and_applicants() -> None:
    figs = _mentions("zhangdian-district-gov-2021.txt")
    assert _first(figs, "requests.new", "total").value == 105
    assert _first(figs, "requests.new", "total", "government_level").value == 16
    split = {f.applicant: f.value for f in figs if f.metric == "requests.new" and f.applicant != "total"}
    assert split == {"natural_person": 85, "commercial": 12, "research": 8}


def test_office_report_with_spaced_numbers() -> None:
    figs = _mentions("zhangdian-district-gov-office-2021.txt")
    assert _first(figs, "requests.new", "total").raw == "16 件"
    split = {f.applicant: f.value for f in figs if f.metric == "requests.new" and f.applicant != "total"}
    assert split == {"natural_person": 12, "commercial": 2, "research": 2}
    granted = _first(figs, "outcome.granted", "total")
    assert (granted.value, granted.percent) == (8, 50.0)
    assert _first(figs, "normative_docs.issued").value == 4
    assert _first(figs, "normative_docs.in_force").value == 19


@pytest.mark.parametrize(
    ("name", "received", "handled"),
    [
        ("013_pingtan_zone_2020.txt", 21, None),
        ("014_pingtan_zone_2021.txt", 70, 69),  # 共收到70件申请，及时依法依规办结69件
        ("015_pingtan_zone_2022.txt", 75, None),  # prose counts new + carried over (table: 74 new)
        ("016_pingtan_zone_2023.txt", 81, 81),
        ("017_pingtan_zone_2024.txt", 218, None),  # 全年办理政府信息公开申请218件: received
        ("018_pingtan_zone_2025.txt", 154, 148),
        ("022_hongze_district_gov_2023_pdf_raw.txt", 21, None),
    ],
)
def test_requests_received_and_handled_in_template_reports(name: str, received: int, handled: int | None) -> None:
    figs = _mentions(name)
    assert _first(figs, "requests.new", "total").value == received
    totals = [f.value for f in figs if f.metric == "outcome.total"]
    assert totals == ([handled] if handled is not None else [])


def test_refused_is_not_granted() -> None:
    figs = extract_prose("不同意公开3件。", 2012)
    assert [(f.metric, f.value) for f in figs] == [("outcome.denied.unspecified", 3)]


def test_combined_granted_and_partial_is_skipped() -> None:
    figs = _mentions("016_pingtan_zone_2023.txt")
    assert not [f for f in figs if f.metric in ("outcome.granted", "outcome.partial")]
    other = _first(figs, "outcome.other.unspecified", "total")
    assert (other.value, other.percent) == (2, 2.47)
    assert _first(figs, "review.total").value == 2


def test_channels_with_their_share() -> None:
    figs = _mentions("zhangdian-district-gov-2014.txt")
    online, letter = _first(figs, "channel.online"), _first(figs, "channel.letter")
    assert (online.value, online.percent, letter.value, letter.percent) == (5, 33.3, 10, 66.7)


def test_rate_of_deputies_suggestions() -> None:
    figs = _mentions("shizhong-district-health-bureau-2021.txt")
    npc, cppcc = _first(figs, "npc.suggestions"), _first(figs, "cppcc.proposals")
    assert (npc.value, npc.percent, cppcc.value, cppcc.percent) == (5, 100.0, 8, 100.0)
    assert not [f for f in figs if f.metric in ("npc.resolved", "cppcc.resolved")]


def test_own_level_suggestions_win_over_city_level() -> None:
    figs = _mentions("zhangdian-district-gov-2021.txt")
    assert [f.value for f in figs if f.metric == "npc.suggestions"] == [80]  # not 张店区共收到2件市人大代表建议
    text = "承办市人大代表建议10件，已办结10件。承办区级人大代表建议5件，已办结4件；承办区政协委员提案8件，办复率100%。"
    figs = extract_prose(text, 2021)
    assert _first(figs, "npc.suggestions").value == 5
    assert _first(figs, "npc.resolved").value == 10  # the first count of resolved suggestions
    assert _first(figs, "cppcc.proposals").percent == 100.0


def test_resolved_only_when_a_number_is_given() -> None:
    figs = extract_prose("共收到人大代表建议80件，所提建议已经全部采纳并按期办结。", 2021)
    assert [f.metric for f in figs] == ["npc.suggestions"]
    figs = extract_prose("共收到政协提案172件，已办结170件。", 2021)
    assert _first(figs, "cppcc.resolved").value == 170


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("004_pingtan_zone_2012.txt", 1913),  # 主动公开 beats the portal's 公开政府信息3636条 stated earlier
        ("009_pingtan_zone_2015.txt", 2949),  # not 主动公开政府采购项目信息188条
        ("012_pingtan_zone_2019.txt", 2599),  # not the category 其他应主动公开政府信息856条
        ("013_pingtan_zone_2020.txt", 2602),
        ("014_pingtan_zone_2021.txt", 2645),
        ("022_hongze_district_gov_2023_pdf_raw.txt", 1136),
    ],
)
def test_proactive_items_whole_year_count(name: str, value: int) -> None:
    found = [f for f in _mentions(name) if f.metric == "proactive.items"]
    assert [f.value for f in found] == [value]


def test_approximate_figures() -> None:
    fig = _first(_mentions("zhangdian-district-gov-2014.txt"), "proactive.items", qualifier="approx")
    assert (fig.value, fig.raw) == (9800, "9800余条")
    fig = _first(_mentions("018_pingtan_zone_2025.txt"), "proactive.items", qualifier="approx")
    assert fig.value == 7700
    fig = _first(extract_prose("全年主动公开政府信息3万余条。", 2021), "proactive.items", qualifier="approx")
    assert (fig.value, fig.raw) == (30000, "3万余条")


def test_cumulative_total_is_not_the_year_count() -> None:
    figs = _mentions("zhangdian-district-gov-2021.txt")
    assert [f.value for f in figs if f.metric == "proactive.items"] == [8257]
    assert all(f.value != 59625 for f in figs)
    figs = extract_prose("2023年全区共主动公开政府信息13561条，累计59625条。", 2023)
    assert [(f.metric, f.value) for f in figs] == [("proactive.items", 13561)]


@pytest.mark.parametrize(
    ("name", "metric", "raw"),
    [
        ("zhangdian-district-gov-2014.txt", "fees.disclosure_charged_yuan", "没有政府信息公开收费及减免的情况"),
        ("zhangdian-district-gov-2014.txt", "review.total", "没有因信息公开引发行政复议"),
        ("zhangdian-district-gov-2021.txt", "fees.disclosure_charged_yuan", "未收取任何信息处理费"),
        ("008_pingtan_zone_2014.txt", "fees.disclosure_charged_yuan", "依申请提供政府信息暂不收费"),
        ("014_pingtan_zone_2021.txt", "fees.disclosure_charged_yuan", "无收取信息处理费"),
        ("022_hongze_district_gov_2023_pdf_raw.txt", "fees.disclosure_charged_yuan", "0 元"),
        ("001_pingtan_zone_2011.txt", "requests.new", "未收到有关政府信息公开的申请"),
        ("011_pingtan_zone_2017.txt", "review.total", "未收到有关政府信息公开行政复议"),
    ],
)
def test_statements_of_none_are_zero(name: str, metric: str, raw: str) -> None:
    fig = _first(_mentions(name), metric, "total" if metric == "requests.new" else None)
    assert (fig.value, fig.raw) == (0, raw)


def test_review_request_is_not_an_information_request() -> None:
    figs = _mentions("007_pingtan_zone_2013.txt")
    assert [(f.metric, f.value) for f in figs if f.metric in ("requests.new", "review.total")] == [
        ("requests.new", 0),
        ("review.total", 1),
    ]


TRAPS = [
    "依托“平潭12345便民服务平台”，对网民的咨询投诉件及时处理并反馈，截至目前共收到15564件咨询投诉件，已办结15042件。",
    "目前，区县已入驻审批服务部门和单位13个，开设窗口26个，共受理申请121510件。",
    "建立窗口服务大厅，区县已入驻审批服务部门和单位13个，开设窗口24个，共受理申请136437件。",
    "2017年，我办主动公开政府信息的主要类别有：机构职能类信息205条，行政事业性收费信息2条，行政许可类信息15条。",
    "区环境与国土资源局在“环境保护”栏目共计发布行政处罚23件，建设项目环境影响评价16件。",
    "截至发文之日，共主动公开政策性文件90份，促进依法行政和政策落地见效。",
    "截至目前我区政府网站共收到网友留言11条，已100%及时整改并按时办结回复。",
    "全区各部门2021年共开展形式多样的政府开放日近30场次；积极开展在线调查10余次。",
    "如对本报告有疑问，请联系（邮编：350400；电话：0591-23165250；传真：23158138）。",
    "根据《年度报告格式》（国办公开办函〔2021〕30号）和2021年1月1日起施行的规定编制。",
    "共梳理出现全区权力清单事项2917项、公共服务清单事项240项。",
    "组织19期《问政平潭之有事你说》，收到群众诉求348件，现场解决162件，办结率100%。",
]


@pytest.mark.parametrize("sentence", TRAPS, ids=[f"trap{i}" for i in range(len(TRAPS))])
def test_traps_give_no_request_or_other_wrong_figure(sentence: str) -> None:
    figs = extract_prose(sentence, 2023)
    assert figs == []


@pytest.mark.parametrize(
    ("name", "traps"),
    [
        ("026_pingtan_zone_2018.txt", {90, 123, 23, 15564, 15042, 11, 1000, 70}),
        ("008_pingtan_zone_2014.txt", {121510, 13, 26}),
        ("009_pingtan_zone_2015.txt", {136437, 2917, 240, 188}),
        ("011_pingtan_zone_2017.txt", {205, 95, 15, 2, 166}),
    ],
)
def test_trap_numbers_in_real_reports(name: str, traps: set[int]) -> None:
    assert not [f for f in _mentions(name) if f.value in traps]


def test_litigation_is_never_extracted() -> None:
    for path in REPORTS.glob("*.txt"):
        figs = extract_prose(path.read_text(encoding="utf-8"), _year(path.name))
        assert not [f for f in figs if f.metric.startswith("litigation.")], path.name


def test_every_mention_keeps_raw_line_section_and_sentence() -> None:
    name = "zhangdian-district-gov-2014.txt"
    lines = (REPORTS / name).read_text(encoding="utf-8").split("\n")
    figs = _mentions(name)
    for fig in figs:
        assert fig.raw in lines[fig.line - 1] and fig.raw in fig.sentence, fig
        assert fig.kind == "prose" and len(fig.sentence) <= 200
    request = _first(figs, "requests.new", "total")
    assert (request.line, request.section, request.raw) == (47, "六", "15件")


def test_sections_follow_the_printed_numerals() -> None:
    figs = _mentions("016_pingtan_zone_2023.txt")
    assert _first(figs, "proactive.items").section == "一"
    assert _first(figs, "fees.disclosure_charged_yuan").section == "六"  # heading glued after a table digit
    figs = _mentions("shizhong-district-health-bureau-2021.txt")  # "—、总体情况" with a dash for 一
    assert _first(figs, "proactive.items").section == "一"


def test_normative_documents_issued_and_in_force() -> None:
    figs = _mentions("015_pingtan_zone_2022.txt")
    assert (_first(figs, "normative_docs.issued").value, _first(figs, "normative_docs.in_force").value) == (88, 698)
    assert _first(_mentions("017_pingtan_zone_2024.txt"), "normative_docs.issued").value == 62


def test_pdf_line_wraps_and_full_width_digits() -> None:
    text = "2023 年，本机关严格依照条例开展工作，全年共受理政府信息公开\n申请 ２１ 件，均在法定期限内答复。\n"
    fig = _first(extract_prose(text, 2023), "requests.new", "total")
    assert (fig.value, fig.raw, fig.line) == (21, "２１ 件", 2)


def test_applicants_of_received_requests() -> None:
    figs = _mentions("015_pingtan_zone_2022.txt")
    split = {f.applicant: f.value for f in figs if f.metric == "requests.new" and f.applicant != "total"}
    assert split == {"natural_person": 72, "commercial": 3}


WORDINGS = [
    ("因政府信息公开被申请行政复议0件，提起行政诉讼0件。", "review.total", None, 0, None),
    ("2022年，全区共有行政诉讼案件1件、行政复议案件2件，均已结案。", "review.total", None, 2, None),
    ("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", "review.total", None, 36, None),
    ("2014年全区申请总数为15件，有效答复100%。", "requests.new", "total", 15, None),
    ("2023 年全区受理政府信息公开申请 21 件，均在法定期限答复。", "requests.new", "total", 21, None),
    ("本年度全区共收到70件申请，及时依法依规办结69件。", "outcome.total", "total", 69, None),
    ("共作出政府信息公开申请答复书105件，其中予以公开61件，占58.10%。", "outcome.granted", "total", 61, 58.10),
    ("无法提供的申请20件，占19.05%。", "outcome.unavailable.unspecified", "total", 20, 19.05),
    ("信访投诉类等不予处理9件，占8.57%。", "outcome.not_processed.unspecified", "total", 9, 8.57),
    ("予以公开及部分公开42件(51.85%)，其他处理2件(2.47%)。", "outcome.other.unspecified", "total", 2, 2.47),
    ("通过互联网申请5件，占总数的33.3％；", "channel.online", None, 5, 33.3),
    ("全年共受理申请14条（当面申请数12条、电子邮件申请数2条）。", "channel.in_person", None, 12, None),
    ("其中同意公开答复数11条、同意部分公开答复数2条、否决公开答复数1条。", "outcome.granted", "total", 11, None),
    ("其中同意公开答复数11条、同意部分公开答复数2条、否决公开答复数1条。", "outcome.partial", "total", 2, None),
    (
        "其中同意公开答复数11条、同意部分公开答复数2条、否决公开答复数1条。",
        "outcome.denied.unspecified",
        "total",
        1,
        None,
    ),
    ("当面申请3件，传真申请1件，电子邮件申请2件。", "channel.email", None, 2, None),
    ("全年收取政府信息公开信息处理费 0 元。", "fees.disclosure_charged_yuan", None, 0, None),
    ("共承办区级人大代表建议5件，办复率100%；", "npc.suggestions", None, 5, 100.0),
    ("在政协张店区第十二届五次会议期间，共收到政协提案172件。", "cppcc.proposals", None, 172, None),
    ("本年新制作行政规范性文件4件，公开现行有效文件数19件。", "normative_docs.in_force", None, 19, None),
]


@pytest.mark.parametrize(
    ("sentence", "metric", "applicant", "value", "percent"),
    WORDINGS,
    ids=[f"{w[1]}={w[3]}" for w in WORDINGS],
)
def test_each_wording(sentence: str, metric: str, applicant: str | None, value: float, percent: float | None) -> None:
    fig = _first(extract_prose(sentence, None), metric, applicant)
    assert (fig.value, fig.percent) == (value, percent)


# --- wrapped lines, scopes and spending -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metric", "applicant", "value", "raw", "line"),
    [
        (
            "2023 年，全年在门户网站主动公开各类政\n府信息 3200 余条，同比有所增长。\n",
            "proactive.items",
            None,
            3200,
            "3200 余条",
            2,
        ),
        (
            "2023年，本单位严格依照条例开展工作，全年共收到依申\n请公开政府信息申请 12 件，均按期答复。\n",
            "requests.new",
            "total",
            12,
            "12 件",
            2,
        ),
        (
            "2023年，本单位严格依照条例开展工作，全年共收到依申请公开政府信息申请 12\n件，均已按期答复完毕。\n",
            "requests.new",
            "total",
            12,
            "12件",
            1,
        ),
        (
            "一、总体情况\n2023年，本单位严格依照条例开展各项工作，全年主动公开政府信  \n  息 451 条。\n",
            "proactive.items",
            None,
            451,
            "451 条",
            3,
        ),
    ],
    ids=["proactive-wrapped-in-word", "request-wrapped-in-word", "unit-on-next-line", "spaces-around-wrap"],
)
def test_a_phrase_broken_by_a_line_wrap_still_matches(
    text: str, metric: str, applicant: str | None, value: float, raw: str, line: int
) -> None:
    fig = _first(extract_prose(text, 2023), metric, applicant, "approx" if "余" in raw else None)
    assert (fig.value, fig.raw, fig.line) == (value, raw, line)
    assert "\n" not in fig.sentence


def test_a_short_line_is_not_joined_to_the_next() -> None:
    # a heading (short line) followed by a count: joining them would glue the heading into the sentence
    figs = extract_prose("主动公开政府信\n息\n共计30条。\n", 2023)
    assert [f for f in figs if f.metric == "proactive.items"] == []


SCOPED = [
    ("2023 年，县政府办公室代表县政府办理政府信息公开申请 9 件。", "青禾县人民政府", "government_level"),
    ("区政府办代表区政府受理政府信息公开申请9件。", "某区人民政府", "government_level"),
    ("本机关共受理政府信息公开申请9件，均按时答复。", "某区人民政府", "government_level"),
    ("本机关共受理政府信息公开申请9件，均按时答复。", "某区教育局", None),
    ("区政府本级共收到政府信息公开申请9件。", "某区人民政府", "government_level"),
    ("以区政府名义受理政府信息公开申请9件。", "某区人民政府", "government_level"),
    ("受理具有代表性的政府信息公开申请9件。", "某区人民政府", None),
    ("2023年，全区共收到政府信息公开申请9件。", "某区人民政府", None),
    ("2023年，全区共收到政府信息公开申请9件。", "某区教育局", "region"),
    ("2023年，全区共收到政府信息公开申请9件。", None, None),
    ("按照全市统一部署，本局共收到政府信息公开申请9件。", "某区教育局", None),
    ("按照全市统一部署，共收到政府信息公开申请9件。", "某区教育局", None),
]


@pytest.mark.parametrize(("sentence", "agency", "qualifier"), SCOPED)
def test_a_count_keeps_the_scope_it_is_stated_for(sentence: str, agency: str | None, qualifier: str | None) -> None:
    (fig,) = [f for f in extract_prose(sentence, 2023, agency) if f.metric == "requests.new"]
    assert (fig.value, fig.qualifier) == (9, qualifier)


def test_a_scope_in_an_aside_does_not_reach_past_it() -> None:
    text = (
        "2023年，全区共办理政府信息公开申请105件（政府层面的申请16件），"
        "其中自然人申请85件，商业企业申请20件；办结105件。"
    )
    figs = extract_prose(text, 2023, "某区人民政府")
    got = {(f.metric, f.applicant, f.value): f.qualifier for f in figs}
    assert got == {
        ("requests.new", "total", 105): None,
        ("requests.new", "total", 16): "government_level",
        ("requests.new", "natural_person", 85): None,
        ("requests.new", "commercial", 20): None,
        ("outcome.total", "total", 105): None,
    }


def test_the_split_of_a_government_level_count_is_of_that_level() -> None:
    text = "区政府办公室代表区政府受理政府信息公开申请9件，其中自然人申请7件，商业企业申请2件。"
    figs = extract_prose(text, 2023, "某区人民政府")
    assert {(f.applicant, f.value, f.qualifier) for f in figs} == {
        ("total", 9, "government_level"),
        ("natural_person", 7, "government_level"),
        ("commercial", 2, "government_level"),
    }


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("本年度印制宣传册、更新公开栏等共支出政府信息公开费用2万元。", None),
        ("全年投入政府信息公开费用5万元，用于平台升级。", None),
        ("全年投入经费5万元用于政府信息公开平台建设。", None),
        ("预算安排政府信息公开费用3万元。", None),
        ("本年度政府信息公开的费用共计1.5万元，主要用于培训。", None),
        ("全年向申请人收取政府信息公开费用120元。", 120),
        ("收取政府信息公开费用共计50元。", 50),
        ("全年收取信息处理费 0 元。", 0),
        ("本年度信息处理费为30元。", 30),
    ],
)
def test_own_spending_is_not_a_fee_charged_to_applicants(sentence: str, value: float | None) -> None:
    fees = [f.value for f in extract_prose(sentence, 2023) if f.metric == "fees.disclosure_charged_yuan"]
    assert fees == ([] if value is None else [value])
