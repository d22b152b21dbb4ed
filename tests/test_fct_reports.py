"""fct_reports, the per-report facts the 总览, 申请趋势, 办理结果, 复议诉讼, 主动公开 and 建议提案 pages read: one row
per current report whose figures agree with fct_values, the table of every figure, on real and synthetic data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.db import connect
from bench import synthetic
from tests import dbutil

# Each headline column of fct_reports, re-derived from fct_values (the 总计 column of section 三, no column
# elsewhere): the two must agree report by report.
DERIVED = """
with f as (
    select *
    from fct_values
    where case when metric like 'requests.%' or metric like 'outcome.%' then applicant = 'total' else applicant = '' end
),

derived as (
    select
        report_id,
        count(value) as stated,
        sum(value) filter (where metric = 'requests.new') as requests_new,
        sum(value) filter (where metric = 'outcome.total') as handled,
        sum(value) filter (where metric in ('outcome.granted', 'outcome.partial')) as disclosed,
        sum(value) filter (where metric in ('review.corrected', 'litigation.direct.corrected',
                                            'litigation.after_review.corrected')) as corrected,
        sum(value) filter (where metric in ('review.total', 'litigation.direct.total',
                                            'litigation.after_review.total')) as cases,
        sum(value) filter (where metric in ('review.pending', 'litigation.direct.pending',
                                            'litigation.after_review.pending')) as pending,
        max(value) filter (where metric = 'requests.carried_over') as carried_over,
        max(value) filter (where metric = 'requests.carried_forward') as carried_forward,
        max(line) filter (where metric = 'requests.new') as requests_new_line,
        sum(value) filter (where metric like 'outcome.denied.%') as denied,
        sum(value) filter (where metric like 'outcome.other%') as other,
        count(*) filter (where metric like 'outcome.%') as outcome_rows,
        max(value) filter (where metric = 'litigation.direct.total') as direct_total,
        count(*) filter (where metric like 'review.%') as review_rows,
        max(value) filter (where metric = 'npc.suggestions') as npc_received,
        max(percent) filter (where metric = 'cppcc.resolved') as cppcc_resolved_rate
    from f
    group by report_id
)

select
    r.report_id,
    coalesce(d.stated, 0) = r.stated
    and d.requests_new is not distinct from r.requests_new
    and d.handled is not distinct from r.handled
    and d.disclosed is not distinct from r.disclosed
    and d.corrected is not distinct from r.corrected
    and d.cases is not distinct from r.cases
    and d.pending is not distinct from r.pending
    and d.carried_over is not distinct from r.carried_over
    and d.carried_forward is not distinct from r.carried_forward
    and d.requests_new_line is not distinct from r.requests_new_line
    and d.denied is not distinct from r.denied
    and d.other is not distinct from r.other
    and coalesce(d.outcome_rows, 0) = r.outcome_rows
    and d.direct_total is not distinct from r.direct.total
    and coalesce(d.review_rows, 0) = coalesce(r.review.printed, 0)
    and d.npc_received is not distinct from r.npc.received
    and (r.cppcc.resolved is null or d.cppcc_resolved_rate is not distinct from r.cppcc.stated_rate)
    as agrees
from fct_reports as r
left join derived as d on r.report_id = d.report_id
"""


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic database: many agencies, gaps in their series, every template and rule."""
    path = tmp_path_factory.mktemp("facts") / "synthetic.duckdb"
    synthetic.generate(path, 400, seed=11)
    return path


@pytest.fixture(params=["sample", "synthetic"])
def con(request: pytest.FixtureRequest, sample_db: Path, synthetic_db: Path):
    """A read-only connection to the real sample database, then to the synthetic one."""
    connection = connect(sample_db if request.param == "sample" else synthetic_db)
    yield connection
    connection.close()


def test_one_row_per_current_report_with_its_agency(con: duckdb.DuckDBPyConnection):
    mismatched = con.sql(
        "select count(*) from stg_reports_current as r inner join stg_agencies as a on r.agency = a.agency "
        "full join fct_reports as f on r.report_id = f.report_id "
        "where f.report_id is null or r.report_id is null or f.year <> r.year or f.peer_group <> a.peer_group "
        "or f.region is distinct from a.region"
    )
    assert mismatched.fetchall() == [(0,)]


def test_every_headline_figure_agrees_with_fct_values(con: duckdb.DuckDBPyConnection):
    rows = con.sql(DERIVED).fetchall()
    assert rows, "no reports"
    assert [rid for rid, agrees in rows if not agrees] == []


def test_a_figure_not_stated_stays_null(con: duckdb.DuckDBPyConnection):
    # a report printing no outcome row has no outcome figures: null, never 0
    rows = con.sql(
        "select granted, partial, denied, unavailable, not_processed, other, handled from fct_reports "
        "where outcome_rows = 0"
    ).fetchall()
    assert rows and all(row == (None,) * 7 for row in rows)
    # a report stating nothing at all (a work plan) is not counted as reporting
    assert con.sql("select count(*) from fct_reports where stated = 0 and requests_new is not null").fetchall() == [
        (0,)
    ]


def test_report_order_is_the_agency_year_order_in_both_fact_tables(con: duckdb.DuckDBPyConnection):
    ordered = con.sql("select report_id from fct_reports order by agency, year").fetchall()
    assert con.sql("select report_id from fct_reports order by report_order").fetchall() == ordered
    apart = con.sql(
        "select count(*) from fct_values as v inner join fct_reports as r on v.report_id = r.report_id "
        "where v.report_order <> r.report_order"
    )
    assert apart.fetchall() == [(0,)]


def test_next_year_is_the_agency_s_next_annual_report(con: duckdb.DuckDBPyConnection):
    wrong = con.sql(
        "select count(*) from fct_reports as r where template is distinct from 'workplan' "
        "and next_year is distinct from (select min(n.year) from fct_reports as n where n.agency = r.agency "
        "and n.year > r.year and n.template is distinct from 'workplan')"
    )
    assert wrong.fetchall() == [(0,)]


def test_the_sources_of_a_kind_are_its_distinct_sentences_in_order(synthetic_db: Path):
    pairs = dbutil.rows(
        synthetic_db,
        "select r.npc.source, string_agg(distinct format('第{}行：{}', v.line, coalesce(v.sentence, v.raw)), "
        "' ｜ ' order by format('第{}行：{}', v.line, coalesce(v.sentence, v.raw))) "
        "from fct_reports as r inner join fct_values as v on r.report_id = v.report_id and v.metric like 'npc.%' "
        "group by r.report_id, r.npc.source",
    )
    assert pairs and all(kept == expected for kept, expected in pairs)
