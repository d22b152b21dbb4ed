"""雷同检查 on real reports: copies whose figures changed still read as copies, unrelated sections do not, template
labels never count, passages are the copied text, and the rows follow every ingest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from loaders import similarity, store
from loaders.parse import parse_file
from tests.dbutil import rows

OFFICE = "zhangdian-district-gov-office-2021.txt"
OFFICE_AGENCY = "张店区人民政府办公室"
PINGTAN = "平潭综合实验区管委会"


def figures_changed(text: str) -> str:
    """The text with every number changed (each digit shifted by 3), the years (20xx) left as they are."""
    shift = str.maketrans("0123456789", "3456789012")
    return re.sub(
        r"\d+", lambda m: m.group() if re.fullmatch(r"20[12]\d", m.group()) else m.group().translate(shift), text
    )


def write(path: Path, text: str) -> Path:
    """Write a report file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def similarity_rows(db: Path) -> dict[tuple[str, str, str, str], tuple[float, list[dict]]]:
    """(agency, section, other agency, relation) -> (score, passages) for every stored row."""
    found = rows(
        db,
        "select r.agency || ' ' || r.year, s.section, o.agency || ' ' || o.year, s.relation, s.score, s.passages"
        " from section_similarity s join reports r on r.report_id = s.report_id"
        " join reports o on o.report_id = s.other_report_id",
    )
    return {(a, s, o, rel): (score, json.loads(p)) for a, s, o, rel, score, p in found}


@pytest.fixture
def copied_peer(reports_dir: Path, tmp_path: Path, db_file: Path) -> tuple[Path, str, str]:
    """A database of the district office's 2021 report and a peer office's copy of it with every figure changed."""
    original = (reports_dir / OFFICE).read_text(encoding="utf-8")
    copy = figures_changed(original).replace(OFFICE_AGENCY, "周村区人民政府办公室")
    assert copy != original
    files = [write(tmp_path / "in" / OFFICE, original), write(tmp_path / "in" / "copy.txt", copy)]
    summary = store.ingest(files, db_file, progress=False)
    assert summary.added == 2, summary.failures
    return db_file, original, copy


def test_a_copy_with_its_figures_changed_scores_about_one(copied_peer: tuple[Path, str, str]) -> None:
    db, _, _ = copied_peer
    found = similarity_rows(db)
    copy_rows = {k: v for k, v in found.items() if k[0] == "周村区人民政府办公室 2021"}
    sections = {section for _, section, _, _ in copy_rows}
    assert {"一", "五", "六"} <= sections  # the prose sections; 二 三 四 are tables of template labels
    for (_, _, other, relation), (score, _) in copy_rows.items():
        assert other == f"{OFFICE_AGENCY} 2021" and relation == similarity.PEER
        assert score >= 0.95
    # and the other way round: the original's sections are found in the copy
    assert all(v[0] >= 0.95 for k, v in found.items() if k[0] == f"{OFFICE_AGENCY} 2021")


def test_passages_are_the_copied_text_as_printed_in_each_report(copied_peer: tuple[Path, str, str]) -> None:
    db, original, copy = copied_peer
    _, passages = similarity_rows(db)[("周村区人民政府办公室 2021", "一", f"{OFFICE_AGENCY} 2021", "同类")]
    assert passages
    for p in passages:
        assert copy[p["start"] : p["end"]] == p["text"]
        assert original[p["other_start"] : p["other_end"]] == p["other_text"]
        assert similarity.wording_of(p["text"]) == similarity.wording_of(p["other_text"])
        assert copy[: p["start"]].count("\n") + 1 == p["line"]
        assert original[: p["other_start"]].count("\n") + 1 == p["other_line"]
    copied = next(p for p in passages if "共作出政府信息公开申请答复书" in p["text"])
    # the figures differ between the two texts of the passage, the wording does not
    assert "答复书 16 件" in copied["other_text"] and "答复书 49 件" in copied["text"]


def test_unrelated_sections_score_low(sample_db: Path) -> None:
    peers = rows(
        sample_db,
        "select r.agency, o.agency, s.section, s.score from section_similarity s"
        " join reports r on r.report_id = s.report_id join reports o on o.report_id = s.other_report_id"
        " where s.relation = '同类'",
    )
    assert peers, "the sample has peers (county governments of the same year)"
    assert max(score for *_, score in peers) < 0.1
    assert ("平潭综合实验区管委会", "张店区人民政府", "一") in {(a, o, s) for a, o, s, _ in peers}


def test_previous_year_relation_for_pingtan(sample_db: Path) -> None:
    found = rows(
        sample_db,
        "select r.year, o.year, s.section, s.score, s.passages from section_similarity s"
        " join reports r on r.report_id = s.report_id join reports o on o.report_id = s.other_report_id"
        " where s.relation = '上年' and r.agency = ? order by r.year, s.section",
        [PINGTAN],
    )
    years = {year for year, *_ in found}
    assert years == set(range(2012, 2026))  # every year with a previous one; 2011 has none
    assert all(other == year - 1 for year, other, *_ in found)
    copied = {(year, section): (score, json.loads(p)) for year, _, section, score, p in found}
    score, passages = copied[(2013, "一")]  # the 2013 overview repeats the 2012 one word for word
    assert score == 1.0
    assert "持续稳步开展，不断深化公开内容、完善工作机制、拓展公开渠道" in passages[0]["text"]
    assert copied[(2021, "五")][0] == 0.0  # kept although nothing repeats: the 上年 comparison is always stored


def test_template_tables_do_not_count_as_copying(sample_db: Path) -> None:
    # Pingtan prints the same 2021-template tables every year; only wording beyond the labels is compared
    tables = rows(
        sample_db,
        "select count(*) from section_similarity s join reports r using (report_id)"
        " where r.agency = ? and r.year >= 2021 and s.section in ('二', '三', '四')",
        [PINGTAN],
    )
    assert tables == [(0,)]


def test_wording_ignores_digits_spaces_punctuation_and_labels() -> None:
    a = "2021年，我办共受理申请16件。\n本年新收政府信息公开申请数量\t16\t0"
    b = "2022 年 我办共受理申请 20 件；"
    wa = similarity.section_wording("a", a, "一", 0, len(a))
    wb = similarity.section_wording("b", b, "一", 0, len(b))
    assert wa.chars == wb.chars == "年我办共受理申请件"
    assert [a[wa.offset(i)] for i in range(len(wa.chars))] == list(wa.chars)  # every character keeps where it stood


def test_every_character_of_every_sample_wording_maps_back_to_its_place_in_the_text() -> None:
    checked = 0
    for path in sorted((Path(__file__).parent.parent / "sample_data").glob("*.txt")):
        text = parse_file(path).text
        for wording in similarity.report_wordings(path.stem, text).values():
            places = [wording.offset(i) for i in range(len(wording.chars))]
            assert "".join(text[p] for p in places).lower() == wording.chars, (path.name, wording.section)
            assert all(a < b for a, b in zip(places, places[1:], strict=False)), (path.name, wording.section)
            checked += len(places)
    assert checked > 20_000


def peer_offices(original: str, folder: Path) -> list[Path]:
    """Six peer offices' reports made from the district office's: figures changed, each with a different third of
    its sentences rewritten (enough peers for the prefilter to choose among them)."""
    sentences = re.findall(r"[^。\n]*。", original)
    files = []
    for n, place in enumerate(["周村区", "临淄区", "博山区", "淄川区", "高青县", "沂源县"]):
        text = figures_changed(original).replace(OFFICE_AGENCY, f"{place}人民政府办公室")
        for sentence in sentences[n::3]:
            text = text.replace(sentence, f"{place}本年度另行开展了第{n}项专门工作。", 1)
        files.append(write(folder / f"{place}.txt", text))
    return files


def test_the_prefilter_picks_the_copy_among_many_peers(reports_dir: Path, tmp_path: Path, db_file: Path) -> None:
    original = (reports_dir / OFFICE).read_text(encoding="utf-8")
    copy = write(tmp_path / "in" / "copy.txt", figures_changed(original).replace(OFFICE_AGENCY, "桓台县人民政府办公室"))
    files = [reports_dir / OFFICE, *peer_offices(original, tmp_path / "peers"), copy]
    assert store.ingest(files, db_file, progress=False).added == 8
    sketched = rows(db_file, "select count(*) from similarity_sketches where section = '一'")[0][0]
    assert sketched > similarity.PEER_CANDIDATES + 1  # large enough for the prefilter to choose
    chosen = rows(
        db_file,
        "select o.agency from similarity_pairs as p join reports as r using (report_id)"
        " join reports as o on o.report_id = p.other_report_id"
        " where r.agency = '桓台县人民政府办公室' and p.section = '一' and p.relation = '同类'",
    )
    assert len(chosen) == similarity.PEER_CANDIDATES and (OFFICE_AGENCY,) in chosen
    best = rows(
        db_file,
        "select o.agency from section_similarity as s join reports as r using (report_id)"
        " join reports as o on o.report_id = s.other_report_id"
        " where r.agency = '桓台县人民政府办公室' and s.section = '一' and s.relation = '同类'"
        " order by s.score desc limit 1",
    )
    assert best == [(OFFICE_AGENCY,)]


def test_rows_follow_a_new_version_and_the_next_year(reports_dir: Path, tmp_path: Path, db_file: Path) -> None:
    names = ["015_pingtan_zone_2022.txt", "016_pingtan_zone_2023.txt"]
    store.ingest([reports_dir / n for n in names], db_file, progress=False)
    first = rows(db_file, "select report_id from reports where year = 2022")[0][0]
    text = (reports_dir / names[0]).read_text(encoding="utf-8")
    # a new version of 2022: one more sentence (a change of line breaks alone is the same report, not a new version)
    newer = write(tmp_path / "v2" / names[0], text.replace("。", "。本报告另附说明一份。", 1))
    store.ingest([newer], db_file, progress=False)
    current = rows(db_file, "select report_id from stg_reports_current where year = 2022")[0][0]
    assert current != first
    ids = {rid for pair in rows(db_file, "select report_id, other_report_id from section_similarity") for rid in pair}
    assert first not in ids and current in ids  # 2023's 上年 rows now read the new version
    assert (
        rows(db_file, "select count(*) from section_similarity s join reports r using (report_id) where r.year = 2023")[
            0
        ][0]
        > 0
    )


def test_reingesting_nothing_new_keeps_the_rows(sample_db: Path, tmp_path: Path, reports_dir: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(sample_db.read_bytes())
    before = rows(db, "select * exclude (passages) from section_similarity order by all")
    store.ingest([reports_dir / OFFICE], db, progress=False)  # unchanged: nothing stored
    assert rows(db, "select * exclude (passages) from section_similarity order by all") == before


def roster_file(tmp_path: Path, name: str, text: str) -> Path:
    """A roster CSV in tmp_path."""
    return write(tmp_path / "roster" / name, text)


def test_a_roster_that_puts_two_units_in_one_peer_group_compares_them(
    reports_dir: Path, tmp_path: Path, db_file: Path
) -> None:
    from loaders import roster

    original = (reports_dir / OFFICE).read_text(encoding="utf-8")
    copy = figures_changed(original).replace(OFFICE_AGENCY, "周村区财政局")  # a department by its name
    store.ingest([write(tmp_path / "in" / OFFICE, original), write(tmp_path / "in" / "c.txt", copy)], db_file, False)
    pair = (f"{OFFICE_AGENCY} 2021", "一", "周村区财政局 2021", "同类")
    assert pair not in similarity_rows(db_file)  # an office and a department: not peers by their names
    header = "单位,上级,层级,类型,同类组\n"
    together = header + f"{OFFICE_AGENCY},,区县级,政府办公室,区县单位\n周村区财政局,,区县级,部门,区县单位\n"
    roster.import_roster(roster_file(tmp_path, "together.csv", together), db_file)
    score, _ = similarity_rows(db_file)[pair]
    assert score > 0.9  # the copy, found once the roster makes them peers
    apart = header + f"{OFFICE_AGENCY},,区县级,政府办公室,区县政府办公室\n周村区财政局,,区县级,部门,区县部门\n"
    roster.import_roster(roster_file(tmp_path, "apart.csv", apart), db_file)
    assert pair not in similarity_rows(db_file)


def test_a_renamed_unit_is_compared_with_its_report_under_the_old_name(
    reports_dir: Path, tmp_path: Path, db_file: Path
) -> None:
    from loaders import roster

    current = (reports_dir / OFFICE).read_text(encoding="utf-8")
    old_name = "张店区政府办公室"
    earlier = figures_changed(current).replace(OFFICE_AGENCY, old_name).replace("2021", "2020")
    files = [write(tmp_path / "in" / OFFICE, current), write(tmp_path / "in" / "old.txt", earlier)]
    assert store.ingest(files, db_file, False).added == 2
    pair = (f"{OFFICE_AGENCY} 2021", "一", f"{old_name} 2020", "上年")
    assert pair not in similarity_rows(db_file)  # two names: two units until the roster says otherwise
    text = f"单位,上级,层级,类型,同类组\n{OFFICE_AGENCY},,区县级,政府办公室,\n\n旧名称,新名称,类型,年度\n"
    text += f"{old_name},{OFFICE_AGENCY},更名,2021\n"
    roster.import_roster(roster_file(tmp_path, "renamed.csv", text), db_file)
    score, _ = similarity_rows(db_file)[pair]
    assert score > 0.9


def test_rows_stored_report_by_report_equal_a_recomputation_of_every_year(
    reports_dir: Path, tmp_path: Path, db_file: Path
) -> None:
    # one office and six peer offices sharing some of its sentences (enough for the prefilter to choose), the
    # Pingtan reports of three years, and a new version of the middle year, each stored by its own ingest
    original = (reports_dir / OFFICE).read_text(encoding="utf-8")
    files = [reports_dir / OFFICE, *peer_offices(original, tmp_path / "peers")]
    names = ["015_pingtan_zone_2022.txt", "017_pingtan_zone_2024.txt", "016_pingtan_zone_2023.txt"]
    files += [reports_dir / n for n in names]
    text = (reports_dir / names[2]).read_text(encoding="utf-8")
    files.append(write(tmp_path / "v2" / names[2], text.replace("。", "。本报告另附说明一份。", 1)))
    for path in files:
        summary = store.ingest([path], db_file, progress=False)
        assert summary.added + summary.replaced == 1, summary.failures
    stored = similarity_rows(db_file)
    assert any(rel == similarity.PEER for _, _, _, rel in stored) and any(
        rel == similarity.PREVIOUS and o.endswith("2023") for _, _, o, rel in stored
    )
    again = tmp_path / "again.duckdb"
    again.write_bytes(db_file.read_bytes())
    con = duckdb.connect(str(again))
    try:
        con.sql("delete from section_similarity; delete from similarity_pairs; delete from similarity_sketches")
        years = [y for (y,) in con.sql("select distinct year from stg_reports_current order by 1").fetchall()]
        assert similarity.refresh_years(con, years) == len(stored)
        con.sql("checkpoint")
    finally:
        con.close()
    assert similarity_rows(again) == stored
    for table in ("similarity_pairs", "similarity_sketches"):  # what the next write chooses from, the same too
        assert rows(again, f"select * from {table} order by all") == rows(
            db_file, f"select * from {table} order by all"
        )


def test_one_more_report_compares_only_the_pairs_it_changes(
    reports_dir: Path, tmp_path: Path, db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = (reports_dir / OFFICE).read_text(encoding="utf-8")
    store.ingest([reports_dir / OFFICE, *peer_offices(original, tmp_path / "peers")], db_file, progress=False)
    pairs = rows(db_file, "select count(*) from similarity_pairs")[0][0]
    compared: list[tuple[str, str]] = []
    evaluate = similarity.evaluate
    monkeypatch.setattr(
        similarity, "evaluate", lambda pair: (compared.append((pair.a.report_id, pair.b.report_id)), evaluate(pair))[1]
    )
    copy = write(tmp_path / "in" / "copy.txt", figures_changed(original).replace(OFFICE_AGENCY, "桓台县人民政府办公室"))
    summary = store.ingest([copy], db_file, progress=False)
    new = summary.report_ids[0]
    mine = rows(db_file, "select count(*) from similarity_pairs where $r in (report_id, other_report_id)", {"r": new})
    assert compared and len(compared) < pairs  # not the whole peer group again
    assert sum(new in pair for pair in compared) == mine[0][0]  # every pair of the new report, once
    # and the rows are those of a recomputation (the pairs whose candidates the new peer changed included)
    stored = similarity_rows(db_file)
    con = duckdb.connect(str(db_file))
    try:
        con.sql("delete from section_similarity; delete from similarity_pairs")
        similarity.refresh_years(con, [2021])
    finally:
        con.close()
    assert similarity_rows(db_file) == stored


def test_a_database_without_sketches_is_compared_whole_at_its_next_write(
    reports_dir: Path, tmp_path: Path, db_file: Path
) -> None:
    names = ["015_pingtan_zone_2022.txt", "016_pingtan_zone_2023.txt"]
    store.ingest([reports_dir / OFFICE, *(reports_dir / n for n in names)], db_file, progress=False)
    stored = similarity_rows(db_file)
    con = duckdb.connect(str(db_file))
    try:  # as a database stored before sketches and pairs were
        con.sql("delete from similarity_pairs; delete from similarity_sketches")
    finally:
        con.close()
    store.ingest([reports_dir / "017_pingtan_zone_2024.txt"], db_file, progress=False)
    assert rows(db_file, "select count(distinct report_id) from similarity_sketches") == [(4,)]
    after = similarity_rows(db_file)
    assert {key: value for key, value in after.items() if "2024" not in key[0]} == stored
    assert any("2024" in key[0] for key in after)


def test_each_row_keeps_its_longest_passage_and_older_rows_get_it_at_the_next_write(
    reports_dir: Path, tmp_path: Path, db_file: Path
) -> None:
    names = ["014_pingtan_zone_2021.txt", "015_pingtan_zone_2022.txt", "016_pingtan_zone_2023.txt"]
    store.ingest([reports_dir / n for n in names[:2]], db_file, progress=False)

    def longest_as_stored() -> list[tuple]:
        found = rows(
            db_file, "select report_id, section, other_report_id, relation, passages, longest from section_similarity"
        )
        assert found
        out = []
        for *key, passages, longest in found:
            quoted = json.loads(passages)
            first_longest = next((p for p in quoted if p["chars"] == max(q["chars"] for q in quoted)), None)
            expected = {k: first_longest[k] for k in similarity.LONGEST_FIELDS} if first_longest else None
            assert longest == expected, key
            out.append((*key, longest))
        return sorted(out)

    before = longest_as_stored()
    con = duckdb.connect(str(db_file))
    try:  # as rows stored before the column existed
        con.sql("update section_similarity set longest = null")
    finally:
        con.close()
    store.ingest([reports_dir / names[2]], db_file, progress=False)
    after = longest_as_stored()
    assert [row for row in after if row[0] in {r[0] for r in before}] == before  # filled again, the same


def test_a_database_whose_rows_carry_the_old_primary_key_keeps_them_and_loses_the_key(
    reports_dir: Path, db_file: Path
) -> None:
    names = ["014_pingtan_zone_2021.txt", "015_pingtan_zone_2022.txt", "016_pingtan_zone_2023.txt"]
    store.ingest([reports_dir / n for n in names[:2]], db_file, progress=False)
    stored = similarity_rows(db_file)
    assert stored
    con = duckdb.connect(str(db_file))
    try:  # as a database built before the key was dropped: the same rows under a primary key, another fingerprint
        con.sql("create table keyed as select * from section_similarity")
        con.sql("drop table section_similarity")
        con.sql(
            "create table section_similarity (report_id varchar, section varchar, other_report_id varchar,"
            " relation varchar, score double not null, section_chars integer not null, matched_chars integer not null,"
            " passages json, primary key (report_id, section, other_report_id, relation))"
        )
        con.sql("insert into section_similarity by name select * exclude (longest) from keyed")
        con.sql("drop table keyed")
        con.sql("update schema_info set fingerprint = 'older'")
    finally:
        con.close()
    store.ingest([reports_dir / names[2]], db_file, progress=False)
    keys = (
        "select count(*) from duckdb_constraints()"
        " where table_name = 'section_similarity' and constraint_type = 'PRIMARY KEY'"
    )
    assert rows(db_file, keys) == [(0,)]
    assert rows(db_file, "select count(*) from duckdb_tables() where table_name like 'section_similarity%'") == [(1,)]
    after = similarity_rows(db_file)
    assert {key: value for key, value in after.items() if "2023" not in key[0]} == stored
    assert any("2023" in key[0] for key in after)
    longest = "select count(*) from section_similarity where longest is null and passages <> '[]'"
    assert rows(db_file, longest) == [(0,)]  # the rows put back without the column got it again
