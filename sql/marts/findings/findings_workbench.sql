-- The 问题核查 page's list: every current finding of the selection with its review state (with_review_state:
-- status 待核实 when never reviewed, who set it and when, the explanation count and the latest one) and the
-- first line its evidence stands on, for the link to 报告详情. Read from fct_findings, which every
-- ingest, correction and roster import rebuilds, so the list never runs the checks itself; statuses and
-- explanations are read live. The findings of a report stored without an agency or a year are listed whatever
-- the selection, which cannot place such a report, so that it is never out of sight until it is identified.
with selected as (
    select finding_key, report_id, agency, year, rule, severity, message, cells
    from fct_findings
    where
        agency is null
        or year is null
        or in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

final as (
    select
        * exclude (cells),
        first_cell_line(cells) as first_line
    from with_review_state('selected')
)

select * from final
order by
    agency,
    year,
    severity_rank(severity),
    rule,
    first_line nulls last,
    finding_key
