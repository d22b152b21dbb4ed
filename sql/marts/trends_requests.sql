-- The 申请趋势 page: per agency and year, the requests of the 总计 column (本年新收, 上年结转, 结转下年)
-- with the report's template and where its 本年新收 figure was printed. Every year from an agency's first
-- to its last report in the selection gets a row: a year without a report has a null report_id and null
-- figures, so the chart shows a gap there instead of bridging it or drawing a zero.
with selected_reports as (
    -- reports, not figures: a report that states none of the three figures still counts as a report
    select
        r.report_id,
        r.agency,
        r.year,
        r.template
    from stg_reports_current as r
    inner join stg_agencies as a on r.agency = a.agency
    where
        r.template is distinct from 'workplan'  -- a work plan is not an annual report
        and in_selection(
            a.region, a.agency_level, a.agency_type, r.agency, r.year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

request_figures as (
    select
        report_id,
        metric,
        value,
        kind,
        line
    from fct_values
    where
        metric in ('requests.new', 'requests.carried_over', 'requests.carried_forward')
        and applicant = 'total'
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

per_report as (
    select
        s.report_id,
        s.agency,
        s.year,
        s.template,
        any_value(f.value) filter (where f.metric = 'requests.new') as requests_new,
        any_value(f.value) filter (where f.metric = 'requests.carried_over') as carried_over,
        any_value(f.value) filter (where f.metric = 'requests.carried_forward') as carried_forward,
        any_value(f.kind) filter (where f.metric = 'requests.new') as requests_new_kind,
        any_value(f.line) filter (where f.metric = 'requests.new') as requests_new_line
    from selected_reports as s
    left join request_figures as f on s.report_id = f.report_id
    group by s.report_id, s.agency, s.year, s.template
),

agency_years as (
    select
        agency,
        unnest(range(min(year), max(year) + 1)) as year
    from selected_reports
    group by agency
),

final as (
    select
        y.agency,
        y.year,
        p.report_id,
        p.template,
        p.requests_new,
        p.carried_over,
        p.carried_forward,
        p.requests_new_kind,
        p.requests_new_line
    from agency_years as y
    left join per_report as p on y.agency = p.agency and y.year = p.year
)

select * from final
order by agency, year
