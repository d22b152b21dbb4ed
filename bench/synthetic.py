"""A large SYNTHETIC database for the query benchmark: invented agencies and figures, never real data.

The database is built through the real schema: the loader's `prepare` creates the tables, macros and views
from sql/, the generator fills the stored tables (reports, figures, mentions, parse_findings) with SQL run
inside DuckDB (bench/synthetic_sql/, one statement per file, in name order), and the loader's `materialize`
builds the fact tables, so every page reads exactly what it reads on real data.

What it looks like: agencies at every level (国家级 to 乡镇级) and of every type in many regions, each reporting
from its first year to 2025 with a few gaps; the template follows the year (prose up to 2018, the 2019 template
for 2019–2020, the 2021 template after) with a few reports on the wrong one; counts are log-normal and grow
with the agency's level; a few cells are printed blank or "/" (stored as NULL), a few digit runs could not be
split, and a few reports break R1–R9 so that every check has findings. Raw text, lines, sentences and
locations are filled, and each report has a text whose lines the figures point to. 雷同 rows (section_similarity)
compare the prose sections 一, 二, 五 and 六 of each report with its unit's previous-year report and two peers of
the same year; similarity_pairs records those comparisons and similarity_sketches marks every report read (its
text has no section to compare).

How it is marked: every agency name and region starts with 【合成】, each report's second line says it is
synthetic, file names start with "synthetic-", and the table `synthetic_dataset` holds one row with
synthetic = true and how it was made. It is written to the path given, never into sample_data/ or data/.

Usage: python bench/synthetic.py OUT.duckdb [--reports N] [--seed S] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/synthetic.py`

import config  # noqa: E402
from loaders.keys import (  # noqa: E402
    APPLICANTS,
    METRICS,
    REVIEW_BLOCK_LABELS,
    REVIEW_BLOCKS,
    REVIEW_PARTS,
    SECTION2_ROWS,
    SECTION3_ROWS,
)
from loaders.store import materialize, prepare  # noqa: E402

SQL_DIR = Path(__file__).resolve().parent / "synthetic_sql"  # the generator's statements, run in name order
BENCH_SQL_DIR = Path(__file__).resolve().parent / "sql"  # the benchmark's own read queries, one per file
MARK = "【合成】"
FORBIDDEN_DIRS = (ROOT / "sample_data", ROOT / "data")

# Place names are made of these characters, none of which names a level (区 县 旗 市 州 盟 镇 乡 街道 省),
# so that stg_agencies reads each agency's level from the one unit its name ends in.
_CHARS_A = "青云白金玉丰安长永和嘉新东西南北平宁泰兴"
_CHARS_B = "华明清河山林石溪江湖阳桥松竹梅兰桃柳岭原"
PROVINCES, CITIES_PER_PROVINCE, COUNTIES_PER_CITY, TOWNSHIPS_PER_COUNTY = 12, 8, 8, 6

DEPARTMENTS = (
    "教育局", "财政局", "卫生健康局", "自然资源局", "生态环境局", "交通运输局", "农业农村局", "水利局", "商务局",
    "文化和旅游局", "应急管理局", "人力资源和社会保障局", "民政局", "司法局", "公安局", "审计局", "统计局",
    "医疗保障局", "退役军人事务局", "林业局",
)  # fmt: skip
PROVINCE_DEPARTMENTS = tuple(
    d.replace("局", "厅") if d not in ("统计局", "医疗保障局", "林业局") else d for d in DEPARTMENTS
)
NATIONAL = ("国家档案局", "国家粮食和物资储备局", "国家林业和草原局", "国家统计局", "国家文物局", "国家药品监督管理局")

# Log-scale size of an agency's figures by level and type: a province receives far more requests than a township.
LEVEL_SIZE = {"national": 5.0, "province": 4.6, "city": 3.6, "county": 2.6, "township": 0.8}
TYPE_SIZE = {"government": 0.6, "office": 0.3, "department": 0.0}

# Section 三: each applicant column's share of the requests, and each outcome row's share of those handled.
APPLICANT_SHARE = {
    "natural_person": 0.85,
    "commercial": 0.07,
    "research": 0.01,
    "social_org": 0.01,
    "legal_service": 0.03,
    "other_org": 0.03,
}
OUTCOME_SHARE = {"granted": 0.45, "partial": 0.10, "denied": 0.006, "unavailable": 0.07, "not_processed": 0.015}
OUTCOME_SHARE_OF = {
    "outcome.unavailable.not_held": 0.22,
    "outcome.other.unspecified": 0.04,
    "outcome.other.no_correction": 0.02,
    "outcome.other.unpaid_fee": 0.002,
    "outcome.other.other": 0.02,
}
# Section 二: log-scale size and the share of reports stating zero, per metric (before the agency's own size).
SECTION2_SIZE = {
    "rules": (0.3, 0.8),
    "normative_docs": (1.5, 0.3),
    "licensing": (5.0, 0.1),
    "other_services": (3.0, 0.3),
    "penalty": (4.0, 0.15),
    "coercion": (1.5, 0.45),
    "fees": (3.0, 0.4),
    "procurement": (2.5, 0.3),
}
# Section 四: log-scale size of each block below the agency's size, and each part's share of a block.
BLOCK_OFFSET = {"review": 2.6, "litigation.direct": 3.0, "litigation.after_review": 3.8}
PART_SHARE = {"maintained": 0.6, "corrected": 0.1, "other": 0.15, "pending": 0.15, "total": 0.0}


def place_stem(i: int) -> str:
    """A two-character invented place name, different for each i below 400."""
    return _CHARS_A[i % len(_CHARS_A)] + _CHARS_B[(i // len(_CHARS_A) + i) % len(_CHARS_B)]


def agency_pool() -> pl.DataFrame:
    """Every invented agency the generator may use, with its region, parent, level, type and base size."""
    rows: list[tuple] = []
    for n in NATIONAL:
        rows.append((MARK + n, None, None, "national", "department"))
    for p in range(PROVINCES):
        province = place_stem(p * 7) + "省"
        _add_place(rows, province, MARK + province, "province", PROVINCE_DEPARTMENTS, "办公厅")
        for c in range(CITIES_PER_PROVINCE):
            city = place_stem(p * 31 + c * 3 + 5) + "市"
            _add_place(rows, province + city, MARK + province + city, "city", DEPARTMENTS, "办公室")
            for k in range(COUNTIES_PER_CITY):
                county = city + place_stem(p * 13 + c * 17 + k * 5 + 11) + ("区" if k % 3 else "县")
                region = MARK + province + county
                _add_place(rows, county, region, "county", DEPARTMENTS, "办公室")
                for t in range(TOWNSHIPS_PER_COUNTY):
                    town = county + place_stem(c * 11 + k * 7 + t * 3 + 2)
                    name = town + ("街道办事处" if t % 3 == 0 else "乡人民政府" if t % 3 == 1 else "镇人民政府")
                    rows.append((MARK + name, region, MARK + county + "人民政府", "township", "government"))
    frame = pl.DataFrame(rows, schema=["agency", "region", "parent", "agency_level", "agency_type"], orient="row")
    return frame.unique("agency", keep="first", maintain_order=True).with_columns(
        size=pl.col("agency_level").replace_strict(LEVEL_SIZE) + pl.col("agency_type").replace_strict(TYPE_SIZE)
    )


def _add_place(rows: list, place: str, region: str, level: str, departments: tuple[str, ...], office: str) -> None:
    """A place's government, its office and its departments."""
    government = MARK + place + "人民政府"
    rows.append((government, region, None, level, "government"))
    rows.append((government + office, region, government, level, "office"))
    rows.extend((MARK + place + d, region, government, level, "department") for d in departments)


def layouts() -> dict[str, pl.DataFrame]:
    """The printed tables of each template from loaders.keys, with the line each row stands on in the text."""
    s2, s3, s4, lines = [], [], [], []
    for template in ("2021", "2019"):
        n2, n3 = len(SECTION2_ROWS[template]), len(SECTION3_ROWS[template])
        for i, row in enumerate(SECTION2_ROWS[template]):
            for j, (metric, column) in enumerate(zip(row.metrics, row.columns, strict=True)):
                mu, zero = SECTION2_SIZE[metric.split(".")[0]]
                s2.append(
                    (template, metric, 6 + i, row.label, column, j, len(row.metrics), METRICS[metric].kind, mu, zero)
                )
        for i, row in enumerate(SECTION3_ROWS[template]):
            s3.append((template, row.metric, 7 + n2 + i, row.label, _role(row.metric), _outcome_share(row.metric)))
        l4 = 7 + n2 + n3
        for b, block in enumerate(REVIEW_BLOCKS):
            for j, (part, label) in enumerate(REVIEW_PARTS):
                s4.append((template, f"{block}.{part}", l4 + 1 + b, REVIEW_BLOCK_LABELS[block], label, j,
                           block, part, BLOCK_OFFSET[block], PART_SHARE[part]))  # fmt: skip
        lines.append((template, 6 + n2, l4, l4 + 4, l4 + 6))
    return {
        "syn_s2_layout": pl.DataFrame(
            s2,
            orient="row",
            schema=["template", "metric", "line", "row_label", "col_label", "col_no", "n_cols", "kind", "mu", "zero"],
        ),  # fmt: skip
        "syn_s3_layout": pl.DataFrame(
            s3, orient="row", schema=["template", "metric", "line", "row_label", "role", "share"]
        ),
        "syn_s4_layout": pl.DataFrame(
            s4,
            orient="row",
            schema=[
                "template",
                "metric",
                "line",
                "row_label",
                "col_label",
                "col_no",
                "block",
                "part",
                "block_offset",
                "share",
            ],
        ),  # fmt: skip
        "syn_lines": pl.DataFrame(lines, orient="row", schema=["template", "l3", "l4", "l5", "l6"]),
        "syn_applicants": pl.DataFrame(
            [(key, label, i + 1, APPLICANT_SHARE.get(key, 0.0)) for i, (key, label) in enumerate(APPLICANTS)],
            orient="row",
            schema=["key", "label", "position", "share"],
        ),
    }


def _role(metric: str) -> str:
    """What a section 三 row is to the generator: a request count, an outcome row or the outcome total."""
    if metric.startswith("requests."):
        return metric.split(".")[1]
    return "total" if metric == "outcome.total" else "outcome"


def _outcome_share(metric: str) -> float:
    """The expected share of an outcome row in the requests handled."""
    if metric in OUTCOME_SHARE_OF:
        return OUTCOME_SHARE_OF[metric]
    parts = metric.split(".")
    return OUTCOME_SHARE.get(parts[1], 0.0) if parts[0] == "outcome" and parts[1] != "total" else 0.0


def refuse_bundled_path(path: Path) -> None:
    """Refuse to write synthetic data where real data lives (sample_data/, data/)."""
    resolved = path.resolve()
    for folder in FORBIDDEN_DIRS:
        if resolved == folder or folder in resolved.parents:
            raise SystemExit(
                f"{path}: 合成数据不得写入 {folder.name}/ / synthetic data must not be written into {folder.name}/"
            )


def statements() -> list[tuple[str, str]]:
    """(name, SQL) of the generator's statements, in the order they run."""
    files = sorted(SQL_DIR.glob("*.sql"))
    if not files:
        raise SystemExit(f"{SQL_DIR}: 找不到生成语句 / no generator SQL found")
    return [(p.stem, p.read_text(encoding="utf-8")) for p in files]


def schema_fingerprint() -> str:
    """A hash of everything a synthetic database is built from (sql/, the generator's statements, this file), so a
    database kept for reuse is rebuilt once any of them changes."""
    digest = hashlib.sha256()
    for path in sorted([*config.SQL_DIR.rglob("*.sql"), *SQL_DIR.glob("*.sql"), Path(__file__).resolve()]):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def bench_sql(name: str) -> str:
    """The text of bench/sql/<name>.sql, a read query of the benchmark."""
    return (BENCH_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run_statement(con: duckdb.DuckDBPyConnection, sql: str, values: dict[str, object]) -> None:
    """Run one statement, binding only the parameters it names."""
    names = set(re.findall(r"\$([a-z_][a-z0-9_]*)", re.sub(r"--[^\n]*", "", sql)))
    con.sql(sql, params={k: v for k, v in values.items() if k in names} or None)


@dataclass(frozen=True)
class Build:
    """How long a build took: in all, and the part spent in the loader's materialize (checks and facts)."""

    seconds: float
    facts_seconds: float


def generate(path: Path, reports: int, seed: int = 20250101, force: bool = False, quiet: bool = True) -> Build:
    """Build a synthetic database of `reports` current reports at `path`; says how long it took."""
    path = Path(path)
    refuse_bundled_path(path)
    if path.exists() and not force:
        raise SystemExit(f"{path}: 文件已存在（用 --force 覆盖） / file exists (use --force to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    work = path.with_name(path.name + ".building")
    work.unlink(missing_ok=True)
    start = time.perf_counter()
    con = duckdb.connect(str(work))
    try:
        facts_seconds = _fill(con, reports, seed, quiet)
    finally:
        con.close()
    os.replace(work, path)
    return Build(time.perf_counter() - start, facts_seconds)


def _fill(con: duckdb.DuckDBPyConnection, reports: int, seed: int, quiet: bool) -> float:
    """Create the real schema, generate the stored tables, build the facts and mark the file synthetic."""
    prepare(con)
    for name, frame in {"syn_agencies": agency_pool(), **layouts()}.items():
        con.register(name, frame)  # small frames the statements read by these names
    values = {"n_reports": reports, "seed": seed, "schema": schema_fingerprint()}
    for name, sql in statements():
        step = time.perf_counter()
        run_statement(con, sql, values)
        if not quiet:
            print(f"  {name:<28} {time.perf_counter() - step:6.1f} s", file=sys.stderr)
    step = time.perf_counter()
    materialize(con)
    facts_seconds = time.perf_counter() - step
    if not quiet:
        print(f"  {'materialize (facts)':<28} {facts_seconds:6.1f} s", file=sys.stderr)
    con.sql("checkpoint")
    return facts_seconds


def is_synthetic(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the database says it is synthetic (the marker table exists and says so)."""
    try:
        rows = con.sql(bench_sql("synthetic_flag")).fetchall()
    except duckdb.CatalogException:
        return False
    return bool(rows) and all(row[0] is True for row in rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="the database file to write (not under sample_data/ or data/)")
    ap.add_argument("--reports", type=int, default=10_000, help="current reports to generate (default 10000)")
    ap.add_argument("--seed", type=int, default=20250101, help="the same seed gives the same database")
    ap.add_argument("--force", action="store_true", help="replace the file if it exists")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the database and print its size and how long it took."""
    args = parse_args(argv)
    build = generate(args.out, args.reports, args.seed, args.force, quiet=False)
    con = duckdb.connect(str(args.out), read_only=True)
    try:
        reports, figures, findings = con.sql(bench_sql("table_counts")).fetchall()[0]
    finally:
        con.close()
    print(f"合成数据 / synthetic database: {args.out}")
    print(f"  reports {reports:,}  figures {figures:,}  findings {findings:,}")
    print(
        f"  size {args.out.stat().st_size / 2**20:,.0f} MiB  built in {build.seconds:.1f} s "
        f"(of which the loader's checks and facts {build.facts_seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
