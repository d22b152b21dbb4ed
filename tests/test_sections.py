"""Sections and templates are recognised from structure on every real report."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.sections import detect_template, find_sections, line_starts

REPORTS = Path(__file__).parent / "fixtures" / "reports"
TEMPLATES = {
    "zhangdian-district-gov-2021.txt": "2021",
    "zhangdian-district-gov-office-2021.txt": "2021",
    "shizhong-district-health-bureau-2021.txt": "2019",
    "zhangdian-district-gov-2014.txt": "prose",
    "zhoucun-district-workplan-2021.txt": "workplan",
    "012_pingtan_zone_2019.txt": "2019",
    "013_pingtan_zone_2020.txt": "2019",
    "014_pingtan_zone_2021.txt": "2021",
    "018_pingtan_zone_2025.txt": "2021",
    "022_hongze_district_gov_2023_pdf_raw.txt": "2021",
    "001_pingtan_zone_2011.txt": "prose",
    "026_pingtan_zone_2018.txt": "prose",
}


@pytest.mark.parametrize(("file", "template"), TEMPLATES.items())
def test_template_from_structure(file: str, template: str) -> None:
    text = (REPORTS / file).read_text(encoding="utf-8")
    assert detect_template(text, find_sections(text)) == template


@pytest.mark.parametrize("file", [f for f, t in TEMPLATES.items() if t in ("2019", "2021")])
def test_templated_reports_have_six_sections_in_order(file: str) -> None:
    text = (REPORTS / file).read_text(encoding="utf-8")
    sections = find_sections(text)
    assert list(sections) == ["一", "二", "三", "四", "五", "六"]
    starts = [s.start for s in sections.values()]
    assert starts == sorted(starts)


def test_table_rows_are_not_taken_for_headings() -> None:
    text = "三、收到和处理政府信息公开申请情况\n四、结转下年度继续办理\t0\n四、政府信息公开行政复议、行政诉讼情况\n"
    sections = find_sections(text)
    assert text[sections["四"].heading_start :].startswith("四、政府信息公开行政复议")


def test_heading_typo_and_spaces_are_tolerated() -> None:
    text = "四、政府信息公开行政法复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六 、其他需要报告的事项"
    assert list(find_sections(text)) == ["四", "五", "六"]


def test_a_2021_report_on_the_2019_template_is_detected_as_2019() -> None:
    text = (REPORTS / "shizhong-district-health-bureau-2021.txt").read_text(encoding="utf-8")
    assert "2021年" in text[:100]
    assert detect_template(text, find_sections(text)) == "2019"


def test_line_starts() -> None:
    assert line_starts("a\nbc\n") == [0, 2, 5]
