"""雷同检查: how much of each section of a report repeats the same section of the unit's previous-year report
(relation 上年) or of peer units' reports of the same year (relation 同类), with the repeated passages.

The measure (documented in the README):
- Each section (一…六, as loaders.sections finds them) is reduced to its wording: only Chinese characters and
  Latin letters are kept, so digits, white space and punctuation are ignored and a copy whose figures were
  changed still reads as a copy. Table rows (lines with tabs) and the printed labels of the national templates
  (row and column headings, fixed notes) are left out, since every report prints them; so are the scraps of
  fewer than MIN_SCRAP characters such labels leave between them.
- score = the share of the section's characters that lie in passages of at least MIN_PASSAGE characters found
  word for word in the other report's same section. Passages are found by seed and extend: the SHINGLE
  characters starting at every STRIDE-th character are looked up in the other section and a hit is grown both
  ways as far as the two agree. The score is directional: "this much of this section is in that one", which is
  what a reviewer deducts for.
- Sections with fewer than MIN_SECTION_CHARS characters of wording are not compared (a one-line 第六部分 such
  as 无其他需要报告的事项 repeats by nature).
- Peers are the other units of the same peer group (the roster's, else level and type from the name:
  sql/staging/stg_agencies.sql) in the same year; the 上年 report is the same unit's (a renamed unit's report
  under its old name counts). In a large group a cheap prefilter (a 1-in-SKETCH_RATE sample of each section's
  shingles, stock phrases shared by more than SKETCH_MAX_DF sections left out) picks the PEER_CANDIDATES most
  overlapping peers, and only those are scored exactly.

Each report's sketches are stored when it is stored (similarity_sketches), every comparison made is recorded
(similarity_pairs), and its row stored in section_similarity unless it is a peer's that shared no passage (the
threshold is applied when reading). At ingest the comparisons of the group-years the new reports touch are chosen
again from the sketches, and only the pairs that are new or involve a new report are compared.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import duckdb
import numpy as np
import polars as pl

import config
from loaders.keys import APPLICANTS, REVIEW_BLOCK_LABELS, REVIEW_PARTS, SECTION2_ROWS, SECTION3_ROWS
from loaders.memory import set_budget
from loaders.sections import find_sections, line_starts

PREVIOUS, PEER = "上年", "同类"
SHINGLE = 8  # characters per shingle
STRIDE = 4  # a shingle is looked up at every STRIDE-th character (SHINGLE + STRIDE - 1 <= MIN_PASSAGE)
MIN_PASSAGE = 12  # characters: shorter common runs are stock phrases, not copying
MIN_SECTION_CHARS = 50  # characters of wording a section needs to be compared
MIN_SCRAP = 4  # wording runs shorter than this, between template labels, are table scaffolding
PEER_CANDIDATES = 3  # peers scored exactly per section
SKETCH_RATE = 4  # about one shingle in SKETCH_RATE (chosen by its first character) goes into the prefilter sketch
SKETCH_MAX_DF = 50  # sketch shingles found in more sections of a peer group than this are left out
MAX_PASSAGES = 60  # passages kept per comparison, longest first
_SKETCH_BASE = np.uint64(1099511628211)  # the sketch hash's multiplier: odd, so that no character's bits are lost

_KEEP = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]")
_NUMERALS = "一二三四五六七八九十"


def wording_of(text: str) -> str:
    """Only the characters the measure reads: Chinese characters and Latin letters (lower-cased)."""
    return "".join(_KEEP.findall(text)).lower()


def _template_phrases() -> list[str]:
    """Every label the 2019 and 2021 templates print in their tables, reduced to wording, longest first."""
    labels: set[str] = {label for _, label in APPLICANTS}
    labels |= {row.label for rows in SECTION3_ROWS.values() for row in rows}
    labels |= {text for rows in SECTION2_ROWS.values() for row in rows for text in (row.label, *row.columns)}
    labels |= set(REVIEW_BLOCK_LABELS.values()) | {label for _, label in REVIEW_PARTS}
    labels |= {f"第二十条第（{n}）项" for n in _NUMERALS}
    labels |= set(_TEMPLATE_EXTRA)
    return sorted({w for w in map(wording_of, labels) if len(w) >= 2}, key=lambda w: (-len(w), w))


# Headings and notes of the template tables that the data dictionary does not hold as labels.
_TEMPLATE_EXTRA = (
    "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和",
    "区分处理的，只计这一情形，不计其他情形",
    "申请人情况",
    "法人或其他组织",
    "社会组织",
    "信息内容",
    "本年度办理结果",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "行政诉讼",
    "结转下年度继续办理",
    "本年收费金额（单位：万元）",
    "采购总金额",
)
_TEMPLATE_RE = re.compile("|".join(map(re.escape, _template_phrases())))


# --- one section's wording ------------------------------------------------------------------------


@dataclass
class Wording:
    """A section reduced to its wording, with the way back to where each character stands in the report text.

    The wording is made of runs that are contiguous in the text: run k starts at character starts[k] of the
    wording and at offset places[k] of the text (offset() maps any character). Its shingle index is built when
    first needed and kept until release(): a comparison run holds one at a time (_compare_pairs).
    """

    report_id: str
    section: str
    chars: str
    starts: array  # array("i"), ascending: a few numbers per line of text, not one per character
    places: array
    _index: dict[str, int] | None = field(default=None, repr=False)

    def offset(self, position: int) -> int:
        """The offset in the report text of the wording's character at `position`."""
        run = bisect.bisect_right(self.starts, position) - 1
        return self.places[run] + position - self.starts[run]

    def index(self) -> dict[str, int]:
        """Each distinct run of SHINGLE characters and where it first occurs."""
        if self._index is None:
            chars, last = self.chars, len(self.chars) - SHINGLE
            self._index = {chars[i : i + SHINGLE]: i for i in range(last, -1, -1)}  # later writes win: the first
        return self._index

    def sketch(self) -> list[int]:
        """The prefilter's sample of the shingles, as distinct 64-bit hashes in ascending order: those whose first
        character falls in one of SKETCH_RATE buckets.

        Choosing by content (not position) makes two copies of a passage pick the same shingles. The hash is a
        polynomial over the characters' code points (modulo 2**64, worked out for every position at once), the same
        in every process, since sketches are stored and compared across writes.
        """
        codes = np.frombuffer(self.chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        starts = len(codes) - SHINGLE + 1
        if starts <= 0:
            return []
        hashes = np.zeros(starts, dtype=np.uint64)
        for k in range(SHINGLE):
            hashes = hashes * _SKETCH_BASE + codes[k : k + starts]  # wraps around modulo 2**64
        chosen = np.unique(hashes[codes[:starts] % SKETCH_RATE == 0]).view(np.int64)  # as BIGINT, same bits
        return np.sort(chosen).tolist()

    def release(self) -> None:
        """Forget the shingle index (it takes far more memory than the wording)."""
        self._index = None


_KEEP_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]+")
_MARKS = re.compile(r"\[bookmark:[^\]\n]*\]")  # a document converter's bookmarks
_TABLE_ROW = re.compile(r"[^\n]*\t[^\n]*")  # a line with tabs is a table row


def section_wording(report_id: str, text: str, numeral: str, start: int, end: int) -> Wording:
    """The wording of text[start:end]: table rows, converter marks and template labels left out, offsets kept."""
    pieces: list[str] = []
    piece_starts: list[int] = []  # where each piece starts in the wording, and in the text
    piece_places: list[int] = []
    size, section = 0, text[start:end]
    # Table rows (lines with tabs) and converter marks blanked out, at the same length: offsets stay right.
    for skipped in (_TABLE_ROW, _MARKS) if "\t" in section or "[bookmark:" in section else ():
        section = skipped.sub(lambda m: " " * len(m.group()), section)
    for match in _KEEP_RUN.finditer(section):
        pieces.append(match.group())
        piece_starts.append(size)
        piece_places.append(start + match.start())
        size += match.end() - match.start()
    wording = "".join(pieces).lower()  # only ASCII letters change, one character for one
    # Labels are removed from the section as a whole: a PDF may break a label across two lines.
    kept = [(b, e) for b, e in _kept_runs(wording) if e - b >= MIN_SCRAP]
    starts, places = array("i"), array("i")
    done = 0  # characters of the kept wording so far
    for b, e in kept:
        piece = bisect.bisect_right(piece_starts, b) - 1
        while piece < len(piece_starts) and piece_starts[piece] < e:
            first = max(b, piece_starts[piece])
            starts.append(done + first - b)
            places.append(piece_places[piece] + first - piece_starts[piece])
            piece += 1
        done += e - b
    return Wording(report_id, numeral, "".join(wording[b:e] for b, e in kept), starts, places)


def _kept_runs(wording: str) -> Iterator[tuple[int, int]]:
    """The (begin, end) runs of the wording between template labels."""
    begin = 0
    for match in _TEMPLATE_RE.finditer(wording):
        yield begin, match.start()
        begin = match.end()
    yield begin, len(wording)


def report_wordings(report_id: str, text: str) -> dict[str, Wording]:
    """The wording of each section of a report that has enough of it to be compared."""
    out: dict[str, Wording] = {}
    for numeral, section in find_sections(text).items():
        wording = section_wording(report_id, text, numeral, section.start, section.end)
        if len(wording.chars) >= MIN_SECTION_CHARS:
            out[numeral] = wording
    return out


# --- comparing two sections -----------------------------------------------------------------------


@dataclass
class Comparison:
    """How much of one section lies in another: the score, the characters counted and the repeated passages."""

    score: float
    matched: int
    total: int
    matches: list[tuple[int, int, int]]  # (start, end) in the first section's wording, start in the second's


def compare(a: Wording, b: Wording) -> Comparison:
    """The share of a's wording that lies in passages of at least MIN_PASSAGE characters also found in b."""
    found = matches(a.chars, b.chars, b.index())
    matched = sum(end - start for start, end, _ in found)
    total = len(a.chars)
    return Comparison(matched / total if total else 0.0, matched, total, found)


def matches(a: str, b: str, index: dict[str, int]) -> list[tuple[int, int, int]]:
    """The passages of a found word for word in b, at least MIN_PASSAGE long: (start, end, start in b).

    Seed and extend: the shingle starting at every STRIDE-th character of a is looked up in b's index and a hit
    grown both ways as far as a and b agree. Any common passage of SHINGLE + STRIDE - 1 characters or more holds
    a whole seed, so none of MIN_PASSAGE is missed; passages do not overlap in a (each starts after the last).
    """
    found: list[tuple[int, int, int]] = []
    floor, pos, last = 0, 0, len(a) - SHINGLE
    while pos <= last:
        seed = a[pos : pos + SHINGLE]
        place = index.get(seed)
        best = None
        while place is not None and place >= 0:
            grown = _grow(a, b, pos, place, floor)
            if best is None or grown[1] - grown[0] > best[1] - best[0]:
                best = grown
            place = b.find(seed, place + 1)  # a repeated shingle: try each place it occurs in b
        if best and best[1] - best[0] >= MIN_PASSAGE:
            found.append(best)
            floor = best[1]
            pos = -(-floor // STRIDE) * STRIDE  # the next seed position at or after the passage's end
        else:
            pos += STRIDE
    return found


def _grow(a: str, b: str, pos: int, place: int, floor: int) -> tuple[int, int, int]:
    """The longest passage around a[pos:pos+SHINGLE] == b[place:place+SHINGLE]: (start, end, start in b)."""
    right = _agree(lambda n: a[pos : pos + n] == b[place : place + n], SHINGLE, min(len(a) - pos, len(b) - place))
    left = _agree(lambda n: a[pos - n : pos] == b[place - n : place], 0, min(pos - floor, place))
    return pos - left, pos + right, place - left


def _agree(same: Callable[[int], bool], known: int, most: int) -> int:
    """The largest n <= most for which same(n) holds, knowing same(known); binary search on slices."""
    low, high = known, most
    while low < high:
        mid = (low + high + 1) // 2
        if same(mid):
            low = mid
        else:
            high = mid - 1
    return low


@dataclass
class Source:
    """A report as the comparison needs it: its id, text, line starts and section wordings."""

    report_id: str
    text: str
    wordings: dict[str, Wording]
    _lines: list[int] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, report_id: str, text: str) -> Source:
        """A source with the wording of each of its sections."""
        return cls(report_id, text, report_wordings(report_id, text))

    def line_of(self, offset: int) -> int:
        """The 1-based line of a character offset in the text."""
        if self._lines is None:
            self._lines = line_starts(self.text)
        return bisect.bisect_right(self._lines, offset)


def passages(a: Source, b: Source, numeral: str, comparison: Comparison) -> list[dict]:
    """The repeated passages as printed in each report (the longest MAX_PASSAGES), in the order of the first."""
    longest = sorted(comparison.matches, key=lambda m: m[0] - m[1])[:MAX_PASSAGES]
    return [_passage(a, b, numeral, match) for match in sorted(longest)]


def _passage(a: Source, b: Source, numeral: str, match: tuple[int, int, int]) -> dict:
    """One passage: where it stands in both reports (character offsets and lines) and its text in each."""
    start, end, other = match
    length = end - start
    wa, wb = a.wordings[numeral], b.wordings[numeral]
    a_from, a_to = wa.offset(start), wa.offset(end - 1) + 1
    b_from, b_to = wb.offset(other), wb.offset(other + length - 1) + 1
    return {
        "chars": length,
        "start": a_from,
        "end": a_to,
        "line": a.line_of(a_from),
        "text": a.text[a_from:a_to],
        "other_start": b_from,
        "other_end": b_to,
        "other_line": b.line_of(b_from),
        "other_text": b.text[b_from:b_to],
    }


# --- choosing what to compare -----------------------------------------------------------------------
# The comparisons themselves are chosen in SQL from the stored sketches (sql/marts/similarity/
# similarity_pairs_wanted.sql): each report with its unit's report of the year before, and with the peers whose
# section overlaps its own the most.


@dataclass(frozen=True)
class Pair:
    """One comparison to make: section `numeral` of report a against the same section of report b."""

    a: Source
    b: Source
    numeral: str
    relation: str


def evaluate(pair: Pair) -> dict | None:
    """The row of section_similarity for one pair; None for a peer sharing no passage (the 上年 row is always kept)."""
    result = compare(pair.a.wordings[pair.numeral], pair.b.wordings[pair.numeral])
    if not result.matched and pair.relation != PREVIOUS:
        return None
    return _row(pair, result, passages(pair.a, pair.b, pair.numeral, result))


def _row(pair: Pair, result: Comparison, found: list[dict]) -> dict:
    """One row of section_similarity."""
    return {
        "report_id": pair.a.report_id,
        "section": pair.numeral,
        "other_report_id": pair.b.report_id,
        "relation": pair.relation,
        "score": round(result.score, 4),
        "section_chars": result.total,
        "matched_chars": result.matched,
        "passages": json.dumps(found, ensure_ascii=False),
        "longest": _longest(found),
    }


LONGEST_FIELDS = ("chars", "text", "line", "other_line")  # what a row keeps apart of its longest passage


def _longest(found: list[dict]) -> dict | None:
    """The longest passage (the first of equally long ones), the fields the rubric quotes: kept in a column of its
    own, so the scoring of a year reads no passage JSON (at 100k reports, 110,000 rows of it)."""
    if not found:
        return None
    passage = max(found, key=lambda p: p["chars"])  # max keeps the first of equals
    return {key: passage[key] for key in LONGEST_FIELDS}


# --- the database -----------------------------------------------------------------------------------

_ROW_SCHEMA = {
    "report_id": pl.String,
    "section": pl.String,
    "other_report_id": pl.String,
    "relation": pl.String,
    "score": pl.Float64,
    "section_chars": pl.Int32,
    "matched_chars": pl.Int32,
    "passages": pl.String,
    "longest": pl.Struct({"chars": pl.Int32, "text": pl.String, "line": pl.Int32, "other_line": pl.Int32}),
}


def _sql(name: str) -> str:
    """The text of sql/marts/similarity/<name>.sql."""
    return (config.SQL_DIR / "marts" / "similarity" / f"{name}.sql").read_text(encoding="utf-8")


def refresh(con: duckdb.DuckDBPyConnection, report_ids: Iterable[str]) -> int:
    """Bring the similarity rows up to date after storing the reports `report_ids`; return the rows stored.

    A report of year Y can change the comparisons of its own peer group in year Y and the 上年 comparison of its
    unit's report of year Y + 1 (similarity_touched_groups). In those group-years the comparisons are chosen again
    from the stored sketches, and only the pairs that are new or involve one of these reports are compared: the
    cost of one report grows with the few pairs it changes, not with its peer group or the database. Years with a
    report never sketched (a database built before sketches were stored) are then computed whole.

    Like every 雷同 write it runs within the budget of a write in place (_within_budget).
    """
    report_ids = list(report_ids)
    _within_budget(con)
    _delete_replaced(con)
    stored = 0
    if report_ids:
        touched = con.sql(_sql("similarity_touched_groups"), params={"report_ids": report_ids}).fetchall()
        stored += _compute(con, touched, set(report_ids))
    years = [y for (y,) in con.sql(_sql("similarity_stale_years"), params={"report_ids": []}).fetchall()]
    return stored + _compare_years(con, years)


def refresh_years(con: duckdb.DuckDBPyConnection, years: list[int]) -> int:
    """Compare every pair of every peer group of the given years again; return the rows stored."""
    _within_budget(con)
    _delete_replaced(con)
    return _compare_years(con, years)


def _within_budget(con: duckdb.DuckDBPyConnection) -> None:
    """Keep DuckDB to the budget of a write in place from here on: the comparison holds the reports of its
    group-years (their text and wording) in memory beside DuckDB's, a few hundred MB for thousands of reports, while
    its queries need little. The fact work that follows in a write sets its own budget."""
    set_budget(con, config.update_memory())


def _compare_years(con: duckdb.DuckDBPyConnection, years: list[int]) -> int:
    """refresh_years once the rows of reports no longer current are deleted."""
    if not years:
        return 0
    for table in ("section_similarity", "similarity_pairs"):
        con.sql(_DELETE_YEARS.format(table=table), params={"years": years})
    return _compute(con, con.sql(_sql("similarity_groups"), params={"years": years}).fetchall(), set())


def _compute(con: duckdb.DuckDBPyConnection, groups: list[tuple[str | None, int]], changed: set[str]) -> int:
    """For each (peer group, year), in the order given: sketch the reports not yet sketched (and those `changed`),
    choose the comparisons, drop the rows of pairs no longer chosen and compare the pairs that are new or involve a
    changed report; return the rows stored. A few group-years are done at a time (each with its year before), so
    memory holds their reports, never the whole database."""
    stored = 0
    for start in range(0, len(groups), _GROUP_YEARS_PER_READ):
        chunk = groups[start : start + _GROUP_YEARS_PER_READ]
        keys = list(dict.fromkeys(key for group, year in chunk for key in ((group, year - 1), (group, year))))
        members = con.sql(_sql("similarity_members"), params=_group_params(keys)).fetchall()
        sources = _sketch(con, [rid for rid, _, _, sketched in members if not sketched or rid in changed])
        params = {**_group_params(chunk), "candidates": PEER_CANDIDATES, "max_df": SKETCH_MAX_DF}
        con.sql(f"create or replace temp table {_WANTED} as {_sql('similarity_pairs_wanted')}", params=params)
        try:
            wanted = set(chunk)
            in_chunk = [rid for rid, year, group, _ in members if (group, year) in wanted]
            con.sql(
                f"create or replace temp table {_TO_COMPARE} as {_PAIRS_TO_COMPARE}",
                params={"changed": sorted(changed)},
            )
            # by the report compared with: its shingle index is built once and let go before the next one's
            pairs = con.sql(f"select * from {_TO_COMPARE} order by section, other_report_id, report_id, relation")
            pairs = pairs.fetchall()
            for table in ("section_similarity", "similarity_pairs"):
                con.sql(_DROP_PAIRS.format(table=table), params={"members": in_chunk})
            con.sql(f"insert into similarity_pairs select * from {_TO_COMPARE}")
        finally:
            con.sql(f"drop table if exists {_WANTED}")
            con.sql(f"drop table if exists {_TO_COMPARE}")
        stored += _compare_pairs(con, pairs, sources)
    return stored


_GROUP_YEARS_PER_READ = 8  # group-years chosen and compared together: memory holds their reports (and years before)
_WANTED = "similarity_wanted"  # temporary tables: the comparisons chosen for the group-years at hand,
_TO_COMPARE = "similarity_to_compare"  # and of those, the ones to compare now

# The chosen pairs to compare: those not compared before, and those involving a changed report.
_PAIRS_TO_COMPARE = f"""
select w.report_id, w.section, w.other_report_id, w.relation
from {_WANTED} as w
where
    w.report_id in (select unnest(cast($changed as varchar[])))
    or w.other_report_id in (select unnest(cast($changed as varchar[])))
    or not exists (
        select 1 from similarity_pairs as p
        where
            p.report_id in (select report_id from {_WANTED})  -- the group-years' pairs only, not every stored one
            and p.report_id = w.report_id and p.section = w.section and p.other_report_id = w.other_report_id
            and p.relation = w.relation
    )
"""

# Of the rows (or pairs) of the group-years' reports ($members), those no longer chosen and those compared again.
_DROP_PAIRS = f"""
delete from {{table}} as t
where
    t.report_id in (select unnest(cast($members as varchar[])))
    and (
        not exists (
            select 1 from {_WANTED} as w
            where
                w.report_id = t.report_id and w.section = t.section and w.other_report_id = t.other_report_id
                and w.relation = t.relation
        )
        or exists (
            select 1 from {_TO_COMPARE} as c
            where
                c.report_id = t.report_id and c.section = t.section and c.other_report_id = t.other_report_id
                and c.relation = t.relation
        )
    )
"""


def _delete_replaced(con: duckdb.DuckDBPyConnection) -> None:
    """Delete the rows, pairs and sketches of reports no longer current (a newer version replaced them, or an
    identified copy was dropped), the current reports read once. Rows and pairs that compare a current report with
    one are left for the comparisons chosen again (or, outside the group-years a write touches,
    similarity_stale_years) to find."""
    con.sql(f"create or replace temp table {_CURRENT} as select report_id from stg_similarity_reports")
    try:
        for table in ("section_similarity", "similarity_pairs", "similarity_sketches"):  # fixed names
            con.sql(f"delete from {table} where report_id not in (select report_id from {_CURRENT})")
    finally:
        con.sql(f"drop table if exists {_CURRENT}")


def _group_params(keys: list[tuple[str | None, int]]) -> dict[str, list]:
    """Group-years as the two lists in step that the similarity queries read."""
    return {"peer_groups": [group for group, _ in keys], "years": [year for _, year in keys]}


def _sketch(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict[str, Source]:
    """Store the sketch of each section of these reports (replacing any stored); return the reports read."""
    sources = _read_sources(con, report_ids)
    if not report_ids:
        return sources
    con.sql(
        "delete from similarity_sketches where report_id in (select unnest(cast($ids as varchar[])))",
        params={"ids": report_ids},
    )
    held = list(sources.values())
    for start in range(0, len(held), _SKETCHES_PER_INSERT):  # a sketch as Python numbers is ten times its stored size
        batch = held[start : start + _SKETCHES_PER_INSERT]
        rows = [
            (source.report_id, numeral, len(wording.chars), wording.sketch())
            for source in batch
            for numeral, wording in source.wordings.items()
        ]
        rows += [(source.report_id, None, None, None) for source in batch if not source.wordings]
        frame = pl.DataFrame(rows, schema=_SKETCH_SCHEMA, orient="row")
        con.register("incoming_sketches", frame)
        try:
            con.sql("insert into similarity_sketches by name select * from incoming_sketches")
        finally:
            con.unregister("incoming_sketches")
    return sources


_SKETCHES_PER_INSERT = 250  # reports whose sketches are built and stored at a time
_SKETCH_SCHEMA = {
    "report_id": pl.String,
    "section": pl.String,
    "section_chars": pl.Int32,
    "shingles": pl.List(pl.Int64),
}


def _read_sources(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict[str, Source]:
    """These reports with their text and section wordings, by id."""
    if not report_ids:
        return {}
    found = con.sql(_sql("similarity_texts"), params={"report_ids": report_ids}).fetchall()
    return {row[0]: Source.of(*row) for row in found}


_ROWS_PER_INSERT = 500  # rows built and stored at a time: their passages, as JSON, are what takes the memory


def _compare_pairs(con: duckdb.DuckDBPyConnection, pairs: list[tuple], sources: dict[str, Source]) -> int:
    """Compare these pairs (report, section, other, relation), ordered by section and other report, and store their
    rows _ROWS_PER_INSERT at a time, reading the reports not in `sources` first; return the rows stored. A pair
    looks up its report's wording in the shingle index of the other's (many times the memory of the wording): each
    index is built once, for the pairs that share the other report, and let go when they are done, so memory holds
    one index whatever the size of a peer group."""
    missing = sorted({rid for a, _, b, _ in pairs for rid in (a, b)} - sources.keys())
    sources = {**sources, **_read_sources(con, missing)}
    stored, rows = 0, []
    for (numeral, other), group in itertools.groupby(pairs, key=lambda pair: (pair[1], pair[2])):
        for a, _, _, relation in group:
            if row := evaluate(Pair(sources[a], sources[other], numeral, relation)):
                rows.append(row)
        sources[other].wordings[numeral].release()
        if len(rows) >= _ROWS_PER_INSERT:
            stored += _store(con, rows)
            rows = []
    return stored + _store(con, rows)


def groupings(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str]]:
    """Each current report's peer group and unit as the comparison groups it (similarity_report_groups)."""
    rows = con.sql(_sql("similarity_report_groups")).fetchall()
    return {report_id: (peer_group, unit) for report_id, peer_group, unit in rows}


def refresh_regrouped(con: duckdb.DuckDBPyConnection, before: dict[str, tuple[str | None, str]]) -> int:
    """Compare again the years in which a report's peer group or unit is no longer what it was `before`
    (groupings() taken before a roster import); return the rows stored."""
    changed = [rid for rid, grouping in groupings(con).items() if before.get(rid) != grouping]
    if not changed:
        return 0
    # a report that left a peer group changes that group's comparisons too: compare the years whole
    years = [y for (y,) in con.sql(_sql("similarity_stale_years"), params={"report_ids": changed}).fetchall()]
    return refresh_years(con, years)


_CURRENT = "similarity_current"  # a temporary table: the ids of the reports the comparison reads now

# Rows (or pairs) of the current reports of the years $years.
_DELETE_YEARS = """
delete from {table}
where report_id in (select report_id from stg_similarity_reports where list_contains($years, year))
"""


def _store(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    """Insert rows into section_similarity."""
    if not rows:
        return 0
    con.register("incoming_similarity", pl.DataFrame(rows, schema=_ROW_SCHEMA))
    try:
        con.sql(
            "insert into section_similarity by name"
            " select * exclude (passages), cast(passages as json) as passages from incoming_similarity"
        )
    finally:
        con.unregister("incoming_similarity")
    return len(rows)
