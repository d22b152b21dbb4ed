-- The 总览 page's headline figures per year for the selection: reports, units, requests received and
-- handled, substantive disclosure (予以公开 + 部分公开) over handled, and review and litigation
-- corrections over concluded cases (总计 − 尚未审结). Sums take only what reports state: a report
-- that does not state a figure adds nothing, and `*_reports` says how many reports stated it.
with selected as (
    select *
    from fct_values
    where
        in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
        and applicant in ('', 'total')
        and value is not null
),

per_year as (
    select
        year,
        count(distinct report_id) as reports,
        count(distinct agency) as units,
        sum(value) filter (where metric = 'requests.new') as requests_new,
        count(distinct report_id) filter (where metric = 'requests.new') as requests_reports,
        sum(value) filter (where metric = 'outcome.total') as handled,
        sum(value) filter (where metric in ('outcome.granted', 'outcome.partial')) as disclosed,
        sum(value) filter (where metric like '%.corrected' and metric not like 'outcome.%') as corrected,
        sum(value) filter (where metric like '%.total' and metric not like 'outcome.%') as cases,
        sum(value) filter (where metric like '%.pending' and metric not like 'outcome.%') as pending
    from selected
    group by year
),

open_findings as (
    select year, count(*) as findings
    from fct_findings
    where
        in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
    group by year
),

final as (
    select
        p.*,
        p.cases - coalesce(p.pending, 0) as concluded,
        coalesce(o.findings, 0) as findings
    from per_year as p
    left join open_findings as o on p.year = o.year
)

select * from final
order by year
