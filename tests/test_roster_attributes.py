"""An imported roster drives what the dashboard knows about an agency: its type, level, peer group and parent
(stg_agencies, and through it the facts and the marts), and which report is a government's office for R7. Agencies
the roster does not list, and every agency while there is no roster, keep what their names say. Everything runs on
real fixture reports in real databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import roster, store
from loaders.store import ingest
from tests.dbutil import query, rows

GOV = "zhangdian-district-gov-2021.txt"
OFFICE = "zhangdian-district-gov-office-2021.txt"
SELECTION_2021 = {"regions": [], "levels": [], "types": [], "agencies": [], "year_from": 2021, "year_to": 2021}

# 平潭 is listed as a city-level department (its name says a county-level government); 张店区人民政府 and the health
# bureau (listed under its later name, the report filed under the old one) share one peer group across two types.
# 张店区人民政府办公室 and 洪泽区人民政府 are not listed.
ROSTER = """单位,上级,层级,类型,同类组
平潭综合实验区管委会,福建省人民政府,市级,部门,省直派出机构
张店区人民政府,淄博市人民政府,区县级,政府,区县对比组
市中区卫生健康委员会,枣庄市市中区人民政府,区县级,部门,区县对比组

旧名称,新名称,类型,年度
市中区卫生健康局,市中区卫生健康委员会,更名,2024
"""
AGENCY_COLUMNS = "agency_type, agency_level, peer_group, parent, unit, attributes_from"


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A roster file in the test's folder."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def attributes(db: Path) -> dict[str, tuple]:
    """(type, level, peer group, parent, unit, attributes_from) of every agency."""
    return {agency: tuple(rest) for agency, *rest in rows(db, f"select agency, {AGENCY_COLUMNS} from stg_agencies")}


# --- stg_agencies, the facts and the marts -------------------------------------------------------------------


def test_without_a_roster_every_agency_is_described_by_its_name(sample_copy: Path) -> None:
    found = attributes(sample_copy)
    assert found["平潭综合实验区管委会"] == (
        "government",
        "county",
        "county/government",
        None,
        "平潭综合实验区管委会",
        "name",
    )
    assert found["张店区人民政府办公室"][:5] == (
        "office",
        "county",
        "county/office",
        "张店区人民政府",  # the parent the report names
        "张店区人民政府办公室",
    )
    assert {row[5] for row in found.values()} == {"name"}
    assert all(row[4] == agency for agency, row in found.items())


def test_roster_units_take_the_rosters_attributes_and_others_keep_their_names(
    sample_copy: Path, tmp_path: Path
) -> None:
    before = rows(sample_copy, "select count(*) from stg_agencies")
    roster.import_roster(write(tmp_path, "名册.csv", ROSTER), sample_copy)
    found = attributes(sample_copy)
    assert found["平潭综合实验区管委会"] == (
        "department",
        "city",
        "省直派出机构",
        "福建省人民政府",
        "平潭综合实验区管委会",
        "roster",
    )
    # filed under the name the roster lists as the unit's earlier one
    assert found["市中区卫生健康局"] == (
        "department",
        "county",
        "区县对比组",
        "枣庄市市中区人民政府",
        "市中区卫生健康委员会",
        "roster",
    )
    assert found["张店区人民政府"][2:] == ("区县对比组", "淄博市人民政府", "张店区人民政府", "roster")
    # not on the roster: as the name says, the parent as the report states it
    assert found["洪泽区人民政府"] == ("government", "county", "county/government", None, "洪泽区人民政府", "name")
    assert found["张店区人民政府办公室"] == (
        "office",
        "county",
        "county/office",
        "张店区人民政府",
        "张店区人民政府办公室",
        "name",
    )
    assert rows(sample_copy, "select count(*) from stg_agencies") == before  # one row per agency still


def test_the_facts_and_marts_read_the_rosters_attributes_after_an_import(sample_copy: Path, tmp_path: Path) -> None:
    roster.import_roster(write(tmp_path, "名册.csv", ROSTER), sample_copy)  # the import rebuilds the facts
    pingtan = ["平潭综合实验区管委会"]
    for table in ("fct_values", "fct_reports"):  # fixed names
        found = rows(
            sample_copy, f"select distinct agency_level, agency_type, peer_group from {table} where agency = ?", pingtan
        )
        assert found == [("city", "department", "省直派出机构")], table
    found = rows(sample_copy, "select distinct agency_level, agency_type from fct_findings where agency = ?", pingtan)
    assert found == [("city", "department")]
    options = {r["agency"]: r for r in query(sample_copy, "selection_options").iter_rows(named=True)}
    assert (options["平潭综合实验区管委会"]["agency_level"], options["平潭综合实验区管委会"]["peer_group"]) == (
        "city",
        "省直派出机构",
    )
    assert options["洪泽区人民政府"]["peer_group"] == "county/government"
    # the sidebar's type filter follows the roster too
    departments = query(
        sample_copy,
        "report_choices",
        report_id=None,
        max_rows=1000,
        search=None,
        **{**SELECTION_2021, "types": ["department"], "year_from": None, "year_to": None},
    )
    assert "平潭综合实验区管委会" in set(departments["agency"])


def test_compare_units_places_a_unit_among_the_rosters_peer_group(sample_copy: Path, tmp_path: Path) -> None:
    def peers() -> dict[str, tuple]:
        frame = query(sample_copy, "compare_units", metric="requests.new", **SELECTION_2021)
        return {
            r["agency"]: (r["peer_group"], r["peer_n"], r["p50"], r["position"]) for r in frame.iter_rows(named=True)
        }

    # by name: 张店区人民政府 (105) and 平潭 (70) are the county governments of 2021
    assert peers()["张店区人民政府"] == ("county/government", 2, 87.5, "above_p75")
    roster.import_roster(write(tmp_path, "名册.csv", ROSTER), sample_copy)
    after = peers()
    # by the roster: 张店区人民政府 (105) beside the health bureau (0), 平潭 alone in its group
    assert after["张店区人民政府"] == ("区县对比组", 2, 52.5, "above_p75")
    assert after["市中区卫生健康局"] == ("区县对比组", 2, 52.5, "below_p25")
    assert after["平潭综合实验区管委会"] == ("省直派出机构", 1, 70.0, "only_unit")
    assert after["张店区人民政府办公室"][:2] == ("county/office", 1)


def test_the_rosters_attributes_survive_a_later_ingest(sample_copy: Path, tmp_path: Path, reports_dir: Path) -> None:
    roster.import_roster(write(tmp_path, "名册.csv", ROSTER), sample_copy)
    text = (reports_dir / "014_pingtan_zone_2021.txt").read_text(encoding="utf-8")
    assert text.count("发布时间: 2022-02-08") == 1
    edited = tmp_path / "pingtan-2021-v2.txt"
    edited.write_text(text.replace("发布时间: 2022-02-08", "发布时间: 2022-02-09"), encoding="utf-8")
    ingest([edited], sample_copy, progress=False)
    found = rows(sample_copy, "select distinct peer_group from fct_values where agency = ?", ["平潭综合实验区管委会"])
    assert found == [("省直派出机构",)]


def hand_edited_changes(db: Path, tmp_path: Path, changes: list[tuple[str, str, str, int]]) -> None:
    """Import a roster, then add changes the importer would refuse, as a hand-edited database could hold them."""
    units = "单位,层级,类型,同类组\n张店区人民政府,区县级,政府,甲组\n"
    units += "张店区财政局,区县级,部门,乙组\n张店区司法局,区县级,部门,丙组\n"
    roster.import_roster(write(tmp_path, "名册.csv", units), db)
    with store.transaction(db) as con:
        for old, new, kind, year in changes:
            con.sql(
                "insert into roster_changes values (?, ?, ?, ?, 'hand', null, now()::timestamp)",
                params=[old, new, kind, year],
            )


def test_a_name_two_units_claim_stays_one_agency_its_own_unit_first(sample_copy: Path, tmp_path: Path) -> None:
    figures = rows(sample_copy, "select count(*) from fct_values")
    hand_edited_changes(
        sample_copy,
        tmp_path,
        [
            ("张店区人民政府", "张店区财政局", "merge", 2022),  # also the own name of a unit
            ("市中区卫生健康局", "张店区司法局", "merge", 2020),  # one old name, two units
            ("市中区卫生健康局", "张店区财政局", "merge", 2022),
        ],
    )
    found = attributes(sample_copy)
    assert found["张店区人民政府"][4:] == ("张店区人民政府", "roster")
    assert found["市中区卫生健康局"][2:] == ("乙组", None, "张店区财政局", "roster")  # the most recent change
    assert rows(sample_copy, "select count(*), count(distinct agency) from stg_agencies")[0] == (6, 6)
    assert rows(sample_copy, "select count(*) from fct_values") == figures  # no figure counted twice


# --- R7: the government's office as the roster names it ----------------------------------------------------------


def report_copy(reports_dir: Path, tmp_path: Path, name: str, *changes: tuple[str, str]) -> Path:
    """A copy of a fixture report with passages replaced (each must occur exactly once)."""
    text = (reports_dir / name).read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, f"{name}: {old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    path = tmp_path / f"edited-{name}"
    path.write_text(text, encoding="utf-8")
    return path


def government_and_office(
    reports_dir: Path, tmp_path: Path, stated: int, office: str | None, government: str | None = None
) -> list[Path]:
    """The 2021 government report stating `stated` requests at the government level (its office's report says 16),
    filed under `government` instead of 张店区人民政府 when given, and the office's report, filed under `office`
    instead of 张店区人民政府办公室 when given."""
    changes = [("政府层面的申请16件", f"政府层面的申请{stated}件")]
    if government is not None:
        changes.append(("\n张店区人民政府\n", f"\n{government}\n"))
    files = [report_copy(reports_dir, tmp_path, GOV, *changes)]
    if office is None:
        return [*files, reports_dir / OFFICE]
    return [*files, report_copy(reports_dir, tmp_path, OFFICE, ("\n张店区人民政府办公室\n", f"\n{office}\n"))]


def r7(db: Path) -> list[tuple]:
    """(agency, year, message, finding_key) of every R7 finding, stored and live (they must agree)."""
    live = rows(db, "select agency, year, message, finding_key from findings where rule = 'R7' order by all")
    stored = rows(db, "select agency, year, message, finding_key from fct_findings where rule = 'R7' order by all")
    assert live == stored
    return live


def r7_message(office: str, stated: int) -> str:
    """R7's message for the 2021 government report against its office's 16 new requests."""
    return f"一、本年新收政府信息公开申请数量：本报告称政府层面{stated}，{office}2021年报告为16"


OFFICE_ON_ROSTER = """单位,上级,层级,类型
张店区人民政府,淄博市人民政府,区县级,政府
张店区政务服务办公室,张店区人民政府,区县级,政府办公室
"""


@pytest.mark.parametrize(("stated", "fires"), [(17, True), (16, False)])
def test_r7_finds_the_office_the_roster_names_whatever_its_name(
    reports_dir: Path, tmp_path: Path, db_file: Path, stated: int, fires: bool
) -> None:
    ingest(government_and_office(reports_dir, tmp_path, stated, "张店区政务服务办公室"), db_file, progress=False)
    assert r7(db_file) == []  # by name, 张店区政务服务办公室 is not 张店区人民政府's office
    roster.import_roster(write(tmp_path, "名册.csv", OFFICE_ON_ROSTER), db_file)
    found = [(agency, year, message) for agency, year, message, _ in r7(db_file)]
    assert found == ([("张店区人民政府", 2021, r7_message("张店区政务服务办公室", stated))] if fires else [])
    # the roll-up (which reads R7's findings) holds the same pair
    (own,) = (
        query(db_file, "rollup_compare", year=2021)
        .filter(scope="government_level", metric="requests.new")
        .rows(named=True)
    )
    assert (own["stated"], own["summed"]) == (stated, 16)
    assert (own["r7_finding"] is not None) == fires


RENAMED = """单位,上级,层级,类型
淄博市张店区人民政府,淄博市人民政府,区县级,政府
张店区人民政府办公室,淄博市张店区人民政府,区县级,政府办公室

旧名称,新名称,类型,年度
张店区人民政府,淄博市张店区人民政府,更名,2023
张店区政府办公室,张店区人民政府办公室,更名,2022
"""


def test_r7_follows_earlier_names_of_the_government_and_its_office(
    reports_dir: Path, tmp_path: Path, db_file: Path
) -> None:
    ingest(government_and_office(reports_dir, tmp_path, 17, "张店区政府办公室"), db_file, progress=False)
    assert r7(db_file) == []
    roster.import_roster(write(tmp_path, "名册.csv", RENAMED), db_file)
    assert [(a, y, m) for a, y, m, _ in r7(db_file)] == [("张店区人民政府", 2021, r7_message("张店区政府办公室", 17))]


def test_r7_takes_a_government_the_roster_lists_whatever_its_name(
    reports_dir: Path, tmp_path: Path, db_file: Path
) -> None:
    ingest(government_and_office(reports_dir, tmp_path, 17, None, government="张店区政府"), db_file, progress=False)
    assert r7(db_file) == []  # by name, only an XX人民政府 is a government with an office
    listed = "单位,上级,层级,类型\n张店区政府,淄博市人民政府,区县级,政府\n"
    listed += "张店区人民政府办公室,张店区政府,区县级,政府办公室\n"
    roster.import_roster(write(tmp_path, "名册.csv", listed), db_file)
    assert [(a, y, m) for a, y, m, _ in r7(db_file)] == [("张店区政府", 2021, r7_message("张店区人民政府办公室", 17))]


def test_r7_follows_the_roster_when_it_says_the_named_office_is_not_the_governments(
    reports_dir: Path, tmp_path: Path, db_file: Path
) -> None:
    ingest(government_and_office(reports_dir, tmp_path, 17, None), db_file, progress=False)
    assert len(r7(db_file)) == 1  # by name
    elsewhere = "单位,上级,层级,类型\n张店区人民政府,淄博市人民政府,区县级,政府\n"
    elsewhere += "张店区人民政府办公室,淄博市人民政府,区县级,政府办公室\n"
    roster.import_roster(write(tmp_path, "名册.csv", elsewhere), db_file)
    assert r7(db_file) == []


@pytest.mark.parametrize(
    "listed",
    [
        None,  # no roster
        "单位,层级,类型\n洪泽区人民政府,区县级,政府\n",  # neither is on the roster
        "单位,层级,类型\n张店区人民政府,区县级,政府\n",  # the government is, its office is not
        # the office is, the government is not
        "单位,上级,层级,类型\n张店区人民政府办公室,张店区人民政府,区县级,政府办公室\n",
        "单位,上级,层级,类型\n张店区人民政府,,区县级,政府\n张店区人民政府办公室,张店区人民政府,区县级,政府办公室\n",
    ],
    ids=["no-roster", "neither", "government-only", "office-only", "both"],
)
def test_r7_by_name_off_the_roster_and_the_same_finding_key_either_way(
    reports_dir: Path, tmp_path: Path, db_file: Path, listed: str | None
) -> None:
    ingest(government_and_office(reports_dir, tmp_path, 17, None), db_file, progress=False)
    ((_, _, _, key_by_name),) = r7(db_file)
    if listed is not None:
        roster.import_roster(write(tmp_path, "名册.csv", listed), db_file)
    assert r7(db_file) == [("张店区人民政府", 2021, r7_message("张店区人民政府办公室", 17), key_by_name)]
