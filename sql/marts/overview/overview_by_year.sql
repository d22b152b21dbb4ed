-- The 总览 page's headline figures per year for the selection: reports, units, requests received and
-- handled, substantive disclosure (予以公开 + 部分公开) over handled, and review and litigation
-- corrections over concluded cases (总计 − 尚未审结). Sums take only what reports state: a report
-- that does not state a figure adds nothing, and `*_reports` says how many reports stated it.
-- The rates are worked out here, once, for every reader (the briefing exports take them as they are).
-- The per-report sums come from fct_reports, so the page adds up one row per report, not every figure.
with selected as (
    -- one row per current report (fct_reports), only reports that state at least one figure
    select *
    from fct_reports
    where
        stated > 0
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

per_year as (
    select
        year,
        count(*) as reports,
        count(distinct agency) as units,
        sum(requests_new) as requests_new,
        count(requests_new) as requests_reports,
        sum(handled) as handled,
        sum(disclosed) as disclosed,
        sum(corrected) as corrected,
        sum(cases) as cases,
        sum(pending) as pending
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
        coalesce(o.findings, 0) as findings,
        -- the two rates, null (shown "—") when the denominator is zero or unstated, never 0% or 100%
        p.disclosed / nullif(p.handled, 0) as disclosure_rate,
        p.corrected / nullif(p.cases - coalesce(p.pending, 0), 0) as correction_rate
    from per_year as p
    left join open_findings as o on p.year = o.year
)

select * from final
order by year
