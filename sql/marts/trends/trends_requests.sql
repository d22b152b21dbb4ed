-- The 申请趋势 page: per agency and year, the requests of the 总计 column (本年新收, 上年结转, 结转下年)
-- with the report's template and where its 本年新收 figure was printed. Every year from an agency's first
-- to its last report in the selection gets a row: a year without a report has a null report_id and null
-- figures, so the chart shows a gap there instead of bridging it or drawing a zero. The figures come from
-- fct_reports, one row per current report, so the page never reads the figure table itself.
with selected_reports as (
    -- reports, not figures: a report that states none of the three figures still counts as a report
    select
        report_id,
        agency,
        year,
        template,
        requests_new,
        carried_over,
        carried_forward,
        requests_new_kind,
        requests_new_line,
        next_year
    from fct_reports
    where
        template is distinct from 'workplan'  -- a work plan is not an annual report
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

gap_years as (
    -- the years between two reports of an agency in the selection (fct_reports.next_year is the agency's
    -- next report; the agency filters keep or drop both alike, so only the year range can part them)
    select
        agency,
        unnest(range(year + 1, next_year)) as year
    from selected_reports
    where
        next_year > year + 1
        and ($year_to is null or next_year <= $year_to)
),

final as (
    select
        agency,
        year,
        report_id,
        template,
        requests_new,
        carried_over,
        carried_forward,
        requests_new_kind,
        requests_new_line
    from selected_reports
    union all
    select
        agency,
        year,
        null as report_id,
        null as template,
        null as requests_new,
        null as carried_over,
        null as carried_forward,
        null as requests_new_kind,
        null as requests_new_line
    from gap_years
)

select * from final
order by agency, year
