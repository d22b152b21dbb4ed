"""Each rate's one definition in SQL (fct_reports' *_rate columns, pooled over a selection by pooled_rate) on a tiny
database of known figures: a zero denominator, an unstated (NULL) one, a review block that breaks R4, and an office
and a department whose figures their government's report already holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

import config
from loaders import roster
from loaders.store import materialize, prepare
from tests import dbutil

GOV, OFFICE, DEPT, OTHER = "测试区人民政府", "测试区人民政府办公室", "测试区财政局", "另一区人民政府"
BLOCK_PARTS = ("maintained", "corrected", "other", "pending", "total")

# (agency, parent, figures): figures as (metric, applicant, value); None is a cell printed blank ("/").
REPORTS = {
    GOV: (
        None,
        [
            ("requests.new", "total", 48),
            ("requests.carried_over", "total", 2),
            ("outcome.granted", "total", 30),
            ("outcome.partial", "total", 10),
            ("outcome.denied.state_secret", "total", 5),
            ("outcome.unavailable.not_held", "total", 5),
            ("outcome.not_processed.petition", "total", 0),
            ("outcome.other.other", "total", 0),
            ("outcome.total", "total", 50),
            # 行政复议 1 corrected of 4 concluded; 直接起诉 1 of 3; 复议后起诉 breaks R4 (4 + 2 ≠ 0)
            *[("review." + p, None, v) for p, v in zip(BLOCK_PARTS, (3, 1, 0, 1, 5), strict=True)],
            *[("litigation.direct." + p, None, v) for p, v in zip(BLOCK_PARTS, (2, 1, 0, 0, 3), strict=True)],
            *[("litigation.after_review." + p, None, v) for p, v in zip(BLOCK_PARTS, (4, 2, 0, 0, 0), strict=True)],
            ("npc.suggestions", None, 10),
            ("npc.resolved", None, 9),
            ("cppcc.proposals", None, 0),  # zero received: no rate, not 0% or 100%
            ("cppcc.resolved", None, 0),
        ],
    ),
    OFFICE: (
        GOV,
        [
            ("requests.new", "total", 8),
            ("outcome.granted", "total", 4),
            ("outcome.partial", "total", 0),
            ("outcome.total", "total", 8),
        ],
    ),  # fmt: skip
    DEPT: (
        GOV,
        [
            ("requests.new", "total", 0),
            ("outcome.granted", "total", 0),
            ("outcome.partial", "total", 0),
            ("outcome.total", "total", 0),  # zero handled: every outcome rate is NULL
            *[("review." + p, None, None) for p in BLOCK_PARTS],  # printed, all blank
        ],
    ),
    OTHER: (
        None,
        [
            ("requests.new", "total", 20),  # 上年结转 not printed: no 办结率
            ("outcome.granted", "total", 10),
            ("outcome.partial", "total", None),  # printed "/": no 实质公开率, no 部分公开率
            ("outcome.total", "total", 20),
            ("review.corrected", None, 1),
            ("review.total", None, 2),  # 尚未审结 unstated: the block cannot give 已审结
        ],
    ),
}


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four reports of 2021 above, stored through the real schema and facts."""
    path = tmp_path_factory.mktemp("rates") / "rates.duckdb"
    con = duckdb.connect(str(path))
    try:
        prepare(con)
        for i, (agency, (parent, figures)) in enumerate(REPORTS.items()):
            report_id = f"r{i}"
            con.execute(
                "insert into reports (report_id, agency, year, template, region, parent, source, content_hash, "
                "version, ingested_at, sections, text) values (?, ?, 2021, '2021', '测试区', ?, ?, ?, 1, ?, "
                "['一', '二', '三', '四', '五', '六'], '')",
                [report_id, agency, parent, f"{report_id}.txt", report_id, dt.datetime(2022, 1, 1)],
            )
            for line, (metric, applicant, value) in enumerate(figures, start=1):
                kind = "prose" if metric.startswith(("npc.", "cppcc.")) else "table"
                raw = "/" if value is None else str(value)
                con.execute(
                    "insert into figures (report_id, metric, applicant, value, raw, line, kind) values (?, ?, ?, ?, "
                    "?, ?, ?)",
                    [report_id, metric, applicant, value, raw, line, kind],
                )
        materialize(con)
    finally:
        con.close()
    return path


def rates(db: Path, agency: str) -> dict:
    """The rate columns of an agency's report in fct_reports."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("select * from fct_reports where agency = ?", [agency])
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))
    finally:
        con.close()


def selection(db: Path, name: str, agencies: list[str]) -> list[dict]:
    """A mart's rows for one-year selection of the agencies (all when empty)."""
    frame = dbutil.query(db, name, regions=[], levels=[], types=[], agencies=agencies, year_from=2021, year_to=2021)
    return frame.to_dicts()


def test_outcome_rates_of_a_report(tiny_db: Path) -> None:
    gov = rates(tiny_db, GOV)
    assert gov["disclosure_rate"] == pytest.approx(40 / 50)
    assert gov["granted_rate"] == pytest.approx(30 / 50)
    assert gov["partial_rate"] == pytest.approx(10 / 50)
    assert gov["denied_rate"] == pytest.approx(5 / 50)
    assert gov["unavailable_rate"] == pytest.approx(5 / 50)
    assert gov["not_processed_rate"] == 0  # a stated 0 over 50 is a real 0%
    assert gov["other_rate"] == 0
    assert gov["closure_rate"] == pytest.approx(50 / (48 + 2))


def test_a_zero_denominator_gives_no_rate(tiny_db: Path) -> None:
    dept = rates(tiny_db, DEPT)
    for column in ("disclosure_rate", "granted_rate", "partial_rate", "denied_rate", "other_rate"):
        assert dept[column] is None, column
    assert rates(tiny_db, GOV)["cppcc_rate"] is None  # 0 proposals received


def test_an_unstated_side_gives_no_rate(tiny_db: Path) -> None:
    other = rates(tiny_db, OTHER)
    assert other["granted_rate"] == pytest.approx(10 / 20)
    assert other["disclosure_rate"] is None  # 部分公开 printed "/"
    assert other["partial_rate"] is None
    assert other["closure_rate"] is None  # 上年结转 not printed
    assert other["review_correction_rate"] is None  # 尚未审结 not stated
    assert other["correction_rate"] is None
    assert rates(tiny_db, DEPT)["correction_rate"] is None  # a block printed blank


def test_a_block_that_breaks_r4_counts_in_no_correction_rate(tiny_db: Path) -> None:
    gov = rates(tiny_db, GOV)
    assert gov["after_review"]["breaks_r4"] and not gov["after_review"]["counted"]
    assert gov["review_correction_rate"] == pytest.approx(1 / 4)
    assert gov["litigation_correction_rate"] == pytest.approx(1 / 3)  # 直接起诉 only
    assert (gov["corr_num"], gov["corr_den"]) == (2, 7)
    assert gov["correction_rate"] == pytest.approx(2 / 7)
    assert gov["npc_rate"] == pytest.approx(9 / 10)


def test_pooled_rates_take_reports_stating_both_sides(tiny_db: Path) -> None:
    [pooled] = selection(tiny_db, "selection_rates", [GOV, OTHER])
    assert (pooled["disclosure_num"], pooled["disclosure_den"]) == (40, 50)  # OTHER leaves 部分公开 unstated
    assert (pooled["granted_num"], pooled["granted_den"]) == (40, 70)
    assert pooled["granted_rate"] == pytest.approx(40 / 70)
    assert (pooled["correction_num"], pooled["correction_den"]) == (2, 7)
    assert pooled["correction_rate"] == pytest.approx(2 / 7)
    assert pooled["closure_rate"] == pytest.approx(1.0)  # OTHER states no 上年结转
    [year] = selection(tiny_db, "overview_by_year", [GOV, OTHER])
    assert year["disclosure_rate"] == pooled["disclosure_rate"]
    assert year["correction_rate"] == pooled["correction_rate"]
    [zero] = selection(tiny_db, "selection_rates", [DEPT])
    assert zero["disclosure_rate"] is None and zero["correction_rate"] is None


def test_totals_skip_reports_the_government_report_covers(tiny_db: Path) -> None:
    [year] = selection(tiny_db, "overview_by_year", [])
    assert (year["reports"], year["counted_reports"]) == (4, 2)
    assert year["requests_new"] == 48 + 20  # not + 8 (office) + 0 (department)
    assert year["handled"] == 50 + 20
    [pooled] = selection(tiny_db, "selection_rates", [])
    assert set(pooled["covered"]) == {f"{DEPT}2021年（已含于{GOV}的报告）", f"{OFFICE}2021年（已含于{GOV}的报告）"}
    assert pooled["covered_reports"] == 2
    # without their government in the selection, the office and the department add up
    [below] = selection(tiny_db, "overview_by_year", [OFFICE, DEPT])
    assert (below["counted_reports"], below["requests_new"]) == (2, 8)


GOV_2021, OFFICE_2021 = "张店区人民政府", "张店区人民政府办公室"


def test_a_government_and_its_office_add_up_to_the_government_report(sample_copy: Path) -> None:
    # 张店区人民政府's 2021 report states 105 new requests, the 16 of its office among them
    roster.import_roster(config.SAMPLE_ROSTER, sample_copy)
    [pair] = dbutil.query(
        sample_copy, "overview_by_year", regions=[], levels=[], types=[],
        agencies=[GOV_2021, OFFICE_2021], year_from=2021, year_to=2021,
    ).to_dicts()  # fmt: skip
    assert (pair["reports"], pair["counted_reports"]) == (2, 1)
    assert pair["requests_new"] == 105  # not 121
    assert not pair["mixed_levels"]
    [office] = selection(sample_copy, "overview_by_year", [OFFICE_2021])
    assert office["requests_new"] == 16  # on its own, the office's report counts
    # the whole sample of 2021: 105 (张店, its office inside) + 70 (平潭) + 0 (市中区卫生健康局), not 191
    [year] = selection(sample_copy, "overview_by_year", [])
    assert year["requests_new"] == 175
    assert not year["mixed_levels"]  # with the roster, every unit's superior is known


def test_without_a_roster_an_unlinked_department_is_said_to_mix_levels(sample_db: Path) -> None:
    # 市中区卫生健康局's superior is unknown without the roster, beside two governments' reports
    [year] = selection(sample_db, "overview_by_year", [])
    assert year["mixed_levels"]
    assert year["requests_new"] == 175  # the office's name still ties it to 张店区人民政府
