"""A district's next-year report titled with its city prefix, confirmed as another name of the roster unit: before,
coverage shows the unit 未发布, the trend splits and R6 cannot pair the years; after, all three see one unit. The
alias is kept on the roster with its history (audit log, restore) and survives a new roster import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import config
from loaders import history, roster, store
from loaders.accounts import ADMIN, FILER, Account, Refused
from loaders.unit_match import candidates
from tests.dbutil import query, rows

UNIT = "张店区人民政府"
VARIANT = "淄博市张店区人民政府"
SOURCE = "zhangdian-district-gov-2021.txt"


def next_year_report(reports_dir: Path, tmp_path: Path) -> Path:
    """The unit's 2021 report as a 2022 one titled with the city prefix, carrying over 3 requests of natural
    persons where the 2021 report carried forward none."""
    text = (reports_dir / SOURCE).read_text(encoding="utf-8")
    label = "二、上年结转政府信息公开申请数量\n"
    assert text.count(label) == 1 and text.startswith(f"\n{UNIT}\n")
    head, tail = text.split(label)
    assert tail.startswith("\t0\n")
    text = f"\n{VARIANT}\n" + head[len(UNIT) + 2 :] + label + "\t3\n" + tail[len("\t0\n") :]
    path = tmp_path / "variant" / "zhangdian-2022.txt"
    path.parent.mkdir()
    path.write_text(text.replace("2021", "2022"), encoding="utf-8")
    return path


@pytest.fixture
def db(sample_copy: Path, reports_dir: Path, tmp_path: Path) -> Path:
    """The sample database with the sample roster and the 2022 report under the prefixed name."""
    roster.import_roster(config.SAMPLE_ROSTER, sample_copy)
    store.ingest([next_year_report(reports_dir, tmp_path)], sample_copy, progress=False)
    return sample_copy


def coverage_2022(db: Path) -> list[tuple]:
    return query(db, "coverage", year=2022).filter(unit=UNIT).select("timeliness", "filed_as", "note").rows()


def years_of(db: Path, agency: str) -> list[int]:
    return [r[0] for r in rows(db, "select year from fct_reports where agency = ? order by year", [agency])]


def r6_of_2022(db: Path) -> list[tuple]:
    return rows(db, "select agency, message from fct_findings where rule = 'R6' and year = 2022 order by message")


def test_the_variant_name_splits_the_unit_until_confirmed_then_everything_sees_one_unit(db: Path) -> None:
    assert coverage_2022(db) == [("未发布", None, None)]
    assert query(db, "coverage_unmatched", year=2022)["agency"].to_list() == [VARIANT]
    assert years_of(db, VARIANT) == [2022] and years_of(db, UNIT) == [2014, 2021]
    assert r6_of_2022(db) == []

    units = [r[0] for r in rows(db, "select unit from roster_units")]
    assert candidates(VARIANT, units)[0].unit == UNIT
    roster.add_alias(db, VARIANT, UNIT, Account("管理员甲", ADMIN))

    timeliness, filed_as, note = coverage_2022(db)[0]
    assert (filed_as, note) == (VARIANT, f"报告署名“{VARIANT}”，已确认为本单位")
    assert timeliness != "未发布"
    assert query(db, "coverage_unmatched", year=2022).is_empty()
    assert years_of(db, UNIT) == [2014, 2021, 2022] and years_of(db, VARIANT) == []
    trend = query(db, "trends_requests", regions=[], levels=[], types=[], agencies=[UNIT], year_from=None, year_to=None)
    reported = trend.filter(trend["report_id"].is_not_null())
    assert sorted(reported["year"].to_list()) == [2014, 2021, 2022]
    assert set(trend["agency"].to_list()) == {UNIT}  # one line: the gap years 2015–2020 between its reports
    assert r6_of_2022(db) == [(UNIT, "自然人列：本年上年结转3 ≠ 2021年报告结转下年0")]
    # the report page still shows the name the report was filed under
    assert rows(db, "select agency from reports where year = 2022 and agency like ?", ["%张店%"]) == [(VARIANT,)]


def test_the_alias_is_kept_with_its_history_and_survives_a_roster_import(db: Path) -> None:
    roster.add_alias(db, VARIANT, UNIT, "审核员乙")
    assert rows(db, "select kind, year, source from roster_changes where old_name = ?", [VARIANT]) == [
        ("alias", 2022, roster.CONFIRMED)
    ]
    ((audit_id, who, before, after),) = rows(
        db, "select audit_id, account, before, after from audit_log where action = 'roster.alias'"
    )
    assert who == "审核员乙"
    olds = [c["old_name"] for c in json.loads(after)["roster_changes"]]
    assert VARIANT in olds and VARIANT not in [c["old_name"] for c in json.loads(before)["roster_changes"]]
    roster.import_roster(config.SAMPLE_ROSTER, db)  # the unit is still listed: the confirmed alias stays
    assert years_of(db, UNIT) == [2014, 2021, 2022]
    history.restore_roster(db, audit_id, "管理员甲", side="before")  # the roster as it was before the alias
    assert years_of(db, VARIANT) == [2022]


def test_who_may_confirm_a_match_and_what_is_refused(db: Path) -> None:
    with pytest.raises(Refused, match="不属于"):
        roster.add_alias(db, VARIANT, UNIT, Account("填报人丙", FILER, ("张店区财政局",)))
    with pytest.raises(Refused, match="无权"):
        roster.add_unit(db, VARIANT, Account("填报人丙", FILER, (UNIT,)))
    with pytest.raises(roster.UnitError, match="不是名册中的单位"):
        roster.add_alias(db, VARIANT, "不存在的单位", "管理员甲")
    with pytest.raises(roster.UnitError, match="已是名册中的单位"):
        roster.add_alias(db, "张店区财政局", UNIT, "管理员甲")
    roster.add_alias(db, VARIANT, UNIT, Account("填报人丁", FILER, (UNIT,)))  # its own unit: allowed
    with pytest.raises(roster.UnitError, match="已登记为"):
        roster.add_alias(db, VARIANT, UNIT, "管理员甲")


def test_a_name_added_as_a_unit_of_its_own(db: Path) -> None:
    roster.add_unit(db, VARIANT, "管理员甲")
    assert rows(db, "select level, type, source from roster_units where unit = ?", [VARIANT]) == [
        ("county", "government", roster.CONFIRMED)
    ]
    assert query(db, "coverage_unmatched", year=2022).is_empty()
    assert query(db, "coverage", year=2022).filter(unit=VARIANT)["filed_as"].to_list() == [VARIANT]
